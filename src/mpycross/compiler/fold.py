"""Constant folding and `const()`, as MicroPython's parser does them.

MicroPython folds while it parses (`py/parse.c`: `fold_constants`,
`fold_logical_constants`, `build_tuple`, the `const()` rule, the `__debug__`
keyword in `py/lexer.c`), so the compiler only ever sees the folded tree.
This pass reproduces that on the AST, walking in source order:

* numeric `+ - * / // % ** << >> & | ^` and unary `- + ~` on int/float
  constants (not bool, never producing complex);
* `not`, `and`, `or` with constant operands;
* tuples whose items are all constants become one constant tuple;
* `X = const(expr)` records X; later uses of X become the constant; names
  starting with `_` vanish entirely;
* `math.pi`-style module constants (`py/parse.c` MICROPY_COMP_MODULE_CONST);
* `__debug__` is True, or False when optimising;
* a lone constant statement (a doc string) becomes `pass`;
* strings the parser would not intern become `ObjConstant`.

`Constant` keeps its meaning (a parse-tree leaf for small ints, interned
strings, None/True/False/...). `ObjConstant` is a constant the reference
loads with LOAD_CONST_OBJ whatever its type. Folded values get line 0, as
the parser gives them (`make_node_const_object_optimised(parser, 0, ...)`).
"""

from __future__ import annotations

import functools
import math
import operator

from mpycross.errors import CompileError
from mpycross.resources import data_path, load_toml

from . import astnodes as A
from . import mpzheap
from mpycross.records import field, frozen_dataclass as dataclass

# py/mpconfig.h: MICROPY_ALLOC_PARSE_INTERN_STRING_LEN
INTERN_STRING_LEN = 10


@dataclass(frozen=True, slots=True)
class ObjConstant(A.Constant):
    """A constant the parser keeps as an object node (loaded with LOAD_CONST_OBJ)."""


@dataclass(frozen=True, slots=True)
class ConstPass(A.Pass):
    """`_X = const(v)`: py/parse.c replaces it by a pass node with no line (line 0).
    `first_line` keeps the statement's first-token line, which the enclosing
    statement list (`a; b`) or block of several statements still sets.
    `starts_list` (from the parser) says it is the first item of an `a; b` list."""

    first_line: int = field(default=0, kw_only=True)
    starts_list: bool = field(default=False, kw_only=True)


class ParseTimeError(CompileError):
    """An error py/parse.c raises while parsing, before any compile error: a bad
    const(), or (before 1.26) a fold that fails."""


class BigInt(int):
    """A folded int that MicroPython keeps as a big-int object whatever its size.

    Before mp-v1.24.0 a binary operation with a big-int operand always made a big-int
    (py/objint_mpz.c; "py/objint: Try to convert big-int back to small-int after
    binary op" came in 1.24), so `(2 ** 80) >> 75` is the object 32, loaded with
    LOAD_CONST_OBJ. Only made for targets without `bigint_result_normalised`.
    """


# the host mpy-cross's small-int range (64-bit: 63-bit values, py/smallint.h)
_HOST_SMALL_INT_MIN, _HOST_SMALL_INT_MAX = -(1 << 62), (1 << 62) - 1


def _is_mpz(v) -> bool:
    """Whether the host mpy-cross holds this int as a big-int object."""
    return type(v) is BigInt or (type(v) is int and not _HOST_SMALL_INT_MIN <= v <= _HOST_SMALL_INT_MAX)


@dataclass(frozen=True, slots=True)
class FoldedConstant(A.Constant):
    """The result of folding an expression. The parser gives such a node no line
    (`make_node_const_object_optimised(parser, 0, ...)`), so it never sets the
    line number; `line` keeps the first-token line of the expression it replaced,
    which the enclosing rule (a dict item, a tuple) still reports."""


