# Every Thumb-1 instruction of @micropython.asm_thumb (armv6m and up), with the directives.


@micropython.asm_thumb
def moves(r0, r1, r2, r3):
    mov(r0, r1)
    mov(r8, r15)
    mov(sl, fp)
    mov(sp, lr)
    mov(r7, 255)
    cmp(r3, 0)
    add(r1, 200)
    sub(r2, 1)


@micropython.asm_thumb
def alu(r0, r1) -> uint:
    and_(r0, r1)
    eor(r0, r1)
    lsl(r0, r1)
    lsr(r0, r1)
    asr(r0, r1)
    adc(r0, r1)
    sbc(r0, r1)
    ror(r0, r1)
    tst(r0, r1)
    neg(r0, r1)
    cmp(r0, r1)
    cmn(r0, r1)
    orr(r0, r1)
    mul(r0, r1)
    bic(r0, r1)
    mvn(r7, r6)


@micropython.asm_thumb
def three(r0, r1, r2) -> int:
    lsl(r0, r1, 31)
    lsr(r2, r3, 1)
    asr(r4, r5, 0)
    add(r0, r1, r2)
    add(r0, r1, 7)
    sub(r5, r6, r7)
    sub(r5, r6, 3)


@micropython.asm_thumb
def memory(r0) -> object:
    ldr(r0, [r1, 124])
    ldrb(r2, [r3, 31])
    ldrh(r4, [r5, 62])
    str(r6, [r7, 0])
    strb(r0, [r0, 1])
    strh(r1, [r2, 2])


@micropython.asm_thumb
def branches(r0) -> bool:
    label(top)
    b(top)
    beq(top)
    bne(end)
    bcs(top)
    bcc(end)
    bmi(top)
    bpl(end)
    bvs(top)
    bvc(end)
    bhi(top)
    bls(end)
    bge(top)
    blt(end)
    bgt(top)
    ble(end)
    beq_n(top)
    bl(sub)
    bx(lr)
    label(sub)
    nop()
    wfi()
    cpsid(i)
    cpsie(i)
    label(end)


@micropython.asm_thumb
def stack():
    push({r0})
    push({r0, r1, r7})
    push({r4, lr})
    pop({r0, r1})
    pop({r4, pc})
    pop({r7})


@micropython.asm_thumb
def directives(r0):
    data(1, 1, 2, 3)
    align(4)
    data(2, 0x1234, -1)
    data(4, 0x12345678, 0xFFFFFFFF, 1 << 40)
    align(8)
    data(8, -2)
    pass
    nop()


@micropython.asm_thumb
def no_body():
    pass
