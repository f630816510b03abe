"""Law-report citations: ``PLD 2009 SC 53``, ``2010 SCMR 5``, ``(1994) 4 SCC 602``, ``[1984] 3 All ER 935``.

Two shapes, both built from reporters.json:
* reporter first, with a court segment: PLD/PLJ/KLR/NLR/AIR ``<rep> <year> <court> <page>``;
* year first: ``<year> <rep> [<series>] <page>``, optionally bracketed year and a volume for Indian
  and English reports.
Canonical key: ``<reporter key> <year> [<court>] [<volume>] [<series>] <page>`` with single spaces,
e.g. ``PLD 2009 SC 53``, ``SCMR 2010 5``, ``PLC(CS) 2009 981``, ``SCC 1994 4 602``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from legalrefs.data import LegalData, Reporter, Segment
from legalrefs.model import Reference, RefKind
from legalrefs.ocrfix import DIGIT_LIKE, repair_number
from legalrefs.tolerant import alternation, first_char_guard, squash

_D = f"[0-9{DIGIT_LIKE}]"
# a year slot: four digit-like characters starting 1/2 (or their look-alikes); validated afterwards
_YEAR = rf"(?P<year>[12lI]{_D}{{3}})"
# a page followed by a lone 1-3 digit group ("SCMR 2 702") is a page number broken by OCR: ambiguous, skip
_PAGE = rf"(?P<page>[0-9]{_D}{{0,4}}|[lI][0-9]{{1,4}})(?![0-9A-Za-z])(?![ \t][0-9]{{1,3}}(?![0-9.]))"
_SEP = r"[.,\s]{0,3}"
# OCR reads an opening parenthesis before a year as "1" ("12018 SCMR 662"); five-digit years do not
# exist, so a "1" glued to a 19xx/20xx year in front of a reporter is taken as that parenthesis.
_OCR_PAREN = r"(?:(?<![0-9])1(?=(?:19|20)[0-9]{2}\s))?"
# short-note series: "1999 SCMR Note 12", "PLD 1995 Lahore (Note) 54" number notes apart from pages
_NOTE = r"(?:(?P<note>\(?(?i:note)\)?)\.?\s{1,2})?"
# a page break (form feed) with an optional running header/footer line ("Jail Petition No.276/2020 7")
# may fall inside a reference; the form feed is required, so an ordinary short line is never skipped
_PAGE_BREAK = r"(?:[ \t]*\n(?:[^\n\f]{1,60}\n)?[ \t]*\f[ \t]*\n?(?:[^\n\f]{1,60}\n)?[ \t]*)?"


@dataclass(frozen=True, slots=True)
class _Lookup:
    reporters: dict[str, Reporter]          # squashed variant -> reporter
    segments: dict[str, dict[str, str]]     # group -> squashed variant -> segment key


@dataclass(frozen=True, slots=True)
class CitationPatterns:
    reporter_first: list[re.Pattern[str]]
    year_first: re.Pattern[str]
    lookup: _Lookup


def _court(court: str) -> str:
    """The court segment, bare or in brackets as some reports and typists write it: ``PLD 1998 (SC) 1445``,
    ``1998 P L D (SC) 1445`` (the brackets must pair)."""
    return rf"(?P<cb>\()?\s?{court}\.?\s?(?(cb)\))"


def _variants(reporters: list[Reporter]) -> list[str]:
    return [v for r in reporters for v in (*r.variants, *r.typo_variants, *r.note_variants)]


# a bracketed sub-series beside the court: "PLJ 2022 SC (Cr.C.) 40", "NLR 2005 (Criminal) SC 501"
_SUB_SERIES = r"\((?P<{name}>Cr\.?\s?C\.?|Crl?\.?|Criminal|Civil)\)"


def _sub_series(m: re.Match[str]) -> str:
    raw = m.groupdict().get("sub") or m.groupdict().get("sub0") or ""
    flat = re.sub(r"[.\s]", "", raw)
    return {"CrC": "Cr.C", "Cr": "Criminal", "Crl": "Criminal"}.get(flat, flat)


def _segment_alt(segments: tuple[Segment, ...]) -> str:
    return alternation(v for s in segments for v in s.variants)


@lru_cache(maxsize=4)
def build_patterns(data: LegalData) -> CitationPatterns:
    """Compile the citation regexes once per data version."""
    by_group: dict[str, list[Reporter]] = {}
    year_first: list[Reporter] = []
    for rep in data.reporters:
        if rep.form == "reporter_year_court_page" and rep.courts:
            by_group.setdefault(rep.courts, []).append(rep)
        else:
            year_first.append(rep)
    # One pattern per shape for all court-segment reporters (PLD, PLJ, KLR, NLR, AIR): every extra
    # pattern is another pass over the text. The court read is checked against the reporter's own
    # segment list afterwards ("NLR 1991 SD 458" is valid, "PLD 1991 SD 458" is not).
    reps = [r for group_reps in by_group.values() for r in group_reps]
    rep_alt = alternation(_variants(reps))
    court = "(?i:(?P<court>" + alternation(
        v for group in by_group for s in data.court_segments[group] for v in s.variants) + "))"
    year_rep = (rf"(?=[12])(?<![A-Za-z0-9/.\-]){_OCR_PAREN}{_YEAR}\s{{1,2}}"
                rf"(?P<rep>{rep_alt})\.?\s{{1,2}}")
    rf = [
        # PLD 2009 SC 53 (the printed standard)
        re.compile(rf"(?<![A-Za-z0-9]){first_char_guard(_variants(reps))}(?P<rep>{rep_alt})\.?{_SEP}"
                   rf"\(?{_YEAR}\)?{_SEP}(?:{_SUB_SERIES.format(name='sub0')}\s{{0,2}})?{_court(court)}\.?{_SEP}"
                   rf"(?:{_SUB_SERIES.format(name='sub')}\.?{_SEP})?"
                   rf"(?:(?i:page|p\.)\s?)?{_NOTE}{_PAGE_BREAK}{_PAGE}"),
        # 2019 PLD SC 64 / 2019 PLD 64 SC (year moved first, seen in Supreme Court judgments)
        re.compile(rf"{year_rep}{_court(court)}\.?\s{{1,2}}{_PAGE}"),
        re.compile(rf"{year_rep}(?P<page>[0-9]{{1,5}})\s{{1,2}}{court}(?![A-Za-z])"),
    ]
    series_alt = alternation(v for segs in data.series.values() for s in segs for v in s.variants)
    yf = re.compile(
        rf"(?=[\[(12])(?<![A-Za-z0-9/.\-])(?:(?P<ob>[\[(])|{_OCR_PAREN}){_YEAR}(?(ob)[\])])[,\s]{{0,3}}"
        rf"(?:\(?(?P<vol>[0-9]{{1,3}})\)?\s{{0,2}})?(?P<rep>{alternation(_variants(year_first))})(?![A-Za-z])\.?"
        rf"{_SEP}(?:(?P<series>{series_alt})\.?{_SEP})?{_NOTE}{_PAGE_BREAK}{_PAGE}")
    reporters = {squash(v): r for r in data.reporters for v in (*r.variants, *r.typo_variants, *r.note_variants)}
    segments = {g: {squash(v): s.key for s in segs for v in s.variants}
                for g, segs in (*data.court_segments.items(), *data.series.items())}
    return CitationPatterns(rf, yf, _Lookup(reporters, segments))


def _year_ok(raw: str, rep: Reporter) -> str | None:
    year = repair_number(raw)
    if year is None or not rep.first_year <= int(year) <= rep.last_year:
        return None
    return year


def _citation(m: re.Match[str], rep: Reporter, parts: dict[str, str]) -> Reference | None:
    year = _year_ok(m.group("year"), rep)
    page = repair_number(m.group("page"))
    if year is None or page is None or int(page) == 0:
        return None
    attrs = {"reporter": rep.key, "year": year, **parts, "page": page}
    if rep.neutral:
        attrs["neutral"] = "true"
    series = parts.get("series")
    head = f"{rep.key}({series})" if series else rep.key
    sub = _sub_series(m)
    court = f"{parts['court']}({sub})" if sub and parts.get("court") else parts.get("court")
    middle = [v for v in (court, parts.get("volume")) if v]
    if m.groupdict().get("note") or squash(m.group("rep")) in {squash(v) for v in rep.note_variants}:
        attrs["note"] = "true"
        middle.append("Note")
    key = " ".join([head, year, *middle, page])
    return Reference(RefKind.CITATION, m.start(), m.end(), m.group(), key, (key,), attrs)


def _reporter_first(patterns: CitationPatterns, text: str) -> Iterator[Reference]:
    for pattern in patterns.reporter_first:
        for m in pattern.finditer(text):
            rep = patterns.lookup.reporters.get(squash(m.group("rep")))
            if rep is None or rep.courts is None:
                continue
            court = patterns.lookup.segments[rep.courts].get(squash(m.group("court")))
            if court is None:
                continue
            ref = _citation(m, rep, {"court": court})
            if ref is not None:
                yield ref


def _year_first(patterns: CitationPatterns, text: str) -> Iterator[Reference]:
    for m in patterns.year_first.finditer(text):
        rep = patterns.lookup.reporters.get(squash(m.group("rep")))
        if rep is None or rep.form == "reporter_year_court_page":
            continue
        parts: dict[str, str] = {}
        if m.group("series"):
            series = patterns.lookup.segments.get(rep.series or "", {}).get(squash(m.group("series")))
            if series is None:
                continue
            parts["series"] = series
        if m.group("vol"):
            if rep.form != "year_volume_reporter_page":
                continue
            parts["volume"] = m.group("vol")
        elif rep.requires_volume:
            continue
        if rep.requires_bracket and not m.group("ob"):
            continue
        ref = _citation(m, rep, parts)
        if ref is not None:
            yield ref


def find_citations(data: LegalData, text: str) -> list[Reference]:
    """All full citations in ``text`` (may overlap; the caller keeps the longest)."""
    patterns = build_patterns(data)
    return [*_reporter_first(patterns, text), *_year_first(patterns, text)]
