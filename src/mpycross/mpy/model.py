"""The data model of a `.mpy` file, one shape for every version (v2 .. v6.3).

An `MpyFile` is a `Header`, the module-level tables (v6 only) and a tree of
`RawCode` objects. `read_mpy(bytes) -> MpyFile` and `write_mpy(MpyFile) ->
bytes` convert; `write_mpy(read_mpy(b)) == b` for every file the official
compilers produce.

Building a v6 file (what a compiler does):

    MpyFile(
        header=Header(magic="M", version=6, feature=0, small_int_bits=31),
        qstr_table=["prog.py", "<module>", "print", ...],   # entry 0: source file name
        obj_table=[b"bytes", 1 << 100, FloatConst("1.5"), ...],
        root=RawCode(kind="bytecode", fun_data=prelude_codeinfo_and_bytecode,
                     children=[RawCode(...), ...]),
    )

The writer encodes a qstr by its static number when it is one of the static
qstrs (formats/qstr/static.toml), else by its text. Objects are Python
values: str, bytes, int, float (or `FloatConst` carrying MicroPython's exact
text), complex (or `ComplexConst`), tuple, Ellipsis, None, True, False.

Version-specific parts:
- v6: `qstr_table` and `obj_table` hold the module's tables; bytecode
  operands index them; `RawCode.fun_data` is stored as is.
- v2..v5: no module tables. Each raw code carries `arg_names`, `consts`
  (objects) and `qstrs`: the names its code refers to, always in the order
  [simple_name, source_file, then each qstr operand in bytecode order].
  `fun_data` is the code as MicroPython holds it in memory; the 2-byte qstr
  slots that the file replaces by encoded qstrs (v4, v5) are zero here.
  v2/v3 store `fun_data` verbatim, slots included.
- native code (v4+): `fun_data` is the machine code (then the prelude for
  `native`), with `prelude_offset`, `scope_flags`, `n_pos_args`/`type_sig`
  (asm), `rodata`/`bss_size`/`relocations` (viper with those flags), and in
  v4/v5 `qstr_links` [(offset_code, name)] patched into the code at load.
"""

from __future__ import annotations

from mpycross.records import dataclass, field

from mpycross.mpy.layout import Layout, layout, magics, native_archs

# header byte 0 (py/persistentcode.c; CircuitPython writes 'C')
MAGIC_MICROPYTHON = magics()["micropython"]
MAGIC_CIRCUITPYTHON = magics()["circuitpython"]

KINDS = ("bytecode", "native", "viper", "asm")  # py/emitglue.h MP_CODE_BYTECODE + 0..3

# py/persistentcode.h: enum MP_NATIVE_ARCH_* (formats/versions.toml native_archs)
NATIVE_ARCHS = native_archs()

# py/runtime0.h: scope flags the loader looks at for viper code
SCOPE_FLAG_VIPERRELOC = 0x10
SCOPE_FLAG_VIPERRODATA = 0x20
SCOPE_FLAG_VIPERBSS = 0x40

# v6 header byte 2: arch flags var-uint follows (py/persistentcode.h MPY_FEATURE_ARCH_FLAGS)
FEATURE_ARCH_FLAGS = 0x40

# constant object types by number, for obj_types "numbers" (py/persistentcode.h MP_PERSISTENT_OBJ_*)
OBJ_TYPE_NUMBERS = ("fun_table", "none", "false", "true", "ellipsis", "str", "bytes", "int",
                    "float", "complex", "tuple")
# and by letter, for obj_types "letters" (mp-v1.18/py/persistentcode.c save_obj)
OBJ_TYPE_LETTERS = {"e": "ellipsis", "s": "str", "b": "bytes", "i": "int", "f": "float", "c": "complex"}


class FloatConst(float):
    """A float constant with the exact text MicroPython stores for it."""

    text: str

    def __new__(cls, text: str):
        try:
            value = float(text)
        except ValueError:
            value = float("nan")
        self = super().__new__(cls, value)
        self.text = text
        return self

    def __repr__(self) -> str:
        return self.text


