"""LALR tables for grammar/micropython.lark, built by Lark once and cached.

Lark analyses the grammar (its own `cache=` file makes a rebuild quick); the
tables are then flattened into plain dicts, tuples and strings and
pickled into a second cache file, so that a normal run loads them without importing Lark at
all: `mpy-cross foo.py` starts in a few milliseconds.

Flattened form:

* `states[state][symbol]` is a next state (>= 0: shift a token, or the goto
  after a reduction) or `-1 - r` for reduction `r`;
* `reductions[r]` is `(size, rule name, how)`: `how` says what Lark's tree
  builder would do with the `size` popped values (insert None for absent
  `[optional]` parts, splice Lark's internal `_helper` rules, pass a single
  child through for `?rule`) and which `TreeToAst` method gets the result.

Cache files live in the user's cache folder (or the temp folder), never in
the package, which may be read-only.  Their names hold a CRC of the grammar
text, the Lark version and the Python version, and the tables file records
all three in full, checked when it is loaded.
"""

from __future__ import annotations

import _thread
import importlib.util
import os
import pickle
import re
import sys
import zlib
from pathlib import Path

from ..resources import cache_dir, data_dir

GRAMMAR_FILE = "micropython.lark"
FORMAT = 1  # bump when the flattened layout changes
START = "file_input"


def grammar_text() -> str:
    return (data_dir("grammar") / GRAMMAR_FILE).read_text(encoding="utf-8")


def lark_version() -> str:
    """Installed Lark version, read without importing Lark (fast)."""
    spec = importlib.util.find_spec("lark")
    if spec is None or spec.origin is None:
        return "none"
    try:
        text = Path(spec.origin).read_text(encoding="utf-8")
    except OSError:
        return "unknown"
    m = re.search(r"__version__\s*(?::\s*str)?\s*=\s*['\"]([^'\"]+)", text)
    return m.group(1) if m else "unknown"


def cache_identity(grammar: str) -> str:
    """What a cache file must have been built from: grammar text, Lark, Python, layout."""
    return f"{grammar}\0{lark_version()}\0{sys.version_info[:2]}\0{FORMAT}"


def cache_key(grammar: str) -> str:
    """Short name for the cache files (the identity itself is checked on load).

    A CRC rather than a cryptographic hash: hashlib's import alone would cost
    more than loading the tables.
    """
    return f"{zlib.crc32(cache_identity(grammar).encode()):08x}"


# ---- building from Lark ----------------------------------------------------------


def _placeholder_lexer():
    """Lark needs a lexer class (tokens really come from mpycross's lexer).

    Defined on first use, so that loading the tables never imports Lark, and
    published as a module global so that Lark's cache can pickle it.
    """
    global MicroPythonTokens
    if "MicroPythonTokens" not in globals():
        from lark.lexer import Lexer as LarkLexer

        class MicroPythonTokens(LarkLexer):
            def __init__(self, lexer_conf):
                pass

            def lex(self, data):  # pragma: no cover - never called
                raise NotImplementedError

    return MicroPythonTokens


def _lark(grammar: str, folder: Path | None):
    from lark import Lark

    options = dict(parser="lalr", lexer=_placeholder_lexer(), start=START,
                   maybe_placeholders=True, keep_all_tokens=True)
    if folder is None:
        return Lark(grammar, **options)
    path = folder / f"lark-{cache_key(grammar)}.cache"
    if path.exists():
        try:
            return Lark(grammar, cache=str(path), **options)
        except Exception:  # unreadable cache: rebuild below
            pass
    # Lark writes its cache itself: give it a private name, then rename, so a
    # concurrent process never reads half a file.
    tmp = path.with_name(f"{path.name}.{os.getpid()}.{_thread.get_ident()}.tmp")
    try:
        parser = Lark(grammar, cache=str(tmp), **options)
        os.replace(tmp, path)
    finally:
        try:
            tmp.unlink()
        except OSError:
            pass
    return parser


