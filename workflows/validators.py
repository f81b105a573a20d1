"""One line means one line: what the public types into single-line fields, and email headers.

A line break in a school name once made every email of its booking fail with BadHeaderError
(issue 13, finding 9). Single-line fields refuse control characters with a clear message, and
anything built into an email header from user text goes through ``single_line`` as well.
"""

from __future__ import annotations

import unicodedata

from django.core.exceptions import ValidationError

# Unicode's own line and paragraph separators are not "Cc" but break lines just the same.
_SEPARATORS = frozenset({"\u2028", "\u2029"})
SINGLE_LINE_MESSAGE = (
    "Write this on one line: line breaks, tabs and other control characters are not allowed."
)


def _is_control(char: str) -> bool:
    return char in _SEPARATORS or unicodedata.category(char) == "Cc"


def validate_single_line(value: str) -> None:
    """Refuse CR, LF, tab, NUL and every other control character (Unicode category Cc)."""
    if isinstance(value, str) and any(_is_control(char) for char in value):
        raise ValidationError(SINGLE_LINE_MESSAGE, code="control_characters")


def single_line(text: str) -> str:
    """``text`` safe for an email header: control characters become spaces, runs collapse."""
    return " ".join("".join(" " if _is_control(c) else c for c in text or "").split())
