"""Login (password, then a one-time code when MFA is on), logout, password change and re-authentication.

After login only same-site relative paths are followed (``safe_next``). A user whose role must use MFA
but who has not enrolled is logged in to the enrolment page only (``search_app.auth.policy``).
"""

from __future__ import annotations

import time
from typing import Any, cast
from urllib.parse import unquote, urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from werkzeug.wrappers import Response as BaseResponse

from config import Settings
from models import User
from search_app.audit import audit, client_ip
from search_app.auth import get_user
from search_app.auth import mfa as mfa_rules
from search_app.auth.login import LoginOutcome, authenticate, lock_account, reserve_attempt
from search_app.auth.passwords import PasswordRuleError, verify_password
from search_app.auth.sessions import ServerSession, purge_expired_sessions
from search_app.auth.users import reset_password
from search_app.db import get_session

bp = Blueprint("auth", __name__)

MFA_STEP_SECONDS = 300  # the code must follow the password within five minutes


def _settings() -> Settings:
    return cast(Settings, current_app.config["CMMS_SETTINGS"])


def _login_failed() -> str:
    settings = _settings()
    # One message for every failure: it must not tell an attacker which usernames exist or are locked.
    return _("Login failed. Check your username and password. After %(n)s failed attempts an account is "
             "locked for %(m)s minutes; ask an administrator if you are locked out.",
             n=settings.login_max_failures, m=settings.login_lockout_minutes)


def safe_next(target: str | None) -> str:
    """``target`` if it is a same-site relative path, else the home page (no open redirect).

    Refused: absolute and scheme-relative URLs, backslashes, and control characters (tab, newline, ...)
    anywhere, also when percent-encoded (browsers drop them, turning ``/\\t/evil.example`` into
    ``//evil.example``), and paths that decode to ``//``."""
    fallback = url_for("home.index")
    if not target or len(target) > 2000:
        return fallback
    decoded = target
    for _round in range(3):
        decoded = unquote(decoded)
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in decoded) or "\\" in decoded:
        return fallback
    if not target.startswith("/") or decoded.startswith("//") or target.startswith("//"):
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return fallback
    return target


@bp.route("/login", methods=["GET", "POST"])
def login() -> BaseResponse | str | tuple[str, int]:
    if get_user() is not None and request.method == "GET":
        return redirect(safe_next(request.args.get("next")))
    if request.method == "GET":
        return render_template("auth/login.html", expired=request.args.get("expired") == "1",
                               logged_out=request.args.get("logged_out") == "1",
                               next=safe_next(request.args.get("next", "")) if request.args.get("next") else "")
    settings = _settings()
    db = get_session()
    username = request.form.get("username", "")[:64]
    result = authenticate(db, settings, username, request.form.get("password", "")[:1024], client_ip())
    target = safe_next(request.form.get("next"))
    if result.outcome is not LoginOutcome.OK or result.user is None:
        db.commit()  # the audit row
        return render_template("auth/login.html", error=_login_failed(), username=username,
                               next=request.form.get("next", "")), 401
    user = result.user
    if mfa_rules.mfa_enabled(user):
        if mfa_rules.device_is_remembered(db, user, request.cookies.get(mfa_rules.DEVICE_COOKIE)):
            audit_login_mfa(user, "remembered_device")
            return finish_login(user, target)
        db.commit()
        server_session = cast(ServerSession, session)
        server_session["mfa_pending"] = {"uid": user.id, "at": int(time.time()), "next": target}
        return redirect(url_for("auth.login_mfa"))
    return finish_login(user, target, enrol=mfa_rules.mfa_required(user, settings))


def audit_login_mfa(user: User, method: str, success: bool = True) -> None:
    from models import record_audit

    record_audit(get_session(), action="login_mfa", user_id=user.id, username=user.username,
                 object_type="user", object_id=user.id, ip_address=client_ip(), success=success, method=method,
                 signing_key=_settings().audit_key)


def finish_login(user: User, target: str, enrol: bool = False) -> BaseResponse:
    """Start the authenticated session (new token) after every factor passed."""
    db = get_session()
    purge_expired_sessions(db, current_app.session_interface.idle)  # type: ignore[attr-defined]
    db.commit()
    server_session = cast(ServerSession, session)
    server_session.log_in(user.id)
    server_session["auth_at"] = int(time.time())
    if enrol:
        server_session["mfa_enrol_required"] = True
        flash(_("Your role must log in with a one-time code. Set up an authenticator app to continue."))
        return redirect(url_for("account.mfa"))
    return redirect(target)


