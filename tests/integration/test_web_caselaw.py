"""Case law through the Flask test client on real SQLite and the real Elasticsearch node: approval
before publication, librarian-only edits of records and text, citations shown as printed, typed
citations read through legalrefs and linked both ways, treatments and citator warnings, curation,
related judgments, statute pages, practice notes and the case-law API.

The world (``web_world``): published judgments PLD 2019 SC 64 (Peshawar) and 2023 SCMR 100 (Mardan,
citing the first), and one judgment of Mardan awaiting approval. Re-index jobs the app queues are run
here by calling the indexer directly (what the worker does).
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from config import Settings
from models import (
    AuditEvent,
    CaseLaw,
    CaseLawCitation,
    CaseLawHeadnote,
    CaseLawStatus,
    CitationTreatment,
    Page,
    PracticeNote,
    User,
)
from tests.integration.web_world import World, app, client_for, csrf_from, world

__all__ = ["app", "world"]  # the shared fixtures (web_world), bound here so pytest finds them

pytestmark = [pytest.mark.elasticsearch]


def post(client: FlaskClient, path: str, data: dict[str, str], form_page: str | None = None) -> Any:
    token = csrf_from(client.get(form_page or "/caselaw").get_data(as_text=True))
    return client.post(path, data={**data, "csrf_token": token})


def reindex(factory: sessionmaker[Session], es: Any, settings: Settings, *document_ids: int) -> None:
    from indexer import IndexNames, index_document

    with factory() as db:
        for document_id in document_ids:
            index_document(db, es, settings, document_id, refresh=False)
    names = IndexNames.from_settings(settings)
    es.indices.refresh(index=names.alias("pages"))


def audits(factory: sessionmaker[Session], action: str) -> list[AuditEvent]:
    with factory() as db:
        return list(db.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)))


def search_ids(client: FlaskClient, query: str, endpoint: str = "/caselaw") -> set[str]:
    html = client.get(endpoint, query_string={"q": query}).get_data(as_text=True)
    return set(re.findall(r'class="result" data-document-id="(\d+)"', html))


# --- approval before publication ---------------------------------------------------------------------


def test_a_judgment_stays_in_its_district_until_a_librarian_approves_it(
    app: Flask, world: World, session_factory: sessionmaker[Session], settings: Settings, es: Any,
) -> None:
    pending, document = world.caselaw["pending"], world.docs["pending"]
    peshawar = client_for(app, "pros_a")
    mardan = client_for(app, "pros_b")
    # before approval: Mardan reads it, Peshawar does not (list, record, viewer, search, API)
    assert f'data-caselaw-id="{pending.id}"' in mardan.get("/caselaw").get_data(as_text=True)
    assert f'data-caselaw-id="{pending.id}"' not in peshawar.get("/caselaw").get_data(as_text=True)
    assert peshawar.get(f"/caselaw/{pending.id}").status_code == 404
    assert peshawar.get(f"/documents/{document.id}").status_code == 404
    assert peshawar.get(f"/api/v1/caselaw/{pending.id}").status_code == 404
    assert str(document.id) not in search_ids(peshawar, "robbery")
    assert str(document.id) in search_ids(mardan, "robbery")
    denied = [a for a in audits(session_factory, "view") if a.object_type == "case_law" and not a.success]
    assert denied and denied[-1].detail.get("reason") == "out_of_scope"
    # a prosecutor cannot approve; the Mardan librarian can, and the judgment is then province-wide
    assert post(mardan, f"/caselaw/{pending.id}/approve", {}).status_code == 403
    librarian = client_for(app, "librarian_m")
    review = librarian.get("/caselaw/review").get_data(as_text=True)
    assert f'data-caselaw-id="{pending.id}"' in review
    response = post(librarian, f"/caselaw/{pending.id}/approve", {})
    assert response.status_code == 302
    with session_factory() as db:
        stored = db.get(CaseLaw, pending.id)
        assert stored is not None and stored.status == CaseLawStatus.PUBLISHED
        assert stored.approved_by_id == world.users["librarian_m"].id and stored.approved_at is not None
    approval = audits(session_factory, "approve")[-1]
    assert approval.object_id == str(pending.id) and approval.detail["status"]["new"] == "published"
    reindex(session_factory, es, settings, document.id)
    assert peshawar.get(f"/caselaw/{pending.id}").status_code == 200
    assert peshawar.get(f"/documents/{document.id}/pages/1").status_code == 200
    assert str(document.id) in search_ids(peshawar, "robbery")
    # withdrawn: back to its district
    assert post(librarian, f"/caselaw/{pending.id}/withdraw", {}).status_code == 302
    reindex(session_factory, es, settings, document.id)
    assert peshawar.get(f"/caselaw/{pending.id}").status_code == 404
    assert str(document.id) not in search_ids(peshawar, "robbery")


def test_approval_needs_a_complete_record(app: Flask, world: World, session_factory: sessionmaker[Session]) -> None:
    with session_factory() as db:
        stored = db.get(CaseLaw, world.caselaw["pending"].id)
        assert stored is not None
        stored.decided_on = None
        db.commit()
    librarian = client_for(app, "librarian_m")
    response = post(librarian, f"/caselaw/{world.caselaw['pending'].id}/approve", {})
    assert response.status_code == 302
    page = librarian.get(response.headers["Location"]).get_data(as_text=True)
    assert "Complete the record before approving it: decision date." in page
    with session_factory() as db:
        assert db.get(CaseLaw, world.caselaw["pending"].id).status == CaseLawStatus.PENDING  # type: ignore[union-attr]


def test_a_decision_date_read_from_handwriting_is_marked_until_its_page_is_checked(
    app: Flask, world: World, session_factory: sessionmaker[Session],
) -> None:
    from models import Page, ReviewReason

    entry, document = world.caselaw["pending"], world.docs["pending"]
    with session_factory() as db:
        page = db.scalars(select(Page).where(Page.document_id == document.id, Page.page_no == 1)).one()
        page.review_reasons, page.needs_review = [str(ReviewReason.HANDWRITTEN_DATE)], True
        db.commit()
    mardan = client_for(app, "pros_b")
    html = mardan.get(f"/caselaw/{entry.id}").get_data(as_text=True)
    assert 'id="caselaw-decided-handwritten"' in html
    assert "read by machine from handwriting on page 1: check it" in html
    with session_factory() as db:  # the page confirmed in the review queue: its reasons are cleared
        page = db.scalars(select(Page).where(Page.document_id == document.id, Page.page_no == 1)).one()
        page.review_reasons, page.needs_review = [], False
        db.commit()
    assert 'id="caselaw-decided-handwritten"' not in mardan.get(f"/caselaw/{entry.id}").get_data(as_text=True)


def _flag_handwritten_date(factory: sessionmaker[Session], document_id: int, *reasons: str) -> None:
    from models import Document, Page, ReviewReason

    with factory() as db:
        page = db.scalars(select(Page).where(Page.document_id == document_id, Page.page_no == 1)).one()
        page.review_reasons, page.needs_review = [*reasons, str(ReviewReason.HANDWRITTEN_DATE)], True
        doc = db.get(Document, document_id)
        assert doc is not None
        doc.needs_review = True
        db.commit()


def _date_checked(factory: sessionmaker[Session], document_id: int) -> list[tuple[int, str]]:
    """The "date checked" review events as (page number, via); each must be audited on page 1's id."""
    with factory() as db:
        page_id = db.scalars(select(Page.id).where(Page.document_id == document_id, Page.page_no == 1)).one()
    events = [e for e in audits(factory, "review") if (e.detail or {}).get("outcome") == "date_checked"]
    assert all(e.object_type == "page" and e.object_id == str(page_id) for e in events), [e.object_id for e in events]
    return [(e.detail["page_no"], e.detail["via"]) for e in events]


