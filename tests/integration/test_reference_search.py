"""Searching legal references end to end (issue 14): the snippet marks exactly the printed reference,
the viewer boxes exactly its words (never unrelated ``PLD``/``SC``/``2010`` tokens), and the viewer's
"pages with hits" is the number of pages the search matched. Real SQLite, real Elasticsearch; the
entities are what the pipeline's extraction code (``ingest.entities.page_entities``) stores."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session, sessionmaker

from config import Settings
from ingest.entities import page_entities
from models import Document, Entity
from tests.integration.web_world import World, add_document, build_world, index_world, login

pytestmark = [pytest.mark.elasticsearch]

RECT_WORD = re.compile(r'<rect class="hit-box"[^>]*data-word="([^"]*)"')
SNIPPET = re.compile(r'<span class="snippet" dir="auto">… (.*?) …</span>', re.S)
PAGE_HIT = re.compile(r'class="page-link" href="/documents/(\d+)/pages/(\d+)\?q=[^"]*">')

CITING = [
    ["The SC has held more than once in 2010 that bail is the rule.",
     "Learned counsel relied on PLD 2010 SC 123 for the rule of consistency."],
    ["Nothing on this page is a citation: SC, PLD and 2010 are printed on their own.",
     "The FIR was lodged in 2010 and the PLD library was closed."],
    ["The same view was taken in P L D 2010 Supreme Court 123 and followed since.",
     "The appellant was convicted under section 302(b) PPC read with section 34 PPC."],
]


@pytest.fixture
def world(session_factory: sessionmaker[Session], settings: Settings, es: Any) -> World:
    built = build_world(session_factory, settings)
    with session_factory() as db:
        district = built.districts["peshawar"]
        doc = add_document(db, settings, key="citing-judgment", district=district, pages=CITING,
                           filename="citing.pdf")
        _extract(db, doc)
        db.commit()
        built.docs["citing"] = doc
    index_world(session_factory, es, settings, built)
    return built


def _extract(db: Session, doc: Document) -> None:
    """Store the entities the nlp stage would (legalrefs on the joined pages, spaCy left out)."""
    pages = sorted(doc.pages, key=lambda p: p.page_no)
    for page, found in zip(pages, page_entities([p.effective_text for p in pages], None), strict=True):
        for e in found:
            db.add(Entity(document_id=doc.id, page_id=page.id, kind=e.kind, key=e.key, raw=e.raw, start=e.start,
                          end=e.end, source=e.source, attrs=e.attrs))
    db.flush()


@pytest.fixture
def client(settings: Settings, world: World) -> Iterator[FlaskClient]:
    from search_app import create_app

    app: Flask = create_app(settings)
    app.config["TESTING"] = True
    test_client = app.test_client()
    login(test_client, "pros_a")
    yield test_client


def _result_pages(html: str, document_id: int) -> list[int]:
    return [int(page) for doc, page in PAGE_HIT.findall(html) if int(doc) == document_id]


def test_a_citation_query_marks_the_printed_citation_in_the_snippet(client: FlaskClient, world: World) -> None:
    doc = world.docs["citing"].id
    html = client.get("/search", query_string={"q": "PLD 2010 SC 123"}).get_data(as_text=True)
    assert _result_pages(html, doc) == [1, 3]
    snippets = SNIPPET.findall(html)
    assert any("<mark>PLD 2010 SC 123</mark>" in s for s in snippets), snippets
    assert any("<mark>P L D 2010 Supreme Court 123</mark>" in s for s in snippets), snippets
    # only the citation is marked: not the lone "SC" or "2010" earlier on page 1
    for snippet in snippets:
        assert set(re.findall(r"<mark>(.*?)</mark>", snippet)) <= {"PLD 2010 SC 123", "P L D 2010 Supreme Court 123"}


def test_a_statute_query_marks_the_section_and_not_the_top_of_the_page(client: FlaskClient, world: World) -> None:
    doc = world.docs["citing"].id
    html = client.get("/search", query_string={"q": "302 PPC"}).get_data(as_text=True)
    assert _result_pages(html, doc) == [3]
    snippets = SNIPPET.findall(html)
    assert any("<mark>section 302(b) PPC</mark>" in s for s in snippets), snippets
    assert not any(s.startswith("The same view") and "<mark>" not in s for s in snippets)


def test_the_viewer_boxes_only_the_citation_and_counts_the_pages_the_search_counted(
    client: FlaskClient, world: World
) -> None:
    doc = world.docs["citing"].id
    response = client.get(f"/documents/{doc}", query_string={"q": "PLD 2010 SC 123"})
    assert response.headers["Location"].endswith(f"/documents/{doc}/pages/1?q=PLD+2010+SC+123")
    first = client.get(f"/documents/{doc}/pages/1", query_string={"q": "PLD 2010 SC 123"}).get_data(as_text=True)
    assert "2 pages with hits" in first
    assert RECT_WORD.findall(first) == ["PLD", "2010", "SC", "123"]  # the citation's words, not "SC" in line 1
    second = client.get(f"/documents/{doc}/pages/2", query_string={"q": "PLD 2010 SC 123"}).get_data(as_text=True)
    assert RECT_WORD.findall(second) == []  # PLD, SC and 2010 printed alone are not the citation
    assert re.search(rf'href="/documents/{doc}/pages/3\?q=PLD\+2010\+SC\+123" id="next-hit"', second)
    third = client.get(f"/documents/{doc}/pages/3", query_string={"q": "PLD 2010 SC 123"}).get_data(as_text=True)
    assert RECT_WORD.findall(third) == ["P", "L", "D", "2010", "Supreme", "Court", "123"]


def test_viewer_boxes_a_statute_and_the_words_beside_it(client: FlaskClient, world: World) -> None:
    doc = world.docs["citing"].id
    html = client.get(f"/documents/{doc}/pages/3", query_string={"q": "302 PPC convicted"}).get_data(as_text=True)
    assert "1 page with hits" in html
    assert RECT_WORD.findall(html) == ["section", "302(b)", "PPC", "convicted"]


def test_search_and_viewer_agree_on_word_queries_too(client: FlaskClient, world: World) -> None:
    doc = world.docs["citing"].id
    html = client.get("/search", query_string={"q": "citation", "best_pages": 3}).get_data(as_text=True)
    pages = _result_pages(html, doc)
    viewer = client.get(f"/documents/{doc}/pages/1", query_string={"q": "citation"}).get_data(as_text=True)
    count = len(pages)
    assert f"{count} page{'' if count == 1 else 's'} with hits" in viewer
