/* bc.h: decoding one bytecode instruction, the same way for the verifier, the
 * disassembler and the VM. Operand kinds and extra bytes come from the
 * generated opcode tables (build/opcodes.h, made from formats/bytecode). */
#ifndef MPYREF_BC_H
#define MPYREF_BC_H

#include <stddef.h>
#include <stdint.h>

#include "opcodes.h"

typedef struct {
    int op;            /* opcode byte */
    int kind;          /* OPK_* */
    int64_t arg;       /* decoded operand (jump: the signed relative offset); small ints need 64 bits */
    int extra;         /* the extra byte, or -1 */
    size_t size;       /* instruction length in bytes */
    size_t target;     /* jumps: absolute offset in the function data */
} bc_insn;

/* Decode the instruction at data[pc], pc < end. version is 5 or 6.
 * Returns NULL on success, else a short reason (truncated, unknown opcode,
 * operand too large, jump outside [0, end]). */
const char *bc_decode(int version, const uint8_t *data, size_t pc, size_t end, bc_insn *out);

/* MicroPython var-uint: 7-bit groups, most significant first. Returns the
 * number of bytes used, 0 if it runs past end or exceeds 2^31. */
size_t bc_read_uint(const uint8_t *p, const uint8_t *end, size_t *value);

/* How many stack values an instruction reads. */
int64_t bc_stack_inputs(int op, int64_t arg, int64_t extra);

/* Whether control never falls through to the next instruction. */
int bc_is_terminal(int op);

#endif
