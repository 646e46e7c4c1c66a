"""The x86-64 encoder behind `-march=x64` (after py/asmx64.c and py/asmx64.h).

Every instruction the native emitter needs, as MicroPython encodes it, and
the generic interface of py/asmx64.h (`ASM_*` macros as methods).

An instruction on a 64-bit register is

    REX      opcode   ModRM            [SIB]  [disp8 | disp32 | imm32]
    0100WRXB  oooooooo mm rrr bbb
             W: 64-bit operand   R: bit 3 of rrr   B: bit 3 of bbb
             mm: 00 [bbb]  01 [bbb + disp8]  10 [bbb + disp32]  11 register bbb

bbb = 100 (rsp, r12) as a base needs the SIB byte 0x24; bbb = 101 (rbp, r13)
with no displacement means rip-relative, so those bases always carry a disp8.

Calling convention (System V): arguments in rdi, rsi, rdx, rcx, r8; result in
rax; rbx, rbp, r12, r13 are saved by `entry` and hold the emitter's locals
and the `mp_fun_table` pointer (rbp). Locals live on the C stack at
[rsp + 8 * n].
"""

from __future__ import annotations

from .asmbase import AsmBase

RAX, RCX, RDX, RBX, RSP, RBP, RSI, RDI = range(8)
R08, R09, R10, R11, R12, R13, R14, R15 = range(8, 16)

# condition codes of jcc / setcc
CC_JB, CC_JAE, CC_JZ, CC_JNZ, CC_JBE, CC_JA = 0x2, 0x3, 0x4, 0x5, 0x6, 0x7
CC_JE, CC_JNE = CC_JZ, CC_JNZ
CC_JL, CC_JGE, CC_JLE, CC_JG = 0xC, 0xD, 0xE, 0xF

WORD_SIZE = 8

_REX = 0x40
_REX_W, _REX_R, _REX_B = 0x08, 0x04, 0x01
_MODRM_DISP0, _MODRM_DISP8, _MODRM_DISP32, _MODRM_REG = 0x00, 0x40, 0x80, 0xC0


def _rex_r(reg: int) -> int:
    return (reg >> 1) & _REX_R


def _rex_b(reg: int) -> int:
    return (reg >> 3) & _REX_B


def _signed_fit8(x: int) -> bool:
    # asmx64.c SIGNED_FIT8 looks at the low 32 bits only
    return (x & 0xFFFFFF80) in (0, 0xFFFFFF80)


def _imm32(x: int) -> bytes:
    return (x & 0xFFFFFFFF).to_bytes(4, "little")


class X86FamilyAlu:
    """The ALU instructions asmx64.c and asmx86.c encode alike (opcode, and the ModRM
    digit for one-operand forms), over each one's register-register form `_generic_rr`."""

    def not_reg(self, reg: int) -> None:
        self._generic_rr(reg, 2, 0xF7)

    def neg_reg(self, reg: int) -> None:
        self._generic_rr(reg, 3, 0xF7)

    def lsl_reg(self, reg: int) -> None:
        self._generic_rr(reg, 4, 0xD3)  # shl, count in cl

    def lsr_reg(self, reg: int) -> None:
        self._generic_rr(reg, 5, 0xD3)  # shr, count in cl

    def asr_reg(self, reg: int) -> None:
        self._generic_rr(reg, 7, 0xD3)  # sar, count in cl

    def or_reg_reg(self, dest: int, src: int) -> None:
        self._generic_rr(dest, src, 0x09)

    def xor_reg_reg(self, dest: int, src: int) -> None:
        self._generic_rr(dest, src, 0x31)

    def and_reg_reg(self, dest: int, src: int) -> None:
        self._generic_rr(dest, src, 0x21)

    def add_reg_reg(self, dest: int, src: int) -> None:
        self._generic_rr(dest, src, 0x01)

    def sub_reg_reg(self, dest: int, src: int) -> None:
        self._generic_rr(dest, src, 0x29)


