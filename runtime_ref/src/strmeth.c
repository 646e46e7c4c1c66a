/* strmeth.c: the methods str, bytes and bytearray share (py/objstr.c
 * serves all three): split, rsplit, strip/lstrip/rstrip, replace,
 * center, splitlines, lower/upper, the is* predicates, join
 * and hex. Results have the receiver's type; an argument must be of the
 * receiver's family (str with str, bytes-like with bytes-like). */
#include <stdio.h>
#include <string.h>

#include "gc.h"
#include "lib.h"

/* a result of the receiver's type */
static V like(V self, const char *p, size_t n) {
    V r = mk_str(p, n);
    if (self->kind != K_STR) {
        r->kind = self->kind;
        r->cls = self->kind == K_BYTES ? T_bytes : T_bytearray;
    }
    return r;
}

static V arg_like(V self, V x) {
    if (x->kind == K_INST && x->u.inst.native_value) x = x->u.inst.native_value;
    int ok = self->kind == K_STR ? x->kind == K_STR : (x->kind == K_BYTES || x->kind == K_BYTEARRAY);
    if (!ok) {
        raise_msg(E_TypeError, "can't convert '%s' object to %s implicitly", type_of(x)->u.cls.name,
                  self->kind == K_STR ? "str" : "bytes");
    }
    return x;
}

static int is_space(int c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; }

static int64_t int_arg(V v) {
    if (!is_int(v)) raise_msg(E_TypeError, "can't convert %s to int", type_of(v)->u.cls.name);
    return to_int64(v);
}

V lib_text_split(int n, V *a, V kw) {
    (void)kw;
    if (n < 1 || n > 3) raise_msg(E_TypeError, "function takes from 1 to 3 positional arguments");
    V s = lib_text_self(a[0]);
    int64_t maxsplit = n > 2 ? int_arg(a[2]) : -1;
    const char *p = s->u.str.s;
    size_t len = s->u.str.len, i = 0;
    V out = mk_list(0, NULL);
    if (n < 2 || a[1] == None) {
        while (i < len) {
            while (i < len && is_space((unsigned char)p[i])) i++;
            if (i >= len) break;
            if (maxsplit == 0) {   /* the rest as it is, trailing whitespace included */
                list_append(out, like(s, p + i, len - i));
                break;
            }
            size_t j = i;
            while (j < len && !is_space((unsigned char)p[j])) j++;
            list_append(out, like(s, p + i, j - i));
            maxsplit--;
            i = j;
        }
        return out;
    }
    V sep = arg_like(s, a[1]);
    size_t l = sep->u.str.len, start = 0;
    if (l == 0) raise_msg(E_ValueError, "empty separator");
    while (i + l <= len && maxsplit != 0) {
        if (memcmp(p + i, sep->u.str.s, l) == 0) {
            list_append(out, like(s, p + start, i - start));
            i += l;
            start = i;
            maxsplit--;
        } else {
            i++;
        }
    }
    list_append(out, like(s, p + start, len - start));
    return out;
}

V lib_text_rsplit(int n, V *a, V kw) {
    if (n < 1 || n > 3) raise_msg(E_TypeError, "function takes from 1 to 3 positional arguments");
    V s = lib_text_self(a[0]);
    if (n < 3 || int_arg(a[2]) == -1) return lib_text_split(n, a, kw);
    if (a[1] == None) raise_msg(E_NotImplementedError, "rsplit(None,n)");
    V sep = arg_like(s, a[1]);
    int64_t maxsplit = int_arg(a[2]);
    size_t l = sep->u.str.len, end = s->u.str.len, i = s->u.str.len;
    if (l == 0) raise_msg(E_ValueError, "empty separator");
    V rev = mk_list(0, NULL);
    while (i >= l && maxsplit != 0) {
        size_t at = i - l;
        if (memcmp(s->u.str.s + at, sep->u.str.s, l) == 0) {
            list_append(rev, like(s, s->u.str.s + i, end - i));
            end = at;
            i = at;
            maxsplit--;
        } else {
            i--;
        }
    }
    list_append(rev, like(s, s->u.str.s, end));
    V out = mk_list(0, NULL);
    for (size_t k = rev->u.seq.n; k-- > 0;) list_append(out, rev->u.seq.items[k]);
    return out;
}

static V strip(int n, V *a, int left, int right) {
    if (n < 1 || n > 2) raise_msg(E_TypeError, "function takes 1 or 2 positional arguments");
    V s = lib_text_self(a[0]);
    const char *chars = " \t\n\r\v\f";
    size_t nchars = 6;
    if (n == 2 && a[1] != None) {
        V c = arg_like(s, a[1]);
        chars = c->u.str.s;
        nchars = c->u.str.len;
    }
    size_t lo = 0, hi = s->u.str.len;
    if (left) while (lo < hi && memchr(chars, s->u.str.s[lo], nchars)) lo++;
    if (right) while (hi > lo && memchr(chars, s->u.str.s[hi - 1], nchars)) hi--;
    if (lo == 0 && hi == s->u.str.len && s->kind != K_BYTEARRAY) return s;   /* nothing stripped: the same object */
    return like(s, s->u.str.s + lo, hi - lo);
}

