"""Reduced copies of a page for measuring it (deskew, orientation, border, photo outline, word estimate).

``cv2.resize`` with INTER_AREA by a fractional factor costs 15-20 ms on a 300-dpi page; by a whole
factor, over whole blocks of pixels, OpenCV takes its fast path (~5 ms). Five such copies were made of
every page, a third of the pipeline's own cost per page (bench.ocr_throughput), so every measurement
takes the whole factor nearest to its target size.
"""

from __future__ import annotations

import cv2
import numpy as np


def whole_factor(size: int, target: int) -> int:
    """The whole reduction factor that brings ``size`` pixels nearest to ``target`` (1: no reduction)."""
    return max(1, round(size / max(1, target)))


def shrink(image: np.ndarray, factor: int) -> np.ndarray:
    """``image`` reduced ``factor`` times by averaging whole blocks (the last ``factor - 1`` rows and
    columns at most are left out). ``factor`` 1 returns the image itself, not a copy."""
    if factor <= 1:
        return image
    h, w = image.shape[:2]
    if h < factor or w < factor:
        return image
    block = image[: h - h % factor, : w - w % factor]
    return cv2.resize(block, (w // factor, h // factor), interpolation=cv2.INTER_AREA)


def shrink_to(image: np.ndarray, target: int, *, longer_side: bool = False) -> tuple[np.ndarray, int]:
    """``image`` reduced by the whole factor that brings its width (or longer side) nearest to
    ``target`` pixels, never enlarged; returns the copy and the factor (coordinates x factor = full size)."""
    h, w = image.shape[:2]
    factor = whole_factor(max(h, w) if longer_side else w, target)
    return shrink(image, factor), factor


# The page measurements' working width: line analysis (deskew, orientation) and the word estimate.
# About 1/3 of a 300-dpi A4 page; heavy noise stays under letter size there after a 3x3 median.
ANALYSIS_WIDTH = 800


def analysis_copy(grey: np.ndarray) -> np.ndarray:
    """``grey`` (uint8) reduced by the whole factor nearest to ANALYSIS_WIDTH wide, then a 3x3 median
    (speckle is not ink): the one copy both ``ocr.preprocess.analyse_lines`` and
    ``ocr.guard.estimated_words`` measure, made once per page by the page reader."""
    small, _factor = shrink_to(grey, ANALYSIS_WIDTH)
    return cv2.medianBlur(small, 3)
