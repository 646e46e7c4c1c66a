"""The `@micropython.asm_rv32` instruction set (after py/emitinlinerv32.c).

Every instruction but the Zcmp ones is one row of `OPCODES`: its operand count and, per
operand, what it is (register, immediate, label), which bits it may have (a contiguous
mask, checked signed or unsigned) and a shift applied first; the row's encoder then writes
it with the `asm_rv32` formats. Loads and stores take `offset(base)`, as the assembler
syntax writes them (`lw(a0, -4(sp))`). Registers are ABI names (`a0`, `sp`, `s11`) or
`x0`..`x31`; compressed operands must be x8..x15. `sh1add`/`sh2add`/`sh3add` need
`-march-flags=zba`; `cm_push`, `cm_pop`, `cm_popret`, `cm_popretz`, `cm_mva01s`,
`cm_mvsa01` need `zcmp`. The function returns with `c.jr ra`; there is no prologue.

Unlike the Thumb and Xtensa sets, an instruction stops at its first bad operand.
"""

from __future__ import annotations

from . import asm_rv32 as V
from . import astnodes as A
from .emitinline import PASS_EMIT, InlineAsmError, InlineAssembler, arg_id, arg_int, truncated

_ABI_NAMES = ("zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1", "a0", "a1", "a2", "a3", "a4", "a5",
              "a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6")
REGISTERS = {**{name: i for i, name in enumerate(_ABI_NAMES)}, **{f"x{i}": i for i in range(32)}}

# operand kinds (the low 2 bits) and flags, as emitinlinerv32.c packs them
N, R, I, L = 0, 1, 2, 3
C = 4  # with R: a compressed register, encoded as its number in x8..x15
U = 4  # with I: the mask is checked unsigned
Z = 8  # with I: must not be zero
RC, IU, IZ, IUZ = R | C, I | U, I | Z, I | U | Z

_M64 = (1 << 64) - 1
ANY = 0xFFFFFFFF
C_WINDOW = 0x0000FF00  # x8..x15
NOT_X0 = 0xFFFFFFFE


def _s64(x: int) -> int:
    x &= _M64
    return x - (1 << 64) if x >> 63 else x


def in_signed_mask(mask: int, value: int, wide: bool = False) -> bool:
    """is_in_signed_mask: the mask's bits, with its top bit as the sign (the masks are 32-bit,
    so only the low 32 bits of the 64-bit value are looked at; `wide`, before 1.27: the mask
    is 64-bit, so the high 32 bits must be the sign too)."""
    width = _M64 if wide else 0xFFFFFFFF
    leading_zeros = 32 - mask.bit_length()
    if leading_zeros == 0:
        return True
    positive_mask = ~(mask & ~(1 << (31 - leading_zeros))) & width
    if value & positive_mask == 0:
        return True
    negative_mask = ~(mask >> 1) & width
    trailing_zeros = (mask & -mask).bit_length() - 1
    if trailing_zeros > 0:
        trailing_mask = (1 << trailing_zeros) - 1
        if value & trailing_mask:
            return False
        negative_mask &= ~trailing_mask
    return value & negative_mask == negative_mask


def in_unsigned_mask(mask: int, value: int) -> bool:
    return value & ~mask & _M64 == 0


def _fits(kind: int, mask: int, value: int, wide: bool = False) -> bool:
    return in_unsigned_mask(mask, value) if kind & U else in_signed_mask(mask, value & _M64, wide)


def _word(build):
    return lambda asm, *args: asm.word(build(*args))


def _half(build):
    return lambda asm, *args: asm.half(build(*args))


def _r(f3, f7):
    return _word(lambda rd, rs1, rs2: V.type_r(0x33, f3, f7, rd, rs1, rs2))


def _i(op, f3, extra=lambda imm: imm):
    return _word(lambda rd, rs, imm: V.type_i(op, f3, rd, rs, extra(imm)))


def _b(f3):
    return _word(lambda rs1, rs2, offset: V.type_b(0x63, f3, rs1, rs2, offset))


def _s(f3):  # (value register, base, offset)
    return _word(lambda rs2, rs1, offset: V.type_s(0x23, f3, rs1, rs2, offset))