V lib_text_strip(int n, V *a, V kw) { (void)kw; return strip(n, a, 1, 1); }
V lib_text_lstrip(int n, V *a, V kw) { (void)kw; return strip(n, a, 1, 0); }
V lib_text_rstrip(int n, V *a, V kw) { (void)kw; return strip(n, a, 0, 1); }

/* replace(old, new[, count]); an empty old inserts new before every character and at the end */
V lib_text_replace(int n, V *a, V kw) {
    (void)kw;
    if (n < 3 || n > 4) raise_msg(E_TypeError, "function takes 3 or 4 positional arguments");
    V s = lib_text_self(a[0]), old = arg_like(s, a[1]), new_ = arg_like(s, a[2]);
    int64_t count = n > 3 ? int_arg(a[3]) : -1;
    if (count < 0) count = INT64_MAX;
    const char *p = s->u.str.s;
    size_t len = s->u.str.len, ol = old->u.str.len, nl = new_->u.str.len;
    /* count the replacements first, then build */
    size_t hits = 0;
    if (ol == 0) {
        size_t chars = 0;
        for (size_t i = 0; i < len; i++) chars += s->kind != K_STR || ((unsigned char)p[i] & 0xc0) != 0x80;
        hits = chars + 1;
    } else {
        for (size_t i = 0; i + ol <= len;) {
            if (memcmp(p + i, old->u.str.s, ol) == 0) { hits++; i += ol; } else i++;
        }
    }
    if ((uint64_t)hits > (uint64_t)count) hits = (size_t)count;
    if (hits == 0) return like(s, p, len);
    size_t out_len = len + hits * nl - (ol ? hits * ol : 0);
    char *o = gc_alloc(out_len + 1), *w = o;
    size_t i = 0, done = 0;
    while (i < len || (ol == 0 && done < hits)) {
        if (done < hits && (ol == 0 || (i + ol <= len && memcmp(p + i, old->u.str.s, ol) == 0))) {
            mem_copy(w, new_->u.str.s, nl);
            w += nl;
            done++;
            if (ol) {
                i += ol;
                continue;
            }
        }
        if (i >= len) break;
        /* copy one character (a whole UTF-8 sequence for str) */
        size_t k = 1;
        if (s->kind == K_STR) while (i + k < len && ((unsigned char)p[i + k] & 0xc0) == 0x80) k++;
        mem_copy(w, p + i, k);
        w += k;
        i += k;
    }
    return like(s, o, (size_t)(w - o));
}

/* center(width): spaces only, the odd one on the right; the real VM (1.29) counts
 * the width in bytes, also for str (py/objstr.c str_center without the unicode path) */
V lib_text_center(int n, V *a, V kw) {
    (void)kw;
    if (n != 2) raise_msg(E_TypeError, "function takes 2 positional arguments");
    V s = lib_text_self(a[0]);
    int64_t width = int_arg(a[1]);
    size_t have = s->u.str.len;
    if (width <= (int64_t)have) return a[0];
    size_t pad = (size_t)width - have, left = pad / 2;
    char *o = gc_alloc(s->u.str.len + pad + 1);
    memset(o, ' ', s->u.str.len + pad);
    mem_copy(o + left, s->u.str.s, s->u.str.len);
    return like(s, o, s->u.str.len + pad);
}

/* lines end at \n, \r or \r\n */
V lib_text_splitlines(int n, V *a, V kw) {
    if (n < 1 || n > 2) raise_msg(E_TypeError, "function takes 1 or 2 positional arguments");
    V s = lib_text_self(a[0]);
    V keep = n > 1 ? a[1] : kw ? table_get(&kw->u.map, mk_cstr("keepends")) : NULL;
    int keepends = keep && truthy(keep);
    V out = mk_list(0, NULL);
    const char *p = s->u.str.s;
    size_t len = s->u.str.len, start = 0, i = 0;
    while (i < len) {
        if (p[i] == '\n' || p[i] == '\r') {
            size_t eol = i + (p[i] == '\r' && i + 1 < len && p[i + 1] == '\n' ? 2 : 1);
            list_append(out, like(s, p + start, (keepends ? eol : i) - start));
            start = i = eol;
        } else {
            i++;
        }
    }
    if (start < len) list_append(out, like(s, p + start, len - start));
    return out;
}

static V recase(int n, V *a, int up) {
    if (n != 1) raise_msg(E_TypeError, "function takes 1 positional argument");
    V s = lib_text_self(a[0]);
    char *o = gc_alloc(s->u.str.len + 1);
    for (size_t i = 0; i < s->u.str.len; i++) {
        char c = s->u.str.s[i];
        if (up && c >= 'a' && c <= 'z') c = (char)(c - 32);
        if (!up && c >= 'A' && c <= 'Z') c = (char)(c + 32);
        o[i] = c;
    }
    return like(s, o, s->u.str.len);
}

