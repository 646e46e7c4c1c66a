"""The Construct schemas (mpycross.mpy.schema, one per format family) against
the hand-written reader and writer: on every official release's outputs
(bytecode, native, viper and inline asm), both read the same fields and the
schema builds back the same bytes the writer writes.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mpycross.mpy import read_mpy, write_mpy
from mpycross.mpy.model import KINDS
from mpycross.mpy.qstrs import decode_str, static_qstrs
from mpycross.mpy.schema import RawVarUint, VarUint, schema, schema_for
from mpycross.mpy.writer import encode_uint
from tests.oracles import GOLDEN_DIR as GOLDEN_ROOT
from tests.oracles import GOLDEN_MISSING
from tests.test_format_roundtrip import (
    ASM_ARCHS,
    FORMAT_PROGRAMS,
    HERE,
    NATIVE_ARCHS,
    PROGRAMS,
    RELEASES,
    compile_official,
)

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
    assert RawVarUint.parse(encode_uint(n) + b"tail") == encode_uint(n)


_ = compile_official  # the fixture, shared with test_format_roundtrip (same compile cache)


def _children(lay, p) -> list:
    if lay.raw_code_head == "kind_len":
        return list(p.consts.children) if p.consts is not None else []
    return list(p.children or [])


def _flatten(lay, p, out) -> list:
    out.append(p)
    for child in _children(lay, p):
        _flatten(lay, child, out)
    return out


def _qstr_text(lay, q) -> str | None:
    """A stored qstr's text, None for a v4/v5 window reference (which needs the window's state)."""
    if lay.qstr_encoding == "inline_len":
        return decode_str(q)
    if lay.qstr_encoding == "window":
        if q.head == 0:
            return static_qstrs()[q.static - 1]
        return None if q.head & 1 else decode_str(q.text)
    return static_qstrs()[(q.head >> 1) - 1] if q.head & 1 else decode_str(q.text)


def _same_names(lay, stored, names) -> None:
    assert len(stored) == len(names)
    for q, name in zip(stored, names):
        text = _qstr_text(lay, q)
        assert text is None or text == name


def assert_schema_agrees(data: bytes, name: str) -> None:
    """The schema parses `data`, builds it back byte for byte, and reads what the reader reads."""
    s = schema_for(data)
    parsed = s.parse(data)
    assert s.build(parsed) == data, f"{name}: the schema builds different bytes"
    mpy = read_mpy(data, name)
    assert write_mpy(mpy) == data, name
    h, lay = mpy.header, mpy.header.layout
    assert (parsed.header.magic.decode(), parsed.header.feature, parsed.header.small_int_bits) == \
        (h.magic, h.feature, h.small_int_bits), name
    if lay.header == "v5":
        assert parsed.header.qstr_window_size == h.qstr_window_size
    if lay.const_table == "global":
        assert [_qstr_text(lay, q) for q in parsed.qstrs] == mpy.qstr_table, name
        assert len(parsed.objs) == len(mpy.obj_table), name
    ours = list(mpy.root.walk())
    theirs = _flatten(lay, parsed.root, [])
    assert len(theirs) == len(ours), name
    for r, p in zip(ours, theirs):
        where = f"{name}: raw code at {r.file_offset}"
        if lay.raw_code_head == "len":
            assert r.kind == "bytecode" and p.fun_data == r.fun_data, where
            _same_names(lay, p.qstrs, r.qstrs)
            _same_names(lay, p.arg_names, r.arg_names)
            assert len(p.objs) == len(r.consts), where
            continue
        assert KINDS[p.kind] == r.kind, where
        if lay.raw_code_head == "kind_len":
            assert p.kind_len >> 2 == len(r.fun_data), where
            if r.kind == "bytecode":
                operands = [i.operand for i in p.code.instructions if isinstance(i.operand, dict)]
                _same_names(lay, list(p.code.names) + operands, r.qstrs)
            else:
                assert p.code == r.fun_data, where
                assert [(link.offset, _qstr_text(lay, link.qstr) or q)
                        for link, (_, q) in zip(p.qstr_links or [], r.qstr_links)] == r.qstr_links, where
            if p.consts is not None:
                _same_names(lay, p.consts.arg_names, r.arg_names)
                assert len(p.consts.objs) == len(r.consts), where
                assert (p.consts.rodata, p.consts.bss_size) == (r.rodata, r.bss_size), where
        else:
            assert p.fun_data == r.fun_data, where
            assert (p.rodata, p.bss_size) == (r.rodata, r.bss_size), where
        assert (p.prelude_offset, p.scope_flags, p.n_pos_args, p.type_sig, p.relocations) == \
            (r.prelude_offset, r.scope_flags, r.n_pos_args, r.type_sig, r.relocations), where


@pytest.mark.parametrize("release", RELEASES)
def test_schema_agrees_on_official_bytecode(compile_official, release):
    checked = 0
    # every format program, and a sample of the test programs (Construct parses slowly)
    for source in FORMAT_PROGRAMS + PROGRAMS[::6]:
        if source.stem in ("native_code", "asm_thumb"):
            continue
        data = compile_official(release, source)
        if data is not None:
            assert_schema_agrees(data, f"{source.name} ({release})")
            checked += 1
    assert checked >= 3


@pytest.mark.parametrize("release", sorted(NATIVE_ARCHS))
def test_schema_agrees_on_official_native_code(compile_official, release):
    kinds = set()
    for arch in NATIVE_ARCHS[release]:
        data = compile_official(release, HERE / "data" / "format_programs" / "native_code.py", f"-march={arch}")
        assert data is not None, f"{release} -march={arch} rejected native_code.py"
        assert_schema_agrees(data, f"native_code.py ({release}, {arch})")
        kinds |= {rc.kind for rc in read_mpy(data).root.walk()}
    for arch in ASM_ARCHS:
        data = compile_official(release, HERE / "data" / "format_programs" / "asm_thumb.py", f"-march={arch}")
        if data is not None:
            assert_schema_agrees(data, f"asm_thumb.py ({release}, {arch})")
            kinds |= {rc.kind for rc in read_mpy(data).root.walk()}
    assert kinds == {"bytecode", "native", "viper", "asm"}


def golden_sample() -> list[Path]:
    # CircuitPython's 'C' files: 8.2 writes v5, 9.x and 10.x v6
    return sorted(GOLDEN.glob("circuitpython-*/O0/*.mpy"))[::8] if GOLDEN.is_dir() else []


@pytest.mark.skipif(not GOLDEN.is_dir(), reason=GOLDEN_MISSING)
def test_schema_agrees_on_circuitpython_files():
    files = golden_sample()
    versions = set()
    for path in files:
        data = path.read_bytes()
        assert data[:1] == b"C"
        assert_schema_agrees(data, str(path))
        versions.add(data[1])
    assert versions == {5, 6}


def test_schema_rejects_what_the_reader_rejects():
    import construct

    from mpycross.errors import FormatError

    with pytest.raises(ValueError, match="no .mpy version 9"):
        schema(9)
    for bad in (b"X\x06\x00\x1f\x00\x00", b"M\x06\x00\x1f\x01\x00"):
        with pytest.raises(construct.ConstructError):
            schema_for(bad).parse(bad)
        with pytest.raises(FormatError):
            read_mpy(bad)


def test_what_the_reader_accepts_the_schema_parses():
    """Mutated official and own files of every version (tests.support.mpy_fuzz): each one
    read_mpy accepts, the schema parses too and builds what write_mpy writes (a
    non-canonical var-uint both read, and both write back canonical)."""
    from mpycross.errors import FormatError
    from tests.support import mpy_fuzz

    accepted = 0
    for label, data in mpy_fuzz.cases(600, seed=5):
        try:
            mpy = read_mpy(data, label)
        except FormatError:
            continue
        accepted += 1
        s = schema_for(data)
        assert s.build(s.parse(data)) == write_mpy(mpy), label
    assert accepted >= 30
