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
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.routing import BuildError
from werkzeug.wrappers import Response as BaseResponse

from models import Case, CaseLaw, Document, Entity, Page
from search_app import services
from search_app.audit import audit
from search_app.auth import login_required
from search_app.auth.policy import can
from search_app.auth.scope import (
    case_read_condition,
    caselaw_write_condition,
    current_scope,
    document_read_condition,
    document_write_condition,
)
from search_app.search.service import document_hit_pages
from search_app.views.access import db_session, deny, search_scope, the_user, visible_document
from search_app.views.downloads import StoredFileMissingError, content_disposition, stored_path
from search_app.views.viewer_model import (
    HitNavigation,
    ViewerQuery,
    entity_groups,
    hit_navigation,
    page_boxes,
    text_direction,
    viewer_query,
)
from search_app.views.viewer_review import (
    QuarantinedError,
    download_name,
    original_type,
    review_info,
    version_info,
)

bp = Blueprint("documents", __name__, url_prefix="/documents")

MAX_CORRECTION_CHARS = 200_000


def case_url(case_id: int | None) -> str | None:
    """The case page's address, when the user may read that case (else no link at all)."""
    if case_id is None or not can(the_user(), "case.read"):
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


def _navigation(session: Session, document: Document, texts: list[tuple[int, str]], current: int,
                query: ViewerQuery, entities: list[Entity]) -> HitNavigation:
    """Hit pages counted by the search itself (same parser, query and scope), so the viewer and the
    result list agree; matched locally only when Elasticsearch cannot answer."""
    if not query:
        return hit_navigation(texts, current, query)
    app_services = services(current_app)
    hits = document_hit_pages(app_services.es, app_services.settings, query.text, document.id,
                              search_scope(the_user()))
    rows = session.execute(select(Page.id, Page.page_no).where(Page.document_id == document.id))
    numbers = {int(page_id): int(no) for page_id, no in rows}
    return hit_navigation(texts, current, query, hits, entities, numbers)


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
        navigation = _navigation(session, document, texts, 0, viewer_query(query), _entities(session, document))
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
    parsed = viewer_query(query)
    texts = page_texts(session, document.id)
    entities = _entities(session, document)
    navigation = _navigation(session, document, texts, current.page_no if current else 0, parsed, entities)
    rows = session.execute(select(Page.id, Page.page_no).where(Page.document_id == document.id))
    page_numbers = {int(page_id): int(no) for page_id, no in rows}
    case_law = session.scalar(select(CaseLaw).where(CaseLaw.document_id == document.id))
    correction_url = _correction_url(session, document, case_law, current)
    audit("view", "document", document.id, district_id=document.district_id,
          page_no=current.page_no if current else None, query=query[:200])
    scope = current_scope()
    readable_case = document.case_id if document.case_id is not None and session.scalar(
        select(Case.id).where(Case.id == document.case_id, case_read_condition(scope))) else None
    low_confidence = services(current_app).settings.ocr_low_confidence
    return render_template(
        "documents/viewer.html",
        document=document,
        page=current,
        query=query,
        boxes=page_boxes(current, parsed) if current else [],
        direction=text_direction(current) if current else "auto",
        navigation=navigation,
        page_total=len(texts),
        last_page=texts[-1][0] if texts else 0,
        entity_groups=entity_groups(entities, page_numbers),
        case_url=case_url(readable_case),
        case_law=case_law,
        can_correct=correction_url is not None,
        correction_url=correction_url,
        review=review_info(current, low_confidence, request.args.get("review") == "1"),
        versions=version_info(session, document, document_read_condition(scope)),
    )


