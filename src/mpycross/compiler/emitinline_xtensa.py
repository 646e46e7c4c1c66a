"""The `@micropython.asm_xtensa` instruction set (after py/emitinlinextensa.c).

Most instructions are one row of `OPCODES`: the operand count, the fixed opcode fields and
which field each operand fills (RRR, RRI8 with a scaled immediate, or narrow RRRN). The
rest (branches to labels, `movi` through the literal table, shifts by an immediate, ...)
are written out below. Encoded with `asm_xtensa` (`AsmXtensa`, or `AsmXtensaWin` for
`xtensawin`, whose functions open with `entry` and return with `retw.n`).
"""

from __future__ import annotations

from . import asm_xtensa as X
from .emitinline import PASS_EMIT, InlineAsmError, InlineAssembler, arg_id, arg_int, truncated

REGISTERS = {f"a{i}": i for i in range(16)}
# the index is the branch condition (BRANCH_OPCODE_NAMES)
BRANCHES = {"bnone": 0, "beq": 1, "blt": 2, "bltu": 3, "ball": 4, "bbc": 5,
            "bany": 8, "bne": 9, "bge": 10, "bgeu": 11, "bnall": 12, "bbs": 13}
# the index & 3 is the compare-with-zero condition
BRANCHES_Z = ("beqz", "bnez", "bltz", "bgez", "beqz_n", "bnez_n")

RRR, RRI8, RRRN = 0, 1, 2
R0, R1, R2 = 1 << 4, 2 << 4, 3 << 4  # "the field holds operand 1, 2, 3"

# name: (operands, op2, op1, op0, r, s, t, immediate shift code, kind)
OPCODES = {
    "abs_": (2, 6, 0, 0, R0, 1, R1, 0, RRR),
    "add": (3, 8, 0, 0, R0, R1, R2, 0, RRR),
    "add_n": (3, 0, 0, 10, R0, R1, R2, 0, RRRN),
    "addi": (3, 0, 0, 2, 12, R1, R0, 0, RRI8),
    "addx2": (3, 9, 0, 0, R0, R1, R2, 0, RRR),
    "addx4": (3, 10, 0, 0, R0, R1, R2, 0, RRR),
    "addx8": (3, 11, 0, 0, R0, R1, R2, 0, RRR),
    "and_": (3, 1, 0, 0, R0, R1, R2, 0, RRR),
    "callx0": (1, 0, 0, 0, 0, R0, 12, 0, RRR),
    "jx": (1, 0, 0, 0, 0, R0, 10, 0, RRR),
    "l16si": (3, 0, 0, 2, 9, R1, R0, 3, RRI8),
    "l16ui": (3, 0, 0, 2, 1, R1, R0, 3, RRI8),
    "l32i": (3, 0, 0, 2, 2, R1, R0, 5, RRI8),
    "l8ui": (3, 0, 0, 2, 0, R1, R0, 1, RRI8),
    "mov": (2, 0, 0, 13, 0, R1, R0, 0, RRRN),
    "mov_n": (2, 0, 0, 13, 0, R1, R0, 0, RRRN),
    "mull": (3, 8, 2, 0, R0, R1, R2, 0, RRR),
    "neg": (2, 6, 0, 0, R0, 0, R1, 0, RRR),
    "nop": (0, 0, 0, 0, 2, 0, 15, 0, RRR),
    "nop_n": (0, 0, 0, 13, 15, 0, 3, 0, RRRN),
    "nsa": (2, 4, 0, 0, 14, R1, R0, 0, RRR),
    "nsau": (2, 4, 0, 0, 15, R1, R0, 0, RRR),
    "or_": (3, 2, 0, 0, R0, R1, R2, 0, RRR),
    "ret": (0, 0, 0, 13, 15, 0, 0, 0, RRRN),
    "ret_n": (0, 0, 0, 13, 15, 0, 0, 0, RRRN),
    "s16i": (3, 0, 0, 2, 5, R1, R0, 3, RRI8),
    "s32i": (3, 0, 0, 2, 6, R1, R0, 5, RRI8),
    "s8i": (3, 0, 0, 2, 4, R1, R0, 1, RRI8),
    "sll": (2, 10, 1, 0, R0, R1, 0, 0, RRR),
    "sra": (2, 11, 1, 0, R0, 0, R1, 0, RRR),
    "src": (3, 8, 1, 0, R0, R1, R2, 0, RRR),
    "srl": (2, 9, 1, 0, R0, 0, R1, 0, RRR),
    "ssa8b": (1, 4, 0, 0, 3, R0, 0, 0, RRR),
    "ssa8l": (1, 4, 0, 0, 2, R0, 0, 0, RRR),
    "ssl": (1, 4, 0, 0, 1, R0, 0, 0, RRR),
    "ssr": (1, 4, 0, 0, 0, R0, 0, 0, RRR),
    "sub": (3, 12, 0, 0, R0, R1, R2, 0, RRR),
    "subx2": (3, 13, 0, 0, R0, R1, R2, 0, RRR),
    "subx4": (3, 14, 0, 0, R0, R1, R2, 0, RRR),
    "subx8": (3, 15, 0, 0, R0, R1, R2, 0, RRR),
    "xor": (3, 3, 0, 0, R0, R1, R2, 0, RRR),
}


