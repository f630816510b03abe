"""The review queue: every page that needs a person, with its reason; filters by batch, district and
reason; one click opens the viewer at the page with the correction form; confirming clears it
(correcting clears it through the viewer's correction form, ``documents.correct_page``)."""

from __future__ import annotations

from typing import Any, cast

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.wrappers import Response as BaseResponse

from ingest.review import REASON_LABELS, queue_query, reasons_of, review_counts
from models import Document, Page, ReviewReason
from search_app.audit import audit
from search_app.auth import current_user
from search_app.auth.scope import current_scope, object_or_404, review_document_condition, scoped_districts
from search_app.db import get_session
from search_app.services import AppServices

bp = Blueprint("review", __name__, url_prefix="/review")

PAGE_SIZE = 50


def _services() -> AppServices:
    return cast(AppServices, current_app.extensions["cmms"])


def _filters() -> dict[str, Any]:
    args = request.args
    reason = args.get("reason", "")
    return {
        "batch_id": _id(args.get("batch")),
        "district_id": _id(args.get("district")),
        "reason": reason if reason in {r.value for r in ReviewReason} else None,
    }


def _id(value: str | None) -> int | None:
    return int(value) if value and value.isascii() and value.isdigit() and len(value) <= 18 else None


@bp.get("/")
def queue() -> str:
    db = get_session()
    scope = current_scope()
    filters = _filters()
    page_no = max(1, min(request.args.get("page", 1, type=int) or 1, 10_000))
    documents = review_document_condition(scope)
    rows = db.execute(queue_query(documents, **filters)
                      .limit(PAGE_SIZE + 1).offset((page_no - 1) * PAGE_SIZE)).all()
    threshold = _services().settings.ocr_low_confidence
    items = [(page, doc, reasons_of(page, threshold)) for page, doc in rows[:PAGE_SIZE]]
    counts = review_counts(db, documents, batch_id=filters["batch_id"])
    audit("view", "review_queue", "", filters={k: v for k, v in filters.items() if v}, shown=len(items),
          returned=[doc.id for _page, doc, _reasons in items])
    return render_template("review/queue.html", items=items, counts=counts, filters=filters, page=page_no,
                           more=len(rows) > PAGE_SIZE, districts=scoped_districts(db), reasons=list(ReviewReason),
                           labels=REASON_LABELS)


@bp.post("/pages/<int:page_id>/confirm")
def confirm(page_id: int) -> BaseResponse:
    """The clerk looked at the page and its text is right (a blank page really is blank)."""
    from ingest.review import mark_reviewed
    from jobs.enqueue import enqueue_extract, enqueue_reindex_document

    db = get_session()
    # the page's document must be one whose text the user may correct (the review WRITE predicate)
    page = object_or_404(db, Page, page_id, Page.document_id.in_(
        select(Document.id).where(review_document_condition(current_scope()))), action="review", object_type="page",
        district_of=lambda p: p.document.district_id)
    if not page.needs_review:
        flash(_("This page was already reviewed."))
        return redirect(_next_url(page))
    reasons = reasons_of(page, _services().settings.ocr_low_confidence)
    document_id = page.document_id
    extract = mark_reviewed(db, page, current_user.id)
    audit("review", "page", page.id, district_id=page.document.district_id, document_id=document_id,
          page_no=page.page_no, outcome="confirmed",
          reasons=reasons)
    services = _services()
    try:
        if extract:
            enqueue_extract(services.redis, document_id, services.settings)
        else:
            enqueue_reindex_document(services.redis, document_id, services.settings)
    except Exception:
        current_app.logger.exception("could not queue document %s after review", document_id)
    flash(_("Page %(n)s confirmed; it has left the review queue.", n=page.page_no), "success")
    return redirect(_next_url(page))


def _next_url(page: Page) -> str:
    target = request.form.get("next", "")
    if target.startswith("/review/") and "//" not in target and "\\" not in target:
        return target
    return url_for("review.queue")
