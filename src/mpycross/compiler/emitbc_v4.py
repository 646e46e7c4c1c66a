"""The bytecode emitter for .mpy v4 (MicroPython 1.11).

Operands live as in v5 (emitbc_v5.py: two-byte qstr slots, per-function
constant tables, three-byte jumps), with the v4 opcode numbers
(formats/bytecode/v4.toml) and the older layout (mp-v1.11/py/emitbc.c):

    n_state (uint) n_exc_stack (uint) scope_flags n_pos_args n_kwonly_args
    n_def_pos_args code_info_size (uint) name (16 bit) source_file (16 bit)
    line-number table, 0 [, 0]  |  cells..., 0xff  bytecode...

* the code info size is measured with two bytes reserved for it, so when it
  fits in one byte the code info ends with one unused (zero) byte;
* the names are the compiling build's own qstr numbers (raw_qstr_ids.py);
* the cells to create are the first bytes of the bytecode, ended by 0xff, and
  count in the offsets of the line-number table;
* the scope flags use 1.11's bit numbering (runtime0.h), and mpy-cross 1.11,
  which has native emitters, marks a scope that makes functions REFGLOBALS |
  HASCONSTS, and a function that uses globals (any scope that declares one)
  REFGLOBALS;
* `raise` is RAISE_VARARGS with its argument count as a byte.
"""

from __future__ import annotations

from . import emitbc as E
from . import scope as S
from .emitbc_v5 import EmitterV5, layout_code, load_opcodes, tables_of

# mp-v1.11/py/runtime0.h MP_SCOPE_FLAG_*
_V4_FLAGS = ((S.SCOPE_FLAG_VARARGS, 0x01), (S.SCOPE_FLAG_VARKEYWORDS, 0x02),
             (S.SCOPE_FLAG_GENERATOR, 0x04), (S.SCOPE_FLAG_DEFKWARGS, 0x08))
_REFGLOBALS, _HASCONSTS = 0x10, 0x20


class EmitterV4(EmitterV5):
    """Records one scope's instructions with v4 opcodes."""

    generation = "v4"
    build_qstr_numbers = True
    # mpy-cross 1.11 has native emitters, which make compile.c and scope.c set
    # REFGLOBALS / HASCONSTS (the earlier mpy-cross builds have none)
    native_flags = True

    def __init__(self, common, scope: S.Scope, recording: bool):
        super().__init__(common, scope, recording)
        self.ops = load_opcodes(self.generation)
        self.signed_jumps = self.ops["signed_jumps"]

    # v4 numbers BUILD_* and SETUP_* apart (mp-v1.11/py/bc0.h): look each up by name
    _BUILD = ("BUILD_TUPLE", "BUILD_LIST", "BUILD_MAP", "BUILD_SET", "BUILD_SLICE")
    _SETUP = ("SETUP_WITH", "SETUP_EXCEPT", "SETUP_FINALLY")

    def build(self, n_args: int, kind: int) -> None:
        delta = 1 if kind == E.BUILD_MAP else 1 - n_args
        self._uint(delta, self.ops[self._BUILD[kind]], n_args)

    def setup_block(self, label: int, kind: int) -> None:
        delta = 2 if kind == E.SETUP_WITH else 0
        self._jump(delta, self.ops[self._SETUP[kind]], label)

    def raise_varargs(self, n_args: int) -> None:
        # mp-v1.11/py/emitbc.c mp_emit_bc_raise_varargs: opcode, then the count
        if self.recording:
            self._stack(-n_args)
            self.code.append((E.I_CODE, bytes((self.ops["RAISE_VARARGS"], n_args))))
        self._dead()


def _scope_flags(emitter: EmitterV4) -> int:
    scope = emitter.scope
    flags = 0
    for ours, theirs in _V4_FLAGS:
        if scope.scope_flags & ours:
            flags |= theirs
    if not emitter.native_flags:
        return flags
    if emitter.children:
        # compile.c close_over_variables_etc: making a function references the globals
        flags |= _REFGLOBALS | _HASCONSTS
    # scope.c scope_compute_things: an explicit global (in a function, any global) references them
    func_like = S.is_func_like(scope.kind)
    if any(info.kind == S.GLOBAL_EXPLICIT or (func_like and info.kind == S.GLOBAL_IMPLICIT)
           for info in scope.id_info):
        flags |= _REFGLOBALS
    return flags


