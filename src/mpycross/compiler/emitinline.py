"""Inline assembler functions (`@micropython.asm_thumb`, `asm_xtensa`, `asm_rv32`), after
py/compile.c compile_scope_inline_asm.

The body of such a function is a list of calls read as instructions: `label(name)`,
`align(n)`, `data(size, v, ...)` are handled here; every other call goes to the
architecture's instruction set (`emitinline_thumb`, `emitinline_xtensa`, `emitinline_rv32`),
which encodes it with the native encoders (`asm_thumb`, `asm_xtensa`, `asm_rv32`). The passes
are compile.c's: the scope pass checks only the shape of the statements; the code-size pass
(twice on Xtensa, whose literal table needs the sizes) places the labels; the emit pass
writes the bytes.

Errors follow compile.c: a statement that is not an instruction, or a bad `label`, `align`,
`data`, is reported at the statement; an instruction set's error (the last one the
instruction raised, as the error slot is overwritten) at the instruction's `(`; a parameter
error at the `def`.
"""

from __future__ import annotations

from . import astnodes as A
from .asmbase import LabelMoved
from .emitnative import NativeNotImplemented
from .fold import ObjConstant

# py/compile.c compile_scope_inline_asm: the return annotation's MP_NATIVE_TYPE_*
RETURN_TYPES = {"object": 0, "bool": 1, "int": 2, "uint": 3}
TYPE_INT = 2

PASS_SCOPE, PASS_CODE_SIZE, PASS_EMIT = 1, 3, 4
# more machine code than this is a MemoryError, as mpy-cross's allocation of it fails
MAX_CODE = 1 << 26


class InlineAsmError(Exception):
    """An inline assembler error: the message, and the line compile.c reports (None: the def's)."""

    def __init__(self, message: str, line: int | None, kind: str = "SyntaxError"):
        super().__init__(message)
        self.message = message
        self.line = line
        self.kind = kind  # RuntimeError: an encoder's range check, printed without a traceback


class InlineAsmMoved(InlineAsmError):
    """Code the official compiler aborts on (a failed assert): there is no answer to match."""


# ---- operands: what py/parse.c's node tests see in an argument ---------------------------

def arg_id(node) -> str | None:
    """MP_PARSE_NODE_IS_ID: the name, else None."""
    return node.id if type(node) is A.Name else None


def arg_str(node) -> str:
    """get_arg_str: the name, or "" for anything else."""
    return node.id if type(node) is A.Name else ""


def arg_int(node) -> int | None:
    """mp_parse_node_get_int_maybe: an int constant (a small int or a big one), else None."""
    if isinstance(node, A.Constant) and type(node.value) is int:
        return node.value
    if isinstance(node, A.Constant) and isinstance(node.value, int) and type(node.value) is not bool:
        return int(node.value)  # fold.BigInt
    return None


def is_small_int(node, compiler) -> bool:
    """MP_PARSE_NODE_IS_SMALL_INT: an int the parser keeps as a leaf, within the target's
    small ints (-msmall-int-bits), not a big-int object."""
    if not (isinstance(node, A.Constant) and not isinstance(node, ObjConstant) and type(node.value) is int):
        return False
    if not compiler.has("int_object_by_target_bits"):
        return -(1 << 62) <= node.value < (1 << 62)  # before 1.19: the host's small ints
    return compiler.small_int_min <= node.value <= compiler.small_int_max


def truncated(value: int) -> int:
    """mp_obj_get_int_truncated: the low machine word (64-bit mpy-cross), signed."""
    value &= (1 << 64) - 1
    return value - (1 << 64) if value >> 63 else value


def _call_args(call: A.Call) -> list:
    """The arglist nodes, in source order (keywords and stars are nodes no test accepts)."""
    return list(call.args) + list(call.keywords)


def _instruction(stmt):
    """The (name, args, line) an instruction statement is, else None ('expecting ...')."""
    if type(stmt) is not A.Expr or getattr(stmt, "starts_list", False):
        return None
    call = stmt.value
    if type(call) is not A.Call or type(call.func) is not A.Name:
        return None
    return call.func.id, _call_args(call), call.trailer_line or stmt.line


