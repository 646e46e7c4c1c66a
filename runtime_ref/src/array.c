/* array.c: typed buffers. The `array` module's array (K_ARRAY: raw items in
 * u.str, the item type in u.str.typecode), the buffer protocol that bytes,
 * bytearray, array and memoryview share (bytes(), +, ==, slice stores,
 * memoryview()), and memoryview itself: a window of items over a base
 * object, read through the base's buffer at every access so a bytearray
 * that grows never leaves a view pointing at freed memory.
 *
 * Item sizes are the platform's native ones ('l' and 'P' follow `long` and
 * pointers), as py/binary.c gives them for the '@' layout; bytes and
 * bytearray are buffers of 'B'. */
#include <math.h>
#include <string.h>

#include "gc.h"
#include "lib.h"

V T_array;

size_t lib_item_size(int tc) {
    switch (tc) {
        case 'b': case 'B': return 1;
        case 'h': case 'H': return 2;
        case 'i': case 'I': return 4;
        case 'l': case 'L': return sizeof(long);
        case 'q': case 'Q': return 8;
        case 'f': return 4;
        case 'd': return 8;
        case 'O': return sizeof(V);
        case 'P': case 'S': return sizeof(void *);
        default: return 0;
    }
}

static int is_signed(int tc) { return tc == 'b' || tc == 'h' || tc == 'i' || tc == 'l' || tc == 'q'; }

static V from_u64(uint64_t u) {
    if (u <= (uint64_t)INT64_MAX) return mk_int((int64_t)u);
    V half = binary_op(MP_BINARY_OP_LSHIFT, mk_int((int64_t)(u >> 1)), mk_int(1));
    return int_add(half, mk_int((int64_t)(u & 1)));
}

/* the low 64 bits of an int of any size, two's complement */
static uint64_t low64(V v) {
    if (v->kind == K_INST && v->u.inst.native_value) v = v->u.inst.native_value;
    if (v->kind != K_BIG) return (uint64_t)to_int64(v);
    uint64_t m = 0;
    for (int k = 0; k < 2 && k < v->u.big.n; k++) m |= (uint64_t)v->u.big.d[k] << (32 * k);
    return v->u.big.neg ? ~m + 1 : m;
}

V lib_item_get(int tc, const char *p) {
    size_t sz = lib_item_size(tc);
    if (tc == 'f') { float f; memcpy(&f, p, 4); return mk_float(f); }
    if (tc == 'd') { double d; memcpy(&d, p, 8); return mk_float(d); }
    if (tc == 'O') { V o; memcpy(&o, p, sizeof o); return o ? o : None; }
    uint64_t u = 0;
    memcpy(&u, p, sz);   /* little-endian hosts and boards; see docs/runtime_ref.md */
    if (is_signed(tc) && sz < 8 && (u >> (8 * sz - 1)) & 1) u |= ~(uint64_t)0 << (8 * sz);
    return is_signed(tc) ? mk_int((int64_t)u) : from_u64(u);
}

void lib_item_set(int tc, char *p, V v) {
    size_t sz = lib_item_size(tc);
    if (tc == 'O') { memcpy(p, &v, sizeof v); return; }
    if (tc == 'f' || tc == 'd') {
        double d = to_double(v);
        if (tc == 'f') { float f = (float)d; memcpy(p, &f, 4); } else memcpy(p, &d, 8);
        return;
    }
    if (!is_int(v)) raise_msg(E_TypeError, "can't convert %s to int", type_of(v)->u.cls.name);
    uint64_t u = low64(v);   /* out-of-range values truncate, as MicroPython 1.x does */
    memcpy(p, &u, sz);
}

