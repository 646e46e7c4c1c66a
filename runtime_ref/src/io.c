/* io.c: the `io` module's in-memory streams, StringIO and BytesIO
 * (K_STREAM), as py/objstringio.c behaves: one byte buffer and a position;
 * writes overwrite and extend (a seek past the end fills with zero
 * bytes); positions count bytes, also for StringIO; write(buf, len) and
 * write(buf, offset, len) are MicroPython's extended forms. Also IOBase
 * (a base for user streams: print(file=...) calls their write), and
 * print's `file` argument.
 *
 *     u.iter.a  the content (a bytearray, never shared with the caller)
 *     u.iter.i  the position
 *     u.iter.j  STREAM_TEXT | STREAM_CLOSED | STREAM_CONSOLE | fd << 8
 *
 * sys.stdin, sys.stdout and sys.stderr are console streams (TextIOWrapper,
 * their .buffer a FileIO): writes go to the platform's console. */
#include <stdio.h>
#include <string.h>

#include "gc.h"
#include "lib.h"

enum { STREAM_TEXT = 1, STREAM_CLOSED = 2, STREAM_CONSOLE = 4 };
enum { EINVAL_ = 22 };   /* errno values are MicroPython's (py/mperrno.h), the same on every platform */

static V T_StringIO, T_BytesIO, T_TextIOWrapper, T_FileIO;

static V stream_self(V v) {
    if (v->kind == K_INST && v->u.inst.native_value) v = v->u.inst.native_value;
    if (v->kind != K_STREAM) raise_msg(E_TypeError, "expected a stream, not '%s'", type_of(v)->u.cls.name);
    return v;
}

static V open_self(V v) {
    V s = stream_self(v);
    if (s->u.iter.j & STREAM_CLOSED) raise_msg(E_ValueError, "I/O operation on closed file");
    return s;
}

static V content(const char *p, size_t n) {
    V b = mk_bytes(p, n);
    b->kind = K_BYTEARRAY;
    b->cls = T_bytearray;
    return b;
}

/* the stream's kind of value (str or bytes) for these bytes */
static V out_value(V s, const char *p, size_t n) {
    return (s->u.iter.j & STREAM_TEXT) ? mk_str(p, n) : mk_bytes(p, n);
}

static V stream_new(int n, V *a, int text) {
    V s = obj_new(K_STREAM);
    s->cls = text ? T_StringIO : T_BytesIO;
    s->u.iter.j = text ? STREAM_TEXT : 0;
    s->u.iter.a = content("", 0);
    if (n > 1 && a[1] != None) {
        V init = a[1];
        if (is_int(init)) return s;   /* an initial size: only a capacity hint */
        lib_buf b;
        if (text ? init->kind != K_STR : !lib_buffer(init, &b)) {
            raise_msg(E_TypeError, "can't convert '%s' object to %s implicitly", type_of(init)->u.cls.name,
                      text ? "str" : "bytes");
        }
        if (text) s->u.iter.a = content(init->u.str.s, init->u.str.len);
        else s->u.iter.a = content(b.p, b.len);
    }
    return s;
}

static V new_stringio(int n, V *a, V kw) { (void)kw; return stream_new(n, a, 1); }
static V new_bytesio(int n, V *a, V kw) { (void)kw; return stream_new(n, a, 0); }

static V s_getvalue(int n, V *a, V kw) {
    (void)kw; (void)n;
    V s = open_self(a[0]);
    return out_value(s, s->u.iter.a->u.str.s, s->u.iter.a->u.str.len);
}

static size_t remaining(V s) {
    size_t len = s->u.iter.a->u.str.len, pos = (size_t)s->u.iter.i;
    return pos < len ? len - pos : 0;
}

static V s_read(int n, V *a, V kw) {
    (void)kw;
    V s = open_self(a[0]);
    size_t want = remaining(s);
    if (n > 1 && a[1] != None) {
        int64_t k = to_int64(a[1]);
        if (k >= 0 && (size_t)k < want) want = (size_t)k;
    }
    V r = out_value(s, s->u.iter.a->u.str.s + (want ? s->u.iter.i : 0), want);
    s->u.iter.i += (int64_t)want;
    return r;
}

