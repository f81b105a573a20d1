"""Helpers for the tests that drive real processes on PostgreSQL and Redis.

Tests marked ``scaleout`` run only when ``DATABASE_URL`` is PostgreSQL and the Redis of
``REDIS_URL`` answers; otherwise they are skipped with the reason. Run them with e.g.::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/scaleout \\
    REDIS_URL=redis://127.0.0.1:6379/5 .venv/bin/python -m pytest -n 0 tests/ops -m scaleout

Each test starts its own clusters under a unique queue name, points them at the test
database, and kills every process it started (bounded waits everywhere).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.ops import free_port, wait_for

ROOT = Path(__file__).resolve().parents[2]


def _skip_reason() -> str | None:
    from django.conf import settings
    from django.db import connection

    if connection.vendor != "postgresql":
        return "needs PostgreSQL: DATABASE_URL is not a postgres:// URL"
    url = os.environ.get("REDIS_URL")
    if not url:
        return "needs Redis: REDIS_URL is not set"
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError as exc:
        return f"needs Redis: {url} does not answer ({exc})"
    if "redis" not in settings.Q_CLUSTER:
        return "needs the Redis broker"
    return None


@pytest.fixture(autouse=True)
def _needs_postgres_and_redis(request: Any) -> None:
    """Skip a ``scaleout`` test, with the reason, unless PostgreSQL and Redis are there."""
    if request.node.get_closest_marker("scaleout") is None:
        return
    reason = _skip_reason()
    if reason:
        pytest.skip(reason)


class Processes:
    """Every process a test starts, each in its own process group; all killed at the end."""

    def __init__(self, env: dict[str, str], tmp: Path) -> None:
        self.env = env
        self.tmp = tmp
        self.started: list[subprocess.Popen] = []

    def start(self, args: list[str], name: str, **env: str) -> subprocess.Popen:
        with open(self.tmp / f"{name}.log", "ab") as log:  # the child keeps its own copy
            proc = subprocess.Popen(  # noqa: S603
                args,
                cwd=ROOT,
                env={**self.env, **env},
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.started.append(proc)
        return proc

    def cluster(self, name: str = "cluster", **env: str) -> subprocess.Popen:
        return self.start([sys.executable, "manage.py", "qcluster"], name, **env)

    def manage(self, *args: str, **env: str) -> str:
        result = subprocess.run(  # noqa: S603
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env={**self.env, **env},
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        return result.stdout

    def enqueue(self, func: str, *args: int) -> None:
        """Queue a task as the web would, from a process with the clusters' settings (the
        queue name is also the signing salt, so this test process could not)."""
        self.manage(
            "shell", "-c", f"from django_q.tasks import async_task; async_task({func!r}, *{args!r})"
        )

    @staticmethod
    def kill(proc: subprocess.Popen, sig: int = signal.SIGKILL) -> None:
        """``sig`` to the whole process group: the sentinel and every worker at once."""
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        proc.wait(timeout=30)

    def stop_all(self) -> None:
        for proc in self.started:
            self.kill(proc)

    def log(self, name: str) -> str:
        path = self.tmp / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""


@pytest.fixture
def processes(transactional_db: Any, tmp_path: Path) -> Iterator[Processes]:
    """Environment for subprocesses: the test database, Redis, a unique queue, a mail sink."""
    from django.db import connection

    sink = tmp_path / "mail"
    sink.mkdir()
    db = connection.settings_dict
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO_"))}
    env.pop("Q_SYNC", None)
    host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    env.update(
        DATABASE_URL=f"postgres://{db['USER']}@{host}/{db['NAME']}",
        Q_CLUSTER_NAME=f"test-{uuid.uuid4().hex[:10]}",
        Q_WORKERS="2",
        Q_TIMEOUT="60",
        Q_RETRY="90",
        EMAIL_BACKEND="tests.ops.mailsink.FileSinkBackend",
        MAIL_SINK_DIR=str(sink),
        EMAIL_SWEEP_GRACE_SECONDS="0",
        PYTHONUNBUFFERED="1",
    )
    if db.get("PASSWORD"):
        env["DATABASE_URL"] = env["DATABASE_URL"].replace(
            f"//{db['USER']}@", f"//{db['USER']}:{db['PASSWORD']}@"
        )
    procs = Processes(env, tmp_path)
    procs.sink = sink  # type: ignore[attr-defined]
    try:
        yield procs
    finally:
        procs.stop_all()


@pytest.fixture
def private_redis(tmp_path: Path) -> Iterator[Any]:
    """A Redis server of this test's own, to stop and start (never the shared one)."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("needs the redis-server program to simulate losing Redis")
    port = free_port()

    class Server:
        url = f"redis://127.0.0.1:{port}/0"
        proc: subprocess.Popen | None = None

        def start(self) -> None:
            self.proc = subprocess.Popen(  # noqa: S603
                [
                    binary,
                    "--port",
                    str(port),
                    "--bind",
                    "127.0.0.1",
                    "--save",
                    "",
                    "--appendonly",
                    "no",
                    "--dir",
                    str(tmp_path),
                ],
                stdout=subprocess.DEVNULL,
                start_new_session=True,
            )
            import redis

            client = redis.Redis.from_url(self.url, socket_connect_timeout=0.5)
            wait_for(lambda: _pings(client), timeout=10, what="the private Redis")

        def stop(self) -> None:
            if self.proc is not None:
                self.proc.kill()
                self.proc.wait(timeout=10)
                self.proc = None

    server = Server()
    server.start()
    try:
        yield server
    finally:
        server.stop()


def _pings(client: Any) -> bool:
    import redis

    try:
        return bool(client.ping())
    except redis.RedisError:
        return False
