"""Multi-factor login: TOTP (RFC 6238, 30-second steps, 6 digits, SHA-1 as every authenticator app
expects), enrolment by QR code, one-time recovery codes, and "remember this device" for at most 12 hours.

Rules:
- administrators and supervisors must use MFA; ``CMMS_MFA_REQUIRED_ROLES`` adds roles (``all``: everyone,
  as CJIS asks). A user whose role requires MFA and who has not enrolled can, after the password, only
  reach the enrolment page;
- the TOTP secret is stored encrypted with a key kept outside the database (``mfa_secrets``);
- a code is accepted once (the last used time step is stored: no replay) within one step of clock drift;
- recovery codes (10, 10 characters each) are shown once and stored as SHA-256; each works once;
- a remembered device holds a random cookie whose SHA-256 is stored with its expiry (at most
  ``CMMS_MFA_REMEMBER_HOURS``, 12 at most); ending MFA or resetting the password forgets every device.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from datetime import timedelta

import pyotp
import segno
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from config import Settings
from models import MfaRecoveryCode, MfaTrustedDevice, User, utcnow
from search_app.auth.mfa_secrets import MfaSecretUnreadable, is_sealed, seal, unseal
from search_app.auth.sessions import as_utc

log = logging.getLogger(__name__)

ISSUER = "CMMS"
RECOVERY_CODES = 10
DEVICE_COOKIE = "cmms_mfa_device"
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def mfa_required(user: User, settings: Settings) -> bool:
    return str(user.role) in settings.mfa_roles


def mfa_enabled(user: User) -> bool:
    return bool(user.mfa_secret) and user.mfa_enabled_at is not None


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(secret: str, username: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=ISSUER)


def qr_svg_data_uri(uri: str) -> str:
    """The enrolment QR code as an SVG data URI (allowed by the CSP's ``img-src data:``)."""
    return str(segno.make(uri, error="m").svg_data_uri(scale=5, border=2))


def _clean_code(code: str) -> str:
    return "".join(ch for ch in code if ch.isdigit())


def verify_totp(secret: str, code: str, last_step: int) -> int | None:
    """The time step the code belongs to (now +/- one step) if it is valid and newer than ``last_step``."""
    digits = _clean_code(code)
    if len(digits) != 6:
        return None
    totp = pyotp.TOTP(secret)
    now_step = totp.timecode(utcnow())
    for step in (now_step, now_step - 1, now_step + 1):
        if step > last_step and secrets.compare_digest(totp.generate_otp(step), digits):
            return step
    return None


def accept_code(db: Session, user: User, code: str, settings: Settings) -> str | None:
    """Check a TOTP or recovery code for ``user``; returns "totp" or "recovery" (consumed), else None.
    The stored secret is encrypted (``mfa_secrets``); one stored plain before that is encrypted at its
    first good code. A secret the key cannot open refuses TOTP codes (logged); recovery codes still
    work. The caller commits."""
    if not user.mfa_secret:
        return None
    try:
        secret: str | None = unseal(user.mfa_secret, settings)
    except MfaSecretUnreadable:
        log.error("user %s: the TOTP secret cannot be decrypted (was CMMS_MFA_ENCRYPTION_KEY changed?)", user.id)
        secret = None
    step = verify_totp(secret, code, user.mfa_last_step or 0) if secret else None
    if step is not None and secret:
        user.mfa_last_step = step
        if not is_sealed(user.mfa_secret):
            user.mfa_secret = seal(secret, settings)
        return "totp"
    normalised = "".join(ch for ch in code.lower() if ch.isalnum())
    if len(normalised) != 10:
        return None
    row = db.scalar(select(MfaRecoveryCode).where(MfaRecoveryCode.user_id == user.id,
                                                  MfaRecoveryCode.code_hash == _digest(normalised),
                                                  MfaRecoveryCode.used_at.is_(None)))
    if row is None:
        return None
    row.used_at = utcnow()
    return "recovery"


def enable(db: Session, user: User, secret: str, code: str, settings: Settings) -> list[str] | None:
    """Confirm enrolment with a first code; returns the new recovery codes (shown once), or None when
    the code is wrong. The secret is stored encrypted (``mfa_secrets``). The caller commits."""
    step = verify_totp(secret, code, 0)
    if step is None:
        return None
    user.mfa_secret, user.mfa_enabled_at, user.mfa_last_step = seal(secret, settings), utcnow(), step
    return new_recovery_codes(db, user)


def new_recovery_codes(db: Session, user: User) -> list[str]:
    db.execute(delete(MfaRecoveryCode).where(MfaRecoveryCode.user_id == user.id))
    codes = ["".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(10)) for _ in range(RECOVERY_CODES)]
    db.add_all(MfaRecoveryCode(user_id=user.id, code_hash=_digest(c)) for c in codes)
    return [f"{c[:5]}-{c[5:]}" for c in codes]


def disable(db: Session, user: User) -> None:
    user.mfa_secret, user.mfa_enabled_at, user.mfa_last_step = None, None, 0
    db.execute(delete(MfaRecoveryCode).where(MfaRecoveryCode.user_id == user.id))
    forget_devices(db, user.id)


def remaining_recovery_codes(db: Session, user: User) -> int:
    return len(list(db.scalars(select(MfaRecoveryCode.id).where(MfaRecoveryCode.user_id == user.id,
                                                                MfaRecoveryCode.used_at.is_(None)))))


# --- remembered devices ----------------------------------------------------------------------------------


def remember_device(db: Session, user: User, settings: Settings) -> tuple[str, int] | None:
    """A new device token and its lifetime in seconds (None when remembering is off). Caller commits."""
    hours = min(settings.mfa_remember_hours, 12)
    if hours <= 0:
        return None
    token = secrets.token_urlsafe(32)
    db.add(MfaTrustedDevice(token_hash=_digest(token), user_id=user.id,
                            expires_at=utcnow() + timedelta(hours=hours)))
    return token, hours * 3600


def device_is_remembered(db: Session, user: User, token: str | None) -> bool:
    if not token or len(token) > 100:
        return False
    row = db.get(MfaTrustedDevice, _digest(token))
    return row is not None and row.user_id == user.id and as_utc(row.expires_at) > utcnow()


def forget_devices(db: Session, user_id: int) -> None:
    db.execute(delete(MfaTrustedDevice).where(MfaTrustedDevice.user_id == user_id))


def purge_expired_devices(db: Session) -> None:
    db.execute(delete(MfaTrustedDevice).where(MfaTrustedDevice.expires_at < utcnow()))
