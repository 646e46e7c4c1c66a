"""A content-addressed store of compiled files, so unchanged files are not compiled again.

The key is a sha256 of everything the output depends on: the source bytes,
the name stored in the file, the target, the options and the compiler
itself (its version and a digest of its code and data files, so a changed
compiler never serves stale bytes). Entries live at
`<cache dir>/mpy/<2 hex>/<key>.mpy` (the sha256 of the bytes, then the
bytes), each written atomically; a damaged or missing entry is simply
compiled again. A file the compiler rejects is remembered too, as its error
(`<key>.err`, a marshalled dict), so an unchanged tree with a broken file costs nothing.
"""

from __future__ import annotations

import functools
import os
import sys

from mpycross.fileio import read_bytes


def _sha256_class():
    """hashlib.sha256, taken from Python's own SHA-2 module where there is one: hashlib
    loads OpenSSL, a tenth of a warm `mpycross compile` (the digests are the same)."""
    try:
        return __import__("_sha2" if sys.version_info >= (3, 12) else "_sha256").sha256
    except (ImportError, AttributeError):  # (a Python built without it)
        pass
    from hashlib import sha256

    return sha256


sha256 = _sha256_class()

CACHE_ENV = "MPYCROSS_CACHE_DIR"
LAYOUT = b"mpycross-cache-2"  # (2: errors kept with marshal)
_ERROR_FIELDS = {"file", "line", "kind", "message"}


def default_cache_folder() -> str:
    """$MPYCROSS_CACHE_DIR, else the platform's user cache folder + /mpycross."""
    if os.environ.get(CACHE_ENV):
        return os.environ[CACHE_ENV]
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or os.path.expanduser("~/AppData/Local")
        return os.path.join(base, "mpycross", "Cache")
    if sys.platform == "darwin":
        return os.path.join(os.path.expanduser("~/Library/Caches"), "mpycross")
    return os.path.join(os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "mpycross")


def default_cache_dir():
    """default_cache_folder() as a Path."""
    from pathlib import Path

    return Path(default_cache_folder())


def _files(folder: str, suffix: str, recursive: bool) -> list[tuple[str, str]]:
    """(name relative to `folder` with "/", path) of its files ending in `suffix`, sorted by name."""
    found = []
    for entry in os.scandir(folder):
        if entry.is_dir():
            if recursive:
                found += [(f"{entry.name}/{name}", path) for name, path in _files(entry.path, suffix, True)]
        elif entry.name.endswith(suffix):
            found.append((entry.name, entry.path))
    return sorted(found)


def _fingerprinted_files() -> list[tuple[str, str]]:
    """(name, path) of the files that decide the compiler's output, in a fixed order."""
    import mpycross
    from mpycross.resources import data_path

    pkg = os.path.dirname(os.path.abspath(mpycross.__file__))
    groups = [(os.path.join(pkg, "compiler"), ".py", False), (os.path.join(pkg, "mpy"), ".py", False),
              (data_path("formats"), ".toml", True), (data_path("grammar"), "", False)]
    files = [item for folder, suffix, recursive in groups for item in _files(folder, suffix, recursive)]
    return files + [("", os.path.join(pkg, "targets.py"))]  # (hashed without its name)


