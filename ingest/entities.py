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

from ingest import entity_rules
from ingest.names import name_key
from legalrefs import Reference, find_references, layout

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
RULER_NAME = "cmms_roles"
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")
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
    """legalrefs references of one text (page furniture removed first), spans into ``text``."""
    return [_from_reference(ref) for ref in find_references(text)]


PAGE_JOINT = layout.PAGE_JOINT
joined_pages = layout.joined_pages


def document_rule_entities(texts: Sequence[str]) -> list[list[FoundEntity]]:
    """legalrefs references of a whole document, per page.

    The pages are joined and page furniture (running headers/footers, page numbers) is removed
    (``legalrefs.layout``) before extraction, so a reference broken across a page break (``section
    382-B`` / header / ``Cr.P.C.``) is found. Each reference is then mapped back to every page holding a
    character of it (furniture excluded): a split reference is stored on each of its pages with that
    page's part as span, the same key, and ``attrs["part"] = "1/2"``, ``"2/2"``.
    """
    joined, starts = joined_pages(texts)
    cleaned = layout.clean(joined)
    read = cleaned.text if cleaned else joined
    refs = find_references(read, furniture=False)
    ends = [start + len(text) for start, text in zip(starts, texts, strict=True)]
    out: list[list[FoundEntity]] = [[] for _ in texts]
    for ref in refs:
        # characters of the reference that are text (not the whitespace standing for removed furniture)
        origin = [cleaned.origin[i] if cleaned else i for i in range(ref.start, ref.end) if not read[i].isspace()]
        parts = _page_parts(origin, starts, ends)
        for n, (page, lo, hi) in enumerate(parts, start=1):
            entity = _from_reference(ref)
            attrs = dict(entity.attrs)
            if len(parts) > 1:
                attrs["part"] = f"{n}/{len(parts)}"
            raw = texts[page][lo:hi]
            out[page].append(FoundEntity(entity.kind, entity.key, raw[:MAX_RAW], lo, hi, "rules", attrs))
    return out


def _page_parts(origin: Iterable[int], starts: Sequence[int], ends: Sequence[int]) -> list[tuple[int, int, int]]:
    """(page index, start, end) in page coordinates of the source characters ``origin``, per page."""
    spans: dict[int, list[int]] = {}
    page = 0
    for offset in origin:
        while page + 1 < len(starts) and offset >= starts[page + 1]:
            page += 1
        if starts[page] <= offset < ends[page]:
            spans.setdefault(page, []).append(offset - starts[page])
    return [(p, min(locals_), max(locals_) + 1) for p, locals_ in sorted(spans.items())]


def _from_reference(ref: Reference) -> FoundEntity:
    attrs: dict[str, Any] = dict(ref.attrs)
    if len(ref.keys) > 1:
        attrs["keys"] = list(ref.keys)
    return FoundEntity(
        str(ref.kind), ref.key[:MAX_KEY], ref.raw[:MAX_RAW], ref.start, ref.end, "rules", attrs
    )


def with_ruler(nlp: Any) -> Any:
    """Add the EntityRuler of ``entity_rules.ruler_patterns`` before the model's ``ner`` (once): role
    words and exhibit marks are then taken before the model can read them as people. A stand-in
    pipeline without ``add_pipe`` is returned as it is."""
    if not hasattr(nlp, "add_pipe") or RULER_NAME in getattr(nlp, "pipe_names", ()):
        return nlp
    before = {"before": "ner"} if "ner" in nlp.pipe_names else {}
    ruler = nlp.add_pipe("entity_ruler", name=RULER_NAME, config={"overwrite_ents": True}, **before)
    ruler.add_patterns(entity_rules.ruler_patterns())
    return nlp


