"""Gather the qstrs a MicroPython firmware already holds, from a real VM.

`mpycross footprint` counts a name as "new" (interned in RAM at import) only
if the firmware does not already have it. The .mpy format's static qstr list
(formats/qstr/static.toml) covers ~160 names; a firmware has hundreds more
in ROM (its built-in modules, types, keyword arguments, frozen modules).

Method: candidate names are collected (the static list, `MP_QSTR_xxx` names
of an upstream `py/` tree, everything `dir()` shows on the VM's built-in
modules and types, and optional word lists such as the names used by a
library corpus). The VM then tests each one: it reads the candidates from a
file (so they start as heap strings, not qstrs), interns each with
`hasattr(object, name)` and prints `micropython.qstr_info()`; a name that
did not raise the VM's count of dynamic qstrs was already in ROM.

Writes three lists to formats/qstr/:
  known-<name>.toml       every candidate the VM already has
  known-core-<name>.toml  the subset any port has: core names (py/,
                          builtins, built-in types), for boards without a VM
  modules-<name>.toml     the built-in modules and the names each defines

Usage: python tools/gather_qstrs.py --vm "$(which micropython)" \
           --upstream ../upstream/mp-master --name unix-1.29 --corpus [--words FILE ...]
       python tools/gather_qstrs.py --vm wasm --name wasm-1.29 --corpus
           (MicroPython's WebAssembly port through tests/support/wasm_vm.py)

For a firmware without a VM at hand, `--source-git GITDIR --paths ...` lists
the MP_QSTR_ names of the given source folders instead (core and the
modules every board of that firmware builds); such a list is not checked.
"""

from __future__ import annotations

import argparse
import ast
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Core types every port has (py/obj*.c); their dir() goes to the core list.
CORE_TYPES = ("object", "type", "int", "bool", "str", "bytes", "bytearray", "list", "tuple", "dict",
              "set", "frozenset", "range", "slice", "float", "complex", "memoryview", "property",
              "staticmethod", "classmethod", "enumerate", "filter", "map", "zip", "reversed",
              "BaseException", "Exception")


WASM = "wasm"   # --vm wasm: MicroPython's WebAssembly port (tests/support/wasm_vm.py)


def _vm(vm: str, program: str, files: dict[str, bytes] | None = None) -> str:
    """Run a program on the VM; `files` are put on its filesystem first (path -> bytes)."""
    if vm == WASM:
        sys.path.insert(0, str(ROOT))
        from tests.support.wasm_vm import Job, run_jobs
        result = run_jobs([Job(64 << 20, [program], files or {})])[0]
        if result.error:
            sys.exit(f"gather_qstrs: the VM failed: {result.error}")
        return "".join(result.outputs)
    for path, data in (files or {}).items():
        Path(path).write_bytes(data)
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as f:
        f.write(program)
    try:
        done = subprocess.run([vm, "-X", "heapsize=64M", f.name], capture_output=True, text=True, timeout=300)
    finally:
        os.unlink(f.name)
    if done.returncode != 0:  # tracebacks go to stdout or stderr
        sys.exit(f"gather_qstrs: the VM failed: {(done.stderr or done.stdout).strip()[-300:]}")
    return done.stdout


def builtin_module_names(vm: str) -> list[str]:
    out = _vm(vm, "help('modules')\n")
    names = []
    for line in out.splitlines():
        if line.startswith("Plus "):
            break
        for word in line.split():
            names.append(word.split("/")[0])
    return sorted(set(names) - {"__main__"})


def introspected_names(vm: str, modules: list[str]) -> tuple[set[str], set[str], dict[str, list[str]]]:
    """(names seen on any built-in module/type, names on builtins and core types, module -> names)."""
    program = f"""
import builtins
def show(tag, obj):
    for n in dir(obj):
        print(tag, n)
for name in {modules!r}:
    try:
        m = __import__(name)
    except Exception:
        continue
    print("all", name)
    for n in dir(m):
        print("mod", name + " " + n)
    show("all", m)
    for n in dir(m):
        v = getattr(m, n, None)
        if isinstance(v, type):
            show("all", v)
show("core", builtins)
for t in {list(CORE_TYPES)!r}:
    v = getattr(builtins, t, None)
    if v is not None:
        print("core", t)
        show("core", v)
"""
    every, core, contents = set(), set(), {}
    for line in _vm(vm, program).splitlines():
        tag, _, name = line.partition(" ")
        if tag == "mod":
            module, _, attr = name.partition(" ")
            contents.setdefault(module, set()).add(attr)
            continue
        every.add(name)
        if tag == "core":
            core.add(name)
    return every, core, {m: sorted(names) for m, names in sorted(contents.items())}


