"""The downloadable searchable PDF: invisible text over the page image, no second OCR run.

The image under the words is the one they were read on (``PageRead.image``, stored as the viewer
image): checked here by cutting each invisible word's box out of the rendered PDF and reading that
cut-out alone with Tesseract. Inputs: a real scan and a born-digital judgment from the corpus, a
rotated test page, a phone photo made with bench/ocr_render.py (perspective: the original frame does
not line up with the words), and a multi-page TIFF with a preview frame between its pages."""

import re
import subprocess
from pathlib import Path

import cv2
import numpy as np
import pypdfium2 as pdfium
import pytest
from PIL import Image

from bench.ocr_render import encode, render
from config import shared_dir
from ingest.pages import apply_result, read_page_text, store_viewer_image, viewer_image
from ingest.store import FileStore
from models import Document, FileKind, Page, StoredFile
from ocr.page import PageOptions, read_image_page, read_pdf_page
from ocr.pdf import read_text_layer, render_page
from ocr.searchable_pdf import build_searchable_pdf
from search_app.views.searchable import build_document_pdf

pytestmark = pytest.mark.tesseract

CORPUS = shared_dir() / "corpus"
SCANNED = CORPUS / "pk-supreme-court" / "scanned" / "judgement_Crl.A.108-2020.pdf"
DIGITAL = CORPUS / "pk-supreme-court" / "digital" / "judgement_Crl.P.L.A.90-K-2023.pdf"
PHOTO_SOURCE = CORPUS / "pk-supreme-court" / "digital" / "judgement_Crl.A.48-2021.pdf"
ROTATED = CORPUS / "ocr-gt-tesseract-test" / "phototest-rotated-180.png"
OPTS = PageOptions()


