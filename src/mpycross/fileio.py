"""Writing files so that nobody ever sees half of one: the one atomic-write helper
(and `read_bytes`, the quick whole-file read of a batch).

Every output mpycross writes (a `.mpy`, a bundle zip, a file on a board, a
cache entry) goes through `write_atomically`: the bytes go to a new file in
the same folder, which is then renamed over the target. A reader sees the
old file or the new one; a run that fails or is killed leaves the old file
untouched. Kept free of heavy imports (no tempfile): `mpy-cross foo.py`
starts through here.
"""

from __future__ import annotations

import os

_UMASK: int | None = None


def _umask() -> int:
    global _UMASK
    if _UMASK is None:
        _UMASK = os.umask(0o022)
        os.umask(_UMASK)
    return _UMASK


def _new_file(folder: str, prefix: str) -> tuple[int, str]:
    """A new file in `folder` that no other writer opens (a name with this process's id, made
    with O_EXCL), with the usual permissions (0666 minus umask, applied by the system as it is
    made: no chmod afterwards). Raises FileNotFoundError when `folder` does not exist."""
    flags = os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0) | getattr(os, "O_NOFOLLOW", 0)
    for attempt in range(10000):
        name = os.path.join(folder, f"{prefix}.{os.getpid()}-{attempt}.tmp")
        try:
            return os.open(name, flags, 0o666), name
        except FileExistsError:
            continue
    raise FileExistsError(f"no usable temporary file name in {folder}")


def write_atomically(path, data: bytes, *, durable: bool = False, temp_name: str | None = None) -> None:
    """Write `data` to `path` through a temporary file in the same folder and a rename.

    The folder is created if needed and the file gets the usual permissions
    (0666 minus umask). `durable`: fsync the file and the folder too (a board's
    drive, which may be unplugged at any moment). `temp_name`: a fixed name for
    the temporary file (so a later run can find and remove one a killed run
    left); by default a fresh private name. Raises OSError; the temporary file
    is removed on any failure.
    """
    path = os.fspath(path)
    folder = os.path.dirname(path) or "."
    if temp_name is None:
        # the folder is made only when it is missing: a batch writes many files into each
        # folder, and a mkdir that finds the folder there costs as much as the write's open
        try:
            fd, tmp = _new_file(folder, "." + os.path.basename(path))
        except FileNotFoundError:
            os.makedirs(folder, exist_ok=True)
            fd, tmp = _new_file(folder, "." + os.path.basename(path))
    else:
        os.makedirs(folder, exist_ok=True)
        tmp = os.path.join(folder, temp_name)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0), 0o600)
    try:
        try:
            _write_all(fd, data)
            if durable:
                os.fsync(fd)
        finally:
            os.close(fd)
        if temp_name is not None:  # (a file left by a killed run keeps its old mode)
            os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    if durable:
        _sync_folder(folder)


def _write_all(fd: int, data: bytes) -> None:
    """os.write until all of `data` is written (no file object: a batch writes hundreds)."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _sync_folder(folder: str) -> None:
    """Make the rename durable where the OS allows it (not on Windows)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def read_bytes(path: str) -> bytes:
    """The whole file, as open(path, "rb").read() gives it (raises OSError), at half its cost:
    no file object (a warm `mpycross compile` reads every source and some outputs this way)."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        chunk = os.read(fd, _CHUNK)
        if len(chunk) < _CHUNK:
            return chunk
        chunks = [chunk]
        while chunk:
            chunk = os.read(fd, _CHUNK)
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


_CHUNK = 1 << 20
