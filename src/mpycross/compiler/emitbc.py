"""The bytecode emitter: what `py/emitbc.c` does, split into record and assemble.

The code generator calls the `Emitter` methods (upstream names, without the
`mp_emit_bc_` prefix). During the scope pass an emitter only registers the
qstrs and constant objects it meets, in the order the reference registers
them (`py/emitcommon.c`). During the emit pass it records an instruction list:
pre-encoded opcodes, jumps to labels, label positions, source lines, stack
adjustments and the points where code becomes dead. `assemble` then replays
that list the way the reference's MP_PASS_STACK_SIZE, MP_PASS_CODE_SIZE and
repeated MP_PASS_EMIT passes do, so jump sizes, the line-number table and the
prelude come out byte for byte the same.
"""

from __future__ import annotations

import functools
import math
from mpycross.records import dataclass

from mpycross.errors import CompileError
from mpycross.mpy.writer import ONE_BYTE as _ONE_BYTE
from mpycross.mpy.writer import encode_uint
from mpycross.mpy.opcodes import opcode_table

from . import scope as S

# ---- opcode table (formats/bytecode/v6.toml) --------------------------------


@functools.cache
def load_opcodes(generation: str) -> dict:
    """The emitter's view of a bytecode generation's opcode table (mpy.opcodes.opcode_table,
    the one loader of formats/bytecode/<generation>.toml): opcode numbers by upstream name,
    operator numbers and the signed jumps."""
    table = opcode_table(generation)
    ops = {info.name: info.code for info in table.by_name.values()}
    for info in table.by_name.values():
        if info.excess:
            ops["SMALL_INT_EXCESS"] = info.excess
            ops["SMALL_INT_COUNT"] = info.count
    ops["unary"] = {name: i for i, name in enumerate(table.unary_ops)}
    ops["binary"] = {name: i for i, name in enumerate(table.binary_ops)}
    ops["iter_buf_nslots"] = table.iter_buf_nslots
    # JUMP_IF_x_OR_POP are signed before v6
    ops["signed_jumps"] = frozenset(i.code for i in table.by_name.values() if i.operand == "jump_signed")
    return ops


def opcodes() -> dict:
    """The v6 opcode table (load_opcodes)."""
    return load_opcodes("v6")


# ---- encodings --------------------------------------------------------------


def encode_sint(value: int) -> bytes:
    """py/emitbc.c emit_write_bytecode_byte_int: signed 7-bit groups."""
    groups = []
    while True:
        groups.append(value & 0x7F)
        value >>= 7
        if value == 0 or value == -1:
            break
    if value == -1 and not groups[-1] & 0x40:
        groups.append(0x7F)
    elif value == 0 and groups[-1] & 0x40:
        groups.append(0)
    groups.reverse()
    return bytes([g | 0x80 for g in groups[:-1]] + [groups[-1]])


# ---- constants shared by a module (py/emitcommon.c) -------------------------


def _strictly_equal(a, b) -> bool:
    """py/emitcommon.c strictly_equal: equal values of the same type."""
    if a is b:
        return True
    if type(a) is not type(b):
        return False
    if isinstance(a, tuple):
        return len(a) == len(b) and all(_strictly_equal(x, y) for x, y in zip(a, b))
    if a != b:
        return False
    if isinstance(a, float) and a == 0.0:
        return math.copysign(1.0, a) == math.copysign(1.0, b)
    return True


