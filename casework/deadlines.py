"""Statutory deadlines as data, computed from a case's own dates in the court calendar.

Rules live in ``data/deadlines.toml``, each with its act, section, where its wording was read and
whether that was the provision's own text (``verified = "primary"``) or a court/official reading of
it (``"secondary"``). ``compute(rules, facts, calendar)`` turns a case's facts (FIR date, stage
history, hearings, acquittals per accused, statute sections) into ``DueDate`` values; the web layer
stores them (table ``case_deadlines``) so lists and monitoring can query due and met dates in SQL.

Counting (documented per rule in the data file):
- ``days_after``: N days *from* the anchor, the anchor day excluded (General Clauses Act 1897 s.9),
  so "within 3 days of the 14th day after an FIR of 1 March" ends on 18 March;
- ``months_after``: N calendar months, same day of the month, clamped to the month's last day
  (31 August + 6 months = 28/29 February; General Clauses Act s.3: "month" = British calendar month);
- ``clear_days_before``: at least N whole days between the act and the anchor (anchor − N − 1).
A period ending on a closed court day ends on the next open day (General Clauses Act 1897 s.10;
Limitation Act 1908 s.4); a "before" deadline on a closed day moves to the previous open day.
"""

from __future__ import annotations

import tomllib
from calendar import monthrange
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from importlib import resources
from typing import Literal

from casework.court_calendar import CourtCalendar
from casework.stages import first_entry, lifecycle

ANCHORS = frozenset({"fir_registered", "submitted_to_court", "trial_start", "acquittal", "appeal_filed"})
COUNTS = frozenset({"days_after", "months_after", "clear_days_before"})
CLOSED_DAY_RULES = frozenset({"next_open", "previous_open", "none"})
PARTIES = frozenset({"police", "prosecution", "court", "complainant", "victim"})
DUE_SOON_DAYS = 3

Status = Literal["met", "met_late", "overdue", "due_today", "due_soon", "open"]


class DeadlineDataError(ValueError):
    """``deadlines.toml`` has a rule with an unknown anchor, count, stage or a missing source."""


@dataclass(frozen=True)
class DeadlineRule:
    """One statutory time limit (see the data file for the meaning of each field)."""

    id: str
    title: str
    act: str
    section: str
    summary: str
    source: str
    verified: str
    anchor: str
    count: str
    amount: int
    closed_day: str
    party: str
    met_by_stages: tuple[str, ...] = ()
    applies_if_acts: tuple[str, ...] = ()
    applies_if_sections: tuple[str, ...] = ()

    @property
    def citation(self) -> str:
        """"Code of Criminal Procedure, 1898 s.173(1), proviso"."""
        return f"{self.act} s.{self.section}" if self.section[:1].isdigit() else f"{self.act}, {self.section}"

    def applies_to(self, sections: Iterable[str]) -> bool:
        """Whether the rule applies to a case charged under ``sections`` (legalrefs keys)."""
        keys = [s.strip() for s in sections]
        if self.applies_if_acts and not any(k.split(" ", 1)[0] in self.applies_if_acts for k in keys):
            return False
        if self.applies_if_sections:
            wanted = set(self.applies_if_sections)
            # "PPC 376(2)" is a sub-clause of "PPC 376"
            return any(k in wanted or k.split("(", 1)[0] in wanted for k in keys)
        return True


def _rule(spec: Mapping[str, object], stages: frozenset[str]) -> DeadlineRule:
    try:
        rule = DeadlineRule(
            id=str(spec["id"]), title=str(spec["title"]), act=str(spec["act"]), section=str(spec["section"]),
            summary=str(spec["summary"]), source=str(spec["source"]), verified=str(spec["verified"]),
            anchor=str(spec["anchor"]), count=str(spec["count"]), amount=int(spec["amount"]),  # type: ignore[call-overload]
            closed_day=str(spec["closed_day"]), party=str(spec["party"]),
            met_by_stages=tuple(spec.get("met_by_stages", ())),  # type: ignore[arg-type]
            applies_if_acts=tuple(spec.get("applies_if_acts", ())),  # type: ignore[arg-type]
            applies_if_sections=tuple(spec.get("applies_if_sections", ())),  # type: ignore[arg-type]
        )
    except KeyError as exc:
        raise DeadlineDataError(f"rule {spec.get('id')}: missing {exc}") from exc
    checks = [(rule.anchor in ANCHORS, f"anchor {rule.anchor!r}"), (rule.count in COUNTS, f"count {rule.count!r}"),
              (rule.closed_day in CLOSED_DAY_RULES, f"closed_day {rule.closed_day!r}"),
              (rule.party in PARTIES, f"party {rule.party!r}"),
              (rule.verified in {"primary", "secondary"}, f"verified {rule.verified!r}"),
              (rule.amount > 0, "amount"), (bool(rule.source.strip()), "source")]
    checks += [(s in stages, f"stage {s!r}") for s in rule.met_by_stages]
    problems = [what for ok, what in checks if not ok]
    if problems:
        raise DeadlineDataError(f"rule {rule.id}: bad {', '.join(problems)}")
    return rule


