"""Hypothesis strategies for random, syntactically valid MicroPython programs.

`programs()` draws whole modules that exercise the compiler end to end: nested
control flow (loops with else, try/except/else/finally, with, break/continue
unwinding through them), functions of every kind (parameters, defaults,
closures with nonlocal, generators, async), classes, comprehensions, walrus,
f-strings, literals of every kind and size, constant folding, const(), odd line
breaks inside brackets and blank/comment lines (line tables), and long bodies
or many names (jump sizes, multi-byte operands). `options()` draws mpy-cross
command-line options; `compile_kwargs` turns them into compile_source
keyword arguments.
"""

from __future__ import annotations


def compile_kwargs(args: list[str]) -> dict:
    """mpy-cross options -> mpycross.compile_source keyword arguments."""
    kw: dict = {}
    i = 0
    while i < len(args):
        a = args[i]
        if a.startswith("-O"):
            kw["opt"] = int(a[2:]) if a[2:].isdigit() else a.count("O")
        elif a == "-s":
            kw["source_name"] = args[i + 1]
            i += 1
        elif a == "-X":
            if args[i + 1] == "no-source-lines":
                kw["include_source_lines"] = False
            i += 1
        elif a.startswith("-msmall-int-bits="):
            kw["small_int_bits"] = int(a.split("=", 1)[1])
        i += 1
    return kw
