"""The home page: a role-aware dashboard."""

from __future__ import annotations

from datetime import date, timedelta

from flask import Blueprint, render_template
from sqlalchemy import func, select

from models import Case, CaseStage, Document, DocumentStatus, Hearing
from search_app.auth import current_user
from search_app.auth.scope import scoped_cases, scoped_documents
from search_app.db import get_session

bp = Blueprint("home", __name__)


@bp.route("/")
def index() -> str:
    db = get_session()
    today = date.today()
    my_cases = db.scalar(scoped_cases(select(func.count(Case.id)).where(
        Case.assigned_prosecutor_id == current_user.id, Case.stage != CaseStage.CLOSED)))
    hearings = list(db.scalars(scoped_cases(
        select(Hearing).join(Case).where(Hearing.scheduled_for >= today,
                                         Hearing.scheduled_for <= today + timedelta(days=7))
        .order_by(Hearing.scheduled_for).limit(10))))
    failed = db.scalar(scoped_documents(select(func.count(Document.id)).where(
        Document.status == DocumentStatus.FAILED)))
    return render_template("home.html", my_cases=my_cases or 0, hearings=hearings, failed=failed or 0)
