"""Conflict rules (scheduling.conflicts), table-style: prosecutor in two courts in one session, a
witness in two courts on one day (by the witness register's person, else CNIC, else name), court
holidays of the one court calendar (casework.court_calendar), past dates; fingerprints for overrides."""

from __future__ import annotations

from datetime import date

import pytest

from casework.court_calendar import CourtCalendar, default_calendar
from scheduling.conflicts import ConflictKind, Slot, find_conflicts, unseen
from scheduling.people import WitnessRef
from scheduling.vocab import vocabulary

MONDAY = date(2026, 12, 7)
TODAY = date(2026, 12, 1)
HOLIDAYS = default_calendar()
V = vocabulary()


def slot(hearing_id: int | None = None, *, day: date = MONDAY, session: str = "morning", court: str = "court:1",
         prosecutor: int | None = 7, witnesses: tuple[WitnessRef, ...] = (), district: int = 1) -> Slot:
    return Slot(hearing_id=hearing_id, case_id=hearing_id or 0, case_label=f"FIR {hearing_id}/2026", day=day,
                session=session, court_key=court, court_label=court.upper(), prosecutor_id=prosecutor,
                prosecutor_name="Amina", district_id=district, witnesses=witnesses)


def kinds(new: Slot, others: list[Slot], today: date = TODAY, check_past: bool = True) -> list[str]:
    return [str(c.kind) for c in find_conflicts(new, others, HOLIDAYS, V, today, check_past=check_past)]


@pytest.mark.parametrize(("other", "expected"), [
    (slot(1, court="court:2"), ["prosecutor_two_courts"]),                 # same session, another court
    (slot(1, court="court:1"), []),                                        # same court: one after another
    (slot(1, court="court:2", session="evening"), []),                     # other session
    (slot(1, court="court:2", day=date(2026, 12, 8)), []),                 # other day
    (slot(1, court="court:2", prosecutor=8), []),                          # another prosecutor
    (slot(1, court="court:2", prosecutor=None), []),                       # nobody assigned there
])
def test_prosecutor_in_two_courts_in_one_session(other: Slot, expected: list[str]) -> None:
    assert kinds(slot(None), [other]) == expected


def test_no_prosecutor_means_no_prosecutor_clash() -> None:
    assert kinds(slot(None, prosecutor=None), [slot(1, court="court:2", prosecutor=None)]) == []


def test_a_hearing_does_not_clash_with_itself_when_edited() -> None:
    assert kinds(slot(5), [slot(5, court="court:2")]) == []


GUL = WitnessRef("Gul Khan", "17301-1234567-1", None)


@pytest.mark.parametrize(("theirs", "same"), [
    (WitnessRef("Gul Khan", "17301-1234567-1"), True),                # same CNIC and name
    (WitnessRef("G. Khan", "1730112345671"), True),                    # same CNIC, other spelling
    (WitnessRef("Gul Khan", "17301-7654321-1"), False),               # same name, different CNIC
    (WitnessRef("gul  KHAAN"), True),                                  # no CNIC there: normalised name
    (WitnessRef("Gul Khan s/o Sher Khan"), True),                      # parentage is not part of the name
    (WitnessRef("Gul Zaman"), False),
])
def test_witness_matching_by_cnic_else_name(theirs: WitnessRef, same: bool) -> None:
    assert GUL.same_person(theirs) is same


def test_the_witness_register_decides_before_cnic_and_name() -> None:
    # entries of two cases' registers (different witness ids) for one person: the same person
    in_case_a = WitnessRef("Gul Khan", "17301-1234567-1", witness_id=4, person_id=40)
    assert in_case_a.same_person(WitnessRef("Gul Khan Afridi", "", witness_id=9, person_id=40))
    # two registered persons are two people, whatever their names (the register keeps CNICs unique)
    assert not in_case_a.same_person(WitnessRef("Gul Khan", "", witness_id=5, person_id=41))
    assert in_case_a.same_person(WitnessRef("Someone else", "", witness_id=4))  # the same register entry
    assert in_case_a.same_person(WitnessRef("Gul Khan", "17301-1234567-1"))     # one side unregistered: CNIC
    assert in_case_a.same_person(WitnessRef("Gul  KHAAN"))                      # ... else the name
    assert not in_case_a.same_person(WitnessRef("Gul Khan", "17301-7654321-1"))


