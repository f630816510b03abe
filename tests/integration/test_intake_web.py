"""The intake and review pages through the real Flask app (SQLite, CSRF on, real Redis for the queue):
the review queue, confirm and correct, counts that agree on three pages, the batch page's facts and
queue estimate, retries and replacements, re-scan decisions, quarantine, originals by sniffed type,
district walls on every new route."""

from __future__ import annotations

import io
import json
import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from jobs.queues import Stage, fetch_job, job_id
from models import (
    Batch,
    Document,
    DocumentStatus,
    PageStatus,
    RescanMatch,
    ReviewReason,
    Role,
)
from tests.integration import web_support
from tests.integration.intake_support import add_doc
from tests.integration.web_support import audit_rows, csrf_token, login, make_case, make_user, post

app, client, districts = web_support.app, web_support.client, web_support.districts

JPEG_HEAD = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 40


def _client(app: Flask, username: str) -> FlaskClient:
    c = app.test_client()
    assert login(c, username).status_code == 302
    return c


@pytest.fixture
def people(session_factory: sessionmaker[Session], districts: dict[str, int]) -> dict[str, int]:
    return {
        "clerk": make_user(session_factory, "clerk", Role.DATA_ENTRY, ["Peshawar"]),
        "mardan_clerk": make_user(session_factory, "mardan_clerk", Role.DATA_ENTRY, ["Mardan"]),
        "boss": make_user(session_factory, "boss", Role.SUPERVISOR, ["Peshawar"]),
        "admin": make_user(session_factory, "admin", Role.ADMIN, [], all_districts=True),
        "pros": make_user(session_factory, "pros", Role.PROSECUTOR, ["Peshawar"]),
    }


def _queued_world(factory: sessionmaker[Session], districts: dict[str, int]) -> dict[str, Any]:
    case_id = make_case(factory, districts["Peshawar"], fir_number="77")
    with factory() as db:
        photo = add_doc(db, districts["Peshawar"], [
            {"text": "", "needs_review": True, "review_reasons": [ReviewReason.EMPTY], "mean_confidence": None}],
            name="phone photo.jpg")
        weak = add_doc(db, districts["Peshawar"], [
            {"needs_review": True, "review_reasons": [ReviewReason.LOW_CONFIDENCE], "mean_confidence": 38.0},
            {"needs_review": False}], name="faint carbon copy.pdf")
        weak.case_id = case_id
        theirs = add_doc(db, districts["Mardan"], [{"needs_review": True, "review_reasons": [ReviewReason.EMPTY]}],
                         name="mardan secret.pdf")
        db.commit()
        return {"photo": photo.id, "weak": weak.id, "theirs": theirs.id, "photo_batch": photo.batch_id,
                "photo_page": photo.pages[0].id, "weak_page": weak.pages[0].id, "theirs_page": theirs.pages[0].id}


def _number(html: str, element_id: str) -> int:
    match = re.search(rf'id="{element_id}"[^>]*>(\d+)<', html)
    assert match, f"#{element_id} not found"
    return int(match.group(1))


