"""The one-search-box query language (see QUERY_LANGUAGE.md), parsed with limits into ``ast`` nodes.

User text never reaches Elasticsearch as a query string: it becomes these nodes, which
``query_builder`` turns into explicit query clauses.

Grammar (OR binds loosest; juxtaposition means AND)::

    query   := or ;  or := and ("OR" and)* ;  and := unary (["AND"] unary)*
    unary   := ("NOT" | "-") unary | "(" or ")" | term
    term    := word | word* | word~[N] | "phrase" | "phrase"~N | field:value | field:"value"
"""

from __future__ import annotations

import re
from calendar import monthrange
from dataclasses import dataclass, field
from datetime import date
from typing import get_args

from i18n import N_
from i18n.languages import to_western_digits
from search_app.search.ast import (
    And,
    DateRange,
    FieldValue,
    Fuzziness,
    Node,
    Not,
    Or,
    Phrase,
    SectionNumber,
    ValueField,
    Word,
    YearRange,
)
from search_app.search.references import field_reference, merge_references


class ParseError(ValueError):
    """The query cannot be understood. ``template`` is a marked message (``N_``) and ``params`` its
    values: the web layer shows ``gettext(template) % params`` in the reader's language; ``message`` is
    the English text (API, logs). ``position`` is the 0-based character offset of the problem when known."""

    code = "bad_query"

    def __init__(self, template: str, position: int | None = None, **params: object) -> None:
        self.template = template
        self.params = params
        self.message = template % params if params else template
        super().__init__(self.message)
        self.position = position


@dataclass(frozen=True)
class ParserLimits:
    max_length: int = 500
    max_clauses: int = 64
    max_wildcards: int = 4
    min_prefix_chars: int = 3
    max_depth: int = 8


VALUE_FIELDS: frozenset[str] = frozenset(get_args(ValueField))
REFERENCE_FIELDS = frozenset({"section", "fir", "citation"})
FIELD_ALIASES = {"police_station": "ps", "station": "ps", "language": "lang", "doctype": "type"}
KNOWN_FIELDS = VALUE_FIELDS | REFERENCE_FIELDS | {"date", "year"} | set(FIELD_ALIASES)

_FIELD_PREFIX = re.compile(r"^([A-Za-z_]+):")
_YEAR = re.compile(r"^\d{4}$")
_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
_SPECIAL_WORD_CHARS = set('"')
SPELLING_TOLERANCE = N_("Spelling tolerance is word~ (automatic), word~1 or word~2.")


# --- lexer --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Token:
    kind: str  # WORD PHRASE FIELD LPAREN RPAREN AND OR NOT
    text: str
    pos: int
    slop: int | None = None
    field: str = ""
    quoted: bool = False


def _read_quoted(text: str, start: int) -> tuple[str, int]:
    end = text.find('"', start + 1)
    if end < 0:
        raise ParseError(N_("A quotation mark is not closed: add the closing \" after the phrase."), start)
    return text[start + 1:end], end + 1


def _read_slop(text: str, i: int) -> tuple[int | None, int]:
    match = re.match(r"~(\d{1,2})?", text[i:])
    if not match:
        return None, i
    if match.group(1) is None:
        raise ParseError(N_('Proximity needs a number of words, e.g. "bail granted"~5.'), i)
    return int(match.group(1)), i + match.end()


def _read_word(text: str, i: int) -> tuple[str, int]:
    """A word runs to whitespace, a quote, or an unbalanced ')'. Parentheses inside a word belong to
    it, so ``302(b)`` stays one word."""
    start, depth = i, 0
    while i < len(text) and not text[i].isspace() and text[i] not in _SPECIAL_WORD_CHARS:
        ch = text[i]
        if ch == "(":
            depth += 1
        elif ch == ")":
            if depth == 0:
                break
            depth -= 1
        i += 1
    return text[start:i], i


def _field_token(text: str, i: int, word: str, pos: int) -> tuple[Token, int] | None:
    match = _FIELD_PREFIX.match(word)
    if not match or match.group(1).lower() not in KNOWN_FIELDS:
        return None
    name = match.group(1).lower()
    name = FIELD_ALIASES.get(name, name)
    value = word[match.end():]
    if value:
        return Token("FIELD", value, pos, field=name), i
    if i < len(text) and text[i] == '"':
        quoted, i = _read_quoted(text, i)
        return Token("FIELD", quoted, pos, field=name, quoted=True), i
    raise ParseError(N_("'%(field)s:' needs a value right after the colon, e.g. %(field)s:value."), pos, field=name)


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch.isspace():
            i += 1
        elif ch == '"':
            phrase, i = _read_quoted(text, i)
            slop, i = _read_slop(text, i)
            tokens.append(Token("PHRASE", phrase, i, slop=slop))
        elif ch == "(":
            tokens.append(Token("LPAREN", ch, i))
            i += 1
        elif ch == ")":
            tokens.append(Token("RPAREN", ch, i))
            i += 1
        elif ch == "-" and i + 1 < len(text) and not text[i + 1].isspace():
            tokens.append(Token("NOT", ch, i))
            i += 1
        else:
            pos = i
            word, i = _read_word(text, i)
            field_tok = _field_token(text, i, word, pos)
            if field_tok is not None:
                tok, i = field_tok
                tokens.append(tok)
            elif word in ("AND", "OR", "NOT"):
                tokens.append(Token(word, word, pos))
            else:
                tokens.append(Token("WORD", word, pos))
    return tokens


