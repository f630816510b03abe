"""Fusing rankings: weighted reciprocal rank fusion (RRF).

Cormack, Clarke and Buettcher (SIGIR 2009): a result's fused score is the sum over the runs that
retrieved it of ``weight / (k + rank)``, ranks counted from 1. Only ranks are used, so runs whose scores
are on different scales (BM25, cosine) fuse without normalisation. "Find similar judgments" fuses the
``text.facts`` BM25 run (weight 1) with the page-vector run (weight ``DENSE_WEIGHT``) at ``RRF_K``:
the values the cross-validation folds chose on AILA 2019 (``bench.relevance_aila``), frozen since.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import TypeVar

RRF_K = 60
DENSE_WEIGHT = 0.25

Key = TypeVar("Key", bound=Hashable)


def weighted_rrf(runs: Sequence[tuple[Sequence[Key], float]], k: int = RRF_K) -> list[tuple[Key, float]]:
    """Fuse ranked runs, each ``(keys best first, weight)``, into [(key, fused score)], best first.

    A key repeated within a run counts at its first (best) rank. Ties in fused score keep the order in
    which the keys were first met, run by run (so a single run, or runs that are empty but one, come
    back in their own order). Raises ``ValueError`` for ``k < 1`` or a negative weight.
    """
    if k < 1:
        raise ValueError(f"k must be at least 1, not {k}")
    scores: dict[Key, float] = {}
    for keys, weight in runs:
        if weight < 0:
            raise ValueError(f"weights must not be negative, not {weight}")
        seen: set[Key] = set()
        for rank, key in enumerate(keys, start=1):
            if key in seen:
                continue
            seen.add(key)
            scores[key] = scores.get(key, 0.0) + weight / (k + rank)
    first_met = {key: i for i, key in enumerate(scores)}
    return sorted(scores.items(), key=lambda item: (-item[1], first_met[item[0]]))


def fuse_similar_scored(bm25: Sequence[Key], dense: Sequence[Key]) -> list[tuple[Key, float]]:
    """"Find similar judgments": the ``text.facts`` BM25 run (weight 1) and the page-vector run (weight
    ``DENSE_WEIGHT``) fused at ``RRF_K``, [(key, fused score)] best first (scores non-increasing). With no
    dense run the keys are the BM25 run itself."""
    return weighted_rrf([(bm25, 1.0), (dense, DENSE_WEIGHT)], RRF_K)


def fuse_similar(bm25: Sequence[Key], dense: Sequence[Key]) -> list[Key]:
    """``fuse_similar_scored`` without the scores: keys best first."""
    return [key for key, _ in fuse_similar_scored(bm25, dense)]
