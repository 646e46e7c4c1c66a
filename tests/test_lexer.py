"""The lexer and literal reading against the real MicroPython VM.

Literal values (strings with every kind of escape, bytes, ints of any size
and base, floats, imaginary numbers, f-strings) are checked by running a
program on the MicroPython 1.29 unix VM that prints each value's bytes, and
comparing with what our parser produced for the same source.  Token-level
tests cover what values cannot show: lines of NEWLINE/INDENT/DEDENT, the
f-string rewrite, string joining.
"""

from __future__ import annotations

import struct
import tempfile
from pathlib import Path

import pytest

from mpycross.compiler import astnodes as A
from mpycross.compiler.lexer import Lexer
from mpycross.compiler.parser import parse
from mpycross.compiler.parsenum import parse_decimal, read_float
from mpycross.compiler.plan import default_syntax
from tests.oracles import run_micropython

STRING_LITERALS = [
    r"'abc'", r'"a\"b"', r"'\x41\x7f\xff'", r"'\u00e9\u4e2d'", r"'\U0001F600'", r"'\101\7\0'",
    r"'\1234'", r"'\a\b\f\n\r\t\v'", r"'\q\.\ '", r"'\\'", r"'''a\
b'''", r"r'\n\x41\''", r"'é'", r"'\é'", r"r'\é'", r"'\ud800'", r"'a' 'b' '''c'''",
    r"'x' r'\n' u'y'", r'"""multi' + '\n' + r'line"""',
    r"f'a{1+1}b'", r"f'{1!r:>5}'", r"f'{{x}}'", r"f'{1=}'", r"f'{ 2 }'", r"rf'\n{3}'",
    r"f'{(1, 2)}' 'tail{{}}'", r"'lead{{}}' f'{4}'", r"f'''{5:{6}}'''",
]
BYTES_LITERALS = [
    r"b'abc'", r"b'\x00\xff'", r"b'\u1234'", r"b'\U00012345'", r"br'\x41'", r"rb'\n'",
    r"b'\101\377'", r"b'a' b'b'", r"b'\q'", r"b'''x\
y'''",
]
NUMBER_LITERALS = [
    "0", "00", "7", "0x7fffffff", "0X1F", "0o777", "0O17", "0b1011", "0B1", "1_000_000", "1__0_",
    "0x_ff", "123456789012345678901234567890123", "0x" + "f" * 40, "1.5", ".5", "5.", "1e10",
    "1E-5", "1.5e+300", "1e400", "1e-400", "2j", "1.5J", "1e3j", "0.1", "99.99", "6.25320858408406e-11",
    "1_0.0_1", "00.5", "123456789.123456789", "2.2250738585072014e-308", "5e-324",
]


def _vm_values(exprs):
    """Run the VM on `print(repr-as-hex of each expr)`; returns one line per expr."""
    lines = ["import struct"]
    for expr in exprs:
        lines.append(
            f"v = ({expr})\n"
            "if isinstance(v, str): print('s', v.encode().hex())\n"
            "elif isinstance(v, bytes): print('b', v.hex())\n"
            "elif isinstance(v, int): print('i', hex(v))\n"
            "elif isinstance(v, float): print('f', struct.pack('<d', v).hex())\n"
            "else: print('c', struct.pack('<d', v.imag).hex())"
        )
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "lit.py"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        proc = run_micropython([str(path)])
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.decode().split("\n")[: len(exprs)]


def _our_value(expr: str):
    tree = parse(f"v = ({expr})\n".encode("utf-8"), "lit.py")
    node = tree.body[0].value
    if isinstance(node, A.Call):  # an f-string: "fmt".format(*args), evaluated here
        fmt = node.func.value.value
        args = [_constant(a) for a in node.args]
        return fmt.format(*args)
    return _constant(node)


