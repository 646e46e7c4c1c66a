"""The 32-bit x86 encoder behind `-march=x86` (after py/asmx86.c, py/asmx86.h and
py/emitnx86.c).

The same instruction layouts as x86-64 without the REX byte:

    opcode   ModRM            [SIB]  [disp8 | disp32 | imm32]
    oooooooo mm rrr bbb
             mm: 00 [bbb]  01 [bbb + disp8]  10 [bbb + disp32]  11 register bbb

bbb = 100 (esp) as a base needs the SIB byte 0x24; bbb = 101 (ebp) with no
displacement means an absolute address, so ebp always carries a disp8.

Calling convention (cdecl): every argument is passed on the stack, so a call
pushes REG_ARG_4 .. REG_ARG_1 (eax, ecx, edx, ebx) as the callee expects
them, keeping the stack 16-byte aligned, and pops them afterwards; how many
arguments each `mp_fun_table` entry takes is emitnx86.c's table. The
function's own arguments are read from above its frame (`mov_reg_parent_arg`).
ebx, esi, edi hold the emitter's locals, ebp `mp_fun_table`; locals live at
[esp + 4 * n].
"""

from __future__ import annotations

from .asm_x64 import (CC_JA, CC_JAE, CC_JB, CC_JBE, CC_JE, CC_JG, CC_JGE, CC_JL, CC_JLE, CC_JNE, CC_JNZ,
                      CC_JZ, X86FamilyAlu, _imm32, _signed_fit8)
from .asmbase import AsmBase

EAX, ECX, EDX, EBX, ESP, EBP, ESI, EDI = range(8)

WORD_SIZE = 4
_MODRM_DISP0, _MODRM_DISP8, _MODRM_DISP32, _MODRM_REG = 0x00, 0x40, 0x80, 0xC0

# py/emitnx86.c mp_f_n_args: the number of arguments of each mp_fun_table entry
# (in py/nativeglue.h order; the constant entries take none)
FUN_N_ARGS = (
    0, 0, 0, 2,  # CONST_NONE_OBJ, CONST_FALSE_OBJ, CONST_TRUE_OBJ, CONVERT_OBJ_TO_NATIVE
    2, 1, 1, 1,  # CONVERT_NATIVE_TO_OBJ, NATIVE_SWAP_GLOBALS, LOAD_NAME, LOAD_GLOBAL
    0, 2, 3, 2,  # LOAD_BUILD_CLASS, LOAD_ATTR, LOAD_METHOD, LOAD_SUPER_METHOD
    2, 2, 3, 3,  # STORE_NAME, STORE_GLOBAL, STORE_ATTR, OBJ_SUBSCR
    1, 2, 3, 2,  # OBJ_IS_TRUE, UNARY_OP, BINARY_OP, BUILD_TUPLE
    2, 1, 2, 2,  # BUILD_LIST, BUILD_MAP, BUILD_SET, STORE_SET
    2, 3, 3, 3,  # LIST_APPEND, STORE_MAP, MAKE_FUNCTION_FROM_PROTO_FUN, NATIVE_CALL_FUNCTION_N_KW
    3, 3, 2, 1,  # CALL_METHOD_N_KW, CALL_METHOD_N_KW_VAR, NATIVE_GETITER, NATIVE_ITERNEXT
    1, 0, 1, 3,  # NLR_PUSH, NLR_POP, NATIVE_RAISE, IMPORT_NAME
    2, 1, 3, 3,  # IMPORT_FROM, IMPORT_ALL, NEW_SLICE, UNPACK_SEQUENCE
    3, 1, 1, 3,  # UNPACK_EX, DELETE_NAME, DELETE_GLOBAL, NEW_CLOSURE
    3, 4, 2, 2,  # ARG_CHECK_NUM_SIG, SETUP_CODE_STATE, SMALL_INT_FLOOR_DIVIDE, SMALL_INT_MODULO
    3, 1,        # NATIVE_YIELD_FROM, SETJMP
)


