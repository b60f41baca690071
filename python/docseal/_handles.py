"""Native handles shared by the wrapper classes: the pointer and its free function
(:class:`_Handle`), and the ``close()``/``with``/``__del__`` life of an owner (:class:`_Owned`)."""

from __future__ import annotations

import threading
from ctypes import byref, c_char_p, c_size_t, string_at
from typing import Any, Optional

from ._ffi import ERR_BUF_LEN, _err_buf
from .errors import ClosedError


class _Handle:
    """A native pointer with its free function, safe against close() during a call in another
    thread: the memory is released when the last call in progress returns."""

    __slots__ = ("_ptr", "_free", "_lock", "_busy", "_closing", "_what")

    def __init__(self, ptr: Any, free: Any, what: str) -> None:
        self._ptr = ptr
        self._free = free
        self._lock = threading.Lock()
        self._busy = 0
        self._closing = False
        self._what = what

    @property
    def closed(self) -> bool:
        return self._closing

    def enter(self) -> Any:
        with self._lock:
            if self._closing:
                raise ClosedError(f"{self._what} is closed")
            self._busy += 1
            return self._ptr

    def leave(self) -> None:
        with self._lock:
            self._busy -= 1
            if not (self._closing and self._busy == 0 and self._ptr is not None):
                return
            ptr, self._ptr = self._ptr, None
        self._free(ptr)

    def close(self) -> None:
        with self._lock:
            if self._closing:
                return
            self._closing = True
            if self._busy:
                return  # the last leave() frees it
            ptr, self._ptr = self._ptr, None
        if ptr is not None:
            self._free(ptr)


class _Owned:
    """Lifetime of an object that owns one native handle (``self._handle``): ``close()``,
    ``closed``, ``with``, and a ``__del__`` that frees a forgotten handle."""

    _handle: Optional[_Handle] = None  # until __init__ sets it: __del__ stays safe
    _kind = "handle"

    def _live(self) -> _Handle:
        if self._handle is None or self._handle.closed:
            raise ClosedError(f"{self._kind} is closed")
        return self._handle

    def _borrow(self, call: Any, *args: Any) -> bytes:
        """What ``call(ptr, *args, &data, &len, err)`` lends, copied while the handle is held."""
        ptr_out, len_out = c_char_p(), c_size_t()
        handle = self._live()
        ptr = handle.enter()
        try:
            call(ptr, *args, byref(ptr_out), byref(len_out), _err_buf(), ERR_BUF_LEN)
            return string_at(ptr_out, len_out.value) if len_out.value else b""
        finally:
            handle.leave()

    def _out(self, call: Any, ctype: Any, *args: Any) -> Any:
        """The value ``call(ptr, *args, &out, err)`` writes to its one out-parameter."""
        out = ctype()
        handle = self._live()
        ptr = handle.enter()
        try:
            call(ptr, *args, byref(out), _err_buf(), ERR_BUF_LEN)
        finally:
            handle.leave()
        return out.value

    @property
    def closed(self) -> bool:
        """True once ``close()`` was called (or the object was never fully made)."""
        return self._handle is None or self._handle.closed

    def close(self) -> None:
        """Release the native object; idempotent. What was made from it stays usable."""
        if self._handle is not None:
            self._handle.close()

    def __enter__(self):  # -> Self
        self._live()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:  # interpreter shutdown: never raise from __del__
            pass
