/* lib.h: natives that live outside natives.c, one file per job
 * (strsearch.c, ...); natives.c registers them in its method tables. */
#ifndef MPYREF_LIB_H
#define MPYREF_LIB_H

#include "obj.h"

/* strsearch.c */
V lib_text_self(V v);
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

#endif
