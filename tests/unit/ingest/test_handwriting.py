"""The pipeline's handwritten-decision-date fallback (``ingest.handwriting``) without OCR: when it runs,
that a failing second engine or page reader gives no date instead of failing the job, and how the page
it read is marked for review (``jobs.stages._mark_handwritten_date``)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from caselaw.handwritten_date import HandwrittenDate
from caselaw.record import JudgmentRecord
from ingest import handwriting
from jobs.stages import _mark_handwritten_date
from models import Document, FileKind, Page, ReviewReason
from ocr.errors import PageError, PageErrorCode
from ocr.page import PageOptions, PageRead
from ocr.rapid import RapidUnavailable

PAGES = ["IN THE SUPREME COURT OF PAKISTAN\nDate of hearing: 09.10.2019", "JUDGMENT ...",
         "Islamabad, the\nAnnounced on O 'as 220/"]
TODAY = date(2026, 12, 2)
NO_DATE = JudgmentRecord()


def _suggest(record: JudgmentRecord = NO_DATE, pages: list[str] = PAGES) -> Any:
    return handwriting.suggest_decision_date(Path("/nowhere/j.pdf"), FileKind.PDF, pages, record, PageOptions(), TODAY)


def test_the_announcement_page_is_the_last_page_with_the_cue() -> None:
    assert handwriting.announcement_page(PAGES) == 3
    assert handwriting.announcement_page(["ANNOUNCÈD IN OPEN COURT AT LAHOREONOL-1-Zo9.", "annex"]) == 1
    assert handwriting.announcement_page(["no cue here"]) is None


def test_nothing_is_read_when_the_text_gave_a_date_or_there_is_no_cue(monkeypatch: pytest.MonkeyPatch) -> None:
    def never(*_args: object) -> PageRead:
        raise AssertionError("the page must not be read")

    monkeypatch.setattr(handwriting, "read_page_text", never)
    assert _suggest(JudgmentRecord(decided_on=date(2019, 12, 20))) is None
    assert _suggest(pages=["JUDGMENT", "Islamabad, the 20.12.2019"]) is None


@pytest.mark.parametrize("error", [
    PageError(PageErrorCode.OCR_FAILED, "tesseract crashed"),
    RapidUnavailable("rapidocr is not installed"),
    OSError("file vanished"),
])
def test_a_failing_reader_gives_no_date_and_does_not_raise(monkeypatch: pytest.MonkeyPatch, error: Exception,
                                                           caplog: pytest.LogCaptureFixture) -> None:
    def failing(*_args: object) -> PageRead:
        raise error

    monkeypatch.setattr(handwriting, "read_page_text", failing)
    assert _suggest() is None
    assert "handwritten decision date not read" in caplog.text


def test_a_failing_second_engine_gives_no_date(monkeypatch: pytest.MonkeyPatch) -> None:
    read = PageRead(page=object(), image=np.zeros((10, 10), np.uint8))  # type: ignore[arg-type]
    monkeypatch.setattr(handwriting, "read_page_text", lambda *_a: read)

    def engine_down(*_args: object, **_kwargs: object) -> HandwrittenDate | None:
        raise PageError(PageErrorCode.OCR_FAILED, "rapidocr failed: onnxruntime")

    monkeypatch.setattr(handwriting, "read_handwritten_date", engine_down)
    assert _suggest() is None


def test_the_hearing_date_bounds_the_reading(monkeypatch: pytest.MonkeyPatch) -> None:
    read = PageRead(page=object(), image=np.zeros((10, 10), np.uint8))  # type: ignore[arg-type]
    monkeypatch.setattr(handwriting, "read_page_text", lambda *_a: read)
    seen: dict[str, Any] = {}

    def reader(_image: object, _page: object, _engine: object, **kwargs: Any) -> HandwrittenDate:
        seen.update(kwargs)
        return HandwrittenDate(date(2019, 12, 20), 5, 6, ())

    monkeypatch.setattr(handwriting, "read_handwritten_date", reader)
    found = _suggest()
    assert found is not None and (found.page_no, found.reading.value) == (3, date(2019, 12, 20))
    assert seen["today"] == TODAY and date(2019, 10, 9) in seen["not_before"]


def test_the_page_read_goes_to_the_review_queue() -> None:
    doc = Document(needs_review=False)
    pages = [Page(page_no=1, review_reasons=[], needs_review=False),
             Page(page_no=3, review_reasons=["low_confidence"], needs_review=True)]
    _mark_handwritten_date(doc, pages, 3)
    _mark_handwritten_date(doc, pages, 3)  # a re-run adds nothing twice
    assert pages[1].review_reasons == ["low_confidence", str(ReviewReason.HANDWRITTEN_DATE)]
    assert pages[1].needs_review and doc.needs_review
    assert pages[0].review_reasons == [] and not pages[0].needs_review
