"""Rule callbacks that turn grammar matches into `astnodes`.

The LALR loop in parser.py calls one method per grammar rule (named after the
rule or its alias in grammar/micropython.lark) as the rule is reduced, with
the rule's children: tokens (all kept, for their lines), results of
sub-rules, and None for an absent `[optional]` part.  No parse tree is
built: each method returns an AST node or a small private helper value that
the enclosing rule consumes.

Lines follow `astnodes`: an expression's `line` is its first token's line,
redundant parentheses are recorded in `parens`, trailers carry
`trailer_line`.  The methods are pure, so one instance serves every thread
that parses with the same grammar rules (the `plan.Syntax` it is built with).
"""

from __future__ import annotations

from . import astnodes as A
from .lexer import LexerAbort, Token
from mpycross.records import replace


# ---- helper values passed between rules ------------------------------------


# items of one list or tuple display that py/parse.c's result stack (8 bytes each) cannot hold
# in mpy-cross's 2 MB heap: `MemoryError: ` with no message from this many on, in every release
# measured (1.9, 1.19, 1.23, 1.29: 259,823 - 259,840 by the shape around it)
_RESULT_STACK_ITEMS = 259_840
_new = object.__new__


class _Seq:
    """Comma-separated items before they become a Tuple (or stay one item)."""

    __slots__ = ("items", "trailing")

    def __init__(self, items, trailing):
        self.items = items
        self.trailing = trailing


class _Args(list):
    """A call's arguments, and whether a comma ends them (`trailing`, see _args)."""


def _args(items, trailing: bool) -> _Args:
    """_Args of `items`: list's own __init__ (a Python one would go through a slow generic call)."""
    args = _Args(items)
    args.trailing = trailing
    return args


class _Comp:
    """An element (or key/value) followed by `for ...` clauses."""

    __slots__ = ("elt", "generators")

    def __init__(self, elt, generators):
        self.elt = elt
        self.generators = generators


class _If:
    __slots__ = ("test", "rest")

    def __init__(self, test, rest):
        self.test = test
        self.rest = rest


class _KV:
    __slots__ = ("key", "value", "line")

    def __init__(self, key, value, line):
        self.key = key
        self.value = value
        self.line = line


class _Trailer:
    """A `(args)`, `[sub]` or `.name` trailer with its token line."""

    __slots__ = ("kind", "arg", "line")


def _trailer(kind: str, arg, line: int) -> _Trailer:
    """_Trailer with its fields, made without a class call (whose __init__ goes through
    a slow generic path): one per trailer of the source."""
    t = _new(_Trailer)
    t.kind = kind
    t.arg = arg
    t.line = line
    return t


class _Param:
    __slots__ = ("kind", "name", "annotation", "default", "line")

    def __init__(self, kind, name, annotation, default, line):
        self.kind = kind
        self.name = name
        self.annotation = annotation
        self.default = default
        self.line = line


class _Dotted:
    __slots__ = ("name", "line", "parts")

    def __init__(self, parts, line):
        self.parts = parts
        self.name = ".".join(p.value for p in parts)
        self.line = line


def first_line(x) -> int:
    """Line of the first token of a child (token, node or helper)."""
    if isinstance(x, Token):
        return x.line
    if isinstance(x, A.Invalid):
        return x.start
    if isinstance(x, A.Node):
        return x.parens[0] if x.parens else x.line
    if isinstance(x, list):
        return first_line(x[0])
    return x.line


def _nodes(children):
    """The non-token, non-placeholder children."""
    return [c for c in children if c is not None and not isinstance(c, Token)]


def _tuple_or_single(items, trailing):
    if len(items) == 1 and not trailing:
        return items[0]
    line = first_line(items[0])
    return A.Tuple(tuple(items), line=line, items_line=line)


def _as_expr(x):
    if isinstance(x, _Seq):
        return _tuple_or_single(x.items, x.trailing)
    return x