@pytest.mark.redis
def test_review_queue_confirm_correct_and_counts_that_agree(
    app: Flask, session_factory: sessionmaker[Session], districts: dict[str, int], people: dict[str, int],
    redis_conn: Any,
) -> None:
    world = _queued_world(session_factory, districts)
    clerk = _client(app, "clerk")
    page = clerk.get("/review/").get_data(as_text=True)
    assert "phone photo.jpg" in page and "faint carbon copy.pdf" in page and "mardan secret" not in page
    assert "No text was found on the page" in page and "low confidence" in page
    assert f'/documents/{world["photo"]}/pages/1?review=1' in page.replace("&amp;", "&")
    only_empty = clerk.get("/review/?reason=empty").get_data(as_text=True)
    assert "phone photo.jpg" in only_empty and "faint carbon copy.pdf" not in only_empty
    by_batch = clerk.get(f"/review/?batch={world['photo_batch']}").get_data(as_text=True)
    assert "faint carbon copy.pdf" not in by_batch
    assert clerk.get("/review/?reason=<script>&batch=x&district=99999999999").status_code == 200

    # The viewer opened from the queue: reasons, the form open, a confirm button.
    viewer = clerk.get(f"/documents/{world['photo']}/pages/1?review=1").get_data(as_text=True)
    assert 'id="review-box"' in viewer and '<details class="correction" id="correction" open>' in viewer

    def counts() -> tuple[int, int, int]:
        home = _number(clerk.get("/").get_data(as_text=True), "home-review-pages")
        boss = _client(app, "boss")
        oversight = _number(boss.get("/oversight/caseload").get_data(as_text=True), "oversight-review-pages")
        queue = len(re.findall(r'id="review-page-\d+"', clerk.get("/review/").get_data(as_text=True)))
        return home, oversight, queue

    assert counts() == (2, 2, 2)
    # Confirm the blank photo; correct the faint copy: both leave the queue; every page agrees.
    response = post(clerk, f"/review/pages/{world['photo_page']}/confirm")
    assert response.status_code == 302
    response = post(clerk, f"/documents/{world['weak']}/pages/1/correction",
                    {"corrected_text": "The accused was arrested at the spot."})
    assert response.status_code == 302
    assert counts() == (0, 0, 0)
    assert "Nothing to review" in clerk.get("/review/").get_data(as_text=True)
    reviews = audit_rows(session_factory, "review")
    assert reviews[-1].detail["reasons"] == ["empty"] and reviews[-1].detail["outcome"] == "confirmed"
    assert audit_rows(session_factory, "edit")[-1].detail["reviewed"] is True
    assert fetch_job(redis_conn, job_id(Stage.INDEX, world["weak"])) is not None  # re-indexed with the text
    # Another district's page cannot be confirmed (answered like a missing one).
    assert post(clerk, f"/review/pages/{world['theirs_page']}/confirm").status_code == 404
    assert _client(app, "pros").get("/review/").status_code == 403


@pytest.mark.redis
def test_batch_page_facts_estimate_and_live_summary(
    app: Flask, session_factory: sessionmaker[Session], districts: dict[str, int], people: dict[str, int],
    redis_conn: Any,
) -> None:
    case_id = make_case(session_factory, districts["Peshawar"], fir_number="12", fir_year=2024)
    clerk = _client(app, "clerk")
    with session_factory() as db:  # 175 pages waiting ahead, read at 8 s a page so far
        ahead = add_doc(db, districts["Peshawar"], [{"status": PageStatus.PENDING}] * 175,
                        status=DocumentStatus.PROCESSING, name="ahead.pdf")
        add_doc(db, districts["Peshawar"], [{"duration_ms": 8000}], name="done.pdf")
        db.commit()
        assert ahead.id
    data = {"csrf_token": csrf_token(clerk, "/intake/"), "district_id": str(districts["Peshawar"]),
            "language": "eng", "doc_type": "fir", "case_ref": "FIR 12/2024", "name": "Sessions week 12",
            "box_number": "Box 14 / File 203", "notes": "Two files water-damaged.",
            "files": [(io.BytesIO(b"%PDF-1.4 one\n"), "one.pdf"), (io.BytesIO(b"%PDF-1.4 two\n"), "two.pdf")]}
    response = clerk.post("/intake/", data=data, content_type="multipart/form-data")
    assert response.status_code == 302
    html = clerk.get(response.headers["Location"]).get_data(as_text=True)
    assert "Sessions week 12" in html and "Box 14 / File 203" in html and "water-damaged" in html
    # data entry does not open case records (README role table): the batch says it is linked, no link
    assert "Linked to a case of this district" in html and f"/cases/{case_id}" not in html and "Clerk" in html
    admin_view = _client(app, "admin").get(response.headers["Location"]).get_data(as_text=True)
    assert f"/cases/{case_id}" in admin_view
    assert "175 page(s) ahead in the queue" in html
    assert "no reader is running" in html  # no worker listens on this test's Redis
    progress = json.loads(clerk.get(response.headers["Location"] + "/progress").get_data(as_text=True))
    assert progress["summary"].startswith("0 of 2 documents finished")
    with session_factory() as db:  # the pipeline finishes both documents
        for doc in db.scalars(select(Document).where(Document.original_filename.in_(["one.pdf", "two.pdf"]))):
            doc.status = DocumentStatus.INDEXED
        db.commit()
    progress = json.loads(clerk.get(response.headers["Location"] + "/progress").get_data(as_text=True))
    assert progress["finished"] and progress["summary"].startswith("2 of 2 documents finished")
    with session_factory() as db:
        batch = db.scalars(select(Batch).where(Batch.name == "Sessions week 12")).one()
        assert (batch.box_number, batch.case_id) == ("Box 14 / File 203", case_id)
    other = _client(app, "mardan_clerk")
    assert other.get(response.headers["Location"]).status_code == 404


