"""The "find similar judgments" request body, built as plain data (no Elasticsearch needed)."""

from __future__ import annotations

import pytest

from search_app.search.request import Scope, SearchRequestError
from search_app.search.similar import (
    CANDIDATES,
    MAX_DESCRIPTION_CHARS,
    build_dense_candidates,
    build_fused_page,
    build_similar,
    build_text_candidates,
    description_query,
)


def test_description_is_one_bag_of_words_through_the_description_analyser() -> None:
    query = description_query("The deceased was poisoned by her husband over a dowry demand.")
    match = query["bool"]["should"][0]["match"]["text.facts"]
    assert match["analyzer"] == "cmms_description"
    assert match["query"].startswith("The deceased was poisoned")
    assert len(query["bool"]["should"]) == 1  # no statute named: no statute clause


def test_statutes_named_in_the_description_add_a_statute_clause() -> None:
    query = description_query("The accused was charged under section 302 PPC read with 34 PPC.")
    clauses = [c for c in query["bool"]["should"] if "constant_score" in c]
    assert len(clauses) == 1
    keys = clauses[0]["constant_score"]["filter"]["terms"]["statutes"]
    assert "PPC 302" in keys and "PPC 34" in keys


def test_build_similar_searches_case_law_only_collapsed_by_judgment() -> None:
    body = build_similar("land acquisition compensation enhanced by the reference court", Scope.everything(), 10)
    assert {"term": {"is_case_law": True}} in body["query"]["bool"]["filter"]
    assert body["collapse"]["field"] == "document_id"
    assert body["size"] == 10


@pytest.mark.parametrize(
    ("description", "size"),
    [("   ", 10), ("x" * (MAX_DESCRIPTION_CHARS + 1), 10), ("theft of a motorcycle", 0), ("theft", 101)],
)
def test_build_similar_refuses_bad_requests_with_a_message(description: str, size: int) -> None:
    with pytest.raises(SearchRequestError):
        build_similar(description, Scope.everything(), size)


DISTRICT_FILTER = {"bool": {"should": [{"terms": {"district_id": ["7"]}}, {"term": {"published": True}}]}}


def test_dense_candidates_go_through_the_same_scope_filter_as_the_text_query() -> None:
    scope = Scope.from_filter(DISTRICT_FILTER)
    text = build_text_candidates("poisoned tea", scope, exclude_document_id=5)
    dense = build_dense_candidates(["3", "9"], scope, exclude_document_id=5)
    page = build_fused_page("poisoned tea", ["9", "3"], scope, exclude_document_id=5)
    for body in (text, dense, page):
        query = body["query"]["bool"]
        assert DISTRICT_FILTER in query["filter"] and {"term": {"is_case_law": True}} in query["filter"]
        assert query["must_not"] == [{"term": {"document_id": "5"}}]
    assert {"terms": {"document_id": ["3", "9"]}} in dense["query"]["bool"]["filter"]
    assert "aggs" not in dense and dense["track_total_hits"] is False  # ids only, no count
    assert {"terms": {"document_id": ["9", "3"]}} in page["query"]["bool"]["filter"]
    assert "aggs" not in page and page["query"]["bool"]["minimum_should_match"] == 0
    assert text["size"] == CANDIDATES and text["collapse"] == {"field": "document_id"}
    assert text["query"] == build_similar("poisoned tea", scope, 10, exclude_document_id=5)["query"]
