"""JSON API under ``/api/v1/``: search, documents, pages (text + word boxes) and cases (case law:
``api_caselaw``).

Same login and scope as the pages (session cookie; non-GET requests need the ``X-CSRFToken``
header). Errors are JSON ``{"error": {"status", "code", "message"}}``. Described by ``search_app/apidoc/*.json``,
served at ``/api/v1/openapi.json``.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, jsonify, request
from sqlalchemy import Select, func, select

from models import Case, Document, Page
from search_app.apidoc import openapi_text
from search_app.audit import audit
from search_app.auth.scope import (
    case_or_404,
    case_read_condition,
    current_scope,
    document_read_condition,
)
from search_app.db import get_session
from search_app.errors import api_error
from search_app.search import SearchRequestError
from search_app.views.access import db_session, the_user, visible_document
from search_app.views.documents import MAX_CORRECTION_CHARS, save_correction
from search_app.views.search import SearchFailed, run_search
from search_app.views.search_params import request_from_args
from search_app.views.snippets import safe_highlight
from search_app.views.viewer_model import page_boxes, text_direction, viewer_query

bp = Blueprint("api", __name__, url_prefix="/api/v1")

MAX_LIMIT = 100
MAX_OFFSET = 1_000_000


def _error(status: int, code: str, message: str) -> Response:
    return api_error(status, code, message)


# Login, permissions, CSRF, 404s and unexpected errors answer with the app-wide error object
# (search_app.errors); only search failures have their own codes here.
@bp.errorhandler(SearchFailed)
def _search_failed(exc: SearchFailed) -> Response:
    return _error(exc.status, "bad_query" if exc.status == 400 else "search_unavailable", exc.message)


@bp.errorhandler(SearchRequestError)
def _bad_search(exc: SearchRequestError) -> Response:
    return _error(400, "bad_request", exc.message)


def _paging() -> tuple[int, int]:
    try:
        limit = min(max(int(request.args.get("limit", 25)), 1), MAX_LIMIT)
        offset = max(int(request.args.get("offset", 0)), 0)
    except ValueError:
        abort(400, description="limit and offset must be whole numbers.")
    if offset > MAX_OFFSET:
        abort(400, description=f"offset must be at most {MAX_OFFSET}; narrow the list with filters.")
    return limit, offset


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


# --- serialisers ------------------------------------------------------------------------------------


def document_json(document: Document) -> dict[str, Any]:
    return {
        "id": document.id, "title": document.title, "original_filename": document.original_filename,
        "doc_type": str(document.doc_type), "kind": document.kind and str(document.kind),
        "status": str(document.status), "error_code": document.error_code,
        "error_message": document.error_message, "district_id": document.district_id,
        "case_id": document.case_id, "page_count": document.page_count, "pages_done": document.pages_done,
        "needs_review": document.needs_review, "indexed_at": _iso(document.indexed_at),
        "created_at": _iso(document.created_at),
    }


def page_json(page: Page, query: str) -> dict[str, Any]:
    parsed = viewer_query(query)
    return {
        "document_id": page.document_id, "page_no": page.page_no, "status": str(page.status),
        "language": page.language, "direction": text_direction(page), "text": page.effective_text,
        "machine_text": page.text, "corrected": page.corrected_text is not None,
        "corrected_at": _iso(page.corrected_at), "mean_confidence": page.mean_confidence,
        "width": page.width, "height": page.height, "dpi": page.dpi,
        "words": [list(w) for w in (page.words or [])],
        "matches": [b.as_json() for b in page_boxes(page, parsed)] if parsed else [],
    }


def case_json(case: Case) -> dict[str, Any]:
    return {
        "id": case.id, "fir_number": case.fir_number, "fir_year": case.fir_year,
        "police_station": case.police_station.name, "district_id": case.district_id,
        "district": case.district.name, "title": case.title, "sections": list(case.sections or []),
        "stage": str(case.stage), "court": case.court, "court_case_number": case.court_case_number,
    }


# --- routes -----------------------------------------------------------------------------------------


@bp.get("/openapi.json")
def openapi() -> Response:
    return Response(_openapi_text(), mimetype="application/json")


def _openapi_text() -> str:
    return openapi_text()  # assembled from search_app/apidoc/*.json, one file per area


@bp.get("/search")
def search() -> Response:
    search_request = request_from_args(request.args)
    results = run_search(search_request, the_user()).to_json()
    for group in results["groups"]:
        for page in group["pages"]:
            page["fragments"] = [str(safe_highlight(str(f))) for f in page["fragments"]]
    return jsonify(results)


@bp.get("/documents")
def documents() -> Response:
    limit, offset = _paging()
    scope = current_scope()
    stmt: Select[tuple[Document]] = select(Document).where(document_read_condition(scope))
    status = request.args.get("status", "")[:20]
    if status:
        stmt = stmt.where(Document.status == status)
    case_id = _id_arg("case_id")
    if case_id is not None:
        # Only a case the user may read: a link to another district's case is not even confirmed.
        stmt = stmt.where(Document.case_id == case_id,
                          Document.case_id.in_(select(Case.id).where(case_read_condition(scope))))
    with db_session() as session:
        total = session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
        rows = list(session.scalars(stmt.order_by(Document.id.desc()).limit(limit).offset(offset)))
        audit("list", "document", "", results=total, returned=[d.id for d in rows], status=status,
              case_id=case_id, via="api")
        return jsonify({"total": total, "limit": limit, "offset": offset,
                        "items": [document_json(d) for d in rows]})


def _id_arg(name: str) -> int | None:
    """A whole-number id parameter; a malformed or out-of-range one is a 400 with a clear message."""
    raw = request.args.get(name, "").strip()
    if not raw:
        return None
    if not raw.isdigit() or len(raw) > 18:
        abort(400, description=f"{name} must be a whole number.")
    return int(raw)


@bp.get("/documents/<int:document_id>")
def document(document_id: int) -> Response:
    with db_session() as session:
        item = visible_document(session, document_id, "view")
        body = document_json(item)
        rows = session.execute(
            select(Page.page_no, Page.status, Page.language, Page.corrected_text.is_not(None))
            .where(Page.document_id == item.id).order_by(Page.page_no)
        )
        body["pages"] = [{"page_no": no, "status": str(status), "language": language, "corrected": corrected}
                         for no, status, language, corrected in rows]
        audit("view", "document", item.id, district_id=item.district_id, via="api")
        return jsonify(body)


def _page_of(item: Document, page_no: int) -> Page:
    page = get_session().scalar(select(Page).where(Page.document_id == item.id, Page.page_no == page_no))
    if page is None:
        abort(404)
    return page


@bp.get("/documents/<int:document_id>/pages/<int:page_no>")
def document_page(document_id: int, page_no: int) -> Response:
    with db_session() as session:
        item = visible_document(session, document_id, "view")
        page = _page_of(item, page_no)
        audit("view", "document", item.id, district_id=item.district_id, page_no=page_no, via="api",
              words=True)
        return jsonify(page_json(page, request.args.get("q", "")))


@bp.put("/documents/<int:document_id>/pages/<int:page_no>/correction")
def correct_page(document_id: int, page_no: int) -> Response:
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not isinstance(body.get("text"), str):
        abort(400, description='Send JSON {"text": "..."}.')
    text = body["text"].replace("\r\n", "\n")
    if len(text) > MAX_CORRECTION_CHARS:
        abort(413, description="The corrected text is too long for one page.")
    with db_session() as session:
        item = visible_document(session, document_id, "edit")  # the WRITE predicate
        page = _page_of(item, page_no)
        save_correction(session, item, page, text, the_user().id)
        return jsonify(page_json(page, ""))


@bp.get("/cases")
def cases() -> Response:
    limit, offset = _paging()
    stmt = select(Case).where(case_read_condition(current_scope()))
    with db_session() as session:
        total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
        rows = list(session.scalars(stmt.order_by(Case.id.desc()).limit(limit).offset(offset)))
        audit("list", "case", "", results=total, returned=[c.id for c in rows], via="api")
        return jsonify({"total": total, "limit": limit, "offset": offset,
                        "items": [case_json(c) for c in rows]})


@bp.get("/cases/<int:case_id>")
def case(case_id: int) -> Response:
    with db_session() as session:
        item = case_or_404(session, case_id, "view")
        body = case_json(item)
        docs = select(Document).where(Document.case_id == item.id,
                                      document_read_condition(current_scope())).order_by(Document.id)
        body["documents"] = [document_json(d) for d in session.scalars(docs)]
        audit("view", "case", item.id, district_id=item.district_id, via="api")
        return jsonify(body)
