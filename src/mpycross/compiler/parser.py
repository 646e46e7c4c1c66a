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

The LALR tables come from `grammar_tables` (built by Lark, cached); the
shift/reduce loop is here.  Only the read-only tables are shared, so parse()
is thread-safe.
"""

from __future__ import annotations

import _thread
import functools
import re

from ..errors import CompileError
from . import astnodes
from .grammar_tables import load_tables, make_callback, reduction_factories
from .lexer import Lexer, LexerAbort
from .parsenum import parse_decimal, parse_integer
from .tree_to_ast import TreeToAst


class _ParseAbort(Exception):
    """An error with its own kind, message and line (a bad number literal)."""

    def __init__(self, kind: str, message: str, line: int | None):
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.line = line


class _Unexpected(Exception):
    """The grammar cannot take this token."""

    def __init__(self, token):
        super().__init__(token.type)
        self.token = token


# the tokens a decorator's '@' follows
_STATEMENT_START = (None, "NEWLINE", "INDENT", "DEDENT")

# statement nodes: what a failed parse has completed before its error
_STATEMENTS = (
    astnodes.FunctionDef, astnodes.AsyncFunctionDef, astnodes.ClassDef, astnodes.Return, astnodes.Delete,
    astnodes.Assign, astnodes.AugAssign, astnodes.AnnAssign, astnodes.For, astnodes.AsyncFor,
    astnodes.While, astnodes.If, astnodes.With, astnodes.AsyncWith, astnodes.Raise, astnodes.Try,
    astnodes.Assert, astnodes.Import, astnodes.ImportFrom, astnodes.Global, astnodes.Nonlocal,
    astnodes.Expr, astnodes.Pass, astnodes.Break, astnodes.Continue,
)


def _statements_in(values, out: list) -> list:
    """The statement nodes among the parser's values (lists of them included), in source order."""
    for value in values:
        if isinstance(value, (list, tuple)):  # tuple: an elif clause (line, test, body)
            _statements_in(value, out)
        elif isinstance(value, astnodes.ExceptHandler):
            _statements_in(value.body, out)
        elif isinstance(value, _STATEMENTS):
            out.append(value)
    return out


_prefixed_integer = re.compile(rb"0(?:[xX][0-9a-fA-F]+|[oO][0-7]+|[bB][01]+)\Z").match


def parse_number(kind: str, text: bytes, line: int, syntax):
    try:
        if kind == "INTEGER":
            # most are plain decimal digits without a leading zero: their value is int()'s
            # (bytes.isdigit is ASCII only; long ones are left to the chunked reader)
            if len(text) < 100:
                if text.isdigit():
                    if text[0] != 0x30 or len(text) == 1:
                        return int(text)
                elif _prefixed_integer(text) is not None:  # 0x.., 0o.., 0b.. (int() reads the prefix)
                    return int(text, 0)
            return parse_integer(text, syntax.reject_leading_zero_int)
        return parse_decimal(text, syntax.read_float)
    except ValueError as exc:
        raise _ParseAbort("SyntaxError", str(exc), line) from None


def _check_name_length(name: str) -> None:
    """py/qstr.c: a name is interned when the parser takes it; 255 bytes at most."""
    if len(name.encode("utf-8", "surrogateescape")) > 255:
        raise _ParseAbort("RuntimeError", "name too long", None)


# tokens checked as the parser takes them (number values, name lengths)
_CHECKED_WHEN_TAKEN = frozenset({"NAME", "INTEGER", "FLOAT_OR_IMAG"})
_MATMUL_TOKENS = frozenset({"OP_AT", "DEL_AT_EQUAL"})
# before 1.13 the grammar has no annotated assignment: py/parse.c stops at its ':'
_ANNOTATION_COLON = frozenset({"DEL_COLON"})


class _Rows(dict):
    """state -> {symbol: action}, each made from the flattened tables when first asked for
    (a short file meets a fraction of the states; made twice at worst, the same both times,
    so threads may share it)."""

    def __init__(self, states: list):
        super().__init__()
        self.flat = states

    def __missing__(self, state: int) -> dict:
        symbols, actions = self.flat[state]
        row = self[state] = dict(zip(symbols, actions))
        return row


class _Reductions(dict):
    """reduce action -> (size, rule, callback), the callback made when first needed."""

    def __init__(self, reductions: list, transformer, factories: dict):
        super().__init__()
        self.flat = reductions
        self.transformer = transformer
        self.factories = factories

    def __missing__(self, action: int) -> tuple:
        size, origin, how = self.flat[-1 - action]
        entry = self[action] = (size, origin, make_callback(size, how, self.transformer, self.factories))
        return entry


