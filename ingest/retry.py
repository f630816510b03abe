"""Retrying failed work (issue 15, kind 3): a failed document, a failed page, or a replacement file.

* ``retry_document``: a FAILED document is prepared again from its stored original (its pages, if any,
  are dropped and read afresh); a document with failed pages gets those pages read again.
* ``retry_page``: one failed page read again.
* ``replace_document``: a new file for a failed document, taken into the same batch; the failed one is
  superseded by it (history kept) and leaves the failed lists.

Each returns a ``RetryPlan`` of ids for the caller to enqueue after committing (``jobs.enqueue``).
``RetryError`` carries a clerk's message when retrying cannot help (a refused file: replace it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import IO

from sqlalchemy import ColumnElement, Select, and_, delete, or_, select
from sqlalchemy.orm import Session

from config import Settings
from i18n import N_
from ingest.errors import IntakeErrorCode
from ingest.intake import FileOutcome, OutcomeStatus, add_to_batch
from ingest.review import DocumentScope, scoped
from models import Document, DocumentStatus, Entity, Page, PageStatus


class RetryError(ValueError):
    def __init__(self, message: str, **values: object) -> None:
        super().__init__(message % values if values else message)
        self.message = message
        self.values = values


@dataclass
class RetryPlan:
    prepare_document_ids: list[int] = field(default_factory=list)
    page_ids: list[int] = field(default_factory=list)


def has_failures() -> ColumnElement[bool]:
    """SQL condition: a current document that failed, or was indexed with failed pages."""
    return and_(Document.superseded_by_id.is_(None),
                or_(Document.status == DocumentStatus.FAILED,
                    Document.error_code == str(IntakeErrorCode.PAGES_FAILED)))


def failed_query(documents: DocumentScope, batch_id: int | None = None) -> Select[tuple[Document]]:
    """Failed documents (and documents with failed pages) within ``documents`` (the caller's scope: a
    condition on ``documents``, district ids, or None for all), newest first."""
    stmt = scoped(select(Document).where(has_failures()), documents)
    if batch_id is not None:
        stmt = stmt.where(Document.batch_id == batch_id)
    return stmt.order_by(Document.id.desc())


def failed_pages(session: Session, document_ids: list[int]) -> dict[int, list[Page]]:
    out: dict[int, list[Page]] = {}
    if not document_ids:
        return out
    for page in session.scalars(select(Page).where(Page.document_id.in_(document_ids),
                                                   Page.status == PageStatus.FAILED).order_by(Page.page_no)):
        out.setdefault(page.document_id, []).append(page)
    return out


def can_retry(document: Document) -> bool:
    """Whether reading ``document`` again could change anything (the list offers "Try again" only then)."""
    try:
        _retryable(document)
    except RetryError:
        return False
    return True


def _retryable(document: Document) -> None:
    if document.superseded_by_id is not None:
        raise RetryError(N_("This document was replaced by document %(id)s."), id=document.superseded_by_id)
    if document.error_code == "empty":  # ingest.errors: a file of 0 bytes
        raise RetryError(N_("This file is empty, so reading it again cannot help. Replace it with the scanned "
                            "file."))
    if document.stored_file.quarantined or document.kind is None:
        raise RetryError(N_("This file is not a PDF or image, so reading it again cannot help. Replace it with "
                            "the right file."))


def retry_document(session: Session, document: Document) -> RetryPlan:
    """Raises ``RetryError`` when there is nothing to retry or retrying cannot help."""
    _retryable(document)
    if document.status == DocumentStatus.FAILED:
        session.execute(delete(Entity).where(Entity.document_id == document.id))
        for page in list(document.pages):
            session.delete(page)
        session.flush()
        session.expire(document, ["pages"])
        document.status = DocumentStatus.RECEIVED
        document.error_code = document.error_message = None
        document.page_count = document.pages_done = 0
        document.attempts = 0
        document.needs_review = False
        session.flush()
        return RetryPlan(prepare_document_ids=[document.id])
    failed = [p for p in document.pages if p.status == PageStatus.FAILED]
    if not failed:
        raise RetryError(N_("Nothing in this document has failed."))
    return RetryPlan(page_ids=[_reset(document, page) for page in failed])


def retry_page(session: Session, page: Page) -> RetryPlan:
    document = page.document
    _retryable(document)
    if page.status != PageStatus.FAILED:
        raise RetryError(N_("Page %(page)s has not failed."), page=page.page_no)
    if document.status == DocumentStatus.FAILED:
        document.error_code = document.error_message = None
    plan = RetryPlan(page_ids=[_reset(document, page)])
    session.flush()
    return plan


def _reset(document: Document, page: Page) -> int:
    page.status = PageStatus.PENDING
    page.attempts = 0
    page.error_code = page.error_message = None
    page.needs_review = False
    page.review_reasons = []
    document.status = DocumentStatus.PROCESSING
    return page.id


def replace_document(session: Session, settings: Settings, document: Document, name: str,
                     stream: IO[bytes]) -> FileOutcome:
    """Take ``stream`` into ``document``'s batch as its replacement (commits). The failed document is
    superseded by the new one (or by the existing document of the same bytes)."""
    if document.superseded_by_id is not None:
        raise RetryError(N_("This document was replaced by document %(id)s."), id=document.superseded_by_id)
    if document.status != DocumentStatus.FAILED and document.error_code != IntakeErrorCode.PAGES_FAILED:
        raise RetryError(N_("Only a document that failed can be replaced."))
    document_id = document.id
    outcome = add_to_batch(session, settings, document.batch, name, stream)
    replacement = outcome.document_id if outcome.status is not OutcomeStatus.DUPLICATE else outcome.duplicate_of_id
    old = session.get(Document, document_id)
    if old is not None and replacement is not None and replacement != document_id and old.superseded_by_id is None:
        old.superseded_by_id = replacement
        old.superseded_at = datetime.now(UTC)
        session.commit()
    return outcome