def _page_and_document(factory: sessionmaker[Session], document_id: int) -> tuple[list[str], bool, bool]:
    from models import Document, Page

    with factory() as db:
        page = db.scalars(select(Page).where(Page.document_id == document_id, Page.page_no == 1)).one()
        doc = db.get(Document, document_id)
        assert doc is not None
        return [str(r) for r in page.review_reasons or []], page.needs_review, doc.needs_review


def test_saving_the_record_form_checks_a_machine_read_date(
    app: Flask, world: World, session_factory: sessionmaker[Session],
) -> None:
    """The librarian saw the decision date on the edit form and saved it (kept as it was): the date is
    checked; another reason of the page stays in the review queue."""
    entry, document = world.caselaw["pending"], world.docs["pending"]
    _flag_handwritten_date(session_factory, document.id, "low_confidence")
    librarian = client_for(app, "librarian_m")
    queue = librarian.get("/caselaw/review").get_data(as_text=True)
    assert "decision date read by machine from handwriting: check it" in queue
    html = librarian.get(f"/caselaw/{entry.id}").get_data(as_text=True)
    assert 'id="approval-handwritten-date"' in html
    form = librarian.get(f"/caselaw/{entry.id}/edit").get_data(as_text=True)
    fields = dict(re.findall(r'name="(\w+)"[^>]*value="([^"]*)"', form))
    fields.pop("csrf_token", None)
    response = post(librarian, f"/caselaw/{entry.id}/edit", fields, f"/caselaw/{entry.id}/edit")
    assert response.status_code == 302
    assert _page_and_document(session_factory, document.id) == (["low_confidence"], True, True)
    html = librarian.get(f"/caselaw/{entry.id}").get_data(as_text=True)
    assert 'id="caselaw-decided-handwritten"' not in html and 'id="approval-handwritten-date"' not in html
    assert "decision date read by machine" not in librarian.get("/caselaw/review").get_data(as_text=True)
    assert _date_checked(session_factory, document.id) == [(1, "caselaw.edit")]


def test_approving_the_record_checks_a_machine_read_date(
    app: Flask, world: World, session_factory: sessionmaker[Session],
) -> None:
    entry, document = world.caselaw["pending"], world.docs["pending"]
    _flag_handwritten_date(session_factory, document.id)
    librarian = client_for(app, "librarian_m")
    assert post(librarian, f"/caselaw/{entry.id}/approve", {}).status_code == 302
    with session_factory() as db:
        assert db.get(CaseLaw, entry.id).status == CaseLawStatus.PUBLISHED  # type: ignore[union-attr]
    assert _page_and_document(session_factory, document.id) == ([], False, False)
    html = librarian.get(f"/caselaw/{entry.id}").get_data(as_text=True)
    assert 'id="caselaw-decided-handwritten"' not in html
    assert _date_checked(session_factory, document.id) == [(1, "caselaw.approve")]


