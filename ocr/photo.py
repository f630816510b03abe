"""Phone photos of paper: find the sheet's outline and undo the perspective (OpenCV).

A photo taken at an angle shows the page as a quadrilateral on a darker background (a desk, a hand,
a floor). One-angle deskew cannot straighten a trapezoid and cut the bottom lines of such a page
(issue 9); a perspective warp of the sheet's four corners onto a rectangle can.

Never crop text away: the warp is used only when the sheet is found with confidence (a convex
quadrilateral covering ``MIN_AREA``..``MAX_AREA`` of the photo, brighter than what surrounds it) and
no text-like ink lies outside it. Everything else goes on unwarped.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from ocr.downscale import shrink_to

ANALYSIS_SIDE = 640  # px: the outline is searched on a copy this long on its longer side
MIN_AREA = 0.20  # share of the photo the sheet must cover ...
MAX_AREA = 0.97  # ... and leave uncovered (a scan fills the frame: nothing to do)
MIN_CONTRAST = 25.0  # grey levels between the sheet and its surroundings
MAX_OUTSIDE_INK = 0.04  # share of the page's dark components allowed outside the sheet (desk speckle: <= 0.021)
MIN_RIGHT_ANGLE_ERROR = 3.0  # degrees: a quad this close to an axis-aligned rectangle needs no warp
MARGIN = 0.01  # the warp keeps this share of the sheet's size beyond the found corners


@dataclass(frozen=True, slots=True)
class Outline:
    corners: np.ndarray  # 4 x 2 float32, full-resolution pixels: top-left, top-right, bottom-right, bottom-left
    area_share: float
    contrast: float


def _order(points: np.ndarray) -> np.ndarray:
    """Corners as top-left, top-right, bottom-right, bottom-left."""
    pts = points.reshape(4, 2).astype(np.float32)
    s = pts.sum(axis=1)
    d = np.diff(pts, axis=1).ravel()
    return np.array([pts[np.argmin(s)], pts[np.argmin(d)], pts[np.argmax(s)], pts[np.argmax(d)]], np.float32)


def _quad(contour: np.ndarray) -> np.ndarray | None:
    perimeter = cv2.arcLength(contour, True)
    for eps in (0.02, 0.03, 0.05):
        approx = cv2.approxPolyDP(contour, eps * perimeter, True)
        if len(approx) == 4 and cv2.isContourConvex(approx):
            return approx
    hull = cv2.convexHull(contour)
    approx = cv2.approxPolyDP(hull, 0.04 * cv2.arcLength(hull, True), True)
    return approx if len(approx) == 4 else None


def find_outline(grey: np.ndarray) -> Outline | None:
    """The sheet of paper in a photo, or None (a scan, a page filling the frame, no clear edge).

    Looked for first on a copy reduced by a whole factor (OpenCV's fast path: most pages are scans,
    with no sheet to find); a sheet found there is found again on a copy exactly ANALYSIS_SIDE long,
    whose corners the warp uses: the reading of a flattened Urdu photo changed from 0.26 to 0.14-0.21
    of its words with corners from the coarser copy."""
    small, factor = shrink_to(grey, ANALYSIS_SIDE, longer_side=True)
    if _outline(small, 1.0 / factor) is None:
        return None
    h, w = grey.shape[:2]
    scale = min(1.0, ANALYSIS_SIDE / max(h, w))
    exact = cv2.resize(grey, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else grey
    return _outline(exact, scale)


def _outline(small: np.ndarray, scale: float) -> Outline | None:
    blurred = cv2.GaussianBlur(small, (0, 0), 3)
    _, paper = cv2.threshold(blurred, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    # Text on the sheet makes holes in it: close them so the sheet is one blob.
    paper = cv2.morphologyEx(paper, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (15, 15)))
    contours, _ = cv2.findContours(paper, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return None
    sheet = max(contours, key=cv2.contourArea)
    share = cv2.contourArea(sheet) / float(small.shape[0] * small.shape[1])
    if not MIN_AREA <= share <= MAX_AREA:
        return None
    quad = _quad(sheet)
    if quad is None:
        return None
    inside = np.zeros(small.shape[:2], np.uint8)
    cv2.fillConvexPoly(inside, quad.reshape(4, 2).astype(np.int32), 1)
    outside = inside == 0
    if not outside.any():
        return None
    contrast = float(blurred[inside == 1].mean() - blurred[outside].mean())
    if contrast < MIN_CONTRAST:
        return None
    corners = _order(quad.astype(np.float32) / scale)
    return Outline(corners=corners, area_share=float(share), contrast=contrast)


def _angle_error(corners: np.ndarray) -> float:
    """Largest deviation, in degrees, of the quad's edges from horizontal/vertical."""
    worst = 0.0
    for i in range(4):
        dx, dy = corners[(i + 1) % 4] - corners[i]
        angle = abs(np.degrees(np.arctan2(dy, dx))) % 90
        worst = max(worst, min(angle, 90 - angle))
    return worst


def ink_outside(grey: np.ndarray, corners: np.ndarray) -> float:
    """Share of the photo's dark, letter-sized components whose centre lies outside the quad."""
    h, w = grey.shape[:2]
    scale = min(1.0, 1600 / max(h, w))
    small = cv2.resize(grey, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else grey
    small = cv2.medianBlur(small, 3)  # speckle on the desk is not text
    binary = cv2.adaptiveThreshold(small, 1, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 31, 15)
    count, _, stats, centroids = cv2.connectedComponentsWithStats(binary, connectivity=8)
    if count <= 1:
        return 0.0
    sizes = stats[1:, cv2.CC_STAT_AREA]
    heights = stats[1:, cv2.CC_STAT_HEIGHT]
    letters = (sizes >= 6) & (heights <= 60) & (heights >= 3)
    if not letters.any():
        return 0.0
    quad = (corners * scale).astype(np.float32).reshape(-1, 1, 2)
    outside = [cv2.pointPolygonTest(quad, (float(x), float(y)), False) < 0 for x, y in centroids[1:][letters]]
    return float(np.mean(outside))


def flatten(grey: np.ndarray, outline: Outline) -> np.ndarray:
    """Warp the sheet onto an upright rectangle as large as its longer opposite edges."""
    c = outline.corners
    width = int(max(np.linalg.norm(c[1] - c[0]), np.linalg.norm(c[2] - c[3])))
    height = int(max(np.linalg.norm(c[3] - c[0]), np.linalg.norm(c[2] - c[1])))
    mx, my = MARGIN * width, MARGIN * height
    target = np.array([[mx, my], [width + mx, my], [width + mx, height + my], [mx, height + my]], np.float32)
    matrix = cv2.getPerspectiveTransform(c, target)
    size = (int(width + 2 * mx), int(height + 2 * my))
    return cv2.warpPerspective(grey, matrix, size, flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)


def straighten_photo(grey: np.ndarray) -> tuple[np.ndarray, bool]:
    """The sheet flattened when a photo's outline is clear, trapezoidal and holds all the text;
    otherwise the input unchanged. Returns (image, warped)."""
    outline = find_outline(grey)
    if outline is None or _angle_error(outline.corners) < MIN_RIGHT_ANGLE_ERROR:
        return grey, False
    if ink_outside(grey, outline.corners) > MAX_OUTSIDE_INK:
        return grey, False
    return flatten(grey, outline), True
