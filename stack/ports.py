"""Tiny reachability checks shared by the stack modules."""

from __future__ import annotations

import socket
import time
from collections.abc import Callable


def port_open(host: str, port: int, timeout_s: float = 0.5) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout_s):
            return True
    except OSError:
        return False


def wait_for(check: Callable[[], bool], timeout_s: float, what: str, interval_s: float = 0.5) -> None:
    """Poll ``check`` until it is true; raise a clear error naming ``what`` on timeout."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(interval_s)
    raise TimeoutError(f"{what} did not become ready within {timeout_s:.0f} s")
