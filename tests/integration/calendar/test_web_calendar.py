"""The calendar pages through the Flask test client on real SQLite: scheduling with conflict
warnings and override reasons, outcomes (CrPC s.344) creating the next hearing, cause list on screen
and as PDF, diary, next-date list, views, scope, courts and holidays, notifications."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pdfplumber
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from config import Settings
from models import AuditEvent, ConflictOverride, CourtHoliday, Hearing, Notification
from scheduling.timezone import local_today
from search_app import create_app
from tests.integration.calendar.world import CalendarWorld, add_hearing, build, court_day
from tests.integration.web_world import client_for, csrf_from


@pytest.fixture
def world(session_factory: sessionmaker[Session]) -> CalendarWorld:
    return build(session_factory)


@pytest.fixture
def app(settings: Settings, world: CalendarWorld) -> Iterator[Flask]:
    application = create_app(settings)
    yield application
    application.extensions["cmms"].engine.dispose()


def post(client: FlaskClient, path: str, data: dict[str, object]):  # type: ignore[no-untyped-def]
    token = csrf_from(client.get("/calendar").get_data(as_text=True))
    return client.post(path, data={**data, "csrf_token": token})


TODAY = local_today(datetime.now(UTC))  # the court's day, as the app sees it
DAY = court_day(TODAY + timedelta(days=7))


def schedule(client: FlaskClient, world: CalendarWorld, case: str, court: str, **extra: object):  # type: ignore[no-untyped-def]
    data = {"scheduled_for": DAY.isoformat(), "session": "morning", "court_id": world.courts[court],
            "purpose": "prosecution_evidence", **extra}
    return post(client, f"/cases/{world.cases[case]}/hearings/new", data)


def audits(factory: sessionmaker[Session], action: str) -> list[AuditEvent]:
    with factory() as db:
        return list(db.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)))


def test_clash_warns_then_the_override_reason_is_recorded_and_the_supervisor_told(
        app: Flask, world: CalendarWorld, session_factory: sessionmaker[Session]) -> None:
    amina = client_for(app, "amina")  # the prosecutor keeps her own diary
    assert schedule(amina, world, "p1", "asj2").status_code == 302
    clash = schedule(amina, world, "p2", "jm1")  # Amina again, same morning, another court
    page = clash.get_data(as_text=True)
    assert clash.status_code == 409 and "Check this date" in page
    assert "Amina Bibi also appears in FIR 101/2025, PS Saddar before Additional Sessions Judge-II" in page
    with session_factory() as db:
        assert len(list(db.scalars(select(Hearing)))) == 1  # nothing saved by a warning
    seen = [line.split('value="')[1].split('"')[0] for line in page.splitlines() if 'name="seen"' in line]
    no_reason = schedule(amina, world, "p2", "jm1", seen=seen)
    assert no_reason.status_code == 409
    kept = schedule(amina, world, "p2", "jm1", seen=seen, override_reason="Bail matter, 10 minutes; ASJ sits at 11")
    assert kept.status_code == 302
    with session_factory() as db:
        [override] = db.scalars(select(ConflictOverride))
        assert override.kind == "prosecutor_two_courts" and override.reason.startswith("Bail matter")
        told = db.scalars(select(Notification).where(Notification.user_id == world.users["chief"])).one()
        assert told.kind == "conflict_override" and "Bail matter" in told.body
    hearing_page = amina.get(kept.headers["Location"]).get_data(as_text=True)
    assert "Warnings kept" in hearing_page and "Bail matter" in hearing_page
    assert audits(session_factory, "create")[-1].detail["overrides"] == ["prosecutor_two_courts"]


def test_a_new_warning_after_the_form_was_shown_is_shown_again(
        app: Flask, world: CalendarWorld, session_factory: sessionmaker[Session]) -> None:
    amina = client_for(app, "amina")  # the prosecutor keeps her own diary
    schedule(amina, world, "p1", "asj2")
    page = schedule(amina, world, "p2", "jm1").get_data(as_text=True)
    seen = [line.split('value="')[1].split('"')[0] for line in page.splitlines() if 'name="seen"' in line]
    add_hearing(session_factory, world, "p1", DAY, court="jm1", witnesses=(("Gul Zaman", "17301-1111111-1"),))
    again = schedule(amina, world, "p2", "asj2", seen=seen, override_reason="ok",
                     witness_name="Gul Zaman", witness_cnic="17301 1111111 1")
    assert again.status_code == 409 and "Witness Gul Zaman is also summoned" in again.get_data(as_text=True)


def test_witness_clash_across_districts_does_not_name_the_other_case(
        app: Flask, world: CalendarWorld, session_factory: sessionmaker[Session]) -> None:
    add_hearing(session_factory, world, "m1", DAY, court="atc", session="evening",
                witnesses=(("Muhammad Riaz", "16101-2222222-3"),))
    page = schedule(client_for(app, "amina"), world, "p1", "asj2", witness_name="Mohammad Riaz",
                    witness_cnic="").get_data(as_text=True)
    assert "Witness Mohammad Riaz is also summoned in a case outside your districts" in page
    assert "FIR 303" not in page


def test_holiday_and_past_date_warnings(app: Flask, world: CalendarWorld,
                                        session_factory: sessionmaker[Session]) -> None:
    with session_factory() as db:
        db.add(CourtHoliday(day=DAY, name="Eid ul Adha", district_id=None, source="Notification 1/2026"))
        db.commit()
    amina = client_for(app, "amina")  # the prosecutor keeps her own diary
    assert "is not a court day (Eid ul Adha)" in schedule(amina, world, "p1", "asj2").get_data(as_text=True)
    past = post(amina, f"/cases/{world.cases['p1']}/hearings/new", {
        "scheduled_for": (TODAY - timedelta(days=30)).isoformat(), "court_id": world.courts["asj2"],
        "purpose": "charge"})
    assert past.status_code == 409 and "has already passed" in past.get_data(as_text=True)
    bad = post(amina, f"/cases/{world.cases['p1']}/hearings/new", {"scheduled_for": "next week", "purpose": "x"})
    text = bad.get_data(as_text=True)
    assert bad.status_code == 400 and "Enter the hearing date." in text and "Choose what the court sits for." in text


def test_adjournment_needs_reason_and_next_date_and_schedules_the_next_hearing(
        app: Flask, world: CalendarWorld, session_factory: sessionmaker[Session]) -> None:
    held = TODAY - timedelta(days=1)
    hearing_id = add_hearing(session_factory, world, "p1", held, witnesses=(("Gul Khan", "17301-1234567-1"),
                                                                           ("Sher Ali", "")))
    amina = client_for(app, "amina")
    missing = post(amina, f"/hearings/{hearing_id}/outcome", {"result": "adjourned"})
    text = missing.get_data(as_text=True)
    assert missing.status_code == 400 and "CrPC s.344" in text and "Say who asked" in text and "next date" in text
    with session_factory() as db:
        witness_ids = [w.id for w in db.get(Hearing, hearing_id).witnesses]  # type: ignore[union-attr]
    next_day = court_day(TODAY + timedelta(days=14))
    done = post(amina, f"/hearings/{hearing_id}/outcome", {
        "result": "adjourned", "adjournment_reason": "witness_absent", "requested_by": "prosecution",
        "next_date": next_day.isoformat(), "next_purpose": "prosecution_evidence", "attended": witness_ids[0]})
    assert done.status_code == 302
    with session_factory() as db:
        hearing = db.get(Hearing, hearing_id)
        assert hearing is not None and hearing.next_date == next_day and hearing.adjournment_reason == "witness_absent"
        following = db.get(Hearing, hearing.next_hearing_id)
        assert following is not None and following.scheduled_for == next_day
        assert following.court_id == world.courts["asj2"] and [w.name for w in following.witnesses] == ["Sher Ali"]
    page = amina.get(f"/hearings/{hearing_id}").get_data(as_text=True)
    assert "Prosecution witness absent" in page and "asked by" in page and next_day.strftime("%d %B %Y") in page
    early = post(amina, f"/hearings/{following.id}/outcome", {"result": "judgment_announced"})
    assert early.status_code == 400 and "record its outcome on or after that day" in early.get_data(as_text=True)


def test_cause_list_on_screen_and_as_pdf_lists_the_department_cases_of_that_court(
        app: Flask, world: CalendarWorld, session_factory: sessionmaker[Session]) -> None:
    add_hearing(session_factory, world, "p1", DAY, court="asj2", witnesses=(("Gul Khan", ""),))
    add_hearing(session_factory, world, "p2", DAY, court="jm1")
    add_hearing(session_factory, world, "m1", DAY, court="atc")
    amina = client_for(app, "amina")
    query = f"date={DAY.isoformat()}&court={world.courts['asj2']}"
    screen = amina.get(f"/calendar/cause-list?{query}").get_data(as_text=True)
    assert "FIR 101/2025" in screen and "FIR 202/2025" not in screen and "Gul Khan" in screen
    pdf = amina.get(f"/calendar/cause-list.pdf?{query}")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    with pdfplumber.open(io.BytesIO(pdf.data)) as document:
        text = "\n".join(page.extract_text() or "" for page in document.pages)
    assert "FIR 101/2025" in text and "Prosecution evidence" in text and "Amina Bibi" in text
    assert "FIR 202/2025" not in text and "FIR 303/2025" not in text
    everything = amina.get(f"/calendar/cause-list?date={DAY.isoformat()}").get_data(as_text=True)
    assert "FIR 202/2025" in everything and "FIR 303/2025" not in everything  # Mardan is outside her districts
    assert audits(session_factory, "view")[-1].object_type == "cause_list"


def test_diary_attention_and_indicator(app: Flask, world: CalendarWorld,
                                       session_factory: sessionmaker[Session]) -> None:
    today = TODAY
    add_hearing(session_factory, world, "p1", today - timedelta(days=3))                         # no outcome
    add_hearing(session_factory, world, "p2", today - timedelta(days=3), result="evidence_recorded")  # no next date
    add_hearing(session_factory, world, "p2", DAY, court="jm1", session="evening")
    amina = client_for(app, "amina")
    diary = amina.get(f"/calendar/diary?date={DAY.isoformat()}").get_data(as_text=True)
    assert "FIR 202/2025" in diary and "Diary of Amina Bibi" in diary
    chief = client_for(app, "chief")
    attention = chief.get("/calendar/attention").get_data(as_text=True)
    assert attention.count('class="flag"') == 2
    # p1 has no next appearance; p2 has one (the hearing on DAY): 1 of 2 files -> 50%, UN score 2
    assert "50%" in attention and "UN indicator score 2 of 4" in attention
    api = chief.get("/api/v1/calendar/attention").get_json()
    assert api["indicator"] == {"files": 2, "with_next_date": 1, "percent": 50.0, "score": 2}


@pytest.mark.parametrize("view", ["day", "week", "month", "agenda"])
def test_views_show_only_hearings_in_scope(view: str, app: Flask, world: CalendarWorld,
                                           session_factory: sessionmaker[Session]) -> None:
    add_hearing(session_factory, world, "p1", DAY)
    add_hearing(session_factory, world, "m1", DAY, court="atc")
    page = client_for(app, "amina").get(f"/calendar?view={view}&start={DAY.isoformat()}").get_data(as_text=True)
    assert "FIR 101/2025" in page and "FIR 303/2025" not in page
    everything = client_for(app, "admin").get(f"/calendar?view={view}&start={DAY.isoformat()}").get_data(as_text=True)
    assert "FIR 303/2025" in everything


def test_other_district_hearing_is_not_found(app: Flask, world: CalendarWorld,
                                             session_factory: sessionmaker[Session]) -> None:
    mardan = add_hearing(session_factory, world, "m1", DAY, court="atc")
    amina = client_for(app, "amina")
    for url in (f"/hearings/{mardan}", f"/hearings/{mardan}/edit", f"/hearings/{mardan}/outcome",
                f"/api/v1/hearings/{mardan}"):
        assert amina.get(url).status_code == 404, url
    assert post(amina, f"/hearings/{mardan}/outcome", {"result": "judgment_announced"}).status_code == 404


def test_courts_and_holidays_are_kept_by_supervisors(app: Flask, world: CalendarWorld,
                                                     session_factory: sessionmaker[Session]) -> None:
    chief = client_for(app, "chief")
    added = post(chief, "/calendar/courts", {"district_id": world.districts["peshawar"],
                                             "name": "Anti-Terrorism Court-II, Peshawar", "kind": "atc"})
    assert added.status_code == 302
    outside = post(chief, "/calendar/courts", {"district_id": world.districts["mardan"], "name": "X", "kind": "atc"})
    assert outside.status_code == 400 and "Choose one of your districts" in outside.get_data(as_text=True)
    holiday = post(chief, "/calendar/holidays", {"day": DAY.isoformat(), "name": "Ashura",
                                                 "district_id": world.districts["peshawar"]})
    assert holiday.status_code == 302
    assert client_for(app, "amina").get("/calendar/courts").status_code == 403
    month = chief.get(f"/calendar?view=month&start={DAY.isoformat()}&district={world.districts['peshawar']}")
    assert "Ashura" in month.get_data(as_text=True)


def test_notifications_page_and_preferences(app: Flask, world: CalendarWorld,
                                            session_factory: sessionmaker[Session]) -> None:
    from notify import notify

    with session_factory() as db:
        note = notify(db, world.users["amina"], "hearing_tomorrow", "Hearing tomorrow: FIR 101/2025", link="/calendar")
        db.commit()
    amina = client_for(app, "amina")
    home = amina.get("/").get_data(as_text=True)
    assert 'id="unread-count">1<' in home
    opened = post(amina, f"/notifications/{note}/open", {})
    assert opened.status_code == 302 and opened.headers["Location"].endswith("/calendar")
    assert 'id="unread-count"' not in amina.get("/").get_data(as_text=True)
    bad = post(amina, "/notifications/preferences", {"email": "not an address", "digest_hour": "7"})
    assert bad.status_code == 400 and "e-mail address like" in bad.get_data(as_text=True)
    from notify.kinds import kinds

    modes = {f"mode_{code}": "off" for code in kinds()}  # the form lists every kind (other areas add theirs)
    modes.update({"mode_hearing_tomorrow": "digest", "mode_deadline_due": "immediate"})
    saved = post(amina, "/notifications/preferences", {"email": "amina@kp.example", "digest_hour": "6", **modes})
    assert saved.status_code == 302
    assert post(client_for(app, "bilal"), f"/notifications/{note}/open", {}).status_code == 404  # not his
