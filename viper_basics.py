import micropython


@micropython.viper
def add(a: int, b: int) -> int:
    return a + b


@micropython.viper
def arith(x: int, y: int) -> int:
    z = x * y - (x & 7) + (y | 1) ^ 3
    z += x << 2
    z -= y >> 1
    return z // 3 + z % 5


@micropython.viper
def unsigned(x: uint) -> uint:
    return (x >> 1) + uint(3)


@micropython.viper
def compare(a: int, b: int) -> bool:
    return a < b and a != 0 or a >= b + 10


@micropython.viper
def loop(n: int) -> int:
    s = 0
    i = 0
    while i < n:
        s += i
        i += 1
    for j in range(3):
        s += 1
    return s


@micropython.viper
def fill(buf, n: int):
    p = ptr8(buf)
    for i in range(n):
        p[i] = i * 3
    p[0] = 99


@micropython.viper
def checksum(buf) -> int:
    p = ptr8(buf)
    s = 0
    for i in range(int(len(buf))):
        s += p[i]
    return s + p[1]


@micropython.viper
def words(buf) -> int:
    p16 = ptr16(buf)
    p16[1] = 0x1234
    p32 = ptr32(buf)
    v = p32[0]
    p32[1] = v + 1
    return p16[0] + p16[2]


@micropython.viper
def objects(x, y: int) -> object:
    lst = [x, y, None, True]
    lst.append(int(y) + 1)
    return lst


@micropython.viper
def calls(n: int) -> int:
    return int(add(n, 2)) + int(len([1, 2]))


@micropython.viper
def none_ret(x: int) -> int:
    if x:
        return None
    return x


@micropython.viper
def many(a: int, b: int, c: int, d: int) -> int:
    return a * 1000 + b * 100 + c * 10 + d


print(add(2, 3), arith(7, 9), unsigned(40), compare(1, 2), compare(20, 3))
print(loop(10))
b = bytearray(8)
fill(b, 8)
print(list(b), checksum(b))
w = bytearray(12)
print(words(w), list(w))
print(objects("s", 4), calls(5), none_ret(0), none_ret(3), many(1, 2, 3, 4))