def _constant(node):
    if isinstance(node, A.IfExp):
        return _constant(node.orelse)
    if isinstance(node, A.Tuple):
        return tuple(_constant(e) for e in node.elts)
    if isinstance(node, A.BinOp):
        return _constant(node.left) + _constant(node.right)
    assert isinstance(node, A.Constant), node
    return node.value


def _describe(value) -> str:
    if isinstance(value, str):
        return "s " + value.encode("utf-8", "surrogateescape").hex()
    if isinstance(value, bytes):
        return "b " + value.hex()
    if isinstance(value, int):
        return "i " + hex(value)
    if isinstance(value, float):
        return "f " + struct.pack("<d", value).hex()
    return "c " + struct.pack("<d", value.imag).hex()


@pytest.mark.parametrize("group", [STRING_LITERALS, BYTES_LITERALS, NUMBER_LITERALS],
                         ids=["str", "bytes", "numbers"])
def test_literal_values_match_micropython(group):
    expected = _vm_values(group)
    ours = [_describe(_our_value(expr)) for expr in group]
    assert list(zip(group, ours)) == list(zip(group, expected))


def test_float_reading_matches_micropython_on_random_literals():
    import random

    rng = random.Random(3)
    literals = []
    for _ in range(400):
        literals.append(f"{rng.randint(1, 10 ** rng.randint(1, 22))}e{rng.randint(-340, 320)}")
        literals.append(f"{rng.randint(0, 10 ** 12)}.{rng.randint(0, 10 ** rng.randint(1, 22))}")
    expected = _vm_values(literals)
    ours = ["f " + struct.pack("<d", parse_decimal(s.encode(), read_float)).hex() for s in literals]
    assert [s for s, a, b in zip(literals, ours, expected) if a != b] == []


def _tokens(source: bytes):
    return [(t.type, t.value, t.line) for t in Lexer(source, default_syntax()).tokens()]


def test_newline_indent_dedent_lines():
    toks = _tokens(b"if x:\n    y\n\n# c\n\nz\n")
    kinds = [(k, line) for k, _, line in toks]
    assert kinds == [
        ("KW_IF", 1), ("NAME", 1), ("DEL_COLON", 1), ("NEWLINE", 1), ("INDENT", 2), ("NAME", 2),
        ("NEWLINE", 2), ("DEDENT", 6), ("NAME", 6), ("NEWLINE", 6), ("END", 7),
    ]


def test_implicit_line_joining_and_continuation():
    toks = _tokens(b"x = (1,\n  2)\ny = 1 + \\\n  2\n")
    assert [k for k, _, _ in toks].count("NEWLINE") == 2
    assert ("INTEGER", b"2", 2) in toks and ("INTEGER", b"2", 4) in toks


def test_crlf_cr_and_missing_final_newline():
    assert _tokens(b"a\r\nb\rc") == _tokens(b"a\nb\nc\n")


def test_number_token_text():
    toks = _tokens(b"1_000 0x_F 1E5 1e+5j .5 1if\n")
    assert [v for k, v, _ in toks[:6]] == [b"1000", b"0xF", b"1e5", b"1e+5j", b".5", b"1if"]
    assert [k for k, _, _ in toks[:6]] == ["INTEGER", "INTEGER", "FLOAT_OR_IMAG", "FLOAT_OR_IMAG",
                                            "FLOAT_OR_IMAG", "INTEGER"]


def test_fstring_injection_and_line_after_multiline_fstring():
    toks = _tokens(b"x = f'''{a\n}'''\ny\n")
    # the injected ".format((a\n),)" text is lexed after the string; its
    # newline counts again, as in lexer.c, so `y` reports line 4
    assert toks[2][:2] == ("STRING", "{}")
    assert ("NAME", "y", 4) in toks


def test_identifier_bytes_and_bom_are_name_chars():
    toks = _tokens(b"\xef\xbb\xbfx = \xff\n")
    assert toks[0][0] == "NAME" and toks[0][1].encode("utf-8", "surrogateescape") == b"\xef\xbb\xbfx"
    assert toks[2][0] == "NAME"


