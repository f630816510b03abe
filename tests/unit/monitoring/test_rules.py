"""Pure rules of the monitoring area, without services: who may review, the steps of a review, the
rotation, the checklist data, the UN indicator's scoring and spreadsheet-safe exports."""

from __future__ import annotations

import io

import pytest

from monitoring.checklists import ReviewDataError, _parse, rules
from monitoring.exports import LabelledTable, figures_csv, figures_xlsx, safe_text
from monitoring.indicator import indicator
from monitoring.review import (
    CaseFacts,
    FindingInput,
    Person,
    ReviewRefused,
    ReviewState,
    Status,
    after_answer,
    after_submit,
    can_see,
    check_answer,
    check_assign,
    check_finding,
    check_reviewer,
    check_reviewer_step,
    check_sign_off,
    check_submit,
    pick_from_rotation,
)

CASE = CaseFacts(case_id=1, district_id=10, prosecutor_id=1, stage="charge_framed")
OWNER = Person(1, "prosecutor", frozenset({10}))
PEER = Person(2, "prosecutor", frozenset({10}))
FAR = Person(3, "prosecutor", frozenset({20}))
CHIEF = Person(4, "supervisor", frozenset({10}))
OTHER_CHIEF = Person(5, "supervisor", frozenset({20}))
HEAD = Person(6, "supervisor", frozenset(), all_districts=True)
ADMIN = Person(7, "admin", frozenset(), all_districts=True)


@pytest.mark.parametrize(("candidate", "code"), [
    (OWNER, "own_case"),
    (FAR, "other_district"),
    (CHIEF, "not_prosecutor"),
    (Person(8, "prosecutor", frozenset({10}), active=False), "inactive"),
    (Person(9, "prosecutor", frozenset(), all_districts=True), "other_district"),  # named for the district only
])
def test_who_may_not_review(candidate: Person, code: str) -> None:
    with pytest.raises(ReviewRefused) as refused:
        check_reviewer(candidate, CASE)
    assert refused.value.code == code


def test_a_same_district_prosecutor_may_review() -> None:
    check_reviewer(PEER, CASE)


@pytest.mark.parametrize(("actor", "case", "open_reviews", "code"), [
    (PEER, CASE, 0, "not_supervisor"),
    (OTHER_CHIEF, CASE, 0, "not_supervisor"),
    (CHIEF, CaseFacts(1, 10, 1, "charge_framed", sealed=True), 0, "sealed"),
    (CHIEF, CaseFacts(1, 10, None, "charge_framed"), 0, "no_prosecutor"),
    (CHIEF, CASE, 1, "already_open"),
])
def test_assignment_refusals(actor: Person, case: CaseFacts, open_reviews: int, code: str) -> None:
    with pytest.raises(ReviewRefused) as refused:
        check_assign(actor, PEER, case, open_reviews)
    assert refused.value.code == code


@pytest.mark.parametrize("actor", [CHIEF, HEAD, ADMIN])
def test_supervisors_of_the_district_head_office_and_admins_assign(actor: Person) -> None:
    check_assign(actor, PEER, CASE, 0)


def test_the_reviewer_steps() -> None:
    state = ReviewState(Status.IN_REVIEW, PEER.user_id, CASE)
    check_reviewer_step(PEER, state)
    for actor, code in ((OWNER, "not_reviewer"), (CHIEF, "not_reviewer")):
        with pytest.raises(ReviewRefused) as refused:
            check_reviewer_step(actor, state)
        assert refused.value.code == code
    now_theirs = ReviewState(Status.IN_REVIEW, PEER.user_id, CaseFacts(1, 10, PEER.user_id, "charge_framed"))
    with pytest.raises(ReviewRefused, match="now this case's prosecutor"):
        check_reviewer_step(PEER, now_theirs)
    with pytest.raises(ReviewRefused) as refused:
        check_reviewer_step(PEER, ReviewState(Status.AWAITING_ANSWERS, PEER.user_id, CASE))
    assert refused.value.code == "submitted"


def test_submit_needs_every_item_and_a_finding_for_each_no() -> None:
    checklist = rules().for_stage("charge_framed")
    codes = [i.code for i in checklist.items]
    with pytest.raises(ReviewRefused) as refused:
        check_submit(checklist, {codes[0]: "yes"}, set())
    assert refused.value.code == "unanswered"
    answers = dict.fromkeys(codes, "yes") | {codes[1]: "no"}
    with pytest.raises(ReviewRefused) as refused:
        check_submit(checklist, answers, set())
    assert refused.value.code == "finding_needed"
    check_submit(checklist, answers, {codes[1]})
    assert after_submit(0) is Status.AWAITING_SIGN_OFF and after_submit(2) is Status.AWAITING_ANSWERS
    assert after_answer(1) is Status.AWAITING_ANSWERS and after_answer(0) is Status.AWAITING_SIGN_OFF


