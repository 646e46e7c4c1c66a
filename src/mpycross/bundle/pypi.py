"""Libraries from PyPI: pip downloads each distribution (wheel, else sdist) into a per-user cache.

pip is only the downloader (`pip download --no-deps`); which distributions
are needed is worked out by the caller from each one's requirements, so a
host-only dependency (formats/host_only.toml) is never downloaded. Files
live in `<cache dir>/pypi/` (`cache.default_cache_dir`). A requirement
that a cached file satisfies is served from the cache without asking PyPI,
unless `refresh` (install `--upgrade`); `offline` never asks PyPI.

Names users type are import names ("adafruit_bme280") or PyPI names
("adafruit-circuitpython-bme280"); `candidates(name)` gives the PyPI
names to try, in order (formats/pypi_names.toml lists the exceptions).
"""

from __future__ import annotations

import functools
import re
import subprocess
import sys
from pathlib import Path

from mpycross.bundle import BundleError

PREFIX = "adafruit-circuitpython-"


def normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


@functools.cache
def _exceptions() -> dict[str, str]:
    from mpycross.resources import data_dir

    try:
        import tomllib
    except ModuleNotFoundError:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    return tomllib.loads((data_dir("formats") / "pypi_names.toml").read_text("utf-8"))["modules"]


def candidates(name: str) -> list[str]:
    """PyPI names to try for what a user typed, most likely first."""
    if name in _exceptions():
        return [_exceptions()[name]]
    if "-" in name or "circuitpython" in name.lower() or "." in name:
        return [name]                                   # already a distribution name
    if name.startswith("adafruit_"):
        return [PREFIX + name[len("adafruit_"):].replace("_", "-"), name]
    return [PREFIX + name.replace("_", "-"), name]


def module_guess(dist: str) -> str:
    """The import name an Adafruit-style distribution most likely provides."""
    dist = normalize(dist)
    for module, name in _exceptions().items():
        if name == dist:
            return module
    if dist.startswith(PREFIX):
        return "adafruit_" + dist[len(PREFIX):].replace("-", "_")
    return dist.replace("-", "_")


def split_requirement(line: str):
    """(normalized name, specifier set) of a requirement line; None if it is not one."""
    from packaging.requirements import InvalidRequirement, Requirement

    try:
        req = Requirement(line)
    except InvalidRequirement:
        return None
    if req.marker is not None and not req.marker.evaluate({"extra": ""}):
        return None
    return normalize(req.name), req.specifier


def _file_key(path: Path):
    """(normalized name, version, is wheel) of a distribution file name, or None."""
    from packaging.utils import InvalidSdistFilename, InvalidWheelFilename, parse_sdist_filename, \
        parse_wheel_filename

    try:
        if path.name.endswith(".whl"):
            name, version, _, tags = parse_wheel_filename(path.name)
            if not any(t.abi == "none" and t.platform == "any" for t in tags):
                return None                             # a compiled extension: nothing for a board
            return name, version, True
        if path.name.endswith((".tar.gz", ".zip")):
            name, version = parse_sdist_filename(path.name)
            return name, version, False
    except (InvalidWheelFilename, InvalidSdistFilename):
        return None
    return None


class PyPI:
    """Download distributions into the cache folder and find them there."""

    def __init__(self, root: Path | None = None, offline: bool = False, refresh: bool = False,
                 pip_options: tuple[str, ...] = (), report=None):
        from mpycross.bundle.cache import default_cache_dir

        self.root = Path(root) if root is not None else default_cache_dir() / "pypi"
        self.offline = offline
        self.refresh = refresh
        self.pip_options = tuple(pip_options)
        self.report = report                 # report(line) before each download
        self.downloaded: list[str] = []      # requirement lines pip was asked for
        self.last_error = ""                 # pip's last line when a download failed
        self._refreshed: set[str] = set()

    def cached(self, line: str, sdist: bool = False) -> Path | None:
        """The newest cached file satisfying a requirement line (a wheel before an sdist; or sdists only)."""
        parsed = split_requirement(line)
        if parsed is None or not self.root.is_dir():
            return None
        name, spec = parsed
        best = None
        for f in self.root.iterdir():
            key = _file_key(f)
            if key is None or key[0] != name or not spec.contains(key[1], prereleases=True) or (sdist and key[2]):
                continue
            rank = (key[1], key[2])
            if best is None or rank > best[0]:
                best = (rank, f)
        return best[1] if best else None

    def download(self, lines: list[str], binary: bool | None = None) -> bool:
        """pip download --no-deps into the cache: wheels preferred (None), wheels only (True), sdists only."""
        self.root.mkdir(parents=True, exist_ok=True)
        choice = ["--prefer-binary"] if binary is None else ["--only-binary" if binary else "--no-binary", ":all:"]
        cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--disable-pip-version-check", "-q",
               "-d", str(self.root), *choice, *self.pip_options, *lines]
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
        except (OSError, subprocess.TimeoutExpired) as err:
            raise BundleError(f"pip download failed: {err}") from None
        if "No module named pip" in done.stderr:
            raise BundleError("downloading from PyPI needs pip in this Python (or pass --offline, --bundle)")
        self.downloaded += lines
        if done.returncode != 0:
            self.last_error = (done.stderr.strip().splitlines() or ["pip failed"])[-1].removeprefix("ERROR: ")
        return done.returncode == 0

    def fetch(self, lines: list[str]) -> dict[str, Path]:
        """Requirement line -> distribution file, for every line that can be had."""
        found: dict[str, Path] = {}
        todo = []
        for line in lines:
            hit = None if self.refresh and line not in self._refreshed else self.cached(line)
            if hit is not None:
                found[line] = hit
            else:
                todo.append(line)
        if not todo or self.offline:
            return found
        if self.report:
            for line in todo:
                self.report(line)
        # One pip run for the lot is far faster; a name PyPI lacks fails the run, so then one each.
        if not self.download(todo) and len(todo) > 1:
            for line in todo:
                self.download([line])
        for line in todo:
            self._refreshed.add(line)
            hit = self.cached(line)
            if hit is not None:
                found[line] = hit
        return found

    def latest_versions(self, names: list[str]) -> dict[str, str]:
        """Normalized name -> the newest release on PyPI (empty offline); one pip run for all.

        `pip install --dry-run --report` resolves without installing and reads
        only the metadata; a name PyPI lacks fails the run, so then one at a time.
        """
        if self.offline or not names:
            return {}
        found = self._report(names)
        if found is None:
            found = {}
            for name in names:
                found.update(self._report([name]) or {})
        return found

    def _report(self, names: list[str]) -> dict[str, str] | None:
        import json

        cmd = [sys.executable, "-m", "pip", "install", "--dry-run", "-q", "--report", "-", "--no-deps",
               "--ignore-installed", "--only-binary", ":all:", "--disable-pip-version-check",
               *self.pip_options, *names]
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
            report = json.loads(done.stdout) if done.returncode == 0 else None
        except (OSError, subprocess.TimeoutExpired, ValueError):
            return None
        if not isinstance(report, dict):
            return None
        return {normalize(i["metadata"]["name"]): i["metadata"]["version"] for i in report.get("install", [])}
