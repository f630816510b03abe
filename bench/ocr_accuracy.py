"""OCR accuracy per rendering: the pipeline with the settings users run, plain Tesseract, RapidOCR alone.

    .venv/bin/python -m bench.ocr_accuracy [--quick] [--pages N] [--renderings clean,photo,...] [--workers N]

Pages: first pages of the born-digital Supreme Court judgments in shared/corpus, rendered at 300 dpi;
their own text layer is the truth. Each is rendered (seeded, bench/ocr_render.py) as clean, skewed
(3-7 degrees), noisy (Gaussian sigma 18 + 0.8 % salt and pepper), phone photo (perspective, 1-4
degrees, ~210 dpi, uneven light, JPEG q85) and heavy (a poor phone photo of a photocopy: 4-6
degrees, blur, ~120 dpi, heavy noise, JPEG q25-30, uneven light), and streak (clean with a dark
vertical line from the scanner's glass through the text, like the real scan Crl.P.L.A.1055-2025) and
read by:
* ``pipeline``: ``ocr.page.read_image_page`` with ``ingest.pages.page_options(Settings(), "")``, the
  defaults a worker runs (languages=auto, preprocessing, guard, RapidOCR on weak pages);
* ``plain``: ``tesseract IMAGE stdout -l eng`` (OMP_THREAD_LIMIT=1);
* ``rapid``: RapidOCR alone on the same image file;
* on streak pages also ``pipeline-no-streaks``: the pipeline with streak removal switched off (the
  pipeline before it existed; the border clean-up still whitens a streak that reaches the edge).
Figures: bag-of-words error (1 - shared words / words of the longer of truth and reading; case and
punctuation ignored), CER on whitespace-normalised text, seconds per page, and the pages where the
pipeline's bag-of-words error exceeds plain Tesseract's. The streak check (``ocr.streaks.
find_streaks``, run on every page the pipeline prepares) is timed on each page as read, fastest of 3,
and the pages where it removed a streak are counted.
Targets (issue 9): bag-of-words error <= 0.03 on clean, skewed, noisy and photo; <= 0.30 on heavy;
zero pages worse than plain Tesseract.

Then the Urdu and Pashto FIR pages (bench/ocr_samples.py), clean / noisy / photo: words right for
plain Tesseract with the right model, the pipeline (auto: it must find the language itself), the
pipeline with geometry only for Arabic script (no median or binarisation even on noisy pages), and
Debian's script/Arabic model.
Images are cached under var/bench-cache/ocr-accuracy/.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from multiprocessing import get_context
from pathlib import Path

import cv2
import jiwer
import numpy as np

from bench.ocr_render import RENDERINGS, STREAK, encode, render
from bench.ocr_samples import Sample, arabic_samples, judgment_samples
from config import Settings
from ingest.pages import page_options
from ocr import rapid
from ocr.page import PageOptions, read_image_page
from ocr.streaks import find_streaks

REPO = Path(__file__).resolve().parent.parent
CACHE = REPO / "var" / "bench-cache" / "ocr-accuracy"
MODES = ("pipeline", "plain", "rapid")
NO_STREAKS = "pipeline-no-streaks"  # baseline on streak pages: the same pipeline, streak removal off
WORSE_MARGIN = 0.005  # bag-of-words error above plain's by more than this counts as worse
_TOKEN = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class Item:
    sample: str
    rendering: str
    image: str
    truth: str
    language: str


def bow_error(truth: str, reading: str) -> float:
    t = Counter(w.lower() for w in _TOKEN.findall(truth))
    r = Counter(w.lower() for w in _TOKEN.findall(reading))
    longer = max(sum(t.values()), sum(r.values()))
    return 1 - sum((t & r).values()) / longer if longer else 0.0


def words_right(truth: str, reading: str) -> float:
    t = Counter(_TOKEN.findall(truth))
    r = Counter(_TOKEN.findall(reading))
    return sum((t & r).values()) / max(1, sum(t.values()))


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def cer(truth: str, reading: str) -> float:
    return float(jiwer.cer(normalise(truth), normalise(reading) or " "))


def plain_tesseract(image: str, language: str) -> str:
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    out = subprocess.run(["tesseract", image, "stdout", "-l", language], capture_output=True, env=env,
                         check=True, timeout=900)
    return out.stdout.decode("utf-8")


def cached(sample: Sample, rendering: str, seed: int) -> str:
    CACHE.mkdir(parents=True, exist_ok=True)
    for suffix in ("png", "jpg"):
        path = CACHE / f"{sample.name}-{rendering}-{seed}.{suffix}"
        if path.exists():
            return str(path)
    image, quality = render(sample.image, rendering, seed)
    data, suffix = encode(image, quality)
    path = CACHE / f"{sample.name}-{rendering}-{seed}.{suffix}"
    path.write_bytes(data)
    return str(path)


_OPTIONS: PageOptions | None = None


def default_options() -> PageOptions:
    global _OPTIONS
    if _OPTIONS is None:
        _OPTIONS = page_options(Settings(), "")
    return _OPTIONS


def run_mode(mode: str, item: Item) -> tuple[str, float, tuple[str, ...]]:
    started = time.perf_counter()
    steps: tuple[str, ...] = ()
    if mode == "plain":
        text = plain_tesseract(item.image, item.language)
    elif mode == "rapid":
        text = rapid.ocr_image(cv2.imread(item.image, cv2.IMREAD_GRAYSCALE), 1, 300).text
    else:
        opts = default_options()
        if mode == "pipeline-geometry-only":
            opts = replace(opts, arabic_denoise_binarise=False)
        if mode == NO_STREAKS:
            opts = replace(opts, preprocess=replace(opts.preprocess, streak_removal=False))
        page = read_image_page(item.image, 0, opts).page
        text, steps = page.text, (*page.preprocessing, f"lang={page.language}",
                                  *(f"review={r}" for r in page.review_reasons))
    return text, time.perf_counter() - started, steps


Result = dict[str, tuple[float, float, float, tuple[str, ...]]]


def streak_check_ms(image: str, dpi: int = 300) -> float:
    """Milliseconds ``find_streaks`` takes on the page (fastest of 3): what every OCR'd page pays."""
    grey = cv2.imread(image, cv2.IMREAD_GRAYSCALE)
    times = []
    for _ in range(3):
        started = time.perf_counter()
        find_streaks(grey, dpi)
        times.append((time.perf_counter() - started) * 1000)
    return min(times)


