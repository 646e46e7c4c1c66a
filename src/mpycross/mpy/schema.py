"""The `.mpy` layout as Construct schemas, field by field in file order.

One schema per format family, built from formats/versions.toml
(`mpycross.mpy.layout`):

- v2, v3 (`raw_code_head = "len"`): bytecode stored as in memory, then its
  qstrs as length + text, then the per-raw-code constant table.
- v4, v5 (`"kind_len"`): bytecode with each qstr operand replaced by an
  encoded qstr (static number, window distance or text); the simple name
  and source file after the bytecode (v4, `code_qstrs = "inline_names_last"`)
  or inside the prelude (v5); native code with qstr links, and in v5 viper
  rodata/bss/relocations.
- v6.0 - v6.3 (`"kind_children_len"`): module qstr and object tables, then
  the raw-code tree with native prelude offsets, viper rodata/bss and
  relocations.

`schema(version)` gives the schema of a whole file, `schema_for(data)` the
one its header names; `parse` and `build` of it reproduce every official
file byte for byte. The custom field types are what Construct cannot say
itself: `VarUint` (MicroPython's var-uint is most significant group first;
Construct's `VarInt` is LEB128), `RawVarUint` (a var-uint kept as its
bytes), `RelocationStream`, and `Instructions` (opcodes up to a size in
memory, whose operand encodings come from the opcode table). Qstr window
references stay as stored: resolving them needs the window's state, which
the reader keeps.

The reader and writer (mpycross.mpy.reader / writer) are hand-written
equivalents, several times faster and with offsets in their errors;
tests/test_format_construct.py and tests/test_format_roundtrip.py check
that both sides agree on every version's official outputs (docs/format.md,
"Construct schema").
"""

from __future__ import annotations

import functools

import construct as c
from construct import this

from mpycross.mpy import model
from mpycross.mpy.layout import Layout, layout, layouts, magics
from mpycross.mpy.model import (
    SCOPE_FLAG_VIPERBSS,
    SCOPE_FLAG_VIPERRELOC,
    SCOPE_FLAG_VIPERRODATA,
)
from mpycross.mpy.opcodes import opcode_table
from mpycross.mpy.prelude import decode_prelude

KIND_BYTECODE, KIND_NATIVE, KIND_VIPER, KIND_ASM = (model.KINDS.index(k) for k in model.KINDS)
_OBJ = {kind: number for number, kind in enumerate(model.OBJ_TYPE_NUMBERS)}


class MpVarUint(c.Construct):
    """MicroPython var-uint, most significant 7-bit group first."""

    def _parse(self, stream, context, path):
        value = 0
        while True:
            b = c.stream_read(stream, 1, path)[0]
            value = (value << 7) | (b & 0x7F)
            if not b & 0x80:
                return value

    def _build(self, obj, stream, context, path):
        if not isinstance(obj, int) or obj < 0:
            raise c.IntegerError(f"VarUint cannot build {obj!r}", path=path)
        n = obj
        groups = [n & 0x7F]
        n >>= 7
        while n:
            groups.append(0x80 | (n & 0x7F))
            n >>= 7
        c.stream_write(stream, bytes(reversed(groups)), len(groups), path)
        return obj

    def _sizeof(self, context, path):
        raise c.SizeofError("VarUint has no fixed size", path=path)


VarUint = MpVarUint()


class MpRawVarUint(c.Construct):
    """A var-uint (or the prelude's var-uint-like signature) kept as its bytes:
    bytes up to and including the first with bit 7 clear."""

    def _parse(self, stream, context, path):
        out = bytearray()
        while True:
            b = c.stream_read(stream, 1, path)[0]
            out.append(b)
            if not b & 0x80:
                return bytes(out)

    def _build(self, obj, stream, context, path):
        c.stream_write(stream, obj, len(obj), path)
        return obj


RawVarUint = MpRawVarUint()


