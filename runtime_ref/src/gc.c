/* gc.c: the one allocator. A fixed heap (given by the platform at start-up)
 * of 16-byte blocks with one table byte per block, and a mark-sweep
 * collector that runs when an allocation does not fit.
 *
 * The collector is conservative: every aligned word of the C stack, of the
 * program's static data and of every reached allocation that looks like a
 * pointer into the heap (start or inside of an allocation) keeps that
 * allocation alive. Values live in C locals all through the natives and
 * the interpreter, so a precise collector would need every one of them
 * registered; scanning conservatively needs nothing from the rest of the
 * VM and never frees a live object (it may keep a dead one).
 *
 *     table byte:  0 free | 1 head of an allocation | 2 tail (continues the head)
 *                  bit 7: marked (during a collection) */
#include "gc.h"

#include <setjmp.h>
#include <stdio.h>
#include <string.h>

#include "platform.h"

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#define NO_ASAN __attribute__((no_sanitize_address))
/* each allocation is followed by a poisoned block, as malloc's redzones */
#define REDZONE_BLOCKS 1
#define POISON(p, n) ASAN_POISON_MEMORY_REGION((p), (n))
#define UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
#define NO_ASAN
#define REDZONE_BLOCKS 0
#define POISON(p, n) ((void)(p), (void)(n))
#define UNPOISON(p, n) ((void)(p), (void)(n))
#endif

#define BLOCK 16
enum { FREE = 0, HEAD = 1, TAIL = 2, MARK = 0x80 };

static uint8_t *table;     /* n_blocks entries */
static uint8_t *pool;      /* n_blocks * BLOCK bytes, BLOCK aligned */
static size_t n_blocks;
static size_t rover;       /* where the next search for free blocks starts */
static size_t used_blocks;

gc_stats gc_info;

/* The image: what start-up makes (builtin classes, functions, modules) is
 * bump-allocated into a region of its own and never collected, as
 * MicroPython keeps those tables in flash; the heap is left for the
 * program. Image objects may come to point at heap objects (a program can
 * store into a builtin module), so the used image is a root. */
static uint8_t *image;
static size_t image_cap, image_used;
static int making_image;

void gc_image_begin(void) {
    plat_image(&image, &image_cap);
    image_used = 0;
    making_image = 1;
}

void gc_image_end(void) {
    making_image = 0;
    gc_info.image_bytes = image_used;
}

static void *image_alloc(size_t n) {
    size_t size = (n + 15) & ~(size_t)15;
    if (size < n || size > image_cap - image_used) {
        plat_write_err("unsupported: out of memory (start-up image)\n", 44);
        plat_exit(70);
    }
    void *p = image + image_used;
    image_used += size;
    return p;   /* plat_image gives zeroed memory */
}

void gc_init(void) {
    uint8_t *mem;
    size_t size;
    plat_heap(&mem, &size);
    /* split the heap: one table byte per block, then the aligned blocks */
    uintptr_t start = (uintptr_t)mem;
    size_t blocks = size / (BLOCK + 1);
    uintptr_t first = (start + blocks + BLOCK - 1) & ~(uintptr_t)(BLOCK - 1);
    while (blocks && first + blocks * BLOCK > start + size) {
        blocks--;
    }
    table = mem;
    pool = (uint8_t *)first;
    n_blocks = blocks;   /* plat_heap gives zeroed memory: every block is free */
    POISON(pool, n_blocks * BLOCK);
    gc_info.heap_bytes = n_blocks * BLOCK;
}

static size_t run_length(size_t head) {
    size_t end = head + 1;
    while (end < n_blocks && (table[end] & 0x7f) == TAIL) {
        end++;
    }
    return end - head;
}

/* ---- marking ---- */

#define MARK_STACK 256
static size_t mark_stack[MARK_STACK];
static size_t mark_top;
static int mark_overflow;

/* The allocation holding address w, or (size_t)-1. */
NO_ASAN static size_t block_of(uintptr_t w) {
    if (w < (uintptr_t)pool || w >= (uintptr_t)pool + n_blocks * BLOCK) {
        return (size_t)-1;
    }
    size_t b = (w - (uintptr_t)pool) / BLOCK;
    while (b > 0 && (table[b] & 0x7f) == TAIL) {
        b--;
    }
    return (table[b] & 0x7f) == HEAD ? b : (size_t)-1;
}

NO_ASAN static void mark_word(uintptr_t w) {
    size_t b = block_of(w);
    if (b == (size_t)-1 || (table[b] & MARK)) {
        return;
    }
    table[b] |= MARK;
    if (mark_top < MARK_STACK) {
        mark_stack[mark_top++] = b;
    } else {
        mark_overflow = 1;   /* found again by the rescan in gc_collect */
    }
}

/* Scan [lo, hi) but not the heap and image inside it (static data holds
 * both on a board): the heap is not a root, the image is scanned as far
 * as it is used. */
NO_ASAN static void scan_range(const void *lo, const void *hi) {
    uintptr_t a = ((uintptr_t)lo + sizeof(uintptr_t) - 1) & ~(uintptr_t)(sizeof(uintptr_t) - 1);
    uintptr_t skip[2][2] = {{(uintptr_t)table, (uintptr_t)pool + n_blocks * BLOCK},
                            {(uintptr_t)image, (uintptr_t)image + image_cap}};
    for (; a + sizeof(uintptr_t) <= (uintptr_t)hi; a += sizeof(uintptr_t)) {
        int skipped = 0;
        for (int i = 0; i < 2; i++) {
            if (a >= skip[i][0] && a < skip[i][1]) {
                a = ((skip[i][1] + sizeof(uintptr_t) - 1) & ~(uintptr_t)(sizeof(uintptr_t) - 1)) - sizeof(uintptr_t);
                skipped = 1;
            }
        }
        if (!skipped) {
            mark_word(*(const uintptr_t *)a);
        }
    }
}

