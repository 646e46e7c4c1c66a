/* obj.c: object construction, dict/set tables, and the generic protocol
 * (truth, equality, hashing, operators, repr/str, attributes, iteration). */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "gc.h"
#include "obj.h"
#include "lib.h"
#include "platform.h"

V None, True, False, Ellipsis, NullV;

V int_binary(int op, V a, V b);
V int_text(V v, int base);
uint32_t int_hash(V v);
V float_repr(double f);

V obj_new(int kind) {
    static uint32_t next_serial;
    V v = gc_alloc(sizeof(Obj));
    v->kind = kind;
    v->serial = ++next_serial;
    return v;
}

V mk_int(int64_t i) {
    static V small[300];
    if (i >= -20 && i < 280 && small[i + 20]) {
        return small[i + 20];
    }
    V v = obj_new(K_INT);
    v->cls = T_int;
    v->u.i = i;
    if (i >= -20 && i < 280) {
        small[i + 20] = v;
    }
    return v;
}

V mk_float(double f) {
    V v = obj_new(K_FLOAT);
    v->cls = T_float;
    v->u.f = f;
    return v;
}

V mk_complex(double re, double im) {
    V v = obj_new(K_COMPLEX);
    v->cls = T_complex;
    v->u.cplx.re = re;
    v->u.cplx.im = im;
    return v;
}

/* py/objcomplex.c mp_obj_complex_binary_op: the same formulas, so results
 * round the same way (division multiplies by the scaled conjugate, power
 * goes through polar form). */
static V complex_binary(int op, double ar, double ai, double br, double bi) {
    switch (op) {
        case MP_BINARY_OP_ADD: return mk_complex(ar + br, ai + bi);
        case MP_BINARY_OP_SUBTRACT: return mk_complex(ar - br, ai - bi);
        case MP_BINARY_OP_TRUE_DIVIDE:
            if (bi == 0) {
                if (br == 0) {
                    raise_msg(E_ZeroDivisionError, "complex divide by zero");
                }
                return mk_complex(ar / br, ai / br);
            } else {
                /* multiply by the scaled conjugate */
                double len2 = br * br + bi * bi;
                br /= len2;
                bi /= -len2;
                return mk_complex(ar * br - ai * bi, ar * bi + ai * br);
            }
        case MP_BINARY_OP_MULTIPLY:
            return mk_complex(ar * br - ai * bi, ar * bi + ai * br);
        case MP_BINARY_OP_POWER: {
            if (br == 0 && bi == 0) {
                return mk_complex(1, 0);
            }
            if (ar == 0 && ai == 0) {
                if (bi != 0 || br < 0) {
                    raise_msg(E_ZeroDivisionError, "0.0 to a complex power");
                }
                return mk_complex(0, 0);
            }
            double ln_mag = log(sqrt(ar * ar + ai * ai)), theta = atan2(ai, ar);
            double x = br * ln_mag - bi * theta, y = bi * ln_mag + br * theta, mag = exp(x);
            return mk_complex(mag * cos(y), mag * sin(y));
        }
        case MP_BINARY_OP_EQUAL: return mk_bool(ar == br && ai == bi);
        case MP_BINARY_OP_NOT_EQUAL: return mk_bool(!(ar == br && ai == bi));
        default: return NULL;
    }
}

V mk_bool(int b) {
    return b ? True : False;
}

V mk_str(const char *s, size_t n) {
    V v = obj_new(K_STR);
    v->cls = T_str;
    v->u.str.s = gc_alloc(n + 1);
    mem_copy(v->u.str.s, s, n);
    v->u.str.len = n;
    return v;
}

V mk_cstr(const char *s) {
    return mk_str(s, strlen(s));
}

V mk_bytes(const char *s, size_t n) {
    V v = mk_str(s, n);
    v->kind = K_BYTES;
    v->cls = T_bytes;
    return v;
}

V mk_tuple(size_t n, V *items) {
    V v = obj_new(K_TUPLE);
    v->cls = T_tuple;
    v->u.seq.items = gc_alloc((n ? n : 1) * sizeof(V));
    if (items) {
        mem_copy(v->u.seq.items, items, n * sizeof(V));
    }
    v->u.seq.n = v->u.seq.cap = n;
    return v;
}

V mk_list(size_t n, V *items) {
    V v = mk_tuple(n, items);
    v->kind = K_LIST;
    v->cls = T_list;
    return v;
}

V list_append(V l, V x) {
    if (l->u.seq.n == l->u.seq.cap) {
        size_t cap = l->u.seq.cap ? l->u.seq.cap * 2 : 4;
        V *items = gc_alloc(cap * sizeof(V));
        mem_copy(items, l->u.seq.items, l->u.seq.n * sizeof(V));
        l->u.seq.items = items;
        l->u.seq.cap = cap;
    }
    l->u.seq.items[l->u.seq.n++] = x;
    return None;
}

V mk_dict(void) {
    V v = obj_new(K_DICT);
    v->cls = T_dict;
    return v;
}

V mk_set(int frozen) {
    V v = obj_new(frozen ? K_FROZENSET : K_SET);
    v->cls = frozen ? T_frozenset : T_set;
    return v;
}

V mk_native(const char *name, native_fn fn) {
    V v = obj_new(K_NATIVE);
    v->u.native.name = name;
    v->u.native.fn = fn;
    return v;
}

V mk_class(const char *name, V bases, V dict) {
    V c = obj_new(K_CLASS);
    c->cls = T_type;
    c->u.cls.name = name;
    c->u.cls.bases = bases ? bases : mk_tuple(0, NULL);
    c->u.cls.dict = dict ? dict : mk_dict();
    c->u.cls.builtin_kind = -1;
    return c;
}

V mk_exc(V cls, const char *msg) {
    V e = obj_new(K_INST);
    e->cls = cls;
    e->u.inst.dict = mk_dict();
    V m = msg ? mk_cstr(msg) : NULL;
    e->u.inst.args = m ? mk_tuple(1, &m) : mk_tuple(0, NULL);
    e->u.inst.traceback = mk_list(0, NULL);
    return e;
}

/* ---- tables: insertion-ordered, open-addressed index ---- */

static void table_reindex(table *t, size_t icap) {
    t->index = gc_alloc(icap * sizeof(int32_t));
    t->icap = icap;
    for (size_t i = 0; i < icap; i++) {
        t->index[i] = -1;
    }
    for (size_t i = 0; i < t->n; i++) {
        if (t->e[i].key == NULL) {
            continue;
        }
        size_t h = t->e[i].hash & (icap - 1);
        while (t->index[h] >= 0) {
            h = (h + 1) & (icap - 1);
        }
        t->index[h] = (int32_t)i;
    }
}

/* py/map.c: an ordered map (OrderedDict) is searched in order by equality and
 * never hashes its keys, so it takes unhashable ones: one hash for all */
static uint32_t key_hash(const table *t, V key) {
    return t->ordered ? 0 : hash_of(key);
}

static long table_find(table *t, V key, uint32_t h) {
    if (t->icap == 0) {
        return -1;
    }
    size_t i = h & (t->icap - 1);
    while (t->index[i] >= 0) {
        entry *e = &t->e[t->index[i]];
        if (e->key && e->hash == h && (e->key == key || equal(e->key, key))) {
            return t->index[i];
        }
        i = (i + 1) & (t->icap - 1);
    }
    return -1;
}

V table_get(table *t, V key) {
    if (t->icap == 0) {
        return NULL;   /* py/map.c: an empty map finds nothing without hashing the key */
    }
    long i = table_find(t, key, key_hash(t, key));
    return i < 0 ? NULL : t->e[i].value;
}

static void table_check_not_fixed(const table *t) {
    if (t->fixed) {
        raise_msg(E_TypeError, "can't modify a fixed dict");   /* py/objdict.c mp_ensure_not_fixed */
    }
}

