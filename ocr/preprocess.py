"""Image clean-up before OCR, on a derived copy; each step can be switched off.

Costs per A4 page at 300 dpi (facts file A3): median 5 ms, Otsu 7 ms, projection deskew at reduced
scale ~50-70 ms, rotation ~90 ms. fastNlMeansDenoising (5-8 s) and full-resolution Hough (30 s) are
deliberately not used. Deskew uses a projection profile because minAreaRect returns garbage (-90 deg)
on noisy pages.

Steps that would do nothing on a clean page are skipped after a cheap check, which also keeps the
pipeline from being worse than plain Tesseract there (bench/ocr_accuracy.py, bench/ocr_throughput.py):
* binarisation only on noisy pages. Tesseract 5 thresholds the page itself for layout but its LSTM
  reads the grey pixels; an Otsu image throws away the anti-aliasing it uses, which raised CER on
  clean born-digital renders from 0.0020 to 0.0025 (and on skewed and blurred pages too).
* border clean-up only when dark pixels reach the image edge (a clean page has white margins).
* streak removal (ocr.streaks) only when a long thin vertical line crosses the words; the check costs
  5-27 ms per page (bench.ocr_accuracy prints it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import cv2
import numpy as np

from ocr.downscale import analysis_copy, shrink
from ocr.streaks import find_streaks, remove_streaks
from ocr.tesseract import OsdResult

# An orientation detector: (image, dpi) -> OSD result or None when undecidable. Passed in so this
# module does not run Tesseract itself and can be tested with a plain function.
OrientationDetector = Callable[[np.ndarray, int], OsdResult | None]

MAX_SKEW = 10.0  # degrees searched either side of horizontal
# Below this, rotating costs more (interpolation blur, ~50-90 ms) than it gains: Tesseract's own
# line finding copes with small skew (2 degrees read as well as 0 on a judgment page; at 3-4 degrees
# Tesseract 5.3 starts dropping whole lines). On a real 0.9-degree scan, rotating raised CER from
# 0.006 to 0.017 (bench/ocr_accuracy.py, C.A.315-2022 p2).
MIN_SKEW = 1.0
MIN_SKEW_GAIN = 1.05  # best profile score must beat the unrotated one by 5 % to be trusted
# A page is on its side when its column profile has clearly more blank gaps (between text lines)
# than its row profile. Gaps are bins within GAP_LEVEL of the floor (10th percentile) on the way to the
# 90th percentile, so a dark scanner edge or a margin note crossing every row does not hide the gaps.
GAP_LEVEL = 0.1
VERTICAL_GAP_RATIO = 1.5
MIN_VERTICAL_GAPS = 5
MIN_OSD_CONFIDENCE = 2.0  # Tesseract's own guidance: orientation confidence below ~2 is a guess
NOISE_LEVEL = 4.0  # noise_level() above which the median filter (and binarisation) is applied; a legible
# phone photo (JPEG, sensor noise) measures 2.2-2.3 and reads worse binarised (bench.ocr_accuracy, photo)
NOISE_BAND = (0.25, 0.75)  # rows sampled for noise_level(): body text, half the cost of the whole page
BORDER_SCALE = 4  # border clean-up labels components on a 1/4-size copy
MIN_INK_PIXELS = 500  # fewer ink pixels at analysis scale: blank page, nothing to measure


@dataclass(frozen=True, slots=True)
class PreprocessOptions:
    orientation: bool = True
    deskew: bool = True
    denoise: bool = True
    binarise: bool = True
    border_cleanup: bool = True
    streak_removal: bool = True  # long vertical scanner streaks through the text (ocr.streaks)


NO_PREPROCESSING = PreprocessOptions(False, False, False, False, False, False)


@dataclass(frozen=True, slots=True)
class Prepared:
    image: np.ndarray
    steps: tuple[str, ...]
    rotation: int  # clockwise degrees applied by the orientation step
    skew_angle: float | None  # clockwise skew measured (corrected if >= MIN_SKEW); None if not run/unsure


@dataclass(frozen=True, slots=True)
class LineAnalysis:
    skew_angle: float  # degrees the page is rotated clockwise (text lines fall to the right)
    confident: bool
    vertical: bool  # text lines run top-to-bottom: page rotated by 90 or 270 degrees


def to_grey(image: np.ndarray) -> np.ndarray:
    """A greyscale view: the input itself when it is already grey (no step writes in place)."""
    if image.ndim == 2:
        return image
    if image.shape[2] == 4:
        return cv2.cvtColor(image, cv2.COLOR_BGRA2GRAY)
    return cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)


def _ink_points(grey: np.ndarray, small: np.ndarray | None = None) -> np.ndarray:
    """Coordinates (x, y) of ink pixels on an Otsu-binarised ``analysis_copy`` (``small``, when the
    caller has it), centred on the image."""
    if small is None:
        small = analysis_copy(grey)
    _, ink = cv2.threshold(small, 0, 1, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    ys, xs = np.nonzero(ink)
    h, w = ink.shape
    return np.stack([xs - w / 2.0, ys - h / 2.0]).astype(np.float32)


def _profile(points: np.ndarray, angle_deg: float) -> np.ndarray:
    """Ink per row after rotating the points by angle_deg."""
    theta = np.deg2rad(angle_deg)
    rows = points[1] * np.cos(theta) - points[0] * np.sin(theta)
    return np.bincount((rows - rows.min()).astype(np.int32)).astype(np.float64)


def _profile_score(points: np.ndarray, angle_deg: float) -> float:
    """Sharpness of the row projection: text lines aligned with rows give tall narrow peaks, so the
    sum of squared differences between adjacent rows is largest at the right angle."""
    return float(np.sum(np.diff(_profile(points, angle_deg)) ** 2))


def _sharpness(profile: np.ndarray) -> float:
    energy = float(np.sum(profile**2))
    return float(np.sum(np.diff(profile) ** 2)) / energy if energy else 0.0


def gap_runs(profile: np.ndarray) -> int:
    """Number of blank stretches in a projection profile (one per gap between text lines)."""
    if not profile.any():
        return 0
    # Measured above the floor: a dark scan border adds the same ink to every row.
    floor = np.percentile(profile, 10)
    above = profile[profile > floor]
    if above.size == 0:
        return 0
    blank = profile <= floor + GAP_LEVEL * (np.percentile(above, 90) - floor)
    return int(np.sum(blank[1:] & ~blank[:-1]))


def _best_angle(points: np.ndarray, centre: float, *, refine: bool = True) -> tuple[float, float]:
    """Coarse 1-degree search over centre +/- MAX_SKEW, then 0.1-degree refinement around the best.
    A text line of 2,000 px drifts by 35 px per degree, so 1-degree steps cannot miss the peak."""
    coarse = np.arange(centre - MAX_SKEW, centre + MAX_SKEW + 1e-6, 1.0)
    scores = [_profile_score(points, a) for a in coarse]
    i = int(np.argmax(scores))
    if not refine:
        return float(coarse[i]), scores[i]
    fine = np.arange(coarse[i] - 1.0, coarse[i] + 1.0 + 1e-6, 0.1)
    fine_scores = [_profile_score(points, a) for a in fine]
    j = int(np.argmax(fine_scores))
    return float(fine[j]), fine_scores[j]


def analyse_lines(grey: np.ndarray, small: np.ndarray | None = None) -> LineAnalysis:
    """Skew of the text lines and whether they run vertically (page on its side), measured on
    ``analysis_copy(grey)`` (pass it as ``small`` when it is at hand)."""
    points = _ink_points(grey, small)
    if points.shape[1] < MIN_INK_PIXELS:
        return LineAnalysis(0.0, confident=False, vertical=False)
    angle, score = _best_angle(points, 0.0)
    vertical_angle, _ = _best_angle(points, 90.0, refine=False)
    flat = _profile_score(points, 0.0)
    confident = score >= flat * MIN_SKEW_GAIN or abs(angle) < MIN_SKEW
    rows, columns = _profile(points, angle), _profile(points, vertical_angle)
    # Two independent signs must agree before paying for OSD: more blank gaps across columns than
    # across rows, and a sharper (scale-free) column profile. A missed rotated page is still caught
    # after OCR by the low-confidence retry in ocr.page.
    column_gaps = gap_runs(columns)
    more_gaps = column_gaps >= MIN_VERTICAL_GAPS and column_gaps > VERTICAL_GAP_RATIO * gap_runs(rows)
    vertical = more_gaps and _sharpness(columns) > _sharpness(rows)
    return LineAnalysis(round(angle, 2), confident=confident and not vertical, vertical=vertical)


def noise_level(grey: np.ndarray, median: np.ndarray) -> float:
    """Mean absolute change a 3x3 median makes: ~0.3-0.7 on clean scans and renders, ~6-8 on pages
    with Gaussian or salt-and-pepper noise (measured on the bench pages)."""
    return float(cv2.absdiff(grey, median).mean())


def is_noisy(grey: np.ndarray) -> bool:
    """noise_level() on a band of body rows: the full page's median is only computed if needed."""
    h = grey.shape[0]
    band = grey[int(h * NOISE_BAND[0]) : max(int(h * NOISE_BAND[1]), int(h * NOISE_BAND[0]) + 3)]
    return noise_level(band, cv2.medianBlur(band, 3)) >= NOISE_LEVEL


