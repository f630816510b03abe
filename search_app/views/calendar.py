"""The hearings calendar: day, week, month and agenda views (Asia/Karachi) with filters; scheduling
a hearing with conflict warnings and override reasons; a hearing's page; recording its outcome
(adjournment with reason and who asked, next date) which schedules the next hearing."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response as BaseResponse

from casework.errors import CaseRuleError
from casework.exhibits import WITNESS_KINDS
from casework.holidays import court_calendar
from casework.registry import case_witnesses
from i18n.reader import reader_for
from models import Case, Hearing
from notify import notify
from scheduling.conflicts import Conflict, unseen
from scheduling.hearing_input import HearingDraft, read_hearing, read_outcome
from scheduling.messages import Message
from scheduling.periods import parse_view, period
from scheduling.store import (
    apply_draft,
    apply_outcome,
    conflicts_for,
    draft_slot,
    linked_draft,
    next_hearing_draft,
    record_overrides,
    supervisors_of,
)
from search_app.audit import audit
from search_app.auth import current_user
from search_app.auth.scope import calendar_case_condition, case_read_condition, current_scope, object_or_404
from search_app.auth.scope import hearing_or_404 as scoped_hearing_or_404
from search_app.db import get_session
from search_app.errors import error_response
from search_app.i18n import formatter
from search_app.views.calendar_support import (
    DayError,
    Entry,
    Filters,
    calendar_entries,
    courts_in_scope,
    filter_choices,
    parse_day,
    person,
    prosecutors_in_scope,
    say,
    say_all,
    today,
    visible,
    vocab,
)

bp = Blueprint("calendar", __name__)

MONTH_CELL_ITEMS = 4
MAX_WITNESS_ROWS = 30
BLANK_WITNESS_ROWS = 3


@bp.app_errorhandler(DayError)
def _bad_day(error: DayError) -> Any:
    """A malformed or far date on any calendar page or API call: a 400 that says what is wrong."""
    return error_response(400, error.message)


@bp.route("/calendar")
def index() -> str:
    db = get_session()
    view = parse_view(request.args.get("view"))
    shown = period(view, parse_day(request.args.get("start"), today()))
    filters = Filters.from_request(db)
    entries = calendar_entries(db, shown.grid_first if view == "month" else shown.first,
                               shown.grid_last if view == "month" else shown.last, filters, visible())
    days: dict[date, list[Entry]] = defaultdict(list)
    for entry in entries:
        days[entry.day].append(entry)
    holidays = court_calendar(db, filters.district_id, shown.grid_first, shown.grid_last)
    closed = {day: name for day in (w for week in shown.weeks() for w in week)
              if (name := holidays.closed_reason(day)) is not None}
    count = sum(len(v) for d, v in days.items() if shown.first <= d <= shown.last)
    audit("list", "hearing", "", first=shown.first.isoformat(), last=shown.last.isoformat(), results=len(entries),
          returned=[e.id for e in entries][:500])
    return render_template("calendar/index.html", view=str(view), shown=shown, days=days, count=count,
                           closed=closed, filters=filters, today=today(), vocab=vocab(),
                           cell_items=MONTH_CELL_ITEMS, mine=request.args.get("mine") == "1",
                           **filter_choices(db))


# --- scheduling --------------------------------------------------------------------------------------------


def _witness_rows() -> list[dict[str, str]]:
    """The summons list as submitted: register entries ticked (``summon``: witness register ids) and
    new witnesses typed (``witness_name``, ``witness_cnic``, ``witness_kind``), who enter the register."""
    picked = [{"witness_id": value} for value in request.form.getlist("summon")[:MAX_WITNESS_ROWS]]
    names = request.form.getlist("witness_name")[:MAX_WITNESS_ROWS]
    cnics, kinds = request.form.getlist("witness_cnic"), request.form.getlist("witness_kind")
    typed = [{"name": n, "cnic": cnics[i] if i < len(cnics) else "", "kind": kinds[i] if i < len(kinds) else ""}
             for i, n in enumerate(names)]
    return picked + typed


def _form_context(db: Session, case: Case, form: dict[str, Any], witnesses: list[dict[str, str]],
                  **extra: Any) -> dict[str, Any]:
    chosen = {int(w["witness_id"]) for w in witnesses if str(w.get("witness_id") or "").isdigit()}
    rows = [w for w in witnesses if not w.get("witness_id") and (w.get("name") or w.get("cnic"))]
    rows += [{"name": "", "cnic": "", "kind": ""}] * BLANK_WITNESS_ROWS
    return {"case": case, "form": form, "register": case_witnesses(db, case.id), "summoned": chosen,
            "witness_rows": rows, "witness_kinds": WITNESS_KINDS, "vocab": vocab(),
            "courts": courts_in_scope(db, case.district_id), "prosecutors": prosecutors_in_scope(db, case.district_id),
            "errors": {}, "conflicts": [], **extra}


def _hearing_form(hearing: Hearing) -> tuple[dict[str, Any], list[dict[str, str]]]:
    from scheduling.timezone import to_local

    form = {"scheduled_for": hearing.scheduled_for.isoformat(), "session": hearing.session,
            "time": to_local(hearing.starts_at).strftime("%H:%M") if hearing.starts_at else "",
            "court_id": str(hearing.court_id or ""), "court": "" if hearing.court_id else hearing.court,
            "courtroom": hearing.courtroom, "judge": hearing.judge, "purpose": hearing.purpose,
            "prosecutor_id": str(hearing.prosecutor_id or ""), "notes": hearing.notes}
    witnesses = [{"witness_id": str(w.witness_id)} if w.witness_id is not None else {"name": w.name, "cnic": w.cnic}
                 for w in hearing.witnesses]
    return form, witnesses


def _blocking(conflicts: list[Conflict]) -> tuple[list[Conflict], str]:
    """The conflicts still needing an override, and the reason given (if the person saw them all)."""
    reason = (request.form.get("override_reason") or "").strip()[:2000]
    if not conflicts:
        return [], reason
    if unseen(conflicts, request.form.getlist("seen")) or not reason:
        return conflicts, reason
    return [], reason


def _announce_overrides(db: Session, hearing: Hearing, case: Case, conflicts: list[Conflict], reason: str) -> None:
    """Record the kept warnings and tell the district's supervisors, each in their own language."""
    record_overrides(db, hearing, conflicts, reason, current_user.id)
    for supervisor in supervisors_of(db, case.district_id):
        if supervisor.id == current_user.id:
            continue
        reader = reader_for(supervisor)
        text = reader.gettext("; ").join(c.as_message().render(reader.gettext, reader.format.date) for c in conflicts)
        subject = reader.gettext("Scheduling warning kept: %(case)s on %(day)s",
                                 case=reader.fir(case.fir_number, case.fir_year, case.police_station.name),
                                 day=reader.format.date(hearing.scheduled_for))
        body = text + "\n" + reader.gettext("Reason given by %(name)s: %(reason)s", name=person(current_user),
                                            reason=reason)
        notify(db, supervisor.id, "conflict_override", subject, body, f"/hearings/{hearing.id}",
               key=f"conflict_override:{hearing.id}:{hearing.scheduled_for.isoformat()}", case_id=case.id)


