"""Printable documents (cause lists, paper-book index pages, reports): HTML + CSS to PDF.

WeasyPrint lays text out with Pango/HarfBuzz, so Urdu (Nastaliq/Naskh) is shaped and set right to
left correctly, which PDF libraries that place glyphs one by one do not do. Callers render a
Jinja template (or any HTML) and pass the string here; fonts come from the system (fontconfig).
"""

from __future__ import annotations

from pathlib import Path


class PrintError(RuntimeError):
    """The HTML could not be turned into a PDF (the message says why)."""


def html_to_pdf(html: str, *, base_url: str | Path | None = None, stylesheets: list[str] | None = None) -> bytes:
    """``html`` (a whole document) as PDF bytes. ``base_url`` resolves relative links (images, CSS);
    ``stylesheets`` are extra CSS strings. Raises ``PrintError`` on a layout failure."""
    import weasyprint

    try:
        css = [weasyprint.CSS(string=text) for text in stylesheets or []]
        document = weasyprint.HTML(string=html, base_url=str(base_url) if base_url else None)
        pdf = document.write_pdf(stylesheets=css)
    except Exception as exc:  # WeasyPrint raises many kinds; callers need one
        raise PrintError(f"could not lay out the PDF: {exc}") from exc
    if not pdf:
        raise PrintError("the PDF came out empty")
    return bytes(pdf)


__all__ = ["PrintError", "html_to_pdf"]