void table_set(table *t, V key, V value) {
    table_check_not_fixed(t);
    uint32_t h = key_hash(t, key);
    long i = table_find(t, key, h);
    if (i >= 0) {
        t->e[i].value = value;
        return;
    }
    if (t->n == t->cap) {
        if (t->live < t->n / 2 && t->n > 8) {
            /* compact deleted entries */
            size_t w = 0;
            for (size_t k = 0; k < t->n; k++) {
                if (t->e[k].key) {
                    t->e[w++] = t->e[k];
                }
            }
            t->n = w;
        } else {
            size_t cap = t->cap ? t->cap * 2 : 8;
            entry *e = gc_alloc(cap * sizeof(entry));
            if (t->n) {
                mem_copy(e, t->e, t->n * sizeof(entry));
            }
            t->e = e;
            t->cap = cap;
        }
        table_reindex(t, t->cap * 2);
    }
    t->e[t->n].key = key;
    t->e[t->n].value = value;
    t->e[t->n].hash = h;
    size_t j = h & (t->icap - 1);
    while (t->index[j] >= 0) {
        j = (j + 1) & (t->icap - 1);
    }
    t->index[j] = (int32_t)t->n;
    t->n++;
    t->live++;
}

int table_del(table *t, V key) {
    table_check_not_fixed(t);
    if (t->icap == 0) {
        return 0;
    }
    long i = table_find(t, key, key_hash(t, key));
    if (i < 0) {
        return 0;
    }
    t->e[i].key = NULL;
    t->e[i].value = NULL;
    t->live--;
    table_reindex(t, t->icap);
    return 1;
}

V dict_get_str(V d, const char *key) {
    return table_get(&d->u.map, mk_cstr(key));
}

void dict_set_str(V d, const char *key, V v) {
    table_set(&d->u.map, mk_cstr(key), v);
}

/* ---- classes ---- */

V type_of(V v) {
    switch (v->kind) {
        case K_NONE: return T_NoneType;
        case K_BOOL: return T_bool;
        case K_INT: case K_BIG: return T_int;
        case K_FLOAT: return T_float;
        case K_COMPLEX: return T_complex;
        case K_MEMVIEW: return T_memoryview;
        case K_ARRAY: return T_array;
        case K_STR: return T_str;
        case K_BYTES: return T_bytes;
        case K_BYTEARRAY: return T_bytearray;
        case K_TUPLE: return T_tuple;
        case K_LIST: return T_list;
        case K_DICT: return T_dict;
        case K_SET: return T_set;
        case K_FROZENSET: return T_frozenset;
        case K_SLICE: return T_slice;
        case K_RANGE: return T_range;
        case K_FUNC: case K_NATIVE: case K_BOUND: return T_function;
        case K_CLASS: return T_type;
        case K_GEN: return T_generator;
        case K_PROPERTY: return T_property;
        case K_STATICMETHOD: return T_staticmethod;
        case K_CLASSMETHOD: return T_classmethod;
        case K_MODULE: return T_module;
        case K_ELLIPSIS: { extern V T_ellipsis; return T_ellipsis; }
        default: return v->cls ? v->cls : T_object;
    }
}

/* py/objtype.c mp_obj_class_lookup: MicroPython searches the bases
 * depth-first, left to right (not C3); the order is that walk with repeats dropped. */
static void mro_walk(V cls, V out) {
    list_append(out, cls);
    V b = cls->u.cls.bases;
    for (size_t i = 0; i < b->u.seq.n; i++) {
        mro_walk(b->u.seq.items[i], out);
    }
}

V class_mro(V cls);
V class_mro(V cls) {
    if (cls->u.cls.mro) {
        return cls->u.cls.mro;
    }
    V all = mk_list(0, NULL), out = mk_list(0, NULL);
    mro_walk(cls, all);
    for (size_t i = 0; i < all->u.seq.n; i++) {
        int seen = all->u.seq.items[i] == T_object && cls != T_object;
        for (size_t j = 0; j < i; j++) {
            seen |= all->u.seq.items[j] == all->u.seq.items[i];
        }
        if (!seen) {
            list_append(out, all->u.seq.items[i]);
        }
    }
    if (cls != T_object) {
        int has = 0;
        for (size_t i = 0; i < out->u.seq.n; i++) {
            has |= out->u.seq.items[i] == T_object;
        }
        if (!has) {
            list_append(out, T_object);
        }
    }
    cls->u.cls.mro = out;
    return out;
}

int is_subclass(V a, V b) {
    if (a == b || b == T_object) {
        return 1;
    }
    if (a->kind != K_CLASS) {
        return 0;
    }
    V m = class_mro(a);
    for (size_t i = 0; i < m->u.seq.n; i++) {
        if (m->u.seq.items[i] == b) {
            return 1;
        }
    }
    if (a == T_bool && b == T_int) {
        return 1;
    }
    return 0;
}

int is_instance(V v, V cls) {
    if (cls->kind == K_TUPLE) {
        for (size_t i = 0; i < cls->u.seq.n; i++) {
            if (is_instance(v, cls->u.seq.items[i])) {
                return 1;
            }
        }
        return 0;
    }
    return is_subclass(type_of(v), cls);
}

V lookup_class_attr(V cls, V name) {
    V m = class_mro(cls);
    for (size_t i = 0; i < m->u.seq.n; i++) {
        V c = m->u.seq.items[i];
        V r = table_get(&c->u.cls.dict->u.map, name);
        if (r) {
            return r;
        }
    }
    return NULL;
}

static V lookup_special(V v, const char *name) {
    if (v->kind != K_INST && v->kind != K_CLASS) {
        return NULL;
    }
    if (v->kind == K_CLASS) {
        return NULL;
    }
    V f = lookup_class_attr(type_of(v), mk_cstr(name));
    return f;
}

static V bind(V f, V self) {
    if (f->kind == K_FUNC || f->kind == K_NATIVE) {
        V b = obj_new(K_BOUND);
        b->u.bound.self = self;
        b->u.bound.fn = f;
        return b;
    }
    return f;
}

/* call a dunder method on a user instance if it has one; NULL otherwise */
V try_special(V v, const char *name, int n, V *args) {
    V f = lookup_special(v, name);
    if (!f) {
        return NULL;
    }
    V a[4];
    a[0] = v;
    for (int i = 0; i < n; i++) {
        a[i + 1] = args[i];
    }
    if (f->kind == K_STATICMETHOD) {
        return call(f->u.wrap.fn, n, args, NULL);
    }
    if (f->kind == K_CLASSMETHOD) {
        a[0] = v->kind == K_INST ? v->cls : type_of(v);
        return call(f->u.wrap.fn, n + 1, a, NULL);
    }
    return call(f, n + 1, a, NULL);
}

/* ---- truth, hash, equality ---- */

size_t seq_items(V o, V **items) {
    if (o->kind == K_INST && o->u.inst.native_value) {
        o = o->u.inst.native_value;
    }
    if (o->kind == K_TUPLE || o->kind == K_LIST) {
        *items = o->u.seq.items;
        return o->u.seq.n;
    }
    return (size_t)-1;
}

int truthy(V v) {
    switch (v->kind) {
        case K_NONE: return 0;
        case K_BOOL: case K_INT: return v->u.i != 0;
        case K_BIG: return 1;
        case K_FLOAT: return v->u.f != 0;
        case K_COMPLEX: return v->u.cplx.re != 0 || v->u.cplx.im != 0;
        case K_STR: case K_BYTES: case K_BYTEARRAY: case K_ARRAY: return v->u.str.len != 0;
        case K_MEMVIEW: return v->u.iter.j != 0;
        case K_TUPLE: case K_LIST: return v->u.seq.n != 0;
        case K_DICT: case K_SET: case K_FROZENSET: return v->u.map.live != 0;
        case K_DICTVIEW: return lib_dict_view_len(v) != 0;
        case K_RANGE: {
            int64_t s = v->u.range.step;
            return s > 0 ? v->u.range.start < v->u.range.stop : v->u.range.start > v->u.range.stop;
        }
        case K_INST: {
            V r = try_special(v, "__bool__", 0, NULL);
            if (r) {
                return truthy(r);
            }
            r = try_special(v, "__len__", 0, NULL);
            if (r) {
                return truthy(r);
            }
            if (v->u.inst.native_value) {
                return truthy(v->u.inst.native_value);
            }
            return 1;
        }
        default: return 1;
    }
}

