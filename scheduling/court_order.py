"""The order courts are listed in: the way a district's court list reads, not the alphabet.

Court names number their benches with Roman numerals or digits ("Additional Sessions Judge-IX,
Peshawar", "Judicial Magistrate 12, Mardan"). Sorted as text, "-IX" comes before "-V" and "12" before
"2". ``court_sort_key`` compares the words as text and the bench numbers as numbers.
"""

from __future__ import annotations

import re

_TOKEN = re.compile(r"\d+|[A-Za-z]+|[^\sA-Za-z\d]+")
_ROMAN = re.compile(r"^(?=[IVXLC]+$)C{0,3}(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})$")
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


def roman_value(token: str) -> int | None:
    """The value of an upper-case Roman numeral from I to CCCXCIX (``"IX"`` -> 9), else None."""
    if not token or not _ROMAN.match(token):
        return None
    total = 0
    for current, following in zip(token, [*token[1:], ""], strict=True):
        value = _ROMAN_VALUES[current]
        total += -value if following and _ROMAN_VALUES[following] > value else value
    return total


def court_sort_key(name: str) -> tuple[tuple[int, int, str], ...]:
    """A key that lists ``name`` among courts with bench numbers in numeric order: digits and
    upper-case Roman numerals (a whole word, so "CIVIL" and "Mix" stay words) sort as numbers, before
    words at the same place; words compare case-insensitively."""
    key: list[tuple[int, int, str]] = []
    for token in _TOKEN.findall(name):
        if token.isdigit():
            key.append((0, int(token), ""))
            continue
        numeral = roman_value(token) if token.isupper() and len(token) <= 9 else None
        if numeral is not None and token not in {"C", "L"}:  # "C" / "L" alone are letters (Class C)
            key.append((0, numeral, ""))
        else:
            key.append((1, 0, token.casefold()))
    return tuple(key)
