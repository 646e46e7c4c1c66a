/* fmtfloat.c: floats as text, computed by the VM itself so that every
 * platform prints the same (a board's C library may round differently or
 * not format floats at all). A double is exactly M * 2^E; the digits are
 * that value scaled by a power of ten and rounded half to even with the
 * VM's big integers, the way C's printf rounds on a correct libc. */
#include <math.h>
#include <string.h>

#include "obj.h"

V int_text(V v, int base);

static V big(int op, V a, V b) {
    return binary_op(op, a, b);
}

static V pow10_of(int n) {
    return big(MP_BINARY_OP_POWER, mk_int(10), mk_int(n));
}

/* round(|x| * 10^p10), halves to even */
static V scaled_round(double x, int p10) {
    int e;
    double frac = frexp(fabs(x), &e);
    V num = mk_int((int64_t)ldexp(frac, 53)), den = mk_int(1);
    e -= 53;
    if (e >= 0) {
        num = big(MP_BINARY_OP_LSHIFT, num, mk_int(e));
    } else {
        den = big(MP_BINARY_OP_LSHIFT, den, mk_int(-e));
    }
    if (p10 >= 0) {
        num = big(MP_BINARY_OP_MULTIPLY, num, pow10_of(p10));
    } else {
        den = big(MP_BINARY_OP_MULTIPLY, den, pow10_of(-p10));
    }
    V q = big(MP_BINARY_OP_FLOOR_DIVIDE, num, den);
    V twice_r = big(MP_BINARY_OP_MULTIPLY, big(MP_BINARY_OP_MODULO, num, den), mk_int(2));
    if (compare_lt(den, twice_r) || (equal(twice_r, den) && truthy(big(MP_BINARY_OP_AND, q, mk_int(1))))) {
        q = big(MP_BINARY_OP_ADD, q, mk_int(1));
    }
    return q;
}

/* n significant digits of |x| (x finite) into digits; returns the decimal
 * exponent of the first one */
static int sig_digits(double x, int n, char *digits) {
    if (x == 0) {
        memset(digits, '0', (size_t)n);
        return 0;
    }
    int k = (int)floor(log10(fabs(x)));
    V q = NULL;
    for (int tries = 0; tries < 3; tries++) {
        q = scaled_round(x, n - 1 - k);
        if (!compare_lt(q, pow10_of(n))) {
            k++;
        } else if (compare_lt(q, pow10_of(n - 1))) {
            k--;
        } else {
            break;
        }
    }
    V t = int_text(q, 10);
    mem_copy(digits, t->u.str.s, (size_t)n);
    return k;
}

typedef struct {
    char *s;
    size_t n, cap;
} outbuf;

static void put(outbuf *o, const char *s, size_t n) {
    for (size_t i = 0; i < n && o->n + 1 < o->cap; i++) {
        o->s[o->n++] = s[i];
    }
    o->s[o->n] = 0;
}

static void put_exp(outbuf *o, char e, int k) {
    char t[8];
    int a = k < 0 ? -k : k, i = 0;
    t[i++] = e;
    t[i++] = k < 0 ? '-' : '+';
    if (a >= 100) {
        t[i++] = (char)('0' + a / 100);
    }
    t[i++] = (char)('0' + a / 10 % 10);
    t[i++] = (char)('0' + a % 10);
    put(o, t, (size_t)i);
}

/* d.ddd (prec digits after the point) and the exponent */
static void format_e(outbuf *o, double x, int prec, int alt, int upper) {
    char digits[400];
    int k = sig_digits(x, prec + 1, digits);
    put(o, digits, 1);
    if (prec > 0 || alt) {
        put(o, ".", 1);
    }
    put(o, digits + 1, (size_t)prec);
    put_exp(o, upper ? 'E' : 'e', k);
}

static void format_f(outbuf *o, double x, int prec, int alt) {
    V t = int_text(scaled_round(x, prec), 10);
    size_t n = t->u.str.len;
    const char *s = t->u.str.s;
    if (n <= (size_t)prec) {
        put(o, "0", 1);
    } else {
        put(o, s, n - (size_t)prec);
    }
    if (prec > 0 || alt) {
        put(o, ".", 1);
    }
    for (size_t i = n; i < (size_t)prec; i++) {
        put(o, "0", 1);
    }
    put(o, n > (size_t)prec ? s + n - (size_t)prec : s, n < (size_t)prec ? n : (size_t)prec);
}

