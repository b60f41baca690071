"""Signed PDFs: :class:`Verifier` (build once, verify many; or step by step with
:class:`VerifierBuilder`), the :class:`Report` it returns with its typed view
(:class:`ReportSummary`, :class:`SignatureSummary`), :func:`default_limits` and
:func:`extract_revision`."""

from __future__ import annotations

import ctypes
import dataclasses
import datetime as _dt
import json as _json
import os
import re
from ctypes import byref, c_size_t
from typing import Any, Dict, Iterable, List, Mapping, Optional, Union

from ._args import (
    CertSource,
    PathType,
    _add_certs,
    _cert_items,
    _index,
    _path_arg,
    _unix_seconds,
)
from ._ffi import (
    ERR_BUF_LEN,
    LIMIT_NAMES,
    _err_buf,
    _lib,
    _ReportP,
    _take_buffer,
    _verdict_t,
    _VerifierP,
    docseal_limits,
)
from ._handles import _Handle, _Owned
from .enums import Lang, Policy, Verdict
from .errors import ClosedError

__all__ = [
    "Report",
    "ReportSummary",
    "SignatureSummary",
    "Verifier",
    "VerifierBuilder",
    "default_limits",
    "extract_revision",
]


def default_limits() -> Dict[str, int]:
    """The default resource limits of a verifier (``docseal::limits::Limits``), by name:
    ``max_pdf_bytes``, ``max_revisions``, ``max_signatures``, ``max_cms_bytes``,
    ``max_der_depth``, ``max_certificates``, ``max_field_depth``,
    ``max_indirect_stream_lengths``, ``max_decompressed_bytes``,
    ``max_path_signature_checks``, ``max_path_length``, ``max_policy_nodes``,
    ``max_compared_bytes``."""
    c = _c_limits()
    return {name: getattr(c, name) for name in LIMIT_NAMES}


def _c_limits(overrides: Optional[Mapping[str, int]] = None) -> docseal_limits:
    """A ``docseal_limits`` with the library's defaults, then ``overrides``."""
    c = docseal_limits()
    _lib.docseal_limits_init(byref(c), ctypes.sizeof(c), _err_buf(), ERR_BUF_LEN)
    for name, value in (overrides or {}).items():
        if name not in LIMIT_NAMES:
            raise ValueError(f"unknown limit {name!r}; the limits are: {', '.join(LIMIT_NAMES)}")
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"limit {name} must be an int, not {type(value).__name__}")
        if not 0 <= value < 2**64:
            raise ValueError(f"limit {name} must be between 0 and 2**64 - 1, not {value}")
        setattr(c, name, value)
    return c


