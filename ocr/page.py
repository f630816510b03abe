"""The one entry point the pipeline calls: one page (PDF page or image frame) in, a reading out.

A PDF page: read its text layer (glyphs, form-field values, FreeText annotations) and weigh it:
* garbage (unmapped glyphs, shifted alphabet, mojibake) or absent -> OCR the rendered page;
* an invisible OCR layer of doubtful language quality -> OCR too, keep the better reading by score;
* images on the page -> compare where the rendering has ink with where the layer's glyphs are and
  OCR the ink the layer does not explain (a stamp over a scan, a photo of a document in an order);
* otherwise the layer is the page's text (no OCR).

An image page (scan, photo, OCR of a PDF page): flatten a phone photo (page outline + perspective) ->
preprocess (orientation, deskew, denoise/binarise only when clearly noisy) -> Tesseract -> cheap signals
(words against ink, confidence, dictionary words; thresholds measured by bench.ocr_guard_calibration).
Only a reading they call weak pays for more: plain Tesseract on the untouched image (the never-worse
guard; skipped when preprocessing left the pixels as they were), then RapidOCR for Latin script;
the reading with the higher ``ocr.guard.score`` is kept.

Languages (``languages="auto"``): an English page costs one Tesseract call. A page whose English
reading is poor has a band read with the Pashto model; only if that band holds Urdu or Pashto words
is the page read as Urdu or Pashto (told apart by letters only Pashto uses), and that reading is
kept only if its words are the language's words. Later pages of a document whose pages so far were
Urdu (or Pashto) are read in that language first (``PageOptions.language_guess``): one reading.
OSD runs at most once per page, and only when a page may be turned.

Every page comes back with ``review_reasons`` (models.enums.ReviewReason) when a person should look.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from models.enums import ReviewReason
from ocr import coverage, guard, rapid
from ocr.downscale import analysis_copy
from ocr.errors import PageError, PageErrorCode
from ocr.images import inspect_image, load_page
from ocr.layout import RawWord, join_words, mean_confidence
from ocr.lexicon import arabic_lexicon, arabic_word_rate, lexicon_rate
from ocr.pdf import DEFAULT_MAX_PIXELS, TextLayer, read_text_layer, render_page
from ocr.photo import straighten_photo
from ocr.preprocess import (
    MIN_OSD_CONFIDENCE,
    LineAnalysis,
    Prepared,
    PreprocessOptions,
    analyse_lines,
    preprocess,
    rotate_right_angle,
    to_grey,
)
from ocr.script import PASHTO_LETTERS, URDU_LETTERS, detect_language_from_text
from ocr.tesseract import OsdResult, detect_orientation, ocr_image
from ocr.text_quality import QualityThresholds, Verdict
from ocr.types import Box, PageText, TextSource, Word

AUTO = "auto"
# An invisible OCR layer (scanner software's) is re-read when under this share of dictionary words.
INVISIBLE_LAYER_MIN_LEXICON = 0.85
# Arabic-script pages read with geometry only (PageOptions.arabic_denoise_binarise=False). When every
# photo was binarised, Nastaliq strokes broke (issue 9: under 10 % of words right, 25-50 % without).
# Now median and binarisation run only on clearly noisy pages (preprocess.NOISE_LEVEL; photos measure
# 2.2-2.3 and are left alone), and there they help Arabic script too: words right on the noisy Urdu
# FIR 0.19 -> 0.37, Pashto 0.77 -> 0.96, photos unchanged (bench.ocr_accuracy), so they are on.
ARABIC_PREPROCESS = {"denoise": False, "binarise": False}
# OSD's script verdict is asked only after the English reading failed. A clear "Latin" ends the search
# for another script; "Arabic" is never taken on its word (0.5-3 on clean Urdu pages, and it called a
# noisy English page Arabic): the Urdu or Pashto reading must show the language's words.
OSD_LATIN_CONFIDENCE = 2.0
# A Latin first pass this weak may be an upside-down page: run OSD and, if it says so, OCR again.
ORIENTATION_RETRY_CONFIDENCE = 45.0
# An Urdu or Pashto reading is taken as real text when at least this share of its tokens are words of
# the language (ocr.lexicon.arabic_word_rate): upright Urdu/Pashto pages 0.15-0.55 even with the other
# language's model; upside down 0.00-0.08; English pages read as Urdu or Pashto 0.00-0.02 (issue 9).
ARABIC_MIN_WORD_RATE = 0.12
GUESS_MIN_WORD_RATE = 0.21  # ... and to keep a document's guess "urd" without looking for Pashto
# (Urdu pages read as Urdu 0.24-0.35; Pashto pages read as Urdu 0.16-0.19)
SCRIPT_BAND = (0.15, 0.6)  # rows read with the Pashto model to tell Pashto from Urdu
# Pashto-only letters per Arabic letter in the Pashto model's reading that make a page Pashto (Pashto
# FIR pages: 5-9 %; Urdu pages read with the Pashto model: 0-1.6 %, noise letters) ...
PASHTO_MIN_SHARE = 0.03
PASHTO_OVER_URDU = 2.0  # ... and this many times more than Urdu-only letters


@dataclass(frozen=True, slots=True)
class PageOptions:
    languages: str = AUTO  # "auto" (the shipped default), "eng", "urd", "pus", "eng+urd", ...
    dpi: int = 300
    preprocess: PreprocessOptions = field(default_factory=PreprocessOptions)
    timeout_s: float = 180.0  # per page, all engine calls together (OCRmyPDF's default)
    low_confidence_threshold: float = 60.0
    min_words_image_page: int = 3  # fewer words on a page sent to OCR: needs review (photo, blank?)
    # Languages other pages of the same document were read as ("urd", "pus"): with languages=auto
    # the first reading uses them, and is kept when its words are that language's words.
    language_guess: str = ""
    max_pixels: int = DEFAULT_MAX_PIXELS
    min_image_side: int = 200
    text_layer_thresholds: QualityThresholds = field(default_factory=QualityThresholds)
    photo: bool = True  # find a photographed sheet's outline and undo the perspective
    guard: bool = True  # a weak reading is compared with plain Tesseract on the untouched image
    second_engine: bool = True  # ... and, for Latin script, with RapidOCR
    # Median filter and binarisation on clearly noisy Arabic-script pages too (off: geometry only;
    # bench.ocr_accuracy measures both)
    arabic_denoise_binarise: bool = True


@dataclass(frozen=True, slots=True)
class PageRead:
    """A page's text plus the image its words were read on (None: render the PDF page for viewing)."""

    page: PageText
    image: np.ndarray | None


