"""Case-law JSON API under ``/api/v1/`` (described in ``search_app/apidoc/caselaw.json``): the list and
records (title, citations as printed and as keys, status, citator warning), related judgments, the
citation graph, statute pages, practice notes, reading typed references through legalrefs, and the
librarian's approval and treatment decisions.

Same login, scope, audit and error object as the pages and the core API: the scope predicates
(``auth.scope.caselaw_read_condition`` / ``caselaw_write_condition``) limit every list, record and change;
non-GET requests need the ``X-CSRFToken`` header (or an API token).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import Blueprint, Response, abort, current_app, jsonify, request
from flask_babel import gettext
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from caselaw import network, presentation, publication
from caselaw.curation import CurationError, parse_section, read_typed
from caselaw.record import facts_text
from legalrefs import offence_title
from legalrefs.display import display
from models import CaseLaw, CitationTreatment, PracticeNote, Treatment
from search_app import services
from search_app.audit import audit
from search_app.auth.scope import caselaw_visibility, current_scope, practice_note_read_condition
from search_app.errors import api_error
from search_app.search import SearchRequestError, SearchResults, SearchUnavailableError
from search_app.search.similar import MAX_DESCRIPTION_CHARS, similar_case_law
from search_app.views.access import db_session, search_scope, the_user
from search_app.views.caselaw import filtered_entries, reindex, settle_handwritten_date, visible_entry
from search_app.views.caselaw_knowledge import (
    _page_texts,
    _statutes,
    cases_under,
    leading_judgments,
    note_search_condition,
    section_notes,
)
from search_app.views.citation_graph import GraphNode, graph_data

bp = Blueprint("api_caselaw", __name__, url_prefix="/api/v1")

MAX_LIMIT = 100
MAX_OFFSET = 1_000_000
MAX_RELATED = 50  # judgments per related/similar answer
MAX_STATUTES = 20  # statute keys in a similar request


def _error(status: int, code: str, message: str) -> Response:
    """The app-wide error object (login, permission, CSRF and 404 answers come from search_app.errors)."""
    return api_error(status, code, message)


@bp.errorhandler(SearchRequestError)
def _bad_search(exc: SearchRequestError) -> Response:
    return _error(400, "bad_request", exc.message)


@bp.errorhandler(SearchUnavailableError)
def _search_down(exc: SearchUnavailableError) -> Response:
    return _error(503, "search_unavailable", str(exc))


def _paging() -> tuple[int, int]:
    try:
        limit = min(max(int(request.args.get("limit", 25)), 1), MAX_LIMIT)
        offset = max(int(request.args.get("offset", 0)), 0)
    except ValueError:
        abort(400, description="limit and offset must be whole numbers.")
    if offset > MAX_OFFSET:
        abort(400, description=f"offset must be at most {MAX_OFFSET}; narrow the list with filters.")
    return limit, offset


def _json_object() -> dict[str, Any]:
    body = request.get_json(silent=True)
    return body if isinstance(body, dict) else {}


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def caselaw_json(entry: CaseLaw, warning: network.Warning | None = None) -> dict[str, Any]:
    return {
        "id": entry.id, "document_id": entry.document_id, "title": presentation.judgment_title(entry),
        "citation": display(entry.citation) if entry.citation else "", "citation_key": entry.citation,
        "citations": [display(k) for k in entry.citation_keys], "citation_keys": entry.citation_keys,
        "case_number": entry.case_number, "case_numbers": presentation.case_numbers(entry), "court": entry.court,
        "decided_on": _iso(entry.decided_on), "parties": entry.parties, "judge": entry.judge,
        "bench": list(entry.bench or []), "result": entry.result,
        "appealed_from": {"court": entry.appealed_from_court, "case": entry.appealed_from_case,
                          "decided_on": _iso(entry.appealed_from_date)},
        "summary": entry.summary, "status": str(entry.status),
        "warning": {"treatment": str(warning.treatment), "by_id": warning.by_id, "by_title": warning.by_title}
        if warning else None,
    }


def results_json(results: SearchResults) -> dict[str, Any]:
    return {"total": results.total_documents, "items": [
        {"document_id": g.document_id, "caselaw_id": g.caselaw_id, "title": g.title,
         "citation": display(g.citation) if g.citation else "", "court": g.court, "decided_on": g.doc_date,
         "warning": g.treatment_flag or None, "score": g.score,
         "best_page": g.pages[0].page_no if g.pages else None} for g in results.groups]}


@bp.get("/caselaw")
def caselaw_list() -> Response:
    limit, offset = _paging()
    year = request.args.get("year", "")
    stmt = filtered_entries(request.args.get("court", "")[:200],
                            int(year) if year.isascii() and year.isdigit() and len(year) <= 4 else None,
                            request.args.get("filter", "")[:100], request.args.get("status", ""),
                            request.args.get("tag", "")[:60])
    with db_session() as session:
        total = session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
        rows = list(session.scalars(stmt.limit(limit).offset(offset)))
        warnings = network.warnings_for(session, rows, caselaw_visibility())
        audit("list", "case_law", "", api=True, results=total, returned=[c.id for c in rows])
        return jsonify({"total": total, "limit": limit, "offset": offset,
                        "items": [caselaw_json(c, warnings.get(c.id)) for c in rows]})


@bp.get("/caselaw/<int:caselaw_id>")
def caselaw_entry(caselaw_id: int) -> Response:
    with db_session() as session:
        entry = visible_entry(session, caselaw_id)
        visible = caselaw_visibility()
        body = caselaw_json(entry, network.warning_of(session, entry, visible))
        made = network.citations_made(entry)
        known = network.resolve_keys(session, [c.cited_key for c in made], entry.id)
        readable = set(session.scalars(select(CaseLaw.id).where(
            CaseLaw.id.in_([e.id for e in known.values()]), visible(CaseLaw))))
        treatments = {t.cited_key: t for t in session.scalars(
            select(CitationTreatment).where(CitationTreatment.citing_id == entry.id))}
        body["cites"] = [_citation_json(c.cited_key, c.occurrences, known, readable, treatments)
                         for c in made]
        body["cited_by"] = [caselaw_json(c) for c in network.cited_by(session, entry, visible)]
        body["headnotes"] = [{"language": h.language, "question": h.question, "held": h.held,
                              "sections": [display(k) for k in h.sections], "section_keys": h.sections,
                              "keywords": h.keywords} for h in entry.headnotes]
        body["tags"] = [t.tag for t in entry.tags]
        audit("view", "case_law", entry.id, api=True)
        return jsonify(body)


def _citation_json(key: str, occurrences: int, known: dict[str, CaseLaw], readable: set[int],
                   treatments: dict[str, CitationTreatment]) -> dict[str, Any]:
    target = known.get(key)
    treatment = treatments.get(key)
    return {"cited_key": key, "citation": display(key), "occurrences": occurrences,
            "cited_id": target.id if target is not None and target.id in readable else None,
            "suggested_treatment": treatment.suggested if treatment else None,
            "treatment": treatment.treatment if treatment else None,
            "sentence": treatment.sentence if treatment else None}


def _size() -> int:
    """``size``: a whole number from 1 to 50; anything else is a 400 (not clamped)."""
    raw = request.args.get("size", "10")
    size = int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 3 else 0
    if not 1 <= size <= MAX_RELATED:
        abort(400, description=f"size must be a whole number from 1 to {MAX_RELATED}.")
    return size


def _related(description: str, statutes: tuple[str, ...], exclude: int | None) -> SearchResults:
    """The related judgments; ``description`` is passed on whole (too long: 400 from ``similar_case_law``)."""
    app = services(current_app)
    return similar_case_law(app.es, app.settings, description, search_scope(the_user()), _size(), statutes, exclude,
                            vectors=app.page_vectors())


@bp.get("/caselaw/<int:caselaw_id>/related")
def related(caselaw_id: int) -> Response:
    with db_session() as session:
        entry = visible_entry(session, caselaw_id, "related")
        # the judgment's own text: cut to the longest description, not refused
        description = facts_text(_page_texts(session, entry.document_id))[:MAX_DESCRIPTION_CHARS]
        statutes = _statutes(session, entry.document_id)
        document_id = entry.document_id
    results = _related(description, statutes, document_id)
    audit("related", "case_law", caselaw_id, api=True, results=results.total_documents,
          returned=[g.document_id for g in results.groups])
    return jsonify(results_json(results))


@bp.post("/caselaw/similar")
def similar() -> Response:
    payload = _json_object()
    facts = payload.get("facts")
    if facts is not None and not isinstance(facts, str):
        abort(400, description="facts must be text.")
    listed = payload.get("statutes", [])
    if listed is None:
        listed = []
    if not isinstance(listed, list) or not all(isinstance(s, str) for s in listed):
        abort(400, description="statutes must be a list of statute keys (text).")
    if len(listed) > MAX_STATUTES:
        abort(400, description=f"statutes: at most {MAX_STATUTES}.")
    facts = facts or ""
    results = _related(facts, tuple(listed), None)
    audit("related", "facts", "", api=True, chars=len(facts), results=results.total_documents,
          returned=[g.document_id for g in results.groups])
    return jsonify(results_json(results))


@bp.get("/caselaw/<int:caselaw_id>/graph")
def graph(caselaw_id: int) -> Response:
    with db_session() as session:
        entry = visible_entry(session, caselaw_id)
        data = graph_data(session, entry)
        audit("view", "case_law", entry.id, part="graph", api=True)

    def nodes(items: tuple[GraphNode, ...]) -> list[dict[str, Any]]:
        return [{"label": n.label, "citation": n.citation or None, "url": n.url, "warning": n.warning or None}
                for n in items]

    return jsonify({"judgment": {"id": caselaw_id, "title": data.center.label,
                                 "citation": data.center.citation or None, "warning": data.center.warning or None},
                    "cites": nodes(data.cites), "cited_by": nodes(data.cited_by), "cites_total": data.cites_total,
                    "cited_by_total": data.cited_by_total, "cites_in_collection": data.in_collection})


@bp.get("/statutes/<path:key>")
def statute(key: str) -> Response:
    try:
        section = parse_section(key)
    except CurationError:
        abort(404, description="Not a statute section CMMS can read.")
    with db_session() as session:
        leading = leading_judgments(session, section)
        notes = section_notes(session, section)
        cases = cases_under(session, section)
        audit("view", "statute", section, api=True, judgments=[c.id for c, _ in leading],
              cases=[c.id for c in cases])
        return jsonify({"key": section, "section": display(section), "title": offence_title(section),
                        "leading": [dict(caselaw_json(c), cited_by=n) for c, n in leading],
                        "notes": [_note_json(n) for n in notes],
                        "cases": [{"id": c.id, "title": c.title, "fir": c.fir_label, "stage": str(c.stage)}
                                  for c in cases]})


def _note_json(note: PracticeNote) -> dict[str, Any]:
    """A note as the pages show it: ``author`` and ``created_at``; ``updated_at`` and ``updated_by`` (the
    editor's name) are null until it is edited."""
    return {"id": note.id, "caselaw_id": note.case_law_id, "statute_key": note.statute_key,
            "statute": display(note.statute_key) if note.statute_key else None, "body": note.body,
            "author": note.author_name, "created_at": _iso(note.created_at),
            "updated_at": _iso(note.updated_at), "updated_by": note.editor_name or None}


@bp.get("/practice-notes")
def notes() -> Response:
    text = (request.args.get("q") or "").strip()[:200]
    limit, offset = _paging()
    with db_session() as session:
        stmt = (select(PracticeNote).where(practice_note_read_condition(current_scope()))
                .order_by(PracticeNote.created_at.desc()))
        if text:
            stmt = stmt.where(note_search_condition(text))
        rows = list(session.scalars(stmt.limit(limit).offset(offset)))
        audit("search", "practice_note", "", api=True, query=text, results=len(rows), returned=[n.id for n in rows])
        return jsonify({"items": [_note_json(n) for n in rows], "limit": limit, "offset": offset})


@bp.get("/legalrefs/normalise")
def normalise() -> Response:
    """What a user typed, read through legalrefs: every reference with its key and printed form (sections
    written act first, ``PPC 302(b)``, too: ``caselaw.curation.read_typed``)."""
    text = (request.args.get("text") or "")[:2000]
    refs = read_typed(text)
    return jsonify({"references": [{"kind": str(r.kind), "raw": r.raw, "key": r.key, "printed": display(r.key)}
                                   for r in refs]})


@bp.post("/caselaw/<int:caselaw_id>/approve")
def approve(caselaw_id: int) -> Response:
    with db_session() as session:
        entry = visible_entry(session, caselaw_id, "approve")
        try:
            change = publication.approve_once(session, entry, the_user().id)
        except publication.PublicationError as exc:
            session.rollback()
            audit("approve", "case_law", caselaw_id, success=False, reason="refused", api=True)
            return _error(409, "not_approvable", gettext(exc.message, **exc.params))
        settle_handwritten_date(session, entry, the_user().id, "api.caselaw.approve")
        audit("approve", "case_law", entry.id, status={"old": change.old, "new": change.new}, api=True)
        session.commit()
        reindex([entry.document_id, *network.cited_documents(session, entry),  # their warnings and counts
                 *network.document_ids(session, change.relinked)])  # links to its reports moved
        return jsonify(caselaw_json(entry))


@bp.put("/caselaw/<int:caselaw_id>/treatments")
def treatment(caselaw_id: int) -> Response:
    payload = _json_object()
    key, value = str(payload.get("cited_key") or ""), str(payload.get("treatment") or "")
    with db_session() as session:
        entry = visible_entry(session, caselaw_id, "edit")
        if value not in {t.value for t in Treatment}:
            return _error(400, "bad_treatment", "treatment must be one of: " + ", ".join(t.value for t in Treatment))
        if key not in {c.cited_key for c in entry.citations_made}:
            return _error(400, "not_cited", "This judgment does not cite that precedent (use its cited_key).")
        row = _treatment_row(session, entry, key)
        old = row.treatment
        row.treatment, row.confirmed_by_id, row.confirmed_at = value, the_user().id, datetime.now(UTC)
        audit("treatment", "case_law", entry.id, cited_key=key, treatment={"old": old or "", "new": value},
              api=True)
        session.commit()
        cited = network.resolve_keys(session, [key], entry.id).get(key)
        reindex([cited.document_id] if cited is not None else [])
        return jsonify({"cited_key": key, "treatment": value, "suggested_treatment": row.suggested})


def _treatment_row(session: Session, entry: CaseLaw, key: str) -> CitationTreatment:
    row = session.scalar(select(CitationTreatment).where(CitationTreatment.citing_id == entry.id,
                                                         CitationTreatment.cited_key == key))
    if row is None:
        row = CitationTreatment(citing_id=entry.id, cited_key=key, suggested="", cue="", sentence="")
        session.add(row)
    return row
