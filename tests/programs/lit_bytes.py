# Bytes literals, escapes and bytearray.
b = b"abc"
print(b, b'single', b'''triple''', br"raw\n", rb'\x00')
print(b"\x00\x01\xff", b"\n\t\\", b"\101", len(b"\x00\x01\xff"))
print(b[0], b[-1], b[1:], b + b"def", b * 2)
print(b"ab" b"cd", list(b"hi"), bytes([65, 66]), bytes(3))
ba = bytearray(b"xyz")
ba[0] = 65
ba.append(66)
print(ba, len(ba), ba[1])
print(b"abc" == b"abc", b"a" < b"b", b"b" in b"abc")
print(b"hello world".split(), b"x,y".split(b","), b"-".join([b"a", b"b"]))
print(b"abc".decode(), "\u00e9".encode(), str(b"hi", "utf-8"))
print(b"%d-%s" % (5, b"x") if False else b"fmt-free")
