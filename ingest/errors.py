"""Typed intake and pipeline failures with a message a data-entry clerk can act on.

Codes are stored on ``Document.error_code``/``Page.error_code`` (the web app filters on them); page
errors raised by ``ocr`` keep their own codes (``ocr.errors.PageErrorCode``), which are the same strings.
"""

from __future__ import annotations

from enum import StrEnum

from i18n import N_
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
    TOO_MANY_PAGES = "too_many_pages"


# Templates marked for translation (``%(name)s`` placeholders); the stored ``error_message`` is the
# English sentence, shown in the reader's language by ``i18n.stored``.
MESSAGES: dict[IntakeErrorCode, str] = {
    IntakeErrorCode.EMPTY: CLERK_MESSAGES[PageErrorCode.EMPTY],
    IntakeErrorCode.TOO_LARGE: N_(
        "This file is larger than the %(limit)s MB an upload may have. Split it into smaller files, or scan "
        "at 300 dpi in black and white, and upload again."
    ),
    IntakeErrorCode.UNSUPPORTED: CLERK_MESSAGES[PageErrorCode.UNSUPPORTED],
    IntakeErrorCode.NOT_PDF_OR_IMAGE: N_(
        "This file is not a PDF or image (its content looks like %(what)s), whatever its name says. "
        "Upload a PDF, PNG, JPEG or TIFF file."
    ),
    IntakeErrorCode.UNREADABLE: N_("The file could not be read from the disk or the upload. Try again."),
    IntakeErrorCode.NO_PAGES_READ: N_(
        "No page of this document could be read. %(detail)s Re-scan the document and upload it again."
    ),
    IntakeErrorCode.PAGES_FAILED: N_(
        "Some pages could not be read and need manual review: %(detail)s. The other pages are searchable."
    ),
    IntakeErrorCode.INDEX_FAILED: N_(
        "The document could not be stored in the search index. Report document %(document_id)s to an "
        "administrator."
    ),
    IntakeErrorCode.GAVE_UP: N_(
        "Reading this page failed %(attempts)s times (the reader crashed or ran out of time). It has been "
        "sent for manual review; a cleaner scan usually fixes this."
    ),
    IntakeErrorCode.TOO_MANY_PAGES: N_(
        "This file has %(pages)s pages (PDF pages or image frames); one document may have at most %(limit)s. "
        "Split it into smaller files and upload each one."
    ),
}
# Parts of stored messages, marked so that they are translated with the sentence around them.
FAILED_PAGE_ITEM = N_("page %(page)s (%(code)s)")
NO_PAGES = N_("The document has no pages.")


class IntakeError(Exception):
    """A file refused at intake or a document that cannot go on. ``message`` is for the clerk."""

    def __init__(self, code: IntakeErrorCode | PageErrorCode, message: str, detail: str = "") -> None:
        self.code = str(code)
        self.message = message
        self.detail = detail
        super().__init__(f"{code}: {message}" + (f" ({detail})" if detail else ""))

    @classmethod
    def of(cls, code: IntakeErrorCode, detail: str = "", **values: object) -> IntakeError:
        return cls(code, MESSAGES[code] % values, detail)
