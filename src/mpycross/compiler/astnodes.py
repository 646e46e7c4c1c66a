"""The abstract syntax tree handed from the parser to the compiler passes.

Node classes and field names follow CPython's `ast` module (3.11) so that the
shapes are familiar, restricted to what MicroPython accepts (no `match`, no
positional-only parameters, no `type` statements). Differences:

* Nodes are frozen dataclasses; sequences are tuples.
* Every node has `line`: the source line MicroPython's parser gives the parse
  node it corresponds to, i.e. the line of the first token of the grammar
  rule that built it (`py/parse.c`, `push_result_rule`). The code generator
  uses it for the line-number table exactly where the reference compiler does.
* f-strings never appear: MicroPython's lexer rewrites `f"a{x!r}"` into
  `"a{!r}".format(x)` (`py/lexer.c`), so the parser produces that `Call`.
* Adjacent string literals are already joined into one `Constant`.
* `Constant.value` is `int`, `float`, `complex`, `str`, `bytes`, `bool`,
  `None` or `Ellipsis`.  A `str` holds MicroPython's exact bytes decoded with
  UTF-8 and "surrogateescape" (the lexer is 8-bit clean, so invalid UTF-8
  and escaped surrogates survive); encode it back the same way.  Names too.

Lines.  For an expression, `line` is the line of its first token, not
counting redundant parentheses around it; `parens` is `(line of the
outermost such "(",)` or `()`.  MicroPython drops those parentheses
(py/parse.c push_result_rule), so they never set a line; `parens` only makes
the first-token line of any expression `parens[0]` if set, else `line`.  A
Tuple, generator or empty tuple written with parentheses owns them: its
`line` is the `(` line.  `Attribute`, `Subscript` and `Call` also carry
`trailer_line`, the line of their `.`, `[` or `(` token (MicroPython's
trailer nodes).  A statement's `line` is its first token's; for a decorated
function or class it is the `def` / `class` (`async`) token's, and each
decorator expression has the line of its `@`.

`Invalid` stands where MicroPython's grammar accepts something that its
compiler then rejects and that these classes cannot express (a keyword
argument whose left side is not a name, a dict/set display mixing `k: v`
and plain items, arguments in an order the compiler refuses).  The compiler
raises `SyntaxError(message)` when it reaches it; `line` is 0 when
MicroPython's node there is a leaf (the line then comes from the enclosing
node, as in compile.c).
"""

from __future__ import annotations

# dataclasses' own decorator is slow to apply to sixty classes; mpycross.records makes the same classes
from mpycross.records import field, frozen_dataclass as dataclass

TYPE_CHECKING = False
if TYPE_CHECKING:  # the annotations are never evaluated; importing typing costs 2 ms per start
    from typing import Any, Optional


@dataclass(frozen=True, slots=True)
class Node:
    line: int = field(default=0, kw_only=True)
    parens: tuple = field(default=(), kw_only=True)  # (line of the outermost redundant "(",) or ()


# ---- module and statements -------------------------------------------------


@dataclass(frozen=True, slots=True)
class Module(Node):
    body: tuple = ()
    # line of a NEWLINE token before the first statement (0: none); py/parse.c keeps it in
    # file_input, so the module's node starts there (after a line continuation, line 2 on)
    newline_line: int = field(default=0, kw_only=True)


@dataclass(frozen=True, slots=True)
class arg(Node):
    arg: str
    annotation: Optional[Node] = None


@dataclass(frozen=True, slots=True)
class arguments(Node):
    args: tuple = ()  # of arg
    vararg: Optional[arg] = None
    kwonlyargs: tuple = ()  # of arg
    kw_defaults: tuple = ()  # of Node or None, one per kwonlyarg
    kwarg: Optional[arg] = None
    defaults: tuple = ()  # of Node, for the last len(defaults) args
    # Parameters after `**kw`, or a second `*`, are accepted by the grammar and
    # rejected when the function's own scope is compiled (compile.c
    # compile_scope_func_lambda_param: "invalid syntax"); the offending one is
    # then dropped here and this Invalid says so.  Its line is 0 when the
    # parameter is a bare name: compile.c then reports the def/lambda line.
    invalid: Optional[Node] = field(default=None, kw_only=True)


@dataclass(frozen=True, slots=True)
class FunctionDef(Node):
    name: str
    args: arguments
    body: tuple
    decorator_list: tuple = ()
    returns: Optional[Node] = None


@dataclass(frozen=True, slots=True)
class AsyncFunctionDef(Node):
    name: str
    args: arguments
    body: tuple
    decorator_list: tuple = ()
    returns: Optional[Node] = None


@dataclass(frozen=True, slots=True)
class ClassDef(Node):
    name: str
    bases: tuple = ()
    keywords: tuple = ()  # of keyword
    body: tuple = ()
    decorator_list: tuple = ()


