"""A decision date handwritten after a printed announcement line, read by machine as a SUGGESTION.

On scanned judgments the date is often written by hand on the underline after ``Announced in open
Court at Islamabad on ____`` / ``Announced on ____``; Tesseract garbles it and ``caselaw.record`` then
(rightly) gives no decision date. This module finds the announcement line in a page's OCR words (the
cue is ``announced`` of ``caselaw/data/judgment_rules.json``, as the record uses it), crops the strip to
the right of it, reads ``VARIANTS`` crops of it with the second engine (``ocr.rapid``: PP-OCR reads
handwritten digits where Tesseract does not) and parses each reading with ``caselaw.dates``. A date is
returned only when the crops agree (``agreed_date``) and it is plausible (``plausible``); otherwise
None. Precision matters far more than recall: a wrong decision date is worse than none, and every date
returned here must be shown to a librarian as a machine reading of handwriting.

Cost: ``len(VARIANTS)`` RapidOCR calls on a strip the width of the page right of the cue and ~2-3 text
lines high, 3-6 s each on the bench machine (two cores under load; RapidOCR's detector scales every strip
up to 736 px high, so a 0.5x crop costs about what a 1.5x one does). See bench/README.md.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date

import cv2
import numpy as np

from caselaw.dates import find_dates, repair_ocr_digits
from caselaw.record import unaccent
from caselaw.rules import RecordRules, load_rules
from ocr.types import Box, PageText

# (underline removed, scale): the fixed crops read, each once. The printed underline the date is
# written on joins the digits for the detector; removing it helps some hands and hurts others, and
# RapidOCR's recogniser reads the same strip differently at different sizes - so agreement across
# both and across sizes is the evidence.
VARIANTS: tuple[tuple[bool, float], ...] = (
    (False, 0.5), (False, 1.0), (False, 1.5), (True, 0.5), (True, 1.0), (True, 1.5),
)
MIN_VOTES = 4  # of the len(VARIANTS) crops must give the same date (and no other date) ...
MAX_OTHER_VOTES = 1  # ... and no other date may be given by more than this many crops
ABOVE, BELOW = 0.6, 0.9  # strip height around the printed line, in line heights (handwriting is taller)
# A line read in a crop counts only when its centre is within this many line heights of the printed
# line (handwriting sits on its underline); a typed line above or below, whose centre is ~0.9 line
# heights or more beyond it, is not read as the date.
ON_LINE = 0.5
LEFT_MARGIN = 5  # px at the OCR dpi: the strip starts just before the cue's last letter ends
PAD = 32  # px of white around each crop: the detector misses text touching the edge
UNDERLINE_MIN_LENGTH = 40  # px at the OCR dpi; a printed underline is longer than any stroke

Reader = Callable[[np.ndarray], list[tuple[str, Box]]]


@dataclass(frozen=True, slots=True)
class Anchor:
    """Where to read: ``strip`` (the region right of the cue) and ``line`` (the cue's printed line), in
    the pixels of the image the page's words were read on."""

    strip: Box
    line: Box


@dataclass(frozen=True, slots=True)
class HandwrittenDate:
    """A decision date read from handwriting: the date, how many crops gave it, the crops' readings."""

    value: date
    votes: int
    variants: int
    readings: tuple[str, ...]


def announcement_strip(page: PageText, rules: RecordRules | None = None) -> Anchor | None:
    """The region right of the page's LAST announcement cue (``Announced ... on``), in the pixels of
    the image the page's words were read on: from the end of the cue to the page's right edge, the
    cue's line height plus ``ABOVE``/``BELOW`` line heights. None when the page has no such cue or
    no word under it."""
    rules = rules or load_rules()
    text = unaccent(page.text)  # same length: one character for one
    matches = list(rules.announced.finditer(text))
    if not matches:
        return None
    cue = matches[-1]
    words = [w for w in page.words if w.char_start < cue.end() and w.char_end > cue.start()]
    if not words:
        return None
    last = max(words, key=lambda w: w.char_end)
    share = min(1.0, (cue.end() - last.char_start) / max(1, len(last.text)))
    left = max(0, last.box.left + round(last.box.width * share) - LEFT_MARGIN)
    line = [w for w in words if abs((w.box.top + w.box.bottom) - (last.box.top + last.box.bottom)) < last.box.height]
    top, bottom = min(w.box.top for w in line), max(w.box.bottom for w in line)
    height = max(1, bottom - top)
    y0 = max(0, round(top - ABOVE * height))
    y1 = min(page.height, round(bottom + BELOW * height))
    if left >= page.width - 1 or y1 <= y0:
        return None
    return Anchor(Box(left, y0, page.width - left, y1 - y0), Box(left, top, page.width - left, height))


def _grey(image: np.ndarray) -> np.ndarray:
    return image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)


