# A native generator with more state slots than a 16-bit Thumb store reaches (32 words):
# before 1.26 the official stores the far ones at the offset's low 5 bits (thumb_word_store_any_offset),
# and Xtensa before 1.19 at the low 4 bits (xtensa_word_offsets_optimised).


@micropython.native
def gen(a, b):
    x0 = x1 = x2 = x3 = x4 = x5 = x6 = x7 = x8 = x9 = x10 = x11 = x12 = x13 = x14 = x15 = x16 = x17 = x18 = x19 = x20 = x21 = x22 = x23 = x24 = x25 = x26 = x27 = x28 = x29 = x30 = x31 = x32 = x33 = x34 = x35 = a
    yield x0 + b
    x0 = x0 + b
    x7 = x7 + b
    x14 = x14 + b
    x21 = x21 + b
    x28 = x28 + b
    x35 = x35 + b
    yield x35 + x28 + x14


print(list(gen(1, 2)))
