"""Registers of a case: witnesses (process and examination), exhibits (case property with chain of
custody and the pages that mention them) and the paper book export.

Same shape as ``search_app.views.casefile``: parse, call ``casework``, audit, render; refusals are
shown on the register page with status 400 and nothing saved. Cases load through ``case_or_404`` and
their witnesses and exhibits through ``part_or_404`` (the same audited 404 for missing, another case's
and a case out of scope); every read is audited with the case's district.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, redirect, render_template, request, url_for
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response as BaseResponse

from casework import service
from casework.errors import CaseRuleError
from casework.exhibits import PROCESS_STATES, WITNESS_KINDS, Handover
from i18n import N_
from models import Case, Document, Exhibit, Hearing, HearingWitness, Page, Witness
from models.like import contains
from scheduling.timezone import court_today
from scheduling.vocab import vocabulary
from search_app.audit import audit
from search_app.auth import current_user
from search_app.auth.policy import can
from search_app.auth.scope import case_or_404, scoped_documents
from search_app.db import get_session
from search_app.views.casefile import actor, bounded_int, message, parse_day, part_or_404

bp = Blueprint("casefile_register", __name__)

MENTION_LIMIT = 30


def _case_documents(db: Session, case: Case) -> list[Document]:
    return list(db.scalars(scoped_documents(select(Document)).where(Document.case_id == case.id).order_by(Document.id)))


def _page_ref(db: Session, case: Case, document_text: str, page_text: str, field: str) -> tuple[int, int] | None:
    """A (document, page) of this case's documents, or None when both are empty."""
    if not document_text.strip() and not page_text.strip():
        return None
    document_id, page_no = bounded_int(document_text), bounded_int(page_text)
    if document_id is None or page_no is None:
        raise CaseRuleError("bad_page", N_("Choose the document and write the page number."), field=field)
    found = db.scalar(select(Page.id).join(Document, Page.document_id == Document.id).where(
        Document.id == document_id, Document.case_id == case.id, Page.page_no == page_no))
    if found is None or document_id not in {d.id for d in _case_documents(db, case)}:
        raise CaseRuleError("foreign_page", N_("That page is not in this case's documents."), field=field)
    return document_id, page_no


# --- witnesses ---------------------------------------------------------------------------------------------
def summonses(db: Session, witness_ids: list[int]) -> dict[int, list[tuple[Hearing, HearingWitness]]]:
    """For each register entry, the hearings it was summoned for (calendar order) with the summons row
    (``attended``). The hearings are the case's own, so the case's scope covers them."""
    found: dict[int, list[tuple[Hearing, HearingWitness]]] = {i: [] for i in witness_ids}
    if not witness_ids:
        return found
    rows = db.execute(select(Hearing, HearingWitness).join(HearingWitness, HearingWitness.hearing_id == Hearing.id)
                      .where(HearingWitness.witness_id.in_(witness_ids))
                      .order_by(Hearing.scheduled_for, Hearing.id)).tuples()
    for hearing, summons in rows:
        found[summons.witness_id or 0].append((hearing, summons))
    return found


def case_witnesses(db: Session, case: Case) -> list[Witness]:
    return list(db.scalars(select(Witness).where(Witness.case_id == case.id).order_by(Witness.id)))


def _witness_page(case: Case, error: CaseRuleError | None = None) -> tuple[str, int]:
    db = get_session()
    witnesses = case_witnesses(db, case)
    return render_template(
        "casefile/witnesses.html", case=case, witnesses=witnesses, kinds=WITNESS_KINDS, processes=PROCESS_STATES,
        summoned=summonses(db, [w.id for w in witnesses]), vocab=vocabulary(),
        documents=_case_documents(db, case), error=message(error) if error else "",
        can_edit=can(current_user, "case.write"), today=court_today()), 400 if error else 200


@bp.get("/cases/<int:case_id>/witnesses")
def witnesses(case_id: int) -> tuple[str, int]:
    case = case_or_404(get_session(), case_id)
    page = _witness_page(case)
    audit("view", "case", case.id, district_id=case.district_id, page="witnesses",
          returned=[w.id for w in case_witnesses(get_session(), case)])
    return page


