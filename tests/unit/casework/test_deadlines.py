"""Every statutory deadline rule, table-driven: dates across court holidays, weekly days off, month
ends, leap years, conditional rules (ATA, sexual offences), per-accused anchors and met dates."""

from __future__ import annotations

from datetime import date

import pytest

from casework import deadlines as dl
from casework.court_calendar import CalendarError, CourtCalendar, default_calendar, parse_calendar

CAL = default_calendar()  # Sunday off, fixed gazetted holidays
EID_2024 = CAL.with_dated([(date(2024, 4, 10), "Eid ul Fitr"), (date(2024, 4, 11), "Eid ul Fitr"),
                           (date(2024, 4, 12), "Eid ul Fitr")])


def _rule(rule_id: str) -> dl.DeadlineRule:
    rule = dl.rule_by_id(rule_id)
    assert rule is not None, rule_id
    return rule


def _due(rule_id: str, facts: dl.CaseFacts, calendar: CourtCalendar = CAL) -> list[dl.DueDate]:
    return [d for d in dl.compute(dl.rules(), facts, calendar) if d.rule.id == rule_id]


def test_every_rule_has_a_source_and_is_covered_below() -> None:
    covered = {"crpc_173_interim_report", "crpc_265c_copies", "ata_19_7_decision", "limitation_157_state_appeal",
               "crpc_417_2a_aggrieved_appeal", "ata_25_4a_victim_appeal", "crpc_417_5_sexual_offence_appeal"}
    assert {r.id for r in dl.rules()} == covered
    for rule in dl.rules():
        assert rule.act and rule.section and rule.source and rule.verified in {"primary", "secondary"}


# --- CrPC s.173(1) proviso: 14 days + 3 days from the FIR ---------------------------------------------------
@pytest.mark.parametrize(("fir", "calendar", "expected", "why"), [
    (date(2024, 3, 4), CAL, date(2024, 3, 21), "Mon 4 Mar + 17 = Thu 21 Mar, an open day"),
    (date(2024, 3, 6), CAL, date(2024, 3, 25), "+17 = Sat 23 Mar, Pakistan Day -> Sun 24 -> Mon 25"),
    (date(2024, 3, 7), CAL, date(2024, 3, 25), "+17 = Sun 24 Mar -> Mon 25"),
    (date(2024, 3, 24), EID_2024, date(2024, 4, 13), "+17 = Wed 10 Apr, Eid 10-12 Apr -> Sat 13"),
    (date(2024, 1, 31), CAL, date(2024, 2, 17), "across the end of January: Sat 17 Feb"),
    (date(2024, 2, 12), CAL, date(2024, 2, 29), "leap year: Thu 29 Feb"),
    (date(2023, 2, 12), CAL, date(2023, 3, 1), "common year: 29 Feb does not exist -> Wed 1 Mar"),
    (date(2024, 12, 15), CAL, date(2025, 1, 1), "+17 = Wed 1 Jan 2025 (not a gazetted holiday)"),
    (date(2024, 12, 8), CAL, date(2024, 12, 26), "+17 = Wed 25 Dec, Quaid-e-Azam Day -> Thu 26"),
    (date(2024, 7, 28), CAL, date(2024, 8, 15), "+17 = Wed 14 Aug, Independence Day -> Thu 15"),
])
def test_crpc_173_interim_report(fir: date, calendar: CourtCalendar, expected: date, why: str) -> None:
    [due] = _due("crpc_173_interim_report", dl.CaseFacts(fir), calendar)
    assert due.due_on == expected, why
    assert due.nominal_on == date.fromordinal(fir.toordinal() + 17)
    assert due.met_on is None


@pytest.mark.parametrize(("history", "met"), [
    ((("interim_report", date(2024, 3, 18)),), date(2024, 3, 18)),
    ((("challan_received", date(2024, 3, 10)),), date(2024, 3, 10)),  # challan within 14 days
    ((("under_investigation", date(2024, 3, 5)), ("challan_received", date(2024, 4, 2))), date(2024, 4, 2)),
    ((("under_investigation", date(2024, 3, 5)),), None),
])
def test_crpc_173_met_by_the_report(history: tuple[tuple[str, date], ...], met: date | None) -> None:
    [due] = _due("crpc_173_interim_report", dl.CaseFacts(date(2024, 3, 4), history=history))
    assert due.met_on == met
    assert dl.status(due.due_on, due.met_on, date(2024, 4, 30)) == (
        "overdue" if met is None else "met_late" if met > due.due_on else "met")


def test_no_fir_date_no_interim_report_deadline() -> None:
    assert _due("crpc_173_interim_report", dl.CaseFacts(None)) == []


