/* int.c: arbitrary-precision integers. Values that fit in int64 are K_INT;
 * larger ones are K_BIG (sign + magnitude, base 2^32). Every result is
 * normalised back to K_INT when it fits. */
#include <math.h>
#include <string.h>

#include "gc.h"
#include "obj.h"
#include "platform.h"

typedef struct {
    uint32_t *d;
    int n, neg;
} big;

static big big_of(V v) {
    big b;
    if (v->kind == K_BIG) {
        b.d = v->u.big.d;
        b.n = v->u.big.n;
        b.neg = v->u.big.neg;
        return b;
    }
    int64_t i = v->u.i;
    uint64_t m = i < 0 ? (uint64_t)0 - (uint64_t)i : (uint64_t)i;
    b.d = gc_alloc(2 * sizeof(uint32_t));
    b.d[0] = (uint32_t)m;
    b.d[1] = (uint32_t)(m >> 32);
    b.n = b.d[1] ? 2 : b.d[0] ? 1 : 0;
    b.neg = i < 0;
    return b;
}

static V from_big(big b) {
    while (b.n > 0 && b.d[b.n - 1] == 0) {
        b.n--;
    }
    if (b.n <= 2) {
        uint64_t m = b.n == 0 ? 0 : b.n == 1 ? b.d[0] : ((uint64_t)b.d[1] << 32 | b.d[0]);
        if (m <= (uint64_t)INT64_MAX) {
            return mk_int(b.neg ? -(int64_t)m : (int64_t)m);
        }
        if (b.neg && m == (uint64_t)1 << 63) {
            return mk_int(INT64_MIN);
        }
    }
    V v = obj_new(K_BIG);
    v->cls = T_int;
    v->u.big.d = b.d;
    v->u.big.n = b.n;
    v->u.big.neg = b.n ? b.neg : 0;
    return v;
}

V normalize_big(V v) {
    return v->kind == K_BIG ? from_big(big_of(v)) : v;
}

static int cmp_mag(big a, big b) {
    if (a.n != b.n) {
        return a.n < b.n ? -1 : 1;
    }
    for (int i = a.n - 1; i >= 0; i--) {
        if (a.d[i] != b.d[i]) {
            return a.d[i] < b.d[i] ? -1 : 1;
        }
    }
    return 0;
}

static big add_mag(big a, big b) {
    big r;
    int n = (a.n > b.n ? a.n : b.n) + 1;
    r.d = gc_alloc((size_t)n * sizeof(uint32_t));
    uint64_t carry = 0;
    for (int i = 0; i < n; i++) {
        uint64_t s = carry + (i < a.n ? a.d[i] : 0) + (i < b.n ? b.d[i] : 0);
        r.d[i] = (uint32_t)s;
        carry = s >> 32;
    }
    r.n = n;
    r.neg = 0;
    return r;
}

static big sub_mag(big a, big b) {   /* |a| >= |b| */
    big r;
    r.d = gc_alloc((size_t)(a.n + 1) * sizeof(uint32_t));
    int64_t borrow = 0;
    for (int i = 0; i < a.n; i++) {
        int64_t s = (int64_t)a.d[i] - (i < b.n ? b.d[i] : 0) - borrow;
        borrow = s < 0;
        r.d[i] = (uint32_t)(s + (borrow ? ((int64_t)1 << 32) : 0));
    }
    r.n = a.n;
    r.neg = 0;
    return r;
}

static big big_add(big a, big b) {
    big r;
    if (a.neg == b.neg) {
        r = add_mag(a, b);
        r.neg = a.neg;
    } else if (cmp_mag(a, b) >= 0) {
        r = sub_mag(a, b);
        r.neg = a.neg;
    } else {
        r = sub_mag(b, a);
        r.neg = b.neg;
    }
    return r;
}

static big big_mul(big a, big b) {
    big r;
    r.n = a.n + b.n;
    r.d = gc_alloc((size_t)(r.n + 1) * sizeof(uint32_t));
    for (int i = 0; i < a.n; i++) {
        uint64_t carry = 0;
        for (int j = 0; j < b.n; j++) {
            uint64_t t = (uint64_t)a.d[i] * b.d[j] + r.d[i + j] + carry;
            r.d[i + j] = (uint32_t)t;
            carry = t >> 32;
        }
        r.d[i + b.n] = (uint32_t)carry;
    }
    r.neg = a.neg != b.neg;
    return r;
}

