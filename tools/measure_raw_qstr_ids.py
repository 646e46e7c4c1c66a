"""Measure the static qstr numbers of an official mpy-cross build (.mpy v5: 1.12 - 1.18).

A v5 file keeps the compiling build's own qstr numbers inside native code: each
string a native function loads is a `mov reg, imm` of the qstr object
(MP_OBJ_NEW_QSTR: qst << 3 | 2 on x64, << 2 before 1.13), and the loader patches it through the
function's qstr link table. So the number of any text the build has as a qstr
can be read back: compile `@micropython.native` functions that return a tuple
of candidate strings with `-march=x64` and read the immediate at each link.

A candidate the build has in its static table gets a number below the first
dynamic one; every other short string is interned while parsing and is
numbered from there (a long one that is not static is a str object, no link).
The first dynamic number is the one of the file name, the first qstr the
build creates (mpy-cross/main.c; see src/mpycross/compiler/raw_qstr_ids.py).

Candidates: every MP_QSTR_ name in the release's tag (py/, extmod/, shared/,
lib/, mpy-cross/, ports/unix/; names the build does not have come out dynamic
and are dropped) and py/makeqstrdata.py's static_qstr_list, punctuation
decoded.

Usage: python tools/measure_raw_qstr_ids.py GIT_DIR 1.18 [1.17 ...]
       python tools/measure_raw_qstr_ids.py --circuitpython CP_GIT_DIR 8.2.10 BINARY
       (GIT_DIR: a MicroPython git dir with the release tags; the official binaries
       come from tests/support/more_oracles.py)
Writes formats/qstr/raw_ids_<release>.toml (raw_ids_circuitpython-<release>.toml).
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from mpycross.mpy.reader import read_mpy  # noqa: E402

FILE_NAME = "zqmeasure.py"
BATCH = 200

# py/makeqstrdata.py: the escapes of MP_QSTR_ names
_ESCAPES = {"dot": ".", "slash": "/", "percent": "%", "hash": "#", "paren_open": "(", "paren_close": ")",
            "bracket_open": "[", "bracket_close": "]", "brace_open": "{", "brace_close": "}", "comma": ",",
            "colon": ":", "semicolon": ";", "space": " ", "dollar": "$", "plus": "+", "minus": "-",
            "star": "*", "equals": "=", "hyphen": "-", "lt": "<", "gt": ">", "question": "?", "at": "@",
            "caret": "^", "pipe": "|", "tilde": "~", "bang": "!", "backslash": "\\", "ampersand": "&",
            "dquote": '"', "squote": "'", "quote": "'", "underscore": "_", "space_": " "}


def _decode(name: str) -> str:
    for word, char in _ESCAPES.items():
        name = name.replace(f"_{word}_", char)
    return name


def candidates(git_dir: str, tag: str, extra: tuple = ()) -> list[str]:
    out = subprocess.run(["git", "-C", git_dir, "grep", "-ohE", r"MP_QSTR_[A-Za-z0-9_]+", tag, "--",
                          "py", "extmod", "shared", "lib", "mpy-cross", "ports/unix", *extra],
                         capture_output=True, text=True).stdout
    names = {line.split(":", 1)[-1][len("MP_QSTR_"):] for line in out.split()}
    found = set()
    for n in names:
        found.add(n)
        found.add(_decode(n))
    src = subprocess.run(["git", "-C", git_dir, "show", f"{tag}:py/makeqstrdata.py"], capture_output=True,
                         text=True).stdout
    m = re.search(r"static_qstr_list = (\[.*?\n\])", src, re.S)
    if m:
        found.update(ast.literal_eval(m.group(1)))
    return sorted(n for n in found if "\0" not in n)


def _literal(text: str) -> str:
    # MicroPython reads \xNN, \\, \" and \n as CPython does
    return '"' + "".join(c if c.isprintable() and c not in '"\\' else f"\\x{ord(c):02x}" for c in text) + '"'


def qstr_obj_shift(git_dir: str, tag: str) -> int:
    """py/obj.h MP_OBJ_NEW_QSTR of MICROPY_OBJ_REPR_A (the first one): qst << n | 2."""
    src = subprocess.run(["git", "-C", git_dir, "show", f"{tag}:py/obj.h"], capture_output=True, text=True).stdout
    return int(re.search(r"define MP_OBJ_NEW_QSTR\(qst\).*?<< (\d)\)", src).group(1))


def measure(binary: str, names: list[str], shift: int) -> tuple[int, dict[str, int]]:
    source = []
    for i in range(0, len(names), BATCH):
        chunk = names[i:i + BATCH]
        source.append(f"@micropython.native\ndef f{i}():\n    return (" + ", ".join(map(_literal, chunk)) + ",)\n")
    with tempfile.TemporaryDirectory() as tmp:
        Path(tmp, FILE_NAME).write_text("".join(source), encoding="utf-8")
        proc = subprocess.run([binary, "-march=x64", "-o", "out.mpy", FILE_NAME], cwd=tmp, capture_output=True)
        if proc.returncode != 0:
            raise SystemExit(proc.stderr.decode())
        mpy = read_mpy(Path(tmp, "out.mpy").read_bytes())
    numbers: dict[str, int] = {}
    for rc in mpy.root.walk():
        for off, name in rc.qstr_links:
            at = off >> 2
            value = int.from_bytes(rc.fun_data[at:at + 4], "little")
            numbers[name] = value >> shift if off & 3 == 2 else value
        if rc.kind == "native":
            # the prelude: signature and sizes (var-length, py/bc.h), then name and file
            at = rc.prelude_offset
            for _ in range(2):
                while rc.fun_data[at] & 0x80:
                    at += 1
                at += 1
            numbers.setdefault(FILE_NAME, int.from_bytes(rc.fun_data[at + 2:at + 4], "little"))
    return numbers[FILE_NAME], numbers


def _key(name: str) -> str:
    return name if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name) else _toml_str(name)


def _toml_str(text: str) -> str:
    return '"' + "".join(c if c.isprintable() and c not in '"\\' else f"\\u{ord(c):04x}" for c in text) + '"'


def main(argv: list[str]) -> int:
    from tests.support.more_oracles import oracle

    if argv and argv[0] == "--circuitpython":
        # CircuitPython's mpy-cross, built locally (tools/record_circuitpython_native.py says how)
        _, git_dir, release, binary = argv
        names = candidates(git_dir, release, extra=("supervisor", "shared-bindings"))
        first_dynamic, numbers = measure(binary, names, qstr_obj_shift(git_dir, release))
        write(f"circuitpython-{release}", f"CircuitPython {release}", "a local build of its tag", release,
              first_dynamic, numbers)
        return 0
    git_dir, releases = argv[0], argv[1:]
    for release in releases:
        binary = str(oracle(release))
        names = candidates(git_dir, f"v{release}")
        first_dynamic, numbers = measure(binary, names, qstr_obj_shift(git_dir, f"v{release}"))
        write(release, f"MicroPython {release}", f"the official {release} binary", f"v{release}", first_dynamic,
              numbers)
    return 0


def write(release: str, title: str, binary: str, tag: str, first_dynamic: int, numbers: dict) -> None:
    static = sorted(((n, q) for n, q in numbers.items() if q < first_dynamic), key=lambda item: item[1])
    lines = [
        f"# Qstr numbers of the {title} mpy-cross build (.mpy v5).",
        "#",
        "# A v5 file keeps the compiling build's own qstr numbers in native code: the name and",
        "# source file in each native prelude (16 bits each) and the immediates that the qstr",
        "# links patch at load. Static qstrs have fixed numbers; the others are numbered from",
        "# `first_dynamic` in the order the build creates them (src/mpycross/compiler/raw_qstr_ids.py).",
        f"# Measured with {binary} by tools/measure_raw_qstr_ids.py: each",
        f"# candidate (the MP_QSTR_ names of tag {tag} and py/makeqstrdata.py's static_qstr_list)",
        "# returned as a string from a native function, its number read back from the code.",
        f'release = "{release}"',
        f"first_dynamic = {first_dynamic}",
        "static_other = []",
        "",
        "[static]",
    ]
    lines += [f"{_key(n)} = {q}" for n, q in static]
    out = ROOT / "formats" / "qstr" / f"raw_ids_{release}.toml"
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{release}: {len(static)} static qstrs, first dynamic {first_dynamic} -> {out.name}")


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
