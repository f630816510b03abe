"""Peer review through the Flask test client on real SQLite: a supervisor assigns (never to the case's
own prosecutor, never across districts), the reviewer works the checklist and records findings with
pages, the case's prosecutor answers, the supervisor signs off; notifications, history, the case page
and timeline; who may do what; the rotation; and the dashboards, drill-downs and exports within scope."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from config import Settings
from models import AuditEvent, Case, CaseReview, District, Notification, Page, ReviewEvent, Role, User
from search_app import create_app
from tests.integration.calendar.world import CalendarWorld, build
from tests.integration.web_support import make_document
from tests.integration.web_world import _password_hash, client_for, csrf_from


@pytest.fixture
def world(session_factory: sessionmaker[Session]) -> CalendarWorld:
    world = build(session_factory)
    with session_factory() as db:
        peshawar = db.get(District, world.districts["peshawar"])
        dawood = User(username="dawood", full_name="Dawood Shah", role=Role.PROSECUTOR, districts=[peshawar],
                      password_hash=_password_hash())
        erum = User(username="erum", full_name="Erum Gul", role=Role.PROSECUTOR, districts=[peshawar],
                    password_hash=_password_hash())
        db.add_all([dawood, erum])
        db.commit()
        world.users.update(dawood=dawood.id, erum=erum.id)
    doc = make_document(session_factory, world.districts["peshawar"], "Challan.pdf", case_id=world.cases["p1"])
    other = make_document(session_factory, world.districts["peshawar"], "Other.pdf", case_id=world.cases["p2"])
    with session_factory() as db:
        db.add_all([Page(document_id=doc, page_no=n) for n in (1, 2, 3)] + [Page(document_id=other, page_no=1)])
        db.commit()
    world.courts.update(doc=doc, other_doc=other)
    return world


@pytest.fixture
def app(settings: Settings, world: CalendarWorld) -> Iterator[Flask]:
    application = create_app(settings)
    yield application
    application.extensions["cmms"].engine.dispose()


def post(client: FlaskClient, path: str, data: dict[str, object] | None = None):  # type: ignore[no-untyped-def]
    token = csrf_from(client.get("/reviews").get_data(as_text=True) if client.get("/reviews").status_code == 200
                      else client.get("/").get_data(as_text=True))
    return client.post(path, data={**(data or {}), "csrf_token": token})


def review_of(factory: sessionmaker[Session], case_id: int) -> CaseReview:
    with factory() as db:
        found = db.scalar(select(CaseReview).where(CaseReview.case_id == case_id).order_by(CaseReview.id.desc()))
        assert found is not None
        found.findings  # noqa: B018 (load before the session closes)
        found.checks  # noqa: B018
        return found


def kinds(factory: sessionmaker[Session], user_id: int) -> list[str]:
    with factory() as db:
        return list(db.scalars(select(Notification.kind).where(Notification.user_id == user_id)))


CHECKLIST = ["scrutiny_on_time", "copies_supplied", "charge_matches_evidence", "witnesses_summoned",
             "witnesses_produced", "exhibits_in_place", "fsl_reports", "next_dates_recorded", "adjournments_justified",
             "deadlines_met"]


def test_the_review_journey(app: Flask, world: CalendarWorld, session_factory: sessionmaker[Session]) -> None:
    chief, dawood, amina = client_for(app, "chief"), client_for(app, "dawood"), client_for(app, "amina")
    case_id = world.cases["p1"]
    assert chief.get(f"/cases/{case_id}/reviews/new").status_code == 200
    # never the case's own prosecutor, never a prosecutor of another district
    own = post(chief, f"/cases/{case_id}/reviews", {"how": "reviewer", "reviewer_id": world.users["amina"]})
    assert own.status_code == 400 and "cannot review their own case" in own.get_data(as_text=True)
    other = post(chief, f"/cases/{case_id}/reviews", {"how": "reviewer", "reviewer_id": world.users["bilal"]})
    assert other.status_code == 400 and "district" in other.get_data(as_text=True)
    with session_factory() as db:
        assert db.scalar(select(CaseReview.id)) is None
        refused = db.scalars(select(AuditEvent).where(AuditEvent.action == "review_assign")).all()
        assert [e.success for e in refused] == [False, False]
    done = post(chief, f"/cases/{case_id}/reviews", {"how": "reviewer", "reviewer_id": world.users["dawood"],
                                                     "note": "Look at the witnesses"})
    assert done.status_code == 302
    review = review_of(session_factory, case_id)
    assert review.status == "assigned" and review.checklist == "trial" and review.prosecutor_id == world.users["amina"]
    assert "review_assigned" in kinds(session_factory, world.users["dawood"])
    # a second review of the same case waits for this one
    again = post(chief, f"/cases/{case_id}/reviews", {"how": "reviewer", "reviewer_id": world.users["erum"]})
    assert again.status_code == 400 and "already has a review" in again.get_data(as_text=True)

    page = dawood.get(f"/reviews/{review.id}").get_data(as_text=True)
    assert 'id="checklist-form"' in page and "Look at the witnesses" in page
    # only the reviewer works on it (the case's prosecutor holds the permission, not the review)
    assert post(amina, f"/reviews/{review.id}/checks", {"answer-deadlines_met": "yes"}).status_code == 400
    bad_pages = post(dawood, f"/reviews/{review.id}/findings", {"item": "witnesses_summoned", "severity": "major",
                                                                "text": "PW-3 never summoned",
                                                                "pages": f"{world.courts['other_doc']}:1"})
    assert bad_pages.status_code == 400 and "not a page of this case" in bad_pages.get_data(as_text=True)
    finding = post(dawood, f"/reviews/{review.id}/findings", {"item": "witnesses_summoned", "severity": "major",
                                                              "text": "PW-3 never summoned",
                                                              "pages": f"{world.courts['doc']}:2-3"})
    assert finding.status_code == 302
    early = post(dawood, f"/reviews/{review.id}/submit")
    assert early.status_code == 400 and "Answer every item" in early.get_data(as_text=True)
    answers = {f"answer-{code}": "yes" for code in CHECKLIST}
    answers.update({"answer-witnesses_summoned": "no", "answer-fsl_reports": "no"})
    assert post(dawood, f"/reviews/{review.id}/checks", answers).status_code == 302
    missing = post(dawood, f"/reviews/{review.id}/submit")
    assert missing.status_code == 400 and "finding for each item" in missing.get_data(as_text=True)
    post(dawood, f"/reviews/{review.id}/findings", {"item": "fsl_reports", "severity": "critical",
                                                    "text": "FSL report on the pistol not on the file"})
    assert post(dawood, f"/reviews/{review.id}/submit").status_code == 302
    review = review_of(session_factory, case_id)
    assert review.status == "awaiting_answers" and len(review.findings) == 2
    assert review.findings[0].pages == [[world.courts["doc"], 2], [world.courts["doc"], 3]]
    assert "review_findings" in kinds(session_factory, world.users["amina"])
    # the reviewer can no longer change it; only the case's prosecutor answers
    assert post(dawood, f"/reviews/{review.id}/findings", {"severity": "minor", "text": "late"}).status_code == 400
    first, second = review.findings
    assert post(dawood, f"/reviews/{review.id}/findings/{first.id}/answer",
                {"kind": "corrected", "answer": "x"}).status_code == 400
    assert post(amina, f"/reviews/{review.id}/findings/{first.id}/answer",
                {"kind": "corrected", "answer": ""}).status_code == 400
    assert post(amina, f"/reviews/{review.id}/findings/{first.id}/answer",
                {"kind": "corrected", "answer": "Summons issued for 12 Jan"}).status_code == 302
    assert review_of(session_factory, case_id).status == "awaiting_answers"
    assert post(amina, f"/reviews/{review.id}/findings/{second.id}/answer",
                {"kind": "disputed", "answer": "The report came on 3 Nov, page 7"}).status_code == 302
    assert review_of(session_factory, case_id).status == "awaiting_sign_off"
    assert "review_ready" in kinds(session_factory, world.users["chief"])
    # signing off is the supervisor's (a prosecutor's role lacks it)
    assert post(dawood, f"/reviews/{review.id}/sign-off").status_code == 403
    assert post(chief, f"/reviews/{review.id}/sign-off", {"note": "Follow up in a month"}).status_code == 302
    review = review_of(session_factory, case_id)
    assert review.status == "signed_off" and review.signed_off_by_id == world.users["chief"]
    with session_factory() as db:
        actions = list(db.scalars(select(ReviewEvent.action).where(ReviewEvent.review_id == review.id)
                                  .order_by(ReviewEvent.id)))
    assert actions == ["assigned", "finding_added", "checklist_saved", "finding_added", "submitted", "answered",
                       "answered", "signed_off"]
    timeline = amina.get(f"/cases/{case_id}/timeline").get_data(as_text=True)
    assert "Peer review signed off" in timeline and "Follow up in a month" in timeline
    case_page = chief.get(f"/cases/{case_id}").get_data(as_text=True)
    assert 'id="case-reviews"' in case_page and "Signed off" in case_page
    shown = dawood.get(f"/reviews/{review.id}").get_data(as_text=True)
    assert "Summons issued for 12 Jan" in shown and 'id="review-history"' in shown


def test_a_reviewer_cannot_review_their_own_case(app: Flask, world: CalendarWorld,
                                                 session_factory: sessionmaker[Session]) -> None:
    chief, dawood = client_for(app, "chief"), client_for(app, "dawood")
    case_id = world.cases["p2"]
    assert post(chief, f"/cases/{case_id}/reviews", {"reviewer_id": world.users["dawood"]}).status_code == 302
    review = review_of(session_factory, case_id)
    with session_factory() as db:  # the case is handed to the reviewer afterwards
        case = db.get(Case, case_id)
        assert case is not None
        case.assigned_prosecutor_id = world.users["dawood"]
        db.commit()
    refused = post(dawood, f"/reviews/{review.id}/checks", {"answer-deadlines_met": "yes"})
    assert refused.status_code == 400 and "now this case&#39;s prosecutor" in refused.get_data(as_text=True)
    # nor through the API
    api = dawood.post(f"/api/v1/reviews/{review.id}/findings", json={"severity": "minor", "text": "x"},
                      headers={"X-CSRFToken": csrf_from(dawood.get("/reviews").get_data(as_text=True))})
    assert api.status_code == 400 and api.get_json()["error"]["code"] == "own_case"
    with session_factory() as db:
        assert not db.scalars(select(ReviewEvent).where(ReviewEvent.review_id == review.id,
                                                        ReviewEvent.action != "assigned")).all()


def test_review_notifications_are_written_in_each_readers_language(
        app: Flask, world: CalendarWorld, session_factory: sessionmaker[Session]) -> None:
    """Dawood reads Urdu with eastern digits: the supervisor's English session does not decide his
    notification's language."""
    with session_factory() as db:
        dawood = db.get(User, world.users["dawood"])
        assert dawood is not None
        dawood.language, dawood.digits = "ur", "eastern"
        case = db.get(Case, world.cases["p1"])
        assert case is not None
        station, number = case.police_station.name, case.fir_number
        db.commit()
    chief = client_for(app, "chief")
    assert post(chief, f"/cases/{world.cases['p1']}/reviews",
                {"how": "reviewer", "reviewer_id": world.users["dawood"]}).status_code == 302
    with session_factory() as db:
        sent = db.scalars(select(Notification).where(Notification.user_id == world.users["dawood"])).one()
    eastern = str(number).translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    assert sent.subject.startswith("ہم منصب جائزہ: ایف آئی آر نمبر ") and f"تھانہ {station}" in sent.subject
    assert eastern in sent.subject and str(number) not in sent.subject
    assert "(سماعت چیک لسٹ)" in sent.body and "review" not in sent.body


