"""The Xtensa encoder behind `-march=xtensa` (ESP8266, the CALL0 ABI), after py/asmxtensa.c
and py/asmxtensa.h.

Instructions are 24 bits (3 bytes, little-endian), some 16 ("narrow", `_n`):

    RRR    op2:4 op1:4 r:4 s:4 t:4 op0:4        add/sub/and/or/xor/mull, addx2/4, neg, sll/srl/sra, ssl/ssr
    RRI8   imm8:8 r:4 s:4 t:4 op0:4             l8ui/l16ui/l32i/s8i/s16i/s32i (r = kind), addi, movi, b<cc>
    RI16   imm16:16 t:4 op0:4                   l32r: load a word from the literal table before the code
    CALL   offset:18 n:2 op0:4                  j, call0
    CALLX  op2 op1 r s m:2 n:2 op0              jx, callx0
    BRI12  imm12:12 s:4 m:2 n:2 op0:4           b<cc>z
    RRRN   r:4 s:4 t:4 op0:4                    add.n, l32i.n, s32i.n, mov.n, ret.n
    RI7    imm:4 s:4 i:3 0 op0:4                movi.n (-32 .. 95)

Constants that no movi holds go into a literal table at the start of the
function (a jump over it, one alignment byte, then the words); the table's
size comes from the previous pass. Calling convention (CALL0): arguments in
a2-a6, result in a2; a12-a14 hold the emitter's locals, a15 `mp_fun_table`,
a0 the return address (saved with a12-a15 on the stack).
"""

from __future__ import annotations

from .asmbase import PASS_EMIT, AsmBase

A0, A1, A2, A3, A4, A5, A6, A7, A8, A9, A10, A11, A12, A13, A14, A15 = range(16)

CCZ_EQ, CCZ_NE, CCZ_LT, CCZ_GE = 0, 1, 2, 3
CC_NONE, CC_EQ, CC_LT, CC_LTU, CC_ALL, CC_BC = 0, 1, 2, 3, 4, 5
CC_ANY, CC_NE, CC_GE, CC_GEU, CC_NALL, CC_BS = 8, 9, 10, 11, 12, 13

WORD_SIZE = 4
NUM_REGS_SAVED = 5  # a0, a12 .. a15


def _rrr(op0, op1, op2, r, s, t):
    return (op2 << 20) | (op1 << 16) | (r << 12) | (s << 8) | (t << 4) | op0


def _rri8(op0, r, s, t, imm8):
    return ((imm8 & 0xFF) << 16) | (r << 12) | (s << 8) | (t << 4) | op0


def _rrrn(op0, r, s, t):
    return (r << 12) | (s << 8) | (t << 4) | op0


def _fits(bits: int, x: int) -> bool:
    """asmxtensa.c SIGNED_FITn, on the low 32 bits."""
    x &= 0xFFFFFFFF
    if x & 0x80000000:
        x -= 1 << 32
    return -(1 << (bits - 1)) <= x < (1 << (bits - 1))