/* The buffer of o: bytes, bytearray, array or memoryview. 0 if o has none. */
int lib_buffer(V o, lib_buf *b) {
    if (o->kind == K_INST && o->u.inst.native_value) o = o->u.inst.native_value;
    switch (o->kind) {
        case K_BYTES: case K_BYTEARRAY: case K_ARRAY:
            b->p = o->u.str.s;
            b->len = o->u.str.len;
            b->typecode = o->kind == K_ARRAY ? o->u.str.typecode : 'B';
            b->writable = o->kind != K_BYTES;
            return 1;
        case K_MEMVIEW: {
            lib_buf base;
            lib_buffer(o->u.iter.a, &base);
            size_t sz = lib_item_size(o->u.iter.typecode);
            size_t start = (size_t)o->u.iter.i * sz, len = (size_t)o->u.iter.j * sz;
            if (start > base.len) start = base.len;
            if (len > base.len - start) len = base.len - start;
            b->p = base.p + start;
            b->len = len;
            b->typecode = o->u.iter.typecode;
            b->writable = base.writable;
            return 1;
        }
        default:
            return 0;
    }
}

/* An array's buffer: 16 bytes, doubled until it holds len + 1; grow() relies on it */
static size_t array_room(size_t len) {
    size_t cap = 16;
    while (cap < len + 1) cap *= 2;
    return cap;
}

static V array_of(int tc, const char *p, size_t bytes) {
    V a = obj_new(K_ARRAY);
    a->cls = T_array;
    a->u.str.typecode = (char)tc;
    a->u.str.s = gc_alloc(array_room(bytes));
    mem_copy(a->u.str.s, p, bytes);
    a->u.str.len = bytes;
    return a;
}

/* room for `more` bytes at the end (capacity grows by doubling) */
static char *grow(V a, size_t more) {
    size_t len = a->u.str.len, cap = array_room(len);
    if (len + more + 1 > cap) {
        while (cap < len + more + 1) cap *= 2;
        char *s = gc_alloc(cap);
        mem_copy(s, a->u.str.s, len);
        a->u.str.s = s;
    }
    char *end = a->u.str.s + len;
    a->u.str.len += more;
    return end;
}

V lib_array_append(int n, V *a, V kw) {
    (void)kw;
    if (n != 2) raise_msg(E_TypeError, "function takes 2 positional arguments");
    V self = a[0]->kind == K_INST ? a[0]->u.inst.native_value : a[0];
    int tc = self->u.str.typecode;
    lib_item_set(tc, grow(self, lib_item_size(tc)), a[1]);
    return None;
}

V lib_array_extend(int n, V *a, V kw) {
    (void)kw;
    if (n != 2) raise_msg(E_TypeError, "function takes 2 positional arguments");
    V self = a[0]->kind == K_INST ? a[0]->u.inst.native_value : a[0];
    int tc = self->u.str.typecode;
    size_t sz = lib_item_size(tc);
    lib_buf b;
    if (lib_buffer(a[1], &b)) {
        if (lib_item_size(b.typecode) != sz) raise_msg(E_ValueError, "array: item sizes differ");   /* py/objarray.c */
        size_t len = b.len;
        char *copy = gc_alloc(len + 1);   /* a[1] may be self */
        mem_copy(copy, b.p, len);
        mem_copy(grow(self, len), copy, len);
        return None;
    }
    V it = get_iter(a[1]), x;
    while ((x = iter_next(it))) lib_item_set(tc, grow(self, sz), x);
    return None;
}

/* array(typecode[, initializer]): bytes-like initializers are copied raw */
V lib_array_new(int n, V *a, V kw) {
    (void)kw;
    if (n == 1) return array_of('B', "", 0);   /* a subclass instance's placeholder, replaced at __init__ */
    if (n > 3) raise_msg(E_TypeError, "function takes 1 or 2 positional arguments");
    if (a[1]->kind != K_STR) raise_msg(E_TypeError, "can't convert %s to str implicitly", type_of(a[1])->u.cls.name);
    int tc = a[1]->u.str.len ? a[1]->u.str.s[0] : 0;
    size_t sz = lib_item_size(tc);
    if (!sz || a[1]->u.str.len != 1) raise_msg(E_ValueError, "bad typecode");
    V r = array_of(tc, "", 0);
    if (n == 3) {
        V init = a[2];
        if (init->kind == K_BYTES || init->kind == K_BYTEARRAY) {
            size_t len = init->u.str.len / sz * sz;
            return array_of(tc, init->u.str.s, len);
        }
        V it = get_iter(init), x;   /* other arrays convert item by item */
        while ((x = iter_next(it))) lib_item_set(tc, grow(r, sz), x);
    }
    return r;
}

