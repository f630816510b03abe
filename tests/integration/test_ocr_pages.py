"""Real pages through the real Tesseract: scanned judgment, born-digital judgment, rotated/skewed."""

import re
from pathlib import Path

import jiwer
import numpy as np
import pytest
from PIL import Image

from config import shared_dir
from ocr.errors import PageError, PageErrorCode
from ocr.page import PageOptions, process_image_frame, process_pdf_page
from ocr.pdf import render_page
from ocr.preprocess import NO_PREPROCESSING
from ocr.tesseract import ocr_image, probe
from ocr.types import PageText, TextSource

pytestmark = pytest.mark.tesseract

CORPUS = shared_dir() / "corpus"
SCANNED = CORPUS / "pk-supreme-court" / "scanned"
DIGITAL = CORPUS / "pk-supreme-court" / "digital"
GT = CORPUS / "ocr-gt-tesseract-test"
LINN = CORPUS / "ocr-gt-ocrmypdf-linn"


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).lower()


def assert_in_order(text: str, phrases: list[str]) -> None:
    """Each phrase appears (case and spacing ignored), in this order."""
    flat = squash(text)
    position = 0
    for phrase in phrases:
        found = flat.find(squash(phrase), position)
        assert found >= 0, f"{phrase!r} not found after position {position}"
        position = found + len(phrase)


def assert_words_consistent(page: PageText) -> None:
    assert page.words
    for word in page.words:
        assert page.text[word.char_start : word.char_end] == word.text
        assert word.box.right <= page.width and word.box.bottom <= page.height


def test_probe_reports_version_and_languages() -> None:
    info = probe(["eng", "urd", "pus", "osd"])
    assert info.version.startswith("5.")
    assert {"eng", "urd", "pus", "osd"} <= info.languages


def test_scanned_judgment_page_is_ocrd_with_word_boxes() -> None:
    page = process_pdf_page(SCANNED / "judgement_Crl.A.108-2020.pdf", 0, PageOptions())
    assert page.source is TextSource.OCR
    assert page.engine == "tesseract" and page.language == "eng"
    assert_in_order(page.text, ["SUPREME COURT OF PAKISTAN", "Criminal Appeal No.108/2020",
                                "Naveed Akhtar", "Versus", "The State", "JUDGMENT"])
    assert_words_consistent(page)
    assert page.mean_confidence is not None and page.mean_confidence > 80
    assert not page.needs_review
    assert page.preprocessing[:1] == ("orientation",)
    # The box of "PAKISTAN" lies in the top fifth of the page, where the heading is printed.
    heading = next(w for w in page.words if w.text.startswith("PAKISTAN"))
    assert heading.box.top < page.height / 5


def test_born_digital_page_comes_from_its_text_layer() -> None:
    page = process_pdf_page(DIGITAL / "judgement_Crl.A.48-2021.pdf", 0, PageOptions())
    assert page.source is TextSource.TEXT_LAYER
    assert page.engine.startswith("pdfium")
    assert page.mean_confidence is None and page.preprocessing == ()
    assert_in_order(page.text, ["IN THE SUPREME COURT OF PAKISTAN", "CRIMINAL APPEAL NO.48 OF 2021"])
    assert_words_consistent(page)
    # Text-layer boxes match the rendered page: the heading sits near the top, centred.
    supreme = next(w for w in page.words if w.text == "SUPREME")
    assert supreme.box.top < page.height / 8
    assert page.width / 4 < supreme.box.left < page.width * 3 / 4
    image = render_page(DIGITAL / "judgement_Crl.A.48-2021.pdf", 0, page.dpi)
    assert image.shape == (page.height, page.width)
    crop = image[supreme.box.top : supreme.box.bottom, supreme.box.left : supreme.box.right]
    assert crop.size and crop.min() < 128  # there is ink where the text layer says the word is


def test_poor_invisible_ocr_layer_is_replaced_by_our_ocr() -> None:
    page = process_pdf_page(DIGITAL / "judgement_J.P.587-2016.pdf", 0, PageOptions())
    assert page.source is TextSource.OCR
    assert "supreme court" in squash(page.text)


