"""One page: read its text through ``ocr.page``, store the result on the ``Page`` row, and write the
viewer image.

The viewer image is a greyscale JPEG at ``VIEWER_DPI`` (150 dpi equivalent, about 1240 x 1754 px for A4),
turned like the page was turned for OCR, so it has the aspect ratio of the OCR coordinate space. Word
boxes stay in the pixels of ``Page.width`` x ``Page.height`` (at ``Page.dpi``); the viewer maps them with
``scale = image width / Page.width`` (the SVG overlay's viewBox is ``Page.width`` x ``Page.height``).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import cv2
import numpy as np

from config import Settings
from ingest.store import FileStore, derived_page_relative_path
from models import FileKind, Page, PageStatus, TextSource
from ocr.images import inspect_image
from ocr.page import PageOptions, PageRead, read_image_page, read_pdf_page
from ocr.pdf import inspect_pdf, render_page
from ocr.preprocess import PreprocessOptions
from ocr.types import PageText

VIEWER_DPI = 150
ARABIC_SCRIPT_GUESSES = frozenset({"urd", "pus"})
JPEG_QUALITY = 80
_ROTATE = {90: cv2.ROTATE_90_CLOCKWISE, 180: cv2.ROTATE_180, 270: cv2.ROTATE_90_COUNTERCLOCKWISE}


def page_options(settings: Settings, language_hint: str, language_guess: str = "") -> PageOptions:
    """The page reader's options from the settings, the batch's language hint ("auto" or empty: the
    settings' default) and ``language_guess``: what the document's pages read so far were read as
    (``document_language_guess``), tried first when the languages are found automatically."""
    languages = language_hint if language_hint and language_hint != "auto" else settings.ocr_languages_default
    return PageOptions(
        languages=languages,
        language_guess=language_guess,
        dpi=settings.ocr_dpi,
        timeout_s=settings.ocr_timeout_s,
        low_confidence_threshold=settings.ocr_low_confidence,
        max_pixels=settings.max_image_pixels,
        min_image_side=settings.min_image_side,
        preprocess=PreprocessOptions(
            orientation=settings.preprocess_orientation,
            deskew=settings.preprocess_deskew,
            denoise=settings.preprocess_denoise,
            binarise=settings.preprocess_binarise,
            border_cleanup=settings.preprocess_border_cleanup,
            streak_removal=settings.preprocess_streak_removal,
        ),
    )


def document_language_guess(languages: Iterable[str]) -> str:
    """The language to read a document's next page with first, from the languages its OCR'd pages
    were read in: Urdu or Pashto when every such page was (one detection per document, not per
    page); "" otherwise (English is read first anyway, and a mixed document guesses nothing)."""
    found = {language for language in languages if language}
    if len(found) == 1 and (only := found.pop()) in ARABIC_SCRIPT_GUESSES:
        return only
    return ""


def read_page_text(path: Path, kind: FileKind, page_no: int, opts: PageOptions) -> PageRead:
    """The page's text and the image its words were read on. Raises ``ocr.errors.PageError`` for a
    page that cannot be read."""
    if kind == FileKind.PDF:
        return read_pdf_page(path, page_no - 1, opts)
    return read_image_page(path, page_no - 1, opts)


def viewer_image(path: Path, kind: FileKind, page_no: int, read: PageRead, opts: PageOptions) -> np.ndarray:
    """The page at ``VIEWER_DPI`` in the geometry its words were read in: the OCR'd image itself
    (flattened photo, turned, straightened), or for a text-layer page the PDF page rendered with its
    form fields and annotations and turned like the layer's words."""
    result = read.page
    if read.image is not None:
        image = read.image
    elif kind == FileKind.PDF:
        image = _rotate(render_page(path, page_no - 1, VIEWER_DPI, max_pixels=opts.max_pixels), result.rotation)
    else:  # pragma: no cover - image pages always come back with the image they were read on
        raise ValueError("an image page without its image")
    target_w = max(1, round(result.width * VIEWER_DPI / max(result.dpi, 1)))
    if abs(image.shape[1] - target_w) <= 2:
        return image
    scale = min(1.0, target_w / image.shape[1]) if target_w else 1.0
    # Never enlarge: a low-resolution photo stays as it is; only its scale differs.
    width, height = round(image.shape[1] * scale), round(image.shape[0] * scale)
    if (width, height) == (image.shape[1], image.shape[0]):
        return image
    return cv2.resize(image, (width, max(1, height)), interpolation=cv2.INTER_AREA)


def _rotate(image: np.ndarray, rotation: int) -> np.ndarray:
    code = _ROTATE.get(rotation % 360)
    return image if code is None else cv2.rotate(image, code)


def encode_jpeg(image: np.ndarray) -> bytes:
    ok, data = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, JPEG_QUALITY])
    if not ok:
        raise ValueError("JPEG encoding failed")
    return bytes(data.tobytes())


def store_viewer_image(store: FileStore, sha256: str, page_no: int, image: np.ndarray) -> str:
    relative = derived_page_relative_path(sha256, page_no, "jpg")
    store.write_derived(relative, encode_jpeg(image))
    return relative


def compact_words(result: PageText) -> list[list[object]]:
    """``[[text, left, top, width, height, confidence, char_start, char_end], ...]`` (Page.words)."""
    return [
        [
            w.text,
            w.box.left,
            w.box.top,
            w.box.width,
            w.box.height,
            None if w.confidence is None else round(w.confidence, 1),
            w.char_start,
            w.char_end,
        ]
        for w in result.words
    ]


def apply_result(page: Page, result: PageText, image_path: str | None) -> None:
    """Write the page's text result onto its row (overwrites: re-running a page changes nothing new)."""
    page.text = result.text
    page.words = compact_words(result)
    page.source = TextSource(str(result.source))
    page.mean_confidence = result.mean_confidence
    page.needs_review = result.needs_review
    page.review_reasons = [str(reason) for reason in result.review_reasons]
    page.language = result.language[:20]
    page.engine = result.engine[:40]
    page.engine_version = result.engine_version[:40]
    page.width, page.height, page.dpi = result.width, result.height, result.dpi
    page.rotation = result.rotation
    page.skew_angle = result.skew_angle
    page.preprocessing = list(result.preprocessing)
    page.duration_ms = result.duration_ms
    page.image_path = image_path
    page.error_code = None
    page.error_message = None
    page.status = PageStatus.TEXT_DONE


def inspect_pages(path: Path, kind: FileKind, settings: Settings) -> int:
    """Number of pages (PDF pages or image frames); raises ``ocr.errors.PageError`` for a file that must
    be refused: empty, damaged, password-protected, too many pages, pixel bomb, too small."""
    if kind == FileKind.PDF:
        return inspect_pdf(path, settings.max_pdf_pages).page_count
    return inspect_image(path, settings.max_image_pixels, settings.min_image_side).frame_count
