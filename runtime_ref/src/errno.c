/* errno.c: the `errno` module (the codes py/mperrno.h gives the unix
 * port, the same numbers on every platform) and the names OSError prints:
 * str(OSError(5)) is "[Errno 5] EIO", str(OSError(5, "x")) "[Errno 5] EIO: x". */
#include "lib.h"

static const struct { int code; const char *name; } codes[] = {
    {1, "EPERM"}, {2, "ENOENT"}, {5, "EIO"}, {9, "EBADF"}, {11, "EAGAIN"}, {12, "ENOMEM"}, {13, "EACCES"},
    {17, "EEXIST"}, {19, "ENODEV"}, {21, "EISDIR"}, {22, "EINVAL"}, {95, "EOPNOTSUPP"}, {98, "EADDRINUSE"},
    {103, "ECONNABORTED"}, {104, "ECONNRESET"}, {105, "ENOBUFS"}, {107, "ENOTCONN"}, {110, "ETIMEDOUT"},
    {111, "ECONNREFUSED"}, {113, "EHOSTUNREACH"}, {114, "EALREADY"}, {115, "EINPROGRESS"},
};

const char *lib_errno_name(V code) {
    if (code->kind != K_INT) return NULL;
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        if (codes[i].code == code->u.i) return codes[i].name;
    }
    return NULL;
}

void lib_errno_module(V modules) {
    V m = lib_new_module(modules, "errno");
    V table = mk_dict();
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        dict_set_str(m->u.module.dict, codes[i].name, mk_int(codes[i].code));
        table_set(&table->u.map, mk_int(codes[i].code), mk_cstr(codes[i].name));
    }
    table->u.map.fixed = 1;
    dict_set_str(m->u.module.dict, "errorcode", table);
}
