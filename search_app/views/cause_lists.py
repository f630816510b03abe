"""Cause lists (per court and day, on screen and as a printable PDF), a prosecutor's daily diary,
and the next-date discipline list with the UN next-appearance indicator."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta
from typing import Any

from flask import Blueprint, Response, current_app, render_template, request
from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.orm import Session

from casework.holidays import court_calendar
from models import Court, Hearing, User
from notify.deadlines import deadlines_due
from printing import PrintError, html_to_pdf
from scheduling.store import flagged_hearings, next_date_indicator, readable_case_ids
from search_app.audit import audit
from search_app.auth import current_user
from search_app.db import get_session
from search_app.views.calendar_support import (
    Filters,
    filter_choices,
    hearings_between,
    parse_day,
    person,
    today,
    visible,
    vocab,
)

bp = Blueprint("causelists", __name__)


def _previous_dates(db: Session, hearings: list[Hearing]) -> dict[int, Hearing]:
    """For each hearing, the case's hearing just before it (for the 'previous date' column)."""
    case_ids = {h.case_id for h in hearings}
    if not case_ids:
        return {}
    earlier: dict[int, list[Hearing]] = defaultdict(list)
    first_day = min(h.scheduled_for for h in hearings)
    for row in db.scalars(select(Hearing).where(Hearing.case_id.in_(case_ids), Hearing.scheduled_for < first_day)
                          .order_by(Hearing.scheduled_for)):
        earlier[row.case_id].append(row)
    return {h.id: earlier[h.case_id][-1] for h in hearings if earlier.get(h.case_id)}


def _cause_list(db: Session) -> dict[str, Any]:
    day = parse_day(request.args.get("date"), today())
    filters = Filters.from_request(db)
    hearings = list(db.scalars(hearings_between(day, day, filters, visible())).unique())
    by_court: dict[str, list[Hearing]] = defaultdict(list)
    for hearing in sorted(hearings, key=lambda h: (h.court, list(vocab().sessions).index(h.session)
                                                   if h.session in vocab().sessions else 9, h.id)):
        by_court[hearing.court or "—"].append(hearing)
    court = db.get(Court, filters.court_id) if filters.court_id else None
    place = court.district_id if court else filters.district_id
    holiday = court_calendar(db, place, day, day).closed_reason(day)
    audit("view", "cause_list", f"{day.isoformat()}:{filters.court_id or 'all'}", hearings=len(hearings),
          district=filters.district_id, prosecutor=filters.prosecutor_id, returned=[h.id for h in hearings][:500])
    return {"day": day, "filters": filters, "by_court": dict(by_court), "count": len(hearings), "court": court,
            "holiday": holiday, "previous": _previous_dates(db, hearings), "vocab": vocab()}


@bp.route("/calendar/cause-list")
def cause_list() -> str:
    db = get_session()
    return render_template("calendar/cause_list.html", **_cause_list(db), **filter_choices(db))


@bp.route("/calendar/cause-list.pdf")
def cause_list_pdf() -> Response | tuple[str, int]:
    db = get_session()
    context = _cause_list(db)
    html = render_template("calendar/cause_list_print.html", **context, printed_by=person(current_user))
    try:
        pdf = html_to_pdf(html)
    except PrintError as exc:
        current_app.logger.error("cause list PDF failed: %s", exc)
        return render_template("error.html", code=500, message=gettext(
            "The printable cause list could not be made. Print the page from the browser instead, and tell an "
            "administrator.")), 500
    name = f"cause-list-{context['day'].isoformat()}{'-court-' + str(context['court'].id) if context['court'] else ''}"
    return Response(pdf, mimetype="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="{name}.pdf"'})


@bp.route("/calendar/diary")
def diary() -> str:
    """One prosecutor's day: hearings by session, past hearings needing an outcome, deadlines due."""
    db = get_session()
    day = parse_day(request.args.get("date"), today())
    filters = Filters.from_request(db)
    prosecutor_id = filters.prosecutor_id or current_user.id
    prosecutor = db.get(User, prosecutor_id)
    chosen = Filters(filters.district_id, filters.court_id, prosecutor_id)
    hearings = list(db.scalars(hearings_between(day, day, chosen, visible())).unique())
    sessions: dict[str, list[Hearing]] = {code: [] for code in vocab().sessions}
    for hearing in hearings:
        sessions.setdefault(hearing.session, []).append(hearing)
    flagged = flagged_hearings(db, vocab(), today(), visible(), prosecutor_id=prosecutor_id,
                               district_id=filters.district_id, limit=50)
    due = [d for d in deadlines_due(db, day, day + timedelta(days=7)) if prosecutor_id in d.user_ids]
    readable = readable_case_ids(db, (d.case_id for d in due), visible())
    deadlines = [d for d in due if d.case_id in readable]
    audit("view", "diary", prosecutor_id, day=day.isoformat(), hearings=len(hearings),
          returned=[h.id for h in hearings][:500], flagged=[f.hearing.id for f in flagged][:500])
    return render_template("calendar/diary.html", day=day, sessions=sessions, count=len(hearings),
                           flagged=flagged, deadlines=deadlines, prosecutor=prosecutor, filters=chosen,
                           vocab=vocab(), today=today(), **filter_choices(db))


@bp.route("/calendar/attention")
def attention() -> str:
    """Past hearings without an outcome or next date (CrPC s.344), and the UN indicator."""
    db = get_session()
    filters = Filters.from_request(db)
    flagged = flagged_hearings(db, vocab(), today(), visible(), prosecutor_id=filters.prosecutor_id,
                               district_id=filters.district_id)
    indicator = next_date_indicator(db, vocab(), today(), visible(), prosecutor_id=filters.prosecutor_id,
                                    district_id=filters.district_id)
    audit("view", "next_date_list", "", flagged=len(flagged), returned=[f.hearing.id for f in flagged][:500])
    return render_template("calendar/attention.html", flagged=flagged, indicator=indicator, filters=filters,
                           vocab=vocab(), today=today(), **filter_choices(db))



