# Unary operators: -, +, ~, not, on names, attributes and calls.
x = 5
f = 2.5
print(-x, +x, ~x, not x, -f, +f, not 0, not "", not [1])
print(- -x, ~~x, not not x, -(-x), -+-x)
class C:
    v = 3
    def __neg__(self):
        return "neg"
    def __pos__(self):
        return "pos"
    def __invert__(self):
        return "inv"
c = C()
print(-c, +c, ~c, -C.v, not c)
def g():
    return 4
print(-g(), ~g(), not g())
print(-True, ~False, +True)
