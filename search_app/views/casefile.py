"""The prosecution case file in the web app: stage moves, deadlines, challan scrutiny, the case
timeline, persons across cases, sealing, and "my deadlines".

Views are thin: parse the form, call ``casework.service`` (rules in ``casework``), audit, render. A
refused input (``CaseRuleError``) re-renders the case page with the message and status 400; nothing
of it is saved. Every case is loaded through ``case_or_404`` (read or write predicate of
``search_app.auth.scope``: districts, role and sealed cases) and every record of a case (deadline,
objection, witness, exhibit) through ``part_or_404``: a missing record, one of another case and one of
a case the user may not see all answer the same audited 404. Every read of case material is audited
with the case's district.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import gettext
from sqlalchemy import and_, select
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response as BaseResponse

from casework import deadlines as dl
from casework import due, service
from casework.errors import CaseRuleError
from casework.outcomes import RESULT_LABELS, RESULTS
from casework.scrutiny import ScrutinyInput, checklist, label_for, parse_objections
from casework.sealed import SEAL_REASONS
from casework.stages import lifecycle
from i18n import N_
from i18n.labels import label
from i18n.stored import LIST_SEPARATOR
from models import (
    Case,
    CaseDeadline,
    CaseTransition,
    Document,
    Exhibit,
    Hearing,
    Outcome,
    Party,
    Person,
    PersonMatchSuggestion,
    Scrutiny,
    ScrutinyObjection,
    Witness,
    utcnow,
)
from scheduling.timezone import court_today, local_today
from search_app.audit import audit
from search_app.auth import current_user
from search_app.auth.policy import can
from search_app.auth.scope import (
    case_or_404,
    case_read_condition,
    case_write_condition,
    current_scope,
    object_or_404,
    scoped_cases,
    scoped_documents,
)
from search_app.db import get_session
from search_app.i18n import formatter

bp = Blueprint("casefile", __name__)
service.install_hearing_hook()  # hearings saved by the calendar views move the case's deadlines
due.register()  # statutory deadlines reach reminders, the diary and calendar feeds (notify.deadlines)


@bp.app_context_processor
def _casefile_globals() -> dict[str, Any]:
    return {"stage_label": lambda stage_id: gettext(lifecycle().label(str(stage_id)))}


def actor() -> service.Actor:
    return service.Actor(current_user.id, str(current_user.role))


def message(error: CaseRuleError) -> str:
    """The refusal in the user's language."""
    translated = gettext(error.message)
    return translated % error.params if error.params else translated


Part = TypeVar("Part", CaseDeadline, ScrutinyObjection, Witness, Exhibit)


def part_or_404(db: Session, model: type[Part], part_id: int, case: Case, *, action: str, object_type: str) -> Part:
    """A record of ``case`` (already loaded through ``case_or_404``) by id: missing, or of another case,
    is the same 404, audited with the district of the case it belongs to."""

    def district_of(row: Part) -> int | None:
        owner = db.get(Case, row.case_id)
        return owner.district_id if owner is not None else None

    return object_or_404(db, model, part_id, model.case_id == case.id, action=action, object_type=object_type,
                         district_of=district_of)


def bounded_int(text: str | None, limit: int = 2**31 - 1) -> int | None:
    """A form's whole number (ASCII digits, at most ``limit``), else None."""
    value = (text or "").strip()
    if not (value.isascii() and value.isdigit()) or len(value) > 12 or int(value) > limit:
        return None
    return int(value)


def parse_day(text: str | None, field: str, required: bool = True) -> date | None:
    """A form date; ``CaseRuleError`` (code ``bad_date``) naming the field when malformed or missing."""
    value = (text or "").strip()
    if not value:
        if required:
            raise CaseRuleError("bad_date", N_("Enter the date."), field=field)
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise CaseRuleError("bad_date", N_("Enter the date as YYYY-MM-DD."), field=field) from exc


# --- the case page's case-file panels ---------------------------------------------------------------------
@dataclass(frozen=True)
class DeadlineView:
    row: CaseDeadline
    rule: dl.DeadlineRule | None
    status: str
    subject: str


def deadline_views(db: Session, rows: list[CaseDeadline], today: date) -> list[DeadlineView]:
    names = {p.id: p.name for p in db.scalars(select(Person).where(
        Person.id.in_([r.subject_id for r in rows if r.subject_id])))}
    return [DeadlineView(r, dl.rule_by_id(r.rule_id), dl.status(r.due_on, r.met_on, today),
                         names.get(r.subject_id, "")) for r in rows]


