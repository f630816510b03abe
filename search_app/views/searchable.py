"""Searchable-PDF downloads: the stored page rows turned back into ``ocr.types.PageText`` and handed to
``ocr.searchable_pdf.build_searchable_pdf`` (no second OCR run), over the stored viewer images: the
pictures the words were read on, so the invisible words sit on their ink.

The invisible text layer uses the machine words and their boxes (a person's correction has no word
boxes, so it cannot be placed on the image); the correction stays what search and the viewer use.
"""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path

import cv2
import numpy as np
import pikepdf
import pypdfium2 as pdfium

from i18n import N_
from models import Document, FileKind, Page, PageStatus
from ocr.errors import PageError
from ocr.types import Box, PageText, TextSource, Word
from search_app.views.downloads import StoredFileMissingError, stored_path

log = logging.getLogger(__name__)


class SearchablePdfNotReadyError(Exception):
    """Some page has no text yet (or failed); ``message`` is for the clerk (marked: show ``gettext(message)``)."""

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


def _viewer_image(files_dir: Path, row: Page) -> np.ndarray | None:
    """The stored viewer image: the picture the page's words were read on (flattened, turned,
    straightened), at 150 dpi. None when it was never stored or is gone."""
    try:
        path = stored_path(files_dir, row.image_path)
    except StoredFileMissingError:
        return None
    image = cv2.imread(str(path), cv2.IMREAD_GRAYSCALE)
    return image if image is not None and image.size else None


def _stand_in(original: Path, document: Document, row: Page, text: PageText) -> np.ndarray:
    """The page re-derived from the original when its viewer image is lost (turn and deskew only)."""
    from ocr.images import inspect_image, load_page
    from ocr.pdf import render_page
    from ocr.searchable_pdf import derived_image

    if "perspective" in text.preprocessing:  # a flattened phone photo cannot be re-derived
        log.warning("document %s page %s: the flattened photo's viewer image is gone", document.id, row.page_no)
        raise SearchablePdfNotReadyError(N_("The stored image of a phone-photo page is missing; read that page again."))
    if document.kind == FileKind.PDF or document.kind is None:
        return derived_image(render_page(original, row.page_no - 1, text.dpi), text)
    # Pages skip preview frames, as they did when the words were read.
    info = inspect_image(original, 10**9, 1)
    return derived_image(load_page(original, row.page_no - 1, info.frames).image, text)


def build_document_pdf(document: Document, files_dir: Path) -> bytes:
    """The searchable PDF of ``document`` as bytes (built in a temporary folder).

    OCR'd pages show their stored viewer image, the image the words were read on, so the invisible
    words sit on their ink (a phone photo's perspective, a turned or straightened page, a TIFF's
    skipped preview frames all stay as they were read). Text-layer pages of a PDF are copied."""
    from ocr.searchable_pdf import build_searchable_pdf

    pages = sorted(document.pages, key=lambda p: p.page_no)
    if not pages or any(p.status != PageStatus.TEXT_DONE for p in pages):
        raise SearchablePdfNotReadyError(N_("Not every page of this document has been read yet."))
    try:
        original = stored_path(files_dir, document.stored_file.relative_path)
    except StoredFileMissingError as exc:
        raise SearchablePdfNotReadyError(exc.message) from exc
    try:
        texts = [page_text(p) for p in pages]
    except ValueError as exc:  # PageText validates rotation, spans and boxes
        log.warning("searchable PDF of document %s: inconsistent page data: %s", document.id, exc)
        raise SearchablePdfNotReadyError(N_("The stored page data is inconsistent.")) from exc
    is_pdf = document.kind == FileKind.PDF or document.kind is None
    with tempfile.TemporaryDirectory(prefix="cmms-pdf-") as tmp:
        out = Path(tmp) / "searchable.pdf"
        try:
            images: list[np.ndarray | None] = []
            for row, text in zip(pages, texts, strict=True):
                if is_pdf and text.source is TextSource.TEXT_LAYER:
                    images.append(None)  # the original page, copied
                    continue
                image = _viewer_image(files_dir, row)
                if image is None:
                    log.warning("document %s page %s: no viewer image, re-derived", document.id, row.page_no)
                    image = _stand_in(original, document, row, text)
                images.append(image)
            build_searchable_pdf(texts, images, out, source_pdf=original if is_pdf else None)
        except (PageError, pikepdf.PdfError, pdfium.PdfiumError, OSError, ValueError) as exc:
            log.warning("searchable PDF of document %s failed: %s", document.id, exc)
            raise SearchablePdfNotReadyError(N_("The original file could not be read to build it.")) from exc
        return out.read_bytes()
