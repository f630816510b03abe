"""Intake: the three ways in (web upload, ``cmms ingest``, hot folder) meet here.

For every file: stream it into the store (hashing and measuring as it goes), sniff its content,
then record one ``Document``:

* RECEIVED - a PDF or image; the caller enqueues it (``jobs.enqueue.enqueue_document``) after this
  module has committed. The reconciler also picks up RECEIVED documents nobody enqueued.
  The same bytes already read in *another* district also give a RECEIVED document: that district's
  own, whose pages are copied from the stored reading when it is prepared (``ingest.reuse``), so no
  page is OCR'd twice and the other district's document id is never shown.
* DUPLICATE - the same bytes are already a document of the same district: the row records this
  batch's attempt and points at it (``duplicate_of_id``); nothing is read or indexed again.
  If that earlier document FAILED, the new file is processed again instead, and the failed one is
  marked superseded by it (it leaves the failed lists; its history stays).
* FAILED - not a PDF or image (empty, text, Word, a program, HTML...): ``error_code`` and a clerk's
  message; the bytes move to the quarantine area, downloadable by administrators only.

Only a file over ``max_file_mb`` or one that cannot be read gets no row at all (it is never stored):
the outcome says why. One file's failure never stops the batch: any error while taking one file in is
rolled back, the bytes it stored are removed (no stored bytes without a row), and the next file goes on.
Checks that need a PDF or image parser (password, damage, page count, pixel bombs) run on the worker in
``prepare_document`` and fail the document there, so an upload request never parses untrusted files.
"""

from __future__ import annotations

import logging
import os
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import IO, cast

from sqlalchemy import select
from sqlalchemy.orm import Session

from config import Settings
from i18n import N_
from ingest.errors import IntakeError, IntakeErrorCode
from ingest.sniff import sniff
from ingest.store import FileStore, FileTooLargeError, StoredBlob
from models import Batch, BatchSource, DocType, Document, DocumentStatus, FileKind, StoredFile

log = logging.getLogger(__name__)

# Outcome messages (shown to the clerk in their language by ``i18n.stored``).
NOT_TAKEN_IN = N_("This file could not be taken in (%(error)s). The other files of the batch were not "
                  "affected; send this one again.")
ALREADY_RECEIVED = N_("Already received as document %(id)s (%(status)s); not processed again.")
STORED_MESSAGES = (NOT_TAKEN_IN, ALREADY_RECEIVED)

MAX_FILENAME = 255
# Characters that would hide or reorder what a name shows (controls, bidi overrides, zero-width
# joiners are kept: Urdu needs them). They are shown as ``\\u202e`` escapes instead.
_INVISIBLE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


@dataclass(frozen=True, slots=True)
class IntakeRequest:
    """What the operator said about a batch (name, box or file number and notes are free text)."""

    source: BatchSource
    district_id: int
    operator_id: int | None = None
    language_hint: str = "auto"
    doc_type: DocType = DocType.OTHER
    case_id: int | None = None
    fir_hint: str = ""
    name: str = ""
    box_number: str = ""
    notes: str = ""
    operator_name: str = ""


class OutcomeStatus(StrEnum):
    ACCEPTED = "accepted"
    DUPLICATE = "duplicate"
    FAILED = "failed"  # stored (in quarantine) and recorded as a FAILED document
    REFUSED = "refused"  # not stored at all (too large, unreadable, could not be taken in)


@dataclass(frozen=True, slots=True)
class FileOutcome:
    filename: str
    status: OutcomeStatus
    document_id: int | None = None
    duplicate_of_id: int | None = None
    kind: FileKind | None = None
    error_code: str | None = None
    message: str = ""
    replaced_failed_id: int | None = None  # an earlier FAILED document of the same bytes, now retried

    @property
    def needs_processing(self) -> bool:
        return self.status is OutcomeStatus.ACCEPTED


@dataclass(frozen=True, slots=True)
class IntakeResult:
    batch_id: int
    outcomes: tuple[FileOutcome, ...] = field(default_factory=tuple)

    @property
    def document_ids_to_process(self) -> list[int]:
        return [o.document_id for o in self.outcomes if o.needs_processing and o.document_id is not None]


OnOutcome = Callable[[FileOutcome], None]


def safe_display_name(name: str | bytes | None) -> str:
    """The client's or the disk's file name as safe display text (never a path).

    Bytes that are not UTF-8 (a ``str`` from ``os.fsdecode`` carries them as lone surrogates) become
    ``\\xff`` escapes, control and bidi-override characters become ``\\u202e`` escapes, the result is
    NFC-normalised and cut to ``MAX_FILENAME`` characters keeping the extension. Never raises.
    """
    if name is None:
        return "unnamed"
    raw = name if isinstance(name, bytes) else os.fsencode(name) if _has_surrogates(name) else None
    text = raw.decode("utf-8", errors="backslashreplace") if raw is not None else cast(str, name)
    text = unicodedata.normalize("NFC", text)
    text = _INVISIBLE.sub(lambda m: f"\\u{ord(m.group()):04x}", text).strip()
    if not text:
        return "unnamed"
    if len(text) > MAX_FILENAME:
        _stem, dot, ext = text.rpartition(".")
        keep = f"{dot}{ext}" if dot and len(ext) <= 10 else ""
        text = text[: MAX_FILENAME - len(keep) - 1] + "…" + keep
    return text