class RelocationStream(c.Construct):
    """Viper relocations (py/persistentcode.c mp_native_relocate): entries until 0xff, kept raw."""

    def _parse(self, stream, context, path):
        out = bytearray()
        while True:
            op = c.stream_read(stream, 1, path)[0]
            out.append(op)
            if op == 0xFF:
                return bytes(out)
            if op & 1:
                out += RawVarUint._parse(stream, context, path)
            op >>= 1
            if op <= 5 and op & 1:
                out += RawVarUint._parse(stream, context, path)

    def _build(self, obj, stream, context, path):
        c.stream_write(stream, obj, len(obj), path)
        return obj


class Instructions(c.Construct):
    """Instructions until they fill `size(ctx)` bytes of code in memory; `mem_size(item)`
    is one parsed instruction's size there (a qstr operand is 2 bytes in memory)."""

    def __init__(self, size, subcon, mem_size):
        super().__init__()
        self.size, self.subcon, self.mem_size = size, subcon, mem_size

    def _parse(self, stream, context, path):
        want = self.size(context)
        items, have = c.ListContainer(), 0
        while have < want:
            item = self.subcon._parsereport(stream, context, path)
            items.append(item)
            have += self.mem_size(item)
        if have != want:
            raise c.ExplicitError(f"the last instruction runs past the code size {want}", path=path)
        return items

    def _build(self, obj, stream, context, path):
        for item in obj:
            self.subcon._build(item, stream, context, path)
        return obj


# ---- pieces every family shares -----------------------------------------------

def header(lay: Layout) -> c.Struct:
    """Header bytes 0-3 (py/persistentcode.c mp_raw_code_save), then what `header` adds."""
    fields = [
        "magic" / c.OneOf(c.Bytes(1), [m.encode() for m in magics().values()]),
        "version" / c.Const(lay.mpy_version, c.Byte),
        "feature" / c.Byte,          # formats/versions.toml feature_byte
        "small_int_bits" / c.Byte,
    ]
    if lay.header == "v5":
        fields.append("qstr_window_size" / VarUint)
    elif lay.header == "v6":
        fields.append("arch_flags" / c.If(this.feature & model.FEATURE_ARCH_FLAGS, VarUint))
    return c.Struct(*fields)


def qstr(lay: Layout):
    """One stored qstr (qstr_encoding)."""
    if lay.qstr_encoding == "inline_len":
        return c.Prefixed(VarUint, c.GreedyBytes)          # length, then the text
    if lay.qstr_encoding == "window":
        # mp-v1.18 save_qstr: 0 + static number byte, distance << 1 | 1, or len << 1 + text
        return c.Struct(
            "head" / VarUint,
            "static" / c.If(this.head == 0, c.Byte),
            "text" / c.If(lambda ctx: ctx.head and not ctx.head & 1, c.Bytes(this.head >> 1)),
        )
    # v6 save_qstr: static number << 1 | 1, or len << 1 + text + NUL
    return c.Struct(
        "head" / VarUint,
        "text" / c.If(lambda ctx: not ctx.head & 1, c.Bytes(this.head >> 1)),
        "nul" / c.If(lambda ctx: not ctx.head & 1, c.Const(b"\x00")),
    )


def obj(lay: Layout):
    """One stored constant object (obj_types)."""
    if lay.obj_types == "letters":
        # type letter e s b i f c; all but Ellipsis carry length + text
        ellipsis = ord(next(k for k, v in model.OBJ_TYPE_LETTERS.items() if v == "ellipsis"))
        return c.Struct("type" / c.OneOf(c.Byte, [ord(k) for k in model.OBJ_TYPE_LETTERS]),
                        "data" / c.If(this.type != ellipsis, c.Prefixed(VarUint, c.GreedyBytes)))
    # py/persistentcode.h MP_PERSISTENT_OBJ_*: str and bytes have a NUL after the data, int,
    # float and complex are text, a tuple holds objects; the others are the type alone
    text = c.Struct("text" / c.Prefixed(VarUint, c.GreedyBytes))
    with_nul = c.Struct("data" / c.Prefixed(VarUint, c.GreedyBytes), "nul" / c.Const(b"\x00"))
    this_obj = c.Struct(
        "type" / c.Byte,
        "body" / c.Switch(this.type, {
            _OBJ["str"]: with_nul, _OBJ["bytes"]: with_nul,
            _OBJ["int"]: text, _OBJ["float"]: text, _OBJ["complex"]: text,
            _OBJ["tuple"]: c.Struct("items" / c.PrefixedArray(VarUint, c.LazyBound(lambda: this_obj))),
        }, default=c.Pass),
    )
    return this_obj


