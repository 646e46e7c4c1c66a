/* mpy.h: a loaded .mpy file: header, qstr and constant tables, raw code tree.
 *
 * Both .mpy v5 and v6 load into this one shape. Version 6 function data is
 * kept exactly as in the file. Version 5 stores qstrs inline (through a
 * 32-entry window) and constants per function; the loader rebuilds its
 * function data the way a v5 board holds it in RAM (every qstr operand and
 * the two prelude names as 2-byte little-endian numbers, here indices into the
 * module qstr table) so the decoder reads one layout per generation. */
#ifndef MPYREF_MPY_H
#define MPYREF_MPY_H

#include <stddef.h>
#include <stdint.h>

/* Exit codes (BSD sysexits): distinct for each kind of failure. */
#define EXIT_UNCAUGHT 1       /* the program raised an exception nobody caught */
#define EXIT_USAGE 64
#define EXIT_INVALID 65       /* the .mpy file breaks the format */
#define EXIT_NOINPUT 66       /* the file cannot be read */
#define EXIT_UNSUPPORTED 70   /* valid, but uses something mpyref does not run */

/* py/persistentcode.h: MP_PERSISTENT_OBJ_* (v6 object type bytes). */
enum {
    MPY_OBJ_FUN_TABLE, MPY_OBJ_NONE, MPY_OBJ_FALSE, MPY_OBJ_TRUE, MPY_OBJ_ELLIPSIS,
    MPY_OBJ_STR, MPY_OBJ_BYTES, MPY_OBJ_INT, MPY_OBJ_FLOAT, MPY_OBJ_COMPLEX, MPY_OBJ_TUPLE,
};

/* py/runtime0.h: MP_SCOPE_FLAG_* (the four kept in the prelude). */
#define MP_SCOPE_FLAG_GENERATOR 0x01
#define MP_SCOPE_FLAG_VARKEYWORDS 0x02
#define MP_SCOPE_FLAG_VARARGS 0x04
#define MP_SCOPE_FLAG_DEFKWARGS 0x08

typedef struct {
    const char *str;
    size_t len;
} mpy_str;

typedef struct mpy_obj {
    int kind;                 /* MPY_OBJ_* */
    const char *data;         /* text of str/bytes/int/float/complex */
    size_t len;               /* of the text; a tuple's number of items */
    struct mpy_obj *items;    /* tuple */
    void *cache;              /* the runtime's object, made on first use */
} mpy_obj;

struct mpy_module;

typedef struct mpy_code {
    struct mpy_module *module;
    const uint8_t *data;      /* function data: prelude, then bytecode */
    size_t len;
    size_t file_offset;       /* where this raw code starts in the file */
    /* py/bc.h prelude signature */
    size_t n_state, n_exc_stack, scope_flags, n_pos_args, n_kwonly_args, n_def_pos_args;
    size_t n_info, n_cell;
    size_t info_start;        /* offset of the source info section */
    size_t name;              /* qstr index of the function's name */
    size_t *arg_names;        /* qstr indices, n_pos_args + n_kwonly_args */
    size_t line_start, line_end;  /* line-number table */
    size_t cell_start;
    size_t code_start;        /* first bytecode instruction */
    struct mpy_code **children;
    size_t n_children;
    /* v5: constant table = arg names, n_obj objects (a table of its own,
     * sized from the function's header), children; v6: the module's table */
    mpy_obj *objs;
    size_t n_obj;
} mpy_code;

typedef struct mpy_module {
    const char *filename;
    const uint8_t *buf;
    size_t len;
    int magic;                /* 'M' or 'C' */
    int version, sub_version, arch, small_int_bits;
    mpy_str *qstrs;
    size_t n_qstr, cap_qstr;
    mpy_obj *objs;
    size_t n_obj;
    mpy_code *root;
    size_t source_file;       /* qstr index of the source file name */
    void **qstr_objs;         /* the runtime's str object of each qstr, made on first use */
} mpy_module;

/* Parse a whole file. On failure returns EXIT_INVALID or EXIT_UNSUPPORTED
 * and writes a one-line reason to err. */
int mpy_load(const char *filename, const uint8_t *buf, size_t len, mpy_module *m, char *err, size_t errlen);

/* The name of qstr index i (for messages); never NULL. */
const char *mpy_qstr_text(const mpy_module *m, size_t i, size_t *len);

#endif