def case_panels(db: Session, case: Case) -> dict[str, Any]:
    """Everything the case page shows of the case file (deadlines, stage moves, accused elsewhere, ...)."""
    today = court_today()
    deadlines = list(db.scalars(select(CaseDeadline).where(CaseDeadline.case_id == case.id)
                                .order_by(CaseDeadline.due_on)))
    accused = [p for p in case.parties if str(p.role) == "accused" and p.person_id]
    visible_ids = scoped_cases(select(Case.id))
    elsewhere = service.other_cases_of(db, [p.person_id for p in accused if p.person_id], case.id, visible_ids)
    role = str(current_user.role)
    return {
        "deadlines": deadline_views(db, deadlines, today),
        "transitions": service.history(db, case.id),
        "targets": lifecycle().targets(str(case.stage), role),
        "accused_elsewhere": elsewhere,
        "open_objections": service.open_objections(db, case.id),
        "scrutinies": list(db.scalars(select(Scrutiny).where(Scrutiny.case_id == case.id).order_by(Scrutiny.id))),
        "checklist": checklist(), "objection_label": label_for,
        "outcomes": list(db.scalars(select(Outcome).where(Outcome.case_id == case.id).order_by(Outcome.id))),
        "accused": accused, "results": RESULTS, "result_labels": RESULT_LABELS,
        "witness_count": len(list(db.scalars(select(Witness.id).where(Witness.case_id == case.id)))),
        "exhibit_count": len(list(db.scalars(select(Exhibit.id).where(Exhibit.case_id == case.id)))),
        "seal_reasons": SEAL_REASONS, "can_seal": may_seal(case),
        "can_scrutinise": can(current_user, "scrutiny.write"), "can_outcome": can(current_user, "outcome.write"),
        "can_move": can(current_user, "case.write"), "can_paperbook": can(current_user, "paperbook.export"),
        "today": today,
    }


def render_case(case: Case, error: CaseRuleError | None = None, status: int = 200) -> tuple[str, int]:
    """The case page (cases/show.html) of a case loaded through ``case_or_404``, with its case-file
    panels; ``error`` shown at the top."""
    from search_app.views.cases import show_context

    db = get_session()
    context = show_context(db, case)
    context.update(case_panels(db, case))
    context["casefile_error"] = message(error) if error else ""
    context["casefile_error_field"] = error.field if error else ""
    return render_template("cases/show.html", **context), status


def refused(case_id: int, error: CaseRuleError, action: str, object_type: str = "case") -> tuple[str, int]:
    """Nothing of the refused input is kept; the refusal is audited and the case page shows why (400)."""
    db = get_session()
    db.rollback()
    case = case_or_404(db, case_id)
    audit(action, object_type, case_id, success=False, district_id=case.district_id, reason=error.code)
    return render_case(case, error, 400)


def may_seal(case: Case) -> bool:
    """Sealing is for the assigned prosecutor, supervisors and administrators."""
    if not can(current_user, "case.seal"):
        return False
    return str(current_user.role) != "prosecutor" or case.assigned_prosecutor_id == current_user.id


# --- stage moves ------------------------------------------------------------------------------------------
@bp.post("/cases/<int:case_id>/transition")
def transition(case_id: int) -> BaseResponse | tuple[str, int]:
    db = get_session()
    case = case_or_404(db, case_id, "edit")
    try:
        on = parse_day(request.form.get("on"), "on")
        assert on is not None
        entry = service.move(db, case, request.form.get("target", ""), actor(), on, request.form.get("note", ""),
                             today=court_today())
    except CaseRuleError as error:
        return refused(case_id, error, "transition")
    audit("transition", "case", case.id, district_id=case.district_id, from_stage=entry.from_stage,
          to_stage=entry.to_stage, on=entry.happened_on.isoformat())
    return redirect(url_for("cases.show", case_id=case.id))


