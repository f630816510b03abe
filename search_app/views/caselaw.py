"""Case law: the list of judgments (titles, citations as printed, citator warnings), a search limited
to case law, a judgment's record page, the librarian's record editing and the review queue where a
judgment is approved for province-wide publication.

Which judgments a user reads is scope (``auth.scope.caselaw_read_condition``): published case law in
every district, the rest only in its own district; anything else answers 404 (audited as denied).
Changing a record, publishing it and correcting its text take the separate WRITE predicate
(``caselaw_write_condition``: librarians and administrators; published judgments province-wide). What a
librarian types goes through legalrefs (``caselaw.curation``) and the citation network is re-linked
both ways (``caselaw.network.relink``). Every read and write is audited; changes re-index the judgment.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from markupsafe import Markup, escape
from sqlalchemy import ColumnElement, Select, extract, func, or_, select
from sqlalchemy.orm import Session, selectinload
from werkzeug.wrappers import Response as BaseResponse

from caselaw import bidi, network, presentation, publication
from caselaw.curation import MAX_NOTE, CurationError, parse_record
from caselaw.publication import PublicationError, missing_for_approval
from caselaw.record import JudgmentResult
from models import CaseLaw, CaseLawCitation, CaseLawStatus, CitationTreatment, Page, PracticeNote, ReviewReason
from models.json_list import json_list_holds
from models.like import contains
from search_app import services
from search_app.audit import audit
from search_app.auth import login_required
from search_app.auth.policy import can
from search_app.auth.scope import (
    caselaw_or_404,
    caselaw_read_condition,
    caselaw_visibility,
    caselaw_write_condition,
    current_scope,
    practice_note_read_condition,
)
from search_app.views.access import db_session, the_user
from search_app.views.search import render_search_page

bp = Blueprint("caselaw", __name__, url_prefix="/caselaw")

PAGE_SIZE = 25
MAX_PAGE = 10_000
STATUS_FILTERS = {s.value for s in CaseLawStatus}


@bp.app_template_filter("cite")
def cite_filter(key: str) -> str:
    """A legalrefs key as printed (``SCMR 2010 1791`` -> ``2010 SCMR 1791``)."""
    return presentation.display(key or "")


@bp.app_template_filter("refs")
def isolate_refs(text: str | None) -> Markup:
    """Typed text (a headnote, note, title, summary) escaped, each citation, section and case number in
    it wrapped in ``<bdi dir="ltr" class="ref">`` so an Urdu sentence keeps ``2010 SCMR 1791`` in order and
    on one line (``caselaw.bidi``). Line breaks are left in the text (``keep-lines`` shows them)."""
    return Markup("").join(Markup('<bdi dir="ltr" class="ref">{}</bdi>').format(s.text) if s.is_ref
                           else escape(s.text) for s in bidi.segments(text or ""))


@bp.app_template_filter("ltr_refs")
def isolate_refs_text(text: str | None) -> str:
    """Typed text for a plain-text place (``<title>``, a ``title`` attribute): each reference inside
    left-to-right isolate marks (``caselaw.bidi.isolated_text``); Jinja escapes the result as usual."""
    return bidi.isolated_text(text or "")


@bp.app_template_filter("plain_title")
def isolate_title_text(text: str | None) -> str:
    """A whole title for an ``<option>`` (which cannot hold ``<bdi>``): isolated in its own direction, its
    references left-to-right (``caselaw.bidi.isolated_title``); Jinja escapes the result as usual."""
    return bidi.isolated_title(text or "")


@bp.app_context_processor
def _caselaw_helpers() -> dict[str, Any]:
    return {"judgment_title": presentation.judgment_title, "result_label": _result_label,
            "status_label": _status_label, "treatment_label": _treatment_label,
            "citations_line": presentation.citations_line, "case_numbers_of": presentation.case_numbers}


def _result_label(value: str) -> str:
    return gettext(presentation.RESULT_LABELS[value]) if value in presentation.RESULT_LABELS else value


def _status_label(value: str) -> str:
    label = presentation.STATUS_LABELS.get(CaseLawStatus(value)) if value in STATUS_FILTERS else None
    return gettext(label) if label else value


def _treatment_label(value: str | None) -> str:
    if not value:
        return ""
    from models import Treatment

    return gettext(presentation.TREATMENT_LABELS[Treatment(value)])


class CaseLawFormError(ValueError):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# --- loading within scope ------------------------------------------------------------------------------


def visible_entry(session: Session, caselaw_id: int, action: str = "view") -> CaseLaw:
    """The entry if the user may read it (or change it, for a write ``action`` such as ``edit``,
    ``approve``, ``withdraw``); otherwise the same 404 for missing and out of scope (403 for an entry the
    user reads but may not change), audited as a denied access (``auth.scope.caselaw_or_404``)."""
    entry = caselaw_or_404(session, caselaw_id, action)
    session.scalar(select(CaseLaw).where(CaseLaw.id == entry.id)
                   .options(selectinload(CaseLaw.citations_made), selectinload(CaseLaw.headnotes),
                            selectinload(CaseLaw.tags)))
    return entry


def district_of(entry: CaseLaw) -> int | None:
    """The judgment's district (audit rows carry it, so that district's supervisors see them)."""
    return entry.document.district_id if entry.document is not None else None


def reindex(document_ids: Iterable[int]) -> None:
    """Queue the re-index of judgments whose index record changed (title, status, warning, counts)."""
    from jobs.enqueue import enqueue_reindex_document

    redis = services(current_app).redis
    for document_id in dict.fromkeys(document_ids):
        enqueue_reindex_document(redis, document_id)


# --- the list ------------------------------------------------------------------------------------------


def filtered_entries(court: str, year: int | None, text: str, status: str = "", tag: str = "",
                     ) -> Select[tuple[CaseLaw]]:
    """Entries the user may read, filtered; newest decision first."""
    from models import CaseLawTag

    stmt = select(CaseLaw).where(caselaw_visibility()(CaseLaw))
    if court:
        stmt = stmt.where(CaseLaw.court == court)
    if year:
        stmt = stmt.where(extract("year", CaseLaw.decided_on) == year)
    if status in STATUS_FILTERS:
        stmt = stmt.where(CaseLaw.status == status)
    if tag:
        stmt = stmt.where(CaseLaw.id.in_(select(CaseLawTag.case_law_id).where(CaseLawTag.tag == tag.lower())))
    if text:
        lowered = text.lower()
        keys = _typed_keys(text)
        condition: ColumnElement[bool] = or_(*(contains(func.lower(column), lowered) for column in (
            CaseLaw.citation, CaseLaw.parties, CaseLaw.judge, CaseLaw.case_number)))
        if keys:  # every report and every case number of a judgment, not only the first
            condition = or_(condition, network.reported_condition(keys), network.numbered_condition(keys))
        stmt = stmt.where(condition)
    return stmt.order_by(CaseLaw.decided_on.desc().nulls_last(), CaseLaw.id.desc())


def _typed_keys(text: str) -> list[str]:
    """What the user typed, read through legalrefs: ``2022 SCMR 1641`` finds the entry keyed
    ``SCMR 2022 1641``; ``Crl.A. No. 95 of 2019`` finds ``Crl.A.95-2019``."""
    from legalrefs import normalise

    return normalise(text)


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isascii() and value.isdigit() and len(value) <= 9 else None


@bp.get("")
@login_required
def index() -> tuple[str, int]:
    """With ``q``: a full-text search limited to case law. Without: the filtered list of entries."""
    if request.args.get("q"):
        return render_search_page("caselaw/index.html", case_law_only=True, endpoint="caselaw.index",
                                  mode="search", listing=None, courts=[])
    court = (request.args.get("court_name") or "").strip()
    year = _int(request.args.get("decided_year"))
    text = (request.args.get("filter") or "").strip()[:100]
    status = (request.args.get("status") or "").strip()
    tag = (request.args.get("tag") or "").strip()[:60]
    page = min(max(_int(request.args.get("page")) or 1, 1), MAX_PAGE)
    with db_session() as session:
        stmt = filtered_entries(court[:200], year, text, status, tag)
        total = session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
        entries = list(session.scalars(stmt.limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)))
        courts = [c for c in session.scalars(select(CaseLaw.court).where(caselaw_read_condition(current_scope()))
                                             .distinct().order_by(CaseLaw.court)) if c]
        warnings = network.warnings_for(session, entries, caselaw_visibility())
        audit("list", "case_law", "", filter=text, court=court, year=year, status=status, results=total,
              page=page, returned=[e.id for e in entries])
    listing = {"entries": entries, "total": total, "page": page, "pages": max(-(-total // PAGE_SIZE), 1),
               "court": court, "year": year, "filter": text, "status": status, "tag": tag, "warnings": warnings}
    return render_template("caselaw/index.html", mode="list", listing=listing, courts=courts,
                           search_request=None, results=None, error=None), 200


# --- one judgment --------------------------------------------------------------------------------------


def citation_rows(session: Session, entry: CaseLaw) -> list[dict[str, Any]]:
    """The citations the judgment makes: printed form, the judgment in the collection (if the viewer may
    read it), occurrences, the citing sentence and suggested/confirmed treatment, and any warning."""
    visible = caselaw_visibility()
    made = network.citations_made(entry)
    known = network.resolve_keys(session, [c.cited_key for c in made], entry.id)
    readable_ids = set(session.scalars(select(CaseLaw.id).where(CaseLaw.id.in_([e.id for e in known.values()]),
                                                              visible(CaseLaw))))
    treatments = {t.cited_key: t for t in session.scalars(
        select(CitationTreatment).where(CitationTreatment.citing_id == entry.id))}
    targets = [e for e in known.values() if e.id in readable_ids]
    warnings = network.warnings_for(session, targets, visible)
    rows = []
    for citation in sorted(made, key=lambda c: presentation.display(c.cited_key)):
        target = known.get(citation.cited_key)
        target = target if target is not None and target.id in readable_ids else None
        rows.append({"key": citation.cited_key, "shown": presentation.display(citation.cited_key),
                     "target": target, "occurrences": citation.occurrences,
                     "treatment": treatments.get(citation.cited_key),
                     "warning": warnings.get(target.id) if target else None})
    return rows


@bp.get("/<int:caselaw_id>")
@login_required
def entry(caselaw_id: int) -> str:
    with db_session() as session:
        item = visible_entry(session, caselaw_id)
        visible = caselaw_visibility()
        citing = network.cited_by(session, item, visible)
        notes = list(session.scalars(select(PracticeNote).where(PracticeNote.case_law_id == item.id,
                                                                practice_note_read_condition(current_scope()))
                                     .order_by(PracticeNote.created_at.desc())))
        from models import CaseLawCollection, CaseLawCollectionItem

        collections = list(session.scalars(
            select(CaseLawCollection).join(CaseLawCollectionItem)
            .where(CaseLawCollectionItem.case_law_id == item.id).order_by(CaseLawCollection.name)))
        all_collections = list(session.scalars(select(CaseLawCollection).order_by(CaseLawCollection.name)))
        writable = session.scalar(select(CaseLaw.id).where(CaseLaw.id == item.id,
                                                           caselaw_write_condition(current_scope()))) is not None
        audit("view", "case_law", item.id, district_id=district_of(item))
        return render_template(
            "caselaw/entry.html", entry=item, handwritten_date=handwritten_date_page(session, item),
            cited_by=citing, citations=citation_rows(session, item),
            warning=network.warning_of(session, item, visible), notes=notes, collections=collections,
            all_collections=all_collections, headnotes={h.language: h for h in item.headnotes},
            missing=[gettext(m) for m in missing_for_approval(item)],
            can_edit=writable, can_approve=writable and can(the_user(), "caselaw.approve"),
            can_note=can(the_user(), "caselaw.note"), max_note=MAX_NOTE,
        )


def handwritten_date_page(session: Session, item: CaseLaw) -> int | None:
    """The page whose handwritten decision date the pipeline read by machine and no one has checked
    yet (its review reason is still set), or None."""
    if item.decided_on is None:
        return None
    return session.scalar(select(Page.page_no).where(
        Page.document_id == item.document_id,
        json_list_holds(Page.review_reasons, [str(ReviewReason.HANDWRITTEN_DATE)])).limit(1))


def handwritten_date_ids(session: Session, entries: list[CaseLaw]) -> set[int]:
    """Of ``entries``, those whose machine-read handwritten decision date no one has checked yet."""
    by_document = {e.document_id: e.id for e in entries if e.decided_on is not None}
    if not by_document:
        return set()
    return {by_document[d] for d in session.scalars(select(Page.document_id).where(
        Page.document_id.in_(sorted(by_document)),
        json_list_holds(Page.review_reasons, [str(ReviewReason.HANDWRITTEN_DATE)])).distinct())}


def settle_handwritten_date(session: Session, item: CaseLaw, user_id: int, via: str) -> list[int]:
    """A librarian who saves the record form (the decision date in front of them, changed or kept) or
    approves the record has checked the machine-read date: ``ReviewReason.HANDWRITTEN_DATE`` leaves the
    judgment's pages (the pages' and the document's ``needs_review`` follow the remaining reasons,
    ``ingest.review.clear_reason``), audited per page as a review. The caller commits. Returns the numbers
    of the pages changed."""
    from ingest.review import clear_reason

    reason = str(ReviewReason.HANDWRITTEN_DATE)
    pages = clear_reason(session, item.document, reason, user_id)
    for page in pages:
        audit("review", "page", page.id, district_id=district_of(item), document_id=item.document_id,
              page_no=page.page_no, outcome="date_checked", reasons=[reason], case_law_id=item.id, via=via,
              decided_on=item.decided_on.isoformat() if item.decided_on else "")
    return [page.page_no for page in pages]


# --- editing the record --------------------------------------------------------------------------------


def apply_edit(session: Session, item: CaseLaw, values: dict[str, object], user_id: int) -> dict[str, object]:
    """Set changed fields, re-link the citation network when the citations changed, audit old/new values,
    re-index the judgment (and the judgments it links to). Returns the changes."""
    changes = {k: v for k, v in values.items() if getattr(item, k) != v}
    if not changes:
        return changes
    previous_keys = item.citation_keys
    detail = {k: {"old": str(getattr(item, k) or ""), "new": str(v or "")} for k, v in changes.items()}
    for key, value in changes.items():
        setattr(item, key, value)
    item.curated_by_id = user_id
    if "parties" in changes and item.parties:
        item.document.title = presentation.judgment_title(item)[:300]  # lists show the judgment's title
    linked: list[int] = []
    if "citation" in changes or "parallel_citations" in changes:
        moved = network.relink(session, item, previous_keys)
        linked = [c.citing.document_id for c in session.scalars(
            select(CaseLawCitation).where(CaseLawCitation.cited_id == item.id))]
        linked += network.document_ids(session, [i for i in moved if i != item.id])
    audit("edit", "case_law", item.id, district_id=district_of(item), changes=detail)
    session.commit()
    reindex([item.document_id, *linked])
    return changes


def _form_defaults(item: CaseLaw) -> dict[str, str]:
    return {
        "citations": "; ".join(presentation.display_citation(k) for k in item.citation_keys),
        "case_numbers": "; ".join(presentation.case_numbers(item)),
        "court": item.court, "decided_on": item.decided_on.isoformat() if item.decided_on else "",
        "parties": item.parties, "judge": item.judge, "bench": "\n".join(item.bench or []),
        "result": item.result, "appealed_from_court": item.appealed_from_court,
        "appealed_from_case": item.appealed_from_case,
        "appealed_from_date": item.appealed_from_date.isoformat() if item.appealed_from_date else "",
        "summary": item.summary,
    }


def _carried_elsewhere(session: Session, item: CaseLaw) -> str | None:
    """The warning when another judgment already carries one of ``item``'s citations (usually the same
    judgment uploaded twice), naming only the records the librarian may read; None when none does.
    The citations still link to one judgment each (``network.resolve_keys``: the published one first)."""
    others = network.carried_elsewhere(session, item)
    if not others:
        return None
    readable = list(session.scalars(select(CaseLaw.id).where(CaseLaw.id.in_([o.id for o in others]),
                                                             caselaw_read_condition(current_scope()))
                                    .order_by(CaseLaw.id)))
    if readable:
        return gettext("Another record already carries this citation: case law no. %(ids)s. Two records of one "
                       "report are usually the same judgment uploaded twice: check them before approving.",
                       ids=", ".join(str(i) for i in readable))
    return gettext("A judgment of another district already carries this citation. Two records of one report "
                   "are usually the same judgment uploaded twice: check the citation before approving.")


@bp.route("/<int:caselaw_id>/edit", methods=["GET", "POST"])
@login_required
def edit(caselaw_id: int) -> BaseResponse | str | tuple[str, int]:
    with db_session() as session:
        item = visible_entry(session, caselaw_id, "edit")
        results = [(r.value, _result_label(r.value)) for r in JudgmentResult]
        if request.method == "GET":
            audit("view", "case_law", item.id, district_id=district_of(item), form="edit")
            return render_template("caselaw/edit.html", entry=item, error=None, form=_form_defaults(item),
                                   results=results)
        try:
            record = parse_record(request.form.to_dict())
        except CurationError as exc:
            audit("edit", "case_law", item.id, success=False, district_id=district_of(item), reason="invalid",
                  detail=str(exc))
            return render_template("caselaw/edit.html", entry=item, error=exc.shown(gettext),
                                   form=request.form, results=results), 400
        changes = apply_edit(session, item, record.values(), the_user().id)
        if settle_handwritten_date(session, item, the_user().id, "caselaw.edit"):
            session.commit()
            if not changes:  # apply_edit re-indexed it otherwise
                reindex([item.document_id])
        twins = (_carried_elsewhere(session, item)
                 if "citation" in changes or "parallel_citations" in changes else None)
    flash(gettext("Saved.") if changes else gettext("Nothing changed."), "success")
    if twins is not None:
        flash(twins, "warning")
    return redirect(url_for("caselaw.entry", caselaw_id=caselaw_id))


# --- publication ---------------------------------------------------------------------------------------


@bp.get("/review")
@login_required
def review() -> str:
    """Judgments awaiting a librarian's approval (those the librarian may change: their districts')."""
    with db_session() as session:
        stmt = (select(CaseLaw).where(caselaw_write_condition(current_scope()),
                                      ~CaseLaw.is_published)
                .order_by(CaseLaw.created_at.desc()).limit(200))
        entries = list(session.scalars(stmt))
        audit("list", "case_law", "review", results=len(entries), returned=[e.id for e in entries])
        return render_template("caselaw/review.html", entries=entries,
                               handwritten=handwritten_date_ids(session, entries),
                               missing={e.id: [gettext(m) for m in missing_for_approval(e)] for e in entries})


@bp.post("/<int:caselaw_id>/approve")
@login_required
def approve(caselaw_id: int) -> BaseResponse:
    """A librarian approves the record: the judgment becomes province-wide case law."""
    return _publication_step(caselaw_id, "approve")


@bp.post("/<int:caselaw_id>/withdraw")
@login_required
def withdraw(caselaw_id: int) -> BaseResponse:
    """A librarian withdraws a published judgment back to its district."""
    return _publication_step(caselaw_id, "withdraw")


def _publication_step(caselaw_id: int, action: str) -> BaseResponse:
    with db_session() as session:
        item = visible_entry(session, caselaw_id, action)
        try:
            change = (publication.approve_once(session, item, the_user().id)
                      if action == "approve" else publication.withdraw(item, session))
        except PublicationError as exc:
            session.rollback()
            audit(action, "case_law", caselaw_id, success=False, district_id=district_of(item), reason="refused",
                  detail=str(exc))
            flash(gettext(exc.message, **exc.params), "error")
            return redirect(url_for("caselaw.entry", caselaw_id=caselaw_id))
        if action == "approve":
            settle_handwritten_date(session, item, the_user().id, "caselaw.approve")
        audit(action, "case_law", item.id, district_id=district_of(item), status={"old": change.old, "new": change.new})
        session.commit()
        reindex([item.document_id, *network.cited_documents(session, item),  # their warnings and counts
                 *network.document_ids(session, change.relinked)])  # links to its reports moved
        still_read = session.scalar(select(CaseLaw.id).where(CaseLaw.id == item.id,
                                                             caselaw_read_condition(current_scope())))
    if action == "approve":
        flash(gettext("Published: every district can now read this judgment."), "success")
    elif still_read is None:  # another district's judgment: its page would answer 404 to this librarian now
        flash(gettext("Withdrawn: the judgment is back in its own district only, so it is no longer in your "
                      "list."), "success")
        return redirect(url_for("caselaw.index"))
    else:
        flash(gettext("Withdrawn: the judgment is visible in its district only."), "success")
    return redirect(url_for("caselaw.entry", caselaw_id=caselaw_id))



# --- the text of a judgment: librarians (published ones: librarians only) ----------------------------


@bp.post("/<int:caselaw_id>/pages/<int:page_no>/correction")
@login_required
def correct_page(caselaw_id: int, page_no: int) -> BaseResponse:
    """A librarian corrects the OCR text of a judgment through the case-law record (the WRITE predicate:
    every published judgment, and those of the librarian's districts before publication)."""
    from search_app.views.documents import MAX_CORRECTION_CHARS, save_correction

    text = request.form.get("corrected_text", "").replace("\r\n", "\n")
    with db_session() as session:
        item = visible_entry(session, caselaw_id, "correct")
        page = next((p for p in item.document.pages if p.page_no == page_no), None)
        if page is None:
            abort(404)
        if len(text) > MAX_CORRECTION_CHARS:
            abort(413, description=gettext("The corrected text is too long for one page."))
        save_correction(session, item.document, page, text, the_user().id)
    flash(gettext("Correction saved. The page will be searchable with the new text in a few seconds."), "success")
    return redirect(url_for("documents.page", document_id=item.document_id, page_no=page_no))

