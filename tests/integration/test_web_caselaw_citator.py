"""Citator warnings come from PUBLISHED citing judgments only, on the pages (``caselaw.network.warnings_for``)
and in search results (the index's warning, ``indexer.reindex._caselaw_facts``) alike; approving or
withdrawing the citing judgment queues the re-index of the judgments it cites, so search agrees.

The world (``web_world``): PLD 2019 SC 64 (published, Peshawar) and a Mardan judgment awaiting approval,
in which a librarian has confirmed "overruled" for PLD 2019 SC 64. ``pros_b`` (Mardan) reads both.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from sqlalchemy.orm import Session, sessionmaker

from config import Settings
from models import CaseLawCitation, CitationTreatment
from tests.integration.test_web_caselaw import post, reindex
from tests.integration.web_world import World, build_world, client_for, index_world

pytestmark = [pytest.mark.elasticsearch]

FLAG = "citator-overruled"


@pytest.fixture
def world(session_factory: sessionmaker[Session], settings: Settings, es: Any) -> World:
    built = build_world(session_factory, settings)
    with session_factory() as db:
        pending, cited = built.caselaw["pending"], built.caselaw["cited"]
        db.add(CaseLawCitation(citing_id=pending.id, cited_key="PLD 2019 SC 64", cited_id=cited.id))
        db.add(CitationTreatment(citing_id=pending.id, cited_key="PLD 2019 SC 64", treatment="overruled",
                                 confirmed_by_id=built.users["librarian_m"].id, suggested="", cue="", sentence=""))
        db.commit()
    index_world(session_factory, es, settings, built)
    return built


@pytest.fixture
def app(settings: Settings, world: World) -> Iterator[Flask]:
    from search_app import create_app

    application = create_app(settings)
    application.config["TESTING"] = True
    yield application


@pytest.fixture
def queued(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Document ids the app queues for re-indexing (what the worker would index)."""
    import jobs.enqueue

    ids: list[int] = []
    monkeypatch.setattr(jobs.enqueue, "enqueue_reindex_document", lambda _redis, document_id, *a, **k: ids.append(
        document_id))
    return ids


def _flags(client: Any, world: World) -> tuple[bool, bool]:
    """(the record page warns, the search hit warns) for PLD 2019 SC 64."""
    page = client.get(f"/caselaw/{world.caselaw['cited'].id}").get_data(as_text=True)
    results = client.get("/search", query_string={"q": "benefit"}).get_data(as_text=True)
    block = results.split(f'data-document-id="{world.docs["older"].id}"')[1].split("</li>")[0]
    return FLAG in page, FLAG in block


def test_a_treatment_warns_only_once_its_judgment_is_published(
    app: Flask, world: World, session_factory: sessionmaker[Session], settings: Settings, es: Any,
    queued: list[int],
) -> None:
    mardan = client_for(app, "pros_b")
    assert _flags(mardan, world) == (False, False)  # the citing judgment awaits approval: no warning anywhere
    librarian = client_for(app, "librarian_m")
    assert post(librarian, f"/caselaw/{world.caselaw['pending'].id}/approve", {}).status_code == 302
    assert world.docs["older"].id in queued  # the judgment it overrules is re-indexed
    reindex(session_factory, es, settings, *queued)
    assert _flags(mardan, world) == (True, True)
    assert _flags(client_for(app, "pros_a"), world) == (True, True)
    queued.clear()
    assert post(librarian, f"/caselaw/{world.caselaw['pending'].id}/withdraw", {}).status_code == 302
    assert world.docs["older"].id in queued
    reindex(session_factory, es, settings, *queued)
    assert _flags(mardan, world) == (False, False)
