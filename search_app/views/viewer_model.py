"""What the document viewer shows for one page, built from the stored rows (no Flask here)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from indexer.documents import has_arabic_script
from models import Entity, Page
from search_app.search.ast import And, FieldValue, Glossed, Node, Or, Phrase, Reference, Word
from search_app.search.glossary import expand, glossed_nodes
from search_app.search.query_parser import ParseError, parse
from search_app.search.reference_hits import (
    REFERENCE_KINDS,
    RefNode,
    RefSpan,
    entity_span,
    matching_spans,
    positive_references,
)
from search_app.views.wordboxes import Term, WordBox, matching_boxes, query_terms, text_has_match

_RTL_LANGUAGES = ("urd", "pus", "ara", "fas", "ur", "ps")


@dataclass(frozen=True)
class HitNavigation:
    hit_pages: tuple[int, ...]
    previous_hit: int | None
    next_hit: int | None


@dataclass(frozen=True)
class EntityGroup:
    kind: str
    values: tuple[tuple[str, int], ...]  # (normalised key, first page number)


def text_direction(page: Page) -> str:
    """``rtl`` for Urdu/Pashto pages, ``auto`` otherwise (mixed pages let the browser decide per line)."""
    language = (page.language or "").lower()
    if any(code in language.split("+")[:1] for code in _RTL_LANGUAGES):
        return "rtl"
    if not language and has_arabic_script(page.effective_text[:500]):
        return "rtl"
    return "auto"


_TEXT_FIELDS = frozenset({"ps", "court", "party", "judge"})


@dataclass(frozen=True)
class ViewerQuery:
    """The viewer's reading of the search-box text: legal references (boxed where the nlp stage found
    them) and the remaining words (boxed by loose word matching). A reference's own words (``PLD``,
    ``SC``, ``302``) are never boxed as words: they would box every ``SC`` on the page."""

    text: str
    refs: tuple[RefNode, ...]
    terms: tuple[Term, ...]

    def __bool__(self) -> bool:
        return bool(self.refs or self.terms)


def _word_texts(node: Node | None) -> list[str]:
    if isinstance(node, And | Or):
        return [t for child in node.children for t in _word_texts(child)]
    if isinstance(node, Glossed):  # the term as typed and its glossary terms in the other language
        return [*_word_texts(node.original), *(t for a in node.alternatives for t in _word_texts(a.node))]
    if isinstance(node, Word):
        return [node.text + ("*" if node.prefix else "")]
    if isinstance(node, Phrase):
        return [node.text]
    if isinstance(node, FieldValue) and node.field in _TEXT_FIELDS:
        return [node.value]
    return []  # references, dates, NOT clauses: nothing to box as words


def viewer_query(text: str) -> ViewerQuery:
    """Parse like the search does; a query the parser refuses is read loosely, word by word."""
    try:
        node = parse(text)
    except ParseError:
        return ViewerQuery(text, (), query_terms(text))
    node = expand(node)  # as the search does: an Urdu term boxes its English equivalents, and back
    refs = (*positive_references(node), *(a.node for g in glossed_nodes(node) for a in g.alternatives
                                          if isinstance(a.node, Reference)))
    return ViewerQuery(text, refs, query_terms(" ".join(_word_texts(node))))


def _spans(entities: Sequence[Entity], text: str) -> list[RefSpan]:
    """Reference spans of a page's entities that still fit its text (a page corrected after extraction
    may have moved them; those are skipped)."""
    return [entity_span(e.kind, e.key, e.attrs, e.start, e.end) for e in entities
            if e.kind in REFERENCE_KINDS and e.raw and text[e.start:e.end][:len(e.raw)] == e.raw]


def reference_boxes(page: Page, refs: Sequence[RefNode]) -> list[WordBox]:
    """Boxes of the words (``Page.words`` char spans into ``Page.text``) inside the printed references
    the query names."""
    if not refs:
        return []
    spans = matching_spans(_spans(page.entities, page.text or ""), refs)
    boxes: list[WordBox] = []
    for entry in page.words or []:
        if len(entry) < 8 or not isinstance(entry[0], str):
            continue
        text, left, top, width, height, _conf, start, end = entry[:8]
        if not all(isinstance(v, int | float) for v in (left, top, width, height, start, end)):
            continue
        if any(s.start < end and start < s.end for s in spans):
            boxes.append(WordBox(text, int(left), int(top), int(width), int(height)))
    return boxes


def page_boxes(page: Page, query: ViewerQuery) -> list[WordBox]:
    """The boxes to draw over the page image: the matched references' words, then the matched words."""
    boxes = reference_boxes(page, query.refs)
    for box in matching_boxes(page.words or [], query.terms):
        if box not in boxes:
            boxes.append(box)
    return boxes


def hit_navigation(pages: Sequence[tuple[int, str]], current: int, query: ViewerQuery,
                   search_hits: Sequence[int] | None = None,
                   entities: Sequence[Entity] = (), page_numbers: dict[int, int] | None = None) -> HitNavigation:
    """The hit pages and those around ``current``.

    ``search_hits`` (``search.service.document_hit_pages``) are the pages the search itself matched,
    so the viewer says the same number the search did. Without them (Elasticsearch unavailable, a
    query the parser refuses) hits are pages whose text contains a word or whose extracted references
    match (``pages`` are ``(page_no, effective text)``, ``entities`` the document's rows)."""
    if search_hits is not None:
        hits = tuple(sorted(set(search_hits)))
    else:
        numbers = page_numbers or {}
        texts = dict(pages)
        ref_pages = {numbers.get(e.page_id, 0) for e in entities if e.kind in REFERENCE_KINDS
                     and matching_spans([entity_span(e.kind, e.key, e.attrs, e.start, e.end)], query.refs)}
        hits = tuple(no for no, text in pages if (query.terms and text_has_match(text, query.terms))
                     or (no in ref_pages and no in texts))
    previous = max((n for n in hits if n < current), default=None)
    following = min((n for n in hits if n > current), default=None)
    return HitNavigation(hits, previous, following)


def entity_groups(entities: Sequence[Entity], page_numbers: dict[int, int]) -> list[EntityGroup]:
    """Entities grouped by kind, each value once with the first page it appears on."""
    grouped: dict[str, dict[str, int]] = defaultdict(dict)
    for entity in entities:
        key = entity.key or entity.raw
        page_no = page_numbers.get(entity.page_id, 0)
        known = grouped[entity.kind].get(key)
        if known is None or page_no < known:
            grouped[entity.kind][key] = page_no
    return [
        EntityGroup(kind, tuple(sorted(values.items(), key=lambda kv: (kv[1], kv[0]))))
        for kind, values in sorted(grouped.items())
    ]
