"""mpyref's library surface against the real VM: tests/runtime_ref_programs.

Each program exercises one group of builtin modules or methods (the array,
io, struct and math modules, str/bytes methods, formatting, sets, dict
views, deque, ...). It is compiled by the official 1.29 compiler and
imported by the real MicroPython VM; mpyref must print exactly the same
and exit the same way, on the host and, where qemu-system-arm and the
Cortex-M toolchain are installed, on the emulated board with its 64 KiB heap.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from tests.test_runtime_ref import (  # noqa: F401
    ASAN_ENV, RUNTIME, micropython_run, mpyref, mpyref_asan, official_mpy, run_mpyref)

PROGRAMS = sorted((Path(__file__).parent / "runtime_ref_programs").glob("*.py"))


@pytest.mark.parametrize("path", PROGRAMS, ids=lambda p: p.stem)
def test_library_program_prints_what_micropython_prints(mpyref, mpyref_asan, path):
    """The same output as the real VM, from the plain build and from the ASan/UBSan one with no report."""
    ref = micropython_run(path)
    assert ref.returncode == 0, ref.stdout.decode(errors="replace")[-500:]
    for exe, env in ((mpyref, None), (mpyref_asan, ASAN_ENV)):
        got = run_mpyref(exe, official_mpy(path), path.stem, env=env)
        err = got.stderr.decode(errors="replace")
        assert "Sanitizer" not in err and "runtime error" not in err, err[-2000:]
        assert (got.returncode, got.stdout.decode(errors="replace")) == (0, ref.stdout.decode(errors="replace")), \
            err[-500:]


def _board_tools() -> str | None:
    missing = [t for t in ("arm-none-eabi-gcc", "qemu-system-arm") if not shutil.which(t)]
    return f"{', '.join(missing)} not installed" if missing else None


def test_library_programs_run_the_same_on_the_board():
    """All the programs in one go on the emulated Cortex-M3 (64 KiB heap), as on the real VM."""
    why = _board_tools()
    if why:
        pytest.skip(why)
    build = subprocess.run(["make", "-s", "-C", str(RUNTIME), "PLATFORM=mps2-an385"], capture_output=True, text=True)
    assert build.returncode == 0, build.stdout + build.stderr
    failures = []
    for path in PROGRAMS:
        ref = micropython_run(path)
        with tempfile.TemporaryDirectory() as tmp:
            mpy = Path(tmp) / f"{path.stem}.mpy"
            mpy.write_bytes(official_mpy(path))
            got = subprocess.run([str(RUNTIME / "tools" / "board-run"), "run", str(mpy)], cwd=tmp,
                                 capture_output=True, timeout=120)
        if (got.returncode, got.stdout) != (0, ref.stdout):
            failures.append(f"{path.name}: exit {got.returncode} {got.stderr.decode(errors='replace')[-200:]}")
    assert not failures, failures
