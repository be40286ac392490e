"""The chart kinds an experiment's ``[charts.<name>]`` tables may ask for: one registry.

Spec validation (``experiments/run/spec.py``) checks a chart's kind and required options here,
``seamig charts`` (``experiments/present/figures.py``) draws each kind with the function named here, and
the report names the kinds from here. The functions are named, not imported, so the run side reads
this registry without importing the presentation side (or matplotlib).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ChartKind:
    """One kind of sweep chart: the options it needs, what it shows, and its drawing function."""

    needs: tuple[str, ...]
    description: str
    draw: str  # a function in experiments/present/figures.py: draw(chart, view, ax)


CHART_KINDS: dict[str, ChartKind] = {
    "dose_response": ChartKind(
        ("outcome", "x"),
        "an outcome's mean and 95% interval against one factor (one line per hue)",
        "draw_dose_response",
    ),
    "bars": ChartKind(("outcome",), "an outcome's mean and 95% interval in each scenario", "draw_bars"),
    "differences": ChartKind(
        ("outcome",), "the paired change in an outcome against the baseline, with its 95% interval", "draw_differences"
    ),
    "heatmap": ChartKind(
        ("outcome", "x", "y"), "an outcome's mean for each combination of two factors", "draw_heatmap"
    ),
    "map": ChartKind((), "where people died, were rescued and were returned, in one run", "draw_map"),
    # per-state burden (experiments/present/burden.py): outcome is a per-state measure, e.g. burden_by_state
    "by_state": ChartKind(("outcome",), "a per-state measure in each scenario, one bar per state", "draw_by_state"),
}
