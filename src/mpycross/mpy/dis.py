"""Disassemble an `MpyFile`: header, tables, and each raw code's prelude,
argument names, line table and instructions, in the words of MicroPython's
own disassembler (py/showbc.c mp_bytecode_print, tools/mpy-tool.py).

`disassemble(mpy) -> dict` gives the structure (what `mpycross dis --json`
prints); `format_text(listing) -> str` the text. Names and strings that are
not valid UTF-8 show each such byte as \\xNN, so any output encoding can
print them.
"""

from __future__ import annotations

from mpycross.deep import deep_stack, model_is_deep
from mpycross.errors import FormatError
from mpycross.mpy.model import ComplexConst, FloatConst, MpyFile, RawCode
from mpycross.mpy.opcodes import DecodeError, decode, opcode_table
from mpycross.mpy.prelude import decode_line_info, decode_prelude
from mpycross.mpy.qstrs import display_repr, display_str
from mpycross.mpy.writer import int_text

# py/objtype.c mp_unary_op_method_name / mp_binary_op_method_name
_METHOD = {
    "POSITIVE": "__pos__", "NEGATIVE": "__neg__", "INVERT": "__invert__", "NOT": "<not>",
    "LESS": "__lt__", "MORE": "__gt__", "EQUAL": "__eq__", "LESS_EQUAL": "__le__",
    "MORE_EQUAL": "__ge__", "NOT_EQUAL": "__ne__", "IN": "__contains__", "IS": "<is>",
    "EXCEPTION_MATCH": "<exception match>", "DIVMOD": "__divmod__",
}
for _op, _m in (("OR", "or"), ("XOR", "xor"), ("AND", "and"), ("LSHIFT", "lshift"),
                ("RSHIFT", "rshift"), ("ADD", "add"), ("SUBTRACT", "sub"), ("MULTIPLY", "mul"),
                ("MAT_MULTIPLY", "matmul"), ("FLOOR_DIVIDE", "floordiv"),
                ("TRUE_DIVIDE", "truediv"), ("MODULO", "mod"), ("POWER", "pow")):
    _METHOD[_op] = f"__{_m}__"
    _METHOD["INPLACE_" + _op] = f"__i{_m}__"

# py/runtime0.h MP_SCOPE_FLAG_*
_SCOPE_FLAGS = ((0x01, "GENERATOR"), (0x02, "VARKEYWORDS"), (0x04, "VARARGS"), (0x08, "DEFKWARGS"))


def const_repr(o) -> str:
    if isinstance(o, (FloatConst, ComplexConst)):
        return o.text
    if o is Ellipsis:
        return "Ellipsis"
    if isinstance(o, tuple):
        inner = ", ".join(const_repr(x) for x in o)
        return f"({inner},)" if len(o) == 1 else f"({inner})"
    if isinstance(o, str):
        return display_repr(o)
    if isinstance(o, int) and not isinstance(o, bool):
        return int_text(o)
    return repr(o)


def _json_const(o):
    if isinstance(o, (FloatConst, ComplexConst)):
        return {"type": "float" if isinstance(o, FloatConst) else "complex", "text": o.text}
    if isinstance(o, bytes):
        return {"type": "bytes", "hex": o.hex(), "repr": repr(o)}
    if isinstance(o, tuple):
        return {"type": "tuple", "items": [_json_const(x) for x in o]}
    if o is Ellipsis:
        return {"type": "ellipsis"}
    if isinstance(o, bool) or o is None:
        return o
    if isinstance(o, int):
        return {"type": "int", "value": int_text(o)} if abs(o) >= 1 << 53 else o
    if isinstance(o, float):
        return {"type": "float", "text": repr(o)}
    if isinstance(o, complex):
        return {"type": "complex", "text": repr(o)}
    if isinstance(o, str):
        return display_str(o)
    return {"type": type(o).__name__, "repr": repr(o)}


class _Context:
    def __init__(self, mpy: MpyFile):
        self.mpy = mpy
        self.lay = mpy.header.layout
        self.table = opcode_table(self.lay.bytecode)
        self.cache_lookup = bool(mpy.header.flags & 1) and bool(self.table.cache_lookup)
        # where names, qstr operands and constants live (formats/versions.toml)
        self.qstr_indices = self.lay.code_qstrs == "table_indices"
        self.global_consts = self.table.obj_operand == "index"
        self.counter = 0

    def error(self, rc: RawCode, message: str) -> FormatError:
        return FormatError(message, rc.file_offset, self.mpy.filename)

    def qstr_at(self, index: int) -> str:
        t = self.mpy.qstr_table
        return display_str(t[index]) if 0 <= index < len(t) else f"<qstr index {index} out of range>"


