"""Verify signed PDFs and QR result certificates, and issue QR certificates, with docseal (a
Rust library) through its C ABI, via ctypes.

>>> import docseal
>>> with docseal.Verifier(trust=["testdata/pki/anchor.pem"]) as verifier:   # doctest: +SKIP
...     report = verifier.verify("testdata/pdf/sample_permit.pdf", at=1_900_000_000)
...     report.verdict, report.signer(0)
(<Verdict.VALID: 0>, 'Nguyễn Văn An')
>>> with docseal.QrVerifier(signers=["testdata/qr/certs"]) as qr:             # doctest: +SKIP
...     qr.verify_image("testdata/qr/vn1_es256.png", at=1_900_000_000).verdict
<Verdict.VALID: 0>

The shared library is found, in this order:

1. ``DOCSEAL_LIB``: the full path of the library (nothing else is tried when it is set);
2. the copy shipped inside the package, ``docseal/_lib/libdocseal.so`` (``pip install``);
3. ``target/release/`` then ``target/debug/`` of the first ancestor directory of this package
   that has a built library (a source checkout).

A signature or QR payload that does not verify is not an error: the :class:`Report` or
:class:`QrReport` says INVALID or INDETERMINATE. :class:`DocsealError` means that no report
could be produced (not a PDF, an unreadable certificate or image, a bad argument...); its
``status`` is a :class:`Status`, the same number as the C ``docseal_status``.

Handles (:class:`Verifier`, :class:`Report`, :class:`QrVerifier`, :class:`QrReport`,
:class:`QrIssuer`) own native memory: use them with ``with`` or call ``close()``; a forgotten
handle is freed when it is garbage-collected. All may be used from several threads at once
(the GIL is released during native calls); ``close()`` waits for no one, but the memory is
released only after the calls already in progress return.
"""

from __future__ import annotations

import ctypes
import dataclasses
import datetime as _dt
import enum
import json as _json
import os
import re
import sys
import threading
import time as _time
from ctypes import (
    POINTER,
    Structure,
    byref,
    c_char_p,
    c_int,
    c_int64,
    c_size_t,
    c_uint32,
    create_string_buffer,
    string_at,
)
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Union

__all__ = [
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
    "extract_revision",
    "normalize_scan",
    "library_path",
    "version",
]

__version__ = "0.1.0"

#: Size of the message buffer handed to every fallible call.
ERR_BUF_LEN = 1024

PathType = Union[str, "os.PathLike[str]"]
CertSource = Union[bytes, bytearray, memoryview, str, "os.PathLike[str]"]


# --- enumerations mirroring include/docseal.h ------------------------------------------------


class Status(enum.IntEnum):
    """``docseal_status``: same names (without ``DOCSEAL_STATUS_``) and numbers, forever."""

    OK = 0
    NULL_ARGUMENT = 100
    INVALID_UTF8 = 101
    INVALID_ARGUMENT = 102
    INDEX_OUT_OF_RANGE = 103
    NOT_FOUND = 104
    NOT_PDF = 200
    ENCRYPTED = 201
    BAD_CERTIFICATE = 202
    IO = 203
    BAD_IMAGE = 204
    NO_QR_CODE = 205
    BAD_KEY = 206
    BAD_CLAIMS = 207
    BELOW_LEGAL_MINIMUM = 208
    LIMIT = 300
    INTERNAL = 900
    PANIC = 901

    @classmethod
    def _missing_(cls, value: object) -> Optional[Status]:
        # A newer library may return a number this binding does not know: keep the number.
        if not isinstance(value, int) or isinstance(value, bool):
            return None
        member = int.__new__(cls, value)
        member._name_ = f"UNKNOWN_{value}"
        member._value_ = value
        return member


class Verdict(enum.IntEnum):
    """``docseal_verdict``: the document's (or one signature's) simple answer."""

    VALID = 0  #: every signature verified and trusted (ETSI PASSED)
    INVALID = 1  #: a check proved a signature wrong (ETSI FAILED)
    INDETERMINATE = 2  #: neither (ETSI INDETERMINATE)


class Lang(enum.IntEnum):
    """``docseal_lang``: language of :meth:`Report.text`."""

    VI = 0
    EN = 1


class Policy(enum.IntEnum):
    """``docseal_policy``: the algorithm profile of a :class:`Verifier`."""

    PRACTICAL = 0
    LEGAL = 1


class QrFormat(enum.IntEnum):
    """``docseal_qr_format``: image format of :meth:`QrIssuer.print_png` / ``print_svg``."""

    PNG = 0
    SVG = 1


# --- errors ----------------------------------------------------------------------------------


class LibraryNotFoundError(ImportError):
    """The docseal shared library could not be found or loaded; the message lists what was
    tried."""


class ClosedError(ValueError):
    """A handle was used after ``close()`` (like I/O on a closed file)."""


class DocsealError(Exception):
    """A docseal call failed: no report could be produced.

    ``status`` is a :class:`Status` (the C ``docseal_status``), ``message`` the library's
    message. Each status has its own subclass (e.g. :class:`NotPdfError`).
    """

    def __init__(self, status: Union[Status, int], message: str) -> None:
        status = Status(status)
        super().__init__(status, message)
        self.status: Status = status
        self.message: str = message

    def __str__(self) -> str:
        return f"{self.message} (DOCSEAL_STATUS_{self.status.name} = {int(self.status)})"


class NullArgumentError(DocsealError, ValueError):
    """``DOCSEAL_STATUS_NULL_ARGUMENT`` (a bug in this binding if it ever happens)."""


class InvalidUtf8Error(DocsealError, ValueError):
    """``DOCSEAL_STATUS_INVALID_UTF8``: a string argument is not UTF-8."""


class InvalidArgumentError(DocsealError, ValueError):
    """``DOCSEAL_STATUS_INVALID_ARGUMENT``: e.g. a validation time outside 1950-9999."""


class IndexOutOfRangeError(DocsealError, IndexError):
    """``DOCSEAL_STATUS_INDEX_OUT_OF_RANGE``."""


class NotFoundError(DocsealError, LookupError):
    """``DOCSEAL_STATUS_NOT_FOUND``: e.g. a signature without a known signer name."""


class NotPdfError(DocsealError):
    """``DOCSEAL_STATUS_NOT_PDF``: the input is not a loadable PDF."""


class EncryptedError(DocsealError):
    """``DOCSEAL_STATUS_ENCRYPTED``: the PDF is encrypted."""


