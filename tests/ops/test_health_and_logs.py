"""/healthz for load balancers, a lost Redis cache, JSON-lines logs, unsafe production settings."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import caches

from ops.tasks import heartbeat

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DJANGO_ENV": "production",
    "SECRET_KEY": "a-long-random-production-secret-key-for-the-test-0123456789abcdef",
    "ALLOWED_HOSTS": "supervision.example.org",
    "FIELD_ENCRYPTION_KEYS": "Hn1nOVZ0p5bq5rJbd2b6m0tFq7Jd8wq0yqvC1m3Q1ZQ=",
    "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
}


def _manage(args: list[str], tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "REDIS_"))}
    base["DATABASE_URL"] = f"sqlite:///{tmp_path / 'unused.sqlite3'}"
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.django_db
def test_healthz_is_degraded_until_a_cluster_beats_then_ok(client):
    before = client.get("/healthz")
    assert before.status_code == 200
    assert before["Cache-Control"].startswith("max-age=0")
    body = before.json()
    assert body["status"] == "degraded"
    assert {name: check["ok"] for name, check in body["checks"].items()} == {
        "database": True,
        "cache": True,
        "broker": True,
        "clusters": False,
    }
    assert body["checks"]["clusters"]["heartbeat_age_seconds"] is None

    heartbeat()  # what the "Cluster heartbeat" schedule runs every minute

    after = client.get("/healthz").json()
    assert after["status"] == "ok"
    assert 0 <= after["checks"]["clusters"]["heartbeat_age_seconds"] < 5


@pytest.mark.django_db
def test_a_lost_redis_cache_degrades_health_but_the_public_site_serves(client, site_tree, settings):
    settings.PAGE_CACHE_SECONDS = 600
    settings.CACHES = {
        "default": {
            "BACKEND": "ops.cache.ResilientRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens here
        }
    }
    try:
        for _ in range(2):
            assert client.get(site_tree.index.url).status_code == 200
        health = client.get("/healthz").json()
        assert health["status"] == "degraded"
        assert health["checks"]["cache"]["ok"] is False
        assert health["checks"]["database"]["ok"] is True
    finally:
        caches["default"].close()


def test_healthz_answers_plain_http_in_production_while_pages_redirect(tmp_path):
    probe = (
        "from django.test import Client; c = Client(headers={'host': 'supervision.example.org'});"
        "print(c.get('/healthz').status_code, c.get('/').status_code)"
    )
    result = _manage(["shell", "-c", probe], tmp_path, **PRODUCTION)
    assert result.returncode == 0, result.stderr
    # 200 (degraded: this throwaway database has no heartbeat table), never a redirect.
    assert result.stdout.split()[-2:] == ["200", "301"]


def test_production_logs_are_json_lines_with_tokens_redacted(tmp_path):
    code = (
        "import logging; logging.getLogger('workflows').warning("
        "'Link used: /b/Zx9Kq2Lm8Np4Rt6Vw1Yb3Cd5Ef7Gh0Jk/ by %s', 'someone')"
    )
    result = _manage(["shell", "-c", code], tmp_path, **PRODUCTION)
    assert result.returncode == 0, result.stderr
    [line] = [line for line in result.stderr.splitlines() if line.startswith("{")]
    entry = json.loads(line)
    assert {k: entry[k] for k in ("level", "logger")} == {"level": "WARNING", "logger": "workflows"}
    assert entry["message"] == "Link used: /b/[redacted]/ by someone"
    assert entry["time"].endswith("+00:00")


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ({"DEBUG": "true"}, "DEBUG must be off"),
        ({"ALLOWED_HOSTS": "*"}, "ALLOWED_HOSTS must name this site's host names"),
        ({"ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS must name this site's host names"),
    ],
)
def test_production_refuses_unsafe_settings(tmp_path, override, message):
    result = _manage(["check"], tmp_path, **{**PRODUCTION, **override})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr
