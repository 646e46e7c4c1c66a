/* vm.c: the bytecode interpreter. One switch over opcodes (names from the
 * generated opcodes.h); calls, argument binding, closures, classes,
 * exceptions (py/vm.c's exception-block scheme: a block stays open while its
 * handler runs and POP_EXCEPT_JUMP / END_FINALLY close it), generators,
 * and import of .mpy files beside the main one. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "gc.h"
#include "lib.h"
#include "bc.h"
#include "obj.h"
#include "platform.h"
#include "vm.h"

V class_mro(V cls);
V mk_iter(V (*next)(V), V a, int64_t j);
V builtin_build_class(int n, V *args, V kw);
V builtin_import(int n, V *args, V kw);

typedef struct {
    const uint8_t *handler;
    V *sp;
    int is_finally;
    V prev_exc;          /* the exception its handler is handling (for a bare raise) */
} exc_block;

struct Frame {
    V fun;
    const mpy_code *code;
    V globals;
    V *state;           /* n_state slots: stack from state[0] up, locals from the top down */
    V *fastn;
    V *sp;
    const uint8_t *ip, *code_start;
    exc_block *exc;
    int exc_n;
    V *cells;
};

/* Slots past n_state: room for the VM's transient pushes, so a stack that
 * a damaged file makes deeper than the verifier's model stops at the check
 * in run_frame instead of writing past the frame. */
#define STATE_SLACK 8

typedef struct handler {
    jmp_buf jb;
    V exc;
    int depth;           /* call_depth when it was set up: restored when it catches */
    struct handler *prev;
} handler;

static handler *cur_handler;
static Frame *current_frame;

V vm_globals(void) {
    return current_frame ? current_frame->globals : mk_dict();
}
/* py/runtime.c mp_locals_get: a class body's namespace, else the module's globals */
V vm_locals(void) {
    return current_frame && current_frame->fun->cls ? current_frame->fun->cls : vm_globals();
}
static int call_depth;
static uintptr_t stack_base;   /* the C stack where the VM started (it grows down) */

/* py/stackctrl.c mp_stack_check: deep recursion in C (nested containers
 * compared or printed, Python calls) stops with RuntimeError before the
 * C stack overflows. */
void stack_check(void) {
    char here;
    if (stack_base && stack_base - (uintptr_t)&here > PLAT_STACK_LIMIT) {
        raise_msg(E_RuntimeError, "maximum recursion depth exceeded");
    }
}
static const char *main_dir;
static V modules;           /* dict name -> module: the loaded .mpy files (sys.modules) */
static V builtin_modules;   /* micropython, sys, math, ...: not in sys.modules, as in MicroPython */

/* py/runtime.c mp_make_raise_obj: an exception class is instantiated, an
 * exception instance raised as it is, anything else becomes a TypeError (a
 * non-exception must never reach a handler: END_FINALLY reads an int there
 * as an unwind count). */
static V raise_obj(V exc) {
    if (exc->kind == K_CLASS && is_subclass(exc, E_BaseException)) {
        exc = call0(exc);
    }
    if (exc->kind != K_INST || !is_subclass(exc->cls, E_BaseException)) {
        exc = mk_exc(E_TypeError, "exceptions must derive from BaseException");
    }
    return exc;
}

/* py/gc.c m_malloc_fail: a heap that cannot meet an allocation raises the
 * one MemoryError made at start-up (making one would need the heap) */
static V memory_error;

static void raise_memory_error(size_t bytes) {
    (void)bytes;
    if (!cur_handler) {
        return;   /* outside the VM: the allocator stops the run */
    }
    memory_error->u.inst.traceback->u.seq.n = 0;
    cur_handler->exc = memory_error;
    call_depth = cur_handler->depth;
    longjmp(cur_handler->jb, 1);
}

void vm_raise(V exc) {
    exc = raise_obj(exc);
    if (!cur_handler) {
        unsupported("exception raised outside the VM");
    }
    cur_handler->exc = exc;
    call_depth = cur_handler->depth;
    longjmp(cur_handler->jb, 1);
}

void raise_msg(V cls, const char *fmt, ...) {
    char buf[300];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    vm_raise(mk_exc(cls, buf));
}

/* The str of a qstr: made once per module and shared, as MicroPython
 * interns qstrs (names are looked up on every LOAD_ATTR, LOAD_GLOBAL...). */
static V qstr_v(const mpy_code *c, size_t q) {
    mpy_module *m = c->module;
    size_t n;
    const char *s = mpy_qstr_text(m, q, &n);
    if (q >= m->n_qstr) {
        return mk_str(s, n);
    }
    if (!m->qstr_objs) {
        m->qstr_objs = gc_alloc(m->n_qstr * sizeof *m->qstr_objs);
    }
    if (!m->qstr_objs[q]) {
        m->qstr_objs[q] = mk_str(s, n);
    }
    return m->qstr_objs[q];
}

static size_t line_of(const mpy_code *c, size_t bc) {
    size_t line = 1;
    for (size_t p = c->line_start; p < c->line_end;) {
        uint8_t b = c->data[p];
        size_t db, dl;
        if (b & 0x80) {
            db = b & 0xf;
            dl = ((size_t)(b & 0x70) << 4) | c->data[p + 1];
            p += 2;
        } else {
            db = b & 0x1f;
            dl = b >> 5;
            p += 1;
        }
        if (bc < db) {
            break;
        }
        bc -= db;
        line += dl;
    }
    return line;
}

/* Heap room a traceback entry may need: its tuple, the line's int and the
 * list's growth. */
#define TRACEBACK_ENTRY_BYTES 512

/* ---- constants ---- */

/* Not inlined either: it recurses into tuples and its buffers would cost
 * every Python call C stack. */
NOINLINE static V load_const(const mpy_module *m, mpy_obj *o) {
    if (o->cache) {
        return o->cache;
    }
    V v;
    int ok;
    switch (o->kind) {
        case MPY_OBJ_NONE: v = None; break;
        case MPY_OBJ_FALSE: v = False; break;
        case MPY_OBJ_TRUE: v = True; break;
        case MPY_OBJ_ELLIPSIS: v = Ellipsis; break;
        case MPY_OBJ_STR: v = mk_str(o->data, o->len); break;
        case MPY_OBJ_BYTES: v = mk_bytes(o->data, o->len); break;
        case MPY_OBJ_INT: v = int_from_text(o->data, o->len, 10, &ok); break;
        case MPY_OBJ_FLOAT: {
            char buf[420];
            size_t n = o->len < 400 ? o->len : 400;
            mem_copy(buf, o->data, n);
            buf[n] = 0;
            v = mk_float(strtod(buf, NULL));
            break;
        }
        case MPY_OBJ_TUPLE: {
            v = mk_tuple(o->len, NULL);
            for (size_t i = 0; i < o->len; i++) {
                v->u.seq.items[i] = load_const(m, &o->items[i]);
            }
            break;
        }
        case MPY_OBJ_COMPLEX: {
            /* py/parsenum.c: an imaginary literal, "2j" */
            char buf[420];
            size_t n = o->len < 400 ? o->len : 400;
            mem_copy(buf, o->data, n);
            buf[n] = 0;
            v = mk_complex(0, strtod(buf, NULL));
            break;
        }
        default:
            unsupported("this constant type");
    }
    o->cache = v;
    return v;
}

/* ---- calls ---- */

V run_frame(Frame *f, V throw_exc, int *status);

static V name_of_arg(const mpy_code *c, size_t i) {
    return qstr_v(c, c->arg_names[i]);
}

