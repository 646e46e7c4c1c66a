"""Locate the data folders (`grammar/`, `formats/`) in a wheel or a source tree.

In a wheel they sit inside the package; in a source checkout (editable
install, or tests run from the tree) they sit at the repository root.
TOML data files are parsed once and kept, in a fast form, in the user's
cache folder (`cache_dir`).

The compiler's start-up path uses the string forms (`data_path`,
`cache_folder`): pathlib and what it imports cost more than a small compile.
"""

from __future__ import annotations

import functools
import marshal
import os
import sys
import zlib

_PACKAGE_DIR = os.path.dirname(os.path.realpath(__file__))


@functools.cache
def _data_folder(name: str) -> str:
    for candidate in (os.path.join(_PACKAGE_DIR, name), os.path.join(os.path.dirname(os.path.dirname(_PACKAGE_DIR)), name)):
        if os.path.isdir(candidate):
            return candidate
    raise FileNotFoundError(f"mpycross data folder {name!r} is missing from the installation")


def data_path(name: str, *parts: str) -> str:
    """The path of a file in the data folder `name` ("grammar" or "formats")."""
    return os.path.join(_data_folder(name), *parts)


def data_dir(name: str):
    """Return the folder `name` ("grammar" or "formats"), as a Path."""
    from pathlib import Path

    return Path(_data_folder(name))


def cache_dir():
    """A writable folder for caches as a Path (see cache_folder), or None."""
    folder = cache_folder()
    if folder is None:
        return None
    from pathlib import Path

    return Path(folder)


def cache_folder() -> str | None:
    """A writable folder for caches (never the package, which may be read-only), or None.

    $MPYCROSS_CACHE_DIR, else the user's cache folder, else the temp folder. Found once
    per value of the variables it depends on (a compile asks a dozen times).
    """
    key = (os.environ.get("MPYCROSS_CACHE_DIR"), os.environ.get("XDG_CACHE_HOME"),
           os.environ.get("LOCALAPPDATA"), os.environ.get("HOME"))
    folder = _found_folders.get(key)
    if folder is None or not os.path.isdir(folder):  # (no folder: looked for again next time)
        folder = _found_folders[key] = _find_cache_folder()
    return folder


_found_folders: dict = {}


def _find_cache_folder() -> str | None:
    candidates: list = []
    env = os.environ.get("MPYCROSS_CACHE_DIR")
    if env:
        candidates.append(env)
    xdg = os.environ.get("XDG_CACHE_HOME")
    if xdg:
        candidates.append(os.path.join(xdg, "mpycross"))
    elif sys.platform == "win32" and os.environ.get("LOCALAPPDATA"):
        candidates.append(os.path.join(os.environ["LOCALAPPDATA"], "mpycross", "Cache"))
    else:
        candidates.append(os.path.join(os.path.expanduser("~"), ".cache", "mpycross"))
    candidates.append(None)  # the temp folder: only looked up if needed (tempfile is slow to import)
    for folder in candidates:
        if folder is None:
            import tempfile

            user = os.getuid() if hasattr(os, "getuid") else "user"
            folder = os.path.join(tempfile.gettempdir(), f"mpycross-{user}")
            try:
                os.mkdir(folder, 0o700)
            except FileExistsError:
                pass
            except OSError:
                continue
            # the caches hold parser tables (and Lark's pickled cache): in a shared temp folder, use only
            # a folder this user owns and nobody else can write to
            if not _private(folder):
                continue
        try:
            if not os.path.isdir(folder):
                os.makedirs(folder, exist_ok=True)
            if os.access(folder, os.W_OK):
                return folder
        except OSError:
            continue
    return None


def _private(folder: str) -> bool:
    if not hasattr(os, "getuid"):
        return True
    st = os.lstat(folder)
    import stat

    return stat.S_ISDIR(st.st_mode) and st.st_uid == os.getuid() and not st.st_mode & 0o022


def _parse_toml(text: bytes) -> dict:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on 3.10 only
        import tomli as tomllib
    return tomllib.loads(text.decode("utf-8"))


def read_cache_file(path: str):
    """The value marshalled in a cache file, or None when it is missing or unreadable."""
    try:
        with open(path, "rb") as f:
            return marshal.loads(f.read())  # (marshal.load(f) reads in tiny pieces)
    except (OSError, EOFError, ValueError, TypeError):
        return None


def write_cache_file(path: str, value) -> None:
    """Marshal `value` into a cache file, atomically; a value marshal cannot hold, or an
    unwritable cache, only costs speed."""
    from mpycross.fileio import write_atomically

    try:
        write_atomically(path, marshal.dumps(value))  # readers never see half a file
    except (OSError, ValueError):
        pass


def load_toml(path) -> dict:
    """Parse a TOML data file (tomllib on 3.11+, tomli before); a fresh dict each call.

    tomllib's import and parse cost more than the rest of `mpy-cross foo.py`'s
    start-up, so the parsed data is cached with marshal next to a copy of the
    file's bytes: the cache is used only while the file is unchanged.
    """
    path = os.fspath(path)
    with open(path, "rb") as f:
        text = f.read()
    folder = cache_folder()
    if folder is None:
        return _parse_toml(text)
    where = f"{os.path.abspath(path)}\0{sys.version_info[:2]}\0{marshal.version}".encode("utf-8", "surrogateescape")
    stem = os.path.splitext(os.path.basename(path))[0]
    cached = os.path.join(folder, "toml", f"{stem}-{zlib.crc32(where):08x}.marshal")
    stored = read_cache_file(cached)
    if type(stored) is tuple and len(stored) == 2 and stored[0] == text:
        return stored[1]
    data = _parse_toml(text)  # missing, unreadable or stale
    write_cache_file(cached, (text, data))  # (TOML dates cannot be marshalled: not cached)
    return data


def load_derived(name: str, paths: tuple, build):
    """`build(*paths)`: data worked out from data files, cached with marshal while the files'
    bytes and `build`'s own code are unchanged (`name` names the cache file). The result must
    be what marshal can hold; a fresh copy each call."""
    texts = []
    for path in paths:
        with open(path, "rb") as f:
            texts.append(f.read())
    folder = cache_folder()
    if folder is None:
        return build(*paths)
    where = "\0".join([name, *map(os.path.abspath, paths), str(sys.version_info[:2]), str(marshal.version)])
    key = zlib.crc32(marshal.dumps(build.__code__), zlib.crc32(where.encode("utf-8", "surrogateescape")))
    cached = os.path.join(folder, "derived", f"{name}-{key:08x}.marshal")
    stored = read_cache_file(cached)
    if type(stored) is tuple and len(stored) == 2 and stored[0] == tuple(texts):
        return stored[1]
    value = build(*paths)  # missing, unreadable or stale
    write_cache_file(cached, (tuple(texts), value))
    return value
