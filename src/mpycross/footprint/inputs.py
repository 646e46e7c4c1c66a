"""Find the modules to measure: `.py`/`.mpy` files, folders, bundle zips, a device.

Each becomes a `ModuleInput`: its dotted import name, its bytes, and the
path the firmware will record as `__file__` ("/lib/name.mpy" on a board).
A device (`--device PATH`: a CIRCUITPY drive or a copy of one, with
boot_out.txt and lib/) is searched the way the firmware's import does:
the folder of code.py, then lib/; a package is a folder with __init__.
"""

from __future__ import annotations

import ast
import os
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from mpycross.errors import MpyCrossError

SUFFIXES = (".mpy", ".py")


class InputError(MpyCrossError):
    """An input that cannot be read; one line for the user."""


@dataclass
class ModuleInput:
    name: str                 # dotted import name
    kind: str                 # "mpy" or "py"
    data: bytes
    display: str              # where it came from, for messages and reports
    device_path: str          # the __file__ the firmware records
    is_package: bool = False
    imports: list[str] = field(default_factory=list)   # filled in for the device walk


def _module_name(rel: PurePosixPath) -> tuple[str, bool]:
    parts = list(rel.with_suffix("").parts)
    is_package = parts[-1] == "__init__"
    if is_package:
        parts.pop()
    return ".".join(parts), is_package


def _device_path(rel: PurePosixPath, under: str = "/lib") -> str:
    return f"{under}/{rel.as_posix()}"


def _read(path: str) -> bytes:
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError as e:
        raise InputError(f"{path}: cannot read: {e.strerror or e}") from None


def from_file(path: str) -> ModuleInput:
    base = os.path.basename(path)
    if not base.endswith(SUFFIXES):
        raise InputError(f"{path}: not a .py or .mpy file (or a folder, or a bundle .zip)")
    rel = PurePosixPath(base)
    name, is_package = _module_name(rel)
    kind = "mpy" if base.endswith(".mpy") else "py"
    return ModuleInput(name, kind, _read(path), path, _device_path(rel), is_package)


def from_folder(path: str) -> list[ModuleInput]:
    """Every module under a folder; a package folder keeps its own name (pkg.sub)."""
    found = []
    prefix = ""
    if any(os.path.isfile(os.path.join(path, "__init__" + s)) for s in SUFFIXES):
        prefix = os.path.basename(os.path.normpath(path)) + "/"
    for root, dirs, names in os.walk(path):
        dirs[:] = sorted(d for d in dirs if not d.startswith((".", "__pycache__")))
        for n in sorted(names):
            if n.endswith(SUFFIXES):
                full = os.path.join(root, n)
                rel = PurePosixPath(prefix + os.path.relpath(full, path).replace(os.sep, "/"))
                name, is_package = _module_name(rel)
                kind = "mpy" if n.endswith(".mpy") else "py"
                found.append(ModuleInput(name, kind, _read(full), full, _device_path(rel), is_package))
    if not found:
        raise InputError(f"{path}: no .py or .mpy files in this folder")
    return found


def from_zip(path: str) -> list[ModuleInput]:
    """A library bundle: the modules under its lib/ folder (or all, if it has none)."""
    try:
        with zipfile.ZipFile(path) as z:
            members = [m for m in z.namelist() if m.endswith(SUFFIXES) and not m.endswith("/")]
            libs = [m for m in members if "/lib/" in "/" + m]
            chosen = libs or members
            found = []
            for member in sorted(chosen):
                p = PurePosixPath(member)
                if libs:
                    parts = p.parts
                    p = PurePosixPath(*parts[parts.index("lib") + 1:])
                name, is_package = _module_name(p)
                kind = "mpy" if member.endswith(".mpy") else "py"
                found.append(ModuleInput(name, kind, z.read(member), f"{path}:{member}",
                                         _device_path(p), is_package))
    except (zipfile.BadZipFile, OSError) as e:
        raise InputError(f"{path}: not a readable zip file: {e}") from None
    if not found:
        raise InputError(f"{path}: no .py or .mpy files in this zip")
    return found


def collect(paths: list[str]) -> list[ModuleInput]:
    """Every module named by the command-line inputs, in order."""
    found = []
    for path in paths:
        if os.path.isdir(path):
            found += from_folder(path)
        elif path.endswith(".zip"):
            found += from_zip(path)
        elif os.path.exists(path):
            found.append(from_file(path))
        else:
            raise InputError(f"{path}: no such file or folder")
    return found


# -- following imports on a device ------------------------------------------------

def imported_names(module: ModuleInput, mpy=None) -> list[str]:
    """Absolute module names a module imports (from its bytecode, or its source)."""
    if mpy is not None:
        from mpycross.footprint.estimate import imports_of
        raw = imports_of(mpy)
    else:
        raw = _source_imports(module.data)
    names = []
    package = module.name if module.is_package else module.name.rpartition(".")[0]
    for name, level in raw:
        if level:
            base = package.split(".") if package else []
            if level > 1:
                base = base[: len(base) - (level - 1)]
            name = ".".join(base + ([name] if name else []))
        if name:
            names.append(name)
    return names


def _source_imports(data: bytes) -> list[tuple[str, int]]:
    try:
        tree = ast.parse(data)
    except (SyntaxError, ValueError):
        return []
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(a.name, 0) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            found.append((node.module or "", node.level))
            found += [((node.module + "." if node.module else "") + a.name, node.level)
                      for a in node.names if a.name != "*"]
    return found


def find_on_device(device: str, name: str, main_dir: str) -> ModuleInput | None:
    """The file `import name` loads on the device, searched in main_dir then lib/."""
    rel = PurePosixPath(*name.split("."))
    for root, under in ((main_dir, ""), (os.path.join(device, "lib"), "/lib")):
        for candidate, is_package in ((rel / "__init__", True), (rel, False)):
            # py/builtinimport.c stat_file_py_or_mpy: .py first, then .mpy
            for suffix in (".py", ".mpy"):
                full = os.path.join(root, *candidate.parts) + suffix
                if os.path.isfile(full):
                    crel = PurePosixPath(str(candidate) + suffix)
                    return ModuleInput(name, suffix[1:], _read(full), full,
                                       f"{under}/{crel.as_posix()}", is_package)
    return None
