"""Tests of the QR classes of the ctypes binding (QrVerifier, QrReport, QrIssuer) against the
committed fixtures of testdata/qr (made by pycose + cbor2 + segno; expected verdicts in
testdata/qr/manifest.json). Run as test_docseal.py is:

    DOCSEAL_LIB=target/debug/libdocseal.so python3 -m unittest discover -s python/tests -v
"""

import base64
import json
import struct
import subprocess
import threading
import unittest
import zlib

from test_docseal import AT, NO_REPO, REPO, cargo_target_dir  # also puts python/ first on sys.path

import docseal  # noqa: E402
from docseal import (  # noqa: E402
    ClosedError,
    QrIssuer,
    QrVerifier,
    Status,
    Verdict,
)

#: The officer CLI of the same build, in cargo's target directory (CARGO_TARGET_DIR included).
_TARGET = cargo_target_dir()
VERIFY_PERMIT = _TARGET / "debug" / "examples" / "verify_permit" if _TARGET else None

STAGE_KEYS = {
    "prefix": "prefix_ok",
    "base45": "base45_ok",
    "zlib": "zlib_ok",
    "cose": "cose_ok",
    "issuer_trusted": "issuer_trusted",
    "signature": "signature_ok",
    "time": "time_ok",
    "key_usage": "key_usage_ok",
}


def qr(name):
    return REPO / "testdata" / "qr" / name


def show(report):
    """Failure messages print the report JSON (STYLE §6)."""
    return f"QR report JSON:\n{report.json}"


def blank_png(side=32):
    """A white 8-bit grey PNG: a valid image without any QR code."""

    def chunk(kind, data):
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    raw = b"".join(b"\x00" + b"\xff" * side for _ in range(side))
    header = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def pem(der, label="CERTIFICATE"):
    body = base64.encodebytes(der).decode("ascii")
    return f"-----BEGIN {label}-----\n{body}-----END {label}-----\n".encode("ascii")


def pem_body(path):
    """The DER inside a one-block PEM file."""
    lines = path.read_text(encoding="ascii").strip().splitlines()
    return base64.b64decode("".join(lines[1:-1]))


def sample_claims():
    return json.loads((REPO / "examples" / "sample_claims.json").read_text(encoding="utf-8"))


class StatusAssertions(unittest.TestCase):
    def assertStatus(self, status, cls, call, *args, **kwargs):
        """``call`` raises the error class of ``status``, with a message."""
        with self.assertRaises(docseal.DocsealError) as caught:
            call(*args, **kwargs)
        self.assertEqual(caught.exception.status, status, caught.exception)
        self.assertIsInstance(caught.exception, cls)
        self.assertTrue(caught.exception.message)
        return caught.exception


