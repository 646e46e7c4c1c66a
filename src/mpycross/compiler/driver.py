"""The one place that chains the compiler passes.

source -> `parser.parse` (AST) -> `fold.fold_module` (folded AST) ->
`codegen.Compiler` (scopes, instructions, raw code) -> `mpy.model` ->
`mpy.write_mpy` (bytes). Each call builds its own state, so compiles may
run in parallel threads.
"""

from __future__ import annotations

import dataclasses
import sys
import threading

from mpycross.errors import CompileError, MpyCrossError, TargetError
from mpycross.targets import DEFAULT_TARGET, Target, resolve_target

from . import compat, floatcompat, fold, raw_qstr_ids
from .codegen import Compiler, NotSupportedError, RawCode
from .emitnative_target import EMIT_BY_NAME, NativeTarget

# bytecode generations this compiler emits (formats/versions.toml `bytecode`)
SUPPORTED_BYTECODE = ("v2", "v3", "v4", "v5", "v6")


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


def compile_to_raw_code(source, filename: str = "<stdin>", opt: int = 0, source_name: str | None = None,
                        small_int_bits: int = 31, target=None, module=None, include_source_lines: bool = True,
                        native=None):
    """Compile source to (root RawCode, qstr table, constant-object table).

    `module`: an already parsed `astnodes.Module` to compile instead of `source`;
    `native`: the native-code plan (emitnative_target.NativeTarget), default: none chosen."""
    tgt = target_of(target)
    if native is None:
        native = NativeTarget(tgt, None)
    from .parser import parse

    if isinstance(source, bytes):
        text = source
    else:
        text = source
    name = source_name if source_name is not None else filename
    if module is None:
        token = floatcompat.LITERAL_PARSER.set(floatcompat.parser_for(tgt))
        current = compat.TARGET.set(tgt)
        try:
            try:
                module = parse(text, filename)
            except CompileError as error:
                raise fold.check_completed(error, opt, name, tgt) from None
        finally:
            compat.TARGET.reset(current)
            floatcompat.LITERAL_PARSER.reset(token)
    sign_bit = (small_int_bits - 1) & 63  # the C shift count, as x86-64 takes it (see codegen)
    small_range = (-(1 << sign_bit), (1 << sign_bit) - 1)
    truth = fold.SMALL_INT_TRUTH_ONLY.set(None if tgt.has("const_truth_fold") else small_range)
    try:
        module = fold.fold_module(module, filename, optimize=opt, source_name=name, target=tgt)
        compiler = Compiler(filename, name, optimize=opt, small_int_bits=small_int_bits, target=tgt,
                            include_source_lines=include_source_lines, native=native)
        if tgt.mpy_version <= 4:
            # v2-v4 files hold the build's own qstr numbers (raw_qstr_ids.py)
            if text is None:
                raise UnsupportedOptionError(f"compiling a parsed module for {tgt.display_name} needs its source")
            token = compat.TARGET.set(tgt)
            try:
                compiler.common.raw_qstr_ids = raw_qstr_ids.qstr_ids(tgt.release, _to_bytes(text), filename, name)
            finally:
                compat.TARGET.reset(token)
            compiler.common.source_file = name
        module_scope = compiler.compile(module)
    finally:
        fold.SMALL_INT_TRUTH_ONLY.reset(truth)
    qstrs = list(compiler.common.qstrs)
    return module_scope.raw_code, qstrs, list(compiler.common.objs)


# Deeply nested source (thousands of levels of brackets, blocks or operators) recurses
# through the passes as deep as py/parse.c and py/compile.c do; compiles run in a thread
# with a large stack and a raised recursion limit, so they fail only where mpy-cross does.
_DEEP_STACK_BYTES = 1 << 30  # reserved address space; pages are only used as touched
_DEEP_RECURSION_LIMIT = 400_000
_deep_lock = threading.Lock()
_deep_users = [0, 0]  # compiles running, recursion limit to restore


def _run_deep(fn, *args, **kwargs):
    """fn(*args, **kwargs) on a big-stack thread; its exception is raised here.

    A RecursionError (nesting deeper than even that) becomes a CompileError
    with MicroPython's text for a stack overflow."""
    result: list = [None, None]

    def work():
        try:
            result[0] = fn(*args, **kwargs)
        except BaseException as err:  # handed to the caller's thread
            result[1] = err

    with _deep_lock:
        if _deep_users[0] == 0:
            _deep_users[1] = sys.getrecursionlimit()
            sys.setrecursionlimit(max(_deep_users[1], _DEEP_RECURSION_LIMIT))
        _deep_users[0] += 1
        previous = threading.stack_size(_DEEP_STACK_BYTES)
        try:
            worker = threading.Thread(target=work, name="mpycross-compile")
            worker.start()
        finally:
            threading.stack_size(previous)
    try:
        worker.join()
    finally:
        with _deep_lock:
            _deep_users[0] -= 1
            if _deep_users[0] == 0:
                sys.setrecursionlimit(_deep_users[1])
    if isinstance(result[1], RecursionError):
        raise CompileError("maximum recursion depth exceeded", args[1] if len(args) > 1 else "<stdin>", None,
                           kind="RuntimeError") from None
    if result[1] is not None:
        raise result[1]
    return result[0]


