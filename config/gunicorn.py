"""gunicorn settings for production (``gunicorn -c config/gunicorn.py config.wsgi``).

Every knob from the environment: ``BIND`` (default 127.0.0.1:8000), ``WEB_CONCURRENCY``
worker processes (default 2), ``WEB_THREADS`` threads each (default 4; each thread keeps its
own database connection for ``DATABASE_CONN_MAX_AGE`` seconds). No access log: the app logs
one structured line per request (``ops.middleware``), with secret tokens redacted.
"""

from __future__ import annotations

import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("WEB_THREADS", "4"))
worker_class = "gthread" if threads > 1 else "sync"
timeout = int(os.environ.get("WEB_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5
# Recycle workers now and then, so a slow leak never grows for months.
max_requests = 5000
max_requests_jitter = 500
accesslog = None
errorlog = "-"
# gunicorn's own lines (master and workers) in the same format as the app's.
if os.environ.get("LOG_FORMAT", "json" if os.environ.get("DJANGO_ENV") == "production" else ""):
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "ops.logging.JsonLinesFormatter"}},
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
        "loggers": {
            "gunicorn.error": {"handlers": ["console"], "level": "INFO", "propagate": False}
        },
    }