static Frame *make_frame(V fun, int n, V *args, V kw) {
    const mpy_code *c = fun->u.func.code;
    Frame *f = gc_alloc(sizeof *f);
    f->fun = fun;
    f->code = c;
    f->globals = fun->u.func.globals;
    f->state = gc_alloc((c->n_state + STATE_SLACK) * sizeof(V));
    f->fastn = &f->state[c->n_state - 1];
    f->sp = f->state - 1;
    f->exc = gc_alloc((c->n_exc_stack + 1) * sizeof(exc_block));
    f->code_start = c->data + c->code_start;
    f->ip = f->code_start;
    size_t np = c->n_pos_args, nk = c->n_kwonly_args;
    int varargs = (c->scope_flags & MP_SCOPE_FLAG_VARARGS) != 0;
    int varkw = (c->scope_flags & MP_SCOPE_FLAG_VARKEYWORDS) != 0;
    V *loc = gc_alloc((np + nk + 2) * sizeof(V));
    size_t i;
    for (i = 0; i < (size_t)n && i < np; i++) {
        loc[i] = args[i];
    }
    V extra = NULL;
    if ((size_t)n > np) {
        if (!varargs) {
            raise_msg(E_TypeError, "function takes %lu positional arguments but %d were given", (unsigned long)(np), n);
        }
        extra = mk_tuple((size_t)n - np, args + np);
    }
    V kwd = varkw ? mk_dict() : NULL;
    if (kw) {
        for (size_t k = 0; k < kw->u.map.n; k++) {
            V key = kw->u.map.e[k].key;
            if (!key) {
                continue;
            }
            size_t a;
            for (a = 0; a < np + nk; a++) {
                V an = name_of_arg(c, a);
                if (an->u.str.len == key->u.str.len && memcmp(an->u.str.s, key->u.str.s, an->u.str.len) == 0) {
                    break;
                }
            }
            if (a < np + nk) {
                if (loc[a]) {
                    raise_msg(E_TypeError, "function got multiple values for argument '%.*s'", (int)key->u.str.len,
                        key->u.str.s);
                }
                loc[a] = kw->u.map.e[k].value;
            } else if (kwd) {
                table_set(&kwd->u.map, key, kw->u.map.e[k].value);
            } else {
                raise_msg(E_TypeError, "unexpected keyword argument '%.*s'", (int)key->u.str.len, key->u.str.s);
            }
        }
    }
    V defs = fun->u.func.defaults;
    size_t nd = defs ? defs->u.seq.n : 0;
    for (i = 0; i < np; i++) {
        if (!loc[i]) {
            if (i >= np - nd) {
                loc[i] = defs->u.seq.items[i - (np - nd)];
            } else {
                raise_msg(E_TypeError, "function missing %lu required positional arguments", (unsigned long)(np - i));
            }
        }
    }
    for (i = np; i < np + nk; i++) {
        if (!loc[i]) {
            V d = fun->u.func.kwdefaults ? table_get(&fun->u.func.kwdefaults->u.map, name_of_arg(c, i)) : NULL;
            if (!d) {
                raise_msg(E_TypeError, "function missing keyword-only argument");
            }
            loc[i] = d;
        }
    }
    /* locals: positional, [*args], keyword-only, [**kw] (py/bc.c mp_setup_code_state) */
    size_t slot = 0;
    for (i = 0; i < np; i++) {
        f->fastn[-(long)slot++] = loc[i];
    }
    if (varargs) {
        f->fastn[-(long)(np + nk)] = extra ? extra : mk_tuple(0, NULL);
    }
    for (i = np; i < np + nk; i++) {
        f->fastn[-(long)i] = loc[i];
    }
    if (varkw) {
        f->fastn[-(long)(np + nk + varargs)] = kwd;
    }
    gc_free(loc);   /* copied into the frame */
    /* cells for captured locals */
    for (size_t k = 0; k < c->n_cell; k++) {
        size_t l = c->data[c->cell_start + k];
        V cell = obj_new(K_CELL);
        cell->u.cell.value = f->fastn[-(long)l];
        f->fastn[-(long)l] = cell;
    }
    return f;
}

/* A generator keeps its frame. A call runs it and gives its memory back:
 * nothing refers to a finished frame (cells and closures are objects of
 * their own, current_frame is restored), so a loop of calls reuses the
 * same blocks instead of leaving garbage for the collector. A frame left
 * by an exception is left to the collector. */
static V start_frame(V fun, Frame *f) {
    if (fun->u.func.code->scope_flags & MP_SCOPE_FLAG_GENERATOR) {
        V g = obj_new(K_GEN);
        g->u.gen.frame = f;
        return g;
    }
    if (++call_depth > 600) {
        raise_msg(E_RuntimeError, "maximum recursion depth exceeded");
    }
    Frame *caller = current_frame;
    int status;
    V r = run_frame(f, NULL, &status);
    call_depth--;
    current_frame = caller;
    gc_free(f->exc);
    gc_free(f->state);
    gc_free(f);
    return r;
}

static V call_func(V fun, int n, V *args, V kw) {
    if (fun->u.func.n_cells) {
        /* py/objclosure.c: the closed-over cells come first, as positional arguments */
        size_t nc = fun->u.func.n_cells;
        V *a = gc_alloc((nc + (size_t)n + 1) * sizeof(V));
        mem_copy(a, fun->u.func.cells, nc * sizeof(V));
        mem_copy(a + nc, args, (size_t)n * sizeof(V));
        Frame *f = make_frame(fun, n + (int)nc, a, kw);
        gc_free(a);   /* make_frame copied the arguments */
        return start_frame(fun, f);
    }
    return start_frame(fun, make_frame(fun, n, args, kw));
}

int vm_making_placeholder;

/* py/objtype.c mp_obj_instance_make_new: the native base's constructor gets
 * the call's arguments when the Python __init__ did not call it through
 * super().__init__(); a placeholder (no arguments) stands in until then */
static void native_base_make(V inst, int n, V *args, V kw, int placeholder) {
    V m = class_mro(inst->cls);
    for (size_t i = 0; i < m->u.seq.n; i++) {
        V b = m->u.seq.items[i];
        V nn = dict_get_str(b->u.cls.dict, "__native_new__");
        if (nn && b != T_object && b != T_type && !is_subclass(b, E_BaseException)) {
            V *a = gc_alloc(((size_t)n + 1) * sizeof(V));
            a[0] = b;
            mem_copy(a + 1, args, (size_t)n * sizeof(V));
            vm_making_placeholder = placeholder;
            V made = nn->u.native.fn(n + 1, a, kw);
            vm_making_placeholder = 0;
            /* a namedtuple's constructor makes an instance: keep its tuple */
            inst->u.inst.native_value = made->kind == K_INST && made->u.inst.native_value ? made->u.inst.native_value : made;
            inst->u.inst.native_ready = !placeholder;
            lib_native_value_made(inst);
            return;
        }
    }
}

/* object.__init__ reached through super().__init__(...) of a native subclass:
 * it makes the native value again, even when it was made already */
void vm_native_base_init(V inst, int n, V *args, V kw) {
    if (inst->kind == K_INST && inst->u.inst.native_value) {
        native_base_make(inst, n, args, kw, 0);
    }
}

/* py/objtype.c: __init__ must return None */
static void init_result(V r) {
    if (r != None) {
        raise_msg(E_TypeError, "__init__() should return None, not '%s'", type_of(r)->u.cls.name);
    }
}

