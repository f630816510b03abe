"""Measured signals that decide, per page, whether a reading can be trusted or a second one is due,
and which of two readings to keep (issue 9, kinds 3 and 4).

Cheap signals first: the word count against the page's ink (``estimated_words``, ~20 ms), the mean
confidence, and the share of dictionary words. Only when they say the reading is weak does the page
reader pay for a second reading (plain Tesseract on the untouched image, then RapidOCR), and it keeps
the reading with the higher ``score``, an engine-neutral measure (Tesseract's and RapidOCR's
confidences are not on one scale; real words are).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

import cv2
import numpy as np

from ocr.downscale import analysis_copy
from ocr.lexicon import lexicon, lexicon_rate
from ocr.types import PageText

LETTERS_PER_WORD = 6.0  # letter-widths per word incl. its space (estimate/truth 0.9-1.05 on 15 judgment renderings)
# Thresholds measured with bench.ocr_guard_calibration (40 real scanned judgment pages, 30 rendered
# pages whose truth is known): where a second reading helps, and where it only costs.
MIN_CONFIDENCE = 70.0  # mean word confidence under this makes a Latin reading weak (real scans: >= 77;
# a heavy photo that RapidOCR reads far better: 67.7)
MIN_LEXICON_RATE = 0.60  # share of 2+-letter tokens found in the lexicon (real scans >= 0.79; a list of
# parties, mostly names, 0.48: RapidOCR reads it better)
MIN_WORD_SHARE = 0.55  # words read / words the ink suggests (every page where plain Tesseract read
# more had under 0.55, bar a list of parties caught by the lexicon)
ARABIC_MIN_WORD_RATE = 0.12  # Urdu/Pashto word share (ocr.lexicon.arabic_word_rate) under this: weak
# (upright Urdu/Pashto pages 0.15-0.55; upside down or not Arabic script at all 0.00-0.08)
MIN_EXPECTED = 30  # a page with less ink than this many words says nothing about missing words
DISAGREEMENT = 0.5  # bag-of-words overlap under this between two readings: engines disagree
_TOKEN = re.compile(r"\w+", re.UNICODE)
# Two- and three-letter words that English prose and judgments use often enough to count in a score.
SHORT_WORDS = frozenset({
    "an", "as", "at", "be", "by", "do", "he", "if", "in", "is", "it", "me", "my", "no", "of", "on",
    "or", "so", "to", "up", "us", "we", "mr", "all", "and", "any", "are", "but", "can", "did", "for",
    "had", "has", "her", "him", "his", "its", "may", "not", "now", "one", "our", "out", "own", "per",
    "she", "the", "two", "was", "who", "why", "yet", "you", "act", "law", "sub", "fir", "ppc", "crl",
})


def estimated_words(grey: np.ndarray, small: np.ndarray | None = None) -> int:
    """Words the page's ink suggests: letter-sized dark components / LETTERS_PER_WORD.

    Components are counted on an adaptive-threshold copy of ``ocr.downscale.analysis_copy`` (about
    ``ANALYSIS_WIDTH`` wide after a 3x3 median: speckle is not letters); pass ``small`` when the
    caller has that copy already. Letter-sized means 3..40 px tall there and not a long rule."""
    if small is None:
        small = analysis_copy(grey)
    binary = cv2.adaptiveThreshold(small, 1, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 25, 12)
    count, _, stats, _ = cv2.connectedComponentsWithStats(binary, connectivity=8)
    if count <= 1:
        return 0
    heights = stats[1:, cv2.CC_STAT_HEIGHT]
    widths = stats[1:, cv2.CC_STAT_WIDTH]
    areas = stats[1:, cv2.CC_STAT_AREA]
    glyphs = (heights >= 3) & (heights <= 40) & (areas >= 6)
    if not glyphs.any():
        return 0
    x_height = float(np.median(heights[glyphs]))
    # At low resolution letters of a word touch and become one component: count its width in letters.
    per_component = np.maximum(1.0, widths[glyphs] / (0.6 * x_height))
    per_component = per_component[per_component <= 25]  # rules and smudges are not words
    return int(per_component.sum() / LETTERS_PER_WORD)


@dataclass(frozen=True, slots=True)
class Signals:
    words: int
    expected_words: int
    confidence: float | None
    lexicon_rate: float | None  # None for Arabic script or too few tokens

    @property
    def word_share(self) -> float | None:
        return self.words / self.expected_words if self.expected_words >= MIN_EXPECTED else None

    def weak_reasons(self) -> tuple[str, ...]:
        """Which cheap signals call the reading weak (empty tuple: trust it)."""
        reasons = []
        if self.confidence is not None and self.confidence < MIN_CONFIDENCE:
            reasons.append("confidence")
        if self.lexicon_rate is not None and self.lexicon_rate < MIN_LEXICON_RATE:
            reasons.append("lexicon")
        share = self.word_share
        if share is not None and share < MIN_WORD_SHARE:
            reasons.append("few_words")
        if self.words == 0 and self.expected_words >= MIN_EXPECTED:
            reasons.append("empty")
        return tuple(reasons)


def signals(page: PageText, expected_words: int, *, latin: bool) -> Signals:
    return Signals(
        words=len(page.words),
        expected_words=expected_words,
        confidence=page.mean_confidence,
        lexicon_rate=lexicon_rate(page.text) if latin else None,
    )


def arabic_weak_reasons(page: PageText, expected_words: int, word_rate: float | None) -> tuple[str, ...]:
    """Weak signals of an Urdu or Pashto reading. Confidence says little there (Nastaliq read right
    scores 40-55), so the share of the language's words (``word_rate``) stands in for it."""
    if not page.words:
        return ("empty",) if expected_words >= MIN_EXPECTED else ()
    if word_rate is not None and word_rate < ARABIC_MIN_WORD_RATE:
        return ("lexicon",)
    return ()


def score(page: PageText, *, latin: bool, words: frozenset[str] | None = None) -> float:
    """Engine-neutral quality of a reading: real words read (each counts one; garbage counts
    nothing), plus a hundredth of the confidence to break ties. Latin: words of 4+ letters in the
    English lexicon and the short words of SHORT_WORDS; Arabic script: words of 3+ letters in the
    language's word list given as ``words`` (without one: words weighted by confidence).

    Short scraps are not counted from the lexicon: specks at the edge of a flattened photo read as
    "mo", "se", "rea" (all in a judgments' lexicon) made a reading with eight junk tokens outscore
    plain Tesseract's clean one (bench.ocr_accuracy, photo, C.P.L.A.1925-2024)."""
    if latin:
        known = lexicon()
        hits = sum(1 for w in page.words for t in _TOKEN.findall(w.text.lower())
                   if (len(t) >= 4 and t in known) or t in SHORT_WORDS)
        return hits + (page.mean_confidence or 0.0) / 100
    if words is not None:
        hits = sum(1 for w in page.words for t in _TOKEN.findall(w.text) if len(t) >= 3 and t in words)
        return hits + (page.mean_confidence or 0.0) / 100
    return sum((w.confidence or 0.0) / 100 for w in page.words if len(w.text) > 1)


def overlap(a: str, b: str) -> float:
    """Bag-of-words overlap of two readings: shared tokens / tokens of the longer one (0..1)."""
    ca, cb = Counter(t.lower() for t in _TOKEN.findall(a)), Counter(t.lower() for t in _TOKEN.findall(b))
    longer = max(sum(ca.values()), sum(cb.values()))
    return sum((ca & cb).values()) / longer if longer else 1.0