class BadCertificateError(DocsealError):
    """``DOCSEAL_STATUS_BAD_CERTIFICATE``: a certificate is malformed, or none was found."""


class IoError(DocsealError):
    """``DOCSEAL_STATUS_IO``: the library could not read a file or directory."""


class BadImageError(DocsealError):
    """``DOCSEAL_STATUS_BAD_IMAGE``: not a decodable PNG, JPEG, TIFF, WebP, GIF or BMP within the
    image limits."""


class NoQrCodeError(DocsealError):
    """``DOCSEAL_STATUS_NO_QR_CODE``: the image holds no readable QR code."""


class BadKeyError(DocsealError):
    """``DOCSEAL_STATUS_BAD_KEY``: not an unencrypted PKCS#8 P-256 or Ed25519 key, or not
    the certificate's key."""


class BadClaimsError(DocsealError, ValueError):
    """``DOCSEAL_STATUS_BAD_CLAIMS``: the claims are not valid claims JSON, or a claim cannot
    be encoded."""


class BelowLegalMinimumError(DocsealError, ValueError):
    """``DOCSEAL_STATUS_BELOW_LEGAL_MINIMUM``: the scan's resolution is below 200 dpi or
    unknown, and such scans were to be refused."""


class LimitError(DocsealError):
    """``DOCSEAL_STATUS_LIMIT``: a configured limit was reached."""


class InternalError(DocsealError):
    """``DOCSEAL_STATUS_INTERNAL``: a bug in docseal."""


class PanicError(DocsealError):
    """``DOCSEAL_STATUS_PANIC``: a panic was caught at the C boundary (a bug in docseal)."""


_ERROR_CLASSES: Dict[Status, type] = {
    Status.NULL_ARGUMENT: NullArgumentError,
    Status.INVALID_UTF8: InvalidUtf8Error,
    Status.INVALID_ARGUMENT: InvalidArgumentError,
    Status.INDEX_OUT_OF_RANGE: IndexOutOfRangeError,
    Status.NOT_FOUND: NotFoundError,
    Status.NOT_PDF: NotPdfError,
    Status.ENCRYPTED: EncryptedError,
    Status.BAD_CERTIFICATE: BadCertificateError,
    Status.IO: IoError,
    Status.BAD_IMAGE: BadImageError,
    Status.NO_QR_CODE: NoQrCodeError,
    Status.BAD_KEY: BadKeyError,
    Status.BAD_CLAIMS: BadClaimsError,
    Status.BELOW_LEGAL_MINIMUM: BelowLegalMinimumError,
    Status.LIMIT: LimitError,
    Status.INTERNAL: InternalError,
    Status.PANIC: PanicError,
}


def _error(status: int, message: str) -> DocsealError:
    status = Status(status)
    return _ERROR_CLASSES.get(status, DocsealError)(status, message)


# --- loading the library ---------------------------------------------------------------------


def _library_filename() -> str:
    if sys.platform == "win32":
        return "docseal.dll"
    if sys.platform == "darwin":
        return "libdocseal.dylib"
    return "libdocseal.so"


def _candidates() -> List[Path]:
    """Where the library may be, in lookup order (``DOCSEAL_LIB`` is handled separately)."""
    name = _library_filename()
    package = Path(__file__).resolve().parent
    found = [package / "_lib" / name]
    for ancestor in package.parents:
        found.append(ancestor / "target" / "release" / name)
        found.append(ancestor / "target" / "debug" / name)
    return found


def _load() -> tuple[ctypes.CDLL, str]:
    env = os.environ.get("DOCSEAL_LIB")
    if env:
        path = Path(env).expanduser().resolve()
        try:
            return ctypes.CDLL(str(path)), str(path)
        except OSError as e:
            raise LibraryNotFoundError(
                f"cannot load the docseal library from DOCSEAL_LIB={env!r}: {e}"
            ) from e
    tried = ["DOCSEAL_LIB (not set)"]
    for path in _candidates():
        if not path.is_file():
            tried.append(f"{path} (missing)")
            continue
        try:
            return ctypes.CDLL(str(path)), str(path)
        except OSError as e:
            tried.append(f"{path} ({e})")
    raise LibraryNotFoundError(
        "cannot find the docseal shared library; tried:\n  "
        + "\n  ".join(tried)
        + "\nbuild it with `cargo build --release --lib` in the repository, or set DOCSEAL_LIB "
        "to the full path of " + _library_filename()
    )


# Opaque handle types, one per C struct, so ctypes rejects a handle of the wrong kind.
class docseal_verifier_builder(Structure):
    """Opaque ``struct docseal_verifier_builder``."""


class docseal_verifier(Structure):
    """Opaque ``struct docseal_verifier``."""


class docseal_report(Structure):
    """Opaque ``struct docseal_report``."""


class docseal_qr_verifier_builder(Structure):
    """Opaque ``struct docseal_qr_verifier_builder``."""


class docseal_qr_verifier(Structure):
    """Opaque ``struct docseal_qr_verifier``."""


class docseal_qr_report(Structure):
    """Opaque ``struct docseal_qr_report``."""


class docseal_qr_issuer(Structure):
    """Opaque ``struct docseal_qr_issuer``."""


class docseal_buffer(Structure):
    """Opaque ``struct docseal_buffer``."""


_BuilderP = POINTER(docseal_verifier_builder)
_VerifierP = POINTER(docseal_verifier)
_ReportP = POINTER(docseal_report)
_QrBuilderP = POINTER(docseal_qr_verifier_builder)
_QrVerifierP = POINTER(docseal_qr_verifier)
_QrReportP = POINTER(docseal_qr_report)
_QrIssuerP = POINTER(docseal_qr_issuer)
_BufferP = POINTER(docseal_buffer)
_status_t = c_int  # enum docseal_status (a C enum is an int)
_verdict_t = c_int  # enum docseal_verdict
# `const uint8_t *` is declared c_char_p: a Python `bytes` then crosses without a copy (the
# library reads exactly `len` bytes; embedded NULs are fine).
_bytes_t = c_char_p
_errbuf_t = c_char_p  # `char *err_buf`: a create_string_buffer(ERR_BUF_LEN)

