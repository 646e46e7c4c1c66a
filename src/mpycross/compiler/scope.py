"""Scopes and identifiers: which names are locals, cells, free or global.

Mirrors `py/scope.c` and the scope parts of `py/compile.c`
(`scope_compute_things`, `compile_declare_*`). A `Scope` is created for the
module and for every function, lambda, class and comprehension, in the order
the reference compiler links them (breadth first: a scope's children are
appended to the list when the scope itself is compiled in the scope pass).

The code generator fills the scopes during its scope pass; `compute_things`
then numbers the locals exactly as the reference does, and the emit pass reads
the final kinds.
"""

from __future__ import annotations

# py/scope.h: id_info_kind_t
UNDECIDED = 0
GLOBAL_IMPLICIT = 1
GLOBAL_IMPLICIT_ASSIGNED = 2
GLOBAL_EXPLICIT = 3
LOCAL = 4
CELL = 5
FREE = 6

# py/scope.h: id flags
FLAG_IS_PARAM = 0x01
FLAG_IS_STAR_PARAM = 0x02
FLAG_IS_DBL_STAR_PARAM = 0x04
FLAG_VIPER_TYPE_POS = 4  # the viper type of a parameter sits above the flags

# py/scope.h: scope_kind_t (the order matters: see is_func_like / is_comp_like)
MODULE = 0
CLASS = 1
LAMBDA = 2
LIST_COMP = 3
DICT_COMP = 4
SET_COMP = 5
GEN_EXPR = 6
FUNCTION = 7

# py/runtime0.h: MP_SCOPE_FLAG_*
SCOPE_FLAG_GENERATOR = 0x01
SCOPE_FLAG_VARKEYWORDS = 0x02
SCOPE_FLAG_VARARGS = 0x04
SCOPE_FLAG_DEFKWARGS = 0x08
SCOPE_FLAG_ALL_SIG = 0x0F
# cp-9.2.9/py/runtime0.h: CircuitPython's async def flag, part of its signature flags (ALL_SIG 0x1f);
# MicroPython never sets this bit on a bytecode scope
SCOPE_FLAG_ASYNC = 0x10

# py/scope.c: scope_simple_name_table
SIMPLE_NAMES = {
    MODULE: "<module>",
    LAMBDA: "<lambda>",
    LIST_COMP: "<listcomp>",
    DICT_COMP: "<dictcomp>",
    SET_COMP: "<setcomp>",
    GEN_EXPR: "<genexpr>",
}


def is_func_like(kind: int) -> bool:
    return kind >= LAMBDA


def is_comp_like(kind: int) -> bool:
    return LIST_COMP <= kind <= GEN_EXPR


class IdInfo:
    __slots__ = ("kind", "flags", "local_num", "qst")

    def __init__(self, qst: str, kind: int):
        self.kind = kind
        self.flags = 0
        self.local_num = 0
        self.qst = qst

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"IdInfo({self.qst!r}, kind={self.kind}, flags={self.flags}, local_num={self.local_num})"


