"""A searchable PDF for download: each page image with an invisible text layer from PageText.

No second OCR run: the words and boxes already in PageText are written as invisible text (render
mode 3) in Tesseract's "GlyphLessFont" (``pdf.ttf`` from the tessdata directory, one empty glyph,
any Unicode via Identity-H + a ToUnicode map), the same technique Tesseract's and OCRmyPDF's PDF
renderers use. Pages whose text came from the PDF's own text layer are copied unchanged, so a
born-digital PDF comes out byte-for-byte as it went in.

Each OCR'd page shows the image its words were read on (the flattened, turned and straightened page:
``PageRead.image``, stored as the viewer image), because the word boxes are in that image's
coordinates; re-deriving it from the original frame cannot redo a phone photo's perspective warp and
would put the words beside their ink.
"""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Sequence
from pathlib import Path

import cv2
import numpy as np
import pikepdf
from pikepdf import Array, Dictionary, Name

from ocr.preprocess import MIN_SKEW, rotate_right_angle, rotate_small, to_grey
from ocr.types import PageText, TextSource

DEFAULT_FONT = Path("/usr/share/tesseract-ocr/5/tessdata/pdf.ttf")
JPEG_QUALITY = 60  # greyscale page images: ~150-300 KB per A4 page at 300 dpi
GLYPH_WIDTH = 500  # /DW of the glyphless font, in 1/1000 em
_TO_UNICODE = b"""/CIDInit /ProcSet findresource begin
12 dict begin
begincmap
/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def
/CMapName /Adobe-Identity-UCS def
/CMapType 2 def
1 begincodespacerange
<0000> <FFFF>
endcodespacerange
1 beginbfrange
<0000> <FFFF> <0000>
endbfrange
endcmap
CMapName currentdict /CMap defineresource pop
end
end
"""


def _glyphless_font(pdf: pikepdf.Pdf, font_file: Path) -> pikepdf.Object:
    descriptor = Dictionary(
        Type=Name.FontDescriptor, FontName=Name.GlyphLessFont, Flags=5,
        FontBBox=Array([0, 0, GLYPH_WIDTH, 1000]), ItalicAngle=0, Ascent=1000, Descent=0,
        CapHeight=1000, StemV=80, FontFile2=pdf.make_stream(font_file.read_bytes()),
    )
    cid_font = Dictionary(
        Type=Name.Font, Subtype=Name.CIDFontType2, BaseFont=Name.GlyphLessFont,
        CIDSystemInfo=Dictionary(Registry=pikepdf.String("Adobe"), Ordering=pikepdf.String("Identity"),
                                 Supplement=0),
        FontDescriptor=pdf.make_indirect(descriptor), DW=GLYPH_WIDTH,
        CIDToGIDMap=pdf.make_stream(b"\x00\x01" * 65536),  # every code unit -> the one glyph
    )
    font = Dictionary(
        Type=Name.Font, Subtype=Name.Type0, BaseFont=Name.GlyphLessFont, Encoding=Name("/Identity-H"),
        DescendantFonts=Array([pdf.make_indirect(cid_font)]), ToUnicode=pdf.make_stream(_TO_UNICODE),
    )
    return pdf.make_indirect(font)


def text_layer_ops(page: PageText) -> bytes:
    """Content-stream operators that place every word invisibly over its box."""
    scale = 72.0 / page.dpi
    height_pt = page.height * scale
    ops = [b"BT", b"3 Tr"]
    for word in page.words:
        box = word.box
        size = max(box.height * scale, 1.0)
        units = len(word.text.encode("utf-16-be")) // 2
        natural = units * size * GLYPH_WIDTH / 1000
        stretch = 100.0 * (box.width * scale) / natural if natural else 100.0
        x, y = box.left * scale, height_pt - box.bottom * scale
        hex_text = word.text.encode("utf-16-be").hex().upper().encode()
        ops.append(b"/F1 %.2f Tf %.2f Tz 1 0 0 1 %.2f %.2f Tm <%s> Tj" % (size, stretch, x, y, hex_text))
    ops.append(b"ET")
    return b"\n".join(ops)


