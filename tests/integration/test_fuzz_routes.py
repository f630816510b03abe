"""Property-based fuzzing of every route and every OpenAPI operation (issue 8, kind 10): no input gives
a 5xx, and every API error is the documented error object.

Generated, not listed: the routes come from ``app.url_map`` and the operations from the OpenAPI document,
so a route added by any area is fuzzed as soon as it exists. For each route:

- path parameters come from their converter (ids anywhere in 0..2**70, so beyond 64 bits too, and the
  matrix world's real objects, a sealed case's among them; the choices of ``any(...)``), through
  ``authz_samples``;
- query and form fields are the names the view actually READ when it was first requested (the app's
  request class records every ``request.args``/``request.form`` key looked up), the names the OpenAPI
  document declares, and a few common ones; values are Hypothesis text plus known-hostile strings
  (9999-12-31, numbers past 64 bits, control characters, 499 "-" then "a", 100 chained NOTs, ...);
- POST forms carry a valid CSRF token (so the view itself runs), API writes a JSON body.

Users: a province-wide administrator (reaches every route) and a district prosecutor. ``CMMS_FUZZ_EXAMPLES``
sets the examples per route and user (default 10); the test prints how many requests it made.
"""

from __future__ import annotations

import os
import re
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask, Request, has_request_context, request
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session, sessionmaker
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.routing import Rule

from config import Settings
from tests.integration.authz_samples import (
    MatrixWorld,
    SampleContext,
    build_matrix_world,
    sealed_value_for,
    value_for,
)
from tests.integration.test_authorization_matrix import Browser
from tests.integration.web_world import index_world

pytestmark = [pytest.mark.elasticsearch, pytest.mark.slow]

EXAMPLES = int(os.environ.get("CMMS_FUZZ_EXAMPLES", "10"))
SKIPPED_METHODS = {"HEAD", "OPTIONS"}
COMMON_NAMES = ("q", "page", "start", "view", "next", "limit", "offset", "status", "case_id", "district", "from",
                "to", "year", "sort", "page_size", "filter", "court", "mine", "expired", "logged_out")
HOSTILE = (
    "9999-12-31", "0001-01-01", "2024-02-30", "99999999999999999999999", "-1", "0", "1e309", "NaN", "١٢٣",
    "/%09/evil.example/path", "//evil.example", "/\\evil", "/%0A/x", "\x00", "\r\n", "' OR 1=1 --", "%", "\\",
    "-" * 499 + "a", " ".join(["NOT"] * 100) + " murder", "(" * 50 + "a", '"' * 7, "section:", "fir:/",
    "<script>alert(1)</script>", "a" * 5000, "..", "true", "[]", "{}", "ﷺ", "\u202e", "PPC 302(b)",
)
READ_NAMES: dict[str, set[str]] = defaultdict(set)
# Documented, operation-specific fields an error object may carry beside status, code and message.
EXTRA_ERROR_FIELDS = frozenset({"fields", "conflicts", "field"})


class RecordingMultiDict(ImmutableMultiDict[str, str]):
    """request.args / request.form that remember which names the view looked up."""

    def _record(self, key: object) -> None:
        if has_request_context() and request.endpoint and isinstance(key, str):
            READ_NAMES[request.endpoint].add(key)

    def __getitem__(self, key: str) -> str:
        self._record(key)
        return super().__getitem__(key)

    def get(self, key: str, default: Any = None, type: Any = None) -> Any:
        self._record(key)
        return super().get(key, default, type)

    def getlist(self, key: str, type: Any = None) -> list[Any]:
        self._record(key)
        return super().getlist(key, type)

    def __contains__(self, key: object) -> bool:
        self._record(key)
        return super().__contains__(key)


class RecordingRequest(Request):
    parameter_storage_class = RecordingMultiDict


@pytest.fixture
def matrix(session_factory: sessionmaker[Session], settings: Settings, es: Any) -> MatrixWorld:
    world = build_matrix_world(session_factory, settings)
    index_world(session_factory, es, settings, world.base)
    return world


@pytest.fixture
def app(settings: Settings, matrix: MatrixWorld, redis_conn: Any) -> Iterator[Flask]:
    from search_app import create_app

    application = create_app(settings)
    application.request_class = RecordingRequest
    yield application
    application.extensions["cmms"].engine.dispose()


def _openapi_names() -> dict[str, set[str]]:
    from search_app.apidoc import openapi_document

    names: dict[str, set[str]] = defaultdict(set)
    for path, operations in openapi_document()["paths"].items():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                if parameter.get("in") == "query":
                    names["/api/v1" + path].add(parameter["name"])
    return names


values = st.one_of(st.text(max_size=40), st.sampled_from(HOSTILE), st.integers().map(str),
                   st.dates().map(lambda d: d.isoformat()))