#: Every function of include/docseal.h: name -> (restype, argtypes). tests/test_docseal.py
#: checks this table against the header, both ways.
SIGNATURES: Dict[str, tuple[Any, list]] = {
    "docseal_version": (c_char_p, []),
    "docseal_internal_panic_test": (_status_t, [_errbuf_t, c_size_t]),
    "docseal_verifier_builder_new": (_BuilderP, []),
    "docseal_verifier_builder_free": (None, [_BuilderP]),
    "docseal_verifier_builder_add_trust_anchors": (
        _status_t,
        [_BuilderP, _bytes_t, c_size_t, _errbuf_t, c_size_t],
    ),
    "docseal_verifier_builder_add_tsa_anchors": (
        _status_t,
        [_BuilderP, _bytes_t, c_size_t, _errbuf_t, c_size_t],
    ),
    "docseal_verifier_builder_add_tsa_path": (
        _status_t,
        [_BuilderP, c_char_p, _errbuf_t, c_size_t],
    ),
    "docseal_verifier_builder_add_crls": (
        _status_t,
        [_BuilderP, _bytes_t, c_size_t, _errbuf_t, c_size_t],
    ),
    "docseal_verifier_builder_add_ocsp": (
        _status_t,
        [_BuilderP, _bytes_t, c_size_t, _errbuf_t, c_size_t],
    ),
    "docseal_verifier_builder_add_crls_path": (
        _status_t,
        [_BuilderP, c_char_p, _errbuf_t, c_size_t],
    ),
    "docseal_verifier_builder_add_ocsps_path": (
        _status_t,
        [_BuilderP, c_char_p, _errbuf_t, c_size_t],
    ),
    "docseal_verifier_builder_set_policy": (
        _status_t,
        [_BuilderP, ctypes.c_uint32, _errbuf_t, c_size_t],
    ),
    "docseal_pdf_revision_length": (
        _status_t,
        [_bytes_t, c_size_t, c_size_t, POINTER(c_size_t), _errbuf_t, c_size_t],
    ),
    "docseal_verifier_builder_add_trust_path": (
        _status_t,
        [_BuilderP, c_char_p, _errbuf_t, c_size_t],
    ),
    "docseal_verifier_builder_add_intermediates": (
        _status_t,
        [_BuilderP, _bytes_t, c_size_t, _errbuf_t, c_size_t],
    ),
    "docseal_verifier_builder_add_intermediates_path": (
        _status_t,
        [_BuilderP, c_char_p, _errbuf_t, c_size_t],
    ),
    "docseal_verifier_builder_build": (
        _status_t,
        [_BuilderP, POINTER(_VerifierP), _errbuf_t, c_size_t],
    ),
    "docseal_verifier_free": (None, [_VerifierP]),
    "docseal_pdf_verify": (
        _status_t,
        [_VerifierP, _bytes_t, c_size_t, c_int64, POINTER(_ReportP), _errbuf_t, c_size_t],
    ),
    "docseal_report_json": (
        _status_t,
        [_ReportP, POINTER(c_char_p), POINTER(c_size_t), _errbuf_t, c_size_t],
    ),
    "docseal_report_text": (
        _status_t,
        [_ReportP, c_uint32, POINTER(c_char_p), POINTER(c_size_t), _errbuf_t, c_size_t],
    ),
    "docseal_report_verdict": (
        _status_t,
        [_ReportP, POINTER(_verdict_t), _errbuf_t, c_size_t],
    ),
    "docseal_report_signature_count": (
        _status_t,
        [_ReportP, POINTER(c_size_t), _errbuf_t, c_size_t],
    ),
    "docseal_report_signer": (
        _status_t,
        [_ReportP, c_size_t, POINTER(c_char_p), POINTER(c_size_t), _errbuf_t, c_size_t],
    ),
    "docseal_report_free": (None, [_ReportP]),
    "docseal_status_name": (c_char_p, [c_uint32]),
    "docseal_qr_verifier_builder_new": (_QrBuilderP, []),
    "docseal_qr_verifier_builder_free": (None, [_QrBuilderP]),
    "docseal_qr_verifier_builder_add_signers": (
        _status_t,
        [_QrBuilderP, _bytes_t, c_size_t, _errbuf_t, c_size_t],
    ),
    "docseal_qr_verifier_builder_add_signers_path": (
        _status_t,
        [_QrBuilderP, c_char_p, _errbuf_t, c_size_t],
    ),
    "docseal_qr_verifier_builder_build": (
        _status_t,
        [_QrBuilderP, POINTER(_QrVerifierP), _errbuf_t, c_size_t],
    ),
    "docseal_qr_verifier_free": (None, [_QrVerifierP]),
    "docseal_qr_verify_text": (
        _status_t,
        [_QrVerifierP, _bytes_t, c_size_t, c_int64, POINTER(_QrReportP), _errbuf_t, c_size_t],
    ),
    "docseal_qr_verify_image": (
        _status_t,
        [_QrVerifierP, _bytes_t, c_size_t, c_int64, POINTER(_QrReportP), _errbuf_t, c_size_t],
    ),
    "docseal_qr_report_json": (
        _status_t,
        [_QrReportP, POINTER(c_char_p), POINTER(c_size_t), _errbuf_t, c_size_t],
    ),
    "docseal_qr_report_verdict": (
        _status_t,
        [_QrReportP, POINTER(_verdict_t), _errbuf_t, c_size_t],
    ),
    "docseal_qr_report_symbol_count": (
        _status_t,
        [_QrReportP, POINTER(c_size_t), _errbuf_t, c_size_t],
    ),
    "docseal_qr_report_symbol_verdict": (
        _status_t,
        [_QrReportP, c_size_t, POINTER(_verdict_t), _errbuf_t, c_size_t],
    ),
    "docseal_qr_report_free": (None, [_QrReportP]),
    "docseal_qr_issuer_from_pkcs8": (
        _status_t,
        [_bytes_t, c_size_t, _bytes_t, c_size_t, POINTER(_QrIssuerP), _errbuf_t, c_size_t],
    ),
    "docseal_qr_issuer_free": (None, [_QrIssuerP]),
    "docseal_qr_issue": (
        _status_t,
        [_QrIssuerP, _bytes_t, c_size_t, POINTER(_BufferP), _errbuf_t, c_size_t],
    ),
    "docseal_qr_print": (
        _status_t,
        [_bytes_t, c_size_t, c_uint32, c_uint32, POINTER(_BufferP), _errbuf_t, c_size_t],
    ),
    # `const uint8_t **data_out`: read with string_at(ptr, len), so NUL bytes are kept.
    "docseal_buffer_data": (
        _status_t,
        [_BufferP, POINTER(_bytes_t), POINTER(c_size_t), _errbuf_t, c_size_t],
    ),
    "docseal_buffer_free": (None, [_BufferP]),
    "docseal_scan_normalize": (
        _status_t,
        [
            _bytes_t,
            c_size_t,
            ctypes.c_uint32,
            ctypes.c_uint32,
            POINTER(_BufferP),
            POINTER(_BufferP),
            _errbuf_t,
            c_size_t,
        ],
    ),
}


