#!/usr/bin/env bash
# make_revocation.sh - ADD long-term-validation material (issue 4) to the docseal TEST PKI with the
# openssl CLI only: a TSA valid since 2019, a delegated OCSP responder, two revoked signers, CRLs and
# OCSP responses. Runs AFTER make_pki.sh and NEVER touches the certificates/keys that make_pki.sh made
# (existing fixtures are signed by them); it only reads them (the CA keys sign the new material).
#
# !!! ALL KEYS PRODUCED HERE ARE TEST-ONLY KEYS. THEY ARE PUBLISHED IN A PUBLIC
# !!! REPOSITORY. NEVER TRUST ANY OF THESE CERTIFICATES OUTSIDE OF TESTS.
#
# Output (see testdata/README.md, "Revocation and timestamp material"):
#   pki/tsa-2019.pem, pki/ocsp-g1.pem, pki/signer-revoked-early.pem, pki/signer-revoked-late.pem,
#   pki/signer-expired-2025.pem (+ keys/<name>.TEST-ONLY.key.pem)
#   pki/crl/{root-g1,issuing-g1,root-g2,issuing-g2}.crl   (DER, thisUpdate 2026-11-01, nextUpdate 2031-01-01)
#   pki/crl/stale/issuing-g1-2025.crl                      (DER, thisUpdate 2025-01-01, nextUpdate 2025-02-01)
#   pki/ocsp/*.ocsp                                        (DER OCSPResponse: signer-rsa good, signer-revoked-early
#                                                           revoked, signer-p256 good signed by the CA itself,
#                                                           signer-rsa signed by an UNAUTHORIZED responder,
#                                                           tsa / tsa-2019 good)
# Re-running regenerates the four new keys/certs (fixtures signed by the revoked signers must then be rebuilt)
# and the CRLs/OCSP responses. OCSP responses carry the wall-clock producedAt/thisUpdate (openssl cannot
# back-date them) and nextUpdate = thisUpdate + 2000 days.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PKI="$(cd "$HERE/.." && pwd)/pki"
KEYS="$PKI/keys"
for f in root root-g2 intermediate intermediate-g2 signer-rsa signer-p256; do
  [ -f "$PKI/$f.pem" ] || { echo "make_revocation.sh: $PKI/$f.pem missing: run make_pki.sh first" >&2; exit 1; }
done
NEW_CERTS=(tsa-2019 ocsp-g1 signer-revoked-early signer-revoked-late signer-expired-2025)
for n in "${NEW_CERTS[@]}"; do rm -f "$PKI/$n.pem" "$KEYS/$n.TEST-ONLY.key.pem"; done
rm -rf "$PKI/crl" "$PKI/ocsp"
mkdir -p "$PKI/crl/stale" "$PKI/ocsp"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
export CA_DB="$WORK"   # every openssl command parses the whole config; ca() points it at one database

GOOD_FROM=250101000000Z   # 2025-01-01T00:00:00Z
GOOD_TO=450101000000Z     # 2045-01-01T00:00:00Z
TSA19_FROM=190101000000Z  # 2019-01-01T00:00:00Z
CRL_THIS=20261101000000Z  # thisUpdate of the current CRLs
CRL_NEXT=20310101000000Z  # nextUpdate of the current CRLs (after the manifest's at = 2030-03-17)
REVOKED_EARLY=260301000000Z   # 2026-03-01T00:00:00Z, keyCompromise
REVOKED_LATE=260901000000Z    # 2026-09-01T00:00:00Z, superseded

# One CA database per issuing key (index.txt + crlnumber); CA_DB selects it inside the config.
CNF="$WORK/openssl.cnf"
cat > "$CNF" <<'CNFEOF'
[ req ]
distinguished_name = req_dn
string_mask        = utf8only
utf8               = yes
prompt             = no
[ req_dn ]
CN = placeholder

