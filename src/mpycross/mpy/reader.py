"""Read a `.mpy` file of any version (v2 .. v6.3, magic 'M' or 'C') into an `MpyFile`.

The reader follows each release's loader (py/persistentcode.c
mp_raw_code_load / load_raw_code) step by step. Any problem raises
errors.FormatError naming the byte offset and what was expected.
"""

from __future__ import annotations

from mpycross.deep import MAX_NESTING, deep_stack
from mpycross.errors import FormatError
from mpycross.mpy import model
from mpycross.mpy.layout import Layout, layout, layouts
from mpycross.mpy.model import ComplexConst, FloatConst, Header, MpyFile, RawCode
from mpycross.mpy.opcodes import DecodeError, decode, opcode_table
from mpycross.mpy.prelude import decode_prelude
from mpycross.mpy.qstrs import QstrWindow, decode_str, static_qstrs
from mpycross.mpy.writer import int_text

V6_OBJ_TYPES = model.OBJ_TYPE_NUMBERS
_MAGICS = {ord(model.MAGIC_MICROPYTHON), ord(model.MAGIC_CIRCUITPYTHON)}


class FunTable:
    """The `mp_fun_table` entry of a v6 object table (native code)."""

    _instance = None

    def __new__(cls):
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "<mp_fun_table>"


FUN_TABLE = FunTable()


class _Stream:
    def __init__(self, data: bytes, filename: str | None):
        self.data = data
        self.pos = 0
        self.filename = filename

    def error(self, message: str, offset: int | None = None) -> FormatError:
        return FormatError(message, self.pos if offset is None else offset, self.filename)

    def byte(self, what: str) -> int:
        if self.pos >= len(self.data):
            raise self.error(f"file ends early: expected {what}")
        b = self.data[self.pos]
        self.pos += 1
        return b

    def take(self, n: int, what: str) -> bytes:
        if self.pos + n > len(self.data):
            raise self.error(f"file ends early: expected {what} ({n} bytes, "
                             f"{len(self.data) - self.pos} left)")
        b = self.data[self.pos:self.pos + n]
        self.pos += n
        return b

    def uint(self, what: str) -> int:
        # py/persistentcode.c read_uint: 7-bit groups, most significant first
        value = 0
        start = self.pos
        while True:
            b = self.byte(what)
            value = (value << 7) | (b & 0x7F)
            if not b & 0x80:
                return value
            if self.pos - start > 10:
                raise self.error(f"{what}: var-uint too long", start)

    def uint_raw(self, what: str) -> bytes:
        """A var-uint's bytes as stored."""
        start = self.pos
        self.uint(what)
        return self.data[start:self.pos]


@deep_stack
def read_mpy(data: bytes, filename: str | None = None) -> MpyFile:
    """Parse `data`; raise FormatError on anything malformed."""
    data = bytes(data)
    s = _Stream(data, filename)
    if not data:
        raise s.error("empty file: expected a .mpy header ('M' or 'C')", 0)
    magic = s.byte("the magic byte")
    if magic not in _MAGICS:
        raise s.error(f"not a .mpy file: expected 'M' or 'C', found byte 0x{magic:02x}", 0)
    version = s.byte("the .mpy version")
    lay = layout(version)
    if lay is None:
        known = sorted(layouts())
        raise s.error(f"unsupported .mpy version {version} (expected {known[0]} to {known[-1]})", 1)
    feature = s.byte("the feature byte")
    small_int_bits = s.byte("the small-int bits")
    header = Header(chr(magic), version, feature, small_int_bits)
    try:
        if lay.header == "v5":
            header.qstr_window_size = s.uint("the qstr window size")
            if not 1 <= header.qstr_window_size <= 1024:
                raise s.error(f"qstr window size {header.qstr_window_size} out of range", 4)
        elif lay.header == "v6" and feature & model.FEATURE_ARCH_FLAGS:
            header.arch_flags = s.uint("the arch flags")
        if lay.const_table == "global":
            mpy = _read_global_tables(s, header, lay)
        else:
            mpy = MpyFile(header, _OldReader(s, header, lay).raw_code())
    except DecodeError as e:  # pragma: no cover - converted where raised
        raise s.error(str(e)) from None
    if s.pos != len(data):
        raise s.error(f"expected the end of the file, found {len(data) - s.pos} more bytes")
    mpy.filename = filename
    mpy.size = len(data)
    return mpy


