"""Waiting and ports for the tests that start real processes (tests/ops)."""

from __future__ import annotations

import socket
import time
from collections.abc import Callable
from typing import Any

import pytest


def wait_for(
    condition: Callable[[], Any], *, timeout: float, what: str, log: Callable[[], str] = str
) -> Any:
    """Poll ``condition`` until truthy; fail with ``what`` (and ``log()``) after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.25)
    pytest.fail(f"Timed out after {timeout:.0f}s waiting for {what}\n{log()[-4000:]}")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