[ ca ]
default_ca = test_ca
[ test_ca ]
dir              = $ENV::CA_DB
database         = $dir/index.txt
new_certs_dir    = $dir/newcerts
crlnumber        = $dir/crlnumber
rand_serial      = yes
unique_subject   = no
policy           = policy_anything
preserve         = yes
email_in_dn      = no
copy_extensions  = none
string_mask      = utf8only
default_md       = sha256
default_days     = 7305
default_crl_days = 30
crl_extensions   = crl_ext
[ policy_anything ]
countryName            = optional
stateOrProvinceName    = optional
localityName           = optional
organizationName       = optional
organizationalUnitName = optional
commonName             = supplied
emailAddress           = optional

[ crl_ext ]
authorityKeyIdentifier = keyid:always
# ExpiredCertsOnCRL (X.509 2.5.29.60): this CA keeps revoked certificates on its CRL after they expire
# (since 2019-01-01), so "not listed" also holds for signer-expired / signer-expired-2025
2.5.29.60              = ASN1:GENERALIZEDTIME:20190101000000Z

[ v3_signer ]
basicConstraints       = CA:FALSE
keyUsage               = critical, digitalSignature, nonRepudiation
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always

[ v3_tsa ]
basicConstraints       = CA:FALSE
keyUsage               = critical, digitalSignature
extendedKeyUsage       = critical, timeStamping
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always

[ v3_ocsp ]
basicConstraints       = CA:FALSE
keyUsage               = critical, digitalSignature
extendedKeyUsage       = critical, OCSPSigning
noCheck                = ignored
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always
CNFEOF

O_PKI="docseal test PKI - NOT FOR PRODUCTION"
O_UBND="Ủy ban nhân dân Quận 1"

key() { echo "$KEYS/$1.TEST-ONLY.key.pem"; }
newdb() {  # newdb NAME CRLNUMBER(hex)
  mkdir -p "$WORK/$1/newcerts"; : > "$WORK/$1/index.txt"; echo "$2" > "$WORK/$1/crlnumber"
}
ca() { CA_DB="$WORK/$1" openssl ca -batch -config "$CNF" "${@:2}"; }

# issue NAME DN EXT FROM TO   (issued by issuing CA G1, database "g1")
issue_g1() {
  local name="$1" dn="$2" ext="$3" from="$4" to="$5"
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$(key "$name")" 2>/dev/null
  openssl req -config "$CNF" -new -utf8 -key "$(key "$name")" -subj "$dn" -sha256 -out "$WORK/$name.csr"
  ca g1 -utf8 -cert "$PKI/intermediate.pem" -keyfile "$(key intermediate)" -in "$WORK/$name.csr" \
    -startdate "$from" -enddate "$to" -md sha256 -extensions "$ext" -notext -out "$PKI/$name.pem" 2>/dev/null
}

# index.txt line for an EXISTING certificate (status V): lets `openssl ocsp -index` answer "good" for it
index_line() {
  local pem="$1" serial enddate subj
  serial="$(openssl x509 -in "$pem" -noout -serial | cut -d= -f2)"
  enddate="$(openssl x509 -in "$pem" -noout -enddate | cut -d= -f2)"
  enddate="$(date -u -d "$enddate" +%y%m%d%H%M%SZ)"
  subj="$(openssl x509 -in "$pem" -noout -subject -nameopt compat | sed 's/^subject=//')"
  printf 'V\t%s\t\t%s\tunknown\t%s\n' "$enddate" "$serial" "$subj"
}
# set_revocation DB PEM YYMMDDHHMMSSZ REASON: revoke, then overwrite the revocation date in index.txt
# (openssl ca -revoke always records "now"; field 3 of index.txt is "revocationDate[,reason]")
set_revocation() {
  local db="$1" pem="$2" when="$3" reason="$4" serial
  ca "$db" -cert "$PKI/intermediate.pem" -keyfile "$(key intermediate)" -revoke "$pem" -crl_reason "$reason" 2>/dev/null
  serial="$(openssl x509 -in "$pem" -noout -serial | cut -d= -f2)"
  awk -F'\t' -v OFS='\t' -v s="$serial" -v w="$when" -v r="$reason" \
    '$4 == s { $3 = w "," r } { print }' "$WORK/$db/index.txt" > "$WORK/$db/index.tmp"
  mv "$WORK/$db/index.tmp" "$WORK/$db/index.txt"
  grep -q "	$when,$reason	$serial	" "$WORK/$db/index.txt"
}
gencrl() {  # gencrl DB ISSUER MD THIS NEXT OUT
  ca "$1" -gencrl -cert "$PKI/$2.pem" -keyfile "$(key "$2")" -md "$3" \
    -crl_lastupdate "$4" -crl_nextupdate "$5" -out "$WORK/crl.pem" 2>/dev/null
  openssl crl -in "$WORK/crl.pem" -outform DER -out "$6"
}

