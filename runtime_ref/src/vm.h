/* vm.h: run a verified module. */
#ifndef MPYREF_VM_H
#define MPYREF_VM_H

#include "mpy.h"

/* Load, verify and run MAIN.mpy as __main__; returns the exit code. */
int vm_run_main(const char *path);

/* main.c: read, load and verify one file (reports errors itself). */
int mpyref_open(const char *path, mpy_module *m);

#endif