@unittest.skipIf(REPO is None, NO_REPO)
class QrFixtures(unittest.TestCase):
    def test_every_manifest_row_gets_its_verdict_and_failed_stage(self):
        rows = json.loads(qr("manifest.json").read_text(encoding="utf-8"))
        self.assertGreaterEqual(len(rows), 17)
        for row in rows:
            with self.subTest(row["file"]):
                signers = [qr(p) for p in row["trust"]]
                text = qr(row["file"]).read_text(encoding="utf-8")
                with QrVerifier(signers=signers) as v, v.verify_text(text, row["at"]) as r:
                    want = Verdict[row["expect"]["verdict"].upper()]
                    self.assertIs(r.verdict, want, show(r))
                    self.assertEqual(r.symbol_count, 1)
                    self.assertIs(r.symbol_verdict(0), want)
                    (symbol,) = r.data
                    stage = row["expect"]["failed_stage"]
                    failed = [s["stage"] for s in symbol["stages"] if not s["ok"]]
                    self.assertEqual(failed[:1], [stage] if stage else [], show(r))
                    self.assertIs(symbol["qr_decoded"], True)
                    self.assertIsNone(symbol["qr_text"])
                    for name, key in STAGE_KEYS.items():
                        if stage is None:
                            self.assertIs(symbol[key], True, f"{key}\n{show(r)}")
                        elif name == stage:
                            self.assertIs(symbol[key], False, f"{key}\n{show(r)}")

    def test_png_fixtures_read_and_verify(self):
        vn1 = [qr("certs/TEST-ONLY_vn1_es256.der"), qr("certs/TEST-ONLY_vn1_eddsa.der")]
        hc1 = [qr("certs")]  # a directory of certificates
        with QrVerifier(signers=vn1) as v_vn1, QrVerifier(signers=hc1) as v_hc1:
            for png in sorted(qr("").glob("*.png")):
                with self.subTest(png.name):
                    v = v_hc1 if png.name.startswith("hc1") else v_vn1
                    # bytes and a path give the same report
                    for source in (png, png.read_bytes()):
                        with v.verify_image(source, AT) as r:
                            self.assertIs(r.verdict, Verdict.VALID, show(r))
                            self.assertEqual(r.symbol_count, 1)
                            text = png.with_suffix(".txt").read_text(encoding="utf-8").strip()
                            self.assertEqual(r.data[0]["qr_text"], text)

    def test_hcert_is_in_the_json(self):
        with QrVerifier(signers=qr("certs")) as v:
            r = v.verify_text(qr("hc1_vaccination.txt").read_text(encoding="utf-8"), AT)
        self.assertIs(r.verdict, Verdict.VALID, show(r))
        self.assertEqual(r.data[0]["hcert"]["ver"], "1.3.0")  # claim -260 key 1
        self.assertEqual(r.data[0]["prefix"], "HC1")

    def test_unknown_signer_is_indeterminate_not_an_error(self):
        with QrVerifier() as v, v.verify_image(qr("vn1_es256.png"), AT) as r:
            self.assertIs(r.verdict, Verdict.INDETERMINATE, show(r))
            self.assertIs(r.data[0]["issuer_trusted"], False)

    def test_garbage_text_is_an_invalid_report(self):
        with QrVerifier(signers=qr("certs")) as v:
            for text in ("", "hello", "VN1:", b"HC1:%%%%"):
                with self.subTest(text), v.verify_text(text, AT) as r:
                    self.assertIs(r.verdict, Verdict.INVALID, show(r))

    @unittest.skipUnless(
        VERIFY_PERMIT is not None and VERIFY_PERMIT.is_file(),
        f"{VERIFY_PERMIT or 'debug/examples/verify_permit'} is not built "
        "(cargo build --example verify_permit; .ci/run builds it)",
    )
    def test_same_json_as_verify_permit(self):
        cert = "qr/certs/TEST-ONLY_vn1_es256.der"
        cli = subprocess.run(
            [
                str(VERIFY_PERMIT),
                "--qr-trust",
                cert,
                "--at",
                "2030-03-17T17:46:40Z",
                "--json",
                "qr/vn1_es256.png",
                "qr/vn1_expired.txt",
            ],
            cwd=REPO / "testdata",
            capture_output=True,
            text=True,
            timeout=120,
        )
        self.assertEqual(cli.returncode, 1, cli.stderr)  # the expired one is INVALID
        png, expired = json.loads(cli.stdout)
        for entry in (png, expired):
            del entry["file"]
        with QrVerifier(signers=qr("certs/TEST-ONLY_vn1_es256.der")) as v:
            self.assertEqual(v.verify_image(qr("vn1_es256.png"), AT).data, [png])
            text = qr("vn1_expired.txt").read_text(encoding="utf-8")
            self.assertEqual(v.verify_text(text, AT).data, [expired])


