"""Precision/recall/F1 per kind of legalrefs on the hand-annotated gold judgments.

Run: .venv/bin/python -m bench.legalrefs_gold [--quick] [--ocr]
* match = same kind + same key + overlapping span (one gold reference matches at most one prediction);
* baseline (same run): a naive extractor with three strict regexes (PLD/SCMR citations,
  "section N PPC|Cr.P.C.");
* ``ibid``/``supra`` short forms are not annotated in the gold set and are left out of the predictions;
* scanned judgments: tesseract OCR text of ../shared/corpus/pk-supreme-court/scanned/, annotated by hand
  on that text (tests/fixtures/gold/scanned/), so recall there includes what OCR damage costs;
* new part (issue 14): criminal judgments 2005-2025 (Supreme Court and Lahore High Court) annotated by
  hand before the extractor ever ran on them (tests/fixtures/gold/new/, texts read from
  var/gold-texts/, see bench/gold_sources.py); reported apart from the old part;
* --ocr: the born-digital gold judgments rendered at 300 dpi and OCR'd with tesseract (cached under
  var/bench-cache/ocr/); offsets differ from the text layer, so there a match is kind + key only
  (multiset), which shows how much recall OCR costs.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import shutil
import subprocess
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from bench import gold_sources
from config import shared_dir
from legalrefs import RefKind, find_references

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "tests" / "fixtures" / "gold"
OCR_CACHE = ROOT / "var" / "bench-cache" / "ocr"
CORPUS = shared_dir() / "corpus" / "pk-supreme-court"
KINDS = (RefKind.CITATION, RefKind.STATUTE)


@dataclass(frozen=True)
class Span:
    kind: str
    start: int
    end: int
    key: str


Doc = tuple[str, str, list[Span]]


def load_gold(quick: bool, folder: Path = GOLD) -> tuple[list[Doc], list[Doc]]:
    """(development judgments, held-out judgments); held-out ones were annotated after the rules froze."""
    docs: list[Doc] = []
    held: list[Doc] = []
    for path in sorted(folder.glob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        text = (folder / doc["text_file"]).read_text(encoding="utf-8")
        if hashlib.sha256(text.encode("utf-8")).hexdigest() != doc["text_sha256"]:
            raise SystemExit(f"{path.name}: text file changed since annotation (sha256 mismatch)")
        spans = [Span(r["kind"], r["start"], r["end"], r["key"]) for r in doc["references"]]
        (held if doc.get("held_out") else docs).append((doc["name"], text, spans))
    return (docs[:5], held[:1]) if quick else (docs, held)


def load_new(quick: bool) -> tuple[list[Doc], list[str]]:
    """(the new part's judgments whose text is in var/gold-texts/, names of those whose text is not)."""
    out: list[Doc] = []
    missing: list[str] = []
    for gold in gold_sources.read_annotations():
        loaded = gold_sources.load(gold)
        if loaded is None:
            missing.append(gold.name)
            continue
        text, refs = loaded
        spans = [Span(str(r["kind"]), int(str(r["start"])), int(str(r["end"])), str(r["key"])) for r in refs]
        out.append((gold.name, text, spans))
    return (out[:3] if quick else out), missing


NEW_LABEL = "NEW PART (issue 14): judgments annotated before the extractor ran"


def evaluate_new(quick: bool, show_errors: bool) -> None:
    """Score the new part, or say plainly that (part of) it could not be scored and how to fix that."""
    new, missing = load_new(quick)
    if missing:
        print(f"!! {NEW_LABEL}: {len(missing)} of {len(new) + len(missing)} judgment texts are missing from "
              f"{gold_sources.TEXTS} ({', '.join(missing)}).\n"
              "!! They come from repository snapshots: run .venv/bin/python -m bench.gold_sources "
              "[--mirror DIR] first.")
    if not new:
        print(f"== {NEW_LABEL}: NOT SCORED (no text available); the figures below are the old part only")
        return
    evaluate(NEW_LABEL + (" (INCOMPLETE)" if missing else ""), new, show_errors)


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


def timing(docs: list[Doc]) -> None:
    """Time all kinds on one ~150k-char text (a 50-page judgment), after a warm-up compiling the regexes."""
    text = ""
    for _, doc_text, _ in docs:
        text += doc_text
        if len(text) >= 150_000:
            break
    text = text[:150_000]
    find_references("warm-up: PLD 2009 SC 53, section 302 PPC")
    runs = []
    cpu = []
    for _ in range(5):
        t0, c0 = time.perf_counter(), time.process_time()
        find_references(text)
        runs.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    t0 = time.perf_counter()
    baseline(text)
    naive = time.perf_counter() - t0
    # CPU time is reported too: wall time on a shared machine mostly measures the other processes
    print(f"timing: all kinds on {len(text)} chars: wall best {min(runs) * 1000:.1f} ms / worst "
          f"{max(runs) * 1000:.1f} ms, CPU best {min(cpu) * 1000:.1f} ms "
          f"(naive baseline {naive * 1000:.1f} ms)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="first 5 gold judgments only")
    ap.add_argument("--ocr", action="store_true", help="also score cached OCR text of the gold judgments")
    ap.add_argument("--errors", action="store_true", help="list false positives/negatives by key")
    args = ap.parse_args()
    docs, held = load_gold(args.quick)
    timing(docs + held)
    for label, split in (("development set", docs), ("held-out set", held), ("all", docs + held)):
        evaluate(label, split, args.errors and label != "all")
    evaluate_new(args.quick, args.errors)
    evaluate("old part (development + held-out + scanned)", docs + held + load_gold(args.quick, GOLD / "scanned")[0],
             False)
    scanned, _ = load_gold(args.quick, GOLD / "scanned")
    evaluate("scanned judgments, tesseract OCR text (annotated on the OCR)", scanned, args.errors)
    if args.ocr:
        ocr_scores(docs + held)


def evaluate(label: str, docs: list[Doc], show_errors: bool) -> None:
    ours: Counter[str] = Counter()
    base: Counter[str] = Counter()
    chars = 0
    for name, text, gold in docs:
        pred = predict(text)
        chars += len(text)
        ours += score(gold, pred, spans=True)
        base += score(gold, baseline(text), spans=True)
        if show_errors:
            errors(name, gold, pred, text)
    print(f"== {label}: {len(docs)} judgments, {chars} chars")
    report("legalrefs", ours)
    report("baseline (naive)", base)


def ocr_text(name: str) -> str | None:
    """OCR text of a gold judgment's PDF (pdftoppm 300 dpi grey + tesseract eng), cached; None if the
    tools are missing. Pages are joined with a form feed, like the text-layer extraction."""
    cached = OCR_CACHE / f"{name}.txt"
    if cached.exists():
        return cached.read_text(encoding="utf-8")
    if not (shutil.which("tesseract") and shutil.which("pdftoppm")):
        return None
    pdf = CORPUS / "digital" / f"judgement_{name}.pdf"
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["pdftoppm", "-r", "300", "-gray", "-png", str(pdf), f"{tmp}/p"], check=True)
        pages = [subprocess.run(["tesseract", str(img), "-", "-l", "eng", "--psm", "3"], check=True,
                                capture_output=True, text=True).stdout
                 for img in sorted(Path(tmp).glob("p-*.png"))]
    text = "".join(page + "\n\f\n" for page in pages)
    OCR_CACHE.mkdir(parents=True, exist_ok=True)
    cached.write_text(text, encoding="utf-8")
    return text


def ocr_scores(docs: list[Doc]) -> None:
    text_layer: Counter[str] = Counter()
    ocr: Counter[str] = Counter()
    n = 0
    for name, text, gold in docs:
        ocr_doc = ocr_text(name)
        if ocr_doc is None:
            print("tesseract/pdftoppm not installed: OCR figures skipped")
            return
        n += 1
        text_layer += score(gold, predict(text), spans=False)
        ocr += score(gold, predict(ocr_doc), spans=False)
    print(f"OCR (tesseract eng, 300 dpi) on {n} gold judgments; match = kind + key")
    report("text layer", text_layer)
    report("OCR text", ocr)


if __name__ == "__main__":
    main()
