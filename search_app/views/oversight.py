"""Supervisor oversight (peer monitoring): caseload per prosecutor and the audit-trail viewer."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from flask import Blueprint, current_app, render_template, request
from flask_babel import gettext
from sqlalchemy import ColumnElement, Select, and_, func, or_, select

from ingest.retry import has_failures
from ingest.review import in_queue, review_counts
from models import AuditEvent, Case, CaseStage, Document, Hearing, Page, Role, User, user_districts
from models.audit import ChainReport, latest_checkpoint, verify_chain
from scheduling.timezone import court_today
from search_app.audit import audit
from search_app.auth.scope import Scope, current_scope, district_condition, scoped_cases
from search_app.db import get_session

bp = Blueprint("oversight", __name__, url_prefix="/oversight")

HEARING_WINDOW_DAYS = 14
AUDIT_PAGE_SIZE = 100
MAX_AUDIT_PAGE = 10_000


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
    queued = select(Page.document_id).join(Document, Document.id == Page.document_id).where(in_queue())
    review = _document_counts(scope, Document.id.in_(queued))  # the review queue's own definition
    failed = _document_counts(scope, has_failures())
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
    loads = caseloads(scope, court_today())
    unlinked_failed = get_session().scalar(_unlinked_failed(scope)) or 0
    review = review_counts(get_session(), district_condition(Document.district_id, scope))
    audit("view", "caseload", "", prosecutors=len(loads))
    return render_template("oversight/caseload.html", loads=loads, stages=[s for s in CaseStage
                           if s is not CaseStage.CLOSED], window=HEARING_WINDOW_DAYS,
                           unlinked_failed=unlinked_failed, review=review)


def _unlinked_failed(scope: Scope) -> Select[Any]:
    return select(func.count(Document.id)).where(has_failures(), Document.case_id.is_(None),
                                                 district_condition(Document.district_id, scope))


# --- audit trail ---------------------------------------------------------------------------------------
def _day(text: str | None) -> date | None:
    try:
        day = date.fromisoformat(text) if text else None
    except ValueError:
        return None
    return day if day is None or date(1900, 1, 1) <= day <= date(2999, 12, 31) else None


def audit_visibility(scope: Scope) -> ColumnElement[bool] | None:
    """Which events a viewer may see (None: all, for province-wide viewers).

    A district supervisor sees everything done to their districts' objects, by anyone and including
    denied attempts (``district_id`` is the object's district), plus the events tied to no district's
    object (logins, searches, lists, requests for missing ids) of the people who belong to their districts
    only. A multi-district user's searches are not shown to a supervisor of one of those districts:
    they may cover the others."""
    if scope.allowed_district_ids is None:
        return None
    districts = sorted(scope.allowed_district_ids)
    inside = select(user_districts.c.user_id).where(user_districts.c.district_id.in_(districts))
    outside = select(user_districts.c.user_id).where(user_districts.c.district_id.not_in(districts))
    own_people = select(User.id).where(User.all_districts.is_(False), User.id.in_(inside),
                                       User.id.not_in(outside))
    return or_(AuditEvent.district_id.in_(districts),
               and_(AuditEvent.district_id.is_(None), AuditEvent.user_id.in_(own_people)))


def audit_query(scope: Scope, args: Any) -> Select[tuple[AuditEvent]]:
    stmt = select(AuditEvent)
    visible = audit_visibility(scope)
    if visible is not None:
        stmt = stmt.where(visible)
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


def chain_state(db: Any) -> tuple[ChainReport, Any]:
    """The chain checked from its last signed checkpoint to the end (cheap enough for every view), and
    the last full verification (``cmms audit verify``) recorded."""
    settings = current_app.config["CMMS_SETTINGS"]
    last = latest_checkpoint(db)
    report = verify_chain(db, settings.audit_key, after_checkpoint=last.event_id if last else None)
    return report, latest_checkpoint(db, "verify")


@bp.route("/audit")
def audit_trail() -> str:
    db = get_session()
    page = min(max(1, request.args.get("page", 1, type=int) or 1), MAX_AUDIT_PAGE)
    events = list(db.scalars(audit_query(current_scope(), request.args)
                             .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
                             .limit(AUDIT_PAGE_SIZE + 1).offset((page - 1) * AUDIT_PAGE_SIZE)))
    actions = sorted(a for a in db.scalars(select(AuditEvent.action).distinct()))
    chain, verified = chain_state(db)
    # a date the filter cannot read is said, not silently dropped (the list would look filtered)
    date_error = next((gettext("The date must look like 2025-03-31.") for name in ("from", "to")
                       if (request.args.get(name) or "").strip() and _day(request.args.get(name)) is None), None)
    # Reading the audit trail is itself audited (CJIS AU-2, AU-9).
    audit("audit_view", "audit_events", "", filters={k: v[:100] for k, v in request.args.items() if v},
          chain_ok=chain.ok)
    return render_template("oversight/audit.html", events=events[:AUDIT_PAGE_SIZE],
                           more=len(events) > AUDIT_PAGE_SIZE, page=page, args=request.args, actions=actions,
                           chain=chain, verified=verified, province_wide=current_scope().is_everything,
                           date_error=date_error)
