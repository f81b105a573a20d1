"""Metrics for the anonymisation checker on a labelled JSON-lines set.

Shared by ``benchmarks/anonymisation.py`` and the tests so both report the same numbers.

Each line of the set is ``{"text": ..., "identifiers": [{"kind": ..., "text": ...}]}``. A
labelled identifier counts as *found* when some finding (of any kind) overlaps its span: the
supervisor is shown the highlight either way, and the kind only changes the message. A clean
sentence (no identifiers) is a *false alarm* when the checker reports anything in it.

The checker reads a full date from several years ago as a possible date of birth, so the
result depends on "today". The set's meeting dates are written as of late 2025, so the
evaluation pins ``today`` to :data:`REFERENCE_DATE` to keep the figures stable over time.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from workflows.anonymisation import KINDS, Finding, scan

REFERENCE_DATE = dt.date(2025, 12, 1)
DEFAULT_SET = (
    Path(__file__).resolve().parent.parent / "tests" / "data" / "anonymisation_labelled.jsonl"
)


def load_labelled(path: str | Path = DEFAULT_SET) -> list[dict[str, Any]]:
    """Read the labelled set; every identifier's text must occur in its sentence."""
    rows: list[dict[str, Any]] = []
    with Path(path).open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            row = json.loads(line)
            for ident in row["identifiers"]:
                if ident["kind"] not in KINDS:
                    raise ValueError(f"line {number}: unknown kind {ident['kind']!r}")
                if ident["text"] not in row["text"]:
                    raise ValueError(f"line {number}: {ident['text']!r} not in text")
            rows.append(row)
    return rows


def _spans(text: str, needle: str) -> list[tuple[int, int]]:
    """All occurrences of ``needle`` (an identifier can appear twice in one sentence)."""
    spans: list[tuple[int, int]] = []
    start = text.find(needle)
    while start != -1:
        spans.append((start, start + len(needle)))
        start = text.find(needle, start + 1)
    return spans


def evaluate(
    path: str | Path = DEFAULT_SET,
    scanner: Callable[[str], list[Finding]] | None = None,
) -> dict[str, Any]:
    """Run ``scanner`` (default: :func:`scan` as of :data:`REFERENCE_DATE`) over the set.

    Returned keys: ``sentences``, ``identifiers``, ``found``, ``recall``, ``clean_sentences``,
    ``false_alarm_sentences``, ``false_alarm_rate``, ``per_kind`` (kind -> dict with
    ``total``, ``found``, ``recall``), ``missed`` (list of (kind, text, sentence)) and
    ``false_alarms`` (list of (sentence, [finding texts])).
    """
    if scanner is None:
        scanner = partial(scan, today=REFERENCE_DATE)
    rows = load_labelled(path)
    per_kind: dict[str, dict[str, float]] = {k: {"total": 0, "found": 0} for k in KINDS}
    total = found = clean = alarms = 0
    missed: list[tuple[str, str, str]] = []
    false_alarms: list[tuple[str, list[str]]] = []
    for row in rows:
        text = row["text"]
        findings = scanner(text)
        if not row["identifiers"]:
            clean += 1
            if findings:
                alarms += 1
                false_alarms.append((text, [f.text for f in findings]))
            continue
        for ident in row["identifiers"]:
            total += 1
            per_kind[ident["kind"]]["total"] += 1
            hit = any(
                f.start < end and start < f.end
                for start, end in _spans(text, ident["text"])
                for f in findings
            )
            if hit:
                found += 1
                per_kind[ident["kind"]]["found"] += 1
            else:
                missed.append((ident["kind"], ident["text"], text))
    for stats in per_kind.values():
        stats["recall"] = stats["found"] / stats["total"] if stats["total"] else 1.0
    return {
        "sentences": len(rows),
        "identifiers": total,
        "found": found,
        "recall": found / total if total else 1.0,
        "clean_sentences": clean,
        "false_alarm_sentences": alarms,
        "false_alarm_rate": alarms / clean if clean else 0.0,
        "per_kind": per_kind,
        "missed": missed,
        "false_alarms": false_alarms,
    }
