"""The parser against CPython's `ast` and against the official mpy-cross 1.29.

* Differential AST test: on real-library files that CPython accepts and that
  have no f-strings (MicroPython rewrites those), our AST equals CPython's
  converted to our node classes, lines ignored.
* Acceptance: on the same corpus, the official compiler accepts a file iff we
  parse it (we only check files where the official error, if any, is a parse
  error: compiler-level errors are the back end's).
* Lines: on small programs, `line` of statements and expressions agrees with
  CPython where MicroPython's rule (first token of the rule) coincides.
"""

from __future__ import annotations

import ast
import dataclasses
import io
import random
import tokenize

import pytest

from mpycross.compiler import astnodes as A
from mpycross.compiler.parser import parse
from mpycross.errors import CompileError
from tests.corpus.fetch import corpus_files
from tests.oracles import compile_official, compile_official_file

_IGNORED = {"line", "parens", "trailer_line", "is_elif", "parenthesized", "items_line", "invalid", "starts_list", "newline_line",
            "trailing_comma"}


def normalise(node):
    """Our AST as nested tuples, without line information."""
    if isinstance(node, A.Node):
        return (type(node).__name__,) + tuple(
            normalise(getattr(node, f.name)) for f in dataclasses.fields(node) if f.name not in _IGNORED
        )
    if isinstance(node, tuple):
        return tuple(normalise(x) for x in node)
    if isinstance(node, (int, float, complex, str, bytes)) or node is None or node is ...:
        return (type(node).__name__, node)
    raise TypeError(node)


def normalise_cpython(node):
    """CPython's AST as the same nested tuples (field names match by design)."""
    if isinstance(node, ast.AST):
        name = type(node).__name__
        if isinstance(node, (ast.operator, ast.unaryop, ast.cmpop, ast.boolop, ast.expr_context)):
            return ("str", name)
        if isinstance(node, ast.arguments):
            assert not node.posonlyargs
        ours = getattr(A, name)
        return (name,) + tuple(
            normalise_cpython(getattr(node, f.name)) for f in dataclasses.fields(ours) if f.name not in _IGNORED
        )
    if isinstance(node, list):
        return tuple(normalise_cpython(x) for x in node)
    if isinstance(node, (int, float, complex, str, bytes)) or node is None or node is ...:
        return (type(node).__name__, node)
    raise TypeError(node)


def _has_fstring(data: bytes) -> bool:
    try:
        for tok in tokenize.tokenize(io.BytesIO(data).readline):
            if tok.type == tokenize.STRING and "f" in tok.string.split("'")[0].split('"')[0].lower():
                return True
            if getattr(tokenize, "FSTRING_START", None) == tok.type:
                return True
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return True
    return False


def _cpython_tree(data: bytes):
    try:
        return ast.parse(data, feature_version=(3, 11))
    except (SyntaxError, ValueError):
        return None


def _corpus_sample(n: int | None):
    files = corpus_files()
    if n is None or n >= len(files):
        return files
    return random.Random(1).sample(files, n)


def _ast_agreement(path):
    data = path.read_bytes()
    tree = _cpython_tree(data)
    if tree is None or _has_fstring(data):
        return None
    try:
        ours = parse(data, str(path))
    except CompileError as exc:
        return f"rejected: {exc.kind}: {exc.message} line {exc.line}"
    if normalise(ours) != normalise_cpython(tree):
        return "AST differs"
    wrong = line_differences(ours, tree)
    if wrong:
        return f"lines differ: {wrong[:3]}"
    return "ok"


def line_differences(ours, theirs, out=None):
    """(node kind, our line, CPython line) wherever they disagree.

    MicroPython's rule (first token of the rule, without redundant
    parentheses) is CPython's lineno for every node, except a generator that
    is a call's only argument: CPython starts it at the call's "(", MicroPython
    at the element.
    """
    if out is None:
        out = []
    if isinstance(ours, A.Node) and isinstance(theirs, ast.AST):
        if hasattr(theirs, "lineno") and ours.line != theirs.lineno:
            elt = ours.elt if isinstance(ours, A.GeneratorExp) else None
            sole_argument = elt is not None and ours.line == (elt.parens[0] if elt.parens else elt.line)
            if not sole_argument:
                out.append((type(ours).__name__, ours.line, theirs.lineno))
        for f in dataclasses.fields(ours):
            if f.name not in _IGNORED:
                line_differences(getattr(ours, f.name), getattr(theirs, f.name, None), out)
    elif isinstance(ours, tuple) and isinstance(theirs, list):
        for a, b in zip(ours, theirs):
            line_differences(a, b, out)
    return out


