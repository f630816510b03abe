"""``i18n.invisible.strip_invisible``: one row per character class users paste (word processors, chat apps,
a crafted bidi override), and the Urdu joiners that must stay."""

from __future__ import annotations

import pytest

from i18n.invisible import strip_invisible

ZWNJ, ZWJ = "\u200c", "\u200d"


@pytest.mark.parametrize(
    ("typed", "one_line", "multi_line"),
    [
        ("Bail refused", "Bail refused", "Bail refused"),
        ("Bail \u202erefused\u202c", "Bail refused", "Bail refused"),  # RLO ... PDF: displays reversed
        ("\u202a\u202b\u202d x", " x", " x"),  # LRE, RLE, LRO
        ("\u2066a\u2067b\u2068c\u2069", "abc", "abc"),  # isolates LRI, RLI, FSI, PDI
        ("b\u200bail", "bail", "bail"),  # zero-width space splits a word for search
        ("\ufeffnarcotics", "narcotics", "narcotics"),  # byte-order mark from a pasted file
        ("a\x00b\x07c\x1bd", "abcd", "abcd"),  # C0 controls
        ("a\x7fb\x80c\x9fd", "abcd", "abcd"),  # DEL and C1 controls
        ("a\x85b", "a b", "ab"),  # NEL, a C1 line break: a space between the words of a name
        ("line one\nline\ttwo", "line one line two", "line one\nline\ttwo"),  # a tab never merges words
        # Format characters (Cf) by rule, not by list: each makes "bail" a different tag that looks the same.
        ("b\u2060ail", "bail", "bail"),  # WORD JOINER
        ("\u200ebail\u200f", "bail", "bail"),  # LRM, RLM
        ("ba\u00adil", "bail", "bail"),  # SOFT HYPHEN
        ("\u061cbail", "bail", "bail"),  # ARABIC LETTER MARK
        ("bai\u2063l", "bail", "bail"),  # INVISIBLE SEPARATOR
        ("bail\U000e0041", "bail", "bail"),  # TAG LATIN CAPITAL LETTER A
        ("\u2061\u2062\u2064\u180ebail", "bail", "bail"),  # invisible operators, Mongolian vowel separator
        # Line and paragraph separators: a line break where lines are kept, a space in a name.
        ("line one\u2028line two\u2029end", "line one line two end", "line one\nline two\nend"),
        # Visible Arabic signs of category Cf stay: number sign, year sign, end of ayah.
        ("\u0600\u0601\u0605 \u06dd\u08e2", "\u0600\u0601\u0605 \u06dd\u08e2", "\u0600\u0601\u0605 \u06dd\u08e2"),
        (f"می{ZWNJ}خواہم", f"می{ZWNJ}خواہم", f"می{ZWNJ}خواہم"),  # ZWNJ kept: Urdu/Persian letter forms
        (f"ل{ZWJ}", f"ل{ZWJ}", f"ل{ZWJ}"),  # ZWJ kept: a letter in its joining form
        ("ضمانت بعد از گرفتاری", "ضمانت بعد از گرفتاری", "ضمانت بعد از گرفتاری"),
    ],
)
def test_strip_invisible(typed: str, one_line: str, multi_line: str) -> None:
    assert strip_invisible(typed) == one_line
    assert strip_invisible(typed, multiline=True) == multi_line
