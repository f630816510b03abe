"""The document viewer: page image with the matched words boxed, OCR text, hit navigation, entities,
downloads (original and searchable PDF) and OCR text correction.

Every route loads the document through ``visible_document`` (scope check, 404 + denied audit), and
every file served is found from database paths inside the file store, never from the request.
"""

from __future__ import annotations

import mimetypes
from datetime import UTC, datetime

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.routing import BuildError
from werkzeug.wrappers import Response as BaseResponse

from models import CaseLaw, Document, Entity, Page, Role
from search_app import services
from search_app.audit import audit
from search_app.auth import login_required, roles_required
from search_app.views.access import db_session, deny, the_user, visible_document
from search_app.views.downloads import StoredFileMissingError, content_disposition, stored_path
from search_app.views.viewer_model import entity_groups, hit_navigation, page_boxes, text_direction
from search_app.views.wordboxes import query_terms

bp = Blueprint("documents", __name__, url_prefix="/documents")

MAX_CORRECTION_CHARS = 200_000
CORRECTION_ROLES = (Role.DATA_ENTRY, Role.SUPERVISOR, Role.ADMIN)
_KIND_MIMETYPES = {"pdf": "application/pdf", "tiff": "image/tiff", "jpeg": "image/jpeg", "png": "image/png"}
_KIND_SUFFIX = {"pdf": ".pdf", "tiff": ".tif", "jpeg": ".jpg", "png": ".png"}


def case_url(case_id: int | None) -> str | None:
    if case_id is None:
        return None
    try:
        return url_for("cases.show", case_id=case_id)
    except BuildError:  # the cases blueprint names its page differently; keep a plain link
        return f"/cases/{case_id}"


def _page(session: Session, document: Document, page_no: int) -> Page:
    page = session.scalar(select(Page).where(Page.document_id == document.id, Page.page_no == page_no))
    if page is None:
        abort(404)
    return page


def page_texts(session: Session, document_id: int) -> list[tuple[int, str]]:
    """``(page_no, effective text)`` of every page, without loading the word boxes."""
    stmt = (select(Page.page_no, func.coalesce(Page.corrected_text, Page.text))
            .where(Page.document_id == document_id).order_by(Page.page_no))
    return [(int(no), str(text)) for no, text in session.execute(stmt)]


def _entities(session: Session, document: Document) -> list[Entity]:
    stmt = select(Entity).where(Entity.document_id == document.id).order_by(Entity.kind, Entity.start)
    return list(session.scalars(stmt))


def _nosniff(response: Response) -> Response:
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/<int:document_id>")
@login_required
def show(document_id: int) -> BaseResponse | str:
    """Open a document at its first hit page for ``?q=`` (or page 1)."""
    query = request.args.get("q", "")
    with db_session() as session:
        document = visible_document(session, document_id, "view")
        texts = page_texts(session, document.id)
        if not texts:
            return _render_viewer(session, document, None, query)
        navigation = hit_navigation(texts, 0, query_terms(query))
        first = navigation.hit_pages[0] if navigation.hit_pages else texts[0][0]
    return redirect(url_for("documents.page", document_id=document_id, page_no=first, q=query or None))


@bp.get("/<int:document_id>/pages/<int:page_no>")
@login_required
def page(document_id: int, page_no: int) -> str:
    query = request.args.get("q", "")
    with db_session() as session:
        document = visible_document(session, document_id, "view")
        current = _page(session, document, page_no)
        return _render_viewer(session, document, current, query)


def _render_viewer(session: Session, document: Document, current: Page | None, query: str) -> str:
    terms = query_terms(query)
    texts = page_texts(session, document.id)
    navigation = hit_navigation(texts, current.page_no if current else 0, terms)
    rows = session.execute(select(Page.id, Page.page_no).where(Page.document_id == document.id))
    page_numbers = {int(page_id): int(no) for page_id, no in rows}
    case_law = session.scalar(select(CaseLaw).where(CaseLaw.document_id == document.id))
    audit("view", "document", document.id, page_no=current.page_no if current else None, query=query[:200])
    return render_template(
        "documents/viewer.html",
        document=document,
        page=current,
        query=query,
        boxes=page_boxes(current, terms) if current else [],
        direction=text_direction(current) if current else "auto",
        navigation=navigation,
        page_total=len(texts),
        last_page=texts[-1][0] if texts else 0,
        entity_groups=entity_groups(_entities(session, document), page_numbers),
        case_url=case_url(document.case_id),
        case_law=case_law,
        can_correct=the_user().role in CORRECTION_ROLES,
    )


