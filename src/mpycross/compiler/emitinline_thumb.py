"""The `@micropython.asm_thumb` instruction set (after py/emitinlinethumb.c).

Each instruction is read from its name and argument count, its operands checked
(registers `r0`..`r15`/`sl fp sp lr pc`, low registers where the 16-bit form needs them,
immediates against their field's mask, `[base, offset]` addresses, `{r0, r1}` lists,
labels) and encoded with `asm_thumb.AsmThumb`. Thumb-2 instructions (`movw`, `sdiv`,
wide branches, `it`, ...) need `armv7m` or later; the VFP ones (`vadd`, `vldr`, ...)
`armv7emsp`/`armv7emdp`. An operand error does not stop the instruction: as the C
error slot, the last error an instruction raises is the one reported.
"""

from __future__ import annotations

from . import asm_thumb as T
from .emitinline import PASS_EMIT, InlineAssembler, arg_id, arg_int, arg_str, truncated
from . import astnodes as A

REG_NAMES = {**{f"r{i}": i for i in range(16)}, "sl": 10, "fp": 11, "sp": 13, "lr": 14, "pc": 15}
SPECIAL_REGS = {"IPSR": 5, "BASEPRI": 17}
# the index is the condition code
CONDITIONS = ("eq", "ne", "cs", "cc", "mi", "pl", "vs", "vc", "hi", "ls", "ge", "lt", "gt", "le")

FORMAT_4 = {"eor": 0x4040, "lsl": 0x4080, "lsr": 0x40C0, "asr": 0x4100, "adc": 0x4140, "sbc": 0x4180,
            "ror": 0x41C0, "tst": 0x4200, "neg": 0x4240, "cmp": 0x4280, "cmn": 0x42C0, "orr": 0x4300,
            "mul": 0x4340, "bic": 0x4380, "mvn": 0x43C0}
FORMAT_4_AND = 0x4000
# format 9 (ldr/str(b) rd, [rb, #imm5]) and 10 (ldrh/strh)
F9_STR, F9_LDR, F9_BYTE, F10_STRH, F10_LDRH = 0x6000, 0x6800, 0x1000, 0x8000, 0x8800
FORMAT_9_10 = {"ldr": F9_LDR, "ldrb": F9_LDR | F9_BYTE, "ldrh": F10_LDRH,
               "str": F9_STR, "strb": F9_STR | F9_BYTE, "strh": F10_STRH}
FORMAT_3 = {"mov": T.F3_MOV, "cmp": T.F3_CMP, "add": T.F3_ADD, "sub": T.F3_SUB}
FORMAT_1 = {"lsl": T.F1_LSL, "lsr": T.F1_LSR, "asr": T.F1_ASR}
FORMAT_2 = {"add": T.F2_ADD, "sub": T.F2_SUB}
# vadd/vsub/vmul/vdiv: 0xee00 | op.hi_nibble, 0x0a00 | op.lo_nibble << 4
VFP_ARITH = {"add": 0x30, "sub": 0x34, "mul": 0x20, "div": 0x80}
# two-operand VFP ops: first halfword (second: 0x0ac0, vneg 0x0a40)
VFP_TWO = {"vcmp": 0xEEB4, "vsqrt": 0xEEB1, "vneg": 0xEEB1, "vcvt_f32_s32": 0xEEB8, "vcvt_s32_f32": 0xEEBD}
OP_WFI, OP_CPSID_I, OP_CPSIE_I, OP_IT = 0xBF30, 0xB672, 0xB662, 0xBF00


def _fits_signed(bits: int, x: int) -> bool:
    return -(1 << (bits - 1)) <= x < (1 << (bits - 1))


