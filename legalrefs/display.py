"""Keys back into the form people print and read: ``SCMR 2010 1791`` -> ``2010 SCMR 1791``.

Keys (``legalrefs.normalise``) stay the internal, exact-match form; everything shown to a user goes
through here. The printed conventions follow each reporter's ``form`` in ``reporters.json``:

* reporter first with a court segment (PLD, PLJ, KLR, NLR, AIR): ``PLD 1998 SC 1445``;
* year first (SCMR, PCrLJ, YLR, MLD, CLC, PLC, PTD, SCP, ...): ``2010 SCMR 1791``, series in
  brackets as printed: ``2009 PLC (C.S.) 981``, ``2014 PSC (Crl.) 562``;
* year, volume, reporter: Indian reports with the year in round brackets ``(1994) 4 SCC 602``,
  English reports in square brackets ``[1984] 3 All ER 935``, US Reports ``347 US 483 (1954)``.

Statute keys read as printed in judgments: ``PPC 302(b)`` -> ``302(b) PPC``; articles of a
constitution: ``Constitution 185(3)`` -> ``Article 185(3), Constitution``.

A key this module does not recognise is returned unchanged (never an error).
"""

from __future__ import annotations

import re
from functools import lru_cache

from legalrefs.data import LegalData, Reporter, load_data

_REPORTER_TOKEN = re.compile(r"^(?P<rep>[A-Za-z]+)(?:\((?P<series>[^)]+)\))?$")


@lru_cache(maxsize=4)
def _reporters(data: LegalData) -> dict[str, Reporter]:
    return {r.key: r for r in data.reporters}


def _series_label(data: LegalData, reporter: Reporter, series: str) -> str:
    for segment in data.series.get(reporter.series or "", ()):
        if segment.key == series:
            printed = next((v for v in segment.variants if v.startswith("(")), f"({series})")
            return printed
    return f"({series})"


def _name(reporter: Reporter) -> str:
    return reporter.variants[0] if reporter.variants else reporter.key


def display_citation(key: str) -> str:
    """``SCMR 2010 1791`` -> ``2010 SCMR 1791``; ``PLD 1998 SC 1445`` stays; unknown keys unchanged."""
    parts = key.split()
    if len(parts) < 3:
        return key
    token = _REPORTER_TOKEN.match(parts[0])
    if token is None:
        return key
    data = load_data()
    reporter = _reporters(data).get(token.group("rep"))
    if reporter is None:
        return key
    year, rest = parts[1], parts[2:]
    name = _name(reporter)
    if token.group("series"):
        name = f"{name} {_series_label(data, reporter, token.group('series'))}"
    if reporter.form == "reporter_year_court_page":
        court, *tail = rest
        if tail[:1] == ["Note"]:
            tail = ["(Note)", *tail[1:]]
        return " ".join([name, year, court, *tail])
    if reporter.form == "year_volume_reporter_page":
        return _volume_form(reporter, name, year, rest)
    return " ".join([year, name, *rest])


def _volume_form(reporter: Reporter, name: str, year: str, rest: list[str]) -> str:
    volume, page = (rest[0], rest[1:]) if len(rest) > 1 else ("", rest)
    if reporter.country == "US":
        return " ".join(p for p in [volume, name, *page, f"({year})"] if p)
    bracketed = f"[{year}]" if reporter.country == "UK" else f"({year})"
    return " ".join(p for p in [bracketed, volume, name, *page] if p)


def display_statute(key: str) -> str:
    """``PPC 302(b)`` -> ``302(b) PPC``; ``Constitution 185(3)`` -> ``Article 185(3), Constitution``."""
    act, _, section = key.strip().partition(" ")
    if not section:
        return key
    for statute in load_data().statutes:
        if statute.key == act:
            if statute.unit == "article":
                return f"Article {section}, {act}"
            return f"{section} {act}"
    return key


def display(key: str) -> str:
    """Any legalrefs key in its printed form: citations and statute sections; others unchanged."""
    shown = display_citation(key)
    return shown if shown != key else display_statute(key)
