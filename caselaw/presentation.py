"""How a judgment is named and its record is shown: its title, its citations as printed, labels of
results, statuses and treatments (marked for translation; the web layer translates them)."""

from __future__ import annotations

from i18n import N_
from legalrefs.display import display, display_citation
from models import CaseLaw, CaseLawStatus, Treatment

MAX_TITLE = 300

RESULT_LABELS = {
    "allowed": N_("allowed"), "partly_allowed": N_("partly allowed"), "dismissed": N_("dismissed"),
    "leave_granted": N_("leave granted"), "leave_refused": N_("leave refused"), "remanded": N_("remanded"),
    "disposed_of": N_("disposed of"), "other": N_("other"),
}
STATUS_LABELS = {
    CaseLawStatus.PENDING: N_("awaiting a librarian's approval (visible in its district only)"),
    CaseLawStatus.PUBLISHED: N_("published province-wide"),
    CaseLawStatus.WITHDRAWN: N_("withdrawn from publication (visible in its district only)"),
}
TREATMENT_LABELS = {
    Treatment.FOLLOWED: N_("followed"), Treatment.RELIED_UPON: N_("relied upon"),
    Treatment.DISTINGUISHED: N_("distinguished"), Treatment.OVERRULED: N_("overruled"),
    Treatment.DOUBTED: N_("doubted"), Treatment.REFERRED: N_("referred"),
}


def judgment_title(entry: CaseLaw) -> str:
    """``Ghulam Hussain v. The State``; else the case number, else the citation as printed."""
    if entry.parties:
        return entry.parties[:MAX_TITLE]
    if entry.case_number:
        return entry.case_number
    if entry.citation:
        return display_citation(entry.citation)
    return f"Judgment {entry.id}"


def citations_line(entry: CaseLaw) -> str:
    """Every report of the judgment as printed: ``PLD 2020 SC 61; 2019 SCP 231``."""
    return "; ".join(display_citation(k) for k in entry.citation_keys)


def case_numbers(entry: CaseLaw) -> list[str]:
    numbers = list(entry.case_numbers or [])
    if entry.case_number and entry.case_number not in numbers:
        numbers.insert(0, entry.case_number)
    return numbers


__all__ = ["RESULT_LABELS", "STATUS_LABELS", "TREATMENT_LABELS", "case_numbers", "citations_line", "display",
           "display_citation", "judgment_title"]
