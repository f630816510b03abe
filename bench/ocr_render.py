"""Seeded renderings of a clean page image as a clerk's inputs arrive: clean, skewed, noisy, phone
photo and heavy (a poor phone photo of a photocopy), and a scan with a streak from the scanner's glass
(``STREAK``, not in ``RENDERINGS``). Used by bench.ocr_accuracy and by the tests.

Every function takes a grey uint8 page (white paper, black text, ~300 dpi) and a seed, and returns a
grey uint8 image plus the JPEG quality it should be saved with (None = lossless). Same seed, same
pixels.
"""

from __future__ import annotations

import random

import cv2
import numpy as np

RENDERINGS = ("clean", "skewed", "noisy", "photo", "heavy")
STREAK = "streak"


def skewed(page: np.ndarray, seed: int) -> tuple[np.ndarray, int | None]:
    rng = random.Random(seed)
    angle = rng.uniform(3, 7) * rng.choice((-1, 1))
    h, w = page.shape
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    # The rotated page is kept whole on a larger canvas: skew must not cut text off the test input.
    cos, sin = abs(matrix[0, 0]), abs(matrix[0, 1])
    nw, nh = int(h * sin + w * cos), int(h * cos + w * sin)
    matrix[0, 2] += nw / 2 - w / 2
    matrix[1, 2] += nh / 2 - h / 2
    return cv2.warpAffine(page, matrix, (nw, nh), flags=cv2.INTER_CUBIC, borderValue=255), None


def _gauss_speckle(image: np.ndarray, rng: np.random.Generator, sigma: float, speckle: float) -> np.ndarray:
    noisy = image.astype(np.float32) + rng.normal(0, sigma, image.shape)
    draw = rng.random(image.shape)
    noisy[draw < speckle / 2] = 0
    noisy[draw > 1 - speckle / 2] = 255
    return np.clip(noisy, 0, 255).astype(np.uint8)


def noisy(page: np.ndarray, seed: int) -> tuple[np.ndarray, int | None]:
    return _gauss_speckle(page, np.random.default_rng(seed), 18, 0.008), None


def _background(h: int, w: int, rng: np.random.Generator) -> np.ndarray:
    """A desk: dark-mid grey with a little texture."""
    base = rng.uniform(60, 110)
    texture = cv2.GaussianBlur(rng.normal(0, 25, (h, w)).astype(np.float32), (0, 0), 6)
    return np.clip(base + texture, 0, 255).astype(np.float32)


def _lighting(h: int, w: int, rng: np.random.Generator, strength: float) -> np.ndarray:
    """Uneven light: a smooth gradient from one corner, multiplicative, 1 - strength .. 1."""
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    cx, cy = rng.uniform(0, w), rng.uniform(0, h)
    dist = np.sqrt((xx - cx) ** 2 + (yy - cy) ** 2)
    return 1.0 - strength * dist / dist.max()


def _photograph(page: np.ndarray, rng: np.random.Generator, *, scale: float, tilt: float, tilt_deg: float,
                light: float) -> np.ndarray:
    """The page on a desk, seen from an angle: corners moved by up to ``tilt`` of the size, the page
    turned by ``tilt_deg``, the result at ``scale`` of the page's resolution."""
    h, w = page.shape
    pad = int(0.12 * max(h, w))
    out_w, out_h = int((w + 2 * pad) * scale), int((h + 2 * pad) * scale)
    src = np.array([[0, 0], [w, 0], [w, h], [0, h]], np.float32)
    centre = np.array([out_w / 2, out_h / 2], np.float32)
    theta = np.radians(tilt_deg)
    rot = np.array([[np.cos(theta), -np.sin(theta)], [np.sin(theta), np.cos(theta)]], np.float32)
    dst = []
    for x, y in src:
        p = (np.array([x - w / 2, y - h / 2], np.float32) * scale) @ rot.T + centre
        p += rng.uniform(-tilt, tilt, 2).astype(np.float32) * np.array([w, h], np.float32) * scale
        dst.append(p)
    matrix = cv2.getPerspectiveTransform(src, np.array(dst, np.float32))
    sheet = cv2.warpPerspective(page.astype(np.float32), matrix, (out_w, out_h), flags=cv2.INTER_AREA,
                                borderValue=-1)
    mask = cv2.warpPerspective(np.ones_like(page, np.float32), matrix, (out_w, out_h), flags=cv2.INTER_LINEAR)
    paper = sheet * 0.92 + 10  # paper is never pure white in a photo
    desk = _background(out_h, out_w, rng)
    image = paper * mask + desk * (1 - mask)
    return image * _lighting(out_h, out_w, rng, light)


