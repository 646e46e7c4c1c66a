"""Opcode tables (formats/bytecode/<generation>.toml) and the instruction decoder.

One `OpcodeTable` per bytecode generation ("v2" .. "v6"): 256 slots, each
`OpInfo` or None. `decode(table, code, ip)` reads one instruction of code as
MicroPython holds it in memory (v2-v5: qstr operands are 2 bytes; v6: a
var-uint index).
"""

from __future__ import annotations

import functools
from mpycross.records import dataclass

from mpycross.resources import data_path, load_toml


@dataclass(frozen=True)
class OpInfo:
    """One opcode (or a range of them) as the opcode table describes it."""

    name: str            # upstream name without MP_BC_
    code: int            # first opcode of the range
    operand: str         # see formats/README.md
    extra: bool          # one raw byte follows the operand
    stack: int | str
    count: int = 1
    excess: int = 0
    ops: tuple[str, ...] | None = None


@dataclass(frozen=True)
class OpcodeTable:
    """The opcodes of one bytecode generation and how their operands are encoded."""

    generation: str
    jump_encoding: str       # "fixed16" or "v6"
    qstr_operand: str        # "inline16" or "index"
    obj_operand: str         # "const_table" or "index"
    child_operand: str       # "const_table" or "index"
    end_opcode: int | None   # an opcode that ends the code (v6 MP_BC_BASE_RESERVED), else None
    slots: tuple[OpInfo | None, ...]
    by_name: dict
    cache_lookup: frozenset = frozenset()
    unary_ops: tuple[str, ...] = ()   # operator names in py/runtime0.h order
    binary_ops: tuple[str, ...] = ()
    iter_buf_nslots: int = 0          # stack slots a for-loop's iterator takes

    def __getitem__(self, name: str) -> OpInfo:
        return self.by_name[name]


@functools.cache
def opcode_table(generation: str) -> OpcodeTable:
    data = load_toml(data_path("formats", "bytecode", f"{generation}.toml"))
    slots: list[OpInfo | None] = [None] * 256
    by_name = {}
    for entry in data["opcode"]:
        ops = tuple(data[entry["ops"]]["names"]) if "ops" in entry else None
        info = OpInfo(entry["name"], entry["code"], entry["operand"], entry.get("extra") == "byte",
                      entry["stack"], entry.get("count", 1), entry.get("excess", 0), ops)
        by_name[info.name] = info
        for k in range(info.count):
            slots[info.code + k] = info
    return OpcodeTable(generation, data["jump_encoding"], data["qstr_operand"], data["obj_operand"],
                       data["child_operand"], data.get("end_opcode"), tuple(slots), by_name,
                       frozenset(data.get("cache_lookup_opcodes", ())), tuple(data["unary_ops"]["names"]),
                       tuple(data["binary_ops"]["names"]), data["iter_buf_nslots"])


@dataclass
class Instr:
    """One decoded instruction."""

    offset: int
    size: int
    opcode: int
    info: OpInfo | None
    arg: int | None = None       # decoded operand (jumps: absolute target offset)
    extra: int | None = None     # the extra byte
    cache: int | None = None     # v2-v4 cache-lookup byte
    operand_offset: int = 0      # where the operand starts

    @property
    def name(self) -> str:
        return self.info.name if self.info else f"UNKNOWN_{self.opcode:02x}"

    @property
    def multi_index(self) -> int:
        return self.opcode - self.info.code


class DecodeError(Exception):
    def __init__(self, message: str, offset: int):
        super().__init__(message)
        self.offset = offset


def decode_uint(data: bytes, ip: int) -> tuple[int, int]:
    """MicroPython var-uint: 7-bit groups, most significant first."""
    value = 0
    while True:
        if ip >= len(data):
            raise DecodeError("var-uint runs past the end", ip)
        b = data[ip]
        ip += 1
        value = (value << 7) | (b & 0x7F)
        if not b & 0x80:
            return value, ip


def decode_sint(data: bytes, ip: int) -> tuple[int, int]:
    """Signed var-int of LOAD_CONST_SMALL_INT (py/vm.c: sign from bit 6 of the first byte)."""
    if ip >= len(data):
        raise DecodeError("var-int runs past the end", ip)
    value = -1 if data[ip] & 0x40 else 0
    while True:
        if ip >= len(data):
            raise DecodeError("var-int runs past the end", ip)
        b = data[ip]
        ip += 1
        value = (value << 7) | (b & 0x7F)
        if not b & 0x80:
            return value, ip


def decode(table: OpcodeTable, code: bytes, ip: int, cache_lookup: bool = False) -> Instr:
    """Decode the instruction at `ip` (memory form)."""
    start = ip
    op = code[ip]
    info = table.slots[op]
    ip += 1
    if info is None:
        raise DecodeError(f"unknown opcode 0x{op:02x}", start)
    ins = Instr(start, 0, op, info, operand_offset=ip)
    kind = info.operand
    if kind == "qstr":
        if table.qstr_operand == "inline16":
            if ip + 2 > len(code):
                raise DecodeError("qstr operand runs past the end", ip)
            ins.arg = code[ip] | code[ip + 1] << 8
            ip += 2
            if cache_lookup and info.name in table.cache_lookup:
                ip += 1
        else:
            ins.arg, ip = decode_uint(code, ip)
    elif kind in ("uint", "obj", "child"):
        ins.arg, ip = decode_uint(code, ip)
    elif kind == "sint":
        ins.arg, ip = decode_sint(code, ip)
    elif kind.startswith("jump"):
        signed = kind == "jump_signed"
        if table.jump_encoding == "fixed16":
            if ip + 2 > len(code):
                raise DecodeError("jump offset runs past the end", ip)
            rel = code[ip] | code[ip + 1] << 8
            ip += 2
            if signed:
                rel -= 0x8000
        else:
            # py/bc0.h: 1 byte if bit 7 is clear, else 2 bytes
            if ip >= len(code):
                raise DecodeError("jump offset runs past the end", ip)
            if code[ip] & 0x80 == 0:
                rel = code[ip]
                ip += 1
                if signed:
                    rel -= 0x40
            else:
                if ip + 2 > len(code):
                    raise DecodeError("jump offset runs past the end", ip)
                rel = (code[ip] & 0x7F) | code[ip + 1] << 7
                ip += 2
                if signed:
                    rel -= 0x4000
        ins.arg = ip + rel  # relative to the end of the offset (py/showbc.c)
    if info.extra:
        if ip >= len(code):
            raise DecodeError("extra byte runs past the end", ip)
        ins.extra = code[ip]
        ip += 1
    ins.size = ip - start
    return ins

