"""Case records: list with filters, create, edit, the case page, and link suggestions."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response as BaseResponse

from caselaw import sections
from i18n.languages import to_western_digits
from models import (
    Case,
    CaseLinkSuggestion,
    CaseStage,
    Document,
    Entity,
    Party,
    PartyRole,
    PoliceStation,
    Role,
    SuggestionStatus,
    User,
    utcnow,
)
from models.like import contains
from scheduling.timezone import court_today
from search_app.audit import audit
from search_app.auth import current_user
from search_app.auth.policy import can
from search_app.auth.scope import (
    case_or_404,
    current_scope,
    document_read_condition,
    object_or_404,
    scoped_cases,
    scoped_districts,
    scoped_documents,
)
from search_app.db import get_session
from search_app.views.case_form import CaseFormError, CaseInput, normalise_sections, parse_case_form

bp = Blueprint("cases", __name__, url_prefix="/cases")

PAGE_SIZE = 50
MAX_PAGE = 10_000


# --- list -----------------------------------------------------------------------------------------------
@bp.route("/")
def index() -> str:
    db = get_session()
    args = request.args
    stmt = scoped_cases(select(Case)).join(PoliceStation, Case.police_station_id == PoliceStation.id)
    stmt = _apply_filters(stmt, args)
    page = min(max(1, args.get("page", 1, type=int) or 1), MAX_PAGE)
    total = db.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    cases = list(db.scalars(stmt.order_by(Case.fir_year.desc(), Case.id.desc())
                            .limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)))
    audit("list", "case", "", results=total, page=page, returned=[c.id for c in cases],
          filters={k: v[:100] for k, v in args.items() if v and k != "page"})
    return render_template(
        "cases/index.html", cases=cases, total=total, page=page, page_size=PAGE_SIZE, args=args,
        districts=scoped_districts(db), stages=list(CaseStage), prosecutors=_prosecutors(db),
    )


def _small_int(args: Any, name: str) -> int | None:
    """A whole-number filter; out-of-range or malformed values count as not given."""
    value = args.get(name, type=int)
    return value if value is not None and 0 < value < 2**31 else None


def _apply_filters(stmt: Any, args: Any) -> Any:
    district_id = _small_int(args, "district")
    if district_id:
        stmt = stmt.where(Case.district_id == district_id)  # still inside scoped_cases' condition
    if args.get("stage") in {s.value for s in CaseStage}:
        stmt = stmt.where(Case.stage == args["stage"])
    if args.get("police_station", "").strip():
        stmt = stmt.where(contains(func.lower(PoliceStation.name), args["police_station"].strip().lower()))
    if args.get("fir_number", "").strip():
        typed = args["fir_number"].strip()  # a case saved before numbers were stored in one form: as typed
        stmt = stmt.where(Case.fir_number.in_({typed, to_western_digits(typed)}))
    fir_year = _small_int(args, "fir_year")
    if fir_year:
        stmt = stmt.where(Case.fir_year == fir_year)
    prosecutor = _small_int(args, "prosecutor")
    if prosecutor:
        stmt = stmt.where(Case.assigned_prosecutor_id == prosecutor)
    if args.get("section", "").strip():
        stmt = stmt.where(_section_condition(args["section"]))
    return stmt


def _section_condition(text: str) -> Any:
    """Cases whose sections include the key or a sub-section of it (PPC 302 matches PPC 302(b))."""
    keys, unknown = normalise_sections(text)
    conditions = [sections.list_condition(Case.sections, key) for key in keys + unknown]
    return or_(*conditions) if conditions else Case.id.is_(None)


def _prosecutors(db: Session) -> list[User]:
    """Active prosecutors sharing a district with the scope (all of them for all-district users)."""
    scope = current_scope()
    stmt = select(User).where(User.role == Role.PROSECUTOR, User.is_active.is_(True)).order_by(User.username)
    users = list(db.scalars(stmt))
    if scope.allowed_district_ids is None:
        return users
    return [u for u in users if u.all_districts or u.district_ids & scope.allowed_district_ids]


# --- create and edit ----------------------------------------------------------------------------------
@bp.route("/new", methods=["GET", "POST"])
def create() -> BaseResponse | str | tuple[str, int]:
    db = get_session()
    if request.method == "GET":
        return _form_page(db, None, {}, {})
    try:
        data = _parse(db)
    except CaseFormError as error:
        return _form_page(db, None, request.form, error.errors), 400
    case = Case(created_by_id=current_user.id)
    result = _save(db, case, data, is_new=True)
    if result is not None:
        return result
    return redirect(url_for("cases.show", case_id=case.id))


@bp.route("/<int:case_id>/edit", methods=["GET", "POST"])
def edit(case_id: int) -> BaseResponse | str | tuple[str, int]:
    db = get_session()
    case = case_or_404(db, case_id, "edit")
    if request.method == "GET":
        audit("view", "case", case.id, district_id=case.district_id, page="edit_form")
        return _form_page(db, case, {}, {})
    try:
        data = _parse(db)
    except CaseFormError as error:
        return _form_page(db, case, request.form, error.errors), 400
    result = _save(db, case, data, is_new=False)
    if result is not None:
        return result
    return redirect(url_for("cases.show", case_id=case.id))


def _parse(db: Session) -> CaseInput:
    allowed = frozenset(d.id for d in scoped_districts(db))
    form = request.form
    parties = (form.getlist("party_name"), form.getlist("party_role"), form.getlist("party_cnic"),
               form.getlist("party_father"))
    data = parse_case_form(form, parties, allowed, court_today())
    if data.assigned_prosecutor_id is not None and data.assigned_prosecutor_id not in {
            u.id for u in _prosecutors(db)}:
        raise CaseFormError({"assigned_prosecutor_id": "Choose a prosecutor of this district."})
    return data


def _save(db: Session, case: Case, data: CaseInput, is_new: bool) -> tuple[str, int] | None:
    from casework import service
    from casework.errors import CaseRuleError

    changed = _apply(db, case, data, is_new)
    if is_new:
        db.add(case)
    try:
        db.flush()
    except IntegrityError:
        db.rollback()
        errors = {"fir_number": "A case with this FIR number and year already exists at this police station."}
        return _form_page(db, None if is_new else case, request.form, errors), 409
    actor = service.Actor(current_user.id, str(current_user.role))
    try:
        service.link_parties(db, case)
    except CaseRuleError as error:  # a CNIC of someone else: nothing of the form is saved
        db.rollback()
        return _form_page(db, None if is_new else case, request.form, {"parties": _(error.message) % error.params}), 400
    if is_new:
        service.record_initial_stage(db, case, actor, case.fir_date or court_today())
    service.sync_deadlines(db, case)
    audit("create" if is_new else "edit", "case", case.id, district_id=case.district_id, fields=changed)
    if data.unrecognised_sections:
        flash(_("Kept as typed (not recognised as statute sections): %(sections)s",
                sections=", ".join(data.unrecognised_sections)), "error")
    flash(_("Case saved."))
    return None


def _apply(db: Session, case: Case, data: CaseInput, is_new: bool) -> list[str]:
    """Copy the form onto the case; returns the names of the fields that changed (for the audit). The
    stage is set only for a new case: afterwards it changes through recorded transitions."""
    station = _police_station(db, data.district_id, data.police_station)
    values: dict[str, Any] = {
        "fir_number": data.fir_number, "fir_year": data.fir_year, "police_station_id": station.id,
        "district_id": data.district_id, "title": data.title,
        "sections": list(data.sections + data.unrecognised_sections), "fir_date": data.fir_date,
        "court": data.court, "court_case_number": data.court_case_number,
        "assigned_prosecutor_id": data.assigned_prosecutor_id, "notes": data.notes,
    }
    if is_new:
        values["stage"] = data.stage
    changed = [name for name, value in values.items() if getattr(case, name, None) != value]
    for name, value in values.items():
        setattr(case, name, value)
    case.police_station = station
    new_parties = [(p.name, p.role.value, p.cnic, p.father_name) for p in data.parties]
    if [(p.name, str(p.role), p.cnic, p.father_name) for p in case.parties] != new_parties:
        changed.append("parties")
        kept = {(p.name, str(p.role), p.cnic, p.father_name): p for p in case.parties}
        case.parties = [kept.get((n, r, c, f)) or Party(name=n, role=r, cnic=c, father_name=f)
                        for n, r, c, f in new_parties]
    return changed


def _police_station(db: Session, district_id: int, name: str) -> PoliceStation:
    """The district's station of that name (case-insensitive), created on first use."""
    station = db.scalar(select(PoliceStation).where(
        PoliceStation.district_id == district_id, func.lower(PoliceStation.name) == name.lower()))
    if station is None:
        station = PoliceStation(district_id=district_id, name=name)
        db.add(station)
        db.flush()
    return station


