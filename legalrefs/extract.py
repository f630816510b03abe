"""Run the per-kind finders and keep, per kind, the longest non-overlapping matches."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from types import MappingProxyType

from legalrefs import citations, identifiers, layout, places, short_forms, statutes
from legalrefs.data import LegalData
from legalrefs.model import Reference, RefKind
from legalrefs.ocrfix import ascii_digits


def _non_overlapping(refs: Iterable[Reference]) -> list[Reference]:
    kept: list[Reference] = []
    for ref in sorted(refs, key=lambda r: (r.start, -(r.end - r.start))):
        if kept and ref.start < kept[-1].end:
            # a range ("Ss. 395-396 PPC") gives several sections over one span: keep each of them once
            same_span = [k for k in kept[-4:] if (k.start, k.end) == (ref.start, ref.end)]
            if not ("range" in ref.attrs and same_span and all(k.key != ref.key for k in same_span)):
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


def extract(data: LegalData, text: str, kinds: Collection[RefKind] | None = None, *,
            furniture: bool = True) -> list[Reference]:
    """References in ``text`` with page furniture (running headers/footers, page numbers) removed first
    and pages joined (``legalrefs.layout``); spans are into ``text``. ``furniture=False`` skips the
    removal (the text is already clean).

    Urdu (U+06F0-06F9) and Arabic-Indic (U+0660-0669) digits are read as ASCII digits (``۲۰۲۲ SCMR ۱۶۴۱``
    is ``SCMR 2022 1641``): one character for one, so spans stay those of ``text`` and ``raw`` is as printed."""
    read = ascii_digits(text)
    cleaned = layout.clean(read) if furniture else None
    if cleaned is None:
        refs = _extract(data, read, kinds)
    else:
        refs = [_remap(ref, cleaned, read) for ref in _extract(data, cleaned.text, kinds)]
    if read == text:
        return refs
    return [Reference(r.kind, r.start, r.end, text[r.start:r.end], r.key, r.keys, r.attrs) for r in refs]


def _remap(ref: Reference, cleaned: layout.CleanText, text: str) -> Reference:
    start, end = cleaned.source_span(ref.start, ref.end)
    attrs = dict(ref.attrs)
    if "antecedent_start" in attrs:
        attrs["antecedent_start"] = str(cleaned.origin[int(attrs["antecedent_start"])])
    return Reference(ref.kind, start, end, text[start:end], ref.key, ref.keys, MappingProxyType(attrs))


def _extract(data: LegalData, text: str, kinds: Collection[RefKind] | None = None) -> list[Reference]:
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
        RefKind.POLICE_STATION: lambda: places.find_police_stations(text, data),
        RefKind.DISTRICT: lambda: places.find_districts(data, text),
        # "PLD 2005 Supreme Court 193" names a reporter segment, not a court: drop courts inside citations
        RefKind.COURT: lambda: _outside(places.find_courts(data, text), cites),
    }
    for kind, finder in finders.items():
        if kind in wanted:
            found += _non_overlapping(finder())
    return sorted((_frozen(r) for r in found), key=lambda r: (r.start, r.end, r.kind.value))
