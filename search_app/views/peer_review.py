"""Peer review of case files in the web app: assign (by hand or by the district's rotation), the
reviewer's checklist and findings, the prosecutor's answers, the supervisor's sign-off, the history,
and the list of reviews each person has to act on.

Every review is reached through its case (``case_or_404``: district scope and sealed cases), then the
rules of ``monitoring.review`` decide who may read and act (reviewer, the case's prosecutor, the
district's supervisors). A refused step (``ReviewRefused``) re-renders the page with the message and
status 400; nothing of it is saved. Every read and write is audited on the case.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from sqlalchemy import or_, select
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response as BaseResponse

from casework.errors import CaseRuleError
from i18n import N_
from models import Case, CaseReview, ReviewFinding, User
from monitoring import service
from monitoring.checklists import rules as review_rules
from monitoring.review import OPEN_STATUSES, STATUS_LABELS, FindingInput, ReviewRefused, Status, can_see, supervises
from search_app.audit import audit
from search_app.auth import current_user
from search_app.auth.policy import can
from search_app.auth.scope import (
    case_or_404,
    case_read_condition,
    case_write_condition,
    current_scope,
    object_or_404,
    scoped_cases,
    scoped_districts,
)
from search_app.db import get_session
from search_app.views.monitoring_model import today

bp = Blueprint("peer_review", __name__)


def message(error: CaseRuleError) -> str:
    translated = gettext(error.message)
    return translated % error.params if error.params else translated


def parse_pages(text: str) -> tuple[tuple[int, int], ...]:
    """"12:1, 12:3-4" -> ((12, 1), (12, 3), (12, 4)): pages of the case's documents as document:page."""
    pages: list[tuple[int, int]] = []
    for piece in (p.strip() for p in text.replace(";", ",").split(",")):
        if not piece:
            continue
        doc, _, span = piece.partition(":")
        first, _, last = span.partition("-")
        if not (doc.strip().isdigit() and first.strip().isdigit() and (not last or last.strip().isdigit())):
            raise ReviewRefused("bad_pages", N_("Write pages as document:page, e.g. 12:1-3."), field="pages")
        low, high = int(first), int(last or first)
        if high < low or high - low > 200:
            raise ReviewRefused("bad_pages", N_("Write pages as document:page, e.g. 12:1-3."), field="pages")
        pages.extend((int(doc), n) for n in range(low, high + 1))
    return tuple(dict.fromkeys(pages))[:300]


def parse_day(text: str | None, field: str) -> date | None:
    value = (text or "").strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise ReviewRefused("bad_date", N_("Enter the date as YYYY-MM-DD."), field=field) from exc


def _int(value: str | None) -> int | None:
    text = (value or "").strip()
    return int(text) if text.isdigit() and len(text) < 18 else None


# --- loading ----------------------------------------------------------------------------------------------
def review_or_404(db: Session, review_id: int, action: str = "view") -> tuple[CaseReview, Case]:
    """The review and its case, if the user may read the case (``case_read_condition``: districts and
    sealed cases; for any action but ``view``, change it: ``case_write_condition``) and take part in the
    review (``monitoring.review.can_see``); otherwise the same 404 as a missing review, audited as a
    denied access with the case's district (so its supervisors see the attempt)."""
    scope = current_scope()
    condition = case_read_condition(scope) if action == "view" else case_write_condition(scope)
    in_scope = CaseReview.case_id.in_(select(Case.id).where(condition))
    found = object_or_404(db, CaseReview, review_id, in_scope, action=action, object_type="review",
                          district_of=lambda r: db.scalar(select(Case.district_id).where(Case.id == r.case_id)))
    case = db.get(Case, found.case_id)
    assert case is not None  # the condition joined it
    if not can_see(service.person(current_user), service.state(found, case)):
        audit(action, "review", found.id, success=False, district_id=case.district_id, reason="not_a_party")
        abort(404)
    return found, case


def _users(db: Session, ids: set[int | None]) -> dict[int, User]:
    wanted = [i for i in ids if i is not None]
    return {u.id: u for u in db.scalars(select(User).where(User.id.in_(wanted)))} if wanted else {}