static V s_readline(int n, V *a, V kw) {
    (void)kw;
    V s = open_self(a[0]);
    size_t left = remaining(s), k = 0;
    const char *p = s->u.iter.a->u.str.s + (left ? s->u.iter.i : 0);
    int64_t limit = n > 1 && a[1] != None ? to_int64(a[1]) : -1;
    while (k < left && (limit < 0 || (int64_t)k < limit)) {
        if (p[k++] == '\n') break;
    }
    s->u.iter.i += (int64_t)k;
    return out_value(s, p, k);
}

static V s_readinto(int n, V *a, V kw) {
    (void)kw;
    if (n < 2) raise_msg(E_TypeError, "function takes 2 positional arguments");
    V s = open_self(a[0]);
    lib_buf b;
    if (!lib_buffer(a[1], &b) || !b.writable) raise_msg(E_TypeError, "object with buffer protocol required");
    size_t want = b.len, left = remaining(s);
    if (n > 2) {
        int64_t k = to_int64(a[2]);
        if (k >= 0 && (size_t)k < want) want = (size_t)k;
    }
    if (want > left) want = left;
    mem_copy(b.p, s->u.iter.a->u.str.s + s->u.iter.i, want);
    s->u.iter.i += (int64_t)want;
    return mk_int((int64_t)want);
}

static V s_write(int n, V *a, V kw) {
    (void)kw;
    if (n < 2 || n > 4) raise_msg(E_TypeError, "function takes from 2 to 4 positional arguments");
    V s = open_self(a[0]);
    if (s->u.iter.j & STREAM_CONSOLE) {
        lib_buf cb;
        const char *p = a[1]->u.str.s;
        size_t len = a[1]->u.str.len;
        if (a[1]->kind != K_STR) {
            if (!lib_buffer(a[1], &cb)) raise_msg(E_TypeError, "object with buffer protocol required");
            p = cb.p;
            len = cb.len;
        }
        if ((s->u.iter.j >> 8) == 2) plat_write_err(p, len); else plat_write_out(p, len);
        return mk_int((int64_t)len);
    }
    const char *p;
    size_t len;
    lib_buf b;
    if (s->u.iter.j & STREAM_TEXT) {
        if (a[1]->kind != K_STR) raise_msg(E_TypeError, "can't convert '%s' object to str implicitly", type_of(a[1])->u.cls.name);
        p = a[1]->u.str.s;
        len = a[1]->u.str.len;
    } else {
        if (!lib_buffer(a[1], &b)) raise_msg(E_TypeError, "object with buffer protocol required");
        p = b.p;
        len = b.len;
    }
    /* write(buf, len) / write(buf, offset, len): py/stream.c mp_stream_write_method */
    size_t off = 0, max = len;
    if (n == 3) max = (size_t)(to_int64(a[2]) < 0 ? 0 : to_int64(a[2]));
    if (n == 4) {
        int64_t o = to_int64(a[2]), l = to_int64(a[3]);
        off = o < 0 ? 0 : (size_t)o > len ? len : (size_t)o;
        max = l < 0 ? 0 : (size_t)l;
    }
    if (len - off < max) max = len - off;
    V c = s->u.iter.a;
    size_t pos = (size_t)s->u.iter.i, end = pos + max;
    if (end > c->u.str.len) {
        char *grown = gc_alloc(end + 1);
        mem_copy(grown, c->u.str.s, c->u.str.len);
        c->u.str.s = grown;
        c->u.str.len = end;
    }
    memmove(c->u.str.s + pos, p + off, max);
    s->u.iter.i = (int64_t)end;
    return mk_int((int64_t)max);
}

static V s_seek(int n, V *a, V kw) {
    (void)kw;
    if (n < 2) raise_msg(E_TypeError, "function takes 2 or 3 positional arguments");
    V s = open_self(a[0]);
    int64_t off = to_int64(a[1]), whence = n > 2 ? to_int64(a[2]) : 0;
    int64_t base = whence == 1 ? s->u.iter.i : whence == 2 ? (int64_t)s->u.iter.a->u.str.len : 0;
    int64_t pos = base + off;
    if (pos < 0 || whence < 0 || whence > 2) {
        V e = mk_exc(E_OSError, NULL);
        V code = mk_int(EINVAL_);
        e->u.inst.args = mk_tuple(1, &code);
        vm_raise(e);
    }
    s->u.iter.i = pos;   /* past the end: a later write fills the gap with zero bytes */
    return mk_int(pos);
}

