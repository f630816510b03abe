"""Join positioned words into page text, recording each word's character span.

Both readers (Tesseract and the PDF text layer) produce words grouped into lines and blocks; this
module is the single place that decides the separators, so spans are built the same way for both.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ocr.types import Box, Word


@dataclass(frozen=True, slots=True)
class RawWord:
    """A word before it is placed in the page text. ``line``/``block`` keys only need to be comparable."""

    text: str
    box: Box
    confidence: float | None
    block: tuple[int, ...]
    line: tuple[int, ...]


def join_words(raw_words: Iterable[RawWord]) -> tuple[str, tuple[Word, ...]]:
    """Words in reading order -> (text, words). Space inside a line, newline between lines,
    blank line between blocks, so downstream paragraph splitting and snippets stay readable."""
    parts: list[str] = []
    words: list[Word] = []
    length = 0
    prev: RawWord | None = None
    for raw in raw_words:
        text = raw.text.strip()
        if not text:
            continue
        if prev is not None:
            if raw.block != prev.block:
                sep = "\n\n"
            elif raw.line != prev.line:
                sep = "\n"
            else:
                sep = " "
            parts.append(sep)
            length += len(sep)
        words.append(Word(text, raw.box, raw.confidence, length, length + len(text)))
        parts.append(text)
        length += len(text)
        prev = raw
    return "".join(parts), tuple(words)


def mean_confidence(words: Iterable[Word]) -> float | None:
    """Mean of the word confidences, weighted by word length so one-letter noise counts less."""
    total = 0.0
    weight = 0
    for word in words:
        if word.confidence is None:
            continue
        total += word.confidence * len(word.text)
        weight += len(word.text)
    return round(total / weight, 2) if weight else None
