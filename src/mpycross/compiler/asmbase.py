"""What every machine-code assembler shares (py/asmbase.c).

An assembler runs in passes: in a compute pass it only counts bytes and
records label offsets; in the emit pass it writes the bytes, and every label
must land where the compute pass put it. Code after an unconditional jump,
return or raise is suppressed until the next label (dead code). The
per-architecture encoders (`asm_x64`, ...) subclass `AsmBase` and add the
generic interface the native emitter calls (py/asmbase.h, the `ASM_*`
macros: `mov_reg_imm`, `jump`, `call_ind`, ...).
"""

from __future__ import annotations

PASS_COMPUTE = 1
PASS_EMIT = 2


class LabelMoved(AssertionError):
    """A label landed elsewhere in the emit pass than in the compute pass (mpy-cross asserts)."""


class AsmBase:
    """Byte output, labels and dead-code suppression of one function."""

    # the caller's registers; only windowed ABIs (xtensawin) have them apart from REG_ARG_*
    @property
    def REG_PARENT_RET(self):
        return self.REG_RET

    @property
    def REG_PARENT_ARG_1(self):
        return self.REG_ARG_1

    @property
    def REG_PARENT_ARG_2(self):
        return self.REG_ARG_2

    @property
    def REG_PARENT_ARG_3(self):
        return self.REG_ARG_3

    @property
    def REG_PARENT_ARG_4(self):
        return self.REG_ARG_4

    nlr_setjmp = False  # N_NLR_SETJMP: nlr_push is followed by a setjmp call

    def __init__(self, max_num_labels: int = 0):
        self.pass_ = PASS_COMPUTE
        self.suppress = False
        self.code_offset = 0
        self.peak_offset = 0
        self.code = bytearray()
        self.label_offsets: dict[int, int] = {}

    def start_pass(self, pass_: int) -> None:
        if pass_ < PASS_EMIT:
            # labels are found again, so a backward jump is known on the first pass
            self.label_offsets = {}
        self.code = bytearray()
        self.pass_ = pass_
        self.suppress = False
        self.code_offset = 0
        self.peak_offset = 0  # the furthest offset before an align went back (inline align(0))

    def write(self, data: bytes) -> None:
        """mp_asm_base_get_cur_to_write_bytes: all output goes through here."""
        if self.suppress:
            return
        if self.pass_ == PASS_EMIT:
            self.code += data
        self.code_offset += len(data)

    def skip(self, n: int) -> None:
        """n zero bytes (a compute pass only counts them: they may be too many to make)."""
        if self.pass_ == PASS_EMIT:
            self.write(bytes(n))
        elif not self.suppress:
            self.code_offset += n

    def write_bytes(self, *values: int) -> None:
        self.write(bytes(v & 0xFF for v in values))

    def label_assign(self, label: int) -> None:
        self.suppress = False
        if self.pass_ < PASS_EMIT:
            self.label_offsets[label] = self.code_offset
        elif self.label_offsets.get(label) != self.code_offset:
            raise LabelMoved(f"label {label} moved between passes")

    def label_dest(self, label: int) -> int | None:
        return self.label_offsets.get(label)

    def suppress_code(self) -> None:
        self.suppress = True

    def align(self, align: int) -> None:
        """mp_asm_base_align: the skipped bytes are zeros (the code buffer starts zeroed)."""
        # (size_t arithmetic: align(0) goes back to offset 0, which the next bytes overwrite)
        new = ((self.code_offset + align - 1) & ~(align - 1)) & ((1 << 64) - 1)
        if new >= self.code_offset:
            self.skip(new - self.code_offset)
        else:
            self.peak_offset = max(self.peak_offset, self.code_offset)
            self.code_offset = new
            if self.pass_ == PASS_EMIT:
                del self.code[new:]

    def data(self, size: int, value: int) -> None:
        """mp_asm_base_data: a little-endian word of `size` bytes."""
        self.write((value & ((1 << (8 * size)) - 1)).to_bytes(size, "little"))

    def code_pos(self) -> int:
        return self.code_offset

    def end_pass(self) -> None:
        pass
