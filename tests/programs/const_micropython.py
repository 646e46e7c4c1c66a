# micropython.const(): named constants folded at compile time, private and public, in expressions.
from micropython import const
WIDTH = const(16)
HEIGHT = const(WIDTH * 2)
_PRIVATE = const(0x7F)
MASK = const((1 << 4) - 1)
NEG = const(-5)
BIG = const(1 << 40)
print(WIDTH, HEIGHT, _PRIVATE, MASK, NEG, BIG)
print(WIDTH * HEIGHT, _PRIVATE & MASK, NEG - WIDTH)
def area():
    return WIDTH * HEIGHT + _PRIVATE
print(area())
class Reg:
    ADDR = const(0x40)
    def addr(self):
        return self.ADDR + 1
print(Reg().addr(), Reg.ADDR)
buf = [0] * WIDTH
print(len(buf))
if WIDTH > 8:
    print("wide")
