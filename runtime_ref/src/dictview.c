/* dictview.c: dict.keys(), values() and items() as views (py/objdict.c's
 * dict_view): they follow the dict, iterate again each time, have a len,
 * support `in`, and print as dict_keys([...]).
 *
 *     u.iter.a  the dict     u.iter.j  0 keys | 1 values | 2 items */
#include "lib.h"

static V T_dict_view;
static const char *const view_names[] = {"dict_keys", "dict_values", "dict_items"};

V lib_dict_view(V d, int which) {
    V v = obj_new(K_DICTVIEW);
    v->cls = T_dict_view;
    v->u.iter.a = d;
    v->u.iter.j = which;
    return v;
}

V it_seq(V it);
V lib_dict_view_iter(V v) { return mk_iter(it_seq, v->u.iter.a, v->u.iter.j); }

size_t lib_dict_view_len(V v) { return v->u.iter.a->u.map.live; }

V lib_dict_view_repr(V v) {
    V r = str_concat(mk_cstr(view_names[v->u.iter.j]), mk_cstr("(["));
    V it = lib_dict_view_iter(v), x;
    int first = 1;
    while ((x = iter_next(it))) {
        if (!first) r = str_concat(r, mk_cstr(", "));
        r = str_concat(r, repr_of(x));
        first = 0;
    }
    return str_concat(r, mk_cstr("])"));
}

V lib_dict_view_contains(V v, V x) {
    V d = v->u.iter.a;
    if (v->u.iter.j == 0) return mk_bool(table_get(&d->u.map, x) != NULL);
    V it = lib_dict_view_iter(v), y;
    while ((y = iter_next(it))) {
        if (equal(y, x)) return True;
    }
    return False;
}

void lib_dict_view_init(void) {
    T_dict_view = lib_builtin_class("dict_view", K_DICTVIEW, NULL, T_object);
}
