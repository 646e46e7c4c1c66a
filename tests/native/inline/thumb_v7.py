# The Thumb-2 instructions of @micropython.asm_thumb (armv7m and up), and VFP (armv7emsp/dp).


@micropython.asm_thumb
def wide(r0, r1):
    movw(r8, 0xFFFF)
    movt(r0, 0x1234)
    movwt(r12, 0xDEADBEEF)
    clz(r0, r1)
    rbit(r2, r9)
    mrs(r0, IPSR)
    mrs(r12, BASEPRI)
    sdiv(r0, r1, r2)
    udiv(r10, r11, r12)
    ldrex(r0, [r1, 0])
    ldrex(r2, [r3, 252])
    strex(r0, r1, [r2, 4])
    push({r0, r8})
    pop({r0, r9, pc})
    push({r0, r1, lr, sp})
    pop({r8, lr})


@micropython.asm_thumb
def conditions(r0):
    it(eq)
    mov(r0, 1)
    ite(ne)
    itt(cs)
    ite(cc)
    itte(mi)
    itet(pl)
    ittt(vs)
    itee(vc)
    iteee(hi)
    itttt(ls)
    it(ge)
    it(lt)
    it(gt)
    it(le)
    label(loop)
    beq_w(loop)
    bne_w(done)
    bgt_n(loop)
    label(done)