class EmitCommon:
    """The module-wide qstr table and constant-object table, in first-use order."""

    def __init__(self, source_file: str, dead_code_suppression: bool, cache_lookup_bc: bool,
                 raw_qstr_ids: dict | None = None):
        """`dead_code_suppression`: py/emitbc.c emit->suppress (from mp-v1.20.0): code after an
        unconditional jump, return or raise is left out until the next label; before that, all is
        written. `cache_lookup_bc`: mpy-cross -mcache-lookup-bc (1.9 - 1.17), a map-lookup cache
        byte after the qstr of LOAD_NAME, LOAD_GLOBAL, LOAD_ATTR and STORE_ATTR.
        `raw_qstr_ids`: for .mpy v2-v4, the compiling build's qstr numbers (raw_qstr_ids.py)."""
        self.source_file = source_file
        self.raw_qstr_ids = raw_qstr_ids
        self.qstrs: dict[str, int] = {source_file: 0}
        self.dead_code_suppression = dead_code_suppression
        self.cache_lookup_bc = cache_lookup_bc
        self.objs: list = []
        self._obj_index: dict = {}
        # compile.c's one native emitter per module: what a native scope's first pass inherits
        # from the previous one (emitnative.assemble_native)
        self.native_prelude_offset = 0
        self.native_prelude_offset_uses_u16 = False

    def use_qstr(self, qst: str) -> int:
        index = self.qstrs.get(qst)
        if index is None:
            index = self.qstrs[qst] = len(self.qstrs)
        return index

    def use_const_obj(self, obj) -> int:
        key = _obj_key(obj)
        if key is not None:
            index = self._obj_index.get(key)
            if index is not None:
                return index
        else:
            for i, existing in enumerate(self.objs):
                if _strictly_equal(existing, obj):
                    return i
        self.objs.append(obj)
        if key is not None:
            self._obj_index[key] = len(self.objs) - 1
        return len(self.objs) - 1


def _obj_key(obj):
    """A hashable key equal exactly when strictly_equal holds (None: compare by scan)."""
    if isinstance(obj, float):
        if obj != obj:
            return None  # NaN never equals another NaN
        return (float, obj, math.copysign(1.0, obj))
    if isinstance(obj, complex):
        if obj != obj:
            return None
        return (complex, obj)
    if isinstance(obj, tuple):
        parts = []
        for item in obj:
            k = _obj_key(item)
            if k is None:
                return None
            parts.append(k)
        return (tuple, tuple(parts))
    if obj is Ellipsis:
        return (type(obj),)
    if isinstance(obj, int) and not isinstance(obj, bool):
        return (int, int(obj))  # a BigInt (fold.py) is an int like any other here
    return (type(obj), obj)


# ---- instruction list ---------------------------------------------------------

# entry kinds
I_CODE = 0  # (I_CODE, bytes)                  fixed bytes
I_JUMP = 1  # (I_JUMP, opcode, label, signed, extra_byte or None)
I_LABEL = 2  # (I_LABEL, label)
I_LINE = 3  # (I_LINE, line)
I_DEAD = 4  # (I_DEAD,)                         following code is dead until a label

MP_EMIT_BREAK_FROM_FOR = 0x8000

IDOP_LOCAL_FAST = 0
IDOP_LOCAL_DEREF = 1
IDOP_GLOBAL_NAME = 0
IDOP_GLOBAL_GLOBAL = 1

BUILD_TUPLE, BUILD_LIST, BUILD_MAP, BUILD_SET, BUILD_SLICE = range(5)
SETUP_WITH, SETUP_EXCEPT, SETUP_FINALLY = range(3)
ATTR_LOAD, ATTR_STORE, ATTR_DELETE = range(3)
SUBSCR_LOAD, SUBSCR_STORE, SUBSCR_DELETE = range(3)
IMPORT_NAME, IMPORT_FROM, IMPORT_STAR = range(3)
YIELD_VALUE, YIELD_FROM = range(2)


@dataclass(frozen=True, slots=True)
class Assembled:
    """One scope laid out by its assembler: the bytes, and what the .mpy writer needs besides.

    v6 files keep qstrs and constants in module-wide tables (EmitCommon); v2-v5
    files keep them with each function, so the v2-v5 assemblers fill the rest."""

    data: bytes
    children: tuple           # the child scopes, in MAKE_FUNCTION order
    qstr_operands: tuple = ()  # v2-v5: the qstr operands of the bytecode, in order
    consts: tuple = ()         # v2-v5: the function's constant objects, in emission order
    arg_names: tuple = ()      # v2-v5: the argument names that head its constant table
    qstr_links: tuple = ()     # v5 native code: (offset << 2 | kind, qstr) patched in at load


