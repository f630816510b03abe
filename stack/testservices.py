"""Start the real services the test suite needs, and stop afterwards only what this started.

``python -m stack.testservices up`` / ``down``. A service already answering on its port (for
example a running ``cmms up`` stack) is used as it is and left running.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from stack import elasticsearch as es_node
from stack import postgres, redis_server
from stack.ports import port_open

REPO_ROOT = Path(__file__).resolve().parent.parent
STATE_FILE = REPO_ROOT / "var" / "test-services.json"
ES_PORT, REDIS_PORT = 9200, 6379


def up() -> None:
    started: list[str] = []
    if not port_open("127.0.0.1", ES_PORT):
        es_node.ensure_built(REPO_ROOT)
        es_node.start_background(REPO_ROOT / "var" / "es-test", ES_PORT, 1024)
        started.append("elasticsearch")
    if not port_open("127.0.0.1", REDIS_PORT):
        redis_server.start_daemon(REPO_ROOT / "var" / "redis-test", REDIS_PORT)
        started.append("redis")
    postgres.ensure_running()
    es_node.wait_until_healthy(f"http://127.0.0.1:{ES_PORT}", timeout_s=180)
    STATE_FILE.parent.mkdir(parents=True, exist_ok=True)
    STATE_FILE.write_text(json.dumps(started))
    print(f"test services ready (started here: {', '.join(started) or 'none'}; PostgreSQL ensured)")


def down() -> None:
    started = json.loads(STATE_FILE.read_text()) if STATE_FILE.exists() else []
    if "elasticsearch" in started:
        es_node.stop(REPO_ROOT / "var" / "es-test")
    if "redis" in started:
        redis_server.stop_daemon(REDIS_PORT)
    STATE_FILE.unlink(missing_ok=True)


if __name__ == "__main__":
    {"up": up, "down": down}[sys.argv[1]]()
