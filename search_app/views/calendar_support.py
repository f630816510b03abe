"""Shared pieces of the calendar pages and API: today in Asia/Karachi, the user's visible
districts, filter parsing, the hearing query with its filters, translated messages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import request
from flask_babel import gettext
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from models import Case, Court, District, Hearing, Role, User, utcnow
from scheduling.court_order import court_sort_key
from scheduling.messages import Message
from scheduling.store import Visible, effective_prosecutor, in_scope
from scheduling.timezone import local_today
from scheduling.vocab import Vocabulary, vocabulary
from search_app.auth import current_user
from search_app.auth.scope import (
    calendar_case_condition,
    case_exists_condition,
    court_condition,
    current_scope,
    scoped_districts,
)
from search_app.i18n import fir_label, formatter


def today() -> date:
    """The court's calendar day now (Asia/Karachi)."""
    return local_today(utcnow())


def visible(write: bool = False) -> Visible:
    """What the current user's calendar reaches: the cases whose hearings the scope reads (or schedules,
    ``write``), from ``auth.scope.calendar_case_condition``, the user's districts (None: all) and the
    sealed cases that do not exist for the user (``auth.scope.case_exists_condition``)."""
    scope = current_scope()
    return Visible(calendar_case_condition(scope, write=write), scope.allowed_district_ids,
                   case_exists_condition(scope))


def vocab() -> Vocabulary:
    return vocabulary()


def say(message: Message) -> str:
    """``message`` in the reader's language."""
    return message.render(gettext, formatter().date)


def say_all(errors: dict[str, Message]) -> dict[str, str]:
    return {field: say(message) for field, message in errors.items()}


FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2999, 12, 31)


class DayError(ValueError):
    """A date parameter that is malformed or out of range; ``message`` is for the user (a 400)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def parse_day(text: str | None, default: date) -> date:
    """``YYYY-MM-DD`` (or ``default`` when empty). Raises ``DayError`` for a malformed date or one
    outside 1900-2999 (a calendar page around it would overflow), never silently shows another day."""
    if not text:
        return default
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise DayError(gettext("The date must look like 2025-03-31.")) from None
    if not FIRST_DAY <= day <= LAST_DAY:
        raise DayError(gettext("The date must be between 1900 and 2999."))
    return day


def _int_arg(name: str) -> int | None:
    value = (request.args.get(name) or "").strip()
    return int(value) if value.isascii() and value.isdigit() and len(value) <= 18 else None


@dataclass(frozen=True)
class Filters:
    """Calendar filters from the query string; ids outside the user's scope are ignored."""

    district_id: int | None = None
    court_id: int | None = None
    prosecutor_id: int | None = None

    @classmethod
    def from_request(cls, db: Session) -> Filters:
        district_id = _int_arg("district")
        if district_id is not None and not visible().allows_district(district_id):
            district_id = None
        prosecutor_id = current_user.id if request.args.get("mine") == "1" else _int_arg("prosecutor")
        return cls(district_id, _int_arg("court"), prosecutor_id)

    def args(self) -> dict[str, Any]:
        return {k: v for k, v in (("district", self.district_id), ("court", self.court_id),
                                  ("prosecutor", self.prosecutor_id)) if v is not None}


def hearings_between(first: date, last: date, filters: Filters, scope: Visible) -> Select[tuple[Hearing]]:
    """Hearings from ``first`` to ``last`` within scope and filters, with their case loaded."""
    stmt = (select(Hearing).join(Case, Hearing.case_id == Case.id)
            .where(Hearing.scheduled_for >= first, Hearing.scheduled_for <= last)
            .options(joinedload(Hearing.case), joinedload(Hearing.prosecutor), selectinload(Hearing.witnesses))
            .order_by(Hearing.scheduled_for, Hearing.session, Hearing.court, Hearing.id))
    if filters.district_id is not None:
        stmt = stmt.where(Case.district_id == filters.district_id)
    if filters.court_id is not None:
        stmt = stmt.where(Hearing.court_id == filters.court_id)
    if filters.prosecutor_id is not None:
        stmt = stmt.where(effective_prosecutor() == filters.prosecutor_id)
    return in_scope(stmt, scope)


