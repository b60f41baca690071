"""The enumerations of include/docseal.h: same names (without the C prefix) and numbers."""

from __future__ import annotations

import enum
from typing import Optional

__all__ = ["Lang", "Policy", "QrFormat", "Status", "Verdict"]

#: Format types that ask for a number (``f"{verdict:d}"``); any other spec formats the name.
_NUMERIC_FORMATS = frozenset("bcdoxXneEfFgG%")


class _CEnum(enum.IntEnum):
    """A C enum: an ``int`` equal to the C number (it crosses ctypes as one), that prints as
    its lower-case name (``str(Verdict.INVALID) == "invalid"``, also in f-strings and
    ``format``); ``repr`` stays ``<Verdict.INVALID: 1>`` and a numeric format spec (``:d``,
    ``:x``...) still gives the number."""

    def __str__(self) -> str:
        return self.name.lower()

    def __format__(self, format_spec: str) -> str:
        if format_spec and format_spec[-1] in _NUMERIC_FORMATS:
            return int.__format__(int(self), format_spec)
        return format(str(self), format_spec)


class Status(_CEnum):
    """``docseal_status``: same names (without ``DOCSEAL_STATUS_``) and numbers, forever.

    Prints in lower case (``not_pdf``); a number this binding does not know (from a newer
    library) is kept, named ``UNKNOWN_<number>``."""

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


class Verdict(_CEnum):
    """``docseal_verdict``: the document's (or one signature's) simple answer; prints as
    ``valid``, ``invalid`` or ``indeterminate``."""

    VALID = 0  #: every signature verified and trusted (ETSI PASSED)
    INVALID = 1  #: a check proved a signature wrong (ETSI FAILED)
    INDETERMINATE = 2  #: neither (ETSI INDETERMINATE)


class Lang(_CEnum):
    """``docseal_lang``: language of :meth:`Report.text`; prints as ``vi`` or ``en``, which
    :meth:`Report.text` also accepts."""

    VI = 0
    EN = 1


class Policy(_CEnum):
    """``docseal_policy``: the algorithm profile of a :class:`Verifier`; prints as
    ``practical`` or ``legal``, which :class:`Verifier` also accepts."""

    PRACTICAL = 0
    LEGAL = 1


class QrFormat(_CEnum):
    """``docseal_qr_format``: image format of :meth:`QrIssuer.print_png` / ``print_svg``;
    prints as ``png`` or ``svg``."""

    PNG = 0
    SVG = 1
