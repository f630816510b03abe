"""Treatment suggestions: precision per suggested treatment, overall, and coverage, against a
hand-labelled sample of citing sentences; baselines measured in the same run.

    .venv/bin/python -m bench.treatment_precision [--split dev|heldout|all] [--show-errors]

The sample (``bench/data/treatment_sample.json``, its description gives the labelling conventions):
citation occurrences drawn at random from the born-digital Supreme Court judgments of
``../shared/corpus/pk-supreme-court``, each labelled by hand before the rules were run on it, in two
rounds: round 1, 70 dev + 40 held out (2026-11-30); round 2, 100 dev + 100 held out (2026-12-01).
Dev occurrences were used to write the rules; held-out ones never were (the honest figures).
``--show-errors`` prints the misses of the dev part only.

Each occurrence is read as the pipeline reads it (``caselaw.treatment.suggest_at`` on the judgment's
pages joined, from ``bench/judgment_records``'s cache), at the key's first occurrence on the page.

Printed per part: precision overall (right / occurrences: every occurrence gets a suggestion, an
abstention being "referred" with no cue), the same with followed = relied upon, precision and recall
per treatment, coverage (occurrences where a cue decided rather than the abstention) and precision on
them. Baselines in the same run: always the commonest label of the part, and the previous rules
(``bench/data/treatment_cues_2026-11-30.json`` with the sentence-only matcher they were written for).
"""

from __future__ import annotations

import argparse
import json
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from bench.judgment_records import pages_of
from caselaw.citing import citing_sentence, joined, text_depths
from caselaw.treatment import suggest_at
from legalrefs import RefKind, find_references

DATA = Path(__file__).resolve().parent / "data"
SAMPLE = DATA / "treatment_sample.json"
PREVIOUS_CUES = DATA / "treatment_cues_2026-11-30.json"
TREATMENTS = ("overruled", "doubted", "distinguished", "followed", "relied_upon", "referred")
_MERGED = {"followed": "positive", "relied_upon": "positive"}


@dataclass(frozen=True)
class Row:
    item: dict[str, str]
    suggested: str
    cue: str
    sentence: str

    @property
    def right(self) -> bool:
        return self.item["label"] == self.suggested


@lru_cache(maxsize=64)
def _text(file: str) -> tuple[str, tuple[int, ...], tuple[int, ...]]:
    pages, _ = pages_of(file)
    text, starts = joined(pages)
    return text, tuple(starts), tuple(len(p) for p in pages)


@lru_cache(maxsize=64)
def _depths(file: str) -> tuple[int, ...]:
    return tuple(text_depths(_text(file)[0]))


def locate(file: str, page: int, key: str) -> tuple[str, int, int]:
    """(joined text, start, end) of the key's first occurrence on ``page`` of ``file``."""
    text, starts, lengths = _text(file)
    page_start, page_end = starts[page - 1], starts[page - 1] + lengths[page - 1]
    for ref in find_references(text, [RefKind.CITATION]):
        if ref.key == key and page_start <= ref.start < page_end:
            return text, ref.start, ref.end
    raise LookupError(f"{key} not found on page {page} of {file}")


# --- the previous rules (2026-11-30), kept as the baseline ------------------------------------------------


@lru_cache(maxsize=1)
def _previous_rules() -> tuple[list[str], dict[str, list[re.Pattern[str]]], re.Pattern[str]]:
    raw = json.loads(PREVIOUS_CUES.read_text(encoding="utf-8"))
    cues = {n: [re.compile(p, re.IGNORECASE) for p in raw["cues"][n]] for n in raw["order"]}
    return list(raw["order"]), cues, re.compile(raw["content_clause"], re.IGNORECASE)


def previous_suggest(text: str, start: int, end: int) -> tuple[str, str]:
    """The first caselaw rules: first cue in order over the sentence (negative cues not in a clause
    reporting the cited case), counsel's sentences 'referred', else 'referred'."""
    order, cues, content = _previous_rules()
    sentence, cited_end = citing_sentence(text, start, end)
    m = content.search(sentence, cited_end)
    own = sentence if m is None else sentence[: m.start()]
    for name in order:
        scope = own if name in ("overruled", "doubted", "distinguished") else sentence
        for cue in cues[name]:
            if found := cue.search(scope):
                return ("referred" if name == "counsel" else name), found.group()
    return "referred", ""


# --- scoring ------------------------------------------------------------------------------------------


