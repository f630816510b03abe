"""MFA in tests: administrators and supervisors must log in with a TOTP code, so test users of those
roles are enrolled with a known secret and the login helpers answer the code step like a person with
an authenticator app would."""

from __future__ import annotations

import re
from typing import Any

import pyotp
from sqlalchemy import update

from models import Role, User, utcnow

TEST_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
MFA_ROLES = frozenset({Role.ADMIN, Role.SUPERVISOR})
_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def enrol(user: User) -> User:
    """Give ``user`` the test TOTP secret (as if enrolled) when their role requires MFA."""
    if Role(str(user.role)) in MFA_ROLES:
        user.mfa_secret, user.mfa_enabled_at, user.mfa_last_step = TEST_TOTP_SECRET, utcnow(), 0
    return user


def fresh_code(app: Any, username: str) -> str:
    """The current code, after forgetting the last used step (codes are single-use; tests log in often)."""
    return fresh_code_from(app.extensions["cmms"].session_factory, username)


def fresh_code_from(factory: Any, username: str) -> str:
    """:func:`fresh_code` given the database's session factory (browser journeys run the app elsewhere)."""
    with factory() as db:
        db.execute(update(User).where(User.username == username).values(mfa_last_step=0))
        db.commit()
    return pyotp.TOTP(TEST_TOTP_SECRET).now()


def answer_mfa(client: Any, response: Any, username: str) -> Any:
    """If the password step asked for a code, send it; returns the final response."""
    if response.status_code not in (302, 303) or not response.headers.get("Location", "").endswith("/login/mfa"):
        return response
    page = client.get("/login/mfa").get_data(as_text=True)
    match = _CSRF.search(page)
    assert match, "no CSRF token on the code page"
    return client.post("/login/mfa", data={"code": fresh_code(client.application, username),
                                           "csrf_token": match.group(1)})
