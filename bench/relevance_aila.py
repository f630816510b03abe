"""Case-law ranking quality on AILA 2019 (FIRE): CMMS "find similar judgments" vs plain BM25.

    .venv/bin/python -m bench.relevance_aila [--quick] [--es-url URL] [--rebuild]
                                             [--queries FILE --qrels FILE]

The 2,914 AILA case documents (Indian Supreme Court judgments) are indexed as case law, page by page
(~2.5 KB pages, as CMMS stores judgments), with the CMMS mapping. Each query is a long fact
description. Both systems search the SAME index in the same run and rank judgments by their best
page (``collapse`` on document_id), top 1000 (trec_eval's default depth):
  * baseline: plain BM25, a ``match`` of the description on ``text.exact`` (standard tokenizer +
    lowercase: the standard analyser);
  * CMMS: ``search_app.search.similar.description_query`` (what "find similar judgments" sends);
  * ablations of the CMMS choices, so each one is kept only if it measurably helps;
  * reference: BM25 on whole judgments (one ES document per judgment, standard analyser).
Metrics (binary relevance, rel=1 lines of the qrels only, as trec_eval): MAP over the top 1000,
P@10 and nDCG@10, and the mean rank of the relevant judgments.

Which queries: by default the track's 10 TRAINING queries (Q1-Q10, 24 relevant judgments, 2.4 per
query), the only ones in ../shared/corpus/aila2019. The overview paper's figures (best MAP 0.149,
BM25 runs 0.077-0.134) are on the 40 TEST queries Q11-Q50 (4.3 relevant per query), which are far
easier for word overlap: the same whole-judgment BM25 that scores MAP ~0.007 on Q1-Q10 scores
~0.13 on Q11-Q50 (measured 2026-11-28 with the dataset's full Query_doc.txt and
relevance_judgments_priorcases.txt, passed with --queries/--qrels). When the query file holds
both, figures are printed per split. With 1-5 relevant judgments per query, differences of a
few points are noise; on Q1-Q10 no lexical system puts a relevant judgment in any top 10.
``--quick`` uses the first 5 queries.
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from elasticsearch import Elasticsearch

from bench.search_latency import BasePage, aila_documents, base_pages
from indexer.aliases import alias_targets, create_index, delete_indices, swap_alias
from indexer.bulk import BulkAction, BulkOptions, write
from indexer.documents import DocumentContext, PageEntities, PageIndexDoc
from search_app.search.ranking_metrics import average_precision, ndcg_at, parse_qrels, precision_at
from search_app.search.similar import description_query

REPO = Path(__file__).resolve().parent.parent
AILA = REPO.parent / "shared" / "corpus" / "aila2019"
PREFIX = "benchaila"
TOP_K = 1000  # trec_eval's default cut-off, as the track evaluated runs
DEPTH = 3000  # rank every judgment, for the mean rank of the relevant ones

BASELINE = "BM25 baseline (standard analyser)"
CMMS = "CMMS similar_case_law"

QueryBuilder = Callable[[str], dict[str, Any]]


TRAIN_QUERIES = AILA / "queries_train_Q1-Q10.txt"
TRAIN_QRELS = AILA / "relevance_judgments_priorcases_train_Q1-Q10.txt"


def load_queries(path: Path = TRAIN_QUERIES) -> dict[str, str]:
    """``AILA_Qn||<text>`` lines."""
    out: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if "||" in line:
            qid, text = line.split("||", 1)
            out[qid.strip()] = text.strip()
    return out


def load_qrels(path: Path = TRAIN_QRELS) -> dict[str, set[str]]:
    return parse_qrels(path.read_text(encoding="utf-8"))


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


Ranker = Callable[[str], list[str]]


@dataclass(frozen=True)
class Scores:
    """One system's figures over a set of queries."""

    map: float
    p10: float
    ndcg10: float
    mean_rank: float  # of the relevant judgments; an unretrieved one counts as DEPTH


def score(rankings: dict[str, list[str]], qrels: dict[str, set[str]]) -> Scores:
    """Mean figures over the queries in ``rankings`` (each with at least one relevant judgment, as
    trec_eval averages only over judged queries)."""
    ap: list[float] = []
    p10: list[float] = []
    nd: list[float] = []
    ranks: list[int] = []
    for qid, full in rankings.items():
        relevant = qrels[qid]
        ranking = full[:TOP_K]
        ap.append(average_precision(ranking, relevant))
        p10.append(precision_at(ranking, relevant))
        nd.append(ndcg_at(ranking, relevant))
        position = {doc: i for i, doc in enumerate(full, start=1)}
        ranks.extend(position.get(doc, DEPTH) for doc in relevant)
    n = max(1, len(rankings))
    return Scores(sum(ap) / n, sum(p10) / n, sum(nd) / n, sum(ranks) / max(1, len(ranks)))