@deep_stack(needed=model_is_deep)
def disassemble(mpy: MpyFile) -> dict:
    """The whole file as plain data (JSON-ready)."""
    ctx = _Context(mpy)
    h = mpy.header
    out = {
        "file": mpy.filename,
        "size": mpy.size,
        "header": {
            "magic": h.magic, "version": h.version, "sub_version": h.sub_version,
            "version_name": h.version_name, "feature_byte": h.feature, "flags": h.flags,
            "arch": h.arch_name, "arch_flags": h.arch_flags, "small_int_bits": h.small_int_bits,
            "qstr_window_size": h.qstr_window_size,
        },
        "source_file": display_str(mpy.source_name) if mpy.source_name else mpy.source_name,
    }
    if ctx.lay.const_table == "global":
        out["qstr_table"] = [display_str(q) for q in mpy.qstr_table]
        out["qstr_table_repr"] = [display_repr(q) for q in mpy.qstr_table]
        out["obj_table"] = [_json_const(o) for o in mpy.obj_table]
        out["obj_table_repr"] = [const_repr(o) for o in mpy.obj_table]
    out["raw_code"] = _raw_code(ctx, mpy.root)
    native = [d for d in _walk(out["raw_code"]) if d["kind"] != "bytecode"]
    if native:
        kinds = {}
        for d in native:
            kinds[d["kind"]] = kinds.get(d["kind"], 0) + 1
        out["native_summary"] = {"arch": h.arch_name, "functions": kinds,
                                 "machine_code_size": sum(d["machine_code_size"] for d in native),
                                 "native_prelude_size": sum(d["native_prelude_size"] for d in native)}
    return out


def _walk(d: dict):
    yield d
    for child in d["children"]:
        yield from _walk(child)


def module_instructions(mpy: MpyFile) -> list[dict]:
    """The module body's instructions only (as in `disassemble`), without decoding its functions."""
    ctx = _Context(mpy)
    if mpy.root.kind != "bytecode":
        return []
    _, p = _prelude_dict(ctx, mpy.root, 0)
    return _instructions(ctx, mpy.root, p.bytecode_offset)


def _prelude_dict(ctx: _Context, rc: RawCode, offset: int) -> tuple[dict, object]:
    try:
        p = decode_prelude(rc.fun_data, offset, ctx.lay.prelude, ctx.lay.code_info)
    except DecodeError as e:
        raise ctx.error(rc, f"bad prelude: {e}") from None
    if ctx.qstr_indices:
        name = ctx.qstr_at(p.simple_name_index)
        source = ctx.qstr_at(0)
        args = [ctx.qstr_at(i) for i in p.arg_name_indices]
    else:
        name = display_str(rc.qstrs[0]) if rc.qstrs else "?"
        source = display_str(rc.qstrs[1]) if len(rc.qstrs) > 1 else "?"
        args = [display_str(a) for a in rc.arg_names]
    flags = [n for bit, n in _SCOPE_FLAGS if p.scope_flags & bit]
    # Before v5 the closure-cell list (cells + 255) was written into the
    # bytecode stream, so line-table offsets count from the start of that
    # list (py/emitbc.c of 1.9-1.11, mp_emit_bc_start_pass); shift them to
    # instruction offsets.
    shift = len(p.cells) + 1 if ctx.lay.prelude == "v2" else 0
    lines = [{"bc": max(0, bc - shift) if bc else 0, "line": line}
             for bc, line in [(0, 1)] + decode_line_info(rc.fun_data, p.line_info_offset, p.line_info_end)]
    return {
        "simple_name": name, "source_file": source, "arg_names": args,
        "n_state": p.n_state, "n_exc_stack": p.n_exc_stack, "scope_flags": p.scope_flags,
        "scope_flag_names": flags, "n_pos_args": p.n_pos_args, "n_kwonly_args": p.n_kwonly_args,
        "n_def_pos_args": p.n_def_pos_args, "cells": p.cells, "n_info": p.n_info,
        "line_info": lines, "prelude_size": p.bytecode_offset - offset,
    }, p


