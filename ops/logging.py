"""JSON-lines logs for production: one object per line, for a log shipper to parse.

Each line has ``time`` (UTC, ISO 8601), ``level``, ``logger`` and ``message``, plus any of the
request fields that ``ops.middleware.RequestLogMiddleware`` attaches (``method``, ``path``,
``status``, ``duration_ms``, ``queries``) and ``exc_info`` as text. Messages have already been
through ``accounts.logging.RedactTokensFilter`` (secret link tokens never reach a log).
"""

from __future__ import annotations

import datetime
import json
import logging
from typing import Any

EXTRA_FIELDS = ("method", "path", "status", "duration_ms", "queries", "task", "cluster")


class JsonLinesFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.datetime.fromtimestamp(record.created, tz=datetime.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "process": record.process,
        }
        for field in EXTRA_FIELDS:
            value = getattr(record, field, None)
            if value is not None:
                entry[field] = value
        if record.exc_info:
            entry["exc_info"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=False)
