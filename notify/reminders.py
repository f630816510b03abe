"""Reminders: due items from *sources*, turned into notifications once each.

A source is a function ``(db, settings, now) -> Iterable[DueItem]``. Built in:
- ``hearings_tomorrow``: the day before a hearing (Asia/Karachi), to the prosecutor appearing;
- ``missing_next_dates``: a past hearing without outcome or next date (CrPC s.344), to the
  prosecutor and the district's supervisors;
- ``deadlines_coming_due``: deadlines from the registered deadline providers
  (``notify.deadlines``; the case file's statutory deadlines, ``casework.due``), to the users
  each deadline names.

Each item writes its subject and body for each recipient in the language they chose (``i18n.reader``).
``run_reminders`` is idempotent: each item's key is unique per user (``notify.notify``), so running
it twice, or in two processes at once, notifies once. A reminder names case material, so it is derived
data written for its recipient: it goes only to users whose scope reads the case's hearings
(``search_app.auth.scope.calendar_case_condition``: role, districts and, for a sealed case, the
sealed-case rule), never to anyone else.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from config import Settings
from i18n.reader import Reader, reader_for
from models import Case, Hearing, User
from notify.deadlines import DueDeadline, deadlines_due
from notify.service import notify
from scheduling.discipline import FlagKind
from scheduling.store import Visible, effective_prosecutor, flagged_hearings, supervisors_of
from scheduling.timezone import local_today
from scheduling.vocab import vocabulary

Compose = Callable[[Reader], tuple[str, str]]


@dataclass(frozen=True)
class DueItem:
    """One reminder: ``text`` writes its subject and body for a recipient (in their language)."""

    kind: str
    key: str
    user_ids: tuple[int, ...]
    text: Compose
    link: str
    case_id: int | None = None  # the case the reminder is about: recipients must read its hearings


Source = Callable[[Session, Settings, datetime], Iterable[DueItem]]


def _hearing_text(reader: Reader, hearing: Hearing) -> str:
    vocab = vocabulary()
    case = hearing.case
    room = reader.gettext(", courtroom %(room)s", room=hearing.courtroom) if hearing.courtroom else ""
    return reader.gettext(
        "%(case)s: %(purpose)s before %(court)s%(room)s, %(day)s, %(session)s session.",
        case=reader.fir(case.fir_number, case.fir_year, case.police_station.name),
        purpose=reader.gettext(vocab.label("purposes", hearing.purpose)), court=hearing.court, room=room,
        day=reader.format.date(hearing.scheduled_for, "day_medium"),
        session=reader.gettext(vocab.label("sessions", hearing.session)).lower())


def _fir(reader: Reader, case: Case) -> str:
    return reader.fir(case.fir_number, case.fir_year, case.police_station.name)


def may_read_case(db: Session, user: User | None, case_id: int) -> bool:
    """Whether ``user`` (active) reads the hearings of case ``case_id``: the permission scope's predicate."""
    from search_app.auth.scope import Scope, calendar_case_condition  # deferred: keeps notify import-light

    if user is None or not user.is_active:
        return False
    return db.scalar(select(Case.id).where(Case.id == case_id, calendar_case_condition(Scope.of(user)))) is not None


def hearings_tomorrow(db: Session, settings: Settings, now: datetime) -> Iterator[DueItem]:
    tomorrow = local_today(now) + timedelta(days=1)
    stmt = (select(Hearing, effective_prosecutor()).join(Case, Hearing.case_id == Case.id)
            .where(Hearing.scheduled_for == tomorrow).options(joinedload(Hearing.case)))
    for hearing, prosecutor_id in db.execute(stmt).unique().tuples():
        if prosecutor_id is None:
            continue

        def text(reader: Reader, hearing: Hearing = hearing) -> tuple[str, str]:
            subject = reader.gettext("Hearing tomorrow: %(case)s before %(court)s",
                                     case=_fir(reader, hearing.case), court=hearing.court)
            return subject, _hearing_text(reader, hearing)

        yield DueItem("hearing_tomorrow", f"hearing_tomorrow:{hearing.id}:{tomorrow.isoformat()}", (prosecutor_id,),
                      text, f"/hearings/{hearing.id}", hearing.case_id)


