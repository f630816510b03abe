"""Case-file actions over the SQL models: the one place views and the API call to change a case file.

Each function checks its input with the pure rules (``stages``, ``scrutiny``, ``persons``,
``exhibits``, ``outcomes``), raises ``CaseRuleError`` before writing anything when the input is bad,
and otherwise adds rows to the caller's session (the caller commits, together with its audit row).
The caller has already checked that the case is in the user's scope. ``Actor`` is who acts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from casework import deadlines as dl
from casework.court_calendar import CourtCalendar
from casework.exhibits import Handover, check_handover
from casework.holidays import court_calendar
from casework.outcomes import OutcomeInput, check_outcome
from casework.persons import (
    PersonRecord,
    check_cnic_owner,
    check_person,
    find_matches,
    name_key,
)
from casework.scrutiny import ScrutinyInput, check_scrutiny
from casework.stages import TransitionRefused, TransitionRequest, check_transition, first_entry
from i18n import N_
from models import (
    Case,
    CaseDeadline,
    CaseTransition,
    CustodyEntry,
    Exhibit,
    Hearing,
    HearingWitness,
    Outcome,
    Party,
    Person,
    PersonMatchSuggestion,
    Scrutiny,
    ScrutinyObjection,
    Witness,
    utcnow,
)


@dataclass(frozen=True)
class Actor:
    user_id: int | None
    role: str


# --- stages --------------------------------------------------------------------------------------------
def history(session: Session, case_id: int) -> list[CaseTransition]:
    return list(session.scalars(select(CaseTransition).where(CaseTransition.case_id == case_id)
                                .order_by(CaseTransition.happened_on, CaseTransition.id)))


def record_initial_stage(session: Session, case: Case, actor: Actor, on: date) -> CaseTransition:
    """The first entry of a new case's history (the stage it was registered at)."""
    entry = CaseTransition(case_id=case.id, from_stage="", to_stage=str(case.stage), happened_on=on,
                           actor_id=actor.user_id, note="")
    session.add(entry)
    return entry


def move(session: Session, case: Case, target: str, actor: Actor, on: date, note: str = "", *,
         today: date, calendar: CourtCalendar | None = None) -> CaseTransition:
    """Move ``case`` to ``target`` on ``on`` (``TransitionRefused`` if the lifecycle does not allow it),
    then recompute its deadlines."""
    past = history(session, case.id)
    request = TransitionRequest(str(case.stage), target, actor.role, on, note.strip())
    check_transition(request, fir_date=case.fir_date, last_transition_on=past[-1].happened_on if past else None,
                     today=today)
    entry = CaseTransition(case_id=case.id, from_stage=str(case.stage), to_stage=target, happened_on=on,
                           actor_id=actor.user_id, note=note.strip()[:5000])
    session.add(entry)
    case.stage = target  # type: ignore[assignment]
    session.flush()
    sync_deadlines(session, case, calendar=calendar)
    return entry


# --- deadlines ---------------------------------------------------------------------------------------------
def case_facts(session: Session, case: Case) -> dl.CaseFacts:
    steps = tuple((t.to_stage, t.happened_on) for t in history(session, case.id))
    hearings = tuple(session.scalars(select(Hearing.scheduled_for).where(Hearing.case_id == case.id)))
    acquittals = tuple(dl.Acquittal(o.person_id, o.judgment_on) for o in session.scalars(
        select(Outcome).where(Outcome.case_id == case.id, Outcome.result == "acquittal")))
    return dl.CaseFacts(case.fir_date, tuple(case.sections or ()), steps, hearings, acquittals)


def sync_deadlines(session: Session, case: Case, *, calendar: CourtCalendar | None = None) -> list[CaseDeadline]:
    """Recompute the case's deadlines and store them: new ones added, due dates updated, stage-met
    dates set, rows whose rule no longer applies removed (manually met rows keep their met date)."""
    calendar = calendar or court_calendar(session, case.district_id)
    computed = {(d.rule.id, d.subject or 0): d for d in dl.compute(dl.rules(), case_facts(session, case), calendar)}
    rows = {(r.rule_id, r.subject_id): r for r in session.scalars(
        select(CaseDeadline).where(CaseDeadline.case_id == case.id))}
    for key, row in rows.items():
        if key not in computed:
            session.delete(row)
    for key, due in computed.items():
        found = rows.get(key)
        row = found if found is not None else CaseDeadline(
            case_id=case.id, rule_id=key[0], subject_id=key[1], anchor_on=due.anchor_on, due_on=due.due_on,
            met_source="", note="")
        if found is None:
            session.add(row)
        row.anchor_on, row.due_on = due.anchor_on, due.due_on
        if row.met_source != "manual":
            row.met_on = due.met_on
            row.met_source = "stage" if due.met_on else ""
    session.flush()
    return list(session.scalars(select(CaseDeadline).where(CaseDeadline.case_id == case.id)
                                .order_by(CaseDeadline.due_on)))


