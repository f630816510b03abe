"""The home page: a role-aware dashboard."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, render_template
from sqlalchemy import func, select

from ingest.retry import has_failures
from ingest.review import review_counts
from models import Case, CaseStage, Document, Hearing
from scheduling.timezone import court_today
from search_app.audit import audit
from search_app.auth import current_user
from search_app.auth.scope import (
    current_scope,
    hearing_read_condition,
    intake_document_condition,
    review_document_condition,
    scoped_cases,
)
from search_app.db import get_session

bp = Blueprint("home", __name__)


@bp.route("/")
def index() -> str:
    db = get_session()
    scope = current_scope()
    today = court_today()
    my_cases = db.scalar(scoped_cases(select(func.count(Case.id)).where(
        Case.assigned_prosecutor_id == current_user.id, Case.stage != CaseStage.CLOSED), scope))
    hearings = list(db.scalars(
        select(Hearing).where(hearing_read_condition(scope), Hearing.scheduled_for >= today,
                              Hearing.scheduled_for <= today + timedelta(days=7))
        .order_by(Hearing.scheduled_for).limit(10)))
    failed = db.scalar(select(func.count(Document.id)).where(has_failures(), intake_document_condition(scope)))
    review = review_counts(db, review_document_condition(scope))
    if hearings:  # the dashboard shows case material: audited like any read
        audit("list", "hearing", "", page="home", returned=[h.id for h in hearings])
    return render_template("home.html", my_cases=my_cases or 0, hearings=hearings, failed=failed or 0,
                           review=review)
