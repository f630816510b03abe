"""The same bytes uploaded in another district (issue 8, kind 7): that district gets its own document,
reusing the stored file and the page text already read, never the other district's id or its links.

``copy_reading`` runs when the new document is prepared (``jobs.stages.prepare_document``): if a
document of the same SHA-256 in another district has finished reading its pages, their machine text,
word boxes, review flags and viewer images (derived from the same bytes, so the same files) are copied
onto new Page rows of this document. Corrections made by people in the other district are not copied
(they are that district's work); neither are entities, case links or case-law rows, which extraction
computes afresh inside this district's scope.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Document, DocumentStatus, Page, PageStatus

READ_STATUSES = (DocumentStatus.EXTRACTING, DocumentStatus.INDEXING, DocumentStatus.INDEXED)
_COPIED = ("status", "source", "text", "words", "mean_confidence", "needs_review", "review_reasons",
           "language", "engine", "engine_version", "width", "height", "dpi", "rotation", "skew_angle",
           "preprocessing", "duration_ms", "image_path", "error_code", "error_message")


def donor_for(session: Session, document: Document) -> Document | None:
    """A document of the same bytes in another district whose pages are all read, or None."""
    stmt = (
        select(Document)
        .where(Document.sha256 == document.sha256, Document.id != document.id,
               Document.district_id != document.district_id, Document.status.in_(READ_STATUSES))
        .order_by(Document.id)
    )
    for candidate in session.scalars(stmt):
        pages = candidate.pages
        if pages and all(p.status != PageStatus.PENDING for p in pages):
            return candidate
    return None


def copy_reading(session: Session, document: Document) -> bool:
    """Give ``document`` (RECEIVED, no pages yet) copies of a donor's read pages; True if it did.
    The document is then PROCESSING with no pending page, so the pipeline moves it to extraction."""
    if document.pages:
        return False
    donor = donor_for(session, document)
    if donor is None:
        return False
    for source in donor.pages:
        page = Page(document_id=document.id, page_no=source.page_no)
        for name in _COPIED:
            setattr(page, name, getattr(source, name))
        session.add(page)
    document.page_count = donor.page_count or len(donor.pages)
    document.pages_done = len(donor.pages)
    document.status = DocumentStatus.PROCESSING
    session.flush()
    return True