@pytest.mark.redis
def test_retry_replace_and_failed_lists(
    app: Flask, session_factory: sessionmaker[Session], districts: dict[str, int], people: dict[str, int],
    redis_conn: Any,
) -> None:
    clerk = _client(app, "clerk")
    with session_factory() as db:
        broken = add_doc(db, districts["Peshawar"], [{"status": PageStatus.FAILED, "error_code": "corrupt",
                                                      "error_message": "The file is damaged."}],
                         status=DocumentStatus.FAILED, name="damaged.jpg", kind=None)
        broken.kind = "jpeg"
        broken.error_code, broken.error_message = "corrupt", "The file is damaged or incomplete."
        partial = add_doc(db, districts["Peshawar"], [{}, {"status": PageStatus.FAILED, "error_code": "ocr_timeout",
                                                          "error_message": "Reading took too long."}],
                          name="long.pdf")
        partial.error_code, partial.error_message = "pages_failed", "Some pages could not be read"
        theirs = add_doc(db, districts["Mardan"], [], status=DocumentStatus.FAILED, name="theirs.pdf")
        empty = add_doc(db, districts["Peshawar"], [], status=DocumentStatus.FAILED, name="empty.pdf", kind=None)
        empty.error_code, empty.error_message = "empty", "The file is empty (0 bytes)."
        db.commit()
        ids = {"broken": broken.id, "partial": partial.id, "theirs": theirs.id, "batch": broken.batch_id,
               "page": partial.pages[1].id, "empty": empty.id}
    listing = clerk.get("/intake/failed").get_data(as_text=True)
    assert "damaged.jpg" in listing and "long.pdf" in listing and "theirs.pdf" not in listing
    assert "The file is damaged or incomplete." in listing and "Reading took too long." in listing
    # the reason first, its code after it for support; no "Try again" where reading again cannot help
    assert 'The file is damaged or incomplete. <span class="muted error-code" translate="no" dir="ltr">(corrupt)' \
        in listing
    row = listing.split(f'id="failed-{ids["empty"]}"')[1].split("</tr>")[0]
    assert "The file is empty (0 bytes)." in row and "Try again" not in row
    assert "Try again" in listing.split(f'id="failed-{ids["broken"]}"')[1].split("</tr>")[0]
    refused = post(clerk, f"/intake/documents/{ids['empty']}/retry")
    assert "This file is empty, so reading it again cannot help." in clerk.get(
        refused.headers.get("Location", "/intake/failed")).get_data(as_text=True)
    assert post(clerk, f"/intake/pages/{ids['page']}/retry").status_code == 302
    assert fetch_job(redis_conn, job_id(Stage.READ_PAGE, ids["page"])) is not None
    assert post(clerk, f"/intake/documents/{ids['theirs']}/retry").status_code == 404
    # Replace the damaged file with a good one: the new document is processed, the old one superseded.
    response = clerk.post(f"/intake/documents/{ids['broken']}/replace", content_type="multipart/form-data",
                          data={"csrf_token": csrf_token(clerk, "/"), "file": (io.BytesIO(b"%PDF-1.4 good\n"),
                                                                                "rescanned.pdf")})
    assert response.status_code == 302
    with session_factory() as db:
        old = db.get(Document, ids["broken"])
        new = db.scalars(select(Document).where(Document.original_filename == "rescanned.pdf")).one()
        assert old is not None and old.superseded_by_id == new.id and new.batch_id == ids["batch"]
    assert fetch_job(redis_conn, job_id(Stage.PREPARE, new.id)) is not None
    assert "damaged.jpg" not in clerk.get("/intake/failed").get_data(as_text=True)
    assert [e.detail["replacement"] for e in audit_rows(session_factory, "replace")] == [new.id]
    assert _client(app, "admin").get("/intake/failed").status_code == 200
    assert _client(app, "pros").get("/intake/failed").status_code == 403