# ---- new certificates (issuing CA G1) ------------------------------------------------------
newdb g1 1000
for c in signer-rsa signer-rsa-pss signer-p256 signer-ed25519 signer-expired signer-wrong-ku tsa; do
  [ -f "$PKI/$c.pem" ] && index_line "$PKI/$c.pem" >> "$WORK/g1/index.txt"
done
issue_g1 tsa-2019 "/C=VN/O=$O_PKI/CN=docseal TEST Time Stamping Authority 2019" v3_tsa "$TSA19_FROM" "$GOOD_TO"
issue_g1 ocsp-g1 "/C=VN/O=$O_PKI/CN=docseal TEST OCSP Responder for Issuing CA G1" v3_ocsp "$GOOD_FROM" "$GOOD_TO"
issue_g1 signer-revoked-early "/C=VN/O=$O_UBND/CN=Bùi Thị Lan (REVOKED 2026-03-01 keyCompromise TEST signer)" \
  v3_signer "$GOOD_FROM" "$GOOD_TO"
issue_g1 signer-revoked-late "/C=VN/O=$O_UBND/CN=Đặng Văn Minh (REVOKED 2026-09-01 superseded TEST signer)" \
  v3_signer "$GOOD_FROM" "$GOOD_TO"
# expired at the validation time, but - unlike make_pki.sh's signer-expired (2020..2021) - INSIDE the validity of
# issuing CA G1 and root G1 (2025..2045): past validation at a 2025 POE has a non-empty validity intersection
issue_g1 signer-expired-2025 "/C=VN/O=$O_UBND/CN=Lý Thị Mai (EXPIRED 2026-01-01 TEST signer)" \
  v3_signer "$GOOD_FROM" 260101000000Z

# ---- stale CRL of issuing CA G1 (before any revocation), CRL number 0x0FFF ---------------------
newdb g1-stale 0FFF
gencrl g1-stale intermediate sha256 20250101000000Z 20250201000000Z "$PKI/crl/stale/issuing-g1-2025.crl"

# ---- revocations + current CRLs ------------------------------------------------------------
set_revocation g1 "$PKI/signer-revoked-early.pem" "$REVOKED_EARLY" keyCompromise
set_revocation g1 "$PKI/signer-revoked-late.pem" "$REVOKED_LATE" superseded
gencrl g1 intermediate sha256 "$CRL_THIS" "$CRL_NEXT" "$PKI/crl/issuing-g1.crl"
newdb root-g1 1000
gencrl root-g1 root sha256 "$CRL_THIS" "$CRL_NEXT" "$PKI/crl/root-g1.crl"
newdb root-g2 1000
gencrl root-g2 root-g2 sha384 "$CRL_THIS" "$CRL_NEXT" "$PKI/crl/root-g2.crl"
newdb g2 1000
gencrl g2 intermediate-g2 sha384 "$CRL_THIS" "$CRL_NEXT" "$PKI/crl/issuing-g2.crl"

