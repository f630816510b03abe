"""A sealed case is invisible to a same-district prosecutor on every surface: the case list, every
route that takes the case's, its document's, its person's or its hearing's id (generated from the URL
map, pages and API alike), search results and facet counts (real Elasticsearch, before and after the
re-index that marks its pages ``sealed``), deadline lists, person pages and the API lists; and on the
calendar: the day/week/month/agenda views, cause lists (screen and PDF), diaries, the next-date list,
scheduling warnings, the iCalendar feed, reminders and the calendar API. Its assigned prosecutor, the
district's supervisor and administrators see it, and their access is audited."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from config import Settings
from models import AuditEvent, Case, District, Hearing, Party, Role, User
from scheduling.timezone import court_today
from search_app import create_app
from tests.integration.web_support import csrf_token, login, make_user
from tests.integration.web_world import add_document

pytestmark = [pytest.mark.elasticsearch]

FIR_DATE = court_today() - timedelta(days=30)
HEARING = court_today() + timedelta(days=3)
PAST_HEARING = court_today() - timedelta(days=3)


@dataclass
class SealedWorld:
    sealed: int
    open: int
    sealed_doc: int
    open_doc: int
    accused: int
    sealed_hearing: int = 0
    bob: int = 0
    alice: int = 0


def _world(factory: sessionmaker[Session], settings: Settings) -> SealedWorld:
    with factory() as db:
        peshawar = District(name="Peshawar")
        db.add(peshawar)
        db.commit()
    alice = make_user(factory, "alice", Role.PROSECUTOR, ["Peshawar"])
    bob = make_user(factory, "bob", Role.PROSECUTOR, ["Peshawar"])
    make_user(factory, "sara", Role.SUPERVISOR, ["Peshawar"])
    make_user(factory, "root", Role.ADMIN, [], all_districts=True)
    from casework import service
    from models import PoliceStation

    with factory() as db:
        district = db.scalar(select(District).where(District.name == "Peshawar"))
        assert district is not None
        station = PoliceStation(name="Hayatabad", district_id=district.id)
        db.add(station)
        db.flush()
        cases = []
        for number, title in (("71", "State vs Juvenile X"), ("72", "State vs Tariq")):
            case = Case(fir_number=number, fir_year=FIR_DATE.year, police_station_id=station.id,
                        district_id=district.id, title=title, sections=["PPC 376"], fir_date=FIR_DATE,
                        assigned_prosecutor_id=alice, court="Juvenile Court Peshawar" if number == "71" else "ASJ")
            db.add(case)
            db.flush()
            case.parties = [Party(name=f"Accused {number}", role="accused", cnic=f"1730{number[1]}-1234567-1")]
            service.link_parties(db, case)
            service.record_initial_stage(db, case, service.Actor(alice, "prosecutor"), FIR_DATE)
            service.sync_deadlines(db, case)
            # bob appears for alice at both hearings (a colleague standing in): the case's seal still
            # hides the sealed one from him; a past hearing of each has no outcome recorded
            db.add(Hearing(case_id=case.id, scheduled_for=HEARING, court=case.court, purpose=f"hearing {number}",
                           prosecutor_id=bob))
            db.add(Hearing(case_id=case.id, scheduled_for=PAST_HEARING, court=case.court,
                           purpose=f"hearing {number}"))
            cases.append(case)
        sealed_doc = add_document(db, settings, key="sealed-fir", district=district, case=cases[0],
                                  pages=[["zaitoon statement of the minor victim"]], filename="sealed.pdf")
        open_doc = add_document(db, settings, key="open-fir", district=district, case=cases[1],
                                pages=[["zaitoon statement of the shopkeeper"]], filename="open.pdf")
        accused = cases[0].parties[0].person_id
        db.commit()
        assert accused is not None
        sealed_hearing = db.scalar(select(Hearing.id).where(Hearing.case_id == cases[0].id,
                                                            Hearing.scheduled_for == HEARING))
        assert sealed_hearing is not None
        return SealedWorld(cases[0].id, cases[1].id, sealed_doc.id, open_doc.id, accused, sealed_hearing, bob, alice)


def _index(factory: sessionmaker[Session], es: Any, settings: Settings, *document_ids: int) -> None:
    from indexer import IndexNames, index_document

    with factory() as db:
        for document_id in document_ids:
            index_document(db, es, settings, document_id, refresh=False)
    names = IndexNames.from_settings(settings)
    es.indices.refresh(index=f"{names.alias('pages')},{names.alias('documents')}")


@pytest.fixture
def sealed_world(session_factory: sessionmaker[Session], settings: Settings, es: Any) -> SealedWorld:
    built = _world(session_factory, settings)
    _index(session_factory, es, settings, built.sealed_doc, built.open_doc)  # indexed while still open
    return built


@pytest.fixture
def app(settings: Settings, sealed_world: SealedWorld) -> Flask:
    return create_app(settings)


def _client(app: Flask, username: str) -> FlaskClient:
    client = app.test_client()
    login(client, username)
    return client


def _search_ids(client: FlaskClient) -> tuple[set[str], dict[str, dict[str, int]]]:
    body = client.get("/api/v1/search", query_string={"q": "zaitoon"}).get_json()
    ids = {str(g["document_id"]) for g in body["groups"]}
    facets = {f["name"]: {b["value"]: b["documents"] for b in f["buckets"]} for f in body["facets"]}
    return ids, facets


def _seal(app: Flask, world: SealedWorld) -> None:
    alice = _client(app, "alice")
    response = alice.post(f"/cases/{world.sealed}/seal", data={"reason": "juvenile_accused",
                                                               "csrf_token": csrf_token(alice, "/")})
    assert response.status_code == 302


def _routes_with(app: Flask, argument: str) -> list[tuple[str, str, str]]:
    """(endpoint, method, url) for every route taking ``argument`` (other ids filled with 1)."""
    out = []
    for rule in app.url_map.iter_rules():
        if argument not in rule.arguments:
            continue
        values: dict[str, Any] = {a: 1 for a in rule.arguments}
        if "decision" in rule.arguments:
            values["decision"] = "confirm"
        if "page_no" in rule.arguments:
            values["page_no"] = 1
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            out.append((rule.endpoint, method, values))
    return [(e, m, v) for e, m, v in out]  # type: ignore[misc]


def _hit(app: Flask, client: FlaskClient, endpoint: str, method: str, values: dict[str, Any]) -> int:
    with app.test_request_context():
        from flask import url_for

        url = url_for(endpoint, **values)
    if method == "GET":
        return client.get(url).status_code
    token = csrf_token(client, "/")
    if url.startswith("/api/"):
        return client.open(url, method=method, json={}, headers={"X-CSRFToken": token}).status_code
    return client.open(url, method=method, data={"csrf_token": token}).status_code


def test_sealed_case_is_invisible_to_a_same_district_prosecutor(app: Flask, sealed_world: SealedWorld,
                                                                 session_factory: sessionmaker[Session],
                                                                 es: Any, settings: Settings) -> None:
    from search_app.auth.policy import load_policy

    world = sealed_world
    bob = _client(app, "bob")
    with session_factory() as db:
        bob_user = db.scalar(select(User).where(User.username == "bob"))
    before, _ = _search_ids(bob)
    assert before == {str(world.sealed_doc), str(world.open_doc)}  # not sealed yet: bob sees both
    _seal(app, world)

    def assert_invisible() -> None:
        # lists
        assert f'/cases/{world.sealed}"' not in bob.get("/cases/").get_data(as_text=True)
        assert f'/cases/{world.open}"' in bob.get("/cases/").get_data(as_text=True)
        calendar = bob.get(f"/calendar?view=month&start={HEARING.isoformat()}").get_data(as_text=True)
        assert "hearing 72" in calendar and "hearing 71" not in calendar
        deadlines = bob.get("/deadlines?scope=all&show=all").get_data(as_text=True)
        assert "FIR 72/" in deadlines and "FIR 71/" not in deadlines
        api_cases = bob.get("/api/v1/cases").get_json()
        assert {c["id"] for c in api_cases["items"]} == {world.open} and api_cases["total"] == 1
        api_docs = bob.get("/api/v1/documents").get_json()
        assert {d["id"] for d in api_docs["items"]} == {world.open_doc}
        api_deadlines = bob.get("/api/v1/deadlines?scope=all&show=all").get_json()
        assert {d["case_id"] for d in api_deadlines["items"]} == {world.open}
        # search results and facet counts
        found, facets = _search_ids(bob)
        assert found == {str(world.open_doc)}
        assert all(sum(buckets.values()) <= 1 for buckets in facets.values()), facets
        assert "Juvenile Court Peshawar" not in str(facets)
        html = bob.get("/search?q=zaitoon").get_data(as_text=True)
        assert "minor victim" not in html and "shopkeeper" in html
        # every route taking the case's or its document's id, pages and API alike: 404 as if it did not
        # exist (403 only where bob's role lacks the permission for any object, which reveals nothing)
        policy = load_policy()
        for argument, object_id in (("case_id", world.sealed), ("document_id", world.sealed_doc),
                                    ("person_id", world.accused), ("hearing_id", world.sealed_hearing)):
            for endpoint, method, values in _routes_with(app, argument):
                values = {**values, argument: object_id}
                status = _hit(app, bob, endpoint, method, values)
                role_allows = policy.allows(bob_user, policy.rule_for(endpoint) or "")
                assert status == (404 if role_allows else 403), (endpoint, method, status)

    assert_invisible()  # sealed, its pages not yet re-indexed: hidden by id
    _index(session_factory, es, settings, world.sealed_doc, world.open_doc)
    with session_factory() as db:
        from indexer import IndexNames

        names = IndexNames.from_settings(settings)
        source = es.get(index=names.alias("documents"), id=f"doc-{world.sealed_doc}")["_source"]  # type: ignore[index]
        assert source["sealed"] is True
    assert_invisible()  # and by the index field once re-indexed

    # nothing was changed by all those refused requests
    with session_factory() as db:
        case = db.get(Case, world.sealed)
        assert case is not None and case.sealed and case.sealed_reason == "juvenile_accused"


@pytest.mark.parametrize("username", ["alice", "sara", "root"])
def test_sealed_case_is_visible_to_its_prosecutor_supervisor_and_admins(
        app: Flask, sealed_world: SealedWorld, session_factory: sessionmaker[Session], username: str) -> None:
    world = sealed_world
    _seal(app, world)
    client = _client(app, username)
    page = client.get(f"/cases/{world.sealed}")
    assert page.status_code == 200 and "Sealed matter" in page.get_data(as_text=True)
    found, _ = _search_ids(client)
    assert found == {str(world.sealed_doc), str(world.open_doc)}
    assert client.get(f"/documents/{world.sealed_doc}", follow_redirects=True).status_code == 200
    assert client.get(f"/persons/{world.accused}").status_code == 200
    with session_factory() as db:
        views = db.scalars(select(AuditEvent).where(AuditEvent.action == "view", AuditEvent.object_type == "case",
                                                    AuditEvent.object_id == str(world.sealed)))
        assert username in {v.username for v in views}


def test_another_prosecutor_cannot_seal_and_a_clerk_cannot_either(app: Flask, sealed_world: SealedWorld,
                                                                  session_factory: sessionmaker[Session]) -> None:
    make_user(session_factory, "clerk", Role.DATA_ENTRY, ["Peshawar"])
    bob, clerk = _client(app, "bob"), _client(app, "clerk")
    data = {"reason": "other"}
    assert bob.post(f"/cases/{sealed_world.open}/seal", data={**data, "csrf_token": csrf_token(bob, "/")}
                    ).status_code == 403
    assert clerk.post(f"/cases/{sealed_world.open}/seal", data={**data, "csrf_token": csrf_token(clerk, "/")}
                      ).status_code == 403
    with session_factory() as db:
        assert not db.get(Case, sealed_world.open).sealed  # type: ignore[union-attr]
    assert re.search(r"Seal case", _client(app, "alice").get(f"/cases/{sealed_world.open}").get_data(as_text=True))


def test_a_sealed_cases_judgment_stays_hidden_even_as_case_law(app: Flask, sealed_world: SealedWorld,
                                                               session_factory: sessionmaker[Session]) -> None:
    from models import CaseLaw

    with session_factory() as db:
        db.add(CaseLaw(document_id=sealed_world.sealed_doc, citation="2024 PCrLJ 1", court="Peshawar High Court"))
        db.commit()
    make_user(session_factory, "mardan_pros", Role.PROSECUTOR, [])
    _seal(app, sealed_world)
    for username in ("bob", "mardan_pros"):
        client = _client(app, username)
        assert client.get(f"/api/v1/documents/{sealed_world.sealed_doc}").status_code == 404
        assert client.get(f"/documents/{sealed_world.sealed_doc}/pages/1").status_code == 404
    assert _client(app, "alice").get(f"/api/v1/documents/{sealed_world.sealed_doc}").status_code == 200


def _feed(client: FlaskClient) -> str:
    """The user's iCalendar feed, fetched by its address as a phone would (no session)."""
    page = client.post("/calendar/feed", data={"action": "rotate", "csrf_token": csrf_token(client, "/")})
    address = re.search(r'id="feed-url">([^<]+)<', page.get_data(as_text=True))
    assert address is not None
    path = address.group(1).split("://", 1)[1].split("/", 1)[1]
    return client.application.test_client().get(f"/{path}").get_data(as_text=True)


