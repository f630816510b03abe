"""The case lifecycle as data: stages, allowed transitions and who may make them.

Loaded from ``casework/data/stages.toml``. ``check_transition`` is the one rule every view and the API
call before moving a case: it raises ``TransitionRefused`` (with a clerk-readable message) when the
stage does not allow the move, the role may not make it, the date is impossible or a needed note is
missing. Nothing here touches the database.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources

from casework.errors import CaseRuleError
from i18n import N_


class StageDataError(ValueError):
    """``stages.toml`` is inconsistent (unknown stage in a transition, unknown role); raised at load."""


class TransitionRefused(CaseRuleError):
    """A transition the stage, the role or the dates do not allow (``code`` says which)."""


KNOWN_ROLES = frozenset({"data_entry", "prosecutor", "librarian", "supervisor", "admin"})
PHASES = ("investigation", "scrutiny", "trial", "decided", "closed")


@dataclass(frozen=True)
class Stage:
    id: str
    label: str
    phase: str
    order: int


@dataclass(frozen=True)
class Transition:
    source: str
    target: str
    roles: frozenset[str]
    needs_note: bool = False


@dataclass(frozen=True)
class Lifecycle:
    """Stages by id (in ``order``) and transitions keyed by (from, to)."""

    stages: Mapping[str, Stage]
    transitions: Mapping[tuple[str, str], Transition]

    def stage(self, stage_id: str) -> Stage:
        """The stage; ``KeyError`` for an unknown id."""
        return self.stages[stage_id]

    def label(self, stage_id: str) -> str:
        found = self.stages.get(stage_id)
        return found.label if found else stage_id.replace("_", " ")

    def targets(self, source: str, role: str | None = None) -> list[Stage]:
        """Stages reachable from ``source`` (by ``role`` when given), in lifecycle order."""
        found = [self.stages[t.target] for (s, _), t in self.transitions.items()
                 if s == source and (role is None or role in t.roles)]
        return sorted(found, key=lambda s: s.order)

    def allows(self, source: str, target: str, role: str) -> bool:
        transition = self.transitions.get((source, target))
        return transition is not None and role in transition.roles


def _parse(data: Mapping[str, object]) -> Lifecycle:
    raw_stages = dict(data.get("stage", {}))  # type: ignore[call-overload]
    stages: dict[str, Stage] = {}
    for stage_id, spec in sorted(raw_stages.items(), key=lambda kv: int(kv[1]["order"])):
        if spec["phase"] not in PHASES:
            raise StageDataError(f"stage {stage_id}: unknown phase {spec['phase']!r}")
        stages[stage_id] = Stage(stage_id, str(spec["label"]), str(spec["phase"]), int(spec["order"]))
    transitions: dict[tuple[str, str], Transition] = {}
    for spec in data.get("transition", []):  # type: ignore[attr-defined]
        roles = frozenset(spec["roles"])
        if not roles <= KNOWN_ROLES:
            raise StageDataError(f"transition {spec}: unknown roles {sorted(roles - KNOWN_ROLES)}")
        for source in spec["from"]:
            for target in spec["to"]:
                for name in (source, target):
                    if name not in stages:
                        raise StageDataError(f"transition {source}->{target}: unknown stage {name!r}")
                if (source, target) in transitions:
                    raise StageDataError(f"transition {source}->{target} is listed twice")
                transitions[(source, target)] = Transition(source, target, roles, bool(spec.get("needs_note")))
    return Lifecycle(stages, transitions)


@cache
def lifecycle() -> Lifecycle:
    """The lifecycle from the packaged data file (cached for the process)."""
    text = resources.files("casework").joinpath("data", "stages.toml").read_text(encoding="utf-8")
    return _parse(tomllib.loads(text))


def stage_ids() -> tuple[str, ...]:
    return tuple(lifecycle().stages)


def stages_matching(value: str) -> tuple[str, ...]:
    """The stage ids a searcher means by ``value`` (``stage:`` in the query language): a stage id
    (``under_scrutiny``), its label in any case with spaces or underscores ("under scrutiny"), or a
    phase (investigation, scrutiny, trial, decided, closed), which means all of its stages in order.
    Empty when nothing matches."""
    wanted = " ".join(value.replace("_", " ").casefold().split())
    if not wanted:
        return ()
    stages = sorted(lifecycle().stages.values(), key=lambda s: s.order)
    for stage in stages:
        if wanted in (stage.id.replace("_", " "), " ".join(stage.label.casefold().split())):
            return (stage.id,)
    return tuple(s.id for s in stages if s.phase == wanted)


@dataclass(frozen=True)
class TransitionRequest:
    """A wish to move a case: ``on`` is the date the step happened (not the date typed in)."""

    source: str
    target: str
    role: str
    on: date
    note: str = ""


def check_transition(request: TransitionRequest, *, fir_date: date | None, last_transition_on: date | None,
                     today: date, cycle: Lifecycle | None = None) -> None:
    """Raise ``TransitionRefused`` unless the move is allowed.

    Rules: the pair (source, target) is in the data; the role is listed for it; the date is not in
    the future, not before the FIR was registered and not before the case's previous step; a note is
    written when the transition needs one.
    """
    cycle = cycle or lifecycle()
    if request.target not in cycle.stages:
        raise TransitionRefused("unknown_stage", N_("Choose one of the listed stages."))
    if (request.source, request.target) not in cycle.transitions:
        raise TransitionRefused(
            "not_allowed", N_("A case at “%(source)s” cannot move to “%(target)s”."),
            source=cycle.label(request.source), target=cycle.label(request.target))
    if not cycle.allows(request.source, request.target, request.role):
        raise TransitionRefused("role", N_("Your role may not move a case to “%(target)s”."),
                                target=cycle.label(request.target))
    _check_dates(request.on, fir_date=fir_date, last_transition_on=last_transition_on, today=today)
    if cycle.transitions[(request.source, request.target)].needs_note and not request.note.strip():
        raise TransitionRefused("note_needed", N_("Write why the case moves to “%(target)s”."),
                                target=cycle.label(request.target))


def _check_dates(on: date, *, fir_date: date | None, last_transition_on: date | None, today: date) -> None:
    if on > today:
        raise TransitionRefused("future_date", N_("The date cannot be in the future."))
    if fir_date is not None and on < fir_date:
        raise TransitionRefused("before_fir", N_("The date %(on)s is before the FIR was registered (%(fir)s)."),
                                on=on.isoformat(), fir=fir_date.isoformat())
    if last_transition_on is not None and on < last_transition_on:
        raise TransitionRefused(
            "before_previous", N_("The date %(on)s is before the case's previous step (%(previous)s)."),
            on=on.isoformat(), previous=last_transition_on.isoformat())


def first_entry(history: Iterable[tuple[str, date]], stages: Iterable[str], *, on_or_after: date | None = None
                ) -> date | None:
    """Earliest date the case entered one of ``stages`` (history is (stage, date) pairs)."""
    wanted = set(stages)
    dates = [d for s, d in history if s in wanted and (on_or_after is None or d >= on_or_after)]
    return min(dates) if dates else None
