"""The review queue (issue 15, kind 1): every page that needs a person, why, and clearing it.

A page is in the queue while ``Page.needs_review`` is true and its document is current (not an earlier
version, not a duplicate). Its reasons are ``Page.review_reasons`` (``models.enums.ReviewReason``,
set by the page reader); a page read before the reader recorded reasons gets them from its evidence
(no words, low confidence, read failure). Confirming or correcting the page clears it. The batch page,
the data-entry home page and the supervisor's page all count with ``review_counts`` so they agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.orm import Session

from i18n import N_
from models import Document, DocumentStatus, Page, PageStatus, ReviewReason, TextSource
from models.json_list import json_list_holds

REASON_LABELS: dict[str, str] = {
    ReviewReason.EMPTY: N_("No text was found on the page"),
    ReviewReason.LOW_CONFIDENCE: N_("The text was read with low confidence"),
    ReviewReason.FEW_WORDS: N_("Far fewer words were read than the page seems to hold"),
    ReviewReason.TEXT_LAYER_DOUBT: N_("The PDF's own text layer looks wrong or incomplete"),
    ReviewReason.PARTIAL_IMAGE: N_("Only part of the image could be decoded"),
    ReviewReason.ENGINE_DISAGREEMENT: N_("Two readings of the page disagree"),
    ReviewReason.LANGUAGE_UNSURE: N_("The language or script could not be told"),
    ReviewReason.READ_FAILED: N_("The page could not be read at all"),
    ReviewReason.HANDWRITTEN_DATE: N_("The decision date was read from handwriting by machine: check it"),
}


def reasons_of(page: Page, low_confidence: float = 60.0) -> list[str]:
    """The page's review reasons; derived from its evidence when the reader recorded none."""
    if page.review_reasons:
        return [str(r) for r in page.review_reasons]
    if page.status == PageStatus.FAILED:
        return [ReviewReason.READ_FAILED]
    derived: list[str] = []
    if not (page.effective_text or "").strip():
        derived.append(ReviewReason.EMPTY)
    elif page.mean_confidence is not None and page.mean_confidence < low_confidence:
        derived.append(ReviewReason.LOW_CONFIDENCE)
    return derived or [ReviewReason.FEW_WORDS]


def in_queue() -> Any:
    """The SQL condition of the queue (needs the ``pages`` join to ``documents``)."""
    return and_(Page.needs_review.is_(True), Document.superseded_by_id.is_(None),
                Document.status != DocumentStatus.DUPLICATE)


# Which documents a caller reaches: a SQL condition on ``documents`` (the web layer passes the scope
# predicate, ``search_app.auth.scope.review_document_condition``), district ids, or None for all (CLI).
DocumentScope = ColumnElement[bool] | frozenset[int] | None


def scoped(stmt: Select[Any], documents: DocumentScope) -> Select[Any]:
    """``stmt`` (joined to ``documents``) limited to ``documents``."""
    if documents is None:
        return stmt
    if isinstance(documents, frozenset):
        return stmt.where(Document.district_id.in_(sorted(documents)))
    return stmt.where(documents)


def queue_query(documents: DocumentScope, *, batch_id: int | None = None,
                district_id: int | None = None, reason: str | None = None) -> Select[tuple[Page, Document]]:
    """Queued pages with their documents, oldest batch first, then document and page order, limited to
    ``documents`` (the caller's scope)."""
    stmt = select(Page, Document).join(Document, Document.id == Page.document_id).where(in_queue())
    stmt = scoped(stmt, documents)
    if batch_id is not None:
        stmt = stmt.where(Document.batch_id == batch_id)
    if district_id is not None:
        stmt = stmt.where(Document.district_id == district_id)
    if reason:
        has_reason: Any = json_list_holds(Page.review_reasons, [reason])
        if reason == ReviewReason.READ_FAILED:
            has_reason = or_(has_reason, Page.status == PageStatus.FAILED)
        stmt = stmt.where(has_reason)
    return stmt.order_by(Document.batch_id, Document.id, Page.page_no)


@dataclass(frozen=True, slots=True)
class ReviewCounts:
    pages: int
    documents: int


def review_counts(session: Session, documents: DocumentScope, batch_id: int | None = None,
                  case_ids: Any = None) -> ReviewCounts:
    """Pages in the queue and the documents they belong to (one definition for every page that counts),
    within ``documents``."""
    stmt = select(func.count(Page.id), func.count(func.distinct(Page.document_id))).join(
        Document, Document.id == Page.document_id).where(in_queue())
    stmt = scoped(stmt, documents)
    if batch_id is not None:
        stmt = stmt.where(Document.batch_id == batch_id)
    if case_ids is not None:
        stmt = stmt.where(Document.case_id.in_(case_ids))
    pages, in_documents = session.execute(stmt).one()
    return ReviewCounts(int(pages or 0), int(in_documents or 0))


def mark_reviewed(session: Session, page: Page, user_id: int | None) -> bool:
    """Clear ``page`` from the queue (after a correction or a confirmation). A page that could not be
    read at all but now has a person's text becomes a read page; returns True when the document must
    be extracted again (its set of read pages changed), False when a re-index is enough."""
    document = page.document
    page.needs_review = False
    page.review_reasons = []
    page.reviewed_by_id = user_id
    page.reviewed_at = datetime.now(UTC)
    extract = False
    if page.status == PageStatus.FAILED and page.corrected_text is not None:
        page.status = PageStatus.TEXT_DONE
        page.source = TextSource.CORRECTED
        page.error_code = None
        page.error_message = None
        extract = True
    session.flush()
    pages = list(session.scalars(select(Page).where(Page.document_id == document.id)))
    document.needs_review = any(p.needs_review for p in pages)
    if extract:
        if not any(p.status == PageStatus.FAILED for p in pages):
            document.error_code = None
            document.error_message = None
        if document.status in (DocumentStatus.FAILED, DocumentStatus.INDEXED, DocumentStatus.INDEXING):
            document.status = DocumentStatus.EXTRACTING
            document.pages_done = len(pages)
    session.flush()
    return extract


def clear_reason(session: Session, document: Document, reason: str, user_id: int | None) -> list[Page]:
    """Take one review ``reason`` off every page of ``document`` that carries it (a person settled it
    elsewhere, e.g. a librarian checked the machine-read decision date on the case-law record). A page
    left with no reason leaves the queue as a confirmation would (``mark_reviewed``); one with other
    reasons stays in it for them. Returns the pages changed, page 1 first (one query for them all)."""
    changed: list[Page] = []
    pages = list(session.scalars(select(Page).where(Page.document_id == document.id).order_by(Page.page_no)))
    for page in pages:
        reasons = [str(r) for r in (page.review_reasons or [])]
        if reason not in reasons:
            continue
        changed.append(page)
        remaining = [r for r in reasons if r != reason]
        if remaining:
            page.review_reasons = remaining
        else:
            mark_reviewed(session, page, user_id)
    if changed:
        session.flush()
        document.needs_review = any(p.needs_review for p in pages)
        session.flush()
    return changed
