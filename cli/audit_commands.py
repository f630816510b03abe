"""``cmms audit``: verify the tamper-evident audit trail, sign a checkpoint, export for archiving, and
purge events past the retention period (after archiving them).

``verify`` exits 1 and names the first broken link when an event was edited, deleted or inserted, or a
signed checkpoint no longer matches the chain.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path
from typing import IO, Any

import click
from sqlalchemy import delete, select, text
from sqlalchemy.orm import Session

from config import Settings, get_settings
from models import AuditCheckpoint, AuditEvent, make_engine, make_session_factory, session_scope, utcnow
from models.audit import _utc_text, verify_chain, write_checkpoint


@click.group()
def audit() -> None:
    """Audit trail: verify, checkpoint, export, purge."""


def _sessions(settings: Settings) -> Any:
    return make_session_factory(make_engine(settings.sqlalchemy_url))


@audit.command("verify")
@click.option("--record/--no-record", default=True, show_default=True,
              help="Record the result as a signed checkpoint (the audit viewer shows the last one).")
def verify_command(record: bool) -> None:
    """Recompute the hash chain and check every signed checkpoint."""
    settings = get_settings()
    with session_scope(_sessions(settings)) as session:
        report = verify_chain(session, settings.audit_key)
        click.echo(report.summary())
        if record and report.ok:
            write_checkpoint(session, settings.audit_key, kind="verify", note=report.summary())
    if not report.ok:
        raise SystemExit(1)


@audit.command("checkpoint")
def checkpoint_command() -> None:
    """Sign the chain's current end now (e.g. from cron, to shorten the unsigned tail)."""
    settings = get_settings()
    with session_scope(_sessions(settings)) as session:
        checkpoint = write_checkpoint(session, settings.audit_key, kind="periodic", note="cmms audit checkpoint")
        click.echo(f"signed event {checkpoint.event_id}" if checkpoint else "the audit trail is empty")


def event_json(event: AuditEvent) -> dict[str, Any]:
    return {
        "id": event.id, "at": _utc_text(event.at), "user_id": event.user_id, "username": event.username,
        "action": event.action, "object_type": event.object_type, "object_id": event.object_id,
        "district_id": event.district_id, "ip_address": event.ip_address, "success": event.success,
        "detail": event.detail, "prev_hash": event.prev_hash, "row_hash": event.row_hash,
    }


def export_events(session: Session, out: IO[str], until: datetime | None = None) -> tuple[int, int | None]:
    """Write events (up to ``until``) and the checkpoints covering them as JSON lines; returns (count,
    last id). Each line is ``{"event": ...}`` or ``{"checkpoint": ...}``; hashes let an archive be
    checked without the database."""
    stmt = select(AuditEvent).order_by(AuditEvent.id).execution_options(yield_per=2000)
    if until is not None:
        stmt = stmt.where(AuditEvent.at < until)
    count, last_id = 0, None
    for event in session.scalars(stmt):
        out.write(json.dumps({"event": event_json(event)}, ensure_ascii=False) + "\n")
        count, last_id = count + 1, event.id
    if last_id is not None:
        for cp in session.scalars(select(AuditCheckpoint).where(AuditCheckpoint.event_id <= last_id)
                                  .order_by(AuditCheckpoint.id)):
            out.write(json.dumps({"checkpoint": {
                "id": cp.id, "event_id": cp.event_id, "row_hash": cp.row_hash, "kind": cp.kind,
                "created_at": _utc_text(cp.created_at), "note": cp.note, "signature": cp.signature}}) + "\n")
    return count, last_id


@audit.command("export")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="JSON-lines file to write (events, then the signed checkpoints).")
def export_command(output: Path) -> None:
    """Export the whole trail for archiving (a signed checkpoint marks the export's end)."""
    settings = get_settings()
    with session_scope(_sessions(settings)) as session, output.open("w", encoding="utf-8") as out:
        checkpoint = write_checkpoint(session, settings.audit_key, kind="export", note=f"export to {output.name}")
        session.flush()
        count, last_id = export_events(session, out)
    click.echo(f"exported {count} event(s) up to {last_id} to {output}"
               + (f"; signed checkpoint at event {checkpoint.event_id}" if checkpoint else ""))


@audit.command("purge")
@click.option("--archive", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="Where the purged events are exported first (JSON lines).")
def purge_command(archive: Path) -> None:
    """Archive, then delete, events older than CMMS_AUDIT_RETENTION_DAYS (at least 365)."""
    settings = get_settings()
    before = utcnow() - timedelta(days=settings.audit_retention_days)
    with session_scope(_sessions(settings)) as session:
        count = purge_events(session, settings, before, archive)
    click.echo(f"archived and removed {count} event(s) older than {before:%Y-%m-%d} ({archive})")


def purge_events(session: Session, settings: Settings, before: datetime, archive: Path) -> int:
    """Export events older than ``before`` to ``archive``, sign a purge anchor at the last one, delete
    them (the append-only trigger allows exactly this). The caller commits."""
    with archive.open("w", encoding="utf-8") as out:
        count, last_id = export_events(session, out, until=before)
    if last_id is None:
        return 0
    last = session.get(AuditEvent, last_id)
    assert last is not None
    created = utcnow()
    from models.audit import checkpoint_signature

    session.add(AuditCheckpoint(event_id=last_id, row_hash=last.row_hash, kind="purge", created_at=created,
                                note=f"events up to {last_id} archived to {archive.name}",
                                signature=checkpoint_signature(settings.audit_key, last_id, last.row_hash,
                                                               "purge", created)))
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        session.execute(text("SELECT set_config('cmms.audit_purge_before', :before, true)"),
                        {"before": before.isoformat()})
    elif dialect == "sqlite":
        session.execute(text("DROP TRIGGER IF EXISTS audit_events_no_delete"))
    session.execute(delete(AuditEvent).where(AuditEvent.id <= last_id))
    session.execute(delete(AuditCheckpoint).where(AuditCheckpoint.event_id <= last_id,
                                                  AuditCheckpoint.kind != "purge"))
    if dialect == "sqlite":
        session.execute(text("CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events "
                             "BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END"))
    return count
