"""Secret tokens in magic-link and feed URLs are redacted from every log line."""

from __future__ import annotations

import logging

import pytest

from accounts.logging import RedactTokensFilter, redact

TOKEN = "Zm9vYmFyYmF6cXV4:1tZq3Y:Xn5cT0kEnS1gnatur3-_AB"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (f'"GET /b/{TOKEN}/ HTTP/1.1" 200 512', '"GET /b/[redacted]/ HTTP/1.1" 200 512'),
        (f"Not Found: /r/{TOKEN}/download/", "Not Found: /r/[redacted]/download/"),
        (f"GET /feeds/{TOKEN}.ics", "GET /feeds/[redacted].ics"),
        (f"webcal://example.org/feeds/{TOKEN}.ics", "webcal://example.org/feeds/[redacted].ics"),
        (
            f"GET /admin/login/?next=%2Ffeeds%2F{TOKEN}.ics&x=1",
            "GET /admin/login/?next=%2Ffeeds%2F[redacted].ics&x=1",
        ),
        (f"GET /b/{TOKEN}/calendar/ 200", "GET /b/[redacted]/calendar/ 200"),
        ("GET /b/short/ 404", "GET /b/[redacted]/ 404"),
        (f"GET /elsewhere/{TOKEN}/", "GET /elsewhere/[redacted]/"),
        (f"GET /x/?key={TOKEN}&page=2", "GET /x/?key=[redacted]&page=2"),
        (
            "GET /our-supervisors/supervision-for-designated-safeguarding-leads/ 200",
            "GET /our-supervisors/supervision-for-designated-safeguarding-leads/ 200",
        ),
        (
            "GET /api/v2/pages/?type=cms.SupervisorPage 200",
            "GET /api/v2/pages/?type=cms.SupervisorPage 200",
        ),
        ("GET /admin/pages/42/edit/ 200", "GET /admin/pages/42/edit/ 200"),
    ],
)
def test_redact_replaces_token_segments_and_keeps_readable_paths(line, expected):
    assert redact(line) == expected


def test_filter_rewrites_formatted_records_and_never_drops_one():
    record = logging.LogRecord(
        "django.server",
        logging.INFO,
        __file__,
        1,
        '"%s" %s %s',
        (f"GET /b/{TOKEN}/ HTTP/1.1", 200, 5),
        None,
    )
    assert RedactTokensFilter().filter(record) is True
    assert record.getMessage() == '"GET /b/[redacted]/ HTTP/1.1" 200 5'


@pytest.mark.parametrize(
    "name", ["django.request", "django.server", "gunicorn.access", "gunicorn.error"]
)
def test_server_loggers_carry_the_filter(name, settings):
    logger = logging.getLogger(name)
    assert any(isinstance(f, RedactTokensFilter) for f in logger.filters)
    handlers = settings.LOGGING["loggers"][name].get(
        "handlers", settings.LOGGING["root"]["handlers"]
    )
    for handler in handlers:
        assert "redact_tokens" in settings.LOGGING["handlers"][handler]["filters"], handler


@pytest.mark.django_db
def test_a_404_on_a_magic_link_is_logged_without_its_token(client, caplog, site_tree):
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get(f"/b/{TOKEN}/")
    assert response.status_code == 404
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "/b/[redacted]/" in logged
    assert TOKEN not in logged


def test_set_up_links_are_redacted():
    assert redact(f"GET /account/setup/{TOKEN}/ 200") == "GET /account/setup/[redacted]/ 200"


def test_every_handler_of_every_logger_redacts():
    """Handlers left over from Django's default config (the "django" logger's) included."""
    loggers = [logging.getLogger()] + [
        logger
        for logger in logging.root.manager.loggerDict.values()
        if isinstance(logger, logging.Logger)
    ]
    unfiltered = [
        (logger.name, handler)
        for logger in loggers
        for handler in logger.handlers
        if not any(isinstance(f, RedactTokensFilter) for f in handler.filters)
        and not isinstance(handler, logging.NullHandler)  # libraries' "write nothing"
        and "_pytest" not in type(handler).__module__  # pytest's own capture
    ]
    assert unfiltered == []


def test_with_debug_on_the_csrf_failure_line_has_no_token():
    import os
    import subprocess
    import sys
    from pathlib import Path

    probe = f"from django.test import Client;Client(enforce_csrf_checks=True).post('/b/{TOKEN}/')"
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.pop("DATABASE_URL", None)
    env.update(DEBUG="1")
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "shell", "-c", probe],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert "Forbidden (CSRF cookie not set.): /b/[redacted]/" in result.stderr
    assert TOKEN not in result.stderr + result.stdout


def test_password_reset_links_are_redacted():
    line = "GET /admin/password_reset/confirm/Mg/cmzkab-4f5e6d7a8b9c0d1e2f3a/ 302"
    assert redact(line) == "GET /admin/password_reset/confirm/Mg/[redacted]/ 302"
