"""Precision/recall/F1 per kind of legalrefs on the hand-annotated gold judgments.

Run: .venv/bin/python -m bench.legalrefs_gold [--quick] [--ocr]
* match = same kind + same key + overlapping span (one gold reference matches at most one prediction);
* baseline (same run): a naive extractor with three strict regexes (PLD/SCMR citations,
  "section N PPC|Cr.P.C.");
* ``ibid``/``supra`` short forms are not annotated in the gold set and are left out of the predictions;
* --ocr: the same judgments rendered at 300 dpi and OCR'd with tesseract (cached under
  var/bench-cache/ocr/); offsets differ from the text layer, so there a match is kind + key only
  (multiset), which shows how much recall OCR costs.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from legalrefs import RefKind, find_references

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "tests" / "fixtures" / "gold"
OCR_CACHE = ROOT / "var" / "bench-cache" / "ocr"
KINDS = (RefKind.CITATION, RefKind.STATUTE)


@dataclass(frozen=True)
class Span:
    kind: str
    start: int
    end: int
    key: str


def load_gold(quick: bool) -> list[tuple[str, str, list[Span]]]:
    docs = []
    for path in sorted(GOLD.glob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        text = (GOLD / doc["text_file"]).read_text(encoding="utf-8")
        if hashlib.sha256(text.encode("utf-8")).hexdigest() != doc["text_sha256"]:
            raise SystemExit(f"{path.name}: text file changed since annotation (sha256 mismatch)")
        spans = [Span(r["kind"], r["start"], r["end"], r["key"]) for r in doc["references"]]
        docs.append((doc["name"], text, spans))
    return docs[:5] if quick else docs


def predict(text: str) -> list[Span]:
    return [Span(r.kind.value, r.start, r.end, r.key) for r in find_references(text, KINDS)
            if "short_form" not in r.attrs]


_NAIVE = (
    (re.compile(r"PLD (\d{4}) SC (\d+)"), lambda m: f"PLD {m[1]} SC {m[2]}", "citation"),
    (re.compile(r"(\d{4}) SCMR (\d+)"), lambda m: f"SCMR {m[1]} {m[2]}", "citation"),
    (re.compile(r"[Ss]ection (\d+(?:\([a-z0-9]+\))?),? (PPC|Cr\.P\.C\.)"),
     lambda m: f"{'PPC' if m[2] == 'PPC' else 'CrPC'} {m[1]}", "statute"),
)


def baseline(text: str) -> list[Span]:
    return [Span(kind, m.start(), m.end(), key(m)) for rx, key, kind in _NAIVE for m in rx.finditer(text)]


def score(gold: list[Span], pred: list[Span], spans: bool) -> Counter[str]:
    counts: Counter[str] = Counter()
    used: set[int] = set()
    for g in gold:
        counts[f"{g.kind}:gold"] += 1
        for i, p in enumerate(pred):
            if i in used or p.kind != g.kind or p.key != g.key:
                continue
            if spans and not (p.start < g.end and g.start < p.end):
                continue
            used.add(i)
            counts[f"{g.kind}:tp"] += 1
            break
    for p in pred:
        counts[f"{p.kind}:pred"] += 1
    return counts


def report(label: str, counts: Counter[str]) -> None:
    for kind in (k.value for k in KINDS):
        tp, g, p = counts[f"{kind}:tp"], counts[f"{kind}:gold"], counts[f"{kind}:pred"]
        prec = tp / p if p else 0.0
        rec = tp / g if g else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        print(f"{label:<22} {kind:<9} gold={g:<5} pred={p:<5} tp={tp:<5} "
              f"P={prec:.3f} R={rec:.3f} F1={f1:.3f}")


def errors(name: str, gold: list[Span], pred: list[Span], text: str) -> None:
    gk = Counter((g.kind, g.key) for g in gold)
    pk = Counter((p.kind, p.key) for p in pred)
    for (kind, key), n in (gk - pk).items():
        print(f"  FN {name} {kind} {key} x{n}")
    for (kind, key), n in (pk - gk).items():
        at = next(p for p in pred if (p.kind, p.key) == (kind, key))
        print(f"  FP {name} {kind} {key} x{n} :: {text[at.start:at.end]!r}")


def timing(docs: list[tuple[str, str, list[Span]]]) -> None:
    """Time all kinds on one ~150k-char text (a 50-page judgment), after a warm-up compiling the regexes."""
    text = ""
    for _, doc_text, _ in docs:
        text += doc_text
        if len(text) >= 150_000:
            break
    text = text[:150_000]
    find_references("warm-up: PLD 2009 SC 53, section 302 PPC")
    runs = []
    for _ in range(5):
        t0 = time.perf_counter()
        find_references(text)
        runs.append(time.perf_counter() - t0)
    t0 = time.perf_counter()
    baseline(text)
    naive = time.perf_counter() - t0
    print(f"timing: all kinds on {len(text)} chars: best {min(runs) * 1000:.1f} ms, "
          f"worst {max(runs) * 1000:.1f} ms (naive baseline {naive * 1000:.1f} ms)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="first 5 gold judgments only")
    ap.add_argument("--ocr", action="store_true", help="also score cached OCR text of the gold judgments")
    ap.add_argument("--errors", action="store_true", help="list false positives/negatives by key")
    args = ap.parse_args()
    docs = load_gold(args.quick)
    timing(docs)
    ours: Counter[str] = Counter()
    base: Counter[str] = Counter()
    elapsed = 0.0
    chars = 0
    for name, text, gold in docs:
        t0 = time.perf_counter()
        pred = predict(text)
        elapsed += time.perf_counter() - t0
        chars += len(text)
        ours += score(gold, pred, spans=True)
        base += score(gold, baseline(text), spans=True)
        if args.errors:
            errors(name, gold, pred, text)
    print(f"gold set: {len(docs)} judgments, {chars} chars; citations+statutes in {elapsed * 1000:.0f} ms")
    report("legalrefs", ours)
    report("baseline (naive)", base)
    if args.ocr:
        ocr_scores(docs)


def ocr_scores(docs: list[tuple[str, str, list[Span]]]) -> None:
    text_layer: Counter[str] = Counter()
    ocr: Counter[str] = Counter()
    n = 0
    for name, text, gold in docs:
        path = OCR_CACHE / f"{name}.txt"
        if not path.exists():
            continue
        n += 1
        text_layer += score(gold, predict(text), spans=False)
        ocr += score(gold, predict(path.read_text(encoding="utf-8")), spans=False)
    print(f"OCR (tesseract eng, 300 dpi) on {n} gold judgments with cached OCR text; match = kind + key")
    report("text layer", text_layer)
    report("OCR text", ocr)


if __name__ == "__main__":
    main()
