/* gcmod.c: the `gc` module (py/modgc.c): collect, the enabled flag, the
 * heap figures and the allocation threshold. The flag and the threshold are
 * recorded and reported; the collector itself runs when the heap is full
 * either way, as a fixed-heap VM must. */
#include "gc.h"
#include "lib.h"

/* MICROPY_BYTES_PER_GC_BLOCK of the unix port (4 words of 8 bytes): the
 * threshold is kept in blocks, so gc.threshold(1) reads back as 0 */
#define UNIX_GC_BLOCK 32

static int enabled = 1;
static int64_t threshold_blocks = -1;

static V gc_collect_fn(int n, V *a, V kw) { (void)n; (void)a; (void)kw; gc_collect(); return None; }
static V gc_enable(int n, V *a, V kw) { (void)n; (void)a; (void)kw; enabled = 1; return None; }
static V gc_disable(int n, V *a, V kw) { (void)n; (void)a; (void)kw; enabled = 0; return None; }
static V gc_isenabled(int n, V *a, V kw) { (void)n; (void)a; (void)kw; return mk_bool(enabled); }
static V gc_mem_alloc(int n, V *a, V kw) { (void)n; (void)a; (void)kw; return mk_int((int64_t)gc_used_bytes()); }
static V gc_mem_free(int n, V *a, V kw) {
    (void)n; (void)a; (void)kw;
    return mk_int((int64_t)(gc_info.heap_bytes - gc_used_bytes()));
}
static V gc_threshold(int n, V *a, V kw) {
    (void)kw;
    if (n == 0) return mk_int(threshold_blocks < 0 ? -1 : threshold_blocks * UNIX_GC_BLOCK);
    if (!is_int(a[0])) raise_msg(E_TypeError, "can't convert %s to int", type_of(a[0])->u.cls.name);
    int64_t v = to_int64(a[0]);
    threshold_blocks = v < 0 ? -1 : v / UNIX_GC_BLOCK;
    return None;
}

void lib_gc_module(V modules) {
    V m = lib_new_module(modules, "gc");
    static const struct { const char *name; native_fn fn; } fns[] = {
        {"collect", gc_collect_fn}, {"enable", gc_enable}, {"disable", gc_disable}, {"isenabled", gc_isenabled},
        {"mem_alloc", gc_mem_alloc}, {"mem_free", gc_mem_free}, {"threshold", gc_threshold},
    };
    for (size_t i = 0; i < sizeof fns / sizeof fns[0]; i++) dict_set_str(m->u.module.dict, fns[i].name, mk_native(fns[i].name, fns[i].fn));
}
