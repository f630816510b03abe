"""What a search asks for (besides the query text) and who is asking (district scope)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from i18n import N_

Sort = Literal["relevance", "date_desc", "date_asc"]
MAX_PAGE_SIZE = 50
MAX_RESULT_WINDOW = 1000  # deepest document a user can page to (from + size)

# Facet name -> index field (keyword values).
FACET_FIELDS: dict[str, str] = {
    "doc_type": "doc_type",
    "district": "district",
    "police_station": "police_station.keyword",
    "court": "court.keyword",
    "year": "year",
    "statute": "statutes",
    "language": "language",
    "case_stage": "case_stage",
}
FACET_LABELS: dict[str, str] = {  # marked: translated where they are shown
    "doc_type": N_("Document type"), "district": N_("District"), "police_station": N_("Police station"),
    "court": N_("Court"), "year": N_("Year"), "statute": N_("Statute section"), "language": N_("Language"),
    "case_stage": N_("Case stage"),
}
BAD_SORT = N_("Sort must be relevance, date_desc or date_asc.")


class SearchRequestError(ValueError):
    """A search parameter (not the query text) is out of range. ``template`` (marked, ``N_``) and
    ``params`` give the message in the reader's language (``gettext(template) % params``); ``message``
    is the English text (API, logs)."""

    code = "bad_request"

    def __init__(self, template: str, **params: object) -> None:
        self.template = template
        self.params = params
        self.message = template % params if params else template
        super().__init__(self.message)


@dataclass(frozen=True)
class Scope:
    """What a user may read, as the Elasticsearch filter ``search_app.auth.scope`` builds
    (``document_read_filter``); the query builder puts it inside every query.

    ``everything()`` has no filter; ``districts(ids)`` is a district reader's scope (pages of ``ids``
    plus published case law); the web app builds the exact one with ``from_filter``.
    """

    district_ids: frozenset[int] = frozenset()
    all_districts: bool = False
    es_filter: Mapping[str, object] | None = None

    @classmethod
    def everything(cls) -> Scope:
        return cls(all_districts=True)

    @classmethod
    def districts(cls, ids: Iterable[int]) -> Scope:
        return cls(district_ids=frozenset(ids))

    @classmethod
    def from_filter(cls, es_filter: Mapping[str, object] | None) -> Scope:
        """The scope given as a ready filter (None: no restriction)."""
        if es_filter is None:
            return cls.everything()
        return cls(es_filter=es_filter)


@dataclass(frozen=True)
class SearchRequest:
    text: str = ""
    facets: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    case_id: int | None = None
    case_law_only: bool = False
    date_from: date | None = None
    date_to: date | None = None
    sort: Sort = "relevance"
    page: int = 1
    page_size: int = 10
    fuzzy: bool = False  # tolerate OCR misspellings in every plain word (as if each had ~)
    best_pages: int = 3  # pages shown per document

    def validate(self) -> None:
        if not 1 <= self.page_size <= MAX_PAGE_SIZE:
            raise SearchRequestError(N_("Results per page must be between 1 and %(n)s."), n=MAX_PAGE_SIZE)
        if self.page < 1 or self.page * self.page_size > MAX_RESULT_WINDOW:
            raise SearchRequestError(
                N_("Only the first %(n)s documents can be paged through; narrow the search."), n=MAX_RESULT_WINDOW
            )
        if self.sort not in ("relevance", "date_desc", "date_asc"):
            raise SearchRequestError(BAD_SORT)
        unknown = set(self.facets) - set(FACET_FIELDS)
        if unknown:
            raise SearchRequestError(N_("Unknown filter(s): %(names)s."), names=", ".join(sorted(unknown)))
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise SearchRequestError(N_("The 'from' date must not be after the 'to' date."))
        if not 1 <= self.best_pages <= 10:
            raise SearchRequestError(N_("Pages per document must be between 1 and 10."))
