"""Places and courts: police stations, KP districts, court names, and FIR numbers (which carry them)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from legalrefs.data import LegalData
from legalrefs.model import Reference, RefKind
from legalrefs.ocrfix import ascii_digits
from legalrefs.tolerant import alternation, first_char_guard, squash

# a police-station name: one to three capitalised words (or "No. 3"), stopping before "District" etc.
# a station's name never starts with a word that introduces a place or a distance ("the police
# station: Village Rustam, about 12 km north" names no station)
_PS_NAME = (r"(?!(?:Village|Mohallah|Tehsil|District|About|Near|Towards)\b)"
            r"(?P<ps>(?:[A-Z][A-Za-z'\-\ufffe]+|No\.\s?[0-9]+)"
            r"(?:\s(?!(?:District|Distt|Tehsil|Under|Dated|For|In|On|At|Of|And|Vide|U)\b)[A-Z][A-Za-z'\-]+){0,2})")
_PS = re.compile(rf"(?=[PpT])(?<![A-Za-z])(?:[Pp]olice\s+[Ss]tation|P\.\s?S\.?|PS|Thana)"
                 rf"\s{{0,2}}[:,\-]?\s{{0,2}}{_PS_NAME}")
_FIR = re.compile(
    r"(?=F)(?<![A-Za-z])(?:F\.\s?I\.\s?R\.?|FIR)\s{0,2}(?:(?i:no|number)\s{0,2}\.?\s{0,2}:?\s{0,2}|#\s?)?"
    r"(?P<num>[0-9]{1,5})(?![0-9.])"
    r"(?:\s{0,2}(?:/|-|(?i:of))\s{0,2}(?P<year>(?:19|20)[0-9]{2}|[0-9]{2})(?![0-9]))?"
    r"(?:[,\s]{0,3}(?i:dated|dt\.?|of|on)\s{0,2}[0-9]{1,2}[./\-][0-9]{1,2}[./\-](?P<dyear>(?:19|20)?[0-9]{2})(?![0-9]))?")
_FIR_WINDOW = 200  # characters after an FIR number searched for its police station and district
# Urdu FIRs: "مقدمہ نمبر 245/2024 تھانہ صدر", "ایف آئی آر نمبر ۲۴۵/۲۰۲۴" (Urdu or ASCII digits, either order of
# number and year is printed left to right)
_UR_DIGIT = "0-9\u06f0-\u06f9\u0660-\u0669"
_FIR_UR = re.compile(
    rf"(?:مقدمہ|مقدمه|ایف\s?آئی\s?آر|ایف\.آئی\.آر|ابتدائی\s+اطلاعاتی\s+رپورٹ)\s*(?:نمبر(?:ی)?|نمبری|#)?\s*[:\-]?\s*"
    rf"(?P<num>[{_UR_DIGIT}]{{1,5}})(?![{_UR_DIGIT}])"
    rf"(?:\s{{0,2}}[/\-]\s{{0,2}}(?P<year>(?:19|20|۱۹|۲۰)[{_UR_DIGIT}]{{2}})(?![{_UR_DIGIT}]))?")
_PS_UR = re.compile(r"(?:تھانہ|تھانه|پولیس\s+اسٹیشن|پولیس\s+سٹیشن)\s*[:\-]?\s*"
                    r"(?P<ps>[\u0600-\u06ff]+(?:\s+[\u0600-\u06ff]+){0,2})")
_UR_STOP = {"ضلع", "بجرم", "زیر", "دفعہ", "دفعات", "میں", "کا", "کی", "کے", "مورخہ", "بابت", "درج", "واقع", "نمبر",
            "سے", "پر", "کو", "نے", "تک", "والوں", "ہذا"}


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


def urdu_station(data: LegalData, words: str) -> str:
    """English name of an Urdu-printed police station (``صدر`` -> ``Saddar``), longest known prefix of up to
    three words; unknown names come back as printed (first word), so they never fake a match."""
    return urdu_station_words(data, words)[0]


def urdu_station_words(data: LegalData, words: str) -> tuple[str, int]:
    """(``urdu_station``'s name, how many of the printed words it used: 0 when none)."""
    names = {v: n.key for n in data.urdu_stations for v in n.variants}
    parts = [w for w in words.split()]
    cut = next((i for i, w in enumerate(parts) if w in _UR_STOP), len(parts))
    parts = parts[:cut]
    for k in range(len(parts), 0, -1):
        name = names.get(" ".join(parts[:k]))
        if name is not None:
            return name, k
    return (parts[0], 1) if parts else ("", 0)


def find_police_stations(text: str, data: LegalData | None = None) -> Iterator[Reference]:
    for m in _PS.finditer(text):
        yield _ps_ref(m)
    if data is None:
        return
    for m in _PS_UR.finditer(text):
        name, used = urdu_station_words(data, m.group("ps"))
        if name:
            # the span ends with the station's last word ("تھانہ صدر مردان": the district is not the station)
            word_ends = [w.end() for w in re.finditer(r"\S+", m.group("ps"))]
            end = m.start("ps") + word_ends[used - 1]
            printed = " ".join(text[m.start("ps"):end].split())
            yield Reference(RefKind.POLICE_STATION, m.start(), end, text[m.start():end], f"PS {name}",
                            (f"PS {name}",), {"police_station": name, "printed": printed})


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
    yield from _urdu_firs(data, text)


def _urdu_firs(data: LegalData, text: str) -> Iterator[Reference]:
    """Urdu FIRs keyed exactly like their English copies: ``مقدمہ نمبر 245/2024 تھانہ صدر`` ->
    ``FIR 245/2024 PS Saddar`` (station names through police_stations_ur.json)."""
    for m in _FIR_UR.finditer(text):
        number = ascii_digits(m.group("num")).lstrip("0") or "0"
        year = ascii_digits(m.group("year") or "")
        base = f"FIR {number}/{year}" if year else f"FIR {number}"
        attrs = {"fir_number": number, "language": "ur"}
        if year:
            attrs["year"] = year
        ps = _PS_UR.search(text[m.end(): m.end() + _FIR_WINDOW])
        if ps and (name := urdu_station(data, ps.group("ps"))):
            attrs["police_station"] = name
        key = f"{base} PS {attrs['police_station']}" if "police_station" in attrs else base
        keys = (key, base) if key != base else (key,)
        yield Reference(RefKind.FIR, m.start(), m.end(), m.group(), key, keys, attrs)
