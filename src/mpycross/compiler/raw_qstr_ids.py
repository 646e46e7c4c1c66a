"""The qstr numbers an old mpy-cross build gives the names in a file (.mpy v2 - v5).

A v4 file keeps the compiling build's own qstr numbers in each function's code
info; a v5 file in its native code (the prelude's name and source file, the
immediates its qstr links patch; tools/measure_raw_qstr_ids.py measured the
static tables of 1.12 - 1.18, and the dynamic numbering below holds for them). Static qstrs have the numbers of the build's table
(formats/qstr/raw_ids_<release>.toml); every other qstr is numbered, from
`first_dynamic` on, in the order the build creates it:

1. the file name given to the lexer, then the `-s` source name
   (mp-v1.11/mpy-cross/main.c compile_and_save);
2. while parsing, each identifier and each string or bytes literal of at most
   10 bytes (mp-v1.11/py/parse.c: MICROPY_ALLOC_PARSE_INTERN_STRING_LEN), in
   source order;
3. while compiling, the dotted names of `import a.b` (compile.c
   compile_dotted_as_name), in statement order.
"""

from __future__ import annotations

import functools
import os

from mpycross.resources import data_path, load_toml

INTERN_STRING_LEN = 10


def table_name(target) -> str:
    """The table of a target's build: "1.18" (MicroPython), "circuitpython-8.2.10"."""
    return target.release if target.family == "micropython" else f"{target.family}-{target.full_release}"


@functools.cache
def _table(release: str) -> dict:
    return load_toml(data_path("formats", "qstr", f"raw_ids_{release}.toml"))


def has_table(release: str) -> bool:
    return os.path.isfile(data_path("formats", "qstr", f"raw_ids_{release}.toml"))


def qstr_ids(release: str, tokens: list, filename: str, source_name: str) -> dict:
    """Name -> qstr number for every qstr the build creates for a source.

    `tokens`: the source's tokens, from the lexing pass of the parse (`parser.parse`)."""
    table = _table(release)
    ids = dict(table["static"])
    known = set(ids) | set(table["static_other"])
    next_id = table["first_dynamic"]

    def intern(text: str) -> None:
        nonlocal next_id
        if text not in known:
            known.add(text)
            ids[text] = next_id
            next_id += 1

    intern(filename)
    intern(source_name)
    dotted: list[str] = []
    for tok in tokens:
        if tok.type == "NAME":
            intern(tok.value)
        elif tok.type == "STRING" and len(tok.value.encode("utf-8", "surrogateescape")) <= INTERN_STRING_LEN:
            intern(tok.value)
        elif tok.type == "BYTES" and len(tok.value) <= INTERN_STRING_LEN:
            intern(tok.value.decode("utf-8", "surrogateescape"))
    # `import a.b.c` and `from a.b import c` make the qstr "a.b.c" / "a.b" when compiled
    for i, tok in enumerate(tokens):
        if tok.type == "KW_FROM":
            j = i + 1
            while j < len(tokens) and tokens[j].type in ("DEL_PERIOD", "ELLIPSIS"):
                j += 1  # the dots of a relative import
        elif tok.type == "KW_IMPORT" and not (i > 0 and tokens[i - 1].type in ("NAME", "DEL_PERIOD", "ELLIPSIS")):
            j = i + 1  # (not the `import` of `from m import x`)
        else:
            continue
        if j < len(tokens) and tokens[j].type == "NAME":
            while True:
                parts = [tokens[j].value]
                while j + 2 < len(tokens) and tokens[j + 1].type == "DEL_PERIOD" and tokens[j + 2].type == "NAME":
                    parts.append(tokens[j + 2].value)
                    j += 2
                if len(parts) > 1:
                    dotted.append(".".join(parts))
                j += 1
                if tok.type == "KW_FROM":
                    break
                if j < len(tokens) and tokens[j].type == "KW_AS":
                    j += 2
                if j + 1 < len(tokens) and tokens[j].type == "DEL_COMMA" and tokens[j + 1].type == "NAME":
                    j += 1
                    continue
                break
    for name in dotted:
        intern(name)
    return ids
