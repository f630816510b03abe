"""What the document viewer shows for one page, built from the stored rows (no Flask here)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from indexer.documents import has_arabic_script
from models import Entity, Page
from search_app.views.wordboxes import Term, WordBox, matching_boxes, text_has_match

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


def page_boxes(page: Page, terms: Sequence[Term]) -> list[WordBox]:
    return matching_boxes(page.words or [], terms)


def hit_navigation(pages: Sequence[tuple[int, str]], current: int, terms: Sequence[Term]) -> HitNavigation:
    """Pages (``(page_no, effective text)``) containing a term, and the hit pages around ``current``.
    Text, not word boxes, decides: the boxes are a subset of the text, and loading every page's boxes
    for a 500-page file would be wasted work."""
    hits = tuple(no for no, text in pages if terms and text_has_match(text, terms))
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
