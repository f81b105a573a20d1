"""Email placeholders ({{ reference }} and friends): a leaf module.

The ``EmailTemplate`` model validates against ``PLACEHOLDERS`` and the notification service
fills them; both import them from here.
"""

from __future__ import annotations

import re

PLACEHOLDERS = frozenset(
    {
        "reference",
        "school",
        "supervisee",
        "supervisor",
        "service",
        "state",
        "comment",
        "link",
        "sessions",
        "review_date",
    }
)
_PLACEHOLDER = re.compile(r"{{\s*([a-z_]+)\s*}}")


def placeholders_in(text: str) -> set[str]:
    return set(_PLACEHOLDER.findall(text or ""))


def render(text: str, values: dict[str, str]) -> str:
    """Fill {{ name }} placeholders with plain strings: no template language, no attributes."""
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), ""), text)
