"""Decode (and encode) the bytecode prelude: the function's signature, its
code-info section (name, argument names, line table) and closure cells.

Two layouts (formats/versions.toml `prelude`), two code-info starts (`code_info`):

"v2" (.mpy v2, v3, v4; py/bc.h of mp-v1.9 .. mp-v1.11, persistentcode.c extract_prelude):

    n_state         var-uint
    n_exc_stack     var-uint
    scope_flags     byte
    n_pos_args      byte
    n_kwonly_args   byte
    n_def_pos_args  byte
    code_info_size  var-uint   (counts itself and the rest of code info)
    simple_name     2 bytes    (qstr slot)
    source_file     2 bytes    (qstr slot)
    <line info>     ... up to code_info_size
    cells           local numbers, one byte each, ended by 255
    <bytecode>

"v5" (.mpy v5, v6; py/bc.h of mp-v1.12 .. mp-master):

    signature       var-uint-like, bits xSSSSEAA [xFSSKAED ...]:
                    S = n_state - 1, E = n_exc_stack, F = scope_flags,
                    A = n_pos_args, K = n_kwonly_args, D = n_def_pos_args
    size            bits xIIIIIIC [xIIIIIIC ...]: I = n_info, C = n_cell
    code info       n_info bytes: v5: simple_name, source_file (2-byte slots);
                    v6: simple_name, then one qstr index per argument (var-uints);
                    then the line info
    cells           n_cell bytes
    <bytecode>

Line info (both): 0b0LLBBBBB (bytes += B, lines += L) or
0b1LLLBBBB 0bLLLLLLLL (bytes += B, lines += the 11 bits), ended by 0 or by
the end of the code-info section (py/showbc.c).
"""

from __future__ import annotations

from mpycross.records import dataclass, field

from mpycross.mpy.opcodes import DecodeError, decode_uint


@dataclass
class Prelude:
    """A decoded bytecode prelude: the sizes and signature of a function."""

    n_state: int = 0
    n_exc_stack: int = 0
    scope_flags: int = 0
    n_pos_args: int = 0
    n_kwonly_args: int = 0
    n_def_pos_args: int = 0
    n_info: int = 0
    n_cell: int = 0
    names_offset: int = 0        # v2/v5: the 4-byte name slots; v6: simple_name's var-uint
    line_info_offset: int = 0
    line_info_end: int = 0
    cells: list[int] = field(default_factory=list)
    bytecode_offset: int = 0
    simple_name_index: int | None = None      # v6: index into the qstr table
    arg_name_indices: list[int] = field(default_factory=list)  # v6


def _byte(code: bytes, ip: int, what: str) -> int:
    if ip >= len(code):
        raise DecodeError(f"prelude ends inside {what}", ip)
    return code[ip]


def decode_prelude(code: bytes, ip: int, layout: str, code_info: str, header_only: bool = False) -> Prelude:
    """Decode the prelude at `ip`. `layout` and `code_info` are versions.toml's
    `prelude` and `code_info`; `header_only` stops after the v5 signature and size."""
    p = Prelude()
    if layout == "v2":
        p.n_state, ip = decode_uint(code, ip)
        p.n_exc_stack, ip = decode_uint(code, ip)
        p.scope_flags = _byte(code, ip, "scope flags")
        p.n_pos_args = _byte(code, ip + 1, "n_pos_args")
        p.n_kwonly_args = _byte(code, ip + 2, "n_kwonly_args")
        p.n_def_pos_args = _byte(code, ip + 3, "n_def_pos_args")
        ip += 4
        info_start = ip
        code_info_size, ip = decode_uint(code, ip)
        p.n_info = code_info_size
        p.names_offset = ip
        p.line_info_offset = ip + 4
        p.line_info_end = info_start + code_info_size
        ip = p.line_info_end
        if ip > len(code) or p.line_info_offset > p.line_info_end:
            raise DecodeError("code info runs past the end", info_start)
        while _byte(code, ip, "the closure cells") != 255:
            p.cells.append(code[ip])
            ip += 1
        ip += 1
        p.n_cell = len(p.cells)
        p.bytecode_offset = ip
        return p
    # "v5" layout, py/bc.h MP_BC_PRELUDE_SIG_DECODE_INTO
    z = _byte(code, ip, "the signature")
    ip += 1
    s = (z >> 3) & 0xF
    e = (z >> 2) & 1
    f = k = d = 0
    a = z & 3
    n = 0
    while z & 0x80:
        z = _byte(code, ip, "the signature")
        ip += 1
        s |= (z & 0x30) << (2 * n)
        e |= (z & 0x02) << n
        f |= ((z & 0x40) >> 6) << n
        a |= (z & 0x04) << n
        k |= ((z & 0x08) >> 3) << n
        d |= (z & 0x01) << n
        n += 1
    p.n_state, p.n_exc_stack, p.scope_flags = s + 1, e, f
    p.n_pos_args, p.n_kwonly_args, p.n_def_pos_args = a, k, d
    # MP_BC_PRELUDE_SIZE_DECODE_INTO
    i = c = 0
    n = 0
    while True:
        z = _byte(code, ip, "the prelude size")
        ip += 1
        c |= (z & 1) << n
        i |= ((z & 0x7E) >> 1) << (6 * n)
        n += 1
        if not z & 0x80:
            break
    p.n_info, p.n_cell = i, c
    p.names_offset = ip
    if header_only:
        return p
    info_end = ip + i
    if info_end + c > len(code):
        raise DecodeError("code info and cells run past the end", ip)
    if code_info == "qstr_indices":
        p.simple_name_index, q = decode_uint(code, ip)
        for _ in range(p.n_pos_args + p.n_kwonly_args):
            idx, q = decode_uint(code, q)
            p.arg_name_indices.append(idx)
        p.line_info_offset = q
    else:
        p.line_info_offset = ip + 4
    p.line_info_end = info_end
    p.cells = list(code[info_end:info_end + c])
    p.bytecode_offset = info_end + c
    return p


def decode_line_info(code: bytes, start: int, end: int) -> list[tuple[int, int]]:
    """[(bytecode offset, line)] entries of the line table, from line 1 at offset 0."""
    entries = []
    bc, line = 0, 1
    ip = start
    while ip < end and code[ip]:
        c = code[ip]
        if c & 0x80 == 0:
            bc += c & 0x1F
            line += c >> 5
            ip += 1
        else:
            if ip + 1 >= end:
                break
            bc += c & 0xF
            line += ((c << 4) & 0x700) | code[ip + 1]
            ip += 2
        entries.append((bc, line))
    return entries
