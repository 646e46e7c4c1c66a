"""Write an `MpyFile` as `.mpy` bytes, mirroring each release's saver
(py/persistentcode.c mp_raw_code_save / save_raw_code).

A plain bytearray encoder, not Construct: the compiler calls it on every
`mpy-cross foo.py`, and building through Construct costs far more than the
few milliseconds that path may take. tests/test_format_construct.py checks
this encoder against the Construct schema in mpycross.mpy.schema.
"""

from __future__ import annotations

from mpycross.deep import deep_stack, model_is_deep
from mpycross.errors import FormatError
from mpycross.mpy import model
from mpycross.mpy.layout import Layout, layout
from mpycross.mpy.model import ComplexConst, FloatConst, MpyFile, RawCode
from mpycross.mpy.opcodes import decode, opcode_table
from mpycross.mpy.qstrs import QstrWindow, encode_str, static_qstr_numbers

ONE_BYTE = [bytes((i,)) for i in range(256)]  # bytes((i,)) made once


def encode_uint(n: int) -> bytes:
    """MicroPython var-uint (py/persistentcode.c mp_print_uint, py/bc.c mp_encode_uint):
    7-bit groups, high group first. The compiler's emitters call it for every operand."""
    if 0 <= n < 0x80:
        return ONE_BYTE[n]
    if n < 0:
        raise ValueError(f"var-uint cannot encode a negative number ({n})")
    out = [n & 0x7F]
    n >>= 7
    while n:
        out.append(0x80 | (n & 0x7F))
        n >>= 7
    return bytes(reversed(out))


def int_text(n: int) -> str:
    """Decimal text of any int: CPython's str() refuses more than 4300 digits
    (sys.int_max_str_digits), and mpy-cross stores 100,000-digit literals fine.
    Splits the number around a power of ten and converts the halves."""
    if n < 0:
        return "-" + int_text(-n)
    if n.bit_length() <= 8192:  # at most 2467 digits: under the limit
        return str(n)
    half = n.bit_length() * 3 // 20  # about half the decimal digits (log10(2) ~ 0.3)
    high, low = divmod(n, 10 ** half)
    return int_text(high) + int_text(low).rjust(half, "0")


def float_text(value: float) -> str:
    """Text MicroPython stores for a float constant, when the caller gave a plain float."""
    if isinstance(value, FloatConst):
        return value.text
    text = repr(float(value))
    return text


def complex_text(value: complex) -> str:
    if isinstance(value, ComplexConst):
        return value.text
    if value.real == 0:
        return f"{float_text(value.imag)}j"
    return f"({float_text(value.real)}{'+' if value.imag >= 0 else '-'}{float_text(abs(value.imag))}j)"


@deep_stack(needed=model_is_deep)
def write_mpy(mpy: MpyFile) -> bytes:
    """Encode `mpy`; raise FormatError when the model cannot be written."""
    h = mpy.header
    lay = layout(h.version)
    if lay is None:
        raise FormatError(f"cannot write .mpy version {h.version}")
    out = bytearray((ord(h.magic), h.version, h.feature, h.small_int_bits))
    if lay.header == "v5":
        out += encode_uint(h.qstr_window_size if h.qstr_window_size is not None else 32)
    elif lay.header == "v6" and h.feature & model.FEATURE_ARCH_FLAGS:
        out += encode_uint(h.arch_flags or 0)
    if lay.const_table == "global":
        _write_global_tables(out, mpy)
    else:
        _OldWriter(out, h, lay).raw_code(mpy.root)
    return bytes(out)


# ---- module-level tables (v6) ------------------------------------------------

def _write_global_tables(out: bytearray, mpy: MpyFile) -> None:
    out += encode_uint(len(mpy.qstr_table))
    out += encode_uint(len(mpy.obj_table))
    static = static_qstr_numbers()
    for q in mpy.qstr_table:
        # py/persistentcode.c save_qstr
        num = static.get(q)
        if num is not None:
            out += encode_uint(num << 1 | 1)
        else:
            b = encode_str(q)
            out += encode_uint(len(b) << 1)
            out += b
            out.append(0)
    for o in mpy.obj_table:
        _write_obj_v6(out, o)
    _write_raw_code_v6(out, mpy.root)


# py/persistentcode.h MP_PERSISTENT_OBJ_*
_OBJ_FUN_TABLE, _OBJ_NONE, _OBJ_FALSE, _OBJ_TRUE, _OBJ_ELLIPSIS, _OBJ_STR, _OBJ_BYTES, \
    _OBJ_INT, _OBJ_FLOAT, _OBJ_COMPLEX, _OBJ_TUPLE = (model.OBJ_TYPE_NUMBERS.index(k) for k in (
        "fun_table", "none", "false", "true", "ellipsis", "str", "bytes", "int", "float", "complex", "tuple"))
