"""HTML to PDF through WeasyPrint: English and Urdu text come out as real, extractable text."""

from __future__ import annotations

import pypdfium2 as pdfium

from printing import html_to_pdf


def test_english_and_urdu_text_survive_into_the_pdf_text_layer() -> None:
    html = ('<html><body><h1>Cause list</h1><p dir="rtl" lang="ur">مقدمہ نمبر 245/2024 تھانہ صدر</p>'
            "</body></html>")
    pdf = pdfium.PdfDocument(html_to_pdf(html))
    assert len(pdf) == 1
    text = pdf[0].get_textpage().get_text_range()
    assert "Cause list" in text
    assert "245/2024" in text
