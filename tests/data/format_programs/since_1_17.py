# f-strings, assignment expressions, @ operator (MicroPython 1.17 and later).
name = "x"
n = 3
print(f"{name} {n:>4} {n + 1}")
if (m := n * 2) > 4:
    print(m)
class M:
    def __matmul__(self, o):
        return 1
print(M() @ M())
