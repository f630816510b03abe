"""Local single-node Elasticsearch 8.19, assembled from the jars Elastic publishes to Maven Central.

The Java launcher lives in ``esnode/`` (a Maven project: our own ``Node`` subclass, the Netty HTTP
transport and a project-written plugin with the analysis components and the ``GET /`` endpoint). This
module builds it when its sources change, and starts, checks and stops the JVM.

Two ways to run it:
- under a process manager: ``python -m stack.elasticsearch run --home var/es --port 9200`` builds if
  needed, then *replaces itself* with the JVM (``os.execvp``), so supervisord signals Java directly;
- in the background (tests, scripts): ``start_background`` / ``wait_until_healthy`` / ``stop``.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from stack.ports import port_open

REPO_ROOT = Path(__file__).resolve().parent.parent
MAIN_CLASS = "pk.gov.cmms.esnode.Launcher"
PIDFILE_NAME = "elasticsearch.pid"
LOGFILE_NAME = "elasticsearch.log"
DEFAULT_HEAP_MB = 1024
# Netty/log4j settings a stock distribution sets in jvm.options; the Netty processor count is
# set-once per JVM, and COMPAT locale data keeps week-based date formats as ES 8 expects on JDK 17.
JVM_FLAGS: tuple[str, ...] = (
    "-XX:+UseG1GC",
    "-XX:+ExitOnOutOfMemoryError",
    "-Des.set.netty.runtime.available.processors=false",
    "-Dlog4j2.disable.jmx=true",
    "-Dlog4j.shutdownHookEnabled=false",
    "-Dio.netty.noUnsafe=true",
    "-Dio.netty.noKeySetOptimization=true",
    "-Dio.netty.recycler.maxCapacityPerThread=0",
    "-Dfile.encoding=UTF-8",
    "-Djava.locale.providers=SPI,COMPAT",
    "-Djava.awt.headless=true",
)


class ElasticsearchNodeError(Exception):
    """A local node could not be built, started, checked or stopped. ``remedy`` says what to do."""

    code = "es_node"

    def __init__(self, message: str, remedy: str) -> None:
        super().__init__(f"{message}\nWhat to do: {remedy}")
        self.message = message
        self.remedy = remedy


class BuildError(ElasticsearchNodeError):
    code = "es_node_build"


class NodeStartError(ElasticsearchNodeError):
    code = "es_node_start"


class NodeStopError(ElasticsearchNodeError):
    code = "es_node_stop"


@dataclass(frozen=True)
class HealthInfo:
    """The parts of ``GET /_cluster/health`` callers act on, plus how long the wait took."""

    cluster_name: str
    status: str
    number_of_nodes: int
    active_shards: int
    unassigned_shards: int
    waited_s: float


@dataclass(frozen=True)
class NodeStatus:
    pid: int | None
    running: bool
    pidfile: Path


@dataclass(frozen=True)
class BuildResult:
    target_dir: Path
    built: bool
    seconds: float


# ---------------------------------------------------------------------------------------------- build


def source_fingerprint(esnode_dir: Path) -> str:
    """SHA-256 over pom.xml and every Java source (path and content): the build stamp."""
    digest = hashlib.sha256()
    files = [esnode_dir / "pom.xml", *sorted((esnode_dir / "src").rglob("*.java"))]
    for path in files:
        digest.update(path.relative_to(esnode_dir).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def _is_built(target: Path, fingerprint: str) -> bool:
    stamp = target / "build.stamp"
    return (
        stamp.is_file()
        and stamp.read_text().strip() == fingerprint
        and (target / "esnode.jar").is_file()
        and any((target / "lib").glob("elasticsearch-8.*.jar"))
    )


def build(repo_root: Path = REPO_ROOT, mvn: str = "mvn") -> BuildResult:
    """Build esnode/ with Maven unless the stamp shows the same pom and sources were built already."""
    started = time.monotonic()
    esnode = repo_root / "esnode"
    if not (esnode / "pom.xml").is_file():
        raise BuildError(f"{esnode / 'pom.xml'} not found", "run from a complete CMMS checkout")
    target = esnode / "target"
    fingerprint = source_fingerprint(esnode)
    if _is_built(target, fingerprint):
        return BuildResult(target, built=False, seconds=time.monotonic() - started)
    command = [mvn, "-B", "-q", "clean", "package", "dependency:copy-dependencies"]
    try:
        result = subprocess.run(command, cwd=esnode, capture_output=True, text=True, check=False)
    except FileNotFoundError as exc:
        raise BuildError("Maven is not installed", "install Debian packages maven, openjdk-17") from exc
    if result.returncode != 0:
        tail = "\n".join((result.stdout + result.stderr).splitlines()[-30:])
        raise BuildError(
            f"Maven build of {esnode} failed (exit {result.returncode}):\n{tail}",
            "check that Maven Central is reachable and that the Java sources compile",
        )
    (target / "build.stamp").write_text(fingerprint + "\n")
    return BuildResult(target, built=True, seconds=time.monotonic() - started)


def ensure_built(repo_root: Path = REPO_ROOT) -> Path:
    """Build the launcher if its pom or sources changed; return the classpath dir (esnode/target)."""
    return build(repo_root).target_dir


# -------------------------------------------------------------------------------------------- command


def java_command(
    home: Path, port: int, heap_mb: int = DEFAULT_HEAP_MB, *, repo_root: Path = REPO_ROOT, java: str = "java"
) -> list[str]:
    """The foreground command line of the node (the classpath must have been built)."""
    target = repo_root / "esnode" / "target"
    classpath = os.pathsep.join([str(target / "esnode.jar"), str(target / "lib" / "*")])
    initial_heap_mb = min(512, heap_mb)
    return [
        java,
        f"-Xms{initial_heap_mb}m",
        f"-Xmx{heap_mb}m",
        *JVM_FLAGS,
        f"-Djava.io.tmpdir={home.resolve() / 'tmp'}",
        "-cp",
        classpath,
        MAIN_CLASS,
        "--home",
        str(home.resolve()),
        "--http-port",
        str(port),
    ]


def _prepare_home(home: Path) -> None:
    for sub in ("data", "logs", "config", "tmp"):
        (home / sub).mkdir(parents=True, exist_ok=True)


def run_foreground(
    home: Path, port: int, heap_mb: int = DEFAULT_HEAP_MB, repo_root: Path = REPO_ROOT
) -> None:
    """Build if needed, then replace this process with the JVM (for supervisord). Does not return."""
    ensure_built(repo_root)
    _prepare_home(home)
    command = java_command(home, port, heap_mb, repo_root=repo_root)
    sys.stdout.flush()
    sys.stderr.flush()
    os.execvp(command[0], command)  # noqa: S606 - the fixed java command line, no shell involved


# ------------------------------------------------------------------------------------ process control


def pidfile_path(home: Path) -> Path:
    return home / PIDFILE_NAME


def log_path(home: Path) -> Path:
    return home / "logs" / LOGFILE_NAME


def _read_pid(home: Path) -> int | None:
    try:
        return int(pidfile_path(home).read_text().strip())
    except (OSError, ValueError):
        return None


def _is_our_node(pid: int) -> bool:
    """True if ``pid`` is alive and is this launcher (guards against a recycled pid)."""
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # reap it if it is our exited child
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    command_name = stat[stat.find("(") + 1 : stat.rfind(")")]
    state = stat[stat.rfind(")") + 2 :][:1]
    if state == "Z":
        return False
    # Right after exec the kernel may show an empty cmdline for a moment; the name is already java.
    return MAIN_CLASS.encode() in cmdline or (cmdline == b"" and command_name == "java")


def status(home: Path) -> NodeStatus:
    pid = _read_pid(home)
    return NodeStatus(pid=pid, running=pid is not None and _is_our_node(pid), pidfile=pidfile_path(home))


def start_background(
    home: Path, port: int, heap_mb: int = DEFAULT_HEAP_MB, repo_root: Path = REPO_ROOT
) -> int:
    """Start the node detached (own session), logging to ``home/logs/elasticsearch.log``; return its pid.

    Returns at once; call :func:`wait_until_healthy` before using it.
    """
    ensure_built(repo_root)
    current = status(home)
    if current.running:
        raise NodeStartError(
            f"a node from {home} is already running (pid {current.pid})",
            f"stop it first: python -m stack.elasticsearch stop --home {home}",
        )
    if port_open("127.0.0.1", port):
        raise NodeStartError(
            f"port {port} on 127.0.0.1 is already in use",
            "stop whatever listens there or choose another --port",
        )
    _prepare_home(home)
    log = log_path(home)
    with log.open("ab") as log_file:
        process = subprocess.Popen(
            java_command(home, port, heap_mb, repo_root=repo_root),
            stdin=subprocess.DEVNULL,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # not killed with the caller's terminal or process group
        )
    pidfile_path(home).write_text(f"{process.pid}\n")
    return process.pid


def _wait_gone(pid: int, timeout_s: float) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if not _is_our_node(pid):
            return True
        time.sleep(0.2)
    return not _is_our_node(pid)


def stop(home: Path, timeout_s: float = 30) -> bool:
    """SIGTERM the node started from ``home``, SIGKILL after ``timeout_s``; True if one was stopped."""
    pid = _read_pid(home)
    if pid is None or not _is_our_node(pid):
        pidfile_path(home).unlink(missing_ok=True)
        return False
    os.kill(pid, signal.SIGTERM)
    if not _wait_gone(pid, timeout_s):
        os.kill(pid, signal.SIGKILL)
        if not _wait_gone(pid, 10):
            raise NodeStopError(f"node pid {pid} survived SIGKILL", "check it with ps (stuck in I/O?)")
    pidfile_path(home).unlink(missing_ok=True)
    return True


# ----------------------------------------------------------------------------------------------- health


def _fetch_health(url: str) -> dict[str, object] | None:
    try:
        with urllib.request.urlopen(f"{url.rstrip('/')}/_cluster/health", timeout=2) as response:  # noqa: S310
            body: dict[str, object] = json.loads(response.read())
            return body
    except (urllib.error.URLError, OSError, ValueError):
        return None


def _log_tail(log_file: Path | None, lines: int = 25) -> str:
    if log_file is None or not log_file.is_file():
        return "(no log file)"
    return "\n".join(log_file.read_text(errors="replace").splitlines()[-lines:])


def wait_until_healthy(
    url: str,
    timeout_s: float = 120,
    *,
    log_file: Path | None = None,
    pid: int | None = None,
    accept: Sequence[str] = ("green", "yellow"),
) -> HealthInfo:
    """Poll ``_cluster/health`` until its status is in ``accept``; raise NodeStartError with the log tail.

    Give ``pid`` to fail at once if the JVM exits during start-up instead of waiting out the timeout.
    """
    started = time.monotonic()
    while True:
        body = _fetch_health(url)
        if body is not None and body.get("status") in accept:
            return HealthInfo(
                cluster_name=str(body.get("cluster_name", "")),
                status=str(body["status"]),
                number_of_nodes=int(str(body.get("number_of_nodes", 0))),
                active_shards=int(str(body.get("active_shards", 0))),
                unassigned_shards=int(str(body.get("unassigned_shards", 0))),
                waited_s=time.monotonic() - started,
            )
        if pid is not None and not _is_our_node(pid):
            raise NodeStartError(
                f"Elasticsearch (pid {pid}) exited during start-up. Last log lines:\n{_log_tail(log_file)}",
                "read the log above; a busy port or a locked data directory are the usual causes",
            )
        if time.monotonic() - started > timeout_s:
            last = body.get("status") if body else "no answer"
            raise NodeStartError(
                f"Elasticsearch at {url} not healthy after {timeout_s:.0f} s (last status: {last}). "
                f"Last log lines:\n{_log_tail(log_file)}",
                "check the log, the heap size and free memory; then start it again",
            )
        time.sleep(0.25)


# -------------------------------------------------------------------------------------------------- CLI


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m stack.elasticsearch", description="Local ES node")
    sub = parser.add_subparsers(dest="action", required=True)
    for action in ("start", "stop", "status", "run", "build"):
        cmd = sub.add_parser(action)
        cmd.add_argument("--home", type=Path, default=REPO_ROOT / "var" / "es")
        cmd.add_argument("--port", type=int, default=9200)
        cmd.add_argument("--heap-mb", type=int, default=DEFAULT_HEAP_MB)
        cmd.add_argument("--timeout", type=float, default=120)
    return parser


def _dispatch(args: argparse.Namespace) -> int:
    home: Path = args.home
    if args.action == "build":
        result = build()
        outcome = "built" if result.built else "up to date"
        print(f"esnode {outcome} in {result.seconds:.1f} s: {result.target_dir}")
    elif args.action == "run":
        run_foreground(home, args.port, args.heap_mb)
    elif args.action == "start":
        pid = start_background(home, args.port, args.heap_mb)
        url = f"http://127.0.0.1:{args.port}"
        health = wait_until_healthy(url, args.timeout, log_file=log_path(home), pid=pid)
        print(f"elasticsearch pid {pid} at {url}: {health.status} after {health.waited_s:.1f} s")
    elif args.action == "stop":
        print("stopped" if stop(home, args.timeout) else "not running")
    else:
        state = status(home)
        print(f"running (pid {state.pid})" if state.running else "not running")
        return 0 if state.running else 3
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return _dispatch(args)
    except ElasticsearchNodeError as exc:
        print(f"error [{exc.code}]: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
