"""Build a bundle laid out as circuitpython-build-tools lays out the Adafruit CircuitPython Bundle.

For bundle name N, tag T and each target (label L, e.g. "9.x"):

    N-py-T.zip          N-py-T/lib/...            sources, version stamped
    N-L-mpy-T.zip       N-L-mpy-T/lib/...         every non-empty .py compiled to .mpy
                        .../examples/<folder>/... each library's examples, as source
                        .../requirements/<module>/requirements.txt, pyproject.toml
                        .../VERSIONS.txt          (several libraries) T, then a line per library
    N-examples-T.zip    N-examples-T/examples/<folder>/...
    N-T.json            per library: package, pypi_name, version, repo, path,
                        dependencies (modules in the bundle), external_dependencies,
                        pypi_description, modules
    N-T.sha256          sha256 of each file above (sha256sum format)

The rules are those of circuitpython-build-tools (build.py, scripts/
build_bundles.py): an empty .py is copied, not compiled; a '-' in a file's
name becomes '_' inside the zip; `<folder>` is the library's repository
folder name. A file's name inside its .mpy is its path under lib/
("pkg/sub.py"), as build-tools passes it to mpy-cross -s. Every output is
made in memory and is reproducible (see `zipout`); `write_outputs` writes
them atomically.
"""

from __future__ import annotations

import json
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from mpycross.bundle import BundleError
from mpycross.bundle.cache import CompileCache
from mpycross.bundle.library import HOST_ONLY, Library, normalize, requirement_name
from mpycross.bundle.progress import Progress
from mpycross.bundle.zipout import manifest_text, source_date_epoch, zip_bytes
from mpycross.fileio import write_atomically


@dataclass(frozen=True)
class BundleTarget:
    name: str       # target name given to the compiler ("circuitpython-9.2")
    label: str      # zip name part ("9.x", "mp-1.29")
    note: str = ""  # said once when the build starts (a major compiled with another release's rules)


# The CircuitPython majors the Adafruit bundle publishes a .mpy zip for
# (circuitpython-build-tools 1.21.0, target_versions.py: 9.x, 10.x, 11.x).
PUBLISHED_MAJORS = ("9", "10", "11")


def major_target(major: str) -> tuple[str, str]:
    """(target name, note) for a CircuitPython major: what `resolve_target("circuitpython-<major>")` gives.

    A major newer than every release the compiler knows is compiled with
    the newest known CircuitPython rules (the .mpy format has not changed
    since 9.x); the note says so, in the words of the target's warning when
    `resolve_target` gives one. An older unknown major is an error.
    """
    import warnings

    from mpycross.errors import TargetError
    from mpycross.targets import all_targets, resolve_target

    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            name = resolve_target(f"circuitpython-{major}").name
        said = "; ".join(str(w.message) for w in caught)
        return name, f"{major}.x: {said}" if said else ""
    except TargetError as err:
        known = [t for t in all_targets() if t.family == "circuitpython"]
        newest = max(known, key=lambda t: [int(p) for p in t.release.split(".")], default=None)
        if newest is None or not major.isdigit() or int(major) <= int(newest.release.split(".")[0]):
            raise BundleError(str(err)) from None
        return newest.name, (f"{major}.x: no CircuitPython {major} rules known; compiled with {newest.name}'s "
                             f"(same .mpy format, v{newest.mpy_version_name})")


def major_targets(majors=PUBLISHED_MAJORS) -> list[BundleTarget]:
    """One BundleTarget per CircuitPython major, labelled as the Adafruit bundle ("9.x")."""
    out = []
    for major in majors:
        name, note = major_target(major)
        out.append(BundleTarget(name, f"{major}.x", note))
    return out


