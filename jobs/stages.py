"""The pipeline's four stages. Each takes the worker context and a row id, reads the state from the
database, does its work, writes the result idempotently, and enqueues the next stage.

    prepare_document(doc)  inspect the original, create Page rows, enqueue read_page for each page
    read_page(page)        text layer or OCR, words and boxes, viewer image; last page -> extract
    extract_document(doc)  entities, case links, case-law entry and citations -> index
    index_document(doc)    pages + document record into Elasticsearch -> INDEXED

A stage that finds its row already past it does nothing (a job that runs twice changes nothing). Page
failures are data: the page is FAILED with a code and a clerk's message, the document goes on and is
indexed with the pages that were read, flagged ``needs_review`` and with ``error_code=pages_failed``;
only a document with no readable page at all is FAILED.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from caselaw.record import JudgmentRecord, extract_record
from caselaw.treatment import treatments
from i18n.stored import LIST_SEPARATOR
from indexer import BulkIndexError
from indexer import delete_document as delete_from_index
from indexer import index_document as index_into_es
from ingest import caselaw
from ingest.entities import FoundEntity, page_entities
from ingest.errors import FAILED_PAGE_ITEM, MESSAGES, NO_PAGES, IntakeErrorCode
from ingest.handwriting import DateSuggestion, suggest_decision_date
from ingest.intake import check_page_limit
from ingest.links import link_document
from ingest.neardup import find_rescans
from ingest.pages import (
    apply_result,
    document_language_guess,
    inspect_pages,
    page_options,
    read_page_text,
    store_viewer_image,
    viewer_image,
)
from ingest.reuse import copy_reading
from ingest.store import FileStore
from jobs.context import WorkerContext
from jobs.enqueue import enqueue_extract, enqueue_index, enqueue_page
from models import (
    CaseLaw,
    DocType,
    Document,
    DocumentStatus,
    Entity,
    FileKind,
    Page,
    PageStatus,
    ReviewReason,
    TextSource,
    record_audit,
    session_scope,
)
from ocr.errors import PageError
from ocr.page import PageOptions
from scheduling.timezone import court_today

log = logging.getLogger(__name__)



def max_attempts(retries: int) -> int:
    """Runs of one page before it is given up as poison (crashes the reader or always times out):
    RQ's retries plus one more chance from the reconciler."""
    return retries + 2


def fail_document(doc: Document, code: str, message: str) -> None:
    doc.status = DocumentStatus.FAILED
    doc.error_code = code[:40]
    doc.error_message = message


# --- prepare ----------


def prepare_document(ctx: WorkerContext, document_id: int) -> None:
    settings = ctx.settings
    with session_scope(ctx.session_factory) as session:
        doc = session.get(Document, document_id)
        if doc is None or doc.status not in (DocumentStatus.RECEIVED, DocumentStatus.PROCESSING):
            return
        if doc.status == DocumentStatus.RECEIVED:
            doc.attempts += 1
            if not copy_reading(session, doc):  # same bytes already read in another district: no OCR
                path = FileStore(settings.files_dir).path(doc.stored_file.relative_path)
                try:
                    count = inspect_pages(path, FileKind(str(doc.kind)), settings)
                except PageError as exc:
                    log.info("document %s refused: %s", document_id, exc)
                    fail_document(doc, str(exc.code), exc.message)
                    return
                too_many = check_page_limit(count, FileKind(str(doc.kind)), settings.max_pdf_pages)
                if too_many is not None:  # every multi-page format (PDF pages, TIFF frames) has one limit
                    fail_document(doc, too_many.code, too_many.message)
                    return
                _ensure_pages(session, doc, count)
        pending = list(
            session.scalars(
                select(Page.id).where(Page.document_id == document_id, Page.status == PageStatus.PENDING)
            )
        )
    for page_id in pending:
        enqueue_page(ctx.redis, page_id, settings)
    if not pending:
        finish_pages(ctx, document_id)


def _ensure_pages(session: Session, doc: Document, count: int) -> None:
    existing = set(session.scalars(select(Page.page_no).where(Page.document_id == doc.id)))
    for page_no in range(1, count + 1):
        if page_no not in existing:
            session.add(Page(document_id=doc.id, page_no=page_no, status=PageStatus.PENDING))
    doc.page_count = count
    doc.status = DocumentStatus.PROCESSING
    session.flush()


