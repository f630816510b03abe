"""PDF inspection, text-layer extraction and rendering, all through PDFium (pypdfium2).

PDFium counts pages in O(1), renders a page in tens of milliseconds and gives per-character boxes
about 100x faster than pdfplumber (facts file A2; ``bench/born_digital.py`` re-measures it), so it is
the only PDF library on the per-page path.
"""

from __future__ import annotations

import ctypes
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from ocr.errors import PageError, PageErrorCode
from ocr.layout import RawWord, join_words
from ocr.script import detect_language_from_text
from ocr.text_quality import Assessment, QualityThresholds, Verdict, assess_text_layer
from ocr.types import Box, PageText, TextSource

PDF_MAGIC = b"%PDF-"
MAGIC_WINDOW = 1024  # the PDF spec tolerates junk before the header; readers accept it within 1 KiB
DEFAULT_MAX_PIXELS = 100_000_000  # A3 at 600 dpi is 70 MP; anything larger is a bomb or a poster
_INVISIBLE = 3  # FPDF_TEXTRENDERMODE_INVISIBLE: how OCR software hides its text under the scan
_SOFT_HYPHEN_MARKERS = {"\x02", "\u00ad"}  # PDFium reports a line-end hyphen as U+0002


@dataclass(frozen=True, slots=True)
class PdfInfo:
    page_count: int
    encrypted: bool  # True also for owner-password-only PDFs, which open without a password
    producer: str
    page_sizes_pt: tuple[tuple[float, float], ...]


def _check_magic(path: Path) -> None:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise PageError(PageErrorCode.CORRUPT, f"cannot stat {path}: {exc}") from exc
    if size == 0:
        raise PageError(PageErrorCode.EMPTY, str(path))
    with path.open("rb") as fh:
        head = fh.read(MAGIC_WINDOW)
    if PDF_MAGIC not in head:
        raise PageError(PageErrorCode.UNSUPPORTED, f"no %PDF- header in the first {MAGIC_WINDOW} bytes")


@contextmanager
def open_pdf(path: str | Path) -> Iterator[pdfium.PdfDocument]:
    """Open a PDF, turning PDFium's errors into PageError codes, and always close it."""
    path = Path(path)
    _check_magic(path)
    try:
        doc = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise PageError(PageErrorCode.ENCRYPTED, str(exc)) from exc
        raise PageError(PageErrorCode.CORRUPT, str(exc)) from exc
    try:
        yield doc
    finally:
        doc.close()


def inspect_pdf(path: str | Path, max_pages: int) -> PdfInfo:
    """Cheap pre-flight check run at intake: opens, counts pages, refuses over-long documents."""
    with open_pdf(path) as doc:
        count = len(doc)
        if count == 0:
            raise PageError(PageErrorCode.EMPTY, "PDF has no pages", message=(
                "This PDF has no pages. Export or scan the document again and re-upload it."))
        if count > max_pages:
            raise PageError(PageErrorCode.TOO_MANY_PAGES, f"{count} pages > limit {max_pages}")
        encrypted = pdfium_c.FPDF_GetSecurityHandlerRevision(doc.raw) != -1
        producer = str(doc.get_metadata_dict().get("Producer", ""))
        sizes = tuple(doc.get_page_size(i) for i in range(count))
    return PdfInfo(page_count=count, encrypted=encrypted, producer=producer, page_sizes_pt=sizes)


def _page(doc: pdfium.PdfDocument, page_index: int) -> pdfium.PdfPage:
    if not 0 <= page_index < len(doc):
        raise PageError(PageErrorCode.PAGE_OUT_OF_RANGE, f"page index {page_index} of {len(doc)}")
    return doc[page_index]


def _pixel_size(page: pdfium.PdfPage, dpi: int) -> tuple[int, int]:
    """Width and height in pixels of the page as rendered. PDFium's page size already has /Rotate
    applied, as has its rendering and its page-to-device transform."""
    width_pt, height_pt = page.get_size()
    return round(width_pt * dpi / 72), round(height_pt * dpi / 72)


def render_page(
    path: str | Path, page_index: int, dpi: int, *, max_pixels: int = DEFAULT_MAX_PIXELS
) -> np.ndarray:
    """Render one page to a greyscale uint8 array (rows x cols). The page box is checked against
    ``max_pixels`` first: a huge MediaBox must not become a multi-gigabyte bitmap."""
    with open_pdf(path) as doc:
        page = _page(doc, page_index)
        width, height = _pixel_size(page, dpi)
        if width * height > max_pixels or max(width, height) > 32767:  # 32767: Tesseract's axis limit
            detail = f"page renders to {width}x{height} px at {dpi} dpi"
            raise PageError(PageErrorCode.IMAGE_TOO_LARGE, detail)
        bitmap = page.render(scale=dpi / 72, grayscale=True)
        array = bitmap.to_numpy()
        # to_numpy returns a view on PDFium's buffer; copy before the document is closed.
        image = np.array(array[:, :, 0] if array.ndim == 3 else array, dtype=np.uint8, copy=True)
        page.close()
    return image


