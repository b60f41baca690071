"""Scanned pages: :func:`normalize_scan` (page found, upright, deskewed, cropped, QR codes
read, resampled)."""

from __future__ import annotations

import json as _json
from ctypes import byref, c_char_p, c_size_t, string_at
from typing import Optional, Union

from ._ffi import ERR_BUF_LEN, _BufferP, _err_buf, _lib

__all__ = ["normalize_scan"]

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
    ``orientation_deg``, ``skew_confidence`` and ``orientation_confidence`` (0..1: near 0 the
    detector was unsure and the value is a guess; a page is turned only from 0.25 up),
    ``page_quad``, ``dpi``, ``below_legal_minimum``, ``qr``, ...;
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