V call(V fn, int n, V *args, V kw) {
    stack_check();
    switch (fn->kind) {
        case K_FUNC:
            return call_func(fn, n, args, kw);
        case K_NATIVE:
            if (fn->u.native.no_kw && kw && kw->u.map.live) {
                raise_msg(E_TypeError, "function doesn't take keyword arguments");
            }
            if (fn->u.native.self) {
                V *a = gc_alloc(((size_t)n + 1) * sizeof(V));
                a[0] = fn->u.native.self;
                mem_copy(a + 1, args, (size_t)n * sizeof(V));
                return fn->u.native.fn(n + 1, a, kw);
            }
            if (fn->u.native.self_kind) {
                V self = n > 0 ? args[0] : NULL;
                if (self && self->kind == K_INST && self->u.inst.native_value) {
                    self = self->u.inst.native_value;
                }
                int want = fn->u.native.self_kind - 1;
                if (!self || !(self->kind == want || (want == K_INT && self->kind == K_BIG)
                               || (want == K_SET && self->kind == K_FROZENSET))) {
                    raise_msg(E_TypeError, "%s() needs a '%s' as self", fn->u.native.name,
                        self ? type_of(self)->u.cls.name : "value");
                }
                if (self != args[0]) {
                    /* an instance of a subclass of a builtin: the method works on its value */
                    V *a = gc_alloc((size_t)n * sizeof(V));
                    mem_copy(a, args, (size_t)n * sizeof(V));
                    a[0] = self;
                    args = a;
                }
            }
            return fn->u.native.fn(n, args, kw);
        case K_BOUND: {
            V *a = gc_alloc(((size_t)n + 1) * sizeof(V));
            a[0] = fn->u.bound.self;
            mem_copy(a + 1, args, (size_t)n * sizeof(V));
            V r = call(fn->u.bound.fn, n + 1, a, kw);
            if (fn->u.bound.fn->kind == K_FUNC) {
                gc_free(a);   /* a Python function copied its arguments; a native may keep them */
            }
            return r;
        }
        case K_CLASS: {
            V ctor = dict_get_str(fn->u.cls.dict, "__native_new__");
            if (ctor && !(n >= 0 && fn->u.cls.builtin_kind == -2)) {
                V *a = gc_alloc(((size_t)n + 1) * sizeof(V));
                a[0] = fn;
                mem_copy(a + 1, args, (size_t)n * sizeof(V));
                return ctor->u.native.fn(n + 1, a, kw);
            }
            V user_new = lookup_class_attr(fn, mk_cstr("__new__"));
            if (user_new && user_new->kind != K_NATIVE) {
                /* py/objtype.c: __new__ (static) makes the object; __init__ runs if it is an instance */
                V *a = gc_alloc(((size_t)n + 1) * sizeof(V));
                a[0] = fn;
                mem_copy(a + 1, args, (size_t)n * sizeof(V));
                V made = call(user_new->kind == K_STATICMETHOD ? user_new->u.wrap.fn : user_new, n + 1, a, kw);
                V init = lookup_class_attr(fn, mk_cstr("__init__"));
                if (made->kind == K_INST && is_instance(made, fn) && init && init->kind != K_NATIVE) {
                    a[0] = made;
                    init_result(call(init, n + 1, a, kw));
                }
                return made;
            }
            V inst = obj_new(K_INST);
            inst->cls = fn;
            inst->u.inst.dict = mk_dict();
            if (is_subclass(fn, E_BaseException)) {
                inst->u.inst.args = mk_tuple((size_t)n, args);
                inst->u.inst.traceback = mk_list(0, NULL);
            } else {
                /* only exceptions read their args and traceback: one shared empty tuple */
                static V no_args;
                if (!no_args) {
                    no_args = mk_tuple(0, NULL);
                }
                inst->u.inst.args = no_args;
            }
            /* a builtin base (int, list, ...) gives the instance a native value: an
             * empty one first, made again with the arguments unless __init__ did it */
            native_base_make(inst, 0, NULL, NULL, 1);
            V init = lookup_class_attr(fn, mk_cstr("__init__"));
            if (init && init->kind != K_NATIVE) {
                V *a = gc_alloc(((size_t)n + 1) * sizeof(V));
                a[0] = inst;
                mem_copy(a + 1, args, (size_t)n * sizeof(V));
                init_result(call(init, n + 1, a, kw));
            }
            if (inst->u.inst.native_value && !inst->u.inst.native_ready && (n > 0 || kw)) {
                native_base_make(inst, n, args, kw, 0);
            }
            return inst;
        }
        case K_STATICMETHOD: case K_CLASSMETHOD:
            return call(fn->u.wrap.fn, n, args, kw);
        case K_INST: {
            V f = lookup_class_attr(fn->cls, mk_cstr("__call__"));
            if (f) {
                V *a = gc_alloc(((size_t)n + 1) * sizeof(V));
                a[0] = fn;
                mem_copy(a + 1, args, (size_t)n * sizeof(V));
                return call(f, n + 1, a, kw);
            }
            break;
        }
        default:
            break;
    }
    raise_msg(E_TypeError, "'%s' object isn't callable", type_of(fn)->u.cls.name);
}

V call0(V f) {
    return call(f, 0, NULL, NULL);
}

V call1(V f, V a) {
    return call(f, 1, &a, NULL);
}

V call2(V f, V a, V b) {
    V x[2] = {a, b};
    return call(f, 2, x, NULL);
}

/* fn(a, b), where an exception of class `absent` (or `absent2`, if not NULL) means "no value":
   NULL is returned; anything else propagates */
static V call_catching(V (*fn)(V, V), V a, V b, V absent, V absent2) {
    handler h;
    h.prev = cur_handler;
    h.depth = call_depth;
    cur_handler = &h;
    if (setjmp(h.jb)) {
        cur_handler = h.prev;
        if (is_instance(h.exc, absent) || (absent2 != NULL && is_instance(h.exc, absent2))) {
            return NULL;
        }
        vm_raise(h.exc);
    }
    V r = fn(a, b);
    cur_handler = h.prev;
    return r;
}

/* call f(self); StopIteration ends iteration (returns NULL) */
V vm_call_catch_stop(V f, V self) {
    return call_catching(call1, f, self, E_StopIteration, NULL);
}

V vm_subscr_catch_index(V o, V idx) {
    return call_catching(subscr, o, idx, E_IndexError, E_StopIteration);
}

/* getattr(o, name, default) and hasattr: an AttributeError (from __getattr__ too) means absent */
V vm_getattr_catch(V o, V name) {
    return call_catching(get_attr, o, name, E_AttributeError, NULL);
}

/* ---- generators ---- */

/* py/objgenerator.c: close() throws one constant GeneratorExit, which never
 * collects traceback entries (made in the start-up image, so never freed) */
static V close_exit;


static V gen_resume(V gen, V send, V throw_exc, int *done);

V gen_next(V gen, V send, V throw_exc, int *done) {
    if (!throw_exc && gen->u.gen.pending && gen->u.gen.pending != None && !gen->u.gen.done && !gen->u.gen.running) {
        throw_exc = gen->u.gen.pending;   /* py/objgenerator.c: pend_throw's exception comes in at the resume */
        gen->u.gen.pending = None;
    }
    return gen_resume(gen, send, throw_exc, done);
}

static V gen_resume(V gen, V send, V throw_exc, int *done) {
    if (gen->u.gen.done) {
        *done = 1;   /* py/objgenerator.c: a finished generator just returns None, even to a throw */
        return None;
    }
    if (gen->u.gen.running) {
        raise_msg(E_ValueError, "generator already executing");
    }
    Frame *f = gen->u.gen.frame;
    if (f->sp >= f->state) {
        *f->sp = send;      /* the value of the paused YIELD_VALUE */
    } else if (send != None && !throw_exc) {
        raise_msg(E_TypeError, "can't send non-None value to a just-started generator");
    }
    gen->u.gen.running = 1;
    handler h;
    h.prev = cur_handler;
    h.depth = call_depth;
    cur_handler = &h;
    if (setjmp(h.jb)) {
        cur_handler = h.prev;
        gen->u.gen.running = 0;
        gen->u.gen.done = 1;
        if (is_instance(h.exc, E_StopIteration)) {
            raise_msg(E_RuntimeError, "generator raised StopIteration");
        }
        vm_raise(h.exc);
    }
    int status;
    V r = run_frame(f, throw_exc, &status);
    cur_handler = h.prev;
    gen->u.gen.running = 0;
    if (status == 0) {
        gen->u.gen.done = 1;
        *done = 1;
        return r;
    }
    *done = 0;
    return r;
}

static int exc_matches(V v, V cls) {
    return v->kind == K_CLASS ? is_subclass(v, cls) : is_instance(v, cls);
}

/* py/runtime.c mp_resume: one step of `yield from sub`, sending a value or
 * throwing one in (throw as given: a class, an instance, or anything).
 * Returns 1 with the value to yield, 0 with the result when sub is done;
 * an exception raised by sub propagates. */
static int resume_sub(V sub, V send, V throw_exc, V *out) {
    int done;
    if (sub->kind == K_GEN) {
        *out = gen_next(sub, throw_exc ? None : send, throw_exc, &done);
        return !done;
    }
    V inst = iter_user_object(sub);
    if (inst) {
        sub = inst;
    }
    V m;
    if (!throw_exc) {
        if (send == None && sub->kind != K_INST) {
            *out = iter_next(sub);
            if (!*out) {
                *out = None;
                return 0;
            }
            return 1;
        }
        if (send == None && (m = get_attr_maybe(sub, mk_cstr("__next__")))) {
            *out = call0(m);
            return 1;
        }
        *out = call1(get_attr(sub, mk_cstr("send")), send);
        return 1;
    }
    if (is_instance(throw_exc, E_GeneratorExit)) {
        if ((m = get_attr_maybe(sub, mk_cstr("close")))) {
            *out = call0(m);
            return 0;
        }
    } else if ((m = get_attr_maybe(sub, mk_cstr("throw")))) {
        *out = call1(m, throw_exc);
        return 1;
    }
    if (exc_matches(throw_exc, E_StopIteration)) {
        raise_msg(E_RuntimeError, "generator raised StopIteration");
    }
    vm_raise(throw_exc);
}

/* generator.close(): throw GeneratorExit in; it must not yield again */
V vm_close_generator(V gen) {
    if (gen->u.gen.done || gen->u.gen.frame->sp < gen->u.gen.frame->state) {
        gen->u.gen.done = 1;   /* finished, or never started */
        return None;
    }
    handler h;
    h.prev = cur_handler;
    h.depth = call_depth;
    cur_handler = &h;
    if (setjmp(h.jb)) {
        cur_handler = h.prev;
        gen->u.gen.done = 1;
        if (is_instance(h.exc, E_GeneratorExit) || is_instance(h.exc, E_StopIteration)) {
            return None;
        }
        vm_raise(h.exc);
    }
    int done;
    gen_next(gen, None, close_exit, &done);
    cur_handler = h.prev;
    if (!done) {
        raise_msg(E_RuntimeError, "generator ignored GeneratorExit");
    }
    return None;
}

/* ---- imports ---- */

V vm_run_module(const char *path, const char *name);

