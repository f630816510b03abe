"""Upgrading a database in use keeps its rows: from the schema of 0010 (before notifications named
their case, TOTP secrets were encrypted and audit events signed) to head, on a SQLite file with the
production pragmas (foreign keys on), with users referenced by the audit trail, notifications and
saved searches. A batch migration that rebuilds ``users`` must neither be refused by those references
nor cascade-delete their rows; existing notifications get their case from every link shape."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import func, select, text

from models import make_engine, make_session_factory
from models.migrate import upgrade_database
from tests.integration.calendar.world import add_hearing, build

BEFORE = "0010_i18n"


def test_an_upgrade_keeps_every_row_and_fills_notification_cases(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'in-use.sqlite3'}")
    upgrade_database(engine, BEFORE)
    factory = make_session_factory(engine)
    world = build(factory)
    hearing = add_hearing(factory, world, "p1", date(2026, 12, 9))
    amina, case_p1, case_m1 = world.users["amina"], world.cases["p1"], world.cases["m1"]
    links = {f"/hearings/{hearing}/outcome": case_p1, f"/cases/{case_m1}#deadlines": case_m1,
             f"/cases/{case_p1}": case_p1, "/reviews/999": None, "": None}
    with engine.begin() as connection:  # rows as the 0010 code wrote them (no case_id, no row_mac)
        for number, link in enumerate(links, 1):
            connection.execute(text(
                "INSERT INTO notifications (user_id, kind, key, subject, body, link, created_at, email_status, "
                "email_attempts, email_error) VALUES (:user, 'deadline_due', :key, 'FIR 101/2025', '', :link, "
                "'2026-11-30 10:00:00', 'none', 0, '')"), {"user": amina, "key": f"k{number}", "link": link})
        connection.execute(text(
            "INSERT INTO audit_events (id, at, user_id, username, action, object_type, object_id, ip_address, "
            "success, detail, prev_hash, row_hash) VALUES (1, '2026-11-30 10:00:00', :user, 'amina', 'login', "
            "'user', '', '', 1, '{}', :genesis, :hash)"), {"user": amina, "genesis": "0" * 64, "hash": "a" * 64})
        connection.execute(text("INSERT INTO saved_searches (user_id, name, query, filters, created_at) VALUES "
                                "(:user, 'bail', 'bail', '{}', '2026-11-30 10:00:00')"), {"user": amina})
        connection.execute(text("UPDATE users SET mfa_secret = 'JBSWY3DPEHPK3PXP' WHERE id = :user"), {"user": amina})

    def counts() -> dict[str, int]:
        with engine.connect() as connection:
            return {table: connection.scalar(select(func.count()).select_from(text(table))) or 0
                    for table in ("users", "notifications", "audit_events", "saved_searches", "user_districts")}

    before = counts()
    upgrade_database(engine)
    assert counts() == before
    with engine.connect() as connection:
        filled = dict(connection.execute(text("SELECT link, case_id FROM notifications")).tuples().all())
        assert filled == links
        assert connection.scalar(text("SELECT mfa_secret FROM users WHERE id = :u"), {"u": amina}) == "JBSWY3DPEHPK3PXP"
        assert connection.scalar(text("SELECT row_mac FROM audit_events WHERE id = 1")) == ""
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1  # back on for the application
