"""Entities of one page: spaCy names (people, organisations, places, dates) and legalrefs references
(citations, statute sections, FIR and case numbers, CNIC, phones, police stations, districts, courts).

Every entity carries its character span in the page's effective text, so the viewer can highlight it.
Kinds are the strings the indexer maps to fields (``indexer.documents.page_entities``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

from legalrefs import Reference, find_references

MAX_KEY, MAX_RAW = 200, 500
# spaCy label -> our kind. Other labels (CARDINAL, MONEY, LAW...) are left to the legal rules.
SPACY_KINDS = {"PERSON": "person", "ORG": "org", "GPE": "place", "LOC": "place", "DATE": "date"}
SPACY_EXCLUDE = ["parser", "tagger", "attribute_ruler", "lemmatizer", "senter"]  # NER only (facts A4)

_MONTHS = {
    m: i
    for i, m in enumerate(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ],
        start=1,
    )
}
_NUMERIC_DATE = re.compile(r"^(\d{1,2})[./\-](\d{1,2})[./\-]((?:19|20)\d{2})$")
_WORD_DATE = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?([A-Za-z]+),?\s+((?:19|20)\d{2})$")
_WORD_DATE_US = re.compile(r"^([A-Za-z]+)\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+((?:19|20)\d{2})$")


@dataclass(frozen=True, slots=True)
class FoundEntity:
    kind: str
    key: str
    raw: str
    start: int
    end: int
    source: str  # "rules" or "spacy"
    attrs: dict[str, Any] = field(default_factory=dict)


class SpanLike(Protocol):
    label_: str
    text: str
    start_char: int
    end_char: int


class DocLike(Protocol):
    @property
    def ents(self) -> Sequence[SpanLike]: ...


class Pipeline(Protocol):
    """The part of a spaCy ``Language`` used here (lets unit tests pass a tiny stand-in)."""

    def pipe(self, texts: Iterable[str], batch_size: int = ...) -> Iterable[DocLike]: ...


def normalise_date(raw: str) -> str:
    """ISO date for Pakistani day-first forms (``28.08.2025``, ``28th August, 2025``); else the raw text."""
    text = " ".join(raw.split())
    day = month = year = None
    if m := _NUMERIC_DATE.match(text):
        day, month, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
    elif m := _WORD_DATE.match(text):
        day, month, year = int(m.group(1)), _MONTHS.get(m.group(2).lower()), int(m.group(3))
    elif m := _WORD_DATE_US.match(text):
        day, month, year = int(m.group(2)), _MONTHS.get(m.group(1).lower()), int(m.group(3))
    if day and month and year:
        try:
            return date(year, month, day).isoformat()
        except ValueError:
            pass
    return text


def rule_entities(text: str) -> list[FoundEntity]:
    return [_from_reference(ref) for ref in find_references(text)]


def _from_reference(ref: Reference) -> FoundEntity:
    attrs: dict[str, Any] = dict(ref.attrs)
    if len(ref.keys) > 1:
        attrs["keys"] = list(ref.keys)
    return FoundEntity(
        str(ref.kind), ref.key[:MAX_KEY], ref.raw[:MAX_RAW], ref.start, ref.end, "rules", attrs
    )


def spacy_entities(doc: DocLike) -> list[FoundEntity]:
    found = []
    for ent in doc.ents:
        kind = SPACY_KINDS.get(ent.label_)
        raw = ent.text.strip()
        if kind is None or len(raw) < 2:
            continue
        key = normalise_date(raw) if kind == "date" else " ".join(raw.split())
        found.append(
            FoundEntity(kind, key[:MAX_KEY], ent.text[:MAX_RAW], ent.start_char, ent.end_char, "spacy")
        )
    return found


def page_entities(texts: Sequence[str], nlp: Pipeline | None) -> list[list[FoundEntity]]:
    """Entities for each page text, in order. Pages go through spaCy one by one (``nlp.max_length``
    and memory stay bounded on long documents; facts A4) but in one ``pipe`` call."""
    names: list[list[FoundEntity]] = [[] for _ in texts]
    if nlp is not None:
        docs = nlp.pipe(texts, batch_size=16)
        names = [spacy_entities(doc) for doc in docs]
    return [
        sorted(rule_entities(text) + spacy, key=lambda e: (e.start, e.end, e.kind))
        for text, spacy in zip(texts, names, strict=True)
    ]