def test_approving_through_the_api_checks_a_machine_read_date(
    app: Flask, world: World, session_factory: sessionmaker[Session],
) -> None:
    entry, document = world.caselaw["pending"], world.docs["pending"]
    _flag_handwritten_date(session_factory, document.id)
    librarian = client_for(app, "librarian_m")
    token = csrf_from(librarian.get("/caselaw").get_data(as_text=True))
    assert librarian.post(f"/api/v1/caselaw/{entry.id}/approve", headers={"X-CSRFToken": token}).status_code == 200
    assert _page_and_document(session_factory, document.id) == ([], False, False)
    assert _date_checked(session_factory, document.id) == [(1, "api.caselaw.approve")]


def test_a_judgment_already_published_from_another_district_is_not_published_twice(
        app: Flask, world: World, session_factory: sessionmaker[Session]) -> None:
    """Mardan's upload turns out to be Peshawar's published PLD 2019 SC 64 (same court, date and case
    number, typed differently): approving it would list the judgment twice in every district."""
    pending, cited = world.caselaw["pending"], world.caselaw["cited"]
    with session_factory() as db:
        stored = db.get(CaseLaw, pending.id)
        assert stored is not None
        stored.decided_on, stored.case_number, stored.case_numbers = cited.decided_on, "Crl. A. 10/2018", [
            "Crl. A. 10/2018"]
        db.commit()
    librarian = client_for(app, "librarian_m")
    response = post(librarian, f"/caselaw/{pending.id}/approve", {})
    page = librarian.get(response.headers["Location"]).get_data(as_text=True)
    assert f"The same judgment is already published as case law no. {cited.id} (PLD 2019 SC 64)" in page
    token = csrf_from(librarian.get("/caselaw").get_data(as_text=True))
    api = librarian.post(f"/api/v1/caselaw/{pending.id}/approve", headers={"X-CSRFToken": token})
    assert api.status_code == 409 and f"case law no. {cited.id}" in api.get_json()["error"]["message"]
    with session_factory() as db:
        assert db.get(CaseLaw, pending.id).status == CaseLawStatus.PENDING  # type: ignore[union-attr]
        stored = db.get(CaseLaw, pending.id)
        assert stored is not None
        stored.case_number, stored.case_numbers = "Crl.A.11-2018", ["Crl.A.11-2018"]  # another appeal that day
        db.commit()
    assert post(librarian, f"/caselaw/{pending.id}/approve", {}).status_code == 302
    with session_factory() as db:
        assert db.get(CaseLaw, pending.id).status == CaseLawStatus.PUBLISHED  # type: ignore[union-attr]


# --- librarian-only edits ----------------------------------------------------------------------------


READ_ONLY = "You may read this, but it is not yours to change."
ROLE_REFUSAL = "Your role does not allow this action."


def test_a_write_refused_on_a_judgment_one_reads_says_it_is_not_ones_to_change(
    app: Flask, world: World, session_factory: sessionmaker[Session],
) -> None:
    """A prosecutor of another district opens the edit, curate and treatment routes of a PUBLISHED
    judgment (readable everywhere): "not yours to change"; on a judgment awaiting approval in another
    district (nothing of it readable) the role refusal stays, naming nothing."""
    published, pending = world.caselaw["cited"], world.caselaw["pending"]  # pending: Mardan's
    client = client_for(app, "pros_a")
    for caselaw_id, expected in ((published.id, READ_ONLY), (pending.id, ROLE_REFUSAL)):
        answers = {
            "edit": client.get(f"/caselaw/{caselaw_id}/edit"),
            "curate": client.get(f"/caselaw/{caselaw_id}/curate"),
            "treatment": post(client, f"/caselaw/{caselaw_id}/treatments",
                              {"cited_key": "PLD 1990 SC 1", "treatment": "overruled"}),
            "approve": post(client, f"/caselaw/{caselaw_id}/approve", {}),
            "collection": post(client, f"/caselaw/{caselaw_id}/collections", {"collection_id": "1"}),
            "correction": post(client, f"/caselaw/{caselaw_id}/pages/1/correction", {"corrected_text": "x"}),
        }
        for route, answer in answers.items():
            assert answer.status_code == 403, (route, caselaw_id)
            assert expected in answer.get_data(as_text=True), (route, caselaw_id)
    for document, expected in ((world.docs["older"], READ_ONLY), (world.docs["pending"], ROLE_REFUSAL)):
        page = f"/documents/{document.id}/pages/1"
        answer = post(client, f"{page}/correction", {"corrected_text": "x"})
        assert answer.status_code == 403 and expected in answer.get_data(as_text=True), document.id
    from search_app.auth.tokens import create_token

    with session_factory() as db:
        user = db.get(User, world.users["pros_a"].id)
        assert user is not None
        _, token = create_token(db, user, "script", "write", 30, 90)
        db.commit()
    api = app.test_client().put(f"/api/v1/caselaw/{published.id}/treatments", headers={
        "Authorization": f"Bearer {token}"}, json={"cited_key": "PLD 1990 SC 1", "treatment": "overruled"})
    assert api.status_code == 403 and api.get_json()["error"]["message"] == READ_ONLY