def _check_ast(paths):
    results = {p: _ast_agreement(p) for p in paths}
    checked = {p: r for p, r in results.items() if r is not None}
    bad = {str(p): r for p, r in checked.items() if r != "ok"}
    assert checked, "no corpus file was comparable"
    # MicroPython rejects some valid CPython (e.g. `**` in dict displays): those
    # files must be rejected by the official compiler too (see the acceptance test).
    differs = {p: r for p, r in bad.items() if not r.startswith("rejected")}
    assert not differs, differs
    return checked, bad


def test_ast_matches_cpython_sample():
    _check_ast(_corpus_sample(60))


@pytest.mark.slow
def test_ast_matches_cpython_whole_corpus():
    _check_ast(_corpus_sample(None))


# ---- acceptance against the official compiler -------------------------------

def _official_verdict(path):
    """None if the official compiler accepts, else (kind, message, line, compiler error?)."""
    done = compile_official_file(path)
    if done.mpy is not None:
        return None
    kind, message, line, scope = done.error
    return kind, message, line, scope is not None  # compiler errors name the scope


def _check_acceptance(paths):
    mismatches = {}
    for path in paths:
        verdict = _official_verdict(path)
        try:
            parse(path.read_bytes(), str(path))
            ours = None
        except CompileError as exc:
            ours = (exc.kind, exc.message, exc.line)
        if verdict is not None and verdict[3]:
            # a compiler-level error: only require that we parsed the file
            if ours is not None:
                mismatches[str(path)] = (verdict, ours)
            continue
        if (verdict and verdict[:3]) != ours:
            mismatches[str(path)] = (verdict, ours)
    assert not mismatches, mismatches


def test_acceptance_matches_official_sample():
    _check_acceptance(_corpus_sample(40))


@pytest.mark.slow
def test_acceptance_matches_official_whole_corpus():
    _check_acceptance(_corpus_sample(None))


# ---- lines --------------------------------------------------------------------

LINE_PROGRAM = b'''\
import os
x = (1 +
     2)
@dec
@dec2.attr(3,
           4)
def f(a,
      b=2):
    return [
        a
        for a in b
    ]
class C(
        Base):
    y: int = 5
    def g(self): pass
while x:
    if y:
        pass
    elif z:
        del a, b
    else:
        break
try:
    raise E from F
except (A,
        B) as e:
    pass
finally:
    z = {
       1: 2}
with open(x) as f, g:
    lambda q: q
'''


def _line_pairs(ours, theirs, out):
    """Collect (kind, our line, CPython line) for statements and simple expressions."""
    if isinstance(ours, A.Node) and isinstance(theirs, ast.AST):
        if isinstance(theirs, (ast.stmt, ast.Name, ast.Constant, ast.BinOp, ast.Call, ast.Compare,
                               ast.Tuple, ast.List, ast.Dict, ast.Lambda, ast.ExceptHandler)):
            if not ours.parens:
                out.append((type(ours).__name__, ours.line, theirs.lineno))
        for f in dataclasses.fields(ours):
            if f.name in _IGNORED:
                continue
            _line_pairs(getattr(ours, f.name), getattr(theirs, f.name, None), out)
    elif isinstance(ours, tuple) and isinstance(theirs, list):
        for a, b in zip(ours, theirs):
            _line_pairs(a, b, out)


def test_lines_match_cpython_where_rules_coincide():
    pairs = []
    _line_pairs(parse(LINE_PROGRAM, "t.py"), ast.parse(LINE_PROGRAM), pairs)
    assert len(pairs) > 30
    assert [p for p in pairs if p[1] != p[2]] == []


def test_lines_of_parens_and_trailers():
    tree = parse(b"x = (\n  a\n  .b(\n  c))\ny = (\n(1,\n2))\n", "t.py")
    call = tree.body[0].value
    assert isinstance(call, A.Call)
    assert (call.line, call.parens, call.trailer_line) == (2, (1,), 3)
    assert (call.func.line, call.func.trailer_line) == (2, 3)
    tup = tree.body[1].value
    assert (tup.line, tup.parens) == (6, (5,))