def review_context(db: Session, review: CaseReview, case: Case) -> dict[str, Any]:
    me = service.person(current_user)
    st = service.state(review, case)
    checklist = service.checklist_of(review)
    people = _users(db, {review.reviewer_id, review.prosecutor_id, review.assigned_by_id, review.signed_off_by_id,
                         case.assigned_prosecutor_id, *(f.answered_by_id for f in review.findings)})
    reviewer_step = (current_user.id == review.reviewer_id and review.status in (Status.ASSIGNED, Status.IN_REVIEW)
                     and current_user.id != case.assigned_prosecutor_id)
    return {
        "review": review, "case": case, "checklist": checklist, "rules": review_rules(),
        "answers": {c.item: c for c in review.checks}, "people": people,
        "status_label": gettext(STATUS_LABELS.get(Status(review.status), review.status)),
        "is_reviewer_step": reviewer_step and can(current_user, "peer_review.work"),
        "may_answer": service.rules.may_answer(me, st) and can(current_user, "peer_review.answer"),
        "may_manage": supervises(me, case.district_id) and can(current_user, "peer_review.manage"),
        "reviewers": service.eligible_reviewers(db, case),
        "item_labels": {i.code: i.label for i in checklist.items},
        "open": review.status in {str(s) for s in OPEN_STATUSES},
    }


def render_review(db: Session, review: CaseReview, case: Case, error: CaseRuleError | None = None,
                  status: int = 200) -> tuple[str, int]:
    context = review_context(db, review, case)
    context["error"] = message(error) if error else ""
    context["error_field"] = error.field if error else ""
    return render_template("monitoring/review.html", **context), status


def refused(db: Session, review: CaseReview, case: Case, error: CaseRuleError, action: str) -> tuple[str, int]:
    db.rollback()
    audit(action, "case", case.id, success=False, review=review.id, reason=error.code)
    review, case = review_or_404(db, review.id)
    return render_review(db, review, case, error, 400)


# --- lists ------------------------------------------------------------------------------------------------
@bp.get("/reviews")
def index() -> str:
    """Reviews I have to act on (as reviewer, as the case's prosecutor) and, for supervisors, the
    reviews of their districts by step."""
    db = get_session()
    show = request.args.get("show", "open")
    base = scoped_cases(select(CaseReview, Case).join(Case, Case.id == CaseReview.case_id))
    if show != "all":
        base = base.where(CaseReview.status.in_([str(s) for s in OPEN_STATUSES]))
    mine = db.execute(base.where(or_(CaseReview.reviewer_id == current_user.id,
                                     Case.assigned_prosecutor_id == current_user.id))
                      .order_by(CaseReview.assigned_at.desc()).limit(200)).all()
    district: list[Any] = []
    if can(current_user, "peer_review.manage"):
        me = service.person(current_user)
        rows = db.execute(base.order_by(CaseReview.assigned_at.desc()).limit(500)).all()
        district = [(r, c) for r, c in rows if supervises(me, c.district_id)]
    people = _users(db, {r.reviewer_id for r, _ in [*mine, *district]})
    audit("list", "review", "", show=show, mine=len(mine), district=len(district),
          returned=sorted({r.id for r, _ in [*mine, *district]}))
    return render_template("monitoring/reviews.html", mine=mine, district=district, people=people, show=show,
                           status_labels={str(k): gettext(v) for k, v in STATUS_LABELS.items()})


# --- assignment -------------------------------------------------------------------------------------------
@bp.get("/cases/<int:case_id>/reviews/new")
def assign_form(case_id: int) -> str:
    db = get_session()
    case = case_or_404(db, case_id, "view")
    audit("view", "case", case.id, page="assign_review")
    return render_template("monitoring/assign.html", case=case, reviewers=service.eligible_reviewers(db, case),
                           rotation=service.rotation(db, case.district_id), error="", form={})


@bp.post("/cases/<int:case_id>/reviews")
def assign(case_id: int) -> BaseResponse | tuple[str, int]:
    db = get_session()
    case = case_or_404(db, case_id, "edit")
    form = request.form
    try:
        due_on = parse_day(form.get("due_on"), "due_on")
        if form.get("how") == "rotation":
            review = service.assign_by_rotation(db, case, current_user, today=today(), due_on=due_on,
                                                note=form.get("note", ""))
        else:
            review = service.assign(db, case, _int(form.get("reviewer_id")), current_user, due_on=due_on,
                                    note=form.get("note", ""), today=today())
    except CaseRuleError as error:
        db.rollback()
        audit("review_assign", "case", case.id, success=False, reason=error.code,
              reviewer=_int(form.get("reviewer_id")))
        case = case_or_404(db, case_id, "edit")
        return render_template("monitoring/assign.html", case=case, reviewers=service.eligible_reviewers(db, case),
                               rotation=service.rotation(db, case.district_id), error=message(error),
                               error_field=error.field, form=form), 400
    audit("review_assign", "case", case.id, review=review.id, reviewer=review.reviewer_id, via=review.assigned_via)
    flash(gettext("The review is assigned."), "info")
    return redirect(url_for("peer_review.show", review_id=review.id))


