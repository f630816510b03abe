"""Shared fixtures. Services are real: a missing service FAILS the test that needs it, never skips.

The test command (``scripts/test.sh``) starts Elasticsearch, Redis and PostgreSQL first. Tests reach
them at these addresses (override with the environment variables named):
- Elasticsearch: CMMS_TEST_ES_URL, default http://127.0.0.1:9200 (every test run uses its own
  index prefix, so a running development stack is left alone);
- Redis: CMMS_TEST_REDIS_URL, default redis://127.0.0.1:6379/15 (database 15 is flushed by tests);
- PostgreSQL: CMMS_TEST_POSTGRES_URL, default postgresql+psycopg://cmms:cmms@127.0.0.1:5432/cmms_test.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session, sessionmaker

from config import Settings, shared_dir
from models import Base, make_engine, make_session_factory
from models.migrate import upgrade_database

CORPUS_DIR = shared_dir() / "corpus"

ES_URL = os.environ.get("CMMS_TEST_ES_URL", "http://127.0.0.1:9200")
REDIS_URL = os.environ.get("CMMS_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
POSTGRES_URL = os.environ.get(
    "CMMS_TEST_POSTGRES_URL", "postgresql+psycopg://cmms:cmms@127.0.0.1:5432/cmms_test"
)
# One prefix per test session: indices of parallel or earlier runs never collide.
RUN_PREFIX = f"cmmst{uuid.uuid4().hex[:8]}"


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    if not CORPUS_DIR.is_dir():
        pytest.fail(f"shared corpus not found at {CORPUS_DIR}; set CMMS_SHARED_DIR (default: ../shared beside "
                    "the repository)")
    return CORPUS_DIR


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Test settings: SQLite and file store in a temporary folder, real service URLs."""
    return Settings(
        environment="test",  # type: ignore[arg-type]
        var_dir=tmp_path / "var",
        es_url=ES_URL,
        es_index_prefix=f"{RUN_PREFIX}-{uuid.uuid4().hex[:6]}",
        redis_url=REDIS_URL,
        secret_key="test-secret-key-" + "x" * 32,
        _env_file=None,  # type: ignore[call-arg]
    )


@pytest.fixture
def engine(settings: Settings) -> Iterator[Engine]:
    """A migrated SQLite database (migrations, not create_all, so they are exercised every run)."""
    settings.var_dir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.sqlalchemy_url)
    upgrade_database(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def session_factory(engine: Engine) -> sessionmaker[Session]:
    return make_session_factory(engine)


@pytest.fixture
def session(session_factory: sessionmaker[Session]) -> Iterator[Session]:
    with session_factory() as session:
        yield session


@pytest.fixture
def es(settings: Settings) -> Iterator[object]:
    """Official client on the real node; deletes this test's indices afterwards."""
    from elasticsearch import Elasticsearch

    client = Elasticsearch(ES_URL, request_timeout=30)
    try:
        client.cluster.health(wait_for_status="yellow", timeout="20s")
    except Exception as exc:
        pytest.fail(f"Elasticsearch is not reachable at {ES_URL}: {exc}. Start it with scripts/test.sh.")
    yield client
    client.options(ignore_status=404).indices.delete(index=f"{settings.es_index_prefix}*")
    client.close()


@pytest.fixture
def redis_conn() -> Iterator[object]:
    from redis import Redis

    conn = Redis.from_url(REDIS_URL)
    try:
        conn.ping()
    except Exception as exc:
        pytest.fail(f"Redis is not reachable at {REDIS_URL}: {exc}. Start it with scripts/test.sh.")
    conn.flushdb()
    yield conn
    conn.flushdb()
    conn.close()


@pytest.fixture
def postgres_engine() -> Iterator[Engine]:
    """An empty PostgreSQL database (all tables dropped before and after)."""
    engine = make_engine(POSTGRES_URL)
    try:
        with engine.connect() as connection:
            connection.execute(text("select 1"))
    except Exception as exc:
        pytest.fail(f"PostgreSQL is not reachable at {POSTGRES_URL}: {exc}. Start it with scripts/test.sh.")
    _drop_everything(engine)
    yield engine
    _drop_everything(engine)
    engine.dispose()


def _drop_everything(engine: Engine) -> None:
    Base.metadata.drop_all(engine)
    with engine.begin() as connection:
        connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
