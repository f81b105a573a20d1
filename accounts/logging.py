"""A logging filter that keeps secret URL tokens out of log files.

Supervisees reach their bookings and records through magic links, and calendars are fetched
from secret feed URLs: the secret is a path segment (``/b/<token>/``, ``/r/<token>/``,
``/feeds/<token>.ics``). Anyone who can read the web server's or Django's logs could replay
those URLs, so every record passing through the handlers is rewritten with such segments
replaced by ``[redacted]`` before it is written.

Two rules, either is enough:

* the segment right after a known token prefix (``TOKEN_PATH_PREFIXES``) is always redacted;
* any other path segment or query value of 20 or more characters from ``[A-Za-z0-9_:-]`` is
  redacted unless it reads like a page slug (lower-case words joined by hyphens), so long
  human-readable page addresses stay useful in the logs.
"""

from __future__ import annotations

import logging
import re

REDACTED = "[redacted]"
TOKEN_PATH_PREFIXES = ("b", "r", "feeds")

_PREFIXED = re.compile(
    r"(/(?:" + "|".join(TOKEN_PATH_PREFIXES) + r")/)[^/\s?#\"']+?(\.[A-Za-z]{2,4})?(?=[/\s?#\"']|$)"
)
_LONG_SEGMENT = re.compile(r"(?<=[/=])[A-Za-z0-9_:\-]{20,}")
_SLUG = re.compile(r"[a-z]+(?:[-_][a-z0-9]+)*")


def redact(text: str) -> str:
    """``text`` with every token-looking URL segment replaced by ``[redacted]``."""
    text = _PREFIXED.sub(lambda m: m.group(1) + REDACTED + (m.group(2) or ""), text)
    return _LONG_SEGMENT.sub(
        lambda m: m.group(0) if _SLUG.fullmatch(m.group(0)) else REDACTED, text
    )


class RedactTokensFilter(logging.Filter):
    """Rewrites the record's message in place; never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record must still be logged, unredacted or not
            return True
        redacted = redact(message)
        if redacted != message:
            record.msg = redacted
            record.args = None
        return True