def rotate_right_angle(image: np.ndarray, clockwise: int) -> np.ndarray:
    codes = {90: cv2.ROTATE_90_CLOCKWISE, 180: cv2.ROTATE_180, 270: cv2.ROTATE_90_COUNTERCLOCKWISE}
    return cv2.rotate(image, codes[clockwise]) if clockwise in codes else image


def rotate_small(image: np.ndarray, angle_deg: float) -> np.ndarray:
    """Rotate clockwise by a small angle about the centre, keeping the size, filling with white."""
    h, w = image.shape[:2]
    matrix = cv2.getRotationMatrix2D((w / 2.0, h / 2.0), -angle_deg, 1.0)
    return cv2.warpAffine(image, matrix, (w, h), flags=cv2.INTER_LINEAR, borderValue=255)


def clean_border(binary: np.ndarray) -> np.ndarray:
    """Whiten dark matter touching the image edge that is long or thick (scanner shadows, punched-hole
    rims, the dark edge of a photocopy, a streak down the scanner glass), keeping the letters it
    touches. Small text fragments at the edge are kept.

    Components are found at 1/BORDER_SCALE resolution (a full-resolution labelling costs ~150 ms
    per page, this ~10 ms); within each found region only the ink that is part of a thick blob or a
    long straight line is whitened (see ``border_regions``)."""
    out = binary.copy()
    for rows, cols, mask in border_regions(binary):
        out[rows, cols][mask] = 255
    return out