# py/makeqstrdata.py spells punctuation in MP_QSTR_ names as _name_ (MP_QSTR__lt_module_gt_)
PUNCTUATION = {"lt": "<", "gt": ">", "hyphen": "-", "space": " ", "squot": "'", "comma": ",", "dot": ".",
               "colon": ":", "semicolon": ";", "slash": "/", "percent": "%", "hash": "#",
               "paren_open": "(", "paren_close": ")", "bracket_open": "[", "bracket_close": "]",
               "brace_open": "{", "brace_close": "}", "star": "*", "bang": "!", "backslash": "\\",
               "plus": "+", "dollar": "$", "equals": "=", "question": "?", "at_sign": "@", "caret": "^",
               "pipe": "|", "tilde": "~", "amp": "&", "quot": '"'}
_PUNCT = re.compile("_(" + "|".join(sorted(PUNCTUATION, key=len, reverse=True)) + ")_")


def upstream_names(py_dir: Path) -> set[str]:
    """MP_QSTR_ names of a source tree, as written and with punctuation decoded."""
    names = set()
    for path in py_dir.glob("*.[ch]"):
        for raw in re.findall(r"MP_QSTR_([A-Za-z0-9_]+)", path.read_text(errors="replace")):
            names.add(raw)
            names.add(_PUNCT.sub(lambda m: PUNCTUATION[m.group(1)], raw))
    return names


def source_tree_names(git_dir: str, rev: str, paths: list[str]) -> set[str]:
    """MP_QSTR_ names in some folders of a firmware's git history (no VM to ask)."""
    done = subprocess.run(["git", f"--git-dir={git_dir}", "grep", "-h", "-o", "-E", r"MP_QSTR_[A-Za-z0-9_]+",
                           rev, "--", *paths], capture_output=True, text=True)
    if done.returncode not in (0, 1):
        sys.exit(f"gather_qstrs: git grep failed: {done.stderr.strip()[-300:]}")
    names = set()
    for token in done.stdout.split():
        raw = token.split("MP_QSTR_", 1)[1]
        names.add(_PUNCT.sub(lambda m: PUNCTUATION[m.group(1)], raw))
    return names


def static_names() -> list[str]:
    sys.path.insert(0, str(ROOT / "src"))
    from mpycross.resources import data_dir, load_toml
    return load_toml(data_dir("formats") / "qstr" / "static.toml")["static"]


def probe(vm: str, candidates: list[str]) -> set[str]:
    """The candidates the VM already holds as qstrs."""
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
        listing = "/candidates.txt" if vm == WASM else f.name
    try:
        out = _vm(vm, f"""
import micropython
with open({listing!r}) as f:
    words = f.read().split("\\n")
micropython.qstr_info()
for w in words:
    hasattr(micropython, w)
    micropython.qstr_info()
""", {listing: "\n".join(candidates).encode()})
    finally:
        os.unlink(f.name)
    counts = [int(m) for m in re.findall(r"n_qstr=(\d+)", out)]
    if len(counts) != len(candidates) + 1:
        sys.exit("gather_qstrs: unexpected qstr_info output from the VM")
    return {w for w, before, after in zip(candidates, counts, counts[1:]) if after == before}


def write_list(path: Path, header: str, names: set[str]) -> None:
    lines = [f"# {line}".rstrip() for line in header.splitlines()]
    lines.append("known = [")
    lines.extend(f"    {_toml_str(n)}," for n in sorted(names))
    lines.append("]")
    tmp = path.with_suffix(".tmp")
    tmp.write_text("\n".join(lines) + "\n")
    tmp.replace(path)


def write_modules(path: Path, source: str, contents: dict[str, list[str]]) -> None:
    """The VM's importable built-in modules and the names each defines."""
    lines = ["# Built-in (and frozen) modules of the firmware and the names each defines,",
             "# so the footprint model knows which `from M import name` fail at import time.",
             f"# {source}", "[modules]"]
    for module, names in contents.items():
        lines.append(f"{_toml_str(module)} = [" + ", ".join(_toml_str(n) for n in names) + "]")
    tmp = path.with_suffix(".tmp")
    tmp.write_text("\n".join(lines) + "\n")
    tmp.replace(path)