_LETTER = {kind: letter for letter, kind in model.OBJ_TYPE_LETTERS.items()}


def _write_obj_v6(out: bytearray, o) -> None:
    # py/persistentcode.c save_obj
    if o is None:
        out.append(_OBJ_NONE)
    elif o is False:
        out.append(_OBJ_FALSE)
    elif o is True:
        out.append(_OBJ_TRUE)
    elif o is Ellipsis:
        out.append(_OBJ_ELLIPSIS)
    elif isinstance(o, (str, bytes)):
        b = encode_str(o) if isinstance(o, str) else o
        out.append(_OBJ_STR if isinstance(o, str) else _OBJ_BYTES)
        out += encode_uint(len(b))
        out += b
        out.append(0)
    elif isinstance(o, tuple):
        out.append(_OBJ_TUPLE)
        out += encode_uint(len(o))
        for item in o:
            _write_obj_v6(out, item)
    elif isinstance(o, int):
        _write_text(out, _OBJ_INT, int_text(o))
    elif isinstance(o, float):
        _write_text(out, _OBJ_FLOAT, float_text(o))
    elif isinstance(o, complex):
        _write_text(out, _OBJ_COMPLEX, complex_text(o))
    elif type(o).__name__ == "FunTable":
        out.append(_OBJ_FUN_TABLE)
    else:
        raise FormatError(f"cannot store a {type(o).__name__} constant in a .mpy file")


def _write_text(out: bytearray, kind, text: str) -> None:
    b = text.encode("ascii")
    out.append(kind) if isinstance(kind, int) else out.append(ord(kind))
    out += encode_uint(len(b))
    out += b


def _write_raw_code_v6(out: bytearray, rc: RawCode) -> None:
    # py/persistentcode.c save_raw_code
    kind = model.KINDS.index(rc.kind)
    out += encode_uint(len(rc.fun_data) << 3 | (bool(rc.children) << 2) | kind)
    out += rc.fun_data
    if rc.kind == "native":
        out += encode_uint(rc.prelude_offset or 0)
    elif rc.kind in ("viper", "asm"):
        out += encode_uint(rc.scope_flags or 0)
        if rc.kind == "asm":
            out += encode_uint(rc.n_pos_args or 0)
            out += encode_uint(rc.type_sig or 0)
    if rc.kind == "viper":
        flags = rc.scope_flags or 0
        if flags & model.SCOPE_FLAG_VIPERRODATA:
            out += encode_uint(len(rc.rodata or b""))
        if flags & model.SCOPE_FLAG_VIPERBSS:
            out += encode_uint(rc.bss_size or 0)
        if flags & model.SCOPE_FLAG_VIPERRODATA:
            out += rc.rodata or b""
    if rc.children:
        out += encode_uint(len(rc.children))
        for child in rc.children:
            _write_raw_code_v6(out, child)
    if rc.kind != "bytecode" and (rc.scope_flags or 0) & model.SCOPE_FLAG_VIPERRELOC:
        out += rc.relocations or b"\xff"


# ---- v2 .. v5 ---------------------------------------------------------------

