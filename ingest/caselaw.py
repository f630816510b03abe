"""The case-law base from ingested judgments: one ``CaseLaw`` entry per judgment document, and the
citation network (``CaseLawCitation``) resolved against the entries already in the collection.

Metadata read from the first page(s) is best-effort and only fills EMPTY fields: a librarian's or the
corpus index's values are never overwritten by a guess from OCR text.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from ingest.entities import FoundEntity, normalise_date
from legalrefs import normalise
from models import CaseLaw, CaseLawCitation, Document

FIRST_PAGE_CITATION_WINDOW = 400  # a reported judgment prints its own citation at the very top
_DECIDED = re.compile(
    r"(?:date\s+of\s+(?:hearing|decision|judg(?:e)?ment)|decided\s+on|announced\s+on)\s*[:\-.]?\s*"
    r"(?P<date>\d{1,2}[./\-]\d{1,2}[./\-](?:19|20)\d{2}|\d{1,2}(?:st|nd|rd|th)?\s+[A-Za-z]+,?\s+(?:19|20)\d{2})",
    re.IGNORECASE,
)
_JUDGE = re.compile(r"(?:Mr|MR|Mrs|MRS|Ms|MS)\.?[ \t]*(?:Justice|JUSTICE)(?:[ \t]+[A-Z][A-Za-z.'\-]*){1,5}")
_VERSUS = re.compile(r"^\s*(?:versus|vs\.?|v\.)\s*$", re.IGNORECASE | re.MULTILINE)
_ROLE_TAIL = re.compile(
    r"[.\s…]*(?:petitioner|appellant|respondent|applicant|accused|complainant)s?\b.*$", re.IGNORECASE
)


@dataclass(frozen=True, slots=True)
class JudgmentMeta:
    citation: str = ""
    case_number: str = ""
    court: str = ""
    decided_on: date | None = None
    parties: str = ""
    judge: str = ""


def judgment_meta_from_text(first_pages: str, entities: Sequence[FoundEntity]) -> JudgmentMeta:
    """Best-effort metadata from the text of the first page(s) and its entities."""

    def first(kind: str, within: int | None = None) -> str:
        for e in entities:
            if e.kind == kind and (within is None or e.start < within):
                return e.key
        return ""

    decided = None
    if m := _DECIDED.search(first_pages):
        iso = normalise_date(m.group("date"))
        decided = _parse_iso(iso)
    judge = m.group(0).strip() if (m := _JUDGE.search(first_pages)) else ""
    return JudgmentMeta(
        citation=first("citation", FIRST_PAGE_CITATION_WINDOW),
        case_number=first("case_number"),
        court=first("court"),
        decided_on=decided,
        parties=_parties(first_pages),
        judge=" ".join(judge.split()),
    )


def _parse_iso(value: str) -> date | None:
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def _parties(text: str) -> str:
    """``A ... Petitioner / Versus / B ... Respondent`` -> ``A v. B``."""
    m = _VERSUS.search(text)
    if m is None:
        return ""
    before = [ln.strip() for ln in text[: m.start()].splitlines() if ln.strip()]
    after = [ln.strip() for ln in text[m.end() :].splitlines() if ln.strip()]
    if not before or not after:
        return ""
    left, right = _ROLE_TAIL.sub("", before[-1]).strip(), _ROLE_TAIL.sub("", after[0]).strip()
    return f"{left} v. {right}"[:500] if left and right else ""


def merge_meta(row: CaseLaw, meta: JudgmentMeta) -> None:
    """Fill only the empty fields of ``row``."""
    for f in fields(meta):
        value = getattr(meta, f.name)
        if value and not getattr(row, f.name):
            setattr(row, f.name, value)


def upsert_case_law(session: Session, document: Document, meta: JudgmentMeta) -> CaseLaw:
    row = session.scalars(select(CaseLaw).where(CaseLaw.document_id == document.id)).first()
    if row is None:
        row = CaseLaw(document_id=document.id)
        session.add(row)
    merge_meta(row, meta)
    session.flush()
    return row


def record_citations(session: Session, case_law: CaseLaw, cited_keys: Sequence[str]) -> int:
    """Replace the judgment's outgoing citations (idempotent), resolve them to known judgments, and
    resolve earlier judgments' citations of THIS one. Returns the number of distinct cited keys."""
    counts = Counter(k for k in cited_keys if k and k != case_law.citation)
    session.execute(delete(CaseLawCitation).where(CaseLawCitation.citing_id == case_law.id))
    known = {
        c.citation: c.id
        for c in session.scalars(
            select(CaseLaw).where(CaseLaw.citation.in_(list(counts)), CaseLaw.citation != "")
        )
    }
    for key, n in sorted(counts.items()):
        session.add(
            CaseLawCitation(citing_id=case_law.id, cited_key=key, cited_id=known.get(key), occurrences=n)
        )
    if case_law.citation:
        session.execute(
            update(CaseLawCitation)
            .where(CaseLawCitation.cited_key == case_law.citation, CaseLawCitation.cited_id.is_(None))
            .values(cited_id=case_law.id)
        )
    session.flush()
    return len(counts)


# --- corpus sample metadata (``cmms seed-samples``) -------------------------------------------------


SUPREME_COURT = "Supreme Court of Pakistan"


def load_corpus_index(path: Path) -> dict[str, JudgmentMeta]:
    """The pk-supreme-court ``index.tsv``: file name -> metadata as the Court published it."""
    result: dict[str, JudgmentMeta] = {}
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            result[row["file"]] = JudgmentMeta(
                citation=_corpus_citation(row.get("citation", ""))
                or _corpus_citation(row.get("sc_citation", "")),
                case_number=_clean(row.get("case_no", "")),
                court=SUPREME_COURT,
                decided_on=_corpus_date(row.get("judgment_date", "")),
                parties=_clean(row.get("case_title", ""))[:500],
                judge=_clean(row.get("author_judge", ""))[:300],
            )
    return result


def _clean(value: str) -> str:
    value = " ".join(value.split())
    return "" if value.upper() in ("N/A", "NA", "") else value


def _corpus_citation(value: str) -> str:
    value = _clean(value)
    keys = normalise(value) if value else []
    return keys[0] if keys else ""


def _corpus_date(value: str) -> date | None:
    try:
        return datetime.strptime(value.strip(), "%d-%m-%Y").date()
    except ValueError:
        return None