def test_published_records_and_their_text_are_edited_by_librarians_only(
    app: Flask, world: World, session_factory: sessionmaker[Session],
) -> None:
    cited = world.caselaw["cited"]
    older = world.docs["older"]  # Peshawar's published judgment
    for username in ("pros_a", "clerk", "pros_b"):
        client = client_for(app, username)
        assert client.get(f"/caselaw/{cited.id}/edit").status_code == 403
        assert client.get(f"/caselaw/{cited.id}/curate").status_code == 403
        assert post(client, f"/caselaw/{cited.id}/treatments",
                    {"cited_key": "PLD 1990 SC 1", "treatment": "overruled"}).status_code == 403
    # the district's own clerk may not correct a PUBLISHED judgment's text either
    clerk = client_for(app, "clerk")
    viewer = clerk.get(f"/documents/{older.id}/pages/1").get_data(as_text=True)
    assert 'id="corrected-text"' not in viewer
    refused = post(clerk, f"/documents/{older.id}/pages/1/correction", {"corrected_text": "vandalised"},
                   f"/documents/{older.id}/pages/1")
    assert refused.status_code == 403
    assert "You may read this, but it is not yours to change." in refused.get_data(as_text=True)
    # ... but corrects an unpublished judgment of her district as any document
    clerk_m = client_for(app, "clerk_m")
    pending_doc = world.docs["pending"]
    page_url = f"/documents/{pending_doc.id}/pages/1"
    assert 'id="corrected-text"' in clerk_m.get(page_url).get_data(as_text=True)
    assert post(clerk_m, f"{page_url}/correction", {"corrected_text": "Pending judgment, corrected."},
                page_url).status_code == 302
    # a librarian corrects the published text through the case-law record
    librarian = client_for(app, "librarian")
    viewer = librarian.get(f"/documents/{older.id}/pages/1").get_data(as_text=True)
    assert f'action="/caselaw/{cited.id}/pages/1/correction"' in viewer
    fixed = post(librarian, f"/caselaw/{cited.id}/pages/1/correction",
                 {"corrected_text": "Judgment reported as PLD 2019 SC 64 on the benefit of the doubt."},
                 f"/documents/{older.id}/pages/1")
    assert fixed.status_code == 302
    with session_factory() as db:
        stored = db.scalar(select(Page).where(Page.document_id == older.id, Page.page_no == 1))
        assert stored is not None and stored.corrected_text is not None
        assert stored.corrected_text.startswith("Judgment reported") and stored.corrected_by_id == world.users[
            "librarian"].id


# --- citations as printed, typed citations through legalrefs ------------------------------------------


def test_citations_are_shown_as_printed_and_keys_stay_internal(app: Flask, world: World) -> None:
    client = client_for(app, "pros_a")
    listing = client.get("/caselaw").get_data(as_text=True)
    assert "2023 SCMR 100" in listing and "SCMR 2023 100" not in listing
    entry = client.get(f"/caselaw/{world.caselaw['cited'].id}").get_data(as_text=True)
    assert "2023 SCMR 100" in entry.split('id="cited-by"')[1]
    results = client.get("/caselaw", query_string={"q": "precedent"}).get_data(as_text=True)
    assert '<bdi dir="ltr" class="citation">2023 SCMR 100</bdi>' in results
    api = client.get(f"/api/v1/caselaw/{world.caselaw['citing'].id}").get_json()
    assert api["citation"] == "2023 SCMR 100" and api["citation_key"] == "SCMR 2023 100"


def test_a_citation_a_librarian_types_is_read_through_legalrefs_and_linked_both_ways(
    app: Flask, world: World, session_factory: sessionmaker[Session], settings: Settings, es: Any,
) -> None:
    pending = world.caselaw["pending"]
    with session_factory() as db:  # the 2023 judgment also cites 2022 SCMR 1641, not yet in the collection
        db.add(CaseLawCitation(citing_id=world.caselaw["citing"].id, cited_key="SCMR 2022 1641"))
        db.commit()
    librarian = client_for(app, "librarian_m")
    response = post(librarian, f"/caselaw/{pending.id}/edit", {
        "citations": "2022 SCMR 1641", "case_numbers": "J.P. No. 587 of 2016", "court": "Supreme Court of Pakistan",
        "parties": "Qaiser v. The State", "decided_on": "2022-06-02", "result": "allowed",
        "bench": "Sardar Tariq Masood",
        "summary": "Conviction set aside.\nسزا کالعدم", "judge": "", "appealed_from_court": "Peshawar High Court",
        "appealed_from_case": "", "appealed_from_date": "2014-11-11"}, f"/caselaw/{pending.id}/edit")
    assert response.status_code == 302
    with session_factory() as db:
        stored = db.get(CaseLaw, pending.id)
        assert stored is not None
        assert stored.citation == "SCMR 2022 1641" and stored.case_number == "J.P.587-2016"
        assert stored.summary == "Conviction set aside.\nسزا کالعدم"  # line break and Urdu kept
        link = db.scalar(select(CaseLawCitation).where(CaseLawCitation.cited_key == "SCMR 2022 1641"))
        assert link is not None and link.cited_id == pending.id  # the earlier citation now points here
    reindex(session_factory, es, settings, world.docs["pending"].id)
    mardan = client_for(app, "pros_b")
    # the list filter and the search box both read "2022 SCMR 1641" as the key
    assert f'data-caselaw-id="{pending.id}"' in mardan.get(
        "/caselaw", query_string={"filter": "2022 SCMR 1641"}).get_data(as_text=True)
    assert str(world.docs["pending"].id) in search_ids(mardan, "2022 SCMR 1641")
    entry = mardan.get(f"/caselaw/{pending.id}").get_data(as_text=True)
    assert "Cited by (1)" in entry and f'href="/caselaw/{world.caselaw["citing"].id}"' in entry
    citing = mardan.get(f"/caselaw/{world.caselaw['citing'].id}").get_data(as_text=True)
    assert (f'<a href="/caselaw/{pending.id}" class="in-collection">'
            '<bdi dir="ltr" class="citation">2022 SCMR 1641</bdi></a>') in citing
    bad = post(librarian, f"/caselaw/{pending.id}/edit", {"citations": "twenty SCMR", "case_numbers": ""},
               f"/caselaw/{pending.id}/edit")
    assert bad.status_code == 400 and "not a law-report citation" in bad.get_data(as_text=True)


