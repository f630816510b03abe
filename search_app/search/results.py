"""Typed search results, and the one place highlight fragments become HTML."""

from __future__ import annotations

import html
import re
from dataclasses import asdict, dataclass
from typing import Any

from markupsafe import Markup, escape

from search_app.search.glossary import GlossaryMatch

_MARK = re.compile(r"(</?mark>)")


def safe_fragment(fragment: str) -> Markup:
    """Re-escape an Elasticsearch fragment so the ONLY markup left is ``<mark>``/``</mark>``.

    ES already escaped the text (``"encoder": "html"``); unescaping and escaping again with
    MarkupSafe gives one canonical form and keeps us safe even if a cluster ignored the encoder.
    """
    parts = _MARK.split(fragment)
    out = []
    for part in parts:
        if part in ("<mark>", "</mark>"):
            out.append(part)
        else:
            out.append(str(escape(html.unescape(part))))
    return Markup("".join(out))  # noqa: S704 - every non-<mark> part was escaped just above


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, Markup):
        return str(value)
    return value


@dataclass(frozen=True)
class PageHit:
    page_no: int
    score: float | None
    fragments: tuple[Markup, ...]


@dataclass(frozen=True)
class DocumentGroup:
    document_id: int
    title: str
    doc_type: str
    case_id: int | None
    district: str
    court: str
    citation: str
    is_case_law: bool
    doc_date: str | None
    score: float | None
    pages: tuple[PageHit, ...]
    # Glossary terms this document matched only in the other language ("قتل" as "murder", "PPC 302").
    glossary: tuple[GlossaryMatch, ...] = ()
    caselaw_id: int | None = None
    treatment_flag: str = ""  # citator warning on a judgment: "overruled" or "doubted"
    published: bool = False


@dataclass(frozen=True)
class FacetBucket:
    value: str
    pages: int
    documents: int
    selected: bool


@dataclass(frozen=True)
class Facet:
    name: str
    label: str
    buckets: tuple[FacetBucket, ...]


@dataclass(frozen=True)
class SearchResults:
    total_documents: int
    total_pages: int
    took_ms: int
    page: int
    page_size: int
    groups: tuple[DocumentGroup, ...]
    facets: tuple[Facet, ...]
    timed_out: bool = False

    def to_json(self) -> dict[str, Any]:
        """Plain JSON-ready dict (fragments stay escaped HTML strings with <mark> tags)."""
        return _plain(asdict(self))
