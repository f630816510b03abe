"""The search page (one box, facets, sort, paging), the query-language help page and saved searches.

Every search is audited with its text, filters and result count, including refused ones.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, gettext
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response as BaseResponse

from models import SavedSearch, User
from search_app import services
from search_app.audit import audit
from search_app.auth import login_required
from search_app.db import get_session
from search_app.search import (
    ParseError,
    SearchRequest,
    SearchRequestError,
    SearchResults,
    SearchUnavailableError,
    search,
)
from search_app.search.page_refs import load_page_refs
from search_app.search.request import FACET_LABELS, MAX_RESULT_WINDOW
from search_app.views.access import db_session, search_scope, the_user
from search_app.views.search_params import (
    args_from_saved,
    filters_of,
    request_from_args,
    toggle_facet,
    url_args,
)
from search_app.views.snippets import safe_highlight

bp = Blueprint("search", __name__, url_prefix="/search")

_APP_DIR = Path(__file__).resolve().parent.parent
QUERY_LANGUAGE_FILES = (_APP_DIR / "search" / "QUERY_LANGUAGE.md", _APP_DIR / "QUERY_LANGUAGE.md",
                        _APP_DIR.parent / "QUERY_LANGUAGE.md")
MAX_SAVED_PER_USER = 100


def help_files(language: str) -> list[Path]:
    """The query-language guide in ``language`` (``QUERY_LANGUAGE.ur.md``), else in English."""
    localised = [p.with_name(f"{p.stem}.{language}.md") for p in QUERY_LANGUAGE_FILES] if language != "en" else []
    return [*localised, *QUERY_LANGUAGE_FILES]


class SearchFailed(Exception):
    """A search that could not run. ``message`` is English (API, audit), ``shown`` the same in the
    reader's language (web pages), ``status`` the HTTP status."""

    def __init__(self, message: str, status: int, shown: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.shown = shown or message
        self.status = status


def run_search(search_request: SearchRequest, user: User) -> SearchResults:
    """Run a search limited to the user's districts, and audit it (query text, filters, result count)."""
    app_services = services(current_app)
    filters = filters_of(search_request)
    try:
        # hit pages come from a scoped search; their reference spans are read from the database so a
        # statute/citation/FIR query shows the printed reference marked, not the top of the page
        results = search(app_services.es, app_services.settings, search_request, search_scope(user),
                         page_refs=lambda pages: load_page_refs(get_session(), pages))
    except (ParseError, SearchRequestError) as exc:
        failure = SearchFailed(exc.message, 400, gettext(exc.template, **exc.params))
    except SearchUnavailableError as exc:
        failure = SearchFailed(str(exc), 503, gettext(exc.template))
    else:
        with db_session():
            audit("search", "search", "", query=search_request.text, filters=filters,
                  results=results.total_documents, pages=results.total_pages, took_ms=results.took_ms)
        return results
    with db_session():
        audit("search", "search", "", success=False, query=search_request.text, filters=filters,
              error=failure.message)
    raise failure


def _has_criteria(search_request: SearchRequest) -> bool:
    return bool(search_request.text or search_request.facets or search_request.case_id
                or search_request.case_law_only or search_request.date_from or search_request.date_to)


def render_search_page(template: str, case_law_only: bool = False, **context: object) -> tuple[str, int]:
    """Parse the URL, run the search if there is anything to search for, render ``template``."""
    status = 200
    error: str | None = None
    results: SearchResults | None = None
    search_request = SearchRequest(case_law_only=case_law_only)
    try:
        search_request = request_from_args(request.args, case_law_only=case_law_only)
        if _has_criteria(search_request):
            results = run_search(search_request, the_user())
    except SearchRequestError as exc:
        error, status = gettext(exc.template, **exc.params), 400
    except SearchFailed as exc:
        error, status = exc.shown, exc.status
    page_count = 0
    if results is not None:
        size = search_request.page_size
        page_count = min(-(-results.total_documents // size), MAX_RESULT_WINDOW // size)
    return render_template(
        template, search_request=search_request, results=results, error=error, page_count=page_count,
        highlight=safe_highlight, url_args=url_args, toggle_facet=toggle_facet, facet_labels=FACET_LABELS,
        **context,
    ), status


@bp.get("")
@login_required
def results() -> tuple[str, int]:
    return render_search_page("search/results.html")


@cache
def _help_html(path: Path) -> Markup:
    from markdown_it import MarkdownIt

    # Raw HTML in the Markdown is not passed through: the help text is rendered, not trusted.
    markdown = MarkdownIt("commonmark", {"html": False}).enable("table")
    return Markup(markdown.render(path.read_text(encoding="utf-8")))  # noqa: S704 - html disabled above


@bp.get("/help")
@login_required
def help_page() -> str:
    path = next((p for p in help_files(str(get_locale() or "en")) if p.is_file()), None)
    if path is None:
        abort(404, description=gettext("The query language guide is not installed."))
    return render_template("search/help.html", body=_help_html(path))


# --- saved searches -------------------------------------------------------------------------------


@bp.get("/saved")
@login_required
def saved_list() -> str:
    user = the_user()
    with db_session() as session:
        saved = list(session.scalars(
            select(SavedSearch).where(SavedSearch.user_id == user.id).order_by(SavedSearch.created_at.desc())
        ))
        return render_template("search/saved.html", saved=saved, args_from_saved=args_from_saved,
                               facet_labels=FACET_LABELS)


@bp.post("/saved")
@login_required
def saved_create() -> BaseResponse:
    user = the_user()
    name = (request.form.get("name") or "").strip()[:120]
    try:
        search_request = request_from_args(request.form)
    except SearchRequestError as exc:
        flash(gettext(exc.template, **exc.params), "error")
        return redirect(url_for("search.results"))
    if not name:
        name = (search_request.text or gettext("Saved search"))[:120]
    with db_session() as session:
        count = len(list(session.scalars(select(SavedSearch.id).where(SavedSearch.user_id == user.id))))
        if count >= MAX_SAVED_PER_USER:
            flash(gettext("You can keep at most %(n)s saved searches; delete some first.", n=MAX_SAVED_PER_USER),
                  "error")
            return redirect(url_for("search.saved_list"))
        saved = SavedSearch(user_id=user.id, name=name, query=search_request.text[:1000],
                            filters=filters_of(search_request))
        session.add(saved)
        session.flush()
        audit("save_search", "saved_search", saved.id, name=name, query=saved.query, filters=saved.filters)
    flash(gettext("Saved search “%(name)s”.", name=name), "success")
    return redirect(url_for("search.saved_list"))


def _own_saved(session: Session, saved_id: int, user: User) -> SavedSearch:
    saved = session.get(SavedSearch, saved_id)
    if saved is None or saved.user_id != user.id:  # another user's saved search is simply not there
        abort(404)
    return saved


@bp.get("/saved/<int:saved_id>")
@login_required
def saved_run(saved_id: int) -> BaseResponse:
    user = the_user()
    with db_session() as session:
        saved = _own_saved(session, saved_id, user)
        args = args_from_saved(saved.query, saved.filters or {})
    return redirect(url_for("search.results", **args))


@bp.post("/saved/<int:saved_id>/delete")
@login_required
def saved_delete(saved_id: int) -> BaseResponse:
    user = the_user()
    with db_session() as session:
        saved = _own_saved(session, saved_id, user)
        audit("delete_saved_search", "saved_search", saved.id, name=saved.name)
        session.delete(saved)
    flash(gettext("Saved search deleted."), "success")
    return redirect(url_for("search.saved_list"))
