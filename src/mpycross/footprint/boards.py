"""Boards and targets (formats/boards.toml) and the sizes users type ("20k", "1.5M").

A `Board` holds the facts the RAM model needs: word size, GC block size,
heap, filesystem block, small-int width, float box, and which qstrs the
firmware already holds (formats/qstr/*.toml plus the .mpy static list).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from mpycross.errors import TargetError
from mpycross.resources import data_dir, load_toml


@dataclass(frozen=True)
class Board:
    name: str
    description: str
    firmware: str
    word_bytes: int
    gc_block: int
    heap: int
    fs_block: int
    small_int_bits: int
    float_bytes: int
    mpz_dig_bits: int
    qstr_hash_bytes: int
    known_qstr_lists: tuple[str, ...]
    builtin_modules_list: str | None = None
    absent_modules: frozenset[str] = frozenset()
    chips: tuple[str, ...] = ()
    import_transient: int = 0
    collects_when_full: bool = True
    frozen_imports: dict = field(default_factory=dict, compare=False, hash=False)
    # frozen Python modules of the firmware whose heap is not measured (listed as built in)
    frozen_modules: frozenset[str] = frozenset()
    # modules of the firmware's common list that this board's builds lack (listed as missing)
    absent_builtins: frozenset[str] = frozenset()
    # where the machine code of native/viper/asm functions lives once loaded: "heap" (the GC
    # heap), "exec" (executable memory outside it), "staged" (loaded into the GC heap, then
    # copied out) or "none" (the firmware refuses native code); native_arch: the -march it runs
    native_code: str = "none"
    native_arch: str | None = None
    sources: dict = field(default_factory=dict, compare=False, hash=False)

    def alloc(self, nbytes: int) -> int:
        """Bytes the GC hands out for a request of nbytes (py/gc.c rounds up to whole blocks)."""
        if nbytes <= 0:
            return 0
        return -(-nbytes // self.gc_block) * self.gc_block

    def words(self, n: int) -> int:
        """Heap bytes of one allocation of n machine words."""
        return self.alloc(n * self.word_bytes)

    def flash(self, file_size: int) -> int:
        """Filesystem bytes a file of file_size takes (whole allocation units)."""
        if file_size <= 0:
            return 0
        return -(-file_size // self.fs_block) * self.fs_block

    @functools.cached_property
    def known_qstrs(self) -> frozenset[str]:
        names = set(_static_qstrs())
        for list_name in self.known_qstr_lists:
            names.update(_qstr_list(list_name))
        return frozenset(names)

    @functools.cached_property
    def builtin_modules(self) -> dict[str, frozenset[str]] | None:
        """Built-in module -> the names it defines, when known for this firmware."""
        if self.builtin_modules_list is None:
            return None
        path = data_dir("formats") / "qstr" / f"{self.builtin_modules_list}.toml"
        return {m: frozenset(names) for m, names in load_toml(path)["modules"].items()}

    def is_builtin_module(self, name: str) -> bool:
        """Is `name` (its top-level package) a module the firmware has built in?"""
        top = name.split(".")[0]
        if top in self.frozen_modules or top in self.frozen_imports:
            return True
        if top in self.absent_builtins:
            return False
        listed = self.builtin_modules or {}
        return (name in listed or top in listed
                or top in _data().get("builtin_module_names", {}).get(self.firmware, ()))


@functools.cache
def _static_qstrs() -> tuple[str, ...]:
    return tuple(load_toml(data_dir("formats") / "qstr" / "static.toml")["static"])


@functools.cache
def _qstr_list(name: str) -> tuple[str, ...]:
    path = data_dir("formats") / "qstr" / f"{name}.toml"
    if not path.is_file():
        raise TargetError(f"known-qstr list {name!r} is missing from formats/qstr/")
    return tuple(load_toml(path)["known"])


@functools.cache
def _data() -> dict:
    return load_toml(data_dir("formats") / "boards.toml")


def _make(entry: dict) -> Board:
    return Board(
        name=entry["name"], description=entry.get("description", ""), firmware=entry["firmware"],
        word_bytes=entry["word_bytes"], gc_block=entry["gc_block"], heap=entry["heap"],
        fs_block=entry["fs_block"], small_int_bits=entry["small_int_bits"],
        float_bytes=entry["float_bytes"], mpz_dig_bits=entry["mpz_dig_bits"],
        qstr_hash_bytes=entry["qstr_hash_bytes"], known_qstr_lists=tuple(entry["known_qstrs"]),
        builtin_modules_list=entry.get("builtin_modules"),
        absent_modules=frozenset(_data().get("absent_modules", ())),
        collects_when_full=entry.get("collects_when_full", True),
        frozen_imports=dict(entry.get("frozen_imports", {})),
        frozen_modules=frozenset(entry.get("frozen_modules", ())),
        absent_builtins=frozenset(entry.get("absent_builtins", ())),
        chips=tuple(c.lower() for c in entry.get("chips", ())),
        import_transient=entry.get("import_transient", _data().get("import_transient", {}).get(
            str(entry["word_bytes"]), 0)),
        native_code=entry.get("native_code", "none"), native_arch=entry.get("native_arch"),
        sources={k: v for k, v in entry.items() if k.endswith("_source")})


def all_boards() -> list[Board]:
    return [_make(entry) for entry in _data()["board"]]


def _names(entry: dict) -> list[str]:
    return [entry["name"].lower()] + [a.lower() for a in entry.get("aliases", [])]


def get_board(name: str) -> Board:
    """The board called `name` (or one of its aliases)."""
    key = name.lower()
    for entry in _data()["board"]:
        if key in _names(entry):
            return _make(entry)
    known = ", ".join(entry["name"] for entry in _data()["board"])
    raise TargetError(f"unknown board {name!r} (known: {known})")


def board_for_chip(firmware: str, board_text: str) -> Board | None:
    """The board of `firmware` whose chip boot_out.txt names ("Adafruit Feather RP2040
    with rp2040" -> the CircuitPython RP2040 board); None when no board matches."""
    mcu = board_text.lower().rpartition(" with ")[2] or board_text.lower()
    for entry in _data()["board"]:
        if entry["firmware"] == firmware and any(chip in mcu for chip in entry.get("chips", ())):
            return _make(entry)
    return None


def get_target(name: str) -> Board:
    """A generic target ("32bit", "64bit") or any board name."""
    key = name.lower()
    for entry in _data().get("target", []):
        if key in _names(entry):
            return get_board(entry["like"])
    try:
        return get_board(name)
    except TargetError:
        targets = ", ".join(entry["name"] for entry in _data().get("target", []))
        raise TargetError(f"unknown target {name!r} (known: {targets}, or a board name)") from None


_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kKmM]?)(i?[bB])?\s*$")


def parse_size(text: str) -> int:
    """"4096" -> 4096, "20k" -> 20480, "1.5M" -> 1572864 (binary units)."""
    match = _SIZE.match(str(text))
    if not match:
        raise ValueError(f"not a size: {text!r} (examples: 4096, 20k, 1.5M)")
    value = float(match.group(1)) * {"": 1, "k": 1024, "m": 1024 * 1024}[match.group(2).lower()]
    return int(round(value))
