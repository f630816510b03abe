"""Pure evidence functions of the page reader: lexicon, shifted alphabets, mojibake, ink coverage,
box rotation and line order, guard signals. No Tesseract here."""

import cv2
import numpy as np
import pytest

from ocr.coverage import mask_outside, measure
from ocr.guard import Signals, overlap
from ocr.layout import RawWord, lines_reversed, rotate_box, sort_lines_by_position
from ocr.lexicon import is_mojibake, lexicon_rate, shifted_alphabet
from ocr.text_quality import Verdict, assess_text_layer
from ocr.types import Box, PageText

ENGLISH = ("The learned counsel for the prosecution submitted that the recovered articles were sent to the "
           "forensic laboratory and the report is awaited in the court of the sessions judge")


def shift(text: str, by: int) -> str:
    return "".join(chr((ord(c) - 65 + by) % 26 + 65) if c.isupper() else
                   chr((ord(c) - 97 + by) % 26 + 97) if c.islower() else c for c in text)


def test_lexicon_rate_of_real_english_is_high_and_of_noise_low() -> None:
    assert (lexicon_rate(ENGLISH) or 0) > 0.9
    assert (lexicon_rate("xq zvv qwhk plmn rtyx vbnm kjhg fdsq wert yuio") or 0) < 0.2
    assert lexicon_rate("too short") is None


@pytest.mark.parametrize("by", [1, -1, 3])
def test_shifted_alphabet_is_found_with_its_shift(by: int) -> None:
    finding = shifted_alphabet(shift(ENGLISH, by))
    assert finding is not None
    assert finding.shift == -by
    assert finding.rate_shifted > 0.9


def test_real_english_and_party_lists_are_not_shifted() -> None:
    assert shifted_alphabet(ENGLISH) is None
    parties = "Muhammad Aslam s/o Abdul Rehman, Zahid Khan, Gul Zaman, Noor Ali, Sher Dil, Bakht Jamal"
    assert shifted_alphabet(parties) is None


def test_shifted_text_layer_is_garbage_with_a_reason() -> None:
    verdict = assess_text_layer(shift(ENGLISH, 1) * 2, invisible_layer=False)
    assert verdict.verdict is Verdict.GARBAGE
    assert "shifted" in verdict.reason


def test_mojibake_layer_is_garbage() -> None:
    broken = ENGLISH.encode("utf-8").decode("latin-1")  # no multibyte chars: stays clean
    assert not is_mojibake(broken)
    quoted = " ".join(f"“{w}”" for w in ENGLISH.split()).encode("utf-8").decode("cp1252", errors="replace")
    assert is_mojibake(quoted)
    assert assess_text_layer(quoted, invisible_layer=False).verdict is Verdict.GARBAGE


def page_with_text(lines: int, top: int = 100) -> tuple[np.ndarray, list[Box]]:
    page = np.full((1400, 1000), 255, np.uint8)
    boxes = []
    for i in range(lines):
        y = top + i * 50
        cv2.putText(page, "the court of the sessions judge", (60, y), cv2.FONT_HERSHEY_SIMPLEX, 1.2, 0, 2)
        boxes.append(Box(55, y - 35, 640, 50))
    return page, boxes