@pytest.mark.parametrize(("other", "expected"), [
    (slot(1, court="court:2", prosecutor=9, witnesses=(WitnessRef("Muhammad Ali"),)), ["witness_two_courts"]),
    (slot(1, court="court:2", prosecutor=9, session="evening", witnesses=(WitnessRef("Mohd. Ali"),)),
     ["witness_two_courts"]),                                                # any session of the same day
    (slot(1, court="court:1", prosecutor=9, witnesses=(WitnessRef("Muhammad Ali"),)), []),  # same court
    (slot(1, court="court:2", prosecutor=9, day=date(2026, 12, 8), witnesses=(WitnessRef("Muhammad Ali"),)), []),
    (slot(1, court="court:2", prosecutor=9, witnesses=(WitnessRef("Ali Khan"),)), []),
])
def test_witness_in_two_courts_on_one_day(other: Slot, expected: list[str]) -> None:
    assert kinds(slot(None, witnesses=(WitnessRef("Mohammad Ali"),)), [other]) == expected


@pytest.mark.parametrize(("day", "calendar", "holiday"), [
    (date(2026, 12, 6), HOLIDAYS, "Sunday"),                                          # closed weekday
    (date(2026, 12, 25), HOLIDAYS, "Quaid-e-Azam Day"),                              # fixed gazetted holiday
    (date(2027, 8, 14), HOLIDAYS, "Independence Day"),
    (date(2027, 5, 28), HOLIDAYS, "Youm-e-Takbeer"),                                 # gazetted from 2024
    (date(2027, 3, 10), HOLIDAYS.with_dated([(date(2027, 3, 10), "Eid ul Fitr")]), "Eid ul Fitr"),  # dated
    (date(2026, 12, 7), HOLIDAYS, None),                                              # an ordinary Monday
    (date(2026, 12, 5), CourtCalendar(frozenset({4, 5})), "Saturday"),                # a five-day week
])
def test_court_holidays(day: date, calendar: CourtCalendar, holiday: str | None) -> None:
    assert calendar.closed_reason(day) == holiday
    found = find_conflicts(slot(None, day=day), [], calendar, V, TODAY)
    assert [c.kind for c in found] == ([ConflictKind.COURT_HOLIDAY] if holiday else [])
    if holiday:
        assert holiday in found[0].as_message().render()


def test_past_date_warns_only_when_the_date_is_being_set() -> None:
    past = date(2026, 11, 30)
    assert kinds(slot(None, day=past), [], today=TODAY) == ["past_date"]
    assert kinds(slot(3, day=past), [], today=TODAY, check_past=False) == []
    assert kinds(slot(None, day=TODAY), [], today=TODAY) == []  # today is not past (a Tuesday)


def test_messages_name_the_other_case_and_court() -> None:
    [conflict] = find_conflicts(slot(None), [slot(12, court="court:2")], HOLIDAYS, V, TODAY)
    text = conflict.as_message().render()
    assert "FIR 12/2026" in text and "COURT:2" in text and "morning" in text and "Amina" in text


def test_override_covers_only_the_warnings_seen() -> None:
    first = find_conflicts(slot(None), [slot(12, court="court:2")], HOLIDAYS, V, TODAY)
    later = find_conflicts(slot(None), [slot(12, court="court:2"), slot(13, court="court:3")], HOLIDAYS, V,
                           TODAY)
    remaining = unseen(later, [c.fingerprint for c in first])
    assert [c.other_hearing_id for c in remaining] == [13]
    assert unseen(first, [c.fingerprint for c in first]) == []
