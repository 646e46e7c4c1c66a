/* builtins.c: containers' subscripting and iteration, builtin functions,
 * the methods of builtin types, and string formatting. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "gc.h"
#include "obj.h"
#include "lib.h"
#include "platform.h"

V float_repr(double f);
V int_text(V v, int base);
V class_mro(V cls);

V T_memoryview;
V T_object, T_type, T_int, T_bool, T_float, T_str, T_bytes, T_tuple, T_list, T_dict, T_set, T_frozenset, T_slice,
    T_range, T_function, T_generator, T_NoneType, T_bytearray, T_property, T_staticmethod, T_classmethod, T_module,
    T_complex;
V E_BaseException, E_Exception, E_StopIteration, E_GeneratorExit, E_KeyboardInterrupt, E_SystemExit,
    E_ArithmeticError, E_ZeroDivisionError, E_OverflowError, E_LookupError, E_IndexError, E_KeyError, E_TypeError,
    E_ValueError, E_NameError, E_AttributeError, E_RuntimeError, E_NotImplementedError, E_AssertionError,
    E_ImportError, E_OSError, E_UnboundLocalError, E_RecursionError, E_MemoryError, E_UnicodeError,
    E_StopAsyncIteration, E_EOFError;
V builtins_dict;

int64_t norm_index(int64_t i, size_t n, int clamp) {
    if (i < 0) {
        i += (int64_t)n;
    }
    if (clamp) {
        if (i < 0) {
            i = 0;
        }
        if (i > (int64_t)n) {
            i = (int64_t)n;
        }
    }
    return i;
}

/* slice indices (Python semantics) into start, count, step */
size_t slice_indices(V s, size_t n, int64_t *start, int64_t *step) {
    int64_t st = s->u.slice.step == None ? 1 : to_int64(s->u.slice.step);
    if (st == 0) {
        raise_msg(E_ValueError, "slice step cannot be zero");
    }
    int64_t lo, hi;
    int64_t len = (int64_t)n;
    if (st > 0) {
        lo = s->u.slice.start == None ? 0 : to_int64(s->u.slice.start);
        hi = s->u.slice.stop == None ? len : to_int64(s->u.slice.stop);
        lo = lo < 0 ? (lo + len < 0 ? 0 : lo + len) : (lo > len ? len : lo);
        hi = hi < 0 ? (hi + len < 0 ? 0 : hi + len) : (hi > len ? len : hi);
        *start = lo;
        *step = st;
        return hi > lo ? (size_t)((hi - lo + st - 1) / st) : 0;
    }
    lo = s->u.slice.start == None ? len - 1 : to_int64(s->u.slice.start);
    hi = s->u.slice.stop == None ? -1 : to_int64(s->u.slice.stop);
    if (lo < 0) {
        lo = lo + len < -1 ? -1 : lo + len;
    } else if (lo >= len) {
        lo = len - 1;
    }
    if (s->u.slice.stop != None) {
        if (hi < 0) {
            hi = hi + len < -1 ? -1 : hi + len;
        } else if (hi >= len) {
            hi = len - 1;
        }
    }
    *start = lo;
    *step = st;
    return lo > hi ? (size_t)((lo - hi - st - 1) / -st) : 0;
}

static V special(V o, const char *name) {
    if (o->kind != K_INST) {
        return NULL;
    }
    V f = lookup_class_attr(o->cls, mk_cstr(name));
    return f;
}

/* call a special method found by special(): a staticmethod gets no self, a
 * classmethod the class (py/objtype.c treats them as any other attribute) */
static V call_special(V f, V o, int n, V *rest) {
    V a[3];
    a[0] = o;
    for (int i = 0; i < n && i < 2; i++) {
        a[i + 1] = rest[i];
    }
    if (f->kind == K_STATICMETHOD) {
        return call(f->u.wrap.fn, n, a + 1, NULL);
    }
    if (f->kind == K_CLASSMETHOD) {
        a[0] = o->cls;
        return call(f->u.wrap.fn, n + 1, a, NULL);
    }
    return call(f, n + 1, a, NULL);
}

