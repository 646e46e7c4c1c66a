/* strsearch.c: the searching methods of str, bytes and bytearray
 * (find, rfind, index, rindex, count, startswith, endswith, partition,
 * rpartition) with their optional start/end window, as py/objstr.c reads
 * it: start and end are slice indices, clamped, counted in code points for
 * str and bytes otherwise; an empty window holds nothing. */
#include <string.h>

#include "lib.h"

/* The text a method works on: str/bytes/bytearray or a subclass instance. */
V lib_text_self(V v) {
    if (v->kind == K_INST && v->u.inst.native_value) v = v->u.inst.native_value;
    if (v->kind != K_STR && v->kind != K_BYTES && v->kind != K_BYTEARRAY) {
        raise_msg(E_TypeError, "descriptor requires a str or bytes, not '%s'", type_of(v)->u.cls.name);
    }
    return v;
}

/* The needle must have the haystack's type family (str with str, bytes-like with bytes-like). */
static V needle_of(V self, V x) {
    if (x->kind == K_INST && x->u.inst.native_value) x = x->u.inst.native_value;
    int self_str = self->kind == K_STR;
    int ok = self_str ? x->kind == K_STR : (x->kind == K_BYTES || x->kind == K_BYTEARRAY);
    if (!ok) {
        raise_msg(E_TypeError, "can't convert '%s' object to %s implicitly", type_of(x)->u.cls.name,
                  self_str ? "str" : "bytes");
    }
    return x;
}

static int is_cont(char c) { return ((unsigned char)c & 0xc0) == 0x80; }

/* A slice index (int or None) as a byte offset into s, clamped to [0, len]. */
size_t lib_text_offset(V s, V index, size_t dflt) {
    if (index == None) return dflt;
    if (!is_int(index)) {
        raise_msg(E_TypeError, "string indices must be integers, not %s", type_of(index)->u.cls.name);
    }
    int64_t i = to_int64(index);
    size_t len = s->u.str.len;
    const char *p = s->u.str.s;
    if (s->kind != K_STR) {
        if (i < 0) i += (int64_t)len;
        return i < 0 ? 0 : i > (int64_t)len ? len : (size_t)i;
    }
    if (i < 0) {
        size_t b = len;
        while (i < 0 && b > 0) {
            b--;
            while (b > 0 && is_cont(p[b])) b--;
            i++;
        }
        return b;
    }
    size_t b = 0;
    while (i > 0 && b < len) {
        b++;
        while (b < len && is_cont(p[b])) b++;
        i--;
    }
    return b;
}

/* args a[first], a[first + 1] (if given) as the byte window [*lo, *hi) */
static void window(V s, int n, V *a, int first, size_t *lo, size_t *hi) {
    *lo = n > first ? lib_text_offset(s, a[first], 0) : 0;
    *hi = n > first + 1 ? lib_text_offset(s, a[first + 1], s->u.str.len) : s->u.str.len;
}

static int64_t char_index(V s, size_t byte) {
    if (s->kind != K_STR) return (int64_t)byte;
    int64_t c = 0;
    for (size_t i = 0; i < byte; i++) c += !is_cont(s->u.str.s[i]);
    return c;
}

/* find/rfind/index/rindex: byte offset of the match or -1 */
static V finder(int n, V *a, int backwards, int is_index) {
    if (n < 2) raise_msg(E_TypeError, "function takes at least 2 arguments");
    V s = lib_text_self(a[0]);
    char one;
    const char *needle;
    size_t nlen;
    if (s->kind != K_STR && is_int(a[1])) {
        int64_t b = to_int64(a[1]);
        if (b < 0 || b > 255) raise_msg(E_ValueError, "bytes value out of range");
        one = (char)b;
        needle = &one;
        nlen = 1;
    } else {
        V x = needle_of(s, a[1]);
        needle = x->u.str.s;
        nlen = x->u.str.len;
    }
    size_t lo, hi;
    window(s, n, a, 2, &lo, &hi);
    if (hi >= lo && hi - lo >= nlen) {
        if (backwards) {
            for (size_t i = hi - nlen + 1; i-- > lo;) {
                if (memcmp(s->u.str.s + i, needle, nlen) == 0) return mk_int(char_index(s, i));
            }
        } else {
            for (size_t i = lo; i + nlen <= hi; i++) {
                if (memcmp(s->u.str.s + i, needle, nlen) == 0) return mk_int(char_index(s, i));
            }
        }
    }
    if (is_index) raise_msg(E_ValueError, "substring not found");
    return mk_int(-1);
}

