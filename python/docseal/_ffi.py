"""The C ABI as ctypes sees it: opaque handle types, the prototype of every function of
include/docseal.h (:data:`SIGNATURES`), the status check raising :class:`DocsealError`, and the
loaded library itself (``_lib``), declared once at import."""

from __future__ import annotations

import ctypes
from ctypes import (
    POINTER,
    Structure,
    byref,
    c_char_p,
    c_int,
    c_int64,
    c_size_t,
    c_uint32,
    c_uint64,
    create_string_buffer,
    string_at,
)
from typing import Any, Dict

from ._loader import _load
from ._version import __version__
from .errors import LibraryNotFoundError, _error

#: Size of the message buffer handed to every fallible call.
ERR_BUF_LEN = 1024


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


class docseal_limits(Structure):
    """``struct docseal_limits``: every resource limit of a verifier, versioned by
    ``struct_size`` (filled by ``docseal_limits_init``); the fields mirror
    ``docseal::limits::Limits``, in the header's order."""

    _fields_ = [
        ("struct_size", c_size_t),
        ("max_pdf_bytes", c_uint64),
        ("max_revisions", c_uint64),
        ("max_signatures", c_uint64),
        ("max_cms_bytes", c_uint64),
        ("max_der_depth", c_uint64),
        ("max_certificates", c_uint64),
        ("max_field_depth", c_uint64),
        ("max_indirect_stream_lengths", c_uint64),
        ("max_decompressed_bytes", c_uint64),
        ("max_path_signature_checks", c_uint64),
        ("max_path_length", c_uint64),
        ("max_policy_nodes", c_uint64),
        ("max_compared_bytes", c_uint64),
    ]


#: The names of the limits, in the order of ``struct docseal_limits``.
LIMIT_NAMES = tuple(name for name, _ in docseal_limits._fields_[1:])

_BuilderP = POINTER(docseal_verifier_builder)
_LimitsP = POINTER(docseal_limits)
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
    "docseal_limits_init": (_status_t, [_LimitsP, c_size_t, _errbuf_t, c_size_t]),
    "docseal_verifier_builder_set_limits": (
        _status_t,
        [_BuilderP, _LimitsP, _errbuf_t, c_size_t],
    ),
    "docseal_verifier_builder_add_trust_profile": (
        _status_t,
        [_BuilderP, c_char_p, c_char_p, POINTER(_BufferP), _errbuf_t, c_size_t],
    ),
    "docseal_verifier_builder_list_trust_anchors": (
        _status_t,
        [_BuilderP, POINTER(_BufferP), _errbuf_t, c_size_t],
    ),
    "docseal_verifier_builder_remove_trust_anchor": (
        _status_t,
        [_BuilderP, c_char_p, _errbuf_t, c_size_t],
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


#: The loaded library, its functions declared; ``library_path``: the file it was loaded from.
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