# ---- module-level tables (v6) ------------------------------------------------

def _read_qstr_v6(s: _Stream) -> str:
    start = s.pos
    v = s.uint("a qstr")
    if v & 1:
        n = v >> 1
        table = static_qstrs()
        if not 1 <= n <= len(table):
            raise s.error(f"static qstr number {n} out of range (1..{len(table)})", start)
        return table[n - 1]
    text = s.take(v >> 1, "qstr text")
    if s.byte("the qstr's NUL terminator") != 0:
        raise s.error("expected a NUL after the qstr text", s.pos - 1)
    return decode_str(text)


def _read_obj_v6(s: _Stream, depth: int = 0):
    start = s.pos
    t = s.byte("an object type")
    if t >= len(V6_OBJ_TYPES):
        raise s.error(f"unknown object type {t} (expected 0..{len(V6_OBJ_TYPES) - 1})", start)
    kind = V6_OBJ_TYPES[t]
    if kind == "fun_table":
        return FUN_TABLE
    if kind in ("none", "false", "true", "ellipsis"):
        return {"none": None, "false": False, "true": True, "ellipsis": Ellipsis}[kind]
    if kind == "tuple":
        if depth >= MAX_NESTING:
            raise s.error(f"tuple constants nested more than {MAX_NESTING} deep", start)
        n = s.uint("the tuple length")
        return tuple(_read_obj_v6(s, depth + 1) for _ in range(n))
    n = s.uint(f"the {kind} length")
    raw = s.take(n, f"{kind} data")
    if kind in ("str", "bytes"):
        if s.byte("the NUL terminator") != 0:
            raise s.error(f"expected a NUL after the {kind} data", s.pos - 1)
        return decode_str(raw) if kind == "str" else raw
    return _number(s, kind, raw, start)


def int_value(text: str) -> int:
    """int(text) for any length: CPython's int() refuses more than 4300 digits
    (sys.int_max_str_digits); the inverse of writer.int_text."""
    digits = text.lstrip("-")
    if len(digits) <= 4000 or not digits.isdigit():
        return int(text)
    half = len(digits) // 2
    value = int_value(digits[:-half]) * 10 ** half + int_value(digits[-half:])
    return -value if text.startswith("-") else value


def _number(s: _Stream, kind: str, raw: bytes, start: int):
    try:
        text = raw.decode("ascii")
        if kind == "int":
            value = int_value(text)
            if int_text(value) != text:
                raise ValueError
            return value
        return FloatConst(text) if kind == "float" else ComplexConst(text)
    except ValueError:
        raise s.error(f"malformed {kind} constant {_excerpt(raw)}", start) from None


def _excerpt(raw: bytes, limit: int = 40) -> str:
    """A constant's bytes for an error message: the start of a long one, and its length."""
    if len(raw) <= limit:
        return repr(raw)
    return f"{raw[:limit]!r}... ({len(raw)} bytes)"


def _read_global_tables(s: _Stream, header: Header, lay: Layout) -> MpyFile:
    n_qstr = s.uint("the qstr count")
    n_obj = s.uint("the object count")
    if n_qstr > len(s.data) or n_obj > len(s.data):
        raise s.error(f"table sizes {n_qstr}/{n_obj} larger than the file")
    qstr_table = [_read_qstr_v6(s) for _ in range(n_qstr)]
    obj_table = [_read_obj_v6(s) for _ in range(n_obj)]
    root = _read_raw_code_v6(s, lay, 0)
    return MpyFile(header, root, qstr_table, obj_table)


