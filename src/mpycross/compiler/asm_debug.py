"""`-march=debug`: the native emitter's calls as text instead of machine code
(after py/emitndebug.c and the label line of py/asmbase.c).

Every generic assembler call of the emit pass prints one line to the
listing, in mpy-cross's words:

    ENTRY(C.m, num_locals=12)
        load(r_fun_table, r_arg1, 1)
        mov_reg_imm(r_arg3, 3=0x3)
        dead_code jump(label_0)
    label(label_0)
    EXIT(0)

Instructions write no bytes; only the emitter's data words (the prelude
index, the prelude itself) reach the `.mpy`. Registers are abstract
(`r_ret`, `r_arg1` ..), words are 8 bytes, and there are no offset forms of
the 8- and 32-bit loads and of any store, so the emitter adds offsets to
the base itself.
"""

from __future__ import annotations

from .asmbase import PASS_EMIT, AsmBase

# emitndebug.c reg_name_table, in register-number order
REG_NAMES = ("r_ret", "r_arg1", "r_arg2", "r_arg3", "r_arg4", "r_temp0", "r_temp1", "r_temp2",
             "r_local1", "r_local2", "r_local3", "r_fun_table")

# emitndebug.c fun_name_table: the mp_fun_table entries by index (the constants have none)
FUN_NAMES = (
    None, None, None, "convert_obj_to_native", "convert_native_to_obj", "native_swap_globals",
    "load_name", "load_global", "load_build_class", "load_attr", "load_method", "load_super_method",
    "store_name", "store_global", "store_attr", "obj_subscr", "obj_is_true", "unary_op", "binary_op",
    "build_tuple", "build_list", "build_map", "build_set", "store_set", "list_append", "store_map",
    "make_function_from_proto_fun", "native_call_function_n_kw", "call_method_n_kw",
    "call_method_n_kw_var", "native_getiter", "native_iternext", "nlr_push", "nlr_pop", "native_raise",
    "import_name", "import_from", "import_all", "new_slice", "unpack_sequence", "unpack_ex",
    "delete_name", "delete_global", "new_closure", "arg_check_num_sig", "setup_code_state",
    "small_int_floor_divide", "small_int_modulo", "native_yield_from", "setjmp",
)


def _c_int(value: int) -> int:
    """The value as the C `int` parameter receives it."""
    value &= 0xFFFFFFFF
    return value - (1 << 32) if value & 0x80000000 else value


