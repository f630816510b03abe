"""Which cheap signals predict that a second reading of a page helps? (issue 9, the guard's calibration)

    .venv/bin/python -m bench.ocr_guard_calibration [--quick] [--scans N] [--renders N] [--report]

For each page the pipeline's first pass (``ocr.page`` with the guard off and ``languages=eng``: photo
flattening, preprocessing, one Tesseract call) is compared with the two second readings the guard can
buy: plain Tesseract on the untouched image and RapidOCR on the flattened image. Pages:
* real scans: pages of the image-only Supreme Court judgments in shared/corpus (no truth: a second
  reading "helps" when the guard would keep it, i.e. its ``ocr.guard.score`` is higher, and it adds at
  least ``MIN_GAIN`` of the first pass's dictionary words);
* rendered pages: first pages of born-digital judgments rendered clean/skewed/noisy/photo/heavy
  (bench/ocr_render.py, same seeds as bench.ocr_accuracy); their text layer is the truth, and a second
  reading helps when its bag-of-words error is lower by more than 0.005.
Prints one row per page with the signals, then, for candidate rules, how many pages each rule sends to
a second reading and how many of the pages where one helps it catches. Results are cached per page
under var/bench-cache/guard-calibration/ (``--report`` prints from the cache only).
"""

from __future__ import annotations

import argparse
import json
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from bench.ocr_accuracy import bow_error, cached
from bench.ocr_render import RENDERINGS
from bench.ocr_samples import judgment_samples
from bench.ocr_throughput import cached_png, scanned_pages
from config import Settings
from ingest.pages import page_options
from ocr import guard, rapid
from ocr.images import load_page
from ocr.lexicon import lexicon_rate
from ocr.page import read_image_page
from ocr.photo import straighten_photo
from ocr.preprocess import to_grey
from ocr.tesseract import ocr_image

REPO = Path(__file__).resolve().parent.parent
CACHE = REPO / "var" / "bench-cache" / "guard-calibration"
MIN_GAIN = 0.05  # without truth: a second reading must add 5 % dictionary words to count as help
BOW_MARGIN = 0.005


def _reading(text: str, confidence: float | None, words: int, seconds: float) -> dict[str, Any]:
    return {"text": text, "confidence": confidence, "words": words, "seconds": round(seconds, 2),
            "lexicon": lexicon_rate(text)}


def measure(job: tuple[str, str, str, str | None]) -> dict[str, Any]:
    """One page: first pass, plain Tesseract, RapidOCR, and the first pass's signals."""
    key, kind, image_path, truth = job
    out = CACHE / f"{key}.json"
    if out.exists():
        return dict(json.loads(out.read_text()))
    opts = replace(page_options(Settings(), ""), languages="eng", guard=False)
    started = time.perf_counter()
    first = read_image_page(image_path, 0, opts)
    first_s = time.perf_counter() - started
    grey = to_grey(load_page(image_path, 0).image)
    flat, _ = straighten_photo(grey)
    started = time.perf_counter()
    plain = ocr_image(grey, "eng", 900, 1, 300)
    plain_s = time.perf_counter() - started
    started = time.perf_counter()
    second = rapid.ocr_image(flat, 1, 300)
    rapid_s = time.perf_counter() - started
    assert first.image is not None
    same_image = first.image.shape == grey.shape and bool(np.array_equal(first.image, grey))
    record: dict[str, Any] = {
        "key": key, "kind": kind, "truth": truth,
        "expected": guard.estimated_words(flat),
        "steps": list(first.page.preprocessing),
        "same_image": same_image,
        "skew": first.page.skew_angle,
        "first": _reading(first.page.text, first.page.mean_confidence, len(first.page.words), first_s),
        "plain": _reading(plain.text, plain.mean_confidence, len(plain.words), plain_s),
        "rapid": _reading(second.text, second.mean_confidence, len(second.words), rapid_s),
    }
    for name, page in (("first", first.page), ("plain", plain), ("rapid", second)):
        record[name]["score"] = guard.score(page, latin=True)
        if truth is not None:
            record[name]["bow"] = bow_error(truth, page.text)
    CACHE.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(record))
    return record


def helps(record: dict[str, Any], other: str) -> bool:
    """Would keeping ``other`` instead of the first pass improve the page?"""
    first, alt = record["first"], record[other]
    if record["truth"] is not None:
        return bool(alt["bow"] < first["bow"] - BOW_MARGIN and alt["score"] > first["score"])
    return bool(alt["score"] > first["score"] * (1 + MIN_GAIN) + 1)


Rule = Callable[[dict[str, Any]], bool]


def _share(r: dict[str, Any]) -> float:
    return r["first"]["words"] / r["expected"] if r["expected"] >= guard.MIN_EXPECTED else 1.0


def _conf(r: dict[str, Any]) -> float:
    return float(r["first"]["confidence"] or 0.0)


