"""Migration 0015 on a database in use, on SQLite and PostgreSQL: collections that differ only in case
are kept, the later ones renamed "<name> (2)" and logged; then the database itself refuses a name
that differs from an existing one only in case (the race the form's check could not close)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import IntegrityError

from models import make_engine
from models.migrate import upgrade_database

BEFORE = "0014_fir_identity_one_form"
COLLECTIONS = [(1, "Bail in narcotics cases"), (2, "Hudood"), (3, "BAIL IN NARCOTICS CASES"),
               (4, "bail in narcotics cases (2)"), (5, "bail in Narcotics cases")]


def _upgrade_and_check(engine: Engine, caplog: pytest.LogCaptureFixture) -> None:
    upgrade_database(engine, BEFORE)
    with engine.begin() as db:
        for row_id, name in COLLECTIONS:
            db.execute(text("INSERT INTO case_law_collections (id, name, description, created_at)"
                            " VALUES (:i, :n, '', CURRENT_TIMESTAMP)"), {"i": row_id, "n": name})
    with caplog.at_level("WARNING", logger="cmms.migrations"):
        upgrade_database(engine)
    with engine.connect() as db:
        names = dict(db.execute(text("SELECT id, name FROM case_law_collections")).tuples().all())
    # the first of each group keeps its name; "(2)" is taken (in another case) by collection 4 itself
    assert names == {1: "Bail in narcotics cases", 2: "Hudood", 3: "BAIL IN NARCOTICS CASES (3)",
                     4: "bail in narcotics cases (2)", 5: "bail in Narcotics cases (4)"}
    warnings = [r.getMessage() for r in caplog.records if r.name == "cmms.migrations" and r.levelname == "WARNING"]
    assert len(warnings) == 2, warnings
    assert any("collection 3 'BAIL IN NARCOTICS CASES' renamed 'BAIL IN NARCOTICS CASES (3)'" in w
               and "collection 1" in w for w in warnings)
    with pytest.raises(IntegrityError), engine.begin() as db:
        db.execute(text("INSERT INTO case_law_collections (name, description, created_at)"
                        " VALUES ('HUDOOD', '', CURRENT_TIMESTAMP)"))


def test_migration_0015_on_sqlite(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'collections.sqlite3'}")
    _upgrade_and_check(engine, caplog)
    engine.dispose()


@pytest.mark.postgres
def test_migration_0015_on_postgresql(postgres_engine: Engine, caplog: pytest.LogCaptureFixture) -> None:
    _upgrade_and_check(postgres_engine, caplog)
