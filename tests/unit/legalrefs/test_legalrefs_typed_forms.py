"""Table-driven tests for forms librarians and clerks type (record edit form, search box, API): reporters
spaced or with the court in brackets, act-first sections, Urdu and Arabic-Indic digits; with negatives.

Rows are the shapes seen typed on judgment records (``1998 P L D (SC) 1445``) and their neighbours.
"""

from __future__ import annotations

import pytest

from legalrefs import RefKind, find_references, normalise

# (typed, keys normalise gives)
TYPED: list[tuple[str, list[str]]] = [
    # spaced or bracketed reporters and courts
    ("1998 P L D (SC) 1445", ["PLD 1998 SC 1445"]),
    ("PLD 1998 (SC) 1445", ["PLD 1998 SC 1445"]),
    ("P L D 1998 (SC) 1445", ["PLD 1998 SC 1445"]),
    ("1998 PLD (SC) 1445", ["PLD 1998 SC 1445"]),
    ("1998 P. L. D. (S. C.) 1445", ["PLD 1998 SC 1445"]),
    ("PLD 1998 (Supreme Court) 1445", ["PLD 1998 SC 1445"]),
    ("PLD 1998 (Lahore) 12", ["PLD 1998 Lahore 12"]),
    ("P L J 2022 (SC) 40", ["PLJ 2022 SC 40"]),
    ("2022 S C M R 1641", ["SCMR 2022 1641"]),
    ("2000 P Cr L J 1688", ["PCrLJ 2000 1688"]),
    # bracketed sub-series and notes keep their readings
    ("PLJ 2022 SC (Cr.C.) 40", ["PLJ 2022 SC(Cr.C) 40"]),
    ("NLR 2005 (Criminal) SC 501", ["NLR 2005 SC(Criminal) 501"]),
    ("PLD 1995 Lahore (Note) 54", ["PLD 1995 Lahore Note 54"]),
    # Urdu (U+06F0-06F9) and Arabic-Indic (U+0660-0669) digits
    ("۲۰۲۲ SCMR ۱۶۴۱", ["SCMR 2022 1641"]),            # ۲۰۲۲ SCMR ۱۶۴۱
    ("٢٠٢٢ SCMR ١٦٤١", ["SCMR 2022 1641"]),            # ٢٠٢٢ SCMR ١٦٤١
    ("PLD ۲۰۰۹ SC ۵۳", ["PLD 2009 SC 53"]),
    ("۳۰۲(b) PPC", ["PPC 302(b)"]),
    ("PPC ۳۰۲(b)", ["PPC 302(b)"]),
    ("s.۴۹۷(۲) Cr.P.C.", ["CrPC 497(2)"]),
    ("٣٠٢ PPC", ["PPC 302"]),
]

NEGATIVES: list[tuple[str, RefKind]] = [
    ("PLD 1998 (SC 1445", RefKind.CITATION),    # brackets must pair
    ("1998 (SC) 1445", RefKind.CITATION),        # no reporter
    ("P L D (SC) 1445", RefKind.CITATION),       # no year
]


@pytest.mark.parametrize(("typed", "keys"), TYPED, ids=[t[0] for t in TYPED])
def test_typed_form(typed: str, keys: list[str]) -> None:
    assert normalise(typed) == keys


@pytest.mark.parametrize(("text", "kind"), NEGATIVES, ids=[n[0] for n in NEGATIVES])
def test_typed_negative(text: str, kind: RefKind) -> None:
    assert [r.key for r in find_references(text) if r.kind is kind] == []


def test_a_bracketed_court_is_part_of_the_citation_span() -> None:
    text = "relied on 1998 P L D (SC) 1445 and others"
    (ref,) = find_references(text, [RefKind.CITATION])
    assert ref.raw == "1998 P L D (SC) 1445" and ref.key == "PLD 1998 SC 1445"


def test_native_digits_keep_the_printed_span() -> None:
    text = "relied on ۲۰۲۲ SCMR ۱۶۴۱ and s.۳۰۲ PPC"
    cite, section = find_references(text, [RefKind.CITATION, RefKind.STATUTE])
    assert (cite.key, cite.raw) == ("SCMR 2022 1641", text[cite.start:cite.end])
    assert cite.raw == "۲۰۲۲ SCMR ۱۶۴۱"
    assert (section.key, section.raw) == ("PPC 302", "s.۳۰۲ PPC")
