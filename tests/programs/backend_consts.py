# Constants: folding, const(), interned versus object strings, big numbers, tuples.
from micropython import const

_HIDDEN = const(7)
SHOWN = const(_HIDDEN * 3 + 1)
NAME = const("a_fairly_long_constant_name")
PAIR = const((1, "two", 3.5))

a_long_identifier_name = "a_long_identifier_name"
other = "not_interned_at_all_string"
short = "short"
big = 123456789012345678901234567890
neg_big = -(2 ** 40)
small_edge = (1 << 30) - 1
over_edge = 1 << 30
fl = 1.5e300 * 10
fl2 = 2 / 3
cx = 2j + 1
bts = b"\x00\x01bytes"
tup = (1, (2, 3), "x", None, True, ...)
mixed = 1 + 2 * 3 - 4 // 3 % 5 ** 2
part = 1 + 2 + len("abc")
shifts = (1 << 10) | (0xFF & 0x0F) ^ 3
notb = not 0, not "", not (1,)
logic = 0 or "" or None or 5
logic2 = 1 and 2 and 0 and 3
debug = __debug__


def uses():
    return SHOWN, _HIDDEN + 1, NAME, PAIR[1]


print(a_long_identifier_name, other, short)
print(big, neg_big, small_edge, over_edge)
print(fl, fl2, cx, bts, tup)
print(mixed, part, shifts, notb, logic, logic2)
print(uses())
