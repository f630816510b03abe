"""The Elasticsearch request body is plain data: checked here without Elasticsearch."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

from casework.sealed import SealedAccess, sealed_clause
from search_app.search.query_builder import build_query, build_search, highlight, scope_filter
from search_app.search.query_parser import parse
from search_app.search.request import FACET_FIELDS, Scope, SearchRequest, SearchRequestError
from search_app.search.similar import build_similar


def _body(text: str, scope: Scope, **kwargs: Any) -> dict[str, Any]:
    return build_search(parse(text), SearchRequest(text=text, **kwargs), scope)


def _walk(value: Any) -> list[Any]:
    out = [value]
    if isinstance(value, dict):
        for v in value.values():
            out.extend(_walk(v))
    elif isinstance(value, list):
        for v in value:
            out.extend(_walk(v))
    return out


SCOPES = [Scope.districts([3]), Scope.districts([1, 2]), Scope.districts([])]
QUERIES = ["", "murder", "a OR b", "-bail", "ps:Saddar OR district:Mardan", "(x OR (y -z))", "302 PPC"]


@pytest.mark.parametrize("scope", SCOPES)
@pytest.mark.parametrize("text", QUERIES)
def test_district_scope_is_always_a_filter(text: str, scope: Scope) -> None:
    body = _body(text, scope)
    filters = body["query"]["bool"]["filter"]
    assert scope_filter(scope) in filters
    districts, sealed = filters[0]["bool"]["filter"]  # the district wall AND the sealed-case rule
    district_terms = districts["bool"]["should"][0]["terms"]["district_id"]
    assert district_terms == sorted(str(i) for i in scope.district_ids)
    assert sealed == sealed_clause(frozenset(), frozenset())  # any reader of a district: no sealed case


def test_all_districts_scope_adds_no_district_filter() -> None:
    body = _body("murder", Scope.everything())
    assert "district_id" not in json.dumps(body["query"]["bool"]["filter"])


def test_no_query_string_anywhere() -> None:
    everything = '"a b"~3 murd* x~ section:302 date:2019 year:2019 citation:"PLD 2010 SC 123"'
    for text in [*QUERIES, everything]:
        body = _body(text, Scope.districts([1]))
        kinds = {k for node in _walk(body) if isinstance(node, dict) for k in node}
        assert "query_string" not in kinds
        assert "simple_query_string" not in kinds
        assert "regexp" not in kinds
        assert "script" not in kinds


STATUTE_VARIANTS = ["302 PPC", "s.302 P.P.C.", "section 302 of the Pakistan Penal Code", 'section:"302 PPC"',
                    "Section 302, P.P.C"]


def test_statute_variants_build_the_same_clause() -> None:
    clauses = {json.dumps(build_query(parse(text)), sort_keys=True) for text in STATUTE_VARIANTS}
    assert len(clauses) == 1
    clause = json.loads(clauses.pop())
    assert clause["constant_score"]["filter"] == {"terms": {"statutes": ["PPC 302"]}}


def test_citation_variants_build_the_same_clause() -> None:
    texts = ["PLD 2010 SC 123", "P L D 2010 Supreme Court 123", 'citation:"PLD 2010 SC 123"']
    clauses = {json.dumps(build_query(parse(t)), sort_keys=True) for t in texts}
    assert len(clauses) == 1


def test_exact_phrase_uses_unstemmed_field_and_proximity_uses_slop() -> None:
    exact = build_query(parse('"dying declaration"'))
    assert {"match_phrase": {"text.exact": {"query": "dying declaration"}}} in exact["bool"]["should"]
    near = build_query(parse('"bail granted"~4'))
    assert near["bool"]["should"][0] == {"match_phrase": {"text": {"query": "bail granted", "slop": 4}}}


def test_prefix_is_folded_and_on_exact_field() -> None:
    assert build_query(parse("MURD*")) == {"prefix": {"text.exact": {"value": "murd"}}}


def test_fuzzy_word_keeps_exact_match_preferred() -> None:
    clause = build_query(parse("witnes~"))
    exact, fuzzy = clause["bool"]["should"]
    assert "fuzziness" not in exact["multi_match"]
    assert fuzzy["match"]["text.exact"]["fuzziness"] == "AUTO"
    assert fuzzy["match"]["text.exact"]["boost"] < 1


def test_automatic_fuzziness_option() -> None:
    plain = build_query(parse("witness"), auto_fuzzy=False)
    auto = build_query(parse("witness"), auto_fuzzy=True)
    assert "fuzziness" not in json.dumps(plain)
    assert '"fuzziness": "AUTO"' in json.dumps(auto)


def test_not_becomes_must_not() -> None:
    clause = build_query(parse("bail -granted"))
    assert len(clause["bool"]["must"]) == 1
    assert clause["bool"]["must_not"][0]["multi_match"]["query"] == "granted"


def test_highlight_is_html_encoded_with_mark_tags() -> None:
    h = highlight()
    assert h["encoder"] == "html"
    assert h["pre_tags"] == ["<mark>"] and h["post_tags"] == ["</mark>"]
    assert h["fields"]["text"]["fragment_size"] == 160
    assert h["fields"]["text"]["number_of_fragments"] == 3


def test_collapse_by_document_with_best_pages() -> None:
    body = _body("murder", Scope.everything(), best_pages=2)
    assert body["collapse"]["field"] == "document_id"
    assert body["collapse"]["inner_hits"]["size"] == 2
    assert body["collapse"]["inner_hits"]["highlight"] == highlight(exact=False)
    exact = _body('"dying declaration"', Scope.everything())
    assert "text.exact" in exact["collapse"]["inner_hits"]["highlight"]["fields"]
    assert "text_rtl" not in exact["collapse"]["inner_hits"]["highlight"]["fields"]
    urdu = _body("قتل", Scope.everything())
    assert "text_rtl" in urdu["collapse"]["inner_hits"]["highlight"]["fields"]


def test_facets_cover_every_facet_field() -> None:
    aggs = _body("murder", Scope.everything())["aggs"]
    for name, field in FACET_FIELDS.items():
        assert aggs[f"facet_{name}"]["terms"]["field"] == field
        assert aggs[f"facet_{name}"]["aggs"]["documents"]["cardinality"]["field"] == "document_id"


def test_request_filters() -> None:
    body = _body("murder", Scope.everything(), facets={"district": ("Mardan",), "year": ("2019",)}, case_id=7,
                 case_law_only=True, date_from=date(2019, 1, 1), date_to=date(2019, 12, 31))
    filters = body["query"]["bool"]["filter"]
    assert {"terms": {"district": ["Mardan"]}} in filters
    assert {"terms": {"year": ["2019"]}} in filters
    assert {"term": {"case_id": "7"}} in filters
    assert {"term": {"is_case_law": True}} in filters
    assert {"range": {"doc_date": {"gte": "2019-01-01", "lte": "2019-12-31"}}} in filters


def test_sort_and_paging() -> None:
    body = _body("murder", Scope.everything(), sort="date_desc", page=3, page_size=20)
    assert body["sort"][0] == {"doc_date": {"order": "desc", "missing": "_last"}}
    assert body["from"] == 40 and body["size"] == 20
    assert "sort" not in _body("murder", Scope.everything())


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"page_size": 51}, "between 1 and 50"),
        ({"page_size": 0}, "between 1 and 50"),
        ({"page": 0}, "paged"),
        ({"page": 200, "page_size": 50}, "paged"),
        ({"facets": {"colour": ("red",)}}, "Unknown filter"),
        ({"date_from": date(2020, 1, 1), "date_to": date(2019, 1, 1)}, "must not be after"),
        ({"sort": "random"}, "Sort must be"),
    ],
)
def test_bad_request_parameters(kwargs: dict[str, Any], fragment: str) -> None:
    with pytest.raises(SearchRequestError, match=fragment):
        _body("murder", Scope.everything(), **kwargs)


def test_similar_case_law_is_filtered_and_scoped() -> None:
    facts = "The accused was convicted under section 302 PPC for murder."
    body = build_similar(facts, Scope.districts([4]), 10)
    filters = body["query"]["bool"]["filter"]
    assert {"term": {"is_case_law": True}} in filters
    assert scope_filter(Scope.districts([4])) in filters
    should = body["query"]["bool"]["must"][0]["bool"]["should"]
    assert should[0]["match"]["text.facts"]["analyzer"] == "cmms_description"
    assert should[1]["constant_score"]["filter"] == {"terms": {"statutes": ["PPC 302"]}}


def test_similar_case_law_limits() -> None:
    with pytest.raises(SearchRequestError):
        build_similar("  ", Scope.everything(), 10)
    with pytest.raises(SearchRequestError):
        build_similar("x" * 20_001, Scope.everything(), 10)


def test_words_dropped_by_the_analyser_match_everything() -> None:
    clause = build_query(parse("the"))
    assert clause["multi_match"]["zero_terms_query"] == "all"


def test_constant_clauses_under_and_become_filters() -> None:
    clause = build_query(parse("murder type:fir year:2019 302 PPC"))
    assert len(clause["bool"]["must"]) == 1
    assert {"term": {"doc_type": {"value": "fir", "case_insensitive": True}}} in clause["bool"]["filter"]
    assert {"range": {"year": {"gte": 2019, "lte": 2019}}} in clause["bool"]["filter"]
    assert {"terms": {"statutes": ["PPC 302"]}} in clause["bool"]["filter"]
    # Under OR they still count towards the score.
    either = build_query(parse("murder OR type:fir"))
    assert "constant_score" in either["bool"]["should"][1]


def test_sealed_matters_filter() -> None:
    """Sealed cases: records marked sealed only for cases the user may see, hidden ones excluded by id
    (covers records not yet re-indexed); no clause when every sealed case is visible; the clause is
    ANDed with the district wall in the read filter."""
    from search_app.auth.scope import Scope as ObjectScope
    from search_app.auth.scope import document_read_filter

    assert SealedAccess(everything=True).search_filter(None) is None
    nothing = sealed_clause(frozenset(), frozenset())
    assert nothing == {"bool": {"should": [{"bool": {"must_not": [{"term": {"sealed": True}}]}}],
                                "minimum_should_match": 1}}
    clause = sealed_clause(frozenset({12}), frozenset({7, 40}))
    assert {"terms": {"case_id": ["12"]}} in clause["bool"]["should"]
    assert clause["bool"]["must_not"] == [{"terms": {"case_id": ["7", "40"]}}]
    reader = document_read_filter(ObjectScope(frozenset({3})), None)
    assert reader is not None and nothing in reader["bool"]["filter"]
    admin = document_read_filter(ObjectScope(None, sealed=SealedAccess(everything=True)), None)
    assert admin is None or "sealed" not in json.dumps(admin)


@pytest.mark.parametrize(("text", "stages"), [
    ("stage:under_scrutiny", ["under_scrutiny"]),
    ('stage:"Under Scrutiny"', ["under_scrutiny"]),
    ("stage:trial", ["submitted_to_court", "charge_framed", "prosecution_evidence", "defence", "arguments"]),
    ("stage:scrutiny", ["challan_received", "under_scrutiny", "returned_with_objections", "accepted"]),
])
def test_stage_takes_a_stage_its_label_or_a_phase(text: str, stages: list[str]) -> None:
    clause = build_query(parse(text))
    assert clause == {"constant_score": {"filter": {"terms": {"case_stage": stages}}, "boost": 1.0}}


def test_an_unknown_stage_matches_nothing_rather_than_everything() -> None:
    clause = build_query(parse("stage:nonsense"))
    unknown = {"term": {"case_stage": {"value": "nonsense", "case_insensitive": True}}}
    assert clause["constant_score"]["filter"] == unknown


def test_citation_and_case_number_queries_read_every_report_and_number_of_a_judgment() -> None:
    """Parallel citations and the other case numbers of a consolidated judgment are searched too."""
    cited = json.dumps(_body('citation:"2022 SCMR 1641"', Scope.everything())["query"])
    assert '{"terms": {"reported_citations": ["SCMR 2022 1641"]}}' in cited
    assert '{"terms": {"citation": ["SCMR 2022 1641"]}}' in cited  # records indexed before the field
    numbered = json.dumps(_body("Crl.A. No. 96 of 2019", Scope.everything())["query"])
    assert '{"terms": {"case_numbers": ["Crl.A.96-2019"]}}' in numbered
