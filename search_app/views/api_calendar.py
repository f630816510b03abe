"""Calendar API under ``/api/v1``: hearings (list, one, schedule, outcome), the cause list, the
next-date list with the UN indicator, the hearing vocabularies, and the user's notifications.

Same login, scope, audit and rules as the pages (the rules live in ``scheduling``). Scheduling
warnings answer 409 with the warnings and their fingerprints; send them back in ``seen`` with an
``override_reason`` to keep the date. Errors are JSON ``{"error": {"status", "code", "message"}}``.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import Blueprint, Response, jsonify, request
from sqlalchemy import select, update

from casework.errors import CaseRuleError
from models import Case, Hearing, Notification, utcnow
from notify import visible_condition
from scheduling.conflicts import Conflict, unseen
from scheduling.hearing_input import read_hearing, read_outcome
from scheduling.messages import Message
from scheduling.store import (
    apply_draft,
    apply_outcome,
    conflicts_for,
    draft_slot,
    flagged_hearings,
    linked_draft,
    next_date_indicator,
    next_hearing_draft,
    record_overrides,
)
from search_app.audit import audit
from search_app.auth import current_user
from search_app.auth.scope import calendar_case_condition, case_read_condition, current_scope, object_or_404
from search_app.db import get_session
from search_app.errors import api_error
from search_app.views.calendar import hearing_or_404
from search_app.views.calendar_support import Filters, hearings_between, parse_day, say, today, visible, vocab

bp = Blueprint("api_calendar", __name__, url_prefix="/api/v1")

MAX_RANGE_DAYS = 93
MAX_ITEMS = 1000


def _error(status: int, code: str, message: str, **extra: Any) -> Response:
    """The app-wide error object (``search_app.errors``; login, permission, CSRF and 404 answers come from
    there too), with this API's extra fields (``fields``, ``conflicts``)."""
    return api_error(status, code, message, **extra)


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def hearing_json(hearing: Hearing) -> dict[str, Any]:
    return {
        "id": hearing.id, "case_id": hearing.case_id, "case": hearing.case.fir_label,
        "date": _iso(hearing.scheduled_for),
        "session": hearing.session, "starts_at": _iso(hearing.starts_at), "court_id": hearing.court_id,
        "court": hearing.court, "courtroom": hearing.courtroom, "judge": hearing.judge, "purpose": hearing.purpose,
        "prosecutor_id": hearing.prosecutor_id or hearing.case.assigned_prosecutor_id, "result": hearing.result or None,
        "outcome": hearing.outcome, "adjournment_reason": hearing.adjournment_reason or None,
        "adjournment_requested_by": hearing.adjournment_requested_by or None, "next_date": _iso(hearing.next_date),
        "next_hearing_id": hearing.next_hearing_id,
        "witnesses": [{"id": w.id, "name": w.name, "cnic": w.cnic, "witness_id": w.witness_id,
                       "person_id": w.register.person_id if w.register else None,
                       "kind": w.register.kind if w.register else None, "attended": w.attended}
                      for w in hearing.witnesses],
    }


def _conflicts_json(conflicts: list[Conflict]) -> list[dict[str, Any]]:
    return [{"kind": str(c.kind), "message": say(c.as_message()), "fingerprint": c.fingerprint,
             "other_hearing_id": c.other_hearing_id} for c in conflicts]


def _invalid(errors: dict[str, Message]) -> Response:
    return _error(400, "invalid", "Some fields are wrong.", fields={k: say(v) for k, v in errors.items()})


def _body() -> dict[str, Any]:
    body = request.get_json(silent=True)
    return body if isinstance(body, dict) else {}


def _list(body: dict[str, Any], key: str) -> list[Any]:
    """A JSON list field (anything else counts as empty)."""
    value = body.get(key)
    return value[:200] if isinstance(value, list) else []


