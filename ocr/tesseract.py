"""The only module that runs Tesseract (through pytesseract).

* ``probe()`` answers "is it installed, which version, which languages" and is run once at worker
  start, not halfway through a batch.
* ``ocr_image()`` makes exactly one ``image_to_data`` call per page (words, boxes and confidences in
  one run; two calls would double the cost) and turns the TSV dict into an engine-neutral PageText.
* Every Tesseract subprocess runs with ``OMP_THREAD_LIMIT=1``: with OpenMP left on, one page takes
  about 3x longer and two parallel workers about 4x (facts file A1.1).
"""

from __future__ import annotations

import os
import re
import tempfile
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import pytesseract

from ocr.errors import PageError, PageErrorCode
from ocr.layout import RawWord, blocks_top_down, join_words, mean_confidence
from ocr.types import Box, PageText, TextSource

ENGINE = "tesseract"


class TesseractUnavailable(RuntimeError):
    """Tesseract or a required language is missing: a deployment problem, not a page problem."""


@dataclass(frozen=True, slots=True)
class TesseractInfo:
    version: str
    languages: frozenset[str]


@dataclass(frozen=True, slots=True)
class OsdResult:
    rotate: int  # degrees clockwise to rotate the image so the text is upright
    orientation_confidence: float
    script: str
    script_confidence: float


@contextmanager
def single_thread_env() -> Iterator[None]:
    """pytesseract hands ``os.environ`` to the subprocess, so the limit is set there for the call
    and the previous value restored afterwards."""
    previous = os.environ.get("OMP_THREAD_LIMIT")
    os.environ["OMP_THREAD_LIMIT"] = "1"
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop("OMP_THREAD_LIMIT", None)
        else:
            os.environ["OMP_THREAD_LIMIT"] = previous


def probe(required_languages: Sequence[str] = ()) -> TesseractInfo:
    """Version and installed languages; raises TesseractUnavailable if anything required is missing."""
    try:
        with single_thread_env():
            version = str(pytesseract.get_tesseract_version())
            languages = frozenset(pytesseract.get_languages(config=""))
    except (pytesseract.TesseractNotFoundError, OSError) as exc:
        raise TesseractUnavailable(f"tesseract is not installed or not on PATH: {exc}") from exc
    missing = {part for lang in required_languages for part in lang.split("+")} - languages
    if missing:
        raise TesseractUnavailable(f"tesseract languages missing: {', '.join(sorted(missing))}")
    return TesseractInfo(version=version, languages=languages)


def _as_grey(image: np.ndarray) -> np.ndarray:
    if image.dtype != np.uint8:
        raise ValueError(f"page images are uint8, got {image.dtype}")
    if image.ndim == 3:
        return cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    return image


@contextmanager
def _image_file(image: np.ndarray) -> Iterator[str]:
    """Write the page as an uncompressed greyscale TIFF (~6 ms per A4 page at 300 dpi).

    pytesseract's own PNG encoding costs ~0.16 s per page (facts A1.4). Raw PGM is as cheap to
    write, but Leptonica 1.82 reads PNM slowly: Tesseract took ~0.13 s longer per page on a PGM
    than on the same pixels as an uncompressed TIFF (1.29 s vs 1.14 s, identical TSV output)."""
    grey = np.ascontiguousarray(_as_grey(image))
    fd, name = tempfile.mkstemp(prefix="cmms-ocr-", suffix=".tif")
    os.close(fd)
    try:
        if not cv2.imwrite(name, grey, [cv2.IMWRITE_TIFF_COMPRESSION, cv2.IMWRITE_TIFF_COMPRESSION_NONE]):
            raise PageError(PageErrorCode.OCR_FAILED, f"could not write the page image for tesseract to {name}")
        yield name
    finally:
        Path(name).unlink(missing_ok=True)


def _run(call: Any, timeout_s: float) -> Any:
    try:
        with single_thread_env():
            return call()
    except pytesseract.TesseractError as exc:  # a RuntimeError subclass: must be caught first
        if "Failed loading language" in str(exc.message):
            raise PageError(PageErrorCode.LANGUAGE_MISSING, str(exc.message)) from exc
        raise PageError(PageErrorCode.OCR_FAILED, f"tesseract failed: {exc.message}") from exc
    except RuntimeError as exc:
        if "timeout" in str(exc).lower():  # pytesseract signals its timeout only by this message
            raise PageError(PageErrorCode.OCR_TIMEOUT, f"tesseract exceeded {timeout_s:g} s") from exc
        raise


