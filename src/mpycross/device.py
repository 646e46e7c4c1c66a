"""Which firmware a board runs, read from what the board shows.

`detect_target(path)` accepts:

* a mounted CircuitPython drive (a folder holding `boot_out.txt`), or that
  `boot_out.txt` itself: its first line reads "Adafruit CircuitPython 9.2.1
  on 2024-11-20; Adafruit Feather RP2040 with rp2040";
* for MicroPython boards (which rarely mount as a drive), a text file, or a
  folder holding `boot_out.txt` or `sys_implementation.txt`, with any of:
  - the REPL banner: "MicroPython v1.22.2 on 2024-02-22; Raspberry Pi Pico
    with RP2040";
  - the output of `import sys; print(sys.implementation)`:
    "(name='micropython', version=(1, 22, 2, ''), _machine='...', _mpy=7942)";
  - a bare "_mpy=7942" or "mpy:7942" (the .mpy version the firmware loads).

A MicroPython release number is mapped to the newest known target at or
before it, within its major version. A CircuitPython release is mapped as
`targets.circuitpython_release` maps it (its minor's rules; a release newer
or older than our data the nearest one whose files it loads, with a
TargetWarning naming it). A `_mpy` number alone maps by .mpy version
(`targets.target_for_sys_mpy`).
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from pathlib import Path

from mpycross.errors import TargetError, TargetWarning
from mpycross.targets import Target, all_targets, circuitpython_release, target_for_sys_mpy

BOOT_OUT = "boot_out.txt"
SYS_IMPLEMENTATION = "sys_implementation.txt"

_BANNER = re.compile(r"(?:Adafruit\s+)?(?P<family>CircuitPython|MicroPython)\s+v?"
                     r"(?P<version>\d+(?:\.\d+){0,2})(?P<pre>-[0-9A-Za-z.]+)?",
                     re.IGNORECASE)
_SYS_IMPL = re.compile(r"name\s*=\s*'(?P<name>\w+)'\s*,\s*version\s*=\s*\((?P<v>\s*\d+\s*,\s*\d+\s*,\s*\d+)")
_MPY = re.compile(r"(?:_mpy\s*=\s*|\bmpy:)(?P<n>\d+)")
_BOARD = re.compile(r";\s*(?P<board>[^\r\n]*)")

@dataclass(frozen=True)
class Firmware:
    """What a board reports: family ("circuitpython"/"micropython"), version, board, _mpy."""

    family: str | None
    version: str | None     # "9.2.1"
    board: str = ""
    sys_mpy: int | None = None
    prerelease: str = ""    # "alpha.1" of "11.0.0-alpha.1"


def _vkey(text: str) -> tuple[int, ...]:
    return tuple(int(x) for x in text.split("."))


def parse_firmware(text: str) -> Firmware:
    """The firmware a boot_out.txt, REPL banner or sys.implementation text names."""
    mpy = _MPY.search(text)
    sys_mpy = int(mpy.group("n")) if mpy else None
    impl = _SYS_IMPL.search(text)
    if impl:
        version = ".".join(p.strip() for p in impl.group("v").split(","))
        return Firmware(impl.group("name").lower(), version, "", sys_mpy)
    for line in text.splitlines():
        m = _BANNER.search(line)
        if m:
            board = _BOARD.search(line[m.end():])
            return Firmware(m.group("family").lower(), m.group("version"),
                            board.group("board").strip() if board else "", sys_mpy,
                            (m.group("pre") or "")[1:])
    if sys_mpy is not None:
        return Firmware(None, None, "", sys_mpy)
    raise TargetError("no CircuitPython or MicroPython version found (expected a line like "
                      "'Adafruit CircuitPython 9.2.1 on 2024-11-20; ...' or 'MicroPython v1.22.2 on ...', "
                      "a sys.implementation text, or _mpy=<number>)")


def target_for_firmware(fw: Firmware) -> Target:
    """The target a reported firmware needs (see the module docstring)."""
    if fw.version is None:
        return target_for_sys_mpy(fw.sys_mpy)
    if fw.family == "circuitpython":
        text = fw.version + (f"-{fw.prerelease}" if fw.prerelease else "")
        target, note = circuitpython_release(_vkey(fw.version), text)
        if note:
            warnings.warn(note, TargetWarning, stacklevel=2)
        return target
    want = _vkey(fw.version) + (0,) * (3 - len(fw.version.split(".")))
    same = [t for t in all_targets() if t.family == fw.family and _vkey(t.release)[0] == want[0]]
    older = [t for t in same if _vkey(t.release) <= want]
    if older:
        return max(older, key=lambda t: _vkey(t.release))
    known = ", ".join(t.name for t in all_targets() if t.family == fw.family)
    raise TargetError(f"{fw.family} {fw.version} has no matching target; known: {known}")


def read_firmware(path) -> Firmware:
    """Read the firmware from a drive folder or a text file (see the module docstring)."""
    path = Path(path)
    if path.is_dir():
        for name in (BOOT_OUT, SYS_IMPLEMENTATION):
            if (path / name).is_file():
                path = path / name
                break
        else:
            raise TargetError(f"{path}: no {BOOT_OUT} or {SYS_IMPLEMENTATION} (is this a CIRCUITPY drive?)")
    try:
        text = path.read_text("utf-8", "replace")
    except OSError as err:
        raise TargetError(f"{path}: cannot read: {err.strerror or err}") from None
    try:
        return parse_firmware(text)
    except TargetError as err:
        raise TargetError(f"{path}: {err}") from None


def detect_target(path) -> Target:
    """The target for the board at `path` (a mounted drive, or a file it showed)."""
    return target_for_firmware(read_firmware(path))