def _check(result: int, func: Any, args: tuple) -> int:
    """errcheck of every fallible function: raise on a non-OK status; the message is in the
    error buffer, always the last-but-one argument."""
    if result != 0:
        buf = args[-2]
        message = buf.value.decode("utf-8", "replace") if buf is not None else ""
        raise _error(result, message)
    return result


def _declare(lib: ctypes.CDLL) -> None:
    for name, (restype, argtypes) in SIGNATURES.items():
        try:
            func = getattr(lib, name)
        except AttributeError as e:
            raise LibraryNotFoundError(
                f"{library_path} has no function {name}: it is older than this binding "
                f"(docseal {__version__}); rebuild it"
            ) from e
        func.restype = restype
        func.argtypes = argtypes
        if restype is _status_t:
            func.errcheck = _check


_lib, library_path = _load()
_declare(_lib)


def version() -> str:
    """The version of the loaded library, e.g. ``"0.1.0"``."""
    return _lib.docseal_version().decode("utf-8")


def _err_buf() -> ctypes.Array:
    return create_string_buffer(ERR_BUF_LEN)


def _internal_panic_test() -> None:
    """Make the library panic behind its C boundary: always raises :class:`PanicError`.
    For tests of the panic boundary only."""
    _lib.docseal_internal_panic_test(_err_buf(), ERR_BUF_LEN)


# --- handles ---------------------------------------------------------------------------------


class _Handle:
    """A native pointer with its free function, safe against close() during a call in another
    thread: the memory is released when the last call in progress returns."""

    __slots__ = ("_ptr", "_free", "_lock", "_busy", "_closing", "_what")

    def __init__(self, ptr: Any, free: Any, what: str) -> None:
        self._ptr = ptr
        self._free = free
        self._lock = threading.Lock()
        self._busy = 0
        self._closing = False
        self._what = what

    @property
    def closed(self) -> bool:
        return self._closing

    def enter(self) -> Any:
        with self._lock:
            if self._closing:
                raise ClosedError(f"{self._what} is closed")
            self._busy += 1
            return self._ptr

    def leave(self) -> None:
        with self._lock:
            self._busy -= 1
            if not (self._closing and self._busy == 0 and self._ptr is not None):
                return
            ptr, self._ptr = self._ptr, None
        self._free(ptr)

    def close(self) -> None:
        with self._lock:
            if self._closing:
                return
            self._closing = True
            if self._busy:
                return  # the last leave() frees it
            ptr, self._ptr = self._ptr, None
        if ptr is not None:
            self._free(ptr)


class _Owned:
    """Lifetime of an object that owns one native handle (``self._handle``): ``close()``,
    ``closed``, ``with``, and a ``__del__`` that frees a forgotten handle."""

    _handle: Optional[_Handle] = None  # until __init__ sets it: __del__ stays safe
    _kind = "handle"

    def _live(self) -> _Handle:
        if self._handle is None or self._handle.closed:
            raise ClosedError(f"{self._kind} is closed")
        return self._handle

    def _borrow(self, call: Any, *args: Any) -> bytes:
        """What ``call(ptr, *args, &data, &len, err)`` lends, copied while the handle is held."""
        ptr_out, len_out = c_char_p(), c_size_t()
        handle = self._live()
        ptr = handle.enter()
        try:
            call(ptr, *args, byref(ptr_out), byref(len_out), _err_buf(), ERR_BUF_LEN)
            return string_at(ptr_out, len_out.value) if len_out.value else b""
        finally:
            handle.leave()

    def _out(self, call: Any, ctype: Any, *args: Any) -> Any:
        """The value ``call(ptr, *args, &out, err)`` writes to its one out-parameter."""
        out = ctype()
        handle = self._live()
        ptr = handle.enter()
        try:
            call(ptr, *args, byref(out), _err_buf(), ERR_BUF_LEN)
        finally:
            handle.leave()
        return out.value

    @property
    def closed(self) -> bool:
        return self._handle is None or self._handle.closed

    def close(self) -> None:
        """Release the native object; idempotent. What was made from it stays usable."""
        if self._handle is not None:
            self._handle.close()

    def __enter__(self):  # -> Self
        self._live()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:  # interpreter shutdown: never raise from __del__
            pass


def _cert_items(items: Union[CertSource, Iterable[CertSource], None], what: str) -> list:
    if items is None:
        return []
    if isinstance(items, (bytes, bytearray, memoryview, str, os.PathLike)):
        return [items]  # one certificate source rather than a list of them
    try:
        return list(items)
    except TypeError:
        raise TypeError(
            f"{what} must be a list of paths (str, os.PathLike) or certificate bytes, "
            f"not {type(items).__name__}"
        ) from None


def _add_certs(builder: Any, items: Any, kind: str, add_bytes: Any, add_path: Any) -> None:
    """Adds certificate or revocation sources (bytes, or paths the library reads) to a builder."""
    for item in _cert_items(items, kind):
        if isinstance(item, (bytes, bytearray, memoryview)):
            data = bytes(item)
            add_bytes(builder, data, len(data), _err_buf(), ERR_BUF_LEN)
        elif isinstance(item, (str, os.PathLike)):
            add_path(builder, _path_arg(item), _err_buf(), ERR_BUF_LEN)
        else:
            raise TypeError(
                f"{kind} items are paths (str, os.PathLike) or "
                f"bytes, not {type(item).__name__}"
            )


def _path_arg(path: PathType) -> bytes:
    text = os.fspath(path)
    if isinstance(text, bytes):
        raise TypeError("paths are str or os.PathLike[str]; bytes are certificate contents")
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError as e:
        raise ValueError(f"path {text!r} is not valid UTF-8") from e


