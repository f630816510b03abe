"""Pure logic of the web app: case form parsing, section normalisation, calendar periods, scope."""

from __future__ import annotations

from datetime import date

import pytest

from models import PartyRole
from scheduling.periods import parse_view, period
from search_app.auth.scope import Scope
from search_app.views.calendar_support import DayError, parse_day
from search_app.views.case_form import CaseFormError, normalise_sections, parse_case_form

TODAY = date(2026, 11, 28)


@pytest.mark.parametrize(("typed", "keys", "unknown"), [
    ("302 PPC", ("PPC 302",), ()),
    ("302/34 PPC", ("PPC 302", "PPC 34"), ()),
    ("PPC 302(b)", ("PPC 302(b)",), ()),  # act first, as clerks often write it
    ("u/s 324 PPC; 9(c) CNSA", ("PPC 324", "CNSA 9(c)"), ()),
    ("302 PPC, 302 PPC", ("PPC 302",), ()),
    ("murder", (), ("murder",)),
    ("", (), ()),
])
def test_normalise_sections(typed: str, keys: tuple[str, ...], unknown: tuple[str, ...]) -> None:
    assert normalise_sections(typed) == (keys, unknown)


def _form(**overrides: str) -> dict[str, str]:
    form = {"fir_number": "245", "fir_year": "2023", "police_station": "Gulbahar", "district_id": "1",
            "stage": "charge_framed", "sections": "302 PPC"}
    form.update(overrides)
    return form


def test_parse_case_form_keeps_urdu_parties() -> None:
    data = parse_case_form(_form(), (["محمد اسلم", " "], ["complainant", "accused"], ["", ""]),
                           frozenset({1}), TODAY)
    assert data.fir_number == "245" and data.fir_year == 2023 and data.sections == ("PPC 302",)
    assert [(p.name, p.role) for p in data.parties] == [("محمد اسلم", PartyRole.COMPLAINANT)]


def test_numbers_typed_in_urdu_digits_are_stored_in_one_form_and_the_station_without_its_prefix() -> None:
    data = parse_case_form(_form(fir_number="۴۵۶", fir_year="۲۰۲۳", court_case_number="۱۲/۲۰۲۳",
                                 police_station="تھانہ صدر"), ([], [], []), frozenset({1}), TODAY)
    assert (data.fir_number, data.fir_year, data.court_case_number) == ("456", 2023, "12/2023")
    assert data.police_station == "صدر"
    for typed, kept in [("PS Saddar", "Saddar"), ("P.S. Gulbahar", "Gulbahar"), ("Police Station Kabal", "Kabal"),
                        ("Psaddar", "Psaddar"), ("تھانہ", "تھانہ"), ("Thana Town", "Town")]:
        data = parse_case_form(_form(police_station=typed), ([], [], []), frozenset({1}), TODAY)
        assert data.police_station == kept, typed


@pytest.mark.parametrize(("field", "value"), [
    ("fir_number", "12 34"), ("fir_number", ""), ("fir_year", "2030"), ("fir_year", "23"),
    ("district_id", "2"), ("police_station", " "), ("stage", "sentenced"),
])
def test_parse_case_form_rejects(field: str, value: str) -> None:
    with pytest.raises(CaseFormError) as caught:
        parse_case_form(_form(**{field: value}), ([], [], []), frozenset({1}), TODAY)
    assert field in caught.value.errors


def test_party_cnic_checked() -> None:
    with pytest.raises(CaseFormError) as caught:
        parse_case_form(_form(), (["Gul"], ["accused"], ["1234"]), frozenset({1}), TODAY)
    assert "party_cnic_0" in caught.value.errors


@pytest.mark.parametrize(("view", "start", "first", "last"), [
    ("week", "2026-11-28", date(2026, 11, 23), date(2026, 11, 29)),
    ("week", "2026-12-31", date(2026, 12, 28), date(2027, 1, 3)),
    ("month", "2024-02-10", date(2024, 2, 1), date(2024, 2, 29)),
])
def test_calendar_period(view: str, start: str, first: date, last: date) -> None:
    shown = period(parse_view(view), parse_day(start, TODAY))
    assert (shown.first, shown.last) == (first, last)


@pytest.mark.parametrize("start", ["not-a-date", "9999-12-31", "0001-01-01", "2024-13-01"])
def test_calendar_period_refuses_malformed_or_far_dates(start: str) -> None:
    """A 400 with a message, not a silent fallback to today nor an overflow (issue 8, kind 10)."""
    with pytest.raises(DayError):
        parse_day(start, TODAY)


def test_scope_allows() -> None:
    assert Scope(None).allows(7) and Scope(None).is_everything
    assert Scope(frozenset({1, 2})).allows(2) and not Scope(frozenset({1, 2})).allows(3)
    assert not Scope(frozenset()).allows(None) and not Scope.of(None).allows(1)
