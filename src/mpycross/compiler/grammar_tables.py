"""LALR tables for grammar/micropython.lark, built by Lark once and cached.

Lark analyses the grammar (its own `cache=` file makes a rebuild quick); the
tables are then flattened into plain lists, dicts, tuples and strings and
marshalled into a second cache file, so that a normal run loads them without importing Lark at
all: `mpy-cross foo.py` starts in a few milliseconds.

Flattened form:

* `states[state]` is `(symbols, actions)`, two tuples: for `symbols[i]` (a token kind, END
  for the end of input, or a rule name) `actions[i]` is a next state (>= 0: shift a token, or
  the goto after a reduction) or `-1 - r` for reduction `r` (the parser makes a state's dict
  when it first meets the state: a short file meets a fraction of them);
* `reductions[r]` is `(size, rule name, how)`: `how` says what Lark's tree
  builder would do with the `size` popped values (insert None for absent
  `[optional]` parts, splice Lark's internal `_helper` rules, pass a single
  child through for `?rule`) and which `TreeToAst` method gets the result.

The package ships the flattened tables of its grammar (`grammar/micropython.tables.json`,
written by `python -m mpycross.compiler.grammar_tables`; a test checks it is what Lark builds
from the grammar now), so even a first run, or a run with an empty cache folder, starts without
Lark's analysis (half a second); they carry the sha256 of the grammar text they were built
from, and a grammar that differs (being edited) is analysed by Lark instead.

Cache files live in the user's cache folder (or the temp folder), never in
the package, which may be read-only.  Their names hold a CRC of the grammar
text, the Python version, the tables' layout and (Lark's own cache only) the
Lark version, and the tables file records them in full, checked when it is
loaded.
"""

from __future__ import annotations

import _thread
import os
import re
import sys
import zlib

from ..resources import cache_folder, data_path, read_cache_file, write_cache_file

GRAMMAR_FILE = "micropython.lark"
SHIPPED_FILE = "micropython.tables.json"  # (in grammar/, next to the grammar)
FORMAT = 3  # bump when the flattened layout changes
START = "file_input"


def grammar_text() -> str:
    with open(data_path("grammar", GRAMMAR_FILE), encoding="utf-8") as f:
        return f.read()


def lark_version() -> str:
    """Installed Lark version, read without importing Lark (fast)."""
    from importlib.machinery import PathFinder  # (importlib.util costs more than the search)

    spec = PathFinder.find_spec("lark")
    if spec is None or spec.origin is None:
        return "none"
    try:
        with open(spec.origin, encoding="utf-8") as f:
            text = f.read()
    except OSError:
        return "unknown"
    m = re.search(r"__version__\s*(?::\s*str)?\s*=\s*['\"]([^'\"]+)", text)
    return m.group(1) if m else "unknown"


def cache_identity(grammar: str, lark: bool = True) -> str:
    """What a cache file must have been built from: grammar text, Lark, Python, layout.

    `lark=False` for the flattened tables: they are a complete parser of the grammar,
    whichever Lark worked them out, so a Lark installed later need not rebuild them (and
    finding Lark's version costs a search of the import path on every start)."""
    return f"{grammar}\0{lark_version() if lark else ''}\0{sys.version_info[:2]}\0{FORMAT}"


def cache_key(grammar: str, lark: bool = True) -> str:
    """Short name for the cache files (the identity itself is checked on load).

    A CRC rather than a cryptographic hash: hashlib's import alone would cost
    more than loading the tables.
    """
    return f"{zlib.crc32(cache_identity(grammar, lark).encode()):08x}"


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


def _lark(grammar: str, folder: str | None):
    from lark import Lark

    options = dict(parser="lalr", lexer=_placeholder_lexer(), start=START,
                   maybe_placeholders=True, keep_all_tokens=True)
    if folder is None:
        return Lark(grammar, **options)
    path = os.path.join(folder, f"lark-{cache_key(grammar)}.cache")
    if os.path.exists(path):
        try:
            return Lark(grammar, cache=path, **options)
        except Exception:  # unreadable cache: rebuild below
            pass
    # Lark writes its cache itself: give it a private name, then rename, so a
    # concurrent process never reads half a file.
    tmp = f"{path}.{os.getpid()}.{_thread.get_ident()}.tmp"
    try:
        parser = Lark(grammar, cache=tmp, **options)
        os.replace(tmp, path)
    finally:
        try:
            os.unlink(tmp)
        except OSError:
            pass
    return parser


