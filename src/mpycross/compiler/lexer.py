"""MicroPython's tokeniser: source bytes -> tokens with line numbers.

A re-implementation of `py/lexer.c` (MicroPython 1.29) with the same
semantics, because the bytes the compiler emits depend on them:

* the input is a byte stream; `\\r\\n` and `\\r` read as `\\n`, a NUL byte is an
  invalid character, a final newline is added if missing;
* any byte >= 0x80 may appear in an identifier (so a UTF-8 BOM is part of
  the first name, and invalid UTF-8 goes through untouched);
* NEWLINE / INDENT / DEDENT are produced here, with MicroPython's lines: a
  NEWLINE carries the line where the logical line ended, INDENT / DEDENT the
  line of the next token;
* adjacent string literals are joined here (str with str, bytes with bytes);
* f-strings are rewritten to `"...".format(...)` and t-strings to
  `__template__(...)` by injecting text back into the character stream,
  exactly as `lexer.c` does;
* number tokens keep MicroPython's raw text (underscores dropped, `E` read
  as `e`); their value is computed by `parse_number` when the parser takes
  them, as `py/parse.c` does.

Token kinds are MicroPython's names (`NAME`, `KW_IF`, `DEL_PAREN_OPEN`, ...).
Problem tokens (`INVALID`, `LONELY_STRING_OPEN`, `DEDENT_MISMATCH`,
`MALFORMED_FSTRING`) are ordinary tokens that no grammar rule accepts, so the
parser reports them where MicroPython does.
"""

from __future__ import annotations

import itertools
import re
import sys
from mpycross.records import dataclass

from .mpzheap import HEAP_BLOCKS

# py/gc.c allocates in blocks of this many bytes
HEAP_BLOCK = 32

# Keywords, in lexer.c's table order.  `__debug__` reads as True (optimisation
# level 0, as mpy-cross runs by default).
KEYWORDS = {
    "False": "KW_FALSE", "None": "KW_NONE", "True": "KW_TRUE", "__debug__": "KW_TRUE",
    "and": "KW_AND", "as": "KW_AS", "assert": "KW_ASSERT", "async": "KW_ASYNC",
    "await": "KW_AWAIT", "break": "KW_BREAK", "class": "KW_CLASS",
    "continue": "KW_CONTINUE", "def": "KW_DEF", "del": "KW_DEL", "elif": "KW_ELIF",
    "else": "KW_ELSE", "except": "KW_EXCEPT", "finally": "KW_FINALLY", "for": "KW_FOR",
    "from": "KW_FROM", "global": "KW_GLOBAL", "if": "KW_IF", "import": "KW_IMPORT",
    "in": "KW_IN", "is": "KW_IS", "lambda": "KW_LAMBDA", "nonlocal": "KW_NONLOCAL",
    "not": "KW_NOT", "or": "KW_OR", "pass": "KW_PASS", "raise": "KW_RAISE",
    "return": "KW_RETURN", "try": "KW_TRY", "while": "KW_WHILE", "with": "KW_WITH",
    "yield": "KW_YIELD",
}
KEYWORDS_B = {k.encode(): v for k, v in KEYWORDS.items()}

# Operators and delimiters, longest first (lexer.c's tok_enc table).
OPERATORS = [
    (b"**=", "DEL_DBL_STAR_EQUAL"), (b"//=", "DEL_DBL_SLASH_EQUAL"),
    (b"<<=", "DEL_DBL_LESS_EQUAL"), (b">>=", "DEL_DBL_MORE_EQUAL"),
    (b"...", "ELLIPSIS"),
    (b"**", "OP_DBL_STAR"), (b"//", "OP_DBL_SLASH"), (b"<<", "OP_DBL_LESS"),
    (b">>", "OP_DBL_MORE"), (b"<=", "OP_LESS_EQUAL"), (b">=", "OP_MORE_EQUAL"),
    (b"==", "OP_DBL_EQUAL"), (b"!=", "OP_NOT_EQUAL"), (b"->", "DEL_MINUS_MORE"),
    (b":=", "OP_ASSIGN"), (b"+=", "DEL_PLUS_EQUAL"), (b"-=", "DEL_MINUS_EQUAL"),
    (b"*=", "DEL_STAR_EQUAL"), (b"/=", "DEL_SLASH_EQUAL"), (b"%=", "DEL_PERCENT_EQUAL"),
    (b"&=", "DEL_AMPERSAND_EQUAL"), (b"|=", "DEL_PIPE_EQUAL"), (b"^=", "DEL_CARET_EQUAL"),
    (b"@=", "DEL_AT_EQUAL"),
    (b"(", "DEL_PAREN_OPEN"), (b")", "DEL_PAREN_CLOSE"), (b"[", "DEL_BRACKET_OPEN"),
    (b"]", "DEL_BRACKET_CLOSE"), (b"{", "DEL_BRACE_OPEN"), (b"}", "DEL_BRACE_CLOSE"),
    (b",", "DEL_COMMA"), (b";", "DEL_SEMICOLON"), (b"~", "OP_TILDE"), (b":", "DEL_COLON"),
    (b"<", "OP_LESS"), (b">", "OP_MORE"), (b"*", "OP_STAR"), (b"+", "OP_PLUS"),
    (b"-", "OP_MINUS"), (b"&", "OP_AMPERSAND"), (b"|", "OP_PIPE"), (b"/", "OP_SLASH"),
    (b"%", "OP_PERCENT"), (b"^", "OP_CARET"), (b"@", "OP_AT"), (b"=", "DEL_EQUAL"),
    (b".", "DEL_PERIOD"),
]
# first byte -> candidates in longest-first order
_OPS_BY_FIRST: dict[int, list[tuple[bytes, str]]] = {}
for _text, _kind in OPERATORS:
    _OPS_BY_FIRST.setdefault(_text[0], []).append((_text, _kind))

