"""Table-driven tests of the search-box language: one row per form a user (or OCR) produces."""

from __future__ import annotations

from datetime import date

import pytest

from search_app.search.ast import (
    And,
    DateRange,
    FieldValue,
    Not,
    Or,
    Phrase,
    Reference,
    SectionNumber,
    Word,
    YearRange,
)
from search_app.search.query_parser import ParseError, ParserLimits, parse

W = Word

PARSES = [
    ("murder", W("murder")),
    ("bail murder", And((W("bail"), W("murder")))),
    ("bail AND murder", And((W("bail"), W("murder")))),
    ("bail OR murder", Or((W("bail"), W("murder")))),
    ("bail NOT granted", And((W("bail"), Not(W("granted"))))),
    ("bail -granted", And((W("bail"), Not(W("granted"))))),
    # OR binds looser than the implicit AND.
    ("a b OR c", Or((And((W("a"), W("b"))), W("c")))),
    ("a (b OR c)", And((W("a"), Or((W("b"), W("c")))))),
    ('"dying declaration"', Phrase("dying declaration")),
    ('"dying   declaration"', Phrase("dying declaration")),
    ('"bail granted"~5', Phrase("bail granted", slop=5)),
    ("murd*", W("murd", prefix=True)),
    ("murdr~", W("murdr", fuzzy="AUTO")),
    ("witnes~1", W("witnes", fuzzy=1)),
    ("witnes~2", W("witnes", fuzzy=2)),
    # Hyphens and dots inside words are part of the word; a leading hyphen is NOT.
    ("qatl-i-amd", W("qatl-i-amd")),
    ("ps:Saddar", FieldValue("ps", "Saddar")),
    ('ps:"Saddar Peshawar"', FieldValue("ps", "Saddar Peshawar")),
    ("police_station:Saddar", FieldValue("ps", "Saddar")),
    ('court:"Peshawar High Court"', FieldValue("court", "Peshawar High Court")),
    ("party:Khan", FieldValue("party", "Khan")),
    ("judge:Khosa", FieldValue("judge", "Khosa")),
    ("district:Mardan", FieldValue("district", "Mardan")),
    ("type:fir", FieldValue("type", "fir")),
    ("lang:urd", FieldValue("lang", "urd")),
    ("stage:trial", FieldValue("stage", "trial")),
    ("section:302", SectionNumber("302")),
    ("section:302(b)", SectionNumber("302(b)")),
    ('section:"302 PPC"', Reference("statute", ("PPC 302",), "302 PPC")),
    ("fir:123/2019", Reference("fir", ("FIR 123/2019",), "123/2019")),
    ('citation:"PLD 2010 SC 123"', Reference("citation", ("PLD 2010 SC 123",), "PLD 2010 SC 123")),
    ("date:2019-01-01..2019-12-31", DateRange(date(2019, 1, 1), date(2019, 12, 31))),
    ("date:2019", DateRange(date(2019, 1, 1), date(2019, 12, 31))),
    ("date:2020-02", DateRange(date(2020, 2, 1), date(2020, 2, 29))),
    ("date:..2019-06-30", DateRange(None, date(2019, 6, 30))),
    ("date:2019-01-01..", DateRange(date(2019, 1, 1), None)),
    ("year:2019", YearRange(2019, 2019)),
    ("year:2015..2019", YearRange(2015, 2019)),
    # Unknown "field:" prefixes are ordinary words.
    ("re:appeal", W("re:appeal")),
    ("", None),
    ("   ", None),
]


@pytest.mark.parametrize(("query", "expected"), PARSES)
def test_parse(query: str, expected: object) -> None:
    assert parse(query) == expected


# Every printed form of one statute section or citation gives the same key.
STATUTE_FORMS = [
    "302 PPC",
    "302 ppc",
    "s.302 P.P.C.",
    "S. 302 PPC",
    "section 302 of the Pakistan Penal Code",
    "Section 302, P.P.C",
    "section:\"302 PPC\"",
]


@pytest.mark.parametrize("query", STATUTE_FORMS)
def test_statute_forms_become_one_reference(query: str) -> None:
    node = parse(query)
    assert isinstance(node, Reference)
    assert node.kind == "statute"
    assert node.keys == ("PPC 302",)


