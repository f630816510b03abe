"""Parsed query + request + scope -> Elasticsearch request body, as plain data.

Never a ``query_string``: every clause is built explicitly from the AST. The district scope is always
a ``filter`` clause (unless the scope is all districts), so no query text can widen it.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from casework.stages import stages_matching
from indexer.documents import has_arabic_script
from ingest.names import name_key
from search_app.search.ast import (
    And,
    DateRange,
    FieldValue,
    Glossed,
    Node,
    Not,
    Or,
    Phrase,
    Reference,
    SectionNumber,
    Word,
    YearRange,
)
from search_app.search.request import FACET_FIELDS, Scope, SearchRequest

JsonDict = dict[str, Any]

# Plain words search the stemmed text (with legal synonyms), Urdu/Pashto text and, weakly, the title.
WORD_FIELDS = ["text", "text_rtl", "title^0.5"]
EXACT_FIELDS = ["text.exact", "text_rtl"]
HIGHLIGHT_FRAGMENT_CHARS = 160
HIGHLIGHT_FRAGMENTS = 3
# Shown for each document group and its best pages (the full text stays out of the response).
GROUP_SOURCE = ["document_id", "page_no", "title", "doc_type", "case_id", "district", "district_id", "court",
                "citation", "is_case_law", "doc_date", "case_number", "language", "source", "caselaw_id",
                "treatment_flag", "published"]
FACET_SIZES = {"statute": 30, "police_station": 30}
REFERENCE_BOOST = 2.0
# A page matching a glossary term only in the other language ranks a little below one with the term
# as typed (a translation is a weaker signal than the word itself).
GLOSSARY_BOOST = 0.8


def fold(text: str) -> str:
    """Lower-case and strip accents, as the ``cmms_exact`` analyser does (prefix queries are not analysed)."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _any(clauses: list[JsonDict]) -> JsonDict:
    return clauses[0] if len(clauses) == 1 else {"bool": {"should": clauses, "minimum_should_match": 1}}


def _word(node: Word, auto_fuzzy: bool) -> JsonDict:
    if node.prefix:
        return {"prefix": {"text.exact": {"value": fold(node.text)}}}
    fuzzy = node.fuzzy or ("AUTO" if auto_fuzzy else None)
    # A word the analyser drops (a stop word such as "the", or bare punctuation) must not make the
    # whole AND fail: it then matches every page instead of none.
    clause: JsonDict = {"query": node.text, "fields": WORD_FIELDS, "type": "best_fields",
                        "zero_terms_query": "all"}
    if fuzzy is None:
        return {"multi_match": clause}
    # A misspelling matches with fewer points than the word as typed. OCR rarely garbles the first
    # letters, and few expansions keep a fuzzy word affordable (it was the slowest query in the bench).
    fuzzy_clause = {"text.exact": {"query": node.text, "fuzziness": str(fuzzy), "prefix_length": 2,
                                   "max_expansions": 10, "boost": 0.5}}
    return _any([{"multi_match": clause}, {"match": fuzzy_clause}])


def _phrase(node: Phrase) -> JsonDict:
    if node.slop == 0:  # exact: unstemmed, stop words kept
        return _any([{"match_phrase": {f: {"query": node.text}}} for f in EXACT_FIELDS])
    near = {"query": node.text, "slop": node.slop}
    return _any([{"match_phrase": {f: near}} for f in ("text", "text_rtl")])


def _reference(node: Reference) -> JsonDict:
    keys = list(node.keys)
    if node.kind == "statute":
        clause = {"terms": {"statutes": keys}}
    elif node.kind == "citation":
        # Pages citing the judgment, and the judgment itself (any of its reported citations, main or
        # parallel) by its first page only: these are document fields, and every page is not a hit.
        # ``citation`` too: records indexed before ``reported_citations`` existed carry only it.
        reported = _any([{"terms": {"reported_citations": keys}}, {"terms": {"citation": keys}}])
        own = {"bool": {"filter": [reported, {"term": {"page_no": 1}}]}}
        clause = _any([{"terms": {"citations": keys}}, own])
    elif node.kind == "fir":
        clause = {"terms": {"fir_keys": keys}}
    else:
        # every case number of a judgment (consolidated appeals), and the first for older records
        clause = _any([{"terms": {"case_numbers": keys}}, {"terms": {"case_number": keys}},
                       {"match_phrase": {"text.exact": {"query": node.raw}}}])
    return {"constant_score": {"filter": clause, "boost": REFERENCE_BOOST}}


