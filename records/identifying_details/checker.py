"""The identifying-details check's entry point: run every detector, keep one finding per span."""

from __future__ import annotations

import bisect
import datetime as _dt
from collections.abc import Iterable

from records.identifying_details.addresses import find_addresses
from records.identifying_details.dates import find_dates_of_birth
from records.identifying_details.findings import Finding
from records.identifying_details.formats import (
    find_emails,
    find_nhs_numbers,
    find_phones,
    find_postcodes,
    find_upns,
)
from records.identifying_details.names import find_names

# When two candidate findings overlap, the kind earlier in this tuple wins: the more rigid the
# format, the more certain the finding (an e-mail address may contain a name, a UPN contains
# digit runs, a date of birth may contain the month "May").
_PRIORITY: tuple[str, ...] = (
    "email",
    "upn",
    "nhs_number",
    "postcode",
    "phone",
    "date_of_birth",
    "address",
    "name",
)
_RANK: dict[str, int] = {kind: i for i, kind in enumerate(_PRIORITY)}


def resolve(candidates: Iterable[Finding]) -> list[Finding]:
    """Keep a non-overlapping subset: higher-priority kind first, then the longer span.

    Kept spans are held sorted by start, so each overlap test is a binary search.
    """
    ordered = sorted(candidates, key=lambda f: (_RANK[f.kind], -(f.end - f.start), f.start))
    starts: list[int] = []
    kept: list[Finding] = []
    for finding in ordered:
        if finding.end <= finding.start:
            continue
        at = bisect.bisect_left(starts, finding.start)
        if at > 0 and kept[at - 1].end > finding.start:
            continue  # overlaps the kept span that starts before it
        if at < len(kept) and kept[at].start < finding.end:
            continue  # overlaps the kept span that starts at or after it
        starts.insert(at, finding.start)
        kept.insert(at, finding)
    return kept


def merge_names(findings: list[Finding], text: str) -> list[Finding]:
    """Merge overlapping name spans (e.g. 'Mrs Okafor' from two rules) into one."""
    names = sorted((f for f in findings if f.kind == "name"), key=lambda f: (f.start, -f.end))
    merged: list[Finding] = []
    for f in names:
        if merged and f.start <= merged[-1].end:
            last = merged[-1]
            if f.end > last.end:
                merged[-1] = Finding(
                    "name", last.start, f.end, text[last.start : f.end], last.message
                )
            continue
        merged.append(f)
    return [f for f in findings if f.kind != "name"] + merged


def scan(text: str, *, today: _dt.date | None = None) -> list[Finding]:
    """Return likely child-identifying details in ``text``, sorted by start, non-overlapping.

    ``today`` is only used to judge whether a full date is old enough to be someone's date of
    birth; tests pass it to be deterministic.
    """
    if not text:
        return []
    today = today or _dt.date.today()
    candidates: list[Finding] = []
    candidates.extend(find_emails(text))
    candidates.extend(find_upns(text))
    candidates.extend(find_nhs_numbers(text))
    candidates.extend(find_postcodes(text))
    candidates.extend(find_phones(text))
    candidates.extend(find_dates_of_birth(text, today))
    candidates.extend(find_addresses(text))
    candidates.extend(find_names(text))
    return resolve(merge_names(candidates, text))