def bundle_targets(names: list[str]) -> list[BundleTarget]:
    """Resolve target names; label CircuitPython by major ("9.x"), MicroPython by release."""
    from mpycross.errors import TargetError
    from mpycross.targets import resolve_target

    try:
        targets = [resolve_target(n) for n in names]
    except TargetError as err:
        raise BundleError(str(err)) from None
    unique = list(dict.fromkeys(targets))

    def label(t, fine: bool) -> str:
        parts = t.release.split(".")
        if t.family == "circuitpython":
            return f"{t.release}.x" if fine else f"{parts[0]}.x"
        return f"mp-{'.'.join(parts[:2])}"

    coarse = [label(t, False) for t in unique]
    return [BundleTarget(t.name, label(t, coarse.count(label(t, False)) > 1)) for t in unique]


def check_target(target: str) -> None:
    """Fail early, in one line, when the compiler cannot produce this target yet."""
    from mpycross import compile_source
    from mpycross.errors import CompileError, MpyCrossError

    try:
        compile_source(b"", "check.py", target=target)
    except CompileError:
        pass
    except MpyCrossError as err:
        raise BundleError(f"cannot build for {target}: {err}") from None


@dataclass
class TargetStats:
    label: str
    zip_name: str = ""
    libraries: int = 0
    files: int = 0
    compiled: int = 0
    cached: int = 0
    bytes_in: int = 0
    bytes_out: int = 0
    zip_size: int = 0
    skipped: list[str] = field(default_factory=list)


@dataclass
class BuildResult:
    outputs: dict[str, bytes]                       # file name -> bytes
    stats: list[TargetStats]
    errors: list[dict]                              # batch error dicts + "library", "target"
    json_name: str = ""
    manifest_name: str = ""
    seconds: float = 0.0


def dependency_table(libraries: list[Library]) -> dict:
    """The bundle json: module -> facts, dependencies split into bundled and external."""
    by_dist = {normalize(lib.name): lib for lib in libraries}
    table = {}
    for lib in libraries:
        deps, external = set(), set()
        for req in lib.requirements:
            name = requirement_name(req)
            if name is None or normalize(name) in HOST_ONLY:
                continue
            other = by_dist.get(normalize(name))
            if other is lib:
                continue
            if other is not None:
                deps.add(other.module)
            else:
                external.add(name.lower())   # as build-tools writes them
        table[lib.module] = {
            "package": lib.is_package,
            "pypi_name": normalize(lib.name),
            "pypi_description": lib.description,
            "version": lib.version,
            "repo": lib.repo,
            "path": f"lib/{lib.module}",
            "dependencies": sorted(deps),
            "external_dependencies": sorted(external),
            "modules": lib.modules,
        }
    return table


def _check_unique(libraries: list[Library]) -> None:
    owner: dict[str, str] = {}
    for lib in libraries:
        for path in lib.files:
            top = path.split("/")[0]
            top = top[:-3] if top.endswith(".py") else top
            if owner.setdefault(top, lib.name) != lib.name:
                raise BundleError(f"module {top!r} is provided by both {owner[top]} and {lib.name}")


def compiles(path: str, data: bytes) -> bool:
    """Whether a library file becomes a .mpy: a .py that is not empty (build-tools copies empty ones)."""
    return path.endswith(".py") and len(data) > 0


