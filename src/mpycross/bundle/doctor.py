"""What is wrong with a board's `lib/`: files the firmware cannot load, shadows, missing dependencies.

Loadability is decided by `mpycross inspect`'s reading of each header
(`cli.cmd_inspect.inspect_file`) and the target's own rule
(`Target.loads`, from py/persistentcode.c), so both commands always agree.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from mpycross.bundle.device import CODE_SUFFIXES, TMP_PREFIX, TMP_SUFFIX


@dataclass(frozen=True)
class Problem:
    kind: str      # "cannot-load", "unreadable", "shadow", "missing-dependency", "leftover"
    path: str      # posix path under the device root
    message: str

    def line(self) -> str:
        return f"{self.path}: {self.message}"


def _rel(device: Path, path: Path) -> str:
    return path.relative_to(device).as_posix()


def check_loadable(device: Path, target_name: str) -> list[Problem]:
    from mpycross.mpy.facts import inspect_file
    from mpycross.targets import resolve_target

    target = resolve_target(target_name)
    problems = []
    for path in sorted((device / "lib").rglob("*.mpy")):
        if path.name.startswith(TMP_PREFIX):
            continue
        info = inspect_file(str(path))
        if "error" in info:
            problems.append(Problem("unreadable", _rel(device, path), f"not a loadable .mpy: {info['error']}"))
            continue
        h = info["_header"]
        why = target.loads(h.magic, h.version, h.sub_version, h.arch)
        if why:
            problems.append(Problem("cannot-load", _rel(device, path), why))
    return problems


def check_shadows(device: Path) -> list[Problem]:
    """py/builtinimport.c: stat_module takes a folder first, then X.py, then X.mpy."""
    problems = []
    lib = device / "lib"
    for root, dirs, files in os.walk(lib):
        dirs.sort()
        folder = Path(root)
        names = set(files)
        for name in sorted(files):
            stem, suffix = os.path.splitext(name)
            if suffix == ".mpy" and f"{stem}.py" in names:
                problems.append(Problem("shadow", _rel(device, folder / f"{stem}.py"),
                                        f"shadows {_rel(device, folder / name)} (a .py is imported before a .mpy)"))
            if suffix in CODE_SUFFIXES and stem in dirs:
                problems.append(Problem("shadow", _rel(device, folder / stem) + "/",
                                        f"the package folder shadows {_rel(device, folder / name)}"))
            if name.startswith(TMP_PREFIX) and name.endswith(TMP_SUFFIX):
                problems.append(Problem("leftover", _rel(device, folder / name),
                                        "temporary file of an interrupted install (the next install removes it)"))
    return problems


def installed_modules(device: Path) -> set[str]:
    lib = device / "lib"
    if not lib.is_dir():
        return set()
    out = set()
    for entry in lib.iterdir():
        if entry.is_dir():
            out.add(entry.name)
        elif entry.suffix in CODE_SUFFIXES:
            out.add(entry.stem)
    return out


def check_dependencies(device: Path, catalog) -> list[Problem]:
    """Dependencies (per the bundle's json) of installed libraries that are not installed.

    Host-only ones (formats/host_only.toml) are never needed on a board.
    """
    from mpycross.bundle.hostonly import is_host_only

    present = installed_modules(device)
    problems = []
    for module in sorted(present):
        pkg = catalog.packages.get(module)
        if pkg is None:
            continue
        for dep in pkg.dependencies:
            if dep not in present and not is_host_only(dep):
                problems.append(Problem("missing-dependency", f"lib/{module}",
                                        f"needs {dep}, which is not installed"))
    return problems


def manifest_catalog(device: Path):
    """The dependencies `mpycross install` recorded on the board, as a catalog (None if it recorded none)."""
    from mpycross.bundle.catalog import Catalog, Package
    from mpycross.bundle.manifest import read_manifest

    libraries = read_manifest(device)["libraries"]
    if not libraries:
        return None
    catalog = Catalog()
    for module, facts in libraries.items():
        catalog.add(Package(module, facts.get("version", ""), {}, list(facts.get("dependencies", []))))
    return catalog


def diagnose(device: Path, target_name: str, catalog=None) -> list[Problem]:
    problems = check_loadable(device, target_name) + check_shadows(device)
    if catalog is not None:
        problems += check_dependencies(device, catalog)
    return problems
