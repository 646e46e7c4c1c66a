"""The ARM Thumb encoder behind `-march=armv6m` .. `armv7emdp` (after py/asmthumb.c and
py/asmthumb.h).

Thumb instructions are 16-bit halfwords, some 32-bit pairs (Thumb-2, armv7m
and up only). The formats used here (bit 15 on the left):

    format 1  000oo iiiii sss ddd        lsl/lsr/asr rd, rs, #imm5
    format 2  00011 Io nnn sss ddd       add/sub rd, rs, rn|#imm3
    format 3  001oo ddd iiiiiiii         mov/cmp/add/sub rd, #imm8   (01001 ddd: ldr rd, [pc, #imm8*4])
    format 4  010000 oooo sss ddd        and eor lsl lsr asr ... mul bic mvn rd, rs
    format 5  010001 oo D sssS ddd       add/mov/bx with high registers
    format 7  0101 LB0 mmm nnn ddd       ldr/str(b) rd, [rn, rm]  (8: ldrh/strh 0101 x01)
    format 9  011 BL iiiii nnn ddd       ldr/str(b) rd, [rn, #imm5(*4)] (10: 1000 L ldrh/strh, *2)
    sp-rel    1001 L ddd iiiiiiii        ldr/str rd, [sp, #imm8*4]; 10101 ddd: add rd, sp, #imm8*4
    push/pop  1011 L10 R rrrrrrrr        (R: lr for push, pc for pop)
    branches  1101 cccc iiiiiiii (b<cc> #imm8*2), 11100 iiiiiiiiiii (b #imm11*2),
              11110 S cccc iiiiii / 10 J1 0 J2 iiiiiiiiiii (b<cc>.w), 11110 / 10111 (b.w)
    movw/movt 11110 i 10 o100 iiii / 0 iii dddd iiiiiiii

armv6m (Thumb-1) has none of the 32-bit forms: constants are built from
8-bit moves and shifts or loaded from a literal placed in the code, and long
branches go through r1. (`-march=armv6` native code is ARM, not Thumb: py/asmarm.c.)
Calling convention (AAPCS): arguments
in r0-r3, result in r0; r4-r6 hold the emitter's locals, r7 `mp_fun_table`.
"""

from __future__ import annotations

from .asmbase import PASS_EMIT, AsmBase

R0, R1, R2, R3, R4, R5, R6, R7 = range(8)
R8, R9, R10, R11, R12, R13, R14, R15 = range(8, 16)
SP = R13

CC_EQ, CC_NE, CC_CS, CC_CC, CC_MI, CC_PL, CC_VS, CC_VC = range(8)
CC_HI, CC_LS, CC_GE, CC_LT, CC_GT, CC_LE = range(8, 14)

OP_NOP = 0xBF00
OP_MOVW, OP_MOVT = 0xF240, 0xF2C0
# IT blocks "if <cc> then mov, else mov" (asmthumb.h ASM_THUMB_OP_ITE_*)
OP_ITE = {CC_EQ: 0xBF0C, CC_NE: 0xBF14, CC_CS: 0xBF2C, CC_CC: 0xBF34, CC_HI: 0xBF8C, CC_LS: 0xBF94,
          CC_GE: 0xBFAC, CC_LT: 0xBFB4, CC_GT: 0xBFCC, CC_LE: 0xBFD4}

F1_LSL, F1_LSR, F1_ASR = 0x0000, 0x0800, 0x1000
F2_ADD, F2_SUB, F2_IMM = 0x1800, 0x1A00, 0x0400
F3_MOV, F3_CMP, F3_ADD, F3_SUB, F3_LDR = 0x2000, 0x2800, 0x3000, 0x3800, 0x4800
F4 = {"and": 0x4000, "eor": 0x4040, "lsl": 0x4080, "lsr": 0x40C0, "asr": 0x4100, "neg": 0x4240,
      "cmp": 0x4280, "orr": 0x4300, "mul": 0x4340, "mvn": 0x43C0}