/* byte offsets of each code point of a UTF-8 str, plus the end */
static size_t *utf8_offsets(V s, size_t *count) {
    size_t *off = gc_alloc((s->u.str.len + 2) * sizeof(size_t));
    size_t n = 0;
    for (size_t i = 0; i < s->u.str.len; i++) {
        if (((unsigned char)s->u.str.s[i] & 0xc0) != 0x80) {
            off[n++] = i;
        }
    }
    off[n] = s->u.str.len;
    *count = n;
    return off;
}

static V str_subscr(V o, V idx) {
    size_t n;
    size_t *off = utf8_offsets(o, &n);
    if (idx->kind == K_SLICE) {
        int64_t start, step;
        size_t cnt = slice_indices(idx, n, &start, &step);
        V r = mk_cstr("");
        for (size_t i = 0; i < cnt; i++) {
            size_t k = (size_t)(start + (int64_t)i * step);
            r = str_concat(r, mk_str(o->u.str.s + off[k], off[k + 1] - off[k]));
        }
        return r;
    }
    if (!is_int(idx)) {
        raise_msg(E_TypeError, "string indices must be integers, not %s", type_of(idx)->u.cls.name);
    }
    int64_t i = norm_index(to_int64(idx), n, 0);
    if (i < 0 || i >= (int64_t)n) {
        raise_msg(E_IndexError, "string index out of range");
    }
    return mk_str(o->u.str.s + off[i], off[i + 1] - off[i]);
}

/* The number of items of a range, in unsigned arithmetic so that
 * range(maxsize, 0, -1) does not overflow */
uint64_t range_length(V r) {
    int64_t s = r->u.range.step, x = r->u.range.start, y = r->u.range.stop;
    uint64_t span = s > 0 ? (y > x ? (uint64_t)y - (uint64_t)x : 0) : (x > y ? (uint64_t)x - (uint64_t)y : 0);
    uint64_t step = s > 0 ? (uint64_t)s : (uint64_t)0 - (uint64_t)s;
    return span ? (span - 1) / step + 1 : 0;
}

