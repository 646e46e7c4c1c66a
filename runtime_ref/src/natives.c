/* natives.c: builtin classes, exceptions, functions and methods. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "gc.h"
#include "lib.h"
#include "obj.h"
#include "platform.h"

V int_text(V v, int base);
V float_repr(double f);
V builtin_build_class(int n, V *args, V kw);
V builtin_import(int n, V *args, V kw);
V mk_iter(V (*next)(V), V a, int64_t j);
V class_mro(V cls);

V gen_next(V gen, V send, V throw_exc, int *done);

/* An argument that must be str, bytes or bytearray (the natives read its text). */
static V text_arg(V v) {
    if (v->kind != K_STR && v->kind != K_BYTES && v->kind != K_BYTEARRAY) {
        raise_msg(E_TypeError, "expected str or bytes, not '%s'", type_of(v)->u.cls.name);
    }
    return v;
}
static V self_list_d(V s) { return s->kind == K_INST && s->u.inst.native_value ? s->u.inst.native_value : s; }
#define ARGN(k) if (n < (k)) raise_msg(E_TypeError, "function takes %d arguments", (k))

static V b_print(int n, V *a, V kw) {
    V sep = kw ? table_get(&kw->u.map, mk_cstr("sep")) : NULL;
    V end = kw ? table_get(&kw->u.map, mk_cstr("end")) : NULL;
    V file = kw ? table_get(&kw->u.map, mk_cstr("file")) : NULL;
    if (file == None) file = NULL;
    for (int i = 0; i < n; i++) {
        if (i) {
            V s = sep && sep != None ? sep : mk_cstr(" ");
            if (file) lib_print_to(file, s); else out_str(s);
        }
        if (file) lib_print_to(file, str_of(a[i])); else out_str(str_of(a[i]));
    }
    V e = end && end != None ? end : mk_cstr("\n");
    if (file) lib_print_to(file, e); else out_str(e);
    return None;
}

/* dict.__getitem__, __setitem__, __delitem__ */
static V m_dict_getitem(int n, V *a, V kw) { (void)kw; ARGN(2); return subscr(self_list_d(a[0]), a[1]); }
static V m_dict_setitem(int n, V *a, V kw) { (void)kw; ARGN(3); store_subscr(self_list_d(a[0]), a[1], a[2]); return None; }
static V m_dict_delitem(int n, V *a, V kw) { (void)kw; ARGN(2); del_subscr(self_list_d(a[0]), a[1]); return None; }

static V b_len(int n, V *a, V kw) {
    (void)kw;
    ARGN(1);
    V o = a[0];
    if (o->kind == K_INST) {
        V f = lookup_class_attr(o->cls, mk_cstr("__len__"));
        if (f) return call1(f, o);
        if (o->u.inst.native_value) o = o->u.inst.native_value;
    }
    switch (o->kind) {
        case K_STR: {
            int64_t c = 0;
            for (size_t i = 0; i < o->u.str.len; i++) c += ((unsigned char)o->u.str.s[i] & 0xc0) != 0x80;
            return mk_int(c);
        }
        case K_BYTES: case K_BYTEARRAY: return mk_int((int64_t)o->u.str.len);
        case K_MEMVIEW: case K_ARRAY: return mk_int((int64_t)lib_buffer_items(o));
        case K_TUPLE: case K_LIST: return mk_int((int64_t)o->u.seq.n);
        case K_DICT: case K_SET: case K_FROZENSET: return mk_int((int64_t)o->u.map.live);
        case K_DICTVIEW: return mk_int((int64_t)lib_dict_view_len(o));
        case K_RANGE: {
            uint64_t count = range_length(o);
            if (count > (uint64_t)INT64_MAX) raise_msg(E_OverflowError, "overflow converting long int to machine word");
            return mk_int((int64_t)count);
        }
        default: raise_msg(E_TypeError, "object of type '%s' has no len()", type_of(o)->u.cls.name);
    }
}

static V to_list(V o) {
    V l = mk_list(0, NULL), it = get_iter(o), x;
    while ((x = iter_next(it))) list_append(l, x);
    return l;
}

static V new_range(int n, V *a, V kw) {
    if (kw && kw->u.map.live) raise_msg(E_TypeError, "function doesn't take keyword arguments");
    if (n < 2 || n > 4) raise_msg(E_TypeError, "function takes from 1 to 3 positional arguments");
    V r = obj_new(K_RANGE);
    r->u.range.step = 1;
    if (n == 2) { r->u.range.stop = to_int64(a[1]); }
    else if (n >= 3) { r->u.range.start = to_int64(a[1]); r->u.range.stop = to_int64(a[2]); }
    if (n == 4) { r->u.range.step = to_int64(a[3]); if (!r->u.range.step) raise_msg(E_ValueError, "zero step"); }
    return r;
}

static V new_int(int n, V *a, V kw) {
    (void)kw;
    if (n == 1) return mk_int(0);
    V x = a[1];
    if (x->kind == K_FLOAT) {
        return int_from_double(x->u.f);
    }
    if (n > 2) {
        int64_t base = to_int64(a[2]);
        if (base != 0 && (base < 2 || base > 36)) raise_msg(E_ValueError, "int() arg 2 must be >= 2 and <= 36");
    }
    if (x->kind == K_BYTEARRAY || x->kind == K_MEMVIEW || x->kind == K_ARRAY) {
        lib_buf b;
        lib_buffer(x, &b);
        x = mk_bytes(b.p, b.len);
    }
    if (x->kind == K_STR || x->kind == K_BYTES) {
        int ok;
        V r = int_from_text(x->u.str.s, x->u.str.len, n > 2 ? (int)to_int64(a[2]) : 10, &ok);
        if (!r) raise_msg(E_ValueError, "invalid syntax for integer with base %d: %s", n > 2 ? (int)to_int64(a[2]) : 10, repr_of(x)->u.str.s);
        return r;
    }
    if (x->kind == K_BOOL) return mk_int(x->u.i);
    if (is_int(x)) return x->kind == K_INST ? x->u.inst.native_value : x;
    if (x->kind == K_INST) {
        V f = lookup_class_attr(x->cls, mk_cstr("__int__"));
        if (f) {
            V r = call1(f, x);
            if (!is_int(r)) raise_msg(E_TypeError, "__int__ returned non-int (type %s)", type_of(r)->u.cls.name);
            return r;
        }
    }
    raise_msg(E_TypeError, "can't convert %s to int", type_of(x)->u.cls.name);
}

static V new_float(int n, V *a, V kw) {
    (void)kw;
    if (n == 1) return mk_float(0);
    V x = a[1];
    if (x->kind == K_STR || x->kind == K_BYTES || x->kind == K_BYTEARRAY) {   /* text or a buffer */
        double re, im;
        int is_complex;
        if (!lib_parse_number(x->u.str.s, x->u.str.len, 0, &re, &im, &is_complex)) {
            raise_msg(E_ValueError, "invalid syntax for number");
        }
        return mk_float(re);
    }
    return mk_float(to_double(x));
}

/* py/unicode.c unicode_encoding_check: lead bytes announce 0-3
 * continuation bytes and those must follow; MicroPython checks no more
 * (overlong forms and surrogates pass), and ignores the encoding name. */
static V decoded(V b) {
    const unsigned char *p = (const unsigned char *)b->u.str.s, *end = p + b->u.str.len;
    int need = 0;
    for (; p < end; p++) {
        if (need) {
            if ((*p & 0xc0) != 0x80) break;
            need--;
        } else if (*p >= 0xf8 || (*p >= 0x80 && *p < 0xc0)) {
            break;
        } else if (*p >= 0xc0) {
            need = (0xe5 >> ((*p >> 3) & 0x6)) & 3;
        }
    }
    if (p < end || need) vm_raise(mk_exc(E_UnicodeError, NULL));
    return mk_str(b->u.str.s, b->u.str.len);
}

static V new_str(int n, V *a, V kw) {
    (void)kw;
    if (n == 1) return mk_cstr("");
    if (n > 4) raise_msg(E_TypeError, "function takes at most 3 arguments");
    if (n >= 3 && (a[1]->kind == K_BYTES || a[1]->kind == K_BYTEARRAY)) return decoded(a[1]);
    lib_buf b;
    if (n >= 3 && lib_buffer(a[1], &b)) return decoded(mk_bytes(b.p, b.len));   /* array, memoryview: a copy */
    return str_of(a[1]);
}

static V new_bytes(int n, V *a, V kw) {
    (void)kw;
    if (n == 1) return mk_bytes("", 0);
    if (n > 4) raise_msg(E_TypeError, "function takes at most 3 arguments");
    V x = a[1];
    if (x->kind == K_STR) {
        if (n == 2) raise_msg(E_TypeError, "string argument without an encoding");
        return mk_bytes(x->u.str.s, x->u.str.len);
    }
    if (n > 2) raise_msg(E_TypeError, "wrong number of arguments");
    if (is_int(x)) {
        int64_t want = to_int64(x);
        if (want < 0) raise_msg(E_ValueError, "negative count");
        size_t l = (size_t)want;
        char *b = gc_alloc(l + 1);
        return mk_bytes(b, l);
    }
    lib_buf buf;
    if (lib_buffer(x, &buf)) return mk_bytes(buf.p, buf.len);
    V l = to_list(x);
    char *b = gc_alloc(l->u.seq.n + 1);
    for (size_t i = 0; i < l->u.seq.n; i++) {
        int64_t byte = to_int64(l->u.seq.items[i]);
        if (byte < 0 || byte > 255) raise_msg(E_ValueError, "bytes value out of range");
        b[i] = (char)byte;
    }
    return mk_bytes(b, l->u.seq.n);
}

