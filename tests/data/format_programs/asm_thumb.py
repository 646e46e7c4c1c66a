# Inline Thumb assembler (compile with -march=armv7m or armv6m).
@micropython.asm_thumb
def add1(r0):
    add(r0, r0, 1)


@micropython.asm_thumb
def mul(r0, r1):
    mul(r0, r1)
