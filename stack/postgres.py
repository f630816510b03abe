"""PostgreSQL for the test suite (and optional local use): Debian's cluster, a role and a database.

Production points CMMS_DATABASE_URL at its own server; this module only prepares a local one.
"""

from __future__ import annotations

import glob
import shutil
import subprocess

from stack.ports import port_open, wait_for

ROLE = "cmms"
PASSWORD = "cmms"  # noqa: S105 - local test cluster on loopback only
DATABASES = ("cmms", "cmms_test", "cmms_bench_monitoring")  # the last: bench.monitoring_dashboards


def _as_postgres(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["runuser", "-u", "postgres", "--", *args], check=True, capture_output=True, text=True)


def _psql(sql: str, database: str = "postgres") -> str:
    return _as_postgres("psql", "-X", "-q", "-t", "-A", "-d", database, "-c", sql).stdout.strip()


def ensure_running(port: int = 5432, timeout_s: float = 60) -> None:
    """Start the Debian cluster if it is down, then make sure the role and databases exist."""
    if not port_open("127.0.0.1", port):
        clusters = sorted(glob.glob("/etc/postgresql/*/main"))
        if not clusters or shutil.which("pg_ctlcluster") is None:
            raise RuntimeError("PostgreSQL is not installed: run scripts/setup.sh (Debian package postgresql)")
        version = clusters[-1].split("/")[3]
        subprocess.run(["pg_ctlcluster", version, "main", "start"], check=True)
        wait_for(lambda: port_open("127.0.0.1", port), timeout_s, f"PostgreSQL on port {port}")
    # Only module constants are interpolated below, never outside input.
    if _psql(f"SELECT 1 FROM pg_roles WHERE rolname = '{ROLE}'") != "1":  # noqa: S608
        _psql(f"CREATE ROLE {ROLE} LOGIN PASSWORD '{PASSWORD}'")
    for database in DATABASES:
        if _psql(f"SELECT 1 FROM pg_database WHERE datname = '{database}'") != "1":  # noqa: S608
            _as_postgres("createdb", "-O", ROLE, database)


def url(database: str = "cmms_test", port: int = 5432) -> str:
    return f"postgresql+psycopg://{ROLE}:{PASSWORD}@127.0.0.1:{port}/{database}"
