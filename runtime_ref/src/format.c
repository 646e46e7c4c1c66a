/* format.c: str.format (and f-strings, which compile to it) and the %
 * operator of str and bytes, with the rules py/objstr.c and
 * py/mpprint.c follow:
 *
 *     format spec  [[fill]align][sign][#][0][width][,|_][.precision][type]
 *     % spec       %[(name)][flags -+ 0#][width|*][.precision|*]type
 *
 * Integers: b o x X d n c (and none); '#' adds 0b/0o/0x/0X; ',' and '_'
 * group by 3 (d) or 4 (b o x X), zero padding included ("0,016"). Floats:
 * e E f F g G n % (and none: repr, or g with a precision), formatted by
 * fmtfloat.c. Strings: s (and none); '0' fills with zeros on the left
 * alignment. bool formats as an int. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gc.h"
#include "lib.h"

V int_text(V v, int base);
V float_repr(double f);

/* a growing byte buffer */
typedef struct {
    char *s;
    size_t n, cap;
} text;

static void put(text *t, const char *p, size_t n) {
    if (t->n + n + 1 > t->cap) {
        size_t cap = t->cap ? t->cap : 32;
        while (cap < t->n + n + 1) cap *= 2;
        char *g = gc_alloc(cap);
        mem_copy(g, t->s, t->n);
        t->s = g;
        t->cap = cap;
    }
    mem_copy(t->s + t->n, p, n);
    t->n += n;
}

static void put_rep(text *t, const char *p, size_t n, size_t times) {
    for (size_t i = 0; i < times; i++) put(t, p, n);
}

static size_t chars_of(const char *p, size_t n) {
    size_t c = 0;
    for (size_t i = 0; i < n; i++) c += ((unsigned char)p[i] & 0xc0) != 0x80;
    return c;
}

typedef struct {
    char fill[4];       /* one character, UTF-8 */
    size_t fill_len;
    char align;         /* 0 (the type's default), < > ^ = */
    char sign;          /* 0, + - or space */
    char grouping;      /* 0 , _ */
    char type;          /* 0 or the type letter */
    int alt, zero;
    int64_t width, prec;   /* -1 when absent */
} spec_t;

static int is_align(char c) { return c == '<' || c == '>' || c == '^' || c == '='; }

static void parse_spec(const char *s, size_t n, spec_t *sp) {
    memset(sp, 0, sizeof *sp);
    sp->fill[0] = ' ';
    sp->fill_len = 1;
    sp->width = sp->prec = -1;
    size_t i = 0;
    /* [fill]align: the fill is one character, possibly multi-byte */
    size_t first = n ? 1 : 0;
    while (first < n && ((unsigned char)s[first] & 0xc0) == 0x80) first++;
    if (n > first && is_align(s[first])) {
        mem_copy(sp->fill, s, first);
        sp->fill_len = first;
        sp->align = s[first];
        i = first + 1;
    } else if (n && is_align(s[0])) {
        sp->align = s[0];
        i = 1;
    }
    if (i < n && (s[i] == '+' || s[i] == '-' || s[i] == ' ')) sp->sign = s[i++];
    if (i < n && s[i] == '#') { sp->alt = 1; i++; }
    if (i < n && s[i] == '0') { sp->zero = 1; i++; }
    if (i < n && s[i] >= '0' && s[i] <= '9') {
        sp->width = 0;
        while (i < n && s[i] >= '0' && s[i] <= '9') {
            sp->width = sp->width * 10 + (s[i++] - '0');
            if (sp->width > 100000) raise_msg(E_ValueError, "width too big");
        }
    }
    if (i < n && (s[i] == ',' || s[i] == '_')) sp->grouping = s[i++];
    if (i < n && s[i] == '.') {
        i++;
        if (i >= n || s[i] < '0' || s[i] > '9') raise_msg(E_ValueError, "format spec missing precision");
        sp->prec = 0;
        while (i < n && s[i] >= '0' && s[i] <= '9') {
            sp->prec = sp->prec * 10 + (s[i++] - '0');
            if (sp->prec > 100000) raise_msg(E_ValueError, "precision too big");
        }
    }
    if (i < n) sp->type = s[i++];
    if (i != n) raise_msg(E_ValueError, "invalid format specifier");
}