uint32_t hash_of(V v) {
    stack_check();
    switch (v->kind) {
        case K_NONE: return 0x1234;
        case K_BOOL: case K_INT: case K_BIG: return int_hash(v);
        case K_FLOAT: {
            double f = v->u.f;
            if (f == floor(f) && fabs(f) < 9e18) {
                return int_hash(mk_int((int64_t)f));
            }
            uint64_t bits;
            mem_copy(&bits, &f, sizeof bits);
            return (uint32_t)(bits ^ (bits >> 32));
        }
        case K_COMPLEX:
            return hash_of(mk_float(v->u.cplx.re)) ^ (hash_of(mk_float(v->u.cplx.im)) * 1000003u);
        case K_STR: case K_BYTES: {
            if (v->u.str.hash == 0) {
                uint32_t h = 5381;
                for (size_t i = 0; i < v->u.str.len; i++) {
                    h = h * 33 ^ (uint8_t)v->u.str.s[i];
                }
                v->u.str.hash = h ? h : 1;
            }
            return v->u.str.hash;
        }
        case K_TUPLE: case K_FROZENSET: {
            uint32_t h = 0x345678;
            if (v->kind == K_FROZENSET) {
                for (size_t i = 0; i < v->u.map.n; i++) {
                    if (v->u.map.e[i].key) {
                        h ^= v->u.map.e[i].hash;
                    }
                }
                return h;
            }
            for (size_t i = 0; i < v->u.seq.n; i++) {
                h = (h * 1000003) ^ hash_of(v->u.seq.items[i]);
            }
            return h;
        }
        case K_DICTVIEW:
            if (v->u.iter.j == 1) {
                return (uint32_t)OBJ_ADDR(v);   /* a values view hashes by identity, keys and items views do not hash */
            }
            raise_msg(E_TypeError, "unhashable type: '%s'", type_of(v)->u.cls.name);
        case K_LIST: case K_DICT: case K_SET: case K_BYTEARRAY: case K_ARRAY: case K_MEMVIEW: case K_SLICE:
            raise_msg(E_TypeError, "unhashable type: '%s'", type_of(v)->u.cls.name);
        case K_BOUND:   /* equal bound methods hash alike */
            return (uint32_t)OBJ_ADDR(v->u.bound.self) ^ (uint32_t)OBJ_ADDR(v->u.bound.fn) * 31u;
        case K_INST: {
            V r = try_special(v, "__hash__", 0, NULL);
            if (r) {
                if (!is_int(r)) raise_msg(E_TypeError, "__hash__() should return an int");
                return int_hash(r);   /* a large value is truncated */
            }
            /* a class that defines __eq__ and not __hash__ is unhashable (py/objtype.c) */
            if (lookup_class_attr(v->cls, mk_cstr("__eq__"))) {
                raise_msg(E_TypeError, "unhashable type: '%s'", v->cls->u.cls.name);
            }
            if (v->u.inst.native_value) {
                return hash_of(v->u.inst.native_value);
            }
            return (uint32_t)OBJ_ADDR(v);
        }
        default:
            return (uint32_t)OBJ_ADDR(v);
    }
}

int equal(V a, V b) {
    stack_check();
    if (a == b) {
        return 1;
    }
    return truthy(binary_op(MP_BINARY_OP_EQUAL, a, b));
}

static int seq_cmp(V *x, size_t nx, V *y, size_t ny, int op) {
    size_t i = 0;
    while (i < nx && i < ny && equal(x[i], y[i])) {
        i++;
    }
    if (op == MP_BINARY_OP_EQUAL) {
        return nx == ny && i == nx;
    }
    if (op == MP_BINARY_OP_NOT_EQUAL) {
        return !(nx == ny && i == nx);
    }
    if (i < nx && i < ny) {
        return truthy(binary_op(op, x[i], y[i]));
    }
    switch (op) {
        case MP_BINARY_OP_LESS: return nx < ny;
        case MP_BINARY_OP_MORE: return nx > ny;
        case MP_BINARY_OP_LESS_EQUAL: return nx <= ny;
        default: return nx >= ny;
    }
}

int compare_lt(V a, V b) {
    stack_check();
    return truthy(binary_op(MP_BINARY_OP_LESS, a, b));
}

static const char *binop_dunder[] = {
    "__lt__", "__gt__", "__eq__", "__le__", "__ge__", "__ne__", "__contains__", NULL, NULL,
    "__ior__", "__ixor__", "__iand__", "__ilshift__", "__irshift__", "__iadd__", "__isub__", "__imul__", "__imatmul__",
    "__ifloordiv__", "__itruediv__", "__imod__", "__ipow__",
    "__or__", "__xor__", "__and__", "__lshift__", "__rshift__", "__add__", "__sub__", "__mul__", "__matmul__",
    "__floordiv__", "__truediv__", "__mod__", "__pow__",
};
static const char *binop_reflected[] = {
    "__gt__", "__lt__", "__eq__", "__ge__", "__le__", "__ne__", NULL, NULL, NULL,
    NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
    "__ror__", "__rxor__", "__rand__", "__rlshift__", "__rrshift__", "__radd__", "__rsub__", "__rmul__", "__rmatmul__",
    "__rfloordiv__", "__rtruediv__", "__rmod__", "__rpow__",
};
static const char *binop_symbol[] = {
    "<", ">", "==", "<=", ">=", "!=", "in", "is", "match",
    "|=", "^=", "&=", "<<=", ">>=", "+=", "-=", "*=", "@=", "//=", "/=", "%=", "**=",
    "|", "^", "&", "<<", ">>", "+", "-", "*", "@", "//", "/", "%", "**",
};

/* py/objfloat.c mp_obj_float_divmod (CPython's rules): floor quotient and
 * a remainder with the divisor's sign, zero included. */
static void float_divmod(double x, double y, double *q, double *r) {
    double mod = fmod(x, y), div = (x - mod) / y;
    if (mod == 0) {
        mod = copysign(0.0, y);
    } else if ((mod < 0) != (y < 0)) {
        mod += y;
        div -= 1.0;
    }
    double fd;
    if (div == 0) {
        fd = copysign(0.0, x / y);
    } else {
        fd = floor(div);
        if (div - fd > 0.5) {
            fd += 1.0;
        }
    }
    *q = fd;
    *r = mod;
}

static V float_binary(int op, double x, double y) {
    switch (op) {
        case MP_BINARY_OP_ADD: return mk_float(x + y);
        case MP_BINARY_OP_SUBTRACT: return mk_float(x - y);
        case MP_BINARY_OP_MULTIPLY: return mk_float(x * y);
        case MP_BINARY_OP_TRUE_DIVIDE:
            if (y == 0) {
                raise_msg(E_ZeroDivisionError, "divide by zero");
            }
            return mk_float(x / y);
        case MP_BINARY_OP_FLOOR_DIVIDE:
        case MP_BINARY_OP_MODULO: {
            if (y == 0) {
                raise_msg(E_ZeroDivisionError, "divide by zero");
            }
            double q, r;
            float_divmod(x, y, &q, &r);
            return mk_float(op == MP_BINARY_OP_MODULO ? r : q);
        }
        case MP_BINARY_OP_POWER:
            if (x == 0 && y < 0 && !isinf(y)) {
                raise_msg(E_ZeroDivisionError, "0.0 to a negative power");
            }
            if (x < 0 && y != floor(y) && !isnan(y)) {
                return complex_binary(MP_BINARY_OP_POWER, x, 0, y, 0);   /* py/objfloat.c: a complex result */
            }
            if (isnan(y) && x != 1.0) {
                return mk_float(y);   /* C99 F.9.4.4, which newlib's pow(-1, nan) does not follow */
            }
            return mk_float(pow(x, y));
        case MP_BINARY_OP_LESS: return mk_bool(x < y);
        case MP_BINARY_OP_MORE: return mk_bool(x > y);
        case MP_BINARY_OP_LESS_EQUAL: return mk_bool(x <= y);
        case MP_BINARY_OP_MORE_EQUAL: return mk_bool(x >= y);
        case MP_BINARY_OP_EQUAL: return mk_bool(x == y);
        case MP_BINARY_OP_NOT_EQUAL: return mk_bool(x != y);
        default: return NULL;
    }
}

