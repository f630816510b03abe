"""Where "deadlines coming due" come from: a small interface other areas plug into.

A *deadline provider* is a function ``(db, first, last) -> Iterable[DueDeadline]`` returning the
deadlines that fall due between two days (inclusive, Asia/Karachi), each with the users to remind.
The case-file area (statutory deadlines, e.g. CrPC s.173 interim report) registers its provider
with ``register_deadline_provider``; reminders (``notify.reminders``) and calendar feeds
(``search_app.views.feeds``) then include them. Until one is registered there are no deadlines.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session


@dataclass(frozen=True)
class DueDeadline:
    """``key`` is stable per deadline (e.g. ``s173-interim:case-12``); ``user_ids`` are reminded;
    ``district_id`` is the case's district (feeds show it only to users who may see that district);
    ``link`` is a path inside the app; ``source`` cites the rule (act and section)."""

    key: str
    case_id: int
    district_id: int
    title: str
    due_on: date
    user_ids: tuple[int, ...]
    link: str = ""
    source: str = ""


DeadlineProvider = Callable[[Session, date, date], Iterable[DueDeadline]]
_PROVIDERS: list[DeadlineProvider] = []


def register_deadline_provider(provider: DeadlineProvider) -> None:
    """Add ``provider`` (idempotent: registering the same function twice keeps one)."""
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def unregister_deadline_provider(provider: DeadlineProvider) -> None:
    if provider in _PROVIDERS:
        _PROVIDERS.remove(provider)


def deadlines_due(db: Session, first: date, last: date) -> Iterator[DueDeadline]:
    """Every registered provider's deadlines due from ``first`` to ``last``."""
    for provider in list(_PROVIDERS):
        yield from provider(db, first, last)
