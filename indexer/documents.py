"""Typed index records and their builders from the SQL rows.

Ids are deterministic (``page-{document_id}-{page_no}``, ``doc-{document_id}``), so indexing the same
document twice overwrites instead of duplicating.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import date, datetime
from typing import Any

from ingest.names import name_key
from models import Case, CaseLaw, Document, Entity, Page

_ARABIC_SCRIPT = re.compile("[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")
_SUBCLAUSE = re.compile(r"\([^()]*\)$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

# Entity kinds written by the extraction step (spaCy labels and legalrefs kinds) -> index field.
_PERSON_KINDS = frozenset({"person", "per"})
_ORG_KINDS = frozenset({"org", "organisation", "organization"})
_PLACE_KINDS = frozenset({"place", "gpe", "loc", "location", "district", "police_station"})


def page_es_id(document_id: int, page_no: int) -> str:
    return f"page-{document_id}-{page_no}"


def document_es_id(document_id: int) -> str:
    return f"doc-{document_id}"


def statute_keys_with_broader(keys: Iterable[str]) -> list[str]:
    """``PPC 302(b)(ii)`` -> also ``PPC 302(b)`` and ``PPC 302``: a search for the section finds the
    sub-clauses, a search for the sub-clause stays narrow."""
    out: list[str] = []
    for key in keys:
        current = key.strip()
        while current:
            if current not in out:
                out.append(current)
            shorter = _SUBCLAUSE.sub("", current)
            if shorter == current:
                break
            current = shorter
    return out


def statute_sections(keys: Iterable[str]) -> list[str]:
    """Bare section numbers (``302``, ``302(b)``) for ``section:302`` when no act is typed."""
    out: list[str] = []
    for key in keys:
        _, _, section = key.partition(" ")
        if section and section not in out:
            out.append(section)
    return out


def has_arabic_script(text: str) -> bool:
    return bool(_ARABIC_SCRIPT.search(text))


def _unique(values: Iterable[str]) -> list[str]:
    seen: dict[str, None] = {}
    for value in values:
        value = value.strip()
        if value:
            seen.setdefault(value, None)
    return list(seen)


def _iso(value: date | datetime | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.isoformat()
    return value.isoformat()


def _drop_empty(source: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in source.items() if v is not None and v != [] and v != ""}


@dataclass(frozen=True)
class DocumentContext:
    """Document-level facts shared by the document record and every page record."""

    document_id: int
    title: str
    doc_type: str
    district_id: int | None
    district: str
    case_id: int | None
    case_number: str = ""
    fir_keys: tuple[str, ...] = ()
    police_station: str = ""
    court: str = ""
    case_stage: str = ""
    is_case_law: bool = False
    sealed: bool = False
    citation: str = ""
    reported_citations: tuple[str, ...] = ()  # every report of a judgment, main first
    case_numbers: tuple[str, ...] = ()  # every case number of a judgment, first first
    judges: tuple[str, ...] = ()
    parties: tuple[str, ...] = ()
    decided_on: date | None = None
    doc_date: date | None = None
    year: int | None = None
    created_at: datetime | None = None
    case_statutes: tuple[str, ...] = ()
    summary: str = ""
    caselaw_id: int | None = None
    published: bool = False
    treatment_flag: str = ""
    cited_by_count: int = 0

    def shared_source(self) -> dict[str, Any]:
        return {
            "document_id": str(self.document_id),
            "title": self.title,
            "doc_type": self.doc_type,
            "district_id": None if self.district_id is None else str(self.district_id),
            "district": self.district,
            "case_id": None if self.case_id is None else str(self.case_id),
            "case_number": self.case_number,
            "fir_keys": list(self.fir_keys),
            "police_station": self.police_station,
            "court": self.court,
            "case_stage": self.case_stage,
            "is_case_law": self.is_case_law,
            "sealed": True if self.sealed else None,  # only written when true: older indices stay valid
            "citation": self.citation,
            "reported_citations": list(self.reported_citations),
            "case_numbers": list(self.case_numbers),
            "judges": list(self.judges),
            "parties": list(self.parties),
            "party_keys": [k for k in (name_key(p) for p in self.parties) if k] or None,
            "decided_on": _iso(self.decided_on),
            "doc_date": _iso(self.doc_date),
            "year": self.year,
            "created_at": _iso(self.created_at),
            "caselaw_id": None if self.caselaw_id is None else str(self.caselaw_id),
            "published": self.published if self.is_case_law else None,
            "treatment_flag": self.treatment_flag,
            "cited_by_count": self.cited_by_count if self.is_case_law else None,
        }


@dataclass(frozen=True)
class PageEntities:
    """Index-ready values of one page's extracted entities."""

    people: tuple[str, ...] = ()
    orgs: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    statutes: tuple[str, ...] = ()
    citations: tuple[str, ...] = ()
    fir_keys: tuple[str, ...] = ()
    dates: tuple[str, ...] = ()