/* magnitude division, bit by bit (simple and small; fine for test sizes) */
static void divmod_mag(big a, big b, big *q, big *r) {
    q->n = a.n;
    q->d = gc_alloc((size_t)(a.n + 1) * sizeof(uint32_t));
    r->d = gc_alloc((size_t)(b.n + 2) * sizeof(uint32_t));
    r->n = 0;
    q->neg = r->neg = 0;
    for (int i = a.n * 32 - 1; i >= 0; i--) {
        /* r = r << 1 | bit */
        uint32_t carry = (a.d[i / 32] >> (i % 32)) & 1;
        for (int k = 0; k < r->n; k++) {
            uint32_t nc = r->d[k] >> 31;
            r->d[k] = r->d[k] << 1 | carry;
            carry = nc;
        }
        if (carry) {
            r->d[r->n++] = carry;
        }
        if (cmp_mag(*r, b) >= 0) {
            big t = sub_mag(*r, b);
            mem_copy(r->d, t.d, (size_t)t.n * sizeof(uint32_t));
            r->n = t.n;
            while (r->n > 0 && r->d[r->n - 1] == 0) {
                r->n--;
            }
            q->d[i / 32] |= (uint32_t)1 << (i % 32);
        }
    }
}

int is_int(V v) {
    return v->kind == K_INT || v->kind == K_BOOL || v->kind == K_BIG
        || (v->kind == K_INST && v->u.inst.native_value && is_int(v->u.inst.native_value));
}

static V unwrap(V v) {
    if (v->kind == K_BOOL) {
        return mk_int(v->u.i);
    }
    if (v->kind == K_INST && v->u.inst.native_value) {
        return v->u.inst.native_value;
    }
    return v;
}

V int_add(V a, V b) {
    return binary_op(MP_BINARY_OP_ADD, a, b);
}

int64_t to_int64(V v) {
    v = unwrap(v);
    if (v->kind == K_INT) {
        return v->u.i;
    }
    if (v->kind == K_BIG) {
        raise_msg(E_OverflowError, "overflow converting long int to machine word");
    }
    raise_msg(E_TypeError, "can't convert %s to int", type_of(v)->u.cls.name);
}

double to_double(V v) {
    v = unwrap(v);
    if (v->kind == K_FLOAT) {
        return v->u.f;
    }
    if (v->kind == K_INT) {
        return (double)v->u.i;
    }
    if (v->kind == K_BIG) {
        double r = 0;
        for (int i = v->u.big.n - 1; i >= 0; i--) {
            r = r * 4294967296.0 + v->u.big.d[i];
        }
        return v->u.big.neg ? -r : r;
    }
    if (v->kind == K_INST) {
        /* py/obj.c mp_obj_get_float_maybe: a class's __float__ */
        V f = lookup_class_attr(v->cls, mk_cstr("__float__"));
        if (f) {
            V r = call1(f, v);
            if (r->kind != K_FLOAT) {
                raise_msg(E_TypeError, "__float__ returned non-float (type %s)", type_of(r)->u.cls.name);
            }
            return r->u.f;
        }
    }
    raise_msg(E_TypeError, "can't convert %s to float", type_of(v)->u.cls.name);
}

static V int_divmod(V a, V b, int want_mod) {
    big x = big_of(a), y = big_of(b);
    if (y.n == 0) {
        raise_msg(E_ZeroDivisionError, "divide by zero");
    }
    big q, r;
    divmod_mag(x, y, &q, &r);
    q.neg = x.neg != y.neg;
    r.neg = x.neg;
    /* floor semantics: adjust when signs differ and remainder non-zero */
    int rnz = 0;
    for (int i = 0; i < r.n; i++) {
        rnz |= r.d[i] != 0;
    }
    if (rnz && x.neg != y.neg) {
        big one;
        uint32_t d1 = 1;
        one.d = &d1;
        one.n = 1;
        one.neg = 1;
        q = big_add(q, one);
        r = big_add(r, y);
    }
    return want_mod ? from_big(r) : from_big(q);
}

V int_text(V v, int base);
V int_binary(int op, V a, V b);

/* py/objint.c mp_obj_new_int_from_float: truncate toward zero, exactly; a
 * C cast is only defined inside the int64 range, so beyond it the
 * mantissa is shifted into a big int. */
