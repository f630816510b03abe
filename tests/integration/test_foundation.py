"""Foundation: migrations on SQLite and PostgreSQL, a job through real Redis and a real worker."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import Engine, inspect, select

from models import District, Role, User, make_session_factory, session_scope
from models.migrate import current_revision, head_revision, upgrade_database

CORE_TABLES = {
    "users", "districts", "user_districts", "cases", "parties", "police_stations", "hearings",
    "documents", "pages", "entities", "batches", "stored_files", "audit_events", "case_law",
    "case_law_citations", "case_link_suggestions", "saved_searches",
}


def _assert_migrated(engine: Engine) -> None:
    assert current_revision(engine) == head_revision()
    assert set(inspect(engine).get_table_names()) >= CORE_TABLES
    factory = make_session_factory(engine)
    with session_scope(factory) as session:
        district = District(name="Peshawar")
        session.add(User(username="clerk1", password_hash="x", role=Role.DATA_ENTRY, districts=[district]))
    with session_scope(factory) as session:
        user = session.scalar(select(User).where(User.username == "clerk1"))
        assert user is not None and [d.name for d in user.districts] == ["Peshawar"]


def test_migrations_apply_on_sqlite_and_are_idempotent(engine: Engine) -> None:
    upgrade_database(engine)  # second application is a no-op
    _assert_migrated(engine)


@pytest.mark.postgres
def test_migrations_apply_on_postgresql(postgres_engine: Engine) -> None:
    upgrade_database(postgres_engine)
    upgrade_database(postgres_engine)
    _assert_migrated(postgres_engine)


@pytest.mark.redis
def test_job_runs_through_real_redis_and_worker_process(redis_conn) -> None:  # type: ignore[no-untyped-def]
    from rq import Queue
    from rq.serializers import JSONSerializer

    queue = Queue("foundation-test", connection=redis_conn, serializer=JSONSerializer)
    job = queue.enqueue("math.factorial", 10)
    worker = subprocess.run(
        [str(Path(sys.executable).parent / "rq"), "worker", "--burst", "--url",
         _url(redis_conn),
         "--serializer", "rq.serializers.JSONSerializer", "foundation-test"],
        capture_output=True, text=True, timeout=120,
    )
    assert worker.returncode == 0, worker.stderr
    deadline = time.monotonic() + 10
    while job.get_status(refresh=True) != "finished" and time.monotonic() < deadline:
        time.sleep(0.1)
    assert job.get_status() == "finished"
    assert job.return_value() == 3628800


def _url(redis_conn) -> str:  # type: ignore[no-untyped-def]
    kwargs = redis_conn.connection_pool.connection_kwargs
    return f"redis://{kwargs.get('host', '127.0.0.1')}:{kwargs.get('port', 6379)}/{kwargs.get('db', 0)}"
