"""The search service the web app calls: parse, build, send, read back typed results."""

from __future__ import annotations

import logging
from typing import Any, Protocol

from elasticsearch import ApiError, Elasticsearch, TransportError

from i18n import N_
from search_app.search.ast import Node
from search_app.search.glossary import expand, explain
from search_app.search.query_builder import HIGHLIGHT_FRAGMENTS, build_query, build_search, request_filters
from search_app.search.query_parser import ParseError, ParserLimits, parse
from search_app.search.reference_hits import PageRefsLoader, apply_reference_fragments, hit_pages, positive_references
from search_app.search.request import FACET_FIELDS, FACET_LABELS, Scope, SearchRequest
from search_app.search.results import DocumentGroup, Facet, FacetBucket, PageHit, SearchResults, safe_fragment

log = logging.getLogger(__name__)


class SearchSettings(Protocol):
    @property
    def es_index_prefix(self) -> str: ...


INDEX_MISSING = N_("Search is unavailable. The search index has not been built yet: an administrator should run "
                   "'cmms index rebuild'.")
UNAVAILABLE = N_("Search is unavailable. Try again in a minute; if it persists, tell an administrator.")


class SearchUnavailableError(Exception):
    """Elasticsearch could not answer. Shown to the user as "search is unavailable"; logged in full."""

    code = "search_unavailable"

    def __init__(self, detail: str, index_missing: bool = False) -> None:
        # ``template`` is marked for translation; ``str(self)`` is the English text (API, logs).
        self.template = INDEX_MISSING if index_missing else UNAVAILABLE
        super().__init__(self.template)
        self.detail = detail
        self.remedy = self.template.removeprefix("Search is unavailable. ")
        self.index_missing = index_missing


def pages_alias(settings: SearchSettings) -> str:
    return f"{settings.es_index_prefix}-pages"


