"""The ranges the calendar shows: a day, a week (Monday to Sunday), a month laid out as whole weeks,
and an agenda (a run of days from a start). Days are the court's calendar days (Asia/Karachi)."""

from __future__ import annotations

from calendar import monthrange
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

AGENDA_DAYS = 30


class View(StrEnum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    AGENDA = "agenda"


@dataclass(frozen=True)
class Period:
    """``first``..``last`` (inclusive) is what is listed; ``grid_first``..``grid_last`` are whole weeks
    around it (the month grid); ``previous``/``following`` start the neighbouring periods."""

    view: View
    anchor: date
    first: date
    last: date
    previous: date
    following: date

    @property
    def grid_first(self) -> date:
        return self.first - timedelta(days=self.first.weekday())

    @property
    def grid_last(self) -> date:
        return self.last + timedelta(days=6 - self.last.weekday())

    def weeks(self) -> list[list[date]]:
        """The grid as rows of seven days (Monday first)."""
        days = (self.grid_last - self.grid_first).days + 1
        cells = [self.grid_first + timedelta(days=i) for i in range(days)]
        return [cells[i:i + 7] for i in range(0, len(cells), 7)]


def parse_view(text: str | None) -> View:
    try:
        return View(text or View.WEEK)
    except ValueError:
        return View.WEEK


def period(view: View, anchor: date) -> Period:
    """The period of ``view`` that contains ``anchor``."""
    if view is View.DAY:
        return Period(view, anchor, anchor, anchor, anchor - timedelta(days=1), anchor + timedelta(days=1))
    if view is View.MONTH:
        first = anchor.replace(day=1)
        last = first.replace(day=monthrange(first.year, first.month)[1])
        previous = (first - timedelta(days=1)).replace(day=1)
        return Period(view, anchor, first, last, previous, last + timedelta(days=1))
    if view is View.AGENDA:
        last = anchor + timedelta(days=AGENDA_DAYS - 1)
        return Period(view, anchor, anchor, last, anchor - timedelta(days=AGENDA_DAYS), last + timedelta(days=1))
    monday = anchor - timedelta(days=anchor.weekday())
    return Period(view, anchor, monday, monday + timedelta(days=6), monday - timedelta(days=7),
                  monday + timedelta(days=7))