static V repeat_seq(V s, int64_t n) {
    if (n < 0) {
        n = 0;
    }
    size_t item = s->kind == K_STR || s->kind == K_BYTES ? 1 : sizeof(V);
    size_t len0 = s->kind == K_STR || s->kind == K_BYTES ? s->u.str.len : s->u.seq.n;
    if (len0 && (uint64_t)n > (uint64_t)(gc_info.heap_bytes / item / len0)) {
        /* more than the whole heap: MemoryError at once, as MicroPython's one allocation fails */
        raise_msg(E_MemoryError, "memory allocation failed");
    }
    if (s->kind == K_STR || s->kind == K_BYTES) {
        size_t len = s->u.str.len * (size_t)n;
        char *buf = gc_alloc(len + 1);
        for (int64_t i = 0; i < n; i++) {
            mem_copy(buf + (size_t)i * s->u.str.len, s->u.str.s, s->u.str.len);
        }
        return s->kind == K_STR ? mk_str(buf, len) : mk_bytes(buf, len);
    }
    V r = mk_list(0, NULL);
    for (int64_t i = 0; i < n; i++) {
        for (size_t j = 0; j < s->u.seq.n; j++) {
            list_append(r, s->u.seq.items[j]);
        }
    }
    if (s->kind == K_TUPLE) {
        r->kind = K_TUPLE;
        r->cls = T_tuple;
    }
    return r;
}

V str_concat(V a, V b) {
    size_t n = a->u.str.len + b->u.str.len;
    char *buf = gc_alloc(n + 1);
    mem_copy(buf, a->u.str.s, a->u.str.len);
    mem_copy(buf + a->u.str.len, b->u.str.s, b->u.str.len);
    V r = mk_str(buf, n);
    r->kind = a->kind;
    r->cls = a->cls;
    return r;
}

V set_binary(int op, V a, V b);

V binary_op(int op, V a, V b) {
    if (op == MP_BINARY_OP_IS) {
        if (a->kind == K_INT && b->kind == K_INT) {
            return mk_bool(a->u.i == b->u.i);
        }
        return mk_bool(a == b);
    }
    if (op == MP_BINARY_OP_IN) {
        return contains(b, a);
    }
    if ((op == MP_BINARY_OP_EQUAL || op == MP_BINARY_OP_NOT_EQUAL) && a->kind == K_BOUND) {
        /* py/objboundmeth.c: bound methods are equal when self and function are the same */
        int same = b->kind == K_BOUND && a->u.bound.self == b->u.bound.self && a->u.bound.fn == b->u.bound.fn;
        return mk_bool(op == MP_BINARY_OP_EQUAL ? same : !same);
    }
    if (op == MP_BINARY_OP_EXCEPTION_MATCH) {
        /* py/runtime.c: the right side is an exception class or a tuple of them, else a TypeError */
        V t = a->kind == K_CLASS ? a : type_of(a);
        size_t n = b->kind == K_TUPLE ? b->u.seq.n : 1;
        for (size_t i = 0; i < n; i++) {
            V c = b->kind == K_TUPLE ? b->u.seq.items[i] : b;
            if (c->kind != K_CLASS || !is_subclass(c, E_BaseException)) {
                raise_msg(E_TypeError, "unsupported types for BINARY_OP_EXCEPTION_MATCH: '%s', '%s'",
                    type_of(a)->u.cls.name, type_of(c)->u.cls.name);
            }
            if (is_subclass(t, c)) {
                return mk_bool(1);
            }
        }
        return mk_bool(0);
    }
    /* user-defined operators first */
    /* py/objtype.c: without MICROPY_PY_ALL_INPLACE_SPECIAL_METHODS (the unix port's
     * setting) only += and -= have in-place methods; the others use the plain one */
    int inplace_method = op < MP_BINARY_OP_INPLACE_OR || op > MP_BINARY_OP_INPLACE_POWER
        || op == MP_BINARY_OP_INPLACE_ADD || op == MP_BINARY_OP_INPLACE_SUBTRACT;
    if (a->kind == K_INST && binop_dunder[op]) {
        V r = inplace_method ? try_special(a, binop_dunder[op], 1, &b) : NULL;
        if (r && r->kind != K_NULL) {
            return r;
        }
        if (op >= MP_BINARY_OP_INPLACE_OR && op <= MP_BINARY_OP_INPLACE_POWER) {
            int plain = op + MP_BINARY_OP_OR - MP_BINARY_OP_INPLACE_OR;
            r = try_special(a, binop_dunder[plain], 1, &b);
            if (r) {
                return r;
            }
        }
        if (op == MP_BINARY_OP_NOT_EQUAL) {
            r = try_special(a, "__eq__", 1, &b);
            if (r) {
                return mk_bool(!truthy(r));
            }
        }
    }
    {
        /* an in-place operator falls back on the reflected plain one too (x |= B() tries B.__ror__) */
        int plain = op;
        if (op >= MP_BINARY_OP_INPLACE_OR && op <= MP_BINARY_OP_INPLACE_POWER) {
            plain = op + MP_BINARY_OP_OR - MP_BINARY_OP_INPLACE_OR;
        }
        V r = b->kind == K_INST && binop_reflected[plain] ? try_special(b, binop_reflected[plain], 1, &a) : NULL;
        if (r) {
            return r;
        }
        /* x != B() without B.__ne__: not B.__eq__(x), as for the left operand */
        r = op == MP_BINARY_OP_NOT_EQUAL && b->kind == K_INST ? try_special(b, "__eq__", 1, &a) : NULL;
        if (r) {
            return mk_bool(!truthy(r));
        }
    }
    if (a->kind == K_INST && a->u.inst.native_value) {
        a = a->u.inst.native_value;
    }
    if (b->kind == K_INST && b->u.inst.native_value) {
        b = b->u.inst.native_value;
    }
    if (a->kind == K_BYTEARRAY || a->kind == K_ARRAY || a->kind == K_MEMVIEW
        || (a->kind == K_BYTES && (b->kind == K_BYTEARRAY || b->kind == K_ARRAY || b->kind == K_MEMVIEW))) {
        V r = lib_buffer_binary(op, a, b);
        if (r) {
            return r;
        }
    }
    int plain = op;
    if (op >= MP_BINARY_OP_INPLACE_OR && op <= MP_BINARY_OP_INPLACE_POWER) {
        plain = op + MP_BINARY_OP_OR - MP_BINARY_OP_INPLACE_OR;
    }
    int ai = a->kind == K_INT || a->kind == K_BOOL || a->kind == K_BIG;
    int bi = b->kind == K_INT || b->kind == K_BOOL || b->kind == K_BIG;
    if (ai && bi) {
        if (a->kind == K_BOOL && b->kind == K_BOOL && (plain == MP_BINARY_OP_AND || plain == MP_BINARY_OP_OR || plain == MP_BINARY_OP_XOR)) {
            V r = int_binary(plain, a, b);
            return mk_bool(r->u.i != 0);
        }
        V r = int_binary(plain, a, b);
        if (r) {
            return r;
        }
    }
    if ((a->kind == K_COMPLEX || b->kind == K_COMPLEX) && (ai || a->kind == K_FLOAT || a->kind == K_COMPLEX)
        && (bi || b->kind == K_FLOAT || b->kind == K_COMPLEX)) {
        double ar = a->kind == K_COMPLEX ? a->u.cplx.re : to_double(a), aim = a->kind == K_COMPLEX ? a->u.cplx.im : 0;
        double br = b->kind == K_COMPLEX ? b->u.cplx.re : to_double(b), bim = b->kind == K_COMPLEX ? b->u.cplx.im : 0;
        V r = complex_binary(plain, ar, aim, br, bim);
        if (r) {
            return r;
        }
    }
    if ((ai || a->kind == K_FLOAT) && (bi || b->kind == K_FLOAT)) {
        V r = float_binary(plain, to_double(a), to_double(b));
        if (r) {
            return r;
        }
    }
    if (plain == MP_BINARY_OP_EQUAL || plain == MP_BINARY_OP_NOT_EQUAL) {
        int eq = 0;
        if (a->kind == b->kind && (a->kind == K_STR || a->kind == K_BYTES)) {
            eq = a->u.str.len == b->u.str.len && memcmp(a->u.str.s, b->u.str.s, a->u.str.len) == 0;
        } else if (a->kind == b->kind && (a->kind == K_TUPLE || a->kind == K_LIST)) {
            eq = seq_cmp(a->u.seq.items, a->u.seq.n, b->u.seq.items, b->u.seq.n, MP_BINARY_OP_EQUAL);
        } else if (a->kind == K_DICT && b->kind == K_DICT) {
            eq = a->u.map.live == b->u.map.live;
            for (size_t i = 0; eq && i < a->u.map.n; i++) {
                if (a->u.map.e[i].key) {
                    V o = table_get(&b->u.map, a->u.map.e[i].key);
                    eq = o && equal(o, a->u.map.e[i].value);
                }
            }
        } else if ((a->kind == K_SET || a->kind == K_FROZENSET) && (b->kind == K_SET || b->kind == K_FROZENSET)) {
            eq = a->u.map.live == b->u.map.live;
            for (size_t i = 0; eq && i < a->u.map.n; i++) {
                if (a->u.map.e[i].key) {
                    eq = table_get(&b->u.map, a->u.map.e[i].key) != NULL;
                }
            }
        } else {
            /* ranges too: without MICROPY_PY_BUILTINS_RANGE_BINOP they compare by identity */
            eq = a == b;
        }
        return mk_bool(plain == MP_BINARY_OP_EQUAL ? eq : !eq);
    }
    if (a->kind == b->kind && (a->kind == K_STR || a->kind == K_BYTES)) {
        if (plain == MP_BINARY_OP_ADD) {
            return str_concat(a, b);
        }
        if (plain >= MP_BINARY_OP_LESS && plain <= MP_BINARY_OP_MORE_EQUAL) {
            size_t n = a->u.str.len < b->u.str.len ? a->u.str.len : b->u.str.len;
            int c = memcmp(a->u.str.s, b->u.str.s, n);
            if (c == 0) {
                c = a->u.str.len < b->u.str.len ? -1 : a->u.str.len > b->u.str.len;
            }
            switch (plain) {
                case MP_BINARY_OP_LESS: return mk_bool(c < 0);
                case MP_BINARY_OP_MORE: return mk_bool(c > 0);
                case MP_BINARY_OP_LESS_EQUAL: return mk_bool(c <= 0);
                default: return mk_bool(c >= 0);
            }
        }
    }
    if ((a->kind == K_STR || a->kind == K_BYTES) && plain == MP_BINARY_OP_MODULO) {
        return str_format_percent(a, b);
    }
    if (a->kind == b->kind && (a->kind == K_TUPLE || a->kind == K_LIST)) {
        if (plain == MP_BINARY_OP_ADD) {
            if (op == MP_BINARY_OP_INPLACE_ADD && a->kind == K_LIST) {
                size_t n = b->u.seq.n;
                for (size_t i = 0; i < n; i++) {
                    list_append(a, b->u.seq.items[i]);
                }
                return a;
            }
            V r = mk_list(a->u.seq.n, a->u.seq.items);
            for (size_t i = 0; i < b->u.seq.n; i++) {
                list_append(r, b->u.seq.items[i]);
            }
            r->kind = a->kind;
            r->cls = a->cls;
            return r;
        }
        if (plain >= MP_BINARY_OP_LESS && plain <= MP_BINARY_OP_MORE_EQUAL) {
            return mk_bool(seq_cmp(a->u.seq.items, a->u.seq.n, b->u.seq.items, b->u.seq.n, plain));
        }
    }
    if (a->kind == K_LIST && op == MP_BINARY_OP_INPLACE_ADD) {
        V it = get_iter(b), x;
        while ((x = iter_next(it))) {
            list_append(a, x);
        }
        return a;
    }
    if (plain == MP_BINARY_OP_MULTIPLY) {
        if ((a->kind == K_STR || a->kind == K_BYTES || a->kind == K_LIST || a->kind == K_TUPLE) && bi) {
            return repeat_seq(a, to_int64(b));
        }
        if ((b->kind == K_STR || b->kind == K_BYTES || b->kind == K_LIST || b->kind == K_TUPLE) && ai) {
            return repeat_seq(b, to_int64(a));
        }
    }
    if ((a->kind == K_SET || a->kind == K_FROZENSET) && (b->kind == K_SET || b->kind == K_FROZENSET)) {
        V r = set_binary(op, a, b);
        if (r) {
            return r;
        }
    }
    if (a->kind == K_DICT && b->kind == K_DICT && plain == MP_BINARY_OP_OR) {
        V r = op == plain ? mk_dict() : a;
        if (op == plain) {
            for (size_t i = 0; i < a->u.map.n; i++) {
                if (a->u.map.e[i].key) {
                    table_set(&r->u.map, a->u.map.e[i].key, a->u.map.e[i].value);
                }
            }
        }
        for (size_t i = 0; i < b->u.map.n; i++) {
            if (b->u.map.e[i].key) {
                table_set(&r->u.map, b->u.map.e[i].key, b->u.map.e[i].value);
            }
        }
        return r;
    }
    if (plain == MP_BINARY_OP_EQUAL) {
        return mk_bool(a == b);
    }
    raise_msg(E_TypeError, "unsupported types for %s: '%s', '%s'", binop_symbol[op], type_of(a)->u.cls.name,
        type_of(b)->u.cls.name);
}