def _witness_fields(db: Session, case: Case, witness: Witness, form: Any) -> None:
    kind, process = form.get("kind", witness.kind or ""), form.get("process", witness.process or "none")
    if kind not in WITNESS_KINDS or process not in PROCESS_STATES:
        raise CaseRuleError("bad_kind", N_("Choose the witness's kind and the process status."), field="kind")
    witness.kind, witness.process = kind, process
    witness.process_issued_on = parse_day(form.get("process_issued_on"), "process_issued_on", required=False)
    witness.process_returnable_on = parse_day(form.get("process_returnable_on"), "process_returnable_on",
                                              required=False)
    witness.examined_on = parse_day(form.get("examined_on"), "examined_on", required=False)
    witness.given_up_on = parse_day(form.get("given_up_on"), "given_up_on", required=False)
    witness.given_up_reason = form.get("given_up_reason", "").strip()[:2000]
    for day in (witness.examined_on, witness.given_up_on, witness.process_issued_on):
        if day is not None and ((case.fir_date and day < case.fir_date) or day > court_today()):
            raise CaseRuleError("bad_date", N_("Witness dates must lie between the FIR date and today."),
                                field="examined_on")
    if witness.examined_on and witness.given_up_on:
        raise CaseRuleError("examined_and_given_up", N_("A witness is either examined or given up, not both."),
                            field="given_up_on")
    page = _page_ref(db, case, form.get("statement_document", ""), form.get("statement_page", ""), "statement_page")
    if page and list(page) not in (witness.statement_pages or []):
        witness.statement_pages = [*(witness.statement_pages or []), list(page)]


@bp.post("/cases/<int:case_id>/witnesses")
def add_witness(case_id: int) -> BaseResponse | tuple[str, int]:
    db = get_session()
    case = case_or_404(db, case_id, "edit")
    form = request.form
    try:
        person = service.find_or_create_person(db, form.get("name", ""), form.get("father_name", ""),
                                               form.get("cnic", ""))
        if db.scalar(select(Witness.id).where(Witness.case_id == case.id, Witness.person_id == person.id)):
            raise CaseRuleError("duplicate", N_("This person is already in the witness register."), field="name")
        witness = Witness(case_id=case.id, person_id=person.id, kind="", process="none", given_up_reason="",
                          notes="", statement_pages=[])
        _witness_fields(db, case, witness, form)
        db.add(witness)
        db.flush()
    except CaseRuleError as error:
        db.rollback()
        audit("create", "witness", "", success=False, district_id=case.district_id, case_id=case.id, reason=error.code)
        return _witness_page(case, error)
    audit("create", "witness", witness.id, district_id=case.district_id, case_id=case.id, person=person.id,
          kind=witness.kind)
    return redirect(url_for("casefile_register.witnesses", case_id=case.id))


@bp.post("/cases/<int:case_id>/witnesses/<int:witness_id>")
def update_witness(case_id: int, witness_id: int) -> BaseResponse | tuple[str, int]:
    db = get_session()
    case = case_or_404(db, case_id, "edit")
    witness = part_or_404(db, Witness, witness_id, case, action="edit", object_type="witness")
    try:
        _witness_fields(db, case, witness, request.form)
    except CaseRuleError as error:
        db.rollback()
        audit("edit", "witness", witness_id, success=False, district_id=case.district_id, reason=error.code)
        return _witness_page(case, error)
    audit("edit", "witness", witness.id, district_id=case.district_id, case_id=case.id, process=witness.process)
    return redirect(url_for("casefile_register.witnesses", case_id=case.id))


# --- exhibits ---------------------------------------------------------------------------------------------
def _exhibits_page(case: Case, error: CaseRuleError | None = None) -> tuple[str, int]:
    db = get_session()
    exhibits = list(db.scalars(select(Exhibit).where(Exhibit.case_id == case.id).order_by(Exhibit.id)))
    return render_template("casefile/exhibits.html", case=case, exhibits=exhibits, documents=_case_documents(db, case),
                           error=message(error) if error else "", can_edit=can(current_user, "case.write"),
                           today=court_today()), 400 if error else 200