class Verifier(_Owned):
    """An immutable PDF signature verifier: build once, verify many documents, from any
    number of threads.

    ``trust``: trust anchors; ``intermediates``: CA certificates that are not trusted by
    themselves. Each item is certificate bytes (one DER certificate or a PEM bundle) or a
    path (str / os.PathLike) to a PEM or DER file or to a directory of ``.pem``/``.crt``/
    ``.cer``/``.der`` files. A single item may be given instead of a list. Without ``trust``
    nothing is trusted: signatures come out INDETERMINATE at best.

    ``tsa_trust``: trust anchors for timestamp authorities (default: ``trust``).
    ``crls`` / ``ocsps``: revocation data used besides what the signatures and the document
    carry — bytes (DER or PEM CRLs; one DER OCSP response) or a path to a file or directory.
    Without any, a signature whose revocation status cannot be established is INDETERMINATE
    (TRY_LATER). ``policy``: :class:`Policy` (or ``"practical"`` / ``"legal"``).

    Raises :class:`BadCertificateError`, :class:`IoError`, :class:`InvalidArgumentError`
    (bytes that are not CRLs / OCSP responses), :class:`TypeError`, ValueError.
    """

    _kind = "Verifier"

    def __init__(
        self,
        *,
        trust: Union[CertSource, Iterable[CertSource], None] = (),
        intermediates: Union[CertSource, Iterable[CertSource], None] = (),
        tsa_trust: Union[CertSource, Iterable[CertSource], None] = (),
        crls: Union[CertSource, Iterable[CertSource], None] = (),
        ocsps: Union[CertSource, Iterable[CertSource], None] = (),
        policy: Union[Policy, str] = Policy.PRACTICAL,
    ) -> None:
        if isinstance(policy, str):
            try:
                policy = Policy[policy.upper()]
            except KeyError:
                raise ValueError(f"policy must be 'practical' or 'legal', not {policy!r}") from None
        builder = _lib.docseal_verifier_builder_new()
        try:
            _add_certs(
                builder,
                tsa_trust,
                "tsa_trust",
                _lib.docseal_verifier_builder_add_tsa_anchors,
                _lib.docseal_verifier_builder_add_tsa_path,
            )
            _add_certs(
                builder,
                crls,
                "crls",
                _lib.docseal_verifier_builder_add_crls,
                _lib.docseal_verifier_builder_add_crls_path,
            )
            _add_certs(
                builder,
                ocsps,
                "ocsps",
                _lib.docseal_verifier_builder_add_ocsp,
                _lib.docseal_verifier_builder_add_ocsps_path,
            )
            _lib.docseal_verifier_builder_set_policy(
                builder, int(Policy(policy)), _err_buf(), ERR_BUF_LEN
            )
            _add_certs(
                builder,
                trust,
                "trust",
                _lib.docseal_verifier_builder_add_trust_anchors,
                _lib.docseal_verifier_builder_add_trust_path,
            )
            _add_certs(
                builder,
                intermediates,
                "intermediates",
                _lib.docseal_verifier_builder_add_intermediates,
                _lib.docseal_verifier_builder_add_intermediates_path,
            )
            out = _VerifierP()
            _lib.docseal_verifier_builder_build(builder, byref(out), _err_buf(), ERR_BUF_LEN)
        finally:
            _lib.docseal_verifier_builder_free(builder)
        self._handle = _Handle(out, _lib.docseal_verifier_free, "Verifier")

    def verify(
        self,
        pdf: Union[bytes, bytearray, memoryview, PathType],
        at: Union[_dt.datetime, int, None] = None,
    ) -> Report:
        """Verify every signature of ``pdf`` (bytes, or a path read here) as of ``at``.

        ``at``: a timezone-aware datetime, or Unix seconds (int); None means now. A naive
        datetime is rejected (ValueError): its meaning would depend on the machine.

        Raises :class:`NotPdfError`, :class:`EncryptedError`, :class:`LimitError`,
        :class:`InvalidArgumentError` (time out of range), :class:`ClosedError`, OSError (a
        path that cannot be read), TypeError, ValueError.
        """
        if isinstance(pdf, bytes):
            data = pdf
        elif isinstance(pdf, (bytearray, memoryview)):
            data = bytes(pdf)
        elif isinstance(pdf, (str, os.PathLike)):
            with open(pdf, "rb") as f:
                data = f.read()
        else:
            raise TypeError(f"pdf must be bytes or a path, not {type(pdf).__name__}")
        at_unix = _unix_seconds(at)
        out = _ReportP()
        handle = self._live()
        ptr = handle.enter()
        try:
            _lib.docseal_pdf_verify(
                ptr, data, len(data), at_unix, byref(out), _err_buf(), ERR_BUF_LEN
            )
        finally:
            handle.leave()
        return Report(out)

    def __repr__(self) -> str:
        return f"<docseal.Verifier{' closed' if self.closed else ''}>"


_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1
_EPOCH = _dt.datetime(1970, 1, 1, tzinfo=_dt.timezone.utc)


def extract_revision(pdf: Union[bytes, bytearray, memoryview], n: int) -> bytes:
    """The file as it was when revision ``n`` (1-based) was written: what a signature whose
    report says ``covers_revision == n`` signed. A prefix of ``pdf``.

    Raises :class:`IndexOutOfRangeError` when the file has no revision ``n``,
    :class:`LimitError`, TypeError, ValueError (negative ``n``).
    """
    if not isinstance(pdf, (bytes, bytearray, memoryview)):
        raise TypeError(f"pdf must be bytes, not {type(pdf).__name__}")
    if not isinstance(n, int) or n < 0:
        raise ValueError(f"revision must be a non-negative int, not {n!r}")
    data = bytes(pdf)
    length = c_size_t()
    _lib.docseal_pdf_revision_length(data, len(data), n, byref(length), _err_buf(), ERR_BUF_LEN)
    return data[: length.value]


def _unix_seconds(at: Union[_dt.datetime, int, None]) -> int:
    if at is None:
        return int(_time.time())
    if isinstance(at, bool):
        raise TypeError("at must be a datetime, Unix seconds (int) or None, not bool")
    if isinstance(at, _dt.datetime):
        if at.tzinfo is None or at.utcoffset() is None:
            raise ValueError(
                "at is a naive datetime: give a timezone, e.g. "
                "datetime(..., tzinfo=datetime.timezone.utc)"
            )
        # Exact integer arithmetic (no float): whole seconds, rounded down.
        seconds = (at - _EPOCH) // _dt.timedelta(seconds=1)
    elif isinstance(at, int):
        seconds = int(at)
    else:
        raise TypeError(
            f"at must be a datetime, Unix seconds (int) or None, not {type(at).__name__}"
        )
    if not _INT64_MIN <= seconds <= _INT64_MAX:
        raise InvalidArgumentError(
            Status.INVALID_ARGUMENT, f"validation time {seconds} does not fit in int64"
        )
    return seconds


