"""Reading a hearing, or its outcome, as a clerk types it: typed drafts or clear messages per field.

Nothing here touches the database: ``read_hearing`` and ``read_outcome`` take the submitted strings
(a form or a JSON body) and return a draft plus ``{field: message}``; a draft is only used when
the message dict is empty. Messages are untranslated (``N_``); the view translates them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, time

from i18n import N_
from scheduling.messages import Message
from scheduling.people import WitnessRef, normalise_cnic
from scheduling.vocab import Vocabulary

MAX_WITNESSES = 30
MAX_TEXT = {"court": 200, "courtroom": 60, "judge": 200, "notes": 2000, "outcome": 4000}


@dataclass(frozen=True)
class HearingDraft:
    """A hearing to schedule or re-schedule. ``at`` is the local (Asia/Karachi) time, if fixed."""

    day: date
    session: str
    at: time | None
    court_id: int | None
    court: str
    courtroom: str
    judge: str
    purpose: str
    prosecutor_id: int | None
    witnesses: tuple[WitnessRef, ...] = ()
    notes: str = ""


@dataclass(frozen=True)
class OutcomeDraft:
    """What happened at a hearing (CrPC s.344: an adjournment records its reasons and who asked)."""

    result: str
    outcome: str
    adjournment_reason: str
    requested_by: str
    next_date: date | None
    next_purpose: str
    next_session: str
    attended_witness_ids: frozenset[int] = field(default_factory=frozenset)


def _date(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        return None


def _int(text: str) -> int | None:
    text = text.strip()
    return int(text) if text.isdigit() else None


def read_witnesses(rows: Sequence[Mapping[str, str]]) -> tuple[tuple[WitnessRef, ...], Message | None]:
    """Witness rows: ``witness_id`` (an entry of the case's witness register; name and CNIC then come
    from the register) or ``name`` and ``cnic`` (a witness not yet registered; ``kind`` optional).
    Blank rows are skipped; a register entry given twice counts once. Returns the refs and an error."""
    refs: list[WitnessRef] = []
    seen: set[int] = set()
    for row in rows:
        name = (row.get("name") or "").strip()[:200]
        cnic_text = (row.get("cnic") or "").strip()
        witness_id = _int(row.get("witness_id") or "")
        if witness_id is not None:
            if witness_id not in seen:
                seen.add(witness_id)
                refs.append(WitnessRef(name=name, cnic=normalise_cnic(cnic_text) or "", witness_id=witness_id))
            continue
        if not (name or cnic_text):
            continue
        cnic = normalise_cnic(cnic_text) if cnic_text else ""
        if cnic is None:
            return (), Message(N_("The CNIC %(cnic)s is not in the form 12345-1234567-1."), {"cnic": cnic_text[:20]})
        if not name:
            return (), Message(N_("Give the name of the witness with CNIC %(cnic)s."), {"cnic": cnic})
        refs.append(WitnessRef(name=name, cnic=cnic, kind=(row.get("kind") or "").strip()[:30]))
    if len(refs) > MAX_WITNESSES:
        return (), Message(N_("At most %(n)d witnesses can be summoned for one hearing."), {"n": MAX_WITNESSES})
    return tuple(refs), None


def read_hearing(form: Mapping[str, str], witnesses: Sequence[Mapping[str, str]],
                 vocab: Vocabulary) -> tuple[HearingDraft | None, dict[str, Message]]:
    """A ``HearingDraft`` from submitted strings, or the messages of the fields that are wrong.

    Keys: scheduled_for (YYYY-MM-DD, required), session, time (HH:MM, optional; when given it
    decides the session), court_id or court (one is required), courtroom, judge, purpose (a code
    of the purposes list, required), prosecutor_id, notes."""
    get = lambda key: (form.get(key) or "").strip()  # noqa: E731
    errors: dict[str, Message] = {}
    day = _date(get("scheduled_for"))
    if day is None:
        errors["scheduled_for"] = Message(N_("Enter the hearing date."))
    at: time | None = None
    if get("time"):
        try:
            at = time.fromisoformat(get("time"))
        except ValueError:
            errors["time"] = Message(N_("Enter the time as HH:MM, or leave it empty."))
    session = vocab.session_of(at) if at else (get("session") or next(iter(vocab.sessions)))
    if session not in vocab.sessions:
        errors["session"] = Message(N_("Choose the court session."))
    court_id = _int(get("court_id"))
    if get("court_id") and court_id is None:
        errors["court_id"] = Message(N_("Choose a court from the list."))
    if court_id is None and not get("court"):
        errors["court_id"] = Message(N_("Choose the court (or type its name)."))
    purpose = get("purpose")
    if purpose not in vocab.purposes:
        errors["purpose"] = Message(N_("Choose what the court sits for."))
    prosecutor_id = _int(get("prosecutor_id"))
    refs, witness_error = read_witnesses(witnesses)
    if witness_error:
        errors["witnesses"] = witness_error
    if errors or day is None:
        return None, errors
    return HearingDraft(
        day=day, session=session, at=at, court_id=court_id, court=get("court")[:MAX_TEXT["court"]],
        courtroom=get("courtroom")[:MAX_TEXT["courtroom"]], judge=get("judge")[:MAX_TEXT["judge"]],
        purpose=purpose, prosecutor_id=prosecutor_id, witnesses=refs, notes=get("notes")[:MAX_TEXT["notes"]],
    ), {}


def _adjournment_errors(reason: str, requested_by: str, note: str, vocab: Vocabulary) -> dict[str, Message]:
    errors: dict[str, Message] = {}
    if reason not in vocab.adjournment_reasons:
        errors["adjournment_reason"] = Message(N_("Give the reason for the adjournment (CrPC s.344)."))
    elif vocab.adjournment_reasons[reason].has("needs_note") and not note:
        errors["outcome"] = Message(N_("Say in the note why the case was adjourned."))
    if requested_by not in vocab.requesters:
        errors["requested_by"] = Message(N_("Say who asked for the adjournment."))
    return errors


def read_outcome(form: Mapping[str, str], attended: Sequence[str], hearing_day: date, today: date,
                 current_purpose: str, vocab: Vocabulary) -> tuple[OutcomeDraft | None, dict[str, Message]]:
    """An ``OutcomeDraft`` for a hearing held on ``hearing_day``, or the messages of the wrong fields.

    Rules: the outcome of a hearing cannot be recorded before its day; an adjournment needs its
    reason and who asked (CrPC s.344(1)); every result but a final one needs a next date after the
    hearing (no adjournment sine die, PLD 2023 Lahore 334); reason "other" needs a note."""
    get = lambda key: (form.get(key) or "").strip()  # noqa: E731
    errors: dict[str, Message] = {}
    if hearing_day > today:
        errors["result"] = Message(N_("This hearing is on %(day)s; record its outcome on or after that day."), {
            "day": hearing_day})
    result = vocab.results.get(get("result"))
    if result is None:
        errors.setdefault("result", Message(N_("Choose what happened at the hearing.")))
    reason, requested_by, note = get("adjournment_reason"), get("requested_by"), get("outcome")
    if result is not None and result.has("adjournment"):
        errors.update(_adjournment_errors(reason, requested_by, note, vocab))
    else:
        reason = requested_by = ""
    next_date = _date(get("next_date")) if get("next_date") else None
    if get("next_date") and next_date is None:
        errors["next_date"] = Message(N_("Enter the next date as a date."))
    elif result is not None and not result.has("final") and next_date is None:
        errors["next_date"] = Message(
            N_("Enter the next date the court fixed (a case is never adjourned without a date)."))
    elif next_date is not None and next_date <= hearing_day:
        errors["next_date"] = Message(N_("The next date must come after the hearing."))
    next_purpose = get("next_purpose") or current_purpose
    if next_date is not None and next_purpose not in vocab.purposes:
        errors["next_purpose"] = Message(N_("Choose what the court will sit for on the next date."))
    next_session = get("next_session") or next(iter(vocab.sessions))
    if next_session not in vocab.sessions:
        errors["next_session"] = Message(N_("Choose the court session."))
    if errors or result is None:
        return None, errors
    return OutcomeDraft(
        result=result.code, outcome=note[:MAX_TEXT["outcome"]], adjournment_reason=reason,
        requested_by=requested_by, next_date=next_date, next_purpose=next_purpose, next_session=next_session,
        attended_witness_ids=frozenset(int(x) for x in attended if str(x).isdigit()),
    ), {}