def test_fstring_becomes_format_call():
    tree = parse(b'x = f"a{b!r:>5}c{{d}}{e=}"\n', "t.py")
    call = tree.body[0].value
    assert call.func.attr == "format"
    assert call.func.value.value == "a{!r:>5}c{{d}}e={}"
    assert [a.id for a in call.args] == ["b", "e"]
    assert all(a.parens == (1,) for a in call.args)


def test_string_concatenation_and_bytes_do_not_mix():
    tree = parse(b'x = "a" \'b\' """c"""\n', "t.py")
    assert tree.body[0].value.value == "abc"
    with pytest.raises(CompileError) as info:
        parse(b'x = "a" b"b"\n', "t.py")
    assert (info.value.message, info.value.line) == ("invalid syntax", 1)


def test_invalid_constructs_the_compiler_rejects():
    tree = parse(b"f(a+b=1)\n{1: 2, 3}\nf(a=1, b)\ndef g(a=1, b): pass\n", "t.py")
    kinds = [type(s.value if isinstance(s, A.Expr) else s).__name__ for s in tree.body]
    assert kinds == ["Invalid"] * 4
    messages = [(s.value if isinstance(s, A.Expr) else s).message for s in tree.body]
    assert messages == ["LHS of keyword arg must be an id", "expecting key:value for dict",
                        "positional arg after keyword arg", "non-default argument follows default argument"]


def test_parse_is_thread_safe():
    from concurrent.futures import ThreadPoolExecutor

    sources = [LINE_PROGRAM + b"v%d = %d\n" % (i, i) for i in range(16)]
    with ThreadPoolExecutor(4) as pool:
        trees = list(pool.map(lambda s: parse(s, "t.py"), sources))
    assert trees == [parse(s, "t.py") for s in sources]


# ---- the table cache ---------------------------------------------------------------

_CACHE_PROBE = (
    "import sys\n"
    "from mpycross.compiler.parser import parse\n"
    "parse(b'x = [i for i in range(3)]\\n', 't.py')\n"
    "print(any(m == 'lark' or m.startswith('lark.') for m in sys.modules))\n"
)


def _run_probe(env):
    import os
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, "-c", _CACHE_PROBE], capture_output=True, text=True,
                          env={**os.environ, **env})
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.strip()


def test_tables_are_cached_and_no_start_imports_lark(tmp_path):
    env = {"MPYCROSS_CACHE_DIR": str(tmp_path / "cache")}
    assert _run_probe(env) == "False"  # a first run reads the package's own tables
    names = sorted(p.name.split("-")[0] for p in (tmp_path / "cache").iterdir())
    # the tables, the default target's data (targets.toml, and the rules of each release derived
    # from it) and the compiled record classes' __init__s
    assert names == ["derived", "records", "tables", "toml"]
    assert _run_probe(env) == "False"  # later runs only read the cache


def test_shipped_tables_are_what_lark_builds_from_the_grammar_now():
    """grammar/micropython.tables.json is fresh: after a grammar edit, run
    `python -m mpycross.compiler.grammar_tables` (the numbering does not depend on the hash seed)."""
    from mpycross.compiler import grammar_tables
    from mpycross.resources import data_path

    grammar = grammar_tables.grammar_text()
    built = grammar_tables.build_tables(grammar, None)
    with open(data_path("grammar", grammar_tables.SHIPPED_FILE), encoding="utf-8") as f:
        assert f.read() == grammar_tables.shipped_text(built, grammar)
    shipped = grammar_tables.shipped_tables(grammar)
    for name in ("format", "start", "end", "states", "reductions", "shapes"):
        assert shipped[name] == built[name], name
    assert all(type(s) is tuple for state in shipped["states"] for s in state)


def test_tables_of_an_edited_grammar_are_built_by_lark(monkeypatch, tmp_path):
    from mpycross.compiler import grammar_tables

    original = grammar_tables.grammar_text()
    edited = original + "\n// edited\n"
    assert grammar_tables.shipped_tables(edited) is None
    monkeypatch.setattr(grammar_tables, "grammar_text", lambda: edited)
    monkeypatch.setattr(grammar_tables, "cache_folder", lambda: str(tmp_path))
    built = []
    real = grammar_tables.build_tables
    monkeypatch.setattr(grammar_tables, "build_tables", lambda g, f: built.append(g) or real(g, f))
    data = grammar_tables.load_tables()
    assert built == [edited]
    # (a comment changes nothing: the same automaton, numbered the same)
    assert data["states"] == grammar_tables.shipped_tables(original)["states"]
    assert {p.name.split("-")[0] for p in tmp_path.iterdir()} == {"lark", "tables"}  # and cached


