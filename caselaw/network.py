"""The citation network over the collection: who cites whom (by any reported citation of a judgment),
cited-by counts, citator warnings (a judgment overruled or doubted by a confirmed treatment), and
re-linking after a librarian changes a judgment's citations.

A citation key links to ONE judgment (``resolve_keys``: the published one carrying it, then the oldest,
never the citing one), whichever of its reports (main or parallel) was cited, so a citation typed as
``2022 SCMR 1641`` and a page citing ``2022 SCMR 1641`` meet, and a pending copy in one district never
takes a published judgment's links from the others.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session, aliased

from caselaw.presentation import judgment_title
from models import NEGATIVE_TREATMENTS, CaseLaw, CaseLawCitation, CitationTreatment, Treatment
from models.json_list import json_list_holds

# The viewer's scope as a condition on a CaseLaw entity (or an alias of it): published judgments plus
# those of the viewer's districts (``search_app.auth.scope.caselaw_visibility``). None: everything.
Visibility = Callable[[Any], ColumnElement[bool]]


@dataclass(frozen=True, slots=True)
class Warning:
    """A citator's flag on a judgment: ``treatment`` (overruled/doubted) by judgment ``by_id``."""

    treatment: Treatment
    by_id: int
    by_title: str


def _cites(entry: CaseLaw) -> ColumnElement[bool]:
    """Citations linked to ``entry`` (:func:`resolve_keys`' rule), and those of its reports not linked yet:
    a citation linked to another record of the same report (a published copy) is that one's, so "Cited
    by" and "Most cited" count the same links."""
    keys = entry.citation_keys
    condition: ColumnElement[bool] = CaseLawCitation.cited_id == entry.id
    if keys:
        condition = or_(condition, and_(CaseLawCitation.cited_key.in_(keys), CaseLawCitation.cited_id.is_(None)))
    return condition


def cited_by(session: Session, entry: CaseLaw, visible: Visibility | None = None) -> list[CaseLaw]:
    """Judgments in the collection citing ``entry`` that the viewer may see, newest first."""
    citing_ids = select(CaseLawCitation.citing_id).where(_cites(entry))
    stmt = select(CaseLaw).where(CaseLaw.id.in_(citing_ids), CaseLaw.id != entry.id)
    if visible is not None:
        stmt = stmt.where(visible(CaseLaw))
    return list(session.scalars(stmt.order_by(CaseLaw.decided_on.desc().nulls_last(), CaseLaw.id.desc())))


def cited_by_count(session: Session, entry: CaseLaw, visible: Visibility | None = None) -> int:
    """How many judgments (that the viewer may see; all when ``visible`` is None) cite ``entry``."""
    citing = aliased(CaseLaw)
    stmt = (select(func.count(func.distinct(CaseLawCitation.citing_id)))
            .join(citing, citing.id == CaseLawCitation.citing_id)
            .where(_cites(entry), CaseLawCitation.citing_id != entry.id))
    if visible is not None:
        stmt = stmt.where(visible(citing))
    return int(session.scalar(stmt) or 0)


def reported_condition(keys: Sequence[str]) -> ColumnElement[bool]:
    """SQL condition on ``CaseLaw``: reported at one of ``keys``, as its main citation or a parallel one."""
    wanted = [k for k in dict.fromkeys(keys) if k]
    return or_(CaseLaw.citation.in_(wanted), json_list_holds(CaseLaw.parallel_citations, wanted))


def numbered_condition(keys: Sequence[str]) -> ColumnElement[bool]:
    """SQL condition on ``CaseLaw``: one of its case numbers (the first or any other, e.g. the other
    appeals of a consolidated judgment) is one of ``keys`` (legalrefs keys, ``Crl.A.95-2019``)."""
    wanted = [k for k in dict.fromkeys(keys) if k]
    return or_(CaseLaw.case_number.in_(wanted), json_list_holds(CaseLaw.case_numbers, wanted))


