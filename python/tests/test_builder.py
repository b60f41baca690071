"""The verifier builder through the binding (stdlib unittest): resource limits, the Vietnamese
trust profile and its load report, listing and removing trust anchors by fingerprint, and the
default of the timestamp-authority anchors. Run as test_docseal.py says.

The real Vietnamese roots are read from ../shared/trust/vn next to the repository; the tests
that need them are skipped, with that reason, when it is absent.
"""

import sys
import unittest
from pathlib import Path

HERE = Path(__file__).resolve().parent
if (HERE.parent / "docseal" / "__init__.py").is_file():
    sys.path.insert(0, str(HERE.parent))

import docseal  # noqa: E402
from docseal import (  # noqa: E402
    ClosedError,
    InvalidArgumentError,
    IoError,
    LimitError,
    NotFoundError,
    Status,
    Verdict,
    Verifier,
    VerifierBuilder,
)


def _find_repo():
    for ancestor in [HERE, *HERE.parents]:
        if (ancestor / "include" / "docseal.h").is_file() and (ancestor / "testdata").is_dir():
            return ancestor
    return None


REPO = _find_repo()
NO_REPO = "the docseal repository (include/docseal.h, testdata/) is not above this file"
VN = REPO.parent / "shared" / "trust" / "vn" if REPO is not None else None
NO_VN = f"the real Vietnamese roots ({VN}) are absent"
AT = 1_900_000_000  # 2030-03-17T17:46:40Z, the fixed validation time of the fixtures
NATIONAL_ROOT = "bac8bf609ab420a8ee1780d74f4de5c7f7184959d2a7375b0a75e4c29f0908e7"
GOV_ROOT_G2 = "f04ba4b459a7c9a1b971ad9b1cb833e695a80c79aea63b174b66a70edfe2fdb8"


def pdf(name):
    return REPO / "testdata" / "pdf" / name


def pki(name):
    return REPO / "testdata" / "pki" / name


class Limits(unittest.TestCase):
    def test_defaults_are_the_rust_defaults(self):
        limits = docseal.default_limits()
        self.assertEqual(list(limits), list(docseal.LIMIT_NAMES))
        self.assertEqual(limits["max_pdf_bytes"], 512 * 2**20)
        self.assertEqual(limits["max_revisions"], 256)
        self.assertEqual(limits["max_path_length"], 8)
        self.assertEqual(limits["max_compared_bytes"], 2**30)

    @unittest.skipIf(REPO is None, NO_REPO)
    def test_a_limit_reached_raises_limit_error(self):
        with Verifier(trust=pki("anchor.pem"), limits={"max_pdf_bytes": 100}) as v:
            with self.assertRaises(LimitError) as caught:
                v.verify(pdf("sample_permit.pdf"), AT)
            self.assertEqual(caught.exception.status, Status.LIMIT)
        with VerifierBuilder() as b:
            b.add_trust(pki("anchor.pem")).set_limits(max_pdf_bytes=100)
            b.set_limits()  # every limit back to its default
            with b.build() as v, v.verify(pdf("sample_permit.pdf"), AT) as report:
                self.assertIs(report.verdict, Verdict.VALID, report.json)

    def test_bad_limits(self):
        with VerifierBuilder() as b:
            with self.assertRaises(ValueError):
                b.set_limits(max_pages=3)
            with self.assertRaises(ValueError):
                b.set_limits(max_pdf_bytes=-1)
            with self.assertRaises(ValueError):
                b.set_limits(max_pdf_bytes=2**64)
            with self.assertRaises(TypeError):
                b.set_limits(max_revisions="10")
            with self.assertRaises(TypeError):
                b.set_limits(max_revisions=True)
        with self.assertRaises(ValueError):
            Verifier(limits={"nope": 1})


