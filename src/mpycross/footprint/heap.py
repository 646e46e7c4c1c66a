"""Heap sizes of MicroPython's run-time objects on a board.

Each function returns the bytes the GC hands out (whole GC blocks) for one
object as MicroPython 1.29 lays it out; the struct each follows is named.
"""

from __future__ import annotations

from mpycross.footprint.boards import Board
from mpycross.mpy.writer import int_text

# py/map.c: hash_allocation_sizes, the table sizes a growing dict steps through
HASH_ALLOCATION_SIZES = (0, 2, 4, 6, 8, 10, 12, 17, 23, 29, 37, 47, 59, 73, 97, 127, 167, 223, 293,
                         389, 521, 691, 919, 1223, 1627, 2161, 3229, 4831, 7243, 10861, 16273,
                         24407, 36607, 54907)

LIST_MIN_ALLOC = 4           # py/objlist.c
LOADED_MODULES_DICT_SIZE = 3  # py/mpconfig.h: MICROPY_LOADED_MODULES_DICT_SIZE
MODULE_DICT_SIZE = 1         # py/mpconfig.h: MICROPY_MODULE_DICT_SIZE
MPZ_MIN_ALLOC = 2            # py/mpz.c: MIN_ALLOC
QSTR_BYTES_IN_LEN = 1        # py/mpconfig.h: MICROPY_QSTR_BYTES_IN_LEN
QSTR_CHUNK_INIT = 128        # py/mpconfig.h: MICROPY_ALLOC_QSTR_CHUNK_INIT