static V new_bytearray(int n, V *a, V kw) {
    V b = new_bytes(n, a, kw);
    V r = mk_str(b->u.str.s, b->u.str.len);
    r->kind = K_BYTEARRAY;
    r->cls = T_bytearray;
    return r;
}
static V new_slice(int n, V *a, V kw) {
    (void)kw;
    raise_msg(E_TypeError, "can't create 'slice' instances");   /* as MicroPython */
    V s = obj_new(K_SLICE);
    s->u.slice.start = None; s->u.slice.stop = None; s->u.slice.step = None;
    if (n == 2) s->u.slice.stop = a[1];
    if (n >= 3) { s->u.slice.start = a[1]; s->u.slice.stop = a[2]; }
    if (n >= 4) s->u.slice.step = a[3];
    return s;
}
static V new_complex(int n, V *a, V kw) {
    (void)kw;
    double re = 0, im = 0;
    for (int i = 1; i < n && i < 3; i++) {
        V x = a[i];
        if (x->kind == K_STR) {
            double r, m;
            int is_complex;
            if (i > 1) raise_msg(E_TypeError, "complex() can't take second arg if first is a string");
            if (!lib_parse_number(x->u.str.s, x->u.str.len, 1, &r, &m, &is_complex)) {
                raise_msg(E_ValueError, "invalid syntax for number");
            }
            re += r; im += m;
            continue;
        }
        if (x->kind == K_INST && !x->u.inst.native_value) {
            /* py/objcomplex.c: __complex__ must give a complex; else __float__ */
            V c = try_special(x, "__complex__", 0, NULL);
            if (c && c->kind != K_COMPLEX) raise_msg(E_TypeError, "__complex__ returned non-complex");
            if (c) x = c;
        }
        double r = x->kind == K_COMPLEX ? x->u.cplx.re : to_double(x);
        double m = x->kind == K_COMPLEX ? x->u.cplx.im : 0;
        if (i == 1) { re += r; im += m; } else { re -= m; im += r; }
    }
    return mk_complex(re, im);
}
static V m_fromhex(int n, V *a, V kw) {
    (void)kw;
    int skip = n > 0 && a[0]->kind == K_CLASS;
    if (n - skip < 1) raise_msg(E_TypeError, "fromhex needs a str");
    V t = text_arg(a[skip]);
    char *b = gc_alloc(t->u.str.len / 2 + 1);
    size_t w = 0;
    for (size_t i = 0; i < t->u.str.len;) {
        if (strchr(" \t\n\r\v\f", t->u.str.s[i]) && t->u.str.s[i]) { i++; continue; }
        int hi, lo;
        char c1 = t->u.str.s[i], c2 = i + 1 < t->u.str.len ? t->u.str.s[i + 1] : 'x';
        hi = c1 >= '0' && c1 <= '9' ? c1 - '0' : (c1 | 0x20) >= 'a' && (c1 | 0x20) <= 'f' ? (c1 | 0x20) - 'a' + 10 : -1;
        lo = c2 >= '0' && c2 <= '9' ? c2 - '0' : (c2 | 0x20) >= 'a' && (c2 | 0x20) <= 'f' ? (c2 | 0x20) - 'a' + 10 : -1;
        if (hi < 0 || lo < 0) raise_msg(E_ValueError, "non-hex digit found");
        b[w++] = (char)(hi << 4 | lo);
        i += 2;
    }
    return mk_bytes(b, w);
}
static V new_bool(int n, V *a, V kw) { (void)kw; return mk_bool(n > 1 && truthy(a[1])); }
static V new_list(int n, V *a, V kw) { (void)kw; return n > 1 ? to_list(a[1]) : mk_list(0, NULL); }
static V new_tuple(int n, V *a, V kw) {
    (void)kw;
    if (n == 1) return mk_tuple(0, NULL);
    if (a[1]->kind == K_TUPLE) return a[1];
    V l = to_list(a[1]);
    return mk_tuple(l->u.seq.n, l->u.seq.items);
}
static V dict_update(V d, V src, V kw) {
    if (src && src->kind == K_INST && src->u.inst.native_value && src->u.inst.native_value->kind == K_DICT) {
        src = src->u.inst.native_value;   /* an OrderedDict or other dict subclass */
    }
    if (src) {
        if (src->kind == K_DICT) {
            for (size_t i = 0; i < src->u.map.n; i++)
                if (src->u.map.e[i].key) table_set(&d->u.map, src->u.map.e[i].key, src->u.map.e[i].value);
        } else {
            V it = get_iter(src), x;
            while ((x = iter_next(it))) {
                V *kv;
                size_t len = seq_items(x, &kv);
                if (len == (size_t)-1) { V l = to_list(x); kv = l->u.seq.items; len = l->u.seq.n; }
                if (len != 2) raise_msg(E_ValueError, "dictionary update sequence element has length %lu; 2 is required", (unsigned long)(len));
                table_set(&d->u.map, kv[0], kv[1]);
            }
        }
    }
    if (kw) for (size_t i = 0; i < kw->u.map.n; i++) if (kw->u.map.e[i].key) table_set(&d->u.map, kw->u.map.e[i].key, kw->u.map.e[i].value);
    return d;
}
static V new_dict(int n, V *a, V kw) { return dict_update(mk_dict(), n > 1 ? a[1] : NULL, kw); }
static V new_set_k(int n, V *a, int frozen) {
    V s = mk_set(frozen);
    if (n > 1) { V it = get_iter(a[1]), x; while ((x = iter_next(it))) table_set(&s->u.map, x, True); }
    return s;
}
static V new_set(int n, V *a, V kw) { (void)kw; return new_set_k(n, a, 0); }
static V new_frozenset(int n, V *a, V kw) { (void)kw; return new_set_k(n, a, 1); }
static V new_object(int n, V *a, V kw) {
    (void)n; (void)kw;
    V o = obj_new(K_INST);
    o->cls = a[0];
    o->u.inst.dict = mk_dict();
    return o;
}
/* type(x), or type(name, bases, dict): a class made as a class statement makes it */
static V new_type(int n, V *a, V kw) {
    (void)kw;
    if (n == 2) return type_of(a[1]);
    if (n != 4) raise_msg(E_TypeError, "type() takes 1 or 3 arguments");
    V name = a[1], bases = a[2], ns = self_list_d(a[3]);
    if (name->kind != K_STR || bases->kind != K_TUPLE || ns->kind != K_DICT) {
        raise_msg(E_TypeError, "type() needs a str, a tuple of classes and a dict");
    }
    for (size_t i = 0; i < bases->u.seq.n; i++) {
        if (bases->u.seq.items[i]->kind != K_CLASS) raise_msg(E_TypeError, "bases must be classes");
    }
    char *cname = gc_alloc(name->u.str.len + 1);
    mem_copy(cname, name->u.str.s, name->u.str.len);
    V dict = mk_dict();
    for (size_t i = 0; i < ns->u.map.n; i++) {
        if (ns->u.map.e[i].key) table_set(&dict->u.map, ns->u.map.e[i].key, ns->u.map.e[i].value);
    }
    V cls = mk_class(cname, mk_tuple(bases->u.seq.n, bases->u.seq.items), dict);
    cls->u.cls.from_python = 1;
    return cls;
}
static V wrap_kind(int kind, V f) { V w = obj_new(kind); w->u.wrap.fn = f; return w; }
static V new_staticmethod(int n, V *a, V kw) { (void)kw; ARGN(2); return wrap_kind(K_STATICMETHOD, a[1]); }
static V new_classmethod(int n, V *a, V kw) { (void)kw; ARGN(2); return wrap_kind(K_CLASSMETHOD, a[1]); }
static V new_property(int n, V *a, V kw) {
    (void)kw;
    V p = obj_new(K_PROPERTY);
    p->u.prop.fget = n > 1 ? a[1] : None;
    p->u.prop.fset = n > 2 ? a[2] : None;
    p->u.prop.fdel = n > 3 ? a[3] : None;
    return p;
}
static V new_exception(int n, V *a, V kw) {
    (void)kw;
    V e = mk_exc(a[0], NULL);
    e->u.inst.args = mk_tuple((size_t)n - 1, a + 1);
    return e;
}

static V b_isinstance(int n, V *a, V kw) { (void)kw; ARGN(2); return mk_bool(is_instance(a[0], a[1])); }
static V b_issubclass(int n, V *a, V kw) {
    (void)kw; ARGN(2);
    if (a[0]->kind != K_CLASS) raise_msg(E_TypeError, "issubclass() arg 1 must be a class");
    if (a[1]->kind != K_CLASS && a[1]->kind != K_TUPLE) raise_msg(E_TypeError, "issubclass() arg 2 must be a class or a tuple of classes");
    if (a[1]->kind == K_TUPLE) { for (size_t i = 0; i < a[1]->u.seq.n; i++) if (is_subclass(a[0], a[1]->u.seq.items[i])) return True; return False; }
    return mk_bool(is_subclass(a[0], a[1]));
}
static V b_repr(int n, V *a, V kw) { (void)kw; ARGN(1); return repr_of(a[0]); }
static V b_abs(int n, V *a, V kw) {
    (void)kw; ARGN(1);
    V x = a[0];
    if (x->kind == K_FLOAT) return mk_float(fabs(x->u.f));
    if (x->kind == K_COMPLEX) return mk_float(hypot(x->u.cplx.re, x->u.cplx.im));
    if (x->kind == K_INST) { V f = lookup_class_attr(x->cls, mk_cstr("__abs__")); if (f) return call1(f, x); }
    return truthy(binary_op(MP_BINARY_OP_LESS, x, mk_int(0))) ? unary_op(MP_UNARY_OP_NEGATIVE, x) : unary_op(MP_UNARY_OP_POSITIVE, x);
}
static V minmax(int n, V *a, V kw, int want_max) {
    V key = kw ? table_get(&kw->u.map, mk_cstr("key")) : NULL;
    V dflt = kw ? table_get(&kw->u.map, mk_cstr("default")) : NULL;
    V l = n == 1 ? to_list(a[0]) : mk_list((size_t)n, a);
    if (l->u.seq.n == 0) { if (dflt) return dflt; raise_msg(E_ValueError, "arg is an empty sequence"); }
    V best = l->u.seq.items[0], bk = key ? call1(key, best) : best;
    for (size_t i = 1; i < l->u.seq.n; i++) {
        V x = l->u.seq.items[i], xk = key ? call1(key, x) : x;
        if (want_max ? compare_lt(bk, xk) : compare_lt(xk, bk)) { best = x; bk = xk; }
    }
    return best;
}
static V b_min(int n, V *a, V kw) { return minmax(n, a, kw, 0); }
static V b_max(int n, V *a, V kw) { return minmax(n, a, kw, 1); }
static V b_sum(int n, V *a, V kw) {
    (void)kw; ARGN(1);
    V acc = n > 1 ? a[1] : mk_int(0), it = get_iter(a[0]), x;
    while ((x = iter_next(it))) acc = binary_op(MP_BINARY_OP_ADD, acc, x);
    return acc;
}
static V key_fn;
static int sort_less(V x, V y) {
    return compare_lt(key_fn ? call1(key_fn, x) : x, key_fn ? call1(key_fn, y) : y);
}
static void sort_list(V l, V key, int reverse) {
    key_fn = key && key != None ? key : NULL;
    size_t n = l->u.seq.n;
    V *v = l->u.seq.items;
    /* insertion sort on keys: stable */
    V *keys = gc_alloc((n + 1) * sizeof(V));
    for (size_t i = 0; i < n; i++) keys[i] = key_fn ? call1(key_fn, v[i]) : v[i];
    for (size_t i = 1; i < n; i++) {
        V x = v[i], k = keys[i];
        size_t j = i;
        while (j > 0 && (reverse ? compare_lt(keys[j - 1], k) : compare_lt(k, keys[j - 1]))) { v[j] = v[j - 1]; keys[j] = keys[j - 1]; j--; }
        v[j] = x; keys[j] = k;
    }
    key_fn = NULL;
    (void)sort_less;
}
static V b_sorted(int n, V *a, V kw) {
    ARGN(1);
    if (n > 1) raise_msg(E_TypeError, "function takes 1 positional argument");
    V l = to_list(a[0]);
    V key = kw ? table_get(&kw->u.map, mk_cstr("key")) : NULL;
    V rev = kw ? table_get(&kw->u.map, mk_cstr("reverse")) : NULL;
    sort_list(l, key, rev && truthy(rev));
    return l;
}
/* py/objreversed.c: __reversed__ if the object has one, else len() and
 * subscripts counting down (lazily: __getitem__ may never raise) */
