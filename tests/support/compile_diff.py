"""Differential helpers: compile with mpycross and with the official mpy-cross 1.29, compare bytes.

`python -m tests.support.compile_diff [options] FILE...` prints a per-file verdict
and, for the first differences, a side-by-side disassembly (mpycross.mpy.dis).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.oracles import compile_official_file


def official_compile(path: Path, args: list[str]) -> tuple[bytes | None, str]:
    """Official 1.29 output bytes (None on error) and its report."""
    done = compile_official_file(path, args=args)
    return done.mpy, ("" if done.mpy is not None else done.text)


def option_kwargs(args: list[str]) -> dict:
    """Translate mpy-cross options into compile_source keyword arguments."""
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


def ours_compile(path: Path, args: list[str]) -> tuple[bytes | None, str]:
    from mpycross.compiler.driver import compile_source
    from mpycross.errors import CompileError

    try:
        return compile_source(path.read_bytes(), str(path), **option_kwargs(args)), ""
    except CompileError as err:
        return None, err.traceback_text()


def disassemble(data: bytes) -> str:
    try:
        from mpycross.mpy import dis, read_mpy

        return dis.format_text(dis.disassemble(read_mpy(data)))
    except Exception as exc:  # pragma: no cover - debugging aid
        return f"<cannot disassemble: {exc}>"


def _dis_fallback(data: bytes) -> str:
    with tempfile.NamedTemporaryFile(suffix=".mpy", delete=False) as f:
        f.write(data)
    try:
        proc = subprocess.run([sys.executable, "-m", "mpycross", "dis", f.name], capture_output=True, text=True)
        return proc.stdout + proc.stderr
    finally:
        os.unlink(f.name)


def compare(path: Path, args: list[str]) -> tuple[bool, str]:
    ref, ref_err = official_compile(path, args)
    ours, our_err = ours_compile(path, args)
    if ref is None:
        same = ours is None and error_facts(ref_err) == error_facts(our_err)
        return same, f"official: {ref_err}\nours: {our_err}"
    return ours == ref, our_err


def error_facts(text: str) -> tuple:
    """(file, line, scope, "Kind: message") of an mpy-cross error report (None where absent)."""
    import re

    lines = text.strip().splitlines()
    if not lines:
        return (None, None, None, "")
    name = line = scope = None
    for entry in lines:
        m = re.match(r'\s*File "([^"]*)", line (\d+)(?:, in (.*))?$', entry)
        if m:
            name, line, scope = m.group(1), int(m.group(2)), m.group(3)
    return (name, line, scope, lines[-1].strip())


if __name__ == "__main__":
    import difflib

    argv = sys.argv[1:]
    opts = []
    while argv and argv[0].startswith("-"):
        opts.append(argv.pop(0))
        if opts[-1] == "-s":
            opts.append(argv.pop(0))
    show = int(os.environ.get("SHOW", "1"))
    bad = 0
    for name in argv:
        p = Path(name)
        try:
            ok, info = compare(p, opts)
        except Exception as exc:
            ok, info = False, f"EXCEPTION {type(exc).__name__}: {exc}"
        if not ok:
            bad += 1
            print("DIFF", name, info.strip()[:300])
            if show > 0 and not info.startswith("EXCEPTION"):
                show -= 1
                ref, _ = official_compile(p, opts)
                ours, _ = ours_compile(p, opts)
                if ref is not None and ours is not None:
                    a = disassemble(ref).splitlines()
                    b = disassemble(ours).splitlines()
                    print("\n".join(list(difflib.unified_diff(a, b, "official", "ours", lineterm="", n=3))[:80]))
    print(f"{len(argv) - bad}/{len(argv)} identical")
