"""Pure helpers of the search/viewer views: snippet re-sanitising, word-box matching, download
headers and search URL round trips. Table-driven; no services."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from werkzeug.datastructures import MultiDict

from search_app.search import SearchRequestError
from search_app.views.downloads import StoredFileMissingError, content_disposition, stored_path
from search_app.views.search_params import args_from_saved, filters_of, request_from_args, toggle_facet
from search_app.views.snippets import safe_highlight
from search_app.views.wordboxes import matching_boxes, query_terms, text_has_match


@pytest.mark.parametrize(("fragment", "expected"), [
    ("a <mark>b</mark> &lt;script&gt;", "a <mark>b</mark> &lt;script&gt;"),  # already safe: unchanged
    ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),  # raw tags escaped
    ("<mark onclick=x>a</mark>", "&lt;mark onclick=x&gt;a"),  # a mark with attributes is not a mark
    ("<MARK>a</MARK>", "&lt;MARK&gt;a&lt;/MARK&gt;"),
    ("<mark>open", "<mark>open</mark>"),  # unbalanced: closed
    ("stray</mark> close", "stray close"),
    ("<mark><mark>x</mark></mark>", "<mark>x</mark>"),  # nesting flattened
    ("R&D &amp; &#39;q&#39; \"x\"", "R&amp;D &amp; &#39;q&#39; &#34;x&#34;"),  # bare & escaped, refs kept
    ("<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)&gt;"),
])
def test_safe_highlight_leaves_only_mark_tags(fragment: str, expected: str) -> None:
    assert str(safe_highlight(fragment)) == expected
    assert str(safe_highlight(str(safe_highlight(fragment)))) == expected  # idempotent


@pytest.mark.parametrize(("query", "word", "matches"), [
    ("murder", "Murder,", True),
    ("murdered", "murder", True),  # suffix folding, like the index's stemmer
    ("qatl-e-amd", "(qatl-e-amd).", True),  # hyphenated OCR word matches by its parts
    ("murd*", "murderer", True),
    ("ps:Saddar", "SADDAR", True),  # field prefix dropped, value kept
    ('"the deceased"', "the", False),  # stop words are not boxed
    ("section:302 AND NOT bail", "302", True),
    ("section:302 AND NOT bail", "AND", False),
    ("Pèshawar", "Peshawar", True),  # accents folded
    ("ملزم", "ملزم", True),
    ("murder", "murderous", False),
])
def test_word_matching(query: str, word: str, matches: bool) -> None:
    boxes = matching_boxes([[word, 1, 2, 3, 4, 90.0, 0, len(word)]], query_terms(query))
    assert bool(boxes) is matches


def test_matching_boxes_skip_malformed_entries_and_keep_coordinates() -> None:
    words: list[list[Any]] = [
        ["pistol", 10, 20, 30, 40], ["pistol"], [None, 1, 2, 3, 4], ["pistol", "x", 1, 1, 1],
    ]
    boxes = matching_boxes(words, query_terms("pistol"))
    assert [(b.left, b.top, b.width, b.height) for b in boxes] == [(10, 20, 30, 40)]
    assert text_has_match("recovery of the pistol.", query_terms("pistols"))
    assert not matching_boxes(words, query_terms(""))


@pytest.mark.parametrize(("name", "ascii_part"), [
    ("مقدمہ ایف آئی آر.pdf", 'filename="document-7.pdf"'),  # Urdu collapses: fallback
    ("Résumé 1.pdf", 'filename="Resume 1.pdf"'),
    ('evil"\r\nX-Injected: 1.pdf', 'filename="evil___X-Injected_ 1.pdf"'),
    ("../../etc/passwd", 'filename="document-7.pdf"'),
])
def test_content_disposition_is_rfc6266_and_injection_free(name: str, ascii_part: str) -> None:
    header = content_disposition(name, "document-7.pdf")
    assert header.startswith(f"attachment; {ascii_part}; filename*=UTF-8''")
    assert "\r" not in header and "\n" not in header and "/" not in header.split("filename*=")[1]


def test_stored_path_stays_inside_the_store(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "f.png").write_bytes(b"x")
    (tmp_path.parent / "outside.png").write_bytes(b"x")
    assert stored_path(tmp_path, "a/f.png") == (tmp_path / "a" / "f.png").resolve()
    for bad in ("../outside.png", "", None, "a/missing.png", "/etc/passwd"):
        with pytest.raises(StoredFileMissingError):
            stored_path(tmp_path, bad)


def test_search_urls_round_trip_and_toggle_facets() -> None:
    args = MultiDict([("q", "PPC 302"), ("district", "Peshawar"), ("district", "Mardan"), ("year", "2019"),
                      ("sort", "date_desc"), ("page", "2"), ("case_law", "1")])
    request = request_from_args(args)
    assert request.facets == {"district": ("Peshawar", "Mardan"), "year": ("2019",)}
    assert request.page == 2 and request.case_law_only and request.sort == "date_desc"
    filters = filters_of(request)
    assert request_from_args(MultiDict(list(_flatten(args_from_saved("PPC 302", filters))))).facets == \
        request.facets
    toggled = toggle_facet(request, "district", "Mardan")
    assert toggled["district"] == ["Peshawar"] and "page" not in toggled
    assert toggle_facet(request, "court", "Sessions Court")["court"] == ["Sessions Court"]


def _flatten(args: dict[str, object]) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for key, value in args.items():
        out.extend((key, str(v)) for v in (value if isinstance(value, list) else [value]))
    return out


@pytest.mark.parametrize("args", [
    {"sort": "sideways"}, {"page": "x"}, {"date_from": "31/01/2024"}, {"page_size": "500"},
    {"date_from": "2024-02-01", "date_to": "2024-01-01"},
])
def test_bad_search_parameters_are_refused_with_a_message(args: dict[str, str]) -> None:
    with pytest.raises(SearchRequestError) as raised:
        request_from_args(MultiDict(list(args.items())))
    assert raised.value.message


@pytest.mark.parametrize(("typed", "read"), [
    ("\x00", ""), ("  \x1b[31m ", "[31m"), ("PPC\x00302", "PPC 302"), ("قتل\t302", "قتل 302"), (None, ""),
])
def test_control_characters_in_a_query_read_as_nothing(typed: str | None, read: str) -> None:
    args = MultiDict([("q", typed)] if typed is not None else [])
    assert request_from_args(args).text == read
