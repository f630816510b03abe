"""Highlight fragments leave the service as escaped HTML whose only tags are <mark>."""

from __future__ import annotations

import pytest

from search_app.search.request import SearchRequest
from search_app.search.results import safe_fragment
from search_app.search.service import read_results

FRAGMENTS = [
    # (what Elasticsearch returned with encoder=html, what we hand to the template)
    ("a <mark>murder</mark> case", "a <mark>murder</mark> case"),
    ("&lt;script&gt;alert(1)&lt;/script&gt; <mark>bail</mark>",
     "&lt;script&gt;alert(1)&lt;/script&gt; <mark>bail</mark>"),
    # A cluster that ignored the encoder: raw tags are escaped here anyway.
    ("<script>alert(1)</script> <mark>bail</mark>",
     "&lt;script&gt;alert(1)&lt;/script&gt; <mark>bail</mark>"),
    ("<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)&gt;"),
    ("Khan &amp; Sons", "Khan &amp; Sons"),
    ("O&#39;Neil \"quoted\"", "O&#39;Neil &#34;quoted&#34;"),
    ("<mark onclick=x>y</mark>", "&lt;mark onclick=x&gt;y</mark>"),
]


@pytest.mark.parametrize(("raw", "safe"), FRAGMENTS)
def test_safe_fragment(raw: str, safe: str) -> None:
    out = safe_fragment(raw)
    assert str(out) == safe
    assert "<script" not in out and "<img" not in out


def test_read_results_groups_pages_and_facets() -> None:
    response = {
        "took": 7, "timed_out": False,
        "hits": {"total": {"value": 5, "relation": "eq"}, "hits": [
            {"_score": 3.0, "_source": {"document_id": "12", "title": "State v. X", "doc_type": "judgment",
                                          "case_id": "4", "is_case_law": True},
             "inner_hits": {"best_pages": {"hits": {"hits": [
                 {"_score": 3.0, "_source": {"page_no": 2},
                  "highlight": {"text": ["&lt;b&gt; <mark>x</mark>"]}},
                 {"_score": 1.0, "_source": {"page_no": 5}},
             ]}}}},
        ]},
        "aggregations": {
            "documents_total": {"value": 2},
            "facet_district": {"buckets": [{"key": "Mardan", "doc_count": 4, "documents": {"value": 2}}]},
        },
    }
    results = read_results(response, SearchRequest(text="x", facets={"district": ("Mardan",)}))
    assert results.total_documents == 2 and results.total_pages == 5 and results.took_ms == 7
    group = results.groups[0]
    assert group.document_id == 12 and group.case_id == 4 and group.is_case_law
    assert [p.page_no for p in group.pages] == [2, 5]
    assert group.pages[0].fragments == ("&lt;b&gt; <mark>x</mark>",)
    assert group.pages[1].fragments == ()
    facet = results.facets[0]
    assert facet.name == "district" and facet.buckets[0].selected and facet.buckets[0].documents == 2
    assert results.to_json()["groups"][0]["pages"][0]["fragments"] == ["&lt;b&gt; <mark>x</mark>"]