# ---- OCSP responses (the index of database g1: signer-rsa/-p256 good, the two revoked signers revoked) ----
ocsp() {  # ocsp RSIGNER CERT OUT
  openssl ocsp -index "$WORK/g1/index.txt" -rsigner "$PKI/$1.pem" -rkey "$(key "$1")" \
    -CA "$PKI/intermediate.pem" -issuer "$PKI/intermediate.pem" -cert "$PKI/$2.pem" -no_nonce \
    -ndays 2000 -respout "$PKI/ocsp/$3" >/dev/null 2>&1
}
ocsp ocsp-g1      signer-rsa           signer-rsa-good.ocsp
ocsp ocsp-g1      signer-revoked-early signer-revoked-early.ocsp
ocsp intermediate signer-p256          signer-p256-good-by-ca.ocsp
ocsp signer-p256  signer-rsa           signer-rsa-unauthorized.ocsp
ocsp ocsp-g1      tsa                  tsa-good.ocsp
ocsp ocsp-g1      tsa-2019             tsa-2019-good.ocsp

# ---- sanity -------------------------------------------------------------------------------
AT=1900000000
v() { openssl verify -attime "$AT" -x509_strict "$@" >/dev/null; }
if v -CAfile "$PKI/root.pem" -untrusted "$PKI/intermediate.pem" "$PKI/signer-expired-2025.pem" 2>/dev/null; then
  echo "make_revocation.sh: signer-expired-2025 unexpectedly valid at $AT" >&2; exit 1; fi
v -attime 1748736000 -CAfile "$PKI/root.pem" -untrusted "$PKI/intermediate.pem" "$PKI/signer-expired-2025.pem"
for s in tsa-2019 ocsp-g1 signer-revoked-early signer-revoked-late; do
  v -CAfile "$PKI/root.pem" -untrusted "$PKI/intermediate.pem" "$PKI/$s.pem"
done
cat "$PKI/root.pem" "$PKI/intermediate.pem" > "$WORK/chain.pem"
for c in root-g1 issuing-g1; do
  openssl crl -inform DER -in "$PKI/crl/$c.crl" -noout -CAfile "$WORK/chain.pem" 2>&1 | grep -q "verify OK"
done
openssl crl -inform DER -in "$PKI/crl/issuing-g1.crl" -noout -text > "$WORK/crl.txt"
grep -q "Key Compromise" "$WORK/crl.txt" && grep -q "Superseded" "$WORK/crl.txt" \
  && grep -q "Mar  1 00:00:00 2026 GMT" "$WORK/crl.txt" && grep -q "Sep  1 00:00:00 2026 GMT" "$WORK/crl.txt"
# openssl's own OCSP client accepts the delegated and the CA-signed responses, and the revoked status
# (the unauthorized one must fail verification)
ov() { openssl ocsp -respin "$PKI/ocsp/$1" -CAfile "$WORK/chain.pem" -issuer "$PKI/intermediate.pem" \
         -cert "$PKI/$2.pem" -no_nonce 2>&1; }
ov signer-rsa-good.ocsp signer-rsa | grep -q "Response verify OK"
ov signer-rsa-good.ocsp signer-rsa | grep -q "signer-rsa.pem: good"
ov signer-revoked-early.ocsp signer-revoked-early | grep -q "signer-revoked-early.pem: revoked"
ov signer-p256-good-by-ca.ocsp signer-p256 | grep -q "Response verify OK"
ov tsa-good.ocsp tsa | grep -q "tsa.pem: good"
ov tsa-2019-good.ocsp tsa-2019 | grep -q "tsa-2019.pem: good"
if ov signer-rsa-unauthorized.ocsp signer-rsa | grep -q "Response verify OK"; then
  echo "make_revocation.sh: unauthorized OCSP response unexpectedly verifies" >&2; exit 1; fi
echo "make_revocation.sh: TSA 2019, OCSP responder, revoked signers, CRLs, OCSP responses written to $PKI"