/* body padded to the width; '=' puts the fill between the sign/prefix (head) and the rest */
static V padded(const char *head, size_t hn, const char *body, size_t bn, spec_t *sp, char dflt) {
    char align = sp->align ? sp->align : dflt;
    size_t have = hn + bn;   /* py/mpprint.c pads to a width in bytes, also for non-ASCII text */
    size_t padn = sp->width > (int64_t)have ? (size_t)sp->width - have : 0;
    size_t left = align == '>' ? padn : align == '^' ? padn / 2 : 0, right = align == '=' ? 0 : padn - left;
    text t = {0};
    if (align == '=') {
        put(&t, head, hn);
        put_rep(&t, sp->fill, sp->fill_len, padn);
    } else {
        put_rep(&t, sp->fill, sp->fill_len, left);
        put(&t, head, hn);
    }
    put(&t, body, bn);
    put_rep(&t, sp->fill, sp->fill_len, right);
    return mk_str(t.s ? t.s : "", t.n);
}

/* digits with a separator every `every` digits from the right */
static V grouped(const char *d, size_t n, char sep, int every) {
    text t = {0};
    for (size_t i = 0; i < n; i++) {
        if (i && (n - i) % (size_t)every == 0) put(&t, &sep, 1);
        put(&t, d + i, 1);
    }
    return mk_str(t.s ? t.s : "", t.n);
}

static V format_int(V v, spec_t *sp) {
    char type = sp->type ? sp->type : 'd';
    if (type == 'c') {
        if (sp->sign) raise_msg(E_ValueError, "Sign not allowed with integer format specifier 'c'");
        V r = lib_chr(to_int64(v));
        return padded("", 0, r->u.str.s, r->u.str.len, sp, '>');
    }
    int base = type == 'b' ? 2 : type == 'o' ? 8 : (type == 'x' || type == 'X') ? 16 : 10;
    if (type != 'd' && type != 'n' && base == 10) {
        raise_msg(E_ValueError, "unknown format code '%c' for object of type 'int'", type);
    }
    int neg = truthy(binary_op(MP_BINARY_OP_LESS, v, mk_int(0)));
    V mag = int_text(neg ? unary_op(MP_UNARY_OP_NEGATIVE, v) : v, base);
    if (type == 'X') for (size_t k = 0; k < mag->u.str.len; k++) if (mag->u.str.s[k] >= 'a') mag->u.str.s[k] = (char)(mag->u.str.s[k] - 32);
    char head[4];
    size_t hn = 0;
    if (neg) head[hn++] = '-';
    else if (sp->sign == '+' || sp->sign == ' ') head[hn++] = sp->sign;
    if (sp->alt && base != 10) {
        head[hn++] = '0';
        head[hn++] = type == 'b' ? 'b' : type == 'o' ? 'o' : type;
    }
    const char *d = mag->u.str.s;
    size_t dn = mag->u.str.len;
    if (sp->zero && !sp->align) {
        sp->align = '=';
        sp->fill[0] = '0';
        sp->fill_len = 1;
    }
    if (sp->grouping) {
        int every = base == 10 ? 3 : 4;
        V g = grouped(d, dn, sp->grouping, every);
        if (sp->align == '=' && sp->fill_len == 1 && sp->fill[0] == '0') {
            /* zero padding is grouped too, never starting with a separator */
            text z = {0};
            put(&z, d, dn);
            while ((int64_t)(hn + g->u.str.len) < sp->width) {
                text w = {0};
                put(&w, "0", 1);
                put(&w, z.s, z.n);
                z = w;
                g = grouped(z.s, z.n, sp->grouping, every);
            }
        }
        return padded(head, hn, g->u.str.s, g->u.str.len, sp, '>');
    }
    return padded(head, hn, d, dn, sp, '>');
}