/* Not inlined: its path buffer would otherwise sit in every run_frame's
 * stack frame, i.e. in the C stack of every Python call. */
NOINLINE static V import_name(V name, V fromlist, V level) {
    (void)fromlist;
    if (to_int64(level) != 0) {
        raise_msg(E_ImportError, "can't perform relative import");   /* as MicroPython, from a main module */
    }
    V m = table_get(&modules->u.map, name);
    if (m || (m = table_get(&builtin_modules->u.map, name))) {
        return m;
    }
    char path[1024];
    snprintf(path, sizeof path, "%s/%.*s.mpy", main_dir, (int)name->u.str.len, name->u.str.s);
    for (char *p = path + strlen(main_dir) + 1; *p; p++) {
        if (*p == '.' && strcmp(p, ".mpy") != 0) {
            *p = '/';
        }
    }
    if (!plat_file_exists(path)) {
        /* a dotted name fails at its first missing package, as MicroPython imports packages first */
        size_t shown = name->u.str.len;
        const char *dot = memchr(name->u.str.s, '.', name->u.str.len);
        if (dot) {
            char pkg[1024];
            snprintf(pkg, sizeof pkg, "%s/%.*s/__init__.mpy", main_dir, (int)(dot - name->u.str.s), name->u.str.s);
            if (!plat_file_exists(pkg)) {
                shown = (size_t)(dot - name->u.str.s);
            }
        }
        raise_msg(E_ImportError, "no module named '%.*s'", (int)shown, name->u.str.s);
    }
    char *modname = gc_alloc(name->u.str.len + 1);
    mem_copy(modname, name->u.str.s, name->u.str.len);
    return vm_run_module(path, modname);
}

/* __import__(name, globals=None, locals=None, fromlist=(), level=0) */
V builtin_import(int n, V *a, V kw) {
    (void)kw;
    if (n < 1 || a[0]->kind != K_STR) {
        raise_msg(E_TypeError, "__import__ needs a module name");
    }
    return import_name(a[0], n > 3 ? a[3] : None, n > 4 ? a[4] : mk_int(0));
}

/* ---- the interpreter ---- */

/* Constant and child operands: v6 indexes the module's object table and the
 * function's children; v5 indexes one per-function table holding the
 * argument names, then the objects, then the children (mpy-v1.18 emitbc.c). */
static size_t const_index(const mpy_code *c, int64_t arg) {
    return c->module->version == 5 ? (size_t)arg - (c->n_pos_args + c->n_kwonly_args) : (size_t)arg;
}

static size_t child_index(const mpy_code *c, int64_t arg) {
    return c->module->version == 5 ? (size_t)arg - (c->n_pos_args + c->n_kwonly_args) - c->n_obj : (size_t)arg;
}

static V need_cell(V v) {
    if (!v || v->kind != K_CELL) {
        raise_msg(E_TypeError, "closure variable is not a cell");
    }
    return v;
}

#define PUSH(v) (*++sp = (v))
#define POP() (*sp--)
#define TOP() (*sp)

static V make_function(const mpy_code *c, V globals, V defaults, V kwdefaults) {
    V f = obj_new(K_FUNC);
    f->u.func.code = c;
    f->u.func.globals = globals;
    f->u.func.defaults = defaults;
    f->u.func.kwdefaults = kwdefaults;
    return f;
}

static V load_name(Frame *f, V name, int global_only, V locals) {
    V r;
    if (!global_only && locals && (r = table_get(&locals->u.map, name))) {
        return r;
    }
    if ((r = table_get(&f->globals->u.map, name))) {
        return r;
    }
    if ((r = table_get(&builtins_dict->u.map, name))) {
        return r;
    }
    raise_msg(E_NameError, "name '%.*s' isn't defined", (int)name->u.str.len, name->u.str.s);
}

/* one keyword argument of a call: py/bc.c refuses a second value for a name
 * (f(**a, **b) with a key in both), and names are strings */
static void kw_put(V kw, V k, V v) {
    if (k->kind != K_STR) {
        raise_msg(E_TypeError, "keywords must be strings");
    }
    if (table_get(&kw->u.map, k)) {
        raise_msg(E_TypeError, "function got multiple values for argument '%.*s'", (int)k->u.str.len, k->u.str.s);
    }
    table_set(&kw->u.map, k, v);
}

/* the keywords of a ** argument: a dict's items, else (py/runtime.c) what
 * keys() lists, each looked up with [] */
static void kw_spread(V kw, V mapping) {
    if (mapping->kind == K_DICT) {
        for (size_t i = 0; i < mapping->u.map.n; i++) {
            if (mapping->u.map.e[i].key) {
                kw_put(kw, mapping->u.map.e[i].key, mapping->u.map.e[i].value);
            }
        }
        return;
    }
    V it = get_iter(call0(get_attr(mapping, mk_cstr("keys")))), k;
    while ((k = iter_next(it))) {
        kw_put(kw, k, subscr(mapping, k));
    }
}

static V call_from_stack(V fn, V self, size_t n_pos, size_t n_kw, V *args, V star, V dstar) {
    V pos = mk_list(0, NULL);
    if (self) {
        list_append(pos, self);
    }
    for (size_t i = 0; i < n_pos; i++) {
        list_append(pos, args[i]);
    }
    if (star && star != None && star != NullV) {
        V it = get_iter(star), x;
        while ((x = iter_next(it))) {
            list_append(pos, x);
        }
    }
    V kw = NULL;
    if (dstar == NullV) {
        dstar = NULL;
    }
    if (n_kw || (dstar && dstar != None)) {
        kw = mk_dict();
        for (size_t i = 0; i < n_kw; i++) {
            kw_put(kw, args[n_pos + 2 * i], args[n_pos + 2 * i + 1]);
        }
        if (dstar && dstar != None) {
            kw_spread(kw, dstar);
        }
    }
    return call(fn, (int)pos->u.seq.n, pos->u.seq.items, kw);
}

