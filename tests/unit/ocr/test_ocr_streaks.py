"""Vertical scanner streaks (ocr.streaks) on synthetic pages: Hershey-font text at ~200 dpi drawn with
OpenCV, like tests/unit/ocr/test_ocr_preprocess.py. The real case is Crl.P.L.A.1055-2025 (a 4-px dark
line from the top of the page to the bottom, through the first letters of every line)."""

import itertools
from pathlib import Path

import cv2
import numpy as np
import pytest

from ocr.preprocess import PreprocessOptions, preprocess
from ocr.streaks import find_streaks, remove_streaks

DPI = 200
ONLY_STREAKS = PreprocessOptions(orientation=False, deskew=False, denoise=False, binarise=False,
                                 border_cleanup=False)
WORDS = ["appeal", "bail", "section", "accused", "court", "learned", "counsel", "the", "of", "FIR"]
NASKH = Path("/usr/share/fonts/truetype/noto/NotoNaskhArabic-Regular.ttf")


def text_page(width: int = 1700, height: int = 2200, left: int = 150, lines: int = 40) -> np.ndarray:
    page = np.full((height, width), 255, np.uint8)
    rng = np.random.default_rng(7)
    for i in range(lines):
        text = " ".join(rng.choice(WORDS, 9))
        cv2.putText(page, text, (left, 200 + i * 45), cv2.FONT_HERSHEY_SIMPLEX, 1.1, 0, 2, cv2.LINE_AA)
    return page


PAGE = text_page()
STREAK = slice(600, 603)  # 3 px: crosses words on most lines


def with_streak(page: np.ndarray, columns: slice = STREAK, rows: slice = slice(60, 2140)) -> np.ndarray:
    out = page.copy()
    out[rows, columns] = 40
    return out


def test_streak_through_text_is_removed_and_recorded() -> None:
    page = with_streak(PAGE)
    prepared = preprocess(page, ONLY_STREAKS, dpi=DPI)
    assert "streak_removal" in prepared.steps
    out = prepared.image
    blank_rows = np.ones(PAGE.shape[0], bool)
    blank_rows[(PAGE < 200).any(axis=1)] = False
    assert out[60:2140][blank_rows[60:2140], STREAK].min() >= 250  # between text lines: paper again
    # Under the words the streak is filled from both sides: about as much ink as the clean page has
    # there (horizontal strokes joined), not a dark column.
    ink_after = (out[:, STREAK] < 128).mean()
    assert ink_after <= (PAGE[:, STREAK] < 128).mean() + 0.02
    # The letters beside the streak are not touched.
    beside = np.r_[400:STREAK.start - 1, STREAK.stop + 1 : 800]
    assert np.array_equal(out[:, beside], page[:, beside])


def test_streak_reaching_the_page_edges_keeps_the_letters_it_crosses() -> None:
    """The full preprocessing: the streak goes before the border clean-up can whiten the whole column
    (and with it the letter strokes under it)."""
    page = with_streak(PAGE, rows=slice(0, PAGE.shape[0]))
    prepared = preprocess(page, PreprocessOptions(orientation=False), dpi=DPI)
    assert "streak_removal" in prepared.steps
    assert (prepared.image[:, STREAK] < 128).mean() > 0.3 * (PAGE[:, STREAK] < 128).mean()
    assert (prepared.image[:, STREAK] < 128).mean() <= (PAGE[:, STREAK] < 128).mean() + 0.02