V subscr(V o, V idx) {
    V f = special(o, "__getitem__");
    if (o->kind == K_MEMVIEW || o->kind == K_ARRAY) {
        return lib_buffer_subscr(o, idx);
    }
    if (f) {
        return call_special(f, o, 1, &idx);
    }
    if (o->kind == K_INST && o->u.inst.native_value) {
        o = o->u.inst.native_value;
    }
    if (o->kind == K_STR) {
        return str_subscr(o, idx);
    }
    if (o->kind == K_DICT) {
        V r = table_get(&o->u.map, idx);
        if (!r) {
            V e = mk_exc(E_KeyError, NULL);
            e->u.inst.args = mk_tuple(1, &idx);
            vm_raise(e);
        }
        return r;
    }
    if (o->kind == K_RANGE && idx->kind != K_SLICE) {
        /* in 64 bits whatever size_t is: range(maxsize, 0, -1)[-1] on a 32-bit board */
        if (!is_int(idx)) {
            raise_msg(E_TypeError, "indices must be integers");
        }
        uint64_t len = range_length(o);
        int64_t n64 = len > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)len, i = to_int64(idx);
        if (i < 0) {
            i += n64;
        }
        if (i < 0 || i >= n64) {
            raise_msg(E_IndexError, "range index out of range");
        }
        return mk_int((int64_t)((uint64_t)o->u.range.start + (uint64_t)i * (uint64_t)o->u.range.step));
    }
    if (o->kind == K_TUPLE || o->kind == K_LIST || o->kind == K_STR || o->kind == K_BYTES || o->kind == K_BYTEARRAY
        || o->kind == K_RANGE) {
        size_t n = o->kind == K_RANGE ? 0 : (o->kind == K_TUPLE || o->kind == K_LIST) ? o->u.seq.n : o->u.str.len;
        if (o->kind == K_RANGE) {
            n = (size_t)range_length(o);
        }
        if (idx->kind == K_SLICE) {
            int64_t start, step;
            size_t cnt = slice_indices(idx, n, &start, &step);
            if (o->kind == K_RANGE) {
                V r = obj_new(K_RANGE);
                r->u.range.start = o->u.range.start + start * o->u.range.step;
                r->u.range.step = o->u.range.step * step;
                /* the stop as the slice gives it (CPython's and MicroPython's range repr), clamped */
                int64_t len = (int64_t)n, hi;
                if (idx->u.slice.stop == None) {
                    hi = step > 0 ? len : -1;
                } else {
                    hi = to_int64(idx->u.slice.stop);
                    if (hi < 0) hi += len;
                    if (step > 0) hi = hi < 0 ? 0 : hi > len ? len : hi;
                    else hi = hi < -1 ? -1 : hi > len - 1 ? len - 1 : hi;
                }
                (void)cnt;
                r->u.range.stop = o->u.range.start + hi * o->u.range.step;
                return r;
            }
            if (o->kind == K_STR || o->kind == K_BYTES || o->kind == K_BYTEARRAY) {
                char *buf = gc_alloc(cnt + 1);
                for (size_t i = 0; i < cnt; i++) {
                    buf[i] = o->u.str.s[start + (int64_t)i * step];
                }
                V r = mk_bytes(buf, cnt);
                r->kind = o->kind;
                r->cls = o->cls;
                return r;
            }
            V r = mk_list(0, NULL);
            for (size_t i = 0; i < cnt; i++) {
                list_append(r, o->u.seq.items[start + (int64_t)i * step]);
            }
            if (o->kind == K_TUPLE) {
                r->kind = K_TUPLE;
                r->cls = T_tuple;
            }
            return r;
        }
        if (!is_int(idx)) {
            raise_msg(E_TypeError, "indices must be integers");
        }
        int64_t i = norm_index(to_int64(idx), n, 0);
        if (i < 0 || i >= (int64_t)n) {
            raise_msg(E_IndexError, "%s index out of range", type_of(o)->u.cls.name);
        }
        switch (o->kind) {
            case K_STR: return mk_str(o->u.str.s + i, 1);
            case K_BYTES: case K_BYTEARRAY: return mk_int((uint8_t)o->u.str.s[i]);
            case K_RANGE: return mk_int(o->u.range.start + i * o->u.range.step);
            default: return o->u.seq.items[i];
        }
    }
    raise_msg(E_TypeError, "'%s' object isn't subscriptable", type_of(o)->u.cls.name);
}

