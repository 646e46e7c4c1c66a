# Many locals (LOAD_FAST_N), long jumps (2-byte offsets), many constants.
def many(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17):
    b0 = a0 + a17; b1 = a1 + a16; b2 = a2 + a15; b3 = a3 + a14; b4 = a4 + a13
    b5 = b0 * b1 * b2 * b3 * b4
    return b5 + a16 + a17


def long_jump(n):
    total = 0
    for i in range(n):
        if i % 2:
            total += i * 3 + 1
            total -= i // 7
            total ^= i << 2
            total += len(str(i)) + len(repr(i)) + len(hex(i)) + len(oct(i))
            total += int("1") + int("2") + int("3") + int("4") + int("5")
            total += int("6") + int("7") + int("8") + int("9") + int("10")
            total += int("11") + int("12") + int("13") + int("14") + int("15")
            total += int("16") + int("17") + int("18") + int("19") + int("20")
        else:
            total -= 1
    while total > 1000000:
        total //= 2
        total = total - 1 if total % 3 else total + 1
        total = total - 2 if total % 5 else total + 2
        total = total - 3 if total % 7 else total + 3
        total = total - 4 if total % 11 else total + 4
        total = total - 5 if total % 13 else total + 5
        total = total - 6 if total % 17 else total + 6
    return total


CONSTS = [1.25, 2.5, 3.75, 1e10, 1e-10, 123456789012345678901234567890, b"a", b"b", 4j, "long string " * 3]
print(many(*range(18)), long_jump(50), CONSTS)
