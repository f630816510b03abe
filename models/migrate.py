"""Apply Alembic migrations programmatically (used by ``cmms db upgrade``, ``cmms up`` and tests)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


class MigrationIntegrityError(RuntimeError):
    """A migration left rows whose foreign keys point nowhere (SQLite ``PRAGMA foreign_key_check``)."""


def upgrade_database(engine: Engine, revision: str = "head") -> None:
    """Bring the schema at ``engine`` to ``revision``. Idempotent.

    On SQLite, foreign keys are switched off while migrating: a batch migration rebuilds a table
    (copy, ``DROP TABLE``, rename), and with them on, dropping ``users`` would cascade-delete every
    child row (sessions, notifications, saved searches) or be refused. ``foreign_key_check`` then runs
    before the commit and raises ``MigrationIntegrityError`` (nothing committed) if a row was orphaned."""
    config = alembic_config()
    if engine.dialect.name != "sqlite":
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
        return
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA foreign_keys=OFF")  # no-op inside a transaction: before BEGIN
        connection.commit()
        try:
            with connection.begin():
                config.attributes["connection"] = connection
                command.upgrade(config, revision)
                orphans = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if orphans:
                    raise MigrationIntegrityError(f"rows would point nowhere after migrating: {orphans[:5]}")
        finally:
            connection.exec_driver_sql("PRAGMA foreign_keys=ON")
            connection.commit()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def autogenerate(engine: Engine, message: str) -> None:
    """Developer helper: write a new revision from the difference between models and ``engine``."""
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.revision(config, message=message, autogenerate=True)
