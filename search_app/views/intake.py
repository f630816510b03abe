"""Intake: upload many scans at once, then follow the batch's progress.

The files go to the pipeline through ``ingest.intake.accept_upload`` (which stores them by SHA-256;
the clerk's filename is kept only as display text, never used for a path) and each new document is
queued with ``jobs.enqueue.enqueue_document``. The progress page polls a small JSON endpoint.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import IO, Any, cast

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response as BaseResponse

from config import Settings
from models import Batch, BatchSource, Case, DocType, Document
from search_app.audit import audit
from search_app.auth import current_user
from search_app.auth.scope import (
    Scope,
    batch_read_condition,
    case_read_condition,
    current_scope,
    intake_document_condition,
    object_or_404,
    review_document_condition,
    scoped_districts,
)
from search_app.db import get_session
from search_app.i18n import formatter, translate_stored
from search_app.services import AppServices

bp = Blueprint("intake", __name__, url_prefix="/intake")

LANGUAGE_HINTS = ("auto", "eng", "urd", "pus", "eng+urd")
BATCH_TEXT_LIMITS = {"name": 200, "box_number": 100, "notes": 5000}
_FIR = re.compile(r"^(?:FIR\s*(?:No\.?)?\s*)?(\d{1,10})\s*/\s*(\d{4})$", re.IGNORECASE)


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
    """A case id for "123/2024" or "FIR 123/2024" (when exactly one case of the batch's district matches),
    else the text as a hint for automatic linking. The link is derived data on the new documents, so it
    is looked up in THEIR scope (the readers of that district), never another district's."""
    match = _FIR.match(reference.strip())
    if not match:
        return None, reference.strip()[:64]
    ids = list(db.scalars(select(Case.id).where(
        case_read_condition(Scope.readers_of(district_id)), Case.district_id == district_id,
        Case.fir_number == match.group(1), Case.fir_year == int(match.group(2)))))
    return (ids[0], "") if len(ids) == 1 else (None, reference.strip()[:64])


@bp.route("/", methods=["POST"])
def submit() -> BaseResponse | str | tuple[str, int]:
    db = get_session()
    form = request.form
    errors: dict[str, str] = {}
    district_id = form.get("district_id", type=int)
    if district_id is None or not 0 < district_id < 2**31 or not current_scope().allows(district_id):
        errors["district_id"] = _("Choose one of your districts.")
    language = form.get("language", "auto")
    if language not in LANGUAGE_HINTS:
        errors["language"] = _("Choose a language.")
    doc_type = form.get("doc_type", "")  # no default: a "judgment" goes to the librarians as case law
    if doc_type not in {d.value for d in DocType}:
        errors["doc_type"] = _("Choose a document type.")
    for name, limit in BATCH_TEXT_LIMITS.items():
        if len(form.get(name, "")) > limit:
            errors[name] = _("At most %(n)s characters.", n=limit)
    uploads = [f for f in request.files.getlist("files") if f and f.filename]
    if not uploads:
        errors["files"] = _("Choose at least one file.")
    if errors:
        return _form(errors, form), 400
    assert district_id is not None
    case_id, fir_hint = find_case(db, district_id, form.get("case_ref", ""))
    files = [(f.filename or "", cast(IO[bytes], f.stream)) for f in uploads]
    details = BatchDetails(form.get("name", ""), form.get("box_number", ""), form.get("notes", ""))
    result = _accept(db, district_id, language, DocType(doc_type), case_id, fir_hint, files, details)
    return redirect(url_for("intake.batch", batch_id=result))


@dataclass(frozen=True)
class BatchDetails:
    name: str = ""
    box_number: str = ""
    notes: str = ""


def _accept(db: Session, district_id: int, language: str, doc_type: DocType, case_id: int | None,
            fir_hint: str, files: list[tuple[str, IO[bytes]]], details: BatchDetails) -> int:
    """Hand the files to the pipeline (it commits each file); queue new documents; audit; return the
    batch id."""
    from ingest.intake import IntakeRequest, OutcomeStatus, accept_upload

    settings: Settings = _services().settings
    intake_request = IntakeRequest(
        source=BatchSource.UPLOAD, district_id=district_id, operator_id=current_user.id,
        language_hint=language, doc_type=doc_type, case_id=case_id, fir_hint=fir_hint,
        name=details.name, box_number=details.box_number, notes=details.notes,
    )
    result = accept_upload(db, settings, intake_request, files)
    _enqueue(result.document_ids_to_process)
    tally = {status: sum(1 for o in result.outcomes if o.status is status) for status in OutcomeStatus}
    audit("upload", "batch", result.batch_id, district_id=district_id, files=len(files),
          outcomes={str(k): v for k, v in tally.items()})
    number = formatter().number
    flash(_("%(n)s file(s) received: %(new)s new, %(dup)s duplicate(s), %(bad)s refused.", n=number(len(files)),
            new=number(tally[OutcomeStatus.ACCEPTED]), dup=number(tally[OutcomeStatus.DUPLICATE]),
            bad=number(tally[OutcomeStatus.FAILED] + tally[OutcomeStatus.REFUSED])))
    for outcome in result.outcomes:
        if outcome.status in (OutcomeStatus.FAILED, OutcomeStatus.REFUSED):
            flash(_("%(name)s: %(problem)s", name=outcome.filename, problem=translate_stored(outcome.message)),
                  "error")
        elif outcome.replaced_failed_id is not None:
            flash(_("%(name)s had failed before as document %(id)s; it is being processed again.",
                    name=outcome.filename, id=outcome.replaced_failed_id))
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
        flash(_("The files are stored, but the processing queue is not reachable; they will be processed "
                "when it is back."), "error")


# --- batches and progress ------------------------------------------------------------------------------
def _batch_or_404(batch_id: int) -> Batch:
    return object_or_404(get_session(), Batch, batch_id, batch_read_condition(current_scope()), action="view",
                         object_type="batch", district_of=lambda b: b.district_id)


@bp.route("/batches")
def batches() -> str:
    db = get_session()
    stmt = select(Batch).where(batch_read_condition(current_scope())).order_by(Batch.id.desc()).limit(50)
    rows = list(db.scalars(stmt))
    audit("list", "batch", "", returned=[b.id for b in rows])
    counts = {(bid, str(status)): n for bid, status, n in db.execute(
        select(Document.batch_id, Document.status, func.count(Document.id))
        .where(Document.batch_id.in_([b.id for b in rows])).group_by(Document.batch_id, Document.status))}
    return render_template("intake/batches.html", batches=rows, counts=counts)


@bp.route("/batches/<int:batch_id>")
def batch(batch_id: int) -> str:
    from ingest.progress import batch_progress
    from search_app.views import batch_model

    batch = _batch_or_404(batch_id)
    db = get_session()
    progress = batch_progress(db, batch.id)
    scope = current_scope()
    view = batch_model.build(db, batch, progress, review_document_condition(scope), _services().redis,
                             intake_document_condition(scope))
    case = (db.scalar(select(Case).where(Case.id == batch.case_id, case_read_condition(scope)))
            if batch.case_id else None)
    audit("view", "batch", batch.id, district_id=batch.district_id)
    return render_template("intake/batch.html", batch=batch, progress=progress, view=view, case=case,
                           describe_wait=batch_model.describe_wait, summary=batch_model.summary(view))


@bp.route("/batches/<int:batch_id>/progress")
def batch_progress(batch_id: int) -> dict[str, Any]:
    from ingest.progress import batch_progress as read_progress
    from search_app.views import batch_model

    g.passive_request = True  # polling is not user activity: it must not keep an idle session alive
    batch = _batch_or_404(batch_id)
    db = get_session()
    view = batch_model.build(db, batch, read_progress(db, batch.id), review_document_condition(current_scope()),
                             _services().redis)
    return batch_model.as_json(view)
