""""Find similar" / related judgments with page vectors, on the real Elasticsearch node.

The world (``web_world``): published judgments PLD 2019 SC 64 (Peshawar, "older") and 2023 SCMR 100
(Mardan, "newer"), and one Mardan judgment awaiting approval ("pending"), which a Peshawar prosecutor
may not read. The page vectors rank the whole collection in process, pending judgment included; these
tests prove its candidates reach a user only through the scoped Elasticsearch queries, that the routes
return the fused ranking, and that without vectors the results are the text ranking's.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from caselaw.page_vectors import PageVectors, Recipe, load
from config import Settings
from indexer.page_tokens import build_page_vectors, query_tokens
from search_app import services
from search_app.search import Scope, SearchResults, similar_case_law
from search_app.search.fusion import DENSE_WEIGHT, RRF_K, fuse_similar
from search_app.search.service import pages_alias
from tests.integration.web_world import World, app, client_for, csrf_from, world

__all__ = ["app", "world"]  # the shared fixtures (web_world), bound here so pytest finds them

pytestmark = [pytest.mark.elasticsearch]

PENDING_TEXT = "Pending judgment of the Mardan bench on benefit of doubt in a robbery."
NO_WORD_IN_COMMON = "zqxv wkpt"  # matches no indexed word: the text run is empty
ONLY_IN_OLDER = "reported"  # a word of the older judgment only


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """The test settings with page vectors switched on (they are used once built)."""
    return settings.model_copy(update={"caselaw_page_vectors": True})


class FixedDense:
    """Stands in for ``PageVectors``: a fixed dense run, whatever the query (ids as strings)."""

    def __init__(self, document_ids: list[int]) -> None:
        self.ranking = [(str(d), 1.0 - i / 100) for i, d in enumerate(document_ids)]

    def rank(self, tokens: list[str], limit: int) -> list[tuple[str, float]]:
        return self.ranking[:limit]


def _ids(results: SearchResults) -> list[int]:
    return [g.document_id for g in results.groups]


def _html_ids(html: str) -> list[str]:
    return re.findall(r'class="result" data-document-id="(\d+)"', html)


def _similar_page(client: FlaskClient, facts: str) -> str:
    token = csrf_from(client.get("/caselaw").get_data(as_text=True))
    response = client.post("/caselaw/similar", data={"facts": facts, "csrf_token": token})
    assert response.status_code == 200
    return str(response.get_data(as_text=True))


def _built(settings: Settings, es: Any) -> PageVectors:
    build_page_vectors(es, pages_alias(settings), settings.page_vectors_dir, Recipe(min_count=1))
    vectors = load(settings.page_vectors_dir)
    assert vectors is not None
    return vectors


def test_a_judgment_outside_the_scope_never_surfaces_through_the_vectors(
    app: Flask, world: World, settings: Settings, es: Any,
) -> None:
    vectors = _built(settings, es)
    pending, older, newer = (world.docs[k].id for k in ("pending", "older", "newer"))
    dense = [int(d) for d, _ in vectors.rank(query_tokens(es, pages_alias(settings), PENDING_TEXT), 100)]
    assert pending in dense  # the vectors do offer it ...
    peshawar, mardan = client_for(app, "pros_a"), client_for(app, "pros_b")
    assert services(app).page_vectors() is not None
    # ... but a Peshawar prosecutor never sees it: not in the results, not in the count
    assert str(pending) not in _html_ids(_similar_page(peshawar, PENDING_TEXT))
    citing = world.caselaw["citing"].id
    api = peshawar.get(f"/api/v1/caselaw/{citing}/related").get_json()
    assert [i["document_id"] for i in api["items"]] == [older] and api["total"] == 1
    html = peshawar.get(f"/caselaw/{citing}/related").get_data(as_text=True)
    assert str(pending) not in _html_ids(html) and str(older) in _html_ids(html)
    # a Mardan prosecutor may read it, and gets it
    assert str(pending) in _html_ids(_similar_page(mardan, PENDING_TEXT))
    assert pending in [i["document_id"] for i in mardan.get(f"/api/v1/caselaw/{citing}/related").get_json()["items"]]
    assert newer not in [i["document_id"] for i in api["items"]]  # the starting judgment stays out


def test_the_fused_ranking_is_the_text_run_and_the_readable_dense_run_fused(
    world: World, settings: Settings, es: Any,
) -> None:
    vectors = _built(settings, es)
    scope = Scope.districts([world.districts["peshawar"].id])
    description = "benefit of doubt: the conviction for robbery was set aside"
    text = similar_case_law(es, settings, description, scope, size=10)
    fused = similar_case_law(es, settings, description, scope, size=10, vectors=vectors)
    dense = [d for d, _ in vectors.rank(query_tokens(es, pages_alias(settings), description), 100)]
    readable = [d for d in dense if int(d) != world.docs["pending"].id]
    expected = [int(d) for d in fuse_similar([str(i) for i in _ids(text)], readable)]
    assert _ids(fused) == expected and world.docs["pending"].id not in _ids(fused)
    # the judgments the description matches (the text run's count), not the fused list's length
    assert fused.total_documents == max(text.total_documents, len(expected))
    scores = [g.score for g in fused.groups]  # the fused scores that ordered them
    assert all(s is not None for s in scores) and scores == sorted(scores, reverse=True)  # type: ignore[type-var]
    assert all(g.pages for g in fused.groups)  # each shown with its best page


def test_dense_only_candidates_are_filtered_by_scope_in_the_route(
    app: Flask, world: World, settings: Settings, es: Any, monkeypatch: pytest.MonkeyPatch,
) -> None:
    pending, older, newer = (world.docs[k].id for k in ("pending", "older", "newer"))
    not_case_law = world.docs["fir"].id  # a Peshawar case file: never a "similar judgment"
    dense = FixedDense([pending, not_case_law, newer, older])
    monkeypatch.setattr(services(app), "page_vectors", lambda: dense)
    peshawar = client_for(app, "pros_a")
    # "reported" is in the older judgment only: the text run is [older], the dense run adds the rest, scoped
    assert _html_ids(_similar_page(peshawar, ONLY_IN_OLDER)) == [str(older), str(newer)]
    mardan_scope = Scope.districts([world.districts["mardan"].id])
    peshawar_scope = Scope.districts([world.districts["peshawar"].id])
    assert _ids(similar_case_law(es, settings, ONLY_IN_OLDER, mardan_scope, vectors=dense)) == [  # type: ignore[arg-type]
        older, pending, newer]
    results = similar_case_law(es, settings, ONLY_IN_OLDER, peshawar_scope, vectors=dense)  # type: ignore[arg-type]
    # one judgment matches the description; two are shown: the count is never below what is shown
    assert _ids(results) == [older, newer] and results.total_documents == 2
    # one shown of the three fused: the count is the text run's (one), not the fused list's length
    one = similar_case_law(es, settings, ONLY_IN_OLDER, mardan_scope, size=1, vectors=dense)  # type: ignore[arg-type]
    assert _ids(one) == [older] and one.total_documents == 1


def test_an_empty_text_run_finds_nothing_even_with_vectors(
    app: Flask, world: World, settings: Settings, es: Any, monkeypatch: pytest.MonkeyPatch,
) -> None:
    pending, older, newer = (world.docs[k].id for k in ("pending", "older", "newer"))
    dense = FixedDense([pending, newer, older])
    monkeypatch.setattr(services(app), "page_vectors", lambda: dense)
    scope = Scope.districts([world.districts["mardan"].id])
    results = similar_case_law(es, settings, NO_WORD_IN_COMMON, scope, vectors=dense)  # type: ignore[arg-type]
    assert _ids(results) == [] and results.total_documents == 0
    client = client_for(app, "pros_b")
    html = client.get("/caselaw/similar", query_string={"facts": NO_WORD_IN_COMMON}).get_data(as_text=True)
    assert _html_ids(html) == [] and "No related judgment found" in html
    token = csrf_from(client.get("/caselaw").get_data(as_text=True))
    api = client.post("/api/v1/caselaw/similar", json={"facts": NO_WORD_IN_COMMON}, headers={"X-CSRFToken": token})
    assert api.status_code == 200 and api.get_json() == {"total": 0, "items": []}


def test_the_api_scores_are_the_fused_ones_in_the_order_shown(
    app: Flask, world: World, monkeypatch: pytest.MonkeyPatch,
) -> None:
    pending, older, newer = (world.docs[k].id for k in ("pending", "older", "newer"))
    monkeypatch.setattr(services(app), "page_vectors", lambda: FixedDense([newer, pending, older]))
    client = client_for(app, "pros_b")
    token = csrf_from(client.get("/caselaw").get_data(as_text=True))
    items = client.post("/api/v1/caselaw/similar", json={"facts": ONLY_IN_OLDER},
                        headers={"X-CSRFToken": token}).get_json()["items"]
    assert [i["document_id"] for i in items] == [older, newer, pending]
    k, w = RRF_K, DENSE_WEIGHT
    assert [i["score"] for i in items] == pytest.approx([1 / (k + 1) + w / (k + 3), w / (k + 1), w / (k + 2)])
    citing = world.caselaw["citing"].id
    related = client.get(f"/api/v1/caselaw/{citing}/related").get_json()["items"]
    assert related and [i["score"] for i in related] == sorted((i["score"] for i in related), reverse=True)


@pytest.mark.parametrize("description", [
    "benefit of doubt in a murder conviction",
    PENDING_TEXT,
    "The accused Gul Khan was charged under section 302 PPC",
    NO_WORD_IN_COMMON,
])
def test_without_vectors_the_results_are_the_text_ones(
    app: Flask, world: World, settings: Settings, es: Any, description: str,
) -> None:
    assert services(app).page_vectors() is None  # switched on, but none built: text ranking alone
    scope = Scope.districts([world.districts["peshawar"].id])
    text = similar_case_law(es, settings, description, scope)
    empty_dense = similar_case_law(es, settings, description, scope, vectors=FixedDense([]))  # type: ignore[arg-type]
    assert _ids(empty_dense) == _ids(text) and empty_dense.total_documents == text.total_documents
    assert [g.pages[0].page_no for g in empty_dense.groups] == [g.pages[0].page_no for g in text.groups]
    shown = _html_ids(_similar_page(client_for(app, "pros_a"), description))
    assert shown == [str(i) for i in _ids(text)]


def test_cmms_page_vectors_builds_the_set_or_says_why_not(
    world: World, settings: Settings, es: Any, monkeypatch: pytest.MonkeyPatch,
) -> None:
    from click.testing import CliRunner

    from caselaw.page_vectors import read_manifest
    from cli.main import cli
    from config.settings import get_settings

    for name, value in {"CMMS_VAR_DIR": str(settings.var_dir), "CMMS_SECRET_KEY": settings.secret_key,
                        "CMMS_ES_URL": settings.es_url, "CMMS_ES_INDEX_PREFIX": settings.es_index_prefix}.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    try:
        # three one-line judgments: no word occurs 5 times, so the recipe has nothing to learn from
        refused = CliRunner().invoke(cli, ["page-vectors"])
        assert refused.exit_code == 1 and "too little text" in refused.output, refused.output
        assert read_manifest(settings.page_vectors_dir) is None
        from indexer import IndexNames
        from indexer.page_tokens import case_law_pages

        pages = list(case_law_pages(es, IndexNames.from_settings(settings).alias("pages")))
        assert sorted(int(p.document_id) for p in pages) == sorted(world.docs[k].id for k in ("older", "newer",
                                                                                                "pending"))
        assert all(p.tokens for p in pages) and "benefit" in pages[0].tokens + pages[1].tokens + pages[2].tokens
    finally:
        get_settings.cache_clear()


def test_the_stored_vectors_are_stale_once_the_case_law_changes(world: World, settings: Settings, es: Any) -> None:
    import json

    from caselaw.page_vectors import MANIFEST
    from indexer.page_tokens import stale_reason

    alias = pages_alias(settings)
    directory = settings.page_vectors_dir / "stale-check"
    assert stale_reason(es, alias, directory) == "none built yet"
    build_page_vectors(es, alias, directory, Recipe(min_count=1))
    assert stale_reason(es, alias, directory) is None  # built from what the index holds now
    path = directory / MANIFEST
    manifest = json.loads(path.read_text(encoding="utf-8"))
    assert manifest["source_pages"] == 3  # older, newer, pending: one page each
    path.write_text(json.dumps({**manifest, "source_pages": 2}), encoding="utf-8")  # as if built before one came
    assert stale_reason(es, alias, directory) == "3 case-law pages in the index, 2 when built"
    path.write_text(json.dumps({**manifest, "index": "cmms-pages-old"}), encoding="utf-8")  # before a reindex
    reason = stale_reason(es, alias, directory)
    assert reason is not None and reason.startswith("the search index was rebuilt (cmms-pages-old ->")


def test_rebuild_if_stale_builds_only_when_the_case_law_changed(
    world: World, settings: Settings, es: Any, caplog: pytest.LogCaptureFixture,
) -> None:
    import json
    import logging

    from caselaw.page_vectors import MANIFEST, PageVectorsError, read_manifest
    from indexer.page_tokens import rebuild_if_stale

    alias = pages_alias(settings)
    directory = settings.page_vectors_dir / "rebuild-check"
    with pytest.raises(PageVectorsError, match="too little text"):  # the default recipe: three one-line judgments
        rebuild_if_stale(es, alias, directory)
    assert read_manifest(directory) is None  # nothing written
    with caplog.at_level(logging.INFO, logger="indexer.page_tokens"):
        built = rebuild_if_stale(es, alias, directory, Recipe(min_count=1))
    assert "page vectors: rebuilding (none built yet)" in caplog.messages
    assert built is not None and built.source_pages == 3 and built.index == read_manifest(directory).index  # type: ignore[union-attr]
    path = directory / MANIFEST
    written = path.stat().st_mtime_ns
    assert rebuild_if_stale(es, alias, directory, Recipe(min_count=1)) is None  # still match: left alone
    assert path.stat().st_mtime_ns == written
    manifest = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps({**manifest, "source_pages": 2}), encoding="utf-8")  # as if built before one came
    rebuilt = rebuild_if_stale(es, alias, directory, Recipe(min_count=1))
    assert rebuilt is not None and rebuilt.source_pages == 3
    assert read_manifest(directory).source_pages == 3  # type: ignore[union-attr]


def test_the_page_vectors_program_checks_and_waits(
    world: World, settings: Settings, es: Any, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture,
) -> None:
    """``cmms page-vectors --every``, one turn of its loop at a time (``time.sleep`` stops it): too little
    case law waits the whole interval, vectors that still match are left alone, an Elasticsearch error
    looks again after ``RETRY_S``."""
    import logging

    from elasticsearch import Elasticsearch

    from caselaw.page_vectors import MANIFEST, read_manifest
    from cli import pipeline_commands

    class Slept(Exception):
        pass

    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        raise Slept

    monkeypatch.setattr(pipeline_commands.time, "sleep", sleep)
    with caplog.at_level(logging.INFO), pytest.raises(Slept):
        pipeline_commands._rebuild_page_vectors_forever(settings, es, 600)
    assert waits == [600] and any("too little text" in m for m in caplog.messages)
    assert read_manifest(settings.page_vectors_dir) is None
    _built(settings, es)
    written = (settings.page_vectors_dir / MANIFEST).stat().st_mtime_ns
    caplog.clear()
    with caplog.at_level(logging.INFO), pytest.raises(Slept):
        pipeline_commands._rebuild_page_vectors_forever(settings, es, 600)
    assert waits == [600, 600] and not any("page vectors" in m for m in caplog.messages)
    assert (settings.page_vectors_dir / MANIFEST).stat().st_mtime_ns == written
    down = Elasticsearch("http://127.0.0.1:1", request_timeout=2, max_retries=0)  # nothing listens there
    with pytest.raises(Slept):
        pipeline_commands._rebuild_page_vectors_forever(settings, down, 600)
    assert waits == [600, 600, pipeline_commands.RETRY_S]


def test_cmms_up_builds_the_sample_page_vectors_or_says_why_not(
    world: World, settings: Settings, es: Any, capsys: pytest.CaptureFixture[str],
) -> None:
    from caselaw.page_vectors import MANIFEST, read_manifest
    from cli.stack_commands import _sample_page_vectors

    _sample_page_vectors(settings)  # the default recipe: too little text in three one-line judgments
    assert "page vectors: not built yet (too little text" in capsys.readouterr().out
    assert read_manifest(settings.page_vectors_dir) is None
    _built(settings, es)
    written = (settings.page_vectors_dir / MANIFEST).stat().st_mtime_ns
    _sample_page_vectors(settings)  # still match: nothing to do, nothing said
    assert capsys.readouterr().out == ""
    assert (settings.page_vectors_dir / MANIFEST).stat().st_mtime_ns == written