def _path_strategy(rule: Rule, ctx: SampleContext, own_user_id: int) -> st.SearchStrategy[dict[str, object]]:
    parts: dict[str, st.SearchStrategy[object]] = {}
    for name, converter in rule._converters.items():
        known = value_for(name, converter, ctx)[0]
        # the sealed Peshawar case's object too (hidden from the prosecutor, read by the administrator)
        sealed = sealed_value_for(name, converter, SampleContext(ctx.world, "sealed", ctx.user))[0]
        if getattr(converter, "items", None):
            parts[name] = st.sampled_from(sorted(converter.items))
        elif type(converter).__name__ in ("IntegerConverter", "Int64Converter"):
            ints = st.integers(min_value=0, max_value=2**70)
            if name == "user_id":  # the fuzzing admin must not lock itself out
                ints = ints.filter(lambda n: n != own_user_id)
                known = ctx.world.victims[ctx.district]
            parts[name] = st.one_of(st.just(known), st.just(sealed), ints)
        else:
            parts[name] = st.one_of(st.just(known), st.text(min_size=1, max_size=20))
    return st.fixed_dictionaries(parts)


def _build(rule: Rule, path_values: dict[str, object]) -> str | None:
    """The path for ``path_values``, or None when the values cannot form one (then the route is not hit)."""
    path = rule.rule
    for name, value in path_values.items():
        text = str(value)
        if not text or ("/" in text and not rule.rule.endswith(f"<path:{name}>")):
            return None
        path = re.sub(rf"<(?:[^:<>]+:)?{name}>", lambda _m, t=text: t, path)
    return path.replace("%", "%25").replace("?", "%3F").replace("#", "%23")


def test_no_route_answers_5xx_to_any_parameter(app: Flask, matrix: MatrixWorld) -> None:
    openapi_names = _openapi_names()
    rules = sorted(((r, m) for r in app.url_map.iter_rules() for m in sorted((r.methods or set()) - SKIPPED_METHODS)),
                   key=lambda cell: (cell[1] != "GET", cell[0].rule))
    counter = [0]
    failures: list[str] = []
    for username in ("pros_a", "admin"):  # the administrator last: its writes change other accounts
        browser = Browser(app, username)
        ctx = SampleContext(matrix, matrix.user_district.get(username) or "peshawar", username)
        own_id = matrix.users[username].id
        for rule, method in rules:  # first pass: learn which parameters each view reads
            browser.request(method, _build(rule, {n: value_for(n, c, ctx)[0] for n, c in rule._converters.items()})
                            or "/")
        for rule, method in rules:
            names = sorted(READ_NAMES[rule.endpoint] | openapi_names.get(rule.rule, set()) | set(COMMON_NAMES)
                           - {"csrf_token"})
            fields = st.dictionaries(st.sampled_from(names), values, max_size=5)
            body = st.dictionaries(st.sampled_from([*names, "text"]), st.one_of(values, st.integers(), st.none()),
                                   max_size=4)

            fuzz = _fuzzer(browser, rule, method, _path_strategy(rule, ctx, own_id), fields, body, failures, counter)
            try:
                fuzz()
            except Exception as exc:  # recorded; go on so one run shows every failing route
                if not failures or rule.rule not in failures[-1]:
                    failures.append(f"{method} {rule.rule}: {type(exc).__name__}: {str(exc)[:300]}")
    print(f"\nfuzz: {len(rules)} route-methods x 2 users, {counter[0]} requests, {len(failures)} failures")
    assert not failures, "\n".join(sorted(set(failures))[:40])
    assert counter[0] > len(rules) * EXAMPLES  # it really ran


def _fuzzer(browser: Browser, rule: Rule, method: str, paths: st.SearchStrategy[dict[str, object]],
            fields: st.SearchStrategy[dict[str, str]], body: st.SearchStrategy[dict[str, Any]],
            failures: list[str], counter: list[int]) -> Any:
    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck), phases=(Phase.explicit, Phase.generate))
    @given(path_values=paths, query=fields, form=fields, json_body=body)
    def fuzz(path_values: dict[str, object], query: dict[str, str], form: dict[str, str],
             json_body: dict[str, Any]) -> None:
        path = _build(rule, path_values)
        if path is None:
            return
        counter[0] += 1
        if method == "GET":
            response = browser.client.open(path, method=method, query_string=query)
        elif path.startswith("/api/"):
            response = browser.client.open(path, method=method, json=json_body,
                                           headers={"X-CSRFToken": browser.csrf})
        else:
            response = browser.client.open(path, method=method, data={**form, "csrf_token": browser.csrf})
        location = response.headers.get("Location", "")
        if "/login" in location and "/login/mfa" not in location:
            browser._login()
        problem = _problem(path, method, response)
        if problem:
            failures.append(problem)
        assert problem is None, problem

    return fuzz


def _problem(path: str, method: str, response: Any) -> str | None:
    if response.status_code >= 500:
        return f"{method} {path}: {response.status_code}"
    if path.startswith("/api/") and response.status_code >= 400:
        error = (response.get_json(silent=True) or {}).get("error")
        if not isinstance(error, dict) or set(error) - EXTRA_ERROR_FIELDS != {"status", "code", "message"}:
            return f"{method} {path}: {response.status_code} without the documented error object"
    return None