V unary_op(int op, V a) {
    if (op == MP_UNARY_OP_NOT) {
        return mk_bool(!truthy(a));
    }
    if (a->kind == K_INST) {
        static const char *names[] = {"__pos__", "__neg__", "__invert__"};
        V r = try_special(a, names[op], 0, NULL);
        if (r) {
            return r;
        }
        if (a->u.inst.native_value) {
            a = a->u.inst.native_value;
        }
    }
    if (a->kind == K_INT || a->kind == K_BOOL || a->kind == K_BIG) {
        switch (op) {
            case MP_UNARY_OP_POSITIVE: return a->kind == K_BOOL ? mk_int(a->u.i) : a;
            case MP_UNARY_OP_NEGATIVE: return binary_op(MP_BINARY_OP_SUBTRACT, mk_int(0), a);
            case MP_UNARY_OP_INVERT:
                return binary_op(MP_BINARY_OP_SUBTRACT, mk_int(-1), a);
        }
    }
    if (a->kind == K_COMPLEX) {
        if (op == MP_UNARY_OP_POSITIVE) {
            return a;
        }
        if (op == MP_UNARY_OP_NEGATIVE) {
            return mk_complex(-a->u.cplx.re, -a->u.cplx.im);
        }
    }
    if (a->kind == K_FLOAT) {
        if (op == MP_UNARY_OP_POSITIVE) {
            return a;
        }
        if (op == MP_UNARY_OP_NEGATIVE) {
            return mk_float(-a->u.f);
        }
    }
    static const char *sym[] = {"+", "-", "~"};
    raise_msg(E_TypeError, "unsupported type for %s: '%s'", sym[op], type_of(a)->u.cls.name);
}

/* ---- repr / str ---- */

typedef struct {
    char *s;
    size_t n, cap;
} sbuf;

static void sb_add(sbuf *b, const char *s, size_t n) {
    if (b->n + n + 1 > b->cap) {
        size_t cap = (b->cap + n) * 2 + 16;
        char *p = gc_alloc(cap);
        if (b->n) {
            mem_copy(p, b->s, b->n);
        }
        b->s = p;
        b->cap = cap;
    }
    mem_copy(b->s + b->n, s, n);
    b->n += n;
}

static void sb_cstr(sbuf *b, const char *s) {
    sb_add(b, s, strlen(s));
}

static void sb_v(sbuf *b, V s) {
    sb_add(b, s->u.str.s, s->u.str.len);
}

