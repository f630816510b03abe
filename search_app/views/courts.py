"""Courts and court holidays of the user's districts (supervisors and administrators). The court
holidays page is the one place dated holidays are entered: the hearings calendar warns on them and
statutory deadlines are counted around them."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from werkzeug.wrappers import Response as BaseResponse

from casework.court_calendar import default_calendar
from casework.errors import CaseRuleError
from casework.holidays import HolidayInput, add_holiday, remove_holiday
from models import Court, CourtHoliday
from search_app.audit import audit
from search_app.auth import current_user
from search_app.auth.scope import (
    court_manage_condition,
    current_scope,
    holiday_manage_condition,
    holiday_read_condition,
    object_or_404,
    scoped_districts,
)
from search_app.db import get_session
from search_app.views.calendar_support import courts_in_scope, today, vocab

bp = Blueprint("courts", __name__)


def _district_or_none(text: str, allow_province: bool) -> tuple[int | None, str | None]:
    """The chosen district id (checked against scope) or None for the province, and an error."""
    scope = current_scope()
    if not text:
        if allow_province and scope.is_everything:
            return None, None
        return None, _("Choose a district.")
    if not (text.isascii() and text.isdigit() and len(text) <= 9) or not scope.allows(int(text)):
        return None, _("Choose one of your districts.")
    return int(text), None


@bp.route("/calendar/courts", methods=["GET", "POST"])
def courts() -> BaseResponse | str | tuple[str, int]:
    db = get_session()
    error = None
    if request.method == "POST":
        name = (request.form.get("name") or "").strip()[:200]
        kind = request.form.get("kind") or ""
        district_id, error = _district_or_none(request.form.get("district_id") or "", allow_province=False)
        if not error and not name:
            error = _("Give the court's name.")
        if not error and kind not in vocab().court_kinds:
            error = _("Choose the kind of court.")
        if not error:
            court = Court(district_id=district_id, name=name, kind=kind)
            db.add(court)
            try:
                db.flush()
            except IntegrityError:
                db.rollback()
                error = _("This district already has a court of that name.")
            else:
                audit("create", "court", court.id, name=name, district_id=district_id)
                flash(_("Court added."))
                return redirect(url_for("courts.courts"))
    return render_template("calendar/courts.html", courts=courts_in_scope(db, active_only=False),
                           districts=scoped_districts(db), vocab=vocab(), error=error), (400 if error else 200)


@bp.route("/calendar/courts/<int:court_id>/active", methods=["POST"])
def court_active(court_id: int) -> BaseResponse:
    db = get_session()
    court = object_or_404(db, Court, court_id, court_manage_condition(current_scope()), action="edit",
                          object_type="court", district_of=lambda c: c.district_id)
    court.active = request.form.get("active") == "1"
    audit("edit", "court", court.id, district_id=court.district_id, active=court.active)
    return redirect(url_for("courts.courts"))


@bp.route("/calendar/holidays", methods=["GET", "POST"])
def holidays() -> BaseResponse | str | tuple[str, int]:
    """The one page of court holidays: dated holidays entered here move statutory deadlines and warn
    hearings alike (``casework.holidays``)."""
    db = get_session()
    error = None
    if request.method == "POST":
        district_id, error = _district_or_none(request.form.get("district_id") or "", allow_province=True)
        try:
            day = date.fromisoformat(request.form.get("day") or "")
        except ValueError:
            error = error or _("Enter the date of the holiday.")
        if not error:
            try:
                holiday = add_holiday(db, HolidayInput(day, request.form.get("name") or "", district_id,
                                                       request.form.get("source") or ""), current_user.id)
            except CaseRuleError as refused:
                db.rollback()
                error = gettext(refused.message) % refused.params if refused.params else gettext(refused.message)
            else:
                audit("create", "court_holiday", holiday.id, day=day.isoformat(), name=holiday.name,
                      district_id=district_id)
                flash(_("Holiday added. Deadlines falling on it have moved to the next court day."))
                return redirect(url_for("courts.holidays"))
    scope = current_scope()
    stmt = (select(CourtHoliday)
            .where(CourtHoliday.day >= today().replace(month=1, day=1), holiday_read_condition(scope))
            .order_by(CourtHoliday.day))
    return render_template("calendar/holidays.html", holidays=list(db.scalars(stmt)), districts=scoped_districts(db),
                           calendar=default_calendar(), error=error,
                           province=scope.is_everything), (400 if error else 200)


@bp.route("/calendar/holidays/<int:holiday_id>/delete", methods=["POST"])
def delete_holiday(holiday_id: int) -> BaseResponse:
    db = get_session()
    # province-wide holidays are removed by province-level users only
    holiday = object_or_404(db, CourtHoliday, holiday_id, holiday_manage_condition(current_scope()), action="delete",
                            object_type="court_holiday", district_of=lambda h: h.district_id)
    day, name, district_id = holiday.day, holiday.name, holiday.district_id
    remove_holiday(db, holiday)
    audit("delete", "court_holiday", holiday_id, district_id=district_id, day=day.isoformat(), name=name)
    flash(_("Holiday removed."))
    return redirect(url_for("courts.holidays"))