def _how(rule) -> tuple:
    """What Lark's parse-tree builder does for this rule (lark/parse_tree_builder.py)."""
    expansion = rule.expansion
    empty = rule.options.empty_indices
    if empty:
        flags = "".join(str(int(b)) for b in empty)
        nones = [len(run) for run in flags.split("0")]
    else:
        nones = [0] * (len(expansion) + 1)
    include = []
    pending = 0
    for i, sym in enumerate(expansion):
        pending += nones[i]
        splice = (not sym.is_term) and sym.name.startswith("_")
        include.append((i, splice, pending))
        pending = 0
    append_none = pending + nones[len(expansion)]
    expand1 = bool(rule.options.expand1 and not rule.alias)
    name = str(rule.alias or rule.origin.name)  # plain str: the cache must not need Lark
    trivial = append_none == 0 and all(not s and not n for _, s, n in include)
    return (tuple(include) if not trivial else None, append_none, expand1, name)


def build_tables(grammar: str, folder: Path | None) -> dict:
    """Run Lark's LALR analysis and flatten the result."""
    from lark.parsers.lalr_analysis import Shift

    lark_parser = _lark(grammar, folder)
    table = lark_parser.parser.parser._parse_table
    index = {}
    reductions = []
    states = {}
    for state, actions in table.states.items():
        row = {}
        for symbol, (action, arg) in actions.items():
            symbol = str(symbol)
            if action is Shift:
                row[symbol] = arg
            else:
                key = id(arg)
                if key not in index:
                    index[key] = len(reductions)
                    reductions.append((len(arg.expansion), str(arg.origin.name), _how(arg)))
                row[symbol] = -1 - index[key]
        states[state] = row
    return {
        "format": FORMAT,
        "start": int(table.start_states[START]),
        "end": int(table.end_states[START]),
        "states": states,
        "reductions": reductions,
    }


# ---- loading -----------------------------------------------------------------------


def load_tables() -> dict:
    """The flattened tables: from the cache file, else built (and cached)."""
    grammar = grammar_text()
    folder = cache_dir()
    if folder is not None:
        path = folder / f"tables-{cache_key(grammar)}.pickle"
        try:
            with open(path, "rb") as f:
                data = pickle.load(f)
            if data.get("identity") == cache_identity(grammar):
                return data
        except Exception:  # missing, unreadable or another grammar's: rebuild
            pass
    data = build_tables(grammar, folder)
    data["identity"] = cache_identity(grammar)
    if folder is not None:
        from mpycross.fileio import write_atomically

        try:
            write_atomically(path, pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL))
        except OSError:
            pass  # an unwritable cache only costs speed
    return data


def make_callback(size: int, how: tuple, transformer):
    """Rebuild the reduction callback Lark would make (None: pass the child up)."""
    include, append_none, expand1, name = how
    if expand1 and size == 1 and include is None and append_none == 0:
        return None  # a `?rule` of one symbol: test -> or_test -> ... -> atom
    method = getattr(transformer, name, None)
    if method is None:
        # one of Lark's internal helper rules (for `*`, `+`): a plain list,
        # spliced into the parent below
        def method(children):
            return children

    if expand1:
        inner = method

        def method(children):
            if len(children) == 1:
                return children[0]
            return inner(children)

        if include is None and append_none == 0:
            return method

    if include is None:
        return method

    build = method

    def filtered(children):
        out = None
        for i, splice, add_none in include:
            if add_none:
                if out is None:
                    out = []
                out += [None] * add_none
            if splice:
                if out is None:
                    # a left-recursive helper list (x (op x)*) is extended in
                    # place, as Lark does: copying it would be quadratic
                    out = children[i]
                else:
                    out += children[i]
            else:
                if out is None:
                    out = []
                out.append(children[i])
        if append_none:
            out += [None] * append_none
        return build(out)

    return filtered