@bp.post("/cases/<int:case_id>/deadlines/<int:deadline_id>/met")
def deadline_met(case_id: int, deadline_id: int) -> BaseResponse | tuple[str, int]:
    db = get_session()
    case = case_or_404(db, case_id, "edit")
    row = part_or_404(db, CaseDeadline, deadline_id, case, action="edit", object_type="deadline")
    try:
        on = parse_day(request.form.get("met_on"), "met_on")
        assert on is not None
        service.mark_deadline_met(db, row, actor(), on, request.form.get("note", ""), today=court_today())
    except CaseRuleError as error:
        return refused(case_id, error, "deadline_met")
    audit("deadline_met", "case", case.id, district_id=case.district_id, deadline=row.id, rule=row.rule_id,
          met_on=row.met_on.isoformat() if row.met_on else "")
    return redirect(url_for("cases.show", case_id=case.id))


# --- scrutiny ---------------------------------------------------------------------------------------------
MAX_PAGES = 500


def _pages(text: str) -> tuple[tuple[int, int], ...]:
    """"12:1, 12:2-4" -> ((12, 1), (12, 2), (12, 3), (12, 4)): police-report pages as document:page
    (at most ``MAX_PAGES``; a range may not run backwards)."""
    pages: list[tuple[int, int]] = []
    for piece in (p.strip() for p in text.replace(";", ",").split(",")):
        if not piece:
            continue
        doc, _, span = piece.partition(":")
        first, _, last = span.partition("-")
        document_id, start = bounded_int(doc), bounded_int(first)
        end = bounded_int(last) if last.strip() else start
        if document_id is None or start is None or end is None or end < start:
            raise CaseRuleError("bad_pages", N_("Write pages as document:page, e.g. 12:1-3."), field="pages")
        if len(pages) + end - start + 1 > MAX_PAGES:
            raise CaseRuleError("too_many_pages", N_("Link at most %(count)s pages."), field="pages", count=MAX_PAGES)
        pages.extend((document_id, number) for number in range(start, end + 1))
    return tuple(pages)


def _check_pages(db: Session, case: Case, pages: tuple[tuple[int, int], ...]) -> None:
    documents = {d for d, _ in pages}
    found = set(db.scalars(scoped_documents(select(Document.id)).where(Document.id.in_(documents),
                                                                        Document.case_id == case.id)))
    if documents - found:
        raise CaseRuleError("foreign_pages", N_("Pages must come from this case's documents."), field="pages")


@bp.post("/cases/<int:case_id>/scrutiny")
def record_scrutiny(case_id: int) -> BaseResponse | tuple[str, int]:
    db = get_session()
    case = case_or_404(db, case_id, "edit")
    form = request.form
    try:
        decided = parse_day(form.get("decided_on"), "decided_on")
        assert decided is not None
        pages = _pages(form.get("pages", ""))
        _check_pages(db, case, pages)
        data = ScrutinyInput(form.get("decision", ""), decided,  # type: ignore[arg-type]
                             parse_objections(form.getlist("objections"), form.get("other_text", "")),
                             form.get("remarks", ""), pages)
        scrutiny = service.record_scrutiny(db, case, data, actor(), today=court_today())
    except CaseRuleError as error:
        return refused(case_id, error, "scrutiny")
    audit("scrutiny", "case", case.id, district_id=case.district_id, decision=scrutiny.decision,
          objections=[o.code for o in scrutiny.objections], decided_on=scrutiny.decided_on.isoformat())
    return redirect(url_for("cases.show", case_id=case.id))


@bp.post("/cases/<int:case_id>/objections/<int:objection_id>/resolve")
def resolve_objection(case_id: int, objection_id: int) -> BaseResponse | tuple[str, int]:
    db = get_session()
    case = case_or_404(db, case_id, "edit")
    objection = part_or_404(db, ScrutinyObjection, objection_id, case, action="edit", object_type="objection")
    try:
        on = parse_day(request.form.get("resolved_on"), "resolved_on")
        assert on is not None
        service.resolve_objection(objection, actor(), on, request.form.get("note", ""), today=court_today())
    except CaseRuleError as error:
        return refused(case_id, error, "objection_resolved")
    audit("objection_resolved", "case", case.id, district_id=case.district_id, objection=objection.id,
          code=objection.code)
    return redirect(url_for("cases.show", case_id=case.id))


