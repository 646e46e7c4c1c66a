"""What can be installed: packages from a bundle zip or from local library sources.

A `Package` is one library ready for a board: its files under `lib/` and
the modules it depends on. From a bundle zip (ours or Adafruit's) the
dependencies come from the bundle json beside the zip (`NAME-TAG.json`
for `NAME-...-TAG.zip`), else from the zip's requirements/ folder. Local
sources are compiled for the board's target through the compile cache.
"""

from __future__ import annotations

import json
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from mpycross.bundle import BundleError
from mpycross.bundle.library import Library, normalize, read_requirements_text, requirement_name

_ZIP_NAME = re.compile(r"^(?P<name>.+?)-(?:py|[^-]+-mpy|mp-[^-]+-mpy)-(?P<tag>[^-]+)\.zip$")


@dataclass
class Package:
    module: str                                   # import name, the key
    version: str
    files: dict[str, bytes]                       # path under lib/ -> bytes
    dependencies: list[str] = field(default_factory=list)   # modules
    external: list[str] = field(default_factory=list)       # distributions with no package here
    pypi_name: str = ""
    source: str = ""

    @property
    def top_names(self) -> list[str]:
        return sorted({p.split("/")[0] if "/" in p else p.rsplit(".", 1)[0] for p in self.files})


def _squash(name: str) -> str:
    """Name for loose matching: "adafruit-circuitpython-bus-device" ~ "adafruit_bus_device"."""
    return re.sub(r"[^a-z0-9]", "", normalize(name).replace("circuitpython", ""))


class Catalog:
    def __init__(self):
        self.packages: dict[str, Package] = {}

    def add(self, package: Package) -> None:
        self.packages[package.module] = package

    def find(self, name: str) -> Package | None:
        """By module name, distribution name, or loosely by either."""
        if name in self.packages:
            return self.packages[name]
        for p in self.packages.values():
            if p.pypi_name and normalize(p.pypi_name) == normalize(name):
                return p
        squashed = _squash(name)
        matches = [p for p in self.packages.values() if _squash(p.module) == squashed]
        return matches[0] if len(matches) == 1 else None

    def link(self, requirements: list[str]) -> tuple[list[str], list[str]]:
        """Requirement lines -> (modules in the catalog, external distribution names).

        Host-only names stay in `external`: the install skips them with a note.
        """
        deps, external = [], []
        for req in requirements:
            name = requirement_name(req)
            if name is None:
                continue
            found = self.find(name)
            if found is not None:
                deps.append(found.module)
            else:
                external.append(name)
        return sorted(set(deps)), sorted(set(external))

    def resolve(self, names: list[str], with_deps: bool = True) -> tuple[list[Package], list[tuple[str, str]]]:
        """The packages for names (and their dependencies); and (needed by, missing) pairs."""
        chosen: dict[str, Package] = {}
        missing: list[tuple[str, str]] = []
        todo = [(None, n) for n in names]
        while todo:
            needed_by, name = todo.pop(0)
            pkg = self.find(name)
            if pkg is None:
                missing.append((needed_by or "command line", name))
                continue
            if pkg.module in chosen:
                continue
            chosen[pkg.module] = pkg
            if with_deps:
                todo += [(pkg.module, d) for d in pkg.dependencies]
                missing += [(pkg.module, e) for e in pkg.external]
        return list(chosen.values()), missing


def bundle_json_path(zip_path: Path) -> Path | None:
    m = _ZIP_NAME.match(zip_path.name)
    if not m:
        return None
    candidate = zip_path.with_name(f"{m.group('name')}-{m.group('tag')}.json")
    return candidate if candidate.is_file() else None