# bytes that always make a one-character token
_SINGLE_OPS = {ord(t): k for t, k in [("(", "DEL_PAREN_OPEN"), (")", "DEL_PAREN_CLOSE"),
                                      ("[", "DEL_BRACKET_OPEN"), ("]", "DEL_BRACKET_CLOSE"),
                                      ("{", "DEL_BRACE_OPEN"), ("}", "DEL_BRACE_CLOSE"),
                                      (",", "DEL_COMMA"), (";", "DEL_SEMICOLON"), ("~", "OP_TILDE")]}
_OPENERS = {"DEL_PAREN_OPEN", "DEL_BRACKET_OPEN", "DEL_BRACE_OPEN"}
_CLOSERS = {"DEL_PAREN_CLOSE", "DEL_BRACKET_CLOSE", "DEL_BRACE_CLOSE"}

# unicode.c: ASCII-only character classes
_SPACE = frozenset(b" \t\n\v\f\r")
# an integer that Lexer._number's loop would end where it ends (no letter, digit, '.' or '_'
# follows: those join on or make it a float), so its text is the token's as it stands
_plain_number = re.compile(rb"(?:0[xX][0-9a-fA-F]+|[1-9][0-9]*|0)(?![0-9A-Za-z._])").match
_ALPHA = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
_DIGIT = frozenset(b"0123456789")
_XDIGIT = frozenset(b"0123456789abcdefABCDEF")
_IDENT_HEAD = frozenset(set(_ALPHA) | {ord("_")} | set(range(0x80, 0x100)))
_IDENT_TAIL = frozenset(_IDENT_HEAD | _DIGIT)
_QUOTES = frozenset(b"'\"")

_SIMPLE_ESCAPES = {
    ord("\\"): 0x5C, ord("'"): 0x27, ord('"'): 0x22, ord("a"): 0x07, ord("b"): 0x08,
    ord("t"): 0x09, ord("n"): 0x0A, ord("v"): 0x0B, ord("f"): 0x0C, ord("r"): 0x0D,
}

TAB_SIZE = 8

# Fast paths (same character classes as above)
_NAME_RE = re.compile(rb"[A-Za-z_\x80-\xff][A-Za-z0-9_\x80-\xff]*")
_BLANKS_RE = re.compile(rb"[ \t\v\f\r]*")
# the characters an f-string field's text is scanned for: brackets, ':', '!', newline
_FIELD_SPECIAL_RE = re.compile(rb"[\[\]{}:!\n]")
_STRING_PREFIX_START = frozenset(b"'\"rubft")
# a string with no prefix may be read in one step (see Lexer._string) when one of these
# follows it: nothing can then join another literal to it
_ONE_STEP_QUOTES = frozenset(b"'\"")
_AFTER_PLAIN_STRING = frozenset(b"),:]}.%")
_WS_START = frozenset(b" \t\v\f\r\n#\\")


# The common tokens, a line's run of them at a time (see Lexer._next_token): blanks, then
# names that are not a string's prefix, brackets, operators and plain decimal integers;
# anything else (newlines, comments, strings, other numbers, '!', an f-string's '{'...)
# ends the run and goes the general way. The lookaheads refuse a shorter match where
# the general way reads on.
# token text -> (kind, value), for the run's tokens other than names and integers
_FAST_TEXTS = {text: (kind, text.decode()) for text, kind in OPERATORS}
_FAST_TEXTS.update((text, (kind, text.decode())) for text, kind in KEYWORDS_B.items())
_FAST_MATCHERS: dict = {}
# how a token of the run changes the bracket level
_BRACKET_DEPTH = {b"(": 1, b"[": 1, b"{": 1, b")": -1, b"]": -1, b"}": -1}
_ZEROS = itertools.repeat(0)


# after a newline: the next line's indentation, when it is spaces and then its text
_INDENT_MATCH = re.compile(rb" *(?=[^ \t\v\f\n#\\])").match


def _operators_pattern(walrus: bool, checked: bool) -> bytes:
    """The operators and brackets as a regex that reads the longest one, as the order of
    OPERATORS does (with `:=` where the target has it), in few branches: quick to compile
    and to match; `checked`: a '.' before a digit (a float) is refused."""
    dot = rb"\.(?![0-9])|" if checked else b""
    return (rb"\*\*=?|//=?|<<=?|>>=?|\.\.\.|" + dot + rb"->|[-+*/%&|^@<>=!" + (b":" if walrus else b"")
            + rb"]=|[-+*/%&|^@<>=:(){}\[\],;~" + (b"" if checked else b".") + b"]")


