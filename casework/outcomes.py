"""Outcome of a case per accused: the judgment's result, sentence, date and court.

Results are the field's: conviction, acquittal, compromise (compounded offence), discharge, abated
(the accused died). ``check_outcome`` refuses, with a clerk-readable message, a judgment dated before
the FIR or before the case reached court, a date in the future, a sentence on a result that carries
none, and a conviction without a sentence. The monitoring area counts results per accused in SQL.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from casework.errors import CaseRuleError
from i18n import N_

Result = Literal["conviction", "acquittal", "compromise", "discharge", "abated"]
RESULTS: tuple[Result, ...] = ("conviction", "acquittal", "compromise", "discharge", "abated")
RESULT_LABELS = {"conviction": N_("Conviction"), "acquittal": N_("Acquittal"), "compromise": N_("Compromise"),
                 "discharge": N_("Discharge"), "abated": N_("Abated (accused died)")}
WITHOUT_SENTENCE = frozenset({"acquittal", "discharge", "abated"})
MAX_SENTENCE = 1000


class OutcomeRefused(CaseRuleError):
    """The outcome as entered cannot be saved."""


@dataclass(frozen=True)
class OutcomeInput:
    accused_id: int
    result: str
    judgment_on: date
    court: str
    sentence: str = ""


def check_outcome(data: OutcomeInput, *, fir_date: date | None, in_court_on: date | None, today: date) -> None:
    """Raise ``OutcomeRefused`` unless the outcome can be recorded.

    ``fir_date``: the FIR's date; ``in_court_on``: when the case was first submitted to court (None if
    the case never went through that stage in CMMS).
    """
    if data.result not in RESULTS:
        raise OutcomeRefused("result", N_("Choose the judgment's result."), field="result")
    if data.judgment_on > today:
        raise OutcomeRefused("future_date", N_("The judgment date cannot be in the future."), field="judgment_on")
    if fir_date is not None and data.judgment_on < fir_date:
        raise OutcomeRefused(
            "before_fir", N_("The judgment date %(on)s is before the FIR was registered (%(fir)s)."),
            field="judgment_on", on=data.judgment_on.isoformat(), fir=fir_date.isoformat())
    if in_court_on is not None and data.judgment_on < in_court_on:
        raise OutcomeRefused(
            "before_court", N_("The judgment date %(on)s is before the case was submitted to court (%(court)s)."),
            field="judgment_on", on=data.judgment_on.isoformat(), court=in_court_on.isoformat())
    if not data.court.strip():
        raise OutcomeRefused("court", N_("Enter the court that gave the judgment."), field="court")
    sentence = data.sentence.strip()
    if data.result in WITHOUT_SENTENCE and sentence:
        raise OutcomeRefused("sentence_not_allowed", N_("A %(result)s carries no sentence; clear the sentence."),
                             field="sentence", result=data.result)
    if data.result == "conviction" and not sentence:
        raise OutcomeRefused("sentence_needed", N_("Write the sentence of the conviction."), field="sentence")
    if len(sentence) > MAX_SENTENCE:
        raise OutcomeRefused("too_long", N_("The sentence is too long."), field="sentence")
