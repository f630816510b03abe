"""The generated authorization matrix (issue 8, kinds 1, 7, 12): every role x district x route of the URL
map, and every OpenAPI operation with an API token, checked against the permission table.

Nothing here lists routes by hand. For each user of ``authz_samples.MATRIX_USERS`` (every role in two
districts, plus a province-wide administrator) and each rule of ``app.url_map`` (every method but HEAD and
OPTIONS), the URL is filled from the sample registry in ``tests/integration/authz_samples.py`` (one builder
per URL-parameter NAME; see its docstring to register a new object type) and requested:

- a role without the endpoint's permission (``search_app/auth/permissions/*.toml``) gets exactly 403,
  and on ``/api/`` the documented error object with code ``forbidden``;
- a role with it never gets 403 nor a 5xx;
- for routes naming a district-scoped object, a district user asking for the OTHER district's object gets
  exactly the same answer (status and body) as for an object that does not exist: scope never leaks
  existence;
- the sealed-case dimension (issue 10): for routes naming an object of a case (the case, its documents and
  pages, hearings, link suggestions, its published judgment, deadlines, objections, witnesses, exhibits,
  persons), every user who may not see a sealed Peshawar case (its same-district prosecutor and clerk,
  everyone in Mardan) gets exactly the answer for a missing object, while its district's supervisor and the
  administrator read it like any other case.

Then every operation of the OpenAPI document is called the same way with each user's personal API token
(no cookie) and checked against the same expectations. New routes from any area are covered as soon as
they are in the URL map; a route with no rule fails ``tests/unit/web/test_policy.py`` and gets 403 here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from werkzeug.routing import Rule

from config import Settings
from models import utcnow
from search_app.auth.policy import AUTHENTICATED, PUBLIC, load_policy
from tests.integration.authz_samples import (
    MATRIX_USERS,
    SAMPLES,
    SEES_SEALED,
    MatrixWorld,
    SampleContext,
    build_matrix_world,
    sealed_value_for,
    value_for,
)
from tests.integration.web_world import csrf_from, index_world, login

pytestmark = [pytest.mark.elasticsearch, pytest.mark.slow]

SKIPPED_METHODS = {"HEAD", "OPTIONS"}
# Documented, operation-specific fields an error object may carry beside status, code and message
# (an invalid form's ``fields``, a scheduling clash's ``conflicts``).
EXTRA_ERROR_FIELDS = frozenset({"fields", "conflicts", "field"})
_TOKENS = re.compile(r'(name="csrf_token"[^>]*value="|<meta name="csrf-token" content=")[^"]+')
# A message flashed by the previous request shows on whichever page renders next.
_FLASHES = re.compile(r'<p class="flash[^"]*" role="status" dir="auto">.*?</p>', re.S)


@dataclass
class Tally:
    cells: int = 0
    refused: int = 0
    allowed: int = 0
    scope_pairs: int = 0
    sealed_pairs: int = 0
    sealed_visible: int = 0
    token_cells: int = 0
    guessed: set[str] = field(default_factory=set)
    failures: list[str] = field(default_factory=list)


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


def _url(app: Flask, rule: Rule, ctx: SampleContext, tally: Tally, missing: bool = False) -> tuple[str, bool]:
    values: dict[str, object] = {}
    scoped = False
    for name, converter in rule._converters.items():
        values[name], is_scoped = value_for(name, converter, ctx, missing)
        scoped |= is_scoped
        if name not in SAMPLES and not getattr(converter, "items", None):
            tally.guessed.add(name)
    with app.test_request_context():
        return rule.build(values, append_unknown=False)[1], scoped  # type: ignore[index]


def _sealed_url(app: Flask, rule: Rule, ctx: SampleContext) -> tuple[str, bool]:
    """The URL naming the sealed case's objects where the route has such a parameter, and whether it has."""
    values: dict[str, object] = {}
    sealed = False
    for name, converter in rule._converters.items():
        values[name], is_sealed = sealed_value_for(name, converter, ctx)
        sealed |= is_sealed
    with app.test_request_context():
        return rule.build(values, append_unknown=False)[1], sealed  # type: ignore[index]


def _normalised(body: bytes) -> str:
    text = _FLASHES.sub("", _TOKENS.sub(r"\1", body.decode("utf-8", "replace")))
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


def _difference(a: str, b: str) -> str:
    import difflib

    changed = [line for line in difflib.unified_diff(a.splitlines(), b.splitlines(), lineterm="", n=0)
               if line[:1] in "+-" and line[:3] not in ("+++", "---")]
    return " | ".join(changed)[:300]


