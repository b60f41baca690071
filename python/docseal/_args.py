"""Checking and converting the arguments of the wrappers before they cross the C boundary:
certificate sources, paths, validation times, indexes, bytes-or-path inputs."""

from __future__ import annotations

import datetime as _dt
import os
import time as _time
from typing import Any, Iterable, Union

from ._ffi import ERR_BUF_LEN, _err_buf
from .enums import Status
from .errors import IndexOutOfRangeError, InvalidArgumentError

#: A filesystem path: str or os.PathLike[str] (bytes are contents, never paths).
PathType = Union[str, "os.PathLike[str]"]
#: A certificate (or revocation data) source: its bytes, or a path the library reads.
CertSource = Union[bytes, bytearray, memoryview, str, "os.PathLike[str]"]
#: Input given as bytes, or as a path read by the binding.
BytesOrPath = Union[bytes, bytearray, memoryview, str, "os.PathLike[str]"]


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


_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1
_EPOCH = _dt.datetime(1970, 1, 1, tzinfo=_dt.timezone.utc)


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


def _index(index: int) -> int:
    if isinstance(index, bool) or not isinstance(index, int):
        raise TypeError(f"index must be an int, not {type(index).__name__}")
    if index < 0:
        raise IndexOutOfRangeError(Status.INDEX_OUT_OF_RANGE, f"index {index} is negative")
    return index


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
