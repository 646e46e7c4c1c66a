/* parsenum.c: float() and complex() from text, with the rules of
 * py/parsenum.c mp_parse_num_float: surrounding whitespace, a sign, "inf",
 * "infinity" and "nan" in any case, underscores anywhere in the digits,
 * and for complex a real part followed by an imaginary one ("1-2j", "j").
 * The digits themselves go to strtod, which rounds correctly. */
#include <math.h>
#include <stdlib.h>

#include "gc.h"
#include "lib.h"

static int is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static int word_at(const char *s, const char *top, const char *w) {
    size_t i = 0;
    for (; w[i]; i++) {
        if (s + i >= top || (s[i] | 0x20) != w[i]) {
            return 0;
        }
    }
    return 1;
}

/* One unsigned decimal [digits][.digits][e[sign]digits] with underscores
 * ignored; returns where it stopped (s itself when there is no number) or
 * NULL for an exponent with nothing after it. */
static const char *decimal(const char *s, const char *top, double *out) {
    char *buf = gc_alloc((size_t)(top - s) + 2);
    size_t n = 0;
    int in_frac = 0, in_exp = 0;
    while (s < top) {
        char c = *s;
        if (c >= '0' && c <= '9') {
            buf[n++] = c;
        } else if (c == '.' && !in_frac && !in_exp) {
            in_frac = 1;
            buf[n++] = c;
        } else if ((c | 0x20) == 'e' && !in_exp) {
            in_exp = 1;
            buf[n++] = 'e';
            if (s + 1 < top && (s[1] == '+' || s[1] == '-')) {
                buf[n++] = *++s;
            }
            if (s + 1 >= top) {
                return NULL;
            }
        } else if (c != '_') {
            break;
        }
        s++;
    }
    buf[n] = 0;
    *out = n ? strtod(buf, NULL) : 0.0;
    gc_free(buf);
    return s;
}

/* a signed real, or inf/nan; *start is where the value (after the sign) began */
static const char *signed_real(const char *s, const char *top, double *out, const char **start) {
    int neg = 0;
    if (s < top && (*s == '+' || *s == '-')) {
        neg = *s++ == '-';
    }
    *start = s;
    if (word_at(s, top, "inf")) {
        s += 3;
        *out = INFINITY;
        if (word_at(s, top, "inity")) {
            s += 5;
        }
    } else if (word_at(s, top, "nan")) {
        s += 3;
        *out = NAN;
    } else if (!(s = decimal(s, top, out))) {
        return NULL;
    }
    if (neg) {
        *out = -*out;
    }
    return s;
}

/* 1 if [s, s+len) is a number: *re, and with allow_imag an imaginary part
 * in *im (*is_complex set when one was written) */
int lib_parse_number(const char *s, size_t len, int allow_imag, double *re, double *im, int *is_complex) {
    const char *top = s + len;
    *re = *im = 0;
    *is_complex = 0;
    for (int part = 0; part < 2; part++) {
        while (s < top && is_space(*s)) {
            s++;
        }
        const char *start;
        double v;
        s = signed_real(s, top, &v, &start);
        if (!s) {
            return 0;
        }
        int imag = 0;
        if (allow_imag && s < top && (*s | 0x20) == 'j') {
            if (s == start) {
                v = v < 0 || (start > top - len && start[-1] == '-') ? -1.0 : 1.0;   /* "j" is 1j, "-j" -1j */
            }
            s++;
            imag = 1;
        } else if (s == start) {
            return 0;
        }
        while (s < top && is_space(*s)) {
            s++;
        }
        if (imag) {
            *im = v;
            *is_complex = 1;
            return s == top;
        }
        if (s == top) {
            if (part == 1) {
                return 0;   /* a second part that is not imaginary */
            }
            *re = v;
            return 1;
        }
        if (!allow_imag || part == 1) {
            return 0;
        }
        *re = v;   /* a real part: an imaginary one must follow */
    }
    return 0;
}
