"""Ranking-quality measures for search benchmarks (binary relevance, as trec_eval computes them).

Pure functions, kept beside the search code so benchmarks (``bench.relevance_aila``) and unit tests
share one implementation of the maths.
"""

from __future__ import annotations

import math
import random
from collections.abc import Hashable, Mapping, Sequence, Set
from typing import TypeVar

K = TypeVar("K", bound=Hashable)


def average_precision(ranking: Sequence[str], relevant: Set[str]) -> float:
    """Mean of the precision at each relevant hit, divided by ALL relevant items (an unretrieved
    relevant item counts as precision 0), as trec_eval's ``map``."""
    found, total = 0, 0.0
    for i, doc in enumerate(ranking, start=1):
        if doc in relevant:
            found += 1
            total += found / i
    return total / len(relevant) if relevant else 0.0


def precision_at(ranking: Sequence[str], relevant: Set[str], k: int = 10) -> float:
    """Relevant items in the top ``k`` over ``k`` (a shorter ranking is not given credit for it)."""
    return sum(1 for d in ranking[:k] if d in relevant) / k


def ndcg_at(ranking: Sequence[str], relevant: Set[str], k: int = 10) -> float:
    """nDCG with binary gains and log2(rank + 1) discount."""
    dcg = sum(1 / math.log2(i + 1) for i, d in enumerate(ranking[:k], start=1) if d in relevant)
    ideal = sum(1 / math.log2(i + 1) for i in range(1, min(k, len(relevant)) + 1))
    return dcg / ideal if ideal else 0.0


def parse_qrels(text: str) -> dict[str, set[str]]:
    """TREC qrels lines ``qid iter docid rel``; only rel > 0 counts (AILA lists every judged pair,
    almost all with rel 0)."""
    out: dict[str, set[str]] = {}
    for line in text.splitlines():
        parts = line.split()
        if len(parts) == 4 and int(parts[3]) > 0:
            out.setdefault(parts[0], set()).add(parts[2])
    return out


def interleaved_folds(qids: Sequence[str], k: int) -> list[list[str]]:
    """``k`` folds, query i of ``qids`` (in the order given) into fold ``i mod k``."""
    if not 1 <= k <= len(qids):
        raise ValueError(f"cannot make {k} folds of {len(qids)} queries")
    return [list(qids[i::k]) for i in range(k)]


def contiguous_folds(qids: Sequence[str], k: int) -> list[list[str]]:
    """``k`` folds of consecutive queries (sizes differ by at most one)."""
    if not 1 <= k <= len(qids):
        raise ValueError(f"cannot make {k} folds of {len(qids)} queries")
    size, extra = divmod(len(qids), k)
    out: list[list[str]] = []
    start = 0
    for i in range(k):
        end = start + size + (1 if i < extra else 0)
        out.append(list(qids[start:end]))
        start = end
    return out


def best_setting(per_query: Mapping[K, Mapping[str, float]], qids: Sequence[str]) -> K:
    """The setting with the highest mean score over ``qids``; ties go to the first in ``per_query``'s
    order. ``per_query``: setting -> query id -> score (e.g. average precision)."""
    if not qids:
        raise ValueError("no queries to choose a setting on")
    return max(per_query, key=lambda s: sum(per_query[s][q] for q in qids) / len(qids))


def cross_validated_scores(per_query: Mapping[K, Mapping[str, float]],
                           folds: Sequence[Sequence[str]]) -> tuple[dict[str, float], list[K]]:
    """Each query's cross-validated score: the queries of each fold are scored with the setting chosen
    on the OTHER folds (``best_setting``), never on their own. Returns (query id -> score, in fold
    order; the setting chosen for each fold). A single fold has nothing to choose on: ``ValueError``."""
    if len(folds) < 2:
        raise ValueError("cross-validation needs at least two folds")
    scores: dict[str, float] = {}
    chosen: list[K] = []
    for i, fold in enumerate(folds):
        others = [q for j, f in enumerate(folds) if j != i for q in f]
        setting = best_setting(per_query, others)
        chosen.append(setting)
        scores.update((q, per_query[setting][q]) for q in fold)
    return scores, chosen


def cross_validated(per_query: Mapping[K, Mapping[str, float]],
                    folds: Sequence[Sequence[str]]) -> tuple[float, list[K]]:
    """Cross-validated mean score: each fold is scored with the setting chosen on the OTHER folds
    (``best_setting``), never on itself. Returns (mean over all queries of the folds, the setting
    chosen for each fold). A single fold has nothing to choose on: ``ValueError``."""
    scores, chosen = cross_validated_scores(per_query, folds)
    return sum(scores.values()) / len(scores), chosen


def bootstrap_interval(scores: Sequence[float], *, resamples: int = 10_000, confidence: float = 0.95,
                       seed: int = 0) -> tuple[float, float]:
    """Percentile bootstrap confidence interval of the MEAN of per-query ``scores`` (e.g. average
    precisions, so the interval is MAP's): ``resamples`` samples of ``len(scores)`` queries drawn
    with replacement (seeded, so a run is repeatable); returns the (1 - confidence) / 2 and
    (1 + confidence) / 2 quantiles of their means (nearest rank). For a paired comparison of two
    systems pass the per-query differences (``paired_differences``): an interval above 0 means the
    first system is better on these queries at that confidence. It describes the sampling of
    queries only, not of relevance judgments. Empty ``scores``, ``resamples`` < 1 or a confidence
    outside (0, 1): ``ValueError``."""
    if not scores:
        raise ValueError("no scores to resample")
    if resamples < 1:
        raise ValueError("resamples must be at least 1")
    if not 0 < confidence < 1:
        raise ValueError("confidence must lie strictly between 0 and 1")
    rng = random.Random(seed)
    n = len(scores)
    values = list(scores)
    means = sorted(sum(rng.choices(values, k=n)) / n for _ in range(resamples))
    tail = (1 - confidence) / 2

    def quantile(p: float) -> float:
        return means[min(resamples - 1, max(0, math.ceil(p * resamples) - 1))]

    return quantile(tail), quantile(1 - tail)


def paired_differences(first: Mapping[str, float], second: Mapping[str, float]) -> list[float]:
    """``first[q] - second[q]`` for every query of ``first`` (in its order); a query missing from
    ``second``: ``KeyError``. Feed to ``bootstrap_interval`` for a paired interval."""
    return [first[q] - second[q] for q in first]