static V it_reversed(V it) {
    if (it->u.iter.i == 0) return NULL;
    return subscr(it->u.iter.a, mk_int(--it->u.iter.i));
}
static V b_reversed(int n, V *a, V kw) {
    (void)kw; ARGN(1);
    if (a[0]->kind == K_INST) {
        V r = get_attr_maybe(a[0], mk_cstr("__reversed__"));
        if (r) return call0(r);
        V it = mk_iter(it_reversed, a[0], 0);
        it->u.iter.i = to_int64(b_len(1, a, NULL));
        return it;
    }
    V l = to_list(a[0]);
    for (size_t i = 0; i < l->u.seq.n / 2; i++) { V t = l->u.seq.items[i]; l->u.seq.items[i] = l->u.seq.items[l->u.seq.n - 1 - i]; l->u.seq.items[l->u.seq.n - 1 - i] = t; }
    return get_iter(l);
}
static V it_enumerate(V it) { V x = iter_next(it->u.iter.a); if (!x) return NULL; V p[2] = {mk_int(it->u.iter.i++), x}; return mk_tuple(2, p); }
static V b_enumerate(int n, V *a, V kw) {
    V src = n > 0 ? a[0] : kw ? table_get(&kw->u.map, mk_cstr("iterable")) : NULL;
    if (!src) raise_msg(E_TypeError, "function takes 1 arguments");
    V it = mk_iter(it_enumerate, get_iter(src), 0);
    V st = n > 1 ? a[1] : kw ? table_get(&kw->u.map, mk_cstr("start")) : NULL;
    if (st) it->u.iter.i = to_int64(st);
    return it;
}
static V it_zip(V it) {
    V its = it->u.iter.a;
    if (its->u.seq.n == 0) return NULL;
    V t = mk_tuple(its->u.seq.n, NULL);
    for (size_t i = 0; i < its->u.seq.n; i++) { V x = iter_next(its->u.seq.items[i]); if (!x) return NULL; t->u.seq.items[i] = x; }
    return t;
}
static V b_zip(int n, V *a, V kw) {
    (void)kw;
    V its = mk_tuple((size_t)n, NULL);
    for (int i = 0; i < n; i++) its->u.seq.items[i] = get_iter(a[i]);
    return mk_iter(it_zip, its, 0);
}
static V it_map(V it) {
    V its = it->u.iter.b;
    V *args = gc_alloc((its->u.seq.n + 1) * sizeof(V));
    for (size_t i = 0; i < its->u.seq.n; i++) { V x = iter_next(its->u.seq.items[i]); if (!x) return NULL; args[i] = x; }
    return call(it->u.iter.a, (int)its->u.seq.n, args, NULL);
}
static V b_map(int n, V *a, V kw) {
    (void)kw; ARGN(2);
    V it = mk_iter(it_map, a[0], 0);
    it->u.iter.b = mk_tuple((size_t)n - 1, NULL);
    for (int i = 1; i < n; i++) it->u.iter.b->u.seq.items[i - 1] = get_iter(a[i]);
    return it;
}
static V it_filter(V it) {
    V x;
    while ((x = iter_next(it->u.iter.b))) if (it->u.iter.a == None ? truthy(x) : truthy(call1(it->u.iter.a, x))) return x;
    return NULL;
}
static V b_filter(int n, V *a, V kw) { (void)kw; ARGN(2); V it = mk_iter(it_filter, a[0], 0); it->u.iter.b = get_iter(a[1]); return it; }
static V b_any(int n, V *a, V kw) { (void)kw; ARGN(1); V it = get_iter(a[0]), x; while ((x = iter_next(it))) if (truthy(x)) return True; return False; }
static V b_all(int n, V *a, V kw) { (void)kw; ARGN(1); V it = get_iter(a[0]), x; while ((x = iter_next(it))) if (!truthy(x)) return False; return True; }
static V b_iter(int n, V *a, V kw) { (void)kw; ARGN(1); return get_iter(a[0]); }
static V b_next(int n, V *a, V kw) {
    (void)kw; ARGN(1);
    if (a[0]->kind == K_GEN && n == 1) {
        int done;
        V r = gen_next(a[0], None, NULL, &done);
        if (done) { V e = mk_exc(E_StopIteration, NULL); if (r != None) e->u.inst.args = mk_tuple(1, &r); vm_raise(e); }
        return r;
    }
    V x = iter_next(a[0]);
    if (!x) { if (n > 1) return a[1]; vm_raise(mk_exc(E_StopIteration, NULL)); }
    return x;
}
static V b_hasattr(int n, V *a, V kw) {
    (void)kw; ARGN(2);
    if (a[1]->kind != K_STR) raise_msg(E_TypeError, "attribute name must be a string");
    return mk_bool(vm_getattr_catch(a[0], a[1]) != NULL);
}
static V b_getattr(int n, V *a, V kw) {
    (void)kw; ARGN(2);
    if (a[1]->kind != K_STR) raise_msg(E_TypeError, "attribute name must be a string");
    if (n < 3) return get_attr(a[0], a[1]);
    V r = vm_getattr_catch(a[0], a[1]);
    return r ? r : a[2];
}
static V b_setattr(int n, V *a, V kw) {
    (void)kw; ARGN(3);
    if (a[1]->kind != K_STR) raise_msg(E_TypeError, "attribute name must be a string");
    if (a[0]->kind == K_CLASS && a[0]->u.cls.builtin_kind > 0) {   /* builtin classes are fixed */
        raise_msg(E_AttributeError, "type object '%s' has no attribute '%.*s'", a[0]->u.cls.name, (int)a[1]->u.str.len, a[1]->u.str.s);
    }
    set_attr(a[0], a[1], a[2]);
    return None;
}
static V b_delattr(int n, V *a, V kw) {
    (void)kw; ARGN(2);
    if (a[1]->kind != K_STR) raise_msg(E_TypeError, "attribute name must be a string");
    del_attr(a[0], a[1]);
    return None;
}
static void dir_add(V names, V d) {
    table *t = &d->u.map;
    for (size_t i = 0; i < t->n; i++) {
        V k = t->e[i].key;
        if (!k || k->kind != K_STR) continue;
        size_t j = 0;
        while (j < names->u.seq.n && !equal(names->u.seq.items[j], k)) j++;
        if (j == names->u.seq.n) list_append(names, k);
    }
}
static void dir_class(V names, V cls) {
    V mro = class_mro(cls);
    for (size_t i = 0; i < mro->u.seq.n; i++) dir_add(names, lib_class_dict(mro->u.seq.items[i]));
}
V vm_locals(void);
/* dir([obj]): the local names, or the names obj's attributes come from
 * (its own dict, then its class and bases); a class's __dir__ decides for its instances */
