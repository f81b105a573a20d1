"""Under DJANGO_ENV=production: HTTPS only, HSTS, __Host- cookies marked Secure/HttpOnly."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import json
from django.conf import settings as s
from django.test import Client
secure = Client().get('/admin/', secure=True, headers={'host': 'supervision.example.org'})
plain = Client().get('/admin/', headers={'host': 'supervision.example.org'})
print(json.dumps({
    'secure_status': secure.status_code,
    'headers': {k: secure.get(k) for k in (
        'Strict-Transport-Security', 'Content-Security-Policy', 'X-Frame-Options')},
    'plain': [plain.status_code, plain.get('Location')],
    'cookies': [s.SESSION_COOKIE_NAME, s.SESSION_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY,
                s.SESSION_COOKIE_SAMESITE, s.CSRF_COOKIE_NAME, s.CSRF_COOKIE_SECURE],
}))
"""


def test_production_serves_only_https_with_hsts_and_secure_cookies(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.pop("REDIS_URL", None)
    env.update(
        DJANGO_ENV="production",
        SECRET_KEY="a-long-random-production-secret-key-for-the-test-0123456789abcdef",
        ALLOWED_HOSTS="supervision.example.org",
        FIELD_ENCRYPTION_KEYS="Hn1nOVZ0p5bq5rJbd2b6m0tFq7Jd8wq0yqvC1m3Q1ZQ=",
        DATABASE_URL=f"sqlite:///{tmp_path / 'unused.sqlite3'}",
        STATIC_ROOT=str(tmp_path),
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "shell", "-c", PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout.strip().splitlines()[-1])
    assert found["secure_status"] == 302
    assert found["headers"]["Strict-Transport-Security"] == (
        "max-age=31536000; includeSubDomains; preload"
    )
    assert "upgrade-insecure-requests" in found["headers"]["Content-Security-Policy"]
    assert found["headers"]["X-Frame-Options"] == "DENY"
    assert found["plain"] == [301, "https://supervision.example.org/admin/"]
    assert found["cookies"] == [
        "__Host-sessionid",
        True,
        True,
        "Lax",
        "__Host-csrftoken",
        True,
    ]
