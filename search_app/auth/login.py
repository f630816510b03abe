"""Checking a username and password, with lockout after repeated failures.

Every outcome is audited. The caller shows one generic message for every failure, so the answer does
not reveal whether an account exists, is locked or is deactivated (the audit trail says which).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from config import Settings
from models import AuditEvent, User, record_audit, utcnow
from search_app.auth.passwords import DUMMY_HASH, hash_password, needs_rehash, verify_password
from search_app.auth.sessions import as_utc

# Failed logins from one address within the window before that address is refused outright: the
# per-account lock stops guessing one password, this stops trying one password on many accounts.
IP_FAILURE_LIMIT = 20
IP_FAILURE_WINDOW = timedelta(minutes=15)


class LoginOutcome(StrEnum):
    OK = "ok"
    BAD_CREDENTIALS = "bad_credentials"
    LOCKED = "locked"
    INACTIVE = "inactive"
    THROTTLED = "throttled"


@dataclass(frozen=True)
class LoginResult:
    outcome: LoginOutcome
    user: User | None = None


def find_user(db: Session, username: str) -> User | None:
    return db.scalar(select(User).where(func.lower(User.username) == username.strip().lower()))


def is_locked(user: User) -> bool:
    return user.locked_until is not None and as_utc(user.locked_until) > utcnow()


def authenticate(db: Session, settings: Settings, username: str, password: str, ip: str) -> LoginResult:
    """Check the credentials, update the failure counter and lock, audit; the caller commits."""
    if ip and recent_failures_from(db, ip) >= IP_FAILURE_LIMIT:
        _audit(db, None, username, ip, LoginOutcome.THROTTLED)
        return LoginResult(LoginOutcome.THROTTLED)
    user = find_user(db, username) if username else None
    if user is None:
        verify_password(DUMMY_HASH, password)  # same work as a real check: no timing oracle
        _audit(db, None, username, ip, LoginOutcome.BAD_CREDENTIALS)
        return LoginResult(LoginOutcome.BAD_CREDENTIALS)
    if is_locked(user):
        verify_password(DUMMY_HASH, password)
        _audit(db, user, username, ip, LoginOutcome.LOCKED)
        return LoginResult(LoginOutcome.LOCKED)
    if not verify_password(user.password_hash, password):
        _record_failure(user, settings)
        _audit(db, user, username, ip, LoginOutcome.BAD_CREDENTIALS, failures=user.failed_logins,
               locked=is_locked(user))
        return LoginResult(LoginOutcome.BAD_CREDENTIALS)
    if not user.is_active:
        _audit(db, user, username, ip, LoginOutcome.INACTIVE)
        return LoginResult(LoginOutcome.INACTIVE)
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = utcnow()
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    _audit(db, user, username, ip, LoginOutcome.OK)
    return LoginResult(LoginOutcome.OK, user)


def recent_failures_from(db: Session, ip: str) -> int:
    since = utcnow() - IP_FAILURE_WINDOW
    return db.scalar(select(func.count(AuditEvent.id)).where(
        AuditEvent.action == "login", AuditEvent.success.is_(False), AuditEvent.ip_address == ip,
        AuditEvent.at >= since)) or 0


def _record_failure(user: User, settings: Settings) -> None:
    user.failed_logins = (user.failed_logins or 0) + 1
    if user.failed_logins >= settings.login_max_failures:
        user.locked_until = utcnow() + timedelta(minutes=settings.login_lockout_minutes)
        user.failed_logins = 0


def unlock(user: User) -> None:
    user.failed_logins = 0
    user.locked_until = None


def _audit(db: Session, user: User | None, username: str, ip: str, outcome: LoginOutcome,
           **detail: object) -> None:
    record_audit(
        db, action="login", user_id=user.id if user else None, username=username[:64],
        object_type="user", object_id=user.id if user else "", ip_address=ip,
        success=outcome is LoginOutcome.OK, outcome=str(outcome), **detail,
    )