# --- the report ------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class SignatureSummary:
    """One signature of a :class:`ReportSummary` (JSON ``signatures[i]``)."""

    field: Union[str, bytes, None]  #: field name; bytes when it is not text
    kind: str  #: "signature" or "doc_timestamp"
    verdict: Verdict
    indication: str  #: "PASSED" | "INDETERMINATE" | "FAILED"
    subindication: Optional[str]  #: e.g. "HASH_FAILURE"; None when PASSED
    reason: str  #: one line, for people
    intact: Optional[bool]  #: digest over the /ByteRange bytes == signed digest; None: not computed
    valid: Optional[bool]  #: the signature value verifies; None: not checked (policy, unsupported)
    trusted: bool  #: a verified path to a trust anchor exists
    coverage: str  #: "UNCLEAR" | "CONTIGUOUS_BLOCK" | "ENTIRE_REVISION" | "ENTIRE_FILE"
    signer_name: Union[str, bytes, None]  #: the signer certificate's common name
    signing_time: Optional[_dt.datetime]  #: claimed signing time (UTC, aware)
    warnings: List[str]


@dataclasses.dataclass(frozen=True)
class ReportSummary:
    """The verdict of a document and of each signature (a typed view of :attr:`Report.data`)."""

    verdict: Verdict
    indication: str
    subindication: Optional[str]
    reason: str
    signatures: List[SignatureSummary]


class Report(_Owned):
    """A verification report (JSON schema 2, documented in docseal's ``report::json``).

    Returned by :meth:`Verifier.verify`; immutable, readable from several threads.
    """

    _kind = "Report"

    def __init__(self, ptr: Any) -> None:
        # Private: reports come from Verifier.verify.
        self._handle = _Handle(ptr, _lib.docseal_report_free, "Report")
        self._json: Optional[str] = None
        self._data: Optional[dict] = None
        self._texts: Dict[Lang, str] = {}

    # Each accessor runs between enter() and leave(), and copies what the library lends.
    def _borrowed(self, call: Any, *args: Any) -> str:
        return self._borrow(call, *args).decode("utf-8")

    @property
    def json(self) -> str:
        """The report as JSON text."""
        if self._handle.closed:
            raise ClosedError("Report is closed")
        if self._json is None:
            self._json = self._borrowed(_lib.docseal_report_json)
        return self._json

    @property
    def data(self) -> dict:
        """The report as parsed JSON (cached: the same dict on every access)."""
        text = self.json  # raises ClosedError after close()
        if self._data is None:
            self._data = _json.loads(text)
        return self._data

    def text(self, lang: Union[str, Lang] = "vi") -> str:
        """The report as text for a person: ``"vi"`` (Tiếng Việt) or ``"en"``."""
        if isinstance(lang, Lang):
            key = lang
        elif isinstance(lang, str) and lang.upper() in Lang.__members__:
            key = Lang[lang.upper()]
        else:
            raise ValueError(f"unknown language {lang!r}: use 'vi' or 'en'")
        if self._handle.closed:
            raise ClosedError("Report is closed")
        if key not in self._texts:
            self._texts[key] = self._borrowed(_lib.docseal_report_text, int(key))
        return self._texts[key]

    @property
    def verdict(self) -> Verdict:
        """The document's verdict."""
        return Verdict(self._out(_lib.docseal_report_verdict, _verdict_t))

    @property
    def signature_count(self) -> int:
        """The number of signatures (signed fields)."""
        return self._out(_lib.docseal_report_signature_count, c_size_t)

    def signer(self, index: int) -> str:
        """The signer's certificate common name for signature ``index`` (0-based).

        Raises :class:`IndexOutOfRangeError` (also an IndexError) past the last signature,
        :class:`NotFoundError` when the signer or its common name is unknown.
        """
        index = _index(index)
        return self._borrowed(_lib.docseal_report_signer, index)

    def summary(self) -> ReportSummary:
        """Typed verdicts of the document and of each signature, from :attr:`data`."""
        d = self.data
        return ReportSummary(
            verdict=_verdict_of(d["verdict"]),
            indication=d["indication"],
            subindication=d.get("subindication"),
            reason=d.get("reason", ""),
            signatures=[_signature_summary(s) for s in d.get("signatures", [])],
        )

    def __repr__(self) -> str:
        if self.closed:
            return "<docseal.Report closed>"
        return f"<docseal.Report {self.verdict.name}, {self.signature_count} signature(s)>"


def _index(index: int) -> int:
    if isinstance(index, bool) or not isinstance(index, int):
        raise TypeError(f"index must be an int, not {type(index).__name__}")
    if index < 0:
        raise IndexOutOfRangeError(Status.INDEX_OUT_OF_RANGE, f"index {index} is negative")
    return index


def _verdict_of(text: str) -> Verdict:
    return Verdict[text.upper()]


def _name(value: Optional[dict]) -> Union[str, bytes, None]:
    """A JSON ``Name``: ``{"text": ...}`` -> str, ``{"hex": ...}`` -> bytes."""
    if value is None:
        return None
    if "text" in value:
        return value["text"]
    return bytes.fromhex(value["hex"])


_RFC3339 = re.compile(r"(\d{4}-\d\d-\d\d)[Tt ](\d\d:\d\d:\d\d)(?:\.(\d+))?([Zz]|[+-]\d\d:\d\d)\Z")


def _rfc3339(value: Optional[str]) -> Optional[_dt.datetime]:
    """An RFC 3339 time of the report -> an aware datetime (3.9's fromisoformat lacks 'Z')."""
    if value is None:
        return None
    m = _RFC3339.match(value)
    if not m:
        raise ValueError(f"not an RFC 3339 time: {value!r}")
    date, clock, frac, zone = m.groups()
    micro = f".{(frac + '000000')[:6]}" if frac else ""
    zone = "+00:00" if zone in ("Z", "z") else zone
    return _dt.datetime.fromisoformat(f"{date}T{clock}{micro}{zone}")


def _signature_summary(s: dict) -> SignatureSummary:
    signer = s.get("signer") or {}
    return SignatureSummary(
        field=_name(s.get("field")),
        kind=s["kind"],
        verdict=_verdict_of(s["verdict"]),
        indication=s["indication"],
        subindication=s.get("subindication"),
        reason=s.get("reason", ""),
        intact=s.get("intact"),
        valid=s.get("valid"),
        trusted=bool(s["trusted"]),
        coverage=s["coverage"],
        signer_name=_name(signer.get("common_name")),
        signing_time=_rfc3339(s.get("signing_time")),
        warnings=list(s.get("warnings", [])),
    )