# --- leaves -------------------------------------------------------------------------------------------


def _word(tok: Token, limits: ParserLimits, state: _State) -> Word:
    text = tok.text
    if text.startswith("/") and text.endswith("/") and len(text) > 1:
        raise ParseError(N_("Regular expressions are not supported; use word* or word~ instead."), tok.pos)
    fuzzy: Fuzziness | None = None
    fuzz = re.search(r"~(\d*)$", text)
    if fuzz:
        text = text[:fuzz.start()]
        digits = fuzz.group(1)
        if digits and int(digits) not in (1, 2):
            raise ParseError(SPELLING_TOLERANCE, tok.pos)
        fuzzy = "AUTO" if not digits else (1 if digits == "1" else 2)
    prefix = text.endswith("*")
    if prefix:
        text = text[:-1]
    if "~" in text:
        raise ParseError(SPELLING_TOLERANCE, tok.pos)
    if "*" in text or "?" in text:
        raise ParseError(N_("A wildcard may only end a word (murd*), never start it or sit inside it."), tok.pos)
    if prefix and fuzzy:
        raise ParseError(N_("A word cannot have both * and ~."), tok.pos)
    if prefix:
        state.wildcards += 1
        if len(text) < limits.min_prefix_chars:
            raise ParseError(N_("Type at least %(n)s letters before * (e.g. murd*)."), tok.pos,
                             n=limits.min_prefix_chars)
        if state.wildcards > limits.max_wildcards:
            raise ParseError(N_("At most %(n)s words with * are allowed in one search."), tok.pos,
                             n=limits.max_wildcards)
    if not text:
        raise ParseError(N_("'%(word)s' is not a searchable word."), tok.pos, word=tok.text)
    return Word(text, fuzzy=fuzzy, prefix=prefix)


def _parse_date(value: str, end: bool, pos: int) -> date | None:
    if value == "":
        return None
    match = _DATE.match(value)
    if not match:
        raise ParseError(N_("'%(value)s' is not a date; write 2019-01-31, 2019-01 or 2019."), pos, value=value)
    year, month, day = int(match.group(1)), match.group(2), match.group(3)
    try:
        if month is None:
            return date(year, 12, 31) if end else date(year, 1, 1)
        m = int(month)
        if day is None:
            return date(year, m, monthrange(year, m)[1]) if end else date(year, m, 1)
        return date(year, m, int(day))
    except ValueError:
        raise ParseError(N_("'%(value)s' is not a valid calendar date."), pos, value=value) from None


def _date_range(value: str, pos: int) -> DateRange:
    lo, sep, hi = value.partition("..")
    if not sep:
        return DateRange(_parse_date(lo, False, pos), _parse_date(lo, True, pos))
    start, end = _parse_date(lo, False, pos), _parse_date(hi, True, pos)
    if start is None and end is None:
        raise ParseError(N_("A date range needs at least one end, e.g. date:2019-01-01..2019-06-30."), pos)
    if start and end and start > end:
        raise ParseError(N_("The first date of a range must not be after the second."), pos)
    return DateRange(start, end)


def _year_range(value: str, pos: int) -> YearRange:
    lo, sep, hi = value.partition("..")
    parts = [lo, hi] if sep else [lo, lo]
    for part in parts:
        if part and not _YEAR.match(part):
            raise ParseError(N_("'%(value)s' is not a year; write year:2019 or year:2015..2019."), pos, value=value)
    start, end = (int(parts[0]) if parts[0] else None), (int(parts[1]) if parts[1] else None)
    if start is None and end is None:
        raise ParseError(N_("A year range needs at least one year."), pos)
    if start and end and start > end:
        raise ParseError(N_("The first year of a range must not be after the second."), pos)
    return YearRange(start, end)


