"""The downloadable searchable PDF: invisible text over the page image, no second OCR run."""

import re
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pytest
from PIL import Image

from ocr.page import PageOptions, process_image_frame, process_pdf_page
from ocr.searchable_pdf import build_searchable_pdf

pytestmark = pytest.mark.tesseract

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
SCANNED = CORPUS / "pk-supreme-court" / "scanned" / "judgement_Crl.A.108-2020.pdf"
DIGITAL = CORPUS / "pk-supreme-court" / "digital" / "judgement_Crl.P.L.A.90-K-2023.pdf"
ROTATED = CORPUS / "ocr-gt-tesseract-test" / "phototest-rotated-180.png"


def words_of(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def test_scanned_pdf_gets_a_text_layer_that_lines_up(tmp_path: Path) -> None:
    page = process_pdf_page(SCANNED, 0, PageOptions())
    out = build_searchable_pdf(SCANNED, [page], tmp_path / "out.pdf")
    doc = pdfium.PdfDocument(str(out))
    assert len(doc) == 1
    assert doc[0].get_size() == pytest.approx((page.width * 72 / page.dpi, page.height * 72 / page.dpi))
    textpage = doc[0].get_textpage()
    extracted = textpage.get_text_bounded()
    assert words_of(extracted) == words_of(page.text)
    # The invisible "SUPREME" sits where OCR found it (PDF points, origin bottom-left).
    word = next(w for w in page.words if w.text == "SUPREME")
    left, bottom, _right, _top = textpage.get_charbox(extracted.index("SUPREME"))
    assert left == pytest.approx(word.box.left * 72 / page.dpi, abs=2)
    assert doc[0].get_size()[1] - bottom == pytest.approx(word.box.bottom * 72 / page.dpi, abs=3)


def test_born_digital_pdf_is_copied_unchanged(tmp_path: Path) -> None:
    pages = [process_pdf_page(DIGITAL, i, PageOptions()) for i in range(3)]
    out = build_searchable_pdf(DIGITAL, pages, tmp_path / "out.pdf")
    assert out.read_bytes() == DIGITAL.read_bytes()


def test_image_upload_is_turned_upright_in_the_pdf(tmp_path: Path) -> None:
    page = process_image_frame(ROTATED, 0, PageOptions())
    assert page.rotation == 180
    frame = np.asarray(Image.open(ROTATED).convert("L"))
    out = build_searchable_pdf([frame], [page], tmp_path / "out.pdf")
    doc = pdfium.PdfDocument(str(out))
    extracted = doc[0].get_textpage().get_text_bounded()
    assert "12 point text" in re.sub(r"\s+", " ", extracted)
    rendered = np.squeeze(doc[0].render(scale=page.dpi / 72, grayscale=True).to_numpy())
    assert rendered.ndim == 2
    rendered = rendered[: frame.shape[0], : frame.shape[1]].astype(np.int16)
    upright = np.rot90(frame, 2).astype(np.int16)
    # The page shown is the upright one (JPEG-compressed), not the upside-down upload.
    assert np.abs(rendered - upright).mean() < 0.3 * np.abs(rendered - frame.astype(np.int16)).mean()
