"""What is installed on a board: the manifest `mpycross install` writes, and versions read from files.

The manifest is `lib/.mpycross.json` (a dot file: CircuitPython and circup
ignore it). Per library (key: its import name): `pypi_name`, `version`,
`files` (paths under lib/), `source` (where it came from), `requested`
(named by the user rather than pulled in as a dependency), `dependencies`.
Libraries put there by other tools are still listed (`installed`), with the
version their `__version__` says: a `.py` by its assignment line, a `.mpy`
by the module's `LOAD_CONST_STRING ...; STORE_NAME __version__`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from mpycross.bundle.device import CODE_SUFFIXES, write_file

MANIFEST = ".mpycross.json"
FORMAT = 1
PLACEHOLDERS = ("0.0.0+auto.0", "0.0.0-auto.0")
_PY_VERSION = re.compile(rb"""^__version__\s*(?::\s*\w+\s*)?=\s*["']([^"'\r\n]+)["']""", re.M)


@dataclass
class Installed:
    module: str
    version: str | None          # None: unknown
    files: list[str]             # paths under lib/
    pypi_name: str = ""
    source: str = ""
    requested: bool = True
    dependencies: list[str] = field(default_factory=list)
    file_version: str | None = None   # what __version__ in the files says
    in_manifest: bool = False

    @property
    def broken_version(self) -> bool:
        """__version__ is missing, the build placeholder, or disagrees with the recorded version."""
        v = self.file_version
        return v is None or v in PLACEHOLDERS or (self.in_manifest and v != self.version)


def read_manifest(device: Path) -> dict:
    path = device / "lib" / MANIFEST
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return {"format": FORMAT, "libraries": {}}
    if not isinstance(data, dict) or not isinstance(data.get("libraries"), dict):
        return {"format": FORMAT, "libraries": {}}
    return data


def write_manifest(device: Path, data: dict) -> None:
    data = {"format": FORMAT, **{k: v for k, v in data.items() if k != "format"}}
    data["libraries"] = dict(sorted(data["libraries"].items()))
    text = json.dumps(data, indent=1, sort_keys=True) + "\n"
    path = device / "lib" / MANIFEST
    try:
        if path.read_text("utf-8") == text:
            return
    except OSError:
        pass
    write_file(path, text.encode("utf-8"))


def version_in_source(data: bytes) -> str | None:
    m = _PY_VERSION.search(data)
    return m.group(1).decode("utf-8", "replace") if m else None


def version_in_mpy(data: bytes) -> str | None:
    from mpycross.errors import MpyCrossError
    from mpycross.mpy import read_mpy
    from mpycross.mpy.dis import module_instructions

    try:
        instructions = module_instructions(read_mpy(data))
    except (MpyCrossError, KeyError, ValueError, IndexError):
        return None
    for before, ins in zip(instructions, instructions[1:]):
        if ins["name"] == "STORE_NAME" and ins.get("arg") == "__version__" and \
                before["name"] in ("LOAD_CONST_STRING", "LOAD_CONST_OBJ") and isinstance(before.get("arg"), str):
            return before["arg"]
    return None


def file_version(path: Path) -> str | None:
    try:
        data = path.read_bytes()
    except OSError:
        return None
    return version_in_mpy(data) if path.suffix == ".mpy" else version_in_source(data)


def _main_file(lib: Path, module: str) -> Path | None:
    """The file whose __version__ stands for the library (a package's __init__, else its first with one)."""
    for candidate in (lib / f"{module}.py", lib / f"{module}.mpy"):
        if candidate.is_file():
            return candidate
    folder = lib / module
    if not folder.is_dir():
        return None
    files = [folder / "__init__.py", folder / "__init__.mpy"] + sorted(folder.rglob("*"))
    files = [f for f in files if f.is_file() and f.suffix in CODE_SUFFIXES]
    return next((f for f in files if file_version(f)), files[0] if files else None)


def _top_names(lib: Path) -> list[str]:
    if not lib.is_dir():
        return []
    names = set()
    for entry in lib.iterdir():
        if entry.name.startswith("."):
            continue
        if entry.is_dir():
            names.add(entry.name)
        elif entry.suffix in CODE_SUFFIXES:
            names.add(entry.stem)
    return sorted(names)


def installed(device: Path) -> list[Installed]:
    """Every library in lib/: the manifest's, then any other top-level module or package."""
    lib = device / "lib"
    recorded = read_manifest(device)["libraries"]
    present = set(_top_names(lib))
    out, owned = [], set()
    for module, facts in sorted(recorded.items()):
        files = [f for f in facts.get("files", []) if (lib / f).is_file()]
        if not files:
            continue                                    # removed by hand since
        main = _main_file(lib, module)
        out.append(Installed(module, facts.get("version") or None, files, facts.get("pypi_name", ""),
                             facts.get("source", ""), bool(facts.get("requested", True)),
                             list(facts.get("dependencies", [])), file_version(main) if main else None, True))
        owned.update({f.split("/")[0] if "/" in f else f.rsplit(".", 1)[0] for f in files})
    for module in sorted(present - owned):
        main = _main_file(lib, module)
        version = file_version(main) if main else None
        if (lib / module).is_dir():
            files = sorted(p.relative_to(lib).as_posix() for p in (lib / module).rglob("*") if p.is_file())
        else:
            files = [f"{module}{s}" for s in CODE_SUFFIXES if (lib / f"{module}{s}").is_file()]
        out.append(Installed(module, version if version not in PLACEHOLDERS else None, files,
                             file_version=version))
    return sorted(out, key=lambda i: i.module)


def record(device: Path, packages, requested: set[str], target: str) -> None:
    """Add or replace the manifest entries of installed packages (catalog.Package)."""
    data = read_manifest(device)
    libs = data["libraries"]
    for pkg in packages:
        old = libs.get(pkg.module, {})
        libs[pkg.module] = {
            "pypi_name": re.sub(r"[-_.]+", "-", pkg.pypi_name).lower(),
            "version": pkg.version,
            "files": sorted(pkg.files),
            "source": pkg.source,
            # Once named by the user it stays so, even when later pulled in as a dependency.
            "requested": pkg.module in requested or bool(old.get("requested")),
            "dependencies": sorted(pkg.dependencies),
        }
    data["target"] = target
    write_manifest(device, data)


def forget(device: Path, modules: list[str]) -> None:
    data = read_manifest(device)
    if any(m in data["libraries"] for m in modules):
        for m in modules:
            data["libraries"].pop(m, None)
        write_manifest(device, data)
