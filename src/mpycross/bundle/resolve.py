"""Which libraries an install needs, dependencies followed across every source.

Names are looked up in the catalog first (the given bundles and local
sources, already compiled for the board); what it lacks is downloaded from
PyPI (`pypi.PyPI`), compiled and added, round by round until nothing new
is needed. Host-only distributions (formats/host_only.toml) are skipped
with a note. A dependency already on the device is kept as it is unless
`upgrade`; what the user named is always installed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from mpycross.bundle import BundleError
from mpycross.bundle.catalog import Catalog, Package
from mpycross.bundle.hostonly import HOST_ONLY_MODULES, host_only_note, is_host_only
from mpycross.bundle.library import discover, requirement_name


@dataclass
class Resolution:
    packages: list[Package] = field(default_factory=list)     # what to install, in the order found
    requested: list[str] = field(default_factory=list)        # modules the user named
    needed_by: dict[str, str] = field(default_factory=dict)   # module -> the module that needs it
    skipped: list[str] = field(default_factory=list)          # one-line notes (host-only)
    kept: list[str] = field(default_factory=list)             # dependencies already on the device
    missing: list[tuple[str, str]] = field(default_factory=list)   # (needed by, name)


def _name(line: str) -> str:
    """A requirement line's distribution, or the bare import name a user typed."""
    return requirement_name(line) or line.strip()


def resolve(catalog: Catalog, lines: list[str], *, compile_libraries, pypi=None, with_deps: bool = True,
            present: set[str] = frozenset(), upgrade: bool = False) -> Resolution:
    """Resolve requirement lines or import names (see the module docstring).

    `compile_libraries(libraries)` adds `library.Library` objects to the
    catalog, compiled for the board, and returns their modules.
    """
    from mpycross.bundle.pypi import module_guess

    out = Resolution()
    chosen: dict[str, Package] = {}
    queue: list[tuple[str | None, str]] = [(None, line) for line in lines]
    asked_pypi: set[str] = set()
    skipped: dict[str, list[str]] = {}
    while queue:
        pending: list[tuple[str | None, str]] = []
        next_queue: list[tuple[str | None, str]] = []
        for needed_by, line in queue:
            name = _name(line)
            if is_host_only(name):
                skipped.setdefault(name, [])
                if needed_by and needed_by not in skipped[name]:
                    skipped[name].append(needed_by)
                continue
            pkg = catalog.find(name)
            if pkg is None:
                if needed_by is not None and not upgrade and module_guess(name) in present:
                    if module_guess(name) not in out.kept:
                        out.kept.append(module_guess(name))
                    continue
                pending.append((needed_by, line))
                continue
            if needed_by is None and pkg.module not in out.requested:
                out.requested.append(pkg.module)
            if pkg.module in chosen:
                continue
            if needed_by is not None and not upgrade and pkg.module in present:
                if pkg.module not in out.kept:
                    out.kept.append(pkg.module)
                continue
            chosen[pkg.module] = pkg
            if needed_by is not None:
                out.needed_by[pkg.module] = needed_by
            if with_deps:
                next_queue += [(pkg.module, d) for d in pkg.dependencies + pkg.external]
        fresh = [(who, line) for who, line in pending if line not in asked_pypi]
        out.missing += [(who or "command line", _name(line)) for who, line in pending if line in asked_pypi]
        if pypi is None:
            out.missing += [(who or "command line", _name(line)) for who, line in fresh]
        elif fresh:
            _from_pypi(catalog, fresh, pypi, compile_libraries)
            asked_pypi.update(line for _, line in fresh)
            next_queue = fresh + next_queue     # looked up again now that the catalog has them
        queue = next_queue
    out.missing = list(dict.fromkeys(out.missing))
    # One note per package, under its PyPI name (or the import name a bundle json used).
    by_package: dict[str, list[str]] = {}
    for name, needers in skipped.items():
        bucket = by_package.setdefault(name if name in HOST_ONLY_MODULES else normalize_name(name), [])
        bucket += [n for n in needers if n not in bucket]
    out.skipped = [host_only_note(name, needers) for name, needers in sorted(by_package.items())]
    out.packages = list(chosen.values())
    return out


def _from_pypi(catalog, pending, pypi, compile_libraries) -> None:
    """Download what the catalog lacks (trying each PyPI name a user's name may mean), compile, add."""
    from mpycross.bundle.pypi import candidates

    tries: dict[str, list[str]] = {}
    for _, line in pending:
        name = _name(line)
        rest = line.strip()[len(name):] if requirement_name(line) else ""
        tries[line] = [c + rest for c in candidates(name)]
    files = {}
    round_no = 0
    while True:
        wanted = [t[round_no] for line, t in tries.items() if line not in files and len(t) > round_no]
        if not wanted:
            break
        got = pypi.fetch(wanted)
        for line, t in tries.items():
            if line not in files and len(t) > round_no and t[round_no] in got:
                files[line] = got[t[round_no]]
        round_no += 1
    libraries = []
    for path in dict.fromkeys(files.values()):
        try:
            found = discover(path)
        except BundleError as err:
            raise BundleError(f"{path.name}: {err}") from None
        for lib in found:
            lib.origin = f"PyPI {path.name}"
        libraries += found
    if libraries:
        compile_libraries(libraries)


def normalize_name(name: str) -> str:
    from mpycross.bundle.pypi import normalize

    return normalize(name)