def test_who_sees_a_review(app: Flask, world: CalendarWorld, session_factory: sessionmaker[Session]) -> None:
    chief = client_for(app, "chief")
    post(chief, f"/cases/{world.cases['p1']}/reviews", {"reviewer_id": world.users["dawood"]})
    review = review_of(session_factory, world.cases["p1"])
    assert client_for(app, "dawood").get(f"/reviews/{review.id}").status_code == 200
    assert client_for(app, "amina").get(f"/reviews/{review.id}").status_code == 200
    assert client_for(app, "admin").get(f"/reviews/{review.id}").status_code == 200
    assert client_for(app, "erum").get(f"/reviews/{review.id}").status_code == 404  # same district, not a party
    assert client_for(app, "bilal").get(f"/reviews/{review.id}").status_code == 404  # other district
    assert client_for(app, "clerk").get(f"/reviews/{review.id}").status_code == 403  # role
    assert client_for(app, "bilal").get("/reviews/999999").status_code == 404
    erum_list = client_for(app, "erum").get("/reviews").get_data(as_text=True)
    assert f"/reviews/{review.id}" not in erum_list
    # a sealed case is not given to another prosecutor
    with session_factory() as db:
        case = db.get(Case, world.cases["p2"])
        assert case is not None
        case.sealed, case.sealed_reason = True, "juvenile_accused"
        db.commit()
    sealed = post(chief, f"/cases/{world.cases['p2']}/reviews", {"reviewer_id": world.users["dawood"]})
    assert sealed.status_code == 400 and "sealed" in sealed.get_data(as_text=True)