# --- outcome ----------------------------------------------------------------------------------------------
@bp.post("/cases/<int:case_id>/outcomes")
def record_outcome(case_id: int) -> BaseResponse | tuple[str, int]:
    from casework.outcomes import OutcomeInput

    db = get_session()
    case = case_or_404(db, case_id, "edit")
    form = request.form
    try:
        judgment_on = parse_day(form.get("judgment_on"), "judgment_on")
        assert judgment_on is not None
        accused = bounded_int(form.get("accused_id")) or 0
        row = service.record_outcome(db, case, OutcomeInput(accused, form.get("result", ""), judgment_on,
                                                            form.get("court", ""), form.get("sentence", "")),
                                     actor(), today=court_today())
    except CaseRuleError as error:
        return refused(case_id, error, "outcome")
    audit("outcome", "case", case.id, district_id=case.district_id, person=row.person_id, result=row.result,
          judgment_on=row.judgment_on.isoformat())
    return redirect(url_for("cases.show", case_id=case.id))


# --- sealing ------------------------------------------------------------------------------------------------
@bp.post("/cases/<int:case_id>/seal")
def seal(case_id: int) -> BaseResponse | tuple[str, int]:
    db = get_session()
    case = case_or_404(db, case_id, "edit")
    if not may_seal(case):
        audit("seal", "case", case.id, success=False, district_id=case.district_id, reason="not_assigned")
        abort(403)
    sealing = request.form.get("action") != "unseal"
    reason = request.form.get("reason", "")
    if sealing and reason not in SEAL_REASONS:
        error = CaseRuleError("seal_reason", N_("Choose why the case is sealed."), field="reason")
        return refused(case_id, error, "seal")
    case.sealed, case.sealed_reason = sealing, reason if sealing else ""
    case.sealed_at, case.sealed_by_id = (utcnow(), current_user.id) if sealing else (None, None)
    audit("seal" if sealing else "unseal", "case", case.id, district_id=case.district_id, reason=reason)
    _reindex_case_documents(db, case)
    return redirect(url_for("cases.show", case_id=case.id))


def _reindex_case_documents(db: Session, case: Case) -> None:
    """Re-index the case's documents so their ``sealed`` flag follows (the search filter already hides a
    newly sealed case by id until then)."""
    from search_app.views.cases import _request_reindex

    db.commit()
    for document_id in db.scalars(select(Document.id).where(Document.case_id == case.id)):
        _request_reindex(document_id)


# --- timeline -----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class TimelineItem:
    on: date
    kind: str      # transition | hearing | document | scrutiny | deadline | outcome
    title: str
    detail: str = ""
    link: str = ""
    facts: tuple[tuple[str, str], ...] = ()  # (label, value) shown under the title (hearings)


def hearing_item(hearing: Hearing) -> TimelineItem:
    """A hearing as the calendar records it: session or time, court, purpose, result, adjournment
    reason and who asked (CrPC s.344), next date, witnesses summoned (labels from the hearing lists)."""
    from scheduling.timezone import local_today, to_local
    from scheduling.vocab import vocabulary

    vocab = vocabulary()

    def term(kind: str, code: str) -> str:
        return gettext(vocab.label(kind, code)) if code else ""

    when = term("sessions", hearing.session)
    if hearing.starts_at is not None:
        when = f"{when}, {formatter().time(to_local(hearing.starts_at))}"
    court = hearing.court + (gettext(", courtroom %(room)s", room=hearing.courtroom) if hearing.courtroom else "")
    facts = [(gettext("Session"), when), (gettext("Court"), court)]
    if hearing.judge:
        facts.append((gettext("Judge"), hearing.judge))
    if hearing.result:
        facts.append((gettext("Result"), term("results", hearing.result)))
    elif hearing.scheduled_for < local_today(utcnow()):
        facts.append((gettext("Result"), gettext("not recorded")))
    if hearing.adjournment_reason:
        asked = term("requesters", hearing.adjournment_requested_by)
        reason = term("adjournment_reasons", hearing.adjournment_reason)
        facts.append((gettext("Adjourned because"),
                      gettext("%(reason)s (asked by: %(who)s)", reason=reason, who=asked) if asked else reason))
    if hearing.next_date is not None:
        facts.append((gettext("Next date"), formatter().date(hearing.next_date)))
    if hearing.witnesses:
        facts.append((gettext("Witnesses summoned"), gettext(LIST_SEPARATOR).join(w.name for w in hearing.witnesses)))
    title = gettext("Hearing: %(purpose)s", purpose=term("purposes", hearing.purpose) or "-")
    return TimelineItem(hearing.scheduled_for, "hearing", title, hearing.outcome,
                        url_for("calendar.show_hearing", hearing_id=hearing.id), tuple(facts))