def _ca(f2):
    return _half(lambda rd, rs: V.type_ca(1, 0x23, f2, rd, rs))


def _la(asm, rd, displacement):
    # always auipc + addi: a shorter form would move the labels after it
    upper, lower = V.split_immediate(displacement)
    asm.auipc(rd, upper)
    asm.addi(rd, rd, lower)


def _cb_shift(f):
    return _half(lambda rd, imm: V.type_cb(1, 4, rd, ((imm & 0x20) << 2) | (imm & 0x1F) | f))


def _sp_offset(offset):
    return ((offset & 0xC0) >> 6) | (offset & 0x3C)


RR3 = ((R, 0, ANY), (R, 0, ANY), (R, 0, ANY))
RRI12 = ((R, 0, ANY), (R, 0, ANY), (I, 0, 0xFFF))
RRSHIFT = ((R, 0, ANY), (R, 0, ANY), (IU, 0, 0x1F))
RRBRANCH = ((R, 0, ANY), (R, 0, ANY), (L, 0, 0x1FFE))
CSR = ((R, 0, ANY), (R, 0, ANY), (IU, 0, 0xFFF))
CSRI = ((R, 0, ANY), (IU, 0, 0xFFF), (IU, 0, 0x1F))
LOAD_STORE = ((R, 0, ANY), (I, 0, 0xFFF), (R, 0, ANY))   # reg, offset(base)
C_RR = ((RC, 0, C_WINDOW), (RC, 0, C_WINDOW))
C_SHIFT = ((RC, 0, C_WINDOW), (IU, 0, 0x1F))
C_LOAD_STORE = ((RC, 0, C_WINDOW), (I, 0, 0x7C), (RC, 0, C_WINDOW))

