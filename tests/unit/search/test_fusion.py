"""Weighted reciprocal rank fusion (pure): the fusion "find similar judgments" uses."""

from __future__ import annotations

import pytest

from search_app.search.fusion import DENSE_WEIGHT, RRF_K, fuse_similar, weighted_rrf


@pytest.mark.parametrize(
    ("runs", "k", "expected"),
    [
        # one run: its own order, scores 1/(k + rank)
        ([(["a", "b", "c"], 1.0)], 60, [("a", 1 / 61), ("b", 1 / 62), ("c", 1 / 63)]),
        # agreement wins: b is second in both runs, a first in one only
        ([(["a", "b"], 1.0), (["c", "b"], 1.0)], 1, [("b", 1 / 3 + 1 / 3), ("a", 1 / 2), ("c", 1 / 2)]),
        # a weight scales a run's contribution
        ([(["a"], 1.0), (["b"], 0.25)], 60, [("a", 1 / 61), ("b", 0.25 / 61)]),
        # a key repeated inside a run counts once, at its best rank
        ([(["a", "a", "b"], 1.0)], 60, [("a", 1 / 61), ("b", 1 / 63)]),
        # empty runs and no runs
        ([([], 1.0), ([], 0.25)], 60, []),
        ([], 60, []),
    ],
)
def test_weighted_rrf(runs: list[tuple[list[str], float]], k: int, expected: list[tuple[str, float]]) -> None:
    fused = weighted_rrf(runs, k)
    assert [key for key, _ in fused] == [key for key, _ in expected]
    assert [score for _, score in fused] == pytest.approx([score for _, score in expected])


def test_ties_keep_the_order_first_met() -> None:
    assert [k for k, _ in weighted_rrf([(["x", "y"], 1.0), (["y", "x"], 1.0)])] == ["x", "y"]
    assert [k for k, _ in weighted_rrf([(["y", "x"], 1.0), (["x", "y"], 1.0)])] == ["y", "x"]


@pytest.mark.parametrize(("runs", "k"), [([(["a"], 1.0)], 0), ([(["a"], -0.1)], 60)])
def test_bad_parameters_are_refused(runs: list[tuple[list[str], float]], k: int) -> None:
    with pytest.raises(ValueError, match="must"):
        weighted_rrf(runs, k)


def test_fuse_similar_is_the_text_run_itself_without_a_dense_run() -> None:
    text = [str(i) for i in range(500)]
    assert fuse_similar(text, []) == text


def test_fuse_similar_uses_the_frozen_recipe() -> None:
    assert (RRF_K, DENSE_WEIGHT) == (60, 0.25)
    # a judgment second by text and first by vectors passes the first by text alone
    assert fuse_similar(["a", "b", "c"], ["b"]) == ["b", "a", "c"]
    # one far down the text run is not lifted over the top by the dense run alone
    text = [str(i) for i in range(100)]
    assert fuse_similar(text, ["99"]).index("99") > 10
    # a dense-only judgment comes after text judgments it cannot outscore, but it does come
    assert fuse_similar(["a"], ["z"]) == ["a", "z"]


def test_fuse_similar_scored_gives_the_fused_scores_that_order_the_keys() -> None:
    from search_app.search.fusion import fuse_similar_scored

    fused = fuse_similar_scored(["a", "b", "c"], ["c", "z"])
    assert [key for key, _ in fused] == fuse_similar(["a", "b", "c"], ["c", "z"])
    scores = dict(fused)
    assert scores["a"] == 1 / (RRF_K + 1) and scores["z"] == DENSE_WEIGHT / (RRF_K + 2)
    assert scores["c"] == 1 / (RRF_K + 3) + DENSE_WEIGHT / (RRF_K + 1)
    assert [s for _, s in fused] == sorted((s for _, s in fused), reverse=True)