def test_rotation_assigns_in_turn_skipping_the_cases_prosecutor(app: Flask, world: CalendarWorld,
                                                                 session_factory: sessionmaker[Session]) -> None:
    chief = client_for(app, "chief")
    members = [world.users["amina"], world.users["dawood"], world.users["erum"]]
    data: dict[str, object] = {"members": members, "cases_per_run": 5}
    data.update({f"order-{m}": i + 1 for i, m in enumerate(members)})
    token = csrf_from(chief.get("/reviews/rotation").get_data(as_text=True))
    saved = chief.post(f"/reviews/rotation?district={world.districts['peshawar']}", data={**data, "csrf_token": token})
    assert saved.status_code == 302
    ran = post(chief, f"/reviews/rotation/run?district={world.districts['peshawar']}")
    assert ran.status_code == 200
    with session_factory() as db:
        rows = db.execute(select(CaseReview.case_id, CaseReview.reviewer_id, CaseReview.assigned_via)
                          .order_by(CaseReview.id)).all()
    # p1 and p2 are amina's: the rotation starts at amina, skips her, gives p1 to dawood and p2 to erum
    assert [(c, r, v) for c, r, v in rows] == [(world.cases["p1"], world.users["dawood"], "rotation"),
                                               (world.cases["p2"], world.users["erum"], "rotation")]
    # a rotation of prosecutors of another district is refused
    token = csrf_from(chief.get("/reviews/rotation").get_data(as_text=True))
    foreign = chief.post(f"/reviews/rotation?district={world.districts['peshawar']}",
                         data={"members": [world.users["bilal"], world.users["amina"]], "cases_per_run": 3,
                               "csrf_token": token})
    assert foreign.status_code == 400
    assert client_for(app, "chief").get(f"/reviews/rotation?district={world.districts['mardan']}").status_code == 404


