"""The one place that chains the compiler passes.

target + options -> `plan.plan_for` (the CompilePlan), then
source -> `parser.parse` (AST; for v2-v4 also the tokens, numbered by
`raw_qstr_ids`) -> `fold.fold_module` (folded AST) -> `codegen.Compiler`
(scopes, instructions, raw code) -> `mpy.model` -> `mpy.write_mpy` (bytes).
Each phase gets the parts of the plan it needs; each call builds its own
state, so compiles may run in parallel threads.
"""

from __future__ import annotations

from mpycross.errors import CompileError, MpyCrossError, TargetError
from mpycross.records import replace
from mpycross.targets import DEFAULT_TARGET, Target, resolve_target

from . import fold, mpzheap, raw_qstr_ids
from .codegen import Compiler, NotSupportedError, RawCode
from .emitnative_target import ARCH_FLAG_FEATURE, ARCH_FLAGS, EMIT_BY_NAME, NativeTarget
from .plan import SUPPORTED_BYTECODE, CompilePlan, plan_for


class UnsupportedOptionError(MpyCrossError):
    """An option this compiler does not implement yet (native emitters, other targets)."""


def target_of(target) -> Target:
    """A Target from a Target, a name (`resolve_target`) or None (the default target)."""
    if isinstance(target, Target):
        tgt = target
    else:
        tgt = resolve_target(DEFAULT_TARGET if target is None else target)
    if tgt.bytecode not in SUPPORTED_BYTECODE:
        raise TargetError(f"compiling for {tgt.display_name} (.mpy v{tgt.mpy_version_name}) is not supported yet; "
                          "supported: every MicroPython release from 1.9 and CircuitPython from 8")
    return tgt


def compile_to_raw_code(source, filename: str, plan: CompilePlan, source_name: str | None = None, module=None):
    """Compile source to (root RawCode, qstr table, constant-object table) as `plan` says.

    `module`: an already parsed `astnodes.Module` to compile instead of `source`."""
    from .parser import parse

    name = source_name if source_name is not None else filename
    # .mpy v2-v4 hold the build's own qstr numbers, given in the order its lexer meets names
    tokens = [] if plan.build_qstr_numbers else None
    if module is None:
        try:
            module = parse(source, filename, plan.syntax, tokens)
        except CompileError as error:
            raise fold.check_completed(error, plan.fold, name) from None
    elif tokens is not None:
        if source is None:
            raise UnsupportedOptionError(f"compiling a parsed module for {plan.target.display_name} needs its source")
        from .lexer import Lexer

        tokens = list(Lexer(_to_bytes(source), plan.syntax).tokens())
    module = fold.fold_module(module, filename, plan.fold, name)
    ids = None if tokens is None else raw_qstr_ids.qstr_ids(raw_qstr_ids.table_name(plan.target), tokens, filename, name)
    compiler = Compiler(filename, name, plan, ids)
    module_scope = compiler.compile(module)
    return module_scope.raw_code, list(compiler.common.qstrs), list(compiler.common.objs)


# Deeply nested source (thousands of levels of brackets, blocks or operators) recurses
# through the passes as deep as py/parse.c and py/compile.c do; compiles run on a
# thread with a large stack and a raised recursion limit (mpycross.deep), so they fail
# only where mpy-cross does.
_DEEP_STACK_BYTES = 1 << 30  # reserved address space; pages are only used as touched
_DEEP_RECURSION_LIMIT = 400_000


def _run_deep(fn, *args, **kwargs):
    """fn(*args, **kwargs) on a big-stack thread; its exception is raised here.

    A RecursionError (nesting deeper than even that) becomes a CompileError
    with MicroPython's text for a stack overflow."""
    from mpycross.deep import call_deep

    try:
        return call_deep(fn, *args, stack_bytes=_DEEP_STACK_BYTES, recursion_limit=_DEEP_RECURSION_LIMIT,
                         **kwargs)
    except RecursionError:
        raise CompileError("maximum recursion depth exceeded", args[1] if len(args) > 1 else "<stdin>", None,
                           kind="RuntimeError") from None


