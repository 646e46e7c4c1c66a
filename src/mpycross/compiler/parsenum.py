"""Values of number tokens, read exactly as MicroPython 1.29's mpy-cross reads them.

A port of `py/parsenum.c` for what the lexer can hand it (no sign, no
spaces, no `inf`/`nan`).  Errors are ValueError with MicroPython's message;
the parser turns them into SyntaxError at the token's line.

Floats: mpy-cross is built with double floats and, on x86-64,
MICROPY_FLOAT_FORMAT_IMPL_EXACT, so `mp_parse_float_internal` gathers up to
~19 significant digits in a 64-bit integer and scales it by powers of ten in
`long double` (x87 80-bit) arithmetic before rounding to double.  That double
rounding occasionally gives a different double from CPython's correctly
rounded `float()`, so it is reproduced here with exact fractions rounded to a
64-bit significand at each step.
"""

from __future__ import annotations

import functools

from .floatcompat import scan_decimal

TYPE_CHECKING = False
if TYPE_CHECKING:  # fractions is imported where a float needs it, not at start-up
    from fractions import Fraction

# ---- integers (mp_parse_num_integer with base 0) -----------------------------


def quoted(data: bytes) -> str:
    """py/objstr.c mp_str_print_quoted(..., is_bytes=True)."""
    quote = "'"
    if b"'" in data and b'"' not in data:
        quote = '"'
    out = [quote]
    for b in data:
        if b == ord(quote):
            out.append("\\" + quote)
        elif b == 0x5C:
            out.append("\\\\")
        elif 0x20 <= b < 0x7F:
            out.append(chr(b))
        elif b == 0x0A:
            out.append("\\n")
        elif b == 0x0D:
            out.append("\\r")
        elif b == 0x09:
            out.append("\\t")
        else:
            out.append(f"\\x{b:02x}")
    out.append(quote)
    return "".join(out)


def parse_integer(text: bytes, reject_leading_zero: bool) -> int:
    """Value of an INTEGER token; ValueError with MicroPython's message if malformed.

    `reject_leading_zero`: "017" is an error (from 1.25), else decimal 17."""
    n = len(text)
    i = 0
    # py/parsenumbase.c: 0x 0o 0b prefixes; a leading 0 without one means "base 1"
    # for the digit check (only zeros allowed) and is reported as base 0.
    if n > 1 and text[0] == 0x30:
        c = text[1] | 0x20
        if c == 0x78:
            base, i = 16, 2
        elif c == 0x6F:
            base, i = 8, 2
        elif c == 0x62:
            base, i = 2, 2
        else:
            # before 1.25 a leading zero just meant decimal ("017" is 17)
            base = 1 if reject_leading_zero else 10
    else:
        base = 10
    start = i
    while i < n:
        d = text[i]
        if 0x30 <= d <= 0x39:
            d -= 0x30
        else:
            d |= 0x20
            d = d - (0x61 - 10) if 0x61 <= d <= 0x7A else 99
        if d >= base:
            break
        i += 1
    if i == start or i != n:
        shown = 0 if base == 1 else base
        raise ValueError(f"invalid syntax for integer with base {shown}: {quoted(text[start:])}")
    return _digits_value(text[start:], max(base, 2))


def _digits_value(digits: bytes, base: int) -> int:
    """Value of validated digits; chunked so huge literals stay fast (and avoid
    CPython's limit on int() of long decimal strings)."""
    value = 0
    step = 500
    for k in range(0, len(digits), step):
        chunk = digits[k:k + step]
        value = value * base ** len(chunk) + int(chunk, base)
    return value


# ---- floats and imaginary numbers (mp_parse_num_float) ----------------------


class _Inf:
    """x87 overflow result (only ever positive here)."""


_INF = _Inf()

# x87 extended precision: 64-bit significand, exponents 2**-16382 .. 2**16383
_LD_BITS = 64
_LD_MIN_EXP = -16382
_LD_MAX = ((1 << 64) - 1) << (16383 - 63)  # an int: compares exactly with a Fraction


def _round_long_double(x: Fraction):
    """Round a positive fraction to the nearest x87 long double (ties to even)."""
    from fractions import Fraction  # only float literals need it; keeps start-up short

    if x == 0:
        return x
    num, den = x.numerator, x.denominator
    e = num.bit_length() - den.bit_length()  # floor(log2(x)) is e or e-1
    if (num << max(0, -e)) < (den << max(0, e)):
        e -= 1
    e = max(e, _LD_MIN_EXP)
    shift = _LD_BITS - 1 - e  # scale so the significand is an integer
    if shift >= 0:
        q, r = divmod(num << shift, den)
        twice_r = 2 * r
        if twice_r > den or (twice_r == den and q & 1):
            q += 1
        result = Fraction(q, 1 << shift)
    else:
        q, r = divmod(num, den << -shift)
        twice_r = 2 * r
        if twice_r > (den << -shift) or (twice_r == (den << -shift) and q & 1):
            q += 1
        result = Fraction(q << -shift)
    if result > _LD_MAX:
        return _INF
    return result


def _decimal_exp(mantissa: int, dec_exp: int):
    """parsenum.c mp_decimal_exp, EXACT variant: mantissa * 10**dec_exp in long double."""
    from fractions import Fraction

    if dec_exp == 0 or mantissa == 0:
        return Fraction(mantissa)
    negative = dec_exp < 0
    dec_exp = abs(dec_exp)
    res = Fraction(mantissa)  # a 64-bit integer is exact in a long double
    expo = Fraction(10)
    while dec_exp:
        if dec_exp & 1:
            if expo is _INF:
                res = Fraction(0) if negative else _INF
            elif res is not _INF:
                res = _round_long_double(res / expo if negative else res * expo)
        dec_exp >>= 1
        if dec_exp and expo is not _INF:
            expo = _round_long_double(expo * expo)
    return res


def _to_double(value) -> float:
    if value is _INF:
        return float("inf")
    try:
        return float(value)  # Fraction -> float is correctly rounded
    except OverflowError:
        return float("inf")


def read_float(text: bytes):
    """parsenum.c mp_parse_float_internal: (value, index after the number) or None."""
    # the digit loop is the one of 1.25 (floatcompat.py); only the scaling differs
    scanned = scan_decimal(text, "mantissa")
    if scanned is None:
        return None
    mantissa, exp_val, i = scanned
    return _to_double(_decimal_exp(mantissa, exp_val)), i


@functools.lru_cache(maxsize=4096)  # (a batch meets the same literals again and again)
def parse_decimal(text: bytes, read) -> float | complex:
    """Value of a FLOAT_OR_IMAG token (float or complex); ValueError if malformed.

    `read`: the target's float reader (`plan.Syntax.read_float`: this module's
    `read_float`, or an older release's from floatcompat.py)."""
    parsed = read(text)
    if parsed is None:
        raise ValueError("invalid syntax for number")
    value, i = parsed
    imag = False
    if i < len(text) and (text[i] | 0x20) == 0x6A:  # j
        imag = True
        i += 1
    if i == 0 or i != len(text):
        raise ValueError("invalid syntax for number")
    return complex(0.0, value) if imag else value
