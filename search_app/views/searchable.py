"""Searchable-PDF downloads: the stored page rows turned back into ``ocr.types.PageText`` and handed to
``ocr.searchable_pdf.build_searchable_pdf`` (no second OCR run).

The invisible text layer uses the machine words and their boxes (a person's correction has no word
boxes, so it cannot be placed on the image); the correction stays what search and the viewer use.
"""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium

from models import Document, FileKind, Page, PageStatus
from ocr.errors import PageError
from ocr.types import Box, PageText, TextSource, Word
from search_app.views.downloads import StoredFileMissingError, stored_path

log = logging.getLogger(__name__)


class SearchablePdfNotReadyError(Exception):
    """Some page has no text yet (or failed); ``message`` is for the clerk."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _words(row: Page) -> tuple[Word, ...]:
    words = []
    for entry in row.words or []:
        text, left, top, width, height, confidence, start, end = entry[:8]
        if row.text[start:end] != text:  # a damaged row: leave the word out rather than fail the PDF
            continue
        words.append(Word(text, Box(int(left), int(top), max(int(width), 0), max(int(height), 0)),
                          None if confidence is None else min(max(float(confidence), 0.0), 100.0),
                          int(start), int(end)))
    return tuple(words)


def page_text(row: Page) -> PageText:
    source = TextSource.TEXT_LAYER if row.source == "text_layer" else TextSource.OCR
    return PageText(
        page_no=row.page_no, text=row.text, words=_words(row), mean_confidence=row.mean_confidence,
        source=source, engine=row.engine, engine_version=row.engine_version, language=row.language,
        width=row.width, height=row.height, dpi=row.dpi or 300, rotation=row.rotation,
        skew_angle=row.skew_angle, preprocessing=tuple(row.preprocessing or ()),
        needs_review=row.needs_review, duration_ms=row.duration_ms,
    )


def build_document_pdf(document: Document, files_dir: Path) -> bytes:
    """The searchable PDF of ``document`` as bytes (built in a temporary folder)."""
    from ocr.images import load_frame
    from ocr.searchable_pdf import build_searchable_pdf

    pages = sorted(document.pages, key=lambda p: p.page_no)
    if not pages or any(p.status != PageStatus.TEXT_DONE for p in pages):
        raise SearchablePdfNotReadyError("Not every page of this document has been read yet.")
    try:
        original = stored_path(files_dir, document.stored_file.relative_path)
    except StoredFileMissingError as exc:
        raise SearchablePdfNotReadyError(exc.message) from exc
    try:
        texts = [page_text(p) for p in pages]
    except ValueError as exc:  # PageText validates rotation, spans and boxes
        raise SearchablePdfNotReadyError(f"The stored page data is inconsistent ({exc}).") from exc
    with tempfile.TemporaryDirectory(prefix="cmms-pdf-") as tmp:
        out = Path(tmp) / "searchable.pdf"
        try:
            if document.kind == FileKind.PDF or document.kind is None:
                build_searchable_pdf(original, texts, out)
            else:
                frames = [load_frame(original, p.page_no - 1) for p in pages]
                build_searchable_pdf(frames, texts, out)
        except (PageError, pikepdf.PdfError, pdfium.PdfiumError, OSError, ValueError) as exc:
            log.warning("searchable PDF of document %s failed: %s", document.id, exc)
            raise SearchablePdfNotReadyError("The original file could not be read to build it.") from exc
        return out.read_bytes()