@dataclass(frozen=True, slots=True)
class ConstTuple(A.Constant):
    """A tuple of constants folded into one object; `line` is the line the parser
    gives it (Tuple.items_line), `first_line` that of its first token."""

    first_line: int = field(default=0, kw_only=True)


@functools.cache
def _builtin_qstrs() -> frozenset:
    """Qstrs that exist before any source is read: a long string equal to one is interned."""
    names = set(load_toml(data_path("formats", "qstr", "static.toml"))["static"])
    names.update(_COMPILER_QSTRS)
    return frozenset(names)


# Compiled-in qstrs of mpy-cross 1.29 longer than 10 bytes that are not in the
# static table: the parser interns a string literal equal to one of them
# (py/parse.c qstr_find_strn). Found by compiling each candidate name from
# py/*.c with the official binary and keeping those it loads as qstrs.
_COMPILER_QSTRS = (
    "Interpolation",
    "StopAsyncIteration",
    "UnicodeError",
    "ViperTypeError",
    "__build_class__",
    "__complex__",
    "__contains__",
    "__repl_print__",
    "__reversed__",
    "__template__",
    "__traceback__",
    "bound_method",
    "difference_update",
    "format_spec",
    "heap_unlock",
    "interpolations",
    "intersection",
    "intersection_update",
    "symmetric_difference",
    "symmetric_difference_update",
    "templatelib",
    "unpack_from",
    "vcvt_f32_s32",
    "vcvt_s32_f32",
)

# py/parse.c mp_constants_table for mpy-cross: only `math` (MICROPY_PY_MATH_CONSTANTS)
_MODULE_CONSTS = {
    "math": {"e": math.e, "pi": math.pi, "tau": math.tau, "inf": math.inf, "nan": math.nan},
}

# operators MicroPython's grammar puts in one list rule (py/grammar.h)
_LEVEL = {
    "BitOr": "expr", "BitXor": "xor_expr", "BitAnd": "and_expr", "LShift": "shift_expr",
    "RShift": "shift_expr", "Add": "arith_expr", "Sub": "arith_expr", "Mult": "term",
    "MatMult": "term", "Div": "term", "Mod": "term", "FloorDiv": "term", "Pow": "power",
}

_BINOPS = {
    "Add": operator.add, "Sub": operator.sub, "Mult": operator.mul, "Div": operator.truediv,
    "FloorDiv": operator.floordiv, "Mod": operator.mod, "Pow": operator.pow,
    "LShift": operator.lshift, "RShift": operator.rshift, "BitOr": operator.or_,
    "BitXor": operator.xor, "BitAnd": operator.and_,
}


def is_number(node) -> bool:
    """py/parse.c mp_parse_node_get_number_maybe: an int or float constant (not bool)."""
    if not isinstance(node, A.Constant):
        return False
    v = node.value
    return (type(v) is int) or (type(v) is float) or (type(v) is BigInt)


def is_const(node) -> bool:
    """py/parse.c mp_parse_node_is_const."""
    if isinstance(node, A.Constant):
        return True
    return isinstance(node, A.Tuple) and not node.elts and node.ctx == "Load"


def const_value(node):
    return () if isinstance(node, A.Tuple) else node.value


def _truth(value) -> bool:
    return bool(value)


class ConstTruth:
    """Which constants py/parse.c takes as known true or false (`if`, `while`, `not`, `and`, `or`).

    Before 1.20 only True/False and small ints count (mp-v1.19.1/py/parse.c
    mp_parse_node_is_const_false/true): `small_int_range` is then the target's
    small-int range; None means every constant counts (parse_node_is_const_bool).
    """

    __slots__ = ("small_int_range",)

    def __init__(self, small_int_range: tuple[int, int] | None):
        self.small_int_range = small_int_range

    def __eq__(self, other) -> bool:
        return type(other) is ConstTruth and other.small_int_range == self.small_int_range

    def __hash__(self) -> int:
        return hash(self.small_int_range)

    def _counts(self, node) -> bool:
        if not is_const(node):
            return False
        small = self.small_int_range
        if small is None:
            return True
        if type(node) is ObjConstant:
            # mp-v1.19/py/parse.c: a const() name of False is an object node, not the False token
            return False
        v = const_value(node)
        return v is True or v is False or (type(v) is int and small[0] <= v <= small[1])

    def is_true(self, node) -> bool:
        return self._counts(node) and _truth(const_value(node))

    def is_false(self, node) -> bool:
        return self._counts(node) and not _truth(const_value(node))