static V format_float(double x, spec_t *sp) {
    char type = sp->type;
    int prec = sp->prec < 0 ? 6 : (int)sp->prec;
    char buf[512];
    if (type == 0 && sp->prec < 0) {
        V r = float_repr(x);
        size_t k = 0;
        if (!signbit(x) || isnan(x)) {
            if (sp->sign == '+' || sp->sign == ' ') buf[k++] = sp->sign;
        }
        mem_copy(buf + k, r->u.str.s, r->u.str.len);
        k += r->u.str.len;
        buf[k] = 0;
    } else {
        char t = type == 0 || type == 'n' ? 'g' : type == '%' ? 'f' : type;
        if (!strchr("eEfFgG", t)) raise_msg(E_ValueError, "unknown format code '%c' for object of type 'float'", type);
        fmt_double(buf, sizeof buf - 2, type == '%' ? x * 100 : x, t, prec, sp->sign == '+' || sp->sign == ' ' ? sp->sign : 0, sp->alt);
        if (type == '%') strcat(buf, "%");
    }
    size_t n = strlen(buf), hn = (buf[0] == '-' || buf[0] == '+' || buf[0] == ' ') ? 1 : 0;
    if (sp->zero && !sp->align) {
        sp->align = '=';
        sp->fill[0] = '0';
        sp->fill_len = 1;
    }
    return padded(buf, hn, buf + hn, n - hn, sp, '>');
}

static V format_text(V s, spec_t *sp) {
    if (sp->type && sp->type != 's') raise_msg(E_ValueError, "unknown format code '%c' for object of type 'str'", sp->type);
    if (sp->sign) raise_msg(E_ValueError, "sign not allowed in string format specifier");
    if (sp->align == '=') raise_msg(E_ValueError, "'=' alignment not allowed in string format specifier");
    const char *p = s->u.str.s;
    size_t n = s->u.str.len;
    if (sp->prec >= 0) {
        size_t b = 0;
        for (int64_t c = 0; b < n && c < sp->prec; c++) {
            b++;
            while (b < n && ((unsigned char)p[b] & 0xc0) == 0x80) b++;
        }
        n = b;
    }
    if (sp->zero && sp->fill_len == 1 && sp->fill[0] == ' ' && !sp->align) sp->fill[0] = '0';
    else if (sp->zero && sp->fill_len == 1 && sp->fill[0] == ' ') sp->fill[0] = '0';
    return padded("", 0, p, n, sp, '<');
}

V lib_format_value(V v, const char *spec, size_t n) {
    if (n == 0) return str_of(v);   /* bool prints as True/False, not as an int */
    spec_t sp;
    parse_spec(spec, n, &sp);
    V x = v->kind == K_INST && v->u.inst.native_value ? v->u.inst.native_value : v;
    if (x->kind == K_BOOL || x->kind == K_INT || x->kind == K_BIG) {
        if (sp.type && strchr("eEfFgG%", sp.type)) return format_float(to_double(x), &sp);
        return format_int(x->kind == K_BOOL ? mk_int(x->u.i) : x, &sp);
    }
    if (x->kind == K_FLOAT) {
        if (sp.type && strchr("bcdoxX", sp.type)) raise_msg(E_ValueError, "unknown format code '%c' for object of type 'float'", sp.type);
        return format_float(x->u.f, &sp);
    }
    return format_text(str_of(v), &sp);
}

/* ---- str.format ---- */

static V field_value(const char *name, size_t nlen, int n, V *args, V kw, int *auto_idx) {
    if (nlen == 0) {
        if (*auto_idx < 0) raise_msg(E_ValueError, "can't switch from manual field specification to automatic field numbering");
        if (*auto_idx >= n) raise_msg(E_IndexError, "tuple index out of range");
        return args[(*auto_idx)++];
    }
    if (name[0] >= '0' && name[0] <= '9') {
        if (*auto_idx > 0) raise_msg(E_ValueError, "can't switch from automatic field numbering to manual field specification");
        *auto_idx = -1;
        int64_t k = 0;
        for (size_t i = 0; i < nlen; i++) {
            if (name[i] < '0' || name[i] > '9') raise_msg(E_ValueError, "invalid field name");
            k = k * 10 + (name[i] - '0');
            if (k > 100000) break;
        }
        if (k >= n) raise_msg(E_IndexError, "tuple index out of range");
        return args[k];
    }
    V key = mk_str(name, nlen);
    V v = kw ? table_get(&kw->u.map, key) : NULL;
    if (!v) {
        V e = mk_exc(E_KeyError, NULL);
        e->u.inst.args = mk_tuple(1, &key);
        vm_raise(e);
    }
    return v;
}