size_t lib_buffer_items(V o) {
    lib_buf b;
    lib_buffer(o, &b);
    return b.len / lib_item_size(b.typecode);
}

V lib_array_repr(V a) {
    int tc = a->u.str.typecode;
    char head[16] = "array('x'";
    head[7] = (char)tc;
    V r = mk_cstr(head);
    size_t sz = lib_item_size(tc), n = a->u.str.len / sz;
    if (n) {
        r = str_concat(r, mk_cstr(", ["));
        for (size_t i = 0; i < n; i++) {
            if (i) r = str_concat(r, mk_cstr(", "));
            r = str_concat(r, repr_of(lib_item_get(tc, a->u.str.s + i * sz)));
        }
        r = str_concat(r, mk_cstr("]"));
    }
    return str_concat(r, mk_cstr(")"));
}

V lib_memoryview_new(int n, V *a, V kw) {
    (void)kw;
    if (n != 2) raise_msg(E_TypeError, "function takes 1 positional argument");
    V x = a[1];
    lib_buf b;
    if (!lib_buffer(x, &b)) raise_msg(E_TypeError, "object with buffer protocol required");
    V m = obj_new(K_MEMVIEW);
    if (x->kind == K_INST) x = x->u.inst.native_value;
    if (x->kind == K_MEMVIEW) {
        m->u.iter = x->u.iter;
        return m;
    }
    m->u.iter.a = x;
    m->u.iter.typecode = (char)b.typecode;
    m->u.iter.j = (int64_t)(b.len / lib_item_size(b.typecode));
    return m;
}

/* subscript of an array or a memoryview */
V lib_buffer_subscr(V o, V idx) {
    lib_buf b;
    lib_buffer(o, &b);
    size_t sz = lib_item_size(b.typecode), n = b.len / sz;
    if (idx->kind == K_SLICE) {
        int64_t start, step;
        size_t cnt = slice_indices(idx, n, &start, &step);
        if (step != 1) raise_msg(E_NotImplementedError, "only slices with step=1 (aka None) are supported");
        if (o->kind == K_MEMVIEW) {
            V m = obj_new(K_MEMVIEW);
            m->u.iter = o->u.iter;
            m->u.iter.i += start;
            m->u.iter.j = (int64_t)cnt;
            return m;
        }
        return array_of(b.typecode, b.p + (size_t)start * sz, cnt * sz);
    }
    if (!is_int(idx)) raise_msg(E_TypeError, "indices must be integers");
    int64_t i = norm_index(to_int64(idx), n, 0);
    if (i < 0 || i >= (int64_t)n) raise_msg(E_IndexError, "%s index out of range", type_of(o)->u.cls.name);
    return lib_item_get(b.typecode, b.p + (size_t)i * sz);
}

