"""`cmms up` starts every component under supervisord, `cmms status` reports them healthy, the login
page answers, and `cmms down` leaves no process behind. Runs on its own ports and var folder, so a
development stack or the test services are left alone."""

from __future__ import annotations

import os
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.elasticsearch, pytest.mark.redis]

CMMS = Path(sys.executable).parent / "cmms"


def _run(args: list[str], env: dict[str, str], timeout: float) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(CMMS), *args], env=env, capture_output=True, text=True, timeout=timeout)


def _processes_mentioning(marker: str) -> list[str]:
    listing = subprocess.run(["ps", "-eo", "pid,args"], capture_output=True, text=True).stdout
    return [line for line in listing.splitlines() if marker in line and "pytest" not in line]


def test_up_status_login_page_and_down_leaves_nothing(tmp_path: Path) -> None:
    var_dir = tmp_path / "stack-var"
    env = {
        **os.environ,
        "CMMS_VAR_DIR": str(var_dir),
        "CMMS_ES_LOCAL_PORT": "9291", "CMMS_ES_URL": "http://127.0.0.1:9291", "CMMS_ES_LOCAL_HEAP_MB": "512",
        "CMMS_REDIS_LOCAL_PORT": "6392", "CMMS_REDIS_URL": "redis://127.0.0.1:6392/0",
        "CMMS_WEB_PORT": "8091", "CMMS_WORKERS": "1",
    }
    try:
        up = _run(["up", "--no-samples"], env, timeout=300)
        assert up.returncode == 0, up.stdout + up.stderr
        assert "http://127.0.0.1:8091/" in up.stdout and "login:    admin / " in up.stdout

        status = _run(["status"], env, timeout=60)
        assert status.returncode == 0, status.stdout + status.stderr
        for component in ("elastic  ok", "redis    ok", "database ok", "tesseract ok", "web      ok"):
            assert component in status.stdout
        process_lines = [line for line in status.stdout.splitlines() if line.startswith("process")]
        for program in ("elasticsearch", "redis", "web", "worker", "reconciler", "hotfolder", "reminders"):
            line = next(line for line in process_lines if line.split()[1].startswith(program))
            assert "RUNNING" in line, line

        with urllib.request.urlopen("http://127.0.0.1:8091/login", timeout=10) as response:
            assert response.status == 200
            assert b"password" in response.read().lower()

        again = _run(["up", "--no-samples"], env, timeout=120)  # idempotent second run
        assert again.returncode == 0, again.stdout + again.stderr
    finally:
        down = _run(["down"], env, timeout=180)
    assert down.returncode == 0, down.stdout + down.stderr
    assert _processes_mentioning(str(var_dir)) == []
    assert _processes_mentioning(":8091") == []
