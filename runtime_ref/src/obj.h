/* obj.h: the runtime's values. Every value is a pointer to a heap object
 * with a kind tag; classes (builtin and user) are objects too, so
 * isinstance and method lookup treat both alike.
 *
 * Memory: objects are allocated and never freed (an arena without
 * collection). Test programs are short; a board port would add a
 * mark-sweep collector walking frames, globals and module tables. */
#ifndef MPYREF_OBJ_H
#define MPYREF_OBJ_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "mpy.h"
#include "opcodes.h"
#include "platform.h"

typedef struct Obj Obj;
typedef Obj *V;

enum {
    K_NONE, K_BOOL, K_INT, K_BIG, K_FLOAT, K_STR, K_BYTES, K_TUPLE, K_LIST, K_DICT, K_SET, K_FROZENSET,
    K_SLICE, K_RANGE, K_FUNC, K_NATIVE, K_BOUND, K_CLASS, K_INST, K_GEN, K_CELL, K_ITER, K_PROPERTY,
    K_STATICMETHOD, K_CLASSMETHOD, K_MODULE, K_ELLIPSIS, K_NULL, K_BYTEARRAY, K_SUPER, K_COMPLEX, K_MEMVIEW, K_ARRAY, K_STREAM, K_DICTVIEW,
};

typedef V (*native_fn)(int n, V *args, V kw);   /* kw: dict or NULL */

typedef struct {
    V key, value;
    uint32_t hash;
} entry;

typedef struct {
    entry *e;
    size_t n, cap;       /* entries used (incl. deleted), allocated */
    size_t live;
    int32_t *index;      /* open addressing over e; -1 empty */
    size_t icap;
    int fixed;           /* a module's fixed table (errno.errorcode): every change is a TypeError */
    int ordered;         /* an OrderedDict's: keys are not hashed */
} table;

typedef struct Frame Frame;

struct Obj {
    int kind;
    uint32_t serial;             /* allocation number: a stable id() and repr address */
    V cls;                       /* K_INST, K_GEN...: its class */
    union {
        int64_t i;               /* K_INT, K_BOOL */
        double f;
        struct { double re, im; } cplx;   /* K_COMPLEX */
        struct { uint32_t *d; int n; int neg; } big;   /* magnitude, base 2^32, little-endian */
        struct { char *s; size_t len; uint32_t hash; char typecode; } str;  /* K_STR, K_BYTES; K_ARRAY: len in bytes */
        struct { V *items; size_t n, cap; } seq;     /* tuple, list, bytearray uses str */
        table map;               /* dict, set (values unused) */
        struct { V start, stop, step; } slice;
        struct { int64_t start, stop, step; } range;
        struct { const mpy_code *code; V globals; V defaults; V kwdefaults; V *cells; size_t n_cells; } func;
        struct { const char *name; native_fn fn; V self; int self_kind; int no_kw; } native;   /* self_kind: unbound method's type, or 0; no_kw: keywords are a TypeError */
        struct { V self, fn; } bound;
        struct { const char *name; V bases; V dict; int builtin_kind; V mro; int from_python; } cls;   /* from_python: made by a class statement or type() */
        struct { V dict; V args; V traceback; V native_value; int native_ready; } inst;   /* native_value: builtin base's value; ready: made with the call's arguments */
        struct { Frame *frame; int running, done; V pending; } gen;   /* pending: pend_throw()'s value, thrown at the next resume */
        struct { V value; } cell;
        struct { V (*next)(V self); V a, b; int64_t i, j; char typecode; } iter;   /* K_MEMVIEW: a base, i/j first item/count */
        struct { V fget, fset, fdel; } prop;
        struct { V fn; } wrap;
        struct { const char *name; V dict; int builtin; } module;   /* builtin: attributes are fixed */
    } u;
};

/* singletons and builtin classes */
extern V None, True, False, Ellipsis, NullV;
extern V T_object, T_type, T_int, T_bool, T_float, T_str, T_bytes, T_tuple, T_list, T_dict, T_set,
    T_frozenset, T_slice, T_range, T_function, T_generator, T_NoneType, T_bytearray, T_property,
    T_staticmethod, T_classmethod, T_module, T_complex, T_memoryview, T_array;
