"""The native code emitter: `@micropython.native` and `@micropython.viper` functions
as machine code (after py/emitnative.c of MicroPython 1.29).

One emitter for every architecture: it only calls the generic interface of
an assembler (`asmbase.AsmBase` subclasses, one encoder module per
architecture: `asm_x64`, ...), as py/emitnative.c calls the `ASM_*` macros.

Like the bytecode emitter this works in two steps. The code generator's emit
pass calls `NativeRecorder` with the ordinary emitter interface (py/emit.h);
the recorder keeps the calls. `assemble_native` then replays them through
`NativeEmitter` three times, as compile.c runs MP_PASS_STACK_SIZE,
MP_PASS_CODE_SIZE and MP_PASS_EMIT: the first finds the stack size, the
second the label offsets, the last writes the bytes.

The emitter keeps MicroPython's model of the Python value stack: each entry
is a value in its C-stack slot, a register or an immediate, so constants and
fresh results are only written out when something needs them settled (a
call, a jump, a label). That is what decides the exact instructions.
"""

from __future__ import annotations

from mpycross.mpy.writer import encode_uint

from . import scope as S
from .asmbase import PASS_COMPUTE, PASS_EMIT

# formats/targets.toml features that change what this emitter writes (each the py/emitnative.c
# behaviour from the release that has it; without it, the older behaviour)
RULES = (
    "dead_code_suppression",        # code after a jump or raise suppressed (before: compile.c asks last_emit_was_return_value)
    "native_locals_pyobj",          # a native (not viper) function's locals start as objects, not unbound
    "viper_load_subscr_spills_index",  # ptr[imm] frees REG_ARG_2 before using it for the address
    "viper_store_attr_converts",    # x.a = <viper int> converts the value (before: an assertion fails)
    "viper_unary_ops",              # -x and ~x on viper ints (before: "unary op %q not implemented")
    "native_prelude_index_word",    # every native function's code opens with its prelude's child-table index
    "viper_unary_op_keeps_source",  # -x / ~x computed in REG_RET, the source register left alone
    "native_throw_val_slot",        # a generator's thrown value in its own slot, not nlr.ret_val
    "native_finally_keeps_exc",     # the async-with fix: a finally entry keeps TOS on the stack
    "viper_offset_load_store",      # viper loads/stores with offset and register-indexed forms
    "native_clr_reg",               # ASM_CLR_REG per architecture (before: xor with itself)
    "arm_ldrh_offset_fixed",        # py/asmarm.c: ldrh rd, [rn, #off] without write-back, larger offsets
    "arm_large_stack_frame",        # py/asmarm.c: stack frames past 255 bytes through a register
    "thumb1_long_jumps",            # py/asmthumb.c: Thumb-1 jumps beyond b.n's range (before: 2 bytes, or "native method too big")
    "thumb_bcc_wide_fixed",         # py/asmthumb.c: the T3 conditional branch's offset bits corrected
    "rv32_temps_in_c_window",       # py/asmrv32.h: REG_TEMP0..2 are a4-a6 (before: t1-t3)
    "debug_entry_name",             # py/emitndebug.c: ENTRY(<name>, num_locals=n)
    "debug_empty_code_ok",          # py/asmbase.c: a function without data words (before: an assertion fails)
    "rv32_zero_register",           # py/emitnative.c: the handler's state cleared by storing RISC-V's x0
    "rv32_s0_saved_if_used",        # py/asmrv32.c: s0 saved only when a call uses it (before: always)
    "rv32_lower_half_unsigned",     # py/asmrv32.c: an immediate's low 12 bits stay unsigned (before: c.addi if -32..-1)
    "rv32_popcount_fixed",          # py/misc.h: the saved-register count is a popcount (before: bytes summed)
    "rv32_store_compressed",        # py/asmrv32.c: a word store in reach of c.sw is one
    "rv32_compare_by_sub",          # py/asmrv32.c: == and <= / >= without a branch (sub/sltiu, slt/xori)
    "rv32_null_local_by_zero",      # py/emitnative.c: ASM_MOV_LOCAL_MP_OBJ_NULL stores RISC-V's x0
    "rv32_index_compressed",        # py/asmrv32.c: ptr[reg] scaled by c.slli, loaded/stored by the offset emitters
    "rv32_index_kept",              # py/asmrv32.c: ptr[reg] addressed through REG_TEMP2, the index register kept
    "rv32_locals_s2_s4",            # py/asmrv32.h: REG_LOCAL_1..3 are s3, s2, s4 (before: s3, s4, s5)
    "thumb_index_kept",             # py/asmthumb.c: ptr16/ptr32[reg] scale the index into REG_TEMP2 / push it
    "xtensa_movi_n",                # py/asmxtensa.c: tiny immediates (-32..95) by movi.n
    "xtensa_const_table_if_used",   # py/asmxtensa.c: the jump over the literal table only if it has entries
    "xtensawin_const_table_if_used",  # ... and on xtensawin
    "xtensa_long_branches",         # py/asmxtensa.c: forward and far branches as an inverted branch + j
    "xtensa_load_store_offsets",    # py/asmxtensa.c: loads/stores at any offset, of every size
    "xtensa_viper_addx_index",      # py/emitnative.c: viper ptr16/ptr32[reg] by addx2/addx4
    "xtensa_viper_imm_offset",      # py/emitnative.c: viper ptr[1..255] by one Xtensa load/store (1.25 only)
    # .mpy v6 (1.19): before them the v5 emitter of 1.12 - 1.18
    "native_module_context",        # fun table, objects, children through fun_bc->context / child_table (before: per-function const tables)
    "native_qstr_table",            # qstrs loaded from REG_QSTR_TABLE (before: immediates + qstr links; 3 registers for locals)
    "native_exc_unwind_slot",       # the unwind pointer and return value in words after nlr_buf_t (before: nlr_buf_t's locals 2, 3)
    "native_star_args_one_slot",    # f(*a, **k): the stack holds the * and ** arguments as given (before: both, always)
    "viper_load_subscr_keeps_ret",  # ptr[i] spills a stack entry held in REG_RET first
    "native_settle_keeps_ret",      # settling immediates goes through REG_TEMP1, not REG_TEMP0 (REG_RET)
    "x64_high_src_regs",            # py/asmx64.c: movzx loads from a base in r8..r15 (before: an assertion)
    "x64_narrow_store_low_reg",     # py/emitnative.c: x64 byte stores from the value in REG_ARG_3, as x86
    "viper_uint_binary_ops",        # py/emitnative.c: binary ops with uint operands (before: int with int only)
    "native_pending_exc_null",      # py/emitnative.c: no pending exception is MP_OBJ_NULL (before: None)
    "native_yield_unwind_innermost",  # py/emitnative.c: a yield resumes into the innermost active handler
    "x86_stack_aligned",            # py/asmx86.c: frames and calls keep the stack 16-byte aligned
    "native_prelude_offset_fixed",  # py/emitnative.c: code_state.ip by a fixed-size immediate
    "thumb_pcrel_sxth",             # py/asmthumb.c: a PC-relative address is sign-extended (sxth)
    "xtensa_word_offsets_optimised",  # py/asmxtensa.c: word loads/stores at an offset by l32i/s32i past 15
    "thumb_word_store_any_offset",  # py/asmthumb.h: ASM_STORE_REG_REG_OFFSET reaches any offset
    "matmul_operator",              # py/runtime0.h: MP_BINARY_OP_MAT_MULTIPLY (the operator numbers after it)
    "native_fun_table_v5",          # py/nativeglue.h: mp_fun_table's order of 1.12 (before: py/runtime0.h's)
    "native_nlr_buf_target_size",   # py/emitnative.c: SIZEOF_NLR_BUF from the target's register count
    "native_prelude_sig",           # py/emitnative.c: the prelude's signature and sizes as var-length codes
    "native_sets_n_state",          # py/emitnative.c: a native function stores code_state.n_state
    "qstr_obj_shift_3",             # MP_OBJ_NEW_QSTR is qst << 3 | 2 (before: << 2), the qstr object immediates of v5
)
ALL_RULES = frozenset(RULES)


class NativeNotImplemented(Exception):
    """What py/emitnative.c refuses with mp_raise_NotImplementedError (no line, no traceback), or
    an encoder with another exception (`kind`)."""

    def __init__(self, message: str, kind: str = "NotImplementedError"):
        super().__init__(message)
        self.kind = kind


class NativeRefused(Exception):
    """Code the official compiler writes wrongly (after printing an error): refused in one line."""