class _Deadline:
    def __init__(self, seconds: float) -> None:
        self._seconds = seconds
        self._end = time.monotonic() + seconds

    def remaining(self) -> float:
        left = self._end - time.monotonic()
        if left <= 0:
            raise PageError(PageErrorCode.OCR_TIMEOUT, f"page exceeded {self._seconds:g} s")
        return left


def _elapsed_ms(started: float) -> int:
    return round((time.perf_counter() - started) * 1000)


# ------------------------------------------------------------------ entry points


def process_pdf_page(path: str | Path, page_index: int, opts: PageOptions) -> PageText:
    return read_pdf_page(path, page_index, opts).page


def process_image_frame(path: str | Path, frame_index: int, opts: PageOptions) -> PageText:
    return read_image_page(path, frame_index, opts).page


def read_image_page(path: str | Path, page_index: int, opts: PageOptions) -> PageRead:
    """Page ``page_index`` (0-based, preview frames skipped) of an image file."""
    started = time.perf_counter()
    info = inspect_image(path, opts.max_pixels, opts.min_image_side)
    frame = load_page(path, page_index, info.frames)
    reasons = (ReviewReason.PARTIAL_IMAGE,) if frame.partial else ()
    return _ocr_page(frame.image, page_index + 1, opts, info.dpi or opts.dpi, started, reasons, frame.notes)