def load_bundle(zip_path: Path, json_path: Path | None = None) -> Catalog:
    """Every library of a bundle zip."""
    try:
        with zipfile.ZipFile(zip_path) as z:
            entries = {i.filename: i for i in z.infolist() if not i.is_dir()}
            lib_files: dict[str, bytes] = {}
            reqs: dict[str, list[str]] = {}
            for name, info in entries.items():
                parts = name.split("/")
                if "lib" in parts[:2]:
                    rel = "/".join(parts[parts.index("lib") + 1:])
                    if "/" in rel or rel.endswith((".py", ".mpy")):  # not lib/README.txt
                        lib_files[rel] = z.read(info)
                elif len(parts) >= 3 and parts[-3] == "requirements" and parts[-1] == "requirements.txt":
                    reqs[parts[-2]] = read_requirements_text(z.read(info))
    except (OSError, zipfile.BadZipFile) as err:
        raise BundleError(f"{zip_path}: not a readable bundle zip: {err}") from None
    if not lib_files:
        raise BundleError(f"{zip_path}: no lib/ folder in this zip")
    json_path = json_path or bundle_json_path(zip_path)
    table = {}
    if json_path is not None:
        try:
            table = json.loads(Path(json_path).read_text("utf-8"))
        except (OSError, ValueError) as err:
            raise BundleError(f"{json_path}: not a bundle json: {err}") from None
    # A library may have several top-level modules (the json's "modules"); they install together.
    owner = {m: key for key, facts in table.items() for m in facts.get("modules", [key])}
    groups: dict[str, dict[str, bytes]] = {}
    for rel, data in lib_files.items():
        top = rel.split("/")[0] if "/" in rel else rel.rsplit(".", 1)[0]
        groups.setdefault(owner.get(top, top), {})[rel] = data
    catalog = Catalog()
    for top, files in sorted(groups.items()):
        facts = table.get(top, {})
        catalog.add(Package(top, facts.get("version", ""), files, list(facts.get("dependencies", [])),
                            list(facts.get("external_dependencies", [])), facts.get("pypi_name", ""),
                            str(zip_path)))
    if not table:  # no json: dependencies from requirements/<module>/requirements.txt
        for top, lines in reqs.items():
            if top in catalog.packages:
                pkg = catalog.packages[top]
                pkg.dependencies, pkg.external = catalog.link(lines)
    return catalog


def add_libraries(catalog: Catalog, libraries: list[Library], target: str, opt: int = 0, workers: int = 1,
                  cache=None) -> list[str]:
    """Compile local libraries for target into the catalog; return their module names."""
    from mpycross.bundle.build import check_target, compile_libraries, compiles
    from mpycross.bundle.cache import CompileCache
    from mpycross.batch import format_error

    check_target(target)
    cache = cache if cache is not None else CompileCache(enabled=False)
    compiled, errors, _ = compile_libraries(libraries, [target], opt, workers, cache)
    if errors:
        first = errors[0]
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        raise BundleError(f"{first['library']}: {format_error(first, 'text')}{more}")
    names = []
    for lib in libraries:
        files = {}
        for path, data in lib.stamped_files().items():
            if compiles(path, data):   # an empty .py is copied, as in a bundle
                files[path[:-3] + ".mpy"] = compiled[(target, lib.name, path)]
            else:
                files[path] = data
        catalog.add(Package(lib.module, lib.version, files, [], [], lib.name, lib.origin))
        names.append(lib.module)
    for lib in libraries:
        pkg = catalog.packages[lib.module]
        pkg.dependencies, pkg.external = catalog.link(lib.requirements)
    return names


def pick_bundle(folder: Path, target) -> Path:
    """The `*-mpy-*.zip` in folder whose .mpy files `target` loads.

    The newest tag if several; of one tag, the zip labelled with the
    target's major (`NAME-10.x-mpy-TAG.zip` for CircuitPython 10), since
    9.x, 10.x and 11.x zips all load on every one of those boards.
    """
    from mpycross.errors import FormatError
    from mpycross.mpy import read_mpy

    fits, seen = [], []
    for zip_path in sorted(folder.glob("*-mpy-*.zip")):
        try:
            with zipfile.ZipFile(zip_path) as z:
                first = next((i for i in sorted(z.namelist()) if i.endswith(".mpy") and "/lib/" in f"/{i}"), None)
                header = read_mpy(z.read(first)).header if first else None
        except (OSError, zipfile.BadZipFile, FormatError):
            continue
        seen.append(zip_path.name)
        if header is not None and target.loads(header.magic, header.version, header.sub_version,
                                               header.arch) is None:
            m = _ZIP_NAME.match(zip_path.name)
            own_major = f"-{target.release.split('.')[0]}.x-mpy-" in zip_path.name
            fits.append((m.group("tag") if m else "", own_major, zip_path))
    if not fits:
        listed = ", ".join(seen) if seen else "no *-mpy-*.zip bundles"
        raise BundleError(f"{folder}: no bundle for {target.name} ({listed})")
    return max(fits)[-1]
