"""Find libraries: what goes under `lib/`, the examples, the requirements.

Inputs understood by `discover(path)`:

- a library repository (a folder with pyproject.toml, setup.cfg or setup.py):
  modules from `[tool.setuptools] py-modules` / `packages`, else from the
  layout (top-level `*.py` and package folders, or the same under `src/`);
  `examples/` as examples; version from git (`git_version`: the tag, or a
  semver version after it, as circuitpython-build-tools writes), PKG-INFO or
  `[project] version`;
- a folder of such repositories (one library each), or of folders of them
  (the Adafruit bundle's `libraries/drivers/<name>`);
- a folder of packages and modules (each top-level module one library);
- a wheel (`.whl`) or an sdist (`.tar.gz`, `.zip`);
- `from_requirements(path)`: a requirements file, downloaded with pip
  (dependencies followed here, host-only packages never downloaded).

Every file of a package is kept (data files too); subpackages are
mirrored. `stamp_version` puts the real version where the source says
`__version__ = "0.0.0+auto.0"`, as circuitpython-build-tools does.
"""

from __future__ import annotations

import email.parser
import os
import re
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from mpycross.bundle import BundleError, hostonly

# Folders of a repository that are never library code.
NOT_CODE = {"examples", "docs", "doc", "tests", "test", "build", "dist", "venv", "env", "node_modules",
            "__pycache__", "src", "optional_requirements"}
NOT_MODULES = {"setup.py", "conf.py", "noxfile.py", "conftest.py"}
# Placeholders the build replaces with the library's version (circuitpython-build-tools' munge).
VERSION_PLACEHOLDERS = (b"0.0.0+auto.0", b"0.0.0-auto.0")
AUTO_VERSION = "0.0.0+auto.0"
# Requirements that exist for CPython hosts and never go on a board (formats/host_only.toml).
HOST_ONLY = hostonly.HOST_ONLY


@dataclass
class Library:
    """One library: its files under `lib/` and what describes it."""

    name: str                                   # distribution name ("adafruit-circuitpython-ble")
    version: str
    files: dict[str, bytes]                     # path under lib/ -> bytes ("adafruit_ble/__init__.py")
    examples: dict[str, bytes] = field(default_factory=dict)   # path under examples/ -> bytes
    requirements: list[str] = field(default_factory=list)      # PEP 508 lines
    repo: str = ""
    origin: str = ""                            # where it was found, for messages
    folder: str = ""                            # repository folder name: examples go under examples/<folder>/
    description: str = ""
    # requirements.txt* and pyproject.toml* of a repository, copied into the bundle as they are
    requirement_files: dict[str, bytes] = field(default_factory=dict)

    @property
    def modules(self) -> list[str]:
        """Top-level import names, packages first then modules, each sorted."""
        packages = sorted({p.split("/")[0] for p in self.files if "/" in p})
        singles = sorted(p[:-3] for p in self.files if "/" not in p and p.endswith(".py"))
        return packages + [m for m in singles if m not in packages]

    @property
    def module(self) -> str:
        """The import name the library is known by (the bundle json's key)."""
        mods = self.modules
        if not mods:
            raise BundleError(f"{self.origin or self.name}: no modules found")
        return mods[0]

    @property
    def examples_folder(self) -> str:
        """The folder under `examples/` this library's examples go in."""
        return self.folder or self.module

    @property
    def is_package(self) -> bool:
        return any(p.startswith(self.module + "/") for p in self.files)

    def stamped_files(self) -> dict[str, bytes]:
        return {p: stamp_version(d, self.version) if p.endswith(".py") else d
                for p, d in self.files.items()}


def stamp_version(source: bytes, version: str) -> bytes:
    """Replace the version placeholder on lines that start with `__version__`.

    Works on bytes and keeps every other byte (line endings included) as it is.
    """
    if not any(p in source for p in VERSION_PLACEHOLDERS):
        return source
    new = version.encode("utf-8")
    lines = source.splitlines(keepends=True)
    for i, line in enumerate(lines):
        if line.startswith(b"__version__"):
            for p in VERSION_PLACEHOLDERS:
                line = line.replace(p, new)
            lines[i] = line
    return b"".join(lines)


def normalize(name: str) -> str:
    """PEP 503 normalized distribution name."""
    return re.sub(r"[-_.]+", "-", name).lower()


def requirement_name(line: str) -> str | None:
    """The distribution a requirement line names (None for options, comments, extras-only deps)."""
    line = line.split("#", 1)[0].strip()
    if not line or line.startswith("-"):
        return None
    if ";" in line and re.search(r"\bextra\s*==", line.split(";", 1)[1]):
        return None
    m = re.match(r"[A-Za-z0-9][A-Za-z0-9._-]*", line)
    return m.group(0) if m else None