static V b_dir(int n, V *a, V kw) {
    (void)kw;
    V names = mk_list(0, NULL);
    if (n == 0) { dir_add(names, vm_locals()); return names; }
    V o = a[0];
    if (o->kind == K_INST) {
        V hook = lookup_class_attr(o->cls, mk_cstr("__dir__"));
        if (hook) return call1(hook, o);
        dir_add(names, o->u.inst.dict);
        dir_class(names, o->cls);
    } else if (o->kind == K_MODULE) {
        dir_add(names, o->u.module.dict);
    } else if (o->kind == K_CLASS) {
        dir_class(names, o);
    } else {
        dir_class(names, type_of(o));
    }
    return names;
}
static V b_locals(int n, V *a, V kw) { (void)n; (void)a; (void)kw; return vm_locals(); }
static V b_ord(int n, V *a, V kw) {
    (void)kw; ARGN(1);
    const unsigned char *s = (const unsigned char *)text_arg(a[0])->u.str.s;
    size_t l = a[0]->u.str.len;
    if (l == 0) raise_msg(E_TypeError, "ord expects a character");
    uint32_t c = s[0];
    if (c >= 0xf0 && l >= 4) c = (uint32_t)(c & 7) << 18 | (uint32_t)(s[1] & 0x3f) << 12 | (uint32_t)(s[2] & 0x3f) << 6 | (s[3] & 0x3f);
    else if (c >= 0xe0 && l >= 3) c = (uint32_t)(c & 0xf) << 12 | (uint32_t)(s[1] & 0x3f) << 6 | (s[2] & 0x3f);
    else if (c >= 0xc0 && l >= 2) c = (uint32_t)(c & 0x1f) << 6 | (s[1] & 0x3f);
    return mk_int(c);
}
static V b_chr(int n, V *a, V kw) {
    (void)kw; ARGN(1);
    int64_t c = to_int64(a[0]);
    char b[4];
    if (c < 0 || c > 0x10ffff) raise_msg(E_ValueError, "chr() arg not in range(0x110000)");
    if (c < 0x80) { b[0] = (char)c; return mk_str(b, 1); }
    if (c < 0x800) { b[0] = (char)(0xc0 | c >> 6); b[1] = (char)(0x80 | (c & 0x3f)); return mk_str(b, 2); }
    if (c < 0x10000) { b[0] = (char)(0xe0 | c >> 12); b[1] = (char)(0x80 | ((c >> 6) & 0x3f)); b[2] = (char)(0x80 | (c & 0x3f)); return mk_str(b, 3); }
    b[0] = (char)(0xf0 | c >> 18); b[1] = (char)(0x80 | ((c >> 12) & 0x3f)); b[2] = (char)(0x80 | ((c >> 6) & 0x3f)); b[3] = (char)(0x80 | (c & 0x3f));
    return mk_str(b, 4);
}
V lib_chr(int64_t c) {
    V v = mk_int(c);
    return b_chr(1, &v, NULL);
}
static V prefixed(V x, int base, const char *pfx) {
    V t = int_text(x, base);
    V p = mk_cstr(pfx);
    if (t->u.str.s[0] == '-') return str_concat(str_concat(mk_cstr("-"), p), mk_str(t->u.str.s + 1, t->u.str.len - 1));
    return str_concat(p, t);
}
static V b_hex(int n, V *a, V kw) { (void)kw; ARGN(1); return prefixed(a[0], 16, "0x"); }
static V b_oct(int n, V *a, V kw) { (void)kw; ARGN(1); return prefixed(a[0], 8, "0o"); }
static V b_bin(int n, V *a, V kw) { (void)kw; ARGN(1); return prefixed(a[0], 2, "0b"); }
static V b_divmod(int n, V *a, V kw) {
    (void)kw; ARGN(2);
    V p[2] = {binary_op(MP_BINARY_OP_FLOOR_DIVIDE, a[0], a[1]), binary_op(MP_BINARY_OP_MODULO, a[0], a[1])};
    return mk_tuple(2, p);
}
static V b_round(int n, V *a, V kw) {
    (void)kw; ARGN(1);
    if (n > 2) raise_msg(E_TypeError, "function takes 1 or 2 positional arguments");
    if (is_int(a[0])) {
        if (a[0]->kind == K_BOOL) a[0] = mk_int(a[0]->u.i);
        if (n < 2 || a[1] == None || to_int64(a[1]) >= 0) return a[0];
        /* round half to even at 10^-ndigits */
        V m = binary_op(MP_BINARY_OP_POWER, mk_int(10), mk_int(-to_int64(a[1])));
        V q = binary_op(MP_BINARY_OP_FLOOR_DIVIDE, a[0], m), r = binary_op(MP_BINARY_OP_MODULO, a[0], m);
        V twice = binary_op(MP_BINARY_OP_MULTIPLY, r, mk_int(2));
        if (compare_lt(m, twice) || (equal(twice, m) && truthy(binary_op(MP_BINARY_OP_MODULO, q, mk_int(2))))) q = binary_op(MP_BINARY_OP_ADD, q, mk_int(1));
        return binary_op(MP_BINARY_OP_MULTIPLY, q, m);
    }
    double x = to_double(a[0]);
    if (n == 1 || a[1] == None) {
        return int_from_double(nearbyint(x));
    }
    int64_t d = to_int64(a[1]);
    double m = pow(10, (double)d);
    return mk_float(nearbyint(x * m) / m);
}
static V b_callable(int n, V *a, V kw) {
    (void)kw; ARGN(1);
    int k = a[0]->kind;
    return mk_bool(k == K_FUNC || k == K_NATIVE || k == K_BOUND || k == K_CLASS || (k == K_INST && lookup_class_attr(a[0]->cls, mk_cstr("__call__"))));
}
static V b_id(int n, V *a, V kw) { (void)kw; ARGN(1); return mk_int((int64_t)OBJ_ADDR(a[0])); }
/* ints hash to themselves and integral floats to their int, as MicroPython's small ints */
static V b_hash(int n, V *a, V kw) {
    (void)kw; ARGN(1);
    V x = a[0];
    if (x->kind == K_INT || x->kind == K_BOOL) return mk_int(x->u.i);
    if (x->kind == K_FLOAT && x->u.f == floor(x->u.f) && fabs(x->u.f) < 4e18) return mk_int((int64_t)x->u.f);
    return mk_int(hash_of(x));
}
/* py/mpz.c mpz_pow3_inpl: square and multiply, reducing after each step
 * (so big arguments finish); a negative exponent or a modulus of +-1 gives 0. */
static V int_pow_mod(V base, V exp, V mod) {
    if (!is_int(base) || !is_int(exp) || !is_int(mod)) raise_msg(E_TypeError, "pow() with 3 arguments requires integers");
    V zero = mk_int(0), one = mk_int(1);
    if (equal(mod, zero)) raise_msg(E_ValueError, "divide by zero");
    if (compare_lt(exp, zero) || equal(mod, one) || equal(mod, mk_int(-1))) return zero;
    V r = one;
    if (equal(base, zero)) return zero;   /* before the exponent: pow(0, 0, 5) is 0 on the 1.29 VM */
    if (equal(exp, zero)) return r;   /* 1, whatever the sign of mod (as the 1.29 VM answers) */
    V x = base;
    for (V e = exp; !equal(e, zero);) {
        if (truthy(binary_op(MP_BINARY_OP_AND, e, one))) r = binary_op(MP_BINARY_OP_MODULO, binary_op(MP_BINARY_OP_MULTIPLY, r, x), mod);
        e = binary_op(MP_BINARY_OP_RSHIFT, e, one);
        if (equal(e, zero)) break;
        x = binary_op(MP_BINARY_OP_MODULO, binary_op(MP_BINARY_OP_MULTIPLY, x, x), mod);
    }
    return r;
}
static V b_pow(int n, V *a, V kw) {
    (void)kw; ARGN(2);
    if (n == 3 && a[2] != None) return int_pow_mod(a[0], a[1], a[2]);
    return binary_op(MP_BINARY_OP_POWER, a[0], a[1]);
}
V vm_globals(void);
static V b_globals(int n, V *a, V kw) { (void)n; (void)a; (void)kw; return vm_globals(); }
V vm_super_args(V *cls, V *self);
static V b_super(int n, V *a, V kw) {
    (void)kw;
    V s = obj_new(K_SUPER);
    if (n == 2) {
        /* py/objtype.c super_make_new: a type, and an instance or a subclass of it */
        if (a[0]->kind != K_CLASS) raise_msg(E_TypeError, "first argument to super() must be type");
        if (!is_instance(a[1], a[0]) && !(a[1]->kind == K_CLASS && is_subclass(a[1], a[0]))) {
            raise_msg(E_TypeError, "super(type, obj): obj must be an instance or subtype of type");
        }
        s->u.bound.fn = a[0]; s->u.bound.self = a[1];
    }
    else unsupported("super() without arguments outside a method call");
    return s;
}
static V b_unsupported(int n, V *a, V kw) { (void)n; (void)a; (void)kw; unsupported("this builtin"); }

/* ---- methods of builtin types ---- */

static V self_list(V s) { return s->kind == K_INST ? s->u.inst.native_value : s; }

