"""A content-addressed store of compiled files, so unchanged files are not compiled again.

The key is a sha256 of everything the output depends on: the source bytes,
the name stored in the file, the target, the options and the compiler
itself (its version and a digest of its code and data files, so a changed
compiler never serves stale bytes). Entries live at
`<cache dir>/mpy/<2 hex>/<key>.mpy` (the sha256 of the bytes, then the
bytes), each written atomically; a damaged or missing entry is simply
compiled again. A file the compiler rejects is remembered too, as its error
(`<key>.err`, JSON), so an unchanged tree with a broken file costs nothing.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import sys
from pathlib import Path

CACHE_ENV = "MPYCROSS_CACHE_DIR"
LAYOUT = b"mpycross-cache-1"


def default_cache_dir() -> Path:
    """$MPYCROSS_CACHE_DIR, else the platform's user cache folder + /mpycross."""
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or os.path.expanduser("~/AppData/Local")
        return Path(base) / "mpycross" / "Cache"
    if sys.platform == "darwin":
        return Path(os.path.expanduser("~/Library/Caches")) / "mpycross"
    return Path(os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache")) / "mpycross"


@functools.cache
def tool_fingerprint() -> str:
    """Version plus a digest of the files that decide the compiler's output."""
    import mpycross
    from mpycross.resources import data_dir

    pkg = Path(mpycross.__file__).resolve().parent
    h = hashlib.sha256(mpycross.__version__.encode())
    groups = [(pkg / "compiler", "*.py"), (pkg / "mpy", "*.py"), (data_dir("formats"), "**/*.toml"),
              (data_dir("grammar"), "*")]
    for folder, pattern in groups:
        for f in sorted(folder.glob(pattern)):
            if f.is_file():
                h.update(f.name.encode() + b"\0" + f.read_bytes() + b"\0")
    h.update((pkg / "targets.py").read_bytes())
    return h.hexdigest()


class CompileCache:
    """get/put compiled bytes by key; a disabled cache stores nothing."""

    def __init__(self, root: Path | None = None, enabled: bool = True):
        self.root = Path(root) if root is not None else default_cache_dir()
        self.enabled = enabled
        self.hits = 0
        self.misses = 0

    @staticmethod
    def key(source: bytes, source_name: str, target: str, opt: int) -> str:
        h = hashlib.sha256(LAYOUT)
        for part in (tool_fingerprint().encode(), target.encode(), str(opt).encode(),
                     source_name.encode("utf-8", "surrogateescape")):
            h.update(len(part).to_bytes(4, "little") + part)
        h.update(source)
        return h.hexdigest()

    def _path(self, key: str, suffix: str = ".mpy") -> str:
        return os.path.join(self._mpy_dir, key[:2], key + suffix)

    @functools.cached_property
    def _mpy_dir(self) -> str:
        return os.path.join(str(self.root), "mpy")

    def _read(self, path: str) -> bytes:
        try:
            with open(path, "rb") as f:
                return f.read()
        except OSError:
            return b""

    def get(self, key: str) -> bytes | None:
        if not self.enabled:
            return None
        stored = self._read(self._path(key))
        digest, data = stored[:32], stored[32:]
        if len(digest) != 32 or hashlib.sha256(data).digest() != digest:
            self.misses += 1
            return None
        self.hits += 1
        return data

    def put(self, key: str, data: bytes) -> None:
        if self.enabled:
            self._store(self._path(key), hashlib.sha256(data).digest() + data)

    def get_error(self, key: str) -> dict | None:
        """The error the compiler gave for this key, if it was remembered."""
        if not self.enabled:
            return None
        stored = self._read(self._path(key, ".err"))
        try:
            error = json.loads(stored) if stored else None
        except ValueError:
            error = None
        return error if isinstance(error, dict) else None

    def put_error(self, key: str, error: dict) -> None:
        if self.enabled:
            self._store(self._path(key, ".err"), json.dumps(error, sort_keys=True).encode())

    @staticmethod
    def _store(path: str, content: bytes) -> None:
        """Written atomically, so parallel runs never see half a file."""
        from mpycross.fileio import write_atomically

        try:
            write_atomically(path, content)
        except OSError:
            pass  # a read-only or full cache only costs speed
