"""Case-law ranking quality on AILA 2019 (FIRE), training queries Q1-Q10: CMMS vs plain BM25.

    .venv/bin/python -m bench.relevance_aila [--quick] [--es-url URL] [--rebuild]

The 2,914 AILA case documents (Indian Supreme Court judgments) are indexed as case law, page by page
(~2.5 KB pages, as CMMS stores judgments), with the CMMS mapping. Each query is a long fact
description. Both systems search the SAME index in the same run and rank judgments by their best
page (``collapse`` on document_id), top 100:
  * baseline: plain BM25, a ``match`` of the description on ``text.exact`` (standard tokenizer +
    lowercase: the standard analyser);
  * CMMS: ``search_app.search.similar.description_query`` (what "find similar judgments" sends);
  * ablations of the CMMS choices, so each one is kept only if it measurably helps.
Metrics (binary relevance from relevance_judgments_priorcases_train_Q1-Q10.txt, as trec_eval):
MAP over the top 100, P@10 and nDCG@10. Only 1-5 relevant judgments per query: differences of a
few points are noise. ``--quick`` uses the first 5 queries.
"""

from __future__ import annotations

import argparse
import math
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from elasticsearch import Elasticsearch

from bench.search_latency import BasePage, aila_documents, base_pages
from indexer.aliases import alias_targets, create_index, delete_indices, swap_alias
from indexer.bulk import BulkAction, BulkOptions, write
from indexer.documents import DocumentContext, PageEntities, PageIndexDoc
from search_app.search.similar import description_query

REPO = Path(__file__).resolve().parent.parent
AILA = REPO.parent / "shared" / "corpus" / "aila2019"
PREFIX = "benchaila"
TOP_K = 100
DEPTH = 3000  # rank every judgment, for the mean rank of the relevant ones

QueryBuilder = Callable[[str], dict[str, Any]]


def load_queries() -> dict[str, str]:
    out: dict[str, str] = {}
    for line in (AILA / "queries_train_Q1-Q10.txt").read_text(encoding="utf-8").splitlines():
        if "||" in line:
            qid, text = line.split("||", 1)
            out[qid.strip()] = text.strip()
    return out


def load_qrels() -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for line in (AILA / "relevance_judgments_priorcases_train_Q1-Q10.txt").read_text().splitlines():
        parts = line.split()
        if len(parts) == 4 and parts[3] == "1":
            out.setdefault(parts[0], set()).add(parts[2])
    return out


def build_index(es: Elasticsearch, rebuild: bool) -> str:
    alias = f"{PREFIX}-pages"
    if alias_targets(es, alias) and not rebuild:
        return alias
    pages: list[BasePage] = [p for p in base_pages() if p.doc_key.startswith("C") and p.doc_key[1:].isdigit()]
    index = f"{PREFIX}-pages-v1-{int(time.time())}"
    create_index(es, index, "pages")

    def records() -> Any:
        for p in pages:
            context = DocumentContext(document_id=int(p.doc_key[1:]), title=p.doc_key, doc_type="judgment",
                                      district_id=None, district="", case_id=None, is_case_law=True)
            doc = PageIndexDoc(context, p.page_no, p.text, None, "eng", "text_layer", None,
                               PageEntities(statutes=p.statutes, citations=p.citations))
            yield BulkAction("index", index, doc.es_id, doc.to_source())

    write(es, records(), BulkOptions(chunk_size=1000))
    es.indices.refresh(index=index)
    delete_indices(es, swap_alias(es, alias, index))
    return alias


FULL_DOCS = f"{PREFIX}-fulldocs"


def build_full_document_index(es: Elasticsearch, rebuild: bool) -> None:
    """Reference only: whole judgments as single documents, default (standard) analyser. Shows whether
    splitting judgments into pages costs ranking quality."""
    if es.indices.exists(index=FULL_DOCS):
        if not rebuild:
            return
        es.indices.delete(index=FULL_DOCS)
    es.indices.create(index=FULL_DOCS, settings={"number_of_shards": 1, "number_of_replicas": 0},
                      mappings={"dynamic": "strict", "properties": {"text": {"type": "text"}}})
    write(es, (BulkAction("index", FULL_DOCS, key, {"text": text}) for key, text in aila_documents()),
          BulkOptions(chunk_size=200))
    es.indices.refresh(index=FULL_DOCS)


def ranked_full_documents(es: Elasticsearch, text: str) -> list[str]:
    response = es.search(index=FULL_DOCS, query={"match": {"text": text}}, size=DEPTH, source=False)
    return [h["_id"] for h in response["hits"]["hits"]]


def ranked(es: Elasticsearch, alias: str, query: dict[str, Any]) -> list[str]:
    body = {"query": {"bool": {"must": [query], "filter": [{"term": {"is_case_law": True}}]}},
            "collapse": {"field": "document_id"}, "_source": ["document_id"], "size": DEPTH}
    hits = es.search(index=alias, body=body)["hits"]["hits"]
    return [f"C{h['_source']['document_id']}" for h in hits]