def _pending_user() -> tuple[User | None, dict[str, Any]]:
    pending = session.get("mfa_pending")
    if not isinstance(pending, dict) or time.time() - float(pending.get("at", 0)) > MFA_STEP_SECONDS:
        return None, {}
    user = get_session().get(User, int(pending.get("uid", 0)))
    if user is None or not user.is_active or not mfa_rules.mfa_enabled(user):
        return None, {}
    return user, pending


@bp.route("/login/mfa", methods=["GET", "POST"])
def login_mfa() -> BaseResponse | str | tuple[str, int]:
    """Second step: the authenticator's code (or a recovery code) for the user whose password passed."""
    user, pending = _pending_user()
    if user is None:
        session.pop("mfa_pending", None)
        return redirect(url_for("auth.login", expired=1))
    settings = _settings()
    if request.method == "GET":
        return render_template("auth/mfa.html", error=None, remember_hours=settings.mfa_remember_hours)
    db = get_session()
    attempt = reserve_attempt(db, user.id, settings)  # codes count against the same lockout as passwords
    code = request.form.get("code", "")[:40]
    method = mfa_rules.accept_code(db, user, code, settings) if attempt is not None else None
    if method is None:
        if attempt is not None and attempt >= settings.login_max_failures:
            lock_account(db, user.id, settings)
        audit_login_mfa(user, "code", success=False)
        db.commit()
        return render_template("auth/mfa.html", error=_login_failed(),
                               remember_hours=settings.mfa_remember_hours), 401
    user.failed_logins = 0
    audit_login_mfa(user, method)
    device = None
    if request.form.get("remember") == "1":
        device = mfa_rules.remember_device(db, user, settings)
    response = finish_login(user, safe_next(pending.get("next")))
    if method == "recovery":
        flash(_("You used a recovery code; %(n)s are left. Make new ones on your security page if few remain.",
                n=mfa_rules.remaining_recovery_codes(db, user)))
    if device is not None:
        db.commit()
        response.set_cookie(mfa_rules.DEVICE_COOKIE, device[0], max_age=device[1], path="/", httponly=True,
                            secure=settings.cookies_secure, samesite="Lax")
    return response


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
        return render_template("auth/password.html", error=_("The current password is not correct.")), 400
    if form.get("new_password", "") != form.get("confirm_password", ""):
        return render_template("auth/password.html", error=_("The two new passwords differ.")), 400
    try:
        reset_password(db, user, form.get("new_password", "")[:1024])
    except PasswordRuleError as error:
        db.rollback()
        return render_template("auth/password.html", error=str(error)), 400
    audit("password_change", "user", user.id)
    server_session = cast(ServerSession, session)
    enrol = bool(server_session.get("mfa_enrol_required"))
    server_session.log_in(user.id)
    server_session["auth_at"] = int(time.time())
    if enrol:
        server_session["mfa_enrol_required"] = True
    flash(_("Your password has been changed."))
    return redirect(url_for("home.index"))


@bp.route("/account/confirm", methods=["GET", "POST"])
def reauthenticate() -> BaseResponse | str | tuple[str, int]:
    """Ask for the password (and a code when MFA is on) again before a sensitive change."""
    user = get_user()
    assert user is not None
    target = safe_next(request.values.get("next"))
    needs_code = mfa_rules.mfa_enabled(user)
    if request.method == "GET":
        return render_template("auth/confirm.html", error=None, next=target, needs_code=needs_code)
    db = get_session()
    settings = _settings()
    attempt = reserve_attempt(db, user.id, settings)
    ok = attempt is not None and verify_password(user.password_hash, request.form.get("password", "")[:1024])
    if ok and needs_code:
        ok = mfa_rules.accept_code(db, user, request.form.get("code", "")[:40], settings) is not None
    if not ok:
        if attempt is not None and attempt >= settings.login_max_failures:
            lock_account(db, user.id, settings)
        audit("reauthenticate", "user", user.id, success=False)
        return render_template("auth/confirm.html", error=_login_failed(), next=target, needs_code=needs_code), 401
    user.failed_logins = 0
    session["auth_at"] = int(time.time())
    audit("reauthenticate", "user", user.id)
    return redirect(target)


def fresh_auth_response() -> BaseResponse | None:
    """None when the password was checked recently enough for a sensitive change; else the redirect to
    the confirmation page (back to the page the form was on)."""
    auth_at = session.get("auth_at")
    limit = _settings().reauth_minutes * 60
    if isinstance(auth_at, int | float) and time.time() - auth_at <= limit:
        return None
    back = request.full_path.rstrip("?") if request.method == "GET" else (request.referrer or "")
    back_path = urlsplit(back).path if back else ""
    flash(_("Confirm your password to make this change."))
    return redirect(url_for("auth.reauthenticate", next=safe_next(back_path or None)))
