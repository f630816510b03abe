"""``cmms files check``: every original in the file store is there and unchanged (exit 1 if not);
orphans and temporary files a crash left behind are listed and, with ``--sweep-hours``, removed."""

from __future__ import annotations

from datetime import timedelta

import click

from config import get_settings
from ingest.store import FileStore
from ingest.store_check import check_store
from models import make_engine, make_session_factory, session_scope

SHOWN = 20  # problems listed by name; the summary counts them all


@click.group("files")
def files() -> None:
    """The file store of originals: check it against the database."""


@files.command("check")
@click.option("--full", is_flag=True, help="Re-hash every original (reads every byte) instead of checking sizes.")
@click.option("--sweep-hours", type=click.IntRange(min=1), default=None,
              help="Remove orphan and temporary files not modified for this many hours.")
def check_command(full: bool, sweep_hours: int | None) -> None:
    """Report missing or changed originals (exit 1), orphans and temporary files."""
    settings = get_settings()
    factory = make_session_factory(make_engine(settings.sqlalchemy_url))
    with session_scope(factory) as session:
        report = check_store(session, FileStore(settings.files_dir), full=full,
                             sweep_after=timedelta(hours=sweep_hours) if sweep_hours else None)
    for label, items in (("missing", report.missing), ("wrong size", report.wrong_size),
                         ("bytes changed", report.wrong_hash), ("orphan", report.orphans),
                         ("temporary", report.temp_files), ("removed", report.removed)):
        for item in items[:SHOWN]:
            click.echo(f"{label}: {item}")
        if len(items) > SHOWN:
            click.echo(f"{label}: ... and {len(items) - SHOWN} more")
    click.echo(report.summary())
    if not report.ok:
        raise SystemExit(1)
