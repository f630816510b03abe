"""Language quality of a reading: how much of it is real English, and whether a text layer is a
shifted alphabet or mojibake.

The lexicon (``ocr/data/english_words.txt``, ~20,000 words) is built by ``scripts/build_wordlist.py``
from the AILA 2019 judgments in the shared corpus: legal English as courts write it. The Urdu and
Pashto lists (``ocr/data/urdu_words.txt``, ``pashto_words.txt``) are the dictionaries inside
Tesseract's own ``urd`` and ``pus`` models (``scripts/build_arabic_wordlists.py``).

Scores here are engine-neutral, so they can compare a text layer with an OCR reading, or Tesseract
with RapidOCR, whose confidences are not on the same scale.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

LEXICON_FILE = Path(__file__).with_name("data") / "english_words.txt"
ARABIC_LEXICON_FILES = {
    "urd": Path(__file__).with_name("data") / "urdu_words.txt",
    "pus": Path(__file__).with_name("data") / "pashto_words.txt",
}
_ALPHA_TOKEN = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)?")
# UTF-8 bytes read as Latin-1/cp1252: "Ã©" for é, "â€™" for ’, "Â " for a no-break space.
_MOJIBAKE = re.compile(r"[ÃÂ][\u0080-\u00ff\u0152-\u2122]|â€.|[ØÙ][\u0080-\u00bf\u0152-\u2122]")
MIN_TOKENS = 8  # fewer alphabetic tokens: the rates say nothing
SHIFT_MIN_RATE = 0.5  # a shifted reading must be at least this English ...
SHIFT_GAIN = 3.0  # ... and this many times more English than the text as it stands
MOJIBAKE_MAX = 0.03  # mojibake sequences per token above which a text layer is garbage


@lru_cache(maxsize=1)
def lexicon() -> frozenset[str]:
    """The English word list, lower case (loaded once per process, ~20 ms)."""
    return frozenset(LEXICON_FILE.read_text(encoding="utf-8").split())


@lru_cache(maxsize=4)
def arabic_lexicon(language: str) -> frozenset[str]:
    """The Urdu ("urd") or Pashto ("pus") word list (Urdu's for any other Arabic-script language)."""
    path = ARABIC_LEXICON_FILES.get(language, ARABIC_LEXICON_FILES["urd"])
    return frozenset(path.read_text(encoding="utf-8").split())


_ANY_TOKEN = re.compile(r"\w+", re.UNICODE)
_ARABIC_WORD = re.compile(r"^[\u0600-\u06ff\u0750-\u077f]{3,}$")


def arabic_word_rate(text: str, language: str) -> float | None:
    """Share of ALL tokens (letters, digits, Latin) that are words of 3+ Arabic-script letters found
    in the language's word list; None when there are under MIN_TOKENS tokens. Two-letter tokens do
    not count: as many chance pairs of letters are words as real ones (an Urdu page upside down
    scores like an upright one on them). Measured (bench, issue 9): Urdu or Pashto pages read with
    their own model 0.24-0.55, with the other one 0.15-0.25; the same pages upside down 0.00-0.08;
    English pages read as Urdu or Pashto (digits, Latin scraps, broken letters) 0.00-0.02."""
    tokens = _ANY_TOKEN.findall(text)
    if len(tokens) < MIN_TOKENS:
        return None
    words = arabic_lexicon(language.split("+")[0])
    return sum(1 for t in tokens if _ARABIC_WORD.match(t) and t in words) / len(tokens)


def alpha_tokens(text: str) -> list[str]:
    return [t.lower() for t in _ALPHA_TOKEN.findall(text)]


def lexicon_hits(text: str) -> int:
    """Number of alphabetic tokens of 2+ letters found in the lexicon (single letters never count)."""
    words = lexicon()
    return sum(1 for t in alpha_tokens(text) if len(t) > 1 and t in words)


def lexicon_rate(text: str) -> float | None:
    """Share of alphabetic tokens (2+ letters) in the lexicon; None when there are under MIN_TOKENS."""
    tokens = [t for t in alpha_tokens(text) if len(t) > 1]
    if len(tokens) < MIN_TOKENS:
        return None
    words = lexicon()
    return sum(1 for t in tokens if t in words) / len(tokens)


def _shift(text: str, by: int) -> str:
    def move(ch: str) -> str:
        if "a" <= ch <= "z":
            return chr((ord(ch) - 97 + by) % 26 + 97)
        if "A" <= ch <= "Z":
            return chr((ord(ch) - 65 + by) % 26 + 65)
        return ch

    return "".join(move(ch) for ch in text)


@dataclass(frozen=True, slots=True)
class ShiftFinding:
    shift: int  # letters to add to get English back (e.g. -1 for "JO UIF DPVSU")
    rate_as_is: float
    rate_shifted: float


def shifted_alphabet(text: str, *, sample_chars: int = 4000) -> ShiftFinding | None:
    """A text layer whose font maps every letter to a neighbour (a broken ToUnicode CMap): some
    Caesar shift of it is far more English than the text itself. None when it is not shifted."""
    sample = text[:sample_chars]
    as_is = lexicon_rate(sample)
    if as_is is None or as_is >= SHIFT_MIN_RATE:
        return None
    best: tuple[float, int] = (0.0, 0)
    for by in range(1, 26):
        rate = lexicon_rate(_shift(sample, by)) or 0.0
        best = max(best, (rate, by))
    rate, by = best
    if rate >= SHIFT_MIN_RATE and rate >= SHIFT_GAIN * max(as_is, 0.01):
        return ShiftFinding(shift=by if by <= 13 else by - 26, rate_as_is=as_is, rate_shifted=rate)
    return None


def mojibake_ratio(text: str) -> float:
    """Mojibake sequences (UTF-8 read as a one-byte code page) per whitespace token."""
    tokens = len(text.split())
    return len(_MOJIBAKE.findall(text)) / tokens if tokens else 0.0


def is_mojibake(text: str) -> bool:
    return mojibake_ratio(text) > MOJIBAKE_MAX
