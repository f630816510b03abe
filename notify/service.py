"""``notify``: the one way any area creates a notification for a user (in the app, and by e-mail
according to the user's preferences). Flask-free: a view, a worker or the reminder program calls it
with its database session; the caller commits.

Idempotent by ``key``: a second call with the same user and key creates nothing and returns None,
so a reminder source that runs twice (or two reminder programs at once) notifies once.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ColumnElement, and_, exists, or_, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from models import Case, Notification, NotificationPreference, User, utcnow
from notify.kinds import Mode, kind

MAX_SUBJECT = 300
MAX_LINK = 500


def email_mode(db: Session, user: User, kind_code: str) -> tuple[Mode, str]:
    """The e-mail mode for ``kind_code`` and the address to use ('' if the user gave none)."""
    spec = kind(kind_code)
    preference = db.get(NotificationPreference, user.id)
    chosen = (preference.modes or {}).get(kind_code) if preference else None
    mode = Mode(str(chosen)) if chosen in {m.value for m in Mode} else spec.default_for(str(user.role))
    return mode, (preference.email if preference else "")


def _status(mode: Mode, address: str) -> str:
    if mode is Mode.OFF or not address:
        return "none"
    return "pending" if mode is Mode.IMMEDIATE else "digest"


def notify(db: Session, user_id: int, kind_code: str, subject: str, body: str = "", link: str = "", *,
           key: str | None = None, now: datetime | None = None, case_id: int | None = None) -> int | None:
    """Create a notification for ``user_id``; returns its id, or None when ``key`` was already used
    for this user (or the user does not exist or is inactive).

    ``kind_code`` must be a kind of ``notify/data/kinds.toml`` (``UnknownKind`` otherwise);
    ``link`` is a path inside the app (``/hearings/5``), made absolute in e-mail; ``key`` names
    what the notification is about (``hearing_tomorrow:5:2026-12-01``); None means always new.
    ``case_id``: the case the text names; the notification is then shown (and e-mailed) only while
    the user may read that case (``visible_condition``). Give it whenever the text names a case."""
    user = db.get(User, user_id)
    if user is None or not user.is_active:
        return None
    mode, address = email_mode(db, user, kind_code)
    values = {
        "user_id": user_id, "kind": kind_code, "key": (key or f"once:{uuid.uuid4().hex}")[:200],
        "subject": subject[:MAX_SUBJECT], "body": body, "link": link[:MAX_LINK],
        "created_at": now or utcnow(), "email_status": _status(mode, address), "email_attempts": 0,
        "email_error": "", "case_id": case_id,
    }
    dialect = db.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    statement = (insert(Notification).values(**values)
                 .on_conflict_do_nothing(index_elements=["user_id", "key"]).returning(Notification.id))
    created: int | None = db.execute(statement).scalar()
    return created


def visible_condition(user: User) -> ColumnElement[bool]:
    """The notifications ``user`` sees, as a condition on ``notifications``: their own, and of those
    naming a case only the ones whose case they may still read (its file or its hearings:
    ``search_app.auth.scope``, with districts and the sealed-case rule). A case sealed, or moved out
    of the user's districts, after the notification was made drops out of the inbox, the unread count,
    the API and e-mail; a notification naming no case (``case_id`` None) always shows."""
    from search_app.auth.scope import Scope, calendar_case_condition, case_read_condition  # deferred: import-light

    scope = Scope.of(user)
    readable = exists().where(Case.id == Notification.case_id,  # correlated: one index probe per notification
                              or_(case_read_condition(scope), calendar_case_condition(scope)))
    return and_(Notification.user_id == user.id, or_(Notification.case_id.is_(None), readable))


def unread_count(db: Session, user: User) -> int:
    """How many of the notifications ``user`` sees are unread (for the top bar)."""
    from sqlalchemy import func

    return db.scalar(select(func.count(Notification.id)).where(
        visible_condition(user), Notification.read_at.is_(None))) or 0