# ---------------------------------------------------------------- text layer


@dataclass(frozen=True, slots=True)
class TextLayer:
    """The raw text layer of one page, before the usable/garbage decision."""

    page_text: PageText
    invisible: bool  # every text object hidden: an OCR layer added by scanner software
    assessment: Assessment


def _is_invisible_ocr_layer(page: pdfium.PdfPage) -> bool:
    modes = [
        pdfium_c.FPDFTextObj_GetTextRenderMode(obj.raw)
        for obj in page.get_objects(max_depth=2)
        if obj.type == pdfium_c.FPDF_PAGEOBJ_TEXT
    ]
    return bool(modes) and all(mode == _INVISIBLE for mode in modes)


class _Transform:
    """Page space (points, origin bottom-left of the MediaBox) -> rendered pixels (origin top-left)."""

    def __init__(self, page: pdfium.PdfPage, width: int, height: int) -> None:
        self._page = page.raw
        self._size = (width, height)
        self._dx = ctypes.c_int()
        self._dy = ctypes.c_int()

    def point(self, x: float, y: float) -> tuple[int, int]:
        pdfium_c.FPDF_PageToDevice(
            self._page, 0, 0, self._size[0], self._size[1], 0, x, y, self._dx, self._dy
        )
        return self._dx.value, self._dy.value

    def box(self, left: float, bottom: float, right: float, top: float) -> Box:
        x1, y1 = self.point(left, top)
        x2, y2 = self.point(right, bottom)
        x_lo, x_hi = sorted((max(0, min(x1, self._size[0])), max(0, min(x2, self._size[0]))))
        y_lo, y_hi = sorted((max(0, min(y1, self._size[1])), max(0, min(y2, self._size[1]))))
        return Box(x_lo, y_lo, x_hi - x_lo, y_hi - y_lo)


def _raw_words(page: pdfium.PdfPage, width: int, height: int) -> list[RawWord]:
    textpage = page.get_textpage()
    transform = _Transform(page, width, height)
    left, right, bottom, top = (ctypes.c_double() for _ in range(4))
    words: list[RawWord] = []
    chars: list[str] = []
    bounds: list[float] = []  # running union: left, bottom, right, top
    line = 0

    def flush() -> None:
        if chars:
            box = transform.box(*bounds)
            words.append(RawWord("".join(chars), box, None, (0,), (line,)))
            chars.clear()
            bounds.clear()

    try:
        for index in range(textpage.count_chars()):
            char = chr(pdfium_c.FPDFText_GetUnicode(textpage.raw, index))
            if char in _SOFT_HYPHEN_MARKERS:
                char = "-"
            if char.isspace() or char == "\x00":
                flush()
                if char == "\n":
                    line += 1
                continue
            pdfium_c.FPDFText_GetCharBox(textpage.raw, index, left, right, bottom, top)
            if bounds:
                bounds[:] = [min(bounds[0], left.value), min(bounds[1], bottom.value),
                             max(bounds[2], right.value), max(bounds[3], top.value)]
            else:
                bounds[:] = [left.value, bottom.value, right.value, top.value]
            chars.append(char)
        flush()
    finally:
        textpage.close()
    return words


def read_text_layer(
    path: str | Path, page_index: int, dpi: int, *, thresholds: QualityThresholds | None = None
) -> TextLayer:
    """The page's text layer with words and boxes at ``dpi``, plus the quality assessment."""
    started = time.perf_counter()
    with open_pdf(path) as doc:
        page = _page(doc, page_index)
        width, height = _pixel_size(page, dpi)
        invisible = _is_invisible_ocr_layer(page)
        text, words = join_words(_raw_words(page, width, height))
        page.close()
    assessment = assess_text_layer(text, invisible_layer=invisible, thresholds=thresholds)
    page_text = PageText(
        page_no=page_index + 1,
        text=text,
        words=words,
        mean_confidence=None,
        source=TextSource.TEXT_LAYER,
        engine="pdfium",
        engine_version=f"pdfium {pdfium.PDFIUM_INFO}",
        language=detect_language_from_text(text).languages,
        width=width,
        height=height,
        dpi=dpi,
        rotation=0,
        skew_angle=None,
        preprocessing=(),
        needs_review=False,
        duration_ms=round((time.perf_counter() - started) * 1000),
    )
    return TextLayer(page_text=page_text, invisible=invisible, assessment=assessment)


def text_layer(
    path: str | Path, page_index: int, dpi: int, *, thresholds: QualityThresholds | None = None
) -> PageText | None:
    """The page's text from its text layer, or None when there is no usable text layer
    (image-only page, unmapped fonts, or an invisible OCR layer of poor quality)."""
    layer = read_text_layer(path, page_index, dpi, thresholds=thresholds)
    return layer.page_text if layer.assessment.verdict is Verdict.USABLE else None