void store_subscr(V o, V idx, V v) {
    V f = special(o, "__setitem__");
    if (f) {
        V a[2] = {idx, v};
        call_special(f, o, 2, a);
        return;
    }
    if (o->kind == K_INST && o->u.inst.native_value) {
        o = o->u.inst.native_value;
    }
    if (o->kind == K_DICT) {
        table_set(&o->u.map, idx, v);
        return;
    }
    if (o->kind == K_LIST) {
        if (idx->kind == K_SLICE) {
            int64_t start, step;
            size_t cnt = slice_indices(idx, o->u.seq.n, &start, &step);
            if (step != 1) {
                unsupported("extended slice assignment");
            }
            V *items;
            V src = v;
            if (seq_items(src, &items) == (size_t)-1) {
                src = mk_list(0, NULL);
                V it = get_iter(v), x;
                while ((x = iter_next(it))) {
                    list_append(src, x);
                }
            }
            size_t m = seq_items(src, &items);
            V r = mk_list(0, NULL);
            for (int64_t i = 0; i < start; i++) {
                list_append(r, o->u.seq.items[i]);
            }
            for (size_t i = 0; i < m; i++) {
                list_append(r, items[i]);
            }
            for (size_t i = (size_t)start + cnt; i < o->u.seq.n; i++) {
                list_append(r, o->u.seq.items[i]);
            }
            o->u.seq = r->u.seq;
            return;
        }
        int64_t i = norm_index(to_int64(idx), o->u.seq.n, 0);
        if (i < 0 || i >= (int64_t)o->u.seq.n) {
            raise_msg(E_IndexError, "list index out of range");
        }
        o->u.seq.items[i] = v;
        return;
    }
    if (o->kind == K_MEMVIEW || o->kind == K_ARRAY) {
        lib_buffer_store(o, idx, v);
        return;
    }
    if (o->kind == K_BYTEARRAY && idx->kind == K_SLICE) {
        int64_t start, step;
        size_t cnt = slice_indices(idx, o->u.str.len, &start, &step);
        if (step != 1) {
            unsupported("extended slice assignment");
        }
        V src = v;
        lib_buf buf;
        if (lib_buffer(v, &buf)) {
            src = mk_bytes(buf.p, buf.len);
        } else {
            V l = mk_list(0, NULL), it = get_iter(v), x;
            while ((x = iter_next(it))) {
                list_append(l, x);
            }
            char *b = gc_alloc(l->u.seq.n + 1);
            for (size_t i = 0; i < l->u.seq.n; i++) {
                b[i] = (char)to_int64(l->u.seq.items[i]);
            }
            src = mk_bytes(b, l->u.seq.n);
        }
        size_t n = o->u.str.len - cnt + src->u.str.len;
        char *b = gc_alloc(n + 1);
        mem_copy(b, o->u.str.s, (size_t)start);
        mem_copy(b + start, src->u.str.s, src->u.str.len);
        mem_copy(b + start + src->u.str.len, o->u.str.s + start + cnt, o->u.str.len - (size_t)start - cnt);
        o->u.str.s = b;
        o->u.str.len = n;
        return;
    }
    if (o->kind == K_BYTEARRAY) {
        int64_t i = norm_index(to_int64(idx), o->u.str.len, 0);
        if (i < 0 || i >= (int64_t)o->u.str.len) {
            raise_msg(E_IndexError, "bytearray index out of range");
        }
        o->u.str.s[i] = (char)to_int64(v);
        return;
    }
    raise_msg(E_TypeError, "'%s' object doesn't support item assignment", type_of(o)->u.cls.name);
}

void del_subscr(V o, V idx) {
    V f = special(o, "__delitem__");
    if (f) {
        call_special(f, o, 1, &idx);
        return;
    }
    if (o->kind == K_INST && o->u.inst.native_value) {
        o = o->u.inst.native_value;
    }
    if (o->kind == K_DICT) {
        if (!table_del(&o->u.map, idx)) {
            V e = mk_exc(E_KeyError, NULL);
            e->u.inst.args = mk_tuple(1, &idx);
            vm_raise(e);
        }
        return;
    }
    if (o->kind == K_LIST) {
        if (idx->kind == K_SLICE) {
            int64_t start, step;
            size_t cnt = slice_indices(idx, o->u.seq.n, &start, &step);
            unsigned char *drop = gc_alloc(o->u.seq.n + 1);
            for (size_t i = 0; i < cnt; i++) {
                drop[start + (int64_t)i * step] = 1;
            }
            size_t w = 0;
            for (size_t i = 0; i < o->u.seq.n; i++) {
                if (!drop[i]) {
                    o->u.seq.items[w++] = o->u.seq.items[i];
                }
            }
            o->u.seq.n = w;
            return;
        }
        int64_t i = norm_index(to_int64(idx), o->u.seq.n, 0);
        if (i < 0 || i >= (int64_t)o->u.seq.n) {
            raise_msg(E_IndexError, "list index out of range");
        }
        memmove(&o->u.seq.items[i], &o->u.seq.items[i + 1], (o->u.seq.n - (size_t)i - 1) * sizeof(V));
        o->u.seq.n--;
        return;
    }
    raise_msg(E_TypeError, "'%s' object doesn't support item deletion", type_of(o)->u.cls.name);
}

/* ---- iteration ---- */