V int_from_double(double x) {
    if (isinf(x)) {
        raise_msg(E_OverflowError, "can't convert inf to int");
    }
    if (isnan(x)) {
        raise_msg(E_ValueError, "can't convert NaN to int");
    }
    double t = trunc(x);
    if (t > -9.2e18 && t < 9.2e18) {
        return mk_int((int64_t)t);
    }
    int e;
    double frac = frexp(t, &e);   /* t = frac * 2^e, 0.5 <= |frac| < 1, e > 63 here */
    V mant = mk_int((int64_t)ldexp(frac, 53));
    return int_binary(MP_BINARY_OP_LSHIFT, mant, mk_int(e - 53));
}

static V int_pow(V a, V b) {
    big e = big_of(b);
    if (e.neg) {
        /* py/objint.c: a negative exponent makes it a float power (0 ** -1 is a ZeroDivisionError) */
        return binary_op(MP_BINARY_OP_POWER, mk_float(to_double(a)), mk_float(to_double(b)));
    }
    V result = mk_int(1), x = a;
    if (b->kind == K_BIG && a->kind == K_INT && a->u.i >= -1 && a->u.i <= 1) {
        /* an exponent beyond a machine word: only 0, 1 and -1 have a result that fits in memory */
        int odd = (int)(e.d[0] & 1);
        return mk_int(a->u.i == -1 ? (odd ? -1 : 1) : a->u.i);
    }
    int64_t n = to_int64(b);
    while (n > 0) {
        if (n & 1) {
            result = from_big(big_mul(big_of(result), big_of(x)));
        }
        n >>= 1;
        if (n) {
            x = from_big(big_mul(big_of(x), big_of(x)));
        }
    }
    return result;
}

static int64_t floordiv64(int64_t a, int64_t b) {
    int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0))) {
        q--;
    }
    return q;
}

/* two's complement words of b, n words long (sign-extended) */
static uint32_t *twos(big b, int n) {
    uint32_t *w = gc_alloc((size_t)n * sizeof(uint32_t));
    for (int i = 0; i < n; i++) {
        w[i] = i < b.n ? b.d[i] : 0;
    }
    if (b.neg) {
        uint64_t carry = 1;
        for (int i = 0; i < n; i++) {
            uint64_t t = (uint64_t)(uint32_t)~w[i] + carry;
            w[i] = (uint32_t)t;
            carry = t >> 32;
        }
    }
    return w;
}

static V big_bitwise(int op, big x, big y) {
    int n = (x.n > y.n ? x.n : y.n) + 1;
    uint32_t *a = twos(x, n), *b = twos(y, n);
    for (int i = 0; i < n; i++) {
        a[i] = op == MP_BINARY_OP_AND ? a[i] & b[i] : op == MP_BINARY_OP_OR ? a[i] | b[i] : a[i] ^ b[i];
    }
    big r;
    r.neg = (a[n - 1] >> 31) & 1;
    if (r.neg) {
        uint64_t carry = 1;
        for (int i = 0; i < n; i++) {
            uint64_t t = (uint64_t)(uint32_t)~a[i] + carry;
            a[i] = (uint32_t)t;
            carry = t >> 32;
        }
    }
    r.d = a;
    r.n = n;
    return from_big(r);
}