def derived_image(original: np.ndarray, page: PageText) -> np.ndarray:
    """The original page image turned and straightened the way preprocessing did it (rotation, then
    deskew). A stand-in only when the image the words were read on is lost: it cannot redo a phone
    photo's perspective flattening (``"perspective"`` in ``page.preprocessing``)."""
    work = rotate_right_angle(to_grey(original), page.rotation)
    if page.skew_angle is not None and abs(page.skew_angle) >= MIN_SKEW:
        work = rotate_small(work, -page.skew_angle)
    return work


def _image_page(pdf: pikepdf.Pdf, font: pikepdf.Object, image: np.ndarray, page: PageText) -> pikepdf.Page:
    """One output page the size of the OCR coordinate space (``page.width`` x ``page.height`` px at
    ``page.dpi``); the image, whatever its resolution (the stored viewer image is 150 dpi, a photo may
    be less), is drawn over the whole page, so the word boxes land on the ink they were read from."""
    ok, jpeg = cv2.imencode(".jpg", to_grey(image), [cv2.IMWRITE_JPEG_QUALITY, JPEG_QUALITY])
    if not ok:
        raise ValueError("could not encode the page image")
    h, w = image.shape[:2]
    if abs(w / h - page.width / page.height) > 0.02 * page.width / page.height:
        raise ValueError(f"page {page.page_no}: image {w}x{h} is not in the geometry of its words "
                         f"({page.width}x{page.height})")
    xobject = pdf.make_stream(jpeg.tobytes(), Type=Name.XObject, Subtype=Name.Image, Width=w, Height=h,
                              ColorSpace=Name.DeviceGray, BitsPerComponent=8, Filter=Name.DCTDecode)
    width_pt, height_pt = page.width * 72.0 / page.dpi, page.height * 72.0 / page.dpi
    draw = b"q %.3f 0 0 %.3f 0 0 cm /Im0 Do Q\n" % (width_pt, height_pt)
    content = pdf.make_stream(draw + text_layer_ops(page))
    page_dict = Dictionary(
        Type=Name.Page, MediaBox=Array([0, 0, width_pt, height_pt]), Contents=content,
        Resources=Dictionary(XObject=Dictionary(Im0=xobject), Font=Dictionary(F1=font)),
    )
    return pikepdf.Page(pdf.make_indirect(page_dict))


def build_searchable_pdf(
    pages: Sequence[PageText],
    images: Sequence[np.ndarray | None],
    out_path: Path | str,
    *,
    source_pdf: Path | str | None = None,
    font_file: Path = DEFAULT_FONT,
) -> Path:
    """Write ``out_path``: one output page per PageText, in order.

    ``images[i]`` is the image page i's words were read on (``ocr.page.PageRead.image``, or the stored
    viewer image, which is the same picture at 150 dpi): flattened, turned and straightened as OCR saw
    it, so the invisible words line up with the ink. ``None`` for a page whose text came from the
    source PDF's own text layer: that page is copied from ``source_pdf`` unchanged, and a PDF whose
    pages are all such pages is copied byte for byte. Raises ValueError when an OCR'd page has no image,
    an image is not in its page's geometry, or a text-layer page has no ``source_pdf``."""
    out = Path(out_path)
    if len(images) != len(pages):
        raise ValueError(f"{len(images)} images for {len(pages)} pages")
    layer_only = all(p.source is TextSource.TEXT_LAYER and i is None for p, i in zip(pages, images, strict=True))
    if source_pdf is not None and layer_only:
        shutil.copyfile(source_pdf, out)
        return out
    with pikepdf.new() as pdf, contextlib.ExitStack() as stack:
        src = stack.enter_context(pikepdf.open(source_pdf)) if source_pdf is not None else None
        font = _glyphless_font(pdf, font_file)
        for page, image in zip(pages, images, strict=True):
            if image is not None:
                pdf.pages.append(_image_page(pdf, font, image, page))
            elif page.source is TextSource.TEXT_LAYER and src is not None:
                pdf.pages.append(src.pages[page.page_no - 1])
            else:
                raise ValueError(f"page {page.page_no} was read by OCR but has no image")
        pdf.save(out)
    return out
