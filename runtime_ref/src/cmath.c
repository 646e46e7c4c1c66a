/* cmath.c: the `cmath` module as py/modcmath.c defines it, with its
 * formulas (so results agree to the last digits the C library gives):
 * e, pi, phase, polar, rect, exp, log, log10, sqrt, cos, sin. Arguments
 * are ints, floats, complex numbers, objects with __complex__ or __float__. */
#include <math.h>

#include "lib.h"

/* py/obj.c mp_obj_get_complex */
static void arg_complex(V x, double *re, double *im) {
    if (x->kind == K_INST && !x->u.inst.native_value) {
        V c = try_special(x, "__complex__", 0, NULL);
        if (c && c->kind != K_COMPLEX) raise_msg(E_TypeError, "__complex__ returned non-complex");
        if (c) x = c;
    }
    if (x->kind == K_COMPLEX) {
        *re = x->u.cplx.re;
        *im = x->u.cplx.im;
        return;
    }
    if (!is_int(x) && x->kind != K_FLOAT && x->kind != K_INST) {
        raise_msg(E_TypeError, "can't convert %s to complex", type_of(x)->u.cls.name);
    }
    *re = to_double(x);
    *im = 0;
}

#define ONE_ARG(n) if ((n) != 1) raise_msg(E_TypeError, "function takes 1 positional argument")

static V c_phase(int n, V *a, V kw) {
    (void)kw; ONE_ARG(n);
    double re, im;
    arg_complex(a[0], &re, &im);
    return mk_float(atan2(im, re));
}
static V c_polar(int n, V *a, V kw) {
    (void)kw; ONE_ARG(n);
    double re, im;
    arg_complex(a[0], &re, &im);
    V t[2] = {mk_float(sqrt(re * re + im * im)), mk_float(atan2(im, re))};
    return mk_tuple(2, t);
}
static V c_rect(int n, V *a, V kw) {
    (void)kw;
    if (n != 2) raise_msg(E_TypeError, "function takes 2 positional arguments");
    double r = to_double(a[0]), phi = to_double(a[1]);
    return mk_complex(r * cos(phi), r * sin(phi));
}
static V c_exp(int n, V *a, V kw) {
    (void)kw; ONE_ARG(n);
    double re, im;
    arg_complex(a[0], &re, &im);
    double m = exp(re);
    return mk_complex(m * cos(im), m * sin(im));
}
static V c_log(int n, V *a, V kw) {
    (void)kw; ONE_ARG(n);
    double re, im;
    arg_complex(a[0], &re, &im);
    return mk_complex(0.5 * log(re * re + im * im), atan2(im, re));
}
static V c_log10(int n, V *a, V kw) {
    (void)kw; ONE_ARG(n);
    double re, im;
    arg_complex(a[0], &re, &im);
    return mk_complex(0.5 * log10(re * re + im * im), 0.4342944819032518 * atan2(im, re));
}
static V c_sqrt(int n, V *a, V kw) {
    (void)kw; ONE_ARG(n);
    double re, im;
    arg_complex(a[0], &re, &im);
    double m = pow(re * re + im * im, 0.25), theta = 0.5 * atan2(im, re);
    return mk_complex(m * cos(theta), m * sin(theta));
}
static V c_cos(int n, V *a, V kw) {
    (void)kw; ONE_ARG(n);
    double re, im;
    arg_complex(a[0], &re, &im);
    return mk_complex(cos(re) * cosh(im), -sin(re) * sinh(im));
}
static V c_sin(int n, V *a, V kw) {
    (void)kw; ONE_ARG(n);
    double re, im;
    arg_complex(a[0], &re, &im);
    return mk_complex(sin(re) * cosh(im), cos(re) * sinh(im));
}

void lib_cmath_module(V modules) {
    V m = lib_new_module(modules, "cmath");
    static const struct { const char *name; native_fn fn; } fns[] = {
        {"phase", c_phase}, {"polar", c_polar}, {"rect", c_rect}, {"exp", c_exp}, {"log", c_log},
        {"log10", c_log10}, {"sqrt", c_sqrt}, {"cos", c_cos}, {"sin", c_sin},
    };
    dict_set_str(m->u.module.dict, "e", mk_float(2.718281828459045));
    dict_set_str(m->u.module.dict, "pi", mk_float(3.141592653589793));
    for (size_t i = 0; i < sizeof fns / sizeof fns[0]; i++) dict_set_str(m->u.module.dict, fns[i].name, mk_native(fns[i].name, fns[i].fn));
}