def assemble_v4(emitter: EmitterV4, num_labels: int, source_lines: bool, filename: str) -> E.Assembled:
    """Lay out one scope in the v4 memory form (see the module docstring)."""
    scope = emitter.scope
    code = emitter.code
    child_base = scope.num_pos_args + scope.num_kwonly_args + len(emitter.consts)
    cells = bytes(info.local_num for info in scope.id_info if info.kind == S.CELL)
    prefix = cells + b"\xff"

    out, lines = layout_code(code, num_labels, child_base, source_lines, prefix)

    n_state = scope.num_locals + scope.stack_size
    if n_state == 0:
        n_state = 1
    head = (E.encode_uint(n_state) + E.encode_uint(scope.exc_stack_size)
            + bytes(b & 0xFF for b in (_scope_flags(emitter), scope.num_pos_args, scope.num_kwonly_args,
                                       scope.num_def_pos_args)))  # C bytes (emit_write_code_info_byte)
    ids = emitter.common.raw_qstr_ids
    name_ids = bytes((ids[scope.simple_name] & 0xFF, ids[scope.simple_name] >> 8,
                      ids[emitter.common.source_file] & 0xFF, ids[emitter.common.source_file] >> 8))
    rest = name_ids + bytes(lines) + b"\0"
    size = 2 + len(rest)  # measured with two bytes reserved for the size itself
    size_field = E.encode_uint(size)
    padding = bytes(max(0, 2 - len(size_field)))
    return tables_of(emitter, head + size_field + rest + padding + bytes(out))


class EmitterV3(EmitterV4):
    """.mpy v3 (MicroPython 1.9.3 - 1.10).

    Every qstr operand is the build's own qstr number (mp-v1.10/py/emitbc.c
    emit_write_bytecode_byte_qstr; the saver keeps it and also lists the text), and
    try blocks end with POP_BLOCK / POP_EXCEPT then JUMP (POP_EXCEPT_JUMP came in 1.11).
    """

    generation = "v3"
    native_flags = False

    def _qstr(self, delta: int, op: int, qst: str) -> None:
        if self.recording:
            self._stack(delta)
            n = self.common.raw_qstr_ids[qst]
            self.code.append((E.I_CODE, bytes((op, n & 0xFF, n >> 8))))
            self.qstr_operands.append(qst)

    def pop_block(self) -> None:
        self._byte(0, self.ops["POP_BLOCK"])

    def pop_except(self) -> None:
        self._byte(0, self.ops["POP_EXCEPT"])

    def pop_except_jump(self, label: int, within_exc_handler: bool) -> None:
        if within_exc_handler:
            self.pop_except()
        else:
            self.pop_block()
        self.jump(label)

    def with_cleanup(self, label: int) -> None:
        # mp-v1.10/py/emitbc.c mp_emit_bc_with_cleanup: the try block is popped first
        self.pop_block()
        super().with_cleanup(label)

    def async_with_setup_finally(self, label_aexit_no_exc: int, label_finally_block: int,
                                 label_ret_unwind_jump: int) -> None:
        # mp-v1.10/py/compile.c compile_async_with_stmt_helper: POP_BLOCK, and Exception
        self.pop_block()
        self.load_const_tok(None)
        self.rot_two()
        self.jump(label_aexit_no_exc)
        self.label_assign(label_finally_block)
        self.dup_top()
        self.load_global("Exception", E.IDOP_GLOBAL_GLOBAL)
        self.binary_op("EXCEPTION_MATCH")
        self.pop_jump_if(False, label_ret_unwind_jump)


class EmitterV2(EmitterV3):
    """.mpy v2 (MicroPython 1.9 - 1.9.2): as v3 with the older operator numbering."""

    generation = "v2"
