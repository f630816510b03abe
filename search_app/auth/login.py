"""Checking a username and password, with lockout after repeated failures.

Every outcome is audited. The caller shows one generic message for every failure, so the answer does
not reveal whether an account exists, is locked or is deactivated (the audit trail says which).

The failure counter is counted in the database, atomically and *before* the password is checked: each
attempt first reserves one of the ``login_max_failures`` tries with ``UPDATE ... SET failed_logins =
failed_logins + 1 ... RETURNING`` (committed at once), so parallel guesses from several web workers get
at most that many real password checks before the lock, never "read, change, write" races.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import func, or_, select, update
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
    """Check the credentials, count the attempt and lock, audit. Commits the reservation of the attempt
    itself; the caller commits the rest (audit row, reset counter)."""
    if ip and recent_failures_from(db, ip) >= IP_FAILURE_LIMIT:
        _audit(db, settings, None, username, ip, LoginOutcome.THROTTLED)
        return LoginResult(LoginOutcome.THROTTLED)
    user = find_user(db, username) if username else None
    if user is None:
        verify_password(DUMMY_HASH, password)  # same work as a real check: no timing oracle
        _audit(db, settings, None, username, ip, LoginOutcome.BAD_CREDENTIALS)
        return LoginResult(LoginOutcome.BAD_CREDENTIALS)
    attempt = reserve_attempt(db, user.id, settings)
    if attempt is None:
        verify_password(DUMMY_HASH, password)
        _audit(db, settings, user, username, ip, LoginOutcome.LOCKED)
        return LoginResult(LoginOutcome.LOCKED)
    if not verify_password(user.password_hash, password):
        locked = attempt >= settings.login_max_failures
        if locked:
            lock_account(db, user.id, settings)
        _audit(db, settings, user, username, ip, LoginOutcome.BAD_CREDENTIALS, failures=attempt, locked=locked)
        return LoginResult(LoginOutcome.BAD_CREDENTIALS)
    db.refresh(user)
    if not user.is_active:
        _audit(db, settings, user, username, ip, LoginOutcome.INACTIVE)
        return LoginResult(LoginOutcome.INACTIVE)
    from search_app.auth.mfa import mfa_enabled

    if not mfa_enabled(user):  # with MFA the counter is reset only once the code has passed too
        user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = utcnow()
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password, check_rules=False)
    _audit(db, settings, user, username, ip, LoginOutcome.OK)
    return LoginResult(LoginOutcome.OK, user)


def reserve_attempt(db: Session, user_id: int, settings: Settings) -> int | None:
    """Count one attempt atomically and commit; the attempt's number, or None when the account is locked
    (or this attempt goes past the limit, which locks it without checking the password)."""
    now = utcnow()
    number = db.execute(
        update(User)
        .where(User.id == user_id, or_(User.locked_until.is_(None), User.locked_until <= now))
        .values(failed_logins=User.failed_logins + 1)
        .returning(User.failed_logins)
        .execution_options(synchronize_session=False)
    ).scalar_one_or_none()
    if number is not None and number > settings.login_max_failures:
        lock_account(db, user_id, settings)
        number = None
    db.commit()
    return number


def lock_account(db: Session, user_id: int, settings: Settings) -> None:
    db.execute(update(User).where(User.id == user_id).values(
        locked_until=utcnow() + timedelta(minutes=settings.login_lockout_minutes), failed_logins=0,
    ).execution_options(synchronize_session=False))
    db.commit()


def recent_failures_from(db: Session, ip: str) -> int:
    since = utcnow() - IP_FAILURE_WINDOW
    return db.scalar(select(func.count(AuditEvent.id)).where(
        AuditEvent.action == "login", AuditEvent.success.is_(False), AuditEvent.ip_address == ip,
        AuditEvent.at >= since)) or 0


def unlock(user: User) -> None:
    user.failed_logins = 0
    user.locked_until = None


def _audit(db: Session, settings: Settings, user: User | None, username: str, ip: str, outcome: LoginOutcome,
           **detail: Any) -> None:
    record_audit(
        db, action="login", user_id=user.id if user else None, username=username[:64],
        object_type="user", object_id=user.id if user else "", ip_address=ip,
        success=outcome is LoginOutcome.OK, outcome=str(outcome), signing_key=settings.audit_key, **detail,
    )