def compile_libraries(libraries: list[Library], targets: list[str], opt: int, workers: int,
                      cache: CompileCache, progress: Progress | None = None,
                      ) -> tuple[dict[tuple[str, str, str], bytes], list[dict], dict]:
    """Compile every .py of every library for every target, through the cache.

    Returns ({(target, library name, path): mpy bytes}, errors, counts per
    target {"compiled": n, "cached": n}). Identical work (same key) is done once.
    """
    from mpycross.bundle.pool import Item, compile_stream
    from mpycross.batch import Job

    out: dict[tuple[str, str, str], bytes] = {}
    errors: list[dict] = []
    counts = {t: {"compiled": 0, "cached": 0} for t in targets}
    pending: dict[str, list[tuple[str, str, str]]] = {}   # key -> places wanting it
    sources: dict[str, tuple[bytes, str, str]] = {}      # key -> (source, name, target)
    for target in targets:
        for lib in libraries:
            for path, data in sorted(lib.stamped_files().items()):
                if not compiles(path, data):
                    continue
                key = cache.key(data, path, target, opt)
                place = (target, lib.name, path)
                if key in pending:
                    pending[key].append(place)
                    continue
                hit = cache.get(key)
                if hit is not None:
                    out[place] = hit
                    counts[target]["cached"] += 1
                    continue
                pending[key] = [place]
                sources[key] = (data, path, target)
    keys = list(sources)
    if progress is not None:
        progress.start(len(keys), "compiling")
    with tempfile.TemporaryDirectory(prefix="mpycross-bundle-") as stage:
        items = []
        for n, key in enumerate(keys):
            data, name, target = sources[key]
            staged = Path(stage) / f"{n}.py"
            staged.write_bytes(data)
            items.append(Item(Job(str(staged), name, None), target, opt))
        for i, result in compile_stream(items, workers):
            key = keys[i]
            places = pending[key]
            if result.error is not None:
                for target, lib_name, _ in places:
                    errors.append(dict(result.error, library=lib_name, target=target))
            else:
                cache.put(key, result.data)
                for place in places:
                    out[place] = result.data
            counts[places[0][0]]["compiled"] += 1
            for place in places[1:]:
                counts[place[0]]["cached"] += 1
            if progress is not None:
                progress.advance()
    if progress is not None:
        progress.stop()
    errors.sort(key=lambda e: (e["target"], e["library"], e["file"]))
    return out, errors, counts


def zip_entry(stem: str, path: str) -> str:
    """Where a bundle file goes in the zip: under the stem, a '-' in its name made '_' (build-tools)."""
    folder, _, name = path.rpartition("/")
    return f"{stem}/{folder}/{name.replace('-', '_')}" if folder else f"{stem}/{name.replace('-', '_')}"


def _versions_text(tag: str, libraries: list[Library]) -> bytes:
    """VERSIONS.txt as build-tools writes it: the tag, then `<repo>/releases/tag/<version>` per
    library (`<dist>==<version>` for one with no repository), CRLF line ends."""
    ordered = sorted(libraries, key=lambda lib: lib.origin)   # build-tools lists the submodules by path
    lines = [tag] + [f"{lib.repo}/releases/tag/{lib.version}" if lib.repo else f"{lib.name}=={lib.version}"
                     for lib in ordered]
    return "".join(line + "\r\n" for line in lines).encode("utf-8")


def _requirement_files(lib: Library) -> dict[str, bytes]:
    """requirements/<module>/ of a library: a repository's files as they are, else its requirements."""
    if lib.requirement_files:
        return lib.requirement_files
    if lib.requirements:
        return {"requirements.txt": "".join(r + "\n" for r in lib.requirements).encode("utf-8")}
    return {}


class _Entries(dict):
    """Zip entries, refusing a second library's file at a path already taken."""

    def __init__(self):
        super().__init__()
        self.owner: dict[str, str] = {}

    def put(self, name: str, data: bytes, library: str) -> None:
        if self.owner.setdefault(name, library) != library:
            raise BundleError(f"{self.owner[name]} and {library} both put {name} in the bundle")
        self[name] = data


def _common_entries(stem: str, top_files: dict[str, bytes], libraries: list[Library],
                    examples_only: bool = False) -> _Entries:
    entries = _Entries()
    for name, data in top_files.items():
        entries.put(f"{stem}/{name}", data, "")
    for lib in libraries:
        for path, data in lib.examples.items():
            entries.put(zip_entry(stem, f"examples/{lib.examples_folder}/{path}"), data, lib.name)
        if not examples_only:
            for name, data in _requirement_files(lib).items():
                entries.put(zip_entry(stem, f"requirements/{lib.module}/{name}"), data, lib.name)
    return entries


