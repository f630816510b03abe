"""Calendar feeds (RFC 5545) built with the ``icalendar`` library: one VEVENT per hearing or
deadline, local times in Asia/Karachi with the VTIMEZONE the library derives from the zone database.

What goes into a feed leaves the system (phones sync it through their vendors' clouds), so events
carry what a prosecutor needs to be in the right court (case number, court, purpose, link) and
never the names of accused, victims or witnesses.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import icalendar

from scheduling.timezone import COURT_ZONE, COURT_ZONE_NAME

PRODID = "-//CMMS//Hearings calendar//EN"


@dataclass(frozen=True)
class FeedEvent:
    """One event. ``starts``/``ends`` are aware datetimes (timed) or None with ``all_day`` set."""

    uid: str
    summary: str
    description: str
    location: str
    url: str
    updated: datetime
    starts: datetime | None = None
    ends: datetime | None = None
    all_day: date | None = None
    categories: tuple[str, ...] = ()


def build_feed(name: str, events: Iterable[FeedEvent], *, now: datetime | None = None,
               refresh: timedelta = timedelta(hours=1)) -> bytes:
    """The feed as bytes (``text/calendar``; CRLF line ends and folding done by the library).
    ``refresh`` is suggested to clients as REFRESH-INTERVAL (RFC 7986) and X-PUBLISHED-TTL."""
    stamp = (now or datetime.now(UTC)).astimezone(UTC)
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", COURT_ZONE_NAME)
    calendar.add("refresh-interval", refresh, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", icalendar.vDuration(refresh))
    for item in events:
        calendar.add_component(_event(item, stamp))
    calendar.add_missing_timezones()
    return bytes(calendar.to_ical())


def _event(item: FeedEvent, stamp: datetime) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", item.uid)
    event.add("dtstamp", stamp)
    event.add("last-modified", item.updated.astimezone(UTC))
    event.add("summary", item.summary)
    if item.all_day is not None:
        event.add("dtstart", item.all_day)
        event.add("dtend", item.all_day + timedelta(days=1))
        event.add("transp", "TRANSPARENT")
    elif item.starts is not None and item.ends is not None:
        event.add("dtstart", item.starts.astimezone(COURT_ZONE))
        event.add("dtend", item.ends.astimezone(COURT_ZONE))
    else:
        raise ValueError(f"event {item.uid} has neither a day nor start and end times")
    if item.description:
        event.add("description", item.description)
    if item.location:
        event.add("location", item.location)
    if item.url:
        event.add("url", item.url)
    if item.categories:
        event.add("categories", list(item.categories))
    event.add("class", "PRIVATE")
    return event
