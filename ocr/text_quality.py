"""Is a PDF text layer real text, or garbage / absent?  Pure functions, explicit thresholds.

Failure modes seen in the Supreme Court corpus and in the wild:
* no text at all (image-only scan) or a few stray characters (a stamp, a page number);
* fonts without a Unicode map: pdfminer prints ``(cid:123)``, pdfium returns U+FFFD, private-use or
  control characters;
* an invisible OCR layer added by the scanner software (KODAK Capture, OmniPage) whose quality is
  unknown: sometimes good, sometimes "N THE SUPRrMF- coIJRTfit1IAN". Such layers must pass a
  stricter bar, otherwise we OCR the page ourselves.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from ocr.lexicon import is_mojibake, mojibake_ratio, shifted_alphabet

# Function words that make up roughly a third of running English legal prose. A real English text
# layer of a page always contains some; OCR garbage rarely does.
COMMON_ENGLISH = frozenset({
    "a", "an", "and", "are", "as", "at", "be", "been", "by", "for", "from", "had", "has", "have", "he",
    "his", "in", "is", "it", "its", "no", "not", "of", "on", "or", "our", "she", "that", "the", "their",
    "there", "this", "to", "under", "was", "were", "which", "who", "with", "would",
    # legal words frequent enough in judgments to count as function words here
    "court", "section", "appeal", "case", "petition", "learned", "judgment", "dated", "order", "high",
    "supreme", "pakistan", "justice", "mr", "counsel", "state", "accused",
})

_CID = re.compile(r"\(cid:\d+\)")
_TOKEN = re.compile(r"\S+")
# A plausible word: letters with at most an initial capital or all capitals, optional trailing
# punctuation/possessive; or a number/date/section reference. Mixed case inside ("SUPRrMF") or
# letters glued to digits ("N0.g4") are what OCR garbage looks like.
_WORD_SHAPES = (
    re.compile(r"^[\"'(\[]*[A-Za-z]?[a-z]+(?:[-'][A-Za-z]?[a-z]+)*(?:'s)?[\"')\].,;:!?]*$"),
    re.compile(r"^[\"'(\[]*[A-Z]+(?:[-'][A-Z]+)*(?:'S)?[\"')\].,;:!?]*$"),
    re.compile(r"^[\"'(\[]*\d+(?:[./:-]\d+)*(?:st|nd|rd|th|-[A-Z])?[\"')\].,;:!?]*$"),
    re.compile(r"^[(\[]?[A-Za-z]{1,5}\.(?:[A-Za-z]{1,5}\.?)*[)\],;:]*$"),  # abbreviations: Crl.P.L.A., Mr.
    re.compile(r"^[\"'(\[]*[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]+[\"')\].,;:!?،۔]*$"),
    re.compile(r"^[(\[]?[A-Za-z]{1,6}\.?\s?\d+(?:[./-]\d+)*[)\],;:.]*$"),  # CP.1962/2024, No.48
    re.compile(r"^[-–—….,;:()\[\]/&§%*\"'=]+$"),  # punctuation tokens
)


class Verdict(StrEnum):
    USABLE = "usable"
    ABSENT = "absent"  # no or too little text: an image-only page
    GARBAGE = "garbage"  # text present but not trustworthy: OCR the page instead


@dataclass(frozen=True, slots=True)
class QualityThresholds:
    min_chars: int = 40  # fewer non-space characters: treat as image-only (stamp, page number)
    max_bad_glyph_ratio: float = 0.02  # share of (cid:x), U+FFFD, private-use and control chars
    min_word_shape_ratio: float = 0.70  # share of tokens that look like words for a normal layer
    min_word_shape_ratio_invisible: float = 0.85  # stricter bar for an invisible OCR layer
    # Few function words only condemns a page whose tokens are also borderline-shaped: lists of
    # party names (common in judgments) have no function words but perfectly shaped tokens.
    min_common_word_ratio: float = 0.08
    common_check_below_shape_ratio: float = 0.90
    min_tokens_for_common_check: int = 40


@dataclass(frozen=True, slots=True)
class TextStats:
    chars: int  # non-space characters
    tokens: int
    bad_glyph_ratio: float
    word_shape_ratio: float
    common_word_ratio: float
    arabic_share: float  # share of letters that are Arabic-script


@dataclass(frozen=True, slots=True)
class Assessment:
    verdict: Verdict
    reason: str
    stats: TextStats


def _is_bad_glyph(ch: str) -> bool:
    if ch == "\ufffd":
        return True
    cat = unicodedata.category(ch)
    # Co = private use (unmapped symbol fonts); Cc other than whitespace = raw glyph ids leaking out
    return cat == "Co" or (cat == "Cc" and ch not in "\t\n\r\f\v")


def _is_arabic(ch: str) -> bool:
    code = ord(ch)
    return 0x0600 <= code <= 0x06FF or 0x0750 <= code <= 0x077F or 0xFB50 <= code <= 0xFEFF


def text_stats(text: str) -> TextStats:
    cid_count = len(_CID.findall(text))
    stripped = _CID.sub("", text)
    non_space = [ch for ch in stripped if not ch.isspace()]
    bad = sum(1 for ch in non_space if _is_bad_glyph(ch)) + cid_count
    chars = len(non_space) + cid_count
    tokens = _TOKEN.findall(stripped)
    shaped = sum(1 for tok in tokens if any(p.match(tok) for p in _WORD_SHAPES))
    common = sum(1 for tok in tokens if tok.strip("\"'()[].,;:!?").lower() in COMMON_ENGLISH)
    letters = [ch for ch in non_space if ch.isalpha()]
    arabic = sum(1 for ch in letters if _is_arabic(ch))
    return TextStats(
        chars=chars,
        tokens=len(tokens),
        bad_glyph_ratio=bad / chars if chars else 0.0,
        word_shape_ratio=shaped / len(tokens) if tokens else 0.0,
        common_word_ratio=common / len(tokens) if tokens else 0.0,
        arabic_share=arabic / len(letters) if letters else 0.0,
    )


def assess_text_layer(
    text: str, *, invisible_layer: bool, thresholds: QualityThresholds | None = None
) -> Assessment:
    """Decide whether ``text`` (a page's text layer) can be used instead of OCR."""
    t = thresholds or QualityThresholds()
    stats = text_stats(text)
    if stats.chars < t.min_chars:
        return Assessment(Verdict.ABSENT, f"only {stats.chars} characters", stats)
    if stats.bad_glyph_ratio > t.max_bad_glyph_ratio:
        return Assessment(Verdict.GARBAGE, f"unmapped glyphs {stats.bad_glyph_ratio:.1%}", stats)
    bar = t.min_word_shape_ratio_invisible if invisible_layer else t.min_word_shape_ratio
    if stats.word_shape_ratio < bar:
        reason = f"word-like tokens {stats.word_shape_ratio:.0%} < {bar:.0%}"
        return Assessment(Verdict.GARBAGE, reason, stats)
    latin = stats.arabic_share < 0.5
    if latin and is_mojibake(text):
        return Assessment(Verdict.GARBAGE, f"mojibake {mojibake_ratio(text):.0%} of tokens", stats)
    shifted = shifted_alphabet(text) if latin else None
    if shifted is not None:
        reason = (f"letters shifted by {shifted.shift:+d} (English {shifted.rate_as_is:.0%} as is, "
                  f"{shifted.rate_shifted:.0%} shifted)")
        return Assessment(Verdict.GARBAGE, reason, stats)
    borderline = stats.word_shape_ratio < t.common_check_below_shape_ratio
    enough = stats.tokens >= t.min_tokens_for_common_check
    if latin and enough and borderline and stats.common_word_ratio < t.min_common_word_ratio:
        return Assessment(Verdict.GARBAGE, f"common words {stats.common_word_ratio:.0%}", stats)
    return Assessment(Verdict.USABLE, "text layer looks like real text", stats)
