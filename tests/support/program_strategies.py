"""Hypothesis strategies for random, syntactically valid MicroPython programs.

`programs()` draws whole modules that exercise the compiler end to end: nested
control flow (loops with else, try/except/else/finally, with, break/continue
unwinding through them), functions of every kind (parameters, defaults,
closures with nonlocal, generators, async), classes, comprehensions, walrus,
f-strings, literals of every kind and size, constant folding, const(), odd line
breaks inside brackets and blank/comment lines (line tables), and long bodies
or many names (jump sizes, multi-byte operands). `options()` draws mpy-cross
command-line options; `compile_kwargs` turns them into compile_source
keyword arguments.
"""

from __future__ import annotations

import dataclasses
import re

from hypothesis import strategies as st

from tests.support.compile_diff import option_kwargs as compile_kwargs  # noqa: F401 - re-exported


# A small shared pool, so names collide across scopes (locals, globals, cells, free variables).
NAMES = ("a", "b", "c", "x", "y", "z", "n", "i", "j", "k", "s", "t", "u", "v", "w", "obj", "data", "item",
         "result", "total", "_p", "_q", "Alpha", "beta2")
FUNCS = ("f", "g", "h", "len", "print", "range", "isinstance", "sorted", "helper", "callback")
ATTRS = ("attr", "value", "append", "items", "keys", "__class__", "x", "next", "_hidden", "real")
EXC = ("ValueError", "TypeError", "KeyError", "Exception", "OSError", "StopIteration", "E1")
MODULES = ("os", "sys", "micropython", "machine", "collections", "a.b.c", "json", "time", "uasyncio")
AUG_OPS = ("+=", "-=", "*=", "/=", "//=", "%=", "**=", ">>=", "<<=", "&=", "|=", "^=", "@=")
BIN_OPS = ("+", "-", "*", "/", "//", "%", "**", "<<", ">>", "&", "|", "^", "@")
INT_OPS = ("+", "-", "*", "//", "%", "**", "<<", ">>", "&", "|", "^")
CMP_OPS = ("<", ">", "==", "!=", "<=", ">=", "in", "not in", "is", "is not")

# ints near the interesting limits: small-int range (31 bits for mpy-cross), 1-byte
# LOAD_CONST_SMALL_INT operands (-16..47 on the opcode itself), var-int byte boundaries,
# machine words and arbitrary precision
_EDGE_INTS = (0, 1, -1, 15, 16, 47, 48, 63, 64, -16, -17, -64, -65, 127, 128, 8191, 8192, -8192, -8193,
              2 ** 20, 2 ** 29 - 1, 2 ** 29, 2 ** 30 - 1, 2 ** 30, -(2 ** 30), -(2 ** 30) - 1, 2 ** 31 - 1,
              2 ** 31, 2 ** 32, 2 ** 62, 2 ** 63 - 1, 2 ** 63, 2 ** 64, -(2 ** 63), 10 ** 30, -(10 ** 40))
_FLOATS = ("1.5", "0.0", "-0.0", "1e100", "1e-300", ".5", "1.", "3.141592653589793", "1e400", "2.5e-5",
           "0.1", "123456789.125", "1_000.5", "6.02e23", "1e16", "9007199254740993.0", "5e-324")
_STR_PIECES = ("abc", "x y", "\\n", "\\t", "\\\\", "\\'", '\\"', "\\x00", "\\x7f", "\\xff", "\\u1234",
               "\\U0001f600", "\\0", "\\177", "é", "日本", "{", "}", "%s", "\\a\\b\\f\\v\\r", "\\\n")
_BYTES_PIECES = ("abc", "\\x00", "\\xff", "\\n", "\\\\", "\\'", "\\0", "\\377", "~", " ")


@dataclasses.dataclass
class _Scope:
    kind: str = "module"  # module, function, generator, async, class
    loop: bool = False  # inside a loop of this scope (break/continue allowed)
    names: tuple = NAMES
    enclosing_locals: tuple = ()  # names a nested function may declare nonlocal


