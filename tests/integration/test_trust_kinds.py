"""One test per kind of issue 8, each made from the case that showed it (real SQLite, Elasticsearch and
Redis; PostgreSQL for the lockout race). The role x district x route matrix and the fuzzer are in
test_authorization_matrix.py and test_fuzz_routes.py; the audit chain in test_audit_chain.py."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session, sessionmaker

from config import Settings
from ingest.entities import FoundEntity
from models import (
    ApiToken,
    AuditEvent,
    Case,
    CaseLinkSuggestion,
    Document,
    Page,
    Party,
    PartyRole,
    Role,
    User,
    make_session_factory,
    utcnow,
)
from models.migrate import upgrade_database
from tests.integration.authz_samples import MatrixWorld, build_matrix_world
from tests.integration.web_world import client_for, csrf_from, index_world

pytestmark = [pytest.mark.elasticsearch]


@pytest.fixture
def matrix(session_factory: sessionmaker[Session], settings: Settings, es: Any) -> MatrixWorld:
    world = build_matrix_world(session_factory, settings)
    index_world(session_factory, es, settings, world.base)
    return world


@pytest.fixture
def app(settings: Settings, matrix: MatrixWorld) -> Iterator[Flask]:
    from search_app import create_app

    application = create_app(settings)
    yield application
    application.extensions["cmms"].engine.dispose()


def _csrf(client: FlaskClient) -> str:
    return csrf_from(client.get("/account/security").get_data(as_text=True))


def _events(factory: sessionmaker[Session], **where: Any) -> list[AuditEvent]:
    with factory() as db:
        stmt = select(AuditEvent).order_by(AuditEvent.id)
        for key, value in where.items():
            stmt = stmt.where(getattr(AuditEvent, key) == value)
        return list(db.scalars(stmt))


# --- kind 1: derived links stay inside the scope of the object they are written on ------------------------


def _mardan_case_with_parties(db: Session, matrix: MatrixWorld) -> Case:
    case = db.get(Case, matrix.cases["mardan"])
    assert case is not None
    case.parties = [Party(name="Zarghuna Bibi", role=PartyRole.COMPLAINANT, cnic="16101-1234567-1")]
    db.commit()
    return case


def test_a_peshawar_upload_naming_a_mardan_fir_is_neither_linked_nor_suggested(
        session_factory: sessionmaker[Session], matrix: MatrixWorld, app: Flask) -> None:
    from ingest.links import link_document

    fir = FoundEntity("fir", "FIR 777/2025 PS Takht Bhai", "FIR No. 777/2025 PS Takht Bhai", 0, 30, "rules",
                      {"fir_number": "777", "year": "2025", "police_station": "Takht Bhai"})
    cnic = FoundEntity("cnic", "16101-1234567-1", "16101-1234567-1", 40, 55, "rules")
    with session_factory() as db:
        _mardan_case_with_parties(db, matrix)
        peshawar_doc = db.get(Document, matrix.documents["peshawar"])
        mardan_doc = db.get(Document, matrix.documents["mardan"])
        assert peshawar_doc is not None and mardan_doc is not None
        peshawar_doc.case_id = matrix.cases["mardan"]  # as if typed at upload in the wrong district
        assert link_document(db, peshawar_doc, [fir, cnic]) == []
        assert peshawar_doc.case_id is None
        assert db.scalar(select(CaseLinkSuggestion).where(CaseLinkSuggestion.document_id == peshawar_doc.id,
                                                          CaseLinkSuggestion.case_id == matrix.cases["mardan"])) is None
        decisions = link_document(db, mardan_doc, [fir])  # the same text in Mardan links to Mardan's case
        assert [d.case_id for d in decisions] == [matrix.cases["mardan"]]
        assert mardan_doc.case_id == matrix.cases["mardan"]
        db.commit()


def test_the_index_never_carries_another_districts_case_and_the_api_does_not_list_the_link(
        session_factory: sessionmaker[Session], matrix: MatrixWorld, app: Flask) -> None:
    from indexer.reindex import _load, _records

    with session_factory() as db:
        _mardan_case_with_parties(db, matrix)
        db.execute(update(Document).where(Document.id == matrix.documents["peshawar"])
                   .values(case_id=matrix.cases["mardan"]))  # a link made before this fix
        db.commit()
        ((record, pages),) = list(_records(db, _load(db, [matrix.documents["peshawar"]])))
        source = record.to_source()
        assert "case_id" not in source and "parties" not in source and "case_stage" not in source
        assert all("Zarghuna" not in str(p.to_source()) for p in pages)
    listed = client_for(app, "pros_a").get("/api/v1/documents", query_string={"case_id": matrix.cases["mardan"]})
    assert listed.status_code == 200 and listed.get_json()["items"] == []


def test_the_case_typed_at_upload_is_looked_up_in_the_batchs_district_only(
        session_factory: sessionmaker[Session], matrix: MatrixWorld, app: Flask) -> None:
    from search_app.views.intake import find_case

    with session_factory() as db:
        peshawar = db.get(Case, matrix.cases["peshawar"])
        mardan = db.get(Case, matrix.cases["mardan"])
        assert peshawar is not None and mardan is not None
        assert find_case(db, mardan.district_id, "777/2025") == (mardan.id, "")
        assert find_case(db, peshawar.district_id, "777/2025") == (None, "777/2025")


def test_citation_links_show_only_what_the_reader_reads_and_index_counts_stay_in_scope(
        session_factory: sessionmaker[Session], matrix: MatrixWorld, app: Flask) -> None:
    """The citation network is the judgments' own text read as data; every reader sees both ends only when
    they may read them, and what the index copies onto a published judgment counts published judgments."""
    from indexer.reindex import _caselaw_facts
    from ingest.caselaw import record_citations
    from models import CaseLaw

    pending_id, cited_id = matrix.base.caselaw["pending"].id, matrix.base.caselaw["cited"].id
    with session_factory() as db:
        pending = db.get(CaseLaw, pending_id)  # Mardan, awaiting approval
        cited = db.get(CaseLaw, cited_id)  # Peshawar, published
        assert pending is not None and cited is not None
        assert record_citations(db, pending, ["PLD 2019 SC 64"]) == 1
        db.commit()
        assert _caselaw_facts(db, [cited])[cited_id][1] == 1  # the published 2023 judgment, not the pending one
    peshawar = client_for(app, "pros_a").get(f"/api/v1/caselaw/{cited_id}").get_json()
    mardan = client_for(app, "pros_b").get(f"/api/v1/caselaw/{cited_id}").get_json()
    assert pending_id not in {c["id"] for c in peshawar["cited_by"]}
    assert pending_id in {c["id"] for c in mardan["cited_by"]}


# --- kind 2: read and write predicates are separate -------------------------------------------------------


def test_published_case_law_is_readable_everywhere_but_only_librarians_correct_it(
        app: Flask, matrix: MatrixWorld, redis_conn: Any) -> None:
    judgment = matrix.base.docs["newer"].id  # Mardan, published case law
    clerk = client_for(app, "clerk")  # Peshawar data entry
    assert clerk.get(f"/documents/{judgment}/pages/1").status_code == 200  # reading: yes
    form = clerk.post(f"/documents/{judgment}/pages/1/correction",
                      data={"corrected_text": "rewritten", "csrf_token": _csrf(clerk)})
    api = clerk.put(f"/api/v1/documents/{judgment}/pages/1/correction", json={"text": "rewritten"},
                    headers={"X-CSRFToken": _csrf(clerk)})
    # it can read the judgment, so its existence is no secret: the write is refused as not the role's (403)
    assert form.status_code == 403 and api.status_code == 403
    assert api.get_json()["error"]["code"] == "forbidden"
    librarian = client_for(app, "librarian")  # Peshawar librarian, Mardan judgment: the collection is province-wide
    done = librarian.put(f"/api/v1/documents/{judgment}/pages/1/correction", json={"text": "curated text"},
                         headers={"X-CSRFToken": _csrf(librarian)})
    assert done.status_code == 200
    district_doc = matrix.documents["peshawar"]  # not case law: not the librarian's to change, nor read
    assert librarian.get(f"/documents/{district_doc}/pages/1").status_code == 404
    assert librarian.put(f"/api/v1/documents/{district_doc}/pages/1/correction", json={"text": "x"},
                         headers={"X-CSRFToken": _csrf(librarian)}).status_code == 404


# --- kind 3: every read is audited, on every surface ------------------------------------------------------


def test_api_reads_lists_and_denials_are_audited(app: Flask, matrix: MatrixWorld,
                                                 session_factory: sessionmaker[Session]) -> None:
    client = client_for(app, "pros_a")
    document, case = matrix.documents["peshawar"], matrix.cases["peshawar"]
    before = len(_events(session_factory))
    for url in ("/api/v1/documents", f"/api/v1/documents/{document}", f"/api/v1/documents/{document}/pages/1",
                "/api/v1/cases", f"/api/v1/cases/{case}", "/api/v1/caselaw",
                f"/api/v1/caselaw/{matrix.base.caselaw['cited'].id}", "/cases/", "/calendar"):
        assert client.get(url).status_code == 200, url
    denied = client.get(f"/api/v1/cases/{matrix.cases['mardan']}")
    assert denied.status_code == 404
    events = _events(session_factory)[before:]
    seen = {(e.action, e.object_type, e.object_id) for e in events if e.success}
    assert {("list", "document", ""), ("view", "document", str(document)), ("list", "case", ""),
            ("view", "case", str(case)), ("list", "case_law", ""), ("list", "hearing", "")} <= seen
    page_reads = [e for e in events if e.action == "view" and e.detail.get("page_no") == 1]
    assert page_reads and page_reads[0].district_id == matrix.base.districts["peshawar"].id
    refusal = [e for e in events if not e.success][-1]
    assert (refusal.object_type, refusal.object_id, refusal.district_id) == (
        "case", str(matrix.cases["mardan"]), matrix.base.districts["mardan"].id)
    sup = client_for(app, "sup_p")
    assert sup.get("/oversight/caseload").status_code == 200
    clerk = client_for(app, "clerk")
    assert clerk.get("/intake/batches").status_code == 200
    actions = {(e.username, e.action, e.object_type) for e in _events(session_factory)}
    assert {("sup_p", "view", "caseload"), ("clerk", "list", "batch")} <= actions


# --- kind 5: open redirect -------------------------------------------------------------------------------


@pytest.mark.parametrize(("next_value", "expected"), [
    ("/%09/evil.example/path", "/"), ("/\t/evil.example", "/"), ("/%0A/x", "/"), ("//evil.example", "/"),
    ("/\\evil.example", "/"), ("/%5Cevil.example", "/"), ("https://evil.example/", "/"), ("/%2F%2Fevil", "/"),
    ("javascript:alert(1)", "/"), ("/search?q=murder", "/search?q=murder"), ("/cases/", "/cases/"),
])
def test_login_follows_only_same_site_paths(app: Flask, matrix: MatrixWorld, next_value: str, expected: str) -> None:
    client = app.test_client()
    token = csrf_from(client.get("/login").get_data(as_text=True))
    response = client.post("/login", data={"username": "pros_a", "password": "correct horse battery staple 42",
                                           "next": next_value, "csrf_token": token})
    assert response.status_code == 302
    assert response.headers["Location"] == expected


# --- kind 7: existence oracles ---------------------------------------------------------------------------


def test_missing_and_out_of_scope_answer_alike_and_the_district_supervisor_sees_no_reason(
        app: Flask, matrix: MatrixWorld, session_factory: sessionmaker[Session]) -> None:
    client = client_for(app, "pros_a")
    other, missing = matrix.hearings["mardan"], 2**40
    a, b = client.get(f"/hearings/{other}/edit"), client.get(f"/hearings/{missing}/edit")
    assert a.status_code == b.status_code == 404 and a.data == b.data
    token = _csrf(client)
    peshawar_case = matrix.cases["peshawar"]
    c = client.post(f"/cases/{peshawar_case}/suggestions/{matrix.suggestions['mardan']}/confirm",
                    data={"csrf_token": token})
    d = client.post(f"/cases/{peshawar_case}/suggestions/{missing}/confirm", data={"csrf_token": token})
    assert c.status_code == d.status_code == 404
    page = client_for(app, "sup_p").get("/oversight/audit", query_string={"outcome": "denied"}).get_data(as_text=True)
    assert "out_of_scope" not in page and "not_found" not in page
    assert "out_of_scope" in client_for(app, "admin").get("/oversight/audit").get_data(as_text=True)


# --- kind 10: malformed parameters -----------------------------------------------------------------------


@pytest.mark.parametrize(("url", "status"), [
    ("/cases/99999999999999999999999", 404), ("/documents/18446744073709551616/pages/1", 404),
    ("/api/v1/documents/99999999999999999999999", 404), ("/calendar?start=9999-12-31", 400),
    ("/calendar?start=yesterday", 400), ("/cases/?page=99999999999999999999999", 200),
    ("/cases/?district=99999999999999999999999", 200), ("/api/v1/documents?case_id=99999999999999999999999", 400),
    ("/api/v1/documents?offset=99999999999999999999999", 400), ("/search?q=x&year=block_num", 400),
    ("/caselaw?page=99999999999999999999999&decided_year=99999999999", 200),
])
def test_malformed_parameters_get_a_clear_4xx(app: Flask, matrix: MatrixWorld, url: str, status: int) -> None:
    response = client_for(app, "admin").get(url)
    assert response.status_code == status, response.get_data(as_text=True)[:300]
    if url.startswith("/api/"):
        assert set(response.get_json()["error"]) == {"status", "code", "message"}


# --- kind 13: audit viewer scope --------------------------------------------------------------------------


def test_a_supervisor_sees_everything_done_to_their_districts_objects_and_nothing_else(
        app: Flask, matrix: MatrixWorld, session_factory: sessionmaker[Session]) -> None:
    with session_factory() as db:  # a user of both districts
        both = db.scalar(select(User).where(User.username == "pros_a"))
        mardan = matrix.base.districts["mardan"]
        assert both is not None
        both.districts = [*both.districts, db.merge(mardan)]
        db.commit()
    client_for(app, "pros_a").get("/search", query_string={"q": "orchard secret words"})
    client_for(app, "pros_b").get(f"/cases/{matrix.cases['peshawar']}")  # a Mardan user tries a Peshawar case
    mardan_view = client_for(app, "sup_m").get("/oversight/audit").get_data(as_text=True)
    peshawar_view = client_for(app, "sup_p").get("/oversight/audit").get_data(as_text=True)
    assert "orchard secret words" not in mardan_view  # a multi-district user's search may cover Peshawar
    assert "orchard secret words" not in peshawar_view
    assert f"case {matrix.cases['peshawar']}" in peshawar_view and "pros_b" in peshawar_view  # the denial
    assert f"case {matrix.cases['peshawar']}" not in mardan_view
    assert "orchard secret words" in client_for(app, "admin").get("/oversight/audit").get_data(as_text=True)


# --- API tokens and the one error object -----------------------------------------------------------------


def _token(factory: sessionmaker[Session], username: str, scope: str, **changes: Any) -> str:
    from search_app.auth.tokens import create_token

    with factory() as db:
        user = db.scalar(select(User).where(User.username == username))
        assert user is not None
        row, text = create_token(db, user, "script", scope, 30, 90)
        for key, value in changes.items():
            setattr(row, key, value)
        db.commit()
        return text


def test_api_tokens_are_scoped_expiring_revocable_audited_and_errors_share_one_shape(
        app: Flask, matrix: MatrixWorld, session_factory: sessionmaker[Session], redis_conn: Any) -> None:
    anonymous = app.test_client().get("/api/v1/documents")
    assert anonymous.status_code == 401 and anonymous.get_json()["error"]["code"] == "unauthorised"
    read = _token(session_factory, "clerk", "read")
    client = app.test_client()
    headers = {"Authorization": f"Bearer {read}"}
    listed = client.get("/api/v1/documents", headers=headers)
    assert listed.status_code == 200 and listed.get_json()["total"] >= 1
    document = matrix.documents["peshawar"]
    refused = client.put(f"/api/v1/documents/{document}/pages/1/correction", json={"text": "x"}, headers=headers)
    assert refused.status_code == 403 and refused.get_json()["error"]["code"] == "token_scope"
    write = _token(session_factory, "clerk", "write")
    done = client.put(f"/api/v1/documents/{document}/pages/1/correction", json={"text": "fixed"},
                      headers={"Authorization": f"Bearer {write}"})  # no CSRF token: no cookie either
    assert done.status_code == 200
    expired = _token(session_factory, "clerk", "read", expires_at=utcnow() - timedelta(seconds=1))
    revoked = _token(session_factory, "clerk", "read", revoked_at=utcnow())
    for dead in (expired, revoked, "cmms_" + "x" * 43):
        answer = client.get("/api/v1/documents", headers={"Authorization": f"Bearer {dead}"})
        assert answer.status_code == 401 and answer.get_json()["error"]["code"] == "invalid_token"
    with session_factory() as db:
        via = [e for e in db.scalars(select(AuditEvent)) if e.detail.get("via_api_token")]
        assert {e.action for e in via} >= {"list", "edit"}
        assert db.scalar(select(ApiToken).where(ApiToken.revoked_at.is_(None), ApiToken.scope == "read",
                                                ApiToken.last_used_at.is_not(None))) is not None
        page = db.scalar(select(Page).where(Page.document_id == document, Page.page_no == 1))
        assert page is not None and page.corrected_text == "fixed"
    prosecutor = {"Authorization": f"Bearer {_token(session_factory, 'pros_a', 'read')}"}
    missing = client.get("/api/v1/cases/999999", headers=prosecutor)
    other = client.get(f"/api/v1/cases/{matrix.cases['mardan']}", headers=prosecutor)
    assert missing.get_json() == other.get_json() == {"error": {
        "status": 404, "code": "not_found",
        "message": "There is no such page or object, or it is not within your districts."}}


def test_a_token_is_created_on_the_security_page_after_the_password_and_can_be_revoked(
        app: Flask, matrix: MatrixWorld, session_factory: sessionmaker[Session]) -> None:
    client = client_for(app, "pros_a")
    created = client.post("/account/tokens", data={"name": "report script", "scope": "read", "days": "7",
                                                   "csrf_token": _csrf(client)})
    assert created.status_code == 200
    import re

    match = re.search(r'id="new-token">(cmms_[^<]+)<', created.get_data(as_text=True))
    assert match
    api = app.test_client()
    assert api.get("/api/v1/cases", headers={"Authorization": f"Bearer {match.group(1)}"}).status_code == 200
    with session_factory() as db:
        row = db.scalar(select(ApiToken).where(ApiToken.name == "report script"))
        assert row is not None and row.token_hash != match.group(1)  # stored hashed
        token_id = row.id
    assert client.post(f"/account/tokens/{token_id}/revoke", data={"csrf_token": _csrf(client)}).status_code == 302
    assert api.get("/api/v1/cases", headers={"Authorization": f"Bearer {match.group(1)}"}).status_code == 401
    assert {"api_token_create", "api_token_revoke"} <= {e.action for e in _events(session_factory)}


# --- MFA: the TOTP secret is encrypted at rest -----------------------------------------------------------


def _code_login(app: Flask, username: str, code: str) -> Any:
    from tests.integration.web_support import csrf_token
    from tests.integration.web_world import PASSWORD

    client = app.test_client()
    first = client.post("/login", data={"username": username, "password": PASSWORD,
                                         "csrf_token": csrf_token(client)})
    assert first.headers.get("Location", "").endswith("/login/mfa"), first.status_code
    page = client.get("/login/mfa").get_data(as_text=True)
    return client.post("/login/mfa", data={"code": code, "csrf_token": csrf_from(page)})


def test_the_totp_secret_is_stored_encrypted_and_a_plain_one_is_encrypted_at_its_next_code(
        app: Flask, matrix: MatrixWorld, session_factory: sessionmaker[Session], settings: Settings) -> None:
    import re
    from datetime import UTC, datetime

    import pyotp

    from search_app.auth.mfa_secrets import unseal
    from tests.mfa_support import TEST_TOTP_SECRET, fresh_code_from

    # a prosecutor enrols on the security page: the database holds a token, not the key shown
    client = client_for(app, "pros_a")
    page = client.get("/account/mfa").get_data(as_text=True)
    match = re.search(r'id="mfa-secret">([A-Z2-7]+)<', page)
    assert match
    secret = match.group(1)
    totp = pyotp.TOTP(secret)
    assert client.post("/account/mfa", data={"code": totp.now(), "csrf_token": csrf_from(page)}).status_code == 200
    with session_factory() as db:
        stored = db.scalar(select(User.mfa_secret).where(User.username == "pros_a"))
    assert stored is not None and stored.startswith("f1:") and secret not in stored
    assert unseal(stored, settings) == secret
    later = totp.at(datetime.now(UTC).timestamp() + 30)  # the enrolment used this step's code
    assert _code_login(app, "pros_a", later).status_code == 302

    # a supervisor enrolled before encryption (plain secret) logs in; the secret is then stored encrypted
    with session_factory() as db:
        assert db.scalar(select(User.mfa_secret).where(User.username == "sup_p")) == TEST_TOTP_SECRET
    assert _code_login(app, "sup_p", fresh_code_from(session_factory, "sup_p")).status_code == 302
    with session_factory() as db:
        sealed = db.scalar(select(User.mfa_secret).where(User.username == "sup_p"))
    assert sealed is not None and sealed.startswith("f1:") and unseal(sealed, settings) == TEST_TOTP_SECRET
    assert _code_login(app, "sup_p", fresh_code_from(session_factory, "sup_p")).status_code == 302

    # with another key the stored secret cannot be opened: the code is refused (not a 500)
    from search_app import create_app

    other = create_app(settings.model_copy(update={"mfa_encryption_key": "k" * 40}))
    refused = _code_login(other, "sup_p", fresh_code_from(session_factory, "sup_p"))
    assert refused.status_code == 401  # the same refusal as a wrong code; recovery codes still work
    other.extensions["cmms"].engine.dispose()


def test_cmms_db_upgrade_encrypts_the_secrets_stored_before_encryption(
        matrix: MatrixWorld, session_factory: sessionmaker[Session], settings: Settings,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from cli.main import cli
    from config.settings import get_settings
    from search_app.auth.mfa_secrets import unseal
    from tests.mfa_support import TEST_TOTP_SECRET

    with session_factory() as db:
        plain = set(db.scalars(select(User.username).where(User.mfa_secret == TEST_TOTP_SECRET)))
    assert {"sup_p", "sup_m"} <= plain  # enrolled before encryption (as the test world writes them)
    monkeypatch.setenv("CMMS_VAR_DIR", str(settings.var_dir))
    monkeypatch.setenv("CMMS_SECRET_KEY", settings.secret_key)
    get_settings.cache_clear()
    try:
        done = CliRunner().invoke(cli, ["db", "upgrade"])
    finally:
        get_settings.cache_clear()
    assert done.exit_code == 0 and f"encrypted {len(plain)} TOTP secret(s)" in done.output, done.output
    with session_factory() as db:
        stored = {u.username: u.mfa_secret for u in db.scalars(select(User).where(User.username.in_(plain)))}
    assert all(s and s.startswith("f1:") and unseal(s, settings) == TEST_TOTP_SECRET for s in stored.values())


# --- kind 6: lockout counting is atomic -----------------------------------------------------------------


def _race(factory: sessionmaker[Session], settings: Settings, attempts: int) -> list[str]:
    from search_app.auth.login import authenticate

    outcomes: list[str] = []
    barrier = threading.Barrier(attempts)

    def attempt() -> None:
        with factory() as db:
            barrier.wait()
            result = authenticate(db, settings, "target", "wrong password entirely", "")
            db.commit()
            outcomes.append(str(result.outcome))

    threads = [threading.Thread(target=attempt) for _ in range(attempts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes


def _target(factory: sessionmaker[Session]) -> None:
    from tests.integration.web_world import _password_hash

    with factory() as db:
        db.add(User(username="target", password_hash=_password_hash(), role=Role.PROSECUTOR))
        db.commit()


@pytest.mark.postgres
def test_parallel_wrong_passwords_get_at_most_the_limit_of_real_checks(postgres_engine: Engine,
                                                                       settings: Settings) -> None:
    """Issue 8, kind 6: 12 parallel guesses from several workers; the count is reserved atomically in
    the database before each check, so only ``login_max_failures`` passwords are really checked."""
    upgrade_database(postgres_engine)
    factory = make_session_factory(postgres_engine)
    _target(factory)
    outcomes = _race(factory, settings, 12)
    assert len(outcomes) == 12
    assert outcomes.count("bad_credentials") == settings.login_max_failures
    assert outcomes.count("locked") == 12 - settings.login_max_failures
    with factory() as db:
        user = db.scalar(select(User).where(User.username == "target"))
        assert user is not None and user.locked_until is not None


def test_parallel_wrong_passwords_on_sqlite_also_stop_at_the_limit(session_factory: sessionmaker[Session],
                                                                   settings: Settings) -> None:
    _target(session_factory)
    outcomes = _race(session_factory, settings, 8)
    assert outcomes.count("bad_credentials") == settings.login_max_failures


# --- kind 11 in the web: the password rules reach the forms --------------------------------------------------


@pytest.mark.parametrize("password", ["aaaaaaaaaaaa", " " * 12, "\u200b" * 12, "111111111111", "pros_a123456"])
def test_weak_passwords_are_refused_when_changing_ones_own(app: Flask, matrix: MatrixWorld, password: str) -> None:
    client = client_for(app, "pros_a")
    response = client.post("/account/password", data={
        "current_password": "correct horse battery staple 42", "new_password": password, "confirm_password": password,
        "csrf_token": _csrf(client)})
    assert response.status_code == 400