V it_seq(V it) {
    V o = it->u.iter.a;
    if (o->kind == K_TUPLE || o->kind == K_LIST) {
        return (size_t)it->u.iter.i < o->u.seq.n ? o->u.seq.items[it->u.iter.i++] : NULL;
    }
    if (o->kind == K_STR) {
        if ((size_t)it->u.iter.i >= o->u.str.len) {
            return NULL;
        }
        size_t i = (size_t)it->u.iter.i, n = 1;
        unsigned char c = (unsigned char)o->u.str.s[i];
        if (c >= 0xc0) {
            n = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
        }
        it->u.iter.i += (int64_t)n;
        return mk_str(o->u.str.s + i, n);
    }
    if (o->kind == K_BYTES || o->kind == K_BYTEARRAY) {
        return (size_t)it->u.iter.i < o->u.str.len ? mk_int((uint8_t)o->u.str.s[it->u.iter.i++]) : NULL;
    }
    /* dict, set: keys in order */
    while ((size_t)it->u.iter.i < o->u.map.n) {
        entry *e = &o->u.map.e[it->u.iter.i++];
        if (e->key) {
            if (it->u.iter.j == 1) {
                return e->value;
            }
            if (it->u.iter.j == 2) {
                V kv[2] = {e->key, e->value};
                return mk_tuple(2, kv);
            }
            return e->key;
        }
    }
    return NULL;
}

static V it_range(V it) {
    V r = it->u.iter.a;
    int64_t cur = r->u.range.start + it->u.iter.i * r->u.range.step;
    if (r->u.range.step > 0 ? cur >= r->u.range.stop : cur <= r->u.range.stop) {
        return NULL;
    }
    it->u.iter.i++;
    return mk_int(cur);
}

static V it_user(V it) {
    V o = it->u.iter.a;
    V f = lookup_class_attr(o->cls, mk_cstr("__next__"));
    if (!f) {
        raise_msg(E_TypeError, "'%s' object isn't an iterator", o->cls->u.cls.name);
    }
    extern V vm_call_catch_stop(V f, V self);
    return vm_call_catch_stop(f, o);
}

/* the instance behind an iterator made from its __iter__, else NULL
 * (yield from talks to it directly: send, throw, close) */
V iter_user_object(V it) {
    return it->kind == K_ITER && it->u.iter.next == it_user ? it->u.iter.a : NULL;
}

static V it_getitem(V it) {
    extern V vm_subscr_catch_index(V o, V idx);
    return vm_subscr_catch_index(it->u.iter.a, mk_int(it->u.iter.i++));
}

V mk_iter(V (*next)(V), V a, int64_t j) {
    V it = obj_new(K_ITER);
    it->u.iter.next = next;
    it->u.iter.a = a;
    it->u.iter.j = j;
    return it;
}

V gen_next(V gen, V send, V throw_exc, int *done);

V get_iter(V o) {
    switch (o->kind) {
        case K_TUPLE: case K_LIST: case K_STR: case K_BYTES: case K_BYTEARRAY: case K_DICT: case K_SET:
        case K_FROZENSET:
            return mk_iter(it_seq, o, 0);
        case K_RANGE:
            return mk_iter(it_range, o, 0);
        case K_ITER: case K_GEN:
            return o;
        case K_MEMVIEW: case K_ARRAY:
            return lib_buffer_iter(o);
        case K_STREAM:
            return lib_stream_iter(o);
        case K_DICTVIEW:
            return lib_dict_view_iter(o);
        case K_INST: {
            V f = lookup_class_attr(o->cls, mk_cstr("__iter__"));
            if (f) {
                V r = call1(f, o);
                if (r->kind == K_INST) {
                    return mk_iter(it_user, r, 0);
                }
                return get_iter(r);
            }
            if (lookup_class_attr(o->cls, mk_cstr("__getitem__"))) {
                return mk_iter(it_getitem, o, 0);
            }
            if (o->u.inst.native_value) {
                return get_iter(o->u.inst.native_value);
            }
            break;
        }
        default:
            break;
    }
    raise_msg(E_TypeError, "'%s' object isn't iterable", type_of(o)->u.cls.name);
}

V iter_next(V it) {
    if (it->kind == K_ITER) {
        return it->u.iter.next(it);
    }
    if (it->kind == K_GEN) {
        int done;
        V r = gen_next(it, None, NULL, &done);
        return done ? NULL : r;
    }
    if (it->kind == K_INST) {
        return it_user(mk_iter(it_user, it, 0));
    }
    raise_msg(E_TypeError, "'%s' object isn't an iterator", type_of(it)->u.cls.name);
}

