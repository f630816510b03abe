"""Re-scan detection: precision and recall of ``ingest.neardup`` on re-scans made from the corpus, and
its cost per page.

    .venv/bin/python -m bench.neardup [--quick]

Corpus: image-only Supreme Court judgments (../shared/corpus/pk-supreme-court/scanned, see its
SOURCES.md). Each chosen page is rendered at 300 dpi: the "original scan", read by the real pipeline
(``ocr.page.process_image_frame``, Tesseract, default preprocessing) and fingerprinted from the viewer
image the pipeline stores (``ingest.pages.viewer_image``). Re-scans of it are made as a clerk's scanner
or phone would (seeded, repeatable):

* ``rescan-220dpi``: turned 1.2 degrees and re-scaled to 220 dpi;
* ``recompressed``: JPEG quality 30;
* ``cropped``: 4 % cut from the top and left, 2 % from the other sides;
* ``phone-like``: turned -2 degrees, 180 dpi, JPEG quality 45, uneven lighting.

Each re-scan is OCR'd and fingerprinted the same way and compared with every original page of every
chosen judgment. A re-scan is found when its best match is its own original page (true positive); a
match with any other page, above all another page of the SAME judgment (same letterhead, layout and
names), is a false positive. Baselines measured in the same run: exact SHA-256 of the file (what intake
did before), the image hash alone, the text MinHash alone.

Cost: milliseconds per page to fingerprint (image hash + MinHash, after OCR) and to compare a new page
with the stored pages (band lookup done in memory here), beside the OCR time of the same page.
OCR results are cached under var/bench-cache/neardup/ so a second run only fingerprints.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import time
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
from PIL import Image

from config import shared_dir
from ingest import neardup
from ingest.pages import viewer_image
from models import FileKind
from ocr.page import PageOptions, process_image_frame
from ocr.pdf import render_page

REPO = Path(__file__).resolve().parent.parent
SCANNED = shared_dir() / "corpus" / "pk-supreme-court" / "scanned"
CACHE = REPO / "var" / "bench-cache" / "neardup"
DPI = 300
JUDGMENTS = ("judgement_Crl.A.108-2020.pdf", "judgement_C.P.L.A.2594-2020.pdf", "judgement_J.P.201-2015.pdf",
             "judgement_Crl.A.181-2012.pdf", "judgement_C.A.654-2021.pdf", "judgement_J.P.375-2023.pdf")
VARIANTS = ("rescan-220dpi", "recompressed", "cropped", "phone-like")


@dataclass(frozen=True)
class Sample:
    judgment: str
    page: int
    variant: str  # "original" or one of VARIANTS
    file: Path
    sha256: str


def _rotate(image: np.ndarray, degrees: float) -> np.ndarray:
    h, w = image.shape
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), degrees, 1.0)
    return cv2.warpAffine(image, matrix, (w, h), borderValue=255)


def _scale(image: np.ndarray, dpi: int) -> np.ndarray:
    f = dpi / DPI
    return cv2.resize(image, (round(image.shape[1] * f), round(image.shape[0] * f)), interpolation=cv2.INTER_AREA)


def _save(image: np.ndarray, path: Path, dpi: int, quality: int | None = None) -> Path:
    pil = Image.fromarray(image)
    if quality is None:
        pil.save(path, format="PNG", dpi=(dpi, dpi))
    else:
        pil.save(path, format="JPEG", quality=quality, dpi=(dpi, dpi))
    return path


def make_variant(image: np.ndarray, variant: str, out: Path, seed: int) -> Path:
    rng = np.random.default_rng(seed)
    if variant == "rescan-220dpi":
        return _save(_scale(_rotate(image, 1.2), 220), Path(f"{out}.png"), 220)
    if variant == "recompressed":
        return _save(image, Path(f"{out}.jpg"), DPI, quality=30)
    if variant == "cropped":
        h, w = image.shape
        return _save(image[int(h * 0.04) : int(h * 0.98), int(w * 0.04) : int(w * 0.98)], Path(f"{out}.png"), DPI)
    if variant == "phone-like":
        turned = _scale(_rotate(image, -2.0), 180).astype(np.float32)
        h, w = turned.shape
        across = np.linspace(0.82, 1.0, w, dtype=np.float32)[None, :]
        light = across * np.linspace(0.9, 1.0, h, dtype=np.float32)[:, None]
        noisy = turned * light + rng.normal(0, 6, turned.shape)
        return _save(np.clip(noisy, 0, 255).astype(np.uint8), Path(f"{out}.jpg"), 180, quality=45)
    raise ValueError(variant)


def build_samples(judgments: tuple[str, ...], pages: int) -> list[Sample]:
    CACHE.mkdir(parents=True, exist_ok=True)
    samples = []
    for j_index, name in enumerate(judgments):
        for page in range(pages):
            stem = CACHE / f"{Path(name).stem.replace('.', '_')}-p{page + 1}"
            original = Path(f"{stem}-original.png")
            if not original.exists():
                _save(render_page(SCANNED / name, page, DPI), original, DPI)
            image = None
            files = [("original", original)]
            for v_index, variant in enumerate(VARIANTS):
                target = Path(f"{stem}-{variant}")
                existing = [p for p in (Path(f"{target}.png"), Path(f"{target}.jpg")) if p.exists()]
                if not existing:
                    image = image if image is not None else np.asarray(Image.open(original).convert("L"))
                    existing = [make_variant(image, variant, target, seed=1000 * j_index + 10 * page + v_index)]
                files.append((variant, existing[0]))
            for variant, path in files:
                samples.append(Sample(name, page + 1, variant, path, hashlib.sha256(path.read_bytes()).hexdigest()))
    return samples


@dataclass
class Read:
    text: str
    ocr_s: float
    print: neardup.Fingerprint
    fingerprint_ms: float


def read(sample: Sample, opts: PageOptions) -> Read:
    cache = Path(f"{sample.file}.ocr.json")
    if cache.exists():
        cached = json.loads(cache.read_text())
        text, ocr_s, rotation, width, dpi = (cached["text"], cached["ocr_s"], cached["rotation"], cached["width"],
                                             cached["dpi"])
    else:
        started = time.perf_counter()
        result = process_image_frame(sample.file, 0, opts)
        ocr_s = time.perf_counter() - started
        text, rotation, width, dpi = result.text, result.rotation, result.width, result.dpi
        cache.write_text(json.dumps({"text": text, "ocr_s": ocr_s, "rotation": rotation, "width": width, "dpi": dpi}))
    from ocr.types import PageText, TextSource

    shim = PageText(page_no=1, text="", words=(), mean_confidence=None, source=TextSource.OCR, engine="",
                    engine_version="", language="eng", width=width, height=0, dpi=dpi, rotation=rotation,
                    skew_angle=None, preprocessing=(), needs_review=False,
                    duration_ms=0)  # viewer_image reads only rotation, width and dpi
    view = viewer_image(sample.file, FileKind.PNG, 1, shim, opts)  # as the pipeline stores it (150 dpi)
    buffer = io.BytesIO()
    Image.fromarray(view).save(buffer, format="JPEG", quality=80)  # stored as JPEG q80, read back
    stored = np.asarray(Image.open(buffer).convert("L"))
    started = time.perf_counter()
    signature, count = neardup.text_signature(text)
    fp = neardup.Fingerprint(sample.page, neardup.image_hash(stored), signature, count)
    return Read(text, ocr_s, fp, (time.perf_counter() - started) * 1000)


def evaluate(samples: list[Sample], reads: dict[Path, Read], rule: str) -> dict[str, float]:
    originals = [s for s in samples if s.variant == "original"]
    tp = fp_same = fp_other = fn = 0
    compare_ms: list[float] = []
    for s in (x for x in samples if x.variant != "original"):
        new = reads[s.file].print
        best: tuple[float, Sample] | None = None
        started = time.perf_counter()
        for o in originals:
            old = reads[o.file].print
            score = _score(rule, new, old, s.sha256 == o.sha256)
            if score is not None and (best is None or score > best[0]):
                best = (score, o)
        compare_ms.append((time.perf_counter() - started) * 1000)
        if best is None:
            fn += 1
        elif best[1].judgment == s.judgment and best[1].page == s.page:
            tp += 1
        elif best[1].judgment == s.judgment:
            fp_same += 1
        else:
            fp_other += 1
    found = tp + fp_same + fp_other
    total = tp + fn + fp_same + fp_other
    return {"tp": tp, "fp_same_judgment": fp_same, "fp_other": fp_other, "missed": fn,
            "precision": tp / found if found else float("nan"), "recall": tp / total if total else float("nan"),
            "compare_ms": float(np.mean(compare_ms)) if compare_ms else 0.0}


def _score(rule: str, new: neardup.Fingerprint, old: neardup.Fingerprint, same_bytes: bool) -> float | None:
    if rule == "sha256":
        return 1.0 if same_bytes else None
    if rule == "image-only":
        if new.image_hash is None or old.image_hash is None:
            return None
        d = neardup.hamming(new.image_hash, old.image_hash)
        return 1 - d / 64 if d <= neardup.IMAGE_MATCH else None
    if rule == "text-only":
        if new.signature is None or old.signature is None:
            return None
        j = neardup.jaccard(new.signature, old.signature)
        return j if j >= neardup.TEXT_MATCH else None
    match = neardup.compare(new, old)
    return None if match is None else match.similarity


def _pair_stats(samples: list[Sample], reads: dict[Path, Read]) -> dict[str, list[float]]:
    """Jaccard and image distance of true pairs and of same-judgment different-page pairs (tuning aid)."""
    originals = [s for s in samples if s.variant == "original"]
    out: dict[str, list[float]] = {"true_j": [], "true_d": [], "neg_j": [], "neg_d": []}
    for s in (x for x in samples if x.variant != "original"):
        a = reads[s.file].print
        for o in (x for x in originals if x.judgment == s.judgment):
            b = reads[o.file].print
            kind = "true" if o.page == s.page else "neg"
            if a.signature and b.signature:
                out[f"{kind}_j"].append(neardup.jaccard(a.signature, b.signature))
            if a.image_hash is not None and b.image_hash is not None:
                out[f"{kind}_d"].append(neardup.hamming(a.image_hash, b.image_hash))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="2 judgments x 2 pages (about 3 min of OCR)")
    args = parser.parse_args()
    judgments, pages = (JUDGMENTS[:2], 2) if args.quick else (JUDGMENTS, 3)
    samples = build_samples(judgments, pages)
    opts = PageOptions(languages="eng")
    reads: dict[Path, Read] = {}
    for i, sample in enumerate(samples, start=1):
        reads[sample.file] = read(sample, opts)
        print(f"\r  read {i}/{len(samples)} pages", end="", flush=True)
    print()
    n_rescans = sum(1 for s in samples if s.variant != "original")
    print(f"{len(judgments)} judgments x {pages} pages: {len(samples) - n_rescans} originals, {n_rescans} re-scans "
          f"({', '.join(VARIANTS)})")
    print(f"{'detector':<22}{'precision':>10}{'recall':>8}{'TP':>5}{'FP same judgm.':>16}{'FP other':>10}"
          f"{'missed':>8}{'compare ms':>12}")
    for rule in ("sha256", "image-only", "text-only", "neardup (CMMS)"):
        r = evaluate(samples, reads, rule)
        print(f"{rule:<22}{r['precision']:>10.3f}{r['recall']:>8.3f}{r['tp']:>5}{r['fp_same_judgment']:>16}"
              f"{r['fp_other']:>10}{r['missed']:>8}{r['compare_ms']:>12.3f}")
    per_variant = {v: evaluate([s for s in samples if s.variant in ("original", v)], reads, "neardup (CMMS)")
                   for v in VARIANTS}
    print("recall per re-scan kind: " + ", ".join(f"{v} {r['recall']:.2f}" for v, r in per_variant.items()))
    stats = _pair_stats(samples, reads)
    for key, label in (("true_j", "Jaccard, re-scan vs its page"), ("neg_j", "Jaccard, vs other page same judgment"),
                       ("true_d", "pHash bits, re-scan vs its page"), ("neg_d", "pHash bits, vs other page")):
        values = stats[key]
        if values:
            median = float(np.median(values))
            print(f"  {label:<40} min {min(values):6.2f}  median {median:6.2f}  max {max(values):6.2f}")
    fingerprint = [r.fingerprint_ms for r in reads.values()]
    ocr = [r.ocr_s for r in reads.values()]
    print(f"cost per page: fingerprint {float(np.mean(fingerprint)):.1f} ms (image hash + MinHash, "
          f"p95 {float(np.percentile(fingerprint, 95)):.1f} ms) vs OCR {float(np.mean(ocr)):.1f} s of the same page "
          f"({100 * np.mean(fingerprint) / 1000 / np.mean(ocr):.2f} % of it)")


if __name__ == "__main__":
    main()