def parse_rules(data: Mapping[str, object]) -> tuple[DeadlineRule, ...]:
    stages = frozenset(lifecycle().stages)
    rules = tuple(_rule(spec, stages) for spec in data.get("rule", []))  # type: ignore[attr-defined]
    ids = [r.id for r in rules]
    if len(set(ids)) != len(ids):
        raise DeadlineDataError("two rules share an id")
    return rules


@cache
def rules() -> tuple[DeadlineRule, ...]:
    """The packaged rules (cached for the process)."""
    text = resources.files("casework").joinpath("data", "deadlines.toml").read_text(encoding="utf-8")
    return parse_rules(tomllib.loads(text))


def rule_by_id(rule_id: str) -> DeadlineRule | None:
    return next((r for r in rules() if r.id == rule_id), None)


# --- date arithmetic -----------------------------------------------------------------------------------
def add_months(day: date, months: int) -> date:
    """Same day of the month ``months`` later, clamped to that month's last day."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, monthrange(year, month)[1]))


def nominal_due(rule: DeadlineRule, anchor: date) -> date:
    """The last day of the period before any closed-day adjustment."""
    if rule.count == "days_after":
        return anchor + timedelta(days=rule.amount)
    if rule.count == "months_after":
        return add_months(anchor, rule.amount)
    return anchor - timedelta(days=rule.amount + 1)  # clear_days_before


def due_on(rule: DeadlineRule, anchor: date, calendar: CourtCalendar) -> date:
    """The due date: the nominal last day moved off a closed court day as the rule says."""
    last = nominal_due(rule, anchor)
    if rule.closed_day == "next_open":
        return calendar.next_open(last)
    if rule.closed_day == "previous_open":
        return calendar.previous_open(last)
    return last


# --- a case's deadlines ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Acquittal:
    """One accused acquitted (``subject`` is the accused's person id) on ``judgment_on``."""

    subject: int
    judgment_on: date


@dataclass(frozen=True)
class CaseFacts:
    """What the rules read from a case. ``history``: (stage, date entered) for every transition."""

    fir_date: date | None
    sections: tuple[str, ...] = ()
    history: tuple[tuple[str, date], ...] = ()
    hearings: tuple[date, ...] = ()
    acquittals: tuple[Acquittal, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class DueDate:
    """A computed deadline of one case (and one accused for per-accused rules)."""

    rule: DeadlineRule
    subject: int | None
    anchor_on: date
    nominal_on: date
    due_on: date
    met_on: date | None

    @property
    def moved_for_closed_day(self) -> bool:
        return self.due_on != self.nominal_on


def _anchors(rule: DeadlineRule, facts: CaseFacts) -> list[tuple[int | None, date]]:
    if rule.anchor == "fir_registered":
        return [(None, facts.fir_date)] if facts.fir_date else []
    if rule.anchor == "acquittal":
        return [(a.subject, a.judgment_on) for a in facts.acquittals]
    if rule.anchor == "submitted_to_court":
        found = first_entry(facts.history, ["submitted_to_court"])
        return [(None, found)] if found else []
    if rule.anchor == "appeal_filed":
        found = first_entry(facts.history, ["appeal_or_revision"])
        return [(None, found)] if found else []
    submitted = first_entry(facts.history, ["submitted_to_court"])  # trial_start
    later = sorted(h for h in facts.hearings if submitted is not None and h >= submitted)
    return [(None, later[0])] if later else []


def compute(rule_set: Sequence[DeadlineRule], facts: CaseFacts, calendar: CourtCalendar) -> list[DueDate]:
    """Every deadline of the case whose rule applies and whose anchor date is known, by due date."""
    out: list[DueDate] = []
    for rule in rule_set:
        if not rule.applies_to(facts.sections):
            continue
        for subject, anchor in _anchors(rule, facts):
            met = first_entry(facts.history, rule.met_by_stages, on_or_after=anchor) if rule.met_by_stages else None
            out.append(DueDate(rule, subject, anchor, nominal_due(rule, anchor), due_on(rule, anchor, calendar),
                               met))
    return sorted(out, key=lambda d: (d.due_on, d.rule.id, d.subject or 0))


def status(due: date, met_on: date | None, today: date) -> Status:
    """met / met_late / overdue / due_today / due_soon (within DUE_SOON_DAYS) / open."""
    if met_on is not None:
        return "met_late" if met_on > due else "met"
    if due < today:
        return "overdue"
    if due == today:
        return "due_today"
    if (due - today).days <= DUE_SOON_DAYS:
        return "due_soon"
    return "open"