# --- CrPC s.265-C: copies 7 clear days before the trial starts ------------------------------------------------
@pytest.mark.parametrize(("trial", "calendar", "expected", "why"), [
    (date(2024, 5, 21), CAL, date(2024, 5, 13), "Tue 21 May - 8 = Mon 13 May (7 clear days between)"),
    (date(2024, 5, 20), CAL, date(2024, 5, 11), "Mon 20 May - 8 = Sun 12 May, closed -> back to Sat 11"),
    (date(2024, 4, 20), EID_2024, date(2024, 4, 9), "- 8 = Fri 12 Apr (Eid 10-12) -> Tue 9 Apr"),
    (date(2024, 3, 1), CAL, date(2024, 2, 22), "across a leap-year month end: Thu 22 Feb"),
    (date(2024, 3, 31), CAL, date(2024, 3, 22), "- 8 = Sat 23 Mar (Pakistan Day) -> Fri 22"),
])
def test_crpc_265c_copies(trial: date, calendar: CourtCalendar, expected: date, why: str) -> None:
    facts = dl.CaseFacts(date(2024, 1, 2), history=(("submitted_to_court", date(2024, 2, 1)),),
                         hearings=(date(2024, 1, 20), trial))  # a bail hearing before submission is not the trial
    [due] = _due("crpc_265c_copies", facts, calendar)
    assert due.anchor_on == trial and due.due_on == expected, why


def test_crpc_265c_needs_a_hearing_after_submission() -> None:
    facts = dl.CaseFacts(date(2024, 1, 2), history=(("submitted_to_court", date(2024, 2, 1)),),
                         hearings=(date(2024, 1, 20),))
    assert _due("crpc_265c_copies", facts) == []


# --- ATA s.19(7): decided within 7 days of cognizance, only for ATA cases -----------------------------------
@pytest.mark.parametrize(("sections", "submitted", "expected"), [
    (("ATA 7", "PPC 302"), date(2024, 8, 7), date(2024, 8, 15)),  # +7 = Wed 14 Aug holiday -> Thu 15
    (("ATA 7(a)",), date(2024, 6, 3), date(2024, 6, 10)),           # Mon + 7 = Mon
    (("ATA 7",), date(2024, 6, 2), date(2024, 6, 10)),              # +7 = Sun 9 Jun -> Mon 10
    (("PPC 302",), date(2024, 6, 3), None),                          # not an ATA case
])
def test_ata_19_7(sections: tuple[str, ...], submitted: date, expected: date | None) -> None:
    facts = dl.CaseFacts(date(2024, 1, 5), sections, (("submitted_to_court", submitted),))
    found = _due("ata_19_7_decision", facts)
    assert [d.due_on for d in found] == ([expected] if expected else [])


# --- appeals against acquittal, per accused ----------------------------------------------------------------
@pytest.mark.parametrize(("judgment", "expected", "why"), [
    (date(2024, 1, 15), date(2024, 7, 15), "six calendar months, same day"),
    (date(2023, 8, 31), date(2024, 2, 29), "31 Aug + 6 months clamps to 29 Feb in a leap year"),
    (date(2022, 8, 31), date(2023, 2, 28), "... and to 28 Feb in a common year"),
    (date(2024, 3, 31), date(2024, 9, 30), "31 Mar -> 30 Sep (month end)"),
    (date(2024, 2, 9), date(2024, 8, 9), "Fri 9 Aug 2024 is open: kept"),
])
def test_limitation_157_state_appeal(judgment: date, expected: date, why: str) -> None:
    facts = dl.CaseFacts(date(2023, 1, 1), acquittals=(dl.Acquittal(41, judgment),))
    [due] = _due("limitation_157_state_appeal", facts)
    assert (due.subject, due.due_on) == (41, expected), why


def test_limitation_157_moves_off_a_closed_last_day() -> None:
    # 14 Feb 2024 + 6 months = Wed 14 Aug 2024, Independence Day -> Thu 15 Aug (Limitation Act s.4)
    facts = dl.CaseFacts(date(2023, 1, 1), acquittals=(dl.Acquittal(7, date(2024, 2, 14)),))
    [due] = _due("limitation_157_state_appeal", facts)
    assert due.nominal_on == date(2024, 8, 14) and due.due_on == date(2024, 8, 15) and due.moved_for_closed_day


@pytest.mark.parametrize(("judgment", "expected"), [
    (date(2024, 1, 31), date(2024, 3, 1)),   # +30 = Fri 1 Mar (leap February has 29 days)
    (date(2023, 1, 31), date(2023, 3, 2)),   # +30 = Thu 2 Mar in a common year
    (date(2024, 4, 24), date(2024, 5, 24)),  # +30 = Fri 24 May, open
    (date(2024, 4, 1), date(2024, 5, 2)),    # +30 = Wed 1 May, Labour Day -> Thu 2 May
    (date(2024, 4, 28), date(2024, 5, 29)),  # +30 = Tue 28 May, Youm-e-Takbeer -> Wed 29 May
])
def test_crpc_417_2a_aggrieved_appeal(judgment: date, expected: date) -> None:
    facts = dl.CaseFacts(date(2023, 1, 1), acquittals=(dl.Acquittal(3, judgment), dl.Acquittal(4, judgment)))
    found = _due("crpc_417_2a_aggrieved_appeal", facts)
    assert [(d.subject, d.due_on) for d in found] == [(3, expected), (4, expected)]


