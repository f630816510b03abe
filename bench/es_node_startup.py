"""Start-up cost of the local Elasticsearch node (esnode/): build check, cold and warm start, memory.

``python -m bench.es_node_startup [--quick] [--heap-mb 1024]``

Figures printed:
- no-op ``ensure_built`` (stamp check) and, with ``--rebuild``, a full Maven rebuild (local repo warm);
- baseline: a bare ``java -version`` JVM start, measured in the same run;
- cold start: empty home directory -> cluster health green;
- warm start: same home again (cluster state and one index on disk) -> green, index green;
- RSS of the JVM right after start (``ps -o rss``).
Every node started here is stopped before the script exits.
"""

from __future__ import annotations

import argparse
import json
import shutil
import socket
import statistics
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

from stack import elasticsearch as es_node


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _rss_mb(pid: int) -> float:
    out = subprocess.run(["ps", "-o", "rss=", "-p", str(pid)], capture_output=True, text=True, check=True)
    return int(out.stdout.strip()) / 1024


def _request(method: str, url: str, body: dict[str, object] | None = None) -> dict[str, object]:
    data = json.dumps(body).encode() if body is not None else None
    headers = {"Content-Type": "application/json"}
    request = urllib.request.Request(url, data=data, method=method, headers=headers)
    with urllib.request.urlopen(request, timeout=30) as response:
        result: dict[str, object] = json.loads(response.read())
        return result


def _start_once(home: Path, port: int, heap_mb: int) -> tuple[float, float]:
    """Start, wait for green, return (seconds to green, RSS MB); the caller stops the node."""
    started = time.monotonic()
    pid = es_node.start_background(home, port, heap_mb)
    es_node.wait_until_healthy(
        f"http://127.0.0.1:{port}", 180, log_file=es_node.log_path(home), pid=pid, accept=("green",)
    )
    return time.monotonic() - started, _rss_mb(pid)


def _java_baseline() -> float:
    started = time.monotonic()
    subprocess.run(["java", "-version"], capture_output=True, check=True)
    return time.monotonic() - started


def _fmt(values: list[float], unit: str) -> str:
    if len(values) == 1:
        return f"{values[0]:.2f} {unit}"
    spread = f"min {min(values):.2f}, max {max(values):.2f}, n={len(values)}"
    return f"median {statistics.median(values):.2f} {unit} ({spread})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="one round instead of three")
    parser.add_argument("--rebuild", action="store_true", help="also time a full Maven rebuild")
    parser.add_argument("--heap-mb", type=int, default=es_node.DEFAULT_HEAP_MB)
    args = parser.parse_args()
    rounds = 1 if args.quick else 3

    if args.rebuild:
        (es_node.REPO_ROOT / "esnode" / "target" / "build.stamp").unlink(missing_ok=True)
    first = es_node.build()
    print(f"ensure_built (first call this run): {first.seconds:.2f} s, built={first.built}")
    noop = [es_node.build().seconds for _ in range(rounds)]
    print(f"ensure_built no-op: {_fmt(noop, 's')}")
    print(f"baseline java -version: {_fmt([_java_baseline() for _ in range(rounds)], 's')}")

    cold: list[float] = []
    warm: list[float] = []
    rss: list[float] = []
    for _ in range(rounds):
        home = Path(tempfile.mkdtemp(prefix="es-bench-"))
        port = _free_port()
        url = f"http://127.0.0.1:{port}"
        try:
            seconds, memory = _start_once(home, port, args.heap_mb)
            cold.append(seconds)
            rss.append(memory)
            _request("PUT", f"{url}/bench", {"settings": {"number_of_shards": 1, "number_of_replicas": 0}})
            _request("POST", f"{url}/bench/_doc?refresh=true", {"text": "warm start check"})
            es_node.stop(home)
            seconds, _ = _start_once(home, port, args.heap_mb)
            _request("GET", f"{url}/_cluster/health/bench?wait_for_status=green&timeout=30s")
            warm.append(seconds)
        finally:
            es_node.stop(home)
            shutil.rmtree(home, ignore_errors=True)
    print(f"cold start to green: {_fmt(cold, 's')}")
    print(f"warm start to green (1 index on disk): {_fmt(warm, 's')}")
    print(f"JVM RSS after start (heap max {args.heap_mb} MB): {_fmt(rss, 'MB')}")


if __name__ == "__main__":
    main()