def _save_schedule(db: Session, case: Case, hearing: Hearing | None) -> BaseResponse | tuple[str, int]:
    form = {k: (request.form.get(k) or "").strip() for k in (
        "scheduled_for", "session", "time", "court_id", "court", "courtroom", "judge", "purpose",
        "prosecutor_id", "notes")}
    witnesses = _witness_rows()
    draft, errors = read_hearing(form, witnesses, vocab())
    if draft is not None:  # witnesses checked against, and linked to, the case's witness register
        draft, witness_error = linked_draft(db, case, draft)
        errors = {"witnesses": witness_error} if witness_error else errors
    if draft is None:
        return render_template("calendar/hearing_form.html", hearing=hearing,
                               **_form_context(db, case, form, witnesses, errors=say_all(errors))), 400
    check_past = hearing is None or hearing.scheduled_for != draft.day
    conflicts = conflicts_for(db, draft_slot(db, case, draft, hearing.id if hearing else None, visible()), vocab(),
                              today(), visible(), check_past=check_past)
    blocking, reason = _blocking(conflicts)
    if blocking:
        return render_template("calendar/hearing_form.html", hearing=hearing, **_form_context(
            db, case, form, witnesses, conflicts=blocking, reason=reason,
            warning_texts=[say(c.as_message()) for c in blocking])), 409
    created = hearing is None
    if hearing is None:
        hearing = Hearing(case_id=case.id, created_by_id=current_user.id)
        db.add(hearing)
    try:
        apply_draft(db, hearing, case, draft)  # new witnesses enter the register
    except CaseRuleError as refused:
        db.rollback()
        error = Message(refused.message, dict(refused.params))
        return render_template("calendar/hearing_form.html", hearing=None if created else hearing, **_form_context(
            db, case, form, witnesses, errors=say_all({"witnesses": error}))), 400
    db.flush()
    if conflicts:
        _announce_overrides(db, hearing, case, conflicts, reason)
    audit("create" if created else "edit", "hearing", hearing.id, district_id=case.district_id, case_id=case.id,
          scheduled_for=draft.day.isoformat(), court=hearing.court, overrides=[str(c.kind) for c in conflicts])
    flash(_("Hearing scheduled.") if created else _("Hearing saved."))
    return redirect(url_for("calendar.show_hearing", hearing_id=hearing.id))


