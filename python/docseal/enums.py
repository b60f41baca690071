"""The enumerations of include/docseal.h: same names (without the C prefix) and numbers."""

from __future__ import annotations

import enum
from typing import Optional

__all__ = ["Lang", "Policy", "QrFormat", "Status", "Verdict"]


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
