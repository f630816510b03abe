"""Progress per batch and per document, read from the database (the truth; Redis is only transport)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import Batch, Document, DocumentStatus, Page, PageStatus

FINISHED_STATUSES = frozenset({DocumentStatus.INDEXED, DocumentStatus.FAILED, DocumentStatus.DUPLICATE})


@dataclass(frozen=True, slots=True)
class DocumentProgress:
    document_id: int
    filename: str
    status: DocumentStatus
    page_count: int  # 0 until the file has been inspected
    pages_read: int
    pages_failed: int
    needs_review: bool
    error_code: str | None
    error_message: str | None
    duplicate_of_id: int | None
    superseded_by_id: int | None = None  # replaced by a re-scan's version or a replacement file
    version_no: int = 1

    @property
    def finished(self) -> bool:
        return self.status in FINISHED_STATUSES or self.superseded_by_id is not None

    @property
    def pages_done(self) -> int:
        """Pages the pipeline is finished with (read or given up on)."""
        return self.pages_read + self.pages_failed


@dataclass(frozen=True, slots=True)
class BatchProgress:
    batch_id: int
    documents: tuple[DocumentProgress, ...]

    @property
    def total_pages(self) -> int:
        return sum(d.page_count for d in self.documents)

    @property
    def pages_done(self) -> int:
        return sum(d.pages_done for d in self.documents)

    @property
    def documents_finished(self) -> int:
        return sum(d.finished for d in self.documents)

    def count(self, status: DocumentStatus) -> int:
        return sum(d.status == status for d in self.documents)

    @property
    def finished(self) -> bool:
        return all(d.finished for d in self.documents)

    @property
    def fraction(self) -> float:
        return progress_fraction(self.documents)


def progress_fraction(documents: Sequence[DocumentProgress]) -> float:
    """0..1 for a progress bar. A finished document counts whole (a refused file has no pages; a
    document being indexed has read all its pages but is not searchable yet, so it stays below 1);
    an uninspected one counts 0."""
    if not documents:
        return 1.0
    total = 0.0
    for doc in documents:
        if doc.finished:
            total += 1.0
        elif doc.page_count:
            total += 0.95 * min(doc.pages_done, doc.page_count) / doc.page_count
    return total / len(documents)


def batch_progress(session: Session, batch_id: int) -> BatchProgress:
    """Pages done out of total for every document of ``batch_id``; raises LookupError if unknown."""
    if session.get(Batch, batch_id) is None:
        raise LookupError(f"batch {batch_id} does not exist")
    counts = _page_counts(session, batch_id)
    documents = session.scalars(select(Document).where(Document.batch_id == batch_id).order_by(Document.id))
    return BatchProgress(
        batch_id,
        tuple(
            DocumentProgress(
                document_id=d.id,
                filename=d.original_filename,
                status=DocumentStatus(d.status),
                page_count=d.page_count,
                pages_read=counts.get((d.id, PageStatus.TEXT_DONE), 0),
                pages_failed=counts.get((d.id, PageStatus.FAILED), 0),
                needs_review=d.needs_review,
                error_code=d.error_code,
                error_message=d.error_message,
                duplicate_of_id=d.duplicate_of_id,
                superseded_by_id=d.superseded_by_id,
                version_no=d.version_no,
            )
            for d in documents
        ),
    )


def _page_counts(session: Session, batch_id: int) -> dict[tuple[int, str], int]:
    stmt = (
        select(Page.document_id, Page.status, func.count())
        .join(Document, Document.id == Page.document_id)
        .where(Document.batch_id == batch_id)
        .group_by(Page.document_id, Page.status)
    )
    return {(doc_id, str(status)): n for doc_id, status, n in session.execute(stmt)}


def recent_batches(session: Session, limit: int = 10) -> list[int]:
    return list(session.scalars(select(Batch.id).order_by(Batch.id.desc()).limit(limit)))


# --- queue position and estimated time ----------


@dataclass(frozen=True, slots=True)
class QueuePlace:
    """Where an unfinished document stands: pages waiting ahead of it (every district; only a number is
    shown) and its own pages left. ``documents_ahead_unknown`` counts documents not yet split into
    pages, whose size is estimated with ``typical_pages``."""

    pages_ahead: int
    own_pages_left: int
    documents_ahead_unknown: int


@dataclass(frozen=True, slots=True)
class Estimate:
    seconds: float | None  # None when no worker is running or no page time has been measured yet
    workers: int
    seconds_per_page: float | None


def queue_places(session: Session, document_ids: Sequence[int], typical_pages: float = 3.0) -> dict[int, QueuePlace]:
    """For each of ``document_ids`` still waiting (RECEIVED or PROCESSING), its place in the work queue.
    Pages are taken roughly in document order (one FIFO queue per stage), so what lies ahead of a document
    is every pending page of earlier unfinished documents."""
    pending = dict(session.execute(
        select(Page.document_id, func.count(Page.id)).where(Page.status == PageStatus.PENDING)
        .group_by(Page.document_id)).tuples().all())
    waiting = session.execute(
        select(Document.id, Document.status).where(
            Document.status.in_((DocumentStatus.RECEIVED, DocumentStatus.PROCESSING))).order_by(Document.id)).all()
    wanted = set(document_ids)
    places: dict[int, QueuePlace] = {}
    ahead_pages, ahead_unknown = 0, 0
    for doc_id, status in waiting:
        own = int(pending.get(doc_id, 0))
        if doc_id in wanted:
            places[doc_id] = QueuePlace(ahead_pages + round(ahead_unknown * typical_pages), own, ahead_unknown)
        if status == DocumentStatus.RECEIVED:
            ahead_unknown += 1
        else:
            ahead_pages += own
    return places


def seconds_per_page(session: Session, sample: int = 200) -> float | None:
    """Median reading time of the last ``sample`` read pages (seconds), or None before any was read."""
    durations = sorted(session.scalars(
        select(Page.duration_ms).where(Page.status == PageStatus.TEXT_DONE, Page.duration_ms > 0)
        .order_by(Page.id.desc()).limit(sample)))
    if not durations:
        return None
    return durations[len(durations) // 2] / 1000.0


def estimate(place: QueuePlace, per_page_s: float | None, workers: int) -> Estimate:
    """Time until ``place``'s document is read: its pages and those ahead, shared by ``workers``."""
    if workers <= 0 or per_page_s is None:
        return Estimate(None, workers, per_page_s)
    pages = place.pages_ahead + max(place.own_pages_left, 1)
    return Estimate(pages * per_page_s / workers, workers, per_page_s)


def typical_pages(session: Session) -> float:
    """Mean page count of the last 100 split documents (3 before there are any)."""
    counts = list(session.scalars(select(Document.page_count).where(Document.page_count > 0)
                                  .order_by(Document.id.desc()).limit(100)))
    return sum(counts) / len(counts) if counts else 3.0