def _asserts_on_leaf(stmt) -> bool:
    """An expression statement whose first node py/parse.c keeps as a leaf (`x = 1`, `x += 1`,
    a bare name): compile.c asserted it was a struct node before 1.27 (9728538c3a)."""
    if getattr(stmt, "starts_list", False):
        return False
    first = {A.Expr: lambda s: s.value, A.Assign: lambda s: s.targets[0], A.AugAssign: lambda s: s.target,
             A.AnnAssign: lambda s: s.target}.get(type(stmt))
    if first is None:
        return False
    node = first(stmt)
    if type(stmt) is A.Expr:
        return type(node) is A.Name  # a constant statement is dropped by the parser
    return type(node) is A.Name or (isinstance(node, A.Constant) and not isinstance(node, ObjConstant))


class InlineAssembler:
    """What the inline assemblers share: parameter registers, labels, the machine code, and
    the first operand error of an instruction (py/emitinline*.c keep these alike)."""

    isa_name = ""               # as the parameter error names it ("Thumb", "Xtensa")
    param_regs: tuple = ()      # the registers the (up to 4) parameters must be, in order

    def __init__(self, asm):
        self.asm = asm  # the architecture's encoder (asm_thumb, asm_xtensa, asm_rv32)
        self.labels: dict[str, int] = {}
        self.error: str | None = None
        self.n_params = 0
        self.pass_ = 0

    def start_pass(self, pass_: int) -> None:
        """A new pass: labels are collected afresh when sizes are worked out, and the
        encoder only measures until the code is emitted."""
        self.pass_ = pass_
        if pass_ == PASS_CODE_SIZE:
            self.labels = {}
        self.asm.start_pass(2 if pass_ == PASS_EMIT else 1)

    def code(self) -> bytes:
        return bytes(self.asm.code)

    def count_params(self, params: list) -> str | None:
        if len(params) > 4:
            return f"can only have up to 4 parameters to {self.isa_name} assembly"
        for name, reg in zip(params, self.param_regs):
            if name != reg:
                return f"parameters must be registers in sequence {self.param_regs[0]} to {self.param_regs[-1]}"
        self.n_params = len(params)
        return None

    def label(self, num: int, name: str) -> bool:
        if self.pass_ == PASS_CODE_SIZE and name in self.labels:
            return False
        self.labels[name] = num
        self.asm.label_assign(num)
        return True

    def label_num(self, op: str, node) -> int:
        """The number of the label `node` names (Thumb and Xtensa operands); 0 until it is placed."""
        name = arg_id(node)
        if name is None:
            return self._fail(f"'{op}' expects a label")
        if name in self.labels:
            return self.labels[name]
        if self.pass_ == PASS_EMIT:  # only the last pass needs every label
            self._fail(f"label '{name}' not defined")
        return 0

    def _fail(self, message: str) -> int:
        self.error = message
        return 0