V lib_str_find(int n, V *a, V kw) { (void)kw; return finder(n, a, 0, 0); }
V lib_str_rfind(int n, V *a, V kw) { (void)kw; return finder(n, a, 1, 0); }
V lib_str_index(int n, V *a, V kw) { (void)kw; return finder(n, a, 0, 1); }
V lib_str_rindex(int n, V *a, V kw) { (void)kw; return finder(n, a, 1, 1); }

V lib_str_count(int n, V *a, V kw) {
    (void)kw;
    if (n < 2) raise_msg(E_TypeError, "function takes at least 2 arguments");
    V s = lib_text_self(a[0]), x = needle_of(s, a[1]);
    size_t lo, hi;
    window(s, n, a, 2, &lo, &hi);
    if (hi < lo) hi = lo;
    size_t l = x->u.str.len;
    if (l == 0) return mk_int(char_index(s, hi) - char_index(s, lo) + 1);   /* every gap between characters */
    int64_t c = 0;
    for (size_t i = lo; i + l <= hi;) {
        if (memcmp(s->u.str.s + i, x->u.str.s, l) == 0) {
            c++;
            i += l;
        } else {
            i++;
        }
    }
    return mk_int(c);
}

static V affix(int n, V *a, int at_end) {
    if (n < 2) raise_msg(E_TypeError, "function takes at least 2 arguments");
    V s = lib_text_self(a[0]);
    size_t lo, hi;
    window(s, n, a, 2, &lo, &hi);
    size_t len = hi > lo ? hi - lo : 0;
    V *cands = &a[1];
    size_t nc = 1;
    if (a[1]->kind == K_TUPLE) {
        cands = a[1]->u.seq.items;
        nc = a[1]->u.seq.n;
    }
    for (size_t i = 0; i < nc; i++) {
        V x = needle_of(s, cands[i]);
        size_t l = x->u.str.len;
        if (l <= len && memcmp(s->u.str.s + lo + (at_end ? len - l : 0), x->u.str.s, l) == 0) return True;
    }
    return False;
}

V lib_str_startswith(int n, V *a, V kw) { (void)kw; return affix(n, a, 0); }
V lib_str_endswith(int n, V *a, V kw) { (void)kw; return affix(n, a, 1); }

static V same_kind(V like, const char *p, size_t len) {
    V r = mk_str(p, len);
    if (like->kind != K_STR) {
        r->kind = like->kind;
        r->cls = like->kind == K_BYTES ? T_bytes : T_bytearray;
    }
    return r;
}

static V partition(int n, V *a, int backwards) {
    if (n != 2) raise_msg(E_TypeError, "function takes 2 positional arguments");
    V s = lib_text_self(a[0]), sep = needle_of(s, a[1]);
    size_t l = sep->u.str.len, len = s->u.str.len;
    if (l == 0) raise_msg(E_ValueError, "empty separator");
    size_t at = (size_t)-1;
    if (l <= len) {
        if (backwards) {
            for (size_t i = len - l + 1; i-- > 0;) if (memcmp(s->u.str.s + i, sep->u.str.s, l) == 0) { at = i; break; }
        } else {
            for (size_t i = 0; i + l <= len; i++) if (memcmp(s->u.str.s + i, sep->u.str.s, l) == 0) { at = i; break; }
        }
    }
    V t[3];
    if (at == (size_t)-1) {
        V empty = same_kind(s, "", 0);
        V whole = same_kind(s, s->u.str.s, len);
        t[0] = backwards ? empty : whole;
        t[1] = same_kind(s, "", 0);
        t[2] = backwards ? whole : same_kind(s, "", 0);
    } else {
        t[0] = same_kind(s, s->u.str.s, at);
        t[1] = same_kind(s, sep->u.str.s, l);
        t[2] = same_kind(s, s->u.str.s + at + l, len - at - l);
    }
    return mk_tuple(3, t);
}

V lib_str_partition(int n, V *a, V kw) { (void)kw; return partition(n, a, 0); }
V lib_str_rpartition(int n, V *a, V kw) { (void)kw; return partition(n, a, 1); }