def _lex(r: dict[str, Any]) -> float:
    value = r["first"]["lexicon"]
    return 1.0 if value is None else float(value)


RULES: dict[str, Rule] = {
    "old: conf<75 or lex<0.70 or share<0.55": lambda r: _conf(r) < 75 or _lex(r) < 0.70 or _share(r) < 0.55,
    "conf<60": lambda r: _conf(r) < 60,
    "conf<65": lambda r: _conf(r) < 65,
    "conf<70": lambda r: _conf(r) < 70,
    "lex<0.5": lambda r: _lex(r) < 0.5,
    "lex<0.6": lambda r: _lex(r) < 0.6,
    "share<0.55": lambda r: _share(r) < 0.55,
    "share<0.7": lambda r: _share(r) < 0.7,
    "image changed": lambda r: not r["same_image"],
    "new: conf<70 or lex<0.60 or share<0.55": lambda r: _conf(r) < 70 or _lex(r) < 0.60 or _share(r) < 0.55,
}


def report(records: list[dict[str, Any]]) -> None:
    print(f"\n{'page':42s} {'words':>5s} {'ink':>5s} {'conf':>5s} {'lex':>5s} {'same':>4s}  "
          f"{'score first/plain/rapid':>24s}  {'bow first/plain/rapid':>21s}  s first/plain/rapid  helps")
    for r in records:
        f, p, q = r["first"], r["plain"], r["rapid"]
        bow = f"{f['bow']:.3f}/{p['bow']:.3f}/{q['bow']:.3f}" if r["truth"] is not None else "-"
        lex = "-" if f["lexicon"] is None else f"{f['lexicon']:.2f}"
        tags = [name for name in ("plain", "rapid") if helps(r, name)]
        print(f"{r['key']:42s} {f['words']:5d} {r['expected']:5d} {_conf(r):5.1f} {lex:>5s} "
              f"{'y' if r['same_image'] else 'n':>4s}  {f['score']:7.1f}/{p['score']:7.1f}/{q['score']:7.1f}  "
              f"{bow:>21s}  {f['seconds']:5.1f}/{p['seconds']:5.1f}/{q['seconds']:5.1f}  {','.join(tags)}")
    for kind_filter, label in ((lambda r: r["kind"] == "scan", "real scans"),
                               (lambda r: r["kind"] != "scan", "rendered pages"),
                               (lambda r: True, "all pages")):
        subset = [r for r in records if kind_filter(r)]
        if not subset:
            continue
        plain_helps = sum(1 for r in subset if helps(r, "plain"))
        rapid_helps = sum(1 for r in subset if helps(r, "rapid"))
        print(f"\n{label}: {len(subset)} pages; plain Tesseract helps on {plain_helps}, RapidOCR on {rapid_helps}")
        print(f"  {'rule':42s} {'fires':>5s} {'plain helps caught':>18s} {'rapid helps caught':>18s}")
        for name, rule in RULES.items():
            fired = [r for r in subset if rule(r)]
            caught_p = sum(1 for r in fired if helps(r, "plain"))
            caught_r = sum(1 for r in fired if helps(r, "rapid"))
            print(f"  {name:42s} {len(fired):5d} {caught_p:>8d}/{plain_helps:<9d} {caught_r:>8d}/{rapid_helps:<9d}")


def jobs(scans: int, renders: int) -> list[tuple[str, str, str, str | None]]:
    out: list[tuple[str, str, str, str | None]] = []
    for pdf, index in scanned_pages(scans):
        out.append((f"scan-{Path(pdf).stem.replace('judgement_', '')}-p{index + 1}", "scan",
                    str(cached_png(pdf, index)), None))
    samples = judgment_samples(renders) if renders else []
    for rendering in RENDERINGS:
        for n, sample in enumerate(samples):
            out.append((f"{rendering}-{sample.name}", rendering, cached(sample, rendering, 1000 + n), sample.truth))
    return out


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="8 scanned pages, 2 rendered pages")
    parser.add_argument("--scans", type=int, default=0)
    parser.add_argument("--renders", type=int, default=-1)
    parser.add_argument("--report", action="store_true", help="print from the cache only")
    args = parser.parse_args(argv)
    os.environ["OMP_THREAD_LIMIT"] = "1"
    scans = args.scans or (8 if args.quick else 40)
    renders = args.renders if args.renders >= 0 else (2 if args.quick else 6)
    todo = jobs(scans, renders)
    if args.report:
        records = [json.loads((CACHE / f"{key}.json").read_text()) for key, *_ in todo
                   if (CACHE / f"{key}.json").exists()]
    else:
        print(f"{len(todo)} pages, load average {os.getloadavg()[0]:.1f}", flush=True)
        with get_context("fork").Pool(2) as pool:
            records = []
            for record in pool.imap(measure, todo, chunksize=1):
                records.append(record)
                print(f"  {record['key']}", flush=True)
    cv2.setNumThreads(1)
    report(records)


if __name__ == "__main__":
    main()
