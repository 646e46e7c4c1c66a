"""A board's drive: which firmware it runs, and installing files into its `lib/` safely.

The firmware comes from boot_out.txt, whose first line reads like
"Adafruit CircuitPython 9.2.1 on 2024-11-20; Adafruit Feather RP2040 with
rp2040" (a MicroPython board's folder may carry the same kind of line:
"MicroPython v1.22.2 on 2024-02-22; Raspberry Pi Pico with RP2040"); the
reading itself is `mpycross.device`'s, shared with `--target auto`.

An install is planned first (`plan_install`), then applied (`apply`):
only files whose bytes differ are written; each goes to a temporary name
beside its destination, is fsynced and renamed over the old file, so a
board unplugged mid-copy keeps either the old or the new file, never half
of one. Files that would hide the new ones are removed after the writes.
Free space is checked before anything is written.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from mpycross.bundle import BundleError

TMP_PREFIX = ".mpycross-"
TMP_SUFFIX = ".tmp"
CODE_SUFFIXES = (".py", ".mpy")


@dataclass(frozen=True)
class Firmware:
    family: str        # "circuitpython" or "micropython" ("firmware" when only _mpy is known)
    version: str       # "9.2.1" (or "_mpy=7942")
    board: str         # "Adafruit Feather RP2040 with rp2040"
    target: str        # target name the version maps to ("circuitpython-9.2")
    note: str = ""     # set when another release's rules serve this firmware (its TargetWarning)


def _firmware(fw) -> Firmware:
    """Our view of `mpycross.device`'s reading: the target and whether it is a near match."""
    import warnings

    from mpycross.device import target_for_firmware
    from mpycross.errors import TargetError, TargetWarning

    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", TargetWarning)
            target = target_for_firmware(fw)
    except TargetError as err:
        raise BundleError(f"{err} (pass --target)") from None
    family = fw.family or "firmware"
    version = fw.version or f"_mpy={fw.sys_mpy}"
    note = "; ".join(str(w.message) for w in caught if issubclass(w.category, TargetWarning))
    return Firmware(family, version, fw.board, target.name, note)


def parse_boot_line(text: str) -> Firmware:
    """The firmware a boot_out.txt names (parsing shared with `--target auto`: mpycross.device)."""
    from mpycross.device import parse_firmware
    from mpycross.errors import TargetError

    try:
        return _firmware(parse_firmware(text))
    except TargetError as err:
        raise BundleError(str(err)) from None


def read_firmware(device: Path) -> Firmware:
    """The firmware of the board at `device` (its boot_out.txt or sys_implementation.txt)."""
    from mpycross.device import read_firmware as read
    from mpycross.errors import TargetError

    try:
        return _firmware(read(device))
    except TargetError as err:
        raise BundleError(f"{err}; pass --target") from None


def check_device(device: Path) -> None:
    if not device.is_dir():
        raise BundleError(f"{device}: no such folder (is the board mounted?)")


@dataclass
class Action:
    op: str                 # "write" or "remove"
    path: str               # posix path under the device root ("lib/foo.mpy")
    why: str                # "new", "changed", "shadows lib/foo.mpy", ...
    data: bytes | None = field(default=None, repr=False)
    kind: str = ""          # removals: "shadow" (a user's file that would hide a new one), "stale", "leftover"


@dataclass
class Plan:
    writes: list[Action]
    removes: list[Action]
    unchanged: list[str]
    needed: int             # peak extra bytes on the drive while applying (cluster-rounded)
    free: int

    @property
    def actions(self) -> list[Action]:
        return self.writes + self.removes


def _cluster(device: Path) -> int:
    try:
        return max(512, os.statvfs(device).f_frsize)
    except (AttributeError, OSError):
        return 512