def words_of(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def _read_alone(image: np.ndarray) -> str:
    ok, png = cv2.imencode(".png", image)
    assert ok
    out = subprocess.run(["tesseract", "stdin", "stdout", "--psm", "7", "-l", "eng"], input=png.tobytes(),
                         capture_output=True, check=True, env={"OMP_THREAD_LIMIT": "1", "PATH": "/usr/bin:/bin"})
    return re.sub(r"[^a-z0-9]", "", out.stdout.decode().lower())


def words_on_their_ink(pdf_path: Path, page_index: int, sample: int = 12) -> float:
    """Share of the PDF page's longer invisible words that Tesseract reads again from the page image
    cut at the word's own box (a misplaced layer puts the box on other words or on paper)."""
    doc = pdfium.PdfDocument(str(pdf_path))
    page = doc[page_index]
    scale = 150 / 72
    rendered = np.squeeze(page.render(scale=scale, grayscale=True).to_numpy())
    height_pt = page.get_size()[1]
    textpage = page.get_textpage()
    text = textpage.get_text_bounded()
    candidates = [m for m in re.finditer(r"[A-Za-z]{6,}", text)]
    step = max(1, len(candidates) // sample)
    checked = found = 0
    for match in candidates[::step][:sample]:
        boxes = [textpage.get_charbox(i) for i in range(match.start(), match.end())]
        left, right = min(b[0] for b in boxes), max(b[2] for b in boxes)
        bottom, top = min(b[1] for b in boxes), max(b[3] for b in boxes)
        pad = 0.25 * (top - bottom)
        x0, x1 = int((left - pad) * scale), int((right + pad) * scale)
        y0, y1 = int((height_pt - top - pad) * scale), int((height_pt - bottom + pad) * scale)
        crop = rendered[max(0, y0):y1, max(0, x0):x1]
        checked += 1
        if crop.size and match.group().lower() in _read_alone(cv2.resize(crop, None, fx=2, fy=2)):
            found += 1
    doc.close()
    assert checked >= 5, f"only {checked} words to check"
    return found / checked


def test_scanned_pdf_gets_a_text_layer_that_lines_up(tmp_path: Path) -> None:
    read = read_pdf_page(SCANNED, 0, OPTS)
    page = read.page
    out = build_searchable_pdf([page], [read.image], tmp_path / "out.pdf", source_pdf=SCANNED)
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
    doc.close()
    assert words_on_their_ink(out, 0) >= 0.8


def test_born_digital_pdf_is_copied_unchanged(tmp_path: Path) -> None:
    reads = [read_pdf_page(DIGITAL, i, OPTS) for i in range(3)]
    assert all(r.image is None for r in reads)
    out = build_searchable_pdf([r.page for r in reads], [None] * 3, tmp_path / "out.pdf", source_pdf=DIGITAL)
    assert out.read_bytes() == DIGITAL.read_bytes()


def test_ocr_page_without_an_image_is_refused(tmp_path: Path) -> None:
    read = read_pdf_page(SCANNED, 0, OPTS)
    with pytest.raises(ValueError, match="no image"):
        build_searchable_pdf([read.page], [None], tmp_path / "out.pdf", source_pdf=SCANNED)


def test_image_upload_is_turned_upright_in_the_pdf(tmp_path: Path) -> None:
    read = read_image_page(ROTATED, 0, OPTS)
    page = read.page
    assert page.rotation == 180 and read.image is not None
    frame = np.asarray(Image.open(ROTATED).convert("L"))
    out = build_searchable_pdf([page], [read.image], tmp_path / "out.pdf")
    doc = pdfium.PdfDocument(str(out))
    extracted = doc[0].get_textpage().get_text_bounded()
    assert "12 point text" in re.sub(r"\s+", " ", extracted)
    rendered = np.squeeze(doc[0].render(scale=page.dpi / 72, grayscale=True).to_numpy())
    assert rendered.ndim == 2
    rendered = rendered[: frame.shape[0], : frame.shape[1]].astype(np.int16)
    upright = np.rot90(frame, 2).astype(np.int16)
    # The page shown is the upright one (JPEG-compressed), not the upside-down upload.
    assert np.abs(rendered - upright).mean() < 0.3 * np.abs(rendered - frame.astype(np.int16)).mean()


# ----------------------------------------------------------------- through the stored pages


def _document(tmp_path: Path, original: Path, kind: FileKind) -> tuple[Document, Path]:
    """The rows the pipeline leaves: each page read, its viewer image stored, its result applied."""
    files = tmp_path / "files"
    store = FileStore(files)
    with original.open("rb") as fh:
        blob = store.put_original(fh, 50 * 2**20)
    doc = Document(id=1, kind=kind, sha256=blob.sha256, original_filename=original.name,
                   stored_file=StoredFile(sha256=blob.sha256, size_bytes=blob.size_bytes,
                                          relative_path=blob.relative_path))
    count = len(_pages(original))
    for page_no in range(1, count + 1):
        read = read_page_text(store.path(blob.relative_path), kind, page_no, OPTS)
        image = viewer_image(store.path(blob.relative_path), kind, page_no, read, OPTS)
        row = Page(page_no=page_no)
        apply_result(row, read.page, store_viewer_image(store, blob.sha256, page_no, image))
        doc.pages.append(row)
    return doc, files


def _pages(path: Path) -> range:
    from ocr.images import inspect_image

    return range(inspect_image(path, 10**9, 200).frame_count)


def test_phone_photo_pdf_shows_the_flattened_page_under_its_words(tmp_path: Path) -> None:
    """A photo taken at an angle is read flattened; its searchable PDF shows that flattened page, so
    the words sit on their ink (the original photo under them would put them beside it)."""
    image, quality = render(render_page(PHOTO_SOURCE, 1, 300), "photo", 1)
    data, suffix = encode(image, quality)
    photo = tmp_path / f"photo.{suffix}"
    photo.write_bytes(data)
    doc, files = _document(tmp_path, photo, FileKind.JPEG)
    assert "perspective" in doc.pages[0].preprocessing
    out = tmp_path / "searchable.pdf"
    out.write_bytes(build_document_pdf(doc, files))
    truth = read_text_layer(PHOTO_SOURCE, 1, 300).page_text.text
    extracted = pdfium.PdfDocument(str(out))[0].get_textpage().get_text_bounded()
    assert len(set(words_of(extracted)) & set(words_of(truth))) >= 0.9 * len(set(words_of(truth)))
    assert words_on_their_ink(out, 0) >= 0.8


def test_tiff_pages_after_a_preview_frame_show_their_own_image(tmp_path: Path) -> None:
    """Frames: page 1, a thumbnail preview of it, page 2. The PDF's second page is page 2 (the
    preview is skipped as when the pages were read), with its words on its own ink."""
    first = render_page(DIGITAL, 0, 200)
    second = render_page(DIGITAL, 1, 200)
    preview = cv2.resize(first, None, fx=0.1, fy=0.1, interpolation=cv2.INTER_AREA)
    tiff = tmp_path / "bundle.tif"
    frames = [Image.fromarray(a) for a in (first, preview, second)]
    frames[0].save(tiff, save_all=True, append_images=frames[1:], dpi=(200, 200))
    doc, files = _document(tmp_path, tiff, FileKind.TIFF)
    assert len(doc.pages) == 2
    out = tmp_path / "searchable.pdf"
    out.write_bytes(build_document_pdf(doc, files))
    pdf = pdfium.PdfDocument(str(out))
    assert len(pdf) == 2
    second_text = pdf[1].get_textpage().get_text_bounded()
    truth = read_text_layer(DIGITAL, 1, 200).page_text.text
    assert len(set(words_of(second_text)) & set(words_of(truth))) >= 0.9 * len(set(words_of(truth)))
    pdf.close()
    assert words_on_their_ink(out, 1) >= 0.8
