"""Born-digital PDF pages per second: text layer with word boxes, pdfplumber vs pypdfium2.

    .venv/bin/python -m bench.born_digital [--quick]

Corpus: ../shared/corpus/pk-supreme-court/digital/ (24 real judgments). Per page:
* ``ocr.pdf.read_text_layer`` (pypdfium2: per-character boxes joined into words, the quality verdict
  and language guess: what the pipeline really runs);
* pypdfium2 plain ``get_text_bounded`` (text only; the floor);
* pdfplumber ``extract_words`` (words with boxes) then ``page.close()`` (as its memory advice says).
Every library opens each PDF once per run, as a per-document job would.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium

from config import shared_dir
from ocr.pdf import read_text_layer

DIGITAL = shared_dir() / "corpus" / "pk-supreme-court" / "digital"


def pipeline_pdfium(pdf: Path, pages: int) -> int:
    words = 0
    for index in range(pages):
        words += len(read_text_layer(pdf, index, 300).page_text.words)
    return words


def plain_pdfium(pdf: Path, pages: int) -> int:
    doc = pdfium.PdfDocument(str(pdf))
    try:
        chars = 0
        for index in range(pages):
            page = doc[index]
            textpage = page.get_textpage()
            chars += len(textpage.get_text_bounded())
            textpage.close()
            page.close()
        return chars
    finally:
        doc.close()


def plumber_words(pdf: Path, pages: int) -> int:
    words = 0
    with pdfplumber.open(str(pdf)) as doc:
        for index in range(pages):
            page = doc.pages[index]
            words += len(page.extract_words())
            page.close()
    return words


def measure(fn: Callable[[Path, int], int], docs: Sequence[tuple[Path, int]]) -> tuple[float, int]:
    started = time.perf_counter()
    total = sum(fn(pdf, pages) for pdf, pages in docs)
    return time.perf_counter() - started, total


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="5 PDFs, at most 5 pages each")
    args = parser.parse_args(argv)
    pdfs = sorted(DIGITAL.glob("*.pdf"))
    docs = []
    for pdf in pdfs[:5] if args.quick else pdfs:
        with pdfium.PdfDocument(str(pdf)) as doc:
            docs.append((pdf, min(len(doc), 5) if args.quick else len(doc)))
    n_pages = sum(p for _, p in docs)
    print(f"{len(docs)} born-digital judgments, {n_pages} pages")
    rates = {}
    for name, fn in (
        ("pypdfium2 plain text (floor)", plain_pdfium),
        ("pipeline read_text_layer (pdfium words+boxes+verdict)", pipeline_pdfium),
        ("pdfplumber extract_words + page.close()", plumber_words),
    ):
        measure(fn, docs[:1])  # warm-up: imports, file cache
        seconds, total = measure(fn, docs)
        rates[name] = n_pages / seconds
        print(f"  {name:55s} {seconds:7.2f} s  {n_pages / seconds:8.1f} pages/s  ({total} words/chars)")
    speedup = rates["pipeline read_text_layer (pdfium words+boxes+verdict)"] / rates[
        "pdfplumber extract_words + page.close()"]
    print(f"pipeline (pypdfium2) vs pdfplumber, both with word boxes: {speedup:.1f}x faster")


if __name__ == "__main__":
    main()
