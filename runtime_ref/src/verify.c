/* verify.c: the invariants of a loaded module.
 *
 * Per function: the prelude's counts agree with each other; every qstr,
 * constant, child and local index is in range; small ints fit the header's
 * small-int width; instructions tile the bytecode exactly; every jump lands on
 * an instruction start inside the function; the line table stays inside the
 * code; control never runs off the end; and the declared n_state and
 * n_exc_stack equal what the bytecode reaches.
 *
 * Stack depth is found by abstract interpretation over the control-flow
 * graph. The official compiler (py/emitbc.c, py/compile.c) counts stack
 * slots the VM may need beyond what plain data flow shows, and n_state must
 * match that count, so the interpretation carries a "reserve" next to the
 * depth, attached to exception blocks:
 *   - an except handler reserves 3 slots (mp_emit_bc_start_except_handler:
 *     +4 = the exception + 3 for a possible UNWIND_JUMP state);
 *   - a finally handler reserves 1 (compile_try_finally: a return value);
 *   - the body of a try/finally without except clauses, and of async with,
 *     reserves 3 (compile_try_finally: "possible UNWIND_JUMP state").
 * A try/finally whose body is itself a try/except compiles to the same
 * bytecode as try/except/finally but is counted with the reserve, so both
 * readings are tried. The compiler also counts code it drops as dead (after
 * return, raise, break...), which the file no longer holds; such a function
 * declares more than its bytecode reaches and is reported. */
#include "gc.h"
#include "verify.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "bc.h"
#include "platform.h"

#define MAX_BLOCKS 32
#define MAX_DEPTH 100000

enum { BLK_EXCEPT, BLK_FINALLY, BLK_WITH };

typedef struct {
    unsigned char kind, active;   /* active: its handler is running */
    unsigned short reserve;       /* slots this block reserves now */
    int saved;                    /* stack depth before the SETUP instruction */
    size_t handler;
} block;

typedef struct {
    int depth;                    /* -1: not reached */
    int reserve;
    int n_blocks;
    block blocks[MAX_BLOCKS];
} state;

/* State is kept only at join points (the entry and every jump or handler
 * target): between two join points control only falls through, so the
 * interpretation carries the state along in one local. A join point keeps
 * the state without its block array; the blocks live in a pool of
 * block_cap entries per join point, block_cap being what the prelude
 * declares (n_exc_stack, at most the number of SETUP instructions).
 * Beside that, one bit per code byte marks instruction starts and one
 * marks join points. All of it is given back after each function, so
 * memory is bounded by the largest function, not the file. */
typedef struct {
    int depth, reserve, n_blocks;
} state_head;

typedef struct {
    const mpy_module *m;
    const mpy_code *c;
    char *err;
    size_t errlen;
    int version;
    uint8_t *starts;              /* bit per code byte: an instruction starts here */
    uint8_t *joins;               /* bit per code byte: a join point starts here */
    size_t n_join;
    uint32_t *offs;               /* offset of each join point, ascending */
    state_head *st;               /* per join point */
    block *pool;                  /* block_cap per join point */
    size_t block_cap;
    unsigned char *queued;        /* 1 while a join point waits in work */
    uint32_t *work;
    size_t n_work;
    int has_next;                 /* the step fell through to a non-join instruction: */
    size_t next_pc;               /* its offset and state */
    state next;
    int max_depth, max_exc;
    int ambiguous_mode, saw_ambiguous;
} vctx;

static int report(vctx *v, size_t off, const char *fmt, ...) {
    char msg[240];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    size_t nlen;
    const char *name = mpy_qstr_text(v->m, v->c->name, &nlen);
    if (v->c->name >= v->m->n_qstr) {
        name = "?";
        nlen = 1;
    }
    snprintf(v->err, v->errlen, "%s: function '%.*s' (at file offset %lu): bytecode offset %lu: %s",
        v->m->filename, (int)(nlen > 60 ? 60 : nlen), name, (unsigned long)(v->c->file_offset), (unsigned long)(off), msg);
    return EXIT_INVALID;
}

static int bit(const uint8_t *bits, size_t i) {
    return (bits[i >> 3] >> (i & 7)) & 1;
}

static void set_bit(uint8_t *bits, size_t i) {
    bits[i >> 3] |= (uint8_t)(1u << (i & 7));
}