class InlineThumb(InlineAssembler):
    """One Thumb inline-assembler function, pass by pass."""

    isa_name = "Thumb"
    param_regs = ("r0", "r1", "r2", "r3")

    code_size_passes = 1

    def __init__(self, arch: str, has=lambda feature: True):
        super().__init__(T.AsmThumb(arch))
        self.arch = arch
        if has("inline_thumb_arch_selects"):
            self.armv7m = self.asm.armv7m
            self.allow_float = arch in ("armv7emsp", "armv7emdp")
        else:
            # mpy-cross before 1.19 is built with MICROPY_EMIT_INLINE_THUMB_ARMV7M and _FLOAT:
            # every Thumb -march takes the Thumb-2 and VFP instructions
            self.armv7m = self.allow_float = True
        # 1.19: push {..., lr} and pop {..., pc} of low registers have a 16-bit form
        self.narrow_lr_pc = has("inline_push_lr_narrow")

    # ---- the pass protocol (emit_inline_asm_method_table_t) -----------------------------

    def start_pass(self, pass_: int) -> None:
        super().start_pass(pass_)
        if self.arch == "armv6":
            # asm_thumb_entry: called from ARM state, switch to Thumb for the function
            for hi, lo in ((0x4010, 0xE92D), (0xE009, 0xE28F), (0xFF3E, 0xE12F), (0x4010, 0xE8BD),
                           (0xFF1E, 0xE12F)):
                self.asm.op32(hi, lo)
        self.asm.entry(0)

    def end_pass(self) -> None:
        self.asm.exit()

    # ---- operands ----------------------------------------------------------------------

    def reg(self, op: str, node, max_reg: int) -> int:
        reg = REG_NAMES.get(arg_str(node))
        if reg is None:
            return self._fail(f"'{op}' expects a register")
        if reg > max_reg:
            return self._fail(f"'{op}' expects at most r{max_reg}")
        return reg

    def special_reg(self, op: str, node) -> int:
        reg = SPECIAL_REGS.get(arg_str(node))
        return self._fail(f"'{op}' expects a special register") if reg is None else reg

    def vfp_reg(self, op: str, node) -> int:
        name = arg_str(node)
        if name[:1] == "s" and len(name) > 1 and all("0" <= c <= "9" for c in name[1:]):
            regno = int(name[1:])
            return self._fail(f"'{op}' expects at most r31") if regno > 31 else regno
        return self._fail(f"'{op}' expects an FPU register")

    def reglist(self, op: str, node) -> int:
        # {r0, r1, r2} is parsed as a set
        if type(node) is A.Set and len(node.elts) == 1 and arg_id(node.elts[0]) is not None:
            return 1 << self.reg(op, node.elts[0], 15)
        if type(node) is A.Set and len(node.elts) > 1:
            mask = 0
            for elt in node.elts:
                mask |= 1 << self.reg(op, elt, 15)
            return mask
        return self._fail(f"'{op}' expects {{r0, r1, ...}}")

    def imm(self, op: str, node, fit_mask: int) -> int:
        value = arg_int(node)
        if value is None:
            return self._fail(f"'{op}' expects an integer")
        i = truncated(value) & 0xFFFFFFFF
        if i & ~fit_mask & 0xFFFFFFFF:
            return self._fail(f"'{op}' integer 0x{i:x} doesn't fit in mask 0x{fit_mask:x}")
        return i

    def addr(self, op: str, node):
        if type(node) is A.List and len(node.elts) == 2:
            return node.elts
        if type(node) is A.ListComp:
            return node.elt, node  # a testlist_comp of two nodes: the item and its comp_for
        self._fail(f"'{op}' expects an address of the form [a, b]")
        return None

    def _rel(self, label: int) -> int:
        dest = self.asm.label_dest(label)
        return (-1 if dest is None else dest) - self.asm.code_offset - 4  # the PC reads 4 ahead

    def _in_range(self, fits: bool) -> None:
        if self.pass_ == PASS_EMIT and not fits:
            self.error = "branch not in range"

    # ---- instructions --------------------------------------------------------------------

    def op(self, op: str, args: list) -> None:
        if not self._op(op, args):
            self.error = f"unsupported Thumb instruction '{op}' with {len(args)} arguments"

    def _op(self, op: str, args: list) -> bool:
        """Encode one instruction; False if there is no such instruction."""
        a = self.asm
        n = len(args)
        v7 = self.armv7m
        if self.allow_float and op[:1] == "v":
            return self._vfp(op, args)
        if n == 0:
            if op == "nop":
                a.op16(T.OP_NOP)
            elif op == "wfi":
                a.op16(OP_WFI)
            else:
                return False
        elif n == 1:
            return self._op1(op, args[0])
        elif n == 2:
            return self._op2(op, args)
        elif n == 3:
            if op in FORMAT_1:
                d, s = self.reg(op, args[0], 7), self.reg(op, args[1], 7)
                a.format_1(FORMAT_1[op], d, s, self.imm(op, args[2], 0x1F))
            elif op in FORMAT_2:
                d, s = self.reg(op, args[0], 7), self.reg(op, args[1], 7)
                if arg_id(args[2]) is not None:
                    a.format_2(FORMAT_2[op], d, s, self.reg(op, args[2], 7))
                else:
                    a.format_2(FORMAT_2[op] | T.F2_IMM, d, s, self.imm(op, args[2], 0x7))
            elif v7 and op in ("sdiv", "udiv"):
                rd, rn, rm = (self.reg(op, x, 15) for x in args)
                a.op32((0xFB90 if op == "sdiv" else 0xFBB0) | rn, 0xF0F0 | (rd << 8) | rm)
            elif v7 and op == "strex":
                rd, rs = self.reg(op, args[0], 15), self.reg(op, args[1], 15)
                address = self.addr(op, args[2])
                if address is not None:
                    rb = self.reg(op, address[0], 15)
                    i8 = self.imm(op, address[1], 0xFF) >> 2
                    a.op32(0xE840 | rb, (rs << 12) | (rd << 8) | i8)
            else:
                return False
        else:
            return False
        return True

    def _op1(self, op: str, arg) -> bool:
        a = self.asm
        v7 = self.armv7m
        if op == "b":
            rel = self._rel(self.label_num(op, arg))
            a.op16(T._op_b_n(rel))
            self._in_range(_fits_signed(12, rel))
        elif op == "bl":
            rel = self._rel(self.label_num(op, arg))
            a.op32(0xF000 | ((rel >> 12) & 0x07FF), 0xF800 | ((rel >> 1) & 0x07FF))
            self._in_range(_fits_signed(23, rel))
        elif op == "bx":
            a.op16(0x4700 | (self.reg(op, arg, 15) << 3))
        elif op[0] == "b" and (len(op) == 3 or (len(op) == 5 and op[3] == "_" and (op[4] == "n" or (v7 and op[4] == "w")))):
            if op[1:3] not in CONDITIONS:
                return False
            cc = CONDITIONS.index(op[1:3])
            label = self.label_num(op, arg)
            rel = self._rel(label)
            if len(op) == 5 and op[4] == "w":
                a.op32(0xF000 | (cc << 6) | ((rel >> 10) & 0x0400) | ((rel >> 12) & 0x003F),
                       0x8000 | ((rel >> 5) & 0x2000) | ((rel >> 8) & 0x0800) | ((rel >> 1) & 0x07FF))
            else:
                a.op16(T._op_bcc_n(cc, rel))
                self._in_range(_fits_signed(9, rel))
        elif v7 and op[:2] == "it":
            cond = arg_str(arg)
            if len(cond) != 2 or cond not in CONDITIONS or len(op) > 5:
                return False
            cc = CONDITIONS.index(cond)
            mask = 8
            for c in reversed(op[2:]):
                mask >>= 1
                if c == "t":
                    mask |= (cc & 1) << 3
                elif c == "e":
                    mask |= (~cc & 1) << 3
                else:
                    return False
            a.op16(OP_IT | (cc << 4) | mask)
        elif op == "cpsid":
            a.op16(OP_CPSID_I)
        elif op == "cpsie":
            a.op16(OP_CPSIE_I)
        elif op in ("push", "pop"):
            regs = self.reglist(op, arg)
            push = op == "push"
            if not self.narrow_lr_pc:
                if regs & 0xFF00 == 0:
                    a.op16((0xB400 if push else 0xBC00) | regs)
                elif not v7:
                    return False
                else:
                    a.op32(0xE92D if push else 0xE8BD, regs)
            elif regs & (0xBF00 if push else 0x7F00) == 0:
                extra = 1 << (14 if push else 15)  # lr / pc have a 16-bit form
                base = 0xB400 if push else 0xBC00
                a.op16(base | regs if not regs & extra else (base | 0x100) | (regs & 0xFF))
            else:
                if not v7:
                    return False
                a.op32(0xE92D if push else 0xE8BD, regs)
        else:
            return False
        return True

    def _op2(self, op: str, args: list) -> bool:
        a = self.asm
        v7 = self.armv7m
        if arg_id(args[1]) is not None:
            # the second operand is a register (or should be)
            if op == "mov":
                d, s = self.reg(op, args[0], 15), self.reg(op, args[1], 15)
                a.mov_reg_reg(d, s)
            elif v7 and op in ("clz", "rbit"):
                hi, lo = (0xFAB0, 0xF080) if op == "clz" else (0xFA90, 0xF0A0)
                rd, rm = self.reg(op, args[0], 15), self.reg(op, args[1], 15)
                a.op32(hi | rm, lo | (rd << 8) | rm)
            elif v7 and op == "mrs":
                rd = self.reg(op, args[0], 12)
                rs = self.special_reg(op, args[1])
                a.op32(0xF3EF, 0x8000 | (rd << 8) | rs)
            elif op == "and_" or op in FORMAT_4:
                code = FORMAT_4_AND if op == "and_" else FORMAT_4[op]
                d, s = self.reg(op, args[0], 7), self.reg(op, args[1], 7)
                a.op16(code | (s << 3) | d)
            else:
                return False
            return True
        if op in FORMAT_3:
            d = self.reg(op, args[0], 7)
            a.format_3(FORMAT_3[op], d, self.imm(op, args[1], 0xFF))
        elif v7 and op in ("movw", "movt"):
            d = self.reg(op, args[0], 15)
            a.mov_reg_i16(T.OP_MOVW if op == "movw" else T.OP_MOVT, d, self.imm(op, args[1], 0xFFFF))
        elif v7 and op == "movwt":
            d = self.reg(op, args[0], 15)
            i = self.imm(op, args[1], 0xFFFFFFFF)
            a.mov_reg_i16(T.OP_MOVW, d, i & 0xFFFF)
            a.mov_reg_i16(T.OP_MOVT, d, (i >> 16) & 0xFFFF)
        elif v7 and op == "ldrex":
            d = self.reg(op, args[0], 15)
            address = self.addr(op, args[1])
            if address is not None:
                rb = self.reg(op, address[0], 15)
                i8 = self.imm(op, address[1], 0xFF) >> 2
                a.op32(0xE850 | rb, 0x0F00 | (d << 12) | i8)
        elif op in FORMAT_9_10:
            code = FORMAT_9_10[op]
            d = self.reg(op, args[0], 7)
            address = self.addr(op, args[1])
            if address is None:
                return False  # emitinlinethumb.c falls through to 'unsupported'
            rb = self.reg(op, address[0], 7)
            if code & F9_BYTE:
                i5 = self.imm(op, address[1], 0x1F)
            elif code & F10_STRH:  # also ldrh
                i5 = self.imm(op, address[1], 0x3E) >> 1
            else:
                i5 = self.imm(op, address[1], 0x7C) >> 2
            a.op16(code | ((i5 << 6) & 0x07C0) | (rb << 3) | d)
        else:
            return False
        return True

    def _vfp(self, op: str, args: list) -> bool:
        a = self.asm
        n = len(args)
        if n == 2:
            if op in VFP_TWO:
                lo = 0x0A40 if op == "vneg" else 0x0AC0
                vd, vm = self.vfp_reg(op, args[0]), self.vfp_reg(op, args[1])
                a.op32(VFP_TWO[op] | ((vd & 1) << 6), lo | ((vd & 0x1E) << 11) | ((vm & 1) << 5) | (vm & 0x1E) >> 1)
            elif op == "vmrs":
                rd = 15 if arg_str(args[0]) == "APSR_nzcv" else self.reg(op, args[0], 15)
                if arg_str(args[1]) != "FPSCR":
                    return False
                a.op32(0xEEF1, 0x0A10 | (rd << 12))
            elif op == "vmov":
                hi = 0xEE00
                if arg_str(args[0])[:1] == "r":
                    r_arm, vm = self.reg(op, args[0], 15), self.vfp_reg(op, args[1])
                    hi |= 0x10
                else:
                    vm, r_arm = self.vfp_reg(op, args[0]), self.reg(op, args[1], 15)
                a.op32(hi | ((vm & 0x1E) >> 1), 0x0A10 | (r_arm << 12) | ((vm & 1) << 7))
            elif op in ("vldr", "vstr"):
                vd = self.vfp_reg(op, args[0])
                address = self.addr(op, args[1])
                if address is not None:
                    rb = self.reg(op, address[0], 7)
                    i8 = self.imm(op, address[1], 0x3FC) >> 2
                    a.op32((0xED90 if op == "vldr" else 0xED80) | rb | ((vd & 1) << 6), 0x0A00 | ((vd & 0x1E) << 11) | i8)
            else:
                return False
            return True
        if n == 3 and len(op) == 4 and op[1:] in VFP_ARITH:
            code = VFP_ARITH[op[1:]]
            hi, lo = 0xEE00 | (code & 0xF0), 0x0A00 | ((code & 0x0F) << 4)
            vd, vn, vm = (self.vfp_reg(op, x) for x in args)
            a.op32(hi | ((vd & 1) << 6) | (vn >> 1),
                   lo | (vm >> 1) | ((vm & 1) << 5) | ((vd & 0x1E) << 11) | ((vn & 1) << 7))
            return True
        return False
