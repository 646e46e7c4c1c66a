# The RV32 emitter's release rules (formats/targets.toml rv32_*): each function shows some,
# so the official code of 1.24 .. 1.29 for -march=rv32imc differs and ours follows each.
import micropython


@micropython.viper
def first():
    # the module's first function, whose only call goes through t3: s0 is saved only before
    # 1.25 (rv32_s0_saved_if_used); the saved registers grow from function to function
    pass


@micropython.viper
def compare(a: int, b: int) -> int:
    # rv32_compare_by_sub (1.27): ==, <=, >= without a branch
    return int(a == b) + int(a <= b) + int(a >= b) + int(a < b) + int(a > b) + int(a != b)


@micropython.viper
def compare_unsigned(a: uint, b: uint) -> int:
    return int(a <= b) + int(a >= b) + int(a < b)


@micropython.viper
def indexed(p: ptr8, q: ptr16, r: ptr32, i: int) -> int:
    # viper ptr[reg]: ptr32 through t3 (before 1.26), scaled in place (1.26: slli, 1.27: c.slli,
    # rv32_index_compressed), into REG_TEMP2 (rv32_index_kept, 1.28)
    q[i] = r[i]
    r[i] = q[i] + p[i]
    p[i] = 1
    return r[i] + i


@micropython.viper
def imm_index(p: ptr8, q: ptr16, r: ptr32) -> int:
    # viper ptr[imm]: one lbu/lhu/lw or sb/sh/sw before 1.26; word stores by c.sw
    # (rv32_store_compressed, 1.26)
    r[1] = q[2] + p[3]
    q[1500] = r[600]
    p[5000] = 7
    r[0] = 1
    r[-3] = r[2]
    return r[1]


@micropython.viper
def immediates(x: int) -> int:
    # rv32_lower_half_unsigned (1.25): low 12 bits of -32..-1 after the upper part
    return x + 0x12FFF + 0x7FFFF - 0x10FE1 + 0x3FFE0


@micropython.native
def handler(x):
    # rv32_zero_register (1.25): the handler's state cleared from x0
    try:
        return x + 1
    except ValueError:
        return 0


@micropython.native
def gen(x):
    # rv32_null_local_by_zero (1.27): the thrown value cleared from x0 after each yield
    yield x
    yield x + 1


@micropython.native
def with_cleanup(f, x):
    with f:
        x = x + 1
    return x


@micropython.native
def many_locals(a, b, c, d):
    # rv32_popcount_fixed (1.26): the frame size; rv32_s0_saved_if_used (1.25); the locals'
    # registers s3, s4, s5 (before rv32_locals_s2_s4, 1.28)
    e = a + b
    f = c + d
    g = e * f
    return a, b, c, d, e, f, g



@micropython.viper
def store_word(x, v: int):
    # rv32_store_compressed (1.26): a word store with both registers in c.sw's reach
    p = ptr32(x)
    p[1] = v + 1
    ptr32(x)[2] = p[3]


class Context:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


buf = bytearray(12000)
print(first(), compare(1, 2), compare(2, 2), compare_unsigned(3, 2), indexed(buf, buf, buf, 3),
      imm_index(buf, buf, memoryview(buf)[16:]), immediates(5), handler(1), list(gen(1)),
      with_cleanup(Context(), 1), many_locals(1, 2, 3, 4), store_word(buf, 5), buf[4:16])