@functools.cache
def tool_fingerprint() -> str:
    """Version plus a digest of the files that decide the compiler's output.

    Reading and hashing those files (about 1.5 MB) was a fifth of a warm `mpycross compile`,
    so the digest is remembered in the tool's cache folder with the stat of every file, and
    served while those stats stay as they were (by the index's rule: only stats older than
    the moment they were taken by more than a filesystem's time resolution are kept)."""
    import time

    import mpycross
    from mpycross.resources import cache_folder, read_cache_file, write_cache_file

    files = _fingerprinted_files()
    stats = tuple((name, stat_of(path)) for name, path in files)
    memo_path = None
    folder = cache_folder()
    if folder is not None:
        memo_path = os.path.join(folder, "fingerprint.marshal")
        memo = read_cache_file(memo_path)
        if type(memo) is tuple and len(memo) == 3 and memo[:2] == (mpycross.__version__, stats) \
                and type(memo[2]) is str:
            return memo[2]
    taken = time.time_ns()
    h = sha256(mpycross.__version__.encode())
    for name, path in files:
        with open(path, "rb") as f:
            data = f.read()
        h.update(data if not name else name.encode() + b"\0" + data + b"\0")
    fingerprint = h.hexdigest()
    settled = all(st is not None and max(st[1], st[2]) + OutputIndex.SLACK_NS <= taken for _, st in stats)
    if memo_path is not None and settled:
        write_cache_file(memo_path, (mpycross.__version__, stats, fingerprint))
    return fingerprint


@functools.cache
def _key_start(target: str, opt: int):
    """The hash of a key's first parts (layout, compiler, target, options), to be copied per file."""
    h = sha256(LAYOUT)
    for part in (tool_fingerprint().encode(), target.encode(), str(opt).encode()):
        h.update(len(part).to_bytes(4, "little") + part)
    return h


class CompileCache:
    """get/put compiled bytes by key; a disabled cache stores nothing."""

    def __init__(self, root=None, enabled: bool = True):
        self.root = os.fspath(root) if root is not None else default_cache_folder()
        self.enabled = enabled
        self.hits = 0
        self.misses = 0

    @staticmethod
    def key(source: bytes, source_name: str, target: str, opt: int) -> str:
        h = _key_start(target, opt).copy()
        name = source_name.encode("utf-8", "surrogateescape")
        h.update(len(name).to_bytes(4, "little") + name)
        h.update(source)
        return h.hexdigest()

    def _path(self, key: str, suffix: str = ".mpy") -> str:
        return os.path.join(self._mpy_dir, key[:2], key + suffix)

    @functools.cached_property
    def _mpy_dir(self) -> str:
        return os.path.join(self.root, "mpy")

    def _read(self, path: str) -> bytes:
        try:
            return read_bytes(path)
        except OSError:
            return b""

    def get(self, key: str) -> bytes | None:
        if not self.enabled:
            return None
        stored = self._read(self._path(key))
        digest, data = stored[:32], stored[32:]
        if len(digest) != 32 or sha256(data).digest() != digest:
            self.misses += 1
            return None
        self.hits += 1
        return data

    def put(self, key: str, data: bytes) -> None:
        if self.enabled:
            self._store(self._path(key), sha256(data).digest() + data)

    def get_error(self, key: str) -> dict | None:
        """The error the compiler gave for this key, if it was remembered."""
        if not self.enabled:
            return None
        stored = self._read(self._path(key, ".err"))
        import marshal

        try:
            error = marshal.loads(stored) if stored else None
        except (ValueError, EOFError, TypeError):
            return None
        if not (isinstance(error, dict) and set(error) == _ERROR_FIELDS and all(
                isinstance(error[k], str) for k in ("file", "kind", "message"))
                and (error["line"] is None or type(error["line"]) is int)):
            return None
        return error

    def put_error(self, key: str, error: dict) -> None:
        if self.enabled:
            import marshal

            # (marshal, not JSON: a warm run over a tree with a broken file imports no json, nor re)
            self._store(self._path(key, ".err"), marshal.dumps(dict(sorted(error.items()))))

    @staticmethod
    def _store(path: str, content: bytes) -> None:
        """Written atomically, so parallel runs never see half a file."""
        from mpycross.fileio import write_atomically

        try:
            write_atomically(path, content)
        except OSError:
            pass  # a read-only or full cache only costs speed


