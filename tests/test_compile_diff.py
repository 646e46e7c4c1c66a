"""Byte-for-byte differential tests of the compiler against the official mpy-cross 1.29.

Every program is compiled by `mpycross.compiler.driver.compile_source` and by
the official binary with the same options; the outputs must be identical.
Programs the official compiler rejects must be rejected by ours with the same
message and line. Sources: tests/programs (the language tour), the MicroPython
part of the shared golden programs, the real-library corpus (sampled by
default, complete with `-m slow`), and tests/invalid/compile_*.py.
"""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest

from tests.support.compile_diff import compare, disassemble, error_facts, official_compile, ours_compile
from tests.oracles import GOLDEN_DIR as GOLDEN_ROOT

HERE = Path(__file__).resolve().parent
PROGRAMS = sorted((HERE / "programs").glob("*.py"))
GOLDEN_DIR = GOLDEN_ROOT / "programs"
# before-1.19 holds a program whose jumps overflow v6's 2-byte offsets (it is an invalid program for 1.29)
GOLDEN = sorted(p for p in GOLDEN_DIR.rglob("*.py") if "before-1.19" not in p.parts) if GOLDEN_DIR.is_dir() else []
INVALID = sorted((HERE / "invalid").glob("compile_*.py")) + (
    sorted((GOLDEN_ROOT / "invalid").glob("*.py")) if (GOLDEN_ROOT / "invalid").is_dir() else [])

OPTION_SETS = {
    "default": [],
    "O1": ["-O1"],
    "O2": ["-O2"],
    "O3": ["-O3"],
    "s": ["-s", "lib/odd name.py"],
}


def _corpus() -> list[Path]:
    try:
        from tests.corpus.fetch import corpus_files
    except ImportError:  # pragma: no cover
        return []
    try:
        return sorted(Path(p) for p in corpus_files())
    except Exception:  # pragma: no cover - no network and no cache
        return []


CORPUS = _corpus()
CORPUS_SAMPLE = sorted(random.Random(1729).sample(CORPUS, min(60, len(CORPUS)))) if CORPUS else []


def _rel(p: Path) -> str:
    for base in (HERE, GOLDEN_DIR.parent, Path(os.environ.get("MPYCROSS_CORPUS_DIR", HERE.parent / ".cache"))):
        try:
            return str(p.relative_to(base))
        except ValueError:
            pass
    return p.name


def _check(path: Path, args: list[str]) -> None:
    ref, ref_err = official_compile(path, args)
    ours, our_err = ours_compile(path, args)
    if ref is None:
        # the official compiler rejects it: so must we, with the same error
        assert ours is None, f"mpycross accepts {path}, the official compiler says:\n{ref_err}"
        assert error_facts(our_err) == error_facts(ref_err), f"official: {ref_err}\nours: {our_err}"
        return
    if ours != ref:
        detail = our_err or "\n".join(_first_difference(ref, ours))
        pytest.fail(f"{path} {' '.join(args)}: output differs from mpy-cross 1.29\n{detail}")


def _first_difference(ref: bytes, ours: bytes | None) -> list[str]:
    if ours is None:
        return ["(no output)"]
    a = disassemble(ref).splitlines()
    b = disassemble(ours).splitlines()
    import difflib

    return list(difflib.unified_diff(a, b, "official", "ours", lineterm="", n=2))[:60]


@pytest.mark.parametrize("args", list(OPTION_SETS.values()), ids=list(OPTION_SETS))
@pytest.mark.parametrize("path", PROGRAMS, ids=_rel)
def test_programs(path, args):
    _check(path, args)


@pytest.mark.parametrize("args", list(OPTION_SETS.values()), ids=list(OPTION_SETS))
@pytest.mark.parametrize("path", GOLDEN, ids=_rel)
def test_golden_programs(path, args):
    _check(path, args)


@pytest.mark.parametrize("args", [[], ["-O2"], ["-O3", "-s", "x.py"]], ids=["default", "O2", "O3-s"])
@pytest.mark.parametrize("path", CORPUS_SAMPLE, ids=_rel)
def test_corpus_sample(path, args):
    _check(path, args)


@pytest.mark.slow
@pytest.mark.parametrize("args", list(OPTION_SETS.values()), ids=list(OPTION_SETS))
@pytest.mark.parametrize("path", CORPUS, ids=_rel)
def test_corpus_full(path, args, request):
    if "slow" not in (request.config.getoption("-m") or ""):
        pytest.skip("full corpus sweep: select with -m slow")
    _check(path, args)


