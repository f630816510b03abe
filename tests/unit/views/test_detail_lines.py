"""Detail lines and titles on English and Urdu pages: how the templates render given results, through the
Flask test client on SQLite. A rendering rule, so a unit test: where a page shows search results, the
search is given fixed results (no Elasticsearch here); the searches themselves are tested against real
Elasticsearch in tests/integration (test_web_caselaw, test_web_search, test_similar_dense).

- A result's or a judgment's details (citation · court · date · page N) put " · " only between the parts
  that are there (no trailing or doubled separator when a judgment has no date, court or case number),
  with nothing but that one separator between two parts, each part in its own isolate; the page link
  does not carry the page layout's ``page`` class (its padding was the wide gap before "page N").
- A document title in an ``<option>`` (which cannot hold ``<bdi>``) is isolated with Unicode marks:
  FIRST STRONG ISOLATE ... PDI around the whole, LRI ... PDI around each citation in it.
- The exhibit page's "<title>, page N" keeps the sentence in the page's direction and isolates the title.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session, sessionmaker

from config import Settings
from models import CaseLaw, Document, Exhibit
from search_app.search.results import DocumentGroup, PageHit, SearchResults
from tests.integration.web_world import World, add_document, build_world, client_for

FSI, LRI, PDI = "\u2068", "\u2066", "\u2069"
URDU_TITLE = "فرد برآمدگی، اپیل 2010 SCMR 1791"
ENGLISH_TITLE = "Recovery memo (P-1) <b>"
CITATION = '<bdi dir="ltr" class="citation">{}</bdi>'


@pytest.fixture
def world(session_factory: sessionmaker[Session], settings: Settings) -> World:
    """The web tests' world (not indexed: nothing here searches Elasticsearch), with a recovery memo in
    English and one in Urdu attached to Gul Khan's case, both mentioning exhibit P-1, and the older
    judgment without a date."""
    built = build_world(session_factory, settings)
    with session_factory() as db:
        case = built.cases["gul_khan"]
        district = built.districts["peshawar"]
        for key, title in (("memo-en", ENGLISH_TITLE), ("memo-ur", URDU_TITLE)):
            document = add_document(db, settings, key=key, district=db.merge(district), case=db.merge(case),
                                    pages=[["Recovery memo: pistol marked P-1 sealed in a parcel."]],
                                    filename=f"{key}.pdf")
            document.title = title
            built.docs[key] = document
        db.add(Exhibit(case_id=case.id, label="P-1", description="30 bore pistol"))
        cited = db.get(CaseLaw, built.caselaw["cited"].id)
        assert cited is not None
        cited.decided_on = None
        db.commit()
    return built


@pytest.fixture
def app(settings: Settings, world: World) -> Iterator[Flask]:
    from search_app import create_app

    application = create_app(settings)
    application.config["TESTING"] = True
    yield application
    application.extensions["cmms"].engine.dispose()


def _client(app: Flask, language: str) -> FlaskClient:
    client: FlaskClient = client_for(app, "pros_a")
    client.set_cookie("cmms_lang", language)
    return client


def _metas(html: str, tag: str = "p", css: str = "result-meta") -> list[str]:
    return re.findall(rf'<{tag} class="{css}">(.*?)</{tag}>', html, re.DOTALL)


def _group(world: World, doc: str, judgment: str, citation: str, court: str, day: str | None,
           pages: tuple[int, ...]) -> DocumentGroup:
    return DocumentGroup(document_id=world.docs[doc].id, title="State v. Amir", doc_type="judgment", case_id=None,
                         district="Peshawar", court=court, citation=citation, is_case_law=True, doc_date=day,
                         score=1.0, pages=tuple(PageHit(n, 1.0, ()) for n in pages),
                         caselaw_id=world.caselaw[judgment].id, published=True)


def _results(*groups: DocumentGroup) -> SearchResults:
    return SearchResults(total_documents=len(groups), total_pages=len(groups), took_ms=1, page=1, page_size=20,
                         groups=groups, facets=())


@pytest.mark.parametrize(("language", "page_word"), [("en", "page"), ("ur", "صفحہ")])
def test_related_judgment_details_separate_only_the_parts_there_are(
        app: Flask, world: World, monkeypatch: pytest.MonkeyPatch, language: str, page_word: str) -> None:
    found = _results(
        _group(world, "older", "cited", "PLD 2019 SC 64", "Supreme Court of Pakistan", "2019-03-01", (3,)),
        _group(world, "newer", "citing", "2023 SCMR 100", "Peshawar High Court", None, (1,)),  # no date
        _group(world, "older", "cited", "PLD 2015 SC 12", "", None, ()))  # a citation alone
    monkeypatch.setattr("search_app.views.caselaw_knowledge.similar_case_law", lambda *a, **k: found)
    html = _client(app, language).get(f"/caselaw/{world.caselaw['citing'].id}/related").get_data(as_text=True)
    page_link = r'<bdi class="hit-page"><a href="/documents/{}/pages/{}">' + page_word + r" {}</a></bdi>"
    full, undated, bare = _metas(html)
    assert re.fullmatch(re.escape(CITATION.format("PLD 2019 SC 64")) + ' · <bdi class="court">Supreme Court of '
                        'Pakistan</bdi> · <bdi class="date">[^<]+2019</bdi> · '
                        + page_link.format(world.docs["older"].id, 3, 3), full)
    assert re.fullmatch(re.escape(CITATION.format("2023 SCMR 100")) + ' · <bdi class="court">Peshawar High '
                        'Court</bdi> · ' + page_link.format(world.docs["newer"].id, 1, 1), undated)
    assert bare == CITATION.format("PLD 2015 SC 12")


@pytest.mark.parametrize("language", ["en", "ur"])
def test_a_judgment_in_the_list_shows_its_details_without_empty_separators(app: Flask, world: World,
                                                                           language: str) -> None:
    html = _client(app, language).get("/caselaw").get_data(as_text=True)
    lines = dict(re.findall(r'<li data-caselaw-id="(\d+)">.*?<span class="meta">(.*?)</span>\s*</li>', html,
                            re.DOTALL))
    # no case number: not "2023 SCMR 100 ·  · Supreme Court of Pakistan"
    assert re.fullmatch(re.escape(CITATION.format("2023 SCMR 100")) + ' · <span dir="auto">Supreme Court of '
                        'Pakistan</span> · <bdi class="date">[^<]+2023</bdi>', lines[str(world.caselaw["citing"].id)])
    # no date: nothing after the court
    assert lines[str(world.caselaw["cited"].id)] == (
        CITATION.format("PLD 2019 SC 64") + ' · <bdi dir="ltr" class="ref">Crl.A.10-2018</bdi> · '
        '<span dir="auto">Supreme Court of Pakistan</span>')


def test_a_search_hit_shows_its_details_without_empty_separators(app: Flask, world: World,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    found = _results(_group(world, "older", "cited", "PLD 2015 SC 12", "", None, (1,)))
    monkeypatch.setattr("search_app.views.search.search", lambda *a, **k: found)
    html = _client(app, "ur").get("/search", query_string={"q": "doubt"}).get_data(as_text=True)
    (meta,) = _metas(html)
    cited = world.caselaw["cited"].id
    # a court-less judgment: district, then its citation (left-to-right), then the links; one " · " each
    assert re.fullmatch(r'[^<·]+ · <span dir="auto">Peshawar</span> · ' + re.escape(CITATION.format("PLD 2015 SC 12"))
                        + rf' · <a href="/caselaw/{cited}" class="caselaw-record">[^<]+</a> · '
                        rf'<a href="/caselaw/{cited}/related" class="similar-judgments">[^<]+</a>', meta)


def _options(html: str, name: str) -> dict[str, str]:
    select = html.split(f'<select name="{name}">')[1].split("</select>")[0]
    return dict(re.findall(r'<option value="(\d+)">(.*?)</option>', select))


@pytest.mark.parametrize("language", ["en", "ur"])
def test_document_titles_in_a_select_are_isolated_with_unicode_marks(app: Flask, world: World,
                                                                      language: str) -> None:
    client = _client(app, language)
    case_id = world.cases["gul_khan"].id
    urdu, english = str(world.docs["memo-ur"].id), str(world.docs["memo-en"].id)
    for path, name in ((f"/cases/{case_id}/exhibits", "memo_document"),
                       (f"/cases/{case_id}/witnesses", "statement_document")):
        options = _options(client.get(path).get_data(as_text=True), name)
        # the title in its own direction, the citation in it left-to-right; what was typed stays escaped
        assert options[urdu] == f"{FSI}فرد برآمدگی، اپیل {LRI}2010 SCMR 1791{PDI}{PDI}", path
        assert options[english] == f"{FSI}Recovery memo (P-1) &lt;b&gt;{PDI}", path


def test_the_exhibit_page_isolates_a_document_title_inside_its_sentence(app: Flask, world: World,
                                                                        session_factory: sessionmaker[Session]
                                                                        ) -> None:
    with session_factory() as db:
        exhibit = db.query(Exhibit).one()
        urdu, english = db.get(Document, world.docs["memo-ur"].id), db.get(Document, world.docs["memo-en"].id)
        assert urdu is not None and english is not None
    html = _client(app, "ur").get(f"/cases/{exhibit.case_id}/exhibits/{exhibit.id}").get_data(as_text=True)
    mentions = html.split('<ul id="mentions">')[1].split("</ul>")[0]
    # the link follows the page's direction (no dir="auto" taken from an English title), the title is an isolate
    assert (f'<a href="/documents/{urdu.id}/pages/1"><bdi class="doc-title">فرد برآمدگی، اپیل '
            '<bdi dir="ltr" class="ref">2010 SCMR 1791</bdi></bdi>، صفحہ 1</a>') in mentions
    assert (f'<a href="/documents/{english.id}/pages/1"><bdi class="doc-title">Recovery memo (P-1) &lt;b&gt;</bdi>'
            '، صفحہ 1</a>') in mentions