@unittest.skipIf(REPO is None, NO_REPO)
class QrErrors(StatusAssertions):
    @classmethod
    def setUpClass(cls):
        cls.verifier = QrVerifier(signers=qr("certs"))

    @classmethod
    def tearDownClass(cls):
        cls.verifier.close()

    def test_bad_images(self):
        for data in (b"", b"not an image", blank_png()[:40], qr("vn1_es256.txt").read_bytes()):
            with self.subTest(data[:12]):
                self.assertStatus(
                    Status.BAD_IMAGE, docseal.BadImageError, self.verifier.verify_image, data, AT
                )

    def test_image_without_a_code(self):
        e = self.assertStatus(
            Status.NO_QR_CODE, docseal.NoQrCodeError, self.verifier.verify_image, blank_png(), AT
        )
        self.assertIn("no QR code", e.message)

    def test_text_not_utf8(self):
        self.assertStatus(
            Status.INVALID_UTF8,
            docseal.InvalidUtf8Error,
            self.verifier.verify_text,
            b"VN1:\xff",
            AT,
        )

    def test_time_out_of_range(self):
        for at in (-(2**63), 300_000_000_000):
            self.assertStatus(
                Status.INVALID_ARGUMENT,
                docseal.InvalidArgumentError,
                self.verifier.verify_text,
                "VN1:",
                at,
            )
            self.assertStatus(
                Status.INVALID_ARGUMENT,
                docseal.InvalidArgumentError,
                self.verifier.verify_image,
                blank_png(),
                at,
            )

    def test_bad_signers(self):
        self.assertStatus(
            Status.BAD_CERTIFICATE, docseal.BadCertificateError, QrVerifier, signers=[b"garbage"]
        )
        self.assertStatus(Status.IO, docseal.IoError, QrVerifier, signers=[qr("certs/missing.der")])
        with self.assertRaises(TypeError):
            QrVerifier(signers=[42])

    def test_symbol_index(self):
        with self.verifier.verify_text("VN1:", AT) as r:
            self.assertStatus(
                Status.INDEX_OUT_OF_RANGE, docseal.IndexOutOfRangeError, r.symbol_verdict, 1
            )
            with self.assertRaises(IndexError):
                r.symbol_verdict(-1)
            with self.assertRaises(TypeError):
                r.symbol_verdict("0")


@unittest.skipIf(REPO is None, NO_REPO)
class QrIssuing(StatusAssertions):
    KEY = "keys/TEST-ONLY_vn1_es256.key.pem"
    CERT = "certs/TEST-ONLY_vn1_es256.der"

    def test_issue_print_verify_round_trip(self):
        claims = sample_claims()
        with QrIssuer(qr(self.KEY), qr(self.CERT)) as issuer:
            text = issuer.issue(claims)
        self.assertTrue(text.startswith("VN1:"), text)
        with QrVerifier(signers=qr(self.CERT)) as v:
            with v.verify_text(text, AT) as r:
                self.assertIs(r.verdict, Verdict.VALID, show(r))
                self.assertEqual(r.data[0]["claims"], claims)
            png = QrIssuer.print_png(text)
            self.assertTrue(png.startswith(b"\x89PNG"))
            with v.verify_image(png, AT) as r:
                self.assertIs(r.verdict, Verdict.VALID, show(r))
                self.assertEqual(r.data[0]["qr_text"], text)
        svg = QrIssuer.print_svg(text, dots=2)
        self.assertIn("<svg", svg)

    def test_key_and_certificate_forms(self):
        der_key = pem_body(qr(self.KEY))
        der_cert = qr(self.CERT).read_bytes()
        ed_key = qr("keys/TEST-ONLY_vn1_eddsa.key.pem")
        ed_cert = qr("certs/TEST-ONLY_vn1_eddsa.der")
        for key, cert in (
            (der_key, der_cert),
            (der_key, pem(der_cert)),
            (str(qr(self.KEY)), pem(der_cert)),
            (ed_key, ed_cert),
        ):
            with self.subTest(type(key).__name__), QrIssuer(key, cert) as issuer:
                text = issuer.issue(json.dumps(sample_claims()))
                with QrVerifier(signers=[der_cert, ed_cert]) as v:
                    self.assertIs(v.verify_text(text, AT).verdict, Verdict.VALID)

    def test_bad_keys(self):
        cert = qr(self.CERT)
        for key in (
            b"",
            b"garbage",
            qr("keys/TEST-ONLY_vn1_es256_b.key.pem"),  # another key
            qr("keys/TEST-ONLY_vn1_eddsa.key.pem"),  # another algorithm
            pem(b"\x30\x00", "EC PRIVATE KEY"),  # not PKCS#8
        ):
            with self.subTest(key if isinstance(key, bytes) else key.name):
                self.assertStatus(Status.BAD_KEY, docseal.BadKeyError, QrIssuer, key, cert)

    def test_bad_certificates(self):
        key, der = qr(self.KEY), qr(self.CERT).read_bytes()
        self.assertStatus(
            Status.BAD_CERTIFICATE, docseal.BadCertificateError, QrIssuer, key, b"garbage"
        )
        self.assertStatus(
            Status.INVALID_ARGUMENT,
            docseal.InvalidArgumentError,
            QrIssuer,
            key,
            pem(der) + pem(qr("certs/TEST-ONLY_vn1_ca.der").read_bytes()),
        )
        with self.assertRaises(FileNotFoundError):
            QrIssuer(key, qr("certs/missing.der"))

    def test_bad_claims(self):
        bad_digest = sample_claims()
        bad_digest["result"]["document_sha256"] = "not hex"
        misspelt = sample_claims()
        misspelt["reslut"] = misspelt.pop("result")
        extra = sample_claims()
        extra["result"]["holder_nmae"] = "X"
        with QrIssuer(qr(self.KEY), qr(self.CERT)) as issuer:
            for claims in ({"iss": "VN"}, {"exp": "soon"}, "{", "", bad_digest, misspelt, extra):
                with self.subTest(str(claims)[:40]):
                    self.assertStatus(
                        Status.BAD_CLAIMS, docseal.BadClaimsError, issuer.issue, claims
                    )
            self.assertStatus(
                Status.INVALID_UTF8,
                docseal.InvalidUtf8Error,
                issuer.issue,
                b'{"iss": "\xff", "exp": 1}',
            )
            with self.assertRaises(TypeError):
                issuer.issue(42)

    def test_print_errors(self):
        for dots in (0, 33, -1, 2**32):
            with self.subTest(dots):
                self.assertStatus(
                    Status.INVALID_ARGUMENT,
                    docseal.InvalidArgumentError,
                    QrIssuer.print_png,
                    "VN1:",
                    dots,
                )
        self.assertStatus(Status.LIMIT, docseal.LimitError, QrIssuer.print_svg, "A" * 8000)
        with self.assertRaises(TypeError):
            QrIssuer.print_png(b"VN1:")


