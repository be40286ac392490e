"""Charts of a calibration folder (written by ``seamig calibrate``): it reads files, never an engine.

- ``predictive.png``: the posterior predictive check, month by month: the fitted model's runs
  (one per posterior draw) as a band against the recorded months, with the dated changes marked.
- ``pairs.png``: every pair of parameters in the posterior (weighted points), each parameter's
  posterior against its prior range on the diagonal, and the weighted correlations above.
- ``diagnostics.png``: the ABC-SMC rounds: threshold, acceptance rate, effective sample size.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import numpy as np
import pandas as pd

from experiments.present.history import complete_months, load_observed, plot_history, read_timeline, scenario_file
from experiments.present.style import OKABE_ITO, RC, caption, figure, plt, save_figure
from model.errors import ConfigError


def _short(key: str) -> str:
    parts = key.split(".")
    return ".".join(parts[-2:])


def _titled(fig: plt.Figure, title: str, words: str) -> None:
    """The figure's bold title and its caption (wrapped)."""
    fig.suptitle(title, fontsize=17, fontweight="bold", x=0.01, ha="left")
    caption(fig, "\n".join(textwrap.wrap(words, 170)))


def weighted_corr(x: np.ndarray, y: np.ndarray, w: np.ndarray) -> float:
    """Pearson correlation of ``x`` and ``y`` with weights ``w``."""
    w = w / w.sum()
    mx, my = (w * x).sum(), (w * y).sum()
    cov = (w * (x - mx) * (y - my)).sum()
    sx, sy = np.sqrt((w * (x - mx) ** 2).sum()), np.sqrt((w * (y - my) ** 2).sum())
    return float(cov / (sx * sy)) if sx > 0 and sy > 0 else float("nan")


def pairs_figure(post: pd.DataFrame, manifest: dict) -> plt.Figure:
    """Pair plot of the posterior: scatter below, weighted histograms on the diagonal, correlations above."""
    params = manifest["config"]["parameters"]
    keys = [p["key"] for p in params]
    k = len(keys)
    w = post["weight"].to_numpy()
    with plt.rc_context(RC):
        fig, axes = figure(k, k, size=(2.4 * k + 2, 2.4 * k + 1.5))
        axes = np.atleast_2d(axes)
        for i, pi in enumerate(params):
            for j, pj in enumerate(params):
                ax = axes[i, j]
                x = post[pj["key"]].to_numpy()
                y = post[pi["key"]].to_numpy()
                if i == j:
                    bins = (
                        np.geomspace(pi["lo"], pi["hi"], 21)
                        if pi["prior"] == "loguniform"
                        else np.linspace(pi["lo"], pi["hi"], 21)
                    )
                    ax.hist(x, bins=bins, weights=w, color=OKABE_ITO["blue"], alpha=0.8)
                    if pi["prior"] == "loguniform":
                        ax.set_xscale("log")
                    ax.set_xlim(pi["lo"], pi["hi"])
                    ax.set_yticks([])
                elif i > j:
                    ax.scatter(x, y, s=4 + 400 * w, alpha=0.35, color=OKABE_ITO["blue"], lw=0)
                    ax.set_xlim(pj["lo"], pj["hi"])
                    ax.set_ylim(pi["lo"], pi["hi"])
                    if pj["prior"] == "loguniform":
                        ax.set_xscale("log")
                    if pi["prior"] == "loguniform":
                        ax.set_yscale("log")
                else:
                    r = weighted_corr(x, y, w)
                    strong = abs(r) >= 0.3
                    ax.text(
                        0.5,
                        0.5,
                        f"r = {r:+.2f}",
                        ha="center",
                        va="center",
                        fontsize=16 if strong else 12,
                        fontweight="bold" if strong else "normal",
                        color=OKABE_ITO["vermillion"] if strong else "#777777",
                        transform=ax.transAxes,
                    )
                    ax.set_xticks([])
                    ax.set_yticks([])
                    for s in ax.spines.values():
                        s.set_visible(False)
                if i == k - 1:
                    ax.set_xlabel(_short(pj["key"]), fontsize=10)
                else:
                    ax.tick_params(labelbottom=False)
                if j == 0 and i > 0:
                    ax.set_ylabel(_short(pi["key"]), fontsize=10)
                ax.tick_params(labelsize=8)
        _titled(
            fig,
            f"{manifest['name']}: the posterior, parameter by parameter and in pairs",
            f"ABC-SMC (ELFI), last population of {len(post)} weighted samples; axes span each prior. "
            "Above the diagonal: weighted correlation (bold red: |r| >= 0.3, parameters the data "
            "cannot tell apart). seamig calibrate",
        )
    return fig


