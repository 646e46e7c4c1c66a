/* platform.h: the only OS services mpyref uses, implemented once per
 * platform (platform/host, platform/mps2-an385; make PLATFORM=...): read a
 * whole file, write bytes to the console, allocate, exit. */
#ifndef MPYREF_PLATFORM_H
#define MPYREF_PLATFORM_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* C99 has no _Noreturn: the GNU attribute where the compiler has it. */
#if defined(__GNUC__)
#define NORETURN __attribute__((noreturn))
#define NOINLINE __attribute__((noinline))
#else
#define NORETURN
#define NOINLINE
#endif

/* memcpy that accepts (NULL, 0): empty argument lists are common here */
static inline void mem_copy(void *dst, const void *src, size_t n) {
    if (n) {
        memcpy(dst, src, n);
    }
}

/* C stack the VM may use before deep recursion becomes RuntimeError. */
#ifndef PLAT_STACK_LIMIT
#define PLAT_STACK_LIMIT ((uintptr_t)2 << 20)
#endif

/* Read a whole file into memory of the platform's choosing (the heap on
 * the host, a file region beside it on a board). Returns 0 on success. */
int plat_read_file(const char *path, uint8_t **data, size_t *len);
/* Memory for file contents (what plat_read_file returns, the v5 loader's
 * rewrite of a file): heap on the host, a region beside it on a board.
 * Everything allocated after a mark is given back by plat_file_release,
 * once nothing refers to it (verify is done with the file). */
void *plat_file_alloc(size_t n);
size_t plat_file_mark(void);
void plat_file_release(size_t mark);
int plat_file_exists(const char *path);
void plat_write_out(const char *s, size_t n);
void plat_write_err(const char *s, size_t n);
void plat_flush(void);
/* The fixed heap gc.c manages (zeroed), the top of the C stack and the
 * program's static data: the collector's roots are the stack below the
 * top and the static data. */
void plat_heap(uint8_t **base, size_t *size);
void plat_image(uint8_t **base, size_t *size);   /* zeroed, for what start-up makes */
const void *plat_stack_top(void);
void plat_static_data(const void **lo, const void **hi);
NORETURN void plat_exit(int code);

#endif