/* status out: 0 returned, 1 yielded */
V run_frame(Frame *f, V throw_exc, int *status) {
    const mpy_code *c = f->code;
    const mpy_module *m = c->module;
    const uint8_t *data = c->data;
    const int version = m->version;
    V *sp = f->sp;
    const uint8_t *volatile ip = f->ip;
    V *fastn = f->fastn;
    V class_locals = f->fun->cls;   /* set for class bodies: their namespace; else names are globals */
    handler h;
    h.prev = cur_handler;
    h.depth = call_depth;
    volatile int pending_throw = throw_exc != NULL;
    const uint8_t *insn_ip = ip;
    if (setjmp(h.jb)) {
        V exc = h.exc;
        cur_handler = &h;
        ip = f->ip;
        sp = f->sp;
        insn_ip = ip;
        goto handle_exception_with_ip;
    handle_exception:
        exc = h.exc;
        insn_ip = f->ip;
    handle_exception_with_ip:;
        /* traceback: file, line, function */
        /* not for a re-raise (py/vm.c: END_FINALLY, RAISE_LAST keep the original entry) */
        /* py/objexcept.c mp_obj_exception_add_traceback: when memory is short
         * the entry is dropped, not the program (deep recursion unwinding in
         * a small heap) */
        if (exc->kind == K_INST && exc->u.inst.traceback && exc != close_exit && *insn_ip != MP_BC_END_FINALLY
            && *insn_ip != MP_BC_RAISE_LAST && gc_room(TRACEBACK_ENTRY_BYTES)) {
            V tb = mk_tuple(3, NULL);
            tb->u.seq.items[0] = qstr_v(c, m->source_file);
            tb->u.seq.items[1] = mk_int((int64_t)line_of(c, (size_t)(insn_ip - f->code_start)));
            tb->u.seq.items[2] = qstr_v(c, c->name);
            list_append(exc->u.inst.traceback, tb);
        }
        pending_throw = 0;
        if (*insn_ip == MP_BC_YIELD_FROM && is_instance(exc, E_StopIteration)) {
            /* py/vm.c: StopIteration out of the sub-iterator is the value of the yield from */
            ip = insn_ip + 1;
            sp = f->sp - 1;
            V args = exc->u.inst.args;
            *sp = args && args->u.seq.n ? args->u.seq.items[0] : None;
            f->ip = ip;
            f->sp = sp;
            goto resumed;
        }
        while (f->exc_n > 0 && f->exc[f->exc_n - 1].handler <= insn_ip) {
            f->exc_n--;
        }
        if (f->exc_n == 0) {
            cur_handler = h.prev;
            f->ip = ip;
            f->sp = sp;
            vm_raise(exc);
        }
        exc_block *b = &f->exc[f->exc_n - 1];
        ip = b->handler;
        sp = b->sp;
        b->prev_exc = exc;
        PUSH(exc);
        f->ip = ip;
        f->sp = sp;
    }
    cur_handler = &h;
    if (pending_throw) {
        f->ip = ip;
        f->sp = sp;
        insn_ip = ip;
        if (*ip == MP_BC_YIELD_FROM) {
            /* py/vm.c: an exception thrown into a frame paused in yield from goes,
             * as it was given, to the sub-iterator */
            pending_throw = 0;
            sp--;
            V x;
            if (resume_sub(TOP(), NULL, throw_exc, &x)) {
                PUSH(x);
                cur_handler = h.prev;
                f->sp = sp;
                f->ip = ip;
                *status = 1;
                return x;
            }
            TOP() = x;
            ip += 1;
            /* a GeneratorExit swallowed downstream is raised here all the same */
            if (!exc_matches(throw_exc, E_GeneratorExit)) {
                goto resumed;
            }
            pending_throw = 1;
            f->ip = ip;
            f->sp = sp;
        }
        h.exc = raise_obj(throw_exc);
        goto handle_exception;
    }
resumed:
    for (;;) {
        current_frame = f;
        f->ip = ip;
        f->sp = sp;
        bc_insn in;
        /* The verifier proved these; a check here costs little and keeps a
         * wrong proof from becoming memory corruption. */
        if (ip < f->code_start || ip >= data + c->len || bc_decode(version, data, (size_t)(ip - data), c->len, &in)) {
            unsupported("internal: control reached a non-instruction (verifier gap)");
        }
        {
            int64_t depth = (int64_t)(sp - f->state) + 1;
            int64_t grow = version == 5 ? mp_bc_stack_effect_v5(in.op, in.arg, in.extra)
                                     : mp_bc_stack_effect_v6(in.op, in.arg, in.extra);
            if (depth < bc_stack_inputs(in.op, in.arg, in.extra) || depth + (grow > 0 ? grow : 0) + 3 > (int64_t)c->n_state + STATE_SLACK
                || f->exc_n < 0 || (size_t)f->exc_n > c->n_exc_stack) {
                unsupported("internal: stack outside n_state (verifier gap)");
            }
        }
        const uint8_t *volatile next = ip + in.size;
        int op = in.op;
        int64_t arg = in.arg;
        const uint8_t *target = data + in.target;
        ip = next;
        switch (op) {
            case MP_BC_LOAD_CONST_FALSE: PUSH(False); break;
            case MP_BC_LOAD_CONST_NONE: PUSH(None); break;
            case MP_BC_LOAD_CONST_TRUE: PUSH(True); break;
            case MP_BC_LOAD_CONST_SMALL_INT: PUSH(mk_int(arg)); break;
            case MP_BC_LOAD_CONST_STRING: PUSH(qstr_v(c, (size_t)arg)); break;
            case MP_BC_LOAD_CONST_OBJ: PUSH(load_const(m, &c->objs[const_index(c, arg)])); break;
            case MP_BC_LOAD_NULL: PUSH(NullV); break;
            case MP_BC_LOAD_FAST_N:
                if (!fastn[-arg]) {
                    raise_msg(E_NameError, "local variable referenced before assignment");
                }
                PUSH(fastn[-arg]);
                break;
            case MP_BC_LOAD_DEREF: {
                V cell = need_cell(fastn[-arg]);
                if (!cell->u.cell.value) {
                    raise_msg(E_NameError, "local variable referenced before assignment");   /* py/vm.c load_check */
                }
                PUSH(cell->u.cell.value);
                break;
            }
            case MP_BC_LOAD_NAME: PUSH(load_name(f, qstr_v(c, (size_t)arg), 0, class_locals)); break;
            case MP_BC_LOAD_GLOBAL: PUSH(load_name(f, qstr_v(c, (size_t)arg), 1, NULL)); break;
            case MP_BC_LOAD_ATTR: TOP() = get_attr(TOP(), qstr_v(c, (size_t)arg)); break;
            case MP_BC_LOAD_METHOD: {
                V o = TOP();
                V name = qstr_v(c, (size_t)arg);
                TOP() = get_attr(o, name);
                PUSH(NullV);   /* no self: the attribute is already bound */
                break;
            }
            case MP_BC_LOAD_SUPER_METHOD: {
                /* stack: super, class, self */
                V self = POP(), cls = POP();
                V name = qstr_v(c, (size_t)arg);
                V mro = class_mro(self->kind == K_CLASS ? self : type_of(self));
                size_t i = 0;
                while (i < mro->u.seq.n && mro->u.seq.items[i] != cls) {
                    i++;
                }
                V found = NULL;
                for (i++; i < mro->u.seq.n && !found; i++) {
                    found = table_get(&mro->u.seq.items[i]->u.cls.dict->u.map, name);
                }
                if (!found) {
                    if (name->u.str.len == 8 && memcmp(name->u.str.s, "__init__", 8) == 0) {
                        found = dict_get_str(T_object->u.cls.dict, "__init__");
                    }
                    if (!found) {
                        raise_msg(E_AttributeError, "'super' object has no attribute '%.*s'", (int)name->u.str.len,
                            name->u.str.s);
                    }
                }
                if (name->u.str.len == 7 && memcmp(name->u.str.s, "__new__", 7) == 0) {
                    TOP() = found->kind == K_STATICMETHOD ? found->u.wrap.fn : found;   /* static: no self */
                    PUSH(NullV);
                } else if (found->kind == K_CLASSMETHOD) {
                    TOP() = found->u.wrap.fn;
                    PUSH(self->kind == K_CLASS ? self : type_of(self));
                } else if (found->kind == K_STATICMETHOD) {
                    TOP() = found->u.wrap.fn;
                    PUSH(NullV);
                } else {
                    TOP() = found;
                    PUSH(self);
                }
                break;
            }
            case MP_BC_LOAD_BUILD_CLASS: PUSH(dict_get_str(builtins_dict, "__build_class__")); break;
            case MP_BC_LOAD_SUBSCR: {
                V idx = POP();
                TOP() = subscr(TOP(), idx);
                break;
            }
            case MP_BC_STORE_FAST_N: fastn[-arg] = POP(); break;
            case MP_BC_STORE_DEREF: need_cell(fastn[-arg])->u.cell.value = POP(); break;
            case MP_BC_STORE_NAME:
                table_set(class_locals ? &class_locals->u.map : &f->globals->u.map, qstr_v(c, (size_t)arg), POP());
                break;
            case MP_BC_STORE_GLOBAL: table_set(&f->globals->u.map, qstr_v(c, (size_t)arg), POP()); break;
            case MP_BC_STORE_ATTR: {
                V o = POP(), v = POP();
                if (v == NullV) {
                    del_attr(o, qstr_v(c, (size_t)arg));   /* py/compile.c: del x.a stores NULL */
                } else {
                    set_attr(o, qstr_v(c, (size_t)arg), v);
                }
                break;
            }
            case MP_BC_STORE_SUBSCR: {
                V idx = POP(), o = POP(), v = POP();
                if (v == NullV) {
                    del_subscr(o, idx);   /* py/compile.c: del x[i] stores NULL */
                } else {
                    store_subscr(o, idx, v);
                }
                break;
            }
            case MP_BC_DELETE_FAST:
                if (!fastn[-arg]) {
                    raise_msg(E_NameError, "local variable referenced before assignment");
                }
                fastn[-arg] = NULL;
                break;
            case MP_BC_DELETE_DEREF: {
                V cell = need_cell(fastn[-arg]);
                if (!cell->u.cell.value) {
                    raise_msg(E_NameError, "local variable referenced before assignment");
                }
                cell->u.cell.value = NULL;
                break;
            }
            case MP_BC_DELETE_NAME:
            case MP_BC_DELETE_GLOBAL: {
                V name = qstr_v(c, (size_t)arg);
                table *t = op == MP_BC_DELETE_NAME && class_locals ? &class_locals->u.map : &f->globals->u.map;
                if (!table_del(t, name)) {
                    raise_msg(E_NameError, "name '%.*s' isn't defined", (int)name->u.str.len, name->u.str.s);
                }
                break;
            }
            case MP_BC_DUP_TOP: sp[1] = sp[0]; sp++; break;
            case MP_BC_DUP_TOP_TWO: sp[1] = sp[-1]; sp[2] = sp[0]; sp += 2; break;
            case MP_BC_POP_TOP: sp--; break;
            case MP_BC_ROT_TWO: { V t = sp[0]; sp[0] = sp[-1]; sp[-1] = t; break; }
            case MP_BC_ROT_THREE: { V t = sp[0]; sp[0] = sp[-1]; sp[-1] = sp[-2]; sp[-2] = t; break; }
            case MP_BC_JUMP: ip = target; break;
            case MP_BC_POP_JUMP_IF_TRUE: if (truthy(POP())) { ip = target; } break;
            case MP_BC_POP_JUMP_IF_FALSE: if (!truthy(POP())) { ip = target; } break;
            case MP_BC_JUMP_IF_TRUE_OR_POP: if (truthy(TOP())) { ip = target; } else { sp--; } break;
            case MP_BC_JUMP_IF_FALSE_OR_POP: if (!truthy(TOP())) { ip = target; } else { sp--; } break;
            case MP_BC_SETUP_WITH: {
                V ctx = TOP();
                V exit_m = get_attr(ctx, mk_cstr("__exit__"));
                V enter_m = get_attr(ctx, mk_cstr("__enter__"));
                TOP() = exit_m;
                PUSH(NullV);
                V r = call0(enter_m);
                exc_block *b = &f->exc[f->exc_n++];
                b->handler = target;
                b->sp = sp;
                b->is_finally = 1;
                b->prev_exc = NULL;
                PUSH(r);
                break;
            }
            case MP_BC_WITH_CLEANUP: {
                /* stack: exit, NULL, (None | exception | X, INT) */
                V t = TOP();
                if (t == None) {
                    V exit_m = sp[-2];
                    V a[3] = {None, None, None};
                    call(exit_m, 3, a, NULL);
                    sp -= 2;
                    TOP() = None;
                } else if (t->kind == K_INT) {
                    /* unwinding (return, break): stack exit, NULL, data, cause */
                    if (sp - 3 < f->state) {
                        unsupported("internal: with cleanup below the stack (verifier gap)");
                    }
                    V exit_m = sp[-3];
                    V a[3] = {None, None, None};
                    call(exit_m, 3, a, NULL);
                    sp[-3] = sp[-1];
                    sp[-2] = t;
                    sp -= 2;
                } else {
                    V exit_m = sp[-2];
                    V a[3] = {type_of(t), t, None};
                    V r = call(exit_m, 3, a, NULL);
                    sp -= 2;
                    TOP() = truthy(r) ? None : t;
                }
                break;
            }
            case MP_BC_UNWIND_JUMP: {
                /* py/vm.c: run the finally / with handlers being left, one at a time;
                 * the stack carries (dest, count) while they run */
                V dest = obj_new(K_NULL);
                dest->u.i = (int64_t)(target - data);
                PUSH(dest);
                PUSH(mk_int(in.extra));
            unwind_jump: {
                int64_t unum = POP()->u.i;
                while ((unum & 0x7f) > 0) {
                    unum -= 1;
                    exc_block *b = &f->exc[f->exc_n - 1];
                    if (b->is_finally) {
                        if (b->handler > f->ip) {
                            PUSH(mk_int(unum));
                            ip = b->handler;
                            goto next_insn;
                        }
                        /* leaving a finally whose handler runs: drop its pending state */
                        if (sp[-1]->kind == K_INT) {
                            sp[-2] = sp[0];
                            sp -= 2;
                        } else {
                            sp[-1] = sp[0];
                            sp--;
                        }
                    }
                    f->exc_n--;
                }
                V d = POP();
                if (d->kind != K_NULL || d == NullV || d->u.i < (int64_t)c->code_start || d->u.i >= (int64_t)c->len) {
                    unsupported("internal: unwind state damaged (verifier gap)");
                }
                ip = data + d->u.i;
                if (unum != 0) {
                    sp -= MP_BC_ITER_BUF_NSLOTS_v6;
                }
                break;
            }
            }
            case MP_BC_SETUP_EXCEPT:
            case MP_BC_SETUP_FINALLY: {
                exc_block *b = &f->exc[f->exc_n++];
                b->handler = target;
                b->sp = sp;
                b->is_finally = op == MP_BC_SETUP_FINALLY;
                b->prev_exc = NULL;
                break;
            }
            case MP_BC_END_FINALLY: {
                f->exc_n--;
                V t = TOP();
                if (t == None) {
                    sp--;
                } else if (t->kind == K_INT) {
                    sp--;
                    if (t->u.i < 0) {
                        V rv = POP();
                        /* continue returning through outer finally blocks */
                        PUSH(rv);
                        goto do_return;
                    }
                    PUSH(t);
                    goto unwind_jump;
                } else {
                    vm_raise(t);
                }
                break;
            }
            case MP_BC_POP_EXCEPT_JUMP: f->exc_n--; ip = target; break;
            case MP_BC_GET_ITER: TOP() = get_iter(TOP()); break;
            case MP_BC_GET_ITER_STACK: {
                /* py/vm.c: slot 0 NULL marks an iterator held in slot 1 */
                V it = get_iter(TOP());
                TOP() = NullV;
                PUSH(it);
                PUSH(NullV);
                PUSH(NullV);
                break;
            }
            case MP_BC_FOR_ITER: {
                V x = iter_next(sp[-MP_BC_ITER_BUF_NSLOTS_v6 + 1] == NullV ? sp[-MP_BC_ITER_BUF_NSLOTS_v6 + 2] : TOP());
                if (!x) {
                    sp -= MP_BC_ITER_BUF_NSLOTS_v6;
                    ip = target;
                } else {
                    PUSH(x);
                }
                break;
            }
            case MP_BC_BUILD_TUPLE: sp -= arg - 1; *sp = mk_tuple((size_t)arg, sp); break;
            case MP_BC_BUILD_LIST: sp -= arg - 1; *sp = mk_list((size_t)arg, sp); break;
            case MP_BC_BUILD_MAP: PUSH(mk_dict()); break;
            case MP_BC_STORE_MAP: {
                V k = POP(), v = POP();
                if (TOP()->kind != K_DICT) {
                    raise_msg(E_TypeError, "STORE_MAP into a non-dict");
                }
                table_set(&TOP()->u.map, k, v);
                break;
            }
            case MP_BC_BUILD_SET: {
                V s = mk_set(0);
                for (int64_t i = arg - 1; i >= 0; i--) {
                    table_set(&s->u.map, sp[-i], True);
                }
                sp -= arg - 1;
                *sp = s;
                break;
            }
            case MP_BC_BUILD_SLICE: {
                if (arg != 2 && arg != 3) {
                    unsupported("internal: BUILD_SLICE size (verifier gap)");
                }
                V s = obj_new(K_SLICE);
                V step = arg == 3 ? POP() : None;
                s->u.slice.stop = POP();
                s->u.slice.start = TOP();
                s->u.slice.step = step;
                TOP() = s;
                break;
            }
            case MP_BC_STORE_COMP: {
                int64_t kind = arg & 3, idx = arg >> 2;
                /* py/vm.c: the collection is idx below the top, before the pops */
                if (idx < (kind == 1 ? 2 : 1) || idx >= (int64_t)(sp - f->state) + 1) {
                    unsupported("internal: STORE_COMP outside the stack (verifier gap)");
                }
                if (kind == 1) {
                    V k = POP(), v = POP();
                    if (sp[-idx + 2]->kind != K_DICT) {
                        raise_msg(E_TypeError, "STORE_COMP into a non-dict");
                    }
                    table_set(&sp[-idx + 2]->u.map, k, v);
                } else {
                    V v = POP();
                    V coll = sp[-idx + 1];
                    if (coll->kind != (kind == 0 ? K_LIST : K_SET)) {
                        raise_msg(E_TypeError, "STORE_COMP into the wrong collection");
                    }
                    if (kind == 0) {
                        list_append(coll, v);
                    } else {
                        table_set(&coll->u.map, v, True);
                    }
                }
                break;
            }
            case MP_BC_UNPACK_SEQUENCE: {
                V s = POP();
                V *items;
                size_t n = seq_items(s, &items);
                if (n == (size_t)-1) {
                    V l = mk_list(0, NULL), it = get_iter(s), x;
                    while ((x = iter_next(it))) {
                        list_append(l, x);
                    }
                    n = seq_items(l, &items);
                }
                if (n != (size_t)arg) {
                    raise_msg(E_ValueError, n < (size_t)arg ? "need more than %lu values to unpack"
                                                           : "too many values to unpack (expected %lu)",
                        (unsigned long)(n < (size_t)arg ? n : (size_t)arg));
                }
                for (int64_t i = arg - 1; i >= 0; i--) {
                    PUSH(items[i]);
                }
                break;
            }
            case MP_BC_UNPACK_EX: {
                size_t left = (size_t)arg & 0xff, right = (size_t)arg >> 8;
                V s = POP();
                V l = mk_list(0, NULL), it = get_iter(s), x;
                while ((x = iter_next(it))) {
                    list_append(l, x);
                }
                size_t n = l->u.seq.n;
                if (n < left + right) {
                    raise_msg(E_ValueError, "need more than %lu values to unpack", (unsigned long)(n));
                }
                for (size_t i = 0; i < right; i++) {
                    PUSH(l->u.seq.items[n - 1 - i]);
                }
                PUSH(mk_list(n - left - right, l->u.seq.items + left));
                for (size_t i = left; i > 0; i--) {
                    PUSH(l->u.seq.items[i - 1]);
                }
                break;
            }
            case MP_BC_MAKE_FUNCTION: PUSH(make_function(c->children[child_index(c, arg)], f->globals, NULL, NULL)); break;
            case MP_BC_MAKE_FUNCTION_DEFARGS: {
                V kwd = POP();
                V def = TOP();
                TOP() = make_function(c->children[child_index(c, arg)], f->globals, def == None ? NULL : def, kwd == None ? NULL : kwd);
                break;
            }
            case MP_BC_MAKE_CLOSURE:
            case MP_BC_MAKE_CLOSURE_DEFARGS: {
                size_t nc = (size_t)in.extra;
                V *cells = gc_alloc((nc + 1) * sizeof(V));
                sp -= nc;
                mem_copy(cells, sp + 1, nc * sizeof(V));
                V def = NULL, kwd = NULL;
                if (op == MP_BC_MAKE_CLOSURE_DEFARGS) {
                    kwd = POP();
                    def = POP();
                }
                V fn = make_function(c->children[child_index(c, arg)], f->globals, def == None ? NULL : def, kwd == None ? NULL : kwd);
                fn->u.func.cells = cells;
                fn->u.func.n_cells = nc;
                PUSH(fn);
                break;
            }
            case MP_BC_CALL_FUNCTION:
            case MP_BC_CALL_FUNCTION_VAR_KW:
            case MP_BC_CALL_METHOD:
            case MP_BC_CALL_METHOD_VAR_KW: {
                size_t np = (size_t)arg & 0xff, nk = (size_t)arg >> 8;
                int var = op == MP_BC_CALL_FUNCTION_VAR_KW || op == MP_BC_CALL_METHOD_VAR_KW;
                int meth = op == MP_BC_CALL_METHOD || op == MP_BC_CALL_METHOD_VAR_KW;
                if (var && version == 5) {
                    /* mpy-v1.18 py/vm.c: "fun arg0 ... kw0 val0 ... seq dict <- TOS" */
                    V dstar = POP();
                    V star = POP();
                    sp -= np + 2 * nk;
                    V fn = meth ? sp[-1] : sp[0], self = meth && sp[0] != NullV ? sp[0] : NULL;
                    sp -= meth ? 1 : 0;
                    *sp = call_from_stack(fn, self, np, nk, sp + 1 + (meth ? 1 : 0), star, dstar);
                    break;
                }
                V bitmap = var ? POP() : NULL;
                size_t nargs = np + 2 * nk;
                sp -= nargs;
                V *args = sp + 1;
                if (var) {
                    /* py/runtime.c mp_call_prepare_args_n_kw_var (v6): a small-int bitmap above the
                     * keyword pairs marks which positional arguments are *iterables to spread, and
                     * a keyword pair with a NULL key holds a ** mapping */
                    V kw = NULL;
                    V fn = meth ? sp[-1] : sp[0];
                    V self = meth ? sp[0] : NULL;
                    int64_t bits = bitmap->kind == K_INT ? bitmap->u.i : 0;
                    V realpos = mk_list(0, NULL);
                    if (meth && self != NullV) {
                        list_append(realpos, self);
                    }
                    for (size_t i = 0; i < np; i++) {
                        if (bits & ((int64_t)1 << i)) {
                            V it = get_iter(args[i]), x;
                            while ((x = iter_next(it))) {
                                list_append(realpos, x);
                            }
                        } else {
                            list_append(realpos, args[i]);
                        }
                    }
                    for (size_t i = 0; i < nk; i++) {
                        V k = args[np + 2 * i], v = args[np + 2 * i + 1];
                        if (!kw) {
                            kw = mk_dict();
                        }
                        if (k == NullV) {
                            kw_spread(kw, v);
                        } else {
                            kw_put(kw, k, v);
                        }
                    }
                    sp -= meth ? 1 : 0;
                    *sp = call(fn, (int)realpos->u.seq.n, realpos->u.seq.items, kw);
                    break;
                }
                V fn, self = NULL;
                if (meth) {
                    fn = sp[-1];
                    self = sp[0] == NullV ? NULL : sp[0];
                    sp -= 1;
                } else {
                    fn = sp[0];
                }
                *sp = call_from_stack(fn, self, np, nk, args, NULL, NULL);
                break;
            }
            case MP_BC_RETURN_VALUE:
            do_return: {
                /* run pending finally blocks first (py/vm.c unwind_return) */
                while (f->exc_n > 0) {
                    exc_block *b = &f->exc[f->exc_n - 1];
                    if (b->is_finally && b->handler > ip - 1) {
                        V rv = TOP();
                        sp = b->sp;
                        PUSH(rv);
                        PUSH(mk_int(-1));
                        ip = b->handler;
                        goto next_insn;
                    }
                    f->exc_n--;
                }
                V r = TOP();
                cur_handler = h.prev;
                f->sp = sp;
                f->ip = ip;
                *status = 0;
                return r;
            }
            case MP_BC_RAISE_LAST: {
                /* py/vm.c: re-raise the innermost exception being handled */
                for (int i = f->exc_n - 1; i >= 0; i--) {
                    if (f->exc[i].prev_exc) {
                        vm_raise(f->exc[i].prev_exc);
                    }
                }
                raise_msg(E_RuntimeError, "no active exception to reraise");
            }
            case MP_BC_RAISE_OBJ: {
                vm_raise(POP());
            }
            case MP_BC_RAISE_FROM: {
                sp--;
                vm_raise(POP());
            }
            case MP_BC_YIELD_VALUE: {
                cur_handler = h.prev;
                f->sp = sp;
                f->ip = ip;
                *status = 1;
                return TOP();
            }
            case MP_BC_YIELD_FROM: {
                V send = POP();
                V x;
                if (!resume_sub(TOP(), send, NULL, &x)) {
                    TOP() = x;
                    break;
                }
                PUSH(x);
                ip = f->ip;   /* py/vm.c: resume at this YIELD_FROM, with the sent value on top */
                cur_handler = h.prev;
                f->sp = sp;
                f->ip = ip;
                *status = 1;
                return x;
            }
            case MP_BC_IMPORT_NAME: {
                V fromlist = POP();
                V imp = dict_get_str(builtins_dict, "__import__");
                if (imp && !(imp->kind == K_NATIVE && imp->u.native.fn == builtin_import)) {
                    /* py/runtime.c mp_import_name: an overriding __import__ gets None for globals and locals */
                    V a[5] = {qstr_v(c, (size_t)arg), None, None, fromlist, TOP()};
                    TOP() = call(imp, 5, a, NULL);
                } else {
                    TOP() = import_name(qstr_v(c, (size_t)arg), fromlist, TOP());
                }
                break;
            }
            case MP_BC_IMPORT_FROM: {
                V name = qstr_v(c, (size_t)arg);
                V r = get_attr_maybe(TOP(), name);
                if (!r) {
                    raise_msg(E_ImportError, "can't import name %.*s", (int)name->u.str.len, name->u.str.s);
                }
                PUSH(r);
                break;
            }
            case MP_BC_IMPORT_STAR: {
                /* py/runtime.c mp_import_all: the names in __all__, else the public names of __dict__,
                 * so a class or an instance in sys.modules works as a module */
                V mod = POP();
                V all = get_attr_maybe(mod, mk_cstr("__all__"));
                if (all) {
                    V names = get_iter(all), name;
                    while ((name = iter_next(names))) {
                        if (name->kind != K_STR) {
                            raise_msg(E_TypeError, "__all__ must hold str");
                        }
                        table_set(&f->globals->u.map, name, get_attr(mod, name));
                    }
                    break;
                }
                V d = mod->kind == K_MODULE ? mod->u.module.dict : mod->kind == K_CLASS ? mod->u.cls.dict
                    : mod->kind == K_INST ? mod->u.inst.dict : NULL;
                if (!d) {
                    raise_msg(E_AttributeError, "'%s' object has no attribute '__dict__'", type_of(mod)->u.cls.name);
                }
                table *t = &d->u.map;
                for (size_t i = 0; i < t->n; i++) {
                    if (t->e[i].key && t->e[i].key->u.str.s[0] != '_') {
                        table_set(&f->globals->u.map, t->e[i].key, t->e[i].value);
                    }
                }
                break;
            }
            default:
                if (op >= MP_BC_LOAD_CONST_SMALL_INT_MULTI && op < MP_BC_LOAD_CONST_SMALL_INT_MULTI + MP_BC_LOAD_CONST_SMALL_INT_MULTI_NUM) {
                    PUSH(mk_int(op - MP_BC_LOAD_CONST_SMALL_INT_MULTI - MP_BC_LOAD_CONST_SMALL_INT_MULTI_EXCESS));
                } else if (op >= MP_BC_LOAD_FAST_MULTI && op < MP_BC_LOAD_FAST_MULTI + MP_BC_LOAD_FAST_MULTI_NUM) {
                    V v = fastn[-(op - MP_BC_LOAD_FAST_MULTI)];
                    if (!v) {
                        raise_msg(E_NameError, "local variable referenced before assignment");
                    }
                    PUSH(v);
                } else if (op >= MP_BC_STORE_FAST_MULTI && op < MP_BC_STORE_FAST_MULTI + MP_BC_STORE_FAST_MULTI_NUM) {
                    fastn[-(op - MP_BC_STORE_FAST_MULTI)] = POP();
                } else if (op >= MP_BC_UNARY_OP_MULTI && op < MP_BC_UNARY_OP_MULTI + MP_BC_UNARY_OP_MULTI_NUM) {
                    TOP() = unary_op(op - MP_BC_UNARY_OP_MULTI, TOP());
                } else if (op >= MP_BC_BINARY_OP_MULTI && op < MP_BC_BINARY_OP_MULTI + MP_BC_BINARY_OP_MULTI_NUM) {
                    V b = POP();
                    TOP() = binary_op(op - MP_BC_BINARY_OP_MULTI, TOP(), b);
                } else {
                    char msg[64];
                    snprintf(msg, sizeof msg, "opcode 0x%02x", op);
                    unsupported(msg);
                }
        }
    next_insn:;
    }
}