class _Gen:
    """Draws one program. `draw` is Hypothesis's; every choice goes through it, so examples shrink."""

    def __init__(self, draw, budget: int, breaks: bool):
        self.draw = draw
        self.budget = budget  # statements left
        self.breaks = breaks  # odd line breaks inside brackets
        self.consts: list[str] = []
        self.depth = 0

    # ---- small helpers ----
    def pick(self, seq):
        return self.draw(st.sampled_from(seq))

    def chance(self, p: float) -> bool:
        return self.draw(st.integers(0, 999)) < p * 1000

    def sep(self, text: str = ", ") -> str:
        """A separator inside brackets: sometimes a line break, comment or odd indentation."""
        if self.breaks and self.chance(0.15):
            return text.rstrip() + self.pick(("\n", "\n        ", "  # note\n   ", "\n\n", "\n# c\n")) + " "
        return text

    def open_(self, bracket: str) -> str:
        if self.breaks and self.chance(0.1):
            return bracket + "\n    "
        return bracket

    # ---- literals ----
    def int_lit(self) -> str:
        r = self.draw(st.integers(0, 9))
        if r < 4:
            v = self.pick(_EDGE_INTS)
        elif r < 7:
            v = self.draw(st.integers(-300, 300))
        elif r < 9:
            v = self.draw(st.integers(-(2 ** 70), 2 ** 70))
        else:
            v = self.draw(st.integers(0, 10 ** self.draw(st.integers(20, 400))))
        form = self.draw(st.integers(0, 9))
        sign = "-" if v < 0 else ""
        a = abs(v)
        if form == 0:
            text = hex(a)
        elif form == 1:
            text = oct(a)
        elif form == 2 and a < 2 ** 40:
            text = bin(a)
        elif form == 3 and a >= 1000:
            text = f"{a:_}"
        elif form == 4:
            text = hex(a).upper().replace("0X", "0x")
        else:
            text = str(a)
        return f"({sign}{text})" if sign and self.chance(0.5) else sign + text

    def float_lit(self) -> str:
        if self.chance(0.5):
            return self.pick(_FLOATS)
        v = self.draw(st.floats(allow_nan=False, allow_infinity=False, width=64))
        return repr(v)

    def complex_lit(self) -> str:
        return self.pick(("1j", "2.5j", "0j", "1e10j", "-3j", "1_0j", "(1+2j)", "1e400j"))

    def str_body(self, quote: str, raw: bool = False) -> str:
        parts = self.draw(st.lists(st.sampled_from(_STR_PIECES), max_size=6))
        # the only quotes in the pieces are escaped ones; keep the other kind as is
        body = "".join(p for p in parts if p != "\\" + ("'" if quote == '"' else '"'))
        if raw:
            body = body.replace("\\\n", "")
        if self.chance(0.1):
            body += "long text " * self.draw(st.integers(2, 30))
        return body

    def str_lit(self) -> str:
        kind = self.draw(st.integers(0, 6))
        q = self.pick(("'", '"'))
        if kind == 0:
            return "r" + q + self.str_body(q, raw=True).replace("\\" + q, "").rstrip("\\") + q
        if kind == 1:
            qq = q * 3
            return qq + self.str_body(q).replace(qq, "") + self.pick(("", "\nline two\n", "\n")) + qq
        if kind == 2:  # implicit concatenation, across a line break inside brackets
            if self.breaks and self.chance(0.5):
                return "(" + q + self.str_body(q) + q + "\n    " + q + self.str_body(q) + q + ")"
            return q + self.str_body(q) + q + " " + self.pick(("u", "")) + q + self.str_body(q) + q
        if kind == 3:
            return self.fstring()
        return q + self.str_body(q) + q

    def bytes_lit(self) -> str:
        q = self.pick(("'", '"'))
        body = "".join(self.draw(st.lists(st.sampled_from(_BYTES_PIECES), max_size=6)))
        if self.chance(0.1):
            body += "b" * self.draw(st.integers(10, 300))
        # MicroPython's lexer knows lower-case prefixes only
        return self.pick(("b", "rb", "br")) + q + body + q

    def fstring(self) -> str:
        q = self.pick(("'", '"'))
        inner = "'" if q == '"' else '"'
        parts = []
        for _ in range(self.draw(st.integers(1, 4))):
            r = self.draw(st.integers(0, 5))
            if r == 0:
                parts.append(self.pick(("text ", "{{", "}}", " = ", "\\n")))
            else:
                e = self.pick(NAMES) if self.chance(0.6) else self.pick(
                    ("a + 1", "x[0]", f"d[{inner}k{inner}]", "f(x)", "a if b else c", "obj.attr", "-n"))
                conv = self.pick(("", "", "!r", "!s"))
                spec = self.pick(("", "", ":>10", ":08.3f", ":x", ":^{w}", ":{w}.{p}", ":,", ":#o"))
                eq = "=" if self.chance(0.05) else ""
                parts.append("{" + e + eq + conv + spec + "}")
        return "f" + q + "".join(parts) + q

    def literal(self) -> str:
        r = self.draw(st.integers(0, 19))
        if r < 7:
            return self.int_lit()
        if r < 10:
            return self.str_lit()
        if r < 12:
            return self.float_lit()
        if r < 13:
            return self.complex_lit()
        if r < 15:
            return self.bytes_lit()
        return self.pick(("None", "True", "False", "...", "__debug__"))

    def const_expr(self, depth: int = 0) -> str:
        """An integer expression made of literals and const() names: folds in the parser."""
        if depth > 2 or self.chance(0.4):
            if self.consts and self.chance(0.3):
                return self.pick(self.consts)
            return str(self.draw(st.integers(-70, 70))) if self.chance(0.7) else self.int_lit()
        r = self.draw(st.integers(0, 9))
        if r < 2:
            return self.pick(("-", "~", "+")) + "(" + self.const_expr(depth + 1) + ")"
        op = self.pick(INT_OPS)
        right = self.const_expr(depth + 1)
        if op == "**":
            right = str(self.draw(st.integers(-2, 70)))
        elif op in ("<<", ">>"):
            right = str(self.draw(st.integers(0, 70)))
        return f"({self.const_expr(depth + 1)} {op} {right})"

    # ---- expressions ----
    def name(self, scope: _Scope) -> str:
        if self.consts and self.chance(0.05):
            return self.pick(self.consts)
        return self.pick(scope.names)

    def atom(self, scope: _Scope) -> str:
        r = self.draw(st.integers(0, 9))
        if r < 5:
            return self.name(scope)
        return self.literal()

    def args(self, scope: _Scope, depth: int) -> str:
        items = []
        for _ in range(self.draw(st.integers(0, 4))):
            items.append(self.expr(scope, depth + 1))
        if self.chance(0.2):
            items.append("*" + self.name(scope))
        for _ in range(self.draw(st.integers(0, 2))):
            items.append(self.pick(("key", "end", "sep", "flag", "x")) + "=" + self.expr(scope, depth + 1))
        if self.chance(0.15):
            items.append("**" + self.name(scope))
        if self.chance(0.05) and len(items) == 0:
            return self.comprehension_body(scope, depth)
        return self.sep().join(items)

    def comprehension_body(self, scope: _Scope, depth: int) -> str:
        var = self.pick(("i", "j", "k", "(i, j)", "p"))
        text = f"{self.expr(scope, depth + 1)} for {var} in {self.expr(scope, depth + 1)}"
        for _ in range(self.draw(st.integers(0, 2))):
            if self.chance(0.5):
                text += " if " + self.expr(scope, depth + 1)
            else:
                text += f" for {self.pick(('m', 'n', 'i'))} in {self.expr(scope, depth + 1)}"
        return text

    def expr(self, scope: _Scope, depth: int = 0) -> str:
        if depth > 3 or self.chance(0.35 + 0.15 * depth):
            return self.atom(scope)
        r = self.draw(st.integers(0, 27))
        d = depth + 1
        if r < 3:
            return f"{self.paren(scope, d)} {self.pick(BIN_OPS)} {self.paren(scope, d)}"
        if r < 4:
            return self.const_expr()
        if r < 5:
            return self.pick(("-", "+", "~", "not ")) + self.paren(scope, d)
        if r < 7:
            text = self.paren(scope, d)
            for _ in range(self.draw(st.integers(1, 3))):
                text += f" {self.pick(CMP_OPS)} {self.paren(scope, d)}"
            return text
        if r < 8:
            return f"{self.paren(scope, d)} {self.pick(('and', 'or'))} {self.paren(scope, d)}"
        if r < 9:
            return f"{self.paren(scope, d)} if {self.paren(scope, d)} else {self.paren(scope, d)}"
        if r < 12:
            callee = self.pick(FUNCS) if self.chance(0.6) else f"{self.name(scope)}.{self.pick(ATTRS)}"
            return f"{callee}{self.open_('(')}{self.args(scope, d)})"
        if r < 13:
            return f"{self.name(scope)}.{self.pick(ATTRS)}"
        if r < 15:
            return f"{self.name(scope)}[{self.subscript(scope, d)}]"
        if r < 17:
            items = [self.expr(scope, d) for _ in range(self.draw(st.integers(0, 4)))]
            kind = self.draw(st.integers(0, 2))
            if kind == 0:
                return self.open_("[") + self.sep().join(items) + "]"
            if kind == 1 and items:
                return "{" + self.sep().join(items) + "}"
            return self.open_("(") + self.sep().join(items) + ("," if len(items) == 1 else "") + ")"
        if r < 18:
            pairs = [f"{self.paren(scope, d)}: {self.expr(scope, d)}" for _ in range(self.draw(st.integers(0, 3)))]
            return self.open_("{") + self.sep().join(pairs) + "}"
        if r < 21:
            body = self.comprehension_body(scope, d)
            kind = self.draw(st.integers(0, 3))
            if kind == 0:
                return f"[{body}]"
            if kind == 1:
                return "{" + body + "}"
            if kind == 2:
                return "{" + f"{self.paren(scope, d)}: {body}" + "}"
            return f"({body})"
        if r < 22:
            params = self.params(scope, lambda_=True)
            return f"(lambda {params}: {self.expr(scope, d)})"
        if r < 23:
            return f"({self.pick(NAMES)} := {self.expr(scope, d)})"
        if r < 24 and scope.kind == "async":
            return f"(await {self.paren(scope, d)})"
        if r < 25 and scope.kind == "generator":
            return self.pick(("(yield)", f"(yield {self.expr(scope, d)})", f"(yield from {self.paren(scope, d)})"))
        if r < 26:
            return self.fstring()
        return self.literal()

    def cond(self, scope: _Scope) -> str:
        """A condition; often a constant one, which removes a branch or a loop test."""
        if self.chance(0.25):
            return self.pick(("0", "1", "True", "False", "None", "()", "''", "'x'", "__debug__", "not 1",
                              "1 and 0", "(1, 2)", "0.0", "-1", "2 ** 70", "b''", "not __debug__", "MASK"))
        return self.expr(scope)

    def paren(self, scope: _Scope, depth: int) -> str:
        text = self.expr(scope, depth)
        if text.isidentifier() or text.replace(".", "").isalnum():
            return text
        return "(" + text + ")"

    def subscript(self, scope: _Scope, depth: int) -> str:
        def part():
            return self.expr(scope, depth) if self.chance(0.6) else ""

        r = self.draw(st.integers(0, 5))
        if r < 2:
            return self.expr(scope, depth)
        if r < 4:
            return f"{part()}:{part()}"
        if r < 5:
            return f"{part()}:{part()}:{part()}"
        return f"{self.expr(scope, depth)}, {part()}:{part()}"

    def params(self, scope: _Scope, lambda_: bool = False) -> str:
        names = list(self.draw(st.lists(st.sampled_from(("p", "q", "r", "a", "b", "x", "opt", "key")),
                                        unique=True, max_size=5)))
        out = []
        n_default_from = self.draw(st.integers(0, len(names)))
        for i, n in enumerate(names):
            ann = f": {self.pick(('int', 'str', 'list'))}" if not lambda_ and self.chance(0.1) else ""
            out.append(n + ann + (f"={self.atom(scope)}" if i >= n_default_from else ""))
        r = self.draw(st.integers(0, 3))
        if r == 1:
            out.append("*args")
        elif r == 2:
            out.append("*")
            out.append("kw" + (f"={self.atom(scope)}" if self.chance(0.5) else ""))
        elif r == 3:
            out.append("*rest")
            out.append("only=1")
        if self.chance(0.3):
            out.append("**kwargs")
        if out == ["*"]:
            out = []
        return ", ".join(out)

    # ---- targets ----
    def target(self, scope: _Scope, star_ok: bool = True) -> str:
        r = self.draw(st.integers(0, 9))
        if r < 5:
            return self.pick(scope.names)
        if r < 6:
            return f"{self.name(scope)}.{self.pick(ATTRS)}"
        if r < 7:
            return f"{self.name(scope)}[{self.subscript(scope, 2)}]"
        items = [self.pick(scope.names) for _ in range(self.draw(st.integers(1, 3)))]
        if star_ok and self.chance(0.4):
            items.insert(self.draw(st.integers(0, len(items))), "*" + self.pick(scope.names))
        text = ", ".join(items)
        if not star_ok:  # a with/del item: a bare tuple would read as more items
            return self.pick((f"({text},)", f"[{text}]"))
        return self.pick((f"({text})", f"[{text}]", text + ("," if len(items) == 1 else "")))

    # ---- statements ----
    def simple_stmt(self, scope: _Scope) -> str:
        r = self.draw(st.integers(0, 24))
        if r < 6:
            return f"{self.target(scope)} = {self.expr(scope)}"
        if r < 7:
            return f"{self.pick(scope.names)} = {self.pick(scope.names)} = {self.expr(scope)}"
        if r < 9:
            tgt = self.pick(scope.names) if self.chance(0.7) else f"{self.name(scope)}.{self.pick(ATTRS)}"
            return f"{tgt} {self.pick(AUG_OPS)} {self.expr(scope)}"
        if r < 12:
            return self.expr(scope)
        if r < 13:
            return f"{self.pick(scope.names)}: {self.pick(('int', 'str', 'list[int]'))} = {self.expr(scope)}"
        if r < 14:
            # MicroPython deletes names, attributes, subscripts and (a, b) tuples, not [a] lists
            items = [self.target(scope, star_ok=False) for _ in range(self.draw(st.integers(1, 2)))]
            return "del " + (", ".join(t for t in items if not t.startswith("[")) or "x")
        if r < 15:
            return "assert " + self.expr(scope) + (f", {self.str_lit()}" if self.chance(0.5) else "")
        if r < 16:
            return self.import_stmt(scope)
        if r < 17:
            return "pass"
        if r < 18:
            return self.pick(("raise", f"raise {self.pick(EXC)}", f"raise {self.pick(EXC)}({self.expr(scope)})",
                              f"raise {self.pick(EXC)} from {self.name(scope)}", "raise E1 from None"))
        if r < 20 and scope.loop:
            return self.pick(("break", "continue"))
        if r < 22 and scope.kind in ("function", "generator", "async"):
            return self.pick(("return", "return " + self.expr(scope), "return " + self.expr(scope) + ", 1"))
        if r < 23 and scope.kind == "generator":
            return self.pick(("yield", "yield " + self.expr(scope), "yield from " + self.expr(scope),
                              "x = yield " + self.expr(scope)))
        if r < 24 and scope.kind == "async":
            return "await " + self.paren(scope, 1)
        if r < 25 and scope.kind == "module" and self.chance(0.5):
            name = self.pick(("LIMIT", "_PRIVATE", "MASK", "_N", "SIZE", "BIG"))
            if name in self.consts and self.chance(0.9):
                return f"{self.pick(scope.names)} = {name}"
            text = f"{name} = const({self.const_expr()})"
            if name not in self.consts:
                self.consts.append(name)
            return text
        return f"{self.target(scope)} = {self.literal()}"

    def import_stmt(self, scope: _Scope) -> str:
        m = self.pick(MODULES)
        r = self.draw(st.integers(0, 6))
        if r == 0:
            return f"import {m}"
        if r == 1:
            return f"import {m} as {self.pick(scope.names)}, {self.pick(MODULES)}"
        if r == 2:
            return f"from {m} import {self.pick(FUNCS)}, {self.pick(NAMES)} as {self.pick(scope.names)}"
        if r == 3:
            return f"from {self.pick(('.', '..', '.' + m, '...x'))} import {self.pick(FUNCS)}"
        if r == 4 and scope.kind == "module":
            return f"from {m} import *"
        if r == 5:
            return f"from {m} import ({self.pick(FUNCS)}{self.sep()}{self.pick(NAMES)},)"
        return "import micropython"

    def body(self, scope: _Scope, indent: str, n: int | None = None) -> list[str]:
        """A block: at least one statement."""
        lines: list[str] = []
        count = self.draw(st.integers(1, 6)) if n is None else n
        for _ in range(count):
            if self.budget <= 0 and lines:
                break
            self.budget -= 1
            lines += self.gap()
            lines += self.stmt(scope, indent)
        return lines or [indent + "pass"]

    def gap(self) -> list[str]:
        """Blank lines and comments between statements (line table deltas, incl. big ones)."""
        r = self.draw(st.integers(0, 59))
        if r < 48:
            return []
        if r < 58:
            return [""] * self.draw(st.integers(1, 3)) + (["# comment"] if self.chance(0.5) else [])
        return [""] * self.draw(st.integers(20, 300))

    def stmt(self, scope: _Scope, ind: str) -> list[str]:
        deep = self.depth >= 5
        r = self.draw(st.integers(0, 39))
        if deep or r < 20:
            text = self.simple_stmt(scope)
            if self.chance(0.05):
                text += "; " + self.simple_stmt(scope)
            if self.breaks and self.chance(0.03):
                text = text.replace(" = ", " = \\\n" + ind + "    ", 1)
            return [ind + line if i == 0 else line for i, line in enumerate(text.split("\n"))] \
                if "\n" in text else [ind + text]
        self.depth += 1
        try:
            return self.compound(scope, ind, r)
        finally:
            self.depth -= 1

    def compound(self, scope: _Scope, ind: str, r: int) -> list[str]:
        inner = ind + "    "
        loop_scope = dataclasses.replace(scope, loop=True)
        if r < 23:
            out = [f"{ind}if {self.cond(scope)}:"] + self.body(scope, inner)
            for _ in range(self.draw(st.integers(0, 2))):
                out += [f"{ind}elif {self.cond(scope)}:"] + self.body(scope, inner)
            if self.chance(0.4):
                out += [f"{ind}else:"] + self.body(scope, inner)
            return out
        if r < 25:
            out = [f"{ind}while {self.cond(scope)}:"] + self.body(loop_scope, inner)
            if self.chance(0.3):
                out += [f"{ind}else:"] + self.body(scope, inner)
            return out
        if r < 28:
            kw = "async for" if scope.kind == "async" and self.chance(0.3) else "for"
            out = [f"{ind}{kw} {self.target(scope)} in {self.expr(scope)}:"] + self.body(loop_scope, inner)
            if self.chance(0.3):
                out += [f"{ind}else:"] + self.body(scope, inner)
            return out
        if r < 31:
            out = [f"{ind}try:"] + self.body(scope, inner)
            handlers = self.draw(st.integers(0, 3))
            for h in range(handlers):
                kind = self.draw(st.integers(0, 3))
                if kind == 0 and h == handlers - 1:
                    head = "except:"
                elif kind == 1:
                    head = f"except ({self.pick(EXC)}, {self.pick(EXC)}):"
                elif kind == 2:
                    head = f"except {self.pick(EXC)} as {self.pick(('e', 'err', 'x'))}:"
                else:
                    head = f"except {self.pick(EXC)}:"
                body = self.body(scope, inner)
                if self.chance(0.2):
                    body.append(inner + "raise")
                out += [ind + head] + body
            if handlers and self.chance(0.3):
                out += [f"{ind}else:"] + self.body(scope, inner)
            if not handlers or self.chance(0.3):
                out += [f"{ind}finally:"] + self.body(scope, inner)
            return out
        if r < 33:
            kw = "async with" if scope.kind == "async" and self.chance(0.3) else "with"
            items = []
            for _ in range(self.draw(st.integers(1, 3))):
                item = self.expr(scope, 2)
                if self.chance(0.6):
                    item += " as " + self.target(scope, star_ok=False)
                items.append(item)
            return [f"{ind}{kw} {', '.join(items)}:"] + self.body(scope, inner)
        if r < 37 or scope.kind == "class":
            return self.funcdef(scope, ind)
        return self.classdef(scope, ind)

    def decorators(self, scope: _Scope, ind: str) -> list[str]:
        out = []
        for _ in range(self.draw(st.integers(0, 2))):
            out.append(ind + "@" + self.pick(("staticmethod", "classmethod", "property", "micropython.bytecode",
                                              "deco", "deco(1, x=2)", "mod.attr.deco")))
        return out

    def funcdef(self, scope: _Scope, ind: str) -> list[str]:
        kind = self.pick(("function", "function", "generator", "async"))
        name = self.pick(("f", "g", "helper", "method", "__init__", "_private", "callback"))
        params = self.params(scope)
        head = ("async def" if kind == "async" else "def") + f" {name}({params})"
        if self.chance(0.1):
            head += " -> int"
        inner = ind + "    "
        out = self.decorators(scope, ind) + [ind + head + ":"]
        if self.chance(0.2):
            out.append(inner + self.str_lit())  # docstring
        globals_ = ()
        if self.chance(0.2):
            globals_ = tuple(sorted(set(self.draw(
                st.lists(st.sampled_from(("total", "data", "Alpha")), min_size=1, max_size=2)))))
            out.append(inner + "global " + ", ".join(globals_))
        free = [n for n in scope.enclosing_locals if not re.search(rf"\b{n}\b", params) and n not in globals_]
        if scope.kind in ("function", "generator", "async") and free and self.chance(0.4):
            out.append(inner + "nonlocal " + self.pick(free))
        # bind this function's locals first so nested functions' nonlocal declarations resolve
        local_names = ()
        if self.chance(0.5):
            local_names = tuple(n for n in NAMES if n not in globals_ and n not in free and self.chance(0.5)) or ("a",)
            out.append(inner + " = ".join(local_names) + " = " + self.literal())
        fscope = _Scope(kind=kind, names=NAMES, enclosing_locals=local_names)
        out += self.body(fscope, inner, self.draw(st.integers(1, 8)))
        if kind == "generator" and not any("yield" in line for line in out):
            out.append(inner + "yield " + self.atom(scope))
        return out

    def classdef(self, scope: _Scope, ind: str) -> list[str]:
        name = self.pick(("C", "Base", "Thing", "E1"))
        bases = self.pick(("", "()", "(Base)", "(Base, object)", "(Exception)", "(metaclass=M)",
                           "(*bases)", "(Base, **kw)"))
        inner = ind + "    "
        cscope = _Scope(kind="class", names=NAMES)
        out = self.decorators(scope, ind) + [f"{ind}class {name}{bases}:"]
        if self.chance(0.3):
            out.append(inner + self.str_lit())
        out += self.body(cscope, inner, self.draw(st.integers(1, 5)))
        if self.chance(0.3):
            out += [f"{inner}def m(self):", f"{inner}    return super().m() + __class__.x"]
        return out

    def module(self) -> str:
        lines: list[str] = []
        if self.chance(0.4):
            lines.append(self.str_lit())
        if self.chance(0.5):
            lines.append("from micropython import const")
        scope = _Scope()
        while self.budget > 0:
            self.budget -= 1
            lines += self.gap()
            lines += self.stmt(scope, "")
        return "\n".join(lines) + self.pick(("\n", "", "\n\n", "\n# end"))