static V m_append(int n, V *a, V kw) {
    (void)kw;
    if (n != 2) raise_msg(E_TypeError, "function takes 2 positional arguments");
    return list_append(self_list(a[0]), a[1]);
}
static V m_extend(int n, V *a, V kw) {
    (void)kw; ARGN(2);
    V l = self_list(a[0]);
    V src = a[1] == l ? mk_list(l->u.seq.n, l->u.seq.items) : a[1];   /* l.extend(l): a snapshot */
    V it = get_iter(src), x;
    while ((x = iter_next(it))) list_append(l, x);
    return None;
}
/* py/objdict.c mp_ensure_not_fixed: a fixed dict refuses every change before looking at its arguments */
static V not_fixed(V d) {
    if ((d->kind == K_DICT || d->kind == K_SET) && d->u.map.fixed) raise_msg(E_TypeError, "can't modify a fixed dict");
    return d;
}
static V m_pop(int n, V *a, V kw) {
    (void)kw;
    V o = self_list(a[0]);
    if (o->kind == K_DICT) {
        ARGN(2);
        not_fixed(o);
        V r = table_get(&o->u.map, a[1]);
        if (!r) { if (n > 2) return a[2]; V e = mk_exc(E_KeyError, NULL); e->u.inst.args = mk_tuple(1, &a[1]); vm_raise(e); }
        table_del(&o->u.map, a[1]);
        return r;
    }
    if (o->kind == K_SET) {
        for (size_t i = 0; i < o->u.map.n; i++) if (o->u.map.e[i].key) { V k = o->u.map.e[i].key; table_del(&o->u.map, k); return k; }
        raise_msg(E_KeyError, "pop from an empty set");
    }
    if (o->u.seq.n == 0) raise_msg(E_IndexError, "pop from empty list");
    int64_t i = n > 1 ? to_int64(a[1]) : -1;
    if (i < 0) i += (int64_t)o->u.seq.n;
    if (i < 0 || i >= (int64_t)o->u.seq.n) raise_msg(E_IndexError, "pop index out of range");
    V r = o->u.seq.items[i];
    memmove(&o->u.seq.items[i], &o->u.seq.items[i + 1], (o->u.seq.n - (size_t)i - 1) * sizeof(V));
    o->u.seq.n--;
    return r;
}
static V m_insert(int n, V *a, V kw) {
    (void)kw; ARGN(3);
    V o = self_list(a[0]);
    int64_t i = to_int64(a[1]);
    if (i < 0) i += (int64_t)o->u.seq.n;
    if (i < 0) i = 0;
    if (i > (int64_t)o->u.seq.n) i = (int64_t)o->u.seq.n;
    list_append(o, None);
    memmove(&o->u.seq.items[i + 1], &o->u.seq.items[i], (o->u.seq.n - (size_t)i - 1) * sizeof(V));
    o->u.seq.items[i] = a[2];
    return None;
}
static V m_count(int n, V *a, V kw) {
    (void)kw; ARGN(2);
    V o = self_list(a[0]);
    int64_t c = 0;
    if (o->kind == K_STR || o->kind == K_BYTES || o->kind == K_BYTEARRAY) return lib_str_count(n, a, kw);
    for (size_t i = 0; i < o->u.seq.n; i++) c += equal(o->u.seq.items[i], a[1]);
    return mk_int(c);
}
static V m_remove(int n, V *a, V kw) {
    (void)kw; ARGN(2);
    V o = self_list(a[0]);
    if (o->kind == K_SET) { if (!table_del(&o->u.map, a[1])) { V e = mk_exc(E_KeyError, NULL); e->u.inst.args = mk_tuple(1, &a[1]); vm_raise(e); } return None; }
    for (size_t i = 0; i < o->u.seq.n; i++) if (equal(o->u.seq.items[i], a[1])) {
        memmove(&o->u.seq.items[i], &o->u.seq.items[i + 1], (o->u.seq.n - i - 1) * sizeof(V));
        o->u.seq.n--;
        return None;
    }
    raise_msg(E_ValueError, "object not in sequence");
}
static V m_reverse(int n, V *a, V kw) {
    (void)kw; (void)n;
    V l = self_list(a[0]);
    for (size_t i = 0; i < l->u.seq.n / 2; i++) { V t = l->u.seq.items[i]; l->u.seq.items[i] = l->u.seq.items[l->u.seq.n - 1 - i]; l->u.seq.items[l->u.seq.n - 1 - i] = t; }
    return None;
}
static V m_sort(int n, V *a, V kw) {
    if (n != 1) raise_msg(E_TypeError, "function takes 1 positional argument");
    V key = kw ? table_get(&kw->u.map, mk_cstr("key")) : NULL;
    V rev = kw ? table_get(&kw->u.map, mk_cstr("reverse")) : NULL;
    if (kw && kw->u.map.live > (size_t)(key != NULL) + (rev != NULL)) raise_msg(E_TypeError, "unexpected keyword argument");
    sort_list(self_list(a[0]), key, rev && truthy(rev));
    return None;
}
static V m_copy(int n, V *a, V kw) {
    (void)kw; (void)n;
    V o = self_list(a[0]);
    if (o->kind == K_LIST) return mk_list(o->u.seq.n, o->u.seq.items);
    if (o->kind == K_DICT) return dict_update(mk_dict(), o, NULL);
    V s = mk_set(0);
    for (size_t i = 0; i < o->u.map.n; i++) if (o->u.map.e[i].key) table_set(&s->u.map, o->u.map.e[i].key, True);
    return s;
}
static V m_clear(int n, V *a, V kw) {
    (void)kw; (void)n;
    V o = self_list(a[0]);
    if (o->kind == K_LIST) o->u.seq.n = 0;
    else memset(&not_fixed(o)->u.map, 0, sizeof o->u.map);
    return None;
}
static V m_get(int n, V *a, V kw) { (void)kw; ARGN(2); V r = table_get(&self_list(a[0])->u.map, a[1]); return r ? r : n > 2 ? a[2] : None; }
V it_seq(V it);
static V m_keys(int n, V *a, V kw) { (void)kw; (void)n; return lib_dict_view(self_list(a[0]), 0); }
static V m_values(int n, V *a, V kw) { (void)kw; (void)n; return lib_dict_view(self_list(a[0]), 1); }
static V m_items(int n, V *a, V kw) { (void)kw; (void)n; return lib_dict_view(self_list(a[0]), 2); }
static V m_setdefault(int n, V *a, V kw) {
    (void)kw; ARGN(2);
    V d = not_fixed(self_list(a[0]));
    V r = table_get(&d->u.map, a[1]);
    if (r) return r;
    table_set(&d->u.map, a[1], n > 2 ? a[2] : None);
    return n > 2 ? a[2] : None;
}
static V m_update(int n, V *a, V kw) {
    V d = self_list(a[0]);
    if (d->kind == K_SET) { ARGN(2); V it = get_iter(a[1]), x; while ((x = iter_next(it))) table_set(&d->u.map, x, True); return None; }
    dict_update(d, n > 1 ? a[1] : NULL, kw);
    return None;
}
static V m_add(int n, V *a, V kw) { (void)kw; ARGN(2); table_set(&self_list(a[0])->u.map, a[1], True); return None; }
static V m_discard(int n, V *a, V kw) { (void)kw; ARGN(2); table_del(&self_list(a[0])->u.map, a[1]); return None; }

