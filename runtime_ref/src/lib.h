/* lib.h: natives that live outside natives.c, one file per job
 * (strsearch.c, ...); natives.c registers them in its method tables. */
#ifndef MPYREF_LIB_H
#define MPYREF_LIB_H

#include "obj.h"

/* strsearch.c */
V lib_text_self(V v);
int lib_is_namedtuple_instance(V o);
V lib_class_dict(V cls);
void lib_native_value_made(V inst);
int lib_parse_number(const char *s, size_t len, int allow_imag, double *re, double *im, int *is_complex);
size_t lib_text_offset(V s, V index, size_t dflt);
V lib_str_find(int n, V *a, V kw);
V lib_str_rfind(int n, V *a, V kw);
V lib_str_index(int n, V *a, V kw);
V lib_str_rindex(int n, V *a, V kw);
V lib_str_count(int n, V *a, V kw);
V lib_str_startswith(int n, V *a, V kw);
V lib_str_endswith(int n, V *a, V kw);
V lib_str_partition(int n, V *a, V kw);
V lib_str_rpartition(int n, V *a, V kw);

/* strmeth.c */
V lib_text_split(int n, V *a, V kw);
V lib_text_rsplit(int n, V *a, V kw);
V lib_text_strip(int n, V *a, V kw);
V lib_text_lstrip(int n, V *a, V kw);
V lib_text_rstrip(int n, V *a, V kw);
V lib_text_replace(int n, V *a, V kw);
V lib_text_center(int n, V *a, V kw);
V lib_text_splitlines(int n, V *a, V kw);
V lib_text_lower(int n, V *a, V kw);
V lib_text_upper(int n, V *a, V kw);
V lib_text_isspace(int n, V *a, V kw);
V lib_text_isalpha(int n, V *a, V kw);
V lib_text_isdigit(int n, V *a, V kw);
V lib_text_isalnum(int n, V *a, V kw);
V lib_text_isupper(int n, V *a, V kw);
V lib_text_islower(int n, V *a, V kw);
V lib_text_join(int n, V *a, V kw);
V lib_bytes_hex(int n, V *a, V kw);
V lib_seq_index(int n, V *a, V kw);

/* array.c: the buffer protocol, array and memoryview */
typedef struct {
    char *p;          /* first byte */
    size_t len;       /* bytes */
    int typecode;     /* 'B' for bytes and bytearray */
    int writable;
} lib_buf;
int lib_buffer(V o, lib_buf *b);
size_t lib_buffer_items(V o);
size_t lib_item_size(int typecode);    /* 0: no such typecode */
V lib_item_get(int typecode, const char *p);
void lib_item_set(int typecode, char *p, V v);
V lib_array_new(int n, V *a, V kw);
V lib_array_append(int n, V *a, V kw);
V lib_array_extend(int n, V *a, V kw);
V lib_array_repr(V a);
V lib_memoryview_new(int n, V *a, V kw);
V lib_buffer_subscr(V o, V idx);
void lib_buffer_store(V o, V idx, V v);
V lib_buffer_iter(V o);
V lib_buffer_binary(int op, V a, V b);
V lib_buffer_contains(V a, V item);
void lib_array_module(V modules);

/* setmeth.c */
V lib_set_union(int n, V *a, V kw);
V lib_set_intersection(int n, V *a, V kw);
V lib_set_difference(int n, V *a, V kw);
V lib_set_symmetric_difference(int n, V *a, V kw);
V lib_set_update(int n, V *a, V kw);
V lib_set_intersection_update(int n, V *a, V kw);
V lib_set_difference_update(int n, V *a, V kw);
V lib_set_symmetric_difference_update(int n, V *a, V kw);
V lib_set_copy(int n, V *a, V kw);
V lib_set_issubset(int n, V *a, V kw);
V lib_set_issuperset(int n, V *a, V kw);
V lib_set_isdisjoint(int n, V *a, V kw);
V lib_set_contains(int n, V *a, V kw);

/* io.c */
V lib_stream_iter(V o);
V lib_stream_repr(V s);
V lib_stream_method(V s, V name);   /* a bound method or attribute, NULL if none */
V lib_console_stream(int fd);
void lib_print_to(V file, V piece);
void lib_io_module(V modules);

/* sysmod.c */
void lib_sys_extend(V sys, V modules);

/* math.c */
void lib_math_module(V modules);

/* struct.c */
void lib_struct_module(V modules);

/* format.c (str_format_method and str_format_percent are in obj.h) */
V lib_format_value(V v, const char *spec, size_t n);

/* dictview.c */
V lib_dict_view(V d, int which);
V lib_dict_view_iter(V v);
size_t lib_dict_view_len(V v);
V lib_dict_view_repr(V v);
V lib_dict_view_contains(V v, V x);
void lib_dict_view_init(void);

/* intbytes.c */
V lib_int_to_bytes(int n, V *a, V kw);
V lib_int_from_bytes(int n, V *a, V kw);

/* deque.c */
V lib_deque_class(void);

/* errno.c */
const char *lib_errno_name(V code);   /* NULL for a code the module does not name */
void lib_errno_module(V modules);
void lib_gc_module(V modules);
void lib_cmath_module(V modules);

/* natives.c, builtins.c helpers the library files share */
V lib_new_module(V modules, const char *name);
V lib_builtin_class(const char *name, int kind, native_fn ctor, V base);
int64_t norm_index(int64_t i, size_t n, int clamp);
size_t slice_indices(V s, size_t n, int64_t *start, int64_t *step);
V mk_iter(V (*next)(V), V a, int64_t j);
V lib_chr(int64_t c);
V vm_getattr_catch(V o, V name);      /* vm.c: NULL when getting the attribute raises AttributeError */

#endif
