/* bc.c: instruction decoder (py/bc0.h formats; py/bc.c mp_opcode_format). */
#include "bc.h"

size_t bc_read_uint(const uint8_t *p, const uint8_t *end, size_t *value) {
    size_t v = 0, n = 0;
    for (;;) {
        if (p + n >= end || n >= 5) {
            return 0;
        }
        uint8_t b = p[n++];
        v = (v << 7) | (b & 0x7f);
        if (v > 0x7fffffffu) {
            return 0;
        }
        if (!(b & 0x80)) {
            break;
        }
    }
    *value = v;
    return n;
}

/* py/emitbc.c emit_write_bytecode_byte_int: bit 6 of the first group is the sign. */
static size_t read_sint(const uint8_t *p, const uint8_t *end, long *value) {
    if (p >= end) {
        return 0;
    }
    long v = (p[0] & 0x40) ? -1 : 0;
    size_t n = 0;
    for (;;) {
        if (p + n >= end || n >= 9) {
            return 0;
        }
        uint8_t b = p[n++];
        if (v > (1L << 50) || v < -(1L << 50)) {
            return 0;
        }
        v = (long)((unsigned long)v << 7) | (b & 0x7f);
        if (!(b & 0x80)) {
            break;
        }
    }
    *value = v;
    return n;
}

const char *bc_decode(int version, const uint8_t *data, size_t pc, size_t end, bc_insn *out) {
    const unsigned char *kinds = mp_bc_operand_v6, *extras = mp_bc_extra_v6;
    int fixed16 = MP_BC_JUMP_FIXED16_v6, inline16 = MP_BC_QSTR_INLINE16_v6;
#ifdef MP_BC_HAVE_v5
    if (version == 5) {
        kinds = mp_bc_operand_v5;
        extras = mp_bc_extra_v5;
        fixed16 = MP_BC_JUMP_FIXED16_v5;
        inline16 = MP_BC_QSTR_INLINE16_v5;
    }
#else
    (void)version;
#endif
    const uint8_t *p = data + pc + 1, *e = data + end;
    int op = data[pc];
    out->op = op;
    out->kind = kinds[op];
    out->arg = 0;
    out->extra = -1;
    out->target = 0;
    if (out->kind == 0) {
        return "unknown opcode";
    }
    size_t n = 0, u = 0;
    switch (out->kind) {
        case OPK_NONE:
            break;
        case OPK_QSTR:
            if (inline16) {
                if (p + 2 > e) {
                    return "truncated instruction";
                }
                out->arg = p[0] | p[1] << 8;
                n = 2;
                break;
            }
            n = bc_read_uint(p, e, &u);
            if (n == 0) {
                return "truncated or oversized operand";
            }
            out->arg = (long)u;
            break;
        case OPK_UINT:
        case OPK_OBJ:
        case OPK_CHILD:
            n = bc_read_uint(p, e, &u);
            if (n == 0) {
                return "truncated or oversized operand";
            }
            out->arg = (long)u;
            break;
        case OPK_SINT:
            n = read_sint(p, e, &out->arg);
            if (n == 0) {
                return "truncated or oversized operand";
            }
            break;
        case OPK_JUMP_SIGNED:
        case OPK_JUMP_UNSIGNED: {
            long off;
            int is_signed = out->kind == OPK_JUMP_SIGNED;
            if (fixed16) {
                if (p + 2 > e) {
                    return "truncated instruction";
                }
                off = p[0] | p[1] << 8;
                if (is_signed) {
                    off -= 0x8000;
                }
                n = 2;
            } else {
                if (p >= e) {
                    return "truncated instruction";
                }
                if (p[0] & 0x80) {
                    if (p + 2 > e) {
                        return "truncated instruction";
                    }
                    off = (p[0] & 0x7f) | p[1] << 7;
                    if (is_signed) {
                        off -= 0x4000;
                    }
                    n = 2;
                } else {
                    off = p[0];
                    if (is_signed) {
                        off -= 0x40;
                    }
                    n = 1;
                }
            }
            out->arg = off;
            /* py/vm.c: the offset is relative to the end of the offset itself */
            long t = (long)(pc + 1 + n) + off;
            if (t < 0 || (size_t)t > end) {
                return "jump target outside the function";
            }
            out->target = (size_t)t;
            break;
        }
        default:
            return "unknown opcode";
    }
    p += n;
    if (extras[op]) {
        if (p >= e) {
            return "truncated instruction";
        }
        out->extra = *p++;
    }
    out->size = (size_t)(p - (data + pc));
    return 0;
}

int bc_is_terminal(int op) {
    return op == MP_BC_JUMP || op == MP_BC_RETURN_VALUE || op == MP_BC_RAISE_LAST
        || op == MP_BC_RAISE_OBJ || op == MP_BC_RAISE_FROM || op == MP_BC_UNWIND_JUMP
        || op == MP_BC_POP_EXCEPT_JUMP;
}
