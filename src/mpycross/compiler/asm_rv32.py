"""The RISC-V encoder behind `-march=rv32imc` (after py/asmrv32.c, py/asmrv32.h and
py/emitnrv32.c), with the optional Zba and Zcmp extensions of `-march-flags=`.

Instructions are 32-bit words (bits 31..0, opcode in the low 7 bits) or, from
the C extension, 16-bit halfwords:

    R     funct7:7  rs2:5 rs1:5 funct3:3 rd:5      opcode    add sub and or xor sll srl sra slt mul sh1add
    I     imm[11:0]:12    rs1:5 funct3:3 rd:5      opcode    addi xori sltiu lbu lhu lw jalr
    S     imm[11:5] rs2:5 rs1:5 funct3:3 imm[4:0]  opcode    sb sh sw
    B     imm[12|10:5] rs2 rs1 funct3 imm[4:1|11]  opcode    beq bne
    U     imm[31:12]:20               rd:5         opcode    lui auipc
    J     imm[20|10:1|11|19:12]:20    rd:5         opcode    jal (inline assembler)
    CSR-I csr:12          uimm:5 funct3:3 rd:5     opcode    csrrwi csrrsi csrrci (inline assembler)
    CR    funct4:4 rd/rs1:5 rs2:5 op:2                       c.mv c.add c.jr c.jalr
    CI    funct3 imm[5] rd:5 imm[4:0] op                     c.li c.lui c.addi c.lwsp
    CSS   funct3 imm:6 rs2:5 op                              c.swsp
    CIW   funct3 imm:8 rd':3 op                              c.addi4spn
    CL/CS funct3 imm:3 rs1':3 imm:2 rd':3 op                 c.lw c.sw
    CB    funct3 imm:3 rs1':3 imm:5 op                       c.bnez c.beqz
    CJ    funct3 imm:11 op                                   c.j
    CMPP  funct6 funct2 rlist:4 spimm:2 op                   cm.push cm.popret (Zcmp)
    CA    funct6 rd':3 funct2 rs2':3 op                      c.and c.or c.xor c.sub (inline assembler)
    CMMV  funct6 r1s':3 funct2 r2s':3 op                     cm.mva01s cm.mvsa01 (Zcmp, inline assembler)

The compressed forms reach only x8..x15 (rd', rs1') for most operands.
Calling convention: arguments in a0-a3, result in a0; s2-s4 hold the
emitter's locals, s1 `mp_fun_table`, s0 is the assembler's own temporary.
The prologue saves exactly the registers the function's code uses; that set
only grows, for the whole module (one assembler state per compile, as in
py/compile.c), so its size settles after the first pass.
"""

from __future__ import annotations

from .asmbase import AsmBase

ZERO, RA, SP = 0, 1, 2
T1, T2, T3 = 6, 7, 28
S0, S1 = 8, 9
A0, A1, A2, A3, A4, A5, A6, A7 = range(10, 18)
S2, S3, S4, S5 = 18, 19, 20, 21

EXT_ZBA, EXT_ZCMP = 1, 2  # py/asmrv32.h RV32_EXT_* (emitnative_target.ARCH_FLAGS: -march-flags=zba,zcmp)
EXT_ALL = EXT_ZBA | EXT_ZCMP

WORD_SIZE = 4
INTERNAL_TEMPORARY = S0
_M32 = 0xFFFFFFFF


def fit_signed(value: int, bits: int) -> bool:
    """asmrv32.c FIT_SIGNED: the low 32 bits are a sign-extended `bits`-bit number."""
    high = _M32 & ~((1 << (bits - 1)) - 1)
    return (value & high) in (0, high)


def fit_unsigned(value: int, bits: int) -> bool:
    return (value & _M32 & ~((1 << bits) - 1)) == 0


def split_immediate(immediate: int) -> tuple[int, int]:
    """The lui/auipc part and the (sign-corrected) 12-bit rest of an immediate."""
    upper = immediate & 0xFFFFF000
    lower = immediate & 0x00000FFF
    if lower & 0x800:
        upper += 0x1000  # the rest is added as a negative number
    return upper, lower