class AsmXtensa(AsmBase):
    """Xtensa CALL0-ABI machine code for one function."""

    word_size = WORD_SIZE
    REG_RET = A2
    REG_ARG_1, REG_ARG_2, REG_ARG_3, REG_ARG_4, REG_ARG_5 = A2, A3, A4, A5, A6
    REG_TEMP0, REG_TEMP1, REG_TEMP2 = A2, A3, A4
    REG_LOCAL_1, REG_LOCAL_2, REG_LOCAL_3 = A12, A13, A14
    REG_FUN_TABLE = A15
    REG_SHIFT_COUNT = None
    NLR_BUF_IDX_LOCAL_1 = 8  # emitnxtensa.c: a12
    NLR_BUF_NUM_REGS = 10  # MICROPY_NLR_NUM_REGS_XTENSA
    loads_reg_reg_reg = True
    byte_store_needs_low_reg = False
    REG_TEMP = A6  # ASM_XTENSA_REG_TEMPORARY, for stores with a large offset
    const_table_rule = "xtensa_const_table_if_used"
    num_regs_saved = NUM_REGS_SAVED  # stack words below the locals

    def __init__(self, arch: str = "xtensa"):
        super().__init__()
        self.cur_const = 0
        self.num_const = 0
        self.const_table_offset: int | None = None
        self.consts: dict[int, int] = {}
        self.stack_adjust = 0

    def start_pass(self, pass_: int) -> None:
        super().start_pass(pass_)
        self.const_table_offset = None
        self.consts = {}

    def end_pass(self) -> None:
        self.num_const = self.cur_const
        self.cur_const = 0
        if self.pass_ == PASS_EMIT and self.const_table_offset is not None:
            # the literal table was left as zeros; fill in the constants the code used
            for i, value in self.consts.items():
                at = self.const_table_offset + 4 * i
                self.code[at:at + 4] = (value & 0xFFFFFFFF).to_bytes(4, "little")

    # ---- raw output ------------------------------------------------------------

    def op16(self, op: int) -> None:
        self.write((op & 0xFFFF).to_bytes(2, "little"))

    def op24(self, op: int) -> None:
        self.write((op & 0xFFFFFF).to_bytes(3, "little"))

    def _dest(self, label: int) -> int:
        dest = self.label_dest(label)
        return 0xFFFFFFFF if dest is None else dest

    # ---- instructions ------------------------------------------------------------

    def op_addi(self, dest, src, imm8):
        self.op24(_rri8(2, 12, src, dest, imm8))

    def op_add_n(self, dest, a, b):
        self.op16(_rrrn(10, dest, a, b))

    def op_sub(self, dest, a, b):
        self.op24(_rrr(0, 0, 12, dest, a, b))

    def op_movi(self, dest, imm12):
        self.op24(_rri8(2, 10, (imm12 >> 8) & 0xF, dest, imm12 & 0xFF))

    def op_movi_n(self, dest, imm7):
        self.op16((((imm7 & 0xF) << 12) | (dest << 8) | (imm7 & 0x70) | 12) & 0xFFFF)

    def op_mov_n(self, dest, src):
        self.op16(_rrrn(13, 0, src, dest))

    def op_l32i_n(self, dest, base, word_offset):
        self.op16(_rrrn(8, word_offset & 0xF, base, dest))

    def op_s32i_n(self, src, base, word_offset):
        self.op16(_rrrn(9, word_offset & 0xF, base, src))

    def op_l32i(self, dest, base, word_offset):
        self.op24(_rri8(2, 2, base, dest, word_offset))

    def op_s32i(self, src, base, word_offset):
        self.op24(_rri8(2, 6, base, src, word_offset))

    def op_j(self, rel18):
        self.op24(((rel18 & 0x3FFFF) << 6) | 6)

    def op_call0(self, rel18):
        self.op24(((rel18 & 0x3FFFF) << 6) | 5)

    def op_callx0(self, reg):
        self.op24((reg << 8) | (3 << 6))

    def op_jx(self, reg):
        self.op24((reg << 8) | (2 << 6) | (2 << 4))

    def op_bcc(self, cond, r1, r2, rel8):
        self.op24(_rri8(7, cond, r1, r2, rel8))

    def op_bccz(self, cond, reg, rel12):
        self.op24(((rel12 & 0xFFF) << 12) | (reg << 8) | (cond << 6) | (1 << 4) | 6)

    def op_l32r(self, dest, op_off, dest_off):
        self.op24(((((dest_off - ((op_off + 3) & ~3)) >> 2) & 0xFFFF) << 8) | (dest << 4) | 1)

    def op_ret_n(self):
        self.op16(_rrrn(13, 15, 0, 0))

    # ---- entry and exit --------------------------------------------------------------

    def _const_table(self) -> None:
        # (before 1.26, on xtensawin before 1.28, every function jumps over its literal table,
        # even an empty one)
        if self.num_const > 0 or not self.has_rule(self.const_table_rule):
            self.op_j(self.num_const * WORD_SIZE + 4 - 4)
            self.write(b"\x00")  # alignment byte
            self.const_table_offset = self.code_offset
            self.write(bytes(4 * self.num_const))

    def entry(self, num_locals: int) -> None:
        self._const_table()
        self.stack_adjust = (((NUM_REGS_SAVED + num_locals) * WORD_SIZE) + 15) & ~15
        if _fits(8, -self.stack_adjust):
            self.op_addi(A1, A1, -self.stack_adjust)
        else:
            self.op_movi(A9, self.stack_adjust)
            self.op_sub(A1, A1, A9)
        self.op_s32i_n(A0, A1, 0)
        for i in range(1, NUM_REGS_SAVED):
            self.op_s32i_n(A11 + i, A1, i)

    def exit(self) -> None:
        for i in range(NUM_REGS_SAVED - 1, 0, -1):
            self.op_l32i_n(A11 + i, A1, i)
        self.op_l32i_n(A0, A1, 0)
        if _fits(8, self.stack_adjust):
            self.op_addi(A1, A1, self.stack_adjust)
        else:
            self.op_movi(A9, self.stack_adjust)
            self.op_add_n(A1, A1, A9)
        self.op_ret_n()

    # ---- branches -------------------------------------------------------------------

    def jump(self, label: int) -> None:
        self.op_j(self._dest(label) - self.code_offset - 4)

    def _backward(self, label: int) -> tuple[bool, int]:
        dest = self.label_dest(label)
        rel = self._dest(label) - self.code_offset - 4
        return dest is not None and rel < 0, rel

    def _short_branch(self, rel: int, bits: int, what: str) -> None:
        """Before 1.26 a branch is only its short form; asmxtensa.c prints an error past its range
        (and writes the truncated offset), which this compiler refuses to copy."""
        if self.pass_ == PASS_EMIT and not _fits(bits, rel):
            from .emitnative import NativeRefused

            raise NativeRefused(f"a branch beyond the {bits}-bit range of xtensa {what}, where the "
                                f"official mpy-cross prints 'ERROR: xtensa {what} out of range' and writes wrong code")

    def _bccz_label(self, cond: int, reg: int, label: int) -> None:
        if not self.has_rule("xtensa_long_branches"):
            rel = self._dest(label) - self.code_offset - 4
            self._short_branch(rel, 12, "bccz")
            self.op_bccz(cond, reg, rel)
            return
        short, rel = self._backward(label)
        if short and _fits(12, rel):
            self.op_bccz(cond, reg, rel)
            return
        self._check_range(rel - 6, "bccz")
        self.op_bccz(cond ^ 1, reg, 6 - 4)  # skip over a long jump on the opposite condition
        self.op_j(rel - 3)

    def _bcc_label(self, cond: int, r1: int, r2: int, label: int) -> None:
        if not self.has_rule("xtensa_long_branches"):
            rel = self._dest(label) - self.code_offset - 4
            self._short_branch(rel, 8, "bcc")
            self.op_bcc(cond, r1, r2, rel)
            return
        short, rel = self._backward(label)
        if short and _fits(8, rel):
            self.op_bcc(cond, r1, r2, rel)
            return
        self._check_range(rel - 6, "bcc")
        self.op_bcc(cond ^ 8, r1, r2, 6 - 4)
        self.op_j(rel - 3)

    def _check_range(self, rel: int, what: str) -> None:
        if self.pass_ == PASS_EMIT and not _fits(18, rel):
            from .emitnative import NativeNotImplemented

            raise NativeNotImplemented(f"ERROR: xtensa {what} out of range", kind="RuntimeError")

    def jump_if_reg_zero(self, reg: int, label: int, bool_test: bool) -> None:
        self._bccz_label(CCZ_EQ, reg, label)

    def jump_if_reg_nonzero(self, reg: int, label: int, bool_test: bool) -> None:
        self._bccz_label(CCZ_NE, reg, label)

    def jump_if_reg_eq(self, reg1: int, reg2: int, label: int) -> None:
        self._bcc_label(CC_EQ, reg1, reg2, label)

    def jump_reg(self, reg: int) -> None:
        self.op_jx(reg)

    # ---- moves ------------------------------------------------------------------------

    def mov_reg_i32(self, reg_dest: int, i32: int) -> int:
        table = self.const_table_offset if self.const_table_offset is not None else 0
        loc = table + self.cur_const * WORD_SIZE
        self.op_l32r(reg_dest, self.code_offset, loc)
        if self.const_table_offset is not None:
            self.consts[self.cur_const] = i32  # (even in dead code, as asmxtensa.c does)
        self.cur_const += 1
        return loc

    def mov_reg_imm_fix_u16(self, reg_dest: int, imm: int) -> int:
        """ASM_MOV_REG_IMM_FIX_U16 / _WORD (.mpy v5 qstr links): a literal; where it is."""
        return self.mov_reg_i32(reg_dest, imm & 0xFFFFFFFF)

    mov_reg_imm_fix_word = mov_reg_imm_fix_u16

    def mov_reg_imm(self, reg_dest: int, imm: int) -> None:
        i32 = imm & 0xFFFFFFFF
        s32 = i32 - (1 << 32) if i32 & 0x80000000 else i32
        if -32 <= s32 <= 95 and self.has_rule("xtensa_movi_n"):
            self.op_movi_n(reg_dest, s32)
        elif _fits(12, i32):
            self.op_movi(reg_dest, s32)
        else:
            self.mov_reg_i32(reg_dest, i32)

    def mov_local_reg(self, local_num: int, reg_src: int) -> None:
        self.op_s32i(reg_src, A1, self.num_regs_saved + local_num)

    def mov_reg_local(self, reg_dest: int, local_num: int) -> None:
        self.op_l32i(reg_dest, A1, self.num_regs_saved + local_num)

    def mov_reg_local_addr(self, reg_dest: int, local_num: int) -> None:
        off = (self.num_regs_saved + local_num) * WORD_SIZE
        if _fits(8, off):
            self.op_addi(reg_dest, A1, off)
        else:
            self.op_movi(reg_dest, off)
            self.op_add_n(reg_dest, reg_dest, A1)

    def mov_reg_reg(self, dest: int, src: int) -> None:
        self.op_mov_n(dest, src)

    def mov_reg_pcrel(self, reg_dest: int, label: int) -> None:
        rel = self._dest(label) - self.code_offset - (3 + 3)  # the movi, then call0's adjustment
        self.op_movi(reg_dest, rel)
        off = self.code_offset >> 1 & 1
        pad = (5 - self.code_offset) & 3
        self.op_call0(off)  # a0 = the address after it
        self.write(bytes(pad))
        self.op_add_n(reg_dest, reg_dest, A0)

    # ---- loads, stores, calls -------------------------------------------------------

    def _asm_overflow(self) -> None:
        from .emitnative import NativeNotImplemented

        raise NativeNotImplemented("asm overflow", kind="RuntimeError")

    def _l32i_optimised(self, dest: int, base: int, word_offset: int) -> None:
        if word_offset < 16:
            self.op_l32i_n(dest, base, word_offset)
        elif word_offset < 256 or not self.has_rule("xtensa_word_offsets_optimised"):
            self.op_l32i(dest, base, word_offset)
        elif not self.has_rule("xtensa_load_store_offsets"):
            self._asm_overflow()
        else:
            self.mov_reg_imm(dest, word_offset * 4)
            self.op_add_n(dest, base, dest)
            self.op_l32i_n(dest, dest, 0)

    def short_imm_index_access(self, load: bool, size: int, reg: int, base: int, index: int) -> bool:
        """1.25's emitnative.c: ptr[1..255] in one load or store (the offset's low 8 bits;
        words through l32i/s32i_optimised). Its stores write REG_RET, not the value register."""
        if not (self.has_rule("xtensa_viper_imm_offset") and 0 < index < 256):
            return False
        if not load:
            reg = self.REG_RET
        if size == 2:
            (self._l32i_optimised if load else self._s32i_optimised)(reg, base, index)
        else:
            self.op24(_rri8(2, (0 if load else 4) | size, base, reg, index & 0xFF))  # l8ui l16ui s8i s16i
        return True

    def _s32i_optimised(self, src: int, base: int, word_offset: int) -> None:
        if word_offset < 16:
            self.op_s32i_n(src, base, word_offset)
        else:
            self.op_s32i(src, base, word_offset)

    @property
    def load_offset_sizes(self):
        # before 1.26 only ASM_LOAD16_REG_REG_OFFSET (a bare l16ui) and the word load exist
        return (0, 1, 2) if self.has_rule("xtensa_load_store_offsets") else (1,)

    @property
    def store_offset_sizes(self):
        return (0, 1, 2) if self.has_rule("xtensa_load_store_offsets") else ()

    @property
    def indexed_sizes_before_offsets(self):
        # 1.25: viper's register-indexed 16/32-bit loads and stores by addx2/addx4
        return (1, 2) if self.has_rule("xtensa_viper_addx_index") else ()

    def _load(self, dest: int, base: int, offset: int, size: int) -> None:
        if not self.has_rule("xtensa_load_store_offsets"):
            if size == 2:
                self._l32i_optimised(dest, base, offset)
            else:  # l16ui with the offset's low 8 bits
                self.op24(_rri8(2, size, base, dest, offset & 0xFF))
            return
        if size == 2 and 0 <= offset < 16:
            self.op_l32i_n(dest, base, offset)
        elif 0 <= offset < 256:
            self.op24(_rri8(2, size, base, dest, offset))
        else:
            self.mov_reg_imm(dest, offset << size)
            self.op_add_n(dest, base, dest)
            if size == 2:
                self.op_l32i_n(dest, dest, 0)
            else:
                self.op24(_rri8(2, size, dest, dest, 0))

    def _store(self, src: int, base: int, offset: int, size: int) -> None:
        if not self.has_rule("xtensa_load_store_offsets") and not 0 <= offset < 256:
            self._asm_overflow()  # asm_xtensa_s32i_optimised
        if size == 2 and 0 <= offset < 16:
            self.op_s32i_n(src, base, offset)
        elif 0 <= offset < 256:
            self.op24(_rri8(2, 0x04 | size, base, src, offset))
        else:
            self.mov_reg_imm(self.REG_TEMP, offset << size)
            self.op_add_n(self.REG_TEMP, base, self.REG_TEMP)
            if size == 2:
                self.op_s32i_n(src, self.REG_TEMP, 0)
            else:
                self.op24(_rri8(2, 0x04 | size, self.REG_TEMP, src, 0))

    def call_ind(self, fun_id: int) -> None:
        self._l32i_optimised(A0, self.REG_FUN_TABLE, fun_id)
        self.op_callx0(A0)

    def call_setup_code_state(self, fun_id: int) -> None:
        self.call_ind(fun_id)

    # ---- the generic interface (py/asmxtensa.h GENERIC_ASM_API) -------------------------

    not_reg = None  # no ASM_NOT_REG: the emitter xors with -1

    def neg_reg(self, reg: int) -> None:
        self.op24(_rrr(0, 0, 6, reg, 0, reg))

    def lsl_reg_reg(self, reg_dest: int, reg_shift: int) -> None:
        self.op24(_rrr(0, 0, 4, 1, reg_shift, 0))  # ssl
        self.op24(_rrr(0, 1, 10, reg_dest, reg_dest, 0))  # sll

    def lsr_reg_reg(self, reg_dest: int, reg_shift: int) -> None:
        self.op24(_rrr(0, 0, 4, 0, reg_shift, 0))  # ssr
        self.op24(_rrr(0, 1, 9, reg_dest, 0, reg_dest))  # srl

    def asr_reg_reg(self, reg_dest: int, reg_shift: int) -> None:
        self.op24(_rrr(0, 0, 4, 0, reg_shift, 0))  # ssr
        self.op24(_rrr(0, 1, 11, reg_dest, 0, reg_dest))  # sra

    def or_reg_reg(self, dest: int, src: int) -> None:
        self.op24(_rrr(0, 0, 2, dest, dest, src))

    def xor_reg_reg(self, dest: int, src: int) -> None:
        self.op24(_rrr(0, 0, 3, dest, dest, src))

    def and_reg_reg(self, dest: int, src: int) -> None:
        self.op24(_rrr(0, 0, 1, dest, dest, src))

    def add_reg_reg(self, dest: int, src: int) -> None:
        self.op_add_n(dest, dest, src)

    def sub_reg_reg(self, dest: int, src: int) -> None:
        self.op_sub(dest, dest, src)

    def mul_reg_reg(self, dest: int, src: int) -> None:
        self.op24(_rrr(0, 2, 8, dest, dest, src))

    def load_reg_reg_offset(self, dest: int, base: int, word_offset: int) -> None:
        if not self.has_rule("xtensa_word_offsets_optimised"):
            self.op_l32i_n(dest, base, word_offset)  # (before: always l32i.n, the offset's low 4 bits)
            return
        self._load(dest, base, word_offset, 2)

    def load8_reg_reg_offset(self, dest: int, base: int, offset: int) -> None:
        self._load(dest, base, offset, 0)

    def load16_reg_reg_offset(self, dest: int, base: int, offset: int) -> None:
        self._load(dest, base, offset, 1)

    def load32_reg_reg_offset(self, dest: int, base: int, offset: int) -> None:
        self._load(dest, base, offset, 2)

    def store_reg_reg_offset(self, src: int, base: int, word_offset: int) -> None:
        if not self.has_rule("xtensa_word_offsets_optimised"):
            self.op_s32i_n(src, base, word_offset)  # (before: always s32i.n, the offset's low 4 bits)
            return
        self._store(src, base, word_offset, 2)

    def store8_reg_reg_offset(self, src: int, base: int, offset: int) -> None:
        self._store(src, base, offset, 0)

    def store16_reg_reg_offset(self, src: int, base: int, offset: int) -> None:
        self._store(src, base, offset, 1)

    def store32_reg_reg_offset(self, src: int, base: int, offset: int) -> None:
        self._store(src, base, offset, 2)

    def _index(self, size: int, base: int, index: int) -> None:
        """base += index << size (add.n, addx2, addx4)."""
        if size == 0:
            self.op_add_n(base, index, base)
        else:
            self.op24(_rrr(0, 0, 9 if size == 1 else 10, base, index, base))

    def load_reg_reg_reg(self, size: int, dest: int, base: int, index: int) -> None:
        self._index(size, base, index)
        if size == 2:
            self.op_l32i_n(dest, base, 0)
        else:
            self.op24(_rri8(2, size, base, dest, 0))  # l8ui / l16ui

    def store_reg_reg_reg(self, size: int, value: int, base: int, index: int) -> None:
        self._index(size, base, index)
        if size == 2:
            self.op_s32i_n(value, base, 0)
        else:
            self.op24(_rri8(2, 4 | size, base, value, 0))  # s8i / s16i

    def clr_reg(self, reg: int) -> None:
        self.op_movi_n(reg, 0)

    def setcc_compare(self, op_idx: int, dest: int, lhs: int, rhs: int, unsigned: bool) -> None:
        """emitnative.c binary_op, N_XTENSA: movi 1; b<cc> over; movi 0 (GT, LE by swapping)."""
        ccs = ((CC_LTU, 0x80 | CC_LTU, CC_EQ, 0x80 | CC_GEU, CC_GEU, CC_NE) if unsigned
               else (CC_LT, 0x80 | CC_LT, CC_EQ, 0x80 | CC_GE, CC_GE, CC_NE))
        cc = ccs[op_idx]
        if cc & 0x80:
            lhs, rhs = rhs, lhs
        self.op_movi_n(dest, 1)
        self.op_bcc(cc & ~0x80, lhs, rhs, 1)
        self.op_movi_n(dest, 0)


