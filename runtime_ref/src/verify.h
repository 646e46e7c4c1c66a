/* verify.h: check every invariant the VM relies on, before running. */
#ifndef MPYREF_VERIFY_H
#define MPYREF_VERIFY_H

#include <stddef.h>

#include "mpy.h"

/* Returns 0, or EXIT_INVALID with a one-line reason naming the file, the
 * function, the offset and what was expected. */
int verify_module(const mpy_module *m, char *err, size_t errlen);

#endif
