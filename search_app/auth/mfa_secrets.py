"""TOTP secrets encrypted at rest: ``users.mfa_secret`` holds ``f1:`` + a Fernet token (AES-128-CBC
with HMAC-SHA256, from the well-kept ``cryptography`` package), keyed by ``Settings.mfa_key``, which is
kept outside the database. A copy of the database alone (a backup, a read-only SQL injection) then
gives nobody a working authenticator.

A secret stored before encryption (plain base32, no prefix) is encrypted by ``seal_plain_secrets`` when
the schema is migrated (``cmms db upgrade`` / ``cmms up``), and, should one still be met, read and
stored encrypted at the user's next good code. A token the key cannot open (the key was changed)
raises ``MfaSecretUnreadable``: the code is refused, recovery codes still work, and an administrator
resets the user's MFA.
"""

from __future__ import annotations

import base64

from cryptography.fernet import Fernet, InvalidToken
from sqlalchemy import select
from sqlalchemy.orm import Session

from config import Settings
from models import User

PREFIX = "f1:"


class MfaSecretUnreadable(ValueError):
    """The stored TOTP secret cannot be decrypted with the configured key."""


def _fernet(settings: Settings) -> Fernet:
    return Fernet(base64.urlsafe_b64encode(settings.mfa_key))


def is_sealed(stored: str | None) -> bool:
    """Whether ``stored`` is an encrypted secret (``f1:...``), not a plain one from before."""
    return bool(stored) and str(stored).startswith(PREFIX)


def seal(secret: str, settings: Settings) -> str:
    """``secret`` (base32) encrypted for ``users.mfa_secret``: ``f1:`` + token, ~143 characters."""
    return PREFIX + _fernet(settings).encrypt(secret.encode("ascii")).decode("ascii")


def seal_plain_secrets(session: Session, settings: Settings) -> int:
    """Encrypt every secret still stored plain (from before encryption); returns how many. Run after
    migrating (``cmms db upgrade`` / ``cmms up``); the caller commits."""
    users = session.scalars(select(User).where(User.mfa_secret.is_not(None),
                                               User.mfa_secret.not_like(f"{PREFIX}%"))).all()
    for user in users:
        user.mfa_secret = seal(str(user.mfa_secret), settings)
    return len(users)


def unseal(stored: str, settings: Settings) -> str:
    """The base32 secret from ``users.mfa_secret`` (a plain one from before is returned as it is).
    Raises ``MfaSecretUnreadable`` when the key cannot open it."""
    if not is_sealed(stored):
        return stored
    try:
        return _fernet(settings).decrypt(stored[len(PREFIX):].encode("ascii")).decode("ascii")
    except (InvalidToken, ValueError) as exc:
        raise MfaSecretUnreadable("the TOTP secret cannot be read with CMMS_MFA_ENCRYPTION_KEY") from exc