def _field(tok: Token) -> Node:
    value = tok.text.strip()
    if not value:
        raise ParseError(N_("'%(field)s:' needs a value."), tok.pos, field=tok.field)
    if tok.field == "date":
        return _date_range(value, tok.pos)
    if tok.field == "year":
        return _year_range(value, tok.pos)
    if tok.field in REFERENCE_FIELDS:
        ref = field_reference(tok.field, value)
        if ref is not None:
            return ref
        if tok.field == "section":
            if not re.match(r"^\d+[A-Za-z]?(\([0-9A-Za-z]+\))*$", value):
                raise ParseError(N_("'%(value)s' is not a section; write section:302 or section:\"302 PPC\"."),
                                 tok.pos, value=value)
            return SectionNumber(value)
        # An unrecognised FIR or citation form is still searched for as it is printed.
        return Phrase(value)
    return FieldValue(tok.field, value)  # type: ignore[arg-type]


# --- parser -------------------------------------------------------------------------------------------


@dataclass
class _State:
    tokens: list[Token]
    limits: ParserLimits
    i: int = 0
    clauses: int = 0
    wildcards: int = 0
    depth: int = 0
    leaves: list[Node] = field(default_factory=list)

    def peek(self) -> Token | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self) -> Token:
        tok = self.tokens[self.i]
        self.i += 1
        return tok


def _leaf(state: _State, tok: Token) -> Node:
    state.clauses += 1
    if state.clauses > state.limits.max_clauses:
        raise ParseError(N_("The search has too many terms (at most %(n)s)."), tok.pos, n=state.limits.max_clauses)
    if tok.kind == "WORD":
        return _word(tok, state.limits, state)
    if tok.kind == "PHRASE":
        if not tok.text.strip():
            raise ParseError(N_("The quotation marks are empty."), tok.pos)
        return Phrase(" ".join(tok.text.split()), slop=tok.slop or 0)
    return _field(tok)


def _unary(state: _State) -> Node:
    tok = state.peek()
    if tok is None:
        raise ParseError(N_("The search ends too early: a word is missing after the last operator."))
    if tok.kind == "NOT":
        # A run of NOTs (or "-"s) is read without recursion and by parity: NOT NOT x is x. A long run
        # must neither exhaust the parser's stack nor become a query nested too deeply to run.
        negations = 0
        while (tok := state.peek()) is not None and tok.kind == "NOT":
            state.take()
            negations += 1
        child = _unary(state)
        return Not(child) if negations % 2 else child
    if tok.kind == "LPAREN":
        state.take()
        state.depth += 1
        if state.depth > state.limits.max_depth:
            raise ParseError(N_("Brackets are nested too deeply (at most %(n)s)."), tok.pos, n=state.limits.max_depth)
        inner = _or(state)
        closing = state.peek()
        if closing is None or closing.kind != "RPAREN":
            raise ParseError(N_("A bracket '(' is not closed."), tok.pos)
        state.take()
        state.depth -= 1
        return inner
    if tok.kind in ("RPAREN", "AND", "OR"):
        if tok.kind == "RPAREN":
            raise ParseError(N_("Unexpected closing bracket: put a word before it."), tok.pos)
        raise ParseError(N_("Unexpected '%(word)s': put a word before it."), tok.pos, word=tok.text)
    return _leaf(state, state.take())


def _and(state: _State) -> Node:
    children = [_unary(state)]
    while (tok := state.peek()) is not None and tok.kind not in ("OR", "RPAREN"):
        if tok.kind == "AND":
            state.take()
        children.append(_unary(state))
    return children[0] if len(children) == 1 else And(tuple(children))


def _or(state: _State) -> Node:
    children = [_and(state)]
    while (tok := state.peek()) is not None and tok.kind == "OR":
        state.take()
        children.append(_and(state))
    return children[0] if len(children) == 1 else Or(tuple(children))


def parse(text: str, limits: ParserLimits | None = None) -> Node | None:
    """Parse a search-box query (Western or Eastern Arabic digits alike). Returns None for a blank query
    (browse with filters only).

    Raises ``ParseError`` with a message for the user when the query is malformed or over a limit.
    """
    limits = limits or ParserLimits()
    # Urdu (and Arabic-Indic) digits are read as 0-9: "FIR ۱۲۳/۲۰۱۹" and "۳۰۲" find what "FIR 123/2019" and
    # "302" find (statute, citation and FIR keys are ASCII; the Urdu text field folds digits too).
    text = to_western_digits(text)
    if len(text) > limits.max_length:
        raise ParseError(N_("The search is too long (%(length)s characters; at most %(n)s)."), length=len(text),
                         n=limits.max_length)
    if not text.strip():
        return None
    state = _State(tokenize(text), limits)
    if not state.tokens:
        return None
    node = _or(state)
    extra = state.peek()
    if extra is not None:
        raise ParseError(N_("A closing bracket ')' has no matching '('."), extra.pos)
    return merge_references(node)
