# Native and viper code whose machine code changed between MicroPython releases
# (the targets.toml rules read by compiler/emitnative.py and the assemblers).
import micropython


@micropython.viper
def unary(x: int) -> int:
    y = -x
    z = ~x
    return y + z + x


@micropython.viper
def ptr_immediate(p8: ptr8, p16: ptr16, p32: ptr32) -> int:
    p8[0] = 1
    p8[3] = 2
    p8[40] = 3
    p16[5] = p16[2]
    p16[33] = 4
    p32[7] = p32[1]
    p32[64] = 5
    return p8[31] + p16[31] + p32[31] + p8[32]


@micropython.viper
def ptr_indexed(p8: ptr8, p16: ptr16, p32: ptr32, i: int) -> int:
    p8[i] = p8[i + 1]
    p16[i] = p16[i + 1]
    p32[i] = p32[i + 1]
    return p8[i] + p16[i] + p32[i]


@micropython.native
def gen(n):
    for i in range(n):
        try:
            yield i
        finally:
            n -= 1
    yield from range(n)


@micropython.native
def handlers(x):
    try:
        try:
            x = x + 1
        finally:
            x = x * 2
        del x.attr
    except AttributeError:
        pass
    for i in range(3):
        try:
            if i:
                break
        finally:
            x += i
    with open(x) as f:
        return f


print(unary(5))
print(list(gen(3)))
print(callable(handlers), callable(ptr_indexed))