def timeline_items(db: Session, case: Case) -> list[TimelineItem]:
    """Transitions, hearings, documents, scrutinies (reviews), deadlines and outcomes in date order."""
    items: list[TimelineItem] = []
    cycle = lifecycle()
    for t in service.history(db, case.id):
        title = gettext("Stage: %(stage)s", stage=gettext(cycle.label(t.to_stage)))
        items.append(TimelineItem(t.happened_on, "transition", title, t.note))
    for h in db.scalars(select(Hearing).where(Hearing.case_id == case.id).order_by(Hearing.scheduled_for, Hearing.id)):
        items.append(hearing_item(h))
    for d in db.scalars(scoped_documents(select(Document)).where(Document.case_id == case.id)):
        items.append(TimelineItem(local_today(d.created_at), "document", d.title or d.original_filename,
                                  gettext(label("doc_type", str(d.doc_type))),
                                  url_for("documents.show", document_id=d.id)))
    for s in db.scalars(select(Scrutiny).where(Scrutiny.case_id == case.id)):
        codes = gettext(LIST_SEPARATOR).join(gettext(label_for(o.code)) for o in s.objections)
        decision = gettext(label("scrutiny_decision", str(s.decision)))
        items.append(TimelineItem(s.decided_on, "scrutiny", gettext("Scrutiny: %(decision)s", decision=decision),
                                  codes))
    for v in deadline_views(db, list(db.scalars(select(CaseDeadline).where(CaseDeadline.case_id == case.id))),
                            court_today()):
        title = gettext(v.rule.title) if v.rule else v.row.rule_id
        items.append(TimelineItem(v.row.due_on, "deadline", gettext("Due: %(title)s", title=title),
                                  f"{gettext(label('deadline_status', v.status))} {v.subject}".strip()))
    for o in db.scalars(select(Outcome).where(Outcome.case_id == case.id)):
        result = gettext(RESULT_LABELS.get(str(o.result), str(o.result)))
        items.append(TimelineItem(o.judgment_on, "outcome", gettext("%(person)s: %(result)s", person=o.person.name,
                                                                    result=result), o.sentence))
    from search_app.views.peer_review import timeline_items as review_items

    items.extend(review_items(db, case))  # peer reviews (monitoring), for those who may read them
    order = {"transition": 0, "scrutiny": 1, "hearing": 2, "document": 3, "outcome": 4, "review": 5, "deadline": 6}
    return sorted(items, key=lambda i: (i.on, order.get(i.kind, 9)))


@bp.get("/cases/<int:case_id>/timeline")
def timeline(case_id: int) -> str:
    db = get_session()
    case = case_or_404(db, case_id)
    items = timeline_items(db, case)
    audit("view", "case", case.id, district_id=case.district_id, page="timeline",
          returned=[f"{i.kind}:{i.link}" for i in items if i.link][:500])
    return render_template("casefile/timeline.html", case=case, items=items)


# --- my deadlines --------------------------------------------------------------------------------------------
def deadline_rows(db: Session, mine: bool, show: str) -> list[tuple[CaseDeadline, Case]]:
    """Open (or all) deadlines of cases in scope, soonest first; ``mine``: cases assigned to the user."""
    stmt = scoped_cases(select(CaseDeadline, Case).join(Case, CaseDeadline.case_id == Case.id))
    if mine:
        stmt = stmt.where(Case.assigned_prosecutor_id == current_user.id)
    if show != "all":
        stmt = stmt.where(CaseDeadline.met_on.is_(None))
    return [(d, c) for d, c in db.execute(stmt.order_by(CaseDeadline.due_on, CaseDeadline.id).limit(500))]


@bp.get("/deadlines")
def my_deadlines() -> str:
    db = get_session()
    mine = request.args.get("scope", "mine") != "all"
    show = request.args.get("show", "open")
    rows = deadline_rows(db, mine, show)
    views = deadline_views(db, [d for d, _ in rows], court_today())
    audit("view", "deadlines", "", mine=mine, count=len(rows), returned=[d.id for d, _ in rows])
    return render_template("casefile/deadlines.html", items=list(zip(views, [c for _, c in rows], strict=True)),
                           mine=mine, show=show)