# -march values that not every release's mpy-cross knows (before: its usage text, exit 1), with the
# targets.toml feature of the releases that do
MARCH_FEATURE = {"armv6m": "march_armv6m", "rv32imc": "march_rv32imc", "debug": "march_debug",
                 "rv64imc": "native_arch_rv64imc", "armv7em": "march_armv7em_xtensawin",
                 "armv7emsp": "march_armv7em_xtensawin", "armv7emdp": "march_armv7em_xtensawin",
                 "xtensawin": "march_armv7em_xtensawin", "host": "march_host"}


def compile_source(source, filename: str = "<stdin>", target=DEFAULT_TARGET, opt: int = 0,
                   **options) -> bytes:
    """Compile Python source (str or bytes) to the bytes of a .mpy file for `target`.

    `target` is a Target or a name `resolve_target` knows ("micropython-1.22",
    "circuitpython-9"); None means the default target.

    Options: `source_name` (the name stored in the file, like mpy-cross -s),
    `small_int_bits` (like -msmall-int-bits), `include_source_lines`
    (False like -X no-source-lines), `emit` ("bytecode", "native" or "viper",
    like -X emit=), `march` (like -march=: "x64", ...; native code is built for
    the architectures in `emitnative_target.ENCODERS`), `march_flags` (like
    -march-flags=, as a number: rv32imc's 1 = zba, 2 = zcmp), `native_listing` (a
    callable given each line of the -march=debug text, which mpy-cross prints to
    stdout), `module` (an
    `astnodes.Module` to compile instead of parsing `source`) and `cache_lookup_bc`
    (like -mcache-lookup-bc of 1.9 - 1.17).
    """
    return _run_deep(_compile_source, source, filename, target, opt, **options)