# --- QR result certificates ------------------------------------------------------------------

BytesOrPath = Union[bytes, bytearray, memoryview, str, "os.PathLike[str]"]


def _read(source: BytesOrPath, what: str) -> bytes:
    """Bytes as given, or the contents of a path (read here)."""
    if isinstance(source, bytes):
        return source
    if isinstance(source, (bytearray, memoryview)):
        return bytes(source)
    if isinstance(source, (str, os.PathLike)):
        with open(source, "rb") as f:
            return f.read()
    raise TypeError(f"{what} must be bytes or a path, not {type(source).__name__}")


def _take_buffer(make: Any, *args: Any) -> bytes:
    """Calls ``make(*args, &buffer, err)``, copies the buffer's bytes and frees it."""
    out = _BufferP()
    make(*args, byref(out), _err_buf(), ERR_BUF_LEN)
    try:
        data, length = c_char_p(), c_size_t()
        _lib.docseal_buffer_data(out, byref(data), byref(length), _err_buf(), ERR_BUF_LEN)
        return string_at(data, length.value) if length.value else b""
    finally:
        _lib.docseal_buffer_free(out)


#: ``docseal_scan_normalize`` flags (``DOCSEAL_SCAN_*`` in the header).
_SCAN_COLOR, _SCAN_BINARIZE, _SCAN_NO_QR, _SCAN_REFUSE_LOW_DPI = 1, 2, 4, 8


def normalize_scan(
    image: Union[bytes, bytearray, memoryview],
    *,
    output_dpi: Optional[int] = None,
    color: bool = False,
    binarize: bool = False,
    qr: bool = True,
    refuse_low_dpi: bool = False,
) -> tuple[bytes, dict]:
    """Normalize one scanned page (PNG, JPEG, TIFF, WebP, GIF or BMP bytes): page found, turned
    upright, deskewed, cropped, QR codes read, resampled to ``output_dpi`` (None keeps the scan's; at
    least 200). Returns the page as PNG bytes and the page report as a dict (``skew_deg``,
    ``orientation_deg``, ``page_quad``, ``dpi``, ``below_legal_minimum``, ``qr``, ...;
    ``jpeg_as_is``: the input file itself may go into a PDF unchanged, an upright JPEG without
    EXIF turn that normalization left as it was). Memory is bounded: images whose buffers would
    pass 80 MiB are refused from their header (:class:`LimitError`).

    Raises :class:`BadImageError`, :class:`LimitError`, :class:`BelowLegalMinimumError` (with
    ``refuse_low_dpi``), :class:`InvalidArgumentError` (``output_dpi`` below 200), TypeError.
    """
    if not isinstance(image, (bytes, bytearray, memoryview)):
        raise TypeError(f"image must be bytes, not {type(image).__name__}")
    data = bytes(image)
    flags = (
        (_SCAN_COLOR if color else 0)
        | (_SCAN_BINARIZE if binarize else 0)
        | (0 if qr else _SCAN_NO_QR)
        | (_SCAN_REFUSE_LOW_DPI if refuse_low_dpi else 0)
    )
    png, report = _BufferP(), _BufferP()
    _lib.docseal_scan_normalize(
        data, len(data), output_dpi or 0, flags, byref(png), byref(report), _err_buf(), ERR_BUF_LEN
    )
    try:
        out = []
        for buffer in (png, report):
            ptr, length = c_char_p(), c_size_t()
            _lib.docseal_buffer_data(buffer, byref(ptr), byref(length), _err_buf(), ERR_BUF_LEN)
            out.append(string_at(ptr, length.value))
    finally:
        _lib.docseal_buffer_free(png)
        _lib.docseal_buffer_free(report)
    return out[0], _json.loads(out[1])


class QrVerifier(_Owned):
    """An immutable verifier of QR result certificates (``VN1:`` permits, ``HC1:`` EU DCCs):
    build once, verify many payloads, from any number of threads.

    ``signers``: the trusted signer certificates, as for :class:`Verifier` ``trust`` (bytes of
    one DER certificate or a PEM bundle, or paths to files or directories). Without them
    nothing is trusted: well-formed payloads come out INDETERMINATE.

    Raises :class:`BadCertificateError`, :class:`IoError`, :class:`TypeError`.
    """

    _kind = "QrVerifier"

    def __init__(self, *, signers: Union[CertSource, Iterable[CertSource], None] = ()) -> None:
        builder = _lib.docseal_qr_verifier_builder_new()
        try:
            _add_certs(
                builder,
                signers,
                "signers",
                _lib.docseal_qr_verifier_builder_add_signers,
                _lib.docseal_qr_verifier_builder_add_signers_path,
            )
            out = _QrVerifierP()
            _lib.docseal_qr_verifier_builder_build(builder, byref(out), _err_buf(), ERR_BUF_LEN)
        finally:
            _lib.docseal_qr_verifier_builder_free(builder)
        self._handle = _Handle(out, _lib.docseal_qr_verifier_free, "QrVerifier")

    def verify_text(
        self, text: Union[str, bytes], at: Union[_dt.datetime, int, None] = None
    ) -> QrReport:
        """Verify a payload text (``VN1:…``/``HC1:…``; str, or UTF-8 bytes) as of ``at`` (as
        for :meth:`Verifier.verify`). The report has one symbol, with ``qr_text`` None.

        Raises :class:`InvalidUtf8Error` (bytes that are not UTF-8),
        :class:`InvalidArgumentError` (time out of range), :class:`ClosedError`, TypeError.
        """
        if isinstance(text, str):
            data = text.encode("utf-8")
        elif isinstance(text, (bytes, bytearray, memoryview)):
            data = bytes(text)
        else:
            raise TypeError(f"text must be str or bytes, not {type(text).__name__}")
        return self._verify(_lib.docseal_qr_verify_text, data, at)

    def verify_image(
        self, image: BytesOrPath, at: Union[_dt.datetime, int, None] = None
    ) -> QrReport:
        """Find every QR code in an image (PNG, JPEG, TIFF, WebP, GIF or BMP; bytes, or a path read
        here) and verify
        each readable one as of ``at``: one symbol per readable code.

        Raises :class:`BadImageError`, :class:`NoQrCodeError` (no readable code),
        :class:`InvalidArgumentError`, :class:`ClosedError`, OSError, TypeError.
        """
        return self._verify(_lib.docseal_qr_verify_image, _read(image, "image"), at)

    def _verify(self, call: Any, data: bytes, at: Union[_dt.datetime, int, None]) -> QrReport:
        at_unix = _unix_seconds(at)
        out = _QrReportP()
        handle = self._live()
        ptr = handle.enter()
        try:
            call(ptr, data, len(data), at_unix, byref(out), _err_buf(), ERR_BUF_LEN)
        finally:
            handle.leave()
        return QrReport(out)

    def __repr__(self) -> str:
        return f"<docseal.QrVerifier{' closed' if self.closed else ''}>"


