#!/usr/bin/env bash
# make_pki.sh - build the docseal TEST PKI with the openssl CLI only.
#
# !!! ALL KEYS PRODUCED HERE ARE TEST-ONLY KEYS. THEY ARE PUBLISHED IN A PUBLIC
# !!! REPOSITORY. NEVER TRUST ANY OF THESE CERTIFICATES OUTSIDE OF TESTS.
#
# Output: testdata/pki/*.pem|*.der, private keys in testdata/pki/keys/*.TEST-ONLY.key.pem
# (PKCS#8 PEM, unencrypted). Re-running regenerates everything (new keys, new serials).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PKI="$(cd "$HERE/.." && pwd)/pki"
KEYS="$PKI/keys"
mkdir -p "$PKI" "$KEYS"
rm -f "$PKI"/*.pem "$PKI"/*.der "$KEYS"/*.pem
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/newcerts"
: > "$WORK/index.txt"

# Validity windows (UTCTime, YYMMDDHHMMSSZ).
GOOD_FROM=250101000000Z   # 2025-01-01T00:00:00Z
GOOD_TO=450101000000Z     # 2045-01-01T00:00:00Z
EXP_FROM=200101000000Z    # 2020-01-01T00:00:00Z
EXP_TO=210101000000Z      # 2021-01-01T00:00:00Z

export CA_WORK="$WORK"
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
dir              = $ENV::CA_WORK
database         = $dir/index.txt
new_certs_dir    = $dir/newcerts
rand_serial      = yes
unique_subject   = no
policy           = policy_anything
preserve         = yes
email_in_dn      = no
copy_extensions  = none
string_mask      = utf8only
default_md       = sha256
default_days     = 7305
[ policy_anything ]
countryName            = optional
stateOrProvinceName    = optional
localityName           = optional
organizationName       = optional
organizationalUnitName = optional
commonName             = supplied
emailAddress           = optional

[ v3_root ]
basicConstraints       = critical, CA:TRUE
keyUsage               = critical, keyCertSign, cRLSign
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always

[ v3_intermediate ]
basicConstraints       = critical, CA:TRUE, pathlen:0
keyUsage               = critical, keyCertSign, cRLSign
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always

[ v3_signer ]
basicConstraints       = CA:FALSE
keyUsage               = critical, digitalSignature, nonRepudiation
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always

[ v3_wrong_ku ]
basicConstraints       = CA:FALSE
keyUsage               = critical, keyEncipherment
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always

[ v3_tsa ]
basicConstraints       = CA:FALSE
keyUsage               = critical, digitalSignature
extendedKeyUsage       = critical, timeStamping
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always
CNFEOF

O_PKI="docseal test PKI - NOT FOR PRODUCTION"
ROOT_G1_DN="/C=VN/O=$O_PKI/CN=docseal TEST Root CA G1"
ROOT_G2_DN="/C=VN/O=$O_PKI/CN=docseal TEST Root CA G2"
INT_G1_DN="/C=VN/O=$O_PKI/CN=docseal TEST Issuing CA G1"
INT_G2_DN="/C=VN/O=$O_PKI/CN=docseal TEST Issuing CA G2"
O_UBND="Ủy ban nhân dân Quận 1"

# genkey NAME ALG...  -> keys/NAME.TEST-ONLY.key.pem (PKCS#8)
genkey() {
  local name="$1"; shift
  openssl genpkey "$@" -out "$KEYS/$name.TEST-ONLY.key.pem" 2>/dev/null
}
key() { echo "$KEYS/$1.TEST-ONLY.key.pem"; }

# selfsigned NAME DN MD EXT
selfsigned() {
  local name="$1" dn="$2" md="$3" ext="$4"
  openssl req -config "$CNF" -new -utf8 -key "$(key "$name")" -subj "$dn" -"$md" -out "$WORK/$name.csr"
  openssl ca -batch -config "$CNF" -utf8 -selfsign -keyfile "$(key "$name")" \
    -in "$WORK/$name.csr" -startdate "$GOOD_FROM" -enddate "$GOOD_TO" -md "$md" \
    -extensions "$ext" -notext -out "$PKI/$name.pem" 2>/dev/null
}

# issue NAME DN ISSUER MD EXT FROM TO   (ISSUER = name of issuing cert/key)
issue() {
  local name="$1" dn="$2" issuer="$3" md="$4" ext="$5" from="$6" to="$7"
  local mdopt=()
  [ "$md" != "none" ] && mdopt=(-"$md")
  openssl req -config "$CNF" -new -utf8 -key "$(key "$name")" -subj "$dn" "${mdopt[@]}" -out "$WORK/$name.csr"
  openssl ca -batch -config "$CNF" -utf8 -cert "$PKI/$issuer.pem" -keyfile "$(key "$issuer")" \
    -in "$WORK/$name.csr" -startdate "$from" -enddate "$to" -md "$4" \
    -extensions "$ext" -notext -out "$PKI/$name.pem" 2>/dev/null
}

# ---- keys -------------------------------------------------------------------
genkey root                -algorithm RSA -pkeyopt rsa_keygen_bits:3072
genkey root-g2             -algorithm EC  -pkeyopt ec_paramgen_curve:P-384 -pkeyopt ec_param_enc:named_curve
genkey intermediate        -algorithm RSA -pkeyopt rsa_keygen_bits:2048
genkey intermediate-g2     -algorithm EC  -pkeyopt ec_paramgen_curve:P-256 -pkeyopt ec_param_enc:named_curve
genkey signer-rsa          -algorithm RSA -pkeyopt rsa_keygen_bits:2048
genkey signer-rsa-pss      -algorithm RSA -pkeyopt rsa_keygen_bits:3072
genkey signer-p256         -algorithm EC  -pkeyopt ec_paramgen_curve:P-256 -pkeyopt ec_param_enc:named_curve
genkey signer-p384         -algorithm EC  -pkeyopt ec_paramgen_curve:P-384 -pkeyopt ec_param_enc:named_curve
genkey signer-ed25519      -algorithm ED25519
genkey signer-expired      -algorithm RSA -pkeyopt rsa_keygen_bits:2048
genkey signer-wrong-ku     -algorithm RSA -pkeyopt rsa_keygen_bits:2048
genkey tsa                 -algorithm RSA -pkeyopt rsa_keygen_bits:2048
genkey rogue-root          -algorithm RSA -pkeyopt rsa_keygen_bits:3072
genkey rogue-intermediate  -algorithm RSA -pkeyopt rsa_keygen_bits:2048
genkey signer-rogue        -algorithm RSA -pkeyopt rsa_keygen_bits:2048

# ---- CAs --------------------------------------------------------------------
selfsigned root    "$ROOT_G1_DN" sha256 v3_root
selfsigned root-g2 "$ROOT_G2_DN" sha384 v3_root
issue intermediate    "$INT_G1_DN" root    sha256 v3_intermediate "$GOOD_FROM" "$GOOD_TO"
issue intermediate-g2 "$INT_G2_DN" root-g2 sha384 v3_intermediate "$GOOD_FROM" "$GOOD_TO"

# ---- signers ----------------------------------------------------------------
issue signer-rsa     "/C=VN/O=$O_UBND/OU=Phòng Quản lý đô thị/CN=Nguyễn Văn An" \
      intermediate sha256 v3_signer "$GOOD_FROM" "$GOOD_TO"
issue signer-rsa-pss "/C=VN/O=$O_UBND/OU=Phòng Quản lý đô thị/CN=Lê Minh Khoa (RSA-PSS test signer)" \
      intermediate sha256 v3_signer "$GOOD_FROM" "$GOOD_TO"
issue signer-p256    "/C=VN/O=Sở Kế hoạch và Đầu tư TP Hồ Chí Minh/CN=Trần Thị Bích" \
      intermediate sha256 v3_signer "$GOOD_FROM" "$GOOD_TO"
issue signer-p384    "/C=VN/O=Sở Tài nguyên và Môi trường/CN=Phạm Quốc Dũng (P-384 test signer)" \
      intermediate-g2 sha384 v3_signer "$GOOD_FROM" "$GOOD_TO"
issue signer-ed25519 "/C=VN/O=$O_UBND/CN=Võ Thị Hạnh (Ed25519 test signer)" \
      intermediate sha256 v3_signer "$GOOD_FROM" "$GOOD_TO"
issue signer-expired "/C=VN/O=$O_UBND/CN=Đỗ Văn Hùng (EXPIRED test signer)" \
      intermediate sha256 v3_signer "$EXP_FROM" "$EXP_TO"
issue signer-wrong-ku "/C=VN/O=$O_UBND/CN=Hoàng Văn Tú (wrong keyUsage test signer)" \
      intermediate sha256 v3_wrong_ku "$GOOD_FROM" "$GOOD_TO"
issue tsa "/C=VN/O=$O_PKI/CN=docseal TEST Time Stamping Authority" \
      intermediate sha256 v3_tsa "$GOOD_FROM" "$GOOD_TO"

# ---- rogue hierarchy: same DNs as the real G1 CAs, different keys -------------
selfsigned rogue-root "$ROOT_G1_DN" sha256 v3_root
issue rogue-intermediate "$INT_G1_DN" rogue-root sha256 v3_intermediate "$GOOD_FROM" "$GOOD_TO"
issue signer-rogue "/C=VN/O=$O_UBND/OU=Phòng Quản lý đô thị/CN=Nguyễn Văn An" \
      rogue-intermediate sha256 v3_signer "$GOOD_FROM" "$GOOD_TO"

# ---- derived files ----------------------------------------------------------
openssl x509 -in "$PKI/root.pem" -outform DER -out "$PKI/root.der"
cp "$PKI/root.pem" "$PKI/anchor.pem"
cp "$PKI/root.der" "$PKI/anchor.der"
cat "$PKI/root.pem" "$PKI/root-g2.pem" > "$PKI/bundle.pem"

# sanity: every good chain verifies at a fixed time (2030-03-17T17:46:40Z)
AT=1900000000
v() { openssl verify -attime "$AT" -x509_strict "$@" >/dev/null; }
for s in signer-rsa signer-rsa-pss signer-p256 signer-ed25519 signer-wrong-ku tsa; do
  v -CAfile "$PKI/root.pem" -untrusted "$PKI/intermediate.pem" "$PKI/$s.pem"
done
v -CAfile "$PKI/root-g2.pem" -untrusted "$PKI/intermediate-g2.pem" "$PKI/signer-p384.pem"
if v -CAfile "$PKI/root.pem" -untrusted "$PKI/intermediate.pem" "$PKI/signer-expired.pem" 2>/dev/null; then
  echo "signer-expired unexpectedly valid" >&2; exit 1; fi
if v -CAfile "$PKI/root.pem" -untrusted "$PKI/rogue-intermediate.pem" "$PKI/signer-rogue.pem" 2>/dev/null; then
  echo "rogue chain unexpectedly valid" >&2; exit 1; fi
echo "make_pki.sh: PKI written to $PKI (openssl: $(openssl version))"