@dataclass(frozen=True)
class PageIndexDoc:
    context: DocumentContext
    page_no: int
    text: str
    text_machine: str | None
    language: str
    source: str
    mean_confidence: float | None
    entities: PageEntities = field(default_factory=PageEntities)

    @property
    def es_id(self) -> str:
        return page_es_id(self.context.document_id, self.page_no)

    def to_source(self) -> dict[str, Any]:
        shared = self.context.shared_source()
        shared["fir_keys"] = _unique([*self.context.fir_keys, *self.entities.fir_keys])
        return _drop_empty({
            **shared,
            "page_no": self.page_no,
            "text": self.text,
            "text_rtl": self.text if has_arabic_script(self.text) else None,
            "text_machine": self.text_machine,
            "language": self.language,
            "source": self.source,
            "mean_confidence": self.mean_confidence,
            "people": list(self.entities.people),
            "orgs": list(self.entities.orgs),
            "places": list(self.entities.places),
            "statutes": list(self.entities.statutes),
            "statute_sections": statute_sections(self.entities.statutes),
            "citations": list(self.entities.citations),
            "dates": list(self.entities.dates),
        })


@dataclass(frozen=True)
class DocumentIndexDoc:
    context: DocumentContext
    page_count: int
    status: str
    language: str
    statutes: tuple[str, ...] = ()
    citations: tuple[str, ...] = ()

    @property
    def es_id(self) -> str:
        return document_es_id(self.context.document_id)

    def to_source(self) -> dict[str, Any]:
        return _drop_empty({
            **self.context.shared_source(),
            "page_count": self.page_count,
            "status": self.status,
            "language": self.language,
            "statutes": list(self.statutes),
            "citations": list(self.citations),
            "summary": self.context.summary,
        })


# --- builders from SQL rows -----------------------------------------------------------------------


def _case_fir_keys(case: Case) -> tuple[str, ...]:
    # Same forms legalrefs gives FIR references: "FIR 45/2019" and "FIR 45/2019 PS Saddar".
    base = f"FIR {case.fir_number}/{case.fir_year}"
    return (base, f"{base} PS {case.police_station.name}") if case.police_station else (base,)


def _case_fields(case: Case) -> dict[str, Any]:
    return {
        "case_id": case.id,
        "case_number": case.court_case_number,
        "fir_keys": _case_fir_keys(case),
        "police_station": case.police_station.name if case.police_station else "",
        "court": case.court,
        "case_stage": str(case.stage),
        "sealed": bool(case.sealed),
        "parties": tuple(_unique(p.name for p in case.parties)),
        "year": case.fir_year,
        "case_statutes": tuple(statute_keys_with_broader(case.sections or [])),
    }


def _case_law_fields(case_law: CaseLaw) -> dict[str, Any]:
    from caselaw.presentation import judgment_title

    fields: dict[str, Any] = {
        "title": judgment_title(case_law),
        "caselaw_id": case_law.id,
        "published": case_law.is_published,
        "is_case_law": True,
        "citation": case_law.citation,
        "reported_citations": tuple(case_law.citation_keys),
        "case_numbers": tuple(_unique([case_law.case_number, *(case_law.case_numbers or [])])),
        "judges": tuple(_unique(re.split(r"\s*[,;&]\s*|\s+and\s+", case_law.judge or ""))),
        "decided_on": case_law.decided_on,
        "doc_date": case_law.decided_on,
        "summary": case_law.summary,
    }
    if case_law.court:
        fields["court"] = case_law.court
    if case_law.case_number:
        fields["case_number"] = case_law.case_number
    if case_law.bench and not case_law.judge:
        fields["judges"] = tuple(_unique(case_law.bench))
    if case_law.parties:
        fields["parties"] = (case_law.parties,)
    if case_law.decided_on:
        fields["year"] = case_law.decided_on.year
    return fields