/* Integer binary operations; NULL if op is not an int operation. */
V int_binary(int op, V a, V b) {
    a = unwrap(a);
    b = unwrap(b);
    if (op >= MP_BINARY_OP_INPLACE_OR && op <= MP_BINARY_OP_INPLACE_POWER) {
        op += MP_BINARY_OP_OR - MP_BINARY_OP_INPLACE_OR;
    }
    if (a->kind == K_INT && b->kind == K_INT) {
        int64_t x = a->u.i, y = b->u.i, r;
        switch (op) {
            case MP_BINARY_OP_ADD:
                if (!((y > 0 && x > INT64_MAX - y) || (y < 0 && x < INT64_MIN - y))) {
                    return mk_int(x + y);
                }
                break;
            case MP_BINARY_OP_SUBTRACT:
                if (!((y < 0 && x > INT64_MAX + y) || (y > 0 && x < INT64_MIN + y))) {
                    return mk_int(x - y);
                }
                break;
            case MP_BINARY_OP_MULTIPLY:
                if ((x < 3037000499LL && x > -3037000499LL && y < 3037000499LL && y > -3037000499LL)) {
                    return mk_int(x * y);
                }
                break;
            case MP_BINARY_OP_FLOOR_DIVIDE:
                if (y == 0) {
                    raise_msg(E_ZeroDivisionError, "divide by zero");
                }
                if (!(x == INT64_MIN && y == -1)) {
                    return mk_int(floordiv64(x, y));
                }
                break;
            case MP_BINARY_OP_MODULO:
                if (y == 0) {
                    raise_msg(E_ZeroDivisionError, "divide by zero");
                }
                if (y == -1) {
                    return mk_int(0);
                }
                r = x % y;
                if (r != 0 && ((r < 0) != (y < 0))) {
                    r += y;
                }
                return mk_int(r);
            case MP_BINARY_OP_AND: return mk_int(x & y);
            case MP_BINARY_OP_OR: return mk_int(x | y);
            case MP_BINARY_OP_XOR: return mk_int(x ^ y);
            case MP_BINARY_OP_LSHIFT:
                if (y < 0) {
                    raise_msg(E_ValueError, "negative shift count");
                }
                if (y < 62 && x < ((int64_t)1 << (62 - y)) && x > -((int64_t)1 << (62 - y))) {
                    return mk_int((int64_t)((uint64_t)x << y));
                }
                {
                    V r2 = a;
                    V two = mk_int(2);
                    return binary_op(MP_BINARY_OP_MULTIPLY, r2, int_pow(two, b));
                }
            case MP_BINARY_OP_RSHIFT:
                if (y < 0) {
                    raise_msg(E_ValueError, "negative shift count");
                }
                return mk_int(y >= 63 ? (x < 0 ? -1 : 0) : x >> y);
            case MP_BINARY_OP_POWER:
                if (y < 0) {
                    return binary_op(MP_BINARY_OP_POWER, mk_float((double)x), mk_float((double)y));
                }
                return int_pow(a, b);
            case MP_BINARY_OP_TRUE_DIVIDE:
                if (y == 0) {
                    raise_msg(E_ZeroDivisionError, "divide by zero");
                }
                return mk_float((double)x / (double)y);
            case MP_BINARY_OP_LESS: return mk_bool(x < y);
            case MP_BINARY_OP_MORE: return mk_bool(x > y);
            case MP_BINARY_OP_LESS_EQUAL: return mk_bool(x <= y);
            case MP_BINARY_OP_MORE_EQUAL: return mk_bool(x >= y);
            case MP_BINARY_OP_EQUAL: return mk_bool(x == y);
            case MP_BINARY_OP_NOT_EQUAL: return mk_bool(x != y);
            default:
                return NULL;
        }
    }
    big x = big_of(a), y = big_of(b);
    switch (op) {
        case MP_BINARY_OP_ADD: return from_big(big_add(x, y));
        case MP_BINARY_OP_SUBTRACT: y.neg = !y.neg; return from_big(big_add(x, y));
        case MP_BINARY_OP_MULTIPLY: return from_big(big_mul(x, y));
        case MP_BINARY_OP_FLOOR_DIVIDE: return int_divmod(a, b, 0);
        case MP_BINARY_OP_MODULO: return int_divmod(a, b, 1);
        case MP_BINARY_OP_POWER: return int_pow(a, b);
        case MP_BINARY_OP_TRUE_DIVIDE:
            if (y.n == 0) {
                raise_msg(E_ZeroDivisionError, "divide by zero");
            }
            return mk_float(to_double(a) / to_double(b));
        case MP_BINARY_OP_LSHIFT:
        case MP_BINARY_OP_RSHIFT:
            if (y.neg) {
                raise_msg(E_ValueError, "negative shift count");
            }
            if (op == MP_BINARY_OP_LSHIFT) {
                return binary_op(MP_BINARY_OP_MULTIPLY, a, int_pow(mk_int(2), b));
            }
            return int_divmod(a, int_pow(mk_int(2), b), 0);
        case MP_BINARY_OP_LESS: case MP_BINARY_OP_MORE: case MP_BINARY_OP_LESS_EQUAL:
        case MP_BINARY_OP_MORE_EQUAL: case MP_BINARY_OP_EQUAL: case MP_BINARY_OP_NOT_EQUAL: {
            int c;
            if (x.neg != y.neg) {
                c = x.neg ? -1 : 1;
            } else {
                c = cmp_mag(x, y);
                if (x.neg) {
                    c = -c;
                }
            }
            switch (op) {
                case MP_BINARY_OP_LESS: return mk_bool(c < 0);
                case MP_BINARY_OP_MORE: return mk_bool(c > 0);
                case MP_BINARY_OP_LESS_EQUAL: return mk_bool(c <= 0);
                case MP_BINARY_OP_MORE_EQUAL: return mk_bool(c >= 0);
                case MP_BINARY_OP_EQUAL: return mk_bool(c == 0);
                default: return mk_bool(c != 0);
            }
        }
        case MP_BINARY_OP_AND: case MP_BINARY_OP_OR: case MP_BINARY_OP_XOR:
            return big_bitwise(op, x, y);
        default:
            return NULL;
    }
}

