"""Long vertical scanner streaks (dirt on the glass or the feeder) found and painted out before OCR.

A streak running down through the text makes Tesseract split the page into two columns or read the
line as ``|``, ``l`` or ``I`` inside words (a real scan, Crl.P.L.A.1055-2025: "Crirninal", "Juslice").
``clean_border`` (ocr.preprocess) whitens a streak only when it touches the image edge, and whitens the
letter strokes under it with it; this step runs first and fills the streak from its left and right
neighbours, so a horizontal stroke that crosses it (the bar of an ``e``, a ``t``, the joins of an
``m``) is joined again.

What counts as a streak (all measured on a copy reduced by a whole factor to ~STREAK_WIDTH px):
* dark, at most MAX_WIDTH_IN thick, made of straight vertical runs of at least SEGMENT of the page
  height that together cover at least MIN_COVER of it (letters, ``l``/``I``/``1`` and Urdu strokes are
  a text line high, 1/40 of a page: they never survive the opening). A run may lean by a degree or
  so (a scan the scanner's software straightened afterwards): a line is fitted through each run;
* inside the text block (the columns holding all but BLOCK_SHARE of the word-like ink on each side)
  and cutting words: in at least MIN_CROSSED of the rows there is ink right beside it on both sides.
  A page edge, the dithered frame of a photocopy or a margin rule has text on one side only and is
  left alone (the border clean-up owns the edges); so is a streak in the margin;
* not a ruling: a table's or a box's vertical line ends at horizontal lines at its top and its bottom
  (its frame). A line whose both ends come within FRAME_GAP of a horizontal line at least
  HORIZONTAL_MIN of the page width long is kept. A streak crossing underlines in its middle is still a
  streak; one that happens to run from one long horizontal rule to another is missed (kept), which is
  the safe way to be wrong. The other way round, an open table (vertical rules joined by no horizontal
  line) whose words touch its rules on both sides is taken for streaks (tests/unit/ocr/test_ocr_streaks.py).

Cost on a 300-dpi A4 page (2 shared cores, bench/README.md): the check is one horizontal erosion, a
whole-factor reduction, Otsu and one opening, 5-15 ms when nothing tall and straight is found; a
median 13 ms (max 27) on scans whose page edges or frames survive the opening and are then rejected;
painting 4-5 ms per streak. bench.ocr_accuracy prints the check's cost per page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import cv2
import numpy as np

from ocr.downscale import shrink, whole_factor

STREAK_WIDTH = 640  # px width of the detection copy (factor 4 on a 300-dpi A4 page)
SEGMENT = 0.1  # shortest straight vertical run kept by the opening, share of the page height
MIN_COVER = 1 / 3  # the runs of one line must cover this share of the page height together
MAX_WIDTH_IN = 0.04  # a streak is at most this wide (12 px at 300 dpi); wider is a shadow or a bar
MIN_CROSSED = 0.02  # share of the page's rows where ink touches the line on both sides ...
NEAR = 3  # ... within this many cells (12 px at 300 dpi)
HORIZONTAL_MIN = 0.1  # a ruling's frame: horizontal lines at least this share of the page width ...
FRAME_GAP = 0.03  # ... within this share of the page height of both ends of the vertical line
WORD_MAX_IN = 0.3  # word-like ink is at most this high (a line of 24-pt text)
BLOCK_SHARE = 0.03  # the text block: word ink columns without the outer 3 % each side
CHUNK_IN = 0.5  # rows measured together when painting (150 at 300 dpi)
# With the median (half the rows) a letter's stem beside the streak was taken with it on the real scan
# (Crl.P.L.A.1055-2025 p1 "Justice" read "Jus'ice").
DARK_SHARE = 0.8
CONTRAST = 24  # grey levels below the paper beside it that still belong to the streak (its halo)


class Run(NamedTuple):
    """A straight vertical run on the detection copy: its left column ``x`` at its top row ``y``,
    ``width`` (mean thickness, cells), ``height`` (rows) and ``slope`` (columns per row; a streak on
    a page the scanner's software straightened afterwards is tilted by that angle)."""

    x: float
    y: int
    width: int
    height: int
    slope: float

    def columns(self) -> tuple[int, int]:
        """First and last+1 column the run reaches."""
        ends = (self.x, self.x + self.slope * (self.height - 1))
        return int(np.floor(min(ends))), int(np.ceil(max(ends))) + self.width


@dataclass(frozen=True, slots=True)
class Streak:
    """One streak in full-size pixels: columns [x0, x1) at row y0, rows [y0, y1), moving ``slope``
    columns per row (0 for a streak straight down the image)."""

    x0: int
    x1: int
    y0: int
    y1: int
    slope: float = 0.0


def find_streaks(grey: np.ndarray, dpi: int = 300) -> list[Streak]:
    """Vertical streaks of ``grey`` (H x W uint8, ``dpi`` dots per inch), one per straight segment
    of each line found (a broken streak gives several); [] on most pages."""
    h, w = grey.shape
    factor = whole_factor(w, STREAK_WIDTH)
    # Minimum over each row of ``factor`` pixels first, so a streak thinner than the factor stays dark.
    thin = cv2.erode(grey, np.ones((1, factor), np.uint8)) if factor > 1 else grey
    small = shrink(thin, factor)
    _, ink = cv2.threshold(small, 0, 1, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    sh, sw = ink.shape
    segment = max(3, round(SEGMENT * sh))
    vertical = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, segment)))
    if not vertical.any():  # the usual page: nothing that tall and straight
        return []
    runs = _runs(vertical, max_width=int(np.ceil(MAX_WIDTH_IN * dpi / factor)) + 1)  # +1: the erosion
    horizontal = cv2.morphologyEx(
        ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (max(3, round(HORIZONTAL_MIN * sw)), 1))
    )
    text = (np.asarray(ink) & ~np.asarray(vertical, bool) & ~np.asarray(horizontal, bool)).astype(np.uint8)
    block = _text_block(_words(text, dpi / factor))
    streaks: list[Streak] = []
    for line in _lines(runs):
        x0, x1 = min(r.columns()[0] for r in line), max(r.columns()[1] for r in line)
        if sum(r.height for r in line) < MIN_COVER * sh or block is None or not block[0] < x0 < x1 < block[1]:
            continue
        if not _crosses_text(text, line, MIN_CROSSED * sh) or _is_ruling(horizontal, line, round(FRAME_GAP * sh)):
            continue
        streaks.extend(_full_size(run, factor, w, h, segment) for run in line)
    return streaks


