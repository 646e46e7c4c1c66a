/* setmeth.c: the named methods of set and frozenset (union, intersection,
 * difference and symmetric_difference with their _update forms, update,
 * copy, issubset, issuperset, isdisjoint, __contains__). The methods take
 * any iterables, several where py/objset.c takes several (difference,
 * difference_update, update); the results of a frozenset's methods are
 * frozensets. */
#include "lib.h"

static V set_self(V v) {
    if (v->kind == K_INST && v->u.inst.native_value) v = v->u.inst.native_value;
    if (v->kind != K_SET && v->kind != K_FROZENSET) {
        raise_msg(E_TypeError, "descriptor requires a set, not '%s'", type_of(v)->u.cls.name);
    }
    return v;
}

static V copy_of(V s, int frozen) {
    V r = mk_set(frozen);
    for (size_t i = 0; i < s->u.map.n; i++) {
        if (s->u.map.e[i].key) table_set(&r->u.map, s->u.map.e[i].key, True);
    }
    return r;
}

/* an iterable as a set (itself when it is one) */
static V as_set(V o) {
    if (o->kind == K_INST && o->u.inst.native_value) o = o->u.inst.native_value;
    if (o->kind == K_SET || o->kind == K_FROZENSET) return o;
    V r = mk_set(0), it = get_iter(o), x;
    while ((x = iter_next(it))) table_set(&r->u.map, x, True);
    return r;
}

static void add_all(V dst, V src) {
    V it = get_iter(src), x;
    while ((x = iter_next(it))) table_set(&dst->u.map, x, True);
}

/* keep in dst only what `other` holds (keep = 1) or lacks (keep = 0) */
static void filter(V dst, V other, int keep) {
    V o = as_set(other);
    V gone = mk_list(0, NULL);
    for (size_t i = 0; i < dst->u.map.n; i++) {
        V k = dst->u.map.e[i].key;
        if (k && (table_get(&o->u.map, k) != NULL) != keep) list_append(gone, k);
    }
    for (size_t i = 0; i < gone->u.seq.n; i++) table_del(&dst->u.map, gone->u.seq.items[i]);
}

static void symdiff_into(V dst, V other) {
    V o = as_set(other);
    if (o == dst) o = copy_of(o, 0);
    for (size_t i = 0; i < o->u.map.n; i++) {
        V k = o->u.map.e[i].key;
        if (!k) continue;
        if (table_get(&dst->u.map, k)) table_del(&dst->u.map, k);
        else table_set(&dst->u.map, k, True);
    }
}

enum { UNION, INTERSECTION, DIFFERENCE, SYMDIFF };

static void apply(int what, V dst, V other) {
    switch (what) {
        case UNION: add_all(dst, other); break;
        case INTERSECTION: filter(dst, other, 1); break;
        case DIFFERENCE: filter(dst, other, 0); break;
        default: symdiff_into(dst, other); break;
    }
}

/* py/objset.c: difference, difference_update and update take any number of
 * iterables, the other operations exactly one */
static void arity(int n, int what) {
    if (n < 1) raise_msg(E_TypeError, "function takes at least 1 argument");
    if (what != DIFFERENCE && what != UNION && n != 2) raise_msg(E_TypeError, "function takes 2 positional arguments");
}

static V combined(int n, V *a, int what) {
    if (what == UNION && n != 2) raise_msg(E_TypeError, "function takes 2 positional arguments");
    arity(n, what);
    V s = set_self(a[0]);
    V r = copy_of(s, s->kind == K_FROZENSET);
    for (int i = 1; i < n; i++) apply(what, r, a[i]);
    return r;
}

static V updated(int n, V *a, int what) {
    arity(n, what);
    V s = set_self(a[0]);
    if (s->kind == K_FROZENSET) raise_msg(E_AttributeError, "'frozenset' object has no attribute 'update'");
    for (int i = 1; i < n; i++) apply(what, s, a[i]);
    return None;
}

V lib_set_union(int n, V *a, V kw) { (void)kw; return combined(n, a, UNION); }
V lib_set_intersection(int n, V *a, V kw) { (void)kw; return combined(n, a, INTERSECTION); }
V lib_set_difference(int n, V *a, V kw) { (void)kw; return combined(n, a, DIFFERENCE); }
V lib_set_symmetric_difference(int n, V *a, V kw) { (void)kw; return combined(n, a, SYMDIFF); }
V lib_set_update(int n, V *a, V kw) { (void)kw; return updated(n, a, UNION); }
V lib_set_intersection_update(int n, V *a, V kw) { (void)kw; return updated(n, a, INTERSECTION); }
V lib_set_difference_update(int n, V *a, V kw) { (void)kw; return updated(n, a, DIFFERENCE); }
V lib_set_symmetric_difference_update(int n, V *a, V kw) { (void)kw; return updated(n, a, SYMDIFF); }

V lib_set_copy(int n, V *a, V kw) {
    (void)kw;
    if (n != 1) raise_msg(E_TypeError, "function takes 1 positional argument");
    V s = set_self(a[0]);
    return copy_of(s, s->kind == K_FROZENSET);
}

/* every element of x in y */
static int within(V x, V y) {
    for (size_t i = 0; i < x->u.map.n; i++) {
        if (x->u.map.e[i].key && !table_get(&y->u.map, x->u.map.e[i].key)) return 0;
    }
    return 1;
}

static V relation(int n, V *a, int which) {
    if (n != 2) raise_msg(E_TypeError, "function takes 2 positional arguments");
    V s = set_self(a[0]), o = as_set(a[1]);
    if (which == 0) return mk_bool(within(s, o));
    if (which == 1) return mk_bool(within(o, s));
    for (size_t i = 0; i < s->u.map.n; i++) {
        if (s->u.map.e[i].key && table_get(&o->u.map, s->u.map.e[i].key)) return False;
    }
    return True;
}

V lib_set_issubset(int n, V *a, V kw) { (void)kw; return relation(n, a, 0); }
V lib_set_issuperset(int n, V *a, V kw) { (void)kw; return relation(n, a, 1); }
V lib_set_isdisjoint(int n, V *a, V kw) { (void)kw; return relation(n, a, 2); }

V lib_set_contains(int n, V *a, V kw) {
    (void)kw;
    if (n != 2) raise_msg(E_TypeError, "function takes 2 positional arguments");
    return mk_bool(table_get(&set_self(a[0])->u.map, a[1]) != NULL);
}
