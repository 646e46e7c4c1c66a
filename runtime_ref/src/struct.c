/* struct.c: the `struct` module (calcsize, pack, pack_into, unpack,
 * unpack_from) as py/modstruct.c and py/binary.c define it:
 *
 *     format  = [byte order] { [count] code }
 *     order   '@' native sizes, each item aligned to its size from the
 *             start of the packed data (the default) | '<' little | '>' '!' big
 *             ('=' is accepted as an order but has no sizes: "bad typecode")
 *     code    b B h H i I l L q Q e f d P O  |  x (count pad bytes)  |  s (count-byte string)
 *
 * Standard sizes: l L are 4 bytes; native ones are the platform's. Integers
 * are stored truncated to the item (MicroPython 1.x); 'e' is IEEE half
 * precision with py/binary.c's rounding; 'O' stores an object reference. */
#include <string.h>

#include "gc.h"
#include "lib.h"

static int native_order(void) {
    const uint16_t one = 1;
    return *(const uint8_t *)&one ? '<' : '>';
}

/* size of one item, and its alignment (1 outside '@'); ValueError for unknown codes */
static size_t item_size(int order, int code, size_t *align) {
    size_t size = 0;
    *align = 1;
    if (order == '<' || order == '>') {
        switch (code) {
            case 'b': case 'B': size = 1; break;
            case 'h': case 'H': case 'e': size = 2; break;
            case 'i': case 'I': case 'l': case 'L': case 'f': size = 4; break;
            case 'q': case 'Q': case 'd': size = 8; break;
            case 'P': case 'O': size = sizeof(void *); break;
            default: break;
        }
    } else if (order == '@') {
        size = code == 'e' ? 2 : lib_item_size(code);
        if (code == 'S') size = 0;
        *align = size;
    }
    if (size == 0) raise_msg(E_ValueError, "bad typecode");
    return size;
}

typedef struct {
    const char *p, *end;
    int order;
} fmt_reader;

static fmt_reader reader(V fmt) {
    if (fmt->kind != K_STR && fmt->kind != K_BYTES) {
        raise_msg(E_TypeError, "can't convert '%s' object to str implicitly", type_of(fmt)->u.cls.name);
    }
    fmt_reader r = {fmt->u.str.s, fmt->u.str.s + fmt->u.str.len, '@'};
    if (r.p < r.end && strchr("@=<>!", *r.p) && *r.p) {
        r.order = *r.p == '!' ? '>' : *r.p;
        r.p++;
    }
    return r;
}

/* next (count, code); 0 at the end */
static int next_item(fmt_reader *r, size_t *count) {
    if (r->p >= r->end) return 0;
    *count = 1;
    if (*r->p >= '0' && *r->p <= '9') {
        size_t c = 0;
        while (r->p < r->end && *r->p >= '0' && *r->p <= '9') {
            c = c * 10 + (size_t)(*r->p++ - '0');
            if (c > ((size_t)1 << 30)) raise_msg(E_ValueError, "count too large");
        }
        *count = c;
        if (r->p >= r->end) raise_msg(E_ValueError, "bad typecode");   /* a count with no code after it */
    }
    return (unsigned char)*r->p++;
}

static size_t align_up(size_t off, size_t align) { return align > 1 ? (off + align - 1) / align * align : off; }

/* total size and number of values of a format */
static size_t measure(V fmt, size_t *n_values) {
    fmt_reader r = reader(fmt);
    size_t size = 0, count, values = 0;
    int code;
    while ((code = next_item(&r, &count))) {
        if (code == 'x') {
            size += count;
        } else if (code == 's') {
            size += count;
            values++;
        } else {
            size_t align, sz = item_size(r.order, code, &align);
            for (size_t k = 0; k < count; k++) size = align_up(size, align) + sz;
            values += count;
        }
    }
    *n_values = values;
    return size;
}

