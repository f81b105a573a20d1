"""The production stack on this machine: gunicorn (several workers), two django-q2 clusters,
PostgreSQL and Redis, in production mode. ``make prod-local`` runs it; Ctrl+C stops it all.

What it does, in order: makes the PostgreSQL database if missing; writes throwaway secrets to
``.prod-local.env`` once (git-ignored; never use them anywhere else); migrates; collects
static files (WhiteNoise serves them, compressed and with hashed names); seeds the demo
content if the database is empty; installs the schedules; then starts a local SMTP sink (the
production settings refuse console email), gunicorn and the clusters, and waits for
``/healthz``. ``benchmarks/load.py`` starts the same stack through ``start_stack``.

HTTPS: production redirects plain HTTP to HTTPS and marks cookies Secure. Locally there is no
TLS proxy, so clients say they came through one with ``X-Forwarded-Proto: https`` (what a
load balancer that ends TLS sends); the benchmark does. Browsers treat 127.0.0.1 as secure,
but a redirect to https://127.0.0.1 will fail: set ``SECURE_SSL_REDIRECT=false`` to browse.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
SECRETS_FILE = ROOT / ".prod-local.env"


def _secrets() -> dict[str, str]:
    if not SECRETS_FILE.exists():
        key = base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()
        SECRETS_FILE.write_text(
            f"SECRET_KEY={secrets.token_urlsafe(50)}\nFIELD_ENCRYPTION_KEYS={key}\n"
        )
        SECRETS_FILE.chmod(0o600)
    pairs = (line.split("=", 1) for line in SECRETS_FILE.read_text().splitlines() if "=" in line)
    return {k.strip(): v.strip() for k, v in pairs}


def stack_env(*, database_url: str, redis_url: str, port: int, smtp_port: int) -> dict[str, str]:
    """The production environment for every process of the stack."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))}
    for name in ("Q_SYNC", "EMAIL_BACKEND", "DEBUG"):
        env.pop(name, None)
    env.update(_secrets())
    env.update(
        DJANGO_ENV="production",
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        BASE_URL=f"https://127.0.0.1:{port}",
        BIND=f"127.0.0.1:{port}",
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(smtp_port),
        PYTHONUNBUFFERED="1",
    )
    env.setdefault("WEB_CONCURRENCY", "2")
    return env


def create_database(database_url: str) -> None:
    import psycopg
    from psycopg import sql

    name = database_url.rsplit("/", 1)[1].split("?")[0]
    admin = database_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=env, check=True)  # noqa: S603


def prepare(env: dict[str, str], *, seed: bool = True) -> None:
    """Database, static files, demo content and schedules; safe to run again."""
    create_database(env["DATABASE_URL"])
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "collectstatic", "--noinput", "-v", "0")
    if seed:
        # Demo content is refused in production mode; the same database, secrets and keys,
        # in development mode, load it (local throwaway data only).
        dev = {
            **env,
            "DJANGO_ENV": "development",
            "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        }
        manage(dev, "seed_demo", "--if-empty")
        manage(dev, "setup_workflows")
        manage(dev, "setup_records")
    manage(env, "setup_ops")


def start_stack(
    env: dict[str, str], *, clusters: int = 2, log_dir: Path | None = None
) -> list[subprocess.Popen]:
    """SMTP sink, gunicorn and ``clusters`` qclusters; returns once /healthz answers."""

    def spawn(args: list[str], name: str) -> subprocess.Popen:
        out = open(log_dir / f"{name}.log", "ab") if log_dir else None  # noqa: SIM115
        return subprocess.Popen(  # noqa: S603
            args,
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT if out else None,
            start_new_session=True,
        )

    if log_dir:
        log_dir.mkdir(parents=True, exist_ok=True)
    procs = [spawn([PY, "bin/smtp_sink.py", "--port", env["EMAIL_PORT"]], "smtp")]
    procs.append(spawn([PY, "-m", "gunicorn", "-c", "config/gunicorn.py", "config.wsgi"], "web"))
    procs += [spawn([PY, "manage.py", "qcluster"], f"cluster{i + 1}") for i in range(clusters)]
    url = f"http://{env['BIND']}/healthz"
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(url, timeout=2) as response:
                    if response.status == 200:
                        return procs
            except OSError:
                time.sleep(0.5)
        raise RuntimeError(f"The stack did not answer {url} within 60 seconds.")
    except BaseException:
        stop_stack(procs)
        raise


def stop_stack(procs: list[subprocess.Popen]) -> None:
    """SIGTERM to each leader (gunicorn's master and each cluster stop their children
    gracefully), then SIGKILL to whatever is left of its process group."""
    for proc in procs:
        if proc.poll() is None:
            proc.terminate()
    for proc in procs:
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=30)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "PROD_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/supervision_prod"
        ),
    )
    parser.add_argument(
        "--redis-url", default=os.environ.get("PROD_REDIS_URL", "redis://127.0.0.1:6379/5")
    )
    parser.add_argument("--port", type=int, default=8100)
    parser.add_argument("--smtp-port", type=int, default=2525)
    parser.add_argument("--clusters", type=int, default=2)
    args = parser.parse_args()
    env = stack_env(
        database_url=args.database_url,
        redis_url=args.redis_url,
        port=args.port,
        smtp_port=args.smtp_port,
    )

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupt)
    prepare(env)
    procs = start_stack(env, clusters=args.clusters)
    print(
        f"Production stack up: http://127.0.0.1:{args.port}/ (send X-Forwarded-Proto: https), "
        f"{env['WEB_CONCURRENCY']} web workers, {args.clusters} clusters. Ctrl+C stops it."
    )
    try:
        while all(proc.poll() is None for proc in procs):
            time.sleep(1)
    except KeyboardInterrupt:
        pass
    finally:
        stop_stack(procs)


if __name__ == "__main__":
    main()
