# The Zba and Zcmp instructions of @micropython.asm_rv32 (-march-flags=zba,zcmp); without the
# flag each is "invalid RV32 instruction".


@micropython.asm_rv32
def zba(a0, a1, a2):
    sh1add(a0, a1, a2)
    sh2add(t0, t1, t2)
    sh3add(x31, x0, x15)


@micropython.asm_rv32
def zcmp(a0):
    cm_push({ra}, 0)
    cm_push({ra, s0}, -16)
    cm_push({x1, x8 - x9}, -32)
    cm_push({ra, s0-s2}, -48)
    cm_push({ra, s0-s9}, -16)
    cm_push({ra, s0-s11}, -16)
    cm_pop({ra, s0-s3}, 48)
    cm_popret({ra, s0-s11}, 0)
    cm_popretz({ra}, 16)
    cm_mva01s(s0, s1)
    cm_mva01s(s2, s7)
    cm_mvsa01(s7, s0)