def mpz_as_float(v: int) -> float:
    """An int as MicroPython's float: exact for a small int, else py/mpz.c mpz_as_float,
    which accumulates 16-bit digits in a double (`val * DIG_BASE + d`, rounding at
    each step: not the correctly rounded value CPython's float() gives)."""
    if -(1 << 53) <= v <= 1 << 53:
        return float(v)
    n = -v if v < 0 else v
    ndig = (n.bit_length() + 15) >> 4
    if ndig > 65:
        val = math.inf  # >= 2**1024 after the 65th digit
    else:
        val = 0.0
        for i in range(ndig - 1, -1, -1):
            val = val * 65536.0 + ((n >> (16 * i)) & 0xFFFF)
    return -val if v < 0 else val


# py/mpz.c holds numbers in 16-bit digits; mpy-cross's heap is 2 MB (mpy-cross/main.c
# heap_size), of which a fold can use about this much (measured with the official
# 1.29: `(1 << n) >> (n - 3)` folds up to n = 8,312,500 bits and fails from 8,313,476;
# mpz_shr_inpl needs a full-size result next to its operand)
_HEAP_BYTES = 2_078_200


def _mpz_bytes(bits: int) -> int:
    return 2 * ((bits >> 4) + 1)


def _heap_fits(op: str, a: int, b: int) -> bool:
    """Whether the official's heap holds an int operation's operands and result.

    A fold that runs out of heap raises MemoryError, which py/parse.c
    binary_op_maybe catches: the expression is left unfolded. Sizes follow the
    py/mpz.c allocations (mpz_need_dig) of each operation; small ints (63-bit
    on the host) take no heap."""
    abits, bbits = a.bit_length(), b.bit_length()
    if abits < 63 and bbits < 63:
        if op == "LShift":
            return _mpz_bytes(abits + b) <= _HEAP_BYTES
        if op == "Pow" and b > 0 and a not in (0, 1, -1):
            return _mpz_bytes(abits * b) <= _HEAP_BYTES
        return True
    operands = (_mpz_bytes(abits) if abits >= 63 else 0) + (_mpz_bytes(bbits) if bbits >= 63 else 0)
    if op == "LShift":
        result = _mpz_bytes(abits + b) if a else 0
    elif op == "RShift":
        result = _mpz_bytes(abits)
    elif op == "Mult":
        result = _mpz_bytes(abits + bbits)
    elif op in ("FloorDiv", "Mod"):
        result = 2 * _mpz_bytes(abits)
    elif op == "Pow":
        # square-and-multiply: the result, the squared base and a copy for aliasing
        result = 3 * _mpz_bytes(abits * b) if a not in (0, 1, -1) and b > 0 else 0
    else:
        result = _mpz_bytes(max(abits, bbits) + 1)
    return operands + result <= _HEAP_BYTES


def _c_floor(x: float) -> float:
    return x if math.isinf(x) or math.isnan(x) else float(math.floor(x))


def _c_fmod(x: float, y: float) -> float:
    if math.isinf(x) or math.isnan(x) or math.isnan(y):
        return math.nan
    return math.fmod(x, y)


