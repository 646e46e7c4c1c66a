# split/rsplit/strip/replace/center/splitlines/hex, results keep their type
print("a b  c ".split(None, 1), "a,b,,c".split(","), "a,b,c".rsplit(",", 1), b"a b".split())
print(bytearray(b"x y").split(), "  xy  ".strip(), b"xxhixx".strip(b"x"), "www.ex.com".lstrip("cmowz."))
s = "keep"
print(s.strip() is s, "aaa".replace("a", "b", 2), "abc".replace("", "-"), b"abab".replace(b"ab", b"c"))
print("abc".center(7), b"ab".center(5), bytearray(b"ab").center(1))
print("a\nb\r\nc\rd".splitlines(), "a\nb\n".splitlines(True))
print(b"\x01\xff".hex(), bytearray(b"ab").hex(":"), memoryview(b"\x00\x10").hex("-"))
print(bytes.fromhex("01 ff\t0a"), "Ab1".upper(), b"Ab".lower(), "".isspace(), "ABC".isupper(), "a1".isalpha())
print(",".join(["a", "b"]), b"-".join([b"x", bytearray(b"y")]))
try:
    "abc".rsplit("")
except ValueError:
    print("ValueError")
print(hasattr("", "ljust"), hasattr("", "zfill"), hasattr(b"", "hex"))
