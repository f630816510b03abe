"""The paper book: one PDF bundle of a case for the court.

Index page(s) (HTML laid out by ``printing.html_to_pdf``, so Urdu titles are shaped), then the chosen
documents in the chosen order, every page stamped with a continuous page number ("12 / 40") at the
foot, one bookmark per document, and each document's own text layer kept (pages are copied by
pikepdf, never re-rendered). The stamp is drawn in the page's visual frame, so rotated scans get an
upright number at their visual foot.

``assemble(header, documents)`` returns the PDF bytes; ``PaperBookError`` says which document could
not be read.
"""

from __future__ import annotations

import html
import io
from collections.abc import Sequence
from dataclasses import dataclass

import pikepdf

from casework.errors import CaseRuleError
from i18n import N_

STAMP_FONT_SIZE = 9.0
STAMP_MARGIN = 14.0
MAX_DOCUMENTS = 200


class PaperBookError(CaseRuleError):
    """The bundle cannot be made (no documents, an unreadable document)."""


@dataclass(frozen=True)
class BookDocument:
    title: str
    pdf: bytes
    doc_type: str = ""


@dataclass(frozen=True)
class BookHeader:
    """What the index page says about the case."""

    title: str            # e.g. "State vs Ahmad Khan"
    reference: str        # e.g. "FIR 123/2024, PS City, Peshawar"
    court: str = ""
    prepared_by: str = ""
    prepared_on: str = ""


@dataclass(frozen=True)
class IndexRow:
    number: int
    title: str
    doc_type: str
    first_page: int
    last_page: int


def _open(document: BookDocument, position: int) -> pikepdf.Pdf:
    try:
        pdf = pikepdf.open(io.BytesIO(document.pdf))
    except (pikepdf.PdfError, pikepdf.PasswordError, ValueError) as exc:
        raise PaperBookError("unreadable", N_("Document %(n)s (“%(title)s”) is not a readable PDF."),
                             n=position, title=document.title) from exc
    if len(pdf.pages) == 0:
        raise PaperBookError("empty", N_("Document %(n)s (“%(title)s”) has no pages."), n=position,
                             title=document.title)
    return pdf


def index_html(header: BookHeader, rows: Sequence[IndexRow]) -> str:
    """The index page as an HTML document (every value escaped; ``dir="auto"`` on free text)."""
    esc = html.escape
    lines = "".join(
        f"<tr><td>{r.number}</td><td dir=\"auto\">{esc(r.title)}</td><td>{esc(r.doc_type.replace('_', ' '))}</td>"
        f"<td class=\"pages\">{r.first_page}–{r.last_page}</td></tr>" for r in rows)
    court = f"<p class=\"court\" dir=\"auto\">{esc(header.court)}</p>" if header.court else ""
    prepared = " · ".join(esc(x) for x in (header.prepared_by, header.prepared_on) if x)
    return (
        "<!doctype html><html><head><meta charset=\"utf-8\"><style>"
        "@page { size: A4; margin: 22mm 18mm 24mm 18mm; }"
        "body { font-family: 'DejaVu Sans', 'Noto Naskh Arabic', sans-serif; font-size: 10.5pt; }"
        "h1 { font-size: 15pt; text-align: center; margin: 0 0 4pt; } .ref, .court { text-align: center; margin: 2pt; }"
        "table { width: 100%; border-collapse: collapse; margin-top: 14pt; }"
        "th, td { border: 0.6pt solid #444; padding: 4pt 6pt; text-align: left; vertical-align: top; }"
        "td.pages { white-space: nowrap; } .prepared { margin-top: 14pt; color: #444; font-size: 9pt; }"
        "</style></head><body>"
        f"<h1>{esc(N_('Paper book'))}</h1><p class=\"ref\" dir=\"auto\"><strong>{esc(header.title)}</strong></p>"
        f"<p class=\"ref\" dir=\"auto\">{esc(header.reference)}</p>{court}"
        f"<table><thead><tr><th>#</th><th>{esc(N_('Document'))}</th><th>{esc(N_('Type'))}</th>"
        f"<th>{esc(N_('Pages'))}</th></tr></thead><tbody>{lines}</tbody></table>"
        f"<p class=\"prepared\">{prepared}</p></body></html>"
    )


