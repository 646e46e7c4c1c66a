/* ARM semihosting (the "Semihosting for AArch32 and AArch64" spec): the
 * debugger side, here QEMU with -semihosting-config enable=on,target=native,
 * performs file I/O, console output and exit for the program. */
#ifndef MPYREF_SEMIHOST_H
#define MPYREF_SEMIHOST_H

#include <stddef.h>

#define SEMIHOST_STDOUT 1
#define SEMIHOST_STDERR 2

int semihost_open(const char *path);                 /* read-only binary; -1 on failure */
long semihost_file_length(int fd);
long semihost_read(int fd, void *buf, size_t n);     /* bytes read, -1 on error */
void semihost_close(int fd);
void semihost_write(int fd, const void *buf, size_t n);
int semihost_cmdline(char *buf, size_t cap);         /* 0 on success */
void semihost_exit(int code) __attribute__((noreturn));

#endif