def without_underline(grey: np.ndarray) -> np.ndarray:
    """A copy of ``grey`` with long horizontal dark runs (a printed underline) whitened."""
    _, ink = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    length = max(UNDERLINE_MIN_LENGTH, grey.shape[1] // 8)
    lines = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (length, 1)))
    out = grey.copy()
    out[lines > 0] = 255
    return out


def crop_variants(image: np.ndarray, strip: Box) -> list[np.ndarray]:
    """The ``VARIANTS`` crops of ``strip`` (grey, padded with white), in ``VARIANTS`` order."""
    grey = _grey(image)[strip.top:strip.bottom, strip.left:strip.right]
    plain, cleaned = grey, without_underline(grey)
    out = []
    for no_line, scale in VARIANTS:
        source = cleaned if no_line else plain
        interpolation = cv2.INTER_AREA if scale < 1 else cv2.INTER_CUBIC
        work = source if scale == 1 else cv2.resize(source, None, fx=scale, fy=scale, interpolation=interpolation)
        out.append(cv2.copyMakeBorder(work, PAD, PAD, PAD, PAD, cv2.BORDER_CONSTANT, value=255))
    return out


def on_the_line(lines: Sequence[tuple[str, Box]], anchor: Anchor, scale: float) -> str:
    """The text of the lines a crop of ``anchor.strip`` at ``scale`` (padded by ``PAD``) read whose
    vertical centre lies within ``ON_LINE`` line heights of the printed line, joined by spaces."""
    line = anchor.line
    low = (line.top - ON_LINE * line.height - anchor.strip.top) * scale + PAD
    high = (line.bottom + ON_LINE * line.height - anchor.strip.top) * scale + PAD
    return " ".join(text for text, box in lines if low <= box.top + box.height / 2 <= high)


def dates_read(text: str) -> frozenset[date]:
    """The distinct dates in one crop's reading (look-alike letters in a date's digits repaired)."""
    joined = " ".join(text.split())
    return frozenset(found.value for found in find_dates(repair_ocr_digits(joined)))


def agreed_date(readings: Sequence[frozenset[date]], min_votes: int = MIN_VOTES,
                max_other_votes: int = MAX_OTHER_VOTES) -> tuple[date | None, int]:
    """The date the crops agree on, and its votes. A crop votes for a date when it reads exactly one
    date; a crop reading two different dates votes for neither but counts against both. A date wins
    with at least ``min_votes`` votes while no other date was read by more than ``max_other_votes``
    crops. (None, votes of the best date) otherwise; (None, 0) when no crop read a date."""
    votes: Counter[date] = Counter(next(iter(r)) for r in readings if len(r) == 1)
    seen: Counter[date] = Counter(d for r in readings for d in r)
    if not votes:
        return None, 0
    ranked = votes.most_common()
    best, count = ranked[0]
    if len(ranked) > 1 and ranked[1][1] == count:
        return None, count
    others = max((n for d, n in seen.items() if d != best), default=0)
    if count < min_votes or others > max_other_votes:
        return None, count
    return best, count


def plausible(value: date, today: date, not_before: Iterable[date | None] = ()) -> bool:
    """Whether ``value`` can be the decision date: not after ``today`` (the caller's date in Asia/
    Karachi) and not before any known earlier date of the same matter (its hearing, the judgment
    appealed from)."""
    return value <= today and all(value >= earlier for earlier in not_before if earlier is not None)


def read_handwritten_date(image: np.ndarray, page: PageText, reader: Reader, *, today: date,
                          not_before: Iterable[date | None] = (),
                          rules: RecordRules | None = None) -> HandwrittenDate | None:
    """The handwritten decision date after the page's announcement line, or None (no cue, no agreement,
    not plausible). ``image``: grey or BGR uint8, the image ``page``'s words were read on (same pixels,
    ``page.width`` x ``page.height``). ``reader``: one OCR call on a crop giving its lines and their
    boxes (``ocr.rapid.read_lines``); only lines on the printed line count (``on_the_line``); its errors
    propagate (the caller decides that they must not fail a job)."""
    if image.shape[0] != page.height or image.shape[1] != page.width:
        raise ValueError(f"image is {image.shape[1]}x{image.shape[0]}, words are of {page.width}x{page.height}")
    anchor = announcement_strip(page, rules)
    if anchor is None:
        return None
    crops = crop_variants(image, anchor.strip)
    texts = tuple(on_the_line(reader(crop), anchor, scale) for crop, (_, scale) in zip(crops, VARIANTS, strict=True))
    value, votes = agreed_date([dates_read(t) for t in texts])
    if value is None or not plausible(value, today, not_before):
        return None
    return HandwrittenDate(value, votes, len(texts), texts)