def photo(page: np.ndarray, seed: int) -> tuple[np.ndarray, int | None]:
    """A legible phone photo: 4-8 % perspective, 1-4 degrees turned, ~200 dpi, soft light, JPEG q85."""
    rng = np.random.default_rng(seed)
    image = _photograph(page, rng, scale=0.7, tilt=rng.uniform(0.02, 0.04), tilt_deg=rng.uniform(-4, 4), light=0.25)
    image = cv2.GaussianBlur(image, (0, 0), 0.8) + rng.normal(0, 4, image.shape)
    return np.clip(image, 0, 255).astype(np.uint8), 85


def heavy(page: np.ndarray, seed: int) -> tuple[np.ndarray, int | None]:
    """A poor phone photo of a photocopy: 4-6 degrees, blur, ~120 dpi, heavy noise, strong JPEG,
    uneven light (issue 9, kind 4)."""
    rng = np.random.default_rng(seed)
    copy = cv2.GaussianBlur(page, (0, 0), 1.2)
    copy = np.clip(copy.astype(np.float32) * 0.85 + 30, 0, 255).astype(np.uint8)  # photocopy: grey paper
    tilt_deg = rng.uniform(4, 6) * (1 if rng.random() < 0.5 else -1)
    image = _photograph(copy, rng, scale=0.4, tilt=0.02, tilt_deg=tilt_deg, light=0.45)
    image = cv2.GaussianBlur(image, (0, 0), 1.0)
    image = _gauss_speckle(np.clip(image, 0, 255).astype(np.uint8), rng, 14, 0.004)
    return image, int(rng.integers(25, 31))


def streak(page: np.ndarray, seed: int) -> tuple[np.ndarray, int | None]:
    """A dirty-glass streak as on the real scan Crl.P.L.A.1055-2025: a dark line 3-5 px wide (grey
    30-70) with a lighter halo 2-4 px wide (grey 170-205) on one side, at a column within the text
    (25-75 % of the width), from the top edge (or 0-10 % down) to 85-100 % of the height."""
    rng = np.random.default_rng(seed)
    h, w = page.shape
    out = page.copy()
    x = int(rng.uniform(0.25, 0.75) * w)
    width, halo = int(rng.integers(3, 6)), int(rng.integers(2, 5))
    y0 = 0 if rng.random() < 0.5 else int(rng.uniform(0, 0.1) * h)
    y1 = int(rng.uniform(0.85, 1.0) * h)
    rows = slice(y0, y1)
    out[rows, x : x + width] = np.minimum(out[rows, x : x + width], int(rng.integers(30, 71)))
    side = slice(x + width, x + width + halo) if rng.random() < 0.5 else slice(x - halo, x)
    out[rows, side] = np.minimum(out[rows, side], int(rng.integers(170, 206)))
    return out, None


def render(page: np.ndarray, kind: str, seed: int) -> tuple[np.ndarray, int | None]:
    """One of ``RENDERINGS`` or ``STREAK``."""
    if kind == "clean":
        return page, None
    renderers = {"skewed": skewed, "noisy": noisy, "photo": photo, "heavy": heavy, STREAK: streak}
    return renderers[kind](page, seed)


def encode(image: np.ndarray, quality: int | None) -> tuple[bytes, str]:
    """Bytes of the rendering as the clerk's file: PNG, or JPEG at ``quality``."""
    if quality is None:
        ok, data = cv2.imencode(".png", image)
        suffix = "png"
    else:
        ok, data = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, quality])
        suffix = "jpg"
    if not ok:
        raise ValueError("encoding failed")
    return bytes(data.tobytes()), suffix
