"""The ARM (A32) encoder behind `-march=armv6` (after py/asmarm.c, py/asmarm.h and
py/emitnarm.c). ARM code, not Thumb: every instruction is one 32-bit word,
little-endian, with a condition in the top 4 bits (AL, "always", unless said):

    cond 00 I oooo S nnnn dddd ssssssss mmmm    data processing: mov mvn add sub rsb and eor orr cmp
                                                 (I=1: an 8-bit immediate; else register m, shifted)
    cond 01 I P U B W L nnnn dddd offset:12     ldr/str(b) rd, [rn, #offset] (I=1: [rn, rm, lsl #s])
    cond 000 P U 1 W L nnnn dddd hhhh 1011 llll ldrh/strh rd, [rn, #hhhhllll] (or [rn, rm])
    cond 100 P U S W L 1101 reglist:16          push (stmfd sp!) / pop (ldmfd sp!)
    cond 1010 offset:24                          b<cond> to PC + 8 + offset * 4

Constants that no 8-bit `mov`/`mvn` holds are a word placed in the code
(`ldr rd, [pc]; b over it`). Calls load the target straight into the PC
from `mp_fun_table` after `mov lr, pc`. Arguments in r0-r3, result in r0;
r4-r6 hold the emitter's locals, r7 `mp_fun_table`, r8 is the assembler's
own temporary; r1-r8 and lr are saved on entry.
"""

from __future__ import annotations

from .asmbase import AsmBase

R0, R1, R2, R3, R4, R5, R6, R7, R8 = range(9)
SP, LR, PC = 13, 14, 15
REG_TEMP = R8

CC_EQ, CC_NE, CC_CS, CC_CC, CC_MI, CC_PL, CC_VS, CC_VC = (c << 28 for c in range(8))
CC_HI, CC_LS, CC_GE, CC_LT, CC_GT, CC_LE, CC_AL = (c << 28 for c in range(8, 15))

WORD_SIZE = 4
_M32 = 0xFFFFFFFF


def _c_int(value: int) -> int:
    """The value as asmarm.c's `int` parameter holds it."""
    value &= _M32
    return value - (1 << 32) if value & 0x80000000 else value


def _fits_signed(bits: int, value: int) -> bool:
    """py/misc.h MP_FIT_SIGNED, on the low 32 bits."""
    high = _M32 & (_M32 << (bits - 1))
    return (value & high) in (0, high)


def _op_push(reglist: int) -> int:
    return 0x92D0000 | (reglist & 0xFFFF)


def _op_pop(reglist: int) -> int:
    return 0x8BD0000 | (reglist & 0xFFFF)


def _op_mov_reg(rd: int, rm: int) -> int:
    return 0x1A00000 | (rd << 12) | rm


def _op_mov_imm(rd: int, imm: int) -> int:
    return 0x3A00000 | (rd << 12) | imm


def _op_dp_reg(base: int, rd: int, rn: int, rm: int) -> int:
    """A data-processing instruction rd = rn <op> rm (and 0x0000000, eor 0x0200000, sub
    0x0400000, add 0x0800000, orr 0x1800000)."""
    return base | (rn << 16) | (rd << 12) | rm


def _op_dp_imm(base: int, rd: int, rn: int, imm: int) -> int:
    """rd = rn <op> #imm8 (sub 0x2400000, rsb 0x2600000, add 0x2800000)."""
    return base | (rn << 16) | (rd << 12) | (imm & 0xFF)


