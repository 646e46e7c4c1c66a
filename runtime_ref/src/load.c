/* load.c: parse a .mpy file (v5 or v6, magic 'M' or 'C') into an mpy_module.
 *
 * File layout, v6 (py/persistentcode.c mp_raw_code_load):
 *     header      'M'|'C', 6, arch << 2 | sub_version, small_int_bits
 *     [arch flags var-uint if header[2] & 0x40]
 *     n_qstr, n_obj                       var-uints
 *     qstr * n_qstr   var-uint (len << 1), bytes, NUL  |  var-uint (static << 1 | 1)
 *     obj * n_obj     type byte, then per type (below)
 *     raw code        var-uint (len << 3 | has_children << 2 | kind), data[len],
 *                     [n_children var-uint, raw code * n_children]
 * File layout, v5 (mpy-v1.18 py/persistentcode.c):
 *     header      'M'|'C', 5, flags | arch << 2, small_int_bits, window size var-uint
 *     raw code        var-uint (len << 2 | kind), prelude with two inline qstrs,
 *                     bytecode with inline qstrs, n_obj, n_raw_code,
 *                     arg-name qstrs, objects (letters), children
 *     inline qstr     var-uint 0 + byte (static), odd (window index << 1 | 1),
 *                     even (len << 1) + bytes (new, pushed into the window)
 * Every read is bounds-checked; the first problem ends the load. */
#include "gc.h"
#include "mpy.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "bc.h"
#include "platform.h"

#define MAX_DEPTH 1000          /* nesting of raw codes and of tuples (the official compiler stops near 700) */
#define QSTR_WINDOW_SIZE 32     /* mpy-v1.18 py/persistentcode.c */

typedef struct {
    mpy_module *m;
    const uint8_t *buf;
    size_t len, pos;
    jmp_buf fail;
    int code;
    char *err;
    size_t errlen;
    size_t window[QSTR_WINDOW_SIZE];   /* v5: most recent first; SIZE_MAX = empty */
} loader;

static NORETURN void fail(loader *ld, int code, const char *fmt, ...) {
    char msg[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    const char *prefix = "unsupported: ";
    if (code == EXIT_UNSUPPORTED && strncmp(msg, prefix, strlen(prefix)) == 0) {
        /* the same first words as the VM's unsupported features */
        snprintf(ld->err, ld->errlen, "%s (%s, offset %lu)", msg, ld->m->filename, (unsigned long)(ld->pos));
    } else {
        snprintf(ld->err, ld->errlen, "%s: offset %lu: %s", ld->m->filename, (unsigned long)(ld->pos), msg);
    }
    ld->code = code;
    longjmp(ld->fail, 1);
}

static uint8_t read_byte(loader *ld) {
    if (ld->pos >= ld->len) {
        fail(ld, EXIT_INVALID, "file truncated (expected 1 more byte)");
    }
    return ld->buf[ld->pos++];
}

static const uint8_t *read_bytes(loader *ld, size_t n) {
    if (n > ld->len - ld->pos) {
        fail(ld, EXIT_INVALID, "file truncated (expected %lu more bytes, %lu left)", (unsigned long)(n), (unsigned long)(ld->len - ld->pos));
    }
    const uint8_t *p = ld->buf + ld->pos;
    ld->pos += n;
    return p;
}

static size_t read_uint(loader *ld) {
    size_t v;
    size_t n = bc_read_uint(ld->buf + ld->pos, ld->buf + ld->len, &v);
    if (n == 0) {
        fail(ld, EXIT_INVALID, "truncated or oversized var-uint");
    }
    ld->pos += n;
    return v;
}

/* Room for one more item in a growing table (v5 tables, whose sizes are
 * not in the header): grows the capacity by half (from `first`) into a
 * fresh block and frees the old one; half, not double, because old and
 * new must fit in a small heap together. */
static void *grow_table(void *items, size_t n, size_t *cap, size_t elem, size_t first) {
    if (n < *cap) {
        return items;
    }
    size_t new_cap = *cap ? *cap + *cap / 2 + 1 : first;
    void *bigger = gc_alloc(new_cap * elem);
    if (n) {
        mem_copy(bigger, items, n * elem);
    }
    gc_free(items);   /* the table is only reached through the module */
    *cap = new_cap;
    return bigger;
}

static size_t add_qstr(loader *ld, const char *s, size_t len) {
    mpy_module *m = ld->m;
    m->qstrs = grow_table(m->qstrs, m->n_qstr, &m->cap_qstr, sizeof *m->qstrs, 64);
    m->qstrs[m->n_qstr].str = s;
    m->qstrs[m->n_qstr].len = len;
    return m->n_qstr++;
}

static size_t static_qstr(loader *ld, size_t n) {
    /* qstr 0 is MP_QSTRnull; static qstr n is mp_static_qstrs[n - 1] */
    if (n == 0 || n > MP_STATIC_QSTR_COUNT) {
        fail(ld, EXIT_INVALID, "static qstr %lu out of range (1..%d)", (unsigned long)(n), MP_STATIC_QSTR_COUNT);
    }
    const char *s = mp_static_qstrs[n - 1];
    return add_qstr(ld, s, strlen(s));
}

/* A NUL-terminated string of len bytes (qstrs, str and bytes constants). */
static const char *read_text_nul(loader *ld, size_t len, const char *what) {
    const char *s = (const char *)read_bytes(ld, len);
    size_t at = ld->pos;
    if (read_byte(ld) != 0) {
        ld->pos = at;
        fail(ld, EXIT_INVALID, "%s not NUL-terminated", what);
    }
    return s;
}

static int valid_int_text(const char *s, size_t n) {
    size_t i = 0;
    if (i < n && (s[i] == '-' || s[i] == '+')) {
        i++;
    }
    if (i == n) {
        return 0;
    }
    for (; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return 0;
        }
    }
    return 1;
}