class Emitter:
    """Records one scope's instructions (emit pass) or only registers names (scope pass).

    Made at the start of each pass, it registers the names of the code info
    first, as mp_emit_bc_start_pass does: the scope's name, and in the emit pass
    its argument names (`code_info_names`, their v6 encoding)."""

    # whether operands and code info hold the compiling build's qstr numbers (.mpy v2-v4)
    build_qstr_numbers = False

    def __init__(self, common: EmitCommon, scope: S.Scope, recording: bool):
        self.common = common
        self.scope = scope
        self.recording = recording
        self.ops = opcodes()
        self.code: list = []
        self.stack_size = 0
        self.max_stack = 0
        self.num_children = 0
        self.children: list = []
        # mp-v1.19.1/py/emitbc.c: whether the last thing emitted was RETURN_VALUE
        self.last_emit_was_return_value = False
        names = encode_uint(common.use_qstr(scope.simple_name))
        if recording:
            for qst in scope.param_names():
                names += encode_uint(common.use_qstr(qst))
        self.code_info_names = names

    # -- helpers --
    def _stack(self, delta: int) -> None:
        if self.recording:
            self.last_emit_was_return_value = False
            self.stack_size += delta
            if self.stack_size > self.max_stack:
                self.max_stack = self.stack_size & 0xFFFF  # scope_t.stack_size is a uint16_t (py/scope.h)

    def _byte(self, delta: int, op: int) -> None:
        if self.recording:  # _stack inlined: the two most frequent calls
            self.last_emit_was_return_value = False
            self.stack_size += delta
            if self.stack_size > self.max_stack:
                self.max_stack = self.stack_size & 0xFFFF  # scope_t.stack_size is a uint16_t (py/scope.h)
            self.code.append((I_CODE, _ONE_BYTE[op]))

    def _uint(self, delta: int, op: int, value: int) -> None:
        if self.recording:
            self.last_emit_was_return_value = False
            self.stack_size += delta
            if self.stack_size > self.max_stack:
                self.max_stack = self.stack_size & 0xFFFF  # scope_t.stack_size is a uint16_t (py/scope.h)
            self.code.append((I_CODE, _ONE_BYTE[op] + encode_uint(value)))

    def _qstr(self, delta: int, op: int, qst: str) -> None:
        index = self.common.use_qstr(qst)
        self._uint(delta, op, index)

    def _obj(self, delta: int, op: int, obj) -> None:
        index = self.common.use_const_obj(obj)
        self._uint(delta, op, index)

    def _child(self, delta: int, op: int, child_scope: S.Scope, extra: int | None = None) -> None:
        index = self.num_children
        self.num_children += 1
        if self.recording:
            self.children.append(child_scope)
            self._stack(delta)
            data = bytes((op,)) + encode_uint(index)
            if extra is not None:
                data += bytes((extra & 0xFF,))  # py/emitbc.c emit_write_bytecode_byte: a C byte
            self.code.append((I_CODE, data))

    def _jump(self, delta: int, op: int, label: int, extra: int | None = None) -> None:
        if self.recording:
            self._stack(delta)
            signed = op <= self.ops["POP_JUMP_IF_FALSE"]
            self.code.append((I_JUMP, op, label, signed, extra))

    def _dead(self) -> None:
        if self.recording and self.common.dead_code_suppression:
            self.code.append((I_DEAD,))

    # -- emit interface (py/emit.h) --
    def adjust_stack_size(self, delta: int) -> None:
        self._stack(delta)

    def set_source_line(self, line: int) -> None:
        if self.recording and line:
            self.code.append((I_LINE, line))

    def label_assign(self, label: int) -> None:
        if self.recording:
            self.last_emit_was_return_value = False
            self.code.append((I_LABEL, label))

    def import_(self, qst: str | None, kind: int) -> None:
        if kind == IMPORT_STAR:
            self._byte(-1, self.ops["IMPORT_STAR"])
        elif kind == IMPORT_NAME:
            self._qstr(-1, self.ops["IMPORT_NAME"], qst)
        else:
            self._qstr(1, self.ops["IMPORT_FROM"], qst)

    def load_const_tok(self, value) -> None:
        """value is None, True, False or Ellipsis."""
        if value is Ellipsis:
            self._obj(1, self.ops["LOAD_CONST_OBJ"], Ellipsis)
        elif value is None:
            self._byte(1, self.ops["LOAD_CONST_NONE"])
        elif value is True:
            self._byte(1, self.ops["LOAD_CONST_TRUE"])
        else:
            self._byte(1, self.ops["LOAD_CONST_FALSE"])

    def load_const_small_int(self, value: int) -> None:
        excess = self.ops["SMALL_INT_EXCESS"]
        if -excess <= value < self.ops["SMALL_INT_COUNT"] - excess:
            self._byte(1, self.ops["LOAD_CONST_SMALL_INT_MULTI"] + excess + value)
        elif self.recording:
            self._stack(1)
            self.code.append((I_CODE, bytes((self.ops["LOAD_CONST_SMALL_INT"],)) + encode_sint(value)))

    def load_const_str(self, qst: str) -> None:
        self._qstr(1, self.ops["LOAD_CONST_STRING"], qst)

    def load_const_obj(self, obj) -> None:
        self._obj(1, self.ops["LOAD_CONST_OBJ"], obj)

    def load_null(self) -> None:
        self._byte(1, self.ops["LOAD_NULL"])

    def load_local(self, qst: str, local_num: int, kind: int) -> None:
        if kind == IDOP_LOCAL_FAST and local_num <= 15:
            self._byte(1, self.ops["LOAD_FAST_MULTI"] + local_num)
        else:
            self._uint(1, self.ops["LOAD_FAST_N"] + kind, local_num)

    def load_global(self, qst: str, kind: int) -> None:
        self._qstr(1, self.ops["LOAD_NAME"] + kind, qst)
        self._cache_byte()

    def _cache_byte(self) -> None:
        """py/emitbc.c MICROPY_OPT_CACHE_MAP_LOOKUP_IN_BYTECODE_DYNAMIC: a zero byte for the cache."""
        if self.common.cache_lookup_bc and self.recording:
            self.code.append((I_CODE, b"\x00"))

    def load_method(self, qst: str, is_super: bool) -> None:
        if is_super:
            self._qstr(-1, self.ops["LOAD_SUPER_METHOD"], qst)
        else:
            self._qstr(1, self.ops["LOAD_METHOD"], qst)

    def load_build_class(self) -> None:
        self._byte(1, self.ops["LOAD_BUILD_CLASS"])

    def subscr(self, kind: int) -> None:
        if kind == SUBSCR_LOAD:
            self._byte(-1, self.ops["LOAD_SUBSCR"])
        else:
            if kind == SUBSCR_DELETE:
                self.load_null()
                self.rot_three()
            self._byte(-3, self.ops["STORE_SUBSCR"])

    def attr(self, qst: str, kind: int) -> None:
        if kind == ATTR_LOAD:
            self._qstr(0, self.ops["LOAD_ATTR"], qst)
        else:
            if kind == ATTR_DELETE:
                self.load_null()
                self.rot_two()
            self._qstr(-2, self.ops["STORE_ATTR"], qst)
        self._cache_byte()

    def store_local(self, qst: str, local_num: int, kind: int) -> None:
        if kind == IDOP_LOCAL_FAST and local_num <= 15:
            self._byte(-1, self.ops["STORE_FAST_MULTI"] + local_num)
        else:
            self._uint(-1, self.ops["STORE_FAST_N"] + kind, local_num)

    def store_global(self, qst: str, kind: int) -> None:
        self._qstr(-1, self.ops["STORE_NAME"] + kind, qst)

    def delete_local(self, qst: str, local_num: int, kind: int) -> None:
        self._uint(0, self.ops["DELETE_FAST"] + kind, local_num)

    def delete_global(self, qst: str, kind: int) -> None:
        self._qstr(0, self.ops["DELETE_NAME"] + kind, qst)

    def dup_top(self) -> None:
        self._byte(1, self.ops["DUP_TOP"])

    def dup_top_two(self) -> None:
        self._byte(2, self.ops["DUP_TOP_TWO"])

    def pop_top(self) -> None:
        self._byte(-1, self.ops["POP_TOP"])

    def rot_two(self) -> None:
        self._byte(0, self.ops["ROT_TWO"])

    def rot_three(self) -> None:
        self._byte(0, self.ops["ROT_THREE"])

    def jump(self, label: int) -> None:
        self._jump(0, self.ops["JUMP"], label)
        self._dead()

    def pop_jump_if(self, cond: bool, label: int) -> None:
        self._jump(-1, self.ops["POP_JUMP_IF_TRUE" if cond else "POP_JUMP_IF_FALSE"], label)

    def jump_if_or_pop(self, cond: bool, label: int) -> None:
        self._jump(-1, self.ops["JUMP_IF_TRUE_OR_POP" if cond else "JUMP_IF_FALSE_OR_POP"], label)

    def unwind_jump(self, label: int, except_depth: int) -> None:
        from_for = bool(label & MP_EMIT_BREAK_FROM_FOR)
        label &= ~MP_EMIT_BREAK_FROM_FOR
        if except_depth == 0:
            if from_for and self.recording:
                # pop the iterator and its iter_buf slots (raw bytes: no stack accounting)
                pop = self.ops["POP_TOP"]
                self.code.append((I_CODE, bytes([pop] * self.ops["iter_buf_nslots"])))
            self._jump(0, self.ops["JUMP"], label)
        else:
            self._jump(0, self.ops["UNWIND_JUMP"], label, (0x80 if from_for else 0) | except_depth)
        self._dead()

    def setup_block(self, label: int, kind: int) -> None:
        delta = 2 if kind == SETUP_WITH else 0
        self._jump(delta, self.ops["SETUP_WITH"] + kind, label)

    def with_cleanup(self, label: int) -> None:
        self.load_const_tok(None)
        self.label_assign(label)
        self._byte(2, self.ops["WITH_CLEANUP"])
        self._stack(-4)

    def async_with_setup_finally(self, label_aexit_no_exc: int, label_finally_block: int,
                                 label_ret_unwind_jump: int) -> None:
        self.load_const_tok(None)
        self.rot_two()
        self.jump(label_aexit_no_exc)
        self.label_assign(label_finally_block)
        self.dup_top()
        self.load_global("BaseException", IDOP_GLOBAL_GLOBAL)
        self.binary_op("EXCEPTION_MATCH")
        self.pop_jump_if(False, label_ret_unwind_jump)

    def end_finally(self) -> None:
        self._byte(-1, self.ops["END_FINALLY"])

    def get_iter(self, use_stack: bool) -> None:
        if use_stack:
            self._byte(self.ops["iter_buf_nslots"] - 1, self.ops["GET_ITER_STACK"])
        else:
            self._byte(0, self.ops["GET_ITER"])

    def for_iter(self, label: int) -> None:
        self._jump(1, self.ops["FOR_ITER"], label)

    def for_iter_end(self) -> None:
        self._stack(-self.ops["iter_buf_nslots"])

    def pop_except_jump(self, label: int, within_exc_handler: bool) -> None:
        self._jump(0, self.ops["POP_EXCEPT_JUMP"], label)
        self._dead()

    def unary_op(self, op: str) -> None:
        self._byte(0, self.ops["UNARY_OP_MULTI"] + self.ops["unary"][op])

    def binary_op(self, op: str) -> None:
        invert = False
        if op == "NOT_IN":
            invert, op = True, "IN"
        elif op == "IS_NOT":
            invert, op = True, "IS"
        self._byte(-1, self.ops["BINARY_OP_MULTI"] + self.ops["binary"][op])
        if invert:
            self._byte(0, self.ops["UNARY_OP_MULTI"] + self.ops["unary"]["NOT"])

    def build(self, n_args: int, kind: int) -> None:
        delta = 1 if kind == BUILD_MAP else 1 - n_args
        self._uint(delta, self.ops["BUILD_TUPLE"] + kind, n_args)

    def store_map(self) -> None:
        self._byte(-2, self.ops["STORE_MAP"])

    def store_comp(self, kind: int, collection_stack_index: int) -> None:
        if kind == S.LIST_COMP:
            n, t = 0, 0
        elif kind == S.DICT_COMP:
            n, t = 1, 1
        else:
            n, t = 0, 2
        self._uint(-1 - n, self.ops["STORE_COMP"], ((collection_stack_index + n) << 2) | t)

    def unpack_sequence(self, n_args: int) -> None:
        self._uint(-1 + n_args, self.ops["UNPACK_SEQUENCE"], n_args)

    def unpack_ex(self, n_left: int, n_right: int) -> None:
        self._uint(-1 + n_left + n_right + 1, self.ops["UNPACK_EX"], n_left | (n_right << 8))

    def make_function(self, child: S.Scope, n_pos_defaults: int, n_kw_defaults: int) -> None:
        if n_pos_defaults == 0 and n_kw_defaults == 0:
            self._child(1, self.ops["MAKE_FUNCTION"], child)
        else:
            self._child(-1, self.ops["MAKE_FUNCTION_DEFARGS"], child)

    def make_closure(self, child: S.Scope, n_closed_over: int, n_pos_defaults: int, n_kw_defaults: int) -> None:
        if n_pos_defaults == 0 and n_kw_defaults == 0:
            self._child(-n_closed_over + 1, self.ops["MAKE_CLOSURE"], child, n_closed_over)
        else:
            self._child(-2 - n_closed_over + 1, self.ops["MAKE_CLOSURE_DEFARGS"], child, n_closed_over)

    def _call(self, delta: int, base: str, n_positional: int, n_keyword: int, star_flags: int) -> None:
        if star_flags:
            delta -= n_positional + 2 * n_keyword + 1
            self._uint(delta, self.ops[base + "_VAR_KW"], (n_keyword << 8) | n_positional)
        else:
            delta -= n_positional + 2 * n_keyword
            self._uint(delta, self.ops[base], (n_keyword << 8) | n_positional)

    def call_function(self, n_positional: int, n_keyword: int, star_flags: int) -> None:
        self._call(0, "CALL_FUNCTION", n_positional, n_keyword, star_flags)

    def call_method(self, n_positional: int, n_keyword: int, star_flags: int) -> None:
        self._call(-1, "CALL_METHOD", n_positional, n_keyword, star_flags)

    def return_value(self) -> None:
        self._byte(-1, self.ops["RETURN_VALUE"])
        self.last_emit_was_return_value = self.recording
        self._dead()

    def raise_varargs(self, n_args: int) -> None:
        self._byte(-n_args, self.ops["RAISE_LAST"] + n_args)
        self._dead()

    def yield_(self, kind: int) -> None:
        self._byte(-kind, self.ops["YIELD_VALUE"] + kind)
        self.scope.scope_flags |= S.SCOPE_FLAG_GENERATOR

    def start_except_handler(self) -> None:
        self._stack(4)

    def end_except_handler(self) -> None:
        self._stack(-3)