/* The index of the join point at pc, or -1. */
static long join_at(const vctx *v, size_t pc) {
    size_t lo = 0, hi = v->n_join;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (v->offs[mid] < pc) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return lo < v->n_join && v->offs[lo] == pc ? (long)lo : -1;
}

static int is_start(const vctx *v, size_t pc) {
    return pc >= v->c->code_start && pc < v->c->len && bit(v->starts, pc - v->c->code_start);
}

static void load_state(const vctx *v, size_t i, state *s) {
    const state_head *h = &v->st[i];
    s->depth = h->depth;
    s->reserve = h->reserve;
    s->n_blocks = h->n_blocks;
    if (h->depth >= 0) {
        mem_copy(s->blocks, &v->pool[i * v->block_cap], (size_t)h->n_blocks * sizeof(block));
    }
}

static void store_state(vctx *v, size_t i, const state *s) {
    state_head *h = &v->st[i];
    h->depth = s->depth;
    h->reserve = s->reserve;
    h->n_blocks = s->n_blocks;
    mem_copy(&v->pool[i * v->block_cap], s->blocks, (size_t)s->n_blocks * sizeof(block));
}

static int is_store(int op) {
    return op == MP_BC_STORE_FAST_N || op == MP_BC_STORE_NAME || op == MP_BC_STORE_GLOBAL
        || op == MP_BC_STORE_DEREF || (op >= MP_BC_STORE_FAST_MULTI && op < MP_BC_STORE_FAST_MULTI + MP_BC_STORE_FAST_MULTI_NUM);
}

static int is_delete(int op) {
    return op == MP_BC_DELETE_FAST || op == MP_BC_DELETE_NAME || op == MP_BC_DELETE_GLOBAL || op == MP_BC_DELETE_DEREF;
}

static void decode_at(vctx *v, size_t pc, bc_insn *in) {
    bc_decode(v->version, v->c->data, pc, v->c->len, in);
}

/* Reserve of a SETUP_FINALLY body: 3 for try/finally without except and
 * async with; 0 for the hidden try/finally of "except E as e" and (in mode 0)
 * when the body starts with SETUP_EXCEPT (try/except/finally). */
static int finally_body_reserve(vctx *v, size_t pc, const bc_insn *in) {
    bc_insn h, next;
    size_t t = in->target;
    if (t < v->c->len && is_start(v, t)) {
        decode_at(v, t, &h);
        if (h.op == MP_BC_LOAD_CONST_NONE && t + h.size < v->c->len) {
            bc_insn s;
            decode_at(v, t + h.size, &s);
            if (is_store(s.op) && t + h.size + s.size < v->c->len) {
                bc_insn d;
                decode_at(v, t + h.size + s.size, &d);
                if (is_delete(d.op)) {
                    return 0;
                }
            }
        }
    }
    if (pc + in->size < v->c->len) {
        decode_at(v, pc + in->size, &next);
        if (next.op == MP_BC_SETUP_EXCEPT) {
            v->saw_ambiguous = 1;
            return (v->ambiguous_mode & 1) ? 3 : 0;
        }
    }
    return 3;
}

/* py/emitbc.c mp_emit_bc_async_with_setup_finally: an async-with finally
 * handler starts DUP_TOP, LOAD_GLOBAL, EXCEPTION_MATCH, POP_JUMP_IF_FALSE;
 * the jump is taken for a return or unwind, which left two values (X, INT)
 * where an exception leaves one. Returns the offset of that jump or 0. */
static size_t async_with_dispatch(vctx *v, size_t handler) {
    static const int pattern[3] = {MP_BC_DUP_TOP, MP_BC_LOAD_GLOBAL, MP_BC_BINARY_OP_MULTI + MP_BINARY_OP_EXCEPTION_MATCH};
    size_t pc = handler;
    for (int i = 0; i < 3; i++) {
        bc_insn in;
        if (pc >= v->c->len || bc_decode(v->version, v->c->data, pc, v->c->len, &in) || in.op != pattern[i]) {
            return 0;
        }
        pc += in.size;
    }
    bc_insn in;
    if (pc >= v->c->len || bc_decode(v->version, v->c->data, pc, v->c->len, &in) || in.op != MP_BC_POP_JUMP_IF_FALSE) {
        return 0;
    }
    return pc;
}

/* The slot a finally handler reserves for a return value: compile_try_finally
 * counts it from MicroPython 1.23; 1.18 (v5) to 1.22 do not, and their v6
 * headers are the same as 1.23's, so for v6 both counts are tried
 * (mode bit 2 selects the older one). */