def fallback_popcount(mask: int) -> int:
    """py/misc.h mp_popcount before 1.26 (the official mpy-cross builds use it): the byte counts
    summed into every byte from the lowest up, without the final `>> 24`."""
    counts = sum(bin((mask >> shift) & 0xFF).count("1") << shift for shift in (0, 8, 16, 24))
    return (counts * 0x01010101) & _M32


def _in_c_window(reg: int) -> bool:
    return 8 <= reg <= 15


# ---- instruction formats --------------------------------------------------------

def type_r(op, f3, f7, rd, rs1, rs2):
    return (op & 0x7F) | (rd & 0x1F) << 7 | (f3 & 7) << 12 | (rs1 & 0x1F) << 15 | (rs2 & 0x1F) << 20 | (f7 & 0x7F) << 25


def type_i(op, f3, rd, rs, imm):
    return (op & 0x7F) | (rd & 0x1F) << 7 | (f3 & 7) << 12 | (rs & 0x1F) << 15 | (imm & 0xFFF) << 20


def type_s(op, f3, rs1, rs2, imm):
    return ((op & 0x7F) | (imm & 0x1F) << 7 | (f3 & 7) << 12 | (rs1 & 0x1F) << 15 | (rs2 & 0x1F) << 20
            | (imm & 0xFE0) << 20)


def type_b(op, f3, rs1, rs2, imm):
    return ((op & 0x7F) | (f3 & 7) << 12 | (imm & 0x800) >> 4 | (imm & 0x1E) << 7 | (rs1 & 0x1F) << 15
            | (rs2 & 0x1F) << 20 | (imm & 0x7E0) << 20 | (imm & 0x1000) << 19)


def type_u(op, rd, imm):
    return (op & 0x7F) | (rd & 0x1F) << 7 | (imm & 0xFFFFF000)


def type_cr(op, f4, rs1, rs2):
    return (op & 3) | (rs2 & 0x1F) << 2 | (rs1 & 0x1F) << 7 | (f4 & 0xF) << 12


def type_ci(op, f3, rd, imm):
    return (op & 3) | (f3 & 7) << 13 | (rd & 0x1F) << 7 | (imm & 0x20) << 7 | (imm & 0x1F) << 2


def type_css(op, f3, rs, imm):
    return (op & 3) | (f3 & 7) << 13 | (rs & 0x1F) << 2 | (imm & 0x3F) << 7


def type_ciw(op, f3, rd, imm):
    return ((op & 3) | (f3 & 7) << 13 | (rd & 7) << 2 | (imm & 0x3C0) << 1 | (imm & 0x30) << 7
            | (imm & 0x08) << 2 | (imm & 0x04) << 4)


def type_cl(op, f3, rd, rs, imm):
    return (op & 3) | (f3 & 7) << 13 | (rd & 7) << 2 | (rs & 7) << 7 | (imm & 0x40) >> 1 | (imm & 0x38) << 7 | (imm & 4) << 4


def type_cb(op, f3, rs, imm):
    return (op & 3) | (f3 & 7) << 13 | (rs & 7) << 7 | (imm & 0xE0) << 5 | (imm & 0x1F) << 2


def type_cj(op, f3, imm):
    return ((op & 3) | (f3 & 7) << 13 | (imm & 0x0E) << 2 | (imm & 0x300) << 1 | (imm & 0x800) << 1
            | (imm & 0x400) >> 2 | (imm & 0x80) >> 1 | (imm & 0x40) << 1 | (imm & 0x20) >> 3 | (imm & 0x10) << 7)


def type_j(op, rd, imm):
    return ((op & 0x7F) | (rd & 0x1F) << 7 | (imm & 0xFF000) | (imm & 0x800) << 9 | (imm & 0x7FE) << 20
            | (imm & 0x100000) << 11)


def type_csri(op, f3, rd, csr, imm):
    return (op & 0x7F) | (rd & 0x1F) << 7 | (f3 & 7) << 12 | (csr & 0xFFF) << 20 | (imm & 0x1F) << 15