# ---- assembler ------------------------------------------------------------------


def _line_info(out: bytearray, bytes_to_skip: int, lines_to_skip: int) -> None:
    """py/emitbc.c emit_write_code_info_bytes_lines."""
    while bytes_to_skip > 0 or lines_to_skip > 0:
        if lines_to_skip <= 6 or bytes_to_skip > 0xF:
            # 0b0LLBBBBB
            b = min(bytes_to_skip, 0x1F)
            l = 0 if b < bytes_to_skip else min(lines_to_skip, 0x3)
            out.append(b | (l << 5))
        else:
            # 0b1LLLBBBB 0bLLLLLLLL
            b = min(bytes_to_skip, 0xF)
            l = min(lines_to_skip, 0x7FF)
            out.append(0x80 | b | ((l >> 4) & 0x70))
            out.append(l & 0xFF)
        bytes_to_skip -= b
        lines_to_skip -= l


def _prelude_sig(n_state: int, n_exc_stack: int, scope: S.Scope) -> bytes:
    """py/bc.h MP_BC_PRELUDE_SIG_ENCODE: xSSSSEAA [xFSSKAED repeated]."""
    F = scope.scope_flags & (S.SCOPE_FLAG_ALL_SIG | S.SCOPE_FLAG_ASYNC)
    A = scope.num_pos_args
    K = scope.num_kwonly_args
    D = scope.num_def_pos_args
    St = n_state - 1
    E = n_exc_stack
    out = bytearray()
    z = (St & 0xF) << 3 | (E & 1) << 2 | (A & 3)
    St >>= 4
    E >>= 1
    A >>= 2
    while St | E | F | A | K | D:
        out.append(0x80 | z)
        z = (F & 1) << 6 | (St & 3) << 4 | (K & 1) << 3 | (A & 1) << 2 | (E & 1) << 1 | (D & 1)
        St >>= 2
        E >>= 1
        F >>= 1
        A >>= 1
        K >>= 1
        D >>= 1
    out.append(z)
    return bytes(out)


