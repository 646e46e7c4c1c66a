/* platform/host: platform.h on a hosted C library (stdio, calloc). */
#include "platform.h"

#include <stdio.h>
#include <stdlib.h>

int plat_read_file(const char *path, uint8_t **data, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        return -1;
    }
    size_t cap = 4096, n = 0;
    uint8_t *buf = plat_alloc(cap);
    for (;;) {
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (n < cap) {
            break;
        }
        uint8_t *bigger = plat_alloc(cap * 2);
        for (size_t i = 0; i < n; i++) {
            bigger[i] = buf[i];
        }
        free(buf);
        buf = bigger;
        cap *= 2;
    }
    int err = ferror(f);
    fclose(f);
    if (err) {
        free(buf);
        return -1;
    }
    *data = buf;
    *len = n;
    return 0;
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

/* The arena's limit: nothing is freed, so a runaway program stops here
 * (a board has far less; it also keeps a bad size from reaching calloc). */
#define PLAT_MAX_TOTAL ((size_t)1 << 30)
static size_t plat_total;

void *plat_alloc(size_t n) {
    void *p = NULL;
    if (n <= PLAT_MAX_TOTAL - plat_total) {
        plat_total += n;
        p = calloc(1, n ? n : 1);
    }
    if (p == NULL) {
        plat_write_err("unsupported: out of memory\n", 27);
        plat_exit(70);
    }
    return p;
}

void plat_free(void *p, size_t n) {
    plat_total -= n;
    free(p);
}

NORETURN void plat_exit(int code) {
    plat_flush();
    exit(code);
}
