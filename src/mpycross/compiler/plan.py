"""The compile plan: everything a target and the options decide, worked out once.

A `Target` (mpycross.targets) says which release a file is for, as data
(formats/targets.toml features, formats/versions.toml layout). `plan_for`
turns it and the compile options into a `CompilePlan`, and every phase takes
the part of it that it needs:

    Syntax      -> lexer.Lexer, parsenum, tree_to_ast.TreeToAst (via parser.parse)
    FoldRules   -> fold.fold_module, fold.check_completed
    CompilePlan -> codegen.Compiler (emitter and assembler classes, small ints,
                   native code), driver (qstr numbering, model conversion)

No phase looks anything up on the side: what differs between releases is in
these objects, so a phase's signature shows everything that changes its result.
"""

from __future__ import annotations

import functools
import importlib
from mpycross.records import dataclass, field

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only; importing typing costs ~2 ms of every start
    from typing import Callable

from mpycross.targets import DEFAULT_TARGET, Target, resolve_target

from . import floatcompat, raw_qstr_ids
from .emitnative_target import NativeTarget
from .fold import ConstTruth
from .parsenum import read_float


@dataclass(frozen=True)
class Syntax:
    """What the lexer and the parser accept, and how they read number literals.

    Each flag is the formats/targets.toml feature of the same name."""

    # lexer
    newline_token_position: bool
    msg_unindent_short: bool
    numeric_underscores: bool
    assignment_expression: bool
    fstrings: bool
    tstrings: bool
    raw_fstrings: bool
    fstring_nested: bool
    fstring_concat_adjacent: bool
    fstring_brace_escape_fix: bool
    fstring_arg_parens: bool
    fstring_nested_brackets: bool
    fstring_conversions: bool
    fstring_empty_rejected: bool
    # number literals (parsenum)
    reject_leading_zero_int: bool
    # grammar rules (tree_to_ast)
    variable_annotations: bool
    matmul_operator: bool
    multiple_star_args: bool
    reject_star_after_kwarg: bool
    # the float literal reader: `text -> (value, end index) | None` (parsenum / floatcompat)
    float_variant: str
    read_float: Callable = field(compare=False, repr=False)

    @staticmethod
    @functools.cache
    def of(target: Target) -> "Syntax":
        flags = {name: target.has(name) for name, kind in Syntax._field_types.items() if kind == "bool"}
        variant = floatcompat.variant_for(target)
        reader = read_float if variant is None else functools.partial(floatcompat.parse_float, variant=variant)
        return Syntax(**flags, float_variant=variant or "current", read_float=reader)


@dataclass(frozen=True)
class FoldRules:
    """What the parser of a release folds (py/parse.c; formats/targets.toml features)."""

    optimize: int
    # mp_parse_node_get_number_maybe: floats fold only with MICROPY_COMP_CONST_FLOAT
    float_folding: bool
    fold_errors_caught: bool
    bigint_normalised: bool
    annotated_const: bool
    # MICROPY_COMP_CONST_TUPLE and const() of any constant: both from 1.19
    const_tuples: bool
    pow_folding: bool
    const_objects: bool
    bytes_objects: bool
    truth: ConstTruth
    # compiled-in qstrs of later releases this release's mpy-cross lacks
    absent_qstrs: frozenset


# bytecode generation (formats/versions.toml `bytecode`) -> module, emitter class, assembler
_EMITTERS = {
    "v2": ("emitbc_v4", "EmitterV2", "assemble_v4"),
    "v3": ("emitbc_v4", "EmitterV3", "assemble_v4"),
    "v4": ("emitbc_v4", "EmitterV4", "assemble_v4"),
    "v5": ("emitbc_v5", "EmitterV5", "assemble_v5"),
    "v6": ("emitbc", "Emitter", "assemble"),
}
SUPPORTED_BYTECODE = tuple(_EMITTERS)


