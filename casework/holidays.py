"""The court calendar over the database: the dated holidays of the ``court_holidays`` table on top of
the closed weekdays and fixed holidays of ``data/court_calendar.toml``. The one place that builds a
``CourtCalendar``: deadline arithmetic (``casework.service.sync_deadlines``) and the hearing warnings
(``scheduling.store``) both call ``court_calendar``.

Entering or removing a dated holiday can move due dates (a deadline ending on a closed day moves
to the next open day, General Clauses Act 1897 s.10): ``add_holiday``/``remove_holiday`` recompute
the open deadlines of the cases the holiday concerns. Callers check district scope and commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from casework.court_calendar import CourtCalendar, default_calendar
from casework.errors import CaseRuleError
from i18n import N_
from models import Case, CaseDeadline, CourtHoliday

MAX_NAME, MAX_SOURCE = 200, 300


class HolidayRefused(CaseRuleError):
    """A holiday without a name, or a day already entered for the same place."""


def court_calendar(session: Session, district_id: int | None, first: date | None = None,
                   last: date | None = None) -> CourtCalendar:
    """The calendar of ``district_id``'s courts: the data file plus the dated holidays of the whole
    province and of that district (``district_id`` None: province-wide ones only), optionally only
    those from ``first`` to ``last`` (inclusive; enough for a month view or one hearing's day)."""
    stmt = select(CourtHoliday.day, CourtHoliday.name).where(
        or_(CourtHoliday.district_id.is_(None), CourtHoliday.district_id == district_id)
        if district_id is not None else CourtHoliday.district_id.is_(None))
    if first is not None:
        stmt = stmt.where(CourtHoliday.day >= first)
    if last is not None:
        stmt = stmt.where(CourtHoliday.day <= last)
    # a district's own holiday names the day before a province-wide one (it is the more specific)
    rows = session.execute(stmt.order_by(CourtHoliday.district_id.is_(None), CourtHoliday.id)).tuples()
    return default_calendar().with_dated(rows)


@dataclass(frozen=True)
class HolidayInput:
    day: date
    name: str
    district_id: int | None = None
    source: str = ""


def add_holiday(session: Session, data: HolidayInput, user_id: int | None) -> CourtHoliday:
    """Enter a dated holiday and recompute the affected deadlines. Raises ``HolidayRefused`` (nothing
    written) without a name, or when the day is already entered for that place."""
    name = " ".join(data.name.split())[:MAX_NAME]
    if not name:
        raise HolidayRefused("holiday_name", N_("Give the holiday's name (e.g. Eid ul Fitr)."), field="name")
    place = (CourtHoliday.district_id.is_(None) if data.district_id is None
             else CourtHoliday.district_id == data.district_id)
    if session.scalar(select(CourtHoliday.id).where(CourtHoliday.day == data.day, place)) is not None:
        raise HolidayRefused("holiday_exists", N_("This holiday is already entered."), field="day")
    holiday = CourtHoliday(day=data.day, name=name, district_id=data.district_id,
                           source=" ".join(data.source.split())[:MAX_SOURCE], created_by_id=user_id)
    session.add(holiday)
    session.flush()
    resync_open_deadlines(session, data.district_id)
    return holiday


def remove_holiday(session: Session, holiday: CourtHoliday) -> None:
    """Delete a dated holiday and recompute the affected deadlines."""
    district_id = holiday.district_id
    session.delete(holiday)
    session.flush()
    resync_open_deadlines(session, district_id)


def resync_open_deadlines(session: Session, district_id: int | None) -> int:
    """Recompute the deadlines of cases with an open deadline in ``district_id`` (None: every
    district, for a province-wide holiday). Returns how many cases were recomputed."""
    from casework.service import sync_deadlines  # service builds calendars with court_calendar above

    stmt = select(Case).where(Case.id.in_(select(CaseDeadline.case_id).where(CaseDeadline.met_on.is_(None))))
    if district_id is not None:
        stmt = stmt.where(Case.district_id == district_id)
    count = 0
    for case in session.scalars(stmt):
        sync_deadlines(session, case)
        count += 1
    return count