V str_format_method(V fmt, int n, V *args, V kw) {
    const char *p = fmt->u.str.s;
    size_t len = fmt->u.str.len, i = 0;
    int auto_idx = 0;
    text out = {0};
    while (i < len) {
        char c = p[i];
        if (c == '}') {
            if (i + 1 < len && p[i + 1] == '}') {
                put(&out, "}", 1);
                i += 2;
                continue;
            }
            raise_msg(E_ValueError, "single '}' encountered in format string");
        }
        if (c != '{') {
            put(&out, p + i, 1);
            i++;
            continue;
        }
        if (i + 1 < len && p[i + 1] == '{') {
            put(&out, "{", 1);
            i += 2;
            continue;
        }
        /* {name[!conv][:spec]}, the spec holding at most nested {fields} */
        size_t j = i + 1;
        while (j < len && p[j] != '}' && p[j] != '!' && p[j] != ':' && p[j] != '{') j++;
        if (j >= len) raise_msg(E_ValueError, "expected ':' after format specifier");
        if (p[j] == '{') raise_msg(E_ValueError, "unexpected '{' in field name");
        V v = NULL;
        const char *name = p + i + 1;
        size_t nlen = j - i - 1;
        char conv = 0;
        if (p[j] == '!') {
            if (j + 1 >= len) raise_msg(E_ValueError, "end of format while looking for conversion specifier");
            conv = p[j + 1];
            if (conv != 'r' && conv != 's') raise_msg(E_ValueError, "unknown conversion specifier %c", conv);
            j += 2;
            if (j >= len || (p[j] != ':' && p[j] != '}')) raise_msg(E_ValueError, "expected ':' after conversion specifier");
        }
        v = field_value(name, nlen, n, args, kw, &auto_idx);
        if (conv) v = conv == 'r' ? repr_of(v) : str_of(v);
        text spec = {0};
        if (p[j] == ':') {
            j++;
            int depth = 0;
            while (j < len && (p[j] != '}' || depth)) {
                if (p[j] == '{') {
                    size_t e = j + 1;
                    while (e < len && p[e] != '}') e++;
                    if (e >= len) raise_msg(E_ValueError, "unmatched '{' in format spec");
                    V a = field_value(p + j + 1, e - j - 1, n, args, kw, &auto_idx);
                    V s = str_of(a);
                    put(&spec, s->u.str.s, s->u.str.len);
                    j = e + 1;
                    continue;
                }
                put(&spec, p + j, 1);
                j++;
            }
            if (j >= len) raise_msg(E_ValueError, "unmatched '{' in format spec");
        }
        V s = spec.n || !conv ? lib_format_value(v, spec.s ? spec.s : "", spec.n) : v;
        put(&out, s->u.str.s, s->u.str.len);
        i = j + 1;
    }
    V r = mk_str(out.s ? out.s : "", out.n);
    if (fmt->kind == K_BYTES) {
        r->kind = K_BYTES;
        r->cls = T_bytes;
    }
    return r;
}

/* ---- the % operator ---- */