def _pdf_text(body: bytes) -> str:
    import io

    import pdfplumber

    with pdfplumber.open(io.BytesIO(body)) as document:
        return "\n".join(p.extract_text() or "" for p in document.pages)


def test_sealed_case_vanishes_from_the_calendar(app: Flask, sealed_world: SealedWorld,
                                                session_factory: sessionmaker[Session], settings: Settings) -> None:
    """Calendar pages, cause lists, diaries, the next-date list, warnings, feeds, reminders and the
    calendar API all filter through ``scheduling.store.in_scope``, which applies the sealed rule."""
    from datetime import UTC, time

    from models import CaseDeadline, Notification
    from notify.reminders import run_reminders
    from scheduling.timezone import local_to_utc

    world = sealed_world
    _seal(app, world)
    bob, alice, sara = _client(app, "bob"), _client(app, "alice"), _client(app, "sara")
    with session_factory() as db:
        due = db.scalar(select(CaseDeadline.due_on).where(CaseDeadline.case_id == world.sealed,
                                                          CaseDeadline.rule_id == "crpc_173_interim_report"))
        assert due is not None
    day, past = HEARING.isoformat(), PAST_HEARING.isoformat()
    pages = {
        "views": [f"/calendar?view={v}&start={day}" for v in ("day", "week", "month", "agenda")],
        "cause list": [f"/calendar/cause-list?date={day}"],
        "diaries": [f"/calendar/diary?date={day}", f"/calendar/diary?date={day}&prosecutor={world.alice}",
                    f"/calendar/diary?date={due.isoformat()}&prosecutor={world.alice}"],
        "next-date list": ["/calendar/attention", f"/calendar?view=week&start={past}"],
    }
    def names(text: str, number: str) -> bool:
        return f"hearing {number}" in text or f"FIR {number}/" in text

    for what, urls in pages.items():
        for url in urls:
            bob_sees = bob.get(url).get_data(as_text=True)
            assert not names(bob_sees, "71") and names(bob_sees, "72"), (what, url)  # the open case is there
            if "prosecutor=" in url or "diary" not in url:  # (sara's own diary is empty)
                assert names(sara.get(url).get_data(as_text=True), "71"), (what, url)
    diary = bob.get(f"/calendar/diary?date={due.isoformat()}&prosecutor={world.alice}").get_data(as_text=True)
    assert "Interim report through the Public Prosecutor" in diary  # the case file's deadlines are in diaries
    pdf = bob.get(f"/calendar/cause-list.pdf?date={day}")
    assert pdf.status_code == 200
    text = _pdf_text(pdf.data)
    assert "FIR 72/" in text and "FIR 71/" not in text
    for url in (f"/api/v1/hearings?from={past}&to={day}", f"/api/v1/cause-list?date={day}",
                "/api/v1/calendar/attention"):
        body = str(bob.get(url).get_json())
        assert "hearing 71" not in body and "FIR 71/" not in body and "hearing 72" in body, url
        assert "hearing 71" in str(sara.get(url).get_json()), url

    # scheduling warnings: bob is due before the juvenile court in the sealed case that morning; for him
    # that hearing does not exist (no warning that would reveal it); the supervisor is warned. (The
    # new hearing is in the court of the open case's hearing, so that one does not clash.)
    form = {"scheduled_for": day, "session": "morning", "court": "ASJ",
            "purpose": "bail", "prosecutor_id": str(world.bob), "csrf_token": csrf_token(bob, "/")}
    shown = bob.post(f"/cases/{world.open}/hearings/new", data=form)
    assert shown.status_code in (302, 409)
    assert "FIR 71/" not in shown.get_data(as_text=True) and "prosecutor_two_courts" not in shown.get_data(as_text=True)
    warned = sara.post(f"/cases/{world.open}/hearings/new", data={**form, "csrf_token": csrf_token(sara, "/")})
    assert warned.status_code == 409 and "FIR 71/" in warned.get_data(as_text=True)

    # the phone feeds: bob's leaves out the sealed hearing he stands in for; alice's has it and its deadline
    bob_feed, alice_feed = _feed(bob), _feed(alice)
    assert "FIR 72/" in bob_feed and "FIR 71/" not in bob_feed
    assert "FIR 71/" in alice_feed and "Interim report" in alice_feed

    # reminders: the day before the hearing and the missing outcome of the past one; nobody is told of
    # the sealed case unless they may see it (bob appears there, but is not told)
    eve = local_to_utc(HEARING - timedelta(days=1), time(10, 0)).astimezone(UTC)
    with session_factory() as db:
        run_reminders(db, settings, eve)
        sent = [(n.user_id, n.subject) for n in db.scalars(select(Notification))]
    bob_told = [subject for user, subject in sent if user == world.bob]
    assert any("FIR 72/" in s for s in bob_told) and not any("FIR 71/" in s for s in bob_told), bob_told
    assert any("FIR 71/" in s for user, s in sent if user != world.bob), sent  # the supervisor is told