def read_pdf_page(path: str | Path, page_index: int, opts: PageOptions) -> PageRead:
    started = time.perf_counter()
    layer = read_text_layer(path, page_index, opts.dpi, thresholds=opts.text_layer_thresholds)
    partial = (ReviewReason.PARTIAL_IMAGE,) if layer.partial_image else ()
    verdict = layer.assessment.verdict
    if verdict is Verdict.USABLE and not _doubtful_invisible_layer(layer):
        if layer.image_objects == 0:
            return _finish(layer.page_text, None, opts, started, partial, latin=_latin(layer.page_text.text))
        return _layer_plus_uncovered(path, page_index, layer, opts, started, partial)
    image = rotate_right_angle(render_page(path, page_index, opts.dpi, max_pixels=opts.max_pixels),
                               layer.page_text.rotation)
    doubt = (ReviewReason.TEXT_LAYER_DOUBT,) if verdict is Verdict.GARBAGE else ()
    read = _ocr_page(image, page_index + 1, opts, opts.dpi, started, partial + doubt, ())
    if verdict is Verdict.USABLE:  # a doubtful invisible layer: keep whichever reading is better
        latin = _latin(layer.page_text.text)
        if guard.score(layer.page_text, latin=latin) > guard.score(read.page, latin=latin):
            return _finish(layer.page_text, None, opts, started, partial, latin=latin)
    return read


def _doubtful_invisible_layer(layer: TextLayer) -> bool:
    if not layer.invisible:
        return False
    rate = lexicon_rate(layer.page_text.text)
    return rate is not None and _latin(layer.page_text.text) and rate < INVISIBLE_LAYER_MIN_LEXICON


def _latin(text: str) -> bool:
    return detect_language_from_text(text).arabic_share < 0.5


# ------------------------------------------------------------------ text layer + OCR of the rest


def _layer_plus_uncovered(
    path: str | Path, page_index: int, layer: TextLayer, opts: PageOptions, started: float,
    reasons: tuple[ReviewReason, ...],
) -> PageRead:
    """A usable layer on a page with images: OCR the ink the layer's glyphs do not explain."""
    base = layer.page_text
    small = rotate_right_angle(render_page(path, page_index, coverage.ANALYSIS_DPI), base.rotation)
    found = coverage.measure(small, (w.box for w in base.words), coverage.ANALYSIS_DPI / opts.dpi)
    latin = _latin(base.text)
    if not found.layer_incomplete:
        return _finish(base, None, opts, started, reasons, latin=latin)
    full = rotate_right_angle(render_page(path, page_index, opts.dpi, max_pixels=opts.max_pixels), base.rotation)
    rest = coverage.mask_outside(full, found.regions)
    # No orientation or deskew here: the OCR'd words must stay in the layer's coordinates.
    region_opts = replace(opts, photo=False, preprocess=replace(opts.preprocess, orientation=False, deskew=False))
    ocr = _ocr_page(rest, base.page_no, region_opts, opts.dpi, started, (), ()).page
    merged = merge_readings(base, ocr)
    return _finish(merged, None, opts, started, reasons, latin=latin)


def _split(page: PageText) -> list[list[list[Word]]]:
    """Words of a page as blocks of lines, from the separators ``join_words`` put between them."""
    blocks: list[list[list[Word]]] = []
    for index, word in enumerate(page.words):
        gap = page.text[page.words[index - 1].char_end : word.char_start] if index else "\n\n"
        if "\n\n" in gap:
            blocks.append([[word]])
        elif "\n" in gap:
            blocks[-1].append([word])
        else:
            blocks[-1][-1].append(word)
    return blocks


