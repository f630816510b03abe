"""User administration (admins only): create, change role and districts, deactivate, reset a
password, unlock; and districts. Every change is audited."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response as BaseResponse

from models import District, Role, User, WebSession, utcnow
from search_app.audit import audit
from search_app.auth import current_user, roles_required
from search_app.auth.login import is_locked, unlock
from search_app.auth.passwords import PasswordRuleError
from search_app.auth.sessions import revoke_user_sessions
from search_app.auth.users import (
    AccountError,
    create_user,
    districts_by_ids,
    reset_password,
    set_active,
    update_access,
)
from search_app.db import get_session

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
@roles_required(Role.ADMIN)
def _admins_only() -> None:
    """Every admin page, present and future, is for admins only."""
    return None


def _page(status: int = 200, **extra: object) -> tuple[str, int]:
    db = get_session()
    users = list(db.scalars(select(User).order_by(User.username)))
    districts = list(db.scalars(select(District).order_by(District.name)))
    return render_template("admin/users.html", users=users, districts=districts, roles=list(Role),
                           is_locked=is_locked, sessions=_open_sessions(db), **extra), status


def _open_sessions(db: Session) -> dict[int, int]:
    """Sessions per user that have not yet timed out."""
    idle = current_app.session_interface.idle  # type: ignore[attr-defined]
    rows = db.execute(select(WebSession.user_id, func.count()).where(
        WebSession.user_id.is_not(None), WebSession.last_seen_at > utcnow() - idle,
    ).group_by(WebSession.user_id))
    return {user_id: count for user_id, count in rows}


@bp.route("/users")
def users() -> tuple[str, int]:
    return _page()


def _role(value: str | None) -> Role:
    if value not in {r.value for r in Role}:
        raise AccountError("Choose a role.")
    return Role(value)


def _district_ids() -> list[int]:
    return [int(v) for v in request.form.getlist("district_ids") if v.isdigit()]


@bp.route("/users", methods=["POST"])
def create() -> BaseResponse | tuple[str, int]:
    db = get_session()
    form = request.form
    try:
        user = create_user(
            db, username=form.get("username", ""), password=form.get("password", ""),
            role=_role(form.get("role")), districts=districts_by_ids(db, _district_ids()),
            full_name=form.get("full_name", ""), all_districts=form.get("all_districts") == "1",
        )
    except (AccountError, PasswordRuleError) as error:
        db.rollback()
        return _page(400, error=str(error), form=form)
    audit("user_create", "user", user.id, username_created=user.username, role=str(user.role),
          districts=sorted(user.district_ids), all_districts=user.all_districts)
    flash(f"User {user.username} created.")
    return redirect(url_for("admin.users"))


def _user_or_404(user_id: int) -> User:
    from flask import abort

    user = get_session().get(User, user_id)
    if user is None:
        abort(404)
    return user


@bp.route("/users/<int:user_id>/access", methods=["POST"])
def access(user_id: int) -> BaseResponse | tuple[str, int]:
    db = get_session()
    user = _user_or_404(user_id)
    try:
        changed = update_access(db, user, role=_role(request.form.get("role")),
                                districts=districts_by_ids(db, _district_ids()),
                                all_districts=request.form.get("all_districts") == "1",
                                full_name=request.form.get("full_name", user.full_name))
    except AccountError as error:
        db.rollback()
        return _page(400, error=str(error))
    audit("user_access", "user", user.id, fields=changed, role=str(user.role),
          districts=sorted(user.district_ids), all_districts=user.all_districts)
    flash(f"Access of {user.username} saved.")
    return redirect(url_for("admin.users"))


@bp.route("/users/<int:user_id>/<any(activate, deactivate):change>", methods=["POST"])
def activation(user_id: int, change: str) -> BaseResponse | tuple[str, int]:
    db = get_session()
    user = _user_or_404(user_id)
    if user.id == current_user.id and change == "deactivate":
        return _page(400, error="You cannot deactivate your own account.")
    set_active(db, user, change == "activate")
    audit("user_" + change, "user", user.id)
    flash(f"User {user.username} {'activated' if change == 'activate' else 'deactivated'}.")
    return redirect(url_for("admin.users"))


@bp.route("/users/<int:user_id>/password", methods=["POST"])
def password(user_id: int) -> BaseResponse | tuple[str, int]:
    db = get_session()
    user = _user_or_404(user_id)
    try:
        reset_password(db, user, request.form.get("password", ""))
    except PasswordRuleError as error:
        db.rollback()
        return _page(400, error=str(error))
    audit("user_password_reset", "user", user.id)
    flash(f"Password of {user.username} reset; their sessions were ended.")
    return redirect(url_for("admin.users"))


@bp.route("/users/<int:user_id>/unlock", methods=["POST"])
def unlock_user(user_id: int) -> BaseResponse:
    user = _user_or_404(user_id)
    unlock(user)
    audit("user_unlock", "user", user.id)
    flash(f"User {user.username} unlocked.")
    return redirect(url_for("admin.users"))


@bp.route("/users/<int:user_id>/sessions/end", methods=["POST"])
def end_sessions(user_id: int) -> BaseResponse:
    """Log a user out everywhere (ASVS 7.4.5), e.g. after a lost phone or a suspected break-in."""
    user = _user_or_404(user_id)
    revoke_user_sessions(get_session(), user.id)
    audit("user_sessions_end", "user", user.id)
    flash(f"All sessions of {user.username} ended.")
    return redirect(url_for("admin.users"))


@bp.route("/districts", methods=["POST"])
def create_district() -> BaseResponse | tuple[str, int]:
    db = get_session()
    name = request.form.get("name", "").strip()[:100]
    if not name or db.scalar(select(District).where(District.name == name)) is not None:
        return _page(400, error="Enter a new district name.")
    district = District(name=name)
    db.add(district)
    db.flush()
    audit("district_create", "district", district.id, name=name)
    flash(f"District {name} added.")
    return redirect(url_for("admin.users"))
