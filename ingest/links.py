"""Write case links for one document: the automatic link (exact FIR match) and suggestions.

A link is derived data written on the document, so it is computed inside the document's scope: only
cases that every reader of the document's district may read are candidates (``auth.scope``
``case_read_condition`` for ``Scope.readers_of(district)``). A Peshawar upload naming a Mardan FIR is
neither linked nor suggested to the Mardan case, and the case typed at upload must be in the document's
district too. A sealed case is not read by every reader of its district, so nothing is linked or
suggested to it automatically; a document already linked to a sealed case keeps its link (it is sealed
with the case: its readers are the case's readers), so re-reading it never unseals it."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session, selectinload

from ingest.caselinks import (
    CaseKey,
    FirMention,
    LinkDecision,
    decide,
    mention_from_attrs,
    normalise_number,
    single_auto_link,
)
from ingest.entities import FoundEntity
from legalrefs import RefKind, find_references
from models import Case, CaseLinkSuggestion, Document, Party, SuggestionStatus


def link_document(session: Session, doc: Document, entities: Sequence[FoundEntity]) -> list[LinkDecision]:
    mentions = _mentions(doc, entities)
    cnics = sorted({e.key for e in entities if e.kind == "cnic"})
    in_scope = _derivation_condition(doc)
    if doc.case_id is not None and session.scalar(select(Case.id).where(
            Case.id == doc.case_id, _derivation_condition(doc, of_own_case=True))) is None:
        doc.case_id = None  # a case outside the document's scope is never its case
    cases = _candidate_cases(session, mentions, cnics, in_scope)
    decisions = decide(mentions, cnics, cases)
    auto = single_auto_link(decisions)
    if auto is not None and doc.case_id is None:
        doc.case_id = auto.case_id
    for decision in decisions:
        if decision.case_id != doc.case_id:
            _suggest(session, doc.id, decision)
    session.flush()
    return decisions


def _mentions(doc: Document, entities: Sequence[FoundEntity]) -> list[FirMention]:
    attrs_list: list[dict[str, object]] = [dict(e.attrs) for e in entities if e.kind == "fir"]
    hint = doc.batch.fir_hint if doc.batch else ""
    if hint:  # the operator's "FIR 45/2019 PS Saddar" counts like a mention in the text
        attrs_list += [dict(r.attrs) for r in find_references(hint, [RefKind.FIR])]
    return [m for m in (mention_from_attrs(a) for a in attrs_list) if m is not None]


def _derivation_condition(doc: Document, of_own_case: bool = False) -> ColumnElement[bool]:
    """Cases that may be linked to ``doc``: those every reader of its district may read (``of_own_case``:
    for the case it is already linked to, a sealed case too)."""
    from search_app.auth.scope import Scope, case_read_condition  # deferred: keeps ingest import-light

    return case_read_condition(Scope.readers_of(doc.district_id, of_sealed_case=of_own_case))


def _candidate_cases(session: Session, mentions: Sequence[FirMention], cnics: Sequence[str],
                     in_scope: ColumnElement[bool]) -> list[CaseKey]:
    years = {m.year for m in mentions if m.year is not None and 0 < m.year < 10000}
    numbers = {m.number for m in mentions}
    found: dict[int, Case] = {}
    if years:
        for case in session.scalars(select(Case).where(Case.fir_year.in_(years), in_scope)):
            if normalise_number(case.fir_number) in numbers:
                found[case.id] = case
    if cnics:
        for case in session.scalars(select(Case).join(Party).where(Party.cnic.in_(cnics), in_scope)):
            found[case.id] = case
    if not found:
        return []
    loaded = session.scalars(select(Case).where(Case.id.in_(found)).options(selectinload(Case.parties)))
    return [
        CaseKey(
            c.id,
            c.fir_number,
            c.fir_year,
            c.police_station.name if c.police_station else "",
            frozenset(p.cnic for p in c.parties if p.cnic),
        )
        for c in loaded
    ]


def _suggest(session: Session, document_id: int, decision: LinkDecision) -> None:
    row = session.scalars(
        select(CaseLinkSuggestion).where(
            CaseLinkSuggestion.document_id == document_id, CaseLinkSuggestion.case_id == decision.case_id
        )
    ).first()
    if row is None:
        session.add(
            CaseLinkSuggestion(
                document_id=document_id,
                case_id=decision.case_id,
                reason=decision.reason[:300],
                score=decision.score,
            )
        )
    elif row.status == SuggestionStatus.PENDING:  # a person's decision is never overwritten
        row.reason, row.score = decision.reason[:300], decision.score
