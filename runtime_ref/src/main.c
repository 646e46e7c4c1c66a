/* main.c: the mpyref command line.
 *
 *     mpyref verify FILE.mpy...   check every invariant; exit 65 at the first violation
 *     mpyref run MAIN.mpy         verify, then execute (imports load .mpy files beside it)
 *     mpyref dis FILE.mpy         list the instructions of every function
 *
 * Exit codes: 0 ok, 1 uncaught exception, 64 usage, 65 invalid file,
 * 66 unreadable file, 70 unsupported feature. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "bc.h"
#include "gc.h"
#include "mpy.h"
#include "platform.h"
#include "verify.h"
#include "vm.h"

static void say_err(const char *msg) {
    plat_write_err(msg, strlen(msg));
    plat_write_err("\n", 1);
}

/* Read, load and verify one file. Returns 0 or an exit code. */
int mpyref_open(const char *path, mpy_module *m) {
    uint8_t *buf;
    size_t len;
    char err[512];
    if (plat_read_file(path, &buf, &len) != 0) {
        snprintf(err, sizeof err, "%s: cannot read file", path);
        say_err(err);
        return EXIT_NOINPUT;
    }
    int r = mpy_load(path, buf, len, m, err, sizeof err);
    if (r == 0) {
        r = verify_module(m, err, sizeof err);
    }
    if (r != 0) {
        say_err(err);
    }
    return r;
}

/* printf to the platform's console (a board has no stdio) */
static void say(const char *fmt, ...) {
    char line[300];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    plat_write_out(line, strlen(line));
}

static void dis_code(const mpy_code *c, int version) {
    size_t n;
    const char *name = mpy_qstr_text(c->module, c->name, &n);
    say("function %.*s (file offset %lu): n_state %lu n_exc_stack %lu flags 0x%lx args %lu+%lu defaults %lu\n",
        (int)n, name, (unsigned long)(c->file_offset), (unsigned long)(c->n_state), (unsigned long)(c->n_exc_stack), (unsigned long)(c->scope_flags), (unsigned long)(c->n_pos_args), (unsigned long)(c->n_kwonly_args), (unsigned long)(c->n_def_pos_args));
    for (size_t pc = c->code_start; pc < c->len;) {
        bc_insn in;
        if (bc_decode(version, c->data, pc, c->len, &in)) {
            say("  %5lu  <bad>\n", (unsigned long)(pc - c->code_start));
            break;
        }
        say("  %5lu  0x%02x arg %lld", (unsigned long)(pc - c->code_start), in.op, (long long)(in.arg));
        if (in.kind == OPK_JUMP_SIGNED || in.kind == OPK_JUMP_UNSIGNED) {
            say(" -> %lu", (unsigned long)(in.target - c->code_start));
        }
        if (in.extra >= 0) {
            say(" extra %d", in.extra);
        }
        say("\n");
        pc += in.size;
    }
    for (size_t i = 0; i < c->n_children; i++) {
        dis_code(c->children[i], version);
    }
}

int main(int argc, char **argv) {
    gc_init();
    if (argc < 3) {
        say_err("usage: mpyref verify FILE.mpy... | mpyref run MAIN.mpy | mpyref dis FILE.mpy");
        plat_exit(EXIT_USAGE);
    }
    if (strcmp(argv[1], "verify") == 0) {
        for (int i = 2; i < argc; i++) {
            mpy_module m;
            size_t mark = plat_file_mark();
            int r = mpyref_open(argv[i], &m);
            if (r) {
                plat_exit(r);
            }
            plat_file_release(mark);
        }
        plat_exit(0);
    }
    if (strcmp(argv[1], "dis") == 0) {
        mpy_module m;
        char err[512];
        uint8_t *buf;
        size_t len;
        if (plat_read_file(argv[2], &buf, &len) != 0) {
            say_err("cannot read file");
            plat_exit(EXIT_NOINPUT);
        }
        int r = mpy_load(argv[2], buf, len, &m, err, sizeof err);
        if (r) {
            say_err(err);
            plat_exit(r);
        }
        dis_code(m.root, m.version);
        plat_exit(0);
    }
    if (strcmp(argv[1], "run") == 0 && argc == 3) {
        plat_exit(vm_run_main(argv[2]));
    }
    say_err("usage: mpyref verify FILE.mpy... | mpyref run MAIN.mpy | mpyref dis FILE.mpy");
    plat_exit(EXIT_USAGE);
}
