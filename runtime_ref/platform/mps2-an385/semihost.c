/* semihost.c: the semihosting calls mpyref needs. A call is BKPT 0xAB in
 * Thumb state with the operation in r0 and a parameter block in r1; the
 * result comes back in r0. */
#include "semihost.h"

#include <stdint.h>
#include <string.h>

enum {
    SYS_OPEN = 0x01, SYS_CLOSE = 0x02, SYS_WRITE = 0x05, SYS_READ = 0x06, SYS_FLEN = 0x0c,
    SYS_GET_CMDLINE = 0x15, SYS_EXIT = 0x18, SYS_EXIT_EXTENDED = 0x20,
};
#define ADP_STOPPED_APPLICATION_EXIT 0x20026
#define OPEN_MODE_RB 1      /* fopen "rb" */
#define OPEN_MODE_W 4       /* ":tt" opened for writing is stdout, "a" (8) stderr */
#define OPEN_MODE_A 8

static long call(int op, void *block) {
    register long r0 __asm__("r0") = op;
    register void *r1 __asm__("r1") = block;
    __asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
    return r0;
}

int semihost_open(const char *path) {
    uintptr_t block[3] = {(uintptr_t)path, OPEN_MODE_RB, strlen(path)};
    return (int)call(SYS_OPEN, block);
}

long semihost_file_length(int fd) {
    uintptr_t block[1] = {(uintptr_t)fd};
    return call(SYS_FLEN, block);
}

long semihost_read(int fd, void *buf, size_t n) {
    uintptr_t block[3] = {(uintptr_t)fd, (uintptr_t)buf, n};
    long left = call(SYS_READ, block);   /* the number of bytes NOT read */
    return left < 0 || (size_t)left > n ? -1 : (long)(n - (size_t)left);
}

void semihost_close(int fd) {
    uintptr_t block[1] = {(uintptr_t)fd};
    call(SYS_CLOSE, block);
}

static int console[3] = {-1, -1, -1};

void semihost_write(int fd, const void *buf, size_t n) {
    if (console[fd] < 0) {
        uintptr_t block[3] = {(uintptr_t)":tt", fd == SEMIHOST_STDOUT ? OPEN_MODE_W : OPEN_MODE_A, 3};
        console[fd] = (int)call(SYS_OPEN, block);
    }
    uintptr_t block[3] = {(uintptr_t)console[fd], (uintptr_t)buf, n};
    call(SYS_WRITE, block);
}

int semihost_cmdline(char *buf, size_t cap) {
    uintptr_t block[2] = {(uintptr_t)buf, cap};
    return call(SYS_GET_CMDLINE, block) == 0 ? 0 : -1;
}

void semihost_exit(int code) {
    /* SYS_EXIT_EXTENDED carries the exit status (AArch32's SYS_EXIT cannot) */
    uintptr_t block[2] = {ADP_STOPPED_APPLICATION_EXIT, (uintptr_t)code};
    call(SYS_EXIT_EXTENDED, block);
    call(SYS_EXIT, (void *)(uintptr_t)ADP_STOPPED_APPLICATION_EXIT);
    for (;;) {
    }
}
