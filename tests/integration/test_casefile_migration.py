"""Migration 0005 on a database holding data of the previous schema: old stage values are mapped to
the lifecycle's stage ids and every party becomes a person (one person per CNIC); downgrade maps back."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, text

from models.migrate import upgrade_database


def _seed_old(engine: Engine) -> None:
    upgrade_database(engine, "0004_intake")
    with engine.begin() as db:
        db.execute(text("INSERT INTO districts (id, name, province) VALUES (1, 'Peshawar', 'KP')"))
        db.execute(text("INSERT INTO police_stations (id, name, district_id) VALUES (1, 'City', 1)"))
        for case_id, stage in ((1, "investigation"), (2, "trial"), (3, "challan_submitted"), (4, "appeal")):
            db.execute(text(
                "INSERT INTO cases (id, fir_number, fir_year, police_station_id, district_id, title, sections, stage,"
                " court, court_case_number, notes, created_at, updated_at) VALUES"
                " (:id, :n, 2023, 1, 1, '', '[]', :stage, '', '', '', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"),
                {"id": case_id, "n": str(case_id), "stage": stage})
        for party_id, case_id, name, cnic in ((1, 1, "Akbar Khan", "17301-1234567-1"),
                                              (2, 2, "AKBAR KHAAN", "1730112345671"),
                                              (3, 2, "Gul Zaman", ""), (4, 3, "Broken", "12-3")):
            db.execute(text("INSERT INTO parties (id, case_id, name, role, cnic) VALUES (:i, :c, :n, 'accused', :k)"),
                       {"i": party_id, "c": case_id, "n": name, "k": cnic})


def _check(engine: Engine) -> None:
    upgrade_database(engine)
    with engine.connect() as db:
        stages = dict(db.execute(text("SELECT id, stage FROM cases ORDER BY id")).all())
        assert stages == {1: "under_investigation", 2: "charge_framed", 3: "submitted_to_court",
                          4: "appeal_or_revision"}
        links = dict(db.execute(text("SELECT id, person_id FROM parties ORDER BY id")).all())
        assert links[1] == links[2] and len({links[1], links[3], links[4]}) == 3  # same CNIC -> one person
        persons = dict(db.execute(text("SELECT id, cnic FROM persons")).all())
        assert set(persons) == {links[1], links[3], links[4]}, (persons, links)
        assert persons[links[1]] == "17301-1234567-1" and persons[links[4]] is None  # malformed CNIC not copied


def test_migration_0005_on_sqlite(engine: Engine, tmp_path: pytest.TempPathFactory) -> None:
    from models import make_engine

    old = make_engine(f"sqlite:///{tmp_path}/old.sqlite3")  # type: ignore[operator]
    _seed_old(old)
    _check(old)
    old.dispose()


@pytest.mark.postgres
def test_migration_0005_on_postgresql(postgres_engine: Engine) -> None:
    _seed_old(postgres_engine)
    _check(postgres_engine)


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_downgrade_keeps_cases_and_parties(backend: str, tmp_path: pytest.TempPathFactory,
                                           request: pytest.FixtureRequest) -> None:
    from models import make_engine

    engine = make_engine(f"sqlite:///{tmp_path}/down.sqlite3") if backend == "sqlite" else (  # type: ignore[operator]
        request.getfixturevalue("postgres_engine"))
    _seed_old(engine)
    upgrade_database(engine)
    from alembic import command

    from models.migrate import alembic_config

    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0004_intake")
    with engine.connect() as db:
        assert db.execute(text("SELECT count(*) FROM parties")).scalar() == 4
        stages = dict(db.execute(text("SELECT id, stage FROM cases ORDER BY id")).all())
        assert stages == {1: "investigation", 2: "trial", 3: "challan_submitted", 4: "appeal"}
        tables = {"persons", "case_transitions", "case_deadlines"} & set(
            db.execute(text("SELECT name FROM sqlite_master WHERE type='table'")).scalars()
            if backend == "sqlite" else db.execute(text("SELECT tablename FROM pg_tables")).scalars())
        assert tables == set()
    if backend == "sqlite":
        engine.dispose()