def merge_readings(layer: PageText, ocr: PageText) -> PageText:
    """The layer's words, with the OCR'd blocks inserted where they stand on the page (before the
    first layer line that starts below them). OCR words overlapping a layer word are dropped."""
    kept = [w for w in ocr.words if not any(_overlaps(w.box, other.box) for other in layer.words)]
    keep = {id(w) for w in kept}
    ocr_blocks = [
        [[w for w in line if id(w) in keep] for line in block] for block in _split(ocr)
    ]
    ocr_blocks = [[line for line in block if line] for block in ocr_blocks]
    ocr_blocks = sorted((b for b in ocr_blocks if b), key=lambda b: min(w.box.top for w in b[0]))
    sequence: list[RawWord] = []

    def add_block(number: int, block: list[list[Word]]) -> None:
        for line_no, line in enumerate(block):
            sequence.extend(RawWord(w.text, w.box, w.confidence, (1, number), (1, number, line_no)) for w in line)

    layer_lines = [line for block in _split(layer) for line in block]
    inserted = 0
    for line_no, line in enumerate(layer_lines):
        top = min(w.box.top for w in line)
        while ocr_blocks and min(w.box.top for w in ocr_blocks[0][0]) < top:
            add_block(inserted, ocr_blocks.pop(0))
            inserted += 1
        sequence.extend(RawWord(w.text, w.box, None, (0,), (0, line_no)) for w in line)
    for block in ocr_blocks:
        add_block(inserted, block)
        inserted += 1
    text, words = join_words(sequence)
    confidences = [w for w in words if w.confidence is not None]
    return replace(
        layer, text=text, words=words, mean_confidence=mean_confidence(confidences) if confidences else None,
        engine=f"{layer.engine}+{ocr.engine}"[:40],
        preprocessing=(*layer.preprocessing, "ocr_uncovered_ink", *ocr.preprocessing),
    )


def _overlaps(a: Box, b: Box) -> bool:
    x = max(0, min(a.right, b.right) - max(a.left, b.left))
    y = max(0, min(a.bottom, b.bottom) - max(a.top, b.top))
    smaller = min(a.width * a.height, b.width * b.height)
    return smaller > 0 and x * y >= 0.3 * smaller


# ------------------------------------------------------------------ OCR of an image


@dataclass(frozen=True, slots=True)
class _Candidate:
    page: PageText
    image: np.ndarray
    steps: tuple[str, ...]
    rotation: int
    skew: float | None


class _Osd:
    """Tesseract's OSD (orientation and script) for one page, run at most once per image: the
    orientation check of the first pass, the upside-down retry and the script check all ask about
    the same straightened page (``preprocess`` passes that very array when it has not turned it)."""

    def __init__(self, deadline: _Deadline) -> None:
        self._deadline = deadline
        self._seen: list[tuple[np.ndarray, OsdResult | None]] = []

    def __call__(self, image: np.ndarray, dpi: int) -> OsdResult | None:
        for seen, result in self._seen:
            if seen is image:
                return result
        result = detect_orientation(image, dpi, self._deadline.remaining())
        self._seen.append((image, result))
        return result


@dataclass(slots=True)
class _Page:
    """What one page's reading shares between its steps (computed once)."""

    grey: np.ndarray  # the page as read: grey, a photo flattened
    page_no: int
    dpi: int
    opts: PageOptions
    deadline: _Deadline
    osd: _Osd
    turned: int = 0  # clockwise degrees ``grey`` was turned from the page as it came (OSD's verdict)
    readings: dict[str, _Candidate] = field(default_factory=dict)  # by language: never read twice
    # Measurements shared by every reading of the page: the reduced, median-filtered copy (word
    # estimate and line analysis), the line analysis, and each way the page was prepared (an Urdu
    # page read first as English is prepared once for both readings: same options, same pixels).
    _small: np.ndarray | None = None
    _lines: LineAnalysis | None = None
    _prepared: dict[tuple[PreprocessOptions, bool], Prepared] = field(default_factory=dict)

    @property
    def small(self) -> np.ndarray:
        if self._small is None:
            self._small = analysis_copy(self.grey)
        return self._small

    def prepare(self, options: PreprocessOptions, *, force_orientation: bool = False) -> Prepared:
        """``ocr.preprocess.preprocess`` of the page, computed once per (options, forced OSD)."""
        key = (options, force_orientation)
        if key not in self._prepared:
            if self._lines is None and (options.orientation or options.deskew):
                self._lines = analyse_lines(self.grey, self.small)
            self._prepared[key] = preprocess(self.grey, options, self.osd, dpi=self.dpi,
                                             force_orientation=force_orientation, lines=self._lines)
        return self._prepared[key]

    def read(self, languages: str) -> _Candidate:
        """The page read in ``languages`` (turned if OSD and the reading agree it is upside down)."""
        if languages not in self.readings:
            self.readings[languages] = _turned_if_better(self, _read(self, languages), languages)
        return self.readings[languages]

    def turn(self, clockwise: int) -> _Page:
        """The same page turned by ``clockwise`` degrees (OSD found it upside down or on its side)."""
        return _Page(rotate_right_angle(self.grey, clockwise), self.page_no, self.dpi, self.opts, self.deadline,
                     self.osd, (self.turned + clockwise) % 360)


