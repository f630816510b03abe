"""Intake: upload many scans at once, then follow the batch's progress.

The files go to the pipeline through ``ingest.intake.accept_upload`` (which stores them by SHA-256;
the clerk's filename is kept only as display text, never used for a path) and each new document is
queued with ``jobs.enqueue.enqueue_document``. The progress page polls a small JSON endpoint.
"""

from __future__ import annotations

import re
from typing import IO, Any, cast

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, url_for
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response as BaseResponse

from config import Settings
from models import Batch, BatchSource, Case, DocType, Document, Role
from search_app.audit import audit
from search_app.auth import current_user, roles_required
from search_app.auth.scope import current_scope, scoped_cases, scoped_districts
from search_app.db import get_session
from search_app.services import AppServices

bp = Blueprint("intake", __name__, url_prefix="/intake")

INTAKE_ROLES = (Role.DATA_ENTRY, Role.SUPERVISOR, Role.ADMIN)
LANGUAGE_HINTS = ("auto", "eng", "urd", "pus", "eng+urd")
_FIR = re.compile(r"^(?:FIR\s*(?:No\.?)?\s*)?(\d{1,10})\s*/\s*(\d{4})$", re.IGNORECASE)


@bp.before_request
@roles_required(*INTAKE_ROLES)
def _intake_roles_only() -> None:
    return None


def _services() -> AppServices:
    return cast(AppServices, current_app.extensions["cmms"])


@bp.route("/", methods=["GET"])
def upload() -> str:
    return _form()


def _form(errors: dict[str, str] | None = None, form: Any = None) -> str:
    return render_template("intake/upload.html", districts=scoped_districts(get_session()),
                           languages=LANGUAGE_HINTS, doc_types=list(DocType), errors=errors or {},
                           form=form or {}, max_mb=_services().settings.max_upload_mb)


def find_case(db: Session, district_id: int, reference: str) -> tuple[int | None, str]:
    """A case id for "123/2024" or "FIR 123/2024" (when exactly one case in the district matches),
    else the text as a hint for automatic linking."""
    match = _FIR.match(reference.strip())
    if not match:
        return None, reference.strip()[:64]
    ids = list(db.scalars(scoped_cases(select(Case.id).where(
        Case.district_id == district_id, Case.fir_number == match.group(1),
        Case.fir_year == int(match.group(2))))))
    return (ids[0], "") if len(ids) == 1 else (None, reference.strip()[:64])


@bp.route("/", methods=["POST"])
def submit() -> BaseResponse | str | tuple[str, int]:
    db = get_session()
    form = request.form
    errors: dict[str, str] = {}
    district_id = form.get("district_id", type=int)
    if district_id is None or not current_scope().allows(district_id):
        errors["district_id"] = "Choose one of your districts."
    language = form.get("language", "auto")
    if language not in LANGUAGE_HINTS:
        errors["language"] = "Choose a language."
    doc_type = form.get("doc_type", DocType.OTHER.value)
    if doc_type not in {d.value for d in DocType}:
        errors["doc_type"] = "Choose a document type."
    uploads = [f for f in request.files.getlist("files") if f and f.filename]
    if not uploads:
        errors["files"] = "Choose at least one file."
    if errors:
        return _form(errors, form), 400
    assert district_id is not None
    case_id, fir_hint = find_case(db, district_id, form.get("case_ref", ""))
    files = [(f.filename or "", cast(IO[bytes], f.stream)) for f in uploads]
    result = _accept(db, district_id, language, DocType(doc_type), case_id, fir_hint, files)
    return redirect(url_for("intake.batch", batch_id=result))


