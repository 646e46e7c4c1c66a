"""Source -> AST: MicroPython's lexer feeding an LALR parser of grammar/micropython.lark.

`parse(source, filename)` returns an `astnodes.Module` or raises
`CompileError` with the kind, message and line MicroPython 1.29 reports.

How errors line up with MicroPython's (py/parse.c, py/parsenum.c):

* The lexer is pulled one token at a time, so a token is only read once the
  parser has taken the one before it, as in MicroPython.  A lexer error that
  MicroPython raises directly (`\\N{...}` escapes) therefore surfaces at the
  same moment.
* The first token the grammar cannot take is the error token; its kind picks
  the message ("unexpected indent", "unindent doesn't match any outer indent
  level", "malformed f-string", else "invalid syntax") and its line is the
  line reported.
* Number literals are converted when the parser takes them (parse.c
  push_result_token), so a bad number is only reported if the grammar accepts
  a number there.

The Lark parser tables are loaded from a cache file in the user's cache
folder (or the temp folder), keyed on the grammar text, the Lark version and
the Python version; the package folder itself may be read-only.
"""

from __future__ import annotations

import hashlib
import os
import sys
import tempfile
import threading
from pathlib import Path

import lark
from lark import Lark, Token as LarkToken
from lark.exceptions import UnexpectedInput, VisitError
from lark.lexer import Lexer as LarkLexer

from ..errors import CompileError
from ..resources import data_dir
from . import astnodes
from .lexer import Lexer, LexerAbort
from .parsenum import parse_decimal, parse_integer
from .tree_to_ast import TreeToAst

GRAMMAR_FILE = "micropython.lark"

class _Source:
    """What the Lark lexer adapter receives: the MicroPython lexer plus parse state."""

    __slots__ = ("lexer", "end_line", "deferred_error")

    def __init__(self, data: bytes):
        self.lexer = Lexer(data)
        self.end_line = 1
        self.deferred_error = None


class _ParseAbort(Exception):
    def __init__(self, kind: str, message: str, line: int | None):
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.line = line


class MicroPythonLexer(LarkLexer):
    """Adapter: MicroPython tokens as Lark tokens, numbers converted once taken."""

    def __init__(self, lexer_conf):
        pass

    def lex(self, source: _Source):
        lexer = source.lexer
        for tok in lexer.tokens():
            kind = tok.type
            if kind == "END":
                source.end_line = tok.line
                return
            value = tok.value
            t = LarkToken(kind, value if isinstance(value, str) else "", line=tok.line, column=tok.column)
            t.value = value
            if kind == "INTEGER" or kind == "FLOAT_OR_IMAG":
                yield t
                # resumed: the parser has taken the number (parse.c push_result_token)
                t.value = parse_number(kind, value, tok.line)
                continue
            yield t


def parse_number(kind: str, text: bytes, line: int):
    try:
        if kind == "INTEGER":
            return parse_integer(text)
        return parse_decimal(text)
    except ValueError as exc:
        raise _ParseAbort("SyntaxError", str(exc), line) from None


# ---- the Lark parser, loaded from a cache -------------------------------------


def _cache_dir() -> Path | None:
    """A writable folder for the parser cache, or None."""
    candidates = []
    env = os.environ.get("MPYCROSS_CACHE_DIR")
    if env:
        candidates.append(Path(env))
    xdg = os.environ.get("XDG_CACHE_HOME")
    if xdg:
        candidates.append(Path(xdg) / "mpycross")
    elif sys.platform == "win32" and os.environ.get("LOCALAPPDATA"):
        candidates.append(Path(os.environ["LOCALAPPDATA"]) / "mpycross" / "Cache")
    else:
        candidates.append(Path.home() / ".cache" / "mpycross")
    candidates.append(Path(tempfile.gettempdir()) / f"mpycross-{os.getuid() if hasattr(os, 'getuid') else 'user'}")
    for folder in candidates:
        try:
            folder.mkdir(parents=True, exist_ok=True)
            if os.access(folder, os.W_OK):
                return folder
        except OSError:
            continue
    return None


_lock = threading.Lock()
_parser: Lark | None = None


def _grammar_text() -> str:
    return (data_dir("grammar") / GRAMMAR_FILE).read_text(encoding="utf-8")


def cache_path(grammar: str) -> Path | None:
    """The cache file for this grammar text, Lark version and Python version."""
    folder = _cache_dir()
    if folder is None:
        return None
    key = hashlib.sha256(
        f"{grammar}\0{lark.__version__}\0{sys.version_info[:2]}".encode()
    ).hexdigest()[:20]
    return folder / f"grammar-{key}.lark-cache"


def get_parser() -> Lark:
    """The shared LALR parser (built once per process; tables from the cache)."""
    global _parser
    if _parser is None:
        with _lock:
            if _parser is None:
                grammar = _grammar_text()
                path = cache_path(grammar)
                options = dict(
                    parser="lalr",
                    lexer=MicroPythonLexer,
                    start="file_input",
                    maybe_placeholders=True,
                    keep_all_tokens=True,
                    transformer=TreeToAst(),
                )
                if path is not None:
                    _parser = _load_cached(grammar, path, options)
                else:
                    _parser = Lark(grammar, **options)
    return _parser


def _load_cached(grammar: str, path: Path, options: dict) -> Lark:
    # Lark writes the cache file itself; write it under a temporary name and
    # rename, so that concurrent processes never read a half-written file.
    if path.exists():
        try:
            return Lark(grammar, cache=str(path), **options)
        except Exception:  # a corrupt cache: rebuild below
            pass
    tmp = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    parser = Lark(grammar, cache=str(tmp), **options)
    try:
        os.replace(tmp, path)
    except OSError:
        try:
            tmp.unlink()
        except OSError:
            pass
    return parser


# ---- entry point ---------------------------------------------------------------

_ERROR_MESSAGES = {
    "INDENT": ("IndentationError", "unexpected indent"),
    "DEDENT_MISMATCH": ("IndentationError", "unindent doesn't match any outer indent level"),
    "MALFORMED_FSTRING": ("SyntaxError", "malformed f-string"),
}


def _to_bytes(source: str | bytes) -> bytes:
    if isinstance(source, str):
        return source.encode("utf-8", "surrogateescape")
    return bytes(source)


def parse(source: str | bytes, filename: str = "<stdin>") -> astnodes.Module:
    """Parse MicroPython source into an AST, or raise CompileError as MicroPython would."""
    data = _to_bytes(source)
    src = _Source(data)
    parser = get_parser()
    try:
        return parser.parse(src)
    except UnexpectedInput as exc:
        token = getattr(exc, "token", None)
        kind_name = getattr(token, "type", "$END")
        if kind_name == "$END":
            line = src.end_line
        else:
            line = token.line
        kind, message = _ERROR_MESSAGES.get(kind_name, ("SyntaxError", "invalid syntax"))
        raise CompileError(message, filename, line, kind=kind) from None
    except (_ParseAbort, LexerAbort) as exc:
        raise CompileError(exc.message, filename, exc.line, kind=exc.kind) from None
    except VisitError as exc:  # pragma: no cover - a bug in a rule callback
        raise exc.orig_exc
    except RecursionError:
        raise CompileError("maximum recursion depth exceeded", filename, None, kind="RuntimeError") from None