@unittest.skipIf(REPO is None, NO_REPO)
class TrustAnchors(unittest.TestCase):
    def test_add_appends_list_and_remove(self):
        with VerifierBuilder() as b:
            self.assertEqual(b.trust_anchors(), [])
            b.add_trust(pki("anchor.pem"))
            b.add_trust(pki("root-g2.pem"), pki("anchor.der"))  # anchor.der is anchor.pem
            anchors = b.trust_anchors()
            self.assertEqual(len(anchors), 2, anchors)
            first = anchors[0]["sha256"]
            self.assertRegex(first, r"^[0-9a-f]{64}$")
            self.assertIn("common_name", anchors[0])
            openssl_form = ":".join(first[i : i + 2] for i in range(0, 64, 2)).upper()
            b.remove_trust_anchor(openssl_form)
            self.assertEqual([a["sha256"] for a in b.trust_anchors()], [anchors[1]["sha256"]])
            with b.build() as v, v.verify(pdf("sample_permit.pdf"), AT) as report:
                self.assertIs(report.verdict, Verdict.INDETERMINATE, report.json)
            with self.assertRaises(NotFoundError) as caught:
                b.remove_trust_anchor(first)
            self.assertIsInstance(caught.exception, LookupError)
            with self.assertRaises(InvalidArgumentError):
                b.remove_trust_anchor("31fa")
            with self.assertRaises(TypeError):
                b.remove_trust_anchor(b"31fa")

    def test_builder_builds_several_verifiers_and_closes(self):
        b = VerifierBuilder().add_trust(pki("anchor.pem"))
        with b.build() as v1, b.build() as v2:
            for v in (v1, v2):
                with v.verify(pdf("sample_permit.pdf"), AT) as report:
                    self.assertIs(report.verdict, Verdict.VALID, report.json)
        b.close()
        with self.assertRaises(ClosedError):
            b.trust_anchors()
        with self.assertRaises(ClosedError):
            b.build()

    def test_tsa_anchors_default_to_the_trust_anchors(self):
        # The TSA of this file chains to anchor.pem: its timestamp is the proof of existence
        # of the expired signer only when the TSA is trusted.
        name = "expired_signer_2025_timestamped.pdf"
        crls = pki("crl")
        with Verifier(trust=pki("anchor.pem"), crls=crls) as v, v.verify(pdf(name), AT) as r:
            self.assertIs(r.verdict, Verdict.VALID, r.json)
        with Verifier(trust=pki("anchor.pem"), crls=crls, tsa_trust=pki("root-g2.pem")) as v:
            with v.verify(pdf(name), AT) as r:
                self.assertIs(r.verdict, Verdict.INDETERMINATE, r.json)


@unittest.skipIf(REPO is None, NO_REPO)
class TrustProfile(unittest.TestCase):
    def test_errors(self):
        with VerifierBuilder() as b:
            with self.assertRaises(InvalidArgumentError) as caught:
                b.add_trust_profile("xx", pki(""))
            self.assertIn("vn", caught.exception.message)
            with self.assertRaises(IoError):
                b.add_trust_profile("vn", REPO / "testdata" / "no" / "such" / "dir")
            with self.assertRaises(NotFoundError) as caught:
                b.add_trust_profile("vn", REPO / "testdata" / "pki")
            self.assertIn("missing", caught.exception.message)
            with self.assertRaises(TypeError):
                b.add_trust_profile(b"vn", pki(""))
            self.assertEqual(b.trust_anchors(), [], "nothing added on error")

    @unittest.skipIf(VN is None or not VN.is_dir(), NO_VN)
    def test_vietnamese_roots_load_with_their_report(self):
        with VerifierBuilder() as b:
            load = b.add_trust_profile("vn", VN)
            self.assertEqual(load["profile"], "vn")
            self.assertEqual(
                sorted(r["sha256"] for r in load["found"]), sorted([NATIONAL_ROOT, GOV_ROOT_G2])
            )
            self.assertEqual(load["missing"], [])
            self.assertEqual(load["refused"], [])
            self.assertTrue(load["complete"])
            self.assertGreaterEqual(len(load["intermediates"]), 1, load)
            self.assertEqual(
                sorted(a["sha256"] for a in b.trust_anchors()), sorted([NATIONAL_ROOT, GOV_ROOT_G2])
            )
        with Verifier(trust_profiles={"vn": VN}) as v:
            self.assertEqual(v.trust_profile_loads["vn"]["profile"], "vn")


if __name__ == "__main__":
    unittest.main()