def _n_args(lay: Layout, code: bytes, offset: int) -> int:
    """Argument names in the constant table: n_pos_args + n_kwonly_args of the prelude."""
    p = decode_prelude(code, offset, lay.prelude, lay.code_info)
    return p.n_pos_args + p.n_kwonly_args


# ---- v2, v3: code as in memory, qstrs after it --------------------------------

def _qstr_operand_count(lay: Layout, code: bytes, cache_lookup: bool) -> int:
    from mpycross.mpy.opcodes import decode

    table = opcode_table(lay.bytecode)
    ip = decode_prelude(code, 0, lay.prelude, lay.code_info).bytecode_offset
    n = 0
    while ip < len(code):
        ins = decode(table, code, ip, cache_lookup)
        n += ins.info.operand == "qstr"
        ip += ins.size
    return n


def _cache_lookup(lay: Layout, ctx) -> bool:
    return bool(ctx._root.header.feature & 1) and bool(opcode_table(lay.bytecode).cache_lookup)


def raw_code_appended(lay: Layout) -> c.Struct:
    # mp-v1.9.3/py/persistentcode.c save_raw_code
    q = qstr(lay)
    this_rc = c.Struct(
        "fun_data" / c.Prefixed(VarUint, c.GreedyBytes),
        "qstrs" / c.Array(lambda ctx: 2 + _qstr_operand_count(lay, ctx.fun_data, _cache_lookup(lay, ctx)), q),
        "n_obj" / VarUint,
        "n_raw_code" / VarUint,
        "arg_names" / c.Array(lambda ctx: _n_args(lay, ctx.fun_data, 0), q),
        "objs" / c.Array(this.n_obj, obj(lay)),
        "children" / c.Array(this.n_raw_code, c.LazyBound(lambda: this_rc)),
    )
    return this_rc


# ---- v4, v5: qstrs inline in the bytecode, per-raw-code constant tables -------

def _instruction(lay: Layout) -> c.Struct:
    """One opcode as stored: operand encodings from formats/bytecode/<generation>.toml."""
    table = opcode_table(lay.bytecode)
    q = qstr(lay)
    kinds = {op: (info.operand if info else "unknown") for op, info in enumerate(table.slots)}
    caches = {op for op, info in enumerate(table.slots) if info and info.name in table.cache_lookup}
    extras = {op for op, info in enumerate(table.slots) if info and info.extra}
    fixed = 2 if table.jump_encoding == "fixed16" else None
    return c.Struct(
        "op" / c.Byte,
        "operand" / c.Switch(lambda ctx: kinds[ctx.op], {
            "none": c.Pass,
            "qstr": q,
            "uint": RawVarUint, "sint": RawVarUint, "obj": RawVarUint, "child": RawVarUint,
            "jump_signed": c.Bytes(fixed), "jump_unsigned": c.Bytes(fixed),
        }, default=c.Error),
        "cache" / c.If(lambda ctx: ctx.op in caches and _cache_lookup(lay, ctx), c.Byte),
        "extra" / c.If(lambda ctx: ctx.op in extras, c.Byte),
    )


def _instruction_mem_size(item) -> int:
    """Bytes of one stored instruction in memory (a qstr operand is a 2-byte slot)."""
    operand = item.operand
    size = 1 + (2 if isinstance(operand, c.Container) else len(operand) if operand else 0)
    return size + (item.cache is not None) + (item.extra is not None)