def _read_relocations(s: _Stream) -> bytes:
    # py/persistentcode.c mp_native_relocate: ops until 0xff
    start = s.pos
    while True:
        op = s.byte("a relocation entry or 0xff")
        if op == 0xFF:
            return s.data[start:s.pos]
        if op & 1:
            s.uint("a relocation address")
        op >>= 1
        if op <= 5 and op & 1:
            s.uint("a relocation count")


def _read_raw_code_v6(s: _Stream, lay: Layout, depth: int) -> RawCode:
    if depth >= MAX_NESTING:
        raise s.error(f"functions nested more than {MAX_NESTING} deep")
    start = s.pos
    kind_len = s.uint("a raw code's kind and length")
    rc = RawCode(kind=model.KINDS[kind_len & 3], file_offset=start)
    has_children = kind_len & 4
    rc.fun_data = s.take(kind_len >> 3, f"{rc.kind} code")
    if rc.kind == "bytecode":
        _check_prelude(s, rc.fun_data, lay, start)
    elif rc.kind == "native":
        rc.prelude_offset = s.uint("the native prelude offset")
        if rc.prelude_offset > len(rc.fun_data):
            raise s.error("native prelude offset past the end of the code", start)
    else:
        rc.scope_flags = s.uint("the scope flags")
        if rc.kind == "asm":
            rc.n_pos_args = s.uint("the asm argument count")
            rc.type_sig = s.uint("the asm type signature")
    if rc.kind == "viper":
        rodata_size = s.uint("the rodata size") if rc.scope_flags & model.SCOPE_FLAG_VIPERRODATA else None
        if rc.scope_flags & model.SCOPE_FLAG_VIPERBSS:
            rc.bss_size = s.uint("the bss size")
        if rodata_size is not None:
            rc.rodata = s.take(rodata_size, "rodata")
    if has_children:
        n = s.uint("the child count")
        if n > len(s.data):
            raise s.error(f"child count {n} larger than the file")
        rc.children = [_read_raw_code_v6(s, lay, depth + 1) for _ in range(n)]
    if rc.kind != "bytecode" and (rc.scope_flags or 0) & model.SCOPE_FLAG_VIPERRELOC:
        rc.relocations = _read_relocations(s)
    return rc


def _check_prelude(s: _Stream, code: bytes, lay: Layout, start: int):
    try:
        p = decode_prelude(code, 0, lay.prelude, lay.code_info)
    except DecodeError as e:
        raise s.error(f"bad bytecode prelude: {e}", start) from None
    if p.bytecode_offset > len(code):
        raise s.error("bytecode prelude runs past the end of the code", start)
    return p


# ---- v2 .. v5 ---------------------------------------------------------------

_LETTERS = {ord(letter): kind for letter, kind in model.OBJ_TYPE_LETTERS.items()}


