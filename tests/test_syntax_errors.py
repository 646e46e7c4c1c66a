"""Parse errors: same exception kind, message and line as the official mpy-cross 1.29.

Every `tests/invalid/parse_*.py` holds one program MicroPython's lexer or
parser rejects.  The expected error is read from the official binary at test
time, never written down here.  Random inputs (hypothesis) must only ever
raise CompileError.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mpycross.compiler.parser import parse
from mpycross.errors import CompileError
from tests.oracles import run_official

INVALID = Path(__file__).parent / "invalid"
PARSE_CASES = sorted(INVALID.glob("parse_*.py"))


def official_error(source: bytes, name: str = "t.py"):
    """(kind, message, line) the official 1.29 compiler prints, or None if it compiles."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(source)
        proc = run_official(["-o", str(Path(tmp) / "out.mpy"), name], cwd=tmp)
    if proc.returncode == 0:
        return None
    lines = proc.stderr.decode("utf-8", "surrogateescape").rstrip("\n").splitlines()
    kind, _, message = lines[-1].partition(": ")
    line = None
    for text in lines[:-1]:
        if text.strip().startswith("File "):
            line = int(text.split(", line ")[1].split(",")[0])
    return kind, message, line


def our_error(source: bytes, name: str = "t.py"):
    try:
        parse(source, name)
    except CompileError as exc:
        assert exc.filename == name
        return exc.kind, exc.message, exc.line
    return None


def test_there_are_enough_cases():
    assert len(PARSE_CASES) >= 100


@pytest.mark.parametrize("path", PARSE_CASES, ids=lambda p: p.stem)
def test_parse_error_matches_official(path):
    source = path.read_bytes()
    expected = official_error(source)
    assert expected is not None, "the official compiler accepts this program"
    assert our_error(source) == expected


def test_traceback_text_matches_official_output():
    source = b"x = 1\nif x\n"
    with tempfile.TemporaryDirectory() as tmp:
        Path(tmp, "bad.py").write_bytes(source)
        proc = run_official(["bad.py"], cwd=tmp)
    with pytest.raises(CompileError) as info:
        parse(source, "bad.py")
    assert info.value.traceback_text() == proc.stderr.decode()


# ---- robustness: nothing but CompileError, whatever the input ------------------

_TOKENS = [
    "x", "y", "1", "0x1f", "1.5", "2j", "'s'", 'b"b"', "f'{x}'", "(", ")", "[", "]", "{", "}",
    ",", ":", ";", ".", "...", "=", "==", "+", "-", "*", "**", "/", "//", "%", "@", "|", "&",
    "^", "~", "<", ">", "<<", ">>", "!=", ":=", "->", "+=", "if", "else", "elif", "for", "in",
    "while", "def", "class", "return", "yield", "lambda", "not", "and", "or", "is", "import",
    "from", "as", "try", "except", "finally", "with", "async", "await", "del", "pass",
    "break", "continue", "global", "nonlocal", "assert", "raise", "None", "True",
    "\n", "\n    ", "\n\t", "\\\n", "#c\n", " ",
]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=200))
def test_random_bytes_raise_only_compile_error(data):
    try:
        parse(data, "r.py")
    except CompileError:
        pass


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_TOKENS), max_size=40))
def test_random_token_soup_raises_only_compile_error(tokens):
    try:
        parse(" ".join(tokens), "r.py")
    except CompileError:
        pass


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_TOKENS), max_size=25))
def test_random_token_soup_agrees_with_official(tokens):
    source = " ".join(tokens).encode()
    ours = our_error(source)
    expected = official_error(source)
    if expected is not None and expected[0] == "SyntaxError" and not expected[1].startswith(
        ("invalid syntax", "malformed f-string")
    ):
        return  # a compiler-level error: the back end's
    if expected is None or ours is None:
        assert (expected is None) == (ours is None), (expected, ours)
    else:
        assert ours == expected


@pytest.mark.parametrize("depth", [10, 50, 200, 1000, 20000])
def test_deep_nesting(depth):
    for source in (b"x = " + b"(" * depth + b"1" + b")" * depth + b"\n",
                   b"x = " + b"[" * depth + b"]" * depth + b"\n",
                   b"x = " + b"-" * depth + b"1\n"):
        try:
            parse(source, "deep.py")
        except CompileError:
            pass


def test_huge_literals():
    tree = parse(b"x = " + b"9" * 5000 + b"\ny = '" + b"a" * 100000 + b"'\n", "big.py")
    assert tree.body[0].value.value == 10**5000 - 1
    assert len(tree.body[1].value.value) == 100000