static V str_repr(V s) {
    sbuf b = {0};
    const char *p = s->u.str.s;
    size_t n = s->u.str.len;
    int has_sq = memchr(p, '\'', n) != NULL, has_dq = memchr(p, '"', n) != NULL;
    char q = has_sq && !has_dq ? '"' : '\'';
    if (s->kind == K_BYTES) {
        sb_cstr(&b, "b");
    }
    sb_add(&b, &q, 1);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        char tmp[8];
        if (c == (unsigned char)q || c == '\\') {
            tmp[0] = '\\';
            tmp[1] = (char)c;
            sb_add(&b, tmp, 2);
        } else if (c == '\n') {
            sb_cstr(&b, "\\n");
        } else if (c == '\r') {
            sb_cstr(&b, "\\r");
        } else if (c == '\t') {
            sb_cstr(&b, "\\t");
        } else if (c < 0x20 || c == 0x7f || (c >= 0x80 && s->kind == K_BYTES)) {
            snprintf(tmp, sizeof tmp, "\\x%02x", c);
            sb_cstr(&b, tmp);
        } else if (c >= 0x80) {
            /* py/objstr.c mp_str_print_quoted: non-ASCII code points are escaped */
            uint32_t cp = c;
            size_t more = c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : c >= 0xc0 ? 1 : 0;
            cp &= more == 3 ? 0x07 : more == 2 ? 0x0f : more == 1 ? 0x1f : 0xff;
            for (size_t k = 0; k < more && i + 1 < n; k++) {
                cp = cp << 6 | ((unsigned char)p[++i] & 0x3f);
            }
            char esc[16];
            if (cp < 0x100) {
                snprintf(esc, sizeof esc, "\\x%02x", (unsigned)cp);
            } else if (cp < 0x10000) {
                snprintf(esc, sizeof esc, "\\u%04x", (unsigned)cp);
            } else {
                snprintf(esc, sizeof esc, "\\U%08x", (unsigned)cp);
            }
            sb_cstr(&b, esc);
        } else {
            sb_add(&b, (const char *)&c, 1);
        }
    }
    sb_add(&b, &q, 1);
    return mk_str(b.s, b.n);
}

V float_repr(double f) {
    char buf[64];
    if (isnan(f)) {
        return mk_cstr("nan");
    }
    if (isinf(f)) {
        return mk_cstr(f < 0 ? "-inf" : "inf");
    }
    int prec;
    for (prec = 1; prec <= 17; prec++) {
        fmt_double(buf, sizeof buf, f, 'e', prec - 1, 0, 0);
        if (strtod(buf, NULL) == f) {
            break;
        }
    }
    /* buf is d.ddde[+-]XX: rebuild in Python's repr style */
    char digits[32];
    int nd = 0, neg = buf[0] == '-';
    const char *p = buf + neg;
    for (; *p && *p != 'e'; p++) {
        if (*p != '.') {
            digits[nd++] = *p;
        }
    }
    int exp = atoi(p + 1);
    while (nd > 1 && digits[nd - 1] == '0') {
        nd--;
    }
    sbuf b = {0};
    if (neg) {
        sb_cstr(&b, "-");
    }
    if (exp >= -4 && exp < 16) {
        if (exp < 0) {
            sb_cstr(&b, "0.");
            for (int i = -1; i > exp; i--) {
                sb_cstr(&b, "0");
            }
            sb_add(&b, digits, (size_t)nd);
        } else {
            for (int i = 0; i <= exp; i++) {
                sb_add(&b, i < nd ? &digits[i] : "0", 1);
            }
            sb_cstr(&b, ".");
            if (nd > exp + 1) {
                sb_add(&b, digits + exp + 1, (size_t)(nd - exp - 1));
            } else {
                sb_cstr(&b, "0");
            }
        }
    } else {
        sb_add(&b, digits, 1);
        if (nd > 1) {
            sb_cstr(&b, ".");
            sb_add(&b, digits + 1, (size_t)(nd - 1));
        }
        snprintf(buf, sizeof buf, "e%c%02d", exp < 0 ? '-' : '+', exp < 0 ? -exp : exp);
        sb_cstr(&b, buf);
    }
    return mk_str(b.s, b.n);
}


V repr_of(V v) {
    stack_check();
    char buf[96];
    switch (v->kind) {
        case K_NONE: return mk_cstr("None");
        case K_BOOL: return mk_cstr(v->u.i ? "True" : "False");
        case K_INT: case K_BIG: return int_text(v, 10);
        case K_FLOAT: return float_repr(v->u.f);
        case K_COMPLEX: {
            /* py/objcomplex.c complex_print: "2j", "(1-2j)"; integral parts without ".0" */
            V im = float_repr(v->u.cplx.im);
            if (im->u.str.len > 2 && memcmp(im->u.str.s + im->u.str.len - 2, ".0", 2) == 0) {
                im = mk_str(im->u.str.s, im->u.str.len - 2);
            }
            if (v->u.cplx.re == 0 && !signbit(v->u.cplx.re)) {
                return str_concat(im, mk_cstr("j"));
            }
            V re = float_repr(v->u.cplx.re);
            if (re->u.str.len > 2 && memcmp(re->u.str.s + re->u.str.len - 2, ".0", 2) == 0) {
                re = mk_str(re->u.str.s, re->u.str.len - 2);
            }
            V sign = mk_cstr(im->u.str.s[0] == '-' ? "" : "+");
            return str_concat(str_concat(str_concat(str_concat(mk_cstr("("), re), sign), im), mk_cstr("j)"));
        }
        case K_STR: case K_BYTES: return str_repr(v);
        case K_ARRAY: return lib_array_repr(v);
        case K_STREAM: return lib_stream_repr(v);
        case K_DICTVIEW: return lib_dict_view_repr(v);
        case K_MEMVIEW:
            snprintf(buf, sizeof buf, "<memoryview>");
            return mk_cstr(buf);
        case K_BYTEARRAY: {
            V b = mk_bytes(v->u.str.s, v->u.str.len);
            return str_concat(str_concat(mk_cstr("bytearray("), str_repr(b)), mk_cstr(")"));
        }
        case K_ELLIPSIS: return mk_cstr("Ellipsis");
        case K_NULL: return mk_cstr("NotImplemented");   /* the only K_NULL a program can reach */
        case K_TUPLE: case K_LIST: {
            sbuf b = {0};
            sb_cstr(&b, v->kind == K_LIST ? "[" : "(");
            for (size_t i = 0; i < v->u.seq.n; i++) {
                if (i) {
                    sb_cstr(&b, ", ");
                }
                sb_v(&b, repr_of(v->u.seq.items[i]));
            }
            if (v->kind == K_TUPLE && v->u.seq.n == 1) {
                sb_cstr(&b, ",");
            }
            sb_cstr(&b, v->kind == K_LIST ? "]" : ")");
            return mk_str(b.s, b.n);
        }
        case K_DICT: case K_SET: case K_FROZENSET: {
            sbuf b = {0};
            if (v->kind != K_DICT && v->u.map.live == 0) {
                return mk_cstr(v->kind == K_SET ? "set()" : "frozenset()");
            }
            if (v->kind == K_FROZENSET) {
                sb_cstr(&b, "frozenset(");
            }
            sb_cstr(&b, "{");
            int first = 1;
            for (size_t i = 0; i < v->u.map.n; i++) {
                if (!v->u.map.e[i].key) {
                    continue;
                }
                if (!first) {
                    sb_cstr(&b, ", ");
                }
                first = 0;
                sb_v(&b, repr_of(v->u.map.e[i].key));
                if (v->kind == K_DICT) {
                    sb_cstr(&b, ": ");
                    sb_v(&b, repr_of(v->u.map.e[i].value));
                }
            }
            sb_cstr(&b, "}");
            if (v->kind == K_FROZENSET) {
                sb_cstr(&b, ")");
            }
            return mk_str(b.s, b.n);
        }
        case K_SLICE: {
            sbuf b = {0};
            sb_cstr(&b, "slice(");
            sb_v(&b, repr_of(v->u.slice.start));
            sb_cstr(&b, ", ");
            sb_v(&b, repr_of(v->u.slice.stop));
            sb_cstr(&b, ", ");
            sb_v(&b, repr_of(v->u.slice.step));
            sb_cstr(&b, ")");
            return mk_str(b.s, b.n);
        }
        case K_RANGE:
            if (v->u.range.step == 1) {
                snprintf(buf, sizeof buf, "range(%lld, %lld)", (long long)v->u.range.start, (long long)v->u.range.stop);
            } else {
                snprintf(buf, sizeof buf, "range(%lld, %lld, %lld)", (long long)v->u.range.start,
                    (long long)v->u.range.stop, (long long)v->u.range.step);
            }
            return mk_cstr(buf);
        case K_CLASS:
            snprintf(buf, sizeof buf, "<class '%.60s'>", v->u.cls.name);
            return mk_cstr(buf);
        case K_FUNC: {
            size_t n;
            const char *name = mpy_qstr_text(v->u.func.code->module, v->u.func.code->name, &n);
            snprintf(buf, sizeof buf, "<function %.*s at 0x%lx>", (int)(n > 40 ? 40 : n), name,
                OBJ_ADDR(v));
            return mk_cstr(buf);
        }
        case K_NATIVE:
            snprintf(buf, sizeof buf, "<function %.60s>", v->u.native.name);
            return mk_cstr(buf);
        case K_BOUND:
            return mk_cstr("<bound_method>");
        case K_GEN:
            snprintf(buf, sizeof buf, "<generator object at 0x%lx>", OBJ_ADDR(v));
            return mk_cstr(buf);
        case K_MODULE:
            snprintf(buf, sizeof buf, "<module '%.60s'>", v->u.module.name);
            return mk_cstr(buf);
        case K_SUPER:   /* py/objtype.c super_print */
            return str_concat(str_concat(str_concat(mk_cstr("<super: "), repr_of(v->u.bound.fn)),
                str_concat(mk_cstr(", "), repr_of(v->u.bound.self))), mk_cstr(">"));
        case K_INST: {
            V r = try_special(v, "__repr__", 0, NULL);
            if (r) {
                return r;
            }
            if (is_subclass(v->cls, E_BaseException)) {
                sbuf b = {0};
                sb_cstr(&b, v->cls->u.cls.name);
                V a = v->u.inst.args;
                if (a->u.seq.n == 1) {
                    sb_cstr(&b, "(");
                    sb_v(&b, repr_of(a->u.seq.items[0]));
                    sb_cstr(&b, ")");
                } else {
                    sb_v(&b, repr_of(a));
                }
                return mk_str(b.s, b.n);
            }
            V fields = lookup_class_attr(v->cls, mk_cstr("_fields"));
            V nv = v->u.inst.native_value;
            if (fields && fields->kind == K_TUPLE && nv && nv->kind == K_TUPLE) {
                /* namedtuple: P(x=1, y=2) */
                sbuf b = {0};
                sb_cstr(&b, v->cls->u.cls.name);
                sb_cstr(&b, "(");
                for (size_t i = 0; i < fields->u.seq.n && i < nv->u.seq.n; i++) {
                    if (i) {
                        sb_cstr(&b, ", ");
                    }
                    sb_v(&b, str_of(fields->u.seq.items[i]));
                    sb_cstr(&b, "=");
                    sb_v(&b, repr_of(nv->u.seq.items[i]));
                }
                sb_cstr(&b, ")");
                return mk_str(b.s, b.n);
            }
            if (nv && nv->kind == K_LIST && v->cls->u.cls.name && strcmp(v->cls->u.cls.name, "deque") == 0) {
                return mk_cstr("<deque>");
            }
            if (v->u.inst.native_value) {
                return repr_of(v->u.inst.native_value);
            }
            snprintf(buf, sizeof buf, "<%.60s object at 0x%lx>", v->cls->u.cls.name, OBJ_ADDR(v));
            return mk_cstr(buf);
        }
        default:
            snprintf(buf, sizeof buf, "<%s>", type_of(v)->u.cls.name);
            return mk_cstr(buf);
    }
}