_STORE_KINDS = (A.Name, A.Attribute, A.Subscript)


def set_ctx(node, ctx: str):
    """Give an assignment / del target the Store or Del context, recursively.

    Iterative (post-order with an explicit stack), so that deeply nested
    targets such as [[[...a...]]] = x cannot exhaust Python's stack.
    """
    if isinstance(node, _STORE_KINDS):
        return replace(node, ctx=ctx)
    if not isinstance(node, (A.Starred, A.Tuple, A.List)):
        return node
    stack = [(node, False)]
    done = []
    while stack:
        n, children_done = stack.pop()
        if isinstance(n, _STORE_KINDS):
            done.append(replace(n, ctx=ctx))
        elif isinstance(n, A.Starred):
            if children_done:
                done.append(replace(n, value=done.pop(), ctx=ctx))
            else:
                stack.append((n, True))
                stack.append((n.value, False))
        elif isinstance(n, (A.Tuple, A.List)):
            if children_done:
                k = len(n.elts)
                elts = tuple(done[len(done) - k:]) if k else ()
                del done[len(done) - k:]
                done.append(replace(n, elts=elts, ctx=ctx))
            else:
                stack.append((n, True))
                stack.extend((e, False) for e in reversed(n.elts))
        else:
            done.append(n)
    return done[0]


_AUG_OPS = {
    "DEL_PLUS_EQUAL": "Add", "DEL_MINUS_EQUAL": "Sub", "DEL_STAR_EQUAL": "Mult",
    "DEL_AT_EQUAL": "MatMult", "DEL_SLASH_EQUAL": "Div", "DEL_PERCENT_EQUAL": "Mod",
    "DEL_AMPERSAND_EQUAL": "BitAnd", "DEL_PIPE_EQUAL": "BitOr", "DEL_CARET_EQUAL": "BitXor",
    "DEL_DBL_LESS_EQUAL": "LShift", "DEL_DBL_MORE_EQUAL": "RShift",
    "DEL_DBL_STAR_EQUAL": "Pow", "DEL_DBL_SLASH_EQUAL": "FloorDiv",
}
_BIN_OPS = {
    "OP_PIPE": "BitOr", "OP_CARET": "BitXor", "OP_AMPERSAND": "BitAnd",
    "OP_DBL_LESS": "LShift", "OP_DBL_MORE": "RShift", "OP_PLUS": "Add", "OP_MINUS": "Sub",
    "OP_STAR": "Mult", "OP_AT": "MatMult", "OP_SLASH": "Div", "OP_PERCENT": "Mod",
    "OP_DBL_SLASH": "FloorDiv",
}
_UNARY_OPS = {"OP_PLUS": "UAdd", "OP_MINUS": "USub", "OP_TILDE": "Invert"}
_CMP_OPS = {
    "OP_LESS": "Lt", "OP_MORE": "Gt", "OP_DBL_EQUAL": "Eq", "OP_LESS_EQUAL": "LtE",
    "OP_MORE_EQUAL": "GtE", "OP_NOT_EQUAL": "NotEq", "KW_IN": "In",
}
_CONSTS = {"ELLIPSIS": ..., "KW_NONE": None, "KW_TRUE": True, "KW_FALSE": False}