def border_mask(binary: np.ndarray) -> np.ndarray | None:
    """Full-size boolean mask of the ink clean_border() whitens, None when there is none."""
    regions = border_regions(binary)
    if not regions:
        return None
    mask = np.zeros(binary.shape, dtype=bool)
    for rows, cols, part in regions:
        mask[rows, cols] |= part
    return mask


def border_regions(binary: np.ndarray) -> list[tuple[slice, slice, np.ndarray]]:
    """Where clean_border() whitens: (rows, columns, boolean mask of the ink to whiten there).

    A region touching the edge is found at 1/BORDER_SCALE; at that scale a scanner streak and the
    letters it crosses are one component, so whitening the whole region erased every word the streak
    touched (a real scan, Crl.P.L.A.1055-2025 p2: 27 words lost at the starts of lines). Inside the
    region, only ink that survives a morphological opening with a square of about two stroke widths
    (shadows, thick rims) or with a long horizontal or vertical bar (streaks, rules) is whitened;
    letters survive neither."""
    h, w = binary.shape
    small = shrink(binary, BORDER_SCALE)
    ink_small = (small < 224).astype(np.uint8)  # any ink in the 4x4 cell
    count, labels, stats, _ = cv2.connectedComponentsWithStats(ink_small, connectivity=8)
    sh, sw = ink_small.shape
    doomed = [
        label
        for label in range(1, count)
        if _touches_edge(stats[label], sw, sh)
        and (stats[label][cv2.CC_STAT_WIDTH] > 0.2 * sw or stats[label][cv2.CC_STAT_HEIGHT] > 0.2 * sh)
    ]
    # Sizes in pixels of this image: a 300-dpi A4 page (2480 px wide) has strokes of ~4-10 px.
    block = max(5, round(w / 150))
    kernels = [cv2.getStructuringElement(cv2.MORPH_RECT, size)
               for size in ((block, block), (1, 5 * block), (5 * block, 1))]
    regions = []
    for label in doomed:
        x, y, cw, ch = (int(v) for v in stats[label][:4])
        x0, y0 = x * BORDER_SCALE, y * BORDER_SCALE
        # A region reaching the last cell also takes the few rows or columns the 1/4 copy left out.
        x1 = w if x + cw >= sw else min(w, (x + cw) * BORDER_SCALE)
        y1 = h if y + ch >= sh else min(h, (y + ch) * BORDER_SCALE)
        region = (labels[y : y + ch, x : x + cw] == label).astype(np.uint8)
        region = cv2.resize(region, (x1 - x0, y1 - y0), interpolation=cv2.INTER_NEAREST)
        ink = ((binary[y0:y1, x0:x1] < 128) & (region > 0)).astype(np.uint8)
        removable = np.zeros_like(ink)
        for kernel in kernels:
            removable |= cv2.morphologyEx(ink, cv2.MORPH_OPEN, kernel)
        if removable.any():
            regions.append((slice(y0, y1), slice(x0, x1), removable > 0))
    return regions


def _touches_edge(stat: np.ndarray, width: int, height: int) -> bool:
    x, y, cw, ch = (int(v) for v in stat[:4])
    return x == 0 or y == 0 or x + cw >= width or y + ch >= height


