"""Regression programs for defects found in mpyref, run against the real VM.

Each program is compiled by the official 1.29 compiler and imported on the
real MicroPython VM; mpyref (and its ASan/UBSan build) must print the same.
The verifier cases are valid official outputs mpyref used to reject.
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

import pytest

from tests.oracles import micropython_vm
from tests.test_runtime_ref import ASAN_ENV, _compile_text, mpyref, mpyref_asan, run_mpyref  # noqa: F401

DEFECTS = {
    # a thrown or raised non-exception becomes TypeError (py/runtime.c mp_make_raise_obj);
    # END_FINALLY used to take the int for an unwind count
    "throw_non_exception": """
def gen():
    yield
try:
    gen().throw(1)
except TypeError as e:
    print("TypeError", e)
def gen2():
    try:
        yield 1
    finally:
        print("finally runs")
g = gen2()
next(g)
try:
    g.throw(1)
except TypeError as e:
    print("TypeError", e)
try:
    raise 1
except TypeError as e:
    print("raise", e)
try:
    raise int
except TypeError as e:
    print("raise class", e)
""",
    # 3-argument pow reduces as it goes (py/mpz.c mpz_pow3_inpl): big exponents finish
    "pow_modular": """
print(pow(3, 10**30, 1000000007))
print(pow(2, 100, 7), pow(-3, 5, 7), pow(3, 5, -7), pow(5, 0, -3), pow(5, -1, 7), pow(7, 3, 1))
print(pow(123456789123456789, 987654321987654321, 2**61 - 1))
for args in ((2, 3, 0), (2.0, 3, 5)):
    try:
        pow(*args)
    except (ValueError, TypeError) as e:
        print(type(e).__name__, e)
""",
    # reversed() of an object with __len__/__getitem__ counts down lazily (py/objreversed.c)
    "reversed_sequence_protocol": """
class Forever:
    def __len__(self):
        return 3
    def __getitem__(self, i):
        return i * 10
class Own:
    def __reversed__(self):
        return iter("own")
print(list(reversed(Forever())), list(reversed(Own())))
print(list(reversed([1, 2, 3])), list(reversed("abc")), list(reversed(range(4))))
""",
    # leaving a function by an exception must give back its recursion depth
    "call_depth_after_exceptions": """
def f():
    raise ValueError
n = 0
for i in range(3000):
    try:
        f()
    except ValueError:
        n += 1
def g(k):
    if k == 0:
        raise KeyError(1)
    g(k - 1)
for i in range(300):
    try:
        g(20)
    except KeyError:
        n += 1
def r(k):
    return r(k + 1)
try:
    r(0)
except RuntimeError as e:
    print("RuntimeError", e)
print(n)
""",
    # MicroPython checks only the UTF-8 sequence structure (py/unicode.c unicode_encoding_check)
    "bytes_decode_checks_utf8": """
for b in (b"\\xff", b"\\xc3", b"abc\\xc3\\xa9", b"\\xe2\\x82", b"\\x80", b"\\xed\\xa0\\x80", b"\\xc0\\x80", b"\\xf8\\x80\\x80\\x80"):
    for conv in (lambda b: b.decode(), lambda b: str(b, "utf-8"), lambda b: bytearray(b).decode()):
        try:
            print(repr(conv(b)))
        except UnicodeError as e:
            print("UnicodeError", repr(str(e)))
""",
    # out-of-range float -> int conversions are exact or raise, never undefined behaviour
    "float_to_int_out_of_range": """
import math
print("%d" % 2.0**100, "%d" % -1e25, "%i" % 1e19)
print(int(1e30), int(-1e19), round(1e20), int(2.0**63), int(-2.0**63), math.floor(-1e300) == -10**300 // 1)
for f in (lambda: round(float("inf")), lambda: int(float("-inf")), lambda: int(float("nan")), lambda: "%d" % float("inf"),
          lambda: math.floor(float("inf")), lambda: round(float("nan"))):
    try:
        print(f())
    except (OverflowError, ValueError) as e:
        print(type(e).__name__, e)
""",
    # valid official outputs the verifier used to reject: the compiler counts the stack and
    # exception blocks of code it drops after return/raise/break/continue (py/emitbc.c suppress)
    "dead_code_after_terminals": """
def f():
    return 1; print(1, 2, 3)
def g():
    assert 1, [1, 2, 3]
    return 2
def h():
    return 3
    try:
        pass
    finally:
        print(1, 2, 3, 4)
def k():
    while True:
        break
        print(1, 2, 3, 4, 5)
    for i in range(2):
        continue
        print(1, 2, 3, 4, 5, 6)
    raise ValueError
    [1, 2, 3, 4, 5, 6, 7]
class C:
    def m(self):
        with self:
            return 4
        print(1, 2, 3, 4, 5, 6, 7, 8)
    def __enter__(self):
        pass
    def __exit__(self, *a):
        print("exit")
print(f(), g(), h(), C().m())
try:
    k()
except ValueError:
    print("raised")
""",
    # nesting the real VM imports: tuple constants 102 deep, 201 nested functions
    "deep_tuple_constant": "x = " + "(" * 102 + "1," + ")" * 102 + "\nn = 0\nwhile isinstance(x, tuple):\n    x = x[0]\n    n += 1\nprint(n, x)\n",
    "nested_functions": "".join(" " * i + f"def f{i}():\n" for i in range(201)) + " " * 201 + "return 201\n"
    + "".join(" " * (i + 1) + f"return f{i + 1}\n" for i in reversed(range(200)))
    + "f = f0\nfor i in range(200):\n    f = f()\nprint(f())\n",
}


def _real_vm(data: bytes, name: str) -> subprocess.CompletedProcess:
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / f"{name}.mpy").write_bytes(data)
        return subprocess.run([str(micropython_vm()), "-c", f"import {name}"], cwd=tmp, capture_output=True,
                              timeout=60)


@pytest.mark.parametrize("name", sorted(DEFECTS))
def test_defect_program_runs_like_micropython(mpyref, mpyref_asan, name):
    data = _compile_text(DEFECTS[name], name)
    ref = _real_vm(data, name)
    assert ref.returncode == 0, ref.stdout + ref.stderr
    for exe, env in ((mpyref, None), (mpyref_asan, ASAN_ENV)):
        got = run_mpyref(exe, data, name, env=env)
        err = got.stderr.decode(errors="replace")
        assert "Sanitizer" not in err and "runtime error" not in err, err[-2000:]
        assert (got.returncode, got.stdout.decode()) == (0, ref.stdout.decode()), err[-500:]


def test_deeply_nested_containers_stop_with_recursion_error(mpyref, mpyref_asan):
    """Comparing, printing or hashing containers nested deeper than the C stack allows raises
    RuntimeError (MicroPython's stack check) instead of overflowing the C stack."""
    source = """
a = []
b = []
for i in range(200000):
    a = [a]
    b = [b]
for f in (lambda: a == b, lambda: repr(a), lambda: a < b, lambda: str(b), lambda: hash((a,) * 1)):
    try:
        f()
        print("finished")
    except RuntimeError as e:
        print("RuntimeError", e)
    except TypeError as e:
        print("TypeError")
"""
    data = _compile_text(source, "nested")
    for exe, env in ((mpyref, None), (mpyref_asan, ASAN_ENV)):
        got = run_mpyref(exe, data, "nested", env=env)
        assert got.returncode == 0, got.stderr.decode(errors="replace")[-2000:]
        assert got.stdout.decode().splitlines() == ["RuntimeError maximum recursion depth exceeded"] * 4 + ["TypeError"]
