"""Intake: the three ways in (web upload, ``cmms ingest``, hot folder) meet here.

For every file: stream it into the store (hashing and measuring as it goes), sniff its content,
then record one ``Document``:

* RECEIVED - a PDF or image, new to the store; the caller enqueues it (``jobs.enqueue.enqueue_document``)
  after this module has committed. The reconciler also picks up RECEIVED documents nobody enqueued.
* DUPLICATE - the same bytes are already a document: the row records this batch's attempt and points at
  the first document (``duplicate_of_id``); nothing is stored, read or indexed again.
* FAILED - stored, but not a PDF or image (empty, text, Word...): ``error_code`` and a clerk's message.

Only a file over ``max_file_mb`` gets no row at all (it is never stored): the outcome says why.
Checks that need a PDF or image parser (password, damage, page count, pixel bombs) run on the worker in
``prepare_document`` and fail the document there, so an upload request never parses untrusted files.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import IO, cast

from sqlalchemy import select
from sqlalchemy.orm import Session

from config import Settings
from ingest.errors import IntakeError, IntakeErrorCode
from ingest.sniff import sniff
from ingest.store import FileStore, FileTooLargeError, StoredBlob
from models import Batch, BatchSource, DocType, Document, DocumentStatus, FileKind, StoredFile

MAX_FILENAME = 255


@dataclass(frozen=True, slots=True)
class IntakeRequest:
    """What the operator said about a batch."""

    source: BatchSource
    district_id: int
    operator_id: int | None = None
    language_hint: str = "auto"
    doc_type: DocType = DocType.OTHER
    case_id: int | None = None
    fir_hint: str = ""


class OutcomeStatus(StrEnum):
    ACCEPTED = "accepted"
    DUPLICATE = "duplicate"
    FAILED = "failed"  # stored and recorded as a FAILED document
    REFUSED = "refused"  # not stored at all (too large, unreadable)


@dataclass(frozen=True, slots=True)
class FileOutcome:
    filename: str
    status: OutcomeStatus
    document_id: int | None = None
    duplicate_of_id: int | None = None
    kind: FileKind | None = None
    error_code: str | None = None
    message: str = ""

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


def create_batch(session: Session, request: IntakeRequest) -> Batch:
    batch = Batch(
        source=request.source,
        operator_id=request.operator_id,
        district_id=request.district_id,
        language_hint=request.language_hint or "auto",
        doc_type=request.doc_type,
        case_id=request.case_id,
        fir_hint=request.fir_hint[:64],
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
    ``on_outcome`` is called after its commit, so a caller may enqueue it at once."""
    batch = create_batch(session, request)
    session.commit()
    outcomes: list[FileOutcome] = []
    for name, stream in files:
        outcome = accept_file(session, settings, batch, name, stream)
        session.commit()
        outcomes.append(outcome)
        if on_outcome is not None:
            on_outcome(outcome)
    return IntakeResult(batch.id, tuple(outcomes))


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
    """Files named, and files under folders named (sorted, recursively; hidden names skipped)."""
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                rel = child.relative_to(path)
                if child.is_file() and not any(part.startswith(".") for part in rel.parts):
                    yield child
        else:
            yield path


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


def accept_file(
    session: Session, settings: Settings, batch: Batch, name: str, stream: IO[bytes]
) -> FileOutcome:
    """Store one file and record its Document (see the module docstring for the outcomes)."""
    filename = (name or "unnamed").replace("\x00", "")[-MAX_FILENAME:]
    store = FileStore(settings.files_dir)
    try:
        blob = store.put_original(stream, settings.max_file_mb * 1024 * 1024)
    except FileTooLargeError:
        error = IntakeError.of(IntakeErrorCode.TOO_LARGE, limit=settings.max_file_mb)
        return FileOutcome(filename, OutcomeStatus.REFUSED, error_code=error.code, message=error.message)
    except OSError as exc:
        error = IntakeError.of(IntakeErrorCode.UNREADABLE, str(exc))
        return FileOutcome(filename, OutcomeStatus.REFUSED, error_code=error.code, message=error.message)
    try:
        kind: FileKind | None = sniff(blob.head)
        refusal: IntakeError | None = None
    except IntakeError as exc:
        kind, refusal = None, exc
    _ensure_stored_file(session, blob, kind)
    original = _first_document(session, blob.sha256)  # before adding this one (autoflush would find it)
    document = _new_document(batch, filename, blob.sha256, kind)
    session.add(document)
    if original is not None:
        document.status = DocumentStatus.DUPLICATE
        document.duplicate_of_id = original.id
        session.flush()
        return FileOutcome(
            filename,
            OutcomeStatus.DUPLICATE,
            document.id,
            original.id,
            kind,
            message=f"Already received as document {original.id}; not processed again.",
        )
    if refusal is not None:
        document.status = DocumentStatus.FAILED
        document.error_code = refusal.code
        document.error_message = refusal.message
        session.flush()
        return FileOutcome(
            filename, OutcomeStatus.FAILED, document.id, None, None, refusal.code, refusal.message
        )
    session.flush()
    return FileOutcome(filename, OutcomeStatus.ACCEPTED, document.id, None, kind)


def _ensure_stored_file(session: Session, blob: StoredBlob, kind: FileKind | None) -> None:
    if session.get(StoredFile, blob.sha256) is None:
        session.add(
            StoredFile(
                sha256=blob.sha256, size_bytes=blob.size_bytes, kind=kind, relative_path=blob.relative_path
            )
        )
        session.flush()


def _first_document(session: Session, sha256: str) -> Document | None:
    stmt = (
        select(Document)
        .where(Document.sha256 == sha256, Document.status != DocumentStatus.DUPLICATE)
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
