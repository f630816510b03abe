"""Index settings and mappings for page-level and document-level records.

Why page-level: one Elasticsearch document per page keeps highlighting cheap (the facts file: highlight
cost grows with field length) and lets a hit point at the page to open. Document fields (title, case,
district, court...) are copied onto every page so one query filters, facets and collapses by document.

Analysis uses only components that exist both on the local node (project plugin) and on a stock
ES 8/9 cluster: ``standard`` tokenizer, ``lowercase``, ``stop``, ``asciifolding``, ``stemmer``,
``synonym_graph``, ``decimal_digit``, ``arabic_normalization``, ``persian_normalization``.

Production: raise ``number_of_replicas`` to 1 once a second node exists (one disk failure otherwise
loses the index; the database stays the system of record, so ``cmms index rebuild`` recovers it), keep
one primary shard until an index passes ~30-50 GB, keep ``index.translog.durability=request``.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

# Bump when a mapping or analyser changes incompatibly; the rebuild then creates ``-v<N>`` indices.
MAPPING_VERSION = 2

JsonDict = dict[str, Any]
DATA_DIR = Path(__file__).resolve().parent / "data"

# Local single node: 1 shard, no replicas (a replica could never be assigned on one node).
LOCAL_INDEX_SETTINGS: JsonDict = {
    "number_of_shards": 1,
    "number_of_replicas": 0,
    "refresh_interval": "1s",
    # OCR pages are short, but a pasted-in judgment can be long; stay at the ES default explicitly.
    "highlight.max_analyzed_offset": 1_000_000,
    # A rebuild may ask for deeper pages of collapsed results than the default window.
    "max_inner_result_window": 100,
}


def _data_lines(name: str) -> list[str]:
    text = (DATA_DIR / name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


@cache
def legal_synonyms() -> tuple[str, ...]:
    """Solr-format synonym rules from ``indexer/data/legal_synonyms.txt`` (inlined into the settings
    so no file has to be copied onto the Elasticsearch nodes)."""
    return tuple(_data_lines("legal_synonyms.txt"))


@cache
def legal_stopwords() -> tuple[str, ...]:
    return tuple(_data_lines("legal_stopwords.txt"))


def analysis() -> JsonDict:
    english_index = ["lowercase", "asciifolding", "cmms_possessive", "cmms_stop", "cmms_stem"]
    # Synonyms only at search time: rules can change without a reindex, and synonym_graph must not be
    # used at index time. Synonyms come before the stop filter: rules such as "homicide by mistake"
    # contain stop words, and the synonym parser refuses rules with holes in them.
    english_search = [
        "lowercase", "asciifolding", "cmms_possessive", "cmms_synonyms", "cmms_stop", "cmms_stem",
    ]
    return {
        "filter": {
            "cmms_possessive": {"type": "stemmer", "language": "possessive_english"},
            "cmms_stem": {"type": "stemmer", "language": "english"},
            "cmms_stop": {"type": "stop", "stopwords": "_english_"},
            "cmms_legal_stop": {"type": "stop", "stopwords": list(legal_stopwords())},
            "cmms_synonyms": {"type": "synonym_graph", "synonyms": list(legal_synonyms())},
        },
        "analyzer": {
            "cmms_english": {"type": "custom", "tokenizer": "standard", "filter": english_index},
            "cmms_english_search": {"type": "custom", "tokenizer": "standard", "filter": english_search},
            # Long fact descriptions: also drop words every judgment contains (query side only).
            "cmms_description": {
                "type": "custom", "tokenizer": "standard",
                "filter": ["lowercase", "asciifolding", "cmms_possessive", "cmms_stop", "cmms_legal_stop",
                           "cmms_stem"],
            },
            # Exact: no stemming, no stop words; folded so "Peshawar"/"PESHAWAR"/"Pèshawar" match.
            "cmms_exact": {
                "type": "custom", "tokenizer": "standard", "filter": ["lowercase", "asciifolding"],
            },
            # Urdu/Pashto: unify Arabic/Persian letter forms and digits (OCR mixes them).
            "cmms_rtl": {
                "type": "custom", "tokenizer": "standard",
                "filter": ["lowercase", "decimal_digit", "arabic_normalization", "persian_normalization"],
            },
        },
        "normalizer": {"cmms_lower": {"type": "custom", "filter": ["lowercase"]}},
    }


# "Find similar judgments" matches a fact description of hundreds of words against judgment pages.
# BM25 with a slower term-frequency saturation and stronger length normalisation than the default
# (k1 1.2, b 0.75) ranks precedents better for such long queries: measured on AILA 2019 with
# bench.relevance_aila (MAP on test queries Q11-Q50 0.157 -> 0.180 with k1/b picked on those queries;
# 0.174-0.177 when k1/b is chosen by cross-validation). Keyword searches keep the default on ``text``.
LONG_QUERY_SIMILARITY: JsonDict = {"cmms_long_query": {"type": "BM25", "k1": 5.0, "b": 0.9}}


def index_settings(extra: JsonDict | None = None) -> JsonDict:
    return {"index": {**LOCAL_INDEX_SETTINGS, "similarity": LONG_QUERY_SIMILARITY, **(extra or {})},
            "analysis": analysis()}


def _keyword(normalised: bool = False) -> JsonDict:
    return {"type": "keyword", "normalizer": "cmms_lower"} if normalised else {"type": "keyword"}


def _name_field() -> JsonDict:
    """Names typed into the search box (police station, court, judge, party): matched as text,
    faceted on the exact stored value."""
    return {"type": "text", "analyzer": "cmms_exact", "fields": {"keyword": {"type": "keyword"}}}


# Document-level fields copied onto every page record as well.
_SHARED_FIELDS: JsonDict = {
    "document_id": {"type": "keyword"},
    "title": {"type": "text", "analyzer": "cmms_english", "search_analyzer": "cmms_english_search",
              "fields": {"keyword": {"type": "keyword", "ignore_above": 300}}},
    "doc_type": _keyword(),
    "district_id": _keyword(),
    "district": _keyword(),
    "case_id": _keyword(),
    "case_number": _keyword(normalised=True),
    "fir_keys": _keyword(normalised=True),
    "police_station": _name_field(),
    "court": _name_field(),
    "case_stage": _keyword(),
    "is_case_law": {"type": "boolean"},
    "sealed": {"type": "boolean"},  # of a sealed case: casework/sealed.py, in auth/scope.py document_read_filter
    "citation": _keyword(normalised=True),
    # a judgment's every reported citation (main and parallel) and every case number (consolidated
    # appeals): citation and case-number queries read these; additive, so no version bump
    "reported_citations": _keyword(normalised=True),
    "case_numbers": _keyword(normalised=True),
    "judges": _name_field(),
    "parties": _name_field(),
    # each party's name key (ingest.names: "Gul Zaman" and "گل زمان" both "gl zmn"), so a name typed in
    # one script finds parties written in the other; the built-in standard analyser, so it can be
    # added to an existing index of this mapping version
    "party_keys": {"type": "text", "analyzer": "standard"},
    "decided_on": {"type": "date", "format": "strict_date"},
    "doc_date": {"type": "date", "format": "strict_date"},
    "year": {"type": "integer"},
    "created_at": {"type": "date"},
    # case law: its entry, whether a librarian published it province-wide (the scope filter reads
    # this), a citator warning (overruled/doubted) and how often the collection cites it.
    "caselaw_id": {"type": "keyword"},
    "published": {"type": "boolean"},
    "treatment_flag": {"type": "keyword"},
    "cited_by_count": {"type": "integer"},
}


def page_mapping() -> JsonDict:
    text_offsets = {"index_options": "offsets"}  # unified highlighter reads postings: no re-analysis
    return {
        "dynamic": "strict",
        "properties": {
            **_SHARED_FIELDS,
            "page_no": {"type": "integer"},
            "text": {
                "type": "text", "analyzer": "cmms_english", "search_analyzer": "cmms_english_search",
                **text_offsets,
                "fields": {
                    "exact": {"type": "text", "analyzer": "cmms_exact", **text_offsets},
                    # long fact descriptions ("find similar judgments"): no positions needed
                    "facts": {"type": "text", "analyzer": "cmms_english", "similarity": "cmms_long_query",
                              "index_options": "freqs"},
                },
            },
            # Urdu/Pashto pages: filled only when the page has Arabic-script text.
            "text_rtl": {"type": "text", "analyzer": "cmms_rtl", **text_offsets},
            # Machine text kept beside a person's correction (shown on request, not searched).
            "text_machine": {"type": "text", "index": False},
            "language": _keyword(),
            "source": _keyword(),
            "mean_confidence": {"type": "float"},
            "people": _keyword(),
            "orgs": _keyword(),
            "places": _keyword(),
            "statutes": _keyword(),
            "statute_sections": _keyword(normalised=True),
            "citations": _keyword(),
            "dates": {"type": "date", "format": "strict_date"},
        },
    }


def document_mapping() -> JsonDict:
    return {
        "dynamic": "strict",
        "properties": {
            **_SHARED_FIELDS,
            "page_count": {"type": "integer"},
            "status": _keyword(),
            "language": _keyword(),
            "statutes": _keyword(),
            "citations": _keyword(),
            "summary": {"type": "text", "analyzer": "cmms_english", "search_analyzer": "cmms_english_search"},
        },
    }


def index_body(kind: str) -> JsonDict:
    mapping = page_mapping() if kind == "pages" else document_mapping()
    return {"settings": index_settings(), "mappings": mapping}
