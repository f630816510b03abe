"""Mappings, names and the pure parts of the bulk writer."""

from __future__ import annotations

from datetime import UTC, datetime

from indexer.bulk import BulkAction, BulkOptions, _item_outcome, chunks
from indexer.errors import BulkIndexError, ItemFailure, is_retryable
from indexer.mappings import document_mapping, index_body, legal_stopwords, legal_synonyms, page_mapping
from indexer.names import IndexNames

# Components that exist on the local node (project plugin) AND on stock ES 8/9.
ALLOWED_FILTERS = {"lowercase", "asciifolding", "stop", "stemmer", "synonym_graph", "decimal_digit",
                   "arabic_normalization", "persian_normalization"}


def test_mappings_are_strict() -> None:
    assert page_mapping()["dynamic"] == "strict"
    assert document_mapping()["dynamic"] == "strict"


def test_analysis_uses_only_available_components() -> None:
    analysis = index_body("pages")["settings"]["analysis"]
    custom_filters = analysis["filter"]
    for definition in custom_filters.values():
        assert definition["type"] in ALLOWED_FILTERS
    for analyzer in analysis["analyzer"].values():
        assert analyzer["tokenizer"] == "standard"
        for name in analyzer["filter"]:
            assert name in custom_filters or name in ALLOWED_FILTERS


def _types(properties: dict[str, object]) -> set[str]:
    out: set[str] = set()
    for definition in properties.values():
        assert isinstance(definition, dict)
        out.add(definition["type"])
        out |= _types(definition.get("fields", {}))
    return out


def test_field_types_need_no_mapper_extras() -> None:
    core = {"text", "keyword", "integer", "float", "date", "boolean"}
    assert _types(page_mapping()["properties"]) <= core
    assert _types(document_mapping()["properties"]) <= core


def test_local_settings_one_shard_no_replicas() -> None:
    settings = index_body("pages")["settings"]["index"]
    assert settings["number_of_shards"] == 1 and settings["number_of_replicas"] == 0


def test_text_fields_store_offsets_for_highlighting() -> None:
    props = page_mapping()["properties"]
    assert props["text"]["index_options"] == "offsets"
    assert props["text"]["fields"]["exact"]["index_options"] == "offsets"
    assert props["text_rtl"]["index_options"] == "offsets"
    assert props["document_id"]["type"] == "keyword"  # collapse needs keyword doc values


def test_synonyms_and_stopwords_come_from_data_files() -> None:
    rules = legal_synonyms()
    assert any(rule.startswith("fir,") for rule in rules)
    assert all(not rule.startswith("#") for rule in rules)
    assert "appellant" in legal_stopwords()


def test_index_names() -> None:
    names = IndexNames("cmms", 1)
    assert names.alias("pages") == "cmms-pages"
    assert names.initial("documents") == "cmms-documents-v1"
    stamp = datetime(2026, 11, 28, 10, 15, 0, 123456, tzinfo=UTC)
    assert names.rebuilt("pages", stamp) == "cmms-pages-v1-20261128t101500123456"


def _action(i: int, size: int = 10) -> BulkAction:
    return BulkAction("index", "ix", f"page-{i}", {"text": "x" * size})


def test_chunks_by_count_and_bytes() -> None:
    by_count = list(chunks((_action(i) for i in range(1050)), BulkOptions(chunk_size=500)))
    assert [len(c) for c in by_count] == [500, 500, 50]
    one = _action(0, 1000).size_bytes()
    by_bytes = list(chunks((_action(i, 1000) for i in range(10)), BulkOptions(max_chunk_bytes=one * 3)))
    assert [len(c) for c in by_bytes] == [3, 3, 3, 1]


def test_item_outcomes() -> None:
    index = _action(1)
    assert _item_outcome(index, {"index": {"status": 201}}) is None
    assert _item_outcome(index, {"index": {"status": 200}}) is None
    failure = _item_outcome(index, {"index": {"status": 400, "error": {
        "type": "strict_dynamic_mapping_exception", "reason": "mapping set to strict"}}})
    assert failure is not None and not failure.retryable and failure.doc_id == "page-1"
    delete = BulkAction("delete", "ix", "page-9")
    assert _item_outcome(delete, {"delete": {"status": 404}}) is None  # already gone = done


def test_retryable_statuses() -> None:
    assert is_retryable(429, "es_rejected_execution_exception")
    assert is_retryable(503, "unavailable_shards_exception")
    assert is_retryable(403, "cluster_block_exception")
    assert not is_retryable(403, "security_exception")
    assert not is_retryable(400, "mapper_parsing_exception")


def test_bulk_error_lists_every_failure() -> None:
    failures = [ItemFailure(f"page-{i}", "ix", 400, "mapper_parsing_exception", "bad") for i in range(7)]
    error = BulkIndexError(failures, succeeded=3)
    assert error.failures == failures and error.succeeded == 3 and not error.retryable
    assert "7 search-index item(s) failed" in str(error) and "and 2 more" in str(error)
