"""Engine-neutral page results. Nothing outside ``ocr/`` sees pytesseract's or pdfium's raw output."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from models.enums import ReviewReason


class TextSource(StrEnum):
    TEXT_LAYER = "text_layer"
    OCR = "ocr"


@dataclass(frozen=True, slots=True)
class Box:
    """A rectangle in pixels of the page image at ``PageText.dpi`` (origin top-left)."""

    left: int
    top: int
    width: int
    height: int

    def __post_init__(self) -> None:
        # A negative coordinate or size means a bug upstream (wrong transform, flipped y axis);
        # failing here keeps it from reaching the index and the highlight overlay.
        for name in ("left", "top", "width", "height"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool):
                raise TypeError(f"Box.{name} must be an int, got {value!r}")
            if value < 0:
                raise ValueError(f"Box.{name} must be non-negative, got {value}")

    @property
    def right(self) -> int:
        return self.left + self.width

    @property
    def bottom(self) -> int:
        return self.top + self.height


@dataclass(frozen=True, slots=True)
class Word:
    """One word; ``text == page.text[char_start:char_end]``."""

    text: str
    box: Box
    confidence: float | None  # 0..100 for OCR; None for a text layer (no confidence there)
    char_start: int
    char_end: int

    def __post_init__(self) -> None:
        if not 0 <= self.char_start <= self.char_end:
            raise ValueError(f"bad character span {self.char_start}..{self.char_end}")
        if self.char_end - self.char_start != len(self.text):
            raise ValueError("character span length does not match the word text")
        if self.confidence is not None and not 0.0 <= self.confidence <= 100.0:
            raise ValueError(f"confidence must be within 0..100, got {self.confidence}")


@dataclass(frozen=True, slots=True)
class PageText:
    page_no: int  # 1-based, as the clerk sees it
    text: str
    words: tuple[Word, ...]
    mean_confidence: float | None
    source: TextSource
    engine: str  # "tesseract", "rapidocr", the text-layer reader ("pdfium") or "pdfium+tesseract"
    engine_version: str
    language: str  # tesseract language string used, e.g. "eng", "urd", "eng+urd"
    width: int
    height: int
    dpi: int
    rotation: int  # degrees clockwise applied to the page before OCR (0, 90, 180, 270)
    skew_angle: float | None  # degrees corrected by deskew; None when deskew did not run
    preprocessing: tuple[str, ...]
    needs_review: bool
    duration_ms: int
    # Why a person should look at the page (empty when nothing is doubtful); needs_review mirrors it.
    review_reasons: tuple[ReviewReason, ...] = ()

    def __post_init__(self) -> None:
        if self.page_no < 1:
            raise ValueError("page_no is 1-based")
        if self.rotation not in (0, 90, 180, 270):
            raise ValueError(f"rotation must be a multiple of 90, got {self.rotation}")
        for word in self.words:
            if self.text[word.char_start : word.char_end] != word.text:
                raise ValueError(f"word {word.text!r} does not match its span in the page text")