/* ---- modules ---- */

V vm_run_module(const char *path, const char *name) {
    mpy_module *m = gc_alloc(sizeof *m);
    int r = mpyref_open(path, m);
    if (r) {
        plat_exit(r);
    }
    V mod = obj_new(K_MODULE);
    mod->u.module.name = name;
    mod->u.module.dict = mk_dict();
    dict_set_str(mod->u.module.dict, "__name__", mk_cstr(name));
    table_set(&modules->u.map, mk_cstr(name), mod);
    V fn = make_function(m->root, mod->u.module.dict, NULL, NULL);
    call_func(fn, 0, NULL, NULL);
    return mod;
}

/* __build_class__(body, name, *bases) */
V builtin_build_class(int n, V *args, V kw) {
    (void)kw;
    if (n < 2) {
        raise_msg(E_TypeError, "__build_class__ needs a body and a name");
    }
    V body = args[0], name = args[1];
    if (body->kind != K_FUNC || name->kind != K_STR) {
        raise_msg(E_TypeError, "__build_class__ needs a function and a str");
    }
    V ns = mk_dict();
    V fn = obj_new(K_FUNC);
    *fn = *body;
    fn->cls = ns;   /* run_frame reads this as the class namespace */
    int status;
    Frame *f = make_frame(fn, (int)fn->u.func.n_cells, fn->u.func.cells, NULL);
    V cell = run_frame(f, NULL, &status);
    char *cname = gc_alloc(name->u.str.len + 1);
    mem_copy(cname, name->u.str.s, name->u.str.len);
    V cls = mk_class(cname, mk_tuple((size_t)n - 2, args + 2), ns);
    cls->u.cls.from_python = 1;
    /* py/modbuiltins.c: a class body that uses super() returns its __class__ cell */
    if (cell->kind == K_CELL) {
        cell->u.cell.value = cls;
    }
    /* py/objtype.c mp_obj_new_type: the bases are classes that can be subclassed,
     * with at most one native base among them */
    V native = NULL;
    for (int i = 2; i < n; i++) {
        V b = args[i];
        if (b->kind != K_CLASS) {
            raise_msg(E_TypeError, "bases must be classes");
        }
        if (b->u.cls.builtin_kind > 0 && b != T_object && !dict_get_str(b->u.cls.dict, "__native_new__")
            && !is_subclass(b, E_BaseException)) {
            raise_msg(E_TypeError, "type '%s' isn't an acceptable base type", b->u.cls.name);
        }
        V m = class_mro(b);
        for (size_t j = 0; j < m->u.seq.n; j++) {
            V c = m->u.seq.items[j];
            if (c->u.cls.builtin_kind > 0 && c != T_object) {
                if (native && native != c && !is_subclass(native, c) && !is_subclass(c, native)) {
                    raise_msg(E_TypeError, "multiple bases have instance lay-out conflict");
                }
                if (!native || is_subclass(c, native)) {
                    native = c;
                }
                break;
            }
        }
    }
    /* py/objtype.c mp_obj_new_type: the class attributes with __set_name__ are
     * listed first (the calls may change the namespace), a plain-function
     * __new__ becomes a staticmethod, then each __set_name__(cls, name) runs */
    V setname = mk_list(0, NULL);
    for (size_t i = 0; i < ns->u.map.n; i++) {
        V k = ns->u.map.e[i].key, v = ns->u.map.e[i].value;
        V m = k && v->kind == K_INST ? lookup_class_attr(v->cls, mk_cstr("__set_name__")) : NULL;
        if (m) {
            list_append(setname, m);
            list_append(setname, v);
            list_append(setname, k);
        }
    }
    V new_fn = dict_get_str(ns, "__new__");
    if (new_fn && new_fn->kind == K_FUNC) {
        V w = obj_new(K_STATICMETHOD);
        w->u.wrap.fn = new_fn;
        dict_set_str(ns, "__new__", w);
    }
    for (size_t i = 0; i + 2 < setname->u.seq.n; i += 3) {
        V a[3] = {setname->u.seq.items[i + 1], cls, setname->u.seq.items[i + 2]};
        call(setname->u.seq.items[i], 3, a, NULL);
    }
    return cls;
}

