"""Shared fixtures and helpers of the web tests (tests/integration/test_web_*.py).

The app runs against the migrated SQLite database of the ``engine`` fixture with the real CSRF
protection on: every POST carries the token read from the page, as a browser would.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from config import Settings
from models import AuditEvent, Base, Case, District, PoliceStation, Role, User
from search_app import create_app
from search_app.auth.passwords import hash_password
from tests.mfa_support import answer_mfa, enrol

PASSWORD = "correct horse battery staple"
_CSRF = re.compile(r'name="csrf-token" content="([^"]+)"|name="csrf_token" value="([^"]+)"')


def ensure_new_tables(engine: Engine) -> None:
    """Tables added by the web task (web_sessions) until the lead regenerates the migration;
    create_all only creates what the migration has not."""
    Base.metadata.create_all(engine)


@pytest.fixture
def app(settings: Settings, engine: Engine) -> Iterator[Flask]:
    ensure_new_tables(engine)
    application = create_app(settings)
    yield application
    application.extensions["cmms"].engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def districts(session_factory: sessionmaker[Session]) -> dict[str, int]:
    with session_factory() as db:
        rows = [District(name="Peshawar"), District(name="Mardan"), District(name="Swat")]
        db.add_all(rows)
        db.commit()
        return {d.name: d.id for d in rows}


def make_user(factory: sessionmaker[Session], username: str, role: Role, district_names: list[str],
              all_districts: bool = False, password: str = PASSWORD) -> int:
    with factory() as db:
        found = list(db.scalars(select(District).where(District.name.in_(district_names))))
        user = User(username=username, password_hash=hash_password(password, check_rules=False), role=role,
                    districts=found, all_districts=all_districts, full_name=username.title())
        db.add(enrol(user))
        db.commit()
        return user.id


def make_case(factory: sessionmaker[Session], district_id: int, fir_number: str = "101",
              fir_year: int = 2024, station: str = "City") -> int:
    with factory() as db:
        ps = db.scalar(select(PoliceStation).where(PoliceStation.district_id == district_id,
                                                   PoliceStation.name == station))
        if ps is None:
            ps = PoliceStation(name=station, district_id=district_id)
            db.add(ps)
            db.flush()
        case = Case(fir_number=fir_number, fir_year=fir_year, police_station_id=ps.id,
                    district_id=district_id, title=f"State vs {fir_number}", sections=["PPC 302"])
        db.add(case)
        db.commit()
        return case.id


def csrf_token(client: FlaskClient, path: str = "/login") -> str:
    page = client.get(path)
    match = _CSRF.search(page.get_data(as_text=True))
    assert match, f"no CSRF token on {path} ({page.status_code})"
    return match.group(1) or match.group(2)


def login(client: FlaskClient, username: str, password: str = PASSWORD):  # type: ignore[no-untyped-def]
    """Log in as a person would: password, then the one-time code if the account uses MFA."""
    token = csrf_token(client)
    response = client.post("/login", data={"username": username, "password": password, "csrf_token": token})
    return answer_mfa(client, response, username)


def post(client: FlaskClient, path: str, data: dict[str, object] | None = None, **kwargs):  # type: ignore[no-untyped-def]
    """POST as the logged-in browser would: with the CSRF token of a page it has open."""
    payload = dict(data or {})
    payload["csrf_token"] = csrf_token(client, "/")
    return client.post(path, data=payload, **kwargs)


def audit_rows(factory: sessionmaker[Session], action: str) -> list[AuditEvent]:
    with factory() as db:
        return list(db.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)))


def make_document(factory: sessionmaker[Session], district_id: int, name: str = "FIR scan.pdf",
                  case_id: int | None = None, **fields: object) -> int:
    """A document row as intake would leave it (the bytes themselves are not needed here)."""
    import hashlib

    from models import Batch, BatchSource, Document, StoredFile

    sha = hashlib.sha256(f"{name}{district_id}{case_id}{fields}".encode()).hexdigest()
    with factory() as db:
        batch = Batch(source=BatchSource.UPLOAD, district_id=district_id)
        db.add_all([batch, StoredFile(sha256=sha, size_bytes=1, relative_path=f"{sha[:2]}/{sha}")])
        db.flush()
        doc = Document(batch_id=batch.id, sha256=sha, original_filename=name, district_id=district_id,
                       case_id=case_id, **fields)
        db.add(doc)
        db.commit()
        return doc.id