@dataclass(frozen=True)
class CompilePlan:
    """One target and one set of options, decided for every phase of a compile."""

    target: Target
    optimize: int
    small_int_bits: int           # as given (-msmall-int-bits), written in the header
    # py/emitbc.c mp_emit_bc_set_source_line: no line table at -O3 or with -X no-source-lines
    source_lines: bool
    syntax: Syntax
    fold: FoldRules
    # a parse-time small int (LOAD_CONST_SMALL_INT), as compile.c and parse.c test it
    small_int_range: tuple[int, int]
    # compile.c compares argument counts with (size_t)small_int_bits - 1: no limit for bits <= 0
    arg_count_bits: int
    native: NativeTarget
    # py/emitbc.c emit->suppress (from 1.20): no code after a jump, return or raise until a label
    dead_code_suppression: bool
    # mpy-cross -mcache-lookup-bc (1.9 - 1.17): cache bytes in the bytecode, header flag bit 0
    cache_lookup_bc: bool
    emitter_class: type
    assembler: Callable
    # .mpy v2-v4 store the compiling build's own qstr numbers (raw_qstr_ids.py)
    build_qstr_numbers: bool
    # versions.toml `const_table`: "global" (v6: module-wide qstr and constant tables)
    # or "per_raw_code" (v2-v5: each raw code carries its own)
    module_tables: bool
    # the texts of float and complex constants (floatrepr / floatcompat)
    float_repr: Callable
    complex_repr: Callable


def plan_for(target=DEFAULT_TARGET, *, optimize: int = 0, small_int_bits: int = 31,
             include_source_lines: bool = True, native: NativeTarget | None = None,
             cache_lookup_bc: bool = False) -> CompilePlan:
    """The plan of a compile for `target` (a Target or a name) with these options.

    `native`: the native-code choice (-march, -X emit); default: none chosen."""
    tgt = target if isinstance(target, Target) else resolve_target(target)
    if tgt.bytecode not in _EMITTERS:
        raise ValueError(f"no emitter for bytecode {tgt.bytecode!r}")
    if native is None:
        native = NativeTarget(tgt, None)
    module_name, emitter_name, assembler_name = _EMITTERS[tgt.bytecode]
    module = importlib.import_module(f".{module_name}", __package__)
    emitter_class = getattr(module, emitter_name)

    # parse.c shifts by small_int_bits - 1, which x86-64 takes mod 64 (-msmall-int-bits=0 or 99);
    # before 1.10 compile.c shifts a 32-bit int, mod 32 (-msmall-int-bits=63 tests 31 bits)
    sign_bit = (small_int_bits - 1) & (63 if tgt.has("small_int_mask_64bit") else 31)
    # a parse-time small int must also be one on the (64-bit) host: 63-bit signed at most
    host_bits = min(sign_bit + 1, 63)
    small_range = (-(1 << sign_bit), (1 << sign_bit) - 1)
    if not tgt.has("int_object_by_target_bits"):
        # before 1.19 the parser makes a small-int node of any int the host's 63 bits hold
        small_range = (-(1 << 62), (1 << 62) - 1)
    truth = ConstTruth(None if tgt.has("const_truth_fold") else small_range)
    fold = FoldRules(
        optimize=optimize,
        float_folding=tgt.has("const_float_folding"),
        fold_errors_caught=tgt.has("fold_errors_caught"),
        bigint_normalised=tgt.has("bigint_result_normalised"),
        annotated_const=tgt.has("annotated_const"),
        const_tuples=tgt.has("const_tuples"),
        pow_folding=tgt.has("int_pow_fold"),
        const_objects=tgt.has("const_objects"),
        bytes_objects=tgt.has("bytes_const_objects"),
        truth=truth,
        absent_qstrs=tgt.absent_qstrs,
    )
    if floatcompat.uses_current_text(tgt):
        from .floatrepr import complex_repr, float_repr
    else:
        float_repr = functools.partial(floatcompat.float_repr, target=tgt)
        complex_repr = functools.partial(floatcompat.complex_repr, target=tgt)
    return CompilePlan(
        target=tgt,
        optimize=optimize,
        small_int_bits=small_int_bits,
        source_lines=optimize < 3 and include_source_lines,
        syntax=Syntax.of(tgt),
        fold=fold,
        small_int_range=(-(1 << (host_bits - 1)), (1 << (host_bits - 1)) - 1),
        arg_count_bits=small_int_bits if small_int_bits > 0 else 1 << 64,
        native=native,
        dead_code_suppression=tgt.has("dead_code_suppression"),
        cache_lookup_bc=cache_lookup_bc,
        emitter_class=emitter_class,
        assembler=getattr(module, assembler_name),
        # (v5 keeps them in native code: measured for the releases with a raw_ids table)
        build_qstr_numbers=emitter_class.build_qstr_numbers or (
            tgt.mpy_version == 5 and raw_qstr_ids.has_table(raw_qstr_ids.table_name(tgt))),
        module_tables=tgt.format["const_table"] == "global",
        float_repr=float_repr,
        complex_repr=complex_repr,
    )


def default_syntax() -> Syntax:
    """The syntax of the default target (targets.DEFAULT_TARGET), for `parser.parse` called alone."""
    return Syntax.of(resolve_target(DEFAULT_TARGET))