class AsmXtensaWin(AsmXtensa):
    """`-march=xtensawin` (ESP32, the windowed ABI): `entry`/`retw.n`, calls by `callx8`.

    The caller's arguments arrive in a2-a5 (REG_PARENT_*); the callee's outgoing
    arguments and results are a10-a13 of the rotated window."""

    REG_PARENT_RET = A2
    REG_PARENT_ARG_1, REG_PARENT_ARG_2, REG_PARENT_ARG_3, REG_PARENT_ARG_4 = A2, A3, A4, A5
    REG_RET = A10
    REG_ARG_1, REG_ARG_2, REG_ARG_3, REG_ARG_4 = A10, A11, A12, A13
    REG_ARG_5 = None
    REG_TEMP0, REG_TEMP1, REG_TEMP2 = A10, A11, A12
    REG_LOCAL_1, REG_LOCAL_2, REG_LOCAL_3 = A4, A5, A6
    REG_FUN_TABLE = A7
    # asmxtensa.c picks ASM_XTENSA_REG_TEMPORARY_WIN (a12) only `#if N_XTENSAWIN`, which is
    # defined in emitnxtensawin.c alone, so the official stores through a6 here as well
    REG_TEMP = A6
    NLR_BUF_IDX_LOCAL_1 = 2 + 4  # emitnxtensawin.c: a4
    NLR_BUF_NUM_REGS = 17  # MICROPY_NLR_NUM_REGS_XTENSAWIN
    nlr_setjmp = True  # emitnxtensawin.c N_NLR_SETJMP
    prelude_as_bytes_obj = True  # emitnxtensawin.c N_PRELUDE_AS_BYTES_OBJ
    const_table_rule = "xtensawin_const_table_if_used"  # asm_xtensa_entry_win
    num_regs_saved = 1  # ASM_XTENSA_NUM_REGS_SAVED_WIN: a0

    def entry(self, num_locals: int) -> None:
        self._const_table()
        self.stack_adjust = 32 + ((((1 + num_locals) * WORD_SIZE) + 15) & ~15)
        self.op24((((self.stack_adjust // 8) & 0xFFF) << 12) | (A1 << 8) | (3 << 4) | 6)  # entry a1, n
        self.op_s32i_n(A0, A1, 0)

    def exit(self) -> None:
        self.op_l32i_n(A0, A1, 0)
        self.op16(_rrrn(13, 15, 0, 1))  # retw.n

    def call_ind(self, fun_id: int) -> None:
        self._l32i_optimised(A8, self.REG_FUN_TABLE, fun_id)
        self.op24((A8 << 8) | (3 << 6) | (2 << 4))  # callx8 a8
