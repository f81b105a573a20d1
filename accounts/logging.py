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

import functools
import logging
import re

REDACTED = "[redacted]"
# The path prefixes whose next segment is always a secret, as regular expressions without
# the leading and trailing slash. To cover a new kind of secret URL, append its prefix here;
# tests/accounts/test_logging.py lists examples.
TOKEN_PATH_PREFIXES: list[str] = [
    r"b",  # supervisee portal links
    r"r",  # record links
    r"feeds",  # calendar feeds
    r"account/setup",  # staff invitations and second-factor set-up links (accounts.invitations)
    r"admin/password_reset/confirm/[^/\s]+",  # Django's reset link: /<uidb64>/<token>/
]


@functools.cache
def _prefixed_pattern(prefixes: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = "|".join(p.strip("/") for p in prefixes)
    # A slash may also arrive percent-encoded (``?next=%2Ffeeds%2F<token>.ics``, a calendar
    # app's subscription URL inside another URL), so ``%2F`` counts as one.
    slash = r"(?:/|%2[Ff])"
    return re.compile(
        r"(" + slash + r"(?:" + alternatives + r")" + slash + r")"
        r"[^/\s?#&%\"']+?(\.[A-Za-z]{2,4})?(?=[/\s?#&%\"']|$)"
    )


_LONG_SEGMENT = re.compile(r"(?<=[/=])[A-Za-z0-9_:\-]{20,}")
_SLUG = re.compile(r"[a-z]+(?:[-_][a-z0-9]+)*")


def redact(text: str) -> str:
    """``text`` with every token-looking URL segment replaced by ``[redacted]``."""
    prefixed = _prefixed_pattern(tuple(TOKEN_PATH_PREFIXES))
    text = prefixed.sub(lambda m: m.group(1) + REDACTED + (m.group(2) or ""), text)
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
