"""The case-law base from ingested judgments: one ``CaseLaw`` entry per judgment document (its record
read by ``caselaw.record``), the citation network (``CaseLawCitation``) resolved against the entries
already in the collection, and the suggested treatment of every cited precedent (``caselaw.treatment``).

The record read from the text fills EMPTY fields, and replaces on an unpublished entry only what the
extractor itself read before and nobody changed since (``CaseLaw.machine_values``): a librarian's or the
corpus index's values are never overwritten by the extractor. A new entry is ``pending``: it stays in its
district until a librarian approves it. Confirmed treatments survive re-extraction.

``judgment_meta_from_text`` is the earlier best-effort reader, kept as the baseline that
``bench/judgment_records.py`` measures the record extractor against.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from caselaw import network
from caselaw.record import JudgmentRecord, judge_name, load_rules
from caselaw.treatment import Suggestion
from ingest.entities import FoundEntity, normalise_date
from legalrefs import normalise
from models import CaseLaw, CaseLawCitation, CaseLawStatus, CitationTreatment, Document, DocumentStatus

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


def record_fields(record: JudgmentRecord, citation: str = "") -> dict[str, object]:
    """CaseLaw column -> value read from the judgment (empty values left out)."""
    source = record.appealed_from
    values: dict[str, object] = {
        "citation": citation,
        "case_number": record.case_numbers[0] if record.case_numbers else "",
        "case_numbers": list(record.case_numbers),
        "court": record.court,
        "decided_on": record.decided_on,
        "parties": record.parties[:500],
        "judge": record.author[:300],
        "bench": list(record.bench),
        "result": record.result,
        "appealed_from_court": source.court if source else "",
        "appealed_from_case": source.case if source else "",
        "appealed_from_date": source.decided_on if source else None,
    }
    return {k: v for k, v in values.items() if v}


@dataclass(frozen=True, slots=True)
class RecordUpdate:
    """What ``upsert_record`` did: the entry, and the values it replaced, field -> {"old", "new"}
    (strings, for the audit trail; fields it only filled are not listed)."""

    entry: CaseLaw
    replaced: dict[str, dict[str, str]]


def _json_form(value: object) -> object:
    return value.isoformat() if isinstance(value, date) else value


def upsert_record(session: Session, document: Document, record: JudgmentRecord, citation: str = "") -> RecordUpdate:
    """The judgment's entry from ``record`` (a new entry is pending).

    - An empty field is filled.
    - On an entry not yet published, a field still holding what the extractor last read
      (``CaseLaw.machine_values``) is replaced by a different reading now: better rules, or a page a
      clerk corrected, mend what the machine got wrong.
    - A value a person or the corpus index set (it differs from the machine's reading) is never replaced,
      nor is the citation (changing it relinks the citation network: a librarian's act), nor any value
      of a published entry (a librarian approved it). A value the new reading lacks is kept.

    ``machine_values`` then holds this reading. The title follows replaced parties when it was still
    the machine's (``retitle``)."""
    row = session.scalars(select(CaseLaw).where(CaseLaw.document_id == document.id)).first()
    if row is None:
        row = CaseLaw(document_id=document.id)
        session.add(row)
    from caselaw.presentation import judgment_title

    machine_title = judgment_title(row)[:300] if row.parties else ""
    machine = dict(row.machine_values or {})
    replaced: dict[str, dict[str, str]] = {}
    for name, value in record_fields(record, citation).items():
        current = getattr(row, name)
        reading = _json_form(value)
        if not current:
            setattr(row, name, value)
        elif (name != "citation" and not row.is_published and name in machine
              and machine[name] == _json_form(current) and reading != machine[name]):
            replaced[name] = {"old": str(_json_form(current)), "new": str(reading)}
            setattr(row, name, value)
        machine[name] = reading
    row.machine_values = machine
    retitle(document, row, machine_title if "parties" in replaced else "")
    session.flush()
    return RecordUpdate(row, replaced)


def retitle(document: Document, row: CaseLaw, machine_title: str = "") -> None:
    """A judgment is listed by its title (parties), not its file name: replace a title that is still
    the one intake made from the file name, or ``machine_title`` (the title made from the parties the
    machine read before, when a re-read replaced them); a person's title is kept."""
    from pathlib import Path

    from caselaw.presentation import judgment_title

    from_filename = Path(document.original_filename).stem.replace("_", " ").strip()
    kept = {"", from_filename, document.original_filename} | ({machine_title} if machine_title else set())
    if row.parties and document.title in kept:
        document.title = judgment_title(row)[:300]


def mark_for_reread(session: Session) -> list[int]:
    """Judgments whose records the current rules should read again: every unpublished entry (pending or
    withdrawn) whose document is indexed. Each such document goes back to ``extracting`` (its pages and
    their text are kept: only the extract and index stages run again, ``jobs.enqueue.enqueue_extract``)
    and its id is returned; the caller commits, then enqueues (a crash between the two is picked up by
    the reconciler, which re-enqueues documents left extracting). Published entries are left alone: a
    librarian approved their values."""
    documents = list(session.scalars(
        select(Document).join(CaseLaw, CaseLaw.document_id == Document.id)
        .where(CaseLaw.status != CaseLawStatus.PUBLISHED, Document.status == DocumentStatus.INDEXED)
        .order_by(Document.id)))
    for document in documents:
        document.status = DocumentStatus.EXTRACTING
    session.flush()
    return [d.id for d in documents]


def record_treatments(session: Session, case_law: CaseLaw, suggestions: Sequence[Suggestion]) -> int:
    """Store the citing sentence and suggested treatment of every precedent the judgment cites
    (idempotent). A librarian's confirmed treatment is kept; rows for precedents no longer cited go
    unless confirmed. Returns the number of suggestions stored."""
    existing = {t.cited_key: t for t in session.scalars(
        select(CitationTreatment).where(CitationTreatment.citing_id == case_law.id))}
    wanted = {s.cited_key: s for s in suggestions if s.cited_key not in case_law.citation_keys}
    for key, row in existing.items():
        if key not in wanted and row.treatment is None:
            session.delete(row)
    for key, suggestion in wanted.items():
        row = existing.get(key) or CitationTreatment(citing_id=case_law.id, cited_key=key)
        row.sentence = suggestion.sentence[:4000]
        row.page_no = suggestion.page_no
        row.suggested = str(suggestion.suggested)
        row.cue = suggestion.cue[:200]
        session.add(row)
    session.flush()
    return len(wanted)


def record_citations(session: Session, case_law: CaseLaw, cited_keys: Sequence[str]) -> int:
    """Replace the judgment's outgoing citations (idempotent), resolve them to known judgments, and
    resolve earlier judgments' citations of THIS one. Returns the number of distinct cited keys."""
    own = set(case_law.citation_keys)
    counts = Counter(k for k in cited_keys if k and k not in own)
    session.execute(delete(CaseLawCitation).where(CaseLawCitation.citing_id == case_law.id))
    # The network is the judgments' own text read as data: a citation resolves to any judgment in the
    # collection; every page and API showing it limits BOTH ends to what the reader may read
    # (auth.scope.caselaw_visibility), and index fields count only what the judgment's readers read.
    known = {key: entry.id for key, entry in network.resolve_keys(session, list(counts), case_law.id).items()}
    for key, n in sorted(counts.items()):
        session.add(
            CaseLawCitation(citing_id=case_law.id, cited_key=key, cited_id=known.get(key), occurrences=n)
        )
    session.flush()
    network.relink_keys(session, case_law.citation_keys)  # every report of this judgment, main and parallel
    return len(counts)


# --- corpus sample metadata (``cmms seed-samples``) -------------------------------------------------


SUPREME_COURT = "Supreme Court of Pakistan"


def load_corpus_index(path: Path) -> dict[str, JudgmentMeta]:
    """The pk-supreme-court ``index.tsv``: file name -> metadata as the Court published it."""
    result: dict[str, JudgmentMeta] = {}
    rules = load_rules()
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            result[row["file"]] = JudgmentMeta(
                citation=_corpus_citation(row.get("citation", ""))
                or _corpus_citation(row.get("sc_citation", "")),
                case_number=_clean(row.get("case_no", "")),
                court=SUPREME_COURT,
                decided_on=_corpus_date(row.get("judgment_date", "")),
                parties=_clean(row.get("case_title", ""))[:500],
                # the index prints "MR. JUSTICE FAISAL ARAB": the record's own form is "Faisal Arab"
                judge=judge_name(_clean(row.get("author_judge", "")), rules)[:300],
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
