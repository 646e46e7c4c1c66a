"""The layout of each `.mpy` version, read from formats/versions.toml.

`layout(version)` gives the `Layout` of header byte 1 (`2` .. `6`): which
header, prelude, qstr encoding, constant table and native sections that
version has. The reader, writer, disassembler and the Construct schemas
ask it (`lay.qstr_encoding == "window"`) instead of comparing version
numbers. The v6 sub-versions share one file layout (checked on load); they
differ only in which firmware loads their native code (targets.py).
"""

from __future__ import annotations

import functools
from mpycross.records import dataclass

from mpycross.resources import data_path, load_toml

# versions.toml keys that describe the file layout (formats/README.md)
_LAYOUT_KEYS = ("bytecode", "header", "feature_byte", "prelude", "code_info", "arg_names",
                "qstr_encoding", "const_table", "obj_types", "code_qstrs", "raw_code_head", "native")


@dataclass(frozen=True)
class Layout:
    """How one .mpy version lays out its header, prelude and tables (formats/versions.toml)."""

    mpy_version: int
    bytecode: str          # opcode table generation (formats/bytecode/<bytecode>.toml)
    header: str            # "v2", "v5" (+ qstr window size), "v6" (+ optional arch flags)
    feature_byte: str      # "flags", "flags_arch", "subver_arch"
    prelude: str           # "v2" or "v5" (mpycross.mpy.prelude)
    code_info: str         # "names16" or "qstr_indices"
    arg_names: str         # "const_table" or "code_info"
    qstr_encoding: str     # "inline_len", "window", "table"
    const_table: str       # "per_raw_code" or "global"
    obj_types: str         # "letters" or "numbers"
    code_qstrs: str        # "appended", "inline_names_last", "inline", "table_indices"
    raw_code_head: str     # "len", "kind_len", "kind_children_len"
    native: frozenset      # native sections: "qstr_links", "viper_data"

    @property
    def has_native(self) -> bool:
        """Whether raw codes carry a kind (and so may be native, viper or asm)."""
        return self.raw_code_head != "len"

    # header byte 2 (py/persistentcode.h MPY_FEATURE_ENCODE_* / _DECODE_*)
    def flags(self, feature: int) -> int:
        """v2-v5 flags: bit 0 cache map lookups in bytecode, bit 1 unicode."""
        return feature & 3 if self.feature_byte != "subver_arch" else 0

    def sub_version(self, feature: int) -> int:
        return feature & 3 if self.feature_byte == "subver_arch" else 0

    def arch(self, feature: int) -> int:
        if self.feature_byte == "flags":
            return 0
        if self.feature_byte == "subver_arch":
            return (feature >> 2) & 0x2F   # bit 4 of the field (0x40) says arch flags follow
        return feature >> 2

    def feature(self, flags: int, arch: int, sub_version: int) -> int:
        """Byte 2 for these fields (the inverse of flags / arch / sub_version)."""
        if self.feature_byte == "flags":
            return flags
        if self.feature_byte == "flags_arch":
            return flags | arch << 2
        return arch << 2 | sub_version


@functools.cache
def _data() -> dict:
    return load_toml(data_path("formats", "versions.toml"))


@functools.cache
def layouts() -> dict[int, Layout]:
    """{header byte 1: Layout} for every version in versions.toml."""
    out: dict[int, Layout] = {}
    for entry in _data()["version"]:
        values = {k: entry[k] for k in _LAYOUT_KEYS}
        values["native"] = frozenset(values["native"])
        lay = Layout(entry["mpy_version"], **values)
        if out.setdefault(lay.mpy_version, lay) != lay:
            raise ValueError(f"formats/versions.toml: the {entry['name']} entry's layout differs "
                             f"from the other version {lay.mpy_version} entries")
    return out


def layout(version: int) -> Layout | None:
    """The layout of `.mpy` version `version`, None when it is not one we know."""
    return layouts().get(version)


@functools.cache
def native_archs() -> tuple[str, ...]:
    """Native architecture names by number (header byte 2, v4 and later)."""
    return tuple(_data()["native_archs"])


@functools.cache
def magics() -> dict[str, str]:
    """{"micropython": "M", "circuitpython": "C"}: header byte 0."""
    return {family: chr(byte) for family, byte in _data()["magic"].items()}