# --- trees: a repository folder or an unpacked sdist, read the same way ---

class _Tree:
    """Files of a folder or an archive, by posix path relative to its root."""

    def __init__(self, names: list[str], read, root_label: str, folder: Path | None = None):
        self.names = sorted(names)
        self._known = set(names)
        self.read = read
        self.label = root_label
        self.folder = folder

    def has(self, name: str) -> bool:
        return name in self._known

    def under(self, prefix: str) -> list[str]:
        prefix = prefix.rstrip("/") + "/"
        return [n for n in self.names if n.startswith(prefix)]


def _skip_part(part: str) -> bool:
    return part.startswith(".") or part == "__pycache__" or part.endswith(".egg-info")


def _folder_tree(folder: Path) -> _Tree:
    names = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not _skip_part(d) and d not in ("venv", "node_modules"))
        rel = Path(root).relative_to(folder)
        for f in files:
            if f.startswith(".") or f.endswith((".pyc", ".mpy")):
                continue
            names.append((rel / f).as_posix())
    return _Tree(names, lambda n: (folder / n).read_bytes(), str(folder), folder)


def _archive_tree(path: Path) -> _Tree:
    """An sdist's files with its top folder ("name-1.0/") removed."""
    data: dict[str, bytes] = {}
    try:
        if path.name.endswith(".zip"):
            with zipfile.ZipFile(path) as z:
                for info in z.infolist():
                    if not info.is_dir():
                        data[info.filename] = z.read(info)
        else:
            with tarfile.open(path) as t:
                for m in t.getmembers():
                    if m.isfile():
                        f = t.extractfile(m)
                        if f is not None:
                            data[m.name] = f.read()
    except (OSError, zipfile.BadZipFile, tarfile.TarError) as err:
        first = (str(err).strip().splitlines() or [type(err).__name__])[0].rstrip(":")
        raise BundleError(f"{path}: not a readable sdist archive ({first})") from None
    tops = {n.split("/")[0] for n in data}
    strip = len(tops) == 1 and all("/" in n for n in data)
    files = {}
    for n, d in data.items():
        rel = n.split("/", 1)[1] if strip else n
        parts = PurePosixPath(rel).parts
        if ".." in parts or any(_skip_part(p) for p in parts[:-1]) or rel.endswith((".pyc", ".mpy")):
            continue
        files[rel] = d
    return _Tree(list(files), files.__getitem__, str(path))