def type_ca(op, f6, f2, rd, rs):
    # py/asmrv32.h keeps only 2 bits of each 3-bit register field (rd', rs2'): so do we
    return (op & 3) | (f6 & 0x3F) << 10 | (f2 & 3) << 5 | (rd & 3) << 7 | (rs & 3) << 2


def _sreg_field(reg: int) -> int:
    """The 3-bit s-register number of cm.mva01s / cm.mvsa01 (s0, s1, then s2..s7)."""
    return (reg - S0 if S0 <= reg <= S1 else reg - S2 + 2) & 7


def type_cmmv(op, f6, f2, r1s, r2s):
    return (op & 3) | (f6 & 0x3F) << 10 | (f2 & 3) << 5 | _sreg_field(r1s) << 7 | _sreg_field(r2s) << 2


def type_cmpp(op, f6, f2, rlist, imm):
    return (op & 3) | (f6 & 0x3F) << 10 | (f2 & 3) << 8 | (rlist & 0xF) << 4 | (imm & 3) << 2


def _cb_branch_offset(offset: int) -> int:
    # c.beqz / c.bnez scatter offset[8|4:3] and offset[7:6|2:1|5] over the CB fields
    return ((offset & 0x100) >> 1) | ((offset & 0xC0) >> 3) | ((offset & 0x20) >> 5) | ((offset & 0x18) << 2) | (offset & 6)


class AssemblerState:
    """What py/compile.c's one native emitter keeps from function to function."""

    def __init__(self):
        self.saved_registers_mask = 0
        self.locals_stack_offset = 0