# py/emitinlinextensa.c before 1.26 (1006ed69f0 added the rest of the LX3 opcodes): the
# instructions by operand count; a 2-operand one reads its first register before the name
OPCODES_BEFORE_LX3 = {
    0: {"ret_n"},
    1: {"callx0", "j", "jx"},
    2: {"beqz", "bnez", "mov", "mov_n", "movi"},
    3: {"and_", "or_", "xor", "add", "sub", "mull", "l8ui", "l16ui", "l32i", "s8i", "s16i", "s32i", "l16si",
        "addi", "ball", "bany", "bbc", "bbs", "beq", "bge", "bgeu", "blt", "bnall", "bne", "bnone"},
}


def _s32(x: int) -> int:
    x &= 0xFFFFFFFF
    return x - (1 << 32) if x & 0x80000000 else x


class InlineXtensa(InlineAssembler):
    """One Xtensa inline-assembler function, pass by pass."""

    isa_name = "Xtensa"
    param_regs = ("a2", "a3", "a4", "a5")

    # compile.c: a second code-size pass sizes the literal table before the code
    code_size_passes = 2

    def __init__(self, arch: str, has=None):
        super().__init__(X.AsmXtensaWin() if arch == "xtensawin" else X.AsmXtensa())
        self.arch = arch
        if has is not None:
            from .emitnative import RULES

            # the release's asmxtensa.c (literal-table jump, branch forms), as for native code
            self.asm.rules = frozenset(rule for rule in RULES if has(rule))
        self.lx3_opcodes = has is None or has("inline_xtensa_lx3_opcodes")
        self.opcode_table = has is None or has("inline_xtensa_opcode_table")

    def start_pass(self, pass_: int) -> None:
        super().start_pass(pass_)
        self.asm.entry(0)

    def end_pass(self) -> None:
        self.asm.exit()
        self.asm.end_pass()

    # ---- operands ----------------------------------------------------------------------

    def reg(self, op: str, node) -> int:
        reg = REGISTERS.get(arg_id(node) or "")
        return self._fail(f"'{op}' expects a register") if reg is None else reg

    def imm(self, op: str, node, low: int, high: int) -> int:
        value = arg_int(node)
        if value is None:
            return self._fail(f"'{op}' expects an integer")
        i = truncated(value) & 0xFFFFFFFF
        if low != high and not low <= _s32(i) <= high:
            return self._fail(f"'{op}' integer {_s32(i)} isn't within range {low}..{high}")
        return i

    def _dest(self, label: int) -> int:
        dest = self.asm.label_dest(label)
        return 0xFFFFFFFF if dest is None else dest

    def _runtime_error(self, message: str) -> None:
        """asmxtensa.c raises these at once (mp_raise_msg_varg): no line, no traceback."""
        raise InlineAsmError(message, None, kind="RuntimeError")

    # ---- instructions --------------------------------------------------------------------

    def op(self, op: str, args: list) -> None:
        if not self._op(op, args):
            self.error = f"unsupported Xtensa instruction '{op}' with {len(args)} arguments"

    def _op(self, op: str, args: list) -> bool:
        a = self.asm
        n = len(args)
        if not self.lx3_opcodes and op not in OPCODES_BEFORE_LX3.get(n, ()):
            if n == 2:
                self.reg(op, args[0])
            return False
        row = OPCODES.get(op)
        if row is not None:
            return self._table_op(op, args, row)
        if n == 1:
            if op == "j":
                a.jump(self.label_num(op, args[0]))
            elif op == "ssai":
                sa = self.imm(op, args[0], 0, 31)
                a.op24(X._rrr(0, 0, 4, 4, sa & 0x0F, (sa >> 4) & 0x01))
            elif op == "call0":
                self._call0(self.label_num(op, args[0]))
            else:
                return False
        elif n == 2:
            r0 = self.reg(op, args[0])
            if op in BRANCHES_Z:
                label = self.label_num(op, args[1])
                a._bccz_label(BRANCHES_Z.index(op) & 3, r0, label)
            elif op == "movi":
                # always through the literal table, whatever the value
                a.mov_reg_i32(r0, self.imm(op, args[1], 0, 0))
            elif op == "l32r":
                self._l32r(r0, self.label_num(op, args[1]))
            elif op == "movi_n":
                a.op_movi_n(r0, _s32(self.imm(op, args[1], -32, 95)))
            else:
                return False
        elif n == 3:
            if op in BRANCHES:
                r0, r1 = self.reg(op, args[0]), self.reg(op, args[1])
                label = self.label_num(op, args[2])
                a._bcc_label(BRANCHES[op], r0, r1, label)
                return True
            r0 = r1 = 0
            if op in ("addi_n", "addmi", "slli", "srai", "srli", "l32i_n", "s32i_n"):
                r0, r1 = self.reg(op, args[0]), self.reg(op, args[1])
            if op == "addi_n":
                imm4 = self.imm(op, args[2], -1, 15)
                t = imm4 if imm4 != 0 else -1
                a.op16(((r0 << 12) | (r1 << 8) | (t << 4) | 11) & 0xFFFF)
            elif op == "addmi":
                imm8 = self.imm(op, args[2], -128 * 256, 127 * 256)
                if imm8 & 0xFF:
                    self._fail(f"{_s32(imm8)} is not a multiple of 256")
                else:
                    a.op24(X._rri8(2, 13, r1, r0, (imm8 >> 8) & 0xFF))
            elif op in ("bbci", "bbsi"):
                r0 = self.reg(op, args[0])
                bit = self.imm(op, args[1], 0, 31)
                label = self.label_num(op, args[2])
                self._bit_branch(r0, bit, label, 6 if op == "bbci" else 14)
            elif op == "slli":
                bits = 32 - self.imm(op, args[2], 1, 31)
                a.op24(X._rrr(0, 1, (bits >> 4) & 0x01, r0, r1, bits & 0x0F))
            elif op == "srai":
                bits = self.imm(op, args[2], 0, 31)
                a.op24(X._rrr(0, 1, 2 | ((bits >> 4) & 0x01), r0, bits & 0x0F, r1))
            elif op == "srli":
                bits = self.imm(op, args[2], 0, 15)
                a.op24(X._rrr(0, 1, 4, r0, bits, r1))
            elif op in ("l32i_n", "s32i_n"):
                imm = self.imm(op, args[2], 0, 60)
                if imm & 3:
                    self._fail(f"{imm} is not a multiple of 4")
                elif op == "l32i_n":
                    a.op_l32i_n(r0, r1, imm >> 2)
                else:
                    a.op_s32i_n(r0, r1, imm >> 2)
            else:
                return False
        else:
            return False
        return True

    def _table_op(self, op: str, args: list, row: tuple) -> bool:
        operands, op2, op1, op0, r, s, t, shift, kind = row
        if len(args) != operands:
            return False
        opcode = ((r & 0x0F) << 12) | ((s & 0x0F) << 8) | ((t & 0x0F) << 4) | op0
        registers_first = kind == RRI8 and not self.opcode_table
        if registers_first:
            # before 1.28 the loads, stores and addi read both registers, then the immediate (the
            # last bad operand's error is the one reported)
            regs = [self.reg(op, args[0]), self.reg(op, args[1])]
            for field, pos in ((r, 12), (s, 8), (t, 4)):
                if field >= R0:
                    opcode |= regs[(field >> 4) - 1] << pos
        if kind == RRR:
            opcode |= (op2 << 20) | (op1 << 16)
        elif kind == RRI8:
            if shift > 0:
                shift >>= 1
                low, high = 0, 0xFF << shift
            else:
                low, high = -128, 127
            immediate = self.imm(op, args[2], low, high)
            opcode |= ((immediate >> shift) & 0xFF) << 16
        for field, pos in ((r, 12), (s, 8), (t, 4)):
            if field >= R0 and not registers_first:
                opcode |= self.reg(op, args[(field >> 4) - 1]) << pos
        if kind == RRRN:
            self.asm.op16(opcode & 0xFFFF)
        else:
            self.asm.op24(opcode)
        return True

    def _call0(self, label: int) -> None:
        a = self.asm
        dest = self._dest(label)
        rel = _s32(dest - a.code_offset - 3)
        if self.pass_ == PASS_EMIT:
            if dest & 3:
                self._runtime_error("ERROR: call0 target not word-aligned")
            if rel & 3:
                self._runtime_error("ERROR: call0 location not word-aligned")
            if not -(1 << 17) <= rel < (1 << 17):
                self._runtime_error("ERROR: xtensa call0 out of range")
        a.op_call0(rel)

    def _l32r(self, reg: int, label: int) -> None:
        a = self.asm
        dest = self._dest(label)
        rel = _s32(dest - a.code_offset)
        if self.pass_ == PASS_EMIT:
            if dest & 3:
                self._runtime_error("ERROR: l32r target not word-aligned")
            if rel & 3:
                self._runtime_error("ERROR: l32r location not word-aligned")
            if not -(1 << 17) <= rel < (1 << 17) or rel >= 0:
                self._runtime_error("ERROR: xtensa l32r out of range")
        a.op_l32r(reg, a.code_offset, dest)

    def _bit_branch(self, reg: int, bit: int, label: int, condition: int) -> None:
        a = self.asm
        rel = _s32(self._dest(label) - a.code_offset - 4)
        if self.pass_ == PASS_EMIT and not -128 <= rel < 128:
            self._runtime_error("ERROR: xtensa bit_branch out of range")
        a.op24(X._rri8(7, condition | ((bit >> 4) & 0x01), reg, bit & 0x0F, rel & 0xFF))
