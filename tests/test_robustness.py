"""Hostile inputs: `compile_source` and the `mpy-cross` CLI never end in a Python traceback.

Where the official mpy-cross 1.29 answers, ours answers the same: identical
bytes, or the same error (kind, message, line). Where the official tool
crashes or runs out of its fixed heap, ours must still give a clean error
(CompileError / MpyCrossError) or compile.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.oracles import compile_official, run_official
from tests.support.reports import assert_no_crash


def official(source: bytes, args: list[str], tmp_path: Path) -> tuple[bytes | None, str]:
    """The official 1.29 output for `source` saved as tmp_path/in.py (None and its report if it refuses)."""
    done = compile_official(source, args=args, name=str(tmp_path / "in.py"))
    return done.mpy, ("" if done.mpy is not None else done.text)


def ours_cli(source: bytes, args: list[str], tmp_path: Path) -> tuple[bytes | None, str, int]:
    src = tmp_path / "in.py"
    src.write_bytes(source)
    out = tmp_path / "ours.mpy"
    proc = subprocess.run([sys.executable, "-m", "mpycross.cli.mpy_cross", *args, "-o", str(out), str(src)],
                          capture_output=True)
    err = (proc.stderr + proc.stdout).decode("utf-8", "replace")
    assert_no_crash(err)
    return (out.read_bytes() if proc.returncode == 0 else None), err, proc.returncode


def test_no_source_lines_option(tmp_path):
    """-X no-source-lines leaves the line tables out, as 1.29 does."""
    source = b"def f(x):\n    y = x + 1\n\n    return y\nprint(f(2))\n"
    ref, ref_err = official(source, ["-X", "no-source-lines"], tmp_path)
    assert ref is not None, ref_err
    ours, err, _ = ours_cli(source, ["-X", "no-source-lines"], tmp_path)
    assert ours == ref, err
    from mpycross import compile_source

    assert compile_source(source, str(tmp_path / "in.py"), include_source_lines=False) == ref
    assert compile_source(source, str(tmp_path / "in.py")) != ref


@pytest.mark.parametrize("source", [
    b"x = " + b"9" * 5000 + b"\n",
    b"x = 0x" + b"f" * 5000 + b"\n",
    b"y = -" + b"1" * 4400 + b"\nz = " + b"1" * 4301 + b"j\nw = " + b"1" * 4400 + b".5\n",
    b"def f():\n    return " + b"7" * 30000 + b"\n",
], ids=["dec5000", "hex5000", "neg-complex-float", "dec30k"])
def test_huge_int_literals(source, tmp_path):
    """Literals past CPython's 4300-digit int/str limit compile as the official tool does."""
    from mpycross import compile_source

    ref, ref_err = official(source, [], tmp_path)
    assert ref is not None, ref_err
    assert compile_source(source, str(tmp_path / "in.py")) == ref


def test_int_text_any_size():
    from mpycross.mpy.writer import int_text

    for n in (0, -1, 10 ** 2466, 10 ** 5000 - 1, -(10 ** 12345) + 7, 3 ** 60000):
        text = int_text(n)
        assert text.lstrip("-").isdigit() and (text[0] != "0" or text == "0")
        # compare without going through str(): rebuild the value chunk by chunk
        digits = text.lstrip("-")
        value = 0
        for i in range(0, len(digits), 1000):
            chunk = digits[i:i + 1000]
            value = value * 10 ** len(chunk) + int(chunk)
        assert (-value if text.startswith("-") else value) == n


def same_as_official(source: bytes, tmp_path: Path, args: list[str] = ()) -> None:
    """compile_source gives the official bytes, or the official error (kind, message, line, scope)."""
    from tests.support.compile_diff import error_facts
    from tests.support.program_strategies import compile_kwargs
    from mpycross import compile_source
    from mpycross.errors import CompileError

    ref, ref_err = official(source, list(args), tmp_path)
    path = str(tmp_path / "in.py")
    try:
        ours, our_err = compile_source(source, path, **compile_kwargs(list(args))), ""
    except CompileError as err:
        ours, our_err = None, err.traceback_text()
    if ref is None:
        assert ours is None, f"official rejects:\n{ref_err}"
        assert error_facts(our_err) == error_facts(ref_err), f"official: {ref_err}\nours: {our_err}"
    else:
        assert ours == ref, our_err or "output differs"


