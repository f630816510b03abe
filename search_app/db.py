"""The request's database session: opened on first use, closed (rolled back if not committed) at the
end of the request. Views that change data call ``get_session().commit()`` themselves."""

from __future__ import annotations

from flask import Flask, current_app, g
from sqlalchemy.orm import Session

from search_app.services import AppServices


def get_session() -> Session:
    """The one database session of the current request."""
    session: Session | None = g.get("db_session")
    if session is None:
        app_services: AppServices = current_app.extensions["cmms"]
        session = app_services.session_factory()
        g.db_session = session
    return session


def close_session(_exc: BaseException | None = None) -> None:
    """Roll back whatever the view did not commit and release the connection."""
    session: Session | None = g.pop("db_session", None)
    if session is not None:
        session.rollback()
        session.close()


def init_app(app: Flask) -> None:
    app.teardown_appcontext(close_session)
