"""Login, lockout, sessions (idle expiry, logout and deactivation revoke), CSRF, headers, login gate."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker
from werkzeug.routing import AnyConverter, Rule
from werkzeug.routing.converters import NumberConverter

from models import Role, User, WebSession, utcnow
from tests.integration import web_support
from tests.integration.web_support import PASSWORD, audit_rows, csrf_token, login, make_user, post

# Fixtures shared by the web tests (bound here so pytest finds them in this module).
app, client, districts = web_support.app, web_support.client, web_support.districts

GENERIC = "Login failed. Check your username and password."


def _cookie(client: FlaskClient) -> str | None:
    cookie = client.get_cookie("cmms_session")
    return cookie.value if cookie else None


def test_login_success_sets_server_session_and_audits(client: FlaskClient, session_factory,
                                                      districts) -> None:
    make_user(session_factory, "clerk", Role.DATA_ENTRY, ["Peshawar"])
    anonymous_token = csrf_token(client) and _cookie(client)
    response = login(client, "clerk")
    assert response.status_code == 302 and response.headers["Location"] == "/"
    # A new token at login (no session fixation), HttpOnly, SameSite=Lax, no persistent expiry.
    set_cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in set_cookie and "SameSite=Lax" in set_cookie and "Expires" not in set_cookie
    assert _cookie(client) and _cookie(client) != anonymous_token
    assert client.get("/").status_code == 200
    with session_factory() as db:
        rows = list(db.scalars(select(WebSession).where(WebSession.user_id.is_not(None))))
        assert len(rows) == 1 and rows[0].token_hash != _cookie(client)  # only the hash is stored
    events = audit_rows(session_factory, "login")
    assert [(e.username, e.success) for e in events] == [("clerk", True)]
    assert events[0].ip_address == "127.0.0.1"


def test_failed_logins_give_one_generic_message_and_are_audited(client: FlaskClient, session_factory,
                                                                 districts) -> None:
    make_user(session_factory, "clerk", Role.DATA_ENTRY, ["Peshawar"])
    wrong = login(client, "clerk", "not the password at all")
    unknown = login(client, "nobody-here", "not the password at all")
    assert wrong.status_code == unknown.status_code == 401
    assert GENERIC in wrong.get_data(as_text=True) and GENERIC in unknown.get_data(as_text=True)
    assert client.get("/").status_code == 302  # still anonymous
    events = audit_rows(session_factory, "login")
    assert [(e.username, e.success, e.detail["outcome"]) for e in events] == [
        ("clerk", False, "bad_credentials"), ("nobody-here", False, "bad_credentials")]


def test_lockout_after_max_failures_then_admin_unlock(client: FlaskClient, app: Flask, session_factory,
                                                       districts) -> None:
    settings = app.config["CMMS_SETTINGS"]
    make_user(session_factory, "clerk", Role.DATA_ENTRY, ["Peshawar"])
    make_user(session_factory, "boss", Role.ADMIN, [], all_districts=True)
    for _ in range(settings.login_max_failures):
        assert login(client, "clerk", "wrong password!!").status_code == 401
    locked = login(client, "clerk")  # the right password no longer works
    assert locked.status_code == 401 and GENERIC in locked.get_data(as_text=True)
    assert audit_rows(session_factory, "login")[-1].detail["outcome"] == "locked"
    with session_factory() as db:
        user = db.scalar(select(User).where(User.username == "clerk"))
        assert user is not None and user.locked_until is not None
        user_id = user.id
    admin = Flask.test_client(app)
    assert login(admin, "boss").status_code == 302
    assert post(admin, f"/admin/users/{user_id}/unlock").status_code == 302
    assert login(client, "clerk").status_code == 302
    assert audit_rows(session_factory, "user_unlock")[0].object_id == str(user_id)


def test_lock_expires_after_lockout_minutes(client: FlaskClient, app: Flask, session_factory,
                                            districts) -> None:
    settings = app.config["CMMS_SETTINGS"]
    make_user(session_factory, "clerk", Role.DATA_ENTRY, ["Peshawar"])
    for _ in range(settings.login_max_failures):
        login(client, "clerk", "wrong password!!")
    assert login(client, "clerk").status_code == 401
    with session_factory() as db:
        db.execute(update(User).values(locked_until=utcnow() - timedelta(seconds=1)))
        db.commit()
    assert login(client, "clerk").status_code == 302


def _age_sessions(factory: sessionmaker[Session], minutes: int) -> None:
    with factory() as db:
        db.execute(update(WebSession).values(last_seen_at=utcnow() - timedelta(minutes=minutes)))
        db.commit()


def test_idle_session_expires_server_side(client: FlaskClient, app: Flask, session_factory,
                                          districts) -> None:
    idle = app.config["CMMS_SETTINGS"].session_idle_minutes
    make_user(session_factory, "clerk", Role.DATA_ENTRY, ["Peshawar"])
    login(client, "clerk")
    _age_sessions(session_factory, idle - 1)
    assert client.get("/intake/batches").status_code == 200  # activity within the limit keeps it alive
    _age_sessions(session_factory, idle + 1)
    response = client.get("/intake/batches")
    assert response.status_code == 302 and "expired=1" in response.headers["Location"]
    with session_factory() as db:
        assert db.scalar(select(WebSession).where(WebSession.user_id.is_not(None))) is None


def test_logout_revokes_the_token_even_if_replayed(client: FlaskClient, app: Flask, session_factory,
                                                   districts) -> None:
    make_user(session_factory, "clerk", Role.DATA_ENTRY, ["Peshawar"])
    login(client, "clerk")
    stolen = _cookie(client)
    assert stolen
    response = post(client, "/logout")
    assert response.status_code == 302 and "logged_out=1" in response.headers["Location"]
    replay = app.test_client()
    replay.set_cookie("cmms_session", stolen)
    assert replay.get("/").status_code == 302
    assert [e.action for e in audit_rows(session_factory, "logout")] == ["logout"]


def test_deactivation_ends_open_sessions(client: FlaskClient, app: Flask, session_factory, districts) -> None:
    clerk_id = make_user(session_factory, "clerk", Role.DATA_ENTRY, ["Peshawar"])
    make_user(session_factory, "boss", Role.ADMIN, [], all_districts=True)
    login(client, "clerk")
    assert client.get("/").status_code == 200
    admin = app.test_client()
    login(admin, "boss")
    assert post(admin, f"/admin/users/{clerk_id}/deactivate").status_code == 302
    assert client.get("/").status_code == 302
    assert login(client, "clerk").status_code == 401  # and cannot log in again


def test_csrf_token_required_on_forms_and_json(client: FlaskClient, session_factory, districts) -> None:
    make_user(session_factory, "clerk", Role.DATA_ENTRY, ["Peshawar"])
    client.get("/login")
    refused = client.post("/login", data={"username": "clerk", "password": PASSWORD})
    assert refused.status_code == 400 and "did not come from this site" in refused.get_data(as_text=True)
    assert audit_rows(session_factory, "login") == []  # refused before any credential check
    login(client, "clerk")
    assert client.post("/logout").status_code == 400  # logged in, still needs the token
    token = csrf_token(client, "/")
    # The header form, as JSON calls send it.
    assert client.post("/logout", headers={"X-CSRFToken": token}).status_code == 302


def test_a_typed_trailing_slash_leads_to_the_page_and_nowhere_else(client: FlaskClient, session_factory,
                                                                   districts) -> None:
    make_user(session_factory, "pros", Role.PROSECUTOR, ["Peshawar"])
    login(client, "pros")
    for typed, meant in [("/calendar/", "/calendar"), ("/caselaw//", "/caselaw"),
                         ("/calendar/?view=week&start=2026-12-07", "/calendar?view=week&start=2026-12-07")]:
        response = client.get(typed)
        assert (response.status_code, response.headers["Location"]) == (308, meant), typed
        assert client.get(meant).status_code == 200
    assert client.get("/cases").status_code in (200, 308)  # Werkzeug's own direction is untouched
    # no route of that name, another method, or another host: a plain 404, never a redirect
    assert client.get("/no-such-page/").status_code == 404
    assert client.post("/calendar/", headers={"X-CSRFToken": csrf_token(client, "/")}).status_code == 404
    # a path typed with a leading "//" (the test client would read "//evil.example/" as a host)
    for raw in ("//evil.example/", "//calendar/"):
        response = client.get("/", environ_overrides={"PATH_INFO": raw})
        assert response.status_code in (404, 308), raw
        assert not response.headers.get("Location", "/").startswith("//"), raw


def test_security_headers_on_pages(client: FlaskClient) -> None:
    response = client.get("/login")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Cache-Control"] == "no-store"
    assert "Strict-Transport-Security" not in response.headers  # only when cookies are Secure (HTTPS)
    assert "<script>" not in response.get_data(as_text=True)  # no inline script


def test_secure_deployment_sends_hsts_and_host_prefixed_cookie(settings, engine, session_factory,
                                                              districts) -> None:
    from search_app import create_app
    from tests.integration.web_support import ensure_new_tables

    ensure_new_tables(engine)
    secure_app = create_app(settings.model_copy(update={"secure_cookies": True}))
    make_user(session_factory, "clerk", Role.DATA_ENTRY, ["Peshawar"])
    browser = secure_app.test_client()
    page = browser.get("/login", base_url="https://localhost")
    assert page.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert "__Host-cmms_session=" in page.headers["Set-Cookie"] and "Secure" in page.headers["Set-Cookie"]
    secure_app.extensions["cmms"].engine.dispose()


def test_upload_limit_from_settings(app: Flask) -> None:
    assert app.config["MAX_CONTENT_LENGTH"] == app.config["CMMS_SETTINGS"].max_upload_mb * 1024 * 1024


def _sample_url(rule: Rule) -> str:
    """A URL of ``rule`` with a value each converter accepts: one of an ``any(...)``'s items, 1 for a
    number, "x" otherwise (so the login gate, not the router, answers)."""
    values: dict[str, Any] = {}
    for argument, converter in rule._converters.items():
        if isinstance(converter, AnyConverter):
            values[argument] = sorted(converter.items)[0]
        elif isinstance(converter, NumberConverter) or "int" in type(converter).__name__.lower():
            values[argument] = 1
        else:
            values[argument] = "x"
    built = rule.build(values, append_unknown=False)
    assert built is not None, rule.rule
    return built[1]


def test_every_page_needs_login(app: Flask, client: FlaskClient) -> None:
    """Every route except login and static files sends an anonymous visitor to the login page (a
    calendar feed is reached by its own token instead: an unknown token is simply not found; the Urdu
    font is public and serves only its own files; the language switch is public and needs CSRF)."""
    checked = 0
    for rule in app.url_map.iter_rules():
        if rule.endpoint in ("auth.login", "static"):
            continue
        if rule.endpoint == "feeds.ical":
            assert client.get("/feeds/" + "x" * 43 + ".ics").status_code == 404
            continue
        if rule.endpoint == "language.font":  # public (the login page is set in it): only its own font files
            assert client.get("/fonts/x").status_code == 404
            assert client.get("/fonts/..%2Fcmms.css").status_code == 404
            continue
        url = _sample_url(rule)
        methods = sorted((rule.methods or set()) - {"HEAD", "OPTIONS"})
        method = "GET" if "GET" in methods else methods[0]
        response = client.open(url, method=method)
        if url.startswith("/api/"):
            assert response.status_code in (400, 401), url  # 400: POST refused by CSRF before anything
        elif method != "GET":
            assert response.status_code in (302, 400), url
        else:
            assert response.status_code == 302 and "/login" in response.headers["Location"], url
        checked += 1
    assert checked > 20


def test_anonymous_requests_store_no_session_row(client: FlaskClient, session_factory, districts) -> None:
    """Issue 8, kind 14: random URLs, redirects and the login form itself write no session row (the
    form's CSRF secret travels in a signed cookie); the first row is the logged-in session."""
    assert client.get("/no/such/page").status_code == 404
    assert client.get("/cases/").status_code == 302
    for _ in range(5):
        assert client.get("/login").status_code == 200
    with session_factory() as db:
        assert db.scalar(select(WebSession)) is None
    make_user(session_factory, "clerk", Role.DATA_ENTRY, ["Peshawar"])
    assert login(client, "clerk", "wrong password!!").status_code == 401
    with session_factory() as db:
        assert db.scalar(select(WebSession)) is None
    assert login(client, "clerk").status_code == 302
    with session_factory() as db:
        rows = list(db.scalars(select(WebSession)))
        assert len(rows) == 1 and rows[0].user_id is not None


def test_a_forged_anonymous_cookie_is_ignored(client: FlaskClient) -> None:
    client.set_cookie("cmms_session", "a.eyJjc3JmX3Rva2VuIjoieCJ9.bad.signature")
    page = client.get("/login")
    assert page.status_code == 200


def test_session_has_an_absolute_lifetime(client: FlaskClient, session_factory, districts) -> None:
    """Even an active session ends 12 h after login (CJIS IA-5, ASVS 7.3.2)."""
    make_user(session_factory, "clerk", Role.DATA_ENTRY, ["Peshawar"])
    login(client, "clerk")
    with session_factory() as db:
        db.execute(update(WebSession).values(created_at=utcnow() - timedelta(hours=12, minutes=1)))
        db.commit()
    assert client.get("/").status_code == 302


def test_change_own_password_needs_current_one_and_ends_other_sessions(
        client: FlaskClient, app: Flask, session_factory, districts) -> None:
    make_user(session_factory, "clerk", Role.DATA_ENTRY, ["Peshawar"])
    other_device = app.test_client()
    login(other_device, "clerk")
    login(client, "clerk")
    new = "my new long passphrase 77"
    wrong = post(client, "/account/password", {"current_password": "guess guess guess",
                                               "new_password": new, "confirm_password": new})
    assert wrong.status_code == 400 and "not correct" in wrong.get_data(as_text=True)
    short = post(client, "/account/password", {"current_password": PASSWORD, "new_password": "short",
                                               "confirm_password": "short"})
    assert short.status_code == 400 and "at least 12" in short.get_data(as_text=True)
    done = post(client, "/account/password", {"current_password": PASSWORD, "new_password": new,
                                              "confirm_password": new})
    assert done.status_code == 302
    assert client.get("/").status_code == 200  # this session continues with a new token
    assert other_device.get("/").status_code == 302  # the other one is ended
    assert login(app.test_client(), "clerk", new).status_code == 302
    assert [e.success for e in audit_rows(session_factory, "password_change")] == [False, True]


def test_many_failures_from_one_address_are_throttled(client: FlaskClient, session_factory,
                                                     districts, monkeypatch: pytest.MonkeyPatch) -> None:
    """Password spraying: one guess on many accounts never trips a per-account lock, so the address
    is refused after IP_FAILURE_LIMIT failures in the window (still the same generic message)."""
    from search_app.auth.login import IP_FAILURE_LIMIT

    make_user(session_factory, "clerk", Role.DATA_ENTRY, ["Peshawar"])
    for n in range(IP_FAILURE_LIMIT):
        login(client, f"someone{n}", "Password123456")
    refused = login(client, "clerk")  # right password, but from the spraying address
    assert refused.status_code == 401 and GENERIC in refused.get_data(as_text=True)
    assert audit_rows(session_factory, "login")[-1].detail["outcome"] == "throttled"
    # The audit trail cannot be back-dated (append-only): let the window pass instead.
    monkeypatch.setattr("search_app.auth.login.IP_FAILURE_WINDOW", timedelta(seconds=0))
    assert login(client, "clerk").status_code == 302