@st.composite
def programs(draw, max_statements: int = 40) -> str:
    """Source text of one random MicroPython module."""
    gen = _Gen(draw, budget=draw(st.integers(1, max_statements)), breaks=draw(st.booleans()))
    return gen.module()


@st.composite
def long_functions(draw) -> str:
    """A function whose blocks are long enough for 2-byte (and overflowing 1-byte) jump offsets."""
    gen = _Gen(draw, budget=10 ** 6, breaks=False)
    scope = _Scope(kind="function", loop=True)
    n = draw(st.integers(20, 400))
    filler = [f"    {gen.pick(NAMES)} = {gen.pick(NAMES)} + {draw(st.integers(0, 100))}" for _ in range(n)]
    head = draw(st.sampled_from(("if x:", "while x:", "for i in y:", "try:", "with a:")))
    lines = ["def f(x, y, a):", "    " + head] + ["    " + line for line in filler]
    if head == "try:":
        lines += ["    except ValueError:", "        pass"]
    lines += gen.body(scope, "    ", draw(st.integers(1, 4)))
    if head in ("while x:", "for i in y:"):
        lines += ["        " + draw(st.sampled_from(("break", "continue", "pass")))]
    lines.append("    return " + gen.expr(scope))
    return "\n".join(lines) + "\n"