V str_of(V v) {
    stack_check();
    if (v->kind == K_STR) {
        return v;
    }
    if (v->kind == K_INST) {
        V r = try_special(v, "__str__", 0, NULL);
        if (r) {
            return r;
        }
        if (is_subclass(v->cls, E_BaseException)) {
            V a = v->u.inst.args;
            if (a->u.seq.n == 0) {
                return mk_cstr("");
            }
            const char *code = is_subclass(v->cls, E_OSError) && a->u.seq.n <= 2 ? lib_errno_name(a->u.seq.items[0]) : NULL;
            if (code) {
                char head[48];
                snprintf(head, sizeof head, "[Errno %d] %s", (int)a->u.seq.items[0]->u.i, code);
                V r = mk_cstr(head);
                return a->u.seq.n == 2 ? str_concat(str_concat(r, mk_cstr(": ")), str_of(a->u.seq.items[1])) : r;
            }
            if (a->u.seq.n == 1) {
                return str_of(a->u.seq.items[0]);
            }
            return repr_of(a);
        }
        if (v->u.inst.native_value && !lookup_class_attr(v->cls, mk_cstr("_fields"))
            && !lookup_class_attr(v->cls, mk_cstr("__repr__"))) {
            return str_of(v->u.inst.native_value);
        }
    }
    return repr_of(v);
}

void out_str(V s) {
    plat_write_out(s->u.str.s, s->u.str.len);
}

void out_cstr(const char *s) {
    plat_write_out(s, strlen(s));
}

/* ---- attributes ---- */

static int name_is(V name, const char *s) {
    size_t n = strlen(s);
    return name->u.str.len == n && memcmp(name->u.str.s, s, n) == 0;
}

/* A native found as a class attribute is a method (it binds) when the VM
 * defined it in a class of its own (OrderedDict.__repr__, deque.append,
 * object.__setattr__), not when Python code stored a builtin function in a
 * class (`f = abs`). */
static int natives_bind(V cls, V name) {
    V m = class_mro(cls);
    for (size_t i = 0; i < m->u.seq.n; i++) {
        V c = m->u.seq.items[i];
        if (table_get(&c->u.cls.dict->u.map, name)) {
            return !c->u.cls.from_python;
        }
    }
    return 0;
}

