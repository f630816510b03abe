"""The knowledge network around case law: related judgments (from a judgment, a search hit, a case's
FIR facts and sections, or facts typed in), the citation graph, statute pages and practice notes.

Related judgments are the "find similar judgments" search (``search.similar``) with the starting
point's facts and sections, within the viewer's scope. Statute pages gather a section's offence
title, its leading judgments (most cited, newest), practice notes and the department's cases under it
(the viewer's districts only). Practice notes are read as their judgment is (``practice_note_read_condition``:
a note on a judgment awaiting approval stays in its district; a section's note is province-wide); author,
date and every edit audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response as BaseResponse

from caselaw import network, sections
from caselaw.curation import MAX_NOTE, CurationError, parse_note, parse_section, parse_sections
from caselaw.presentation import judgment_title
from caselaw.record import facts_text
from indexer.documents import statute_keys_with_broader
from legalrefs import offence_title
from legalrefs.display import display_statute
from models import Case, CaseLaw, CaseLawCitation, CaseLawHeadnote, DocType, Document, Entity, Page, PracticeNote
from models.like import contains
from search_app import services
from search_app.audit import audit
from search_app.auth import login_required
from search_app.auth.policy import can
from search_app.auth.scope import (
    case_or_404,
    caselaw_visibility,
    current_scope,
    document_read_condition,
    object_or_404,
    practice_note_read_condition,
    scoped_cases,
)
from search_app.search import SearchRequestError, SearchResults, SearchUnavailableError
from search_app.search.similar import MAX_DESCRIPTION_CHARS, similar_case_law
from search_app.views.access import db_session, deny, search_scope, the_user, visible_document
from search_app.views.caselaw import visible_entry
from search_app.views.citation_graph import graph_data, layout
from search_app.views.snippets import safe_highlight

bp = Blueprint("caselaw_knowledge", __name__, url_prefix="/caselaw")

RELATED_SIZE = 10
MAX_STATUTES = 12
LEADING = 10
NOTES_PAGE = 50


# --- related judgments ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Origin:
    """Where "related judgments" start from: shown above the results."""

    kind: str  # "judgment", "document", "case", "facts"
    label: str
    url: str | None
    prefix: str = ""  # shown before the label, each isolated on its own (a case's "FIR 321/2025, PS ...")

    @property
    def full_label(self) -> str:
        return f"{self.prefix}: {self.label}" if self.prefix else self.label


def _statutes(session: Session, document_id: int) -> tuple[str, ...]:
    """The sections a document names most often (legalrefs keys), at most ``MAX_STATUTES``."""
    stmt = (select(Entity.key, func.count()).where(Entity.document_id == document_id, Entity.kind == "statute")
            .group_by(Entity.key).order_by(func.count().desc()).limit(MAX_STATUTES))
    return tuple(k for k, _ in session.execute(stmt).tuples() if k)


def _page_texts(session: Session, document_id: int) -> list[str]:
    pages = session.scalars(select(Page).where(Page.document_id == document_id).order_by(Page.page_no))
    return [p.effective_text for p in pages]


def _run_related(description: str, statutes: tuple[str, ...], exclude: int | None,
                 ) -> tuple[SearchResults | None, str | None, int]:
    """(results, message for the user, HTTP status). The description is passed on whole: a typed one that
    is too long is refused with a message (the routes that build it from a document cut their own)."""
    if not description.strip():
        return None, gettext("There is no text to compare yet: the document has no readable pages."), 200
    app = services(current_app)
    try:
        results = similar_case_law(app.es, app.settings, description, search_scope(the_user()), RELATED_SIZE,
                                   statutes, exclude,
                                   vectors=app.page_vectors())
    except SearchRequestError as exc:
        return None, exc.message, 400
    except SearchUnavailableError as exc:
        return None, str(exc), 503
    return results, None, 200


def _render_related(origin: Origin, description: str, statutes: tuple[str, ...], exclude: int | None,
                    object_id: int | None = None) -> tuple[str, int]:
    """The related judgments page; audited on the object read (``object_id`` of the judgment, document or
    case whose text was used; the district follows from it)."""
    results, error, status = _run_related(description, statutes, exclude)
    kinds = {"judgment": "case_law", "document": "document", "case": "case"}
    audit("related", kinds.get(origin.kind, origin.kind), object_id if object_id is not None else origin.label[:100],
          label=origin.full_label[:100], statutes=list(statutes), results=results.total_documents if results else 0,
          returned=[g.document_id for g in results.groups] if results else [], success=error is None)
    page = render_template("caselaw/related.html", origin=origin, results=results, error=error,
                           statutes=[display_statute(s) for s in statutes], description=description,
                           highlight=safe_highlight)
    return page, status


@bp.get("/<int:caselaw_id>/related")
@login_required
def related(caselaw_id: int) -> tuple[str, int]:
    """Judgments related to a judgment: its facts (the opening of its body) and its sections."""
    with db_session() as session:
        entry = visible_entry(session, caselaw_id, "related")
        description = facts_text(_page_texts(session, entry.document_id))
        origin = Origin("judgment", judgment_title(entry), url_for("caselaw.entry", caselaw_id=entry.id))
        statutes = _statutes(session, entry.document_id)
        document_id = entry.document_id
    return _render_related(origin, description[:MAX_DESCRIPTION_CHARS], statutes, document_id, caselaw_id)


@bp.get("/related/document/<int:document_id>")
@login_required
def related_to_document(document_id: int) -> tuple[str, int]:
    """Judgments related to any document the user may open (a search hit): its facts and sections."""
    with db_session() as session:
        document = visible_document(session, document_id, "related")
        texts = _page_texts(session, document.id)
        is_judgment = document.doc_type == DocType.JUDGMENT
        description = facts_text(texts) if is_judgment else " ".join(" ".join(texts[:2]).split()[:400])
        origin = Origin("document", document.title or document.original_filename,
                        url_for("documents.show", document_id=document.id))
        statutes = _statutes(session, document.id)
    return _render_related(origin, description[:MAX_DESCRIPTION_CHARS], statutes, document_id, document_id)


@bp.get("/related/case/<int:case_id>")
@login_required
def related_to_case(case_id: int) -> tuple[str, int]:
    """Judgments related to a case: the facts of its FIR (and other papers) and its sections."""
    with db_session() as session:
        case = case_or_404(session, case_id, "related")
        documents = list(session.scalars(
            select(Document).where(Document.case_id == case.id, document_read_condition(current_scope()))
            .order_by((Document.doc_type != DocType.FIR), Document.id)))
        texts: list[str] = []
        for document in documents[:3]:
            texts.extend(_page_texts(session, document.id)[:2])
        description = " ".join(" ".join([case.title, case.notes or "", *texts]).split()[:500])
        statutes = tuple(statute_keys_with_broader(case.sections or []))
        origin = Origin("case", case.title, url_for("cases.show", case_id=case.id), prefix=case.fir_label)
    return _render_related(origin, description[:MAX_DESCRIPTION_CHARS], statutes, None, case_id)


@bp.route("/similar", methods=["GET", "POST"])
@login_required
def similar() -> tuple[str, int]:
    """Judgments like facts typed or pasted in (a prosecutor's own case description)."""
    description = (request.values.get("facts") or "").strip()
    if not description:
        return render_template("caselaw/related.html", origin=Origin("facts", "", None), results=None,
                               error=None, statutes=[], description="", highlight=safe_highlight), 200
    return _render_related(Origin("facts", gettext("the facts you described"), None), description, (), None)


# --- citation graph ------------------------------------------------------------------------------------


@bp.get("/<int:caselaw_id>/graph")
@login_required
def graph(caselaw_id: int) -> str:
    """A small citation graph, drawn as SVG on the server (no script)."""
    with db_session() as session:
        entry = visible_entry(session, caselaw_id, "view")
        data = graph_data(session, entry)
        audit("view", "case_law", entry.id, part="graph")
        return render_template("caselaw/graph.html", entry=entry, graph=data, drawn=layout(data),
                               warning=data.warning)


@login_required
def network_page() -> str:
    """The collection's citation network in numbers: the most cited judgments."""
    with db_session() as session:
        visible = caselaw_visibility()
        rows = network.most_cited(session, visible, 30)
        readable = select(CaseLaw.id).where(visible(CaseLaw))
        totals = {
            "judgments": session.scalar(select(func.count()).select_from(CaseLaw).where(visible(CaseLaw))) or 0,
            "links": session.scalar(select(func.count()).select_from(CaseLawCitation).where(  # both ends readable
                CaseLawCitation.cited_id.in_(readable), CaseLawCitation.citing_id.in_(readable))) or 0,
        }
        warnings = network.warnings_for(session, [e for e, _ in rows], visible)
        audit("list", "case_law", "network", results=len(rows), returned=[e.id for e, _ in rows])
        return render_template("caselaw/network.html", rows=rows, totals=totals, warnings=warnings)


bp.add_url_rule("/network", endpoint="network", view_func=network_page)


# --- statute pages -------------------------------------------------------------------------------------


def leading_judgments(session: Session, key: str, limit: int = LEADING) -> list[tuple[CaseLaw, int]]:
    """Judgments the viewer may read that deal with section ``key`` or a sub-clause of it (named in their
    text or their headnote; ``caselaw.sections``: PPC 30 is not PPC 302), most cited first, then newest."""
    by_text = select(Entity.document_id).where(Entity.kind == "statute", sections.key_condition(Entity.key, key))
    by_headnote = select(CaseLawHeadnote.case_law_id).where(sections.list_condition(CaseLawHeadnote.sections, key))
    visible = caselaw_visibility()
    candidates = list(session.scalars(select(CaseLaw).where(
        or_(CaseLaw.document_id.in_(by_text), CaseLaw.id.in_(by_headnote)), visible(CaseLaw)).limit(500)))
    scored = [(c, network.cited_by_count(session, c, visible)) for c in candidates]
    scored.sort(key=lambda row: (-row[1], -(row[0].decided_on.toordinal() if row[0].decided_on else 0)))
    return scored[:limit]


def cases_under(session: Session, key: str, limit: int = 50) -> list[Case]:
    """The department's cases charged under ``key`` or a sub-clause of it (``caselaw.sections``), in the
    viewer's districts."""
    stmt = scoped_cases(select(Case).where(sections.list_condition(Case.sections, key))
                        .order_by(Case.updated_at.desc()).limit(limit * 4))
    out = [c for c in session.scalars(stmt) if any(sections.covers(key, k) for k in (c.sections or []))]
    return out[:limit]


def section_notes(session: Session, key: str) -> list[PracticeNote]:
    """The practice notes the user reads on section ``key`` or a sub-clause of it, newest first."""
    return list(session.scalars(select(PracticeNote).where(
        sections.key_condition(PracticeNote.statute_key, key), practice_note_read_condition(current_scope()))
        .order_by(PracticeNote.created_at.desc())))


@bp.get("/statutes")
@login_required
def statute_lookup() -> BaseResponse | str:
    """``?section=302(b) PPC`` -> that section's page; blank shows the lookup form."""
    typed = (request.args.get("section") or "").strip()
    if not typed:
        return render_template("caselaw/statute_lookup.html", error=None, typed="")
    try:
        key = parse_section(typed)
    except CurationError as exc:
        return render_template("caselaw/statute_lookup.html", error=exc.shown(gettext),
                               typed=typed)
    return redirect(url_for("caselaw_knowledge.statute", key=key))


@bp.get("/statutes/<path:key>")
@login_required
def statute(key: str) -> str | tuple[str, int]:
    """A section's page; a key legalrefs cannot read (``PPC 302(b)(c)(d)(e)``) is answered 404 with the
    lookup form and the reason, never a page that takes notes."""
    try:
        key = parse_section(key)
    except CurationError as exc:
        return render_template("caselaw/statute_lookup.html", error=exc.shown(gettext), typed=key[:200]), 404
    with db_session() as session:
        leading = leading_judgments(session, key)
        newest = sorted((c for c, _ in leading), key=lambda c: c.decided_on.toordinal() if c.decided_on else 0,
                        reverse=True)
        notes = section_notes(session, key)
        cases = cases_under(session, key)
        warnings = network.warnings_for(session, [c for c, _ in leading], caselaw_visibility())
        audit("view", "statute", key, judgments=[c.id for c, _ in leading], cases=[c.id for c in cases])
        return render_template("caselaw/statute.html", key=key, shown=display_statute(key),
                               title=offence_title(key), leading=leading, newest=newest[:LEADING], notes=notes,
                               cases=cases, warnings=warnings, can_note=can(the_user(), "caselaw.note"),
                               max_note=MAX_NOTE)


# --- practice notes ------------------------------------------------------------------------------------


@bp.get("/notes")
@login_required
def notes() -> str:
    """The practice notes the user reads (``practice_note_read_condition``), newest first, searchable by
    words and by section."""
    text = (request.args.get("q") or "").strip()[:200]
    with db_session() as session:
        stmt = (select(PracticeNote).where(practice_note_read_condition(current_scope()))
                .order_by(PracticeNote.created_at.desc()))
        if text:
            stmt = stmt.where(note_search_condition(text))
        rows = list(session.scalars(stmt.limit(NOTES_PAGE)))
        visible = caselaw_visibility()
        readable = set(session.scalars(select(CaseLaw.id).where(
            CaseLaw.id.in_([n.case_law_id for n in rows if n.case_law_id]), visible(CaseLaw))))
        audit("search", "practice_note", "", query=text, results=len(rows), returned=[n.id for n in rows])
        return render_template("caselaw/notes.html", notes=rows, query=text, readable=readable)


def _note_district(note: PracticeNote) -> int | None:
    """The district of a note's judgment (for the audit of a refused read); None for a section's note."""
    judgment = note.case_law.document if note.case_law is not None else None
    return judgment.district_id if judgment is not None else None


def note_search_condition(text: str) -> ColumnElement[bool]:
    """Notes whose text holds ``text`` (``%`` and ``_`` literally), or, when ``text`` names sections,
    notes on those sections or their sub-clauses ("302 PPC" finds a note on 302(b) PPC)."""
    condition: ColumnElement[bool] = contains(func.lower(PracticeNote.body), text.lower())
    try:
        keys = parse_sections(text)
    except CurationError:
        keys = []
    return or_(condition, *(sections.key_condition(PracticeNote.statute_key, k) for k in keys))


@bp.post("/notes")
@login_required
def add_note() -> BaseResponse | tuple[str, int]:
    """A note on a judgment (``caselaw_id``) or a statute section (``statute``)."""
    raw_id = request.form.get("caselaw_id") or ""
    section = (request.form.get("statute") or "").strip()
    with db_session() as session:
        try:
            body = parse_note(request.form.get("body"))
            key = parse_section(section) if section and not raw_id else ""
        except CurationError as exc:
            # the form comes back with the clerk's text in it: a refused note is never lost
            return render_template("caselaw/note_edit.html", note=None, body=request.form.get("body") or "",
                                   caselaw_id=raw_id, statute=section, max_note=MAX_NOTE,
                                   error=exc.shown(gettext)), 400
        entry = visible_entry(session, int(raw_id), "note") if raw_id.isdigit() else None
        if entry is None and not key:
            deny("create", "practice_note", "", reason="no_target", status=400,
                 message=gettext("A note belongs to a judgment or a statute section."))
        note = PracticeNote(case_law_id=entry.id if entry else None, statute_key=key, body=body,
                            author_id=the_user().id)
        session.add(note)
        session.flush()
        audit("create", "practice_note", note.id, caselaw_id=note.case_law_id, statute=key, chars=len(body))
        target = (url_for("caselaw.entry", caselaw_id=entry.id) if entry
                  else url_for("caselaw_knowledge.statute", key=key))
        province_wide = entry is None or entry.is_published
    flash(gettext("Practice note saved: every district can read it.") if province_wide
          else gettext("Practice note saved: those who may read this judgment read it (its district, until a "
                       "librarian approves the judgment)."), "success")
    return redirect(target + "#practice-notes")


@bp.route("/notes/<int:note_id>/edit", methods=["GET", "POST"])
@login_required
def edit_note(note_id: int) -> BaseResponse | str | tuple[str, int]:
    """The author (or a librarian) edits a note; the old and new text lengths and the editor are audited."""
    with db_session() as session:
        note = object_or_404(session, PracticeNote, note_id, practice_note_read_condition(current_scope()),
                             action="edit", object_type="practice_note", district_of=_note_district)
        user = the_user()
        # the author, or a curator of the collection (caselaw.write); notes are read province-wide
        if note.author_id != user.id and not can(user, "caselaw.write"):
            deny("edit", "practice_note", note_id, reason="not_author", status=403)
        if request.method == "GET":
            return render_template("caselaw/note_edit.html", note=note, body=note.body, max_note=MAX_NOTE, error=None)
        try:
            body = parse_note(request.form.get("body"))
        except CurationError as exc:
            return render_template("caselaw/note_edit.html", note=note, body=request.form.get("body") or "",
                                   max_note=MAX_NOTE, error=exc.shown(gettext)), 400
        if body != note.body:
            audit("edit", "practice_note", note.id, old=note.body[:500], new=body[:500])
            note.body = body
            note.updated_at = datetime.now(UTC)
            note.updated_by_id = user.id
        target = (url_for("caselaw.entry", caselaw_id=note.case_law_id) if note.case_law_id
                  else url_for("caselaw_knowledge.statute", key=note.statute_key))
    flash(gettext("Note saved."), "success")
    return redirect(target + "#practice-notes")