def mark_deadline_met(session: Session, row: CaseDeadline, actor: Actor, on: date, note: str, *, today: date) -> None:
    """Record that a deadline was met on ``on`` (not in the future, not before its anchor)."""
    if on > today or on < row.anchor_on:
        raise TransitionRefused("bad_met_date", N_("The date must be between %(anchor)s and today."),
                                field="met_on", anchor=row.anchor_on.isoformat())
    row.met_on, row.met_source, row.met_by_id, row.note = on, "manual", actor.user_id, note.strip()[:2000]


# --- scrutiny ----------------------------------------------------------------------------------------------
def open_objections(session: Session, case_id: int) -> list[ScrutinyObjection]:
    return list(session.scalars(select(ScrutinyObjection).where(
        ScrutinyObjection.case_id == case_id, ScrutinyObjection.resolved_on.is_(None)).order_by(ScrutinyObjection.id)))


def record_scrutiny(session: Session, case: Case, data: ScrutinyInput, actor: Actor, *, today: date) -> Scrutiny:
    """Save a scrutiny and move the case: under scrutiny -> returned with objections / accepted.

    The case must be at "challan received" or "under scrutiny" (it is moved to "under scrutiny"
    first, on the decision day, when it is not there yet)."""
    past = history(session, case.id)
    received = first_entry([(t.to_stage, t.happened_on) for t in past if t.to_stage == "challan_received"][-1:],
                           ["challan_received"])
    check_scrutiny(data, received_on=received, open_objections=len(open_objections(session, case.id)), today=today)
    if str(case.stage) == "challan_received":
        move(session, case, "under_scrutiny", actor, data.decided_on, today=today)
    scrutiny = Scrutiny(case_id=case.id, received_on=received, decision=data.decision, decided_on=data.decided_on,
                        prosecutor_id=actor.user_id, remarks=data.remarks.strip()[:5000],
                        pages=[list(p) for p in data.pages])
    scrutiny.objections = [ScrutinyObjection(case_id=case.id, code=o.code, text=o.text, resolution_note="")
                           for o in data.objections]
    session.add(scrutiny)
    target = "returned_with_objections" if data.decision == "returned" else "accepted"
    move(session, case, target, actor, data.decided_on, data.remarks, today=today)
    return scrutiny


def resolve_objection(objection: ScrutinyObjection, actor: Actor, on: date, note: str, *, today: date) -> None:
    if on > today:
        raise TransitionRefused("future_date", N_("The date cannot be in the future."), field="resolved_on")
    objection.resolved_on, objection.resolved_by_id = on, actor.user_id
    objection.resolution_note = note.strip()[:2000]


# --- persons -----------------------------------------------------------------------------------------------
def _record(person: Person) -> PersonRecord:
    return PersonRecord(person.id, person.name, person.father_name, person.cnic or "")


def check_new_person(session: Session, name: str, father_name: str = "", cnic: str = "") -> tuple[PersonRecord,
                                                                                                   Person | None]:
    """The checks ``find_or_create_person`` makes, without writing: the cleaned record and the person
    who already holds its CNIC (None when there is no CNIC or nobody holds it). Raises
    ``PersonRefused`` for no name, a malformed CNIC or a CNIC recorded for someone else."""
    record = check_person(PersonRecord(None, name, father_name, cnic))
    if not record.cnic:
        return record, None
    owner = session.scalar(select(Person).where(Person.cnic == record.cnic))
    check_cnic_owner(record, _record(owner) if owner else None)
    return record, (_final(session, owner) if owner is not None else None)


def find_or_create_person(session: Session, name: str, father_name: str = "", cnic: str = "") -> Person:
    """The person with this CNIC (a spelling variant of the name is accepted), or a new person.

    Raises ``PersonRefused`` for a malformed CNIC or a CNIC recorded for someone else (before any write).
    New persons get match suggestions against existing ones with similar names."""
    record, owner = check_new_person(session, name, father_name, cnic)
    if owner is not None:
        if record.father_name and not owner.father_name:
            owner.father_name = record.father_name
        return owner
    key = name_key(record.name)
    person = Person(name=record.name, father_name=record.father_name, cnic=record.cnic or None,
                    name_key=" ".join(key.skeletons)[:200], block_key=key.block[:60])
    session.add(person)
    session.flush()
    suggest_matches(session, person)
    return person