@pytest.mark.parametrize("body", [
    "X = const(2)", "X: int = const(3)", "X = 5", "X += 1", "del X", "for X in y: pass", "print(X)",
    "_Y = const(2)\n_Y = const(3)", "def f():\n    X = const(4)\n    return X",
])
def test_const_redefinition(body, tmp_path):
    """A const() name is replaced by its value wherever it appears later, targets included."""
    same_as_official(f"from micropython import const\nX = const(1)\n{body}\n".encode(), tmp_path)


def test_cell_past_local_255(tmp_path):
    """A closed-over variable numbered past 255: the official tool aborts on an assertion
    (py/emitbc.c), ours refuses with a one-line error."""
    from mpycross import compile_source
    from mpycross.errors import CompileError

    source = ("def f():\n" + "".join(f"    c{i} = {i}\n" for i in range(256))
              + "    def g():\n        nonlocal c255\n        c255 += 1\n    return g\n").encode()
    ref, ref_err = official(source, [], tmp_path)
    assert ref is None
    for target in ("micropython-1.29", "micropython-1.18"):
        with pytest.raises(CompileError, match="first 256 locals"):
            compile_source(source, "a.py", target=target)
    ours, err, status = ours_cli(source, [], tmp_path)
    assert ours is None and status == 1 and err.startswith("RuntimeError:"), err
    # 255 is still fine, and identical
    same_as_official(source.replace(b"c255", b"c254"), tmp_path)


@pytest.mark.parametrize("source", [
    "for w in t:\n    _P = const(3)\n    c = 3\n",
    "def f():\n    _P = const(3)\n\n    return 1\n",
    "class C:\n    _P = const(3)\n    _Q = const(4)\n\n    c = 3\n",
    "x = 1\n_P = const(3); _Q = const(4)\nc = 5\n",
    "if x:\n    y = 2\n    _P = const(3); _Q = const(4)\n    c = 3\n",
    "if x:\n    _P = const(3); \\\n        c = 3\n",
    "\n\n_P = const(3)\nc = 3\n",
    "def f():\n    _Q = const(1)\n",
    "x = 1\n_N = \\\n    const(5); a = _N\n",
    "x = 1\n_N = const(\n  5); a = _N\n",
    "b = 1\n_N = \\\n    const(-12); from sys import h\nwith a:\n    None\n",
    "x = 1\n_N = const(5\n  ); a = _N\n",
    "x = 1\n_P = const(3); \\\n  c = 4\nd = 5\n",
])
def test_private_const_line(source, tmp_path):
    """`_X = const(v)` becomes a line-less pass; the block or `a; b` list around it still sets its line."""
    same_as_official(b"from micropython import const\n" + source.encode(), tmp_path)


def _nested(kind: str, n: int) -> bytes:
    """Source nested n levels deep."""
    if kind == "paren":
        text = "x = " + "(" * n + "1" + ")" * n
    elif kind == "bracket":
        text = "x = " + "[" * n + "1" + "]" * n
    elif kind == "dict":
        text = "x = " + "{1:" * n + "1" + "}" * n
    elif kind == "if":
        text = "".join("    " * i + "if x:\n" for i in range(n)) + "    " * n + "pass"
    elif kind == "def":
        text = "".join(" " * i + "def f():\n" for i in range(n)) + " " * n + "pass"
    elif kind == "neg":
        text = "x = " + "-" * n + "1"
    elif kind == "not":
        text = "x = " + "not " * n + "1"
    elif kind == "plus":
        text = "x = " + " + ".join(["a"] * n)
    elif kind == "lambda":
        text = "x = " + "lambda: " * n + "1"
    elif kind == "attr":
        text = "x = a" + ".b" * n
    elif kind == "call":
        text = "x = f" + "()" * n
    elif kind == "ternary":
        text = "x = " + "1 if x else " * n + "1"
    else:
        raise ValueError(kind)
    return (text + "\n").encode()


DEEP_KINDS = ["paren", "bracket", "dict", "if", "def", "neg", "not", "plus", "lambda", "attr", "call", "ternary"]


@pytest.mark.parametrize("depth", [200, 1000])
@pytest.mark.parametrize("kind", DEEP_KINDS)
def test_deep_nesting(kind, depth, tmp_path):
    """Hundreds to thousands of levels compile exactly as mpy-cross does (no RecursionError)."""
    same_as_official(_nested(kind, depth), tmp_path)


@pytest.mark.parametrize("kind", ["attr", "call", "neg", "not", "plus", "ternary"])
def test_deeper_nesting(kind, tmp_path):
    """10,000 levels: identical output, or the official error (bytecode overflow)."""
    same_as_official(_nested(kind, 10000), tmp_path)