class AsmRV32(AsmBase):
    """RV32IMC machine code for one function."""

    word_size = WORD_SIZE
    REG_RET = A0
    REG_ARG_1, REG_ARG_2, REG_ARG_3, REG_ARG_4 = A0, A1, A2, A3
    REG_ARG_5 = None
    REG_TEMP0, REG_TEMP1, REG_TEMP2 = A4, A5, A6
    REG_LOCAL_1, REG_LOCAL_2, REG_LOCAL_3 = S3, S2, S4
    REG_FUN_TABLE = S1
    REG_ZERO = ZERO  # a hard-wired zero: no clearing before storing a NULL
    REG_SHIFT_COUNT = None
    NLR_BUF_IDX_LOCAL_1 = 6  # emitnrv32.c: s3
    NLR_BUF_NUM_REGS = 14  # MICROPY_NLR_NUM_REGS_RV32I
    loads_reg_reg_reg = True
    byte_store_needs_low_reg = False

    @classmethod
    def for_compile(cls, arch: str, arch_flags: int, shared: dict) -> "AsmRV32":
        asm = cls(arch_flags, shared.setdefault("rv32", AssemblerState()))
        rules = shared.get("rules")
        if rules is not None and "rv32_temps_in_c_window" not in rules:
            # before 1.29 the temporaries are t1-t3, which no compressed form reaches
            asm.REG_TEMP0, asm.REG_TEMP1, asm.REG_TEMP2 = T1, T2, T3
        if rules is not None and "rv32_locals_s2_s4" not in rules:
            asm.REG_LOCAL_1, asm.REG_LOCAL_2, asm.REG_LOCAL_3 = S3, S4, S5  # before 1.28
        return asm

    def __init__(self, extensions: int = 0, state: AssemblerState | None = None):
        super().__init__()
        self.extensions = extensions
        self.state = state if state is not None else AssemblerState()
        self.locals_count = 0
        self.stack_size = 0

    # ---- raw output ----------------------------------------------------------------

    def word(self, op: int) -> None:
        self.write((op & _M32).to_bytes(4, "little"))

    def half(self, op: int) -> None:
        self.write((op & 0xFFFF).to_bytes(2, "little"))

    # ---- single instructions ------------------------------------------------------

    def addi(self, rd, rs, imm):
        self.word(type_i(0x13, 0, rd, rs, imm))

    def lw(self, rd, rs, offset):
        self.word(type_i(0x03, 2, rd, rs, offset))

    def sw(self, rs2, rs1, offset):
        self.word(type_s(0x23, 2, rs1, rs2, offset))

    def sub(self, rd, rs1, rs2):
        self.word(type_r(0x33, 0, 0x20, rd, rs1, rs2))

    def xori(self, rd, rs, imm):
        self.word(type_i(0x13, 4, rd, rs, imm))

    def beq(self, rs1, rs2, offset):
        self.word(type_b(0x63, 0, rs1, rs2, offset))

    def bne(self, rs1, rs2, offset):
        self.word(type_b(0x63, 1, rs1, rs2, offset))

    def auipc(self, rd, offset):
        self.word(type_u(0x17, rd, offset))

    def jalr(self, rd, rs, offset):
        self.word(type_i(0x67, 0, rd, rs, offset))

    def c_add(self, rd, rs):
        self.half(type_cr(2, 9, rd, rs))

    def c_mv(self, rd, rs):
        self.half(type_cr(2, 8, rd, rs))

    def c_jr(self, rs):
        self.half(type_cr(2, 8, rs, 0))

    def c_jalr(self, rs):
        self.half(type_cr(2, 9, rs, 0))

    def c_li(self, rd, imm):
        self.half(type_ci(1, 2, rd, imm))

    def c_addi(self, rd, imm):
        self.half(type_ci(1, 0, rd, imm))

    def c_lwsp(self, rd, offset):
        self.half(type_ci(2, 2, rd, ((offset & 0xC0) >> 6) | (offset & 0x3C)))

    def c_swsp(self, rs, offset):
        self.half(type_css(2, 6, rs, ((offset & 0xC0) >> 6) | (offset & 0x3C)))

    def c_lw(self, rd_c, rs_c, offset):
        self.half(type_cl(0, 2, rd_c, rs_c, offset))

    def c_sw(self, rs2_c, rs1_c, offset):
        self.half(type_cl(0, 6, rs2_c, rs1_c, offset))

    # ---- immediates -----------------------------------------------------------------

    def _load_upper_immediate(self, rd: int, immediate: int) -> None:
        if fit_signed(immediate, 17) and (immediate >> 12) != 0:
            self.half(type_ci(1, 3, rd, immediate >> 12))  # c.lui
        else:
            self.word(type_u(0x37, rd, immediate))  # lui

    def _split(self, immediate: int) -> tuple[int, int]:
        upper, lower = split_immediate(immediate)
        if lower & 0x800 and not self.has_rule("rv32_lower_half_unsigned"):
            lower -= 0x1000  # 1.24: the rest as a negative number, so c.addi may take it
        return upper, lower

    def _load_lower_immediate(self, rd: int, immediate: int) -> None:
        # only after a lui/auipc on rd (or rd cleared)
        if immediate == 0:
            return
        if fit_signed(immediate, 6):
            self.c_addi(rd, immediate)
        else:
            self.addi(rd, rd, immediate)

    def _load_full_immediate(self, rd: int, immediate: int) -> None:
        upper, lower = self._split(immediate)
        self._load_upper_immediate(rd, upper)
        self._load_lower_immediate(rd, lower)

    def mov_reg_imm(self, rd: int, immediate: int) -> None:
        if fit_signed(immediate, 6):
            self.c_li(rd, immediate)
        elif fit_signed(immediate, 12):
            self.addi(rd, ZERO, immediate)
        else:
            self._load_full_immediate(rd, immediate)

    # ---- entry and exit ---------------------------------------------------------------

    def _adjust_stack(self, size: int) -> None:
        if size == 0:
            return
        if fit_signed(size, 6):
            self.c_addi(SP, size)
        elif fit_signed(size, 12):
            self.addi(SP, SP, size)
        else:
            self._load_full_immediate(self.REG_TEMP0, size)  # a caller-saved register
            self.c_add(SP, self.REG_TEMP0)

    def _zcmp_rlist(self, mask: int) -> tuple[int, int]:
        """The cm.push register list of ra, s0..s11 in `mask`, and how many registers it saves."""
        packed = ((mask & 0x2) >> 1) | ((mask & 0x300) >> 7) | ((mask & 0x0FFC0000) >> 15)
        length = packed.bit_length()
        length = 13 if length == 12 else length  # s10 comes only with s11
        return min(3 + length, 15), length

    def entry(self, num_locals: int) -> None:
        st = self.state
        self.locals_count = num_locals
        st.saved_registers_mask |= (1 << self.REG_FUN_TABLE) | (1 << self.REG_LOCAL_1) | \
            (1 << self.REG_LOCAL_2) | (1 << self.REG_LOCAL_3)
        if not self.has_rule("rv32_s0_saved_if_used"):
            st.saved_registers_mask |= 1 << INTERNAL_TEMPORARY  # 1.24: always saved
        mask = st.saved_registers_mask
        if self.extensions & EXT_ZCMP:
            rlist, length = self._zcmp_rlist(mask)
            # cm.push puts the registers at the top of a 16-byte block, locals fill the rest
            slack = ((length + 3) & ~3) - length
            locals_left = max(0, num_locals - slack)
            chunks = min(3, locals_left // 4)  # extra 16-byte blocks cm.push can allocate
            locals_left -= chunks * 4
            stack_size = locals_left * WORD_SIZE
            self.half(type_cmpp(2, 0x2E, 0, rlist, chunks))  # cm.push
            self._adjust_stack(-stack_size)
            self.stack_size = stack_size | chunks
        else:
            count = bin(mask).count("1") if self.has_rule("rv32_popcount_fixed") else fallback_popcount(mask)
            self.stack_size = (count + num_locals) * WORD_SIZE
            self._adjust_stack(-self.stack_size)
            offset = 0
            for reg in range(32):
                if mask & (1 << reg):
                    self.c_swsp(reg, offset)
                    offset += WORD_SIZE
            st.locals_stack_offset = count * WORD_SIZE

    def exit(self) -> None:
        mask = self.state.saved_registers_mask
        if self.extensions & EXT_ZCMP:
            rlist, _ = self._zcmp_rlist(mask)
            self._adjust_stack(self.stack_size & ~3)
            self.half(type_cmpp(2, 0x2F, 2, rlist, self.stack_size & 3))  # cm.popret
        else:
            offset = 0
            for reg in range(32):
                if mask & (1 << reg):
                    self.c_lwsp(reg, offset)
                    offset += WORD_SIZE
            self._adjust_stack(self.stack_size)
            self.c_jr(RA)

    # ---- branches ---------------------------------------------------------------------

    def _displacement(self, label: int) -> tuple[bool, int]:
        """The distance to a label, and whether it is a known backward jump."""
        dest = self.label_dest(label)
        if dest is None:
            return False, -1 - self.code_offset  # ((mp_uint_t)-1 - offset), never used for real
        displacement = dest - self.code_offset
        return displacement < 0, displacement

    def _long_jump(self, displacement: int) -> None:
        upper, lower = split_immediate(displacement)
        self.auipc(self.REG_TEMP2, upper)
        self.jalr(ZERO, self.REG_TEMP2, lower)

    def jump(self, label: int) -> None:
        short, displacement = self._displacement(label)
        if short and fit_signed(displacement, 12):
            self.half(type_cj(1, 5, displacement))  # c.j
            return
        self._long_jump(displacement)

    def jump_if_reg_eq(self, rs1: int, rs2: int, label: int) -> None:
        short, displacement = self._displacement(label)
        if short and fit_signed(displacement, 13):
            self.beq(rs1, rs2, displacement)
            return
        self.bne(rs1, rs2, 12)  # over the long jump
        self._long_jump(displacement - WORD_SIZE)

    def jump_if_reg_zero(self, rs: int, label: int, bool_test: bool) -> None:
        self.jump_if_reg_eq(rs, ZERO, label)

    def jump_if_reg_nonzero(self, rs: int, label: int, bool_test: bool) -> None:
        short, displacement = self._displacement(label)
        if short and fit_signed(displacement, 8) and _in_c_window(rs):
            self.half(type_cb(1, 7, rs - 8, _cb_branch_offset(displacement)))  # c.bnez
            return
        if short and fit_signed(displacement, 13):
            self.bne(rs, ZERO, displacement)
            return
        if short and _in_c_window(rs):
            self.half(type_cb(1, 6, rs - 8, _cb_branch_offset(10)))  # c.beqz over the long jump
            displacement -= 2
        else:
            self.beq(rs, ZERO, 12)
            displacement -= WORD_SIZE
        self._long_jump(displacement)

    def jump_reg(self, reg: int) -> None:
        self.c_jr(reg)

    def call_ind(self, fun_id: int) -> None:
        offset = fun_id * WORD_SIZE
        st = self.state
        st.saved_registers_mask |= 1 << RA
        if fit_unsigned(offset, 6):
            st.saved_registers_mask |= 1 << INTERNAL_TEMPORARY
            self.c_lw(INTERNAL_TEMPORARY - 8, self.REG_FUN_TABLE - 8, offset)
            self.c_jalr(INTERNAL_TEMPORARY)
        elif fit_unsigned(offset, 11):
            self.lw(self.REG_TEMP2, self.REG_FUN_TABLE, offset)
            self.c_jalr(self.REG_TEMP2)
        else:
            upper, lower = split_immediate(offset)
            self._load_upper_immediate(self.REG_TEMP2, upper)
            self.c_add(self.REG_TEMP2, self.REG_FUN_TABLE)
            self.lw(self.REG_TEMP2, self.REG_TEMP2, lower)
            self.c_jalr(self.REG_TEMP2)

    def call_setup_code_state(self, fun_id: int) -> None:
        self.call_ind(fun_id)

    # ---- locals -------------------------------------------------------------------------

    def _local_offset(self, local: int) -> int:
        return self.state.locals_stack_offset + local * WORD_SIZE

    def mov_local_reg(self, local: int, rs: int) -> None:
        offset = self._local_offset(local)
        if fit_unsigned(offset >> 2, 6):
            self.c_swsp(rs, offset)
        elif fit_unsigned(offset, 11):
            self.sw(rs, SP, offset)
        else:
            upper, lower = split_immediate(offset)
            self._load_upper_immediate(self.REG_TEMP2, upper)
            self.c_add(self.REG_TEMP2, SP)
            self.sw(rs, self.REG_TEMP2, lower)

    def mov_reg_local(self, rd: int, local: int) -> None:
        offset = self._local_offset(local)
        if fit_unsigned(offset >> 2, 6):
            self.c_lwsp(rd, offset)
        elif fit_unsigned(offset, 11):
            self.lw(rd, SP, offset)
        else:
            upper, lower = split_immediate(offset)
            self._load_upper_immediate(rd, upper)
            self.c_add(rd, SP)
            self.lw(rd, rd, lower)

    def mov_reg_local_addr(self, rd: int, local: int) -> None:
        offset = self._local_offset(local)
        if fit_unsigned(offset, 10) and offset != 0 and _in_c_window(rd):
            self.half(type_ciw(0, 0, rd - 8, offset))  # c.addi4spn
        elif fit_unsigned(offset, 11):
            self.addi(rd, SP, offset)
        else:
            self._load_full_immediate(rd, offset)
            self.c_add(rd, SP)

    def mov_reg_reg(self, rd: int, rs: int) -> None:
        self.c_mv(rd, rs)

    def mov_reg_pcrel(self, rd: int, label: int) -> None:
        dest = self.label_dest(label)
        upper, lower = split_immediate((dest if dest is not None else _M32 << 32 | _M32) - self.code_offset)
        self.auipc(rd, upper)
        self.addi(rd, rd, lower)

    # ---- loads and stores ---------------------------------------------------------------

    def _load(self, rd: int, rs: int, offset: int, size: int) -> None:
        scaled = offset << size
        ft3 = (0x0254 >> (size << 2)) & 0xF  # lbu, lhu, lw
        if scaled >= 0 and size == 2 and _in_c_window(rd) and _in_c_window(rs) and fit_unsigned(scaled, 6):
            self.c_lw(rd - 8, rs - 8, scaled)
        elif fit_signed(scaled, 12):
            self.word(type_i(0x03, ft3, rd, rs, scaled))
        else:
            upper, lower = split_immediate(scaled)
            self._load_upper_immediate(rd, upper)
            self.c_add(rd, rs)
            self.word(type_i(0x03, ft3, rd, rd, lower))

    def _store(self, rd: int, rs: int, offset: int, size: int) -> None:
        scaled = offset << size
        if scaled >= 0 and size == 2 and self.has_rule("rv32_store_compressed") and _in_c_window(rd) and _in_c_window(rs) and fit_unsigned(scaled, 6):
            self.c_sw(rd - 8, rs - 8, scaled)
        elif fit_signed(scaled, 12):
            self.word(type_s(0x23, size, rs, rd, scaled))
        else:
            upper, lower = split_immediate(scaled)
            self._load_upper_immediate(self.REG_TEMP2, upper)
            self.c_add(self.REG_TEMP2, rs)
            self.word(type_s(0x23, size, self.REG_TEMP2, rd, lower))

    indexed_sizes_before_offsets = (2,)  # emitnative.c before 1.26: ptr32[reg] by slli, c.add, lw / sw

    def short_imm_index_access(self, load: bool, size: int, reg: int, base: int, index: int) -> bool:
        """emitnative.c before 1.26: ptr[imm] as one lbu/lhu/lw or sb/sh/sw when the scaled
        index fits the 12-bit offset."""
        if index == 0 or not fit_signed(index, 12 - size):
            return False
        if load:
            self.word(type_i(0x03, (0x0254 >> (size << 2)) & 0xF, reg, base, index << size))
        else:
            self.word(type_s(0x23, size, base, reg, index << size))
        return True

    def load_reg_reg_offset(self, rd, rs, offset):
        self._load(rd, rs, offset, 2)

    def load8_reg_reg_offset(self, rd, rs, offset):
        self._load(rd, rs, offset, 0)

    def load16_reg_reg_offset(self, rd, rs, offset):
        self._load(rd, rs, offset, 1)

    def load32_reg_reg_offset(self, rd, rs, offset):
        self._load(rd, rs, offset, 2)

    def store_reg_reg_offset(self, rs, base, offset):
        self._store(rs, base, offset, 2)

    def store8_reg_reg_offset(self, rs, base, offset):
        self._store(rs, base, offset, 0)

    def store16_reg_reg_offset(self, rs, base, offset):
        self._store(rs, base, offset, 1)

    def store32_reg_reg_offset(self, rs, base, offset):
        self._store(rs, base, offset, 2)

    def _scaled_address(self, base: int, index: int, size: int) -> None:
        """REG_TEMP2 = base + index << size (sh1add / sh2add with Zba)."""
        if size > 0 and self.extensions & EXT_ZBA:
            self.word(type_r(0x33, 1 << size, 0x10, self.REG_TEMP2, index, base))
        elif size > 0:
            self.word(type_i(0x13, 1, self.REG_TEMP2, index, size & 0x1F))  # slli
            self.c_add(self.REG_TEMP2, base)
        else:
            self.word(type_r(0x33, 0, 0, self.REG_TEMP2, base, index))  # add

    def _indexed_address(self, base: int, index: int, size: int) -> int:
        """The register holding base + index << size: REG_TEMP2 from 1.28; before, base itself
        (the index scaled in place, by a 32-bit slli before 1.27)."""
        if self.has_rule("rv32_index_kept"):
            self._scaled_address(base, index, size)
            return self.REG_TEMP2
        if not self.has_rule("viper_offset_load_store"):
            # before 1.26 (ptr32 only: indexed_sizes_before_offsets) through REG_TEMP2
            self.word(type_i(0x13, 1, self.REG_TEMP2, index, size))  # slli
            self.c_add(base, self.REG_TEMP2)
            return base
        if size > 0 and self.extensions & EXT_ZBA:
            self.word(type_r(0x33, 1 << size, 0x10, base, index, base))  # sh1add / sh2add
        else:
            if size > 0 and self.has_rule("rv32_index_compressed"):
                self.half(type_ci(2, 0, index, size))  # c.slli
            elif size > 0:
                self.word(type_i(0x13, 1, index, index, size))  # slli
            self.c_add(base, index)
        return base

    def load_reg_reg_reg(self, size: int, dest: int, base: int, index: int) -> None:
        address = self._indexed_address(base, index, size)
        if self.has_rule("rv32_index_compressed"):
            self._load(dest, address, 0, size)
        else:
            self.word(type_i(0x03, (0x0254 >> (size << 2)) & 0xF, dest, address, 0))  # 1.26: lbu/lhu/lw

    def store_reg_reg_reg(self, size: int, value: int, base: int, index: int) -> None:
        address = self._indexed_address(base, index, size)
        if self.has_rule("rv32_index_compressed"):
            self._store(value, address, 0, size)
        else:
            self.word(type_s(0x23, size, address, value, 0))  # 1.26: sb/sh/sw

    # ---- arithmetic (py/asmrv32.h GENERIC_ASM_API) --------------------------------------

    def not_reg(self, rd):
        self.xori(rd, rd, -1)

    def neg_reg(self, rd):
        self.sub(rd, ZERO, rd)

    def lsl_reg_reg(self, rd, rs):
        self.word(type_r(0x33, 1, 0, rd, rd, rs))

    def lsr_reg_reg(self, rd, rs):
        self.word(type_r(0x33, 5, 0, rd, rd, rs))

    def asr_reg_reg(self, rd, rs):
        self.word(type_r(0x33, 5, 0x20, rd, rd, rs))

    def or_reg_reg(self, rd, rs):
        self.word(type_r(0x33, 6, 0, rd, rd, rs))

    def xor_reg_reg(self, rd, rs):
        if rd == rs:
            self.c_li(rd, 0)
        else:
            self.word(type_r(0x33, 4, 0, rd, rd, rs))

    def and_reg_reg(self, rd, rs):
        self.word(type_r(0x33, 7, 0, rd, rs, rd))

    def add_reg_reg(self, rd, rs):
        self.c_add(rd, rs)

    def sub_reg_reg(self, rd, rs):
        self.sub(rd, rd, rs)

    def mul_reg_reg(self, rd, rs):
        self.word(type_r(0x33, 0, 1, rd, rd, rs))

    def clr_reg(self, rd):
        self.xor_reg_reg(rd, rd)

    def _lt(self, rs1: int, rs2: int, rd: int, unsigned: bool) -> None:
        self.word(type_r(0x33, 2 | int(unsigned), 0, rd, rs1, rs2))  # slt / sltu

    def setcc_compare(self, op_idx: int, dest: int, lhs: int, rhs: int, unsigned: bool) -> None:
        """emitnative.c binary_op, N_RV32: slt/sltu, with sub and sltiu/sltu for (in)equality."""
        if op_idx == 0:  # <
            self._lt(lhs, rhs, dest, unsigned)
        elif op_idx == 1:  # >
            self._lt(rhs, lhs, dest, unsigned)
        elif op_idx in (2, 3, 4) and not self.has_rule("rv32_compare_by_sub"):
            # before 1.27: dest = 1, kept when equal (a branch over the rest)
            a, b = (rhs, lhs) if op_idx == 4 else (lhs, rhs)
            self.c_li(dest, 1)
            self.beq(a, b, 6 if op_idx == 2 else 8)
            if op_idx == 2:
                self.c_li(dest, 0)
            else:
                self._lt(a, b, dest, unsigned)
        elif op_idx == 2:  # ==
            self.sub(dest, lhs, rhs)
            self.word(type_i(0x13, 3, dest, dest, 1))  # sltiu dest, dest, 1
        elif op_idx in (3, 4):  # <=, >=: not (b < a)
            a, b = (lhs, rhs) if op_idx == 3 else (rhs, lhs)
            self._lt(b, a, dest, unsigned)
            self.xori(dest, dest, 1)
        else:  # !=
            self.sub(dest, rhs, lhs)
            self.word(type_r(0x33, 3, 0, dest, ZERO, dest))  # sltu dest, zero, dest
