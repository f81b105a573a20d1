"""Shorthands for the identifying-details check's tests: findings as (kind, text) pairs."""

from __future__ import annotations

import datetime as dt

from records.identifying_details import KINDS, Finding, scan

#: "Today" for the check's old-date rule, so results never depend on the day the tests run.
TODAY = dt.date(2025, 12, 1)


def found(text: str) -> list[tuple[str, str]]:
    return [(f.kind, f.text) for f in scan(text, today=TODAY)]


def kinds(text: str) -> set[str]:
    return {f.kind for f in scan(text, today=TODAY)}


def assert_well_formed(text: str, findings: list[Finding]) -> None:
    """Each finding's offsets match its text; findings are sorted and never overlap."""
    previous_end = -1
    for f in findings:
        assert f.kind in KINDS
        assert text[f.start : f.end] == f.text
        assert f.start >= previous_end, "findings must be sorted and must not overlap"
        assert f.message
        previous_end = f.end
