"""MicroPython's float parsing and printing, as mpy-cross does them on x86-64.

mpy-cross stores a float constant as the text `repr()` gives on the build
machine, and parses float literals itself. Both routines (`py/parsenum.c`
mp_parse_float_internal / mp_decimal_exp, `py/formatfloat.c` mp_format_float,
MICROPY_FLOAT_FORMAT_IMPL_EXACT) compute in C `long double`, the x87 80-bit
format with a 64-bit significand, so results differ from Python's correctly
rounded ones in the last digit now and then. This module replays those
computations exactly with rational arithmetic, rounding to 64 bits after
each long double operation and to 53 bits when converting to double.
"""

from __future__ import annotations

import math

TYPE_CHECKING = False
if TYPE_CHECKING:  # fractions is imported where a float needs it, not at start-up
    from fractions import Fraction

_LD_BITS = 64  # x87 extended precision significand
_MANTISSA_MAX = 0x1999999999999998  # py/parsenum.c: (~(uint64)0 - 9) / 10 for a 64-bit mantissa


def _round_bits(x: Fraction, bits: int, min_exp: int | None = None) -> Fraction:
    """Round x to `bits` significant bits, half to even (and to 2**min_exp granularity)."""
    from fractions import Fraction  # only float constants need it; keeps start-up short

    if x == 0:
        return x
    neg = x < 0
    if neg:
        x = -x
    n, d = x.numerator, x.denominator
    # exponent e with 2**e <= x < 2**(e+1)
    e = n.bit_length() - d.bit_length()
    if (n << max(0, -e)) < (d << max(0, e)):
        e -= 1
    shift = bits - 1 - e  # scale so that the significand has `bits` bits
    if min_exp is not None and -shift < min_exp:
        shift = -min_exp
    if shift >= 0:
        q, r = divmod(n << shift, d)
        twice, den = 2 * r, d
    else:
        q, r = divmod(n, d << -shift)
        twice, den = 2 * r, d << -shift
    if twice > den or (twice == den and q & 1):
        q += 1
    result = Fraction(q, 1 << shift) if shift >= 0 else Fraction(q << -shift)
    return -result if neg else result


def _ld(x: Fraction) -> Fraction:
    return _round_bits(x, _LD_BITS)


def _to_double(x: Fraction) -> float:
    """(double) of a long double: round to 53 bits, with subnormals and overflow."""
    if x == 0:
        return 0.0
    r = _round_bits(x, 53, min_exp=-1074)
    try:
        return float(r)
    except OverflowError:
        return math.inf if x > 0 else -math.inf


def decimal_exp(num: Fraction, dec_exp: int) -> Fraction:
    """py/parsenum.c mp_decimal_exp (EXACT): num * 10**dec_exp by repeated squaring in long double."""
    from fractions import Fraction

    if dec_exp == 0 or num == 0:
        return num
    neg = dec_exp < 0
    if neg:
        dec_exp = -dec_exp
    res = num
    expo = Fraction(10)
    while dec_exp:
        if dec_exp & 1:
            res = _ld(res / expo) if neg else _ld(res * expo)
            if res == 0 or res.denominator > (1 << 20000) or res.numerator.bit_length() > 20000:
                # beyond the long double range: the C code saturates to 0 / inf
                return Fraction(0) if neg else Fraction(1 << 20000)
        dec_exp >>= 1
        if dec_exp:
            expo = _ld(expo * expo)
    return res


