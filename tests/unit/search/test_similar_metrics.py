"""Ranking-quality maths (used by ``bench.relevance_aila``) on toy rankings worked out by hand."""

from __future__ import annotations

import math

import pytest

from search_app.search.ranking_metrics import average_precision, ndcg_at, parse_qrels, precision_at

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
