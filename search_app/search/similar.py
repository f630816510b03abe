"""“Find judgments like these facts”: case-law search from a long fact description.

Descriptions are hundreds of words, so the search-box language (AND of every word, 64 clauses) does
not fit. The description is matched as one bag of words with a query-side analyser that also drops
words every judgment contains (``indexer/data/legal_stopwords.txt``); statutes named in it add an
exact-key boost.

The description is matched against ``text.facts``, the page text indexed with a BM25 for long
queries (k1 5, b 0.9: ``indexer.mappings.LONG_QUERY_SIMILARITY``). On AILA 2019 test queries Q11-Q50
(``bench.relevance_aila``, 2026-12-01): plain BM25 MAP 0.157; this query 0.180 with k1/b chosen on
those same queries (optimistic), 0.174-0.177 with k1/b chosen by 5-fold cross-validation and 0.175
chosen on the training queries Q1-Q10 - the honest figure, short of 0.18. Related judgments (from a
judgment, a search hit or a case) are the same query built from the judgment's facts or the case's FIR
facts and sections (``related_query``), the starting judgment left out.

Earlier measurements with ``bench.relevance_aila`` (2026-11-28), CMMS vs plain BM25 (standard analyser) on the
same page index, judgments ranked by their best page:
  * AILA 2019 test queries Q11-Q50 (the split the overview paper reports; passed with --queries/--qrels
    from the full dataset): MAP 0.157 vs 0.157, P@10 0.073 vs 0.058, nDCG@10 0.187 vs 0.180; the
    legal stop words are what helps (english analysis without them: MAP 0.150, P@10 0.058). Both are
    in the range of the track's best runs (MAP 0.149), so the harness is sound.
  * training queries Q1-Q10 (the default run): MAP 0.004 vs 0.003, no relevant judgment in any top 10
    for any lexical system (precedents there share a legal principle, not the facts' words).
Page vectors (``caselaw.page_vectors``, when built and ``caselaw_page_vectors`` is on): the BM25 run
and a dense run (judgments by their best page's doc2vec cosine) are fused by weighted reciprocal rank
(``search.fusion.fuse_similar``). The dense run ranks the whole collection in process, so its
candidates only reach the user through Elasticsearch queries that carry the viewer's scope filter
(``build_dense_candidates``, then ``build_fused_page``): a judgment outside the scope is never shown
nor counted. When the BM25 run is empty (nothing in the description matches a readable judgment) the
answer is empty too: the dense run ranks every judgment for any words, so it never rescues an empty
text run. Each judgment shown carries the fused score that ordered it; ``total_documents`` is the BM25
run's count (the judgments the description matches), never fewer than those shown. Without vectors the
results are exactly the BM25 ones. On AILA 2019 Q11-Q50 through this
path (``bench.relevance_aila``, 2026-12-02; recipe and fusion frozen from the third round, which chose
them after seeing these queries; only k1/b chosen in 5-fold CV): MAP 0.190 / 0.191 (folds mod 5 /
consecutive; vectors trained on the pages alone, as ``cmms page-vectors`` builds them) against 0.174 /
0.177 for the BM25 run alone and 0.157 for plain BM25 (gain over the BM25 run not significant on 40
queries; out of sample on the Pakistani corpus +0.011 MAP, significant); about 180 ms more per request
(``infer_vector`` of three models, two more scoped queries).

Not kept, because they did not help on the held-out split: more_like_this term selection (MAP
0.138-0.148), top-N IDF term selection, log-tf query weights, pseudo-relevance feedback, summing the
best 2-100 pages per judgment, a broader English stop list (+0.004 MAP, worse on Q1-Q10: noise).
"""

from __future__ import annotations

import time
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from elasticsearch import ApiError, Elasticsearch, TransportError

from i18n import N_
from indexer.page_tokens import query_tokens
from legalrefs import RefKind, find_references
from search_app.search.fusion import fuse_similar_scored
from search_app.search.query_builder import GROUP_SOURCE, JsonDict, highlight, scope_filter
from search_app.search.request import Scope, SearchRequest, SearchRequestError
from search_app.search.results import SearchResults
from search_app.search.service import SearchSettings, SearchUnavailableError, pages_alias, read_results, send

