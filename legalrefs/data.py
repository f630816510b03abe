"""Load the versioned data files (reporters, statutes, courts, KP districts) into typed values."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from legalrefs.model import LegalRefsDataError


@dataclass(frozen=True, slots=True)
class Segment:
    """A court segment (PLD 2009 *SC* 53) or series (PLC *(C.S.)*) with its printed variants."""

    key: str
    variants: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Reporter:
    key: str
    name: str
    country: str
    form: str  # reporter_year_court_page | year_reporter_page | year_volume_reporter_page
    variants: tuple[str, ...]
    typo_variants: tuple[str, ...]
    courts: str | None
    series: str | None
    first_year: int
    last_year: int
    requires_volume: bool
    requires_bracket: bool
    note_variants: tuple[str, ...] = ()  # one-word note series: "PCrLJN" is P.Cr.L.J. Note
    neutral: bool = False  # a court's own (neutral) citation: "2024 LHC 1462", "2023 SCP 199"


@dataclass(frozen=True, slots=True)
class Statute:
    key: str
    name: str
    unit: str  # "section" or "article"
    variants: tuple[str, ...]
    urdu_variants: tuple[str, ...]
    sections: tuple[tuple[str, str], ...]  # (section, heading)
    letter_clauses: tuple[str, ...] = ()  # sections whose trailing letter is a clause: CNSA "9-C" = 9(c)


@dataclass(frozen=True, slots=True)
class Named:
    """A court, case type or district: canonical key plus printed variants."""

    key: str
    variants: tuple[str, ...]


# eq=False: hashed by identity, so compiled patterns can be cached per loaded data set
@dataclass(frozen=True, slots=True, eq=False)
class LegalData:
    reporters: tuple[Reporter, ...]
    series: dict[str, tuple[Segment, ...]]
    court_segments: dict[str, tuple[Segment, ...]]
    statutes: tuple[Statute, ...]
    courts: tuple[Named, ...]
    case_types: tuple[Named, ...]
    districts: tuple[Named, ...]
    versions: dict[str, str]
    urdu_stations: tuple[Named, ...] = ()  # English police-station name <- Urdu printed names


def _read(name: str) -> dict[str, Any]:
    path = resources.files("legalrefs") / "data" / name
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise LegalRefsDataError(str(path), str(exc)) from exc
    if not isinstance(doc, dict) or not isinstance(doc.get("version"), str):
        raise LegalRefsDataError(str(path), "no string 'version' field at top level")
    return doc


def _segments(raw: dict[str, list[dict[str, Any]]]) -> dict[str, tuple[Segment, ...]]:
    return {group: tuple(Segment(s["key"], tuple(s["variants"])) for s in items)
            for group, items in raw.items()}


def _reporter(r: dict[str, Any]) -> Reporter:
    first, last = r.get("years", [1800, 2100])
    return Reporter(
        key=r["key"], name=r["name"], country=r["country"], form=r["form"],
        variants=tuple(r["variants"]), typo_variants=tuple(r.get("typo_variants", ())),
        courts=r.get("courts"), series=r.get("series"), first_year=int(first), last_year=int(last),
        requires_volume=bool(r.get("requires_volume", False)),
        requires_bracket=bool(r.get("requires_bracket", False)),
        note_variants=tuple(r.get("note_variants", ())), neutral=bool(r.get("neutral", False)),
    )


def _statute(s: dict[str, Any]) -> Statute:
    return Statute(key=s["key"], name=s["name"], unit=s["unit"], variants=tuple(s["variants"]),
                   urdu_variants=tuple(s.get("urdu_variants", ())),
                   sections=tuple(sorted(s.get("sections", {}).items())),
                   letter_clauses=tuple(s.get("letter_clauses", ())))


def _named(items: list[dict[str, Any]]) -> tuple[Named, ...]:
    return tuple(Named(i["key"], tuple(i["variants"])) for i in items)


@lru_cache(maxsize=1)
def load_data() -> LegalData:
    """Parse all data files once per process (they ship inside the package and never change at run time)."""
    rep, sta, cou, dis, ups = (_read(n) for n in ("reporters.json", "statutes.json", "courts.json",
                                                  "kp_districts.json", "police_stations_ur.json"))
    try:
        return LegalData(
            reporters=tuple(_reporter(r) for r in rep["reporters"]),
            series=_segments(rep["series"]),
            court_segments=_segments(rep["courts"]),
            statutes=tuple(_statute(s) for s in sta["statutes"]),
            courts=_named(cou["courts"]),
            case_types=_named(cou["case_types"]),
            districts=_named(dis["districts"]),
            versions={"reporters": rep["version"], "statutes": sta["version"],
                      "courts": cou["version"], "kp_districts": dis["version"],
                      "police_stations_ur": ups["version"]},
            urdu_stations=_named(ups["stations"]),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise LegalRefsDataError("legalrefs/data/*.json", f"missing or malformed field: {exc}") from exc
