"""The audit trail is tamper-evident (issue 8, kind 4) on SQLite and PostgreSQL: ``verify_chain`` (and
``cmms audit verify``) finds an edited, a deleted and an inserted event and a rewritten chain; the
database itself refuses UPDATE and DELETE of audit events (PostgreSQL trigger for the app's role,
SQLite triggers); purge archives and removes only events past the retention floor."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import Engine, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from config import Settings
from models import AuditEvent, make_session_factory, record_audit, utcnow
from models.audit import event_hash, verify_chain, write_checkpoint
from models.migrate import upgrade_database

KEY = b"k" * 32


def _write(factory: sessionmaker[Session], n: int, checkpoint_at: tuple[int, ...] = (), signed: bool = False) -> None:
    with factory() as db:
        for i in range(1, n + 1):
            record_audit(db, action="view", username="pros_a", object_type="case", object_id=i, district_id=1,
                         detail_no=i, signing_key=KEY if signed else None)
            if i in checkpoint_at:
                write_checkpoint(db, KEY)
            db.commit()


def _unlock(db: Session) -> None:
    """What an attacker with database access does first: get past the append-only triggers."""
    if db.get_bind().dialect.name == "postgresql":
        db.execute(text("ALTER TABLE audit_events DISABLE TRIGGER USER"))
    else:
        db.execute(text("DROP TRIGGER IF EXISTS audit_events_no_update"))
        db.execute(text("DROP TRIGGER IF EXISTS audit_events_no_delete"))


def _tamper(factory: sessionmaker[Session], sql: str, **params: object) -> None:
    with factory() as db:
        _unlock(db)
        db.execute(text(sql), params)
        db.commit()


def _check_tampering(factory: sessionmaker[Session]) -> None:
    _write(factory, 12, checkpoint_at=(6,))
    with factory() as db:
        report = verify_chain(db, KEY)
        assert report.ok, report.summary()
        assert (report.events, report.checkpoints, report.unsigned_tail, report.signed_events) == (12, 1, 6, 0)

    # 1. edit one event's content
    _tamper(factory, "UPDATE audit_events SET username = 'someone_else' WHERE id = 4")
    with factory() as db:
        report = verify_chain(db, KEY)
        assert (report.broken_at, report.ok) == (4, False) and "edited" in report.problem
    _tamper(factory, "UPDATE audit_events SET username = 'pros_a' WHERE id = 4")

    # 2. delete one event
    with factory() as db:
        saved = db.get(AuditEvent, 9)
        assert saved is not None
        row = {c.name: getattr(saved, c.name) for c in AuditEvent.__table__.columns}
    _tamper(factory, "DELETE FROM audit_events WHERE id = 9")
    with factory() as db:
        report = verify_chain(db, KEY)
        assert report.broken_at == 10 and "missing" in report.problem

    # 3. insert a forged event in the gap, with a self-consistent hash: the link to event 10 breaks
    with factory() as db:
        _unlock(db)
        forged = AuditEvent(**{**row, "username": "forger", "detail": {"forged": True}})
        forged.row_hash = event_hash(forged)
        db.add(forged)
        db.commit()
    with factory() as db:
        report = verify_chain(db, KEY)
        assert report.broken_at == 10 and "link" in report.problem

    # 4. edit event 3 and rewrite the whole chain (anyone can compute SHA-256): the signed checkpoint
    # at event 6 catches it. (Events written without their own signature after the last checkpoint can
    # be rewritten unnoticed until the next checkpoint: report.unsigned_tail says how many; the
    # application signs every event, _check_signed_tail.)
    with factory() as db:
        _unlock(db)
        previous = "0" * 64
        for event in db.scalars(select(AuditEvent).order_by(AuditEvent.id)):
            if event.id == 3:
                event.username = "rewritten"
            event.prev_hash = previous
            event.row_hash = event_hash(event)
            previous = event.row_hash
        db.commit()
        report = verify_chain(db, KEY)
        assert report.broken_at == 6 and "checkpoint" in report.problem


def _check_signed_tail(factory: sessionmaker[Session]) -> None:
    """Events signed one by one (as the application writes them): the tail after the last checkpoint
    cannot be rewritten, a signature cannot be stripped, and a wrong key shows."""
    _write(factory, 4, checkpoint_at=(2,))          # from before signing: unsigned
    _write(factory, 4, checkpoint_at=(2,), signed=True)  # events 5..8, checkpoint at 6
    with factory() as db:
        report = verify_chain(db, KEY)
        assert report.ok, report.summary()
        assert (report.events, report.signed_events, report.unsigned_tail, report.after_checkpoint) == (8, 4, 0, 2)
        assert not verify_chain(db, b"w" * 32).ok  # another key: the checkpoints and events disagree

    # rewrite event 8 (after the last checkpoint) and recompute its hash: its signature no longer fits
    with factory() as db:
        _unlock(db)
        event = db.get(AuditEvent, 8)
        assert event is not None
        event.username = "rewritten"
        event.row_hash = event_hash(event)
        db.commit()
        report = verify_chain(db, KEY)
        assert report.broken_at == 8 and "signature" in report.problem

    # ... and stripping its signature instead is a break too, once signing has begun
    with factory() as db:
        _unlock(db)
        event = db.get(AuditEvent, 8)
        assert event is not None
        event.row_mac = ""
        db.commit()
        report = verify_chain(db, KEY)
        assert report.broken_at == 8 and "no signature" in report.problem
        # the viewer checks from the last checkpoint (event 6): it sees the same
        report = verify_chain(db, KEY, after_checkpoint=6)
        assert report.broken_at == 8 and "no signature" in report.problem

    # stripping every signature from the last checkpoint on, to pass the tail off as unsigned, breaks
    # that checkpoint (it covers its event's signature)
    with factory() as db:
        _unlock(db)
        for event in db.scalars(select(AuditEvent).where(AuditEvent.id >= 5)):
            event.row_mac = ""
        db.commit()
        report = verify_chain(db, KEY)
        assert report.broken_at == 6 and "checkpoint" in report.problem


def _check_signed_head(factory: sessionmaker[Session]) -> None:
    """The signed chain head: deleting the newest events, or rewriting them with their signatures
    stripped and the covering checkpoint deleted, shows."""
    _write(factory, 4, checkpoint_at=(2,))
    _write(factory, 4, checkpoint_at=(2,), signed=True)
    with factory() as db:
        assert verify_chain(db, KEY).ok
        newest = db.get(AuditEvent, 8)
        assert newest is not None
        saved = {c.name: getattr(newest, c.name) for c in AuditEvent.__table__.columns}

    # delete the newest event: the chain still links, but the signed head names event 8
    _tamper(factory, "DELETE FROM audit_events WHERE id = 8")
    with factory() as db:
        report = verify_chain(db, KEY)
        assert report.broken_at == 8 and "newest events were deleted" in report.problem
        _unlock(db)
        db.add(AuditEvent(**saved))
        db.commit()
        assert verify_chain(db, KEY).ok

    # strip every signature after the last checkpoint, rewrite event 7, re-chain, and delete the
    # checkpoint too: the signed head no longer matches the newest event
    with factory() as db:
        _unlock(db)
        db.execute(text("DELETE FROM audit_checkpoints WHERE event_id = 6"))
        previous = db.get(AuditEvent, 6).row_hash  # type: ignore[union-attr]
        for event in db.scalars(select(AuditEvent).where(AuditEvent.id >= 5).order_by(AuditEvent.id)):
            if event.id >= 7:
                event.prev_hash, event.username = previous, "rewritten" if event.id == 7 else event.username
                event.row_hash = event_hash(event)
            event.row_mac = ""
            previous = event.row_hash
        db.commit()
        report = verify_chain(db, KEY)
        assert report.broken_at == 8 and "chain head" in report.problem


def _check_append_only(factory: sessionmaker[Session]) -> None:
    _write(factory, 2)
    for statement in ("UPDATE audit_events SET username = 'x'", "DELETE FROM audit_events"):
        with factory() as db, pytest.raises(DBAPIError, match="append-only"):
            db.execute(text(statement))
            db.commit()
    with factory() as db:
        assert len(list(db.scalars(select(AuditEvent)))) == 2


def test_sqlite_chain_detects_edit_delete_insert_and_rewrite(session_factory: sessionmaker[Session]) -> None:
    _check_tampering(session_factory)


def test_sqlite_signed_events_protect_the_tail(session_factory: sessionmaker[Session]) -> None:
    _check_signed_tail(session_factory)


def test_sqlite_signed_head_shows_deleted_and_rewritten_newest_events(session_factory: sessionmaker[Session]) -> None:
    _check_signed_head(session_factory)


def test_sqlite_audit_table_is_append_only(session_factory: sessionmaker[Session]) -> None:
    _check_append_only(session_factory)


@pytest.fixture
def pg_factory(postgres_engine: Engine) -> Iterator[sessionmaker[Session]]:
    upgrade_database(postgres_engine)
    yield make_session_factory(postgres_engine)
    with postgres_engine.begin() as connection:
        connection.execute(text("DROP FUNCTION IF EXISTS cmms_audit_append_only() CASCADE"))


@pytest.mark.postgres
def test_postgresql_chain_detects_edit_delete_insert_and_rewrite(pg_factory: sessionmaker[Session]) -> None:
    _check_tampering(pg_factory)


@pytest.mark.postgres
def test_postgresql_signed_events_protect_the_tail(pg_factory: sessionmaker[Session]) -> None:
    _check_signed_tail(pg_factory)


@pytest.mark.postgres
def test_postgresql_signed_head_shows_deleted_and_rewritten_newest_events(pg_factory: sessionmaker[Session]) -> None:
    _check_signed_head(pg_factory)


@pytest.mark.postgres
def test_postgresql_audit_table_is_append_only_for_the_app_role(pg_factory: sessionmaker[Session]) -> None:
    _check_append_only(pg_factory)
    with pg_factory() as db, pytest.raises(DBAPIError, match="append-only"):
        db.execute(text("TRUNCATE audit_events"))
        db.commit()
    with pg_factory() as db, pytest.raises(DBAPIError, match="append-only"):  # recent rows: not even in a purge
        db.execute(text("SELECT set_config('cmms.audit_purge_before', :t, true)"), {"t": utcnow().isoformat()})
        db.execute(text("DELETE FROM audit_events"))
        db.commit()


def _check_purge(factory: sessionmaker[Session], settings: Settings, tmp_path: Path) -> None:
    from cli.audit_commands import purge_events

    old = utcnow() - timedelta(days=800)
    with factory() as db:
        for i in range(3):
            record_audit(db, action="view", username="old", object_id=i, at=old + timedelta(minutes=i))
        for i in range(2):
            record_audit(db, action="view", username="new", object_id=i)
        db.commit()
    archive = tmp_path / "archive.jsonl"
    with factory() as db:
        assert purge_events(db, settings, utcnow() - timedelta(days=settings.audit_retention_days), archive) == 3
        db.commit()
    lines = [json.loads(line) for line in archive.read_text().splitlines()]
    assert [line["event"]["username"] for line in lines if "event" in line] == ["old"] * 3
    with factory() as db:
        assert [e.username for e in db.scalars(select(AuditEvent).order_by(AuditEvent.id))] == ["new", "new"]
        report = verify_chain(db, settings.audit_key)
        assert report.ok and report.events == 2, report.summary()


def test_sqlite_purge_archives_old_events_and_keeps_the_chain_verifiable(
        session_factory: sessionmaker[Session], settings: Settings, tmp_path: Path) -> None:
    _check_purge(session_factory, settings, tmp_path)


@pytest.mark.postgres
def test_postgresql_purge_archives_old_events_and_keeps_the_chain_verifiable(
        pg_factory: sessionmaker[Session], settings: Settings, tmp_path: Path) -> None:
    _check_purge(pg_factory, settings, tmp_path)


def test_cmms_audit_verify_reports_the_first_broken_link(
        session_factory: sessionmaker[Session], settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    from cli.main import cli
    from config.settings import get_settings

    monkeypatch.setenv("CMMS_VAR_DIR", str(settings.var_dir))
    monkeypatch.setenv("CMMS_SECRET_KEY", settings.secret_key)
    get_settings.cache_clear()
    try:
        with session_factory() as db:
            for i in range(3):
                record_audit(db, action="view", object_id=i)
            db.commit()
        good = CliRunner().invoke(cli, ["audit", "verify"])
        assert good.exit_code == 0 and good.output.startswith("OK: 3 event(s)"), good.output
        assert "3 event(s) after the last checkpoint, 3 of them without a signature" in good.output
        _tamper(session_factory, "UPDATE audit_events SET action = 'login' WHERE id = 2")
        bad = CliRunner().invoke(cli, ["audit", "verify"])
        assert bad.exit_code == 1 and "BROKEN at event 2" in bad.output, bad.output
    finally:
        get_settings.cache_clear()


def test_periodic_checkpoints_are_written_every_n_events(session_factory: sessionmaker[Session]) -> None:
    from models.audit import AuditCheckpoint

    with session_factory() as db:
        for i in range(1, 8):
            record_audit(db, action="view", username="pros_a", object_type="case", object_id=i, district_id=1,
                         signing_key=KEY, checkpoint_every=3)
            db.commit()
        assert list(db.scalars(select(AuditCheckpoint.event_id).order_by(AuditCheckpoint.id))) == [3, 6]
        report = verify_chain(db, KEY)
        assert report.ok and report.checkpoints == 2, report.summary()
