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
