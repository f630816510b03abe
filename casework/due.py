"""The case file's statutory deadlines as a deadline provider for reminders, diaries and calendar
feeds (``notify.deadlines``): every stored deadline (``case_deadlines``) not yet met that falls due in
a range, for the case's assigned prosecutor.

``register()`` plugs the provider in (idempotent). The web app registers it when the case-file
views load and the reminder program (``notify.runner.tick``) before each tick, so the "deadlines
coming due" reminder, the prosecutor's diary and the iCalendar feed all carry, for example, the
CrPC s.173(1) interim report. Consumers apply the reader's scope (districts, sealed cases).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from casework import deadlines as dl
from models import Case, CaseDeadline, Person
from notify.deadlines import DueDeadline, register_deadline_provider

MAX_DUE = 5000  # a range with more open deadlines than this is cut (the oldest due first)


def deadline_key(row: CaseDeadline) -> str:
    """A stable key per deadline: rule, case and (per-accused rules) the accused."""
    return f"{row.rule_id}:case-{row.case_id}" + (f":person-{row.subject_id}" if row.subject_id else "")


def case_deadlines_due(db: Session, first: date, last: date) -> list[DueDeadline]:
    """Open (not met) deadlines due from ``first`` to ``last`` (inclusive, court days of Asia/Karachi),
    each for the case's assigned prosecutor (none when the case has no prosecutor)."""
    stmt = (select(CaseDeadline, Case).join(Case, Case.id == CaseDeadline.case_id)
            .where(CaseDeadline.met_on.is_(None), CaseDeadline.due_on >= first, CaseDeadline.due_on <= last)
            .options(joinedload(Case.police_station))
            .order_by(CaseDeadline.due_on, CaseDeadline.id).limit(MAX_DUE))
    rows = list(db.execute(stmt).tuples())
    subjects = {p.id: p.name for p in db.scalars(select(Person).where(
        Person.id.in_(sorted({r.subject_id for r, _ in rows if r.subject_id}))))} if rows else {}
    found = []
    for row, case in rows:
        rule = dl.rule_by_id(row.rule_id)
        what = rule.title if rule is not None else row.rule_id
        whom = f" ({subjects[row.subject_id]})" if row.subject_id in subjects else ""
        found.append(DueDeadline(
            key=deadline_key(row), case_id=case.id, district_id=case.district_id,
            title=f"{what}{whom}, {case.fir_label}", due_on=row.due_on,
            user_ids=(case.assigned_prosecutor_id,) if case.assigned_prosecutor_id else (),
            link=f"/cases/{case.id}#deadlines", source=rule.citation if rule is not None else ""))
    return found


def register() -> None:
    """Plug ``case_deadlines_due`` into ``notify.deadlines`` (safe to call any number of times)."""
    register_deadline_provider(case_deadlines_due)