# name: (operands, operand specs (kind, shift, mask), reads `offset(base)`, needs Zba, encoder);
# the encoder takes the operands in source order (for `offset(base)`: register, base, offset)
OPCODES = {
    "add": (3, RR3, False, False, _r(0, 0)),
    "addi": (3, RRI12, False, False, _i(0x13, 0)),
    "and_": (3, RR3, False, False, _r(7, 0)),
    "andi": (3, RRI12, False, False, _i(0x13, 7)),
    "auipc": (2, ((R, 0, ANY), (I, 12, 0xFFFFF000)), False, False, lambda a, rd, imm: a.auipc(rd, imm)),
    "beq": (3, RRBRANCH, False, False, _b(0)),
    "bge": (3, RRBRANCH, False, False, _b(5)),
    "bgeu": (3, RRBRANCH, False, False, _b(7)),
    "blt": (3, RRBRANCH, False, False, _b(4)),
    "bltu": (3, RRBRANCH, False, False, _b(6)),
    "bne": (3, RRBRANCH, False, False, _b(1)),
    "csrrc": (3, CSR, False, False, _i(0x73, 3)),
    "csrrs": (3, CSR, False, False, _i(0x73, 2)),
    "csrrw": (3, CSR, False, False, _i(0x73, 1)),
    "csrrci": (3, CSRI, False, False, _word(lambda rd, csr, imm: V.type_csri(0x73, 7, rd, csr, imm))),
    "csrrsi": (3, CSRI, False, False, _word(lambda rd, csr, imm: V.type_csri(0x73, 6, rd, csr, imm))),
    "csrrwi": (3, CSRI, False, False, _word(lambda rd, csr, imm: V.type_csri(0x73, 5, rd, csr, imm))),
    "c_add": (2, ((R, 0, NOT_X0), (R, 0, NOT_X0)), False, False, lambda a, rd, rs: a.c_add(rd, rs)),
    "c_addi": (2, ((R, 0, NOT_X0), (IZ, 0, 0x3F)), False, False, lambda a, rd, imm: a.c_addi(rd, imm)),
    "c_addi4spn": (2, ((R, 0, C_WINDOW), (IUZ, 0, 0x3FC)), False, False,
                   _half(lambda rd, imm: V.type_ciw(0, 0, rd, imm))),
    "c_and": (2, C_RR, False, False, _ca(3)),
    "c_andi": (2, ((RC, 0, C_WINDOW), (I, 0, 0x3F)), False, False, _cb_shift(0x40)),
    "c_beqz": (2, ((RC, 0, C_WINDOW), (L, 0, 0x1FE)), False, False,
               _half(lambda rs, offset: V.type_cb(1, 6, rs, V._cb_branch_offset(offset)))),
    "c_bnez": (2, ((RC, 0, C_WINDOW), (L, 0, 0x1FE)), False, False,
               _half(lambda rs, offset: V.type_cb(1, 7, rs, V._cb_branch_offset(offset)))),
    "c_ebreak": (0, (), False, False, lambda a: a.half(0x9002)),
    "c_j": (1, ((L, 0, 0xFFE),), False, False, _half(lambda offset: V.type_cj(1, 5, offset))),
    "c_jal": (1, ((L, 0, 0xFFE),), False, False, _half(lambda offset: V.type_cj(1, 1, offset))),
    "c_jalr": (1, ((R, 0, NOT_X0),), False, False, lambda a, rs: a.c_jalr(rs)),
    "c_jr": (1, ((R, 0, NOT_X0),), False, False, lambda a, rs: a.c_jr(rs)),
    "c_li": (2, ((R, 0, NOT_X0), (I, 0, 0x3F)), False, False, lambda a, rd, imm: a.c_li(rd, imm)),
    "c_lui": (2, ((R, 0, 0xFFFFFFFA), (IUZ, 12, 0x1F800)), False, False,
              _half(lambda rd, imm: V.type_ci(1, 3, rd, imm >> 12))),
    "c_lw": (2, C_LOAD_STORE, True, False, lambda a, rd, rs, offset: a.c_lw(rd, rs, offset)),
    "c_lwsp": (2, ((R, 0, NOT_X0), (I, 0, 0xFC)), False, False,
               _half(lambda rd, offset: V.type_ci(2, 2, rd, _sp_offset(offset)))),
    "c_mv": (2, ((R, 0, NOT_X0), (R, 0, NOT_X0)), False, False, lambda a, rd, rs: a.c_mv(rd, rs)),
    "c_nop": (0, (), False, False, lambda a: a.half(0x0001)),
    "c_or": (2, C_RR, False, False, _ca(2)),
    "c_slli": (2, ((R, 0, NOT_X0), (IU, 0, 0x1F)), False, False,
               _half(lambda rd, imm: V.type_ci(2, 0, rd, imm))),
    "c_srai": (2, C_SHIFT, False, False, _cb_shift(0x20)),
    "c_srli": (2, C_SHIFT, False, False, _cb_shift(0)),
    "c_sub": (2, C_RR, False, False, _ca(0)),
    "c_sw": (2, C_LOAD_STORE, True, False, lambda a, rs2, rs1, offset: a.c_sw(rs2, rs1, offset)),
    "c_swsp": (2, ((R, 0, ANY), (I, 0, 0xFC)), False, False,
               _half(lambda rs, offset: V.type_css(2, 6, rs, _sp_offset(offset)))),
    "c_xor": (2, C_RR, False, False, _ca(1)),
    "div": (3, RR3, False, False, _r(4, 1)),
    "divu": (3, RR3, False, False, _r(5, 1)),
    "ebreak": (0, (), False, False, lambda a: a.word(0x100073)),
    "ecall": (0, (), False, False, lambda a: a.word(0x73)),
    "jal": (2, ((R, 0, ANY), (L, 0, 0x1FFFFE)), False, False,
            _word(lambda rd, offset: V.type_j(0x6F, rd, offset))),
    "jalr": (3, RRI12, False, False, _i(0x67, 0)),
    "la": (2, ((R, 0, ANY), (L, 0, ANY)), False, False, _la),
    "lb": (2, LOAD_STORE, True, False, _i(0x03, 0)),
    "lbu": (2, LOAD_STORE, True, False, _i(0x03, 4)),
    "lh": (2, LOAD_STORE, True, False, _i(0x03, 1)),
    "lhu": (2, LOAD_STORE, True, False, _i(0x03, 5)),
    "li": (2, ((R, 0, ANY), (I, 0, ANY)), False, False, lambda a, rd, imm: a.mov_reg_imm(rd, imm)),
    "lui": (2, ((R, 0, ANY), (I, 12, 0xFFFFF000)), False, False,
            _word(lambda rd, imm: V.type_u(0x37, rd, imm))),
    "lw": (2, LOAD_STORE, True, False, _i(0x03, 2)),
    "mv": (2, ((R, 0, ANY), (R, 0, ANY)), False, False, lambda a, rd, rs: a.c_mv(rd, rs)),
    "mul": (3, RR3, False, False, _r(0, 1)),
    "mulh": (3, RR3, False, False, _r(1, 1)),
    "mulhsu": (3, RR3, False, False, _r(2, 1)),
    "mulhu": (3, RR3, False, False, _r(3, 1)),
    "or_": (3, RR3, False, False, _r(6, 0)),
    "ori": (3, RRI12, False, False, _i(0x13, 6)),
    "rem": (3, RR3, False, False, _r(6, 1)),
    "remu": (3, RR3, False, False, _r(7, 1)),
    "sb": (2, LOAD_STORE, True, False, _s(0)),
    "sh": (2, LOAD_STORE, True, False, _s(1)),
    "sh1add": (3, RR3, False, True, _r(2, 0x10)),
    "sh2add": (3, RR3, False, True, _r(4, 0x10)),
    "sh3add": (3, RR3, False, True, _r(6, 0x10)),
    "sll": (3, RR3, False, False, _r(1, 0)),
    "slli": (3, RRSHIFT, False, False, _i(0x13, 1, lambda imm: imm & 0x1F)),
    "slt": (3, RR3, False, False, _r(2, 0)),
    "slti": (3, RRI12, False, False, _i(0x13, 2)),
    "sltiu": (3, RRI12, False, False, _i(0x13, 3)),
    "sltu": (3, RR3, False, False, _r(3, 0)),
    "sra": (3, RR3, False, False, _r(5, 0x20)),
    "srai": (3, RRSHIFT, False, False, _i(0x13, 5, lambda imm: (imm & 0x1F) | 0x400)),
    "srl": (3, RR3, False, False, _r(5, 0)),
    "srli": (3, RRSHIFT, False, False, _i(0x13, 5, lambda imm: imm & 0x1F)),
    "sub": (3, RR3, False, False, _r(0, 0x20)),
    "sw": (2, LOAD_STORE, True, False, _s(2)),
    "xor": (3, RR3, False, False, _r(4, 0)),
    "xori": (3, RRI12, False, False, _i(0x13, 4)),
}