def _has_surrogates(text: str) -> bool:
    return any("\udc80" <= ch <= "\udcff" for ch in text)


def create_batch(session: Session, request: IntakeRequest) -> Batch:
    batch = Batch(
        source=request.source,
        operator_id=request.operator_id,
        district_id=request.district_id,
        language_hint=request.language_hint or "auto",
        doc_type=request.doc_type,
        case_id=request.case_id,
        fir_hint=request.fir_hint[:64],
        name=request.name.strip()[:200],
        box_number=request.box_number.strip()[:100],
        notes=request.notes.strip()[:5000],
        operator_name=request.operator_name.strip()[:100],
    )
    session.add(batch)
    session.flush()
    return batch


def accept_upload(
    session: Session, settings: Settings, request: IntakeRequest, files: list[tuple[str, IO[bytes]]]
) -> IntakeResult:
    """Web upload: one batch for ``files`` (display name, stream). Commits; the caller then enqueues
    ``result.document_ids_to_process`` with ``jobs.enqueue.enqueue_document``."""
    return accept_files(session, settings, request, iter(files))


def accept_files(
    session: Session,
    settings: Settings,
    request: IntakeRequest,
    files: Iterator[tuple[str, IO[bytes]]],
    on_outcome: OnOutcome | None = None,
) -> IntakeResult:
    """One batch; each file is committed on its own (a crash half-way keeps what was taken in) and
    ``on_outcome`` is called after its commit, so a caller may enqueue it at once. A failure of one
    file (or of ``on_outcome``) is reported in its outcome or logged; the next file goes on."""
    batch = create_batch(session, request)
    session.commit()
    outcomes: list[FileOutcome] = []
    for name, stream in files:
        outcome = take_file(session, settings, batch, name, stream)
        outcomes.append(outcome)
        if on_outcome is not None:
            try:
                on_outcome(outcome)
            except Exception:  # e.g. the queue is down: the reconciler enqueues RECEIVED documents later
                log.exception("after taking in %r", outcome.filename)
    return IntakeResult(batch.id, tuple(outcomes))


def add_to_batch(session: Session, settings: Settings, batch: Batch, name: str, stream: IO[bytes]) -> FileOutcome:
    """One more file into an existing batch (a replacement for a failed file); commits."""
    return take_file(session, settings, batch, name, stream)


def ingest_paths(
    session: Session,
    settings: Settings,
    request: IntakeRequest,
    paths: Iterable[Path],
    on_outcome: OnOutcome | None = None,
) -> IntakeResult:
    """``cmms ingest`` and the hot folder: files and folders (recursively) as one batch."""
    return accept_files(session, settings, request, _opened(iter_files(paths)), on_outcome)


def iter_files(paths: Iterable[Path]) -> Iterator[Path]:
    """Files named, and files under folders named (sorted, recursively; hidden names skipped).
    A folder that cannot be listed is skipped (and logged), never the end of the walk."""
    for path in paths:
        try:
            is_dir = path.is_dir()
        except OSError:
            is_dir = False
        if not is_dir:
            yield path
            continue
        try:
            children = sorted(path.rglob("*"))
        except OSError as exc:
            log.warning("cannot list %s: %s", os.fsencode(path), exc)
            continue
        for child in children:
            rel = child.relative_to(path)
            if not any(part.startswith(".") for part in rel.parts) and _is_file(child):
                yield child


def _is_file(path: Path) -> bool:
    """A regular file, or a link that does not lead to a folder (a broken link is reported as unreadable,
    not skipped in silence). Pipes and devices are skipped: opening one could block."""
    try:
        return path.is_file() or (path.is_symlink() and not path.is_dir())
    except OSError:
        return True


def _opened(paths: Iterable[Path]) -> Iterator[tuple[str, IO[bytes]]]:
    for path in paths:
        try:
            fh = path.open("rb")
        except OSError:
            yield path.name, cast(IO[bytes], _Unreadable())
            continue
        with fh:
            yield path.name, fh


class _Unreadable:
    """A stream standing for a file that could not be opened: reading it raises OSError."""

    def read(self, _size: int = -1) -> bytes:
        raise OSError("file could not be opened")


