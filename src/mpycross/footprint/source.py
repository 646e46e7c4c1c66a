"""How much RAM importing the `.py` needs instead of the `.mpy`: the compiler's peak.

A firmware that imports a `.py` compiles it on the board (py/builtinimport.c
do_load_from_lexer -> py/parse.c -> py/compile.c). The peak is reached at the
end of compiling, when everything below is alive at once:

- the parse tree (py/parse.c): one `mp_parse_node_struct_t` per grammar rule
  that keeps two or more children: a source-line word, a kind word and one
  word per child (identifiers, small ints and short strings are tagged words
  inside their parent, costing nothing of their own);
- the compiler's scopes (py/scope.h `scope_t`: 6 words and 11 16-bit
  fields) and their `id_info_t` tables (2 words per name, grown 4, 10,
  16, ...), and the emitter (py/emitbc.c `emit_t` ~ 12 words);
- all the bytecode and raw code produced so far, including the module body
  and class bodies that a `.mpy` import also holds while it runs;
- the lexer's token buffer and the file reader's buffer.

The parse tree is counted from CPython's `ast` of the source: each statement
or expression node with children stands for one parse node of MicroPython's
grammar, with its children as arguments. Strings and bytes the parser makes
objects of end up as the module's constants either way (and docstrings are
dropped at once), so they are not counted again. MicroPython's grammar collapses
single-child rules the same way `ast` has no nodes for them, so the counts
track each other. The figure is an estimate of the peak, not a measurement:
docs/footprint.md says how it compares with the real VM.
"""

from __future__ import annotations

import ast

from mpycross.footprint.boards import Board

ID_INFO_WORDS = 2      # py/scope.h id_info_t: kind, flags, local_num (4 bytes, padded), qst
SCOPE_ID_INIT = 4      # py/mpconfig.h MICROPY_ALLOC_SCOPE_ID_INIT
SCOPE_ID_INC = 6       # py/mpconfig.h MICROPY_ALLOC_SCOPE_ID_INC
EMIT_WORDS = 12        # py/emitbc.c emit_t
READER_BYTES = 32      # py/reader.c: the file reader's buffer and state
LEXER_WORDS = 24       # py/lexer.h mp_lexer_t

_SCOPES = (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda,
           ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)
_LEAVES = (ast.Name, ast.Constant, ast.expr_context, ast.operator, ast.unaryop, ast.cmpop,
           ast.boolop, ast.alias, ast.arg)


def _children(node: ast.AST) -> list[ast.AST]:
    return [c for c in ast.iter_child_nodes(node)
            if not isinstance(c, (ast.expr_context, ast.operator, ast.unaryop, ast.cmpop, ast.boolop))]


def _is_lonely_constant(node: ast.AST) -> bool:
    # py/parse.c: without MICROPY_ENABLE_DOC_STRING a statement that is only a
    # constant (a docstring) becomes `pass` as soon as it is parsed
    return isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)


def parse_tree_bytes(tree: ast.AST, board: Board) -> int:
    """Bytes of MicroPython's parse tree for this source (estimate)."""
    total = 0
    for node in ast.walk(tree):
        if isinstance(node, _LEAVES) or isinstance(node, ast.Module) or _is_lonely_constant(node):
            continue
        kids = _children(node)
        if not kids:
            continue
        # py/parse.h mp_parse_node_struct_t: source_line and kind_and_n_args (two
        # 32-bit fields) then one word per argument; py/parse.c packs the nodes
        # into chunks, so there is no per-node block rounding
        total += 8 + len(kids) * board.word_bytes
    return total


def compiler_bytes(tree: ast.AST, board: Board) -> int:
    """Scopes, name tables and emitter state of the compiler (estimate)."""
    total = board.words(EMIT_WORDS) + board.words(LEXER_WORDS) + READER_BYTES
    for node in ast.walk(tree):
        if isinstance(node, _SCOPES):
            names = {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                names |= {a.arg for a in ast.walk(node.args) if isinstance(a, ast.arg)}
            ids = SCOPE_ID_INIT
            while ids < len(names):
                ids += SCOPE_ID_INC
            total += board.alloc(6 * board.word_bytes + 24) + board.words(ID_INFO_WORDS * ids)
    return total


def source_load_peak(source: bytes, mpy_peak: int, board: Board) -> int | None:
    """RAM to import the `.py`: the `.mpy` import's peak plus what compiling adds.

    None when CPython cannot parse the source (MicroPython-only syntax).
    """
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return None
    longest_token = max((len(str(n.value)) for n in ast.walk(tree)
                         if isinstance(n, ast.Constant) and isinstance(n.value, (str, bytes))), default=16)
    lexer = board.alloc(longest_token + 1)
    return mpy_peak + parse_tree_bytes(tree, board) + compiler_bytes(tree, board) + lexer