# --- persons ----------------------------------------------------------------------------------------------
def person_cases(db: Session, person_id: int) -> list[tuple[str, Case]]:
    """(role, case) for every case in the user's scope where the person is a party or a registered
    witness, newest FIR first."""
    parties = db.execute(scoped_cases(select(Party.role, Case).join(Case, Party.case_id == Case.id))
                         .where(Party.person_id == person_id))
    witnesses = db.execute(scoped_cases(select(Witness.kind, Case).join(Case, Witness.case_id == Case.id))
                           .where(Witness.person_id == person_id))
    rows = [(gettext(label("party_role", str(role))), case) for role, case in parties]
    rows += [(gettext("witness (%(kind)s)", kind=gettext(label("witness_kind", str(kind)))), case)
             for kind, case in witnesses]
    return sorted(rows, key=lambda rc: (-rc[1].fir_year, -rc[1].id))


def visible_persons(write: bool = False) -> Any:
    """``select(person ids)`` of the persons on cases the user reads (or, ``write``, may change) as a party
    or a registered witness: persons are province-wide records, reachable only through such a case."""
    condition = case_write_condition(current_scope()) if write else case_read_condition(current_scope())
    return select(Party.person_id).join(Case, Party.case_id == Case.id).where(condition).union(
        select(Witness.person_id).join(Case, Witness.case_id == Case.id).where(condition))


def person_or_404(db: Session, person_id: int, action: str) -> tuple[Person, list[tuple[str, Case]]]:
    """The person and their cases in the user's scope; the same audited 404 for a missing person and one
    on no case the user may read."""
    cases = person_cases(db, person_id) if object_fits(person_id) else []
    found = db.get(Person, person_id) if cases else None
    if found is None:
        exists = object_fits(person_id) and db.get(Person, person_id) is not None
        audit(action, "person", person_id, success=False, reason="out_of_scope" if exists else "not_found")
        abort(404)
    return found, cases


def object_fits(object_id: int) -> bool:
    return -(2**63) <= object_id < 2**63


@bp.get("/persons/<int:person_id>")
def person(person_id: int) -> str:
    db = get_session()
    found, cases = person_or_404(db, person_id, "view")
    # match suggestions only with persons the user may also see (the other may be on a sealed case or in
    # another district: their name and CNIC are not this reader's to see)
    suggestions = list(db.scalars(select(PersonMatchSuggestion).where(
        PersonMatchSuggestion.status == "pending",
        (PersonMatchSuggestion.person_id == person_id) | (PersonMatchSuggestion.candidate_id == person_id))))
    others = {p.id: p for p in db.scalars(select(Person).where(Person.id.in_(
        [s.candidate_id if s.person_id == person_id else s.person_id for s in suggestions]),
        Person.id.in_(visible_persons())))}
    suggestions = [s for s in suggestions if (s.candidate_id if s.person_id == person_id else s.person_id) in others]
    audit("view", "person", person_id, cases=len(cases), returned=[c.id for _, c in cases])
    return render_template("casefile/person.html", person=found, cases=cases, suggestions=suggestions, others=others,
                           can_decide=can(current_user, "person.decide"))


@bp.post("/persons/suggestions/<int:person_match_id>/<any(confirm, reject):decision>")
def decide_person_match(person_match_id: int, decision: str) -> BaseResponse:
    db = get_session()
    # both persons must be on cases the user may change (a merge moves their parties and witness entries)
    visible = and_(PersonMatchSuggestion.person_id.in_(visible_persons(write=True)),
                   PersonMatchSuggestion.candidate_id.in_(visible_persons(write=True)))
    suggestion = object_or_404(db, PersonMatchSuggestion, person_match_id, visible, action="decide",
                               object_type="person_match")
    try:
        service.decide_match(db, suggestion, decision == "confirm", actor())
    except CaseRuleError as error:
        db.rollback()
        audit("decide", "person_match", person_match_id, success=False, reason=error.code)
        abort(409, description=message(error))
    audit("decide", "person_match", suggestion.id, decision=decision, person=suggestion.person_id,
          candidate=suggestion.candidate_id)
    return redirect(url_for("casefile.person", person_id=min(suggestion.person_id, suggestion.candidate_id)))


__all__ = ["CaseTransition", "bp"]