def _correction_url(session: Session, document: Document, case_law: CaseLaw | None, current: Page | None,
                    ) -> str | None:
    """Where this user's correction of the page posts; None when the WRITE predicate refuses the document
    (``auth.scope.document_write_condition``: a published judgment's text is the librarians'). A librarian
    corrects a judgment through its case-law record (``caselaw.correct_page``), district staff through the
    viewer's own form."""
    if current is None:
        return None
    scope = current_scope()
    if session.scalar(select(Document.id).where(Document.id == document.id, document_write_condition(scope))) is None:
        return None
    if case_law is not None and session.scalar(
            select(CaseLaw.id).where(CaseLaw.id == case_law.id, caselaw_write_condition(scope))) is not None:
        return url_for("caselaw.correct_page", caselaw_id=case_law.id, page_no=current.page_no)
    return url_for("documents.correct_page", document_id=document.id, page_no=current.page_no)


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
            deny("view_image", "page", current.id, exc.message, district_id=document.district_id)
        audit("view_image", "page", current.id, district_id=document.district_id, document_id=document.id,
              page_no=page_no)
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
            deny("download", "document", document.id, exc.message, message=_(exc.message),
                 district_id=document.district_id)
        try:  # the type of what the bytes are, and a name with that extension (issue 8, kind 8)
            mimetype, suffix = original_type(path, document)
        except QuarantinedError:
            deny("download", "document", document.id, "quarantined", status=403, district_id=document.district_id,
                 message=_("This file was refused at intake and is quarantined; only an administrator can "
                           "download it (Intake > Quarantine)."))
        audit("download", "document", document.id, district_id=document.district_id, variant="original",
              sha256=document.sha256)
        name, fallback = download_name(document.original_filename, suffix), f"document-{document.id}{suffix}"
    response = send_file(path, mimetype=mimetype, max_age=0)
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
                 message=_("A searchable PDF cannot be made: %(reason)s Download the original instead.",
                           reason=_(exc.message)),
                 variant="searchable_pdf", district_id=document.district_id)
        audit("download", "document", document.id, district_id=document.district_id, variant="searchable_pdf")
        base = document.original_filename.rsplit(".", 1)[0] or f"document-{document.id}"
        name = f"{base} (searchable).pdf"
    response = Response(pdf_bytes, mimetype="application/pdf")
    response.headers["Content-Disposition"] = content_disposition(
        name, f"document-{document_id}-searchable.pdf"
    )
    return _nosniff(response)


def save_correction(session: Session, document: Document, current: Page, text: str, user_id: int) -> None:
    """Store a person's text beside the machine text, audit it, and queue the re-index."""
    from ingest.review import mark_reviewed
    from jobs.enqueue import enqueue_extract, enqueue_reindex_document

    previous = current.effective_text
    current.corrected_text = text
    current.corrected_by_id = user_id
    current.corrected_at = datetime.now(UTC)
    was_queued = current.needs_review
    extract = mark_reviewed(session, current, user_id)  # a correction clears the page from the review queue
    audit("edit", "page", current.id, district_id=document.district_id, document_id=document.id,
          page_no=current.page_no,
          field="corrected_text", chars_before=len(previous), chars_after=len(text), reviewed=was_queued)
    session.flush()
    session.commit()  # the re-index job must read the committed correction
    app_services = services(current_app)
    if extract:  # a page that could not be read now has text: extract and index the document again
        enqueue_extract(app_services.redis, document.id, app_services.settings)
    else:
        enqueue_reindex_document(app_services.redis, document.id)


@bp.post("/<int:document_id>/pages/<int:page_no>/correction")
@login_required
def correct_page(document_id: int, page_no: int) -> BaseResponse:
    text = request.form.get("corrected_text", "").replace("\r\n", "\n")
    query = request.form.get("q", "")
    with db_session() as session:
        document = visible_document(session, document_id, "edit")  # the WRITE predicate
        current = _page(session, document, page_no)
        if len(text) > MAX_CORRECTION_CHARS:
            abort(413, description=_("The corrected text is too long for one page."))
        save_correction(session, document, current, text, the_user().id)
    flash(_("Correction saved. The page will be searchable with the new text in a few seconds."), "success")
    return redirect(url_for("documents.page", document_id=document_id, page_no=page_no, q=query or None))