class AsmX64(X86FamilyAlu, AsmBase):
    """x86-64 machine code for one function."""

    word_size = WORD_SIZE
    # py/asmx64.h: the generic register names
    REG_RET = RAX
    REG_ARG_1, REG_ARG_2, REG_ARG_3, REG_ARG_4, REG_ARG_5 = RDI, RSI, RDX, RCX, R08
    REG_TEMP0, REG_TEMP1, REG_TEMP2 = RAX, RDI, RSI
    REG_LOCAL_1, REG_LOCAL_2, REG_LOCAL_3 = RBX, R12, R13
    REG_FUN_TABLE = RBP
    REG_SHIFT_COUNT = RCX  # x86 shifts take their count in cl
    # emitnx64.c: word index of REG_LOCAL_1 (rbx) in nlr_buf_t
    NLR_BUF_IDX_LOCAL_1 = 5
    # mpy-cross/main.c: MAX(MICROPY_NLR_NUM_REGS_X64, MICROPY_NLR_NUM_REGS_X64_WIN)
    NLR_BUF_NUM_REGS = 10
    loads_reg_reg_reg = False  # no ASM_LOAD8_REG_REG_REG: the emitter adds the index itself
    @property
    def byte_store_needs_low_reg(self) -> bool:
        """A byte store's source must be al..dl: the value goes in rdx (before the rule, only
        x86 did so: x64 stored from whichever register held the value)."""
        return self.has_rule("x64_narrow_store_low_reg")

    def __init__(self, max_num_labels: int = 0):
        super().__init__(max_num_labels)
        self.num_locals = 0

    # ---- encodings --------------------------------------------------------

    def _r64_disp(self, r64: int, disp_r64: int, disp: int) -> None:
        if disp == 0 and (disp_r64 & 7) != RBP:
            mod = _MODRM_DISP0
        elif _signed_fit8(disp):
            mod = _MODRM_DISP8
        else:
            mod = _MODRM_DISP32
        out = bytearray([((r64 & 7) << 3) | mod | (disp_r64 & 7)])
        if (disp_r64 & 7) == RSP:
            out.append(0x24)  # SIB: base rsp/r12, no index
        if mod == _MODRM_DISP8:
            out.append(disp & 0xFF)
        elif mod == _MODRM_DISP32:
            out += _imm32(disp)
        self.write(bytes(out))

    def _generic_r64_r64(self, dest: int, src: int, op: int) -> None:
        self.write_bytes(_REX | _REX_W | _rex_r(src) | _rex_b(dest), op,
                         ((src & 7) << 3) | _MODRM_REG | (dest & 7))

    _generic_rr = _generic_r64_r64

    def push_r64(self, reg: int) -> None:
        if reg < 8:
            self.write_bytes(0x50 | reg)
        else:
            self.write_bytes(_REX | _REX_B, 0x50 | (reg & 7))

    def pop_r64(self, reg: int) -> None:
        if reg < 8:
            self.write_bytes(0x58 | reg)
        else:
            self.write_bytes(_REX | _REX_B, 0x58 | (reg & 7))

    def mov_r64_r64(self, dest: int, src: int) -> None:
        self._generic_r64_r64(dest, src, 0x89)

    def _narrow_prefix(self, prefix: tuple, src: int, base: int, op: int) -> None:
        # 8/16/32-bit moves need a REX byte only for r8..r15
        if src < 8 and base < 8:
            self.write_bytes(*prefix, op)
        else:
            self.write_bytes(*prefix, _REX | _rex_r(src) | _rex_b(base), op)

    def mov_r8_to_mem8(self, src: int, dest: int, disp: int) -> None:
        self._narrow_prefix((), src, dest, 0x88)
        self._r64_disp(src, dest, disp)

    def mov_r16_to_mem16(self, src: int, dest: int, disp: int) -> None:
        self._narrow_prefix((0x66,), src, dest, 0x89)
        self._r64_disp(src, dest, disp)

    def mov_r32_to_mem32(self, src: int, dest: int, disp: int) -> None:
        self._narrow_prefix((), src, dest, 0x89)
        self._r64_disp(src, dest, disp)

    def mov_r64_to_mem64(self, src: int, dest: int, disp: int) -> None:
        self.write_bytes(_REX | _REX_W | _rex_r(src) | _rex_b(dest), 0x89)
        self._r64_disp(src, dest, disp)

    def _high_src_check(self, src: int) -> None:
        if src >= 8 and not self.has_rule("x64_high_src_regs"):
            from .emitnative import NativeRefused

            raise NativeRefused("a narrow load from a base in r8..r15, where the official mpy-cross aborts on an "
                                "internal assertion (py/asmx64.c: src_r64 < 8)")

    def _movzx(self, op2: int, src: int, disp: int, dest: int) -> None:
        self._high_src_check(src)
        if src < 8 and dest < 8:
            self.write_bytes(0x0F, op2)
        else:
            self.write_bytes(_REX | _rex_r(dest) | _rex_b(src), 0x0F, op2)
        self._r64_disp(dest, src, disp)

    def mov_mem8_to_r64zx(self, src: int, disp: int, dest: int) -> None:
        self._movzx(0xB6, src, disp, dest)

    def mov_mem16_to_r64zx(self, src: int, disp: int, dest: int) -> None:
        self._movzx(0xB7, src, disp, dest)

    def mov_mem32_to_r64zx(self, src: int, disp: int, dest: int) -> None:
        self._high_src_check(src)
        if src < 8 and dest < 8:
            self.write_bytes(0x8B)
        else:
            self.write_bytes(_REX | _rex_r(dest) | _rex_b(src), 0x8B)
        self._r64_disp(dest, src, disp)

    def mov_mem64_to_r64(self, src: int, disp: int, dest: int) -> None:
        self.write_bytes(_REX | _REX_W | _rex_r(dest) | _rex_b(src), 0x8B)
        self._r64_disp(dest, src, disp)

    def lea_disp_to_r64(self, src: int, disp: int, dest: int) -> None:
        self.write_bytes(_REX | _REX_W | _rex_r(dest) | _rex_b(src), 0x8D)
        self._r64_disp(dest, src, disp)

    def mov_i32_to_r64(self, imm: int, dest: int) -> int:
        """mov r32, imm32 (zero-extends); returns where the immediate is."""
        if dest < 8:
            self.write_bytes(0xB8 | dest)
        else:
            self.write_bytes(_REX | _REX_B, 0xB8 | (dest & 7))
        loc = self.code_offset
        self.write(_imm32(imm))
        return loc

    def mov_i64_to_r64(self, imm: int, dest: int) -> None:
        self.write_bytes(_REX | _REX_W | (0 if dest < 8 else _REX_B), 0xB8 | (dest & 7))
        self.write((imm & 0xFFFFFFFFFFFFFFFF).to_bytes(8, "little"))

    def mov_i64_to_r64_optimised(self, imm: int, dest: int) -> None:
        if (imm & 0xFFFFFFFF00000000 & 0xFFFFFFFFFFFFFFFF) == 0:
            self.mov_i32_to_r64(imm & 0xFFFFFFFF, dest)  # 5 bytes
        else:
            self.mov_i64_to_r64(imm, dest)  # 10 bytes

    def sub_r64_i32(self, dest: int, imm: int) -> None:
        if _signed_fit8(imm):
            self.write_bytes(_REX | _REX_W, 0x83, (5 << 3) | _MODRM_REG | dest, imm)
        else:
            self.write_bytes(_REX | _REX_W, 0x81, (5 << 3) | _MODRM_REG | dest)
            self.write(_imm32(imm))

    def mul_r64_r64(self, dest: int, src: int) -> None:
        # imul r64, r/m64: 0f af /r
        self.write_bytes(_REX | _REX_W | _rex_r(dest) | _rex_b(src), 0x0F, 0xAF,
                         ((dest & 7) << 3) | _MODRM_REG | (src & 7))

    def cmp_r64_with_r64(self, a: int, b: int) -> None:
        self._generic_r64_r64(b, a, 0x39)

    def test_r8_with_r8(self, a: int, b: int) -> None:
        self.write_bytes(0x84, (a << 3) | _MODRM_REG | b)

    def test_r64_with_r64(self, a: int, b: int) -> None:
        self._generic_r64_r64(b, a, 0x85)

    def setcc_r8(self, cc: int, dest: int) -> None:
        self.write_bytes(0x0F, 0x90 | cc, _MODRM_REG | dest)

    def jmp_reg(self, reg: int) -> None:
        self.write_bytes(0xFF, (4 << 3) | _MODRM_REG | reg)

    def _jump(self, short: tuple, long: tuple, label: int) -> None:
        # a backward jump's distance is known: 2 bytes if it fits; forward jumps are long
        dest = self.label_dest(label)
        if dest is not None and dest - self.code_offset < 0:
            rel = dest - self.code_offset - 2
            if _signed_fit8(rel):
                self.write_bytes(*short, rel)
                return
        rel = (dest if dest is not None else -1) - self.code_offset - len(long) - 4
        self.write_bytes(*long)
        self.write(_imm32(rel))

    def jmp_label(self, label: int) -> None:
        self._jump((0xEB,), (0xE9,), label)

    def jcc_label(self, cc: int, label: int) -> None:
        self._jump((0x70 | cc,), (0x0F, 0x80 | cc), label)

    def entry(self, num_locals: int) -> None:
        for reg in (RBP, RBX, R12, R13):
            self.push_r64(reg)
        num_locals |= 1  # odd, so the stack stays 16-byte aligned
        self.sub_r64_i32(RSP, num_locals * WORD_SIZE)
        self.num_locals = num_locals

    def exit(self) -> None:
        self.sub_r64_i32(RSP, -self.num_locals * WORD_SIZE)
        for reg in (R13, R12, RBX, RBP):
            self.pop_r64(reg)
        self.write_bytes(0xC3)  # ret

    def mov_reg_pcrel(self, dest: int, label: int) -> None:
        # lea r64, [rip + rel32]
        dest_off = self.label_dest(label)
        rel = (dest_off if dest_off is not None else -1) - (self.code_offset + 7)
        self.write_bytes(_REX | _REX_W | _rex_r(dest), 0x8D, ((dest & 7) << 3) | RBP)
        self.write(_imm32(rel))

    # ---- the generic interface (py/asmx64.h GENERIC_ASM_API) -----------------

    def jump(self, label: int) -> None:
        self.jmp_label(label)

    def jump_if_reg_zero(self, reg: int, label: int, bool_test: bool) -> None:
        (self.test_r8_with_r8 if bool_test else self.test_r64_with_r64)(reg, reg)
        self.jcc_label(CC_JZ, label)

    def jump_if_reg_nonzero(self, reg: int, label: int, bool_test: bool) -> None:
        (self.test_r8_with_r8 if bool_test else self.test_r64_with_r64)(reg, reg)
        self.jcc_label(CC_JNZ, label)

    def jump_if_reg_eq(self, reg1: int, reg2: int, label: int) -> None:
        self.cmp_r64_with_r64(reg1, reg2)
        self.jcc_label(CC_JE, label)

    def jump_reg(self, reg: int) -> None:
        self.jmp_reg(reg)

    def call_setup_code_state(self, fun_id: int) -> None:
        self.call_ind(fun_id)

    def call_ind(self, fun_id: int) -> None:
        self.mov_mem64_to_r64(RBP, fun_id * WORD_SIZE, RAX)
        self.write_bytes(0xFF, (2 << 3) | _MODRM_REG | RAX)  # call rax

    def mov_local_reg(self, local_num: int, reg: int) -> None:
        self.mov_r64_to_mem64(reg, RSP, local_num * WORD_SIZE)

    def mov_reg_imm(self, reg: int, imm: int) -> None:
        self.mov_i64_to_r64_optimised(imm, reg)

    def mov_reg_imm_fix_u16(self, reg: int, imm: int) -> int:
        """ASM_MOV_REG_IMM_FIX_U16 (.mpy v5 qstr links): a fixed-size mov; where the immediate is."""
        return self.mov_i32_to_r64(imm, reg)

    def mov_reg_imm_fix_word(self, reg: int, imm: int) -> int:
        return self.mov_i32_to_r64(imm, reg)

    def mov_reg_local(self, reg: int, local_num: int) -> None:
        self.mov_mem64_to_r64(RSP, local_num * WORD_SIZE, reg)

    def mov_reg_reg(self, dest: int, src: int) -> None:
        self.mov_r64_r64(dest, src)

    def mov_reg_local_addr(self, reg: int, local_num: int) -> None:
        offset = local_num * WORD_SIZE
        if offset == 0:
            self.mov_r64_r64(reg, RSP)
        else:
            self.lea_disp_to_r64(RSP, offset, reg)

    def mul_reg_reg(self, dest: int, src: int) -> None:
        self.mul_r64_r64(dest, src)

    def load_reg_reg_offset(self, dest: int, base: int, word_offset: int) -> None:
        self.mov_mem64_to_r64(base, 8 * word_offset, dest)

    def load8_reg_reg_offset(self, dest: int, base: int, byte_offset: int) -> None:
        self.mov_mem8_to_r64zx(base, byte_offset, dest)

    def load16_reg_reg_offset(self, dest: int, base: int, halfword_offset: int) -> None:
        self.mov_mem16_to_r64zx(base, 2 * halfword_offset, dest)

    def load32_reg_reg_offset(self, dest: int, base: int, word_offset: int) -> None:
        self.mov_mem32_to_r64zx(base, 4 * word_offset, dest)

    def store_reg_reg_offset(self, src: int, base: int, word_offset: int) -> None:
        self.mov_r64_to_mem64(src, base, 8 * word_offset)

    def store8_reg_reg_offset(self, src: int, base: int, byte_offset: int) -> None:
        self.mov_r8_to_mem8(src, base, byte_offset)

    def store16_reg_reg_offset(self, src: int, base: int, halfword_offset: int) -> None:
        self.mov_r16_to_mem16(src, base, 2 * halfword_offset)

    def store32_reg_reg_offset(self, src: int, base: int, word_offset: int) -> None:
        self.mov_r32_to_mem32(src, base, 4 * word_offset)

    def clr_reg(self, reg: int) -> None:
        self.xor_reg_reg(reg, reg)

    def setcc_compare(self, op_idx: int, dest: int, lhs: int, rhs: int, unsigned: bool) -> None:
        """emitnative.c binary_op, N_X64: dest = (lhs <op> rhs) as 0 or 1."""
        # LESS, MORE, EQUAL, LESS_EQUAL, MORE_EQUAL, NOT_EQUAL
        ccs = ((CC_JB, CC_JA, CC_JE, CC_JBE, CC_JAE, CC_JNE) if unsigned
               else (CC_JL, CC_JG, CC_JE, CC_JLE, CC_JGE, CC_JNE))
        self.xor_reg_reg(dest, dest)
        self.cmp_r64_with_r64(rhs, lhs)  # flags of lhs - rhs
        self.setcc_r8(ccs[op_idx], dest)
