/* mps2-an385 start-up: the vector table, then copy .data, clear .bss, build
 * argv from the semihosting command line and call main. Every fault ends
 * the program with exit status 70 (a VM bug, never a verdict). */
#include <stdint.h>

#include "semihost.h"

int main(int argc, char **argv);

extern uint32_t _data_start, _data_end, _data_load, _bss_start, _bss_end, _stack_top;

static void fault_handler(void) {
    static const char msg[] = "unsupported: internal: processor fault\n";
    semihost_write(SEMIHOST_STDERR, msg, sizeof msg - 1);
    semihost_exit(70);
}

#define MAX_ARGS 64
static char cmdline[4096];
static char *argv_buf[MAX_ARGS + 1];

void reset_handler(void) {
    for (uint32_t *src = &_data_load, *dst = &_data_start; dst < &_data_end;) {
        *dst++ = *src++;
    }
    for (uint32_t *p = &_bss_start; p < &_bss_end;) {
        *p++ = 0;
    }
    /* the Cortex-M3 has no FPU: floating point is newlib's soft-float */
    int argc = 0;
    if (semihost_cmdline(cmdline, sizeof cmdline) == 0) {
        char *p = cmdline;
        while (*p && argc < MAX_ARGS) {
            while (*p == ' ') {
                p++;
            }
            if (!*p) {
                break;
            }
            argv_buf[argc++] = p;
            while (*p && *p != ' ') {
                p++;
            }
            if (*p) {
                *p++ = 0;
            }
        }
    }
    argv_buf[argc] = 0;
    semihost_exit(main(argc, argv_buf));
}

typedef void (*vector)(void);

__attribute__((section(".vectors"), used)) static const vector vectors[16] = {
    (vector)(uintptr_t)&_stack_top, reset_handler, fault_handler, fault_handler, fault_handler, fault_handler,
    fault_handler, 0, 0, 0, 0, fault_handler, fault_handler, 0, fault_handler, fault_handler,
};
