/* platform/host: platform.h on a hosted C library (stdio; the heap is one
 * calloc'd region of HEAP_SIZE bytes, 256 MiB unless the build says
 * otherwise: untouched pages cost nothing). */
#include "platform.h"

#include <stdio.h>
#include <stdlib.h>

#include "gc.h"

#ifndef HEAP_SIZE
#define HEAP_SIZE ((size_t)256 << 20)
#endif

int plat_read_file(const char *path, uint8_t **data, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        return -1;
    }
    size_t cap = 4096, n = 0;
    uint8_t *buf = gc_alloc(cap);
    for (;;) {
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (n < cap) {
            break;
        }
        uint8_t *bigger = gc_alloc(cap * 2);
        mem_copy(bigger, buf, n);
        gc_free(buf);
        buf = bigger;
        cap *= 2;
    }
    int err = ferror(f);
    fclose(f);
    if (err) {
        gc_free(buf);
        return -1;
    }
    *data = buf;
    *len = n;
    return 0;
}

/* On the host file contents are ordinary heap memory: the collector
 * takes them back when no module refers to them. */
void *plat_file_alloc(size_t n) {
    return gc_alloc(n);
}

size_t plat_file_mark(void) {
    return 0;
}

void plat_file_release(size_t mark) {
    (void)mark;
}

int plat_file_exists(const char *path) {
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        return 0;
    }
    fclose(f);
    return 1;
}

void plat_write_out(const char *s, size_t n) {
    fwrite(s, 1, n, stdout);
}

void plat_write_err(const char *s, size_t n) {
    fflush(stdout);
    fwrite(s, 1, n, stderr);
}

void plat_flush(void) {
    fflush(stdout);
    fflush(stderr);
}

void plat_heap(uint8_t **base, size_t *size) {
    *base = calloc(1, HEAP_SIZE);
    if (*base == NULL) {
        plat_write_err("unsupported: out of memory\n", 27);
        plat_exit(70);
    }
    *size = HEAP_SIZE;
}

void plat_image(uint8_t **base, size_t *size) {
    static uint8_t region[1 << 20] __attribute__((aligned(16)));
    *base = region;
    *size = sizeof region;
}

/* glibc: the stack top at process start, and the GNU linker's bounds of
 * .data and .bss */
extern void *__libc_stack_end;
extern char __data_start[], _end[];

const void *plat_stack_top(void) {
    return __libc_stack_end;
}

void plat_static_data(const void **lo, const void **hi) {
    *lo = __data_start;
    *hi = _end;
}

NORETURN void plat_exit(int code) {
    plat_flush();
    exit(code);
}
