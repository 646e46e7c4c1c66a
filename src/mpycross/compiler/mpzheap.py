"""Where the official mpy-cross runs out of heap folding a big-int shift or power.

Before 1.26 a fold that fails stops the compile with MicroPython's
`MemoryError: memory allocation failed, allocating N bytes`, N being the one
allocation that did not fit. This module predicts N from the py/mpz.c
allocations, without doing the arithmetic:

* digits are 32 bits: py/mpz.h picks MPZ_DIG_SIZE 32 on x86-64, where every
  official binary runs (measured: `1 << (2**31 + 1)` reports 268,435,464
  bytes with 1.9 … 1.23, i.e. 4 * (1 + ceil((2**31 + 1) / 32)));
* mpz_shl_inpl asks for lhs->len + ceil(rhs / 32) digits at once;
* mpz_pow_inpl squares a copy of the base and multiplies it into the result;
  each mpz_mul_inpl clones an aliased operand, then grows the destination
  with m_renew (a new block, the old one still held while it copies).

The heap is simulated block by block (first fit, as py/gc.c); the rest of
the official's heap use is one calibrated figure, so a case within a few KB
of the edge may fail at a different step (docs/targets.md). The same heap
decides whether a big-int constant's decimal text can be written.
"""

from __future__ import annotations

import math

DIG_BYTES = 4


def _digits(bits: int) -> int:
    return (bits + 31) // 32


def shl_failing_alloc(lhs: int, count: int) -> int:
    """The bytes mpz_shl_inpl asks for (mpz_need_dig, one allocation)."""
    return DIG_BYTES * (_digits(abs(lhs).bit_length()) + (count + 31) // 32)


class _OutOfHeap(Exception):
    def __init__(self, size: int):
        self.size = size


class _Heap:
    """py/gc.c as far as a fold sees it: first-fit runs of 32-byte blocks; a block that
    grows is extended in place when the blocks after it are free, else moved (the old
    one is freed after the copy); freed blocks are free at once (mpz_free, m_del)."""

    BLOCK = 32

    def __init__(self, blocks: int, used: int):
        self.end = blocks
        self.live: dict[int, int] = {}  # start block -> length
        self.floor = used  # blocks below are the rest of the compile's data

    def _blocks(self, size: int) -> int:
        return max(1, -(-size // self.BLOCK))

    def alloc(self, size: int) -> int:
        n = self._blocks(size)
        at = self.floor
        for start in sorted(self.live):
            if start - at >= n:
                break
            at = max(at, start + self.live[start])
        if self.end - at < n:
            raise _OutOfHeap(size)
        self.live[at] = n
        return at

    def free(self, at: int) -> None:
        del self.live[at]

    def realloc(self, at: int, size: int) -> int:
        n = self._blocks(size)
        following = min((s for s in self.live if s > at), default=self.end)
        if following - at >= n:
            self.live[at] = n
            return at
        new = self.alloc(size)
        self.free(at)
        return new


# 2 MB (mpy-cross/main.c heap_size) less py/gc.c's tables: 64,776 blocks of 32 bytes;
# the blocks the rest of the compile holds when a fold runs, calibrated with the
# official binaries' failures
HEAP_BLOCKS = 64_776
USED_BLOCKS = 400


class _Mpz:
    """An mpz_t's digit block in the simulated heap: its allocated and used digits."""

    def __init__(self, heap: _Heap, alloc: int, length: int):
        self.heap, self.alloc, self.len = heap, alloc, length
        self.at = heap.alloc(DIG_BYTES * alloc)

    def need(self, digits: int) -> None:
        """py/mpz.c mpz_need_dig (m_renew)."""
        if digits > self.alloc:
            self.at = self.heap.realloc(self.at, DIG_BYTES * digits)
            self.alloc = digits

    def clone(self) -> "_Mpz":
        return _Mpz(self.heap, self.alloc, self.len)

    def free(self) -> None:
        self.heap.free(self.at)


def _mul_inpl(dest: _Mpz, other: _Mpz, new_len: int) -> None:
    """mpz_mul_inpl(dest, dest, other): dest is cloned (the aliased operand), then grown."""
    temp = dest.clone()
    dest.need(dest.len + other.len)
    dest.len = new_len
    temp.free()


def pow_failing_alloc(base: int, exponent: int) -> int | None:
    """The bytes of the first allocation of `base ** exponent` that does not fit, or
    None if the whole square-and-multiply fits (exponent > 0, |base| > 1)."""
    heap = _Heap(HEAP_BLOCKS, USED_BLOCKS)
    log2_base = math.log2(abs(base))
    try:
        if abs(base).bit_length() > 62:
            _Mpz(heap, _digits(abs(base).bit_length()), 0)  # the base is a big-int object itself
        x = _Mpz(heap, max(_digits(abs(base).bit_length()), 2), _digits(abs(base).bit_length()))
        n = _Mpz(heap, 2, 2)  # the exponent's copy
        dest = _Mpz(heap, 2, 1)  # mpz_set_from_int(dest, 1)
        d_log2, step, e = 0.0, 1, exponent
        while e:
            if e & 1:
                d_log2 += step * log2_base
                _mul_inpl(dest, x, _digits(math.floor(d_log2) + 1))
            e >>= 1
            if not e:
                break
            step *= 2
            # mpz_mul_inpl(x, x, x): lhs and rhs are the same clone
            _mul_inpl(x, x, _digits(math.floor(step * log2_base) + 1))
    except _OutOfHeap as out:
        return out.size
    del n
    return None


def text_failing_alloc(constants) -> int | None:
    """The bytes of the decimal text of the first big-int constant the official cannot
    write into the .mpy, or None.

    py/objint_mpz.c mp_obj_int_formatted_impl allocates mp_int_format_size(len * 32)
    bytes (digits of 3 bits each, a sign and a NUL) while every constant is live."""
    lengths = [_digits(abs(v).bit_length()) for v in constants
               if isinstance(v, int) and type(v) is not bool and v.bit_length() > 64]
    held = DIG_BYTES * sum(lengths)
    room = (HEAP_BLOCKS - USED_BLOCKS) * _Heap.BLOCK
    for n in lengths:
        text = 32 * n // 3 + 3
        if held + text > room:
            return text
    return None