def score(job: tuple[Item, tuple[str, ...]]) -> tuple[Result, float]:
    item, modes = job
    out = {}
    for mode in modes:
        text, seconds, steps = run_mode(mode, item)
        out[mode] = (bow_error(item.truth, text), cer(item.truth, text), seconds, steps)
    return out, streak_check_ms(item.image)


def english(args: argparse.Namespace) -> None:
    count = args.pages or (3 if args.quick else 10)
    renderings = args.renderings.split(",") if args.renderings else [*RENDERINGS, STREAK]
    samples = judgment_samples(count)
    jobs = [(Item(s.name, r, cached(s, r, 1000 + n), s.truth, "eng"), (*MODES, NO_STREAKS) if r == STREAK else MODES)
            for r in renderings for n, s in enumerate(samples)]
    print(f"{len(samples)} judgment first pages x {len(renderings)} renderings; load average "
          f"{os.getloadavg()[0]:.1f}; {args.workers} page(s) at a time (seconds are per page, on a shared machine)")
    rows: dict[str, list[Result]] = defaultdict(list)
    checks: dict[str, list[float]] = defaultdict(list)
    worse: list[str] = []
    with get_context("fork").Pool(args.workers) as pool:
        for (item, _), (result, check_ms) in zip(jobs, pool.imap(score, jobs, chunksize=1), strict=True):
            rows[item.rendering].append(result)
            checks[item.rendering].append(check_ms)
            p, t = result["pipeline"], result["plain"]
            if p[0] > t[0] + WORSE_MARGIN:
                worse.append(f"{item.rendering}/{item.sample} ({p[0]:.3f} vs {t[0]:.3f})")
            print(f"  {item.rendering:7s} {item.sample:26s} " + "  ".join(
                f"{m} bow {result[m][0]:.3f} cer {result[m][1]:.3f} {result[m][2]:5.1f}s" for m in MODES)
                + f"  [{' '.join(s for s in p[3] if s.startswith(_SHOWN))}] streak check {check_ms:.1f} ms"
                + (f"  {NO_STREAKS} bow {result[NO_STREAKS][0]:.3f} cer {result[NO_STREAKS][1]:.3f}"
                   if NO_STREAKS in result else ""), flush=True)
    print(f"\n{'rendering':9s} {'pages':>5s} " + " ".join(f"{m + ' bow':>13s} {m + ' cer':>10s} {'s/page':>6s}"
                                                  for m in MODES) + "  worse  guard fired  rapid ran  rapid kept")
    for rendering in renderings:
        results = rows[rendering]
        cells = []
        for m in MODES:
            cells.append(f"{np.mean([r[m][0] for r in results]):13.3f} {np.mean([r[m][1] for r in results]):10.3f} "
                         f"{np.mean([r[m][2] for r in results]):6.1f}")
        n_worse = sum(1 for r in results if r["pipeline"][0] > r["plain"][0] + WORSE_MARGIN)
        fired = sum(1 for r in results if any(s.startswith("guard") for s in r["pipeline"][3]))
        ran = sum(1 for r in results if "rapidocr" in r["pipeline"][3])
        kept = sum(1 for r in results if "kept:rapidocr" in r["pipeline"][3])
        print(f"{rendering:9s} {len(results):5d} " + " ".join(cells)
              + f"  {n_worse:5d}  {fired:11d}  {ran:9d}  {kept:10d}")
    _streak_table(renderings, rows, checks)
    print(f"\npages where the pipeline's bag-of-words error exceeds plain Tesseract's by > {WORSE_MARGIN}: "
          f"{len(worse)}" + (f" ({'; '.join(worse)})" if worse else ""))
    print("targets: bow <= 0.03 clean/skewed/noisy/photo, <= 0.30 heavy; 0 pages worse than plain")