class _Tables:
    """The flattened LALR tables (see grammar_tables) with their callbacks bound."""

    def __init__(self, data: dict, transformer):
        self.start = data["start"]
        self.end = data["end"]
        self.states = _Rows(data["states"])
        # indexed by the action itself: a reduce action -1 - r is reduction r
        self.by_action = _Reductions(data["reductions"], transformer, reduction_factories(data))
        # (state below, rule, lookahead) -> state after all the unit reductions
        # that follow; filled as met (deterministic, so sharing is safe)
        self.unit_chains = {}

    @functools.cached_property
    def reductions(self) -> list:
        """Every reduction's (size, rule, callback), in the tables' order."""
        return [self.by_action[-1 - r] for r in range(len(self.by_action.flat))]

    def _unit_chain(self, below: int, origin: str, kind: str) -> int:
        states = self.states
        goto = states[below][origin]
        while True:
            action = states[goto].get(kind)
            if action is None or action >= 0:
                return goto
            _, origin, callback = self.by_action[action]
            if callback is not None:
                return goto
            goto = states[below][origin]

    def completed_statements(self, state_stack: list, value_stack: list) -> tuple:
        """The statements a parse that stopped here has completed, in source order.

        MicroPython's parser (LL, py/parse.c) ends a rule at the first token
        that cannot continue it, so a statement followed by the error token is
        complete: it is reduced here as if a NEWLINE came next."""
        states = self.states
        state_stack = list(state_stack)
        value_stack = list(value_stack)
        try:
            while True:
                action = states[state_stack[-1]].get("NEWLINE")
                if action is None or action >= 0:
                    break
                size, origin, callback = self.by_action[action]
                children = value_stack[len(value_stack) - size:]
                del state_stack[len(state_stack) - size:]
                del value_stack[len(value_stack) - size:]
                value_stack.append(children[0] if callback is None else callback(children))
                state_stack.append(states[state_stack[-1]][origin])
        except (_ParseAbort, LexerAbort):
            pass  # the statement is not one MicroPython would have completed
        return tuple(_statements_in(value_stack, []))

    def run(self, lexer: Lexer, stacks: list | None = None):
        """Parse the lexer's tokens into a Module.

        `stacks`: a list that receives the state and value stacks (left as they
        are when an error stops the parse)."""
        states = self.states
        by_action = self.by_action
        unit_chains = self.unit_chains
        end = self.end
        syntax = lexer.syntax
        state_stack = [self.start]
        value_stack = []
        if stacks is not None:
            stacks[:] = [state_stack, value_stack]
        # before 1.12 '@' is a decorator's only: other uses are rejected where they are met
        checked = _CHECKED_WHEN_TAKEN if syntax.matmul_operator else _CHECKED_WHEN_TAKEN | _MATMUL_TOKENS
        if not syntax.variable_annotations:
            checked = checked | _ANNOTATION_COLON
        tok = lexer.next_token()
        next_token = lexer.next_token  # (a lexer's plain reader once the first token is out)
        pending = lexer.pending  # the tokens it has read ahead, the next one last
        prev_kind = None
        row = states[self.start]  # the actions of the state on top of state_stack
        while True:
            kind = tok.type
            while True:
                action = row.get(kind)
                if action is None:
                    raise _Unexpected(tok)
                if action >= 0:  # shift
                    if kind in checked:
                        if kind == "NAME":
                            if len(tok.value) >= 64:
                                _check_name_length(tok.value)
                        elif kind in _MATMUL_TOKENS:
                            if kind == "DEL_AT_EQUAL" or prev_kind not in _STATEMENT_START:
                                raise _Unexpected(tok)
                        elif kind == "DEL_COLON":
                            # the state after an expression statement's targets is the
                            # one that has a goto on `annassign`
                            if "annassign" in row:
                                raise _Unexpected(tok)
                        else:  # parse.c push_result_token: a number is converted when taken
                            tok.value = parse_number(kind, tok.value, tok.line, syntax)
                    state_stack.append(action)
                    value_stack.append(tok)
                    row = states[action]
                    break
                size, origin, callback = by_action[action]
                if callback is None:
                    # unit reduction (atom -> ... -> or_test -> test): keep the
                    # value; a whole chain of them is looked up at once
                    key = (state_stack[-2], origin, kind)
                    goto = unit_chains.get(key)
                    if goto is None:
                        goto = unit_chains[key] = self._unit_chain(*key)
                    state_stack[-1] = goto
                    row = states[goto]
                    continue
                # (each branch below looks its goto up itself: a helper function would cost a
                # call per reduction in the parser's hottest loop)
                if size == 1:  # the most common size: the value is replaced in place
                    try:
                        value_stack[-1] = callback([value_stack[-1]])
                    except BaseException:
                        # the stacks as the general way leaves them (completed_statements)
                        del state_stack[-1], value_stack[-1]
                        raise
                    key = (state_stack[-2], origin, kind)
                    goto = unit_chains.get(key)
                    if goto is None:
                        goto = unit_chains[key] = self._unit_chain(*key)
                    state_stack[-1] = goto
                elif size == 2:  # the next most common: one value popped, one replaced
                    last = value_stack.pop()
                    del state_stack[-1]
                    try:
                        value_stack[-1] = callback([value_stack[-1], last])
                    except BaseException:
                        del state_stack[-1], value_stack[-1]
                        raise
                    key = (state_stack[-2], origin, kind)
                    goto = unit_chains.get(key)
                    if goto is None:
                        goto = unit_chains[key] = self._unit_chain(*key)
                    state_stack[-1] = goto
                else:
                    if size:
                        children = value_stack[-size:]
                        del state_stack[-size:]
                        del value_stack[-size:]
                    else:
                        children = []
                    value_stack.append(callback(children))
                    # the goto, and any unit reductions after it, in one lookup
                    key = (state_stack[-1], origin, kind)
                    goto = unit_chains.get(key)
                    if goto is None:
                        goto = unit_chains[key] = self._unit_chain(*key)
                    state_stack.append(goto)
                row = states[goto]
                if goto == end and kind == "END":
                    return value_stack[-1]
            prev_kind = kind
            tok = pending.pop() if pending else next_token()