def test_coverage_of_a_fully_described_page_is_complete() -> None:
    page, boxes = page_with_text(10)
    small = cv2.resize(page, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
    found = measure(small, boxes, 0.5)
    assert found.ink > 0 and not found.layer_incomplete and found.uncovered_share < 0.05


def test_coverage_finds_the_ink_the_layer_misses_and_where() -> None:
    page, boxes = page_with_text(20)
    small = cv2.resize(page, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
    found = measure(small, boxes[:2], 0.5)  # the layer knows only the first two lines (a stamp)
    assert found.layer_incomplete and found.uncovered_share > 0.8
    top = min(r.top for r in found.regions)
    assert 150 < top < 260  # the third line, at full resolution
    rest = mask_outside(page, found.regions)
    assert rest[boxes[0].top + 20, 100:600].min() == 255  # the layer's part is blanked
    assert rest[boxes[5].top:boxes[5].bottom, 60:700].min() == 0  # the missed part is kept


def test_ruling_lines_are_not_uncovered_text() -> None:
    page, boxes = page_with_text(5)
    for y in range(500, 1300, 60):
        cv2.line(page, (40, y), (960, y), 0, 2)
    cv2.rectangle(page, (20, 20), (980, 1380), 0, 3)
    small = cv2.resize(page, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
    assert not measure(small, boxes, 0.5).layer_incomplete


@pytest.mark.parametrize("turn", [90, 180, 270])
def test_rotate_box_matches_rotating_the_image(turn: int) -> None:
    image = np.zeros((300, 200), np.uint8)
    box = Box(20, 50, 40, 30)
    image[box.top:box.bottom, box.left:box.right] = 1
    codes = {90: cv2.ROTATE_90_CLOCKWISE, 180: cv2.ROTATE_180, 270: cv2.ROTATE_90_COUNTERCLOCKWISE}
    turned = cv2.rotate(image, codes[turn])
    ys, xs = np.nonzero(turned)
    moved = rotate_box(box, 200, 300, turn)
    assert (moved.left, moved.top, moved.right, moved.bottom) == (xs.min(), ys.min(), xs.max() + 1, ys.max() + 1)


def test_lines_written_bottom_up_are_put_in_reading_order() -> None:
    words = [RawWord(f"line{i}", Box(10, 1000 - 40 * i, 50, 20), None, (0,), (i,)) for i in range(6)]
    assert lines_reversed(words)
    ordered = sort_lines_by_position(words)
    assert [w.text for w in ordered] == [f"line{i}" for i in range(5, -1, -1)]


def test_two_columns_in_stream_order_are_left_alone() -> None:
    left = [RawWord(f"a{i}", Box(10, 100 + 40 * i, 50, 20), None, (0,), (i,)) for i in range(8)]
    right = [RawWord(f"b{i}", Box(500, 100 + 40 * i, 50, 20), None, (0,), (8 + i,)) for i in range(8)]
    assert not lines_reversed(left + right)


def test_guard_signals() -> None:
    good = Signals(words=300, expected_words=320, confidence=91.0, lexicon_rate=0.93)
    assert good.weak_reasons() == ()
    lost = Signals(words=120, expected_words=320, confidence=93.6, lexicon_rate=0.95)  # a cut-off page
    assert lost.weak_reasons() == ("few_words",)
    garbage = Signals(words=0, expected_words=250, confidence=None, lexicon_rate=None)
    assert "empty" in garbage.weak_reasons()
    blank = Signals(words=0, expected_words=0, confidence=None, lexicon_rate=None)
    assert blank.weak_reasons() == ()


def test_overlap_of_readings() -> None:
    assert overlap("the court of law", "The court of law.") == 1.0
    assert overlap("the court of law", "xx yy zz ww") == 0.0


def _page(words: list[tuple[str, float | None]], source: str = "ocr") -> PageText:
    from ocr.layout import join_words
    from ocr.types import TextSource

    raws = [RawWord(t, Box(10 * i, 10, 8, 8), c, (0,), (0,)) for i, (t, c) in enumerate(words)]
    text, joined = join_words(raws)
    confidences = [c for _, c in words if c is not None]
    return PageText(1, text, joined, sum(confidences) / len(confidences) if confidences else None,
                    TextSource(source), "tesseract", "5", "eng", 1000, 1000, 300, 0, None, (), False, 0)


def test_review_reasons_from_a_pages_own_evidence() -> None:
    from models import ReviewReason
    from ocr.page import PageOptions, review_reasons

    opts = PageOptions()
    assert review_reasons(_page([]), opts) == [ReviewReason.EMPTY]
    good = _page([("court", 95.0)] * 50)
    assert review_reasons(good, opts) == []
    assert review_reasons(good, opts, expected_words=400) == [ReviewReason.FEW_WORDS]
    assert review_reasons(_page([("c0urt", 40.0)] * 50), opts) == [ReviewReason.LOW_CONFIDENCE]
    assert review_reasons(_page([("court", None)] * 50, "text_layer"), opts) == []


def test_pashto_evidence_needs_clear_pashto_letters() -> None:
    from ocr.page import _pashto_evidence

    assert _pashto_evidence("د پېښور په صدر تھانه کې دعوه ثبت شوه ګرځنده ټیلیفون او پیسې یې واخیستې")
    assert not _pashto_evidence("تھانہ صدر پشاور میں مقدمہ درج کیا گیا اور ملزمان بھاگ چکے تھے")
    assert not _pashto_evidence("ځ")  # too few letters to say anything


# Words as Tesseract's Urdu model wrote them for a noisy English judgment page (issue 9: OSD called
# the page Arabic and the Urdu reading was kept): digits, Latin fragments, broken letters.
ENGLISH_READ_AS_URDU = (
    "۲۸۵۶۱57۸ م0 0087“ ج 50۶(۸ [2٥‏ ۷ ال ۸۵1131۵ ۷۸0,7525 ور6111[0 ا21۷\" در یں 86۴)301 مو پت آںن .۵۸۵ا "
    "(ہ٥ااءکللادز‏ ف1 0۷ااف(5ط۵]) چرزعەعفظ بت ۶۲۷ا ا053 ۸۸۷۳۸۳۲۰۰۸۵3۷ حدت18۹۸ ؾ 92× ە یو ۔رمم۸ 10١‏ وج"
)


def test_urdu_and_pashto_words_tell_text_from_noise_read_in_arabic_letters() -> None:
    from bench.ocr_samples import PASHTO_FIR, URDU_FIR
    from ocr.lexicon import arabic_word_rate
    from ocr.page import ARABIC_MIN_WORD_RATE, GUESS_MIN_WORD_RATE

    urdu, pashto = arabic_word_rate(URDU_FIR, "urd"), arabic_word_rate(PASHTO_FIR, "pus")
    assert urdu is not None and urdu >= 0.5 and pashto is not None and pashto >= 0.5
    noise = arabic_word_rate(ENGLISH_READ_AS_URDU, "urd")
    assert noise is not None and noise < ARABIC_MIN_WORD_RATE
    # The Urdu list knows few Pashto words: a Pashto page kept as Urdu on a document's guess would fail.
    pashto_as_urdu = arabic_word_rate(PASHTO_FIR, "urd")
    assert pashto_as_urdu is not None and pashto_as_urdu < GUESS_MIN_WORD_RATE
    assert arabic_word_rate("تھانہ صدر", "urd") is None  # too few tokens to say anything


def test_a_document_guesses_urdu_or_pashto_only_when_its_pages_agree() -> None:
    from ingest.pages import document_language_guess

    assert document_language_guess(["urd", "urd"]) == "urd"
    assert document_language_guess(["pus"]) == "pus"
    assert document_language_guess(["urd", "eng"]) == ""  # mixed: English first, as on any page
    assert document_language_guess(["eng"]) == ""
    assert document_language_guess([]) == ""


def test_arabic_script_readings_are_weak_on_their_words_not_on_confidence() -> None:
    from ocr.guard import arabic_weak_reasons

    urdu = _page([("تھانہ", 45.0)] * 40)  # Nastaliq read right at confidence 45
    assert arabic_weak_reasons(urdu, 40, 0.3) == ()
    assert arabic_weak_reasons(urdu, 40, 0.05) == ("lexicon",)
    assert arabic_weak_reasons(_page([]), 40, None) == ("empty",)
    assert arabic_weak_reasons(_page([]), 5, None) == ()
