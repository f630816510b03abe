"""The paper book of a case with three documents, checked with pypdfium2: page count, continuous
stamped numbers on every page (rotated scans included), bookmarks, and the documents' text layer kept."""

from __future__ import annotations

import io

import pikepdf
import pypdfium2 as pdfium
import pytest

from casework.paperbook import BookDocument, BookHeader, PaperBookError, assemble
from printing import html_to_pdf


def _document(label: str, pages: int) -> bytes:
    body = "".join(f"<section style='page-break-after: always'><p>{label} page {n} recovery memo of pistol "
                   f"P-{n}</p></section>" for n in range(1, pages + 1))
    return html_to_pdf(f"<!doctype html><html><body>{body}</body></html>")


def _rotated(pdf: bytes) -> bytes:
    with pikepdf.open(io.BytesIO(pdf)) as source:
        for page in source.pages:
            page.rotate(90, relative=True)
        out = io.BytesIO()
        source.save(out)
        return out.getvalue()


@pytest.fixture(scope="module")
def book() -> pdfium.PdfDocument:
    documents = [BookDocument("FIR", _document("FIR", 2), "fir"),
                 BookDocument("Statement u/s 161 — محمد آصف", _rotated(_document("Statement", 1)), "statement"),
                 BookDocument("Recovery memo", _document("Memo", 3), "other")]
    return pdfium.PdfDocument(assemble(BookHeader("State vs Ahmad Khan", "FIR 12/2024, PS City, Peshawar"), documents))


def _text(page: pdfium.PdfPage) -> str:
    return page.get_textpage().get_text_range()


def test_page_count_is_index_plus_documents(book: pdfium.PdfDocument) -> None:
    assert len(book) == 1 + 2 + 1 + 3


def test_every_page_is_stamped_with_a_continuous_number(book: pdfium.PdfDocument) -> None:
    total = len(book)
    for number in range(1, total + 1):
        assert f"{number} / {total}" in _text(book[number - 1])


def test_the_documents_text_layer_is_kept_and_in_order(book: pdfium.PdfDocument) -> None:
    texts = [_text(book[i]) for i in range(len(book))]
    assert "FIR page 1 recovery memo of pistol" in texts[1] and "FIR page 2" in texts[2]
    assert "Statement page 1" in texts[3]
    assert [n for n in range(4, 7) if f"Memo page {n - 3}" in texts[n]] == [4, 5, 6]
    index = texts[0]
    assert "State vs Ahmad Khan" in index and "2–3" in index and "4–4" in index and "5–7" in index


def test_bookmarks_point_at_each_document(book: pdfium.PdfDocument) -> None:
    marks = [(b.get_title(), b.get_dest().get_index()) for b in book.get_toc()]
    assert marks == [("Index", 0), ("FIR", 1), ("Statement u/s 161 — محمد آصف", 3), ("Recovery memo", 4)]


def test_the_stamp_on_a_rotated_scan_sits_at_its_visual_foot(book: pdfium.PdfDocument) -> None:
    page = book[3]  # the rotated statement
    assert page.get_rotation() == 90
    textpage = page.get_textpage()
    found = textpage.search("4 / 7")
    assert found.get_next() is not None
    # rendered upright, the stamp's dark pixels are in the bottom-right corner
    image = page.render(scale=1).to_pil().convert("L")
    width, height = image.size
    corner = image.crop((int(width * 0.75), int(height * 0.93), width, height))
    top_left = image.crop((0, 0, int(width * 0.25), int(height * 0.07)))
    assert corner.getextrema()[0] < 100 and top_left.getextrema()[0] > 200


@pytest.mark.parametrize(("documents", "code"), [
    ([], "no_documents"),
    ([BookDocument("broken", b"%PDF-1.4 not really")], "unreadable"),
])
def test_bad_input_is_refused(documents: list[BookDocument], code: str) -> None:
    with pytest.raises(PaperBookError) as caught:
        assemble(BookHeader("x", "y"), documents)
    assert caught.value.code == code
