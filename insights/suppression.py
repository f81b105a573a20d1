"""Small-number suppression for breakdowns of topics, signposting and schools.

The rule (documented in docs/insights.md and the README):

1. **Primary.** A count from 1 to 4 is shown as "fewer than 5". Zero is shown as 0.
2. **Secondary, within a breakdown.** If exactly one cell of a breakdown is hidden, the
   next-smallest non-zero cell is hidden too (ties broken by label), so the hidden one cannot be
   worked out from a total. Where a breakdown has a published total (the all-services figure of a
   topic, the total of schools), the same applies across its parts; if no part is left to hide,
   the total is hidden instead. This repeats until nothing changes.
3. **Across periods.** Topic and signposting counts are suppressed month by month, for each
   service and for all services together, on the same whole-month cube whatever period is
   chosen. A count for a longer period is shown only if every month in it is shown; otherwise it
   is "withheld" (or "fewer than 5" if it is). So every figure on the page is a sum of monthly
   figures that are themselves shown, and subtracting two adjacent or overlapping periods can
   only give sums of shown monthly figures.
4. **Schools** are distinct counts, given for fixed periods only (month, term, year), so two
   overlapping custom ranges cannot be subtracted.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass

THRESHOLD = 5
FEWER_THAN = f"fewer than {THRESHOLD}"
WITHHELD = "withheld"


@dataclass(frozen=True)
class Cell:
    """A count and whether it may be shown. ``str()`` is what a reader sees."""

    value: int
    shown: bool = True

    def __str__(self) -> str:
        if self.shown:
            return f"{self.value:,}"
        return FEWER_THAN if self.value < THRESHOLD else WITHHELD

    @property
    def display_value(self) -> int | str:
        """The number where shown, otherwise the words (for Excel and PDF)."""
        return self.value if self.shown else str(self)

    @property
    def chart_value(self) -> int:
        """Hidden cells are drawn as zero-length bars (the table says why)."""
        return self.value if self.shown else 0


def is_small(value: int) -> bool:
    return 0 < value < THRESHOLD


def _hide_partner(
    values: dict[Hashable, int], hidden: set[Hashable], parts: Iterable[Hashable]
) -> Hashable | None:
    """If exactly one of ``parts`` is hidden, the next part to hide (smallest shown, non-zero)."""
    parts = list(parts)
    if sum(1 for p in parts if p in hidden and values.get(p, 0) > 0) != 1:
        return None
    candidates = [p for p in parts if p not in hidden and values.get(p, 0) > 0]
    if not candidates:
        return None
    return min(candidates, key=lambda p: (values[p], str(p)))


def suppress_table(
    values: dict[tuple[Hashable, Hashable], int],
    rows: Iterable[Hashable],
    columns: Iterable[Hashable],
    *,
    total_row: Hashable | None = None,
) -> set[tuple[Hashable, Hashable]]:
    """The hidden cells of a rows-by-columns table of counts (missing cells are 0).

    Rules 1 and 2: cells of 1 to 4 are hidden; within each row, and within each column's parts,
    a lone hidden cell takes the next-smallest with it. ``total_row`` names the row that is the
    total of the others in each column: if a column's parts have a lone hidden cell and nothing
    left to hide, that total is hidden instead.
    """
    rows, columns = list(rows), list(columns)
    hidden = {key for key, value in values.items() if is_small(value)}
    parts = [r for r in rows if r != total_row]
    changed = True
    while changed:
        changed = False
        for row in rows:
            row_values = {c: values.get((row, c), 0) for c in columns}
            row_hidden = {c for c in columns if (row, c) in hidden}
            partner = _hide_partner(row_values, row_hidden, columns)
            if partner is not None:
                hidden.add((row, partner))
                changed = True
        for column in columns:
            col_values = {r: values.get((r, column), 0) for r in parts}
            col_hidden = {r for r in parts if (r, column) in hidden}
            partner = _hide_partner(col_values, col_hidden, parts)
            if partner is not None:
                hidden.add((partner, column))
                changed = True
            elif (
                total_row is not None
                and (total_row, column) not in hidden
                and sum(1 for r in col_hidden if col_values[r] > 0) == 1
            ):
                hidden.add((total_row, column))
                changed = True
    return hidden