_SHOWN = ("guard", "kept", "rapid", "persp", "review", "streak")


def _streak_table(renderings: list[str], rows: dict[str, list[Result]], checks: dict[str, list[float]]) -> None:
    """Cost of the streak check per page and where it applied; on streak pages, the pipeline beside
    itself with the step off (same run)."""
    print(f"\nstreak removal: {'rendering':9s} {'check ms mean':>13s} {'max':>6s} {'applied':>7s}"
          f"  pipeline bow / cer   {NO_STREAKS} bow / cer")
    for rendering in renderings:
        results, ms = rows[rendering], checks[rendering]
        applied = sum(1 for r in results if "streak_removal" in r["pipeline"][3])
        line = f"{'':16s}{rendering:9s} {np.mean(ms):13.1f} {max(ms):6.1f} {applied:4d}/{len(results):<2d}"
        if all(NO_STREAKS in r for r in results):
            line += "".join(f"  {np.mean([r[m][0] for r in results]):.3f} / {np.mean([r[m][1] for r in results]):.3f}"
                            for m in ("pipeline", NO_STREAKS))
        print(line)


def arabic(args: argparse.Namespace) -> None:
    samples = arabic_samples()
    renderings = ("clean", "noisy", "photo")
    script_model = Path("/usr/share/tesseract-ocr/5/tessdata/script/Arabic.traineddata").exists()
    print(f"\nUrdu / Pashto FIR pages: words right (share of the truth's words read exactly)"
          f"{'' if script_model else '; Debian script/Arabic model not installed'}")
    header = f"{'page':20s} {'rendering':9s} {'plain right-model':>17s} {'pipeline':>9s} {'geometry only':>13s}"
    header += f" {'script/Arabic':>13s}" if script_model else ""
    print(header + "  pipeline language, s/page (plain / pipeline), review")
    for n, sample in enumerate(samples):
        for rendering in renderings:
            item = Item(sample.name, rendering, cached(sample, rendering, 2000 + n), sample.truth, sample.language)
            started = time.perf_counter()
            plain = plain_tesseract(item.image, sample.language)
            plain_s = time.perf_counter() - started
            pipe_text, pipe_s, steps = run_mode("pipeline", item)
            bin_text, _, _ = run_mode("pipeline-geometry-only", item)
            line = (f"{sample.name:20s} {rendering:9s} {words_right(sample.truth, plain):17.2f} "
                    f"{words_right(sample.truth, pipe_text):9.2f} {words_right(sample.truth, bin_text):13.2f}")
            if script_model:
                line += f" {words_right(sample.truth, plain_tesseract(item.image, 'script/Arabic')):13.2f}"
            lang = next((s for s in steps if s.startswith("lang=")), "")
            review = ",".join(s[7:] for s in steps if s.startswith("review="))
            streak = "  streak_removal" if "streak_removal" in steps else ""
            print(line + f"  {lang} {plain_s:.1f} / {pipe_s:.1f}  {review}{streak}", flush=True)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="3 pages per rendering")
    parser.add_argument("--pages", type=int, default=0)
    parser.add_argument("--renderings", default="", help="comma-separated subset of " + ",".join(RENDERINGS))
    parser.add_argument("--skip-arabic", action="store_true")
    parser.add_argument("--only-arabic", action="store_true")
    parser.add_argument("--workers", type=int, default=2, help="pages read at a time (default 2)")
    args = parser.parse_args(argv)
    os.environ["OMP_THREAD_LIMIT"] = "1"
    if not args.only_arabic:
        english(args)
    if not args.skip_arabic:
        arabic(args)


if __name__ == "__main__":
    main()
