"""Search pages, viewer, downloads, corrections, saved searches and case law through the Flask test
client, against real SQLite (migrated) and the real Elasticsearch node."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from config import Settings
from models import AuditEvent, CaseLaw, Page, SavedSearch
from tests.integration.web_world import World, app, client_for, csrf_from, world

__all__ = ["app", "world"]  # the shared fixtures (web_world), bound here so pytest finds them

pytestmark = [pytest.mark.elasticsearch]

RECT = re.compile(
    r'<rect class="hit-box" x="(\d+)" y="(\d+)" width="(\d+)" height="(\d+)"\s+data-word="([^"]*)"'
)


def audits(factory: sessionmaker[Session], action: str) -> list[AuditEvent]:
    with factory() as db:
        return list(db.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)))


def test_search_groups_by_document_with_escaped_highlights_and_facets(
    app: Flask, world: World, session_factory: sessionmaker[Session]
) -> None:
    client = client_for(app, "pros_a")
    page = client.get("/search", query_string={"q": "script"})
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    fir = world.docs["fir"].id
    assert f'data-document-id="{fir}"' in html
    assert f"/documents/{fir}/pages/1?q=script" in html
    # The OCR'd <script> is shown as text; only <mark> survives as markup.
    assert "<script>alert" not in html
    assert "&lt;<mark>script</mark>&gt;alert(" in html

    html = client.get("/search", query_string={"q": "qatl-e-amd"}).get_data(as_text=True)
    assert re.search(r'id="result-total">2<', html)
    assert re.search(r'id="took-ms">\d+<', html)
    for facet in ("doc_type", "district", "court", "year"):
        assert f'data-facet="{facet}"' in html, facet
    assert re.search(r'data-facet-value="Peshawar"[^<]*>Peshawar</a>\s*<span class="count">\(2\)', html)

    # A facet link narrows the results to one document.
    narrowed = client.get("/search", query_string={"q": "qatl-e-amd", "court": "Sessions Court Peshawar"})
    assert re.search(r'id="result-total">1<', narrowed.get_data(as_text=True))

    events = audits(session_factory, "search")
    assert [e.detail["query"] for e in events[-3:]] == ["script", "qatl-e-amd", "qatl-e-amd"]
    assert events[-1].detail["results"] == 1
    assert events[-1].detail["filters"] == {"court": ["Sessions Court Peshawar"]}
    assert events[-1].username == "pros_a"


def test_search_within_a_case_and_case_law_only(app: Flask, world: World) -> None:
    client = client_for(app, "admin")
    case_id = world.cases["gul_khan"].id
    html = client.get("/search", query_string={"q": "qatl-e-amd", "case_id": case_id}).get_data(as_text=True)
    assert re.search(r'id="result-total">1<', html)
    assert f'data-document-id="{world.docs["fir"].id}"' in html
    assert 'id="case-filter"' in html

    html = client.get("/caselaw", query_string={"q": '"benefit of doubt"'}).get_data(as_text=True)
    found = set(re.findall(r'class="result" data-document-id="(\d+)"', html))
    # the admin reads every district: published judgments and the one awaiting approval
    assert found == {str(world.docs["older"].id), str(world.docs["newer"].id), str(world.docs["pending"].id)}


def test_bad_query_is_explained_and_audited(app: Flask, session_factory: sessionmaker[Session]) -> None:
    client = client_for(app, "pros_a")
    response = client.get("/search", query_string={"q": "x", "sort": "sideways"})
    assert response.status_code == 400
    assert 'id="search-error"' in response.get_data(as_text=True)
    too_long = client.get("/search", query_string={"q": "murder " * 400})
    assert too_long.status_code == 400 and 'id="search-error"' in too_long.get_data(as_text=True)
    refused = audits(session_factory, "search")[-1]
    assert not refused.success and refused.detail["error"] and refused.username == "pros_a"
    response = client.get("/search", query_string={"q": '"unclosed phrase'})
    assert response.status_code in (200, 400)  # the parser may repair or refuse; never a 500


def test_viewer_boxes_the_matched_words_from_stored_boxes(app: Flask, world: World) -> None:
    client = client_for(app, "pros_a")
    fir = world.docs["fir"]
    response = client.get(f"/documents/{fir.id}", query_string={"q": "accused"})
    assert response.status_code == 302  # to the first hit page
    assert response.headers["Location"].endswith(f"/documents/{fir.id}/pages/1?q=accused")
    html = client.get(f"/documents/{fir.id}/pages/1", query_string={"q": "accused"}).get_data(as_text=True)
    rects = RECT.findall(html)
    with Session(bind=app.extensions["cmms"].engine) as db:
        page = db.scalar(select(Page).where(Page.document_id == fir.id, Page.page_no == 1))
        assert page is not None
        stored = [w for w in page.words if w[0].startswith("accused")]
    assert [(int(x), int(y), int(w), int(h)) for x, y, w, h, _ in rects] == [tuple(w[1:5]) for w in stored]
    assert re.search(rf'href="/documents/{fir.id}/pages/2\?q=accused" id="next-hit"', html)
    assert 'id="prev-hit"' not in html
    second = client.get(f"/documents/{fir.id}/pages/2", query_string={"q": "accused"}).get_data(as_text=True)
    assert re.search(rf'href="/documents/{fir.id}/pages/1\?q=accused" id="prev-hit"', second)
    # page 3 is the Urdu page: "accused" finds ملزم through the glossary (issue 16)
    assert re.search(rf'href="/documents/{fir.id}/pages/3\?q=accused" id="next-hit"', second)
    assert "3 pages with hits" in second
    third = client.get(f"/documents/{fir.id}/pages/3", query_string={"q": "accused"}).get_data(as_text=True)
    assert 'id="next-hit"' not in third
    assert re.search(r'<pre id="page-text" dir="auto"[^>]*>The accused Gul Khan', html)
    assert "&lt;script&gt;alert(&#39;owned&#39;)&lt;/script&gt;" in html
    assert 'id="case-link"' in html
    assert "Gul Khan" in html and "PPC 302" in html  # entities

    urdu = client.get(f"/documents/{fir.id}/pages/3").get_data(as_text=True)
    assert re.search(r'<pre id="page-text" dir="rtl"', urdu)

    failed = client.get(f"/documents/{world.docs['failed'].id}").get_data(as_text=True)
    assert re.search(r'id="document-error">\s*This document could not be processed \(unreadable\):\s*'
                     r'The file is not a readable PDF\. Scan it again', failed)


def test_page_image_and_downloads_are_scoped_safe_and_audited(
    app: Flask, world: World, session_factory: sessionmaker[Session]
) -> None:
    client = client_for(app, "pros_a")
    fir = world.docs["fir"].id
    image = client.get(f"/documents/{fir}/pages/1/image")
    assert image.status_code == 200 and image.mimetype == "image/png"
    assert image.headers["X-Content-Type-Options"] == "nosniff"
    assert image.data[:8] == b"\x89PNG\r\n\x1a\n"
    original = client.get(f"/documents/{fir}/original")
    assert original.status_code == 200 and original.data.startswith(b"%PDF-1.4 test original")
    disposition = original.headers["Content-Disposition"]
    assert disposition.startswith(f'attachment; filename="document-{fir}.pdf"; filename*=UTF-8\'\'')
    assert "%D9%85%D9%82%D8%AF%D9%85%DB%81" in disposition  # the Urdu display name, percent-encoded
    assert original.headers["X-Content-Type-Options"] == "nosniff"
    downloads = audits(session_factory, "download")
    assert downloads[-1].object_id == str(fir) and downloads[-1].success
    # These test originals are not renderable PDFs: the searchable PDF is refused with a reason.
    refused = client.get(f"/documents/{fir}/searchable.pdf")
    assert refused.status_code == 409 and "Download the original" in refused.get_data(as_text=True)
    failure = audits(session_factory, "download")[-1]
    assert not failure.success and failure.detail["variant"] == "searchable_pdf"
    assert any(e.object_type == "page" for e in audits(session_factory, "view_image"))


def test_prosecutor_is_refused_another_districts_document_everywhere(
    app: Flask, world: World, session_factory: sessionmaker[Session]
) -> None:
    mardan = world.docs["mardan"].id
    # The Mardan prosecutor finds it, so the refusal below is the scope and not a missing index entry.
    own = client_for(app, "pros_b").get("/search", query_string={"q": "zarghuna"}).get_data(as_text=True)
    assert f'data-document-id="{mardan}"' in own

    client = client_for(app, "pros_a")
    html = client.get("/search", query_string={"q": "zarghuna"}).get_data(as_text=True)
    assert f'data-document-id="{mardan}"' not in html and re.search(r'id="result-total">0<', html)
    for url in (f"/documents/{mardan}", f"/documents/{mardan}/pages/1", f"/documents/{mardan}/pages/1/image",
                f"/documents/{mardan}/original", f"/documents/{mardan}/searchable.pdf",
                f"/api/v1/documents/{mardan}", f"/api/v1/documents/{mardan}/pages/1"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert b"zarghuna" not in response.data
    api = client.get("/api/v1/search", query_string={"q": "zarghuna"}).get_json()
    assert api["total_documents"] == 0
    denied = [e for e in audits(session_factory, "view") + audits(session_factory, "download")
              + audits(session_factory, "view_image") if not e.success and e.object_id == str(mardan)]
    assert len(denied) >= 7
    assert {e.detail.get("reason") for e in denied} == {"out_of_scope"}


def test_correction_is_stored_audited_and_reindexed(
    app: Flask, world: World, settings: Settings, session_factory: sessionmaker[Session], redis_conn: Any
) -> None:
    from tests.integration.web_world import run_jobs

    fir = world.docs["fir"].id
    prosecutor = client_for(app, "pros_a")
    token = csrf_from(prosecutor.get(f"/documents/{fir}/pages/2").get_data(as_text=True))
    refused = prosecutor.post(f"/documents/{fir}/pages/2/correction",
                              data={"corrected_text": "x", "csrf_token": token})
    assert refused.status_code == 403

    clerk = client_for(app, "clerk")
    html = clerk.get(f"/documents/{fir}/pages/2").get_data(as_text=True)
    assert 'id="corrected-text"' in html
    no_token = clerk.post(f"/documents/{fir}/pages/2/correction", data={"corrected_text": "x"})
    assert no_token.status_code == 400
    new_text = "Second page: the complainant Sher Ali identified the accused near the tubewell."
    response = clerk.post(f"/documents/{fir}/pages/2/correction",
                          data={"corrected_text": new_text, "csrf_token": csrf_from(html)})
    assert response.status_code == 302
    with session_factory() as db:
        page = db.scalar(select(Page).where(Page.document_id == fir, Page.page_no == 2))
        assert page is not None and page.corrected_text == new_text
        assert "at the scene" in page.text  # machine text kept
        assert page.corrected_by_id == world.users["clerk"].id and page.corrected_at is not None
    edit = audits(session_factory, "edit")[-1]
    assert edit.object_type == "page" and edit.username == "clerk"

    worker_output = run_jobs(settings)
    html = clerk.get("/search", query_string={"q": "tubewell"}).get_data(as_text=True)
    assert f'data-document-id="{fir}"' in html, worker_output


def test_saved_searches_save_list_run_delete(app: Flask, session_factory: sessionmaker[Session]) -> None:
    client = client_for(app, "pros_a")
    query = {"q": "qatl-e-amd", "district": "Peshawar"}
    html = client.get("/search", query_string=query).get_data(as_text=True)
    response = client.post("/search/saved", data={
        "name": "Murder files", "q": "qatl-e-amd", "district": "Peshawar", "csrf_token": csrf_from(html)})
    assert response.status_code == 302
    listing = client.get("/search/saved").get_data(as_text=True)
    assert "Murder files" in listing
    with session_factory() as db:
        saved = db.scalars(select(SavedSearch)).one()
        assert saved.filters == {"district": ["Peshawar"]}
    run = client.get(f"/search/saved/{saved.id}")
    assert run.status_code == 302 and "q=qatl-e-amd" in run.headers["Location"]
    assert "district=Peshawar" in run.headers["Location"]
    other = client_for(app, "pros_b")
    assert other.get(f"/search/saved/{saved.id}").status_code == 404
    deleted = client.post(f"/search/saved/{saved.id}/delete", data={"csrf_token": csrf_from(listing)})
    assert deleted.status_code == 302
    with session_factory() as db:
        assert db.scalars(select(SavedSearch)).first() is None


def test_case_law_list_entry_links_and_librarian_edit(
    app: Flask, world: World, session_factory: sessionmaker[Session], redis_conn: Any
) -> None:
    cited, citing = world.caselaw["cited"], world.caselaw["citing"]
    client = client_for(app, "pros_a")
    listing = client.get("/caselaw", query_string={"decided_year": "2019"}).get_data(as_text=True)
    assert f'data-caselaw-id="{cited.id}"' in listing and f'data-caselaw-id="{citing.id}"' not in listing
    entry = client.get(f"/caselaw/{citing.id}").get_data(as_text=True)
    assert (f'<a href="/caselaw/{cited.id}" class="in-collection">'
            '<bdi dir="ltr" class="citation">PLD 2019 SC 64</bdi></a>') in entry
    assert '<bdi dir="ltr" class="citation">PLD 1990 SC 1</bdi> <span class="muted">(not in the collection)' in entry
    cited_page = client.get(f"/caselaw/{cited.id}").get_data(as_text=True)
    assert f'href="/caselaw/{citing.id}"' in cited_page.split('id="cited-by"')[1]
    assert client.get(f"/caselaw/{cited.id}/edit").status_code == 403

    librarian = client_for(app, "librarian")
    form = librarian.get(f"/caselaw/{cited.id}/edit").get_data(as_text=True)
    response = librarian.post(f"/caselaw/{cited.id}/edit", data={
        "citations": "PLD 2019 SC 64", "case_numbers": "Crl.A. 1/2018", "court": "Supreme Court of Pakistan",
        "parties": "State v. Amir Khan", "judge": "Justice A", "decided_on": "2019-03-01", "summary": "",
        "csrf_token": csrf_from(form)})
    assert response.status_code == 302
    with session_factory() as db:
        stored = db.get(CaseLaw, cited.id)
        assert stored is not None and stored.parties == "State v. Amir Khan"
        assert stored.case_number == "Crl.A.1-2018"  # typed forms are read through legalrefs
    edit = audits(session_factory, "edit")[-1]
    assert edit.object_type == "case_law"
    assert edit.detail["changes"]["parties"] == {"old": "State v. Amir", "new": "State v. Amir Khan"}
    bad = librarian.post(f"/caselaw/{cited.id}/edit", data={
        "decided_on": "yesterday", "csrf_token": csrf_from(form)})
    assert bad.status_code == 400


def test_query_language_help_page(app: Flask) -> None:
    response = client_for(app, "pros_a").get("/search/help")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<h1" in html or "<h2" in html