@pytest.mark.parametrize("gaps", [False, True])
@pytest.mark.parametrize("tilt", [0.5, 1.0])
def test_slightly_tilted_or_broken_streak_is_removed(tilt: float, gaps: bool) -> None:
    """A scan straightened by the scanner's software tilts its streaks by the same angle."""
    drawn = np.zeros(PAGE.shape, bool)
    for y in range(60, 2140):
        if gaps and (y // 300) % 4 == 3:  # a gap of 300 px every 1,200
            continue
        x = 600 + round((y - 60) * np.tan(np.radians(tilt)))
        drawn[y, x : x + 3] = True
    page = np.where(drawn, 40, PAGE).astype(np.uint8)
    streaks = find_streaks(page, DPI)
    assert streaks
    out = remove_streaks(page, streaks, DPI)
    on_paper = drawn & (PAGE >= 200)  # where the streak crossed paper
    assert (out[on_paper] < 128).mean() < 0.08  # still dark there (straight down: 0.015)


def test_page_without_lines_is_unchanged() -> None:
    assert find_streaks(PAGE, DPI) == []
    prepared = preprocess(PAGE, ONLY_STREAKS, dpi=DPI)
    assert "streak_removal" not in prepared.steps
    assert np.array_equal(prepared.image, PAGE)


def test_switched_off_leaves_the_streak() -> None:
    page = with_streak(PAGE)
    prepared = preprocess(page, PreprocessOptions(orientation=False, deskew=False, streak_removal=False), dpi=DPI)
    assert "streak_removal" not in prepared.steps
    assert np.array_equal(prepared.image, page)


def table_page(gap: int, *, ruled_rows: bool = True) -> np.ndarray:
    """A ruled table of 4 columns and 24 rows (its vertical lines span 60 % of the page); in each cell
    a word starts ``gap`` px after the left ruling and another ends ``gap`` px before the right one."""
    page = np.full((2200, 1700), 255, np.uint8)
    columns = [150, 500, 850, 1200, 1550]
    top, bottom, pitch = 400, 1720, 55
    for x in columns:
        cv2.line(page, (x, top), (x, bottom), 0, 3)
    for y in range(top, bottom + 1, pitch) if ruled_rows else ():
        cv2.line(page, (columns[0], y), (columns[-1], y), 0, 3)
    rng = np.random.default_rng(11)
    font, scale = cv2.FONT_HERSHEY_SIMPLEX, 1.0
    for row in range(top, bottom - pitch + 1, pitch):
        for x, next_x in itertools.pairwise(columns):
            first, last = rng.choice(WORDS, 2)
            cv2.putText(page, first, (x + gap, row + 40), font, scale, 0, 2, cv2.LINE_AA)
            width = cv2.getTextSize(last, font, scale, 2)[0][0]
            cv2.putText(page, last, (next_x - gap - width, row + 40), font, scale, 0, 2, cv2.LINE_AA)
    return page


@pytest.mark.parametrize("gap", [12, 3])  # 3 px: a cramped table, words on both sides of each ruling
def test_ruled_table_is_left_alone(gap: int) -> None:
    page = table_page(gap)
    assert find_streaks(page, DPI) == []
    assert np.array_equal(preprocess(page, ONLY_STREAKS, dpi=DPI).image, page)


def test_open_table_without_frame_is_taken_for_streaks() -> None:
    """The documented limit of the ruling rule: vertical lines that no horizontal line joins, with
    words right against both sides, look like streaks."""
    assert find_streaks(table_page(3, ruled_rows=False), DPI)


def test_box_around_text_is_left_alone() -> None:
    page = text_page(lines=34)
    cv2.rectangle(page, (140, 150), (1620, 1740), 0, 3)  # a form's frame, text right against its left side
    page[150:1740, 143:152] = np.minimum(page[150:1740, 143:152], PAGE[150:1740, 150:159])
    assert find_streaks(page, DPI) == []


def test_letters_in_a_column_are_kept() -> None:
    """l, I, 1 and | stacked at the same x on every line: tall strokes, but each one a text line high."""
    page = np.full((2200, 1700), 255, np.uint8)
    for i in range(36):
        cv2.putText(page, "lIl1 |Il1 l1Il court", (150, 200 + i * 52), cv2.FONT_HERSHEY_SIMPLEX, 1.8, 0, 3)
    assert find_streaks(page, DPI) == []


def test_margin_rule_and_page_edge_are_left_alone() -> None:
    """A rule in the left margin (text on one side only) and a dark page edge: the border clean-up's."""
    page = PAGE.copy()
    page[60:2140, 90:93] = 40  # margin rule, 57 px left of the text
    page[:, 1680:] = 30  # the edge of the photocopy
    assert find_streaks(page, DPI) == []


def test_margin_rule_with_line_numbers_is_left_alone() -> None:
    """Pleading paper: line numbers left of a margin rule, the text right against it. The rule cuts
    no word, but has ink on both sides on the numbered lines; it lies outside the text block."""
    page = text_page(left=94)
    for i in range(4, 40, 5):
        number = str(i + 1)
        width = cv2.getTextSize(number, cv2.FONT_HERSHEY_SIMPLEX, 1.1, 2)[0][0]
        cv2.putText(page, number, (87 - width, 200 + i * 45), cv2.FONT_HERSHEY_SIMPLEX, 1.1, 0, 2, cv2.LINE_AA)
    page[60:2140, 90:93] = 40
    assert find_streaks(page, DPI) == []


def test_urdu_strokes_are_kept_and_a_streak_through_them_removed() -> None:
    assert NASKH.exists(), f"{NASKH} missing: scripts/setup.sh installs fonts-noto-core"
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("L", (1700, 2200), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(str(NASKH), 40)
    line = "ملزم کی ضمانت کی درخواست منظور کی جاتی ہے اور عدالت نے حکم دیا"
    for i in range(30):
        draw.text((1550, 150 + i * 62), line, font=font, fill=0, anchor="ra")
    page = np.asarray(image).copy()
    assert find_streaks(page, DPI) == []
    streaked = with_streak(page, columns=slice(900, 903))
    prepared = preprocess(streaked, ONLY_STREAKS, dpi=DPI)
    assert "streak_removal" in prepared.steps
    assert (prepared.image[:, 900:903] < 128).mean() <= (page[:, 900:903] < 128).mean() + 0.02


def test_wide_bar_is_not_a_streak() -> None:
    """A 30-px black bar down the page (a redaction, a shadow) is more than MAX_WIDTH_IN wide."""
    page = PAGE.copy()
    page[60:2140, 600:630] = 0
    assert find_streaks(page, DPI) == []
