import pytest

from ocr.types import Box, PageText, TextSource, Word


def _page(text: str, words: tuple[Word, ...]) -> PageText:
    return PageText(1, text, words, None, TextSource.OCR, "tesseract", "5.3.0", "eng",
                    100, 100, 300, 0, None, (), False, 0)


@pytest.mark.parametrize("args", [(-1, 0, 1, 1), (0, -1, 1, 1), (0, 0, -5, 1), (0, 0, 1, -2)])
def test_box_rejects_negative_values(args: tuple[int, int, int, int]) -> None:
    with pytest.raises(ValueError, match="non-negative"):
        Box(*args)


@pytest.mark.parametrize("bad", [1.5, "3", True])
def test_box_rejects_non_int(bad: object) -> None:
    with pytest.raises(TypeError):
        Box(bad, 0, 1, 1)  # type: ignore[arg-type]


def test_box_edges() -> None:
    box = Box(10, 20, 30, 40)
    assert (box.right, box.bottom) == (40, 60)


def test_word_span_must_match_text_length() -> None:
    with pytest.raises(ValueError, match="span length"):
        Word("appeal", Box(0, 0, 1, 1), 90.0, 0, 5)


def test_word_confidence_range() -> None:
    with pytest.raises(ValueError, match="confidence"):
        Word("x", Box(0, 0, 1, 1), 101.0, 0, 1)


def test_page_text_checks_word_spans_against_text() -> None:
    ok = Word("bail", Box(0, 0, 1, 1), None, 4, 8)
    assert _page("pre bail", (ok,)).words == (ok,)
    with pytest.raises(ValueError, match="does not match its span"):
        _page("pre jail", (ok,))


def test_page_text_rotation_must_be_right_angle() -> None:
    with pytest.raises(ValueError, match="rotation"):
        PageText(1, "", (), None, TextSource.OCR, "t", "v", "eng", 1, 1, 300, 45, None, (), False, 0)
