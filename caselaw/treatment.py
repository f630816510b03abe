"""Treatment of cited precedents: for every citation in a judgment, the sentence citing it and a
suggested treatment (followed, relied upon, distinguished, overruled, doubted, referred) from cue
phrases and scope rules kept as data (``caselaw/data/treatment_cues.json``). A librarian confirms
every suggestion; the suggestion is never a finding by itself.

Only the citing court's own words decide (``caselaw.citing``): quoted passages are blanked, and a
citation inside a quotation is one the quoted judgment made ("referred"). In the clause holding the
citation (clauses break at "but" and "whereas"), in this order:

1. a negative cue (overruled, doubted, distinguished: strongest first) - unless it is negated ("not
   distinguishable"), only names the notion ("the doctrine of per incuriam"), is reported speech
   ("counsel contended that ... is distinguishable"), sits in a clause after the citation that
   reports the cited case's own holding ("wherein ... departed from"), or has an object of its own
   after it ("distinguished the case of ...");
2. words of another speaker - counsel's arguments and the cases they rely on, what a lower court or
   tribunal relied on, a paragraph of counsel's submissions - give "referred": the Court reports them;
3. "reference may be made to", "see" before the citation give "referred";
4. followed cues, then relied-upon cues (same exceptions as in 1);
5. a footnote listing cases after the Court's statement gives "relied upon";
6. a sentence that is the rest of a list cut off by a false sentence end takes the previous sentence's
   cue;
7. otherwise the suggestion abstains: "referred" with no cue.
Precision per suggestion and coverage are measured on a hand-labelled sample by
``bench/treatment_precision.py``.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from caselaw.citing import CitingContext, citing_sentence, context_at, context_of_sentence, joined, text_depths
from legalrefs import RefKind, find_references, layout
from models.caselaw import Treatment

__all__ = ["CueRules", "Suggestion", "citing_sentence", "decide", "load_cues", "sentence_around", "suggest",
           "suggest_at", "treatments"]

_POSITIVE = ("followed", "relied_upon")
QUOTED_CUE = "(inside a quotation)"
FOOTNOTE_CUE = "(footnote)"


@dataclass(frozen=True, slots=True)
class CueRules:
    """The compiled contents of ``treatment_cues.json``."""

    version: str
    negative_order: tuple[str, ...]
    cues: dict[str, tuple[re.Pattern[str], ...]]
    reference: tuple[re.Pattern[str], ...]
    speakers: tuple[re.Pattern[str], ...]
    reported_speech: re.Pattern[str]
    paragraph_speaker: re.Pattern[str]
    court_voice: re.Pattern[str]
    content_clause: re.Pattern[str]
    clause_break: re.Pattern[str]
    object_after: re.Pattern[str]
    negation: re.Pattern[str]
    mention: re.Pattern[str]
    footnote: re.Pattern[str]
    list_start: re.Pattern[str]


def _compiled(patterns: Sequence[str]) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p, re.IGNORECASE) for p in patterns)


@lru_cache(maxsize=1)
def load_cues() -> CueRules:
    """The cue phrases, compiled once. Raises ``ValueError`` if the data file is malformed (a treatment
    name that is not a ``Treatment``, a pattern that does not compile, a missing key)."""
    path = resources.files("caselaw") / "data" / "treatment_cues.json"
    raw = json.loads(path.read_text(encoding="utf-8"))
    try:
        cues = {name: _compiled(patterns) for name, patterns in raw["cues"].items()}
        for name in (*cues, *raw["negative_order"]):
            Treatment(name)  # every name is a Treatment value (ValueError otherwise)

        def one(key: str) -> re.Pattern[str]:
            return re.compile(raw[key], re.IGNORECASE)

        return CueRules(
            version=str(raw["version"]), negative_order=tuple(raw["negative_order"]), cues=cues,
            reference=_compiled(raw["reference"]), speakers=_compiled(raw["speakers"]),
            reported_speech=one("reported_speech"), paragraph_speaker=one("paragraph_speaker"),
            court_voice=one("court_voice"), content_clause=one("content_clause"), clause_break=one("clause_break"),
            object_after=re.compile(raw["object_after"]), negation=one("negation"), mention=one("mention"),
            footnote=re.compile(raw["footnote"]), list_start=re.compile(raw["list_start"]),
        )
    except (KeyError, TypeError, re.error) as exc:
        raise ValueError(f"caselaw/data/treatment_cues.json cannot be used: {exc}") from exc


@dataclass(frozen=True, slots=True)
class Suggestion:
    """One cited precedent in one judgment: its key, the citing sentence, where, and the suggestion
    (``cue``: the phrase that decided it, empty when the suggestion abstains)."""

    cited_key: str
    sentence: str
    page_no: int | None
    suggested: Treatment
    cue: str


def _clause(ctx: CitingContext, rules: CueRules) -> tuple[int, int]:
    """Offsets of the clause of ``ctx.own`` that holds the citation."""
    lo = 0
    for m in rules.clause_break.finditer(ctx.own, 0, ctx.cited_start):
        lo = m.end()
    after = rules.clause_break.search(ctx.own, ctx.cited_end)
    return lo, (after.start() if after else len(ctx.own))


def _applies(m: re.Match[str], ctx: CitingContext, lo: int, rules: CueRules) -> bool:
    """Whether a cue found in the clause speaks of this citation in the citing court's voice."""
    own = ctx.own
    preceding = own[max(lo, m.start() - 30): m.start()]
    if rules.negation.search(preceding) or rules.mention.search(preceding):
        return False
    if rules.reported_speech.search(own, lo, m.start()):
        return False
    return not (m.start() >= ctx.cited_end and rules.object_after.search(own[m.end(): m.end() + 160]))


