"""What identifies an FIR, in one stored form: its number in Western digits and its police station's own
name, without a typed "PS" or "تھانہ" in front. The case form stores values this way
(``search_app.views.case_form``); rows saved before it did are rewritten by migration 0014 with the same
functions, except where the rewrite would make two rows one.

``station_name`` is the form's rule for a station's name (FIR and court case numbers go through
``i18n.languages.to_western_digits``). ``plan_rewrites`` decides, from the rows as stored, what can be
rewritten and what collides:

- two cases that would become the same FIR (number, year, police station): the unique constraint
  ``uq_cases_fir_number_fir_year_police_station_id`` would refuse the second, and merging them is a
  person's decision;
- two stations of one district that would have the same name (compared case-insensitively, as the form
  looks a station up): merging stations moves cases between them.

A row in a collision is left entirely as it is (its court case number too) and the collision is
reported with every row's id, for an administrator to resolve (``cmms db collisions`` lists what is
left). ``read_rewrites`` reads the rows with plain SQL, so the migration and the command share it.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, text

from i18n.languages import to_western_digits

_STATION_PREFIX = re.compile(r"^\s*(?:p\.?\s*s\.?|police\s+station|thana|تھانہ|تهانه)\s*[:.\-]?\s+", re.IGNORECASE)


def station_name(typed: str) -> str:
    """The police station's own name without a typed "PS", "Police Station" or "تھانہ" in front
    (pages print "PS %(station)s" / "تھانہ %(station)s" themselves): "تھانہ صدر" -> "صدر"."""
    name = _STATION_PREFIX.sub("", typed, count=1).strip()
    return name or typed


@dataclass(frozen=True)
class StationRow:
    """A ``police_stations`` row as stored."""

    id: int
    district_id: int
    name: str


@dataclass(frozen=True)
class CaseRow:
    """The identifying columns of a ``cases`` row as stored."""

    id: int
    fir_number: str
    fir_year: int
    police_station_id: int
    court_case_number: str


@dataclass(frozen=True)
class Collision:
    """Rows that would become one: ``kind`` is ``case`` or ``police_station``; ``scope`` says within what
    (``FIR year 2023, police station 7`` / ``district 3``); ``rows`` are (id, value as stored); ``becomes``
    the one value they would share."""

    kind: str
    scope: str
    becomes: str
    rows: tuple[tuple[int, str], ...]

    @property
    def ids(self) -> tuple[int, ...]:
        """The ids of the rows involved, ascending."""
        return tuple(row_id for row_id, _ in self.rows)

    def describe(self) -> str:
        """One line for a log or a terminal: ``case 12 '۴۵۶', 31 '456' -> '456' (FIR year 2023, ...)``."""
        rows = ", ".join(f"{row_id} {value!r}" for row_id, value in self.rows)
        return f"{self.kind} {rows} -> {self.becomes!r} ({self.scope})"


@dataclass(frozen=True)
class RewritePlan:
    """What to rewrite: station id -> name; case id -> (FIR number, court case number); and the
    collisions, whose rows are in neither mapping."""

    stations: dict[int, str]
    cases: dict[int, tuple[str, str]]
    collisions: tuple[Collision, ...]


Scope = tuple[int, ...]  # rows that must differ: (district,) for stations, (year, station) for FIRs


@dataclass(frozen=True)
class _Value:
    id: int
    scope: Scope
    stored: str


def _rewrites(values: Sequence[_Value], normalise: Callable[[str], str], fold: Callable[[str], str],
              kind: str, describe: Callable[[Scope], str]) -> tuple[dict[int, str], list[Collision]]:
    """Each value that changes, unless another row of its scope holds, or would hold, the new value."""
    claims: dict[tuple[Scope, str], set[int]] = defaultdict(set)
    for v in values:
        claims[(v.scope, fold(v.stored))].add(v.id)
        claims[(v.scope, fold(normalise(v.stored)))].add(v.id)
    stored = {v.id: v.stored for v in values}
    renamed: dict[int, str] = {}
    clashes: dict[tuple[Scope, str], tuple[str, set[int]]] = {}
    for v in values:
        target = normalise(v.stored)
        if target == v.stored:
            continue
        others = claims[(v.scope, fold(target))] - {v.id}
        if others:
            clashes.setdefault((v.scope, fold(target)), (target, set()))[1].update(others | {v.id})
        else:
            renamed[v.id] = target
    collisions = [Collision(kind, describe(scope), target, tuple((i, stored[i]) for i in sorted(ids)))
                  for (scope, _), (target, ids) in clashes.items()]
    return renamed, collisions


def plan_rewrites(stations: Iterable[StationRow], cases: Iterable[CaseRow]) -> RewritePlan:
    """Decide the rewrite of rows stored before the case form normalised them (pure: no database).
    Station ids are not changed, so the cases' and the stations' rewrites are independent."""
    station_values = [_Value(s.id, (s.district_id,), s.name) for s in stations]
    renamed, station_clashes = _rewrites(station_values, station_name, str.lower, "police_station",
                                         lambda scope: f"district {scope[0]}")
    case_rows = list(cases)
    fir_values = [_Value(c.id, (c.fir_year, c.police_station_id), c.fir_number) for c in case_rows]
    firs, case_clashes = _rewrites(fir_values, to_western_digits, str, "case",
                                   lambda scope: f"FIR year {scope[0]}, police station {scope[1]}")
    left = {i for clash in case_clashes for i in clash.ids}
    rewritten: dict[int, tuple[str, str]] = {}
    for c in case_rows:
        if c.id in left:
            continue
        fir, number = firs.get(c.id, c.fir_number), to_western_digits(c.court_case_number)
        if (fir, number) != (c.fir_number, c.court_case_number):
            rewritten[c.id] = (fir, number)
    return RewritePlan(renamed, rewritten, tuple([*station_clashes, *case_clashes]))


def read_rewrites(connection: Connection) -> RewritePlan:
    """``plan_rewrites`` over every station and case in the database behind ``connection``."""
    stations = [StationRow(*row) for row in connection.execute(
        text("SELECT id, district_id, name FROM police_stations ORDER BY id")).tuples()]
    cases = [CaseRow(*row) for row in connection.execute(text(
        "SELECT id, fir_number, fir_year, police_station_id, court_case_number FROM cases ORDER BY id")).tuples()]
    return plan_rewrites(stations, cases)


__all__ = ["CaseRow", "Collision", "RewritePlan", "StationRow", "plan_rewrites", "read_rewrites", "station_name"]