def _runs(vertical: np.ndarray, max_width: int) -> list[Run]:
    """The connected parts of the opened image that are thin (mean thickness <= ``max_width`` cells),
    each with the straight line fitted through it (least squares of column on row)."""
    count, labels, stats, _ = cv2.connectedComponentsWithStats(vertical, connectivity=8)
    runs = []
    for label in range(1, count):
        x, y, cw, ch, area = (int(v) for v in stats[label])
        width = int(np.ceil(area / ch))
        if width > max_width:
            continue
        ys, xs = np.nonzero(labels[y : y + ch, x : x + cw] == label)
        slope, centre = np.polyfit(ys, xs, 1) if cw > width else (0.0, (cw - 1) / 2)
        runs.append(Run(x + float(centre) - (width - 1) / 2, y, width, ch, float(slope)))
    return runs


def _words(text: np.ndarray, cells_per_inch: float) -> np.ndarray:
    """The word-like ink of a detection copy (uint8 0/1): components a text line high at most
    (WORD_MAX_IN), 3 cells high at least and not much narrower than high. Speckle, the dithered frame
    of a photocopied page and the broken vertical junk in its margins are not words."""
    _count, labels, stats, _ = cv2.connectedComponentsWithStats(text, connectivity=8)
    heights, widths = stats[:, cv2.CC_STAT_HEIGHT], stats[:, cv2.CC_STAT_WIDTH]
    keep = (heights >= 3) & (heights <= WORD_MAX_IN * cells_per_inch) & (2 * widths >= heights)
    keep[0] = False
    return keep[labels].astype(np.uint8)


def _text_block(words: np.ndarray) -> tuple[int, int] | None:
    """Columns between which the page's words lie (BLOCK_SHARE of the word ink left out each side)."""
    columns = words.sum(axis=0, dtype=np.int64)
    total = int(columns.sum())
    if total == 0:
        return None
    cumulative = np.cumsum(columns)
    lo = int(np.searchsorted(cumulative, BLOCK_SHARE * total))
    hi = int(np.searchsorted(cumulative, (1 - BLOCK_SHARE) * total))
    return lo, hi


def _lines(runs: list[Run]) -> list[list[Run]]:
    """Runs grouped into lines: sorted by column, a run within 2 cells of the previous one's columns
    joins its line."""
    lines: list[list[Run]] = []
    for run in sorted(runs, key=lambda r: r.columns()[0]):
        if lines and run.columns()[0] <= max(r.columns()[1] for r in lines[-1]) + 2:
            lines[-1].append(run)
        else:
            lines.append([run])
    return lines


def _crosses_text(text: np.ndarray, line: list[Run], min_rows: float) -> bool:
    """Rows where ink lies within NEAR cells of the line on its left and on its right (a word it
    cuts: the letters beside a streak are broken into pieces, so any ink counts) number at least
    ``min_rows``."""
    w = text.shape[1]
    crossed = 0
    for run in line:
        rows = np.arange(run.y, run.y + run.height)
        left = np.round(run.x + run.slope * (rows - run.y)).astype(np.intp)
        right = left + run.width
        near_left = np.zeros(rows.size, bool)
        near_right = np.zeros(rows.size, bool)
        for k in range(1, NEAR + 1):
            near_left |= text[rows, np.clip(left - k, 0, w - 1)] > 0
            near_right |= text[rows, np.clip(right - 1 + k, 0, w - 1)] > 0
        crossed += int(np.sum(near_left & near_right))
    return crossed >= min_rows