# --- read one page ----------


@dataclass(frozen=True, slots=True)
class _PageWork:
    """What a page job needs from the rows, read in the short transaction that counts the attempt."""

    attempts: int
    page_no: int
    kind: FileKind
    sha256: str
    path: Path
    opts: PageOptions


def read_page(ctx: WorkerContext, page_id: int) -> None:
    settings = ctx.settings
    with session_scope(ctx.session_factory) as session:  # commit the attempt first: a crash still counts
        page = session.get(Page, page_id)
        if page is None:
            return
        doc = page.document
        document_id = doc.id
        work = None
        if page.status == PageStatus.PENDING and doc.status == DocumentStatus.PROCESSING:
            page.attempts += 1
            path = FileStore(settings.files_dir).path(doc.stored_file.relative_path)
            read_as = session.scalars(
                select(Page.language).where(
                    Page.document_id == document_id, Page.status == PageStatus.TEXT_DONE,
                    Page.source == TextSource.OCR,
                )
            )
            work = _PageWork(
                page.attempts,
                page.page_no,
                FileKind(str(doc.kind)),
                doc.sha256,
                path,
                page_options(settings, doc.language_hint, document_language_guess(read_as)),
            )
    if work is not None and work.attempts > max_attempts(settings.job_retries):
        message = MESSAGES[IntakeErrorCode.GAVE_UP] % {"attempts": work.attempts - 1}
        _mark_page_failed(ctx, page_id, str(IntakeErrorCode.GAVE_UP), message)
    elif work is not None:
        _read_and_store(ctx, page_id, work)
    finish_pages(ctx, document_id)


def _read_and_store(ctx: WorkerContext, page_id: int, work: _PageWork) -> None:
    try:
        read = read_page_text(work.path, work.kind, work.page_no, work.opts)
    except PageError as exc:
        log.info("page %s failed: %s", page_id, exc)
        _mark_page_failed(ctx, page_id, str(exc.code), exc.message)
        return
    image_path: str | None
    try:
        image = viewer_image(work.path, work.kind, work.page_no, read, work.opts)
        image_path = store_viewer_image(FileStore(ctx.settings.files_dir), work.sha256, work.page_no, image)
    except (PageError, OSError, ValueError) as exc:  # text without an image is still worth indexing
        log.warning("page %s: no viewer image: %s", page_id, exc)
        image_path = None
    with session_scope(ctx.session_factory) as session:
        page = session.get(Page, page_id)
        if page is not None and page.status == PageStatus.PENDING:
            apply_result(page, read.page, image_path)


def _mark_page_failed(ctx: WorkerContext, page_id: int, code: str, message: str) -> None:
    with session_scope(ctx.session_factory) as session:
        page = session.get(Page, page_id)
        if page is not None and page.status == PageStatus.PENDING:
            page.status = PageStatus.FAILED
            page.error_code = code[:40]
            page.error_message = message
            page.needs_review = True
            page.review_reasons = [str(ReviewReason.READ_FAILED)]


def finish_pages(ctx: WorkerContext, document_id: int) -> None:
    """After a page: update the document's counts; when no page is pending, move it on. Every page job
    runs this after its own commit, so the last one to finish always sees all pages done."""
    with session_scope(ctx.session_factory) as session:
        doc = session.get(Document, document_id)
        if doc is None or doc.status != DocumentStatus.PROCESSING:
            return
        rows = session.execute(
            select(Page.status, func.count()).where(Page.document_id == document_id).group_by(Page.status)
        )
        counts: Counter[str] = Counter({str(status): int(n) for status, n in rows})
        doc.pages_done = counts[PageStatus.TEXT_DONE] + counts[PageStatus.FAILED]
        if counts[PageStatus.PENDING]:
            return
        pages = list(
            session.scalars(select(Page).where(Page.document_id == document_id).order_by(Page.page_no))
        )
        failed = [p for p in pages if p.status == PageStatus.FAILED]
        doc.needs_review = any(p.needs_review for p in pages)
        if not counts[PageStatus.TEXT_DONE]:
            detail = failed[0].error_message if failed else NO_PAGES
            fail_document(
                doc,
                str(failed[0].error_code if failed else IntakeErrorCode.NO_PAGES_READ),
                MESSAGES[IntakeErrorCode.NO_PAGES_READ] % {"detail": detail},
            )
            return
        if failed:
            listing = LIST_SEPARATOR.join(FAILED_PAGE_ITEM % {"page": p.page_no, "code": p.error_code}
                                          for p in failed[:20])
            doc.error_code = str(IntakeErrorCode.PAGES_FAILED)
            doc.error_message = MESSAGES[IntakeErrorCode.PAGES_FAILED] % {"detail": listing}
        doc.status = DocumentStatus.EXTRACTING
    enqueue_extract(ctx.redis, document_id, ctx.settings)