static int finally_handler_reserve(const vctx *v) {
    return v->version >= 6 && !(v->ambiguous_mode & 2) ? 1 : 0;
}

/* Code at or after a finally's handler runs as part of the handler: the
 * body's reserve gives way to the handler's (entered by falling in or by
 * the async-with jump past it). */
static void enter_handler_region(vctx *v, size_t pc, state *s) {
    block *top = s->n_blocks ? &s->blocks[s->n_blocks - 1] : NULL;
    if (top && !top->active && top->kind == BLK_FINALLY && pc >= top->handler) {
        s->reserve -= top->reserve;
        top->active = 1;
        top->reserve = async_with_dispatch(v, top->handler) ? 0 : finally_handler_reserve(v);
        s->reserve += top->reserve;
    }
}

/* Merge state s0 into offset pc; queue pc if it changed. */
static int flow_to(vctx *v, size_t from, size_t pc, const state *s0) {
    state norm = *s0;
    const state *s = &norm;
    if (pc < v->c->len) {
        enter_handler_region(v, pc, &norm);
    }
    if (pc >= v->c->len) {
        return report(v, from, "control runs off the end of the bytecode");
    }
    if (!is_start(v, pc)) {
        return report(v, from, "jump to offset %lu, which is not an instruction start", (unsigned long)(pc));
    }
    if (s->depth < 0) {
        return report(v, from, "stack underflow");
    }
    if (s->depth > MAX_DEPTH) {
        return report(v, from, "stack depth grows without bound");
    }
    if ((size_t)s->n_blocks > v->block_cap) {
        return report(v, from, "n_exc_stack is %lu, the bytecode nests at least %d exception blocks",
            (unsigned long)(v->c->n_exc_stack), s->n_blocks);
    }
    long i = bit(v->joins, pc - v->c->code_start) ? join_at(v, pc) : -1;
    if (i < 0) {
        /* only falling through reaches it: carry the state on */
        v->has_next = 1;
        v->next_pc = pc;
        v->next = *s;
        return 0;
    }
    state told;
    state *t = &told;
    load_state(v, (size_t)i, t);
    if (t->depth < 0) {
        *t = *s;
    } else {
        if (t->n_blocks != s->n_blocks) {
            return report(v, pc, "reached with %d and with %d open exception blocks", t->n_blocks, s->n_blocks);
        }
        if (s->depth != t->depth) {
            /* Paths must agree on the stack, except inside an async-with
             * finally handler, whose return/unwind case carries (X, INT)
             * where the others carry one value (py/compile.c
             * compile_async_with_stmt_helper, cases 1 to 3). */
            const block *tb = t->n_blocks ? &t->blocks[t->n_blocks - 1] : NULL;
            int loose = tb && tb->active && tb->kind == BLK_FINALLY && async_with_dispatch(v, tb->handler) && pc >= tb->handler;
            if (!loose) {
                return report(v, pc, "reached with stack depth %d and with %d", t->depth, s->depth);
            }
        }
        if (s->depth <= t->depth && s->reserve <= t->reserve) {
            return 0;
        }
        int depth = s->depth > t->depth ? s->depth : t->depth;
        if (s->reserve > t->reserve) {
            *t = *s;
        }
        t->depth = depth;
    }
    store_state(v, (size_t)i, t);
    if (!v->queued[i]) {
        v->queued[i] = 1;
        v->work[v->n_work++] = (uint32_t)i;
    }
    return 0;
}

static void note_depth(vctx *v, int d) {
    if (d > v->max_depth) {
        v->max_depth = d;
    }
}

