"""Random control-flow programs for differential tests of jump sizing and unwinding.

`program(seed)` returns the source of one function with nested if/elif/else,
while/for (with break, continue, else), try/except/finally and with blocks
of random sizes, so jumps land on both sides of the 1-byte/2-byte encoding
limits and the assembler must iterate as emitbc.c does. Deterministic per seed.
"""

from __future__ import annotations

import random

_SIMPLE = ("x = x + 1", "y = y * x", "x = x + y", "print(x)", "x += 2", "z = [x, y, 1000000]",
           "y = x if y else -x", "z = {x: y}")


def program(seed: int, budget: int = 300) -> str:
    rnd = random.Random(seed)
    left = [budget]

    def block(depth: int, n: int) -> list[str]:
        out: list[str] = []
        ind = "    " * depth
        for _ in range(n):
            if left[0] <= 0:
                break
            left[0] -= 1
            r = rnd.random()
            if r < 0.55 or depth > 4:
                out.append(ind + rnd.choice(_SIMPLE))
            elif r < 0.65:
                out.append(ind + "if x > %d:" % rnd.randint(0, 9))
                out += block(depth + 1, rnd.randint(1, 30)) or [ind + "    pass"]
                if rnd.random() < 0.5:
                    out.append(ind + "elif y:")
                    out += block(depth + 1, rnd.randint(1, 10)) or [ind + "    pass"]
                if rnd.random() < 0.5:
                    out.append(ind + "else:")
                    out += block(depth + 1, rnd.randint(1, 30)) or [ind + "    pass"]
            elif r < 0.75:
                out.append(ind + "while x < %d:" % rnd.randint(0, 99))
                out += block(depth + 1, rnd.randint(1, 30))
                out.append(ind + "    x += 1")
                if rnd.random() < 0.3:
                    out.append(ind + "    continue")
            elif r < 0.85:
                out.append(ind + "for i in %s:" % rnd.choice(["range(9)", "range(x)", "y", "range(1, x, 2)"]))
                out += block(depth + 1, rnd.randint(1, 30))
                if rnd.random() < 0.3:
                    out.append(ind + "    break")
                if rnd.random() < 0.3:
                    out += [ind + "else:", ind + "    x = 0"]
            elif r < 0.92:
                out.append(ind + "try:")
                out += block(depth + 1, rnd.randint(1, 20)) or [ind + "    pass"]
                out.append(ind + "except ValueError as e:")
                out += block(depth + 1, rnd.randint(1, 20)) or [ind + "    pass"]
                if rnd.random() < 0.5:
                    out.append(ind + "finally:")
                    out += block(depth + 1, rnd.randint(1, 10)) or [ind + "    pass"]
            else:
                out.append(ind + "with open(x) as f:")
                out += block(depth + 1, rnd.randint(1, 20)) or [ind + "    pass"]
                if depth > 1 and rnd.random() < 0.5:
                    out.append(ind + "    return y")
        return out

    lines = ["def f(x, y):"] + block(1, budget) + ["    return x"]
    return "\n".join(lines) + "\n"


_ATOMS = ("0", "1", "2", "-1", "7", "255", "1000000", "2**40", "10**20", "0.5", "1.5", "1e300", "3.0",
          "0.0", "-0.0", "True", "False", "None", "'s'", "'a_long_string_x'", "b'by'", "()", "(1,)",
          "(1, 2)", "x", "y", "n", "1j", "C1")
_SMALL = ("0", "1", "2", "-1", "3", "0.5", "x", "True")
_BIN = ("+", "-", "*", "/", "//", "%", "&", "|", "^", "@")
_CMP = ("<", ">", "==", "!=", "<=", ">=", "in", "not in", "is", "is not")


def expressions(seed: int, count: int = 40) -> str:
    """A module of random expressions over constants and names: constant folding
    (including what must not fold), const(), conditions, calls and displays."""
    rnd = random.Random(seed)

    def expr(d: int) -> str:
        r = rnd.random()
        if d > 3 or r < 0.3:
            return rnd.choice(_ATOMS)
        if r < 0.5:
            return "(%s %s %s)" % (expr(d + 1), rnd.choice(_BIN), expr(d + 1))
        if r < 0.55:
            # powers and shifts only by small amounts: the reference would take forever otherwise
            return "(%s %s %s)" % (expr(d + 1), rnd.choice(("**", "<<", ">>")), rnd.choice(_SMALL))
        if r < 0.6:
            ops = [rnd.choice(_BIN[:6]) for _ in range(2)]
            return "%s %s %s %s %s" % (expr(d + 1), ops[0], expr(d + 1), ops[1], expr(d + 1))
        if r < 0.65:
            return "(%s%s)" % (rnd.choice(("-", "+", "~", "not ")), expr(d + 1))
        if r < 0.72:
            return "(%s %s %s)" % (expr(d + 1), rnd.choice(("and", "or")), expr(d + 1))
        if r < 0.78:
            return "(%s %s %s %s %s)" % (expr(d + 1), rnd.choice(_CMP), expr(d + 1), rnd.choice(_CMP), expr(d + 1))
        if r < 0.83:
            return "(%s if %s else %s)" % (expr(d + 1), expr(d + 1), expr(d + 1))
        if r < 0.88:
            return "[%s, %s]" % (expr(d + 1), expr(d + 1))
        if r < 0.92:
            return "(%s, %s)" % (expr(d + 1), expr(d + 1))
        if r < 0.95:
            return "f(%s, *y, k=%s)" % (expr(d + 1), expr(d + 1))
        return "{%s: %s}" % (expr(d + 1), expr(d + 1))

    lines = ["from micropython import const",
             "C1 = const(%s)" % rnd.choice(("3", "1 << 5", "'cs'", "(1, 2)", "2.5", "-7")),
             "def f(*a, **k):", "    return a"]
    for i in range(count):
        e = expr(0)
        kind = rnd.random()
        if kind < 0.6:
            lines.append("z%d = %s" % (i, e))
        elif kind < 0.8:
            lines += ["if %s:" % e, "    n = %s" % expr(1)]
        else:
            lines += ["while %s:" % e, "    break"]
    return "\n".join(lines) + "\n"