class VerifierBuilder(_Owned):
    """Configures a :class:`Verifier` step by step (``docseal_verifier_builder``): every
    ``add_*`` method appends, :meth:`remove_trust_anchor` removes one anchor, the ``set_*``
    methods set one option. :meth:`build` may be called several times; the builder stays
    usable. Not for use by several threads at once.

    Timestamp authorities: while no TSA anchor has been added, signature and document
    timestamps are checked against the trust anchors; once one is added, against the TSA
    anchors only (as in Rust and C).

    >>> with VerifierBuilder() as b:                                  # doctest: +SKIP
    ...     report = b.add_trust_profile("vn", "/etc/docseal/vn")
    ...     b.set_limits(max_pdf_bytes=50 * 2**20)
    ...     verifier = b.build()
    """

    _kind = "VerifierBuilder"

    def __init__(self) -> None:
        self._handle = _Handle(
            _lib.docseal_verifier_builder_new(),
            _lib.docseal_verifier_builder_free,
            "VerifierBuilder",
        )

    def _call(self, func: Any, *args: Any) -> None:
        handle = self._live()
        ptr = handle.enter()
        try:
            func(ptr, *args, _err_buf(), ERR_BUF_LEN)
        finally:
            handle.leave()

    def _add(self, sources: tuple, kind: str, add_bytes: Any, add_path: Any) -> None:
        # Each argument is one source or an iterable of them (as Verifier's keywords).
        items: list = []
        for source in sources:
            items.extend(_cert_items(source, kind))
        handle = self._live()
        ptr = handle.enter()
        try:
            _add_certs(ptr, items, kind, add_bytes, add_path)
        finally:
            handle.leave()

    def add_trust(self, *sources: CertSource) -> "VerifierBuilder":
        """Add trust anchors: certificate bytes (one DER certificate or a PEM bundle) or a
        path to a PEM/DER file or a directory of certificates. Default: none (nothing is
        trusted). Raises :class:`BadCertificateError`, :class:`IoError`; nothing is added
        by a source that fails."""
        self._add(
            sources,
            "trust",
            _lib.docseal_verifier_builder_add_trust_anchors,
            _lib.docseal_verifier_builder_add_trust_path,
        )
        return self

    def add_intermediates(self, *sources: CertSource) -> "VerifierBuilder":
        """Add intermediate CA certificates (not trusted by themselves), as :meth:`add_trust`.
        Default: none."""
        self._add(
            sources,
            "intermediates",
            _lib.docseal_verifier_builder_add_intermediates,
            _lib.docseal_verifier_builder_add_intermediates_path,
        )
        return self

    def add_tsa_trust(self, *sources: CertSource) -> "VerifierBuilder":
        """Add trust anchors for timestamp authorities, as :meth:`add_trust`. Default: none,
        and while there is none the trust anchors serve for timestamps."""
        self._add(
            sources,
            "tsa_trust",
            _lib.docseal_verifier_builder_add_tsa_anchors,
            _lib.docseal_verifier_builder_add_tsa_path,
        )
        return self

    def add_crls(self, *sources: CertSource) -> "VerifierBuilder":
        """Add CRLs (DER or PEM bytes, or a path to a file or directory) for revocation
        checking. Default: none. Raises :class:`InvalidArgumentError` for bytes that are not
        CRLs, :class:`IoError` for a path."""
        self._add(
            sources,
            "crls",
            _lib.docseal_verifier_builder_add_crls,
            _lib.docseal_verifier_builder_add_crls_path,
        )
        return self

    def add_ocsps(self, *sources: CertSource) -> "VerifierBuilder":
        """Add OCSP responses (one DER response as bytes, or a path to a file or directory),
        as :meth:`add_crls`. Default: none."""
        self._add(
            sources,
            "ocsps",
            _lib.docseal_verifier_builder_add_ocsp,
            _lib.docseal_verifier_builder_add_ocsps_path,
        )
        return self

    def set_policy(self, policy: Union[Policy, str]) -> "VerifierBuilder":
        """Set the algorithm profile: :class:`Policy` or ``"practical"`` / ``"legal"``.
        Default: ``practical``."""
        self._call(_lib.docseal_verifier_builder_set_policy, int(_policy(policy)))
        return self

    def set_limits(
        self, limits: Optional[Mapping[str, int]] = None, **by_name: int
    ) -> "VerifierBuilder":
        """Set every resource limit at once (``docseal::limits::Limits``), by name, as a
        mapping or keywords, e.g. ``set_limits(max_pdf_bytes=10_000_000)``: a limit not named
        gets its default (see :func:`default_limits`), whatever was set before. A document
        beyond a limit makes :meth:`Verifier.verify` raise :class:`LimitError`.

        Raises ValueError (unknown name, out of range), TypeError (not an int)."""
        merged = dict(limits or {})
        merged.update(by_name)
        c = _c_limits(merged)
        self._call(_lib.docseal_verifier_builder_set_limits, byref(c))
        return self

    def add_trust_profile(self, name: str, directory: PathType) -> Dict[str, Any]:
        """Load the built-in trust profile ``name`` (``"vn"``: Vietnam National Root CA and
        RootCA chuyên dùng Chính phủ G2, pinned by SHA-256) from the certificates installed
        in ``directory`` (or one file), and add it: the pinned roots found become trust
        anchors, the CA certificates that chain to them intermediates. Returns the load
        report (``profile``, ``complete``, ``found``, ``missing``, ``intermediates``,
        ``refused`` with a ``reason`` code each): a missing root or a refused certificate is
        not an error, but the report says so.

        Raises :class:`InvalidArgumentError` (unknown profile), :class:`IoError`,
        :class:`NotFoundError` (none of the pinned roots is there; nothing is added)."""
        if not isinstance(name, str):
            raise TypeError(f"name must be a str, not {type(name).__name__}")
        handle = self._live()
        ptr = handle.enter()
        try:
            text = _take_buffer(
                _lib.docseal_verifier_builder_add_trust_profile,
                ptr,
                name.encode("utf-8"),
                _path_arg(directory),
            )
        finally:
            handle.leave()
        return _json.loads(text.decode("utf-8"))

    def trust_anchors(self) -> List[Dict[str, Any]]:
        """The trust anchors added so far, in order: one dict per certificate, as a report's
        ``signer`` (``subject``, ``common_name``, ``organization``, ``not_before``,
        ``not_after``, ``sha256``, ...)."""
        handle = self._live()
        ptr = handle.enter()
        try:
            text = _take_buffer(_lib.docseal_verifier_builder_list_trust_anchors, ptr)
        finally:
            handle.leave()
        return _json.loads(text.decode("utf-8"))

    def remove_trust_anchor(self, sha256: str) -> None:
        """Remove the trust anchor with this SHA-256 fingerprint (64 hex digits, either case,
        ``:`` or spaces allowed, as ``openssl x509 -fingerprint -sha256`` prints it).

        Raises :class:`NotFoundError` (also a LookupError) when no anchor has it,
        :class:`InvalidArgumentError` when the text is not a fingerprint, TypeError."""
        if not isinstance(sha256, str):
            raise TypeError(f"sha256 must be a str, not {type(sha256).__name__}")
        self._call(_lib.docseal_verifier_builder_remove_trust_anchor, sha256.encode("utf-8"))

    def build(self) -> "Verifier":
        """A :class:`Verifier` of what was configured so far; the builder stays usable."""
        out = _VerifierP()
        self._call(_lib.docseal_verifier_builder_build, byref(out))
        return Verifier._wrap(out)

    def __repr__(self) -> str:
        return f"<docseal.VerifierBuilder{' closed' if self.closed else ''}>"


