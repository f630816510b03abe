"""Image files (PNG, JPEG, TIFF incl. multi-page): header checks before decoding, frame loading.

Pillow reads only the header on ``open``; width x height is checked against ``max_pixels`` before a
single pixel is decoded, so a 12 KiB PNG claiming 100,000 x 100,000 px is refused cheaply. Pillow's
own bomb guard only warns below 2x its limit (facts file B4), so we do not rely on it.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from ocr.errors import PageError, PageErrorCode

FORMATS = ("PNG", "JPEG", "TIFF")  # restricting formats also closes Pillow's exotic-decoder CVEs
_MAGIC = {
    b"\x89PNG\r\n\x1a\n": "PNG",
    b"\xff\xd8\xff": "JPEG",
    b"II*\x00": "TIFF",
    b"MM\x00*": "TIFF",
}
MIN_PLAUSIBLE_DPI = 100  # photos often claim 72 dpi; such a tag says nothing about the scan
MAX_PLAUSIBLE_DPI = 1200


@dataclass(frozen=True, slots=True)
class ImageInfo:
    kind: str  # "PNG", "JPEG", "TIFF"
    frame_count: int
    width: int  # of the largest frame
    height: int
    dpi: int | None  # from the file's resolution tag when plausible


def sniff_image(path: Path) -> str:
    try:
        with path.open("rb") as fh:
            head = fh.read(16)
    except OSError as exc:
        raise PageError(PageErrorCode.CORRUPT, str(exc)) from exc
    if not head:
        raise PageError(PageErrorCode.EMPTY, str(path))
    for magic, kind in _MAGIC.items():
        if head.startswith(magic):
            return kind
    raise PageError(PageErrorCode.UNSUPPORTED, f"unknown magic bytes {head[:8]!r}")


def _open(path: Path) -> Image.Image:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            return Image.open(path, formats=FORMATS)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise PageError(PageErrorCode.IMAGE_TOO_LARGE, str(exc)) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise PageError(PageErrorCode.CORRUPT, str(exc)) from exc


def _dpi(img: Image.Image) -> int | None:
    value = img.info.get("dpi")
    if not value:
        return None
    try:
        dpi = round(float(value[0]))
    except (TypeError, ValueError, IndexError):
        return None
    return dpi if MIN_PLAUSIBLE_DPI <= dpi <= MAX_PLAUSIBLE_DPI else None


def _check_size(width: int, height: int, max_pixels: int, min_side: int) -> None:
    if width * height > max_pixels or max(width, height) > 32767:  # 32767: Tesseract's axis limit
        raise PageError(PageErrorCode.IMAGE_TOO_LARGE, f"{width}x{height} px > {max_pixels} px")
    if min(width, height) < min_side:
        raise PageError(PageErrorCode.IMAGE_TOO_SMALL, f"{width}x{height} px, shorter side < {min_side}")


def inspect_image(path: str | Path, max_pixels: int, min_side: int) -> ImageInfo:
    """Check type, frame count and every frame's pixel size from headers only."""
    path = Path(path)
    kind = sniff_image(path)
    with _open(path) as img:
        if img.format != kind:
            raise PageError(PageErrorCode.UNSUPPORTED, f"content is {img.format}, magic says {kind}")
        frames = getattr(img, "n_frames", 1)
        width, height = 0, 0
        for index in range(frames):
            img.seek(index)  # reads the frame's header (TIFF IFD), not its pixels
            _check_size(img.width, img.height, max_pixels, min_side)
            width, height = max(width, img.width), max(height, img.height)
        return ImageInfo(kind=kind, frame_count=frames, width=width, height=height, dpi=_dpi(img))


def load_frame(path: str | Path, index: int) -> np.ndarray:
    """Decode one frame to a greyscale uint8 array, upright per its EXIF orientation (phone photos).
    Callers run ``inspect_image`` first; decoding errors here mean a truncated or damaged file."""
    path = Path(path)
    with _open(path) as img:
        frames = getattr(img, "n_frames", 1)
        if not 0 <= index < frames:
            raise PageError(PageErrorCode.PAGE_OUT_OF_RANGE, f"frame {index} of {frames}")
        try:
            img.seek(index)
            img.load()
            upright = ImageOps.exif_transpose(img) or img
            grey = upright.convert("L")
            return np.asarray(grey, dtype=np.uint8).copy()
        except (OSError, SyntaxError, ValueError) as exc:
            raise PageError(PageErrorCode.CORRUPT, f"cannot decode frame {index}: {exc}") from exc