extern V E_BaseException, E_Exception, E_StopIteration, E_GeneratorExit, E_KeyboardInterrupt, E_SystemExit,
    E_ArithmeticError, E_ZeroDivisionError, E_OverflowError, E_LookupError, E_IndexError, E_KeyError,
    E_TypeError, E_ValueError, E_NameError, E_AttributeError, E_RuntimeError, E_NotImplementedError,
    E_AssertionError, E_ImportError, E_OSError, E_UnboundLocalError, E_RecursionError, E_MemoryError,
    E_UnicodeError, E_StopAsyncIteration, E_EOFError;

/* construction */
V obj_new(int kind);
/* A deterministic stand-in for the object's address (same every run). */
#define OBJ_ADDR(v) ((unsigned long)0x10000 + 16ul * (v)->serial)
V mk_int(int64_t i);
V mk_float(double f);
V mk_complex(double re, double im);
V mk_bool(int b);
V mk_str(const char *s, size_t n);
V mk_cstr(const char *s);
V mk_bytes(const char *s, size_t n);
V mk_tuple(size_t n, V *items);
V mk_list(size_t n, V *items);
V mk_dict(void);
V mk_set(int frozen);
V mk_native(const char *name, native_fn fn);
V mk_class(const char *name, V bases, V dict);
V mk_exc(V cls, const char *msg);
V int_from_text(const char *s, size_t n, int base, int *ok);

/* tables (dict and set) */
V table_get(table *t, V key);                 /* NULL if absent */
void table_set(table *t, V key, V value);
int table_del(table *t, V key);
V dict_get_str(V d, const char *key);
void dict_set_str(V d, const char *key, V v);

/* generic protocol */
V type_of(V v);
int truthy(V v);
int is_instance(V v, V cls);
int is_subclass(V a, V b);
uint32_t hash_of(V v);
int equal(V a, V b);
V binary_op(int op, V a, V b);
V unary_op(int op, V a);
int compare_lt(V a, V b);
V str_of(V v);
V repr_of(V v);
V get_attr(V o, V name);             /* raises AttributeError */
V get_attr_maybe(V o, V name);       /* NULL if absent */
V lookup_class_attr(V cls, V name);  /* through the MRO, NULL if absent */
void set_attr(V o, V name, V v);
void del_attr(V o, V name);
V try_special(V v, const char *name, int n, V *args);
uint64_t range_length(V r);   /* a user instance's dunder, or NULL */
void set_attr_plain(V o, V name, V v);   /* object.__setattr__: no user hook */
void del_attr_plain(V o, V name);
V subscr(V o, V idx);
void store_subscr(V o, V idx, V v);
void del_subscr(V o, V idx);
V get_iter(V o);
V iter_next(V it);                   /* NULL when exhausted */
V iter_user_object(V it);
V call(V f, int n, V *args, V kw);
V call0(V f);
V call1(V f, V a);
V call2(V f, V a, V b);
int64_t to_int64(V v);
double to_double(V v);
int is_int(V v);
V int_add(V a, V b);
V int_from_double(double x);        /* OverflowError for inf, ValueError for nan */
V normalize_big(V b);
size_t seq_items(V o, V **items);    /* tuple/list view */
V list_append(V l, V v);
V str_concat(V a, V b);
V str_format_percent(V fmt, V args);
V str_format_method(V fmt, int n, V *args, V kw);
V method_of_builtin(V o, V name);
V contains(V container, V item);

/* exceptions: raise longjmps to the innermost VM handler */
NORETURN void vm_raise(V exc);
NORETURN void raise_msg(V cls, const char *fmt, ...);
NORETURN void unsupported(const char *what);
void stack_check(void);              /* RuntimeError when the C stack runs low */

/* fmtfloat.c: printf-style %e %f %g (and upper case) of a double, by the VM */
size_t fmt_double(char *buf, size_t cap, double x, char type, int prec, char sign, int alt);
size_t fmt_double_spec(char *buf, size_t cap, double x, const char *spec, char type);   /* spec: flags width .prec */

/* output */
void out_str(V s);
void out_cstr(const char *s);

void builtins_init(V builtins);
void objects_init(void);
extern V builtins_dict;

#endif