V get_attr_maybe(V o, V name) {
    if (name->u.str.len == 9 && memcmp(name->u.str.s, "__class__", 9) == 0) {
        return type_of(o);
    }
    if (o->kind == K_INST) {
        V r = table_get(&o->u.inst.dict->u.map, name);
        if (r) {
            return r;
        }
        if (name_is(name, "__dict__")) {
            return o->u.inst.dict;
        }
        V f = lookup_class_attr(o->cls, name);
        if (f) {
            if (f->kind == K_PROPERTY) {
                if (f->u.prop.fget == None) {
                    raise_msg(E_AttributeError, "unreadable attribute");
                }
                return call1(f->u.prop.fget, o);
            }
            if (f->kind == K_INST) {
                /* py/objtype.c (MICROPY_PY_DESCRIPTORS): a class attribute with __get__ */
                V get = lookup_class_attr(f->cls, mk_cstr("__get__"));
                if (get) {
                    V a[3] = {f, o, o->cls};
                    return call(get, 3, a, NULL);
                }
                return f;
            }
            if (f->kind == K_STATICMETHOD) {
                return f->u.wrap.fn;
            }
            if (f->kind == K_CLASSMETHOD) {
                return bind(f->u.wrap.fn, o->cls);
            }
            if (f->kind == K_FUNC || (f->kind == K_NATIVE && natives_bind(o->cls, name))) {
                return bind(f, o);
            }
            return f;   /* py/objtype.c: a class, an instance, a bound method or a builtin function stored in a class stays as it is */
        }
        if (o->u.inst.native_value) {
            V m = method_of_builtin(o->u.inst.native_value, name);
            if (m) {
                return m;
            }
        }
        if (is_subclass(o->cls, E_BaseException) && name->u.str.len == 4 && memcmp(name->u.str.s, "args", 4) == 0) {
            return o->u.inst.args;
        }
        if (is_subclass(o->cls, E_OSError) && name->u.str.len == 5 && memcmp(name->u.str.s, "errno", 5) == 0) {
            return o->u.inst.args->u.seq.n ? o->u.inst.args->u.seq.items[0] : None;
        }
        if (is_subclass(o->cls, E_OSError) && name->u.str.len == 8 && memcmp(name->u.str.s, "strerror", 8) == 0) {
            return o->u.inst.args->u.seq.n > 1 ? o->u.inst.args->u.seq.items[1] : None;
        }
        if (is_subclass(o->cls, E_StopIteration) && name->u.str.len == 5 && memcmp(name->u.str.s, "value", 5) == 0) {
            return o->u.inst.args->u.seq.n ? o->u.inst.args->u.seq.items[0] : None;
        }
        V fields = lookup_class_attr(o->cls, mk_cstr("_fields"));
        if (fields && fields->kind == K_TUPLE && o->u.inst.native_value && o->u.inst.native_value->kind == K_TUPLE) {
            for (size_t i = 0; i < fields->u.seq.n && i < o->u.inst.native_value->u.seq.n; i++) {
                if (equal(fields->u.seq.items[i], name)) {
                    return o->u.inst.native_value->u.seq.items[i];   /* namedtuple field */
                }
            }
        }
        V ga = lookup_class_attr(o->cls, mk_cstr("__getattr__"));
        if (ga) {
            V a[2] = {o, name};
            return call(ga, 2, a, NULL);
        }
        return NULL;
    }
    if (o->kind == K_CLASS) {
        V f = lookup_class_attr(o, name);
        if (f) {
            if (f->kind == K_STATICMETHOD) {
                return f->u.wrap.fn;
            }
            if (f->kind == K_CLASSMETHOD) {
                return bind(f->u.wrap.fn, o);
            }
            return f;
        }
        if (name->u.str.len == 8 && memcmp(name->u.str.s, "__name__", 8) == 0) {
            return mk_cstr(o->u.cls.name);
        }
        if (name_is(name, "__dict__")) {
            return lib_class_dict(o);
        }
        if (name->u.str.len == 9 && memcmp(name->u.str.s, "__bases__", 9) == 0) {
            /* py/objtype.c type_attr: every class but object has at least object as a base */
            if (o == T_object || o->u.cls.bases->u.seq.n) {
                return o->u.cls.bases;
            }
            return mk_tuple(1, &T_object);
        }
        return method_of_builtin(o, name);
    }
    if (o->kind == K_MODULE) {
        V r = table_get(&o->u.module.dict->u.map, name);
        return r || !name_is(name, "__dict__") ? r : o->u.module.dict;
    }
    if (o->kind == K_FUNC && name_is(name, "__globals__")) {
        return o->u.func.globals;
    }
    if (o->kind == K_COMPLEX && name->u.str.len == 4 && memcmp(name->u.str.s, "real", 4) == 0) {
        return mk_float(o->u.cplx.re);
    }
    if (o->kind == K_COMPLEX && name->u.str.len == 4 && memcmp(name->u.str.s, "imag", 4) == 0) {
        return mk_float(o->u.cplx.im);
    }
    if (o->kind == K_SLICE && name->u.str.len == 5 && memcmp(name->u.str.s, "start", 5) == 0) {
        return o->u.slice.start;
    }
    if (o->kind == K_SLICE && name->u.str.len == 4 && memcmp(name->u.str.s, "stop", 4) == 0) {
        return o->u.slice.stop;
    }
    if (o->kind == K_SLICE && name->u.str.len == 4 && memcmp(name->u.str.s, "step", 4) == 0) {
        return o->u.slice.step;
    }
    if (o->kind == K_SUPER) {
        V self = o->u.bound.self, cls = o->u.bound.fn;
        V mro = class_mro(self->kind == K_CLASS ? self : type_of(self));
        size_t i = 0;
        while (i < mro->u.seq.n && mro->u.seq.items[i] != cls) {
            i++;
        }
        for (i++; i < mro->u.seq.n; i++) {
            V f = table_get(&mro->u.seq.items[i]->u.cls.dict->u.map, name);
            if (f) {
                if (f->kind == K_PROPERTY) {
                    return call1(f->u.prop.fget, self);
                }
                if (f->kind == K_STATICMETHOD) {
                    return f->u.wrap.fn;
                }
                if (f->kind == K_CLASSMETHOD) {
                    return bind(f->u.wrap.fn, self->kind == K_CLASS ? self : type_of(self));
                }
                return self->kind == K_CLASS ? f : bind(f, self);
            }
        }
        return NULL;
    }
    if (o->kind == K_BOUND && name->u.str.len == 8 && memcmp(name->u.str.s, "__name__", 8) == 0) {
        return get_attr_maybe(o->u.bound.fn, name);
    }
    if (o->kind == K_FUNC && name->u.str.len == 8 && memcmp(name->u.str.s, "__name__", 8) == 0) {
        size_t n;
        const char *s = mpy_qstr_text(o->u.func.code->module, o->u.func.code->name, &n);
        return mk_str(s, n);
    }
    return method_of_builtin(o, name);
}

V get_attr(V o, V name) {
    V r = get_attr_maybe(o, name);
    if (!r) {
        if (o->kind == K_CLASS) {
            raise_msg(E_AttributeError, "type object '%s' has no attribute '%.*s'", o->u.cls.name,
                (int)name->u.str.len, name->u.str.s);
        }
        raise_msg(E_AttributeError, "'%s' object has no attribute '%.*s'", type_of(o)->u.cls.name,
            (int)name->u.str.len, name->u.str.s);
    }
    return r;
}

/* py/objtype.c (MICROPY_PY_DELATTR_SETATTR): a class's own __setattr__ or
 * __delattr__, not object's, takes every store or delete */
static V user_attr_hook(V o, const char *hook) {
    V f = o->kind == K_INST ? lookup_class_attr(o->cls, mk_cstr(hook)) : NULL;
    return f && f->kind != K_NATIVE ? f : NULL;
}

void set_attr(V o, V name, V v) {
    V hook = user_attr_hook(o, "__setattr__");
    if (hook) {
        V a[3] = {o, name, v};
        call(hook, 3, a, NULL);
        return;
    }
    set_attr_plain(o, name, v);
}

void del_attr(V o, V name) {
    V hook = user_attr_hook(o, "__delattr__");
    if (hook) {
        call2(hook, o, name);
        return;
    }
    del_attr_plain(o, name);
}

void set_attr_plain(V o, V name, V v) {
    if (lib_is_namedtuple_instance(o)) {
        raise_msg(E_AttributeError, "can't set attribute");
    }
    if (o->kind == K_INST) {
        V f = lookup_class_attr(o->cls, name);
        if (f && f->kind == K_PROPERTY) {
            if (!f->u.prop.fset || f->u.prop.fset == None) {
                raise_msg(E_AttributeError, "can't set attribute");
            }
            call2(f->u.prop.fset, o, v);
            return;
        }
        /* py/objtype.c (MICROPY_PY_DESCRIPTORS): a class attribute with __set__ */
        V set = f && f->kind == K_INST ? lookup_class_attr(f->cls, mk_cstr("__set__")) : NULL;
        if (set) {
            V a[3] = {f, o, v};
            call(set, 3, a, NULL);
            return;
        }
        table_set(&o->u.inst.dict->u.map, name, v);
        return;
    }
    if (o->kind == K_CLASS) {
        table_set(&o->u.cls.dict->u.map, name, v);
        return;
    }
    if (o->kind == K_MODULE && !o->u.module.builtin) {
        table_set(&o->u.module.dict->u.map, name, v);
        return;
    }
    raise_msg(E_AttributeError, "'%s' object has no attribute '%.*s'", type_of(o)->u.cls.name, (int)name->u.str.len,
        name->u.str.s);
}

void del_attr_plain(V o, V name) {
    if (o->kind == K_INST) {
        V f = lookup_class_attr(o->cls, name);
        if (f && f->kind == K_PROPERTY) {
            if (!f->u.prop.fdel || f->u.prop.fdel == None) {
                raise_msg(E_AttributeError, "can't delete attribute");
            }
            call1(f->u.prop.fdel, o);
            return;
        }
        V del = f && f->kind == K_INST ? lookup_class_attr(f->cls, mk_cstr("__delete__")) : NULL;
        if (del) {
            call2(del, f, o);
            return;
        }
    }
    if (o->kind == K_INST && table_del(&o->u.inst.dict->u.map, name)) {
        return;
    }
    if (o->kind == K_CLASS && table_del(&o->u.cls.dict->u.map, name)) {
        return;
    }
    if (o->kind == K_MODULE && !o->u.module.builtin && table_del(&o->u.module.dict->u.map, name)) {
        return;
    }
    raise_msg(E_AttributeError, "no attribute '%.*s'", (int)name->u.str.len, name->u.str.s);
}

void unsupported(const char *what) {
    char buf[200];
    snprintf(buf, sizeof buf, "unsupported: %s\n", what);
    plat_write_err(buf, strlen(buf));
    plat_exit(EXIT_UNSUPPORTED);
}
