"""Draw a sweep's charts from its result files (``seamig charts DIR``; also run at the end of a sweep).

Reads ``manifest.json``, ``runs.parquet`` and ``events.parquet`` only, never an engine. The charts
are those named in the experiment's ``[charts]`` tables (a bar chart per outcome if none), plus a
map of where people died, were rescued and were intercepted, and a sensitivity chart for Sobol or
Morris sweeps. Each is written as PNG and SVG under ``DIR/figures/`` with a caption naming the
experiment, replicates, root seed and engine.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd

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
    for name, c in charts.items():
        kind = c["kind"]
        where = dict(c.get("where", {}))
        s_sel, d_sel = _where(summary, where), (_where(diffs, where, runs) if diffs is not None else None)
        fig, ax = figure(size=(12, 8) if kind == "map" else (12, 7))
        if kind == "dose_response":
            sc.plot_dose_response(s_sel, outcome=c["outcome"], x=c["x"], hue=c.get("hue"), ax=ax)
        elif kind == "bars":
            sc.plot_grouped_bars(s_sel, outcome=c["outcome"], group=c.get("group", "scenario"), ax=ax)
        elif kind == "heatmap":
            sc.plot_heatmap(s_sel, outcome=c["outcome"], x=c["x"], y=c["y"], ax=ax)
        elif kind == "differences" and d_sel is not None:
            sc.plot_differences(
                d_sel[~d_sel["scenario"].isin(_baseline_labels(runs, exp["baseline"]))], outcome=c["outcome"], ax=ax
            )
        elif kind == "by_state":  # per-state burden (experiments/present/burden.py), from the runs
            from experiments.present.burden import plot_by_state

            plot_by_state(_where(runs, where), outcome=c["outcome"], ax=ax)
        elif kind == "map":
            ev = events
            if c.get("scenario") and len(ev):
                ev = ev[(ev["scenario"] == c["scenario"]) | ev["scenario"].isin(_baseline_labels(runs, c["scenario"]))]
                ev = ev[ev["scenario_index"] == ev["scenario_index"].min()] if len(ev) else ev
            elif len(ev):
                ev = ev[ev["scenario_index"] == ev["scenario_index"].min()]
            sc.plot_map(ev, ax=ax)
            label = ev["scenario"].iloc[0] if len(ev) else ""
            _title(ax, f"Where people died, were rescued and were returned: {label} (replicate 0)")
        if c.get("title"):
            _title(ax, c["title"])
        caption(fig, cap)
        written += save_figure(fig, out / name)
    if diffs is not None:
        diffs.to_csv(root / "differences.csv", index=False)
    return written