def _toml(tree: _Tree, name: str) -> dict:
    if not tree.has(name):
        return {}
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib
    try:
        return tomllib.loads(tree.read(name).decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        raise BundleError(f"{tree.label}/{name}: {err}") from None


def _metadata(text: bytes) -> email.message.Message:
    return email.parser.Parser().parsestr(text.decode("utf-8", "replace"), headersonly=True)


def _git(folder: Path, *args: str) -> str | None:
    try:
        done = subprocess.run(["git", *args], cwd=folder, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.strip() if done.returncode == 0 and done.stdout.strip() else None


# semver.org's grammar: MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD].
_SEMVER = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
                     r"(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
                     r"(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$")


def _strip_v(tag: str) -> str:
    return tag[1:] if tag[:1] in ("v", "V") and tag[1:2].isdigit() else tag


def version_after_tag(described: str, commit_count: str) -> str:
    """The version of an untagged commit, from `git describe --tags --always`.

    As circuitpython-build-tools' `version_string(valid_semver=True)`
    (build.py): after tag X.Y.Z, N commits on, at commit H, the version is
    `X.Y.(Z+1)-alpha.0.plus.N+H`, which sorts after X.Y.Z and before
    X.Y.(Z+1); after a prerelease tag it is `TAG.plus.N+H`; with no tag at
    all the tag is taken as 0.0.0 and N is `commit_count`; a tag that is
    not semver gives H alone. Unlike build-tools, a leading "v" is dropped
    from the tag first ("v1.2.3" counts as 1.2.3).
    """
    parts = described.rsplit("-", 2)
    if len(parts) == 3:
        tag, count, commit = parts[0], parts[1], parts[2][1:]   # "...-N-gHASH"
    else:
        tag, count, commit = "0.0.0", commit_count, parts[0]
    m = _SEMVER.match(_strip_v(tag))
    if m is None:
        return commit
    if m.group(4) is None:
        return f"{m.group(1)}.{m.group(2)}.{int(m.group(3)) + 1}-alpha.0.plus.{count}+{commit}"
    return f"{_strip_v(tag)}.plus.{count}+{commit}"


def git_version(folder: Path) -> str | None:
    """A checkout's version: its tag when HEAD is tagged, else `version_after_tag`; None outside git."""
    if not (folder / ".git").exists():
        return None
    exact = _git(folder, "describe", "--tags", "--exact-match")
    if exact:
        return _strip_v(exact)
    described = _git(folder, "describe", "--tags", "--always")
    if not described:
        return None
    return version_after_tag(described, _git(folder, "rev-list", "--count", "HEAD") or "0")


def git_toplevel(folder: Path) -> Path | None:
    """The top folder of the git work tree holding folder (None outside one)."""
    top = _git(folder, "rev-parse", "--show-toplevel")
    return Path(top) if top else None


def git_bundle_tag(folder: Path) -> str | None:
    """The bundle tag circuitpython-build-tools gives a checkout: its tag when HEAD is tagged, else
    the short commit hash (build.py `version_string()`); None outside a git work tree."""
    if _git(folder, "rev-parse", "--is-inside-work-tree") != "true":
        return None
    exact = _git(folder, "describe", "--tags", "--exact-match")
    if exact:
        return exact
    described = _git(folder, "describe", "--tags", "--always")
    if not described:
        return None
    parts = described.rsplit("-", 2)
    return parts[2][1:] if len(parts) == 3 else parts[0]


def _repo_url(urls: dict) -> str:
    for key in ("Repository", "Source", "Source Code", "Homepage", "homepage", "repository", "source"):
        if urls.get(key):
            url = str(urls[key]).strip()
            return url[:-4] if url.endswith(".git") else url
    return ""


def _requirement_lines(text: str) -> list[str]:
    return [line.split(" #", 1)[0].strip() for line in text.splitlines() if requirement_name(line)]


def _package_roots(tree: _Tree, setuptools: dict) -> tuple[str, list[str], list[str]]:
    """(base folder, package folders, single-file modules) of a repository."""
    mods = setuptools.get("py-modules")
    pkgs = setuptools.get("packages")
    base = ""
    pdir = setuptools.get("package-dir") or {}
    if isinstance(pdir, dict) and pdir.get(""):
        base = str(pdir[""]).strip("/") + "/"
    if isinstance(mods, list) or isinstance(pkgs, list):
        top = sorted({p.split(".")[0] for p in (pkgs or [])})
        return base, [base + p for p in top], [base + m + ".py" for m in (mods or [])]
    for candidate in ("", "src/"):
        inner = [n[len(candidate):] for n in tree.names if n.startswith(candidate)]
        singles = [candidate + n for n in inner if "/" not in n and n.endswith(".py") and n not in NOT_MODULES]
        dirs = sorted({n.split("/")[0] for n in inner if "/" in n})
        folders = [candidate + d for d in dirs if d not in NOT_CODE and not _skip_part(d)
                   and tree.has(f"{candidate}{d}/__init__.py")]
        if singles or folders:
            return candidate, folders, singles
    return "", [], []


def from_tree(tree: _Tree, default_name: str) -> Library:
    """A library repository or an unpacked sdist."""
    pyproject = _toml(tree, "pyproject.toml")
    project = pyproject.get("project", {})
    setuptools = pyproject.get("tool", {}).get("setuptools", {})
    pkg_info = _metadata(tree.read("PKG-INFO")) if tree.has("PKG-INFO") else None
    name = project.get("name") or (pkg_info and pkg_info.get("Name")) or default_name
    version = None
    if tree.folder is not None:
        version = git_version(tree.folder)
    if not version and pkg_info is not None:
        version = pkg_info.get("Version")
    if not version and isinstance(project.get("version"), str):
        version = project["version"]
    version = version or AUTO_VERSION

    base, folders, singles = _package_roots(tree, setuptools)
    files: dict[str, bytes] = {}
    for folder in folders:
        for n in tree.under(folder):
            files[n[len(base):]] = tree.read(n)
    for single in singles:
        if tree.has(single):
            files[single[len(base):]] = tree.read(single)
    if not files:
        raise BundleError(f"{tree.label}: no Python modules or packages found")
    examples = {n[len("examples/"):]: tree.read(n) for n in tree.under("examples")}
    # circuitpython-build-tools copies the non-empty requirements.txt* and pyproject.toml* files
    requirement_files = {n: tree.read(n) for n in tree.names
                         if "/" not in n and n.startswith(("requirements.txt", "pyproject.toml"))}
    requirement_files = {n: d for n, d in requirement_files.items() if d}

    if tree.has("requirements.txt"):
        reqs = _requirement_lines(tree.read("requirements.txt").decode("utf-8", "replace"))
    elif isinstance(project.get("dependencies"), list):
        reqs = [r for r in project["dependencies"] if requirement_name(r)]
    elif pkg_info is not None:
        reqs = [r for r in pkg_info.get_all("Requires-Dist") or [] if requirement_name(r)]
    else:
        reqs = []
    repo = _repo_url(project.get("urls", {}))
    if not repo and tree.folder is not None:
        repo = _git(tree.folder, "remote", "get-url", "origin") or ""
        if repo.endswith(".git"):
            repo = repo[:-4]
    if not repo and pkg_info is not None:
        repo = _metadata_repo(pkg_info)
    description = project.get("description") or (pkg_info and pkg_info.get("Summary")) or ""
    return Library(name, version, files, examples, reqs, repo, tree.label, folder=default_name,
                   description=str(description), requirement_files=requirement_files)


def _metadata_repo(meta) -> str:
    urls = {}
    for entry in meta.get_all("Project-URL") or []:
        key, _, value = entry.partition(",")
        urls[key.strip()] = value.strip()
    return _repo_url(urls) or meta.get("Home-page") or ""


def from_wheel(path: Path) -> Library:
    """A wheel: everything but its .dist-info and .data folders goes under lib/."""
    try:
        with zipfile.ZipFile(path) as z:
            entries = {i.filename: z.read(i) for i in z.infolist() if not i.is_dir()}
    except (OSError, zipfile.BadZipFile) as err:
        raise BundleError(f"{path}: not a readable wheel: {err}") from None
    meta_name = next((n for n in entries if n.count("/") == 1 and n.endswith(".dist-info/METADATA")), None)
    if meta_name is None:
        raise BundleError(f"{path}: a wheel without .dist-info/METADATA")
    meta = _metadata(entries[meta_name])
    files = {}
    for n, d in entries.items():
        top = n.split("/")[0]
        if top.endswith((".dist-info", ".data")) or n.endswith((".pyc", ".mpy")):
            continue
        if any(_skip_part(p) for p in n.split("/")[:-1]):
            continue
        files[n] = d
    if not files:
        raise BundleError(f"{path}: the wheel holds no modules")
    reqs = [r for r in meta.get_all("Requires-Dist") or [] if requirement_name(r)]
    return Library(meta.get("Name") or path.name.split("-")[0], meta.get("Version") or AUTO_VERSION,
                   files, {}, reqs, _metadata_repo(meta), str(path), description=meta.get("Summary") or "")


def is_pure_wheel(path: Path) -> bool:
    return path.name.endswith("-none-any.whl")


def _is_repo(folder: Path) -> bool:
    return any((folder / n).is_file() for n in ("pyproject.toml", "setup.cfg", "setup.py", "PKG-INFO"))


def _folder_of_modules(folder: Path) -> list[Library]:
    """Each top-level module or package of a plain folder is one library."""
    libs = []
    for entry in sorted(folder.iterdir()):
        if _skip_part(entry.name) or entry.name in NOT_MODULES:
            continue
        if entry.is_file() and entry.suffix == ".py":
            files = {entry.name: entry.read_bytes()}
        elif entry.is_dir() and (entry / "__init__.py").is_file():
            tree = _folder_tree(entry)
            files = {f"{entry.name}/{n}": tree.read(n) for n in tree.names}
        else:
            continue
        module = entry.stem if entry.is_file() else entry.name
        version = _literal_version(files.get(f"{module}/__init__.py") or files.get(f"{module}.py") or b"")
        libs.append(Library(module, version, files, {}, [], "", str(entry)))
    return libs


def _literal_version(source: bytes) -> str:
    m = re.search(rb"""^__version__\s*=\s*["']([^"']+)["']""", source, re.M)
    return m.group(1).decode("utf-8", "replace") if m else AUTO_VERSION


def _repositories_under(folder: Path, depth: int = 2) -> list[Path]:
    """Library repositories in sub-folders, down to `depth` levels (the Adafruit bundle's
    libraries/drivers/<name>, as build-tools' --library_depth 2), sorted by path."""
    found = []
    for d in sorted(folder.iterdir()):
        if not d.is_dir() or _skip_part(d.name):
            continue
        if _is_repo(d):
            found.append(d)
        elif depth > 1:
            found += _repositories_under(d, depth - 1)
    return found


def discover(path: str | Path) -> list[Library]:
    """The libraries at a path (see the module docstring)."""
    p = Path(path)
    if p.is_dir():
        if _is_repo(p):
            return [from_tree(_folder_tree(p), p.resolve().name)]
        subs = _repositories_under(p)
        if subs:
            return [from_tree(_folder_tree(d), d.name) for d in subs]
        libs = _folder_of_modules(p)
        if not libs:
            raise BundleError(f"{p}: no library found (no pyproject.toml, packages or modules)")
        return libs
    if not p.is_file():
        raise BundleError(f"{p}: no such file or directory")
    if p.name.endswith(".whl"):
        if not is_pure_wheel(p):
            raise BundleError(f"{p}: not a pure-Python wheel")
        return [from_wheel(p)]
    if p.name.endswith((".tar.gz", ".tgz", ".zip")):
        stem = re.sub(r"\.(tar\.gz|tgz|zip)$", "", p.name)
        return [from_tree(_archive_tree(p), stem.rsplit("-", 1)[0])]
    if p.suffix == ".py":
        return _folder_of_modules_file(p)
    raise BundleError(f"{p}: not a library folder, wheel, sdist or .py file")


def _folder_of_modules_file(p: Path) -> list[Library]:
    data = p.read_bytes()
    return [Library(p.stem, _literal_version(data), {p.name: data}, {}, [], "", str(p))]


def from_requirements(req_file: str | Path, pip_options: list[str] = (), with_deps: bool = False,
                      notes: list[str] | None = None) -> list[Library]:
    """Download a requirements file's distributions with pip; keep pure-Python ones.

    pip chooses the versions. With `with_deps` the dependencies are
    followed here, one `pip download --no-deps` round per level, so a
    host-only package (formats/host_only.toml) is never downloaded: it is
    skipped with a line in `notes`. Wheels that are not pure Python are
    left out.
    """
    req_file = Path(req_file)
    if not req_file.is_file():
        raise BundleError(f"{req_file}: no such requirements file")
    if with_deps:
        return _with_dependencies(req_file, list(pip_options), notes if notes is not None else [])
    with tempfile.TemporaryDirectory(prefix="mpycross-pip-") as tmp:
        cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--disable-pip-version-check", "-q",
               "-d", tmp, "-r", str(req_file), *pip_options]
        done = subprocess.run(cmd, capture_output=True, text=True)
        if done.returncode != 0:
            last = (done.stderr.strip().splitlines() or ["pip failed"])[-1]
            raise BundleError(f"{req_file}: pip download failed: {last}")
        libs = []
        for f in sorted(Path(tmp).iterdir()):
            dist = normalize(re.split(r"-\d", f.name, maxsplit=1)[0])
            if dist in HOST_ONLY:
                if notes is not None:
                    notes.append(hostonly.host_only_note(dist))
                continue
            if f.name.endswith(".whl") and not is_pure_wheel(f):
                continue
            try:
                libs.extend(discover(f))
            except BundleError:
                continue  # not a library for a board (no modules)
        return libs


