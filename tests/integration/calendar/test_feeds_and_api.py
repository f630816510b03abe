"""Personal iCalendar feeds (RFC 5545) and the calendar API.

Feeds are parsed with the library that wrote them (``icalendar``) and with an independent parser
(``ical``); they carry only the user's own hearings and deadlines within their districts, are
reached without a session by their token, audited on every fetch, and stop working on revoke and
on rotation."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta

import icalendar
import pytest
from flask import Flask
from flask.testing import FlaskClient
from ical.calendar_stream import IcsCalendarStream
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from config import Settings
from models import AuditEvent, Hearing
from notify.deadlines import DueDeadline, register_deadline_provider, unregister_deadline_provider
from scheduling.timezone import COURT_ZONE, local_to_utc, local_today
from search_app import create_app
from tests.integration.calendar.world import CalendarWorld, add_hearing, build, court_day
from tests.integration.web_world import client_for, csrf_from

TODAY = local_today(datetime.now(UTC))
DAY = court_day(TODAY + timedelta(days=7))


@pytest.fixture
def world(session_factory: sessionmaker[Session]) -> CalendarWorld:
    return build(session_factory)


@pytest.fixture
def app(settings: Settings, world: CalendarWorld) -> Iterator[Flask]:
    application = create_app(settings)
    yield application
    application.extensions["cmms"].engine.dispose()


def token_of(client: FlaskClient) -> str:
    return csrf_from(client.get("/calendar").get_data(as_text=True))


def make_feed(client: FlaskClient) -> str:
    page = client.post("/calendar/feed", data={"action": "rotate", "csrf_token": token_of(client)})
    match = re.search(r'id="feed-url">([^<]+)<', page.get_data(as_text=True))
    assert match, page.get_data(as_text=True)[:2000]
    return match.group(1).split("://", 1)[1].split("/", 1)[1]  # the path, /feeds/<token>.ics


@pytest.fixture
def feed_world(world: CalendarWorld, session_factory: sessionmaker[Session]) -> dict[str, int]:
    ids = {
        "mine": add_hearing(session_factory, world, "p1", DAY),
        "mine_timed": add_hearing(session_factory, world, "p2", DAY + timedelta(days=1), court="jm1",
                                  session="evening"),
        "bilals": add_hearing(session_factory, world, "m1", DAY, court="atc"),
        "old": add_hearing(session_factory, world, "p1", TODAY - timedelta(days=60)),  # outside the window
    }
    # Amina appears for a Mardan hearing, but Mardan is outside her districts: not in her feed.
    outside = add_hearing(session_factory, world, "m1", DAY + timedelta(days=2), court="atc")
    with session_factory() as db:
        timed = db.get(Hearing, ids["mine_timed"])
        assert timed is not None
        timed.starts_at = local_to_utc(timed.scheduled_for, time(14, 30))
        row = db.get(Hearing, outside)
        assert row is not None
        row.prosecutor_id = world.users["amina"]
        db.commit()
    ids["outside"] = outside
    return ids


def test_feed_parses_with_two_parsers_and_carries_only_in_scope_events(
        app: Flask, world: CalendarWorld, feed_world: dict[str, int], session_factory: sessionmaker[Session]) -> None:
    def deadlines(db: Session, first: date, last: date) -> list[DueDeadline]:
        return [DueDeadline("s173:p1", world.cases["p1"], world.districts["peshawar"], "Interim report FIR 101/2025",
                            DAY + timedelta(days=3), (world.users["amina"],), source="CrPC s.173(1)"),
                DueDeadline("s173:m1", world.cases["m1"], world.districts["mardan"], "Interim report FIR 303/2025",
                            DAY + timedelta(days=3), (world.users["amina"],))]

    path = make_feed(client_for(app, "amina"))
    register_deadline_provider(deadlines)
    try:
        response = app.test_client().get(path)  # a calendar app: no session cookie
    finally:
        unregister_deadline_provider(deadlines)
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    body = response.data

    parsed = icalendar.Calendar.from_ical(body)
    events = {str(e["UID"]): e for e in parsed.walk("VEVENT")}
    assert set(events) == {f"hearing-{feed_world['mine']}@cmms", f"hearing-{feed_world['mine_timed']}@cmms",
                           next(uid for uid in events if uid.startswith("deadline-"))}
    assert len([u for u in events if u.startswith("deadline-")]) == 1
    timed = events[f"hearing-{feed_world['mine_timed']}@cmms"]
    assert timed.decoded("DTSTART") == datetime.combine(DAY + timedelta(days=1), time(14, 30), tzinfo=COURT_ZONE)
    assert str(timed["DTSTART"].params["TZID"]) == "Asia/Karachi"
    session_only = events[f"hearing-{feed_world['mine']}@cmms"]
    assert session_only.decoded("DTSTART").time() == time(9, 0) and "Gul Khan" not in body.decode()  # no names
    assert "Prosecution evidence: FIR 101/2025" in str(session_only["SUMMARY"])

    other = IcsCalendarStream.calendar_from_ics(body.decode())  # an independent RFC 5545 parser
    by_uid = {e.uid: e for e in other.timeline}
    assert set(by_uid) == set(events)
    assert by_uid[f"hearing-{feed_world['mine_timed']}@cmms"].start.astimezone(UTC) == \
        datetime.combine(DAY + timedelta(days=1), time(9, 30), tzinfo=UTC)
    deadline = next(e for uid, e in by_uid.items() if uid.startswith("deadline-"))
    assert deadline.start == DAY + timedelta(days=3) and "FIR 101/2025" in deadline.summary

    with session_factory() as db:
        [fetch] = db.scalars(select(AuditEvent).where(AuditEvent.action == "calendar_feed"))
        assert fetch.success and fetch.user_id == world.users["amina"] and fetch.detail["events"] == 3


def test_revoked_and_rotated_addresses_stop_working(app: Flask, world: CalendarWorld, feed_world: dict[str, int],
                                                    session_factory: sessionmaker[Session]) -> None:
    amina = client_for(app, "amina")
    first = make_feed(amina)
    anonymous = app.test_client()
    assert anonymous.get(first).status_code == 200
    second = make_feed(amina)  # rotate
    assert anonymous.get(first).status_code == 404 and anonymous.get(second).status_code == 200
    page = amina.get("/calendar/feed").get_data(as_text=True)
    token = second.rsplit("/", 1)[1].removesuffix(".ics")
    assert token[:6] in page and token not in page  # shown once, then only its first characters
    amina.post("/calendar/feed", data={"action": "revoke", "csrf_token": token_of(amina)})
    assert anonymous.get(second).status_code == 404
    assert anonymous.get("/feeds/" + "x" * 43 + ".ics").status_code == 404
    with session_factory() as db:
        outcomes = [(e.success, e.detail.get("reason")) for e in db.scalars(
            select(AuditEvent).where(AuditEvent.action == "calendar_feed").order_by(AuditEvent.id))]
    assert outcomes == [(True, None), (False, "revoked"), (True, None), (False, "revoked"), (False, "unknown_token")]
    assert len(second) > 50  # /feeds/ + 43 characters of a 256-bit token


def api_post(client: FlaskClient, path: str, body: dict[str, object]):  # type: ignore[no-untyped-def]
    return client.post(path, json=body, headers={"X-CSRFToken": token_of(client)})


def test_api_schedule_conflict_override_and_outcome(app: Flask, world: CalendarWorld,
                                                    session_factory: sessionmaker[Session]) -> None:
    amina = client_for(app, "amina")  # the prosecutor keeps her own diary
    body = {"scheduled_for": DAY.isoformat(), "court_id": world.courts["asj2"], "purpose": "charge",
            "witnesses": [{"name": "Gul Khan", "cnic": "17301-1234567-1"}]}
    first = api_post(amina, f"/api/v1/cases/{world.cases['p1']}/hearings", body)
    assert first.status_code == 201 and first.get_json()["witnesses"][0]["cnic"] == "17301-1234567-1"
    clash = api_post(amina, f"/api/v1/cases/{world.cases['p2']}/hearings", {**body, "court_id": world.courts["jm1"]})
    error = clash.get_json()["error"]
    assert clash.status_code == 409 and {c["kind"] for c in error["conflicts"]} == {"prosecutor_two_courts",
                                                                                    "witness_two_courts"}
    kept = api_post(amina, f"/api/v1/cases/{world.cases['p2']}/hearings", {
        **body, "court_id": world.courts["jm1"], "override_reason": "Court fixed both",
        "seen": [c["fingerprint"] for c in error["conflicts"]]})
    assert kept.status_code == 201
    invalid = api_post(amina, f"/api/v1/cases/{world.cases['p1']}/hearings", {"scheduled_for": "soon"})
    assert invalid.status_code == 400 and set(invalid.get_json()["error"]["fields"]) >= {"scheduled_for", "purpose"}
    past = add_hearing(session_factory, world, "p1", TODAY - timedelta(days=2))
    done = api_post(amina, f"/api/v1/hearings/{past}/outcome", {
        "result": "adjourned", "adjournment_reason": "defence_counsel_absent", "requested_by": "defence",
        "next_date": court_day(DAY + timedelta(days=7)).isoformat()})
    assert done.status_code == 200 and done.get_json()["next_hearing_id"]
    listed = amina.get(f"/api/v1/hearings?from={TODAY.isoformat()}&to={(DAY + timedelta(days=30)).isoformat()}")
    assert len(listed.get_json()["items"]) == 3
    assert client_for(app, "bilal").get(f"/api/v1/hearings?from={DAY.isoformat()}&to={DAY.isoformat()}"
                                        ).get_json()["items"] == []
    vocab = amina.get("/api/v1/hearing-vocabulary").get_json()
    assert {"purposes", "results", "adjournment_reasons", "requesters", "sessions", "court_kinds"} <= set(vocab)
    refused = api_post(client_for(app, "clerk"), f"/api/v1/cases/{world.cases['p1']}/hearings", body)
    assert refused.status_code == 403 and refused.get_json()["error"]["code"] == "forbidden"  # data entry: no hearings


def test_api_notifications(app: Flask, world: CalendarWorld, session_factory: sessionmaker[Session]) -> None:
    from notify import notify

    with session_factory() as db:
        note = notify(db, world.users["amina"], "deadline_due", "Deadline tomorrow")
        db.commit()
    amina = client_for(app, "amina")
    assert [n["id"] for n in amina.get("/api/v1/notifications?unread=1").get_json()["items"]] == [note]
    assert api_post(amina, f"/api/v1/notifications/{note}/read", {}).status_code == 200
    assert amina.get("/api/v1/notifications?unread=1").get_json()["items"] == []
    assert api_post(client_for(app, "bilal"), f"/api/v1/notifications/{note}/read", {}).status_code == 404
