"""Text-layer trust per page, from evidence (issue 9, kind 1): the shipped intake-fault PDFs
(../shared/corpus/intake-faults/SOURCES.md) and a page built here. Each test asserts the words a
person reads on the page."""

import re
from pathlib import Path

import numpy as np
import pytest

from bench.ocr_samples import DIGITAL
from config import shared_dir
from ingest.pages import viewer_image
from models import FileKind, ReviewReason
from ocr.page import PageOptions, read_pdf_page
from ocr.pdf import read_text_layer, render_page
from ocr.types import TextSource

pytestmark = pytest.mark.tesseract

FAULTS = shared_dir() / "corpus" / "intake-faults"
OPTS = PageOptions()


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def test_scan_under_a_digital_stamp_is_ocrd_below_the_stamp() -> None:
    page = read_pdf_page(FAULTS / "stamped_header_over_scan.pdf", 0, OPTS).page
    found = words(page.text)
    assert {"marimba", "sawmill"} <= set(found)
    assert page.text.startswith("Digitally stamped copy - Office of the District Public Prosecutor Peshawar")
    assert "IN THE COURT OF THE SESSIONS JUDGE" in page.text
    # the stamp's words come from the layer (no confidence), the scan's from OCR, boxes on the page
    stamp = next(w for w in page.words if w.text == "Digitally")
    body = next(w for w in page.words if w.text.lower() == "marimba")
    assert stamp.confidence is None and body.confidence is not None and body.box.top > stamp.box.bottom
    assert page.review_reasons == ()


def test_shifted_tounicode_layer_is_never_indexed() -> None:
    layer = read_text_layer(FAULTS / "shifted_tounicode.pdf", 0, 300)
    assert "JO UIF DPVSU" in layer.page_text.text  # what the PDF claims
    page = read_pdf_page(FAULTS / "shifted_tounicode.pdf", 0, OPTS).page
    assert page.source is TextSource.OCR
    assert "violin" in words(page.text) and "accused person" in page.text
    assert "UIF" not in page.text and "DPVSU" not in page.text
    assert ReviewReason.TEXT_LAYER_DOUBT in page.review_reasons


def test_form_field_values_are_text_and_drawn_on_the_viewer_image() -> None:
    path = FAULTS / "filled_form_fields.pdf"
    read = read_pdf_page(path, 0, OPTS)
    assert {"zephyrine", "chandlery"} <= set(words(read.page.text))
    hit = next(w for w in read.page.words if w.text == "Zephyrine")
    image = viewer_image(path, FileKind.PDF, 1, read, OPTS)
    scale = image.shape[1] / read.page.width
    box = hit.box
    crop = image[int(box.top * scale): int(box.bottom * scale) + 1, int(box.left * scale): int(box.right * scale) + 1]
    assert crop.size and crop.min() < 100  # the field's value is drawn where its word box is


def test_freetext_annotation_is_searchable_and_drawn() -> None:
    path = FAULTS / "freetext_annotation.pdf"
    read = read_pdf_page(path, 0, OPTS)
    assert {"marigold", "malkhana"} <= set(words(read.page.text))
    assert "form_fields_and_annotations" in read.page.preprocessing
    note = next(w for w in read.page.words if w.text.lower().startswith("marigold"))
    image = render_page(path, 0, 300)
    crop = image[note.box.top: note.box.bottom + 1, note.box.left: note.box.right + 1]
    assert crop.min() < 100


def test_rotate_90_page_reads_top_to_bottom_as_a_person_reads_it() -> None:
    page = read_pdf_page(FAULTS / "textlayer_rotate90.pdf", 0, OPTS).page
    assert page.text.startswith("IN THE COURT")
    assert "recovered articles" in re.sub(r"\s+", " ", page.text)
    assert page.rotation == 270 and page.width < page.height  # upright portrait coordinates
    lines = page.text.splitlines()
    assert lines[-1].startswith("Announced in open court")


def test_digital_header_over_an_embedded_image_of_text_reads_both(tmp_path: Path) -> None:
    """A typed header (text layer) and, below it, a photo of a typed paragraph pasted as an image."""
    import cv2
    from PIL import Image

    from printing import html_to_pdf

    image = np.full((500, 2000), 255, np.uint8)
    for i, line in enumerate(["The accused was arrested near the grain market",
                              "and the recovered pistol was sealed in a parcel."]):
        cv2.putText(image, line, (40, 150 + 120 * i), cv2.FONT_HERSHEY_SIMPLEX, 2.2, 0, 4, cv2.LINE_AA)
    png = tmp_path / "para.png"
    Image.fromarray(image).save(png)
    html = (f"<html><body><h2>Office of the Public Prosecutor, Mardan</h2><p>Scrutiny note on the challan "
            f"submitted by the police station.</p><img src='{png.name}' style='width: 16cm'></body></html>")
    pdf = tmp_path / "mixed.pdf"
    pdf.write_bytes(html_to_pdf(html, base_url=tmp_path))
    page = read_pdf_page(pdf, 0, OPTS).page
    found = set(words(page.text))
    assert {"prosecutor", "mardan", "scrutiny"} <= found  # from the layer
    assert {"arrested", "grain", "pistol", "sealed"} <= found  # from the image, by OCR
    assert page.text.index("Mardan") < page.text.index("arrested")


def test_born_digital_judgment_is_read_from_its_layer_without_ocr() -> None:
    page = read_pdf_page(DIGITAL / "judgement_Crl.A.48-2021.pdf", 1, OPTS).page
    assert page.engine == "pdfium" and page.source is TextSource.TEXT_LAYER
    assert page.review_reasons == ()
