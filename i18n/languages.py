"""The interface languages and digit styles CMMS offers, as data, and digit conversion.

Urdu is written right to left; its digits may be shown as Western Arabic (0-9, as most typed Urdu
office letters in Khyber Pakhtunkhwa use them) or Eastern Arabic-Indic as Urdu prints them
(U+06F0-U+06F9, ``۰۱۲۳۴۵۶۷۸۹``). Both are accepted wherever a user types a number.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Direction = Literal["ltr", "rtl"]
DigitStyle = Literal["western", "eastern"]


@dataclass(frozen=True)
class Language:
    """``code`` is the gettext/Babel locale and the HTML ``lang``; ``name`` is written in the language
    itself (what the switch shows); ``direction`` is the HTML ``dir``."""

    code: str
    name: str
    direction: Direction
    default_digits: DigitStyle = "western"


LANGUAGES: dict[str, Language] = {
    "en": Language("en", "English", "ltr"),
    "ur": Language("ur", "اردو", "rtl"),
}
DEFAULT_LANGUAGE = "en"
DIGIT_STYLES: tuple[DigitStyle, ...] = ("western", "eastern")

EASTERN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"  # Extended Arabic-Indic, the digits of Urdu and Persian
ARABIC_INDIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"  # Arabic-Indic, as some OCR output and Arabic keyboards give them
_TO_EASTERN = str.maketrans("0123456789", EASTERN_DIGITS)
_TO_WESTERN = str.maketrans(EASTERN_DIGITS + ARABIC_INDIC_DIGITS, "0123456789" * 2)


def language(code: str | None) -> Language:
    """The language for ``code`` (``"ur"``, ``"ur-PK"`` and ``"ur_PK"`` all give Urdu); English for
    anything unknown."""
    base = (code or "").replace("_", "-").split("-")[0].lower()
    return LANGUAGES.get(base, LANGUAGES[DEFAULT_LANGUAGE])


def is_supported(code: str | None) -> bool:
    return (code or "") in LANGUAGES


def to_eastern_digits(text: str) -> str:
    """ASCII digits in ``text`` as Urdu digits (``"FIR 12/2024"`` -> ``"FIR ۱۲/۲۰۲۴"``)."""
    return text.translate(_TO_EASTERN)


def to_western_digits(text: str) -> str:
    """Urdu and Arabic-Indic digits in ``text`` as ASCII digits (``"۳۰۲"`` -> ``"302"``)."""
    return text.translate(_TO_WESTERN)


def show_digits(text: str, style: DigitStyle | str | None) -> str:
    """``text`` with its digits in ``style`` (western leaves it unchanged)."""
    return to_eastern_digits(text) if style == "eastern" else text


__all__ = [
    "DEFAULT_LANGUAGE", "DIGIT_STYLES", "LANGUAGES", "DigitStyle", "Direction", "Language", "is_supported",
    "language", "show_digits", "to_eastern_digits", "to_western_digits",
]
