"""The prosecution case file through the web app and the API, on SQLite and on PostgreSQL (migrated
with the real Alembic migrations): challan received -> scrutiny with objections -> returned ->
resubmitted -> accepted -> submitted to court -> two hearings -> judgment and outcome per accused; the
s.173 interim-report deadline due and then met; refused input saves nothing."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from config import Settings
from models import (
    AuditEvent,
    Case,
    CaseDeadline,
    CaseTransition,
    District,
    Outcome,
    Person,
    Scrutiny,
    ScrutinyObjection,
    Witness,
    make_session_factory,
)
from models.migrate import upgrade_database
from scheduling.timezone import court_today
from search_app import create_app
from tests.integration.web_support import PASSWORD, csrf_token, login, make_user

TODAY = court_today()
FIR_DATE = TODAY - timedelta(days=40)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def stack(request: pytest.FixtureRequest, settings: Settings, engine: Engine
          ) -> Iterator[tuple[Flask, sessionmaker[Session]]]:
    if request.param == "sqlite":
        app, factory = create_app(settings), make_session_factory(engine)
    else:
        pg: Engine = request.getfixturevalue("postgres_engine")
        upgrade_database(pg)
        app = create_app(settings.model_copy(update={"database_url": pg.url.render_as_string(hide_password=False)}))
        factory = make_session_factory(pg)
    with factory() as db:
        db.add_all([District(name="Peshawar"), District(name="Mardan")])
        db.commit()
    make_user(factory, "clerk", "data_entry", ["Peshawar"])  # type: ignore[arg-type]
    make_user(factory, "pros", "prosecutor", ["Peshawar"])  # type: ignore[arg-type]
    try:
        yield app, factory
    finally:
        app.extensions["cmms"].engine.dispose()


def _client(app: Flask, username: str) -> FlaskClient:
    client = app.test_client()
    assert login(client, username, PASSWORD).status_code == 302
    return client


def _post(client: FlaskClient, path: str, data: dict[str, object]):  # type: ignore[no-untyped-def]
    return client.post(path, data={**data, "csrf_token": csrf_token(client, "/")})


def _api(client: FlaskClient, path: str, body: dict[str, object]):  # type: ignore[no-untyped-def]
    return client.post(path, json=body, headers={"X-CSRFToken": csrf_token(client, "/")})


def _schedule(client: FlaskClient, case_id: int, data: dict[str, object]):  # type: ignore[no-untyped-def]
    """Schedule a hearing through the calendar's form; a date the calendar warns about (entered after
    it passed, a court holiday) is kept with a reason, as a clerk bringing the diary up to date would."""
    path = f"/cases/{case_id}/hearings/new"
    response = _post(client, path, data)
    if response.status_code != 409:
        return response
    seen = re.findall(r'name="seen" value="([^"]+)"', response.get_data(as_text=True))
    return client.post(path, data={**data, "seen": seen, "override_reason": "Entered from the court diary",
                                   "csrf_token": csrf_token(client, "/")})


def _register_case(client: FlaskClient, factory: sessionmaker[Session]) -> int:
    with factory() as db:
        district = db.scalar(select(District.id).where(District.name == "Peshawar"))
    response = _post(client, "/cases/new", {
        "fir_number": "245", "fir_year": str(FIR_DATE.year), "fir_date": FIR_DATE.isoformat(),
        "police_station": "Gulbahar", "district_id": str(district), "title": "State vs Akbar Khan",
        "sections": "302/34 PPC", "stage": "under_investigation",
        "party_name": ["Akbar Khan", "محمد اسلم"], "party_role": ["accused", "complainant"],
        "party_cnic": ["17301-1234567-1", ""], "party_father": ["Sher Khan", "گل خان"]})
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    return int(response.headers["Location"].rstrip("/").split("/")[-1])


def _stage(factory: sessionmaker[Session], case_id: int) -> str:
    with factory() as db:
        return str(db.get(Case, case_id).stage)  # type: ignore[union-attr]


def _deadline(factory: sessionmaker[Session], case_id: int, rule: str) -> CaseDeadline:
    with factory() as db:
        found = db.scalar(select(CaseDeadline).where(CaseDeadline.case_id == case_id, CaseDeadline.rule_id == rule))
        assert found is not None, rule
        return found


def _count(factory: sessionmaker[Session], model: type, **where: object) -> int:
    with factory() as db:
        stmt = select(func.count()).select_from(model)
        for name, value in where.items():
            stmt = stmt.where(getattr(model, name) == value)
        return db.scalar(stmt) or 0


def test_challan_to_judgment(stack: tuple[Flask, sessionmaker[Session]]) -> None:
    app, factory = stack
    pros, clerk = _client(app, "pros"), _client(app, "clerk")
    case_id = _register_case(pros, factory)
    day = FIR_DATE

    # the s.173 interim report is due 17 days after the FIR (moved off a closed court day) and overdue now
    interim = _deadline(factory, case_id, "crpc_173_interim_report")
    assert interim.met_on is None and FIR_DATE + timedelta(days=17) <= interim.due_on < TODAY
    listing = pros.get("/deadlines?scope=all").get_data(as_text=True)
    assert 'data-rule="crpc_173_interim_report"' in listing and "overdue" in listing

    # data entry does not edit cases (README role table): refused before any rule runs, nothing saved
    day += timedelta(days=20)
    assert _post(clerk, f"/cases/{case_id}/transition", {"target": "challan_received", "on": day.isoformat()}
                 ).status_code == 403
    assert _stage(factory, case_id) == "under_investigation"
    # challan received, recorded by the prosecutor, meets it
    assert _post(pros, f"/cases/{case_id}/transition", {"target": "challan_received", "on": day.isoformat()}
                 ).status_code == 302
    interim = _deadline(factory, case_id, "crpc_173_interim_report")
    assert interim.met_on == day and interim.met_source == "stage"
    assert 'data-rule="crpc_173_interim_report"' not in pros.get("/deadlines?scope=all").get_data(as_text=True)

    # scrutiny: returned with objections
    day += timedelta(days=1)
    response = _post(pros, f"/cases/{case_id}/scrutiny", {
        "objections": ["fsl_awaited", "site_plan_missing"], "other_text": "Road certificate missing",
        "decision": "returned", "decided_on": day.isoformat(), "remarks": "Complete the file"})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    assert _stage(factory, case_id) == "returned_with_objections"
    assert _count(factory, ScrutinyObjection, case_id=case_id) == 3

    # resubmitted; accepting with open objections is refused and saves nothing
    day += timedelta(days=2)
    assert _post(pros, f"/cases/{case_id}/transition", {"target": "challan_received", "on": day.isoformat()}
                 ).status_code == 302
    refused = _post(pros, f"/cases/{case_id}/scrutiny", {"decision": "accepted", "decided_on": day.isoformat()})
    assert refused.status_code == 400 and "objections are open" in refused.get_data(as_text=True)
    assert _stage(factory, case_id) == "challan_received" and _count(factory, Scrutiny, case_id=case_id) == 1
    with factory() as db:
        objection_ids = list(db.scalars(select(ScrutinyObjection.id).where(ScrutinyObjection.case_id == case_id)))
    for objection_id in objection_ids:
        assert _post(pros, f"/cases/{case_id}/objections/{objection_id}/resolve",
                     {"resolved_on": day.isoformat()}).status_code == 302
    assert _post(pros, f"/cases/{case_id}/scrutiny", {"decision": "accepted", "decided_on": day.isoformat()}
                 ).status_code == 302
    assert _stage(factory, case_id) == "accepted"

    # a clerk may not touch the case file; a stage the lifecycle does not allow is refused
    denied = _post(clerk, f"/cases/{case_id}/transition", {"target": "submitted_to_court", "on": day.isoformat()})
    assert denied.status_code == 403 and clerk.get(f"/cases/{case_id}/timeline").status_code == 403
    skipped = _post(pros, f"/cases/{case_id}/transition", {"target": "judgment", "on": day.isoformat()})
    assert skipped.status_code == 400 and "cannot move to" in skipped.get_data(as_text=True)

    day += timedelta(days=1)
    assert _post(pros, f"/cases/{case_id}/transition", {"target": "submitted_to_court", "on": day.isoformat()}
                 ).status_code == 302
    for offset, purpose in ((2, "charge"), (6, "prosecution_evidence")):
        hearing_day = day + timedelta(days=offset)
        assert _schedule(pros, case_id, {"scheduled_for": hearing_day.isoformat(), "court": "Sessions Judge Peshawar",
                                         "purpose": purpose}).status_code == 302
    # s.265-C copies: due 7 clear days before the first hearing after submission
    copies = _deadline(factory, case_id, "crpc_265c_copies")
    assert copies.due_on <= day + timedelta(days=2) - timedelta(days=8)
    for target, step in (("charge_framed", 2), ("prosecution_evidence", 4), ("arguments", 1), ("judgment", 1)):
        day += timedelta(days=step)
        assert _post(pros, f"/cases/{case_id}/transition", {"target": target, "on": day.isoformat()}
                     ).status_code == 302, target

    # outcome per accused: a judgment dated before the FIR is refused, nothing saved
    with factory() as db:
        accused = db.scalar(select(Person.id).where(Person.cnic == "17301-1234567-1"))
    before_fir = _post(pros, f"/cases/{case_id}/outcomes", {
        "accused_id": str(accused), "result": "acquittal", "judgment_on": (FIR_DATE - timedelta(days=1)).isoformat(),
        "court": "Sessions Judge Peshawar"})
    assert before_fir.status_code == 400 and "before the FIR" in before_fir.get_data(as_text=True)
    assert _count(factory, Outcome, case_id=case_id) == 0
    assert _post(pros, f"/cases/{case_id}/outcomes", {
        "accused_id": str(accused), "result": "acquittal", "judgment_on": day.isoformat(),
        "court": "Sessions Judge Peshawar"}).status_code == 302
    appeal = _deadline(factory, case_id, "limitation_157_state_appeal")
    assert appeal.subject_id == accused and appeal.due_on >= day + timedelta(days=180)

    # the timeline merges transitions, hearings, the scrutinies and deadlines in date order
    page = pros.get(f"/cases/{case_id}/timeline").get_data(as_text=True)
    rows = re.findall(r'<tr class="timeline-(\w+)"><td>([^<]+)</td>', page)
    kinds = {k for k, _ in rows}
    assert {"transition", "hearing", "scrutiny", "deadline", "outcome"} <= kinds
    dates = [date.fromisoformat(_iso(d)) for _, d in rows]
    assert dates == sorted(dates)

    # the API shows the same file; its refusals are JSON with a code
    body = pros.get(f"/api/v1/cases/{case_id}/file").get_json()
    assert body["stage"] == "judgment" and body["accused"][0]["other_cases"] == 0
    assert {d["rule_id"] for d in body["deadlines"]} >= {"crpc_173_interim_report", "limitation_157_state_appeal"}
    bad = _api(pros, f"/api/v1/cases/{case_id}/transitions", {"target": "fir_registered", "on": day.isoformat()})
    assert bad.status_code == 400 and bad.get_json()["error"]["code"] == "not_allowed"
    with factory() as db:
        moves = db.scalar(select(func.count()).select_from(CaseTransition).where(CaseTransition.case_id == case_id))
        assert moves == 12  # the initial stage + 11 moves (scrutinies move the case too)
        audited = db.execute(select(AuditEvent.success, func.count()).where(AuditEvent.action == "transition")
                             .group_by(AuditEvent.success)).all()
        # the moves made on the stage form (one refused by the lifecycle; the clerk's attempts were refused
        # by the permission table, audited as "forbidden"); the scrutiny moves are audited as "scrutiny"
        assert dict(audited) == {True: 7, False: 1}
        forbidden = db.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "forbidden", AuditEvent.object_id == "casefile.transition"))
        assert forbidden == 2


def _iso(text: str) -> str:
    from datetime import datetime

    return datetime.strptime(text.strip(), "%d %b %Y").date().isoformat()


def test_persons_witnesses_and_refused_cnics(stack: tuple[Flask, sessionmaker[Session]]) -> None:
    app, factory = stack
    pros = _client(app, "pros")
    first = _register_case(pros, factory)
    witness_url = f"/cases/{first}/witnesses"
    ok = _post(pros, witness_url, {"name": "Mohammad Aasif", "father_name": "Gul Khaan", "cnic": "۱۷۳۰۱۷۶۵۴۳۲۱۱",
                                   "kind": "eye_witness", "process": "summons"})
    assert ok.status_code == 302
    # bad CNIC, and the accused's CNIC under another name: refused, nothing saved
    bad = _post(pros, witness_url, {"name": "Zahid", "cnic": "1730-12", "kind": "eye_witness", "process": "none"})
    assert bad.status_code == 400 and "13 digits" in bad.get_data(as_text=True)
    taken = _post(pros, witness_url, {"name": "Zahid Ullah", "cnic": "17301-1234567-1", "kind": "eye_witness",
                                      "process": "none"})
    assert taken.status_code == 400 and "already recorded for someone other than" in taken.get_data(as_text=True)
    assert "Akbar Khan" not in taken.get_data(as_text=True)  # the holder is not named
    assert _count(factory, Witness, case_id=first) == 1 and _count(factory, Person) == 3

    # the same accused (same CNIC) on a second case is one person; the case page flags it
    with factory() as db:
        district = db.scalar(select(District.id).where(District.name == "Peshawar"))
    second = _post(pros, "/cases/new", {
        "fir_number": "300", "fir_year": str(FIR_DATE.year), "police_station": "Gulbahar", "district_id": str(district),
        "party_name": ["AKBAR KHAAN"], "party_role": ["accused"], "party_cnic": ["1730112345671"],
        "party_father": ["Sher Khan"]})
    assert second.status_code == 302
    page = pros.get(f"/cases/{first}").get_data(as_text=True)
    assert "This accused appears in 1 other cases" in page
    # a witness spelled differently in another case is suggested as the same person
    second_id = int(second.headers["Location"].rstrip("/").split("/")[-1])
    assert _post(pros, f"/cases/{second_id}/witnesses", {"name": "محمد آصف", "father_name": "گل خان",
                                                          "kind": "recovery_witness", "process": "none"}
                 ).status_code == 302
    with factory() as db:
        urdu = db.scalar(select(Person).where(Person.name == "محمد آصف"))
        assert urdu is not None
    person_page = pros.get(f"/persons/{urdu.id}").get_data(as_text=True)
    assert "Mohammad Aasif" in person_page and "May be the same person" in person_page
    found = pros.get("/api/v1/persons", query_string={"name": "Muhammad Asif", "father_name": "Gul Khan"}).get_json()
    assert {p["name"] for p in found["items"]} == {"Mohammad Aasif", "محمد آصف"}


def test_confirming_a_match_merges_the_persons(stack: tuple[Flask, sessionmaker[Session]]) -> None:
    from models import PersonMatchSuggestion

    app, factory = stack
    pros = _client(app, "pros")
    case_id = _register_case(pros, factory)
    # the same witness entered twice, once in Roman and once in Urdu script
    for name, father, kind in (("Mohammad Aasif", "Gul Khaan", "eye_witness"), ("محمد آصف", "گل خان", "eye_witness")):
        assert _post(pros, f"/cases/{case_id}/witnesses", {"name": name, "father_name": father, "kind": kind,
                                                           "process": "none"}).status_code == 302
    with factory() as db:
        suggestion = db.scalar(select(PersonMatchSuggestion))
        assert suggestion is not None and suggestion.status == "pending"
        older, newer = sorted((suggestion.person_id, suggestion.candidate_id))
    assert _post(pros, f"/persons/suggestions/{suggestion.id}/confirm", {}).status_code == 302
    with factory() as db:
        merged = db.get(Person, newer)
        assert merged is not None and merged.merged_into_id == older
        assert list(db.scalars(select(Witness.person_id).where(Witness.case_id == case_id))) == [older]
        assert db.scalar(select(PersonMatchSuggestion.status)) == "confirmed"
