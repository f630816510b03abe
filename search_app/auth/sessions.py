"""Server-side sessions as a Flask ``SessionInterface``.

After login the cookie carries a 256-bit random token and nothing else; the row in ``web_sessions``
(keyed by the token's SHA-256) holds the user and the session data (CSRF secret, flashed messages).
Before login there is no row at all: an anonymous visitor's few values (the login form's CSRF secret,
a pending MFA step) travel in a signed, time-limited cookie (``a.`` + itsdangerous token), so
anonymous page views never write to the database. A session ends
when it is idle longer than ``session_idle_minutes``, older than ``ABSOLUTE_LIFETIME`` (CJIS IA-5:
re-authenticate every 12 h), at logout, or when an administrator deactivates the account or resets
its password (every row of that user is deleted).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import Flask, Request, g
from flask.sessions import SessionInterface, SessionMixin
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import delete
from sqlalchemy.orm import Session, sessionmaker
from werkzeug.datastructures import CallbackDict
from werkzeug.wrappers import Response

from models import WebSession, utcnow

ABSOLUTE_LIFETIME = timedelta(hours=12)
# last_seen_at is written at most this often, so polling pages do not write on every request.
TOUCH_INTERVAL = timedelta(seconds=15)
ANONYMOUS_PREFIX = "a."
MAX_ANONYMOUS_COOKIE = 3000  # bytes: a CSRF secret, a flash or two and a pending MFA step fit easily


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def as_utc(moment: datetime) -> datetime:
    """SQLite returns naive datetimes; they were stored as UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class ServerSession(CallbackDict[str, Any], SessionMixin):
    """Session data plus what the interface needs to know to save it."""

    def __init__(self, token: str | None = None, data: dict[str, Any] | None = None,
                 user_id: int | None = None, last_seen: datetime | None = None,
                 expired: bool = False) -> None:
        def on_update(_self: CallbackDict[str, Any]) -> None:
            self.modified = True

        super().__init__(data or {}, on_update)
        self.token = token
        self.user_id = user_id
        self.last_seen = last_seen
        self.expired = expired  # the cookie named a session that has timed out
        self.modified = False
        self.rotate = False  # new token at next save (login: ASVS 7.2.4)
        self.revoked = False  # delete the row and the cookie (logout)

    def log_in(self, user_id: int) -> None:
        self.clear()
        self.user_id = user_id
        self.rotate = True
        self.modified = True

    def log_out(self) -> None:
        self.clear()
        self.user_id = None
        self.revoked = True


class DatabaseSessionInterface(SessionInterface):
    def __init__(self, session_factory: sessionmaker[Session], idle: timedelta, secure: bool,
                 secret_key: str = "") -> None:
        self.session_factory = session_factory
        self.idle = idle
        self.secure = secure
        self.signer = URLSafeTimedSerializer(secret_key or "unset", salt="cmms-anonymous-session")
        # The __Host- prefix pins the cookie to this host and path; browsers accept it only when Secure.
        self.cookie_name = "__Host-cmms_session" if secure else "cmms_session"

    def open_session(self, app: Flask, request: Request) -> ServerSession:
        token = request.cookies.get(self.cookie_name)
        if token and token.startswith(ANONYMOUS_PREFIX):
            return self._open_anonymous(token)
        if not token or len(token) > 100:
            return ServerSession()
        with self.session_factory() as db:
            row = db.get(WebSession, hash_token(token))
            if row is None:
                return ServerSession(expired=True)
            now = utcnow()
            if now - as_utc(row.last_seen_at) > self.idle or now - as_utc(row.created_at) > ABSOLUTE_LIFETIME:
                db.delete(row)
                db.commit()
                return ServerSession(expired=True)
            return ServerSession(token, dict(row.data), row.user_id, as_utc(row.last_seen_at))

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        assert isinstance(session, ServerSession)
        if session.revoked:  # logout: the row goes, and the cookie with it
            self._delete(session.token)
            response.delete_cookie(self.cookie_name, path="/", secure=self.secure, httponly=True,
                                   samesite="Lax")
            return
        if session.rotate:  # login: the pre-login token must never become an authenticated one
            self._delete(session.token)
            session.token = None
        if session.token is None:
            if session.user_id is not None:
                self._create(session, response)
            elif session.modified:  # anonymous: a signed cookie, never a row
                self._save_anonymous(session, response)
            return
        if session.modified or self._due_for_touch(session):
            self._update(session)

    # --- helpers ----------------------------------------------------------------------------------
    def _open_anonymous(self, cookie: str) -> ServerSession:
        try:
            data = self.signer.loads(cookie[len(ANONYMOUS_PREFIX):], max_age=int(self.idle.total_seconds()))
        except BadSignature:  # also expired (SignatureExpired is a BadSignature)
            return ServerSession()
        return ServerSession(None, data if isinstance(data, dict) else {})

    def _save_anonymous(self, session: ServerSession, response: Response) -> None:
        if not session:
            response.delete_cookie(self.cookie_name, path="/", secure=self.secure, httponly=True, samesite="Lax")
            return
        value = ANONYMOUS_PREFIX + self.signer.dumps(dict(session))
        if len(value) > MAX_ANONYMOUS_COOKIE:
            session.pop("_flashes", None)  # never let a long message break the login form
            value = ANONYMOUS_PREFIX + self.signer.dumps(dict(session))
        response.set_cookie(self.cookie_name, value, path="/", secure=self.secure, httponly=True, samesite="Lax")

    def _due_for_touch(self, session: ServerSession) -> bool:
        if g.get("passive_request"):
            return False  # background polling is not user activity
        return session.last_seen is None or utcnow() - session.last_seen > TOUCH_INTERVAL

    def _create(self, session: ServerSession, response: Response) -> None:
        from flask import request

        token = secrets.token_urlsafe(32)
        with self.session_factory() as db:
            db.add(WebSession(
                token_hash=hash_token(token), user_id=session.user_id, data=dict(session),
                ip_address=(request.remote_addr or "")[:64],
                user_agent=request.headers.get("User-Agent", "")[:200],
            ))
            db.commit()
        session.token, session.rotate = token, False
        # No Expires/Max-Age: the cookie dies with the browser; the server decides the time-out.
        response.set_cookie(self.cookie_name, token, path="/", secure=self.secure, httponly=True,
                            samesite="Lax")

    def _update(self, session: ServerSession) -> None:
        assert session.token is not None
        with self.session_factory() as db:
            row = db.get(WebSession, hash_token(session.token))
            if row is None:
                return  # revoked during this request (e.g. the admin deactivated this very user)
            if session.modified:
                row.data = dict(session)
            row.last_seen_at = utcnow()
            db.commit()

    def _delete(self, token: str | None) -> None:
        if token is None:
            return
        with self.session_factory() as db:
            db.execute(delete(WebSession).where(WebSession.token_hash == hash_token(token)))
            db.commit()


def revoke_user_sessions(db: Session, user_id: int) -> None:
    """End every session of a user (deactivation, password reset). Caller commits."""
    db.execute(delete(WebSession).where(WebSession.user_id == user_id))


def purge_expired_sessions(db: Session, idle: timedelta) -> int:
    """Delete rows past their idle or absolute limit; returns how many. Caller commits."""
    now = utcnow()
    result = db.execute(delete(WebSession).where(
        (WebSession.last_seen_at < now - idle) | (WebSession.created_at < now - ABSOLUTE_LIFETIME)
    ))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