@pytest.mark.parametrize(("finding", "code"), [
    (FindingInput("no_such_item", "minor", "x"), "unknown_item"),
    (FindingInput("", "grave", "x"), "severity"),
    (FindingInput("", "minor", "   "), "text_needed"),
    (FindingInput("", "minor", "x" * 6000), "too_long"),
])
def test_finding_checks(finding: FindingInput, code: str) -> None:
    with pytest.raises(ReviewRefused) as refused:
        check_finding(rules(), rules().for_stage("charge_framed"), finding)
    assert refused.value.code == code


def test_answers_and_sign_off() -> None:
    waiting = ReviewState(Status.AWAITING_ANSWERS, PEER.user_id, CASE)
    check_answer(OWNER, waiting, "corrected", "done", rules().answers)
    for actor, kind, text, code in ((PEER, "corrected", "x", "not_prosecutor"), (OWNER, "maybe", "x", "answer_kind"),
                                    (OWNER, "explained", " ", "answer_needed")):
        with pytest.raises(ReviewRefused) as refused:
            check_answer(actor, waiting, kind, text, rules().answers)
        assert refused.value.code == code
    ready = ReviewState(Status.AWAITING_SIGN_OFF, PEER.user_id, CASE)
    check_sign_off(CHIEF, ready)
    check_sign_off(HEAD, ready)
    for actor, state, code in ((OTHER_CHIEF, ready, "not_supervisor"), (PEER, ready, "not_supervisor"),
                               (CHIEF, waiting, "not_ready")):
        with pytest.raises(ReviewRefused) as refused:
            check_sign_off(actor, state)
        assert refused.value.code == code


def test_who_reads_a_review() -> None:
    state = ReviewState(Status.IN_REVIEW, PEER.user_id, CASE)
    assert all(can_see(p, state) for p in (PEER, OWNER, CHIEF, HEAD, ADMIN))
    assert not any(can_see(p, state) for p in (FAR, OTHER_CHIEF, Person(9, "prosecutor", frozenset({10}))))


@pytest.mark.parametrize(("members", "last", "eligible", "exclude", "expected"), [
    ([1, 2, 3], None, {1, 2, 3}, set(), 1),
    ([1, 2, 3], 1, {1, 2, 3}, set(), 2),
    ([1, 2, 3], 3, {1, 2, 3}, set(), 1),          # wraps round
    ([1, 2, 3], 1, {1, 2, 3}, {2}, 3),            # skips the case's own prosecutor
    ([1, 2, 3], 1, {1, 3}, set(), 3),             # skips a member no longer eligible
    ([1, 2], 1, {1, 2}, {1, 2}, None),
    ([], None, {1}, set(), None),
    ([4, 5], 99, {4, 5}, set(), 4),               # last not in the rotation: start at the first
])
def test_rotation_order(members: list[int], last: int | None, eligible: set[int], exclude: set[int],
                        expected: int | None) -> None:
    assert pick_from_rotation(members, last, eligible, exclude) == expected


def test_checklists_cover_every_stage_and_bad_data_is_refused() -> None:
    from casework.stages import lifecycle

    data = rules()
    for stage in lifecycle().stages:
        assert data.for_stage(stage).items
    assert all(item.group for item in data.items.values())
    with pytest.raises(ReviewDataError, match="unknown items"):
        _parse({"item": {}, "checklist": {"x": {"label": "x", "stages": ["closed"], "items": ["nope"]}}})
    with pytest.raises(ReviewDataError, match="without a checklist"):
        _parse({"item": {"a": {"label": "a", "group": "g"}},
                "checklist": {"x": {"label": "x", "stages": ["closed"], "items": ["a"]}},
                "severity": {"minor": {"label": "m", "rank": 1}}})


@pytest.mark.parametrize(("recorded", "files", "score"), [
    (10, 10, 4), (9, 10, 3), (75, 100, 3), (74, 100, 2), (50, 100, 2), (49, 100, 1), (0, 5, 1), (0, 0, None),
])
def test_un_indicator_scoring(recorded: int, files: int, score: int | None) -> None:
    assert indicator().score(recorded, files) == score


def test_exports_are_spreadsheet_safe() -> None:
    from openpyxl import load_workbook

    assert safe_text("=HYPERLINK(\"x\")") == "'=HYPERLINK(\"x\")" and safe_text("-1+1") == "'-1+1"
    assert safe_text("Amina") == "Amina" and safe_text(-3) == -3
    table = LabelledTable("caseload", "Caseload per prosecutor", "Open cases", "cases",
                          [("7", "=cmd|' /C calc'!A0")], [("trial", "Trial"), ("decided", "Decided")], [[3, 4]])
    text = figures_csv([table], ["figure", "title", "row key", "row", "series key", "series", "value"])
    assert "'=cmd" in text and text.count("\n") == 3
    book = load_workbook(io.BytesIO(figures_xlsx([table], [("Report", "Caseload")], "Total")))
    sheet = book["Caseload per prosecutor"]
    assert sheet["A5"].value == "'=cmd|' /C calc'!A0" and sheet["D5"].value == 7
