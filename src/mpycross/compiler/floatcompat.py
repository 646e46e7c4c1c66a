"""Float literals and float constant text as older releases make them.

A `.mpy` stores each float constant as the text `repr()` gives inside
mpy-cross, and mpy-cross parses float literals itself, so both routines
decide the bytes. `floatrepr.py` and `parsenum.py` replay the current ones
(long double arithmetic, from MicroPython 1.26). Older releases computed in
plain C `double`, which Python floats reproduce operation for operation (both
IEEE binary64 with round-to-nearest; `pow` is the same C library call):

* parsing (`py/parsenum.c` mp_parse_num_decimal):
  - "frac" (up to 1.9.3): integer digits into a double, each fraction digit
    added as digit * 0.1**k (the factor itself kept in a double);
  - "accumulate" (1.10 to 1.19.1): digits are gathered into a double,
    `dec_val = 10 * dec_val + dig`, while it is below 1e200 ("accumulate_mul",
    1.9.4: the same, but a negative power of ten is always multiplied in);
  - "deferred" (1.20 to 1.24): the same, but zeros are only taken in when a
    non-zero digit follows them (trailing zeros are dropped);
  - "mantissa" (1.25): digits gathered into a 64-bit integer (deferred zeros),
    converted to double once;
  then the power of ten is applied with `pow(10, n)`, dividing for small
  negative exponents.
* printing (`py/formatfloat.c` mp_format_float, 'g' with 16 digits):
  - "table" (up to 1.19.1): scaled into [1, 10) by the power tables
    1e256 .. 1e1, then one digit per multiplication by 10;
  - "pow" (1.20 to 1.25): digit by digit, subtracting `pow(10, i)`;
  - CircuitPython 8.2: like "pow" but with powers built from the tables and
    comparisons backed off by two units in the last place.

Which variant a target uses comes from its features (formats/targets.toml):
`float_parse_deferred_zeros`, `float_parse_int_mantissa`, `float_format_pow`,
`float_long_double`.
"""

from __future__ import annotations

import math
import operator
import struct

