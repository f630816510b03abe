"""Lifecycle transitions, challan scrutiny, outcomes and the chain of custody, table-driven."""

from __future__ import annotations

from datetime import date

import pytest

from casework.exhibits import CustodyRefused, Handover, check_handover
from casework.outcomes import OutcomeInput, OutcomeRefused, check_outcome
from casework.scrutiny import ObjectionInput, ScrutinyInput, ScrutinyRefused, check_scrutiny, parse_objections
from casework.stages import TransitionRefused, TransitionRequest, check_transition, lifecycle
from models import CaseStage

TODAY = date(2024, 6, 1)
FIR = date(2024, 3, 1)


def test_the_enum_lists_exactly_the_stage_data() -> None:
    assert [s.value for s in CaseStage] == list(lifecycle().stages)


@pytest.mark.parametrize(("source", "target", "role", "code"), [
    ("challan_received", "under_scrutiny", "prosecutor", None),
    ("under_scrutiny", "returned_with_objections", "prosecutor", None),
    ("returned_with_objections", "challan_received", "prosecutor", None),  # resubmitted by the police
    ("returned_with_objections", "challan_received", "data_entry", "role"),  # data entry does not edit cases
    ("accepted", "submitted_to_court", "supervisor", None),
    ("arguments", "judgment", "admin", None),
    ("fir_registered", "judgment", "prosecutor", "not_allowed"),
    ("judgment", "fir_registered", "admin", "not_allowed"),
    ("under_scrutiny", "accepted", "data_entry", "role"),           # a clerk cannot accept a challan
    ("challan_received", "under_scrutiny", "librarian", "role"),
    ("challan_received", "sentenced", "admin", "unknown_stage"),
])
def test_transition_rules(source: str, target: str, role: str, code: str | None) -> None:
    request = TransitionRequest(source, target, role, date(2024, 4, 1))
    if code is None:
        check_transition(request, fir_date=FIR, last_transition_on=date(2024, 3, 20), today=TODAY)
    else:
        with pytest.raises(TransitionRefused) as caught:
            check_transition(request, fir_date=FIR, last_transition_on=None, today=TODAY)
        assert caught.value.code == code


@pytest.mark.parametrize(("on", "last", "code"), [
    (date(2024, 2, 28), None, "before_fir"),
    (date(2024, 6, 2), None, "future_date"),
    (date(2024, 3, 10), date(2024, 3, 15), "before_previous"),
])
def test_transition_dates(on: date, last: date | None, code: str) -> None:
    with pytest.raises(TransitionRefused) as caught:
        check_transition(TransitionRequest("challan_received", "under_scrutiny", "prosecutor", on),
                         fir_date=FIR, last_transition_on=last, today=TODAY)
    assert caught.value.code == code


def test_a_remand_needs_a_note() -> None:
    request = TransitionRequest("appeal_or_revision", "prosecution_evidence", "prosecutor", date(2024, 5, 1))
    with pytest.raises(TransitionRefused, match="Write why"):
        check_transition(request, fir_date=FIR, last_transition_on=None, today=TODAY)
    noted = TransitionRequest("appeal_or_revision", "prosecution_evidence", "prosecutor", date(2024, 5, 1), "remanded")
    check_transition(noted, fir_date=FIR, last_transition_on=None, today=TODAY)


def test_targets_by_role() -> None:
    assert [s.id for s in lifecycle().targets("under_scrutiny", "prosecutor")] == ["returned_with_objections",
                                                                                  "accepted"]
    assert lifecycle().targets("under_scrutiny", "data_entry") == []


@pytest.mark.parametrize(("decision", "objections", "open_before", "decided", "code"), [
    ("returned", (ObjectionInput("fsl_awaited"),), 0, date(2024, 4, 2), None),
    ("accepted", (), 0, date(2024, 4, 2), None),
    ("returned", (), 0, date(2024, 4, 2), "no_objections"),
    ("accepted", (ObjectionInput("mlr_missing"),), 0, date(2024, 4, 2), "open_objections"),
    ("accepted", (), 2, date(2024, 4, 2), "open_objections"),
    ("returned", (ObjectionInput("fsl_awaited"),), 0, date(2024, 3, 30), "before_receipt"),
    ("returned", (ObjectionInput("fsl_awaited"),), 0, date(2024, 6, 2), "future_date"),
    ("approved", (), 0, date(2024, 4, 2), "decision"),
])
def test_scrutiny_rules(decision: str, objections: tuple[ObjectionInput, ...], open_before: int, decided: date,
                        code: str | None) -> None:
    data = ScrutinyInput(decision, decided, objections)  # type: ignore[arg-type]
    if code is None:
        check_scrutiny(data, received_on=date(2024, 4, 1), open_objections=open_before, today=TODAY)
    else:
        with pytest.raises(ScrutinyRefused) as caught:
            check_scrutiny(data, received_on=date(2024, 4, 1), open_objections=open_before, today=TODAY)
        assert caught.value.code == code