static int valid_float_text(const char *s, size_t n, int complex) {
    /* digits, one point, exponent; "inf"/"nan"; complex ends in 'j' */
    if (complex) {
        if (n == 0 || (s[n - 1] != 'j' && s[n - 1] != 'J')) {
            return 0;
        }
        n--;
    }
    if (n == 0 || n > 400) {
        return 0;
    }
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '-' || c == '+'
              || c == 'i' || c == 'n' || c == 'f' || c == 'a')) {
            return 0;
        }
    }
    return 1;
}


static void load_obj_v6(loader *ld, mpy_obj *o, int depth) {
    size_t at = ld->pos;
    int t = read_byte(ld);
    memset(o, 0, sizeof *o);
    o->kind = t;
    switch (t) {
        case MPY_OBJ_NONE: case MPY_OBJ_FALSE: case MPY_OBJ_TRUE: case MPY_OBJ_ELLIPSIS:
            return;
        case MPY_OBJ_STR: case MPY_OBJ_BYTES:
            o->len = read_uint(ld);
            o->data = read_text_nul(ld, o->len, t == MPY_OBJ_STR ? "str constant" : "bytes constant");
            return;
        case MPY_OBJ_INT: case MPY_OBJ_FLOAT: case MPY_OBJ_COMPLEX:
            o->len = read_uint(ld);
            o->data = (const char *)read_bytes(ld, o->len);
            if (t == MPY_OBJ_INT ? !valid_int_text(o->data, o->len)
                                 : !valid_float_text(o->data, o->len, t == MPY_OBJ_COMPLEX)) {
                ld->pos = at;
                fail(ld, EXIT_INVALID, "malformed %s constant", t == MPY_OBJ_INT ? "int" : "float");
            }
            return;
        case MPY_OBJ_TUPLE:
            if (depth >= MAX_DEPTH) {
                fail(ld, EXIT_INVALID, "tuple constants nested too deeply");
            }
            o->len = read_uint(ld);
            if (o->len > ld->len - ld->pos) {
                fail(ld, EXIT_INVALID, "tuple of %lu items cannot fit in the file", (unsigned long)(o->len));
            }
            o->items = gc_alloc((o->len ? o->len : 1) * sizeof *o->items);
            for (size_t i = 0; i < o->len; i++) {
                load_obj_v6(ld, &o->items[i], depth + 1);
            }
            return;
        case MPY_OBJ_FUN_TABLE:
            ld->pos = at;
            fail(ld, EXIT_UNSUPPORTED, "unsupported: native code constant (fun_table)");
        default:
            ld->pos = at;
            fail(ld, EXIT_INVALID, "unknown constant type %d", t);
    }
}