class Scope:
    """One code block: its identifiers (in first-seen order) and its sizes."""

    def __init__(self, kind: int, node, parent: "Scope | None", name: str | None = None):
        self.kind = kind
        self.node = node
        self.parent = parent
        self.simple_name = name if name is not None else SIMPLE_NAMES[kind]
        self.scope_flags = 0
        self.num_pos_args = 0
        self.num_kwonly_args = 0
        self.num_def_pos_args = 0
        self.num_locals = 0
        self.stack_size = 0
        self.exc_stack_size = 0
        self.id_info: list[IdInfo] = []
        self._by_name: dict[str, IdInfo] = {}
        self.raw_code = None  # filled by the emit pass

    # py/scope.c: scope_find_or_add_id

    def param_names(self) -> list[str]:
        """The names of the positional and keyword-only parameters in order, "*" for a
        slot no name fills (mp_emit_bc_start_pass: the code info and argument table)."""
        names = ["*"] * (self.num_pos_args + self.num_kwonly_args)
        filled = [False] * len(names)
        for info in self.id_info:  # the first parameter holding each local number names it
            i = info.local_num
            if info.flags & FLAG_IS_PARAM and 0 <= i < len(names) and not filled[i]:
                names[i] = info.qst
                filled[i] = True
        return names

    def find_or_add_id(self, qst: str, kind: int) -> IdInfo:
        found = self._by_name.get(qst)
        if found is not None:
            return found
        info = IdInfo(qst, kind)
        self.id_info.append(info)
        self._by_name[qst] = info
        return info

    def find(self, qst: str) -> IdInfo | None:
        return self._by_name.get(qst)

    def find_global(self, qst: str) -> IdInfo | None:
        scope = self
        while scope.parent is not None:
            scope = scope.parent
        return scope.find(qst)

    # py/emitcommon.c: mp_emit_common_get_id_for_load
    def id_for_load(self, qst: str, close_over_now: bool = False) -> None:
        """`close_over_now`: before 1.10 a name is closed over when first loaded (py/scope.c
        scope_find_local_and_close_over), so a later assignment in this scope stores to the cell."""
        if close_over_now and qst not in self._by_name:
            self.check_to_close_over(self.find_or_add_id(qst, GLOBAL_IMPLICIT))
            return
        self.find_or_add_id(qst, GLOBAL_IMPLICIT)

    # py/emitcommon.c: mp_emit_common_get_id_for_modification
    def id_for_modification(self, qst: str, mark_assigned: bool = True) -> IdInfo:
        """`mark_assigned` False: before 1.19 a name assigned in a class body (or the module)
        stays an implicit global, so an enclosing function's local of that name is closed
        over (mp-v1.18/py/emitcommon.c; commit 590de399f0 changed it)."""
        info = self.find_or_add_id(qst, GLOBAL_IMPLICIT)
        if info.kind == GLOBAL_IMPLICIT:
            if is_func_like(self.kind):
                info.kind = LOCAL
            elif mark_assigned:
                # assigned here, so it must not be closed over
                info.kind = GLOBAL_IMPLICIT_ASSIGNED
        return info

    # py/scope.c: scope_close_over_in_parents
    def _close_over_in_parents(self, qst: str) -> None:
        s = self.parent
        while True:
            info = s.find_or_add_id(qst, UNDECIDED)
            if info.kind == UNDECIDED:
                info.kind = FREE
            else:
                if info.kind == LOCAL:
                    info.kind = CELL
                return
            s = s.parent

    # py/scope.c: scope_check_to_close_over
    def check_to_close_over(self, info: IdInfo) -> None:
        if self.parent is None:
            return
        s = self.parent
        while s.parent is not None:
            other = s.find(info.qst)
            if other is not None:
                if other.kind in (LOCAL, CELL, FREE):
                    info.kind = FREE
                    self._close_over_in_parents(info.qst)
                return
            s = s.parent

    # py/compile.c: scope_compute_things
    def compute_things(self) -> None:
        ids = self.id_info
        # *args goes after all the other parameters (except **kwargs)
        if self.scope_flags & SCOPE_FLAG_VARARGS:
            id_param = None
            for i in range(len(ids) - 1, -1, -1):
                info = ids[i]
                if info.flags & FLAG_IS_STAR_PARAM:
                    if id_param is not None:
                        j = ids.index(id_param)
                        ids[i], ids[j] = ids[j], ids[i]
                    break
                if id_param is None and info.flags == FLAG_IS_PARAM:
                    id_param = info

        self.num_locals = 0
        func_like = is_func_like(self.kind)
        for info in ids:
            if self.kind == CLASS and info.qst == "__class__":
                continue  # not a local; becomes a cell if used
            if func_like and info.kind == GLOBAL_IMPLICIT:
                info.kind = GLOBAL_EXPLICIT
            if info.kind == LOCAL or info.flags & FLAG_IS_PARAM:
                info.local_num = self.num_locals
                self.num_locals += 1

        # cells come right after the fast locals (params stay where they are)
        for info in ids:
            if info.kind == CELL and not info.flags & FLAG_IS_PARAM:
                info.local_num = self.num_locals
                self.num_locals += 1

        # free variables come first, in the order of the parent scope
        if self.parent is not None:
            num_free = 0
            for pinfo in self.parent.id_info:
                if pinfo.kind in (CELL, FREE):
                    for info in ids:
                        if info.kind == FREE and info.qst == pinfo.qst:
                            info.local_num = num_free
                            num_free += 1
            if num_free:
                for info in ids:
                    if info.kind != FREE or info.flags & FLAG_IS_PARAM:
                        info.local_num += num_free
                self.num_pos_args += num_free
                self.num_locals += num_free
