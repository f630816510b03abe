"""Typed page failures with a message a data-entry clerk can act on."""

from __future__ import annotations

from enum import StrEnum

from i18n import N_


class PageErrorCode(StrEnum):
    EMPTY = "empty"
    ENCRYPTED = "encrypted"
    CORRUPT = "corrupt"
    UNSUPPORTED = "unsupported"
    TOO_MANY_PAGES = "too_many_pages"
    IMAGE_TOO_LARGE = "image_too_large"
    IMAGE_TOO_SMALL = "image_too_small"
    PAGE_OUT_OF_RANGE = "page_out_of_range"
    OCR_TIMEOUT = "ocr_timeout"
    OCR_FAILED = "ocr_failed"
    LANGUAGE_MISSING = "language_missing"


# One remedy per code, written for the clerk at the scanner, not for the developer.
CLERK_MESSAGES: dict[PageErrorCode, str] = {
    PageErrorCode.EMPTY: N_("The file is empty (0 bytes). Scan or export the document again and re-upload it."),
    PageErrorCode.ENCRYPTED: N_("This PDF is password-protected. Remove the password and upload it again."),
    PageErrorCode.CORRUPT: N_(
        "The file is damaged or incomplete and cannot be opened. "
        "Upload the original file again, or re-scan the document."
    ),
    PageErrorCode.UNSUPPORTED: N_(
        "This file type is not supported, or the file's name does not match its content. "
        "Upload a PDF, PNG, JPEG, TIFF or HEIC file."
    ),
    PageErrorCode.TOO_MANY_PAGES: N_(
        "This PDF has more pages than one upload allows. Split it into smaller files and upload each one."
    ),
    PageErrorCode.IMAGE_TOO_LARGE: N_(
        "The page image is far too large to process. "
        "Re-scan it at 300 dpi, or export it at a normal page size."
    ),
    PageErrorCode.IMAGE_TOO_SMALL: N_(
        "The image is too small to read. Re-scan the page at 300 dpi or take a closer, sharper photo."
    ),
    PageErrorCode.PAGE_OUT_OF_RANGE: N_("The requested page does not exist in this document."),
    PageErrorCode.OCR_TIMEOUT: N_(
        "Reading this page took too long and was stopped. It has been sent for manual review; "
        "a cleaner scan usually fixes this."
    ),
    PageErrorCode.OCR_FAILED: N_("The text of this page could not be read. It has been sent for manual review."),
    PageErrorCode.LANGUAGE_MISSING: N_(
        "The language chosen for this batch is not installed on the server. Ask the administrator."
    ),
}


NO_PAGES_IN_PDF = N_("This PDF has no pages. Export or scan the document again and re-upload it.")


class PageError(Exception):
    """A page or file that cannot be turned into text. ``detail`` is for logs, ``message`` for clerks."""

    def __init__(self, code: PageErrorCode, detail: str = "", *, message: str | None = None) -> None:
        self.code = code
        self.message = message or CLERK_MESSAGES[code]
        self.detail = detail
        super().__init__(f"{code}: {self.message}" + (f" ({detail})" if detail else ""))