class AsmArm(AsmBase):
    """ARM machine code for one function."""

    word_size = WORD_SIZE
    REG_RET = R0
    REG_ARG_1, REG_ARG_2, REG_ARG_3, REG_ARG_4 = R0, R1, R2, R3
    REG_ARG_5 = None
    REG_TEMP0, REG_TEMP1, REG_TEMP2 = R0, R1, R2
    REG_LOCAL_1, REG_LOCAL_2, REG_LOCAL_3 = R4, R5, R6
    REG_FUN_TABLE = R7
    REG_SHIFT_COUNT = None
    NLR_BUF_IDX_LOCAL_1 = 3  # emitnarm.c: r4
    NLR_BUF_NUM_REGS = 16  # mpy-cross/main.c: MICROPY_NLR_NUM_REGS_ARM_THUMB_FP
    loads_reg_reg_reg = True
    stores_indexed_before_offsets = True
    byte_store_needs_low_reg = False

    def __init__(self):
        super().__init__()
        self.push_reglist = 0
        self.stack_adjust = 0

    def emit(self, op: int) -> None:
        self.write((op & _M32).to_bytes(4, "little"))

    def emit_al(self, op: int) -> None:
        self.emit(op | CC_AL)

    # ---- entry and exit ----------------------------------------------------------------

    def entry(self, num_locals: int) -> None:
        self.stack_adjust = 0
        self.push_reglist = 0x1FE  # r1 .. r8
        if num_locals > 3:  # the first locals live in the pushed registers' slots
            self.stack_adjust = num_locals * 4 + (4 if num_locals & 1 else 0)  # 8-byte aligned
        self.emit_al(_op_push(self.push_reglist | 1 << LR))
        self._adjust_sp(0x2400000, 0x0400000)  # sub

    def _adjust_sp(self, op_imm: int, op_reg: int) -> None:
        if self.stack_adjust <= 0:
            return
        if self.stack_adjust < 0x100 or not self.has_rule("arm_large_stack_frame"):
            # (before large frames: the 8-bit immediate, whatever the frame's size)
            self.emit_al(_op_dp_imm(op_imm, SP, SP, self.stack_adjust))
        else:
            self.mov_reg_imm(REG_TEMP, self.stack_adjust)
            self.emit_al(_op_dp_reg(op_reg, SP, SP, REG_TEMP))

    def exit(self) -> None:
        self._adjust_sp(0x2800000, 0x0800000)  # add
        self.emit_al(_op_pop(self.push_reglist | 1 << PC))

    # ---- moves --------------------------------------------------------------------------

    def mov_reg_reg(self, rd: int, rm: int) -> None:
        self.emit_al(_op_mov_reg(rd, rm))

    def mov_reg_i32(self, rd: int, imm: int) -> int:
        self.emit_al(0x59F0000 | (rd << 12))  # ldr rd, [pc] (reads 8 bytes ahead: the word)
        self.emit_al(0xA000000)  # b over the word
        loc = self.code_offset
        self.emit(imm)
        return loc

    def mov_reg_imm_fix_u16(self, rd: int, imm: int) -> int:
        """ASM_MOV_REG_IMM_FIX_U16 / _WORD (.mpy v5 qstr links): the literal form, where the word is."""
        return self.mov_reg_i32(rd, imm)

    mov_reg_imm_fix_word = mov_reg_imm_fix_u16

    def mov_reg_imm(self, rd: int, imm: int) -> None:
        imm = _c_int(imm)
        if (imm & 0xFF) == imm:
            self.emit_al(_op_mov_imm(rd, imm))
        elif -256 <= imm < 0:
            self.emit_al(0x3E00000 | (rd << 12) | (~imm & _M32))  # mvn rd, #~imm
        else:
            self.mov_reg_i32(rd, imm)

    def mov_local_reg(self, local_num: int, rd: int) -> None:
        self.emit_al(0x58D0000 | (rd << 12) | (local_num << 2))  # str rd, [sp, #n*4]

    def mov_reg_local(self, rd: int, local_num: int) -> None:
        self.emit_al(0x59D0000 | (rd << 12) | (local_num << 2))  # ldr rd, [sp, #n*4]

    def mov_reg_local_addr(self, rd: int, local_num: int) -> None:
        if local_num >= 0x40:
            self.mov_reg_imm(REG_TEMP, local_num << 2)
            self.emit_al(_op_dp_reg(0x0800000, rd, SP, REG_TEMP))
        else:
            self.emit_al(_op_dp_imm(0x2800000, rd, SP, local_num << 2))

    def mov_reg_pcrel(self, rd: int, label: int) -> None:
        dest = self.label_dest(label)
        rel = (dest if dest is not None else -1) - self.code_offset
        rel -= 12 + 8  # the word is loaded 12 bytes on, and the add reads the PC 8 ahead
        self.emit_al(0x59F0000 | (rd << 12))
        self.emit_al(0xA000000)
        self.emit(rel)
        self.emit_al(_op_dp_reg(0x0800000, rd, rd, PC))

    # ---- branches and calls ---------------------------------------------------------------

    def bcc_label(self, cond: int, label: int) -> None:
        dest = self.label_dest(label)
        rel = (dest if dest is not None else -1) - self.code_offset
        rel = (rel - 8) >> 2  # the PC is 8 bytes ahead; targets are word-aligned
        if _fits_signed(24, rel):
            self.emit(cond | 0xA000000 | (rel & 0xFFFFFF))
        # (asmarm.c prints "branch does not fit in 24 bits" and emits nothing)

    def jump(self, label: int) -> None:
        self.bcc_label(CC_AL, label)

    def _cmp_imm(self, rd: int, imm: int) -> None:
        self.emit_al(0x3500000 | (rd << 16) | (imm & 0xFF))

    def _cmp_reg(self, rd: int, rn: int) -> None:
        self.emit_al(0x1500000 | (rd << 16) | rn)

    def jump_if_reg_zero(self, reg: int, label: int, bool_test: bool) -> None:
        self._cmp_imm(reg, 0)
        self.bcc_label(CC_EQ, label)

    def jump_if_reg_nonzero(self, reg: int, label: int, bool_test: bool) -> None:
        self._cmp_imm(reg, 0)
        self.bcc_label(CC_NE, label)

    def jump_if_reg_eq(self, reg1: int, reg2: int, label: int) -> None:
        self._cmp_reg(reg1, reg2)
        self.bcc_label(CC_EQ, label)

    def jump_reg(self, reg: int) -> None:
        self.emit_al(0x012FFF10 | reg)  # bx reg

    def call_ind(self, fun_id: int) -> None:
        self.emit_al(_op_mov_reg(LR, PC))  # mov lr, pc (the return address: after the ldr)
        self.emit_al(0x597F000 | (fun_id << 2))  # ldr pc, [r7, #fun_id*4]

    def call_setup_code_state(self, fun_id: int) -> None:
        self.call_ind(fun_id)  # asm_arm_bl_ind with r4: its temporary is unused

    # ---- arithmetic ------------------------------------------------------------------------

    def not_reg(self, rd: int) -> None:
        self.emit_al(0x1E00000 | (rd << 12) | rd)  # mvn rd, rd

    def neg_reg(self, rd: int) -> None:
        self.emit_al(_op_dp_imm(0x2600000, rd, rd, 0))  # rsb rd, rd, #0

    def _shift(self, kind: int, rd: int, rs: int) -> None:
        self.emit_al(0x1A00000 | kind | (rd << 12) | (rs << 8) | rd)  # mov rd, rd, <kind> rs

    def lsl_reg_reg(self, rd: int, rs: int) -> None:
        self._shift(0x10, rd, rs)

    def lsr_reg_reg(self, rd: int, rs: int) -> None:
        self._shift(0x30, rd, rs)

    def asr_reg_reg(self, rd: int, rs: int) -> None:
        self._shift(0x50, rd, rs)

    def or_reg_reg(self, rd: int, rs: int) -> None:
        self.emit_al(_op_dp_reg(0x1800000, rd, rd, rs))

    def xor_reg_reg(self, rd: int, rs: int) -> None:
        self.emit_al(_op_dp_reg(0x0200000, rd, rd, rs))

    def and_reg_reg(self, rd: int, rs: int) -> None:
        self.emit_al(_op_dp_reg(0x0000000, rd, rd, rs))

    def add_reg_reg(self, rd: int, rs: int) -> None:
        self.emit_al(_op_dp_reg(0x0800000, rd, rd, rs))

    def sub_reg_reg(self, rd: int, rs: int) -> None:
        self.emit_al(_op_dp_reg(0x0400000, rd, rd, rs))

    def mul_reg_reg(self, rd: int, rs: int) -> None:
        # mul rd, rm, rs with rm = rs and rs = rd (ARMv5 wants rd != rm)
        self.emit_al(0x0000090 | (rd << 16) | (rd << 8) | rs)

    def clr_reg(self, rd: int) -> None:
        self.xor_reg_reg(rd, rd)

    def setcc_compare(self, op_idx: int, dest: int, lhs: int, rhs: int, unsigned: bool) -> None:
        """emitnative.c binary_op, N_ARM: cmp, then mov<cc> dest, #1 and mov<!cc> dest, #0."""
        ccs = ((CC_CC, CC_HI, CC_EQ, CC_LS, CC_CS, CC_NE) if unsigned
               else (CC_LT, CC_GT, CC_EQ, CC_LE, CC_GE, CC_NE))
        cond = ccs[op_idx]
        self._cmp_reg(lhs, rhs)
        self.emit(_op_mov_imm(dest, 1) | cond)
        self.emit(_op_mov_imm(dest, 0) | (cond ^ (1 << 28)))

    # ---- loads and stores --------------------------------------------------------------------

    def _word_or_byte(self, op_imm: int, op_reg: int, rd: int, rn: int, byte_offset: int) -> None:
        """ldr/str/ldrb/strb with a 12-bit offset, else the offset in REG_TEMP."""
        if (byte_offset & _M32) < 0x1000:
            self.emit_al(op_imm | (rn << 16) | (rd << 12) | byte_offset)
        else:
            self.mov_reg_imm(REG_TEMP, byte_offset)
            self.emit_al(op_reg | (rn << 16) | (rd << 12) | REG_TEMP)

    def _halfword(self, op_imm: int, op_reg: int, rd: int, rn: int, byte_offset: int) -> None:
        """ldrh/strh with an 8-bit offset (split in two nibble fields), else in REG_TEMP."""
        if (byte_offset & _M32) < 0x100:
            self.emit_al(op_imm | (rn << 16) | (rd << 12) | ((byte_offset & 0xF0) << 4) | (byte_offset & 0xF))
        else:
            self.mov_reg_imm(REG_TEMP, byte_offset)
            self.emit_al(op_reg | (rn << 16) | (rd << 12) | REG_TEMP)

    def load_reg_reg_offset(self, rd, rn, word_offset):
        self._word_or_byte(0x5900000, 0x7900000, rd, rn, 4 * word_offset)

    def load32_reg_reg_offset(self, rd, rn, word_offset):
        self._word_or_byte(0x5900000, 0x7900000, rd, rn, 4 * word_offset)

    def load8_reg_reg_offset(self, rd, rn, byte_offset):
        self._word_or_byte(0x5D00000, 0x7D00000, rd, rn, byte_offset)

    def load_reg_reg(self, size: int, dest: int, base: int) -> None:
        if size == 1 and not self.has_rule("arm_ldrh_offset_fixed"):
            self.emit_al(0x1D000B0 | (base << 16) | (dest << 12))  # ASM_LOAD16_REG_REG: ldrh rd, [rn]
            return
        super().load_reg_reg(size, dest, base)

    def load16_reg_reg_offset(self, rd, rn, halfword_offset):
        if not self.has_rule("arm_ldrh_offset_fixed"):
            # before the fix: the pre-indexed, write-back form, and only the offset's low 8 bits
            off = 2 * halfword_offset
            self.emit_al(0x1F000B0 | (rn << 16) | (rd << 12) | ((off & 0xF0) << 4) | (off & 0xF))
            return
        self._halfword(0x1D000B0, 0x19000B0, rd, rn, 2 * halfword_offset)

    def store_reg_reg_offset(self, rd, rm, word_offset):
        self._word_or_byte(0x5800000, 0x7800000, rd, rm, 4 * word_offset)

    def store32_reg_reg_offset(self, rd, rm, word_offset):
        self._word_or_byte(0x5800000, 0x7800000, rd, rm, 4 * word_offset)

    def store8_reg_reg_offset(self, rd, rm, byte_offset):
        self._word_or_byte(0x5C00000, 0x7C00000, rd, rm, byte_offset)

    def store16_reg_reg_offset(self, rd, rn, halfword_offset):
        self._halfword(0x1C000B0, 0x18000B0, rd, rn, 2 * halfword_offset)

    def load_reg_reg_reg(self, size: int, dest: int, base: int, index: int) -> None:
        if size == 0:
            self.emit_al(0x7D00000 | (base << 16) | (dest << 12) | index)  # ldrb dest, [base, index]
        elif size == 1:
            self.emit_al(0x1A00080 | (REG_TEMP << 12) | index)  # mov temp, index, lsl #1
            self.emit_al(0x19000B0 | (base << 16) | (dest << 12) | REG_TEMP)  # ldrh dest, [base, temp]
        else:
            self.emit_al(0x7900100 | (base << 16) | (dest << 12) | index)  # ldr dest, [base, index, lsl #2]

    def store_reg_reg_reg(self, size: int, value: int, base: int, index: int) -> None:
        if size == 0:
            self.emit_al(0x7C00000 | (base << 16) | (value << 12) | index)
        elif size == 1:
            self.emit_al(0x1A00080 | (REG_TEMP << 12) | index)
            self.emit_al(0x18000B0 | (base << 16) | (value << 12) | REG_TEMP)
        else:
            self.emit_al(0x7800100 | (base << 16) | (value << 12) | index)