def _candidates(session: Session, keys: Sequence[str]) -> dict[str, list[CaseLaw]]:
    """Citation key -> the judgments carrying it (main or parallel), in the resolution order: published
    first, then the oldest record (lowest id)."""
    wanted = [k for k in dict.fromkeys(keys) if k]
    if not wanted:
        return {}
    found: dict[str, list[CaseLaw]] = {}
    for entry in session.scalars(select(CaseLaw).where(reported_condition(wanted)).order_by(CaseLaw.id)):
        for key in entry.citation_keys:
            if key in wanted:
                found.setdefault(key, []).append(entry)
    for entries in found.values():
        entries.sort(key=lambda e: (not e.is_published, e.id))
    return found


def _pick(entries: Sequence[CaseLaw], citing_id: int | None) -> CaseLaw | None:
    return next((e for e in entries if e.id != citing_id), None)


def resolve_keys(session: Session, keys: Iterable[str], citing_id: int | None = None) -> dict[str, CaseLaw]:
    """Citation keys -> the judgment in the collection reported at that key (main or parallel).

    THE resolution rule, used by ingest, re-linking and every page: of the judgments carrying a key,
    a PUBLISHED one, then the oldest (lowest id); never ``citing_id`` (the judgment citing it), so a
    pending copy in one district never takes a published judgment's citations from every other."""
    found = _candidates(session, list(keys))
    return {key: entry for key, entries in found.items() if (entry := _pick(entries, citing_id)) is not None}


def reported_at(session: Session, key: str) -> CaseLaw | None:
    """The judgment in the collection reported at citation ``key`` (main or parallel), or None:
    ``reported_at(session, "SCMR 2022 1641")``."""
    return resolve_keys(session, [key]).get(key)


def relink_keys(session: Session, keys: Iterable[str]) -> list[int]:
    """Re-resolve every citation of ``keys`` by :func:`resolve_keys`'s rule (after a judgment's citations
    or publication status changed). Returns the ids of the judgments whose incoming links changed (the
    one a link left and the one it now points at): their cited-by counts are to be re-indexed."""
    wanted = [k for k in dict.fromkeys(keys) if k]
    if not wanted:
        return []
    found = _candidates(session, wanted)
    changed: list[int] = []
    for row in session.scalars(select(CaseLawCitation).where(CaseLawCitation.cited_key.in_(wanted))):
        target = _pick(found.get(row.cited_key, []), row.citing_id)
        new_id = target.id if target is not None else None
        if row.cited_id != new_id:
            changed.extend(i for i in (row.cited_id, new_id) if i is not None)
            row.cited_id = new_id
    session.flush()
    return list(dict.fromkeys(changed))


def relink(session: Session, entry: CaseLaw, previous_keys: Sequence[str]) -> list[int]:
    """After ``entry``'s citations changed: every citation of a key it had or has is re-resolved
    (:func:`relink_keys`), so both directions of the network stay true. Returns the judgments whose
    incoming links changed."""
    return relink_keys(session, [*previous_keys, *entry.citation_keys])


def document_ids(session: Session, ids: Iterable[int]) -> list[int]:
    """The document ids of judgments ``ids`` (to re-index them)."""
    wanted = list(dict.fromkeys(ids))
    return list(session.scalars(select(CaseLaw.document_id).where(CaseLaw.id.in_(wanted)))) if wanted else []


def carried_elsewhere(session: Session, entry: CaseLaw) -> list[CaseLaw]:
    """Other judgments carrying one of ``entry``'s citations (main or parallel), oldest first: two
    records of one report are usually one judgment uploaded twice."""
    keys = set(entry.citation_keys)
    found = _candidates(session, list(keys))
    return sorted({e.id: e for entries in found.values() for e in entries if e.id != entry.id}.values(),
                  key=lambda e: e.id)


