"""Open and closed court days: the ONE calendar that statutory deadlines are counted in and that
hearing dates are checked against (``scheduling.conflicts``).

A day is closed when it is a weekday the courts do not sit, a fixed-date gazetted holiday (both from
``data/court_calendar.toml``) or a dated holiday entered by a supervisor (Eid, Ashura, vacations; the
``court_holidays`` table, for the whole province or one district). ``CourtCalendar`` is an immutable
value for one place: ``casework.holidays.court_calendar`` builds it from the data file plus the
table rows of the province and of one district.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from importlib import resources
from typing import Any

from i18n import N_

MAX_SEARCH_DAYS = 366  # a closed spell longer than a year means the calendar data is wrong
# English names (the data file's spelling); marked, so a closed weekday given as the reason a day is
# closed is shown in the reader's language.
WEEKDAYS = (N_("Monday"), N_("Tuesday"), N_("Wednesday"), N_("Thursday"), N_("Friday"), N_("Saturday"),
            N_("Sunday"))


class CalendarError(ValueError):
    """The court calendar data is inconsistent (an unknown weekday, a date that does not exist, every
    weekday closed), or no open day lies within a year of the date asked about."""


@dataclass(frozen=True)
class FixedHoliday:
    """A gazetted holiday on the same date every year (``since``: first year it applies)."""

    month: int
    day: int
    name: str
    source: str = ""
    since: int | None = None

    def on(self, year: int) -> date | None:
        """The holiday's date in ``year``, or None (not yet declared then, or 29 February)."""
        if self.since is not None and year < self.since:
            return None
        try:
            return date(year, self.month, self.day)
        except ValueError:  # 29 February in a common year
            return None


@dataclass(frozen=True)
class CourtCalendar:
    """``closed_weekdays``: ``date.weekday()`` numbers (0 = Monday .. 6 = Sunday) courts do not sit;
    ``fixed``: gazetted yearly holidays; ``dated``: one-off closed days of this place with their names."""

    closed_weekdays: frozenset[int] = frozenset({6})
    fixed: tuple[FixedHoliday, ...] = ()
    dated: Mapping[date, str] = field(default_factory=dict)
    closed_weekdays_source: str = ""

    def closed_reason(self, day: date) -> str | None:
        """Why the courts are closed on ``day`` (the holiday's name or the weekday), None when open."""
        if day in self.dated:
            return self.dated[day]
        for holiday in self.fixed:
            if holiday.on(day.year) == day:
                return holiday.name
        if day.weekday() in self.closed_weekdays:
            return WEEKDAYS[day.weekday()]
        return None

    def is_open(self, day: date) -> bool:
        return self.closed_reason(day) is None

    def next_open(self, day: date) -> date:
        """``day`` if courts sit then, else the next day they do (General Clauses Act 1897 s.10).
        Raises ``CalendarError`` when no day within a year is open."""
        return self._walk(day, 1)

    def previous_open(self, day: date) -> date:
        """``day`` if courts sit then, else the last open day before it (for "before" deadlines)."""
        return self._walk(day, -1)

    def _walk(self, day: date, step: int) -> date:
        current = day
        for _ in range(MAX_SEARCH_DAYS):
            if self.is_open(current):
                return current
            current += timedelta(days=step)
        raise CalendarError(f"no open court day within a year of {day.isoformat()}")

    def with_dated(self, extra: Iterable[tuple[date, str]]) -> CourtCalendar:
        """This calendar plus dated holidays ``(day, name)`` (a day already named keeps its first name)."""
        merged = dict(self.dated)
        for day, name in extra:
            merged.setdefault(day, name)
        return CourtCalendar(self.closed_weekdays, self.fixed, merged, self.closed_weekdays_source)

    def closed_weekday_names(self) -> list[str]:
        return [WEEKDAYS[d] for d in sorted(self.closed_weekdays)]


def _weekday(name: Any) -> int:
    text = str(name).strip().capitalize()
    if text not in WEEKDAYS:
        raise CalendarError(f"closed_weekdays: {name!r} is not a weekday name (Monday .. Sunday)")
    return WEEKDAYS.index(text)


def _fixed(spec: Mapping[str, Any]) -> FixedHoliday:
    try:
        holiday = FixedHoliday(int(spec["month"]), int(spec["day"]), str(spec["name"]), str(spec.get("source", "")),
                               int(spec["since"]) if spec.get("since") is not None else None)
    except (KeyError, TypeError, ValueError) as exc:
        raise CalendarError(f"fixed holiday {spec!r} needs month, day and name ({exc})") from exc
    if FixedHoliday(holiday.month, holiday.day, holiday.name).on(2024) is None:  # a leap year admits every date
        raise CalendarError(f"fixed holiday {holiday.name!r} has no such date")
    return holiday


def parse_calendar(data: Mapping[str, Any]) -> CourtCalendar:
    """A ``CourtCalendar`` (no dated holidays) from the parsed data file; ``CalendarError`` if it is wrong."""
    weekdays = frozenset(_weekday(d) for d in data.get("closed_weekdays", ["Sunday"]))
    if len(weekdays) == len(WEEKDAYS):
        raise CalendarError("closed_weekdays must leave at least one day on which courts sit")
    fixed = tuple(_fixed(spec) for spec in data.get("fixed", []))
    return CourtCalendar(weekdays, fixed, {}, str(data.get("closed_weekdays_source", "")))


@cache
def default_calendar() -> CourtCalendar:
    """Closed weekdays and fixed holidays from ``data/court_calendar.toml`` (no dated holidays),
    loaded once per process."""
    text = resources.files("casework").joinpath("data", "court_calendar.toml").read_text(encoding="utf-8")
    return parse_calendar(tomllib.loads(text))
