"""Peer review rules, free of the database: who may review a case, what each person may do at each
step, and when a review may move on. Every check raises ``ReviewRefused`` (code + a message a clerk
understands, marked for translation) before anything is written.

The steps (``Status``)::

    assigned --save checklist / add finding--> in_review --submit--> awaiting_answers --all answered-->
    awaiting_sign_off --sign off--> signed_off          (no findings: submit goes to awaiting_sign_off)
    any step before signed_off --withdraw--> withdrawn

Who: a supervisor of the case's district (or a province-level supervisor, or an administrator) assigns,
reassigns, withdraws and signs off; the reviewer, a prosecutor of the case's district who is never the
case's own prosecutor, works the checklist and records findings; the case's prosecutor answers each
finding. Source: the department's peer monitoring ("oversight, accountability and transparency during
the various stages of the criminal justice process", the seed system's purpose) and the supervisory
powers of the District Public Prosecutor (KP Prosecution Service Act 2005 s.7).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from casework.errors import CaseRuleError
from i18n import N_
from monitoring.checklists import Checklist, ReviewRules


class ReviewRefused(CaseRuleError):
    """A review step the rules do not allow (``code`` says which)."""


class Status(StrEnum):
    ASSIGNED = "assigned"
    IN_REVIEW = "in_review"
    AWAITING_ANSWERS = "awaiting_answers"
    AWAITING_SIGN_OFF = "awaiting_sign_off"
    SIGNED_OFF = "signed_off"
    WITHDRAWN = "withdrawn"


STATUS_LABELS = {
    Status.ASSIGNED: N_("Assigned"), Status.IN_REVIEW: N_("Being reviewed"),
    Status.AWAITING_ANSWERS: N_("Awaiting the prosecutor's answers"),
    Status.AWAITING_SIGN_OFF: N_("Awaiting sign-off"), Status.SIGNED_OFF: N_("Signed off"),
    Status.WITHDRAWN: N_("Withdrawn"),
}
OPEN_STATUSES = frozenset({Status.ASSIGNED, Status.IN_REVIEW, Status.AWAITING_ANSWERS, Status.AWAITING_SIGN_OFF})
REVIEWER_STEPS = frozenset({Status.ASSIGNED, Status.IN_REVIEW})
CHECK_ANSWERS = ("yes", "no", "na")
MAX_TEXT = 5000


@dataclass(frozen=True)
class Person:
    """A user as the rules see them: id, role, districts and whether they see every district."""

    user_id: int
    role: str
    district_ids: frozenset[int] = frozenset()
    all_districts: bool = False
    active: bool = True

    def in_district(self, district_id: int) -> bool:
        return self.all_districts or district_id in self.district_ids


@dataclass(frozen=True)
class CaseFacts:
    """What the rules need of the case under review."""

    case_id: int
    district_id: int
    prosecutor_id: int | None  # the case's assigned prosecutor now
    stage: str
    sealed: bool = False


@dataclass(frozen=True)
class ReviewState:
    """What the rules need of a review."""

    status: str
    reviewer_id: int
    case: CaseFacts


def supervises(person: Person, district_id: int) -> bool:
    """Whether ``person`` may assign, reassign, withdraw and sign off reviews of ``district_id``:
    supervisors of that district, province-level supervisors and administrators."""
    if person.role == "admin":
        return True
    return person.role == "supervisor" and person.in_district(district_id)


def check_reviewer(candidate: Person, case: CaseFacts) -> None:
    """Raise ``ReviewRefused`` unless ``candidate`` may review ``case``: an active prosecutor of the
    case's district (named there, not province-wide by default) who is not the case's prosecutor."""
    if candidate.user_id == case.prosecutor_id:
        raise ReviewRefused("own_case", N_("A prosecutor cannot review their own case; choose another reviewer."),
                            field="reviewer_id")
    if not candidate.active:
        raise ReviewRefused("inactive", N_("This user's account is not active."), field="reviewer_id")
    if candidate.role != "prosecutor":
        raise ReviewRefused("not_prosecutor", N_("Reviews are done by prosecutors; choose a prosecutor."),
                            field="reviewer_id")
    if case.district_id not in candidate.district_ids:
        raise ReviewRefused("other_district", N_("The reviewer must be a prosecutor of the case's district."),
                            field="reviewer_id")


def check_assign(actor: Person, reviewer: Person, case: CaseFacts, open_reviews: int) -> None:
    """A new review of ``case`` by ``reviewer``, assigned by ``actor``."""
    if not supervises(actor, case.district_id):
        raise ReviewRefused("not_supervisor", N_("Only a supervisor of the case's district assigns reviews."))
    if case.sealed:
        raise ReviewRefused("sealed", N_("A sealed case is not given to another prosecutor for review."))
    if case.prosecutor_id is None:
        raise ReviewRefused("no_prosecutor", N_("Assign the case to a prosecutor first: their work is what is "
                                                "reviewed and they answer the findings."))
    if open_reviews:
        raise ReviewRefused("already_open", N_("This case already has a review under way."))
    check_reviewer(reviewer, case)


def check_reassign(actor: Person, state: ReviewState, reviewer: Person) -> None:
    if not supervises(actor, state.case.district_id):
        raise ReviewRefused("not_supervisor", N_("Only a supervisor of the case's district reassigns reviews."))
    if state.status not in REVIEWER_STEPS:
        raise ReviewRefused("submitted", N_("The review has been submitted; it can no longer be reassigned."))
    if reviewer.user_id == state.reviewer_id:
        raise ReviewRefused("same_reviewer", N_("Choose a different reviewer."), field="reviewer_id")
    check_reviewer(reviewer, state.case)


def check_withdraw(actor: Person, state: ReviewState, reason: str) -> None:
    if not supervises(actor, state.case.district_id):
        raise ReviewRefused("not_supervisor", N_("Only a supervisor of the case's district withdraws reviews."))
    if state.status not in OPEN_STATUSES:
        raise ReviewRefused("closed", N_("This review is already closed."))
    if not reason.strip():
        raise ReviewRefused("reason_needed", N_("Write why the review is withdrawn."), field="reason")


def check_reviewer_step(actor: Person, state: ReviewState) -> None:
    """The reviewer works the checklist and the findings (assigned or in review only)."""
    if actor.user_id != state.reviewer_id:
        raise ReviewRefused("not_reviewer", N_("Only the assigned reviewer works on this review."))
    if actor.user_id == state.case.prosecutor_id:
        raise ReviewRefused("own_case", N_("You are now this case's prosecutor, so you cannot review it; ask your "
                                           "supervisor to reassign the review."))
    if state.status not in REVIEWER_STEPS:
        raise ReviewRefused("submitted", N_("The review has been submitted; it can no longer be changed."))


def check_checks(checklist: Checklist, answers: Mapping[str, str]) -> None:
    """Checklist answers: items of this checklist, each yes / no / na."""
    codes = {item.code for item in checklist.items}
    for item, answer in answers.items():
        if item not in codes:
            raise ReviewRefused("unknown_item", N_("The checklist has no item %(item)s."), item=item)
        if answer not in CHECK_ANSWERS:
            raise ReviewRefused("bad_answer", N_("Answer each item with yes, no or not applicable."), field=item)


@dataclass(frozen=True)
class FindingInput:
    item: str  # checklist item code, or "" for a finding of no particular item
    severity: str
    text: str
    pages: tuple[tuple[int, int], ...] = ()


def check_finding(rules: ReviewRules, checklist: Checklist, finding: FindingInput) -> None:
    if finding.item and finding.item not in {i.code for i in checklist.items}:
        raise ReviewRefused("unknown_item", N_("Choose an item of this review's checklist."), field="item")
    if rules.severity(finding.severity) is None:
        raise ReviewRefused("severity", N_("Choose how serious the finding is."), field="severity")
    if not finding.text.strip():
        raise ReviewRefused("text_needed", N_("Write what is wrong."), field="text")
    if len(finding.text) > MAX_TEXT:
        raise ReviewRefused("too_long", N_("The finding is too long (at most %(n)s characters)."), field="text",
                            n=MAX_TEXT)


def check_submit(checklist: Checklist, answers: Mapping[str, str], finding_items: Collection[str]) -> None:
    """Submit: every item answered; every item answered "no" has a finding."""
    missing = [item.label for item in checklist.items if item.code not in answers]
    if missing:
        raise ReviewRefused("unanswered", N_("Answer every item of the checklist first (%(n)s left)."),
                            n=len(missing))
    without = [item.label for item in checklist.items if answers.get(item.code) == "no"
               and item.code not in finding_items]
    if without:
        raise ReviewRefused("finding_needed", N_("Record a finding for each item answered “no” (%(item)s)."),
                            item=without[0])


def after_submit(findings: int) -> Status:
    return Status.AWAITING_ANSWERS if findings else Status.AWAITING_SIGN_OFF


def may_answer(actor: Person, state: ReviewState) -> bool:
    """The case's prosecutor (an administrator too) answers findings while answers are awaited."""
    return state.status == Status.AWAITING_ANSWERS and (
        actor.user_id == state.case.prosecutor_id or actor.role == "admin")