def _prelude_size(n_info: int, n_cell: int) -> bytes:
    """py/bc.h MP_BC_PRELUDE_SIZE_ENCODE: xIIIIIIC repeated."""
    out = bytearray()
    while True:
        z = (n_info & 0x3F) << 1 | (n_cell & 1)
        n_cell >>= 1
        n_info >>= 6
        if n_info | n_cell:
            z |= 0x80
        out.append(z)
        if not z & 0x80:
            break
    return bytes(out)


class BytecodeOverflow(CompileError):
    pass


def cell_locals(scope, filename: str) -> bytes:
    """The local numbers of the scope's cells, one byte each in the prelude.

    py/emitbc.c mp_emit_bc_end_pass only asserts local_num <= 255 (the official
    mpy-cross aborts); a cell past local 255 is refused here with a clear error."""
    nums = [info.local_num for info in scope.id_info if info.kind == S.CELL]
    if any(n > 255 for n in nums):
        raise CompileError("a variable used by an inner function must be one of the first 256 locals",
                           filename, None, kind="RuntimeError")
    return bytes(nums)


def _compact(code: list, source_lines: bool) -> list:
    """The instruction list as the passes see it, in fewer steps: dead code
    (from I_DEAD to the next label) dropped, line entries that cannot add to
    the line info dropped (a line counts only above every line before it,
    whatever the offsets), runs of fixed bytes joined."""
    out = []
    pending = []  # fixed bytes not yet added to out
    dead = False
    last_line = 1
    for entry in code:
        kind = entry[0]
        if kind == I_CODE:
            if not dead:
                pending.append(entry[1])
            continue
        if kind == I_DEAD:
            dead = True
            continue
        if kind == I_JUMP and dead:
            continue
        if kind == I_LINE:
            if not source_lines or entry[1] <= last_line:
                continue
            last_line = entry[1]
        if pending:
            out.append((I_CODE, b"".join(pending)))
            pending = []
        if kind == I_LABEL:
            dead = False
        out.append(entry)
    if pending:
        out.append((I_CODE, b"".join(pending)))
    return out