/* o[idx] = v for an array or a memoryview */
void lib_buffer_store(V o, V idx, V v) {
    lib_buf b;
    lib_buffer(o, &b);
    if (!b.writable) raise_msg(E_TypeError, "'%s' object doesn't support item assignment", "memoryview");
    size_t sz = lib_item_size(b.typecode), n = b.len / sz;
    if (idx->kind == K_SLICE) {
        int64_t start, step;
        size_t cnt = slice_indices(idx, n, &start, &step);
        if (step != 1) raise_msg(E_NotImplementedError, "only slices with step=1 (aka None) are supported");
        lib_buf src;
        if (!lib_buffer(v, &src)) raise_msg(E_NotImplementedError, "array/bytes required on right side");
        if (lib_item_size(src.typecode) != sz) raise_msg(E_ValueError, "lhs and rhs should be compatible");
        size_t m = src.len / sz;
        char *copy = gc_alloc(src.len + 1);
        mem_copy(copy, src.p, src.len);
        if (o->kind == K_MEMVIEW) {
            if (m != cnt) raise_msg(E_ValueError, "lhs and rhs should be compatible");
            mem_copy(b.p + (size_t)start * sz, copy, m * sz);
            return;
        }
        /* an array's length may change */
        size_t tail = b.len - ((size_t)start + cnt) * sz, len = ((size_t)start + m) * sz + tail;
        char *s = gc_alloc(array_room(len));
        mem_copy(s, b.p, (size_t)start * sz);
        mem_copy(s + (size_t)start * sz, copy, m * sz);
        mem_copy(s + ((size_t)start + m) * sz, b.p + ((size_t)start + cnt) * sz, tail);
        o->u.str.s = s;
        o->u.str.len = len;
        return;
    }
    if (!is_int(idx)) raise_msg(E_TypeError, "indices must be integers");
    int64_t i = norm_index(to_int64(idx), n, 0);
    if (i < 0 || i >= (int64_t)n) raise_msg(E_IndexError, "%s index out of range", type_of(o)->u.cls.name);
    if (b.typecode == 'B' && o->kind == K_MEMVIEW && is_int(v) && (to_int64(v) < 0 || to_int64(v) > 255)) {
        lib_item_set('B', (char *)b.p + i, v);
        return;
    }
    lib_item_set(b.typecode, (char *)b.p + (size_t)i * sz, v);
}

static V it_buffer(V it) {
    lib_buf b;
    lib_buffer(it->u.iter.a, &b);
    size_t sz = lib_item_size(b.typecode);
    if ((size_t)(it->u.iter.i + 1) * sz > b.len) return NULL;
    return lib_item_get(b.typecode, b.p + (size_t)it->u.iter.i++ * sz);
}

V lib_buffer_iter(V o) { return mk_iter(it_buffer, o, 0); }

/* py/objarray.c typecode_for_comparison: signedness folds into the letter */
static int cmp_code(int tc, int *is_unsigned) {
    if (tc <= 'Z') {
        tc += 32;
        *is_unsigned = 1;
    }
    return tc;
}

static V bytes_like(int kind, const char *p, size_t len) {
    V r = mk_bytes(p, len);
    if (kind == K_BYTEARRAY) {
        r->kind = K_BYTEARRAY;
        r->cls = T_bytearray;
    }
    return r;
}

/* a OP b where one side is a bytearray, array or memoryview (or bytes meeting one):
 * NULL when the operation is not one of theirs */
