"""Search: the query language parser, the Elasticsearch query builder and the search service.

The Flask views call ``search(es, settings, SearchRequest(...), Scope(...)) -> SearchResults`` and
``similar_case_law(...)``; they show ``ParseError.message`` / ``SearchRequestError.message`` to the
user and turn ``SearchUnavailableError`` into a 503 page. See QUERY_LANGUAGE.md.
"""

from search_app.search.query_parser import ParseError, ParserLimits, parse
from search_app.search.request import FACET_FIELDS, Scope, SearchRequest, SearchRequestError
from search_app.search.results import DocumentGroup, Facet, FacetBucket, PageHit, SearchResults, safe_fragment
from search_app.search.service import SearchUnavailableError, search
from search_app.search.similar import similar_case_law

__all__ = [
    "FACET_FIELDS", "DocumentGroup", "Facet", "FacetBucket", "PageHit", "ParseError", "ParserLimits", "Scope",
    "SearchRequest", "SearchRequestError", "SearchResults", "SearchUnavailableError", "parse",
    "safe_fragment",
    "search", "similar_case_law",
]
