"""The Construct schema (mpycross.mpy.schema) against the hand-written reader
and writer: both read the same fields, both build the same bytes.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mpycross.mpy import read_mpy, write_mpy
from mpycross.mpy.qstrs import static_qstrs
from mpycross.mpy.schema import HeaderV5, MpyV6, VarUint
from mpycross.mpy.writer import encode_uint
from tests.oracles import GOLDEN_DIR as GOLDEN_ROOT
from tests.oracles import GOLDEN_MISSING

GOLDEN = GOLDEN_ROOT / "out"
# (value, MicroPython encoding): py/persistentcode.c mp_print_uint, high group first
SAMPLES = [(0, b"\x00"), (127, b"\x7f"), (128, b"\x81\x00"), (300, b"\x82\x2c"),
           (16383, b"\xff\x7f"), (16384, b"\x81\x80\x00"), (2 ** 32, b"\x90\x80\x80\x80\x00")]


@pytest.mark.parametrize("value,encoded", SAMPLES)
def test_varuint_both_directions(value, encoded):
    assert VarUint.parse(encoded) == value
    assert VarUint.build(value) == encoded
    assert encode_uint(value) == encoded


def test_varuint_is_not_leb128():
    import construct

    assert construct.VarInt.build(300) != VarUint.build(300)


@given(st.integers(0, 2 ** 64))
def test_varuint_round_trip(n):
    assert VarUint.parse(VarUint.build(n)) == n
    assert encode_uint(n) == VarUint.build(n)


def v6_files() -> list[Path]:
    return sorted(GOLDEN.glob("circuitpython-1*/O0/*.mpy"))[:60] if GOLDEN.is_dir() else []


def _flatten(rc, out):
    out.append(rc)
    for child in rc.children or []:
        _flatten(child, out)
    return out


@pytest.mark.skipif(not GOLDEN.is_dir(), reason=GOLDEN_MISSING)
def test_schema_agrees_with_reader_and_writer():
    files = v6_files()
    assert files
    for path in files:
        data = path.read_bytes()
        parsed = MpyV6.parse(data)
        assert MpyV6.build(parsed) == data, path
        mpy = read_mpy(data, str(path))
        assert write_mpy(mpy) == data
        names = [static_qstrs()[(q.head >> 1) - 1] if q.head & 1 else q.text.decode() for q in parsed.qstrs]
        assert names == mpy.qstr_table
        assert len(parsed.objs) == len(mpy.obj_table)
        ours = list(mpy.root.walk())
        theirs = _flatten(parsed.root, [])
        assert [r.fun_data for r in theirs] == [r.fun_data for r in ours]
        assert [("bytecode", "native", "viper", "asm")[r.kind] for r in theirs] == [r.kind for r in ours]


def test_schema_native_sections(tmp_path):
    import subprocess

    from tests.oracles import official

    src = Path(__file__).resolve().parent / "data" / "format_programs" / "native_code.py"
    out = tmp_path / "n.mpy"
    subprocess.run([str(official("1.29")), "-march=armv7m", "-o", str(out), str(src)], check=True)
    data = out.read_bytes()
    parsed = MpyV6.parse(data)
    assert MpyV6.build(parsed) == data
    kinds = {r.kind for r in _flatten(parsed.root, [])}
    assert kinds == {0, 1, 2}


def test_v5_header_schema(tmp_path):
    import subprocess

    from tests.oracles import official

    src = Path(__file__).resolve().parent / "data" / "format_programs" / "basics.py"
    out = tmp_path / "b.mpy"
    subprocess.run([str(official("1.12")), "-o", str(out), str(src)], check=True)
    data = out.read_bytes()
    h = HeaderV5.parse(data)
    mpy = read_mpy(data)
    assert (h.header.version, h.qstr_window_size) == (5, mpy.header.qstr_window_size) == (5, 32)