static int step(vctx *v, size_t pc, const state *s0) {
    state s = *s0;
    bc_insn in;
    decode_at(v, pc, &in);
    size_t next = pc + in.size;
    int op = in.op;
    block *top = s.n_blocks ? &s.blocks[s.n_blocks - 1] : NULL;

    /* entering a finally handler by falling into it: body reserve becomes the handler's */
    enter_handler_region(v, pc, &s);
    int reserve_here = s.reserve;
    if (top && !top->active && top->kind == BLK_FINALLY && next == top->handler && op == MP_BC_LOAD_CONST_NONE) {
        reserve_here -= top->reserve;   /* compile_try_finally: the reserve ends before this None */
    }
    note_depth(v, s.depth + reserve_here);

    int64_t eff = mp_bc_stack_effect_v6(op, in.arg, in.extra);
#ifdef MP_BC_HAVE_v5
    if (v->version == 5) {
        eff = mp_bc_stack_effect_v5(op, in.arg, in.extra);
    }
#endif
    state n = s;
    int r;
    if (s.depth < bc_stack_inputs(op, in.arg, in.extra)) {
        return report(v, pc, "stack underflow: the instruction reads %lld values, the stack holds %d",
            (long long)(bc_stack_inputs(op, in.arg, in.extra)), s.depth);
    }
    switch (op) {
        case MP_BC_JUMP:
            return flow_to(v, pc, in.target, &s);
        case MP_BC_RETURN_VALUE:
        case MP_BC_RAISE_LAST:
        case MP_BC_RAISE_OBJ:
        case MP_BC_RAISE_FROM:
            if (s.depth + eff < 0) {
                return report(v, pc, "stack underflow");
            }
            return 0;
        case MP_BC_POP_JUMP_IF_TRUE:
        case MP_BC_POP_JUMP_IF_FALSE: {
            n.depth -= 1;
            state j = n;
            if (top && top->active && top->kind == BLK_FINALLY && async_with_dispatch(v, top->handler) == pc) {
                j.depth += 1;
            }
            if ((r = flow_to(v, pc, in.target, &j))) {
                return r;
            }
            return flow_to(v, pc, next, &n);
        }
        case MP_BC_JUMP_IF_TRUE_OR_POP:
        case MP_BC_JUMP_IF_FALSE_OR_POP:
            if ((r = flow_to(v, pc, in.target, &s))) {
                return r;
            }
            n.depth -= 1;
            return flow_to(v, pc, next, &n);
        case MP_BC_FOR_ITER: {
            state e = s;
            e.depth -= MP_BC_ITER_BUF_NSLOTS_v6;
            if ((r = flow_to(v, pc, in.target, &e))) {
                return r;
            }
            n.depth += 1;
            note_depth(v, n.depth + n.reserve);
            return flow_to(v, pc, next, &n);
        }
        case MP_BC_SETUP_WITH:
        case MP_BC_SETUP_EXCEPT:
        case MP_BC_SETUP_FINALLY: {
            if (s.n_blocks >= MAX_BLOCKS) {
                return report(v, pc, "exception blocks nested too deeply");
            }
            if (in.target <= pc) {
                return report(v, pc, "exception handler must be after its SETUP");
            }
            block b = {0};
            b.kind = op == MP_BC_SETUP_WITH ? BLK_WITH : op == MP_BC_SETUP_EXCEPT ? BLK_EXCEPT : BLK_FINALLY;
            b.saved = s.depth - (op == MP_BC_SETUP_WITH ? 1 : 0);   /* depth once the block is left */
            b.handler = in.target;
            b.reserve = b.kind == BLK_FINALLY ? (unsigned short)finally_body_reserve(v, pc, &in) : 0;
            if (b.kind == BLK_FINALLY && async_with_dispatch(v, b.handler)) {
                b.saved -= 1;   /* async with: the ctx_mgr below the block goes with it */
            }
            /* the handler: the block stays open (marked active), the exception is pushed */
            state h = s;
            h.blocks[h.n_blocks] = b;
            h.blocks[h.n_blocks].active = 1;
            h.blocks[h.n_blocks].reserve = b.kind == BLK_EXCEPT ? 3 : b.kind == BLK_FINALLY ? finally_handler_reserve(v) : 0;
            if (b.kind == BLK_FINALLY && async_with_dispatch(v, b.handler)) {
                h.blocks[h.n_blocks].reserve = 0;
            }
            h.reserve += h.blocks[h.n_blocks].reserve;
            h.n_blocks++;
            h.depth = s.depth + (op == MP_BC_SETUP_WITH ? 1 : 0) + 1;
            if (h.n_blocks > v->max_exc) {
                v->max_exc = h.n_blocks;
            }
            note_depth(v, h.depth + h.reserve);
            if ((r = flow_to(v, pc, in.target, &h))) {
                return r;
            }
            n.blocks[n.n_blocks++] = b;
            n.reserve += b.reserve;
            n.depth += (int)eff;
            note_depth(v, n.depth + n.reserve);
            return flow_to(v, pc, next, &n);
        }
        case MP_BC_POP_EXCEPT_JUMP:
            if (!top) {
                return report(v, pc, "POP_EXCEPT_JUMP with no open exception block");
            }
            n.reserve -= top->reserve;
            n.n_blocks--;
            return flow_to(v, pc, in.target, &n);
        case MP_BC_END_FINALLY:
            if (!top) {
                return report(v, pc, "END_FINALLY with no open exception block");
            }
            n.reserve -= top->reserve;
            n.n_blocks--;
            /* py/vm.c: END_FINALLY falls through only for None (pop it); a
             * return or unwind state leaves by another way, so the depth
             * after it is the block's exit depth whatever the handler held */
            n.depth = top->saved;
            return flow_to(v, pc, next, &n);
        case MP_BC_WITH_CLEANUP:
            /* py/emitbc.c mp_emit_bc_with_cleanup: +2 to call __exit__, then -4 */
            note_depth(v, s.depth + (int)eff + reserve_here);
            n.depth += (int)eff - 4;
            return flow_to(v, pc, next, &n);
        case MP_BC_UNWIND_JUMP: {
            int count = in.extra & 0x7f;
            if (count > s.n_blocks) {
                return report(v, pc, "UNWIND_JUMP through %d blocks, only %d open", count, s.n_blocks);
            }
            if (count > 0) {
                block *outer = &s.blocks[s.n_blocks - count];
                n.depth = outer->saved;
                for (int i = 0; i < count; i++) {
                    n.reserve -= s.blocks[s.n_blocks - 1 - i].reserve;
                }
                n.n_blocks -= count;
            }
            if (in.extra & 0x80) {
                n.depth -= MP_BC_ITER_BUF_NSLOTS_v6;
            }
            return flow_to(v, pc, in.target, &n);
        }
        case MP_BC_UNPACK_SEQUENCE:
        case MP_BC_UNPACK_EX:
            if (s.depth < 1) {
                return report(v, pc, "stack underflow");
            }
            break;
        case MP_BC_STORE_COMP:
            /* py/vm.c: the collection is arg >> 2 below the top; the value (and key) above it */
            if ((in.arg >> 2) >= s.depth || (in.arg >> 2) < ((in.arg & 3) == 1 ? 2 : 1)) {
                return report(v, pc, "STORE_COMP collection %lld below the stack", (long long)(in.arg >> 2));
            }
            break;
        default:
            break;
    }
    /* generic: apply the net effect, checking the pops are there */
    if (op == MP_BC_MAKE_CLOSURE || op == MP_BC_MAKE_CLOSURE_DEFARGS) {
        if (s.depth < in.extra + (op == MP_BC_MAKE_CLOSURE_DEFARGS ? 2 : 0)) {
            return report(v, pc, "stack underflow");
        }
    }
    n.depth += (int)eff;
    if (n.depth < 0) {
        return report(v, pc, "stack underflow (%s needs more values)", "instruction");
    }
    note_depth(v, n.depth + reserve_here - s.reserve + n.reserve);
    return flow_to(v, pc, next, &n);
}

