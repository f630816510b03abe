"""Failed documents and pages: the lists (per batch and overall, with reasons), retry actions
(clerk and administrator), replacing a failed file, and the quarantine of refused files (administrators
only). Every object is loaded inside the user's district scope; out of scope answers like missing."""

from __future__ import annotations

from typing import IO, cast

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from sqlalchemy import ColumnElement, select
from werkzeug.wrappers import Response as BaseResponse

from ingest.retry import (
    RetryError,
    RetryPlan,
    can_retry,
    failed_pages,
    failed_query,
    replace_document,
    retry_document,
    retry_page,
)
from models import Batch, Document, Page
from search_app.audit import audit
from search_app.auth.scope import (
    batch_read_condition,
    current_scope,
    district_condition,
    intake_document_condition,
    object_or_404,
)
from search_app.db import get_session
from search_app.i18n import translate_stored
from search_app.services import AppServices
from search_app.views.downloads import StoredFileMissingError, content_disposition, stored_path

bp = Blueprint("failures", __name__, url_prefix="/intake")

PAGE_SIZE = 100


def _services() -> AppServices:
    return cast(AppServices, current_app.extensions["cmms"])


def _document_or_404(document_id: int, action: str, condition: ColumnElement[bool] | None = None) -> Document:
    """A document of the user's intake work (``auth.scope.intake_document_condition``) or the same 404 for
    missing and out of scope, audited."""
    return object_or_404(get_session(), Document, document_id,
                         intake_document_condition(current_scope()) if condition is None else condition,
                         action=action, object_type="document", district_of=lambda d: d.district_id)


@bp.get("/failed")
def failed() -> str:
    db = get_session()
    raw = request.args.get("batch", "")
    batch_id = int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 18 else None
    scope = current_scope()
    if batch_id is not None:
        object_or_404(db, Batch, batch_id, batch_read_condition(scope), action="view", object_type="batch",
                      district_of=lambda b: b.district_id)
    documents = list(db.scalars(failed_query(intake_document_condition(scope), batch_id).limit(PAGE_SIZE)))
    pages = failed_pages(db, [d.id for d in documents])
    audit("view", "failed_documents", "", batch=batch_id, shown=len(documents), returned=[d.id for d in documents])
    return render_template("intake/failed.html", documents=documents, pages=pages, batch_id=batch_id,
                           retryable={d.id for d in documents if can_retry(d)})


def _enqueue(plan: RetryPlan) -> None:
    from jobs.enqueue import enqueue_document, enqueue_page

    services = _services()
    try:
        for document_id in plan.prepare_document_ids:
            enqueue_document(services.redis, document_id, services.settings)
        for page_id in plan.page_ids:
            enqueue_page(services.redis, page_id, services.settings)
    except Exception:
        current_app.logger.exception("could not enqueue retry %s", plan)
        flash(_("Saved, but the processing queue is not reachable; the work starts when it is back."), "error")


def _back(document: Document) -> BaseResponse:
    target = request.form.get("next", "")
    if target == "failed":
        return redirect(url_for("failures.failed"))
    return redirect(url_for("intake.batch", batch_id=document.batch_id))


@bp.post("/documents/<int:document_id>/retry", endpoint="retry_document")
def retry_document_view(document_id: int) -> BaseResponse:
    document = _document_or_404(document_id, "retry")
    db = get_session()
    try:
        plan = retry_document(db, document)
    except RetryError as exc:
        db.rollback()
        flash(_(exc.message, **exc.values), "error")
        return _back(document)
    audit("retry", "document", document.id, district_id=document.district_id, pages=len(plan.page_ids))
    _enqueue(plan)
    flash(_("Document %(id)s is being processed again.", id=document.id), "success")
    return _back(document)


@bp.post("/pages/<int:page_id>/retry", endpoint="retry_page")
def retry_page_view(page_id: int) -> BaseResponse:
    db = get_session()
    page = object_or_404(db, Page, page_id, Page.document_id.in_(
        select(Document.id).where(intake_document_condition(current_scope()))), action="retry", object_type="page",
        district_of=lambda p: p.document.district_id)
    try:
        plan = retry_page(db, page)
    except RetryError as exc:
        db.rollback()
        flash(_(exc.message, **exc.values), "error")
        return _back(page.document)
    audit("retry", "page", page.id, district_id=page.document.district_id, document_id=page.document_id,
          page_no=page.page_no)
    _enqueue(plan)
    flash(_("Page %(n)s is being read again.", n=page.page_no), "success")
    return _back(page.document)


@bp.post("/documents/<int:document_id>/replace", endpoint="replace_document")
def replace_document_view(document_id: int) -> BaseResponse:
    document = _document_or_404(document_id, "replace")
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        flash(_("Choose the file that replaces this one."), "error")
        return _back(document)
    db = get_session()
    try:
        outcome = replace_document(db, _services().settings, document, upload.filename,
                                   cast(IO[bytes], upload.stream))
    except RetryError as exc:
        db.rollback()
        flash(_(exc.message, **exc.values), "error")
        return _back(document)
    audit("replace", "document", document_id, district_id=document.district_id, replacement=outcome.document_id,
          outcome=str(outcome.status))
    if outcome.needs_processing and outcome.document_id is not None:
        _enqueue(RetryPlan(prepare_document_ids=[outcome.document_id]))
        flash(_("%(name)s replaces document %(id)s and is being processed.", name=outcome.filename, id=document_id),
              "success")
    else:
        flash(_("%(name)s: %(problem)s", name=outcome.filename, problem=translate_stored(outcome.message)),
              "error" if outcome.error_code else "info")
    return redirect(url_for("intake.batch", batch_id=document.batch_id))


# --- quarantine (administrators) ----------


@bp.get("/quarantine")
def quarantine() -> str:
    from models import StoredFile

    db = get_session()
    documents = list(db.scalars(select(Document).join(StoredFile, StoredFile.sha256 == Document.sha256)
                                .where(StoredFile.quarantined.is_(True)).order_by(Document.id.desc()).limit(200)))
    audit("view", "quarantine", "", shown=len(documents), returned=[d.id for d in documents])
    return render_template("intake/quarantine.html", documents=documents)


@bp.get("/quarantine/<int:document_id>")
def quarantine_download(document_id: int) -> BaseResponse:
    """The refused bytes, for an administrator to inspect: never inline, never with a type a browser acts on."""
    # refused files of any district, for the administrators who hold intake.quarantine (the policy's check)
    document = _document_or_404(document_id, "download_quarantined", district_condition(Document.district_id,
                                                                                        current_scope()))
    if not document.stored_file.quarantined:
        abort(404)
    try:
        path = stored_path(_services().settings.files_dir, document.stored_file.relative_path)
    except StoredFileMissingError as exc:
        audit("download_quarantined", "document", document.id, success=False, district_id=document.district_id,
              reason="missing")
        abort(404, description=exc.message)
    audit("download_quarantined", "document", document.id, district_id=document.district_id, sha256=document.sha256)
    response = send_file(path, mimetype="application/octet-stream", max_age=0)
    response.headers["Content-Disposition"] = content_disposition(
        f"{document.original_filename}.quarantined", f"quarantined-{document.id}.bin")
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response