def _find(patterns: Sequence[re.Pattern[str]], ctx: CitingContext, spans: Sequence[tuple[int, int]], lo: int,
          rules: CueRules) -> str | None:
    for pattern in patterns:
        for start, end in spans:
            for m in pattern.finditer(ctx.own, start, end):
                if _applies(m, ctx, lo, rules):
                    return m.group()[:200]
    return None


def _another_speaker(ctx: CitingContext, lo: int, hi: int, rules: CueRules) -> str | None:
    for pattern in rules.speakers:
        if m := pattern.search(ctx.own, lo, hi):
            return m.group()[:200]
    spoken = list(rules.paragraph_speaker.finditer(ctx.paragraph_before))
    if spoken:
        tail = ctx.paragraph_before[spoken[-1].end():] + " " + ctx.own[:ctx.cited_start]
        if not rules.court_voice.search(tail):
            return spoken[-1].group()[:200]
    return None


def decide(ctx: CitingContext, rules: CueRules | None = None) -> tuple[Treatment, str]:
    """The suggested treatment of the citation in ``ctx`` and the cue that decided it (the module
    docstring gives the order of the rules)."""
    rules = rules or load_cues()
    if ctx.quoted:
        return Treatment.REFERRED, QUOTED_CUE
    lo, hi = _clause(ctx, rules)
    content = rules.content_clause.search(ctx.own, ctx.cited_end, hi)
    own_after = content.start() if content else hi
    narrow = ((lo, ctx.cited_start), (ctx.cited_end, own_after))
    for name in rules.negative_order:
        if cue := _find(rules.cues[name], ctx, narrow, lo, rules):
            return Treatment(name), cue
    if cue := _another_speaker(ctx, lo, hi, rules):
        return Treatment.REFERRED, cue
    for pattern in rules.reference:
        if m := pattern.search(ctx.own, lo, ctx.cited_start):
            return Treatment.REFERRED, m.group()[:200]
    wide = ((lo, ctx.cited_start), (ctx.cited_end, hi))
    for name in _POSITIVE:
        if cue := _find(rules.cues[name], ctx, wide, lo, rules):
            return Treatment(name), cue
    if rules.footnote.search(ctx.own, lo, ctx.cited_start):
        return Treatment.RELIED_UPON, FOOTNOTE_CUE
    previous = ctx.previous_context
    if previous is not None and rules.list_start.match(ctx.sentence) and not previous.quoted:
        treatment, cue = decide(previous, rules)
        if cue:
            return treatment, cue
    return Treatment.REFERRED, ""


def suggest(sentence: str, rules: CueRules | None = None, cited_end: int | None = None) -> tuple[Treatment, str]:
    """The suggested treatment for a citing sentence on its own and the cue that decided it.
    ``cited_end``: where the citation ends in ``sentence`` (unknown: the whole sentence is read as the
    citing court's words before the citation)."""
    return decide(context_of_sentence(sentence, cited_end), rules)


def suggest_at(text: str, start: int, end: int, rules: CueRules | None = None,
               depths: Sequence[int] | None = None) -> tuple[Treatment, str, str]:
    """(treatment, cue, citing sentence) for the citation at ``text[start:end]`` of a judgment's text,
    read with its quotations and paragraph, as the pipeline reads it. ``depths``:
    ``caselaw.citing.text_depths(text)``, to compute once per judgment."""
    ctx = context_at(text, start, end, depths)
    treatment, cue = decide(ctx, rules)
    return treatment, cue, ctx.sentence


def sentence_around(text: str, start: int, end: int) -> str:
    """The sentence of ``text`` containing ``text[start:end]`` (a citation), whitespace collapsed."""
    sentence, _ = citing_sentence(text, start, end)
    return sentence


_STRENGTH = {Treatment.OVERRULED: 6, Treatment.DOUBTED: 5, Treatment.DISTINGUISHED: 4, Treatment.FOLLOWED: 3,
             Treatment.RELIED_UPON: 2, Treatment.REFERRED: 1}


def treatments(pages: Sequence[str], own_keys: Sequence[str] = ()) -> list[Suggestion]:
    """One suggestion per cited precedent (the strongest over its citing sentences), in first-cited
    order. ``own_keys``: the judgment's own citations, which are not precedents it cites. Sentences
    are read across page breaks (a list of cases often runs onto the next page)."""
    rules = load_cues()
    text, starts = joined(pages)
    depths = text_depths(text)
    best: dict[str, Suggestion] = {}
    for key, start, end in _citations_across_pages(pages):
        if key in own_keys:
            continue
        treatment, cue, sentence = suggest_at(text, start, end, rules, depths)
        page_no = bisect_right(starts, start)
        current = best.get(key)
        if current is None or _STRENGTH[treatment] > _STRENGTH[current.suggested]:
            best[key] = Suggestion(key, sentence, page_no, treatment, cue)
    return list(best.values())


def _citations_across_pages(pages: Sequence[str]) -> list[tuple[str, int, int]]:
    """(key, start, end) of every citation, offsets into ``caselaw.citing.joined(pages)``'s text.

    Found in the pages joined by page breaks (``legalrefs.layout.joined_pages``), as the pipeline finds a
    document's references, so a citation that a page break and its running header split (``(2006 SCMR``
    / ``Jail Petition No.276/2020 7`` / ``1846)``) is found here too; joined with one space the header
    reads as part of it."""
    broken, breaks = layout.joined_pages(pages)
    extra = len(layout.PAGE_JOINT) - 1  # caselaw.citing.joined puts one character between pages

    def to_joined(offset: int) -> int:
        return offset - extra * (bisect_right(breaks, offset) - 1)

    return [(ref.key, to_joined(ref.start), to_joined(ref.end - 1) + 1)
            for ref in find_references(broken, [RefKind.CITATION])]