def _raw_code(ctx: _Context, rc: RawCode) -> dict:
    index = ctx.counter
    ctx.counter += 1
    d = {"index": index, "kind": rc.kind, "size": len(rc.fun_data)}
    if rc.kind == "bytecode":
        prelude, p = _prelude_dict(ctx, rc, 0)
        d["prelude"] = prelude
        d["instructions"] = _instructions(ctx, rc, p.bytecode_offset)
    else:
        if rc.kind == "native" and rc.prelude_offset is not None:
            prelude, _ = _prelude_dict(ctx, rc, rc.prelude_offset)
            d["prelude"] = prelude
            d["prelude_offset"] = rc.prelude_offset
        if rc.scope_flags is not None:
            d["scope_flags"] = rc.scope_flags
        if rc.kind == "asm":
            d["n_pos_args"], d["type_sig"] = rc.n_pos_args, rc.type_sig
        d.update(_native_section(ctx, rc))
        if rc.qstr_links:
            d["qstr_links"] = [{"offset": off >> 2, "kind": off & 3, "kind_name": QSTR_LINK_KINDS[off & 3],
                                "qstr": display_str(q)} for off, q in rc.qstr_links]
        if rc.rodata is not None:
            d["rodata_size"] = len(rc.rodata)
        if rc.bss_size is not None:
            d["bss_size"] = rc.bss_size
        if rc.relocations is not None:
            d["relocations_size"] = len(rc.relocations)
            d["relocations"] = decode_relocations(rc.relocations)
        d["code_hex"] = rc.fun_data.hex()
    if ctx.lay.const_table == "per_raw_code":
        d["consts"] = [_json_const(o) for o in rc.consts]
        d["consts_repr"] = [const_repr(o) for o in rc.consts]
    d["children"] = [_raw_code(ctx, child) for child in rc.children]
    return d


# py/persistentcode.c (v5) qstr links: how the loader writes the qstr into the code at `offset`
QSTR_LINK_KINDS = ("16-bit qstr", "arch qstr", "arch qstr object", "qstr object")
# py/emitglue.h MP_NATIVE_TYPE_*: an asm function's return type
ASM_TYPES = ("object", "bool", "int", "uint")


def _native_section(ctx: _Context, rc: RawCode) -> dict:
    """What a loader needs to place native code: the architecture and how the bytes split."""
    code_size = rc.prelude_offset if rc.kind == "native" and rc.prelude_offset is not None else len(rc.fun_data)
    d = {"arch": ctx.mpy.header.arch_name, "machine_code_size": code_size,
         "native_prelude_size": len(rc.fun_data) - code_size}
    if rc.kind == "asm" and rc.type_sig is not None:
        d["return_type"] = ASM_TYPES[rc.type_sig & 3]
    return d


def decode_relocations(data: bytes) -> list[dict]:
    """py/persistentcode.c mp_native_relocate, as data: where each adjustment goes and what is added.

    op bit 0: a new address follows (even: a word of text, odd: of rodata); op >> 1 is
    0-5 (text, rodata, bss base; odd: a count follows), 6 (mp_fun_table) or 7+ (an entry of it).
    """
    out = []
    i = 0
    where = None

    def uint():
        nonlocal i
        value = 0
        while True:
            b = data[i]
            i += 1
            value = (value << 7) | (b & 0x7F)
            if not b & 0x80:
                return value

    while i < len(data) and data[i] != 0xFF:
        op = data[i]
        i += 1
        if op & 1:
            addr = uint()
            where = ("rodata" if addr & 1 else "text", addr >> 1)
        op >>= 1
        count = 1
        if op <= 5:
            if op & 1:
                count = uint()
            dest = ("text", "rodata", "bss")[min(op >> 1, 2)]
        elif op == 6:
            dest = "mp_fun_table"
        else:
            dest = f"mp_fun_table[{op - 7}]"
        section, word = where if where is not None else ("text", 0)
        out.append({"section": section, "word": word, "count": count, "adds": dest})
        where = (section, word + count)
    return out


