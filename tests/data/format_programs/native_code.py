# Native, viper and nested native functions (compile with -march=...).
import micropython


@micropython.native
def nat(x, *a, k=1):
    s = "hello"
    return x + len(a) + k, s, 1.5, b"by"


@micropython.viper
def vip(x: int) -> int:
    buf = b"abc"
    p = ptr8(buf)
    return x + p[0]


def outer():
    @micropython.native
    def inner(y):
        return y * 2
    return inner


class K:
    @micropython.native
    def m(self):
        return self