class Browser:
    """A logged-in user's client; logs in again when a request ended the session (logout, ...)."""

    def __init__(self, app: Flask, username: str) -> None:
        self.app, self.username = app, username
        self.client: FlaskClient = app.test_client()
        self.logged_in: dict[str, Any] | None = None  # the first login's server-side session data
        self._login()

    logins = 0

    def _login(self) -> None:
        """Log in; an account the previous requests locked (wrong passwords typed on the confirmation
        page count against the lockout) is unlocked first, as an administrator would, and each login
        comes from a new loopback address (a fuzzer's failed logins would get one address throttled).

        The first login goes through the login form (and the one-time code). A request that ended the
        session (logout, password change, ...) is followed by a new session with what that login put in
        its session, as ``finish_login`` starts one: the password's Argon2 check (a fifth of a second
        on purpose) is not paid again for every logout the matrix and the fuzzer request."""
        from sqlalchemy import update

        from models import User

        with self.app.extensions["cmms"].session_factory() as db:
            db.execute(update(User).where(User.username == self.username)
                       .values(failed_logins=0, locked_until=None, is_active=True))
            db.commit()
        Browser.logins += 1
        self.client = self.app.test_client()
        self.client.environ_base["REMOTE_ADDR"] = f"127.0.{Browser.logins // 250}.{Browser.logins % 250 + 1}"
        if self.logged_in is None:
            login(self.client, self.username)
            self.logged_in = self._session_row().data
        else:
            self._new_session(self.logged_in)
        self.csrf = csrf_from(self.client.get("/account/security").get_data(as_text=True))

    def _session_row(self) -> Any:
        from models import WebSession
        from search_app.auth.sessions import hash_token

        cookie = self.client.get_cookie(self.app.session_interface.cookie_name)  # type: ignore[attr-defined]
        assert cookie is not None, f"{self.username}: no session cookie after logging in"
        with self.app.extensions["cmms"].session_factory() as db:
            row = db.get(WebSession, hash_token(cookie.value))
            assert row is not None and row.data.get("auth_at"), f"{self.username}: no authenticated session"
            return row

    def _new_session(self, data: dict[str, Any]) -> None:
        import secrets
        import time

        from models import User, WebSession
        from search_app.auth.sessions import hash_token

        token = secrets.token_urlsafe(32)
        with self.app.extensions["cmms"].session_factory() as db:
            user_id = db.scalars(select(User.id).where(User.username == self.username)).one()
            db.add(WebSession(token_hash=hash_token(token), user_id=user_id,
                              data={**data, "auth_at": int(time.time())},
                              ip_address=self.client.environ_base["REMOTE_ADDR"], user_agent="Werkzeug"))
            db.commit()
        self.client.set_cookie(self.app.session_interface.cookie_name, token)  # type: ignore[attr-defined]

    def request(self, method: str, url: str) -> Any:
        kwargs: dict[str, Any] = {}
        if method in ("POST", "PUT", "PATCH", "DELETE"):
            if url.startswith("/api/"):
                kwargs = {"json": {}, "headers": {"X-CSRFToken": self.csrf}}
            else:
                kwargs = {"data": {"csrf_token": self.csrf}}
        response = self.client.open(url, method=method, **kwargs)
        location = response.headers.get("Location", "")
        if "/login" in location and "/login/mfa" not in location:
            self._login()
        return response


def _expectation(rule_name: str, role_allowed: bool, response: Any, url: str, who: str) -> str | None:
    status = response.status_code
    if not role_allowed:
        if status != 403:
            return f"{who}: {url} ({rule_name}) answered {status}, expected 403"
        if url.startswith("/api/"):
            body = response.get_json(silent=True) or {}
            if body.get("error", {}).get("code") not in ("forbidden", "token_scope"):
                return f"{who}: {url} refusal is not the API error object: {body}"
        return None
    if status == 403 or status >= 500:
        return f"{who}: {url} ({rule_name}) answered {status} although the role holds {rule_name}"
    return None


def _allowed(user_role: str, rule_name: str | None) -> bool:
    if rule_name is None:
        return False
    if rule_name in (PUBLIC, AUTHENTICATED):
        return True
    return user_role in {str(r) for r in load_policy().roles_for(rule_name)}


def _cells(app: Flask) -> list[tuple[Rule, str]]:
    return sorted(((rule, method) for rule in app.url_map.iter_rules()
                   for method in sorted((rule.methods or set()) - SKIPPED_METHODS)),
                  key=lambda cell: (cell[1] != "GET", cell[0].rule))  # reads first, then writes