def _fast_matcher(walrus: bool):
    """The common tokens (with `:=` where the target has it): the `match` of a run of
    them, the `findall` of the texts of a run's tokens; and the `match` of the
    indentation after a newline."""
    found = _FAST_MATCHERS.get(walrus)
    if found is None:
        # possessive where the re module has it (3.11): the same match, since nothing
        # follows the repetition, but without a backtracking frame kept per token
        run = re.compile(
            rb"(?:[ \t\v\f]*(?:[A-Za-z_\x80-\xff][A-Za-z0-9_\x80-\xff]*(?![A-Za-z0-9_\x80-\xff'\"])"
            rb"|" + _operators_pattern(walrus, True) + rb"|(?:0[xX][0-9a-fA-F]+|[0-9]+)(?![0-9A-Za-z_.])))+"
            + (b"+" if sys.version_info >= (3, 11) else b""))
        # within a run the lookaheads have passed: each token is the longest match
        texts = re.compile(rb"[ \t\v\f]*([A-Za-z_\x80-\xff][A-Za-z0-9_\x80-\xff]*|"
                           + _operators_pattern(walrus, False) + rb"|0[xX][0-9a-fA-F]+|[0-9]+)")
        found = _FAST_MATCHERS[walrus] = run.match, texts.findall, _INDENT_MATCH
    return found


@dataclass(slots=True)
class Token:
    """One token: MicroPython kind, value, line (and column, for tests)."""

    type: str
    value: object  # str for names, bytes for number text, str/bytes for literals
    line: int
    column: int = 0

    def __repr__(self) -> str:
        return f"Token({self.type}, {self.value!r}, line={self.line})"


# Calling a class runs its __init__ through a slow generic call; the lexer's tokens are
# made with object.__new__ and their fields stored directly (twice as fast)
_new = object.__new__


def _token(kind: str, value, line: int, column: int) -> Token:
    """Token(kind, value, line, column), made the fast way."""
    tok = _new(Token)
    tok.type = kind
    tok.value = value
    tok.line = line
    tok.column = column
    return tok


class LexerAbort(Exception):
    """An error lexer.c raises directly (not via an invalid token)."""

    def __init__(self, kind: str, message: str, line: int | None):
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.line = line


def normalise_source(source: bytes) -> bytes:
    """Apply lexer.c's reader conversions: CR/CRLF -> LF, NUL -> 0x01, final LF."""
    if b"\r" in source:
        source = source.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    if b"\0" in source:
        source = source.replace(b"\0", b"\x01")
    if source and not source.endswith(b"\n"):
        source += b"\n"
    return source


_PLAIN_RUNS: dict = {}


def _plain_run(quote: int, is_fstring: bool, one_quote: bool):
    """`match` of a regex for a run of string text that needs no special handling."""
    key = (quote, is_fstring, one_quote)
    found = _PLAIN_RUNS.get(key)
    if found is None:
        stops = bytes((quote, 0x5C)) + (b"{" if is_fstring else b"") + (b"\n" if one_quote else b"")
        found = _PLAIN_RUNS[key] = re.compile(b"[^" + re.escape(stops) + b"]+").match
    return found


