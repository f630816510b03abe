from pathlib import Path

import pytest

from ocr.text_quality import Verdict, assess_text_layer, text_stats

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "ocr"
PROSE = (FIXTURES / "crl-a-48-2021-p2-text-layer.txt").read_text()
PARTY_LIST = (FIXTURES / "cpla-1925-2024-p2-party-list.txt").read_text()
BAD_OCR_LAYER = (FIXTURES / "jp587-2016-p1-invisible-ocr-layer.txt").read_text()
URDU = ("عدالت عظمیٰ پاکستان نے اپیل کی سماعت کے بعد فیصلہ سنایا کہ ملزم کو ضمانت پر رہا کیا جائے "
        "اور مقدمہ کی دوبارہ سماعت کی جائے۔ ") * 3


@pytest.mark.parametrize(
    ("name", "text", "invisible", "verdict"),
    [
        ("born-digital judgment prose", PROSE, False, Verdict.USABLE),
        ("list of parties, no function words", PARTY_LIST, False, Verdict.USABLE),
        ("Urdu text layer", URDU, False, Verdict.USABLE),
        ("poor invisible OCR layer (KODAK Capture)", BAD_OCR_LAYER, True, Verdict.GARBAGE),
        ("empty page", "", False, Verdict.ABSENT),
        ("page number and stamp only", "  12 \n AFR ", False, Verdict.ABSENT),
        ("unmapped font via pdfminer", "(cid:3)(cid:18)(cid:44) " * 30, False, Verdict.GARBAGE),
        ("replacement characters", "The \ufffd\ufffd\ufffd court \ufffd\ufffd held " * 10, False,
         Verdict.GARBAGE),
        ("private-use glyphs", "\ue001\ue002\ue003 \ue004\ue005 " * 20, False, Verdict.GARBAGE),
        ("letter soup", "xQzv KkJwq zZpR qWxT brrKt " * 20, False, Verdict.GARBAGE),
    ],
)
def test_text_layer_verdicts(name: str, text: str, invisible: bool, verdict: Verdict) -> None:
    assert assess_text_layer(text, invisible_layer=invisible).verdict is verdict, name


def test_invisible_layer_gets_a_stricter_bar() -> None:
    """The same middling text passes as a normal layer but not as an OCR layer of unknown quality."""
    stats = text_stats(BAD_OCR_LAYER)
    assert 0.70 <= stats.word_shape_ratio < 0.85
    assert assess_text_layer(BAD_OCR_LAYER, invisible_layer=False).verdict is Verdict.USABLE
    assert assess_text_layer(BAD_OCR_LAYER, invisible_layer=True).verdict is Verdict.GARBAGE


def test_stats_count_cid_glyphs_as_characters() -> None:
    stats = text_stats("(cid:1)(cid:2) ab")
    assert stats.chars == 4
    assert stats.bad_glyph_ratio == pytest.approx(0.5)


def test_arabic_share() -> None:
    assert text_stats(URDU).arabic_share == pytest.approx(1.0)
    assert text_stats(PROSE).arabic_share == 0.0
