"""A live CMMS for browser journeys (fixtures re-exported by conftest.py): the real app served
by werkzeug on 127.0.0.1:<free port>, a real
worker process (``cmms worker``) on Redis database 15 and the real Elasticsearch node, a migrated
SQLite database and file store in a temporary var folder, and Debian's Chromium driven by Playwright.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker

from config import Settings
from models import District, Role, User, make_engine, make_session_factory
from models.migrate import upgrade_database
from tests.mfa_support import fresh_code_from

REPO_ROOT = Path(__file__).resolve().parents[2]
ES_URL = os.environ.get("CMMS_TEST_ES_URL", "http://127.0.0.1:9200")
REDIS_URL = os.environ.get("CMMS_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic"]
PASSWORD = "correct horse battery staple 42"
SCREENSHOT_DIR = REPO_ROOT / "var" / "browser"


@dataclass
class LiveStack:
    url: str
    settings: Settings
    factory: sessionmaker[Session]
    worker_log: Path

    def worker_output(self) -> str:
        return self.worker_log.read_text(errors="replace")[-3000:]


def _users(factory: sessionmaker[Session]) -> None:
    from search_app.auth.passwords import hash_password

    with factory() as db:
        peshawar, mardan = District(name="Peshawar"), District(name="Mardan")
        hashed = hash_password(PASSWORD)
        db.add_all([
            User(username="clerk", full_name="Clerk", password_hash=hashed, role=Role.DATA_ENTRY,
                 districts=[peshawar]),
            User(username="pros_peshawar", full_name="Prosecutor Peshawar", password_hash=hashed,
                 role=Role.PROSECUTOR, districts=[peshawar]),
            User(username="pros_mardan", full_name="Prosecutor Mardan", password_hash=hashed,
                 role=Role.PROSECUTOR, districts=[mardan]),
        ])
        db.commit()


def _env(settings: Settings) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CMMS_")}
    env.update({
        "CMMS_ENVIRONMENT": "test", "CMMS_VAR_DIR": str(settings.var_dir), "CMMS_ES_URL": settings.es_url,
        "CMMS_ES_INDEX_PREFIX": settings.es_index_prefix, "CMMS_REDIS_URL": settings.redis_url,
        "CMMS_SECRET_KEY": settings.secret_key, "OMP_THREAD_LIMIT": "1",
    })
    return env


def _check_services() -> None:
    from elasticsearch import Elasticsearch
    from redis import Redis

    try:
        Elasticsearch(ES_URL, request_timeout=10).cluster.health(wait_for_status="yellow", timeout="10s")
    except Exception as exc:  # any failure means the service is unusable
        pytest.fail(f"Elasticsearch is not reachable at {ES_URL}: {exc}")
    try:
        Redis.from_url(REDIS_URL).flushdb()
    except Exception as exc:
        pytest.fail(f"Redis is not reachable at {REDIS_URL}: {exc}")
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing (apt-get install chromium)")


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveStack]:
    from werkzeug.serving import make_server

    from search_app import create_app

    _check_services()
    var = tmp_path_factory.mktemp("journey") / "var"
    var.mkdir()
    settings = Settings(
        environment="test",
        var_dir=var, es_url=ES_URL, es_index_prefix=f"cmmsb{uuid.uuid4().hex[:8]}", redis_url=REDIS_URL,
        secret_key="browser-journey-secret-" + "x" * 32, _env_file=None,
    )
    engine = make_engine(settings.sqlalchemy_url)
    upgrade_database(engine)
    factory = make_session_factory(engine)
    _users(factory)
    worker_log = var / "worker.log"
    with worker_log.open("wb") as log:
        worker = subprocess.Popen([str(Path(sys.executable).parent / "cmms"), "worker"], env=_env(settings),
                                  stdout=log, stderr=subprocess.STDOUT, cwd=var)
    server = make_server("127.0.0.1", 0, create_app(settings), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield LiveStack(f"http://127.0.0.1:{server.server_port}", settings, factory, worker_log)
    finally:
        server.shutdown()
        worker.terminate()
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
        from elasticsearch import Elasticsearch

        Elasticsearch(ES_URL).options(ignore_status=404).indices.delete(index=f"{settings.es_index_prefix}*")
        engine.dispose()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def log_in(browser: Any, live: LiveStack, username: str) -> Any:
    """A fresh browser context (own cookies) logged in as ``username``; returns its page."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.goto(f"{live.url}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    if page.url.split("?")[0].endswith("/login/mfa"):  # supervisors and administrators: the one-time code
        page.fill("#mfa-code", fresh_code_from(live.factory, username))
        page.click("#mfa-submit")
        page.wait_for_load_state()
    assert "/login" not in page.url, page.content()[:1000]
    return page
