"""The JSON API under /api/v1 and its OpenAPI 3 description, through the Flask test client against
real SQLite and the real Elasticsearch node."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from config import Settings
from models import Page
from tests.integration.web_world import World, build_world, client_for, csrf_from, index_world

pytestmark = [pytest.mark.elasticsearch]


@pytest.fixture
def world(session_factory: sessionmaker[Session], settings: Settings, es: Any) -> World:
    built = build_world(session_factory, settings)
    index_world(session_factory, es, settings, built)
    return built


@pytest.fixture
def app(settings: Settings, world: World) -> Iterator[Flask]:
    from search_app import create_app

    yield create_app(settings)


def test_openapi_document_needs_login_validates_and_covers_every_route(app: Flask) -> None:
    from openapi_spec_validator import validate

    anonymous = app.test_client().get("/api/v1/openapi.json")
    assert anonymous.status_code == 401 and anonymous.is_json and "error" in anonymous.get_json()
    spec = client_for(app, "pros_a").get("/api/v1/openapi.json").get_json()
    validate(spec)  # raises if it is not a valid OpenAPI 3 document
    assert spec["openapi"].startswith("3.")
    documented = {(path, method) for path, ops in spec["paths"].items() for method in ops}
    routed = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint.split(".")[0].startswith("api"):  # api and api_<area> blueprints
            path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule.removeprefix("/api/v1"))
            routed |= {(path, m.lower()) for m in rule.methods or () if m not in ("HEAD", "OPTIONS")}
    assert routed == documented


def test_api_search_returns_groups_facets_and_escaped_fragments(app: Flask, world: World) -> None:
    client = client_for(app, "pros_a")
    body = client.get("/api/v1/search", query_string={"q": "script"}).get_json()
    assert body["total_documents"] == 1 and body["took_ms"] >= 0
    group = body["groups"][0]
    assert group["document_id"] == world.docs["fir"].id and group["pages"][0]["page_no"] == 1
    fragment = " ".join(group["pages"][0]["fragments"])
    assert "&lt;<mark>script</mark>&gt;" in fragment and "<script" not in fragment
    assert {f["name"] for f in body["facets"]} >= {"doc_type", "district"}
    bad = client.get("/api/v1/search", query_string={"q": "x", "page_size": "500"})
    assert bad.status_code == 400 and bad.get_json()["error"]["code"] == "bad_request"


def test_api_documents_pages_cases_and_case_law_are_scoped(app: Flask, world: World) -> None:
    client = client_for(app, "pros_a")
    listed = client.get("/api/v1/documents").get_json()
    ids = {d["id"] for d in listed["items"]}
    assert world.docs["fir"].id in ids and world.docs["mardan"].id not in ids
    assert listed["total"] == len(ids)
    detail = client.get(f"/api/v1/documents/{world.docs['fir'].id}").get_json()
    assert [p["page_no"] for p in detail["pages"]] == [1, 2, 3]
    page = client.get(f"/api/v1/documents/{world.docs['fir'].id}/pages/1", query_string={"q": "pistol"})
    body = page.get_json()
    assert body["text"].startswith("The accused") and len(body["words"]) > 10
    assert [m["text"] for m in body["matches"]] == ["pistol."]
    assert client.get(f"/api/v1/documents/{world.docs['fir'].id}/pages/9").status_code == 404
    cases = client.get("/api/v1/cases").get_json()
    assert [c["id"] for c in cases["items"]] == [world.cases["gul_khan"].id]
    assert client_for(app, "pros_b").get(f"/api/v1/cases/{world.cases['gul_khan'].id}").status_code == 404
    law = client.get(f"/api/v1/caselaw/{world.caselaw['cited'].id}").get_json()
    assert [c["id"] for c in law["cited_by"]] == [world.caselaw["citing"].id]
    missing = client.get("/api/v1/documents/999999")
    assert missing.status_code == 404 and missing.get_json()["error"]["status"] == 404


def test_api_correction_needs_csrf_header_and_role(
    app: Flask, world: World, session_factory: sessionmaker[Session], redis_conn: Any
) -> None:
    fir = world.docs["fir"].id
    url = f"/api/v1/documents/{fir}/pages/1/correction"
    prosecutor = client_for(app, "pros_a")
    token = csrf_from(prosecutor.get("/search").get_data(as_text=True))
    assert prosecutor.put(url, json={"text": "x"}, headers={"X-CSRFToken": token}).status_code == 403
    clerk = client_for(app, "clerk")
    no_header = clerk.put(url, json={"text": "corrected"})
    assert no_header.status_code == 400 and no_header.get_json()["error"]["code"] == "csrf"
    token = csrf_from(clerk.get("/search").get_data(as_text=True))
    done = clerk.put(url, json={"text": "corrected page one"}, headers={"X-CSRFToken": token})
    assert done.status_code == 200 and done.get_json()["corrected"] is True
    with session_factory() as db:
        page = db.scalar(select(Page).where(Page.document_id == fir, Page.page_no == 1))
        assert page is not None and page.corrected_text == "corrected page one"