def courts_in_scope(db: Session, district_id: int | None = None, active_only: bool = True) -> list[Court]:
    """The courts of the visible districts (or ``district_id``), by district and then bench number
    (``scheduling.court_order``: "Judge-II" before "Judge-IX", "Magistrate 2" before "12")."""
    stmt = (select(Court, District.name).join(District, District.id == Court.district_id)
            .where(court_condition(current_scope())))
    if district_id is not None:
        stmt = stmt.where(Court.district_id == district_id)
    if active_only:
        stmt = stmt.where(Court.active.is_(True))
    rows = db.execute(stmt).tuples()
    return [court for court, _ in sorted(rows, key=lambda row: (row[1], court_sort_key(row[0].name)))]


def prosecutors_in_scope(db: Session, district_id: int | None = None) -> list[User]:
    """Active prosecutors and supervisors who work in the visible districts (or ``district_id``)."""
    from models import user_districts

    districts = visible().districts
    ids = sorted(districts or []) if district_id is None else [district_id]
    stmt = select(User).where(User.role.in_([Role.PROSECUTOR, Role.SUPERVISOR]), User.is_active.is_(True))
    if districts is not None or district_id is not None:
        stmt = stmt.where(User.id.in_(select(user_districts.c.user_id).where(user_districts.c.district_id.in_(ids))))
    return list(db.scalars(stmt.order_by(User.full_name, User.username)))


def filter_choices(db: Session) -> dict[str, Any]:
    return {"districts": scoped_districts(db), "courts": courts_in_scope(db), "prosecutors": prosecutors_in_scope(db)}


def person(user: User | None) -> str:
    return (user.full_name or user.username) if user is not None else ""


@dataclass(frozen=True)
class Entry:
    """One hearing as the calendar views show it (plain columns, no ORM objects: a month of a busy
    district is hundreds of rows)."""

    id: int
    day: date
    session: str
    starts_at: Any
    court: str
    courtroom: str
    purpose: str
    result: str
    next_date: date | None
    fir_number: str
    fir_year: int
    station: str
    prosecutor: str

    @property
    def fir_label(self) -> str:
        """In the reader's language (``FIR 45/2019, PS Saddar``)."""
        return fir_label(self)


def calendar_entries(db: Session, first: date, last: date, filters: Filters, scope: Visible) -> list[Entry]:
    """The hearings of ``first``..``last`` within scope and filters, as ``Entry`` rows, in day,
    session, court order."""
    from sqlalchemy.orm import aliased

    from models import PoliceStation

    appearing = aliased(User)
    stmt = (select(Hearing.id, Hearing.scheduled_for, Hearing.session, Hearing.starts_at, Hearing.court,
                   Hearing.courtroom, Hearing.purpose, Hearing.result, Hearing.next_date, Case.fir_number,
                   Case.fir_year, PoliceStation.name, func.coalesce(appearing.full_name, appearing.username, ""))
            .join(Case, Hearing.case_id == Case.id).join(PoliceStation, PoliceStation.id == Case.police_station_id)
            .outerjoin(appearing, appearing.id == effective_prosecutor())
            .where(Hearing.scheduled_for >= first, Hearing.scheduled_for <= last)
            .order_by(Hearing.scheduled_for, Hearing.session, Hearing.court, Hearing.id))
    if filters.district_id is not None:
        stmt = stmt.where(Case.district_id == filters.district_id)
    if filters.court_id is not None:
        stmt = stmt.where(Hearing.court_id == filters.court_id)
    if filters.prosecutor_id is not None:
        stmt = stmt.where(effective_prosecutor() == filters.prosecutor_id)
    return [Entry(*row) for row in db.execute(in_scope(stmt, scope))]
