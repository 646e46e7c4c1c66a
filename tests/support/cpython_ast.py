"""Test support: CPython's `ast` turned into `mpycross.compiler.astnodes`.

A second, independent front end for the compiler back end: it lets the back
end be tested on its own (tests/test_compile_cpython_ast.py), and it was how
the back end was developed before the MicroPython front end existed.

CPython's lines are close to MicroPython's: a node's `lineno` is its first
token's line. What CPython's tree does not say is recovered from the source
text: whether a tuple or generator has its own parentheses, the line of a
call's "(" / a subscript's "[" / an attribute's "." (the token right after the
value's end), `elif` clauses, and the line MicroPython gives a constant tuple.
f-strings become `"...".format(...)` as MicroPython's lexer rewrites them
(simple cases: `{expr}`, `{expr!r}`, `{expr:spec}` with a constant spec).
"""

from __future__ import annotations

import ast

from mpycross.compiler import astnodes as A

_OPS = {
    ast.Add: "Add", ast.Sub: "Sub", ast.Mult: "Mult", ast.MatMult: "MatMult", ast.Div: "Div",
    ast.Mod: "Mod", ast.Pow: "Pow", ast.LShift: "LShift", ast.RShift: "RShift", ast.BitOr: "BitOr",
    ast.BitXor: "BitXor", ast.BitAnd: "BitAnd", ast.FloorDiv: "FloorDiv",
    ast.Invert: "Invert", ast.Not: "Not", ast.UAdd: "UAdd", ast.USub: "USub",
    ast.And: "And", ast.Or: "Or",
    ast.Eq: "Eq", ast.NotEq: "NotEq", ast.Lt: "Lt", ast.LtE: "LtE", ast.Gt: "Gt", ast.GtE: "GtE",
    ast.Is: "Is", ast.IsNot: "IsNot", ast.In: "In", ast.NotIn: "NotIn",
}
_CTX = {ast.Load: "Load", ast.Store: "Store", ast.Del: "Del"}