@bp.get("/cases/<int:case_id>/exhibits")
def exhibits(case_id: int) -> tuple[str, int]:
    case = case_or_404(get_session(), case_id)
    page = _exhibits_page(case)
    audit("view", "case", case.id, district_id=case.district_id, page="exhibits",
          returned=list(get_session().scalars(select(Exhibit.id).where(Exhibit.case_id == case.id))))
    return page


def _exhibit_fields(db: Session, case: Case, exhibit: Exhibit, form: Any) -> None:
    label, description = form.get("label", "").strip()[:40], form.get("description", "").strip()[:5000]
    if not label or not description:
        raise CaseRuleError("exhibit_fields", N_("Enter the exhibit's mark (e.g. P-1) and its description."),
                            field="label")
    exhibit.label, exhibit.description = label, description
    exhibit.recovered_on = parse_day(form.get("recovered_on"), "recovered_on", required=False)
    exhibit.malkhana_entry = form.get("malkhana_entry", "").strip()[:60]
    exhibit.fsl_sent_on = parse_day(form.get("fsl_sent_on"), "fsl_sent_on", required=False)
    exhibit.fsl_result_on = parse_day(form.get("fsl_result_on"), "fsl_result_on", required=False)
    exhibit.fsl_result = form.get("fsl_result", "").strip()[:5000]
    if exhibit.fsl_sent_on and exhibit.fsl_result_on and exhibit.fsl_result_on < exhibit.fsl_sent_on:
        raise CaseRuleError("fsl_dates", N_("The FSL result cannot come before the exhibit was sent."),
                            field="fsl_result_on")
    if exhibit.recovered_on and case.fir_date and exhibit.recovered_on < case.fir_date:
        raise CaseRuleError("before_fir", N_("The recovery is dated before the FIR."), field="recovered_on")
    page = _page_ref(db, case, form.get("memo_document", ""), form.get("memo_page", ""), "memo_page")
    if page:
        exhibit.recovery_memo_document_id, exhibit.recovery_memo_page_no = page


@bp.post("/cases/<int:case_id>/exhibits")
def add_exhibit(case_id: int) -> BaseResponse | tuple[str, int]:
    db = get_session()
    case = case_or_404(db, case_id, "edit")
    exhibit = Exhibit(case_id=case.id, label="", description="", malkhana_entry="", fsl_result="")
    try:
        _exhibit_fields(db, case, exhibit, request.form)
    except CaseRuleError as error:
        db.rollback()
        audit("create", "exhibit", "", success=False, district_id=case.district_id, case_id=case.id, reason=error.code)
        return _exhibits_page(case, error)
    db.add(exhibit)
    db.flush()
    audit("create", "exhibit", exhibit.id, district_id=case.district_id, case_id=case.id, label=exhibit.label)
    return redirect(url_for("casefile_register.exhibit", case_id=case.id, exhibit_id=exhibit.id))


def mentions(db: Session, case: Case, exhibit: Exhibit) -> list[tuple[Document, int]]:
    """Pages of the case's documents whose text mentions the exhibit (its mark or malkhana entry)."""
    terms = [t for t in (exhibit.label, exhibit.malkhana_entry) if len(t.strip()) >= 2]
    if not terms:
        return []
    text = func.lower(func.coalesce(Page.corrected_text, Page.text))
    like = [contains(text, t.lower()) for t in terms]
    rows = db.execute(scoped_documents(select(Document, Page.page_no).join(Page, Page.document_id == Document.id))
                      .where(Document.case_id == case.id, or_(*like)).order_by(Document.id, Page.page_no)
                      .limit(MENTION_LIMIT))
    return [(d, n) for d, n in rows]