def _policy(policy: Union[Policy, str]) -> Policy:
    if isinstance(policy, str):
        try:
            return Policy[policy.upper()]
        except KeyError:
            raise ValueError(f"policy must be 'practical' or 'legal', not {policy!r}") from None
    return Policy(policy)


class Verifier(_Owned):
    """An immutable PDF signature verifier: build once, verify many documents, from any
    number of threads.

    ``trust``: trust anchors; ``intermediates``: CA certificates that are not trusted by
    themselves. Each item is certificate bytes (one DER certificate or a PEM bundle) or a
    path (str / os.PathLike) to a PEM or DER file or to a directory of ``.pem``/``.crt``/
    ``.cer``/``.der`` files. A single item may be given instead of a list. Without ``trust``
    (or ``trust_profiles``) nothing is trusted: signatures come out INDETERMINATE at best.

    ``trust_profiles``: ``{name: directory}`` of built-in trust profiles to load (``"vn"``,
    see :meth:`VerifierBuilder.add_trust_profile`); their load reports are kept in
    :attr:`trust_profile_loads`. ``tsa_trust``: trust anchors for timestamp authorities
    (default: none, and then ``trust`` serves for timestamps). ``crls`` / ``ocsps``:
    revocation data used besides what the signatures and the document carry — bytes (DER or
    PEM CRLs; one DER OCSP response) or a path to a file or directory. Without any, a
    signature whose revocation status cannot be established is INDETERMINATE (TRY_LATER).
    ``policy``: :class:`Policy` (or ``"practical"`` / ``"legal"``). ``limits``: resource
    limits by name (see :func:`default_limits`); those not named keep their default.

    For listing or removing trust anchors before building, use :class:`VerifierBuilder`.

    Raises :class:`BadCertificateError`, :class:`IoError`, :class:`InvalidArgumentError`
    (bytes that are not CRLs / OCSP responses, unknown profile), :class:`NotFoundError` (a
    profile none of whose roots is installed), :class:`TypeError`, ValueError.
    """

    _kind = "Verifier"

    #: The load report of each profile of ``trust_profiles``, by name (empty otherwise).
    trust_profile_loads: Dict[str, Dict[str, Any]]

    def __init__(
        self,
        *,
        trust: Union[CertSource, Iterable[CertSource], None] = (),
        intermediates: Union[CertSource, Iterable[CertSource], None] = (),
        tsa_trust: Union[CertSource, Iterable[CertSource], None] = (),
        crls: Union[CertSource, Iterable[CertSource], None] = (),
        ocsps: Union[CertSource, Iterable[CertSource], None] = (),
        policy: Union[Policy, str] = Policy.PRACTICAL,
        limits: Optional[Mapping[str, int]] = None,
        trust_profiles: Optional[Mapping[str, PathType]] = None,
    ) -> None:
        policy = _policy(policy)
        c_limits = _c_limits(limits) if limits is not None else None
        self.trust_profile_loads = {}
        builder = VerifierBuilder()
        try:
            builder.add_tsa_trust(tsa_trust)
            builder.add_crls(crls)
            builder.add_ocsps(ocsps)
            builder.set_policy(policy)
            if c_limits is not None:
                builder._call(_lib.docseal_verifier_builder_set_limits, byref(c_limits))
            builder.add_trust(trust)
            builder.add_intermediates(intermediates)
            for name, directory in (trust_profiles or {}).items():
                self.trust_profile_loads[name] = builder.add_trust_profile(name, directory)
            out = _VerifierP()
            builder._call(_lib.docseal_verifier_builder_build, byref(out))
        finally:
            builder.close()
        self._handle = _Handle(out, _lib.docseal_verifier_free, "Verifier")

    @classmethod
    def _wrap(cls, ptr: Any) -> "Verifier":
        """A Verifier owning ``ptr`` (from ``docseal_verifier_builder_build``)."""
        self = cls.__new__(cls)
        self.trust_profile_loads = {}
        self._handle = _Handle(ptr, _lib.docseal_verifier_free, "Verifier")
        return self

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