def _compile_source(source, filename: str = "<stdin>", target=DEFAULT_TARGET, opt: int = 0,
                    **options) -> bytes:
    """compile_source on the calling thread."""
    from mpycross.mpy import write_mpy
    from mpycross.mpy.model import MpyFile

    tgt = target_of(target)
    emit = options.pop("emit", None) or "bytecode"
    march = options.pop("march", None)
    march_flags = int(options.pop("march_flags", 0) or 0)
    native_listing = options.pop("native_listing", None)
    if emit not in EMIT_BY_NAME:
        raise UnsupportedOptionError(f"emit must be bytecode, native or viper, not {emit!r}")
    if emit != "bytecode" and march is None:
        raise UnsupportedOptionError("arch not specified")  # mpy-cross/main.c
    if march in MARCH_FEATURE and not tgt.has(MARCH_FEATURE[march]):
        from mpycross.targets import feature_names

        raise UnsupportedOptionError(f"-march={march}: {tgt.display_name}'s mpy-cross has no such architecture "
                                     f"({march} is from {feature_names()[MARCH_FEATURE[march]].split()[1]})")
    allowed_flags = sum(value for name, value in ARCH_FLAGS.get(march, {}).items()
                        if tgt.has(ARCH_FLAG_FEATURE.get(name, "march_flags_option")))
    if march_flags and not tgt.has("march_flags_option"):
        raise UnsupportedOptionError(march_flags_unknown(tgt))
    if march_flags and march_flags & ~allowed_flags:
        raise UnsupportedOptionError("unrecognised arch flags")  # mpy-cross/main.c
    native = NativeTarget(tgt, march, emit, march_flags, native_listing)
    if emit != "bytecode" and native.arch_accepts(EMIT_BY_NAME[emit]):
        native.require_emitter(f"-X emit={emit}")  # (rv64imc: the compile's own error)
    source_name = options.pop("source_name", None)
    small_int_bits = options.pop("small_int_bits", 31)
    module = options.pop("module", None)
    include_source_lines = bool(options.pop("include_source_lines", True))
    cache_lookup_bc = bool(options.pop("cache_lookup_bc", False))
    if cache_lookup_bc and tgt.has("cache_lookup_bc_removed"):
        raise UnsupportedOptionError(f"-mcache-lookup-bc: {tgt.display_name}'s mpy-cross has no such option "
                                     "(1.9 - 1.17 have it)")
    if options:
        raise UnsupportedOptionError(f"unknown compile option(s): {', '.join(sorted(options))}")
    if not 0 <= opt <= 3:
        raise UnsupportedOptionError(f"optimisation level must be 0..3, not {opt}")
    plan = plan_for(tgt, optimize=opt, small_int_bits=small_int_bits,
                    include_source_lines=include_source_lines, native=native, cache_lookup_bc=cache_lookup_bc)
    root, qstrs, objs = compile_to_raw_code(source, filename, plan, source_name=source_name, module=module)
    _check_save_depth(objs, tgt, filename)
    consts = objs if plan.module_tables else [o for rc in _walk(root) if rc.kind != "asm" for o in rc.code.consts]
    text = mpzheap.text_failing_alloc(consts)
    if text is not None:  # the official's heap cannot hold a big int's decimal text
        raise CompileError(f"memory allocation failed, allocating {text} bytes", filename, None, kind="MemoryError")
    # persistentcode.c: the header names the architecture only when native code was emitted
    has_native = any(rc.kind != "bytecode" for rc in _walk(root))
    header = replace(tgt.header(native.arch_number() if has_native else 0),
                                 small_int_bits=small_int_bits & 0xFF)  # a byte in the header
    if plan.cache_lookup_bc:
        header = replace(header, feature=header.feature | 1)  # MPY_FEATURE_FLAGS bit 0
    if march_flags:
        from mpycross.mpy.model import FEATURE_ARCH_FLAGS

        # persistentcode.c: the arch flags follow the header, with or without native code
        header = replace(header, feature=header.feature | FEATURE_ARCH_FLAGS, arch_flags=march_flags)
    if plan.module_tables:
        mpy = MpyFile(header=header, qstr_table=qstrs, obj_table=[_model_obj(o, plan) for o in objs],
                      root=_model_raw_code(root, tgt.has("viper_scope_flags_zero")))
    else:
        # v2-v5: no module tables; each raw code carries its qstrs and constants (emitbc_v5)
        mpy = MpyFile(header=header, root=_model_raw_code_v5(root, source_name or filename, plan))
    return write_mpy(mpy)


def _check_save_depth(objs, target: Target, filename: str) -> None:
    """Refuse, as the official mpy-cross's C stack does, a number nested in too many constant
    tuples (formats/targets.toml [limits] const_tuple_number_depth)."""
    limit = target.limit("const_tuple_number_depth")
    if limit is None:
        return
    pending = [(o, 0) for o in objs if type(o) is tuple]
    while pending:
        obj, depth = pending.pop()
        depth += 1
        for item in obj:
            if type(item) is tuple:
                pending.append((item, depth))
            elif depth > limit and isinstance(item, (int, float, complex)) and type(item) is not bool:
                raise CompileError("maximum recursion depth exceeded", filename, None, kind="RuntimeError")


def _walk(rc: RawCode):
    yield rc
    for child in rc.child_codes:
        yield from _walk(child)


def march_flags_unknown(tgt) -> str:
    """The one line for -march-flags= with a release whose mpy-cross has no such option (it
    prints its usage and exits 1)."""
    from mpycross.targets import feature_names

    return (f"-march-flags=: {tgt.display_name}'s mpy-cross has no such option "
            f"(-march-flags= is from {feature_names()['march_flags_option'].split()[1]})")


