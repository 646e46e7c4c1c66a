# The VFP instructions of @micropython.asm_thumb (armv7emsp, armv7emdp).


@micropython.asm_thumb
def vfp(r0, r1) -> uint:
    vmov(s0, r0)
    vmov(r1, s31)
    vmov(s17, r12)
    vadd(s0, s1, s2)
    vsub(s31, s30, s29)
    vmul(s3, s4, s5)
    vdiv(s6, s7, s8)
    vcmp(s0, s1)
    vsqrt(s2, s3)
    vneg(s4, s15)
    vcvt_f32_s32(s5, s6)
    vcvt_s32_f32(s7, s8)
    vmrs(APSR_nzcv, FPSCR)
    vmrs(r3, FPSCR)
    vldr(s0, [r0, 0])
    vldr(s9, [r7, 1020])
    vstr(s10, [r1, 4])
