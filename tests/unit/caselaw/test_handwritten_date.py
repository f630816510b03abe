"""The handwritten decision date's rules without OCR: which crops' readings agree on a date, which dates
are plausible, where the strip after the announcement line is, and the whole reader with a scripted
engine. (Real OCR on corpus pages: tests/integration/test_handwritten_date.py.)"""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from caselaw.handwritten_date import (
    MIN_VOTES,
    VARIANTS,
    Anchor,
    agreed_date,
    announcement_strip,
    dates_read,
    on_the_line,
    plausible,
    read_handwritten_date,
)
from ocr.layout import RawWord, join_words
from ocr.types import Box, PageText, TextSource

D1, D2 = date(2019, 11, 1), date(2019, 11, 7)
NONE: frozenset[date] = frozenset()


def _r(*dates: date) -> frozenset[date]:
    return frozenset(dates)


@pytest.mark.parametrize(("readings", "expected"), [
    # the crops of Crl.P.L.A.490-2019's page 8: all six read "ONO1-11-2019"
    ([_r(D1)] * 6, (D1, 6)),
    ([_r(D1)] * 4 + [NONE] * 2, (D1, 4)),                     # a clear majority, the rest unreadable
    ([_r(D1)] * 4 + [_r(D2)] + [NONE], (D1, 4)),              # one crop misread: outvoted
    ([_r(D1)] * 3 + [NONE] * 3, (None, 3)),                   # half is not enough
    ([_r(D1)] * 4 + [_r(D2)] * 2, (None, 4)),                 # another date read twice: doubtful
    ([_r(D1)] * 3 + [_r(D2)] * 3, (None, 3)),                 # a tie
    ([_r(D1)] * 4 + [_r(D1, D2)] * 2, (None, 4)),             # two crops read both dates: D2 seen twice
    ([_r(D1)] * 5 + [_r(D1, D2)], (D1, 5)),                   # ... once is tolerated
    ([NONE] * 6, (None, 0)),                                  # C.A.1286-2018: no crop reads a date
    ([], (None, 0)),
])
def test_agreement(readings: list[frozenset[date]], expected: tuple[date | None, int]) -> None:
    assert agreed_date(readings) == expected


def test_agreement_thresholds_are_parameters() -> None:
    assert agreed_date([_r(D1)] * 3, min_votes=3) == (D1, 3)
    assert agreed_date([_r(D1)] * 5 + [_r(D2)], max_other_votes=0) == (None, 5)
    assert len(VARIANTS) < 2 * MIN_VOTES  # a majority of the crops, never half


TODAY = date(2026, 12, 2)


@pytest.mark.parametrize(("value", "earlier", "expected"), [
    (date(2019, 12, 20), (date(2019, 10, 9), date(2016, 12, 14)), True),  # after hearing and impugned judgment
    (date(2019, 10, 9), (date(2019, 10, 9),), True),                      # decided at the hearing
    (date(2019, 10, 8), (date(2019, 10, 9),), False),                     # before the hearing
    (date(2016, 12, 13), (None, date(2016, 12, 14)), False),              # before the judgment appealed from
    (date(2026, 12, 3), (), False),                                       # in the future
    (TODAY, (None, None), True),
])
def test_plausibility(value: date, earlier: tuple[date | None, ...], expected: bool) -> None:
    assert plausible(value, TODAY, earlier) is expected


@pytest.mark.parametrize(("text", "expected"), [
    ("ATLAHOREONO1-11-2019. wis 1π MD", {D1}),        # RapidOCR's reading of 490-2019
    ("AT LAHORE ON Ol-11-2019.", {D1}),               # look-alike letters in the day
    ("TLAHOREONOl-11-2019.", set()),                  # ... only in a run that stands alone
    ("0.12 201 6y HHon'E", set()),                    # C.A.1286-2018: the leading "2" lost
    ("n0.12201965", set()),
    ("01-11-2019 and 07.11.2019", {D1, D2}),
    ("", set()),
])
def test_dates_read(text: str, expected: set[date]) -> None:
    assert dates_read(text) == expected


def _page(lines: list[list[tuple[str, int, int]]], width: int = 2000, height: int = 600) -> PageText:
    """A page of words (text, left, top) on lines of 40 px high words, 20 px per letter."""
    raw = [RawWord(text, Box(left, top, 20 * len(text), 40), 90.0, (0,), (n,))
           for n, line in enumerate(lines) for text, left, top in line]
    text, words = join_words(raw)
    return PageText(page_no=3, text=text, words=words, mean_confidence=90.0, source=TextSource.OCR,
                    engine="tesseract", engine_version="5", language="eng", width=width, height=height, dpi=300,
                    rotation=0, skew_angle=None, preprocessing=(), needs_review=False, duration_ms=0)


