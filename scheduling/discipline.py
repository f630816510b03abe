"""Next-date discipline: a hearing whose day has passed must have its outcome and, unless the case
ended in that court, the next date recorded.

Source: CrPC 1898 s.344(1) lets a court adjourn "from time to time" by an order stating the reasons;
an adjournment is to a fixed date, never sine die (PLD 2023 Lahore 334). A file without a next date
is a file nobody will produce on the day. The UN result-chain indicator for prosecution files counts
the share of files with the next appearance date recorded (100% scores 4, 75-99% 3, 50-74% 2,
below 50% 1).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from i18n import N_
from scheduling.vocab import Vocabulary


class FlagKind(StrEnum):
    MISSING_OUTCOME = "missing_outcome"
    MISSING_NEXT_DATE = "missing_next_date"


FLAG_MESSAGES = {
    FlagKind.MISSING_OUTCOME: N_("The hearing of %(day)s has passed and its outcome is not recorded."),
    FlagKind.MISSING_NEXT_DATE: N_("The hearing of %(day)s has passed and no next date is recorded."),
}


@dataclass(frozen=True)
class HearingRecord:
    """What the rule needs of a hearing: its day, result code ('' if none) and next date."""

    hearing_id: int
    day: date
    result: str
    next_date: date | None


def discipline_flag(hearing: HearingRecord, today: date, vocab: Vocabulary) -> FlagKind | None:
    """The flag for ``hearing`` on ``today`` (the court's calendar day), or None if in order.

    A hearing is flagged from the day after it was held: no result -> ``MISSING_OUTCOME``; a result
    that does not end the case in that court (``final`` in the vocabulary) without a next date ->
    ``MISSING_NEXT_DATE``."""
    if hearing.day >= today:
        return None
    if not hearing.result:
        return FlagKind.MISSING_OUTCOME
    result = vocab.results.get(hearing.result)
    if result is not None and result.has("final"):
        return None
    if hearing.next_date is None:
        return FlagKind.MISSING_NEXT_DATE
    return None


@dataclass(frozen=True)
class NextDateIndicator:
    """Share of files before a court whose next appearance date is recorded, and the UN score."""

    files: int
    with_next_date: int

    @property
    def percent(self) -> float:
        return 100.0 * self.with_next_date / self.files if self.files else 100.0

    @property
    def score(self) -> int:
        """UN result-chain scoring: 100% = 4, 75-99% = 3, 50-74% = 2, under 50% = 1."""
        if self.with_next_date == self.files:
            return 4
        percent = self.percent
        if percent >= 75:
            return 3
        if percent >= 50:
            return 2
        return 1


@dataclass(frozen=True)
class FileDates:
    """A file before a court: its latest hearing (None if none yet) and whether a hearing is
    already scheduled on or after today."""

    case_id: int
    latest: HearingRecord | None
    has_upcoming_hearing: bool


def has_next_appearance(file: FileDates, today: date, vocab: Vocabulary) -> bool:
    """Whether the file's next appearance date is recorded: a hearing scheduled from today on, or a
    latest hearing whose next date is today or later."""
    if file.has_upcoming_hearing:
        return True
    latest = file.latest
    return latest is not None and latest.next_date is not None and latest.next_date >= today


def next_date_indicator(files: Iterable[FileDates], today: date, vocab: Vocabulary) -> NextDateIndicator:
    """The indicator over ``files`` (open files before a court; the caller leaves out files whose
    latest result is final)."""
    total = recorded = 0
    for file in files:
        total += 1
        recorded += has_next_appearance(file, today, vocab)
    return NextDateIndicator(total, recorded)
