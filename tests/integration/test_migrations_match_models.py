"""The migrations produce exactly the schema the models describe, on SQLite and PostgreSQL: a model
change without its migration (or the reverse) fails here, not in production."""

from __future__ import annotations

from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine

from models import Base
from models.migrate import upgrade_database


def _differences(engine: Engine) -> list[Any]:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return list(compare_metadata(context, Base.metadata))


def test_sqlite_schema_from_migrations_matches_the_models(engine: Engine) -> None:
    assert _differences(engine) == []


@pytest.mark.postgres
def test_postgresql_schema_from_migrations_matches_the_models(postgres_engine: Engine) -> None:
    upgrade_database(postgres_engine)
    assert _differences(postgres_engine) == []
