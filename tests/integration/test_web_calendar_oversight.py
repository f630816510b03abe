"""Hearings calendar (add/edit, week and month, scope), supervisor caseload and the audit-trail viewer,
home page by role."""

from __future__ import annotations

import re
from datetime import date, timedelta

from flask.testing import FlaskClient
from sqlalchemy import select, update

from models import Case, DocumentStatus, Hearing, Page, Role
from scheduling.timezone import court_today
from tests.integration import web_support
from tests.integration.calendar.world import court_day
from tests.integration.web_support import audit_rows, login, make_case, make_document, make_user, post

# Fixtures shared by the web tests (bound here so pytest finds them in this module).
app, client, districts = web_support.app, web_support.client, web_support.districts


def _hearing(session_factory, case_id: int, day: date, court: str = "ASJ-II") -> int:  # type: ignore[no-untyped-def]
    with session_factory() as db:
        hearing = Hearing(case_id=case_id, scheduled_for=day, court=court, purpose="evidence")
        db.add(hearing)
        db.commit()
        return hearing.id


def test_add_and_edit_hearing(client: FlaskClient, session_factory, districts) -> None:
    make_user(session_factory, "pros", Role.PROSECUTOR, ["Peshawar"])
    case_id = make_case(session_factory, districts["Peshawar"])
    login(client, "pros")
    day = court_day(court_today() + timedelta(days=3))  # a court day (a warning-free date)
    response = post(client, f"/cases/{case_id}/hearings/new",
                    {"scheduled_for": day.isoformat(), "court": "عدالت سیشن جج", "purpose": "arguments"})
    assert response.status_code == 302
    with session_factory() as db:
        hearing = db.scalar(select(Hearing))
        assert hearing is not None and hearing.scheduled_for == day and hearing.court == "عدالت سیشن جج"
        hearing_id = hearing.id
    week = client.get(f"/calendar?start={day.isoformat()}").get_data(as_text=True)
    assert "عدالت سیشن جج" in week and "FIR 101/2024" in week
    later = court_day(day + timedelta(days=40))
    edited = post(client, f"/hearings/{hearing_id}/edit",
                  {"scheduled_for": later.isoformat(), "court": "ATC", "purpose": "arguments"})
    assert edited.status_code == 302
    assert "ATC" not in client.get(f"/calendar?start={day.isoformat()}").get_data(as_text=True)
    assert "ATC" in client.get(f"/calendar?view=month&start={later.isoformat()}").get_data(as_text=True)
    assert [e.object_type for e in audit_rows(session_factory, "create")] == ["hearing"]
    assert audit_rows(session_factory, "edit")[-1].object_type == "hearing"
    bad = post(client, f"/cases/{case_id}/hearings/new", {"scheduled_for": "tomorrow"})
    assert bad.status_code == 400 and "Enter the hearing date" in bad.get_data(as_text=True)


def test_calendar_shows_only_hearings_in_scope(client: FlaskClient, session_factory, districts) -> None:
    make_user(session_factory, "pros", Role.PROSECUTOR, ["Peshawar"])
    day = court_today()
    _hearing(session_factory, make_case(session_factory, districts["Peshawar"]), day, court="Peshawar court")
    swat_case = make_case(session_factory, districts["Swat"], fir_number="5")
    other_hearing = _hearing(session_factory, swat_case, day, court="Swat court")
    login(client, "pros")
    page = client.get("/calendar").get_data(as_text=True)
    assert "Peshawar court" in page and "Swat court" not in page
    assert client.get(f"/hearings/{other_hearing}/edit").status_code == 404


