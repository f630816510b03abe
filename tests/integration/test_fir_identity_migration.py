"""Migration 0014 on a database in use, on SQLite (production pragmas, foreign keys on) and PostgreSQL:
FIR and court case numbers saved in Urdu digits and a station saved as "تھانہ صدر" are rewritten in
the form the case form stores; two cases that would become one FIR, and two stations of a district that
would have one name, are left exactly as stored and logged at WARNING with their ids; ``cmms db
collisions`` lists what is left. Downgrade leaves the rewritten values."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from click.testing import CliRunner
from sqlalchemy import Engine, text

from models import make_engine
from models.migrate import alembic_config, upgrade_database

BEFORE = "0013_audit_event_signature"
AFTER = "0014_fir_identity_one_form"

STATIONS = [  # id, district, name as saved
    (1, 1, "تھانہ صدر"),   # rewritten: صدر
    (2, 1, "Gulbahar"),
    (3, 1, "PS Gulbahar"),  # collides with 2: left
    (4, 2, "P.S. Kabal"),   # rewritten: Kabal
]
CASES = [  # id, FIR number, year, station, court case number
    (1, "۴۵۶", 2023, 1, "۱۲/۲۰۲۳"),  # rewritten
    (2, "٣٠٢/A", 2024, 4, ""),       # rewritten (Arabic-Indic digits)
    (3, "۷۸۹", 2023, 2, "۳۳"),       # collides with 4: left, its court case number too
    (4, "789", 2023, 2, "33"),
    (5, "۷۸۹", 2024, 2, ""),          # another year: rewritten
    (6, "101", 2023, 3, "9"),         # already in one form
]


def _seed(engine: Engine) -> None:
    upgrade_database(engine, BEFORE)
    with engine.begin() as db:
        db.execute(text("INSERT INTO districts (id, name, province) VALUES (1, 'Peshawar', 'KP'), (2, 'Swat', 'KP')"))
        for station in STATIONS:
            db.execute(text("INSERT INTO police_stations (id, district_id, name) VALUES (:i, :d, :n)"),
                       dict(zip("idn", station, strict=True)))
        for case_id, fir, year, station, number in CASES:
            db.execute(text(
                "INSERT INTO cases (id, fir_number, fir_year, police_station_id, district_id, title, sections, stage,"
                " court, court_case_number, notes, sealed, sealed_reason, created_at, updated_at) VALUES"
                " (:id, :fir, :year, :station, 1, '', '[]', 'fir_registered', '', :number, '', :no, '',"
                " CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"),
                {"id": case_id, "fir": fir, "year": year, "station": station, "number": number, "no": False})


def _upgrade_and_check(engine: Engine, caplog: pytest.LogCaptureFixture) -> None:
    _seed(engine)
    with caplog.at_level("WARNING", logger="cmms.migrations"):
        upgrade_database(engine)
    with engine.connect() as db:
        stations = dict(db.execute(text("SELECT id, name FROM police_stations")).tuples().all())
        cases = {row[0]: row[1:] for row in db.execute(text(
            "SELECT id, fir_number, court_case_number FROM cases")).tuples()}
    assert stations == {1: "صدر", 2: "Gulbahar", 3: "PS Gulbahar", 4: "Kabal"}
    assert cases == {1: ("456", "12/2023"), 2: ("302/A", ""), 3: ("۷۸۹", "۳۳"), 4: ("789", "33"),
                     5: ("789", ""), 6: ("101", "9")}
    warnings = [r.getMessage() for r in caplog.records if r.name == "cmms.migrations" and r.levelname == "WARNING"]
    assert len(warnings) == 2, warnings
    assert any("police_station 2 'Gulbahar', 3 'PS Gulbahar' -> 'Gulbahar' (district 1)" in w for w in warnings)
    assert any("case 3 '۷۸۹', 4 '789' -> '789' (FIR year 2023, police station 2)" in w for w in warnings)


def test_migration_0014_on_sqlite(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'in-use.sqlite3'}")
    _upgrade_and_check(engine, caplog)
    with engine.connect() as db:
        assert db.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    engine.dispose()


@pytest.mark.postgres
def test_migration_0014_on_postgresql(postgres_engine: Engine, caplog: pytest.LogCaptureFixture) -> None:
    _upgrade_and_check(postgres_engine, caplog)


def test_downgrade_keeps_the_rewritten_values(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'down.sqlite3'}")
    _upgrade_and_check(engine, caplog)
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, BEFORE)
    with engine.connect() as db:
        assert db.scalar(text("SELECT fir_number FROM cases WHERE id = 1")) == "456"
        assert db.scalar(text("SELECT version_num FROM alembic_version")) == BEFORE
    engine.dispose()


def test_cmms_db_collisions_lists_the_rows_left(tmp_path: Path, caplog: pytest.LogCaptureFixture,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from cli.main import cli
    from config.settings import get_settings

    database = tmp_path / "cli.sqlite3"
    engine = make_engine(f"sqlite:///{database}")
    _upgrade_and_check(engine, caplog)
    monkeypatch.setenv("CMMS_DATABASE_URL", f"sqlite:///{database}")
    monkeypatch.setenv("CMMS_VAR_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("CMMS_SECRET_KEY", "test-secret-key-" + "x" * 32)
    get_settings.cache_clear()
    try:
        listed = CliRunner().invoke(cli, ["db", "collisions"])
        assert listed.exit_code == 1, listed.output
        assert "police_station 2 'Gulbahar', 3 'PS Gulbahar'" in listed.output
        assert "case 3 '۷۸۹', 4 '789'" in listed.output and "2 collision(s)" in listed.output
        with engine.begin() as db:  # the administrator corrects the duplicate station and FIR
            db.execute(text("UPDATE cases SET police_station_id = 2 WHERE police_station_id = 3"))
            db.execute(text("DELETE FROM police_stations WHERE id = 3"))
            db.execute(text("UPDATE cases SET fir_number = '790' WHERE id = 3"))
        clean = CliRunner().invoke(cli, ["db", "collisions"])
        assert clean.exit_code == 0 and "no collisions" in clean.output, clean.output
    finally:
        get_settings.cache_clear()
        engine.dispose()
