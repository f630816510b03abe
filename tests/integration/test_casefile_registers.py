"""Witness register, exhibits with chain of custody and mentioning pages, the paper book through the
web app (real SQLite, real PDFs in the file store), and the witness list the calendar reads."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pypdfium2 as pdfium
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from casework.registry import case_witnesses
from config import Settings
from models import (
    AuditEvent,
    Batch,
    BatchSource,
    Case,
    CustodyEntry,
    Document,
    FileKind,
    Page,
    PageStatus,
    Role,
    StoredFile,
    TextSource,
)
from printing import html_to_pdf
from scheduling.timezone import court_today
from tests.integration import web_support
from tests.integration.web_support import csrf_token, login, make_case, make_user

app, client, districts = web_support.app, web_support.client, web_support.districts

TODAY = court_today()


def _post(client: FlaskClient, path: str, data: dict[str, object]):  # type: ignore[no-untyped-def]
    return client.post(path, data={**data, "csrf_token": csrf_token(client, "/")})


def _real_document(factory: sessionmaker[Session], settings: Settings, district_id: int, case_id: int, title: str,
                   pages: list[str]) -> int:
    """A born-digital PDF stored in the file store with its pages read, as the pipeline leaves it."""
    body = "".join(f"<section style='page-break-after: always'><p>{text}</p></section>" for text in pages)
    pdf = html_to_pdf(f"<!doctype html><html><body>{body}</body></html>")
    sha = hashlib.sha256(pdf).hexdigest()
    relative = f"originals/{sha[:2]}/{sha}.pdf"
    path = settings.files_dir / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pdf)
    with factory() as db:
        batch = Batch(source=BatchSource.UPLOAD, district_id=district_id)
        db.add_all([batch, StoredFile(sha256=sha, size_bytes=len(pdf), kind=FileKind.PDF, relative_path=relative)])
        db.flush()
        document = Document(batch_id=batch.id, sha256=sha, original_filename=f"{title}.pdf", kind=FileKind.PDF,
                            title=title, district_id=district_id, case_id=case_id, page_count=len(pages),
                            pages_done=len(pages))
        db.add(document)
        db.flush()
        for number, text in enumerate(pages, start=1):
            db.add(Page(document_id=document.id, page_no=number, status=PageStatus.TEXT_DONE,
                        source=TextSource.TEXT_LAYER, text=text, words=[], width=595, height=842, dpi=72))
        db.commit()
        return document.id


def _setup(factory: sessionmaker[Session], districts: dict[str, int]) -> int:
    make_user(factory, "pros", Role.PROSECUTOR, ["Peshawar"])
    case_id = make_case(factory, districts["Peshawar"], fir_number="501")
    with factory() as db:
        case = db.get(Case, case_id)
        assert case is not None
        case.fir_date = TODAY - timedelta(days=60)
        db.commit()
    return case_id


def test_witnesses_and_the_calendar_list(client: FlaskClient, session_factory: sessionmaker[Session],
                                         districts: dict[str, int], settings: Settings) -> None:
    case_id = _setup(session_factory, districts)
    statement = _real_document(session_factory, settings, districts["Peshawar"], case_id, "Statements u/s 161",
                               ["Statement of Gul Zaman PW-1", "Statement of Dr. Saima PW-2"])
    login(client, "pros")
    url = f"/cases/{case_id}/witnesses"
    assert _post(client, url, {"name": "Gul Zaman", "father_name": "Sher Zaman", "cnic": "17301-1111111-1",
                               "kind": "eye_witness", "process": "summons", "process_issued_on": TODAY.isoformat(),
                               "statement_document": str(statement), "statement_page": "1"}).status_code == 302
    assert _post(client, url, {"name": "Dr. Saima", "kind": "doctor", "process": "none"}).status_code == 302
    # a statement page that is not in this case, and an examination before the FIR, are refused
    assert _post(client, url, {"name": "Zahid", "kind": "eye_witness", "process": "none",
                               "statement_document": "999", "statement_page": "1"}).status_code == 400
    with session_factory() as db:
        listed = case_witnesses(db, case_id)
    assert [(w.name, w.cnic, w.kind, w.process) for w in listed] == [
        ("Gul Zaman", "17301-1111111-1", "eye_witness", "summons"), ("Dr. Saima", "", "doctor", "none")]
    early = (TODAY - timedelta(days=90)).isoformat()
    refused = _post(client, f"{url}/{listed[0].id}", {"kind": "eye_witness", "process": "served", "examined_on": early})
    assert refused.status_code == 400 and "between the FIR date and today" in refused.get_data(as_text=True)
    assert _post(client, f"{url}/{listed[0].id}", {"kind": "eye_witness", "process": "served",
                                                   "examined_on": TODAY.isoformat()}).status_code == 302
    with session_factory() as db:
        assert [w.id for w in case_witnesses(db, case_id, pending_only=True)] == [listed[1].id]
    page = client.get(url).get_data(as_text=True)
    assert f"/documents/{statement}/pages/1" in page and "PW-2" in page
    api = client.get(f"/api/v1/cases/{case_id}/witnesses").get_json()
    assert api["items"][0]["person"]["cnic"] == "17301-1111111-1" and api["items"][0]["statement_pages"] == [
        [statement, 1]]


def test_exhibit_custody_and_mentions(client: FlaskClient, session_factory: sessionmaker[Session],
                                      districts: dict[str, int], settings: Settings) -> None:
    case_id = _setup(session_factory, districts)
    memo = _real_document(session_factory, settings, districts["Peshawar"], case_id, "Recovery memo",
                          ["Recovery memo: one 30 bore pistol marked P-1 sealed in a parcel", "Site plan"])
    login(client, "pros")
    response = _post(client, f"/cases/{case_id}/exhibits", {
        "label": "P-1", "description": "30 bore pistol", "recovered_on": (TODAY - timedelta(days=50)).isoformat(),
        "malkhana_entry": "19/231", "memo_document": str(memo), "memo_page": "1"})
    assert response.status_code == 302
    exhibit_url = response.headers["Location"]
    custody = exhibit_url + "/custody"
    day = TODAY - timedelta(days=49)
    assert _post(client, custody, {"handed_on": day.isoformat(), "from_holder": "SI Akbar",
                                   "to_holder": "Moharrir PS City", "purpose": "malkhana"}).status_code == 302
    broken = _post(client, custody, {"handed_on": day.isoformat(), "from_holder": "SI Akbar", "to_holder": "FSL"})
    assert broken.status_code == 400 and "The exhibit is with Moharrir PS City" in broken.get_data(as_text=True)
    assert _post(client, custody, {"handed_on": (day + timedelta(days=1)).isoformat(),
                                   "from_holder": "Moharrir PS City", "to_holder": "FSL Peshawar"}).status_code == 302
    page = client.get(exhibit_url).get_data(as_text=True)
    assert f"/documents/{memo}/pages/1" in page and "FSL Peshawar" in page
    with session_factory() as db:
        assert [c.to_holder for c in db.scalars(select(CustodyEntry).order_by(CustodyEntry.id))] == [
            "Moharrir PS City", "FSL Peshawar"]


def test_paper_book_through_the_web(client: FlaskClient, session_factory: sessionmaker[Session],
                                    districts: dict[str, int], settings: Settings) -> None:
    case_id = _setup(session_factory, districts)
    ids = [_real_document(session_factory, settings, districts["Peshawar"], case_id, title, pages)
           for title, pages in (("FIR", ["FIR of the occurrence"]),
                                ("Statements", ["Statement one", "Statement two"]),
                                ("Recovery memo", ["Memo of recovery", "Site plan", "Sketch"]))]
    other_case = make_case(session_factory, districts["Peshawar"], fir_number="777")
    foreign = _real_document(session_factory, settings, districts["Peshawar"], other_case, "Other", ["Other case"])
    login(client, "pros")
    url = f"/cases/{case_id}/paper-book"
    refused = _post(client, url, {"document_ids": [str(ids[0]), str(foreign)]})
    assert refused.status_code == 400 and "this case only" in refused.get_data(as_text=True)
    response = _post(client, url, {"document_ids": [str(ids[2]), str(ids[0]), str(ids[1])]})
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    book = pdfium.PdfDocument(response.get_data())
    assert len(book) == 1 + 3 + 1 + 2
    texts = [book[i].get_textpage().get_text_range() for i in range(len(book))]
    assert all(f"{n} / 7" in texts[n - 1] for n in range(1, 8))
    assert "Memo of recovery" in texts[1] and "FIR of the occurrence" in texts[4] and "Statement two" in texts[6]
    assert [b.get_title() for b in book.get_toc()] == ["Index", "Recovery memo", "FIR", "Statements"]
    with session_factory() as db:
        events = list(db.scalars(select(AuditEvent).where(AuditEvent.action == "export")))
        assert [(e.object_type, e.success) for e in events] == [("paper_book", False), ("paper_book", True)]
