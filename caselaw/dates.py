"""Dates as Pakistani judgments print them: ``30.10.2019``, ``5.1.2011``, ``24-02-2016``,
``2nd of January, 2023``, ``10th July 2015``, ``March 04, 2019``, ``27th August 2025``.

Day first throughout (the Court's own style). OCR of typed scans splits years (``20 17``), so digits
separated by a single space inside a numeric date are joined first, and a lost second dot
(``11.11 2014``) still reads.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

MONTHS = {
    name: number
    for number, names in enumerate(
        [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
         ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
         ("october", "oct"), ("november", "nov"), ("december", "dec")], start=1)
    for name in names
}
_MONTH = "(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_ORD = r"\s?(?:st|nd|rd|th)?"
# either separator (not both) may be lost to a space: "11.11 2014", "02 06.2022"
_NUMERIC = re.compile(r"(?<![0-9])(?P<d>[0-3]?[0-9])(?P<s1>\s?[./\-]\s?|\s)(?P<m>[01]?[0-9])(?P<s2>\s?[./\-]\s?|\s)"
                      r"(?P<y>(?:19|20)[0-9]\s?[0-9])(?![0-9])")
_WORD = re.compile(rf"(?i)(?<![0-9A-Za-z])(?P<d>[0-3]?[0-9]){_ORD}\s*(?:day\s+)?(?:of\s+)?{_MONTH}\s*,?\s*"
                   r"(?P<y>(?:19|20)[0-9]{2})(?![0-9])")
_WORD_US = re.compile(rf"(?i)(?<![A-Za-z]){_MONTH}\s+(?P<d>[0-3]?[0-9]){_ORD}\s*,?\s*"
                      r"(?P<y>(?:19|20)[0-9]{2})(?![0-9])")
# a blank left for the day or the whole date: "on ____", "   .02.2023", "____ day of December, 2010"
BLANK = re.compile(r"_{3,}|(?<![0-9])\s\.[01]?[0-9]\.(?:19|20)[0-9]{2}")
EARLIEST, LATEST = 1947, 2100


@dataclass(frozen=True, slots=True)
class FoundDate:
    value: date
    start: int
    end: int


def _make(year: int, month: int | None, day: int) -> date | None:
    if month is None or not EARLIEST <= year <= LATEST:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


_LOOKALIKE = str.maketrans({"O": "0", "o": "0", "D": "0", "Q": "0", "G": "6", "l": "1", "I": "1", "i": "1",
                            "S": "5", "s": "5", "B": "8", "Z": "2", "z": "2"})
_OCR_DAY = re.compile(r"(?i)(?<![A-Za-z0-9])(?P<day>[OoDQGlIiSsBZz0-9]{1,2})"
                      rf"(?=\s?(?:st|nd|rd|th)?\s?(?:of\s+)?{_MONTH}\b)")


def repair_ocr_day(text: str) -> str:
    """``OGJuly 2023`` -> ``06July 2023``: OCR reads a typed day's digits as look-alike letters. Used
    only on a signature line, where a day before a month name is expected."""
    return _OCR_DAY.sub(lambda m: m.group("day").translate(_LOOKALIKE), text)


_DIGIT_LOOKALIKE = str.maketrans({"O": "0", "o": "0", "D": "0", "Q": "0", "l": "1", "I": "1", "|": "1", "Z": "2",
                                  "z": "2", "S": "5", "B": "8"})
_DIGITS = r"[0-9OoDQlI|ZzSB]"
_NUMERIC_RUN = re.compile(rf"(?<![A-Za-z0-9]){_DIGITS}{{1,2}}\s?[./\-]\s?{_DIGITS}{{1,2}}\s?[./\-]\s?{_DIGITS}{{4}}"
                          r"(?![A-Za-z0-9])")
_MAX_LOOKALIKES = 2  # of the 6-8 digits of a numeric date; the rest must be real digits


def repair_ocr_digits(text: str) -> str:
    """``l9.O2.2020`` -> ``19.02.2020``: OCR reads a digit of a typed date as a look-alike letter. Only
    inside a run shaped like a numeric date (day, month, four-digit year) that is mostly digits, so words
    are never touched. Used on date lines (hearing, announcement, signature)."""

    def fix(m: re.Match[str]) -> str:
        run = m.group()
        lookalikes = sum(ch.isalpha() or ch == "|" for ch in run)
        return run.translate(_DIGIT_LOOKALIKE) if 0 < lookalikes <= _MAX_LOOKALIKES else run

    return _NUMERIC_RUN.sub(fix, text)


def find_dates(text: str) -> list[FoundDate]:
    """Every valid date in ``text``, in text order (overlapping forms: the first found wins)."""
    found: list[FoundDate] = []
    for m in _NUMERIC.finditer(text):
        if m.group("s1").isspace() and m.group("s2").isspace():
            continue  # "12 10 2019": three numbers, not a date
        value = _make(int(m.group("y").replace(" ", "")), int(m.group("m")), int(m.group("d")))
        if value:
            found.append(FoundDate(value, m.start(), m.end()))
    for pattern in (_WORD, _WORD_US):
        for m in pattern.finditer(text):
            value = _make(int(m.group("y")), MONTHS.get(m.group("month").lower().rstrip(".")), int(m.group("d")))
            if value and not any(f.start < m.end() and m.start() < f.end for f in found):
                found.append(FoundDate(value, m.start(), m.end()))
    return sorted(found, key=lambda f: f.start)


_NOISE_BEFORE = frozenset("*{}[]<>|~^`\\")


def broken_date_run(text: str, found: FoundDate) -> bool:
    """True when the date ``found`` in ``text`` was pieced together from a run too broken to be a typed
    date: a numeric date whose year is split by a space (``202 4``), whose separator has a space on
    both sides (``2 . 3``), whose day follows another digit across a space (``1 2.3.2024``: the day
    was ``12``), or which follows stray marks (``* { 2.3.2024``). OCR of handwriting gives such runs
    (``* { 2 . 3 202 4`` for a handwritten ``12.3.2024``); typed dates read ``12.3.2024``,
    ``12-03-2024``, ``12. 3. 2024``, ``11.11 2014``, ``12th March, 2024``. Used on the announcement
    line, where a handwritten date is expected and a wrong one would pass for typed."""
    numeric = _NUMERIC.fullmatch(text[found.start:found.end])
    if numeric is not None:
        if any(ch.isspace() for ch in numeric.group("y")):
            return True
        if any(len(sep) == 3 for sep in (numeric.group("s1"), numeric.group("s2"))):
            return True
    before = text[:found.start].rstrip()
    if not before:
        return False
    return before[-1] in _NOISE_BEFORE or (before[-1].isdigit() and found.start > len(before))


def first_date(text: str) -> date | None:
    """The first valid date in ``text``, or None."""
    dates = find_dates(text)
    return dates[0].value if dates else None
