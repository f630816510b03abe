import cv2
import numpy as np
import pytest

from ocr.preprocess import (
    MIN_SKEW,
    NO_PREPROCESSING,
    PreprocessOptions,
    analyse_lines,
    clean_border,
    preprocess,
    rotate_small,
)


def synthetic_page(lines: int = 40, width: int = 1700, height: int = 2200) -> np.ndarray:
    """A white page with justified lines of Hershey-font text, like a typed judgment at ~200 dpi."""
    page = np.full((height, width), 255, np.uint8)
    rng = np.random.default_rng(7)
    words = ["appeal", "bail", "section", "accused", "court", "learned", "counsel", "the", "of", "FIR"]
    for i in range(lines):
        text = " ".join(rng.choice(words, 9))
        cv2.putText(page, text, (150, 200 + i * 45), cv2.FONT_HERSHEY_SIMPLEX, 1.1, 0, 2, cv2.LINE_AA)
    return page


def noisy(image: np.ndarray) -> np.ndarray:
    """Gaussian noise sigma 18 plus 0.8 % salt and pepper: the case where minAreaRect returns -90."""
    rng = np.random.default_rng(3)
    out = image.astype(np.float32) + rng.normal(0, 18, image.shape)
    speckle = rng.random(image.shape)
    out[speckle < 0.004] = 0
    out[speckle > 0.996] = 255
    return np.clip(out, 0, 255).astype(np.uint8)


PAGE = synthetic_page()


@pytest.mark.parametrize("angle", [-7.0, -3.0, -1.2, 2.5, 4.0, 6.5])
@pytest.mark.parametrize("add_noise", [False, True])
def test_skew_is_measured_on_clean_and_noisy_pages(angle: float, add_noise: bool) -> None:
    image = rotate_small(PAGE, angle)
    if add_noise:
        image = noisy(image)
    lines = analyse_lines(image)
    assert lines.confident
    assert not lines.vertical
    assert lines.skew_angle == pytest.approx(angle, abs=0.3)


def test_deskew_straightens_the_page() -> None:
    prepared = preprocess(rotate_small(PAGE, 4.0), PreprocessOptions(orientation=False))
    assert prepared.skew_angle == pytest.approx(4.0, abs=0.3)
    assert abs(analyse_lines(prepared.image).skew_angle) <= 0.3


def test_small_skew_is_a_no_op() -> None:
    image = rotate_small(PAGE, MIN_SKEW / 2)
    options = PreprocessOptions(orientation=False, denoise=False, binarise=False, border_cleanup=False)
    prepared = preprocess(image, options)
    assert prepared.skew_angle is not None and abs(prepared.skew_angle) < MIN_SKEW
    assert np.array_equal(prepared.image, image)


def test_blank_page_is_not_deskewed() -> None:
    blank = np.full((1000, 800), 255, np.uint8)
    prepared = preprocess(blank, PreprocessOptions())
    assert prepared.skew_angle is None
    assert prepared.rotation == 0


def test_page_on_its_side_is_detected_as_vertical() -> None:
    assert analyse_lines(cv2.rotate(PAGE, cv2.ROTATE_90_CLOCKWISE)).vertical
    assert not analyse_lines(PAGE).vertical


def test_orientation_without_detector_never_rotates() -> None:
    prepared = preprocess(cv2.rotate(PAGE, cv2.ROTATE_90_CLOCKWISE), PreprocessOptions(), None)
    assert prepared.rotation == 0
    assert "orientation" in prepared.steps


def test_input_image_is_never_modified() -> None:
    image = noisy(rotate_small(PAGE, 3.0))
    before = image.copy()
    prepared = preprocess(image, PreprocessOptions())
    assert np.array_equal(image, before)
    assert prepared.image is not image


@pytest.mark.parametrize("step", ["orientation", "deskew", "denoise", "binarise", "border_cleanup"])
def test_each_step_can_be_switched_off(step: str) -> None:
    page = noisy(PAGE)  # noisy, so that denoise applies when it is on
    assert step in preprocess(page, PreprocessOptions()).steps
    prepared = preprocess(page, PreprocessOptions(**{step: False}))
    assert step not in prepared.steps
    assert len(prepared.steps) == 4


def test_denoise_only_applies_to_noisy_pages() -> None:
    assert "denoise" not in preprocess(PAGE, PreprocessOptions()).steps
    assert "denoise" in preprocess(noisy(PAGE), PreprocessOptions()).steps


def test_no_preprocessing_returns_a_grey_copy() -> None:
    colour = cv2.cvtColor(PAGE, cv2.COLOR_GRAY2BGR)
    prepared = preprocess(colour, NO_PREPROCESSING)
    assert prepared.steps == ()
    assert prepared.image.ndim == 2
    assert np.array_equal(prepared.image, PAGE)


def test_binarise_gives_two_levels() -> None:
    prepared = preprocess(noisy(PAGE), PreprocessOptions(orientation=False, deskew=False))
    assert set(np.unique(prepared.image)) <= {0, 255}


def test_border_cleanup_removes_scanner_shadow_and_keeps_text() -> None:
    page = PAGE.copy()
    page[:, :40] = 0          # dark shadow along the left edge
    page[-30:, :] = 0         # and along the bottom
    cleaned = clean_border(page)
    assert cleaned[:, :40].min() == 255
    assert cleaned[-30:, :].min() == 255
    body = (slice(150, 2000), slice(140, 1600))
    assert np.array_equal(cleaned[body], page[body])  # text untouched


def test_border_cleanup_removes_a_scanner_streak_but_not_the_words_it_crosses() -> None:
    """A real scan (Crl.P.L.A.1055-2025 p2) has a dark line from the top edge down through the first
    letters of every line; the whole region used to be whitened, erasing 27 words."""
    page = PAGE.copy()
    page[:, 300:305] = 0  # the streak crosses the words of every line
    cleaned = clean_border(page)
    assert (cleaned[:, 300:305] == 255).mean() > 0.9  # the streak is gone
    beside = (slice(150, 2000), np.r_[150:296, 309:600])
    assert np.array_equal(cleaned[beside], page[beside])  # the letters around it are kept