def take_file(session: Session, settings: Settings, batch: Batch, name: str, stream: IO[bytes]) -> FileOutcome:
    """Store one file, record its Document and commit, or roll back and remove what was stored."""
    filename = safe_display_name(name)
    store = FileStore(settings.files_dir)
    try:
        blob = store.put_original(stream, settings.max_file_mb * 1024 * 1024)
    except FileTooLargeError:
        error = IntakeError.of(IntakeErrorCode.TOO_LARGE, limit=settings.max_file_mb)
        return FileOutcome(filename, OutcomeStatus.REFUSED, error_code=error.code, message=error.message)
    except OSError as exc:
        error = IntakeError.of(IntakeErrorCode.UNREADABLE, str(exc))
        return FileOutcome(filename, OutcomeStatus.REFUSED, error_code=error.code, message=error.message)
    batch_id = batch.id
    try:
        outcome = _record(session, store, session.get(Batch, batch_id) or batch, filename, blob)
        session.commit()
        return outcome
    except Exception as exc:
        log.exception("could not take in %r (batch %s)", filename, batch_id)
        session.rollback()
        _forget_blob(session, store, blob)
        return FileOutcome(filename, OutcomeStatus.REFUSED, error_code=str(IntakeErrorCode.UNREADABLE),
                           message=NOT_TAKEN_IN % {"error": type(exc).__name__})


def _forget_blob(session: Session, store: FileStore, blob: StoredBlob) -> None:
    """No stored bytes without a row: drop what this attempt stored unless a row refers to it."""
    if not blob.created:
        return
    try:
        if session.get(StoredFile, blob.sha256) is None:
            store.discard(blob.relative_path)
            store.discard(blob.relative_path.replace("originals/", "quarantine/", 1))
    except Exception:  # the database is unreachable: keep the bytes rather than risk losing a row's file
        log.exception("could not check stored file %s", blob.sha256)


def _record(session: Session, store: FileStore, batch: Batch, filename: str, blob: StoredBlob) -> FileOutcome:
    try:
        kind: FileKind | None = sniff(blob.head)
        refusal: IntakeError | None = None
    except IntakeError as exc:
        kind, refusal = None, exc
    stored = _ensure_stored_file(session, store, blob, kind, quarantine=refusal is not None)
    earlier = _earlier_in_district(session, blob.sha256, batch.district_id)  # before adding this one
    document = _new_document(batch, filename, blob.sha256, kind)
    session.add(document)
    if earlier is not None and earlier.status != DocumentStatus.FAILED:
        document.status = DocumentStatus.DUPLICATE
        document.duplicate_of_id = earlier.id
        session.flush()
        return FileOutcome(filename, OutcomeStatus.DUPLICATE, document.id, earlier.id, kind,
                           message=ALREADY_RECEIVED % {"id": earlier.id, "status": earlier.status})
    session.flush()
    replaced = None
    if earlier is not None:  # the same bytes failed before: this copy is processed (or refused) again
        earlier.superseded_by_id = document.id
        earlier.superseded_at = datetime.now(UTC)
        replaced = earlier.id
    if refusal is not None or stored.quarantined:
        error = refusal or IntakeError.of(IntakeErrorCode.NOT_PDF_OR_IMAGE, what=N_("a refused file"))
        document.status = DocumentStatus.FAILED
        document.error_code = error.code
        document.error_message = error.message
        session.flush()
        return FileOutcome(filename, OutcomeStatus.FAILED, document.id, None, None, error.code, error.message,
                           replaced)
    session.flush()
    return FileOutcome(filename, OutcomeStatus.ACCEPTED, document.id, None, kind, replaced_failed_id=replaced)


def _ensure_stored_file(
    session: Session, store: FileStore, blob: StoredBlob, kind: FileKind | None, quarantine: bool
) -> StoredFile:
    stored = session.get(StoredFile, blob.sha256)
    if stored is None:
        relative = store.quarantine(blob) if quarantine else blob.relative_path
        stored = StoredFile(sha256=blob.sha256, size_bytes=blob.size_bytes, kind=kind, relative_path=relative,
                            quarantined=quarantine)
        session.add(stored)
        session.flush()
    return stored


def _earlier_in_district(session: Session, sha256: str, district_id: int) -> Document | None:
    """The current (not superseded) document of these bytes in this district, if any."""
    stmt = (
        select(Document)
        .where(Document.sha256 == sha256, Document.district_id == district_id,
               Document.status != DocumentStatus.DUPLICATE, Document.superseded_by_id.is_(None))
        .order_by(Document.id)
        .limit(1)
    )
    return session.scalars(stmt).first()


def _new_document(batch: Batch, filename: str, sha256: str, kind: FileKind | None) -> Document:
    title = Path(filename).stem.replace("_", " ").strip()[:300] or filename[:300]
    return Document(
        batch_id=batch.id,
        sha256=sha256,
        original_filename=filename,
        kind=kind,
        doc_type=batch.doc_type,
        title=title,
        district_id=batch.district_id,
        case_id=batch.case_id,
        language_hint=batch.language_hint,
        status=DocumentStatus.RECEIVED,
    )


def check_page_limit(page_count: int, kind: FileKind, max_pages: int) -> IntakeError | None:
    """Every multi-page format counts against the same limit (PDF pages, TIFF frames, ...): the error
    to fail the document with, or None. ``max_pages`` is ``Settings.max_pdf_pages``."""
    if page_count <= max_pages:
        return None
    return IntakeError.of(IntakeErrorCode.TOO_MANY_PAGES, f"{kind} with {page_count} pages",
                          pages=page_count, limit=max_pages)