class AsmX86(X86FamilyAlu, AsmBase):
    """32-bit x86 machine code for one function."""

    word_size = WORD_SIZE
    REG_RET = EAX
    REG_ARG_1, REG_ARG_2, REG_ARG_3, REG_ARG_4 = EAX, ECX, EDX, EBX
    REG_ARG_5 = None
    REG_TEMP0, REG_TEMP1, REG_TEMP2 = EAX, ECX, EDX
    REG_LOCAL_1, REG_LOCAL_2, REG_LOCAL_3 = EBX, ESI, EDI
    REG_FUN_TABLE = EBP
    REG_SHIFT_COUNT = ECX  # shifts take their count in cl
    NLR_BUF_IDX_LOCAL_1 = 5  # emitnx86.c: ebx
    NLR_BUF_IDX_LOCAL_2, NLR_BUF_IDX_LOCAL_3 = 7, 6  # esi, edi
    NLR_BUF_NUM_REGS = 6  # MICROPY_NLR_NUM_REGS_X86
    loads_reg_reg_reg = False
    byte_store_needs_low_reg = True  # a byte store's source must be al..dl

    def __init__(self, max_num_labels: int = 0):
        super().__init__(max_num_labels)
        self.num_locals = 0

    # ---- encodings --------------------------------------------------------

    def _r32_disp(self, r32: int, disp_r32: int, disp: int) -> None:
        if disp == 0 and disp_r32 != EBP:
            mod = _MODRM_DISP0
        elif _signed_fit8(disp):
            mod = _MODRM_DISP8
        else:
            mod = _MODRM_DISP32
        out = bytearray([(r32 << 3) | mod | disp_r32])
        if disp_r32 == ESP:
            out.append(0x24)  # SIB: base esp, no index
        if mod == _MODRM_DISP8:
            out.append(disp & 0xFF)
        elif mod == _MODRM_DISP32:
            out += _imm32(disp)
        self.write(bytes(out))

    def _generic_r32_r32(self, dest: int, src: int, op: int) -> None:
        self.write_bytes(op, (src << 3) | _MODRM_REG | dest)

    _generic_rr = _generic_r32_r32

    def push_r32(self, reg: int) -> None:
        self.write_bytes(0x50 | reg)

    def pop_r32(self, reg: int) -> None:
        self.write_bytes(0x58 | reg)

    def mov_r32_r32(self, dest: int, src: int) -> None:
        self._generic_r32_r32(dest, src, 0x89)

    def mov_mem32_to_r32(self, src: int, disp: int, dest: int) -> None:
        self.write_bytes(0x8B)
        self._r32_disp(dest, src, disp)

    def mov_i32_to_r32(self, imm: int, dest: int) -> int:
        self.write_bytes(0xB8 | dest)
        loc = self.code_offset
        self.write(_imm32(imm))
        return loc

    def _imm_op(self, ext: int, imm: int, dest: int) -> None:
        """add (/0) or sub (/5) of an immediate: the 8-bit form if it fits."""
        if _signed_fit8(imm):
            self.write_bytes(0x83, (ext << 3) | _MODRM_REG | dest, imm)
        else:
            self.write_bytes(0x81, (ext << 3) | _MODRM_REG | dest)
            self.write(_imm32(imm))

    def add_i32_to_r32(self, imm: int, dest: int) -> None:
        self._imm_op(0, imm, dest)

    def sub_r32_i32(self, dest: int, imm: int) -> None:
        self._imm_op(5, imm, dest)

    def cmp_r32_with_r32(self, a: int, b: int) -> None:
        self._generic_r32_r32(b, a, 0x39)

    def test_r8_with_r8(self, a: int, b: int) -> None:
        self.write_bytes(0x84, (a << 3) | _MODRM_REG | b)

    def test_r32_with_r32(self, a: int, b: int) -> None:
        self._generic_r32_r32(b, a, 0x85)

    def _jump(self, short: tuple, long: tuple, label: int) -> None:
        # a backward jump's distance is known: 2 bytes if it fits; forward jumps are long
        dest = self.label_dest(label)
        if dest is not None and dest - self.code_offset < 0:
            rel = dest - self.code_offset - 2
            if _signed_fit8(rel):
                self.write_bytes(*short, rel)
                return
        rel = (dest if dest is not None else -1) - self.code_offset - len(long) - 4
        self.write_bytes(*long)
        self.write(_imm32(rel))

    # ---- entry, exit, the caller's arguments -------------------------------------

    def entry(self, num_locals: int) -> None:
        for reg in (EBP, EBX, ESI, EDI):
            self.push_r32(reg)
        # with the 4 pushes and the return address: a 16-byte aligned stack (before the rule: odd only)
        num_locals |= 3 if self.has_rule("x86_stack_aligned") else 1
        self.sub_r32_i32(ESP, num_locals * WORD_SIZE)
        self.num_locals = num_locals

    def exit(self) -> None:
        self.sub_r32_i32(ESP, -self.num_locals * WORD_SIZE)
        for reg in (EDI, ESI, EBX, EBP):
            self.pop_r32(reg)
        self.write_bytes(0xC3)  # ret

    def _arg_offset(self, arg_num: int) -> int:
        # above esp: the locals, 4 saved registers, the return address, the arguments
        return (self.num_locals + 4 + 1 + arg_num) * WORD_SIZE

    def fetch_parent_arg(self, arg_num: int) -> None:
        """Load the caller's argument `arg_num` into REG_PARENT_ARG_<arg_num + 1>."""
        self.mov_reg_parent_arg((self.REG_PARENT_ARG_1, self.REG_PARENT_ARG_2, self.REG_PARENT_ARG_3,
                                 self.REG_PARENT_ARG_4)[arg_num], arg_num)

    def mov_reg_parent_arg(self, reg: int, arg_num: int) -> None:
        """asm_x86_mov_arg_to_r32: the caller's argument `arg_num`, from the stack."""
        self.mov_mem32_to_r32(ESP, self._arg_offset(arg_num), reg)

    def mov_reg_pcrel(self, dest: int, label: int) -> None:
        # call the next instruction, pop the address it pushed, add the distance
        self.write_bytes(0xE8)
        self.write(_imm32(0))
        dest_off = self.label_dest(label)
        rel = (dest_off if dest_off is not None else -1) - self.code_offset
        self.pop_r32(dest)
        self.write_bytes(0x81, _MODRM_REG | dest)  # add r32, imm32 (always long: usually forward)
        self.write(_imm32(rel))

    def call_ind(self, fun_id: int) -> None:
        n_args = FUN_N_ARGS[fun_id]
        if not self.has_rule("native_fun_table_v5"):
            # 1.11's mp_fun_table order (emitnative.F_V4): the same counts by name, NEW_CELL takes 1
            from .emitnative import _FUN_KINDS, _FUN_KINDS_V4

            name = _FUN_KINDS_V4[fun_id]
            n_args = 1 if name == "NEW_CELL" else FUN_N_ARGS[_FUN_KINDS.index(name)]
        align = ((n_args + 3) & ~3) - n_args  # keep the stack 16-byte aligned during the call
        if not self.has_rule("x86_stack_aligned"):
            align = 0
        if align:
            self.sub_r32_i32(ESP, align * WORD_SIZE)
        for reg in (self.REG_ARG_4, self.REG_ARG_3, self.REG_ARG_2, self.REG_ARG_1)[4 - n_args:]:
            self.push_r32(reg)
        self.mov_mem32_to_r32(EBP, fun_id * WORD_SIZE, EAX)
        self.write_bytes(0xFF, (2 << 3) | _MODRM_REG | EAX)  # call eax
        if n_args > 0:
            self.add_i32_to_r32((n_args + align) * WORD_SIZE, ESP)  # cdecl: the caller pops

    def call_setup_code_state(self, fun_id: int) -> None:
        self.call_ind(fun_id)

    # ---- the generic interface (py/asmx86.h GENERIC_ASM_API) -----------------

    def jump(self, label: int) -> None:
        self._jump((0xEB,), (0xE9,), label)

    def _jcc(self, cc: int, label: int) -> None:
        self._jump((0x70 | cc,), (0x0F, 0x80 | cc), label)

    def jump_if_reg_zero(self, reg: int, label: int, bool_test: bool) -> None:
        (self.test_r8_with_r8 if bool_test else self.test_r32_with_r32)(reg, reg)
        self._jcc(CC_JZ, label)

    def jump_if_reg_nonzero(self, reg: int, label: int, bool_test: bool) -> None:
        (self.test_r8_with_r8 if bool_test else self.test_r32_with_r32)(reg, reg)
        self._jcc(CC_JNZ, label)

    def jump_if_reg_eq(self, reg1: int, reg2: int, label: int) -> None:
        self.cmp_r32_with_r32(reg1, reg2)
        self._jcc(CC_JE, label)

    def jump_reg(self, reg: int) -> None:
        self.write_bytes(0xFF, (4 << 3) | _MODRM_REG | reg)

    def mov_local_reg(self, local_num: int, reg: int) -> None:
        self.store32_reg_reg_offset(reg, ESP, local_num)

    def mov_reg_imm(self, reg: int, imm: int) -> None:
        self.mov_i32_to_r32(imm, reg)

    def mov_reg_imm_fix_u16(self, reg: int, imm: int) -> int:
        """ASM_MOV_REG_IMM_FIX_U16 / _WORD (.mpy v5 qstr links): where the immediate is."""
        return self.mov_i32_to_r32(imm, reg)

    mov_reg_imm_fix_word = mov_reg_imm_fix_u16

    def mov_reg_local(self, reg: int, local_num: int) -> None:
        self.mov_mem32_to_r32(ESP, local_num * WORD_SIZE, reg)

    def mov_reg_reg(self, dest: int, src: int) -> None:
        self.mov_r32_r32(dest, src)

    def mov_reg_local_addr(self, reg: int, local_num: int) -> None:
        offset = local_num * WORD_SIZE
        if offset == 0:
            self.mov_r32_r32(reg, ESP)
        else:
            self.write_bytes(0x8D)  # lea
            self._r32_disp(reg, ESP, offset)

    def mul_reg_reg(self, dest: int, src: int) -> None:
        self.write_bytes(0x0F, 0xAF, (dest << 3) | _MODRM_REG | src)  # imul r32, r/m32

    def load_reg_reg_offset(self, dest: int, base: int, word_offset: int) -> None:
        self.mov_mem32_to_r32(base, 4 * word_offset, dest)

    def load8_reg_reg_offset(self, dest: int, base: int, byte_offset: int) -> None:
        self.write_bytes(0x0F, 0xB6)  # movzx r32, r/m8
        self._r32_disp(dest, base, byte_offset)

    def load16_reg_reg_offset(self, dest: int, base: int, halfword_offset: int) -> None:
        self.write_bytes(0x0F, 0xB7)  # movzx r32, r/m16
        self._r32_disp(dest, base, 2 * halfword_offset)

    def load32_reg_reg_offset(self, dest: int, base: int, word_offset: int) -> None:
        self.mov_mem32_to_r32(base, 4 * word_offset, dest)

    def store_reg_reg_offset(self, src: int, base: int, word_offset: int) -> None:
        self.store32_reg_reg_offset(src, base, word_offset)

    def store8_reg_reg_offset(self, src: int, base: int, byte_offset: int) -> None:
        self.write_bytes(0x88)
        self._r32_disp(src, base, byte_offset)

    def store16_reg_reg_offset(self, src: int, base: int, halfword_offset: int) -> None:
        self.write_bytes(0x66, 0x89)
        self._r32_disp(src, base, 2 * halfword_offset)

    def store32_reg_reg_offset(self, src: int, base: int, word_offset: int) -> None:
        self.write_bytes(0x89)
        self._r32_disp(src, base, 4 * word_offset)

    def clr_reg(self, reg: int) -> None:
        self.xor_reg_reg(reg, reg)

    def setcc_compare(self, op_idx: int, dest: int, lhs: int, rhs: int, unsigned: bool) -> None:
        """emitnative.c binary_op, N_X86: dest = (lhs <op> rhs) as 0 or 1."""
        ccs = ((CC_JB, CC_JA, CC_JE, CC_JBE, CC_JAE, CC_JNE) if unsigned
               else (CC_JL, CC_JG, CC_JE, CC_JLE, CC_JGE, CC_JNE))
        self.xor_reg_reg(dest, dest)
        self.cmp_r32_with_r32(rhs, lhs)
        self.write_bytes(0x0F, 0x90 | ccs[op_idx], _MODRM_REG | dest)  # setcc r8
