"""mpycross: a pure-Python toolchain for MicroPython and CircuitPython `.mpy` files."""

__version__ = "0.1.0"

__all__ = ["__version__", "compile_source"]

# the target a compile uses when none is named (mpycross.targets reads its data; kept here so
# that a command using only the default need not import that module)
DEFAULT_TARGET = "micropython-1.29"


def compile_source(source, filename="<stdin>", target=DEFAULT_TARGET, opt=0, **options):
    """Compile Python source text (str or bytes) to the bytes of a `.mpy` file.

    Thread-safe and free of temporary files. Raises `mpycross.errors.CompileError`
    (a `SyntaxError` subclass carrying the line) when the source is rejected.
    """
    from mpycross.compiler.driver import compile_source as _compile

    return _compile(source, filename, target=target, opt=opt, **options)