def test_caseload_counts_per_prosecutor(client: FlaskClient, session_factory, districts) -> None:
    make_user(session_factory, "chief", Role.SUPERVISOR, ["Peshawar"])
    p1 = make_user(session_factory, "amina", Role.PROSECUTOR, ["Peshawar"])
    trial = make_case(session_factory, districts["Peshawar"], fir_number="1")
    appeal = make_case(session_factory, districts["Peshawar"], fir_number="2")
    closed = make_case(session_factory, districts["Peshawar"], fir_number="3")
    outside = make_case(session_factory, districts["Swat"], fir_number="4")
    with session_factory() as db:
        for case_id, stage in ((trial, "prosecution_evidence"), (appeal, "appeal_or_revision"), (closed, "closed"),
                               (outside, "prosecution_evidence")):
            db.execute(update(Case).where(Case.id == case_id).values(stage=stage, assigned_prosecutor_id=p1))
        db.commit()
    _hearing(session_factory, trial, court_today() + timedelta(days=2))
    _hearing(session_factory, trial, court_today() + timedelta(days=30))
    queued = make_document(session_factory, districts["Peshawar"], name="a.pdf", case_id=trial, needs_review=True)
    with session_factory() as db:  # the review queue counts pages that need a person
        db.add(Page(document_id=queued, page_no=1, needs_review=True, review_reasons=["low_confidence"]))
        db.commit()
    make_document(session_factory, districts["Peshawar"], name="b.pdf", case_id=appeal,
                  status=DocumentStatus.FAILED, error_message="The PDF is password protected.")
    login(client, "chief")
    page = client.get("/oversight/caseload").get_data(as_text=True)
    row = page.split("Amina")[1].split("</tr>")[0]
    cells = [re.sub(r"<[^>]+>", "", c) for c in row.split("</td>")][:-1]
    # open, the 14 open stages of casework/data/stages.toml in order, hearings soon, review, failed
    stages = ["0"] * 14
    stages[9] = stages[13] = "1"  # prosecution evidence, appeal or revision
    assert [c.strip() for c in cells[1:]] == ["2", *stages, "1", "1", "1"]


def test_audit_trail_filters_and_is_itself_audited(client: FlaskClient, session_factory, districts) -> None:
    make_user(session_factory, "boss", Role.ADMIN, [], all_districts=True)
    make_user(session_factory, "clerk", Role.DATA_ENTRY, ["Peshawar"])
    login(client, "clerk", "wrong password!!")
    login(client, "boss")
    failed = client.get("/oversight/audit?action=login&outcome=denied").get_data(as_text=True)
    assert "clerk" in failed and "DENIED/FAILED" in failed and ">boss<" not in failed
    mine = client.get("/oversight/audit?user=boss&action=login").get_data(as_text=True)
    assert ">boss<" in mine and "clerk" not in mine
    tomorrow = (court_today() + timedelta(days=1)).isoformat()
    assert "No events match" in client.get(f"/oversight/audit?from={tomorrow}").get_data(as_text=True)
    assert len(audit_rows(session_factory, "audit_view")) == 3
    for bad in ("from=2026-02-31", "to=abc"):
        page = client.get(f"/oversight/audit?{bad}").get_data(as_text=True)
        assert 'id="audit-date-error"' in page and "The date must look like 2025-03-31." in page, bad
    assert 'id="audit-date-error"' not in client.get(f"/oversight/audit?from={tomorrow}").get_data(as_text=True)


def test_oversight_is_for_supervisors_and_admins(client: FlaskClient, session_factory, districts) -> None:
    make_user(session_factory, "pros", Role.PROSECUTOR, ["Peshawar"])
    login(client, "pros")
    assert client.get("/oversight/caseload").status_code == 403
    assert client.get("/oversight/audit").status_code == 403


def test_home_page_links_depend_on_role(client: FlaskClient, app, session_factory, districts) -> None:
    make_user(session_factory, "clerk", Role.DATA_ENTRY, ["Peshawar"])
    make_user(session_factory, "lib", Role.LIBRARIAN, ["Peshawar"])
    login(client, "clerk")
    clerk_home = client.get("/").get_data(as_text=True)
    assert 'name="q"' in clerk_home and "/intake/" in clerk_home and "/admin/users" not in clerk_home
    librarian = app.test_client()
    login(librarian, "lib")
    lib_home = librarian.get("/").get_data(as_text=True)
    assert 'name="q"' in lib_home and "/intake/" not in lib_home and "/caselaw" in lib_home
