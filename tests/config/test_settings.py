"""Production settings pass Django's deployment checklist; env vars drive the config."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _run(args: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    # A fresh process as an operator starts it: no Django settings and no pytest-xdist worker
    # id (which would shift the Redis database number, see config/settings.py).
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST_XDIST_"))}
    base.pop("DATABASE_URL", None)
    base.pop("REDIS_URL", None)
    base.pop("EMAIL_BACKEND", None)
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_is_clean_in_production_mode():
    result = _run(
        ["check", "--deploy", "--fail-level", "WARNING"],
        DJANGO_ENV="production",
        SECRET_KEY="a-long-random-production-secret-key-for-the-test-0123456789abcdef",
        ALLOWED_HOSTS="supervision.example.org",
        FIELD_ENCRYPTION_KEYS="Hn1nOVZ0p5bq5rJbd2b6m0tFq7Jd8wq0yqvC1m3Q1ZQ=",
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = _run(["check"], DJANGO_ENV="production", ALLOWED_HOSTS="x.example.org")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_redis_url_switches_cache_and_broker():
    code = (
        "from django.conf import settings as s;"
        "print(s.CACHES['default']['BACKEND']);"
        "print(s.Q_CLUSTER.get('redis'), s.Q_CLUSTER.get('orm'))"
    )
    result = _run(["shell", "-c", code], REDIS_URL="redis://127.0.0.1:6379/3")
    assert "ops.cache.ResilientRedisCache" in result.stdout
    assert "redis://127.0.0.1:6379/3 None" in result.stdout
    local = _run(["shell", "-c", code])
    assert "LocMemCache" in local.stdout
    assert "None default" in local.stdout


@pytest.mark.parametrize("backend", ["console", "filebased", "locmem", "dummy"])
def test_production_refuses_an_email_backend_that_prints_or_stores_links(backend):
    result = _run(
        ["check"],
        DJANGO_ENV="production",
        SECRET_KEY="a-long-random-production-secret-key-for-the-test-0123456789abcdef",
        ALLOWED_HOSTS="supervision.example.org",
        FIELD_ENCRYPTION_KEYS="Hn1nOVZ0p5bq5rJbd2b6m0tFq7Jd8wq0yqvC1m3Q1ZQ=",
        EMAIL_BACKEND=f"django.core.mail.backends.{backend}.EmailBackend",
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "is for local use only" in result.stderr


def test_production_refuses_the_default_console_email_backend():
    result = _run(
        ["check"],
        DJANGO_ENV="production",
        SECRET_KEY="a-long-random-production-secret-key-for-the-test-0123456789abcdef",
        ALLOWED_HOSTS="supervision.example.org",
        FIELD_ENCRYPTION_KEYS="Hn1nOVZ0p5bq5rJbd2b6m0tFq7Jd8wq0yqvC1m3Q1ZQ=",
    )
    assert result.returncode != 0
    assert "console.EmailBackend prints, stores or drops email" in result.stderr
