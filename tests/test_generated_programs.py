"""Generated programs compile byte-for-byte like the official mpy-cross 1.29.

Hypothesis draws random, syntactically valid MicroPython modules
(tests/support/program_strategies.py) and an option set; each is compiled by
the official binary and by `mpycross.compile_source`. Outputs must be
identical; where the official compiler rejects a program, ours must reject it
with the same exception, message, line and scope.

The default run is derandomized (the same examples every run, a few hundred
programs in about two minutes). `HYPOTHESIS_PROFILE=full` or `-m slow` draws
thousands of fresh examples.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.oracles import compile_official
from tests.support.compile_diff import disassemble, error_facts
from tests.support.program_strategies import compile_kwargs, long_functions, many_names, options, programs

FULL = os.environ.get("HYPOTHESIS_PROFILE") == "full"
_COMMON = dict(deadline=None, database=None, print_blob=True,
               suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                      HealthCheck.large_base_example, HealthCheck.filter_too_much])


def _settings(examples: int, full_examples: int):
    if FULL:
        return settings(max_examples=full_examples, **_COMMON)
    return settings(max_examples=examples, derandomize=True, **_COMMON)


_TMP = Path(tempfile.mkdtemp(prefix="mpycross-gen-"))
atexit.register(shutil.rmtree, _TMP, True)


def official_compile(source: str, args: list[str]) -> tuple[bytes | None, str]:
    done = compile_official(source, args=args, name=str(_TMP / "prog.py"))
    if done.mpy is not None:
        return done.mpy, ""
    # the official tool aborted: no message to match
    return None, ("CRASH " + done.text) if done.crashed else done.text


def ours_compile(source: str, args: list[str]) -> tuple[bytes | None, str]:
    from mpycross import compile_source
    from mpycross.errors import CompileError

    try:
        return compile_source(source.encode("utf-8"), str(_TMP / "prog.py"), **compile_kwargs(args)), ""
    except CompileError as err:
        return None, err.traceback_text()


def check_same(source: str, args: list[str]) -> bool:
    """Assert identical output (or identical error); return whether the official tool accepted it."""
    ref, ref_err = official_compile(source, args)
    ours, our_err = ours_compile(source, args)
    if ref is None and ref_err.startswith("CRASH"):
        assert ours is None, f"the official compiler crashes, mpycross compiles:\n{ref_err}"
        return False
    if ref is None:
        assert ours is not None or error_facts(our_err) == error_facts(ref_err), \
            f"different error\nofficial: {ref_err}\nours: {our_err}"
        assert ours is None, f"mpycross accepts a program the official compiler rejects:\n{ref_err}"
        return False
    if ours != ref:
        import difflib

        detail = our_err or "\n".join(difflib.unified_diff(
            disassemble(ref).splitlines(), disassemble(ours).splitlines(), "official", "ours",
            lineterm="", n=2))
        pytest.fail(f"output differs from mpy-cross 1.29 ({' '.join(args)}):\n{detail[:4000]}")
    return True


@_settings(examples=400, full_examples=5000)
@given(source=programs(), args=options())
def test_random_programs(source, args):
    check_same(source, args)


@_settings(examples=25, full_examples=500)
@given(source=long_functions(), args=st.sampled_from([[], ["-O3"]]))
def test_long_functions(source, args):
    check_same(source, args)


@_settings(examples=15, full_examples=200)
@given(source=many_names(), args=st.sampled_from([[], ["-O2"]]))
def test_many_names(source, args):
    check_same(source, args)


def test_most_generated_programs_compile():
    """The generator mostly draws programs the official compiler accepts (otherwise the
    differential tests above would mostly compare error messages)."""
    accepted: list[bool] = []

    @settings(max_examples=40, derandomize=True, **_COMMON)
    @given(source=programs())
    def draw(source):
        accepted.append(official_compile(source, [])[0] is not None)

    draw()
    assert len(accepted) >= 30 and sum(accepted) >= 0.8 * len(accepted), f"{sum(accepted)}/{len(accepted)} accepted"


@pytest.mark.slow
@settings(max_examples=3000, **_COMMON)
@given(source=programs(max_statements=80), args=options())
def test_random_programs_many(source, args):
    """The large sweep (select with -m slow): fresh examples every run."""
    check_same(source, args)
