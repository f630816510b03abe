"""Choose Tesseract languages (eng / urd / pus / combinations) from the script of a text sample.

Routing matters: always passing ``eng+urd`` costs +73 % time and lowers recall on Urdu pages
(facts file A1.1), so a page gets the single language its script calls for, and a combination only
when both scripts are substantially present.
"""

from __future__ import annotations

from dataclasses import dataclass

# Letters used in Pashto but not in Urdu (Urdu shares the rest of the Arabic-script alphabet).
PASHTO_LETTERS = frozenset("ټډړږښګڼېۍځڅ")
# Letters used in Urdu but not in Pashto: retroflex/aspiration marks and Urdu yeh barree.
URDU_LETTERS = frozenset("ٹڈڑھےۓ")

MIN_LETTERS = 20  # below this a sample says nothing; fall back to the default
MIXED_SHARE = 0.2  # a script with at least this share of letters is added as a second language
PASHTO_SHARE = 0.02  # Pashto-only letters per Arabic-script letter above which a page is Pashto


def _is_arabic_script(ch: str) -> bool:
    code = ord(ch)
    return 0x0600 <= code <= 0x06FF or 0x0750 <= code <= 0x077F or 0xFB50 <= code <= 0xFEFF


def _is_latin(ch: str) -> bool:
    return (ch.isascii() and ch.isalpha()) or "\u00c0" <= ch <= "\u024f"


@dataclass(frozen=True, slots=True)
class LanguageGuess:
    languages: str  # a Tesseract -l value, e.g. "eng", "urd", "pus+eng"
    arabic_share: float  # of letters
    pashto_letters: int
    urdu_letters: int
    letters: int
    confident: bool  # False when the sample was too short and the fallback was used


def detect_language_from_text(sample: str, *, fallback: str = "eng") -> LanguageGuess:
    letters = [ch for ch in sample if ch.isalpha()]
    arabic = [ch for ch in letters if _is_arabic_script(ch)]
    latin = sum(1 for ch in letters if _is_latin(ch))
    pashto = sum(1 for ch in arabic if ch in PASHTO_LETTERS)
    urdu = sum(1 for ch in arabic if ch in URDU_LETTERS)
    total = len(letters)
    arabic_share = len(arabic) / total if total else 0.0
    if total < MIN_LETTERS:
        return LanguageGuess(fallback, arabic_share, pashto, urdu, total, confident=False)
    arabic_lang = "pus" if arabic and pashto / len(arabic) >= PASHTO_SHARE and pashto > urdu else "urd"
    latin_share = latin / total
    if arabic_share >= 1 - MIXED_SHARE:
        languages = arabic_lang
    elif latin_share >= 1 - MIXED_SHARE:
        languages = "eng"
    elif arabic_share >= latin_share:
        languages = f"{arabic_lang}+eng"  # the dominant script first: Tesseract tries it first
    else:
        languages = f"eng+{arabic_lang}"
    return LanguageGuess(languages, arabic_share, pashto, urdu, total, confident=True)