def _blocking(conflicts: list[Conflict], body: dict[str, Any]) -> tuple[list[Conflict], str]:
    reason = str(body.get("override_reason") or "").strip()[:2000]
    seen = [str(x) for x in _list(body, "seen")]
    if conflicts and (unseen(conflicts, seen) or not reason):
        return conflicts, reason
    return [], reason


@bp.route("/hearings")
def hearings() -> Response:
    first = parse_day(request.args.get("from"), today())
    last = parse_day(request.args.get("to"), first + timedelta(days=30))
    if last < first or (last - first).days > MAX_RANGE_DAYS:
        return _error(400, "bad_range", f"'to' must be on or after 'from', at most {MAX_RANGE_DAYS} days later.")
    db = get_session()
    stmt = hearings_between(first, last, Filters.from_request(db), visible()).limit(MAX_ITEMS)
    rows = list(db.scalars(stmt).unique())
    audit("list", "hearing", "", first=first.isoformat(), last=last.isoformat(), count=len(rows), via="api",
          returned=[h.id for h in rows][:500])
    return jsonify({"from": first.isoformat(), "to": last.isoformat(), "items": [hearing_json(h) for h in rows]})


@bp.route("/hearings/<int:hearing_id>")
def hearing(hearing_id: int) -> Response:
    db = get_session()
    found, case = hearing_or_404(db, hearing_id, "view")
    audit("view", "hearing", found.id, district_id=case.district_id, case_id=case.id, via="api")
    return jsonify(hearing_json(found))


@bp.route("/cases/<int:case_id>/hearings", methods=["POST"])
def schedule(case_id: int) -> Response:
    db = get_session()
    scope = current_scope()
    case = object_or_404(db, Case, case_id, calendar_case_condition(scope, write=True), action="schedule",
                         object_type="case", district_of=lambda c: c.district_id, readable=case_read_condition(scope))
    body = _body()
    form = {k: str(body.get(k) or "") for k in ("scheduled_for", "session", "time", "court_id", "court", "courtroom",
                                                "judge", "purpose", "prosecutor_id", "notes")}
    rows = _list(body, "witnesses")
    witnesses = [{k: str(r.get(k) or "") for k in ("name", "cnic", "witness_id", "kind")} for r in rows
                 if isinstance(r, dict)]
    draft, errors = read_hearing(form, witnesses, vocab())
    if draft is not None:  # witnesses checked against, and linked to, the case's witness register
        draft, witness_error = linked_draft(db, case, draft)
        errors = {"witnesses": witness_error} if witness_error else errors
    if draft is None:
        return _invalid(errors)
    conflicts = conflicts_for(db, draft_slot(db, case, draft, None, visible()), vocab(), today(), visible())
    blocking, reason = _blocking(conflicts, body)
    if blocking:
        return _error(409, "conflicts", "The date clashes; send override_reason and seen to keep it.",
                      conflicts=_conflicts_json(blocking))
    created = Hearing(case_id=case.id, created_by_id=current_user.id)
    db.add(created)
    try:
        apply_draft(db, created, case, draft)  # new witnesses enter the case's witness register
    except CaseRuleError as refused:
        db.rollback()
        return _invalid({"witnesses": Message(refused.message, dict(refused.params))})
    db.flush()
    record_overrides(db, created, conflicts, reason, current_user.id)
    audit("create", "hearing", created.id, district_id=case.district_id, case_id=case.id,
          scheduled_for=draft.day.isoformat(),
          overrides=[str(c.kind) for c in conflicts], via="api")
    response = jsonify(hearing_json(created))
    response.status_code = 201
    return response