def document_context(document: Document, case: Case | None, case_law: CaseLaw | None,
                     treatment_flag: str = "", cited_by_count: int = 0) -> DocumentContext:
    """The facts shared by a document's records. ``case`` must already be one the document's readers may
    read (``indexer.reindex`` loads it through ``auth.scope``). A judgment's record counts whatever its
    status; ``published`` (read by the scope filter) says whether a librarian approved it."""
    context = DocumentContext(
        document_id=document.id,
        title=document.title or document.original_filename,
        doc_type=str(document.doc_type),
        district_id=document.district_id,
        district=document.district.name if document.district else "",
        case_id=None,
        created_at=document.created_at,
    )
    if case is not None:
        context = replace(context, **_case_fields(case))
    if case_law is not None:
        context = replace(context, **_case_law_fields(case_law), treatment_flag=treatment_flag,
                          cited_by_count=cited_by_count)
    return context


def page_entities(entities: Sequence[Entity]) -> PageEntities:
    people: list[str] = []
    orgs: list[str] = []
    places: list[str] = []
    statutes: list[str] = []
    citations: list[str] = []
    firs: list[str] = []
    dates: list[str] = []
    for entity in entities:
        kind = entity.kind.lower()
        key = entity.key or entity.raw
        if kind in _PERSON_KINDS:
            people.append(key)
        elif kind in _ORG_KINDS:
            orgs.append(key)
        elif kind in _PLACE_KINDS:
            places.append(key)
        elif kind == "statute":
            statutes.extend(statute_keys_with_broader([key]))
        elif kind == "citation":
            citations.append(key)
        elif kind == "fir":
            # every key form a person types: "FIR 310/2004 PS Fatehpur" and "FIR 310/2004" (legalrefs keys)
            firs.extend([key, *(str(k) for k in (entity.attrs or {}).get("keys", ()))])
        elif kind == "date" and _ISO_DATE.match(key):
            dates.append(key)
    return PageEntities(
        people=tuple(_unique(people)), orgs=tuple(_unique(orgs)), places=tuple(_unique(places)),
        statutes=tuple(_unique(statutes)), citations=tuple(_unique(citations)),
        fir_keys=tuple(_unique(firs)), dates=tuple(_unique(dates)),
    )


def page_doc(context: DocumentContext, page: Page, entities: Sequence[Entity]) -> PageIndexDoc:
    corrected = page.corrected_text is not None
    return PageIndexDoc(
        context=context,
        page_no=page.page_no,
        text=page.effective_text,
        text_machine=page.text if corrected else None,
        language=page.language,
        source=str(page.source) if page.source else "",
        mean_confidence=page.mean_confidence,
        entities=page_entities(entities),
    )


def document_doc(
    context: DocumentContext, document: Document, pages: Sequence[PageIndexDoc]
) -> DocumentIndexDoc:
    statutes = _unique([*context.case_statutes, *(k for p in pages for k in p.entities.statutes)])
    citations = _unique(k for p in pages for k in p.entities.citations)
    languages = _unique(p.language for p in pages)
    return DocumentIndexDoc(
        context=context,
        page_count=document.page_count or len(pages),
        status=str(document.status),
        language=languages[0] if len(languages) == 1 else ("mixed" if languages else ""),
        statutes=tuple(statutes),
        citations=tuple(citations),
    )


def as_dict(doc: PageIndexDoc | DocumentIndexDoc) -> dict[str, Any]:
    """Debug view of a record (dataclass fields, not the Elasticsearch source)."""
    return asdict(doc)