def grown_table_alloc(n_entries: int, initial: int = 0) -> int:
    """Slots of a map that started with `initial` slots after n_entries insertions.

    py/map.c: mp_map_rehash runs only when the table is full and picks the next
    size >= alloc + 1 from hash_allocation_sizes.
    """
    alloc = initial
    while n_entries > alloc:
        alloc = next((s for s in HASH_ALLOCATION_SIZES if s >= alloc + 1), (alloc + alloc // 2) | 1)
    return alloc


def dict_slot_average(board: Board) -> float:
    """A new entry in a dict whose size is not known: one slot, times the headroom
    py/map.c's growth leaves on average (sizes step by about 4/3)."""
    return 2 * board.word_bytes * 4 / 3


def dict_growth(board: Board, n_entries: int, initial: int, added: int = 1) -> int:
    """Bytes a dict holding n_entries gains from `added` more (its old table is freed)."""
    before = grown_table_alloc(n_entries, initial)
    after = grown_table_alloc(n_entries + added, initial)
    return map_table(board, after) - map_table(board, before)


def dict_obj(board: Board) -> int:
    # py/objdict.h: mp_obj_dict_t = base + mp_map_t (used/flags word, alloc, table)
    return board.words(4)


def map_table(board: Board, alloc: int) -> int:
    # py/obj.h: mp_map_elem_t = key + value
    return board.words(2 * alloc)


def grown_dict(board: Board, n_entries: int, initial: int = 0) -> int:
    """A dict object plus its table after n_entries stores."""
    return dict_obj(board) + map_table(board, grown_table_alloc(n_entries, initial))


def module_context(board: Board) -> int:
    # py/bc.h: mp_module_context_t = mp_obj_module_t (base, globals) + constants
    # (qstr_table, obj_table); py/objmodule.c mp_obj_new_module allocates it
    return board.words(4)


def const_tables(board: Board, n_qstr: int, n_obj: int) -> int:
    # py/bc.h mp_module_context_alloc_tables: qstr_short_t (2 bytes) entries padded to
    # whole words, then one word per object, in one allocation
    nq = -(-(n_qstr * 2) // board.word_bytes)
    return board.words(nq + n_obj)


def raw_code(board: Board) -> int:
    # py/emitglue.h: mp_raw_code_t = 4 bytes (indicator, kind, is_generator) padded,
    # fun_data, children (+ 4 bytes with inline asm); one GC block on every board here
    return board.alloc(board.word_bytes * 3 + 4)


def children_table(board: Board, n_children: int) -> int:
    # py/persistentcode.c load_raw_code: m_new(mp_raw_code_t *, n_children)
    return board.words(n_children)


def fun_bc(board: Board, n_extra_args: int) -> int:
    # py/objfun.h: mp_obj_fun_bc_t = base, context, child_table, bytecode, extra_args[]
    return board.words(4 + n_extra_args)


def fun_asm(board: Board) -> int:
    # py/objfun.h: mp_obj_fun_asm_t = base, n_args, fun_data, type_sig
    return board.words(4)


def closure(board: Board, n_closed: int) -> int:
    # py/objclosure.c: mp_obj_closure_t = base, fun, n_closed, closed[]
    return board.words(3 + n_closed)


def cell(board: Board) -> int:
    # py/objcell.c: mp_obj_cell_t = base, obj
    return board.words(2)


def property_obj(board: Board) -> int:
    # py/objproperty.c: mp_obj_property_t = base, proxy[3]
    return board.words(4)


def static_class_method(board: Board) -> int:
    # py/objtype.h: mp_obj_static_class_method_t = base, fun
    return board.words(2)


def type_obj(board: Board, n_bases: int) -> int:
    # py/objtype.c mp_obj_new_type: mp_obj_type_t header (base, flags, name, 12 slot
    # indices) then 10 slots, plus `parent` when there are bases
    header = board.word_bytes + 2 + 2 + 12
    header = -(-header // board.word_bytes) * board.word_bytes
    return board.alloc(header + board.word_bytes * (10 + (1 if n_bases else 0)))


def namedtuple_type(board: Board, n_fields: int) -> int:
    # py/objnamedtuple.h mp_obj_namedtuple_type_t: the type header, 8 slots,
    # n_fields and one qstr (a size_t) per field
    header = board.word_bytes + 2 + 2 + 12
    header = -(-header // board.word_bytes) * board.word_bytes
    return board.alloc(header + board.word_bytes * (8 + 1 + n_fields))


def tuple_obj(board: Board, n: int) -> int:
    # py/objtuple.h: base, len, items[]; the empty tuple is a ROM constant
    return board.words(2 + n) if n else 0


def list_obj(board: Board, n: int) -> int:
    # py/objlist.h: base, alloc, len, items -> items array of max(n, LIST_MIN_ALLOC)
    return board.words(4) + board.words(max(n, LIST_MIN_ALLOC))


def set_obj(board: Board, n: int) -> int:
    # py/objset.c mp_obj_new_set: base + mp_set_t (alloc, used, table), table of n slots
    return board.words(4) + board.words(n)


def str_obj(board: Board, nbytes: int) -> int:
    # py/objstr.h: mp_obj_str_t = base, hash, len, data; data holds len + 1 bytes
    # (py/objstr.c mp_obj_new_str_type_from_vstr)
    return board.words(4) + board.alloc(nbytes + 1)


def import_error(board: Board) -> int:
    # py/objexcept.c: the ImportError of a failed import, its args tuple, its message
    # ("no module named 'typing'", formatted into a vstr) and its traceback entries;
    # measured on the WebAssembly port: 160 bytes, 40 words
    return 40 * board.word_bytes


def float_obj(board: Board) -> int:
    # py/objfloat.c: mp_obj_float_t = base + the value (object representation A)
    return board.alloc(board.word_bytes + board.float_bytes)


def int_fits_small(board: Board, value: int) -> bool:
    # py/smallint.h: MP_SMALL_INT_FITS
    limit = 1 << (board.small_int_bits - 1)
    return -limit <= value < limit


def bigint_obj(board: Board, value: int) -> int:
    # py/objint_mpz.c: mp_obj_int_t = base + mpz_t (flags word, dig); py/mpz.c
    # mpz_set_from_str asks for len * 8 / DIG_SIZE + 1 digits
    text_len = len(int_text(value))   # str() refuses more than 4300 digits
    n_dig = max(MPZ_MIN_ALLOC, text_len * 8 // board.mpz_dig_bits + 1)
    return board.words(3) + board.alloc(n_dig * board.mpz_dig_bits // 8)


def qstr_chars(board: Board, total_bytes: int) -> int:
    # py/qstr.c qstr_from_strn_helper: text + NUL packed one after another into
    # shared chunks (MICROPY_ALLOC_QSTR_CHUNK_INIT bytes or more), so a module pays
    # its bytes, not whole blocks
    return total_bytes


def qstr_pool_bytes(board: Board, alloc: int) -> int:
    # py/qstr.h qstr_pool_t: prev, total_prev_len/is_sorted, alloc, len, hashes,
    # lengths (6 words), then per entry a pointer, a hash and a length
    entry = board.word_bytes + board.qstr_hash_bytes + QSTR_BYTES_IN_LEN
    return board.alloc(6 * board.word_bytes + entry * alloc)


def qstr_pool_growth(board: Board, state: tuple[int, int], n_new: int) -> tuple[int, tuple[int, int]]:
    """Exact pool bytes for n_new qstrs given the last pool's (alloc, len); and the new state.

    py/qstr.c qstr_add: a full pool is followed by one twice its size.
    """
    alloc, used = state
    cost = 0
    for _ in range(n_new):
        if used >= alloc:
            alloc, used = alloc * 2, 0
            cost += qstr_pool_bytes(board, alloc)
        used += 1
    return cost, (alloc, used)


def qstr_pool_slot(board: Board) -> float:
    # py/qstr.c qstr_add: each pool entry is a pointer, a hash and a length; pools
    # double when full, so a slot costs between 1 and 2 entries: 1.5 on average
    return 1.5 * (board.word_bytes + board.qstr_hash_bytes + QSTR_BYTES_IN_LEN)
