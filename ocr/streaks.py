"""Long vertical scanner streaks (dirt on the glass or the feeder) found and painted out before OCR.

A streak running down through the text makes Tesseract split the page into two columns or read the
line as ``|``, ``l`` or ``I`` inside words (a real scan, Crl.P.L.A.1055-2025: "Crirninal", "Juslice").
``clean_border`` (ocr.preprocess) whitens a streak only when it touches the image edge, and whitens the
letter strokes under it with it; this step runs first and fills the streak from its left and right
neighbours, so a horizontal stroke that crosses it (the bar of an ``e``, a ``t``, the joins of an
``m``) is joined again.

What counts as a streak (all measured on a copy reduced by a whole factor to ~STREAK_WIDTH px):
* dark, at most MAX_WIDTH_IN wide, made of straight vertical runs of at least SEGMENT of the page
  height that together cover at least MIN_COVER of it (letters, ``l``/``I``/``1`` and Urdu strokes are
  a text line high, 1/40 of a page: they never survive the opening);
* crossing words: in at least MIN_CROSSED rows there is ink right beside the line on both sides. A
  page edge, the edge of a photocopy or a margin rule has text on one side only and is left alone (the
  border clean-up owns the edges);
* not a ruling: a table's or a box's vertical line ends at horizontal lines at its top and its bottom
  (its frame). A line whose both ends meet a horizontal line at least HORIZONTAL_MIN of the page width
  long is kept. A streak crossing underlines in its middle is still a streak; one that happens to run
  from one long horizontal rule to another is missed (kept), which is the safe way to be wrong.

Cost: the no-streak check is one horizontal erosion, a whole-factor reduction, Otsu and one opening:
~7-10 ms on a 300-dpi A4 page (bench.ocr_accuracy prints it per page).
"""

from __future__ import annotations

from dataclasses import dataclass

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
CONTRAST = 24  # grey levels below the paper beside it that still belong to the streak (its halo)


Part = tuple[int, int, int, int]  # x, y, width, height of a vertical run on the detection copy


@dataclass(frozen=True, slots=True)
class Streak:
    """One streak in full-size pixels: columns [x0, x1) and rows [y0, y1) it is painted over in."""

    x0: int
    x1: int
    y0: int
    y1: int


def find_streaks(grey: np.ndarray, dpi: int = 300) -> list[Streak]:
    """Vertical streaks of ``grey`` (H x W uint8, ``dpi`` dots per inch), one per straight segment
    of each line found (a broken or slightly tilted streak gives several); [] on most pages."""
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
    count, _labels, stats, _ = cv2.connectedComponentsWithStats(vertical, connectivity=8)
    max_width = int(np.ceil(MAX_WIDTH_IN * dpi / factor)) + 1  # +1: the erosion widens by a cell
    parts: list[Part] = [(int(x), int(y), int(cw), int(ch)) for x, y, cw, ch, _ in stats[1:count]
                         if cw <= max_width]
    horizontal = cv2.morphologyEx(
        ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (max(3, round(HORIZONTAL_MIN * sw)), 1))
    )
    text = (np.asarray(ink) & ~np.asarray(vertical, bool) & ~np.asarray(horizontal, bool)).astype(np.uint8)
    words = _words(text, dpi / factor)
    block = _text_block(words)
    streaks: list[Streak] = []
    for line in _lines(parts):
        x0, x1 = min(p[0] for p in line), max(p[0] + p[2] for p in line)
        if sum(p[3] for p in line) < MIN_COVER * sh or block is None or not block[0] < x0 < x1 < block[1]:
            continue
        if not _crosses_text(text, line, MIN_CROSSED * sh) or _is_ruling(horizontal, line, round(FRAME_GAP * sh)):
            continue
        streaks.extend(_full_size(part, factor, w, h) for part in line)
    return streaks


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