class ViperTypeError(Exception):
    """A type error in viper code (raised as MicroPython's ViperTypeError): message, line or None."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.line = line


# py/nativeglue.h: mp_fun_kind_t, the slots of mp_fun_table
_FUN_KINDS = (
    "CONST_NONE_OBJ", "CONST_FALSE_OBJ", "CONST_TRUE_OBJ", "CONVERT_OBJ_TO_NATIVE",
    "CONVERT_NATIVE_TO_OBJ", "NATIVE_SWAP_GLOBALS", "LOAD_NAME", "LOAD_GLOBAL",
    "LOAD_BUILD_CLASS", "LOAD_ATTR", "LOAD_METHOD", "LOAD_SUPER_METHOD", "STORE_NAME",
    "STORE_GLOBAL", "STORE_ATTR", "OBJ_SUBSCR", "OBJ_IS_TRUE", "UNARY_OP", "BINARY_OP",
    "BUILD_TUPLE", "BUILD_LIST", "BUILD_MAP", "BUILD_SET", "STORE_SET", "LIST_APPEND",
    "STORE_MAP", "MAKE_FUNCTION_FROM_PROTO_FUN", "NATIVE_CALL_FUNCTION_N_KW",
    "CALL_METHOD_N_KW", "CALL_METHOD_N_KW_VAR", "NATIVE_GETITER", "NATIVE_ITERNEXT",
    "NLR_PUSH", "NLR_POP", "NATIVE_RAISE", "IMPORT_NAME", "IMPORT_FROM", "IMPORT_ALL",
    "NEW_SLICE", "UNPACK_SEQUENCE", "UNPACK_EX", "DELETE_NAME", "DELETE_GLOBAL",
    "NEW_CLOSURE", "ARG_CHECK_NUM_SIG", "SETUP_CODE_STATE", "SMALL_INT_FLOOR_DIVIDE",
    "SMALL_INT_MODULO", "NATIVE_YIELD_FROM", "SETJMP",
)
F = {name: i for i, name in enumerate(_FUN_KINDS)}
# before native_fun_table_v5 (1.11, py/runtime0.h): the same entries in another order, NEW_CELL
# before the closure maker, no SETJMP
_FUN_KINDS_V4 = _FUN_KINDS[:21] + ("LIST_APPEND", "BUILD_MAP", "STORE_MAP", "STORE_SET", "BUILD_SET") + \
    _FUN_KINDS[26:43] + ("NEW_CELL",) + _FUN_KINDS[43:49]
F_V4 = {name: i for i, name in enumerate(_FUN_KINDS_V4)}

# py/runtime0.h operator numbers (formats/bytecode/v6.toml keeps the same order)
_BINARY_OPS = (
    "LESS", "MORE", "EQUAL", "LESS_EQUAL", "MORE_EQUAL", "NOT_EQUAL", "IN", "IS", "EXCEPTION_MATCH",
    "INPLACE_OR", "INPLACE_XOR", "INPLACE_AND", "INPLACE_LSHIFT", "INPLACE_RSHIFT", "INPLACE_ADD",
    "INPLACE_SUBTRACT", "INPLACE_MULTIPLY", "INPLACE_MAT_MULTIPLY", "INPLACE_FLOOR_DIVIDE",
    "INPLACE_TRUE_DIVIDE", "INPLACE_MODULO", "INPLACE_POWER",
    "OR", "XOR", "AND", "LSHIFT", "RSHIFT", "ADD", "SUBTRACT", "MULTIPLY", "MAT_MULTIPLY",
    "FLOOR_DIVIDE", "TRUE_DIVIDE", "MODULO", "POWER",
)
BINARY_OP = {name: i for i, name in enumerate(_BINARY_OPS)}
# before matmul_operator (1.11): no @ and @=, the later operators one or two lower
BINARY_OP_V4 = {name: i for i, name in enumerate(op for op in _BINARY_OPS if "MAT_MULTIPLY" not in op)}
UNARY_OP = {"POSITIVE": 0, "NEGATIVE": 1, "INVERT": 2, "NOT": 3}
# py/objtype.c mp_unary_op_method_name as mpy-cross is built (no MICROPY_PY_ALL_SPECIAL_METHODS:
# +x, -x, ~x have no name, and `not` is past the table's end, where a 0 follows), so the old
# viper error reads "unary op  not implemented"
UNARY_OP_METHOD = {"POSITIVE": "", "NEGATIVE": "", "INVERT": "", "NOT": ""}

# py/obj.h: MP_OBJ_ITER_BUF_NSLOTS; py/runtime0.h MP_VM_RETURN_*
ITER_BUF_NSLOTS = 4
VM_RETURN_NORMAL, VM_RETURN_YIELD, VM_RETURN_EXCEPTION = 0, 1, 2

# py/emitglue.h MP_NATIVE_TYPE_* and the emitter's vtypes (low 4 bits = native type)
NATIVE_TYPE_OBJ, NATIVE_TYPE_BOOL, NATIVE_TYPE_INT, NATIVE_TYPE_UINT = 0, 1, 2, 3
NATIVE_TYPE_PTR, NATIVE_TYPE_PTR8, NATIVE_TYPE_PTR16, NATIVE_TYPE_PTR32 = 4, 5, 6, 7
VTYPE_PYOBJ, VTYPE_BOOL, VTYPE_INT, VTYPE_UINT = 0, 1, 2, 3
VTYPE_PTR, VTYPE_PTR8, VTYPE_PTR16, VTYPE_PTR32 = 4, 5, 6, 7
VTYPE_PTR_NONE = 0x50 | NATIVE_TYPE_PTR
VTYPE_UNBOUND = 0x60 | NATIVE_TYPE_OBJ
VTYPE_BUILTIN_CAST = 0x70 | NATIVE_TYPE_OBJ
_VTYPE_NAMES = {VTYPE_PYOBJ: "object", VTYPE_BOOL: "bool", VTYPE_INT: "int", VTYPE_UINT: "uint",
                VTYPE_PTR: "ptr", VTYPE_PTR8: "ptr8", VTYPE_PTR16: "ptr16", VTYPE_PTR32: "ptr32"}

# py/objfun.h mp_obj_fun_bc_t before native_module_context: base, globals, bytecode, const_table
OFFSETOF_OBJ_FUN_BC_GLOBALS_V5 = 1
OFFSETOF_OBJ_FUN_BC_CONST_TABLE_V5 = 3
OFFSETOF_OBJ_FUN_BC_BYTECODE_V5 = 2
OFFSETOF_STR_DATA_V5 = 3  # py/objstr.h mp_obj_str_t: base, hash, len, data

# py/runtime0.h
# (CircuitPython's numbers, its MP_SCOPE_FLAG_ASYNC being 0x10: the emitter alone reads these three)
SCOPE_FLAG_REFGLOBALS = 0x20
SCOPE_FLAG_HASCONSTS = 0x40
SCOPE_FLAG_VIPERRET_POS = 7

# py/bc.h mp_code_state_native_t, in words: fun_bc, ip, sp, n_state|exc_sp_idx, old_globals, state[]
SIZEOF_CODE_STATE = 5
OFFSETOF_CODE_STATE_STATE = 5
OFFSETOF_CODE_STATE_FUN_BC = 0
OFFSETOF_CODE_STATE_IP = 1
OFFSETOF_CODE_STATE_SP = 2
OFFSETOF_CODE_STATE_N_STATE = 3
# py/objfun.h mp_obj_fun_bc_t: base, context, child_table, bytecode
OFFSETOF_OBJ_FUN_BC_CONTEXT = 1
OFFSETOF_OBJ_FUN_BC_CHILD_TABLE = 2
OFFSETOF_OBJ_FUN_BC_BYTECODE = 3
# py/bc.h mp_module_context_t: module (base, globals), constants (qstr_table, obj_table)
OFFSETOF_MODULE_CONTEXT_QSTR_TABLE = 2
OFFSETOF_MODULE_CONTEXT_OBJ_TABLE = 3
OFFSETOF_MODULE_CONTEXT_GLOBALS = 1
NLR_BUF_IDX_RET_VAL = 1

UNWIND_LABEL_UNUSED = 0x7FFF
UNWIND_LABEL_DO_FINAL_UNWIND = 0x7FFE
MP_EMIT_BREAK_FROM_FOR = 0x8000

STACK_VALUE, STACK_REG, STACK_IMM = range(3)



class _StackInfo:
    __slots__ = ("vtype", "kind", "data")

    def __init__(self, vtype=VTYPE_UNBOUND, kind=STACK_VALUE, data=0):
        self.vtype = vtype
        self.kind = kind
        self.data = data

    def copy_from(self, other: "_StackInfo") -> None:
        self.vtype, self.kind, self.data = other.vtype, other.kind, other.data


class _ExcEntry:
    __slots__ = ("label", "is_finally", "unwind_label", "is_active")

    def __init__(self, label: int, is_finally: bool):
        self.label = label
        self.is_finally = is_finally
        self.unwind_label = UNWIND_LABEL_UNUSED
        self.is_active = True


def qualified_name(scope: S.Scope) -> str:
    """emitnative.c start_pass (N_DEBUG): the scope's name after its enclosing classes and
    functions, "C.m.g"."""
    names = [scope.simple_name]
    while scope.parent is not None and scope.parent.simple_name != "<module>":
        scope = scope.parent
        names.append(scope.simple_name)
    return ".".join(reversed(names))


# ---- recording ---------------------------------------------------------------


class NativeRecorder:
    """Stands in for the bytecode `Emitter` in a native scope's emit pass: keeps
    every call with the compiler's label counter at that moment (the emitter's
    own labels are numbered from it, py/emitnative.c `*emit->label_slot`)."""

    def __init__(self, common, scope: S.Scope, label_slot):
        self.common = common
        self.scope = scope
        self.recording = True
        self.calls: list = []
        self.children: list = []
        self.max_stack = 0
        # py/emitnative.c before 1.20: true after return_value until a call that starts with
        # emit_native_pre or pops the stack (compile.c then leaves out a jump or the final return)
        self.last_emit_was_return_value = False
        self._label_slot = label_slot

    # (and the compiler's own block/statement markers, which are no emitter calls)
    _KEEPS_LAST_EMIT = frozenset({"set_source_line", "adjust_stack_size", "start_except_handler",
                                  "end_except_handler", "unwind_jump", "block_begin", "block_end", "stmt_end"})

    def __getattr__(self, name: str):
        if name.startswith("_"):
            raise AttributeError(name)

        def record(*args):
            if name in ("make_function", "make_closure"):
                self.children.append(args[0])
            self.calls.append((name, args, self._label_slot()))
            if name == "return_value":
                self.last_emit_was_return_value = True
            elif name not in self._KEEPS_LAST_EMIT:
                self.last_emit_was_return_value = False

        return record


# ---- the emitter ---------------------------------------------------------------


class NativeEmitter:
    """py/emitnative.c for one scope, over the assembler `asm` (one pass per `run`)."""

    def __init__(self, common, scope: S.Scope, asm, do_viper_types: bool, fun_table, rules=None):
        self.common = common
        # the release's emitter rules (emitnative_target.NATIVE_RULES present in its target)
        self.rules = ALL_RULES if rules is None else rules
        self.F = F if "native_fun_table_v5" in self.rules else F_V4  # the mp_fun_table slots
        self.BINARY_OP = BINARY_OP if "matmul_operator" in self.rules else BINARY_OP_V4
        self.scope = scope
        self.as_ = asm
        self.do_viper_types = do_viper_types
        self.fun_table = fun_table
        self.pass_ = 0
        self.stack_size = 0
        self.stack_info: list[_StackInfo] = []
        self.exc_stack: list[_ExcEntry] = []
        self.local_vtype: list[int] = []
        self.saved_stack_vtype = VTYPE_PYOBJ
        self.prelude_offset = 0
        self.prelude_ptr_index = 0
        self.start_offset = 0
        self.n_info = 0
        self.n_cell = 0
        self.exit_label = 0
        self.label_slot = 0
        self.ct_cur_child = 0
        self.error: str | None = None
        a = asm
        self.sizeof_nlr_buf = 2 + a.NLR_BUF_NUM_REGS + 1  # +1: conservative, for MICROPY_ENABLE_PYSTACK
        if "native_nlr_buf_target_size" not in self.rules:
            self.sizeof_nlr_buf = 10  # (before: sizeof(nlr_buf_t) of the x86-64 mpy-cross build itself)
        # .mpy v5 (before native_module_context): each function has its own constant table,
        # [argument names (native), mp_fun_table, one object per load, children]; qstrs are
        # immediates of the build's numbers, patched at load through the qstr links
        self.v5 = "native_module_context" not in self.rules
        self.ct_cur_obj = 0
        self.ct_num_obj = 0
        self.prelude_offset_uses_u16 = False
        self.v5_objs: list = []
        self.qstr_links: list[tuple[int, str]] = []
        if "native_qstr_table" in self.rules:
            self.reg_local_table = (a.REG_LOCAL_1, a.REG_LOCAL_2)
            self.reg_generator_state = a.REG_LOCAL_2
            self.reg_qstr_table = a.REG_LOCAL_3
        else:
            self.reg_local_table = (a.REG_LOCAL_1, a.REG_LOCAL_2, a.REG_LOCAL_3)
            self.reg_generator_state = a.REG_LOCAL_3
            self.reg_qstr_table = None
        self.max_regs_for_locals = len(self.reg_local_table)
        self.reg_local_last = self.reg_local_table[-1]

    # -- predicates (emitnative.c macros) --
    def flags(self) -> int:
        return self.scope.scope_flags

    def need_fun_obj(self) -> bool:
        return self.scope.exc_stack_size > 0 or bool(self.flags() & (SCOPE_FLAG_REFGLOBALS | SCOPE_FLAG_HASCONSTS))

    def need_global_exc_handler(self) -> bool:
        return self.scope.exc_stack_size > 0 or bool(self.flags() & (S.SCOPE_FLAG_GENERATOR | SCOPE_FLAG_REFGLOBALS))

    def need_exc_handler_unwind(self) -> bool:
        return self.scope.exc_stack_size > 0

    def need_throw_val(self) -> bool:
        return bool(self.flags() & S.SCOPE_FLAG_GENERATOR)

    def can_use_regs_for_locals(self) -> bool:
        return self.scope.exc_stack_size == 0 and not self.flags() & S.SCOPE_FLAG_GENERATOR

    def is_generator(self) -> bool:
        return bool(self.flags() & S.SCOPE_FLAG_GENERATOR)

    def local_idx_exc_val(self) -> int:
        return NLR_BUF_IDX_RET_VAL

    def local_idx_exc_handler_pc(self) -> int:
        return self.as_.NLR_BUF_IDX_LOCAL_1

    def local_idx_exc_handler_unwind(self) -> int:
        if "native_exc_unwind_slot" not in self.rules:
            return self.as_.NLR_BUF_IDX_LOCAL_2
        return self.sizeof_nlr_buf + 1

    def local_idx_throw_val(self) -> int:
        if "native_throw_val_slot" not in self.rules:
            return NLR_BUF_IDX_RET_VAL  # the thrown value shared the exception slot
        return self.sizeof_nlr_buf + 2

    def local_idx_ret_val(self) -> int:
        if "native_exc_unwind_slot" not in self.rules:
            return self.as_.NLR_BUF_IDX_LOCAL_3
        return self.sizeof_nlr_buf

    def local_idx_fun_obj(self) -> int:
        return self.code_state_start + OFFSETOF_CODE_STATE_FUN_BC

    def local_idx_old_globals(self) -> int:
        return self.code_state_start + OFFSETOF_CODE_STATE_IP

    def local_idx_gen_pc(self) -> int:
        return self.code_state_start + OFFSETOF_CODE_STATE_IP

    def local_idx_local_var(self, local_num: int) -> int:
        return self.stack_start + self.n_state - 1 - local_num

    def viper_error(self, message: str) -> None:
        # EMIT_NATIVE_VIPER_TYPE_ERROR overwrites the error slot: the pass's last error stands
        self.error = message

    # -- small helpers --
    def mov_reg_const(self, reg: int, const_val: int) -> None:
        self.as_.load_reg_reg_offset(reg, self.as_.REG_FUN_TABLE, const_val)

    def mov_state_reg(self, local_num: int, reg: int) -> None:
        if self.is_generator():
            self.as_.store_reg_reg_offset(reg, self.reg_generator_state, local_num)
        else:
            self.as_.mov_local_reg(local_num, reg)

    def mov_reg_state(self, reg: int, local_num: int) -> None:
        if self.is_generator():
            self.as_.load_reg_reg_offset(reg, self.reg_generator_state, local_num)
        else:
            self.as_.mov_reg_local(reg, local_num)

    def mov_reg_state_addr(self, reg: int, local_num: int) -> None:
        if self.is_generator():
            self.as_.mov_reg_imm(reg, local_num * self.as_.word_size)
            self.as_.add_reg_reg(reg, self.reg_generator_state)
        else:
            self.as_.mov_reg_local_addr(reg, local_num)

    def qstr_number(self, qst: str) -> int:
        """The compiling build's number of a qstr (.mpy v5 keeps it in the code)."""
        self.common.use_qstr(qst)
        number = self.common.raw_qstr_ids.get(qst)
        if number is None:
            raise NativeRefused(f"the qstr {qst!r}, whose number in the official build is not known "
                                "(formats/qstr/raw_ids_*.toml)")
        return number

    def mov_reg_qstr(self, reg: int, qst: str) -> None:
        if self.reg_qstr_table is not None:
            self.as_.load16_reg_reg_offset(reg, self.reg_qstr_table, self.common.use_qstr(qst))
            return
        # ASM_MOV_REG_IMM_FIX_U16 and a qstr link of kind 1 (a 16-bit qstr number)
        loc = self.as_.mov_reg_imm_fix_u16(reg, self.qstr_number(qst))
        if self.pass_ == 3:
            self.qstr_links.append((loc << 2 | 1, qst))

    def mov_reg_qstr_obj(self, reg: int, qst: str) -> None:
        """ASM_MOV_REG_IMM_FIX_WORD of MP_OBJ_NEW_QSTR, a qstr link of kind 2 (v5)."""
        shift = 3 if "qstr_obj_shift_3" in self.rules else 2
        loc = self.as_.mov_reg_imm_fix_word(reg, self.qstr_number(qst) << shift | 2)
        if self.pass_ == 3:
            self.qstr_links.append((loc << 2 | 2, qst))

    def mov_local_obj_null(self, local_num: int, reg_temp: int) -> None:
        """ASM_MOV_LOCAL_MP_OBJ_NULL: a zero register is stored as it is, else reg_temp is cleared."""
        if self.as_.REG_ZERO is not None and "rv32_null_local_by_zero" in self.rules:
            self.as_.mov_local_reg(local_num, self.as_.REG_ZERO)
            return
        if "native_clr_reg" in self.rules:
            self.as_.clr_reg(reg_temp)
        else:
            self.as_.mov_reg_imm(reg_temp, 0)  # MP_OBJ_NULL as an immediate
        self.as_.mov_local_reg(local_num, reg_temp)

    def clr_reg(self, reg: int) -> None:
        """ASM_CLR_REG: each architecture's shortest clear; before it, xor with itself."""
        if "native_clr_reg" in self.rules:
            self.as_.clr_reg(reg)
        else:
            self.as_.xor_reg_reg(reg, reg)

    def reg_zero(self) -> int | None:
        """The REG_ZERO of the handler's state reset (RISC-V's x0 from 1.25), else None."""
        return self.as_.REG_ZERO if "rv32_zero_register" in self.rules else None

    def mov_local_cleared(self, local_num: int) -> None:
        """The global handler's state reset: REG_ZERO stored, or REG_TEMP0 cleared and stored."""
        if "native_clr_reg" in self.rules:
            self.mov_local_obj_null(local_num, self.as_.REG_TEMP0)
        elif self.reg_zero() is not None:
            self.as_.mov_local_reg(local_num, self.as_.REG_ZERO)
        else:
            self.clr_reg(self.as_.REG_TEMP0)
            self.as_.mov_local_reg(local_num, self.as_.REG_TEMP0)

    def mov_state_imm_via(self, local_num: int, imm: int, reg_temp: int) -> None:
        self.as_.mov_reg_imm(reg_temp, imm)
        self.mov_state_reg(local_num, reg_temp)

    # -- passes --
    def start_pass(self, pass_: int, label_slot: int) -> None:
        scope = self.scope
        a = self.as_
        self.pass_ = pass_
        self.stack_size = 0
        self.label_slot = label_slot
        self.ct_cur_child = 0
        # (xtensawin: the first object slot is the prelude's bytes object)
        self.prelude_as_obj = self.v5 and a.prelude_as_bytes_obj and not self.do_viper_types
        self.ct_cur_obj = 1 if self.prelude_as_obj else 0
        self.v5_objs = []
        self.qstr_links = []
        num_args = scope.num_pos_args + scope.num_kwonly_args
        if scope.scope_flags & S.SCOPE_FLAG_VARARGS:
            num_args += 1
        if scope.scope_flags & S.SCOPE_FLAG_VARKEYWORDS:
            num_args += 1
        n = max(scope.num_locals, len(self.local_vtype))
        unbound = self.do_viper_types or "native_locals_pyobj" not in self.rules
        self.local_vtype = [VTYPE_PYOBJ] * num_args + [VTYPE_UNBOUND if unbound else VTYPE_PYOBJ] * max(0, n - num_args)
        if self.do_viper_types:
            for info in scope.id_info:
                if info.flags & S.FLAG_IS_PARAM:
                    self.local_vtype[info.local_num] = info.flags >> S.FLAG_VIPER_TYPE_POS
        for si in self.stack_info:
            si.kind = STACK_VALUE
            si.vtype = VTYPE_UNBOUND

        a.start_pass(PASS_EMIT if pass_ == 3 else PASS_COMPUTE)

        self.code_state_start = 0
        if self.need_global_exc_handler():
            self.code_state_start = self.sizeof_nlr_buf
            if "native_exc_unwind_slot" in self.rules:
                self.code_state_start += 1  # the return value
                if self.need_throw_val() and "native_throw_val_slot" in self.rules:
                    self.code_state_start += 2
                elif self.need_exc_handler_unwind():
                    self.code_state_start += 1

        # v5: mp_fun_table is the const table's entry after the argument names (viper: none)
        fun_table_off = (0 if self.do_viper_types else scope.num_pos_args + scope.num_kwonly_args) if self.v5 \
            else self.common.use_const_obj(self.fun_table)
        name = qualified_name(scope)

        if self.do_viper_types:
            self.n_state = scope.num_locals + scope.stack_size
            num_locals_in_regs = 0
            if self.can_use_regs_for_locals():
                num_locals_in_regs = min(scope.num_locals, self.max_regs_for_locals)
                if scope.num_pos_args >= self.max_regs_for_locals + 1:
                    num_locals_in_regs -= 1  # REG_LOCAL_LAST holds the args array for a while
            if self.need_global_exc_handler():
                self.stack_start = self.code_state_start + 2  # function object, old globals
            elif scope.scope_flags & SCOPE_FLAG_HASCONSTS:
                self.stack_start = self.code_state_start + 1  # function object
            else:
                self.stack_start = self.code_state_start
            a.function_entry(self.stack_start + self.n_state - num_locals_in_regs, name)
            a.fetch_parent_arg(0)
            self.load_fun_table(a.REG_PARENT_ARG_1, fun_table_off)
            if self.need_fun_obj():
                a.mov_local_reg(self.local_idx_fun_obj(), a.REG_PARENT_ARG_1)
            # n_args in REG_ARG_1, n_kw in REG_ARG_2, args array in REG_LOCAL_LAST
            a.mov_reg_parent_arg(a.REG_ARG_1, 1)
            a.mov_reg_parent_arg(a.REG_ARG_2, 2)
            a.mov_reg_parent_arg(self.reg_local_last, 3)
            a.jump_if_reg_nonzero(a.REG_ARG_2, label_slot + 4, True)
            a.mov_reg_imm(a.REG_ARG_3, scope.num_pos_args)
            a.jump_if_reg_eq(a.REG_ARG_1, a.REG_ARG_3, label_slot + 5)
            a.label_assign(label_slot + 4)
            # MP_OBJ_FUN_MAKE_SIG(n_args_min, n_args_max, takes_kw)
            a.mov_reg_imm(a.REG_ARG_3, (scope.num_pos_args << 17) | (scope.num_pos_args << 1))
            a.call_ind(self.F["ARG_CHECK_NUM_SIG"])
            a.label_assign(label_slot + 5)
            for i in range(scope.num_pos_args):
                r = a.REG_ARG_1
                a.load_reg_reg_offset(a.REG_ARG_1, self.reg_local_last, i)
                if self.local_vtype[i] != VTYPE_PYOBJ:
                    self.call_with_imm_arg(self.F["CONVERT_OBJ_TO_NATIVE"], self.local_vtype[i], a.REG_ARG_2)
                    r = a.REG_RET
                if (i < self.max_regs_for_locals and self.can_use_regs_for_locals()
                        and (i != self.max_regs_for_locals - 1 or scope.num_pos_args == self.max_regs_for_locals)):
                    a.mov_reg_reg(self.reg_local_table[i], r)
                else:
                    self.mov_state_reg(self.local_idx_local_var(i), r)
            if scope.num_pos_args >= self.max_regs_for_locals + 1 and self.can_use_regs_for_locals():
                a.mov_reg_local(self.reg_local_last, self.local_idx_local_var(self.max_regs_for_locals - 1))
            self.global_exc_entry()
        else:
            self.n_state = scope.num_locals + scope.stack_size
            # first word: the index in the child table of the prelude pointer (before 1.23 only
            # a generator's; a function sets code_state.ip from the child table itself)
            if self.v5 and self.is_generator():
                # v5: the prelude's offset in the code (xtensawin: its bytes object's table index)
                num_args = scope.num_pos_args + scope.num_kwonly_args
                a.data(a.word_size, num_args + 1 if self.prelude_as_obj else self.prelude_offset)
            elif self.is_generator() or "native_prelude_index_word" in self.rules:
                a.data(a.word_size, self.prelude_ptr_index)
            if self.is_generator():
                a.data(a.word_size, self.start_offset)
                a.function_entry(self.code_state_start, name)
                self.code_state_start = 0
                self.stack_start = SIZEOF_CODE_STATE
                a.mov_reg_parent_arg(self.reg_generator_state, 0)
                a.fetch_parent_arg(1)
                a.mov_local_reg(self.local_idx_throw_val(), a.REG_PARENT_ARG_2)
                a.load_reg_reg_offset(a.REG_TEMP0, self.reg_generator_state, self.local_idx_fun_obj())
                if self.v5:
                    a.load_reg_reg_offset(a.REG_TEMP0, a.REG_TEMP0, OFFSETOF_OBJ_FUN_BC_CONST_TABLE_V5)
                else:
                    a.load_reg_reg_offset(a.REG_TEMP0, a.REG_TEMP0, OFFSETOF_OBJ_FUN_BC_CONTEXT)
                    a.load_reg_reg_offset(self.reg_qstr_table, a.REG_TEMP0, OFFSETOF_MODULE_CONTEXT_QSTR_TABLE)
                    a.load_reg_reg_offset(a.REG_TEMP0, a.REG_TEMP0, OFFSETOF_MODULE_CONTEXT_OBJ_TABLE)
                a.load_reg_reg_offset(a.REG_FUN_TABLE, a.REG_TEMP0, fun_table_off)
            else:
                self.stack_start = self.code_state_start + SIZEOF_CODE_STATE
                a.function_entry(self.stack_start + self.n_state, name)
                for arg_num in range(4):
                    a.fetch_parent_arg(arg_num)
                self.load_fun_table(a.REG_PARENT_ARG_1, fun_table_off)
                a.mov_local_reg(self.local_idx_fun_obj(), a.REG_PARENT_ARG_1)
                if self.prelude_as_obj:
                    # code_state.ip = prelude bytes' data - fun_bc->bytecode (REG_LOCAL_3: the const table)
                    a.load_reg_reg_offset(a.REG_LOCAL_3, a.REG_LOCAL_3, scope.num_pos_args + scope.num_kwonly_args + 1)
                    a.load_reg_reg_offset(a.REG_LOCAL_3, a.REG_LOCAL_3, OFFSETOF_STR_DATA_V5)
                    a.load_reg_reg_offset(a.REG_PARENT_ARG_1, a.REG_PARENT_ARG_1, OFFSETOF_OBJ_FUN_BC_BYTECODE_V5)
                    a.sub_reg_reg(a.REG_LOCAL_3, a.REG_PARENT_ARG_1)
                    self.mov_state_reg(self.code_state_start + OFFSETOF_CODE_STATE_IP, a.REG_LOCAL_3)
                elif self.v5:
                    # code_state.ip: the prelude's offset as an immediate; its encoding is chosen in
                    # the code-size pass (from the stack-size pass's offset), wide past 32767
                    if pass_ == 2:
                        self.prelude_offset_uses_u16 = self.prelude_offset < 32768
                    if "native_prelude_offset_fixed" not in self.rules:
                        # (before: ASM_MOV_REG_IMM, whose size follows the previous pass's offset)
                        a.mov_reg_imm(a.REG_PARENT_ARG_1, self.prelude_offset)
                    elif self.prelude_offset_uses_u16:
                        a.mov_reg_imm_fix_u16(a.REG_PARENT_ARG_1, self.prelude_offset)
                    else:
                        a.mov_reg_imm_fix_word(a.REG_PARENT_ARG_1, self.prelude_offset)
                    self.mov_state_reg(self.code_state_start + OFFSETOF_CODE_STATE_IP, a.REG_PARENT_ARG_1)
                elif "native_prelude_index_word" not in self.rules:
                    # code_state.ip: the prelude pointer, child_table itself or child_table[index]
                    a.load_reg_reg_offset(a.REG_PARENT_ARG_1, a.REG_PARENT_ARG_1, OFFSETOF_OBJ_FUN_BC_CHILD_TABLE)
                    if self.prelude_ptr_index != 0:
                        a.load_reg_reg_offset(a.REG_PARENT_ARG_1, a.REG_PARENT_ARG_1, self.prelude_ptr_index)
                    self.mov_state_reg(self.code_state_start + OFFSETOF_CODE_STATE_IP, a.REG_PARENT_ARG_1)
                # n_state is a uint16_t: a word store works on little-endian targets
                if "native_sets_n_state" in self.rules:
                    self.mov_state_imm_via(self.code_state_start + OFFSETOF_CODE_STATE_N_STATE, self.n_state,
                                           a.REG_ARG_1)
                a.mov_reg_local_addr(a.REG_ARG_1, self.code_state_start)
                # the caller's args 2..4 go on to mp_setup_code_state (windowed ABIs: other registers)
                for reg, parent in ((a.REG_ARG_2, a.REG_PARENT_ARG_2), (a.REG_ARG_3, a.REG_PARENT_ARG_3),
                                    (a.REG_ARG_4, a.REG_PARENT_ARG_4)):
                    if not a.same_when_built(reg, parent):
                        a.mov_reg_reg(reg, parent)
                a.call_setup_code_state(self.F["SETUP_CODE_STATE"])
            self.global_exc_entry()
            if self.can_use_regs_for_locals():
                for i in range(min(self.max_regs_for_locals, scope.num_locals)):
                    a.mov_reg_local(self.reg_local_table[i], self.local_idx_local_var(i))
            for info in scope.id_info:
                if info.kind == S.CELL:
                    self.local_vtype[info.local_num] = VTYPE_PYOBJ

    def load_fun_table(self, fun_obj_reg: int, fun_table_off: int) -> None:
        """REG_FUN_TABLE = mp_fun_table, from the function object in fun_obj_reg."""
        a = self.as_
        if self.v5:
            # through REG_LOCAL_3, which then holds the const table (a viper function's args after)
            a.load_reg_reg_offset(a.REG_LOCAL_3, fun_obj_reg, OFFSETOF_OBJ_FUN_BC_CONST_TABLE_V5)
            a.load_reg_reg_offset(a.REG_FUN_TABLE, a.REG_LOCAL_3, fun_table_off)
            return
        a.load_reg_reg_offset(a.REG_FUN_TABLE, fun_obj_reg, OFFSETOF_OBJ_FUN_BC_CONTEXT)
        a.load_reg_reg_offset(self.reg_qstr_table, a.REG_FUN_TABLE, OFFSETOF_MODULE_CONTEXT_QSTR_TABLE)
        a.load_reg_reg_offset(a.REG_FUN_TABLE, a.REG_FUN_TABLE, OFFSETOF_MODULE_CONTEXT_OBJ_TABLE)
        a.load_reg_reg_offset(a.REG_FUN_TABLE, a.REG_FUN_TABLE, fun_table_off)

    def end_pass(self) -> None:
        a = self.as_
        scope = self.scope
        self.global_exc_exit()
        if not self.do_viper_types and "native_prelude_sig" not in self.rules:
            # .mpy v4 (1.11): n_state as two 7-bit bytes, n_exc_stack 0, the scope's flags, the
            # argument counts, a 5-byte code info (its size, the build's name and file numbers),
            # the cells and a 255 sentinel
            self.prelude_offset = a.code_pos()
            n_state = max(self.n_state, 1)
            a.write(bytes((0x80 | ((n_state >> 7) & 0x7F), n_state & 0x7F, 0, v4_scope_flags(scope.scope_flags) & 0xFF,
                           scope.num_pos_args, scope.num_kwonly_args, scope.num_def_pos_args, 5)))
            a.data(2, self.qstr_number(scope.simple_name))
            a.data(2, self.qstr_number(self.common.source_file))
            for info in scope.id_info:
                if info.kind == S.CELL:
                    a.data(1, info.local_num)
            a.data(1, 255)
        elif not self.do_viper_types:
            self.prelude_offset = a.code_pos()
            self.prelude_ptr_index = self.ct_cur_child
            # the bytecode prelude: signature and sizes (py/bc.h), names, cells
            from .emitbc import _prelude_sig as prelude_signature, _prelude_size as prelude_size

            # (n_state is 0 only in the first pass, whose bytes are thrown away)
            saved = scope.scope_flags
            # REFGLOBALS etc. are not part of the signature; CircuitPython's async flag is
            scope.scope_flags &= S.SCOPE_FLAG_ALL_SIG | S.SCOPE_FLAG_ASYNC
            try:
                a.write(prelude_signature(max(self.n_state, 1), 0, scope))
            finally:
                scope.scope_flags = saved
            if self.v5:
                # the build's 16-bit numbers of the name and the source file (the argument names
                # are in the const table)
                a.write(prelude_size(4, self.n_cell))
                a.data(2, self.qstr_number(scope.simple_name))
                a.data(2, self.qstr_number(self.common.source_file))
            else:
                a.write(prelude_size(self.n_info, self.n_cell))
                info_start = a.code_pos()
                a.write(encode_uint(self.common.use_qstr(scope.simple_name)))
                for qst in scope.param_names():
                    a.write(encode_uint(self.common.use_qstr(qst)))
                self.n_info = a.code_pos() - info_start
            cell_start = a.code_pos()
            for info in scope.id_info:
                if info.kind == S.CELL:
                    a.data(1, info.local_num)
            self.n_cell = a.code_pos() - cell_start
            if self.prelude_as_obj and self.pass_ == 3:
                self.v5_objs.insert(0, bytes(a.code[self.prelude_offset:a.code_pos()]))
        a.end_pass()
        self.ct_num_obj = self.ct_cur_obj
        if self.stack_size != 0 or self.exc_stack:
            raise AssertionError("native emitter: stack not back to empty")

    # -- the value stack --
    def ensure(self, n: int) -> None:
        while len(self.stack_info) < self.stack_size + n:
            self.stack_info.append(_StackInfo())

    def adjust_stack(self, delta: int) -> None:
        if self.stack_size + delta < 0:
            # (async with in native code before 1.24's finally rules)
            raise NativeRefused("native code whose value stack would go below empty, where the official "
                                "mpy-cross aborts on an internal assertion")
        self.stack_size += delta
        if self.pass_ > 0 and self.stack_size > self.scope.stack_size:
            self.scope.stack_size = self.stack_size

    def adjust_stack_size(self, delta: int) -> None:
        if delta > 0:
            self.ensure(delta)
        for i in range(delta):
            si = self.stack_info[self.stack_size + i]
            si.kind = STACK_VALUE
            # emitnative.c: a hack for multi-comparisons; the vtype is not known here
            si.vtype = self.saved_stack_vtype if delta == 1 else VTYPE_PYOBJ
        self.adjust_stack(delta)

    def set_source_line(self, line: int) -> None:
        pass

    def peek_stack(self, depth: int) -> _StackInfo:
        return self.stack_info[self.stack_size - 1 - depth]

    def peek_vtype(self, depth: int) -> int:
        return self.peek_stack(depth).vtype if self.do_viper_types else VTYPE_PYOBJ

    def need_reg_single(self, reg_needed: int, skip_stack_pos: int) -> None:
        skip = self.stack_size - skip_stack_pos
        for i in range(self.stack_size):
            if i != skip:
                si = self.stack_info[i]
                if si.kind == STACK_REG and si.data == reg_needed:
                    si.kind = STACK_VALUE
                    self.mov_state_reg(self.stack_start + i, si.data)

    def need_reg_all(self) -> None:
        for i in range(self.stack_size):
            si = self.stack_info[i]
            if si.kind == STACK_REG:
                si.kind = STACK_VALUE
                self.mov_state_reg(self.stack_start + i, si.data)

    def load_reg_stack_imm(self, reg: int, si: _StackInfo, convert_to_pyobj: bool) -> int:
        a = self.as_
        if not convert_to_pyobj and self.do_viper_types:
            a.mov_reg_imm(reg, si.data)
            return si.vtype
        if si.vtype == VTYPE_PYOBJ:
            a.mov_reg_imm(reg, si.data)
        elif si.vtype == VTYPE_BOOL:
            self.mov_reg_const(reg, self.F["CONST_FALSE_OBJ"] + si.data)
        elif si.vtype in (VTYPE_INT, VTYPE_UINT):
            a.mov_reg_imm(reg, (si.data << 1) | 1)  # MP_OBJ_NEW_SMALL_INT
        elif si.vtype == VTYPE_PTR_NONE:
            self.mov_reg_const(reg, self.F["CONST_NONE_OBJ"])
        else:
            raise NativeNotImplemented("conversion to object")
        return VTYPE_PYOBJ

    def need_stack_settled(self) -> None:
        self.need_reg_all()
        for i in range(self.stack_size):
            si = self.stack_info[i]
            if si.kind == STACK_IMM:
                si.kind = STACK_VALUE
                # REG_TEMP1, so that REG_TEMP0 (REG_RET) survives (before the rule: through REG_TEMP0)
                reg = self.as_.REG_TEMP1 if "native_settle_keeps_ret" in self.rules else self.as_.REG_TEMP0
                si.vtype = self.load_reg_stack_imm(reg, si, False)
                self.mov_state_reg(self.stack_start + i, reg)

    def access_stack(self, pos: int, reg_dest: int) -> int:
        self.need_reg_single(reg_dest, pos)
        si = self.stack_info[self.stack_size - pos]
        vtype = si.vtype
        if si.kind == STACK_VALUE:
            self.mov_reg_state(reg_dest, self.stack_start + self.stack_size - pos)
        elif si.kind == STACK_REG:
            if si.data != reg_dest:
                self.as_.mov_reg_reg(reg_dest, si.data)
        else:
            vtype = self.load_reg_stack_imm(reg_dest, si, False)
        return vtype

    def fold_stack_top(self, reg_dest: int) -> None:
        """X = pop(); discard(); push(X)."""
        lower = self.stack_info[self.stack_size - 2]
        lower.copy_from(self.stack_info[self.stack_size - 1])
        if lower.kind == STACK_VALUE:
            self.mov_reg_state(reg_dest, self.stack_start + self.stack_size - 1)
            lower.kind = STACK_REG
            lower.data = reg_dest
        self.adjust_stack(-1)

    def pre_pop_reg_flexible(self, reg_dest: int, not_r1: int, not_r2: int) -> tuple[int, int]:
        si = self.peek_stack(0)
        if si.kind == STACK_REG and si.data != not_r1 and si.data != not_r2:
            vtype, reg_dest = si.vtype, si.data
            self.need_reg_single(reg_dest, 1)
        else:
            vtype = self.access_stack(1, reg_dest)
        self.adjust_stack(-1)
        return vtype, reg_dest

    def pre_pop_discard(self) -> None:
        self.adjust_stack(-1)

    def pre_pop_reg(self, reg_dest: int) -> int:
        vtype = self.access_stack(1, reg_dest)
        self.adjust_stack(-1)
        return vtype

    def post_top_set_vtype(self, vtype: int) -> None:
        self.stack_info[self.stack_size - 1].vtype = vtype

    def post_push_reg(self, vtype: int, reg: int) -> None:
        self.ensure(1)
        si = self.stack_info[self.stack_size]
        si.vtype, si.kind, si.data = vtype, STACK_REG, reg
        self.adjust_stack(1)

    def post_push_imm(self, vtype: int, imm: int) -> None:
        self.ensure(1)
        si = self.stack_info[self.stack_size]
        si.vtype, si.kind, si.data = vtype, STACK_IMM, imm
        self.adjust_stack(1)

    def call(self, fun_kind: int) -> None:
        self.need_reg_all()
        self.as_.call_ind(fun_kind)

    def call_with_imm_arg(self, fun_kind: int, arg_val: int, arg_reg: int) -> None:
        self.need_reg_all()
        self.as_.mov_reg_imm(arg_reg, arg_val)
        self.as_.call_ind(fun_kind)

    def call_with_2_imm_args(self, fun_kind: int, val1: int, reg1: int, val2: int, reg2: int) -> None:
        self.need_reg_all()
        self.as_.mov_reg_imm(reg1, val1)
        self.as_.mov_reg_imm(reg2, val2)
        self.as_.call_ind(fun_kind)

    def call_with_qstr_arg(self, fun_kind: int, qst: str, arg_reg: int) -> None:
        self.need_reg_all()
        self.mov_reg_qstr(arg_reg, qst)
        self.as_.call_ind(fun_kind)

    def get_stack_pointer_to_reg_for_pop(self, reg_dest: int, n_pop: int) -> None:
        a = self.as_
        self.need_reg_all()
        for i in range(n_pop):
            si = self.stack_info[self.stack_size - 1 - i]
            if si.kind == STACK_IMM:
                si.kind = STACK_VALUE
                si.vtype = self.load_reg_stack_imm(reg_dest, si, True)
                self.mov_state_reg(self.stack_start + self.stack_size - 1 - i, reg_dest)
        for i in range(n_pop):
            si = self.stack_info[self.stack_size - 1 - i]
            if si.vtype != VTYPE_PYOBJ:
                local_num = self.stack_start + self.stack_size - 1 - i
                self.mov_reg_state(a.REG_ARG_1, local_num)
                self.call_with_imm_arg(self.F["CONVERT_NATIVE_TO_OBJ"], si.vtype, a.REG_ARG_2)
                self.mov_state_reg(local_num, a.REG_RET)
                si.vtype = VTYPE_PYOBJ
        self.adjust_stack(-n_pop)
        self.mov_reg_state_addr(reg_dest, self.stack_start + self.stack_size)

    def get_stack_pointer_to_reg_for_push(self, reg_dest: int, n_push: int) -> None:
        self.need_reg_all()
        self.ensure(n_push)
        for i in range(n_push):
            si = self.stack_info[self.stack_size + i]
            si.kind, si.vtype = STACK_VALUE, VTYPE_PYOBJ
        self.mov_reg_state_addr(reg_dest, self.stack_start + self.stack_size)
        self.adjust_stack(n_push)

    # -- exception handler stack --
    def push_exc_stack(self, label: int, is_finally: bool) -> None:
        self.exc_stack.append(_ExcEntry(label, is_finally))
        self.as_.mov_reg_pcrel(self.as_.REG_RET, label)
        self.as_.mov_local_reg(self.local_idx_exc_handler_pc(), self.as_.REG_RET)

    def leave_exc_stack(self, start_of_handler: bool) -> None:
        a = self.as_
        self.exc_stack[-1].is_active = False
        active = [e for e in self.exc_stack[:-1] if e.is_active]
        if not active:
            if start_of_handler:
                return  # the global handler has cleared the handler PC already
            self.clr_reg(a.REG_RET)
        else:
            a.mov_reg_pcrel(a.REG_RET, active[-1].label)
        a.mov_local_reg(self.local_idx_exc_handler_pc(), a.REG_RET)

    def pop_exc_stack(self) -> _ExcEntry:
        return self.exc_stack.pop()

    # -- constants and children --
    def load_reg_with_object(self, reg: int, obj) -> None:
        a = self.as_
        if self.v5:
            # a new slot per load, after mp_fun_table (and a native function's argument names)
            table_off = 1 + self.ct_cur_obj
            self.ct_cur_obj += 1
            if self.pass_ == 3:
                self.v5_objs.append(obj)
            self.load_reg_with_v5_entry(reg, table_off)
            return
        self.scope.scope_flags |= SCOPE_FLAG_HASCONSTS
        table_off = self.common.use_const_obj(obj)
        self.mov_reg_state(a.REG_TEMP0, self.local_idx_fun_obj())
        a.load_reg_reg_offset(a.REG_TEMP0, a.REG_TEMP0, OFFSETOF_OBJ_FUN_BC_CONTEXT)
        a.load_reg_reg_offset(a.REG_TEMP0, a.REG_TEMP0, OFFSETOF_MODULE_CONTEXT_OBJ_TABLE)
        a.load_reg_reg_offset(reg, a.REG_TEMP0, table_off)

    def load_reg_with_v5_entry(self, reg: int, table_off: int) -> None:
        a = self.as_
        if not self.do_viper_types:
            table_off += self.scope.num_pos_args + self.scope.num_kwonly_args
        self.mov_reg_state(a.REG_TEMP0, self.local_idx_fun_obj())
        a.load_reg_reg_offset(a.REG_TEMP0, a.REG_TEMP0, OFFSETOF_OBJ_FUN_BC_CONST_TABLE_V5)
        a.load_reg_reg_offset(reg, a.REG_TEMP0, table_off)

    def load_reg_with_child(self, reg: int) -> None:
        a = self.as_
        table_off = self.ct_cur_child
        self.ct_cur_child += 1
        if self.v5:
            # the children follow the objects (counted in the previous pass)
            self.load_reg_with_v5_entry(reg, 1 + self.ct_num_obj + table_off)
            return
        self.mov_reg_state(a.REG_TEMP0, self.local_idx_fun_obj())
        a.load_reg_reg_offset(a.REG_TEMP0, a.REG_TEMP0, OFFSETOF_OBJ_FUN_BC_CHILD_TABLE)
        a.load_reg_reg_offset(reg, a.REG_TEMP0, table_off)

    # -- the emit interface (py/emit.h) --
    def label_assign(self, label: int) -> None:
        is_finally = False
        if self.exc_stack:
            e = self.exc_stack[-1]
            is_finally = e.is_finally and e.label == label
        if is_finally:
            # start of a finally handler: keep TOS in the exception slot (before the async-with
            # fix it was popped, and end_except_handler dropped the exception instead)
            if "native_finally_keeps_exc" in self.rules:
                self.access_stack(1, self.as_.REG_TEMP0)
            else:
                self.pre_pop_reg(self.as_.REG_TEMP0)
            self.as_.mov_local_reg(self.local_idx_exc_val(), self.as_.REG_TEMP0)
        self.need_stack_settled()  # code may jump here from elsewhere
        self.as_.label_assign(label)
        if is_finally:
            self.leave_exc_stack(False)

    def global_exc_entry(self) -> None:
        a = self.as_
        self.exit_label = self.label_slot
        if not self.need_global_exc_handler():
            return
        nlr_label = self.label_slot + 1
        start_label = self.label_slot + 2
        global_except_label = self.label_slot + 3
        gen = self.is_generator()
        if not gen:
            # set the function's globals; keep the old ones (NULL if unchanged)
            self.mov_reg_state(a.REG_ARG_1, self.local_idx_fun_obj())
            if self.v5:
                a.load_reg_reg_offset(a.REG_ARG_1, a.REG_ARG_1, OFFSETOF_OBJ_FUN_BC_GLOBALS_V5)
            else:
                a.load_reg_reg_offset(a.REG_ARG_1, a.REG_ARG_1, OFFSETOF_OBJ_FUN_BC_CONTEXT)
                a.load_reg_reg_offset(a.REG_ARG_1, a.REG_ARG_1, OFFSETOF_MODULE_CONTEXT_GLOBALS)
            self.call(self.F["NATIVE_SWAP_GLOBALS"])
            self.mov_state_reg(self.local_idx_old_globals(), a.REG_RET)
        if self.scope.exc_stack_size == 0:
            if not gen:
                a.jump_if_reg_zero(a.REG_RET, start_label, False)  # globals unchanged: no nlr context
            a.mov_reg_local_addr(a.REG_ARG_1, 0)
            self.call(self.F["NLR_PUSH"])
            if a.nlr_setjmp:
                a.mov_reg_local_addr(a.REG_ARG_1, 2)
                self.call(self.F["SETJMP"])
            a.jump_if_reg_zero(a.REG_RET, start_label, True)
        else:
            self.mov_local_cleared(self.local_idx_exc_handler_unwind())
            if "native_finally_keeps_exc" in self.rules:
                # nlr.ret_val goes to mp_native_raise even without an exception: clear it
                a.mov_local_reg(self.local_idx_exc_val(), a.REG_TEMP0 if self.reg_zero() is None else a.REG_ZERO)
            a.mov_reg_pcrel(a.REG_LOCAL_1, start_label)
            self.label_assign(nlr_label)
            in_nlr_buf = "native_exc_unwind_slot" not in self.rules
            if in_nlr_buf:
                # the unwind pointer is nlr_buf_t's REG_LOCAL_2 word: kept in that register over nlr_push
                a.mov_reg_local(a.REG_LOCAL_2, self.local_idx_exc_handler_unwind())
            a.mov_reg_local_addr(a.REG_ARG_1, 0)
            self.call(self.F["NLR_PUSH"])
            if a.nlr_setjmp:
                a.mov_reg_local_addr(a.REG_ARG_1, 2)
                self.call(self.F["SETJMP"])
            if in_nlr_buf:
                a.mov_local_reg(self.local_idx_exc_handler_unwind(), a.REG_LOCAL_2)
            a.jump_if_reg_nonzero(a.REG_RET, global_except_label, True)
            self.mov_local_cleared(self.local_idx_exc_handler_pc())
            a.jump_reg(a.REG_LOCAL_1)
            self.label_assign(global_except_label)
            if a.nlr_setjmp and self.v5:
                # longjmp may clobber REG_FUN_TABLE: reloaded (at the argument count, viper too)
                self.mov_reg_state(a.REG_LOCAL_1, self.local_idx_fun_obj())
                a.load_reg_reg_offset(a.REG_LOCAL_1, a.REG_LOCAL_1, OFFSETOF_OBJ_FUN_BC_CONST_TABLE_V5)
                a.load_reg_reg_offset(a.REG_FUN_TABLE, a.REG_LOCAL_1, self.scope.num_pos_args + self.scope.num_kwonly_args)
            a.mov_reg_local(a.REG_LOCAL_1, self.local_idx_exc_handler_pc())
            a.jump_if_reg_nonzero(a.REG_LOCAL_1, nlr_label, False)
        if not gen:
            self.mov_reg_state(a.REG_ARG_1, self.local_idx_old_globals())
            self.call(self.F["NATIVE_SWAP_GLOBALS"])
        if gen:
            a.mov_reg_local(a.REG_TEMP0, self.local_idx_exc_val())
            a.store_reg_reg_offset(a.REG_TEMP0, self.reg_generator_state, OFFSETOF_CODE_STATE_STATE)
            a.mov_reg_imm(a.REG_PARENT_RET, VM_RETURN_EXCEPTION)
            a.exit()
        else:
            a.mov_reg_local(a.REG_ARG_1, self.local_idx_exc_val())
            self.call(self.F["NATIVE_RAISE"])
        self.label_assign(start_label)
        if gen:
            self.mov_reg_state(a.REG_TEMP0, self.local_idx_gen_pc())
            a.jump_reg(a.REG_TEMP0)
            self.start_offset = a.code_pos()
            a.mov_reg_local(a.REG_ARG_1, self.local_idx_throw_val())
            if "native_throw_val_slot" in self.rules:
                self.mov_local_obj_null(self.local_idx_throw_val(), a.REG_ARG_2)
            self.call(self.F["NATIVE_RAISE"])

    def global_exc_exit(self) -> None:
        a = self.as_
        self.label_assign(self.exit_label)
        if self.need_global_exc_handler():
            gen = self.is_generator()
            if not gen:
                self.mov_reg_state(a.REG_ARG_1, self.local_idx_old_globals())
                if self.scope.exc_stack_size == 0:
                    a.jump_if_reg_zero(a.REG_ARG_1, self.exit_label + 1, False)
                self.call(self.F["NATIVE_SWAP_GLOBALS"])
            self.call(self.F["NLR_POP"])
            if not gen and self.scope.exc_stack_size == 0:
                self.label_assign(self.exit_label + 1)
            a.mov_reg_local(a.REG_PARENT_RET, self.local_idx_ret_val())
        a.exit()

    def import_(self, qst, kind: int) -> None:
        a = self.as_
        if kind == 0:  # IMPORT_NAME: fromlist and level are objects, whatever viper thinks
            viper = self.do_viper_types
            self.do_viper_types = False
            self.pre_pop_reg(a.REG_ARG_2)
            self.pre_pop_reg(a.REG_ARG_3)
            self.do_viper_types = viper
            self.call_with_qstr_arg(self.F["IMPORT_NAME"], qst, a.REG_ARG_1)
            self.post_push_reg(VTYPE_PYOBJ, a.REG_RET)
        elif kind == 1:  # IMPORT_FROM
            self.access_stack(1, a.REG_ARG_1)
            self.call_with_qstr_arg(self.F["IMPORT_FROM"], qst, a.REG_ARG_2)
            self.post_push_reg(VTYPE_PYOBJ, a.REG_RET)
        else:
            self.pre_pop_reg(a.REG_ARG_1)
            self.call(self.F["IMPORT_ALL"])

    def load_const_tok(self, value) -> None:
        if value is Ellipsis:
            self.load_const_obj(Ellipsis)
        elif value is None:
            self.post_push_imm(VTYPE_PTR_NONE, 0)
        else:
            self.post_push_imm(VTYPE_BOOL, 1 if value else 0)

    def load_const_small_int(self, value: int) -> None:
        self.post_push_imm(VTYPE_INT, value)

    def load_const_str(self, qst: str) -> None:
        a = self.as_
        self.need_reg_single(a.REG_TEMP0, 0)
        if self.reg_qstr_table is None:
            self.mov_reg_qstr_obj(a.REG_TEMP0, qst)  # the qstr object as an immediate
        else:
            self.load_reg_with_object(a.REG_TEMP0, qst)  # MP_OBJ_NEW_QSTR: a str in the table
        self.post_push_reg(VTYPE_PYOBJ, a.REG_TEMP0)

    def load_const_obj(self, obj) -> None:
        a = self.as_
        if self.v5:
            self.scope.scope_flags |= SCOPE_FLAG_HASCONSTS
        self.need_reg_single(a.REG_TEMP0, 0)
        self.load_reg_with_object(a.REG_TEMP0, obj)
        self.post_push_reg(VTYPE_PYOBJ, a.REG_TEMP0)

    def load_null(self) -> None:
        self.post_push_imm(VTYPE_PYOBJ, 0)

    def load_fast(self, qst: str, local_num: int) -> None:
        a = self.as_
        vtype = self.local_vtype[local_num]
        if vtype == VTYPE_UNBOUND:
            self.viper_error(f"local '{qst}' used before type known")
        if local_num < self.max_regs_for_locals and self.can_use_regs_for_locals():
            self.post_push_reg(vtype, self.reg_local_table[local_num])
        else:
            self.need_reg_single(a.REG_TEMP0, 0)
            self.mov_reg_state(a.REG_TEMP0, self.local_idx_local_var(local_num))
            self.post_push_reg(vtype, a.REG_TEMP0)

    def load_deref(self, qst: str, local_num: int) -> None:
        a = self.as_
        self.need_reg_single(a.REG_RET, 0)
        self.load_fast(qst, local_num)
        _, reg_base = self.pre_pop_reg_flexible(a.REG_RET, -1, -1)
        a.load_reg_reg_offset(a.REG_RET, reg_base, 1)
        self.post_push_reg(VTYPE_PYOBJ, a.REG_RET)

    def load_local(self, qst: str, local_num: int, kind: int) -> None:
        if kind == 0:
            self.load_fast(qst, local_num)
        else:
            self.load_deref(qst, local_num)

    def load_global(self, qst: str, kind: int) -> None:
        a = self.as_
        if kind == 1 and self.do_viper_types:
            native_type = native_type_from_qstr(qst)
            if native_type is not None and native_type >= NATIVE_TYPE_BOOL:
                self.post_push_imm(VTYPE_BUILTIN_CAST, native_type)
                return
        self.call_with_qstr_arg(self.F["LOAD_NAME"] + kind, qst, a.REG_ARG_1)
        self.post_push_reg(VTYPE_PYOBJ, a.REG_RET)

    def load_method(self, qst: str, is_super: bool) -> None:
        a = self.as_
        if is_super:
            self.get_stack_pointer_to_reg_for_pop(a.REG_ARG_2, 3)
            self.get_stack_pointer_to_reg_for_push(a.REG_ARG_2, 2)
            self.call_with_qstr_arg(self.F["LOAD_SUPER_METHOD"], qst, a.REG_ARG_1)
        else:
            self.pre_pop_reg(a.REG_ARG_1)
            self.get_stack_pointer_to_reg_for_push(a.REG_ARG_3, 2)
            self.call_with_qstr_arg(self.F["LOAD_METHOD"], qst, a.REG_ARG_2)

    def load_build_class(self) -> None:
        self.call(self.F["LOAD_BUILD_CLASS"])
        self.post_push_reg(VTYPE_PYOBJ, self.as_.REG_RET)

    def _to_obj_arg(self, reg_when_obj: int, reg_native: int, target: int) -> None:
        """Pop TOS into `target` as an object (converting a viper value)."""
        a = self.as_
        vtype = self.peek_vtype(0)
        if vtype == VTYPE_PYOBJ:
            self.pre_pop_reg(reg_when_obj)
        else:
            self.pre_pop_reg(reg_native)
            self.call_with_imm_arg(self.F["CONVERT_NATIVE_TO_OBJ"], vtype, a.REG_ARG_2)
            a.mov_reg_reg(target, a.REG_RET)

    def subscr(self, kind: int) -> None:
        a = self.as_
        if kind == 0:
            self._load_subscr()
        elif kind == 1:
            self._store_subscr()
        else:
            self.pre_pop_reg(a.REG_ARG_2)
            self.pre_pop_reg(a.REG_ARG_1)
            self.call_with_imm_arg(self.F["OBJ_SUBSCR"], 0, a.REG_ARG_3)  # MP_OBJ_NULL: delete

    # viper pointers: (load with an offset in elements, store with one) by element size
    _PTR_OPS = {VTYPE_PTR8: ("load8_reg_reg_offset", "store8_reg_reg_offset", 0),
                VTYPE_PTR16: ("load16_reg_reg_offset", "store16_reg_reg_offset", 1),
                VTYPE_PTR32: ("load32_reg_reg_offset", "store32_reg_reg_offset", 2)}

    def _load_subscr(self) -> None:
        a = self.as_
        vtype_base = self.peek_vtype(1)
        if vtype_base == VTYPE_PYOBJ:
            self._to_obj_arg(a.REG_ARG_2, a.REG_ARG_1, a.REG_ARG_2)
            self.pre_pop_reg(a.REG_ARG_1)
            self.call_with_imm_arg(self.F["OBJ_SUBSCR"], 4, a.REG_ARG_3)  # MP_OBJ_SENTINEL: load
            self.post_push_reg(VTYPE_PYOBJ, a.REG_RET)
            return
        top = self.peek_stack(0)
        offsets = "viper_offset_load_store" in self.rules
        if top.vtype == VTYPE_INT and top.kind == STACK_IMM:
            index_value = top.data
            self.pre_pop_discard()
            vtype_base, reg_base = self.pre_pop_reg_flexible(a.REG_ARG_1, a.REG_ARG_2, a.REG_ARG_2)
            if "viper_load_subscr_keeps_ret" in self.rules:
                self.need_reg_single(a.REG_RET, 0)
            ops = self._PTR_OPS.get(vtype_base)
            if ops is None:
                self.viper_error(f"can't load from '{vtype_name(vtype_base)}'")
            elif not offsets and a.short_imm_index_access(True, ops[2], a.REG_RET,
                                                                                  reg_base, index_value):
                pass  # before the offset forms: Thumb's 5-bit scaled offset, if the index fits
            elif offsets and ops[2] in a.load_offset_sizes:
                getattr(a, ops[0])(a.REG_RET, reg_base, index_value)
            else:
                # no load with an offset (ASM_LOAD<n>_REG_REG_OFFSET): add it to the base first
                if index_value != 0:
                    if "viper_load_subscr_spills_index" in self.rules:
                        self.need_reg_single(a.REG_ARG_2, 0)
                    a.mov_reg_imm(a.REG_ARG_2, index_value << ops[2])
                    a.add_reg_reg(a.REG_ARG_2, reg_base)
                    reg_base = a.REG_ARG_2
                a.load_reg_reg(ops[2], a.REG_RET, reg_base)
        else:
            vtype_index, reg_index = self.pre_pop_reg_flexible(a.REG_ARG_2, a.REG_ARG_1, a.REG_ARG_1)
            vtype_base = self.pre_pop_reg(a.REG_ARG_1)
            if "viper_load_subscr_keeps_ret" in self.rules:
                self.need_reg_single(a.REG_RET, 0)
            if vtype_index not in (VTYPE_INT, VTYPE_UINT):
                self.viper_error(f"can't load with '{vtype_name(vtype_index)}' index")
            ops = self._PTR_OPS.get(vtype_base)
            if ops is None:
                self.viper_error(f"can't load from '{vtype_name(vtype_base)}'")
            elif (a.loads_reg_reg_reg if offsets else ops[2] in a.indexed_sizes_before_offsets):
                a.load_reg_reg_reg(ops[2], a.REG_RET, a.REG_ARG_1, reg_index)
            else:
                # no register+register addressing: add the index once per byte of element
                for _ in range(1 << ops[2]):
                    a.add_reg_reg(a.REG_ARG_1, reg_index)
                a.load_reg_reg(ops[2], a.REG_RET, a.REG_ARG_1)
        self.post_push_reg(VTYPE_INT, a.REG_RET)

    def _store_subscr(self) -> None:
        a = self.as_
        vtype_base = self.peek_vtype(1)
        if vtype_base == VTYPE_PYOBJ:
            if self.peek_vtype(0) != VTYPE_PYOBJ or self.peek_vtype(2) != VTYPE_PYOBJ:
                # convert the viper values to objects in place
                self.get_stack_pointer_to_reg_for_pop(a.REG_ARG_1, 3)
                self.adjust_stack(3)
            self.pre_pop_reg(a.REG_ARG_2)  # index
            self.pre_pop_reg(a.REG_ARG_1)  # base
            self.pre_pop_reg(a.REG_ARG_3)  # value
            self.call(self.F["OBJ_SUBSCR"])
            return
        top = self.peek_stack(0)
        offsets = "viper_offset_load_store" in self.rules
        if top.vtype == VTYPE_INT and top.kind == STACK_IMM:
            index_value = top.data
            self.pre_pop_discard()
            reg_value = a.REG_ARG_3
            vtype_base, reg_base = self.pre_pop_reg_flexible(a.REG_ARG_1, a.REG_ARG_2, reg_value)
            if a.byte_store_needs_low_reg:
                vtype_value = self.pre_pop_reg(reg_value)
            else:
                vtype_value, reg_value = self.pre_pop_reg_flexible(reg_value, reg_base, a.REG_ARG_2)
            if vtype_value not in (VTYPE_BOOL, VTYPE_INT, VTYPE_UINT):
                self.viper_error(f"can't store '{vtype_name(vtype_value)}'")
            ops = self._PTR_OPS.get(vtype_base)
            if ops is None:
                self.viper_error(f"can't store to '{vtype_name(vtype_base)}'")
            elif not offsets and a.short_imm_index_access(False, ops[2], reg_value,
                                                                                  reg_base, index_value):
                pass
            elif not offsets and index_value != 0 and ops[2] != 1 and a.stores_indexed_before_offsets:
                # ARM before the offset forms: the index in a register, then str(b) [base, index]
                a.mov_reg_imm(a.REG_ARG_2, index_value)
                a.store_reg_reg_reg(ops[2], reg_value, reg_base, a.REG_ARG_2)
            elif offsets and ops[2] in a.store_offset_sizes:
                getattr(a, ops[1])(reg_value, reg_base, index_value)
            else:
                if index_value != 0:
                    a.mov_reg_imm(a.REG_ARG_2, index_value << ops[2])
                    a.add_reg_reg(a.REG_ARG_2, reg_base)
                    reg_base = a.REG_ARG_2
                a.store_reg_reg(ops[2], reg_value, reg_base)
        else:
            reg_value = a.REG_ARG_3
            vtype_index, reg_index = self.pre_pop_reg_flexible(a.REG_ARG_2, a.REG_ARG_1, reg_value)
            vtype_base = self.pre_pop_reg(a.REG_ARG_1)
            if vtype_index not in (VTYPE_INT, VTYPE_UINT):
                self.viper_error(f"can't store with '{vtype_name(vtype_index)}' index")
            if a.byte_store_needs_low_reg:
                vtype_value = self.pre_pop_reg(reg_value)
            else:
                vtype_value, reg_value = self.pre_pop_reg_flexible(reg_value, a.REG_ARG_1, reg_index)
            if vtype_value not in (VTYPE_BOOL, VTYPE_INT, VTYPE_UINT):
                self.viper_error(f"can't store '{vtype_name(vtype_value)}'")
            ops = self._PTR_OPS.get(vtype_base)
            if ops is None:
                self.viper_error(f"can't store to '{vtype_name(vtype_base)}'")
            elif a.loads_reg_reg_reg if offsets else (a.stores_indexed_before_offsets
                                                     or ops[2] in a.indexed_sizes_before_offsets):
                a.store_reg_reg_reg(ops[2], reg_value, a.REG_ARG_1, reg_index)
            else:
                for _ in range(1 << ops[2]):
                    a.add_reg_reg(a.REG_ARG_1, reg_index)
                a.store_reg_reg(ops[2], reg_value, a.REG_ARG_1)

    def attr(self, qst: str, kind: int) -> None:
        a = self.as_
        if kind == 0:
            self.pre_pop_reg(a.REG_ARG_1)
            self.call_with_qstr_arg(self.F["LOAD_ATTR"], qst, a.REG_ARG_2)
            self.post_push_reg(VTYPE_PYOBJ, a.REG_RET)
        elif kind == 1:
            vtype_val = self.peek_vtype(1)
            if vtype_val != VTYPE_PYOBJ and "viper_store_attr_converts" not in self.rules:
                raise NativeRefused("storing a viper value to an attribute, where the official mpy-cross "
                                    "aborts on an internal assertion")
            if vtype_val == VTYPE_PYOBJ:
                self.pre_pop_reg(a.REG_ARG_1)
                self.pre_pop_reg(a.REG_ARG_3)
            else:
                vtype_val = self.access_stack(2, a.REG_ARG_1)
                self.call_with_imm_arg(self.F["CONVERT_NATIVE_TO_OBJ"], vtype_val, a.REG_ARG_2)
                a.mov_reg_reg(a.REG_ARG_3, a.REG_RET)
                self.pre_pop_reg(a.REG_ARG_1)
                self.adjust_stack(-1)
            self.call_with_qstr_arg(self.F["STORE_ATTR"], qst, a.REG_ARG_2)
        else:
            self.pre_pop_reg(a.REG_ARG_1)
            self.clr_reg(a.REG_ARG_3)
            self.call_with_qstr_arg(self.F["STORE_ATTR"], qst, a.REG_ARG_2)

    def store_fast(self, qst: str, local_num: int) -> None:
        a = self.as_
        if local_num >= len(self.local_vtype):
            # a name the scope pass did not number (seen with := in a comprehension before 1.20,
            # in dead code); compile.c writes past its local_vtype array there
            raise NativeRefused(f"local {qst!r} numbered past the scope's {len(self.local_vtype)} locals, "
                                "which this compiler does not reproduce")
        if local_num < self.max_regs_for_locals and self.can_use_regs_for_locals():
            vtype = self.pre_pop_reg(self.reg_local_table[local_num])
        else:
            vtype = self.pre_pop_reg(a.REG_TEMP0)
            self.mov_state_reg(self.local_idx_local_var(local_num), a.REG_TEMP0)
        if self.local_vtype[local_num] == VTYPE_UNBOUND:
            self.local_vtype[local_num] = vtype
        elif self.local_vtype[local_num] != vtype:
            self.viper_error(f"local '{qst}' has type '{vtype_name(self.local_vtype[local_num])}' "
                             f"but source is '{vtype_name(vtype)}'")

    def store_deref(self, qst: str, local_num: int) -> None:
        a = self.as_
        self.need_reg_single(a.REG_TEMP0, 0)
        self.need_reg_single(a.REG_TEMP1, 0)
        self.load_fast(qst, local_num)
        _, reg_base = self.pre_pop_reg_flexible(a.REG_TEMP0, -1, -1)
        _, reg_src = self.pre_pop_reg_flexible(a.REG_TEMP1, reg_base, reg_base)
        a.store_reg_reg_offset(reg_src, reg_base, 1)

    def store_local(self, qst: str, local_num: int, kind: int) -> None:
        if kind == 0:
            self.store_fast(qst, local_num)
        else:
            self.store_deref(qst, local_num)

    def store_global(self, qst: str, kind: int) -> None:
        a = self.as_
        if kind == 0:
            if self.peek_vtype(0) != VTYPE_PYOBJ:
                # emit_native_store_global asserts an object for STORE_NAME (every release)
                raise NativeRefused("storing a viper value to a name at module or class level, where the "
                                    "official mpy-cross aborts on an internal assertion")
            self.pre_pop_reg(a.REG_ARG_2)
        else:
            self._to_obj_arg(a.REG_ARG_2, a.REG_ARG_1, a.REG_ARG_2)
        self.call_with_qstr_arg(self.F["STORE_NAME"] + kind, qst, a.REG_ARG_1)

    def delete_local(self, qst: str, local_num: int, kind: int) -> None:
        if kind == 0:
            # emitnative.c: set to None rather than checking every access for a deleted local
            self.load_const_tok(None)
            self.store_fast(qst, local_num)

    def delete_global(self, qst: str, kind: int) -> None:
        self.call_with_qstr_arg(self.F["DELETE_NAME"] + kind, qst, self.as_.REG_ARG_1)

    def dup_top(self) -> None:
        vtype, reg = self.pre_pop_reg_flexible(self.as_.REG_TEMP0, -1, -1)
        self.post_push_reg(vtype, reg)
        self.post_push_reg(vtype, reg)

    def dup_top_two(self) -> None:
        a = self.as_
        v0 = self.pre_pop_reg(a.REG_TEMP0)
        v1 = self.pre_pop_reg(a.REG_TEMP1)
        for v, r in ((v1, a.REG_TEMP1), (v0, a.REG_TEMP0), (v1, a.REG_TEMP1), (v0, a.REG_TEMP0)):
            self.post_push_reg(v, r)

    def pop_top(self) -> None:
        self.pre_pop_discard()

    def rot_two(self) -> None:
        a = self.as_
        v0 = self.pre_pop_reg(a.REG_TEMP0)
        v1 = self.pre_pop_reg(a.REG_TEMP1)
        self.post_push_reg(v0, a.REG_TEMP0)
        self.post_push_reg(v1, a.REG_TEMP1)

    def rot_three(self) -> None:
        a = self.as_
        v0 = self.pre_pop_reg(a.REG_TEMP0)
        v1 = self.pre_pop_reg(a.REG_TEMP1)
        v2 = self.pre_pop_reg(a.REG_TEMP2)
        self.post_push_reg(v0, a.REG_TEMP0)
        self.post_push_reg(v2, a.REG_TEMP2)
        self.post_push_reg(v1, a.REG_TEMP1)

    def jump(self, label: int) -> None:
        self.need_stack_settled()
        self.as_.jump(label)
        if "dead_code_suppression" in self.rules:
            self.as_.suppress_code()

    def _jump_helper(self, cond: bool, label: int, pop: bool) -> None:
        a = self.as_
        vtype = self.peek_vtype(0)
        if vtype == VTYPE_PYOBJ:
            self.pre_pop_reg(a.REG_ARG_1)
            if not pop:
                self.adjust_stack(1)
            self.call(self.F["OBJ_IS_TRUE"])
        else:
            self.pre_pop_reg(a.REG_RET)
            if not pop:
                self.adjust_stack(1)
            if vtype not in (VTYPE_BOOL, VTYPE_INT, VTYPE_UINT):
                self.viper_error(f"can't implicitly convert '{vtype_name(vtype)}' to 'bool'")
        if not pop:
            self.saved_stack_vtype = vtype
        self.need_stack_settled()
        if cond:
            a.jump_if_reg_nonzero(a.REG_RET, label, vtype == VTYPE_PYOBJ)
        else:
            a.jump_if_reg_zero(a.REG_RET, label, vtype == VTYPE_PYOBJ)
        if not pop:
            self.adjust_stack(-1)

    def pop_jump_if(self, cond: bool, label: int) -> None:
        self._jump_helper(cond, label, True)

    def jump_if_or_pop(self, cond: bool, label: int) -> None:
        self._jump_helper(cond, label, False)

    def unwind_jump(self, label: int, except_depth: int) -> None:
        a = self.as_
        if except_depth > 0:
            first_finally = prev_finally = None
            i = len(self.exc_stack) - 1
            while except_depth > 0:
                e = self.exc_stack[i]
                if e.is_finally and e.is_active:
                    if first_finally is None:
                        first_finally = e
                    if prev_finally is not None:
                        prev_finally.unwind_label = e.label
                    prev_finally = e
                except_depth -= 1
                i -= 1
            if prev_finally is None:
                if i < 0:
                    self.clr_reg(a.REG_RET)
                else:
                    a.mov_reg_pcrel(a.REG_RET, self.exc_stack[i].label)
                a.mov_local_reg(self.local_idx_exc_handler_pc(), a.REG_RET)
            else:
                prev_finally.unwind_label = UNWIND_LABEL_DO_FINAL_UNWIND
                a.mov_reg_pcrel(a.REG_RET, label & ~MP_EMIT_BREAK_FROM_FOR)
                a.mov_local_reg(self.local_idx_exc_handler_unwind(), a.REG_RET)
                if "native_pending_exc_null" in self.rules:
                    a.mov_reg_imm(a.REG_RET, 0)
                else:
                    self.mov_reg_const(a.REG_RET, self.F["CONST_NONE_OBJ"])  # (before: None cancels it)
                a.mov_local_reg(self.local_idx_exc_val(), a.REG_RET)
                label = first_finally.label
        self.jump(label & ~MP_EMIT_BREAK_FROM_FOR)

    def setup_block(self, label: int, kind: int) -> None:
        if kind == 0:  # with
            self._setup_with(label)
        else:
            self.need_stack_settled()
            self.push_exc_stack(label, kind == 2)

    def _setup_with(self, label: int) -> None:
        a = self.as_
        self.access_stack(1, a.REG_ARG_1)
        self.get_stack_pointer_to_reg_for_push(a.REG_ARG_3, 2)
        self.call_with_qstr_arg(self.F["LOAD_METHOD"], "__exit__", a.REG_ARG_2)
        self.pre_pop_reg(a.REG_ARG_3)
        self.pre_pop_reg(a.REG_ARG_2)
        vtype = self.pre_pop_reg(a.REG_ARG_1)
        self.post_push_reg(vtype, a.REG_ARG_2)
        self.post_push_reg(vtype, a.REG_ARG_3)
        self.get_stack_pointer_to_reg_for_push(a.REG_ARG_3, 2)
        self.call_with_qstr_arg(self.F["LOAD_METHOD"], "__enter__", a.REG_ARG_2)
        self.get_stack_pointer_to_reg_for_pop(a.REG_ARG_3, 2)
        self.call_with_2_imm_args(self.F["CALL_METHOD_N_KW"], 0, a.REG_ARG_1, 0, a.REG_ARG_2)
        self.post_push_reg(VTYPE_PYOBJ, a.REG_RET)
        self.need_stack_settled()
        self.push_exc_stack(label, True)
        self.dup_top()

    def with_cleanup(self, label: int) -> None:
        a = self.as_
        slot = self.label_slot
        self.leave_exc_stack(False)
        self.adjust_stack(-1)
        self.label_assign(slot + 2)
        for _ in range(3):
            self.post_push_imm(VTYPE_PTR_NONE, 0)
        self.get_stack_pointer_to_reg_for_pop(a.REG_ARG_3, 5)
        self.call_with_2_imm_args(self.F["CALL_METHOD_N_KW"], 3, a.REG_ARG_1, 0, a.REG_ARG_2)
        self.jump(slot)
        a.label_assign(label)  # not a real finally label
        self.leave_exc_stack(True)
        self.adjust_stack_size(2)
        a.mov_reg_local(a.REG_ARG_1, self.local_idx_exc_val())
        if "native_pending_exc_null" in self.rules:
            a.jump_if_reg_zero(a.REG_ARG_1, slot + 2, False)
        else:
            self.mov_reg_const(a.REG_ARG_2, self.F["CONST_NONE_OBJ"])
            a.jump_if_reg_eq(a.REG_ARG_1, a.REG_ARG_2, slot + 2)
        a.load_reg_reg_offset(a.REG_ARG_2, a.REG_ARG_1, 0)
        self.post_push_reg(VTYPE_PYOBJ, a.REG_ARG_2)
        self.post_push_reg(VTYPE_PYOBJ, a.REG_ARG_1)
        self.post_push_imm(VTYPE_PTR_NONE, 0)
        self.get_stack_pointer_to_reg_for_pop(a.REG_ARG_3, 5)
        self.call_with_2_imm_args(self.F["CALL_METHOD_N_KW"], 3, a.REG_ARG_1, 0, a.REG_ARG_2)
        if a.REG_ARG_1 != a.REG_RET:
            a.mov_reg_reg(a.REG_ARG_1, a.REG_RET)
        self.call(self.F["OBJ_IS_TRUE"])
        a.jump_if_reg_zero(a.REG_RET, slot + 1, True)
        self.label_assign(slot)
        self.cancel_exception()
        self.label_assign(slot + 1)
        if "native_finally_keeps_exc" in self.rules:
            self.adjust_stack(1)

    def end_finally(self) -> None:
        a = self.as_
        if "native_finally_keeps_exc" in self.rules:
            self.pre_pop_discard()
        else:
            pass  # emit_native_pre: nothing
        a.mov_reg_local(a.REG_ARG_1, self.local_idx_exc_val())
        self.call(self.F["NATIVE_RAISE"])
        e = self.pop_exc_stack()
        if e.unwind_label != UNWIND_LABEL_UNUSED:
            a.mov_reg_local(a.REG_RET, self.local_idx_exc_handler_unwind())
            a.jump_if_reg_zero(a.REG_RET, self.label_slot, False)
            if e.unwind_label == UNWIND_LABEL_DO_FINAL_UNWIND:
                a.jump_reg(a.REG_RET)
            else:
                self.jump(e.unwind_label)
            self.label_assign(self.label_slot)

    def get_iter(self, use_stack: bool) -> None:
        a = self.as_
        self.pre_pop_reg(a.REG_ARG_1)
        if use_stack:
            self.get_stack_pointer_to_reg_for_push(a.REG_ARG_2, ITER_BUF_NSLOTS)
            self.call(self.F["NATIVE_GETITER"])
        else:
            a.mov_reg_imm(a.REG_ARG_2, 0)  # the iter_buf is allocated on the heap
            self.call(self.F["NATIVE_GETITER"])
            self.post_push_reg(VTYPE_PYOBJ, a.REG_RET)

    def for_iter(self, label: int) -> None:
        a = self.as_
        self.get_stack_pointer_to_reg_for_pop(a.REG_ARG_1, ITER_BUF_NSLOTS)
        self.adjust_stack(ITER_BUF_NSLOTS)
        self.call(self.F["NATIVE_ITERNEXT"])
        a.jump_if_reg_zero(a.REG_RET, label, False)  # MP_OBJ_STOP_ITERATION is 0
        self.post_push_reg(VTYPE_PYOBJ, a.REG_RET)

    def for_iter_end(self) -> None:
        self.adjust_stack(-ITER_BUF_NSLOTS)

    def cancel_exception(self) -> None:
        """The pending exception slot set to MP_OBJ_NULL (before native_pending_exc_null: None)."""
        a = self.as_
        if "native_pending_exc_null" in self.rules:
            self.mov_local_obj_null(self.local_idx_exc_val(), a.REG_TEMP0)
        else:
            self.mov_reg_const(a.REG_TEMP0, self.F["CONST_NONE_OBJ"])
            a.mov_local_reg(self.local_idx_exc_val(), a.REG_TEMP0)

    def pop_except_jump(self, label: int, within_exc_handler: bool) -> None:
        if within_exc_handler:
            self.cancel_exception()
        else:
            self.leave_exc_stack(False)
        self.jump(label)

    def unary_op(self, op_name: str) -> None:
        a = self.as_
        op = UNARY_OP[op_name]
        vtype = self.peek_vtype(0)
        if "viper_unary_ops" not in self.rules:
            self.pre_pop_reg(a.REG_ARG_2)
            if vtype == VTYPE_PYOBJ:
                self.call_with_imm_arg(self.F["UNARY_OP"], op, a.REG_ARG_1)
                self.post_push_reg(VTYPE_PYOBJ, a.REG_RET)
            else:
                self.adjust_stack(1)
                self.viper_error(f"unary op {UNARY_OP_METHOD[op_name]} not implemented")
            return
        if vtype in (VTYPE_INT, VTYPE_UINT) and op_name in ("NEGATIVE", "INVERT") and \
                "viper_unary_op_keeps_source" not in self.rules:
            # in place, in whichever register holds the value
            if op_name == "NEGATIVE" or a.not_reg is not None:
                vtype, reg = self.pre_pop_reg_flexible(a.REG_RET, a.REG_RET, a.REG_RET)
                (a.neg_reg if op_name == "NEGATIVE" else a.not_reg)(reg)
            else:
                vtype, reg = self.pre_pop_reg_flexible(a.REG_RET, a.REG_ARG_1, a.REG_RET)
                a.mov_reg_imm(a.REG_ARG_1, -1)
                a.xor_reg_reg(reg, a.REG_ARG_1)
            self.post_push_reg(vtype, reg)
            return
        if vtype in (VTYPE_INT, VTYPE_UINT):
            if op_name == "POSITIVE":
                pass
            elif op_name == "NEGATIVE":
                vtype = self.pre_pop_reg(a.REG_RET)
                a.neg_reg(a.REG_RET)
                self.post_push_reg(vtype, a.REG_RET)
            elif op_name == "INVERT":
                vtype = self.pre_pop_reg(a.REG_RET)
                if a.not_reg is not None:
                    a.not_reg(a.REG_RET)
                else:
                    reg = a.REG_ARG_1 if not a.same_when_built(a.REG_RET, a.REG_ARG_1) else a.REG_ARG_2
                    a.mov_reg_imm(reg, -1)
                    a.xor_reg_reg(a.REG_RET, reg)
                self.post_push_reg(vtype, a.REG_RET)
            else:
                self.viper_error("'not' not implemented")
        elif vtype == VTYPE_PYOBJ:
            self.pre_pop_reg(a.REG_ARG_2)
            self.call_with_imm_arg(self.F["UNARY_OP"], op, a.REG_ARG_1)
            self.post_push_reg(VTYPE_PYOBJ, a.REG_RET)
        else:
            self.viper_error(f"can't do unary op of '{vtype_name(vtype)}'")

    def binary_op(self, op_name: str) -> None:
        a = self.as_
        vtype_lhs = self.peek_vtype(1)
        vtype_rhs = self.peek_vtype(0)
        ints = (VTYPE_INT, VTYPE_UINT) if "viper_uint_binary_ops" in self.rules else (VTYPE_INT,)
        if vtype_lhs in ints and vtype_rhs in ints:
            self._binary_op_int(op_name)
        elif vtype_lhs == VTYPE_PYOBJ and vtype_rhs == VTYPE_PYOBJ:
            self.pre_pop_reg(a.REG_ARG_3)
            self.pre_pop_reg(a.REG_ARG_2)
            invert = op_name in ("NOT_IN", "IS_NOT")
            op = self.BINARY_OP[{"NOT_IN": "IN", "IS_NOT": "IS"}.get(op_name, op_name)]
            self.call_with_imm_arg(self.F["BINARY_OP"], op, a.REG_ARG_1)
            if invert:
                a.mov_reg_reg(a.REG_ARG_2, a.REG_RET)
                self.call_with_imm_arg(self.F["UNARY_OP"], UNARY_OP["NOT"], a.REG_ARG_1)
            self.post_push_reg(VTYPE_PYOBJ, a.REG_RET)
        else:
            self.adjust_stack(-1)
            self.viper_error(f"can't do binary op between '{vtype_name(vtype_lhs)}' and '{vtype_name(vtype_rhs)}'")

    def _binary_op_int(self, op_name: str) -> None:
        """emitnative.c binary_op between viper ints/uints."""
        a = self.as_
        vtype_lhs = self.peek_vtype(1)
        vtype_rhs = self.peek_vtype(0)
        if op_name.startswith("INPLACE_"):
            op_name = op_name[len("INPLACE_"):]  # the same for machine integers
        if op_name in ("LSHIFT", "RSHIFT") and a.REG_SHIFT_COUNT is not None:
            # x86: the shift count must be in cl
            self.pre_pop_reg(a.REG_SHIFT_COUNT)
            vtype_lhs = self.pre_pop_reg(a.REG_RET)
            if op_name == "LSHIFT":
                a.lsl_reg(a.REG_RET)
            elif vtype_lhs == VTYPE_UINT:
                a.lsr_reg(a.REG_RET)
            else:
                a.asr_reg(a.REG_RET)
            self.post_push_reg(vtype_lhs, a.REG_RET)
            return
        if op_name in ("FLOOR_DIVIDE", "MODULO"):
            self.pre_pop_reg(a.REG_ARG_2)
            vtype_lhs = self.pre_pop_reg(a.REG_ARG_1)
            if vtype_lhs != VTYPE_INT:
                self.viper_error("div/mod not implemented for uint")
            self.call(self.F["SMALL_INT_FLOOR_DIVIDE" if op_name == "FLOOR_DIVIDE" else "SMALL_INT_MODULO"])
            self.post_push_reg(VTYPE_INT, a.REG_RET)
            return
        vtype_rhs, reg_rhs = self.pre_pop_reg_flexible(a.REG_ARG_3, a.REG_RET, a.REG_ARG_2)
        vtype_lhs = self.pre_pop_reg(a.REG_ARG_2)
        if op_name in ("LSHIFT", "RSHIFT"):
            if op_name == "LSHIFT":
                a.lsl_reg_reg(a.REG_ARG_2, reg_rhs)
            elif vtype_lhs == VTYPE_UINT:
                a.lsr_reg_reg(a.REG_ARG_2, reg_rhs)
            else:
                a.asr_reg_reg(a.REG_ARG_2, reg_rhs)
            self.post_push_reg(vtype_lhs, a.REG_ARG_2)
            return
        simple = {"OR": a.or_reg_reg, "XOR": a.xor_reg_reg, "AND": a.and_reg_reg, "ADD": a.add_reg_reg,
                  "SUBTRACT": a.sub_reg_reg, "MULTIPLY": a.mul_reg_reg}
        if op_name in simple:
            simple[op_name](a.REG_ARG_2, reg_rhs)
            self.post_push_reg(vtype_lhs, a.REG_ARG_2)
        elif op_name in ("LESS", "MORE", "EQUAL", "LESS_EQUAL", "MORE_EQUAL", "NOT_EQUAL"):
            if vtype_lhs != vtype_rhs:
                self.viper_error("comparison of int and uint")
            self.need_reg_single(a.REG_RET, 0)
            a.setcc_compare(BINARY_OP[op_name], a.REG_RET, a.REG_ARG_2, reg_rhs, vtype_lhs == VTYPE_UINT)
            self.post_push_reg(VTYPE_BOOL, a.REG_RET)
        else:
            self.adjust_stack(1)
            # py/objtype.c mp_binary_op_method_name names none of the ops that get here in
            # mpy-cross's build (no MICROPY_PY_ALL_SPECIAL_METHODS): %q prints nothing
            self.viper_error("binary op  not implemented")

    def build(self, n_args: int, kind: int) -> None:
        a = self.as_
        if kind == 4:
            self._build_slice(n_args)
            return
        if kind in (0, 1, 3):  # tuple, list, set
            self.get_stack_pointer_to_reg_for_pop(a.REG_ARG_2, n_args)
        self.call_with_imm_arg(self.F[("BUILD_TUPLE", "BUILD_LIST", "BUILD_MAP", "BUILD_SET")[kind]], n_args,
                               a.REG_ARG_1)
        self.post_push_reg(VTYPE_PYOBJ, a.REG_RET)

    def _build_slice(self, n_args: int) -> None:
        a = self.as_
        if any(self.peek_vtype(i) != VTYPE_PYOBJ for i in range(n_args)):
            # (emitnative.c asserts each is an object: a viper int in `b[1:2]`)
            raise NativeRefused("a slice of viper values, where the official mpy-cross aborts on an "
                                "internal assertion")
        if n_args == 2:
            self.pre_pop_reg(a.REG_ARG_2)
            self.pre_pop_reg(a.REG_ARG_1)
            self.mov_reg_const(a.REG_ARG_3, self.F["CONST_NONE_OBJ"])
        else:
            self.pre_pop_reg(a.REG_ARG_3)
            self.pre_pop_reg(a.REG_ARG_2)
            self.pre_pop_reg(a.REG_ARG_1)
        self.call(self.F["NEW_SLICE"])
        self.post_push_reg(VTYPE_PYOBJ, a.REG_RET)

    def store_map(self) -> None:
        a = self.as_
        self.pre_pop_reg(a.REG_ARG_2)
        self.pre_pop_reg(a.REG_ARG_3)
        self.pre_pop_reg(a.REG_ARG_1)
        self.call(self.F["STORE_MAP"])
        self.post_push_reg(VTYPE_PYOBJ, a.REG_RET)

    def store_comp(self, kind: int, collection_index: int) -> None:
        a = self.as_
        if kind == S.LIST_COMP:
            self.pre_pop_reg(a.REG_ARG_2)
            f = self.F["LIST_APPEND"]
        elif kind == S.SET_COMP:
            self.pre_pop_reg(a.REG_ARG_2)
            f = self.F["STORE_SET"]
        else:
            self.pre_pop_reg(a.REG_ARG_2)
            self.pre_pop_reg(a.REG_ARG_3)
            f = self.F["STORE_MAP"]
        self.access_stack(collection_index, a.REG_ARG_1)
        self.call(f)

    def unpack_sequence(self, n_args: int) -> None:
        a = self.as_
        self.pre_pop_reg(a.REG_ARG_1)
        self.get_stack_pointer_to_reg_for_push(a.REG_ARG_3, n_args)
        self.call_with_imm_arg(self.F["UNPACK_SEQUENCE"], n_args, a.REG_ARG_2)

    def unpack_ex(self, n_left: int, n_right: int) -> None:
        a = self.as_
        self.pre_pop_reg(a.REG_ARG_1)
        self.get_stack_pointer_to_reg_for_push(a.REG_ARG_3, n_left + n_right + 1)
        self.call_with_imm_arg(self.F["UNPACK_EX"], n_left | (n_right << 8), a.REG_ARG_2)

    def make_function(self, child, n_pos_defaults: int, n_kw_defaults: int) -> None:
        a = self.as_
        if self.v5:
            # mp_make_function_from_raw_code(rc, def_args, def_kw_args)
            if n_pos_defaults == 0 and n_kw_defaults == 0:
                self.need_reg_all()
                a.mov_reg_imm(a.REG_ARG_2, 0)
                a.mov_reg_imm(a.REG_ARG_3, 0)
            else:
                self.pre_pop_reg(a.REG_ARG_3)
                self.pre_pop_reg(a.REG_ARG_2)
                self.need_reg_all()
            self.load_reg_with_child(a.REG_ARG_1)
            a.call_ind(self.F["MAKE_FUNCTION_FROM_PROTO_FUN"])
            self.post_push_reg(VTYPE_PYOBJ, a.REG_RET)
            return
        self.mov_reg_state(a.REG_ARG_2, self.local_idx_fun_obj())
        a.load_reg_reg_offset(a.REG_ARG_2, a.REG_ARG_2, OFFSETOF_OBJ_FUN_BC_CONTEXT)
        if n_pos_defaults == 0 and n_kw_defaults == 0:
            self.need_reg_all()
            a.mov_reg_imm(a.REG_ARG_3, 0)
        else:
            self.get_stack_pointer_to_reg_for_pop(a.REG_ARG_3, 2)
            self.need_reg_all()
        self.load_reg_with_child(a.REG_ARG_1)
        a.call_ind(self.F["MAKE_FUNCTION_FROM_PROTO_FUN"])
        self.post_push_reg(VTYPE_PYOBJ, a.REG_RET)

    def make_closure(self, child, n_closed_over: int, n_pos_defaults: int, n_kw_defaults: int) -> None:
        a = self.as_
        if self.v5:
            # mp_make_closure_from_raw_code(rc, n_closed_over | 0x100 with defaults, args), NEW_CLOSURE's slot
            if n_pos_defaults == 0 and n_kw_defaults == 0:
                self.get_stack_pointer_to_reg_for_pop(a.REG_ARG_3, n_closed_over)
                a.mov_reg_imm(a.REG_ARG_2, n_closed_over)
            else:
                self.get_stack_pointer_to_reg_for_pop(a.REG_ARG_3, n_closed_over + 2)
                a.mov_reg_imm(a.REG_ARG_2, 0x100 | n_closed_over)
            self.load_reg_with_child(a.REG_ARG_1)
            a.call_ind(self.F["NEW_CLOSURE"])
            self.post_push_reg(VTYPE_PYOBJ, a.REG_RET)
            return
        self.mov_reg_state(a.REG_ARG_2, self.local_idx_fun_obj())
        a.load_reg_reg_offset(a.REG_ARG_2, a.REG_ARG_2, OFFSETOF_OBJ_FUN_BC_CONTEXT)
        defaults = n_pos_defaults != 0 or n_kw_defaults != 0
        if not defaults:
            self.need_reg_all()
            a.mov_reg_imm(a.REG_ARG_3, 0)
        else:
            self.get_stack_pointer_to_reg_for_pop(a.REG_ARG_3, 2 + n_closed_over)
            self.adjust_stack(2 + n_closed_over)
            self.need_reg_all()
        self.load_reg_with_child(a.REG_ARG_1)
        a.call_ind(self.F["MAKE_FUNCTION_FROM_PROTO_FUN"])
        if not a.same_when_built(a.REG_ARG_1, a.REG_RET):
            a.mov_reg_reg(a.REG_ARG_1, a.REG_RET)
        a.mov_reg_imm(a.REG_ARG_2, n_closed_over)
        self.get_stack_pointer_to_reg_for_pop(a.REG_ARG_3, n_closed_over)
        if defaults:
            self.adjust_stack(-2)
        a.call_ind(self.F["NEW_CLOSURE"])
        self.post_push_reg(VTYPE_PYOBJ, a.REG_RET)

    def call_function(self, n_positional: int, n_keyword: int, star_flags: int) -> None:
        a = self.as_
        vtype_fun = self.peek_vtype(n_positional + 2 * n_keyword)
        if vtype_fun == VTYPE_BUILTIN_CAST:
            vtype_cast = self.peek_stack(1).data
            top = self.peek_vtype(0)
            if top == VTYPE_PYOBJ:
                self.pre_pop_reg(a.REG_ARG_1)
                self.pre_pop_discard()
                self.call_with_imm_arg(self.F["CONVERT_OBJ_TO_NATIVE"], vtype_cast, a.REG_ARG_2)
                self.post_push_reg(vtype_cast, a.REG_RET)
            elif top in (VTYPE_BOOL, VTYPE_INT, VTYPE_UINT, VTYPE_PTR, VTYPE_PTR8, VTYPE_PTR16,
                         VTYPE_PTR32, VTYPE_PTR_NONE):
                self.fold_stack_top(a.REG_ARG_1)
                self.post_top_set_vtype(vtype_cast)
            else:
                raise NativeNotImplemented("casting")
        elif star_flags:
            extra = 2 if "native_star_args_one_slot" in self.rules else 3
            self.get_stack_pointer_to_reg_for_pop(a.REG_ARG_3, n_positional + 2 * n_keyword + extra)
            self.call_with_2_imm_args(self.F["CALL_METHOD_N_KW_VAR"], 0, a.REG_ARG_1,
                                      n_positional | (n_keyword << 8), a.REG_ARG_2)
            self.post_push_reg(VTYPE_PYOBJ, a.REG_RET)
        else:
            if n_positional != 0 or n_keyword != 0:
                self.get_stack_pointer_to_reg_for_pop(a.REG_ARG_3, n_positional + 2 * n_keyword)
            self.pre_pop_reg(a.REG_ARG_1)
            self.call_with_imm_arg(self.F["NATIVE_CALL_FUNCTION_N_KW"], n_positional | (n_keyword << 8), a.REG_ARG_2)
            self.post_push_reg(VTYPE_PYOBJ, a.REG_RET)

    def call_method(self, n_positional: int, n_keyword: int, star_flags: int) -> None:
        a = self.as_
        if star_flags:
            extra = 3 if "native_star_args_one_slot" in self.rules else 4
            self.get_stack_pointer_to_reg_for_pop(a.REG_ARG_3, n_positional + 2 * n_keyword + extra)
            self.call_with_2_imm_args(self.F["CALL_METHOD_N_KW_VAR"], 1, a.REG_ARG_1,
                                      n_positional | (n_keyword << 8), a.REG_ARG_2)
        else:
            self.get_stack_pointer_to_reg_for_pop(a.REG_ARG_3, 2 + n_positional + 2 * n_keyword)
            self.call_with_2_imm_args(self.F["CALL_METHOD_N_KW"], n_positional, a.REG_ARG_1, n_keyword, a.REG_ARG_2)
        self.post_push_reg(VTYPE_PYOBJ, a.REG_RET)

    def return_value(self) -> None:
        a = self.as_
        if self.is_generator():
            self.get_stack_pointer_to_reg_for_pop(a.REG_TEMP0, 1)
            self.mov_state_reg(OFFSETOF_CODE_STATE_SP, a.REG_TEMP0)
            a.mov_reg_imm(a.REG_TEMP0, VM_RETURN_NORMAL)
            a.mov_local_reg(self.local_idx_ret_val(), a.REG_TEMP0)
            self.unwind_jump(self.exit_label, len(self.exc_stack))
            return
        if self.do_viper_types:
            return_vtype = self.scope.scope_flags >> SCOPE_FLAG_VIPERRET_POS
            if self.peek_vtype(0) == VTYPE_PTR_NONE:
                self.pre_pop_discard()
                if return_vtype == VTYPE_PYOBJ:
                    self.mov_reg_const(a.REG_PARENT_RET, self.F["CONST_NONE_OBJ"])
                else:
                    a.mov_reg_imm(a.REG_ARG_1, 0)
            else:
                vtype = self.pre_pop_reg(a.REG_PARENT_RET if return_vtype == VTYPE_PYOBJ else a.REG_ARG_1)
                if vtype != return_vtype:
                    self.viper_error(f"return expected '{vtype_name(return_vtype)}' but got '{vtype_name(vtype)}'")
            if return_vtype != VTYPE_PYOBJ:
                self.call_with_imm_arg(self.F["CONVERT_NATIVE_TO_OBJ"], return_vtype, a.REG_ARG_2)
                if not a.same_when_built(a.REG_RET, a.REG_PARENT_RET):
                    a.mov_reg_reg(a.REG_PARENT_RET, a.REG_RET)
        else:
            self.pre_pop_reg(a.REG_PARENT_RET)
        if self.need_global_exc_handler():
            a.mov_local_reg(self.local_idx_ret_val(), a.REG_PARENT_RET)
        self.unwind_jump(self.exit_label, len(self.exc_stack))

    def raise_varargs(self, n_args: int) -> None:
        if n_args != 1:
            raise NativeNotImplemented("native raise")
        vtype = self.pre_pop_reg(self.as_.REG_ARG_1)
        if vtype != VTYPE_PYOBJ:
            self.viper_error("must raise an object")
        self.call(self.F["NATIVE_RAISE"])
        if "dead_code_suppression" in self.rules:
            self.as_.suppress_code()

    def yield_(self, kind: int) -> None:
        a = self.as_
        slot = self.label_slot
        if self.do_viper_types:
            raise NativeNotImplemented("native yield")
        self.scope.scope_flags |= S.SCOPE_FLAG_GENERATOR
        self.need_stack_settled()
        if kind == 1:  # yield from
            self.jump(slot + 2)
            self.label_assign(slot + 1)
        self.get_stack_pointer_to_reg_for_pop(a.REG_TEMP0, 1)
        self.mov_state_reg(OFFSETOF_CODE_STATE_SP, a.REG_TEMP0)
        a.mov_reg_imm(a.REG_TEMP0, VM_RETURN_YIELD)
        a.mov_local_reg(self.local_idx_ret_val(), a.REG_TEMP0)
        a.mov_reg_pcrel(a.REG_TEMP0, slot)
        self.mov_state_reg(self.local_idx_gen_pc(), a.REG_TEMP0)
        a.jump(self.exit_label)
        a.label_assign(slot)
        for e in reversed(self.exc_stack):
            if e.is_active:
                a.mov_reg_pcrel(a.REG_RET, e.label)
                a.mov_local_reg(self.local_idx_exc_handler_pc(), a.REG_RET)
                if "native_yield_unwind_innermost" in self.rules:
                    break  # (before: the loop went on to the outermost active handler)
        self.adjust_stack_size(1)  # the sent value
        if kind == 0:
            a.mov_reg_local(a.REG_ARG_1, self.local_idx_throw_val())
            if "native_throw_val_slot" in self.rules:
                self.mov_local_obj_null(self.local_idx_throw_val(), a.REG_ARG_2)
            self.call(self.F["NATIVE_RAISE"])
        else:
            self.label_assign(slot + 2)
            keeps = "native_throw_val_slot" in self.rules
            if keeps:
                a.mov_reg_local(a.REG_ARG_3, self.local_idx_throw_val())
                a.mov_reg_imm(a.REG_ARG_2, 0)
                a.mov_local_reg(self.local_idx_throw_val(), a.REG_ARG_2)
            self.pre_pop_reg(a.REG_ARG_2)
            self.access_stack(1, a.REG_ARG_1)
            if not keeps:
                a.mov_reg_local(a.REG_ARG_3, self.local_idx_throw_val())
            self.post_push_reg(VTYPE_PYOBJ, a.REG_ARG_3)
            self.get_stack_pointer_to_reg_for_pop(a.REG_ARG_3, 1)
            self.call(self.F["NATIVE_YIELD_FROM"])
            a.jump_if_reg_nonzero(a.REG_RET, slot + 1, True)
            self.adjust_stack_size(1)
            self.fold_stack_top(a.REG_ARG_1)

    def start_except_handler(self) -> None:
        a = self.as_
        self.leave_exc_stack(True)
        a.mov_reg_local(a.REG_TEMP0, self.local_idx_exc_val())
        self.post_push_reg(VTYPE_PYOBJ, a.REG_TEMP0)

    def end_except_handler(self) -> None:
        if "native_finally_keeps_exc" not in self.rules:
            self.adjust_stack(-1)  # the exception, which end_finally did not pop

    def async_with_setup_finally(self, label_aexit_no_exc: int, label_finally_block: int,
                                 label_ret_unwind_jump: int) -> None:
        a = self.as_
        if "native_finally_keeps_exc" not in self.rules:
            # compile.c's own sequence before the async-with fix: TOS tested as an exception
            self.load_const_tok(None)
            self.rot_two()
            self.jump(label_aexit_no_exc)
            self.label_assign(label_finally_block)
            self.dup_top()
            self.load_global("BaseException", 1)
            self.binary_op("EXCEPTION_MATCH")
            self.pop_jump_if(False, label_ret_unwind_jump)
            return
        self.adjust_stack_size(1)
        self.rot_two()
        self.load_const_tok(None)
        self.rot_two()
        self.jump(label_aexit_no_exc)
        self.adjust_stack_size(-1)
        self.label_assign(label_finally_block)
        self.pre_pop_discard()
        a.mov_reg_local(a.REG_ARG_1, self.local_idx_exc_val())
        self.post_push_reg(VTYPE_PYOBJ, a.REG_ARG_1)
        a.jump_if_reg_zero(a.REG_ARG_1, label_ret_unwind_jump, False)