def average_precision(ranking: list[str], relevant: set[str]) -> float:
    found, total = 0, 0.0
    for i, doc in enumerate(ranking, start=1):
        if doc in relevant:
            found += 1
            total += found / i
    return total / len(relevant) if relevant else 0.0


def ndcg10(ranking: list[str], relevant: set[str]) -> float:
    dcg = sum(1 / math.log2(i + 1) for i, d in enumerate(ranking[:10], start=1) if d in relevant)
    ideal = sum(1 / math.log2(i + 1) for i in range(1, min(10, len(relevant)) + 1))
    return dcg / ideal if ideal else 0.0


Ranker = Callable[[str], list[str]]


def evaluate(
    rank: Ranker, queries: dict[str, str], qrels: dict[str, set[str]]
) -> tuple[float, float, float, float]:
    """MAP (top 100), P@10, nDCG@10 and the mean rank of the relevant judgments (unretrieved = last)."""
    ap: list[float] = []
    p10: list[float] = []
    nd: list[float] = []
    ranks: list[int] = []
    for qid, text in queries.items():
        full = rank(text)
        ranking = full[:TOP_K]
        relevant = qrels.get(qid, set())
        ap.append(average_precision(ranking, relevant))
        p10.append(sum(1 for d in ranking[:10] if d in relevant) / 10)
        nd.append(ndcg10(ranking, relevant))
        position = {doc: i for i, doc in enumerate(full, start=1)}
        ranks.extend(position.get(doc, DEPTH) for doc in relevant)
    n = len(queries)
    return sum(ap) / n, sum(p10) / n, sum(nd) / n, sum(ranks) / max(1, len(ranks))


def variants() -> dict[str, QueryBuilder]:
    def match(field: str, analyzer: str | None = None, msm: str | None = None) -> QueryBuilder:
        def build(text: str) -> dict[str, Any]:
            clause: dict[str, Any] = {"query": text}
            if analyzer:
                clause["analyzer"] = analyzer
            if msm:
                clause["minimum_should_match"] = msm
            return {"match": {field: clause}}
        return build

    def mlt(terms: int) -> QueryBuilder:
        return lambda text: {"more_like_this": {
            "fields": ["text"], "like": text, "max_query_terms": terms, "min_term_freq": 1, "min_doc_freq": 2,
            "minimum_should_match": "10%", "analyzer": "cmms_description"}}

    return {
        "BM25 baseline (standard analyser)": match("text.exact"),
        "CMMS similar_case_law": description_query,
        "  ablation: english stem+stop+synonyms": match("text", "cmms_english_search"),
        "  ablation: english stem+stop (no legal stop)": match("text", "cmms_english"),
        "  ablation: + legal stopwords (description)": match("text", "cmms_description"),
        "  ablation: description, msm 10%": match("text", "cmms_description", "10%"),
        "  ablation: more_like_this 50 terms": mlt(50),
        "  ablation: more_like_this 150 terms": mlt(150),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="first 5 queries only")
    parser.add_argument("--es-url", default=os.environ.get("CMMS_ES_URL", "http://127.0.0.1:9200"))
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    es = Elasticsearch(args.es_url, request_timeout=300)
    es.cluster.health(wait_for_status="yellow", timeout="30s")
    started = time.perf_counter()
    alias = build_index(es, args.rebuild)
    cardinality = {"d": {"cardinality": {"field": "document_id"}}}
    docs = int(es.search(index=alias, size=0, aggs=cardinality)["aggregations"]["d"]["value"])
    pages = int(es.count(index=alias)["count"])
    print(f"index {alias}: {docs} judgments, {pages} pages (ready in {time.perf_counter() - started:.0f} s)")
    queries = load_queries()
    if args.quick:
        queries = dict(list(queries.items())[:5])
    qrels = load_qrels()
    judged = sum(len(qrels.get(q, ())) for q in queries)
    print(f"{len(queries)} queries, {judged} relevant judgments; top {TOP_K}")
    print(f"{'system':<48} {'MAP':>6} {'P@10':>6} {'nDCG@10':>8} {'mean rank':>10}")
    results: dict[str, tuple[float, float, float, float]] = {}
    def page_ranker(build: QueryBuilder) -> Ranker:
        return lambda text: ranked(es, alias, build(text))

    rankers: dict[str, Ranker] = {name: page_ranker(build) for name, build in variants().items()}
    build_full_document_index(es, args.rebuild)
    rankers["  reference: BM25 on whole judgments"] = lambda text: ranked_full_documents(es, text)
    for name, rank in rankers.items():
        results[name] = evaluate(rank, queries, qrels)
        m, p, n, r = results[name]
        print(f"{name:<48} {m:6.3f} {p:6.3f} {n:8.3f} {r:10.0f}")
    base, cmms = results["BM25 baseline (standard analyser)"], results["CMMS similar_case_law"]
    print(f"CMMS vs BM25: MAP {cmms[0] - base[0]:+.3f}, P@10 {cmms[1] - base[1]:+.3f}, "
          f"nDCG@10 {cmms[2] - base[2]:+.3f}, mean rank of relevant {cmms[3] - base[3]:+.0f} "
          f"(of {docs}; random ~{docs // 2})")


if __name__ == "__main__":
    main()