def _final(session: Session, person: Person) -> Person:
    """Follow merges to the surviving person."""
    seen = set()
    while person.merged_into_id is not None and person.id not in seen:
        seen.add(person.id)
        person = session.get(Person, person.merged_into_id) or person
    return person


def suggest_matches(session: Session, person: Person, limit: int = 10) -> list[PersonMatchSuggestion]:
    """Store suggestions for persons that may be ``person`` (candidates narrowed in SQL by block key)."""
    keys = [k for k in (person.name_key or "").split() if len(k) >= 2] or [person.block_key]
    candidates = session.scalars(select(Person).where(Person.id != person.id, Person.merged_into_id.is_(None),
                                                      Person.block_key.in_(keys)).limit(500))
    existing = {s.candidate_id for s in session.scalars(
        select(PersonMatchSuggestion).where(PersonMatchSuggestion.person_id == person.id))}
    out = []
    for found in find_matches(_record(person), [_record(c) for c in candidates], limit):
        if found.candidate_id in existing:
            continue
        suggestion = PersonMatchSuggestion(person_id=person.id, candidate_id=found.candidate_id, score=found.score,
                                           reasons=list(found.reasons), status="pending")
        session.add(suggestion)
        out.append(suggestion)
    session.flush()
    return out


def enter_witness(session: Session, case: Case, person: Person, kind: str = "other") -> Witness:
    """The case's witness register entry for ``person``, added (process "none") when missing.
    ``kind`` (``casework.exhibits.WITNESS_KINDS``) is used only for a new entry; an unknown kind is
    entered as "other"."""
    from casework.exhibits import WITNESS_KINDS

    entry = session.scalar(select(Witness).where(Witness.case_id == case.id, Witness.person_id == person.id))
    if entry is None:
        entry = Witness(case_id=case.id, person_id=person.id, kind=kind if kind in WITNESS_KINDS else "other",
                        process="none", given_up_reason="", notes="", statement_pages=[])
        session.add(entry)
        session.flush()
    return entry


def link_parties(session: Session, case: Case) -> None:
    """Give every party of ``case`` its person (by CNIC or as a new person). Raises ``PersonRefused``."""
    for party in case.parties:
        if party.person_id is None:
            party.person_id = find_or_create_person(session, party.name, party.father_name or "", party.cnic or "").id


def decide_match(session: Session, suggestion: PersonMatchSuggestion, confirm: bool, actor: Actor) -> None:
    """Confirm (merge the newer person into the older one: parties, witnesses and outcomes follow) or reject."""
    suggestion.status = "confirmed" if confirm else "rejected"
    suggestion.decided_by_id, suggestion.decided_at = actor.user_id, utcnow()
    if not confirm:
        return
    a, b = session.get(Person, suggestion.person_id), session.get(Person, suggestion.candidate_id)
    if a is None or b is None:
        return
    keep, gone = (a, b) if a.id < b.id else (b, a)
    if gone.cnic and keep.cnic and gone.cnic != keep.cnic:
        raise TransitionRefused("two_cnics", N_("These persons have different CNICs; they cannot be one person."))
    with session.no_autoflush:
        kept_outcome_cases = set(session.scalars(select(Outcome.case_id).where(Outcome.person_id == keep.id)))
        gone_outcomes = list(session.scalars(select(Outcome).where(Outcome.person_id == gone.id)))
        if any(o.case_id in kept_outcome_cases for o in gone_outcomes):
            raise TransitionRefused("two_outcomes", N_("Both records have a judgment in the same case; correct the "
                                                       "outcomes before merging them."))
        for party in session.scalars(select(Party).where(Party.person_id == gone.id)):
            party.person_id = keep.id
        for outcome in gone_outcomes:
            outcome.person_id = keep.id
        for witness in list(session.scalars(select(Witness).where(Witness.person_id == gone.id))):
            twin = session.scalar(select(Witness).where(Witness.case_id == witness.case_id,
                                                        Witness.person_id == keep.id))
            if twin is None:
                witness.person_id = keep.id
                continue
            # the same witness registered twice in one case: keep one entry with what both knew, and
            # the hearings they were summoned for
            twin.statement_pages = [*twin.statement_pages, *(p for p in witness.statement_pages
                                                             if p not in twin.statement_pages)]
            twin.examined_on = twin.examined_on or witness.examined_on
            twin.given_up_on = twin.given_up_on or witness.given_up_on
            twin_hearings = set(session.scalars(select(HearingWitness.hearing_id).where(
                HearingWitness.witness_id == twin.id)))
            for summons in list(session.scalars(select(HearingWitness).where(HearingWitness.witness_id == witness.id))):
                if summons.hearing_id in twin_hearings:
                    session.delete(summons)  # summoned twice for one hearing: keep one summons
                else:
                    summons.witness_id = twin.id
            session.delete(witness)
    session.flush()
    if gone.cnic and not keep.cnic:
        keep.cnic, gone.cnic = gone.cnic, None
        session.flush()
    keep.father_name = keep.father_name or gone.father_name
    gone.merged_into_id = keep.id


