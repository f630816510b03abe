"""Typed intake and pipeline failures with a message a data-entry clerk can act on.

Codes are stored on ``Document.error_code``/``Page.error_code`` (the web app filters on them); page
errors raised by ``ocr`` keep their own codes (``ocr.errors.PageErrorCode``), which are the same strings.
"""

from __future__ import annotations

from enum import StrEnum

from ocr.errors import CLERK_MESSAGES, PageErrorCode


class IntakeErrorCode(StrEnum):
    EMPTY = "empty"
    TOO_LARGE = "file_too_large"
    UNSUPPORTED = "unsupported"
    NOT_PDF_OR_IMAGE = "not_pdf_or_image"
    UNREADABLE = "unreadable"
    NO_PAGES_READ = "no_pages_read"
    PAGES_FAILED = "pages_failed"
    INDEX_FAILED = "index_failed"
    GAVE_UP = "gave_up"


MESSAGES: dict[IntakeErrorCode, str] = {
    IntakeErrorCode.EMPTY: CLERK_MESSAGES[PageErrorCode.EMPTY],
    IntakeErrorCode.TOO_LARGE: (
        "This file is larger than the {limit} MB an upload may have. Split it into smaller files, or scan "
        "at 300 dpi in black and white, and upload again."
    ),
    IntakeErrorCode.UNSUPPORTED: CLERK_MESSAGES[PageErrorCode.UNSUPPORTED],
    IntakeErrorCode.NOT_PDF_OR_IMAGE: (
        "This file is not a PDF or image (its content looks like {what}), whatever its name says. "
        "Upload a PDF, PNG, JPEG or TIFF file."
    ),
    IntakeErrorCode.UNREADABLE: "The file could not be read from the disk or the upload. Try again.",
    IntakeErrorCode.NO_PAGES_READ: (
        "No page of this document could be read. {detail} Re-scan the document and upload it again."
    ),
    IntakeErrorCode.PAGES_FAILED: (
        "Some pages could not be read and need manual review: {detail}. The other pages are searchable."
    ),
    IntakeErrorCode.INDEX_FAILED: (
        "The document could not be stored in the search index. Report document {document_id} to an "
        "administrator."
    ),
    IntakeErrorCode.GAVE_UP: (
        "Reading this page failed {attempts} times (the reader crashed or ran out of time). It has been "
        "sent for manual review; a cleaner scan usually fixes this."
    ),
}


class IntakeError(Exception):
    """A file refused at intake or a document that cannot go on. ``message`` is for the clerk."""

    def __init__(self, code: IntakeErrorCode | PageErrorCode, message: str, detail: str = "") -> None:
        self.code = str(code)
        self.message = message
        self.detail = detail
        super().__init__(f"{code}: {message}" + (f" ({detail})" if detail else ""))

    @classmethod
    def of(cls, code: IntakeErrorCode, detail: str = "", **values: object) -> IntakeError:
        return cls(code, MESSAGES[code].format(**values), detail)
