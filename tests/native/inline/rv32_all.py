# Every instruction of @micropython.asm_rv32 (rv32imc) but the Zba and Zcmp ones, with each
# operand at the ends of its range, registers by ABI name and by number, and the directives.


@micropython.asm_rv32
def arithmetic(a0, a1, a2, a3):
    add(a0, a1, a2)
    add(x31, x0, x15)
    sub(t6, s11, ra)
    and_(a0, a1, a2)
    or_(s0, s1, s2)
    xor(t0, t1, t2)
    sll(a3, a4, a5)
    srl(a6, a7, s3)
    sra(s4, s5, s6)
    slt(s7, s8, s9)
    sltu(s10, t3, t4)
    mul(a0, a1, a2)
    mulh(a0, a1, a2)
    mulhsu(t5, gp, tp)
    mulhu(a0, sp, a2)
    div(a0, a1, a2)
    divu(a0, a1, a2)
    rem(a0, a1, a2)
    remu(zero, a1, a2)


@micropython.asm_rv32
def immediates(a0, a1):
    addi(a0, a1, -2048)
    addi(a0, a1, 2047)
    andi(a0, a1, -1)
    ori(a0, a1, 0x7FF)
    xori(a0, a1, -0x800)
    slti(a0, a1, 5)
    sltiu(a0, a1, -5)
    slli(a0, a1, 31)
    srli(a0, a1, 0)
    srai(a0, a1, 17)
    lui(a0, 0xFFFFF)
    lui(a1, -1)
    auipc(a0, 0x12345)
    li(a0, 31)
    li(a0, -32)
    li(a0, 2047)
    li(a0, -2048)
    li(a0, 0x12345678)
    li(a0, 0x800)
    li(a0, -0x801)
    li(a0, 0xFFFFFFFF)
    li(a0, 1 << 40)
    mv(a0, a1)
    mv(x10, x0)
    csrrw(a0, a1, 0xFFF)
    csrrs(a0, zero, 0x300)
    csrrc(zero, a1, 0)
    csrrwi(a0, 0x300, 31)
    csrrsi(a0, 0xFFF, 0)
    csrrci(a0, 0x342, 7)
    ecall()
    ebreak()


@micropython.asm_rv32
def loads_stores(a0, a1, a2):
    lw(a0, 0(a1))
    lw(a0, 2047(a1))
    lw(a0, -2048(a1))
    lw(a0, +4(sp))
    lh(a0, 2(a1))
    lhu(a0, -2(a1))
    lb(a0, 1(a1))
    lbu(a0, 255(a1))
    sw(a0, 4(a1))
    sw(a0, -4(sp))
    sh(a2, 2046(a0))
    sb(zero, -1(a1))
    c_lw(a0, 0(a1))
    c_lw(s0, 60(a5))
    c_lw(a0, -4(a1))
    c_sw(a0, 60(s1))
    c_sw(a5, -64(s0))
    c_lwsp(a0, 0)
    c_lwsp(ra, 124)
    c_lwsp(t6, -128)
    c_swsp(zero, 4)
    c_swsp(a0, 124)
    c_swsp(a0, -128)


@micropython.asm_rv32
def compressed(a0, a1):
    c_add(a0, a1)
    c_mv(t0, s11)
    c_addi(a0, 31)
    c_addi(a0, -32)
    c_addi4spn(a0, 4)
    c_addi4spn(s0, 1020)
    c_li(a0, 31)
    c_li(sp, -32)
    c_lui(a0, 1)
    c_lui(t6, 31)
    c_slli(a0, 31)
    c_srli(a0, 0)
    c_srai(a5, 31)
    c_andi(a0, -32)
    c_andi(s1, 31)
    c_and(a0, a1)
    c_or(s0, a5)
    c_xor(a2, a3)
    c_sub(a4, s1)
    c_nop()
    c_ebreak()
    c_jr(ra)
    c_jalr(t0)


@micropython.asm_rv32
def branches(a0, a1):
    beq(a0, a1, forward)
    bne(a0, a1, forward)
    blt(a0, zero, forward)
    bge(a0, a1, forward)
    bltu(a0, a1, forward)
    bgeu(a0, a1, forward)
    c_beqz(a0, forward)
    c_bnez(s0, forward)
    c_j(forward)
    c_jal(forward)
    jal(ra, forward)
    la(a0, forward)
    label(back)
    c_nop()
    label(forward)
    beq(a0, a1, back)
    c_bnez(a0, back)
    c_j(back)
    jal(zero, back)
    jalr(zero, ra, -2048)
    la(a1, back)
    la(a1, data_end)
    data(1, 0x55)
    align(4)
    data(4, 0x12345678, -1)
    data(2, 0x1234)
    label(data_end)


@micropython.asm_rv32
def returns_uint(a0) -> uint:
    addi(a0, a0, 1)


@micropython.asm_rv32
def returns_object() -> object:
    c_li(a0, 1)


@micropython.asm_rv32
def no_instructions():
    pass


@micropython.asm_rv32
def parameter_numbers(x10, x11, a2, x13):
    add(a0, a1, a2)