if TYPE_CHECKING:
    from caselaw.page_vectors import PageVectors

MAX_DESCRIPTION_CHARS = 20_000
# How many judgments each run offers the fusion. With RRF k 60 and dense weight 0.25 a judgment at text
# rank r can only enter the top 100 if 1/(60 + r) + 0.25/61 >= 1/160, i.e. r <= ~400.
CANDIDATES = 400


DESCRIPTION_FIELD = "text.facts"


def description_query(description: str, statutes: tuple[str, ...] = ()) -> JsonDict:
    """A fact description (and statute keys already known, e.g. a case's sections) as one scoring query."""
    should: list[JsonDict] = [
        {"match": {DESCRIPTION_FIELD: {"query": description, "analyzer": "cmms_description"}}},
    ]
    keys = sorted({k for r in find_references(description, [RefKind.STATUTE]) for k in r.keys} | set(statutes))
    if keys:
        should.append({"constant_score": {"filter": {"terms": {"statutes": keys}}, "boost": 2.0}})
    return {"bool": {"should": should, "minimum_should_match": 1}}


def _check(description: str, size: int) -> None:
    if not description.strip():
        raise SearchRequestError(N_("Describe the facts to find similar judgments."))
    if len(description) > MAX_DESCRIPTION_CHARS:
        raise SearchRequestError(N_("The description is too long (at most %(n)s characters)."), n=MAX_DESCRIPTION_CHARS)
    if not 1 <= size <= 100:
        raise SearchRequestError(N_("Ask for between 1 and 100 judgments."))


def _readable_case_law(scope: Scope, exclude_document_id: int | None) -> JsonDict:
    """The bool skeleton every "find similar" query shares: case law only, the viewer's scope filter,
    the starting judgment left out."""
    filters: list[Any] = [{"term": {"is_case_law": True}}]
    scoped = scope_filter(scope)
    if scoped is not None:
        filters.append(scoped)
    query: JsonDict = {"bool": {"filter": filters}}
    if exclude_document_id is not None:
        query["bool"]["must_not"] = [{"term": {"document_id": str(exclude_document_id)}}]
    return query


def build_similar(description: str, scope: Scope, size: int, statutes: tuple[str, ...] = (),
                  exclude_document_id: int | None = None) -> JsonDict:
    """The BM25 "find similar" request: judgments by their best page, ``size`` of them (1-100).
    Raises ``SearchRequestError`` (with a message for the user) for an empty or too long description
    or a size out of range."""
    _check(description, size)
    query = _readable_case_law(scope, exclude_document_id)
    query["bool"]["must"] = [description_query(description, statutes)]
    return {
        "query": query,
        "collapse": {"field": "document_id",
                     "inner_hits": {"name": "best_pages", "size": 1, "_source": ["page_no"],
                                    "highlight": highlight()}},
        "_source": GROUP_SOURCE,
        "size": size,
        "track_total_hits": True,
        "aggs": {"documents_total": {"cardinality": {"field": "document_id"}}},
        "timeout": "10s",
    }


def build_text_candidates(description: str, scope: Scope, statutes: tuple[str, ...] = (),
                          exclude_document_id: int | None = None, depth: int = CANDIDATES) -> JsonDict:
    """The BM25 run for fusion: the same scoped query as ``build_similar``, ``depth`` judgments, ids
    only, with the count of every matching judgment (``documents_total``)."""
    body = build_similar(description, scope, 1, statutes, exclude_document_id)
    body.update({"collapse": {"field": "document_id"}, "_source": ["document_id"], "size": depth})
    return body


def build_dense_candidates(document_ids: list[str], scope: Scope, exclude_document_id: int | None = None) -> JsonDict:
    """Which of the dense run's judgments the viewer may read: an ``ids``-style ``terms`` filter on
    ``document_id`` AND the scope filter the BM25 query carries (case law only, the starting judgment
    left out). No scoring, no count: only the readable ids come back."""
    query = _readable_case_law(scope, exclude_document_id)
    query["bool"]["filter"].append({"terms": {"document_id": document_ids}})
    return {"query": query, "collapse": {"field": "document_id"}, "_source": ["document_id"],
            "size": max(1, len(document_ids)), "track_total_hits": False, "timeout": "10s"}