static V percent_int(V v, char type, int left, int zero, int alt, char sign, int64_t width, int64_t prec) {
    int base = type == 'o' ? 8 : (type == 'x' || type == 'X') ? 16 : 10;
    int neg = truthy(binary_op(MP_BINARY_OP_LESS, v, mk_int(0)));
    V mag = int_text(neg ? unary_op(MP_UNARY_OP_NEGATIVE, v) : v, base);
    if (type == 'X') for (size_t k = 0; k < mag->u.str.len; k++) if (mag->u.str.s[k] >= 'a') mag->u.str.s[k] = (char)(mag->u.str.s[k] - 32);
    text head = {0}, body = {0};
    if (neg) put(&head, "-", 1);
    else if (sign) put(&head, &sign, 1);
    if (alt && base != 10) {
        char pfx[2] = {'0', type == 'o' ? 'o' : type};
        put(&head, pfx, 2);
    }
    if (prec > (int64_t)mag->u.str.len) put_rep(&body, "0", 1, (size_t)prec - mag->u.str.len);
    put(&body, mag->u.str.s, mag->u.str.len);
    size_t have = head.n + body.n, padn = width > (int64_t)have ? (size_t)width - have : 0;
    text t = {0};
    if (left) {
        put(&t, head.s, head.n);
        put(&t, body.s, body.n);
        put_rep(&t, " ", 1, padn);
    } else if (zero) {
        put(&t, head.s, head.n);
        put_rep(&t, "0", 1, padn);
        put(&t, body.s, body.n);
    } else {
        put_rep(&t, " ", 1, padn);
        put(&t, head.s, head.n);
        put(&t, body.s, body.n);
    }
    return mk_str(t.s ? t.s : "", t.n);
}

static V padded_plain(V s, int left, int64_t width) {
    size_t have = s->u.str.len, padn = width > (int64_t)have ? (size_t)width - have : 0;   /* bytes, as above */
    text t = {0};
    if (!left) put_rep(&t, " ", 1, padn);
    put(&t, s->u.str.s, s->u.str.len);
    if (left) put_rep(&t, " ", 1, padn);
    return mk_str(t.s ? t.s : "", t.n);
}

