"""Finding and loading the docseal shared library (the lookup order is in the package
docstring and python/README.md)."""

from __future__ import annotations

import ctypes
import os
import sys
from pathlib import Path
from typing import List

from .errors import LibraryNotFoundError


def _library_filename() -> str:
    if sys.platform == "win32":
        return "docseal.dll"
    if sys.platform == "darwin":
        return "libdocseal.dylib"
    return "libdocseal.so"


def _candidates() -> List[Path]:
    """Where the library may be, in lookup order (``DOCSEAL_LIB`` is handled separately)."""
    name = _library_filename()
    package = Path(__file__).resolve().parent
    found = [package / "_lib" / name]
    # Where cargo builds when told to build elsewhere; relative to the current directory, as
    # cargo reads it.
    cargo_target = os.environ.get("CARGO_TARGET_DIR")
    if cargo_target:
        target = Path(cargo_target).expanduser().resolve()
        found.append(target / "release" / name)
        found.append(target / "debug" / name)
    for ancestor in package.parents:
        found.append(ancestor / "target" / "release" / name)
        found.append(ancestor / "target" / "debug" / name)
    return found


def _load() -> tuple[ctypes.CDLL, str]:
    env = os.environ.get("DOCSEAL_LIB")
    if env:
        path = Path(env).expanduser().resolve()
        try:
            return ctypes.CDLL(str(path)), str(path)
        except OSError as e:
            raise LibraryNotFoundError(
                f"cannot load the docseal library from DOCSEAL_LIB={env!r}: {e}"
            ) from e
    tried = ["DOCSEAL_LIB (not set)"]
    if not os.environ.get("CARGO_TARGET_DIR"):
        tried.append("CARGO_TARGET_DIR (not set)")
    for path in _candidates():
        if not path.is_file():
            tried.append(f"{path} (missing)")
            continue
        try:
            return ctypes.CDLL(str(path)), str(path)
        except OSError as e:
            tried.append(f"{path} ({e})")
    raise LibraryNotFoundError(
        "cannot find the docseal shared library; tried:\n  "
        + "\n  ".join(tried)
        + "\nbuild it with `cargo build --release --lib` in the repository, or set DOCSEAL_LIB "
        "to the full path of " + _library_filename()
    )
