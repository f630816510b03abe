"""Case law: judgments as entries (citation, court, date, parties, judge), a filtered list, a search
limited to case law, an entry page with the citations it makes and the judgments citing it, and
librarian editing of the metadata (audited, then re-indexed).

Case law is published judgments: every logged-in user sees it (as the search scope does); the
judgment's scanned document still opens through the scoped viewer.
"""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from sqlalchemy import Select, extract, func, select
from sqlalchemy.orm import Session, selectinload
from werkzeug.wrappers import Response as BaseResponse

from models import CaseLaw, CaseLawCitation, Role
from search_app import services
from search_app.audit import audit
from search_app.auth import login_required, roles_required
from search_app.views.access import db_session, the_user
from search_app.views.search import render_search_page

bp = Blueprint("caselaw", __name__, url_prefix="/caselaw")

PAGE_SIZE = 25
EDITOR_ROLES = (Role.LIBRARIAN, Role.ADMIN)
EDITABLE_FIELDS: dict[str, int] = {  # field -> maximum length (as in the model)
    "citation": 120, "case_number": 120, "court": 200, "parties": 500, "judge": 300, "summary": 20_000,
}


class CaseLawFormError(ValueError):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def filtered_entries(court: str, year: int | None, text: str) -> Select[tuple[CaseLaw]]:
    stmt = select(CaseLaw)
    if court:
        stmt = stmt.where(CaseLaw.court == court)
    if year:
        stmt = stmt.where(extract("year", CaseLaw.decided_on) == year)
    if text:
        like = f"%{text.lower()}%"
        stmt = stmt.where(
            func.lower(CaseLaw.citation).like(like) | func.lower(CaseLaw.parties).like(like)
            | func.lower(CaseLaw.judge).like(like) | func.lower(CaseLaw.case_number).like(like)
        )
    return stmt.order_by(CaseLaw.decided_on.desc().nulls_last(), CaseLaw.id.desc())


def _year(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


@bp.get("")
@login_required
def index() -> tuple[str, int]:
    """With ``q``: a full-text search limited to case law. Without: the filtered list of entries."""
    if request.args.get("q"):
        return render_search_page("caselaw/index.html", case_law_only=True, endpoint="caselaw.index",
                                  mode="search", listing=None, courts=[])
    court = (request.args.get("court_name") or "").strip()
    year = _year(request.args.get("decided_year"))
    text = (request.args.get("filter") or "").strip()[:100]
    page = max(_year(request.args.get("page")) or 1, 1)
    with db_session() as session:
        stmt = filtered_entries(court, year, text)
        total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
        entries = list(session.scalars(stmt.limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)))
        courts = [c for c in session.scalars(select(CaseLaw.court).distinct().order_by(CaseLaw.court)) if c]
    listing = {"entries": entries, "total": total, "page": page, "pages": max(-(-total // PAGE_SIZE), 1),
               "court": court, "year": year, "filter": text}
    return render_template("caselaw/index.html", mode="list", listing=listing, courts=courts,
                           search_request=None, results=None, error=None), 200


def _entry(session: Session, caselaw_id: int) -> CaseLaw:
    stmt = (select(CaseLaw).where(CaseLaw.id == caselaw_id)
            .options(selectinload(CaseLaw.citations_made).selectinload(CaseLawCitation.cited)))
    entry = session.scalar(stmt)
    if entry is None:
        abort(404)
    return entry


def cited_by(session: Session, entry: CaseLaw) -> list[CaseLaw]:
    """Judgments in the collection citing ``entry`` (linked by id, or by its citation key)."""
    condition = CaseLawCitation.cited_id == entry.id
    if entry.citation:
        condition = condition | (CaseLawCitation.cited_key == entry.citation)
    citing_ids = select(CaseLawCitation.citing_id).where(condition)
    stmt = select(CaseLaw).where(CaseLaw.id.in_(citing_ids), CaseLaw.id != entry.id)
    return list(session.scalars(stmt.order_by(CaseLaw.decided_on.desc().nulls_last())))


def resolve_citations(session: Session, entry: CaseLaw) -> dict[str, CaseLaw]:
    """Cited keys -> entries in the collection, for citations stored before the cited judgment arrived."""
    keys = [c.cited_key for c in entry.citations_made if c.cited is None]
    if not keys:
        return {}
    return {c.citation: c for c in session.scalars(select(CaseLaw).where(CaseLaw.citation.in_(keys)))}


@bp.get("/<int:caselaw_id>")
@login_required
def entry(caselaw_id: int) -> str:
    with db_session() as session:
        item = _entry(session, caselaw_id)
        audit("view", "case_law", item.id)
        return render_template(
            "caselaw/entry.html", entry=item, cited_by=cited_by(session, item),
            resolved=resolve_citations(session, item),
            can_edit=the_user().role in EDITOR_ROLES,
        )


def parse_form(form: dict[str, str]) -> dict[str, object]:
    values: dict[str, object] = {}
    for name, limit in EDITABLE_FIELDS.items():
        value = (form.get(name) or "").strip()
        if len(value) > limit:
            label = name.replace("_", " ").capitalize()
            raise CaseLawFormError(f"{label} is longer than {limit} characters.")
        values[name] = value
    decided = (form.get("decided_on") or "").strip()
    try:
        values["decided_on"] = date.fromisoformat(decided) if decided else None
    except ValueError:
        raise CaseLawFormError("Decision date must be a date like 2019-03-31.") from None
    return values


def apply_edit(session: Session, item: CaseLaw, values: dict[str, object], user_id: int) -> dict[str, object]:
    """Set changed fields, audit old/new values, re-index the judgment. Returns the changes."""
    from jobs.enqueue import enqueue_reindex_document

    changes = {k: v for k, v in values.items() if getattr(item, k) != v}
    if not changes:
        return changes
    detail = {k: {"old": str(getattr(item, k) or ""), "new": str(v or "")} for k, v in changes.items()}
    for key, value in changes.items():
        setattr(item, key, value)
    item.curated_by_id = user_id
    audit("edit", "case_law", item.id, changes=detail)
    session.commit()
    enqueue_reindex_document(services(current_app).redis, item.document_id)
    return changes


@bp.route("/<int:caselaw_id>/edit", methods=["GET", "POST"])
@login_required
@roles_required(*EDITOR_ROLES)
def edit(caselaw_id: int) -> BaseResponse | str | tuple[str, int]:
    with db_session() as session:
        item = _entry(session, caselaw_id)
        if request.method == "GET":
            return render_template("caselaw/edit.html", entry=item, error=None, form=None)
        try:
            values = parse_form(request.form.to_dict())
        except CaseLawFormError as exc:
            return render_template("caselaw/edit.html", entry=item, error=exc.message,
                                   form=request.form), 400
        changes = apply_edit(session, item, values, the_user().id)
    flash("Saved." if changes else "Nothing changed.", "success")
    return redirect(url_for("caselaw.entry", caselaw_id=caselaw_id))