def _field_value(node: FieldValue) -> JsonDict:
    text_fields = {"ps": "police_station", "court": "court", "party": "parties", "judge": "judges"}
    if node.field == "party" and (key := name_key(node.value)):
        # as written, or in the other script: "Gul Zaman" finds "گل زمان" (ingest.names)
        clause: JsonDict = _any([{"match_phrase": {"parties": {"query": node.value}}},
                                 {"match_phrase": {"party_keys": {"query": key}}}])
    elif node.field in text_fields:
        clause = {"match_phrase": {text_fields[node.field]: {"query": node.value}}}
    elif node.field == "district":
        clause = _any([{"term": {"district": {"value": node.value, "case_insensitive": True}}},
                       {"term": {"district_id": node.value}}])
    elif node.field == "stage" and (stages := stages_matching(node.value)):
        clause = {"terms": {"case_stage": list(stages)}}  # a stage, its label, or a whole phase
    else:
        target = {"type": "doc_type", "lang": "language", "stage": "case_stage"}[node.field]
        clause = {"term": {target: {"value": node.value, "case_insensitive": True}}}
    return {"constant_score": {"filter": clause, "boost": 1.0}}


def _date_range(start: str | None, end: str | None, field: str) -> JsonDict:
    bounds = {k: v for k, v in (("gte", start), ("lte", end)) if v is not None}
    return {"range": {field: bounds}}


def _leaf(node: Node, auto_fuzzy: bool) -> JsonDict:
    if isinstance(node, Word):
        return _word(node, auto_fuzzy)
    if isinstance(node, Phrase):
        return _phrase(node)
    if isinstance(node, Reference):
        return _reference(node)
    if isinstance(node, SectionNumber):
        return {"constant_score": {"filter": {"term": {"statute_sections": node.value.lower()}},
                                   "boost": REFERENCE_BOOST}}
    if isinstance(node, FieldValue):
        return _field_value(node)
    if isinstance(node, DateRange):
        start = node.start.isoformat() if node.start else None
        end = node.end.isoformat() if node.end else None
        return {"constant_score": {"filter": _any([_date_range(start, end, "doc_date"),
                                                   _date_range(start, end, "dates")])}}
    if isinstance(node, YearRange):
        lo, hi = node.start, node.end
        return {"constant_score": {"filter": {"range": {"year": {k: v for k, v in (("gte", lo), ("lte", hi))
                                                                 if v is not None}}}}}
    raise TypeError(f"not a query node: {node!r}")


CONSTANT_NODES = (Reference, SectionNumber, FieldValue, DateRange, YearRange)


def _glossed(node: Glossed, auto_fuzzy: bool) -> JsonDict:
    """The term as typed, or any of its glossary alternatives; every clause is named
    (``glossary.clause_name``) so the result can say which alternative matched, and whether the term
    as typed did too."""
    from search_app.search.glossary import clause_name

    clauses: list[JsonDict] = [{"bool": {"should": [build_query(node.original, auto_fuzzy)],
                                         "_name": clause_name(node, None)}}]
    for i, alternative in enumerate(node.alternatives):
        clauses.append({"bool": {"should": [_leaf(alternative.node, False)], "boost": GLOSSARY_BOOST,
                                 "_name": clause_name(node, i)}})
    return {"bool": {"should": clauses, "minimum_should_match": 1}}


def build_query(node: Node | None, auto_fuzzy: bool = False) -> JsonDict:
    """The scoring part of the query, from the AST (``match_all`` for a blank query)."""
    if node is None:
        return {"match_all": {}}
    if isinstance(node, And):
        # Under AND every result matches every clause, so constant-score clauses (fields, dates,
        # references) add the same amount to every score: as filters they rank identically, and
        # Elasticsearch can cache them.
        filters = [_leaf(c, auto_fuzzy)["constant_score"]["filter"] for c in node.children
                   if isinstance(c, CONSTANT_NODES)]
        must = [build_query(c, auto_fuzzy) for c in node.children
                if not isinstance(c, (Not, *CONSTANT_NODES))]
        must_not = [build_query(c.child, auto_fuzzy) for c in node.children if isinstance(c, Not)]
        body: JsonDict = {"must": must or [{"match_all": {}}]}
        if filters:
            body["filter"] = filters
        if must_not:
            body["must_not"] = must_not
        return {"bool": body}
    if isinstance(node, Or):
        return _any([build_query(c, auto_fuzzy) for c in node.children])
    if isinstance(node, Not):
        return {"bool": {"must": [{"match_all": {}}], "must_not": [build_query(node.child, auto_fuzzy)]}}
    if isinstance(node, Glossed):
        return _glossed(node, auto_fuzzy)
    return _leaf(node, auto_fuzzy)


def scope_filter(scope: Scope) -> JsonDict | None:
    """The read restriction; None only for users who may read everything. Built by
    ``search_app.auth.scope`` (the one place deciding visibility): a district reader sees the pages of
    their districts and published case law."""
    if scope.es_filter is not None:
        return dict(scope.es_filter)
    if scope.all_districts:
        return None
    from search_app.auth.scope import Scope as ObjectScope
    from search_app.auth.scope import document_read_filter

    return document_read_filter(ObjectScope(frozenset(scope.district_ids)))  # any reader of those districts