# Zcmp: name -> (funct6, funct2); cm_push .. cm_popretz take ({ra, s0-sN}, stack adjustment)
ZCMP_LISTS = {"cm_push": (0x2E, 0), "cm_pop": (0x2E, 2), "cm_popret": (0x2F, 2), "cm_popretz": (0x2F, 0)}
ZCMP_MOVES = {"cm_mva01s": 3, "cm_mvsa01": 1}
S_REGISTERS = 0x00FC0300  # s0, s1, s2..s7: the registers cm.mva01s / cm.mvsa01 reach


class OperandError(Exception):
    """An operand emitinlinerv32.c rejects: the instruction stops there."""


class InlineRV32(InlineAssembler):
    """One RV32 inline-assembler function, pass by pass."""

    isa_name = "RV32"
    param_regs = ("a0", "a1", "a2", "a3")

    code_size_passes = 1

    def __init__(self, arch_flags: int = 0, has=None):
        super().__init__(V.AsmRV32(arch_flags))
        self.extensions = arch_flags
        has = has or (lambda feature: True)
        # the release's rules (formats/targets.toml inline_rv32_*)
        self.zba_known = has("inline_rv32_zba_opcodes")
        self.zcmp_known = has("inline_rv32_zcmp_opcodes")
        self.wide_masks = not has("inline_rv32_signed_mask_32bit")

    def end_pass(self) -> None:
        self.asm.c_jr(V.RA)
        self.asm.end_pass()

    def count_params(self, params: list) -> str | None:
        if len(params) > 4:
            return "can only have up to 4 parameters for RV32 assembly"
        for i, name in enumerate(params):
            if REGISTERS.get(name or "") != V.A0 + i:  # `x10` is a0 too
                return "parameters must be registers in sequence a0 to a3"
        self.n_params = len(params)
        return None

    # ---- operands ------------------------------------------------------------------------

    def _operand(self, op: str, spec: tuple, node, index: int) -> int:
        """serialise_argument: the operand's value, or OperandError."""
        kind, shift, mask = spec
        base = kind & 3
        if base == R:
            reg = REGISTERS.get(arg_id(node) or "")
            if reg is None:
                raise OperandError(f"opcode '{op}' argument {index + 1}: expecting register")
            if not mask & (1 << reg):
                raise OperandError(f"opcode '{op}' argument {index + 1}: unknown register")
            return reg - 8 if kind & C else reg
        if base == I:
            value = arg_int(node)
            if value is None:
                raise OperandError(f"opcode '{op}' argument {index + 1}: expecting integer")
            immediate = ((truncated(value) & _M64) << shift) & _M64
            if not _fits(kind, mask, immediate, self.wide_masks):
                raise OperandError(f"opcode '{op}' argument {index + 1}: out of range")
            if kind & Z and immediate == 0:
                raise OperandError(f"opcode '{op}' argument {index + 1}: must not be zero")
            return immediate
        if base == L:
            name = arg_id(node)
            if name is None:
                raise OperandError(f"opcode '{op}' argument {index + 1}: expecting label")
            if name in self.labels:
                dest = self.asm.label_dest(self.labels[name])
            elif self.pass_ == PASS_EMIT:
                raise OperandError(f"opcode '{op}' argument {index + 1}: undefined label '{name}'")
            else:
                # the compute pass reads a label not placed yet from the slot past the label
                # table, which holds 0: a forward branch is checked as if aimed at offset 0
                dest = 0
            displacement = (dest - self.asm.code_offset) & _M64
            if not _fits(kind, mask, displacement, self.wide_masks):
                raise OperandError(f"opcode '{op}' argument {index + 1}: out of range")
            return displacement
        return 0

    def _offset_base(self, op: str, specs: tuple, node) -> tuple[int, int]:
        """serialise_register_offset_node: `offset(base)`, `-offset(base)` (or `+`)."""
        negative = False
        if type(node) is A.UnaryOp and node.op in ("USub", "UAdd"):
            negative = node.op == "USub"
            node = node.operand
            if _offset_parts(node) is None:
                raise OperandError(f"opcode '{op}' argument 2: expecting offset")
        parts = _offset_parts(node)
        if parts is None:
            raise OperandError(f"opcode '{op}' argument 2: expecting offset")
        offset_node, base_node = parts
        if negative:
            # the parser saw `-` and `4(a1)`: the offset is checked negated
            value = arg_int(offset_node)
            if value is None:
                raise OperandError(f"opcode '{op}' argument 2: expecting integer")
            offset = -truncated(value) & _M64
            kind, shift, mask = specs[1]
            shifted = (offset << shift) & _M64
            if not _fits(kind, mask, shifted, self.wide_masks) or (kind & Z and shifted == 0):
                raise OperandError(f"opcode '{op}' argument 2: out of range")
        else:
            offset = self._operand(op, specs[1], offset_node, 1)
        return offset, self._operand(op, specs[2], base_node, 2)

    def _register_list(self, node) -> int | None:
        """extract_register_list: {ra}, {ra, s0}, {ra, s0-s1} .. {ra, s0-s11} (not s0-s10)."""
        if type(node) is not A.Set or node.trailing_comma or not 1 <= len(node.elts) <= 2:
            return None
        if REGISTERS.get(arg_id(node.elts[0]) or "") != V.RA:
            return None
        if len(node.elts) == 1:
            return 4
        last = node.elts[1]
        if arg_id(last) is not None:
            return 5 if REGISTERS.get(last.id) == V.S0 else None
        if not (type(last) is A.BinOp and last.op == "Sub" and arg_id(last.left) and arg_id(last.right)):
            return None
        if REGISTERS.get(last.left.id) != V.S0:
            return None
        end = REGISTERS.get(last.right.id)
        if end == V.S1:
            return 6
        if end is not None and 18 <= end <= 27 and end != 26:  # s2..s11, but not s10
            return 7 + min(end, 26) - 18
        return None

    # ---- instructions --------------------------------------------------------------------

    def op(self, op: str, args: list) -> None:
        try:
            self._op(op, args)
        except OperandError as err:
            self.error = str(err)

    def _op(self, op: str, args: list) -> None:
        row = OPCODES.get(op)
        if row is not None and row[3] and not self.zba_known:
            row = None  # before 1.27 there are no Zba rows
        if (row is None and self.zcmp_known and self.extensions & V.EXT_ZCMP and len(args) == 2
                and self._zcmp(op, args)):
            return
        if row is None or (row[3] and not self.extensions & V.EXT_ZBA):
            # (a Zcmp instruction with a bad operand ends here too: its own message is overwritten)
            raise OperandError(f"{'invalid' if self.zba_known else 'unknown'} RV32 instruction '{op}'")
        operands, specs, offset_base, _, encode = row
        if len(args) != operands:
            raise OperandError(f"opcode '{op}': expecting {operands} arguments")
        values = []
        if operands >= 1:
            values.append(self._operand(op, specs[0], args[0], 0))
        if offset_base:
            offset, base = self._offset_base(op, specs, args[1])
            values += [base, offset]
        else:
            values += [self._operand(op, specs[i], args[i], i) for i in range(1, operands)]
        encode(self.asm, *(_s64(v) for v in values))

    def _zcmp(self, op: str, args: list) -> bool:
        """handle_zcmp_opcode: True when encoded; False for any error (then reported as an
        invalid instruction)."""
        if op in ZCMP_MOVES:
            regs = [REGISTERS.get(arg_id(a) or "") for a in args]
            if any(r is None or not S_REGISTERS & (1 << r) for r in regs) or regs[0] == regs[1]:
                return False
            self.asm.half(V.type_cmmv(2, 0x2B, ZCMP_MOVES[op], regs[0], regs[1]))
            return True
        if op not in ZCMP_LISTS:
            return False
        rlist = self._register_list(args[0])
        adjustment = arg_int(args[1])
        if rlist is None or adjustment is None:
            return False
        if not -(1 << 63) <= adjustment < (1 << 63):
            # mp_obj_get_int raises it through the compiler, printed without a traceback
            raise InlineAsmError("overflow converting long int to machine word", None, kind="OverflowError")
        magnitude = abs(_s32(adjustment))
        if magnitude & ~0x30 or (op == "cm_push" and adjustment > 0) or (op != "cm_push" and adjustment < 0):
            return False
        f6, f2 = ZCMP_LISTS[op]
        # the stack adjustment goes in unscaled: only its low 2 bits (always 0) reach spimm
        self.asm.half(V.type_cmpp(2, f6, f2, rlist, magnitude))
        return True


def _s32(x: int) -> int:
    x &= 0xFFFFFFFF
    return x - (1 << 32) if x >> 31 else x


def _offset_parts(node):
    """(offset node, base node) of an atom with one trailer, as py/parse.c's atom_expr_normal:
    `4(a1)`, also `4[a1]` and `4 .a1` (whose trailer holds a bare name); None for another
    shape. A base that is not a bare name comes back as the node itself (not a register)."""
    if type(node) is A.Call:
        inner = node.func
        args = list(node.args) + list(node.keywords)
        plain = len(args) == 1 and not node.trailing_comma and type(args[0]) not in (A.Starred, A.keyword)
        base = args[0] if plain else node
    elif type(node) is A.Subscript:
        inner, base = node.value, node.slice
    elif type(node) is A.Attribute:
        inner, base = node.value, A.Name(node.attr, line=node.line)
    else:
        return None
    if type(inner) in (A.Call, A.Subscript, A.Attribute):
        # two trailers: nodes[1] is the trailer list, not a register
        root = inner
        while type(root) in (A.Call, A.Subscript, A.Attribute):
            root = root.func if type(root) is A.Call else root.value
        return root, node
    return inner, base
