"""PDF inspection, text-layer extraction and rendering, all through PDFium (pypdfium2).

PDFium counts pages in O(1), renders a page in tens of milliseconds and gives per-character boxes
about 100x faster than pdfplumber (facts file A2; ``bench/born_digital.py`` re-measures it), so it is
the only PDF library on the per-page path.
"""

from __future__ import annotations

import ctypes
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from ocr.errors import NO_PAGES_IN_PDF, PageError, PageErrorCode
from ocr.layout import RawWord, join_words, lines_reversed, rotate_box, sort_lines_by_position
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
        # Before any page is loaded: lets PDFium draw AcroForm field values (a filled witness form's
        # content lives only in its widgets' appearance). No-op for a PDF without a form.
        doc.init_forms()
        yield doc
    finally:
        doc.close()


def inspect_pdf(path: str | Path, max_pages: int) -> PdfInfo:
    """Cheap pre-flight check run at intake: opens, counts pages, refuses over-long documents."""
    with open_pdf(path) as doc:
        count = len(doc)
        if count == 0:
            raise PageError(PageErrorCode.EMPTY, "PDF has no pages", message=NO_PAGES_IN_PDF)
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
        bitmap = page.render(scale=dpi / 72, grayscale=True, may_draw_forms=True)
        array = bitmap.to_numpy()
        # to_numpy returns a view on PDFium's buffer; copy before the document is closed.
        image = np.array(array[:, :, 0] if array.ndim == 3 else array, dtype=np.uint8, copy=True)
        page.close()
    return image


# ---------------------------------------------------------------- text layer


@dataclass(frozen=True, slots=True)
class TextLayer:
    """The text layer of one page (glyphs, form-field values and FreeText annotations), before the
    usable/garbage decision, with the evidence the page reader needs to trust it or not."""

    page_text: PageText
    invisible: bool  # every text object hidden: an OCR layer added by scanner software
    assessment: Assessment
    image_objects: int  # embedded images (a scan, a photo, a logo): text there is not in the layer
    partial_image: bool  # an image stream ends before its pixels do (decoded in part)
    annotation_words: int  # words taken from form fields and FreeText annotations
    page_rotation: int  # the page's /Rotate, clockwise


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


def _raw_words(page: pdfium.PdfPage, transform: _Transform) -> list[RawWord]:
    textpage = page.get_textpage()
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


