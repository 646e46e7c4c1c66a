/* math.c: the `math` module as py/modmath.c defines it. A function of
 * floats fails with ValueError("math domain error") when it makes a nan
 * from numbers or an infinity from finite numbers; floor, ceil and trunc
 * give ints; arguments are anything float() accepts (int, bool, float,
 * objects with __float__). The C library computes the functions, so the
 * last digit may differ between platforms' libm. */
#include <math.h>

#include "lib.h"

NORETURN static void domain_error(void) { raise_msg(E_ValueError, "math domain error"); }

static double arg(V v) { return to_double(v); }

static V checked1(double x, double r) {
    if ((isnan(r) && !isnan(x)) || (isinf(r) && !isinf(x))) domain_error();
    return mk_float(r);
}

static V checked2(double x, double y, double r) {
    if ((isnan(r) && !isnan(x) && !isnan(y)) || (isinf(r) && !isinf(x) && !isinf(y))) domain_error();
    return mk_float(r);
}

#define ONE(name, expr) \
    static V m_##name(int n, V *a, V kw) { \
        (void)kw; \
        if (n != 1) raise_msg(E_TypeError, "function takes 1 positional argument"); \
        double x = arg(a[0]); \
        return checked1(x, expr); \
    }
#define TWO(name, expr) \
    static V m_##name(int n, V *a, V kw) { \
        (void)kw; \
        if (n != 2) raise_msg(E_TypeError, "function takes 2 positional arguments"); \
        double x = arg(a[0]), y = arg(a[1]); \
        return checked2(x, y, expr); \
    }

/* the fixes py/modmath.c applies where C libraries disagree (MICROPY_PY_MATH_*_FIX_*) */
static double pow_fixed(double x, double y) {
    if (x == 1.0 || y == 0.0) return 1.0;
    if (isnan(y)) return y;
    return pow(x, y);
}
static double atan2_fixed(double y, double x) {
    if (isinf(y) && isinf(x)) return copysign(x < 0 ? 2.35619449019234492885 : 0.78539816339744830962, y);
    return atan2(y, x);
}
static double fmod_fixed(double x, double y) { return (!isinf(x) && isinf(y)) ? x : fmod(x, y); }
static double copysign_fixed(double x, double y) { return copysign(x, isnan(y) ? 0.0 : y); }
static double gamma_fixed(double x) {
    if (isinf(x) && x < 0) domain_error();
    return tgamma(x);
}

ONE(sqrt, sqrt(x)) ONE(exp, exp(x)) ONE(expm1, expm1(x)) ONE(log2, log2(x)) ONE(log10, log10(x))
ONE(cosh, cosh(x)) ONE(sinh, sinh(x)) ONE(tanh, tanh(x)) ONE(acosh, acosh(x)) ONE(asinh, asinh(x))
ONE(atanh, atanh(x)) ONE(cos, cos(x)) ONE(sin, sin(x)) ONE(tan, tan(x)) ONE(acos, acos(x)) ONE(asin, asin(x))
ONE(atan, atan(x)) ONE(fabs, fabs(x)) ONE(erf, erf(x)) ONE(erfc, erfc(x)) ONE(gamma, gamma_fixed(x))
ONE(lgamma, lgamma(x))
TWO(pow, pow_fixed(x, y)) TWO(atan2, atan2_fixed(x, y)) TWO(copysign, copysign_fixed(x, y)) TWO(fmod, fmod_fixed(x, y))

#define TO_INT(name, fn) \
    static V m_##name(int n, V *a, V kw) { \
        (void)kw; \
        if (n != 1) raise_msg(E_TypeError, "function takes 1 positional argument"); \
        return int_from_double(fn(arg(a[0]))); \
    }
TO_INT(floor, floor) TO_INT(ceil, ceil) TO_INT(trunc, trunc)

#define TO_BOOL(name, fn) \
    static V m_##name(int n, V *a, V kw) { \
        (void)kw; \
        if (n != 1) raise_msg(E_TypeError, "function takes 1 positional argument"); \
        return mk_bool(fn(arg(a[0]))); \
    }
TO_BOOL(isfinite, isfinite) TO_BOOL(isinf, isinf) TO_BOOL(isnan, isnan)

static V m_log(int n, V *a, V kw) {
    (void)kw;
    if (n < 1 || n > 2) raise_msg(E_TypeError, "function takes 1 or 2 positional arguments");
    double x = arg(a[0]);
    if (x <= 0) domain_error();
    double l = log(x);
    if (n == 1) return mk_float(l);
    double base = arg(a[1]);
    if (base <= 0) domain_error();
    if (base == 1.0) raise_msg(E_ZeroDivisionError, "divide by zero");
    return mk_float(l / log(base));
}

static V m_ldexp(int n, V *a, V kw) {
    (void)kw;
    if (n != 2) raise_msg(E_TypeError, "function takes 2 positional arguments");
    int64_t e = to_int64(a[1]);
    if (e > 100000) e = 100000;
    if (e < -100000) e = -100000;
    return mk_float(ldexp(arg(a[0]), (int)e));
}

