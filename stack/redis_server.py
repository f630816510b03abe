"""Local redis-server (Debian package), run in the foreground by supervisord or daemonised for tests.

Persistence is on (append-only file, fsync every second) so queued jobs survive a restart; the
reconciler covers what is lost anyway (RQ holds only transient work, the database is the truth).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from stack.ports import port_open, wait_for


def redis_command(data_dir: Path, port: int, *, daemonize: bool = False) -> list[str]:
    binary = shutil.which("redis-server")
    if binary is None:
        raise RuntimeError("redis-server is not installed: run scripts/setup.sh (Debian package redis-server)")
    data_dir.mkdir(parents=True, exist_ok=True)
    command = [
        binary, "--bind", "127.0.0.1", "--port", str(port), "--dir", str(data_dir),
        "--appendonly", "yes", "--appendfsync", "everysec", "--save", "",
        "--protected-mode", "yes", "--logfile", str(data_dir / "redis.log" if daemonize else ""),
    ]
    if daemonize:
        command += ["--daemonize", "yes", "--pidfile", str(data_dir / "redis.pid")]
    return command


def start_daemon(data_dir: Path, port: int, timeout_s: float = 20) -> None:
    subprocess.run(redis_command(data_dir, port, daemonize=True), check=True)
    wait_for(lambda: port_open("127.0.0.1", port), timeout_s, f"redis-server on port {port}")


def stop_daemon(port: int) -> None:
    cli = shutil.which("redis-cli")
    if cli and port_open("127.0.0.1", port):
        subprocess.run([cli, "-p", str(port), "shutdown", "nosave"], check=False, capture_output=True)