def test_every_citation_and_case_number_a_librarian_types_finds_the_judgment(
    app: Flask, world: World, session_factory: sessionmaker[Session], settings: Settings, es: Any,
) -> None:
    """Not only the first: a parallel report and the other appeals of a consolidated judgment are searched
    (the search box as printed, ``citation:``, the list filter) and resolve (``network.reported_at``)."""
    from caselaw import network

    pending = world.caselaw["pending"]
    librarian = client_for(app, "librarian_m")
    response = post(librarian, f"/caselaw/{pending.id}/edit", {
        "citations": "2022 SCMR 1641; PLD 2022 SC 10", "case_numbers": "Crl.A. No. 95 of 2019; Crl.A. No. 96 of 2019",
        "court": "Supreme Court of Pakistan", "parties": "Qaiser v. The State", "decided_on": "2022-06-02",
        "result": "allowed", "bench": "", "summary": "", "judge": "", "appealed_from_court": "",
        "appealed_from_case": "", "appealed_from_date": ""}, f"/caselaw/{pending.id}/edit")
    assert response.status_code == 302
    with session_factory() as db:
        stored = db.get(CaseLaw, pending.id)
        assert stored is not None and stored.parallel_citations == ["PLD 2022 SC 10"]
        assert stored.case_numbers == ["Crl.A.95-2019", "Crl.A.96-2019"]
        for key in ("SCMR 2022 1641", "PLD 2022 SC 10"):
            found = network.reported_at(db, key)
            assert found is not None and found.id == pending.id
        assert network.reported_at(db, "PLD 2022 SC 11") is None
    reindex(session_factory, es, settings, world.docs["pending"].id)
    mardan = client_for(app, "pros_b")
    doc = str(world.docs["pending"].id)
    for typed in ("2022 SCMR 1641", "PLD 2022 SC 10", "Crl.A. No. 95 of 2019", "Crl.A. No. 96 of 2019"):
        assert doc in search_ids(mardan, typed), typed
        assert f'data-caselaw-id="{pending.id}"' in mardan.get(
            "/caselaw", query_string={"filter": typed}).get_data(as_text=True), typed
    for typed in ('citation:"2022 SCMR 1641"', 'citation:"PLD 2022 SC 10"'):
        assert doc in search_ids(mardan, typed), typed


# --- treatments and warnings --------------------------------------------------------------------------


def test_a_confirmed_overruling_flags_the_judgment_everywhere_it_appears(
    app: Flask, world: World, session_factory: sessionmaker[Session], settings: Settings, es: Any,
) -> None:
    cited, citing = world.caselaw["cited"], world.caselaw["citing"]
    with session_factory() as db:
        db.add(CitationTreatment(citing_id=citing.id, cited_key="PLD 2019 SC 64", suggested="relied_upon",
                                 cue="relying on", sentence="... relying on PLD 2019 SC 64 as precedent."))
        db.commit()
    librarian = client_for(app, "librarian")
    entry = librarian.get(f"/caselaw/{citing.id}").get_data(as_text=True)
    assert "suggested: relied upon" in entry and \
        'relying on <bdi dir="ltr" class="ref">PLD 2019 SC 64</bdi> as precedent' in entry
    response = post(librarian, f"/caselaw/{citing.id}/treatments",
                    {"cited_key": "PLD 2019 SC 64", "treatment": "overruled"})
    assert response.status_code == 302
    with session_factory() as db:
        row = db.scalar(select(CitationTreatment).where(CitationTreatment.citing_id == citing.id))
        assert row is not None and row.treatment == "overruled" and row.suggested == "relied_upon"
    reindex(session_factory, es, settings, world.docs["older"].id)
    reader = client_for(app, "pros_a")
    assert 'class="citator-warning citator-overruled"' in reader.get(f"/caselaw/{cited.id}").get_data(as_text=True)
    assert 'citator-flag citator-overruled' in reader.get("/caselaw").get_data(as_text=True)
    results = reader.get("/search", query_string={"q": "benefit"}).get_data(as_text=True)
    block = results.split(f'data-document-id="{world.docs["older"].id}"')[1].split("</li>")[0]
    assert "citator-overruled" in block
    assert audits(session_factory, "treatment")[-1].detail["treatment"] == {"old": "", "new": "overruled"}


# --- curation -------------------------------------------------------------------------------------------