def diagnostics_figure(diag: pd.DataFrame, manifest: dict) -> plt.Figure:
    """The rounds of ABC-SMC: threshold, acceptance rate and effective sample size."""
    with plt.rc_context(RC):
        fig, axes = figure(1, 3, size=(16, 5.5))
        panels = (
            ("threshold", "Distance threshold", "falls as the fit tightens"),
            ("acceptance_rate", "Acceptance rate", "population / simulations"),
            ("effective_sample_size", "Effective sample size", "of the weighted population"),
        )
        for ax, (col, title, sub) in zip(axes, panels, strict=True):
            ax.plot(diag["round"], diag[col], marker="o", lw=2.5, color=OKABE_ITO["blue"])
            ax.set_title(f"{title}\n({sub})", loc="left", fontsize=13)
            ax.set_xlabel("Round")
            ax.set_xticks(diag["round"])
            ax.grid(axis="y", color="#dddddd")
            ax.set_ylim(bottom=0)
        _titled(
            fig,
            f"{manifest['name']}: ABC-SMC rounds ({manifest.get('status', '')})",
            f"{int(diag['simulations'].sum()):,} simulations, {diag['run_years'].sum():,.0f} run-years in "
            f"{manifest.get('seconds', float('nan')):,.0f} s; seed {manifest['seed']}; commit "
            f"{manifest.get('commit', '')[:12]}. seamig calibrate",
        )
    return fig


def predictive_figure(pred: pd.DataFrame, manifest: dict) -> plt.Figure:
    """Posterior predictive months against the record: arrivals and dead and missing, with the dated changes."""
    months = complete_months(pred.rename(columns={"draw": "replicate"}))
    observed = load_observed()
    scenario = manifest["config"]["scenario"]
    try:
        regimes = read_timeline(scenario_file(scenario))
    except (ConfigError, OSError):
        regimes = []
    n = pred["draw"].nunique()
    with plt.rc_context(RC):
        fig, axes = figure(2, 1, size=(15, 10))
        for ax, outcome in zip(axes, ("arrivals", "dead_and_missing"), strict=True):
            plot_history(months, observed, outcome=outcome, regimes=regimes, ax=ax)
        years = manifest["config"]["years"]
        _titled(
            fig,
            f"{manifest['name']}: posterior predictive months against the record "
            f"(fitted on {', '.join(map(str, years))})",
            f"{n} runs, one per draw from the posterior (resampled by weight), so the band holds both the "
            "parameters' doubt and the runs' noise: median and middle 90%. Model landings count any safe "
            "state; recorded arrivals are Italy and Malta (UNHCR); dead and missing: IOM Missing Migrants "
            "Project. seamig calibrate",
        )
    return fig


def draw_calibration(folder: str | Path) -> list[Path]:
    """Draw every chart of a calibration folder into ``folder/figures``; return the files written."""
    folder = Path(folder)
    manifest_path = folder / "manifest.json"
    if not manifest_path.exists() or not (folder / "posterior.parquet").exists():
        raise ConfigError("calibration", str(folder), "a folder written by `seamig calibrate`")
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    out = folder / "figures"
    out.mkdir(exist_ok=True)
    written: list[Path] = []
    post = pd.read_parquet(folder / "posterior.parquet")
    for name, fig in (
        ("pairs", pairs_figure(post, manifest)),
        ("diagnostics", diagnostics_figure(pd.read_parquet(folder / "diagnostics.parquet"), manifest)),
    ):
        written += save_figure(fig, out / f"{name}.png")
    if (folder / "predictive_monthly.parquet").exists():
        written += save_figure(
            predictive_figure(pd.read_parquet(folder / "predictive_monthly.parquet"), manifest),
            out / "predictive.png",
        )
    return written