def test_tables_build_without_any_writable_cache_folder(monkeypatch, tmp_path):
    from mpycross.compiler import grammar_tables

    monkeypatch.setattr(grammar_tables, "cache_folder", lambda: None)
    built = grammar_tables.load_tables()
    assert built["reductions"] and built["states"][built["start"]]
    assert list(tmp_path.iterdir()) == []


def _lark_tree_builder_children(children, how):
    """What Lark's parse-tree builder hands a rule's callback (the generic loop the
    compiled reduction callbacks replace)."""
    include, append_none, _, _ = how
    if include is None:
        return children
    out = None
    for i, splice, add_none in include:
        if add_none:
            out = (out or []) + [None] * add_none
        if splice:
            out = children[i] if out is None else out + children[i]
        else:
            out = (out or []) + [children[i]]
    return out + [None] * append_none


def test_compiled_reduction_callbacks_match_the_generic_tree_builder():
    from mpycross.compiler import grammar_tables
    from mpycross.compiler.lexer import Token

    data = grammar_tables.load_tables()
    factories = grammar_tables.reduction_factories(data)
    assert len(factories) == len(data["shapes"]) > 40

    class Recorder:
        PASS_SINGLE = frozenset(how[3] for _, _, how in data["reductions"])

        def __getattr__(self, name):
            return lambda children: ("called", name, children)

    node = object()
    token = Token("NAME", "x", 1)
    checked = 0
    for size, _, how in data["reductions"]:
        for transformer in (Recorder(), object()):
            callback = grammar_tables.make_callback(size, how, transformer, factories)
            for first in (node, token):
                children = [first] + [[f"h{i}", i] if how[0] and (i, True, 0) in how[0] else f"v{i}"
                                      for i in range(1, size)]
                if how[0] and how[0][0][1]:
                    children[0] = ["head"]  # a spliced helper list first
                expected = _lark_tree_builder_children([list(c) if isinstance(c, list) else c for c in children], how)
                if callback is None:
                    assert size == 1 and how[2]
                    continue
                got = callback(list(children))
                if how[2] and len(expected) == 1:
                    assert got == expected[0]
                elif isinstance(transformer, Recorder):
                    if got is children[0] and first is node and size == 1:
                        assert expected[0] is node and set(expected[1:]) <= {None}  # passed through
                    else:
                        assert got == ("called", how[3], expected)
                else:
                    assert got == expected
                checked += 1
    assert checked > 500


