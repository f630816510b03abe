"""A user's notifications (in the app) and their preferences: e-mail address, per kind immediate /
daily digest / off, and the hour of the digest (Pakistan time)."""

from __future__ import annotations

import re
from typing import Any

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select, update
from werkzeug.wrappers import Response as BaseResponse

from models import Notification, NotificationPreference, utcnow
from notify import unread_count, visible_condition
from notify.kinds import Mode, kinds
from notify.service import email_mode
from search_app.audit import audit
from search_app.auth import current_user
from search_app.auth.scope import object_or_404
from search_app.db import get_session

bp = Blueprint("notifications", __name__)

PAGE = 100
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,190}\.[^@\s]{2,}$")


@bp.app_context_processor
def _unread() -> dict[str, Any]:
    """``unread_notifications`` for the top bar (0 when nobody is logged in)."""
    user = g.get("user")
    if user is None or request.endpoint in ("static", "feeds.ical"):
        return {"unread_notifications": 0}
    return {"unread_notifications": unread_count(get_session(), user)}


@bp.route("/notifications")
def index() -> str:
    db = get_session()
    items = list(db.scalars(select(Notification).where(visible_condition(current_user))
                            .order_by(Notification.created_at.desc(), Notification.id.desc()).limit(PAGE)))
    audit("list", "notification", "", returned=[n.id for n in items])  # they name cases and hearings
    return render_template("notifications/index.html", items=items, kinds=kinds())


@bp.route("/notifications/<int:notification_id>/open", methods=["POST"])
def open_notification(notification_id: int) -> BaseResponse:
    db = get_session()
    # one's own notifications only; someone else's answers like a missing one (audited)
    note = object_or_404(db, Notification, notification_id, visible_condition(current_user),
                         action="open", object_type="notification")
    if note.read_at is None:
        note.read_at = utcnow()
    audit("open", "notification", note.id, link=note.link[:200])
    link = note.link if note.link.startswith("/") and not note.link.startswith("//") else ""
    return redirect(link or url_for("notifications.index"))


@bp.route("/notifications/read-all", methods=["POST"])
def read_all() -> BaseResponse:
    db = get_session()
    db.execute(update(Notification).where(Notification.id.in_(select(Notification.id).where(
        visible_condition(current_user), Notification.read_at.is_(None)))).values(read_at=utcnow()))
    db.commit()
    return redirect(url_for("notifications.index"))


@bp.route("/notifications/preferences", methods=["GET", "POST"])
def preferences() -> BaseResponse | str | tuple[str, int]:
    db = get_session()
    preference = db.get(NotificationPreference, current_user.id)
    errors: dict[str, str] = {}
    if request.method == "POST":
        address = (request.form.get("email") or "").strip()
        if address and not _EMAIL.match(address):
            errors["email"] = _("Enter an e-mail address like name@example.gov.pk, or leave it empty.")
        hour_text = request.form.get("digest_hour") or "7"
        if not hour_text.isdigit() or not 0 <= int(hour_text) <= 23:
            errors["digest_hour"] = _("Choose an hour from 0 to 23.")
        modes = {code: request.form.get(f"mode_{code}", "") for code in kinds()}
        if any(m not in {x.value for x in Mode} for m in modes.values()):
            errors["modes"] = _("Choose immediately, daily digest or off for each kind.")
        if not errors:
            if preference is None:
                preference = NotificationPreference(user_id=current_user.id)
                db.add(preference)
            preference.email, preference.modes, preference.digest_hour = address, modes, int(hour_text)
            audit("edit", "notification_preferences", current_user.id, email_set=bool(address), modes=modes)
            flash(_("Notification settings saved."))
            return redirect(url_for("notifications.preferences"))
    current = {code: str(email_mode(db, current_user, code)[0]) for code in kinds()}
    return render_template("notifications/preferences.html", preference=preference, kinds=kinds(), current=current,
                           errors=errors, modes=[m.value for m in Mode]), (400 if errors else 200)