def _canonical(start: int, end: int, states: dict, reductions: list) -> tuple:
    """The same automaton numbered independently of how Lark's sets happened to be ordered
    (which changes with the string hash seed): states in the order a breadth-first walk from
    the start meets them, each state's symbols sorted, reductions in the order first met;
    so that the tables built from one grammar are the same bytes in every process.
    (start, end, states as a list, reductions)."""
    number = {start: 0}
    order = [start]
    reduction_number: dict[int, int] = {}
    for old in order:  # (grows as new states are met)
        symbols, actions = states[old]
        for _, action in sorted(zip(symbols, actions)):
            if action >= 0:
                if action not in number:
                    number[action] = len(order)
                    order.append(action)
            elif action not in reduction_number:
                reduction_number[action] = len(reduction_number)
    if len(order) != len(states) or len(reduction_number) != len(reductions):
        raise ValueError("LALR tables with states or reductions the start cannot reach")
    new_reductions = [None] * len(reductions)
    for action, r in reduction_number.items():
        new_reductions[r] = reductions[-1 - action]
    shared: dict = {}  # one tuple object for equal tuples: marshal then writes it once
    new_states = []
    for old in order:
        row = sorted(zip(*states[old]))
        symbols = tuple(symbol for symbol, _ in row)
        actions = tuple(number[a] if a >= 0 else -1 - reduction_number[a] for _, a in row)
        new_states.append((shared.setdefault(symbols, symbols), shared.setdefault(actions, actions)))
    return 0, number[end], new_states, new_reductions


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


def build_tables(grammar: str, folder: str | None) -> dict:
    """Run Lark's LALR analysis and flatten the result."""
    from lark.parsers.lalr_analysis import Shift

    lark_parser = _lark(grammar, folder)
    table = lark_parser.parser.parser._parse_table
    index = {}
    reductions = []
    states = {}
    shared: dict = {}  # one tuple object for equal tuples: marshal then writes it once
    for state, actions in table.states.items():
        row = {}
        for symbol, (action, arg) in actions.items():
            symbol = str(symbol)
            if symbol == "$END":
                symbol = "END"  # the lexer's name for it
            if action is Shift:
                row[symbol] = arg
            else:
                key = id(arg)
                if key not in index:
                    index[key] = len(reductions)
                    reductions.append((len(arg.expansion), str(arg.origin.name), _how(arg)))
                row[symbol] = -1 - index[key]
        symbols, actions_ = tuple(row), tuple(int(a) for a in row.values())
        states[state] = (shared.setdefault(symbols, symbols), shared.setdefault(actions_, actions_))
    if sorted(states) != list(range(len(states))):
        raise ValueError("LALR states are not numbered 0..n-1")
    start, end, states, reductions = _canonical(int(table.start_states[START]), int(table.end_states[START]),
                                                states, reductions)
    shapes = _possible_shapes(reductions)
    return {
        "format": FORMAT,
        "start": start,
        "end": end,
        "states": states,
        "reductions": reductions,
        # the reduction callbacks' factories, compiled once: marshal keeps code objects
        "shapes": shapes,
        "shape_code": compile(_factories_source(shapes), "<reductions>", "exec"),
    }


# ---- the tables the package ships ---------------------------------------------------


def _grammar_digest(grammar: str) -> str:
    import hashlib

    return hashlib.sha256(grammar.encode("utf-8")).hexdigest()


def shipped_text(data: dict, grammar: str) -> str:
    """The shipped file's text for tables built from `grammar`: JSON, one state or reduction
    per line (so that a change of grammar shows as a readable diff)."""
    import json

    def dump(value) -> str:
        return json.dumps(value, separators=(",", ":"))

    head = {"format": data["format"], "grammar_sha256": _grammar_digest(grammar),
            "start": data["start"], "end": data["end"]}
    parts = [dump(head)[:-1]]
    for name in ("states", "reductions", "shapes"):
        parts.append(f',\n"{name}":[\n' + ",\n".join(dump(item) for item in data[name]) + "]")
    return "".join(parts) + "}\n"


def _tuples(value):
    """JSON's lists back as the tables' tuples."""
    return tuple(_tuples(v) for v in value) if type(value) is list else value


def shipped_tables(grammar: str) -> dict | None:
    """The package's own tables, when they were built from `grammar` in this layout; else None."""
    import json

    try:
        with open(data_path("grammar", SHIPPED_FILE), encoding="utf-8") as f:
            shipped = json.load(f)
    except (OSError, ValueError):
        return None
    if type(shipped) is not dict or shipped.get("format") != FORMAT \
            or shipped.get("grammar_sha256") != _grammar_digest(grammar):
        return None
    interned: dict = {}  # symbol names as marshal would give them back: interned, one tuple per value
    states = []
    for symbols, actions in shipped["states"]:
        symbols = tuple(sys.intern(symbol) for symbol in symbols)
        actions = tuple(actions)
        states.append((interned.setdefault(symbols, symbols), interned.setdefault(actions, actions)))
    reductions = [(size, sys.intern(origin), _tuples(how)) for size, origin, how in shipped["reductions"]]
    shapes = [_tuples(shape) for shape in shipped["shapes"]]
    return {
        "format": FORMAT, "start": shipped["start"], "end": shipped["end"], "states": states,
        "reductions": reductions, "shapes": shapes,
        "shape_code": compile(_factories_source(shapes), "<reductions>", "exec"),
    }


def write_shipped_tables() -> str:
    """Build the tables from the grammar with Lark and write the package's file; its path."""
    from mpycross.fileio import write_atomically

    grammar = grammar_text()
    path = data_path("grammar", SHIPPED_FILE)
    write_atomically(path, shipped_text(build_tables(grammar, None), grammar).encode("utf-8"))
    return path


# ---- loading -----------------------------------------------------------------------


