"""Where a citation sits in a judgment's text: its sentence, whether it is inside a quotation from
another judgment, the words that are the citing court's own, and the paragraph before it.

Pure text functions (no rules data): ``caselaw.treatment`` reads cue phrases in what this module
returns. Offsets are into the text given (pages joined with one space, ``joined``).

Quotations: Supreme Court judgments quote earlier judgments at length (“...”), often several in a row
with only the case title and citation between them. Words inside the quotation marks are the quoted
court's, not the citing court's, so they never decide a treatment; a citation inside a quotation is
one the quoted judgment made. Curly quotes are paired by nesting; a straight ``"`` opens when it
follows a space or bracket and closes when it is followed by one. Short quoted spans that hold a case
title (“Tariq Pervez Vs The State”) are titles, not quotations.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

MAX_SENTENCE_CHARS = 700
QUOTE_WINDOW_CHARS = 8000      # the longest quotation paired (a straight-quoted one: half)
PARAGRAPH_WINDOW_CHARS = 3000  # how far back the paragraph start is looked for
_TITLE_QUOTE_CHARS = 160       # a quoted span this short holding "v."/"Vs" (no digits) is a case title

# Abbreviations whose full stop does not end a sentence in a judgment.
_ABBREVIATION_LIST = (
    "no nos v vs s ss art arts mr mrs ms dr sr jr st cr crl cri p c j pp para paras ch rs ltd co govt dept addl "
    "asc aor pg dpg ag aag i e ex vol viz etc e.g i.e u/s r/w sec secy thr w.p c.p crl.a crl.p s.c pld scmr mld "
    "ylr clc cpc crpc ppc qso nab pcrlj plc ptd sh mst m/s messrs pvt anr ors corp bros ibid supra supp reg "
    "sr.no"
)
_ABBREVIATIONS = frozenset(_ABBREVIATION_LIST.split())
_INITIALISM = re.compile(r"(?:\b[A-Za-z]\.){2,}[A-Za-z]?$")  # A.N.F. / M.C.B. / S.M.R.P.
_PARAGRAPH_START = re.compile(r"(?:\n\s*\n|(?:^|\n|(?<=[.:;”\"]\s))\s*\d{1,3}\.\s+(?=[A-Z“\"(]))")
_TITLE_QUOTE = re.compile(r"[“\"]([^”\"(\d]{1,%d})[”\"]" % _TITLE_QUOTE_CHARS)  # noqa: UP031
_TITLE_IN_QUOTES = re.compile(r"\b(?:v|vs|versus)\b\.?", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class CitingContext:
    """A citation in its sentence. ``sentence`` is whitespace-collapsed; ``cited_start``/``cited_end``
    are offsets into it. ``own`` is the sentence with every quoted word blanked to spaces (same
    length, so the offsets hold). ``quoted``: the citation itself is inside a quotation.
    ``paragraph_before``: the citing court's own words from the paragraph's start up to the sentence
    (collapsed, quotations blanked). ``previous``: the sentence before, when it is in the same
    paragraph (empty otherwise)."""

    sentence: str
    cited_start: int
    cited_end: int
    own: str
    quoted: bool
    paragraph_before: str = ""
    previous: str = ""
    previous_context: CitingContext | None = None


def joined(pages: Sequence[str]) -> tuple[str, list[int]]:
    """The pages as one text (a space between them) and where each page starts in it."""
    starts: list[int] = []
    parts: list[str] = []
    position = 0
    for page in pages:
        starts.append(position)
        parts.append(page)
        position += len(page) + 1
    return " ".join(parts), starts


def is_boundary(text: str, i: int) -> bool:
    """Whether the full stop / question / exclamation mark at ``text[i]`` ends a sentence."""
    if text[i] in "?!":
        return True
    after = text[i + 1: i + 3]
    if not after or not after[0].isspace():
        return False
    following = text[i + 1:].lstrip()
    if not following or not (following[0].isupper() or following[0].isdigit() or following[0] in "“\"("):
        return False
    tail = text[max(0, i - 14): i + 1]
    if _INITIALISM.search(tail[:-1] + "."):
        return False
    word = re.search(r"([A-Za-z.]+)$", text[max(0, i - 12): i])
    if word and (word.group(1).lower().strip(".") in _ABBREVIATIONS or len(word.group(1).strip(".")) == 1):
        return False
    return not text[i - 1].isdigit() or following[:1].isupper()


def sentence_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Start and end offsets of the sentence of ``text`` around ``text[start:end]``."""
    left = start
    limit = max(0, start - MAX_SENTENCE_CHARS)
    while left > limit:
        ch = text[left - 1]
        if ch == "\n" and text[left - 2: left - 1] == "\n":
            break
        if ch in ".?!" and is_boundary(text, left - 1):
            break
        left -= 1
    right = end
    limit = min(len(text), end + MAX_SENTENCE_CHARS)
    while right < limit:
        ch = text[right]
        if ch == "\n" and text[right + 1: right + 2] == "\n":
            break
        if ch in ".?!" and is_boundary(text, right):
            right += 1
            break
        right += 1
    return left, right


def citing_sentence(text: str, start: int, end: int) -> tuple[str, int]:
    """The sentence around ``text[start:end]`` and where the citation ends in it (both after
    whitespace is collapsed)."""
    left, right = sentence_span(text, start, end)
    before = " ".join(text[left:end].split())
    return " ".join(text[left:right].split()), len(before)


