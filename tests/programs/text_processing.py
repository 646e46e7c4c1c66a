# Text processing: word counts, formatting a table, a tiny tokenizer and a template filler.
TEXT = """the quick brown fox jumps over the lazy dog
the dog barks and the fox runs
quick quick slow"""
counts = {}
for line in TEXT.split("\n"):
    for word in line.split():
        counts[word] = counts.get(word, 0) + 1
top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:5]
for word, n in top:
    print("%-6s %s" % (word, "#" * n))
print(len(counts), sum(counts.values()))
def tokenize(src):
    tokens, i = [], 0
    while i < len(src):
        c = src[i]
        if c.isspace():
            i += 1
        elif c.isdigit():
            j = i
            while j < len(src) and src[j].isdigit():
                j += 1
            tokens.append(("NUM", int(src[i:j])))
            i = j
        elif c.isalpha():
            j = i
            while j < len(src) and (src[j].isalpha() or src[j] == "_"):
                j += 1
            tokens.append(("NAME", src[i:j]))
            i = j
        else:
            tokens.append(("OP", c))
            i += 1
    return tokens
print(tokenize("x = 12 + foo_bar*(3-4)"))
def evaluate(tokens):
    pos = 0
    def peek():
        return tokens[pos] if pos < len(tokens) else ("EOF", None)
    def take():
        nonlocal pos
        pos += 1
        return tokens[pos - 1]
    def atom():
        kind, v = take()
        if kind == "NUM":
            return v
        if v == "(":
            r = expr()
            take()
            return r
        if v == "-":
            return -atom()
        raise ValueError(v)
    def term():
        r = atom()
        while peek()[1] in ("*", "/"):
            op = take()[1]
            r = r * atom() if op == "*" else r // atom()
        return r
    def expr():
        r = term()
        while peek()[1] in ("+", "-"):
            op = take()[1]
            r = r + term() if op == "+" else r - term()
        return r
    return expr()
print(evaluate(tokenize("2 + 3 * (4 - 1) - -6 / 2")))
template = "Dear {name}, you owe {amount:.2f} for {count} item{plural}."
for name, amount, count in (("Ann", 12.5, 1), ("Bob", 3, 4)):
    print(template.format(name=name, amount=amount, count=count, plural="" if count == 1 else "s"))
rows = [("id", "name", "score"), (1, "alpha", 93.5), (22, "beta", 7.25)]
widths = [max(len(str(r[i])) for r in rows) for i in range(3)]
for r in rows:
    print(" | ".join(str(v) + " " * (w - len(str(v))) for v, w in zip(r, widths)))
