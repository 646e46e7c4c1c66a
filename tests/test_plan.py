"""The compile plan: what a target changes is passed to each phase, never looked up on the side.

A parse's result depends only on its arguments (no ambient target), compiles
for different targets may run side by side in threads, the v2-v4 qstr numbers
come from the tokens the parser read, and the compiler's sources keep no
context variables, no "no target" defaults in passes and no `.mpy` version
comparisons in `codegen` / `driver`.
"""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from mpycross.compiler import raw_qstr_ids
from mpycross.compiler.driver import compile_source
from mpycross.compiler.lexer import Lexer
from mpycross.compiler.parser import parse
from mpycross.compiler.plan import Syntax, plan_for
from mpycross.errors import CompileError
from mpycross.targets import DEFAULT_TARGET, resolve_target

COMPILER = Path(__file__).resolve().parents[1] / "src" / "mpycross" / "compiler"
PROGRAMS = Path(__file__).resolve().parent / "programs"


def test_parse_depends_only_on_its_arguments():
    old = Syntax.of(resolve_target("micropython-1.16"))
    source = b'x = f"{a}"\n'
    assert parse(source, "t.py").body  # the default target has f-strings
    with pytest.raises(CompileError, match="invalid syntax"):
        parse(source, "t.py", old)
    assert parse(source, "t.py").body  # nothing was left behind by the call before


def test_the_plan_follows_the_target_data():
    new, v5, v4 = (plan_for(t) for t in (DEFAULT_TARGET, "micropython-1.18", "micropython-1.11"))
    assert (new.module_tables, v5.module_tables, v4.module_tables) == (True, False, False)
    # (v5: in native code, for the releases with a measured table: CircuitPython 8.2.10's too)
    assert (new.build_qstr_numbers, v5.build_qstr_numbers, v4.build_qstr_numbers) == (False, True, True)
    assert plan_for("circuitpython-8.2").build_qstr_numbers is True
    assert plan_for("circuitpython-9.2").build_qstr_numbers is False
    assert new.syntax.fstrings and not v4.syntax.fstrings
    assert new.fold.truth.small_int_range is None
    # before 1.19 the parser's small ints are the host's 63-bit ones, whatever the target's size
    assert v5.fold.truth.small_int_range == (-(1 << 62), (1 << 62) - 1)
    assert plan_for("micropython-1.19").fold.truth.small_int_range == (-(1 << 30), (1 << 30) - 1)
    assert plan_for(DEFAULT_TARGET, small_int_bits=8).small_int_range == (-128, 127)


def test_compiles_for_different_targets_run_side_by_side():
    sources = [p.read_bytes() for p in sorted(PROGRAMS.glob("*.py"))[:12]]
    targets = ["micropython-1.29", "micropython-1.16", "micropython-1.11", "micropython-1.9"]
    jobs = [(s, t) for s in sources for t in targets]

    def one(job):
        source, target = job
        try:
            return compile_source(source, "t.py", target=target)
        except CompileError as err:
            return str(err)

    alone = [one(job) for job in jobs]
    with ThreadPoolExecutor(4) as pool:
        together = list(pool.map(one, jobs))
    assert together == alone
    assert len(set(alone)) > len(sources)  # the targets really differ


def test_v4_qstr_numbers_come_from_the_tokens_the_parser_read():
    syntax = Syntax.of(resolve_target("micropython-1.11"))
    checked = 0
    for path in sorted(PROGRAMS.glob("*.py")):
        source = path.read_bytes()
        tokens: list = []
        try:
            parse(source, path.name, syntax, tokens)
        except CompileError:
            continue
        relexed = list(Lexer(source, syntax).tokens())
        assert [(t.type, t.line) for t in tokens] == [(t.type, t.line) for t in relexed], path.name
        ids = raw_qstr_ids.qstr_ids("1.11", tokens, path.name, path.name)
        assert ids == raw_qstr_ids.qstr_ids("1.11", relexed, path.name, path.name), path.name
        checked += 1
    assert checked > 10


def _sources(*names):
    return [(name, (COMPILER / name).read_text()) for name in names]


def test_no_hidden_per_compile_state_in_the_compiler():
    for path in sorted(COMPILER.glob("*.py")):
        text = path.read_text()
        assert "ContextVar" not in text, path.name
        assert "v5_tables" not in text, path.name
    # the passes take their target; only the public entry point defaults it
    for path in sorted(COMPILER.glob("*.py")):
        if path.name != "driver.py":
            assert not re.search(r"target is None|target=None", path.read_text()), path.name


def test_codegen_and_driver_compare_no_versions():
    comparison = re.compile(r"version\w*\s*(<|>|==|!=|<=|>=|\bin\b)|(<|>|==|!=|<=|>=)\s*\w*\.?\w*version")
    for name, text in _sources("codegen.py", "driver.py"):
        assert not comparison.search(text), name
