"""JSON API under ``/api/v1/``: search, documents, pages (text + word boxes), cases and case law.

Same login and scope as the pages (session cookie; non-GET requests need the ``X-CSRFToken``
header). Errors are JSON ``{"error": {"status", "code", "message"}}``. Described by ``openapi.json``,
served at ``/api/v1/openapi.json``.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from flask import Blueprint, Response, abort, jsonify, request
from flask_wtf.csrf import CSRFError
from sqlalchemy import Select, func, select
from werkzeug.exceptions import HTTPException

from models import Case, CaseLaw, Document, Page, User
from search_app.auth import get_user, roles_required
from search_app.auth.scope import scoped_documents
from search_app.db import get_session
from search_app.search import SearchRequestError
from search_app.views.access import db_session, the_user, visible_document
from search_app.views.caselaw import cited_by
from search_app.views.documents import CORRECTION_ROLES, MAX_CORRECTION_CHARS, save_correction
from search_app.views.search import SearchFailed, run_search
from search_app.views.search_params import request_from_args
from search_app.views.snippets import safe_highlight
from search_app.views.viewer_model import page_boxes, text_direction
from search_app.views.wordboxes import query_terms

bp = Blueprint("api", __name__, url_prefix="/api/v1")

MAX_LIMIT = 100


@bp.before_request
def _require_login() -> Response | None:
    if get_user() is None:
        return _error(401, "unauthorised", "Log in first (session cookie).")
    return None


def _error(status: int, code: str, message: str) -> Response:
    response = jsonify({"error": {"status": status, "code": code, "message": message}})
    response.status_code = status
    return response


@bp.errorhandler(HTTPException)
def _http_error(exc: HTTPException) -> Response:
    code = (exc.name or "error").lower().replace(" ", "_")
    return _error(exc.code or 500, code, exc.description or exc.name or "Error")


@bp.errorhandler(CSRFError)
def _csrf_error(exc: CSRFError) -> Response:
    return _error(400, "csrf", "Send the session's CSRF token in the X-CSRFToken header.")


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
    terms = query_terms(query)
    return {
        "document_id": page.document_id, "page_no": page.page_no, "status": str(page.status),
        "language": page.language, "direction": text_direction(page), "text": page.effective_text,
        "machine_text": page.text, "corrected": page.corrected_text is not None,
        "corrected_at": _iso(page.corrected_at), "mean_confidence": page.mean_confidence,
        "width": page.width, "height": page.height, "dpi": page.dpi,
        "words": [list(w) for w in (page.words or [])],
        "matches": [b.as_json() for b in page_boxes(page, terms)] if terms else [],
    }


def case_json(case: Case) -> dict[str, Any]:
    return {
        "id": case.id, "fir_number": case.fir_number, "fir_year": case.fir_year,
        "police_station": case.police_station.name, "district_id": case.district_id,
        "district": case.district.name, "title": case.title, "sections": list(case.sections or []),
        "stage": str(case.stage), "court": case.court, "court_case_number": case.court_case_number,
    }


def caselaw_json(entry: CaseLaw) -> dict[str, Any]:
    return {
        "id": entry.id, "document_id": entry.document_id, "citation": entry.citation,
        "case_number": entry.case_number, "court": entry.court, "decided_on": _iso(entry.decided_on),
        "parties": entry.parties, "judge": entry.judge, "summary": entry.summary,
    }


# --- routes -----------------------------------------------------------------------------------------


@bp.get("/openapi.json")
def openapi() -> Response:
    return Response(_openapi_text(), mimetype="application/json")


@cache
def _openapi_text() -> str:
    text = resources.files("search_app").joinpath("openapi.json").read_text(encoding="utf-8")
    json.loads(text)  # a broken file fails here, loudly, not in a client
    return text


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
    stmt: Select[tuple[Document]] = scoped_documents(select(Document))
    if request.args.get("status"):
        stmt = stmt.where(Document.status == request.args["status"])
    if request.args.get("case_id", "").isdigit():
        stmt = stmt.where(Document.case_id == int(request.args["case_id"]))
    with db_session() as session:
        total = session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
        rows = session.scalars(stmt.order_by(Document.id.desc()).limit(limit).offset(offset))
        return jsonify({"total": total, "limit": limit, "offset": offset,
                        "items": [document_json(d) for d in rows]})


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
        return jsonify(body)


def _page_of(item: Document, page_no: int) -> Page:
    page = get_session().scalar(select(Page).where(Page.document_id == item.id, Page.page_no == page_no))
    if page is None:
        abort(404, description="No such page.")
    return page


@bp.get("/documents/<int:document_id>/pages/<int:page_no>")
def document_page(document_id: int, page_no: int) -> Response:
    with db_session() as session:
        item = visible_document(session, document_id, "view")
        return jsonify(page_json(_page_of(item, page_no), request.args.get("q", "")))


@bp.put("/documents/<int:document_id>/pages/<int:page_no>/correction")
@roles_required(*CORRECTION_ROLES)
def correct_page(document_id: int, page_no: int) -> Response:
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not isinstance(body.get("text"), str):
        abort(400, description='Send JSON {"text": "..."}.')
    text = body["text"].replace("\r\n", "\n")
    if len(text) > MAX_CORRECTION_CHARS:
        abort(413, description="The corrected text is too long for one page.")
    with db_session() as session:
        item = visible_document(session, document_id, "edit")
        page = _page_of(item, page_no)
        save_correction(session, item, page, text, the_user().id)
        return jsonify(page_json(page, ""))


def _cases_in_scope(user: User) -> Select[tuple[Case]]:
    stmt = select(Case)
    if not user.all_districts:
        stmt = stmt.where(Case.district_id.in_(user.district_ids))
    return stmt


@bp.get("/cases")
def cases() -> Response:
    limit, offset = _paging()
    stmt = _cases_in_scope(the_user())
    with db_session() as session:
        total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
        rows = session.scalars(stmt.order_by(Case.id.desc()).limit(limit).offset(offset))
        return jsonify({"total": total, "limit": limit, "offset": offset,
                        "items": [case_json(c) for c in rows]})


@bp.get("/cases/<int:case_id>")
def case(case_id: int) -> Response:
    with db_session() as session:
        item = session.scalar(_cases_in_scope(the_user()).where(Case.id == case_id))
        if item is None:
            abort(404, description="No such case.")
        body = case_json(item)
        docs = scoped_documents(select(Document)).where(Document.case_id == case_id).order_by(Document.id)
        body["documents"] = [document_json(d) for d in session.scalars(docs)]
        return jsonify(body)


@bp.get("/caselaw")
def caselaw_list() -> Response:
    from search_app.views.caselaw import filtered_entries

    limit, offset = _paging()
    year = request.args.get("year", "")
    stmt = filtered_entries(request.args.get("court", ""), int(year) if year.isdigit() else None,
                            request.args.get("filter", "")[:100])
    with db_session() as session:
        total = session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
        rows = session.scalars(stmt.limit(limit).offset(offset))
        return jsonify({"total": total, "limit": limit, "offset": offset,
                        "items": [caselaw_json(c) for c in rows]})


@bp.get("/caselaw/<int:caselaw_id>")
def caselaw_entry(caselaw_id: int) -> Response:
    with db_session() as session:
        entry = session.get(CaseLaw, caselaw_id)
        if entry is None:
            abort(404, description="No such case-law entry.")
        body = caselaw_json(entry)
        body["citations"] = [{"cited_key": c.cited_key, "cited_id": c.cited_id, "occurrences": c.occurrences}
                             for c in entry.citations_made]
        body["cited_by"] = [caselaw_json(c) for c in cited_by(session, entry)]
        return jsonify(body)