def _ocr_page(
    image: np.ndarray, page_no: int, opts: PageOptions, dpi: int, started: float,
    reasons: tuple[ReviewReason, ...], notes: tuple[str, ...],
) -> PageRead:
    deadline = _Deadline(opts.timeout_s)
    grey = to_grey(image)
    steps: list[str] = list(notes)
    if opts.photo:
        grey, warped = straighten_photo(grey)
        if warped:
            steps.append("perspective")
    ctx = _Page(grey, page_no, dpi, opts, deadline, _Osd(deadline))
    expected = guard.estimated_words(grey, ctx.small)
    script_doubt = False
    # A blank or nearly blank page has no script to find.
    if opts.languages == AUTO and expected >= guard.MIN_EXPECTED:
        best, script_doubt = _settle_language(ctx, _read(ctx, _first_languages(opts)))
    else:
        best = ctx.read(_first_languages(opts))
    latin = not _arabic_languages(best.page.language) and _latin(best.page.text)
    best, guard_reasons, guard_steps, weak = _guard(image, ctx, best, expected, latin, flattened="perspective" in steps)
    language_reasons = (ReviewReason.LANGUAGE_UNSURE,) if script_doubt and weak else ()
    page = replace(
        best.page, rotation=best.rotation, skew_angle=best.skew,
        preprocessing=(*steps, *best.steps, *guard_steps),
    )
    page = _finish(page, best.image, opts, started, (*reasons, *language_reasons, *guard_reasons),
                   latin=latin, expected_words=expected).page
    return PageRead(page, best.image)


def _first_languages(opts: PageOptions) -> str:
    """The language of the first reading: the batch's choice, else what other pages of the same
    document were read as (``language_guess``), else English."""
    if opts.languages != AUTO:
        return opts.languages
    return opts.language_guess or "eng"


def _preprocessing(opts: PageOptions, languages: str) -> PreprocessOptions:
    if _arabic_languages(languages) and not opts.arabic_denoise_binarise:
        return replace(opts.preprocess, **ARABIC_PREPROCESS)
    return opts.preprocess


def _read(ctx: _Page, languages: str) -> _Candidate:
    """One Tesseract reading of the preprocessed page (no orientation retry)."""
    prepared = ctx.prepare(_preprocessing(ctx.opts, languages))
    page = ocr_image(prepared.image, languages, ctx.deadline.remaining(), ctx.page_no, ctx.dpi)
    return _Candidate(page, prepared.image, prepared.steps, (prepared.rotation + ctx.turned) % 360,
                      prepared.skew_angle)


def _turned_if_better(ctx: _Page, read: _Candidate, languages: str) -> _Candidate:
    """A reading this poor may be of a page upside down: ask OSD (once per page) and, if it says so
    with confidence, read the turned page; keep it only if it clearly reads better."""
    pre = _preprocessing(ctx.opts, languages)
    if not pre.orientation or read.rotation != ctx.turned or not _maybe_upside_down(read.page):
        return read
    retry = ctx.prepare(pre, force_orientation=True)
    if not retry.rotation:
        return read
    second = ocr_image(retry.image, languages, ctx.deadline.remaining(), ctx.page_no, ctx.dpi)
    if not _reads_better_turned(read.page, second):
        return read
    return _Candidate(second, retry.image, retry.steps, (retry.rotation + ctx.turned) % 360, retry.skew_angle)


