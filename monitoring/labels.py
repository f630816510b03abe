"""Labels of figure keys: stage ids, vocabulary codes, rule ids, user and district ids, weeks, months.

``labeller(db)`` returns a function ``(kind, key) -> (text, translate)``: ``translate`` is True for
labels from the rule data (marked for translation; the web layer passes them through gettext) and False
for names (prosecutors, districts, sections), which are shown as they are. User and district names are
read in one query each, for the keys actually shown.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from casework.deadlines import rule_by_id
from casework.scrutiny import label_for as objection_label
from casework.stages import lifecycle
from i18n import N_
from models import District, User
from monitoring.checklists import rules as review_rules
from monitoring.figures import AGE_BANDS, DECISIONS, HEARING_STATUSES, OBJECTION_STATES, OVERDUE_BANDS
from monitoring.indicator import indicator
from monitoring.review import STATUS_LABELS
from scheduling.vocab import vocabulary

Label = tuple[str, bool]
PHASES = {"investigation": N_("Investigation"), "scrutiny": N_("Scrutiny"), "trial": N_("Trial"),
          "decided": N_("Decided"), "closed": N_("Closed")}
RESULTS = {"conviction": N_("Conviction"), "acquittal": N_("Acquittal"), "compromise": N_("Compromise"),
           "discharge": N_("Discharge"), "abated": N_("Abated (accused died)")}
NOT_RECORDED = N_("not recorded")
GROUPS = {"deadlines": N_("Deadlines"), "scrutiny": N_("Scrutiny"), "charge": N_("Charge"),
          "witnesses": N_("Witnesses"), "evidence": N_("Evidence"), "hearings": N_("Hearings"),
          "judgment": N_("Judgment"), "general": N_("General")}


DateFormat = Callable[[date, str], str]  # (day, style: "medium" | "month") -> text in the reader's language


def english_dates(day: date, style: str) -> str:
    """Dates as the English pages show them ("02 Mar 2026", "March 2026"); the web layer passes the
    reader's formatter instead (``search_app.i18n.formatter().date``)."""
    return day.strftime("%B %Y" if style == "month" else "%d %b %Y")


def _static(kind: str, key: str, dates: DateFormat = english_dates) -> Label | None:  # noqa: C901
    vocab = vocabulary()
    if kind == "phase":
        return PHASES.get(key, key), True
    if kind == "stage":
        return lifecycle().label(key), True
    if kind == "age_band":
        return next((label for k, _, label in AGE_BANDS if k == key), N_("FIR date not recorded")), True
    if kind == "overdue_band":
        return next((label for k, _, label in OVERDUE_BANDS if k == key), key), True
    if kind == "rule":
        rule = rule_by_id(key)
        return (rule.title if rule else key), rule is not None
    if kind == "adjournment_reason":
        return (vocab.label("adjournment_reasons", key), True) if key else (NOT_RECORDED, True)
    if kind == "requester":
        return (vocab.label("requesters", key), True) if key else (NOT_RECORDED, True)
    if kind == "hearing_status":
        return HEARING_STATUSES.get(key, key), True
    if kind == "result":
        return RESULTS.get(key, key), True
    if kind == "decision":
        return DECISIONS.get(key, key), True
    if kind == "objection":
        return objection_label(key), True
    if kind == "objection_state":
        return OBJECTION_STATES.get(key, key), True
    if kind == "item_group":
        return GROUPS.get(key, key), True
    if kind == "severity":
        found = review_rules().severity(key)
        return (found.label if found else key), True
    if kind == "review_status":
        return STATUS_LABELS.get(key, key), True  # type: ignore[call-overload]
    if kind == "element":
        if key == "files":
            return N_("Files"), True
        if key == "complete":
            return N_("All four"), True
        return indicator().element(key).label, True
    if kind == "none":
        return N_("Count"), True
    if kind == "week":
        return dates(date.fromisoformat(key), "medium"), False
    if kind == "month":
        return dates(date.fromisoformat(f"{key}-01"), "month"), False
    if kind == "section":
        return key or NOT_RECORDED, not key
    return None


def labeller(db: Session, keys_by_kind: dict[str, Iterable[str]],
             dates: DateFormat = english_dates) -> Callable[[str, str], Label]:
    """A labelling function for the keys that will be shown (users and districts read once); weeks and
    months are written by ``dates``."""
    users = {str(u.id): u.full_name or u.username for u in db.scalars(select(User).where(User.id.in_(
        [int(k) for k in keys_by_kind.get("prosecutor", ()) if k.isdigit()])))}
    districts = {str(d.id): d.name for d in db.scalars(select(District).where(District.id.in_(
        [int(k) for k in keys_by_kind.get("district", ()) if k.isdigit()])))}

    def label(kind: str, key: str) -> Label:
        if kind == "prosecutor":
            return (users.get(key, key), False) if key else (N_("(not assigned)"), True)
        if kind == "district":
            return districts.get(key, key), False
        static = _static(kind, key, dates)
        if static is not None:
            return static
        return (key or NOT_RECORDED), not key

    return label


__all__ = ["DateFormat", "Label", "english_dates", "labeller"]
