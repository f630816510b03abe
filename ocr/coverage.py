"""Where the rendered page has ink that the text layer's glyphs do not explain.

A text layer can cover only part of a page: a born-digital stamp on a scan, a digital header over an
embedded photo of a document, a scanned exhibit pasted into a typed order. Comparing the ink of the
rendered page with the boxes of the layer's words tells how much of the page the layer misses, and
where; the page reader OCRs exactly those regions.

Everything is measured on a copy reduced to ``ANALYSIS_DPI`` (an A4 page is ~410 x 580 px there;
a few milliseconds). Ruling lines (tables, underlines, borders) are removed first: they are ink
that is not text.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import cv2
import numpy as np

from ocr.types import Box

ANALYSIS_DPI = 50
GLYPH_MARGIN = 2  # px at ANALYSIS_DPI added around each word box (descenders, bold, anti-aliasing)
MIN_REGION_INK = 40  # px of ink at ANALYSIS_DPI: smaller uncovered regions are specks, dots, rules
# The layer misses a meaningful part of the page when this share of the ink is uncovered and the
# uncovered ink is at least a line of text's worth (MIN_UNCOVERED_INK).
MAX_UNCOVERED_SHARE = 0.15
MIN_UNCOVERED_INK = 400


@dataclass(frozen=True, slots=True)
class Coverage:
    ink: int  # ink pixels at ANALYSIS_DPI, ruling lines removed
    uncovered: int  # of which outside every glyph box
    regions: tuple[Box, ...]  # uncovered regions, in pixels of the full-resolution page

    @property
    def uncovered_share(self) -> float:
        return self.uncovered / self.ink if self.ink else 0.0

    @property
    def layer_incomplete(self) -> bool:
        """The text layer leaves a meaningful part of the page's ink unexplained."""
        return self.uncovered >= MIN_UNCOVERED_INK and self.uncovered_share >= MAX_UNCOVERED_SHARE


def ink_mask(grey: np.ndarray) -> np.ndarray:
    """uint8 0/1 mask of ink (Otsu, never lighter than 200 so a blank page has none), ruling lines off."""
    otsu, _ = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    level = min(float(otsu), 200.0)
    ink = (grey < level).astype(np.uint8)
    h, w = ink.shape
    horizontal = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (max(8, w // 12), 1)))
    vertical = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, max(8, h // 12))))
    rules = np.maximum(horizontal, vertical)
    return np.asarray(ink * (1 - rules), dtype=np.uint8)


def measure(grey_small: np.ndarray, boxes: Iterable[Box], scale: float) -> Coverage:
    """``grey_small``: the page rendered at ANALYSIS_DPI; ``boxes``: word boxes in full-resolution
    pixels; ``scale``: small pixels per full-resolution pixel. Regions come back at full resolution."""
    ink = ink_mask(grey_small)
    covered = np.zeros_like(ink)
    h, w = ink.shape
    for box in boxes:
        x0 = max(0, int(box.left * scale) - GLYPH_MARGIN)
        y0 = max(0, int(box.top * scale) - GLYPH_MARGIN)
        x1 = min(w, int(np.ceil(box.right * scale)) + GLYPH_MARGIN)
        y1 = min(h, int(np.ceil(box.bottom * scale)) + GLYPH_MARGIN)
        covered[y0:y1, x0:x1] = 1
    uncovered = ink & (1 - covered)
    # Words of a line merge into one region; separate paragraphs stay apart.
    grown = cv2.dilate(uncovered, cv2.getStructuringElement(cv2.MORPH_RECT, (9, 5)))
    count, labels, stats, _ = cv2.connectedComponentsWithStats(grown, connectivity=8)
    regions: list[Box] = []
    kept = 0
    for label in range(1, count):
        region_ink = int(uncovered[labels == label].sum())
        if region_ink < MIN_REGION_INK:
            continue
        kept += region_ink
        x, y, rw, rh = (int(v) for v in stats[label][:4])
        regions.append(Box(int(x / scale), int(y / scale), int(np.ceil(rw / scale)), int(np.ceil(rh / scale))))
    return Coverage(ink=int(ink.sum()), uncovered=kept, regions=tuple(regions))


def mask_outside(image: np.ndarray, regions: Iterable[Box], margin: int = 8) -> np.ndarray:
    """A white page with only ``regions`` (grown by ``margin`` px) copied from ``image``: what is left
    for OCR once the text layer's part is taken out."""
    out = np.full_like(image, 255)
    h, w = image.shape[:2]
    for box in regions:
        x0, y0 = max(0, box.left - margin), max(0, box.top - margin)
        x1, y1 = min(w, box.right + margin), min(h, box.bottom + margin)
        out[y0:y1, x0:x1] = image[y0:y1, x0:x1]
    return out
