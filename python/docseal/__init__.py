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
3. ``$CARGO_TARGET_DIR/release/`` then ``$CARGO_TARGET_DIR/debug/``, when that is set;
4. ``target/release/`` then ``target/debug/`` of the first ancestor directory of this package
   that has a built library (a source checkout).

A signature or QR payload that does not verify is not an error: the :class:`Report` or
:class:`QrReport` says INVALID or INDETERMINATE. :class:`DocsealError` means that no report
could be produced (not a PDF, an unreadable certificate or image, a bad argument...); its
``status`` is a :class:`Status`, the same number as the C ``docseal_status``.

Handles (:class:`Verifier`, :class:`VerifierBuilder`, :class:`Report`, :class:`QrVerifier`,
:class:`QrReport`, :class:`QrIssuer`) own native memory: use them with ``with`` or call
``close()``; a forgotten handle is freed when it is garbage-collected. All but
:class:`VerifierBuilder` may be used from several threads at once (the GIL is released
during native calls); ``close()`` waits for no one, but the memory is
released only after the calls already in progress return.

The package is layered; everything public is re-exported here, so ``import docseal`` is all a
user needs:

- :mod:`docseal.enums`: :class:`Status`, :class:`Verdict`, :class:`Lang`, :class:`Policy`,
  :class:`QrFormat` (the C enums; they print in lower case, e.g. ``invalid``);
- :mod:`docseal.errors`: :class:`DocsealError` and a subclass per status, :class:`ClosedError`,
  :class:`LibraryNotFoundError`;
- :mod:`docseal.pdf`: :class:`Verifier`, :class:`VerifierBuilder` (trust profiles, listing
  and removing trust anchors, limits), :class:`Report`, :class:`ReportSummary`,
  :class:`SignatureSummary`, :func:`default_limits`, :func:`extract_revision`;
- :mod:`docseal.qr`: :class:`QrVerifier`, :class:`QrReport`, :class:`QrIssuer`;
- :mod:`docseal.scan`: :func:`normalize_scan`;
- private: ``_loader`` (finding the library), ``_ffi`` (the ctypes prototypes and the loaded
  library), ``_handles`` (native handle lifetimes), ``_args`` (argument conversion).
"""

from __future__ import annotations

from ._args import BytesOrPath, CertSource, PathType
from ._ffi import (
    ERR_BUF_LEN,
    SIGNATURES,
    LIMIT_NAMES,
    docseal_buffer,
    docseal_limits,
    docseal_qr_issuer,
    docseal_qr_report,
    docseal_qr_verifier,
    docseal_qr_verifier_builder,
    docseal_report,
    docseal_verifier,
    docseal_verifier_builder,
    library_path,
    version,
)
from ._version import __version__
from .enums import Lang, Policy, QrFormat, Status, Verdict
from .errors import (
    BadCertificateError,
    BadClaimsError,
    BadImageError,
    BadKeyError,
    BelowLegalMinimumError,
    ClosedError,
    DocsealError,
    EncryptedError,
    IndexOutOfRangeError,
    InternalError,
    InvalidArgumentError,
    InvalidUtf8Error,
    IoError,
    LibraryNotFoundError,
    LimitError,
    NoQrCodeError,
    NotFoundError,
    NotPdfError,
    NullArgumentError,
    PanicError,
)
from .pdf import (
    Report,
    ReportSummary,
    SignatureSummary,
    Verifier,
    VerifierBuilder,
    default_limits,
    extract_revision,
)
from .qr import QrIssuer, QrReport, QrVerifier
from .scan import normalize_scan

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
    "VerifierBuilder",
    "default_limits",
    "extract_revision",
    "normalize_scan",
    "library_path",
    "version",
]