@unittest.skipIf(REPO is None, NO_REPO)
class QrLifetimes(unittest.TestCase):
    def test_close_and_with(self):
        v = QrVerifier(signers=qr("certs"))
        r = v.verify_text(qr("vn1_es256.txt").read_text(encoding="utf-8"), AT)
        issuer = QrIssuer(
            qr("keys/TEST-ONLY_vn1_es256.key.pem"), qr("certs/TEST-ONLY_vn1_es256.der")
        )
        self.assertIn("VALID", repr(r))
        v.close()
        v.close()
        with self.assertRaises(ClosedError):
            v.verify_text("VN1:", AT)
        with self.assertRaises(ClosedError):
            with v:
                pass
        self.assertIs(r.verdict, Verdict.VALID)  # a report outlives its verifier
        r.close()
        for use in (
            lambda: r.json,
            lambda: r.verdict,
            lambda: r.symbol_count,
            lambda: r.symbol_verdict(0),
        ):
            with self.assertRaises(ClosedError):
                use()
        issuer.close()
        with self.assertRaises(ClosedError):
            issuer.issue(sample_claims())
        for h in (v, r, issuer):
            self.assertIn("closed", repr(h))
            self.assertTrue(h.closed)

    def test_threads_share_a_verifier_and_a_report(self):
        png = qr("vn1_es256.png").read_bytes()
        text = qr("vn1_expired.txt").read_text(encoding="utf-8")
        image_verdicts, shared_verdicts, time_oks, errors = [], [], [], []
        with QrVerifier(signers=qr("certs")) as v, v.verify_text(text, AT) as shared:

            def work():
                try:
                    for _ in range(3):
                        with v.verify_image(png, AT) as r:
                            image_verdicts.append(r.verdict)
                        shared_verdicts.append(shared.verdict)
                        time_oks.append(json.loads(shared.json)[0]["time_ok"])
                except Exception as e:  # pragma: no cover - reported below
                    errors.append(e)

            threads = [threading.Thread(target=work) for _ in range(4)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
        self.assertEqual(errors, [])
        self.assertEqual(image_verdicts, [Verdict.VALID] * 12)
        self.assertEqual(shared_verdicts, [Verdict.INVALID] * 12)
        self.assertEqual(time_oks, [False] * 12)


if __name__ == "__main__":
    unittest.main()
