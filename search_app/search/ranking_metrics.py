"""Ranking-quality measures for search benchmarks (binary relevance, as trec_eval computes them).

Pure functions, kept beside the search code so benchmarks (``bench.relevance_aila``) and unit tests
share one implementation of the maths.
"""

from __future__ import annotations

import math
from collections.abc import Sequence, Set


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
