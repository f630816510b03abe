"""JSON API of intake and review (``/api/v1``): the review queue, a batch's progress with its summary
and queue estimate, and retrying a failed document. Same login, scope and error object as the core API
(``{"error": {"status", "code", "message"}}``); described in ``search_app/apidoc/intake.json``."""

from __future__ import annotations

from typing import Any, cast

from flask import Blueprint, Response, abort, current_app, jsonify, request

from ingest.retry import RetryError, retry_document
from ingest.review import queue_query, reasons_of, review_counts
from models import Batch, Document, ReviewReason
from search_app.audit import audit
from search_app.auth.scope import (
    batch_read_condition,
    current_scope,
    intake_document_condition,
    object_or_404,
    review_document_condition,
)
from search_app.db import get_session
from search_app.errors import api_error
from search_app.services import AppServices

bp = Blueprint("api_intake", __name__, url_prefix="/api/v1")

MAX_LIMIT = 100


def _error(status: int, code: str, message: str) -> Response:
    """The app-wide error object (login, permission, CSRF and 404 answers come from search_app.errors)."""
    return api_error(status, code, message)


def _services() -> AppServices:
    return cast(AppServices, current_app.extensions["cmms"])


def _int_arg(name: str, default: int | None, low: int, high: int) -> int | None:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 19 or not low <= int(raw) <= high:
        abort(400, description=f"{name} must be a whole number from {low} to {high}.")
    return int(raw)


@bp.get("/review-queue")
def review_queue() -> Response:
    reason = request.args.get("reason") or None
    if reason is not None and reason not in {r.value for r in ReviewReason}:
        abort(400, description="reason must be one of: " + ", ".join(r.value for r in ReviewReason))
    batch_id = _int_arg("batch", None, 1, 2**62)
    district_id = _int_arg("district", None, 1, 2**62)
    limit = _int_arg("limit", 25, 1, MAX_LIMIT) or 25
    offset = _int_arg("offset", 0, 0, 2**31) or 0
    db = get_session()
    scope = review_document_condition(current_scope())
    rows = db.execute(queue_query(scope, batch_id=batch_id, district_id=district_id, reason=reason)
                      .limit(limit).offset(offset)).all()
    threshold = _services().settings.ocr_low_confidence
    counts = review_counts(db, scope, batch_id=batch_id)
    audit("view", "review_queue", "", surface="api", shown=len(rows), returned=[d.id for _, d in rows])
    return jsonify({
        "pages_in_queue": counts.pages, "documents_in_queue": counts.documents,
        "pages": [{"document_id": d.id, "page_no": p.page_no, "reasons": reasons_of(p, threshold),
                   "mean_confidence": p.mean_confidence, "batch_id": d.batch_id, "district_id": d.district_id,
                   "title": d.title} for p, d in rows],
    })


@bp.get("/batches/<int:batch_id>")
def batch(batch_id: int) -> Response:
    from ingest.progress import batch_progress
    from search_app.views import batch_model

    db = get_session()
    scope = current_scope()
    row = object_or_404(db, Batch, batch_id, batch_read_condition(scope), action="view", object_type="batch",
                        district_of=lambda b: b.district_id)
    view = batch_model.build(db, row, batch_progress(db, row.id), review_document_condition(scope),
                             _services().redis)
    audit("view", "batch", row.id, district_id=row.district_id, surface="api")
    body: dict[str, Any] = {"id": row.id, "name": row.name, "box_number": row.box_number, "notes": row.notes,
                            "case_id": row.case_id, "district_id": row.district_id,
                            **batch_model.as_json(view)}
    return jsonify(body)


@bp.post("/documents/<int:document_id>/retry")
def retry(document_id: int) -> Response:
    from jobs.enqueue import enqueue_document, enqueue_page

    db = get_session()
    document = object_or_404(db, Document, document_id, intake_document_condition(current_scope()),
                             action="retry", object_type="document", district_of=lambda d: d.district_id)
    try:
        plan = retry_document(db, document)
    except RetryError as exc:
        db.rollback()
        return _error(409, "cannot_retry", exc.message % exc.values if exc.values else exc.message)
    audit("retry", "document", document.id, district_id=document.district_id, surface="api", pages=len(plan.page_ids))
    services = _services()
    for doc_id in plan.prepare_document_ids:
        enqueue_document(services.redis, doc_id, services.settings)
    for page_id in plan.page_ids:
        enqueue_page(services.redis, page_id, services.settings)
    return jsonify({"document_id": document.id, "status": str(document.status),
                    "documents_queued": plan.prepare_document_ids, "pages_queued": plan.page_ids})