def check_answer(actor: Person, state: ReviewState, kind: str, text: str, kinds: Collection[str]) -> None:
    if state.status != Status.AWAITING_ANSWERS:
        raise ReviewRefused("not_awaiting", N_("This review is not waiting for answers."))
    if not may_answer(actor, state):
        raise ReviewRefused("not_prosecutor", N_("Only the case's prosecutor answers the findings."))
    if kind not in kinds:
        raise ReviewRefused("answer_kind", N_("Choose whether the finding was corrected, explained or disputed."),
                            field="kind")
    if not text.strip():
        raise ReviewRefused("answer_needed", N_("Write your answer to the finding."), field="answer")
    if len(text) > MAX_TEXT:
        raise ReviewRefused("too_long", N_("The answer is too long (at most %(n)s characters)."), field="answer",
                            n=MAX_TEXT)


def after_answer(unanswered: int) -> Status:
    return Status.AWAITING_ANSWERS if unanswered else Status.AWAITING_SIGN_OFF


def check_sign_off(actor: Person, state: ReviewState) -> None:
    if not supervises(actor, state.case.district_id):
        raise ReviewRefused("not_supervisor", N_("Only a supervisor of the case's district signs a review off."))
    if actor.user_id == state.reviewer_id:
        raise ReviewRefused("own_review", N_("The reviewer cannot sign off their own review."))
    if state.status != Status.AWAITING_SIGN_OFF:
        raise ReviewRefused("not_ready", N_("A review is signed off once it is submitted and every finding is "
                                            "answered."))


