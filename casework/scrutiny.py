"""Challan scrutiny: the objection checklist (``data/objections.toml``) and the decision rules.

A scrutiny is one examination of one police report: the prosecutor ticks objections from the
checklist (plus free text under ``other``) and decides: **returned** to the police with objections,
or **accepted** for submission to court. Objections stay open until marked resolved (usually when
the police resubmit); a report cannot be accepted while an objection of the case is still open.
"""

from __future__ import annotations

import tomllib
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from typing import Literal

from casework.errors import CaseRuleError
from i18n import N_

Decision = Literal["returned", "accepted"]
DECISIONS: tuple[Decision, ...] = ("returned", "accepted")
OTHER = "other"
MAX_FREE_TEXT = 2000


class ScrutinyRefused(CaseRuleError):
    """The scrutiny as entered cannot be saved (message says why)."""


@dataclass(frozen=True)
class ObjectionKind:
    code: str
    label: str
    provision: str
    group: str


@cache
def checklist() -> tuple[ObjectionKind, ...]:
    """The packaged checklist, in file order."""
    text = resources.files("casework").joinpath("data", "objections.toml").read_text(encoding="utf-8")
    items = tuple(ObjectionKind(str(o["code"]), str(o["label"]), str(o.get("provision", "")), str(o["group"]))
                  for o in tomllib.loads(text)["objection"])
    if len({i.code for i in items}) != len(items) or OTHER not in {i.code for i in items}:
        raise ValueError("objections.toml: codes must be unique and include 'other'")
    return items


def label_for(code: str) -> str:
    return next((i.label for i in checklist() if i.code == code), code)


@dataclass(frozen=True)
class ObjectionInput:
    code: str
    text: str = ""


@dataclass(frozen=True)
class ScrutinyInput:
    """What the form or the API sent. ``pages``: (document id, page number) of the police report."""

    decision: Decision
    decided_on: date
    objections: tuple[ObjectionInput, ...] = ()
    remarks: str = ""
    pages: tuple[tuple[int, int], ...] = ()


def parse_objections(codes: Sequence[str], other_text: str) -> tuple[ObjectionInput, ...]:
    """Checklist codes plus the free text (as an ``other`` objection); unknown codes are refused."""
    known = {i.code for i in checklist()}
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise ScrutinyRefused("unknown_objection", N_("Unknown objection: %(codes)s."), field="objections",
                              codes=", ".join(unknown))
    items = [ObjectionInput(c) for c in dict.fromkeys(codes) if c != OTHER]
    text = other_text.strip()
    if len(text) > MAX_FREE_TEXT:
        raise ScrutinyRefused("too_long", N_("The objection text is too long (at most %(n)s characters)."),
                              field="other_text", n=MAX_FREE_TEXT)
    if text:
        items.append(ObjectionInput(OTHER, text))
    elif OTHER in codes:
        raise ScrutinyRefused("other_empty", N_("Write the other objection out."), field="other_text")
    return tuple(items)


def check_scrutiny(data: ScrutinyInput, *, received_on: date | None, open_objections: int, today: date) -> None:
    """Raise ``ScrutinyRefused`` unless the scrutiny can be saved.

    ``received_on``: when the challan (this version) was received; ``open_objections``: objections
    of earlier scrutinies of the case still unresolved (those not resolved by this scrutiny).
    """
    if data.decision not in DECISIONS:
        raise ScrutinyRefused("decision", N_("Choose returned or accepted."), field="decision")
    if data.decided_on > today:
        raise ScrutinyRefused("future_date", N_("The scrutiny date cannot be in the future."), field="decided_on")
    if received_on is not None and data.decided_on < received_on:
        raise ScrutinyRefused("before_receipt",
                              N_("The scrutiny date is before the challan was received (%(received)s)."),
                              field="decided_on", received=received_on.isoformat())
    if data.decision == "returned" and not data.objections:
        raise ScrutinyRefused("no_objections", N_("A challan returned to the police needs at least one objection."),
                              field="objections")
    if data.decision == "accepted" and (data.objections or open_objections):
        raise ScrutinyRefused(
            "open_objections",
            N_("The challan cannot be accepted while objections are open (%(n)s). Mark them resolved first."),
            field="objections", n=len(data.objections) + open_objections)


def unresolved(objection_ids: Collection[int], resolved_ids: Collection[int]) -> list[int]:
    return [i for i in objection_ids if i not in set(resolved_ids)]
