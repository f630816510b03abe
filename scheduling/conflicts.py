"""Scheduling conflicts: warnings, not refusals. A person may keep the date by giving a reason, which
is recorded with the hearing.

Rules (issue 11):
- ``prosecutor_two_courts``: the prosecutor appearing has another hearing on the same day, in the
  same session, before a different court;
- ``witness_two_courts``: a witness summoned for this hearing is summoned before a different court
  on the same day (same person per ``scheduling.people.WitnessRef.same_person``);
- ``court_holiday``: the court calendar of the case's district (``casework.court_calendar``, the
  same calendar statutory deadlines are counted in) says the courts do not sit that day: a closed
  weekday, a gazetted holiday on a fixed date, or a holiday entered for the province or the district;
- ``past_date``: the day has already passed (Asia/Karachi) when the hearing is scheduled.

Each conflict has a stable ``fingerprint``: the form shows the warnings, and an override is accepted
only for the warnings the person saw (a new clash appearing meanwhile is shown again).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from casework.court_calendar import CourtCalendar
from i18n import N_
from scheduling.messages import Lowercase, Message
from scheduling.people import WitnessRef
from scheduling.vocab import Vocabulary


class ConflictKind(StrEnum):
    PROSECUTOR_TWO_COURTS = "prosecutor_two_courts"
    WITNESS_TWO_COURTS = "witness_two_courts"
    COURT_HOLIDAY = "court_holiday"
    PAST_DATE = "past_date"


@dataclass(frozen=True)
class Slot:
    """A hearing as the conflict rules see it. ``court_key`` identifies the court (``court:<id>`` or
    the normalised name); ``hearing_id`` is None for a hearing not saved yet."""

    hearing_id: int | None
    case_id: int
    case_label: str
    day: date
    session: str
    court_key: str
    court_label: str
    prosecutor_id: int | None = None
    prosecutor_name: str = ""
    district_id: int | None = None
    witnesses: tuple[WitnessRef, ...] = ()


# A marked name used inside warnings (translated when the warning is shown; so are the weekday names of
# casework.court_calendar that say why a day is closed).
THE_PROSECUTOR = N_("The prosecutor")


@dataclass(frozen=True)
class Conflict:
    """One warning. ``message`` is an untranslated template (``N_``) filled from ``params``."""

    kind: ConflictKind
    message: str
    params: Mapping[str, Any] = field(default_factory=dict)
    other_hearing_id: int | None = None

    @property
    def fingerprint(self) -> str:
        extra = self.params.get("witness", "") if self.kind is ConflictKind.WITNESS_TWO_COURTS else ""
        return f"{self.kind}:{self.other_hearing_id or ''}:{extra}"

    def as_message(self) -> Message:
        return Message(self.message, self.params)


def _prosecutor_clashes(slot: Slot, others: Iterable[Slot], session_label: str) -> list[Conflict]:
    found = []
    for other in others:
        if (slot.prosecutor_id is not None and other.prosecutor_id == slot.prosecutor_id
                and other.day == slot.day and other.session == slot.session
                and other.court_key != slot.court_key):
            found.append(Conflict(
                ConflictKind.PROSECUTOR_TWO_COURTS,
                N_("%(prosecutor)s also appears in %(case)s before %(court)s in the same %(session)s session."),
                {"prosecutor": slot.prosecutor_name or THE_PROSECUTOR, "case": other.case_label,
                 "court": other.court_label, "session": Lowercase(session_label)},
                other.hearing_id))
    return found


def _witness_clashes(slot: Slot, others: Iterable[Slot]) -> list[Conflict]:
    found = []
    for other in others:
        if other.day != slot.day or other.court_key == slot.court_key:
            continue
        for mine in slot.witnesses:
            if any(mine.same_person(theirs) for theirs in other.witnesses):
                found.append(Conflict(
                    ConflictKind.WITNESS_TWO_COURTS,
                    N_("Witness %(witness)s is also summoned in %(case)s before %(court)s on the same day."),
                    {"witness": mine.name, "case": other.case_label, "court": other.court_label},
                    other.hearing_id))
    return found


def find_conflicts(slot: Slot, others: Iterable[Slot], calendar: CourtCalendar, vocab: Vocabulary, today: date,
                   *, check_past: bool = True) -> list[Conflict]:
    """Every warning for ``slot`` against ``others`` (hearings already scheduled; ``slot`` itself,
    matched by ``hearing_id``, is ignored). ``calendar`` is the court calendar of the slot's district;
    ``today`` is the court's calendar day; ``check_past`` is False when the date was not changed (an
    old hearing being edited)."""
    rivals = [o for o in others if slot.hearing_id is None or o.hearing_id != slot.hearing_id]
    session_label = vocab.label("sessions", slot.session)
    conflicts = _prosecutor_clashes(slot, rivals, session_label) + _witness_clashes(slot, rivals)
    holiday = calendar.closed_reason(slot.day)
    if holiday is not None:
        conflicts.append(Conflict(ConflictKind.COURT_HOLIDAY,
                                  N_("%(day)s is not a court day (%(holiday)s)."),
                                  {"day": slot.day, "holiday": holiday}))
    if check_past and slot.day < today:
        conflicts.append(Conflict(ConflictKind.PAST_DATE,
                                  N_("%(day)s has already passed."), {"day": slot.day}))
    return conflicts


def unseen(conflicts: Iterable[Conflict], seen_fingerprints: Iterable[str]) -> list[Conflict]:
    """The conflicts whose fingerprint is not among those the person was shown."""
    seen = set(seen_fingerprints)
    return [c for c in conflicts if c.fingerprint not in seen]