/* %g: the shorter of e and f at prec significant digits, trailing zeros
 * dropped unless alt (C99 7.19.6.1) */
static void format_g(outbuf *o, double x, int prec, int alt, int upper) {
    char digits[400];
    if (prec == 0) {
        prec = 1;
    }
    int k = sig_digits(x, prec, digits);
    size_t start = o->n;
    if (k < prec && k >= -4) {
        format_f(o, x, prec - 1 - k, alt);
    } else {
        format_e(o, x, prec - 1, alt, upper);
    }
    if (alt) {
        return;
    }
    char *s = o->s + start;
    char *dot = strchr(s, '.');
    if (!dot) {
        return;
    }
    char *e = strpbrk(s, "eE");
    char *end = e ? e : o->s + o->n;
    char *z = end;
    while (z > dot + 1 && z[-1] == '0') {
        z--;
    }
    if (z == dot + 1) {
        z = dot;
    }
    size_t tail = (size_t)(o->s + o->n - end);
    memmove(z, end, tail + 1);
    o->n = (size_t)(z - o->s) + tail;
}

size_t fmt_double(char *buf, size_t cap, double x, char type, int prec, char sign, int alt) {
    outbuf o = {buf, 0, cap};
    buf[0] = 0;
    int upper = type == 'E' || type == 'F' || type == 'G';
    if (signbit(x) && !isnan(x)) {
        put(&o, "-", 1);
    } else if (sign == '+' || sign == ' ') {
        put(&o, &sign, 1);
    }
    if (isnan(x) || isinf(x)) {
        put(&o, isnan(x) ? (upper ? "NAN" : "nan") : (upper ? "INF" : "inf"), 3);
        return o.n;
    }
    if (prec > 300) {
        prec = 300;
    }
    if ((type == 'f' || type == 'F') && x != 0 && fabs(x) >= 10) {
        /* py/formatfloat.c: %f of a value whose digits do not fit the 33-byte buffer
         * of mp_print_float becomes %g with one more digit (8.888e32 "%.2f" is 8.89e+32) */
        int e = (int)floor(log10(fabs(x)));
        if (e + prec + 2 > 33) {
            type = upper ? 'G' : 'g';
            prec++;
        }
    }
    switch (type) {
        case 'e': case 'E': format_e(&o, x, prec, alt, upper); break;
        case 'f': case 'F': format_f(&o, x, prec, alt); break;
        default: format_g(&o, x, prec, alt, upper); break;
    }
    return o.n;
}

size_t fmt_double_spec(char *buf, size_t cap, double x, const char *spec, char type) {
    int left = 0, zero = 0, alt = 0, width = 0, prec = 6;
    char sign = 0;
    for (;; spec++) {
        if (*spec == '-') {
            left = 1;
        } else if (*spec == '0') {
            zero = 1;
        } else if (*spec == '#') {
            alt = 1;
        } else if (*spec == '+' || (*spec == ' ' && sign != '+')) {
            sign = *spec;
        } else {
            break;
        }
    }
    while (*spec >= '0' && *spec <= '9' && width < 1000) {
        width = width * 10 + *spec++ - '0';
    }
    if (*spec == '.') {
        prec = 0;
        for (spec++; *spec >= '0' && *spec <= '9' && prec < 1000; spec++) {
            prec = prec * 10 + *spec - '0';
        }
    }
    char core[400];
    size_t n = fmt_double(core, sizeof core, x, type, prec, sign, alt);
    size_t w = width > 0 && (size_t)width > n ? (size_t)width : n;
    if (w + 1 > cap) {
        w = cap - 1;
    }
    size_t pad = w > n ? w - n : 0;
    if (left) {
        mem_copy(buf, core, n);
        memset(buf + n, ' ', pad);
    } else if (zero && isfinite(x)) {
        size_t signs = core[0] == '-' || core[0] == '+' || core[0] == ' ';
        mem_copy(buf, core, signs);
        memset(buf + signs, '0', pad);
        mem_copy(buf + signs + pad, core + signs, n - signs);
    } else {
        memset(buf, ' ', pad);
        mem_copy(buf + pad, core, n);
    }
    buf[w] = 0;
    return w;
}
