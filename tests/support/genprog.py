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
