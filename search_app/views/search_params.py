"""Search parameters in URLs: query-string arguments <-> ``SearchRequest``, and the links that toggle
a facet value, change the sort or move to another results page (pure functions, no Flask)."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from datetime import date
from typing import Any, cast

from werkzeug.datastructures import MultiDict

from i18n import N_
from search_app.search import FACET_FIELDS, SearchRequest, SearchRequestError
from search_app.search.request import BAD_SORT, Sort

PAGE_SIZE = 10
MAX_VALUES_PER_FACET = 20
_SORTS = ("relevance", "date_desc", "date_asc")


MultiArgs = MultiDict[str, str]  # request.args / request.form


def _int(value: str | None, name: str, default: int | None) -> int | None:
    if value in (None, ""):
        return default
    try:
        number = int(str(value))
    except ValueError:
        raise SearchRequestError(N_("'%(name)s' must be a whole number."), name=name) from None
    if not -(2**31) < number < 2**31:
        raise SearchRequestError(N_("'%(name)s' is out of range."), name=name)
    return number


# Facets on numeric fields take numbers only (a word there is a 400 for the user, not an Elasticsearch error).
NUMERIC_FACETS = frozenset({"year"})


def _facet_values(name: str, values: list[str]) -> tuple[str, ...]:
    chosen = tuple(dict.fromkeys(v[:200] for v in values if v))[:MAX_VALUES_PER_FACET]
    if name in NUMERIC_FACETS and any(not (v.isascii() and v.isdigit() and len(v) <= 4) for v in chosen):
        raise SearchRequestError(N_("The '%(name)s' filter takes years like 2019."), name=name)
    return chosen


def _date(value: str | None, name: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise SearchRequestError(N_("'%(name)s' must be a date like 2024-01-31."), name=name) from None


def _flag(value: str | None) -> bool:
    return (value or "").lower() in ("1", "true", "yes", "on")


def query_text(raw: str | None) -> str:
    """The typed query without control characters (a NUL or a stray escape reads as nothing, so
    ``q=%00`` is the empty search, not a query of no terms that matches everything), trimmed."""
    text = "".join(" " if unicodedata.category(ch) == "Cc" else ch for ch in raw or "")
    return text.strip()


def request_from_args(
    args: MultiArgs, *, page_size: int = PAGE_SIZE, case_law_only: bool = False
) -> SearchRequest:
    """A ``SearchRequest`` from URL arguments; raises ``SearchRequestError`` with a readable message."""
    facets = {name: _facet_values(name, args.getlist(name)) for name in FACET_FIELDS if any(args.getlist(name))}
    sort = args.get("sort") or "relevance"
    if sort not in _SORTS:
        raise SearchRequestError(BAD_SORT)
    search_request = SearchRequest(
        text=query_text(args.get("q")),
        facets=facets,
        case_id=_int(args.get("case_id"), "case_id", None),
        case_law_only=case_law_only or _flag(args.get("case_law")),
        date_from=_date(args.get("date_from"), "date_from"),
        date_to=_date(args.get("date_to"), "date_to"),
        sort=cast(Sort, sort),
        page=_int(args.get("page"), "page", 1) or 1,
        page_size=_int(args.get("page_size"), "page_size", page_size) or page_size,
        fuzzy=_flag(args.get("fuzzy")),
    )
    search_request.validate()
    return search_request


def filters_of(search_request: SearchRequest) -> dict[str, Any]:
    """Everything but the text and paging, as JSON (stored with saved searches and in the audit)."""
    out: dict[str, Any] = {name: list(values) for name, values in search_request.facets.items()}
    if search_request.case_id is not None:
        out["case_id"] = search_request.case_id
    if search_request.case_law_only:
        out["case_law"] = True
    if search_request.date_from:
        out["date_from"] = search_request.date_from.isoformat()
    if search_request.date_to:
        out["date_to"] = search_request.date_to.isoformat()
    if search_request.sort != "relevance":
        out["sort"] = search_request.sort
    if search_request.fuzzy:
        out["fuzzy"] = True
    return out


def url_args(search_request: SearchRequest, **changes: Any) -> dict[str, Any]:
    """URL arguments reproducing ``search_request`` with ``changes`` applied (None removes a key)."""
    args: dict[str, Any] = {"q": search_request.text or None, **filters_of(search_request)}
    if search_request.page > 1:
        args["page"] = search_request.page
    if args.get("case_law"):
        args["case_law"] = "1"
    if args.get("fuzzy"):
        args["fuzzy"] = "1"
    args.update(changes)
    return {k: v for k, v in args.items() if v not in (None, "", [], False)}


def toggle_facet(search_request: SearchRequest, name: str, value: str) -> dict[str, Any]:
    """URL arguments with ``value`` of facet ``name`` switched on or off (back to results page 1)."""
    current = list(search_request.facets.get(name, ()))
    values = [v for v in current if v != value] if value in current else [*current, value]
    return url_args(search_request, **{name: values or None, "page": None})


def args_from_saved(query: str, filters: Mapping[str, Any]) -> dict[str, Any]:
    """URL arguments that run a saved search again."""
    args: dict[str, Any] = {"q": query or None}
    for key, value in filters.items():
        if key in FACET_FIELDS and isinstance(value, list):
            args[key] = [str(v) for v in value]
        elif key in ("case_id", "date_from", "date_to", "sort"):
            args[key] = str(value)
        elif key in ("case_law", "fuzzy") and value:
            args[key] = "1"
    return {k: v for k, v in args.items() if v not in (None, "", [])}
