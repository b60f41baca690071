#!/usr/bin/env python3
"""Generate the QR "result certificate" fixtures for docseal (testdata/qr/).

TEST-ONLY. Every private key written by this script is published on purpose and is derived
from a fixed, public seed string: anyone can recompute it. Never trust these keys/certs.

Independent implementations only (not docseal): pycose (COSE_Sign1), cbor2 (CBOR), base45
(RFC 9285), zlib (stdlib), segno (QR rendering), cryptography (keys, X.509).

Usage (from any cwd):
    pip install -r testdata/qr/gen/requirements.txt
    python3 testdata/qr/gen/make_qr.py

Output is deterministic: keys come from fixed seeds (RSA primes from a SHA-256 counter stream
over the seed), certificates are signed with RFC 6979 deterministic ECDSA, pycose's ES256 uses
RFC 6979 (python-ecdsa sign_deterministic) and Ed25519 is deterministic by definition. A second
run reproduces identical bytes (checked by `--check`, which regenerates into a temp dir and
compares), except the PS256 signatures: RSASSA-PSS draws a random salt, so for the files in
RANDOMIZED `--check` compares everything but the signature.

After writing, every fixture is decoded again from its .txt and checked against manifest.json
by an independent reference verifier in this file (pycose verify + cryptography cross-check).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import os
import shutil
import sys
import tempfile
import zlib
from collections.abc import Mapping

import base45
import cbor2
import segno
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from cryptography.x509.oid import NameOID
from pycose.algorithms import EdDSA, Es256, Ps256
from pycose.headers import KID, Algorithm
from pycose.keys import CoseKey
from pycose.messages import Sign1Message

NOW = 1900000000  # 2030-03-17T17:46:40Z, the validation time of every fixture
DAY = 86400
IAT = NOW - DAY
EXP = NOW + 365 * DAY

CLAIM_ISS, CLAIM_EXP, CLAIM_NBF, CLAIM_IAT = 1, 4, 5, 6
CLAIM_VN1 = -70000
CLAIM_HCERT = -260

EKU_TEST = "1.3.6.1.4.1.1847.2021.1.1"
EKU_VAC = "1.3.6.1.4.1.1847.2021.1.2"
EKU_REC = "1.3.6.1.4.1.1847.2021.1.3"

MAX_INFLATE = 64 * 1024  # the reference verifier's inflate cap (HCERT payloads are a few hundred bytes)

HOLDER_ID = "079090001234"  # fictitious 12-digit citizen ID; only its SHA-256 is in the payload
DOCUMENT_BYTES = b"docseal QR test document v1\n"  # document_sha256 = SHA-256 of exactly these bytes

ORG = "docseal test PKI - NOT FOR PRODUCTION"


# ----------------------------------------------------------------------------------------------
# keys and certificates
# ----------------------------------------------------------------------------------------------

def seed(label: str) -> bytes:
    return hashlib.sha256(b"docseal-qr-TEST-ONLY-seed:" + label.encode()).digest()


def p256_key(label: str) -> ec.EllipticCurvePrivateKey:
    n = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551
    d = int.from_bytes(seed(label), "big") % (n - 1) + 1
    return ec.derive_private_key(d, ec.SECP256R1())


def ed25519_key(label: str) -> ed25519.Ed25519PrivateKey:
    return ed25519.Ed25519PrivateKey.from_private_bytes(seed(label))


def rsa_key(label: str, bits: int) -> rsa.RSAPrivateKey:
    """A TEST-ONLY RSA key whose primes come from SHA-256(seed || counter): reproducible."""
    counter = [0]

    def stream(n_bytes: int) -> int:
        out = b""
        while len(out) < n_bytes:
            out += hashlib.sha256(seed(label) + counter[0].to_bytes(8, "big")).digest()
            counter[0] += 1
        return int.from_bytes(out[:n_bytes], "big")

    def probably_prime(n: int) -> bool:
        for p in (3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37):
            if n % p == 0:
                return n == p
        d, r = n - 1, 0
        while d % 2 == 0:
            d, r = d // 2, r + 1
        for _ in range(40):  # Miller-Rabin with bases from the same stream
            a = stream(bits // 16) % (n - 3) + 2
            x = pow(a, d, n)
            if x in (1, n - 1):
                continue
            for _ in range(r - 1):
                x = pow(x, 2, n)
                if x == n - 1:
                    break
            else:
                return False
        return True

    e = 65537

    def prime() -> int:
        while True:
            c = stream(bits // 16) | (3 << (bits // 2 - 2)) | 1  # top two bits: n has `bits` bits
            if probably_prime(c) and (c - 1) % e != 0:
                return c

    p, q = prime(), prime()
    n = p * q
    assert n.bit_length() == bits
    d = pow(e, -1, (p - 1) * (q - 1))
    return rsa.RSAPrivateNumbers(p, q, d, d % (p - 1), d % (q - 1), pow(q, -1, p),
                                 rsa.RSAPublicNumbers(e, n)).private_key()


def name(cn: str, country: str = "VN") -> x509.Name:
    return x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, country),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, ORG),
        x509.NameAttribute(NameOID.COMMON_NAME, cn),
    ])


NOT_BEFORE = dt.datetime(2025, 1, 1, tzinfo=dt.timezone.utc)
NOT_AFTER = dt.datetime(2040, 1, 1, tzinfo=dt.timezone.utc)


def make_cert(subject_cn, subject_key, issuer_cn, issuer_key, serial, *, ca=False, ekus=None,
              issuer_pub=None):
    pub = subject_key.public_key()
    b = (x509.CertificateBuilder()
         .subject_name(name(subject_cn))
         .issuer_name(name(issuer_cn))
         .public_key(pub)
         .serial_number(serial)
         .not_valid_before(NOT_BEFORE)
         .not_valid_after(NOT_AFTER)
         .add_extension(x509.BasicConstraints(ca=ca, path_length=0 if ca else None), critical=True)
         .add_extension(x509.SubjectKeyIdentifier.from_public_key(pub), critical=False)
         .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(
             issuer_pub or issuer_key.public_key()), critical=False))
    if ca:
        b = b.add_extension(x509.KeyUsage(
            digital_signature=False, content_commitment=False, key_encipherment=False,
            data_encipherment=False, key_agreement=False, key_cert_sign=True, crl_sign=True,
            encipher_only=False, decipher_only=False), critical=True)
    else:
        b = b.add_extension(x509.KeyUsage(
            digital_signature=True, content_commitment=False, key_encipherment=False,
            data_encipherment=False, key_agreement=False, key_cert_sign=False, crl_sign=False,
            encipher_only=False, decipher_only=False), critical=True)
    if ekus:
        b = b.add_extension(x509.ExtendedKeyUsage([x509.ObjectIdentifier(o) for o in ekus]),
                            critical=False)
    if isinstance(issuer_key, ed25519.Ed25519PrivateKey):
        return b.sign(issuer_key, None)
    return b.sign(issuer_key, hashes.SHA256(), ecdsa_deterministic=True)


def kid_of(cert: x509.Certificate) -> bytes:
    return hashlib.sha256(cert.public_bytes(serialization.Encoding.DER)).digest()[:8]


# name -> (kind, issuer or None(self-signed), ekus)
PKI = {
    # VN1 (docseal permits)
    "vn1_ca":         ("p256", None, None, "docseal QR TEST CA"),
    "vn1_es256":      ("p256", "vn1_ca", None, "docseal QR TEST signer ES256 (VN-HCM-QH1)"),
    "vn1_eddsa":      ("ed25519", "vn1_ca", None, "docseal QR TEST signer EdDSA (VN-HCM-QH1)"),
    "vn1_es256_b":    ("p256", "vn1_ca", None, "docseal QR TEST signer ES256 B (VN-HCM-QH1)"),
    "vn1_untrusted":  ("p256", None, None, "docseal QR TEST UNTRUSTED self-signed signer"),
    # HC1 (EU DCC)
    "hc1_csca":       ("p256", None, None, "docseal QR TEST CSCA"),
    "hc1_dsc":        ("p256", "hc1_csca", None, "docseal QR TEST DSC (all types)"),
    "hc1_dsc_test":   ("p256", "hc1_csca", [EKU_TEST], "docseal QR TEST DSC (test only)"),
    "hc1_dsc_vac":    ("p256", "hc1_csca", [EKU_VAC], "docseal QR TEST DSC (vaccination only)"),
    # PS256 (RSASSA-PSS, DCC spec's second algorithm); the 1024-bit key must not verify
    "hc1_dsc_rsa":    ("rsa2048", "hc1_csca", None, "docseal QR TEST DSC RSA-2048 (PS256)"),
    "hc1_dsc_rsa1024": ("rsa1024", "hc1_csca", None, "docseal QR TEST DSC RSA-1024 (too small)"),
}


def build_pki(out: str):
    keys, certs = {}, {}
    os.makedirs(os.path.join(out, "keys"), exist_ok=True)
    os.makedirs(os.path.join(out, "certs"), exist_ok=True)
    for serial, (n, (kind, issuer, ekus, cn)) in enumerate(PKI.items(), start=0x1001):
        if kind == "p256":
            k = p256_key(n)
        elif kind.startswith("rsa"):
            k = rsa_key(n, int(kind[3:]))
        else:
            k = ed25519_key(n)
        keys[n] = k
        is_ca = n in ("vn1_ca", "hc1_csca")
        if issuer is None:
            c = make_cert(cn, k, cn, k, serial, ca=is_ca, ekus=ekus)
        else:
            c = make_cert(cn, k, PKI[issuer][3], keys[issuer], serial, ca=is_ca, ekus=ekus)
        certs[n] = c
        with open(os.path.join(out, "keys", f"TEST-ONLY_{n}.key.pem"), "wb") as f:
            f.write(k.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                    serialization.NoEncryption()))
        with open(os.path.join(out, "certs", cert_file(n)), "wb") as f:
            f.write(c.public_bytes(serialization.Encoding.DER))
    return keys, certs


def cert_file(n: str) -> str:
    return f"TEST-ONLY_{n}.der"


def cert_path(n: str) -> str:
    return "certs/" + cert_file(n)


# ----------------------------------------------------------------------------------------------
# payloads
# ----------------------------------------------------------------------------------------------

def vn1_result():
    return {
        1: "1.009972",
        2: "HCM-QH1-2030-000123",
        3: "123/GPXD",
        4: "Nguyễn Văn An",
        5: hashlib.sha256(HOLDER_ID.encode()).digest(),
        6: "Ủy ban nhân dân Quận 1",
        7: "2030-03-16",
        8: "2031-03-16",
        9: hashlib.sha256(DOCUMENT_BYTES).digest(),
        10: "https://dichvucong.example.vn/v/HCM-QH1-2030-000123",
    }


def vn1_claims(exp=EXP, nbf=None, iat=IAT):
    c = {CLAIM_ISS: "VN-HCM-QH1", CLAIM_EXP: exp}
    if nbf is not None:
        c[CLAIM_NBF] = nbf
    c[CLAIM_IAT] = iat
    c[CLAIM_VN1] = vn1_result()
    return c


def hc1_vaccination():
    return {
        "ver": "1.3.0",
        "nam": {"fn": "Nguyễn", "fnt": "NGUYEN", "gn": "Văn An", "gnt": "VAN<AN"},
        "dob": "1990-01-01",
        "v": [{
            "tg": "840539006",
            "vp": "1119349007",
            "mp": "EU/1/20/1528",
            "ma": "ORG-100030215",
            "dn": 2,
            "sd": 2,
            "dt": "2029-06-01",
            "co": "VN",
            "is": "Ministry of Health TEST",
            "ci": "URN:UVCI:01:VN:DOCSEALTEST0001",
        }],
    }


def hc1_claims(exp=EXP, iat=IAT):
    return {CLAIM_ISS: "VN", CLAIM_EXP: exp, CLAIM_IAT: iat, CLAIM_HCERT: {1: hc1_vaccination()}}


# ----------------------------------------------------------------------------------------------
# COSE / transport
# ----------------------------------------------------------------------------------------------

def cose_sign1(claims, key, kid: bytes, *, tagged=True, kid_in_unprotected=False) -> bytes:
    if isinstance(key, ed25519.Ed25519PrivateKey):
        alg = EdDSA
    elif isinstance(key, rsa.RSAPrivateKey):
        alg = Ps256  # pycose: PSS, MGF1-SHA-256, salt length 32 (RFC 8230 §2)
    else:
        alg = Es256
    phdr = {Algorithm: alg}
    uhdr = {}
    if kid_in_unprotected:
        uhdr[KID] = kid
    else:
        phdr[KID] = kid
    msg = Sign1Message(phdr=phdr, uhdr=uhdr, payload=cbor2.dumps(claims))
    msg.key = CoseKey._from_cryptography_key(key)
    return msg.encode(tag=tagged)


def transport(prefix: str, cose: bytes) -> str:
    return prefix + base45.b45encode(zlib.compress(cose, 9)).decode("ascii")


def raw_transport(prefix: str, data: bytes) -> str:
    """Base45 of `data` as is (an uncompressed COSE, or a deliberately broken zlib stream)."""
    return prefix + base45.b45encode(data).decode("ascii")


def flip_signature_byte(cose: bytes) -> bytes:
    obj = cbor2.loads(cose)
    tagged = isinstance(obj, cbor2.CBORTag)
    arr = list(obj.value if tagged else obj)
    sig = bytearray(arr[3])
    sig[-1] ^= 0x01
    arr[3] = bytes(sig)
    out = cbor2.dumps(cbor2.CBORTag(18, arr) if tagged else arr)
    assert len(out) == len(cose) and sum(a != b for a, b in zip(out, cose)) == 1
    return out


# ----------------------------------------------------------------------------------------------
# generation
# ----------------------------------------------------------------------------------------------

def generate(out: str):
    keys, certs = build_pki(out)
    kid = {n: kid_of(c) for n, c in certs.items()}
    vn1_trust = [cert_path("vn1_es256"), cert_path("vn1_eddsa")]
    hc1_trust = [cert_path("hc1_dsc"), cert_path("hc1_dsc_test"), cert_path("hc1_dsc_vac")]
    cases = []  # (name, text, trust, verdict, stage, note, png, at)

    def add(n, text, trust, verdict, stage, note, png=False, at=NOW):
        cases.append((n, text, trust, verdict, stage, note, png, at))

    es = cose_sign1(vn1_claims(), keys["vn1_es256"], kid["vn1_es256"])
    add("vn1_es256", transport("VN1:", es), vn1_trust, "valid", None,
        "typical docseal permit; ES256, tagged COSE_Sign1, kid in protected header", True)
    add("vn1_eddsa", transport("VN1:", cose_sign1(vn1_claims(), keys["vn1_eddsa"], kid["vn1_eddsa"])),
        vn1_trust, "valid", None, "EdDSA (Ed25519) signer", True)
    add("vn1_untagged",
        transport("VN1:", cose_sign1(vn1_claims(), keys["vn1_es256"], kid["vn1_es256"], tagged=False)),
        vn1_trust, "valid", None, "COSE_Sign1 without CBOR tag 18 (allowed by HCERT)", True)
    add("vn1_kid_unprotected",
        transport("VN1:", cose_sign1(vn1_claims(), keys["vn1_es256"], kid["vn1_es256"],
                                     kid_in_unprotected=True)),
        vn1_trust, "valid", None, "kid only in the unprotected header; protected holds only alg", True)
    add("vn1_kid_collision",
        transport("VN1:", cose_sign1(vn1_claims(), keys["vn1_es256_b"], kid["vn1_es256"])),
        [cert_path("vn1_es256"), cert_path("vn1_es256_b")], "invalid", "signature",
        "signed by cert B (vn1_es256_b) but carries the kid of cert A (vn1_es256); both trusted. "
        "Only certificates whose kid matches are tried, so only A is tried and its signature check fails")
    add("vn1_bad_signature", transport("VN1:", flip_signature_byte(es)), vn1_trust, "invalid",
        "signature", "vn1_es256 with the last signature byte XOR 0x01")
    add("vn1_wrong_key",
        transport("VN1:", cose_sign1(vn1_claims(), keys["vn1_untrusted"], kid["vn1_untrusted"])),
        vn1_trust, "indeterminate", "issuer_trusted",
        "well-formed, signed by a self-signed key whose certificate is not in the trust list (kid unknown)")
    add("vn1_expired",
        transport("VN1:", cose_sign1(vn1_claims(exp=NOW - 1), keys["vn1_es256"], kid["vn1_es256"])),
        vn1_trust, "invalid", "time", "exp = at - 1; signature valid")
    add("vn1_exp_boundary",
        transport("VN1:", cose_sign1(vn1_claims(exp=NOW), keys["vn1_es256"], kid["vn1_es256"])),
        vn1_trust, "invalid", "time",
        "exp = at exactly; RFC 8392/7519: MUST NOT be accepted on or after exp; signature valid")
    add("vn1_exp_boundary", None, vn1_trust, "valid", None,
        "the same file one second earlier (at = exp - 1): still valid", at=NOW - 1)
    add("vn1_not_yet",
        transport("VN1:", cose_sign1(vn1_claims(nbf=NOW + 10), keys["vn1_es256"], kid["vn1_es256"])),
        vn1_trust, "invalid", "time", "nbf = at + 10; signature valid")
    good = transport("VN1:", es)
    add("bad_prefix", "VN2:" + good[4:], vn1_trust, "invalid", "prefix",
        "vn1_es256 with prefix VN2: instead of VN1:")
    # base45 body with characters outside the RFC 9285 alphabet (lower case, '!', '#')
    body = good[4:]
    bad45 = "VN1:" + body[:10] + "ab!#" + body[14:]
    add("bad_base45", bad45, vn1_trust, "invalid", "base45",
        "vn1_es256 with 4 body characters replaced by 'ab!#' (not in the base45 alphabet)")
    # 2 MiB inflate from ~2 KB: the text (~3 100 chars) fits one QR code (max 4 296), so a decoder
    # that caps the text length first still has to cap the inflated size (64 KiB in docseal).
    bomb = zlib.compress(bytes(2 * 1024 * 1024), 9)
    add("zlib_bomb", "VN1:" + base45.b45encode(bomb).decode(), vn1_trust, "invalid", "zlib",
        f"valid zlib stream ({len(bomb)} bytes) inflating to 2 MiB of zeros (32 times docseal's "
        "64 KiB cap) in a text that fits one QR code; the decoder must cap the inflated size")
    add("not_cose", "VN1:" + base45.b45encode(zlib.compress(cbor2.dumps(42), 9)).decode(),
        vn1_trust, "invalid", "cose", "zlib of the CBOR unsigned integer 42 (0x18 0x2a)")
    add("hc1_vaccination",
        transport("HC1:", cose_sign1(hc1_claims(), keys["hc1_dsc"], kid["hc1_dsc"])),
        hc1_trust, "valid", None, "EU DCC vaccination; DSC has no EU DCC EKU (all types allowed)", True)
    add("hc1_eku_forbids",
        transport("HC1:", cose_sign1(hc1_claims(), keys["hc1_dsc_test"], kid["hc1_dsc_test"])),
        hc1_trust, "invalid", "key_usage",
        "EU DCC vaccination signed by a DSC whose EKU allows only test (1.3.6.1.4.1.1847.2021.1.1); "
        "signature valid")
    add("hc1_eku_allows",
        transport("HC1:", cose_sign1(hc1_claims(), keys["hc1_dsc_vac"], kid["hc1_dsc_vac"])),
        hc1_trust, "valid", None,
        "EU DCC vaccination signed by a DSC whose EKU allows vaccination (1.3.6.1.4.1.1847.2021.1.2)", True)

    # ---- EU DCC interop classes (issue 13 §1), each after a dgc-testdata class ----
    hc1_dcc_trust = hc1_trust + [cert_path("hc1_dsc_rsa"), cert_path("hc1_dsc_rsa1024")]
    ps = cose_sign1(hc1_claims(), keys["hc1_dsc_rsa"], kid["hc1_dsc_rsa"])
    add("hc1_ps256", transport("HC1:", ps), hc1_dcc_trust, "valid", None,
        "PS256 (COSE -37: RSASSA-PSS, SHA-256, MGF1-SHA-256, 32-byte salt; RFC 8230) signed by the "
        "RSA-2048 DSC hc1_dsc_rsa; HCERT allows PS256 as its second algorithm")
    add("hc1_ps256_bad_signature", transport("HC1:", flip_signature_byte(ps)), hc1_dcc_trust,
        "invalid", "signature", "hc1_ps256 with the last signature byte XOR 0x01")
    add("hc1_ps256_rsa1024",
        transport("HC1:", cose_sign1(hc1_claims(), keys["hc1_dsc_rsa1024"], kid["hc1_dsc_rsa1024"])),
        hc1_dcc_trust, "invalid", "signature",
        "PS256 by an RSA-1024 DSC (mathematically valid signature); RFC 8230 §6.1: keys below "
        "2048 bits MUST NOT be used, so it must not verify")
    add("hc1_float_dates",
        transport("HC1:", cose_sign1(hc1_claims(exp=EXP + 0.75, iat=IAT + 0.25), keys["hc1_dsc"],
                                     kid["hc1_dsc"])),
        hc1_trust, "valid", None,
        "exp and iat as CBOR floats (RFC 8392 §2 NumericDate may be non-integer): exp = EXP + 0.75 "
        "(read as EXP, rounded down), iat = IAT + 0.25 (read as IAT + 1, rounded up)")
    add("hc1_tag1_dates",
        transport("HC1:", cose_sign1(hc1_claims(exp=cbor2.CBORTag(1, EXP),
                                                iat=cbor2.CBORTag(1, IAT + 0.5)),
                                     keys["hc1_dsc"], kid["hc1_dsc"])),
        hc1_trust, "valid", None,
        "exp = tag 1 (epoch date/time, RFC 8949 §3.4.2) around the integer EXP, iat = tag 1 around "
        "the float IAT + 0.5")
    add("hc1_float_exp_nan",
        transport("HC1:", cose_sign1(hc1_claims(exp=float("nan")), keys["hc1_dsc"], kid["hc1_dsc"])),
        hc1_trust, "invalid", "cose", "exp = NaN (a float that is no date)")
    add("hc1_exp_boundary",
        transport("HC1:", cose_sign1(hc1_claims(exp=NOW), keys["hc1_dsc"], kid["hc1_dsc"])),
        hc1_trust, "valid", None,
        "exp = at exactly: the DCC test vectors expect a certificate still valid at exp")
    add("hc1_exp_boundary", None, hc1_trust, "invalid", "time",
        "the same file one second later (at = exp + 1): expired", at=NOW + 1)
    cose_hc1 = cose_sign1(hc1_claims(), keys["hc1_dsc"], kid["hc1_dsc"])
    z = zlib.compress(cose_hc1, 9)
    add("hc1_uncompressed", raw_transport("HC1:", cose_hc1), hc1_trust, "valid", None,
        "COSE_Sign1 Base45-encoded without zlib (HCERT allows an uncompressed payload)")
    add("hc1_zlib_truncated", raw_transport("HC1:", z[:-3]), hc1_trust, "invalid", "zlib",
        "zlib stream of hc1_vaccination's COSE without its last 3 bytes (Adler-32 cut)")
    bad_adler = z[:-1] + bytes([z[-1] ^ 0x01])
    add("hc1_zlib_bad_adler", raw_transport("HC1:", bad_adler), hc1_trust, "invalid", "zlib",
        "complete zlib stream whose Adler-32 has its last bit flipped (RFC 1950 §2.2)")
    add("hc1_zlib_trailing", raw_transport("HC1:", z + b"\x00garbage"), hc1_trust, "invalid",
        "zlib", "complete, correct zlib stream followed by 8 bytes of garbage")

    manifest, qr_versions = [], {}
    for n, text, trust, verdict, stage, note, png, at in cases:
        if text is None:  # another row for a file written above, at another time
            manifest.append({"file": n + ".txt", "trust": trust, "at": at,
                             "expect": {"verdict": verdict, "failed_stage": stage}, "note": note})
            continue
        with open(os.path.join(out, n + ".txt"), "w", encoding="ascii", newline="") as f:
            f.write(text)
        if png:
            q = segno.make(text, error="q", micro=False, boost_error=False)
            q.save(os.path.join(out, n + ".png"), scale=4, border=4)
            qr_versions[n] = (q.version, q.error, q.mode, len(text))
        manifest.append({"file": n + ".txt", "trust": trust, "at": at,
                         "expect": {"verdict": verdict, "failed_stage": stage}, "note": note})
    with open(os.path.join(out, "manifest.json"), "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=2, ensure_ascii=False)
        f.write("\n")
    info = {"kid": {n: kid[n].hex() for n in kid}, "qr": qr_versions}
    with open(os.path.join(out, "gen", "last_run.json"), "w") as f:
        json.dump(info, f, indent=2)
        f.write("\n")
    return info


# ----------------------------------------------------------------------------------------------
# independent reference verifier (used only to check the fixtures against manifest.json)
# ----------------------------------------------------------------------------------------------

class Fail(Exception):
    def __init__(self, verdict, stage, why):
        super().__init__(f"{verdict}/{stage}: {why}")
        self.verdict, self.stage = verdict, stage


def cross_check_signature(cert: x509.Certificate, msg: Sign1Message) -> bool:
    """Second opinion with cryptography (not pycose) over the Sig_structure."""
    to_be_signed = cbor2.dumps(["Signature1", msg.phdr_encoded, b"", msg.payload])
    pub = cert.public_key()
    sig = msg.signature
    try:
        if isinstance(pub, ed25519.Ed25519PublicKey):
            pub.verify(sig, to_be_signed)
        elif isinstance(pub, rsa.RSAPublicKey):  # PS256: RFC 8230 §2, salt = hash length
            pub.verify(sig, to_be_signed,
                       padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32),
                       hashes.SHA256())
        else:
            if len(sig) != 64:
                return False
            der = encode_dss_signature(int.from_bytes(sig[:32], "big"), int.from_bytes(sig[32:], "big"))
            pub.verify(der, to_be_signed, ec.ECDSA(hashes.SHA256()))
        return True
    except Exception:
        return False


def verify(text: str, trust_certs: list[x509.Certificate], at: int):
    if text.startswith("VN1:"):
        kind = "VN1"
    elif text.startswith("HC1:"):
        kind = "HC1"
    else:
        raise Fail("invalid", "prefix", "unknown prefix")
    try:
        z = base45.b45decode(text[4:])
    except Exception as e:
        raise Fail("invalid", "base45", repr(e))
    try:
        if len(z) >= 2 and z[0] & 0x0F == 8 and ((z[0] << 8) | z[1]) % 31 == 0:
            d = zlib.decompressobj()
            raw = d.decompress(z, MAX_INFLATE)
            if d.unconsumed_tail or not d.eof:
                raise ValueError("inflate cap exceeded or stream truncated")
            if d.unused_data:
                raise ValueError("bytes after the end of the zlib stream")
        else:
            raw = z  # HCERT: uncompressed COSE is allowed
    except Exception as e:
        raise Fail("invalid", "zlib", repr(e))
    try:
        obj = cbor2.loads(raw)
        if isinstance(obj, cbor2.CBORTag):
            if obj.tag != 18:
                raise ValueError("tag")
            obj = obj.value
        if not (isinstance(obj, (list, tuple)) and len(obj) == 4):
            raise ValueError("not a COSE_Sign1 array")
        # cbor2 6.x decodes tag contents as immutable (tuple / frozendict): thaw them for pycose
        if not isinstance(obj[1], Mapping):
            raise ValueError("unprotected header not a map")
        msg = Sign1Message.from_cose_obj([obj[0], dict(obj[1]), obj[2], obj[3]], True)
        claims = cbor2.loads(msg.payload)
        if not isinstance(claims, Mapping):
            raise ValueError("claims not a map")
        # NumericDate (RFC 8392 §2): int or float, optionally in tag 1 (RFC 8949 §3.4.2);
        # a fraction never extends validity: exp rounded down, nbf/iat up.
        dates = {}
        for key, rnd in ((CLAIM_EXP, math.floor), (CLAIM_NBF, math.ceil), (CLAIM_IAT, math.ceil)):
            v = claims.get(key)
            if isinstance(v, dt.datetime):  # cbor2 decodes tag 1 (int or float) to a datetime
                v = v.timestamp() if v.microsecond else int(v.timestamp())
            if v is None or isinstance(v, bool):
                dates[key] = None if v is None else ValueError
            elif isinstance(v, int):
                dates[key] = v
            elif isinstance(v, float) and math.isfinite(v):
                dates[key] = rnd(v)
            else:
                raise ValueError(f"claim {key} is not a NumericDate: {v!r}")
        if dates[CLAIM_EXP] is None:
            raise ValueError("no exp")
        kid = msg.phdr.get(KID) or msg.uhdr.get(KID)
        if not kid:
            raise ValueError("no kid")
    except Exception as e:
        raise Fail("invalid", "cose", repr(e))
    candidates = [c for c in trust_certs if kid_of(c) == kid]
    if not candidates:
        raise Fail("indeterminate", "issuer_trusted", "no trusted cert with kid " + kid.hex())
    signer = None
    for c in candidates:
        pub = c.public_key()
        if isinstance(pub, rsa.RSAPublicKey) and pub.key_size < 2048:
            continue  # RFC 8230 §6.1: RSA keys below 2048 bits MUST NOT be used
        msg.key = CoseKey._from_cryptography_key(pub)
        ok = msg.verify_signature()
        if ok != cross_check_signature(c, msg):
            raise AssertionError("pycose and cryptography disagree")
        if ok:
            signer = c
            break
    if signer is None:
        raise Fail("invalid", "signature", "no candidate verified")
    exp = dates[CLAIM_EXP]
    # VN1: RFC 8392 §3.1.4 (not on or after exp); HC1: valid at exactly exp (DCC test vectors)
    if at > exp or (kind == "VN1" and at == exp):
        raise Fail("invalid", "time", f"exp {exp}")
    nbf = dates[CLAIM_NBF]
    if nbf is not None and at < nbf:
        raise Fail("invalid", "time", f"nbf {nbf}")
    if kind == "HC1":
        dcc = claims[CLAIM_HCERT][1]
        try:
            eku = [o.dotted_string for o in
                   signer.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value]
        except x509.ExtensionNotFound:
            eku = []
        dcc_ekus = {EKU_TEST: "t", EKU_VAC: "v", EKU_REC: "r"}
        allowed = {dcc_ekus[o] for o in eku if o in dcc_ekus}
        if allowed:
            for t in ("v", "t", "r"):
                if t in dcc and t not in allowed:
                    raise Fail("invalid", "key_usage", f"type {t} not in {allowed}")
    else:
        r = claims[CLAIM_VN1]
        assert isinstance(r[5], bytes) and len(r[5]) == 32 and len(r[9]) == 32
    return "valid", None


CHECKS = [0]  # number of checks run (for the closing "N passed, N failed" line)


def check_all(out: str) -> int:
    with open(os.path.join(out, "manifest.json"), encoding="utf-8") as f:
        manifest = json.load(f)
    bad = 0
    for e in manifest:
        with open(os.path.join(out, e["file"]), "rb") as f:
            data = f.read()
        assert not data.endswith(b"\n"), e["file"]
        trust = []
        for p in e["trust"]:
            with open(os.path.join(out, p), "rb") as f:
                trust.append(x509.load_der_x509_certificate(f.read()))
        try:
            got = verify(data.decode("ascii"), trust, e["at"])
        except Fail as fl:
            got = (fl.verdict, fl.stage)
        want = (e["expect"]["verdict"], e["expect"]["failed_stage"])
        CHECKS[0] += 1
        status = "ok  " if got == want else "FAIL"
        bad += got != want
        print(f"{status} {e['file']:28} want {want} got {got}")
    return bad


def inflate_txt(out, name):
    with open(os.path.join(out, name + ".txt")) as f:
        return zlib.decompress(base45.b45decode(f.read()[4:]))


def sanity(out: str) -> int:
    """Extra checks beyond the manifest verdicts. Returns the number of failures."""
    bad = 0

    def check(cond, what):
        nonlocal bad
        CHECKS[0] += 1
        bad += not cond
        print(("ok   " if cond else "FAIL ") + what)

    def load(n):
        with open(os.path.join(out, cert_path(n)), "rb") as f:
            return x509.load_der_x509_certificate(f.read())

    # kid_collision really is signed by B (and carries A's kid)
    obj = cbor2.loads(inflate_txt(out, "vn1_kid_collision"))
    msg = Sign1Message.from_cose_obj([obj.value[0], dict(obj.value[1]), obj.value[2], obj.value[3]], True)
    msg.key = CoseKey._from_cryptography_key(load("vn1_es256_b").public_key())
    check(msg.verify_signature() and cross_check_signature(load("vn1_es256_b"), msg)
          and msg.phdr[KID] == kid_of(load("vn1_es256")),
          "vn1_kid_collision: verifies with cert B, kid is cert A's")
    # bad_signature differs from vn1_es256 in exactly one byte, inside the signature
    a, b = inflate_txt(out, "vn1_es256"), inflate_txt(out, "vn1_bad_signature")
    diffs = [i for i in range(len(a)) if a[i] != b[i]]
    check(len(a) == len(b) and diffs == [len(a) - 1], "vn1_bad_signature: one flipped bit in the last signature byte")
    # ES256 signatures are raw r||s (64 bytes)
    check(len(cbor2.loads(a).value[3]) == 64, "ES256 signature is 64 raw bytes")
    # hc1_ps256_bad_signature: one flipped bit in a 256-byte PS256 signature
    a, b = inflate_txt(out, "hc1_ps256"), inflate_txt(out, "hc1_ps256_bad_signature")
    diffs = [i for i in range(len(a)) if a[i] != b[i]]
    check(len(a) == len(b) and diffs == [len(a) - 1] and len(cbor2.loads(a).value[3]) == 256,
          "hc1_ps256_bad_signature: one flipped bit in the last byte of a 256-byte PS256 signature")
    # the RSA-1024 case is a mathematically valid PS256 signature (refused for its key size only)
    obj = cbor2.loads(inflate_txt(out, "hc1_ps256_rsa1024")).value
    msg = Sign1Message.from_cose_obj([obj[0], dict(obj[1]), obj[2], obj[3]], True)
    msg.key = CoseKey._from_cryptography_key(load("hc1_dsc_rsa1024").public_key())
    check(msg.verify_signature() and cross_check_signature(load("hc1_dsc_rsa1024"), msg),
          "hc1_ps256_rsa1024: the signature itself verifies with the 1024-bit key")
    # the float / tag-1 dates are encoded as such
    f = cbor2.loads(cbor2.loads(inflate_txt(out, "hc1_float_dates")).value[2])
    check(isinstance(f[CLAIM_EXP], float) and isinstance(f[CLAIM_IAT], float),
          "hc1_float_dates: exp and iat are CBOR floats")
    t = cbor2.loads(inflate_txt(out, "hc1_tag1_dates")).value[2]  # claims, raw bytes
    check(b"\x04\xc1\x1a" in t and b"\x06\xc1\xfb" in t,
          "hc1_tag1_dates: exp is tag 1 around an integer, iat tag 1 around a float64")
    # the PNGs decode back to the exact .txt (only if zbarimg is installed)
    zbar = shutil.which("zbarimg")
    for fn in sorted(os.listdir(out)):
        if fn.endswith(".png") and zbar:
            import subprocess
            r = subprocess.run([zbar, "--raw", "-q", "-Sbinary", os.path.join(out, fn)],
                               capture_output=True)
            with open(os.path.join(out, fn[:-4] + ".txt"), "rb") as f:
                want = f.read()
            check(r.stdout.rstrip(b"\n") == want, f"{fn}: zbarimg decodes to the exact .txt")
    if not zbar:
        print("skip PNG round trip (zbarimg not installed: apt-get install zbar-tools)")
    return bad


# PS256 signatures have a random salt (RFC 8017 §9.1.1): --check compares these without them.
RANDOMIZED = {"hc1_ps256.txt", "hc1_ps256_bad_signature.txt", "hc1_ps256_rsa1024.txt"}


def unsigned(text: bytes) -> list:
    """The COSE_Sign1 of a payload text without its signature."""
    return list(cbor2.loads(zlib.decompress(base45.b45decode(text[4:].decode()))).value[:3])


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    out = os.path.dirname(here)
    if "--check" in sys.argv:  # determinism check: regenerate into a temp dir and compare
        tmp = tempfile.mkdtemp()
        try:
            os.makedirs(os.path.join(tmp, "gen"))
            generate(tmp)
            diff = []
            for root, _, files in os.walk(tmp):
                for fn in files:
                    rel = os.path.relpath(os.path.join(root, fn), tmp)
                    with open(os.path.join(root, fn), "rb") as a, open(os.path.join(out, rel), "rb") as b:
                        x, y = a.read(), b.read()
                        if x != y and not (rel in RANDOMIZED and unsigned(x) == unsigned(y)):
                            diff.append(rel)
            print("identical" if not diff else "DIFFERENT: " + ", ".join(diff))
            sys.exit(1 if diff else 0)
        finally:
            shutil.rmtree(tmp)
    info = generate(out)
    print(json.dumps(info, indent=2))
    bad = check_all(out)
    bad += sanity(out)
    print(f"{CHECKS[0] - bad} passed, {bad} failed")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