/* Decode the prelude at the start of c->data (py/bc.h) and bounds-check its
 * sections. v5 name fields are 2-byte qstr indices (rebuilt by the loader). */
static void decode_prelude(loader *ld, mpy_code *c, int version) {
    const uint8_t *p = c->data, *end = c->data + c->len;
    size_t at = ld->pos;
    ld->pos = c->file_offset;
    if (p >= end) {
        fail(ld, EXIT_INVALID, "empty function data");
    }
    /* xSSSSEAA [xFSSKAED repeated] */
    uint8_t z = *p++;
    size_t S = (z >> 3) & 0xf, E = (z >> 2) & 1, F = 0, A = z & 3, K = 0, D = 0;
    for (unsigned n = 0; z & 0x80; n++) {
        if (p >= end || n > 10) {
            fail(ld, EXIT_INVALID, "truncated prelude signature");
        }
        z = *p++;
        S |= (size_t)((z >> 4) & 3) << (4 + 2 * n);
        E |= (size_t)((z >> 1) & 1) << (1 + n);
        F |= (size_t)((z >> 6) & 1) << n;
        A |= (size_t)((z >> 2) & 1) << (2 + n);
        K |= (size_t)((z >> 3) & 1) << n;
        D |= (size_t)(z & 1) << n;
    }
    c->n_state = S + 1;
    c->n_exc_stack = E;
    c->scope_flags = F;
    c->n_pos_args = A;
    c->n_kwonly_args = K;
    c->n_def_pos_args = D;
    /* xIIIIIIC repeated */
    size_t I = 0, C = 0;
    for (unsigned n = 0;; n++) {
        if (p >= end || n > 5) {
            fail(ld, EXIT_INVALID, "truncated prelude size");
        }
        z = *p++;
        C |= (size_t)(z & 1) << n;
        I |= (size_t)((z >> 1) & 0x3f) << (6 * n);
        if (!(z & 0x80)) {
            break;
        }
    }
    c->n_info = I;
    c->n_cell = C;
    c->info_start = (size_t)(p - c->data);
    if (I > c->len - c->info_start || C > c->len - c->info_start - I) {
        fail(ld, EXIT_INVALID, "prelude sections (info %lu, cells %lu bytes) run past the function data (%lu bytes)",
            (unsigned long)(I), (unsigned long)(C), (unsigned long)(c->len));
    }
    c->cell_start = c->info_start + I;
    c->code_start = c->cell_start + C;
    const uint8_t *info_end = c->data + c->cell_start;
    size_t n_args = A + K;
    c->arg_names = gc_alloc((n_args + 1) * sizeof(size_t));
    if (version == 6) {
        size_t n = bc_read_uint(p, info_end, &c->name);
        if (n == 0) {
            fail(ld, EXIT_INVALID, "function name runs past the source info section");
        }
        p += n;
        for (size_t i = 0; i < n_args; i++) {
            n = bc_read_uint(p, info_end, &c->arg_names[i]);
            if (n == 0) {
                fail(ld, EXIT_INVALID, "argument names run past the source info section");
            }
            p += n;
        }
    } else {
        if (info_end - p < 4) {
            fail(ld, EXIT_INVALID, "source info section too short for the two names");
        }
        c->name = p[0] | p[1] << 8;
        p += 4;   /* simple_name, source_file */
    }
    c->line_start = (size_t)(p - c->data);
    c->line_end = c->cell_start;
    ld->pos = at;
}

static mpy_code *load_raw_code_v6(loader *ld, int depth) {
    if (depth >= MAX_DEPTH) {
        fail(ld, EXIT_INVALID, "raw code nested too deeply");
    }
    mpy_code *c = gc_alloc(sizeof *c);
    c->objs = ld->m->objs;
    c->module = ld->m;
    size_t at = ld->pos;
    size_t kind_len = read_uint(ld);
    int kind = kind_len & 3;
    int has_children = (kind_len >> 2) & 1;
    c->len = kind_len >> 3;
    if (kind != 0) {
        ld->pos = at;
        fail(ld, ld->m->arch ? EXIT_UNSUPPORTED : EXIT_INVALID, "%snative code (kind %d)",
            ld->m->arch ? "unsupported: " : "bytecode-only file holds ", kind);
    }
    c->file_offset = ld->pos;
    c->data = read_bytes(ld, c->len);
    decode_prelude(ld, c, 6);
    if (has_children) {
        c->n_children = read_uint(ld);
        if (c->n_children > ld->len - ld->pos) {
            fail(ld, EXIT_INVALID, "%lu children cannot fit in the file", (unsigned long)(c->n_children));
        }
        c->children = gc_alloc((c->n_children + 1) * sizeof(mpy_code *));
        for (size_t i = 0; i < c->n_children; i++) {
            c->children[i] = load_raw_code_v6(ld, depth + 1);
        }
    }
    return c;
}

