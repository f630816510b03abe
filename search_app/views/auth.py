"""Login and logout."""

from __future__ import annotations

from typing import cast

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from werkzeug.wrappers import Response as BaseResponse

from config import Settings
from search_app.audit import audit, client_ip
from search_app.auth import get_user
from search_app.auth.login import LoginOutcome, authenticate
from search_app.auth.passwords import PasswordRuleError, verify_password
from search_app.auth.sessions import ServerSession, purge_expired_sessions
from search_app.auth.users import reset_password
from search_app.db import get_session

bp = Blueprint("auth", __name__)

# One message for every failure: it must not tell an attacker which usernames exist or are locked.
LOGIN_FAILED = ("Login failed. Check your username and password. After {n} failed attempts an account "
                "is locked for {m} minutes; ask an administrator if you are locked out.")


def _settings() -> Settings:
    return cast(Settings, current_app.config["CMMS_SETTINGS"])


def safe_next(target: str | None) -> str:
    """Only same-site paths are followed after login (no open redirect)."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return url_for("home.index")


@bp.route("/login", methods=["GET", "POST"])
def login() -> BaseResponse | str | tuple[str, int]:
    if get_user() is not None and request.method == "GET":
        return redirect(safe_next(request.args.get("next")))
    if request.method == "GET":
        return render_template("auth/login.html", expired=request.args.get("expired") == "1",
                               logged_out=request.args.get("logged_out") == "1",
                               next=request.args.get("next", ""))
    settings = _settings()
    db = get_session()
    username = request.form.get("username", "")[:64]
    result = authenticate(db, settings, username, request.form.get("password", "")[:1024], client_ip())
    if result.outcome is not LoginOutcome.OK or result.user is None:
        db.commit()  # the failure counter, lock and audit row
        message = LOGIN_FAILED.format(n=settings.login_max_failures, m=settings.login_lockout_minutes)
        return render_template("auth/login.html", error=message, username=username,
                               next=request.form.get("next", "")), 401
    purge_expired_sessions(db, current_app.session_interface.idle)  # type: ignore[attr-defined]
    db.commit()
    cast(ServerSession, session).log_in(result.user.id)
    return redirect(safe_next(request.form.get("next")))


@bp.route("/logout", methods=["POST"])
def logout() -> BaseResponse:
    if get_user() is not None:
        audit("logout", "user", get_user().id)  # type: ignore[union-attr]
    cast(ServerSession, session).log_out()
    return redirect(url_for("auth.login", logged_out=1))


@bp.route("/account/password", methods=["GET", "POST"])
def change_password() -> BaseResponse | str | tuple[str, int]:
    """Self-service password change: the current password is asked again (ASVS 7.5.1); every other
    session of the account ends and this one gets a new token."""
    user = get_user()
    assert user is not None  # behind the login gate
    if request.method == "GET":
        return render_template("auth/password.html", error=None)
    form = request.form
    db = get_session()
    if not verify_password(user.password_hash, form.get("current_password", "")[:1024]):
        audit("password_change", "user", user.id, success=False, reason="wrong_current_password")
        return render_template("auth/password.html", error="The current password is not correct."), 400
    if form.get("new_password", "") != form.get("confirm_password", ""):
        return render_template("auth/password.html", error="The two new passwords differ."), 400
    try:
        reset_password(db, user, form.get("new_password", ""))
    except PasswordRuleError as error:
        db.rollback()
        return render_template("auth/password.html", error=str(error)), 400
    audit("password_change", "user", user.id)
    cast(ServerSession, session).log_in(user.id)
    flash("Your password has been changed.")
    return redirect(url_for("home.index"))