def citations_made(entry: CaseLaw) -> list[CaseLawCitation]:
    """The citations ``entry`` makes of OTHER judgments: a citation of one of its own reports (its text
    quoting its own citation) is not a link."""
    own = set(entry.citation_keys)
    return [c for c in entry.citations_made if c.cited_key not in own]


def warnings_for(session: Session, entries: Sequence[CaseLaw], visible: Visibility | None = None,
                 ) -> dict[int, Warning]:
    """Judgment id -> its citator warning, for those overruled or doubted by a CONFIRMED treatment in a
    PUBLISHED judgment the viewer may see (overruled wins over doubted; the newest such judgment is named).

    Only published judgments warn: a treatment in a judgment awaiting approval (or withdrawn) is not yet
    the department's word, and the index (``indexer.reindex._caselaw_facts``) holds the same warning for
    every reader, so pages, lists and search results agree. When a citing judgment is approved or
    withdrawn, the judgments it cites are re-indexed (:func:`cited_documents`)."""
    by_key: dict[str, int] = {}
    for entry in entries:
        for key in entry.citation_keys:
            by_key[key] = entry.id
    if not by_key:
        return {}
    stmt = (select(CitationTreatment, CaseLaw)
            .join(CaseLaw, CaseLaw.id == CitationTreatment.citing_id)
            .where(CitationTreatment.cited_key.in_(list(by_key)),
                   CitationTreatment.treatment.in_([str(t) for t in NEGATIVE_TREATMENTS]))
            .order_by(CaseLaw.decided_on.desc().nulls_last()))
    stmt = stmt.where(CaseLaw.is_published)
    if visible is not None:
        stmt = stmt.where(visible(CaseLaw))
    out: dict[int, Warning] = {}
    for treatment, citing in session.execute(stmt).tuples():
        target = by_key[treatment.cited_key]
        kind = Treatment(str(treatment.treatment))
        current = out.get(target)
        if current is None or (kind == Treatment.OVERRULED and current.treatment != Treatment.OVERRULED):
            out[target] = Warning(kind, citing.id, judgment_title(citing))
    return out


def cited_documents(session: Session, entry: CaseLaw) -> list[int]:
    """Document ids of the judgments of the collection ``entry`` cites (resolved links and the precedents
    it treats): their index records (warning, cited-by count) change when ``entry`` is approved or
    withdrawn."""
    linked = session.scalars(select(CaseLaw.document_id).join(CaseLawCitation, CaseLawCitation.cited_id == CaseLaw.id)
                             .where(CaseLawCitation.citing_id == entry.id, CaseLaw.id != entry.id))
    treated = session.scalars(select(CitationTreatment.cited_key).where(CitationTreatment.citing_id == entry.id))
    by_key = [e.document_id for e in resolve_keys(session, treated, entry.id).values()]
    return list(dict.fromkeys([*linked, *by_key]))


def warning_of(session: Session, entry: CaseLaw, visible: Visibility | None = None) -> Warning | None:
    return warnings_for(session, [entry], visible).get(entry.id)


def most_cited(session: Session, visible: Visibility | None = None, limit: int = 20) -> list[tuple[CaseLaw, int]]:
    """Judgments of the collection by how many judgments in it cite them (resolved links); both the
    cited and the citing judgments limited to what the viewer may see."""
    citing = aliased(CaseLaw)
    count = func.count(func.distinct(CaseLawCitation.citing_id)).label("n")
    stmt = (select(CaseLaw, count).join(CaseLawCitation, CaseLawCitation.cited_id == CaseLaw.id)
            .join(citing, citing.id == CaseLawCitation.citing_id)
            .where(CaseLawCitation.citing_id != CaseLaw.id)
            .group_by(CaseLaw.id).order_by(count.desc(), CaseLaw.id.desc()).limit(limit))
    if visible is not None:
        stmt = stmt.where(visible(CaseLaw), visible(citing))
    return [(entry, int(n)) for entry, n in session.execute(stmt).tuples()]
