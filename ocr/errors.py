"""Typed page failures with a message a data-entry clerk can act on."""

from __future__ import annotations

from enum import StrEnum


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
    PageErrorCode.EMPTY: "The file is empty (0 bytes). Scan or export the document again and re-upload it.",
    PageErrorCode.ENCRYPTED: "This PDF is password-protected. Remove the password and upload it again.",
    PageErrorCode.CORRUPT: (
        "The file is damaged or incomplete and cannot be opened. "
        "Upload the original file again, or re-scan the document."
    ),
    PageErrorCode.UNSUPPORTED: (
        "This file type is not supported, or the file's name does not match its content. "
        "Upload a PDF, PNG, JPEG or TIFF file."
    ),
    PageErrorCode.TOO_MANY_PAGES: (
        "This PDF has more pages than one upload allows. Split it into smaller files and upload each one."
    ),
    PageErrorCode.IMAGE_TOO_LARGE: (
        "The page image is far too large to process. "
        "Re-scan it at 300 dpi, or export it at a normal page size."
    ),
    PageErrorCode.IMAGE_TOO_SMALL: (
        "The image is too small to read. Re-scan the page at 300 dpi or take a closer, sharper photo."
    ),
    PageErrorCode.PAGE_OUT_OF_RANGE: "The requested page does not exist in this document.",
    PageErrorCode.OCR_TIMEOUT: (
        "Reading this page took too long and was stopped. It has been sent for manual review; "
        "a cleaner scan usually fixes this."
    ),
    PageErrorCode.OCR_FAILED: "The text of this page could not be read. It has been sent for manual review.",
    PageErrorCode.LANGUAGE_MISSING: (
        "The language chosen for this batch is not installed on the server. Ask the administrator."
    ),
}


class PageError(Exception):
    """A page or file that cannot be turned into text. ``detail`` is for logs, ``message`` for clerks."""

    def __init__(self, code: PageErrorCode, detail: str = "", *, message: str | None = None) -> None:
        self.code = code
        self.message = message or CLERK_MESSAGES[code]
        self.detail = detail
        super().__init__(f"{code}: {self.message}" + (f" ({detail})" if detail else ""))
