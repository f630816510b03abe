"""Typed values returned by the extractor."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum


class RefKind(StrEnum):
    CITATION = "citation"
    STATUTE = "statute"
    FIR = "fir"
    CASE_NUMBER = "case_number"
    CNIC = "cnic"
    PHONE = "phone"
    POLICE_STATION = "police_station"
    DISTRICT = "district"
    COURT = "court"


@dataclass(frozen=True, slots=True)
class Reference:
    """One legal reference found in a text.

    ``start``/``end`` index the source text (``text[start:end] == raw``); ``key`` is the canonical
    exact-match form; ``keys`` is ``key`` plus broader keys used for matching (e.g. the section
    without its sub-clause); ``attrs`` holds the structured parts.
    """

    kind: RefKind
    start: int
    end: int
    raw: str
    key: str
    keys: tuple[str, ...]
    # left out of the hash (a mapping is unhashable) but not out of equality, so References can go in sets
    attrs: Mapping[str, str] = field(hash=False)


class LegalRefsDataError(Exception):
    """A data file under legalrefs/data is missing or malformed (a packaging error, not user input)."""

    code = "legalrefs_data"

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"Legal reference data file {path} cannot be used: {problem}. "
                         "Reinstall the cmms package or restore the file from the repository.")
        self.path = path
        self.problem = problem