def _form_page(db: Session, case: Case | None, form: Any, errors: dict[str, str]) -> str:
    return render_template(
        "cases/form.html", case=case, form=form, errors=errors, districts=scoped_districts(db),
        stages=list(CaseStage), prosecutors=_prosecutors(db), party_roles=[r.value for r in PartyRole],
        party_rows=_party_rows(case, form), this_year=court_today().year,
    )


def _party_rows(case: Case | None, form: Any) -> list[tuple[str, str, str, str]]:
    """Rows of the parties table: what was just posted (so a refused form keeps them), else the
    case's parties plus three empty rows."""
    if form and hasattr(form, "getlist"):
        # As posted, blank rows included, so error messages keep their row numbers.
        fathers = form.getlist("party_father") or [""] * len(form.getlist("party_name"))
        return list(zip(form.getlist("party_name"), form.getlist("party_role"), form.getlist("party_cnic"),
                        fathers, strict=False))
    rows = [(p.name, str(p.role), p.cnic, p.father_name) for p in (case.parties if case else [])]
    return rows + [("", "", "", "")] * 3


# --- the case page ------------------------------------------------------------------------------------
@bp.route("/<int:case_id>")
def show(case_id: int) -> tuple[str, int]:
    from search_app.views.casefile import render_case

    db = get_session()
    case = case_or_404(db, case_id)
    audit("view", "case", case.id, district_id=case.district_id)
    return render_case(case)