def _float_binary(op: str, x: float, y: float):
    """py/objfloat.c mp_obj_float_binary_op; None where it raises (or makes a complex)."""
    if op == "Add":
        return x + y
    if op == "Sub":
        return x - y
    if op == "Mult":
        return x * y
    if op == "Div":
        return None if y == 0 else x / y
    if op in ("FloorDiv", "Mod"):
        if y == 0:
            return None
        mod = _c_fmod(x, y)
        if op == "Mod":
            if mod == 0:
                return math.copysign(0.0, y)
            return mod + y if (mod < 0) != (y < 0) else mod
        # mp_obj_float_divmod
        div = (x - mod) / y
        if mod != 0 and (mod < 0) != (y < 0):
            div -= 1.0
        if div == 0:
            return math.copysign(0.0, x / y)
        floordiv = _c_floor(div)
        return floordiv + 1.0 if div - floordiv > 0.5 else floordiv
    if op == "Pow":
        if x == 0 and y < 0 and not math.isinf(y):
            return None  # ZeroDivisionError
        if x < 0 and not math.isnan(y) and y != _c_floor(y):
            return None  # a complex result
        try:
            return math.pow(x, y)
        except OverflowError:  # C pow() gives HUGE_VAL with the sign of an odd power
            odd = not math.isinf(y) and y == _c_floor(y) and int(y) % 2 == 1
            return math.copysign(math.inf, x) if odd else math.inf
        except ValueError:
            return None
    return None


def _binary(op: str, a, b, float_folding: bool = True, errors_caught: bool = True):
    """Apply a binary op as MicroPython would at parse time; None if it would not fold.

    Without float folding (py/parse.c before MICROPY_COMP_CONST_FLOAT, mp-v1.25.0):
    ints only, "can't fold @ or /", and "** can't have negative rhs".
    Without `errors_caught` (before 1.26) an operation that raises in MicroPython
    raises here too (a shift count beyond a machine word, a shift past the heap).
    """
    if op == "MatMult":
        return None
    if not float_folding and (op == "Div" or (op == "Pow" and b < 0)):
        return None
    if type(a) is float or type(b) is float:
        if op in ("LShift", "RShift", "BitOr", "BitXor", "BitAnd"):
            return None
        # an int meeting a float becomes a float first (py/objint_mpz.c: mpz_as_float)
        return _float_binary(op, mpz_as_float(a) if type(a) is not float else a,
                             mpz_as_float(b) if type(b) is not float else b)
    # two ints (int, or the BigInt subtype)
    if op == "Div" or (op == "Pow" and b < 0):
        # py/runtime.c, py/objint_mpz.c: both converted to float, then a float operation
        return _float_binary(op, mpz_as_float(a), mpz_as_float(b))
    if op in ("LShift", "RShift") and (b < 0 or b >= 1 << 63):
        if b > 0 and not errors_caught:  # py/objint_mpz.c mp_obj_int_get_checked
            raise ParseTimeError("overflow converting long int to machine word", line=None, kind="OverflowError")
        return None  # ValueError, or OverflowError converting the count to a machine word
    if op == "Pow" and type(a) is BigInt and a == 0:
        return BigInt(0)  # py/mpz.c mpz_pow_inpl: a zero big-int to any power is 0 (even ** 0)
    if not errors_caught and op == "Pow" and b > 0 and abs(a) > 1 and a.bit_length() * b >= 63:
        # before 1.26 the fold runs until the heap is exhausted, and that stops the compile
        size = mpzheap.pow_failing_alloc(a, b)
        if size is not None:
            raise ParseTimeError(f"memory allocation failed, allocating {size} bytes", line=None,
                                 kind="MemoryError")
    elif not _heap_fits(op, a, b):
        if not errors_caught and op == "LShift" and b < 1 << 62:
            size = mpzheap.shl_failing_alloc(a, b)
            raise ParseTimeError(f"memory allocation failed, allocating {size} bytes", line=None,
                                 kind="MemoryError")
        return None
    try:
        return _BINOPS[op](a, b)
    except ZeroDivisionError:
        return None


