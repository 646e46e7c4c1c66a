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

    # nlr_buf_t words of REG_LOCAL_2 / REG_LOCAL_3 (before native_exc_unwind_slot the emitter keeps
    # the unwind pointer and the return value there); x86 has them the other way round
    @property
    def NLR_BUF_IDX_LOCAL_2(self):
        return self.NLR_BUF_IDX_LOCAL_1 + 1

    @property
    def NLR_BUF_IDX_LOCAL_3(self):
        return self.NLR_BUF_IDX_LOCAL_1 + 2

    # N_PRELUDE_AS_BYTES_OBJ (xtensawin): a v5 native function's prelude is also a bytes object in
    # its const table, as code memory there cannot be read byte by byte
    prelude_as_bytes_obj = False

    REG_ZERO = None  # a register that always reads 0 (RISC-V x0), if the architecture has one
    nlr_setjmp = False  # N_NLR_SETJMP: nlr_push is followed by a setjmp call

    # element sizes (0: 8, 1: 16, 2: 32 bits) with an ASM_LOAD<n>/ASM_STORE<n>_REG_REG_OFFSET;
    # for the others the emitter adds the offset to the base itself
    load_offset_sizes = (0, 1, 2)
    store_offset_sizes = (0, 1, 2)

    # releases before viper_offset_load_store: ARM stored through str(b|h) [base, index] even for
    # an immediate index (py/emitnative.c's `#if N_ARM` branches of that time)
    stores_indexed_before_offsets = False
    indexed_sizes_before_offsets = ()  # element sizes with load/store_reg_reg_reg before viper_offset_load_store

    rules = None  # the release's emitnative.RULES (None: all, as 1.29), set by emitnative_target

    def has_rule(self, name: str) -> bool:
        return self.rules is None or name in self.rules

    def short_imm_index_access(self, load: bool, size: int, reg: int, base: int, index: int) -> bool:
        """Releases before viper_offset_load_store: a load or store at a small immediate
        index in one instruction, where the architecture had one (Thumb's 5-bit scaled
        offsets, 1..31 elements; Xtensa in 1.25, 1..255); False where the index was added to
        the base instead."""
        return False

    def load_reg_reg(self, size: int, dest: int, base: int) -> None:
        """ASM_LOAD{8,16,32}_REG_REG: dest = *base."""
        (self.load8_reg_reg_offset, self.load16_reg_reg_offset, self.load32_reg_reg_offset)[size](dest, base, 0)

    def store_reg_reg(self, size: int, src: int, base: int) -> None:
        """ASM_STORE{8,16,32}_REG_REG: *base = src."""
        (self.store8_reg_reg_offset, self.store16_reg_reg_offset, self.store32_reg_reg_offset)[size](src, base, 0)

    def same_when_built(self, reg1: int, reg2: int) -> bool:
        """What `#if REG_x != REG_y` in py/emitnative.c decides: whether two register
        names are the same register when mpy-cross is built."""
        return reg1 == reg2

    def function_entry(self, num_locals: int, name: str) -> None:
        """ASM_ENTRY: the prologue; `name` is the function's qualified name (only
        -march=debug shows it)."""
        self.entry(num_locals)

    def fetch_parent_arg(self, arg_num: int) -> None:
        """Make the caller's argument `arg_num` available in REG_PARENT_ARG_<arg_num + 1>:
        already there where arguments come in registers (x86 reads them from the stack)."""

    def mov_reg_parent_arg(self, reg: int, arg_num: int) -> None:
        """reg = the caller's argument `arg_num`."""
        self.mov_reg_reg(reg, (self.REG_PARENT_ARG_1, self.REG_PARENT_ARG_2, self.REG_PARENT_ARG_3,
                               self.REG_PARENT_ARG_4)[arg_num])

    @classmethod
    def for_compile(cls, arch: str, arch_flags: int, shared: dict) -> "AsmBase":
        """The assembler of one function for `-march=arch` (`-march-flags=` value
        `arch_flags`); `shared` holds what the module's functions share."""
        return cls()

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

    def align(self, align: int, mask_bits: int = 64) -> None:
        """mp_asm_base_align: the skipped bytes are zeros (the code buffer starts zeroed).
        `mask_bits` 32: the mask is an unsigned int widened to size_t (before 1.27)."""
        # (size_t arithmetic: align(0) goes back to offset 0, which the next bytes overwrite)
        new = ((self.code_offset + align - 1) & ~(align - 1) & ((1 << mask_bits) - 1)) & ((1 << 64) - 1)
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