@pytest.mark.parametrize(("codes", "text", "expected", "code"), [
    (["statements_161_missing", "fsl_awaited"], "", ["statements_161_missing", "fsl_awaited"], None),
    (["fsl_awaited", "fsl_awaited"], "", ["fsl_awaited"], None),
    (["other"], "Road certificate missing", ["other"], None),
    ([], "Road certificate missing", ["other"], None),
    (["other"], "  ", [], "other_empty"),
    (["no_such_thing"], "", [], "unknown_objection"),
])
def test_parse_objections(codes: list[str], text: str, expected: list[str], code: str | None) -> None:
    if code is None:
        assert [o.code for o in parse_objections(codes, text)] == expected
    else:
        with pytest.raises(ScrutinyRefused) as caught:
            parse_objections(codes, text)
        assert caught.value.code == code


@pytest.mark.parametrize(("result", "judgment", "sentence", "court", "in_court", "code"), [
    ("conviction", date(2024, 5, 1), "Imprisonment for life", "Sessions Judge", None, None),
    ("acquittal", date(2024, 5, 1), "", "Sessions Judge", date(2024, 4, 1), None),
    ("acquittal", date(2024, 2, 1), "", "Sessions Judge", None, "before_fir"),          # judgment before the FIR
    ("acquittal", date(2024, 3, 15), "", "Sessions Judge", date(2024, 4, 1), "before_court"),
    ("conviction", date(2024, 5, 1), "", "Sessions Judge", None, "sentence_needed"),
    ("acquittal", date(2024, 5, 1), "3 years", "Sessions Judge", None, "sentence_not_allowed"),
    ("acquittal", date(2024, 6, 5), "", "Sessions Judge", None, "future_date"),
    ("hanged", date(2024, 5, 1), "", "Sessions Judge", None, "result"),
    ("discharge", date(2024, 5, 1), "", " ", None, "court"),
])
def test_outcome_rules(result: str, judgment: date, sentence: str, court: str, in_court: date | None,
                       code: str | None) -> None:
    data = OutcomeInput(1, result, judgment, court, sentence)
    if code is None:
        check_outcome(data, fir_date=FIR, in_court_on=in_court, today=TODAY)
    else:
        with pytest.raises(OutcomeRefused) as caught:
            check_outcome(data, fir_date=FIR, in_court_on=in_court, today=TODAY)
        assert caught.value.code == code


CHAIN = [Handover(date(2024, 3, 2), "SI Akbar (recovery)", "Moharrir malkhana PS City"),
         Handover(date(2024, 3, 5), "Moharrir malkhana PS City", "FC Zahid (to FSL)")]


@pytest.mark.parametrize(("new", "code"), [
    (Handover(date(2024, 3, 6), "FC Zahid (to FSL)", "FSL Peshawar"), None),
    (Handover(date(2024, 3, 6), "fc  zahid (TO fsl)", "FSL Peshawar"), None),  # spacing and case
    (Handover(date(2024, 3, 6), "Moharrir malkhana PS City", "FSL Peshawar"), "broken_chain"),
    (Handover(date(2024, 3, 4), "FC Zahid (to FSL)", "FSL Peshawar"), "out_of_order"),
    (Handover(date(2024, 6, 2), "FC Zahid (to FSL)", "FSL Peshawar"), "future_date"),
    (Handover(date(2024, 3, 6), "FC Zahid (to FSL)", "FC Zahid (to FSL)"), "same_holder"),
    (Handover(date(2024, 3, 6), "", "FSL Peshawar"), "holder"),
])
def test_chain_of_custody(new: Handover, code: str | None) -> None:
    if code is None:
        check_handover(new, CHAIN, recovered_on=date(2024, 3, 2), today=TODAY)
    else:
        with pytest.raises(CustodyRefused) as caught:
            check_handover(new, CHAIN, recovered_on=date(2024, 3, 2), today=TODAY)
        assert caught.value.code == code


def test_first_handover_not_before_recovery() -> None:
    with pytest.raises(CustodyRefused, match="before the recovery"):
        check_handover(Handover(date(2024, 3, 1), "SI Akbar", "Moharrir"), [], recovered_on=date(2024, 3, 2),
                       today=TODAY)