# --- one review -------------------------------------------------------------------------------------------
@bp.get("/reviews/<int:review_id>")
def show(review_id: int) -> tuple[str, int]:
    db = get_session()
    review, case = review_or_404(db, review_id)
    audit("view", "case", case.id, review=review.id, page="review")
    return render_review(db, review, case)


def _act(review_id: int, action: str, step: Any) -> BaseResponse | tuple[str, int]:
    """Load, run ``step(db, review, case)``, audit, and go back to the review (or show the refusal)."""
    db = get_session()
    review, case = review_or_404(db, review_id, action)
    try:
        detail = step(db, review, case) or {}
    except CaseRuleError as error:
        return refused(db, review, case, error, action)
    audit(action, "case", case.id, review=review.id, status=review.status, **detail)
    return redirect(url_for("peer_review.show", review_id=review.id))


@bp.post("/reviews/<int:review_id>/checks")
def save_checks(review_id: int) -> BaseResponse | tuple[str, int]:
    def step(db: Session, review: CaseReview, case: Case) -> dict[str, Any]:
        items = service.checklist_of(review).items
        answers = {i.code: service.CheckInput(request.form.get(f"answer-{i.code}", ""),
                                              request.form.get(f"note-{i.code}", "")) for i in items}
        service.save_checks(db, review, case, current_user, answers)
        return {"answered": sum(1 for a in answers.values() if a.answer)}

    return _act(review_id, "review_checklist", step)


@bp.post("/reviews/<int:review_id>/findings")
def add_finding(review_id: int) -> BaseResponse | tuple[str, int]:
    def step(db: Session, review: CaseReview, case: Case) -> dict[str, Any]:
        form = request.form
        finding = FindingInput(form.get("item", ""), form.get("severity", ""), form.get("text", ""),
                               parse_pages(form.get("pages", "")))
        row = service.add_finding(db, review, case, current_user, finding)
        return {"finding": row.id, "severity": row.severity, "item": row.item}

    return _act(review_id, "review_finding", step)


def _finding(review: CaseReview, finding_id: int) -> ReviewFinding:
    found = next((f for f in review.findings if f.id == finding_id), None)
    if found is None:
        abort(404)
    return found


@bp.post("/reviews/<int:review_id>/findings/<int:finding_id>/delete")
def delete_finding(review_id: int, finding_id: int) -> BaseResponse | tuple[str, int]:
    def step(db: Session, review: CaseReview, case: Case) -> dict[str, Any]:
        service.delete_finding(db, review, case, current_user, _finding(review, finding_id))
        return {"finding": finding_id}

    return _act(review_id, "review_finding_removed", step)


@bp.post("/reviews/<int:review_id>/submit")
def submit(review_id: int) -> BaseResponse | tuple[str, int]:
    def step(db: Session, review: CaseReview, case: Case) -> dict[str, Any]:
        return {"next": str(service.submit(db, review, case, current_user)), "findings": len(review.findings)}

    return _act(review_id, "review_submit", step)


@bp.post("/reviews/<int:review_id>/findings/<int:finding_id>/answer")
def answer(review_id: int, finding_id: int) -> BaseResponse | tuple[str, int]:
    def step(db: Session, review: CaseReview, case: Case) -> dict[str, Any]:
        finding = _finding(review, finding_id)
        service.answer(db, review, case, current_user, finding, request.form.get("kind", ""),
                       request.form.get("answer", ""))
        return {"finding": finding.id, "kind": finding.answer_kind}

    return _act(review_id, "review_answer", step)


@bp.post("/reviews/<int:review_id>/sign-off")
def sign_off(review_id: int) -> BaseResponse | tuple[str, int]:
    def step(db: Session, review: CaseReview, case: Case) -> None:
        service.sign_off(db, review, case, current_user, request.form.get("note", ""))

    return _act(review_id, "review_sign_off", step)


@bp.post("/reviews/<int:review_id>/reassign")
def reassign(review_id: int) -> BaseResponse | tuple[str, int]:
    def step(db: Session, review: CaseReview, case: Case) -> dict[str, Any]:
        service.reassign(db, review, case, _int(request.form.get("reviewer_id")), current_user)
        return {"reviewer": review.reviewer_id}

    return _act(review_id, "review_reassign", step)


