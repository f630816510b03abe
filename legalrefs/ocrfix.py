"""Conservative repair of OCR-confused digits inside numbers we already know are numbers.

Only used on the year/page slots of a citation, i.e. where the surrounding pattern (reporter name,
court segment) already makes the reading unambiguous. At most one confused character is repaired per
number: ``20l0`` -> ``2010``; ``2OlO`` stays unmatched.
"""

from __future__ import annotations

DIGIT_LIKE = "OoIl"  # characters accepted in a digit slot of the regexes
_TO_DIGIT = str.maketrans({"O": "0", "o": "0", "I": "1", "l": "1"})
_NATIVE_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")


def repair_number(raw: str, max_fixes: int = 1) -> str | None:
    """Digits of ``raw`` with confusable letters mapped; None if more than ``max_fixes`` were needed."""
    fixes = sum(1 for ch in raw if ch in DIGIT_LIKE)
    if fixes > max_fixes:
        return None
    return raw.translate(_TO_DIGIT)


def ascii_digits(raw: str) -> str:
    """Map Urdu/Arabic-Indic digits to ASCII (Urdu FIRs and charge sheets print ``۳۰۲``)."""
    return raw.translate(_NATIVE_DIGITS)
