"""The bytecode emitter for .mpy v5 (MicroPython 1.12 - 1.18, CircuitPython 7 - 8).

The same code generator calls as v6 (emitbc.py), and the opcode numbers of
formats/bytecode/v5.toml (equal to v6's since 1.12); what differs is where
operands live (mp-v1.18/py/emitbc.c with MICROPY_PERSISTENT_CODE):

* a qstr operand is two bytes in the bytecode (zero here: the .mpy writer
  stores the qstrs of each raw code in bytecode order, `RawCode.qstrs`);
* each function has its own constant table: its argument names, then its
  objects in emission order (never merged: `emit->ct_cur_obj++`), then its
  children; LOAD_CONST_OBJ and MAKE_FUNCTION carry indices into it;
* every jump is three bytes: opcode and a 16-bit offset (signed ones in
  excess 0x8000), so one layout pass places every label;
* the code info holds two 2-byte qstr slots (function name, source file),
  the line-number table and a terminating 0 byte.

Nothing is registered in module-wide tables: v5 has none.
"""

from __future__ import annotations

from . import emitbc as E
from . import scope as S
from .emitbc import load_opcodes


I_CHILD = 5  # (I_CHILD, opcode, child index, extra byte or None): index known once all objects are


class EmitterV5(E.Emitter):
    """Records one scope's instructions with v5 operands."""

    def __init__(self, common, scope: S.Scope, recording: bool):
        super().__init__(common, scope, recording)
        self.ops = load_opcodes("v5")
        self.signed_jumps = self.ops["signed_jumps"]
        self.qstr_operands: list[str] = []
        self.consts: list = []

    def _qstr(self, delta: int, op: int, qst: str) -> None:
        # mp-v1.18/py/emitbc.c emit_write_bytecode_byte_qstr: opcode + 16-bit qstr
        if self.recording:
            self._stack(delta)
            self.code.append((E.I_CODE, bytes((op, 0, 0))))
            self.qstr_operands.append(qst)

    def _obj(self, delta: int, op: int, obj) -> None:
        # emit_write_bytecode_byte_obj: a new constant-table slot after the argument names
        if self.recording:
            index = self.scope.num_pos_args + self.scope.num_kwonly_args + len(self.consts)
            self.consts.append(obj)
            self._uint(delta, op, index)

    def _child(self, delta: int, op: int, child_scope: S.Scope, extra: int | None = None) -> None:
        # emit_write_bytecode_byte_raw_code: a slot after all the objects
        index = self.num_children
        self.num_children += 1
        if self.recording:
            self.children.append(child_scope)
            self._stack(delta)
            self.code.append((I_CHILD, op, index, extra))

    def _jump(self, delta: int, op: int, label: int, extra: int | None = None) -> None:
        # which jumps are signed comes from the v5 table (JUMP_IF_x_OR_POP are, unlike v6)
        if self.recording:
            self._stack(delta)
            self.code.append((E.I_JUMP, op, label, op in self.signed_jumps, extra))

    def _call(self, delta: int, base: str, n_positional: int, n_keyword: int, star_flags: int) -> None:
        # emit_bc_call_function_method_helper: the * and ** arguments are two stack entries
        if star_flags:
            delta -= n_positional + 2 * n_keyword + 2
            self._uint(delta, self.ops[base + "_VAR_KW"], (n_keyword << 8) | n_positional)
        else:
            delta -= n_positional + 2 * n_keyword
            self._uint(delta, self.ops[base], (n_keyword << 8) | n_positional)


def layout_code(code: list, num_labels: int, child_base: int, source_lines: bool, prefix: bytes = b""):
    """The bytecode of one scope's instructions after `prefix`, and its line table: (code, lines).

    Shared by the v4 and v5 layouts; a child's index counts from `child_base`.
    """

    def child_bytes(entry) -> bytes:
        _, op, index, extra = entry
        data = bytes((op,)) + E.encode_uint(child_base + index)
        return data + bytes((extra & 0xFF,)) if extra is not None else data  # a C byte

    # every jump is 3 bytes, so one pass finds the labels
    labels = [0] * max(num_labels, 1)
    offset = len(prefix)
    for entry in code:
        kind = entry[0]
        if kind == E.I_CODE:
            offset += len(entry[1])
        elif kind == E.I_JUMP:
            offset += 3 + (entry[4] is not None)
        elif kind == I_CHILD:
            offset += len(child_bytes(entry))
        elif kind == E.I_LABEL:
            labels[entry[1]] = offset

    out = bytearray(prefix)
    lines = bytearray()
    last_line = 1
    last_line_offset = 0
    for entry in code:
        kind = entry[0]
        if kind == E.I_CODE:
            out += entry[1]
        elif kind == E.I_JUMP:
            _, op, label, signed, extra = entry
            rel = labels[label] - len(out) - 3
            if signed:
                rel += 0x8000
            rel &= 0xFFFF  # stored as 16 bits, unchecked (emit_write_bytecode_byte_*_label)
            out += bytes((op, rel & 0xFF, rel >> 8))
            if extra is not None:
                out.append(extra)
        elif kind == I_CHILD:
            out += child_bytes(entry)
        elif kind == E.I_LINE:
            line = entry[1]
            if source_lines and line > last_line:
                E._line_info(lines, len(out) - last_line_offset, line - last_line)
                last_line_offset = len(out)
                last_line = line
    return out, lines


def assemble_v5(emitter: EmitterV5, num_labels: int, source_lines: bool, filename: str) -> E.Assembled:
    """Lay out one scope (prelude, code info, cells, bytecode) in the v5 memory form.

    The code info has two qstr slots instead of v6's names (the .mpy writer fills them).
    """
    scope = emitter.scope
    code = emitter.code
    n_args = scope.num_pos_args + scope.num_kwonly_args
    child_base = n_args + len(emitter.consts)

    out, lines = layout_code(code, num_labels, child_base, source_lines)

    n_state = scope.num_locals + scope.stack_size
    if n_state == 0:
        n_state = 1
    cells = E.cell_locals(scope, filename)
    n_info = 4 + len(lines) + 1
    data = (E._prelude_sig(n_state, scope.exc_stack_size, scope) + E._prelude_size(n_info, len(cells))
            + b"\0\0\0\0" + bytes(lines) + b"\0" + cells + bytes(out))
    return tables_of(emitter, data)


def tables_of(emitter: EmitterV5, data: bytes) -> E.Assembled:
    """The laid-out scope with its own qstrs, constants and argument names (v2-v5)."""
    return E.Assembled(data, tuple(emitter.children), tuple(emitter.qstr_operands), tuple(emitter.consts),
                       tuple(arg_names(emitter.scope)))


def arg_names(scope: S.Scope) -> list[str]:
    """The argument names at the head of the constant table (mp_emit_bc_start_pass)."""
    return scope.param_names()
