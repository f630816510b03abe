"""Where the case file and the calendar are one product, through the Flask test client on SQLite and
PostgreSQL: witnesses summoned for hearings are entries of the case's witness register (picked from
it, or entered in it when typed new), the register lists the hearings each witness was summoned for,
the witness-clash warning knows a person across two cases' registers, and one court-holiday table
and one page both move statutory deadlines and warn hearings."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from casework import service
from config import Settings
from models import Case, CaseDeadline, CourtHoliday, Hearing, HearingWitness, Person, Witness, make_session_factory
from models.migrate import upgrade_database
from scheduling.timezone import local_today
from search_app import create_app
from tests.integration.calendar.world import CalendarWorld, build, court_day
from tests.integration.web_world import client_for, csrf_from

TODAY = local_today(datetime.now(UTC))
DAY = court_day(TODAY + timedelta(days=7))


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def factory(request: pytest.FixtureRequest, session_factory: sessionmaker[Session]) -> Iterator[sessionmaker[Session]]:
    if request.param == "sqlite":
        yield session_factory
        return
    engine: Engine = request.getfixturevalue("postgres_engine")
    upgrade_database(engine)
    yield make_session_factory(engine)


@pytest.fixture
def world(factory: sessionmaker[Session]) -> CalendarWorld:
    return build(factory)


@pytest.fixture
def app(settings: Settings, world: CalendarWorld, factory: sessionmaker[Session]) -> Iterator[Flask]:
    url = factory.kw["bind"].url.render_as_string(hide_password=False)
    application = create_app(settings.model_copy(update={"database_url": url}))
    yield application
    application.extensions["cmms"].engine.dispose()


def post(client: FlaskClient, path: str, data: dict[str, object]):  # type: ignore[no-untyped-def]
    token = csrf_from(client.get("/calendar").get_data(as_text=True))
    return client.post(path, data={**data, "csrf_token": token})


def register(factory: sessionmaker[Session], world: CalendarWorld, case: str, name: str, cnic: str = "",
             kind: str = "eye_witness") -> int:
    with factory() as db:
        case_row = db.get(Case, world.cases[case])
        assert case_row is not None
        entry = service.enter_witness(db, case_row, service.find_or_create_person(db, name, "", cnic), kind)
        db.commit()
        return entry.id


def summons(factory: sessionmaker[Session], hearing_id: int) -> list[tuple[str, int | None, str]]:
    with factory() as db:
        rows = db.scalars(select(HearingWitness).where(HearingWitness.hearing_id == hearing_id)
                          .order_by(HearingWitness.id))
        return [(w.name, w.witness_id, w.cnic) for w in rows]


def hearing_id_of(response) -> int:  # type: ignore[no-untyped-def]
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    return int(response.headers["Location"].rstrip("/").split("/")[-1])


def test_the_hearing_form_picks_from_the_register_and_enters_new_witnesses(
        app: Flask, world: CalendarWorld, factory: sessionmaker[Session]) -> None:
    gul = register(factory, world, "p1", "Gul Zaman", "17301-1111111-1")
    register(factory, world, "p1", "Dr. Shah Wali", kind="doctor")
    amina = client_for(app, "amina")
    form = amina.get(f"/cases/{world.cases['p1']}/hearings/new").get_data(as_text=True)
    assert f'name="summon" value="{gul}"' in form and "Shah Wali" in form

    hearing = hearing_id_of(post(amina, f"/cases/{world.cases['p1']}/hearings/new", {
        "scheduled_for": DAY.isoformat(), "court_id": world.courts["asj2"], "purpose": "prosecution_evidence",
        "summon": [gul], "witness_name": ["Noor Zaman", ""], "witness_cnic": ["17301-2222222-2", ""],
        "witness_kind": ["recovery_witness", "other"]}))
    with factory() as db:
        noor = db.scalar(select(Witness).join(Person).where(Witness.case_id == world.cases["p1"],
                                                             Person.cnic == "17301-2222222-2"))
        assert noor is not None and noor.kind == "recovery_witness" and noor.process == "none"
    assert summons(factory, hearing) == [("Gul Zaman", gul, "17301-1111111-1"),
                                         ("Noor Zaman", noor.id, "17301-2222222-2")]

    # typing a registered witness's CNIC again links to the entry instead of registering a twin
    edited = post(amina, f"/hearings/{hearing}/edit", {
        "scheduled_for": DAY.isoformat(), "court_id": world.courts["asj2"], "purpose": "prosecution_evidence",
        "witness_name": ["Gul Zamaan"], "witness_cnic": ["17301 1111111 1"]})
    assert hearing_id_of(edited) == hearing
    assert summons(factory, hearing) == [("Gul Zaman", gul, "17301-1111111-1")]  # Noor no longer summoned
    with factory() as db:
        assert len(list(db.scalars(select(Witness).where(Witness.case_id == world.cases["p1"])))) == 3

    # the register lists the hearings each witness was summoned for, with attendance once recorded
    page = amina.get(f"/cases/{world.cases['p1']}/witnesses").get_data(as_text=True)
    row = page[page.index(f'id="witness-{gul}"'):]
    row = row[:row.index("</tr>")]
    assert f'/hearings/{hearing}"' in row and DAY.strftime("%d %b %Y") in row and "Prosecution evidence" in row
    noor_row = page[page.index(f'id="witness-{noor.id}"'):]
    assert "not summoned yet" in noor_row[:noor_row.index("</tr>")]

    listed = {i["id"]: i for i in amina.get(f"/api/v1/cases/{world.cases['p1']}/witnesses").get_json()["items"]}
    assert [(x["hearing_id"], x["date"]) for x in listed[gul]["summoned"]] == [(hearing, DAY.isoformat())]
    assert listed[noor.id]["summoned"] == []

    # the hearing page and the API show the register entry
    assert "eye witness" in amina.get(f"/hearings/{hearing}").get_data(as_text=True)
    [witness] = amina.get(f"/api/v1/hearings/{hearing}").get_json()["witnesses"]
    assert witness["witness_id"] == gul and witness["kind"] == "eye_witness" and witness["person_id"]


def test_refusals_save_nothing(app: Flask, world: CalendarWorld, factory: sessionmaker[Session]) -> None:
    bilal_witness = register(factory, world, "m1", "Zarghun Shah", "16101-3333333-3")
    register(factory, world, "p2", "Sher Dil", "17301-4444444-4")
    amina = client_for(app, "amina")
    base = {"scheduled_for": DAY.isoformat(), "court_id": world.courts["asj2"], "purpose": "charge"}
    foreign = post(amina, f"/cases/{world.cases['p1']}/hearings/new", {**base, "summon": [bilal_witness]})
    assert foreign.status_code == 400 and "not in this case&#39;s witness register" in foreign.get_data(as_text=True)
    taken = post(amina, f"/cases/{world.cases['p1']}/hearings/new", {
        **base, "witness_name": ["Akbar Khan"], "witness_cnic": ["17301-4444444-4"]})
    text = taken.get_data(as_text=True)
    assert taken.status_code == 400 and "already recorded for someone other than" in text
    assert "Sher Dil" not in text and 'id="witness-error"' in text
    token = csrf_from(amina.get("/calendar").get_data(as_text=True))
    api = amina.post(f"/api/v1/cases/{world.cases['p1']}/hearings", json={
        **base, "witnesses": [{"witness_id": bilal_witness}]}, headers={"X-CSRFToken": token})
    assert api.status_code == 400 and "witnesses" in api.get_json()["error"]["fields"]
    with factory() as db:
        assert list(db.scalars(select(Hearing))) == []
        assert len(list(db.scalars(select(Witness)))) == 2


def test_a_witness_in_two_cases_registers_clashes_by_person(
        app: Flask, world: CalendarWorld, factory: sessionmaker[Session]) -> None:
    """Two register entries (two cases, two witness ids) of one person clash through the register's
    person, with no CNIC given; a namesake registered as another person does not."""
    in_p1 = register(factory, world, "p1", "Muhammad Riaz")
    namesake = register(factory, world, "p2", "Mohammad Riaz")  # no CNIC: a new person (a suggestion)
    with factory() as db:
        case = db.get(Case, world.cases["p2"])
        person = db.scalar(select(Person).join(Witness, Witness.person_id == Person.id).where(Witness.id == in_p1))
        assert case is not None and person is not None
        in_p2 = service.enter_witness(db, case, person).id  # the same person, in p2's register too
        db.commit()
    amina = client_for(app, "amina")
    first = {"scheduled_for": DAY.isoformat(), "session": "morning", "court_id": world.courts["asj2"],
             "purpose": "prosecution_evidence", "summon": [in_p1]}
    hearing_id_of(post(amina, f"/cases/{world.cases['p1']}/hearings/new", first))
    evening = {**first, "session": "evening", "court_id": world.courts["jm1"]}  # no prosecutor clash
    hearing_id_of(post(amina, f"/cases/{world.cases['p2']}/hearings/new", {**evening, "summon": [namesake]}))
    clash = post(amina, f"/cases/{world.cases['p2']}/hearings/new", {**evening, "summon": [in_p2],
                                                                      "scheduled_for": DAY.isoformat()})
    page = clash.get_data(as_text=True)
    assert clash.status_code == 409 and "Witness Muhammad Riaz is also summoned in FIR 101/2025" in page
    assert page.count("is also summoned") == 1


def test_merging_two_records_of_a_witness_keeps_their_summonses(
        app: Flask, world: CalendarWorld, factory: sessionmaker[Session]) -> None:
    first = register(factory, world, "p1", "Gul Zaman")
    second = register(factory, world, "p1", "Gul Zamaan")  # a spelling variant registered again
    amina = client_for(app, "amina")
    base = {"court_id": world.courts["asj2"], "purpose": "prosecution_evidence"}
    one = hearing_id_of(post(amina, f"/cases/{world.cases['p1']}/hearings/new",
                             {**base, "scheduled_for": DAY.isoformat(), "summon": [first]}))
    two = hearing_id_of(post(amina, f"/cases/{world.cases['p1']}/hearings/new",
                             {**base, "scheduled_for": court_day(DAY).isoformat(), "summon": [first, second]}))
    with factory() as db:
        from models import PersonMatchSuggestion

        a, b = (db.scalar(select(Witness.person_id).where(Witness.id == i)) for i in (first, second))
        assert a is not None and b is not None
        suggestion = PersonMatchSuggestion(person_id=b, candidate_id=a, score=0.9, reasons=["name"], status="pending")
        db.add(suggestion)
        db.flush()
        service.decide_match(db, suggestion, True, service.Actor(world.users["amina"], "prosecutor"))
        db.commit()
        [kept] = db.scalars(select(Witness).where(Witness.case_id == world.cases["p1"]))
    assert [w[1] for w in summons(factory, one)] == [kept.id]
    assert [w[1] for w in summons(factory, two)] == [kept.id]  # summoned once, not twice


def test_one_holiday_page_moves_deadlines_and_warns_hearings(
        app: Flask, world: CalendarWorld, factory: sessionmaker[Session]) -> None:
    """An FIR makes the s.173 interim report due 17 days later (on a court day); a local holiday
    entered for that district on that day moves the deadline to the next court day and warns a
    hearing fixed that day; the same holiday does not touch another district."""
    fir = court_day(TODAY + timedelta(days=30), weekday=0) - timedelta(days=17)  # due on a Monday
    due = fir + timedelta(days=17)
    with factory() as db:
        for key in ("p1", "m1"):
            case = db.get(Case, world.cases[key])
            assert case is not None
            case.fir_date, case.stage = fir, "under_investigation"  # type: ignore[assignment]
            service.record_initial_stage(db, case, service.Actor(None, "admin"), fir)
            service.sync_deadlines(db, case)
        db.commit()

    def due_on(key: str) -> date:
        with factory() as db:
            found = db.scalar(select(CaseDeadline.due_on).where(CaseDeadline.case_id == world.cases[key],
                                                                CaseDeadline.rule_id == "crpc_173_interim_report"))
            assert found is not None
            return found

    assert due_on("p1") == due_on("m1") == due
    chief = client_for(app, "chief")
    added = post(chief, "/calendar/holidays", {"day": due.isoformat(), "name": "Local holiday (Peshawar)",
                                               "district_id": world.districts["peshawar"], "source": "DC order 12"})
    assert added.status_code == 302
    assert due_on("p1") == due + timedelta(days=1) and due_on("m1") == due  # Tuesday in Peshawar only
    again = post(chief, "/calendar/holidays", {"day": due.isoformat(), "name": "Twice",
                                               "district_id": world.districts["peshawar"]})
    assert again.status_code == 400 and "already entered" in again.get_data(as_text=True)

    warned = post(client_for(app, "amina"), f"/cases/{world.cases['p1']}/hearings/new", {
        "scheduled_for": due.isoformat(), "court_id": world.courts["asj2"], "purpose": "bail"})
    assert warned.status_code == 409
    assert "is not a court day (Local holiday (Peshawar))" in warned.get_data(as_text=True)
    month = chief.get(f"/calendar?view=month&start={due.isoformat()}&district={world.districts['peshawar']}")
    assert "Local holiday (Peshawar)" in month.get_data(as_text=True)

    # the API lists it (a district user sees the province's and their districts' holidays); removing it
    # on the page moves the deadline back
    listed = chief.get(f"/api/v1/holidays?year={due.year}").get_json()["items"]
    assert [(h["day"], h["district_id"], h["source"]) for h in listed] == [
        (due.isoformat(), world.districts["peshawar"], "DC order 12")]
    with factory() as db:
        holiday = db.scalar(select(CourtHoliday.id))
    assert post(chief, f"/calendar/holidays/{holiday}/delete", {}).status_code == 302
    assert due_on("p1") == due

    # the API enters holidays under the same rules: a district user cannot declare one for the province
    token = csrf_from(chief.get("/calendar").get_data(as_text=True))
    province = chief.post("/api/v1/holidays", json={"day": due.isoformat(), "name": "Eid"},
                          headers={"X-CSRFToken": token})
    assert province.status_code == 400 and province.get_json()["error"]["field"] == "district_id"
    admin = client_for(app, "admin")
    token = csrf_from(admin.get("/calendar").get_data(as_text=True))
    eid = admin.post("/api/v1/holidays", json={"day": due.isoformat(), "name": "Eid ul Fitr",
                                               "source": "Cabinet Division"}, headers={"X-CSRFToken": token})
    assert eid.status_code == 201 and eid.get_json()["district_id"] is None
    assert due_on("p1") == due_on("m1") == due + timedelta(days=1)
    amina = client_for(app, "amina")
    token = csrf_from(amina.get("/calendar").get_data(as_text=True))
    assert amina.post("/api/v1/holidays", json={"day": "2027-01-01", "name": "x"},
                      headers={"X-CSRFToken": token}).status_code == 403  # prosecutors do not keep holidays
