"""Time zones: UTC inside (database, queues), Asia/Karachi at the edges (screens, e-mails, feeds).

A hearing's *day* is the court's calendar day in Asia/Karachi (a ``date``, which has no zone); a
hearing's fixed *time*, when the court gives one, is stored as a UTC instant. Pakistan has kept
UTC+05:00 without daylight saving since 2009, but the zone database is used, never a fixed offset.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

COURT_ZONE_NAME = "Asia/Karachi"
COURT_ZONE = ZoneInfo(COURT_ZONE_NAME)


def as_utc(moment: datetime) -> datetime:
    """``moment`` as an aware UTC datetime. A naive value is taken to be UTC already (SQLite returns
    stored UTC values without their zone)."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def to_local(moment: datetime) -> datetime:
    """``moment`` (aware, or naive UTC) in Asia/Karachi."""
    return as_utc(moment).astimezone(COURT_ZONE)


def local_today(now: datetime) -> date:
    """The court's calendar day at the instant ``now``."""
    return to_local(now).date()


def court_today(now: datetime | None = None) -> date:
    """Today in the courts' zone (Asia/Karachi) at ``now`` (default: this instant), whatever zone the
    server runs in. Every "today" of the case file (deadlines overdue, "a date in the future" refused,
    the week's hearings) is this day: from 19:00 to midnight UTC the server's own date is still
    yesterday in Peshawar."""
    return local_today(now or datetime.now(UTC))


def local_to_utc(day: date, at: time) -> datetime:
    """The UTC instant of local (Asia/Karachi) wall time ``at`` on ``day``."""
    return datetime.combine(day, at, tzinfo=COURT_ZONE).astimezone(UTC)


def day_bounds_utc(day: date) -> tuple[datetime, datetime]:
    """[start, end) of the local calendar day ``day`` as UTC instants."""
    start = local_to_utc(day, time(0, 0))
    return start, local_to_utc(day + timedelta(days=1), time(0, 0))