@bp.route("/cases/<int:case_id>/hearings/new", methods=["GET", "POST"])
def new_hearing(case_id: int) -> BaseResponse | str | tuple[str, int]:
    db = get_session()
    scope = current_scope()
    case = object_or_404(db, Case, case_id, calendar_case_condition(scope, write=True), action="schedule",
                         object_type="case", district_of=lambda c: c.district_id, readable=case_read_condition(scope))
    if request.method == "POST":
        return _save_schedule(db, case, None)
    last = case.hearings[-1] if case.hearings else None
    form = {"court_id": str(last.court_id or "") if last else "", "court": "" if last and last.court_id else case.court,
            "prosecutor_id": str(case.assigned_prosecutor_id or ""), "session": "morning",
            "courtroom": last.courtroom if last else "", "judge": last.judge if last else ""}
    audit("view", "case", case.id, district_id=case.district_id, form="schedule")
    return render_template("calendar/hearing_form.html", hearing=None, **_form_context(db, case, form, []))


def hearing_or_404(db: Session, hearing_id: int, action: str) -> tuple[Hearing, Case]:
    """The hearing and its case if the scope reads it (changes it, for a write ``action``): the scope of
    a hearing is its case's (``auth.scope.hearing_read_condition``/``hearing_write_condition``); missing
    and out of scope answer the same 404, audited."""
    hearing = scoped_hearing_or_404(db, hearing_id, action)
    return hearing, hearing.case


@bp.route("/hearings/<int:hearing_id>/edit", methods=["GET", "POST"])
def edit_hearing(hearing_id: int) -> BaseResponse | str | tuple[str, int]:
    db = get_session()
    hearing, case = hearing_or_404(db, hearing_id, "edit")
    if request.method == "POST":
        return _save_schedule(db, case, hearing)
    form, witnesses = _hearing_form(hearing)
    audit("view", "hearing", hearing.id, district_id=case.district_id, case_id=case.id, form="edit")
    return render_template("calendar/hearing_form.html", hearing=hearing, **_form_context(db, case, form, witnesses))


