"""Measure the identifying-details check on a labelled set: recall, false alarms, speed.

Run from the project root: ``python benchmarks/identifying_details.py [SET.jsonl ...]``
(default: both batches in ``benchmarks/data/``). Prints recall, the false-alarm rate on clean
sentences, per-kind recall, what was missed and flagged, and throughput compared with a trivial
regex-only e-mail + phone scan timed in the same process (so the ratio is comparable across
machines). Exits non-zero if recall < 0.97 or false alarms > 0.05 on any set.

The tests import :func:`evaluate` and :func:`load_labelled` from here, so the tests and the
benchmark report the same numbers.

Each line of a set is ``{"text": ..., "identifiers": [{"kind": ..., "text": ...}]}``. A
labelled identifier counts as *found* when some finding (of any kind) overlaps its span: the
supervisor is shown the highlight either way, and the kind only changes the message. A clean
sentence (no identifiers) is a *false alarm* when the checker reports anything in it.

The checker reads a full date from several years ago as a possible date of birth, so the
result depends on "today". The sets' meeting dates are written as of late 2025 and 2026, so
the evaluation pins ``today`` to :data:`REFERENCE_DATE` to keep the figures stable over time.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from records.identifying_details import KINDS, Finding, scan  # noqa: E402

REFERENCE_DATE = dt.date(2025, 12, 1)
DATA = Path(__file__).resolve().parent / "data"
#: The first labelled set (582 sentences), written alongside the rules; tuned on.
BATCH_1 = DATA / "identifying_details_batch_1.jsonl"
#: A fresh set written before the lower-case and year-first rules; never tuned on.
BATCH_2 = DATA / "identifying_details_batch_2.jsonl"
DEFAULT_SET = BATCH_1


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


# Issue 18's goal.
MIN_RECALL = 0.97
MAX_FALSE_ALARMS = 0.05

_BASELINE_RE = re.compile(
    r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+|(?:\+44\s?|0)\d{2,4}[\s-]?\d{3,4}[\s-]?\d{3,4}"
)


def baseline_scan(text: str) -> list[tuple[int, int]]:
    """The cheapest useful check: e-mail addresses and phone-like digit runs only."""
    return [m.span() for m in _BASELINE_RE.finditer(text)]


def _time(func: Callable[[str], object], texts: list[str], min_seconds: float = 0.5) -> float:
    """Seconds per pass over ``texts`` (best of repeated passes, at least ``min_seconds``)."""
    best = float("inf")
    spent = 0.0
    passes = 0
    while spent < min_seconds or passes < 3:
        began = time.perf_counter()
        for text in texts:
            func(text)
        elapsed = time.perf_counter() - began
        best = min(best, elapsed)
        spent += elapsed
        passes += 1
    return best


def report(path: Path) -> bool:
    """Print the figures for one labelled set; True if it meets the thresholds."""
    result = evaluate(path)
    texts = [row["text"] for row in load_labelled(path)]
    scan(texts[0])  # warm caches (first-name list) before timing
    checker_scan = partial(scan, today=REFERENCE_DATE)

    print(
        f"labelled set:            {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}"
    )
    print(f"sentences:               {result['sentences']}")
    print(f"  with identifiers:      {result['sentences'] - result['clean_sentences']}")
    print(f"  clean:                 {result['clean_sentences']}")
    print(f"labelled identifiers:    {result['identifiers']}")
    found = f"{result['found']}/{result['identifiers']}"
    print(f"recall:                  {result['recall']:.3f} ({found})")
    print(
        f"false-alarm rate:        {result['false_alarm_rate']:.3f} "
        f"({result['false_alarm_sentences']}/{result['clean_sentences']} clean sentences flagged)"
    )
    print("per-kind recall:")
    for kind in KINDS:
        stats = result["per_kind"][kind]
        if stats["total"]:
            print(
                f"  {kind:<14} {stats['recall']:.3f} ({int(stats['found'])}/{int(stats['total'])})"
            )
    if result["missed"]:
        print("missed identifiers:")
        for kind, text, sentence in result["missed"]:
            print(f"  [{kind}] {text!r} in: {sentence}")
    if result["false_alarms"]:
        print("false alarms on clean sentences:")
        for sentence, flagged in result["false_alarms"]:
            print(f"  {flagged} in: {sentence}")

    checker = _time(checker_scan, texts)
    baseline = _time(baseline_scan, texts)
    print(f"throughput (checker):    {len(texts) / checker:,.0f} sentences/s")
    print(f"throughput (baseline):   {len(texts) / baseline:,.0f} sentences/s")
    print(f"checker/baseline time ratio: {checker / baseline:.1f}")

    ok = result["recall"] >= MIN_RECALL and result["false_alarm_rate"] <= MAX_FALSE_ALARMS
    if not ok:
        print(
            f"FAIL: need recall >= {MIN_RECALL} and false alarms <= {MAX_FALSE_ALARMS}",
            file=sys.stderr,
        )
    return ok


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    paths = [Path(a) for a in args] or [p for p in (BATCH_1, BATCH_2) if p.exists()]
    results = []
    for path in paths:
        results.append(report(path))
        print()
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