@pytest.mark.parametrize("kind", ["paren", "bracket", "dict", "lambda"])
def test_nesting_past_the_official_heap(kind, tmp_path):
    """Where mpy-cross runs out of its fixed heap (MemoryError), ours compiles or fails cleanly."""
    from mpycross import compile_source
    from mpycross.errors import CompileError

    source = _nested(kind, 10000)
    ref, ref_err = official(source, [], tmp_path)
    assert ref is None and "MemoryError" in ref_err
    try:
        data = compile_source(source, "deep.py")
    except CompileError as err:
        assert err.traceback_text().strip()
    else:
        assert data.startswith(b"M\x06")


def test_recursion_beyond_any_limit_is_a_clean_error():
    """Nesting deeper than the raised recursion limit: a CompileError, never RecursionError."""
    from mpycross import compile_source
    from mpycross.errors import CompileError

    try:
        compile_source(_nested("neg", 300_000), "deep.py")
    except CompileError as err:
        assert "recursion" in err.message or err.kind in ("MemoryError", "RuntimeError")


@pytest.mark.parametrize("source", [
    "if x:\n    y = 1\n    1 = 2\nelse:\n    a = 1\n",
    "def f():\n    5 = 1\n    c = 3\n",
    "if x:\n    1 = 2\nelse:\n    a = 1\n    b = 2\n",
    "for i in x:\n    5 = 1\nelse:\n    c = 3\n    d = 4\n",
    "def f():\n    if x:\n        5 = 1\n    else:\n        c = 3\n        d = 4\n",
    "try:\n    1 = 2\nexcept:\n    a = 1\n    b = 2\n",
    "if x:\n    1 = 2\nelse:\n    if y:\n        a = 1\n        b = 2\n",
    "if x:\n    del 1\nelif y:\n    a = 1\n    b = 2\n",
    "if x:\n    1 = 2\nelse:\n    b = 2\nc = 3\n",
    "from micropython import const\nM = const(1)\nwith a:\n    try:\n        M = const(2)\n    finally:\n"
    "        pass; y = 1\n",
])
def test_error_line_after_lineless_error(source, tmp_path):
    """Errors raised on a node without a line take the line of a statement around them."""
    same_as_official(source.encode(), tmp_path)


# ---- random and malformed input ---------------------------------------------------------

EDGE_INPUTS = {
    "empty": b"",
    "bom": b"\xef\xbb\xbfx = 1\n",
    "bom-only": b"\xef\xbb\xbf",
    "crlf": b"x = 1\r\nif x:\r\n    y = 2\r\n\r\nz = 3\r\n",
    "cr": b"x = 1\rif x:\r    y = 2\r\rz = 3\r",
    "tabs": b"x = 1\nif x:\n\ty = 2\n        z = 3\n",
    "tabs-dedent": b"if x:\n        y = 2\n\tz = 3\n",
    "unterminated": b'x = "abc',
    "unterminated-triple": b'x = """abc\n\n',
    "unclosed-bracket": b"x = (1,\n",
    "nul": b"x = 1\x00\ny = 2\n",
    "nul-in-string": b'x = "a\x00b"\n',
    "invalid-utf8-string": b'x = "\xff\xfe"\n',
    "invalid-utf8-name": b"\xff\xfe = 1\n",
    "invalid-utf8-comment": b"# \xff\xfe\nx = 1\n",
    "surrogate-bytes": b"\xed\xa0\x80 = 1\n",
    "backslash-eof": b"x = 1\\",
    "only-backslash": b"\\",
    "only-continuations": b"\\\n  \\\n",
    "backslash-newline-eof": b"x = 1 \\\n",
    "name-escape": b'x = "\\N{LATIN SMALL LETTER A}"\n',
    "unexpected-indent": b"  x = 1\n",
    "bad-dedent": b"if x:\n  y\n z\n",
    "formfeed": b"\x0c\nx = 1\n\x0c  \ny = 2\n",
    "ctrl-z": b"x = 1\x1a\n",
    "dollar": b"x = $\n",
    "old-octal": b"x = 0777\n",
    "bad-float": b"x = 1e\n",
    "bad-hex": b"x = 0x\n",
    "bad-escape": b'x = "\\x4"\n',
    "bytes-non-ascii": b'x = b"\xc3\xa9"\n',
    "fstring-open": b'x = f"{"\n',
    "fstring-conversion": b'x = f"{x!z}"\n',
    "fstring-unclosed-bracket-eof": b'( f"{x}"',
    "fstring-unclosed-bracket-newline": b'x = [f"{x}", f"{y}"\n',
    "fstring-continuation-eof": b'x = f"{x}" \\\n',
    "huge-string": b"x = '" + b"a" * 200000 + b"'\n",
    "huge-bytes": b"x = b'" + b"a" * 200000 + b"'\n",
    "long-line": b"x = " + b" + ".join([b"1"] * 20000) + b"\n",
    "blank-lines": b"\n" * 100000 + b"x = 1\n",
    "300-params": ("def f(" + ", ".join(f"a{i}" for i in range(300)) + "):\n    return a299\n").encode(),
    "unicode-names": "x = '\u00e9\U0001f600'\ny\u00e9 = 1\n".encode(),
}


