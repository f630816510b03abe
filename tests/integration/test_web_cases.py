"""Case records: create and edit with parties and normalised sections, district scoping (list, direct
URL answers 404 and is audited), role checks, link suggestions."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from jobs.queues import Stage, fetch_job, job_id
from models import Case, CaseLinkSuggestion, Document, PoliceStation, Role, SuggestionStatus
from tests.integration import web_support
from tests.integration.web_support import audit_rows, login, make_case, make_document, make_user, post

# Fixtures shared by the web tests (bound here so pytest finds them in this module).
app, client, districts = web_support.app, web_support.client, web_support.districts


def _case_form(district_id: int, **overrides: object) -> dict[str, object]:
    form: dict[str, object] = {
        "fir_number": "245", "fir_year": "2023", "police_station": "Gulbahar",
        "district_id": str(district_id),
        "title": "State vs Akbar Khan", "sections": "302/34 PPC, PPC 324", "stage": "charge_framed",
        "court": "Sessions Judge Peshawar", "court_case_number": "SC-12/2023",
        "party_name": ["Akbar Khan", "محمد اسلم", ""], "party_role": ["accused", "complainant", "other"],
        "party_cnic": ["17301-1234567-1", "", ""],
    }
    form.update(overrides)
    return form


def test_create_case_with_parties_and_normalised_sections(client: FlaskClient, session_factory,
                                                         districts) -> None:
    make_user(session_factory, "pros", Role.PROSECUTOR, ["Peshawar"])
    login(client, "pros")
    response = post(client, "/cases/new", _case_form(districts["Peshawar"]))
    assert response.status_code == 302, response.get_data(as_text=True)
    with session_factory() as db:
        case = db.scalar(select(Case))
        assert case is not None
        assert case.sections == ["PPC 302", "PPC 34", "PPC 324"]
        assert [(p.name, p.role, p.cnic) for p in case.parties] == [
            ("Akbar Khan", "accused", "17301-1234567-1"), ("محمد اسلم", "complainant", "")]
        station = db.get(PoliceStation, case.police_station_id)
        assert station is not None and station.name == "Gulbahar"
        assert station.district_id == districts["Peshawar"]
        case_id = case.id
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert "محمد اسلم" in page and "PPC 302, PPC 34, PPC 324" in page
    assert [e.object_id for e in audit_rows(session_factory, "create")] == [str(case_id)]
    assert audit_rows(session_factory, "view")[-1].object_id == str(case_id)


def test_edit_case_records_changed_fields(client: FlaskClient, session_factory, districts) -> None:
    make_user(session_factory, "pros", Role.PROSECUTOR, ["Peshawar"])
    case_id = make_case(session_factory, districts["Peshawar"], fir_number="77", station="Hayatabad")
    login(client, "pros")
    form = _case_form(districts["Peshawar"], fir_number="77", fir_year="2024", police_station="hayatabad",
                      stage="appeal_or_revision", party_name=["Gul Zaman"], party_role=["witness"], party_cnic=[""])
    assert post(client, f"/cases/{case_id}/edit", form).status_code == 302
    with session_factory() as db:
        case = db.get(Case, case_id)
        # the stage changes only through recorded transitions (casework), never through the edit form
        assert case is not None and case.stage == "fir_registered" and [p.name for p in case.parties] == ["Gul Zaman"]
        # The existing station is reused whatever the letter case, not duplicated.
        assert len(list(db.scalars(select(PoliceStation)))) == 1
    edit = audit_rows(session_factory, "edit")[-1]
    assert edit.object_id == str(case_id) and {"parties", "sections"} <= set(edit.detail["fields"])
    assert "stage" not in edit.detail["fields"]


def test_invalid_case_form_is_refused_with_messages(client: FlaskClient, session_factory, districts) -> None:
    make_user(session_factory, "pros", Role.PROSECUTOR, ["Peshawar"])
    login(client, "pros")
    form = _case_form(districts["Mardan"], fir_number="abc", party_cnic=["123", "", ""])
    response = post(client, "/cases/new", form)
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Choose one of your districts" in body and "FIR number" in body and "CNIC" in body
    assert "محمد اسلم" in body  # what the clerk typed is kept on the refused form
    with session_factory() as db:
        assert db.scalar(select(Case)) is None


def test_case_list_and_direct_urls_are_limited_to_the_users_districts(client: FlaskClient, session_factory,
                                                                      districts) -> None:
    make_user(session_factory, "pros", Role.PROSECUTOR, ["Peshawar"])
    mine = make_case(session_factory, districts["Peshawar"], fir_number="11")
    other = make_case(session_factory, districts["Mardan"], fir_number="22")
    login(client, "pros")
    listing = client.get("/cases/").get_data(as_text=True)
    assert f"/cases/{mine}" in listing and f"/cases/{other}" not in listing
    # Asking for another district's district id in the filter does not widen the scope.
    widened = client.get(f"/cases/?district={districts['Mardan']}").get_data(as_text=True)
    assert f"/cases/{other}" not in widened
    for url in (f"/cases/{other}", f"/cases/{other}/edit", f"/cases/{other}/hearings/new"):
        assert client.get(url).status_code == 404, url
    assert client.get("/cases/999999").status_code == 404  # same answer as a missing case
    denied = [e for e in audit_rows(session_factory, "view") if not e.success]
    assert [(e.object_id, e.detail["reason"]) for e in denied] == [(str(other), "out_of_scope"),
                                                                 ("999999", "not_found")]
    assert {e.object_id for e in audit_rows(session_factory, "edit") if not e.success} == {str(other)}


def test_all_district_user_sees_everything(client: FlaskClient, session_factory, districts) -> None:
    make_user(session_factory, "chief", Role.SUPERVISOR, [], all_districts=True)
    ids = [make_case(session_factory, districts[name], fir_number=str(n)) for n, name in
           enumerate(["Peshawar", "Mardan", "Swat"], start=1)]
    login(client, "chief")
    listing = client.get("/cases/").get_data(as_text=True)
    assert all(f"/cases/{i}" in listing for i in ids)


def test_case_filters(client: FlaskClient, session_factory, districts) -> None:
    make_user(session_factory, "pros", Role.PROSECUTOR, ["Peshawar", "Mardan"])
    a = make_case(session_factory, districts["Peshawar"], fir_number="1", fir_year=2023, station="Gulbahar")
    b = make_case(session_factory, districts["Mardan"], fir_number="2", fir_year=2024,
                  station="Sheikh Maltoon")
    login(client, "pros")

    def listed(query: str) -> set[int]:
        page = client.get(f"/cases/?{query}").get_data(as_text=True)
        return {i for i in (a, b) if f"/cases/{i}\"" in page}

    assert listed("") == {a, b}
    assert listed("fir_year=2024") == {b}
    assert listed("police_station=gulb") == {a}
    assert listed(f"district={districts['Mardan']}") == {b}
    assert listed("section=302 PPC") == {a, b}
    assert listed("section=324 PPC") == set()


def test_librarian_cannot_create_cases(client: FlaskClient, session_factory, districts) -> None:
    make_user(session_factory, "lib", Role.LIBRARIAN, ["Peshawar"])
    login(client, "lib")
    assert client.get("/cases/new").status_code == 403
    assert post(client, "/cases/new", _case_form(districts["Peshawar"])).status_code == 403
    assert audit_rows(session_factory, "forbidden")[-1].success is False


@pytest.mark.redis
def test_confirming_a_suggestion_links_the_document(client: FlaskClient, session_factory, districts,
                                                    redis_conn) -> None:
    make_user(session_factory, "pros", Role.PROSECUTOR, ["Peshawar"])
    case_id = make_case(session_factory, districts["Peshawar"])
    other_case = make_case(session_factory, districts["Peshawar"], fir_number="202")
    doc_id = make_document(session_factory, districts["Peshawar"], name="ایف آئی آر.pdf")
    with session_factory() as db:
        chosen = CaseLinkSuggestion(document_id=doc_id, case_id=case_id, reason="FIR 101/2024 on page 1",
                                    score=0.9)
        rival = CaseLinkSuggestion(document_id=doc_id, case_id=other_case, reason="same accused", score=0.4)
        db.add_all([chosen, rival])
        db.commit()
        chosen_id, rival_id = chosen.id, rival.id
    login(client, "pros")
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert "FIR 101/2024 on page 1" in page and "ایف آئی آر.pdf" in page
    response = post(client, f"/cases/{case_id}/suggestions/{chosen_id}/confirm")
    assert response.status_code == 302
    with session_factory() as db:
        doc = db.get(Document, doc_id)
        assert doc is not None and doc.case_id == case_id
        statuses = {s.id: s.status for s in db.scalars(select(CaseLinkSuggestion))}
        assert statuses == {chosen_id: SuggestionStatus.CONFIRMED, rival_id: SuggestionStatus.REJECTED}
    event = audit_rows(session_factory, "edit")[-1]
    assert event.object_type == "case_link_suggestion" and event.detail["decision"] == "confirm"
    assert "ایف آئی آر.pdf" in client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert fetch_job(redis_conn, job_id(Stage.INDEX, doc_id)) is not None  # re-index requested


def test_suggestion_of_another_case_is_not_applied(client: FlaskClient, session_factory, districts) -> None:
    make_user(session_factory, "pros", Role.PROSECUTOR, ["Peshawar"])
    case_id = make_case(session_factory, districts["Peshawar"])
    other = make_case(session_factory, districts["Mardan"], fir_number="9")
    doc_id = make_document(session_factory, districts["Mardan"])
    with session_factory() as db:
        suggestion = CaseLinkSuggestion(document_id=doc_id, case_id=other, reason="x")
        db.add(suggestion)
        db.commit()
        sid = suggestion.id
    login(client, "pros")
    post(client, f"/cases/{case_id}/suggestions/{sid}/confirm")
    assert post(client, f"/cases/{other}/suggestions/{sid}/confirm").status_code == 404
    with session_factory() as db:
        doc = db.get(Document, doc_id)
        assert doc is not None and doc.case_id is None
