"""`install --auto`: the libraries a board's program imports.

Starts from the files CircuitPython runs (code.txt, code.py, main.txt,
main.py: supervisor/shared/... `supported_filenames`) and follows imports
of the drive's own modules (a top-level `X.py` or package `X/` beside
them) transitively. What remains are the names a library must provide,
less modules the firmware has built in (formats/builtin_modules.toml).
"""

from __future__ import annotations

import ast
import functools
import re
from pathlib import Path

PROGRAMS = ("code.txt", "code.py", "main.txt", "main.py")
_IMPORT_LINE = re.compile(r"^\s*(?:from\s+([\w.]+)\s+import|import\s+([\w.]+(?:\s*,\s*[\w.]+)*))", re.M)


@functools.cache
def builtin_modules() -> frozenset[str]:
    from mpycross.resources import data_dir

    try:
        import tomllib
    except ModuleNotFoundError:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    data = tomllib.loads((data_dir("formats") / "builtin_modules.toml").read_text("utf-8"))
    return frozenset(m for group in data.values() for m in group["modules"])


def imported_names(source: str) -> list[str]:
    """Top-level names of absolute imports (a file the host's parser rejects is read line by line)."""
    names = []
    try:
        tree = ast.parse(source)
    except SyntaxError:
        for m in _IMPORT_LINE.finditer(source):
            if m.group(1):
                names.append(m.group(1))
            else:
                names += [n.strip() for n in m.group(2).split(",")]
    else:
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names += [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.append(node.module)
    return list(dict.fromkeys(n.split(".")[0] for n in names))


def _local_module(device: Path, name: str) -> list[Path]:
    if (device / f"{name}.py").is_file():
        return [device / f"{name}.py"]
    if (device / name / "__init__.py").is_file():
        return sorted((device / name).rglob("*.py"))
    return []


def program_imports(device: Path) -> tuple[list[str], list[str]]:
    """(names a library must provide, programs read) for the drive's program files."""
    todo = [device / p for p in PROGRAMS if (device / p).is_file()]
    programs = [p.name for p in todo]
    seen_files, seen_local, wanted = set(), set(), []
    while todo:
        path = todo.pop(0)
        if path in seen_files:
            continue
        seen_files.add(path)
        for name in imported_names(path.read_text("utf-8", "replace")):
            local = _local_module(device, name)
            if local:
                if name not in seen_local:
                    seen_local.add(name)
                    todo += local
            elif name not in builtin_modules() and name not in wanted:
                wanted.append(name)
    return wanted, programs