class InlineAsmCompiler:
    """compile_scope_inline_asm for one scope, run once per pass."""

    def __init__(self, compiler, scope, instruction_set):
        self.compiler = compiler
        self.scope = scope
        self.iset = instruction_set

    def run(self, pass_: int):
        """Check (PASS_SCOPE) or assemble the function; returns the instruction set after EMIT."""
        scope, node = self.scope, self.scope.node
        if type(node) not in (A.FunctionDef, A.AsyncFunctionDef):
            raise InlineAsmError("inline assembler must be a function", None)
        iset = self.iset
        if pass_ > PASS_SCOPE:
            iset.start_pass(pass_)
        if pass_ == PASS_CODE_SIZE:
            message = iset.count_params(_param_nodes(node.args))
            if message is not None:
                raise InlineAsmError(message, None)
            scope.num_pos_args = iset.n_params

        # an annotation error does not stop the walk: the first instruction after it sets the line
        error, error_line = None, None
        type_sig = TYPE_INT
        ann = node.returns
        if ann is not None:
            if type(ann) is A.Name:
                if ann.id not in RETURN_TYPES:
                    raise InlineAsmError("unknown type", None)
                type_sig = RETURN_TYPES[ann.id]
            else:
                error = "return annotation must be an identifier"
                error_line = ann.line if self.compiler.is_struct(ann) and ann.line else None

        next_label = 0
        for stmt in node.body:
            if isinstance(stmt, A.Pass) and not getattr(stmt, "starts_list", False):
                continue
            ins = _instruction(stmt)
            if ins is None:
                if not self.compiler.has("inline_asm_statement_checked") and _asserts_on_leaf(stmt):
                    raise InlineAsmMoved("a statement that is not an instruction, where the official "
                                         "mpy-cross aborts on an internal assertion", stmt.line)
                if error is not None:
                    raise InlineAsmError(error, error_line)
                raise InlineAsmError("expecting an assembler instruction", stmt.line)
            op, args, line = ins
            if error is None:
                if op == "label":
                    if not (len(args) == 1 and arg_id(args[0]) is not None):
                        raise InlineAsmError("'label' requires 1 argument", stmt.line)
                    lab = next_label
                    next_label += 1
                    try:
                        if pass_ > PASS_SCOPE and not iset.label(lab, args[0].id):
                            raise InlineAsmError("label redefined", stmt.line)
                    except LabelMoved:
                        # a branch to a label not yet placed took another size in the compute pass
                        # (Xtensa: it was aimed at label 0); mpy-cross aborts on an assertion here
                        raise InlineAsmMoved(f"label '{args[0].id}' moves between passes, where the "
                                             "official mpy-cross aborts on an internal assertion", stmt.line) from None
                elif op == "align":
                    if not (len(args) == 1 and is_small_int(args[0], self.compiler)):
                        raise InlineAsmError("'align' requires 1 argument", stmt.line)
                    if pass_ > PASS_SCOPE:
                        mask_bits = 64 if self.compiler.has("asm_align_mask_size_t") else 32
                        iset.asm.align(args[0].value & 0xFFFFFFFF, mask_bits)  # an unsigned int in asmbase.c
                elif op == "data":
                    if not (len(args) >= 2 and is_small_int(args[0], self.compiler)):
                        raise InlineAsmError("'data' requires at least 2 arguments", stmt.line)
                    if pass_ > PASS_SCOPE:
                        size = args[0].value & 0xFFFFFFFF  # an unsigned int in asmbase.c
                        big_ints = self.compiler.has("inline_data_big_ints")
                        for a in args[1:]:
                            value = arg_int(a) if big_ints or is_small_int(a, self.compiler) else None
                            if value is None:
                                raise InlineAsmError("'data' requires integer arguments", stmt.line)
                            if pass_ == PASS_CODE_SIZE:
                                iset.asm.skip(size)
                            else:
                                iset.asm.data(size, truncated(value) & ((1 << 64) - 1))
                elif pass_ > PASS_SCOPE:
                    try:
                        iset.op(op, args)
                    except NativeNotImplemented as err:  # a native encoder's range check
                        raise InlineAsmError(str(err), None, kind="RuntimeError") from None
                    if iset.error is not None:
                        error = iset.error
            if error is not None:
                raise InlineAsmError(error, line)

        if error is not None:
            raise InlineAsmError(error, None)
        if pass_ > PASS_SCOPE:
            iset.end_pass()
            if pass_ == PASS_CODE_SIZE:
                self.code_size = iset.asm.code_offset
                if self.code_size > MAX_CODE:
                    size = self.code_size if self.compiler.has("malloc_fail_size_t") else self.code_size & 0xFFFFFFFF
                    raise InlineAsmError(f"memory allocation failed, allocating {size} bytes",
                                         None, kind="MemoryError")
            elif iset.asm.peak_offset > self.code_size:
                raise InlineAsmMoved("an align goes back over code that does not fit the size measured, "
                                     "where the official mpy-cross aborts on an internal assertion", node.line)
            elif iset.asm.code_offset != self.code_size:
                raise InlineAsmMoved("the code changes size between passes (a branch to a label not yet "
                                     "placed), where the official mpy-cross aborts on an internal assertion",
                                     node.line)
        self.type_sig = type_sig
        return iset


def _param_nodes(args: A.arguments) -> list:
    """The parameter nodes compile.c counts; None stands for one that is not a bare name."""
    nodes = []
    first_default = len(args.args) - len(args.defaults)
    for i, a in enumerate(args.args):
        plain = i < first_default and a.annotation is None
        nodes.append(a.arg if plain else None)
    if args.vararg is not None or args.kwonlyargs:
        nodes.append(None)  # `*` or `*name`
    nodes.extend(None for _ in args.kwonlyargs)
    if args.kwarg is not None:
        nodes.append(None)
    return nodes


def instruction_set(arch: str, has, arch_flags: int = 0):
    """The inline assembler `-march=arch` selects (compile.c emit_asm_table); `has` tells the
    release's features (formats/targets.toml), `arch_flags` the `-march-flags=` extensions."""
    if arch == "rv32imc":
        from .emitinline_rv32 import InlineRV32

        return InlineRV32(arch_flags, has)
    if arch in ("xtensa", "xtensawin"):
        from .emitinline_xtensa import InlineXtensa

        return InlineXtensa(arch, has)
    from .emitinline_thumb import InlineThumb

    return InlineThumb(arch, has)
