"""Citations inside typed text on an Urdu page (``caselaw.bidi``, the ``refs``, ``ltr_refs`` and
``plain_title`` template filters): each citation, section and case number is isolated left-to-right,
everything else escaped, line breaks kept, a text without references unchanged; a whole title for an
``<option>`` isolated in its own direction. Pure; no services."""

from __future__ import annotations

import pytest
from markupsafe import Markup

from caselaw.bidi import isolated_text, isolated_title, segments
from search_app.views.caselaw import isolate_refs, isolate_refs_text, isolate_title_text

BDI = '<bdi dir="ltr" class="ref">'


@pytest.mark.parametrize(("text", "expected"), [
    # the reported defect: shown as "SCMR 1791 2010" in an Urdu headnote
    ("اس فیصلے میں 2010 SCMR 1791 پر انحصار کیا گیا",
     f"اس فیصلے میں {BDI}2010 SCMR 1791</bdi> پر انحصار کیا گیا"),
    ("محمد اسلم بنام سرکار (2022 SCMR 821)", f"محمد اسلم بنام سرکار ({BDI}2022 SCMR 821</bdi>)"),
    # the Urdu word for "section" stays in the sentence, the section itself is isolated
    ("ضمانت دفعہ 302(b) PPC کے تحت", f"ضمانت دفعہ {BDI}302(b) PPC</bdi> کے تحت"),
    ("اپیل C.A.1286-2018 میں", f"اپیل {BDI}C.A.1286-2018</bdi> میں"),
    ("PLD 2015 SC 12 اور 9(c) CNSA", f"{BDI}PLD 2015 SC 12</bdi> اور {BDI}9(c) CNSA</bdi>"),
])
def test_references_in_typed_text_are_isolated_left_to_right(text: str, expected: str) -> None:
    assert isolate_refs(text) == Markup(expected)


def test_the_rest_of_the_text_is_escaped_never_trusted() -> None:
    shown = isolate_refs('<script>alert(1)</script> 2010 SCMR 1791 & "x"')
    assert "<script>" not in shown
    assert shown == Markup(f'&lt;script&gt;alert(1)&lt;/script&gt; {BDI}2010 SCMR 1791</bdi> &amp; &#34;x&#34;')
    assert isolate_refs("<b>no citation</b>") == Markup("&lt;b&gt;no citation&lt;/b&gt;")


def test_line_breaks_are_kept_where_they_were_typed() -> None:
    text = "پہلی سطر 2010 SCMR 1791\nدوسری سطر\r\n302 PPC"
    assert isolate_refs(text) == Markup(f"پہلی سطر {BDI}2010 SCMR 1791</bdi>\nدوسری سطر\r\n{BDI}302 PPC</bdi>")
    # a citation broken over two lines stays as typed, not joined into one unbreakable run
    assert "".join(s.text for s in segments("2010 SCMR\n1791")) == "2010 SCMR\n1791"
    assert BDI not in isolate_refs("2010 SCMR\n1791")


@pytest.mark.parametrize("text", ["غلام حسین بنام سرکار", "Ghulam Hussain v. The State", ""])
def test_a_text_without_references_is_unchanged(text: str) -> None:
    assert isolate_refs(text) == Markup(text)
    assert isolated_text(text) == text


def test_none_shows_as_nothing() -> None:
    assert isolate_refs(None) == Markup("")
    assert isolate_refs_text(None) == ""


def test_plain_text_places_get_isolate_marks() -> None:
    title = "محمد اسلم بنام سرکار (2022 SCMR 821)"
    assert isolate_refs_text(title) == "محمد اسلم بنام سرکار (\u20662022 SCMR 821\u2069)"


@pytest.mark.parametrize(("title", "expected"), [
    # an Urdu title: its own direction (right-to-left), the citation in it left-to-right
    ("فرد برآمدگی، اپیل 2010 SCMR 1791", "\u2068فرد برآمدگی، اپیل \u20662010 SCMR 1791\u2069\u2069"),
    # an English file name on an Urdu page: its ")" and ".pdf" stay at its end
    ("Recovery memo (P-1).pdf", "\u2068Recovery memo (P-1).pdf\u2069"),
    ("", ""),
])
def test_a_whole_title_for_an_option_is_isolated_in_its_own_direction(title: str, expected: str) -> None:
    assert isolated_title(title) == expected
    assert isolate_title_text(title) == expected


def test_a_missing_title_for_an_option_is_nothing() -> None:
    assert isolate_title_text(None) == ""