def request_filters(request: SearchRequest, scope: Scope) -> list[JsonDict]:
    filters: list[JsonDict] = []
    scoped = scope_filter(scope)
    if scoped is not None:
        filters.append(scoped)
    for name, values in sorted(request.facets.items()):
        if values:
            filters.append({"terms": {FACET_FIELDS[name]: list(values)}})
    if request.case_id is not None:
        filters.append({"term": {"case_id": str(request.case_id)}})
    if request.case_law_only:
        filters.append({"term": {"is_case_law": True}})
    if request.date_from or request.date_to:
        filters.append(_date_range(request.date_from.isoformat() if request.date_from else None,
                                   request.date_to.isoformat() if request.date_to else None, "doc_date"))
    return filters


def uses_exact_field(node: Node | None) -> bool:
    """True when some clause matches on ``text.exact`` (exact phrases, prefixes, fuzzy words)."""
    if isinstance(node, And | Or):
        return any(uses_exact_field(c) for c in node.children)
    if isinstance(node, Not):
        return False  # excluded words are never highlighted
    if isinstance(node, Glossed):  # an English phrase found for an Urdu term is marked on text.exact
        return uses_exact_field(node.original) or any(uses_exact_field(a.node) and not has_arabic_script(a.label)
                                                      for a in node.alternatives)
    if isinstance(node, Phrase):
        return node.slop == 0
    if isinstance(node, Word):
        return node.prefix or node.fuzzy is not None
    return False


def uses_rtl_text(node: Node | None) -> bool:
    """True when a word or phrase is in Arabic script (Urdu/Pashto), so ``text_rtl`` can match."""
    if isinstance(node, And | Or):
        return any(uses_rtl_text(c) for c in node.children)
    if isinstance(node, Glossed):
        return uses_rtl_text(node.original) or any(uses_rtl_text(a.node) for a in node.alternatives)
    if isinstance(node, Word | Phrase):
        return has_arabic_script(node.text)
    return False


def highlight(exact: bool = False, rtl: bool = False) -> JsonDict:
    """HTML-escaped fragments ("encoder": "html"): OCR text containing ``<script>`` comes back as text;
    the only tags are the ``<mark>`` pairs added here.

    ``text.exact`` is highlighted as a second field only when the query matches on it: highlighting
    is most of the cost of a search (facts file A5), and ``matched_fields`` doubled it for every query.
    """
    field_options = {"type": "unified", "fragment_size": HIGHLIGHT_FRAGMENT_CHARS,
                     "number_of_fragments": HIGHLIGHT_FRAGMENTS}
    fields: JsonDict = {"text": {**field_options, "no_match_size": HIGHLIGHT_FRAGMENT_CHARS}}
    if exact:
        fields["text.exact"] = field_options
    if rtl:  # a highlighted field costs time even when nothing in it can match
        fields["text_rtl"] = field_options
    return {"encoder": "html", "pre_tags": ["<mark>"], "post_tags": ["</mark>"], "fields": fields}


def aggregations() -> JsonDict:
    aggs: JsonDict = {
        "documents_total": {"cardinality": {"field": "document_id", "precision_threshold": 10000}},
    }
    for name, field in FACET_FIELDS.items():
        aggs[f"facet_{name}"] = {
            "terms": {"field": field, "size": FACET_SIZES.get(name, 20)},
            "aggs": {"documents": {"cardinality": {"field": "document_id"}}},
        }
    return aggs


def sort_clause(request: SearchRequest) -> list[Any] | None:
    if request.sort == "relevance":
        return None
    order = "desc" if request.sort == "date_desc" else "asc"
    return [{"doc_date": {"order": order, "missing": "_last"}}, "_score", {"document_id": "asc"}]


def build_search(node: Node | None, request: SearchRequest, scope: Scope) -> JsonDict:
    """The whole search body: one result per document (``collapse`` on ``document_id``) with its best
    pages and their highlighted fragments as ``inner_hits``, plus facet counts."""
    request.validate()
    body: JsonDict = {
        "query": {"bool": {"must": [build_query(node, request.fuzzy)],
                           "filter": request_filters(request, scope)}},
        "collapse": {
            "field": "document_id",
            "inner_hits": {"name": "best_pages", "size": request.best_pages, "_source": ["page_no"],
                           "highlight": highlight(uses_exact_field(node) or request.fuzzy,
                                                  uses_rtl_text(node))},
        },
        "_source": GROUP_SOURCE,
        "from": (request.page - 1) * request.page_size,
        "size": request.page_size,
        "track_total_hits": True,
        "aggs": aggregations(),
        "timeout": "10s",
    }
    sort = sort_clause(request)
    if sort is not None:
        body["sort"] = sort
    return body