def build_fused_page(description: str, document_ids: list[str], scope: Scope, statutes: tuple[str, ...] = (),
                     exclude_document_id: int | None = None) -> JsonDict:
    """The judgments the fusion put on the page, with their best page and highlights: only those ids,
    AND the scope filter again; the description scores the pages (so the best page is the best text
    match) but is not required, since a judgment may come from the dense run alone."""
    body = build_similar(description, scope, max(1, min(len(document_ids), 100)), statutes, exclude_document_id)
    query = body["query"]["bool"]
    query["filter"].append({"terms": {"document_id": document_ids}})
    query["should"] = query.pop("must")
    query["minimum_should_match"] = 0
    body.pop("aggs")
    return body


def _document_ids(response: dict[str, Any]) -> list[str]:
    return [str(h["_source"]["document_id"]) for h in response["hits"]["hits"]]


def _fused_case_law(
    es: Elasticsearch, settings: SearchSettings, vectors: PageVectors, description: str, scope: Scope, size: int,
    statutes: tuple[str, ...], exclude_document_id: int | None,
) -> SearchResults:
    started = time.perf_counter()
    index = pages_alias(settings)
    text_response = send(es, index, build_text_candidates(description, scope, statutes, exclude_document_id))
    text_ids = _document_ids(text_response)
    request = SearchRequest(page_size=min(size, 50))
    text_results = read_results(text_response, request)
    if not text_ids:
        # Nothing in the description matches any readable judgment (nonsense, or off-topic words): the
        # answer is nothing, as with the text ranking alone. The dense run ranks every judgment, so it
        # would otherwise "find" the whole collection for any words.
        return replace(text_results, total_documents=0, groups=())
    try:
        tokens = query_tokens(es, index, description)
    except (ApiError, TransportError) as exc:  # as send() does: "search is unavailable"
        raise SearchUnavailableError(str(exc)) from exc
    dense = [document_id for document_id, _ in vectors.rank(tokens, CANDIDATES)]
    readable: list[str] = []
    if dense:
        allowed = set(_document_ids(send(es, index, build_dense_candidates(dense, scope, exclude_document_id))))
        readable = [d for d in dense if d in allowed]
    fused = fuse_similar_scored(text_ids, readable)[:size]
    scores = dict(fused)
    shown = [document_id for document_id, _ in fused]
    page = read_results(send(es, index, build_fused_page(description, shown, scope, statutes, exclude_document_id)),
                        request)
    order = {document_id: i for i, document_id in enumerate(shown)}
    # each judgment carries the fused score that ordered it (not its page's BM25 score): non-increasing
    groups = tuple(replace(g, score=scores[str(g.document_id)])
                   for g in sorted((g for g in page.groups if str(g.document_id) in order),
                                   key=lambda g: order[str(g.document_id)]))
    # the judgments the description matches (the text run's count), never fewer than those shown
    total = max(text_results.total_documents, len(groups))
    took = int((time.perf_counter() - started) * 1000)
    return replace(page, groups=groups, total_documents=total, total_pages=text_results.total_pages, took_ms=took)


def similar_case_law(
    es: Elasticsearch, settings: SearchSettings, description: str, scope: Scope, size: int = 10,
    statutes: tuple[str, ...] = (), exclude_document_id: int | None = None, vectors: PageVectors | None = None,
) -> SearchResults:
    """Judgments (case law the user may read) whose text best matches a fact description, best first.
    ``statutes``: sections known beforehand (a case's); ``exclude_document_id``: the starting judgment;
    ``vectors``: the collection's page vectors, fused with the text ranking when given (None: the text
    ranking alone). Raises ``SearchRequestError`` for a bad request and ``SearchUnavailableError`` when
    Elasticsearch cannot answer. ``total_documents`` counts readable judgments only."""
    if vectors is not None:
        _check(description, size)
        return _fused_case_law(es, settings, vectors, description, scope, size, statutes, exclude_document_id)
    body = build_similar(description, scope, size, statutes, exclude_document_id)
    return read_results(send(es, pages_alias(settings), body), SearchRequest(page_size=min(size, 50)))