@pytest.mark.parametrize("args", [[], ["-s", "other/name.py"]], ids=["default", "s"])
@pytest.mark.parametrize("path", INVALID, ids=_rel)
def test_compile_errors(path, args):
    """Rejected programs: same exception, message and line as the official compiler.

    (Some shared invalid programs are only invalid for CircuitPython; MicroPython
    accepts them, and then the outputs must be identical instead.)"""
    ref, ref_err = official_compile(path, args)
    if ref is not None:
        _check(path, args)
        return
    ours, our_err = ours_compile(path, args)
    assert ours is None, f"mpycross accepts {path}, the official compiler says:\n{ref_err}"
    assert error_facts(our_err) == error_facts(ref_err), f"official: {ref_err}\nours: {our_err}"


@pytest.mark.parametrize("seed", range(24))
def test_random_control_flow(seed, tmp_path):
    """Random nested control flow: jump sizes, unwinding and line tables."""
    from tests.support.genprog import program

    path = tmp_path / f"flow{seed}.py"
    path.write_text(program(seed, budget=100 + 20 * seed))
    _check(path, [])


@pytest.mark.parametrize("seed", range(16))
def test_random_expressions(seed, tmp_path):
    """Random constant expressions: folding, what must not fold, const(), conditions."""
    from tests.support.genprog import expressions

    path = tmp_path / f"expr{seed}.py"
    path.write_text(expressions(seed))
    _check(path, [])


# `_X = const(v)` as the first item of a `;` list (py/parse.c simple_stmt_2): the const becomes a
# line-less pass, but the list node still sets its first token's line (py/compile.c compile_node)
SEMICOLON_CONSTS = [
    "x = 1\n_P = const(3);\nc = 5\n",
    "x = 1\n_P = const(3) ;\n\nc = 5\n",
    "_P = const(3);\n",
    "_P = const(3); c = 4\n",
    "if x:\n    _P = const(3);\n",
    "if x:\n    y = 1\n    _P = const(3);\n    z = 2\n",
    "def f():\n    _P = const(3);\n    return 1\n",
    "x = 1\n_P = const((1,\n 2)); \\\n c = 4\n",
    "x = 1\n_P: int = const(3); \\\n  c = 4\n",
    "x = 1\n_P = const(3); _Q = const(\n4); \\\n c = 5\n",
    "x = 1\na = 2; _P = const(3); \\\n c = 4\n",
    "x = 1\n_P = const(3); _Q = const(4);\nc = 5\n",
    "class C:\n    _P = const(3); \\\n        c = 3\n    d = 4\n",
    "for i in t:\n    x = 1\n    _N = const(5\n    ); a = _N\n",
    "while x: _P = const(3); y = 2\n",
    "x = 1\n_N = const(5\n  )\na = _N\n",
    "x = 1\nX = const(5\n  ); a = X\n",
]


@pytest.mark.parametrize("args", [[], ["-O2"]], ids=["default", "O2"])
@pytest.mark.parametrize("body", SEMICOLON_CONSTS)
def test_private_const_in_semicolon_list(body, args, tmp_path):
    """A dropped private const opening a `;` list keeps the list's line entry."""
    path = tmp_path / "semi.py"
    path.write_text("from micropython import const\n" + body)
    _check(path, args)


def test_option_small_int_bits():
    """-msmall-int-bits changes which integers are small ints."""
    src = HERE / "programs" / "bigints.py"
    if not src.exists():
        pytest.skip("bigints.py not present")
    for bits in (8, 16, 31, 32, 62, 63, 64):
        _check(src, [f"-msmall-int-bits={bits}"])


def test_march_without_native_code_and_native_without_march():
    from mpycross.compiler.driver import UnsupportedOptionError, compile_source
    from mpycross.errors import CompileError

    # no native code: -march leaves the header without an architecture (persistentcode.c)
    assert compile_source("x = 1\n", "a.py", march="x64") == compile_source("x = 1\n", "a.py")
    with pytest.raises(CompileError, match="invalid arch"):
        compile_source("import micropython\n@micropython.native\ndef f():\n    pass\n", "a.py")
    with pytest.raises(UnsupportedOptionError, match="arch not specified"):
        compile_source("x = 1\n", "a.py", emit="native")


def test_deterministic_and_thread_safe():
    from concurrent.futures import ThreadPoolExecutor

    from mpycross.compiler.driver import compile_source

    sources = [p.read_bytes() for p in PROGRAMS[:16]]
    first = [compile_source(s, f"p{i}.py") for i, s in enumerate(sources)]
    with ThreadPoolExecutor(4) as pool:
        again = list(pool.map(lambda a: compile_source(a[1], f"p{a[0] % len(sources)}.py"),
                              enumerate(sources * 2)))
    assert again == first * 2