def spacy_entities(doc: DocLike) -> list[FoundEntity]:
    """The model's people, organisations, places and dates that survive the filters (kept as data in
    ``entity_rules.json``): no Urdu read by an English model, no page marks or exhibit numbers, people
    cut down to the name (titles and roles off) and only when a name is left, organisations only with
    an organisation's head word, dates only when they are whole dates (``normalise_date`` -> ISO)."""
    found = []
    for ent in doc.ents:
        kind = SPACY_KINDS.get(ent.label_)
        raw = ent.text.strip()
        if kind is None or len(raw) < 2 or entity_rules.ARABIC.search(raw) or entity_rules.is_page_mark(raw):
            continue
        start, end = ent.start_char, ent.end_char
        if kind == "person":
            inner = entity_rules.clean_person(ent.text)
            if inner is None:
                continue
            start, end = ent.start_char + inner[0], ent.start_char + inner[1]
        elif not _kept(kind, raw, doc, ent.end_char):
            continue
        text = ent.text[start - ent.start_char:end - ent.start_char]
        key = normalise_date(text) if kind == "date" else " ".join(text.split())
        if kind == "date" and not _ISO.match(key):
            continue
        found.append(FoundEntity(kind, key[:MAX_KEY], text[:MAX_RAW], start, end, "spacy", _name_attrs(kind, key)))
    return found


def _kept(kind: str, raw: str, doc: DocLike, end: int) -> bool:
    if kind == "org":
        return entity_rules.keep_org(raw)
    if kind == "place":
        return entity_rules.keep_place(raw) and not entity_rules.names_a_law(doc_text(doc), end)
    return True


def typed_rule_entities(text: str) -> list[FoundEntity]:
    """Entities of one page found by ``entity_rules`` (dates, money, courts, places, people and
    organisations by their cues, in English and Urdu)."""
    spans = [*entity_rules.find_dates(text), *entity_rules.find_money(text), *entity_rules.find_courts(text),
             *entity_rules.find_places(text), *entity_rules.find_orgs_en(text), *entity_rules.find_people_en(text),
             *entity_rules.find_urdu(text)]
    return [FoundEntity(s.kind, s.key[:MAX_KEY], text[s.start:s.end][:MAX_RAW], s.start, s.end, "rules",
                        _name_attrs(s.kind, s.key)) for s in spans]


def _name_attrs(kind: str, key: str) -> dict[str, Any]:
    return {"name_key": name_key(key)} if kind == "person" else {}


# Which entity wins when two overlap: legal references (legalrefs) first, then typed rules, then the
# model. A place inside a court's, police station's or organisation's name is not a place of its own.
_RANK = {"rules": 0, "spacy": 2}
_STRONG = frozenset({"citation", "statute", "fir", "case_number", "cnic", "phone", "police_station", "district"})
_NAMES = frozenset({"person", "org", "place", "date", "money", "court"})


def _nests(entity: FoundEntity, blocker: FoundEntity) -> bool:
    # "FIR No. 98 dated 03.02.2024": the date printed inside an FIR or case number is a date too
    return entity.kind == "date" and blocker.kind in ("fir", "case_number")


def doc_text(doc: DocLike) -> str:
    return str(getattr(doc, "text", ""))


def merge(legal: Sequence[FoundEntity], typed: Sequence[FoundEntity],
          model: Sequence[FoundEntity]) -> list[FoundEntity]:
    """One list of a page's entities: every legalrefs reference; then rule entities and model entities
    of the name-like types that do not overlap anything kept before them (rules before the model,
    longer before shorter), so one printed name gets one type."""
    kept: list[FoundEntity] = list(legal)
    blocked = [e for e in legal if e.kind in _STRONG or e.kind == "court"]
    candidates = sorted([*typed, *model], key=lambda e: (_RANK[e.source], -(e.end - e.start), e.start))
    for entity in candidates:
        if entity.kind not in _NAMES:
            continue
        if any(b.start < entity.end and entity.start < b.end and not _nests(entity, b) for b in blocked):
            continue
        blocked.append(entity)
        kept.append(entity)
    return sorted(kept, key=lambda e: (e.start, e.end, e.kind))


def page_entities(texts: Sequence[str], nlp: Pipeline | None) -> list[list[FoundEntity]]:
    """Entities for each page text, in order.

    legalrefs reads the document's pages joined, furniture removed (``document_rule_entities``); the
    typed rules and the model read each page (pages go through spaCy one by one, so ``nlp.max_length``
    and memory stay bounded on long documents; facts A4) in one ``pipe`` call, with the EntityRuler
    before the model and the filters after it."""
    names: list[list[FoundEntity]] = [[] for _ in texts]
    if nlp is not None:
        docs = with_ruler(nlp).pipe(texts, batch_size=16)
        names = [spacy_entities(doc) for doc in docs]
    legal = document_rule_entities(texts)
    return [merge(found, typed_rule_entities(text), model)
            for text, found, model in zip(texts, legal, names, strict=True)]
