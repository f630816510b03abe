"""The review checklist per stage, the severities of a finding and the kinds of answer, as data
(``monitoring/data/review.toml``). ``rules()`` loads and checks the file once; ``ReviewDataError`` when
it is inconsistent (raised at load, so a broken file stops start-up, not a review)."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from casework.stages import lifecycle


class ReviewDataError(ValueError):
    """``review.toml`` is inconsistent (unknown stage or item, a stage in two checklists, ...)."""


@dataclass(frozen=True)
class Item:
    code: str
    label: str
    group: str
    source: str


@dataclass(frozen=True)
class Checklist:
    id: str
    label: str
    stages: tuple[str, ...]
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Severity:
    code: str
    label: str
    meaning: str
    rank: int


@dataclass(frozen=True)
class ReviewRules:
    """Everything of ``review.toml``: items by code, checklists by id, severities (least serious
    first) and answer kinds (code -> label)."""

    items: Mapping[str, Item]
    checklists: Mapping[str, Checklist]
    severities: tuple[Severity, ...]
    answers: Mapping[str, str]

    def for_stage(self, stage: str) -> Checklist:
        """The checklist of a case at ``stage``; ``KeyError`` for a stage no checklist covers."""
        for checklist in self.checklists.values():
            if stage in checklist.stages:
                return checklist
        raise KeyError(stage)

    def severity(self, code: str) -> Severity | None:
        return next((s for s in self.severities if s.code == code), None)

    @property
    def groups(self) -> tuple[str, ...]:
        """Item groups in the order they first appear."""
        return tuple(dict.fromkeys(item.group for item in self.items.values()))


def _parse(data: Mapping[str, Any]) -> ReviewRules:
    items = {code: Item(code, str(spec["label"]), str(spec["group"]), str(spec.get("source", "")))
             for code, spec in dict(data.get("item", {})).items()}
    known_stages = set(lifecycle().stages)
    covered: dict[str, str] = {}
    checklists: dict[str, Checklist] = {}
    for cid, spec in dict(data.get("checklist", {})).items():
        missing = [code for code in spec["items"] if code not in items]
        if missing:
            raise ReviewDataError(f"checklist {cid}: unknown items {missing}")
        if len(set(spec["items"])) != len(spec["items"]):
            raise ReviewDataError(f"checklist {cid}: an item is listed twice")
        for stage in spec["stages"]:
            if stage not in known_stages:
                raise ReviewDataError(f"checklist {cid}: unknown stage {stage!r}")
            if stage in covered:
                raise ReviewDataError(f"stage {stage!r} is in checklists {covered[stage]} and {cid}")
            covered[stage] = cid
        checklists[cid] = Checklist(cid, str(spec["label"]), tuple(spec["stages"]),
                                    tuple(items[code] for code in spec["items"]))
    uncovered = known_stages - set(covered)
    if uncovered:
        raise ReviewDataError(f"stages without a checklist: {sorted(uncovered)}")
    severities = sorted((Severity(code, str(spec["label"]), str(spec.get("meaning", "")), int(spec["rank"]))
                         for code, spec in dict(data.get("severity", {})).items()), key=lambda s: s.rank)
    if not severities:
        raise ReviewDataError("no severities")
    answers = {code: str(spec["label"]) for code, spec in dict(data.get("answer", {})).items()}
    return ReviewRules(items, checklists, tuple(severities), answers)


@cache
def rules() -> ReviewRules:
    """The review rules from the packaged data file (cached for the process)."""
    text = resources.files("monitoring").joinpath("data", "review.toml").read_text(encoding="utf-8")
    return _parse(tomllib.loads(text))


__all__ = ["Checklist", "Item", "ReviewDataError", "ReviewRules", "Severity", "rules"]
