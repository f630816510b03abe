"""Rows saved before the case form stored one form of an FIR (casework.fir_identity): what is rewritten,
and what collides and is left for an administrator. One row per shape seen in district databases."""

from __future__ import annotations

import pytest

from casework.fir_identity import CaseRow, StationRow, plan_rewrites, station_name


@pytest.mark.parametrize(("typed", "kept"), [
    ("PS Saddar", "Saddar"), ("P.S. Gulbahar", "Gulbahar"), ("Police Station Kabal", "Kabal"),
    ("Thana Town", "Town"), ("تھانہ صدر", "صدر"), ("Psaddar", "Psaddar"), ("تھانہ", "تھانہ"), ("Saddar", "Saddar"),
])
def test_station_name_is_the_case_form_rule(typed: str, kept: str) -> None:
    assert station_name(typed) == kept


def _case(case_id: int, fir: str, station: int = 1, year: int = 2023, number: str = "") -> CaseRow:
    return CaseRow(case_id, fir, year, station, number)


def test_urdu_digits_and_prefixed_stations_are_rewritten() -> None:
    plan = plan_rewrites(
        [StationRow(1, 1, "تھانہ صدر"), StationRow(2, 1, "Gulbahar"), StationRow(3, 2, "PS Saddar")],
        [_case(1, "۴۵۶", number="۱۲/۲۰۲۳"), _case(2, "٣٠٢/A"), _case(3, "77", number="۵"), _case(4, "88")])
    assert plan.stations == {1: "صدر", 3: "Saddar"}  # one "Saddar" per district is no collision
    assert plan.cases == {1: ("456", "12/2023"), 2: ("302/A", ""), 3: ("77", "5")}
    assert plan.collisions == ()


@pytest.mark.parametrize(("cases", "collided"), [
    ([_case(1, "۴۵۶"), _case(2, "456")], (1, 2)),          # the Urdu one beside the Western one
    ([_case(1, "۴۵۶"), _case(2, "٤٥٦")], (1, 2)),          # Urdu and Arabic-Indic digits, both to rewrite
    ([_case(1, "۴۵۶"), _case(2, "456"), _case(3, "٤٥٦")], (1, 2, 3)),
])
def test_two_cases_that_would_be_one_fir_are_left_as_they_are(cases: list[CaseRow], collided: tuple[int, ...]) -> None:
    plan = plan_rewrites([], [*cases, _case(9, "۴۵۶", year=2024), _case(10, "۴۵۶", station=2)])
    assert plan.cases == {9: ("456", ""), 10: ("456", "")}  # another year, another station: no collision
    (collision,) = plan.collisions
    assert (collision.kind, collision.ids, collision.becomes) == ("case", collided, "456")
    assert collision.scope == "FIR year 2023, police station 1"
    assert "1 '۴۵۶'" in collision.describe()


def test_a_collided_case_keeps_its_court_case_number_as_stored() -> None:
    plan = plan_rewrites([], [_case(1, "۴۵۶", number="۱۲"), _case(2, "456")])
    assert plan.cases == {} and plan.collisions[0].ids == (1, 2)


@pytest.mark.parametrize(("names", "collided"), [
    (["PS Saddar", "Saddar"], (1, 2)),
    (["PS Saddar", "Thana Saddar"], (1, 2)),     # both prefixed
    (["PS saddar", "Saddar"], (1, 2)),           # the form finds a station case-insensitively
])
def test_two_stations_that_would_be_one_name_are_left_as_they_are(names: list[str], collided: tuple[int, ...]) -> None:
    stations = [StationRow(i, 1, name) for i, name in enumerate(names, 1)]
    plan = plan_rewrites([*stations, StationRow(9, 2, "PS Saddar")], [])
    assert plan.stations == {9: "Saddar"}
    (collision,) = plan.collisions
    assert (collision.kind, collision.ids, collision.scope) == ("police_station", collided, "district 1")


def test_rows_already_in_one_form_are_not_touched() -> None:
    plan = plan_rewrites([StationRow(1, 1, "Saddar")], [_case(1, "456", number="12/2023")])
    assert (plan.stations, plan.cases, plan.collisions) == ({}, {}, ())
