"""Peer-review actions over the SQL models: the one place the web pages and the API call to change a
review. Each function checks with the pure rules (``monitoring.review``), raises ``ReviewRefused``
before writing anything, otherwise adds rows (and a ``ReviewEvent`` for the history) to the caller's
session and notifies the people concerned through ``notify``; the caller commits together with its
audit row. The caller has already checked that the user may see the case (district scope, sealed
cases); the rules here decide the rest (reviewer, the case's prosecutor, the district's supervisors).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from i18n import N_
from i18n.reader import reader_for
from models import (
    Case,
    CaseReview,
    Document,
    Page,
    ReviewCheck,
    ReviewEvent,
    ReviewFinding,
    ReviewRotation,
    Role,
    User,
    utcnow,
)
from monitoring import review as rules
from monitoring.checklists import Checklist
from monitoring.checklists import rules as review_rules
from monitoring.review import FindingInput, Person, ReviewRefused, ReviewState, Status
from notify import notify

REVIEW_AGAIN_AFTER_DAYS = 180  # a case signed off this recently is not picked again by a rotation


def person(user: User) -> Person:
    return Person(user.id, str(user.role), frozenset(user.district_ids), bool(user.all_districts), bool(user.is_active))


def case_facts(case: Case) -> rules.CaseFacts:
    return rules.CaseFacts(case.id, case.district_id, case.assigned_prosecutor_id, str(case.stage), bool(case.sealed))


def state(review: CaseReview, case: Case) -> ReviewState:
    return ReviewState(review.status, review.reviewer_id, case_facts(case))


def checklist_of(review: CaseReview) -> Checklist:
    return review_rules().checklists[review.checklist]


def link(review: CaseReview) -> str:
    return f"/reviews/{review.id}"


def _event(db: Session, review: CaseReview, action: str, actor: User, **detail: object) -> None:
    db.add(ReviewEvent(review_id=review.id, action=action, actor_id=actor.id, at=utcnow(), detail=dict(detail)))


def _notify(db: Session, user_ids: Iterable[int | None], kind: str, key: str, subject: str, body: str,
            review: CaseReview, case: Case, *, skip: int | None = None, labels: Mapping[str, str] | None = None,
            **params: object) -> None:
    """Tell each of ``user_ids`` (but ``skip``) about ``review``, in the language they chose:
    ``subject`` and ``body`` are catalog messages (``N_``) filled with ``case`` (the FIR label as that
    reader reads it), ``labels`` (display labels of the data files, translated) and ``params``
    (numbers in the reader's digits)."""
    for user_id in dict.fromkeys(u for u in user_ids if u is not None and u != skip):
        user = db.get(User, user_id)
        if user is None:
            continue
        reader = reader_for(user)
        values = {"case": reader.fir(case.fir_number, case.fir_year, case.police_station.name),
                  **{k: reader.gettext(v) for k, v in (labels or {}).items()},
                  **{k: reader.format.text(v) if isinstance(v, int) else v for k, v in params.items()}}
        notify(db, user_id, kind, reader.gettext(subject, **values), reader.gettext(body, **values), link(review),
               key=f"{key}:{review.id}:{user_id}", case_id=review.case_id)


def district_supervisors(db: Session, district_id: int) -> list[int]:
    """Active supervisors named for ``district_id`` (province-wide supervisors follow the dashboards)."""
    from scheduling.store import supervisors_of

    return [u.id for u in supervisors_of(db, district_id)]


# --- reading -----------------------------------------------------------------------------------------------
def open_review(db: Session, case_id: int) -> CaseReview | None:
    return db.scalar(select(CaseReview).where(CaseReview.case_id == case_id,
                                              CaseReview.status.in_([str(s) for s in rules.OPEN_STATUSES])))


def reviews_of_case(db: Session, case_id: int) -> list[CaseReview]:
    return list(db.scalars(select(CaseReview).where(CaseReview.case_id == case_id)
                           .order_by(CaseReview.assigned_at.desc(), CaseReview.id.desc())))


def eligible_reviewers(db: Session, case: Case) -> list[User]:
    """Active prosecutors named for the case's district, other than the case's own prosecutor, by name."""
    from models import user_districts

    stmt = (select(User).join(user_districts, user_districts.c.user_id == User.id)
            .where(user_districts.c.district_id == case.district_id, User.role == Role.PROSECUTOR,
                   User.is_active.is_(True)))
    if case.assigned_prosecutor_id is not None:
        stmt = stmt.where(User.id != case.assigned_prosecutor_id)
    return sorted(db.scalars(stmt).unique(), key=lambda u: (u.full_name or u.username).lower())


def _user(db: Session, user_id: int | None) -> User:
    found = db.get(User, user_id) if user_id else None
    if found is None:
        raise ReviewRefused("no_reviewer", N_("Choose a reviewer."), field="reviewer_id")
    return found


# --- assignment --------------------------------------------------------------------------------------------
def assign(db: Session, case: Case, reviewer_id: int | None, actor: User, *, via: str = "supervisor",
           due_on: date | None = None, note: str = "", today: date) -> CaseReview:
    """A new review of ``case`` by ``reviewer_id``. Raises ``ReviewRefused`` (own case, other district,
    not a prosecutor, a review already under way, a sealed case, no prosecutor on the case, a due date
    already past)."""
    reviewer = _user(db, reviewer_id)
    facts = case_facts(case)
    rules.check_assign(person(actor), person(reviewer), facts, 1 if open_review(db, case.id) else 0)
    if due_on is not None and due_on < today:
        raise ReviewRefused("past_due", N_("The due date cannot be in the past."), field="due_on")
    checklist = review_rules().for_stage(str(case.stage))
    review = CaseReview(case_id=case.id, reviewer_id=reviewer.id, prosecutor_id=case.assigned_prosecutor_id,
                        assigned_by_id=actor.id, assigned_via=via, checklist=checklist.id, stage=str(case.stage),
                        status=str(Status.ASSIGNED), due_on=due_on, note=note.strip()[:rules.MAX_TEXT],
                        assigned_at=utcnow(), sign_off_note="")
    db.add(review)
    db.flush()
    _event(db, review, "assigned", actor, reviewer_id=reviewer.id, via=via,
           due_on=due_on.isoformat() if due_on else None)
    _notify(db, [reviewer.id], "review_assigned", "assigned", N_("Peer review: %(case)s"),
            N_("You are asked to review the file of %(case)s (%(checklist)s checklist)."), review, case,
            labels={"checklist": checklist.label})
    return review


def reassign(db: Session, review: CaseReview, case: Case, reviewer_id: int | None, actor: User) -> None:
    reviewer = _user(db, reviewer_id)
    rules.check_reassign(person(actor), state(review, case), person(reviewer))
    previous = review.reviewer_id
    review.reviewer_id = reviewer.id
    _event(db, review, "reassigned", actor, reviewer_id=reviewer.id, previous_reviewer_id=previous)
    _notify(db, [reviewer.id], "review_assigned", "assigned", N_("Peer review: %(case)s"),
            N_("You are asked to review the file of %(case)s."), review, case)


def withdraw(db: Session, review: CaseReview, case: Case, actor: User, reason: str) -> None:
    rules.check_withdraw(person(actor), state(review, case), reason)
    review.status = str(Status.WITHDRAWN)
    _event(db, review, "withdrawn", actor, reason=reason.strip()[:2000])


# --- the reviewer's work -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class CheckInput:
    answer: str
    note: str = ""


def save_checks(db: Session, review: CaseReview, case: Case, actor: User, answers: Mapping[str, CheckInput]) -> None:
    """Store the reviewer's checklist answers (only the items given; others keep theirs)."""
    rules.check_reviewer_step(person(actor), state(review, case))
    given = {item: value for item, value in answers.items() if value.answer}
    rules.check_checks(checklist_of(review), {item: value.answer for item, value in given.items()})
    existing = {c.item: c for c in review.checks}
    for item, value in given.items():
        row = existing.get(item)
        if row is None:
            review.checks.append(ReviewCheck(item=item, answer=value.answer, note=value.note.strip()[:2000],
                                             answered_at=utcnow()))
        elif (row.answer, row.note) != (value.answer, value.note.strip()[:2000]):
            row.answer, row.note, row.answered_at = value.answer, value.note.strip()[:2000], utcnow()
    review.status = str(Status.IN_REVIEW)
    _event(db, review, "checklist_saved", actor, answered=len(given))


def check_pages(db: Session, case: Case, pages: Sequence[tuple[int, int]]) -> None:
    """Page references must be pages of this case's own documents."""
    if not pages:
        return
    wanted = set(pages)
    found = set(db.execute(select(Page.document_id, Page.page_no).join(Document, Document.id == Page.document_id)
                           .where(Document.case_id == case.id,
                                  Page.document_id.in_({d for d, _ in wanted}))).tuples())
    missing = sorted(wanted - found)
    if missing:
        raise ReviewRefused("foreign_pages", N_("Page %(doc)s:%(page)s is not a page of this case's documents."),
                            field="pages", doc=missing[0][0], page=missing[0][1])


def add_finding(db: Session, review: CaseReview, case: Case, actor: User, finding: FindingInput) -> ReviewFinding:
    rules.check_reviewer_step(person(actor), state(review, case))
    rules.check_finding(review_rules(), checklist_of(review), finding)
    check_pages(db, case, finding.pages)
    row = ReviewFinding(case_id=case.id, item=finding.item, severity=finding.severity, text=finding.text.strip(),
                        pages=[list(p) for p in finding.pages], created_by_id=actor.id, created_at=utcnow(),
                        answer_kind="", answer="")
    review.findings.append(row)
    review.status = str(Status.IN_REVIEW)
    db.flush()
    _event(db, review, "finding_added", actor, finding_id=row.id, item=row.item, severity=row.severity)
    return row


def delete_finding(db: Session, review: CaseReview, case: Case, actor: User, finding: ReviewFinding) -> None:
    rules.check_reviewer_step(person(actor), state(review, case))
    _event(db, review, "finding_removed", actor, finding_id=finding.id, item=finding.item, text=finding.text[:300])
    review.findings.remove(finding)


def submit(db: Session, review: CaseReview, case: Case, actor: User) -> Status:
    """Send the review on: to the case's prosecutor when there are findings, else to sign-off."""
    rules.check_reviewer_step(person(actor), state(review, case))
    answers = {c.item: c.answer for c in review.checks}
    rules.check_submit(checklist_of(review), answers, {f.item for f in review.findings if f.item})
    status = rules.after_submit(len(review.findings))
    review.status, review.submitted_at = str(status), utcnow()
    review.prosecutor_id = case.assigned_prosecutor_id  # who answers: the case's prosecutor now
    _event(db, review, "submitted", actor, findings=len(review.findings))
    if status is Status.AWAITING_ANSWERS:
        _notify(db, [case.assigned_prosecutor_id], "review_findings", "findings",
                N_("Review findings to answer: %(case)s"),
                N_("A peer review of %(case)s recorded %(n)s finding(s); answer each one."), review, case,
                n=len(review.findings))
    else:
        _ready_for_sign_off(db, review, case)
    return status


def _ready_for_sign_off(db: Session, review: CaseReview, case: Case) -> None:
    _notify(db, district_supervisors(db, case.district_id), "review_ready", "ready",
            N_("Review ready for sign-off: %(case)s"),
            N_("The peer review of %(case)s is complete and waits for your sign-off."), review, case)


# --- the prosecutor's answers and the sign-off --------------------------------------------------------------
def answer(db: Session, review: CaseReview, case: Case, actor: User, finding: ReviewFinding, kind: str,
           text: str) -> Status:
    rules.check_answer(person(actor), state(review, case), kind, text, review_rules().answers)
    finding.answer_kind, finding.answer = kind, text.strip()
    finding.answered_by_id, finding.answered_at = actor.id, utcnow()
    unanswered = sum(1 for f in review.findings if not f.answer_kind)
    status = rules.after_answer(unanswered)
    review.status = str(status)
    _event(db, review, "answered", actor, finding_id=finding.id, kind=kind)
    if status is Status.AWAITING_SIGN_OFF:
        _ready_for_sign_off(db, review, case)
    return status


def sign_off(db: Session, review: CaseReview, case: Case, actor: User, note: str) -> None:
    rules.check_sign_off(person(actor), state(review, case))
    review.status, review.signed_off_at, review.signed_off_by_id = str(Status.SIGNED_OFF), utcnow(), actor.id
    review.sign_off_note = note.strip()[:rules.MAX_TEXT]
    _event(db, review, "signed_off", actor)
    _notify(db, [review.reviewer_id, review.prosecutor_id], "review_signed_off", "signed_off",
            N_("Review signed off: %(case)s"), N_("The supervisor signed off the peer review of %(case)s."),
            review, case, skip=actor.id)


# --- rotations ---------------------------------------------------------------------------------------------
def rotation(db: Session, district_id: int) -> ReviewRotation | None:
    return db.get(ReviewRotation, district_id)


def district_prosecutors(db: Session, district_id: int) -> list[User]:
    from models import user_districts

    stmt = (select(User).join(user_districts, user_districts.c.user_id == User.id)
            .where(user_districts.c.district_id == district_id, User.role == Role.PROSECUTOR,
                   User.is_active.is_(True)))
    return sorted(db.scalars(stmt).unique(), key=lambda u: (u.full_name or u.username).lower())


def set_rotation(db: Session, district_id: int, members: Sequence[int], cases_per_run: int,
                 actor: User) -> ReviewRotation:
    """The district's rotation: reviewers in turn (active prosecutors of the district, each once)."""
    if not rules.supervises(person(actor), district_id):
        raise ReviewRefused("not_supervisor", N_("Only a supervisor of the district sets its review rotation."))
    allowed = {u.id for u in district_prosecutors(db, district_id)}
    order = list(dict.fromkeys(members))
    if any(m not in allowed for m in order):
        raise ReviewRefused("not_member", N_("A rotation lists active prosecutors of the district only."),
                            field="members")
    if len(order) < 2:
        raise ReviewRefused("too_few", N_("A rotation needs at least two prosecutors (nobody reviews their own "
                                          "cases)."), field="members")
    if not 1 <= cases_per_run <= 100:
        raise ReviewRefused("cases_per_run", N_("Choose between 1 and 100 cases per run."), field="cases_per_run")
    row = rotation(db, district_id) or ReviewRotation(district_id=district_id)
    row.members, row.cases_per_run, row.updated_by_id, row.updated_at = order, cases_per_run, actor.id, utcnow()
    db.add(row)
    return row


def rotation_candidates(db: Session, district_id: int, today: date, limit: int) -> list[Case]:
    """Cases a rotation run picks: open, not sealed, with a prosecutor, no review under way and none
    signed off in the last ``REVIEW_AGAIN_AFTER_DAYS`` days; never-reviewed first, then the oldest
    review, then the oldest FIR."""
    recent = utcnow() - timedelta(days=REVIEW_AGAIN_AFTER_DAYS)
    busy = select(CaseReview.case_id).where(or_(
        CaseReview.status.in_([str(s) for s in rules.OPEN_STATUSES]),
        (CaseReview.status == str(Status.SIGNED_OFF)) & (CaseReview.signed_off_at >= recent)))
    last = (select(CaseReview.case_id, func.max(CaseReview.assigned_at).label("last"))
            .group_by(CaseReview.case_id).subquery())
    stmt = (select(Case).outerjoin(last, last.c.case_id == Case.id)
            .where(Case.district_id == district_id, Case.stage != "closed", Case.sealed.is_(False),
                   Case.assigned_prosecutor_id.is_not(None), Case.id.not_in(busy))
            .order_by(last.c.last.is_not(None), last.c.last, Case.fir_date, Case.id).limit(limit))
    return list(db.scalars(stmt))


def run_rotation(db: Session, district_id: int, actor: User, *, today: date, limit: int | None = None
                 ) -> list[CaseReview]:
    """Assign the next cases of the district to the rotation's reviewers in turn (each case to the next
    member who is not its prosecutor). Raises ``ReviewRefused`` when the district has no rotation."""
    row = rotation(db, district_id)
    if row is None or not row.members:
        raise ReviewRefused("no_rotation", N_("Set the district's review rotation first."))
    if not rules.supervises(person(actor), district_id):
        raise ReviewRefused("not_supervisor", N_("Only a supervisor of the district runs its review rotation."))
    eligible = {u.id for u in district_prosecutors(db, district_id)}
    created = []
    for case in rotation_candidates(db, district_id, today, limit or row.cases_per_run):
        chosen = rules.pick_from_rotation(row.members, row.last_user_id, eligible, {case.assigned_prosecutor_id})
        if chosen is None:
            continue
        created.append(assign(db, case, chosen, actor, via="rotation", today=today))
        row.last_user_id = chosen
    return created


def assign_by_rotation(db: Session, case: Case, actor: User, *, today: date, due_on: date | None = None,
                       note: str = "") -> CaseReview:
    """One case to the rotation's next reviewer (not the case's prosecutor)."""
    row = rotation(db, case.district_id)
    if row is None or not row.members:
        raise ReviewRefused("no_rotation", N_("Set the district's review rotation first."))
    eligible = {u.id for u in district_prosecutors(db, case.district_id)}
    chosen = rules.pick_from_rotation(row.members, row.last_user_id, eligible, {case.assigned_prosecutor_id})
    if chosen is None:
        raise ReviewRefused("nobody", N_("Nobody in the rotation may review this case."))
    review = assign(db, case, chosen, actor, via="rotation", due_on=due_on, note=note, today=today)
    row.last_user_id = chosen
    return review


__all__ = [
    "CheckInput", "add_finding", "answer", "assign", "assign_by_rotation", "case_facts", "check_pages",
    "checklist_of", "delete_finding", "eligible_reviewers", "open_review", "person", "reassign", "reviews_of_case",
    "rotation", "rotation_candidates", "run_rotation", "save_checks", "set_rotation", "sign_off", "state",
    "submit", "withdraw",
]