@st.composite
def many_names(draw) -> str:
    """Hundreds of locals, globals, constants and attributes: multi-byte operand encodings."""
    n = draw(st.integers(100, 700))
    kind = draw(st.sampled_from(("locals", "globals", "consts", "attrs", "cells")))
    if kind == "locals":
        body = [f"    v{i} = {i}" for i in range(n)] + [f"    return v{n - 1} + v0 + v{n // 2}"]
        return "def f():\n" + "\n".join(body) + "\n"
    if kind == "globals":
        return "\n".join(f"g{i} = g{(i * 7) % n}" for i in range(n)) + "\n"
    if kind == "consts":
        return "x = [" + ",\n".join(f"'s{i}' * 20 + '{'z' * 20}', {i}.5, {2 ** 40 + i}" for i in range(n)) + "]\n"
    if kind == "attrs":
        return "def f(o):\n" + "\n".join(f"    o.a{i} = o.m{i}(o.b{i})" for i in range(n)) + "\n"
    inner = "\n".join(f"        c{i} += 1" for i in range(0, n, 3))
    return ("def f():\n" + "\n".join(f"    c{i} = {i}" for i in range(n)) + "\n    def g():\n        nonlocal "
            + ", ".join(f"c{i}" for i in range(0, n, 3)) + "\n" + inner + "\n    return g\n")


OPTION_SETS = ([], ["-O1"], ["-O2"], ["-O3"], ["-s", "odd/na me.py"], ["-X", "no-source-lines"],
               ["-O2", "-s", "\u00e9t\u00e9.py"], ["-msmall-int-bits=63"])


def options() -> st.SearchStrategy[list[str]]:
    return st.sampled_from(OPTION_SETS)