class Folder:
    def __init__(self, filename: str, rules, source_name: str):
        """`rules`: the target's folding rules (plan.FoldRules)."""
        self.filename = filename
        self.optimize = rules.optimize
        self.float_folding = rules.float_folding
        self.fold_errors_caught = rules.fold_errors_caught
        self.bigint_normalised = rules.bigint_normalised
        self.annotated_const = rules.annotated_const
        self.const_tuples = rules.const_tuples
        self.pow_folding = rules.pow_folding
        self.const_objects = rules.const_objects
        self.bytes_objects = rules.bytes_objects
        truth = rules.truth
        self.is_const_true = truth.is_true
        self.is_const_false = truth.is_false
        self.consts: dict = {}
        # False: only the errors py/parse.c raises (check_completed)
        self.compile_checks = True
        # an older mpy-cross lacks some compiled-in qstrs (targets.toml [later_qstrs])
        self.interned = set(_builtin_qstrs()) - rules.absent_qstrs
        self.interned.add(filename)
        self.interned.add(source_name)

    # ---- generic walk ----
    def visit(self, node, chain: bool = False):
        method = _VISITORS.get(type(node))
        if method is None:
            method = _VISITORS[type(node)] = getattr(Folder, "visit_" + type(node).__name__, Folder.generic)
        return method(self, node) if not chain else method(self, node, chain)

    def generic(self, node, chain=False):
        changes = None
        for name in _child_fields(type(node)):
            value = getattr(node, name)
            if value is None or type(value) in (str, int, bool):
                continue
            new = self.field(value)
            if new is not value:
                if changes is None:
                    changes = {}
                changes[name] = new
        return node if changes is None else _replace(node, changes)

    def field(self, value):
        if isinstance(value, A.Node):
            return self.visit(value)
        if isinstance(value, tuple):
            if not value:
                return value
            # (list comprehensions and a plain loop: generators cost a frame switch per item)
            field = self.field
            out = [field(v) for v in value]
            for new, old in zip(out, value):
                if new is not old:
                    return tuple(out)
            return value
        return value

    def body(self, stmts: tuple) -> tuple:
        stmt = self.stmt
        return tuple([stmt(s) for s in stmts])

    def stmt(self, node):
        return self.visit(node)

    # ---- names, strings ----
    def note_name(self, name: str) -> None:
        self.interned.add(name)

    def visit_Name(self, node, chain=False):
        if node.id == "__debug__":
            return A.Constant(self.optimize == 0, line=node.line)
        if node.id in self.consts:
            value = self.consts[node.id]
            return _const_object(value, node.line)
        self.note_name(node.id)
        return node

    def visit_Constant(self, node, chain=False):
        v = node.value
        if type(v) is str and not isinstance(node, ObjConstant):
            if len(v.encode("utf-8", "surrogateescape")) <= INTERN_STRING_LEN:
                self.interned.add(v)
            elif v not in self.interned:
                return ObjConstant(v, line=node.line)
        elif type(v) is bytes and not self.bytes_objects:
            # mp-v1.18/py/parse.c: short (or already interned) bytes are a leaf node, which
            # sets no line; from 1.19 every bytes literal is a constant object
            text = v.decode("utf-8", "surrogateescape")
            if len(v) <= INTERN_STRING_LEN or text in self.interned:
                self.interned.add(text)
                return FoldedConstant(v, line=node.line)
        return node

    def visit_arg(self, node):
        self.note_name(node.arg)
        return self.generic(node)

    def visit_alias(self, node):
        for part in node.name.split("."):
            self.note_name(part)
        if node.asname:
            self.note_name(node.asname)
        return node

    def visit_Global(self, node):
        for name in node.names:
            self.note_name(name)
        return node

    visit_Nonlocal = visit_Global

    def visit_ImportFrom(self, node):
        for part in (node.module or "").split("."):
            if part:
                self.note_name(part)
        for alias in node.names:
            self.visit_alias(alias)
        return node

    def visit_ExceptHandler(self, node):
        exc_type = self.field(node.type)
        if node.name is not None:
            self.note_name(node.name)
        body = self.field(node.body)
        if exc_type is node.type and body is node.body:
            return node
        return _replace(node, {"type": exc_type, "body": body})

    def visit_keyword(self, node):
        if node.arg is not None:
            self.note_name(node.arg)
        return self.generic(node)

    # ---- statements ----
    def visit_Module(self, node):
        return _replace(node, {"body": self.body(node.body)})

    def decorators(self, decos: tuple) -> tuple:
        """A decorator's dotted name is no atom, so py/parse.c substitutes no const() value and
        folds no `math.pi` in it (push_result_token: RULE_atom only); its call arguments fold."""
        out = []
        for deco in decos:
            call = deco if type(deco) is A.Call else None
            dotted = call.func if call is not None else deco
            node = dotted
            while type(node) is A.Attribute:
                self.note_name(node.attr)
                node = node.value
            if type(node) is not A.Name:
                out.append(self.visit(deco))
                continue
            self.note_name(node.id)
            if call is not None:
                deco = _replace(call, {"args": self.field(call.args), "keywords": self.field(call.keywords)})
            out.append(deco)
        return tuple(out)

    def visit_FunctionDef(self, node):
        decos = self.decorators(node.decorator_list)
        self.note_name(node.name)
        args = self.visit(node.args)
        returns = self.field(node.returns)
        body = self.body(node.body)
        return _replace(node, {"decorator_list": decos, "args": args, "returns": returns, "body": body})

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_ClassDef(self, node):
        decos = self.decorators(node.decorator_list)
        self.note_name(node.name)
        bases = self.field(node.bases)
        keywords = self.field(node.keywords)
        body = self.body(node.body)
        return _replace(node, {"decorator_list": decos, "bases": bases, "keywords": keywords, "body": body})

    def visit_Expr(self, node):
        value = self.visit(node.value)
        if isinstance(value, A.Constant):
            # py/parse.c: a lonely constant statement is replaced by `pass`
            return A.Pass(line=node.line)
        return node if value is node.value else _replace(node, {"value": value})

    def visit_Attribute(self, node, chain=False):
        value = self.visit(node.value, True)
        self.note_name(node.attr)
        if not chain and isinstance(value, A.Name) and node.ctx == "Load" and self.float_folding:
            table = _MODULE_CONSTS.get(value.id)
            if table is not None and node.attr in table:
                return FoldedConstant(table[node.attr], line=node.line)
        return node if value is node.value else _replace(node, {"value": value})

    def visit_Call(self, node, chain=False):
        func = self.visit(node.func, True)
        args = self.field(node.args)
        keywords = self.field(node.keywords)
        for kw in keywords if self.compile_checks else ():
            if kw.arg is not None and kw.arg in self.consts:
                raise CompileError("LHS of keyword arg must be an id", self.filename, kw.line or node.line,
                                   scope="<module>")
        if func is node.func and args is node.args and keywords is node.keywords:
            return node
        return _replace(node, {"func": func, "args": args, "keywords": keywords})

    def visit_Subscript(self, node, chain=False):
        value = self.visit(node.value, True)
        sl = self.visit(node.slice)
        if value is node.value and sl is node.slice:
            return node
        return _replace(node, {"value": value, "slice": sl})

    def _const_call(self, target, value):
        """Handle `X = const(...)`; returns the new value node, or None if not a const() form."""
        # py/parse.c: a name already defined by const() is replaced by its value before this
        # rule sees it (so `X = const(2)` after `X = const(1)` assigns to an expression)
        if not (isinstance(target, A.Name) and isinstance(value, A.Call)
                and isinstance(value.func, A.Name) and value.func.id == "const"
                and value.func.id not in self.consts and target.id not in self.consts):
            return None
        self.note_name(target.id)  # the target's token comes first (and is interned even for _X)
        call = self.visit(value)
        if not self.const_objects:
            # mp-v1.18/py/parse.c: only an int (mp_parse_node_get_int_maybe)
            if len(call.args) != 1 or call.keywords or not self.is_number(call.args[0]) \
                    or type(call.args[0].value) is float:
                raise ParseTimeError("constant must be an integer", self.filename, value.line)
            return call.args[0]
        if len(call.args) != 1 or call.keywords or not is_const(call.args[0]) \
                or isinstance(call.args[0], A.Starred):
            raise ParseTimeError("not a constant", self.filename, value.line)
        return call.args[0]

    def visit_Assign(self, node):
        if len(node.targets) == 1:
            folded = self._const_call(node.targets[0], node.value)
            if folded is not None:
                return self._define_const(node.targets[0], folded, node)
        targets = self.field(node.targets)
        value = self.visit(node.value)
        return _replace(node, {"targets": targets, "value": value})

    def visit_AnnAssign(self, node):
        # `X: int = const(1)` is a constant only from 1.29 (before, const() is called at run time)
        if node.value is not None and self.annotated_const:
            folded = self._const_call(node.target, node.value)
            if folded is not None:
                return self._define_const(node.target, folded, node)
        target = self.visit(node.target)
        annotation = self.visit(node.annotation)
        value = self.field(node.value)
        return _replace(node, {"target": target, "annotation": annotation, "value": value})

    def _define_const(self, target, value_node, node):
        name = target.id
        self.consts[name] = const_value(value_node)
        if name.startswith("_"):
            return ConstPass(line=0, first_line=node.line, starts_list=node.starts_list)
        self.note_name(name)
        return A.Assign(targets=(target,), value=value_node, line=node.line)

    # ---- expressions ----
    def is_number(self, node) -> bool:
        """A constant that folds: an int, or a float too with float folding."""
        return is_number(node) and (self.float_folding or type(node.value) is not float)

    def visit_BinOp(self, node, chain=False):
        # MicroPython folds a whole operator list (a + b - c is one arith_expr) or
        # nothing: "it does not do partial folding, eg 1 + 2 + x -> 3 + x".
        level = _LEVEL[node.op]
        spine = [node]
        left = node.left
        while type(left) is A.BinOp and _LEVEL[left.op] == level and level != "power" and not left.parens:
            spine.append(left)
            left = left.left
        spine.reverse()
        first = self.visit(left)
        rights = [self.visit(n.right) for n in spine]
        if self.is_number(first) and all(self.is_number(r) for r in rights):
            value = first.value
            for n, r in zip(spine, rights):
                prev = value
                if n.op == "Pow" and not self.pow_folding:
                    value = None  # `**` folds from 1.13 (py/parse.c fold_constants, RULE_power)
                    break
                try:
                    value = _binary(n.op, value, r.value, self.float_folding, self.fold_errors_caught)
                except ParseTimeError as err:
                    err.filename = self.filename
                    raise
                if value is None:
                    break
                # py/runtime.c: a small-int shift by a word's width or more (0 << 64) is done in mpz
                if not self.bigint_normalised and type(value) is int and (
                        _is_mpz(prev) or _is_mpz(r.value) or (n.op == "LShift" and r.value >= 64)):
                    value = BigInt(value)
            else:
                return FoldedConstant(value, line=first_line(first))
        result = first
        for n, r in zip(spine, rights):
            if result is not n.left or r is not n.right:
                n = _replace(n, {"left": result, "right": r})
            result = n
        return result

    def visit_UnaryOp(self, node, chain=False):
        operand = self.visit(node.operand)
        if node.op == "Not":
            if self.is_const_false(operand):
                return FoldedConstant(True, line=node.line)
            if self.is_const_true(operand):
                return FoldedConstant(False, line=node.line)
        elif self.is_number(operand):
            v = operand.value
            # a unary operation on a big-int gives a big-int (py/objint_mpz.c mp_obj_int_unary_op)
            keep = BigInt if type(v) is BigInt else (lambda x: x)
            if type(v) is int and v == 1 << 62:
                # 2**62 is a big-int on the 64-bit host, and negating a big-int gives a
                # big-int even though -2**62 would fit a small int
                keep = BigInt
            if node.op == "USub":
                return FoldedConstant(keep(-v), line=node.line)
            if node.op == "UAdd":
                return FoldedConstant(keep(+v), line=node.line)
            if node.op == "Invert" and type(v) is not float:
                return FoldedConstant(keep(~v), line=node.line)
        return node if operand is node.operand else _replace(node, {"operand": operand})

    def visit_BoolOp(self, node, chain=False):
        values = [self.visit(v) for v in node.values]
        # py/parse.c fold_logical_constants
        kept = []
        n = len(values)
        for i, v in enumerate(values):
            if i == n - 1:
                kept.append(v)
                break
            if node.op == "Or":
                if self.is_const_true(v):
                    kept.append(v)
                    break
                if not self.is_const_false(v):
                    kept.append(v)
            else:
                if self.is_const_false(v):
                    kept.append(v)
                    break
                if not self.is_const_true(v):
                    kept.append(v)
        if len(kept) == 1:
            return kept[0]
        return _replace(node, {"values": tuple(kept)})

    def visit_IfExp(self, node, chain=False):
        body = self.visit(node.body)
        test = self.visit(node.test)
        orelse = self.visit(node.orelse)
        if test is node.test and body is node.body and orelse is node.orelse:
            return node
        return _replace(node, {"test": test, "body": body, "orelse": orelse})

    def visit_Dict(self, node, chain=False):
        keys, values = [], []
        for k, v in zip(node.keys, node.values):
            keys.append(self.field(k))
            values.append(self.visit(v))
        return _replace(node, {"keys": tuple(keys), "values": tuple(values)})

    def visit_Tuple(self, node, chain=False):
        elts = self.field(node.elts)
        if node.ctx == "Load" and elts and self.const_tuples and all(is_const(e) for e in elts):
            # py/parse.c build_tuple: the line is that of the rule holding the items
            # (the parser works it out: Tuple.items_line)
            return ConstTuple(tuple([const_value(e) for e in elts]), line=node.items_line,
                              first_line=first_line(node))
        return node if elts is node.elts else _replace(node, {"elts": elts})


