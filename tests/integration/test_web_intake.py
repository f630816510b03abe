"""Intake through the web form: many files at once, Urdu filenames kept as display text (never a
path), duplicates and refusals reported, progress JSON, district scope of batches."""

from __future__ import annotations

import io
import json
import re

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from jobs.queues import Stage, fetch_job, job_id
from models import Batch, Document, DocumentStatus, Role
from tests.integration import web_support
from tests.integration.web_support import audit_rows, csrf_token, login, make_user

# Fixtures shared by the web tests (bound here so pytest finds them in this module).
app, client, districts = web_support.app, web_support.client, web_support.districts

# Smallest real file headers the sniffer recognises (content, not extension, decides).
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _upload(client: FlaskClient, district_id: int, files: list[tuple[bytes, str]], **fields: str):  # type: ignore[no-untyped-def]
    data: dict[str, object] = {"csrf_token": csrf_token(client, "/intake/"), "district_id": str(district_id),
                               "language": "eng+urd", "doc_type": "fir", "case_ref": "", **fields}
    data["files"] = [(io.BytesIO(content), name) for content, name in files]
    return client.post("/intake/", data=data, content_type="multipart/form-data")


@pytest.mark.redis
def test_upload_many_files_with_urdu_names(client: FlaskClient, settings, session_factory, districts,
                                           redis_conn) -> None:
    make_user(session_factory, "clerk", Role.DATA_ENTRY, ["Peshawar"])
    login(client, "clerk")
    urdu = "مقدمہ ایف آئی آر.pdf"
    response = _upload(client, districts["Peshawar"], [(PDF, urdu), (PNG, "../../etc/passwd.png"),
                                                        (PDF, "copy.pdf"), (b"hello", "notes.txt")])
    assert response.status_code == 302, response.get_data(as_text=True)
    batch_url = response.headers["Location"]
    with session_factory() as db:
        batch = db.scalar(select(Batch))
        assert batch is not None and batch.language_hint == "eng+urd" and batch.doc_type == "fir"
        docs = {d.original_filename: d for d in db.scalars(select(Document))}
    assert set(docs) == {urdu, "../../etc/passwd.png", "copy.pdf", "notes.txt"}
    assert docs["copy.pdf"].status == DocumentStatus.DUPLICATE
    assert docs["copy.pdf"].duplicate_of_id == docs[urdu].id
    assert docs["notes.txt"].status == DocumentStatus.FAILED
    # Stored by content hash only: no file anywhere is named after the client's filename.
    stored = [p.name for p in settings.files_dir.rglob("*") if p.is_file()]
    assert stored and not any("passwd" in n or "ایف" in n for n in stored)
    page = client.get(batch_url).get_data(as_text=True)
    assert urdu in page and "../../etc/passwd.png" in page
    progress = client.get(batch_url + "/progress", headers={"Accept": "application/json"})
    body = json.loads(progress.get_data(as_text=True))
    by_id = {d["id"]: d for d in body["documents"]}
    assert by_id[docs["notes.txt"].id]["status"] == "failed" and by_id[docs["notes.txt"].id]["error"]
    assert by_id[docs[urdu].id]["status"] == "received" and body["finished"] is False
    assert audit_rows(session_factory, "upload")[0].detail["files"] == 4
    # Only the new, readable documents were queued for processing (ids only, on the real Redis).
    queued = {d.original_filename for d in docs.values()
              if fetch_job(redis_conn, job_id(Stage.PREPARE, d.id)) is not None}
    assert queued == {urdu, "../../etc/passwd.png"}


def test_upload_refuses_district_outside_scope(client: FlaskClient, session_factory, districts) -> None:
    make_user(session_factory, "clerk", Role.DATA_ENTRY, ["Peshawar"])
    login(client, "clerk")
    response = _upload(client, districts["Mardan"], [(PDF, "a.pdf")])
    assert response.status_code == 400 and "Choose one of your districts" in response.get_data(as_text=True)
    with session_factory() as db:
        assert db.scalar(select(Document)) is None


def test_upload_needs_a_document_type_chosen(client: FlaskClient, session_factory, districts) -> None:
    """No type is taken for granted: a default "judgment" sent every FIR and order to the librarians."""
    make_user(session_factory, "clerk", Role.DATA_ENTRY, ["Peshawar"])
    login(client, "clerk")
    form = client.get("/intake/").get_data(as_text=True)
    assert re.search(r'<select name="doc_type" required>\s*<option value="" selected disabled>', form)
    response = _upload(client, districts["Peshawar"], [(PDF, "a.pdf")], doc_type="")
    assert response.status_code == 400 and "Choose a document type." in response.get_data(as_text=True)
    with session_factory() as db:
        assert db.scalar(select(Document)) is None


def test_batches_of_other_districts_are_hidden(client: FlaskClient, app, session_factory, districts) -> None:
    make_user(session_factory, "clerk", Role.DATA_ENTRY, ["Peshawar"])
    make_user(session_factory, "mardan", Role.DATA_ENTRY, ["Mardan"])
    login(client, "clerk")
    batch_url = _upload(client, districts["Peshawar"], [(PDF, "a.pdf")]).headers["Location"]
    other = app.test_client()
    login(other, "mardan")
    assert other.get(batch_url).status_code == 404
    assert other.get(batch_url + "/progress").status_code == 404
    assert batch_url not in other.get("/intake/batches").get_data(as_text=True)


def test_prosecutor_has_no_intake(client: FlaskClient, session_factory, districts) -> None:
    make_user(session_factory, "pros", Role.PROSECUTOR, ["Peshawar"])
    login(client, "pros")
    assert client.get("/intake/").status_code == 403