def _toml_str(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--vm", default="micropython", help=f"the VM's executable, or {WASM!r}")
    ap.add_argument("--upstream", type=Path, help="an upstream MicroPython tree (its py/ is scanned)")
    ap.add_argument("--name", required=True, help="list name, e.g. unix-1.29")
    ap.add_argument("--words", type=Path, nargs="*", default=[], help="files of extra candidate names")
    ap.add_argument("--corpus", action="store_true",
                    help="add every identifier and string literal of the test corpus (tests/corpus/fetch.py)")
    ap.add_argument("--out", type=Path, default=ROOT / "formats" / "qstr")
    ap.add_argument("--source-git", metavar="GITDIR",
                    help="instead of asking a VM, list the MP_QSTR_ names of --paths in this git repository")
    ap.add_argument("--rev", default="HEAD", help="revision for --source-git")
    ap.add_argument("--label", help="how the list's header names the --source-git repository")
    ap.add_argument("--paths", nargs="*", default=[],
                    help="folders for --source-git (py, shared-bindings/board, ...)")
    args = ap.parse_args()
    if args.source_git:
        rev = subprocess.run(["git", f"--git-dir={args.source_git}", "rev-parse", "--short", args.rev],
                             capture_output=True, text=True).stdout.strip()
        names = source_tree_names(args.source_git, args.rev, args.paths) - set(static_names())
        write_list(args.out / f"known-{args.name}.toml",
                   "Qstrs a firmware holds in ROM, read from its sources (not checked on a VM).\n"
                   f"Gathered by tools/gather_qstrs.py: MP_QSTR_ names of {args.label or args.source_git} "
                   f"at {args.rev} ({rev})\n"
                   f"in {', '.join(args.paths)}.\n"
                   "The .mpy static qstrs (formats/qstr/static.toml) are not repeated here.", names)
        print(f"{len(names)} names from the sources")
        return

    version = _vm(args.vm, "import sys\nprint(sys.implementation.name, sys.version)\n").strip()
    static = set(static_names())
    modules = builtin_module_names(args.vm)
    every, core_seen, contents = introspected_names(args.vm, modules)
    from_py = upstream_names(args.upstream / "py") if args.upstream else set()
    extra = set()
    for path in args.words:
        extra.update(w for w in path.read_text().split() if w)
    if args.corpus:
        sys.path.insert(0, str(ROOT))
        from tests.corpus.fetch import corpus_files
        for path in corpus_files():
            text = path.read_text(errors="replace")
            extra.update(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", text))
            # short string literals are qstrs too (py/parse.c interns strings up to 10 chars)
            try:
                tree = ast.parse(text)
            except (SyntaxError, ValueError):
                continue
            extra.update(n.value for n in ast.walk(tree)
                         if isinstance(n, ast.Constant) and isinstance(n.value, str) and n.value.isprintable()
                         and len(n.value.encode()) < 250)
    # a name with a newline cannot go through the line-based probe; qstrs never hold NUL
    candidates = sorted(n for n in (every | from_py | extra) - static if n and "\n" not in n)
    known = probe(args.vm, candidates)
    core = known & (core_seen | from_py)
    source = (f"Gathered by tools/gather_qstrs.py from the VM `{os.path.basename(args.vm)}` ({version});\n"
              f"candidates: dir() of {len(modules)} built-in modules and their types"
              + (f", MP_QSTR_ names of the py/ folder of MicroPython sources ({args.upstream.name})"
                 if args.upstream else "")
              + (f", {len(extra)} identifiers of the test corpus and word lists" if extra else "")
              + f".\n{len(candidates)} candidates tested, {len(known)} already interned by the firmware.\n"
              "The .mpy static qstrs (formats/qstr/static.toml) are not repeated here.")
    write_list(args.out / f"known-{args.name}.toml", "Qstrs the firmware already holds.\n" + source, known)
    write_list(args.out / f"known-core-{args.name}.toml",
               "Core qstrs (py/ names, builtins, built-in types) a port of this release holds\n"
               "whatever its board; used for targets without a VM to query.\n" + source, core)
    write_modules(args.out / f"modules-{args.name}.toml", source.splitlines()[0], contents)
    print(f"{len(known)} known, {len(core)} core, of {len(candidates)} candidates")


if __name__ == "__main__":
    main()