class _OldWriter:
    def __init__(self, out: bytearray, header: model.Header, lay: Layout):
        self.out = out
        self.version = header.version
        self.lay = lay
        self.table = opcode_table(lay.bytecode)
        # header flag bit 0: a cache byte follows some opcodes (only tables that list them)
        self.cache_lookup = bool(header.flags & 1) and bool(self.table.cache_lookup)
        size = header.qstr_window_size if header.qstr_window_size is not None else 32
        self.window = QstrWindow(size) if lay.qstr_encoding == "window" else None
        self.static = static_qstr_numbers()

    def qstr(self, name: str) -> None:
        out = self.out
        b = encode_str(name)
        if self.lay.qstr_encoding == "inline_len":
            out += encode_uint(len(b))
            out += b
            return
        # mp-v1.18/py/persistentcode.c save_qstr: static, window, or text
        num = self.static.get(name)
        if num is not None:
            out += bytes((0, num))
            return
        distance = self.window.insert(name)
        if distance is not None:
            out += encode_uint(distance << 1 | 1)
            return
        out += encode_uint(len(b) << 1)
        out += b

    def obj(self, o) -> None:
        out = self.out
        if o is Ellipsis:
            out.append(ord(_LETTER["ellipsis"]))
        elif isinstance(o, (str, bytes)):
            b = encode_str(o) if isinstance(o, str) else o
            out.append(ord(_LETTER["str" if isinstance(o, str) else "bytes"]))
            out += encode_uint(len(b))
            out += b
        elif isinstance(o, bool) or o is None or isinstance(o, tuple):
            raise FormatError(f".mpy v{self.version} cannot store a {type(o).__name__} constant")
        elif isinstance(o, int):
            _write_text(out, _LETTER["int"], int_text(o))
        elif isinstance(o, float):
            _write_text(out, _LETTER["float"], float_text(o))
        elif isinstance(o, complex):
            _write_text(out, _LETTER["complex"], complex_text(o))
        else:
            raise FormatError(f"cannot store a {type(o).__name__} constant in a .mpy file")

    def _qstr_slots(self, code: bytes, ip: int) -> list[int]:
        slots = []
        while ip < len(code):
            ins = decode(self.table, code, ip, self.cache_lookup)
            if ins.info.operand == "qstr":
                slots.append(ins.operand_offset)
            ip += ins.size
        return slots

    def raw_code(self, rc: RawCode) -> None:
        out = self.out
        lay = self.lay
        if lay.raw_code_head == "len":
            if rc.kind != "bytecode":
                raise FormatError(f".mpy v{self.version} cannot store {rc.kind} code")
            # mp-v1.9.3/py/persistentcode.c save_raw_code
            out += encode_uint(len(rc.fun_data))
            out += rc.fun_data
            for q in rc.qstrs:
                self.qstr(q)
        else:
            kind = model.KINDS.index(rc.kind)
            out += encode_uint(len(rc.fun_data) << 2 | kind)
            if rc.kind == "bytecode":
                self._bytecode_v45(rc)
            else:
                out += rc.fun_data
                if rc.kind in ("native", "viper") and "qstr_links" in lay.native:
                    out += encode_uint(len(rc.qstr_links))
                    for off, name in rc.qstr_links:
                        out += encode_uint(off)
                        self.qstr(name)
                if rc.kind == "native":
                    out += encode_uint(rc.prelude_offset or 0)
                    for q in rc.qstrs[:2]:
                        self.qstr(q)
                else:
                    out += encode_uint(rc.scope_flags or 0)
                    if rc.kind == "asm":
                        out += encode_uint(rc.n_pos_args or 0)
                        out += encode_uint(rc.type_sig or 0)
        if rc.kind != "asm":
            out += encode_uint(len(rc.consts))
            out += encode_uint(len(rc.children))
            for q in rc.arg_names:
                self.qstr(q)
            flags = rc.scope_flags or 0
            if rc.kind != "bytecode" and "viper_data" in lay.native:
                if flags & model.SCOPE_FLAG_VIPERRODATA:
                    out += encode_uint(len(rc.rodata or b""))
                    out += rc.rodata or b""
                if flags & model.SCOPE_FLAG_VIPERBSS:
                    out += encode_uint(rc.bss_size or 0)
            for o in rc.consts:
                self.obj(o)
            for child in rc.children:
                self.raw_code(child)
        if rc.kind != "bytecode" and "viper_data" in lay.native and \
                (rc.scope_flags or 0) & model.SCOPE_FLAG_VIPERRELOC:
            out += rc.relocations or b"\xff"

    def _bytecode_v45(self, rc: RawCode) -> None:
        from mpycross.mpy.prelude import decode_prelude  # (v4/v5 only: not on a v6 compile's path)

        out = self.out
        code = rc.fun_data
        p = decode_prelude(code, 0, self.lay.prelude, self.lay.code_info)
        names, operands = rc.qstrs[:2], rc.qstrs[2:]
        slots = self._qstr_slots(code, p.bytecode_offset)
        if len(slots) != len(operands):
            raise FormatError(f"raw code has {len(slots)} qstr operands but {len(operands)} qstrs")
        names_last = self.lay.code_qstrs == "inline_names_last"
        if names_last:
            # mp-v1.11: the prelude as in memory, then the bytecode, then the two names
            pos = p.bytecode_offset
            out += code[:pos]
        else:
            # mp-v1.18 save_raw_code: prelude header, two names, rest of the prelude
            out += code[:p.names_offset]
            for q in names:
                self.qstr(q)
            pos = p.names_offset + 4
        for slot, q in zip(slots, operands):
            out += code[pos:slot]
            self.qstr(q)
            pos = slot + 2
        out += code[pos:]
        if names_last:
            for q in names:
                self.qstr(q)
