"""What a search asks for (besides the query text) and who is asking (district scope)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

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
FACET_LABELS: dict[str, str] = {
    "doc_type": "Document type", "district": "District", "police_station": "Police station",
    "court": "Court", "year": "Year", "statute": "Statute section", "language": "Language",
    "case_stage": "Case stage",
}


class SearchRequestError(ValueError):
    """A search parameter (not the query text) is out of range; ``message`` is shown to the user."""

    code = "bad_request"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Scope:
    """The districts a user may see. ``all_districts`` for province-level roles; otherwise only pages
    of ``district_ids`` (plus case law, which is published judgments and visible to everyone)."""

    district_ids: frozenset[int] = frozenset()
    all_districts: bool = False

    @classmethod
    def everything(cls) -> Scope:
        return cls(all_districts=True)

    @classmethod
    def districts(cls, ids: Iterable[int]) -> Scope:
        return cls(district_ids=frozenset(ids))


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
            raise SearchRequestError(f"Results per page must be between 1 and {MAX_PAGE_SIZE}.")
        if self.page < 1 or self.page * self.page_size > MAX_RESULT_WINDOW:
            raise SearchRequestError(
                f"Only the first {MAX_RESULT_WINDOW} documents can be paged through; narrow the search."
            )
        if self.sort not in ("relevance", "date_desc", "date_asc"):
            raise SearchRequestError("Sort must be relevance, date_desc or date_asc.")
        unknown = set(self.facets) - set(FACET_FIELDS)
        if unknown:
            raise SearchRequestError(f"Unknown filter(s): {', '.join(sorted(unknown))}.")
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise SearchRequestError("The 'from' date must not be after the 'to' date.")
        if not 1 <= self.best_pages <= 10:
            raise SearchRequestError("Pages per document must be between 1 and 10.")
