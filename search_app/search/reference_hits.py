"""Where a searched legal reference is printed on a page: the snippet around it and the spans to box.

A statute, citation, FIR or case-number query (``302 PPC``, ``PLD 2010 SC 123``, ``fir:310/2004``)
matches pages by canonical key (``query_builder._reference``), not by words, so Elasticsearch has no
words to highlight and would show the top of the page. The spans come from the extraction instead:
each page's ``Entity`` rows carry the kind, key and character span of every reference the nlp stage
found there (the same rows the index's ``statutes``/``citations``/``fir_keys`` fields are built from),
so the snippet marks exactly the printed reference and the viewer boxes exactly its words.

Matching rules (the same as the index's):
* statute: the query key equals the entity key or one of its broader keys (``PPC 302`` matches a page
  printing ``302(b) PPC``; ``PPC 302(b)`` does not match ``PPC 302``); ``section:302`` matches the
  section part of any act;
* citation / case number: equal keys (case numbers case-insensitively, as the keyword normaliser);
* FIR: the query key equals any of the entity's key forms (``FIR 310/2004`` and
  ``FIR 310/2004 PS Fatehpur``), case-insensitively.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Protocol

from markupsafe import Markup

from indexer.documents import statute_keys_with_broader
from search_app.search.ast import And, Node, Or, Reference, SectionNumber
from search_app.search.results import PageHit, SearchResults

FRAGMENT_CHARS = 160
REFERENCE_KINDS = ("statute", "citation", "fir", "case_number")
RefNode = Reference | SectionNumber


@dataclass(frozen=True, slots=True)
class RefSpan:
    """One extracted reference on a page: kind, every key it is indexed under, span in the page text."""

    kind: str
    keys: tuple[str, ...]
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class PageRefs:
    """A page's effective text and its reference spans."""

    text: str
    spans: tuple[RefSpan, ...]


class PageRefsLoader(Protocol):
    """``{(document_id, page_no): PageRefs}`` for the given pages (missing pages are left out)."""

    def __call__(self, pages: Sequence[tuple[int, int]]) -> Mapping[tuple[int, int], PageRefs]: ...


def entity_span(kind: str, key: str, attrs: Mapping[str, object] | None, start: int, end: int) -> RefSpan:
    """A ``RefSpan`` from an ``Entity`` row's fields (FIR rows list their other key forms in attrs)."""
    keys = [key]
    if kind == "statute":
        keys = statute_keys_with_broader([key])
    elif kind == "fir":
        extra = (attrs or {}).get("keys")
        if isinstance(extra, list | tuple):
            keys += [str(k) for k in extra if str(k) not in keys]
    return RefSpan(kind, tuple(keys), start, end)


def positive_references(node: Node | None) -> tuple[RefNode, ...]:
    """Reference and bare-section leaves of a query that a page must (or may) match; not those under NOT."""
    if isinstance(node, Reference | SectionNumber):
        return (node,)
    if isinstance(node, And | Or):
        return tuple(r for child in node.children for r in positive_references(child))
    return ()


def span_matches(span: RefSpan, ref: RefNode) -> bool:
    if isinstance(ref, SectionNumber):
        wanted = ref.value.lower()
        return span.kind == "statute" and any(k.partition(" ")[2].lower() == wanted for k in span.keys)
    if span.kind != ref.kind:
        return False
    if ref.kind in ("fir", "case_number"):
        return bool({k.lower() for k in span.keys} & {k.lower() for k in ref.keys})
    return bool(set(span.keys) & set(ref.keys))


def matching_spans(spans: Iterable[RefSpan], refs: Sequence[RefNode]) -> list[RefSpan]:
    """Spans matching any of ``refs``, in text order."""
    return sorted((s for s in spans if any(span_matches(s, r) for r in refs)), key=lambda s: (s.start, s.end))


def _valid(spans: Iterable[RefSpan], text: str) -> list[tuple[int, int]]:
    # a span out of the text (a page corrected after extraction) is skipped, not fatal
    return [(s.start, s.end) for s in spans if 0 <= s.start < s.end <= len(text)]


def reference_fragment(text: str, spans: Sequence[RefSpan], width: int = FRAGMENT_CHARS) -> Markup | None:
    """An escaped excerpt of about ``width`` characters around the first span, every span inside it
    wrapped in ``<mark>``; None when no span fits the text. The only markup is ``<mark>``."""
    marks = _valid(spans, text)
    if not marks:
        return None
    first_start, first_end = marks[0]
    pad = max((width - (first_end - first_start)) // 2, 20)
    lo, hi = max(first_start - pad, 0), min(first_end + pad, len(text))
    while lo > 0 and not text[lo - 1].isspace() and first_start - lo < pad + 15:  # start on a word
        lo -= 1
    while hi < len(text) and not text[hi].isspace() and hi - first_end < pad + 15:
        hi += 1
    out: list[str] = []
    pos = lo
    for start, end in marks:
        if start < pos or end > hi:
            continue
        out.append(html.escape(text[pos:start], quote=True))
        out.append("<mark>" + html.escape(text[start:end], quote=True) + "</mark>")
        pos = end
    out.append(html.escape(text[pos:hi], quote=True))
    return Markup(" ".join("".join(out).split()))  # noqa: S704 - every text part escaped above


def _with_fragment(hit: PageHit, fragment: Markup) -> PageHit:
    # Word highlights from Elasticsearch stay after the reference; the unmarked top-of-page excerpt goes.
    marked = [f for f in hit.fragments if "<mark>" in f]
    return replace(hit, fragments=(fragment, *marked)[:3])


def apply_reference_fragments(results: SearchResults, node: Node | None,
                              pages: Mapping[tuple[int, int], PageRefs]) -> SearchResults:
    """``results`` with each hit page's snippet centred on the searched reference where it is printed."""
    refs = positive_references(node)
    if not refs:
        return results
    groups = []
    for group in results.groups:
        hits = []
        for hit in group.pages:
            page = pages.get((group.document_id, hit.page_no))
            fragment = None
            if page is not None:
                fragment = reference_fragment(page.text, matching_spans(page.spans, refs))
            hits.append(_with_fragment(hit, fragment) if fragment is not None else hit)
        groups.append(replace(group, pages=tuple(hits)))
    return replace(results, groups=tuple(groups))


def hit_pages(results: SearchResults) -> list[tuple[int, int]]:
    """``(document_id, page_no)`` of every page hit shown."""
    return [(g.document_id, h.page_no) for g in results.groups for h in g.pages]
