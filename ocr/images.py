"""Image files (PNG, JPEG, TIFF incl. multi-page, HEIC/HEIF): header checks before decoding, frame
loading into a greyscale page whatever the pixel format.

Pillow reads only the header on ``open``; width x height is checked against ``max_pixels`` before a
single pixel is decoded, so a 12 KiB PNG claiming 100,000 x 100,000 px is refused cheaply. Pillow's
own bomb guard only warns below 2x its limit (facts file B4), so we do not rely on it.

Kinds handled on the way to grey (issue 9, kind 7), each with a test in tests/integration/test_ocr_images.py:
* alpha (RGBA, LA, palette with transparency): composited over white paper, never over black;
* 16-bit greyscale (I;16 and friends): scaled by its real range, not clipped at 255;
* CMYK (print-shop JPEG/TIFF): converted through RGB;
* truncated files (a JPEG without its end marker, a TIFF strip cut short): decoded as far as the data
  goes; the page is flagged ``partial`` so a person looks at it;
* reduced-resolution preview frames in a multi-page TIFF (TIFF NewSubfileType bit 0, or a tiny frame
  after a full page): skipped, not counted as pages and not a reason to refuse the file;
* HEIC/HEIF phone photos, through pillow-heif (libheif).
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError

from ocr.errors import PageError, PageErrorCode

try:  # pillow-heif registers Pillow's HEIF opener; without it HEIC photos are refused as unsupported
    from pillow_heif import register_heif_opener

    register_heif_opener()
    HEIF_SUPPORTED = True
except ImportError:  # pragma: no cover - the package is a declared dependency
    HEIF_SUPPORTED = False

FORMATS = ("PNG", "JPEG", "TIFF", "HEIF")  # restricting formats also closes Pillow's exotic-decoder CVEs
_MAGIC = {
    b"\x89PNG\r\n\x1a\n": "PNG",
    b"\xff\xd8\xff": "JPEG",
    b"II*\x00": "TIFF",
    b"MM\x00*": "TIFF",
}
# ISO base media file brands of HEIF stills (bytes 8..12 after "ftyp" at 4..8)
HEIF_BRANDS = frozenset({b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1", b"avif"})
MIN_PLAUSIBLE_DPI = 100  # photos often claim 72 dpi; such a tag says nothing about the scan
MAX_PLAUSIBLE_DPI = 1200
_REDUCED_RESOLUTION = 1  # TIFF NewSubfileType bit 0: "reduced-resolution version of another image"
_NEW_SUBFILE_TYPE = 254
PREVIEW_SHARE = 0.25  # a later frame this much smaller (per side) than the largest page is a preview


@dataclass(frozen=True, slots=True)
class ImageInfo:
    kind: str  # "PNG", "JPEG", "TIFF", "HEIF"
    frame_count: int  # pages: frames that are not previews
    width: int  # of the largest frame
    height: int
    dpi: int | None  # from the file's resolution tag when plausible
    frames: tuple[int, ...] = (0,)  # file frame index of each page (previews skipped)


@dataclass(frozen=True, slots=True)
class LoadedFrame:
    """A decoded page frame as grey uint8 (rows x cols); ``partial`` when the data ended early."""

    image: np.ndarray
    partial: bool
    notes: tuple[str, ...]  # what was done to reach grey: "alpha_on_white", "16bit_scaled", "cmyk", ...


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
    if is_heif(head):
        return "HEIF"
    raise PageError(PageErrorCode.UNSUPPORTED, f"unknown magic bytes {head[:8]!r}")


def is_heif(head: bytes) -> bool:
    """HEIC/HEIF from its ``ftyp`` box: bytes 4..8 are ``ftyp`` and 8..12 a HEIF brand."""
    return len(head) >= 12 and head[4:8] == b"ftyp" and head[8:12] in HEIF_BRANDS


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


def _check_size(width: int, height: int, max_pixels: int) -> None:
    if width * height > max_pixels or max(width, height) > 32767:  # 32767: Tesseract's axis limit
        raise PageError(PageErrorCode.IMAGE_TOO_LARGE, f"{width}x{height} px > {max_pixels} px")


def _too_small(width: int, height: int, min_side: int) -> bool:
    return min(width, height) < min_side


def _marked_reduced(img: Image.Image) -> bool:
    tags = getattr(img, "tag_v2", None)
    if tags is None:
        return False
    try:
        return bool(int(tags.get(_NEW_SUBFILE_TYPE, 0)) & _REDUCED_RESOLUTION)
    except (TypeError, ValueError):
        return False


def inspect_image(path: str | Path, max_pixels: int, min_side: int) -> ImageInfo:
    """Check type, frame count and every frame's pixel size from headers only.

    Preview frames (marked reduced-resolution, or under ``PREVIEW_SHARE`` of the largest frame per
    side, or under ``min_side`` after a full page) are skipped rather than refusing the file. Raises
    ``PageError`` (IMAGE_TOO_LARGE, IMAGE_TOO_SMALL when no frame is big enough, CORRUPT, UNSUPPORTED)."""
    path = Path(path)
    kind = sniff_image(path)
    with _open(path) as img:
        if img.format != kind:
            raise PageError(PageErrorCode.UNSUPPORTED, f"content is {img.format}, magic says {kind}")
        count = getattr(img, "n_frames", 1)
        sizes: list[tuple[int, int, bool]] = []
        for index in range(count):
            img.seek(index)  # reads the frame's header (TIFF IFD), not its pixels
            _check_size(img.width, img.height, max_pixels)
            sizes.append((img.width, img.height, _marked_reduced(img)))
        dpi = _dpi(img)
    width = max(w for w, _, _ in sizes)
    height = max(h for _, h, _ in sizes)
    frames = tuple(
        i for i, (w, h, reduced) in enumerate(sizes)
        if not reduced and not _too_small(w, h, min_side)
        and not (w < PREVIEW_SHARE * width and h < PREVIEW_SHARE * height)
    )
    if not frames:
        w, h, _ = sizes[0]
        raise PageError(PageErrorCode.IMAGE_TOO_SMALL, f"{w}x{h} px, shorter side < {min_side}")
    return ImageInfo(kind=kind, frame_count=len(frames), width=width, height=height, dpi=dpi, frames=frames)


def _alpha_on_white(img: Image.Image) -> Image.Image:
    rgba = img.convert("RGBA")
    paper = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
    return Image.alpha_composite(paper, rgba).convert("RGB")


def _high_bit_to_grey(img: Image.Image) -> np.ndarray:
    """16-bit (or 32-bit integer) greyscale stretched from its own range: a 12-bit scanner's page
    uses 0..4095, a 16-bit one 0..65535; clipping at 255 would turn either into a white page."""
    values = np.asarray(img, dtype=np.float64)
    low, high = float(np.percentile(values, 0.1)), float(np.percentile(values, 99.9))
    if high <= low:
        high = low + 1.0
    scaled = (values - low) * (255.0 / (high - low))
    return np.clip(scaled, 0, 255).astype(np.uint8)


def _to_grey(img: Image.Image) -> tuple[np.ndarray, tuple[str, ...]]:
    mode = img.mode
    if mode in ("I;16", "I;16L", "I;16B", "I;16N", "I", "F"):
        return _high_bit_to_grey(img), ("16bit_scaled",)
    notes: tuple[str, ...] = ()
    has_alpha = mode in ("RGBA", "LA", "PA", "RGBa", "La") or (mode == "P" and "transparency" in img.info)
    if has_alpha:
        img, notes = _alpha_on_white(img), ("alpha_on_white",)
    elif mode == "CMYK":
        img, notes = img.convert("RGB"), ("cmyk",)
    elif mode == "1":
        notes = ("bilevel",)
    grey = img if img.mode == "L" else img.convert("L")
    return np.array(grey, dtype=np.uint8), notes  # one writable copy (a 300-dpi page: ~10 MB)


@contextmanager
def _truncated_images(allowed: bool) -> Iterator[None]:
    """Pillow's switch for decoding past the end of the data is a module global, and other libraries
    set it for the whole process: WeasyPrint sets ``LOAD_TRUNCATED_IMAGES = True`` when it is imported
    (the web app imports it to print cause lists, the test suite for its Urdu pages), after which a
    cut-off image decoded "whole" and was never flagged partial. So the value is set for each load
    and the previous one restored (page readers are single-threaded)."""
    previous = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = allowed
    try:
        yield
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = previous


def _decode(img: Image.Image) -> bool:
    """Load the current frame; True when the data ended early and only part of it was decoded."""
    try:
        with _truncated_images(False):
            img.load()
        return False
    except OSError as exc:
        if "truncated" not in str(exc).lower() and "broken data stream" not in str(exc).lower():
            raise
    with _truncated_images(True):
        img.load()
    return True


def _upright(img: Image.Image) -> Image.Image:
    """The frame turned per its EXIF orientation (phone photos); the frame itself when it has none
    (``exif_transpose`` copies every page otherwise)."""
    if img.getexif().get(0x0112, 1) in (None, 1):  # 0x0112: the EXIF Orientation tag
        return img
    return ImageOps.exif_transpose(img) or img


def load_page(path: str | Path, page_index: int, frames: tuple[int, ...] | None = None) -> LoadedFrame:
    """Decode page ``page_index`` (0-based; preview frames skipped when ``frames`` from ``inspect_image``
    is given) to grey uint8, upright per its EXIF orientation (phone photos). Raises ``PageError``
    PAGE_OUT_OF_RANGE or CORRUPT (nothing decodable)."""
    path = Path(path)
    with _open(path) as img:
        count = getattr(img, "n_frames", 1)
        table = frames if frames is not None else tuple(range(count))
        if not 0 <= page_index < len(table) or table[page_index] >= count:
            raise PageError(PageErrorCode.PAGE_OUT_OF_RANGE, f"page {page_index} of {len(table)}")
        try:
            img.seek(table[page_index])
            partial = _decode(img)
            upright = _upright(img)
            grey, notes = _to_grey(upright)
        except (OSError, SyntaxError, ValueError) as exc:
            raise PageError(PageErrorCode.CORRUPT, f"cannot decode frame {table[page_index]}: {exc}") from exc
    return LoadedFrame(grey, partial, (*notes, "partial_decode") if partial else notes)