def test_a_file_in_place_of_the_cache_folder_falls_back(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    assert _run_probe({"MPYCROSS_CACHE_DIR": str(blocker / "sub")}) in ("True", "False")


def test_names_up_to_255_bytes():
    tree = parse(b"n" * 255 + b" = 1\n", "t.py")
    assert tree.body[0].targets[0].id == "n" * 255
    with pytest.raises(CompileError) as info:
        parse(b"n" * 256 + b" = 1\n", "t.py")
    assert (info.value.kind, info.value.message, info.value.line) == ("RuntimeError", "name too long", None)


# ---- lines the official compiler records, read back from its .mpy ------------------

TUPLE_LINE_CASES = [
    "x = (\n1,\n\n2)\n", "x = (1,\n\n2,\n\n3)\n", "x = (\n1,\n)\n", "x = (1,\n2,)\n", "x = (\n1\n,\n2)\n",
    "x = (1,\n2\n,\n3\n)\n", "x = ((\n1), 2,\n 3)\n", "x = \\\n1,\\\n2\n", "x = (\n(1, 2),\n\n(3,\n4))\n",
    "x = a[\n1,\n2]\n", "for i in \\\n1, 2: pass\n",
]


def _official_line_table(source: bytes, tmp_path):
    from mpycross.mpy.dis import disassemble
    from mpycross.mpy.reader import read_mpy

    done = compile_official(source)
    assert done.mpy is not None, done.text
    listing = disassemble(read_mpy(done.mpy))
    return listing["raw_code"]["prelude"]["line_info"]


def _outer_tuple(tree):
    stmt = tree.body[0]
    node = stmt.iter if isinstance(stmt, A.For) else stmt.value
    return node.slice if isinstance(node, A.Subscript) else node


@pytest.mark.parametrize("source", TUPLE_LINE_CASES)
def test_constant_tuple_line_matches_official(source, tmp_path):
    # The only line-setting node after the statement is the folded tuple, so
    # the last line the official table reaches is its items_line.
    table = _official_line_table(source.encode(), tmp_path)
    tup = _outer_tuple(parse(source.encode(), "t.py"))
    assert isinstance(tup, A.Tuple)
    assert max(entry["line"] for entry in table) == max(1, tup.items_line)


# ---- constructs the grammar accepts and compile.c rejects ------------------------

PARAMETER_CASES = [
    "def f(**a, b): pass\n", "x = 1\ndef f(**a,\n b=1): pass\n", "def f(*a, *b): pass\n", "def f(*, *b): pass\n",
    "def f(**a, **b): pass\n", "f = lambda **a, b: 0\n", "def f(**k, a=1, b): pass\n", "def f(a=1, **k, b): pass\n",
    "def f(**k,\n *b): pass\n", "def f(**k,\n b: int): pass\n", "class C:\n def f(self, **k, x): pass\n",
    "def g(a=1,\n b): pass\n", "def g(a=1,\n b: int): pass\n", "h = (lambda a=1,\n b: 0)\n",
]


def _official_traceback(source: bytes, tmp_path):
    done = compile_official(source)
    assert done.returncode == 1, done.text
    _, message, line, scope = done.error
    return message, line, scope


def _find_function(body):
    node = body[-1]
    if isinstance(node, A.ClassDef):
        return _find_function(node.body)
    if isinstance(node, A.Assign):
        return node.value
    return node


@pytest.mark.parametrize("source", PARAMETER_CASES)
def test_parameter_errors_are_placed_like_compile_c(source, tmp_path):
    message, line, scope = _official_traceback(source.encode(), tmp_path)
    node = _find_function(parse(source.encode(), "t.py").body)
    if scope in ("<module>", "C"):
        # raised while compiling the enclosing scope: the whole def is Invalid
        invalid = node
        def_line = None
    else:
        # raised in the function's own scope, from its parameters
        assert isinstance(node, (A.FunctionDef, A.Lambda)), node
        invalid = node.args.invalid
        def_line = node.line
    assert isinstance(invalid, A.Invalid)
    assert invalid.message == message
    if invalid.line:
        assert invalid.line == line
    elif def_line is not None:
        assert def_line == line  # a bare name has no line: compile.c reports the scope's


EXPRESSION_CASES = [
    "x = 1\nf(a=1,\n  b.c)\n", "x = 1\nf(a=1,\n  (b))\n", "x = 1\nf(\n**a,\n  *b)\n", "x = 1\nf(\na\n+b=1)\n",
    "x = 1\nd = {\n1: 2,\n3}\n", "x = {\n1,\n2: 3}\n", "f(**a,\n b.c)\n", "f(**a,\n b)\n", "f(a=1,\n *b)\n",
    "f(a=1,\n 2.5)\n", "f(a=1,\n [b])\n",
]


def _invalid_in(node):
    """The first Invalid in the tree (depth first)."""
    import dataclasses

    if isinstance(node, A.Invalid):
        return node
    if isinstance(node, A.Node):
        for f in dataclasses.fields(node):
            found = _invalid_in(getattr(node, f.name))
            if found is not None:
                return found
    if isinstance(node, tuple):
        for item in node:
            found = _invalid_in(item)
            if found is not None:
                return found
    return None


@pytest.mark.parametrize("source", EXPRESSION_CASES)
def test_expression_errors_match_compile_c(source, tmp_path):
    message, line, scope = _official_traceback(source.encode(), tmp_path)
    tree = parse(source.encode(), "t.py")
    invalid = _invalid_in(tree)
    assert invalid is not None and invalid.message == message
    stmt = next(s for s in tree.body if _invalid_in(s) is not None)
    # a struct node reports its own line; a leaf none (compile.c then uses the statement's)
    assert (invalid.line or stmt.line) == line


def test_a_corrupt_table_cache_is_rebuilt(tmp_path):
    env = {"MPYCROSS_CACHE_DIR": str(tmp_path)}
    _run_probe(env)
    for path in tmp_path.iterdir():
        if path.is_file():  # the table caches (toml/ holds the target data)
            path.write_bytes(b"\x80garbage")
    assert _run_probe(env) == "False"  # rebuilt, from the package's own tables
    assert all(path.read_bytes() != b"\x80garbage" for path in tmp_path.iterdir() if path.is_file())
    assert _run_probe(env) == "False"  # and cached again
