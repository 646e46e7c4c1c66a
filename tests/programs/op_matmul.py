# The @ operator and @= through user classes.
class M:
    def __init__(self, v):
        self.v = v
    def __matmul__(self, other):
        return M(self.v * 10 + other.v)
a = M(1)
b = M(2)
c = a @ b
print(c.v)
c @= M(5)
print(c.v)
print((a @ b @ M(3)).v)
