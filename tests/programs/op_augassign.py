# Every augmented assignment operator on names, attributes, subscripts and in functions.
x = 10
x += 5; print(x)
x -= 3; print(x)
x *= 4; print(x)
x //= 5; print(x)
x %= 7; print(x)
x **= 3; print(x)
x <<= 2; print(x)
x >>= 1; print(x)
x &= 0b111100; print(x)
x |= 1; print(x)
x ^= 0xff; print(x)
y = 9.0
y /= 2; print(y)
s = "a"
s += "b"; s *= 2; print(s)
l = [1]
l += [2, 3]; l *= 2; print(l)
class O:
    pass
o = O()
o.n = 1
o.n += 10
o.n *= 3
print(o.n)
d = {"k": 1, 0: 5}
d["k"] += 1
d["k"] <<= 3
i = 0
d[i] -= 1
print(d["k"], d[0])
m = [[1, 2], [3, 4]]
m[1][0] += 100
m[0][-1] **= 2
print(m)
def f(a):
    a += 1
    a *= a
    b = [a]
    b[0] -= 1
    return a, b
print(f(2))
def g():
    global x
    x += 1000
g()
print(x)
def h():
    t = 1
    def inner():
        nonlocal t
        t += 41
    inner()
    return t
print(h())
