"""Next-date discipline (CrPC s.344), the UN next-appearance indicator, hearing and outcome input,
calendar periods and the Asia/Karachi day boundary."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from scheduling.discipline import (
    FileDates,
    FlagKind,
    HearingRecord,
    NextDateIndicator,
    discipline_flag,
    next_date_indicator,
)
from scheduling.hearing_input import read_hearing, read_outcome, read_witnesses
from scheduling.periods import View, period
from scheduling.timezone import court_today, day_bounds_utc, local_to_utc, local_today
from scheduling.vocab import VocabularyError, parse_vocabulary, vocabulary

V = vocabulary()
TODAY = date(2026, 12, 10)


@pytest.mark.parametrize(("day", "result", "next_date", "flag"), [
    (date(2026, 12, 9), "", None, FlagKind.MISSING_OUTCOME),
    (date(2026, 12, 9), "adjourned", None, FlagKind.MISSING_NEXT_DATE),
    (date(2026, 12, 9), "adjourned", date(2027, 1, 5), None),
    (date(2026, 12, 9), "evidence_recorded", None, FlagKind.MISSING_NEXT_DATE),
    (date(2026, 12, 9), "judgment_announced", None, None),              # final: nothing more in that court
    (date(2026, 12, 9), "disposed_otherwise", None, None),
    (date(2026, 12, 10), "", None, None),                               # today: not yet passed
    (date(2026, 12, 11), "", None, None),
])
def test_next_date_discipline(day: date, result: str, next_date: date | None, flag: FlagKind | None) -> None:
    assert discipline_flag(HearingRecord(1, day, result, next_date), TODAY, V) == flag


@pytest.mark.parametrize(("recorded", "files", "score"), [
    (10, 10, 4), (9, 10, 3), (75, 100, 3), (74, 100, 2), (50, 100, 2), (49, 100, 1), (0, 3, 1), (0, 0, 4),
])
def test_un_indicator_scores(recorded: int, files: int, score: int) -> None:
    assert NextDateIndicator(files, recorded).score == score


def test_indicator_counts_upcoming_hearings_and_next_dates() -> None:
    files = [
        FileDates(1, None, has_upcoming_hearing=True),
        FileDates(2, HearingRecord(5, date(2026, 12, 1), "adjourned", date(2026, 12, 20)), False),
        FileDates(3, HearingRecord(6, date(2026, 12, 1), "adjourned", date(2026, 12, 5)), False),  # date passed
        FileDates(4, HearingRecord(7, date(2026, 12, 1), "", None), False),
    ]
    indicator = next_date_indicator(files, TODAY, V)
    assert (indicator.files, indicator.with_next_date, indicator.percent, indicator.score) == (4, 2, 50.0, 2)


def form(**values: str) -> dict[str, str]:
    base = {"scheduled_for": "2026-12-14", "session": "morning", "court_id": "3", "purpose": "prosecution_evidence"}
    base.update(values)
    return base


def test_read_hearing_accepts_a_complete_form_and_derives_the_session_from_a_time() -> None:
    witnesses = [{"name": "Gul Khan", "cnic": "17301 1234567 1"}]
    draft, errors = read_hearing(form(time="14:30", session="morning"), witnesses, V)
    assert errors == {} and draft is not None
    assert (draft.day, draft.session, draft.at, draft.court_id) == (date(2026, 12, 14), "evening", time(14, 30), 3)
    assert draft.witnesses[0].cnic == "17301-1234567-1"


def test_witnesses_come_from_the_register_or_are_typed_new() -> None:
    rows = [{"witness_id": "12"}, {"witness_id": "12"}, {"name": "Noor Zaman", "cnic": "", "kind": "eye_witness"},
            {"name": "", "cnic": ""}]
    refs, error = read_witnesses(rows)
    assert error is None
    assert [(r.witness_id, r.name, r.kind) for r in refs] == [(12, "", ""), (None, "Noor Zaman", "eye_witness")]


@pytest.mark.parametrize(("values", "witnesses", "field"), [
    ({"scheduled_for": "14/12/2026"}, [], "scheduled_for"),
    ({"time": "2 pm"}, [], "time"),
    ({"purpose": "chat"}, [], "purpose"),
    ({"court_id": "", "court": ""}, [], "court_id"),
    ({"session": "night"}, [], "session"),
    ({}, [{"name": "X", "cnic": "12345"}], "witnesses"),
    ({}, [{"name": "", "cnic": "17301-1234567-1"}], "witnesses"),
])
def test_read_hearing_names_the_wrong_field(values: dict[str, str], witnesses: list[dict[str, str]],
                                            field: str) -> None:
    draft, errors = read_hearing(form(**values), witnesses, V)
    assert draft is None and list(errors) == [field]
    assert errors[field].render()  # a sentence for the clerk


HELD = date(2026, 12, 9)


@pytest.mark.parametrize(("values", "fields"), [
    ({"result": "adjourned", "adjournment_reason": "witness_absent", "requested_by": "prosecution",
      "next_date": "2027-01-05"}, []),
    ({"result": "adjourned", "next_date": "2027-01-05"}, ["adjournment_reason", "requested_by"]),
    ({"result": "adjourned", "adjournment_reason": "witness_absent", "requested_by": "defence"}, ["next_date"]),
    ({"result": "adjourned", "adjournment_reason": "other", "requested_by": "defence",
      "next_date": "2027-01-05"}, ["outcome"]),
    ({"result": "evidence_recorded", "next_date": "2026-12-09"}, ["next_date"]),   # not after the hearing
    ({"result": "judgment_announced"}, []),                                         # final: no next date
    ({"result": "lunch"}, ["result"]),
])
def test_read_outcome_rules(values: dict[str, str], fields: list[str]) -> None:
    draft, errors = read_outcome(values, [], HELD, TODAY, "prosecution_evidence", V)
    assert sorted(errors) == sorted(fields)
    assert (draft is None) == bool(fields)


def test_outcome_cannot_be_recorded_before_the_hearing_day() -> None:
    _, errors = read_outcome({"result": "judgment_announced"}, [], date(2026, 12, 11), TODAY, "judgment", V)
    assert "11 Dec 2026" in errors["result"].render()


def test_adjournment_keeps_reason_and_requester_other_results_drop_them() -> None:
    draft, _ = read_outcome({"result": "charge_framed", "adjournment_reason": "witness_absent",
                             "requested_by": "defence", "next_date": "2027-01-05"}, ["3", "x"], HELD, TODAY,
                            "charge", V)
    assert draft is not None and (draft.adjournment_reason, draft.requested_by) == ("", "")
    assert draft.next_purpose == "charge" and draft.attended_witness_ids == frozenset({3})


@pytest.mark.parametrize(("view", "anchor", "first", "last"), [
    (View.DAY, date(2026, 12, 9), date(2026, 12, 9), date(2026, 12, 9)),
    (View.WEEK, date(2026, 12, 9), date(2026, 12, 7), date(2026, 12, 13)),
    (View.MONTH, date(2026, 2, 11), date(2026, 2, 1), date(2026, 2, 28)),
    (View.AGENDA, date(2026, 12, 9), date(2026, 12, 9), date(2027, 1, 7)),
])
def test_periods(view: View, anchor: date, first: date, last: date) -> None:
    shown = period(view, anchor)
    assert (shown.first, shown.last) == (first, last)
    assert shown.previous < first and shown.following == last + (shown.following - last)


def test_month_grid_is_whole_weeks() -> None:
    weeks = period(View.MONTH, date(2026, 12, 15)).weeks()
    assert weeks[0][0] == date(2026, 11, 30) and weeks[-1][-1] == date(2027, 1, 3)
    assert all(len(w) == 7 for w in weeks) and period(View.MONTH, date(2026, 12, 15)).previous == date(2026, 11, 1)


def test_karachi_day_boundary() -> None:
    assert court_today(datetime(2026, 12, 9, 19, 30, tzinfo=UTC)) == date(2026, 12, 10)  # the server's date is the 9th
    assert local_today(datetime(2026, 12, 9, 19, 30, tzinfo=UTC)) == date(2026, 12, 10)  # 00:30 PKT
    assert local_today(datetime(2026, 12, 9, 18, 59, tzinfo=UTC)) == date(2026, 12, 9)
    assert local_to_utc(date(2026, 12, 9), time(9, 0)) == datetime(2026, 12, 9, 4, 0, tzinfo=UTC)
    start, end = day_bounds_utc(date(2026, 12, 9))
    assert (start.hour, (end - start).days) == (19, 1)


def test_vocabulary_is_checked_when_loaded() -> None:
    assert V.label("purposes", "charge") == "Framing of charge" and V.label("purposes", "free text") == "free text"
    assert V.session_of(time(9, 0)) == "morning" and V.session_of(time(8, 0)) == "morning"
    assert V.session_of(time(15, 0)) == "evening"
    with pytest.raises(VocabularyError, match="sessions"):
        parse_vocabulary({"sessions": {"x": {"label": "X", "starts": "9"}}})


def test_no_code_takes_the_servers_date_for_today() -> None:
    """"Today" is the court's day (``court_today``), never the server's zone: a server on UTC is a day
    behind Peshawar from 19:00 to midnight, which would refuse today's date as "in the future" and
    show deadlines a day late. Guards every package of the product."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[3]
    packages = ("config", "i18n", "printing", "casework", "models", "ingest", "ocr", "indexer", "search_app",
                "legalrefs", "caselaw", "jobs", "cli", "stack", "scheduling", "notify", "monitoring")
    server_today = re.compile(r"\bdate\.today\(\)|\bdatetime\.now\(\)|\bdatetime\.today\(\)")
    found = [f"{path.relative_to(root)}:{number}" for package in packages for path in (root / package).rglob("*.py")
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if server_today.search(line)]
    assert found == []
