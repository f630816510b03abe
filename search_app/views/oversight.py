"""Supervisor oversight (peer monitoring): caseload per prosecutor and the audit-trail viewer."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from flask import Blueprint, render_template, request
from sqlalchemy import Select, func, select

from models import AuditEvent, Case, CaseStage, Document, DocumentStatus, Hearing, Role, User, user_districts
from search_app.audit import audit
from search_app.auth import roles_required
from search_app.auth.scope import Scope, current_scope, scoped_cases
from search_app.db import get_session

bp = Blueprint("oversight", __name__, url_prefix="/oversight")

HEARING_WINDOW_DAYS = 14
AUDIT_PAGE_SIZE = 100


@bp.before_request
@roles_required(Role.SUPERVISOR, Role.ADMIN)
def _supervisors_only() -> None:
    return None


@dataclass
class Caseload:
    prosecutor_id: int | None
    name: str
    by_stage: dict[str, int] = field(default_factory=dict)
    hearings_soon: int = 0
    needs_review: int = 0
    failed: int = 0

    @property
    def open_cases(self) -> int:
        return sum(self.by_stage.values())


def _counts(stmt: Select[Any]) -> dict[int | None, int]:
    return {pid: count for pid, count in get_session().execute(stmt)}


def caseloads(scope: Scope, today: date) -> list[Caseload]:
    db = get_session()
    rows: dict[int | None, Caseload] = {}
    prosecutors = db.scalars(select(User).where(User.role == Role.PROSECUTOR))
    names = {u.id: u.full_name or u.username for u in prosecutors}

    def row(pid: int | None) -> Caseload:
        if pid not in rows:
            rows[pid] = Caseload(pid, names.get(pid, "(not assigned)") if pid else "(not assigned)")
        return rows[pid]

    stage_rows = db.execute(scoped_cases(
        select(Case.assigned_prosecutor_id, Case.stage, func.count(Case.id))
        .where(Case.stage != CaseStage.CLOSED).group_by(Case.assigned_prosecutor_id, Case.stage), scope))
    for pid, stage, count in stage_rows:
        row(pid).by_stage[str(stage)] = count
    soon = _counts(scoped_cases(
        select(Case.assigned_prosecutor_id, func.count(Hearing.id)).join(Hearing, Hearing.case_id == Case.id)
        .where(Hearing.scheduled_for >= today,
               Hearing.scheduled_for <= today + timedelta(days=HEARING_WINDOW_DAYS))
        .group_by(Case.assigned_prosecutor_id), scope))
    review = _document_counts(scope, Document.needs_review.is_(True))
    failed = _document_counts(scope, Document.status == DocumentStatus.FAILED)
    for pid in set(soon) | set(review) | set(failed):
        load = row(pid)
        load.hearings_soon, load.needs_review = soon.get(pid, 0), review.get(pid, 0)
        load.failed = failed.get(pid, 0)
    return sorted(rows.values(), key=lambda c: (c.prosecutor_id is None, c.name.lower()))


def _document_counts(scope: Scope, condition: Any) -> dict[int | None, int]:
    """Documents of each prosecutor's cases matching ``condition`` (district scope on the case)."""
    return _counts(scoped_cases(
        select(Case.assigned_prosecutor_id, func.count(Document.id))
        .join(Document, Document.case_id == Case.id)
        .where(condition).group_by(Case.assigned_prosecutor_id), scope))


@bp.route("/caseload")
def caseload() -> str:
    scope = current_scope()
    loads = caseloads(scope, date.today())
    unlinked_failed = get_session().scalar(_unlinked_failed(scope)) or 0
    return render_template("oversight/caseload.html", loads=loads, stages=[s for s in CaseStage
                           if s is not CaseStage.CLOSED], window=HEARING_WINDOW_DAYS,
                           unlinked_failed=unlinked_failed)


def _unlinked_failed(scope: Scope) -> Select[Any]:
    from search_app.auth.scope import scoped_documents

    return scoped_documents(select(func.count(Document.id)).where(
        Document.status == DocumentStatus.FAILED, Document.case_id.is_(None)), scope)


# --- audit trail ---------------------------------------------------------------------------------------
def _day(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def audit_query(scope: Scope, args: Any) -> Select[tuple[AuditEvent]]:
    stmt = select(AuditEvent)
    if scope.allowed_district_ids is not None:
        # A district supervisor sees the trail of the people of their districts, not the province's.
        people = select(user_districts.c.user_id).where(
            user_districts.c.district_id.in_(sorted(scope.allowed_district_ids)))
        stmt = stmt.where(AuditEvent.user_id.in_(people))
    if args.get("user", "").strip():
        stmt = stmt.where(func.lower(AuditEvent.username) == args["user"].strip().lower())
    if args.get("action", "").strip():
        stmt = stmt.where(AuditEvent.action == args["action"].strip())
    if args.get("outcome") in ("success", "denied"):
        stmt = stmt.where(AuditEvent.success.is_(args["outcome"] == "success"))
    start, end = _day(args.get("from")), _day(args.get("to"))
    if start:
        stmt = stmt.where(AuditEvent.at >= datetime.combine(start, time.min))
    if end:
        stmt = stmt.where(AuditEvent.at < datetime.combine(end + timedelta(days=1), time.min))
    return stmt


@bp.route("/audit")
def audit_trail() -> str:
    db = get_session()
    page = max(1, request.args.get("page", 1, type=int) or 1)
    events = list(db.scalars(audit_query(current_scope(), request.args)
                             .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
                             .limit(AUDIT_PAGE_SIZE + 1).offset((page - 1) * AUDIT_PAGE_SIZE)))
    actions = sorted(a for a in db.scalars(select(AuditEvent.action).distinct()))
    # Reading the audit trail is itself audited (CJIS AU-2, AU-9).
    audit("audit_view", "audit_events", "", filters={k: v for k, v in request.args.items() if v})
    return render_template("oversight/audit.html", events=events[:AUDIT_PAGE_SIZE],
                           more=len(events) > AUDIT_PAGE_SIZE, page=page, args=request.args, actions=actions)