static uint16_t half_of(float x) {
    uint32_t i;
    memcpy(&i, &x, 4);
    uint32_t m = (i >> 13) & 0x3ff;
    if (i & (1u << 12)) m++;
    int e = (int)((i >> 23) & 0xff);
    if (e == 0xff) {
        e = 0x1f;
    } else if (e != 0) {
        e -= 127 - 15;
        if (e < 0) {
            if (e >= -11) {
                m = (m | 0x400) >> -e;
                m = (m & 1) ? (m >> 1) + 1 : m >> 1;
            } else {
                m = 0;
            }
            e = 0;
        } else if (e > 0x3f) {   /* py/binary.c's bound: exponents 0x20..0x3f spill into the sign bit */
            e = 0x1f;
            m = 0;
        }
    }
    return (uint16_t)(((i >> 16) & 0x8000) | ((uint32_t)e << 10) | m);
}

static float float_of_half(uint16_t h) {
    uint32_t m = h & 0x3ff;
    int e = (h >> 10) & 0x1f;
    if (e == 0x1f) {
        e = 0xff;
    } else if (e) {
        e += 127 - 15;
    } else if (m) {
        e = 127 - 15;
        while (!(m & 0x400)) {
            m <<= 1;
            e--;
        }
        m -= 0x400;
        e++;
    }
    uint32_t i = ((uint32_t)(h & 0x8000) << 16) | ((uint32_t)e << 23) | (m << 13);
    float f;
    memcpy(&f, &i, 4);
    return f;
}

static void put_bytes(char *dst, uint64_t v, size_t size, int big) {
    for (size_t k = 0; k < size; k++) dst[big ? size - 1 - k : k] = (char)(v >> (8 * k));
}

static uint64_t get_bytes(const char *src, size_t size, int big) {
    uint64_t v = 0;
    for (size_t k = 0; k < size; k++) v |= (uint64_t)(uint8_t)src[big ? size - 1 - k : k] << (8 * k);
    return v;
}

static void put_value(int order, int code, char *dst, size_t size, V v) {
    int big = order == '>';
    uint64_t bits;
    if (code == 'O') {
        uintptr_t p = (uintptr_t)v;
        bits = (uint64_t)p;
    } else if (code == 'e' || code == 'f' || code == 'd') {
        double d = to_double(v);
        if (code == 'e') {
            bits = half_of((float)d);
        } else if (code == 'f') {
            float f = (float)d;
            uint32_t i;
            memcpy(&i, &f, 4);
            bits = i;
        } else {
            memcpy(&bits, &d, 8);
        }
    } else {
        if (!is_int(v)) raise_msg(E_TypeError, "can't convert %s to int", type_of(v)->u.cls.name);
        V low = binary_op(MP_BINARY_OP_AND, v, mk_int(0xffffffff));
        V high = binary_op(MP_BINARY_OP_AND, binary_op(MP_BINARY_OP_RSHIFT, v, mk_int(32)), mk_int(0xffffffff));
        bits = (uint64_t)to_int64(low) | (uint64_t)to_int64(high) << 32;
    }
    put_bytes(dst, bits, size, big);
}

static int is_signed_code(int c) { return c == 'b' || c == 'h' || c == 'i' || c == 'l' || c == 'q'; }

static V get_value(int order, int code, const char *src, size_t size) {
    uint64_t bits = get_bytes(src, size, order == '>');
    if (code == 'O') {
        uintptr_t p = (uintptr_t)bits;
        V o = (V)p;
        return o ? o : None;
    }
    if (code == 'e') return mk_float(float_of_half((uint16_t)bits));
    if (code == 'f') {
        uint32_t i = (uint32_t)bits;
        float f;
        memcpy(&f, &i, 4);
        return mk_float(f);
    }
    if (code == 'd') {
        double d;
        memcpy(&d, &bits, 8);
        return mk_float(d);
    }
    char le[8];
    put_bytes(le, bits, 8, 0);
    if (is_signed_code(code) && size < 8 && (bits >> (8 * size - 1)) & 1) bits |= ~(uint64_t)0 << (8 * size);
    put_bytes(le, bits, 8, 0);
    return lib_item_get(is_signed_code(code) ? 'q' : 'Q', le);
}

/* write values into dst (size bytes, zeroed); stops when the values run out */
static void pack_into(V fmt, char *dst, int n, V *vals) {
    fmt_reader r = reader(fmt);
    int order = r.order == '@' ? native_order() : r.order;
    size_t off = 0, count;
    int i = 0, code;
    while (i < n && (code = next_item(&r, &count))) {
        if (code == 'x') {
            off += count;
        } else if (code == 's') {
            lib_buf b;
            if (!lib_buffer(vals[i], &b)) raise_msg(E_TypeError, "object with buffer protocol required");
            i++;
            mem_copy(dst + off, b.p, b.len < count ? b.len : count);
            off += count;
        } else {
            size_t align, sz = item_size(r.order, code, &align);
            for (size_t k = 0; k < count && i < n; k++) {
                off = align_up(off, align);
                put_value(order, code, dst + off, sz, vals[i++]);
                off += sz;
            }
        }
    }
}