@pytest.mark.redis
def test_rescan_finding_made_a_version_from_the_batch_page(
    app: Flask, session_factory: sessionmaker[Session], districts: dict[str, int], people: dict[str, int],
    redis_conn: Any,
) -> None:
    with session_factory() as db:
        old = add_doc(db, districts["Peshawar"], [{}, {}, {}, {}, {}], name="original 300dpi.pdf")
        new = add_doc(db, districts["Peshawar"], [{}, {}, {}], name="rescan 220dpi.pdf")
        db.add(RescanMatch(document_id=new.id, match_document_id=old.id, district_id=districts["Peshawar"],
                           pages=[[1, 3, 5, 0.7], [2, 4, 7, 0.66], [3, 5, 4, 0.8]], score=0.72))
        db.commit()
        old_id, new_id, batch_id = old.id, new.id, new.batch_id
        match_id = db.scalars(select(RescanMatch)).one().id
    clerk = _client(app, "clerk")
    html = clerk.get(f"/intake/batches/{batch_id}").get_data(as_text=True)
    assert "Looks like a re-scan of" in html and f"#{old_id}</a>, pages 3-5" in html
    assert _client(app, "mardan_clerk").post(f"/intake/rescans/{match_id}/version").status_code in (400, 404)
    assert post(clerk, f"/intake/rescans/{match_id}/version").status_code == 302
    with session_factory() as db:
        assert db.get(Document, old_id).superseded_by_id == new_id  # type: ignore[union-attr]
    for document_id in (old_id, new_id):  # the old one leaves the index, the new one is indexed
        assert fetch_job(redis_conn, job_id(Stage.INDEX, document_id)) is not None
    viewer = clerk.get(f"/documents/{old_id}/pages/1").get_data(as_text=True)
    assert 'id="superseded-banner"' in viewer and "v2 (#" in viewer


def test_a_rescan_of_a_published_judgment_is_explained_not_offered_as_a_version(
    app: Flask, session_factory: sessionmaker[Session], districts: dict[str, int], people: dict[str, int],
) -> None:
    """The clerk re-uploads a re-scan of a published judgment: making it a version needs the judgment as
    intake work, which published case law never is, so the page says why instead of a button ending in 404."""
    from models import CaseLaw, CaseLawStatus

    with session_factory() as db:
        old = add_doc(db, districts["Peshawar"], [{}, {}, {}], name="judgment.pdf")
        new = add_doc(db, districts["Peshawar"], [{}, {}, {}], name="judgment rescan.pdf")
        db.add(CaseLaw(document_id=old.id, citation="PLD 2019 SC 64", court="Supreme Court",
                       status=CaseLawStatus.PUBLISHED))
        db.add(RescanMatch(document_id=new.id, match_document_id=old.id, district_id=districts["Peshawar"],
                           pages=[[1, 1, 5, 0.9], [2, 2, 5, 0.9], [3, 3, 5, 0.9]], score=0.9))
        db.commit()
        old_id, batch_id = old.id, new.batch_id
        match_id = db.scalars(select(RescanMatch)).one().id
    html = _client(app, "clerk").get(f"/intake/batches/{batch_id}").get_data(as_text=True)
    assert "Looks like a re-scan of" in html
    assert f'id="make-version-{match_id}"' not in html and f'id="keep-both-{match_id}"' not in html
    assert f"This is a re-scan of published judgment #{old_id}; only a librarian can replace its text." in html


def test_quarantine_and_originals_served_by_what_they_are(
    app: Flask, session_factory: sessionmaker[Session], settings: Any, districts: dict[str, int],
    people: dict[str, int],
) -> None:
    clerk = _client(app, "clerk")
    files = [(io.BytesIO(b"<html><script>alert(1)</script></html>"), "photo.png"),
             (io.BytesIO(b"MZ\x90\x00" + b"\x00" * 100 + b"%PDF-1.4"), "judgment.pdf.exe"),
             (io.BytesIO(JPEG_HEAD), "scan.pdf")]
    data = {"csrf_token": csrf_token(clerk, "/intake/"), "district_id": str(districts["Peshawar"]),
            "language": "eng", "doc_type": "fir", "files": files}
    assert clerk.post("/intake/", data=data, content_type="multipart/form-data").status_code == 302
    with session_factory() as db:
        docs = {d.original_filename: d for d in db.scalars(select(Document))}
    html_doc, exe_doc, jpeg_doc = docs["photo.png"], docs["judgment.pdf.exe"], docs["scan.pdf"]
    assert html_doc.status == exe_doc.status == DocumentStatus.FAILED
    for refused in (html_doc, exe_doc):
        response = clerk.get(f"/documents/{refused.id}/original")
        assert response.status_code == 403 and b"<script>" not in response.data
    jpeg = clerk.get(f"/documents/{jpeg_doc.id}/original")
    assert jpeg.status_code == 200 and jpeg.mimetype == "image/jpeg"
    assert 'filename="scan.jpg"' in jpeg.headers["Content-Disposition"]
    assert clerk.get("/intake/quarantine").status_code == 403
    assert clerk.get(f"/intake/quarantine/{html_doc.id}").status_code == 403
    admin = _client(app, "admin")
    assert "judgment.pdf.exe" in admin.get("/intake/quarantine").get_data(as_text=True)
    raw = admin.get(f"/intake/quarantine/{exe_doc.id}")
    assert raw.status_code == 200 and raw.mimetype == "application/octet-stream"
    assert raw.data.startswith(b"MZ") and raw.headers["X-Content-Type-Options"] == "nosniff"
    disposition = raw.headers["Content-Disposition"]
    assert disposition.startswith('attachment; filename="judgment.pdf.exe.quarantined"')
    assert admin.get(f"/intake/quarantine/{jpeg_doc.id}").status_code == 404  # not quarantined
    assert [e.object_id for e in audit_rows(session_factory, "download_quarantined")] == [str(exe_doc.id)]


