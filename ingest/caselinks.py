"""Linking a document to a case record from the FIR references in its text.

Rule (binding): a document is linked automatically only when an FIR number, its year AND its police
station all match one case exactly. Anything weaker becomes a suggestion with a reason and a score for a
person to confirm: number and year match but the station differs or is not stated; or a CNIC in the text
belongs to a party of the case. The rules here are pure; ``apply_links`` writes the result.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from i18n import N_

AUTO = "auto"
SUGGEST = "suggest"
SCORE_FIR_NO_STATION = 0.6
SCORE_FIR_OTHER_STATION = 0.4
SCORE_CNIC = 0.5
_PS_WORDS = re.compile(r"\b(?:police\s+station|p\.?\s?s\.?|thana)\b", re.IGNORECASE)


# Why a document was linked or suggested: stored in English on the suggestion, shown in the reader's
# language by recognising the template (search_app.i18n.stored_messages).
CNIC_OF_A_PARTY = N_("CNIC %(cnic)s of a party appears in the text")
FIR_WITHOUT_STATION = N_("FIR %(number)s/%(year)s matches; the text does not name the police station")
FIR_AND_STATION = N_("FIR %(number)s/%(year)s PS %(station)s matches exactly")
FIR_OTHER_STATION = N_("FIR %(number)s/%(year)s matches but the text names PS %(named)s, the case PS %(station)s")
REASONS = (CNIC_OF_A_PARTY, FIR_WITHOUT_STATION, FIR_AND_STATION, FIR_OTHER_STATION)


@dataclass(frozen=True, slots=True)
class FirMention:
    number: str
    year: int | None
    police_station: str  # "" when the text does not name it


@dataclass(frozen=True, slots=True)
class CaseKey:
    case_id: int
    fir_number: str
    fir_year: int
    police_station: str
    party_cnics: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class LinkDecision:
    case_id: int
    action: str  # AUTO or SUGGEST
    score: float
    reason: str


def normalise_number(number: str) -> str:
    digits = number.strip()
    return digits.lstrip("0") or "0"


def normalise_station(name: str) -> str:
    """``P.S. Saddar``, ``Police Station  saddar`` and ``Saddar`` compare equal."""
    cleaned = _PS_WORDS.sub(" ", name)
    cleaned = re.sub(r"[^\w\s]", " ", cleaned)
    return " ".join(cleaned.lower().split())


def mention_from_attrs(attrs: dict[str, object]) -> FirMention | None:
    number = str(attrs.get("fir_number") or "")
    if not number:
        return None
    year = attrs.get("year")
    return FirMention(
        normalise_number(number), int(str(year)) if year else None, str(attrs.get("police_station") or "")
    )


def decide(
    mentions: Iterable[FirMention], cnics: Iterable[str], cases: Sequence[CaseKey]
) -> list[LinkDecision]:
    """One decision per case (the strongest), strongest first."""
    best: dict[int, LinkDecision] = {}

    def keep(decision: LinkDecision) -> None:
        current = best.get(decision.case_id)
        if current is None or (decision.action == AUTO, decision.score) > (
            current.action == AUTO,
            current.score,
        ):
            best[decision.case_id] = decision

    for mention in mentions:
        for case in cases:
            decision = _fir_decision(mention, case)
            if decision is not None:
                keep(decision)
    cnic_set = set(cnics)
    for case in cases:
        shared = sorted(cnic_set & case.party_cnics)
        if shared:
            keep(
                LinkDecision(
                    case.case_id, SUGGEST, SCORE_CNIC, CNIC_OF_A_PARTY % {"cnic": shared[0]}
                )
            )
    return sorted(best.values(), key=lambda d: (d.action != AUTO, -d.score, d.case_id))


def _fir_decision(mention: FirMention, case: CaseKey) -> LinkDecision | None:
    if (
        mention.year is None
        or mention.number != normalise_number(case.fir_number)
        or mention.year != case.fir_year
    ):
        return None
    fir = {"number": mention.number, "year": mention.year}
    if not mention.police_station:
        return LinkDecision(case.case_id, SUGGEST, SCORE_FIR_NO_STATION, FIR_WITHOUT_STATION % fir)
    if normalise_station(mention.police_station) == normalise_station(case.police_station):
        return LinkDecision(case.case_id, AUTO, 1.0, FIR_AND_STATION % {**fir, "station": case.police_station})
    return LinkDecision(case.case_id, SUGGEST, SCORE_FIR_OTHER_STATION,
                        FIR_OTHER_STATION % {**fir, "named": mention.police_station, "station": case.police_station})


def single_auto_link(decisions: Sequence[LinkDecision]) -> LinkDecision | None:
    """The automatic link, only if exactly one case matched exactly (two exact matches: ask a person)."""
    autos = [d for d in decisions if d.action == AUTO]
    return autos[0] if len(autos) == 1 else None
