#!/usr/bin/env python3
"""Verify QR result certificates issued by docseal with independent implementations.

pycose (COSE_Sign1 signature), cbor2 (CBOR), base45 (RFC 9285), Python's zlib and
cryptography (X.509 parsing): nothing here comes from docseal. tests/it/qr_interop.rs runs this
script on payloads that docseal's QrIssuer just issued; versions are pinned in
requirements.txt beside this file.

Usage:
    verify_with_pycose.py --cert SIGNER.der [--prefix VN1:] TEXT...
    verify_with_pycose.py --cert SIGNER.der < texts.txt      (one text per line)

For each text, in this order: the prefix; Base45; zlib (capped at 64 KiB, one complete stream,
nothing after it); CBOR tag 18 around a 4-element COSE_Sign1 array; a protected header with
alg ES256 (-7) or EdDSA (-8) matching the certificate's key type, and kid = the first 8 bytes
of SHA-256(certificate DER); an empty-AAD signature that pycose verifies with the
certificate's public key (ES256: raw r||s, 64 bytes); then the CWT claims (RFC 8392): a map
with iss (1) text, exp (4) int, iat (6) int, nbf (5) int if present, and the docseal result map
under the private claim -70000 with the field types of src/qr/payload.rs.

Prints one JSON line per valid text on stdout ({"alg", "kid", "claims"}, byte strings as hex),
and for each invalid text a line "<index>: <stage>: <why>" on stderr. Exit status: 0 when every
text is valid, 1 when any is not, 2 on a usage error.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
import zlib
from collections.abc import Mapping

import base45
import cbor2
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from pycose.algorithms import EdDSA, Es256
from pycose.headers import KID, Algorithm
from pycose.keys import EC2Key, OKPKey
from pycose.keys.curves import P256, Ed25519
from pycose.messages import Sign1Message

MAX_INFLATED = 64 * 1024  # as docseal (src/qr/mod.rs MAX_INFLATED): a QR code holds < 3 KB
COSE_SIGN1_TAG = 18
CLAIM_ISS, CLAIM_EXP, CLAIM_NBF, CLAIM_IAT = 1, 4, 5, 6
CLAIM_RESULT = -70000
# docseal result map (src/qr/payload.rs): key -> (field, type, required)
RESULT_FIELDS = {
    1: ("procedure_code", str, True),
    2: ("dossier_no", str, True),
    3: ("decision_no", str, True),
    4: ("holder_name", str, True),
    5: ("holder_id_sha256", bytes, True),
    6: ("issuer_name", str, True),
    7: ("issue_date", str, True),
    8: ("valid_until", str, False),
    9: ("document_sha256", bytes, True),
    10: ("url", str, False),
}


class Invalid(Exception):
    def __init__(self, stage: str, why: str):
        super().__init__(f"{stage}: {why}")


def is_int(v) -> bool:
    return type(v) is int  # bool is a subclass of int; CBOR true is not an integer


def verify(text: str, prefix: str, cert_der: bytes) -> dict:
    if not text.startswith(prefix):
        raise Invalid("prefix", f"starts with {text[:8]!r}, not {prefix!r}")
    try:
        compressed = base45.b45decode(text[len(prefix):])
    except Exception as e:  # the base45 package raises ValueError (and others on bad input)
        raise Invalid("base45", repr(e)) from e
    inflater = zlib.decompressobj()
    try:
        cose = inflater.decompress(compressed, MAX_INFLATED)
    except zlib.error as e:
        raise Invalid("zlib", str(e)) from e
    if inflater.unconsumed_tail:
        raise Invalid("zlib", f"inflates beyond {MAX_INFLATED} bytes")
    if not inflater.eof or inflater.unused_data:
        raise Invalid("zlib", "not exactly one complete zlib stream")

    try:
        obj = cbor2.loads(cose)
    except Exception as e:
        raise Invalid("cose", f"not CBOR: {e!r}") from e
    if not (isinstance(obj, cbor2.CBORTag) and obj.tag == COSE_SIGN1_TAG):
        raise Invalid("cose", "not tagged 18 (COSE_Sign1), as docseal issues it")
    arr = obj.value
    if not (isinstance(arr, (list, tuple)) and len(arr) == 4):
        raise Invalid("cose", "COSE_Sign1 is not a 4-element array")
    phdr_bytes, uhdr, payload, signature = arr
    if not (isinstance(phdr_bytes, bytes) and isinstance(uhdr, Mapping)
            and isinstance(payload, bytes) and isinstance(signature, bytes)):
        raise Invalid("cose", "COSE_Sign1 element types are not bstr, map, bstr, bstr")
    try:
        phdr = cbor2.loads(phdr_bytes) if phdr_bytes else {}
    except Exception as e:
        raise Invalid("cose", f"protected header is not CBOR: {e!r}") from e
    if not isinstance(phdr, Mapping):
        raise Invalid("cose", "protected header is not a map")

    cert = x509.load_der_x509_certificate(cert_der)
    public = cert.public_key()
    alg = phdr.get(1)
    if alg == Es256.identifier:
        if not (isinstance(public, ec.EllipticCurvePublicKey)
                and isinstance(public.curve, ec.SECP256R1)):
            raise Invalid("cose", "alg ES256 but the certificate key is not P-256")
        if len(signature) != 64:
            raise Invalid("signature", f"ES256 signature is {len(signature)} bytes, not raw r||s")
        numbers = public.public_numbers()
        key = EC2Key(crv=P256, x=numbers.x.to_bytes(32, "big"), y=numbers.y.to_bytes(32, "big"))
    elif alg == EdDSA.identifier:
        if not isinstance(public, ed25519.Ed25519PublicKey):
            raise Invalid("cose", "alg EdDSA but the certificate key is not Ed25519")
        raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        key = OKPKey(crv=Ed25519, x=raw)
    else:
        raise Invalid("cose", f"protected alg {alg!r} is neither ES256 (-7) nor EdDSA (-8)")
    kid = phdr.get(4)
    want_kid = hashlib.sha256(cert_der).digest()[:8]
    if kid != want_kid:
        shown = kid.hex() if isinstance(kid, bytes) else repr(kid)
        raise Invalid("kid", f"protected kid {shown} is not SHA-256(certificate)[:8] = "
                      f"{want_kid.hex()}")

    # cbor2 decodes tag contents as immutable (tuple / frozendict): thaw the header for pycose.
    msg = Sign1Message.from_cose_obj([phdr_bytes, dict(uhdr), payload, signature], True)
    msg.key = key
    if msg.phdr.get(Algorithm) not in (Es256, EdDSA) or msg.phdr.get(KID) != want_kid:
        raise Invalid("cose", "pycose reads a different protected header")
    try:
        ok = msg.verify_signature()
    except Exception as e:
        raise Invalid("signature", f"pycose: {e!r}") from e
    if not ok:
        raise Invalid("signature", "pycose: the signature does not verify with the certificate key")

    try:
        claims = cbor2.loads(payload)
    except Exception as e:
        raise Invalid("claims", f"payload is not CBOR: {e!r}") from e
    return {"alg": "ES256" if alg == Es256.identifier else "EdDSA", "kid": kid.hex(),
            "claims": check_claims(claims)}


def check_claims(claims) -> dict:
    if not isinstance(claims, Mapping):
        raise Invalid("claims", "the CWT claims are not a map")
    if not all(is_int(k) for k in claims):
        raise Invalid("claims", "a claim key is not an integer")
    out = {}
    if not isinstance(claims.get(CLAIM_ISS), str):
        raise Invalid("claims", f"iss (1) is {claims.get(CLAIM_ISS)!r}, not text")
    out["iss"] = claims[CLAIM_ISS]
    for key, name in ((CLAIM_EXP, "exp"), (CLAIM_IAT, "iat")):
        if not is_int(claims.get(key)):
            raise Invalid("claims", f"{name} ({key}) is {claims.get(key)!r}, not an integer")
        out[name] = claims[key]
    if CLAIM_NBF in claims:
        if not is_int(claims[CLAIM_NBF]):
            raise Invalid("claims", f"nbf (5) is {claims[CLAIM_NBF]!r}, not an integer")
        out["nbf"] = claims[CLAIM_NBF]
    result = claims.get(CLAIM_RESULT)
    if not isinstance(result, Mapping):
        raise Invalid("claims", f"the private claim {CLAIM_RESULT} is not a map")
    unknown = set(result) - set(RESULT_FIELDS)
    if unknown:
        raise Invalid("claims", f"result map has unknown keys {sorted(unknown, key=repr)}")
    out["result"] = {}
    for key, (name, kind, required) in RESULT_FIELDS.items():
        if key not in result:
            if required:
                raise Invalid("claims", f"result field {name} ({key}) is missing")
            continue
        value = result[key]
        if type(value) is not kind or (kind is bytes and len(value) != 32):
            raise Invalid("claims", f"result field {name} ({key}) is {value!r}, "
                          f"not {'32 bytes' if kind is bytes else 'text'}")
        out["result"][name] = value.hex() if kind is bytes else value
    extra = set(claims) - {CLAIM_ISS, CLAIM_EXP, CLAIM_NBF, CLAIM_IAT, CLAIM_RESULT}
    if extra:
        raise Invalid("claims", f"unexpected claims {sorted(extra)}")
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cert", required=True, help="signer certificate, DER")
    parser.add_argument("--prefix", default="VN1:", help="expected context prefix (VN1:)")
    parser.add_argument("texts", nargs="*", help="payload texts (default: lines of stdin)")
    args = parser.parse_args()
    with open(args.cert, "rb") as f:
        cert_der = f.read()
    texts = args.texts or [line.rstrip("\r\n") for line in sys.stdin if line.strip()]
    if not texts:
        print("no payload text given", file=sys.stderr)
        return 2
    failed = 0
    for i, text in enumerate(texts):
        try:
            print(json.dumps(verify(text, args.prefix, cert_der), ensure_ascii=False))
        except Invalid as e:
            failed += 1
            print(f"{i}: {e}", file=sys.stderr)
    print(f"{len(texts) - failed} valid, {failed} invalid", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