def _accept(db: Session, district_id: int, language: str, doc_type: DocType, case_id: int | None,
            fir_hint: str, files: list[tuple[str, IO[bytes]]]) -> int:
    """Hand the files to the pipeline (it commits each file); queue new documents; audit; return the
    batch id."""
    from ingest.intake import IntakeRequest, OutcomeStatus, accept_upload

    settings: Settings = _services().settings
    intake_request = IntakeRequest(
        source=BatchSource.UPLOAD, district_id=district_id, operator_id=current_user.id,
        language_hint=language, doc_type=doc_type, case_id=case_id, fir_hint=fir_hint,
    )
    result = accept_upload(db, settings, intake_request, files)
    _enqueue(result.document_ids_to_process)
    tally = {status: sum(1 for o in result.outcomes if o.status is status) for status in OutcomeStatus}
    audit("upload", "batch", result.batch_id, files=len(files),
          outcomes={str(k): v for k, v in tally.items()})
    flash(f"{len(files)} file(s) received: {tally[OutcomeStatus.ACCEPTED]} new, "
          f"{tally[OutcomeStatus.DUPLICATE]} duplicate(s), "
          f"{tally[OutcomeStatus.FAILED] + tally[OutcomeStatus.REFUSED]} refused.")
    for outcome in result.outcomes:
        if outcome.status in (OutcomeStatus.FAILED, OutcomeStatus.REFUSED):
            flash(f"{outcome.filename}: {outcome.message}", "error")
    return result.batch_id


def _enqueue(document_ids: list[int]) -> None:
    """Queue each new document; if the queue is unreachable the documents stay RECEIVED and the
    reconciler queues them later, so the upload itself still succeeds."""
    from jobs.enqueue import enqueue_document

    app_services = _services()
    try:
        for document_id in document_ids:
            enqueue_document(app_services.redis, document_id, app_services.settings)
    except Exception:
        current_app.logger.exception("could not enqueue documents %s", document_ids)
        flash("The files are stored, but the processing queue is not reachable; they will be processed "
              "when it is back.", "error")


# --- batches and progress ------------------------------------------------------------------------------
def _batch_or_404(batch_id: int) -> Batch:
    from flask import abort

    batch = get_session().get(Batch, batch_id)
    if batch is None or not current_scope().allows(batch.district_id):
        audit("view", "batch", batch_id, success=False,
              reason="not_found" if batch is None else "out_of_scope")
        abort(404)
    return batch


@bp.route("/batches")
def batches() -> str:
    db = get_session()
    scope = current_scope()
    stmt = select(Batch).order_by(Batch.id.desc()).limit(50)
    if scope.allowed_district_ids is not None:
        stmt = stmt.where(Batch.district_id.in_(sorted(scope.allowed_district_ids)))
    rows = list(db.scalars(stmt))
    counts = {(bid, str(status)): n for bid, status, n in db.execute(
        select(Document.batch_id, Document.status, func.count(Document.id))
        .where(Document.batch_id.in_([b.id for b in rows])).group_by(Document.batch_id, Document.status))}
    return render_template("intake/batches.html", batches=rows, counts=counts)


@bp.route("/batches/<int:batch_id>")
def batch(batch_id: int) -> str:
    from ingest.progress import batch_progress

    batch = _batch_or_404(batch_id)
    progress = batch_progress(get_session(), batch.id)
    return render_template("intake/batch.html", batch=batch, progress=progress)


def progress_json(progress: Any) -> dict[str, Any]:
    """What the progress page's script reads: per document status, pages done of total, the
    clerk-readable error of a failed one."""
    return {
        "documents": [{
            "id": d.document_id, "status": str(d.status), "pages_done": d.pages_done,
            "page_count": d.page_count, "error": (d.error_message or "") if d.status == "failed" else "",
            "duplicate_of": d.duplicate_of_id,
        } for d in progress.documents],
        "finished": progress.finished,
        "fraction": round(progress.fraction, 3),
    }


@bp.route("/batches/<int:batch_id>/progress")
def batch_progress(batch_id: int) -> dict[str, Any]:
    from ingest.progress import batch_progress as read_progress

    g.passive_request = True  # polling is not user activity: it must not keep an idle session alive
    return progress_json(read_progress(get_session(), _batch_or_404(batch_id).id))
