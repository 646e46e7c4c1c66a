"""Download the real-library corpus from PyPI and extract its `.py` files.

The packages are pinned in `packages.txt` beside this file. Each is fetched
once (wheel if there is one, else the sdist) into a cache folder, and its
`.py` files are extracted under `<cache>/src/<package>/`. Run as a script to
warm the cache: `python -m tests.corpus.fetch`.
"""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_CACHE = HERE.parent.parent / ".cache" / "corpus"


def cache_dir() -> Path:
    return Path(os.environ.get("MPYCROSS_CORPUS_DIR", DEFAULT_CACHE))


def requirements() -> list[str]:
    lines = (HERE / "packages.txt").read_text().splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def _download(requirement: str, dest: Path) -> Path | None:
    """Fetch one distribution file into dest; return its path (None if unavailable)."""
    name = requirement.split("==")[0]
    before = set(dest.iterdir())
    for extra in (["--only-binary", ":all:"], ["--no-binary", ":all:"]):
        cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--no-build-isolation",
               "--disable-pip-version-check", "-q", "-d", str(dest), *extra, requirement]
        if subprocess.run(cmd, capture_output=True).returncode == 0:
            new = set(dest.iterdir()) - before
            if new:
                return sorted(new)[0]
            # already downloaded: find it by name
            key = name.replace("-", "_").lower()
            for f in dest.iterdir():
                if f.name.replace("-", "_").lower().startswith(key + "-"):
                    return f
    return None


def _extract(archive: Path, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    if archive.suffix in (".whl", ".zip"):
        with zipfile.ZipFile(archive) as z:
            members = [(m, z.read(m)) for m in z.namelist() if m.endswith(".py")]
    else:
        with tarfile.open(archive) as t:
            members = []
            for m in t.getmembers():
                if m.isfile() and m.name.endswith(".py"):
                    f = t.extractfile(m)
                    if f is not None:
                        members.append((m.name, f.read()))
    for name, data in members:
        parts = [p for p in Path(name).parts if p not in ("..", "/")]
        if any(p in ("setup.py", "conf.py") for p in parts[-1:]) or "docs" in parts:
            continue
        target = out.joinpath(*parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


def _find_downloaded(requirement: str, dest: Path) -> Path | None:
    name, _, version = requirement.partition("==")
    key = f"{name.replace('-', '_').lower()}-{version}"
    for f in sorted(dest.iterdir()):
        if f.name.replace("-", "_").lower().startswith(key.replace("-", "_")):
            return f
    return None


def _batch_download(missing: list[str], dest: Path) -> None:
    """One pip run for every wheel that is missing: far faster than one run each."""
    cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--disable-pip-version-check", "-q",
           "-d", str(dest), "--only-binary", ":all:", *missing]
    subprocess.run(cmd, capture_output=True)


def ensure_corpus() -> Path:
    """Make sure every package is downloaded and extracted; return the source root.

    Safe to call from several test processes at once: a file lock serialises them.
    """
    root = cache_dir()
    root.mkdir(parents=True, exist_ok=True)
    with open(root / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        return _ensure_corpus_locked(root)


def _ensure_corpus_locked(root: Path) -> Path:
    downloads = root / "dist"
    src = root / "src"
    downloads.mkdir(parents=True, exist_ok=True)
    todo = [r for r in requirements() if not (src / r.split("==")[0] / ".done").exists()]
    if len(todo) > 1:
        _batch_download([r for r in todo if _find_downloaded(r, downloads) is None], downloads)
    for requirement in todo:
        name = requirement.split("==")[0]
        marker = src / name / ".done"
        if marker.exists():
            continue
        archive = _find_downloaded(requirement, downloads) or _download(requirement, downloads)
        if archive is None:
            (src / name).mkdir(parents=True, exist_ok=True)
        else:
            _extract(archive, src / name)
        marker.write_text(requirement + "\n")
    return src


def corpus_files() -> list[Path]:
    """Every `.py` file of the corpus, in a fixed order."""
    src = ensure_corpus()
    return sorted(p for p in src.rglob("*.py") if p.is_file())


if __name__ == "__main__":
    files = corpus_files()
    print(f"{len(files)} files in {cache_dir()}")