@bp.get("/<int:document_id>/pages/<int:page_no>/image")
@login_required
def page_image(document_id: int, page_no: int) -> Response:
    """The derived page image; the path comes from ``Page.image_path`` only."""
    with db_session() as session:
        document = visible_document(session, document_id, "view_image")
        current = _page(session, document, page_no)
        try:
            path = stored_path(services(current_app).settings.files_dir, current.image_path)
        except StoredFileMissingError as exc:
            deny("view_image", "page", current.id, exc.message)
        audit("view_image", "page", current.id, document_id=document.id, page_no=page_no)
    mimetype = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    if not mimetype.startswith("image/"):
        abort(404)
    return _nosniff(send_file(path, mimetype=mimetype, max_age=0, conditional=True))


@bp.get("/<int:document_id>/original")
@login_required
def download_original(document_id: int) -> Response:
    with db_session() as session:
        document = visible_document(session, document_id, "download")
        try:
            path = stored_path(services(current_app).settings.files_dir, document.stored_file.relative_path)
        except StoredFileMissingError as exc:
            deny("download", "document", document.id, exc.message, message=exc.message)
        audit("download", "document", document.id, variant="original", sha256=document.sha256)
        kind = str(document.kind or "pdf")
        name, fallback = document.original_filename, f"document-{document.id}{_KIND_SUFFIX.get(kind, '')}"
    response = send_file(path, mimetype=_KIND_MIMETYPES.get(kind, "application/octet-stream"), max_age=0)
    response.headers["Content-Disposition"] = content_disposition(name, fallback)
    return _nosniff(response)


@bp.get("/<int:document_id>/searchable.pdf")
@login_required
def download_searchable(document_id: int) -> Response:
    """A PDF of the page images with an invisible text layer (built on demand by the OCR package)."""
    from search_app.views.searchable import SearchablePdfNotReadyError, build_document_pdf

    with db_session() as session:
        document = visible_document(session, document_id, "download")
        settings = services(current_app).settings
        try:
            pdf_bytes = build_document_pdf(document, settings.files_dir)
        except SearchablePdfNotReadyError as exc:
            deny("download", "document", document.id, exc.message, status=409,
                 message=f"A searchable PDF cannot be made: {exc.message} Download the original instead.",
                 variant="searchable_pdf")
        audit("download", "document", document.id, variant="searchable_pdf")
        base = document.original_filename.rsplit(".", 1)[0] or f"document-{document.id}"
        name = f"{base} (searchable).pdf"
    response = Response(pdf_bytes, mimetype="application/pdf")
    response.headers["Content-Disposition"] = content_disposition(
        name, f"document-{document_id}-searchable.pdf"
    )
    return _nosniff(response)


def save_correction(session: Session, document: Document, current: Page, text: str, user_id: int) -> None:
    """Store a person's text beside the machine text, audit it, and queue the re-index."""
    from jobs.enqueue import enqueue_reindex_document

    previous = current.effective_text
    current.corrected_text = text
    current.corrected_by_id = user_id
    current.corrected_at = datetime.now(UTC)
    audit("edit", "page", current.id, document_id=document.id, page_no=current.page_no,
          field="corrected_text", chars_before=len(previous), chars_after=len(text))
    session.flush()
    session.commit()  # the re-index job must read the committed correction
    enqueue_reindex_document(services(current_app).redis, document.id)


@bp.post("/<int:document_id>/pages/<int:page_no>/correction")
@login_required
@roles_required(*CORRECTION_ROLES)
def correct_page(document_id: int, page_no: int) -> BaseResponse:
    text = request.form.get("corrected_text", "").replace("\r\n", "\n")
    query = request.form.get("q", "")
    with db_session() as session:
        document = visible_document(session, document_id, "edit")
        current = _page(session, document, page_no)
        if len(text) > MAX_CORRECTION_CHARS:
            abort(413, description="The corrected text is too long for one page.")
        save_correction(session, document, current, text, the_user().id)
    flash("Correction saved. The page will be searchable with the new text in a few seconds.", "success")
    return redirect(url_for("documents.page", document_id=document_id, page_no=page_no, q=query or None))
