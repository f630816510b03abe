"""A searchable PDF for download: each page image with an invisible text layer from PageText.

No second OCR run: the words and boxes already in PageText are written as invisible text (render
mode 3) in Tesseract's "GlyphLessFont" (``pdf.ttf`` from the tessdata directory, one empty glyph,
any Unicode via Identity-H + a ToUnicode map), the same technique Tesseract's and OCRmyPDF's PDF
renderers use. Pages whose text came from the PDF's own text layer are copied unchanged, so a
born-digital PDF comes out byte-for-byte as it went in.

The page image is re-derived the way preprocessing derived it (rotation, then deskew), because the
word boxes are in that image's coordinates; the overlay therefore lines up with what is shown.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from pathlib import Path

import cv2
import numpy as np
import pikepdf
from pikepdf import Array, Dictionary, Name

from ocr.pdf import render_page
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


def _derived_image(image: np.ndarray, page: PageText) -> np.ndarray:
    work = rotate_right_angle(to_grey(image), page.rotation)
    if page.skew_angle is not None and abs(page.skew_angle) >= MIN_SKEW:
        work = rotate_small(work, -page.skew_angle)
    return work


def _image_page(pdf: pikepdf.Pdf, font: pikepdf.Object, image: np.ndarray, page: PageText) -> pikepdf.Page:
    ok, jpeg = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, JPEG_QUALITY])
    if not ok:
        raise ValueError("could not encode the page image")
    h, w = image.shape[:2]
    xobject = pdf.make_stream(jpeg.tobytes(), Type=Name.XObject, Subtype=Name.Image, Width=w, Height=h,
                              ColorSpace=Name.DeviceGray, BitsPerComponent=8, Filter=Name.DCTDecode)
    width_pt, height_pt = w * 72.0 / page.dpi, h * 72.0 / page.dpi
    draw = b"q %.3f 0 0 %.3f 0 0 cm /Im0 Do Q\n" % (width_pt, height_pt)
    content = pdf.make_stream(draw + text_layer_ops(page))
    page_dict = Dictionary(
        Type=Name.Page, MediaBox=Array([0, 0, width_pt, height_pt]), Contents=content,
        Resources=Dictionary(XObject=Dictionary(Im0=xobject), Font=Dictionary(F1=font)),
    )
    return pikepdf.Page(pdf.make_indirect(page_dict))


def build_searchable_pdf(
    page_images_or_pdf: Path | str | Sequence[np.ndarray],
    pages: Sequence[PageText],
    out_path: Path | str,
    *,
    font_file: Path = DEFAULT_FONT,
) -> Path:
    """Write ``out_path``: one output page per PageText, in order.

    ``page_images_or_pdf`` is the source PDF, or the decoded image frames (one per PageText) of an
    image upload. A PDF whose pages all came from the text layer is copied as is."""
    out = Path(out_path)
    if isinstance(page_images_or_pdf, str | Path):
        return _from_pdf(Path(page_images_or_pdf), pages, out, font_file)
    images = list(page_images_or_pdf)
    if len(images) != len(pages):
        raise ValueError(f"{len(images)} images for {len(pages)} pages")
    with pikepdf.new() as pdf:
        font = _glyphless_font(pdf, font_file)
        for image, page in zip(images, pages, strict=True):
            pdf.pages.append(_image_page(pdf, font, _derived_image(image, page), page))
        pdf.save(out)
    return out


def _from_pdf(source: Path, pages: Sequence[PageText], out: Path, font_file: Path) -> Path:
    if all(p.source is TextSource.TEXT_LAYER for p in pages):
        shutil.copyfile(source, out)
        return out
    with pikepdf.new() as pdf, pikepdf.open(source) as src:
        font = _glyphless_font(pdf, font_file)
        for page in pages:
            if page.source is TextSource.TEXT_LAYER:
                pdf.pages.append(src.pages[page.page_no - 1])
            else:
                image = render_page(source, page.page_no - 1, page.dpi)
                pdf.pages.append(_image_page(pdf, font, _derived_image(image, page), page))
        pdf.save(out)
    return out