_INTG, _FRAC, _EXP = range(3)
_DEC_VAL_MAX = 1e200                 # py/parsenum.c (double): DEC_VAL_MAX
_MANTISSA_MAX = 0x1999999999999998   # py/parsenum.c (double, 1.25): MANTISSA_MAX
_SMALL_NORMAL_VAL = 1e-307
_SMALL_NORMAL_EXP = -307
_EXACT_POWER_OF_10 = 22
_EXP_LIMIT = (2**31 // 2 - 9) // 10  # (INT_MAX / 2 - 9) / 10


def _pow10(n: int) -> float:
    """C pow(10, n): math.pow raises where C returns inf."""
    try:
        return math.pow(10.0, n)
    except OverflowError:
        return math.inf


def _mul(a: float, b: float) -> float:
    """C double multiply: 0 * inf is nan, overflow is inf (never an exception)."""
    return a * b


def _div(a: float, b: float) -> float:
    """C double division: x / 0 is inf (or nan for 0 / 0) instead of an exception."""
    if b == 0:
        return math.nan if a == 0 or math.isnan(a) else math.copysign(math.inf, a) * math.copysign(1.0, b)
    return a / b


def variant_for(target) -> str | None:
    """The literal parser variant of a target, None for the current one."""
    if target.has("float_long_double"):
        return None
    if target.has("float_parse_int_mantissa"):
        return "mantissa"
    if target.has("float_parse_deferred_zeros"):
        return "deferred"
    if target.has("float_parse_exact_div"):
        return "accumulate"
    if target.has("float_parse_exp_extra"):
        return "accumulate_mul"
    return "frac"


def parse_float(text: bytes, variant: str):
    """py/parsenum.c mp_parse_num_decimal on a literal's digits: (value, index after them) or None.

    The index stops before a trailing 'j' (the caller handles imaginary literals).
    """
    if variant == "frac":
        return _parse_float_frac(text)
    scanned = scan_decimal(text, variant)
    if scanned is None:
        return None
    dec_val, exp_val, i = scanned
    if variant == "mantissa":
        dec_val = float(dec_val)  # (mp_float_t)mantissa: one correctly rounded conversion
    if exp_val < _SMALL_NORMAL_EXP:
        exp_val -= _SMALL_NORMAL_EXP
        dec_val = _mul(dec_val, _SMALL_NORMAL_VAL)
    if -_EXACT_POWER_OF_10 <= exp_val < 0 and variant != "accumulate_mul":
        dec_val = _div(dec_val, _pow10(-exp_val))
    else:
        dec_val = _mul(dec_val, _pow10(exp_val))
    return dec_val, i


def scan_decimal(text: bytes, variant: str):
    """The digit loop of mp_parse_num_decimal / mp_parse_float_internal (not "frac"):
    (significand, decimal exponent, index after the number) or None.

    The significand is the 64-bit integer mantissa for "mantissa" (also the current
    parser, parsenum.py), else the double dec_val.
    """
    n = len(text)
    i = 0
    state = _INTG
    exp_neg = False
    exp_val = 0
    exp_extra = 0
    dec_val = 0.0
    mantissa = 0
    zeros_intg = zeros_frac = 0
    deferred = variant not in ("accumulate", "accumulate_mul")

    def accept(dig: int, where: int) -> None:
        nonlocal dec_val, mantissa, exp_extra
        if variant == "mantissa":
            if mantissa < _MANTISSA_MAX:
                if where == _FRAC:
                    exp_extra -= 1
                mantissa = 10 * mantissa + dig
            elif where == _INTG:
                exp_extra += 1
        elif dec_val < _DEC_VAL_MAX:
            dec_val = 10 * dec_val + dig
            if where == _FRAC:
                exp_extra -= 1
        elif where == _INTG:
            exp_extra += 1

    while i < n:
        c = text[i]
        i += 1
        if 0x30 <= c <= 0x39:
            dig = c - 0x30
            if state == _EXP:
                if exp_val < _EXP_LIMIT:
                    exp_val = 10 * exp_val + dig
            elif not deferred:
                accept(dig, state)
            elif dig == 0 or (variant == "mantissa" and mantissa >= _MANTISSA_MAX):
                if state == _INTG:
                    zeros_intg += 1
                else:
                    zeros_frac += 1
            else:
                while zeros_intg:
                    accept(0, _INTG)
                    zeros_intg -= 1
                while zeros_frac:
                    accept(0, _FRAC)
                    zeros_frac -= 1
                accept(dig, state)
        elif state == _INTG and c == 0x2E:
            state = _FRAC
        elif state != _EXP and (c | 0x20) == 0x65:
            state = _EXP
            if i < n and text[i] in (0x2B, 0x2D):
                exp_neg = text[i] == 0x2D
                i += 1
            if i == n:
                return None
        elif c == 0x5F:
            continue
        else:
            i -= 1
            break
    if exp_neg:
        exp_val = -exp_val
    exp_val += exp_extra + zeros_intg
    return (mantissa if variant == "mantissa" else dec_val), exp_val, i


def _parse_float_frac(text: bytes):
    """mp-v1.9.3/py/parsenum.c: integer digits as 10 * v + d, each fraction digit added
    as d * frac_mult (frac_mult *= 0.1 after each), then one multiplication by pow(10, exp)."""
    n = len(text)
    i = 0
    state = _INTG
    exp_neg = False
    exp_val = 0
    dec_val = 0.0
    frac_mult = 0.1
    while i < n:
        c = text[i]
        i += 1
        if 0x30 <= c <= 0x39:
            dig = c - 0x30
            if state == _EXP:
                exp_val = 10 * exp_val + dig
            elif state == _FRAC:
                dec_val += dig * frac_mult
                frac_mult *= 0.1
            else:
                dec_val = 10 * dec_val + dig
        elif state == _INTG and c == 0x2E:
            state = _FRAC
        elif state != _EXP and (c | 0x20) == 0x65:
            state = _EXP
            if i < n and text[i] in (0x2B, 0x2D):
                exp_neg = text[i] == 0x2D
                i += 1
            if i == n:
                return None
        else:
            i -= 1
            break
    if exp_neg:
        exp_val = -exp_val
    return _mul(dec_val, _pow10(exp_val)), i


# ---- printing ------------------------------------------------------------------
#
# The three printers below are mp_format_float(f, buf, buf_size, 'g', prec, '\0')
# of different eras. They share the steps of that function (sign, buffer limits,
# 'f' or 'e' choice, rounding carry, trailing zeros, exponent); they differ in how
# they find the decimal exponent and how they extract digits.

_BUF_SIZE = 32        # py/objfloat.c float_print: char buf[32] (double)
_PRECISION = 16       # ... precision 16
_FPMIN_BUF_SIZE = 7   # py/formatfloat.c (double): "+9e+199"
_POS_POW = (1e256, 1e128, 1e64, 1e32, 1e16, 1e8, 1e4, 1e2, 1e1)   # mp-v1.19.1/py/formatfloat.c g_pos_pow
_NEG_POW = (1e-256, 1e-128, 1e-64, 1e-32, 1e-16, 1e-8, 1e-4, 1e-2, 1e-1)
_FPROUND_TO_ONE = 0.999999999995
_FPDECEXP = 256


def _expval(f: float) -> int:
    """py/formatfloat.c fp_expval: the biased exponent field minus 1023."""
    m, e = math.frexp(f)
    if f == 0 or f < 2.2250738585072014e-308:
        return -1023
    return e - 1


def _begin(f: float, buf_size: int):
    """The top of mp_format_float: (buffer with the sign, |f|, buf_remaining, text for inf/nan or None)."""
    s: list[str] = []
    if math.copysign(1.0, f) < 0 and not math.isnan(f):
        s.append("-")
        f = -f
    buf_remaining = buf_size - 1 - len(s)
    if math.isinf(f):
        return s, f, buf_remaining, "".join(s) + "inf"
    if math.isnan(f):
        return s, f, buf_remaining, "".join(s) + "nan"
    return s, f, buf_remaining, None


def _zero_prec(prec: int, buf_remaining: int) -> int:
    """f == 0: the precision that fits the buffer."""
    return buf_remaining - 6 if prec + 6 > buf_remaining else prec


def _small_f_prec(prec: int, e: int, buf_remaining: int) -> int:
    """f < 1 printed as 'f': the precision grows by the leading zeros, within the buffer."""
    prec += e - 1
    return buf_remaining - 2 if prec + 2 > buf_remaining else prec


def _small_e_prec(prec: int, buf_remaining: int) -> int:
    """f < 1 printed with an exponent: the precision that leaves room for it."""
    if prec > buf_remaining - _FPMIN_BUF_SIZE:
        prec = buf_remaining - _FPMIN_BUF_SIZE + 1
    return prec


def _large_layout(e: int, prec: int, buf_remaining: int):
    """f >= 1 with decimal exponent e: (fmt, prec, dec, num_digits, e_sign)."""
    if prec + (_FPMIN_BUF_SIZE - 1) > buf_remaining:
        prec = buf_remaining - (_FPMIN_BUF_SIZE - 1)
    if e < prec:
        prec -= e + 1
        return "f", prec, e, prec + e + 1, ""
    return "g", prec, 0, 0, "+"


def _final_prec(fmt: str, prec: int, num_digits: int):
    """(prec, num_digits) after clamping: 'g' prints prec digits, at least one."""
    if prec < 0:
        prec = 0
    if fmt == "g":
        if prec == 0:
            prec = 1
        num_digits = prec
    return prec, num_digits


def _scale_up(f: float):
    """0 < f < 1 scaled into [1, 10) by the power tables: (f, e, exponent sign)."""
    e = 0
    e1 = _FPDECEXP
    for pos, neg in zip(_POS_POW, _NEG_POW):
        if neg > f:
            e += e1
            f = _mul(f, pos)
        e1 >>= 1
    e_sign_char = "-"
    if f < 1.0 and f >= _FPROUND_TO_ONE:
        f = 1.0
        if e == 0:
            e_sign_char = "+"
    elif f < 1.0:
        e += 1
        f *= 10.0
    return f, e, e_sign_char


def _subtract_digits(s: list, f: float, num_digits: int, digit_index: int, dec: int, prec: int, power, ge) -> int:
    """Digits by repeated subtraction of power(digit_index) (1.20 - 1.25, CircuitPython 8.2);
    returns the digit after the last one printed (it decides rounding)."""
    d = 0
    while num_digits >= 0:
        u_base = power(digit_index) if digit_index > 0 else 1.0
        d = 0
        while d < 9:
            if not ge(f, u_base):
                break
            f -= u_base
            d += 1
        if num_digits > 0:
            s.append(chr(0x30 + d))
            if dec == 0 and prec > 0:
                s.append(".")
        dec -= 1
        num_digits -= 1
        if digit_index <= 0:
            f *= 10.0
        digit_index -= 1
    return d


def _finish(s: list, prec: int, e: int, e_sign: str) -> str:
    """The end of mp_format_float for 'g': trailing zeros and point dropped, exponent added."""
    text = "".join(s)
    if prec > 0:
        text = text.rstrip("0")
        if text.endswith("."):
            text = text[:-1]
    if e_sign:
        text += "e" + e_sign
        if e >= 100:
            text += chr(0x30 + e // 100)
        text += chr(0x30 + (e // 10) % 10) + chr(0x30 + e % 10)
    return text


def format_g_pow(f: float, prec: int = _PRECISION, buf_size: int = _BUF_SIZE) -> str:
    """py/formatfloat.c mp_format_float(f, buf, buf_size, 'g', prec, '\\0') of 1.20 - 1.25."""
    s, f, buf_remaining, special = _begin(f, buf_size)
    if special is not None:
        return special
    fmt = "g"
    if prec == 0:
        prec = 1
    dec = 0
    e_sign = ""
    num_digits = 0
    signed_e = 0
    e_guess = int(_expval(f) * 0.3010299956639812)
    if f == 0:
        e = 0
        prec = _zero_prec(prec, buf_remaining)
    elif f < 1.0:
        f_entry = f
        e = -e_guess
        u_base = _pow10(-e)
        while u_base > f:
            e += 1
            u_base = _pow10(-e)
        f = _div(f, u_base)
        if e <= 4:
            fmt = "f"
            prec = _small_f_prec(prec, e, buf_remaining)
            num_digits = prec + 1
            f = f_entry
        else:
            e_sign = "-"
            prec = _small_e_prec(prec, buf_remaining)
            signed_e = -e
    else:
        e = e_guess
        next_u = _pow10(e + 1)
        while f >= next_u:
            e += 1
            next_u = _pow10(e + 1)
        fmt, prec, dec, num_digits, e_sign = _large_layout(e, prec, buf_remaining)
        signed_e = e
    prec, num_digits = _final_prec(fmt, prec, num_digits)
    d = _subtract_digits(s, f, num_digits, signed_e, dec, prec, _pow10, operator.ge)
    if d >= 5:  # the next digit is 5 or more: round up
        e, e_sign = _round_up(s, fmt, e, e_sign, buf_size, always_grow=False)
    return _finish(s, prec, e, e_sign)

def _round_up(s: list, fmt: str, e: int, e_sign: str, buf_size: int, always_grow: bool):
    """The carry at the end of mp_format_float: add one to the last digit printed."""
    rs = len(s) - 1
    while True:
        if s[rs] == ".":
            rs -= 1
            continue
        if not "0" <= s[rs] <= "9":
            rs += 1  # sit on the digit to the right of the sign
            break
        if s[rs] < "9":
            s[rs] = chr(ord(s[rs]) + 1)
            break
        s[rs] = "0"
        if rs == 0:
            break
        rs -= 1
    if s[rs] == "0":
        # a leading '1' is needed: the digits from rs move right by one
        length = len(s)
        if rs + 1 < len(s) and s[rs + 1] == "." and fmt != "f":
            # 9.99 rounds to 10.00: move the decimal point instead
            s[rs] = "."
            s[rs + 1] = "0"
            if e_sign == "-":
                e -= 1
                if e == 0:
                    e_sign = "+"
            else:
                e += 1
        elif always_grow or length + 1 < buf_size:
            length += 1
        s[:] = s[:rs] + ["1"] + s[rs:length - 1]
    return e, e_sign


def format_g_table(f: float, prec: int = _PRECISION, buf_size: int = _BUF_SIZE) -> str:
    """mp_format_float(f, buf, buf_size, 'g', prec, '\0') of 1.19.1 and before (power tables)."""
    s, f, buf_remaining, special = _begin(f, buf_size)
    if special is not None:
        return special
    fmt = "g"
    if prec == 0:
        prec = 1
    dec = 0
    e_sign = ""
    num_digits = 0
    if f == 0:
        e = 0
        prec = _zero_prec(prec, buf_remaining)
    elif f < 1.0:
        first_dig = "1" if f >= _FPROUND_TO_ONE else "0"
        f, e, e_sign_char = _scale_up(f)
        if e <= 4:
            fmt = "f"
            dec = -1
            s.append(first_dig)
            prec = _small_f_prec(prec, e, buf_remaining)
            num_digits = prec
            if num_digits:
                s.append(".")
                e -= 1
                while e and num_digits:
                    s.append("0")
                    num_digits -= 1
                    e -= 1
        else:
            e_sign = e_sign_char
            prec = _small_e_prec(prec, buf_remaining)
    else:
        e = 0
        e1 = _FPDECEXP
        for pos, neg in zip(_POS_POW, _NEG_POW):
            if pos <= f:
                e += e1
                f = _mul(f, neg)
            e1 >>= 1
        if int(f) >= 10:
            e += 1
            f *= 0.1
        fmt, prec, dec, num_digits, e_sign = _large_layout(e, prec, buf_remaining)
    prec, num_digits = _final_prec(fmt, prec, num_digits)
    for _ in range(num_digits):
        d = int(f)  # (int32_t)f truncates
        s.append("0" if d < 0 else chr(0x30 + d))
        if dec == 0 and prec > 0:
            s.append(".")
        f -= float(d)
        f *= 10.0
        dec -= 1
    if f >= 5.0:  # 1.19.1 also tests org_fmt != 'f' or e <= num_digits: always true for 'g'
        e, e_sign = _round_up(s, fmt, e, e_sign, buf_size, always_grow=True)
    return _finish(s, prec, e, e_sign)


def _fp_ge_eps(x: float, y: float) -> bool:
    """cp-8.2.10/py/formatfloat.c fp_ge_eps: x >= y backed off by 2 units in the last place."""
    bits = struct.unpack("<q", struct.pack("<d", y))[0] - 2
    return x >= struct.unpack("<d", struct.pack("<q", bits))[0]


def _pow10_product(n: int) -> float:
    """10**n as CircuitPython 8 builds it: the table entries of n's bits, largest first."""
    u = 1.0
    m = _FPDECEXP
    for pos in _POS_POW:
        if m & n:
            u = _mul(u, pos)
        m >>= 1
    return u


def format_g_cp82(f: float, prec: int = _PRECISION, buf_size: int = _BUF_SIZE) -> str:
    """cp-8.2.10/py/formatfloat.c mp_format_float(f, buf, buf_size, 'g', prec, '\\0')."""
    s, f, buf_remaining, special = _begin(f, buf_size)
    if special is not None:
        return special
    fmt = "g"
    if prec == 0:
        prec = 1
    dec = 0
    e_sign = ""
    num_digits = 0
    signed_e = 0
    if f == 0:
        e = 0
        prec = _zero_prec(prec, buf_remaining)
    elif f < 1.0:
        _, e, e_sign_char = _scale_up(f)  # only the exponent: the digits come from f itself
        if e <= 4:
            fmt = "f"
            prec = _small_f_prec(prec, e, buf_remaining)
            num_digits = prec + 1
        else:
            e_sign = e_sign_char
            prec = _small_e_prec(prec, buf_remaining)
            signed_e = -e
    else:
        u_base = 1.0
        e = 0
        e1 = _FPDECEXP
        for pos in _POS_POW:
            next_u = _mul(u_base, pos)
            if _fp_ge_eps(f, next_u):
                u_base = next_u
                e += e1
            e1 >>= 1
        fmt, prec, dec, num_digits, e_sign = _large_layout(e, prec, buf_remaining)
        signed_e = e
    prec, num_digits = _final_prec(fmt, prec, num_digits)
    if signed_e < 0:
        f = _mul(f, _pow10_product(e))
    d = _subtract_digits(s, f, num_digits, signed_e, dec, prec, _pow10_product, _fp_ge_eps)
    if d >= 5:
        e, e_sign = _round_up(s, fmt, e, e_sign, buf_size, always_grow=False)
    return _finish(s, prec, e, e_sign)



def _formatter(target):
    if target.has("circuitpython_float_repr"):
        return format_g_cp82
    return format_g_pow if target.has("float_format_pow") else format_g_table


def float_repr(value: float, target) -> str:
    """repr() of a float as the target's mpy-cross writes it (py/objfloat.c float_print)."""
    text = _formatter(target)(value)
    if "." not in text and "e" not in text and "n" not in text:
        text += ".0"
    return text


def complex_repr(value: complex, target) -> str:
    """py/objcomplex.c complex_print (1.25 and before)."""
    fmt = _formatter(target)
    if value.real == 0:
        return fmt(value.imag) + "j"
    sign = "+" if value.imag >= 0 or math.isnan(value.imag) else ""
    return "(" + fmt(value.real) + sign + fmt(value.imag) + "j)"


def uses_current_text(target) -> bool:
    """Whether the target prints floats as floatrepr.py does (1.26 and later)."""
    return target.has("float_long_double")