class AsmDebug(AsmBase):
    """The text listing of one function; `listing` receives each line (None: discarded)."""

    word_size = 8
    REG_RET = 0
    REG_ARG_1, REG_ARG_2, REG_ARG_3, REG_ARG_4 = 1, 2, 3, 4
    REG_ARG_5 = None
    REG_TEMP0, REG_TEMP1, REG_TEMP2 = 5, 6, 7
    REG_LOCAL_1, REG_LOCAL_2, REG_LOCAL_3 = 8, 9, 10
    REG_FUN_TABLE = 11
    REG_SHIFT_COUNT = None
    NLR_BUF_IDX_LOCAL_1 = 5
    NLR_BUF_NUM_REGS = 0  # mpy-cross/main.c sets none for -march=debug
    loads_reg_reg_reg = False
    byte_store_needs_low_reg = False
    load_offset_sizes = (1,)  # only ASM_LOAD16_REG_REG_OFFSET (the qstr table is read with it)
    store_offset_sizes = ()

    @classmethod
    def for_compile(cls, arch: str, arch_flags: int, shared: dict) -> "AsmDebug":
        return cls(shared.get("listing"))

    def __init__(self, listing=None):
        super().__init__()
        self.listing = listing

    def start_pass(self, pass_: int) -> None:
        if pass_ == PASS_EMIT and self.code_offset == 0 and not self.has_rule("debug_empty_code_ok"):
            # before 1.26 py/asmbase.c asserts that the emit pass got a buffer: a function
            # without data words (viper) has none, and the official mpy-cross aborts
            from .emitnative import NativeRefused

            raise NativeRefused("a -march=debug function with no data words, where the official mpy-cross "
                                "aborts on an internal assertion")
        super().start_pass(pass_)

    def same_when_built(self, reg1: int, reg2: int) -> bool:
        # emitndebug.c names its registers in an enum, which the preprocessor reads as 0
        return True

    def _print(self, text: str) -> None:
        if self.pass_ != PASS_EMIT or self.listing is None:
            return
        prefix = "" if text[0] == "E" else "    "
        if self.suppress:
            prefix += "dead_code "
        self.listing(prefix + text + "\n")

    def label_assign(self, label: int) -> None:
        super().label_assign(label)
        if self.pass_ == PASS_EMIT and self.listing is not None:
            self.listing(f"label(label_{label})\n")

    def _r(self, reg: int) -> str:
        return REG_NAMES[reg]

    def _op(self, op: str, *regs: int) -> None:
        self._print(f"{op}({', '.join(REG_NAMES[r] for r in regs)})")

    # ---- the generic interface, as text ------------------------------------------------

    def function_entry(self, num_locals: int, name: str) -> None:
        if self.has_rule("debug_entry_name"):
            self._print(f"ENTRY({name}, num_locals={num_locals})")
        else:
            self._print(f"ENTRY(num_locals={num_locals})")

    def exit(self) -> None:
        self._print("EXIT(0)")

    def jump(self, label: int) -> None:
        self._print(f"jump(label_{label})")

    def jump_if_reg_zero(self, reg: int, label: int, bool_test: bool) -> None:
        self._print(f"jump_if_reg_zero({self._r(reg)}, label_{label}, {'true' if bool_test else 'false'})")

    def jump_if_reg_nonzero(self, reg: int, label: int, bool_test: bool) -> None:
        self._print(f"jump_if_reg_nonzero({self._r(reg)}, label_{label}, {'true' if bool_test else 'false'})")

    def jump_if_reg_eq(self, reg1: int, reg2: int, label: int) -> None:
        self._print(f"jump_if_reg_eq({self._r(reg1)}, {self._r(reg2)}, label_{label})")

    def jump_reg(self, reg: int) -> None:
        self._op("jump_reg", reg)

    def call_ind(self, fun_id: int) -> None:
        self._print(f"call_ind({FUN_NAMES[fun_id]})")

    def call_setup_code_state(self, fun_id: int) -> None:
        self.call_ind(fun_id)

    def mov_local_reg(self, local_num: int, reg: int) -> None:
        self._print(f"mov_local_reg(local_{_c_int(local_num)}, {self._r(reg)})")

    def mov_reg_imm(self, reg: int, imm: int) -> None:
        value = _c_int(imm)
        self._print(f"mov_reg_imm({self._r(reg)}, {value}=0x{value & 0xFFFFFFFF:x})")

    def mov_reg_local(self, reg: int, local_num: int) -> None:
        self._print(f"mov_reg_local({self._r(reg)}, local_{local_num & 0xFFFFFFFF})")

    def mov_reg_local_addr(self, reg: int, local_num: int) -> None:
        self._print(f"mov_reg_local_addr({self._r(reg)}, local_{local_num & 0xFFFFFFFF})")

    def mov_reg_reg(self, dest: int, src: int) -> None:
        self._op("mov_reg_reg", dest, src)

    def mov_reg_pcrel(self, reg: int, label: int) -> None:
        self._print(f"mov_reg_pcrel({self._r(reg)}, label_{label})")

    def not_reg(self, reg: int) -> None:
        self._op("not", reg)

    def neg_reg(self, reg: int) -> None:
        self._op("neg", reg)

    def clr_reg(self, reg: int) -> None:
        self._op("clr", reg)

    def lsl_reg_reg(self, dest: int, src: int) -> None:
        self._op("lsl", dest, src)

    def lsr_reg_reg(self, dest: int, src: int) -> None:
        self._op("lsr", dest, src)

    def asr_reg_reg(self, dest: int, src: int) -> None:
        self._op("asr", dest, src)

    def or_reg_reg(self, dest: int, src: int) -> None:
        self._op("or", dest, src)

    def xor_reg_reg(self, dest: int, src: int) -> None:
        self._op("xor", dest, src)

    def and_reg_reg(self, dest: int, src: int) -> None:
        self._op("and", dest, src)

    def add_reg_reg(self, dest: int, src: int) -> None:
        self._op("add", dest, src)

    def sub_reg_reg(self, dest: int, src: int) -> None:
        self._op("sub", dest, src)

    def mul_reg_reg(self, dest: int, src: int) -> None:
        self._op("mul", dest, src)

    def _reg_reg_offset(self, op: str, reg1: int, reg2: int, offset: int) -> None:
        self._print(f"{op}({self._r(reg1)}, {self._r(reg2)}, {_c_int(offset)})")

    def load_reg_reg_offset(self, dest: int, base: int, word_offset: int) -> None:
        self._reg_reg_offset("load", dest, base, word_offset)

    def load16_reg_reg_offset(self, dest: int, base: int, offset: int) -> None:
        self._reg_reg_offset("load16", dest, base, offset)

    def store_reg_reg_offset(self, src: int, base: int, word_offset: int) -> None:
        self._reg_reg_offset("store", src, base, word_offset)

    def load_reg_reg(self, size: int, dest: int, base: int) -> None:
        self._op(("load8", "load16", "load32")[size], dest, base)

    def store_reg_reg(self, size: int, src: int, base: int) -> None:
        self._op(("store8", "store16", "store32")[size], src, base)

    def setcc_compare(self, op_idx: int, dest: int, lhs: int, rhs: int, unsigned: bool) -> None:
        """emitnative.c binary_op, N_DEBUG: the comparison's index, signed ones after the unsigned."""
        self._print(f"setcc({op_idx + (0 if unsigned else 6)}, {self._r(dest)}, {self._r(lhs)}, {self._r(rhs)})")