# --- extract ----------


def extract_document(ctx: WorkerContext, document_id: int) -> None:
    # read before the writing transaction opens: the second engine takes ~30 s a page, and a write lock
    # held that long would stall every other writer (SQLite has one)
    ahead = _handwritten_date(ctx, document_id)
    with session_scope(ctx.session_factory) as session:
        doc = session.get(Document, document_id)
        if doc is None or doc.status != DocumentStatus.EXTRACTING:
            return
        pages = [p for p in doc.pages if p.status == PageStatus.TEXT_DONE]
        found = page_entities([p.effective_text for p in pages], ctx.nlp)
        _replace_entities(session, doc, pages, found)
        flat = [e for entities in found for e in entities]
        link_document(session, doc, flat)
        if doc.doc_type == DocType.JUDGMENT:
            _judgment(session, doc, pages, found, ahead, ctx.settings.audit_key)
        find_rescans(session, doc, FileStore(ctx.settings.files_dir))  # "looks like a re-scan of #N"
        doc.status = DocumentStatus.INDEXING
    enqueue_index(ctx.redis, document_id, ctx.settings)


def _replace_entities(
    session: Session, doc: Document, pages: list[Page], found: list[list[FoundEntity]]
) -> None:
    """Delete and insert in one transaction: re-running gives the same rows, never twice as many."""
    session.execute(delete(Entity).where(Entity.document_id == doc.id))
    for page, entities in zip(pages, found, strict=True):
        for e in entities:
            session.add(
                Entity(
                    document_id=doc.id,
                    page_id=page.id,
                    kind=e.kind,
                    key=e.key,
                    raw=e.raw,
                    start=e.start,
                    end=e.end,
                    source=e.source,
                    attrs=e.attrs,
                )
            )
    session.flush()


@dataclass(frozen=True, slots=True)
class _ReadAhead:
    """What ``_handwritten_date`` read before the writing transaction: the page texts, the record
    ``extract_record`` made of them, and the handwritten decision date suggested for it (None: not
    asked, or nothing read)."""

    texts: tuple[str, ...]
    record: JudgmentRecord
    suggestion: DateSuggestion | None = None


def _judgment(
    session: Session, doc: Document, pages: list[Page], found: list[list[FoundEntity]],
    ahead: _ReadAhead | None = None, audit_key: bytes | None = None,
) -> caselaw.RecordUpdate:
    """The judgment's case-law entry: its record (``caselaw.record``, taken from ``ahead`` when the
    pages' texts are still the ones it was made of; ``ahead.suggestion``, a scan's handwritten decision
    date, fills an empty date), its own reported citation (the first citation at the top of page 1),
    the citations it makes and how it treats them. Values of the record the machine read before and now
    reads differently are replaced (``upsert_record``) and audited ("reread", signed with ``audit_key``).
    Returns what ``upsert_record`` did."""
    texts = [p.effective_text for p in pages]
    first_page = found[0] if found else []
    citation = next((e.key for e in first_page
                     if e.kind == "citation" and e.start < caselaw.FIRST_PAGE_CITATION_WINDOW), "")
    # a page corrected since the read-ahead changes the texts: the record is made again from them
    record = ahead.record if ahead is not None and ahead.texts == tuple(texts) else extract_record(texts)
    suggestion = ahead.suggestion if ahead is not None else None
    if suggestion is not None and record.decided_on is None:
        record = replace(record, decided_on=suggestion.reading.value)
    update = caselaw.upsert_record(session, doc, record, citation)
    row = update.entry
    if update.replaced:  # the machine mended its own earlier reading: the audit trail says what changed
        record_audit(session, action="reread", username="(worker)", object_type="case_law", object_id=row.id,
                     district_id=doc.district_id, document_id=doc.id, changes=update.replaced,
                     signing_key=audit_key)
    if suggestion is not None and row.decided_on == suggestion.reading.value:
        _mark_handwritten_date(doc, pages, suggestion.page_no)
    # a citation split across a page break is stored on both pages; count it once
    cited = [e.key for entities in found for e in entities
             if e.kind == "citation" and e.attrs.get("part", "1/1").startswith("1/")]
    caselaw.record_citations(session, row, cited)
    caselaw.record_treatments(session, row, treatments(texts, row.citation_keys))
    return update


