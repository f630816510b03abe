"""Dates, times and numbers for a reader: month and day names in their language (Babel's CLDR data:
Urdu months جنوری ... دسمبر) and digits in their chosen style.

Named styles keep the English output the pages always had (``"day"`` is ``Monday 02 March 2026``),
so one template line serves every language. ``Formatter`` needs no Flask: e-mails and PDFs made
outside a request use it with the recipient's preferences.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from babel.dates import format_date, format_datetime, format_time
from babel.numbers import format_decimal

from i18n.languages import DEFAULT_LANGUAGE, DigitStyle, language, show_digits

# Style name -> CLDR pattern. English results equal the strftime formats used before:
# day "%A %d %B %Y", day_medium "%A %d %b %Y", long "%d %B %Y", medium "%d %b %Y", weekday "%a %d %b", short "%d %b",
# numeric "%d.%m.%Y", month "%B %Y", iso_minute "%Y-%m-%d %H:%M".
DATE_PATTERNS: dict[str, str] = {
    "day": "EEEE dd MMMM y",
    "day_medium": "EEEE dd MMM y",
    "long": "dd MMMM y",
    "medium": "dd MMM y",
    "weekday": "EEE dd MMM",
    "short": "dd MMM",
    "numeric": "dd.MM.y",
    "month": "LLLL y",
    "weekday_name": "EEEE",
}
# Urdu writes the day without a leading zero and has no short month names ("2 مارچ 2026").
LOCALE_DATE_PATTERNS: dict[str, dict[str, str]] = {
    "ur": {"day": "EEEE، d MMMM y", "day_medium": "EEEE، d MMMM y", "long": "d MMMM y", "medium": "d MMMM y",
           "weekday": "EEEE d MMMM", "short": "d MMMM"},
}
DATETIME_PATTERNS: dict[str, str] = {
    "medium": "dd MMM y HH:mm",
    "iso_minute": "y-MM-dd HH:mm",
    "short": "dd MMM HH:mm",
}
LOCALE_DATETIME_PATTERNS: dict[str, dict[str, str]] = {
    "ur": {"medium": "d MMMM y، HH:mm", "short": "d MMMM، HH:mm", "iso_minute": "d MMMM y، HH:mm"},
}


@dataclass(frozen=True)
class Formatter:
    """Formats for one reader: ``language`` is a code of ``i18n.languages.LANGUAGES``, ``digits``
    ``"western"`` or ``"eastern"``. Unknown style names raise ``KeyError``."""

    language: str = DEFAULT_LANGUAGE
    digits: DigitStyle = "western"

    @property
    def locale(self) -> str:
        return language(self.language).code

    def text(self, value: object) -> str:
        """Any text with its digits in the reader's style (FIR numbers, page counts, ranges)."""
        return show_digits(str(value), self.digits)

    def number(self, value: int | float) -> str:
        """A count or measure with the locale's grouping (``1,234``) in the reader's digits."""
        return self.text(format_decimal(value, locale=self.locale))

    def date(self, value: dt.date | dt.datetime | None, style: str = "medium") -> str:
        if value is None:
            return ""
        day = value.date() if isinstance(value, dt.datetime) else value
        pattern = LOCALE_DATE_PATTERNS.get(self.locale, {}).get(style) or DATE_PATTERNS[style]
        return self.text(format_date(day, pattern, locale=self.locale))

    def datetime(self, value: dt.datetime | None, style: str = "medium") -> str:
        """``value`` as given (convert to Asia/Karachi first: this does no time-zone arithmetic)."""
        if value is None:
            return ""
        pattern = LOCALE_DATETIME_PATTERNS.get(self.locale, {}).get(style) or DATETIME_PATTERNS[style]
        return self.text(format_datetime(value, pattern, tzinfo=value.tzinfo, locale=self.locale))

    def time(self, value: dt.time | dt.datetime | None) -> str:
        """Wall-clock ``HH:mm`` (24-hour, as cause lists print it)."""
        if value is None:
            return ""
        return self.text(format_time(value, "HH:mm", tzinfo=getattr(value, "tzinfo", None), locale=self.locale))


def digit_style(value: str | None, language_code: str | None) -> DigitStyle:
    """A stored choice, or the language's default digits when unset or unknown."""
    if value == "eastern":
        return "eastern"
    if value == "western":
        return "western"
    return language(language_code).default_digits


__all__ = ["DATETIME_PATTERNS", "DATE_PATTERNS", "LOCALE_DATETIME_PATTERNS", "LOCALE_DATE_PATTERNS", "Formatter",
           "digit_style"]