CITATION_FORMS = ["PLD 2010 SC 123", '"PLD 2010 SC 123"', "P L D 2010 Supreme Court 123", "pld 2010 sc 123"]


@pytest.mark.parametrize("query", CITATION_FORMS)
def test_citation_forms_become_one_reference(query: str) -> None:
    node = parse(query)
    assert isinstance(node, Reference)
    assert node.keys == ("PLD 2010 SC 123",)


def test_reference_inside_free_text_keeps_other_words() -> None:
    node = parse("murder s.302 P.P.C. bail")
    assert node == And((W("murder"), Reference("statute", ("PPC 302",), "s.302 P.P.C."), W("bail")))


def test_subclause_reference_is_narrow() -> None:
    node = parse("302(b) PPC")
    assert node == Reference("statute", ("PPC 302(b)",), "302(b) PPC")


def test_prefix_and_fuzzy_words_are_not_references() -> None:
    node = parse("PPC* 302~")
    assert node == And((W("PPC", prefix=True), W("302", fuzzy="AUTO")))


ERRORS = [
    ('"unclosed phrase', "not closed"),
    ("(bail murder", "not closed"),
    ("bail)", "no matching"),
    ("AND bail", "Unexpected"),
    ("bail OR", "ends too early"),
    ("bail -", None),  # a lone hyphen is a word, not an error
    ("*urder", "wildcard"),
    ("mu*der", "wildcard"),
    ("mu?der", "wildcard"),
    ("mu*", "at least 3"),
    ("/mur.er/", "Regular expressions"),
    ("murder~5", "word~"),
    ("murder~0.5", "word~"),
    ("murd*~", "both * and ~"),
    ('"bail granted"~', "number of words"),
    ('""', "empty"),
    ("ps:", "needs a value"),
    ("date:2019-13-01", "valid calendar date"),
    ("date:yesterday", "not a date"),
    ("date:2020..2019", "must not be after"),
    ("date:..", "at least one end"),
    ("year:19", "not a year"),
    ("year:2020..2019", "must not be after"),
    ("section:abc", "not a section"),
]


@pytest.mark.parametrize(("query", "fragment"), ERRORS)
def test_errors(query: str, fragment: str | None) -> None:
    if fragment is None:
        parse(query)
        return
    with pytest.raises(ParseError) as info:
        parse(query)
    assert fragment.lower() in info.value.message.lower()


def test_length_limit() -> None:
    limits = ParserLimits(max_length=500)
    parse("a" * 500, limits)
    with pytest.raises(ParseError, match="too long"):
        parse("a" * 501, limits)


def test_clause_limit() -> None:
    limits = ParserLimits(max_clauses=64)
    parse(" ".join(f"w{i}" for i in range(64)), limits)
    with pytest.raises(ParseError, match="too many terms"):
        parse(" ".join(f"w{i}" for i in range(65)), limits)


def test_wildcard_limit() -> None:
    limits = ParserLimits(max_wildcards=4)
    parse("abc* abd* abe* abf*", limits)
    with pytest.raises(ParseError, match="At most 4"):
        parse("abc* abd* abe* abf* abg*", limits)


def test_nesting_limit() -> None:
    limits = ParserLimits(max_depth=3)
    parse("(((a)))", limits)
    with pytest.raises(ParseError, match="nested too deeply"):
        parse("((((a))))", limits)


def test_error_reports_position() -> None:
    with pytest.raises(ParseError) as info:
        parse('bail "open')
    assert info.value.position == 5


@pytest.mark.parametrize(("text", "negated"), [
    ("-" * 499 + "a", True),                   # issue 8, kind 10: this recursed once per "-"
    (" ".join(["NOT"] * 100) + " murder", False),  # 100 chained NOTs became a query too deep to run
    ("NOT NOT NOT murder", True),
])
def test_runs_of_negation_are_read_by_parity_without_recursion(text: str, negated: bool) -> None:
    from search_app.search.ast import Not

    node = parse(text)
    assert isinstance(node, Not) is negated
    assert not isinstance(getattr(node, "child", None), Not)
