"""The back end on its own: programs parsed by CPython (tests/support/cpython_ast.py)
compile to the same bytes as the official mpy-cross 1.29.

This checks the back end independently of our MicroPython front end: the
AST comes from CPython's parser instead (only programs both parsers accept,
and whose line details CPython's tree can give, are listed).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.compile_diff import official_compile
from tests.support.cpython_ast import convert

HERE = Path(__file__).resolve().parent
PROGRAMS = sorted((HERE / "programs").glob("*.py"))


@pytest.mark.parametrize("path", PROGRAMS, ids=lambda p: p.name)
def test_backend_with_cpython_ast(path):
    from mpycross.compiler.driver import compile_source

    source = path.read_text(encoding="utf-8")
    try:
        module = convert(source)
    except SyntaxError:
        pytest.skip("CPython does not parse this MicroPython program")
    except NotImplementedError as exc:
        pytest.skip(f"the CPython adapter does not convert {exc}")
    ref, err = official_compile(path, [])
    assert ref is not None, err
    ours = compile_source(b"", str(path), module=module)
    assert ours == ref
