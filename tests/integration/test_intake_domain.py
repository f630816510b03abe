"""The intake domain on SQLite and PostgreSQL: review queue and its counts, versions of re-scans,
retries, and intake outcomes (names, districts, failed re-sends, quarantine, one failure alone)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from config import Settings
from ingest.intake import IntakeRequest, OutcomeStatus, accept_upload
from ingest.retry import RetryError, failed_query, retry_document, retry_page
from ingest.review import clear_reason, mark_reviewed, queue_query, reasons_of, review_counts
from ingest.versions import VersionError, history, keep_both, make_version
from models import (
    BatchSource,
    CaseLaw,
    Document,
    DocumentStatus,
    Page,
    PageStatus,
    RescanMatch,
    RescanStatus,
    ReviewReason,
    StoredFile,
)
from tests.integration.intake_support import add_doc, any_db, districts

__all__ = ["any_db"]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_review_queue_filters_scope_and_clearing(any_db: sessionmaker[Session]) -> None:
    ids = districts(any_db, "Peshawar", "Mardan")
    with any_db() as db:
        photo = add_doc(db, ids["Peshawar"], [
            {"text": "", "needs_review": True, "review_reasons": [ReviewReason.EMPTY], "mean_confidence": None},
            {"needs_review": False}])
        weak = add_doc(db, ids["Peshawar"], [
            {"needs_review": True, "review_reasons": [ReviewReason.LOW_CONFIDENCE, ReviewReason.LANGUAGE_UNSURE],
             "mean_confidence": 41.0}])
        legacy = add_doc(db, ids["Peshawar"], [{"needs_review": True, "mean_confidence": 30.0}])  # no reasons kept
        failed = add_doc(db, ids["Peshawar"], [{"status": PageStatus.FAILED, "needs_review": True, "text": "",
                                                "error_code": "corrupt"}], status=DocumentStatus.FAILED)
        mardan = add_doc(db, ids["Mardan"], [{"needs_review": True, "review_reasons": [ReviewReason.EMPTY]}])
        old = add_doc(db, ids["Peshawar"], [{"needs_review": True, "review_reasons": [ReviewReason.EMPTY]}])
        old.superseded_by_id = photo.id  # an earlier version: its review is moot
        db.commit()
        peshawar = frozenset({ids["Peshawar"]})
        rows = db.execute(queue_query(peshawar)).all()
        assert [(d.id, p.page_no) for p, d in rows] == [(photo.id, 1), (weak.id, 1), (legacy.id, 1), (failed.id, 1)]
        assert mardan.id not in {d.id for _, d in db.execute(queue_query(peshawar)).all()}
        assert {d.id for _, d in db.execute(queue_query(None)).all()} == {photo.id, weak.id, legacy.id, failed.id,
                                                                          mardan.id}
        by_reason = db.execute(queue_query(peshawar, reason=ReviewReason.LANGUAGE_UNSURE)).all()
        assert [d.id for _, d in by_reason] == [weak.id]
        unreadable = db.execute(queue_query(peshawar, reason=ReviewReason.READ_FAILED)).all()
        assert [d.id for _, d in unreadable] == [failed.id]
        assert [d.id for _, d in db.execute(queue_query(None, batch_id=weak.batch_id)).all()] == [weak.id]
        assert reasons_of(next(p for p, d in rows if d.id == legacy.id)) == [ReviewReason.LOW_CONFIDENCE]
        assert reasons_of(next(p for p, d in rows if d.id == failed.id)) == [ReviewReason.READ_FAILED]
        assert review_counts(db, peshawar) == review_counts(db, peshawar)  # one definition
        assert (review_counts(db, peshawar).pages, review_counts(db, peshawar).documents) == (4, 4)
        assert review_counts(db, None, batch_id=photo.batch_id).pages == 1

        # Confirming clears the page; the document's flag follows its pages.
        page = db.scalars(select(Page).where(Page.document_id == photo.id, Page.page_no == 1)).one()
        assert mark_reviewed(db, page, None) is False
        db.commit()
        assert page.needs_review is False and page.review_reasons == [] and page.reviewed_at is not None
        assert db.get(Document, photo.id).needs_review is False  # type: ignore[union-attr]
        # A page that could not be read, given a person's text, becomes a read page: extract again.
        unread = db.scalars(select(Page).where(Page.document_id == failed.id)).one()
        unread.corrected_text = "Typed from the paper by the clerk."
        assert mark_reviewed(db, unread, None) is True
        db.commit()
        refreshed = db.get(Document, failed.id)
        assert unread.status == PageStatus.TEXT_DONE and unread.source == "corrected"
        assert refreshed is not None and refreshed.status == DocumentStatus.EXTRACTING and refreshed.error_code is None
        assert review_counts(db, peshawar).pages == 2



def test_a_reason_settled_elsewhere_leaves_every_page_that_carries_it(any_db: sessionmaker[Session]) -> None:
    """``clear_reason``: page 1 had only that reason and leaves the queue, page 3 keeps its other one,
    page 2 never had it; the pages changed come back (page 1 first), ready to audit by id."""
    ids = districts(any_db, "Mardan")
    date_read = str(ReviewReason.HANDWRITTEN_DATE)
    with any_db() as db:
        doc = add_doc(db, ids["Mardan"], [
            {"needs_review": True, "review_reasons": [date_read]},
            {"needs_review": True, "review_reasons": [ReviewReason.EMPTY]},
            {"needs_review": True, "review_reasons": [ReviewReason.LOW_CONFIDENCE, date_read]}])
        db.commit()
        pages = list(db.scalars(select(Page).where(Page.document_id == doc.id).order_by(Page.page_no)))
        changed = clear_reason(db, doc, date_read, None)
        db.commit()
        assert [(p.id, p.page_no) for p in changed] == [(pages[0].id, 1), (pages[2].id, 3)]
        assert (pages[0].review_reasons, pages[0].needs_review) == ([], False)
        assert (pages[1].review_reasons, pages[2].review_reasons) == ([ReviewReason.EMPTY],
                                                                       [ReviewReason.LOW_CONFIDENCE])
        assert pages[2].needs_review and doc.needs_review
        assert clear_reason(db, doc, date_read, None) == []  # settled: nothing left to take off

def test_a_rescan_becomes_a_version_and_takes_over_the_case_law(any_db: sessionmaker[Session]) -> None:
    ids = districts(any_db, "Peshawar", "Mardan")
    with any_db() as db:
        old = add_doc(db, ids["Peshawar"], [{}, {}], name="judgment 2019.pdf")
        new = add_doc(db, ids["Peshawar"], [{}], name="judgment rescan.jpg")
        other = add_doc(db, ids["Mardan"], [{}], name="mardan.pdf")
        busy = add_doc(db, ids["Peshawar"], [{}], status=DocumentStatus.PROCESSING)
        curated = CaseLaw(document_id=old.id, citation="PLD 2019 SC 64", parties="State v. Amir")
        garbled = CaseLaw(document_id=new.id, parties="Stale v. Arnir")
        db.add_all([curated, garbled])
        match = RescanMatch(document_id=new.id, match_document_id=old.id, district_id=ids["Peshawar"],
                            pages=[[1, 2, 6, 0.71]], score=0.71)
        db.add(match)
        db.commit()
        with pytest.raises(VersionError):
            make_version(db, other, old, None)  # another district
        with pytest.raises(VersionError):
            make_version(db, busy, old, None)  # not read yet
        assert make_version(db, new, old, None) == [old.id, new.id]
        db.commit()
        assert old.superseded_by_id == new.id and old.superseded_at is not None
        assert (old.version_no, new.version_no) == (1, 2) and new.version_group_id == old.id
        laws = list(db.scalars(select(CaseLaw)))
        assert [(law.document_id, law.citation, law.parties) for law in laws] == [
            (new.id, "PLD 2019 SC 64", "State v. Amir")]
        assert db.get(RescanMatch, match.id).status == RescanStatus.VERSIONED  # type: ignore[union-attr]
        assert [d.id for d in history(db, old)] == [old.id, new.id]
        with pytest.raises(VersionError):
            make_version(db, new, old, None)  # already done
        third = add_doc(db, ids["Peshawar"], [{}], name="third scan.pdf")
        make_version(db, third, new, None)
        db.commit()
        assert [(d.id, d.version_no) for d in history(db, third)] == [(old.id, 1), (new.id, 2), (third.id, 3)]
        kept = RescanMatch(document_id=third.id, match_document_id=other.id, district_id=ids["Peshawar"],
                           pages=[], score=0.4)
        db.add(kept)
        db.flush()
        keep_both(db, kept, None)
        assert kept.status == RescanStatus.KEPT_BOTH
        with pytest.raises(VersionError):
            keep_both(db, kept, None)


def test_retries_reset_failed_work_and_refuse_what_cannot_help(any_db: sessionmaker[Session]) -> None:
    ids = districts(any_db, "Peshawar")
    with any_db() as db:
        dead = add_doc(db, ids["Peshawar"], [{"status": PageStatus.FAILED, "error_code": "corrupt", "text": ""}],
                       status=DocumentStatus.FAILED)
        dead.error_code, dead.error_message = "corrupt", "damaged"
        partly = add_doc(db, ids["Peshawar"], [{}, {"status": PageStatus.FAILED, "error_code": "ocr_timeout",
                                                    "needs_review": True}])
        partly.error_code = "pages_failed"
        refused = add_doc(db, ids["Peshawar"], [], status=DocumentStatus.FAILED, kind=None, quarantined=True)
        fine = add_doc(db, ids["Peshawar"], [{}])
        db.commit()
        listed = [d.id for d in db.scalars(failed_query(frozenset(ids.values())))]
        assert listed == [refused.id, partly.id, dead.id]
        plan = retry_document(db, dead)
        db.commit()
        assert plan.prepare_document_ids == [dead.id] and dead.status == DocumentStatus.RECEIVED
        assert db.scalars(select(Page).where(Page.document_id == dead.id)).all() == [] and dead.error_code is None
        failed_page = db.scalars(select(Page).where(Page.document_id == partly.id, Page.page_no == 2)).one()
        plan = retry_page(db, failed_page)
        db.commit()
        assert plan.page_ids == [failed_page.id] and failed_page.status == PageStatus.PENDING
        assert partly.status == DocumentStatus.PROCESSING
        with pytest.raises(RetryError) as info:
            retry_document(db, refused)
        assert "Replace it" in info.value.message
        with pytest.raises(RetryError):
            retry_document(db, fine)


def _request(district_id: int) -> IntakeRequest:
    return IntakeRequest(BatchSource.UPLOAD, district_id, name="Box 7 files", box_number="B-7")


def test_same_bytes_in_another_district_is_that_districts_own_document(
    any_db: sessionmaker[Session], settings: Settings
) -> None:
    ids = districts(any_db, "Peshawar", "Mardan")
    with any_db() as db:
        first = accept_upload(db, settings, _request(ids["Peshawar"]), [("fir.pdf", io.BytesIO(PDF))])
        again = accept_upload(db, settings, _request(ids["Peshawar"]), [("copy.pdf", io.BytesIO(PDF))])
        there = accept_upload(db, settings, _request(ids["Mardan"]), [("their fir.pdf", io.BytesIO(PDF))])
        assert again.outcomes[0].status is OutcomeStatus.DUPLICATE
        assert again.outcomes[0].duplicate_of_id == first.outcomes[0].document_id
        outcome = there.outcomes[0]
        assert outcome.status is OutcomeStatus.ACCEPTED and outcome.duplicate_of_id is None
        assert str(first.outcomes[0].document_id) not in outcome.message  # nothing of Peshawar's is named
        mardan_doc = db.get(Document, outcome.document_id)
        assert mardan_doc is not None and mardan_doc.district_id == ids["Mardan"]
        assert mardan_doc.status == DocumentStatus.RECEIVED and mardan_doc.batch.name == "Box 7 files"
        assert db.scalars(select(StoredFile)).all()[0].sha256 == mardan_doc.sha256  # stored once


def test_a_failed_file_sent_again_is_processed_again(any_db: sessionmaker[Session], settings: Settings) -> None:
    ids = districts(any_db, "Peshawar")
    with any_db() as db:
        first = accept_upload(db, settings, _request(ids["Peshawar"]), [("scan.pdf", io.BytesIO(PDF))])
        failed = db.get(Document, first.outcomes[0].document_id)
        assert failed is not None
        failed.status, failed.error_code = DocumentStatus.FAILED, "gave_up"
        db.commit()
        again = accept_upload(db, settings, _request(ids["Peshawar"]), [("scan again.pdf", io.BytesIO(PDF))])
        outcome = again.outcomes[0]
        assert outcome.status is OutcomeStatus.ACCEPTED and outcome.replaced_failed_id == failed.id
        db.refresh(failed)
        assert failed.superseded_by_id == outcome.document_id
        assert again.document_ids_to_process == [outcome.document_id]
        assert [d.id for d in db.scalars(failed_query(None))] == []  # left the failed list


def test_refused_files_are_quarantined(any_db: sessionmaker[Session], settings: Settings) -> None:
    ids = districts(any_db, "Peshawar")
    html = b"<html><script>alert(1)</script>%PDF-1.4</html>"
    with any_db() as db:
        result = accept_upload(db, settings, _request(ids["Peshawar"]), [("photo.png", io.BytesIO(html)),
                                                                         ("ok.pdf", io.BytesIO(PDF))])
        refused, ok = result.outcomes
        assert refused.status is OutcomeStatus.FAILED and "web page" in refused.message
        stored = db.get(Document, refused.document_id).stored_file  # type: ignore[union-attr]
        assert stored.quarantined and stored.relative_path.startswith("quarantine/")
        assert (settings.files_dir / stored.relative_path).read_bytes() == html
        assert not list((settings.files_dir / "originals").rglob(stored.sha256))
        assert ok.status is OutcomeStatus.ACCEPTED


def test_one_file_that_fails_is_rolled_back_alone(
    any_db: sessionmaker[Session], settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A fault injected into our own step (the sniff) for one file: its bytes are removed, no row is
    left, the files after it are taken in."""
    import ingest.intake as intake

    real = intake.sniff

    def faulty(head: bytes):  # type: ignore[no-untyped-def]
        if b"BOOM" in head:
            raise RuntimeError("disk controller hiccup")
        return real(head)

    monkeypatch.setattr(intake, "sniff", faulty)
    ids = districts(any_db, "Peshawar")
    bad = PDF + b"BOOM"
    files = [("a.pdf", io.BytesIO(PDF)), ("b.pdf", io.BytesIO(bad)), ("c.pdf", io.BytesIO(PDF + b"c"))]
    with any_db() as db:
        result = accept_upload(db, settings, _request(ids["Peshawar"]), files)
        statuses = [(o.filename, o.status) for o in result.outcomes]
        assert statuses == [("a.pdf", OutcomeStatus.ACCEPTED), ("b.pdf", OutcomeStatus.REFUSED),
                            ("c.pdf", OutcomeStatus.ACCEPTED)]
        assert "could not be taken in" in result.outcomes[1].message
        names = {d.original_filename for d in db.scalars(select(Document))}
        assert names == {"a.pdf", "c.pdf"}
        rows = {s.sha256 for s in db.scalars(select(StoredFile))}
    on_disk = {p.name for p in Path(settings.files_dir, "originals").rglob("*") if p.is_file()}
    assert on_disk == rows  # no stored bytes without a row
