"""Librarians' curation of case law: structured headnotes in English and Urdu (question of law,
held, sections, keywords; text kept as typed, line breaks and Urdu included), tags, topical
collections ("bail in narcotics cases"), and confirming the treatment of each cited precedent.

Confirming ``overruled``/``doubted`` flags the cited judgment everywhere it appears (list, record page,
search results): the cited judgment is re-indexed with its warning. Every change is audited.
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from sqlalchemy import and_, delete, func, select, true
from sqlalchemy.exc import IntegrityError
from werkzeug.wrappers import Response as BaseResponse

from caselaw import network
from caselaw.curation import LANGUAGES, CurationError, parse_collection, parse_headnote, parse_tags
from models import (
    CaseLaw,
    CaseLawCollection,
    CaseLawCollectionItem,
    CaseLawHeadnote,
    CaseLawTag,
    CitationTreatment,
    Treatment,
)
from search_app.audit import audit
from search_app.auth import login_required
from search_app.auth.scope import caselaw_read_condition, caselaw_visibility, current_scope, object_or_404
from search_app.views.access import db_session, deny, the_user
from search_app.views.caselaw import reindex, visible_entry

bp = Blueprint("caselaw_curation", __name__, url_prefix="/caselaw")



@bp.route("/<int:caselaw_id>/curate", methods=["GET", "POST"])
@login_required
def curate(caselaw_id: int) -> BaseResponse | str | tuple[str, int]:
    with db_session() as session:
        entry = visible_entry(session, caselaw_id, "edit")
        headnotes = {h.language: h for h in entry.headnotes}
        if request.method == "GET":
            audit("view", "case_law", entry.id, part="curation")
            return render_template("caselaw/curate.html", entry=entry, headnotes=headnotes, error=None,
                                   form=None, languages=LANGUAGES)
        form = request.form.to_dict()
        try:
            edits = [parse_headnote(form, language) for language in LANGUAGES]
            tags = parse_tags(form.get("tags", ""))
        except CurationError as exc:
            audit("edit", "case_law", entry.id, success=False, reason="invalid", detail=str(exc))
            return render_template("caselaw/curate.html", entry=entry, headnotes=headnotes, form=form,
                                   error=exc.shown(gettext), languages=LANGUAGES), 400
        user_id = the_user().id
        changed: dict[str, object] = {}
        for edit in edits:
            row = headnotes.get(edit.language)
            if edit.empty:
                if row is not None:
                    session.delete(row)
                    changed[f"headnote_{edit.language}"] = "removed"
                continue
            row = row or CaseLawHeadnote(case_law_id=entry.id, language=edit.language)
            before = (row.question, row.held, list(row.sections or []), list(row.keywords or []))
            row.question, row.held, row.sections, row.keywords = edit.question, edit.held, edit.sections, edit.keywords
            row.updated_by_id = user_id
            session.add(row)
            if before != (edit.question, edit.held, edit.sections, edit.keywords):
                changed[f"headnote_{edit.language}"] = {"sections": edit.sections, "keywords": edit.keywords,
                                                        "chars": len(edit.question) + len(edit.held)}
        old_tags = sorted(t.tag for t in entry.tags)
        if old_tags != sorted(tags):
            session.execute(delete(CaseLawTag).where(CaseLawTag.case_law_id == entry.id))
            session.add_all(CaseLawTag(case_law_id=entry.id, tag=t) for t in tags)
            changed["tags"] = {"old": old_tags, "new": tags}
        if changed:
            entry.curated_by_id = user_id
            audit("curate", "case_law", entry.id, changes=changed)
        session.commit()
        reindex([entry.document_id])
    flash(gettext("Headnotes and tags saved.") if changed else gettext("Nothing changed."), "success")
    return redirect(url_for("caselaw.entry", caselaw_id=caselaw_id))


@bp.post("/<int:caselaw_id>/treatments")
@login_required
def treatment(caselaw_id: int) -> BaseResponse:
    """Confirm (or change) how this judgment treats one precedent it cites."""
    key = (request.form.get("cited_key") or "").strip()
    value = (request.form.get("treatment") or "").strip()
    with db_session() as session:
        entry = visible_entry(session, caselaw_id, "edit")
        if value not in {t.value for t in Treatment}:
            deny("edit", "case_law", caselaw_id, reason="bad_treatment", status=400,
                 message=gettext("Choose a treatment from the list."))
        if key not in {c.cited_key for c in entry.citations_made}:
            deny("edit", "case_law", caselaw_id, reason="not_cited", status=400,
                 message=gettext("This judgment does not cite that precedent."))
        row = session.scalar(select(CitationTreatment).where(CitationTreatment.citing_id == entry.id,
                                                             CitationTreatment.cited_key == key))
        if row is None:
            row = CitationTreatment(citing_id=entry.id, cited_key=key, suggested="", cue="", sentence="")
            session.add(row)
        old = row.treatment
        row.treatment = value
        row.confirmed_by_id = the_user().id
        row.confirmed_at = datetime.now(UTC)
        audit("treatment", "case_law", entry.id, cited_key=key, suggested=row.suggested,
              treatment={"old": old or "", "new": value})
        session.commit()
        cited = network.resolve_keys(session, [key], entry.id).get(key)
        reindex([cited.document_id] if cited is not None else [])
    flash(gettext("Treatment saved."), "success")
    return redirect(url_for("caselaw.entry", caselaw_id=caselaw_id) + "#citations-made")


# --- collections -----------------------------------------------------------------------------------------


@bp.get("/collections")
@login_required
def collections() -> str:
    with db_session() as session:
        readable = select(CaseLaw.id).where(caselaw_read_condition(current_scope()))
        rows = session.execute(
            select(CaseLawCollection, func.count(CaseLawCollectionItem.id))
            .outerjoin(CaseLawCollectionItem, and_(CaseLawCollectionItem.collection_id == CaseLawCollection.id,
                                                   CaseLawCollectionItem.case_law_id.in_(readable)))
            .group_by(CaseLawCollection.id).order_by(CaseLawCollection.name)
        ).tuples().all()  # counts only the judgments this user may read
        audit("list", "case_law_collection", "", results=len(rows))
        return render_template("caselaw/collections.html", rows=rows)


@bp.post("/collections")
@login_required
def create_collection() -> BaseResponse:
    with db_session() as session:
        try:
            edit = parse_collection(request.form.get("name"), request.form.get("description"),
                                    session.scalars(select(CaseLawCollection.name)))
        except CurationError as exc:
            flash(exc.shown(gettext), "error")
            return redirect(url_for("caselaw_curation.collections"))
        name = edit.name
        collection = CaseLawCollection(name=name, description=edit.description, created_by_id=the_user().id)
        session.add(collection)
        try:
            session.flush()
        except IntegrityError:
            session.rollback()
            flash(gettext("A collection with that name already exists."), "error")
            return redirect(url_for("caselaw_curation.collections"))
        audit("create", "case_law_collection", collection.id, name=name)
        collection_id = collection.id
    return redirect(url_for("caselaw_curation.collection", collection_id=collection_id))


@bp.get("/collections/<int:collection_id>")
@login_required
def collection(collection_id: int) -> str:
    with db_session() as session:
        item = object_or_404(session, CaseLawCollection, collection_id, true(), action="view",
                             object_type="case_law_collection")
        visible = caselaw_visibility()
        entries = list(session.scalars(
            select(CaseLaw).join(CaseLawCollectionItem, CaseLawCollectionItem.case_law_id == CaseLaw.id)
            .where(CaseLawCollectionItem.collection_id == collection_id, visible(CaseLaw))
            .order_by(CaseLawCollectionItem.position, CaseLaw.decided_on.desc().nulls_last())))
        warnings = network.warnings_for(session, entries, visible)
        audit("view", "case_law_collection", collection_id, results=len(entries), returned=[e.id for e in entries])
        return render_template("caselaw/collection.html", collection=item, entries=entries, warnings=warnings)


@bp.post("/<int:caselaw_id>/collections")
@login_required
def add_to_collection(caselaw_id: int) -> BaseResponse:
    raw = request.form.get("collection_id") or ""
    with db_session() as session:
        entry = visible_entry(session, caselaw_id, "edit")
        target = (session.get(CaseLawCollection, int(raw))
                  if raw.isascii() and raw.isdigit() and len(raw) <= 18 else None)
        if target is None:
            deny("edit", "case_law", caselaw_id, reason="no_collection", status=400,
                 message=gettext("Choose a collection."))
        exists = session.scalar(select(CaseLawCollectionItem.id).where(
            CaseLawCollectionItem.collection_id == target.id, CaseLawCollectionItem.case_law_id == entry.id))
        if exists is None:
            position = session.scalar(select(func.count()).where(
                CaseLawCollectionItem.collection_id == target.id)) or 0
            session.add(CaseLawCollectionItem(collection_id=target.id, case_law_id=entry.id, position=position,
                                              added_by_id=the_user().id))
            audit("add", "case_law_collection", target.id, caselaw_id=entry.id)
        name = target.name
    flash(gettext("Added to “%(name)s”.", name=name), "success")
    return redirect(url_for("caselaw.entry", caselaw_id=caselaw_id))


@bp.post("/collections/<int:collection_id>/remove/<int:caselaw_id>")
@login_required
def remove_from_collection(collection_id: int, caselaw_id: int) -> BaseResponse:
    with db_session() as session:
        visible_entry(session, caselaw_id, "edit")
        session.execute(delete(CaseLawCollectionItem).where(CaseLawCollectionItem.collection_id == collection_id,
                                                            CaseLawCollectionItem.case_law_id == caselaw_id))
        audit("remove", "case_law_collection", collection_id, caselaw_id=caselaw_id)
    return redirect(url_for("caselaw_curation.collection", collection_id=collection_id))