V contains(V c, V x) {
    V f = special(c, "__contains__");
    if (f) {
        return mk_bool(truthy(call2(f, c, x)));
    }
    if (c->kind == K_INST && c->u.inst.native_value) {
        c = c->u.inst.native_value;
    }
    if (c->kind == K_DICT || c->kind == K_SET || c->kind == K_FROZENSET) {
        return mk_bool(table_get(&c->u.map, x) != NULL);
    }
    if (c->kind == K_DICTVIEW) {
        return lib_dict_view_contains(c, x);
    }
    if (c->kind == K_BYTEARRAY || c->kind == K_ARRAY || c->kind == K_MEMVIEW
        || (c->kind == K_BYTES && (x->kind == K_BYTEARRAY || x->kind == K_ARRAY || x->kind == K_MEMVIEW))) {
        return lib_buffer_contains(c, x);
    }
    if (c->kind == K_STR && x->kind != K_STR) {
        raise_msg(E_TypeError, "'in <string>' requires string as left operand, not %s", type_of(x)->u.cls.name);
    }
    if ((c->kind == K_STR || c->kind == K_BYTES) && x->kind == c->kind) {
        if (x->u.str.len == 0) {
            return True;
        }
        for (size_t i = 0; i + x->u.str.len <= c->u.str.len; i++) {
            if (memcmp(c->u.str.s + i, x->u.str.s, x->u.str.len) == 0) {
                return True;
            }
        }
        return False;
    }
    V it = get_iter(c), y;
    while ((y = iter_next(it))) {
        if (equal(y, x)) {
            return True;
        }
    }
    return False;
}

V set_binary(int op, V a, V b) {
    int plain = op;
    if (op >= MP_BINARY_OP_INPLACE_OR && op <= MP_BINARY_OP_INPLACE_POWER) {
        plain = op + MP_BINARY_OP_OR - MP_BINARY_OP_INPLACE_OR;
    }
    V r = mk_set(a->kind == K_FROZENSET);
    switch (plain) {
        case MP_BINARY_OP_OR:
        case MP_BINARY_OP_AND:
        case MP_BINARY_OP_SUBTRACT:
        case MP_BINARY_OP_XOR:
            for (size_t i = 0; i < a->u.map.n; i++) {
                V k = a->u.map.e[i].key;
                if (!k) {
                    continue;
                }
                int inb = table_get(&b->u.map, k) != NULL;
                if (plain == MP_BINARY_OP_OR || (plain == MP_BINARY_OP_AND && inb) || (plain != MP_BINARY_OP_AND && !inb)) {
                    table_set(&r->u.map, k, True);
                }
            }
            if (plain == MP_BINARY_OP_OR || plain == MP_BINARY_OP_XOR) {
                for (size_t i = 0; i < b->u.map.n; i++) {
                    V k = b->u.map.e[i].key;
                    if (k && (plain == MP_BINARY_OP_OR || !table_get(&a->u.map, k))) {
                        table_set(&r->u.map, k, True);
                    }
                }
            }
            if (op != plain && a->kind == K_SET) {
                a->u.map = r->u.map;
                return a;
            }
            return r;
        case MP_BINARY_OP_LESS_EQUAL: case MP_BINARY_OP_LESS: case MP_BINARY_OP_MORE_EQUAL: case MP_BINARY_OP_MORE: {
            V x = a, y = b;
            if (plain == MP_BINARY_OP_MORE_EQUAL || plain == MP_BINARY_OP_MORE) {
                x = b;
                y = a;
            }
            for (size_t i = 0; i < x->u.map.n; i++) {
                if (x->u.map.e[i].key && !table_get(&y->u.map, x->u.map.e[i].key)) {
                    return False;
                }
            }
            if (plain == MP_BINARY_OP_LESS || plain == MP_BINARY_OP_MORE) {
                return mk_bool(x->u.map.live < y->u.map.live);
            }
            return True;
        }
        default:
            return NULL;
    }
}
