"""Which stored word boxes on a page match the search terms, for drawing boxes over the page image.

Word boxes are stored on ``Page.words`` as ``[text, left, top, width, height, confidence, char_start,
char_end]`` in the page image's pixel space. Matching is done here, on the server, from those stored
boxes; the browser only draws what it is given. The terms come from the viewer's ``?q=`` (the search
box text): a deliberately loose reading of the query language (operators, field names and
punctuation are dropped) because a missed box is worse for the reader than an extra one.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

MAX_TERMS = 32
_OPERATORS = frozenset({"and", "or", "not"})
# Boxing every "the" on a page hides the words the reader is looking for.
_STOPWORDS = frozenset(
    {"a", "an", "the", "of", "in", "on", "to", "by", "for", "is", "was", "be", "with", "at"}
)
# Field prefixes of the query language (``ps:Saddar``, ``section:302``); the value still counts.
_FIELD_PREFIX = re.compile(r"^[a-z_]{2,12}:", re.IGNORECASE)
_TOKEN = re.compile(r"[\w\u0600-\u06ff]+\*?", re.UNICODE)
# Light English suffix folding, mirroring (loosely) the index's stemmer so "murdered" boxes "murder".
_SUFFIXES = ("ings", "ing", "edly", "ed", "es", "s")


@dataclass(frozen=True)
class Term:
    stem: str
    prefix: bool = False  # ``murd*``


@dataclass(frozen=True)
class WordBox:
    """A matched word: pixel box on the page image, and the same box in percent of the image size."""

    text: str
    left: int
    top: int
    width: int
    height: int

    def as_json(self) -> dict[str, Any]:
        return {"text": self.text, "left": self.left, "top": self.top, "width": self.width,
                "height": self.height}


def normalise(word: str) -> str:
    """Case-fold, strip accents and surrounding punctuation (OCR glues commas and full stops on)."""
    folded = unicodedata.normalize("NFKD", word.casefold())
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return folded.strip(".,;:!?\"'()[]{}<>«»“”‘’-–—/\\|")


def stem(word: str) -> str:
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def query_terms(query: str) -> tuple[Term, ...]:
    """Search terms of a query-language string (at most ``MAX_TERMS``)."""
    terms: list[Term] = []
    for chunk in query.split():
        chunk = _FIELD_PREFIX.sub("", chunk.lstrip("+-"))
        for token in _TOKEN.findall(chunk):
            prefix = token.endswith("*")
            word = normalise(token.rstrip("*"))
            if len(word) < 2 or word in _OPERATORS or word in _STOPWORDS:
                continue
            term = Term(word if prefix else stem(word), prefix)
            if term not in terms:
                terms.append(term)
    return tuple(terms[:MAX_TERMS])


def _token_matches(token: str, terms: Iterable[Term]) -> bool:
    stemmed = stem(token)
    return any(token.startswith(t.stem) if t.prefix else stemmed == t.stem for t in terms)


def word_matches(word: str, terms: Sequence[Term]) -> bool:
    """Whether an OCR word matches a term; hyphenated words (``qatl-e-amd``) match by their parts,
    as the index's tokenizer splits them."""
    norm = normalise(word)
    if not norm:
        return False
    return _token_matches(norm, terms) or any(_token_matches(t, terms) for t in _TOKEN.findall(norm))


def matching_boxes(words: Sequence[Sequence[Any]], terms: Sequence[Term]) -> list[WordBox]:
    """Boxes of the stored words that match any term. Malformed entries are skipped, not fatal."""
    if not terms:
        return []
    boxes: list[WordBox] = []
    for entry in words:
        if len(entry) < 5 or not isinstance(entry[0], str):
            continue
        text, left, top, width, height = entry[:5]
        if not all(isinstance(v, int | float) for v in (left, top, width, height)):
            continue
        if word_matches(text, terms):
            boxes.append(WordBox(text, int(left), int(top), int(width), int(height)))
    return boxes


def text_has_match(text: str, terms: Sequence[Term]) -> bool:
    """Whether a page's text contains a term (used to find hit pages when words are missing)."""
    return bool(terms) and any(word_matches(token, terms) for token in _TOKEN.findall(text))