def _is_ruling(horizontal: np.ndarray, line: list[Run], gap: int) -> bool:
    """Both ends of the line come within ``gap`` rows of a long horizontal line (a table's or box's
    frame), not counting the top and bottom rows of the page (an edge is no frame)."""
    h, w = horizontal.shape
    x0 = max(0, min(r.columns()[0] for r in line) - 2)
    x1 = min(w, max(r.columns()[1] for r in line) + 2)
    top, bottom = min(r.y for r in line), max(r.y + r.height for r in line)

    def framed(row: int) -> bool:
        return 2 <= row <= h - 3 and bool(horizontal[max(0, row - gap) : row + gap + 1, x0:x1].any())

    return framed(top) and framed(bottom - 1)


def _full_size(run: Run, factor: int, w: int, h: int, segment: int) -> Streak:
    """The run in full-size pixels, a cell wider each side (the erosion) and a cell longer each end;
    a tilted run also by the rows its end columns may have lost to the opening (at most a segment)."""
    extra = 1 + (min(segment, int(np.ceil(run.width / abs(run.slope)))) if abs(run.slope) > 1e-3 else 0)
    top, bottom = max(0, run.y - extra), min(-(-h // factor), run.y + run.height + extra)
    x0 = (run.x + run.slope * (top - run.y) - 1) * factor  # the line's left side at the first row
    return Streak(max(0, int(np.floor(x0))), min(w, int(np.ceil(x0 + (run.width + 2) * factor))),
                  top * factor, min(h, bottom * factor), run.slope)


def remove_streaks(grey: np.ndarray, streaks: list[Streak], dpi: int = 300) -> np.ndarray:
    """A copy of ``grey`` (H x W uint8, ``dpi`` dots per inch) with each streak's columns filled, row by
    row, by a straight blend from the pixel left of it to the pixel right of it: paper where it crossed
    paper, the stroke where it crossed a horizontal stroke. A tilted streak's rows are shifted to stand
    it upright first. Within each Streak, taken CHUNK_IN high at a time, the streak's columns are the
    run around the darkest column that is CONTRAST darker than the chunk's brightest column in
    DARK_SHARE of the rows: the dark core and its grey halo, not the stem of a letter beside it."""
    out = grey.copy()
    chunk = max(8, round(CHUNK_IN * dpi))
    for s in streaks:
        for y0 in range(s.y0, s.y1, chunk):
            _fill_rows(out, s, y0, min(s.y1, y0 + chunk), chunk // 4)
    return out


def _fill_rows(out: np.ndarray, s: Streak, y0: int, y1: int, shortest: int) -> None:
    """Fill rows [y0, y1) of streak ``s``; a chunk the streak only partly covers (at its ends) is
    tried again in halves down to ``shortest`` rows."""
    rows = np.arange(y0, y1)
    shift = np.round(s.slope * (rows - s.y0)).astype(np.intp)
    columns = s.x0 + shift[:, None] + np.arange(s.x1 - s.x0)
    if columns.min() < 1 or columns.max() > out.shape[1] - 2:  # at the image edge: border clean-up's
        return
    band = out[rows[:, None], columns]
    if _fill(band):
        out[rows[:, None], columns] = band
    elif y1 - y0 >= 2 * shortest:
        middle = (y0 + y1) // 2
        _fill_rows(out, s, y0, middle, shortest)
        _fill_rows(out, s, middle, y1, shortest)


def _fill(band: np.ndarray) -> bool:
    """Fill the streak standing upright in ``band`` (rows x columns, modified in place); False when
    no column is dark enough or the streak reaches the band's side. In each row the fill also takes
    the pixel just beside the streak when it is dark and the one beyond it is not: a tilted streak
    stood upright by whole-pixel shifts wanders by a pixel, a letter's stroke is wider than one."""
    # Each column's DARK_SHARE quantile: the column is at least that dark in DARK_SHARE of the rows.
    levels = np.percentile(band, 100 * DARK_SHARE, axis=0, method="higher")
    dark = levels < levels.max() - CONTRAST
    c0 = c1 = int(np.argmin(levels))
    if not dark[c0]:
        return False
    while c0 > 0 and dark[c0 - 1]:
        c0 -= 1
    while c1 < dark.size - 1 and dark[c1 + 1]:
        c1 += 1
    if c0 < 2 or c1 > dark.size - 3:
        return False
    pixel_dark = band < levels.max() - CONTRAST
    rows = np.arange(band.shape[0])
    left = np.where(pixel_dark[:, c0 - 1] & ~pixel_dark[:, c0 - 2], c0 - 2, c0 - 1)
    right = np.where(pixel_dark[:, c1 + 1] & ~pixel_dark[:, c1 + 2], c1 + 2, c1 + 1)
    lv, rv = band[rows, left].astype(np.float32), band[rows, right].astype(np.float32)
    j = np.arange(band.shape[1])
    t = (j - left[:, None]) / (right - left)[:, None].astype(np.float32)
    inside = (j > left[:, None]) & (j < right[:, None])
    fill = np.clip(lv[:, None] * (1 - t) + rv[:, None] * t + 0.5, 0, 255).astype(np.uint8)
    band[inside] = fill[inside]
    return True