/* str methods */
static int is_ws(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
static V m_split(int n, V *a, V kw) {
    (void)kw;
    V s = a[0], l = mk_list(0, NULL);
    const char *p = s->u.str.s;
    size_t len = s->u.str.len;
    int64_t maxsplit = n > 2 ? to_int64(a[2]) : -1;
    if (n < 2 || a[1] == None) {
        size_t i = 0;
        while (i < len) {
            while (i < len && is_ws(p[i])) i++;
            if (i >= len) break;
            if (maxsplit == 0) { V rest = mk_str(p + i, len - i); rest->kind = s->kind; rest->cls = s->cls; list_append(l, rest); break; }
            size_t j = i;
            while (j < len && !is_ws(p[j])) j++;
            V part = mk_str(p + i, j - i);
            part->kind = s->kind;
            part->cls = s->cls;
            list_append(l, part);
            maxsplit--;
            i = j;
        }
        return l;
    }
    V sep = text_arg(a[1]);
    if (sep->u.str.len == 0) raise_msg(E_ValueError, "empty separator");
    size_t i = 0, start = 0;
    while (i + sep->u.str.len <= len && maxsplit != 0) {
        if (memcmp(p + i, sep->u.str.s, sep->u.str.len) == 0) { list_append(l, mk_str(p + start, i - start)); i += sep->u.str.len; start = i; maxsplit--; }
        else i++;
    }
    list_append(l, mk_str(p + start, len - start));
    if (s->kind == K_BYTES) for (size_t k = 0; k < l->u.seq.n; k++) { l->u.seq.items[k]->kind = K_BYTES; l->u.seq.items[k]->cls = T_bytes; }
    return l;
}
static V m_popitem(int n, V *a, V kw) {
    (void)kw; (void)n;
    V d = not_fixed(self_list(a[0]));
    for (size_t i = d->u.map.n; i-- > 0;) if (d->u.map.e[i].key) {
        V kv[2] = {d->u.map.e[i].key, d->u.map.e[i].value};
        table_del(&d->u.map, kv[0]);
        return mk_tuple(2, kv);
    }
    raise_msg(E_KeyError, "popitem(): dictionary is empty");
}
static V m_fromkeys(int n, V *a, V kw) {
    (void)kw;
    int skip = n > 0 && (a[0]->kind == K_CLASS || a[0]->kind == K_DICT);   /* dict.fromkeys or d.fromkeys */
    if (n - skip < 1) raise_msg(E_TypeError, "fromkeys needs an iterable");
    V d = mk_dict(), it = get_iter(a[skip]), x;
    V v = n - skip > 1 ? a[skip + 1] : None;
    while ((x = iter_next(it))) table_set(&d->u.map, x, v);
    return d;
}
static V m_prop_setter(int n, V *a, V kw) {
    (void)kw; ARGN(2);
    V p = obj_new(K_PROPERTY);
    p->u.prop = a[0]->u.prop;
    p->u.prop.fset = a[1];
    return p;
}
static V m_prop_deleter(int n, V *a, V kw) {
    (void)kw; ARGN(2);
    V p = obj_new(K_PROPERTY);
    p->u.prop = a[0]->u.prop;
    p->u.prop.fdel = a[1];
    return p;
}
static V m_prop_getter(int n, V *a, V kw) {
    (void)kw; ARGN(2);
    V p = obj_new(K_PROPERTY);
    p->u.prop = a[0]->u.prop;
    p->u.prop.fget = a[1];
    return p;
}
static V m_ba_append(int n, V *a, V kw) {
    (void)kw; ARGN(2);
    V b = a[0];
    char *s = gc_alloc(b->u.str.len + 2);
    mem_copy(s, b->u.str.s, b->u.str.len);
    s[b->u.str.len++] = (char)to_int64(a[1]);
    b->u.str.s = s;
    return None;
}
static V m_ba_extend(int n, V *a, V kw) {
    (void)kw; ARGN(2);
    V src = a[1] == a[0] ? mk_bytes(a[0]->u.str.s, a[0]->u.str.len) : a[1];
    V it = get_iter(src), x;
    while ((x = iter_next(it))) { V b[2] = {a[0], x}; m_ba_append(2, b, NULL); }
    return None;
}
static V m_format(int n, V *a, V kw) { return str_format_method(a[0], n - 1, a + 1, kw); }
static V m_encode(int n, V *a, V kw) { (void)kw; (void)n; return mk_bytes(a[0]->u.str.s, a[0]->u.str.len); }
static V m_decode(int n, V *a, V kw) { (void)kw; (void)n; return decoded(a[0]); }

/* generator methods */
/* py/runtime.c: any object with an iternext slot has __next__ as the builtin next() */
static V m_next(int n, V *a, V kw) {
    (void)kw; ARGN(1);
    V r = iter_next(a[0]);
    if (!r) vm_raise(mk_exc(E_StopIteration, NULL));
    return r;
}
/* generator.pend_throw(exc): exc is thrown in at the next resume; the one pending before is returned */
static V m_pend_throw(int n, V *a, V kw) {
    (void)kw; ARGN(2);
    if (a[0]->u.gen.running) raise_msg(E_ValueError, "generator already executing");
    V prev = a[0]->u.gen.pending ? a[0]->u.gen.pending : None;
    a[0]->u.gen.pending = a[1];
    return prev;
}
static V m_send(int n, V *a, V kw) {
    (void)kw; ARGN(2);
    int done;
    V r = gen_next(a[0], a[1], NULL, &done);
    if (done) { V e = mk_exc(E_StopIteration, NULL); if (r != None) e->u.inst.args = mk_tuple(1, &r); vm_raise(e); }
    return r;
}
static V m_throw(int n, V *a, V kw) {
    (void)kw; ARGN(2);
    int done;
    /* py/objgenerator.c: throw(type, value) throws value unless it is None; the rest goes in as given */
    V exc = n > 2 && a[2] != None ? a[2] : a[1];
    V r = gen_next(a[0], None, exc, &done);
    if (done) { V e = mk_exc(E_StopIteration, NULL); if (r != None) e->u.inst.args = mk_tuple(1, &r); vm_raise(e); }
    return r;
}
static V m_close(int n, V *a, V kw) {
    (void)kw; (void)n;
    extern V vm_close_generator(V gen);
    return vm_close_generator(a[0]);
}

/* slice.indices(length): (start, stop, step) clamped as CPython's and MicroPython's */
static V m_slice_indices(int n, V *a, V kw) {
    (void)kw;
    if (n != 2) raise_msg(E_TypeError, "function takes 2 positional arguments");
    V sl = a[0];
    int64_t len = to_int64(a[1]), step = sl->u.slice.step == None ? 1 : to_int64(sl->u.slice.step);
    if (len < 0) raise_msg(E_ValueError, "length should not be negative");
    if (step == 0) raise_msg(E_ValueError, "slice step cannot be zero");
    int64_t bound[2];
    V ends[2] = {sl->u.slice.start, sl->u.slice.stop};
    for (int k = 0; k < 2; k++) {
        int64_t v;
        if (ends[k] == None) {
            v = k == 0 ? (step > 0 ? 0 : len - 1) : (step > 0 ? len : -1);
        } else {
            v = to_int64(ends[k]);
            if (v < 0) v += len;
            if (step > 0) v = v < 0 ? 0 : v > len ? len : v;
            else v = v < -1 ? -1 : v > len - 1 ? len - 1 : v;
        }
        bound[k] = v;
    }
    V t[3] = {mk_int(bound[0]), mk_int(bound[1]), mk_int(step)};
    return mk_tuple(3, t);
}

typedef struct { int kind; const char *name; native_fn fn; } method_def;
static const method_def methods[] = {
    {K_LIST, "append", m_append}, {K_LIST, "extend", m_extend}, {K_LIST, "pop", m_pop}, {K_LIST, "insert", m_insert},
    {K_LIST, "index", lib_seq_index}, {K_LIST, "count", m_count}, {K_LIST, "remove", m_remove},
    {K_LIST, "reverse", m_reverse}, {K_LIST, "sort", m_sort}, {K_LIST, "copy", m_copy}, {K_LIST, "clear", m_clear},
    {K_TUPLE, "index", lib_seq_index}, {K_TUPLE, "count", m_count}, {K_DICT, "get", m_get}, {K_DICT, "keys", m_keys},
    {K_DICT, "values", m_values}, {K_DICT, "items", m_items}, {K_DICT, "pop", m_pop},
    {K_DICT, "setdefault", m_setdefault}, {K_DICT, "update", m_update}, {K_DICT, "copy", m_copy},
    {K_DICT, "clear", m_clear}, {K_SET, "add", m_add}, {K_SET, "remove", m_remove}, {K_SET, "discard", m_discard},
    {K_SET, "pop", m_pop}, {K_SET, "clear", m_clear}, {K_INT, "to_bytes", lib_int_to_bytes},
    {K_INT, "from_bytes", lib_int_from_bytes}, {K_BIG, "to_bytes", lib_int_to_bytes}, {K_DICT, "popitem", m_popitem},
    {K_DICT, "fromkeys", m_fromkeys}, {K_SET, "union", lib_set_union}, {K_SET, "intersection", lib_set_intersection},
    {K_SET, "difference", lib_set_difference}, {K_SET, "symmetric_difference", lib_set_symmetric_difference},
    {K_SET, "issubset", lib_set_issubset}, {K_SET, "issuperset", lib_set_issuperset},
    {K_SET, "isdisjoint", lib_set_isdisjoint}, {K_SET, "copy", lib_set_copy},
    {K_SET, "__contains__", lib_set_contains}, {K_FROZENSET, "union", lib_set_union},
    {K_FROZENSET, "intersection", lib_set_intersection}, {K_FROZENSET, "difference", lib_set_difference},
    {K_FROZENSET, "symmetric_difference", lib_set_symmetric_difference}, {K_FROZENSET, "issubset", lib_set_issubset},
    {K_FROZENSET, "issuperset", lib_set_issuperset}, {K_FROZENSET, "isdisjoint", lib_set_isdisjoint},
    {K_FROZENSET, "copy", lib_set_copy}, {K_FROZENSET, "__contains__", lib_set_contains},
    {K_SET, "update", lib_set_update}, {K_SET, "intersection_update", lib_set_intersection_update},
    {K_SET, "difference_update", lib_set_difference_update},
    {K_SET, "symmetric_difference_update", lib_set_symmetric_difference_update},
    {K_PROPERTY, "setter", m_prop_setter}, {K_PROPERTY, "getter", m_prop_getter},
    {K_PROPERTY, "deleter", m_prop_deleter}, {K_DICT, "__getitem__", m_dict_getitem},
    {K_DICT, "__setitem__", m_dict_setitem}, {K_DICT, "__delitem__", m_dict_delitem}, {K_ARRAY, "append", lib_array_append},
    {K_ARRAY, "extend", lib_array_extend}, {K_GEN, "send", m_send}, {K_GEN, "pend_throw", m_pend_throw}, {K_GEN, "__next__", m_next}, {K_ITER, "__next__", m_next}, {K_GEN, "throw", m_throw},
    {K_GEN, "close", m_close}, {K_STR, "count", lib_str_count}, {K_STR, "endswith", lib_str_endswith},
    {K_STR, "find", lib_str_find}, {K_STR, "format", m_format}, {K_STR, "index", lib_str_index},
    {K_STR, "isalpha", lib_text_isalpha}, {K_STR, "isdigit", lib_text_isdigit}, {K_STR, "islower", lib_text_islower},
    {K_STR, "isspace", lib_text_isspace}, {K_STR, "isupper", lib_text_isupper}, {K_STR, "join", lib_text_join},
    {K_STR, "lower", lib_text_lower}, {K_STR, "lstrip", lib_text_lstrip}, {K_STR, "replace", lib_text_replace},
    {K_STR, "rfind", lib_str_rfind}, {K_STR, "rindex", lib_str_rindex}, {K_STR, "rsplit", lib_text_rsplit},
    {K_STR, "rstrip", lib_text_rstrip}, {K_STR, "split", lib_text_split}, {K_STR, "startswith", lib_str_startswith},
    {K_STR, "strip", lib_text_strip}, {K_STR, "upper", lib_text_upper}, {K_STR, "center", lib_text_center},
    {K_STR, "partition", lib_str_partition}, {K_STR, "rpartition", lib_str_rpartition},
    {K_STR, "splitlines", lib_text_splitlines}, {K_STR, "encode", m_encode}, {K_BYTES, "count", lib_str_count},
    {K_BYTES, "endswith", lib_str_endswith}, {K_BYTES, "find", lib_str_find}, {K_BYTES, "format", m_format},
    {K_BYTES, "index", lib_str_index}, {K_BYTES, "isalpha", lib_text_isalpha}, {K_BYTES, "isdigit", lib_text_isdigit},
    {K_BYTES, "islower", lib_text_islower}, {K_BYTES, "isspace", lib_text_isspace},
    {K_BYTES, "isupper", lib_text_isupper}, {K_BYTES, "join", lib_text_join}, {K_BYTES, "lower", lib_text_lower},
    {K_BYTES, "lstrip", lib_text_lstrip}, {K_BYTES, "replace", lib_text_replace}, {K_BYTES, "rfind", lib_str_rfind},
    {K_BYTES, "rindex", lib_str_rindex}, {K_BYTES, "rsplit", lib_text_rsplit}, {K_BYTES, "rstrip", lib_text_rstrip},
    {K_BYTES, "split", lib_text_split}, {K_BYTES, "startswith", lib_str_startswith},
    {K_BYTES, "strip", lib_text_strip}, {K_BYTES, "upper", lib_text_upper}, {K_BYTES, "center", lib_text_center},
    {K_BYTES, "partition", lib_str_partition}, {K_BYTES, "rpartition", lib_str_rpartition},
    {K_BYTES, "splitlines", lib_text_splitlines}, {K_BYTES, "decode", m_decode}, {K_BYTES, "fromhex", m_fromhex},
    {K_BYTES, "hex", lib_bytes_hex}, {K_BYTEARRAY, "count", lib_str_count},
    {K_BYTEARRAY, "endswith", lib_str_endswith}, {K_BYTEARRAY, "find", lib_str_find},
    {K_BYTEARRAY, "format", m_format}, {K_BYTEARRAY, "index", lib_str_index},
    {K_BYTEARRAY, "isalpha", lib_text_isalpha}, {K_BYTEARRAY, "isdigit", lib_text_isdigit},
    {K_BYTEARRAY, "islower", lib_text_islower}, {K_BYTEARRAY, "isspace", lib_text_isspace},
    {K_BYTEARRAY, "isupper", lib_text_isupper}, {K_BYTEARRAY, "join", lib_text_join},
    {K_BYTEARRAY, "lower", lib_text_lower}, {K_BYTEARRAY, "lstrip", lib_text_lstrip},
    {K_BYTEARRAY, "replace", lib_text_replace}, {K_BYTEARRAY, "rfind", lib_str_rfind},
    {K_BYTEARRAY, "rindex", lib_str_rindex}, {K_BYTEARRAY, "rsplit", lib_text_rsplit},
    {K_BYTEARRAY, "rstrip", lib_text_rstrip}, {K_BYTEARRAY, "split", lib_text_split},
    {K_BYTEARRAY, "startswith", lib_str_startswith}, {K_BYTEARRAY, "strip", lib_text_strip},
    {K_BYTEARRAY, "upper", lib_text_upper}, {K_BYTEARRAY, "center", lib_text_center},
    {K_BYTEARRAY, "partition", lib_str_partition}, {K_BYTEARRAY, "rpartition", lib_str_rpartition},
    {K_BYTEARRAY, "splitlines", lib_text_splitlines}, {K_BYTEARRAY, "decode", m_decode},
    {K_BYTEARRAY, "fromhex", m_fromhex}, {K_BYTEARRAY, "hex", lib_bytes_hex}, {K_BYTEARRAY, "append", m_ba_append},
    {K_BYTEARRAY, "extend", m_ba_extend}, {K_MEMVIEW, "hex", lib_bytes_hex},
    {K_SLICE, "indices", m_slice_indices},
    {-1, NULL, NULL},
};

/* the keys/values/items views are iterators built lazily */


/* the methods of builtin types that take keyword arguments; the others refuse them */
static int takes_keywords(native_fn fn) {
    return fn == m_sort || fn == m_update || fn == m_format || fn == lib_text_splitlines || fn == lib_int_to_bytes
        || fn == m_fromkeys;   /* from_bytes takes no signed= on the 1.29 VM */
}

/* C.__dict__: a user class's own dict; a builtin class's is a new dict that
 * also holds its methods from the table (py/objtype.c type_attr) */
V lib_class_dict(V cls) {
    if (cls->u.cls.builtin_kind <= 0) return cls->u.cls.dict;
    V d = mk_dict();
    table *t = &cls->u.cls.dict->u.map;
    for (size_t i = 0; i < t->n; i++) if (t->e[i].key) table_set(&d->u.map, t->e[i].key, t->e[i].value);
    for (const method_def *m = methods; m->name; m++) {
        if (m->kind == cls->u.cls.builtin_kind) table_set(&d->u.map, mk_cstr(m->name), method_of_builtin(cls, mk_cstr(m->name)));
    }
    return d;
}

V method_of_builtin(V o, V name) {
    int kind = o->kind;
    if (kind == K_CLASS) {
        /* unbound method of a builtin class: str.join etc. */
        for (const method_def *d = methods; d->name; d++) {
            if (o->u.cls.builtin_kind == d->kind && strlen(d->name) == name->u.str.len && memcmp(d->name, name->u.str.s, name->u.str.len) == 0) {
                V m = mk_native(d->name, d->fn);
                m->u.native.no_kw = !takes_keywords(d->fn);
                if (d->fn != m_fromkeys && d->fn != lib_int_from_bytes && d->fn != m_fromhex) {
                    m->u.native.self_kind = d->kind + 1;   /* called through the class: check what self is */
                }
                return m;
            }
        }
        return NULL;
    }
    if (kind == K_STREAM) return lib_stream_method(o, name);
    if (kind == K_RANGE && name->u.str.len == 5 && memcmp(name->u.str.s, "start", 5) == 0) return mk_int(o->u.range.start);
    if (kind == K_RANGE && name->u.str.len == 4 && memcmp(name->u.str.s, "stop", 4) == 0) return mk_int(o->u.range.stop);
    if (kind == K_RANGE && name->u.str.len == 4 && memcmp(name->u.str.s, "step", 4) == 0) return mk_int(o->u.range.step);
    for (const method_def *d = methods; d->name; d++) {
        if (d->kind == kind && strlen(d->name) == name->u.str.len && memcmp(d->name, name->u.str.s, name->u.str.len) == 0) {
            V m = mk_native(d->name, d->fn);
            m->u.native.self = o;
            m->u.native.no_kw = !takes_keywords(d->fn);
            return m;
        }
    }
    return NULL;
}

/* ---- builtin modules: micropython, sys (math, array, io, struct: their own files) ---- */

static V f_const(int n, V *a, V kw) { (void)kw; ARGN(1); return a[0]; }
static V f_sys_exit(int n, V *a, V kw) { (void)kw; V e = mk_exc(E_SystemExit, NULL); e->u.inst.args = mk_tuple((size_t)n, a); vm_raise(e); }

/* collections.namedtuple: a class whose instances hold a tuple; fields by name */
extern int vm_making_placeholder;
static V namedtuple_new(int n, V *a, V kw) {
    V cls = a[0];
    V fields = dict_get_str(cls->u.cls.dict, "_fields");
    size_t nf = fields->u.seq.n;
    V t = mk_tuple(vm_making_placeholder ? 0 : nf, NULL);
    if (vm_making_placeholder) nf = 0;   /* a subclass instance's: made again with the arguments */
    if ((size_t)n - 1 > nf) raise_msg(E_TypeError, "too many arguments for %s", cls->u.cls.name);
    for (int i = 1; i < n; i++) t->u.seq.items[i - 1] = a[i];
    if (kw) {
        for (size_t k = 0; k < kw->u.map.n; k++) {
            V key = kw->u.map.e[k].key;
            if (!key) continue;
            size_t i = 0;
            while (i < nf && !equal(fields->u.seq.items[i], key)) i++;
            if (i == nf || t->u.seq.items[i]) raise_msg(E_TypeError, "unexpected keyword argument");
            t->u.seq.items[i] = kw->u.map.e[k].value;
        }
    }
    for (size_t i = 0; i < nf; i++) if (!t->u.seq.items[i]) raise_msg(E_TypeError, "missing argument '%s'", fields->u.seq.items[i]->u.str.s);
    V o = obj_new(K_INST);
    o->cls = cls;
    o->u.inst.dict = mk_dict();
    o->u.inst.native_value = t;
    return o;
}
/* py/objnamedtuple.c: a namedtuple's own instances have no attribute dict */
int lib_is_namedtuple_instance(V o) {
    V nn = o->kind == K_INST ? dict_get_str(o->cls->u.cls.dict, "__native_new__") : NULL;
    return nn && nn->kind == K_NATIVE && nn->u.native.fn == namedtuple_new;
}
static V f_namedtuple(int n, V *a, V kw) {
    (void)kw; ARGN(2);
    V name = text_arg(a[0]), spec = a[1];
    V fields;
    if (spec->kind == K_STR) {
        V b[3] = {spec, None, mk_int(-1)};
        V parts = mk_list(0, NULL), split = m_split(1, b, NULL);
        for (size_t i = 0; i < split->u.seq.n; i++) {
            V w = split->u.seq.items[i];
            V c[2] = {w, mk_cstr(",")};
            V sub = m_split(2, c, NULL);
            for (size_t j = 0; j < sub->u.seq.n; j++) if (sub->u.seq.items[j]->u.str.len) list_append(parts, sub->u.seq.items[j]);
        }
        fields = mk_tuple(parts->u.seq.n, parts->u.seq.items);
    } else {
        V l = to_list(spec);
        for (size_t i = 0; i < l->u.seq.n; i++) text_arg(l->u.seq.items[i]);
        fields = mk_tuple(l->u.seq.n, l->u.seq.items);
    }
    char *cname = gc_alloc(name->u.str.len + 1);
    mem_copy(cname, name->u.str.s, name->u.str.len);
    V base = T_tuple;
    V cls = mk_class(cname, mk_tuple(1, &base), NULL);
    dict_set_str(cls->u.cls.dict, "_fields", fields);
    dict_set_str(cls->u.cls.dict, "__native_new__", mk_native(cname, namedtuple_new));
    return cls;
}

static V T_OrderedDict;

/* An instance of OrderedDict (or a subclass) got its dict: an ordered one */
void lib_native_value_made(V inst) {
    V d = inst->u.inst.native_value;
    if (T_OrderedDict && d && d->kind == K_DICT && is_subclass(inst->cls, T_OrderedDict) && !d->u.map.ordered) {
        V keep = mk_dict();
        keep->u.map.ordered = 1;
        for (size_t i = 0; i < d->u.map.n; i++) if (d->u.map.e[i].key) table_set(&keep->u.map, d->u.map.e[i].key, d->u.map.e[i].value);
        inst->u.inst.native_value = keep;
    }
}

/* OrderedDict: prints as OrderedDict({...}); two of them are equal only in the same order */
static V od_repr(int n, V *a, V kw) {
    (void)kw; ARGN(1);
    V self = a[0];
    return str_concat(str_concat(mk_cstr(type_of(self)->u.cls.name), mk_cstr("(")),
                      str_concat(repr_of(self_list_d(self)), mk_cstr(")")));
}
static V od_eq(int n, V *a, V kw) {
    (void)kw; ARGN(2);
    V x = self_list_d(a[0]), y = self_list_d(a[1]);
    if (x->kind != K_DICT || y->kind != K_DICT) return False;
    if (!equal(x, y)) return False;
    if (a[1]->kind != K_INST || !is_instance(a[1], type_of(a[0]))) return True;
    size_t i = 0, j = 0;
    for (;;) {
        while (i < x->u.map.n && !x->u.map.e[i].key) i++;
        while (j < y->u.map.n && !y->u.map.e[j].key) j++;
        if (i >= x->u.map.n || j >= y->u.map.n) return mk_bool(i >= x->u.map.n && j >= y->u.map.n);
        if (!equal(x->u.map.e[i].key, y->u.map.e[j].key)) return False;
        i++;
        j++;
    }
}

V lib_new_module(V modules, const char *name) {
    V m = obj_new(K_MODULE);
    m->u.module.name = name;
    m->u.module.dict = mk_dict();
    m->u.module.builtin = 1;
    dict_set_str(m->u.module.dict, "__name__", mk_cstr(name));
    table_set(&modules->u.map, mk_cstr(name), m);
    return m;
}

void native_modules_init(V modules, V loaded) {
    /* MICROPY_CAN_OVERRIDE_BUILTINS: the builtins module is the builtins dict, and storing into it overrides */
    V bm = lib_new_module(modules, "builtins");
    bm->u.module.dict = builtins_dict;
    bm->u.module.builtin = 0;
    V mp = lib_new_module(modules, "micropython");
    dict_set_str(mp->u.module.dict, "const", mk_native("const", f_const));
    V sys = lib_new_module(modules, "sys");
    dict_set_str(sys->u.module.dict, "exit", mk_native("exit", f_sys_exit));
    dict_set_str(sys->u.module.dict, "argv", mk_list(0, NULL));
    dict_set_str(sys->u.module.dict, "modules", loaded);
    lib_math_module(modules);
    V coll = lib_new_module(modules, "collections");
    dict_set_str(coll->u.module.dict, "namedtuple", mk_native("namedtuple", f_namedtuple));
    V od = mk_class("OrderedDict", mk_tuple(1, &T_dict), NULL);
    T_OrderedDict = od;
    od->u.cls.builtin_kind = K_DICT;
    /* no constructor of its own: instances are made as of a dict subclass, so they keep their type */
    dict_set_str(od->u.cls.dict, "__repr__", mk_native("__repr__", od_repr));
    dict_set_str(od->u.cls.dict, "__eq__", mk_native("__eq__", od_eq));
    dict_set_str(coll->u.module.dict, "OrderedDict", od);
    V dq = lib_deque_class();
    dict_set_str(coll->u.module.dict, "deque", dq);
    lib_array_module(modules);
    lib_io_module(modules);
    lib_struct_module(modules);
    lib_sys_extend(sys, modules);
    lib_dict_view_init();
    lib_errno_module(modules);
    lib_gc_module(modules);
    lib_cmath_module(modules);
}

/* ---- setup ---- */

V T_ellipsis;
V lib_builtin_class(const char *name, int kind, native_fn ctor, V base) {
    V bases = base ? mk_tuple(1, &base) : mk_tuple(0, NULL);
    V c = mk_class(name, bases, NULL);
    c->u.cls.builtin_kind = kind;
    if (ctor) dict_set_str(c->u.cls.dict, "__native_new__", mk_native(name, ctor));
    return c;
}

static V exc_class(const char *name, V base) {
    V c = lib_builtin_class(name, K_INST, new_exception, base);
    dict_set_str(builtins_dict, name, c);
    return c;
}

static V exc_init(int n, V *a, V kw) {
    (void)kw; ARGN(1);
    if (a[0]->kind == K_INST) a[0]->u.inst.args = mk_tuple((size_t)n - 1, a + 1);
    return None;
}

static V object_new(int n, V *a, V kw) {
    (void)kw; ARGN(1);
    /* py/objobject.c object___new__: only classes made by Python code */
    if (a[0]->kind != K_CLASS || a[0]->u.cls.builtin_kind > 0) raise_msg(E_TypeError, "arg must be user-type");
    V o = obj_new(K_INST);
    o->cls = a[0];
    o->u.inst.dict = mk_dict();
    o->u.inst.args = mk_tuple(0, NULL);
    o->u.inst.traceback = mk_list(0, NULL);
    return o;
}

void vm_native_base_init(V inst, int n, V *args, V kw);
static V object_init(int n, V *a, V kw) {
    if (n > 0) vm_native_base_init(a[0], n - 1, a + 1, kw);
    return None;
}
static V object_setattr(int n, V *a, V kw) {
    (void)kw; ARGN(3);
    if (a[1]->kind != K_STR) raise_msg(E_TypeError, "attribute name must be a str");
    set_attr_plain(a[0], a[1], a[2]);
    return None;
}
static V object_delattr(int n, V *a, V kw) {
    (void)kw; ARGN(2);
    if (a[1]->kind != K_STR) raise_msg(E_TypeError, "attribute name must be a str");
    del_attr_plain(a[0], a[1]);
    return None;
}

void objects_init(void) {
    None = obj_new(K_NONE);
    True = obj_new(K_BOOL); True->u.i = 1;
    False = obj_new(K_BOOL); False->u.i = 0;
    Ellipsis = obj_new(K_ELLIPSIS);
    NullV = obj_new(K_NULL);
    builtins_dict = mk_dict();
    T_object = lib_builtin_class("object", K_INST, new_object, NULL);
    dict_set_str(T_object->u.cls.dict, "__init__", mk_native("__init__", object_init));
    dict_set_str(T_object->u.cls.dict, "__setattr__", mk_native("__setattr__", object_setattr));
    dict_set_str(T_object->u.cls.dict, "__delattr__", mk_native("__delattr__", object_delattr));
    dict_set_str(T_object->u.cls.dict, "__new__", mk_native("__new__", object_new));
    T_type = lib_builtin_class("type", K_CLASS, new_type, T_object);
    T_int = lib_builtin_class("int", K_INT, new_int, T_object);
    /* the cached small ints live in the start-up image, not the heap, as
     * MicroPython's small ints take no heap (300 of them would be a fifth
     * of a 64 KiB heap) */
    for (int64_t i = -20; i < 280; i++) mk_int(i);
    T_bool = lib_builtin_class("bool", K_BOOL, new_bool, T_int);
    T_float = lib_builtin_class("float", K_FLOAT, new_float, T_object);
    T_str = lib_builtin_class("str", K_STR, new_str, T_object);
    T_bytes = lib_builtin_class("bytes", K_BYTES, new_bytes, T_object);
    T_bytearray = lib_builtin_class("bytearray", K_BYTEARRAY, new_bytearray, T_object);
    T_tuple = lib_builtin_class("tuple", K_TUPLE, new_tuple, T_object);
    T_list = lib_builtin_class("list", K_LIST, new_list, T_object);
    T_dict = lib_builtin_class("dict", K_DICT, new_dict, T_object);
    T_set = lib_builtin_class("set", K_SET, new_set, T_object);
    T_frozenset = lib_builtin_class("frozenset", K_FROZENSET, new_frozenset, T_object);
    T_slice = lib_builtin_class("slice", K_SLICE, new_slice, T_object);
    T_range = lib_builtin_class("range", K_RANGE, new_range, T_object);
    T_function = lib_builtin_class("function", K_FUNC, NULL, T_object);
    T_generator = lib_builtin_class("generator", K_GEN, NULL, T_object);
    T_NoneType = lib_builtin_class("NoneType", K_NONE, NULL, T_object);
    T_property = lib_builtin_class("property", K_PROPERTY, new_property, T_object);
    T_staticmethod = lib_builtin_class("staticmethod", K_STATICMETHOD, new_staticmethod, T_object);
    T_classmethod = lib_builtin_class("classmethod", K_CLASSMETHOD, new_classmethod, T_object);
    T_module = lib_builtin_class("module", K_MODULE, NULL, T_object);
    T_complex = lib_builtin_class("complex", K_COMPLEX, new_complex, T_object);
    T_memoryview = lib_builtin_class("memoryview", K_MEMVIEW, lib_memoryview_new, T_object);
    dict_set_str(builtins_dict, "memoryview", T_memoryview);
    dict_set_str(builtins_dict, "complex", T_complex);
    T_ellipsis = lib_builtin_class("", K_ELLIPSIS, NULL, T_object);   /* MicroPython's ellipsis type has an empty name */
    V classes[] = {T_object, T_type, T_int, T_bool, T_float, T_str, T_bytes, T_bytearray, T_tuple, T_list, T_dict,
        T_set, T_frozenset, T_range, T_property, T_staticmethod, T_classmethod, T_slice};
    for (size_t i = 0; i < sizeof classes / sizeof classes[0]; i++) dict_set_str(builtins_dict, classes[i]->u.cls.name, classes[i]);
    E_BaseException = exc_class("BaseException", T_object);
    dict_set_str(E_BaseException->u.cls.dict, "__init__", mk_native("__init__", exc_init));
    E_SystemExit = exc_class("SystemExit", E_BaseException);
    E_KeyboardInterrupt = exc_class("KeyboardInterrupt", E_BaseException);
    E_GeneratorExit = exc_class("GeneratorExit", E_BaseException);
    E_Exception = exc_class("Exception", E_BaseException);
    E_StopIteration = exc_class("StopIteration", E_Exception);
    E_StopAsyncIteration = exc_class("StopAsyncIteration", E_Exception);
    E_ArithmeticError = exc_class("ArithmeticError", E_Exception);
    E_ZeroDivisionError = exc_class("ZeroDivisionError", E_ArithmeticError);
    E_OverflowError = exc_class("OverflowError", E_ArithmeticError);
    E_LookupError = exc_class("LookupError", E_Exception);
    E_IndexError = exc_class("IndexError", E_LookupError);
    E_KeyError = exc_class("KeyError", E_LookupError);
    E_TypeError = exc_class("TypeError", E_Exception);
    E_ValueError = exc_class("ValueError", E_Exception);
    E_UnicodeError = exc_class("UnicodeError", E_ValueError);
    E_NameError = exc_class("NameError", E_Exception);
    E_UnboundLocalError = exc_class("UnboundLocalError", E_NameError);
    E_AttributeError = exc_class("AttributeError", E_Exception);
    E_RuntimeError = exc_class("RuntimeError", E_Exception);
    E_NotImplementedError = exc_class("NotImplementedError", E_RuntimeError);
    E_RecursionError = exc_class("RecursionError", E_RuntimeError);
    E_AssertionError = exc_class("AssertionError", E_Exception);
    E_ImportError = exc_class("ImportError", E_Exception);
    E_OSError = exc_class("OSError", E_Exception);
    E_MemoryError = exc_class("MemoryError", E_Exception);
    E_EOFError = exc_class("EOFError", E_Exception);
    V syntax = exc_class("SyntaxError", E_Exception);
    exc_class("IndentationError", syntax);
    struct { const char *name; native_fn fn; } fns[] = {
        {"print", b_print}, {"len", b_len}, {"isinstance", b_isinstance}, {"issubclass", b_issubclass},
        {"repr", b_repr}, {"abs", b_abs}, {"min", b_min}, {"max", b_max}, {"sum", b_sum}, {"sorted", b_sorted},
        {"reversed", b_reversed}, {"enumerate", b_enumerate}, {"zip", b_zip}, {"map", b_map}, {"filter", b_filter},
        {"any", b_any}, {"all", b_all}, {"iter", b_iter}, {"next", b_next}, {"hasattr", b_hasattr},
        {"getattr", b_getattr}, {"setattr", b_setattr}, {"ord", b_ord}, {"chr", b_chr}, {"hex", b_hex},
        {"oct", b_oct}, {"bin", b_bin}, {"divmod", b_divmod}, {"round", b_round}, {"callable", b_callable},
        {"id", b_id}, {"hash", b_hash}, {"pow", b_pow}, {"globals", b_globals}, {"locals", b_locals},
        {"__build_class__", builtin_build_class}, {"__import__", builtin_import}, {"input", b_unsupported}, {"open", b_unsupported},
        {"exec", b_unsupported}, {"eval", b_unsupported}, {"compile", b_unsupported}, {"dir", b_dir},
        {"vars", b_unsupported}, {"delattr", b_delattr}, {"super", b_super},
    };
    for (size_t i = 0; i < sizeof fns / sizeof fns[0]; i++) dict_set_str(builtins_dict, fns[i].name, mk_native(fns[i].name, fns[i].fn));
    dict_set_str(builtins_dict, "NotImplemented", NullV);
    dict_set_str(builtins_dict, "Ellipsis", Ellipsis);
}