def _maybe_upside_down(page: PageText) -> bool:
    """Latin script: mean confidence under ORIENTATION_RETRY_CONFIDENCE. Arabic script (Nastaliq
    reads at 40-55 even when right): fewer of the language's words than a real page has."""
    if _arabic_languages(page.language):
        return not _arabic_evidence(page)
    return page.mean_confidence is not None and page.mean_confidence < ORIENTATION_RETRY_CONFIDENCE


def _reads_better_turned(page: PageText, turned: PageText) -> bool:
    """Turn only on clear evidence: OSD was confident (preprocess checks that) AND the turned page
    reads clearly better, not merely a little."""
    if _arabic_languages(page.language):
        return _arabic_evidence(turned)
    return (turned.mean_confidence or 0.0) > (page.mean_confidence or 0.0) + 10 and \
        len(turned.words) >= 0.8 * len(page.words)


# ------------------------------------------------------------------ language


def _arabic_languages(languages: str) -> bool:
    return languages.split("+")[0] in ("urd", "pus", "ara", "fas")


def _arabic_evidence(page: PageText) -> bool:
    """Is an Urdu or Pashto reading real text? Its words must be the language's words: OSD's script
    verdict and Tesseract's confidence are not enough (a noisy English page was called Arabic by OSD
    and read as Urdu, issue 9)."""
    rate = arabic_word_rate(page.text, page.language)
    return rate is not None and rate >= ARABIC_MIN_WORD_RATE


def _guess_holds(page: PageText) -> bool:
    """Does a page read with the document's language guess clearly read as that language? Urdu: a
    share of Urdu words that a Pashto page read with the Urdu model does not reach
    (GUESS_MIN_WORD_RATE). Pashto: its words AND letters only Pashto has (the Pashto list holds many
    Urdu words: an Urdu page read as Pashto scores 0.15-0.25)."""
    rate = arabic_word_rate(page.text, page.language)
    if rate is None:
        return False
    if page.language.split("+")[0] == "pus":
        return rate >= ARABIC_MIN_WORD_RATE and _pashto_evidence(page.text)
    return rate >= GUESS_MIN_WORD_RATE


def _maybe_not_english(page: PageText) -> bool:
    """The English first pass is poor enough that the page may be in another script: few dictionary
    words and low confidence together (a poor English photo fails one of them far more rarely), or a
    confidence so low that the dictionary words are chance (Nastaliq upside down read as English:
    confidence 32, and 56 % of its two-letter scraps are "words")."""
    if not page.words:
        return True
    rate = lexicon_rate(page.text)
    confidence = page.mean_confidence or 0.0
    return confidence < ORIENTATION_RETRY_CONFIDENCE or (confidence < 70 and (rate is None or rate < 0.5))


def _settle_language(ctx: _Page, first: _Candidate) -> tuple[_Candidate, bool]:
    """languages=auto: keep the first reading when it is good, else look for Urdu or Pashto. Returns
    the reading and whether the script stays in doubt (flagged only if the page is still weak).

    Costs on an English page: nothing more. On a page whose English reading is poor: a band read
    with the Pashto model; only if that band holds Urdu or Pashto words, the whole page in that
    language. OSD (about as dear as a reading) is asked only when the page may be upside down."""
    if _arabic_languages(first.page.language):  # the document's other pages were Urdu or Pashto
        if _guess_holds(first.page):
            return first, False
        first = _read(ctx, "eng")
    if not _maybe_not_english(first.page):
        return _turned_if_better(ctx, first, "eng"), False
    arabic, doubt = _arabic_reading(ctx)
    if arabic is not None:
        return arabic, False
    english = _turned_if_better(ctx, first, "eng")
    if not _maybe_not_english(english.page):
        return english, False  # an English page upside down
    if ctx.opts.preprocess.orientation and _maybe_upside_down(first.page):
        osd = ctx.osd(ctx.grey, ctx.dpi)  # asked already by the retry above: no second run
        if osd is not None and osd.rotate and osd.orientation_confidence >= MIN_OSD_CONFIDENCE \
                and osd.script == "Arabic":
            arabic, turned_doubt = _arabic_reading(ctx.turn(osd.rotate))  # an Urdu or Pashto page upside down
            if arabic is not None:
                return arabic, False
            doubt = doubt or turned_doubt
    return english, doubt


