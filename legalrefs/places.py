"""Places and courts: police stations, KP districts, court names, and FIR numbers (which carry them)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from legalrefs.data import LegalData
from legalrefs.model import Reference, RefKind
from legalrefs.tolerant import alternation, first_char_guard, squash

# a police-station name: one to three capitalised words (or "No. 3"), stopping before "District" etc.
_PS_NAME = (r"(?P<ps>(?:[A-Z][A-Za-z'\-\ufffe]+|No\.\s?[0-9]+)"
            r"(?:\s(?!(?:District|Distt|Tehsil|Under|Dated|For|In|On|At|Of|And|Vide|U)\b)[A-Z][A-Za-z'\-]+){0,2})")
_PS = re.compile(rf"(?=[PpT])(?<![A-Za-z])(?:[Pp]olice\s+[Ss]tation|P\.\s?S\.?|PS|Thana)"
                 rf"\s{{0,2}}[:,\-]?\s{{0,2}}{_PS_NAME}")
_FIR = re.compile(
    r"(?=F)(?<![A-Za-z])(?:F\.\s?I\.\s?R\.?|FIR)\s{0,2}(?:(?i:no|number)\s{0,2}\.?\s{0,2}:?\s{0,2}|#\s?)?"
    r"(?P<num>[0-9]{1,5})(?![0-9.])"
    r"(?:\s{0,2}(?:/|-|(?i:of))\s{0,2}(?P<year>(?:19|20)[0-9]{2}|[0-9]{2})(?![0-9]))?"
    r"(?:[,\s]{0,3}(?i:dated|dt\.?|of|on)\s{0,2}[0-9]{1,2}[./\-][0-9]{1,2}[./\-](?P<dyear>(?:19|20)?[0-9]{2})(?![0-9]))?")
_FIR_WINDOW = 200  # characters after an FIR number searched for its police station and district


@dataclass(frozen=True, slots=True)
class PlacePatterns:
    district: re.Pattern[str]
    districts: dict[str, str]
    court: re.Pattern[str]
    courts: dict[str, str]


@lru_cache(maxsize=4)
def build_patterns(data: LegalData) -> PlacePatterns:
    variants = [v for d in data.districts for v in d.variants]
    names = alternation(variants)
    guard = first_char_guard([*variants, "District", "Distt"])
    district = re.compile(rf"(?<![A-Za-z]){guard}"
                          rf"(?:(?:District|Distt\.?)\s{{0,2}}[:,]?\s{{0,2}}(?P<a>{names})"
                          rf"|(?P<b>{names})\s{{1,2}}District)(?![A-Za-z])")
    court_variants = [v for c in data.courts for v in c.variants]
    court = re.compile(rf"(?<![A-Za-z]){first_char_guard(court_variants)}"
                       rf"(?P<court>{alternation(court_variants)})"
                       r"(?![A-Za-z])")
    return PlacePatterns(
        district, {squash(v): d.key for d in data.districts for v in d.variants},
        court, {squash(v): c.key for c in data.courts for v in c.variants})


def _ps_ref(m: re.Match[str]) -> Reference:
    name = " ".join(m.group("ps").split())
    key = f"PS {name}"
    attrs = {"police_station": name}
    return Reference(RefKind.POLICE_STATION, m.start(), m.end(), m.group(), key, (key,), attrs)


def find_police_stations(text: str) -> Iterator[Reference]:
    for m in _PS.finditer(text):
        yield _ps_ref(m)


def find_districts(data: LegalData, text: str) -> Iterator[Reference]:
    p = build_patterns(data)
    for m in p.district.finditer(text):
        name = p.districts[squash(m.group("a") or m.group("b"))]
        key = f"District {name}"
        yield Reference(RefKind.DISTRICT, m.start(), m.end(), m.group(), key, (key,), {"district": name})


def find_courts(data: LegalData, text: str) -> Iterator[Reference]:
    p = build_patterns(data)
    for m in p.court.finditer(text):
        key = p.courts[squash(m.group("court"))]
        yield Reference(RefKind.COURT, m.start(), m.end(), m.group(), key, (key,), {"court": key})


def _year(m: re.Match[str]) -> str | None:
    year = m.group("year") or m.group("dyear")
    if year and len(year) == 2:
        year = ("20" if int(year) < 50 else "19") + year
    return year


def find_firs(data: LegalData, text: str) -> Iterator[Reference]:
    """``FIR No. 123/2019 dated ... P.S. Saddar, District Peshawar``: the FIR span covers number, year
    and date; police station and district found within the next sentence go into attrs and the key."""
    p = build_patterns(data)
    for m in _FIR.finditer(text):
        year = _year(m)
        number = m.group("num").lstrip("0") or "0"  # "FIR No.03/2024" and "FIR No.3/2024" are one FIR
        base = f"FIR {number}/{year}" if year else f"FIR {number}"
        attrs = {"fir_number": number}
        if year:
            attrs["year"] = year
        window = text[m.end(): m.end() + _FIR_WINDOW]
        stop = re.search(r"(?<!\b[A-Z])\.\s+[A-Z0-9]", window)
        window = window[: stop.start()] if stop else window
        ps = _PS.search(window)
        if ps:
            attrs["police_station"] = " ".join(ps.group("ps").split())
        dist = p.district.search(window)
        if dist:
            attrs["district"] = p.districts[squash(dist.group("a") or dist.group("b"))]
        key = f"{base} PS {attrs['police_station']}" if "police_station" in attrs else base
        keys = (key, base) if key != base else (key,)
        yield Reference(RefKind.FIR, m.start(), m.end(), m.group(), key, keys, attrs)
