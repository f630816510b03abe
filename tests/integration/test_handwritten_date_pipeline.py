"""The handwritten decision date in the extract stage (``jobs.stages._handwritten_date``, read in a
session of its own before the writing one, then ``_judgment``) on a migrated SQLite database, the
reader stubbed (real OCR: test_handwritten_date.py): the suggested date fills the empty
field and sends its page to the review queue; the setting switches it off; an entry that already has a
date is not re-read; a reader that raises does not fail the stage; the record is made once, unless a
page was corrected between the two sessions."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from caselaw.handwritten_date import HandwrittenDate
from config import Settings
from ingest.handwriting import DateSuggestion
from jobs import stages
from models import CaseLaw, DocType, Page, ReviewReason
from tests.integration.intake_support import add_doc, districts

TEXTS = [
    "IN THE SUPREME COURT OF PAKISTAN\nPRESENT:\nMr. Justice Gulzar Ahmed\nCivil Appeal No. 1286 of 2018\n"
    "Date of hearing: 09.10.2019\nJUDGMENT\nThe appeal is allowed.",
    "Islamabad, the\nAnnounced on O 'as 220/",
]
SUGGESTED = DateSuggestion(2, HandwrittenDate(date(2019, 12, 20), 5, 6, ()))


class Ctx:
    def __init__(self, settings: Settings, session_factory: sessionmaker[Session]) -> None:
        self.settings = settings
        self.session_factory = session_factory


def _run(factory: sessionmaker[Session], settings: Settings, runs: int = 1) -> tuple[CaseLaw, list[Page]]:
    with factory() as db:
        doc = add_doc(db, districts(factory, "Mardan")["Mardan"], [{"text": t} for t in TEXTS],
                      doc_type=DocType.JUDGMENT)
        db.commit()
        pages = list(db.scalars(select(Page).where(Page.document_id == doc.id).order_by(Page.page_no)))
        for _ in range(runs):  # the extract stage run again (a retry, a re-extraction)
            ahead = stages._handwritten_date(Ctx(settings, factory), doc.id)  # type: ignore[arg-type]
            stages._judgment(db, doc, pages, [[] for _ in pages], ahead)
            db.commit()
        row = db.scalars(select(CaseLaw).where(CaseLaw.document_id == doc.id)).one()
        return row, pages


@pytest.fixture
def suggestions(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    calls: list[Any] = []

    def suggest(*args: Any) -> DateSuggestion:
        calls.append(args)
        return SUGGESTED

    monkeypatch.setattr(stages, "suggest_decision_date", suggest)
    return calls


def test_the_suggested_date_fills_the_record_and_its_page_is_queued(
    session_factory: sessionmaker[Session], settings: Settings, suggestions: list[Any],
) -> None:
    row, pages = _run(session_factory, settings)
    assert row.decided_on == date(2019, 12, 20)
    assert len(suggestions) == 1 and suggestions[0][3].decided_on is None  # asked only for want of a date
    assert pages[1].review_reasons == [str(ReviewReason.HANDWRITTEN_DATE)] and pages[1].needs_review
    assert ReviewReason.HANDWRITTEN_DATE not in pages[0].review_reasons


def test_an_entry_with_a_date_is_not_read_again(session_factory: sessionmaker[Session], settings: Settings,
                                                suggestions: list[Any]) -> None:
    row, pages = _run(session_factory, settings, runs=2)
    assert row.decided_on == date(2019, 12, 20) and len(suggestions) == 1
    assert pages[1].review_reasons == [str(ReviewReason.HANDWRITTEN_DATE)]


def test_switched_off_nothing_is_read(session_factory: sessionmaker[Session], settings: Settings,
                                     suggestions: list[Any]) -> None:
    row, pages = _run(session_factory, settings.model_copy(update={"caselaw_handwritten_dates": False}))
    assert row.decided_on is None and suggestions == []
    assert not any(p.review_reasons for p in pages)


def test_a_failing_reader_leaves_the_date_empty(session_factory: sessionmaker[Session], settings: Settings,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from ingest import handwriting
    from ocr.errors import PageError, PageErrorCode

    def broken(*_args: object) -> None:
        raise PageError(PageErrorCode.OCR_FAILED, "rapidocr failed")

    monkeypatch.setattr(handwriting, "read_page_text", broken)  # the real suggest_decision_date, reader down
    row, pages = _run(session_factory, settings)
    assert row.decided_on is None
    assert not any(p.review_reasons for p in pages)


@pytest.fixture
def records(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """The page texts of every ``extract_record`` call the stage makes."""
    calls: list[list[str]] = []
    real = stages.extract_record

    def counted(texts: Any) -> Any:
        calls.append(list(texts))
        return real(texts)

    monkeypatch.setattr(stages, "extract_record", counted)
    return calls


@pytest.mark.parametrize("handwritten_dates", [True, False])
def test_the_record_is_made_once(session_factory: sessionmaker[Session], settings: Settings,
                                 suggestions: list[Any], records: list[list[str]], handwritten_dates: bool) -> None:
    """Read ahead (the setting on) or in the writing session only (off), never both."""
    row, _ = _run(session_factory, settings.model_copy(update={"caselaw_handwritten_dates": handwritten_dates}))
    assert records == [TEXTS]
    assert row.decided_on == (date(2019, 12, 20) if handwritten_dates else None)


def test_a_scan_with_a_printed_date_is_not_read_and_its_record_made_once(
    session_factory: sessionmaker[Session], settings: Settings, suggestions: list[Any], records: list[list[str]],
) -> None:
    texts = [TEXTS[0], "Islamabad, the\nAnnounced on 20.12.2019"]
    with session_factory() as db:
        doc = add_doc(db, districts(session_factory, "Mardan")["Mardan"], [{"text": t} for t in texts],
                      doc_type=DocType.JUDGMENT)
        db.commit()
        pages = list(db.scalars(select(Page).where(Page.document_id == doc.id).order_by(Page.page_no)))
        ahead = stages._handwritten_date(Ctx(settings, session_factory), doc.id)  # type: ignore[arg-type]
        assert ahead is not None and ahead.suggestion is None and suggestions == []
        stages._judgment(db, doc, pages, [[] for _ in pages], ahead)
        db.commit()
        row = db.scalars(select(CaseLaw).where(CaseLaw.document_id == doc.id)).one()
    assert row.decided_on == date(2019, 12, 20) and records == [texts]
    assert not any(p.review_reasons for p in pages)


def test_a_page_corrected_between_the_sessions_makes_the_record_again(
    session_factory: sessionmaker[Session], settings: Settings, suggestions: list[Any], records: list[list[str]],
) -> None:
    """A clerk typed the date on page 2 while the second engine was reading it: the record is made from
    the corrected text, whose date wins over the machine's reading (and the page is not queued for it)."""
    corrected = "Islamabad, the\nAnnounced on 21.12.2019"
    with session_factory() as db:
        doc = add_doc(db, districts(session_factory, "Mardan")["Mardan"], [{"text": t} for t in TEXTS],
                      doc_type=DocType.JUDGMENT)
        db.commit()
        ahead = stages._handwritten_date(Ctx(settings, session_factory), doc.id)  # type: ignore[arg-type]
        assert ahead is not None and ahead.suggestion == SUGGESTED
        pages = list(db.scalars(select(Page).where(Page.document_id == doc.id).order_by(Page.page_no)))
        pages[1].corrected_text = corrected
        stages._judgment(db, doc, pages, [[] for _ in pages], ahead)
        db.commit()
        row = db.scalars(select(CaseLaw).where(CaseLaw.document_id == doc.id)).one()
    assert row.decided_on == date(2019, 12, 21) and records == [TEXTS, [TEXTS[0], corrected]]
    assert not any(p.review_reasons for p in pages)