static void print_traceback(V exc) {
    out_cstr("Traceback (most recent call last):\n");
    if (exc->kind == K_INST && exc->u.inst.traceback) {
        V tb = exc->u.inst.traceback;
        for (size_t i = tb->u.seq.n; i > 0; i--) {
            V e = tb->u.seq.items[i - 1];
            char buf[64];
            out_cstr("  File \"");
            out_str(e->u.seq.items[0]);
            snprintf(buf, sizeof buf, "\", line %lld, in ", (long long)e->u.seq.items[1]->u.i);
            out_cstr(buf);
            out_str(e->u.seq.items[2]);
            out_cstr("\n");
        }
    }
    V t = type_of(exc);
    out_cstr(t->u.cls.name);
    V s = str_of(exc);
    if (s->u.str.len) {
        out_cstr(": ");
        out_str(s);
    }
    out_cstr("\n");
}

int vm_run_main(const char *path) {
    gc_image_begin();
    objects_init();
    modules = mk_dict();
    builtin_modules = mk_dict();
    extern void native_modules_init(V builtin_modules, V loaded);
    native_modules_init(builtin_modules, modules);
    close_exit = mk_exc(E_GeneratorExit, NULL);
    memory_error = mk_exc(E_MemoryError, NULL);
    gc_image_end();
    char *dir = gc_alloc(strlen(path) + 2);
    strcpy(dir, path);
    char *slash = strrchr(dir, '/');
    if (slash) {
        *slash = 0;
    } else {
        strcpy(dir, ".");
    }
    main_dir = dir;
    char stack_here;
    stack_base = (uintptr_t)&stack_here;
    handler h;
    h.prev = NULL;
    h.depth = 0;
    cur_handler = &h;
    gc_full_hook = raise_memory_error;
    if (setjmp(h.jb)) {
        gc_full_hook = NULL;   /* what is left is printing: no handler to raise to */
        if (is_instance(h.exc, E_SystemExit)) {
            V a = h.exc->u.inst.args;
            return a->u.seq.n && is_int(a->u.seq.items[0]) ? (int)to_int64(a->u.seq.items[0]) : 0;
        }
        print_traceback(h.exc);
        return EXIT_UNCAUGHT;
    }
    /* named like the file: the reference runs are "import NAME" on the real VM */
    const char *base = slash ? strrchr(path, '/') + 1 : path;
    char *stem = gc_alloc(strlen(base) + 1);
    strcpy(stem, base);
    char *dot = strrchr(stem, '.');
    if (dot) {
        *dot = 0;
    }
    /* the importing program, as on the real VM: `import __main__` finds it */
    V main_mod = obj_new(K_MODULE);
    main_mod->u.module.name = "__main__";
    main_mod->u.module.dict = mk_dict();
    dict_set_str(main_mod->u.module.dict, "__name__", mk_cstr("__main__"));
    table_set(&modules->u.map, mk_cstr("__main__"), main_mod);
    vm_run_module(path, stem);
    return 0;
}