class TreeToAst:
    """One method per grammar rule / alias (see grammar/micropython.lark).

    `syntax` (plan.Syntax): which of the rules that differ between releases
    the target has (GRAMMAR_RULES)."""

    GRAMMAR_RULES = ("multiple_star_args", "reject_star_after_kwarg")
    # rules whose method, given one node followed by absent parts (None), returns
    # that node: the parser skips the call (grammar_tables.make_callback)
    PASS_SINGLE = frozenset({"testlist_star_expr", "testlist", "exprlist", "subscriptlist", "argument"})

    def __init__(self, syntax):
        for name in self.GRAMMAR_RULES:
            setattr(self, name, getattr(syntax, name))

    # ---- module and statements ---------------------------------------------

    def file_input(self, ch):
        body = []
        for c in ch:
            if isinstance(c, list):
                body.extend(c)
            elif not isinstance(c, Token):
                body.append(c)
        # line 0: no token before END (parser.parse gives the END line its due)
        newline = ch[0].line if ch and isinstance(ch[0], Token) and ch[0].type == "NEWLINE" else 0
        return A.Module(tuple(body), line=first_line(ch[0]) if ch else 0, newline_line=newline)

    def simple_stmt(self, ch):
        if len(ch) == 3 and ch[1] is None:
            return [ch[0]]  # the common case: one statement, no ';'
        stmts = _nodes(ch)
        # py/parse.c: with a ';' (several statements, or one and a trailing ';') the line is a
        # simple_stmt_2 list node; only an assignment can lose its own line (a private const)
        if type(stmts[0]) in (A.Assign, A.AnnAssign, A.Expr, A.Pass) and any(
                isinstance(c, Token) and c.type == "DEL_SEMICOLON" for c in ch):
            stmts[0] = replace(stmts[0], starts_list=True)
        return stmts

    def suite(self, ch):
        if len(ch) == 1:
            return ch[0]
        body = []
        for c in ch[2:-1]:
            if isinstance(c, list):
                body.extend(c)
            else:
                body.append(c)
        return body

    def expr_stmt(self, ch):
        value = ch[0]
        return A.Expr(value, line=first_line(value))

    def expr_stmt_annassign(self, ch):
        target, (annotation, value) = ch
        simple = 1 if isinstance(target, A.Name) and not target.parens else 0
        return A.AnnAssign(set_ctx(target, "Store"), annotation, value, simple, line=first_line(target))

    def annassign(self, ch):
        return (ch[1], ch[3])

    def expr_stmt_augassign(self, ch):
        target, op, value = ch
        return A.AugAssign(set_ctx(target, "Store"), op, value, line=first_line(target))

    def augassign(self, ch):
        return _AUG_OPS[ch[0].type]

    def expr_stmt_assign(self, ch):
        parts = ch[0::2]
        targets = tuple([set_ctx(t, "Store") for t in parts[:-1]])
        return A.Assign(targets, parts[-1], line=first_line(ch[0]))

    def testlist_star_expr(self, ch):
        items = _nodes(ch)
        return _tuple_or_single(items, isinstance(ch[-1], Token))

    def del_stmt(self, ch):
        targets = ch[1]
        items = targets.items if isinstance(targets, _Seq) else [targets]
        return A.Delete(tuple([set_ctx(t, "Del") for t in items]), line=ch[0].line)

    def pass_stmt(self, ch):
        return A.Pass(line=ch[0].line)

    def break_stmt(self, ch):
        return A.Break(line=ch[0].line)

    def continue_stmt(self, ch):
        return A.Continue(line=ch[0].line)

    def return_stmt(self, ch):
        return A.Return(ch[1], line=ch[0].line)

    def yield_stmt(self, ch):
        return A.Expr(ch[0], line=ch[0].line)

    def raise_stmt(self, ch):
        n = _nodes(ch[1:])
        exc = n[0] if n else None
        cause = n[1] if len(n) > 1 else None
        return A.Raise(exc, cause, line=ch[0].line)

    def import_name(self, ch):
        return A.Import(tuple(_nodes(ch[1:])), line=ch[0].line)

    def dotted_as_name(self, ch):
        dotted, _, asname = ch
        return A.alias(dotted.name, asname.value if asname is not None else None, line=dotted.line)

    def dotted_name(self, ch):
        parts = [c for c in ch if c.type == "NAME"]
        return _Dotted(parts, ch[0].line)

    def import_from(self, ch):
        module, level = ch[1]
        return A.ImportFrom(module, ch[3], level, line=ch[0].line)

    def import_from_2(self, ch):
        level = 0
        module = None
        for c in ch:
            if isinstance(c, _Dotted):
                module = c.name
            elif isinstance(c, Token):
                level += 3 if c.type == "ELLIPSIS" else 1
        return (module, level)

    def import_from_3(self, ch):
        if len(ch) == 1 and isinstance(ch[0], Token):
            return (A.alias("*", line=ch[0].line),)
        return ch[0] if len(ch) == 1 else ch[1]

    def import_as_names(self, ch):
        return tuple(_nodes(ch))

    def import_as_name(self, ch):
        name, _, asname = ch
        return A.alias(name.value, asname.value if asname is not None else None, line=name.line)

    def global_stmt(self, ch):
        return A.Global(tuple(c.value for c in ch if c.type == "NAME"), line=ch[0].line)

    def nonlocal_stmt(self, ch):
        return A.Nonlocal(tuple(c.value for c in ch if c.type == "NAME"), line=ch[0].line)

    def assert_stmt(self, ch):
        return A.Assert(ch[1], ch[3], line=ch[0].line)

    def if_stmt(self, ch):
        test, body = ch[1], ch[3]
        rest = ch[4:]
        orelse = rest[-1] if rest and isinstance(rest[-1], list) else None
        elifs = [c for c in rest if isinstance(c, tuple)]
        tail = tuple(orelse) if orelse is not None else ()
        for line, etest, ebody in reversed(elifs):
            tail = (A.If(etest, tuple(ebody), tail, line=line, is_elif=True),)
        return A.If(test, tuple(body), tail, line=ch[0].line)

    def if_stmt_elif(self, ch):
        return (ch[0].line, ch[1], ch[3])

    def else_stmt(self, ch):
        return ch[2]

    def while_stmt(self, ch):
        orelse = ch[4]
        return A.While(ch[1], tuple(ch[3]), tuple(orelse or ()), line=ch[0].line)

    def for_stmt(self, ch):
        target = set_ctx(_as_expr(ch[1]), "Store")
        orelse = ch[6]
        return A.For(target, _as_expr(ch[3]), tuple(ch[5]), tuple(orelse or ()), line=ch[0].line)

    def try_stmt(self, ch):
        body = tuple(ch[2])
        handlers = []
        orelse = ()
        finalbody = ()
        for c in ch[3:]:
            if isinstance(c, A.ExceptHandler):
                handlers.append(c)
            elif isinstance(c, tuple):  # finally
                finalbody = c
            elif isinstance(c, list):  # else
                orelse = tuple(c)
        return A.Try(body, tuple(handlers), orelse, finalbody, line=ch[0].line)

    def try_stmt_except(self, ch):
        _, typ, _, name, _, body = ch
        return A.ExceptHandler(typ, name.value if name is not None else None, tuple(body), line=ch[0].line)

    def try_stmt_finally(self, ch):
        return tuple(ch[2])

    def with_stmt(self, ch):
        items = tuple(c for c in ch if isinstance(c, A.withitem))
        return A.With(items, tuple(ch[-1]), line=ch[0].line)

    def with_item(self, ch):
        expr, _, target = ch
        if target is not None:
            target = set_ctx(target, "Store")
        return A.withitem(expr, target, line=first_line(expr))

    def async_stmt(self, ch):
        kw, node = ch
        if isinstance(node, A.Invalid):
            return replace(node, start=kw.line)
        if isinstance(node, A.FunctionDef):
            return A.AsyncFunctionDef(node.name, node.args, node.body, node.decorator_list,
                                      node.returns, line=kw.line)
        if isinstance(node, A.With):
            return A.AsyncWith(node.items, node.body, line=kw.line)
        return A.AsyncFor(node.target, node.iter, node.body, node.orelse, line=kw.line)

    async_funcdef = async_stmt

    # ---- functions, classes, decorators ------------------------------------

    def funcdef(self, ch):
        _, name, _, params, _, _, returns, _, body = ch
        args = params if params is not None else A.arguments(line=0)
        if isinstance(args, A.Invalid):
            return replace(args, start=ch[0].line)
        return A.FunctionDef(name.value, args, tuple(body), (), returns, line=ch[0].line)

    def _arguments(self, ch):
        params = [c for c in ch if isinstance(c, _Param)]
        args, defaults, kwonly, kw_defaults = [], [], [], []
        vararg = kwarg = None
        seen_star = seen_dbl_star = False
        num_defaults = 0
        invalid = None
        for p in params:
            if invalid is None and (seen_dbl_star or (p.kind == "star" and seen_star)):
                # compile.c compile_scope_func_lambda_param, in the function's own
                # scope; the node is a struct (with a line) unless a bare name
                struct = p.kind != "name" or p.annotation is not None or p.default is not None
                invalid = A.Invalid("invalid syntax", line=p.line if struct else 0)
            if p.kind == "name" and not seen_star:
                # compile.c compile_funcdef_lambdef_param, in the enclosing scope
                if p.default is not None:
                    num_defaults += 1
                elif num_defaults:
                    line = p.line if p.annotation is not None else 0
                    node = A.arg(p.name.value, p.annotation, line=p.name.line)
                    return A.Invalid("non-default argument follows default argument", line=line, node=node)
            if p.kind == "star":
                seen_star = True
            if p.kind == "dblstar":
                seen_dbl_star = True
            if invalid is not None:
                continue  # dropped: the scope fails to compile anyway
            if p.kind == "name":
                a = A.arg(p.name.value, p.annotation, line=p.name.line)
                if seen_star:
                    kwonly.append(a)
                    kw_defaults.append(p.default)
                else:
                    if p.default is not None:
                        defaults.append(p.default)
                    args.append(a)
            elif p.kind == "star":
                if p.name is not None:
                    vararg = A.arg(p.name.value, p.annotation, line=p.name.line)
            else:
                kwarg = A.arg(p.name.value, p.annotation, line=p.name.line)
        return A.arguments(tuple(args), vararg, tuple(kwonly), tuple(kw_defaults), kwarg,
                           tuple(defaults), line=first_line(ch[0]), invalid=invalid)

    typedargslist = _arguments
    varargslist = _arguments

    def typedargslist_name(self, ch):
        name, _, annotation, _, default = ch
        return _Param("name", name, annotation, default, name.line)

    def typedargslist_star(self, ch):
        star, name, _, annotation = ch
        return _Param("star", name, annotation, None, star.line)

    def typedargslist_dbl_star(self, ch):
        star, name, _, annotation = ch
        return _Param("dblstar", name, annotation, None, star.line)

    def varargslist_name(self, ch):
        name, _, default = ch
        return _Param("name", name, None, default, name.line)

    def varargslist_star(self, ch):
        star, name = ch
        return _Param("star", name, None, None, star.line)

    def varargslist_dbl_star(self, ch):
        star, name = ch
        return _Param("dblstar", name, None, None, star.line)

    def classdef(self, ch):
        _, name, _, arglist, _, _, body = ch
        call = self._call(A.Name(name.value, line=name.line), arglist or [], ch[0].line, ch[0].line)
        if isinstance(call, A.Invalid):
            return call
        return A.ClassDef(name.value, call.args, call.keywords, tuple(body), line=ch[0].line)

    def decorator(self, ch):
        at, dotted, lpar, arglist, _, _ = ch
        line = at.line
        expr = A.Name(dotted.parts[0].value, line=line)
        for part in dotted.parts[1:]:
            expr = A.Attribute(expr, part.value, line=line, trailer_line=line)
        if lpar is not None:
            expr = self._call(expr, arglist or [], line, lpar.line)
        return expr

    def decorated(self, ch):
        decorators = tuple(ch[:-1])
        node = ch[-1]
        if isinstance(node, A.Invalid):
            return replace(node, start=first_line(decorators[0]))
        return replace(node, decorator_list=decorators)

    # ---- expressions ---------------------------------------------------------

    def namedexpr(self, ch):
        target, _, value = ch
        return A.NamedExpr(set_ctx(target, "Store"), value, line=first_line(target))

    argument_namedexpr = namedexpr

    def test_if_expr(self, ch):
        body, _, test, _, orelse = ch
        return A.IfExp(test, body, orelse, line=first_line(body))

    def lambdef(self, ch):
        kw, params, _, body = ch
        args = params if params is not None else A.arguments(line=0)
        if isinstance(args, A.Invalid):
            return replace(args, start=kw.line)
        return A.Lambda(args, body, line=kw.line)

    lambdef_nocond = lambdef

    def or_test(self, ch):
        return A.BoolOp("Or", tuple(ch[0::2]), line=first_line(ch[0]))

    def and_test(self, ch):
        return A.BoolOp("And", tuple(ch[0::2]), line=first_line(ch[0]))

    def not_test_2(self, ch):
        return A.UnaryOp("Not", ch[1], line=ch[0].line)

    def comparison(self, ch):
        return A.Compare(ch[0], tuple(ch[1::2]), tuple(ch[2::2]), line=first_line(ch[0]))

    def comp_op(self, ch):
        if len(ch) == 2:
            return "NotIn" if ch[0].type == "KW_NOT" else "IsNot"
        t = ch[0].type
        return "Is" if t == "KW_IS" else _CMP_OPS[t]

    def star_expr(self, ch):
        return A.Starred(ch[1], line=ch[0].line)

    def _binary(self, ch):
        left = ch[0]
        line = first_line(left)
        for i in range(1, len(ch), 2):
            left = A.BinOp(left, _BIN_OPS[ch[i].type], ch[i + 1], line=line)
        return left

    expr = xor_expr = and_expr = shift_expr = arith_expr = term = _binary

    def factor_2(self, ch):
        return A.UnaryOp(_UNARY_OPS[ch[0].type], ch[1], line=ch[0].line)

    def power(self, ch):
        return A.BinOp(ch[0], "Pow", ch[2], line=first_line(ch[0]))

    def _apply_trailers(self, node, trailers, line):
        for t in trailers:
            if t.kind == "call":
                node = self._call(node, t.arg, line, t.line)
            elif t.kind == "subscript":
                node = A.Subscript(node, t.arg, line=line, trailer_line=t.line)
            else:
                node = A.Attribute(node, t.arg, line=line, trailer_line=t.line)
        return node

    def atom_expr_normal(self, ch):
        return self._apply_trailers(ch[0], ch[1:], first_line(ch[0]))

    def atom_expr_await(self, ch):
        value = self._apply_trailers(ch[1], ch[2:], first_line(ch[1]))
        return A.Await(value, line=ch[0].line)

    def trailer_paren(self, ch):
        return _trailer("call", ch[1] or [], ch[0].line)

    def trailer_bracket(self, ch):
        return _trailer("subscript", ch[1], ch[0].line)

    def trailer_period(self, ch):
        return _trailer("attr", ch[1].value, ch[0].line)

    def _call(self, func, items, line, trailer_line):
        """Build a Call, checking argument order as compile.c compile_trailer_paren_helper does."""
        call = self._checked_call(func, items, line, trailer_line)
        if isinstance(call, A.Invalid):
            return replace(call, start=line)
        return call

    def _checked_call(self, func, items, line, trailer_line):
        args, keywords = [], []
        have_kw = have_dbl = False
        for item in items:
            if isinstance(item, A.Invalid):
                return item
            if isinstance(item, A.keyword):
                have_kw = True
                if item.arg is None:
                    have_dbl = True
                keywords.append(item)
                continue
            if isinstance(item, A.Starred) and not item.parens:
                # before 1.19 a *x may follow keywords and **x: it is pushed last anyway
                # (mp-v1.18/py/compile.c compile_trailer_paren_helper)
                if have_dbl and self.multiple_star_args:
                    return A.Invalid("* arg after **", line=item.line, node=item)
                if have_kw and self.multiple_star_args:
                    if self.reject_star_after_kwarg:
                        return A.Invalid("* arg after kwarg", line=item.line, node=item)
                    keywords.append(A.StarredKeyword(None, item, line=item.line))
                    continue
            elif isinstance(item, A.NamedExpr) and not item.parens:
                # compile.c: a bare `x := v` is an `argument` node, counted as
                # positional without the order checks of a plain argument
                if have_kw:
                    keywords.append(A.NamedExprKeyword(None, item, line=item.line))
                    continue
            else:
                # parse.c drops redundant parentheses, so the item's own line
                # counts; a name is a leaf (no line: compile.c then takes the
                # enclosing statement's); for a constant, see Invalid.node
                eline = 0 if isinstance(item, A.Name) else item.line
                if have_dbl:
                    return A.Invalid("positional arg after **", line=eline, node=item)
                if have_kw:
                    return A.Invalid("positional arg after keyword arg", line=eline, node=item)
            args.append(item)
        return A.Call(func, tuple(args), tuple(keywords), line=line, trailer_line=trailer_line,
                      trailing_comma=getattr(items, "trailing", False))

    def arglist(self, ch):
        return _args(_nodes(ch), isinstance(ch[-1], Token))

    def arglist_star(self, ch):
        return A.Starred(ch[1], line=ch[0].line)

    def arglist_dbl_star(self, ch):
        return A.keyword(None, ch[1], line=ch[0].line)

    def argument(self, ch):
        test, comp = ch
        if comp is None:
            return test
        return A.GeneratorExp(test, tuple(comp), line=first_line(test))

    def argument_keyword(self, ch):
        target, _, value = ch
        if isinstance(target, A.Name):  # parse.c drops parentheses: f((a)=1) is fine
            return A.keyword(target.id, value, line=target.line)
        return A.Invalid("LHS of keyword arg must be an id", line=first_line(target))

    def yield_expr(self, ch):
        return A.Yield(_as_expr(ch[1]) if ch[1] is not None else None, line=ch[0].line)

    def yield_from(self, ch):
        return A.YieldFrom(ch[2], line=ch[0].line)

    # ---- atoms ---------------------------------------------------------------

    def atom_name(self, ch):
        t = ch[0]
        return A.Name(t.value, line=t.line)

    def atom_integer(self, ch):
        t = ch[0]
        return A.Constant(t.value, line=t.line)

    atom_float = atom_integer

    def atom_string(self, ch):
        t = ch[0]
        return A.Constant(t.value, line=t.line)

    atom_bytes = atom_string

    def atom_const(self, ch):
        t = ch[0]
        if t.value == "__debug__":
            # lexer.c reads it as True at optimisation level 0; fold.py decides
            return A.Name("__debug__", line=t.line)
        return A.Constant(_CONSTS[t.type], line=t.line)

    def atom_paren(self, ch):
        lpar, inner, _ = ch
        line = lpar.line
        if inner is None:
            return A.Tuple((), line=line, parenthesized=True, items_line=line)
        if isinstance(inner, _Seq):
            items = inner.items
            if len(items) == 1 and not inner.trailing:
                return replace(items[0], parens=(line,))
            # parse.c: two items without a trailing comma stay in testlist_comp
            # (first item's line); more, or a trailing comma, make a
            # testlist_comp_3c, which starts after the first comma
            if len(items) == 1 or (len(items) == 2 and not inner.trailing):
                items_line = first_line(items[0])
            else:
                items_line = first_line(items[1])
            return A.Tuple(tuple(items), line=line, parenthesized=True, items_line=items_line)
        if isinstance(inner, _Comp):
            return A.GeneratorExp(inner.elt, tuple(inner.generators), line=line, parenthesized=True)
        # a yield expression
        return replace(inner, parens=(line,))

    def atom_bracket(self, ch):
        lbr, inner, _ = ch
        if inner is None:
            return A.List((), line=lbr.line)
        if isinstance(inner, _Comp):
            return A.ListComp(inner.elt, tuple(inner.generators), line=lbr.line)
        return A.List(tuple(inner.items), line=lbr.line, trailing_comma=inner.trailing)

    def atom_brace(self, ch):
        lbr, inner, _ = ch
        line = lbr.line
        if inner is None:
            return A.Dict((), (), line=line)
        if isinstance(inner, _Comp):
            kv = inner.elt
            if kv.value is None:
                return A.SetComp(kv.key, tuple(inner.generators), line=line)
            return A.DictComp(kv.key, kv.value, tuple(inner.generators), line=line)
        items = inner.items
        is_dict = items[0].value is not None
        for kv in items:
            if (kv.value is not None) != is_dict:
                # compile.c compile_atom_brace_helper (error on the dictorsetmaker node)
                msg = "expecting key:value for dict" if is_dict else "expecting just a value for set"
                return A.Invalid(msg, line=items[0].line, start=line)
        if is_dict:
            return A.Dict(tuple([kv.key for kv in items]), tuple([kv.value for kv in items]), line=line)
        return A.Set(tuple([kv.key for kv in items]), line=line, trailing_comma=getattr(inner, "trailing", False))

    def testlist_comp(self, ch):
        return _Comp(ch[0], ch[1])

    def testlist_comp_list(self, ch):
        items = _nodes(ch)
        if len(items) >= _RESULT_STACK_ITEMS:
            # the official's parser holds every item on its result stack at once: past the
            # heap it cannot even allocate the error's text (docs/targets.md)
            raise LexerAbort("MemoryError", "", None)
        trailing = len(ch) > 1 and isinstance(ch[-1], Token)
        return _Seq(items, trailing)

    def dictorsetmaker(self, ch):
        return _Comp(ch[0], ch[1])

    def dictorsetmaker_list(self, ch):
        items = [c for c in ch if isinstance(c, _KV)]
        return _Seq(items, isinstance(ch[-1], Token))

    def dictorsetmaker_item(self, ch):
        key, _, value = ch
        return _KV(key, value, first_line(key))

    def comp_for(self, ch):
        kw, targets, _, iterable, rest = ch
        target = set_ctx(_as_expr(targets), "Store")
        ifs = []
        following = []
        while isinstance(rest, _If):
            ifs.append(rest.test)
            rest = rest.rest
        if rest is not None:
            following = rest
        return [A.comprehension(target, iterable, tuple(ifs), line=kw.line)] + following

    def comp_if(self, ch):
        return _If(ch[1], ch[2])

    def subscriptlist(self, ch):
        items = _nodes(ch)
        trailing = len(ch) > 1 and isinstance(ch[-1], Token)
        return _tuple_or_single(items, trailing)

    def slice_2(self, ch):
        lower, colon, upper = ch
        return A.Slice(lower, upper, None, line=first_line(lower) if lower is not None else colon.line)

    def slice_3(self, ch):
        lower, colon, upper, _, step = ch
        return A.Slice(lower, upper, step, line=first_line(lower) if lower is not None else colon.line)

    def exprlist(self, ch):
        items = _nodes(ch)
        trailing = len(ch) > 1 and isinstance(ch[-1], Token)
        if len(items) == 1 and not trailing:
            return items[0]
        return _Seq(items, trailing)

    def testlist(self, ch):
        items = _nodes(ch)
        trailing = len(ch) > 1 and isinstance(ch[-1], Token)
        return _tuple_or_single(items, trailing)
