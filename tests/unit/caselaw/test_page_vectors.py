"""Page vectors (``caselaw.page_vectors``) on a small made-up collection: training, ranking by best
page, determinism, the stored set and its manifest. Pure: no Elasticsearch (tokens are given)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest

from caselaw.page_vectors import (
    MANIFEST,
    PageTokens,
    PageVectors,
    PageVectorsError,
    PageVectorStore,
    Recipe,
    load,
    read_manifest,
    save,
    train,
)

# Three topics of made-up words; judgment "1" has a page on each of two topics, the others one topic.
TOPICS = {
    "poison": ["arsenic", "tea", "poison", "deceas", "husband", "dowri", "kitchen", "vomit", "doctor", "postmortem"],
    "land": ["land", "mutat", "inherit", "revenu", "patwari", "khasra", "acr", "suit", "possess", "tenant"],
    "bail": ["bail", "surety", "bond", "remand", "custodi", "magistr", "releas", "arrest", "warrant", "hear"],
}
SMALL = Recipe(min_count=1)


def _page(document_id: str, page_no: int, topic: str, n: int = 60) -> PageTokens:
    words = TOPICS[topic]
    return PageTokens(document_id, page_no, tuple(words[(i * 7 + page_no) % len(words)] for i in range(n)))


PAGES = [_page("1", 1, "poison"), _page("1", 2, "land"), _page("2", 1, "land"), _page("2", 2, "land"),
         _page("3", 1, "bail"), _page("4", 1, "bail"), _page("4", 2, "bail"), PageTokens("5", 1, ())]


@pytest.fixture(scope="module")
def vectors() -> PageVectors:
    return train(PAGES, "cmms-pages-v1", SMALL)


def test_ranks_every_judgment_with_text_once_best_first(vectors: PageVectors) -> None:
    ranked = vectors.rank(list(TOPICS["bail"]), 10)
    assert sorted(d for d, _ in ranked) == ["1", "2", "3", "4"]  # "5" has no text: no vector
    scores = [s for _, s in ranked]
    assert scores == sorted(scores, reverse=True) and all(-1.0 <= s <= 1.0 for s in scores)
    assert len(vectors.rank(list(TOPICS["bail"]), 2)) == 2


def test_a_judgment_scores_as_its_best_page_mean_cosine_over_the_models(vectors: PageVectors) -> None:
    query = list(TOPICS["poison"])
    per_model = vectors.query_vectors(query)
    assert len(per_model) == 3 and all(abs(float(np.linalg.norm(v)) - 1) < 1e-5 for v in per_model)
    pages = sum(m @ q for m, q in zip(vectors._matrices, per_model, strict=True)) / 3
    rows = [vectors.training_documents[i] for i in sorted(range(len(vectors.training_documents)),
                                                           key=lambda i: vectors.training_documents[i])]
    best = {d: max(float(pages[i]) for i, r in enumerate(rows) if r == d) for d in set(rows)}
    assert dict(vectors.rank(query, 10)) == pytest.approx(best, abs=1e-5)


def test_the_same_query_always_gets_the_same_ranking(vectors: PageVectors) -> None:
    query = list(TOPICS["land"])
    first = vectors.rank(query, 10)
    vectors.rank(list(TOPICS["bail"]), 10)  # another query in between moves no shared state
    assert vectors.rank(query, 10) == first


@pytest.mark.parametrize("tokens", [[], [""]])
def test_a_query_without_tokens_ranks_nothing(vectors: PageVectors, tokens: list[str]) -> None:
    assert vectors.rank(tokens, 10) == []


def test_training_the_same_pages_again_gives_the_same_vectors(vectors: PageVectors) -> None:
    again = train(PAGES, "cmms-pages-v1", SMALL)
    for first, second in zip(vectors._matrices, again._matrices, strict=True):
        assert np.allclose(first, second)


def test_no_pages_with_text_or_no_frequent_word_is_an_error() -> None:
    with pytest.raises(PageVectorsError, match="no case-law pages"):
        train([PageTokens("9", 1, ())], "cmms-pages-v1", SMALL)
    with pytest.raises(PageVectorsError, match="too little text"):
        train([PageTokens("9", 1, ("rare", "words"))], "cmms-pages-v1", Recipe())


def test_manifest_says_what_was_built(vectors: PageVectors) -> None:
    manifest = vectors.manifest
    assert manifest.recipe["seeds"] == [13, 14, 15]  # as JSON has it, before and after a save
    assert (manifest.recipe["vector_size"], manifest.recipe["epochs"], manifest.recipe["dm"]) == (100, 10, 0)
    assert (manifest.pages, manifest.documents, manifest.extra_texts) == (7, 4, 0)
    assert manifest.index == "cmms-pages-v1" and manifest.built_at.endswith("+00:00")
    assert len(manifest.seconds_per_model) == 3


def test_extra_texts_train_but_are_never_ranked() -> None:
    with_queries = train(PAGES, "cmms-pages-v1", SMALL, extra_texts=[list(TOPICS["poison"])])
    assert with_queries.manifest.extra_texts == 1
    assert {d for d, _ in with_queries.rank(list(TOPICS["poison"]), 100)} == {"1", "2", "3", "4"}


def test_a_stored_set_loads_and_ranks_the_same(vectors: PageVectors, tmp_path: Path) -> None:
    directory = save(vectors, tmp_path / "page-vectors")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["page-vectors"]  # no staging left behind
    loaded = load(directory)
    assert loaded is not None
    assert loaded.manifest == vectors.manifest
    query = list(TOPICS["poison"])
    assert loaded.rank(query, 10) == vectors.rank(query, 10)
    save(vectors, directory)  # replacing a set in place
    assert read_manifest(directory) == vectors.manifest


def test_nothing_stored_is_none_and_an_other_format_is_an_error(vectors: PageVectors, tmp_path: Path) -> None:
    assert load(tmp_path / "missing") is None and read_manifest(tmp_path / "missing") is None
    directory = save(vectors, tmp_path / "pv")
    raw = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
    (directory / MANIFEST).write_text(json.dumps({**raw, "format_version": 99}), encoding="utf-8")
    with pytest.raises(PageVectorsError):
        load(directory)


def test_the_store_loads_once_and_again_after_a_rebuild(vectors: PageVectors, tmp_path: Path) -> None:
    store = PageVectorStore(tmp_path / "pv")
    assert store.current() is None  # nothing built yet: callers rank by text alone
    save(vectors, store.directory)
    first = store.current()
    assert first is not None and store.current() is first
    save(train(PAGES[:5], "cmms-pages-v2", SMALL), store.directory)
    os.utime(store.directory / MANIFEST, (1, 1))  # a new manifest, even within the clock's resolution
    rebuilt = store.current()
    assert rebuilt is not None and rebuilt is not first and rebuilt.manifest.index == "cmms-pages-v2"