def test_notifications_made_before_the_seal_leave_the_inboxes_of_those_who_no_longer_see_the_case(
        app: Flask, sealed_world: SealedWorld, session_factory: sessionmaker[Session], settings: Settings) -> None:
    """A reminder names its case's FIR. Made while the case was open, it reached bob (who appears at
    the hearing); once the case is sealed it is gone from his inbox, the API, his unread count and
    opening it by id is a 404; the supervisor keeps hers."""
    from datetime import UTC, time

    from models import Notification
    from notify import unread_count, visible_condition
    from notify.reminders import run_reminders
    from scheduling.timezone import local_to_utc

    world = sealed_world
    eve = local_to_utc(HEARING - timedelta(days=1), time(10, 0)).astimezone(UTC)
    with session_factory() as db:
        run_reminders(db, settings, eve)  # before the seal: bob is told of both hearings
        bobs = {n.id: n for n in db.scalars(select(Notification).where(Notification.user_id == world.bob))}
        sealed_note = next(n.id for n in bobs.values() if "FIR 71/" in n.subject)
        assert {n.case_id for n in bobs.values()} == {world.sealed, world.open}
    bob, sara = _client(app, "bob"), _client(app, "sara")
    assert "FIR 71/" in bob.get("/notifications").get_data(as_text=True)  # control: shown while open

    _seal(app, world)
    assert "FIR 71/" not in bob.get("/notifications").get_data(as_text=True)
    assert "FIR 72/" in bob.get("/notifications").get_data(as_text=True)
    api = bob.get("/api/v1/notifications").get_json()
    assert api["items"] and not any("FIR 71/" in item["subject"] for item in api["items"])
    assert bob.post(f"/notifications/{sealed_note}/open",
                    data={"csrf_token": csrf_token(bob, "/")}).status_code == 404
    assert bob.post(f"/api/v1/notifications/{sealed_note}/read",
                    headers={"X-CSRFToken": csrf_token(bob, "/")}).status_code == 404
    assert "FIR 71/" in sara.get("/notifications").get_data(as_text=True)
    with session_factory() as db:
        user = db.get(User, world.bob)
        assert user is not None
        assert unread_count(db, user) == len(bobs) - 1
        assert db.scalar(select(Notification.read_at).where(Notification.id == sealed_note)) is None
        shown = set(db.scalars(select(Notification.id).where(visible_condition(user))))
        assert shown == set(bobs) - {sealed_note}