static V m_frexp(int n, V *a, V kw) {
    (void)kw;
    if (n != 1) raise_msg(E_TypeError, "function takes 1 positional argument");
    int e = 0;
    double m = frexp(arg(a[0]), &e);
    V t[2] = {mk_float(m), mk_int(e)};
    return mk_tuple(2, t);
}

static V m_modf(int n, V *a, V kw) {
    (void)kw;
    if (n != 1) raise_msg(E_TypeError, "function takes 1 positional argument");
    double x = arg(a[0]), ip = 0;
    double fp = modf(x, &ip);
    if (fp == 0.0) fp = copysign(fp, x);
    V t[2] = {mk_float(fp), mk_float(ip)};
    return mk_tuple(2, t);
}

static V m_radians(int n, V *a, V kw) {
    (void)kw;
    if (n != 1) raise_msg(E_TypeError, "function takes 1 positional argument");
    return mk_float(arg(a[0]) * (3.14159265358979323846 / 180.0));
}

static V m_degrees(int n, V *a, V kw) {
    (void)kw;
    if (n != 1) raise_msg(E_TypeError, "function takes 1 positional argument");
    return mk_float(arg(a[0]) * (180.0 / 3.14159265358979323846));
}

static V m_isclose(int n, V *a, V kw) {
    if (n != 2) raise_msg(E_TypeError, "function takes 2 positional arguments");
    V rt = kw ? table_get(&kw->u.map, mk_cstr("rel_tol")) : NULL;
    V at = kw ? table_get(&kw->u.map, mk_cstr("abs_tol")) : NULL;
    double x = arg(a[0]), y = arg(a[1]);
    double rel = rt ? arg(rt) : 1e-9, abs_tol = at ? arg(at) : 0.0;
    if (rel < 0 || abs_tol < 0) domain_error();
    if (x == y) return True;
    double d = fabs(x - y);
    if (isinf(d)) return False;
    return mk_bool(d <= abs_tol || d <= fabs(rel * x) || d <= fabs(rel * y));
}

/* product of start..end, halves multiplied together (py/modmath.c's MICROPY_OPT_MATH_FACTORIAL shape) */
static V product(int64_t start, int64_t end) {
    if (start == end) return mk_int(start);
    if (end - start == 1) return binary_op(MP_BINARY_OP_MULTIPLY, mk_int(start), mk_int(end));
    int64_t mid = start + ((end - start) >> 1);
    return binary_op(MP_BINARY_OP_MULTIPLY, product(start, mid), product(mid + 1, end));
}

static V m_factorial(int n, V *a, V kw) {
    (void)kw;
    if (n != 1) raise_msg(E_TypeError, "function takes 1 positional argument");
    if (!is_int(a[0])) raise_msg(E_TypeError, "can't convert %s to int", type_of(a[0])->u.cls.name);
    int64_t max = to_int64(a[0]);
    if (max < 0) raise_msg(E_ValueError, "negative factorial");
    if (max == 0) return mk_int(1);
    return product(1, max);   /* recursion depth log2(max) */
}

void lib_math_module(V modules) {
    V m = lib_new_module(modules, "math");
    static const struct { const char *name; native_fn fn; } fns[] = {
        {"sqrt", m_sqrt}, {"pow", m_pow}, {"exp", m_exp}, {"expm1", m_expm1}, {"log", m_log}, {"log2", m_log2},
        {"log10", m_log10}, {"cosh", m_cosh}, {"sinh", m_sinh}, {"tanh", m_tanh}, {"acosh", m_acosh},
        {"asinh", m_asinh}, {"atanh", m_atanh}, {"cos", m_cos}, {"sin", m_sin}, {"tan", m_tan}, {"acos", m_acos},
        {"asin", m_asin}, {"atan", m_atan}, {"atan2", m_atan2}, {"ceil", m_ceil}, {"copysign", m_copysign},
        {"fabs", m_fabs}, {"floor", m_floor}, {"fmod", m_fmod}, {"frexp", m_frexp}, {"ldexp", m_ldexp},
        {"modf", m_modf}, {"isfinite", m_isfinite}, {"isinf", m_isinf}, {"isnan", m_isnan}, {"isclose", m_isclose},
        {"trunc", m_trunc}, {"radians", m_radians}, {"degrees", m_degrees}, {"erf", m_erf}, {"erfc", m_erfc},
        {"gamma", m_gamma}, {"lgamma", m_lgamma}, {"factorial", m_factorial},
    };
    for (size_t i = 0; i < sizeof fns / sizeof fns[0]; i++) dict_set_str(m->u.module.dict, fns[i].name, mk_native(fns[i].name, fns[i].fn));
    dict_set_str(m->u.module.dict, "e", mk_float(2.718281828459045));
    dict_set_str(m->u.module.dict, "pi", mk_float(3.141592653589793));
    dict_set_str(m->u.module.dict, "tau", mk_float(6.283185307179586));
    dict_set_str(m->u.module.dict, "inf", mk_float(INFINITY));
    dict_set_str(m->u.module.dict, "nan", mk_float(NAN));
}
