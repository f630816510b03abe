"""The search-box query as plain, frozen data (built by ``query_parser``, read by ``query_builder``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

Fuzziness = Literal["AUTO", 1, 2]
RefKindName = Literal["statute", "citation", "fir", "case_number"]
# Fields matched as text/keyword values (``ps:"Saddar"``, ``type:fir``...).
ValueField = Literal["ps", "court", "party", "judge", "district", "type", "lang", "stage"]


@dataclass(frozen=True)
class Word:
    text: str
    fuzzy: Fuzziness | None = None
    prefix: bool = False  # ``murd*``


@dataclass(frozen=True)
class Phrase:
    text: str
    slop: int = 0  # 0: exact phrase; N: words within N positions (``"a b"~5``)


@dataclass(frozen=True)
class Reference:
    """A statute section, law-report citation, FIR or court case number, by canonical legalrefs keys.
    Every printed variant of one reference gives the same keys, so they find the same pages."""

    kind: RefKindName
    keys: tuple[str, ...]
    raw: str


@dataclass(frozen=True)
class SectionNumber:
    """``section:302`` with no act named: any act's section 302."""

    value: str


@dataclass(frozen=True)
class FieldValue:
    field: ValueField
    value: str


@dataclass(frozen=True)
class DateRange:
    start: date | None
    end: date | None


@dataclass(frozen=True)
class YearRange:
    start: int | None
    end: int | None


@dataclass(frozen=True)
class And:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Not:
    child: Node


@dataclass(frozen=True)
class Alternative:
    """One other term of a glossary entry (a word or phrase in the other language) or one of its
    statute sections (a reference); ``label`` is how a result names it ("murder", "PPC 302")."""

    label: str
    node: Word | Phrase | Reference


@dataclass(frozen=True)
class Glossed:
    """A glossary term as typed (``original``: a word, or the phrase of a run of words) with its
    alternatives in the other language (``search.glossary``); matches any of them. ``index`` numbers
    the glossed terms of one query (names of the Elasticsearch clauses)."""

    original: Node
    term: str
    entry: str
    alternatives: tuple[Alternative, ...]
    index: int = 0


Leaf = Word | Phrase | Reference | SectionNumber | FieldValue | DateRange | YearRange
Node = Leaf | And | Or | Not | Glossed