def test_every_role_district_and_route_follows_the_permission_table(app: Flask, matrix: MatrixWorld) -> None:
    policy = load_policy()
    tally = Tally()
    cells = _cells(app)
    for username, role, district in MATRIX_USERS:
        browser = Browser(app, username)
        own = district or "peshawar"
        other = "mardan" if own == "peshawar" else "peshawar"
        for rule, method in cells:
            rule_name = policy.rule_for(rule.endpoint)
            allowed = _allowed(str(role), rule_name)
            url, scoped = _url(app, rule, SampleContext(matrix, own, username), tally)
            response = browser.request(method, url)
            tally.cells += 1
            tally.allowed += allowed
            tally.refused += not allowed
            if (problem := _expectation(str(rule_name), allowed, response, url, f"{username} {method}")):
                tally.failures.append(problem)
            _check_sealed(app, browser, rule, method, matrix, username, response, tally)
            if not scoped or district is None:
                continue
            other_url, _ = _url(app, rule, SampleContext(matrix, other, username), tally)
            missing_url, _ = _url(app, rule, SampleContext(matrix, own, username), tally, missing=True)
            seen, absent = browser.request(method, other_url), browser.request(method, missing_url)
            tally.scope_pairs += 1
            if seen.status_code != absent.status_code or _normalised(seen.data) != _normalised(absent.data):
                tally.failures.append(
                    f"{username} {method} {other_url}: another district's object answers {seen.status_code}, "
                    f"a missing one {absent.status_code} {missing_url} (existence leaks): "
                    f"{_difference(_normalised(seen.data), _normalised(absent.data))}")
    print(f"\nauthorization matrix: {len({r.rule + m for r, m in cells})} route-methods x "
          f"{len(MATRIX_USERS)} users = {tally.cells} cells ({tally.allowed} allowed, {tally.refused} refused), "
          f"{tally.scope_pairs} out-of-district/missing pairs, {tally.sealed_pairs} sealed/missing pairs, "
          f"{tally.sealed_visible} sealed reads by those who may; guessed parameters: {sorted(tally.guessed)}")
    assert not tally.failures, "\n".join(tally.failures[:60])
    assert tally.refused > 100 and tally.scope_pairs > 50  # the matrix really ran
    assert tally.sealed_pairs > 100 and tally.sealed_visible > 10


def _check_sealed(app: Flask, browser: Browser, rule: Rule, method: str, matrix: MatrixWorld, username: str,
                  own: Any, tally: Tally) -> None:
    """The sealed-case dimension of one cell: for a user who may not see the sealed case, the sealed
    object answers exactly like a missing one; for its supervisor and the administrator it exists (GET: not
    a 404 where the Peshawar object, ``own``, already requested, is not one)."""
    sealed_url, sealed = _sealed_url(app, rule, SampleContext(matrix, "sealed", username))
    if not sealed:
        return
    if username in SEES_SEALED:
        if method != "GET":
            return
        seen = browser.request(method, sealed_url)
        tally.sealed_visible += 1
        if seen.status_code == 404 and own.status_code != 404:
            tally.failures.append(f"{username} GET {sealed_url}: the sealed case's object is missing for those who "
                                  f"may see it (the Peshawar one answers {own.status_code})")
        return
    missing_url, _ = _url(app, rule, SampleContext(matrix, "peshawar", username), Tally(), missing=True)
    seen, absent = browser.request(method, sealed_url), browser.request(method, missing_url)
    tally.sealed_pairs += 1
    if seen.status_code != absent.status_code or _normalised(seen.data) != _normalised(absent.data):
        tally.failures.append(
            f"{username} {method} {sealed_url}: a sealed case's object answers {seen.status_code}, a missing one "
            f"{absent.status_code} {missing_url} (the sealed case leaks): "
            f"{_difference(_normalised(seen.data), _normalised(absent.data))}")


def _api_token(app: Flask, username: str) -> str:
    from sqlalchemy import select

    from models import User
    from search_app.auth.tokens import create_token

    with app.extensions["cmms"].session_factory() as db:
        user = db.scalar(select(User).where(User.username == username))
        assert user is not None
        _row, text = create_token(db, user, "matrix", "write", 1, 1)
        db.commit()
        return text


def test_every_openapi_operation_follows_the_permission_table_with_api_tokens(
        app: Flask, matrix: MatrixWorld) -> None:
    from search_app.apidoc import openapi_document

    policy = load_policy()
    spec = openapi_document()
    adapter = app.url_map.bind("localhost")
    tally = Tally()
    operations = [(path, method.upper()) for path, ops in spec["paths"].items() for method in ops
                  if method in ("get", "put", "post", "patch", "delete")]
    for username, role, district in MATRIX_USERS:
        token = _api_token(app, username)
        client = app.test_client()  # no cookie: the token alone
        ctx = SampleContext(matrix, district or "peshawar", username)
        for path, method in operations:
            url = "/api/v1" + re.sub(r"\{(\w+)\}", lambda m, c=ctx: str(value_for(m.group(1), None, c)[0]), path)
            endpoint, _args = adapter.match(url, method=method)
            allowed = _allowed(str(role), policy.rule_for(endpoint))
            response = client.open(url, method=method, json={} if method != "GET" else None,
                                   headers={"Authorization": f"Bearer {token}"})
            tally.token_cells += 1
            if (problem := _expectation(str(policy.rule_for(endpoint)), allowed, response, url,
                                        f"{username} token {method}")):
                tally.failures.append(problem)
            if response.status_code >= 400:
                error = (response.get_json(silent=True) or {}).get("error", {})
                if (set(error) - EXTRA_ERROR_FIELDS != {"status", "code", "message"}
                        or error["status"] != response.status_code):
                    tally.failures.append(f"{username} {method} {url}: not the documented error object")
    print(f"\nOpenAPI operations: {len(operations)} x {len(MATRIX_USERS)} users = {tally.token_cells} token calls")
    assert not tally.failures, "\n".join(tally.failures[:60])
    assert utcnow()  # the matrix world's clock is the real one (tokens expire)