def load_tables() -> dict:
    """The flattened tables: from the cache file, else the package's own (or, for a grammar
    they were not built from, built by Lark), then cached."""
    grammar = grammar_text()
    folder = cache_folder()
    if folder is not None:
        path = os.path.join(folder, f"tables-{cache_key(grammar, lark=False)}.marshal")
        data = read_cache_file(path)
        if type(data) is dict and data.get("identity") == cache_identity(grammar, lark=False):
            return data
    data = shipped_tables(grammar)  # the cache is missing, unreadable or another grammar's
    if data is None:
        data = build_tables(grammar, folder)
    data["identity"] = cache_identity(grammar, lark=False)
    if folder is not None:
        write_cache_file(path, data)
    return data


def _arrangement(include, append_none) -> tuple[list[str], int | None]:
    """Source lines that build `out`, the list Lark's tree builder would hand the
    rule's method, from the popped values `c`; and its length when fixed."""
    if include is None:
        return ["out = c"], None
    items: list[str] = []
    head = None  # a left-recursive helper list first: extended in place, as Lark does
    fixed = True
    for i, splice, add_none in include:
        items += ["None"] * add_none
        if splice:
            fixed = False
            if head is None and not items:
                head = f"c[{i}]"
                continue
            items.append(f"*c[{i}]")
        else:
            items.append(f"c[{i}]")
    items += ["None"] * append_none
    if head is None:
        return [f"out = [{', '.join(items)}]"], len(items) if fixed else None
    lines = [f"out = {head}"]
    if len(items) == 1 and not items[0].startswith("*"):
        lines.append(f"out.append({items[0]})")
    elif items:
        lines.append(f"out += [{', '.join(items)}]")
    return lines, None


def _shape(size: int, how: tuple, has_method: bool, pass_names) -> tuple | None:
    """What the callback of a reduction depends on (None: no callback, the child passes up)."""
    include, append_none, expand1, name = how
    if expand1 and size == 1 and include is None and append_none == 0:
        return None  # a `?rule` of one symbol: test -> or_test -> ... -> atom
    pass_single = not expand1 and size == 1 and include == ((0, False, 0),) and name in pass_names
    return (include, append_none, expand1, has_method, pass_single)


def _possible_shapes(reductions) -> list:
    """Every shape a transformer could give these reductions (with or without a method,
    passing a single node through or not), in a fixed order."""
    shapes = set()
    for size, _, how in reductions:
        for has_method in (False, True):
            for pass_names in ((), (how[3],)):
                shape = _shape(size, how, has_method, pass_names)
                if shape is not None:
                    shapes.add(shape)
    return sorted(shapes, key=repr)


def _reduce_source(shape: tuple, name: str = "make") -> str:
    """A factory `make(build)` of the reduction callback for one shape of rule."""
    include, append_none, expand1, has_method, pass_single = shape
    lines, length = _arrangement(include, append_none)
    body = []
    if pass_single:
        # one value and absent parts: the method would return that value itself
        body += ["x = c[0]", "if x.__class__ is not Token:", "    return x"]
    body += lines
    if expand1:
        if length is None:
            body += ["if len(out) == 1:", "    return out[0]"]
        elif length == 1:
            body += ["return out[0]"]
    body.append("return build(out)" if has_method else "return out")
    code = "\n".join("        " + line for line in body)
    return f"def {name}(build):\n    def reduce(c):\n{code}\n    return reduce\n"


def _factories_source(shapes: list) -> str:
    return "".join(_reduce_source(shape, f"make_{i}") for i, shape in enumerate(shapes))


def _namespace() -> dict:
    from .lexer import Token

    return {"Token": Token}


def reduction_factories(data: dict) -> dict:
    """shape -> factory of its callback, from the code compiled into the tables."""
    namespace = _namespace()
    exec(data["shape_code"], namespace)
    return {tuple(shape): namespace[f"make_{i}"] for i, shape in enumerate(data["shapes"])}


def make_callback(size: int, how: tuple, transformer, factories: dict):
    """The reduction callback Lark's tree builder would make (None: pass the child up).

    Each shape of rule (which values are spliced, where absent parts become
    None, whether a single value passes through: `transformer.PASS_SINGLE`)
    has its own small function (`factories`, see reduction_factories; a shape
    missing there is compiled here), so a reduction runs no interpreted loop.
    A method is absent for Lark's internal helper rules (for `*`, `+`): their
    value is the plain list, spliced into the parent."""
    method = getattr(transformer, how[3], None)
    shape = _shape(size, how, method is not None, getattr(transformer, "PASS_SINGLE", ()))
    if shape is None:
        return None
    if shape == (None, 0, False, method is not None, False):
        # the popped values as they are: the method itself, or for a helper rule a copy
        # of the list (a C call, where the factory's function would be a Python one)
        return list if method is None else method
    factory = factories.get(shape)
    if factory is None:
        namespace = _namespace()
        exec(compile(_reduce_source(shape), f"<reduce {how[3]}>", "exec"), namespace)
        factory = factories[shape] = namespace["make"]
    return factory(method)


if __name__ == "__main__":
    print(f"wrote {write_shipped_tables()}")