def splits(qids: list[str]) -> dict[str, list[str]]:
    """All queries, plus the track's training (Q1-Q10) and test (Q11-Q50) splits when both occur: the
    overview paper's figures are on the test split only."""
    train = [q for q in qids if q.rsplit("Q", 1)[-1].isdigit() and int(q.rsplit("Q", 1)[-1]) <= 10]
    test = [q for q in qids if q not in train]
    if not train or not test:
        return {"all": qids}
    return {"all": qids, "train Q1-Q10": train, "test Q11-Q50": test}


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
        BASELINE: match("text.exact"),
        CMMS: description_query,
        "  ablation: english stem+stop+synonyms": match("text", "cmms_english_search"),
        "  ablation: english stem+stop (no legal stop)": match("text", "cmms_english"),
        "  ablation: + legal stopwords (description)": match("text", "cmms_description"),
        "  ablation: description, msm 10%": match("text", "cmms_description", "10%"),
        "  ablation: more_like_this 50 terms": mlt(50),
        "  ablation: more_like_this 150 terms": mlt(150),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="first 5 queries only")
    parser.add_argument("--es-url", default=os.environ.get("CMMS_ES_URL", "http://127.0.0.1:9200"))
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--queries", type=Path, default=TRAIN_QUERIES, help="AILA_Qn||text lines")
    parser.add_argument("--qrels", type=Path, default=TRAIN_QRELS, help="TREC qrels for those queries")
    args = parser.parse_args()
    es = Elasticsearch(args.es_url, request_timeout=300)
    es.cluster.health(wait_for_status="yellow", timeout="30s")
    started = time.perf_counter()
    alias = build_index(es, args.rebuild)
    build_full_document_index(es, args.rebuild)
    cardinality = {"d": {"cardinality": {"field": "document_id"}}}
    docs = int(es.search(index=alias, size=0, aggs=cardinality)["aggregations"]["d"]["value"])
    pages = int(es.count(index=alias)["count"])
    full_docs = int(es.count(index=FULL_DOCS)["count"])
    print(f"index {alias}: {docs} judgments, {pages} pages; {FULL_DOCS}: {full_docs} judgments "
          f"(ready in {time.perf_counter() - started:.0f} s)")
    qrels = load_qrels(args.qrels)
    queries = {q: t for q, t in load_queries(args.queries).items() if qrels.get(q)}
    if args.quick:
        queries = dict(list(queries.items())[:5])
    judged = sum(len(qrels[q]) for q in queries)
    print(f"{len(queries)} queries ({args.queries.name}), {judged} relevant judgments; MAP over top {TOP_K}")

    def page_ranker(build: QueryBuilder) -> Ranker:
        return lambda text: ranked(es, alias, build(text))

    rankers: dict[str, Ranker] = {name: page_ranker(build) for name, build in variants().items()}
    rankers["  reference: BM25 on whole judgments"] = lambda text: ranked_full_documents(es, text)
    rankings = {name: {q: rank(t) for q, t in queries.items()} for name, rank in rankers.items()}
    for split, qids in splits(list(queries)).items():
        print(f"\n[{split}: {len(qids)} queries, {sum(len(qrels[q]) for q in qids)} relevant]")
        print(f"{'system':<48} {'MAP':>6} {'P@10':>6} {'nDCG@10':>8} {'mean rank':>10}")
        results = {name: score({q: r[q] for q in qids}, qrels) for name, r in rankings.items()}
        for name, s in results.items():
            print(f"{name:<48} {s.map:6.4f} {s.p10:6.3f} {s.ndcg10:8.3f} {s.mean_rank:10.0f}")
        base, cmms = results[BASELINE], results[CMMS]
        print(f"CMMS vs BM25: MAP {cmms.map - base.map:+.4f}, P@10 {cmms.p10 - base.p10:+.3f}, "
              f"nDCG@10 {cmms.ndcg10 - base.ndcg10:+.3f}, mean rank of relevant "
              f"{cmms.mean_rank - base.mean_rank:+.0f} (of {docs}; random ~{docs // 2})")


if __name__ == "__main__":
    main()
