"""Monitoring API under ``/api/v1``: the dashboard figures and the cases behind a number, and peer
reviews (list, one, assign, checklist, findings, submit, answer, sign off, withdraw).

Same login, scope, audit and rules as the pages (``monitoring`` holds the rules; every figure and every
review goes through the reader's case scope). A bad parameter is a 400 naming it; a refused review step
is a 400 with the rule's code. Errors are JSON ``{"error": {"status", "code", "message"}}``.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, jsonify, request

from casework.errors import CaseRuleError
from i18n import N_
from models import Case, CaseReview
from monitoring import service
from monitoring.checklists import rules as review_rules
from monitoring.figures import DASHBOARDS, drill, figures
from monitoring.review import FindingInput
from search_app.audit import audit
from search_app.auth import current_user
from search_app.auth.scope import case_or_404
from search_app.db import get_session
from search_app.errors import api_error
from search_app.views.monitoring_model import FigureView, dashboard_views, selection, today
from search_app.views.peer_review import _int, parse_day, parse_pages, review_or_404

bp = Blueprint("api_monitoring", __name__, url_prefix="/api/v1")
PAGE_SIZE = 100
MAX_PAGE = 100_000  # 10 million cases behind one number


def _error(status: int, code: str, message: str, **extra: Any) -> Response:
    return api_error(status, code, message, **extra)


# Login (401), permissions (403), CSRF, 404s and unexpected errors answer with the app-wide error object
# (search_app.errors); refused review steps carry the rule's code and the field at fault.
def _refused(error: CaseRuleError) -> Response:
    return _error(400, error.code, error.text, **({"field": error.field} if error.field else {}))


def _body() -> dict[str, Any]:
    body = request.get_json(silent=True)
    return body if isinstance(body, dict) else {}


# --- figures ----------------------------------------------------------------------------------------------
def _figure_json(view: FigureView) -> dict[str, Any]:
    return {"id": view.figure.id, "title": view.title, "counts": view.description, "unit": view.unit,
            "rows": [{"key": k, "label": label} for k, label in view.rows],
            "series": [{"key": k, "label": label} for k, label in view.series],
            "values": [[view.table.value(r, s) for s, _ in view.series] for r, _ in view.rows],
            "extra": [{"label": label, "values": values} for label, values in view.extra],
            "total": sum(view.table.value(r, s) for r, _ in view.rows for s, _ in view.series)}


@bp.get("/monitoring/figures", endpoint="figures")
def figures_json() -> Response:
    dashboard = request.args.get("dashboard", "caseload")
    if dashboard not in DASHBOARDS:
        return _error(400, "bad_dashboard", f"dashboard must be one of {', '.join(DASHBOARDS)}.")
    db = get_session()
    sel = selection(db)
    if sel.errors:
        return _error(400, "bad_selection", " ".join(sel.errors))
    views = dashboard_views(db, sel, dashboard)
    audit("view", "monitoring_dashboard", dashboard, district_id=sel.district_id, start=sel.start.isoformat(),
          end=sel.end.isoformat(), via="api")
    return jsonify({"dashboard": dashboard, "district_id": sel.district_id, "from": sel.start.isoformat(),
                    "to": sel.end.isoformat(), "as_of": sel.as_of.isoformat(), "section": sel.section or None,
                    "figures": [_figure_json(v) for v in views]})


@bp.get("/monitoring/figures/<figure_id>/cases")
def figure_cases(figure_id: str) -> Response:
    figure = figures().get(figure_id) or abort(404)
    db = get_session()
    sel = selection(db)
    if sel.errors:
        return _error(400, "bad_selection", " ".join(sel.errors))
    page = request.args.get("page", 1, type=int) or 1
    if not 1 <= page <= MAX_PAGE:
        return _error(400, "bad_request", f"page must be a whole number from 1 to {MAX_PAGE}.")
    row, series = request.args.get("row"), request.args.get("series")
    found = drill(db, figure, sel.query(db), row, series, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    audit("view", "monitoring_drilldown", figure_id, district_id=sel.district_id, row=row, series=series,
          items=found.items, returned=[r.case.id for r in found.rows], via="api")
    return jsonify({"figure": figure_id, "row": row, "series": series, "items": found.items, "cases": found.cases,
                    "page": page, "results": [{"case_id": r.case.id, "case": r.case.fir_label,
                                               "district_id": r.case.district_id, "stage": str(r.case.stage),
                                               "prosecutor_id": r.case.assigned_prosecutor_id, "count": r.count}
                                              for r in found.rows]})


# --- reviews ----------------------------------------------------------------------------------------------
def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def review_json(review: CaseReview, case: Case) -> dict[str, Any]:
    return {
        "id": review.id, "case_id": case.id, "case": case.fir_label, "status": review.status,
        "checklist": review.checklist, "stage": review.stage, "reviewer_id": review.reviewer_id,
        "prosecutor_id": review.prosecutor_id, "assigned_via": review.assigned_via, "due_on": _iso(review.due_on),
        "note": review.note, "assigned_at": _iso(review.assigned_at), "submitted_at": _iso(review.submitted_at),
        "signed_off_at": _iso(review.signed_off_at), "sign_off_note": review.sign_off_note,
        "checks": [{"item": c.item, "answer": c.answer, "note": c.note} for c in review.checks],
        "findings": [{"id": f.id, "item": f.item or None, "severity": f.severity, "text": f.text,
                      "pages": f.pages, "answer_kind": f.answer_kind or None, "answer": f.answer or None,
                      "answered_at": _iso(f.answered_at)} for f in review.findings],
        "history": [{"action": e.action, "actor_id": e.actor_id, "at": _iso(e.at), "detail": e.detail}
                    for e in review.events],
    }


@bp.get("/reviews")
def reviews() -> Response:
    from sqlalchemy import false, or_, select

    from monitoring.review import OPEN_STATUSES, supervises
    from search_app.auth.scope import scoped_cases

    db = get_session()
    me = service.person(current_user)
    supervised = or_(false(), *[Case.district_id == d for d in sorted(me.district_ids)])
    if me.role == "admin" or (me.role == "supervisor" and me.all_districts):
        supervised = Case.id.is_not(None)
    elif not supervises(me, next(iter(me.district_ids), -1)):
        supervised = false()
    stmt = scoped_cases(select(CaseReview, Case).join(Case, Case.id == CaseReview.case_id)).where(or_(
        CaseReview.reviewer_id == current_user.id, Case.assigned_prosecutor_id == current_user.id, supervised))
    if request.args.get("show", "open") != "all":
        stmt = stmt.where(CaseReview.status.in_([str(s) for s in OPEN_STATUSES]))
    rows = db.execute(stmt.order_by(CaseReview.assigned_at.desc()).limit(500)).all()
    items = [{"id": r.id, "case_id": c.id, "case": c.fir_label, "status": r.status, "reviewer_id": r.reviewer_id,
              "prosecutor_id": r.prosecutor_id, "assigned_at": _iso(r.assigned_at)} for r, c in rows]
    audit("list", "review", "", count=len(items), returned=[i["id"] for i in items], via="api")
    return jsonify({"items": items})


@bp.get("/reviews/<int:review_id>")
def review(review_id: int) -> Response:
    db = get_session()
    found, case = review_or_404(db, review_id)
    audit("view", "case", case.id, review=found.id, via="api")
    return jsonify(review_json(found, case))


@bp.get("/review-checklists")
def checklists() -> Response:
    data = review_rules()
    audit("view", "review_checklists", "", via="api")
    return jsonify({
        "checklists": [{"id": c.id, "label": c.label, "stages": list(c.stages),
                        "items": [{"code": i.code, "label": i.label, "group": i.group, "source": i.source}
                                  for i in c.items]} for c in data.checklists.values()],
        "severities": [{"code": s.code, "label": s.label, "meaning": s.meaning} for s in data.severities],
        "answers": [{"code": k, "label": v} for k, v in data.answers.items()]})


@bp.post("/cases/<int:case_id>/reviews")
def assign(case_id: int) -> Response:
    db = get_session()
    case = case_or_404(db, case_id, "edit")
    body = _body()
    try:
        due_on = parse_day(str(body.get("due_on") or ""), "due_on")
        if body.get("rotation"):
            created = service.assign_by_rotation(db, case, current_user, today=today(), due_on=due_on,
                                                 note=str(body.get("note") or ""))
        else:
            created = service.assign(db, case, _int(str(body.get("reviewer_id") or "")), current_user,
                                     due_on=due_on, note=str(body.get("note") or ""), today=today())
    except CaseRuleError as error:
        db.rollback()
        audit("review_assign", "case", case.id, success=False, reason=error.code, via="api")
        return _refused(error)
    audit("review_assign", "case", case.id, review=created.id, reviewer=created.reviewer_id, via="api")
    response = jsonify(review_json(created, case))
    response.status_code = 201
    return response


def _step(review_id: int, action: str, run: Any) -> Response:
    db = get_session()
    found, case = review_or_404(db, review_id, action)
    try:
        run(db, found, case, _body())
    except CaseRuleError as error:
        db.rollback()
        audit(action, "case", case.id, success=False, review=review_id, reason=error.code, via="api")
        return _refused(error)
    audit(action, "case", case.id, review=found.id, status=found.status, via="api")
    return jsonify(review_json(found, case))


@bp.post("/reviews/<int:review_id>/checks")
def save_checks(review_id: int) -> Response:
    def run(db: Any, found: CaseReview, case: Case, body: dict[str, Any]) -> None:
        raw = body.get("answers") if isinstance(body.get("answers"), dict) else {}
        answers = {str(item): service.CheckInput(str((v or {}).get("answer", "")) if isinstance(v, dict) else str(v),
                                                 str((v or {}).get("note", "")) if isinstance(v, dict) else "")
                   for item, v in raw.items()}  # type: ignore[union-attr]
        service.save_checks(db, found, case, current_user, answers)

    return _step(review_id, "review_checklist", run)


@bp.post("/reviews/<int:review_id>/findings")
def add_finding(review_id: int) -> Response:
    def run(db: Any, found: CaseReview, case: Case, body: dict[str, Any]) -> None:
        pages = parse_pages(str(body.get("pages") or ""))
        service.add_finding(db, found, case, current_user, FindingInput(
            str(body.get("item") or ""), str(body.get("severity") or ""), str(body.get("text") or ""), pages))

    return _step(review_id, "review_finding", run)


@bp.post("/reviews/<int:review_id>/submit")
def submit(review_id: int) -> Response:
    return _step(review_id, "review_submit", lambda db, found, case, body: service.submit(db, found, case,
                                                                                         current_user))


@bp.post("/reviews/<int:review_id>/findings/<int:finding_id>/answer")
def answer(review_id: int, finding_id: int) -> Response:
    def run(db: Any, found: CaseReview, case: Case, body: dict[str, Any]) -> None:
        finding = next((f for f in found.findings if f.id == finding_id), None)
        if finding is None:
            raise CaseRuleError("no_finding", N_("This review has no such finding."))
        service.answer(db, found, case, current_user, finding, str(body.get("kind") or ""),
                       str(body.get("answer") or ""))

    return _step(review_id, "review_answer", run)


@bp.post("/reviews/<int:review_id>/sign-off")
def sign_off(review_id: int) -> Response:
    return _step(review_id, "review_sign_off", lambda db, found, case, body: service.sign_off(
        db, found, case, current_user, str(body.get("note") or "")))


@bp.post("/reviews/<int:review_id>/withdraw")
def withdraw(review_id: int) -> Response:
    return _step(review_id, "review_withdraw", lambda db, found, case, body: service.withdraw(
        db, found, case, current_user, str(body.get("reason") or "")))


__all__ = ["bp"]
