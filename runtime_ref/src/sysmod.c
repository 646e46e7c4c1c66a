/* sysmod.c: what the `sys` module tells about the VM: implementation (an
 * attribute tuple: name, version, _mpy), version and version_info (the
 * Python language level MicroPython reports), platform, path, maxsize and
 * byteorder of the platform the VM was built for, and the console
 * streams stdin, stdout and stderr. */
#include <stdint.h>
#include <string.h>

#include "lib.h"

static V ints(int a, int b, int c) {
    V t[3] = {mk_int(a), mk_int(b), mk_int(c)};
    return mk_tuple(3, t);
}

void lib_sys_extend(V sys, V modules) {
    V d = sys->u.module.dict;
    const uint16_t one = 1;
    dict_set_str(d, "byteorder", mk_cstr(*(const uint8_t *)&one ? "little" : "big"));
    dict_set_str(d, "maxsize", mk_int((int64_t)(SIZE_MAX >> 1)));   /* py/modsys.c: the largest machine word */
    dict_set_str(d, "platform", mk_cstr("mpyref"));
    dict_set_str(d, "version", mk_cstr("3.4.0; mpyref"));
    dict_set_str(d, "version_info", ints(3, 4, 0));
    dict_set_str(d, "path", mk_list(0, NULL));
    dict_set_str(d, "stdin", lib_console_stream(0));
    dict_set_str(d, "stdout", lib_console_stream(1));
    dict_set_str(d, "stderr", lib_console_stream(2));

    /* implementation: a namedtuple made by collections.namedtuple */
    V coll = table_get(&modules->u.map, mk_cstr("collections"));
    V nt = dict_get_str(coll->u.module.dict, "namedtuple");
    V fields[3] = {mk_cstr("name"), mk_cstr("version"), mk_cstr("_mpy")};
    V spec[2] = {mk_cstr("implementation"), mk_tuple(3, fields)};
    V cls = call(nt, 2, spec, NULL);
    V version[4] = {mk_int(1), mk_int(29), mk_int(0), mk_cstr("")};
    V values[3] = {mk_cstr("micropython"), mk_tuple(4, version), mk_int(6 | 3 << 8)};   /* .mpy v6.3, bytecode only */
    dict_set_str(d, "implementation", call(cls, 3, values, NULL));
}