_VISITORS: dict = {}


def first_line(node) -> int:
    """Line of the first token of an expression (its outermost '(' if any)."""
    if node.parens:
        return node.parens[0]
    if type(node) is ConstTuple:
        return node.first_line
    return node.line


def _const_object(value, line: int):
    """The node the parser makes for a const() name (make_node_const_object_optimised)."""
    if type(value) is int:
        return A.Constant(value, line=line)  # small or big decided by the code generator
    return ObjConstant(value, line=line)


@functools.cache
def _child_fields(cls) -> tuple:
    return tuple(name for name in cls._field_names if name not in ("line", "parens"))


@functools.cache
def _all_fields(cls) -> tuple:
    return cls._field_names


def _replace(node, changes: dict):
    values = {name: getattr(node, name) for name in _all_fields(type(node))}
    values.update(changes)
    return type(node)(**values)


def fold_module(module: A.Module, filename: str, rules, source_name: str | None = None):
    """Return the module as MicroPython's parser would hand it to the compiler.
    `rules` (plan.FoldRules) are the target's folding rules and optimisation level."""
    folder = Folder(filename, rules, source_name or filename)
    return folder.visit(module)


def check_completed(error, rules, source_name: str | None = None):
    """The error to report for a failed parse: the first const() error among the
    statements it completed (`parser.ParseError.completed`), else `error` itself.
    `rules`: as for fold_module."""
    folder = Folder(error.filename, rules, source_name or error.filename)
    folder.compile_checks = False
    try:
        folder.body(getattr(error, "completed", ()))
    except ParseTimeError as parse_error:
        return parse_error
    except CompileError:
        pass
    return error