NO_ASAN static void scan_words(const void *lo, const void *hi) {
    for (const uintptr_t *p = lo; p + 1 <= (const uintptr_t *)hi; p++) {
        mark_word(*p);
    }
}

NO_ASAN static void scan_block(size_t b) {
    const uintptr_t *p = (const uintptr_t *)(pool + b * BLOCK);
    size_t words = run_length(b) * BLOCK / sizeof(uintptr_t);
    for (size_t i = 0; i < words; i++) {
        mark_word(p[i]);
    }
}

static void drain(void) {
    while (mark_top) {
        scan_block(mark_stack[--mark_top]);
    }
}

/* Registers are spilled into a jmp_buf on this frame, so values held only
 * in registers are seen with the stack. */
NO_ASAN __attribute__((noinline)) static void scan_roots(void) {
    jmp_buf regs;
    setjmp(regs);
    volatile char here = 0;
    scan_range((const void *)&here, plat_stack_top());
    scan_range(&regs, (const char *)&regs + sizeof regs);
    const void *lo, *hi;
    plat_static_data(&lo, &hi);
    scan_range(lo, hi);
    scan_words(image, image + image_used);
}

void gc_collect(void) {
    mark_top = 0;
    mark_overflow = 0;
    scan_roots();
    drain();
    while (mark_overflow) {
        mark_overflow = 0;
        for (size_t b = 0; b < n_blocks; b++) {
            if (table[b] == (HEAD | MARK)) {
                scan_block(b);
                drain();
            }
        }
    }
    size_t live = 0;
    for (size_t b = 0; b < n_blocks;) {
        if (table[b] == (HEAD | MARK)) {
            table[b] = HEAD;
            size_t n = run_length(b);
            live += n;
            b += n;
        } else if (table[b] == HEAD) {
            size_t n = run_length(b);
            memset(table + b, FREE, n);
            POISON(pool + b * BLOCK, n * BLOCK);
            b += n;
        } else {
            b++;
        }
    }
    used_blocks = live;
    rover = 0;
    gc_info.collections++;
}

/* ---- allocation ---- */

void (*gc_full_hook)(size_t bytes);

static size_t find_free(size_t need) {
    size_t run = 0;
    for (size_t pass = 0; pass < 2; pass++) {
        size_t from = pass ? 0 : rover, to = pass ? rover + need : n_blocks;
        if (to > n_blocks) {
            to = n_blocks;
        }
        run = 0;
        for (size_t b = from; b < to; b++) {
            run = table[b] == FREE ? run + 1 : 0;
            if (run == need) {
                return b + 1 - need;
            }
        }
    }
    return (size_t)-1;
}

void *gc_alloc(size_t n) {
    if (making_image) {
        return image_alloc(n);
    }
    size_t need = (n + BLOCK - 1) / BLOCK + REDZONE_BLOCKS;
    if (need == REDZONE_BLOCKS) {
        need++;
    }
    size_t b = need <= n_blocks ? find_free(need) : (size_t)-1;
    if (b == (size_t)-1 && need <= n_blocks) {
        gc_collect();
        b = find_free(need);
    }
    if (b == (size_t)-1 && gc_full_hook) {
        gc_full_hook(n);
    }
    if (b == (size_t)-1) {
#ifdef GC_DEBUG
        char m[120];
        snprintf(m, sizeof m, "gc: need %lu blocks, %lu of %lu live\n", (unsigned long)need, (unsigned long)used_blocks, (unsigned long)n_blocks);
        plat_write_err(m, strlen(m));
#endif
        plat_write_err("unsupported: out of memory\n", 27);
        plat_exit(70);
    }
    table[b] = HEAD;
    memset(table + b + 1, TAIL, need - 1);
    rover = b + need;
    used_blocks += need;
    if (used_blocks * BLOCK > gc_info.peak_bytes) {
        gc_info.peak_bytes = used_blocks * BLOCK;
    }
    uint8_t *p = pool + b * BLOCK;
    size_t usable = (need - REDZONE_BLOCKS) * BLOCK;
    UNPOISON(p, usable);
    memset(p, 0, usable);   /* no stale words for the next scan to follow */
    POISON(p + n, usable - n);
    return p;
}

int gc_room(size_t n) {
    if (making_image) {
        return 1;
    }
    size_t need = (n + BLOCK - 1) / BLOCK + REDZONE_BLOCKS;
    if (need > n_blocks) {
        return 0;
    }
    if (find_free(need) != (size_t)-1) {
        return 1;
    }
    gc_collect();
    return find_free(need) != (size_t)-1;
}

void gc_free(void *p) {
    if (!p) {
        return;
    }
    size_t b = ((uintptr_t)p - (uintptr_t)pool) / BLOCK;
    if ((uint8_t *)p < pool || b >= n_blocks || table[b] != HEAD) {
        return;
    }
    size_t n = run_length(b);
    memset(table + b, FREE, n);
    POISON(p, n * BLOCK);
    used_blocks -= n;
    if (b < rover) {
        rover = b;
    }
}

size_t gc_used_bytes(void) {
    return used_blocks * BLOCK;
}
