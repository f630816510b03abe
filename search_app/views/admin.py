"""User administration (admins only): create, change role and districts, deactivate, reset a
password, unlock; and districts. Every change is audited."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response as BaseResponse

from models import District, Role, User, WebSession, utcnow
from search_app.audit import audit
from search_app.auth import current_user
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
def _recent_password_for_changes() -> BaseResponse | None:
    """Every change here (accounts, roles, districts, passwords, MFA) needs a recent password check;
    who may reach these pages at all is the permission table's ``admin.manage``."""
    if request.method == "POST":
        from search_app.views.auth import fresh_auth_response

        return fresh_auth_response()
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
        raise AccountError(_("Choose a role."))
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
    flash(_("User %(username)s created.", username=user.username))
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
    flash(_("Access of %(username)s saved.", username=user.username))
    return redirect(url_for("admin.users"))


@bp.route("/users/<int:user_id>/<any(activate, deactivate):change>", methods=["POST"])
def activation(user_id: int, change: str) -> BaseResponse | tuple[str, int]:
    db = get_session()
    user = _user_or_404(user_id)
    if user.id == current_user.id and change == "deactivate":
        return _page(400, error=_("You cannot deactivate your own account."))
    set_active(db, user, change == "activate")
    audit("user_" + change, "user", user.id)
    flash(_("User %(username)s activated.", username=user.username) if change == "activate"
          else _("User %(username)s deactivated.", username=user.username))
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
    flash(_("Password of %(username)s reset; their sessions were ended.", username=user.username))
    return redirect(url_for("admin.users"))


@bp.route("/users/<int:user_id>/unlock", methods=["POST"])
def unlock_user(user_id: int) -> BaseResponse:
    user = _user_or_404(user_id)
    unlock(user)
    audit("user_unlock", "user", user.id)
    flash(_("User %(username)s unlocked.", username=user.username))
    return redirect(url_for("admin.users"))


@bp.route("/users/<int:user_id>/sessions/end", methods=["POST"])
def end_sessions(user_id: int) -> BaseResponse:
    """Log a user out everywhere (ASVS 7.4.5), e.g. after a lost phone or a suspected break-in."""
    user = _user_or_404(user_id)
    revoke_user_sessions(get_session(), user.id)
    audit("user_sessions_end", "user", user.id)
    flash(_("All sessions of %(username)s ended.", username=user.username))
    return redirect(url_for("admin.users"))


@bp.route("/users/<int:user_id>/mfa/reset", methods=["POST"])
def reset_mfa(user_id: int) -> BaseResponse:
    """Switch a user's one-time codes off (lost phone and recovery codes): they enrol again at next login
    if their role requires it. Their sessions and remembered devices end."""
    from search_app.auth.mfa import disable

    user = _user_or_404(user_id)
    disable(get_session(), user)
    revoke_user_sessions(get_session(), user.id)
    audit("user_mfa_reset", "user", user.id)
    flash(_("One-time codes of %(username)s were reset; their sessions were ended.", username=user.username))
    return redirect(url_for("admin.users"))


@bp.route("/districts", methods=["POST"])
def create_district() -> BaseResponse | tuple[str, int]:
    db = get_session()
    name = request.form.get("name", "").strip()[:100]
    if not name or db.scalar(select(District).where(District.name == name)) is not None:
        return _page(400, error=_("Enter a new district name."))
    district = District(name=name)
    db.add(district)
    db.flush()
    audit("district_create", "district", district.id, name=name)
    flash(_("District %(name)s added.", name=name))
    return redirect(url_for("admin.users"))