def _bytecode_inline(lay: Layout) -> c.Struct:
    q = qstr(lay)
    if lay.prelude == "v2":
        # mp-v1.11 save_bytecode: the prelude as in memory (name slots zero, cells ended by 255)
        prelude = [
            "n_state" / RawVarUint,
            "n_exc_stack" / RawVarUint,
            "flags_args" / c.Bytes(4),      # scope_flags, n_pos_args, n_kwonly_args, n_def_pos_args
            "code_info_size" / RawVarUint,
            "code_info" / c.Bytes(lambda ctx: _uint(ctx.code_info_size) - len(ctx.code_info_size)),
            "cells" / c.RepeatUntil(lambda x, lst, ctx: x == 255, c.Byte),
            "n_args" / c.Computed(lambda ctx: ctx.flags_args[1] + ctx.flags_args[2]),
            "prelude_size" / c.Computed(lambda ctx: len(ctx.n_state) + len(ctx.n_exc_stack) + 4
                                        + _uint(ctx.code_info_size) + len(ctx.cells)),
        ]
    else:
        # mp-v1.18 save_bytecode: signature, size, the two name qstrs, the rest of the prelude
        def header_of(ctx):
            return decode_prelude(ctx.signature + ctx.size, 0, "v5", lay.code_info, header_only=True)

        prelude = [
            "signature" / RawVarUint,       # xSSSSEAA [xFSSKAED ...]
            "size" / RawVarUint,            # xIIIIIIC [xIIIIIIC ...]
            "n_info" / c.Computed(lambda ctx: header_of(ctx).n_info),
            "n_cell" / c.Computed(lambda ctx: header_of(ctx).n_cell),
            "names" / c.Array(2, q),        # simple_name, source_file
            "code_info_rest" / c.Bytes(lambda ctx: ctx.n_info - 4 + ctx.n_cell),
            "n_args" / c.Computed(lambda ctx: header_of(ctx).n_pos_args + header_of(ctx).n_kwonly_args),
            "prelude_size" / c.Computed(lambda ctx: len(ctx.signature) + len(ctx.size) + ctx.n_info + ctx.n_cell),
        ]
    fields = prelude + [
        "instructions" / Instructions(lambda ctx: (ctx._.kind_len >> 2) - ctx.prelude_size,
                                      _instruction(lay), _instruction_mem_size),
    ]
    if lay.code_qstrs == "inline_names_last":
        fields.append("names" / c.Array(2, q))
    return c.Struct(*fields)


def _uint(raw: bytes) -> int:
    value = 0
    for b in raw:
        value = (value << 7) | (b & 0x7F)
    return value


def raw_code_inline(lay: Layout) -> c.Struct:
    # mp-v1.11 / mp-v1.18 py/persistentcode.c save_raw_code
    q = qstr(lay)
    viper_data = "viper_data" in lay.native
    kind = this.kind

    def n_args(ctx):
        if ctx._.kind == KIND_BYTECODE:
            return ctx._.code.n_args
        if ctx._.kind == KIND_NATIVE:
            return _n_args(lay, ctx._.code, ctx._.prelude_offset)
        return 0

    def flag(ctx, bit):
        return ctx.kind not in (KIND_BYTECODE, KIND_NATIVE) and (ctx.scope_flags or 0) & bit

    const_table = c.Struct(
        "n_obj" / VarUint,
        "n_raw_code" / VarUint,
        "arg_names" / c.Array(n_args, q),
        "rodata" / c.If(lambda ctx: viper_data and flag(ctx._, SCOPE_FLAG_VIPERRODATA),
                        c.Prefixed(VarUint, c.GreedyBytes)),
        "bss_size" / c.If(lambda ctx: viper_data and flag(ctx._, SCOPE_FLAG_VIPERBSS), VarUint),
        "objs" / c.Array(this.n_obj, obj(lay)),
        "children" / c.Array(this.n_raw_code, c.LazyBound(lambda: this_rc)),
    )
    this_rc = c.Struct(
        "kind_len" / VarUint,               # len << 2 | kind (len: the code's size in memory)
        "kind" / c.Computed(this.kind_len & 3),
        "code" / c.IfThenElse(kind == KIND_BYTECODE, _bytecode_inline(lay), c.Bytes(this.kind_len >> 2)),
        "qstr_links" / c.If(lambda ctx: "qstr_links" in lay.native and ctx.kind in (KIND_NATIVE, KIND_VIPER),
                            c.PrefixedArray(VarUint, c.Struct("offset" / VarUint, "qstr" / q))),
        "prelude_offset" / c.If(kind == KIND_NATIVE, VarUint),
        "names" / c.If(kind == KIND_NATIVE, c.Array(2, q)),
        "scope_flags" / c.If(lambda ctx: ctx.kind in (KIND_VIPER, KIND_ASM), VarUint),
        "n_pos_args" / c.If(kind == KIND_ASM, VarUint),
        "type_sig" / c.If(kind == KIND_ASM, VarUint),
        "consts" / c.If(kind != KIND_ASM, const_table),
        "relocations" / c.If(lambda ctx: viper_data and flag(ctx, SCOPE_FLAG_VIPERRELOC), RelocationStream()),
    )
    return this_rc