V int_text(V v, int base) {
    v = unwrap(v);
    char buf[72];
    if (v->kind == K_INT) {
        int64_t i = v->u.i;
        uint64_t m = i < 0 ? (uint64_t)0 - (uint64_t)i : (uint64_t)i;
        int p = 71;
        buf[p] = 0;
        do {
            int dgt = (int)(m % (uint64_t)base);
            buf[--p] = (char)(dgt < 10 ? '0' + dgt : 'a' + dgt - 10);
            m /= (uint64_t)base;
        } while (m);
        if (i < 0) {
            buf[--p] = '-';
        }
        return mk_cstr(buf + p);
    }
    /* big: repeated division by base^k (the largest power below 2^32) */
    big x = big_of(v);
    uint32_t chunk = (uint32_t)base;
    int per = 1;
    while ((uint64_t)chunk * (uint64_t)base < 4294967296ull) {
        chunk *= (uint32_t)base;
        per++;
    }
    size_t cap = (size_t)x.n * 33 + 4, p = cap;
    char *out = gc_alloc(cap + 1);
    uint32_t *d = gc_alloc((size_t)x.n * sizeof(uint32_t));
    mem_copy(d, x.d, (size_t)x.n * sizeof(uint32_t));
    int n = x.n;
    while (n > 0) {
        uint64_t rem = 0;
        for (int i = n - 1; i >= 0; i--) {
            uint64_t cur = rem << 32 | d[i];
            d[i] = (uint32_t)(cur / chunk);
            rem = cur % chunk;
        }
        while (n > 0 && d[n - 1] == 0) {
            n--;
        }
        for (int k = 0; k < per; k++) {
            int dgt = (int)(rem % (uint64_t)base);
            out[--p] = (char)(dgt < 10 ? '0' + dgt : 'a' + dgt - 10);
            rem /= (uint64_t)base;
            if (n == 0 && rem == 0) {
                break;
            }
        }
    }
    if (x.neg) {
        out[--p] = '-';
    }
    return mk_str(out + p, cap - p);
}

V int_from_text(const char *s, size_t n, int base, int *ok) {
    size_t i = 0;
    int neg = 0;
    *ok = 0;
    while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n')) {
        i++;
    }
    while (n > i && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n')) {
        n--;
    }
    if (i < n && (s[i] == '-' || s[i] == '+')) {
        neg = s[i] == '-';
        i++;
    }
    if (base == 0) {
        base = 10;
        if (i + 1 < n && s[i] == '0') {
            char c = (char)(s[i + 1] | 0x20);
            base = c == 'x' ? 16 : c == 'o' ? 8 : c == 'b' ? 2 : 10;
            if (base != 10) {
                i += 2;
            } else {
                /* base 0: a decimal literal has no leading zero unless it is all zeros */
                for (size_t k = i; k < n; k++) {
                    if (s[k] != '0' && s[k] != '_') {
                        return NULL;
                    }
                }
            }
        }
    } else if (i + 1 < n && s[i] == '0') {
        char c = (char)(s[i + 1] | 0x20);
        if ((base == 16 && c == 'x') || (base == 8 && c == 'o') || (base == 2 && c == 'b')) {
            i += 2;
        }
    }
    if (i >= n) {
        return NULL;
    }
    V acc = mk_int(0), vb = mk_int(base);
    for (; i < n; i++) {
        char c = s[i];
        int d;
        if (c == '_') {
            continue;
        }
        if (c >= '0' && c <= '9') {
            d = c - '0';
        } else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') {
            d = (c | 0x20) - 'a' + 10;
        } else {
            return NULL;
        }
        if (d >= base) {
            return NULL;
        }
        acc = int_binary(MP_BINARY_OP_ADD, int_binary(MP_BINARY_OP_MULTIPLY, acc, vb), mk_int(d));
    }
    *ok = 1;
    if (neg) {
        acc = int_binary(MP_BINARY_OP_SUBTRACT, mk_int(0), acc);
    }
    return acc;
}

uint32_t int_hash(V v) {
    v = unwrap(v);
    if (v->kind == K_INT) {
        return (uint32_t)(v->u.i ^ (v->u.i >> 32));
    }
    uint32_t h = 0;
    for (int i = 0; i < v->u.big.n; i++) {
        h = h * 31 + v->u.big.d[i];
    }
    return h;
}