def show_context(db: Session, case: Case) -> dict[str, Any]:
    """The case page's own context (documents, entities, link suggestions); the case-file panels are
    added by ``search_app.views.casefile.render_case``."""
    documents = list(db.scalars(scoped_documents(select(Document).where(Document.case_id == case.id))
                                .order_by(Document.id)))
    entities = _entities_by_document(db, [d.id for d in documents])
    suggestions = list(db.scalars(scoped_documents(
        select(CaseLinkSuggestion).join(Document, CaseLinkSuggestion.document_id == Document.id)
        .where(CaseLinkSuggestion.case_id == case.id, CaseLinkSuggestion.status == SuggestionStatus.PENDING)
        .order_by(CaseLinkSuggestion.score.desc()))))
    suggested_docs = {d.id: d for d in db.scalars(select(Document).where(
        Document.id.in_([s.document_id for s in suggestions])))}
    return {"case": case, "documents": documents, "entities": entities, "suggestions": suggestions,
            "suggested_docs": suggested_docs, "today": court_today(), "can_edit": can(current_user, "case.write")}


def _entities_by_document(db: Session, document_ids: list[int]) -> dict[int, list[tuple[str, str, int]]]:
    """Distinct (kind, key, count) per document, most frequent first, at most 15 each."""
    if not document_ids:
        return {}
    rows = db.execute(
        select(Entity.document_id, Entity.kind, Entity.key, func.count())
        .where(Entity.document_id.in_(document_ids))
        .group_by(Entity.document_id, Entity.kind, Entity.key)
        .order_by(func.count().desc())
    )
    grouped: dict[int, list[tuple[str, str, int]]] = {}
    for document_id, kind, key, count in rows:
        items = grouped.setdefault(document_id, [])
        if len(items) < 15:
            items.append((kind, key, count))
    return grouped


# --- link suggestions ----------------------------------------------------------------------------------
@bp.route("/<int:case_id>/suggestions/<int:suggestion_id>/<any(confirm, reject):decision>", methods=["POST"])
def decide_suggestion(case_id: int, suggestion_id: int, decision: str) -> BaseResponse:
    db = get_session()
    case = case_or_404(db, case_id, "edit")
    # A suggestion of another case, or on a document the user may not read, is missing (same 404).
    readable = CaseLinkSuggestion.document_id.in_(select(Document.id).where(document_read_condition(current_scope())))
    suggestion = object_or_404(db, CaseLinkSuggestion, suggestion_id,
                               (CaseLinkSuggestion.case_id == case.id) & readable, action="edit",
                               object_type="case_link_suggestion", district_of=lambda _s: case.district_id)
    document = db.get(Document, suggestion.document_id)
    assert document is not None
    suggestion.status = SuggestionStatus.CONFIRMED if decision == "confirm" else SuggestionStatus.REJECTED
    suggestion.decided_by_id = current_user.id
    suggestion.decided_at = utcnow()
    if decision == "confirm":
        document.case_id = case.id
        _reject_other_suggestions(db, suggestion)
    audit("edit", "case_link_suggestion", suggestion.id, district_id=case.district_id, decision=decision,
          document_id=document.id, case_id=case.id)
    if decision == "confirm":
        _request_reindex(document.id)
    flash("Link confirmed: the document is now part of this case." if decision == "confirm"
          else "Suggestion rejected.")
    return redirect(url_for("cases.show", case_id=case.id))


def _reject_other_suggestions(db: Session, chosen: CaseLinkSuggestion) -> None:
    """A document belongs to one case: its other pending suggestions are closed."""
    others = db.scalars(select(CaseLinkSuggestion).where(
        CaseLinkSuggestion.document_id == chosen.document_id, CaseLinkSuggestion.id != chosen.id,
        CaseLinkSuggestion.status == SuggestionStatus.PENDING))
    for other in others:
        other.status = SuggestionStatus.REJECTED
        other.decided_by_id = current_user.id
        other.decided_at = utcnow()


def _request_reindex(document_id: int) -> None:
    """Ask the pipeline to re-index the document with its new case (search shows case facets)."""
    from jobs.enqueue import enqueue_reindex_document
    from search_app.services import AppServices

    app_services: AppServices = current_app.extensions["cmms"]
    try:
        enqueue_reindex_document(app_services.redis, document_id, app_services.settings)
    except Exception:  # Redis down must not undo the confirmed link; the reconciler catches up
        current_app.logger.exception("could not enqueue re-index of document %s", document_id)
        flash(_("The link is saved, but the search index will show it only after the job queue is back."),
              "error")
