# io.StringIO / BytesIO, print(file=...), IOBase, sys streams
import io
import sys
s = io.StringIO("ab\ncd\n")
print(s.readline(), s.read(), s.read(), s.tell())
s.seek(1)
s.write("XY")
print(s.getvalue())
b = io.BytesIO()
print(b.seek(3), b.write(b"hi"), b.getvalue())
b.write(b"abcdef", 1, 2)
print(b.getvalue(), b.seek(-2, 2), b.read())
buf = bytearray(3)
b.seek(0)
print(b.readinto(buf), buf)
try:
    b.seek(-1)
except OSError as e:
    print("OSError", e.args[0])
out = io.StringIO()
print("x", 1, sep="-", end="!\n", file=out)
print(repr(out.getvalue()))
with io.StringIO() as w:
    w.write("in with")
    print(w.getvalue())
for line in io.StringIO("l1\nl2"):
    print(line)
class Sink(io.IOBase):
    def write(self, data):
        print("write", len(data))
        return len(data)
print("abc", file=Sink())
print("TextIOWrapper" in str(sys.stdout), sys.stdout.write("direct\n"))