@pytest.mark.parametrize("name", list(EDGE_INPUTS))
def test_edge_inputs(name, tmp_path):
    same_as_official(EDGE_INPUTS[name], tmp_path)


@pytest.mark.parametrize("name", ["nul", "invalid-utf8-name", "unterminated", "empty", "bad-dedent"])
def test_edge_inputs_cli(name, tmp_path):
    """The mpy-cross command prints what the official one prints (stderr and status)."""
    source = EDGE_INPUTS[name]
    src = tmp_path / "in.py"
    src.write_bytes(source)
    ref = run_official(["-o", str(tmp_path / "o.mpy"), str(src)])
    ours = subprocess.run([sys.executable, "-m", "mpycross.cli.mpy_cross", "-o", str(tmp_path / "u.mpy"), str(src)],
                          capture_output=True)
    assert (ours.returncode, ours.stderr.decode()) == (ref.returncode, ref.stderr.decode())


@pytest.mark.parametrize("kind,n", [("tuple", 70000), ("lines", 100000)])
@pytest.mark.slow
def test_past_the_official_heap_with_a_bigger_heap(kind, n, tmp_path):
    """Inputs the official tool only compiles with -X heapsize: identical output then."""
    if kind == "tuple":
        source = ("x = (" + ", ".join(f"{i}.5" for i in range(n)) + ")\n").encode()
    else:
        source = b"x = 1\n" * n
    ref, ref_err = official(source, ["-X", "heapsize=2000M"], tmp_path)
    assert ref is not None, ref_err
    from mpycross import compile_source

    assert compile_source(source, str(tmp_path / "in.py")) == ref


# ---- Hypothesis: random bytes, random text, token soups -----------------------------------

_FULL = os.environ.get("HYPOTHESIS_PROFILE") == "full"
_HSET = dict(deadline=None, database=None, derandomize=not _FULL,
             suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                    HealthCheck.function_scoped_fixture])

TOKENS = ("if", "elif", "else", "while", "for", "in", "def", "class", "return", "yield", "lambda", "try",
          "except", "finally", "with", "as", "import", "from", "global", "nonlocal", "del", "pass", "break",
          "continue", "raise", "assert", "async", "await", "not", "and", "or", "is", "None", "True", "False",
          "x", "y", "f", "const", "_C", "super", "__class__", "0", "1", "-1", "2**40", "1.5", "1j", "'s'",
          'b"b"', 'f"{x}"', "(", ")", "[", "]", "{", "}", ",", ":", ";", ".", "=", "==", "+", "-", "*", "**",
          "/", "//", "%", "@", "<<", "|", "&", "~", "<", ">=", "!=", "->", ":=", "+=", "...", "\\\n",
          "\n", "\n    ", "\n        ", "\t", "#c\n", " ")


def _compare_or_clean(source: bytes, tmp_path: Path) -> None:
    """Identical to the official result; where the official tool crashes, a clean error from ours."""
    from tests.support.compile_diff import error_facts
    from mpycross import compile_source
    from mpycross.errors import CompileError

    src = tmp_path / "in.py"
    src.write_bytes(source)
    out = tmp_path / "off.mpy"
    out.unlink(missing_ok=True)
    proc = run_official(["-o", str(out), str(src)])
    ref_err = (proc.stderr + proc.stdout).decode("utf-8", "replace")
    try:
        ours, our_err = compile_source(source, str(src)), ""
    except CompileError as err:
        ours, our_err = None, err.traceback_text()
    if proc.returncode < 0 or "Assertion" in ref_err:
        return  # the official tool crashed; ours ended in a CompileError or compiled: no traceback
    if proc.returncode == 0:
        assert ours == out.read_bytes(), our_err or "output differs"
    else:
        assert ours is None, f"official rejects:\n{ref_err}"
        assert error_facts(our_err) == error_facts(ref_err), f"official: {ref_err}\nours: {our_err}"