@bp.get("/cases/<int:case_id>/exhibits/<int:exhibit_id>")
def exhibit(case_id: int, exhibit_id: int, error: CaseRuleError | None = None) -> tuple[str, int]:
    db = get_session()
    case = case_or_404(db, case_id)
    item = part_or_404(db, Exhibit, exhibit_id, case, action="view", object_type="exhibit")
    found = mentions(db, case, item)
    if error is None:
        audit("view", "exhibit", item.id, district_id=case.district_id, case_id=case.id,
              mentions=[f"{d.id}:{n}" for d, n in found])
    return render_template("casefile/exhibit.html", case=case, exhibit=item, mentions=found,
                           error=message(error) if error else "", can_edit=can(current_user, "case.write"),
                           today=court_today()), 400 if error else 200


@bp.post("/cases/<int:case_id>/exhibits/<int:exhibit_id>/custody")
def add_custody(case_id: int, exhibit_id: int) -> BaseResponse | tuple[str, int]:
    db = get_session()
    case = case_or_404(db, case_id, "edit")
    item = part_or_404(db, Exhibit, exhibit_id, case, action="edit", object_type="exhibit")
    form = request.form
    try:
        handed = parse_day(form.get("handed_on"), "handed_on")
        assert handed is not None
        entry = service.add_handover(db, item, Handover(handed, form.get("from_holder", ""), form.get("to_holder", "")),
                                     actor(), form.get("purpose", ""), today=court_today())
        db.flush()
    except CaseRuleError as error:
        db.rollback()
        audit("custody", "exhibit", exhibit_id, success=False, district_id=case.district_id, reason=error.code)
        return exhibit(case_id, exhibit_id, error)
    audit("custody", "exhibit", item.id, district_id=case.district_id, entry=entry.id, to_holder=entry.to_holder)
    return redirect(url_for("casefile_register.exhibit", case_id=case.id, exhibit_id=item.id))


# --- paper book --------------------------------------------------------------------------------------------
@bp.route("/cases/<int:case_id>/paper-book", methods=["GET", "POST"])
def paper_book(case_id: int) -> Response | tuple[str, int]:
    db = get_session()
    case = case_or_404(db, case_id, "export")
    documents = _case_documents(db, case)
    if request.method == "GET":
        audit("view", "case", case.id, district_id=case.district_id, page="paper_book",
              returned=[d.id for d in documents])
        return render_template("casefile/paper_book.html", case=case, documents=documents, error=""), 200
    try:
        pdf = build_paper_book(db, case, request.form.getlist("document_ids"))
    except CaseRuleError as error:
        audit("export", "paper_book", case.id, success=False, district_id=case.district_id, reason=error.code)
        return render_template("casefile/paper_book.html", case=case, documents=documents, error=message(error)), 400
    response = Response(pdf, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="paper-book-case-{case.id}.pdf"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def build_paper_book(db: Session, case: Case, chosen: list[str]) -> bytes:
    """The paper book of ``case`` with the chosen document ids in the given order (audited)."""
    from casework.paperbook import BookDocument, BookHeader, assemble
    from search_app.services import AppServices
    from search_app.views.searchable import SearchablePdfNotReadyError, build_document_pdf

    visible = {d.id: d for d in _case_documents(db, case)}
    ids = [bounded_int(i) for i in chosen]
    if any(i is None or i not in visible for i in ids):
        raise CaseRuleError("foreign_document", N_("Choose documents of this case only."))
    services: AppServices = current_app.extensions["cmms"]
    book: list[BookDocument] = []
    chosen_ids = [i for i in dict.fromkeys(ids) if i is not None]
    for document_id in chosen_ids:
        document = visible[document_id]
        try:
            pdf = build_document_pdf(document, services.settings.files_dir)
        except SearchablePdfNotReadyError as exc:
            raise CaseRuleError("not_ready", N_("“%(title)s” cannot go in the paper book yet: %(why)s"),
                                title=document.title or document.original_filename, why=exc.message) from exc
        book.append(BookDocument(document.title or document.original_filename, pdf, str(document.doc_type)))
    header = BookHeader(case.title or case.fir_label, f"{case.fir_label}, {case.district.name}", case.court,
                        current_user.full_name or current_user.username, court_today().strftime("%d %B %Y"))
    pdf_bytes = assemble(header, book)
    audit("export", "paper_book", case.id, district_id=case.district_id, documents=chosen_ids, bytes=len(pdf_bytes))
    return pdf_bytes