@dataclass(frozen=True, slots=True)
class Return(Node):
    value: Optional[Node] = None


@dataclass(frozen=True, slots=True)
class Delete(Node):
    targets: tuple


@dataclass(frozen=True, slots=True)
class Assign(Node):
    targets: tuple  # a = b = value gives two targets
    value: Node
    # first item of an `a; b` list (or `a;`): py/parse.c makes a simple_stmt_2 list node whose
    # line compile.c still sets when this statement is a dropped `_X = const(v)`
    starts_list: bool = field(default=False, kw_only=True)


@dataclass(frozen=True, slots=True)
class AugAssign(Node):
    target: Node
    op: str  # operator class name as in CPython: "Add", "Sub", "LShift", ...
    value: Node


@dataclass(frozen=True, slots=True)
class AnnAssign(Node):
    target: Node
    annotation: Node
    value: Optional[Node] = None
    simple: int = 1
    starts_list: bool = field(default=False, kw_only=True)  # as Assign.starts_list


@dataclass(frozen=True, slots=True)
class For(Node):
    target: Node
    iter: Node
    body: tuple
    orelse: tuple = ()


@dataclass(frozen=True, slots=True)
class AsyncFor(Node):
    target: Node
    iter: Node
    body: tuple
    orelse: tuple = ()


@dataclass(frozen=True, slots=True)
class While(Node):
    test: Node
    body: tuple
    orelse: tuple = ()


@dataclass(frozen=True, slots=True)
class If(Node):
    test: Node
    body: tuple
    orelse: tuple = ()  # an `elif` is a single nested If here, as in CPython
    is_elif: bool = field(default=False, kw_only=True)  # this If is an `elif` clause of its parent


@dataclass(frozen=True, slots=True)
class withitem(Node):
    context_expr: Node
    optional_vars: Optional[Node] = None


@dataclass(frozen=True, slots=True)
class With(Node):
    items: tuple
    body: tuple


@dataclass(frozen=True, slots=True)
class AsyncWith(Node):
    items: tuple
    body: tuple


@dataclass(frozen=True, slots=True)
class Raise(Node):
    exc: Optional[Node] = None
    cause: Optional[Node] = None


@dataclass(frozen=True, slots=True)
class ExceptHandler(Node):
    type: Optional[Node] = None
    name: Optional[str] = None
    body: tuple = ()


@dataclass(frozen=True, slots=True)
class Try(Node):
    body: tuple
    handlers: tuple = ()
    orelse: tuple = ()
    finalbody: tuple = ()


@dataclass(frozen=True, slots=True)
class Assert(Node):
    test: Node
    msg: Optional[Node] = None


@dataclass(frozen=True, slots=True)
class alias(Node):
    name: str  # dotted name for `import a.b`
    asname: Optional[str] = None


@dataclass(frozen=True, slots=True)
class Import(Node):
    names: tuple


@dataclass(frozen=True, slots=True)
class ImportFrom(Node):
    module: Optional[str]
    names: tuple  # `from m import *` is a single alias("*")
    level: int = 0


@dataclass(frozen=True, slots=True)
class Global(Node):
    names: tuple


@dataclass(frozen=True, slots=True)
class Nonlocal(Node):
    names: tuple


@dataclass(frozen=True, slots=True)
class Expr(Node):
    value: Node
    # first item of an `a; b` list: not an instruction to the inline assembler (compile.c sees
    # the list node)
    starts_list: bool = field(default=False, kw_only=True)


@dataclass(frozen=True, slots=True)
class Pass(Node):
    # first item of an `a; b` list (or `pass;`): not a pass_stmt to the inline assembler
    starts_list: bool = field(default=False, kw_only=True)


@dataclass(frozen=True, slots=True)
class Break(Node):
    pass


@dataclass(frozen=True, slots=True)
class Continue(Node):
    pass


# ---- expressions -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BoolOp(Node):
    op: str  # "And" | "Or"
    values: tuple


@dataclass(frozen=True, slots=True)
class NamedExpr(Node):
    target: Node
    value: Node


@dataclass(frozen=True, slots=True)
class BinOp(Node):
    left: Node
    op: str  # "Add", "Sub", "Mult", "MatMult", "Div", "Mod", "Pow", "LShift", "RShift", "BitOr", "BitXor", "BitAnd", "FloorDiv"
    right: Node


@dataclass(frozen=True, slots=True)
class UnaryOp(Node):
    op: str  # "Invert", "Not", "UAdd", "USub"
    operand: Node


@dataclass(frozen=True, slots=True)
class Lambda(Node):
    args: arguments
    body: Node


@dataclass(frozen=True, slots=True)
class IfExp(Node):
    test: Node
    body: Node
    orelse: Node


@dataclass(frozen=True, slots=True)
class Dict(Node):
    keys: tuple  # None for a `**mapping` entry
    values: tuple


