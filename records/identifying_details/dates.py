"""Dates of birth: a date is only reported with a birth cue or when it is years old."""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterator

from records.identifying_details.findings import Finding

_MONTHS = (
    r"\b(?:January|February|March|April|May|June|July|August|September|October|November"
    r"|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\b\.?"
)
_ORD = r"(?:st|nd|rd|th)?"
# (completeness, pattern): a "full" date has a year; a "partial" one (day and month, or month
# and year) is only a date of birth with a cue word.
_DATE_PATTERNS: tuple[tuple[str, str], ...] = (
    ("full", r"\d{4}-\d{1,2}-\d{1,2}"),
    # Year first with slashes or dots, as some systems export them: 2014/06/02, 2014.06.02.
    ("full", r"(?:19|20)\d{2}(?P<ysep>[/.])\d{1,2}(?P=ysep)\d{1,2}"),
    ("full", r"\d{1,2}(?P<sep>[/.\-])\d{1,2}(?P=sep)(?:\d{4}|\d{2})"),
    ("full", rf"\d{{1,2}}{_ORD}(?:\s+of)?\s+{_MONTHS},?\s+\d{{4}}"),
    ("full", rf"{_MONTHS}\s+\d{{1,2}}{_ORD},?\s+\d{{4}}"),
    ("partial", rf"\d{{1,2}}{_ORD}(?:\s+of)?\s+{_MONTHS}"),
    ("partial", rf"{_MONTHS}\s+\d{{1,2}}{_ORD}"),
    ("partial", rf"{_MONTHS}\s+\d{{4}}"),
    ("partial", r"\d{1,2}/\d{1,2}"),
)
_DATE_RE = re.compile(
    r"(?<![\w/.\-])(?:"
    + "|".join(f"(?P<d{i}>{pattern})" for i, (_, pattern) in enumerate(_DATE_PATTERNS))
    + r")(?![\w/]|[.\-]\d)",
    re.I,
)
_BORN_YEAR_RE = re.compile(r"\bborn\s+(?:in\s+)?((?:19|20)\d{2})\b(?![/.\-]\d)", re.I)
_DOB_CUE_BEFORE = re.compile(
    r"(?:\bd\.?\s?o\.?\s?b\b|\bdate\s+of\s+birth\b|\bbirth\s*date\b|\bborn\b|\bbirthday\b"
    r"|\bb'?day\b|\bturn(?:ed|s)\b)",
    re.I,
)
_AGE_CUE_BEFORE = re.compile(r"\baged?\b", re.I)
# Words before an old date that make it an event, not a birth: "in post since 2019/09/01",
# "policy updated 01.09.2021". They only stop the "years back" guess, never a birth cue.
_EVENT_CUE_BEFORE = re.compile(
    r"\b(?:since|updated|reviewed|revised|dated|dates\s+from|published|issued|inspected"
    r"|qualified|appointed|joined|started|opened|closed|in\s+post|employed|trained)\b",
    re.I,
)
_DOB_CUE_AFTER = re.compile(r"^\W{0,3}\(?\s*(?:d\.?o\.?b|born|date of birth)\b", re.I)
_SENTENCE_END_RE = re.compile(r"(?:[a-z]{2,}|\))[.!?]\s+(?=[A-Z])|[!?]\s+|\n")


def _year_of(value: str, today: _dt.date) -> int | None:
    """The year of a full date; two-digit years are read as the most recent such year."""
    four = re.search(r"(?<!\d)(?:19|20)\d{2}(?!\d)", value)
    if four:
        return int(four.group(0))
    two = re.fullmatch(r"\d{1,2}[/.\-]\d{1,2}[/.\-](\d{2})", value)
    if two:
        year = 2000 + int(two.group(1))
        return year if year <= today.year else year - 100
    return None


def _plausible(value: str) -> bool:
    """Reject impossible day/month numbers in numeric dates (scores, ratios, versions)."""
    iso = re.fullmatch(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})", value)
    if iso:
        return 1 <= int(iso.group(2)) <= 12 and 1 <= int(iso.group(3)) <= 31
    numeric = re.fullmatch(r"(\d{1,2})[/.\-](\d{1,2})(?:[/.\-]\d{2,4})?", value)
    if numeric:
        return 1 <= int(numeric.group(1)) <= 31 and 1 <= int(numeric.group(2)) <= 12
    day_first = re.match(r"\d{1,2}", value)
    return day_first is None or 1 <= int(day_first.group(0)) <= 31


def _sentence_window(text: str, start: int, size: int) -> str:
    """Up to ``size`` characters before ``start``, cut at the last sentence end.

    The sentence-end pattern wants a real word before the full stop so "d.o.b." survives.
    """
    window = text[max(0, start - size) : start]
    cut = 0
    for m in _SENTENCE_END_RE.finditer(window):
        cut = m.end()
    return window[cut:]


def find_dates_of_birth(text: str, today: _dt.date) -> Iterator[Finding]:
    for m in _DATE_RE.finditer(text):
        value = m.group(0).rstrip(".")
        start, end = m.start(), m.start() + len(value)
        if not _plausible(value):
            continue
        complete = next(
            _DATE_PATTERNS[i][0] for i in range(len(_DATE_PATTERNS)) if m.group(f"d{i}")
        )
        cue = bool(_DOB_CUE_BEFORE.search(_sentence_window(text, start, 45))) or bool(
            _DOB_CUE_AFTER.search(text[end : end + 15])
        )
        if cue or _AGE_CUE_BEFORE.search(_sentence_window(text, start, 20)):
            yield Finding("date_of_birth", start, end, value, "Looks like a date of birth")
            continue
        if complete == "full" and not _EVENT_CUE_BEFORE.search(_sentence_window(text, start, 40)):
            year = _year_of(value, today)
            if year is not None and 3 <= today.year - year <= 25:
                # Meetings recorded in supervision are recent; a full date from a pupil's
                # lifetime ago is more likely a date of birth.
                yield Finding(
                    "date_of_birth",
                    start,
                    end,
                    value,
                    "A date several years back; could be a date of birth",
                )
    for m in _BORN_YEAR_RE.finditer(text):
        yield Finding(
            "date_of_birth", m.start(1), m.end(1), m.group(1), "Looks like a year of birth"
        )
