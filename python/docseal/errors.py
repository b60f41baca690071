"""The exceptions of the binding: :class:`DocsealError` (with a subclass per
:class:`~docseal.enums.Status`), :class:`ClosedError` and :class:`LibraryNotFoundError`."""

from __future__ import annotations

from typing import Dict, Union

from .enums import Status

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
    "LibraryNotFoundError",
    "LimitError",
    "NoQrCodeError",
    "NotFoundError",
    "NotPdfError",
    "NullArgumentError",
    "PanicError",
]


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
    """``DOCSEAL_STATUS_INVALID_ARGUMENT``: e.g. a validation time outside years 0000-9999."""


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
