# Slicing: load, store and delete with every combination of start/stop/step.
s = list(range(10))
print(s[:], s[2:], s[:3], s[2:5], s[::2], s[1::3], s[:8:2], s[1:9:2], s[::-1], s[-3:], s[:-7])
print(s[-1], s[-2:-1], s[5:2], s[5:2:-1], "hello"[1:4], (1, 2, 3)[1:])
lo, hi, st = 1, 7, 3
print(s[lo:hi], s[lo:hi:st], s[lo:], s[:hi], s[::st])
t = s[:]
t[2:4] = ["a", "b", "c"]
print(t)
t[:2] = []
print(t)
del t[1:3]
print(t)
del t[:]
print(t)
u = list(range(6))
del u[lo:hi]
print(u)
class S:
    def __getitem__(self, k):
        return k
sl = S()[1:2:3]
print(sl.start, sl.stop, sl.step, S()[::].step, S()[5].__class__.__name__)
b = b"abcdef"
print(b[1:3], bytearray(b)[2:])
m = [[1, 2, 3], [4, 5, 6]]
print([row[1:] for row in m], m[1][::-1])
grid = {(1, 2): "a", (1, 2, 3): "b"}
print(grid[1, 2], grid[1, 2, 3], grid[(1, 2)])
class Multi:
    def __getitem__(self, k):
        return len(k), k[-1].__class__.__name__
print(Multi()[1, 2:3], Multi()[::2, 0, 1:])