@pytest.mark.parametrize(
    ("name", "rotation"),
    [("phototest-rotated-180.png", 180), ("phototest-rotated-L.png", 90),
     ("phototest-rotated-R.png", 270), ("phototestrot.tif", 90)],
)
def test_rotated_pages_are_turned_upright(name: str, rotation: int) -> None:
    truth = (GT / "phototest.gold.txt").read_text()
    page = process_image_frame(GT / name, 0, PageOptions())
    assert jiwer.cer(squash(truth), squash(page.text)) < 0.02
    if rotation == 180:
        assert page.rotation == 180  # Tesseract cannot read upside-down text by itself
        raw = process_image_frame(GT / name, 0, PageOptions(preprocess=NO_PREPROCESSING))
        assert raw.rotation == 0 and jiwer.cer(squash(truth), squash(raw.text)) > 0.5
    else:
        # A page on its side is either turned by OSD or, when the cheap line check misses it,
        # read by Tesseract's own vertical-line handling; the text must be right either way.
        assert page.rotation in (0, rotation)


def test_skewed_page_is_deskewed_and_reads_better() -> None:
    truth = squash((LINN / "linn.txt").read_text())
    fixed = process_pdf_page(LINN / "skew.pdf", 0, PageOptions())
    raw = process_pdf_page(LINN / "skew.pdf", 0, PageOptions(preprocess=NO_PREPROCESSING))
    assert fixed.skew_angle is not None and abs(fixed.skew_angle) > 1.0
    assert jiwer.cer(truth, squash(fixed.text)) < jiwer.cer(truth, squash(raw.text))
    assert jiwer.cer(truth, squash(fixed.text)) < 0.03


def test_auto_language_routes_an_english_page_to_eng() -> None:
    page = process_image_frame(GT / "phototest.tif", 0, PageOptions(languages="auto"))
    assert page.language == "eng"
    assert "12 point text" in page.text


def test_low_confidence_page_is_flagged(tmp_path: Path) -> None:
    rng = np.random.default_rng(5)
    speckle = tmp_path / "speckle.png"
    Image.fromarray(np.where(rng.random((900, 700)) < 0.03, 0, 255).astype(np.uint8)).save(speckle)
    page = process_image_frame(speckle, 0, PageOptions(preprocess=NO_PREPROCESSING))
    assert page.needs_review


def test_tesseract_timeout_is_a_page_error() -> None:
    image = render_page(SCANNED / "judgement_C.A.1286-2018.pdf", 0, 300)
    with pytest.raises(PageError) as exc:
        ocr_image(image, "eng", 0.3, 1, 300)
    assert exc.value.code is PageErrorCode.OCR_TIMEOUT


def test_tesseract_runs_single_threaded(monkeypatch: pytest.MonkeyPatch) -> None:
    """OMP_THREAD_LIMIT=1 is forced for the Tesseract call even if the worker's env says otherwise,
    and the worker's own value is restored afterwards."""
    import os

    monkeypatch.setenv("OMP_THREAD_LIMIT", "4")
    image = np.asarray(Image.open(GT / "phototest.tif").convert("L"))
    page = ocr_image(image, "eng", 60, 1, 300)
    assert "point text" in page.text
    assert os.environ["OMP_THREAD_LIMIT"] == "4"


@pytest.mark.parametrize("rotate", [0, 90, 180, 270])
def test_text_layer_boxes_land_on_ink_for_rotated_pages(tmp_path: Path, rotate: int) -> None:
    """/Rotate pages: the layer's words come back upright (as a person reads the page), and their
    boxes land on ink of the rendered page turned the same way (what the viewer shows)."""
    import pikepdf

    from ocr.preprocess import rotate_right_angle

    rotated = tmp_path / f"rotate{rotate}.pdf"
    with pikepdf.open(DIGITAL / "judgement_Crl.P.L.A.90-K-2023.pdf") as pdf:
        pdf.pages[0].Rotate = rotate
        pdf.save(rotated)
    page = process_pdf_page(rotated, 0, PageOptions(dpi=100))
    assert page.rotation == (360 - rotate) % 360
    image = rotate_right_angle(render_page(rotated, 0, 100), page.rotation)
    assert page.source is TextSource.TEXT_LAYER
    assert image.shape == (page.height, page.width)
    inked = [w for w in page.words
             if (crop := image[w.box.top : w.box.bottom, w.box.left : w.box.right]).size and crop.min() < 128]
    assert len(inked) >= 0.98 * len(page.words)


def test_missing_language_is_a_page_error() -> None:
    image = np.asarray(Image.open(GT / "phototest.tif").convert("L"))
    with pytest.raises(PageError) as exc:
        ocr_image(image, "xyz", 60, 1, 300)
    assert exc.value.code is PageErrorCode.LANGUAGE_MISSING