static void load_v6(loader *ld) {
    mpy_module *m = ld->m;
    if (m->arch != 0 || (ld->buf[2] & 0x40)) {
        fail(ld, EXIT_UNSUPPORTED, "unsupported: native code for architecture %d", m->arch);
    }
    size_t n_qstr = read_uint(ld);
    size_t n_obj = read_uint(ld);
    if (n_qstr > ld->len - ld->pos || n_obj > ld->len - ld->pos) {
        fail(ld, EXIT_INVALID, "table sizes (%lu qstrs, %lu objects) cannot fit in the file", (unsigned long)(n_qstr), (unsigned long)(n_obj));
    }
    if (n_qstr == 0) {
        fail(ld, EXIT_INVALID, "qstr table is empty (entry 0 must be the source file name)");
    }
    /* the header gives both counts: tables of exactly that size (doubling
     * would need up to twice the room, too much in a small heap) */
    m->qstrs = gc_alloc(n_qstr * sizeof *m->qstrs);
    m->cap_qstr = n_qstr;
    m->objs = gc_alloc((n_obj ? n_obj : 1) * sizeof *m->objs);
    for (size_t i = 0; i < n_qstr; i++) {
        size_t v = read_uint(ld);
        if (v & 1) {
            static_qstr(ld, v >> 1);
        } else {
            const char *s = read_text_nul(ld, v >> 1, "qstr");
            add_qstr(ld, s, v >> 1);
        }
    }
    for (size_t i = 0; i < n_obj; i++) {
        load_obj_v6(ld, &m->objs[m->n_obj++], 0);
    }
    m->source_file = 0;
    m->root = load_raw_code_v6(ld, 0);
}

/* ---- version 5 ---- */

static size_t load_qstr_v5(loader *ld) {
    size_t at = ld->pos;
    size_t v = read_uint(ld);
    size_t q;
    if (v == 0) {
        return static_qstr(ld, read_byte(ld));   /* static qstrs bypass the window */
    } else if (v & 1) {
        size_t idx = v >> 1;
        if (idx >= QSTR_WINDOW_SIZE || ld->window[idx] == (size_t)-1) {
            ld->pos = at;
            fail(ld, EXIT_INVALID, "qstr window reference %lu to an empty slot", (unsigned long)(idx));
        }
        q = ld->window[idx];
        memmove(&ld->window[1], &ld->window[0], idx * sizeof(size_t));
        ld->window[0] = q;
        return q;
    } else {
        const char *s = (const char *)read_bytes(ld, v >> 1);
        q = add_qstr(ld, s, v >> 1);
    }
    memmove(&ld->window[1], &ld->window[0], (QSTR_WINDOW_SIZE - 1) * sizeof(size_t));
    ld->window[0] = q;
    return q;
}

#ifdef MP_BC_HAVE_v5
static void load_obj_v5(loader *ld, mpy_obj *o) {
    size_t at = ld->pos;
    int t = read_byte(ld);
    memset(o, 0, sizeof *o);
    if (t == 'e') {
        o->kind = MPY_OBJ_ELLIPSIS;
        return;
    }
    o->len = read_uint(ld);
    o->data = (const char *)read_bytes(ld, o->len);
    switch (t) {
        case 's': o->kind = MPY_OBJ_STR; return;
        case 'b': o->kind = MPY_OBJ_BYTES; return;
        case 'i': o->kind = MPY_OBJ_INT; break;
        case 'f': o->kind = MPY_OBJ_FLOAT; break;
        case 'c': o->kind = MPY_OBJ_COMPLEX; break;
        default:
            ld->pos = at;
            fail(ld, EXIT_INVALID, "unknown constant type '%c'", t);
    }
    if (o->kind == MPY_OBJ_INT ? !valid_int_text(o->data, o->len)
                               : !valid_float_text(o->data, o->len, o->kind == MPY_OBJ_COMPLEX)) {
        ld->pos = at;
        fail(ld, EXIT_INVALID, "malformed number constant");
    }
}