def parse_float_text(text: str) -> float:
    """py/parsenum.c mp_parse_float_internal on the digits of a literal (no sign, no 'j')."""
    from fractions import Fraction

    mantissa = 0
    exp_val = 0
    exp_extra = 0
    exp_neg = False
    zeros_intg = zeros_frac = 0
    state = 0  # 0 integer part, 1 fraction, 2 exponent
    i = 0
    n = len(text)

    def accept(m: int, dig: int, where: int) -> int:
        nonlocal exp_extra
        if m < _MANTISSA_MAX:
            if where == 1:
                exp_extra -= 1
            return 10 * m + dig
        if where == 0:
            exp_extra += 1
        return m

    while i < n:
        c = text[i]
        i += 1
        if "0" <= c <= "9":
            dig = ord(c) - 48
            if state == 2:
                if exp_val < (2**31 // 2 - 9) // 10:
                    exp_val = 10 * exp_val + dig
            elif dig == 0 or mantissa >= _MANTISSA_MAX:
                if state == 0:
                    zeros_intg += 1
                else:
                    zeros_frac += 1
            else:
                while zeros_intg:
                    mantissa = accept(mantissa, 0, 0)
                    zeros_intg -= 1
                while zeros_frac:
                    mantissa = accept(mantissa, 0, 1)
                    zeros_frac -= 1
                mantissa = accept(mantissa, dig, state)
        elif state == 0 and c == ".":
            state = 1
        elif state != 2 and c in "eE":
            state = 2
            if i < n and text[i] in "+-":
                exp_neg = text[i] == "-"
                i += 1
        elif c == "_":
            continue
        else:
            break
    if exp_neg:
        exp_val = -exp_val
    exp_val += exp_extra + zeros_intg
    return _to_double(decimal_exp(Fraction(mantissa), exp_val))


def _expval(f: float) -> int:
    """Unbiased binary exponent field of a double (subnormals give -1023)."""
    m, e = math.frexp(f)
    if f < 2.2250738585072014e-308:
        return -1023
    return e - 1


def _format_mantissa(mantissa: int, cap: int, num_digits: int, max_exp_zeros: int, trailing_zeros: int,
                     dec: int, e: int, prefix: str) -> str:
    """py/formatfloat.c mp_format_mantissa for the 'g' format."""
    if mantissa and mantissa >= cap:
        mantissa //= 10
        e += 1
    out = prefix
    if e != 0:
        if e >= 0:
            if e < max_exp_zeros:
                dec += e
                if dec >= num_digits:
                    trailing_zeros = dec - (num_digits - 1)
                e = 0
        elif e >= -4:
            cnt = 0
            while e < 0 and mantissa % 10 == 0:
                mantissa //= 10
                cnt += 1
                e += 1
            num_digits -= cnt
            out += "0." + "0" * max(0, cnt - e - 1)
            dec = 255
            e = 0
    digits = str(mantissa).rjust(num_digits, "0")[-num_digits:] if num_digits > 0 else ""
    dot = dec >= 255
    if dec + 1 < num_digits:
        dot = True
        body = digits[: dec + 1] + "." + digits[dec + 1:]
    else:
        body = digits
    out += body
    if trailing_zeros:
        dec -= num_digits - 1
        while trailing_zeros:
            trailing_zeros -= 1
            if dec == 0:
                out += "."
                dot = True
            dec -= 1
            out += "0"
    if dot:
        out = out.rstrip("0")
        if out.endswith("."):
            out = out[:-1]
    if e != 0:
        out += "e" + ("+" if e >= 0 else "-")
        e = abs(e)
        if e >= 100:
            out += str(e // 100)
        out += str((e // 10) % 10) + str(e % 10)
    return out


def format_g_repr(f: float, sign: str = "") -> str:
    """py/formatfloat.c mp_format_float(f, 'g', prec=MP_FLOAT_REPR_PREC, sign)."""
    from fractions import Fraction

    if math.copysign(1.0, f) < 0 and not math.isnan(f):
        f = -f
        sign = "-"
    if math.isinf(f):
        return sign + "inf"
    if math.isnan(f):
        return sign + "nan"
    max_digits = 19  # MAX_MANTISSA_DIGITS
    max_exp_zeros = 16
    e = 0
    ff = Fraction(f)
    if f != 0:
        e = int(_expval(f) * 0.3010299956639812)
        positive_exp = f >= 1.0
        # u_base is a double in the C code: (mp_float_t)mp_decimal_exp(1.0, ...)
        u_base = _to_double(decimal_exp(Fraction(1), e + positive_exp))
        while (f >= u_base) == positive_exp:
            e += 1 if positive_exp else -1
            u_base = _to_double(decimal_exp(Fraction(1), e + positive_exp))
    num_digits = 16  # SAFE_MANTISSA_DIGITS
    while True:
        extra_zeros = max_digits - num_digits
        decexp = 0 if f == 0 else num_digits - e - 1
        cap = 10 ** num_digits
        mantissa_f = decimal_exp(ff, decexp)
        mantissa = int(_ld(mantissa_f + Fraction(1, 2)))
        text = _format_mantissa(mantissa, cap, num_digits, max_exp_zeros, extra_zeros, 0, e, "")
        if num_digits < max_digits and parse_float_text(text) != f:
            num_digits += 1
            continue
        return sign + text


def float_repr(value: float, complex_part: bool = False, show_sign: bool = False) -> str:
    """repr() of a float (py/objfloat.c float_print), or of a complex part (no forced '.0').

    Remembered per value (keyed by its exact bits, so -0.0 and 0.0 stay apart): a batch
    meets the same constants again and again, and each costs hundreds of rational operations."""
    key = (value.hex(), complex_part, show_sign)
    text = _REPRS.get(key)
    if text is None:
        if len(_REPRS) >= 4096:
            _REPRS.clear()
        text = _REPRS[key] = _float_repr(value, complex_part, show_sign)
    return text


_REPRS: dict = {}


def _float_repr(value: float, complex_part: bool, show_sign: bool) -> str:
    text = format_g_repr(value, "+" if show_sign else "")
    if not complex_part and "." not in text and "e" not in text and "n" not in text:
        text += ".0"
    return text


def complex_repr(value: complex) -> str:
    """py/objcomplex.c complex_print."""
    if value.real != 0:
        return "(" + float_repr(value.real, True) + float_repr(value.imag, True, show_sign=True) + "j)"
    return float_repr(value.imag, True) + "j"
