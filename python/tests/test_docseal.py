"""Tests of the ctypes binding against the committed fixtures (stdlib unittest).

From the repository root, after `cargo build --lib` (or `cargo test`):

    DOCSEAL_LIB=target/debug/libdocseal.so python3 -m unittest discover -s python/tests -v

(with CARGO_TARGET_DIR set, the library is in $CARGO_TARGET_DIR/debug/; .ci/run asks cargo).

The binding under test is python/docseal of this checkout (put first on sys.path), unless that
directory is absent (tests run against an installed package). Tests that need testdata/ or
include/ are skipped, with the reason, when no repository is found above this file.
"""

import ctypes
import datetime as dt
import gc
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import unittest
from pathlib import Path

HERE = Path(__file__).resolve().parent
if (HERE.parent / "docseal" / "__init__.py").is_file():
    sys.path.insert(0, str(HERE.parent))

import docseal  # noqa: E402
from docseal import (  # noqa: E402
    ClosedError,
    DocsealError,
    Status,
    Verdict,
    Verifier,
    _ffi,
    _loader,
    errors,
)


def _find_repo():
    for ancestor in [HERE, *HERE.parents]:
        if (ancestor / "include" / "docseal.h").is_file() and (ancestor / "testdata").is_dir():
            return ancestor
    return None


REPO = _find_repo()


def cargo_target_dir():
    """Where cargo builds, as .ci/run asks it: ``target_directory`` of ``cargo metadata``
    (CARGO_TARGET_DIR, or a config's build.target-dir, else target/); ``REPO/target`` when
    cargo is not installed. None without a repository."""
    if REPO is None:
        return None
    cargo = shutil.which("cargo")
    if cargo:
        run = subprocess.run(
            [cargo, "metadata", "--format-version", "1", "--no-deps", "--offline"],
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=120,
        )
        if run.returncode != 0:
            raise RuntimeError(f"cargo metadata failed in {REPO}:\n{run.stderr}")
        return Path(json.loads(run.stdout)["target_directory"])
    return REPO / "target"
NO_REPO = "the docseal repository (include/docseal.h, testdata/) is not above this file"
AT = 1_900_000_000  # 2030-03-17T17:46:40Z, the fixed validation time of the fixtures


def pdf(name):
    return REPO / "testdata" / "pdf" / name


def pki(name):
    return REPO / "testdata" / "pki" / name


def show(report):
    """Failure messages print the report JSON (STYLE §6)."""
    return f"report JSON:\n{report.json}"