ANNOUNCED = [[("Islamabad,", 100, 100), ("the", 320, 100)],
             [("Announced", 100, 300), ("on", 320, 300), ("O", 400, 300), ("'as", 440, 300), ("220/", 520, 300)]]


def test_the_strip_starts_after_the_cue_and_spans_the_line() -> None:
    anchor = announcement_strip(_page(ANNOUNCED))
    assert anchor is not None
    strip = anchor.strip
    assert (anchor.line.top, anchor.line.bottom) == (300, 340)
    assert strip.left == 320 + 40 - 5  # the end of "on", less a margin
    assert strip.right == 2000
    assert strip.top == 300 - 24 and strip.bottom == 340 + 36  # 0.6 line heights above, 0.9 below


def test_the_strip_of_an_accented_cue_and_none_without_a_cue() -> None:
    accented = _page([[("ANNOUNCÈD", 100, 300), ("IN", 320, 300), ("OPEN", 380, 300), ("COURT", 480, 300),
                       ("AT", 600, 300), ("LAHOREONOL-1-Zo9.", 660, 300)]])
    anchor = announcement_strip(accented)
    assert anchor is not None and anchor.strip.left == 480 + 100 - 5
    assert announcement_strip(_page([[("Islamabad,", 100, 100), ("the", 320, 100)]])) is None


ANCHOR = Anchor(strip=Box(355, 276, 1645, 100), line=Box(355, 300, 1645, 40))


@pytest.mark.parametrize(("scale", "centres", "expected"), [
    (1.0, [320 - 276 + 32], "date"),           # on the printed line
    (1.0, [300 - 20 - 276 + 32], "date"),      # half a line height above it: still on it
    (1.0, [340 + 36 - 276 + 32], ""),          # the next typed line's centre, 0.9 line heights below
    (1.0, [300 - 36 - 276 + 32], ""),          # ... or above
    (0.5, [round((320 - 276) * 0.5) + 32], "date"),  # centres are mapped through the crop's scale
])
def test_only_lines_on_the_printed_line_count(scale: float, centres: list[int], expected: str) -> None:
    lines = [("date", Box(0, centre - 10, 100, 20)) for centre in centres]
    assert on_the_line(lines, ANCHOR, scale) == expected


class Scripted:
    """An OCR engine that answers each crop with the next scripted reading."""

    def __init__(self, readings: list[str]) -> None:
        self.readings = list(readings)
        self.crops: list[np.ndarray] = []

    def __call__(self, crop: np.ndarray) -> list[tuple[str, Box]]:
        self.crops.append(crop)  # one line as high as the crop: its centre is on the printed line
        return [(self.readings.pop(0), Box(0, 0, crop.shape[1], crop.shape[0]))]


IMAGE = np.full((600, 2000), 255, np.uint8)


def test_the_reader_returns_an_agreed_plausible_date() -> None:
    engine = Scripted(["ONO1-11-2019."] * 5 + ["0N0l-1l-20l9"])  # the last crop unreadable
    found = read_handwritten_date(IMAGE, _page(ANNOUNCED), engine, today=TODAY, not_before=(date(2019, 10, 9),))
    assert found is not None and (found.value, found.votes, found.variants) == (D1, 5, len(VARIANTS))
    assert len(engine.crops) == len(VARIANTS)
    assert all(crop.ndim == 2 for crop in engine.crops)


@pytest.mark.parametrize("readings", [
    ["ONO1-11-2019."] * 3 + ["n0.12201965"] * 3,       # no majority
    ["ONO1-11-2019."] * 4 + ["07.11.2019"] * 2,        # a conflicting date read twice
])
def test_the_reader_gives_none_without_agreement(readings: list[str]) -> None:
    assert read_handwritten_date(IMAGE, _page(ANNOUNCED), Scripted(readings), today=TODAY) is None


def test_the_reader_gives_none_for_an_implausible_date() -> None:
    engine = Scripted(["01-11-2019"] * 6)
    assert read_handwritten_date(IMAGE, _page(ANNOUNCED), engine, today=TODAY,
                                 not_before=(date(2019, 12, 5),)) is None  # before the hearing
    assert read_handwritten_date(IMAGE, _page(ANNOUNCED), Scripted(["01-11-2027"] * 6), today=TODAY) is None


def test_the_reader_reads_nothing_on_a_page_without_the_cue() -> None:
    engine = Scripted([])
    assert read_handwritten_date(IMAGE, _page([[("Islamabad,", 100, 100)]]), engine, today=TODAY) is None
    assert engine.crops == []


def test_the_image_must_be_the_one_the_words_were_read_on() -> None:
    with pytest.raises(ValueError, match="words are of 2000x600"):
        read_handwritten_date(IMAGE[:300], _page(ANNOUNCED), Scripted([]), today=TODAY)
