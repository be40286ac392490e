"""The sweep's table as a person reads it in a terminal: one row per scenario, labelled outcomes.

``seamig sweep`` and ``seamig summarize`` print the per-scenario means with their 95% bootstrap
intervals (and the paired differences from the baseline) through :func:`readable_table`: outcomes
in the experiment's order, each headed by a plain label and its unit, counts with thousands
separators, shares in per cent, and as many outcome columns side by side as fit in
:data:`WIDTH` characters; the rest follow in further blocks with the same rows. A value that was
the same in every run is written once, without an interval. The wait at sea for a place of safety
is averaged over the ships that waited (``mean_wait_days``), beside how many ships waited.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence

import pandas as pd

from experiments.present.vocabulary import heading as outcome_header
from experiments.present.vocabulary import kind, label

__all__ = ["WIDTH", "label", "outcome_header", "readable_table"]

#: Most characters a printed line may take.
WIDTH = 100
#: Spaces between columns.
GAP = 3
#: Narrowest outcome column (its heading wraps to this).
MIN_COLUMN = 18


def number(outcome: str, v: float, signed: bool = False) -> str:
    """One number in the outcome's unit, without the unit: "4,315", "2.12" (per cent), "1.4"."""
    if v is None or not math.isfinite(v):
        return "-"
    sign = "+" if signed else ""
    k = kind(outcome)
    if k == "share":
        return f"{100 * v:{sign}.2f}"
    if k == "days" or abs(v) < 10:
        return f"{v:{sign},.1f}" if abs(v) >= 0.1 or v == 0 else f"{v:{sign}.2g}"
    return f"{v:{sign},.0f}"


def cell(outcome: str, mean: float, low: float, high: float, signed: bool = False) -> str:
    """A mean and its interval: "4,315 [4,148, 4,513]"; the mean alone if every run gave it; "-" if there is none."""
    if mean is None or not math.isfinite(mean):
        return "-"
    if low == high == mean and kind(outcome) == "count" and float(mean).is_integer():
        return (
            f"{mean:{'+' if signed and mean else ''},.0f} (all runs)"  # a whole count every run gave: "334 (all runs)"
        )
    m, lo, hi = (number(outcome, x, signed) for x in (mean, low, high))
    if not (math.isfinite(low) and math.isfinite(high)):
        return m
    if lo == hi == m:
        return f"{m} (all runs)"
    return f"{m} [{lo}, {hi}]"


def readable_table(
    table: pd.DataFrame,
    outcomes: Sequence[str],
    *,
    mean: str = "mean",
    signed: bool = False,
    row_label: str = "Package",
) -> str:
    """The long summary table (:func:`experiments.run.analysis.summarize` or ``differences``) as text for a terminal.

    Args:
        table: one row per scenario and outcome, with ``scenario_index``, ``scenario``,
            ``outcome``, the mean column, ``ci_low`` and ``ci_high``.
        outcomes: the outcomes to show, in this order.
        mean: the column holding the point estimate (``diff_mean`` for differences).
        signed: write a sign on every number (differences).
        row_label: heading of the first column.

    Returns:
        Lines of at most :data:`WIDTH` characters: blocks of outcome columns, one row per
        scenario in the experiment's order.
    """
    outcomes = [o for o in outcomes if o in set(table["outcome"])]
    scenarios = table.drop_duplicates("scenario_index").sort_values("scenario_index")[["scenario_index", "scenario"]]
    names = [label(s) for s in scenarios["scenario"]]
    by = table.set_index(["scenario_index", "outcome"])
    columns: list[tuple[list[str], list[str]]] = []
    first = max(len(row_label), *(len(n) for n in names))
    first = min(first, WIDTH // 2)  # (a grid point's label ends with its factor's value: keep it whole where it fits)
    names = [n if len(n) <= first else n[: first - 1] + "." for n in names]
    for o in outcomes:
        cells = []
        for idx in scenarios["scenario_index"]:
            r = by.loc[(idx, o)]
            cells.append(cell(o, float(r[mean]), float(r["ci_low"]), float(r["ci_high"]), signed))
        width = max(MIN_COLUMN, *(len(c) for c in cells))
        width = min(width, WIDTH - first - GAP)
        head = textwrap.wrap(outcome_header(o), width) or [""]
        columns.append((head, [c.rjust(width) for c in cells]))
    blocks: list[list[tuple[list[str], list[str]]]] = []
    used = WIDTH + 1
    for col in columns:
        w = len(col[1][0]) + GAP
        if used + w > WIDTH:
            blocks.append([])
            used = first
        blocks[-1].append(col)
        used += w
    out: list[str] = []
    for block in blocks:
        depth = max(len(h) for h, _ in block)
        for line in range(depth):
            left = row_label if line == depth - 1 else ""
            parts = [left.ljust(first)]
            for head, cells in block:
                text = head[line - (depth - len(head))] if line >= depth - len(head) else ""
                parts.append(text.rjust(len(cells[0])))
            out.append((" " * GAP).join(parts).rstrip())
        for i, n in enumerate(names):
            out.append((" " * GAP).join([n.ljust(first), *(cells[i] for _, cells in block)]).rstrip())
        out.append("")
    return "\n".join(out).rstrip() + "\n"