_lock = _thread.allocate_lock()
_tables: dict[tuple, _Tables] = {}


def get_parser(syntax) -> _Tables:
    """The LALR tables with the callbacks of the target's grammar rules (`plan.Syntax`);
    loaded once per process, from the cache when possible."""
    key = tuple(getattr(syntax, name) for name in TreeToAst.GRAMMAR_RULES)
    tables = _tables.get(key)
    if tables is None:
        with _lock:
            tables = _tables.get(key)
            if tables is None:
                tables = _tables[key] = _Tables(load_tables(), TreeToAst(syntax))
    return tables


_ERROR_MESSAGES = {
    "INDENT": ("IndentationError", "unexpected indent"),
    "DEDENT_MISMATCH": ("IndentationError", "unindent doesn't match any outer indent level"),
    "DEDENT_MISMATCH_OLD": ("IndentationError", "unindent does not match any outer indentation level"),
    "MALFORMED_FSTRING": ("SyntaxError", "malformed f-string"),
    # the lexer's token for rf"..." before 1.24 (mp-v1.23.0/py/lexer.c MP_TOKEN_FSTRING_RAW)
    "FSTRING_RAW": ("SyntaxError", "raw f-strings are not supported"),
}


def _to_bytes(source: str | bytes) -> bytes:
    """The bytes MicroPython would read (str: its UTF-8, keeping escaped or lone surrogates)."""
    if isinstance(source, str):
        try:
            return source.encode("utf-8", "surrogateescape")
        except UnicodeEncodeError:
            return source.encode("utf-8", "surrogatepass")
    return bytes(source)


def parse(source: str | bytes, filename: str = "<stdin>", syntax=None, tokens: list | None = None
          ) -> astnodes.Module:
    """Parse MicroPython source into an AST, or raise CompileError as MicroPython would.

    `syntax`: what the target accepts (`plan.Syntax`; default: the default target's);
    `tokens`: a list that receives every token read, in order (the one lexing pass
    also numbers qstrs for .mpy v2-v4, raw_qstr_ids.py)."""
    if syntax is None:
        syntax = default_syntax()
    tables = get_parser(syntax)
    lexer = Lexer(_to_bytes(source), syntax)
    if tokens is not None:
        lexer = _Recording(lexer, tokens)
    stacks: list = []
    try:
        module = tables.run(lexer, stacks)
        if module.line == 0:
            # Only END (after line continuations): py/parse.c still makes a file_input node
            # on END's line, and compiling it sets that line, as a pass statement there does.
            end_line = lexer.line
            module = astnodes.Module((astnodes.Pass(line=end_line),) if end_line > 1 else (), line=1)
        return module
    except _Unexpected as exc:
        token = exc.token
        kind, message = _ERROR_MESSAGES.get(token.type, ("SyntaxError", "invalid syntax"))
        error = CompileError(message, filename, token.line, kind=kind)
    except (_ParseAbort, LexerAbort) as exc:
        error = CompileError(exc.message, filename, exc.line, kind=exc.kind)
    raise ParseError(error, tables.completed_statements(*stacks)) from None


class _Recording:
    """A lexer that also keeps every token it hands out."""

    def __init__(self, lexer: Lexer, tokens: list):
        self.syntax = lexer.syntax
        self._lexer = lexer
        self._tokens = tokens
        self.pending = []  # (it hands out the lexer's read-ahead one at a time)

    @property
    def line(self) -> int:
        return self._lexer.line

    def next_token(self):
        tok = self._lexer.next_token()
        self._tokens.append(tok)
        return tok


def default_syntax():
    """The default target's syntax (plan.default_syntax)."""
    from .plan import default_syntax as default

    return default()


class ParseError(CompileError):
    """A parse error, with the statements parsed before it (`completed`).

    MicroPython checks `const()` as each statement is reduced (py/parse.c), so
    a const() error in `completed` is reported instead (fold.check_completed)."""

    def __init__(self, error: CompileError, completed: tuple):
        super().__init__(error.message, error.filename, error.line, kind=error.kind, scope=error.scope)
        self.completed = completed
