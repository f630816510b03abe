"""Write case links for one document: the automatic link (exact FIR match) and suggestions."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
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
    cases = _candidate_cases(session, mentions, cnics)
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


def _candidate_cases(session: Session, mentions: Sequence[FirMention], cnics: Sequence[str]) -> list[CaseKey]:
    years = {m.year for m in mentions if m.year is not None}
    numbers = {m.number for m in mentions}
    found: dict[int, Case] = {}
    if years:
        for case in session.scalars(select(Case).where(Case.fir_year.in_(years))):
            if normalise_number(case.fir_number) in numbers:
                found[case.id] = case
    if cnics:
        for case in session.scalars(select(Case).join(Party).where(Party.cnic.in_(cnics))):
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
