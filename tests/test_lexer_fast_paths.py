"""The compiler's fast paths give what its general paths give: the lexer's tokens (below),
number values (parser.parse_number) and line-table bytes (emitbc's one-byte entries).

`lexer._plain_run` copies runs of plain string text in one step; with it
switched off every character takes the general path. Random string-heavy
sources must lex to the same kinds, values, lines and columns either way,
for targets with and without f-strings. Likewise a line's run of common tokens
(`lexer._fast_matcher`), which the parser takes from the lexer's read-ahead.
"""

from __future__ import annotations

import random

import pytest

from mpycross.compiler import lexer
from mpycross.compiler.plan import Syntax, default_syntax
from mpycross.targets import resolve_target

PIECES = ["'", '"', "'''", '"""', "\\", "\\n", "\\\n", "\n", "{", "}", "{{", "}}", "{x}", "{x!r}", "{x:>{w}}",
          "a", "text ", "  ", "\t", "é", "\xff", "\\x41", "\\u00e9", "\\N{DASH}", "#", "=", "x", "1"]
PREFIXES = ["", "r", "b", "f", "rb", "br", "fr", "rf", "u", "t", "rt"]


def random_source(rng: random.Random) -> bytes:
    parts = []
    for _ in range(rng.randint(1, 6)):
        quote = rng.choice(["'", '"', "'''", '"""'])
        body = "".join(rng.choice(PIECES) for _ in range(rng.randint(0, 12)))
        end = quote if rng.random() < 0.9 else ""
        parts.append(f"{rng.choice(PREFIXES)}{quote}{body}{end}")
        parts.append(rng.choice([" ", "\n", " + ", "\n    ", ", ", ""]))
    return "".join(parts).encode("utf-8", "surrogateescape")


def tokens(source: bytes, syntax):
    out = []
    lx = lexer.Lexer(source, syntax)
    try:
        for tok in lx.tokens():
            out.append((tok.type, tok.value, tok.line, tok.column))
            if tok.type == "FSTRING_RAW":
                break  # the parser stops here (the lexer does not move past it)
    except lexer.LexerAbort as err:
        out.append(("abort", err.kind, err.message, err.line))
    return out


@pytest.mark.parametrize("target", ["micropython-1.29", "micropython-1.22.0", "micropython-1.12"])
def test_run_at_a_time_matches_char_by_char(target, monkeypatch):
    syntax = Syntax.of(resolve_target(target))
    rng = random.Random(target)
    sources = [random_source(rng) for _ in range(1500)]
    sources.append(b'"""doc\nstring\n\n"""\nx = 1\n' + b"'a\\'b' f'{a}}}{{' rb'\\q\xff'\n")
    fast = [tokens(s, syntax) for s in sources]
    monkeypatch.setattr(lexer, "_plain_run", lambda *args: None)
    slow = [tokens(s, syntax) for s in sources]
    for source, a, b in zip(sources, fast, slow):
        assert a == b, source


