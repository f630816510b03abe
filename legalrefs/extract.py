"""Run the per-kind finders and keep, per kind, the longest non-overlapping matches."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from types import MappingProxyType

from legalrefs import citations, identifiers, places, short_forms, statutes
from legalrefs.data import LegalData
from legalrefs.model import Reference, RefKind


def _non_overlapping(refs: Iterable[Reference]) -> list[Reference]:
    kept: list[Reference] = []
    for ref in sorted(refs, key=lambda r: (r.start, -(r.end - r.start))):
        if kept and ref.start < kept[-1].end:
            continue
        kept.append(ref)
    return kept


def _frozen(ref: Reference) -> Reference:
    # attrs are exposed read-only so a caller cannot corrupt a shared Reference
    if isinstance(ref.attrs, MappingProxyType):
        return ref
    attrs = MappingProxyType(dict(ref.attrs))
    return Reference(ref.kind, ref.start, ref.end, ref.raw, ref.key, ref.keys, attrs)


def _citations(data: LegalData, text: str) -> list[Reference]:
    full = _non_overlapping(citations.find_citations(data, text))
    return _non_overlapping([*full, *short_forms.find_short_forms(text, full)])


def _outside(refs: Iterable[Reference], blocked: list[Reference]) -> list[Reference]:
    return [r for r in refs if not any(b.start < r.end and r.start < b.end for b in blocked)]


def extract(data: LegalData, text: str, kinds: Collection[RefKind] | None = None) -> list[Reference]:
    wanted = set(RefKind) if kinds is None else set(kinds)
    found: list[Reference] = []
    cites = _citations(data, text) if wanted & {RefKind.CITATION, RefKind.COURT} else []
    if RefKind.CITATION in wanted:
        found += cites
    if RefKind.STATUTE in wanted:
        found += _non_overlapping(statutes.find_statutes(data, text))
    finders = {
        RefKind.FIR: lambda: places.find_firs(data, text),
        RefKind.CASE_NUMBER: lambda: identifiers.find_case_numbers(data, text),
        RefKind.CNIC: lambda: identifiers.find_cnics(text),
        RefKind.PHONE: lambda: identifiers.find_phones(text),
        RefKind.POLICE_STATION: lambda: places.find_police_stations(text),
        RefKind.DISTRICT: lambda: places.find_districts(data, text),
        # "PLD 2005 Supreme Court 193" names a reporter segment, not a court: drop courts inside citations
        RefKind.COURT: lambda: _outside(places.find_courts(data, text), cites),
    }
    for kind, finder in finders.items():
        if kind in wanted:
            found += _non_overlapping(finder())
    return sorted((_frozen(r) for r in found), key=lambda r: (r.start, r.end, r.kind.value))