static void put16(loader *ld, uint8_t *out, size_t *w, size_t cap, size_t v) {
    if (*w + 2 > cap || v > 0xffff) {
        fail(ld, EXIT_INVALID, "bytecode overruns its declared length");
    }
    out[(*w)++] = v & 0xff;
    out[(*w)++] = (v >> 8) & 0xff;
}

static void copy_bytes(loader *ld, uint8_t *out, size_t *w, size_t cap, size_t n) {
    if (n > cap - *w) {
        fail(ld, EXIT_INVALID, "bytecode overruns its declared length");
    }
    mem_copy(out + *w, read_bytes(ld, n), n);
    *w += n;
}

/* Copy one var-uint's bytes as they are (the prelude signature may hold more
 * bits than a size_t value check allows). */
static void copy_uint(loader *ld, uint8_t *out, size_t *w, size_t cap) {
    size_t n = 0;
    do {
        if (ld->pos + n >= ld->len || n >= 10) {
            fail(ld, EXIT_INVALID, "truncated var-uint");
        }
    } while (ld->buf[ld->pos + n++] & 0x80);
    copy_bytes(ld, out, w, cap, n);
}

static mpy_code *load_raw_code_v5(loader *ld, int depth) {
    if (depth >= MAX_DEPTH) {
        fail(ld, EXIT_INVALID, "raw code nested too deeply");
    }
    mpy_code *c = gc_alloc(sizeof *c);
    c->module = ld->m;
    size_t at = ld->pos;
    size_t kind_len = read_uint(ld);
    int kind = kind_len & 3;
    size_t cap = kind_len >> 2;
    if (kind != 0) {
        ld->pos = at;
        fail(ld, ld->m->arch ? EXIT_UNSUPPORTED : EXIT_INVALID, "%snative code (kind %d)",
            ld->m->arch ? "unsupported: " : "bytecode-only file holds ", kind);
    }
    if (cap > 4 * (ld->len - ld->pos) + 16) {
        fail(ld, EXIT_INVALID, "function length %lu cannot fit in the file", (unsigned long)(cap));
    }
    uint8_t *out = plat_file_alloc(cap + 1);   /* the file, in its in-memory layout */
    size_t w = 0;
    c->file_offset = ld->pos;
    /* prelude: signature and size var-uints as they are, then the two names */
    copy_uint(ld, out, &w, cap);
    copy_uint(ld, out, &w, cap);
    c->data = out;
    c->len = w;
    /* decode what we have so far to learn n_info and n_cell */
    size_t save_len = c->len;
    c->len = cap;
    decode_prelude(ld, c, 5);   /* checks sizes against cap; names not yet read */
    c->len = save_len;
    if (c->n_info < 4) {
        fail(ld, EXIT_INVALID, "source info section shorter than its two names");
    }
    put16(ld, out, &w, cap, load_qstr_v5(ld));   /* simple_name */
    put16(ld, out, &w, cap, load_qstr_v5(ld));   /* source_file */
    copy_bytes(ld, out, &w, cap, c->n_info - 4 + c->n_cell);
    /* bytecode: rewrite inline qstrs to 2-byte module indices */
    while (w < cap) {
        size_t op_at = ld->pos;
        int op = read_byte(ld);
        int k = mp_bc_operand_v5[op];
        if (k == 0) {
            ld->pos = op_at;
            fail(ld, EXIT_INVALID, "unknown opcode 0x%02x", op);
        }
        out[w++] = (uint8_t)op;
        switch (k) {
            case OPK_QSTR: put16(ld, out, &w, cap, load_qstr_v5(ld)); break;
            case OPK_UINT: case OPK_SINT: case OPK_OBJ: case OPK_CHILD: copy_uint(ld, out, &w, cap); break;
            case OPK_JUMP_SIGNED: case OPK_JUMP_UNSIGNED: copy_bytes(ld, out, &w, cap, 2); break;
            default: break;
        }
        if (mp_bc_extra_v5[op]) {
            copy_bytes(ld, out, &w, cap, 1);
        }
    }
    c->len = w;
    decode_prelude(ld, c, 5);

    size_t n_obj = read_uint(ld);
    size_t n_raw = read_uint(ld);
    if (n_obj > ld->len - ld->pos || n_raw > ld->len - ld->pos) {
        fail(ld, EXIT_INVALID, "constant table sizes cannot fit in the file");
    }
    for (size_t i = 0; i < c->n_pos_args + c->n_kwonly_args; i++) {
        c->arg_names[i] = load_qstr_v5(ld);
    }
    c->n_obj = n_obj;
    c->objs = gc_alloc((n_obj ? n_obj : 1) * sizeof *c->objs);
    for (size_t i = 0; i < n_obj; i++) {
        load_obj_v5(ld, &c->objs[i]);
    }
    c->n_children = n_raw;
    c->children = gc_alloc((n_raw + 1) * sizeof(mpy_code *));
    for (size_t i = 0; i < n_raw; i++) {
        c->children[i] = load_raw_code_v5(ld, depth + 1);
    }
    return c;
}
#endif

