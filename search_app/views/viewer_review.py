"""What the viewer adds for intake and review: the page's review reasons and the confirm form when it
is queued, the version history of the document, and serving an original by its sniffed type."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from ingest.review import REASON_LABELS, reasons_of
from ingest.sniff import sniff
from ingest.versions import history
from models import Document, FileKind, Page

KIND_MIMETYPES = {FileKind.PDF: "application/pdf", FileKind.TIFF: "image/tiff", FileKind.JPEG: "image/jpeg",
                  FileKind.PNG: "image/png", FileKind.HEIF: "image/heif"}
KIND_SUFFIX = {FileKind.PDF: ".pdf", FileKind.TIFF: ".tif", FileKind.JPEG: ".jpg", FileKind.PNG: ".png",
               FileKind.HEIF: ".heic"}


@dataclass(frozen=True)
class ReviewInfo:
    queued: bool
    reasons: list[tuple[str, str]] = field(default_factory=list)  # (code, clerk's label)
    open_form: bool = False


@dataclass(frozen=True)
class VersionInfo:
    versions: list[Document]
    current: Document | None

    @property
    def has_history(self) -> bool:
        return len(self.versions) > 1


def review_info(page: Page | None, low_confidence: float, requested: bool) -> ReviewInfo:
    if page is None or not page.needs_review:
        return ReviewInfo(False, open_form=False)
    reasons = [(r, REASON_LABELS.get(r, r)) for r in reasons_of(page, low_confidence)]
    return ReviewInfo(True, reasons, open_form=requested)


def version_info(session: Session, document: Document, readable: ColumnElement[bool] | None = None) -> VersionInfo:
    """The document's versions (earliest first) that the viewer may read (``readable``: the scope's read
    condition on ``documents``; None for all)."""
    versions = history(session, document)
    if readable is not None and versions:
        allowed = set(session.scalars(select(Document.id).where(Document.id.in_([d.id for d in versions]),
                                                                readable)))
        versions = [d for d in versions if d.id in allowed]
    current = next((d for d in versions if d.superseded_by_id is None), None)
    return VersionInfo(versions, current)


class QuarantinedError(Exception):
    """The original was refused at intake: only administrators may download it (as bytes)."""


def original_type(path: Path, document: Document) -> tuple[str, str]:
    """(MIME type, file-name suffix) from the stored bytes' own magic, never from the client's name.
    Raises ``QuarantinedError`` for refused content."""
    if document.stored_file.quarantined:
        raise QuarantinedError(document.id)
    with path.open("rb") as fh:
        head = fh.read(1024)
    try:
        kind = sniff(head)
    except Exception as exc:  # refused content stored before quarantine existed
        raise QuarantinedError(document.id) from exc
    return KIND_MIMETYPES[kind], KIND_SUFFIX[kind]


def download_name(original: str, suffix: str) -> str:
    """The client's name with the extension of what the bytes are (``scan.pdf.exe`` -> ``scan.pdf.pdf``)."""
    stem = original.rsplit(".", 1)[0] if "." in original.strip(".") else original
    return f"{stem}{suffix}" if not original.lower().endswith(suffix) else original