def test_youm_e_takbeer_counts_only_from_2024() -> None:
    assert not CAL.is_open(date(2024, 5, 28)) and CAL.is_open(date(2023, 5, 29))
    assert CAL.closed_reason(date(2023, 5, 28)) == "Sunday"  # 28 May 2023 was a Sunday anyway
    assert CAL.is_open(date(2022, 5, 28))                    # a Saturday before the holiday existed


@pytest.mark.parametrize(("sections", "expected"), [
    (("ATA 7", "PPC 302"), date(2024, 4, 13)),  # 14 Mar + 30 = Sat 13 Apr, open (Eid was 10-12 Apr)
    (("PPC 302",), None),
])
def test_ata_25_4a_victim_appeal(sections: tuple[str, ...], expected: date | None) -> None:
    facts = dl.CaseFacts(date(2023, 1, 1), sections, acquittals=(dl.Acquittal(9, date(2024, 3, 14)),))
    found = _due("ata_25_4a_victim_appeal", facts, EID_2024)
    assert [d.due_on for d in found] == ([expected] if expected else [])


def test_ata_25_4a_victim_appeal_over_eid() -> None:
    facts = dl.CaseFacts(date(2023, 1, 1), ("ATA 7",), acquittals=(dl.Acquittal(9, date(2024, 3, 11)),))
    [due] = _due("ata_25_4a_victim_appeal", facts, EID_2024)
    assert due.nominal_on == date(2024, 4, 10) and due.due_on == date(2024, 4, 13)  # Eid 10-12 Apr


@pytest.mark.parametrize(("sections", "appeal", "expected"), [
    (("PPC 376",), date(2024, 8, 31), date(2025, 2, 28)),       # month end clamp; closed days do not move it
    (("PPC 376(2)", "PPC 34"), date(2024, 1, 10), date(2024, 7, 10)),
    (("PPC 354-A",), date(2024, 3, 23), date(2024, 9, 23)),
    (("PPC 302",), date(2024, 1, 10), None),
])
def test_crpc_417_5_sexual_offence_appeal(sections: tuple[str, ...], appeal: date, expected: date | None) -> None:
    facts = dl.CaseFacts(date(2023, 1, 1), sections, (("judgment", date(2023, 12, 1)), ("appeal_or_revision", appeal)))
    found = _due("crpc_417_5_sexual_offence_appeal", facts)
    assert [d.due_on for d in found] == ([expected] if expected else [])
    if found:
        assert found[0].met_on is None  # the judgment before the appeal does not meet it


@pytest.mark.parametrize(("due", "met", "today", "status"), [
    (date(2024, 5, 10), None, date(2024, 5, 11), "overdue"),
    (date(2024, 5, 10), None, date(2024, 5, 10), "due_today"),
    (date(2024, 5, 10), None, date(2024, 5, 7), "due_soon"),
    (date(2024, 5, 10), None, date(2024, 5, 6), "open"),
    (date(2024, 5, 10), date(2024, 5, 10), date(2024, 6, 1), "met"),
    (date(2024, 5, 10), date(2024, 5, 11), date(2024, 6, 1), "met_late"),
])
def test_status(due: date, met: date | None, today: date, status: str) -> None:
    assert dl.status(due, met, today) == status


@pytest.mark.parametrize(("spec", "message"), [
    ({"anchor": "moon"}, "anchor"), ({"count": "weeks_after"}, "count"), ({"met_by_stages": ["sentenced"]}, "stage"),
    ({"source": " "}, "source"), ({"amount": 0}, "amount"), ({"verified": "maybe"}, "verified"),
])
def test_bad_rule_data_is_refused(spec: dict[str, object], message: str) -> None:
    base = {"id": "x", "title": "x", "act": "x", "section": "1", "summary": "x", "source": "x", "verified": "primary",
            "anchor": "fir_registered", "count": "days_after", "amount": 3, "closed_day": "none", "party": "police"}
    with pytest.raises(dl.DeadlineDataError, match=message):
        dl.parse_rules({"rule": [base | spec]})


@pytest.mark.parametrize(("data", "error"), [
    ({"closed_weekdays": ["Sonday"]}, "not a weekday name"),
    ({"closed_weekdays": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]},
     "at least one day"),
    ({"fixed": [{"month": 2, "day": 30, "name": "No such day"}]}, "no such date"),
    ({"fixed": [{"month": 3, "name": "No day"}]}, "needs month, day and name"),
])
def test_court_calendar_data_is_checked(data: dict[str, object], error: str) -> None:
    with pytest.raises(CalendarError, match=error):
        parse_calendar(data)


def test_the_shipped_court_calendar() -> None:
    assert CAL.closed_weekday_names() == ["Sunday"] and CAL.closed_weekdays_source
    assert {h.name for h in CAL.fixed} >= {"Pakistan Day", "Independence Day", "Quaid-e-Azam Day", "Youm-e-Takbeer"}
    five_day = parse_calendar({"closed_weekdays": ["saturday", "Sunday"]})
    assert five_day.next_open(date(2024, 3, 2)) == date(2024, 3, 4)  # Sat -> Mon
    assert five_day.previous_open(date(2024, 3, 3)) == date(2024, 3, 1)  # Sun -> Fri
