"""Signed PDFs: :class:`Verifier` (build once, verify many), the :class:`Report` it returns
with its typed view (:class:`ReportSummary`, :class:`SignatureSummary`), and
:func:`extract_revision`."""

from __future__ import annotations

import dataclasses
import datetime as _dt
import json as _json
import os
import re
from ctypes import byref, c_size_t
from typing import Any, Dict, Iterable, List, Optional, Union

from ._args import (
    CertSource,
    PathType,
    _add_certs,
    _index,
    _unix_seconds,
)
from ._ffi import ERR_BUF_LEN, _err_buf, _lib, _ReportP, _verdict_t, _VerifierP
from ._handles import _Handle, _Owned
from .enums import Lang, Policy, Verdict
from .errors import ClosedError

__all__ = ["Report", "ReportSummary", "SignatureSummary", "Verifier", "extract_revision"]


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
