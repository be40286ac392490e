"""Draw a sweep's charts from its result files (``seamig charts DIR``; also run at the end of a sweep).

Reads ``manifest.json``, ``runs.parquet`` and ``events.parquet`` only, never an engine. The charts
are those named in the experiment's ``[charts]`` tables (a bar chart per outcome if none), plus a
map of where people died, were rescued and were intercepted, and a sensitivity chart for Sobol or
Morris sweeps. Each is written as PNG and SVG under ``DIR/figures/`` with a caption naming the
experiment, replicates, root seed and engine.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from matplotlib.axes import Axes

from experiments.chart_kinds import CHART_KINDS
from experiments.present import sweep_charts as sc
from experiments.present.style import RC, caption, figure, save_figure
from experiments.run.analysis import differences, factor_columns, load_results, sensitivity_indices, summarize
from model.errors import ConfigError

log = logging.getLogger(__name__)


def _title(ax, text: str) -> None:
    """Set a title in the house style (outside the plotting functions' style context)."""
    ax.set_title(text, fontsize=RC["axes.titlesize"], fontweight=RC["axes.titleweight"])


def _baseline_labels(runs: pd.DataFrame, name: str) -> set[str]:
    """Scenario labels that are ``name`` itself or belong to the package ``name``."""
    labels = {name}
    if "package" in runs.columns:
        labels |= set(runs.loc[runs["package"] == name, "scenario"])
    return labels


def _where(table: pd.DataFrame, where: dict, runs: pd.DataFrame | None = None) -> pd.DataFrame:
    """Rows of ``table`` whose factors equal the ``where`` values (differences: via runs)."""
    if not where:
        return table
    if runs is not None:
        keep = runs.copy()
        for k, v in where.items():
            keep = keep[keep[k] == v]
        return table[table["scenario_index"].isin(set(keep["scenario_index"]))]
    mask = pd.Series(True, index=table.index)
    for k, v in where.items():
        mask &= table[k] == v
    return table[mask]


@dataclass(frozen=True)
class View:
    """What every chart kind draws from: the sweep's summary, paired differences, runs and events."""

    summary: pd.DataFrame
    diffs: pd.DataFrame | None
    runs: pd.DataFrame
    events: pd.DataFrame
    experiment: dict[str, Any]


def draw_dose_response(c: dict[str, Any], v: View, ax: Axes) -> None:
    """An outcome against one factor (``x``), one line per ``hue``."""
    sc.plot_dose_response(
        _where(v.summary, dict(c.get("where", {}))), outcome=c["outcome"], x=c["x"], hue=c.get("hue"), ax=ax
    )


def draw_bars(c: dict[str, Any], v: View, ax: Axes) -> None:
    """An outcome in each scenario (or ``group``)."""
    sc.plot_grouped_bars(
        _where(v.summary, dict(c.get("where", {}))), outcome=c["outcome"], group=c.get("group", "scenario"), ax=ax
    )


def draw_heatmap(c: dict[str, Any], v: View, ax: Axes) -> None:
    """An outcome over two factors (``x`` and ``y``)."""
    sc.plot_heatmap(_where(v.summary, dict(c.get("where", {}))), outcome=c["outcome"], x=c["x"], y=c["y"], ax=ax)


def draw_differences(c: dict[str, Any], v: View, ax: Axes) -> None:
    """Paired changes against the baseline (an empty panel without a baseline)."""
    if v.diffs is None:
        return
    d_sel = _where(v.diffs, dict(c.get("where", {})), v.runs)
    sc.plot_differences(
        d_sel[~d_sel["scenario"].isin(_baseline_labels(v.runs, v.experiment["baseline"]))], outcome=c["outcome"], ax=ax
    )


def draw_by_state(c: dict[str, Any], v: View, ax: Axes) -> None:
    """A per-state measure (experiments/present/burden.py), from the runs."""
    from experiments.present.burden import plot_by_state

    plot_by_state(_where(v.runs, dict(c.get("where", {}))), outcome=c["outcome"], ax=ax)


def draw_map(c: dict[str, Any], v: View, ax: Axes) -> None:
    """Replicate 0 of one scenario (``scenario``, else the first) on the map."""
    ev = v.events
    if c.get("scenario") and len(ev):
        ev = ev[(ev["scenario"] == c["scenario"]) | ev["scenario"].isin(_baseline_labels(v.runs, c["scenario"]))]
        ev = ev[ev["scenario_index"] == ev["scenario_index"].min()] if len(ev) else ev
    elif len(ev):
        ev = ev[ev["scenario_index"] == ev["scenario_index"].min()]
    sc.plot_map(ev, ax=ax)
    label = ev["scenario"].iloc[0] if len(ev) else ""
    _title(ax, f"Where people died, were rescued and were returned: {label} (replicate 0)")


#: Each chart kind's drawing function, as the registry names it (a kind without one fails on import).
DRAW: dict[str, Callable[[dict[str, Any], View, Axes], None]] = {
    kind: globals()[k.draw] for kind, k in CHART_KINDS.items()
}


def draw_all(folder: str | Path) -> list[Path]:
    """Draw every chart of the sweep in ``folder``; return the files written."""
    root = Path(folder)
    manifest, runs, _, events = load_results(root, daily=False)
    exp = manifest["experiment"]
    outcomes = list(exp["outcomes"])
    factors = factor_columns(manifest)
    reps = exp["replicates"]
    cap = (
        f"Experiment {exp['name']}: {reps} replicate{'s' if reps != 1 else ''} per scenario, "
        f"root seed {exp['seed']}, engine {exp['engine']}. Bands and bars: 95% bootstrap intervals."
    )
    out = root / "figures"
    if out.exists() and not out.is_dir():
        raise ConfigError("DIR", str(out), "a folder for the charts (it is a file: move it away, then draw again)")
    written: list[Path] = []
    charts = dict(exp.get("charts") or {})
    if exp["design"] in ("sobol", "morris"):
        idx = sensitivity_indices(manifest, runs, outcomes, seed=exp["seed"])
        idx.to_csv(root / f"sensitivity_{exp['design']}.csv", index=False)
        for o in outcomes:
            fig, ax = figure(size=(12, 7))
            sc.plot_sensitivity(idx, outcome=o, method=exp["design"], ax=ax)
            caption(fig, cap)
            written += save_figure(fig, out / f"sensitivity_{exp['design']}_{o}")
        return written
    if not charts:
        charts = {f"bars_{o}": {"kind": "bars", "outcome": o} for o in outcomes}
        charts["map"] = {"kind": "map"}
    chart_outcomes = sorted(
        {c["outcome"] for c in charts.values() if "outcome" in c and c["kind"] != "by_state"} | set(outcomes)
    )
    summary = summarize(runs, chart_outcomes, factors, seed=exp["seed"])
    summary.to_csv(root / "summary.csv", index=False)
    diffs = (
        differences(runs, exp["baseline"], chart_outcomes, factors, seed=exp["seed"]) if exp.get("baseline") else None
    )
    view = View(summary, diffs, runs, events, exp)
    for name, c in charts.items():
        kind = c["kind"]
        fig, ax = figure(size=(12, 8) if kind == "map" else (12, 7))
        DRAW[kind](c, view, ax)
        if c.get("title"):
            _title(ax, c["title"])
        caption(fig, cap)
        written += save_figure(fig, out / name)
    if diffs is not None:
        diffs.to_csv(root / "differences.csv", index=False)
    return written
