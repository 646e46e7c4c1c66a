"""The `.mpy` layout as Construct schemas, field by field in file order.

- `VarUint` (an `MpVarUint`): MicroPython's var-uint (py/persistentcode.c read_uint /
  mp_print_uint): 7-bit groups, the MOST significant first, bit 7 set on all
  but the last byte. Construct's `VarInt` is LEB128 (least significant
  first) and would misread every multi-byte value.
- `Header`: the 4 bytes every version starts with.
- `MpyV6`: a whole v6 file (qstr table, object table, raw-code tree,
  native sections).

v2..v5 raw codes interleave their qstrs with the bytecode through a
stateful qstr window, which a declarative schema cannot express; those
versions are covered by mpycross.mpy.reader / writer only. The reader and
writer are hand-written (fast, and with exact error offsets);
tests/test_format_construct.py checks them against these schemas.
"""

from __future__ import annotations

import construct as c
from construct import this


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
                out += _raw_varuint(stream, path)
            op >>= 1
            if op <= 5 and op & 1:
                out += _raw_varuint(stream, path)

    def _build(self, obj, stream, context, path):
        c.stream_write(stream, obj, len(obj), path)
        return obj


def _raw_varuint(stream, path) -> bytes:
    out = bytearray()
    while True:
        b = c.stream_read(stream, 1, path)[0]
        out.append(b)
        if not b & 0x80:
            return bytes(out)


# header, all versions (py/persistentcode.c mp_raw_code_save)
Header = c.Struct(
    "magic" / c.OneOf(c.Bytes(1), [b"M", b"C"]),
    "version" / c.Byte,
    "feature" / c.Byte,          # v2-v5: flags | arch << 2; v6: sub-version | arch << 2
    "small_int_bits" / c.Byte,
)

# v6 qstr: len << 1 and the text with a NUL, or static number << 1 | 1
QstrV6 = c.Struct(
    "head" / VarUint,
    "text" / c.If(lambda ctx: not ctx.head & 1, c.Bytes(lambda ctx: ctx.head >> 1)),
    "nul" / c.If(lambda ctx: not ctx.head & 1, c.Const(b"\x00")),
)

# v6 object (py/persistentcode.h MP_PERSISTENT_OBJ_*; save_obj)
ObjV6 = c.Struct(
    "type" / c.Byte,
    "body" / c.Switch(this.type, {
        5: c.Struct("data" / c.Prefixed(VarUint, c.GreedyBytes), "nul" / c.Const(b"\x00")),    # str
        6: c.Struct("data" / c.Prefixed(VarUint, c.GreedyBytes), "nul" / c.Const(b"\x00")),    # bytes
        7: c.Struct("text" / c.Prefixed(VarUint, c.GreedyBytes)),                              # int
        8: c.Struct("text" / c.Prefixed(VarUint, c.GreedyBytes)),                              # float
        9: c.Struct("text" / c.Prefixed(VarUint, c.GreedyBytes)),                              # complex
        10: c.Struct("items" / c.PrefixedArray(VarUint, c.LazyBound(lambda: ObjV6))),          # tuple
    }, default=c.Pass),
)

# v6 raw code (save_raw_code): kind | has_children << 2 | len << 3, code, native
# fields, viper rodata/bss, children, then viper relocations
RawCodeV6 = c.Struct(
    "kind_len" / VarUint,
    "kind" / c.Computed(this.kind_len & 3),      # 0 bytecode, 1 native, 2 viper, 3 asm
    "fun_data" / c.Bytes(this.kind_len >> 3),
    "prelude_offset" / c.If(this.kind == 1, VarUint),
    "scope_flags" / c.If(this.kind >= 2, VarUint),
    "n_pos_args" / c.If(this.kind == 3, VarUint),
    "type_sig" / c.If(this.kind == 3, VarUint),
    "rodata_size" / c.If(lambda ctx: ctx.kind == 2 and ctx.scope_flags & 0x20, VarUint),
    "bss_size" / c.If(lambda ctx: ctx.kind == 2 and ctx.scope_flags & 0x40, VarUint),
    "rodata" / c.If(lambda ctx: ctx.kind == 2 and ctx.scope_flags & 0x20, c.Bytes(this.rodata_size)),
    "children" / c.If(this.kind_len & 4, c.PrefixedArray(VarUint, c.LazyBound(lambda: RawCodeV6))),
    "relocations" / c.If(lambda ctx: ctx.kind >= 2 and ctx.scope_flags & 0x10, RelocationStream()),
)

MpyV6 = c.Struct(
    "header" / Header,
    c.Check(this.header.version == 6),
    "arch_flags" / c.If(this.header.feature & 0x40, VarUint),
    "n_qstr" / VarUint,
    "n_obj" / VarUint,
    "qstrs" / c.Array(this.n_qstr, QstrV6),
    "objs" / c.Array(this.n_obj, ObjV6),
    "root" / RawCodeV6,
    c.Terminated,
)

# v4/v5: the header is followed by the qstr window size
HeaderV5 = c.Struct(
    "header" / Header,
    c.Check(lambda ctx: ctx.header.version in (4, 5)),
    "qstr_window_size" / VarUint,
)
