"""Benchmark the anonymisation checker on the labelled set.

Run from the project root: ``python benchmarks/anonymisation.py``. Prints recall, the
false-alarm rate on clean sentences, per-kind recall, and throughput compared with a trivial
regex-only e-mail + phone scan timed in the same process (so the ratio is comparable across
machines). Exits non-zero if recall < 0.95 or false alarms > 0.10.
"""

from __future__ import annotations

import re
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from workflows.anonymisation import KINDS, scan  # noqa: E402
from workflows.anonymisation_eval import (  # noqa: E402
    DEFAULT_SET,
    REFERENCE_DATE,
    evaluate,
    load_labelled,
)

MIN_RECALL = 0.95
MAX_FALSE_ALARMS = 0.10

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


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    path = Path(args[0]) if args else DEFAULT_SET
    result = evaluate(path)
    texts = [row["text"] for row in load_labelled(path)]
    scan(texts[0])  # warm caches (first-name list) before timing
    checker_scan = partial(scan, today=REFERENCE_DATE)

    print(f"labelled set:            {path}")
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
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