def _utf16(getter: Callable[[Any, int], int]) -> str:
    """Call a PDFium string getter twice (size, then data) and decode its UTF-16LE result."""
    size = getter(None, 0)
    if size <= 2:
        return ""
    buffer = (ctypes.c_ushort * (size // 2))()
    getter(buffer, size)
    return bytes(buffer)[: size - 2].decode("utf-16-le", errors="replace")


_FIELD_TYPES_WITH_TEXT = {
    pdfium_c.FPDF_FORMFIELD_TEXTFIELD, pdfium_c.FPDF_FORMFIELD_COMBOBOX, pdfium_c.FPDF_FORMFIELD_LISTBOX,
}


def _annotation_text(doc: pdfium.PdfDocument, annot: Any) -> str:
    subtype = pdfium_c.FPDFAnnot_GetSubtype(annot)
    if subtype == pdfium_c.FPDF_ANNOT_WIDGET and doc.formenv is not None:
        form = doc.formenv.raw
        if pdfium_c.FPDFAnnot_GetFormFieldType(form, annot) not in _FIELD_TYPES_WITH_TEXT:
            return ""
        return _utf16(lambda buf, n: pdfium_c.FPDFAnnot_GetFormFieldValue(form, annot, buf, n))
    if subtype == pdfium_c.FPDF_ANNOT_FREETEXT:
        return _utf16(lambda buf, n: pdfium_c.FPDFAnnot_GetStringValue(annot, b"Contents", buf, n))
    return ""


def _words_in_rect(text: str, rect: Box, block: int) -> list[RawWord]:
    """Lay an annotation's text out in its rectangle: lines share the height, words the width by
    length. Approximate boxes, good enough for the viewer to box a hit."""
    lines = [ln.split() for ln in text.splitlines() if ln.split()]
    out: list[RawWord] = []
    for row, words in enumerate(lines):
        line_h = max(1, rect.height // max(1, len(lines)))
        top = rect.top + row * line_h
        total = sum(len(w) + 1 for w in words)
        x = rect.left
        for word in words:
            width = max(1, round(rect.width * len(word) / max(total, 1)))
            out.append(RawWord(word, Box(x, top, width, line_h), None, (block,), (block, row)))
            x += round(rect.width * (len(word) + 1) / max(total, 1))
    return out


def _annotation_words(doc: pdfium.PdfDocument, page: pdfium.PdfPage, transform: _Transform) -> list[RawWord]:
    """Form-field values and FreeText annotation contents as words, each annotation its own block."""
    words: list[RawWord] = []
    rect = pdfium_c.FS_RECTF()
    for index in range(pdfium_c.FPDFPage_GetAnnotCount(page.raw)):
        annot = pdfium_c.FPDFPage_GetAnnot(page.raw, index)
        if not annot:
            continue
        try:
            text = _annotation_text(doc, annot).strip()
            if not text or not pdfium_c.FPDFAnnot_GetRect(annot, rect):
                continue
            box = transform.box(rect.left, rect.bottom, rect.right, rect.top)
            words.extend(_words_in_rect(text, box, 1000 + index))
        finally:
            pdfium_c.FPDFPage_CloseAnnot(annot)
    return words


def _image_stream_cut_short(obj: Any, page: Any) -> bool:
    """An image whose data ends before its pixels do: the decoded size is short of width x height
    (Flate/LZW/RunLength), or a JPEG stream lacks its end-of-image marker."""
    filters = [_image_filter(obj, i) for i in range(pdfium_c.FPDFImageObj_GetImageFilterCount(obj))]
    if any(f in ("JPXDecode", "JBIG2Decode", "CCITTFaxDecode") for f in filters):
        return False  # their decoders report no reliable length; rendering shows what there is
    if "DCTDecode" in filters:
        # The JPEG itself: the stored bytes, or, when it is stored compressed again (FlateDecode before
        # DCTDecode, as some scanners write), the bytes after the non-image filters are undone.
        data = (pdfium_c.FPDFImageObj_GetImageDataRaw if filters == ["DCTDecode"]
                else pdfium_c.FPDFImageObj_GetImageDataDecoded)
        size = data(obj, None, 0)
        if size < 2:
            return True
        buffer = ctypes.create_string_buffer(size)
        data(obj, buffer, size)
        return b"\xff\xd9" not in buffer.raw[-16:]
    width, height = ctypes.c_uint(), ctypes.c_uint()
    if not pdfium_c.FPDFImageObj_GetImagePixelSize(obj, width, height):
        return False
    metadata = pdfium_c.FPDF_IMAGEOBJ_METADATA()
    if not pdfium_c.FPDFImageObj_GetImageMetadata(obj, page, metadata) or not metadata.bits_per_pixel:
        return False
    expected = (width.value * metadata.bits_per_pixel + 7) // 8 * height.value
    decoded = pdfium_c.FPDFImageObj_GetImageDataDecoded(obj, None, 0)
    return expected > 0 and decoded < expected * 0.99


def _image_filter(obj: Any, index: int) -> str:
    def getter(buffer: Any, size: int) -> int:
        return int(pdfium_c.FPDFImageObj_GetImageFilter(obj, index, buffer, size))

    return _latin1(getter)


def _latin1(getter: Callable[[Any, int], int]) -> str:
    size = getter(None, 0)
    if size <= 1:
        return ""
    buffer = ctypes.create_string_buffer(size)
    getter(buffer, size)
    return buffer.raw[: size - 1].decode("latin-1")


def _images(page: pdfium.PdfPage) -> tuple[int, bool]:
    count, partial = 0, False
    for obj in page.get_objects(max_depth=3):
        if obj.type == pdfium_c.FPDF_PAGEOBJ_IMAGE:
            count += 1
            partial = partial or _image_stream_cut_short(obj.raw, page.raw)
    return count, partial


def _upright(words: list[RawWord], width: int, height: int, page_rotation: int
             ) -> tuple[list[RawWord], int, int, int]:
    """Words of a page stored with /Rotate, turned back to how a person reads it (the rendering shows
    the text sideways), with lines in top-to-bottom order. Returns words, the clockwise turn applied
    (``PageText.rotation``, the viewer turns its image the same way) and the new width and height."""
    turn = (360 - page_rotation) % 360
    if turn:
        words = [RawWord(w.text, rotate_box(w.box, width, height, turn), w.confidence, w.block, w.line)
                 for w in words]
        if turn in (90, 270):
            width, height = height, width
    if lines_reversed(words):
        words = sort_lines_by_position(words)
    return words, turn, width, height


def read_text_layer(
    path: str | Path, page_index: int, dpi: int, *, thresholds: QualityThresholds | None = None
) -> TextLayer:
    """The page's text layer with words and boxes at ``dpi``, plus the quality assessment and the
    evidence (images, annotations) the page reader weighs. Raises ``PageError`` like ``open_pdf``."""
    started = time.perf_counter()
    with open_pdf(path) as doc:
        page = _page(doc, page_index)
        width, height = _pixel_size(page, dpi)
        page_rotation = page.get_rotation() % 360
        transform = _Transform(page, width, height)
        invisible = _is_invisible_ocr_layer(page)
        glyphs = _raw_words(page, transform)
        annotations = _annotation_words(doc, page, transform)
        image_objects, partial_image = _images(page)
        page.close()
    text_only, _ = join_words(glyphs)
    words, turn, width, height = _upright(glyphs + annotations, width, height, page_rotation)
    text, joined = join_words(words)
    assessment = assess_text_layer(text_only, invisible_layer=invisible, thresholds=thresholds)
    page_text = PageText(
        page_no=page_index + 1,
        text=text,
        words=joined,
        mean_confidence=None,
        source=TextSource.TEXT_LAYER,
        engine="pdfium",
        engine_version=f"pdfium {pdfium.PDFIUM_INFO}"[:40],
        language=detect_language_from_text(text).languages,
        width=width,
        height=height,
        dpi=dpi,
        rotation=turn,
        skew_angle=None,
        preprocessing=("form_fields_and_annotations",) if annotations else (),
        needs_review=False,
        duration_ms=round((time.perf_counter() - started) * 1000),
    )
    return TextLayer(
        page_text=page_text,
        invisible=invisible,
        assessment=assessment,
        image_objects=image_objects,
        partial_image=partial_image,
        annotation_words=len(annotations),
        page_rotation=page_rotation,
    )


def text_layer(
    path: str | Path, page_index: int, dpi: int, *, thresholds: QualityThresholds | None = None
) -> PageText | None:
    """The page's text from its text layer, or None when there is no usable text layer
    (image-only page, unmapped fonts, or an invisible OCR layer of poor quality)."""
    layer = read_text_layer(path, page_index, dpi, thresholds=thresholds)
    return layer.page_text if layer.assessment.verdict is Verdict.USABLE else None
