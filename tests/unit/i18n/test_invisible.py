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
        ("a\x7fb\x85c\x9fd", "abcd", "abcd"),  # DEL and C1 controls (NEL included)
        ("line one\nline\ttwo", "line onelinetwo", "line one\nline\ttwo"),
        (f"می{ZWNJ}خواہم", f"می{ZWNJ}خواہم", f"می{ZWNJ}خواہم"),  # ZWNJ kept: Urdu/Persian letter forms
        (f"ل{ZWJ}", f"ل{ZWJ}", f"ل{ZWJ}"),  # ZWJ kept: a letter in its joining form
        ("ضمانت بعد از گرفتاری", "ضمانت بعد از گرفتاری", "ضمانت بعد از گرفتاری"),
    ],
)
def test_strip_invisible(typed: str, one_line: str, multi_line: str) -> None:
    assert strip_invisible(typed) == one_line
    assert strip_invisible(typed, multiline=True) == multi_line