def _with_dependencies(req_file: Path, pip_options: list[str], notes: list[str]) -> list[Library]:
    from mpycross.bundle.pypi import PyPI

    pypi = PyPI(refresh=True, pip_options=tuple(pip_options))
    queue = [(None, line) for line in read_requirements_text(req_file.read_bytes())]
    seen: set[str] = set()
    skipped: dict[str, list[str]] = {}
    libs: list[Library] = []
    while queue:
        batch = []
        for needed_by, line in queue:
            name = requirement_name(line)
            if name is None:
                continue
            if hostonly.is_host_only(name):
                skipped.setdefault(normalize(name), [])
                if needed_by and needed_by not in skipped[normalize(name)]:
                    skipped[normalize(name)].append(needed_by)
                continue
            if normalize(name) not in seen:
                seen.add(normalize(name))
                batch.append(line)
        got = pypi.fetch(batch)
        lacking = [line for line in batch if line not in got]
        if lacking:
            raise BundleError(f"{req_file}: pip download failed: no pure-Python distribution of "
                              f"{', '.join(lacking)}")
        queue = []
        for line in batch:
            try:
                found = discover(got[line])
            except BundleError:
                continue  # not a library for a board (no modules)
            for lib in found:
                libs.append(lib)
                queue += [(lib.name, r) for r in lib.requirements]
    notes += [hostonly.host_only_note(name, by) for name, by in sorted(skipped.items())]
    return libs


def read_requirements_text(data: bytes) -> list[str]:
    return _requirement_lines(data.decode("utf-8", "replace"))
