/* gc.h: the one allocator, over the fixed heap the platform gives, with a
 * mark-sweep collector (see gc.c for why it scans conservatively). */
#ifndef MPYREF_GC_H
#define MPYREF_GC_H

#include <stddef.h>

void gc_init(void);             /* once, before the first allocation */
/* Called when an allocation cannot be met even after a collection; it may
 * raise (the VM's MemoryError) instead of returning. Unset, or if it returns,
 * the run stops with "unsupported: out of memory" (exit 70). */
extern void (*gc_full_hook)(size_t bytes);
void *gc_alloc(size_t n);       /* zeroed; never NULL: exits 70 when the heap is full of live data */
void gc_free(void *p);          /* give back early what is known dead (optional) */
void gc_collect(void);
size_t gc_used_bytes(void);     /* the heap in use now (live and not yet collected) */
int gc_room(size_t n);          /* whether n bytes can be allocated now (collects if need be) */
/* Between these, allocations go to the start-up image (never collected). */
void gc_image_begin(void);
void gc_image_end(void);

typedef struct {
    size_t heap_bytes, peak_bytes, collections, image_bytes;
} gc_stats;
extern gc_stats gc_info;

#endif