# mp-v1.11/py/runtime0.h: the flags' numbers before 1.12 (REFGLOBALS 0x10, HASCONSTS 0x20 and the
# viper return type from bit 6, as MicroPython keeps them later; ours are CircuitPython's, above)
_V4_FLAGS = ((S.SCOPE_FLAG_VARARGS, 0x01), (S.SCOPE_FLAG_VARKEYWORDS, 0x02),
             (S.SCOPE_FLAG_GENERATOR, 0x04), (S.SCOPE_FLAG_DEFKWARGS, 0x08),
             (SCOPE_FLAG_REFGLOBALS, 0x10), (SCOPE_FLAG_HASCONSTS, 0x20))
_V4_VIPERRET_POS = 6


def v4_scope_flags(flags: int) -> int:
    """Scope flags in mpy-cross 1.11's numbering (.mpy v4)."""
    out = (flags >> SCOPE_FLAG_VIPERRET_POS) << _V4_VIPERRET_POS
    for ours, theirs in _V4_FLAGS:
        if flags & ours:
            out |= theirs
    return out


def vtype_name(vtype: int) -> str:
    return _VTYPE_NAMES.get(vtype, "None")


# py/nativeglue.c mp_native_type_from_qstr
_NATIVE_TYPE_QSTRS = {"object": NATIVE_TYPE_OBJ, "bool": NATIVE_TYPE_BOOL, "int": NATIVE_TYPE_INT,
                      "uint": NATIVE_TYPE_UINT, "ptr": NATIVE_TYPE_PTR, "ptr8": NATIVE_TYPE_PTR8,
                      "ptr16": NATIVE_TYPE_PTR16, "ptr32": NATIVE_TYPE_PTR32}


