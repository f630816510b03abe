"""Personal API tokens for ``/api/v1`` clients (scripts, other systems).

A token is ``cmms_`` + 43 random URL-safe characters, shown once; the database keeps its SHA-256 and
its first characters (to tell tokens apart). Each token belongs to one user and acts with that user's
role and districts, narrowed by its scope: ``read`` (GET only) or ``write``. Tokens expire (at most
``CMMS_API_TOKEN_MAX_DAYS``), can be revoked at once, are created only after the password (and MFA code)
was confirmed, and every request made with one is audited with the token's id.

Clients send ``Authorization: Bearer cmms_...``; such requests carry no cookie and need no CSRF token.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import ApiToken, User, utcnow
from search_app.auth.sessions import as_utc

PREFIX = "cmms_"
SCOPES = ("read", "write")
LAST_USED_RESOLUTION = timedelta(minutes=1)


class TokenError(ValueError):
    """A token request was refused; the message is for the person."""


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(db: Session, user: User, name: str, scope: str, days: int, max_days: int) -> tuple[ApiToken, str]:
    """A new token row and the token text (shown once). The caller audits and commits."""
    name = name.strip()[:100]
    if not name:
        raise TokenError(gettext("Give the token a name (what will use it)."))
    if scope not in SCOPES:
        raise TokenError(gettext("Choose read or write."))
    if not 1 <= days <= max_days:
        raise TokenError(gettext("A token lives between 1 and %(n)s days.", n=max_days))
    text = PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(user_id=user.id, name=name, token_hash=digest(text), prefix=text[:12], scope=scope,
                   expires_at=utcnow() + timedelta(days=days))
    db.add(row)
    db.flush()
    return row, text


def token_from_header(header: str | None) -> str | None:
    if not header:
        return None
    scheme, _, value = header.partition(" ")
    value = value.strip()
    if scheme.lower() != "bearer" or not value.startswith(PREFIX) or len(value) > 100:
        return None
    return value


def find_active(db: Session, text: str) -> ApiToken | None:
    """The live token for ``text`` (not revoked, not expired, owner active), else None."""
    row = db.scalar(select(ApiToken).where(ApiToken.token_hash == digest(text)))
    if row is None or row.revoked_at is not None or as_utc(row.expires_at) <= utcnow():
        return None
    if not row.user.is_active:
        return None
    now = utcnow()
    if row.last_used_at is None or now - as_utc(row.last_used_at) > LAST_USED_RESOLUTION:
        row.last_used_at = now
        db.commit()
    return row


def user_tokens(db: Session, user_id: int) -> list[ApiToken]:
    return list(db.scalars(select(ApiToken).where(ApiToken.user_id == user_id).order_by(ApiToken.id.desc())))


def revoke(token: ApiToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = utcnow()
