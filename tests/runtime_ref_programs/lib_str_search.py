# find/rfind/index/rindex/count/startswith/endswith with start and end, partition
s = "abcabcab"
print(s.find("b", 2), s.find("b", 2, 4), s.find("b", -3), s.find("b", 10), s.rfind("b", 0, 5))
print(s.count("ab"), s.count("ab", 1), s.count("ab", 1, -1), s.count(""), s.count("", 2, 5))
print(s.startswith("ca", 2), s.startswith("ca", 2, 3), s.endswith("ab", 0, 5), s.endswith(("x", "ca"), 0, 4))
print(s.index("c", 3), s.rindex("a", 0, -1))
try:
    s.index("c", 6)
except ValueError:
    print("ValueError")
print("h\u00e9llo w\u00f6rld".find("o", 5), "h\u00e9llo".index("l", -2))
print(b"abcab".find(98, 2), bytearray(b"xyzxy").rfind(b"xy", 1), b"aaa".count(b"a", 1))
print("a=b=c".partition("="), "a=b=c".rpartition("="), b"abc".partition(b"x"))
try:
    "abc".partition("")
except ValueError:
    print("ValueError")
try:
    "abc".find(1)
except TypeError:
    print("TypeError")
print([1, 2, 3, 2].index(2, 2), (1, 2, 1).index(1, 1, 3))