def _int_or_none(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _page_hits(hit: dict[str, Any]) -> tuple[PageHit, ...]:
    inner = hit.get("inner_hits", {}).get("best_pages", {}).get("hits", {}).get("hits", [])
    pages = []
    for page in inner:
        highlight = page.get("highlight", {})
        # Exact-phrase matches are highlighted on text.exact; when both fields highlighted, prefer the
        # fragments with marks and drop the plain no-match excerpt.
        marked = [f for f in (*highlight.get("text.exact", []), *highlight.get("text", []),
                              *highlight.get("text_rtl", [])) if "<mark>" in f]
        fragments = list(dict.fromkeys(marked))[:HIGHLIGHT_FRAGMENTS] or highlight.get("text", [])[:1]
        pages.append(PageHit(
            page_no=int(page["_source"]["page_no"]), score=page.get("_score"),
            fragments=tuple(safe_fragment(f) for f in fragments),
        ))
    return tuple(pages)


def matched_names(hit: dict[str, Any]) -> set[str]:
    """Names of the query clauses a document's hit and its best pages matched (``matched_queries``)."""
    names = set(hit.get("matched_queries") or ())
    for page in hit.get("inner_hits", {}).get("best_pages", {}).get("hits", {}).get("hits", []):
        names.update(page.get("matched_queries") or ())
    return names


def _group(hit: dict[str, Any], node: Node | None = None) -> DocumentGroup:
    src = hit["_source"]
    return DocumentGroup(
        document_id=int(src["document_id"]),
        title=src.get("title", ""),
        doc_type=src.get("doc_type", ""),
        case_id=_int_or_none(src.get("case_id")),
        district=src.get("district", ""),
        court=src.get("court", ""),
        citation=src.get("citation", ""),
        is_case_law=bool(src.get("is_case_law", False)),
        doc_date=src.get("doc_date"),
        score=hit.get("_score"),
        pages=_page_hits(hit),
        glossary=explain(node, matched_names(hit)),
        caselaw_id=_int_or_none(src.get("caselaw_id")),
        treatment_flag=str(src.get("treatment_flag", "")),
        published=bool(src.get("published", False)),
    )


def _facets(aggs: dict[str, Any], request: SearchRequest) -> tuple[Facet, ...]:
    facets = []
    for name in FACET_FIELDS:
        agg = aggs.get(f"facet_{name}")
        if agg is None:
            continue
        selected = set(request.facets.get(name, ()))
        buckets = tuple(
            FacetBucket(value=str(b.get("key_as_string", b["key"])), pages=int(b["doc_count"]),
                        documents=int(b["documents"]["value"]),
                        selected=str(b.get("key_as_string", b["key"])) in selected)
            for b in agg["buckets"]
        )
        facets.append(Facet(name, FACET_LABELS[name], buckets))
    return tuple(facets)


def read_results(response: dict[str, Any], request: SearchRequest, node: Node | None = None) -> SearchResults:
    """Typed results; ``node`` (the query sent) explains glossary matches."""
    hits = response["hits"]
    aggs = response.get("aggregations", {})
    return SearchResults(
        total_documents=int(aggs.get("documents_total", {}).get("value", 0)),
        total_pages=int(hits["total"]["value"]),
        took_ms=int(response.get("took", 0)),
        page=request.page,
        page_size=request.page_size,
        groups=tuple(_group(h, node) for h in hits["hits"]),
        facets=_facets(aggs, request),
        timed_out=bool(response.get("timed_out", False)),
    )


def send(es: Elasticsearch, index: str, body: dict[str, Any]) -> dict[str, Any]:
    try:
        return dict(es.search(index=index, body=body))
    except ApiError as exc:
        if exc.meta.status == 404:
            raise SearchUnavailableError(str(exc), index_missing=True) from exc
        log.error("search failed: %s", exc)
        raise SearchUnavailableError(str(exc)) from exc
    except TransportError as exc:
        log.error("search failed: %s", exc)
        raise SearchUnavailableError(str(exc)) from exc


def search(
    es: Elasticsearch, settings: SearchSettings, request: SearchRequest, scope: Scope,
    limits: ParserLimits | None = None, page_refs: PageRefsLoader | None = None,
) -> SearchResults:
    """Run one search-box search for a user limited to ``scope``.

    ``page_refs`` reads the reference spans of the hit pages (``page_refs.load_page_refs``): given, a
    statute/citation/FIR/case-number query gets snippets centred on the printed reference, marked.
    Raises ``ParseError`` (bad query text) or ``SearchRequestError`` (bad parameter) with a message
    for the user, and ``SearchUnavailableError`` when Elasticsearch cannot answer.
    """
    node = expand(parse(request.text, limits))
    body = build_search(node, request, scope)
    results = read_results(send(es, pages_alias(settings), body), request, node)
    if page_refs is not None and positive_references(node):
        results = apply_reference_fragments(results, node, page_refs(hit_pages(results)))
    return results


MAX_DOCUMENT_PAGES = 1000


def document_hit_pages(
    es: Elasticsearch, settings: SearchSettings, text: str, document_id: int, scope: Scope,
    limits: ParserLimits | None = None,
) -> tuple[int, ...] | None:
    """Numbers of the pages of one document the search box query ``text`` matches, counted exactly as
    the search counts them (same parser, same query, same scope filter). None when the query does not
    parse or Elasticsearch cannot answer (the caller then falls back to matching words itself)."""
    try:
        node: Node | None = parse(text, limits)
    except ParseError:
        return None
    if node is None:
        return ()
    node = expand(node)
    filters = [*request_filters(SearchRequest(), scope), {"term": {"document_id": str(document_id)}}]
    body = {"query": {"bool": {"must": [build_query(node)], "filter": filters}},
            "_source": ["page_no"], "size": MAX_DOCUMENT_PAGES, "sort": [{"page_no": "asc"}], "timeout": "10s"}
    try:
        response = send(es, pages_alias(settings), body)
    except SearchUnavailableError:
        return None
    return tuple(int(h["_source"]["page_no"]) for h in response["hits"]["hits"])
