/* intbytes.c: int.to_bytes(length=1, byteorder="big", *, signed=False)
 * and int.from_bytes(bytes, byteorder="big", *, signed=False), as
 * py/objint.c checks them: a value that does not fit the length (a
 * negative one without signed=True) is OverflowError. */
#include <string.h>

#include "gc.h"
#include "lib.h"

static int big_order(V order) {
    if (order->kind != K_STR) raise_msg(E_TypeError, "byteorder must be str");
    if (order->u.str.len == 3 && memcmp(order->u.str.s, "big", 3) == 0) return 1;
    if (order->u.str.len == 6 && memcmp(order->u.str.s, "little", 6) == 0) return 0;
    raise_msg(E_ValueError, "byteorder must be either 'little' or 'big'");
}

static int signed_kw(V kw) {
    V s = kw ? table_get(&kw->u.map, mk_cstr("signed")) : NULL;
    return s && truthy(s);
}

V lib_int_to_bytes(int n, V *a, V kw) {
    if (n < 1 || n > 3) raise_msg(E_TypeError, "function takes from 1 to 3 positional arguments");
    V v = a[0]->kind == K_INST && a[0]->u.inst.native_value ? a[0]->u.inst.native_value : a[0];
    int64_t want = n > 1 ? to_int64(a[1]) : 1;
    if (want < 0) raise_msg(E_ValueError, "negative length");
    int big_endian = n > 2 ? big_order(a[2]) : 1;
    int is_signed = signed_kw(kw);
    int neg = truthy(binary_op(MP_BINARY_OP_LESS, v, mk_int(0)));
    if (neg && !is_signed) raise_msg(E_OverflowError, "can't convert negative int to unsigned");
    /* fits: 0 <= v < 256^len, or -128*256^(len-1) <= v < 128*256^(len-1) when signed */
    V span = want ? binary_op(MP_BINARY_OP_LSHIFT, mk_int(1), mk_int(8 * want - (is_signed ? 1 : 0))) : mk_int(1);
    if (want == 0 ? !equal(v, mk_int(0)) : (!compare_lt(v, span) || compare_lt(v, unary_op(MP_UNARY_OP_NEGATIVE, span)))) {
        raise_msg(E_OverflowError, "buffer too small");   /* a zero length holds only 0 */
    }
    size_t len = (size_t)want;
    char *b = gc_alloc(len + 1);
    V mask = mk_int(255), eight = mk_int(8);
    for (size_t i = 0; i < len; i++) {
        b[big_endian ? len - 1 - i : i] = (char)to_int64(binary_op(MP_BINARY_OP_AND, v, mask));
        v = binary_op(MP_BINARY_OP_RSHIFT, v, eight);
    }
    return mk_bytes(b, len);
}

V lib_int_from_bytes(int n, V *a, V kw) {
    int skip = n > 0 && a[0]->kind == K_CLASS;   /* int.from_bytes(...) or (0).from_bytes(...) */
    if (!skip && n > 0 && is_int(a[0])) skip = 1;
    if (n - skip < 1 || n - skip > 2) raise_msg(E_TypeError, "function takes 1 or 2 positional arguments");
    lib_buf buf;
    if (!lib_buffer(a[skip], &buf)) raise_msg(E_TypeError, "object with buffer protocol required");
    int big_endian = n - skip > 1 ? big_order(a[skip + 1]) : 1;
    V r = mk_int(0), k256 = mk_int(256);
    for (size_t i = 0; i < buf.len; i++) {
        size_t k = big_endian ? i : buf.len - 1 - i;
        r = binary_op(MP_BINARY_OP_ADD, binary_op(MP_BINARY_OP_MULTIPLY, r, k256), mk_int((uint8_t)buf.p[k]));
    }
    if (signed_kw(kw) && buf.len && ((uint8_t)buf.p[big_endian ? 0 : buf.len - 1] & 0x80)) {
        r = binary_op(MP_BINARY_OP_SUBTRACT, r, binary_op(MP_BINARY_OP_LSHIFT, mk_int(1), mk_int(8 * (int64_t)buf.len)));
    }
    return r;
}
