"""Behaviour of the test programs (tests/programs/*.py): CPython against the real MicroPython VM.

Each program prints what it computes. Three checks per program:

- the program itself is portable: CPython 3 prints exactly what the real
  MicroPython VM prints when it imports the program compiled by the
  official 1.29 mpy-cross (this validates the corpus, not our compiler);
- (marker `compiler`) the VM prints the same when it imports the `.mpy`
  made by our compiler;
- (marker `compiler`) our `.mpy` is byte-identical to the official one.

The VM imports `name.mpy` from a temporary folder holding nothing else, so
only the compiled file can be what runs.
"""

from __future__ import annotations

import functools
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from tests.oracles import compile_official_file, micropython_vm, official

HERE = Path(__file__).resolve().parent
PROGRAMS_DIR = HERE / "programs"
SUPPORT_DIR = HERE / "support"  # a `micropython` module for CPython runs
PROGRAMS = sorted(p.stem for p in PROGRAMS_DIR.glob("*.py"))


def test_corpus_is_large_enough():
    assert len(PROGRAMS) >= 60, PROGRAMS


@functools.cache
def cpython_output(name: str) -> bytes:
    env = dict(os.environ, PYTHONPATH=str(SUPPORT_DIR), PYTHONHASHSEED="0", PYTHONIOENCODING="utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        proc = subprocess.run([sys.executable, str(PROGRAMS_DIR / f"{name}.py")], cwd=tmp, env=env,
                              capture_output=True, timeout=120)
    assert proc.returncode == 0, f"{name}.py fails under CPython:\n{proc.stderr.decode(errors='replace')}"
    assert proc.stdout, f"{name}.py prints nothing under CPython"
    return proc.stdout


@functools.cache
def official_mpy(name: str) -> bytes:
    """The official 1.29 compiler's .mpy, compiled as `mpy-cross name.py` inside tests/programs."""
    done = compile_official_file(f"{name}.py", cwd=PROGRAMS_DIR)
    assert done.mpy is not None, done.text
    return done.mpy


@functools.cache
def our_mpy(name: str) -> bytes:
    """Our compiler's .mpy for the same file name and source bytes."""
    from mpycross import compile_source

    return compile_source((PROGRAMS_DIR / f"{name}.py").read_bytes(), f"{name}.py")


def run_on_vm(name: str, mpy: bytes) -> bytes:
    """Import name.mpy on the real MicroPython VM; return what it printed."""
    with tempfile.TemporaryDirectory() as tmp:
        Path(tmp, f"{name}.mpy").write_bytes(mpy)
        proc = subprocess.run([str(micropython_vm()), "-c", f"import {name}"], cwd=tmp,
                              capture_output=True, timeout=120)
    assert proc.returncode == 0, (
        f"{name}.mpy fails on the MicroPython VM:\n{proc.stdout.decode(errors='replace')[-2000:]}"
        f"{proc.stderr.decode(errors='replace')[-2000:]}")
    return proc.stdout


def _diff(expected: bytes, got: bytes) -> str:
    import difflib

    return "\n".join(difflib.unified_diff(expected.decode(errors="replace").splitlines(),
                                          got.decode(errors="replace").splitlines(),
                                          "CPython", "MicroPython", lineterm="", n=1))


@pytest.mark.parametrize("name", PROGRAMS)
def test_program_portable(name):
    """CPython output == VM output of the officially compiled program."""
    expected = cpython_output(name)
    got = run_on_vm(name, official_mpy(name))
    assert got == expected, _diff(expected, got)


@pytest.mark.compiler
@pytest.mark.parametrize("name", PROGRAMS)
def test_our_compiler_behaviour(name):
    """The VM running our .mpy prints what CPython prints."""
    expected = cpython_output(name)
    got = run_on_vm(name, our_mpy(name))
    assert got == expected, _diff(expected, got)


@pytest.mark.compiler
@pytest.mark.parametrize("name", PROGRAMS)
def test_our_bytes_match_official(name):
    ours, theirs = our_mpy(name), official_mpy(name)
    if ours != theirs:
        at = next((i for i, (a, b) in enumerate(zip(ours, theirs)) if a != b), min(len(ours), len(theirs)))
        pytest.fail(f"{name}: {len(ours)} bytes vs official {len(theirs)}; first difference at offset {at}")


@pytest.mark.compiler
@pytest.mark.parametrize("opt", [1, 2, 3])
@pytest.mark.parametrize("name", PROGRAMS)
def test_our_bytes_match_official_optimised(name, opt):
    """-O1/-O2 drop asserts and make __debug__ False; -O3 also drops line numbers."""
    from mpycross import compile_source

    ours = compile_source((PROGRAMS_DIR / f"{name}.py").read_bytes(), f"{name}.py", opt=opt)
    proc = subprocess.run([str(official("1.29")), f"-O{opt}", "-o", "-", f"{name}.py"], cwd=PROGRAMS_DIR,
                          capture_output=True, timeout=120)
    assert proc.returncode == 0, proc.stderr.decode(errors="replace")
    assert ours == proc.stdout, f"{name} -O{opt}: {len(ours)} bytes vs official {len(proc.stdout)}"


INT_HEAVY = ["lit_ints", "bigints", "fold_constants", "many_consts", "const_micropython", "op_bitwise"]


@pytest.mark.compiler
@pytest.mark.parametrize("bits", [15, 63])
@pytest.mark.parametrize("name", INT_HEAVY)
def test_our_bytes_match_official_small_int_bits(name, bits):
    """Which ints are small (inline) or objects follows -msmall-int-bits."""
    from mpycross import compile_source

    ours = compile_source((PROGRAMS_DIR / f"{name}.py").read_bytes(), f"{name}.py", small_int_bits=bits)
    proc = subprocess.run([str(official("1.29")), f"-msmall-int-bits={bits}", "-o", "-", f"{name}.py"],
                          cwd=PROGRAMS_DIR, capture_output=True, timeout=120)
    assert proc.returncode == 0, proc.stderr.decode(errors="replace")
    assert ours == proc.stdout