def test_str_and_bytes_are_separate_tokens():
    assert [k for k, _, _ in _tokens(b"'a' b'b'\n")][:2] == ["STRING", "BYTES"]


# ---- f-strings and t-strings, whole programs against the official compiler -------

TEMPLATE_CASES = [
    't"a{x}b"', 't"a{x!r:>{w}}b"', 't"{ }"', 't"}"', "t'{a=}'", "t'{a=:>3}'", 't"a" t"{b}"',
    '"x" t"{b}"', 't"a" "b"', "t'''x\ny{z}'''", "rt'\\n{a}'", "t'\\n{a!s}'", "t'{{}}{a}'",
    "t'{a:{b}{c}}'", "t'{a:{{b}}}'", "t''", "f'{a}' t'{b}'", "t'{x[1:2]}'", "t'{\"q\"}'",
    "t\"it's {a}\"", "t'{a!x}'", "t'{'", "t'{a'", "t'" + "{a}" * 70 + "'",
    "f'{a}{b!r}{c:{d}}'", "f'{a=!r}'", "f'{a=:5}'", "f'''{a\n}'''", "f'{a[\"k\"]}'", "f'{x}' f'{y}'",
    "f'{x}' 'plain' f'{y}'", "rf'\\{x}'", "f'{x!s:}'", "f'{!r}'", "f'{x!r}}'", "f'{ x = }'",
]


@pytest.mark.parametrize("expr", TEMPLATE_CASES)
def test_fstring_and_tstring_programs_compile_like_official(expr, tmp_path):
    from mpycross.compiler.driver import compile_source
    from mpycross.errors import CompileError
    from tests.oracles import run_official

    source = f"x = {expr}\ny = 1\n".encode()
    (tmp_path / "t.py").write_bytes(source)
    proc = run_official(["-o", "o.mpy", "t.py"], cwd=tmp_path)
    try:
        ours = compile_source(source, "t.py")
    except CompileError as exc:
        ours = exc.traceback_text()
    if proc.returncode == 0:
        assert ours == (tmp_path / "o.mpy").read_bytes()
    else:
        assert ours == proc.stderr.decode()


_LITERAL_PIECES = ["{", "}", "{{", "}}", "!r", "!s", ":", ">5", "=", "x", "a.b", "'", '"', "\\", "\\n", " ",
                   "\n", "[", "]", "(", ")", "1", ",", "y[0]", "!=", "#", "\\x4", "\\x41", "\\u00e9", "\\ud800",
                   "\\U0001F600", "\\U00110000", "\\777", "\\q", "\\\n", "é", "\\é"]
_LITERAL_PREFIXES = ["", "b", "r", "br", "u", "f", "rf", "t", "rt", "F"]


def test_random_literals_compile_like_official(tmp_path):
    """Random string / f-string / t-string literals: same bytes or same error as mpy-cross."""
    import random

    from mpycross.compiler.driver import compile_source
    from mpycross.errors import CompileError
    from tests.oracles import run_official

    rng = random.Random(7)
    mismatches = []
    for _ in range(150):
        quote = rng.choice(["'", '"', "'''", '"""'])
        body = "".join(rng.choice(_LITERAL_PIECES) for _ in range(rng.randint(0, 8)))
        literal = rng.choice(_LITERAL_PREFIXES) + quote + body + quote
        source = f"x = 1\ny = {literal}\nz = 2\n".encode()
        (tmp_path / "t.py").write_bytes(source)
        proc = run_official(["-o", "t.mpy", "t.py"], cwd=tmp_path)
        expected = (tmp_path / "t.mpy").read_bytes() if proc.returncode == 0 else proc.stderr.decode()
        try:
            ours = compile_source(source, "t.py")
        except CompileError as exc:
            ours = exc.traceback_text()
        if ours != expected:
            mismatches.append(source)
    assert mismatches == []