@bp.route("/hearings/<int:hearing_id>/outcome", methods=["POST"])
def outcome(hearing_id: int) -> Response:
    db = get_session()
    found, case = hearing_or_404(db, hearing_id, "outcome")
    body = _body()
    form = {k: str(body.get(k) or "") for k in ("result", "outcome", "adjournment_reason", "requested_by",
                                                "next_date", "next_purpose", "next_session")}
    attended = [str(x) for x in _list(body, "attended")]
    draft, errors = read_outcome(form, attended, found.scheduled_for, today(), found.purpose, vocab())
    if draft is None:
        return _invalid(errors)
    following_draft = next_hearing_draft(found, draft)
    conflicts: list[Conflict] = []
    if following_draft is not None and not any(h.scheduled_for == following_draft.day for h in case.hearings):
        conflicts = conflicts_for(db, draft_slot(db, case, following_draft, None, visible()), vocab(), today(),
                                  visible())
    blocking, reason = _blocking(conflicts, body)
    if blocking:
        return _error(409, "conflicts", "The next date clashes; send override_reason and seen to keep it.",
                      conflicts=_conflicts_json(blocking))
    following = apply_outcome(db, found, draft, current_user.id)
    if following is not None and conflicts:
        record_overrides(db, following, conflicts, reason, current_user.id)
    audit("outcome", "hearing", found.id, district_id=case.district_id, case_id=case.id, result=draft.result,
          via="api",
          next_hearing_id=following.id if following else None)
    return jsonify(hearing_json(found))


@bp.route("/cause-list")
def cause_list() -> Response:
    db = get_session()
    day = parse_day(request.args.get("date"), today())
    rows = list(db.scalars(hearings_between(day, day, Filters.from_request(db), visible())).unique())
    audit("view", "cause_list", day.isoformat(), hearings=len(rows), via="api", returned=[h.id for h in rows][:500])
    return jsonify({"date": day.isoformat(), "items": [hearing_json(h) for h in rows]})


@bp.route("/calendar/attention")
def attention() -> Response:
    db = get_session()
    filters = Filters.from_request(db)
    flagged = flagged_hearings(db, vocab(), today(), visible(), prosecutor_id=filters.prosecutor_id,
                               district_id=filters.district_id)
    indicator = next_date_indicator(db, vocab(), today(), visible(), prosecutor_id=filters.prosecutor_id,
                                    district_id=filters.district_id)
    audit("view", "next_date_list", "", flagged=len(flagged), via="api",
          returned=[f.hearing.id for f in flagged][:500])
    return jsonify({"flagged": [{"flag": str(f.flag), "hearing": hearing_json(f.hearing)} for f in flagged],
                    "indicator": {"files": indicator.files, "with_next_date": indicator.with_next_date,
                                  "percent": round(indicator.percent, 1), "score": indicator.score}})


@bp.route("/hearing-vocabulary")
def vocabulary() -> Response:
    v = vocab()
    terms = {name: [{"code": t.code, "label": t.label, "source": t.source, "flags": sorted(t.flags)}
                    for t in getattr(v, name).values()]
             for name in ("purposes", "results", "adjournment_reasons", "requesters", "court_kinds")}
    terms["sessions"] = [{"code": s.code, "label": s.label, "starts": s.starts.strftime("%H:%M"),
                          "ends": s.ends.strftime("%H:%M")} for s in v.sessions.values()]
    return jsonify(terms)


@bp.route("/notifications")
def notifications() -> Response:
    db = get_session()
    unread_only = request.args.get("unread") == "1"
    stmt = select(Notification).where(visible_condition(current_user))
    if unread_only:
        stmt = stmt.where(Notification.read_at.is_(None))
    items = list(db.scalars(stmt.order_by(Notification.created_at.desc(), Notification.id.desc()).limit(200)))
    audit("list", "notification", "", returned=[n.id for n in items], via="api")  # they name cases and hearings
    return jsonify({"items": [{"id": n.id, "kind": n.kind, "subject": n.subject, "body": n.body, "link": n.link,
                               "created_at": _iso(n.created_at), "read_at": _iso(n.read_at)} for n in items]})


@bp.route("/notifications/<int:notification_id>/read", methods=["POST"])
def notification_read(notification_id: int) -> Response:
    db = get_session()
    note = object_or_404(db, Notification, notification_id, visible_condition(current_user),
                         action="open", object_type="notification")
    db.execute(update(Notification).where(Notification.id == note.id).values(read_at=utcnow()))
    db.commit()
    return jsonify({"id": notification_id, "read": True})