def quote_depths(text: str, max_span: int = QUOTE_WINDOW_CHARS) -> list[int]:
    """Quotation depth of each character of ``text`` (0 = the author's own words; the marks themselves
    count as inside). Marks are paired: curly ones by nesting, a straight ``"`` opening after a space or
    bracket and closing before one (else it closes whatever is open). A mark left unpaired (OCR drops
    and adds marks) or a pair longer than ``max_span`` makes no quotation."""
    pairs: list[tuple[int, int]] = []
    curly: list[int] = []
    straight: list[int] = []
    for i, ch in enumerate(text):
        if ch == "“":
            curly.append(i)
        elif ch == "”":
            if curly:
                pairs.append((curly.pop(), i))
        elif ch == '"':
            prev = text[i - 1] if i else " "
            nxt = text[i + 1] if i + 1 < len(text) else " "
            before = text[:i].rstrip()[-1:]
            opens = (prev.isspace() or prev in "([:-") and (nxt.isalnum() or nxt in ".…‘'")
            if straight and (not opens or before in ".,;:!?"):
                start = straight.pop()
                if i - start <= max_span // 2:  # straight marks are the least reliable
                    pairs.append((start, i))
            elif opens:
                straight.append(i)
    diff = [0] * (len(text) + 1)
    for open_at, close_at in pairs:
        if close_at - open_at <= max_span:
            diff[open_at] += 1
            diff[close_at + 1] -= 1
    depths: list[int] = []
    depth = 0
    for i in range(len(text)):
        depth += diff[i]
        depths.append(depth)
    return depths


def _title_spans(text: str) -> list[tuple[int, int]]:
    """Quoted spans that are case titles (“X Vs The State”), which do not make a quotation."""
    spans = []
    for m in _TITLE_QUOTE.finditer(text):
        inner = m.group(1).strip()
        if inner[:1].isupper() and not inner.endswith(".") and _TITLE_IN_QUOTES.search(inner):
            spans.append((m.start(), m.end()))
    return spans


def _unquoted(text: str) -> str:
    """Case-title quotes replaced by spaces so they do not count as quotations."""
    chars = list(text)
    for s, e in _title_spans(text):
        chars[s] = " "
        chars[e - 1] = " "
    return "".join(chars)


def _blank(text: str, depths: Sequence[int], offset: int) -> str:
    """``text`` with the characters inside quotations replaced by spaces (and marks themselves)."""
    return "".join(" " if depths[offset + i] > 0 else ch for i, ch in enumerate(text))


def _collapse_with_map(text: str) -> tuple[str, list[int]]:
    """Whitespace-collapsed ``text`` and, for each character kept, its index in ``text``."""
    out: list[str] = []
    index: list[int] = []
    pending_space = False
    for i, ch in enumerate(text):
        if ch.isspace():
            pending_space = bool(out)
            continue
        if pending_space:
            out.append(" ")
            index.append(i - 1)
            pending_space = False
        out.append(ch)
        index.append(i)
    return "".join(out), index


def paragraph_start(text: str, before: int) -> int:
    """Offset where the paragraph holding ``text[before]`` starts (a numbered paragraph ``12.`` or a
    blank line), looked for at most ``PARAGRAPH_WINDOW_CHARS`` back."""
    low = max(0, before - PARAGRAPH_WINDOW_CHARS)
    last = low
    for m in _PARAGRAPH_START.finditer(text, low, before):
        last = m.start()
    return last


def text_depths(text: str) -> list[int]:
    """``quote_depths`` of a whole judgment's text (case-title quotes left out); compute it once per
    judgment and pass it to ``context_at`` for each of its citations."""
    return quote_depths(_unquoted(text))


def context_at(text: str, start: int, end: int, depths: Sequence[int] | None = None,
               with_previous: bool = True) -> CitingContext:
    """The ``CitingContext`` of the citation at ``text[start:end]``. ``depths``: ``text_depths(text)``
    (computed here when not given)."""
    if depths is None:
        depths = text_depths(text)
    left, right = sentence_span(text, start, end)
    sentence, index = _collapse_with_map(text[left:right])
    own = "".join(" " if depths[left + i] > 0 else text[left + i] for i in index)
    cited_start = next((k for k, i in enumerate(index) if i >= start - left), len(sentence))
    cited_end = next((k for k, i in enumerate(index) if i >= end - left), len(sentence))
    para = paragraph_start(text, left)
    paragraph_before = " ".join(_blank(text[para:left], depths, para).split())
    previous = ""
    previous_context = None
    if with_previous and para < left:
        p_left, _ = sentence_span(text, max(para, left - 2), max(para, left - 1))
        if para <= p_left < left:
            previous = " ".join(text[p_left:left].split())
            if previous:
                previous_context = context_at(text, left - 1, left - 1, depths, with_previous=False)
    return CitingContext(sentence, cited_start, cited_end, own, depths[start] > 0, paragraph_before, previous,
                         previous_context)


def context_of_sentence(sentence: str, cited_end: int | None = None) -> CitingContext:
    """A ``CitingContext`` from one sentence alone (no paragraph): the citation ends at ``cited_end``
    (unknown: the whole sentence is the citing court's and nothing is quoted around it)."""
    text = " ".join(sentence.split())
    if cited_end is None:
        return CitingContext(text, len(text), len(text), text, False)
    window = _unquoted(text)
    depths = quote_depths(window)
    own = _blank(window, depths, 0)
    start = max(0, cited_end - 1)
    return CitingContext(text, start, cited_end, own, depths[start] > 0)
