# @micropython.asm_xtensa with only the instructions of py/emitinlinextensa.c before 1.26
# (inline_xtensa_lx3_opcodes): bytes for 1.19 - 1.25 as for later releases, literal-table jump
# and short branches included.
import micropython


@micropython.asm_xtensa
def arith(a2, a3, a4):
    add(a2, a2, a3)
    sub(a2, a2, a4)
    and_(a3, a2, a4)
    or_(a3, a3, a2)
    xor(a4, a3, a2)
    mull(a2, a2, a4)
    addi(a2, a2, -128)
    addi(a2, a2, 127)
    mov(a5, a2)
    mov_n(a2, a5)
    ret_n()


@micropython.asm_xtensa
def memory(a2, a3):
    l8ui(a4, a2, 255)
    l16ui(a4, a2, 510)
    l16si(a5, a2, 2)
    l32i(a6, a2, 1020)
    s8i(a4, a3, 0)
    s16i(a5, a3, 2)
    s32i(a6, a3, 4)
    movi(a7, 0x12345678)
    movi(a8, -1)
    movi(a9, 5)


@micropython.asm_xtensa
def flow(a2, a3):
    # backward branches only: a forward one changes size between passes from 1.26 (long
    # branches), where the official aborts
    label(top)
    addi(a2, a2, 1)
    beq(a2, a3, top)
    bne(a2, a3, top)
    blt(a2, a3, top)
    bge(a2, a3, top)
    bgeu(a2, a3, top)
    ball(a2, a3, top)
    bany(a2, a3, top)
    bnall(a2, a3, top)
    bnone(a2, a3, top)
    bbc(a2, a3, top)
    bbs(a2, a3, top)
    beqz(a2, top)
    bnez(a3, top)
    j(top)
    jx(a3)
    callx0(a4)
