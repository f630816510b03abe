"""The handwritten decision date read by real OCR on two development scans of the corpus
(``../shared/corpus/pk-supreme-court/scanned``, public judgments; licence note in its SOURCES.md).

Each page is rendered at 300 dpi (the pipeline's OCR dpi) and the band of 300-400 px around its
announcement line is read by Tesseract for the word boxes, as the page reader gives them; the strip after
the cue is then read by RapidOCR (``caselaw.handwritten_date``). The dates were checked on the page
images when the gold set was annotated (``bench/data/judgment_records_gold.json``, dev split):

* Crl.P.L.A.490-2019, page 8: "ANNOUNCED IN OPEN COURT AT LAHORE ON 01-11-2019", place and date
  handwritten; Tesseract reads "ONOI=M-2014" (a wrong year), RapidOCR "ONO1-11-2019" on every crop.
* C.A.1286-2018, page 3: "Announced on 20.12.2019" handwritten on the underline; no engine reads the
  leading "2" ("0.12 201 6y"), so the crops cannot agree and no date is given.
"""

from __future__ import annotations

from datetime import date

import pytest

from caselaw.handwritten_date import HandwrittenDate, read_handwritten_date
from config import shared_dir
from ocr import rapid
from ocr.pdf import render_page
from ocr.tesseract import ocr_image

pytestmark = [pytest.mark.tesseract, pytest.mark.slow]

SCANS = shared_dir() / "corpus" / "pk-supreme-court" / "scanned"
TODAY = date(2026, 12, 2)


def _read(name: str, page_no: int, rows: tuple[int, int]) -> HandwrittenDate | None:
    path = SCANS / name
    if not path.exists():
        pytest.skip(f"corpus file missing: {path}")
    band = render_page(path, page_no - 1, 300)[rows[0]:rows[1]]
    words = ocr_image(band, "eng", 120, page_no, 300)
    return read_handwritten_date(band, words, rapid.read_lines, today=TODAY,
                                 not_before=(date(2019, 3, 25),))  # the judgment appealed from


def test_a_handwritten_date_all_crops_agree_on() -> None:
    found = _read("judgement_Crl.P.L.A.490-2019.pdf", 8, (1250, 1650))
    assert found is not None
    assert found.value == date(2019, 11, 1)
    assert found.votes >= 4


def test_no_date_where_the_crops_cannot_agree() -> None:
    assert _read("judgement_C.A.1286-2018.pdf", 3, (2900, 3200)) is None