/* The local slot an instruction names, or (size_t)-1. */
static size_t local_of(const bc_insn *in) {
    int op = in->op;
    if (op == MP_BC_LOAD_FAST_N || op == MP_BC_STORE_FAST_N || op == MP_BC_DELETE_FAST || op == MP_BC_LOAD_DEREF
        || op == MP_BC_STORE_DEREF || op == MP_BC_DELETE_DEREF) {
        return (size_t)in->arg;
    } else if (op >= MP_BC_LOAD_FAST_MULTI && op < MP_BC_LOAD_FAST_MULTI + MP_BC_LOAD_FAST_MULTI_NUM) {
        return (size_t)(op - MP_BC_LOAD_FAST_MULTI);
    } else if (op >= MP_BC_STORE_FAST_MULTI && op < MP_BC_STORE_FAST_MULTI + MP_BC_STORE_FAST_MULTI_NUM) {
        return (size_t)(op - MP_BC_STORE_FAST_MULTI);
    }
    return (size_t)-1;
}

/* Operand checks that need no flow. */
static int check_operands(vctx *v, size_t pc, const bc_insn *in, size_t n_locals) {
    const mpy_module *m = v->m;
    const mpy_code *c = v->c;
    int op = in->op;
    size_t n_args = c->n_pos_args + c->n_kwonly_args;
    switch (in->kind) {
        case OPK_QSTR:
            if ((size_t)in->arg >= m->n_qstr) {
                return report(v, pc, "qstr index %lld out of range (table has %lu)", (long long)(in->arg), (unsigned long)(m->n_qstr));
            }
            break;
        case OPK_OBJ:
            if (v->version == 6 && (size_t)in->arg >= m->n_obj) {
                return report(v, pc, "constant index %lld out of range (table has %lu)", (long long)(in->arg), (unsigned long)(m->n_obj));
            }
            if (v->version == 5 && ((size_t)in->arg < n_args || (size_t)in->arg >= n_args + c->n_obj)) {
                return report(v, pc, "constant index %lld not an object (objects are %lu..%lu)", (long long)(in->arg), (unsigned long)(n_args),
                    (unsigned long)(n_args + c->n_obj - 1));
            }
            break;
        case OPK_CHILD: {
            size_t base = v->version == 5 ? n_args + c->n_obj : 0;
            if ((size_t)in->arg < base || (size_t)in->arg - base >= c->n_children) {
                return report(v, pc, "child index %lld out of range (function has %lu children)", (long long)(in->arg),
                    (unsigned long)(c->n_children));
            }
            break;
        }
        case OPK_SINT: {
            int64_t lim = (int64_t)1 << (m->small_int_bits - 1);
            if (in->arg < -lim || in->arg >= lim) {
                return report(v, pc, "small int %lld does not fit in %d bits", (long long)(in->arg), m->small_int_bits);
            }
            break;
        }
        default:
            break;
    }
    if (op == MP_BC_BUILD_SLICE && in->arg != 2 && in->arg != 3) {
        return report(v, pc, "BUILD_SLICE of %lld items (expected 2 or 3)", (long long)(in->arg));
    }
    if (op == MP_BC_STORE_COMP && (in->arg & 3) == 3) {
        return report(v, pc, "STORE_COMP kind 3 (expected 0 list, 1 dict or 2 set)");
    }
    size_t local = local_of(in);
    (void)op;
    if (local != (size_t)-1 && local >= n_locals) {
        return report(v, pc, "local %lu out of range (n_state %lu leaves %lu locals)", (unsigned long)(local), (unsigned long)(c->n_state), (unsigned long)(n_locals));
    }
    if (in->kind == OPK_JUMP_SIGNED || in->kind == OPK_JUMP_UNSIGNED) {
        if (in->target >= c->len || !is_start(v, in->target)) {
            return report(v, pc, "jump target %lu is not an instruction start", (unsigned long)(in->target));
        }
    }
    return 0;
}

