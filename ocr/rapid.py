"""The only module that runs RapidOCR, the second engine for Latin-script pages Tesseract reads badly.

RapidOCR 3.x (Apache-2.0) ships PP-OCRv6 small detection and recognition models inside its wheel; we
pass their paths explicitly, so nothing is ever downloaded at run time (``probe()`` checks the files
are there and is run at worker start). It runs on onnxruntime with one thread per worker, like
Tesseract (OMP_THREAD_LIMIT=1). It reads Latin script only here: its Arabic models are not bundled.

Cost: ~3-4 s per A4 page on an idle core, several times Tesseract; ``ocr.page`` calls it only on
pages whose Tesseract reading is measurably poor (issue 9, kind 4).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from ocr.errors import PageError, PageErrorCode
from ocr.layout import RawWord, join_words, mean_confidence
from ocr.types import Box, PageText, TextSource

ENGINE = "rapidocr"
DET_MODEL = "PP-OCRv6_det_small.onnx"
REC_MODEL = "PP-OCRv6_rec_small.onnx"
MAX_SIDE = 2000  # px: RapidOCR's own limit; larger pages are reduced first (boxes mapped back)


class RapidUnavailable(RuntimeError):
    """rapidocr or its bundled models are missing: a deployment problem, not a page problem."""


@dataclass(frozen=True, slots=True)
class RapidInfo:
    version: str
    models: tuple[Path, ...]


def _models_dir() -> Path:
    try:
        import rapidocr
    except ImportError as exc:
        raise RapidUnavailable(f"rapidocr is not installed: {exc}") from exc
    return Path(rapidocr.__file__).parent / "models"


def probe() -> RapidInfo:
    """Version and bundled model files; raises RapidUnavailable if any is missing."""
    folder = _models_dir()
    models = tuple(folder / name for name in (DET_MODEL, REC_MODEL))
    missing = [m.name for m in models if not m.is_file()]
    if missing:
        raise RapidUnavailable(f"rapidocr models missing from the wheel: {', '.join(missing)}")
    return RapidInfo(version=metadata.version("rapidocr"), models=models)


@lru_cache(maxsize=1)
def _engine() -> Any:
    """One engine per worker process (loading the two models takes ~0.1 s)."""
    info = probe()
    from rapidocr import RapidOCR

    return RapidOCR(params={
        "Global.log_level": "warning",
        "Global.use_cls": False,  # upright pages only: orientation is fixed before OCR
        "Det.model_path": str(info.models[0]),
        "Rec.model_path": str(info.models[1]),
        "EngineConfig.onnxruntime.intra_op_num_threads": 1,
        "EngineConfig.onnxruntime.inter_op_num_threads": 1,
    })


def _quad_box(quad: Any, scale: float, width: int, height: int) -> Box:
    pts = np.asarray(quad, dtype=np.float32).reshape(-1, 2) / scale
    x0, y0 = max(0, int(pts[:, 0].min())), max(0, int(pts[:, 1].min()))
    x1, y1 = min(width, int(np.ceil(pts[:, 0].max()))), min(height, int(np.ceil(pts[:, 1].max())))
    return Box(x0, y0, max(0, x1 - x0), max(0, y1 - y0))


def _split_line(text: str, box: Box) -> list[tuple[str, Box]]:
    """A recognised line -> words with boxes shared out by character count."""
    words = text.split()
    total = max(1, len(text))
    out: list[tuple[str, Box]] = []
    position = 0
    for word in words:
        start = text.index(word, position)
        position = start + len(word)
        left = box.left + round(box.width * start / total)
        width = max(1, round(box.width * len(word) / total))
        out.append((word, Box(left, box.top, min(width, box.right - left) if box.right > left else 1, box.height)))
    return out


def raw_words_from_output(output: Any, scale: float, width: int, height: int) -> list[RawWord]:
    """RapidOCR's lines (quads, texts, scores) -> RawWords, one line per detected text line, lines
    ordered top to bottom then left to right; line score x 100 is each word's confidence."""
    boxes, texts, scores = output.boxes, output.txts, output.scores
    if boxes is None or texts is None:
        return []
    lines = []
    for quad, text, score in zip(boxes, texts, scores, strict=True):
        if str(text).strip():
            lines.append((_quad_box(quad, scale, width, height), str(text).strip(), float(score)))
    lines.sort(key=lambda item: (item[0].top + item[0].height // 2, item[0].left))
    words: list[RawWord] = []
    for index, (box, text, score) in enumerate(_group_rows(lines)):
        for word, word_box in _split_line(text, box):
            words.append(RawWord(word, word_box, max(0.0, min(100.0, score * 100)), (0,), (index,)))
    return words


def _group_rows(lines: list[tuple[Box, str, float]]) -> list[tuple[Box, str, float]]:
    """Detected pieces on the same text row (overlapping vertically by half) in left-to-right order.
    RapidOCR's detector often splits a justified line at wide gaps; the row keeps them together."""
    rows: list[list[tuple[Box, str, float]]] = []
    for item in lines:
        box = item[0]
        centre = box.top + box.height / 2
        for row in rows:
            ref = row[0][0]
            if abs(centre - (ref.top + ref.height / 2)) < 0.5 * min(ref.height, box.height):
                row.append(item)
                break
        else:
            rows.append([item])
    out: list[tuple[Box, str, float]] = []
    for row in rows:
        for item in sorted(row, key=lambda it: it[0].left):
            out.append(item)
    return out


def _run(image: np.ndarray) -> Any:
    """RapidOCR's output for a grey or BGR uint8 image. Raises PageError(OCR_FAILED) on engine errors,
    RapidUnavailable when the engine or its models are missing."""
    work = cv2.cvtColor(image, cv2.COLOR_GRAY2BGR) if image.ndim == 2 else image
    try:
        return _engine()(work)
    except RapidUnavailable:
        raise
    except Exception as exc:  # onnxruntime raises its own exception types
        raise PageError(PageErrorCode.OCR_FAILED, f"rapidocr failed: {exc}") from exc


def ocr_image(image: np.ndarray, page_no: int, dpi: int) -> PageText:
    """Read one grey or BGR uint8 page with RapidOCR. Raises PageError(OCR_FAILED) on engine errors."""
    started = time.perf_counter()
    height, width = image.shape[:2]
    scale = min(1.0, MAX_SIDE / max(height, width))
    work = cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else image
    output = _run(work)
    # Rows are grouped per line: words of a row share a line, rows are blocks of one.
    text, words = join_words(raw_words_from_output(output, scale, width, height))
    return PageText(
        page_no=page_no,
        text=text,
        words=words,
        mean_confidence=mean_confidence(words),
        source=TextSource.OCR,
        engine=ENGINE,
        engine_version=f"rapidocr {probe().version}",
        language="eng",
        width=width,
        height=height,
        dpi=dpi,
        rotation=0,
        skew_angle=None,
        preprocessing=(),
        needs_review=False,
        duration_ms=round((time.perf_counter() - started) * 1000),
    )


def read_lines(image: np.ndarray) -> list[tuple[str, Box]]:
    """The text lines RapidOCR reads on a small grey or BGR uint8 image (a crop, not a page: no
    reduction to ``MAX_SIDE``) with their boxes in the image's pixels, top to bottom; [] when it detects
    none. Raises PageError(OCR_FAILED) on engine errors, RapidUnavailable when the engine or its models
    are missing."""
    output = _run(image)
    if output.boxes is None or output.txts is None:
        return []
    height, width = image.shape[:2]
    lines = [(str(t).strip(), _quad_box(q, 1.0, width, height)) for q, t in zip(output.boxes, output.txts, strict=True)]
    lines.sort(key=lambda item: (item[1].top + item[1].height // 2, item[1].left))
    return [(text, box) for text, box in lines if text]
