"""JSON API of the prosecution case file under ``/api/v1`` (described in ``search_app/apidoc/casefile.json``).

Same login, permission table, scope (``search_app.auth.scope``: districts, role, sealed cases) and
audit as the pages; the same ``casework`` functions and loaders (``case_or_404``, ``part_or_404``,
``person_or_404``) do the work. Errors are the app-wide error object (``search_app.errors``): a refused
input is ``400 {"error": {"status", "code", "message", "field"}}`` and saves nothing; a missing case, a
case outside the scope and a sealed case the user may not see are the same 404.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, Response, abort, jsonify, request
from sqlalchemy import or_, select

from casework import deadlines as dl
from casework import service
from casework.errors import CaseRuleError
from casework.exhibits import PROCESS_STATES, WITNESS_KINDS, Handover
from casework.outcomes import OutcomeInput
from casework.persons import PersonRecord, check_person, find_matches
from casework.scrutiny import ScrutinyInput, checklist, parse_objections
from casework.sealed import SEAL_REASONS
from casework.stages import lifecycle
from models import (
    Case,
    CaseDeadline,
    CourtHoliday,
    Exhibit,
    Outcome,
    Person,
    Scrutiny,
    ScrutinyObjection,
    Witness,
    utcnow,
)
from scheduling.timezone import court_today
from search_app.audit import audit
from search_app.auth import get_user
from search_app.auth.scope import case_or_404, current_scope, holiday_read_condition, scoped_cases
from search_app.db import get_session
from search_app.errors import api_error
from search_app.views.access import db_session
from search_app.views.casefile import (
    actor,
    bounded_int,
    deadline_rows,
    may_seal,
    part_or_404,
    person_or_404,
    visible_persons,
)
from search_app.views.casefile_register import summonses

bp = Blueprint("api_casefile", __name__, url_prefix="/api/v1")


@bp.errorhandler(CaseRuleError)
def _refused(exc: CaseRuleError) -> Response:
    """A refused input: nothing saved, the refusal audited (with the case's district), the app-wide error
    object with the rule's code and the field at fault."""
    get_session().rollback()
    audit(request.endpoint or "", "case", (request.view_args or {}).get("case_id", ""), success=False, reason=exc.code)
    extra = {"field": exc.field} if exc.field else {}
    return api_error(400, exc.code, exc.text, **extra)


def _body() -> dict[str, Any]:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        abort(400, description="Send a JSON object.")
    return body


def _day(body: dict[str, Any], name: str, required: bool = True) -> date | None:
    value = body.get(name)
    if value in (None, ""):
        if required:
            raise CaseRuleError("bad_date", f"{name} is required (YYYY-MM-DD).", field=name)
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError as exc:
        raise CaseRuleError("bad_date", f"{name} must be a date (YYYY-MM-DD).", field=name) from exc


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


# --- serialisers ------------------------------------------------------------------------------------
def deadline_json(row: CaseDeadline, today: date) -> dict[str, Any]:
    rule = dl.rule_by_id(row.rule_id)
    return {"id": row.id, "case_id": row.case_id, "rule_id": row.rule_id, "subject_person_id": row.subject_id or None,
            "title": rule.title if rule else row.rule_id, "act": rule.act if rule else "",
            "section": rule.section if rule else "", "party": rule.party if rule else "",
            "verified": rule.verified if rule else "", "anchor_on": _iso(row.anchor_on), "due_on": _iso(row.due_on),
            "met_on": _iso(row.met_on), "met_source": row.met_source or None,
            "status": dl.status(row.due_on, row.met_on, today)}


def scrutiny_json(s: Scrutiny) -> dict[str, Any]:
    return {"id": s.id, "decision": s.decision, "decided_on": _iso(s.decided_on), "received_on": _iso(s.received_on),
            "remarks": s.remarks, "pages": s.pages,
            "objections": [objection_json(o) for o in s.objections]}


def objection_json(o: ScrutinyObjection) -> dict[str, Any]:
    return {"id": o.id, "code": o.code, "text": o.text, "resolved_on": _iso(o.resolved_on),
            "resolution_note": o.resolution_note}


def person_json(p: Person) -> dict[str, Any]:
    return {"id": p.id, "name": p.name, "father_name": p.father_name, "cnic": p.cnic}


def witness_json(w: Witness) -> dict[str, Any]:
    return {"id": w.id, "case_id": w.case_id, "person": person_json(w.person), "kind": w.kind, "process": w.process,
            "process_issued_on": _iso(w.process_issued_on), "process_returnable_on": _iso(w.process_returnable_on),
            "examined_on": _iso(w.examined_on), "given_up_on": _iso(w.given_up_on),
            "given_up_reason": w.given_up_reason, "statement_pages": w.statement_pages}


def exhibit_json(e: Exhibit) -> dict[str, Any]:
    return {"id": e.id, "case_id": e.case_id, "label": e.label, "description": e.description,
            "recovered_on": _iso(e.recovered_on), "recovery_memo": (
                {"document_id": e.recovery_memo_document_id, "page_no": e.recovery_memo_page_no}
                if e.recovery_memo_document_id else None),
            "malkhana_entry": e.malkhana_entry, "fsl_sent_on": _iso(e.fsl_sent_on),
            "fsl_result_on": _iso(e.fsl_result_on), "fsl_result": e.fsl_result,
            "custody": [{"id": c.id, "handed_on": _iso(c.handed_on), "from_holder": c.from_holder,
                         "to_holder": c.to_holder, "purpose": c.purpose} for c in e.custody]}


def outcome_json(o: Outcome) -> dict[str, Any]:
    return {"id": o.id, "case_id": o.case_id, "person": person_json(o.person), "result": o.result,
            "sentence": o.sentence, "judgment_on": _iso(o.judgment_on), "court": o.court}


# --- the case file --------------------------------------------------------------------------------------
@bp.get("/cases/<int:case_id>/file")
def case_file(case_id: int) -> Response:
    with db_session() as db:
        case = case_or_404(db, case_id)
        today = court_today()
        accused = [p for p in case.parties if str(p.role) == "accused" and p.person_id]
        elsewhere = service.other_cases_of(db, [p.person_id for p in accused if p.person_id], case.id,
                                           scoped_cases(select(Case.id)))
        body = {
            "id": case.id, "stage": str(case.stage), "stage_label": lifecycle().label(str(case.stage)),
            "fir_date": _iso(case.fir_date), "sealed": case.sealed, "sealed_reason": case.sealed_reason or None,
            "transitions": [{"from": t.from_stage or None, "to": t.to_stage, "on": _iso(t.happened_on), "note": t.note}
                            for t in service.history(db, case.id)],
            "next_stages": [s.id for s in lifecycle().targets(str(case.stage), str(get_user().role))],  # type: ignore[union-attr]
            "deadlines": [deadline_json(r, today) for r in db.scalars(
                select(CaseDeadline).where(CaseDeadline.case_id == case.id).order_by(CaseDeadline.due_on))],
            "open_objections": [objection_json(o) for o in service.open_objections(db, case.id)],
            "accused": [{"person_id": p.person_id, "name": p.name, "other_cases": elsewhere.get(p.person_id or 0, 0)}
                        for p in accused],
            "outcomes": [outcome_json(o) for o in db.scalars(select(Outcome).where(Outcome.case_id == case.id))],
        }
        audit("view", "case", case.id, district_id=case.district_id, via="api", part="file")
        return jsonify(body)


@bp.post("/cases/<int:case_id>/transitions")
def transition(case_id: int) -> Response:
    body = _body()
    with db_session() as db:
        case = case_or_404(db, case_id, "edit")
        on = _day(body, "on")
        assert on is not None
        entry = service.move(db, case, str(body.get("target", "")), actor(), on, str(body.get("note", "")),
                             today=court_today())
        audit("transition", "case", case.id, district_id=case.district_id, from_stage=entry.from_stage,
              to_stage=entry.to_stage, via="api")
        return jsonify({"stage": entry.to_stage, "on": _iso(entry.happened_on)})


@bp.get("/cases/<int:case_id>/deadlines")
def case_deadlines(case_id: int) -> Response:
    with db_session() as db:
        case = case_or_404(db, case_id)
        rows = db.scalars(select(CaseDeadline).where(CaseDeadline.case_id == case.id).order_by(CaseDeadline.due_on))
        audit("view", "case", case.id, district_id=case.district_id, via="api", part="deadlines")
        return jsonify({"items": [deadline_json(r, court_today()) for r in rows]})


@bp.post("/cases/<int:case_id>/deadlines/<int:deadline_id>/met")
def deadline_met(case_id: int, deadline_id: int) -> Response:
    body = _body()
    with db_session() as db:
        case = case_or_404(db, case_id, "edit")
        row = part_or_404(db, CaseDeadline, deadline_id, case, action="edit", object_type="deadline")
        on = _day(body, "met_on")
        assert on is not None
        service.mark_deadline_met(db, row, actor(), on, str(body.get("note", "")), today=court_today())
        audit("deadline_met", "case", case.id, district_id=case.district_id, rule=row.rule_id, via="api")
        return jsonify(deadline_json(row, court_today()))


@bp.get("/deadlines")
def deadlines() -> Response:
    with db_session() as db:
        mine = request.args.get("scope", "mine") != "all"
        rows = deadline_rows(db, mine, request.args.get("show", "open"))
        audit("view", "deadlines", "", via="api", mine=mine, count=len(rows), returned=[d.id for d, _ in rows])
        return jsonify({"items": [deadline_json(d, court_today()) | {"case": {"id": c.id, "fir_number": c.fir_number,
                                                                             "fir_year": c.fir_year}}
                                  for d, c in rows]})


# --- scrutiny --------------------------------------------------------------------------------------------
@bp.get("/cases/<int:case_id>/scrutinies")
def scrutinies(case_id: int) -> Response:
    with db_session() as db:
        case = case_or_404(db, case_id)
        rows = db.scalars(select(Scrutiny).where(Scrutiny.case_id == case.id).order_by(Scrutiny.id))
        audit("view", "case", case.id, district_id=case.district_id, via="api", part="scrutinies")
        return jsonify({"items": [scrutiny_json(s) for s in rows],
                        "checklist": [{"code": i.code, "label": i.label, "provision": i.provision}
                                      for i in checklist()]})


@bp.post("/cases/<int:case_id>/scrutinies")
def record_scrutiny(case_id: int) -> Response:
    from search_app.views.casefile import _check_pages

    body = _body()
    with db_session() as db:
        case = case_or_404(db, case_id, "edit")
        decided = _day(body, "decided_on")
        assert decided is not None
        raw_pages = body.get("pages") or []
        if not isinstance(raw_pages, list) or not all(
                isinstance(p, list) and len(p) == 2 and all(isinstance(x, int) for x in p) for p in raw_pages):
            raise CaseRuleError("bad_pages", "pages must be a list of [document_id, page_no] pairs.", field="pages")
        pages = tuple((p[0], p[1]) for p in raw_pages)
        _check_pages(db, case, pages)
        codes = body.get("objections") or []
        if not isinstance(codes, list):
            raise CaseRuleError("bad_objections", "objections must be a list of checklist codes.", field="objections")
        data = ScrutinyInput(str(body.get("decision", "")), decided,  # type: ignore[arg-type]
                             parse_objections([str(c) for c in codes], str(body.get("other_text", ""))),
                             str(body.get("remarks", "")), pages)
        scrutiny = service.record_scrutiny(db, case, data, actor(), today=court_today())
        audit("scrutiny", "case", case.id, district_id=case.district_id, decision=scrutiny.decision, via="api")
        db.flush()
        return jsonify(scrutiny_json(scrutiny))


@bp.post("/cases/<int:case_id>/objections/<int:objection_id>/resolve")
def resolve_objection(case_id: int, objection_id: int) -> Response:
    body = _body()
    with db_session() as db:
        case = case_or_404(db, case_id, "edit")
        objection = part_or_404(db, ScrutinyObjection, objection_id, case, action="edit", object_type="objection")
        on = _day(body, "resolved_on")
        assert on is not None
        service.resolve_objection(objection, actor(), on, str(body.get("note", "")), today=court_today())
        audit("objection_resolved", "case", case.id, district_id=case.district_id, objection=objection.id, via="api")
        return jsonify(objection_json(objection))


# --- registers --------------------------------------------------------------------------------------------
@bp.get("/cases/<int:case_id>/witnesses")
def witnesses(case_id: int) -> Response:
    with db_session() as db:
        case = case_or_404(db, case_id)
        rows = list(db.scalars(select(Witness).where(Witness.case_id == case.id).order_by(Witness.id)))
        summoned = summonses(db, [w.id for w in rows])
        audit("view", "case", case.id, district_id=case.district_id, via="api", part="witnesses")
        return jsonify({"items": [{**witness_json(w), "summoned": [
            {"hearing_id": h.id, "date": _iso(h.scheduled_for), "court": h.court, "purpose": h.purpose,
             "attended": s.attended} for h, s in summoned.get(w.id, [])]} for w in rows]})


@bp.post("/cases/<int:case_id>/witnesses")
def add_witness(case_id: int) -> Response:
    body = _body()
    with db_session() as db:
        case = case_or_404(db, case_id, "edit")
        kind, process = str(body.get("kind", "")), str(body.get("process", "none"))
        if kind not in WITNESS_KINDS or process not in PROCESS_STATES:
            raise CaseRuleError("bad_kind", f"kind must be one of {', '.join(WITNESS_KINDS)}; process one of "
                                f"{', '.join(PROCESS_STATES)}.", field="kind")
        person = service.find_or_create_person(db, str(body.get("name", "")), str(body.get("father_name", "")),
                                               str(body.get("cnic", "")))
        if db.scalar(select(Witness.id).where(Witness.case_id == case.id, Witness.person_id == person.id)):
            raise CaseRuleError("duplicate", "This person is already in the witness register.", field="name")
        witness = Witness(case_id=case.id, person_id=person.id, kind=kind, process=process,
                          process_issued_on=_day(body, "process_issued_on", False),
                          process_returnable_on=_day(body, "process_returnable_on", False),
                          given_up_reason="", notes="", statement_pages=[])
        db.add(witness)
        db.flush()
        db.refresh(witness)
        audit("create", "witness", witness.id, district_id=case.district_id, case_id=case.id, via="api")
        return jsonify(witness_json(witness))


@bp.get("/cases/<int:case_id>/exhibits")
def exhibits(case_id: int) -> Response:
    with db_session() as db:
        case = case_or_404(db, case_id)
        rows = db.scalars(select(Exhibit).where(Exhibit.case_id == case.id).order_by(Exhibit.id))
        audit("view", "case", case.id, district_id=case.district_id, via="api", part="exhibits")
        return jsonify({"items": [exhibit_json(e) for e in rows]})


@bp.post("/cases/<int:case_id>/exhibits")
def add_exhibit(case_id: int) -> Response:
    from search_app.views.casefile_register import _exhibit_fields

    body = _body()
    with db_session() as db:
        case = case_or_404(db, case_id, "edit")
        exhibit = Exhibit(case_id=case.id, label="", description="", malkhana_entry="", fsl_result="")
        memo = body.get("recovery_memo") or {}
        form = {k: str(v) for k, v in body.items() if isinstance(v, str | int)}
        if isinstance(memo, dict):
            form["memo_document"], form["memo_page"] = str(memo.get("document_id", "")), str(memo.get("page_no", ""))
        _exhibit_fields(db, case, exhibit, form)
        db.add(exhibit)
        db.flush()
        audit("create", "exhibit", exhibit.id, district_id=case.district_id, case_id=case.id, via="api")
        return jsonify(exhibit_json(exhibit))


@bp.post("/cases/<int:case_id>/exhibits/<int:exhibit_id>/custody")
def add_custody(case_id: int, exhibit_id: int) -> Response:
    body = _body()
    with db_session() as db:
        case = case_or_404(db, case_id, "edit")
        exhibit = part_or_404(db, Exhibit, exhibit_id, case, action="edit", object_type="exhibit")
        handed = _day(body, "handed_on")
        assert handed is not None
        service.add_handover(db, exhibit, Handover(handed, str(body.get("from_holder", "")),
                                                   str(body.get("to_holder", ""))),
                             actor(), str(body.get("purpose", "")), today=court_today())
        db.flush()
        db.refresh(exhibit)
        audit("custody", "exhibit", exhibit.id, district_id=case.district_id, via="api")
        return jsonify(exhibit_json(exhibit))


@bp.get("/cases/<int:case_id>/outcomes")
def outcomes(case_id: int) -> Response:
    with db_session() as db:
        case = case_or_404(db, case_id)
        rows = db.scalars(select(Outcome).where(Outcome.case_id == case.id).order_by(Outcome.id))
        audit("view", "case", case.id, district_id=case.district_id, via="api", part="outcomes")
        return jsonify({"items": [outcome_json(o) for o in rows]})


@bp.post("/cases/<int:case_id>/outcomes")
def record_outcome(case_id: int) -> Response:
    body = _body()
    with db_session() as db:
        case = case_or_404(db, case_id, "edit")
        judgment_on = _day(body, "judgment_on")
        assert judgment_on is not None
        accused = body.get("person_id")
        accused_id = bounded_int(str(accused)) if isinstance(accused, int) and not isinstance(accused, bool) else None
        row = service.record_outcome(db, case, OutcomeInput(accused_id or 0,
                                                            str(body.get("result", "")), judgment_on,
                                                            str(body.get("court", "")), str(body.get("sentence", ""))),
                                     actor(), today=court_today())
        audit("outcome", "case", case.id, district_id=case.district_id, person=row.person_id, result=row.result,
              via="api")
        return jsonify(outcome_json(row))


# --- persons --------------------------------------------------------------------------------------------
@bp.get("/persons/<int:person_id>")
def person(person_id: int) -> Response:
    with db_session() as db:
        found, rows = person_or_404(db, person_id, "view")
        audit("view", "person", person_id, via="api", returned=[c.id for _, c in rows])
        return jsonify(person_json(found) | {"cases": [
            {"case_id": c.id, "fir_number": c.fir_number, "fir_year": c.fir_year, "role": role}
            for role, c in rows]})


@bp.get("/persons")
def persons_search() -> Response:
    """Persons in the user's scope who may be the one described (CNIC, or name + father's name)."""
    with db_session() as db:
        wanted = check_person(PersonRecord(None, request.args.get("name", "") or "-",
                                           request.args.get("father_name", ""), request.args.get("cnic", "")))
        from casework.persons import name_key

        keys = [k for k in name_key(wanted.name).skeletons if len(k) >= 2] or [name_key(wanted.name).block]
        narrowed = or_(Person.block_key.in_(keys), Person.cnic == wanted.cnic) if wanted.cnic else (
            Person.block_key.in_(keys))
        candidates = db.scalars(select(Person).where(Person.id.in_(visible_persons()),
                                                     Person.merged_into_id.is_(None), narrowed).limit(5000))
        records = {p.id: p for p in candidates}
        found = find_matches(wanted, [PersonRecord(p.id, p.name, p.father_name, p.cnic or "")
                                      for p in records.values()], limit=25)
        audit("search", "person", "", via="api", results=len(found), returned=[m.candidate_id for m in found])
        return jsonify({"items": [person_json(records[m.candidate_id]) | {"score": m.score, "reasons": list(m.reasons)}
                                  for m in found]})


# --- sealing, paper book, calendar, lifecycle ----------------------------------------------------------------
@bp.post("/cases/<int:case_id>/seal")
def seal(case_id: int) -> Response:
    from search_app.views.casefile import _reindex_case_documents

    body = _body()
    with db_session() as db:
        case = case_or_404(db, case_id, "edit")
        if not may_seal(case):
            audit("seal", "case", case.id, success=False, district_id=case.district_id, reason="not_assigned",
                  via="api")
            abort(403, description="Only the assigned prosecutor, supervisors and administrators may seal a case.")
        sealing = bool(body.get("sealed", True))
        reason = str(body.get("reason", ""))
        if sealing and reason not in SEAL_REASONS:
            raise CaseRuleError("seal_reason", f"reason must be one of {', '.join(SEAL_REASONS)}.", field="reason")
        case.sealed, case.sealed_reason = sealing, reason if sealing else ""
        case.sealed_at, case.sealed_by_id = (utcnow(), actor().user_id) if sealing else (None, None)
        audit("seal" if sealing else "unseal", "case", case.id, district_id=case.district_id, reason=reason, via="api")
        _reindex_case_documents(db, case)
        return jsonify({"id": case.id, "sealed": case.sealed, "sealed_reason": case.sealed_reason or None})


@bp.post("/cases/<int:case_id>/paper-book")
def paper_book(case_id: int) -> Response:
    from search_app.views.casefile_register import build_paper_book

    body = _body()
    with db_session() as db:
        case = case_or_404(db, case_id, "export")
        ids = body.get("document_ids")
        if not isinstance(ids, list) or not all(isinstance(i, int) for i in ids):
            raise CaseRuleError("bad_documents", "document_ids must be a list of document ids.", field="document_ids")
        pdf = build_paper_book(db, case, [str(i) for i in ids])
        response = Response(pdf, mimetype="application/pdf")
        response.headers["Content-Disposition"] = f'attachment; filename="paper-book-case-{case.id}.pdf"'
        return response


def holiday_json(h: CourtHoliday) -> dict[str, Any]:
    return {"id": h.id, "day": _iso(h.day), "name": h.name, "district_id": h.district_id, "source": h.source}


@bp.get("/holidays")
def holidays() -> Response:
    """The dated court holidays of the user's districts and of the whole province (one table, used by
    deadlines and hearing warnings alike); ``?year=`` limits them to one year."""
    with db_session() as db:
        stmt = (select(CourtHoliday).where(holiday_read_condition(current_scope()))
                .order_by(CourtHoliday.day, CourtHoliday.id))
        year = request.args.get("year", "")
        if year:
            if not (year.isascii() and year.isdigit() and 1900 <= int(year) <= 2999):
                abort(400, description="year must be a year between 1900 and 2999.")
            stmt = stmt.where(CourtHoliday.day >= date(int(year), 1, 1), CourtHoliday.day <= date(int(year), 12, 31))
        return jsonify({"items": [holiday_json(h) for h in db.scalars(stmt)]})


@bp.post("/holidays")
def add_holiday() -> Response:
    """Enter a dated holiday for one of the user's districts, or (province-level users) the province;
    the open deadlines it concerns are recomputed."""
    from casework.holidays import HolidayInput
    from casework.holidays import add_holiday as enter_holiday

    body = _body()
    with db_session() as db:
        day = _day(body, "day")
        assert day is not None
        raw_district = body.get("district_id")
        scope = current_scope()
        if raw_district in (None, ""):
            if not scope.is_everything:
                raise CaseRuleError("district", "district_id is required: you may enter holidays of your districts.",
                                    field="district_id")
            district_id = None
        elif not isinstance(raw_district, int) or isinstance(raw_district, bool) or not scope.allows(raw_district):
            raise CaseRuleError("district", "district_id must be one of your districts.", field="district_id")
        else:
            district_id = raw_district
        holiday = enter_holiday(db, HolidayInput(day, str(body.get("name", "")), district_id,
                                                 str(body.get("source", ""))), actor().user_id)
        audit("create", "court_holiday", holiday.id, day=day.isoformat(), name=holiday.name, district_id=district_id,
              via="api")
        response = jsonify(holiday_json(holiday))
        response.status_code = 201
        return response


@bp.get("/casefile/stages")
def stages() -> Response:
    cycle = lifecycle()
    return jsonify({
        "stages": [{"id": s.id, "label": s.label, "phase": s.phase} for s in cycle.stages.values()],
        "transitions": [{"from": t.source, "to": t.target, "roles": sorted(t.roles), "needs_note": t.needs_note}
                        for t in cycle.transitions.values()],
        "deadline_rules": [{"id": r.id, "title": r.title, "act": r.act, "section": r.section, "summary": r.summary,
                            "source": r.source, "verified": r.verified, "anchor": r.anchor, "count": r.count,
                            "amount": r.amount, "closed_day": r.closed_day, "party": r.party} for r in dl.rules()],
    })