def stat_of(path: str) -> tuple | None:
    """(size, mtime_ns, ctime_ns, inode) of a file, or None when it cannot be read."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


class OutputIndex:
    """Which output files an earlier `mpycross compile` left holding which cache entry's bytes.

    One index per command line (working folder, the paths given, the output
    folder), at `<cache dir>/outputs/<digest>.marshal`: output path -> (key,
    size, mtime_ns, ctime_ns, inode, recorded_ns[, source_stat, context]), the
    file's stat taken right after it was written or found to hold the right
    bytes. A later run that computes the same key and finds the same stat takes
    the file as settled without reading it or the cache entry. With the source's
    stat (taken before it was read for that key) and the context (the key of
    the same compile without the source's bytes: tool, target, options, name),
    a later run that finds the source's stat and the context unchanged too
    does not even read the source (`settled_unread`). As with git's index, a
    stat is trusted only if the file's mtime was older than the moment of
    recording by more than a filesystem's time resolution (a file rewritten
    within it could keep its stat); the ctime in each stat changes with any
    write, whatever mtime is set afterwards. Losing or damaging the index
    costs only speed; each run writes it whole and atomically.
    """

    SLACK_NS = 2_000_000_000  # FAT (a CIRCUITPY drive) keeps mtimes to 2 s

    def __init__(self, cache: CompileCache, paths: list[str], out_dir: str | None):
        self.enabled = cache.enabled
        command = repr((os.getcwd(), list(paths), None if out_dir is None else os.path.abspath(out_dir)))
        digest = sha256(command.encode("utf-8", "surrogateescape")).hexdigest()[:32]
        self.path = os.path.join(cache.root, "outputs", digest + ".marshal")
        self.before = self._load() if self.enabled else {}
        self.after: dict = {}

    def _load(self) -> dict:
        import marshal

        try:
            stored = marshal.loads(read_bytes(self.path))
        except (OSError, ValueError, EOFError, TypeError):
            return {}
        return stored if isinstance(stored, dict) else {}  # (entries of another shape never match: settled)

    def _entry(self, output: str):
        """The index's entry for `output` if that file's stat is still the recorded one."""
        entry = self.before.get(output)
        if type(entry) is not tuple or len(entry) not in (6, 8) or type(entry[5]) is not int:
            return None
        if stat_of(output) != entry[1:5] or entry[2] + self.SLACK_NS > entry[5]:
            return None
        return entry

    def settled(self, output: str, key: str, source_check: tuple | None = None) -> bool:
        """Whether `output` still holds what the cache entry `key` holds, by its stat alone
        (`source_check`: see record; kept with the entry from now on)."""
        entry = self._entry(output)
        if entry is None or entry[0] != key:
            return False
        if source_check is not None and source_check[0] is not None:
            import time

            # the output's stat is the recorded one, older than the slack: true now as well
            entry = (*entry[:5], time.time_ns(), *source_check)
        self.after[output] = entry
        return True

    def settled_unread(self, output: str, source: str, context: str) -> str | None:
        """The cache key `output` holds the bytes of, when the stats of `output` and of the
        `source` it was compiled from, and the `context`, are all as recorded (else None)."""
        entry = self._entry(output)
        if entry is None or len(entry) != 8 or entry[7] != context:
            return None
        source_stat = entry[6]
        if type(source_stat) is not tuple or len(source_stat) != 4 or stat_of(source) != source_stat \
                or source_stat[1] + self.SLACK_NS > entry[5]:
            return None
        self.after[output] = entry
        return entry[0]

    def record(self, output: str, key: str | None, source_check: tuple | None = None) -> None:
        """`output` now holds the bytes of cache entry `key` (written or checked just now);
        `source_check`: (the source's stat before it was read, the context), see settled_unread."""
        import time

        if not self.enabled or key is None:
            return
        st = stat_of(output)
        if st is None:
            return
        entry = (key, *st, time.time_ns())
        if source_check is not None and source_check[0] is not None:
            entry += tuple(source_check)
        self.after[output] = entry

    def save(self) -> None:
        if self.enabled and self.after != self.before:
            import marshal

            CompileCache._store(self.path, marshal.dumps(self.after))