@dataclass(frozen=True, slots=True)
class Set(Node):
    elts: tuple
    trailing_comma: bool = field(default=False, kw_only=True)  # `{a,}`: a list node to parse.c


@dataclass(frozen=True, slots=True)
class comprehension(Node):
    target: Node
    iter: Node
    ifs: tuple = ()
    is_async: int = 0


@dataclass(frozen=True, slots=True)
class ListComp(Node):
    elt: Node
    generators: tuple


@dataclass(frozen=True, slots=True)
class SetComp(Node):
    elt: Node
    generators: tuple


@dataclass(frozen=True, slots=True)
class DictComp(Node):
    key: Node
    value: Node
    generators: tuple


@dataclass(frozen=True, slots=True)
class GeneratorExp(Node):
    elt: Node
    generators: tuple
    parenthesized: bool = field(default=False, kw_only=True)  # "(x for ...)", not a bare call argument


@dataclass(frozen=True, slots=True)
class Await(Node):
    value: Node


@dataclass(frozen=True, slots=True)
class Yield(Node):
    value: Optional[Node] = None


@dataclass(frozen=True, slots=True)
class YieldFrom(Node):
    value: Node


@dataclass(frozen=True, slots=True)
class Compare(Node):
    left: Node
    ops: tuple  # of "Eq", "NotEq", "Lt", "LtE", "Gt", "GtE", "Is", "IsNot", "In", "NotIn"
    comparators: tuple


@dataclass(frozen=True, slots=True)
class keyword(Node):
    arg: Optional[str]  # None for `**mapping`
    value: Node


@dataclass(frozen=True, slots=True)
class StarredKeyword(keyword):
    """A `*x` written after a keyword argument, kept among the keywords in source order
    (`arg` None, `value` the Starred). Made only for targets that compile it in place
    (1.19 - 1.28, mp-v1.28.0/py/compile.c compile_trailer_paren_helper); 1.29 rejects it."""


@dataclass(frozen=True, slots=True)
class NamedExprKeyword(keyword):
    """A bare `x := v` argument written after a keyword or `**x`, kept among the keywords in
    source order (`arg` None, `value` the NamedExpr): py/compile.c pushes it in place and
    counts it positional (compile_trailer_paren_helper, PN_argument with argument_3)."""


@dataclass(frozen=True, slots=True)
class Call(Node):
    func: Node
    trailer_line: int = field(default=0, kw_only=True)  # line of the "(" token
    # `f(a,)`: parse.c keeps a one-item arglist node (the inline assembler sees it)
    trailing_comma: bool = field(default=False, kw_only=True)
    args: tuple = ()  # Starred for `*iterable`
    keywords: tuple = ()


@dataclass(frozen=True, slots=True)
class Constant(Node):
    value: Any


@dataclass(frozen=True, slots=True)
class Attribute(Node):
    value: Node
    trailer_line: int = field(default=0, kw_only=True)  # line of the "." / "[" token
    attr: str
    ctx: str = "Load"  # "Load" | "Store" | "Del"


@dataclass(frozen=True, slots=True)
class Subscript(Node):
    value: Node
    trailer_line: int = field(default=0, kw_only=True)  # line of the "." / "[" token
    slice: Node
    ctx: str = "Load"


@dataclass(frozen=True, slots=True)
class Starred(Node):
    value: Node
    ctx: str = "Load"


@dataclass(frozen=True, slots=True)
class Name(Node):
    id: str
    ctx: str = "Load"


@dataclass(frozen=True, slots=True)
class List(Node):
    elts: tuple
    ctx: str = "Load"
    trailing_comma: bool = field(default=False, kw_only=True)  # "[a,]": a node list even of one item


@dataclass(frozen=True, slots=True)
class Tuple(Node):
    elts: tuple
    ctx: str = "Load"
    parenthesized: bool = field(default=False, kw_only=True)  # written as "(a, b)", not "a, b"
    # source_line of MicroPython's node holding the items, which a constant tuple
    # folded from them gets (py/parse.c build_tuple).  For "(a, b, c)" and
    # "(a, b,)" that is testlist_comp_3c, starting at the second item; for
    # "(a,)", "(a, b)" and unparenthesized tuples, the first item's line.
    items_line: int = field(default=0, kw_only=True)


@dataclass(frozen=True, slots=True)
class Slice(Node):
    lower: Optional[Node] = None
    upper: Optional[Node] = None
    step: Optional[Node] = None


@dataclass(frozen=True, slots=True)
class Invalid(Node):
    """A construct the grammar accepts but the compiler rejects with `message`."""

    message: str
    # the argument / parameter compile.c reports the error on, when there is one:
    # its line counts only if MicroPython makes a struct node of it
    node: Optional[Node] = field(default=None, kw_only=True)
    # line of the first token of the construct it replaces (what `line` is for
    # every other node; here `line` is the line compile.c reports)
    start: int = field(default=0, kw_only=True)