static V s_tell(int n, V *a, V kw) { (void)kw; (void)n; return mk_int(open_self(a[0])->u.iter.i); }
static V s_flush(int n, V *a, V kw) { (void)kw; (void)n; open_self(a[0]); return None; }
static V s_close(int n, V *a, V kw) {
    (void)kw; (void)n;
    V s = stream_self(a[0]);
    s->u.iter.j |= STREAM_CLOSED;
    return None;
}
static V s_enter(int n, V *a, V kw) { (void)kw; (void)n; return a[0]; }
static V s_exit(int n, V *a, V kw) { (void)n; V self = a[0]; return s_close(1, &self, kw); }

static V it_lines(V it) {
    V self = it->u.iter.a;
    V line = s_readline(1, &self, NULL);
    return line->u.str.len ? line : NULL;
}

V lib_stream_iter(V o) { return mk_iter(it_lines, o, 0); }

V lib_stream_repr(V s) {
    char buf[64];
    if (s->u.iter.j & STREAM_CONSOLE) {
        snprintf(buf, sizeof buf, "<io.%s %d>", s->cls->u.cls.name, (int)(s->u.iter.j >> 8));
    } else {
        snprintf(buf, sizeof buf, "<io.%s %lx>", s->cls->u.cls.name, OBJ_ADDR(s));
    }
    return mk_cstr(buf);
}

/* sys.stdin (0), sys.stdout (1), sys.stderr (2) */
V lib_console_stream(int fd) {
    V s = obj_new(K_STREAM);
    s->cls = T_TextIOWrapper;
    s->u.iter.j = STREAM_TEXT | STREAM_CONSOLE | fd << 8;
    V b = obj_new(K_STREAM);
    b->cls = T_FileIO;
    b->u.iter.j = STREAM_CONSOLE | fd << 8;
    s->u.iter.b = b;
    return s;
}

static const struct { const char *name; native_fn fn; } stream_methods[] = {
    {"getvalue", s_getvalue}, {"read", s_read}, {"readline", s_readline}, {"readinto", s_readinto},
    {"write", s_write}, {"seek", s_seek}, {"tell", s_tell}, {"flush", s_flush}, {"close", s_close},
    {"__enter__", s_enter}, {"__exit__", s_exit},
};

V lib_stream_method(V s, V name) {
    if (s->u.iter.b && name->u.str.len == 6 && memcmp(name->u.str.s, "buffer", 6) == 0) return s->u.iter.b;
    for (size_t i = 0; i < sizeof stream_methods / sizeof stream_methods[0]; i++) {
        const char *m = stream_methods[i].name;
        if (strlen(m) == name->u.str.len && memcmp(m, name->u.str.s, name->u.str.len) == 0) {
            V f = mk_native(m, stream_methods[i].fn);
            f->u.native.self = s;
            return f;
        }
    }
    return NULL;
}

/* print(..., file=f): each piece goes to f.write, as py/modbuiltins.c prints through a stream */
void lib_print_to(V file, V piece) {
    V w = get_attr(file, mk_cstr("write"));
    call1(w, piece);
}

void lib_io_module(V modules) {
    V m = lib_new_module(modules, "io");
    T_StringIO = lib_builtin_class("StringIO", K_STREAM, new_stringio, T_object);
    T_BytesIO = lib_builtin_class("BytesIO", K_STREAM, new_bytesio, T_object);
    dict_set_str(m->u.module.dict, "StringIO", T_StringIO);
    dict_set_str(m->u.module.dict, "BytesIO", T_BytesIO);
    dict_set_str(m->u.module.dict, "IOBase", mk_class("IOBase", mk_tuple(1, &T_object), NULL));
    T_TextIOWrapper = lib_builtin_class("TextIOWrapper", K_STREAM, NULL, T_object);
    T_FileIO = lib_builtin_class("FileIO", K_STREAM, NULL, T_object);
}