def _instructions(ctx: _Context, rc: RawCode, start: int) -> list[dict]:
    code = rc.fun_data
    out = []
    ip = start
    qstr_ops = iter(rc.qstrs[2:])
    n_args = len(rc.arg_names)
    while ip < len(code):
        if code[ip] == ctx.table.end_opcode:
            break  # py/persistentcode.c: MP_BC_BASE_RESERVED ends the opcodes
        try:
            ins = decode(ctx.table, code, ip, ctx.cache_lookup)
        except DecodeError as e:
            raise ctx.error(rc, f"bad bytecode at code offset {e.offset - start}: {e}") from None
        info = ins.info
        item = {"offset": ip - start, "opcode": ins.opcode, "name": info.name,
                "bytes": code[ip:ip + ins.size].hex()}
        text = info.name
        if info.count > 1:
            k = ins.multi_index
            if info.name == "LOAD_CONST_SMALL_INT_MULTI":
                item["name"], item["arg"] = "LOAD_CONST_SMALL_INT", k - info.excess
                text = f"LOAD_CONST_SMALL_INT {k - info.excess}"
            elif info.name in ("LOAD_FAST_MULTI", "STORE_FAST_MULTI"):
                item["name"], item["arg"] = info.name[:-6], k
                text = f"{info.name[:-6]} {k}"
            else:
                op = info.ops[k] if k < len(info.ops) else str(k)
                item["name"], item["arg"], item["op"] = info.name[:-6], k, op
                text = f"{info.name[:-6]} {k} {_METHOD.get(op, op)}"
        elif info.operand == "qstr":
            name = ctx.qstr_at(ins.arg) if ctx.qstr_indices else display_str(next(qstr_ops, "?"))
            item["arg"] = name
            quoted = info.name in ("LOAD_CONST_STRING", "IMPORT_NAME", "IMPORT_FROM")
            text = f"{info.name} '{name}'" if quoted else f"{info.name} {name}"
        elif info.operand == "obj":
            idx = ins.arg if ctx.global_consts else ins.arg - n_args
            table = ctx.mpy.obj_table if ctx.global_consts else rc.consts
            value = const_repr(table[idx]) if 0 <= idx < len(table) else f"<index {ins.arg} out of range>"
            item["arg"], item["const"] = ins.arg, value
            text = f"{info.name} {value}"
        elif info.operand == "child":
            idx = ins.arg if ctx.table.child_operand == "index" else ins.arg - n_args - len(rc.consts)
            item["arg"], item["child"] = ins.arg, idx
            text = f"{info.name} child {idx}"
            if info.extra:
                text += f" {ins.extra}"
        elif info.name.startswith("CALL_"):
            item["arg"] = ins.arg
            text = f"{info.name} n={ins.arg & 0xFF} nkw={(ins.arg >> 8) & 0xFF}"
        elif info.operand.startswith("jump"):
            item["arg"] = ins.arg - start
            text = f"{info.name} {ins.arg - start}"
            if info.extra:
                text += f" {ins.extra}"
        elif info.operand != "none":
            item["arg"] = ins.arg
            text = f"{info.name} {ins.arg}"
        elif info.extra:
            text = f"{info.name} {ins.extra}"
        if ins.extra is not None:
            item["extra"] = ins.extra
        item["text"] = text
        out.append(item)
        ip += ins.size
    return out


@deep_stack
def format_text(listing: dict) -> str:
    """The listing as text (what `mpycross dis` prints)."""
    h = listing["header"]
    lines = [f"mpy file: {listing['file'] or '<bytes>'} ({listing['size']} bytes)",
             f"header: magic '{h['magic']}', version {h['version_name']}, arch {h['arch']}, "
             f"small int bits {h['small_int_bits']}, feature byte 0x{h['feature_byte']:02x}"
             + (f", qstr window {h['qstr_window_size']}" if h["qstr_window_size"] is not None else "")
             + (f", arch flags 0x{h['arch_flags']:x}" if h["arch_flags"] is not None else "")]
    if "qstr_table" in listing:
        lines.append(f"qstr table ({len(listing['qstr_table'])}):")
        lines += [f"  {i}: {r}" for i, r in enumerate(listing["qstr_table_repr"])]
        lines.append(f"constant table ({len(listing['obj_table_repr'])}):")
        lines += [f"  {i}: {r}" for i, r in enumerate(listing["obj_table_repr"])]
    summary = listing.get("native_summary")
    if summary:
        kinds = ", ".join(f"{k} {n}" for k, n in summary["functions"].items())
        lines.append(f"native code: arch {summary['arch']}, functions: {kinds}; machine code "
                     f"{summary['machine_code_size']} bytes, native preludes {summary['native_prelude_size']} bytes")
    _format_rc(listing["raw_code"], lines)
    return "\n".join(lines) + "\n"