def can_see(actor: Person, state: ReviewState) -> bool:
    """Who reads a review (beside the case's own scope, checked in SQL): the reviewer, the case's
    prosecutor, the district's supervisors and administrators."""
    return (actor.user_id in (state.reviewer_id, state.case.prosecutor_id)
            or supervises(actor, state.case.district_id))


def pick_from_rotation(members: Sequence[int], last_user_id: int | None, eligible: Collection[int],
                       exclude: Collection[int | None] = ()) -> int | None:
    """The next reviewer of a rotation: the first member after ``last_user_id`` (in the rotation's order,
    wrapping round) who is ``eligible`` and not in ``exclude`` (the case's own prosecutor); None if
    nobody qualifies. ``last_user_id`` not in the rotation (or None) starts from the first member."""
    if not members:
        return None
    start = members.index(last_user_id) + 1 if last_user_id in members else 0
    for offset in range(len(members)):
        member = members[(start + offset) % len(members)]
        if member in eligible and member not in exclude:
            return member
    return None


__all__ = [
    "CHECK_ANSWERS", "OPEN_STATUSES", "STATUS_LABELS", "CaseFacts", "FindingInput", "Person", "ReviewRefused",
    "ReviewState", "Status", "after_answer", "after_submit", "can_see", "check_answer", "check_assign",
    "check_checks", "check_finding", "check_reassign", "check_reviewer", "check_reviewer_step", "check_sign_off",
    "check_submit", "check_withdraw", "may_answer", "pick_from_rotation", "supervises",
]
