"""The UN result-chain indicator for prosecution files (``data/indicator.toml``): the elements a file
must record (date accepted, action taken, charges, next appearance date) and the score of a share
(100% = 4, 75-99% = 3, 50-74% = 2, under 50% = 1). Source: ../shared/research/prosecution-practice.md;
``scheduling.discipline.NextDateIndicator`` scores the calendar's next-date share with the same bands.
Which files count and how each element reads from the file are described in the data file; the SQL
is in ``monitoring.figures``."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

from casework.stages import lifecycle


@dataclass(frozen=True)
class Element:
    code: str
    label: str
    stages: tuple[str, ...] = ()


@dataclass(frozen=True)
class Band:
    score: int
    min_percent: float


@dataclass(frozen=True)
class Indicator:
    elements: tuple[Element, ...]
    bands: tuple[Band, ...]  # highest score first

    def element(self, code: str) -> Element:
        return next(e for e in self.elements if e.code == code)

    def score(self, recorded: int, files: int) -> int | None:
        """The score of ``recorded`` out of ``files`` (None when there are no files to score)."""
        if files <= 0:
            return None
        if recorded >= files:
            return self.bands[0].score
        percent = 100.0 * recorded / files
        for band in self.bands[1:]:
            if percent >= band.min_percent:
                return band.score
        return self.bands[-1].score


ELEMENT_CODES = ("date_accepted", "action_taken", "charges", "next_appearance")


@cache
def indicator() -> Indicator:
    """The indicator from the packaged data file; ``ValueError`` when it is inconsistent."""
    text = resources.files("monitoring").joinpath("data", "indicator.toml").read_text(encoding="utf-8")
    data = tomllib.loads(text)
    stages = set(lifecycle().stages)
    elements = []
    for code in ELEMENT_CODES:
        spec = data["element"][code]
        unknown = set(spec.get("stages", ())) - stages
        if unknown:
            raise ValueError(f"indicator element {code}: unknown stages {sorted(unknown)}")
        elements.append(Element(code, str(spec["label"]), tuple(spec.get("stages", ()))))
    bands = tuple(sorted((Band(int(b["score"]), float(b["min_percent"])) for b in data["band"]),
                         key=lambda b: -b.score))
    if not bands or bands[0].min_percent != 100.0 or bands[-1].min_percent != 0.0:
        raise ValueError("indicator bands must run from 100% down to 0%")
    return Indicator(tuple(elements), bands)


def court_stages() -> tuple[str, ...]:
    """Open stages of a file before a court: the lifecycle's trial and decided phases (closed excluded)."""
    return tuple(s.id for s in lifecycle().stages.values() if s.phase in ("trial", "decided"))


__all__ = ["ELEMENT_CODES", "Band", "Element", "Indicator", "court_stages", "indicator"]
