/* deque.c: collections.deque as py/objdeque.c defines it:
 * deque(iterable, maxlen[, flags]) with maxlen required and >= 0; a full
 * deque drops from the other end, or raises IndexError("full") when flags
 * has bit 0 set; items are read and replaced by index (never by slice, and
 * never deleted). An instance keeps its items in a list (native_value) and
 * maxlen and flags in its dict. */
#include <string.h>

#include "lib.h"

static V items_of(V self) {
    if (self->kind != K_INST || !self->u.inst.native_value || self->u.inst.native_value->kind != K_LIST) {
        raise_msg(E_TypeError, "expected a deque");
    }
    return self->u.inst.native_value;
}

static int64_t limit(V self, int64_t *flags) {
    V m = dict_get_str(self->u.inst.dict, "maxlen"), f = dict_get_str(self->u.inst.dict, "_flags");
    *flags = f ? to_int64(f) : 0;
    return m ? to_int64(m) : 0;
}

static void drop_first(V l) {
    memmove(l->u.seq.items, l->u.seq.items + 1, (l->u.seq.n - 1) * sizeof(V));
    l->u.seq.n--;
}

/* add x at the right (or left); keeps at most maxlen items */
static void push(V self, V x, int left) {
    V l = items_of(self);
    int64_t flags, max = limit(self, &flags);
    if ((int64_t)l->u.seq.n >= max) {
        if (flags & 1) raise_msg(E_IndexError, "full");
        if (max == 0) return;
        if (left) l->u.seq.n--;
        else drop_first(l);
    }
    list_append(l, x);
    if (left) {
        memmove(l->u.seq.items + 1, l->u.seq.items, (l->u.seq.n - 1) * sizeof(V));
        l->u.seq.items[0] = x;
    }
}

static V deque_new(int n, V *a, V kw) {
    (void)kw;
    V o = obj_new(K_INST);
    o->cls = a[0];
    o->u.inst.dict = mk_dict();
    o->u.inst.native_value = mk_list(0, NULL);
    if (n == 1) return o;   /* a subclass instance's placeholder, made again with the arguments */
    if (n < 3 || n > 4) raise_msg(E_TypeError, "function takes 2 or 3 positional arguments");
    if (!is_int(a[2])) raise_msg(E_TypeError, "can't convert %s to int", type_of(a[2])->u.cls.name);
    if (to_int64(a[2]) < 0) raise_msg(E_ValueError, "maxlen must be >= 0");
    dict_set_str(o->u.inst.dict, "maxlen", a[2]);
    dict_set_str(o->u.inst.dict, "_flags", n > 3 ? a[3] : mk_int(0));
    V it = get_iter(a[1]), x;
    while ((x = iter_next(it))) push(o, x, 0);
    return o;
}

static V d_append(int n, V *a, V kw) { (void)kw; if (n != 2) raise_msg(E_TypeError, "function takes 2 positional arguments"); push(a[0], a[1], 0); return None; }
static V d_appendleft(int n, V *a, V kw) { (void)kw; if (n != 2) raise_msg(E_TypeError, "function takes 2 positional arguments"); push(a[0], a[1], 1); return None; }

static V d_extend(int n, V *a, V kw) {
    (void)kw;
    if (n != 2) raise_msg(E_TypeError, "function takes 2 positional arguments");
    V src = a[1] == a[0] ? mk_list(items_of(a[0])->u.seq.n, items_of(a[0])->u.seq.items) : a[1];
    V it = get_iter(src), x;
    while ((x = iter_next(it))) push(a[0], x, 0);
    return None;
}

static V d_popleft(int n, V *a, V kw) {
    (void)kw; (void)n;
    V l = items_of(a[0]);
    if (l->u.seq.n == 0) raise_msg(E_IndexError, "empty");
    V r = l->u.seq.items[0];
    drop_first(l);
    return r;
}

static V d_pop(int n, V *a, V kw) {
    (void)kw; (void)n;
    V l = items_of(a[0]);
    if (l->u.seq.n == 0) raise_msg(E_IndexError, "empty");
    return l->u.seq.items[--l->u.seq.n];
}

static V d_clear(int n, V *a, V kw) { (void)kw; (void)n; items_of(a[0])->u.seq.n = 0; return None; }

static int64_t index_of(V self, V idx) {
    if (!is_int(idx)) raise_msg(E_TypeError, "deque indices must be integers");
    V l = items_of(self);
    int64_t i = norm_index(to_int64(idx), l->u.seq.n, 0);
    if (i < 0 || i >= (int64_t)l->u.seq.n) raise_msg(E_IndexError, "deque index out of range");
    return i;
}

static V d_getitem(int n, V *a, V kw) {
    (void)kw; (void)n;
    return items_of(a[0])->u.seq.items[index_of(a[0], a[1])];
}

static V d_setitem(int n, V *a, V kw) {
    (void)kw; (void)n;
    items_of(a[0])->u.seq.items[index_of(a[0], a[1])] = a[2];
    return None;
}

static V d_delitem(int n, V *a, V kw) {
    (void)kw; (void)n; (void)a;
    raise_msg(E_TypeError, "'deque' object doesn't support item deletion");
}

V lib_deque_class(void) {
    V dq = mk_class("deque", mk_tuple(1, &T_object), NULL);
    static const struct { const char *name; native_fn fn; } fns[] = {
        {"__native_new__", deque_new}, {"append", d_append}, {"appendleft", d_appendleft}, {"extend", d_extend},
        {"popleft", d_popleft}, {"pop", d_pop}, {"clear", d_clear}, {"__getitem__", d_getitem},
        {"__setitem__", d_setitem}, {"__delitem__", d_delitem},
    };
    for (size_t i = 0; i < sizeof fns / sizeof fns[0]; i++) dict_set_str(dq->u.cls.dict, fns[i].name, mk_native(fns[i].name, fns[i].fn));
    return dq;
}