def _handwritten_date(ctx: WorkerContext, document_id: int) -> _ReadAhead | None:
    """The decision date handwritten on a scanned judgment whose text gave none (``ingest.handwriting``),
    when the setting is on and the entry has no decision date yet (a librarian's or an earlier run's).
    What it needs is read in a short session of its own; the page is re-read with no transaction open.
    Returns the texts and record it read (for ``_judgment``, so the record is made once) with the
    suggestion if one was asked for, or None when it read nothing (setting off, not a judgment, no OCR
    page). Never raises for a failure of the second engine."""
    if not ctx.settings.caselaw_handwritten_dates:
        return None
    with session_scope(ctx.session_factory) as session:
        doc = session.get(Document, document_id)
        if doc is None or doc.doc_type != DocType.JUDGMENT:
            return None
        pages = [p for p in doc.pages if p.status == PageStatus.TEXT_DONE]
        if not any(p.source == TextSource.OCR for p in pages):
            return None
        texts = [p.effective_text for p in pages]
        record = extract_record(texts)
        read = _ReadAhead(tuple(texts), record)
        if record.decided_on is not None:
            return read
        existing = session.scalars(select(CaseLaw.decided_on).where(CaseLaw.document_id == doc.id)).first()
        if existing is not None:
            return read
        path = FileStore(ctx.settings.files_dir).path(doc.stored_file.relative_path)
        opts = page_options(ctx.settings, doc.language_hint,
                            document_language_guess(p.language for p in pages if p.source == TextSource.OCR))
        kind = FileKind(str(doc.kind))
    return replace(read, suggestion=suggest_decision_date(path, kind, texts, record, opts, court_today()))


def _mark_handwritten_date(doc: Document, pages: list[Page], page_no: int) -> None:
    """The page the date was read on goes to the review queue (``ReviewReason.HANDWRITTEN_DATE``): a
    machine reading of handwriting that a librarian checks on the page image."""
    page = next((p for p in pages if p.page_no == page_no), None)
    if page is None:
        return
    reasons = [str(r) for r in (page.review_reasons or [])]
    if ReviewReason.HANDWRITTEN_DATE not in reasons:
        page.review_reasons = [*reasons, str(ReviewReason.HANDWRITTEN_DATE)]
    page.needs_review = True
    doc.needs_review = True


# --- index ----------


def index_document(ctx: WorkerContext, document_id: int) -> None:
    """Pages and document record into Elasticsearch. Transient failures (node down, 429, disk full) raise
    so RQ retries with backoff and the reconciler re-enqueues afterwards; a refused item fails the
    document with a message for the administrator."""
    with session_scope(ctx.session_factory) as session:
        doc = session.get(Document, document_id)
        if doc is None or doc.status not in (DocumentStatus.INDEXING, DocumentStatus.INDEXED):
            return
        if doc.superseded_by_id is not None:  # an earlier version: search shows the current one only
            delete_from_index(ctx.es, ctx.settings, document_id)
            return
        started = datetime.now(UTC)  # before reading: a correction committed meanwhile is newer
        doc.status = DocumentStatus.INDEXED
        doc.indexed_at = started
        doc.attempts += 1
        session.flush()
        try:
            index_into_es(session, ctx.es, ctx.settings, document_id)
        except BulkIndexError as exc:
            if exc.retryable:
                raise
            log.error("document %s: index refused: %s", document_id, exc)
            session.rollback()
            doc = session.get(Document, document_id)
            if doc is not None:
                fail_document(
                    doc,
                    str(IntakeErrorCode.INDEX_FAILED),
                    MESSAGES[IntakeErrorCode.INDEX_FAILED].format(document_id=document_id),
                )