V lib_text_lower(int n, V *a, V kw) { (void)kw; return recase(n, a, 0); }
V lib_text_upper(int n, V *a, V kw) { (void)kw; return recase(n, a, 1); }

/* py/objstr.c str_uni_istype: empty is False; isupper/islower look at letters only and need one */
static V is_type(int n, V *a, int what) {
    if (n != 1) raise_msg(E_TypeError, "function takes 1 positional argument");
    V s = lib_text_self(a[0]);
    size_t len = s->u.str.len;
    if (len == 0) return False;
    int letters = 0;
    for (size_t i = 0; i < len; i++) {
        int c = (unsigned char)s->u.str.s[i];
        int alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'), digit = c >= '0' && c <= '9';
        switch (what) {
            case 's': if (!is_space(c)) return False; break;
            case 'a': if (!alpha) return False; break;
            case 'd': if (!digit) return False; break;
            case 'n': if (!alpha && !digit) return False; break;
            case 'u': if (c >= 'a' && c <= 'z') return False; letters += alpha; break;
            default: if (c >= 'A' && c <= 'Z') return False; letters += alpha; break;
        }
    }
    return mk_bool((what != 'u' && what != 'l') || letters > 0);
}

V lib_text_isspace(int n, V *a, V kw) { (void)kw; return is_type(n, a, 's'); }
V lib_text_isalpha(int n, V *a, V kw) { (void)kw; return is_type(n, a, 'a'); }
V lib_text_isdigit(int n, V *a, V kw) { (void)kw; return is_type(n, a, 'd'); }
V lib_text_isalnum(int n, V *a, V kw) { (void)kw; return is_type(n, a, 'n'); }
V lib_text_isupper(int n, V *a, V kw) { (void)kw; return is_type(n, a, 'u'); }
V lib_text_islower(int n, V *a, V kw) { (void)kw; return is_type(n, a, 'l'); }

V lib_text_join(int n, V *a, V kw) {
    (void)kw;
    if (n != 2) raise_msg(E_TypeError, "function takes 2 positional arguments");
    V s = lib_text_self(a[0]);
    V it = get_iter(a[1]), x;
    size_t cap = 64, len = 0, k = 0;
    char *o = gc_alloc(cap);
    while ((x = iter_next(it))) {
        if (x->kind == K_INST && x->u.inst.native_value) x = x->u.inst.native_value;
        int ok = s->kind == K_STR ? x->kind == K_STR : (x->kind == K_BYTES || x->kind == K_BYTEARRAY);
        if (!ok) raise_msg(E_TypeError, "join expects a list of %s objects", s->kind == K_STR ? "str/bytes" : "str/bytes");
        size_t need = len + (k ? s->u.str.len : 0) + x->u.str.len + 1;
        if (need > cap) {
            while (cap < need) cap *= 2;
            char *g = gc_alloc(cap);
            mem_copy(g, o, len);
            o = g;
        }
        if (k++) {
            mem_copy(o + len, s->u.str.s, s->u.str.len);
            len += s->u.str.len;
        }
        mem_copy(o + len, x->u.str.s, x->u.str.len);
        len += x->u.str.len;
    }
    return like(s, o, len);
}

/* bytes.hex([sep]): two digits a byte, sep between bytes */
V lib_bytes_hex(int n, V *a, V kw) {
    (void)kw;
    if (n < 1 || n > 2) raise_msg(E_TypeError, "function takes 1 or 2 positional arguments");
    lib_buf b;
    if (!lib_buffer(a[0], &b)) raise_msg(E_TypeError, "object with buffer protocol required");
    const char *sep = "";
    size_t sl = 0;
    if (n == 2) {
        V s = a[1];
        if (s->kind != K_STR && s->kind != K_BYTES) raise_msg(E_TypeError, "sep must be str or bytes");
        sep = s->u.str.s;
        sl = s->u.str.len;
    }
    size_t len = b.len ? b.len * 2 + (b.len - 1) * sl : 0;
    char *o = gc_alloc(len + 1), *w = o;
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < b.len; i++) {
        if (i) {
            mem_copy(w, sep, sl);
            w += sl;
        }
        *w++ = digits[(uint8_t)b.p[i] >> 4];
        *w++ = digits[(uint8_t)b.p[i] & 15];
    }
    return mk_str(o, len);
}

/* list.index / tuple.index(x[, start[, end]]) */
V lib_seq_index(int n, V *a, V kw) {
    (void)kw;
    if (n < 2 || n > 4) raise_msg(E_TypeError, "function takes from 2 to 4 positional arguments");
    V o = a[0]->kind == K_INST ? a[0]->u.inst.native_value : a[0];
    size_t len = o->u.seq.n;
    size_t lo = n > 2 ? (size_t)norm_index(int_arg(a[2]), len, 1) : 0;
    size_t hi = n > 3 ? (size_t)norm_index(int_arg(a[3]), len, 1) : len;
    for (size_t i = lo; i < hi && i < o->u.seq.n; i++) {
        if (equal(o->u.seq.items[i], a[1])) return mk_int((int64_t)i);
    }
    raise_msg(E_ValueError, "object not in sequence");
}