F5_ADD, F5_BX = 0x4400, 0x4700
F7_LDR, F7_STR, F7_BYTE, F8_LDRH, F8_STRH = 0x5800, 0x5000, 0x0400, 0x5A00, 0x5200
SXTH = 0xB200
# asmthumb.c OP_LDR_STR_TABLE: the T1 opcode (<< 11) of strb/ldrb, strh/ldrh, str/ldr
_LDR_STR_T1 = (0x0E, 0x10, 0x0C)

WORD_SIZE = 4


def _s32(x: int) -> int:
    x &= 0xFFFFFFFF
    return x - (1 << 32) if x & 0x80000000 else x


def _fit_signed(bits: int, x: int) -> bool:
    x = _s32(x)
    return -(1 << (bits - 1)) <= x < (1 << (bits - 1))


def _op_b_n(rel: int) -> int:
    return 0xE000 | ((rel >> 1) & 0x07FF)


def _op_bcc_n(cond: int, rel: int) -> int:
    return 0xD000 | (cond << 8) | ((rel >> 1) & 0x00FF)


class AsmThumb(AsmBase):
    """Thumb machine code for one function; `armv7m` enables the Thumb-2 forms."""

    word_size = WORD_SIZE
    REG_RET = R0
    REG_ARG_1, REG_ARG_2, REG_ARG_3, REG_ARG_4 = R0, R1, R2, R3
    REG_ARG_5 = None  # further arguments go on the stack
    REG_TEMP0, REG_TEMP1, REG_TEMP2 = R0, R1, R2
    REG_LOCAL_1, REG_LOCAL_2, REG_LOCAL_3 = R4, R5, R6
    REG_FUN_TABLE = R7
    REG_SHIFT_COUNT = None  # shifts take any register
    NLR_BUF_IDX_LOCAL_1 = 3  # emitnthumb.c: r4
    # mpy-cross/main.c: MICROPY_NLR_NUM_REGS_ARM_THUMB_FP for every Thumb -march
    NLR_BUF_NUM_REGS = 16
    loads_reg_reg_reg = True  # asmthumb.h has ASM_LOAD8_REG_REG_REG and friends
    byte_store_needs_low_reg = False

    @classmethod
    def for_compile(cls, arch: str, arch_flags: int, shared: dict) -> "AsmThumb":
        return cls(arch)

    def __init__(self, arch: str):
        super().__init__()
        self.arch = arch
        self.armv7m = arch in ("armv7m", "armv7em", "armv7emsp", "armv7emdp")
        self.push_reglist = 0
        self.stack_adjust = 0

    # ---- raw output -----------------------------------------------------------

    def op16(self, op: int) -> None:
        self.write((op & 0xFFFF).to_bytes(2, "little"))

    def op32(self, op1: int, op2: int) -> None:
        self.write((op1 & 0xFFFF).to_bytes(2, "little") + (op2 & 0xFFFF).to_bytes(2, "little"))

    def _dest(self, label: int) -> int:
        dest = self.label_dest(label)
        return 0xFFFFFFFF if dest is None else dest  # (mp_uint_t)-1 when not yet known

    # ---- formats ----------------------------------------------------------------

    def format_1(self, op: int, rlo_dest: int, rlo_src: int, offset: int) -> None:
        self.op16(op | (offset << 6) | (rlo_src << 3) | rlo_dest)

    def format_2(self, op: int, rlo_dest: int, rlo_src: int, src_b: int) -> None:
        self.op16(op | (src_b << 6) | (rlo_src << 3) | rlo_dest)

    def format_3(self, op: int, rlo: int, i8: int) -> None:
        self.op16(op | (rlo << 8) | (i8 & 0xFF))

    def format_4(self, name: str, rlo_dest: int, rlo_src: int) -> None:
        self.op16(F4[name] | (rlo_src << 3) | rlo_dest)

    def format_5(self, op: int, r_dest: int, r_src: int) -> None:
        self.op16(op | ((r_dest << 4) & 0x0080) | (r_src << 3) | (r_dest & 0x0007))

    def format_7_8(self, op: int, rlo_dest: int, rlo_base: int, rlo_index: int) -> None:
        self.op16(op | (rlo_index << 6) | (rlo_base << 3) | rlo_dest)

    def mov_rlo_i8(self, rlo: int, i8: int) -> None:
        self.format_3(F3_MOV, rlo, i8)

    def add_rlo_i8(self, rlo: int, i8: int) -> None:
        self.format_3(F3_ADD, rlo, i8)

    def cmp_rlo_i8(self, rlo: int, i8: int) -> None:
        self.format_3(F3_CMP, rlo, i8)

    def lsl_rlo_rlo_i5(self, rlo_dest: int, rlo_src: int, shift: int) -> None:
        self.format_1(F1_LSL, rlo_dest, rlo_src, shift)

    def add_rlo_rlo_rlo(self, d: int, a: int, b: int) -> None:
        self.format_2(F2_ADD, d, a, b)

    def sub_rlo_rlo_rlo(self, d: int, a: int, b: int) -> None:
        self.format_2(F2_SUB, d, a, b)

    def sxth_rlo_rlo(self, rlo_dest: int, rlo_src: int) -> None:
        self.op16(SXTH | (rlo_src << 3) | rlo_dest)

    def add_reg_reg_hi(self, r_dest: int, r_src: int) -> None:
        self.format_5(F5_ADD, r_dest, r_src)

    # ---- function entry and exit -------------------------------------------------

    def entry(self, num_locals: int) -> None:
        if num_locals <= 1:
            reglist, stack_adjust = 0xF2, 0
        elif num_locals <= 3:
            reglist, stack_adjust = 0xFE, 0
        else:
            reglist, stack_adjust = 0xFE, ((num_locals - 3) + 1) & ~1
        self.op16(0xB400 | 0x0100 | reglist)  # push {reglist, lr}
        if stack_adjust > 0:
            self._adjust_sp(0xB080, 0xF2A0, stack_adjust)  # sub sp
        self.push_reglist = reglist
        self.stack_adjust = stack_adjust

    def _adjust_sp(self, op16: int, op32_hi: int, words: int) -> None:
        if self.armv7m:
            if words < 128:
                self.op16(op16 | words)
            else:
                imm11 = words * 4
                self.op32(op32_hi | SP, (imm11 << 4 & 0x7000) | SP << 8 | (imm11 & 0xFF))
        else:
            while words >= 128:
                self.op16(op16 | 127)
                words -= 127
            self.op16(op16 | words)

    def exit(self) -> None:
        if self.stack_adjust > 0:
            self._adjust_sp(0xB000, 0xF200, self.stack_adjust)  # add sp
        self.op16(0xBC00 | 0x0100 | self.push_reglist)  # pop {reglist, pc}

    # ---- moves ------------------------------------------------------------------

    def mov_reg_reg(self, reg_dest: int, reg_src: int) -> None:
        op_lo = (reg_src << 3) if reg_src < 8 else 0x40 | ((reg_src - 8) << 3)
        op_lo |= reg_dest if reg_dest < 8 else 0x80 | (reg_dest - 8)
        self.op16(0x4600 | op_lo)

    def mov_reg_i16(self, mov_op: int, reg_dest: int, i16: int) -> None:
        self.op32(mov_op | ((i16 >> 1) & 0x0400) | ((i16 >> 12) & 0xF),
                  ((i16 & 0xFFFF) << 4 & 0x7000) | (reg_dest << 8) | (i16 & 0xFF))

    def mov_rlo_i16(self, rlo_dest: int, i16: int) -> None:
        self.mov_rlo_i8(rlo_dest, (i16 >> 8) & 0xFF)
        self.lsl_rlo_rlo_i5(rlo_dest, rlo_dest, 8)
        self.add_rlo_i8(rlo_dest, i16 & 0xFF)

    def mov_reg_i32(self, reg_dest: int, i32: int) -> int:
        loc = self.code_offset
        i32 &= 0xFFFFFFFF
        if self.armv7m:
            self.mov_reg_i16(OP_MOVW, reg_dest, i32 & 0xFFFF)
            self.mov_reg_i16(OP_MOVT, reg_dest, i32 >> 16)
        else:
            # ldr rd, [pc, #0]; b over the literal (aligned to a word)
            if self.code_offset & 2:
                self.op16(OP_NOP)
            self.format_3(F3_LDR, reg_dest, 0)
            self.op16(_op_b_n(2))
            self.op16(i32 & 0xFFFF)
            self.op16(i32 >> 16)
        return loc

    def mov_reg_i32_optimised(self, reg_dest: int, i32: int) -> None:
        i32 = _s32(i32)
        u32 = i32 & 0xFFFFFFFF
        if reg_dest < 8 and u32 < 256:
            self.mov_rlo_i8(reg_dest, u32)
        elif self.armv7m:
            if u32 < 0x10000:
                self.mov_reg_i16(OP_MOVW, reg_dest, u32)
            else:
                self.mov_reg_i32(reg_dest, u32)
        else:
            negate = i32 < 0 and ((i32 + i32) & 0xFFFFFFFF) != 0  # not 0x80000000
            if negate:
                i32 = -i32
            u32 = i32 & 0xFFFFFFFF
            clz = 32 - u32.bit_length()
            ctz = (u32 & -u32).bit_length() - 1 if u32 else 0
            if clz + ctz >= 24:
                self.mov_rlo_i8(reg_dest, (u32 >> ctz) & 0xFF)
                self.lsl_rlo_rlo_i5(reg_dest, reg_dest, ctz)
            elif u32 < 0x10000:
                self.mov_rlo_i16(reg_dest, u32)
            else:
                if negate:
                    negate = False
                    i32 = -i32
                self.mov_reg_i32(reg_dest, i32)
            if negate:
                self.format_4("neg", reg_dest, reg_dest)

    def _local_check(self, word_offset: int) -> None:
        if self.pass_ >= PASS_EMIT and not 0 <= word_offset < 256:
            from .emitnative import NativeNotImplemented

            raise NativeNotImplemented("too many locals for native method")

    def mov_local_reg(self, local_num: int, rlo_src: int) -> None:
        self._local_check(local_num)
        self.op16(0x9000 | (rlo_src << 8) | (local_num & 0xFF))  # str rlo, [sp, #n*4]

    def mov_reg_local(self, rlo_dest: int, local_num: int) -> None:
        self._local_check(local_num)
        self.op16(0x9800 | (rlo_dest << 8) | (local_num & 0xFF))  # ldr rlo, [sp, #n*4]

    def mov_reg_local_addr(self, rlo_dest: int, local_num: int) -> None:
        self.op16(0xA800 | (rlo_dest << 8) | (local_num & 0xFF))  # add rlo, sp, #n*4

    def mov_reg_pcrel(self, rlo_dest: int, label: int) -> None:
        rel = self._dest(label) - self.code_offset
        rel |= 1  # stay in Thumb state when jumping there
        if self.armv7m and not self.has_rule("thumb_pcrel_sxth"):
            rel -= 4 + 4  # (before the rule: the 16-bit offset, not sign-extended)
            self.mov_reg_i16(OP_MOVW, rlo_dest, rel & 0xFFFF)
        elif self.armv7m:
            rel -= 6 + 4
            self.mov_reg_i16(OP_MOVW, rlo_dest, rel & 0xFFFF)
            self.sxth_rlo_rlo(rlo_dest, rlo_dest)
        else:
            rel -= 8 + 4
            self.mov_rlo_i16(rlo_dest, rel & 0xFFFF)
            self.sxth_rlo_rlo(rlo_dest, rlo_dest)  # kept so the size never changes
        self.add_reg_reg_hi(rlo_dest, R15)

    # ---- loads and stores ----------------------------------------------------------

    def _add_reg_reg_offset(self, reg_dest: int, reg_base: int, offset: int, shift: int) -> None:
        """reg_dest = reg_base + offset << shift (low registers only)."""
        if ((offset << shift) & 0xFFFFFFFF) < 256:  # asmthumb.c compares it as a uint (a negative offset: no)
            if reg_dest != reg_base:
                self.mov_reg_reg(reg_dest, reg_base)
            self.add_rlo_i8(reg_dest, offset << shift)
        elif 0 <= offset < 256 and reg_dest != reg_base:
            self.mov_rlo_i8(reg_dest, offset)
            self.lsl_rlo_rlo_i5(reg_dest, reg_dest, shift)
            self.add_rlo_rlo_rlo(reg_dest, reg_dest, reg_base)
        elif reg_dest != reg_base:
            self.mov_reg_i32_optimised(reg_dest, offset << shift)
            self.add_rlo_rlo_rlo(reg_dest, reg_dest, reg_base)
        else:
            other = reg_dest ^ 7
            self.op16(0xB400 | (1 << other))
            self.mov_reg_i32_optimised(other, offset << shift)
            self.add_rlo_rlo_rlo(reg_dest, reg_dest, other)
            self.op16(0xBC00 | (1 << other))

    def _ldr_str(self, load: bool, reg: int, reg_base: int, offset: int, size: int) -> None:
        bit = 1 if load else 0
        if 0 <= offset < 32 and reg < 8 and reg_base < 8:
            self.op16(((_LDR_STR_T1[size] | bit) << 11) | (offset << 6) | (reg_base << 3) | reg)  # T1
        elif self.armv7m and 0 <= (offset << size) < 4096:
            self.op32((0xF880 | size << 5) | reg_base | (0x10 if load else 0), (reg << 12) | (offset << size))  # T3
        elif load:
            self._add_reg_reg_offset(reg, reg_base, offset - 31, size)
            self.op16(((_LDR_STR_T1[size] | 1) << 11) | (31 << 6) | (reg << 3) | reg)
        else:
            self.op16(0xB400 | (1 << reg_base))
            self._add_reg_reg_offset(reg_base, reg_base, offset - 31, size)
            self.op16((_LDR_STR_T1[size] << 11) | (31 << 6) | (reg_base << 3) | reg)
            self.op16(0xBC00 | (1 << reg_base))

    # ---- branches ---------------------------------------------------------------

    def b_label(self, label: int) -> None:
        dest = self.label_dest(label)
        rel = self._dest(label) - self.code_offset - 4  # the PC reads 4 bytes ahead
        if dest is not None and rel <= -4 and _fit_signed(12, rel):
            self.op16(_op_b_n(rel))  # a backward jump: its size is known on the first pass
            return
        if self.armv7m:
            self.op32(0xF000 | ((rel >> 12) & 0x07FF), 0xB800 | ((rel >> 1) & 0x07FF))
            return
        if not self.has_rule("thumb1_long_jumps"):
            # Thumb-1 before long jumps: one halfword, and a known destination out of b.n's range fails
            if _fit_signed(12, rel):
                self.op16(_op_b_n(rel))
            else:
                self.op16(OP_NOP)
                if dest is not None:
                    from .emitnative import NativeNotImplemented

                    raise NativeNotImplemented("native method too big")
            return
        # Thumb-1: the same size whatever rel is
        need_align = self.code_offset & 2
        if _fit_signed(12, rel):
            self.op16(_op_b_n(rel))
            for _ in range(4 if need_align else 3):
                self.op16(OP_NOP)
        else:
            # (nop) ldr r1, [pc, #0]; add pc, r1; .word rel  (r0 may hold the return value)
            rel -= 2
            if need_align:
                self.op16(OP_NOP)
                rel -= 2
            self.format_3(F3_LDR, R1, 0)
            self.add_reg_reg_hi(R15, R1)
            self.op16(rel & 0xFFFF)
            self.op16((rel >> 16) & 0xFFFF)

    def bcc_label(self, cond: int, label: int) -> None:
        dest = self.label_dest(label)
        rel = self._dest(label) - self.code_offset - 4
        if dest is not None and rel <= -4 and _fit_signed(9, rel):
            self.op16(_op_bcc_n(cond, rel))
            return
        if self.armv7m:
            if self.has_rule("thumb_bcc_wide_fixed"):
                self.op32(0xF000 | (cond << 6) | ((rel >> 10) & 0x0400) | ((rel >> 12) & 0x003F),
                          0x8000 | ((rel >> 5) & 0x2000) | ((rel >> 8) & 0x0800) | ((rel >> 1) & 0x07FF))
            else:
                # the T3 encoding as written before the fix: imm6 and J1 taken from the wrong bits
                self.op32(0xF000 | (cond << 6) | ((rel >> 10) & 0x0400) | ((rel >> 14) & 0x003F),
                          0x8000 | (rel & 0x2000) | ((rel >> 1) & 0x0FFF))
            return
        # Thumb-1: branch on the opposite condition over a long unconditional branch
        start = self.code_offset
        slot = len(self.code)
        self.op16(0)  # placeholder, written below
        self.b_label(label)
        if self.pass_ == PASS_EMIT and not self.suppress:
            op = _op_bcc_n(cond ^ 1, self.code_offset - start - 4)
            self.code[slot:slot + 2] = (op & 0xFFFF).to_bytes(2, "little")

    def bcc_rel9(self, cond: int, rel: int) -> None:
        self.op16(_op_bcc_n(cond, rel - 4))

    def b_rel12(self, rel: int) -> None:
        self.op16(_op_b_n(rel - 4))

    def bl_ind(self, fun_id: int, reg_temp: int) -> None:
        self._ldr_str(True, reg_temp, R7, fun_id, 2)
        self.op16(0x4780 | (reg_temp << 3))  # blx reg_temp

    # ---- the generic interface (py/asmthumb.h GENERIC_ASM_API) ------------------------

    def jump(self, label: int) -> None:
        self.b_label(label)

    def jump_if_reg_zero(self, reg: int, label: int, bool_test: bool) -> None:
        self.cmp_rlo_i8(reg, 0)
        self.bcc_label(CC_EQ, label)

    def jump_if_reg_nonzero(self, reg: int, label: int, bool_test: bool) -> None:
        self.cmp_rlo_i8(reg, 0)
        self.bcc_label(CC_NE, label)

    def jump_if_reg_eq(self, reg1: int, reg2: int, label: int) -> None:
        self.format_4("cmp", reg1, reg2)
        self.bcc_label(CC_EQ, label)

    def jump_reg(self, reg: int) -> None:
        self.format_5(F5_BX, 0, reg)

    def call_ind(self, fun_id: int) -> None:
        self.bl_ind(fun_id, R3)

    def call_setup_code_state(self, fun_id: int) -> None:
        self.bl_ind(fun_id, R4)  # emitnative.c: r3 holds an argument here

    def mov_reg_imm(self, reg: int, imm: int) -> None:
        self.mov_reg_i32_optimised(reg, imm)

    def mov_reg_imm_fix_u16(self, reg: int, imm: int) -> int:
        """ASM_MOV_REG_IMM_FIX_U16 (.mpy v5 qstr links): movw (Thumb-2 mpy-cross builds); where it is."""
        loc = self.code_offset
        self.mov_reg_i16(OP_MOVW, reg, imm)
        return loc

    def mov_reg_imm_fix_word(self, reg: int, imm: int) -> int:
        return self.mov_reg_i32(reg, imm)

    def not_reg(self, reg: int) -> None:
        self.format_4("mvn", reg, reg)

    def neg_reg(self, reg: int) -> None:
        self.format_4("neg", reg, reg)

    def lsl_reg_reg(self, reg_dest: int, reg_shift: int) -> None:
        self.format_4("lsl", reg_dest, reg_shift)

    def lsr_reg_reg(self, reg_dest: int, reg_shift: int) -> None:
        self.format_4("lsr", reg_dest, reg_shift)

    def asr_reg_reg(self, reg_dest: int, reg_shift: int) -> None:
        self.format_4("asr", reg_dest, reg_shift)

    def or_reg_reg(self, dest: int, src: int) -> None:
        self.format_4("orr", dest, src)

    def xor_reg_reg(self, dest: int, src: int) -> None:
        self.format_4("eor", dest, src)

    def and_reg_reg(self, dest: int, src: int) -> None:
        self.format_4("and", dest, src)

    def add_reg_reg(self, dest: int, src: int) -> None:
        self.add_rlo_rlo_rlo(dest, dest, src)

    def sub_reg_reg(self, dest: int, src: int) -> None:
        self.sub_rlo_rlo_rlo(dest, dest, src)

    def mul_reg_reg(self, dest: int, src: int) -> None:
        self.format_4("mul", dest, src)

    def load_reg_reg_offset(self, dest: int, base: int, word_offset: int) -> None:
        self._ldr_str(True, dest, base, word_offset, 2)

    def load8_reg_reg_offset(self, dest: int, base: int, offset: int) -> None:
        self._ldr_str(True, dest, base, offset, 0)

    def load16_reg_reg_offset(self, dest: int, base: int, offset: int) -> None:
        self._ldr_str(True, dest, base, offset, 1)

    def load32_reg_reg_offset(self, dest: int, base: int, offset: int) -> None:
        self._ldr_str(True, dest, base, offset, 2)

    def store_reg_reg_offset(self, src: int, base: int, word_offset: int) -> None:
        if not self.has_rule("thumb_word_store_any_offset"):
            # (before: always the 16-bit str with the offset's low 5 bits, registers unchecked)
            self.op16((0x6000 | ((word_offset << 6) & 0x07C0) | (base << 3) | src) & 0xFFFF)
            return
        self._ldr_str(False, src, base, word_offset, 2)

    def store8_reg_reg_offset(self, src: int, base: int, offset: int) -> None:
        self._ldr_str(False, src, base, offset, 0)

    def store16_reg_reg_offset(self, src: int, base: int, offset: int) -> None:
        self._ldr_str(False, src, base, offset, 1)

    def store32_reg_reg_offset(self, src: int, base: int, offset: int) -> None:
        self._ldr_str(False, src, base, offset, 2)

    def short_imm_index_access(self, load: bool, size: int, reg: int, base: int, index: int) -> bool:
        if not 0 < index < 32:
            return False
        self._ldr_str(load, reg, base, index, size)  # asm_thumb_{ldr,str}{b,h,}_rlo_rlo_i5
        return True

    def load_reg_reg_reg(self, size: int, dest: int, base: int, index: int) -> None:
        """ASM_LOAD{8,16,32}_REG_REG_REG: dest = base[index] (size 0, 1, 2)."""
        if size == 0:
            self.format_7_8(F7_LDR | F7_BYTE, dest, base, index)
        else:
            # (before 1.28 the index register itself is scaled, and so clobbered)
            scaled = self.REG_TEMP2 if self.has_rule("thumb_index_kept") else index
            self.lsl_rlo_rlo_i5(scaled, index, size)
            self.format_7_8(F8_LDRH if size == 1 else F7_LDR, dest, base, scaled)

    def store_reg_reg_reg(self, size: int, value: int, base: int, index: int) -> None:
        """ASM_STORE{8,16,32}_REG_REG_REG: base[index] = value (the index register is kept)."""
        if size == 0:
            self.format_7_8(F7_STR | F7_BYTE, value, base, index)
        else:
            kept = self.has_rule("thumb_index_kept")
            if kept:
                self.op16(0xB400 | (1 << index))  # push {index}
            self.lsl_rlo_rlo_i5(index, index, size)
            self.format_7_8(F8_STRH if size == 1 else F7_STR, value, base, index)
            if kept:
                self.op16(0xBC00 | (1 << index))  # pop {index}

    def clr_reg(self, reg: int) -> None:
        self.mov_rlo_i8(reg, 0)

    def setcc_compare(self, op_idx: int, dest: int, lhs: int, rhs: int, unsigned: bool) -> None:
        """emitnative.c binary_op, N_THUMB: dest = (lhs <op> rhs) as 0 or 1."""
        ccs = ((CC_CC, CC_HI, CC_EQ, CC_LS, CC_CS, CC_NE) if unsigned
               else (CC_LT, CC_GT, CC_EQ, CC_LE, CC_GE, CC_NE))
        self.format_4("cmp", lhs, rhs)
        if self.armv7m and not self.has_rule("viper_uint_binary_ops"):
            # 1.12: ite of the opposite sense for <, <= and !=, the results swapped
            cc, first = ((CC_GE, 0), (CC_GT, 1), (CC_EQ, 1), (CC_GT, 0), (CC_GE, 1), (CC_EQ, 0))[op_idx]
            self.op16(OP_ITE[cc])
            self.mov_rlo_i8(dest, first)
            self.mov_rlo_i8(dest, first ^ 1)
        elif self.armv7m:
            self.op16(OP_ITE[ccs[op_idx]])
            self.mov_rlo_i8(dest, 1)
            self.mov_rlo_i8(dest, 0)
        else:
            self.bcc_rel9(ccs[op_idx], 6)
            self.mov_rlo_i8(dest, 0)
            self.b_rel12(4)
            self.mov_rlo_i8(dest, 1)
