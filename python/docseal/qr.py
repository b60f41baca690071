"""QR result certificates: :class:`QrVerifier` and its :class:`QrReport`, and
:class:`QrIssuer`, which signs claims into ``VN1:`` texts and prints them as QR codes."""

from __future__ import annotations

import datetime as _dt
import json as _json
from ctypes import byref, c_size_t
from typing import Any, Iterable, Optional, Union

from ._args import BytesOrPath, CertSource, _add_certs, _index, _read, _unix_seconds
from ._ffi import (
    ERR_BUF_LEN,
    _err_buf,
    _lib,
    _QrIssuerP,
    _QrReportP,
    _QrVerifierP,
    _take_buffer,
    _verdict_t,
)
from ._handles import _Handle, _Owned
from .enums import QrFormat, Status, Verdict
from .errors import InvalidArgumentError

__all__ = ["QrIssuer", "QrReport", "QrVerifier"]


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