@bp.post("/reviews/<int:review_id>/withdraw")
def withdraw(review_id: int) -> BaseResponse | tuple[str, int]:
    def step(db: Session, review: CaseReview, case: Case) -> None:
        service.withdraw(db, review, case, current_user, request.form.get("reason", ""))

    return _act(review_id, "review_withdraw", step)


# --- rotations --------------------------------------------------------------------------------------------
def _rotation_district(db: Session) -> int:
    districts = [d for d in scoped_districts(db) if supervises(service.person(current_user), d.id)]
    chosen = _int(request.values.get("district"))
    if chosen is None and len(districts) == 1:
        chosen = districts[0].id
    if chosen is None:
        chosen = districts[0].id if districts else 0
    if chosen not in {d.id for d in districts}:
        audit("view", "review_rotation", chosen or "", success=False, district_id=chosen, reason="out_of_scope")
        abort(404)
    return chosen


@bp.route("/reviews/rotation", methods=["GET", "POST"])
def rotation() -> BaseResponse | tuple[str, int]:
    db = get_session()
    district_id = _rotation_district(db)
    error, status = "", 200
    if request.method == "POST":
        members = [int(v) for v in request.form.getlist("members") if v.isdigit()]
        order = sorted(members, key=lambda m: _int(request.form.get(f"order-{m}")) or 999)
        try:
            service.set_rotation(db, district_id, order, _int(request.form.get("cases_per_run")) or 0, current_user)
        except CaseRuleError as refusal:
            db.rollback()
            audit("review_rotation", "district", district_id, success=False, district_id=district_id,
                  reason=refusal.code)
            error, status = message(refusal), 400
        else:
            audit("review_rotation", "district", district_id, district_id=district_id, members=order)
            flash(gettext("The rotation is saved."), "info")
            return redirect(url_for("peer_review.rotation", district=district_id))
    else:
        audit("view", "review_rotation", district_id, district_id=district_id)
    return _rotation_page(db, district_id, error), status


def _rotation_page(db: Session, district_id: int, error: str, created: list[CaseReview] | None = None) -> str:
    districts = [d for d in scoped_districts(db) if supervises(service.person(current_user), d.id)]
    return render_template("monitoring/rotation.html", districts=districts, district_id=district_id,
                           rotation=service.rotation(db, district_id),
                           prosecutors=service.district_prosecutors(db, district_id), error=error,
                           created=created or [], candidates=len(service.rotation_candidates(db, district_id,
                                                                                             today(), 500)))


@bp.post("/reviews/rotation/run")
def run_rotation() -> BaseResponse | tuple[str, int]:
    db = get_session()
    district_id = _rotation_district(db)
    try:
        created = service.run_rotation(db, district_id, current_user, today=today())
    except CaseRuleError as refusal:
        db.rollback()
        audit("review_rotation_run", "district", district_id, success=False, district_id=district_id,
              reason=refusal.code)
        return _rotation_page(db, district_id, message(refusal)), 400
    for review in created:
        audit("review_assign", "case", review.case_id, review=review.id, reviewer=review.reviewer_id, via="rotation")
    audit("review_rotation_run", "district", district_id, district_id=district_id, created=len(created))
    return _rotation_page(db, district_id, "", created), 200


# --- on the case page and the timeline ----------------------------------------------------------------------
def case_reviews(case: Case) -> list[CaseReview]:
    """Reviews of ``case`` the current user may read (for the case page's panel)."""
    if not can(current_user, "case.read"):
        return []
    me = service.person(current_user)
    return [r for r in service.reviews_of_case(get_session(), case.id) if can_see(me, service.state(r, case))]


def timeline_items(db: Session, case: Case) -> list[Any]:
    """Reviews on the case timeline: assigned, submitted, signed off (for those who may read them)."""
    from scheduling.timezone import local_today
    from search_app.views.casefile import TimelineItem

    items = []
    for review in case_reviews(case):
        link = url_for("peer_review.show", review_id=review.id)
        label = gettext(STATUS_LABELS.get(Status(review.status), review.status))
        items.append(TimelineItem(local_today(review.assigned_at), "review",
                                  gettext("Peer review assigned (%(status)s)", status=label),
                                  gettext("%(n)s finding(s)", n=len(review.findings)), link))
        if review.signed_off_at is not None:
            items.append(TimelineItem(local_today(review.signed_off_at), "review", gettext("Peer review signed off"),
                                      review.sign_off_note, link))
    return items


@bp.app_context_processor
def _review_globals() -> dict[str, Any]:
    return {"case_reviews": case_reviews, "review_status_label":
            lambda code: gettext(STATUS_LABELS.get(Status(code), code)) if code in set(Status) else code}


__all__ = ["bp"]