static V f_calcsize(int n, V *a, V kw) {
    (void)kw;
    if (n != 1) raise_msg(E_TypeError, "function takes 1 positional argument");
    size_t values;
    return mk_int((int64_t)measure(a[0], &values));
}

static V f_pack(int n, V *a, V kw) {
    (void)kw;
    if (n < 1) raise_msg(E_TypeError, "function takes at least 1 argument");
    size_t values, size = measure(a[0], &values);
    char *buf = gc_alloc(size + 1);
    pack_into(a[0], buf, n - 1, a + 1);
    return mk_bytes(buf, size);
}

/* a buffer offset (negative from the end) with room for size bytes */
static size_t place(lib_buf *b, V offset, size_t size) {
    int64_t off = to_int64(offset);
    if (off < 0) off += (int64_t)b->len;
    if (off < 0 || (uint64_t)off + size > b->len) raise_msg(E_ValueError, "buffer too small");
    return (size_t)off;
}

static V f_pack_into(int n, V *a, V kw) {
    (void)kw;
    if (n < 3) raise_msg(E_TypeError, "function takes at least 3 arguments");
    lib_buf b;
    if (!lib_buffer(a[1], &b) || !b.writable) raise_msg(E_TypeError, "object with buffer protocol required");
    size_t values, size = measure(a[0], &values);
    size_t off = place(&b, a[2], size);
    char *tmp = gc_alloc(size + 1);
    mem_copy(tmp, b.p + off, size);   /* pad bytes and unwritten items keep what the buffer held */
    pack_into(a[0], tmp, n - 3, a + 3);
    mem_copy(b.p + off, tmp, size);
    return None;
}

static V unpack_at(V fmt, V buffer, V offset) {
    lib_buf b;
    if (!lib_buffer(buffer, &b)) raise_msg(E_TypeError, "object with buffer protocol required");
    size_t values, size = measure(fmt, &values);
    size_t off = 0;
    if (offset) {
        off = place(&b, offset, size);
    } else if (size > b.len) {
        raise_msg(E_ValueError, "buffer too small");
    }
    const char *base = b.p + off;
    fmt_reader r = reader(fmt);
    int order = r.order == '@' ? native_order() : r.order;
    V out = mk_tuple(values, NULL);
    size_t at = 0, count, i = 0;
    int code;
    while ((code = next_item(&r, &count))) {
        if (code == 'x') {
            at += count;
        } else if (code == 's') {
            out->u.seq.items[i++] = mk_bytes(base + at, count);
            at += count;
        } else {
            size_t align, sz = item_size(r.order, code, &align);
            for (size_t k = 0; k < count; k++) {
                at = align_up(at, align);
                out->u.seq.items[i++] = get_value(order, code, base + at, sz);
                at += sz;
            }
        }
    }
    return out;
}

static V f_unpack(int n, V *a, V kw) {
    (void)kw;
    if (n != 2) raise_msg(E_TypeError, "function takes 2 positional arguments");
    return unpack_at(a[0], a[1], NULL);
}

static V f_unpack_from(int n, V *a, V kw) {
    (void)kw;
    if (n < 2 || n > 3) raise_msg(E_TypeError, "function takes 2 or 3 positional arguments");
    return unpack_at(a[0], a[1], n > 2 ? a[2] : mk_int(0));
}

void lib_struct_module(V modules) {
    V m = lib_new_module(modules, "struct");
    static const struct { const char *name; native_fn fn; } fns[] = {
        {"calcsize", f_calcsize}, {"pack", f_pack}, {"pack_into", f_pack_into}, {"unpack", f_unpack},
        {"unpack_from", f_unpack_from},
    };
    for (size_t i = 0; i < sizeof fns / sizeof fns[0]; i++) dict_set_str(m->u.module.dict, fns[i].name, mk_native(fns[i].name, fns[i].fn));
}
