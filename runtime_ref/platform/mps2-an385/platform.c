/* platform/mps2-an385: platform.h on the bare board. Files and the console
 * go through semihosting; the VM's memory is one fixed heap in .bss
 * (HEAP_SIZE, 64 KiB unless the build says otherwise) that gc.c manages,
 * never the C library's malloc, so the heap cannot grow into the stack. */
#include "gc.h"
#include "platform.h"

#include <errno.h>

#include "semihost.h"

#ifndef HEAP_SIZE
#define HEAP_SIZE (64 * 1024)
#endif

static uint8_t heap[HEAP_SIZE] __attribute__((aligned(16)));

void plat_heap(uint8_t **base, size_t *size) {
    *base = heap;       /* in .bss: zeroed by the start-up code */
    *size = HEAP_SIZE;
}

void plat_image(uint8_t **base, size_t *size) {
    static uint8_t region[256 * 1024] __attribute__((aligned(16)));
    *base = region;
    *size = sizeof region;
}

extern uint32_t _data_start, _bss_end, _stack_top;

const void *plat_stack_top(void) {
    return &_stack_top;
}

/* .data and .bss (gc.c skips the heap inside it) */
void plat_static_data(const void **lo, const void **hi) {
    *lo = &_data_start;
    *hi = &_bss_end;
}

/* Files live in a region of their own, as a board maps the .mpy files of
 * its filesystem (romfs) into memory and runs the bytecode in place: the
 * heap holds the VM's working memory, not the files' bytes (nor the v5
 * loader's rewrite of them, which is the file in its in-memory layout). */
#ifndef FILE_REGION_SIZE
#define FILE_REGION_SIZE (512 * 1024)
#endif
/* a section of its own, outside the static data the collector scans:
 * file bytes hold no heap pointers */
static uint8_t file_region[FILE_REGION_SIZE] __attribute__((aligned(8), section(".files")));
static size_t file_used;

void *plat_file_alloc(size_t n) {
    size_t size = (n + 7) & ~(size_t)7;
    if (size < n || size > sizeof file_region - file_used) {
        plat_write_err("unsupported: out of memory (file region)\n", 41);
        plat_exit(70);
    }
    void *p = &file_region[file_used];
    file_used += size;
    memset(p, 0, size);
    return p;
}

size_t plat_file_mark(void) {
    return file_used;
}

void plat_file_release(size_t mark) {
    if (mark <= file_used) {
        file_used = mark;
    }
}

int plat_read_file(const char *path, uint8_t **data, size_t *len) {
    int fd = semihost_open(path);
    if (fd < 0) {
        return -1;
    }
    long n = semihost_file_length(fd);
    if (n < 0) {
        semihost_close(fd);
        return -1;
    }
    size_t mark = file_used;
    uint8_t *buf = plat_file_alloc((size_t)n);
    long got = semihost_read(fd, buf, (size_t)n);
    semihost_close(fd);
    if (got != n) {
        file_used = mark;
        return -1;
    }
    *data = buf;
    *len = (size_t)n;
    return 0;
}

int plat_file_exists(const char *path) {
    int fd = semihost_open(path);
    if (fd < 0) {
        return 0;
    }
    semihost_close(fd);
    return 1;
}

/* A semihosting call traps to the emulator: output is buffered. */
static char out_buf[512];
static size_t out_n;

static void flush_out(void) {
    if (out_n) {
        semihost_write(SEMIHOST_STDOUT, out_buf, out_n);
        out_n = 0;
    }
}

void plat_write_out(const char *s, size_t n) {
    if (n > sizeof out_buf - out_n) {
        flush_out();
    }
    if (n >= sizeof out_buf) {
        semihost_write(SEMIHOST_STDOUT, s, n);
        return;
    }
    mem_copy(out_buf + out_n, s, n);
    out_n += n;
}

void plat_write_err(const char *s, size_t n) {
    flush_out();
    semihost_write(SEMIHOST_STDERR, s, n);
}

void plat_flush(void) {
    flush_out();
}

NORETURN void plat_exit(int code) {
    flush_out();
    semihost_exit(code);
}

/* newlib's strtod keeps its big numbers in malloc'd memory: a small pool
 * of its own, apart from the VM heap */
static uint8_t libc_pool[16 * 1024] __attribute__((aligned(8)));
static size_t libc_used;

void *_sbrk(ptrdiff_t incr) {
    if (incr < 0 || (size_t)incr > sizeof libc_pool - libc_used) {
        errno = ENOMEM;
        return (void *)-1;
    }
    void *p = &libc_pool[libc_used];
    libc_used += (size_t)incr;
    return p;
}
