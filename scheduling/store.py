"""The calendar's database side (SQLAlchemy, no Flask): loading what the rules need, and saving a
scheduled hearing or an outcome. Views and the API call these, so both behave the same.

Scope: callers pass ``visible`` (:class:`Visible`): the web app builds it from the permission scope
(``search_app.auth.scope.calendar_case_condition``, which carries the district wall and the sealed-case
rule of ``casework.sealed``), so the calendar reads exactly the hearings the policy allows; every query
over hearings goes through ``in_scope``. Conflicts are looked for across every district (a prosecutor
or witness may be due in another district's court), but a case outside ``visible`` is never named in
a warning, and a sealed case the user may not see is left out altogether (for them it does not exist).

Witnesses summoned are entries of the case file's witness register (``casework.registry``): a witness
picked from the register keeps its entry; a new name typed on the form enters the register first.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, func, or_, select, true
from sqlalchemy.orm import Session, joinedload, selectinload

from casework.holidays import court_calendar
from casework.stages import lifecycle
from i18n import N_
from models import Case, ConflictOverride, Court, Hearing, HearingWitness, User, Witness
from scheduling.conflicts import Conflict, Slot, find_conflicts
from scheduling.discipline import FileDates, FlagKind, HearingRecord, NextDateIndicator, discipline_flag
from scheduling.discipline import next_date_indicator as compute_indicator
from scheduling.hearing_input import HearingDraft, OutcomeDraft
from scheduling.messages import Message
from scheduling.people import WitnessRef, normalise_name
from scheduling.timezone import local_to_utc
from scheduling.vocab import Vocabulary

T = TypeVar("T", bound=tuple[Any, ...])
HIDDEN_CASE = N_("a case outside your districts")


@dataclass(frozen=True)
class Visible:
    """What one user's calendar reaches.

    ``cases``: a SQL condition on ``cases`` (the hearings of those cases are read); ``exists``: the
    condition on ``cases`` outside which a case does not exist for the user at all (sealed cases they
    may not see: left out even of the warnings that name no case); ``districts``: the district ids whose
    courts, holidays and filters the user works with (None: every district)."""

    cases: ColumnElement[bool]
    districts: frozenset[int] | None
    exists: ColumnElement[bool] = field(default_factory=true)

    @classmethod
    def everything(cls) -> Visible:
        """No restriction (reminders and other background work)."""
        return cls(true(), None)

    def allows_district(self, district_id: int | None) -> bool:
        return self.districts is None or (district_id is not None and district_id in self.districts)


def effective_prosecutor() -> ColumnElement[int | None]:
    """SQL expression: the hearing's own prosecutor, else the case's assigned prosecutor."""
    return func.coalesce(Hearing.prosecutor_id, Case.assigned_prosecutor_id)


def in_scope(stmt: Select[T], visible: Visible) -> Select[T]:
    """``stmt`` (joined to ``cases``) limited to the cases ``visible`` reaches. Every calendar query
    (pages, cause lists, diaries, feeds, reminders, API) goes through here."""
    return stmt.where(visible.cases)


def readable_case_ids(db: Session, case_ids: Iterable[int], visible: Visible) -> set[int]:
    """Those of ``case_ids`` whose hearings ``visible`` reaches (one query)."""
    wanted = sorted(set(case_ids))
    if not wanted:
        return set()
    return set(db.scalars(select(Case.id).where(Case.id.in_(wanted), visible.cases)))


def court_key(court_id: int | None, court_name: str) -> str:
    return f"court:{court_id}" if court_id is not None else f"name:{normalise_name(court_name)}"


def witness_ref(row: HearingWitness) -> WitnessRef:
    """A summoned witness as the conflict rules see it (with the register's person when linked)."""
    person_id = row.register.person_id if row.register is not None else None
    return WitnessRef(row.name, row.cnic, row.witness_id, person_id)


def slot_of(hearing: Hearing, named: bool, prosecutor_name: str = "") -> Slot:
    """The hearing as a slot; its case is named only when ``named`` (the user may read it)."""
    case = hearing.case
    return Slot(
        hearing_id=hearing.id, case_id=case.id, case_label=case.fir_label if named else HIDDEN_CASE,
        day=hearing.scheduled_for,
        session=hearing.session, court_key=court_key(hearing.court_id, hearing.court),
        court_label=hearing.court or "?", prosecutor_id=hearing.prosecutor_id or case.assigned_prosecutor_id,
        prosecutor_name=prosecutor_name, district_id=case.district_id,
        witnesses=tuple(witness_ref(w) for w in hearing.witnesses),
    )


def same_day_slots(db: Session, day: date, visible: Visible, exclude_id: int | None = None) -> list[Slot]:
    """Every hearing on ``day`` in every district, as slots (cases the user may not read unnamed; sealed
    cases the user may not see left out)."""
    stmt = (select(Hearing).join(Case, Hearing.case_id == Case.id).where(Hearing.scheduled_for == day)
            .where(visible.exists)
            .options(selectinload(Hearing.witnesses), joinedload(Hearing.case)))
    if exclude_id is not None:
        stmt = stmt.where(Hearing.id != exclude_id)
    hearings = list(db.scalars(stmt).unique())
    readable = readable_case_ids(db, (h.case_id for h in hearings), visible)
    return [slot_of(h, h.case_id in readable) for h in hearings]


def court_label(db: Session, court_id: int | None, typed: str) -> str:
    court = db.get(Court, court_id) if court_id is not None else None
    return court.name if court is not None else typed


def draft_slot(db: Session, case: Case, draft: HearingDraft, hearing_id: int | None, visible: Visible) -> Slot:
    prosecutor_id = draft.prosecutor_id or case.assigned_prosecutor_id
    prosecutor = db.get(User, prosecutor_id) if prosecutor_id else None
    return Slot(
        hearing_id=hearing_id, case_id=case.id, case_label=case.fir_label, day=draft.day, session=draft.session,
        court_key=court_key(draft.court_id, draft.court), court_label=court_label(db, draft.court_id, draft.court),
        prosecutor_id=prosecutor_id,
        prosecutor_name=(prosecutor.full_name or prosecutor.username) if prosecutor else "",
        district_id=case.district_id, witnesses=draft.witnesses,
    )


def conflicts_for(db: Session, slot: Slot, vocab: Vocabulary, today: date, visible: Visible,
                  check_past: bool = True) -> list[Conflict]:
    """The warnings for ``slot`` against everything already on its day, with the court calendar of
    the case's district."""
    others = same_day_slots(db, slot.day, visible, exclude_id=slot.hearing_id)
    calendar = court_calendar(db, slot.district_id, slot.day, slot.day)  # the one court calendar (deadlines too)
    return find_conflicts(slot, others, calendar, vocab, today, check_past=check_past)


def record_overrides(db: Session, hearing: Hearing, conflicts: Iterable[Conflict], reason: str,
                     user_id: int | None) -> list[ConflictOverride]:
    rows = [ConflictOverride(hearing_id=hearing.id, kind=str(c.kind), other_hearing_id=c.other_hearing_id,
                             warning=c.as_message().render()[:500], reason=reason, user_id=user_id)
            for c in conflicts]
    db.add_all(rows)
    return rows


# --- witnesses summoned: the case file's witness register -------------------------------------------------


def _from_entry(entry: Witness, kind: str = "") -> WitnessRef:
    person = entry.person
    return WitnessRef(person.name, person.cnic or "", entry.id, person.id, kind=kind or entry.kind)


def link_to_register(db: Session, case: Case, refs: Sequence[WitnessRef]) -> tuple[tuple[WitnessRef, ...],
                                                                                 Message | None]:
    """Check a summons list against ``case``'s witness register, writing nothing.

    A ``witness_id`` must be an entry of this case's register (its name, CNIC and person then come from
    the register). A new name is checked as a new person would be (``casework.service.check_new_person``:
    CNIC form, a CNIC already recorded for someone else); it is linked to the register entry already
    holding its CNIC, or else its exact (normalised) name, and otherwise keeps ``witness_id`` None and
    the person its CNIC belongs to (so the conflict rules know the person before it is registered).
    Returns the refs and None, or () and the message for the clerk."""
    from casework.errors import CaseRuleError
    from casework.service import check_new_person

    register = {w.id: w for w in db.scalars(select(Witness).where(Witness.case_id == case.id)
                                            .options(joinedload(Witness.person)))}
    by_person = {w.person_id: w for w in register.values()}
    by_name = {normalise_name(w.person.name): w for w in register.values()}
    out: dict[Any, WitnessRef] = {}
    for ref in refs:
        if ref.witness_id is not None:
            entry = register.get(ref.witness_id)
            if entry is None:
                return (), Message(N_("Witness no. %(id)s is not in this case's witness register."),
                                   {"id": ref.witness_id})
            out[entry.id] = _from_entry(entry)
            continue
        try:
            record, owner = check_new_person(db, ref.name, "", ref.cnic)
        except CaseRuleError as error:
            return (), Message(error.message, dict(error.params))
        entry = by_person.get(owner.id) if owner is not None else None
        if entry is None and not record.cnic:
            entry = by_name.get(normalise_name(record.name))
        if entry is not None:
            out[entry.id] = _from_entry(entry)
        else:
            key = ("new", record.cnic or normalise_name(record.name))
            out[key] = WitnessRef(record.name, record.cnic or "", None, owner.id if owner else None, kind=ref.kind)
    return tuple(out.values()), None


def linked_draft(db: Session, case: Case, draft: HearingDraft) -> tuple[HearingDraft | None, Message | None]:
    """``draft`` with its witnesses checked and linked to the case's register (``link_to_register``)."""
    refs, error = link_to_register(db, case, draft.witnesses)
    return (None, error) if error is not None else (replace(draft, witnesses=refs), None)


def enter_in_register(db: Session, case: Case, refs: Iterable[WitnessRef]) -> tuple[WitnessRef, ...]:
    """Every ref with a register entry: new witnesses (checked by ``link_to_register``) enter the
    case's witness register (``casework.service.enter_witness``; kind "other" unless given). Raises
    ``casework.errors.CaseRuleError`` if a person check fails meanwhile; the caller rolls back."""
    from casework.service import enter_witness, find_or_create_person

    out = []
    for ref in refs:
        if ref.witness_id is not None:
            out.append(ref)
            continue
        person = find_or_create_person(db, ref.name, "", ref.cnic)
        out.append(_from_entry(enter_witness(db, case, person, ref.kind or "other")))
    return tuple(out)


def _summons_key(name: str, cnic: str, witness_id: int | None) -> tuple[str, ...]:
    return ("register", str(witness_id)) if witness_id is not None else ("typed", normalise_name(name), cnic)


def _apply_witnesses(hearing: Hearing, refs: Iterable[WitnessRef]) -> None:
    """Make ``hearing``'s summons list ``refs`` (rows kept keep what was recorded about attendance)."""
    keep = {_summons_key(w.name, w.cnic, w.witness_id): w for w in hearing.witnesses}
    wanted = {_summons_key(r.name, r.cnic, r.witness_id): r for r in refs}
    for key, row in list(keep.items()):
        if key not in wanted:
            hearing.witnesses.remove(row)
    for key, ref in wanted.items():
        kept = keep.get(key)
        if kept is None:
            hearing.witnesses.append(HearingWitness(name=ref.name[:200], cnic=ref.cnic, witness_id=ref.witness_id))
        elif ref.witness_id is not None:
            kept.name, kept.cnic = ref.name[:200], ref.cnic  # the register's spelling


def apply_draft(db: Session, hearing: Hearing, case: Case, draft: HearingDraft, *, register_new: bool = True) -> None:
    """Copy a validated draft onto ``hearing`` (new or existing). With ``register_new``, witnesses
    not yet in the case's register enter it first (``enter_in_register``; may raise ``CaseRuleError``)."""
    hearing.scheduled_for, hearing.session = draft.day, draft.session
    hearing.starts_at = local_to_utc(draft.day, draft.at) if draft.at else None
    hearing.court_id = draft.court_id
    hearing.court = court_label(db, draft.court_id, draft.court)[:200]
    hearing.courtroom, hearing.judge, hearing.purpose = draft.courtroom, draft.judge, draft.purpose
    hearing.prosecutor_id = draft.prosecutor_id or case.assigned_prosecutor_id
    hearing.notes = draft.notes
    refs = enter_in_register(db, case, draft.witnesses) if register_new else draft.witnesses
    _apply_witnesses(hearing, refs)


def next_hearing_draft(hearing: Hearing, outcome: OutcomeDraft) -> HearingDraft | None:
    """The hearing the court's next date creates: same court, courtroom, judge and prosecutor; the
    witnesses who did not appear are summoned again when the court sits for the same purpose."""
    if outcome.next_date is None:
        return None
    again: tuple[WitnessRef, ...] = ()
    if outcome.next_purpose == hearing.purpose:
        again = tuple(witness_ref(w) for w in hearing.witnesses if w.id not in outcome.attended_witness_ids)
    return HearingDraft(day=outcome.next_date, session=outcome.next_session, at=None, court_id=hearing.court_id,
                        court=hearing.court, courtroom=hearing.courtroom, judge=hearing.judge,
                        purpose=outcome.next_purpose, prosecutor_id=hearing.prosecutor_id, witnesses=again)


def apply_outcome(db: Session, hearing: Hearing, outcome: OutcomeDraft, user_id: int | None) -> Hearing | None:
    """Record the outcome on ``hearing`` and create (or link) the hearing on the next date.
    Returns the next hearing, or None for a final result."""
    hearing.result, hearing.outcome = outcome.result, outcome.outcome
    hearing.adjournment_reason = outcome.adjournment_reason
    hearing.adjournment_requested_by = outcome.requested_by
    hearing.next_date = outcome.next_date
    for witness in hearing.witnesses:
        witness.attended = witness.id in outcome.attended_witness_ids
    draft = next_hearing_draft(hearing, outcome)
    if draft is None:
        hearing.next_hearing_id = None
        return None
    existing = db.scalar(select(Hearing).where(Hearing.case_id == hearing.case_id,
                                               Hearing.scheduled_for == draft.day, Hearing.id != hearing.id))
    following = existing or Hearing(case_id=hearing.case_id, created_by_id=user_id)
    if existing is None:
        db.add(following)
        apply_draft(db, following, hearing.case, draft, register_new=False)  # the same summonses as before
    db.flush()
    hearing.next_hearing_id = following.id
    return following


# --- next-date discipline ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Flagged:
    hearing: Hearing
    flag: FlagKind


def flagged_hearings(db: Session, vocab: Vocabulary, today: date, visible: Visible, *,
                     prosecutor_id: int | None = None, district_id: int | None = None,
                     since: date | None = None, limit: int = 500) -> list[Flagged]:
    """Past hearings without an outcome, or without a next date where one is needed (newest first)."""
    finals = [code for code, term in vocab.results.items() if term.has("final")]
    stmt = (select(Hearing).join(Case, Hearing.case_id == Case.id)
            .where(Hearing.scheduled_for < today,
                   or_(Hearing.result == "", Hearing.next_date.is_(None) & Hearing.result.not_in(finals)))
            .options(joinedload(Hearing.case))
            .order_by(Hearing.scheduled_for.desc(), Hearing.id.desc()).limit(limit))
    if since is not None:
        stmt = stmt.where(Hearing.scheduled_for >= since)
    if prosecutor_id is not None:
        stmt = stmt.where(effective_prosecutor() == prosecutor_id)
    if district_id is not None:
        stmt = stmt.where(Case.district_id == district_id)
    found = []
    for hearing in db.scalars(in_scope(stmt, visible)).unique():
        flag = discipline_flag(HearingRecord(hearing.id, hearing.scheduled_for, hearing.result, hearing.next_date),
                               today, vocab)
        if flag is not None:
            found.append(Flagged(hearing, flag))
    return found


def court_stages() -> tuple[str, ...]:
    """Stages of a file before a court and not closed: the lifecycle's trial and decided phases
    (``casework/data/stages.toml``); investigation and scrutiny stages have not reached a court yet."""
    return tuple(s.id for s in lifecycle().stages.values() if s.phase in ("trial", "decided"))


def next_date_indicator(db: Session, vocab: Vocabulary, today: date, visible: Visible, *,
                        prosecutor_id: int | None = None, district_id: int | None = None) -> NextDateIndicator:
    """The UN next-appearance indicator over open files that have been before a court (at least
    one hearing), leaving out files whose latest hearing ended the case in that court."""
    cases = select(Case.id).where(Case.stage.in_(court_stages()))
    if prosecutor_id is not None:
        cases = cases.where(Case.assigned_prosecutor_id == prosecutor_id)
    if district_id is not None:
        cases = cases.where(Case.district_id == district_id)
    case_ids = set(db.scalars(in_scope(cases, visible)))
    if not case_ids:
        return NextDateIndicator(0, 0)
    upcoming = set(db.scalars(select(Hearing.case_id).where(Hearing.case_id.in_(case_ids),
                                                            Hearing.scheduled_for >= today).distinct()))
    latest_day = (select(Hearing.case_id, func.max(Hearing.scheduled_for).label("day"))
                  .where(Hearing.case_id.in_(case_ids), Hearing.scheduled_for < today)
                  .group_by(Hearing.case_id).subquery())
    latest: dict[int, HearingRecord] = {}
    for hearing in db.scalars(select(Hearing).join(latest_day, (Hearing.case_id == latest_day.c.case_id)
                                                   & (Hearing.scheduled_for == latest_day.c.day))):
        latest[hearing.case_id] = HearingRecord(hearing.id, hearing.scheduled_for, hearing.result, hearing.next_date)
    finals = {code for code, term in vocab.results.items() if term.has("final")}
    files = [FileDates(case_id, latest.get(case_id), case_id in upcoming) for case_id in case_ids
             if case_id in upcoming or case_id in latest]
    files = [f for f in files if f.has_upcoming_hearing or f.latest is None or f.latest.result not in finals]
    return compute_indicator(files, today, vocab)


def supervisors_of(db: Session, district_id: int) -> list[User]:
    """Active supervisors assigned to ``district_id`` (province-wide supervisors are not included:
    they follow the oversight pages, not per-hearing reminders)."""
    from models import District, Role, user_districts

    stmt = (select(User).join(user_districts, user_districts.c.user_id == User.id)
            .join(District, District.id == user_districts.c.district_id)
            .where(District.id == district_id, User.role == Role.SUPERVISOR, User.is_active.is_(True)))
    return list(db.scalars(stmt).unique())


