"""Find the board's drive when no `--device` is given: exactly one mounted CIRCUITPY volume.

Where operating systems mount it: Linux `/media/<user>/CIRCUITPY`,
`/run/media/<user>/CIRCUITPY` (udisks) and `/media/CIRCUITPY`; macOS
`/Volumes/CIRCUITPY` ("CIRCUITPY 1" for a second board); Windows a drive
letter whose volume label is CIRCUITPY. $MPYCROSS_MOUNT_ROOT puts another
folder in place of "/" for the Linux and macOS patterns (a test, or a
chroot). A drive counts only if it shows a boot_out.txt.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from mpycross.bundle import BundleError

ROOT_ENV = "MPYCROSS_MOUNT_ROOT"
LABEL = "CIRCUITPY"
PATTERNS = ("media/*/CIRCUITPY*", "run/media/*/CIRCUITPY*", "media/CIRCUITPY*", "Volumes/CIRCUITPY*")


def _windows_drives() -> list[Path]:  # pragma: no cover - Windows only
    import ctypes
    import string

    found = []
    kernel32 = ctypes.windll.kernel32
    mask = kernel32.GetLogicalDrives()
    for i, letter in enumerate(string.ascii_uppercase):
        if not mask & (1 << i):
            continue
        root = f"{letter}:\\"
        name = ctypes.create_unicode_buffer(261)
        if kernel32.GetVolumeInformationW(root, name, len(name), None, None, None, None, 0) and \
                name.value == LABEL:
            found.append(Path(root))
    return found


def mounted_boards() -> list[Path]:
    """Every mounted CIRCUITPY volume that shows a boot_out.txt, sorted."""
    root = os.environ.get(ROOT_ENV)
    if sys.platform == "win32" and not root:  # pragma: no cover
        candidates = _windows_drives()
    else:
        base = Path(root or "/")
        candidates = [p for pattern in PATTERNS for p in base.glob(pattern)]
    return sorted({p for p in candidates if (p / "boot_out.txt").is_file()})


def find_board() -> Path:
    boards = mounted_boards()
    if len(boards) == 1:
        return boards[0]
    if not boards:
        raise BundleError("no CIRCUITPY drive found (is the board plugged in and mounted?); pass --device PATH")
    raise BundleError(f"{len(boards)} CIRCUITPY drives found ({', '.join(map(str, boards))}); "
                      "pass --device PATH")


def device_folder(device: str | None) -> Path:
    """--device as given (a drive folder, or its boot_out.txt), else the one mounted board."""
    if device is None:
        return find_board()
    path = Path(device)
    if path.is_file() and path.name.lower() in ("boot_out.txt", "sys_implementation.txt"):
        return path.parent
    return path