def _model_raw_code(rc: RawCode, viper_flags_zero: bool = True):
    from mpycross.mpy.model import RawCode as ModelRawCode

    from .scope import SCOPE_FLAG_ALL_SIG

    native = {}
    if rc.kind == "native":
        native = {"prelude_offset": rc.prelude_offset}
    elif rc.kind in ("viper", "asm"):
        # persistentcode.c: the signature flags (1.23 writes 0: viper and asm code never uses them;
        # before, `*args` / `**kw` of a viper function are in them)
        # compile.c passes 0 for asm code in every release
        flags = 0 if viper_flags_zero or rc.kind == "asm" else rc.scope.scope_flags & SCOPE_FLAG_ALL_SIG
        native = {"scope_flags": flags}
        if rc.kind == "asm":
            native.update(n_pos_args=rc.n_pos_args, type_sig=rc.type_sig)
    return ModelRawCode(kind=rc.kind, fun_data=bytes(rc.data),
                        children=[_model_raw_code(c, viper_flags_zero) for c in rc.child_codes], **native)


def _model_raw_code_v5(rc: RawCode, source_file: str, plan: CompilePlan):
    from mpycross.mpy.model import RawCode as ModelRawCode

    if rc.kind == "asm":
        # v5 persistentcode.c: machine code, scope flags, argument count and type; no tables
        return ModelRawCode(kind="asm", fun_data=bytes(rc.data), scope_flags=0, n_pos_args=rc.n_pos_args,
                            type_sig=rc.type_sig)
    code = rc.code
    children = [_model_raw_code_v5(c, source_file, plan) for c in rc.child_codes]
    consts = [_model_obj(o, plan) for o in code.consts]
    if rc.kind == "native":
        # v5 persistentcode.c: machine code, qstr links, prelude offset and the prelude's qstrs
        return ModelRawCode(kind="native", fun_data=bytes(code.data), prelude_offset=rc.prelude_offset,
                            qstr_links=list(code.qstr_links), qstrs=[rc.scope.simple_name, source_file],
                            arg_names=list(code.arg_names), consts=consts, children=children)
    if rc.kind == "viper":
        from .scope import SCOPE_FLAG_ALL_SIG

        # v5: the signature flags; before viper_sig_flags_saved (1.11): all of them in its numbering,
        # as the 7-bit field of mp-v1.11/py/emitglue.h mp_raw_code_t keeps them (the viper return
        # type's top bit is lost)
        if not plan.target.has("viper_sig_flags_saved"):
            from .emitnative import v4_scope_flags

            flags = v4_scope_flags(rc.scope.scope_flags) & 0x7F
        else:
            flags = rc.scope.scope_flags & SCOPE_FLAG_ALL_SIG
        return ModelRawCode(kind="viper", fun_data=bytes(code.data), qstr_links=list(code.qstr_links),
                            scope_flags=flags, consts=consts, children=children)
    return ModelRawCode(kind="bytecode", fun_data=bytes(code.data),
                        qstrs=[rc.scope.simple_name, source_file, *code.qstr_operands],
                        arg_names=list(code.arg_names), consts=consts, children=children)


def _model_obj(obj, plan: CompilePlan):
    """Constant objects as the model wants them (floats with the target's text)."""
    from mpycross.mpy.model import ComplexConst, FloatConst

    if type(obj) is float:
        return FloatConst(plan.float_repr(obj))
    if type(obj) is complex:
        return ComplexConst(plan.complex_repr(obj))
    if type(obj) is tuple:
        return tuple(_model_obj(o, plan) for o in obj)
    if isinstance(obj, int) and type(obj) not in (int, bool):
        return int(obj)  # fold.BigInt
    return obj


__all__ = ["compile_source", "compile_to_raw_code", "NotSupportedError", "UnsupportedOptionError"]


def _to_bytes(source) -> bytes:
    return source.encode("utf-8", "surrogateescape") if isinstance(source, str) else bytes(source)