def rows_for(items: list[dict[str, str]], system: Callable[[str, int, int], tuple[str, str, str]]) -> list[Row]:
    out = []
    for item in items:
        _, start, end = locate(item["file"], int(item["page"]), item["cited_key"])
        suggested, cue, sentence = system(item["file"], start, end)
        out.append(Row(item, suggested, cue, sentence))
    return out


def cmms(file: str, start: int, end: int) -> tuple[str, str, str]:
    treatment, cue, sentence = suggest_at(_text(file)[0], start, end, depths=_depths(file))
    return str(treatment), cue, sentence


def previous(file: str, start: int, end: int) -> tuple[str, str, str]:
    text = _text(file)[0]
    suggested, cue = previous_suggest(text, start, end)
    return suggested, cue, citing_sentence(text, start, end)[0]


def report(name: str, items: list[dict[str, str]], show_errors: bool) -> None:
    ours, before = rows_for(items, cmms), rows_for(items, previous)
    labels = Counter(i["label"] for i in items)
    majority, n = labels.most_common(1)[0][0], len(items)

    def accuracy(rows: list[Row]) -> str:
        return f"{sum(r.right for r in rows) / n:.3f}"

    def merged(rows: list[Row]) -> str:
        ok = sum(_MERGED.get(r.item["label"], r.item["label"]) == _MERGED.get(r.suggested, r.suggested) for r in rows)
        return f"{ok / n:.3f}"

    def covered(rows: list[Row]) -> str:
        decided = [r for r in rows if r.cue]
        shown = f"{sum(r.right for r in decided) / len(decided):.3f}" if decided else "-"
        return f"{len(decided) / n:.3f} (precision {shown})"

    print(f"\n=== {name}: {n} hand-labelled occurrences; labels {dict(labels.most_common())} ===")
    print(f"{'system':<44}{'precision':>10}{'followed=relied':>17}   coverage")
    print(f"{'baseline: always ' + repr(majority):<44}{labels[majority] / n:>10.3f}{'':>17}   -")
    print(f"{'baseline: previous rules (2026-11-30)':<44}{accuracy(before):>10}{merged(before):>17}   "
          f"{covered(before)}")
    print(f"{'CMMS cue rules':<44}{accuracy(ours):>10}{merged(ours):>17}   {covered(ours)}")
    print(f"\n{'treatment':<15}{'labelled':>9}{'suggested':>10}{'right':>7}{'precision':>10}{'recall':>8}"
          f"{'   previous P / R':>18}")
    for treatment in TREATMENTS:
        cells = []
        for rows in (ours, before):
            given = [r for r in rows if r.suggested == treatment]
            ok = sum(r.right for r in given)
            cells.append((len(given), ok, f"{ok / len(given):.3f}" if given else "-",
                          f"{ok / labels[treatment]:.3f}" if labels[treatment] else "-"))
        (given_n, ok, p, r), (_, _, p0, r0) = cells
        print(f"{treatment:<15}{labels[treatment]:>9}{given_n:>10}{ok:>7}{p:>10}{r:>8}{p0 + ' / ' + r0:>18}")
    if show_errors:
        for row in ours:
            if not row.right:
                item = row.item
                print(f"\n- r{item.get('round')} {item['file']} p{item['page']} {item['cited_key']}: label "
                      f"{item['label']}, suggested {row.suggested} (cue {row.cue!r})\n  {row.sentence[:400]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--split", choices=("dev", "heldout", "all"), default="all")
    parser.add_argument("--show-errors", action="store_true", help="misses on the dev part")
    args = parser.parse_args()
    items = json.loads(SAMPLE.read_text(encoding="utf-8"))["items"]
    parts: list[tuple[str, list[dict[str, str]], bool]] = []
    if args.split in ("dev", "all"):
        parts.append(("dev (rounds 1 and 2, used while writing the rules)",
                      [i for i in items if i["set"] == "dev"], args.show_errors))
    if args.split in ("heldout", "all"):
        for label, chosen in (("held out, round 1", [i for i in items if i["set"] == "heldout" and i["round"] == 1]),
                              ("held out, round 2", [i for i in items if i["set"] == "heldout" and i["round"] == 2]),
                              ("held out, both rounds", [i for i in items if i["set"] == "heldout"])):
            parts.append((label, chosen, False))
    for name, chosen, show in parts:
        report(name, chosen, show)


if __name__ == "__main__":
    main()
