"""The judgment-record rules as data (``caselaw/data/judgment_rules.json``), compiled once.

Errors: ``RulesDataError`` when the file is missing or a pattern does not compile (a packaging error).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from legalrefs.data import load_data

_WORD_GAP = r"\s+"


class RulesDataError(Exception):
    """caselaw/data/*.json is missing or malformed."""

    code = "caselaw_rules"


@dataclass(frozen=True, slots=True)
class ResultRule:
    result: str
    cues: tuple[re.Pattern[str], ...]
    fallback: bool = False  # counts only when no other rule's cue is found


@dataclass(frozen=True, slots=True)
class RecordRules:
    version: str
    caption_end: tuple[re.Pattern[str], ...]
    bench_marker: re.Pattern[str]
    judge_title: re.Pattern[str]
    judge_suffix: re.Pattern[str]
    appeal_clause_start: re.Pattern[str]
    versus: re.Pattern[str]
    versus_inline: re.Pattern[str]
    role_words: re.Pattern[str]
    party_tags: re.Pattern[str]
    party_tails: re.Pattern[str]
    party_case_tag: re.Pattern[str]
    party_cut: re.Pattern[str]
    case_type: re.Pattern[str]
    case_type_keys: dict[str, str]   # folded variant -> case-type key
    courts: tuple[tuple[re.Pattern[str], str], ...]
    announced: re.Pattern[str]
    short_order: re.Pattern[str]
    signature_place: re.Pattern[str]
    annex_marker: re.Pattern[str]
    dissent_markers: tuple[re.Pattern[str], ...]
    majority: re.Pattern[str]
    results: tuple[ResultRule, ...]
    result_extent: re.Pattern[str]
    conclusion_window_chars: int
    judges: tuple[str, ...] = ()


def fold(text: str) -> str:
    """Letters and digits only, lower case: how printed variants are compared (``C. A.`` == ``CA``)."""
    return re.sub(r"[^0-9a-z]", "", text.lower())


def _variant_pattern(variant: str) -> str:
    """``Crl.P.L.A.`` -> ``Crl\\.?\\s*P\\.?\\s*L\\.?\\s*A\\.?``; words may be plural (``Appeals``)."""
    out: list[str] = []
    for token in re.findall(r"[A-Za-z]+|\.|\s+|[^A-Za-z.\s]", variant.strip().rstrip(".")):
        if token == ".":  # noqa: S105 (a dot, not a password)
            out.append(r"\.?\s*")
        elif token.isspace():
            out.append(r"\s*")
        else:
            out.append(re.escape(token))
    return "".join(out) + r"s?\.?"


def _case_types(extra: dict[str, list[str]]) -> tuple[re.Pattern[str], dict[str, str]]:
    variants: dict[str, str] = {}
    for named in load_data().case_types:
        for variant in named.variants:
            variants.setdefault(variant, named.key)
    for key, forms in extra.items():
        for variant in forms:
            variants.setdefault(variant, key)
    ordered = sorted(variants, key=len, reverse=True)
    alternation = "|".join(_variant_pattern(v) for v in ordered)
    pattern = re.compile(rf"(?i)(?<![A-Za-z])(?P<type>{alternation})")
    return pattern, {fold(v): k for v, k in variants.items()}


def _courts(extra: dict[str, list[str]]) -> tuple[tuple[re.Pattern[str], str], ...]:
    pairs: list[tuple[str, str]] = []
    for named in load_data().courts:
        pairs.extend((re.escape(v).replace(r"\ ", r"\s+"), named.key) for v in named.variants if len(v) > 3)
    for key, forms in extra.items():
        pairs.extend((form, key) for form in forms)
    pairs.sort(key=lambda p: len(p[0]), reverse=True)
    return tuple((re.compile(rf"(?<![A-Za-z]){p}(?![A-Za-z])"), key) for p, key in pairs)


def _cue(text: str) -> re.Pattern[str]:
    return re.compile(rf"(?i)\b{text}")


def _judges() -> tuple[str, ...]:
    path = resources.files("caselaw") / "data" / "judges.json"
    return tuple(str(j) for j in json.loads(path.read_text(encoding="utf-8"))["judges"])


@lru_cache(maxsize=1)
def load_rules() -> RecordRules:
    """Parse and compile ``judgment_rules.json`` (once per process)."""
    path = resources.files("caselaw") / "data" / "judgment_rules.json"
    try:
        raw: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        case_type, case_type_keys = _case_types(raw["extra_case_types"])
        return RecordRules(
            version=str(raw["version"]),
            caption_end=tuple(re.compile(p, re.IGNORECASE) for p in raw["caption_end"]),
            bench_marker=re.compile(raw["bench_marker"]),
            judge_title=re.compile(raw["judge_title"]),
            judge_suffix=re.compile(raw["judge_suffix"]),
            appeal_clause_start=re.compile(raw["appeal_clause_start"]),
            versus=re.compile(raw["versus"]),
            versus_inline=re.compile(raw["versus_inline"]),
            role_words=re.compile(raw["role_words"]),
            party_tags=re.compile(raw["party_tags"]),
            party_tails=re.compile(raw["party_tails"]),
            party_case_tag=re.compile(raw["party_case_tag"]),
            party_cut=re.compile(raw["party_cut"]),
            case_type=case_type,
            case_type_keys=case_type_keys,
            courts=_courts(raw["extra_courts"]),
            announced=re.compile(raw["announced"]),
            short_order=re.compile(raw["short_order"]),
            signature_place=re.compile(raw["signature_place"]),
            annex_marker=re.compile(raw["annex_marker"]),
            dissent_markers=tuple(re.compile(p) for p in raw["dissent_markers"]),
            majority=re.compile(raw["majority"], re.DOTALL),
            results=tuple(ResultRule(r["result"], tuple(_cue(c) for c in r["cues"]), bool(r.get("fallback", False)))
                          for r in raw["results"]),
            result_extent=re.compile(raw["result_extent"]),
            conclusion_window_chars=int(raw["conclusion_window_chars"]),
            judges=_judges(),
        )
    except (OSError, ValueError, KeyError, TypeError, re.error) as exc:
        raise RulesDataError(f"caselaw/data/judgment_rules.json cannot be used: {exc}") from exc
