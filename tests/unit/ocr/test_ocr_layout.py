from typing import Any

import pytest

from ocr.layout import RawWord, blocks_top_down, join_words, mean_confidence
from ocr.tesseract import raw_words_from_data
from ocr.types import Box


def _tsv_dict(rows: list[tuple[int, int, int, int, int, str, Any]]) -> dict[str, list[Any]]:
    """Build the dict pytesseract.image_to_data(output_type=DICT) returns, from
    (level, block, par, line, word, text, conf) rows; boxes are made up from the row number."""
    keys = ["level", "page_num", "block_num", "par_num", "line_num", "word_num",
            "left", "top", "width", "height", "conf", "text"]
    data: dict[str, list[Any]] = {k: [] for k in keys}
    for i, (level, block, par, line, word, text, conf) in enumerate(rows):
        for key, value in zip(keys, [level, 1, block, par, line, word, 10 * i, 5 * i, 8, 12, conf, text],
                              strict=True):
            data[key].append(value)
    return data


SAMPLE = _tsv_dict([
    (1, 0, 0, 0, 0, "", -1),          # page row
    (2, 1, 0, 0, 0, "", -1),          # block row
    (4, 1, 1, 1, 0, "", -1),          # line row
    (5, 1, 1, 1, 1, "Criminal", 96.5),
    (5, 1, 1, 1, 2, "Appeal", "91.25"),  # Tesseract 5 prints float strings
    (5, 1, 1, 2, 1, "No.48", 88),
    (5, 1, 1, 2, 2, "   ", 95),       # whitespace-only word: dropped
    (5, 2, 1, 1, 1, "JUDGMENT", 99),
    (5, 2, 2, 1, 1, "Present:", -1),  # conf -1 on a word: no confidence
])


def test_words_text_and_spans_from_image_to_data_dict() -> None:
    text, words = join_words(raw_words_from_data(SAMPLE))
    assert text == "Criminal Appeal\nNo.48\n\nJUDGMENT\n\nPresent:"
    assert [w.text for w in words] == ["Criminal", "Appeal", "No.48", "JUDGMENT", "Present:"]
    for word in words:
        assert text[word.char_start : word.char_end] == word.text
    assert words[1].confidence == pytest.approx(91.25)
    assert words[-1].confidence is None
    assert words[0].box == Box(30, 15, 8, 12)


def test_mean_confidence_weights_by_length_and_skips_none() -> None:
    _, words = join_words(raw_words_from_data(SAMPLE))
    expected = (96.5 * 8 + 91.25 * 6 + 88 * 5 + 99 * 8) / (8 + 6 + 5 + 8)
    assert mean_confidence(words) == pytest.approx(expected, abs=0.01)
    assert mean_confidence(()) is None


def test_join_words_skips_empty_and_keeps_separators() -> None:
    b = Box(0, 0, 1, 1)
    raw = [RawWord("a", b, None, (0,), (0,)), RawWord(" ", b, None, (0,), (0,)),
           RawWord("b", b, None, (0,), (1,)), RawWord("c", b, None, (1,), (2,))]
    text, words = join_words(raw)
    assert text == "a\nb\n\nc"
    assert [(w.char_start, w.char_end) for w in words] == [(0, 1), (2, 3), (5, 6)]


def test_negative_tesseract_boxes_are_clamped() -> None:
    data = _tsv_dict([(5, 1, 1, 1, 1, "edge", 50)])
    data["left"][0] = -3
    (word,) = raw_words_from_data(data)
    assert word.box.left == 0


def _block(number: int, left: int, top: int, width: int, lines: list[str]) -> list[RawWord]:
    return [RawWord(text, Box(left, top + 40 * i, width, 30), 90.0, (1, number, 1), (1, number, 1, i))
            for i, text in enumerate(lines)]


def test_a_block_emitted_early_on_a_one_column_page_goes_back_to_its_place() -> None:
    # As Tesseract read a photocopied judgment: the petitioner's line, from mid-page, came first.
    petitioner = _block(1, 460, 1200, 1380, ["Ahmad Ali"])
    heading = _block(2, 510, 400, 1350, ["IN THE SUPREME COURT OF PAKISTAN", "(Appellate Jurisdiction)"])
    caption = _block(3, 520, 900, 870, ["Criminal Petition No. 183-P of 2022"])
    versus = _block(4, 455, 1245, 1800, ["Petitioner", "Versus", "The State"])
    ordered = blocks_top_down(petitioner + heading + caption + versus)
    text, _ = join_words(ordered)
    assert text.split("\n\n") == [
        "IN THE SUPREME COURT OF PAKISTAN\n(Appellate Jurisdiction)",
        "Criminal Petition No. 183-P of 2022",
        "Ahmad Ali",
        "Petitioner\nVersus\nThe State",
    ]


def test_blocks_side_by_side_keep_tesseracts_order() -> None:
    # Two columns (or a label beside its value): Tesseract's column order stands, even though the
    # right column's first block starts higher than the left column's.
    left = _block(1, 100, 200, 800, ["left column"] * 10)
    right = _block(2, 1000, 150, 800, ["right column"] * 10)
    stream = left + right
    assert blocks_top_down(stream) == stream


def test_one_block_is_returned_as_it_came() -> None:
    stream = _block(1, 100, 200, 800, ["only", "lines"])
    assert blocks_top_down(stream) == stream
