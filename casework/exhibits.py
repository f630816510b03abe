"""Exhibits (case property) and their chain of custody.

A chain of custody is continuous: each hand-over starts from whoever holds the exhibit after the
previous one (the first from whoever recovered it), and hand-overs happen in date order, not before
the recovery. ``check_handover`` refuses a break with a message naming the current holder.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from casework.errors import CaseRuleError
from i18n import N_

WITNESS_KINDS = ("eye_witness", "recovery_witness", "investigating_officer", "doctor", "fsl_expert",
                 "complainant", "marginal_witness", "magistrate", "other")
PROCESS_STATES = ("none", "summons", "bailable_warrant", "non_bailable_warrant", "served", "unserved")


class CustodyRefused(CaseRuleError):
    """A hand-over that would break the chain of custody or is dated impossibly."""


@dataclass(frozen=True)
class Handover:
    handed_on: date
    from_holder: str
    to_holder: str


def _same_holder(a: str, b: str) -> bool:
    return " ".join(a.lower().split()) == " ".join(b.lower().split())


def current_holder(chain: Sequence[Handover]) -> str | None:
    return chain[-1].to_holder if chain else None


def check_handover(new: Handover, chain: Sequence[Handover], *, recovered_on: date | None, today: date) -> None:
    """Raise ``CustodyRefused`` unless ``new`` continues ``chain`` (ordered oldest first)."""
    if not new.from_holder.strip() or not new.to_holder.strip():
        raise CustodyRefused("holder", N_("Enter who handed the exhibit over and who received it."),
                             field="from_holder")
    if _same_holder(new.from_holder, new.to_holder):
        raise CustodyRefused("same_holder", N_("The exhibit cannot be handed to the same holder."),
                             field="to_holder")
    if new.handed_on > today:
        raise CustodyRefused("future_date", N_("The hand-over date cannot be in the future."), field="handed_on")
    if recovered_on is not None and new.handed_on < recovered_on:
        raise CustodyRefused("before_recovery", N_("The hand-over is dated before the recovery (%(on)s)."),
                             field="handed_on", on=recovered_on.isoformat())
    if chain:
        last = chain[-1]
        if new.handed_on < last.handed_on:
            raise CustodyRefused("out_of_order", N_("The hand-over is dated before the previous one (%(on)s)."),
                                 field="handed_on", on=last.handed_on.isoformat())
        if not _same_holder(new.from_holder, last.to_holder):
            raise CustodyRefused(
                "broken_chain", N_("The exhibit is with %(holder)s; the next hand-over must start from them."),
                field="from_holder", holder=last.to_holder)