def _certain_overflow(code: list) -> bool:
    """Whether some jump is out of the 3-byte range even with every jump at its smallest.

    Jumps only shrink the code, so distances with every jump 2 bytes are lower bounds
    of the final ones: a jump out of range there is out of range in the final pass."""
    def layout(labels):
        offset, dead = 0, False
        for entry in code:
            kind = entry[0]
            if kind == I_CODE:
                if not dead:
                    offset += len(entry[1])
            elif kind == I_JUMP:
                if dead:
                    continue
                _, _, label, signed, extra = entry
                if labels is not None:
                    rel = labels[label] - offset - 3  # as a 3-byte jump
                    if (signed and not -0x4000 <= rel <= 0x3FFF) or (not signed and rel > 0x7FFF):
                        return None
                offset += 2 + (extra is not None)
            elif kind == I_LABEL:
                dead = False
                floor[entry[1]] = offset
            elif kind == I_DEAD:
                dead = True
        return offset

    floor: dict = {}
    size = layout(None)
    if size <= 0x3FFF:
        return False  # no distance can reach the range's end
    return layout(dict(floor)) is None


def assemble(emitter: Emitter, num_labels: int, source_lines: bool, filename: str) -> Assembled:
    """Lay out one scope's code: prelude, code info, cells and bytecode.

    Reproduces the reference's pass sequence (py/compile.c mp_compile_to_raw_code,
    py/emitbc.c): one stack-size pass where every jump takes 3 bytes, one
    code-size pass, then emit passes until the sizes stop changing. A forward
    jump is sized with the label positions of the previous pass.
    """
    scope = emitter.scope
    names = emitter.code_info_names
    children = tuple(emitter.children)
    code = _compact(emitter.code, source_lines)
    labels = [0] * max(num_labels, 1)
    n_state = scope.num_locals + scope.stack_size
    if n_state == 0:
        n_state = 1
    sig = _prelude_sig(n_state, scope.exc_stack_size, scope)
    cells = cell_locals(scope, filename)
    n_cell = len(cells)

    def run(first: bool, build: bool):
        """One pass; returns (bytecode bytes or size, line info bytes)."""
        offset = 0
        dead = False
        last_line = 1
        last_line_offset = 0
        lines = bytearray()
        out = bytearray() if build else None
        overflow = False
        for entry in code:
            kind = entry[0]
            if kind == I_CODE:
                if not dead:
                    if build:
                        out += entry[1]
                    offset += len(entry[1])
            elif kind == I_JUMP:
                if dead:
                    continue
                _, op, label, signed, extra = entry
                if first:
                    size = 3
                    rel = 0
                else:
                    rel = labels[label] - offset - 2
                    if (signed and -64 <= rel <= 63) or (not signed and 0 <= rel <= 127):
                        size = 2
                    else:
                        size = 3
                        rel -= 1
                if build:
                    if size == 2:
                        out.append(op)
                        out.append(rel + 0x40 if signed else rel)
                    else:
                        if signed:
                            rel += 0x4000
                        if not 0 <= rel <= 0x7FFF:
                            overflow = True
                        out.append(op)
                        out.append(0x80 | (rel & 0x7F))
                        out.append((rel >> 7) & 0xFF)
                    if extra is not None:
                        out.append(extra)
                offset += size + (extra is not None)
            elif kind == I_LABEL:
                dead = False
                labels[entry[1]] = offset
            elif kind == I_LINE:
                line = entry[1]
                if source_lines and line > last_line:
                    skip_bytes, skip_lines = offset - last_line_offset, line - last_line
                    if skip_lines <= 3 and skip_bytes <= 0x1F:  # the usual one byte, without the call
                        lines.append(skip_bytes | skip_lines << 5)
                    else:
                        _line_info(lines, skip_bytes, skip_lines)
                    last_line_offset = offset
                    last_line = line
            else:  # I_DEAD
                dead = True
        if build:
            return out, lines, overflow
        return offset, lines

    if _certain_overflow(code):
        # the passes below would only end in this error, after as many passes as jumps
        raise BytecodeOverflow("bytecode overflow", filename, None, kind="RuntimeError")
    if not any(entry[0] == I_JUMP for entry in code):
        # only jumps change size from pass to pass: without them the first
        # pass already has the final layout (and the final line info)
        out, lines, _ = run(False, True)
        n_info = len(names) + len(lines)
        return Assembled(sig + _prelude_size(n_info, n_cell) + names + bytes(lines) + cells + bytes(out), children)
    # MP_PASS_STACK_SIZE: all jumps are 3 bytes; no prelude size yet
    _, lines = run(True, False)
    n_info_prev = len(names) + len(lines)
    # MP_PASS_CODE_SIZE
    size, lines = run(False, False)
    n_info = len(names) + len(lines)
    info_size = len(sig) + len(_prelude_size(n_info_prev, n_cell)) + n_info + n_cell
    n_info_prev = n_info
    # MP_PASS_EMIT, repeated until nothing changes size
    while True:
        out, lines, overflow = run(False, True)
        n_info = len(names) + len(lines)
        new_info_size = len(sig) + len(_prelude_size(n_info_prev, n_cell)) + n_info + n_cell
        if len(out) == size and new_info_size == info_size:
            # py/emitbc.c mp_emit_bc_end_pass: overflow only counts on the final pass
            if overflow:
                raise BytecodeOverflow("bytecode overflow", filename, None, kind="RuntimeError")
            break
        size, info_size = len(out), new_info_size
        n_info_prev = n_info
    return Assembled(sig + _prelude_size(n_info_prev, n_cell) + names + bytes(lines) + cells + bytes(out), children)
