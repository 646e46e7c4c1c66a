# Large literals: long strings and bytes, long tuples and lists of constants, deep nesting.
long_s = "abcdefghij" * 30
print(len(long_s), long_s[:12], long_s[-3:])
lit = "A long single literal string that is more than two hundred and fifty-five characters long, to use multi-byte length prefixes in the qstr and constant tables of the .mpy file format; it keeps going on and on and on until it is clearly long enough for that purpose. End."
print(len(lit), lit[-4:])
blob = b"\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f" * 1
big_blob = b"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
print(len(blob), len(big_blob), big_blob[-6:])
t = (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, "a", "b", None, True, 1.5, b"x")
print(len(t), t[-6:])
l = [[[[[[["deep"]]]]]]]
print(l[0][0][0][0][0][0][0])
d = {"k%d" % i: i for i in range(3)}
nested = {"a": {"b": {"c": {"d": [1, (2, {3: "three"})]}}}}
print(nested["a"]["b"]["c"]["d"][1][1][3], sorted(d))
print(("x" "y" "z") * 2, len("".join(["ab"] * 200)))