# ---- v6: module tables, then the raw-code tree --------------------------------

def raw_code_tree(lay: Layout) -> c.Struct:
    # py/persistentcode.c save_raw_code: kind | has_children << 2 | len << 3, code,
    # native fields, viper rodata/bss, children, then viper relocations
    def viper(ctx, bit):
        return ctx.kind == KIND_VIPER and ctx.scope_flags & bit

    this_rc = c.Struct(
        "kind_len" / VarUint,
        "kind" / c.Computed(this.kind_len & 3),
        "fun_data" / c.Bytes(this.kind_len >> 3),
        "prelude_offset" / c.If(this.kind == KIND_NATIVE, VarUint),
        "scope_flags" / c.If(this.kind >= KIND_VIPER, VarUint),
        "n_pos_args" / c.If(this.kind == KIND_ASM, VarUint),
        "type_sig" / c.If(this.kind == KIND_ASM, VarUint),
        "rodata_size" / c.If(lambda ctx: viper(ctx, SCOPE_FLAG_VIPERRODATA), VarUint),
        "bss_size" / c.If(lambda ctx: viper(ctx, SCOPE_FLAG_VIPERBSS), VarUint),
        "rodata" / c.If(lambda ctx: viper(ctx, SCOPE_FLAG_VIPERRODATA), c.Bytes(this.rodata_size)),
        "children" / c.If(this.kind_len & 4, c.PrefixedArray(VarUint, c.LazyBound(lambda: this_rc))),
        "relocations" / c.If(lambda ctx: ctx.kind >= KIND_VIPER and ctx.scope_flags & SCOPE_FLAG_VIPERRELOC,
                             RelocationStream()),
    )
    return this_rc


# ---- whole files --------------------------------------------------------------

_RAW_CODE = {"len": raw_code_appended, "kind_len": raw_code_inline, "kind_children_len": raw_code_tree}


@functools.cache
def schema(version: int) -> c.Struct:
    """The schema of a whole `.mpy` file of header version `version` (2 .. 6)."""
    lay = layout(version)
    if lay is None:
        raise ValueError(f"no .mpy version {version} in formats/versions.toml (have {sorted(layouts())})")
    fields = ["header" / header(lay)]
    if lay.const_table == "global":
        fields += ["n_qstr" / VarUint, "n_obj" / VarUint,
                   "qstrs" / c.Array(this.n_qstr, qstr(lay)),
                   "objs" / c.Array(this.n_obj, obj(lay))]
    fields += ["root" / _RAW_CODE[lay.raw_code_head](lay), c.Terminated]
    return c.Struct(*fields)


def schema_for(data: bytes) -> c.Struct:
    """The schema of the file `data` (by its version byte)."""
    if len(data) < 2:
        raise ValueError("too short for a .mpy header")
    return schema(data[1])


# The v6 file and the v4/v5 header, as names for the tests and docs
MpyV6 = schema(6)
Header = header(layout(6))
HeaderV5 = header(layout(5))