@settings(max_examples=60 if not _FULL else 2000, **_HSET)
@given(data=st.binary(max_size=200))
def test_random_bytes(data, tmp_path):
    _compare_or_clean(data, tmp_path)


@settings(max_examples=60 if not _FULL else 2000, **_HSET)
@given(text=st.text(max_size=120))
def test_random_text(text, tmp_path):
    _compare_or_clean(text.encode("utf-8", "surrogatepass"), tmp_path)


@settings(max_examples=150 if not _FULL else 5000, **_HSET)
@given(tokens=st.lists(st.sampled_from(TOKENS), max_size=40))
def test_token_soup(tokens, tmp_path):
    _compare_or_clean(" ".join(tokens).encode(), tmp_path)


@pytest.mark.slow
@pytest.mark.parametrize("n", [65536, 65537])
def test_stack_size_wraps_at_16_bits(n, tmp_path):
    """A 65,536-item list: scope_t.stack_size is 16 bits in py/scope.h, so n_state wraps as in mpy-cross."""
    source = ("x = [" + ", ".join(f"{i}.5" for i in range(n)) + "]\n").encode()
    same_as_official(source, tmp_path, ["-X", "heapsize=2000M"])


def test_stack_size_wraps_quick():
    """The same rule without the official binary (its run takes minutes): n_state from a wrapped stack size."""
    from mpycross import compile_source
    from mpycross.mpy import read_mpy

    source = ("x = [" + ", ".join(f"{i}.5" for i in range(65537)) + "]\n").encode()
    data = compile_source(source, "big.py")
    from mpycross.mpy.prelude import decode_prelude

    prelude = decode_prelude(read_mpy(data).root.fun_data, 0, "v5", "qstr_indices", header_only=True)
    assert prelude.n_state == 65537 & 0xFFFF  # no locals at module level


ARGV_PIECES = ("-o", "-s", "-O", "-O3", "-OOO", "-X", "emit=native", "emit=bytecode", "heapsize=1", "no-source-lines",
               "-march=x64", "-march=bogus", "--target", "micropython-1.19", "circuitpython-9", "nonsense",
               "-msmall-int-bits=", "-msmall-int-bits=99", "-msmall-int-bits=16", "-v", "--version", "--", "-",
               "good.py", "bad.py", "missing.py", "folder", "out.mpy", "folder/out.mpy", "-c", "1.20", "-b", "6")


@settings(max_examples=80 if not _FULL else 2000, **_HSET)
@given(argv=st.lists(st.sampled_from(ARGV_PIECES), max_size=7))
def test_cli_never_tracebacks(argv, tmp_path, monkeypatch, capfd):
    """Any argument list: a one-line error or MicroPython's syntax-error report, never a Python traceback."""
    from mpycross.cli import mpy_cross

    monkeypatch.chdir(tmp_path)
    (tmp_path / "good.py").write_text("def f(x):\n    return x + 1\n")
    (tmp_path / "bad.py").write_bytes(b"if x:\n  y\n z\n\xff")
    (tmp_path / "folder").mkdir(exist_ok=True)
    monkeypatch.setattr(sys, "stdin", open(os.devnull))
    try:
        mpy_cross.main(list(argv))
    except SystemExit as stop:
        assert stop.code in (0, 1, 2), stop.code
    err = capfd.readouterr().err
    assert_no_crash(err)


@pytest.mark.parametrize("bits", ["0", "1", "2", "64", "65", "99", "-5", "300"])
def test_odd_small_int_bits(bits, tmp_path):
    """-msmall-int-bits outside 1..63: the official tool takes the C shift count mod 64 and writes the
    low byte into the header; ours does the same instead of failing."""
    source = b"x = 1\ny = 100000\nz = 2**40\nw = -3\nf(*a, **b)\nf(a, b, c)\n"
    same_as_official(source, tmp_path, [f"-msmall-int-bits={bits}"])


def test_crash_check_tells_a_python_traceback_from_a_micropython_report(tmp_path):
    """The "no traceback" check: the official report of a syntax error passes, a Python crash does not."""
    from tests.support.reports import crash_in

    report = compile_official(b"def f():\n    x = 1\n    nonlocal y\n").text
    assert report.startswith("Traceback (most recent call last):") and crash_in(report) is None
    script = tmp_path / "crash.py"
    script.write_text("import json\njson.loads('{')\n")
    crash = subprocess.run([sys.executable, str(script)], capture_output=True, text=True).stderr
    assert crash_in(crash) is not None
    assert crash_in("internal error: OverflowError") is not None