@bp.route("/hearings/<int:hearing_id>")
def show_hearing(hearing_id: int) -> str:
    db = get_session()
    hearing, case = hearing_or_404(db, hearing_id, "view")
    audit("view", "hearing", hearing.id, district_id=case.district_id, case_id=case.id)
    previous = next((h for h in reversed(case.hearings) if h.scheduled_for < hearing.scheduled_for), None)
    return render_template("calendar/hearing.html", hearing=hearing, case=case, vocab=vocab(), today=today(),
                           previous=previous)


# --- outcome --------------------------------------------------------------------------------------------------


def _outcome_form(hearing: Hearing) -> dict[str, Any]:
    return {"result": hearing.result, "outcome": hearing.outcome, "adjournment_reason": hearing.adjournment_reason,
            "requested_by": hearing.adjournment_requested_by,
            "next_date": hearing.next_date.isoformat() if hearing.next_date else "",
            "next_purpose": hearing.purpose, "next_session": hearing.session}


def _next_conflicts(db: Session, hearing: Hearing, case: Case, draft: HearingDraft | None) -> list[Conflict]:
    if draft is None:
        return []
    exists = any(h.scheduled_for == draft.day and h.id != hearing.id for h in case.hearings)
    if exists:
        return []
    return conflicts_for(db, draft_slot(db, case, draft, None, visible()), vocab(), today(), visible())


@bp.route("/hearings/<int:hearing_id>/outcome", methods=["GET", "POST"])
def record_outcome(hearing_id: int) -> BaseResponse | str | tuple[str, int]:
    db = get_session()
    hearing, case = hearing_or_404(db, hearing_id, "outcome")
    context = {"hearing": hearing, "case": case, "vocab": vocab(), "errors": {}, "conflicts": [], "today": today()}
    if request.method == "GET":
        audit("view", "hearing", hearing.id, district_id=case.district_id, case_id=case.id, form="outcome")
        return render_template("calendar/outcome_form.html", form=_outcome_form(hearing), **context)
    form = {k: (request.form.get(k) or "").strip() for k in (
        "result", "outcome", "adjournment_reason", "requested_by", "next_date", "next_purpose", "next_session")}
    outcome, errors = read_outcome(form, request.form.getlist("attended"), hearing.scheduled_for, today(),
                                   hearing.purpose, vocab())
    if outcome is None:
        return render_template("calendar/outcome_form.html", form=form, **{**context, "errors": say_all(errors)}), 400
    conflicts = _next_conflicts(db, hearing, case, next_hearing_draft(hearing, outcome))
    blocking, reason = _blocking(conflicts)
    if blocking:
        return render_template("calendar/outcome_form.html", form=form, reason=reason, **{
            **context, "conflicts": blocking, "warning_texts": [say(c.as_message()) for c in blocking]}), 409
    following = apply_outcome(db, hearing, outcome, current_user.id)
    if following is not None and conflicts:
        _announce_overrides(db, following, case, conflicts, reason)
    audit("outcome", "hearing", hearing.id, district_id=case.district_id, case_id=case.id, result=outcome.result,
          adjournment_reason=outcome.adjournment_reason, requested_by=outcome.requested_by,
          next_date=outcome.next_date.isoformat() if outcome.next_date else None,
          next_hearing_id=following.id if following else None)
    if following is not None:
        flash(_("Outcome recorded. The next hearing is on %(day)s.", day=formatter().date(following.scheduled_for)))
    else:
        flash(_("Outcome recorded."))
    return redirect(url_for("calendar.show_hearing", hearing_id=hearing.id))


@bp.app_template_filter("hearing_term")
def hearing_term(code: str, kind: str) -> str:
    """The translated label of a hearing vocabulary code (``{{ h.purpose|hearing_term('purposes') }}``)."""
    return _(vocab().label(kind, code)) if code else ""