static int analyse(vctx *v) {
    const mpy_code *c = v->c;
    for (size_t i = 0; i < v->n_join; i++) {
        v->st[i].depth = -1;
    }
    v->n_work = 0;
    v->max_depth = 0;
    v->max_exc = 0;
    state s0;
    memset(&s0, 0, sizeof s0);
    int r = flow_to(v, c->code_start, c->code_start, &s0);
    while (!r && v->n_work) {
        size_t i = v->work[--v->n_work];
        v->queued[i] = 0;
        state s;
        load_state(v, i, &s);
        size_t pc = v->offs[i];
        /* run from the join point until control leaves for other join points */
        for (;;) {
            v->has_next = 0;
            if ((r = step(v, pc, &s)) || !v->has_next) {
                break;
            }
            pc = v->next_pc;
            s = v->next;
        }
    }
    return r;
}

/* Stack and exception-block analysis of one function, then the checks
 * that need its result. The declared n_state and n_exc_stack must cover
 * what the bytecode reaches; they must equal it where no code can have
 * been dropped (see dead_code_possible), as the compiler's count is then
 * known exactly. */
static int verify_flow(vctx *v, const mpy_code *c, size_t n_setup, int dead_code_possible) {
    size_t n_args = c->n_pos_args + c->n_kwonly_args;
    v->block_cap = c->n_exc_stack < n_setup ? c->n_exc_stack : n_setup;
    if (v->block_cap > MAX_BLOCKS) {
        v->block_cap = MAX_BLOCKS;
    }
    /* instruction starts and join points: the entry and every jump target */
    size_t code_len = c->len - c->code_start;
    v->starts = gc_alloc((code_len + 7) / 8);
    v->joins = gc_alloc((code_len + 7) / 8);
    set_bit(v->joins, 0);
    for (size_t pc = c->code_start; pc < c->len;) {
        bc_insn in;
        decode_at(v, pc, &in);
        set_bit(v->starts, pc - c->code_start);
        if ((in.kind == OPK_JUMP_SIGNED || in.kind == OPK_JUMP_UNSIGNED) && in.target >= c->code_start && in.target < c->len) {
            set_bit(v->joins, in.target - c->code_start);
        }
        pc += in.size;
    }
    v->n_join = 0;
    for (size_t i = 0; i < code_len; i++) {
        v->n_join += bit(v->joins, i);
    }
    v->offs = gc_alloc(v->n_join * sizeof *v->offs);
    v->st = gc_alloc(v->n_join * sizeof *v->st);
    v->pool = gc_alloc(v->n_join * v->block_cap * sizeof *v->pool);
    v->queued = gc_alloc(v->n_join);
    v->work = gc_alloc(v->n_join * sizeof *v->work);
    for (size_t i = 0, k = 0; i < code_len; i++) {
        if (bit(v->joins, i)) {
            v->offs[k++] = (uint32_t)(c->code_start + i);
        }
    }
    size_t locals_min = n_args + !!(c->scope_flags & MP_SCOPE_FLAG_VARARGS) + !!(c->scope_flags & MP_SCOPE_FLAG_VARKEYWORDS);
    /* locals are numbered from 0: the highest one used fixes their count */
    size_t used = locals_min;
    for (size_t i = 0; i < c->n_cell; i++) {
        if ((size_t)c->data[c->cell_start + i] + 1 > used) {
            used = (size_t)c->data[c->cell_start + i] + 1;
        }
    }
    for (size_t pc = c->code_start; pc < c->len;) {
        bc_insn in;
        decode_at(v, pc, &in);
        size_t l = local_of(&in);
        if (l != (size_t)-1 && l + 1 > used) {
            used = l + 1;
        }
        pc += in.size;
    }
    /* stack analysis under each reading of ambiguous try blocks (see
     * finally_body_reserve, finally_handler_reserve): keep one that
     * explains n_state exactly, or else the smallest */
    int r, need = -1, first = -1, need_exc = 0;
    v->saw_ambiguous = 0;
    for (int mode = 0; mode < 4; mode++) {
        if (mode && (((mode & 1) && !v->saw_ambiguous) || ((mode & 2) && v->version < 6))) {
            continue;
        }
        v->ambiguous_mode = mode;
        if ((r = analyse(v))) {
            return r;
        }
        if (first < 0) {
            first = v->max_depth;
            need_exc = v->max_exc;
        }
        if ((size_t)v->max_depth + used == c->n_state) {
            need = v->max_depth;
            break;
        }
        if (dead_code_possible && (need < 0 || v->max_depth < need)) {
            need = v->max_depth;
        }
    }
    if (need < 0) {
        need = first;
    }
    if (dead_code_possible ? (size_t)need_exc > c->n_exc_stack : (size_t)need_exc != c->n_exc_stack) {
        return report(v, 0, "n_exc_stack is %lu, the bytecode nests %d exception blocks", (unsigned long)(c->n_exc_stack), need_exc);
    }
    if (c->n_state < (size_t)need + locals_min) {
        return report(v, 0, "n_state %lu too small: %lu argument slots + %d stack slots needed", (unsigned long)(c->n_state),
            (unsigned long)(locals_min), need);
    }
    if (dead_code_possible ? c->n_state < (size_t)need + used : c->n_state != (size_t)need + used) {
        return report(v, 0, "n_state is %lu, the bytecode reaches %lu (%lu locals + %d stack)", (unsigned long)(c->n_state),
            (unsigned long)((size_t)need + used), (unsigned long)(used), need);
    }
    size_t n_locals = c->n_state - (size_t)need;
    for (size_t i = 0; i < c->n_cell; i++) {
        if (c->data[c->cell_start + i] >= n_locals) {
            return report(v, 0, "cell %lu names local %d, only %lu locals", (unsigned long)(i), c->data[c->cell_start + i], (unsigned long)(n_locals));
        }
    }
    for (size_t pc = c->code_start; pc < c->len;) {
        bc_insn in;
        decode_at(v, pc, &in);
        if ((r = check_operands(v, pc, &in, n_locals))) {
            return r;
        }
        pc += in.size;
    }
    return 0;
}