def _arabic_reading(ctx: _Page) -> tuple[_Candidate | None, bool]:
    """The page read as Urdu or Pashto if it is one (else None), and whether the evidence was
    unclear (a band too sparse to tell, or a band of Urdu/Pashto words on a page that then did not
    read as the language).

    A band of body text is read with the Pashto model first (a third of a page's cost): an English
    page read so shows digits, Latin and broken letters, not words (``arabic_word_rate`` under
    ARABIC_MIN_WORD_RATE), and the search ends there. Otherwise the band also tells Pashto from Urdu:
    the Pashto alphabet has letters Urdu does not use, and only the Pashto model can write them. The
    whole-page reading is kept only when its words are the language's words: OSD's script verdict is
    not enough (it called a noisy English page Arabic, which was then read as Urdu; issue 9)."""
    h = ctx.grey.shape[0]
    band = ctx.grey[int(h * SCRIPT_BAND[0]) : int(h * SCRIPT_BAND[1])]
    sample = ocr_image(band, "pus", ctx.deadline.remaining(), ctx.page_no, ctx.dpi)
    rate = arabic_word_rate(sample.text, "pus")
    if rate is not None and rate < ARABIC_MIN_WORD_RATE:
        return None, False
    chosen = ctx.read("pus" if _pashto_evidence(sample.text) else "urd")  # a guess already read is reused
    return (chosen, False) if _arabic_evidence(chosen.page) else (None, True)


def _pashto_evidence(text: str) -> bool:
    letters = [ch for ch in text if "\u0600" <= ch <= "\u06ff"]
    if len(letters) < 20:
        return False
    pashto = sum(1 for ch in letters if ch in PASHTO_LETTERS)
    urdu = sum(1 for ch in letters if ch in URDU_LETTERS)
    return pashto / len(letters) >= PASHTO_MIN_SHARE and pashto >= PASHTO_OVER_URDU * max(urdu, 1)


# ------------------------------------------------------------------ never worse than plain Tesseract


