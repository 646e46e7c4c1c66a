#include "vm.h"
int vm_run_main(const char *path) { mpy_module m; return mpyref_open(path, &m) ? 65 : 70; }