class _Converter:
    def __init__(self, source: str):
        self.lines = source.splitlines()

    # ---- source helpers ----
    def char_at(self, line: int, col: int) -> str:
        """The first non-blank, non-comment character at or after (line, col), with its line."""
        while 1 <= line <= len(self.lines):
            text = self.lines[line - 1]
            # columns are UTF-8 byte offsets
            raw = text.encode("utf-8")
            rest = raw[col:].decode("utf-8", "replace")
            stripped = rest.lstrip(" \t\\")
            if stripped and not stripped.startswith("#"):
                return stripped[0], line
            line += 1
            col = 0
        return "", line

    def paren_before(self, node) -> bool:
        return self.char_at(node.lineno, node.col_offset)[0] == "("

    def token_after(self, node) -> int:
        """Line of the first token after an expression (a trailer's '(' '[' '.')."""
        return self.char_at(node.end_lineno, node.end_col_offset)[1]

    # ---- conversion ----
    def conv(self, node):
        if node is None:
            return None
        if isinstance(node, list):
            return tuple(self.conv(n) for n in node)
        method = getattr(self, "c_" + type(node).__name__, None)
        if method is None:
            raise NotImplementedError(type(node).__name__)
        return method(node)

    def body(self, stmts):
        return tuple(self.conv(s) for s in stmts)

    def c_Module(self, n):
        return A.Module(self.body(n.body), line=1)

    def _args(self, a: ast.arguments):
        def arg(x):
            return None if x is None else A.arg(x.arg, self.conv(x.annotation), line=x.lineno)

        return A.arguments(
            args=tuple(arg(x) for x in a.posonlyargs + a.args), vararg=arg(a.vararg),
            kwonlyargs=tuple(arg(x) for x in a.kwonlyargs),
            kw_defaults=tuple(self.conv(d) for d in a.kw_defaults), kwarg=arg(a.kwarg),
            defaults=tuple(self.conv(d) for d in a.defaults))

    def c_FunctionDef(self, n, cls=A.FunctionDef):
        return cls(n.name, self._args(n.args), self.body(n.body),
                   tuple(self._decorator(d) for d in n.decorator_list), self.conv(n.returns), line=n.lineno)

    def c_AsyncFunctionDef(self, n):
        return self.c_FunctionDef(n, A.AsyncFunctionDef)

    def _decorator(self, d):
        node = self.conv(d)
        at_line = d.lineno  # the '@' is on the decorator's line
        return _with_line(node, at_line)

    def c_ClassDef(self, n):
        return A.ClassDef(n.name, self.conv(n.bases), self.conv(n.keywords), self.body(n.body),
                          tuple(self._decorator(d) for d in n.decorator_list), line=n.lineno)

    def c_Return(self, n):
        return A.Return(self.conv(n.value), line=n.lineno)

    def c_Delete(self, n):
        return A.Delete(self.conv(n.targets), line=n.lineno)

    def c_Assign(self, n):
        return A.Assign(self.conv(n.targets), self.conv(n.value), line=n.lineno)

    def c_AugAssign(self, n):
        return A.AugAssign(self.conv(n.target), _OPS[type(n.op)], self.conv(n.value), line=n.lineno)

    def c_AnnAssign(self, n):
        return A.AnnAssign(self.conv(n.target), self.conv(n.annotation), self.conv(n.value), n.simple,
                           line=n.lineno)

    def c_For(self, n, cls=A.For):
        return cls(self.conv(n.target), self.conv(n.iter), self.body(n.body), self.body(n.orelse), line=n.lineno)

    def c_AsyncFor(self, n):
        return self.c_For(n, A.AsyncFor)

    def c_While(self, n):
        return A.While(self.conv(n.test), self.body(n.body), self.body(n.orelse), line=n.lineno)

    def c_If(self, n, is_elif=False):
        orelse = n.orelse
        if len(orelse) == 1 and isinstance(orelse[0], ast.If) and \
                self.lines[orelse[0].lineno - 1].lstrip().startswith("elif"):
            converted = (self.c_If(orelse[0], True),)
        else:
            converted = self.body(orelse)
        return A.If(self.conv(n.test), self.body(n.body), converted, line=n.lineno, is_elif=is_elif)

    def c_With(self, n, cls=A.With):
        items = tuple(A.withitem(self.conv(i.context_expr), self.conv(i.optional_vars),
                                 line=i.context_expr.lineno) for i in n.items)
        return cls(items, self.body(n.body), line=n.lineno)

    def c_AsyncWith(self, n):
        return self.c_With(n, A.AsyncWith)

    def c_Raise(self, n):
        return A.Raise(self.conv(n.exc), self.conv(n.cause), line=n.lineno)

    def c_Try(self, n):
        handlers = tuple(A.ExceptHandler(self.conv(h.type), h.name, self.body(h.body), line=h.lineno)
                         for h in n.handlers)
        return A.Try(self.body(n.body), handlers, self.body(n.orelse), self.body(n.finalbody), line=n.lineno)

    def c_Assert(self, n):
        return A.Assert(self.conv(n.test), self.conv(n.msg), line=n.lineno)

    def c_Import(self, n):
        return A.Import(tuple(A.alias(a.name, a.asname, line=n.lineno) for a in n.names), line=n.lineno)

    def c_ImportFrom(self, n):
        return A.ImportFrom(n.module, tuple(A.alias(a.name, a.asname, line=n.lineno) for a in n.names),
                            n.level, line=n.lineno)

    def c_Global(self, n):
        return A.Global(tuple(n.names), line=n.lineno)

    def c_Nonlocal(self, n):
        return A.Nonlocal(tuple(n.names), line=n.lineno)

    def c_Expr(self, n):
        return A.Expr(self.conv(n.value), line=n.lineno)

    def c_Pass(self, n):
        return A.Pass(line=n.lineno)

    def c_Break(self, n):
        return A.Break(line=n.lineno)

    def c_Continue(self, n):
        return A.Continue(line=n.lineno)

    # ---- expressions ----
    def c_BoolOp(self, n):
        return A.BoolOp(_OPS[type(n.op)], self.conv(n.values), line=n.lineno)

    def c_NamedExpr(self, n):
        return A.NamedExpr(self.conv(n.target), self.conv(n.value), line=n.lineno)

    def c_BinOp(self, n):
        left = self.conv(n.left)
        if self.paren_before(n.left) and not isinstance(n.left, (ast.Tuple, ast.GeneratorExp)):
            left = _with_parens(left, n.left.lineno)
        right = self.conv(n.right)
        return A.BinOp(left, _OPS[type(n.op)], right, line=n.lineno)

    def c_UnaryOp(self, n):
        return A.UnaryOp(_OPS[type(n.op)], self.conv(n.operand), line=n.lineno)

    def c_Lambda(self, n):
        return A.Lambda(self._args(n.args), self.conv(n.body), line=n.lineno)

    def c_IfExp(self, n):
        return A.IfExp(self.conv(n.test), self.conv(n.body), self.conv(n.orelse), line=n.lineno)

    def c_Dict(self, n):
        return A.Dict(tuple(self.conv(k) for k in n.keys), self.conv(n.values), line=n.lineno)

    def c_Set(self, n):
        return A.Set(self.conv(n.elts), line=n.lineno)

    def _gens(self, gens):
        return tuple(A.comprehension(self.conv(g.target), self.conv(g.iter), self.conv(g.ifs), g.is_async,
                                     line=g.target.lineno) for g in gens)

    def c_ListComp(self, n):
        return A.ListComp(self.conv(n.elt), self._gens(n.generators), line=n.lineno)

    def c_SetComp(self, n):
        return A.SetComp(self.conv(n.elt), self._gens(n.generators), line=n.lineno)

    def c_DictComp(self, n):
        return A.DictComp(self.conv(n.key), self.conv(n.value), self._gens(n.generators), line=n.lineno)

    def c_GeneratorExp(self, n):
        parenthesized = self.paren_before(n) and n.col_offset < n.elt.col_offset
        line = n.lineno if parenthesized else n.elt.lineno
        return A.GeneratorExp(self.conv(n.elt), self._gens(n.generators), line=line,
                              parenthesized=parenthesized)

    def c_Await(self, n):
        return A.Await(self.conv(n.value), line=n.lineno)

    def c_Yield(self, n):
        return A.Yield(self.conv(n.value), line=n.lineno)

    def c_YieldFrom(self, n):
        return A.YieldFrom(self.conv(n.value), line=n.lineno)

    def c_Compare(self, n):
        return A.Compare(self.conv(n.left), tuple(_OPS[type(o)] for o in n.ops), self.conv(n.comparators),
                         line=n.lineno)

    def c_Call(self, n):
        args = self.conv(n.args)
        keywords = tuple(A.keyword(k.arg, self.conv(k.value), line=k.lineno) for k in n.keywords)
        return A.Call(self.conv(n.func), args, keywords, line=n.lineno, trailer_line=self.token_after(n.func))

    def c_FormattedValue(self, n):  # pragma: no cover - handled in c_JoinedStr
        raise NotImplementedError("FormattedValue outside an f-string")

    def c_JoinedStr(self, n):
        fmt = []
        args = []
        for part in n.values:
            if isinstance(part, ast.Constant):
                fmt.append(part.value.replace("{", "{{").replace("}", "}}"))
            else:
                conv = {-1: "", 115: "!s", 114: "!r", 97: "!a"}[part.conversion]
                spec = ""
                if part.format_spec is not None:
                    if not all(isinstance(v, ast.Constant) for v in part.format_spec.values):
                        raise NotImplementedError("f-string with a nested format spec")
                    spec = ":" + "".join(v.value for v in part.format_spec.values)
                fmt.append("{" + conv + spec + "}")
                args.append(_with_parens(self.conv(part.value), part.value.lineno))
        text = A.Constant("".join(fmt), line=n.lineno)
        func = A.Attribute(text, "format", line=n.lineno, trailer_line=n.lineno)
        return A.Call(func, tuple(args), (), line=n.lineno, trailer_line=n.lineno)

    def c_Constant(self, n):
        return A.Constant(n.value, line=n.lineno)

    def c_Attribute(self, n):
        return A.Attribute(self.conv(n.value), n.attr, _CTX[type(n.ctx)], line=n.lineno,
                           trailer_line=self.token_after(n.value))

    def c_Subscript(self, n):
        return A.Subscript(self.conv(n.value), self.conv(n.slice), _CTX[type(n.ctx)], line=n.lineno,
                           trailer_line=self.token_after(n.value))

    def c_Starred(self, n):
        return A.Starred(self.conv(n.value), _CTX[type(n.ctx)], line=n.lineno)

    def c_Name(self, n):
        return A.Name(n.id, _CTX[type(n.ctx)], line=n.lineno)

    def c_List(self, n):
        return A.List(self.conv(n.elts), _CTX[type(n.ctx)], line=n.lineno)

    def c_Tuple(self, n):
        elts = self.conv(n.elts)
        parenthesized = bool(n.elts) and self.paren_before(n) and n.col_offset < n.elts[0].col_offset
        if not n.elts:
            parenthesized = True
        if not elts:
            items_line = n.lineno
        elif parenthesized:
            # py/parse.c: two items without a trailing comma stay in testlist_comp
            trailing = self.char_at(n.elts[-1].end_lineno, n.elts[-1].end_col_offset)[0] == ","
            if len(elts) == 1 or (len(elts) == 2 and not trailing):
                items_line = n.elts[0].lineno
            else:
                items_line = n.elts[1].lineno
        else:
            items_line = n.elts[0].lineno
        return A.Tuple(elts, _CTX[type(n.ctx)], line=n.lineno, parenthesized=parenthesized,
                       items_line=items_line)

    def c_Slice(self, n):
        return A.Slice(self.conv(n.lower), self.conv(n.upper), self.conv(n.step), line=n.lineno)


def _with_line(node, line: int):
    from dataclasses import replace

    return replace(node, line=line) if node.line != line else node


def _with_parens(node, line: int):
    from dataclasses import replace

    return replace(node, parens=(line,) + node.parens)


def convert(source: str) -> A.Module:
    """Parse with CPython and return the module as `astnodes` (SyntaxError as CPython raises it)."""
    return _Converter(source).conv(ast.parse(source))