def edge_has_ink(grey: np.ndarray) -> bool:
    """Cheap pre-check for clean_border(): it only removes components touching the edge, which
    needs a pixel darker than the page's Otsu threshold in the outer 2 x BORDER_SCALE rows or
    columns. The threshold is estimated on a 1/16 sample and given a margin, so a doubtful edge
    still gets the full clean-up; a clean page with white margins skips it (~20-40 ms)."""
    k = 2 * BORDER_SCALE
    strips = (grey[:k], grey[-k:], grey[:, :k], grey[:, -k:])
    darkest = min(int(strip.min()) for strip in strips)
    sample = np.ascontiguousarray(grey[::4, ::4])
    threshold = cv2.threshold(sample, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)[0]
    return darkest <= threshold + 16


def _clean_border_of(work: np.ndarray, *, binarised: bool) -> np.ndarray:
    if not edge_has_ink(work):
        return work
    binary = work if binarised else cv2.threshold(work, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)[1]
    regions = border_regions(binary)
    if not regions:  # the usual case on real scans: a grey scanner edge, but nothing to remove
        return work
    out = work.copy()
    paper = 255 if binarised else paper_level(work, binary)
    for rows, cols, mask in regions:
        out[rows, cols][mask] = paper  # the masks hold ink pixels only
    return out


def paper_level(grey: np.ndarray, binary: np.ndarray) -> int:
    """The grey of the paper: the median of the pixels on the light side of the page's Otsu split.
    What clean-up removes is filled with it, not with white: a phone photo's sheet is grey (~200), and
    a white surround around a grey sheet made Tesseract's own thresholding take the whole sheet for
    ink (an Urdu FIR photo read as 0 words; plain Tesseract read a quarter of it)."""
    light = grey[::4, ::4][binary[::4, ::4] > 0]
    return int(np.median(light)) if light.size else 255


def _orientation(
    grey: np.ndarray, detector: OrientationDetector | None, dpi: int, suspect: bool
) -> tuple[np.ndarray, int]:
    """Run OSD only when the page looks rotated (vertical text lines) or the caller forces it
    (first OCR pass came back poor). OSD costs ~0.6 s of fixed start-up per call, half an OCR."""
    if detector is None or not suspect:
        return grey, 0
    osd = detector(grey, dpi)
    if osd is None or osd.rotate == 0 or osd.orientation_confidence < MIN_OSD_CONFIDENCE:
        return grey, 0
    return rotate_right_angle(grey, osd.rotate), osd.rotate


def preprocess(
    image: np.ndarray,
    options: PreprocessOptions,
    tesseract: OrientationDetector | None = None,
    *,
    dpi: int = 300,
    force_orientation: bool = False,
    lines: LineAnalysis | None = None,
) -> Prepared:
    """Clean a greyscale copy of ``image``; the input array is never modified (the result may be the
    input itself when it is grey and no step changed it). ``lines``: ``analyse_lines`` of ``image``
    when the caller has measured it already (the page reader prepares one page several ways)."""
    work = to_grey(image)
    steps: list[str] = []
    # First, on the page as scanned: a streak runs along the scanner's feed, straight down the image
    # (after deskew it would be tilted). Recorded only when one was found; removing it before the
    # border clean-up keeps that step from whitening the letters under a streak that reaches the edge.
    if options.streak_removal and (streaks := find_streaks(work, dpi)):
        work = remove_streaks(work, streaks, dpi)
        steps.append("streak_removal")
    rotation = 0
    skew: float | None = None
    if lines is None and (options.orientation or options.deskew):
        lines = analyse_lines(work)
    if options.orientation and lines is not None:
        work, rotation = _orientation(work, tesseract, dpi, force_orientation or lines.vertical)
        if rotation:
            lines = analyse_lines(work)
        steps.append("orientation")
    # Only noisy pages are filtered and binarised: on clean or blurred pages the median eats commas
    # and full stops, and Otsu removes the grey levels Tesseract's LSTM reads (bench/ocr_accuracy.py).
    # Both are recorded only when applied.
    noisy = (options.denoise or options.binarise) and is_noisy(work)
    if options.denoise and noisy:
        work = cv2.medianBlur(work, 3)
        steps.append("denoise")
    if options.deskew and lines is not None:
        if lines.confident:
            skew = lines.skew_angle
            if abs(skew) >= MIN_SKEW:
                work = rotate_small(work, -skew)  # undo the measured clockwise skew
        steps.append("deskew")
    binarise = options.binarise and noisy
    if binarise:
        _, work = cv2.threshold(work, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
        steps.append("binarise")
    if options.border_cleanup:
        work = _clean_border_of(work, binarised=binarise)
        steps.append("border_cleanup")
    return Prepared(image=work, steps=tuple(steps), rotation=rotation, skew_angle=skew)