def native_type_from_qstr(qst: str) -> int | None:
    return _NATIVE_TYPE_QSTRS.get(qst)


# ---- assembling a recorded scope --------------------------------------------


def scope_flags_before(scope: S.Scope, calls: list, do_viper_types: bool) -> int:
    """The REFGLOBALS / HASCONSTS flags compile.c sets before the emit passes."""
    flags = 0
    if any(name in ("make_function", "make_closure") for name, _, _ in calls):
        # close_over_variables_etc: a new function refers to the current globals
        flags |= SCOPE_FLAG_REFGLOBALS | SCOPE_FLAG_HASCONSTS
    for info in scope.id_info:
        if info.kind == S.GLOBAL_EXPLICIT:
            if do_viper_types and (native_type_from_qstr(info.qst) or 0) >= NATIVE_TYPE_INT:
                continue  # a viper cast, not a real global
            flags |= SCOPE_FLAG_REFGLOBALS
    return flags


def assemble_native(recorder: NativeRecorder, new_asm, fun_table, do_viper_types: bool, rules=ALL_RULES):
    """Run the three passes over the recorded calls; returns (machine code + prelude,
    prelude offset or None for viper, the emitter). `rules`: the RULES of the release."""
    scope = recorder.scope
    scope.scope_flags |= scope_flags_before(scope, recorder.calls, do_viper_types)
    scope.stack_size = 0
    asm = new_asm()
    emitter = NativeEmitter(recorder.common, scope, asm, do_viper_types, fun_table, rules)
    # compile.c keeps one native emitter for the module: a scope's first pass starts with the
    # previous native scope's prelude offset (sizes that depend on it follow)
    emitter.prelude_offset = recorder.common.native_prelude_offset
    emitter.prelude_offset_uses_u16 = recorder.common.native_prelude_offset_uses_u16
    calls = recorder.calls
    for pass_ in (1, 2, 3):  # MP_PASS_STACK_SIZE, MP_PASS_CODE_SIZE, MP_PASS_EMIT
        emitter.start_pass(pass_, 0)
        error_line = None
        i = 0
        while i < len(calls):
            name, args, label_slot = calls[i]
            i += 1
            if name in ("block_begin", "block_end"):
                continue
            if name == "stmt_end":
                if emitter.error is not None:
                    # compile.c compile_generic_all_nodes: the first statement with an error
                    # names the line, and the rest of its block is not compiled
                    if error_line is None:
                        error_line = args[0]
                    i = _end_of_block(calls, i)
                continue
            emitter.label_slot = label_slot
            getattr(emitter, name)(*args)
        emitter.label_slot = 0
        if emitter.error is not None:
            raise ViperTypeError(emitter.error, error_line)
        emitter.end_pass()
    recorder.common.native_prelude_offset = emitter.prelude_offset
    recorder.common.native_prelude_offset_uses_u16 = emitter.prelude_offset_uses_u16
    return bytes(asm.code), (None if do_viper_types else emitter.prelude_offset), emitter


def _end_of_block(calls: list, i: int) -> int:
    """The index just past the block_end closing the block that call i is in."""
    depth = 0
    while i < len(calls):
        name = calls[i][0]
        i += 1
        if name == "block_begin":
            depth += 1
        elif name == "block_end":
            if depth == 0:
                return i
            depth -= 1
    return i