class Lexer:
    """Produces MicroPython tokens one at a time (`next_token`).

    `syntax` (plan.Syntax) says what the target's lexer accepts."""

    def __init__(self, source: bytes, syntax):
        self.syntax = syntax
        self.src = normalise_source(source)
        self.pos = 0
        self.line = 1
        self.line_start = 0  # index in src of the first char of the current line
        # columns of the current line's text that was cut from src (see _inject)
        self.column_base = 0
        self.indent_levels = [0]
        self.emit_dent = 0
        self.nested_bracket_level = 0
        self.first = True
        # end (in src) of the f-string arguments being injected, None when not injecting;
        # only used to reproduce the nesting of releases before 1.28 (see _string)
        self.inject_end: int | None = None
        # length of the official's injection buffer: what it injected since it last emptied
        self.inject_held = 0
        # tokens read ahead (a run of common tokens), the next one last: the parser pops
        # them itself and calls `next_token` only when this is empty
        self.pending: list[Token] = []
        self._run, self._run_texts, self._fast_indent = _fast_matcher(syntax.assignment_expression)

    # ---- character helpers -------------------------------------------------

    def _ch(self, offset: int = 0) -> int:
        p = self.pos + offset
        return self.src[p] if p < len(self.src) else -1

    def _advance(self) -> None:
        if self.src[self.pos] == 0x0A:
            self.line += 1
            self.line_start = self.pos + 1
            self.column_base = 0
        self.pos += 1

    def _column(self) -> int:
        """1-based column of the current char, tabs to multiples of 8 (lexer.c next_char)."""
        if self.src.find(b"\t", self.line_start, self.pos) < 0:
            return self.column_base + self.pos - self.line_start + 1  # no tab: one column per byte
        col = self.column_base + 1
        for c in self.src[self.line_start:self.pos]:
            if c == 0x09:
                col = ((col - 1 + TAB_SIZE) // TAB_SIZE) * TAB_SIZE + 1
            else:
                col += 1
        return col

    def _skip_whitespace(self, stop_at_newline: bool) -> bool:
        """lexer.c skip_whitespace: returns whether it stopped at a newline."""
        src = self.src
        n = len(src)
        blanks = _BLANKS_RE.match
        while True:
            self.pos = pos = blanks(src, self.pos).end()
            if pos >= n:
                return False
            c = src[pos]
            if c == 0x0A:
                if stop_at_newline and self.nested_bracket_level == 0:
                    return True
                self._advance()
            elif c == 0x23:  # '#': comment to end of line
                end = src.find(b"\n", pos)
                self.pos = n if end < 0 else end
            elif c == 0x5C and pos + 1 < n and src[pos + 1] == 0x0A:  # line continuation
                self.pos = pos + 1
                self._advance()
            else:
                return False

    # ---- tokens ------------------------------------------------------------

    def tokens(self):
        """Yield tokens until and including END."""
        while True:
            tok = self.next_token()
            yield tok
            if tok.type == "END":
                return

    def next_token(self) -> Token:
        tok = self._next_token()
        if self.first:
            # lexer.c mp_lexer_new: the first token must be in column 1
            self.first = False
            if tok.column != 1 and tok.type != "NEWLINE":
                tok.type = "INDENT"
            # later tokens need no check: `lexer.next_token` is then the plain reader
            self.next_token = self._next_token
        return tok

    def _next_token(self) -> Token:
        if self.pending:
            return self.pending.pop()
        src = self.src
        pos = self.pos
        if not self.emit_dent and not self.first:
            # the rest of the line's common tokens at once (they all share its line):
            # the run's end, then the texts of its tokens
            m = self._run(src, pos)
            if m is not None:
                self.pos = end = m.end()
                line = self.line
                texts = self._run_texts(src, pos, end)
                fixed = _FAST_TEXTS.get
                pending = self.pending
                append = pending.append
                for text in reversed(texts):
                    tok = _new(Token)
                    kind_value = fixed(text)
                    if kind_value is not None:
                        tok.type, tok.value = kind_value
                    elif text[0] < 0x40:  # a digit
                        tok.type = "INTEGER"
                        tok.value = text
                    else:
                        tok.type = "NAME"
                        tok.value = text.decode("utf-8", "surrogateescape")
                    tok.line = line
                    tok.column = 0
                    append(tok)
                self.nested_bracket_level += sum(map(_BRACKET_DEPTH.get, texts, _ZEROS))
                return pending.pop()
            if pos < len(src) and src[pos] == 0x0A and not self.nested_bracket_level:
                # a line's end, and the next line starts with spaces and then its text
                m = self._fast_indent(src, pos + 1)
                if m is not None:
                    line = self.line
                    column = self._column()
                    self.line = line + 1
                    self.line_start = pos + 1
                    self.column_base = 0
                    self.pos = end = m.end()
                    num_spaces = end - pos - 1
                    if not self.syntax.newline_token_position:  # (see below)
                        line, column = line + 1, num_spaces + 1
                    if num_spaces == self.indent_levels[-1]:
                        return _token("NEWLINE", None, line, column)  # (no INDENT / DEDENT)
                    return self._newline(line, column, num_spaces)
        if pos < len(src) and src[pos] not in _WS_START:
            had_newline = False  # the common case: the next token follows at once
        elif pos + 1 < len(src) and src[pos] == 0x20 and src[pos + 1] not in _WS_START:
            # the next most common: one space, then the token
            self.pos = pos + 1
            had_newline = False
        else:
            had_newline = self._skip_whitespace(True)
        line = self.line
        column = self._column() if (self.first or had_newline) else 0

        if self.emit_dent < 0:
            self.emit_dent += 1
            return _token("DEDENT", None, line, column)
        if self.emit_dent > 0:
            self.emit_dent -= 1
            return _token("INDENT", None, line, column)
        if had_newline:
            self._skip_whitespace(False)
            if not self.syntax.newline_token_position:
                # before 1.22 a NEWLINE is where the next line's text starts, not where
                # the line ends (commit c85db05244), which moves some error lines down
                line = self.line
                column = self._column()
            return self._newline(line, column, self._column() - 1)

        pos = self.pos
        if pos >= len(src):
            return _token("END", None, line, column)
        c = src[pos]
        kind = _SINGLE_OPS.get(c)
        if kind is not None:  # fast path: ( ) [ ] { } , ; ~
            self.pos = pos + 1
            if kind in _OPENERS:
                self.nested_bracket_level += 1
            elif kind in _CLOSERS:
                self.nested_bracket_level -= 1
            return _token(kind, chr(c), line, column)
        if c in _STRING_PREFIX_START and self._is_string_start():
            return self._string(line, column)
        if c in _IDENT_HEAD:
            self.pos = end = _NAME_RE.match(src, pos).end()
            text = src[pos:end]
            kw = KEYWORDS_B.get(text)
            if kw is not None:
                return _token(kw, text.decode(), line, column)
            return _token("NAME", text.decode("utf-8", "surrogateescape"), line, column)
        if c in _DIGIT or (c == 0x2E and self._ch(1) in _DIGIT):
            return self._number(line, column)
        return self._operator(line, column)

    def _newline(self, line: int, column: int, num_spaces: int) -> Token:
        """The NEWLINE token before a line indented by `num_spaces` columns (and the
        INDENT / DEDENTs it makes pending)."""
        kind = "NEWLINE"
        top = self.indent_levels[-1]
        if num_spaces > top:
            self.indent_levels.append(num_spaces)
            self.emit_dent += 1
        elif num_spaces < top:
            while num_spaces < self.indent_levels[-1]:
                self.indent_levels.pop()
                self.emit_dent -= 1
            if num_spaces != self.indent_levels[-1]:
                # (the error's wording changed in 1.10)
                kind = "DEDENT_MISMATCH" if self.syntax.msg_unindent_short else "DEDENT_MISMATCH_OLD"
        return _token(kind, None, line, column)

    def _number(self, line: int, column: int) -> Token:
        src = self.src
        m = _plain_number(src, self.pos)
        if m is not None:  # a whole decimal or hex integer, nothing joined on: the loop's token
            self.pos = m.end()
            return _token("INTEGER", m.group(), line, column)
        n = len(src)
        c = src[self.pos]
        forced_integer = False
        if c == 0x2E:
            kind = "FLOAT_OR_IMAG"
        else:
            kind = "INTEGER"
            if c == 0x30 and (self._ch(1) | 0x20) in (0x62, 0x6F, 0x78):  # 0b 0o 0x
                forced_integer = True
        out = bytearray([c])
        p = self.pos + 1
        while p < n:
            c = src[p]
            if not forced_integer and c in (0x65, 0x45):  # e E
                kind = "FLOAT_OR_IMAG"
                out.append(0x65)
                p += 1
                if p < n and src[p] in (0x2B, 0x2D):
                    out.append(src[p])
                    p += 1
            elif c in _ALPHA or c in _DIGIT or c == 0x2E:
                if c in (0x2E, 0x6A, 0x4A):  # . j J
                    kind = "FLOAT_OR_IMAG"
                out.append(c)
                p += 1
            elif c == 0x5F and self.syntax.numeric_underscores:  # '_' is dropped wherever it appears
                p += 1
            else:
                break
        self.pos = p
        return _token(kind, bytes(out), line, column)

    def _operator(self, line: int, column: int) -> Token:
        src = self.src
        c = src[self.pos]
        for text, kind in _OPS_BY_FIRST.get(c, ()):
            if src.startswith(text, self.pos):
                if text == b":=" and not self.syntax.assignment_expression:
                    continue  # before 1.13 there is no ':=' token: ':' then '='

                self.pos += len(text)
                if kind in _OPENERS:
                    self.nested_bracket_level += 1
                elif kind in _CLOSERS:
                    self.nested_bracket_level -= 1
                return _token(kind, text.decode(), line, column)
        # `!` not followed by `=`, or any other unknown byte (never a newline,
        # which skip_whitespace handles): one char consumed
        self.pos += 1
        return _token("INVALID", None, line, column)

    # ---- strings -----------------------------------------------------------

    def _is_string_start(self) -> bool:
        """lexer.c is_string_or_bytes (with f-strings and t-strings)."""
        src = self.src
        pos = self.pos
        n = len(src)
        if pos >= n:
            return False
        c0 = src[pos]
        if c0 in _QUOTES:
            return True
        c1 = src[pos + 1] if pos + 1 < n else -1
        if c1 not in _QUOTES and (pos + 2 >= n or src[pos + 2] not in _QUOTES):
            return False  # the common case: a name such as `return`
        if c0 in (0x72, 0x75, 0x62, 0x66, 0x74) and c1 in _QUOTES:  # r u b f t
            # before 1.17 (f) and 1.28 (t) the prefix is a name followed by a string
            return not ((c0 == 0x66 and not self.syntax.fstrings) or (c0 == 0x74 and not self.syntax.tstrings))
        if self._ch(2) in _QUOTES:
            pair = bytes((c0 & 0xFF, c1 & 0xFF)) if c0 >= 0 and c1 >= 0 else b""
            if pair in (b"rf", b"fr"):
                return self.syntax.fstrings
            if pair in (b"rt", b"tr"):
                return self.syntax.tstrings
            return pair in (b"rb", b"br")
        return False

    def _string(self, line: int, column: int) -> Token:
        """Read adjacent string/bytes literals into one token (lexer.c mp_lexer_to_next)."""
        src = self.src
        start = self.pos
        quote = src[start]
        if quote in _ONE_STEP_QUOTES:
            # the common case in one step: a one-quote string with no escape, followed at
            # once by what cannot start or reach another literal to join it with
            end = src.find(quote, start + 1)
            if (end > start + 1 or (end == start + 1 and src[end + 1] != quote)) \
                    and src.find(b"\\", start + 1, end) < 0 and src.find(b"\n", start + 1, end) < 0:
                after = src[end + 1]
                if after in _AFTER_PLAIN_STRING or (after == 0x0A and not self.nested_bracket_level):
                    self.pos = end + 1
                    return _token("STRING", src[start + 1:end].decode("utf-8", "surrogateescape"), line, column)
        kind = None
        value = bytearray()
        fstring_args = bytearray()
        problem = None  # kind of problem token (the last one found wins, as in lexer.c)
        had_tstring = False
        while True:
            c0, c1 = self._ch(), self._ch(1)
            is_raw = is_fstring = is_tstring = False
            this_kind = "STRING"
            n_char = 0
            if c0 == 0x75:  # u
                n_char = 1
            elif c0 == 0x62:  # b
                this_kind = "BYTES"
                n_char = 1
                if c1 == 0x72:
                    is_raw = True
                    n_char = 2
            elif c0 == 0x72:  # r
                is_raw = True
                n_char = 1
                if c1 == 0x62:
                    this_kind = "BYTES"
                    n_char = 2
                elif c1 == 0x66:
                    is_fstring = True
                    n_char = 2
                elif c1 == 0x74:
                    is_tstring = True
                    n_char = 2
            elif c0 == 0x66:  # f
                is_fstring = True
                n_char = 1
                if c1 == 0x72:
                    is_raw = True
                    n_char = 2
            elif c0 == 0x74:  # t
                is_tstring = True
                n_char = 1
                if c1 == 0x72:
                    is_raw = True
                    n_char = 2
            if is_fstring and is_raw and not self.syntax.raw_fstrings:
                # before 1.24: an invalid token at once (mp-v1.23.0/py/lexer.c MP_TOKEN_FSTRING_RAW)
                return _token("FSTRING_RAW", None, line, column)
            if kind is None:
                kind = this_kind
            elif problem is not None or kind != this_kind:
                # str and bytes don't join (nor does anything after a bad
                # literal): the next literal starts a new token
                break
            had_tstring = had_tstring or is_tstring
            self.pos += n_char
            problem = self._string_literal(value, fstring_args, kind, is_raw, is_fstring, is_tstring) or problem
            self._skip_whitespace(True)
            if not self._is_string_start():
                break

        if had_tstring:
            # t"a{x}" -> __template__(("a", ""), (x), "x", None, "",): the
            # token text became source for the first argument (lexer.c)
            value += b",),"
            fstring_args[0:0] = value
            if problem is None:
                kind = "NAME"
        if fstring_args and self.inject_end is not None and self.pos < self.inject_end \
                and not had_tstring and not self.syntax.fstring_nested:
            # before 1.28 an f-string met while injecting another's arguments adds its own
            # arguments to the end of the buffer being injected, with no closing ")"; 1.24 -
            # 1.27 do not start a new ".format(" then either (mp-v1.27.0/py/lexer.c)
            if self.syntax.fstring_concat_adjacent and fstring_args.startswith(b".format("):
                del fstring_args[:len(b".format(")]
            self._inject(self.inject_end, bytes(fstring_args))
        elif fstring_args:
            # switch into injecting `.format(args)` into the character stream
            fstring_args += b")"
            if self.pos >= len(self.src):
                # at end of input (whitespace skipped inside brackets or after a continuation):
                # lexer.c saves the EOF look-ahead behind the injected text, and next_char's
                # end-of-file rule puts a newline after the ")"
                fstring_args += b"\n"
            self._inject(self.pos, bytes(fstring_args))
        data = bytes(value)
        if problem is not None:
            return _token(problem, None, line, column)
        if kind == "NAME":
            return _token("NAME", "__template__", line, column)
        if kind == "STRING":
            return _token("STRING", data.decode("utf-8", "surrogateescape"), line, column)
        return _token("BYTES", data, line, column)

    def _inject(self, at: int, text: bytes) -> None:
        """Insert `text` at `at` (>= pos) of the character stream, to be read next.

        The text already read is cut off, so nested f-strings (each injecting
        its arguments while the outer ones' are read) copy only what is still
        ahead, not the whole input each time."""
        cut = self.pos
        if self.inject_end is not None and cut < self.inject_end:
            self.inject_held += len(text)  # lexer.c adds to the buffer being read
        else:
            self.inject_held = 3 + len(text)  # (with the 3 look-ahead chars saved)
        self._check_inject_fits(len(text))
        if self.line_start < cut:
            # the current line's text before the cut still counts for columns
            self.column_base = self._column() - 1
            self.line_start = cut
        src = self.src
        self.src = src[cut:at] + text + src[at:]
        self.pos = 0
        self.line_start -= cut
        self.inject_end = at - cut + len(text)

    def _check_inject_fits(self, args_len: int) -> None:
        """MemoryError where the official's injection buffer cannot fit its heap.

        lexer.c keeps the injected text it has read until all of it is read, so
        f-strings nested in f-strings grow one buffer by each level's arguments
        (the text of every deeper level). Growing it asks for
        ROUND_ALLOC(len + 16) bytes (py/vstr.c) while the arguments' own buffer
        is held; past the whole heap that fails whatever else the heap holds.
        The official fails sooner, where its heap is fragmented (docs/targets.md)."""
        request = (self.inject_held + 16) // 8 * 8 + 8
        if -(-request // HEAP_BLOCK) + -(-args_len // HEAP_BLOCK) > HEAP_BLOCKS:
            raise LexerAbort("MemoryError", f"memory allocation failed, allocating {request} bytes", None)

    def _string_literal(self, value: bytearray, fstring_args: bytearray, kind: str,
                        is_raw: bool, is_fstring: bool, is_tstring: bool) -> str | None:
        """lexer.c parse_string_literal: read one literal at its quote into `value`.

        Returns the kind of problem token it found (the last one), or None.
        """
        quote = self.src[self.pos]
        self._advance()
        if self._ch() == quote and self._ch(1) == quote:
            self.pos += 2
            num_quotes = 3
        else:
            num_quotes = 1
        if is_fstring and (not fstring_args or not self.syntax.fstring_concat_adjacent):
            # before 1.24 every f-string literal starts its own ".format(", so two adjacent
            # ones make invalid syntax (mp-v1.23.0/py/lexer.c parse_string_literal)
            fstring_args += b".format("
        if is_tstring and not fstring_args:
            value += b"((" + bytes([quote]) * num_quotes
        problem = None
        n_closing = 0
        n_interpolations = 0
        end_of_format = 0
        nested_format = 0  # t-strings: depth of {} inside a format spec
        nested_needs_fstring = False
        # plain text (no quote, backslash, '{' of an f-string, newline of a
        # one-quote string) is copied a run at a time; t-strings go char by char
        plain_run = None if is_tstring else _plain_run(quote, is_fstring, num_quotes == 1)
        while self.pos < len(self.src) and n_closing < num_quotes:
            if plain_run is not None:
                src = self.src
                start = self.pos
                m = plain_run(src, start)
                if m is not None:
                    end = m.end()
                    value += src[start:end]
                    newlines = src.count(b"\n", start, end)
                    if newlines:
                        self.line += newlines
                        self.line_start = src.rfind(b"\n", start, end) + 1
                        self.column_base = 0
                    self.pos = end
                    n_closing = 0
                    continue
            c = self.src[self.pos]
            if c == 0x0A and num_quotes == 1:
                break
            if c == quote:
                n_closing += 1
                value.append(c)
                self._advance()
                continue
            if is_tstring and c == 0x0A:
                value += b"\\n"
                self._advance()
                continue
            n_closing = 0
            if (is_fstring or is_tstring) and c == 0x7B:  # '{'
                if nested_format:
                    nested_format += 1  # a '{' inside a t-string format spec: kept as text
                else:
                    self._advance()
                    if self._ch() == 0x7B:
                        # "{{": passed on for str.format (t-strings keep a single '{')
                        if not is_tstring:
                            value.append(0x7B)
                        self._advance()
                        nxt = self._ch()
                        if (not is_tstring and not self.syntax.fstring_brace_escape_fix
                                and (nxt == quote or (nxt == 0x0A and num_quotes == 1))):
                            # before 1.28 the character after "{{" skips the end-of-literal
                            # checks: a quote or newline there is text (mp-v1.27.0/py/lexer.c)
                            value.append(nxt)
                            self._advance()
                    else:
                        problem = self._interpolation(value, fstring_args, quote, num_quotes,
                                                      is_tstring) or problem
                        if is_tstring:
                            nested_format = 1
                            end_of_format = len(value)
                    value.append(0x7B)
                    continue
            if is_tstring and c == 0x5C:  # backslash: kept, the text is lexed again
                value.append(0x5C)
                if is_raw:
                    value.append(0x5C)
                else:
                    self._advance()
                    value.append(self._ch())
            elif c == 0x5C:
                self._advance()
                c = self._ch()
                if c < 0:
                    break
                if is_raw:
                    # raw strings keep the backslash and the escaped char
                    value.append(0x5C)
                    code = c
                elif c == 0x0A:
                    self._advance()
                    continue
                else:
                    # lexer.c tests the token kind, which a problem has replaced
                    code, bad = self._escape(c, kind if problem is None else None, value)
                    if bad:
                        problem = "INVALID"
                # once the token is a problem token, lexer.c's kind test fails and
                # any escape makes it INVALID (even after a malformed f-string)
                if problem is None and kind == "STRING" and code < 0x110000:
                    value += chr(code).encode("utf-8", "surrogatepass")
                elif problem is None and kind == "BYTES" and code < 0x100:
                    value.append(code)
                else:
                    problem = "INVALID"
            elif is_tstring and nested_format and c == 0x7D:  # '}'
                nested_format -= 1
                if nested_format:
                    nested_needs_fstring = True
                    value.append(c)
                else:
                    # end of an interpolation: its format spec becomes an argument
                    n_interpolations += 1
                    if nested_needs_fstring:
                        fstring_args.append(0x66)  # 'f'
                        nested_needs_fstring = False
                    fstring_args.append(quote)
                    fstring_args += value[end_of_format + 1:]
                    del value[end_of_format:]
                    fstring_args.append(quote)
                    fstring_args.append(0x2C)
            else:
                value.append(c)
                if is_tstring and c == 0x7D:
                    if self._ch(1) == 0x7D:
                        self._advance()
                    else:
                        problem = "MALFORMED_FSTRING"
            if self.pos < len(self.src):
                self._advance()
        if n_closing < num_quotes:
            problem = "LONELY_STRING_OPEN"
        if is_tstring:
            if nested_format:
                problem = "MALFORMED_FSTRING"
            if 1 + n_interpolations * 4 > 255:
                # too many arguments for a call: the interpolations go in a tuple
                fstring_args[0:0] = b"("
                fstring_args.append(0x29)
        elif n_closing:
            del value[len(value) - n_closing:]
        return problem

    def _interpolation(self, value: bytearray, fstring_args: bytearray, quote: int, num_quotes: int,
                       is_tstring: bool) -> str | None:
        """The `{expr...}` of an f- or t-string, after its '{' (lexer.c).

        The expression text goes to `fstring_args` wrapped in (); like lexer.c
        this only counts brackets: it stops at the first ':' or '}' (or '!r' /
        '!s' before ':' or '}') outside brackets.
        """
        problem = None
        # each argument is wrapped in () from 1.20 (before: f"{a, b}" gave .format(a, b))
        parens = self.syntax.fstring_arg_parens
        if parens:
            fstring_args.append(0x28)
        start = len(fstring_args)
        level = 0
        # brackets only shield ':' and '}' from 1.18 (1.17 stops at the first of them)
        nesting = self.syntax.fstring_nested_brackets
        src = self.src
        end = len(src)
        conversions = self.syntax.fstring_conversions
        special = _FIELD_SPECIAL_RE.search
        pos = self.pos
        # the text between the characters that matter is copied at once
        while pos < end:
            m = special(src, pos)
            if m is None:
                pos = end
                break
            pos = m.start()
            c = src[pos]
            if (level == 0 or not nesting) and (
                c in (0x3A, 0x7D)
                or (c == 0x21 and conversions and pos + 2 < end and src[pos + 1] in (0x72, 0x73)
                    and src[pos + 2] in (0x3A, 0x7D))
            ):
                break
            if c in (0x5B, 0x7B):
                level += 1
            elif c in (0x5D, 0x7D):
                level -= 1
            elif c == 0x0A:
                self.line += 1
                self.line_start = pos + 1
                self.column_base = 0
            pos += 1
        fstring_args += src[self.pos:pos]
        self.pos = pos
        was_debug = False
        if fstring_args[-1] == 0x3D:  # '='
            # f'{a=}' -> 'a={}'.format(a)
            value += fstring_args[start:]
            del fstring_args[-1]
            was_debug = True
        if is_tstring:
            while len(fstring_args) > 0 and fstring_args[-1] in _SPACE:
                del fstring_args[-1]
        if len(fstring_args) == start and self.syntax.fstring_empty_rejected:
            # from 1.28; before, f"{}" passes `()` (1.20 - 1.27) or nothing (a syntax error)
            problem = "MALFORMED_FSTRING"
        fstring_args += b")," if parens else b","
        if is_tstring:
            # then the expression's text as a string, the conversion, and the
            # format spec (added when the closing '}' is reached)
            fstring_args.append(quote)
            expr_len = len(fstring_args) - start - 3
            for b in bytes(fstring_args[start:start + expr_len]):
                if b == quote or b == 0x5C:
                    fstring_args.append(0x5C)
                fstring_args.append(b)
            fstring_args.append(quote)
            fstring_args.append(0x2C)
            q = bytes([quote]) * num_quotes
            value += q + b"," + q
            if self._ch() == 0x21:  # '!'
                self._advance()
                fstring_args += bytes([quote, self._ch(), quote, 0x2C])
                self._advance()
            elif was_debug and self._ch() != 0x3A:
                fstring_args += b"'r',"
            else:
                fstring_args += b"None,"
            if self._ch() == 0x3A:
                self._advance()
        return problem

    def _escape(self, c: int, kind: str, value: bytearray) -> tuple[int, bool]:
        """A backslash escape (non-raw), current char `c`: (code, invalid?)."""
        code = _SIMPLE_ESCAPES.get(c)
        if code is not None:
            return code, False
        if c in (0x75, 0x55) and kind == "BYTES":  # b'\u1234' == b'\\u1234'
            value.append(0x5C)
            return c, False
        if c in (0x78, 0x75, 0x55):  # x u U
            ndigits = 2 if c == 0x78 else 4 if c == 0x75 else 8
            code = 0
            for _ in range(ndigits):
                self._advance()
                d = self._ch()
                if d < 0 or d not in _XDIGIT:
                    return 0, True
                code = code * 16 + int(chr(d), 16)
            return code, False
        if c == 0x4E:  # N
            raise LexerAbort("NotImplementedError", "unicode name escapes", None)
        if 0x30 <= c <= 0x37:
            code = c - 0x30
            digits = 3
            while 0x30 <= self._ch(1) <= 0x37:
                digits -= 1
                if digits == 0:
                    break
                self._advance()
                code = code * 8 + self._ch() - 0x30
            return code, False
        # unknown escape: kept verbatim as backslash + char
        value.append(0x5C)
        return c, False