def _format_rc(d: dict, lines: list[str]) -> None:
    lines.append("")
    p = d.get("prelude")
    title = f"raw code {d['index']}: {d['kind']}, {d['size']} bytes"
    if d["kind"] != "bytecode":
        title += f", {d['arch']} machine code {d['machine_code_size']} bytes"
        if d["native_prelude_size"]:
            title += f" + prelude {d['native_prelude_size']} bytes at {d['machine_code_size']}"
    if p:
        title += f", file {p['source_file']}, code block '{p['simple_name']}'"
    lines.append(title)
    if p:
        lines.append("arg names:" + "".join(f" {a}" for a in p["arg_names"]))
        lines.append(f"(N_STATE {p['n_state']})")
        lines.append(f"(N_EXC_STACK {p['n_exc_stack']})")
        flags = "|".join(p["scope_flag_names"]) or "0"
        lines.append(f"(SCOPE_FLAGS {flags}) (N_POS_ARGS {p['n_pos_args']}) "
                     f"(N_KWONLY_ARGS {p['n_kwonly_args']}) (N_DEF_POS_ARGS {p['n_def_pos_args']})")
        lines += [f"(INIT_CELL {c})" for c in p["cells"]]
        lines += [f"  bc={e['bc']} line={e['line']}" for e in p["line_info"]]
    if "consts_repr" in d and d["consts_repr"]:
        lines.append("constants:" + "".join(f" {r}" for r in d["consts_repr"]))
    for ins in d.get("instructions", ()):
        lines.append(f"{ins['offset']:02d} {ins['text']}")
    if d["kind"] != "bytecode":
        extra = []
        for key in ("scope_flags", "n_pos_args", "return_type", "rodata_size", "bss_size", "relocations_size"):
            if key in d and d[key] is not None:
                extra.append(f"{key} {d[key]}")
        if extra:
            lines.append("(" + ", ".join(extra) + ")")
        for link in d.get("qstr_links", ()):
            lines.append(f"qstr link at {link['offset']} ({link['kind_name']}): {link['qstr']}")
        for r in d.get("relocations", ()):
            times = f" x{r['count']}" if r["count"] != 1 else ""
            lines.append(f"relocation: {r['section']} word {r['word']}{times} += {r['adds']}")
        code = d["code_hex"]
        for i in range(0, len(code), 64):
            lines.append(f"  {i // 2:04x}: {code[i:i + 64]}")
    if d["children"]:
        lines.append(f"children: {len(d['children'])}")
    for child in d["children"]:
        _format_rc(child, lines)


def format_fields(mpy: MpyFile, data: bytes) -> str:
    """The file's fields as stored, in file order (what `mpycross dis --fields` prints):
    the Construct schema's parse of `data` (mpycross.mpy.schema), which `mpy` (its
    read_mpy) has already checked. Fields a version or kind does not have are left
    out; bytes show as hex; a record of plain values fits on one line."""
    import construct

    from mpycross.deep import SHALLOW_NESTING, model_is_deep
    from mpycross.mpy.schema import schema_for

    if model_is_deep(mpy):
        raise FormatError(f"functions or tuple constants nest more than {SHALLOW_NESTING} deep: "
                          f"--fields shows shallower files only", None, mpy.filename)
    try:
        parsed = schema_for(data).parse(data)
    except construct.ConstructError as e:  # read_mpy accepted it: a disagreement to report
        raise FormatError(f"the schema cannot parse this file: {str(e).splitlines()[0]}",
                          None, mpy.filename) from None
    lines = [f"mpy file: {mpy.filename or '<bytes>'} ({len(data)} bytes), fields in file order"]
    _fields(lines, "file", parsed, 0)
    return "\n".join(lines) + "\n"


def _field_text(value) -> str:
    if isinstance(value, bytes):
        if value and all(0x20 <= b < 0x7F for b in value):
            return repr(value.decode("ascii"))   # names and numbers as text
        return f"{value.hex() or '-'} ({len(value)} byte{'' if len(value) == 1 else 's'})"
    return str(value)


def _is_plain(value) -> bool:
    return not isinstance(value, (dict, list))


def _fields(lines: list[str], name: str, value, indent: int) -> None:
    pad = "  " * indent
    if isinstance(value, dict):   # a Construct Container
        items = [(k, v) for k, v in value.items() if not k.startswith("_") and v is not None]
        if all(_is_plain(v) for _, v in items):
            lines.append(f"{pad}{name}: " + " ".join(f"{k}={_field_text(v)}" for k, v in items))
            return
        lines.append(f"{pad}{name}:")
        for k, v in items:
            _fields(lines, k, v, indent + 1)
    elif isinstance(value, list):
        lines.append(f"{pad}{name}: {len(value)} entries")
        for i, v in enumerate(value):
            _fields(lines, f"[{i}]", v, indent + 1)
    else:
        lines.append(f"{pad}{name}: {_field_text(value)}")