class QrReport(_Owned):
    """The reports of the QR payloads of one input: one symbol for a text, one per readable
    code for an image. Immutable, readable from several threads.

    :attr:`data` is a list with one dict per symbol: the object ``verify_permit --json``
    prints for a payload (``verdict``, ``stages``, ``claims``, ``hcert``, ``kid``, ``signer``,
    ``qr_decoded``, ``qr_text`` and the stage booleans ``prefix_ok`` … ``key_usage_ok``).
    """

    _kind = "QrReport"

    def __init__(self, ptr: Any) -> None:
        # Private: QR reports come from QrVerifier.verify_text / verify_image.
        self._handle = _Handle(ptr, _lib.docseal_qr_report_free, "QrReport")
        self._json: Optional[str] = None
        self._data: Optional[list] = None

    @property
    def json(self) -> str:
        """The report as JSON text (an array, one object per symbol)."""
        self._live()
        if self._json is None:
            self._json = self._borrow(_lib.docseal_qr_report_json).decode("utf-8")
        return self._json

    @property
    def data(self) -> list:
        """The report as parsed JSON (cached: the same list on every access)."""
        text = self.json  # raises ClosedError after close()
        if self._data is None:
            self._data = _json.loads(text)
        return self._data

    @property
    def verdict(self) -> Verdict:
        """The worst verdict over the symbols: VALID only when every symbol is valid."""
        return Verdict(self._out(_lib.docseal_qr_report_verdict, _verdict_t))

    @property
    def symbol_count(self) -> int:
        """The number of symbols (verified payloads), at least 1."""
        return self._out(_lib.docseal_qr_report_symbol_count, c_size_t)

    def symbol_verdict(self, index: int) -> Verdict:
        """The verdict of symbol ``index`` (0-based, the order of :attr:`data`).

        Raises :class:`IndexOutOfRangeError` (also an IndexError) past the last symbol.
        """
        index = _index(index)
        return Verdict(self._out(_lib.docseal_qr_report_symbol_verdict, _verdict_t, index))

    def __repr__(self) -> str:
        if self.closed:
            return "<docseal.QrReport closed>"
        return f"<docseal.QrReport {self.verdict.name}, {self.symbol_count} symbol(s)>"


class QrIssuer(_Owned):
    """Issues signed QR result certificates (``VN1:`` texts) with one key and certificate;
    usable from several threads at once.

    ``key``: an unencrypted PKCS#8 P-256 (ES256) or Ed25519 (EdDSA) private key, DER or PEM;
    ``cert``: its certificate, DER or PEM, exactly one. Each is bytes or a path read here.

    Raises :class:`BadKeyError` (not such a key, or not the certificate's),
    :class:`BadCertificateError`, :class:`InvalidArgumentError` (several certificates),
    OSError, TypeError.
    """

    _kind = "QrIssuer"

    def __init__(self, key: BytesOrPath, cert: BytesOrPath) -> None:
        key_bytes, cert_bytes = _read(key, "key"), _read(cert, "cert")
        out = _QrIssuerP()
        _lib.docseal_qr_issuer_from_pkcs8(
            key_bytes,
            len(key_bytes),
            cert_bytes,
            len(cert_bytes),
            byref(out),
            _err_buf(),
            ERR_BUF_LEN,
        )
        self._handle = _Handle(out, _lib.docseal_qr_issuer_free, "QrIssuer")

    def issue(self, claims: Union[dict, str, bytes]) -> str:
        """Sign ``claims`` and return the ``VN1:`` text to put in a QR code.

        ``claims``: docseal's ``qr::payload::Claims`` as a dict, or as JSON text (str or UTF-8
        bytes): ``iss``, ``iat``, ``exp`` (required), ``nbf`` (Unix seconds) and ``result``.

        Raises :class:`BadClaimsError`, :class:`InvalidUtf8Error`, :class:`ClosedError`,
        TypeError.
        """
        if isinstance(claims, dict):
            data = _json.dumps(claims, ensure_ascii=False).encode("utf-8")
        elif isinstance(claims, str):
            data = claims.encode("utf-8")
        elif isinstance(claims, (bytes, bytearray, memoryview)):
            data = bytes(claims)
        else:
            raise TypeError(f"claims must be a dict, str or bytes, not {type(claims).__name__}")
        handle = self._live()
        ptr = handle.enter()
        try:
            text = _take_buffer(_lib.docseal_qr_issue, ptr, data, len(data))
        finally:
            handle.leave()
        return text.decode("ascii")

    @staticmethod
    def print_png(text: str, dots: int = 4) -> bytes:
        """``text`` as a printable QR code, PNG (8-bit grey): level Q, quiet zone included,
        each module ``dots`` x ``dots`` pixels (1 to 32; 4 at 300 dpi is 0.34 mm).

        Raises :class:`InvalidArgumentError` (dots), :class:`LimitError` (the text does not
        fit a QR code), TypeError.
        """
        return _print(text, dots, QrFormat.PNG)

    @staticmethod
    def print_svg(text: str, dots: int = 4) -> str:
        """``text`` as a printable QR code, SVG; as :meth:`print_png`."""
        return _print(text, dots, QrFormat.SVG).decode("utf-8")

    def __repr__(self) -> str:
        return f"<docseal.QrIssuer{' closed' if self.closed else ''}>"


def _print(text: str, dots: int, fmt: QrFormat) -> bytes:
    if not isinstance(text, str):
        raise TypeError(f"text must be str, not {type(text).__name__}")
    if isinstance(dots, bool) or not isinstance(dots, int):
        raise TypeError(f"dots must be an int, not {type(dots).__name__}")
    if not 0 <= dots <= 0xFFFFFFFF:
        raise InvalidArgumentError(Status.INVALID_ARGUMENT, f"dots {dots} is out of range")
    data = text.encode("utf-8")
    return _take_buffer(_lib.docseal_qr_print, data, len(data), dots, int(fmt))