def test_column_with_and_without_tabs():
    """`_column` skips its tab loop when the line has no tab: same columns either way."""
    rng = random.Random(5)
    for _ in range(2000):
        line = "".join(rng.choice([" ", "\t", "x", "é"]) for _ in range(rng.randint(0, 20))).encode()
        lx = lexer.Lexer(b"a\n" + line + b"\n", default_syntax())
        lx.line_start = 2
        lx.pos = 2 + rng.randint(0, len(line))
        expected = 1
        for c in lx.src[lx.line_start:lx.pos]:
            expected = ((expected - 1 + 8) // 8) * 8 + 1 if c == 0x09 else expected + 1
        assert lx._column() == expected, (line, lx.pos)


# ---- the runs of common tokens and the indentation match (lexer._fast_matcher) -------

TOKEN_PIECES = ["x", "abc", "_a1", "é", "\xff", "rb", "f", "t", "u", "br", "if", "None", "__debug__", "lambda",
                "0", "1", "007", "12", "1_000", "0x1F", "0X1f", "0x", "0xg", "0x_1", "0x1.5", "0x1fj", "0b1", "1e5",
                "1.5", ".5", "1j", "1if", "5.",
                "(", ")", "[", "]", "{", "}", ",", ";", ":", ":=", "=", "==", "!=", "!", "->", ".", "..", "...",
                "*", "**", "**=", "//", "//=", "<<=", ">>", "@", "@=", "~", "%", "^", "|", "&", "+=", "-",
                "'s'", '"d"', "'''t'''", "b'x'", "f'{a}'", "r'\\q'", "#c", "\\\n", "\n", "\n    ", "\n\t",
                " ", "  ", "\t", "\x0c", "\x0b", "\r\n", "\x00", "$", "?", "`"]


def random_token_source(rng: random.Random) -> bytes:
    body = "".join(rng.choice(TOKEN_PIECES) + rng.choice(["", "", " ", "  "]) for _ in range(rng.randint(1, 40)))
    return body.encode("utf-8", "surrogateescape")


def _no_fast_path(monkeypatch):
    never = __import__("re").compile(rb"(?!)").match
    monkeypatch.setattr(lexer, "_fast_matcher", lambda walrus: (never, None, never))


def _with_and_without_runs(read, sources: list, monkeypatch) -> list:
    """`read` of each source with the lexer's runs, then without them: asserts they agree
    (naming the source) and returns the first results (for the callers' own checks)."""
    fast = [read(s) for s in sources]
    _no_fast_path(monkeypatch)
    for source, a in zip(sources, fast):
        assert read(source) == a, source[:200]
    return fast


@pytest.mark.parametrize("target", ["micropython-1.29", "micropython-1.22.0", "micropython-1.12", "micropython-1.9"])
def test_one_match_tokens_match_the_general_way(target, monkeypatch):
    """Names, brackets, operators and integers read a run at a time: the same tokens, values,
    lines and columns as the general path, on random token soup (with and without `:=`)."""
    syntax = Syntax.of(resolve_target(target))
    rng = random.Random(f"fast-{target}")
    sources = [random_token_source(rng) for _ in range(3000)]
    _with_and_without_runs(lambda s: tokens(s, syntax), sources, monkeypatch)


def test_one_match_tokens_on_real_code(monkeypatch):
    """The corpus of real libraries lexes to the same tokens with and without the runs."""
    from tests.test_compile_diff import CORPUS

    if not CORPUS:
        pytest.skip("the corpus is not downloaded (python -m tests.corpus.fetch)")
    syntax = default_syntax()
    sources = [p.read_bytes() for p in CORPUS[::3]]
    fast = _with_and_without_runs(lambda s: tokens(s, syntax), sources, monkeypatch)
    assert sum(len(t) for t in fast) > 50_000


@pytest.mark.parametrize("walrus", [True, False])
def test_operator_branches_take_the_longest_operator(walrus):
    """The operators regex reads the same operator as the longest-first table, on random
    strings of operator characters (and a '.' before a digit is refused where checked)."""
    import re

    table = [t for t, _ in lexer.OPERATORS if walrus or t != b":="]
    rng = random.Random(f"ops-{walrus}")
    chars = sorted({c for t, _ in lexer.OPERATORS for c in t.decode()}) + ["0", "a"]
    for checked in (False, True):
        pattern = re.compile(lexer._operators_pattern(walrus, checked))
        for _ in range(5000):
            text = "".join(rng.choice(chars) for _ in range(rng.randint(1, 4))).encode()
            m = pattern.match(text)
            longest = next((t for t in table if text.startswith(t)), None)
            if checked and longest == b"." and text[1:2].isdigit():
                longest = None  # (a float's '.')
            assert (m.group() if m else None) == longest, (text, checked)


def _parse(source: bytes, syntax):
    from mpycross.compiler import parser
    from mpycross.errors import CompileError

    try:
        return parser.parse(source, "t.py", syntax)
    except CompileError as err:
        return ("error", err.kind, err.message, err.line, getattr(err, "completed", None))


@pytest.mark.parametrize("target", ["micropython-1.29", "micropython-1.12"])
def test_parser_takes_read_ahead_tokens_in_order(target, monkeypatch):
    """The parser pops the lexer's read-ahead runs itself: random programs of common
    tokens (most of them invalid) parse to the same module, or the same error on the same
    line with the same completed statements, with and without the runs."""
    syntax = Syntax.of(resolve_target(target))
    rng = random.Random(f"parse-{target}")
    lines = ["x = 1", "f(a, b)[0] = y", "if a:", "    pass", "for i in range(3):", "    x += i * 2",
             "else:", "  y = (1 +", "  2)", "def g(a, *b, **c):", "    return a.b", "class C(D):",
             "@dec", "z = [i for i in x if i]", "w = {1: 2}", "del a, b", "x =", ")", "1x", "print(x)",
             "    a = 1", "lambda: 0", "a if b else c", "not a or b and c", "x := 5", "(x := 5)"]
    sources = [("\n".join(rng.choice(lines) for _ in range(rng.randint(1, 12))) + "\n").encode()
               for _ in range(600)]
    fast = _with_and_without_runs(lambda s: _parse(s, syntax), sources, monkeypatch)
    assert sum(type(f) is not tuple for f in fast) > 20  # some parse


def test_parser_on_real_code_with_and_without_runs(monkeypatch):
    """The corpus parses to the same modules with and without the lexer's runs."""
    from tests.test_compile_diff import CORPUS

    if not CORPUS:
        pytest.skip("the corpus is not downloaded (python -m tests.corpus.fetch)")
    syntax = default_syntax()
    sources = [p.read_bytes() for p in CORPUS[1::7]]
    _with_and_without_runs(lambda s: _parse(s, syntax), sources, monkeypatch)


@pytest.mark.parametrize("target", ["micropython-1.29", "micropython-1.22.0", "micropython-1.12"])
def test_one_step_strings_match_the_general_way(target, monkeypatch):
    """A plain string read in one step (`lexer._ONE_STEP_QUOTES`): the same tokens as the
    general path, on random string-heavy sources, token soup and the corpus."""
    from tests.test_compile_diff import CORPUS

    syntax = Syntax.of(resolve_target(target))
    rng = random.Random(f"strings-{target}")
    sources = [random_source(rng) for _ in range(1500)] + [random_token_source(rng) for _ in range(1500)]
    sources.append(b"f('a', \"b\")\nx = ('a'\n 'b')\ny = ['', ''.join(z), '%d' % 1, 'x':]\n'''t'''\n\"\"\"\n")
    sources += [p.read_bytes() for p in CORPUS[2::9]]
    fast = [tokens(s, syntax) for s in sources]
    monkeypatch.setattr(lexer, "_ONE_STEP_QUOTES", frozenset())
    slow = [tokens(s, syntax) for s in sources]
    for source, a, b in zip(sources, fast, slow):
        assert a == b, source


@pytest.mark.parametrize("target", ["micropython-1.29", "micropython-1.18"])
def test_plain_integers_fast_path_matches_the_parsenum_port(target):
    """parser.parse_number reads plain decimal integers with int(); every other integer
    text (leading zeros, bases, long ones) and every plain one must agree with parse_integer."""
    from mpycross.compiler.parser import _ParseAbort, parse_number
    from mpycross.compiler.parsenum import parse_integer

    syntax = Syntax.of(resolve_target(target))
    rng = random.Random(7)
    texts = [b"0", b"7", b"00", b"007", b"08", b"10", b"0x1f", b"0o17", b"0b101", b"1" * 99, b"9" * 100,
             b"1" * 5000, b"0" * 50, b"\xd9\xa3", b"12a", b"0x", b"0xg", b"0X1F", b"0O17", b"0o8", b"0B1",
             b"0b2", b"0b", b"0x1f\n", b"00x1", b"0x" + b"f" * 120]
    texts += [bytes(rng.choice(b"0123456789") for _ in range(rng.randint(1, 120))) for _ in range(2000)]
    texts += [rng.choice([b"0x", b"0X", b"0o", b"0O", b"0b", b"0B"]) + bytes(
        rng.choice(b"0123456789abcdefgABCDEFG") for _ in range(rng.randint(0, 12))) for _ in range(2000)]
    for text in texts:
        try:
            expected = ("value", parse_integer(text, syntax.reject_leading_zero_int))
        except ValueError as err:
            expected = ("error", str(err))
        try:
            got = ("value", parse_number("INTEGER", text, 1, syntax))
        except _ParseAbort as err:
            got = ("error", err.message)
        assert got == expected, text



NUMBER_PIECES = ["0", "1", "9", "007", "12", "1_000", "0x1F", "0X1f", "0xg", "0x", "0b1", "0o7", "1e5", "1E-5",
                 "1.5", ".5", "5.", "1j", "2J", "1if", "0x1fj", "0x1.5", "1__0_", "é", "\xff", "_", "x", ".",
                 "(", ")", "+", "-", ",", "\n", "\n    ", " ", "  ", "#c", "'s'"]


@pytest.mark.parametrize("target", ["micropython-1.29", "micropython-1.12", "micropython-1.9"])
@pytest.mark.parametrize("runs", ["with runs", "without runs"])
def test_plain_numbers_read_in_one_match_match_the_general_loop(target, runs, monkeypatch):
    """lexer._plain_number takes a whole decimal or hex integer in one match: the same tokens
    as Lexer._number's loop, on random number soup (with and without the runs of common
    tokens, which read most plain integers before _number sees them)."""
    syntax = Syntax.of(resolve_target(target))
    rng = random.Random(f"numbers-{target}")
    sources = ["".join(rng.choice(NUMBER_PIECES) + rng.choice(["", "", " "]) for _ in range(rng.randint(1, 30)))
               .encode("utf-8", "surrogateescape") for _ in range(3000)]
    if runs == "without runs":
        _no_fast_path(monkeypatch)
    fast = [tokens(s, syntax) for s in sources]
    assert sum(t[0] == "INTEGER" for ts in fast for t in ts) > 3000
    monkeypatch.setattr(lexer, "_plain_number", lambda src, pos: None)
    slow = [tokens(s, syntax) for s in sources]
    for source, a, b in zip(sources, fast, slow):
        assert a == b, source



def test_the_one_byte_line_entry_is_what_the_line_table_encoder_writes():
    """emitbc's assembler writes a line-table entry of up to 3 lines and 31 bytes as one byte
    without calling _line_info (py/emitbc.c's encoder): the same byte as _line_info gives."""
    from mpycross.compiler.emitbc import _line_info

    for skip_bytes in range(0, 0x20):
        for skip_lines in range(1, 4):
            out = bytearray()
            _line_info(out, skip_bytes, skip_lines)
            assert bytes(out) == bytes([skip_bytes | skip_lines << 5]), (skip_bytes, skip_lines)


def test_remembered_float_reprs_keep_every_value_apart():
    """floatrepr.float_repr remembers its texts by the value's bits: -0.0 and 0.0 (equal as
    keys of a dict) and nan stay apart, whichever comes first, and each text is the one worked out."""
    from mpycross.compiler import floatrepr

    values = [0.0, -0.0, float("nan"), float("inf"), -float("inf"), 1.5, 0.1, 1e22, 5e-324, 2.0 ** 60]
    for order in (values, values[::-1]):
        floatrepr._REPRS.clear()
        for _ in range(2):
            for v in order:
                for flags in ((False, False), (True, False), (True, True)):
                    assert floatrepr.float_repr(v, *flags) == floatrepr._float_repr(v, *flags), (v, flags)
    assert floatrepr.float_repr(-0.0) == "-0.0" and floatrepr.float_repr(0.0) == "0.0"