# --- exhibits and outcomes ---------------------------------------------------------------------------------
def add_handover(session: Session, exhibit: Exhibit, new: Handover, actor: Actor, purpose: str, *,
                 today: date) -> CustodyEntry:
    chain = [Handover(c.handed_on, c.from_holder, c.to_holder) for c in exhibit.custody]
    check_handover(new, chain, recovered_on=exhibit.recovered_on, today=today)
    entry = CustodyEntry(exhibit_id=exhibit.id, handed_on=new.handed_on, from_holder=new.from_holder.strip()[:200],
                         to_holder=new.to_holder.strip()[:200], purpose=purpose.strip()[:300],
                         recorded_by_id=actor.user_id)
    session.add(entry)
    return entry


def accused_person_ids(case: Case) -> set[int]:
    return {p.person_id for p in case.parties if str(p.role) == "accused" and p.person_id is not None}


def record_outcome(session: Session, case: Case, data: OutcomeInput, actor: Actor, *, today: date) -> Outcome:
    """Record (or replace) the judgment for one accused of the case, then recompute deadlines."""
    from casework.outcomes import OutcomeRefused

    if data.accused_id not in accused_person_ids(case):
        raise OutcomeRefused("not_accused", N_("Choose an accused of this case."), field="accused_id")
    in_court = first_entry([(t.to_stage, t.happened_on) for t in history(session, case.id)], ["submitted_to_court"])
    check_outcome(data, fir_date=case.fir_date, in_court_on=in_court, today=today)
    row = session.scalar(select(Outcome).where(Outcome.case_id == case.id, Outcome.person_id == data.accused_id))
    if row is None:
        row = Outcome(case_id=case.id, person_id=data.accused_id)
        session.add(row)
    row.result, row.judgment_on, row.court = data.result, data.judgment_on, data.court.strip()[:200]
    row.sentence, row.recorded_by_id = data.sentence.strip(), actor.user_id
    session.flush()
    sync_deadlines(session, case)
    return row


def other_cases_of(session: Session, person_ids: Sequence[int], case_id: int, visible_case_ids_stmt: Any
                   ) -> dict[int, int]:
    """For each person, how many *other* cases (among ``visible_case_ids_stmt``, a scoped select of case
    ids) they are a party to."""
    if not person_ids:
        return {}
    rows = session.execute(select(Party.person_id, func.count(func.distinct(Party.case_id))).where(
        Party.person_id.in_(person_ids), Party.case_id != case_id,
        Party.case_id.in_(visible_case_ids_stmt)).group_by(Party.person_id))
    return {pid: n for pid, n in rows}


# --- hearings (owned by the calendar area) move deadlines -------------------------------------------------
_TOUCHED = "casework_hearing_cases"
_installed: list[bool] = []


def _collect_hearing_cases(session: Session, _context: Any, _instances: Any) -> None:
    touched: set[int] = session.info.setdefault(_TOUCHED, set())
    for obj in [*session.new, *session.dirty, *session.deleted]:
        if isinstance(obj, Hearing) and obj.case_id is not None:
            touched.add(obj.case_id)


def _sync_touched_cases(session: Session) -> None:
    touched: set[int] = session.info.pop(_TOUCHED, set())
    for case_id in sorted(touched):
        case = session.get(Case, case_id)
        if case is not None:
            sync_deadlines(session, case)


def install_hearing_hook() -> None:
    """Recompute a case's deadlines when its hearings change (s.265-C counts back from the trial's
    first hearing), whichever view or job saved the hearing: SQLAlchemy session events, installed once."""
    from sqlalchemy import event

    if _installed:
        return
    event.listen(Session, "before_flush", _collect_hearing_cases)
    event.listen(Session, "before_commit", _sync_touched_cases)
    _installed.append(True)
