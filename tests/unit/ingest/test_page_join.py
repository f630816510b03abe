"""The nlp stage reads a document's pages joined, without page furniture, and maps each reference back
to the page(s) it is printed on (issue 14: references broken across a page break)."""

from __future__ import annotations

from ingest.entities import document_rule_entities, page_entities

HEADER = "Crl. Appeal No. 654/2023\n"
PAGES = [
    "The appellant was convicted under section 382-B\n\n" + HEADER + "- 2 -\n",
    HEADER + "- 3 -\nCr.P.C. and sentenced. See PLD 2009\n",
    HEADER + "- 4 -\nSC 53 and CNIC 17301-1234567-1.",
]


def _found(pages: list[str]) -> list[list[tuple[str, str, str, str | None]]]:
    return [[(e.kind, e.key, e.raw, e.attrs.get("part")) for e in page] for page in document_rule_entities(pages)]


def test_a_statute_broken_by_a_running_header_is_found_on_both_pages() -> None:
    found = _found(PAGES)
    assert ("statute", "CrPC 382-B", "section 382-B", "1/2") in found[0]
    assert ("statute", "CrPC 382-B", "Cr.P.C.", "2/2") in found[1]


def test_a_citation_broken_by_a_page_break_is_found_on_both_pages() -> None:
    found = _found(PAGES)
    assert ("citation", "PLD 2009 SC 53", "PLD 2009", "1/2") in found[1]
    assert ("citation", "PLD 2009 SC 53", "SC 53", "2/2") in found[2]


def test_spans_are_into_each_page_text() -> None:
    for text, entities in zip(PAGES, page_entities(PAGES, None), strict=True):
        for e in entities:
            assert text[e.start:e.end] == e.raw
    whole = [e for page in document_rule_entities(PAGES) for e in page if e.kind == "cnic"]
    assert [(e.key, e.attrs.get("part")) for e in whole] == [("17301-1234567-1", None)]


def test_page_furniture_is_not_a_reference() -> None:
    # the running header is a case number printed on every page: furniture, not a reference
    assert not [e for page in document_rule_entities(PAGES) for e in page if e.kind == "case_number"]
    # without a page break the same words on one page are read as they are
    assert [e.key for e in document_rule_entities(["under section 382-B Cr.P.C. today"])[0]] == ["CrPC 382-B"]


def test_no_pages() -> None:
    assert document_rule_entities([]) == []
