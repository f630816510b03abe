"""The user's own security page: one-time codes (enrol by QR code, recovery codes, switch off where the
role allows) and personal API tokens (create, list, revoke). Every change needs a recent password
check (``auth.fresh_auth_response``) and is audited."""

from __future__ import annotations

from typing import cast

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.wrappers import Response as BaseResponse

from config import Settings
from models import ApiToken
from search_app.audit import audit
from search_app.auth import get_user
from search_app.auth import mfa as mfa_rules
from search_app.auth import tokens as token_rules
from search_app.db import get_session
from search_app.views.access import the_user
from search_app.views.auth import fresh_auth_response

bp = Blueprint("account", __name__, url_prefix="/account")


def _settings() -> Settings:
    return cast(Settings, current_app.config["CMMS_SETTINGS"])


@bp.get("/security")
def security() -> str:
    user = the_user()
    db = get_session()
    return render_template(
        "account/security.html", mfa_on=mfa_rules.mfa_enabled(user),
        mfa_required=mfa_rules.mfa_required(user, _settings()),
        recovery_left=mfa_rules.remaining_recovery_codes(db, user), tokens=token_rules.user_tokens(db, user.id),
        max_days=_settings().api_token_max_days, new_token=None, now=_now(),
    )


def _now() -> object:
    from models import utcnow

    return utcnow()


@bp.get("/mfa")
def mfa() -> BaseResponse | str:
    """Enrolment: a new secret shown as a QR code and as text, kept in the session until confirmed."""
    user = the_user()
    if mfa_rules.mfa_enabled(user):
        return redirect(url_for("account.security"))
    secret = session.get("mfa_enrol_secret")
    if not isinstance(secret, str) or len(secret) != 32:
        secret = mfa_rules.new_secret()
        session["mfa_enrol_secret"] = secret
    uri = mfa_rules.provisioning_uri(secret, user.username)
    return render_template("account/mfa.html", qr=mfa_rules.qr_svg_data_uri(uri), secret=secret, error=None,
                           required=bool(session.get("mfa_enrol_required")))


@bp.post("/mfa")
def mfa_enable() -> BaseResponse | str | tuple[str, int]:
    user = the_user()
    refused = fresh_auth_response()
    if refused is not None:
        return refused
    secret = session.get("mfa_enrol_secret")
    if not isinstance(secret, str):
        return redirect(url_for("account.mfa"))
    db = get_session()
    codes = mfa_rules.enable(db, user, secret, request.form.get("code", "")[:40], _settings())
    if codes is None:
        audit("mfa_enable", "user", user.id, success=False, reason="wrong_code")
        uri = mfa_rules.provisioning_uri(secret, user.username)
        return render_template("account/mfa.html", qr=mfa_rules.qr_svg_data_uri(uri), secret=secret,
                               error=_("That code is not right. Check the phone's clock and type the newest "
                                       "code."), required=bool(session.get("mfa_enrol_required"))), 400
    session.pop("mfa_enrol_secret", None)
    session.pop("mfa_enrol_required", None)
    audit("mfa_enable", "user", user.id)
    return render_template("account/recovery.html", codes=codes)


@bp.post("/mfa/recovery")
def mfa_recovery() -> BaseResponse | str:
    user = the_user()
    refused = fresh_auth_response()
    if refused is not None:
        return refused
    if not mfa_rules.mfa_enabled(user):
        return redirect(url_for("account.security"))
    codes = mfa_rules.new_recovery_codes(get_session(), user)
    audit("mfa_recovery_codes", "user", user.id)
    return render_template("account/recovery.html", codes=codes)


@bp.post("/mfa/disable")
def mfa_disable() -> BaseResponse:
    user = the_user()
    refused = fresh_auth_response()
    if refused is not None:
        return refused
    if mfa_rules.mfa_required(user, _settings()):
        flash(_("Your role must use one-time codes; they cannot be switched off."), "error")
        return redirect(url_for("account.security"))
    mfa_rules.disable(get_session(), user)
    audit("mfa_disable", "user", user.id)
    flash(_("One-time codes are off for your account."))
    return redirect(url_for("account.security"))


@bp.post("/tokens")
def token_create() -> BaseResponse | str | tuple[str, int]:
    user = the_user()
    refused = fresh_auth_response()
    if refused is not None:
        return refused
    db = get_session()
    settings = _settings()
    days_text = request.form.get("days", "30").strip()
    try:
        row, text = token_rules.create_token(db, user, request.form.get("name", ""), request.form.get("scope", ""),
                                             int(days_text) if days_text.isdigit() and len(days_text) < 5 else 0,
                                             settings.api_token_max_days)
    except token_rules.TokenError as error:
        db.rollback()
        flash(str(error), "error")
        return redirect(url_for("account.security"))
    audit("api_token_create", "api_token", row.id, name=row.name, scope=row.scope,
          expires=row.expires_at.isoformat())
    return render_template(
        "account/security.html", mfa_on=mfa_rules.mfa_enabled(user),
        mfa_required=mfa_rules.mfa_required(user, settings),
        recovery_left=mfa_rules.remaining_recovery_codes(db, user), tokens=token_rules.user_tokens(db, user.id),
        max_days=settings.api_token_max_days, new_token=text, now=_now(),
    )


@bp.post("/tokens/<int:token_id>/revoke")
def token_revoke(token_id: int) -> BaseResponse:
    user = get_user()
    assert user is not None
    db = get_session()
    row = db.scalar(select(ApiToken).where(ApiToken.id == token_id, ApiToken.user_id == user.id))
    if row is None:  # another user's token is simply not there
        audit("api_token_revoke", "api_token", token_id, success=False, reason="not_found")
        from flask import abort

        abort(404)
    token_rules.revoke(row)
    audit("api_token_revoke", "api_token", row.id, name=row.name)
    flash(_("Token “%(name)s” revoked.", name=row.name))
    return redirect(url_for("account.security"))
