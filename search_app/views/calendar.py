"""Hearings calendar: upcoming hearings per week or month within the user's districts; add and edit a
hearing on a case."""

from __future__ import annotations

from calendar import monthrange
from datetime import date, timedelta

from flask import Blueprint, flash, redirect, render_template, request, url_for
from sqlalchemy import select
from werkzeug.wrappers import Response as BaseResponse

from models import Case, Hearing, Role
from search_app.audit import audit
from search_app.auth import roles_required
from search_app.auth.scope import case_or_404, scoped_cases
from search_app.db import get_session

bp = Blueprint("calendar", __name__)

EDITOR_ROLES = (Role.DATA_ENTRY, Role.PROSECUTOR, Role.SUPERVISOR, Role.ADMIN)


def period(view: str, start_text: str | None, today: date) -> tuple[date, date]:
    """First and last day shown: the week (Monday-Sunday) or month containing ``start``."""
    try:
        start = date.fromisoformat(start_text) if start_text else today
    except ValueError:
        start = today
    if view == "month":
        first = start.replace(day=1)
        return first, first.replace(day=monthrange(first.year, first.month)[1])
    monday = start - timedelta(days=start.weekday())
    return monday, monday + timedelta(days=6)


@bp.route("/calendar")
def index() -> str:
    view = "month" if request.args.get("view") == "month" else "week"
    first, last = period(view, request.args.get("start"), date.today())
    stmt = scoped_cases(select(Hearing).join(Case, Hearing.case_id == Case.id).where(
        Hearing.scheduled_for >= first, Hearing.scheduled_for <= last))
    if request.args.get("mine") == "1":
        from search_app.auth import current_user

        stmt = stmt.where(Case.assigned_prosecutor_id == current_user.id)
    hearings = list(get_session().scalars(stmt.order_by(Hearing.scheduled_for, Hearing.id)))
    days: dict[date, list[Hearing]] = {}
    for hearing in hearings:
        days.setdefault(hearing.scheduled_for, []).append(hearing)
    previous = first - timedelta(days=1) if view == "month" else first - timedelta(days=7)
    following = last + timedelta(days=1)
    return render_template("calendar/index.html", view=view, first=first, last=last, days=days,
                           count=len(hearings), previous=previous, following=following,
                           mine=request.args.get("mine") == "1", today=date.today())


def _read_hearing_form() -> tuple[dict[str, str], dict[str, str]]:
    form = {k: (request.form.get(k) or "").strip() for k in ("scheduled_for", "court", "purpose", "outcome")}
    errors: dict[str, str] = {}
    try:
        date.fromisoformat(form["scheduled_for"])
    except ValueError:
        errors["scheduled_for"] = "Enter the hearing date."
    return form, errors


@bp.route("/cases/<int:case_id>/hearings/new", methods=["GET", "POST"])
@roles_required(*EDITOR_ROLES)
def new_hearing(case_id: int) -> BaseResponse | str | tuple[str, int]:
    db = get_session()
    case = case_or_404(db, case_id, "edit")
    if request.method == "GET":
        return render_template("calendar/hearing_form.html", case=case, hearing=None,
                               form={"court": case.court}, errors={})
    form, errors = _read_hearing_form()
    if errors:
        return render_template("calendar/hearing_form.html", case=case, hearing=None, form=form,
                               errors=errors), 400
    hearing = Hearing(case_id=case.id, scheduled_for=date.fromisoformat(form["scheduled_for"]),
                      court=form["court"][:200], purpose=form["purpose"][:200], outcome=form["outcome"])
    db.add(hearing)
    db.flush()
    audit("create", "hearing", hearing.id, case_id=case.id, scheduled_for=form["scheduled_for"])
    flash("Hearing added.")
    return redirect(url_for("cases.show", case_id=case.id))


@bp.route("/hearings/<int:hearing_id>/edit", methods=["GET", "POST"])
@roles_required(*EDITOR_ROLES)
def edit_hearing(hearing_id: int) -> BaseResponse | str | tuple[str, int]:
    db = get_session()
    hearing = db.get(Hearing, hearing_id)
    if hearing is None:
        audit("edit", "hearing", hearing_id, success=False, reason="not_found")
        return render_template("error.html", code=404, message="There is no such hearing."), 404
    case = case_or_404(db, hearing.case_id, "edit")  # scope of the hearing is the scope of its case
    if request.method == "GET":
        form = {"scheduled_for": hearing.scheduled_for.isoformat(), "court": hearing.court,
                "purpose": hearing.purpose, "outcome": hearing.outcome}
        return render_template("calendar/hearing_form.html", case=case, hearing=hearing, form=form, errors={})
    form, errors = _read_hearing_form()
    if errors:
        return render_template("calendar/hearing_form.html", case=case, hearing=hearing, form=form,
                               errors=errors), 400
    hearing.scheduled_for = date.fromisoformat(form["scheduled_for"])
    hearing.court, hearing.purpose = form["court"][:200], form["purpose"][:200]
    hearing.outcome = form["outcome"]
    audit("edit", "hearing", hearing.id, case_id=case.id, scheduled_for=form["scheduled_for"])
    flash("Hearing saved.")
    return redirect(url_for("cases.show", case_id=case.id))