def _index_pdf(header: BookHeader, counts: Sequence[int], documents: Sequence[BookDocument]) -> pikepdf.Pdf:
    """Lay the index out until its own length is stable (page ranges depend on it)."""
    from printing import html_to_pdf

    index_pages = 1
    for _ in range(5):
        rows, page = [], index_pages + 1
        for number, (document, count) in enumerate(zip(documents, counts, strict=True), start=1):
            rows.append(IndexRow(number, document.title, document.doc_type, page, page + count - 1))
            page += count
        pdf = pikepdf.open(io.BytesIO(html_to_pdf(index_html(header, rows))))
        if len(pdf.pages) == index_pages:
            return pdf
        index_pages = len(pdf.pages)
    return pdf


def _visual_frame(page: pikepdf.Page) -> tuple[tuple[float, ...], float]:
    """The matrix from the page's visual (upright) frame to user space, and the visual width."""
    x0, y0, x1, y1 = (float(v) for v in page.cropbox)
    width, height = x1 - x0, y1 - y0
    rotate = int(page.obj.get("/Rotate", 0)) % 360
    if rotate == 90:
        return (0, 1, -1, 0, x1, y0), height
    if rotate == 180:
        return (-1, 0, 0, -1, x1, y1), width
    if rotate == 270:
        return (0, -1, 1, 0, x0, y1), height
    return (1, 0, 0, 1, x0, y0), width


def stamp_page(pdf: pikepdf.Pdf, page: pikepdf.Page, text: str, font: pikepdf.Dictionary) -> None:
    """Draw ``text`` (ASCII) at the visual bottom-right of ``page`` on a white label; existing content is
    wrapped in q/Q so its graphics state cannot move the stamp."""
    font_name = page.add_resource(font, pikepdf.Name.Font, prefix="CMMSStamp")
    matrix, visual_width = _visual_frame(page)
    text_width = 0.56 * STAMP_FONT_SIZE * len(text)  # Helvetica digits are 0.556 em
    x = visual_width - STAMP_MARGIN - text_width
    y = STAMP_MARGIN
    cm = " ".join(f"{v:g}" for v in matrix)
    ops = (f"Q q {cm} cm 1 g {x - 3:.2f} {y - 3:.2f} {text_width + 6:.2f} {STAMP_FONT_SIZE + 5:.2f} re f "
           f"0 g BT {font_name} {STAMP_FONT_SIZE:g} Tf {x:.2f} {y:.2f} Td ({text}) Tj ET Q").encode("ascii")
    page.contents_add(pikepdf.Stream(pdf, b"q\n"), prepend=True)
    page.contents_add(pikepdf.Stream(pdf, b"\n" + ops), prepend=False)


def assemble(header: BookHeader, documents: Sequence[BookDocument]) -> bytes:
    """The paper book as PDF bytes. Raises ``PaperBookError`` for no/too many/unreadable documents."""
    if not documents:
        raise PaperBookError("no_documents", N_("Choose at least one document for the paper book."))
    if len(documents) > MAX_DOCUMENTS:
        raise PaperBookError("too_many", N_("A paper book holds at most %(n)s documents."), n=MAX_DOCUMENTS)
    sources = [_open(d, n) for n, d in enumerate(documents, start=1)]
    try:
        index = _index_pdf(header, [len(s.pages) for s in sources], documents)
        book = pikepdf.new()
        book.pages.extend(index.pages)
        starts: list[int] = []
        for source in sources:
            starts.append(len(book.pages))
            book.pages.extend(source.pages)
        font = book.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1,
                                                     BaseFont=pikepdf.Name.Helvetica,
                                                     Encoding=pikepdf.Name.WinAnsiEncoding))
        total = len(book.pages)
        for number, page in enumerate(book.pages, start=1):
            stamp_page(book, page, f"{number} / {total}", font)
        with book.open_outline() as outline:
            outline.root.append(pikepdf.OutlineItem(N_("Index"), 0))
            for document, start in zip(documents, starts, strict=True):
                outline.root.append(pikepdf.OutlineItem(document.title[:200] or "-", start))
        book.docinfo[pikepdf.Name.Title] = f"{header.title} - {header.reference}"
        book.docinfo[pikepdf.Name.Producer] = "CMMS paper book (pikepdf)"
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()
    finally:
        for source in sources:
            source.close()
