"""What the batch page shows, assembled from the intake domain (``ingest.progress``, ``ingest.review``,
``ingest.retry``, re-scan findings): one place, so the page and its JSON poll say the same thing."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from redis import Redis
from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from i18n.labels import label
from ingest.progress import (
    BatchProgress,
    Estimate,
    QueuePlace,
    estimate,
    queue_places,
    seconds_per_page,
    typical_pages,
)
from ingest.ranges import page_ranges
from ingest.retry import failed_pages
from ingest.review import DocumentScope, ReviewCounts, review_counts
from models import Batch, Document, Page, RescanMatch, RescanStatus
from search_app.auth.scope import published_document_condition
from search_app.i18n import formatter, translate_stored


@dataclass(frozen=True)
class RescanView:
    match_id: int
    document_id: int
    match_document_id: int
    their_pages: str  # "3-5"
    my_pages: str
    score: float
    status: str
    blocked: str = ""  # why the viewer may not make it a version: "" (they may), "published", "not_yours"


@dataclass
class BatchView:
    batch: Batch
    progress: BatchProgress
    review: ReviewCounts
    places: dict[int, QueuePlace] = field(default_factory=dict)
    estimates: dict[int, Estimate] = field(default_factory=dict)
    rescans: dict[int, list[RescanView]] = field(default_factory=dict)
    failed_pages: dict[int, list[Page]] = field(default_factory=dict)
    workers: int | None = None


def ocr_workers(redis: Redis) -> int | None:
    """Live RQ workers listening on the OCR queue; None when Redis cannot be asked."""
    from rq import Worker

    from jobs.queues import OCR, queue

    try:
        return sum(1 for w in Worker.all(queue=queue(redis, OCR)))
    except Exception:  # Redis down: the page still shows the database's truth
        return None


def rescans_for(session: Session, document_ids: list[int],
                versionable: ColumnElement[bool] | None = None) -> dict[int, list[RescanView]]:
    """The re-scan findings of ``document_ids``, each saying whether the viewer may decide it: both of its
    documents must satisfy ``versionable`` (the viewer's intake work, ``auth.scope.intake_document_condition``;
    None: no limit), as ``versions._match_or_404`` requires; a finding they may not decide carries why
    (``blocked``), so the page explains instead of offering a button that ends in 404."""
    out: dict[int, list[RescanView]] = {}
    if not document_ids:
        return out
    rows = list(session.scalars(select(RescanMatch).where(RescanMatch.document_id.in_(document_ids))
                                .order_by(RescanMatch.score.desc())))
    both = {i for m in rows for i in (m.document_id, m.match_document_id)}
    mine = both if versionable is None else set(session.scalars(
        select(Document.id).where(Document.id.in_(both), versionable)))
    published = set(session.scalars(select(Document.id).where(Document.id.in_(both),
                                                              published_document_condition())))
    for m in rows:
        blocked = ("" if {m.document_id, m.match_document_id} <= mine
                   else "published" if m.match_document_id in published else "not_yours")
        out.setdefault(m.document_id, []).append(RescanView(
            m.id, m.document_id, m.match_document_id, page_ranges(p[1] for p in m.pages),
            page_ranges(p[0] for p in m.pages), m.score, str(m.status), blocked))
    return out


def build(session: Session, batch: Batch, progress: BatchProgress, documents: DocumentScope,
          redis: Redis | None, versionable: ColumnElement[bool] | None = None) -> BatchView:
    """The batch page's facts; the review count covers ``documents`` (the viewer's review scope); re-scan
    findings say whether the viewer may decide them (``versionable``, see :func:`rescans_for`)."""
    view = BatchView(batch, progress, review_counts(session, documents, batch_id=batch.id))
    ids = [d.document_id for d in progress.documents]
    waiting = [d.document_id for d in progress.documents if not d.finished]
    if waiting:
        view.places = queue_places(session, waiting, typical_pages(session))
        view.workers = ocr_workers(redis) if redis is not None else None
        per_page = seconds_per_page(session)
        view.estimates = {i: estimate(p, per_page, view.workers or 0) for i, p in view.places.items()}
    view.rescans = rescans_for(session, ids, versionable)
    view.failed_pages = failed_pages(session, ids)
    return view


def describe_wait(place: QueuePlace | None, est: Estimate | None, workers: int | None) -> str:
    """The clerk's sentence about a waiting document ("12 pages ahead · about 3 min")."""
    if place is None:
        return ""
    parts = [_("%(n)s page(s) ahead in the queue", n=formatter().number(place.pages_ahead)) if place.pages_ahead
             else _("next in the queue")]
    if workers == 0:
        parts.append(_("no reader is running: processing starts when one is (tell the administrator)"))
    elif est is not None and est.seconds is not None:
        parts.append(_("about %(time)s", time=human_duration(est.seconds)))
    return " · ".join(parts)


def human_duration(seconds: float) -> str:
    if seconds < 90:
        return _("%(n)s s", n=formatter().number(max(5, round(seconds / 5) * 5)))
    if seconds < 90 * 60:
        return _("%(n)s min", n=formatter().number(round(seconds / 60)))
    return _("%(n)s h", n=formatter().number(round(seconds / 3600, 1)))


def as_json(view: BatchView) -> dict[str, Any]:
    """The progress poll's body: per document status, pages, problem, wait; the batch summary."""
    progress = view.progress
    number = formatter().number
    docs = []
    for d in progress.documents:
        docs.append({
            "id": d.document_id, "status": str(d.status), "status_label": _(label("document_status", str(d.status))),
            "pages_done": d.pages_done, "page_count": d.page_count,
            "pages": f"{number(d.pages_done)}/{number(d.page_count) if d.page_count else '?'}",
            "error": translate_stored(d.error_message) if d.status == "failed" or d.error_code else "",
            "duplicate_of": d.duplicate_of_id, "superseded_by": d.superseded_by_id,
            "wait": describe_wait(view.places.get(d.document_id), view.estimates.get(d.document_id), view.workers),
        })
    return {
        "documents": docs,
        "finished": progress.finished,
        "fraction": round(progress.fraction, 3),
        "summary": summary(view),
        "review_pages": view.review.pages,
        "review_pages_text": number(view.review.pages),
    }


def summary(view: BatchView) -> str:
    p = view.progress
    n = formatter().number
    failed = sum(1 for d in p.documents if d.status == "failed" and d.superseded_by_id is None)
    return _("%(done)s of %(total)s documents finished · %(pages)s of %(all)s pages read · %(review)s page(s) "
             "to review · %(failed)s failed", done=n(p.documents_finished), total=n(len(p.documents)),
             pages=n(p.pages_done), all=n(p.total_pages), review=n(view.review.pages), failed=n(failed))


__all__ = ["BatchView", "RescanStatus", "as_json", "build", "describe_wait", "summary"]