/* Whether the compiler's count is known exactly: lambdas and
 * comprehensions hold one expression, and module code cannot return, so
 * neither can end in "return; <dropped code>" (a return of a user
 * function can, and its bytes are the same as without the dropped code). */
static int no_user_statements(const vctx *v, const mpy_code *c) {
    static const char *const expression_scopes[] = {"<lambda>", "<listcomp>", "<dictcomp>", "<setcomp>", "<genexpr>"};
    size_t n;
    const char *name = mpy_qstr_text(v->m, c->name, &n);
    for (size_t i = 0; i < sizeof expression_scopes / sizeof *expression_scopes; i++) {
        if (strlen(expression_scopes[i]) == n && memcmp(name, expression_scopes[i], n) == 0) {
            return 1;
        }
    }
    return c == v->m->root;
}

static int verify_code(vctx *v, const mpy_code *c, int depth) {
    const mpy_module *m = v->m;
    v->c = c;
    size_t n_args = c->n_pos_args + c->n_kwonly_args;
    if (c->n_def_pos_args > c->n_pos_args) {
        return report(v, 0, "%lu default arguments for %lu positional ones", (unsigned long)(c->n_def_pos_args), (unsigned long)(c->n_pos_args));
    }
    if (v->version == 6) {
        if (c->name >= m->n_qstr) {
            return report(v, 0, "name qstr %lu out of range (table has %lu)", (unsigned long)(c->name), (unsigned long)(m->n_qstr));
        }
        for (size_t i = 0; i < n_args; i++) {
            if (c->arg_names[i] >= m->n_qstr) {
                return report(v, 0, "argument name qstr %lu out of range", (unsigned long)(c->arg_names[i]));
            }
        }
    }
    /* the line table: entries inside the info section, offsets inside the code */
    size_t code_len = c->len - c->code_start;
    size_t bc = 0;
    for (size_t p = c->line_start; p < c->line_end;) {
        uint8_t b = c->data[p];
        if (b & 0x80) {
            if (p + 2 > c->line_end) {
                return report(v, 0, "line-number entry at prelude offset %lu runs past the info section", (unsigned long)(p));
            }
            bc += b & 0xf;
            p += 2;
        } else {
            bc += b & 0x1f;
            p += 1;
        }
    }
    if (bc > code_len) {
        return report(v, 0, "line-number table covers %lu bytes, code has %lu", (unsigned long)(bc), (unsigned long)(code_len));
    }
    if (code_len == 0) {
        return report(v, c->code_start, "function has no bytecode");
    }
    /* tile the code with instructions */
    size_t n_setup = 0;
    int dead_code_possible = 0, last_op = -1;
    for (size_t pc = c->code_start; pc < c->len;) {
        bc_insn in;
        const char *why = bc_decode(v->version, c->data, pc, c->len, &in);
        if (why) {
            return report(v, pc, "%s (opcode 0x%02x)", why, c->data[pc]);
        }
        n_setup += in.op == MP_BC_SETUP_EXCEPT || in.op == MP_BC_SETUP_FINALLY || in.op == MP_BC_SETUP_WITH;
        /* py/emitbc.c: after return, raise or an unconditional jump the
         * compiler suppresses code until the next label but still counts
         * its stack and exception blocks */
        dead_code_possible |= bc_is_terminal(in.op) && in.op != MP_BC_POP_EXCEPT_JUMP && pc + in.size < c->len;
        last_op = in.op;
        pc += in.size;
    }
    if (!no_user_statements(v, c) || last_op != MP_BC_RETURN_VALUE) {
        dead_code_possible = 1;   /* a function may end in "return x; <dropped code>" */
    }
    int r = verify_flow(v, c, n_setup, dead_code_possible);
    gc_free(v->work);
    gc_free(v->queued);
    gc_free(v->pool);
    gc_free(v->st);
    gc_free(v->offs);
    gc_free(v->joins);
    gc_free(v->starts);
    if (r) {
        return r;
    }
    for (size_t i = 0; i < c->n_children; i++) {
        if ((r = verify_code(v, c->children[i], depth + 1))) {
            return r;
        }
    }
    return 0;
}

int verify_module(const mpy_module *m, char *err, size_t errlen) {
    vctx v;
    memset(&v, 0, sizeof v);
    v.m = m;
    v.err = err;
    v.errlen = errlen;
    v.version = m->version;
    if (m->source_file >= m->n_qstr) {
        snprintf(err, errlen, "%s: source file qstr out of range", m->filename);
        return EXIT_INVALID;
    }
    return verify_code(&v, m->root, 0);
}
