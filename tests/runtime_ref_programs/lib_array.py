# the array module and the buffer protocol shared with bytes, bytearray, memoryview
from array import array
a = array("h", [1, -2, 300])
print(a, len(a), a[1], a[-1], list(a))
a.append(7)
a.extend([8, 9])
a[0] = 100
print(a, a[1:3], bytes(array("H", [1, 258])))
print(array("B", b"\x01\x02"), array("f", [1.5, 2]), array("d"), array("Q", [2**64 - 1]), array("q", [-2**63]))
print(array("i", [1]) + array("i", [2]), array("b", [1, 2]) == array("b", [1, 2]), array("b", [1]) == b"\x01")
try:
    array("i", [1]) == array("f", [1])
except NotImplementedError:
    print("NotImplementedError")
try:
    array("X")
except ValueError:
    print("ValueError")
m = memoryview(array("i", [10, 20, 30]))
print(len(m), m[1], list(m[1:]), bytearray(b"ab") + b"cd", b"ab" + bytearray(b"c"))
b = bytearray(b"1234")
mv = memoryview(b)
mv[1:3] = b"xy"
mv[0] = 65
print(b, b"23" in bytearray(b"1234"), bytearray(b"ab") == b"ab")
b += b"!"
print(b)
try:
    bytearray(b"ab") * 2
except TypeError:
    print("TypeError")

# str(buffer, encoding) of an array or a memoryview decodes a copy
src = array("B", b"caf\xc3\xa9")
text = str(src, "utf-8")
src[0] = ord("X")
print(text, str(memoryview(src), "utf-8"))
try:
    str(memoryview(b"\xff"), "utf-8", "replace")
except UnicodeError:
    print("UnicodeError")
