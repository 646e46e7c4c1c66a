"""Hypothesis strategies for random viper functions (typed ints, pointers, casts, calls).

`viper_functions()` draws a module of one to three `@micropython.viper`
functions whose bodies mix typed parameters (`int`, `uint`, `ptr8/16/32`,
objects), integer arithmetic and comparisons, pointer loads and stores with
immediate and computed indices, casts, loops, conditionals and returns. Not
every draw type-checks: the ones that do not must fail with the official
ViperTypeError text, which the tests compare as well.
"""

from __future__ import annotations

from hypothesis import strategies as st

_TYPES = ("int", "uint", "ptr8", "ptr16", "ptr32", "object", None)
_INT_OPS = ("+", "-", "*", "&", "|", "^", "<<", ">>", "//", "%")
_CMP_OPS = ("<", ">", "==", "!=", "<=", ">=")


@st.composite
def _expr(draw, names, depth=0):
    choices = ["int", "name"] + (["binop", "cmp", "cast", "load", "call", "unary"] if depth < 3 else [])
    kind = draw(st.sampled_from(choices))
    if kind == "int":
        return str(draw(st.sampled_from((0, 1, 2, 7, -1, 255, 1000, 2 ** 20))))
    if kind == "name" and names:
        return draw(st.sampled_from(names))
    if kind == "binop":
        return f"({draw(_expr(names, depth + 1))} {draw(st.sampled_from(_INT_OPS))} {draw(_expr(names, depth + 1))})"
    if kind == "cmp":
        return f"({draw(_expr(names, depth + 1))} {draw(st.sampled_from(_CMP_OPS))} {draw(_expr(names, depth + 1))})"
    if kind == "cast":
        return f"{draw(st.sampled_from(('int', 'uint', 'bool', 'ptr8', 'object')))}({draw(_expr(names, depth + 1))})"
    if kind == "load" and names:
        return f"{draw(st.sampled_from(names))}[{draw(_expr(names, depth + 1))}]"
    if kind == "call":
        return f"len({draw(_expr(names, depth + 1))})"
    if kind == "unary":
        return f"{draw(st.sampled_from(('-', '~', 'not ')))}{draw(_expr(names, depth + 1))}"
    return "1"


@st.composite
def _block(draw, names, indent, depth=0):
    lines = []
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["assign", "aug", "store", "if", "while", "for", "return", "expr"]
                                    if depth < 2 else ["assign", "aug", "store", "return"]))
        pad = "    " * indent
        if kind == "assign":
            target = draw(st.sampled_from(("x", "y", "z") + tuple(names)))
            lines.append(f"{pad}{target} = {draw(_expr(names))}")
            if target not in names:
                names = names + [target]
        elif kind == "aug" and names:
            lines.append(f"{pad}{draw(st.sampled_from(names))} {draw(st.sampled_from(_INT_OPS))}= "
                         f"{draw(_expr(names))}")
        elif kind == "store" and names:
            lines.append(f"{pad}{draw(st.sampled_from(names))}[{draw(_expr(names))}] = {draw(_expr(names))}")
        elif kind == "if":
            lines.append(f"{pad}if {draw(_expr(names))}:")
            lines += draw(_block(list(names), indent + 1, depth + 1))
            if draw(st.booleans()):
                lines.append(f"{pad}else:")
                lines += draw(_block(list(names), indent + 1, depth + 1))
        elif kind == "while":
            lines.append(f"{pad}while {draw(_expr(names))}:")
            lines += draw(_block(list(names), indent + 1, depth + 1))
            lines.append(f"{pad}    break")
        elif kind == "for":
            lines.append(f"{pad}for i in range({draw(_expr(names))}):")
            lines += draw(_block(list(names) + ["i"], indent + 1, depth + 1))
        elif kind == "return":
            lines.append(f"{pad}return {draw(_expr(names))}" if draw(st.booleans()) else f"{pad}return")
        else:
            lines.append(f"{pad}{draw(_expr(names))}")
    return lines


@st.composite
def viper_functions(draw) -> str:
    """Source of a module with random viper functions (and a call between them)."""
    out = ["import micropython", ""]
    for n in range(draw(st.integers(1, 3))):
        params = []
        for p in range(draw(st.integers(0, 4))):
            t = draw(st.sampled_from(_TYPES))
            params.append(f"p{p}" + (f": {t}" if t else ""))
        ret = draw(st.sampled_from(_TYPES))
        out.append("@micropython.viper")
        out.append(f"def f{n}({', '.join(params)})" + (f" -> {ret}" if ret else "") + ":")
        out += draw(_block([f"p{p}" for p in range(len(params))], 1))
        out.append("")
    return "\n".join(out) + "\n"
