# str.format, format() and % as MicroPython formats them
print("{:06.2f}|{:+d}|{:#x}|{:#o}|{:b}|{:X}".format(3.14159, 5, 255, 8, 5, 255))
print("{:,}|{:_x}|{:010,d}|{:08_x}".format(1234567, 0xabcdef, 1234, 0x12345))
print("{:*^9}|{:<5}|{:>5}|{:=+6}|{:06s}|{:.2s}".format("mid", "l", "r", 42, "ab", "xyz"))
print("{0}{1}{0}|{a}|{2!r}".format("x", "y", "q", a=1), "{:{}}".format(7, 4), "{:e}".format(2.5))
print("{:%}|{:.3g}|{:g}|{:10.3E}|{}".format(0.25, 1234.5, 1e20, 12345.678, 1.5))
print("%5d|%-5d|%05d|%+d|% d|%x|%#X|%o|%.3d" % (1, 2, 3, 4, 5, 255, 255, 8, 7))
print("%s|%r|%c|%c|%.1s|%5s|%-5s|%%" % ("s", "r", 65, "B", "xy", "ab", "cd"))
print("%*d|%.*f" % (4, 1, 2, 3.14159), "%(a)s-%(b)d" % {"a": "x", "b": 2})
print("%e|%g|%06.1f|%f" % (1234.5, 0.0001, -2.5, float("inf")))
for bad in ("}", "{", "{!x}", "{0}{}"):
    try:
        bad.format(1, 2)
    except ValueError:
        print("ValueError", bad)
try:
    "%d %d" % (1,)
except TypeError:
    print("TypeError")