class ComplexConst(complex):
    """A complex constant with the exact text MicroPython stores for it."""

    text: str

    def __new__(cls, text: str):
        try:
            value = complex(text.replace(" ", ""))
        except ValueError:
            value = complex("nan")
        self = super().__new__(cls, value)
        self.text = text
        return self

    def __repr__(self) -> str:
        return self.text


@dataclass
class Header:
    """The 4 header bytes, plus the v4/v5 qstr window size and v6 arch flags."""

    magic: str = MAGIC_MICROPYTHON
    version: int = 6
    feature: int = 0            # byte 2 as stored
    small_int_bits: int = 31
    qstr_window_size: int | None = None   # v4, v5: var-uint after the 4 bytes
    arch_flags: int | None = None         # v6: var-uint when feature & 0x40

    @property
    def layout(self) -> Layout | None:
        """The file layout of this version (None for a version we do not know)."""
        return layout(self.version)

    @property
    def sub_version(self) -> int:
        # py/persistentcode.h: MPY_FEATURE_DECODE_SUB_VERSION (v6 only)
        lay = self.layout
        return lay.sub_version(self.feature) if lay else 0

    @property
    def flags(self) -> int:
        # v2..v5: bit 0 cache-map-lookup-in-bytecode, bit 1 unicode
        lay = self.layout
        return lay.flags(self.feature) if lay else 0

    @property
    def arch(self) -> int:
        lay = self.layout
        return lay.arch(self.feature) if lay else 0

    @property
    def arch_name(self) -> str:
        return NATIVE_ARCHS[self.arch] if self.arch < len(NATIVE_ARCHS) else f"arch{self.arch}"

    @property
    def version_name(self) -> str:
        """"6.3" for v6 with native code, "6" for bytecode-only v6 (whose header does
        not record the sub-version: py/persistentcode.c mp_raw_code_save), "5" before v6."""
        lay = self.layout
        if lay and lay.feature_byte == "subver_arch" and self.arch != 0:
            return f"{self.version}.{self.sub_version}"
        return str(self.version)


@dataclass
class RawCode:
    """One function (or the module body, or a class body) and its children."""

    kind: str = "bytecode"
    fun_data: bytes = b""
    children: list[RawCode] = field(default_factory=list)
    # native code
    prelude_offset: int | None = None
    scope_flags: int | None = None
    n_pos_args: int | None = None
    type_sig: int | None = None
    rodata: bytes | None = None
    bss_size: int | None = None
    relocations: bytes | None = None      # raw relocation stream, 0xff terminator included
    # v2..v5
    qstrs: list[str] = field(default_factory=list)
    arg_names: list[str] = field(default_factory=list)
    consts: list[object] = field(default_factory=list)
    qstr_links: list[tuple[int, str]] = field(default_factory=list)
    # where the reader found it (not part of the format; for messages)
    file_offset: int | None = field(default=None, compare=False, repr=False)

    def walk(self):
        """This raw code and all its descendants, depth first."""
        # a stack, not `yield from`: that costs each item the depth of the nesting
        pending = [self]
        while pending:
            rc = pending.pop()
            yield rc
            pending.extend(reversed(rc.children))


@dataclass
class MpyFile:
    """A whole .mpy file: header, module raw code and (v6) the module-wide tables."""

    header: Header
    root: RawCode
    qstr_table: list[str] = field(default_factory=list)   # v6
    obj_table: list[object] = field(default_factory=list)  # v6
    filename: str | None = None     # where it was read from (not stored in the file)
    size: int | None = None         # bytes read

    @property
    def source_name(self) -> str | None:
        """The source file name the compiler embedded."""
        lay = self.header.layout
        if lay and lay.code_qstrs == "table_indices":
            return self.qstr_table[0] if self.qstr_table else None
        if self.root.kind in ("bytecode", "native") and len(self.root.qstrs) >= 2:
            return self.root.qstrs[1]
        return None

    @property
    def has_native(self) -> bool:
        return any(rc.kind != "bytecode" for rc in self.root.walk())