def _rounded(size: int, cluster: int) -> int:
    return -(-size // cluster) * cluster


def _code_files_under(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix in CODE_SUFFIXES)


def plan_install(device: Path, files: dict[str, bytes], packages: list[str]) -> Plan:
    """What to write and remove so that lib/ holds `files` (paths under lib/).

    `packages` are the top-level names being installed: code files under a
    package folder that the new version no longer has are removed, and a
    top-level file of the same name (which the package folder would hide,
    py/builtinimport.c: stat_module looks for a folder first) too.
    """
    lib = device / "lib"
    cluster = _cluster(device)
    writes, removes, unchanged = [], [], []
    wanted = {f"lib/{p}" for p in files}
    growth = peak = 0
    for rel in sorted(files):
        data = files[rel]
        dest = lib / rel
        old = None
        if dest.is_file():
            try:
                old = dest.read_bytes()
            except OSError:
                old = None
        if old == data:
            unchanged.append(f"lib/{rel}")
            continue
        writes.append(Action("write", f"lib/{rel}", "changed" if dest.exists() else "new", data))
        # The temporary copy and the old file coexist until the rename.
        peak = max(peak, growth + _rounded(len(data), cluster))
        growth += _rounded(len(data), cluster) - (_rounded(len(old), cluster) if old is not None else 0)

    def remove(path: Path, why: str, kind: str) -> None:
        rel = path.relative_to(device).as_posix()
        if rel not in wanted and all(a.path != rel for a in removes):
            removes.append(Action("remove", rel, why, kind=kind))

    for rel in sorted(files):
        stem, suffix = os.path.splitext(rel)
        # py/builtinimport.c: stat_file_py_or_mpy tries X.py before X.mpy.
        if suffix == ".mpy" and (lib / f"{stem}.py").is_file():
            remove(lib / f"{stem}.py", f"it would shadow lib/{rel}", "shadow")
        elif suffix == ".py" and (lib / f"{stem}.mpy").is_file():
            remove(lib / f"{stem}.mpy", f"lib/{rel} shadows it", "stale")
    for name in packages:
        folder = lib / name
        if any(p.startswith(f"{name}/") for p in files):
            for old in _code_files_under(folder):
                remove(old, f"no longer part of {name}", "stale")
            for suffix in CODE_SUFFIXES:
                if (lib / f"{name}{suffix}").is_file():
                    remove(lib / f"{name}{suffix}", f"the package folder lib/{name}/ replaces it", "shadow")
        elif folder.is_dir():
            for old in _code_files_under(folder):
                remove(old, f"the old package folder would shadow lib/{name}.mpy", "stale")
    if lib.is_dir():
        for tmp in sorted(lib.rglob(f"{TMP_PREFIX}*{TMP_SUFFIX}")):
            remove(tmp, "left by an interrupted install", "leftover")
    free = shutil.disk_usage(device).free
    return Plan(writes, removes, unchanged, peak, free)


def check_space(plan: Plan, device: Path) -> None:
    if plan.needed > plan.free:
        raise BundleError(f"{device}: not enough free space: the install needs {plan.needed} bytes "
                          f"at its peak, {plan.free} bytes are free")


def write_file(path: Path, data: bytes) -> None:
    """Write atomically and durably (fsync, rename, fsync the folder): a board unplugged
    mid-copy keeps the old file or the new one. The temporary name is fixed, so the
    next install finds and removes one a killed run left."""
    from mpycross.fileio import write_atomically

    write_atomically(path, data, durable=True, temp_name=f"{TMP_PREFIX}{path.name}{TMP_SUFFIX}")


def apply(plan: Plan, device: Path, report=None) -> None:
    """Do the writes, then the removals; `report(action)` after each one."""
    for action in plan.writes:
        write_file(device / action.path, action.data)
        if report:
            report(action)
    for action in plan.removes:
        target = device / action.path
        try:
            target.unlink()
        except FileNotFoundError:
            pass
        parent = target.parent
        while parent != device / "lib" and parent.is_dir() and not any(parent.iterdir()):
            parent.rmdir()
            parent = parent.parent
        if report:
            report(action)
