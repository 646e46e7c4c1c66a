# struct: byte orders, native alignment, counts, s/x, e, pack_into/unpack_from
import struct
print(struct.calcsize("bi"), struct.calcsize("<bi"), struct.calcsize("2h3s"), struct.calcsize(">q"))
print(struct.pack("<hHi", -2, 65535, 7), struct.pack(">I", 1), struct.pack("@bi", 1, 2))
print(struct.unpack("<2h", b"\x01\x00\xff\xff"), struct.unpack(">Q", b"\xff" * 8))
print(struct.pack("3s2x", b"ab"), struct.unpack("<3sx?" if False else "<3sx", b"abcd"))
print(struct.pack("<e", 1.5), struct.unpack("<e", b"\x00\x3c"), struct.unpack("<f", struct.pack("<f", 0.25)))
buf = bytearray(8)
struct.pack_into("<H", buf, 2, 0x1234)
print(buf, struct.unpack_from("<H", buf, 2), struct.unpack_from("<B", buf, -1))
print(struct.unpack("<I", memoryview(b"\x01\x00\x00\x00")))
for bad in ("z", "1", "="):
    try:
        struct.calcsize(bad + "i" if bad == "=" else bad)
    except ValueError:
        print("ValueError", bad)
try:
    struct.unpack("<I", b"\x00")
except ValueError:
    print("buffer too small")