def _lines(parts: list[Part]) -> list[list[Part]]:
    """Runs grouped into lines: sorted by column, a run within 2 cells of the previous one's columns
    joins its line (a tilt of 1 degree moves a streak ~2 cells per run)."""
    lines: list[list[Part]] = []
    for part in sorted(parts, key=lambda p: p[0]):
        if lines and part[0] <= max(p[0] + p[2] for p in lines[-1]) + 2:
            lines[-1].append(part)
        else:
            lines.append([part])
    return lines


def _crosses_text(text: np.ndarray, line: list[Part], min_rows: float) -> bool:
    """Rows where ink lies within NEAR cells of the line on its left and on its right (a word it
    cuts: the letters beside a streak are broken into pieces, so any ink counts) number at least
    ``min_rows``."""
    w = text.shape[1]
    crossed = 0
    for x, y, cw, ch in line:
        left = text[y : y + ch, max(0, x - NEAR) : x].any(axis=1)
        right = text[y : y + ch, x + cw : min(w, x + cw + NEAR)].any(axis=1)
        crossed += int(np.sum(left & right))
    return crossed >= min_rows


def _is_ruling(horizontal: np.ndarray, line: list[Part], gap: int) -> bool:
    """Both ends of the line come within ``gap`` rows of a long horizontal line (a table's or box's
    frame), not counting the top and bottom rows of the page (an edge is no frame)."""
    h, w = horizontal.shape
    x0 = max(0, min(p[0] for p in line) - 2)
    x1 = min(w, max(p[0] + p[2] for p in line) + 2)
    top, bottom = min(p[1] for p in line), max(p[1] + p[3] for p in line)

    def framed(row: int) -> bool:
        return 2 <= row <= h - 3 and bool(horizontal[max(0, row - gap) : row + gap + 1, x0:x1].any())

    return framed(top) and framed(bottom - 1)


def _full_size(part: Part, factor: int, w: int, h: int) -> Streak:
    x, y, cw, ch = part
    return Streak(max(0, (x - 1) * factor), min(w, (x + cw + 1) * factor),
                  max(0, (y - 1) * factor), min(h, (y + ch + 1) * factor))


def remove_streaks(grey: np.ndarray, streaks: list[Streak], dpi: int = 300) -> np.ndarray:
    """A copy of ``grey`` (H x W uint8, ``dpi`` dots per inch) with each streak's columns filled, row by
    row, by a straight blend from the pixel left of it to the pixel right of it: paper where it crossed
    paper, the stroke where it crossed a horizontal stroke. Within each Streak box, taken CHUNK_IN
    high at a time (a tilted streak moves ~2 px per chunk at 1 degree), the streak's columns are the run
    around the darkest column whose median is CONTRAST darker than the chunk's brightest column (the
    dark core and its grey halo; a letter stroke beside it is dark in under half the rows)."""
    out = grey.copy()
    chunk = max(8, round(CHUNK_IN * dpi))
    for s in streaks:
        for y0 in range(s.y0, s.y1, chunk):
            _fill(out, s.x0, s.x1, y0, min(s.y1, y0 + chunk))
    return out


def _fill(out: np.ndarray, x0: int, x1: int, y0: int, y1: int) -> None:
    medians = np.median(out[y0:y1, x0:x1], axis=0)
    dark = medians < medians.max() - CONTRAST
    if not dark.any():
        return
    c0 = c1 = int(np.argmin(medians))
    while c0 > 0 and dark[c0 - 1]:
        c0 -= 1
    while c1 < dark.size - 1 and dark[c1 + 1]:
        c1 += 1
    left, right = x0 + c0 - 1, x0 + c1 + 1
    if left < 0 or right >= out.shape[1]:  # at the image edge: border clean-up's business
        return
    lv = out[y0:y1, left].astype(np.float32)
    rv = out[y0:y1, right].astype(np.float32)
    t = np.arange(1, right - left, dtype=np.float32) / (right - left)
    out[y0:y1, left + 1 : right] = np.clip(lv[:, None] * (1 - t) + rv[:, None] * t + 0.5, 0, 255).astype(np.uint8)
