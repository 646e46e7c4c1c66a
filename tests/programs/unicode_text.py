# Non-ASCII text: string literals, lengths, slicing, iteration, encoding and comparisons.
s = "h\u00e9llo w\u00f6rld \u2713"
print(s, len(s), s[1], s[-1], s[1:4], s[:6].upper() == "H\u00e9LLO")
print(" ".join(c for c in "\u00e9\u00e8\u00ea"), "\u00e9" in s, s.find("w"), s.encode())
jp = "\u65e5\u672c\u8a9e"
print(jp, len(jp), jp[0], len(jp.encode()), jp.encode().decode() == jp)
print(ord("\u00e9"), chr(233), chr(0x2713), "\u00e9" < "\u00ea", "".join(sorted("\u00e9a\u00e8")))
print("caf\u00e9".replace("\u00e9", "e"), "-".join("\u00e9\u00e8"), "\u00c9T\u00c9".lower() == "\u00c9t\u00c9" or "\u00c9T\u00c9".lower() == "\u00e9t\u00e9")
emoji = "\U0001f600"
print(len(emoji), len(emoji.encode()), emoji.encode())
print("|".join("na\u00efve".split("\u00ef")), "x\u00e9y".startswith("x\u00e9"))
print(f"{jp}|{s[:5]}|{len(jp):>4}")
