"""Build hook: ship the docseal shared library inside the package (docseal/_lib/).

The metadata is in pyproject.toml. At build time the library comes from, in order:

1. ``DOCSEAL_LIB``: the full path of a built library;
2. ``../target/release/libdocseal.so`` (relative to this file: the repository's cargo
   target, or ``$CARGO_TARGET_DIR/release/``), built first with
   ``cargo build --release --lib`` when it is missing and cargo is on PATH.

Otherwise the build fails and says so. Editable installs (``pip install -e``) copy nothing:
the package then finds ``target/`` by walking up from its own directory at import time.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

from setuptools import Distribution, setup
from setuptools.command.build_py import build_py as _build_py

try:  # setuptools >= 70.1
    from setuptools.command.bdist_wheel import bdist_wheel as _bdist_wheel
except ImportError:  # older setuptools, with the `wheel` package
    try:
        from wheel.bdist_wheel import bdist_wheel as _bdist_wheel
    except ImportError:
        _bdist_wheel = None

HERE = Path(__file__).resolve().parent
REPO = HERE.parent


def library_filename() -> str:
    if sys.platform == "win32":
        return "docseal.dll"
    if sys.platform == "darwin":
        return "libdocseal.dylib"
    return "libdocseal.so"


class LibraryMissing(SystemExit):
    """Stops the build with a message, without a traceback."""


def find_library() -> Path:
    env = os.environ.get("DOCSEAL_LIB")
    if env:
        path = Path(env).expanduser().resolve()
        if not path.is_file():
            raise LibraryMissing(f"error: DOCSEAL_LIB={env!r} is not a file")
        return path
    target = Path(os.environ.get("CARGO_TARGET_DIR") or REPO / "target")
    built = (REPO / target / "release" / library_filename()).resolve()
    if built.is_file():
        return built
    cargo = shutil.which("cargo")
    manifest = REPO / "Cargo.toml"
    if cargo and manifest.is_file():
        print(f"docseal: {built} is missing; running `cargo build --release --lib` in {REPO}")
        result = subprocess.run([cargo, "build", "--release", "--lib"], cwd=REPO)
        if result.returncode == 0 and built.is_file():
            return built
        raise LibraryMissing(
            f"error: `cargo build --release --lib` in {REPO} failed (exit {result.returncode})"
            f" or did not produce {built}"
        )
    why = "cargo is not on PATH" if manifest.is_file() else f"{manifest} does not exist"
    raise LibraryMissing(
        f"error: cannot find the docseal shared library to ship: DOCSEAL_LIB is not set, "
        f"{built} does not exist and it cannot be built ({why}). Build it with "
        f"`cargo build --release --lib` in the repository, or set DOCSEAL_LIB to the full "
        f"path of {library_filename()}."
    )


class build_py(_build_py):
    """build_py that also copies the shared library into docseal/_lib/."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return  # the source tree finds target/ by itself
        source = find_library()
        dest_dir = Path(self.build_lib) / "docseal" / "_lib"
        dest_dir.mkdir(parents=True, exist_ok=True)
        dest = dest_dir / library_filename()
        shutil.copy2(source, dest)
        print(f"docseal: shipping {source} as {dest}")


cmdclass = {"build_py": build_py}

if _bdist_wheel is not None:

    class bdist_wheel(_bdist_wheel):
        """A platform wheel (it holds a native library) for any Python 3: ctypes needs no
        CPython ABI."""

        def finalize_options(self) -> None:
            super().finalize_options()
            self.root_is_pure = False

        def get_tag(self):  # type: ignore[no-untyped-def]
            _, _, plat = super().get_tag()
            return "py3", "none", plat

    cmdclass["bdist_wheel"] = bdist_wheel


class BinaryDistribution(Distribution):
    """Holds a native library: installed to platlib, at the root of a platform wheel."""

    def has_ext_modules(self) -> bool:
        return True


setup(cmdclass=cmdclass, distclass=BinaryDistribution)
