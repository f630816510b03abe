"""Runs the local CMMS processes under supervisord (an existing process manager, not our own).

``cmms up`` renders ``VAR_DIR/run/supervisord.conf`` from the settings and starts supervisord;
``cmms down`` asks it to stop every program and waits until it has exited, so nothing is left behind.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from config import Settings
from stack import elasticsearch as es_node
from stack.redis_server import redis_command

BIN_DIR = Path(sys.executable).parent
REPO_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Program:
    name: str
    command: list[str]
    numprocs: int = 1
    stop_wait_s: int = 30
    start_secs: int = 3


@dataclass(frozen=True)
class SupervisorPaths:
    run_dir: Path
    log_dir: Path

    @classmethod
    def for_settings(cls, settings: Settings) -> SupervisorPaths:
        return cls(run_dir=settings.var_dir / "run", log_dir=settings.var_dir / "log")

    @property
    def config(self) -> Path:
        return self.run_dir / "supervisord.conf"

    @property
    def socket(self) -> Path:
        return self.run_dir / "supervisor.sock"

    @property
    def pidfile(self) -> Path:
        return self.run_dir / "supervisord.pid"


def programs(settings: Settings) -> list[Program]:
    cmms = str(BIN_DIR / "cmms")
    return [
        Program("elasticsearch", [str(BIN_DIR / "python"), "-m", "stack.elasticsearch", "run",
                                  "--home", str(settings.var_dir / "es"), "--port", str(settings.es_local_port),
                                  "--heap-mb", str(settings.es_local_heap_mb)], stop_wait_s=60, start_secs=5),
        Program("redis", redis_command(settings.var_dir / "redis", settings.redis_local_port)),
        Program("web", [str(BIN_DIR / "gunicorn"), "--bind", f"{settings.web_host}:{settings.web_port}",
                        "--workers", str(settings.web_workers), "--access-logfile", "-",
                        # gunicorn's largest request line (default 4094 bytes): a search box's longest
                        # query in Urdu (6 bytes a letter in the URL) is answered by the app's own
                        # "too long" message instead of a bare 414 page
                        "--limit-request-line", "8190",
                        "search_app.wsgi:app"]),
        Program("worker", [cmms, "worker"], numprocs=settings.workers),
        Program("reconciler", [cmms, "reconcile", "--every", str(settings.reconcile_interval_s)]),
        Program("hotfolder", [cmms, "hotfolder"]),
        Program("reminders", [cmms, "reminders", "--every", str(settings.reminder_interval_s)]),
        Program("page-vectors", [cmms, "page-vectors", "--every", str(settings.page_vectors_interval_s)]),
    ]


def render_config(settings: Settings, paths: SupervisorPaths) -> str:
    lines = [
        "[unix_http_server]", f"file={paths.socket}", "chmod=0700", "",
        "[supervisord]", f"logfile={paths.log_dir / 'supervisord.log'}", f"pidfile={paths.pidfile}",
        f"directory={REPO_ROOT}", "nodaemon=false", "minfds=4096", "",
        "[rpcinterface:supervisor]",
        "supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface", "",
        "[supervisorctl]", f"serverurl=unix://{paths.socket}", "",
    ]
    for program in programs(settings):
        process_name = "%(program_name)s-%(process_num)d" if program.numprocs > 1 else "%(program_name)s"
        lines += [
            f"[program:{program.name}]",
            f"command={shlex.join(program.command)}",
            f"process_name={process_name}",
            f"numprocs={program.numprocs}",
            f"directory={REPO_ROOT}",
            "autostart=true", "autorestart=true", f"startsecs={program.start_secs}",
            f"stopwaitsecs={program.stop_wait_s}", "stopasgroup=true", "killasgroup=true",
            f"stdout_logfile={paths.log_dir / _log_name(program)}",
            "redirect_stderr=true", "stdout_logfile_maxbytes=20MB", "stdout_logfile_backups=3", "",
        ]
    return "\n".join(lines)


def _log_name(program: Program) -> str:
    return f"{program.name}%(process_num)d.log" if program.numprocs > 1 else f"{program.name}.log"


def _ctl(paths: SupervisorPaths, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(BIN_DIR / "supervisorctl"), "-c", str(paths.config), *args],
                          capture_output=True, text=True, check=False)


def supervisord_pid(paths: SupervisorPaths) -> int | None:
    try:
        pid = int(paths.pidfile.read_text().strip())
    except (OSError, ValueError):
        return None
    try:
        os.kill(pid, 0)
    except OSError:
        return None
    return pid


def start(settings: Settings) -> None:
    """Write the config and start supervisord, or apply a changed config to a running one."""
    paths = SupervisorPaths.for_settings(settings)
    paths.run_dir.mkdir(parents=True, exist_ok=True)
    paths.log_dir.mkdir(parents=True, exist_ok=True)
    # Build the Elasticsearch launcher outside supervisord, so a first Maven build is not
    # mistaken for a crashing program.
    es_node.ensure_built(REPO_ROOT)
    paths.config.write_text(render_config(settings, paths))
    env = {**os.environ, "OMP_THREAD_LIMIT": "1", "PYTHONUNBUFFERED": "1"}
    if supervisord_pid(paths) is None:
        subprocess.run([str(BIN_DIR / "supervisord"), "-c", str(paths.config)], check=True, env=env)
    else:
        _ctl(paths, "update")
        _ctl(paths, "start", "all")


def status_lines(settings: Settings) -> list[str]:
    paths = SupervisorPaths.for_settings(settings)
    if supervisord_pid(paths) is None:
        return []
    return [line for line in _ctl(paths, "status").stdout.splitlines() if line.strip()]


def stop(settings: Settings, timeout_s: float = 120) -> bool:
    """Stop every program and supervisord itself; True once no supervisord is left."""
    paths = SupervisorPaths.for_settings(settings)
    pid = supervisord_pid(paths)
    if pid is None:
        return True
    _ctl(paths, "stop", "all")
    _ctl(paths, "shutdown")
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if supervisord_pid(paths) is None:
            return True
        time.sleep(0.5)
    return False
