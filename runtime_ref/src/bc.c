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
static size_t read_sint(const uint8_t *p, const uint8_t *end, int64_t *value) {
    if (p >= end) {
        return 0;
    }
    int64_t v = (p[0] & 0x40) ? -1 : 0;
    size_t n = 0;
    for (;;) {
        if (p + n >= end || n >= 9) {
            return 0;
        }
        uint8_t b = p[n++];
        if (v > ((int64_t)1 << 50) || v < -((int64_t)1 << 50)) {
            return 0;
        }
        v = (int64_t)((uint64_t)v << 7) | (b & 0x7f);
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
            out->arg = (int64_t)u;
            break;
        case OPK_UINT:
        case OPK_OBJ:
        case OPK_CHILD:
            n = bc_read_uint(p, e, &u);
            if (n == 0) {
                return "truncated or oversized operand";
            }
            out->arg = (int64_t)u;
            break;
        case OPK_SINT:
            n = read_sint(p, e, &out->arg);
            if (n == 0) {
                return "truncated or oversized operand";
            }
            break;
        case OPK_JUMP_SIGNED:
        case OPK_JUMP_UNSIGNED: {
            int64_t off;
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
            int64_t t = (int64_t)(pc + 1 + n) + off;
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

/* How many stack values an instruction reads (py/vm.c); the net effect
 * alone would let e.g. ROT_TWO run on a one-value stack. */
int64_t bc_stack_inputs(int op, int64_t arg, int64_t extra) {
    int64_t n_args = (arg & 0xff) + 2 * (arg >> 8);
    switch (op) {
        case MP_BC_LOAD_ATTR: case MP_BC_LOAD_METHOD: case MP_BC_STORE_FAST_N: case MP_BC_STORE_DEREF:
        case MP_BC_STORE_NAME: case MP_BC_STORE_GLOBAL: case MP_BC_DUP_TOP: case MP_BC_POP_TOP:
        case MP_BC_POP_JUMP_IF_TRUE: case MP_BC_POP_JUMP_IF_FALSE: case MP_BC_JUMP_IF_TRUE_OR_POP:
        case MP_BC_JUMP_IF_FALSE_OR_POP: case MP_BC_SETUP_WITH: case MP_BC_END_FINALLY: case MP_BC_GET_ITER:
        case MP_BC_GET_ITER_STACK: case MP_BC_UNPACK_SEQUENCE: case MP_BC_UNPACK_EX: case MP_BC_RETURN_VALUE:
        case MP_BC_RAISE_OBJ: case MP_BC_YIELD_VALUE: case MP_BC_IMPORT_FROM: case MP_BC_IMPORT_STAR:
            return 1;
        case MP_BC_LOAD_SUBSCR: case MP_BC_STORE_ATTR: case MP_BC_DUP_TOP_TWO: case MP_BC_ROT_TWO:
        case MP_BC_MAKE_FUNCTION_DEFARGS: case MP_BC_RAISE_FROM: case MP_BC_YIELD_FROM: case MP_BC_IMPORT_NAME:
            return 2;
        case MP_BC_LOAD_SUPER_METHOD: case MP_BC_STORE_SUBSCR: case MP_BC_ROT_THREE: case MP_BC_STORE_MAP:
        case MP_BC_WITH_CLEANUP:
            return 3;
        case MP_BC_FOR_ITER:
            return MP_BC_ITER_BUF_NSLOTS_v6;
        case MP_BC_BUILD_TUPLE: case MP_BC_BUILD_LIST: case MP_BC_BUILD_SET: case MP_BC_BUILD_SLICE:
            return arg;
        case MP_BC_STORE_COMP: return (arg >> 2) + 1;
        case MP_BC_MAKE_CLOSURE: return extra;
        case MP_BC_MAKE_CLOSURE_DEFARGS: return extra + 2;
        case MP_BC_CALL_FUNCTION: return n_args + 1;
        case MP_BC_CALL_FUNCTION_VAR_KW: case MP_BC_CALL_METHOD: return n_args + 2;
        case MP_BC_CALL_METHOD_VAR_KW: return n_args + 3;
        default:
            if (op >= MP_BC_UNARY_OP_MULTI && op < MP_BC_UNARY_OP_MULTI + MP_BC_UNARY_OP_MULTI_NUM) {
                return 1;
            }
            if (op >= MP_BC_BINARY_OP_MULTI && op < MP_BC_BINARY_OP_MULTI + MP_BC_BINARY_OP_MULTI_NUM) {
                return 2;
            }
            if (op >= MP_BC_STORE_FAST_MULTI && op < MP_BC_STORE_FAST_MULTI + MP_BC_STORE_FAST_MULTI_NUM) {
                return 1;
            }
            return 0;
    }
}