V str_format_percent(V fmt, V args) {
    V *items;
    size_t na = (size_t)-1;
    V mapping = NULL;
    V a = args->kind == K_INST && args->u.inst.native_value ? args->u.inst.native_value : args;
    if (a->kind == K_TUPLE) {
        na = seq_items(a, &items);
    } else {
        items = &args;
        na = 1;
        if (a->kind == K_DICT) mapping = a;
    }
    int is_bytes = fmt->kind == K_BYTES;
    const char *p = fmt->u.str.s;
    size_t len = fmt->u.str.len, ai = 0;
    text out = {0};
    for (size_t i = 0; i < len; i++) {
        if (p[i] != '%') {
            put(&out, p + i, 1);
            continue;
        }
        size_t j = i + 1;
        if (j >= len) raise_msg(E_ValueError, "incomplete format");
        V v = NULL;
        if (p[j] == '(') {
            if (!mapping) raise_msg(E_TypeError, "format requires a dict");
            size_t e = j + 1;
            while (e < len && p[e] != ')') e++;
            if (e >= len) raise_msg(E_ValueError, "incomplete format key");
            V key = mk_str(p + j + 1, e - j - 1);
            if (ai == 0) na = 0;   /* a dict used as the map first is no longer a positional value */
            v = table_get(&mapping->u.map, key);
            if (!v) {
                V ex = mk_exc(E_KeyError, NULL);
                ex->u.inst.args = mk_tuple(1, &key);
                vm_raise(ex);
            }
            j = e + 1;
        }
        int left = 0, zero = 0, alt = 0;
        char sign = 0;
        for (; j < len && strchr("-+ 0#", p[j]) && p[j]; j++) {
            switch (p[j]) {
                case '-': left = 1; break;
                case '0': zero = 1; break;
                case '#': alt = 1; break;
                case '+': sign = '+'; break;
                default: if (sign != '+') sign = ' '; break;
            }
        }
        int64_t width = -1, prec = -1;
        if (j < len && p[j] == '*') {
            if (ai >= na) raise_msg(E_TypeError, "not enough arguments for format string");
            width = to_int64(items[ai++]);
            if (width < 0) { left = 1; width = -width; }
            j++;
        } else {
            while (j < len && p[j] >= '0' && p[j] <= '9') {
                width = (width < 0 ? 0 : width * 10) + (p[j++] - '0');
                if (width > 100000) raise_msg(E_ValueError, "width too big");
            }
        }
        if (j < len && p[j] == '.') {
            j++;
            prec = 0;
            if (j < len && p[j] == '*') {
                if (ai >= na) raise_msg(E_TypeError, "not enough arguments for format string");
                prec = to_int64(items[ai++]);
                j++;
            } else {
                while (j < len && p[j] >= '0' && p[j] <= '9') {
                    prec = prec * 10 + (p[j++] - '0');
                    if (prec > 100000) raise_msg(E_ValueError, "precision too big");
                }
            }
        }
        if (j >= len) raise_msg(E_ValueError, "incomplete format");
        char type = p[j];
        i = j;
        if (type == '%') {
            put(&out, "%", 1);
            continue;
        }
        if (!v) {
            if (ai >= na) raise_msg(E_TypeError, "not enough arguments for format string");
            v = items[ai++];
        }
        V s;
        switch (type) {
            case 'd': case 'i': case 'u': case 'o': case 'x': case 'X': {
                V x = v->kind == K_INST && v->u.inst.native_value ? v->u.inst.native_value : v;
                if (x->kind == K_FLOAT && (type == 'd' || type == 'i' || type == 'u')) x = int_from_double(x->u.f);
                if (x->kind == K_INST) {
                    V f = lookup_class_attr(x->cls, mk_cstr("__int__"));   /* py/objstr.c: %d of an object calls __int__ */
                    if (f) x = call1(f, x);
                }
                if (!is_int(x)) raise_msg(E_TypeError, "%%%c format: a number is required, not %s", type, type_of(x)->u.cls.name);
                if (x->kind == K_BOOL) x = mk_int(x->u.i);
                s = percent_int(x, type, left, zero, alt, sign, width, prec);
                break;
            }
            case 'e': case 'E': case 'f': case 'F': case 'g': case 'G': {
                char buf[512];
                fmt_double(buf, sizeof buf, to_double(v), type, prec < 0 ? 6 : (int)prec, sign, alt);
                size_t n = strlen(buf), hn = (buf[0] == '-' || buf[0] == '+' || buf[0] == ' ') ? 1 : 0;
                size_t padn = width > (int64_t)n ? (size_t)width - n : 0;
                text t = {0};
                if (left) {
                    put(&t, buf, n);
                    put_rep(&t, " ", 1, padn);
                } else if (zero) {
                    put(&t, buf, hn);
                    put_rep(&t, "0", 1, padn);
                    put(&t, buf + hn, n - hn);
                } else {
                    put_rep(&t, " ", 1, padn);
                    put(&t, buf, n);
                }
                s = mk_str(t.s, t.n);
                break;
            }
            case 'c': {
                if (is_int(v)) {
                    s = lib_chr(to_int64(v));
                } else if (v->kind == K_STR && chars_of(v->u.str.s, v->u.str.len) == 1) {
                    s = v;
                } else {
                    raise_msg(E_TypeError, "%%c requires int or char");
                }
                s = padded_plain(s, left, width);
                break;
            }
            case 's': case 'r': {
                V t = type == 'r' ? repr_of(v)
                    : (is_bytes && (v->kind == K_BYTES || v->kind == K_BYTEARRAY)) ? mk_str(v->u.str.s, v->u.str.len) : str_of(v);
                if (prec >= 0) {
                    size_t b = 0;
                    for (int64_t c = 0; b < t->u.str.len && c < prec; c++) {
                        b++;
                        while (b < t->u.str.len && ((unsigned char)t->u.str.s[b] & 0xc0) == 0x80) b++;
                    }
                    t = mk_str(t->u.str.s, b);
                }
                s = padded_plain(t, left, width);
                break;
            }
            default:
                raise_msg(E_ValueError, "unsupported format character '%c' (0x%x) at index %d", type, (unsigned)(unsigned char)type, (int)j);
        }
        put(&out, s->u.str.s, s->u.str.len);
    }
    if (!mapping && ai < na) raise_msg(E_TypeError, "format string needs fewer arguments");
    V r = mk_str(out.s ? out.s : "", out.n);
    if (is_bytes) {
        r->kind = K_BYTES;
        r->cls = T_bytes;
    }
    return r;
}
