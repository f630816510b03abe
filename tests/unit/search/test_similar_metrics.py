"""Ranking-quality maths (used by ``bench.relevance_aila``) on toy rankings worked out by hand."""

from __future__ import annotations

import math

import pytest

from search_app.search.ranking_metrics import (
    average_precision,
    best_setting,
    bootstrap_interval,
    contiguous_folds,
    cross_validated,
    cross_validated_scores,
    interleaved_folds,
    ndcg_at,
    paired_differences,
    parse_qrels,
    precision_at,
)

RANKING = ["C5", "C1", "C7", "C2", "C9"]
RELEVANT = {"C1", "C2", "C404"}  # C404 never retrieved: it still counts in MAP's denominator


def test_average_precision_divides_by_all_relevant_not_only_retrieved() -> None:
    # hits at ranks 2 and 4: (1/2 + 2/4) / 3
    assert average_precision(RANKING, RELEVANT) == pytest.approx(1 / 3)


@pytest.mark.parametrize(
    ("ranking", "relevant", "expected"),
    [
        (["C1"], {"C1"}, 1.0),
        (["C2", "C1"], {"C1"}, 0.5),
        (["C2", "C3"], {"C1"}, 0.0),
        (["C1", "C2", "C3"], {"C1", "C3"}, (1 + 2 / 3) / 2),
    ],
)
def test_average_precision_table(ranking: list[str], relevant: set[str], expected: float) -> None:
    assert average_precision(ranking, relevant) == pytest.approx(expected)


def test_precision_at_10_counts_over_ten_even_when_fewer_are_returned() -> None:
    assert precision_at(RANKING, RELEVANT) == pytest.approx(0.2)
    assert precision_at(RANKING, RELEVANT, k=2) == pytest.approx(0.5)


def test_ndcg10_binary_gains() -> None:
    dcg = 1 / math.log2(3) + 1 / math.log2(5)
    ideal = 1 + 1 / math.log2(3) + 1 / math.log2(4)
    assert ndcg_at(RANKING, RELEVANT) == pytest.approx(dcg / ideal)
    assert ndcg_at(["C1", "C2", "C404"], RELEVANT) == pytest.approx(1.0)


def test_parse_qrels_keeps_only_positive_judgments() -> None:
    text = "AILA_Q1 Q0 C168 0\nAILA_Q1 Q0 C14 1\nAILA_Q2 Q0 C14 0\n\nAILA_Q3 Q0 C9 2\n"
    assert parse_qrels(text) == {"AILA_Q1": {"C14"}, "AILA_Q3": {"C9"}}


QIDS = ["Q1", "Q2", "Q3", "Q4", "Q5"]


def test_folds_cover_every_query_once() -> None:
    assert interleaved_folds(QIDS, 2) == [["Q1", "Q3", "Q5"], ["Q2", "Q4"]]
    assert contiguous_folds(QIDS, 2) == [["Q1", "Q2", "Q3"], ["Q4", "Q5"]]
    assert contiguous_folds(QIDS, 5) == [[q] for q in QIDS]
    with pytest.raises(ValueError):
        interleaved_folds(QIDS, 6)


# setting "a" is best on Q1-Q2, "b" on Q3-Q4: a choice made on the other fold is always the wrong one
PER_QUERY = {"a": {"Q1": 1.0, "Q2": 0.8, "Q3": 0.0, "Q4": 0.1},
             "b": {"Q1": 0.2, "Q2": 0.0, "Q3": 0.9, "Q4": 0.7}}


def test_cross_validation_never_chooses_on_the_fold_it_scores() -> None:
    mean, chosen = cross_validated(PER_QUERY, [["Q1", "Q2"], ["Q3", "Q4"]])
    assert chosen == ["b", "a"]
    assert mean == pytest.approx((0.2 + 0.0 + 0.0 + 0.1) / 4)
    assert best_setting(PER_QUERY, ["Q1", "Q2", "Q3", "Q4"]) == "a"  # hindsight would report 0.475


def test_cross_validation_needs_two_folds() -> None:
    with pytest.raises(ValueError):
        cross_validated(PER_QUERY, [["Q1", "Q2", "Q3", "Q4"]])


def test_cross_validated_scores_give_each_query_the_other_folds_choice() -> None:
    scores, chosen = cross_validated_scores(PER_QUERY, [["Q1", "Q2"], ["Q3", "Q4"]])
    assert chosen == ["b", "a"]
    assert scores == {"Q1": 0.2, "Q2": 0.0, "Q3": 0.0, "Q4": 0.1}


def test_bootstrap_of_identical_scores_is_a_zero_width_interval() -> None:
    assert bootstrap_interval([0.25] * 40) == pytest.approx((0.25, 0.25))


def test_bootstrap_of_an_always_positive_difference_lies_above_zero() -> None:
    better = {f"Q{i}": 0.1 + i / 100 for i in range(40)}
    worse = {q: ap - 0.05 - (int(q[1:]) % 3) / 100 for q, ap in better.items()}
    diffs = paired_differences(better, worse)
    assert min(diffs) > 0
    low, high = bootstrap_interval(diffs)
    assert 0.05 <= low < high <= 0.07  # every resampled mean lies between the smallest and largest difference


def test_bootstrap_interval_brackets_the_mean_and_is_repeatable() -> None:
    scores = [1.0] * 4 + [0.0] * 36  # a MAP of 0.1 carried by four queries, as on AILA
    low, high = bootstrap_interval(scores, seed=7)
    assert low < 0.1 < high
    assert 0.0 <= low <= 0.05 and 0.175 <= high <= 0.25  # binomial(40, 0.1): sd of the mean ~0.047
    assert bootstrap_interval(scores, seed=7) == (low, high)
    assert bootstrap_interval(scores, confidence=0.5, seed=7)[1] < high


@pytest.mark.parametrize(("kwargs", "scores"), [({}, []), ({"resamples": 0}, [1.0]), ({"confidence": 1.0}, [1.0])])
def test_bootstrap_refuses_what_it_cannot_resample(kwargs: dict[str, float], scores: list[float]) -> None:
    with pytest.raises(ValueError):
        bootstrap_interval(scores, **kwargs)  # type: ignore[arg-type]