def test_dashboards_drill_downs_and_exports_keep_to_the_readers_districts(
        app: Flask, world: CalendarWorld, session_factory: sessionmaker[Session]) -> None:
    from openpyxl import load_workbook

    chief, admin = client_for(app, "chief"), client_for(app, "admin")
    for name in ("caseload", "hearings", "outcomes", "scrutiny", "quality"):
        page = chief.get(f"/monitoring/{name}")
        assert page.status_code == 200, name
        assert 'class="chart"' in page.get_data(as_text=True) or "Nothing to count" in page.get_data(as_text=True)
    caseload = chief.get("/monitoring/caseload").get_data(as_text=True)
    assert "Amina Bibi" in caseload and "Bilal Khan" not in caseload  # Mardan's prosecutor is not counted
    assert "Bilal Khan" in admin.get("/monitoring/caseload").get_data(as_text=True)
    wrong = chief.get(f"/monitoring/caseload?district={world.districts['mardan']}&from=2026-13")
    text = wrong.get_data(as_text=True)
    assert wrong.status_code == 200 and "not one of yours" in text and "YYYY-MM" in text
    # months beyond the calendar's reach are typing mistakes, reported like any other, on every route
    far = "from=0001-01&to=9999-12"
    for path in (f"/monitoring/caseload?{far}", "/monitoring/caseload?to=9999-12",
                 f"/monitoring/figures/caseload/cases?{far}", f"/monitoring/caseload.csv?{far}"):
        response = chief.get(path)
        assert response.status_code in (200, 400), path
        if path.startswith("/monitoring/caseload?"):
            assert "from 1947-01 to 2199-12" in response.get_data(as_text=True), path
    assert chief.get(f"/api/v1/monitoring/figures?{far}").status_code in (200, 400)
    assert chief.get("/monitoring/report.pdf?month=0001-01").status_code == 400
    empty = chief.get("/monitoring/quality?from=1990-01&to=1990-12").get_data(as_text=True)
    assert "nothing to score for the UN indicator" in empty and "— of 4" not in empty
    drill = chief.get(f"/monitoring/figures/caseload/cases?row={world.users['bilal']}&series=trial")
    assert drill.status_code == 200 and "FIR 303/2025" not in drill.get_data(as_text=True)
    mine = chief.get(f"/monitoring/figures/caseload/cases?row={world.users['amina']}&series=trial")
    assert "FIR 101/2025" in mine.get_data(as_text=True) and "FIR 202/2025" in mine.get_data(as_text=True)
    assert chief.get("/monitoring/figures/nope/cases").status_code == 404
    rows = list(csv.reader(io.StringIO(chief.get("/monitoring/caseload.csv").get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][0] == "Figure id" and any(r[0] == "caseload" and r[3] == "Amina Bibi" and r[6] == "2" for r in rows)
    book = load_workbook(io.BytesIO(chief.get("/monitoring/caseload.xlsx").data))
    assert "Caseload per prosecutor" in book.sheetnames
    drill_csv = chief.get(f"/monitoring/figures/caseload/cases.csv?row={world.users['amina']}&series=trial")
    drilled = list(csv.reader(io.StringIO(drill_csv.get_data(as_text=True).lstrip("\ufeff"))))
    assert drilled[0][3] == "Stage" and any("FIR 101/2025" in r[1] for r in drilled[1:])
    trial = {"Submitted to court", "Charge framed", "Prosecution evidence", "Defence", "Arguments"}
    assert drilled[1:] and {r[3] for r in drilled[1:]} <= trial, drilled  # stage names, not their codes
    pdf = chief.get(f"/monitoring/report.pdf?district={world.districts['peshawar']}&month=2026-01")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    assert chief.get(f"/monitoring/report.pdf?district={world.districts['mardan']}&month=2026-01").status_code == 400
    assert chief.get("/monitoring/report.pdf?month=2026-1x").status_code == 400
    for who in ("amina", "clerk"):
        assert client_for(app, who).get("/monitoring/caseload").status_code == 403
    with session_factory() as db:
        views = db.scalars(select(AuditEvent).where(AuditEvent.object_type == "monitoring_dashboard")).all()
        assert views and all(e.username in ("chief", "admin") for e in views)
        assert db.scalars(select(AuditEvent).where(AuditEvent.action == "export")).all()


def test_api_review_and_figures(app: Flask, world: CalendarWorld, session_factory: sessionmaker[Session]) -> None:
    chief, dawood = client_for(app, "chief"), client_for(app, "dawood")
    token = {"X-CSRFToken": csrf_from(chief.get("/reviews").get_data(as_text=True))}
    own = chief.post(f"/api/v1/cases/{world.cases['p1']}/reviews", json={"reviewer_id": world.users["amina"]},
                     headers=token)
    assert own.status_code == 400 and own.get_json()["error"]["code"] == "own_case"
    made = chief.post(f"/api/v1/cases/{world.cases['p1']}/reviews", json={"reviewer_id": world.users["dawood"]},
                      headers=token)
    assert made.status_code == 201
    review_id = made.get_json()["id"]
    listed = dawood.get("/api/v1/reviews").get_json()["items"]
    assert [i["id"] for i in listed] == [review_id]
    assert client_for(app, "bilal").get(f"/api/v1/reviews/{review_id}").status_code == 404
    figures = chief.get("/api/v1/monitoring/figures?dashboard=caseload").get_json()
    caseload = next(f for f in figures["figures"] if f["id"] == "caseload")
    assert caseload["total"] == 2  # Peshawar's two open cases only
    assert chief.get("/api/v1/monitoring/figures?dashboard=caseload&from=bad").status_code == 400
    assert chief.get("/api/v1/monitoring/figures?dashboard=nope").status_code == 400
    assert chief.get("/api/v1/review-checklists").get_json()["severities"][0]["code"] == "minor"


def _without_csrf(body: str) -> str:
    import re

    return re.sub(r'(name="csrf-token" content="|name="csrf_token"[^>]*value=")[^"]+', r"\1", body)


def test_a_sealed_case_leaves_its_reviewer(app: Flask, world: CalendarWorld,
                                           session_factory: sessionmaker[Session]) -> None:
    """Sealing a case under review hides the review from a reviewer who may not see the sealed case (page,
    list, API, timeline answer as for a missing review; the refusal audited in the case's district), while
    the case's prosecutor and the district's supervisor keep it."""
    chief = client_for(app, "chief")
    post(chief, f"/cases/{world.cases['p1']}/reviews", {"reviewer_id": world.users["dawood"]})
    review = review_of(session_factory, world.cases["p1"])
    dawood = client_for(app, "dawood")
    assert dawood.get(f"/reviews/{review.id}").status_code == 200
    with session_factory() as db:
        case = db.get(Case, world.cases["p1"])
        assert case is not None
        case.sealed, case.sealed_reason = True, "juvenile_accused"
        db.commit()
    sealed, missing = dawood.get(f"/reviews/{review.id}"), dawood.get("/reviews/999999")
    assert sealed.status_code == missing.status_code == 404
    assert _without_csrf(sealed.get_data(as_text=True)) == _without_csrf(missing.get_data(as_text=True))
    assert f"/reviews/{review.id}" not in dawood.get("/reviews?show=all").get_data(as_text=True)
    assert dawood.get("/api/v1/reviews?show=all").get_json()["items"] == []
    api_sealed, api_missing = dawood.get(f"/api/v1/reviews/{review.id}"), dawood.get("/api/v1/reviews/999999")
    assert api_sealed.status_code == 404 and api_sealed.get_json() == api_missing.get_json()
    token = csrf_from(dawood.get("/reviews").get_data(as_text=True))
    step = dawood.post(f"/reviews/{review.id}/checks", data={"csrf_token": token})
    assert step.status_code == 404
    for who in ("amina", "chief"):  # the assigned prosecutor and the district's supervisor still see it
        assert client_for(app, who).get(f"/reviews/{review.id}").status_code == 200
    with session_factory() as db:
        denied = db.scalars(select(AuditEvent).where(AuditEvent.username == "dawood", AuditEvent.success.is_(False),
                                                     AuditEvent.object_type == "review",
                                                     AuditEvent.object_id == str(review.id))).all()
        assert denied and {e.district_id for e in denied} == {world.districts["peshawar"]}
        assert {e.detail.get("reason") for e in denied} == {"out_of_scope"}


def test_monitoring_reads_are_audited_with_their_district(app: Flask, world: CalendarWorld,
                                                          session_factory: sessionmaker[Session]) -> None:
    chief = client_for(app, "chief")
    peshawar = world.districts["peshawar"]
    assert chief.get(f"/monitoring/caseload?district={peshawar}").status_code == 200
    drill = chief.get(f"/monitoring/figures/caseload/cases?district={peshawar}&row={world.users['amina']}")
    assert drill.status_code == 200
    assert chief.get(f"/monitoring/caseload.csv?district={peshawar}").status_code == 200
    assert chief.get(f"/api/v1/monitoring/figures/caseload/cases?district={peshawar}&page=99999999999999999999"
                     ).get_json()["error"]["code"] == "bad_request"
    with session_factory() as db:
        events = db.scalars(select(AuditEvent).where(AuditEvent.username == "chief",
                                                     AuditEvent.object_type.like("monitoring_%"))).all()
        assert {(e.action, e.object_type) for e in events} >= {
            ("view", "monitoring_dashboard"), ("view", "monitoring_drilldown"), ("export", "monitoring_dashboard")}
        assert {e.district_id for e in events} == {peshawar}
        drilled = next(e for e in events if e.object_type == "monitoring_drilldown")
        assert set(drilled.detail["returned"]) == {world.cases["p1"], world.cases["p2"]}