def test_headnotes_in_english_and_urdu_keep_line_breaks_tags_and_collections(
    app: Flask, world: World, session_factory: sessionmaker[Session],
) -> None:
    cited = world.caselaw["cited"]
    librarian = client_for(app, "librarian")
    form = f"/caselaw/{cited.id}/curate"
    response = post(librarian, form, {
        "en-question": "Whether a single doubt\nentitles the accused to acquittal?", "en-held": "Yes.",
        "en-sections": "302(b) PPC; s.497 Cr.P.C.", "en-keywords": "benefit of doubt",
        "ur-question": "کیا ایک شک\nبریت کا حقدار بناتا ہے؟", "ur-held": "ہاں", "ur-sections": "", "ur-keywords": "",
        "tags": "Bail; Narcotics"}, form)
    assert response.status_code == 302
    with session_factory() as db:
        stmt = select(CaseLawHeadnote).where(CaseLawHeadnote.case_law_id == cited.id)
        notes = {h.language: h for h in db.scalars(stmt)}
        assert notes["en"].question == "Whether a single doubt\nentitles the accused to acquittal?"
        assert notes["en"].sections == ["PPC 302(b)", "CrPC 497"]
        assert notes["ur"].question == "کیا ایک شک\nبریت کا حقدار بناتا ہے؟"
    page = client_for(app, "pros_b").get(f"/caselaw/{cited.id}").get_data(as_text=True)
    assert 'lang="ur" dir="rtl"' in page and "کیا ایک شک\nبریت" in page and 'class="keep-lines"' in page
    assert ">302(b) PPC</a>" in page and ">bail</a>" in page
    bad = post(librarian, form, {"en-sections": "section nowhere", "tags": ""}, form)
    assert bad.status_code == 400 and "not a statute section" in bad.get_data(as_text=True)
    created = post(librarian, "/caselaw/collections", {"name": "Bail in narcotics cases", "description": ""},
                   "/caselaw/collections")
    collection_id = int(created.headers["Location"].rsplit("/", 1)[1])
    assert post(librarian, f"/caselaw/{cited.id}/collections", {"collection_id": str(collection_id)}).status_code == 302
    listed = client_for(app, "pros_b").get(f"/caselaw/collections/{collection_id}").get_data(as_text=True)
    assert f'data-caselaw-id="{cited.id}"' in listed
    assert client_for(app, "pros_a").post(f"/caselaw/{cited.id}/collections").status_code in (400, 403)


# --- related judgments, graph, statute pages, notes -------------------------------------------------------


def test_related_judgments_from_a_judgment_a_search_hit_and_a_case(app: Flask, world: World) -> None:
    client = client_for(app, "pros_a")
    cited, citing = world.caselaw["cited"], world.caselaw["citing"]
    from_judgment = client.get(f"/caselaw/{citing.id}/related")
    html = from_judgment.get_data(as_text=True)
    assert from_judgment.status_code == 200
    found = set(re.findall(r'class="result" data-document-id="(\d+)"', html))
    assert str(world.docs["older"].id) in found and str(world.docs["newer"].id) not in found  # itself left out
    assert str(world.docs["pending"].id) not in found  # Mardan's unapproved judgment: not Peshawar's to read
    from_hit = client.get(f"/caselaw/related/document/{world.docs['fir'].id}")
    assert from_hit.status_code == 200 and "Judgments like" in from_hit.get_data(as_text=True)
    from_case = client.get(f"/caselaw/related/case/{world.cases['gul_khan'].id}")
    assert from_case.status_code == 200 and "302 PPC" in from_case.get_data(as_text=True)
    assert client_for(app, "pros_b").get(f"/caselaw/related/case/{world.cases['gul_khan'].id}").status_code == 404
    links = client.get("/caselaw", query_string={"q": "benefit"}).get_data(as_text=True)
    assert f'href="/caselaw/{cited.id}/related"' in links
    # a hit on an FIR (a narrative of facts) offers the judgments like it, from the document itself
    fir_hits = client.get("/search", query_string={"q": "qatl-e-amd"}).get_data(as_text=True)
    assert f'href="/caselaw/related/document/{world.docs["fir"].id}" class="similar-judgments"' in fir_hits
    assert f'href="/caselaw/related/case/{world.cases["gul_khan"].id}"' in client.get(
        f"/cases/{world.cases['gul_khan'].id}").get_data(as_text=True)
    similar = post(client, "/caselaw/similar", {"facts": "benefit of doubt in a murder conviction"})
    assert similar.status_code == 200 and 'class="result"' in similar.get_data(as_text=True)
    api = client.get(f"/api/v1/caselaw/{citing.id}/related").get_json()
    assert world.docs["older"].id in [i["document_id"] for i in api["items"]]