def missing_next_dates(db: Session, settings: Settings, now: datetime) -> Iterator[DueItem]:
    today = local_today(now)
    since = today - timedelta(days=settings.next_date_lookback_days)
    for item in flagged_hearings(db, vocabulary(), today, Visible.everything(), since=since):
        hearing = item.hearing
        users = [hearing.prosecutor_id or hearing.case.assigned_prosecutor_id]
        users += [s.id for s in supervisors_of(db, hearing.case.district_id)]
        recipients = tuple(dict.fromkeys(u for u in users if u is not None))
        outcome = item.flag is FlagKind.MISSING_OUTCOME

        def text(reader: Reader, hearing: Hearing = hearing, outcome: bool = outcome) -> tuple[str, str]:
            values = {"case": _fir(reader, hearing.case), "day": reader.format.date(hearing.scheduled_for)}
            if outcome:
                return (reader.gettext("No outcome recorded: %(case)s, hearing of %(day)s", **values),
                        _hearing_text(reader, hearing) + " "
                        + reader.gettext("Record the outcome the court gave (CrPC s.344)."))
            return (reader.gettext("No next date recorded: %(case)s, hearing of %(day)s", **values),
                    _hearing_text(reader, hearing) + " "
                    + reader.gettext("Record the next date the court gave (CrPC s.344)."))

        yield DueItem("next_date_missing", f"next_date_missing:{hearing.id}:{item.flag}", recipients, text,
                      f"/hearings/{hearing.id}/outcome", hearing.case_id)


def deadlines_coming_due(db: Session, settings: Settings, now: datetime) -> Iterator[DueItem]:
    today = local_today(now)
    for deadline in deadlines_due(db, today, today + timedelta(days=settings.deadline_reminder_days)):

        def text(reader: Reader, deadline: DueDeadline = deadline) -> tuple[str, str]:
            when = (reader.gettext("today") if deadline.due_on == today
                    else reader.format.date(deadline.due_on, "day_medium"))
            subject = reader.gettext("Deadline %(when)s: %(title)s", when=when, title=deadline.title)
            if deadline.source:
                return subject, reader.gettext("%(title)s falls due %(when)s (%(source)s).", title=deadline.title,
                                               when=when, source=deadline.source)
            return subject, reader.gettext("%(title)s falls due %(when)s.", title=deadline.title, when=when)

        yield DueItem("deadline_due", f"deadline_due:{deadline.key}:{deadline.due_on.isoformat()}",
                      tuple(deadline.user_ids), text, deadline.link or f"/cases/{deadline.case_id}",
                      deadline.case_id)


SOURCES: tuple[Source, ...] = (hearings_tomorrow, missing_next_dates, deadlines_coming_due)


@dataclass
class ReminderReport:
    created: int = 0
    already: int = 0


def run_reminders(db: Session, settings: Settings, now: datetime,
                  sources: Iterable[Source] = SOURCES) -> ReminderReport:
    """Create the notifications every source finds due; commits. Safe to run any number of times."""
    report = ReminderReport()
    for source in sources:
        for item in source(db, settings, now):
            for user_id in item.user_ids:
                user = db.get(User, user_id)
                if user is None:
                    continue
                if item.case_id is not None and not may_read_case(db, user, item.case_id):
                    continue  # never tell someone about a case they may not read
                subject, body = item.text(reader_for(user))
                created = notify(db, user_id, item.kind, subject, body, item.link, key=item.key, now=now,
                                 case_id=item.case_id)
                if created is None:
                    report.already += 1
                else:
                    report.created += 1
        db.commit()
    return report