def raw_words_from_data(data: Mapping[str, Sequence[Any]]) -> list[RawWord]:
    """pytesseract ``image_to_data(output_type=DICT)`` -> RawWords in Tesseract's reading order.

    Level 5 rows are words; conf is -1 for structural rows and can be a float string in 5.x.
    Paragraphs become blocks (blank line between them), so the page keeps its paragraph breaks."""
    words: list[RawWord] = []
    for i, level in enumerate(data["level"]):
        if int(level) != 5:
            continue
        text = str(data["text"][i]).strip()
        if not text:
            continue
        conf = float(data["conf"][i])
        block = (int(data["page_num"][i]), int(data["block_num"][i]), int(data["par_num"][i]))
        box = Box(
            max(0, int(data["left"][i])),
            max(0, int(data["top"][i])),
            max(0, int(data["width"][i])),
            max(0, int(data["height"][i])),
        )
        words.append(RawWord(text, box, max(0.0, min(100.0, conf)) if conf >= 0 else None, block,
                             (*block, int(data["line_num"][i]))))
    return words


def ocr_image(
    image: np.ndarray,
    languages: str,
    timeout_s: float,
    page_no: int,
    dpi: int,
    *,
    psm: int = 3,
) -> PageText:
    """OCR one page image (greyscale or BGR uint8) with ONE image_to_data call."""
    started = time.perf_counter()
    config = f"--psm {psm} --dpi {dpi}"
    with _image_file(image) as name:
        data = _run(
            lambda: pytesseract.image_to_data(
                name, lang=languages, config=config, timeout=timeout_s,
                output_type=pytesseract.Output.DICT,
            ),
            timeout_s,
        )
    text, words = join_words(blocks_top_down(raw_words_from_data(data)))
    height, width = image.shape[:2]
    return PageText(
        page_no=page_no,
        text=text,
        words=words,
        mean_confidence=mean_confidence(words),
        source=TextSource.OCR,
        engine=ENGINE,
        # cached=True: without it pytesseract starts ``tesseract --version`` again for every page
        # (~12 ms, more under load); the binary cannot change under a running worker.
        engine_version=str(pytesseract.get_tesseract_version(cached=True)),
        language=languages,
        width=width,
        height=height,
        dpi=dpi,
        rotation=0,
        skew_angle=None,
        preprocessing=(),
        needs_review=False,
        duration_ms=round((time.perf_counter() - started) * 1000),
    )


_OSD_ROTATE = re.compile(r"Rotate:\s*(\d+)")
_OSD_ORIENT_CONF = re.compile(r"Orientation confidence:\s*([\d.]+)")
_OSD_SCRIPT = re.compile(r"Script:\s*(\S+)")
_OSD_SCRIPT_CONF = re.compile(r"Script confidence:\s*([\d.]+)")


def parse_osd(output: str) -> OsdResult | None:
    rotate = _OSD_ROTATE.search(output)
    conf = _OSD_ORIENT_CONF.search(output)
    if not rotate or not conf:
        return None
    script = _OSD_SCRIPT.search(output)
    script_conf = _OSD_SCRIPT_CONF.search(output)
    return OsdResult(
        rotate=int(rotate.group(1)) % 360,
        orientation_confidence=float(conf.group(1)),
        script=script.group(1) if script else "",
        script_confidence=float(script_conf.group(1)) if script_conf else 0.0,
    )


def detect_orientation(image: np.ndarray, dpi: int, timeout_s: float) -> OsdResult | None:
    """Tesseract OSD (``--psm 0``). Returns None when OSD cannot decide: sparse pages make it exit
    with "Too few characters", which is normal for a cover sheet or a stamp, not a failure."""
    with _image_file(image) as name:
        try:
            output = _run(
                lambda: pytesseract.image_to_osd(name, config=f"--psm 0 --dpi {dpi}", timeout=timeout_s),
                timeout_s,
            )
        except PageError as exc:
            if exc.code is PageErrorCode.OCR_TIMEOUT:
                raise
            return None
    return parse_osd(str(output))


def page_pdf(image: np.ndarray, languages: str, dpi: int, timeout_s: float) -> bytes:
    """A one-page PDF (image plus invisible text) rendered by Tesseract's own PDF renderer."""
    with _image_file(image) as name:
        result = _run(
            lambda: pytesseract.image_to_pdf_or_hocr(
                name, lang=languages, config=f"--dpi {dpi}", extension="pdf", timeout=timeout_s
            ),
            timeout_s,
        )
    return bytes(result)