@unittest.skipIf(REPO is None, NO_REPO)
class VerifyFixtures(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.verifier = Verifier(trust=[pki("anchor.pem")])

    @classmethod
    def tearDownClass(cls):
        cls.verifier.close()

    def test_sample_permit_is_valid(self):
        with self.verifier.verify(pdf("sample_permit.pdf").read_bytes(), AT) as report:
            self.assertIs(report.verdict, Verdict.VALID, show(report))
            self.assertEqual(report.signature_count, 1)
            self.assertEqual(report.signer(0), "Nguyễn Văn An")
            signer = report.data["signatures"][0]["signer"]
            self.assertEqual(signer["organization"], {"text": "Ủy ban nhân dân Quận 1"})
            self.assertEqual(report.data["schema_version"], 2)
            self.assertEqual(report.data["validation_time"], "2030-03-17T17:46:40Z")
            self.assertEqual(json.loads(report.json), report.data)

    def test_summary_of_sample_permit(self):
        with self.verifier.verify(pdf("sample_permit.pdf"), AT) as report:
            s = report.summary()
        self.assertIsInstance(s, docseal.ReportSummary)
        self.assertEqual(
            (s.verdict, s.indication, s.subindication), (Verdict.VALID, "PASSED", None)
        )
        self.assertEqual(len(s.signatures), 1)
        sig = s.signatures[0]
        self.assertIsInstance(sig, docseal.SignatureSummary)
        self.assertEqual(sig.field, "Signature1")
        self.assertEqual(sig.kind, "signature")
        self.assertEqual(sig.verdict, Verdict.VALID)
        self.assertTrue(sig.intact and sig.valid and sig.trusted)
        # B-LT: the DSS was added in a revision after the signature.
        self.assertEqual(sig.coverage, "ENTIRE_REVISION")
        self.assertEqual(sig.signer_name, "Nguyễn Văn An")
        self.assertIsNotNone(sig.signing_time)
        self.assertEqual(sig.signing_time.utcoffset(), dt.timedelta(0))
        self.assertEqual(sig.warnings, [])

    def test_tampered_byte_is_invalid_hash_failure(self):
        with self.verifier.verify(pdf("tampered_byte.pdf"), AT) as report:
            self.assertIs(report.verdict, Verdict.INVALID, show(report))
            self.assertEqual(f"verdict: {report.verdict}", "verdict: invalid")
            s = report.summary()
        self.assertEqual((s.indication, s.subindication), ("FAILED", "HASH_FAILURE"))
        self.assertEqual(s.signatures[0].subindication, "HASH_FAILURE")
        self.assertIs(s.signatures[0].intact, False)

    def test_rogue_root_is_indeterminate(self):
        with self.verifier.verify(pdf("rogue_root.pdf"), AT) as report:
            self.assertIs(report.verdict, Verdict.INDETERMINATE, show(report))
            s = report.summary()
        self.assertEqual(s.indication, "INDETERMINATE")
        self.assertEqual(s.subindication, "NO_CERTIFICATE_CHAIN_FOUND")
        self.assertFalse(s.signatures[0].trusted)

    def test_two_signatures(self):
        with self.verifier.verify(pdf("two_signatures.pdf"), AT) as report:
            self.assertEqual(report.signature_count, 2, show(report))
            self.assertEqual(len(report.summary().signatures), 2)
            for i in range(2):
                self.assertIsInstance(report.signer(i), str)

    def test_extract_revision_is_what_was_signed(self):
        with open(pdf("incremental_update.pdf"), "rb") as f:
            whole = f.read()
        with self.verifier.verify(whole, AT) as report:
            self.assertEqual(report.verdict, Verdict.INVALID, show(report))
            covered = report.data["signatures"][0]["covers_revision"]
        signed = docseal.extract_revision(whole, covered)
        self.assertTrue(len(signed) < len(whole) and whole.startswith(signed))
        # That revision carries no revocation data: without any, its status is unknown.
        with self.verifier.verify(signed, AT) as report:
            self.assertEqual(report.verdict, Verdict.INDETERMINATE, show(report))
        with open(pki("crl/issuing-g1.crl"), "rb") as f:
            issuing_crl = f.read()
        with Verifier(
            trust=[pki("anchor.pem")], crls=[pki("crl"), issuing_crl], policy="practical"
        ) as v, v.verify(signed, AT) as report:
            self.assertEqual(report.verdict, Verdict.VALID, show(report))
        with self.assertRaises(docseal.InvalidArgumentError):
            Verifier(trust=[pki("anchor.pem")], ocsps=[issuing_crl])
        # A timestamp whose authority is not trusted proves nothing: the B-LT sample then has
        # no proof of existence, and is judged at the validation time only.
        with Verifier(trust=[pki("anchor.pem")], tsa_trust=[pki("root-g2.pem")]) as v, v.verify(
            pdf("sample_permit.pdf"), AT
        ) as report:
            self.assertIsNone(report.data["signatures"][0]["proof_of_existence"], show(report))
        with Verifier(trust=[pki("anchor.pem")]) as v, v.verify(
            pdf("sample_permit.pdf"), AT
        ) as report:
            self.assertIsNotNone(report.data["signatures"][0]["proof_of_existence"], show(report))
        with self.assertRaises(ValueError):
            Verifier(trust=[pki("anchor.pem")], policy="lenient")
        for bad in (0, 9):
            with self.assertRaises(docseal.IndexOutOfRangeError):
                docseal.extract_revision(whole, bad)
        with self.assertRaises(ValueError):
            docseal.extract_revision(whole, -1)
        with self.assertRaises(TypeError):
            docseal.extract_revision("not bytes", 1)

    def test_not_a_pdf_raises_not_pdf(self):
        with self.assertRaises(DocsealError) as caught:
            self.verifier.verify(pdf("not_a_pdf.pdf"), AT)
        self.assertEqual(caught.exception.status, Status.NOT_PDF)
        self.assertIsInstance(caught.exception, docseal.NotPdfError)
        self.assertIn("not a loadable PDF", caught.exception.message)
        self.assertIn("DOCSEAL_STATUS_NOT_PDF", str(caught.exception))

    def test_empty_input_is_not_pdf(self):
        with self.assertRaises(docseal.NotPdfError):
            self.verifier.verify(b"", AT)

    def test_pdf_as_bytes_str_pathlike_bytearray(self):
        data = pdf("sample_permit.pdf").read_bytes()
        texts = {
            self.verifier.verify(arg, AT).json
            for arg in (
                data,
                bytearray(data),
                memoryview(data),
                str(pdf("sample_permit.pdf")),
                pdf("sample_permit.pdf"),
            )
        }
        self.assertEqual(len(texts), 1)

    def test_pdf_wrong_type_and_missing_file(self):
        with self.assertRaises(TypeError):
            self.verifier.verify(12345, AT)
        with self.assertRaises(FileNotFoundError):
            self.verifier.verify(REPO / "testdata" / "pdf" / "no_such_file.pdf", AT)

    def test_text_vi_en_and_unknown_language(self):
        with self.verifier.verify(pdf("sample_permit.pdf"), AT) as report:
            vi = report.text("vi")
            self.assertIn("HỢP LỆ", vi)
            self.assertEqual(report.text(), vi)  # Vietnamese is the default
            self.assertEqual(report.text(docseal.Lang.VI), vi)
            self.assertEqual(report.text(str(docseal.Lang.VI)), vi)  # printed as "vi"
            en = report.text("en")
            self.assertIn("VALID", en)
            self.assertNotEqual(en, vi)
            with self.assertRaises(ValueError):
                report.text("xx")
            with self.assertRaises(ValueError):
                report.text(1)

    def test_signer_index_out_of_range(self):
        with self.verifier.verify(pdf("sample_permit.pdf"), AT) as report:
            with self.assertRaises(DocsealError) as caught:
                report.signer(5)
            self.assertEqual(caught.exception.status, Status.INDEX_OUT_OF_RANGE)
            self.assertIsInstance(caught.exception, IndexError)
            with self.assertRaises(IndexError):
                report.signer(-1)
            with self.assertRaises(TypeError):
                report.signer("0")


@unittest.skipIf(REPO is None, NO_REPO)
class ValidationTime(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.verifier = Verifier(trust=pki("anchor.pem"))  # one item instead of a list
        cls.data = pdf("sample_permit.pdf").read_bytes()

    @classmethod
    def tearDownClass(cls):
        cls.verifier.close()

    def validation_time(self, at):
        with self.verifier.verify(self.data, at) as report:
            return report.data["validation_time"]

    def test_aware_datetimes_are_unix_seconds(self):
        utc = dt.datetime(2030, 3, 17, 17, 46, 40, tzinfo=dt.timezone.utc)
        hanoi = utc.astimezone(dt.timezone(dt.timedelta(hours=7)))
        for at in (AT, utc, hanoi, utc + dt.timedelta(microseconds=999_999)):
            self.assertEqual(self.validation_time(at), "2030-03-17T17:46:40Z", at)

    def test_none_means_now(self):
        before = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
        got = dt.datetime.fromisoformat(self.validation_time(None).replace("Z", "+00:00"))
        after = dt.datetime.now(dt.timezone.utc)
        self.assertTrue(before <= got <= after, (before, got, after))

    def test_naive_datetime_is_rejected(self):
        with self.assertRaises(ValueError):
            self.verifier.verify(self.data, dt.datetime(2030, 3, 17))

    def test_bad_types(self):
        for at in (True, 1.5e9, "2030-03-17"):
            with self.assertRaises(TypeError, msg=repr(at)):
                self.verifier.verify(self.data, at)

    def test_out_of_range_times(self):
        # Years 0000-9999 are instants (a certificate may be dated before 1950); one second
        # before 0000-01-01 and one after 9999-12-31T23:59:59Z are not.
        for at in (-62_167_219_201, 253_402_300_800, 2**62, -(2**62)):
            with self.assertRaises(DocsealError, msg=repr(at)) as caught:
                self.verifier.verify(self.data, at)
            self.assertEqual(caught.exception.status, Status.INVALID_ARGUMENT)
        with self.assertRaises(docseal.InvalidArgumentError):  # checked before ctypes
            self.verifier.verify(self.data, 2**70)


@unittest.skipIf(REPO is None, NO_REPO)
class BuildVerifier(unittest.TestCase):
    def test_bad_trust_bytes(self):
        with self.assertRaises(DocsealError) as caught:
            Verifier(trust=[b"this is not a certificate"])
        self.assertEqual(caught.exception.status, Status.BAD_CERTIFICATE)
        self.assertIsInstance(caught.exception, docseal.BadCertificateError)

    def test_bad_intermediate_bytes(self):
        with self.assertRaises(DocsealError) as caught:
            Verifier(trust=[pki("anchor.pem")], intermediates=[b"\x30\x03\x02\x01\x00"])
        self.assertEqual(caught.exception.status, Status.BAD_CERTIFICATE)

    def test_missing_path(self):
        missing = REPO / "testdata" / "pki" / "no_such_anchor.pem"
        for kwargs in ({"trust": [missing]}, {"intermediates": [str(missing)]}):
            with self.assertRaises(DocsealError) as caught:
                Verifier(**kwargs)
            self.assertEqual(caught.exception.status, Status.IO, kwargs)
            self.assertIsInstance(caught.exception, docseal.IoError)
            self.assertIn("no_such_anchor.pem", caught.exception.message)

    def test_trust_as_der_and_pem_bytes_and_intermediates(self):
        for trust in (pki("anchor.der").read_bytes(), pki("anchor.pem").read_bytes()):
            with Verifier(trust=[trust], intermediates=[pki("intermediate.pem")]) as v:
                report = v.verify(pdf("sample_permit.pdf"), AT)
                self.assertIs(report.verdict, Verdict.VALID, show(report))

    def test_no_trust_is_indeterminate(self):
        with Verifier() as v, v.verify(pdf("sample_permit.pdf"), AT) as report:
            self.assertIs(report.verdict, Verdict.INDETERMINATE, show(report))

    def test_wrong_item_types(self):
        for trust in ([123], 123, [None]):
            with self.assertRaises(TypeError, msg=repr(trust)):
                Verifier(trust=trust)
        with self.assertRaises(TypeError):
            Verifier(pki("anchor.pem"))  # keyword-only


@unittest.skipIf(REPO is None, NO_REPO)
class Lifetimes(unittest.TestCase):
    def test_context_manager_closes_verifier_and_report(self):
        with Verifier(trust=[pki("anchor.pem")]) as v:
            self.assertFalse(v.closed)
            with v.verify(pdf("sample_permit.pdf"), AT) as report:
                self.assertFalse(report.closed)
            self.assertTrue(report.closed)
        self.assertTrue(v.closed)

    def test_use_after_close_raises(self):
        v = Verifier(trust=[pki("anchor.pem")])
        report = v.verify(pdf("sample_permit.pdf"), AT)
        self.assertTrue(report.json)  # cached before close: still refused after
        v.close()
        v.close()  # idempotent
        with self.assertRaises(ClosedError):
            v.verify(pdf("sample_permit.pdf"), AT)
        with self.assertRaises(ClosedError):
            with v:
                pass
        # A report outlives its verifier.
        self.assertEqual(report.signer(0), "Nguyễn Văn An")
        report.close()
        report.close()
        for use in (
            lambda: report.json,
            lambda: report.data,
            lambda: report.text("en"),
            lambda: report.verdict,
            lambda: report.signature_count,
            lambda: report.signer(0),
            report.summary,
        ):
            with self.assertRaises(ClosedError):
                use()
        self.assertIn("closed", repr(report))
        self.assertIn("closed", repr(v))

    def test_forgotten_handles_are_collected(self):
        for _ in range(50):
            v = Verifier(trust=[pki("anchor.pem")])
            self.assertIs(v.verify(pdf("sample_permit.pdf"), AT).verdict, Verdict.VALID)
            del v
        gc.collect()

    def test_threads_share_a_verifier(self):
        data = pdf("sample_permit.pdf").read_bytes()
        verdicts, errors = [], []
        with Verifier(trust=[pki("anchor.pem")]) as v:

            def work():
                try:
                    for _ in range(10):
                        with v.verify(data, AT) as r:
                            verdicts.append(r.verdict)
                except Exception as e:  # pragma: no cover - reported below
                    errors.append(e)

            threads = [threading.Thread(target=work) for _ in range(4)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
        self.assertEqual(errors, [])
        self.assertEqual(verdicts, [Verdict.VALID] * 40)

    def test_close_during_calls_in_other_threads(self):
        # close() while other threads verify: each call either completes or sees ClosedError;
        # the native verifier is freed after the last call in progress (no use after free).
        data = pdf("sample_permit.pdf").read_bytes()
        v = Verifier(trust=[pki("anchor.pem")])
        outcomes, started = [], threading.Barrier(4)

        def work():
            started.wait()
            while True:
                try:
                    outcomes.append(v.verify(data, AT).verdict)
                except ClosedError:
                    outcomes.append("closed")
                    return

        threads = [threading.Thread(target=work) for _ in range(3)]
        for t in threads:
            t.start()
        started.wait()
        v.close()
        for t in threads:
            t.join(timeout=60)
        self.assertEqual(outcomes.count("closed"), 3)
        self.assertTrue(all(o in ("closed", Verdict.VALID) for o in outcomes))


class Boundary(unittest.TestCase):
    def test_version(self):
        self.assertRegex(docseal.version(), r"^\d+\.\d+\.\d+")
        self.assertEqual(docseal.version(), docseal.__version__)

    def test_panic_is_an_error_not_a_crash(self):
        with self.assertRaises(DocsealError) as caught:
            _ffi._internal_panic_test()
        self.assertEqual(caught.exception.status, Status.PANIC)
        self.assertIsInstance(caught.exception, docseal.PanicError)
        self.assertIn("panic", caught.exception.message)
        # The interpreter and the library are still alive.
        self.assertEqual(docseal.version(), docseal.__version__)
        with self.assertRaises(docseal.PanicError):
            _ffi._internal_panic_test()

    def test_status_names_match_the_library(self):
        name = _ffi._lib.docseal_status_name
        for status in Status:
            self.assertEqual(name(status).decode(), f"DOCSEAL_STATUS_{status.name}")
        self.assertEqual(name(777), b"DOCSEAL_STATUS_UNKNOWN")

    def test_unknown_status_numbers_are_kept(self):
        e = errors._error(777, "from a newer library")
        self.assertIs(type(e), DocsealError)
        self.assertEqual(int(e.status), 777)
        for status, cls in errors._ERROR_CLASSES.items():
            e = errors._error(int(status), "m")
            self.assertIs(type(e), cls)
            self.assertIs(e.status, status)

    def import_in_subprocess(self, package_parent, env_lib, cargo_target_dir=None):
        env = {
            k: v for k, v in os.environ.items() if k not in ("DOCSEAL_LIB", "CARGO_TARGET_DIR")
        }
        if env_lib is not None:
            env["DOCSEAL_LIB"] = env_lib
        if cargo_target_dir is not None:
            env["CARGO_TARGET_DIR"] = str(cargo_target_dir)
        code = "import docseal\nprint('loaded', docseal.library_path)\n"
        return subprocess.run(
            [sys.executable, "-c", code],
            cwd=package_parent,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )

    def test_library_lookup(self):
        source = Path(docseal.__file__).parent
        with tempfile.TemporaryDirectory() as tmp:
            package = Path(tmp) / "docseal"
            # The package's modules without the library it may ship (pip-installed) or caches.
            shutil.copytree(source, package, ignore=shutil.ignore_patterns("_lib", "__pycache__"))
            # DOCSEAL_LIB is authoritative: a wrong one is an ImportError naming it.
            run = self.import_in_subprocess(tmp, "/nonexistent/libdocseal.so")
            self.assertNotEqual(run.returncode, 0)
            self.assertIn("LibraryNotFoundError", run.stderr)
            self.assertIn("DOCSEAL_LIB='/nonexistent/libdocseal.so'", run.stderr)
            # Nothing anywhere: the message lists every place tried.
            run = self.import_in_subprocess(tmp, None)
            self.assertNotEqual(run.returncode, 0)
            self.assertIn("LibraryNotFoundError", run.stderr)
            self.assertIn(str(package / "_lib" / _loader._library_filename()), run.stderr)
            self.assertIn(str(Path(tmp) / "target" / "release"), run.stderr)
            self.assertIn(str(Path(tmp) / "target" / "debug"), run.stderr)
            self.assertIn("CARGO_TARGET_DIR (not set)", run.stderr)
            elsewhere = Path(tmp) / "elsewhere"
            run = self.import_in_subprocess(tmp, None, cargo_target_dir=elsewhere)
            self.assertNotEqual(run.returncode, 0)
            self.assertIn(str(elsewhere.resolve() / "release"), run.stderr)
            self.assertIn(str(elsewhere.resolve() / "debug"), run.stderr)
            # The copy shipped in the package.
            (package / "_lib").mkdir()
            shipped = package / "_lib" / _loader._library_filename()
            os.symlink(docseal.library_path, shipped)
            run = self.import_in_subprocess(tmp, None)
            self.assertEqual(run.returncode, 0, run.stderr)
            self.assertEqual(run.stdout.strip(), f"loaded {shipped}")
            # A cargo target above the package, when nothing is shipped.
            shipped.unlink()
            debug = Path(tmp) / "target" / "debug"
            debug.mkdir(parents=True)
            os.symlink(docseal.library_path, debug / _loader._library_filename())
            run = self.import_in_subprocess(tmp, None)
            self.assertEqual(run.returncode, 0, run.stderr)
            self.assertEqual(
                run.stdout.strip(), f"loaded {debug / _loader._library_filename()}"
            )
            # CARGO_TARGET_DIR (where cargo builds when it is set) comes before target/.
            (elsewhere / "debug").mkdir(parents=True)
            moved = elsewhere.resolve() / "debug" / _loader._library_filename()
            os.symlink(docseal.library_path, moved)
            run = self.import_in_subprocess(tmp, None, cargo_target_dir=elsewhere)
            self.assertEqual(run.returncode, 0, run.stderr)
            self.assertEqual(run.stdout.strip(), f"loaded {moved}")
            # ... but after the copy shipped in the package.
            os.symlink(docseal.library_path, shipped)
            run = self.import_in_subprocess(tmp, None, cargo_target_dir=elsewhere)
            self.assertEqual(run.returncode, 0, run.stderr)
            self.assertEqual(run.stdout.strip(), f"loaded {shipped}")

    def test_library_path(self):
        self.assertTrue(Path(docseal.library_path).is_file())
        env = os.environ.get("DOCSEAL_LIB")
        if env:
            self.assertEqual(Path(env).resolve(), Path(docseal.library_path))


# --- the public surface ----------------------------------------------------------------------

#: Everything ``from docseal import *`` gives: the names of ``docseal.__all__`` before the package
#: was split into modules. Names may be added, never removed.
PUBLIC_NAMES = {
    "BadCertificateError",
    "BadClaimsError",
    "BadImageError",
    "BadKeyError",
    "BelowLegalMinimumError",
    "ClosedError",
    "DocsealError",
    "EncryptedError",
    "IndexOutOfRangeError",
    "InternalError",
    "InvalidArgumentError",
    "InvalidUtf8Error",
    "IoError",
    "Lang",
    "LibraryNotFoundError",
    "LimitError",
    "NoQrCodeError",
    "NotFoundError",
    "NotPdfError",
    "NullArgumentError",
    "PanicError",
    "Policy",
    "QrFormat",
    "QrIssuer",
    "QrReport",
    "QrVerifier",
    "Report",
    "ReportSummary",
    "SignatureSummary",
    "Status",
    "Verdict",
    "Verifier",
    "VerifierBuilder",
    "default_limits",
    "extract_revision",
    "library_path",
    "normalize_scan",
    "version",
}

#: Public attributes of ``docseal`` outside ``__all__`` (the prototype table, the opaque C
#: handle types, the type aliases of the signatures): still reachable as ``docseal.<name>``.
OTHER_PUBLIC_ATTRIBUTES = {
    "__version__",
    "ERR_BUF_LEN",
    "SIGNATURES",
    "BytesOrPath",
    "CertSource",
    "PathType",
    "LIMIT_NAMES",
    "docseal_buffer",
    "docseal_limits",
    "docseal_qr_issuer",
    "docseal_qr_report",
    "docseal_qr_verifier",
    "docseal_qr_verifier_builder",
    "docseal_report",
    "docseal_verifier",
    "docseal_verifier_builder",
}


class PublicSurface(unittest.TestCase):
    def test_all_public_names_are_importable_from_docseal(self):
        self.assertEqual(PUBLIC_NAMES - set(docseal.__all__), set(), "names gone from __all__")
        self.assertEqual(len(docseal.__all__), len(set(docseal.__all__)), "duplicates in __all__")
        star = {}
        exec("from docseal import *", star)
        self.assertEqual(set(docseal.__all__) - set(star), set(), "in __all__ but not exported")
        for name in sorted(PUBLIC_NAMES | OTHER_PUBLIC_ATTRIBUTES):
            self.assertTrue(hasattr(docseal, name), f"docseal.{name} is missing")

    def test_public_classes_and_functions_have_docstrings(self):
        for name in sorted(docseal.__all__):
            value = getattr(docseal, name)
            if not (isinstance(value, type) or callable(value)):
                continue  # library_path is a str
            with self.subTest(name):
                self.assertTrue((value.__doc__ or "").strip(), f"docseal.{name} has no docstring")
                if not isinstance(value, type):
                    continue
                # Also what a class inherits from the binding (close/closed of the handles).
                inherited = [k for k in value.__mro__ if k.__module__.startswith("docseal")]
                members = {a: m for k in reversed(inherited) for a, m in vars(k).items()}
                for attr, member in members.items():
                    public = not attr.startswith("_")
                    if not (public and (callable(member) or isinstance(member, property))):
                        continue
                    doc = getattr(member, "__doc__", None) or ""
                    self.assertTrue(doc.strip(), f"docseal.{name}.{attr} has no docstring")

    def test_names_come_from_their_module(self):
        import docseal.enums
        import docseal.errors
        import docseal.pdf
        import docseal.qr
        import docseal.scan

        homes = {
            docseal.enums: ["Lang", "Policy", "QrFormat", "Status", "Verdict"],
            docseal.errors: ["DocsealError", "ClosedError", "LibraryNotFoundError", "NotPdfError"],
            docseal.pdf: [
                "Verifier",
                "VerifierBuilder",
                "Report",
                "ReportSummary",
                "SignatureSummary",
                "default_limits",
            ],
            docseal.qr: ["QrVerifier", "QrReport", "QrIssuer"],
            docseal.scan: ["normalize_scan"],
        }
        for module, names in homes.items():
            self.assertEqual(set(names) - set(module.__all__), set(), module.__name__)
            for name in names:
                self.assertIs(getattr(docseal, name), getattr(module, name), name)
        self.assertIs(docseal.extract_revision, docseal.pdf.extract_revision)


class EnumPrinting(unittest.TestCase):
    """The enums users read print their lower-case name, and stay the C numbers."""

    ENUMS = (Status, Verdict, docseal.Lang, docseal.Policy, docseal.QrFormat)

    def test_verdict_prints_its_name(self):
        v = Verdict.INVALID
        self.assertEqual(str(v), "invalid")
        self.assertEqual(f"{v}", "invalid")
        self.assertEqual(format(v), "invalid")
        self.assertEqual("{}".format(v), "invalid")
        self.assertEqual("%s" % v, "invalid")
        self.assertEqual(f"[{v:>9}]", "[  invalid]")  # a string spec pads the name
        self.assertEqual(f"{v:d}|{v:03d}|{v:x}", "1|001|1")  # a numeric spec gives the number
        self.assertEqual(repr(v), "<Verdict.INVALID: 1>")
        self.assertEqual([str(v) for v in Verdict], ["valid", "invalid", "indeterminate"])

    def test_every_enum_prints_lower_case_names(self):
        for enum in self.ENUMS:
            for member in enum:
                with self.subTest(member=repr(member)):
                    self.assertEqual(str(member), member.name.lower())
                    self.assertEqual(f"{member}", member.name.lower())
                    self.assertIn(member.name, repr(member))
        self.assertEqual(str(Status.NOT_PDF), "not_pdf")
        self.assertEqual(str(docseal.Lang.EN), "en")
        self.assertEqual(str(docseal.Policy.LEGAL), "legal")
        self.assertEqual(str(docseal.QrFormat.SVG), "svg")
        self.assertEqual(str(Status(777)), "unknown_777")  # a status from a newer library

    def test_still_the_c_numbers(self):
        self.assertEqual(Verdict.INVALID, 1)
        self.assertEqual(int(Verdict.INDETERMINATE), 2)
        self.assertEqual(Status.NOT_PDF, 200)
        self.assertEqual(hash(Status.NOT_PDF), hash(200))
        self.assertIs(Verdict(1), Verdict.INVALID)
        self.assertEqual(json.dumps([Verdict.INVALID, Status.LIMIT]), "[1, 300]")
        for enum in self.ENUMS:
            for member in enum:
                self.assertEqual(ctypes.c_int(member).value, int(member))
                self.assertEqual(ctypes.c_uint32(member).value, int(member))
        # The member itself (not int(member)) as an argument of a declared C function.
        name = _ffi._lib.docseal_status_name
        self.assertEqual(name(Status.NOT_PDF), b"DOCSEAL_STATUS_NOT_PDF")

    def test_printed_names_are_accepted_back(self):
        for policy in docseal.Policy:
            with Verifier(policy=str(policy)) as v:  # "practical" / "legal"
                self.assertFalse(v.closed)


# --- the binding against include/docseal.h -----------------------------------------------------


def _header_functions(text):
    """{name: (return type, [parameter types])} of every function declared in the header."""
    text = re.sub(r"//[^\n]*|/\*.*?\*/", "", text, flags=re.S)
    text = re.sub(r"^\s*#.*$", "", text, flags=re.M)
    found = {}
    for m in re.finditer(r"([^;{}()]*?)\b(docseal_\w+)\s*\(([^)]*)\)\s*;", text):
        ret, name, params = m.group(1), m.group(2), m.group(3)
        ret = " ".join(ret.replace("*", " * ").split())
        types = []
        for p in params.split(","):
            p = " ".join(p.replace("*", " * ").split())
            if p in ("", "void"):
                continue
            # drop the parameter name (the last identifier)
            types.append(re.sub(r"\s*\b\w+$", "", p).strip())
        found[name] = (ret, types)
    return found


def _ctype_of(c_type):
    """The ctypes type this binding must use for a C type of the header."""
    d = docseal
    base = {
        "void": None,
        "size_t": ctypes.c_size_t,
        "uint32_t": ctypes.c_uint32,
        "int64_t": ctypes.c_int64,
        "enum docseal_status": ctypes.c_int,
        "enum docseal_verdict": ctypes.c_int,
        "const char *": ctypes.c_char_p,
        "char *": ctypes.c_char_p,
        "const uint8_t *": ctypes.c_char_p,  # zero-copy bytes, see the binding
        "const char * *": ctypes.POINTER(ctypes.c_char_p),
        "const uint8_t * *": ctypes.POINTER(ctypes.c_char_p),  # read with string_at(ptr, len)
        "size_t *": ctypes.POINTER(ctypes.c_size_t),
        "enum docseal_verdict *": ctypes.POINTER(ctypes.c_int),
    }
    if c_type in base:
        return base[c_type]
    m = re.fullmatch(r"(?:const )?struct (docseal_\w+) (\*(?: \*)?)", c_type)
    if m:
        t = ctypes.POINTER(getattr(d, m.group(1)))
        return ctypes.POINTER(t) if m.group(2) == "* *" else t
    raise AssertionError(f"no ctypes mapping for C type {c_type!r}: extend _ctype_of")


@unittest.skipIf(REPO is None, NO_REPO)
class Header(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.header = (REPO / "include" / "docseal.h").read_text(encoding="utf-8")
        cls.functions = _header_functions(cls.header)

    def test_every_header_function_is_declared_and_vice_versa(self):
        # The plain regex over `docseal_\w+\s*\(` finds every function declaration.
        names = set(re.findall(r"\b(docseal_\w+)\s*\(", re.sub(r"//[^\n]*", "", self.header)))
        self.assertEqual(names, set(self.functions), "header parser out of step")
        self.assertGreaterEqual(len(names), 18)
        missing = sorted(names - set(docseal.SIGNATURES))
        extra = sorted(set(docseal.SIGNATURES) - names)
        self.assertEqual(missing, [], "functions of include/docseal.h the binding does not declare")
        self.assertEqual(extra, [], "functions the binding declares that the header lacks")
        for name in names:
            func = getattr(_ffi._lib, name)
            self.assertIsNotNone(func.argtypes, f"{name}: argtypes not set")

    def test_declared_types_match_the_header(self):
        for name, (ret, params) in sorted(self.functions.items()):
            with self.subTest(name):
                restype, argtypes = docseal.SIGNATURES[name]
                func = getattr(_ffi._lib, name)
                self.assertIs(func.restype, restype)
                self.assertEqual(list(func.argtypes), list(argtypes))
                self.assertEqual(len(argtypes), len(params), f"{name}: {params}")
                self.assertIs(restype, _ctype_of(ret), f"{name} returns {ret}")
                for i, (c_type, declared) in enumerate(zip(params, argtypes)):
                    self.assertIs(declared, _ctype_of(c_type), f"{name} parameter {i}: {c_type}")
                if ret == "enum docseal_status":
                    self.assertIs(func.errcheck, _ffi._check, f"{name}: no errcheck")
                    self.assertEqual(params[-2:], ["char *", "size_t"], f"{name}: error buffer")

    def test_enums_match_the_header(self):
        for prefix, enum in (
            ("DOCSEAL_STATUS_", Status),
            ("DOCSEAL_VERDICT_", Verdict),
            ("DOCSEAL_LANG_", docseal.Lang),
            ("DOCSEAL_QR_FORMAT_", docseal.QrFormat),
            ("DOCSEAL_POLICY_", docseal.Policy),
        ):
            values = {
                m.group(1): int(m.group(2))
                for m in re.finditer(prefix + r"(\w+)\s*=\s*(\d+)", self.header)
            }
            self.assertTrue(values, prefix)
            self.assertEqual(values, {m.name: int(m) for m in enum}, prefix)

    def test_versions_agree(self):
        cargo = (REPO / "Cargo.toml").read_text(encoding="utf-8")
        crate = re.search(r'^version\s*=\s*"([^"]+)"', cargo, re.M).group(1)
        pyproject = (REPO / "python" / "pyproject.toml").read_text(encoding="utf-8")
        package = re.search(r'^version\s*=\s*"([^"]+)"', pyproject, re.M).group(1)
        self.assertEqual((crate, package, docseal.__version__, docseal.version()), (crate,) * 4)


if __name__ == "__main__":
    unittest.main()


@unittest.skipIf(REPO is None, NO_REPO)
class NormalizeScan(unittest.TestCase):
    def page(self, name):
        return (REPO / "testdata" / "scan" / "pages" / name).read_bytes()

    def test_a_turned_page_comes_back_upright_with_its_qr_text(self):
        png, report = docseal.normalize_scan(self.page("rot90_skew_m3_3.jpg"), output_dpi=300)
        self.assertTrue(png.startswith(b"\x89PNG"))
        self.assertEqual(report["orientation_deg"], 90, report)
        self.assertAlmostEqual(report["skew_deg"], -3.3, delta=0.2)
        # Both detectors say how sure they are; a page of text lines is sure either way.
        self.assertGreaterEqual(report["skew_confidence"], 0.5, report)
        self.assertGreaterEqual(report["orientation_confidence"], 0.25, report)
        self.assertLessEqual(max(report["skew_confidence"], report["orientation_confidence"]), 1)
        self.assertEqual(report["qr"], ["https://dichvucong.example.vn/v/HCM-QH1-2030-000123"])
        self.assertTrue(report["below_legal_minimum"])  # a 150-dpi scan, resampled or not

    def test_errors(self):
        page = self.page("upright.jpg")
        with self.assertRaises(docseal.BelowLegalMinimumError):
            docseal.normalize_scan(page, refuse_low_dpi=True)
        with self.assertRaises(docseal.InvalidArgumentError):
            docseal.normalize_scan(page, output_dpi=100)
        with self.assertRaises(docseal.BadImageError):
            docseal.normalize_scan(b"not an image")
        with self.assertRaises(TypeError):
            docseal.normalize_scan("upright.jpg")
        _, report = docseal.normalize_scan(page, qr=False)
        self.assertEqual(report["qr"], [])

    def test_jpeg_as_is_only_when_stored_upright(self):
        # Stored sideways with EXIF Orientation 6: a PDF viewer ignores EXIF, so the file must
        # not go into a PDF as it is, although normalization had nothing to change.
        _, report = docseal.normalize_scan(self.page("exif_rot6_300dpi.jpg"), qr=False)
        self.assertEqual(report["exif_orientation"], 6, report)
        self.assertEqual(report["output_size"], [2480, 3508], report)
        self.assertFalse(report["jpeg_as_is"], report)
        _, report = docseal.normalize_scan(self.page("upright.jpg"), qr=False)
        self.assertTrue(report["jpeg_as_is"], report)

    def test_hostile_images_are_bounded(self):
        hostile = REPO / "testdata" / "scan" / "hostile"
        _, report = docseal.normalize_scan((hostile / "png_iccp_bomb.png").read_bytes())
        self.assertEqual(report["input_size"], [64, 64])
        with self.assertRaises(docseal.LimitError):
            docseal.normalize_scan((hostile / "png_idat_bomb.png").read_bytes())