def test_a_typed_description_too_long_is_refused_not_cut(app: Flask, world: World,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    client = client_for(app, "pros_a")
    token = csrf_from(client.get("/caselaw").get_data(as_text=True))
    message = "The description is too long (at most 20000 characters)."
    for chars in (20_001, 21_000, 1_000_000):
        facts = ("benefit of doubt " * (chars // 17 + 1))[:chars]
        page = client.post("/caselaw/similar", data={"facts": facts, "csrf_token": token})
        assert page.status_code == 400 and message in page.get_data(as_text=True)
        assert 'class="result"' not in page.get_data(as_text=True)
        api = client.post("/api/v1/caselaw/similar", json={"facts": facts}, headers={"X-CSRFToken": token})
        assert api.status_code == 400 and message in str(api.get_json())
    at_most = ("benefit of doubt " * 1200)[:20_000]
    assert client.post("/caselaw/similar", data={"facts": at_most, "csrf_token": token}).status_code == 200
    assert client.post("/api/v1/caselaw/similar", json={"facts": at_most},
                       headers={"X-CSRFToken": token}).status_code == 200
    # a judgment's own long text is cut to the longest description, not refused
    import search_app.views.api_caselaw as api_views
    import search_app.views.caselaw_knowledge as views

    long_facts = "benefit of doubt " * 2000  # 34,000 characters
    monkeypatch.setattr(views, "facts_text", lambda texts: long_facts)
    monkeypatch.setattr(api_views, "facts_text", lambda texts: long_facts)
    citing = world.caselaw["citing"].id
    assert client.get(f"/caselaw/{citing}/related").status_code == 200
    assert client.get(f"/api/v1/caselaw/{citing}/related").status_code == 200


def test_the_similar_api_checks_size_and_body_types(app: Flask, world: World) -> None:
    client = client_for(app, "pros_a")
    token = csrf_from(client.get("/caselaw").get_data(as_text=True))
    citing = world.caselaw["citing"].id

    def similar(body: Any, size: str | None = None) -> Any:
        return client.post("/api/v1/caselaw/similar", json=body, headers={"X-CSRFToken": token},
                           query_string={"size": size} if size is not None else {})

    facts = {"facts": "benefit of doubt"}
    for size in ("1", "10", "50"):
        assert similar(facts, size).status_code == 200
        assert client.get(f"/api/v1/caselaw/{citing}/related", query_string={"size": size}).status_code == 200
    for size in ("0", "00", "51", "999", "1000", "-1", "ten", "1.5", ""):
        refused = similar(facts, size)
        assert refused.status_code == 400, size
        assert "size must be a whole number from 1 to 50." in str(refused.get_json())
        related = client.get(f"/api/v1/caselaw/{citing}/related", query_string={"size": size})
        assert related.status_code == 400, size
    for body, word in (({"facts": 123}, "facts must be text"), ({"facts": ["a", "b"]}, "facts must be text"),
                       ({"facts": {"x": 1}}, "facts must be text"),
                       ({"facts": "benefit", "statutes": "PPC 302"}, "statutes must be a list"),
                       ({"facts": "benefit", "statutes": [302]}, "statutes must be a list"),
                       ({"facts": "benefit", "statutes": ["PPC 302"] * 21}, "statutes: at most 20")):
        refused = similar(body)
        assert refused.status_code == 400 and word in str(refused.get_json()), body
    assert similar({"facts": "benefit of doubt", "statutes": ["PPC 302"]}).status_code == 200


def test_related_pages_isolate_each_part_for_an_urdu_page(app: Flask, world: World,
                                                          session_factory: sessionmaker[Session]) -> None:
    from models import Case, PoliceStation

    case_id = world.cases["gul_khan"].id
    with session_factory() as db:
        case = db.get(Case, case_id)
        assert case is not None
        case.title = "سرکار بنام گل خان <b>"  # an Urdu title (and markup typed in it: escaped)
        station = db.get(PoliceStation, case.police_station_id)
        assert station is not None
        station.name = "صدر"
        db.commit()
    client = client_for(app, "pros_a")
    client.set_cookie("cmms_lang", "ur")
    html = client.get(f"/caselaw/related/case/{case_id}").get_data(as_text=True)
    origin = html.split('id="related-origin"')[1].split("</p>")[0]
    # the FIR label and the Urdu title each in its own isolate, not one dir="auto" run starting with Latin
    assert (f'<a href="/cases/{case_id}"><bdi class="origin-prefix">FIR 45/2019, PS صدر</bdi>: '
            '<bdi class="origin-title">سرکار بنام گل خان &lt;b&gt;</bdi></a>') in origin
    assert "<b>" not in origin
    # each item of a result's details line isolated: citation, court, date, page
    page = client.get(f"/caselaw/{world.caselaw['citing'].id}/related").get_data(as_text=True)
    meta = page.split('class="result-meta">')[1].split("</p>")[0]
    assert '<bdi dir="ltr" class="citation">PLD 2019 SC 64</bdi> · <bdi class="court">Supreme Court of Pakistan</bdi>' \
        in meta
    assert ' · <bdi class="date">1 مارچ 2019</bdi>' in meta  # the day stays with its month, not the court
    assert '<bdi class="hit-page"><a href="/documents/' in meta


def test_graph_statute_page_and_practice_notes(app: Flask, world: World, session_factory: sessionmaker[Session],
                                                ) -> None:
    cited, citing = world.caselaw["cited"], world.caselaw["citing"]
    client = client_for(app, "pros_a")
    graph = client.get(f"/caselaw/{citing.id}/graph").get_data(as_text=True)
    assert "<svg" in graph and f'href="/caselaw/{cited.id}"' in graph and "<script" not in graph
    assert "precedents cited: 2 (1 in the collection)" in graph
    # a readable judgment in the collection is drawn by its title (linked), another by its citation as printed
    assert re.search(rf'<a href="/caselaw/{cited.id}">\s*<g class="node node-cites node-linked">\s*'
                     r'<title>State v. Amir \(\u2066PLD 2019 SC 64\u2069\)</title>', graph)
    assert '<tspan x="115.0">\u2066PLD 1990 SC 1\u2069</tspan>' in graph and 'direction="ltr"' in graph
    assert "graph-more" not in graph  # nothing left out
    api = client.get(f"/api/v1/caselaw/{citing.id}/graph").get_json()
    assert api["cites"] == [
        {"label": "State v. Amir", "citation": "PLD 2019 SC 64", "url": f"/caselaw/{cited.id}", "warning": None},
        {"label": "PLD 1990 SC 1", "citation": "PLD 1990 SC 1", "url": None, "warning": None}]
    assert api["judgment"] == {"id": citing.id, "title": "Bashir v. State", "citation": "2023 SCMR 100",
                               "warning": None}
    assert api["cites_total"] == 2 and api["cites_in_collection"] == 1
    network = client.get("/caselaw/network").get_data(as_text=True)
    assert f'data-caselaw-id="{cited.id}"' in network.split('id="most-cited"')[1]
    with session_factory() as db:
        from models import Entity

        first_page = db.scalar(select(Page.id).where(Page.document_id == world.docs["older"].id))
        db.add(Entity(document_id=world.docs["older"].id, page_id=first_page, kind="statute", key="PPC 302",
                      raw="302 PPC", start=0, end=7, source="rules"))
        db.commit()
    statute = client.get("/caselaw/statutes/302 PPC").get_data(as_text=True)
    assert "Punishment of qatl-i-amd" in statute
    assert f'data-caselaw-id="{cited.id}"' in statute.split('id="leading-judgments"')[1]
    assert "State v. Gul Khan" in statute.split('id="cases-under"')[1]
    assert "State v. Gul Khan" not in client_for(app, "pros_b").get("/caselaw/statutes/PPC 302").get_data(as_text=True)
    note = post(client, "/caselaw/notes", {"caselaw_id": str(cited.id),
                                           "body": "Relied on this for bail refusal in ATC cases."})
    assert note.status_code == 302
    other = client_for(app, "pros_b")
    assert "Relied on this for bail refusal" in other.get(f"/caselaw/{cited.id}").get_data(as_text=True)
    assert "Relied on this for bail refusal" in other.get("/caselaw/notes", query_string={"q": "ATC"}).get_data(
        as_text=True)
    with session_factory() as db:
        stored = db.scalar(select(PracticeNote))
        assert stored is not None and stored.author_id == world.users["pros_a"].id
        note_id = stored.id
    assert other.get(f"/caselaw/notes/{note_id}/edit").status_code == 403  # not the author
    edited = post(client, f"/caselaw/notes/{note_id}/edit", {"body": "Distinguished on facts in Mardan."},
                  f"/caselaw/notes/{note_id}/edit")
    assert edited.status_code == 302
    change = audits(session_factory, "edit")[-1]
    assert change.object_type == "practice_note" and change.detail["new"] == "Distinguished on facts in Mardan."
    assert client_for(app, "clerk").post("/caselaw/notes").status_code in (400, 403)
    statute_note = post(client, "/caselaw/notes", {"statute": "9(c) CNSA", "body": "Chemical report timing."})
    assert statute_note.headers["Location"].startswith("/caselaw/statutes/CNSA")


def test_caselaw_api_list_approve_treatment_and_normalise(app: Flask, world: World) -> None:
    reader = client_for(app, "pros_a")
    listed = reader.get("/api/v1/caselaw", query_string={"filter": "2023 SCMR 100"}).get_json()
    assert [i["id"] for i in listed["items"]] == [world.caselaw["citing"].id]
    assert listed["items"][0]["title"] == "Bashir v. State"
    refs = reader.get("/api/v1/legalrefs/normalise", query_string={"text": "2022 SCMR 1641 and s.302(b) PPC"})
    assert [(r["key"], r["printed"]) for r in refs.get_json()["references"]] == [
        ("SCMR 2022 1641", "2022 SCMR 1641"), ("PPC 302(b)", "302(b) PPC")]
    mixed = reader.get("/api/v1/legalrefs/normalise", query_string={"text": "PPC 302(b) and 497(2) Cr.P.C."})
    assert [(r["key"], r["raw"]) for r in mixed.get_json()["references"]] == [
        ("PPC 302(b)", "PPC 302(b)"), ("CrPC 497(2)", "497(2)")]  # act first, then act last
    urdu = reader.get("/api/v1/legalrefs/normalise", query_string={"text": "۲۰۲۲ SCMR ۱۶۴۱"})
    assert [(r["key"], r["printed"]) for r in urdu.get_json()["references"]] == [("SCMR 2022 1641", "2022 SCMR 1641")]
    librarian = client_for(app, "librarian_m")
    token = csrf_from(librarian.get("/caselaw").get_data(as_text=True))
    approved = librarian.post(f"/api/v1/caselaw/{world.caselaw['pending'].id}/approve",
                              headers={"X-CSRFToken": token})
    assert approved.status_code == 200 and approved.get_json()["status"] == "published"
    again = librarian.post(f"/api/v1/caselaw/{world.caselaw['pending'].id}/approve", headers={"X-CSRFToken": token})
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "not_approvable"
    set_treatment = librarian.put(f"/api/v1/caselaw/{world.caselaw['citing'].id}/treatments",
                                  json={"cited_key": "PLD 2019 SC 64", "treatment": "distinguished"},
                                  headers={"X-CSRFToken": token})
    assert set_treatment.status_code == 200
    denied = reader.put(f"/api/v1/caselaw/{world.caselaw['citing'].id}/treatments",
                        json={"cited_key": "PLD 2019 SC 64", "treatment": "overruled"},
                        headers={"X-CSRFToken": csrf_from(reader.get("/caselaw").get_data(as_text=True))})
    assert denied.status_code == 403
