"""The local Elasticsearch node (esnode/) through the official Python client, as CMMS will use it.

Needs a running node: the test script starts one; by hand use
``python -m stack.elasticsearch start --home /tmp/es9250 --port 9250`` and ``CMMS_TEST_ES_URL=http://127.0.0.1:9250``.
Every analysis component our plugin registers is exercised through ``_analyze`` with its standard
Elasticsearch name and parameters, so the same index settings work on a stock cluster.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from elasticsearch import BadRequestError, Elasticsearch

pytestmark = pytest.mark.elasticsearch

ES_URL = os.environ.get("CMMS_TEST_ES_URL", "http://127.0.0.1:9200")

INDEX_SETTINGS: dict[str, Any] = {
    "number_of_shards": 1,
    "number_of_replicas": 0,
    "analysis": {
        "filter": {
            "english_stemmer": {"type": "stemmer", "language": "english"},
            "legal_synonyms": {
                "type": "synonym_graph",
                "synonyms": ["accused, suspect", "fir, first information report"],
            },
        },
        "normalizer": {"folded": {"type": "custom", "filter": ["lowercase", "asciifolding"]}},
        "analyzer": {
            "english_keep_cases": {"type": "english", "stem_exclusion": ["cases"], "stopwords": "_none_"},
            "cmms_index": {
                "type": "custom",
                "tokenizer": "standard",
                "filter": ["lowercase", "asciifolding", "english_stemmer"],
            },
            "cmms_search": {
                "type": "custom",
                "tokenizer": "standard",
                "filter": ["lowercase", "asciifolding", "english_stemmer", "legal_synonyms"],
            },
        },
    },
}

MAPPINGS: dict[str, Any] = {
    "properties": {
        "title": {"type": "text", "analyzer": "english"},
        "body": {"type": "text", "analyzer": "cmms_index", "search_analyzer": "cmms_search"},
        "court": {"type": "keyword"},
        "section": {"type": "keyword", "normalizer": "folded"},
        "decided": {"type": "date"},
    }
}

DOCS: list[dict[str, Any]] = [
    {
        "title": "Judgment in bail matter",
        "body": "The accused was granted bail by the learned judge.",
        "court": "Peshawar High Court",
        "section": "PPC-497",
        "decided": "2024-01-10",
    },
    {
        "title": "Appeal against conviction",
        "body": "Two murders were reported in the village of Muḥammad Khel.",
        "court": "Peshawar High Court",
        "section": "PPC-302",
        "decided": "2024-01-25",
    },
    {
        "title": "Revision petition",
        "body": "The first information report was lodged late at the police station.",
        "court": "Sessions Court Mardan",
        "section": "PPC-324",
        "decided": "2024-02-03",
    },
    {
        "title": "Acquittal",
        "body": "Prosecution witnesses contradicted each other about the weapon.",
        "court": "Sessions Court Mardan",
        "section": "PPC-302-Ü",
        "decided": "2024-02-20",
    },
    {
        "title": "Quashment of proceedings",
        "body": "Proceedings quashed for want of evidence.",
        "court": "Supreme Court",
        "section": "CrPC-561A",
        "decided": "2024-03-05",
    },
]


@pytest.fixture(scope="module")
def es_client() -> Iterator[Elasticsearch]:
    client = Elasticsearch(ES_URL, request_timeout=30)
    try:
        reachable = client.ping()
    except Exception as exc:  # any transport failure means the node is not usable
        pytest.fail(f"Elasticsearch is not reachable at {ES_URL}: {exc}")
    if not reachable:
        pytest.fail(
            f"Elasticsearch at {ES_URL} did not answer HEAD / (ping). Start it with "
            "`python -m stack.elasticsearch start --port 9250 --home /tmp/es9250` and set CMMS_TEST_ES_URL."
        )
    yield client
    client.close()


@pytest.fixture(scope="module")
def index(es_client: Elasticsearch) -> Iterator[str]:
    name = f"cmms-esnode-test-{uuid.uuid4().hex[:8]}"
    es_client.indices.create(index=name, settings=INDEX_SETTINGS, mappings=MAPPINGS)
    operations: list[dict[str, Any]] = []
    for number, doc in enumerate(DOCS, start=1):
        operations += [{"index": {"_index": name, "_id": str(number)}}, doc]
    result = es_client.bulk(operations=operations, refresh=True)
    assert not result["errors"], result
    yield name
    es_client.indices.delete(index=name)
    assert not es_client.indices.exists(index=name)


def test_ping_and_info(es_client: Elasticsearch) -> None:
    assert es_client.ping() is True
    info = es_client.info()
    assert info["version"]["number"].startswith("8.19.")
    assert info["version"]["build_flavor"] == "default"
    assert info["version"]["lucene_version"].startswith("9.")
    assert info["tagline"] == "You Know, for Search"
    assert info["cluster_uuid"] and info["cluster_uuid"] != "_na_"
    assert info["cluster_name"] == es_client.cluster.health()["cluster_name"]


def test_index_is_green_with_no_replicas(es_client: Elasticsearch, index: str) -> None:
    health = es_client.cluster.health(index=index, wait_for_status="green", timeout="10s")
    assert health["status"] == "green"
    assert health["active_shards"] == 1
    assert health["unassigned_shards"] == 0
    assert es_client.count(index=index)["count"] == len(DOCS)


def _search_body(es_client: Elasticsearch, index: str, text: str) -> list[tuple[str, list[str]]]:
    result = es_client.search(
        index=index,
        query={"match": {"body": text}},
        highlight={"fields": {"body": {}}},
    )
    return [(hit["_id"], hit["highlight"]["body"]) for hit in result["hits"]["hits"]]


def test_search_uses_synonyms_with_highlighting(es_client: Elasticsearch, index: str) -> None:
    # "suspect" is only a synonym of "accused" (search-time synonym_graph).
    hits = _search_body(es_client, index, "suspect")
    assert [doc_id for doc_id, _ in hits] == ["1"]
    assert "<em>accused</em>" in hits[0][1][0]
    # Multi-word synonym: "FIR" finds the phrase "first information report".
    fir_ids = [doc_id for doc_id, _ in _search_body(es_client, index, "FIR")]
    assert fir_ids == ["3"]


def test_search_uses_stemming_and_folding(es_client: Elasticsearch, index: str) -> None:
    hits = _search_body(es_client, index, "murdered")  # stems to "murder", like "murders"
    assert [doc_id for doc_id, _ in hits] == ["2"]
    assert "<em>murders</em>" in hits[0][1][0]
    folded = _search_body(es_client, index, "muhammad")  # indexed as "Muḥammad"
    assert [doc_id for doc_id, _ in folded] == ["2"]
    assert "<em>Muḥammad</em>" in folded[0][1][0]
    titles = es_client.search(index=index, query={"match": {"title": "judgments"}})["hits"]["hits"]
    assert [hit["_id"] for hit in titles] == ["1"]
    # The keyword normalizer (lowercase + asciifolding) applies to the term query too.
    sections = es_client.search(index=index, query={"term": {"section": "ppc-302-u"}})["hits"]["hits"]
    assert [hit["_id"] for hit in sections] == ["4"]


def test_terms_and_date_histogram_aggregations(es_client: Elasticsearch, index: str) -> None:
    result = es_client.search(
        index=index,
        size=0,
        aggs={
            "courts": {"terms": {"field": "court"}},
            "per_month": {"date_histogram": {"field": "decided", "calendar_interval": "month"}},
        },
    )
    courts = {b["key"]: b["doc_count"] for b in result["aggregations"]["courts"]["buckets"]}
    assert courts == {"Peshawar High Court": 2, "Sessions Court Mardan": 2, "Supreme Court": 1}
    months = [
        (b["key_as_string"][:7], b["doc_count"]) for b in result["aggregations"]["per_month"]["buckets"]
    ]
    assert months == [("2024-01", 2), ("2024-02", 2), ("2024-03", 1)]


# One row per registered component: (what, _analyze request, expected tokens).
ANALYZE_CASES: list[tuple[str, dict[str, Any], list[str]]] = [
    ("analyzer english", {"analyzer": "english", "text": "The Prosecutor's cases"}, ["prosecutor", "case"]),
    (
        "analyzer simple",
        {"analyzer": "simple", "text": "FIR No.123/2024 Peshawar"},
        ["fir", "no", "peshawar"],
    ),
    (
        "analyzer whitespace",
        {"analyzer": "whitespace", "text": "FIR No.123 Peshawar"},
        ["FIR", "No.123", "Peshawar"],
    ),
    ("analyzer keyword", {"analyzer": "keyword", "text": "Sessions Court Mardan"}, ["Sessions Court Mardan"]),
    ("analyzer stop", {"analyzer": "stop", "text": "The Court of Appeal"}, ["court", "appeal"]),
    (
        "tokenizer whitespace",
        {"tokenizer": "whitespace", "text": "bail  granted\tto-day"},
        ["bail", "granted", "to-day"],
    ),
    ("tokenizer keyword", {"tokenizer": "keyword", "text": "Bail granted"}, ["Bail granted"]),
    ("asciifolding", {"tokenizer": "whitespace", "filter": ["asciifolding"], "text": "Qureshí"}, ["Qureshi"]),
    (
        "asciifolding preserve_original",
        {
            "tokenizer": "whitespace",
            "filter": [{"type": "asciifolding", "preserve_original": True}],
            "text": "Qureshí",
        },
        ["Qureshi", "Qureshí"],
    ),
    (
        "stemmer english",
        {
            "tokenizer": "whitespace",
            "filter": [{"type": "stemmer", "language": "english"}],
            "text": "running murders",
        },
        ["run", "murder"],
    ),
    (
        "stemmer light_english",
        {
            "tokenizer": "whitespace",
            "filter": [{"type": "stemmer", "language": "light_english"}],
            "text": "appeals murders",
        },
        ["appeal", "murder"],
    ),
    (
        "stemmer minimal_english",
        {
            "tokenizer": "whitespace",
            "filter": [{"type": "stemmer", "language": "minimal_english"}],
            "text": "running murders",
        },
        ["running", "murder"],
    ),
    (
        "stemmer possessive_english",
        {
            "tokenizer": "whitespace",
            "filter": [{"type": "stemmer", "language": "possessive_english"}],
            "text": "court's orders",
        },
        ["court", "orders"],
    ),
    (
        "stemmer porter",
        {
            "tokenizer": "whitespace",
            "filter": [{"type": "stemmer", "language": "porter"}],
            "text": "hearings",
        },
        ["hear"],
    ),
    (
        "porter_stem",
        {"tokenizer": "whitespace", "filter": ["porter_stem"], "text": "convictions"},
        ["convict"],
    ),
    ("kstem", {"tokenizer": "whitespace", "filter": ["kstem"], "text": "convictions"}, ["conviction"]),
    (
        "word_delimiter_graph",
        {"tokenizer": "whitespace", "filter": ["word_delimiter_graph"], "text": "PPC-302 WiFi"},
        ["PPC", "302", "Wi", "Fi"],
    ),
    (
        "word_delimiter_graph catenate_words",
        {
            "tokenizer": "whitespace",
            "filter": [
                {"type": "word_delimiter_graph", "catenate_words": True, "generate_word_parts": False}
            ],
            "text": "Wi-Fi",
        },
        ["WiFi"],
    ),
    (
        "synonym_graph",
        {
            "tokenizer": "whitespace",
            "filter": ["lowercase", {"type": "synonym_graph", "synonyms": ["fir, first information report"]}],
            "text": "FIR lodged",
        },
        ["first", "fir", "information", "report", "lodged"],
    ),
    (
        "synonym",
        {
            "tokenizer": "whitespace",
            "filter": ["lowercase", {"type": "synonym", "synonyms": ["accused, suspect"]}],
            "text": "Accused",
        },
        ["accused", "suspect"],
    ),
    (
        "synonym lenient drops a stop-word rule",
        {
            "tokenizer": "whitespace",
            "filter": [
                "stop",
                {"type": "synonym", "lenient": True, "synonyms": ["the => article", "bail, surety"]},
            ],
            "text": "bail",
        },
        ["bail", "surety"],
    ),
    (
        "edge_ngram",
        {
            "tokenizer": "keyword",
            "filter": [{"type": "edge_ngram", "min_gram": 2, "max_gram": 4}],
            "text": "Mardan",
        },
        ["Ma", "Mar", "Mard"],
    ),
    (
        "unique",
        {"tokenizer": "whitespace", "filter": ["unique"], "text": "bail bail granted bail"},
        ["bail", "granted"],
    ),
    ("trim", {"tokenizer": "keyword", "filter": ["trim"], "text": "  Peshawar  "}, ["Peshawar"]),
    (
        "length",
        {
            "tokenizer": "whitespace",
            "filter": [{"type": "length", "min": 3, "max": 5}],
            "text": "a an the court appeal",
        },
        ["the", "court"],
    ),
    (
        "arabic_normalization",
        {"tokenizer": "whitespace", "filter": ["arabic_normalization"], "text": "أحمد"},
        ["احمد"],
    ),
    # Persian normalization folds Farsi yeh/keheh to the Arabic letters.
    (
        "persian_normalization",
        {"tokenizer": "whitespace", "filter": ["persian_normalization"], "text": "علی کتاب"},
        ["علي", "كتاب"],
    ),
    (
        "decimal_digit",
        {"tokenizer": "whitespace", "filter": ["decimal_digit"], "text": "٣٠٢ ۴۹۷"},
        ["302", "497"],
    ),
    (
        "elision",
        {"tokenizer": "whitespace", "filter": [{"type": "elision", "articles": ["l"]}], "text": "l'avion"},
        ["avion"],
    ),
    (
        "char_filter mapping",
        {
            "tokenizer": "keyword",
            "char_filter": [{"type": "mapping", "mappings": ["& => and"]}],
            "text": "Law & Order",
        },
        ["Law and Order"],
    ),
    (
        "char_filter html_strip",
        {
            "tokenizer": "standard",
            "char_filter": ["html_strip"],
            "text": "<p>Bail <b>granted</b> &amp; upheld</p>",
        },
        ["Bail", "granted", "upheld"],
    ),
]


@pytest.mark.parametrize(
    ("what", "request_body", "expected"), ANALYZE_CASES, ids=[c[0] for c in ANALYZE_CASES]
)
def test_analyze_component(
    es_client: Elasticsearch, what: str, request_body: dict[str, Any], expected: list[str]
) -> None:
    result = es_client.indices.analyze(**request_body)
    assert [token["token"] for token in result["tokens"]] == expected, what


def test_analyze_with_index_analyzers(es_client: Elasticsearch, index: str) -> None:
    result = es_client.indices.analyze(index=index, analyzer="cmms_search", text="Suspects in Muḥammad Khel")
    tokens = {token["token"] for token in result["tokens"]}
    # Rules are analysed by the chain before the synonym filter: "accused" became the stem "accus".
    assert {"suspect", "accus", "muhammad", "khel"} <= tokens
    keep = es_client.indices.analyze(index=index, analyzer="english_keep_cases", text="The cases hearings")
    assert [token["token"] for token in keep["tokens"]] == ["the", "cases", "hear"]
    normalized = es_client.indices.analyze(index=index, normalizer="folded", text="PPC-302-Ü")
    assert [token["token"] for token in normalized["tokens"]] == ["ppc-302-u"]


def test_synonyms_without_lenient_reject_bad_rules(es_client: Elasticsearch) -> None:
    with pytest.raises(BadRequestError):
        es_client.indices.analyze(
            tokenizer="whitespace",
            filter=["stop", {"type": "synonym", "synonyms": ["the => article"]}],
            text="the",
        )


def test_unknown_stemmer_language_is_rejected(es_client: Elasticsearch) -> None:
    with pytest.raises(BadRequestError):
        es_client.indices.analyze(
            tokenizer="whitespace", filter=[{"type": "stemmer", "language": "klingon"}], text="x"
        )
