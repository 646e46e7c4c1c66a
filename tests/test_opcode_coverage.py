"""Every v6 opcode is produced when the test programs are compiled.

The programs (tests/programs/*.py) are compiled, each `.mpy` is read with
the format layer (`mpycross.mpy.read_mpy`) and its bytecode decoded with
the v6 table (formats/bytecode/v6.toml). Two levels:

- every opcode *name* of the table appears (LOAD_FAST_MULTI counts once);
- every opcode *byte* the table defines appears (each of the 64 small ints,
  16 fast-local slots, 4 unary and 35 binary operators of the MULTI ranges).

Run over the official 1.29 compiler's output it checks the corpus itself;
over ours (marker `compiler`) it checks that our compiler reaches every
opcode.

The same corpus must also exercise every rule of grammar/micropython.lark:
each reduction the LALR parser makes is recorded while parsing the programs.
"""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

from tests.oracles import compile_official_file

PROGRAMS_DIR = Path(__file__).resolve().parent / "programs"
PROGRAMS = sorted(p.stem for p in PROGRAMS_DIR.glob("*.py"))


def _table():
    from mpycross.mpy.opcodes import opcode_table

    return opcode_table("v6")


def opcodes_in(mpy: bytes) -> set[int]:
    """The opcode bytes of every bytecode function in a v6 .mpy file."""
    from mpycross.mpy import read_mpy
    from mpycross.mpy.opcodes import decode
    from mpycross.mpy.prelude import decode_prelude

    table = _table()
    found = set()
    for rc in read_mpy(mpy).root.walk():
        if rc.kind != "bytecode":
            continue
        code = rc.fun_data
        ip = decode_prelude(code, 0, "v5", "qstr_indices").bytecode_offset
        while ip < len(code):
            ins = decode(table, code, ip)
            found.add(ins.opcode)
            ip += ins.size
    return found


def official_mpy(name: str) -> bytes:
    done = compile_official_file(f"{name}.py", cwd=PROGRAMS_DIR)
    assert done.mpy is not None, done.text
    return done.mpy


def our_mpy(name: str) -> bytes:
    from mpycross import compile_source

    return compile_source((PROGRAMS_DIR / f"{name}.py").read_bytes(), f"{name}.py")


@functools.cache
def coverage(compiler: str) -> set[int]:
    compile_one = official_mpy if compiler == "official" else our_mpy
    seen: set[int] = set()
    for name in PROGRAMS:
        seen |= opcodes_in(compile_one(name))
    return seen


def _describe(op: int) -> str:
    info = _table().slots[op]
    k = op - info.code
    if info.name == "LOAD_CONST_SMALL_INT_MULTI":
        return f"0x{op:02x} {info.name} ({k - info.excess})"
    if info.ops:
        return f"0x{op:02x} {info.name} ({info.ops[k]})"
    if info.count > 1:
        return f"0x{op:02x} {info.name} ({k})"
    return f"0x{op:02x} {info.name}"


def check(compiler: str) -> None:
    table = _table()
    seen = coverage(compiler)
    defined = [op for op in range(256) if table.slots[op] is not None]
    assert len(defined) > 150  # the table really is loaded
    names = {table.slots[op].name for op in defined}
    missing_names = sorted(names - {table.slots[op].name for op in seen if table.slots[op]})
    assert not missing_names, f"opcodes never produced by the {compiler} compiler: {missing_names}"
    missing_bytes = [op for op in defined if op not in seen]
    assert not missing_bytes, (f"opcode bytes never produced by the {compiler} compiler: "
                               + ", ".join(_describe(op) for op in missing_bytes))


def test_opcode_coverage_official():
    """The programs themselves reach every opcode (judged by the official compiler)."""
    check("official")


@pytest.mark.compiler
def test_opcode_coverage_ours():
    check("ours")


# Rules no portable program can contain: CPython 3.9+ rejects an unparenthesised
# lambda as a comprehension's `if` condition (MicroPython's lambdef_nocond).
UNPORTABLE_RULES = {"lambdef_nocond"}


def grammar_rules(sources) -> tuple[set[str], set[str]]:
    """(every rule of the grammar, the rules reduced while parsing sources).

    Uses the parser's flattened tables: `reductions` is a list of
    (size, rule name, callback), a None callback passing its one child up.
    """
    import copy

    from mpycross.compiler import parser
    from mpycross.compiler.plan import default_syntax

    syntax = default_syntax()
    tables = parser.get_parser(syntax)
    used: set[str] = set()

    def recording(size, origin, callback):
        def record(children):
            used.add(origin)
            return children[0] if callback is None else callback(children)
        return size, origin, record

    spy = copy.copy(tables)
    spy.reductions = [recording(*r) for r in tables.reductions]
    spy.by_action = spy.reductions[::-1]  # (the parser looks reductions up by action)
    # the shared tables cache chains of unit reductions that skip their
    # callbacks; the spy starts with its own, empty cache so it sees them all
    spy.unit_chains = {}
    every = {origin for _, origin, _ in tables.reductions}
    for source in sources:
        spy.run(parser.Lexer(source, syntax))
    return every, used


def test_grammar_rule_coverage():
    every, used = grammar_rules((PROGRAMS_DIR / f"{name}.py").read_bytes() for name in PROGRAMS)
    assert len(every) > 50 and UNPORTABLE_RULES <= every
    missing = sorted(every - used - UNPORTABLE_RULES)
    assert not missing, f"grammar rules no test program uses: {missing}"