def build_bundle(libraries: list[Library], name: str, tag: str, targets: list[BundleTarget],
                 opt: int = 0, workers: int = 1, cache: CompileCache | None = None,
                 epoch: int | None = None, progress: Progress | None = None,
                 skip_failed: bool = False, readme: bytes | None = None) -> BuildResult:
    """Make every output of a bundle in memory (nothing is written).

    A bundle of several libraries carries VERSIONS.txt and, when given,
    `readme` as README.txt at the top of every zip (build-tools takes the
    README.txt of the bundle repository).
    """
    import mpycross

    started = time.perf_counter()
    if not libraries:
        raise BundleError("no libraries to bundle")
    libraries = sorted(libraries, key=lambda lib: lib.module)
    top_files = {}
    if len(libraries) > 1:
        top_files["VERSIONS.txt"] = _versions_text(tag, libraries)
        if readme is not None:
            top_files["README.txt"] = readme
    _check_unique(libraries)
    target_names = list(dict.fromkeys(t.name for t in targets))
    for target in target_names:
        check_target(target)
    cache = cache if cache is not None else CompileCache(enabled=False)
    epoch = epoch if epoch is not None else source_date_epoch()
    comment = json.dumps({"mpycross-version": mpycross.__version__}, sort_keys=True).encode()

    outputs: dict[str, bytes] = {}
    stats: list[TargetStats] = []

    py_stem = f"{name}-py-{tag}"
    entries = _common_entries(py_stem, top_files, libraries)
    py = TargetStats("py", f"{py_stem}.zip", libraries=len(libraries))
    for lib in libraries:
        for path, data in lib.stamped_files().items():
            entries.put(zip_entry(py_stem, f"lib/{path}"), data, lib.name)
            py.files += 1
            py.bytes_in += len(data)
            py.bytes_out += len(data)
    outputs[py.zip_name] = zip_bytes(entries, epoch, comment)
    py.zip_size = len(outputs[py.zip_name])
    stats.append(py)

    compiled, errors, counts = compile_libraries(libraries, target_names, opt, workers, cache, progress)
    failed = {(e["target"], e["library"]) for e in errors}
    for t in targets:
        stem = f"{name}-{t.label}-mpy-{tag}"
        st = TargetStats(t.label, f"{stem}.zip", compiled=counts[t.name]["compiled"],
                         cached=counts[t.name]["cached"])
        kept = [lib for lib in libraries if (t.name, lib.name) not in failed]
        st.skipped = [lib.name for lib in libraries if (t.name, lib.name) in failed]
        entries = _common_entries(stem, top_files, kept)
        for lib in kept:
            for path, data in lib.stamped_files().items():
                if compiles(path, data):
                    mpy = compiled[(t.name, lib.name, path)]
                    entries.put(zip_entry(stem, f"lib/{path[:-3]}.mpy"), mpy, lib.name)
                    st.bytes_in += len(data)
                    st.bytes_out += len(mpy)
                else:
                    entries.put(zip_entry(stem, f"lib/{path}"), data, lib.name)
                st.files += 1
        st.libraries = len(kept)
        if errors and not skip_failed:
            stats.append(st)
            continue
        outputs[st.zip_name] = zip_bytes(entries, epoch, comment)
        st.zip_size = len(outputs[st.zip_name])
        stats.append(st)

    examples_stem = f"{name}-examples-{tag}"
    examples = TargetStats("examples", f"{examples_stem}.zip", libraries=len(libraries))
    entries = _common_entries(examples_stem, top_files, libraries, examples_only=True)
    examples.files = sum(len(lib.examples) for lib in libraries)
    examples.bytes_in = examples.bytes_out = sum(len(d) for lib in libraries for d in lib.examples.values())
    outputs[examples.zip_name] = zip_bytes(entries, epoch, comment)
    examples.zip_size = len(outputs[examples.zip_name])
    stats.append(examples)

    json_name = f"{name}-{tag}.json"
    outputs[json_name] = (json.dumps(dependency_table(libraries), indent=2, sort_keys=True) + "\n").encode()
    manifest_name = f"{name}-{tag}.sha256"
    outputs[manifest_name] = manifest_text(outputs).encode()
    return BuildResult(outputs, stats, errors, json_name, manifest_name, time.perf_counter() - started)


def write_outputs(result: BuildResult, out_dir: Path) -> list[Path]:
    """Write every output atomically (the manifest last); return the paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name in sorted(result.outputs, key=lambda n: (n == result.manifest_name, n)):
        path = out_dir / name
        write_atomically(path, result.outputs[name])
        written.append(path)
    return written