class _OldReader:
    """Raw codes of .mpy v2..v5: qstrs inline, constant tables per raw code."""

    def __init__(self, s: _Stream, header: Header, lay: Layout):
        self.s = s
        self.header = header
        self.lay = lay
        self.table = opcode_table(lay.bytecode)
        # header flag bit 0: a cache byte follows some opcodes (only tables that list them)
        self.cache_lookup = bool(header.flags & 1) and bool(self.table.cache_lookup)
        self.window = QstrWindow(header.qstr_window_size) if lay.qstr_encoding == "window" else None
        self.depth = 0

    def qstr(self) -> str:
        s = self.s
        start = s.pos
        if self.lay.qstr_encoding == "inline_len":
            # mp-v1.9.3/py/persistentcode.c load_qstr: length, then the text
            n = s.uint("a qstr length")
            return decode_str(s.take(n, "qstr text"))
        n = s.uint("a qstr")
        if n == 0:
            num = s.byte("a static qstr number")
            table = static_qstrs()
            if not 1 <= num <= len(table):
                raise s.error(f"static qstr number {num} out of range", start)
            return table[num - 1]
        if n & 1:
            if (n >> 1) >= self.window.size:
                raise s.error(f"qstr window index {n >> 1} out of range", start)
            name = self.window.access(n >> 1)
            if name is None:
                raise s.error(f"qstr window slot {n >> 1} is empty", start)
            return name
        name = decode_str(s.take(n >> 1, "qstr text"))
        self.window.push(name)
        return name

    def obj(self):
        s = self.s
        start = s.pos
        t = s.byte("an object type")
        kind = _LETTERS.get(t)
        if kind is None:
            raise s.error(f"unknown object type {t!r} (expected one of {' '.join(model.OBJ_TYPE_LETTERS)})",
                          start)
        if kind == "ellipsis":
            return Ellipsis
        n = s.uint("an object length")
        raw = s.take(n, "object data")
        if kind == "str":
            return decode_str(raw)
        if kind == "bytes":
            return raw
        return _number(s, kind, raw, start)

    def raw_code(self) -> RawCode:
        s = self.s
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise s.error(f"functions nested more than {MAX_NESTING} deep")
        start = s.pos
        if self.lay.raw_code_head == "len":
            rc = self._bytecode_v3()
            rc.file_offset = start
        else:
            kind_len = s.uint("a raw code's kind and length")
            rc = RawCode(kind=model.KINDS[kind_len & 3], file_offset=start)
            n = kind_len >> 2
            if rc.kind == "bytecode":
                self._bytecode_v45(rc, n, start)
            else:
                self._native_v45(rc, n, start)
        if rc.kind != "asm":
            n_obj = s.uint("the object count")
            n_raw_code = s.uint("the raw code count")
            if n_obj > len(s.data) or n_raw_code > len(s.data):
                raise s.error("constant table larger than the file")
            rc.arg_names = [self.qstr() for _ in range(self._n_args(rc))]
            if rc.kind != "bytecode" and "viper_data" in self.lay.native:
                if (rc.scope_flags or 0) & model.SCOPE_FLAG_VIPERRODATA:
                    rc.rodata = s.take(s.uint("the rodata size"), "rodata")
                if (rc.scope_flags or 0) & model.SCOPE_FLAG_VIPERBSS:
                    rc.bss_size = s.uint("the bss size")
            rc.consts = [self.obj() for _ in range(n_obj)]
            rc.children = [self.raw_code() for _ in range(n_raw_code)]
        if rc.kind != "bytecode" and "viper_data" in self.lay.native and \
                (rc.scope_flags or 0) & model.SCOPE_FLAG_VIPERRELOC:
            rc.relocations = _read_relocations(s)
        self.depth -= 1
        return rc

    def _n_args(self, rc: RawCode) -> int:
        if rc.kind == "bytecode":
            p = decode_prelude(rc.fun_data, 0, self.lay.prelude, self.lay.code_info)
        elif rc.kind == "native":
            p = decode_prelude(rc.fun_data, rc.prelude_offset, self.lay.prelude, self.lay.code_info)
        else:
            return 0
        return p.n_pos_args + p.n_kwonly_args

    def _walk_qstr_operands(self, code: bytes, ip: int, start: int) -> list[int]:
        """Offsets of the 2-byte qstr slots in memory-form bytecode."""
        slots = []
        while ip < len(code):
            try:
                ins = decode(self.table, code, ip, self.cache_lookup)
            except DecodeError as e:
                raise self.s.error(f"bad bytecode at code offset {e.offset}: {e}", start) from None
            if ins.info.operand == "qstr":
                slots.append(ins.operand_offset)
            ip += ins.size
        return slots

    def _bytecode_v3(self) -> RawCode:
        # mp-v1.9.3/py/persistentcode.c load_raw_code: length, bytecode as in memory,
        # simple_name, source_file, one qstr per qstr operand, then the constant table
        s = self.s
        start = s.pos
        n = s.uint("the bytecode length")
        rc = RawCode(kind="bytecode", fun_data=s.take(n, "bytecode"))
        p = _check_prelude(s, rc.fun_data, self.lay, start)
        n_ops = len(self._walk_qstr_operands(rc.fun_data, p.bytecode_offset, start))
        rc.qstrs = [self.qstr() for _ in range(2 + n_ops)]
        return rc

    def _bytecode_v45(self, rc: RawCode, n: int, start: int) -> None:
        s = self.s
        mem = bytearray()
        names = []
        if self.lay.prelude == "v2":
            # mp-v1.11 load_prelude: the whole prelude as in memory, name slots included
            mem += s.uint_raw("n_state")
            mem += s.uint_raw("n_exc_stack")
            mem += s.take(4, "the prelude flags")
            size_bytes = s.uint_raw("the code info size")
            mem += size_bytes
            code_info_size = 0
            for b in size_bytes:
                code_info_size = (code_info_size << 7) | (b & 0x7F)
            if code_info_size < len(size_bytes):
                raise s.error("code info size smaller than itself", start)
            mem += s.take(code_info_size - len(size_bytes), "the code info")
            while True:
                b = s.byte("a closure cell or 255")
                mem.append(b)
                if b == 255:
                    break
        else:
            # mp-v1.18 load_prelude: signature, size, two qstrs, then the rest
            mem += s.uint_raw("the prelude signature")
            mem += s.uint_raw("the prelude size")
            try:
                p = decode_prelude(bytes(mem), 0, "v5", self.lay.code_info, header_only=True)
            except DecodeError as e:
                raise s.error(f"bad bytecode prelude: {e}", start) from None
            if p.n_info < 4:
                raise s.error("code info shorter than its two name qstrs", start)
            names = [self.qstr(), self.qstr()]
            mem += bytes(4)
            mem += s.take(p.n_info - 4 + p.n_cell, "the code info and cells")
        if len(mem) > n:
            raise s.error("bytecode prelude longer than the raw code", start)
        operands = []
        # load_bytecode: opcodes, with each qstr operand replaced by an encoded qstr
        while len(mem) < n:
            op_at = s.pos
            op = s.byte("an opcode")
            info = self.table.slots[op]
            if info is None:
                raise s.error(f"unknown opcode 0x{op:02x}", op_at)
            mem.append(op)
            if info.operand == "qstr":
                operands.append(self.qstr())
                mem += bytes(2)
                if self.cache_lookup and info.name in self.table.cache_lookup:
                    mem.append(s.byte("a cache byte"))
            elif info.operand in ("uint", "sint", "obj", "child"):
                mem += s.uint_raw("an operand")
            elif info.operand.startswith("jump"):
                mem += s.take(2, "a jump offset")
            if info.extra:
                mem.append(s.byte("an extra operand byte"))
        if len(mem) != n:
            raise s.error("the last instruction runs past the end of the raw code")
        rc.fun_data = bytes(mem)
        if self.lay.code_qstrs == "inline_names_last":
            names = [self.qstr(), self.qstr()]
        rc.qstrs = names + operands

    def _native_v45(self, rc: RawCode, n: int, start: int) -> None:
        s = self.s
        rc.fun_data = s.take(n, f"{rc.kind} code")
        if rc.kind in ("native", "viper") and "qstr_links" in self.lay.native:
            count = s.uint("the qstr link count")
            if count > len(s.data):
                raise s.error("qstr link count larger than the file")
            rc.qstr_links = [(s.uint("a qstr link offset"), self.qstr()) for _ in range(count)]
        if rc.kind == "native":
            rc.prelude_offset = s.uint("the native prelude offset")
            if rc.prelude_offset > len(rc.fun_data):
                raise s.error("native prelude offset past the end of the code", start)
            try:
                decode_prelude(rc.fun_data, rc.prelude_offset, self.lay.prelude, self.lay.code_info)
            except DecodeError as e:
                raise s.error(f"bad native prelude: {e}", start) from None
            rc.qstrs = [self.qstr(), self.qstr()]
        else:
            rc.scope_flags = s.uint("the scope flags")
            if rc.kind == "asm":
                rc.n_pos_args = s.uint("the asm argument count")
                rc.type_sig = s.uint("the asm type signature")
