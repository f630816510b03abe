"""The one entry point the pipeline calls: one page (PDF page or image frame) in, PageText out.

Path of a PDF page: text layer usable? -> PageText from it (no OCR). Otherwise render at ``dpi`` ->
preprocess a derived copy -> choose languages -> one Tesseract call -> flag for review if weak.
Only one of the two texts is ever kept.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from ocr.errors import PageError, PageErrorCode
from ocr.images import inspect_image, load_frame
from ocr.pdf import DEFAULT_MAX_PIXELS, read_text_layer, render_page
from ocr.preprocess import OrientationDetector, PreprocessOptions, preprocess
from ocr.script import detect_language_from_text
from ocr.tesseract import OsdResult, detect_orientation, ocr_image
from ocr.text_quality import QualityThresholds, Verdict
from ocr.types import PageText

AUTO = "auto"
LANGUAGE_SAMPLE_BAND = (0.3, 0.55)  # rows of the page OCR'd for script detection: body text, no letterhead


@dataclass(frozen=True, slots=True)
class PageOptions:
    languages: str = "eng"  # "eng", "urd", "pus", "eng+urd", ... or "auto" (detect per page)
    dpi: int = 300
    preprocess: PreprocessOptions = field(default_factory=PreprocessOptions)
    timeout_s: float = 180.0  # per page, all Tesseract calls together (OCRmyPDF's default)
    low_confidence_threshold: float = 60.0
    min_words_image_page: int = 3  # fewer words on a page sent to OCR: needs review (photo, blank?)
    # A first pass this weak may be an upside-down page: run OSD and, if it says so, OCR again.
    orientation_retry_confidence: float = 45.0
    max_pixels: int = DEFAULT_MAX_PIXELS
    min_image_side: int = 200
    text_layer_thresholds: QualityThresholds = field(default_factory=QualityThresholds)


class _Deadline:
    def __init__(self, seconds: float) -> None:
        self._seconds = seconds
        self._end = time.monotonic() + seconds

    def remaining(self) -> float:
        left = self._end - time.monotonic()
        if left <= 0:
            raise PageError(PageErrorCode.OCR_TIMEOUT, f"page exceeded {self._seconds:g} s")
        return left


def _elapsed_ms(started: float) -> int:
    return round((time.perf_counter() - started) * 1000)


def process_pdf_page(path: str | Path, page_index: int, opts: PageOptions) -> PageText:
    started = time.perf_counter()
    layer = read_text_layer(path, page_index, opts.dpi, thresholds=opts.text_layer_thresholds)
    if layer.assessment.verdict is Verdict.USABLE:
        return replace(layer.page_text, duration_ms=_elapsed_ms(started))
    image = render_page(path, page_index, opts.dpi, max_pixels=opts.max_pixels)
    return _ocr_page(image, page_index + 1, opts, opts.dpi, started)


def process_image_frame(path: str | Path, frame_index: int, opts: PageOptions) -> PageText:
    started = time.perf_counter()
    info = inspect_image(path, opts.max_pixels, opts.min_image_side)
    image = load_frame(path, frame_index)
    return _ocr_page(image, frame_index + 1, opts, info.dpi or opts.dpi, started)


def _choose_languages(image: np.ndarray, opts: PageOptions, dpi: int, deadline: _Deadline) -> str:
    """For "auto": OCR a band of body text with all three models and route by script."""
    if opts.languages != AUTO:
        return opts.languages
    h = image.shape[0]
    band = image[int(h * LANGUAGE_SAMPLE_BAND[0]) : int(h * LANGUAGE_SAMPLE_BAND[1])]
    sample = ocr_image(band, "eng+urd+pus", deadline.remaining(), 1, dpi, psm=6)
    return detect_language_from_text(sample.text).languages


def _ocr_page(image: np.ndarray, page_no: int, opts: PageOptions, dpi: int, started: float) -> PageText:
    deadline = _Deadline(opts.timeout_s)

    def detector(img: np.ndarray, d: int) -> OsdResult | None:
        return detect_orientation(img, d, deadline.remaining())

    osd: OrientationDetector = detector
    prepared = preprocess(image, opts.preprocess, osd, dpi=dpi)
    languages = _choose_languages(prepared.image, opts, dpi, deadline)
    page = ocr_image(prepared.image, languages, deadline.remaining(), page_no, dpi)
    if _maybe_upside_down(page, prepared.rotation, opts):
        retry = preprocess(image, opts.preprocess, osd, dpi=dpi, force_orientation=True)
        if retry.rotation:
            second = ocr_image(retry.image, languages, deadline.remaining(), page_no, dpi)
            if (second.mean_confidence or 0.0) > (page.mean_confidence or 0.0):
                page, prepared = second, retry
    return replace(
        page,
        rotation=prepared.rotation,
        skew_angle=prepared.skew_angle,
        preprocessing=prepared.steps,
        needs_review=needs_review(page, opts),
        duration_ms=_elapsed_ms(started),
    )


def _maybe_upside_down(page: PageText, rotation: int, opts: PageOptions) -> bool:
    if not opts.preprocess.orientation or rotation != 0:
        return False
    return page.mean_confidence is not None and page.mean_confidence < opts.orientation_retry_confidence


def needs_review(page: PageText, opts: PageOptions) -> bool:
    """Low mean confidence, or almost no words on a page that had to be OCR'd. A blank page is a
    valid result, but a clerk should confirm it is really blank."""
    if len(page.words) < opts.min_words_image_page:
        return True
    return page.mean_confidence is not None and page.mean_confidence < opts.low_confidence_threshold