static void load_v5(loader *ld) {
#ifdef MP_BC_HAVE_v5
    size_t window = read_uint(ld);
    if (window > QSTR_WINDOW_SIZE) {
        fail(ld, EXIT_INVALID, "qstr window size %lu exceeds %d", (unsigned long)(window), QSTR_WINDOW_SIZE);
    }
    for (size_t i = 0; i < QSTR_WINDOW_SIZE; i++) {
        ld->window[i] = (size_t)-1;
    }
    ld->m->root = load_raw_code_v5(ld, 0);
    /* the module's source file name is the root's second prelude qstr */
    const uint8_t *p = ld->m->root->data + ld->m->root->info_start;
    ld->m->source_file = p[2] | p[3] << 8;
#else
    fail(ld, EXIT_UNSUPPORTED, "unsupported: .mpy v5 (formats/bytecode/v5.toml was absent at build time)");
#endif
}

int mpy_load(const char *filename, const uint8_t *buf, size_t len, mpy_module *m, char *err, size_t errlen) {
    loader ld;
    memset(&ld, 0, sizeof ld);
    memset(m, 0, sizeof *m);
    m->filename = filename;
    m->buf = buf;
    m->len = len;
    ld.m = m;
    ld.buf = buf;
    ld.len = len;
    ld.err = err;
    ld.errlen = errlen;
    if (setjmp(ld.fail)) {
        return ld.code;
    }
    const uint8_t *h = read_bytes(&ld, 4);
    m->magic = h[0];
    m->version = h[1];
    if (h[0] != 'M' && h[0] != 'C') {
        ld.pos = 0;
        fail(&ld, EXIT_INVALID, "bad magic byte 0x%02x (expected 'M' or 'C')", h[0]);
    }
    m->arch = h[2] >> 2;
    m->small_int_bits = h[3];
    if (m->small_int_bits < 8 || m->small_int_bits > 63) {
        ld.pos = 3;
        fail(&ld, EXIT_INVALID, "small-int bits %d out of range", m->small_int_bits);
    }
    if (h[1] == 6) {
        m->sub_version = h[2] & 3;
        m->arch &= 0xf;
        load_v6(&ld);
    } else if (h[1] == 5) {
        m->arch &= 0x3f;
        load_v5(&ld);
    } else {
        ld.pos = 1;
        fail(&ld, h[1] < 5 ? EXIT_UNSUPPORTED : EXIT_INVALID, "%s.mpy version %d (expected 5 or 6)",
            h[1] < 5 ? "unsupported: " : "", h[1]);
    }
    if (ld.pos != len) {
        fail(&ld, EXIT_INVALID, "%lu trailing bytes after the module", (unsigned long)(len - ld.pos));
    }
    return 0;
}

const char *mpy_qstr_text(const mpy_module *m, size_t i, size_t *len) {
    if (i >= m->n_qstr) {
        *len = 1;
        return "?";
    }
    *len = m->qstrs[i].len;
    return m->qstrs[i].str;
}