V lib_buffer_binary(int op, V a, V b) {
    lib_buf x, y;
    if (!lib_buffer(a, &x)) return NULL;
    int ak = a->kind;
    int plain = op;
    if (op >= MP_BINARY_OP_INPLACE_OR && op <= MP_BINARY_OP_INPLACE_POWER) plain = op + MP_BINARY_OP_OR - MP_BINARY_OP_INPLACE_OR;
    switch (plain) {
        case MP_BINARY_OP_ADD: {
            if (ak == K_MEMVIEW) return NULL;
            if (!lib_buffer(b, &y)) {
                if (ak == K_BYTES) return NULL;
                raise_msg(E_TypeError, "object with buffer protocol required");
            }
            if (op == MP_BINARY_OP_INPLACE_ADD && ak != K_BYTES) {
                V args[2] = {a, b};
                if (ak == K_ARRAY) {
                    lib_array_extend(2, args, NULL);
                } else {
                    char *copy = gc_alloc(y.len + 1);
                    mem_copy(copy, y.p, y.len);
                    char *s = gc_alloc(x.len + y.len + 1);
                    mem_copy(s, x.p, x.len);
                    mem_copy(s + x.len, copy, y.len);
                    a->u.str.s = s;
                    a->u.str.len = x.len + y.len;
                }
                return a;
            }
            size_t sz = lib_item_size(x.typecode), ylen = y.len / sz * sz;
            char *s = gc_alloc(x.len + ylen + 1);
            mem_copy(s, x.p, x.len);
            mem_copy(s + x.len, y.p, ylen);
            if (ak == K_ARRAY) return array_of(x.typecode, s, x.len + ylen);
            return bytes_like(ak, s, x.len + ylen);
        }
        case MP_BINARY_OP_EQUAL: case MP_BINARY_OP_NOT_EQUAL: case MP_BINARY_OP_LESS: case MP_BINARY_OP_LESS_EQUAL:
        case MP_BINARY_OP_MORE: case MP_BINARY_OP_MORE_EQUAL: {
            int eqop = plain == MP_BINARY_OP_EQUAL || plain == MP_BINARY_OP_NOT_EQUAL;
            if (!lib_buffer(b, &y)) {
                if (eqop) return mk_bool(plain == MP_BINARY_OP_NOT_EQUAL);
                return NULL;
            }
            /* bytes never equals an array (the real VM's mp_obj_equal), whichever side it is on */
            if ((ak == K_BYTES && b->kind == K_ARRAY) || (ak == K_ARRAY && b->kind == K_BYTES)) {
                if (eqop) return mk_bool(plain == MP_BINARY_OP_NOT_EQUAL);
            }
            int uns = 0;
            int ca = cmp_code(x.typecode, &uns), cb = cmp_code(y.typecode, &uns);
            if (!(ca == cb && ca != 'f' && ca != 'd' && (eqop || uns))) {
                if (plain == MP_BINARY_OP_NOT_EQUAL) {
                    V r = lib_buffer_binary(MP_BINARY_OP_EQUAL, a, b);
                    return mk_bool(!truthy(r));
                }
                raise_msg(E_NotImplementedError, "");
            }
            size_t m = x.len < y.len ? x.len : y.len;
            int c = m ? memcmp(x.p, y.p, m) : 0;
            if (c == 0) c = x.len < y.len ? -1 : x.len > y.len;
            switch (plain) {
                case MP_BINARY_OP_EQUAL: return mk_bool(c == 0);
                case MP_BINARY_OP_NOT_EQUAL: return mk_bool(c != 0);
                case MP_BINARY_OP_LESS: return mk_bool(c < 0);
                case MP_BINARY_OP_MORE: return mk_bool(c > 0);
                case MP_BINARY_OP_LESS_EQUAL: return mk_bool(c <= 0);
                default: return mk_bool(c >= 0);
            }
        }
        default:
            return NULL;
    }
}

/* item in a: a bytearray searches bytes; other buffers hold no bytes */
V lib_buffer_contains(V a, V item) {
    lib_buf x, y;
    lib_buffer(a, &x);
    if (lib_buffer(item, &y)) {
        if (a->kind != K_BYTEARRAY && a->kind != K_BYTES) return False;
        if (y.len == 0) return True;
        for (size_t i = 0; i + y.len <= x.len; i++) if (memcmp(x.p + i, y.p, y.len) == 0) return True;
        return False;
    }
    if (a->kind == K_ARRAY || a->kind == K_MEMVIEW) {
        if (is_int(item) || item->kind == K_FLOAT) raise_msg(E_NotImplementedError, "");
        return False;
    }
    size_t sz = lib_item_size(x.typecode);
    for (size_t i = 0; i + sz <= x.len; i += sz) if (equal(lib_item_get(x.typecode, x.p + i), item)) return True;
    return False;
}

void lib_array_module(V modules) {
    V m = lib_new_module(modules, "array");
    T_array = lib_builtin_class("array", K_ARRAY, lib_array_new, T_object);
    dict_set_str(m->u.module.dict, "array", T_array);
}
