"""Snippets and boxes of searched legal references: which extracted spans a query node matches, and the
escaped fragment around them."""

from __future__ import annotations

import pytest

from search_app.search.ast import Reference, SectionNumber
from search_app.search.query_parser import parse
from search_app.search.reference_hits import (
    PageRefs,
    RefSpan,
    apply_reference_fragments,
    entity_span,
    matching_spans,
    positive_references,
    reference_fragment,
    span_matches,
)
from search_app.search.results import DocumentGroup, PageHit, SearchResults
from search_app.views.viewer_model import viewer_query

STATUTE = entity_span("statute", "PPC 302(b)", {}, 10, 25)
FIR = entity_span("fir", "FIR 310/2004 PS Fatehpur", {"keys": ["FIR 310/2004 PS Fatehpur", "FIR 310/2004"]}, 0, 15)

ROWS = [
    (STATUTE, Reference("statute", ("PPC 302",), "302 PPC"), True),       # broader key
    (STATUTE, Reference("statute", ("PPC 302(b)",), "302(b) PPC"), True),
    (entity_span("statute", "PPC 302", {}, 0, 5), Reference("statute", ("PPC 302(b)",), "x"), False),  # narrow
    (STATUTE, Reference("statute", ("PPC 324",), "324 PPC"), False),
    (STATUTE, SectionNumber("302"), True),
    (STATUTE, SectionNumber("30"), False),
    (STATUTE, Reference("citation", ("PPC 302",), "x"), False),            # kinds differ
    (FIR, Reference("fir", ("FIR 310/2004",), "FIR 310/2004"), True),      # the short key form
    (FIR, Reference("fir", ("fir 310/2004 ps fatehpur",), "x"), True),     # case-insensitive
    (FIR, Reference("fir", ("FIR 311/2004",), "x"), False),
    (entity_span("case_number", "Crl.A.48-2021", {}, 0, 5), Reference("case_number", ("crl.a.48-2021",), "x"), True),
    (entity_span("citation", "PLD 2010 SC 123", {}, 0, 5), Reference("citation", ("PLD 2010 SC 12",), "x"), False),
]


@pytest.mark.parametrize(("span", "ref", "expected"), ROWS)
def test_span_matches(span: RefSpan, ref: Reference | SectionNumber, expected: bool) -> None:
    assert span_matches(span, ref) is expected


def test_positive_references_skip_negated_ones() -> None:
    node = parse("302 PPC -PLD 2010 SC 123 bail")
    assert [r.keys for r in positive_references(node) if isinstance(r, Reference)] == [("PPC 302",)]
    assert positive_references(parse("bail granted")) == ()


def test_fragment_marks_every_span_in_the_window_and_escapes_the_text() -> None:
    text = "<b>x</b> The appellant was convicted under 302 PPC and 34 PPC; see PLD 2010 SC 123. " + "z" * 400
    spans = [RefSpan("statute", ("PPC 302",), text.index("302 PPC"), text.index("302 PPC") + 7),
             RefSpan("statute", ("PPC 34",), text.index("34 PPC"), text.index("34 PPC") + 6)]
    fragment = str(reference_fragment(text, spans))
    assert "<mark>302 PPC</mark> and <mark>34 PPC</mark>" in fragment
    assert "&lt;b&gt;x&lt;/b&gt;" in fragment and "<b>" not in fragment
    assert len(fragment) < 260


def test_fragment_of_a_span_outside_the_text_is_none() -> None:
    assert reference_fragment("short", [RefSpan("citation", ("X",), 10, 20)]) is None


def test_results_get_the_reference_fragment_first_and_lose_the_top_of_page_excerpt() -> None:
    text = "Top of the page. " * 20 + "relied on PLD 2010 SC 123 here"
    start = text.index("PLD")
    hit = PageHit(2, 1.0, ("Top of the page. Top of the page.", "the <mark>bail</mark> was"))  # type: ignore[arg-type]
    group = DocumentGroup(7, "t", "fir", None, "", "", "", False, None, 1.0, (hit,))
    results = SearchResults(1, 1, 1, 1, 20, (group,), ())
    node = parse("PLD 2010 SC 123 bail")
    pages = {(7, 2): PageRefs(text, (RefSpan("citation", ("PLD 2010 SC 123",), start, start + 15),))}
    fragments = apply_reference_fragments(results, node, pages).groups[0].pages[0].fragments
    assert "<mark>PLD 2010 SC 123</mark>" in fragments[0]
    assert fragments[1:] == ("the <mark>bail</mark> was",)


def test_viewer_query_keeps_reference_words_out_of_the_word_terms() -> None:
    query = viewer_query("PLD 2010 SC 123 bail ps:Saddar")
    assert [r.keys for r in query.refs if isinstance(r, Reference)] == [("PLD 2010 SC 123",)]
    # "bail" is a glossary term: its Urdu equivalent is boxed too (search across languages, issue 16)
    assert [t.stem for t in query.terms] == ["bail", "ضمانت", "saddar"]
    assert matching_spans([STATUTE], viewer_query("section:302").refs) == [STATUTE]
    loose = viewer_query('"unclosed')  # the parser refuses it: read word by word
    assert [t.stem for t in loose.terms] == ["unclos"]  # stemmed like "unclosed"