def compile_source(source, filename: str = "<stdin>", target=DEFAULT_TARGET, opt: int = 0,
                   **options) -> bytes:
    """Compile Python source (str or bytes) to the bytes of a .mpy file for `target`.

    `target` is a Target or a name `resolve_target` knows ("micropython-1.22",
    "circuitpython-9"); None means the default target.

    Options: `source_name` (the name stored in the file, like mpy-cross -s),
    `small_int_bits` (like -msmall-int-bits), `include_source_lines`
    (False like -X no-source-lines), `emit` ("bytecode", "native" or "viper",
    like -X emit=), `march` (like -march=: "x64", ...; native code is built for
    the architectures in `emitnative_target.ENCODERS`) and `module` (an
    `astnodes.Module` to compile instead of parsing `source`).
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
    if emit not in EMIT_BY_NAME:
        raise UnsupportedOptionError(f"emit must be bytecode, native or viper, not {emit!r}")
    if emit != "bytecode" and march is None:
        raise UnsupportedOptionError("arch not specified")  # mpy-cross/main.c
    native = NativeTarget(tgt, march, emit)
    if emit != "bytecode":
        native.require_emitter(f"-X emit={emit}")
    source_name = options.pop("source_name", None)
    small_int_bits = options.pop("small_int_bits", 31)
    module = options.pop("module", None)
    include_source_lines = bool(options.pop("include_source_lines", True))
    if options:
        raise UnsupportedOptionError(f"unknown compile option(s): {', '.join(sorted(options))}")
    if not 0 <= opt <= 3:
        raise UnsupportedOptionError(f"optimisation level must be 0..3, not {opt}")
    root, qstrs, objs = compile_to_raw_code(source, filename, opt=opt, source_name=source_name,
                                            small_int_bits=small_int_bits, target=tgt, module=module,
                                            include_source_lines=include_source_lines, native=native)
    # persistentcode.c: the header names the architecture only when native code was emitted
    has_native = any(rc.kind != "bytecode" for rc in _walk(root))
    header = dataclasses.replace(tgt.header(native.arch_number() if has_native else 0),
                                 small_int_bits=small_int_bits & 0xFF)  # a byte in the header
    if tgt.mpy_version >= 6:
        mpy = MpyFile(header=header, qstr_table=qstrs, obj_table=[_model_obj(o, tgt) for o in objs],
                      root=_model_raw_code(root))
    else:
        # v5: no module tables; each raw code carries its qstrs and constants (emitbc_v5)
        mpy = MpyFile(header=header, root=_model_raw_code_v5(root, source_name or filename, tgt))
    return write_mpy(mpy)


def _walk(rc: RawCode):
    yield rc
    for child in rc.child_codes:
        yield from _walk(child)


def _model_raw_code(rc: RawCode):
    from mpycross.mpy.model import RawCode as ModelRawCode

    native = {}
    if rc.kind == "native":
        native = {"prelude_offset": rc.prelude_offset}
    elif rc.kind == "viper":
        native = {"scope_flags": 0}  # persistentcode.c: viper code never has signature flags
    elif rc.kind == "asm":
        native = {"scope_flags": 0, "n_pos_args": rc.n_pos_args, "type_sig": rc.type_sig}
    return ModelRawCode(kind=rc.kind, fun_data=bytes(rc.data),
                        children=[_model_raw_code(c) for c in rc.child_codes], **native)


def _model_raw_code_v5(rc: RawCode, source_file: str, target: Target):
    from mpycross.mpy.model import RawCode as ModelRawCode

    qstr_operands, consts, arg_names = rc.scope.v5_tables
    return ModelRawCode(kind="bytecode", fun_data=bytes(rc.data),
                        qstrs=[rc.scope.simple_name, source_file, *qstr_operands],
                        arg_names=arg_names, consts=[_model_obj(o, target) for o in consts],
                        children=[_model_raw_code_v5(c, source_file, target) for c in rc.child_codes])


def _model_obj(obj, target: Target):
    """Constant objects as the model wants them (floats with the target's text)."""
    from mpycross.mpy.model import ComplexConst, FloatConst

    if floatcompat.uses_current_text(target):
        from .floatrepr import complex_repr, float_repr
    else:
        def float_repr(value):
            return floatcompat.float_repr(value, target)

        def complex_repr(value):
            return floatcompat.complex_repr(value, target)

    if type(obj) is float:
        return FloatConst(float_repr(obj))
    if type(obj) is complex:
        return ComplexConst(complex_repr(obj))
    if type(obj) is tuple:
        return tuple(_model_obj(o, target) for o in obj)
    if isinstance(obj, int) and type(obj) not in (int, bool):
        return int(obj)  # fold.BigInt
    return obj


__all__ = ["compile_source", "compile_to_raw_code", "NotSupportedError", "UnsupportedOptionError"]


def _to_bytes(source) -> bytes:
    return source.encode("utf-8", "surrogateescape") if isinstance(source, str) else bytes(source)