def _guard(
    original: np.ndarray, ctx: _Page, best: _Candidate, expected: int, latin: bool, *, flattened: bool,
) -> tuple[_Candidate, tuple[ReviewReason, ...], tuple[str, ...], bool]:
    """Cheap signals first; a second (and third) reading only for a page they call weak, or for a
    page whose pixels were changed where cheap signals cannot vouch for the change (Urdu/Pashto, a
    flattened photo). Plain Tesseract on the untouched image only when preprocessing changed the
    pixels (otherwise it would read the same image again); RapidOCR for Latin script when the page
    is still weak. Keeps the best score; returns it, review reasons, steps and whether the kept
    reading is still weak. A scan whose reading the signals call fine costs nothing here."""
    weak = _weak(best.page, expected, latin)
    plain_image = to_grey(original)
    # Urdu and Pashto have no cheap sign of lost text (Nastaliq read right scores 40-55), and their
    # photos were read worse than plain on 1 of 4 seeds after flattening: plain whenever the pixels
    # changed. A flattened English photo can read a few words worse than the photo as taken while
    # every signal is fine (bench.ocr_accuracy, photo, Crl.P.L.A.1033-2025: 0.011 against plain's
    # 0.004, 'Crl' read 'Cri'): plain on it too (photos only; scans keep one reading).
    unvouched = not latin or flattened
    changed = _changed(best.image, plain_image) if weak or unvouched else False
    if not ctx.opts.guard or not (weak or changed):
        return best, (), (), bool(weak)
    steps: list[str] = [f"guard:{'+'.join(weak or (('photo',) if latin else ('changed',)))}"]
    readings = [best]
    chosen = best
    if changed:
        plain = ocr_image(plain_image, best.page.language, ctx.deadline.remaining(), ctx.page_no, ctx.dpi)
        readings.append(_Candidate(plain, plain_image, ("plain",), 0, None))
        chosen = max(readings, key=lambda c: _score(c.page, latin))
        steps.append("plain")
    if latin and ctx.opts.second_engine and _weak(chosen.page, expected, latin):
        second = rapid.ocr_image(ctx.grey, ctx.page_no, ctx.dpi)
        readings.append(_Candidate(second, ctx.grey, ("rapidocr",), 0, None))
        steps.append("rapidocr")
        chosen = max(readings, key=lambda c: _score(c.page, latin))
    if chosen is not best:
        steps.append(f"kept:{chosen.page.engine}{'-plain' if chosen.steps == ('plain',) else ''}")
    reasons: tuple[ReviewReason, ...] = ()
    still_weak = _weak(chosen.page, expected, latin)
    others = [c for c in readings if c is not chosen and c.page.words]
    if still_weak and others and max(guard.overlap(chosen.page.text, c.page.text) for c in others) < guard.DISAGREEMENT:
        reasons = (ReviewReason.ENGINE_DISAGREEMENT,)
    return chosen, reasons, tuple(steps), bool(still_weak)


def _weak(page: PageText, expected: int, latin: bool) -> tuple[str, ...]:
    if latin:
        return guard.signals(page, expected, latin=True).weak_reasons()
    rate = arabic_word_rate(page.text, page.language) if _arabic_languages(page.language) else None
    return guard.arabic_weak_reasons(page, expected, rate)


def _score(page: PageText, latin: bool) -> float:
    if latin:
        return guard.score(page, latin=True)
    return guard.score(page, latin=False, words=arabic_lexicon(page.language.split("+")[0]))


def _changed(prepared: np.ndarray, plain: np.ndarray) -> bool:
    """Did preprocessing (or photo flattening) change the pixels Tesseract read?"""
    return prepared is not plain and (prepared.shape != plain.shape or not np.array_equal(prepared, plain))


# ------------------------------------------------------------------ review


def _finish(
    page: PageText, image: np.ndarray | None, opts: PageOptions, started: float,
    reasons: tuple[ReviewReason, ...], *, latin: bool, expected_words: int | None = None,
) -> PageRead:
    found = list(dict.fromkeys(reasons))
    found += [r for r in review_reasons(page, opts, expected_words) if r not in found]
    done = replace(page, review_reasons=tuple(found), needs_review=bool(found), duration_ms=_elapsed_ms(started))
    return PageRead(done, image)


def review_reasons(page: PageText, opts: PageOptions, expected_words: int | None = None) -> list[ReviewReason]:
    """Why a person should look at this page, from its own evidence (order: most serious first).
    A text-layer page has no confidence; it is flagged only when it is empty."""
    reasons: list[ReviewReason] = []
    if not page.words:
        return [ReviewReason.EMPTY]
    if page.source is TextSource.TEXT_LAYER and page.mean_confidence is None:
        return reasons
    if len(page.words) < opts.min_words_image_page or (
        expected_words is not None and expected_words >= guard.MIN_EXPECTED
        and len(page.words) < 0.3 * expected_words
    ):
        reasons.append(ReviewReason.FEW_WORDS)
    if page.mean_confidence is not None and page.mean_confidence < opts.low_confidence_threshold:
        reasons.append(ReviewReason.LOW_CONFIDENCE)
    return reasons


def needs_review(page: PageText, opts: PageOptions) -> bool:
    """Kept for callers that only need the flag."""
    return bool(review_reasons(page, opts))