def test_audit_page_wraps_long_values(app: Flask, session_factory: sessionmaker[Session],
                                      people: dict[str, int]) -> None:
    from models import record_audit

    with session_factory() as db:
        record_audit(db, action="search", user_id=people["clerk"], username="clerk", object_type="search",
                     object_id="", ip_address="127.0.0.1", success=True, query="x" * 500)
        db.commit()
    html = _client(app, "admin").get("/oversight/audit").get_data(as_text=True)
    assert '<details class="clip-full">' in html and "x" * 500 in html  # full text available
    assert '<td dir="auto" class="wrap">' in html  # wraps; the rendered width is measured in the browser journey


def test_batch_page_names_the_cli_operator(app: Flask, session_factory: sessionmaker[Session],
                                           districts: dict[str, int], people: dict[str, int]) -> None:
    with session_factory() as db:
        doc = add_doc(db, districts["Peshawar"], [{}], name="x.pdf")
        batch = db.get(Batch, doc.batch_id)
        assert batch is not None
        batch.operator_name, batch.box_number = "shahid", "Box 3"
        db.commit()
        batch_id = batch.id
    html = _client(app, "clerk").get(f"/intake/batches/{batch_id}").get_data(as_text=True)
    assert re.search(r'id="batch-operator">shahid<', html) and "Box 3" in html


@pytest.mark.redis
def test_intake_api_review_queue_batch_and_retry(
    app: Flask, session_factory: sessionmaker[Session], districts: dict[str, int], people: dict[str, int],
    redis_conn: Any,
) -> None:
    world = _queued_world(session_factory, districts)
    with session_factory() as db:
        dead = add_doc(db, districts["Peshawar"], [], status=DocumentStatus.FAILED, name="dead.pdf")
        refused = add_doc(db, districts["Peshawar"], [], status=DocumentStatus.FAILED, name="x.html", kind=None,
                          quarantined=True)
        db.commit()
        dead_id, refused_id = dead.id, refused.id
    clerk = _client(app, "clerk")
    body = clerk.get("/api/v1/review-queue?reason=empty").get_json()
    assert body["pages_in_queue"] == 2 and [p["document_id"] for p in body["pages"]] == [world["photo"]]
    assert body["pages"][0]["reasons"] == ["empty"]
    bad = clerk.get("/api/v1/review-queue?limit=100000")
    assert bad.status_code == 400 and bad.get_json()["error"]["code"] == "bad_request"
    assert clerk.get("/api/v1/review-queue?reason=nonsense").status_code == 400
    batch = clerk.get(f"/api/v1/batches/{world['photo_batch']}").get_json()
    assert batch["review_pages"] == 1 and batch["summary"].startswith("1 of 1 documents finished")
    theirs = _client(app, "mardan_clerk").get(f"/api/v1/batches/{world['photo_batch']}")
    assert theirs.status_code == 404 and theirs.get_json()["error"]["status"] == 404
    token = csrf_token(clerk, "/")
    retried = clerk.post(f"/api/v1/documents/{dead_id}/retry", headers={"X-CSRFToken": token})
    assert retried.status_code == 200 and retried.get_json()["documents_queued"] == [dead_id]
    assert fetch_job(redis_conn, job_id(Stage.PREPARE, dead_id)) is not None
    cannot = clerk.post(f"/api/v1/documents/{refused_id}/retry", headers={"X-CSRFToken": token})
    assert cannot.status_code == 409 and "Replace it" in cannot.get_json()["error"]["message"]
    assert clerk.post(f"/api/v1/documents/{dead_id}/retry").status_code == 400  # no CSRF token
    assert app.test_client().get("/api/v1/review-queue").status_code == 401
    assert _client(app, "pros").get("/api/v1/review-queue").status_code == 403
