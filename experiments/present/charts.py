"""Charts drawn from result files only (never from an engine).

``plot_<what>(data, *, ax=None) -> Axes`` draws one panel; ``overview_figure`` composes the
one-run overview that ``seamig run`` writes as ``overview.png``/``.svg``.
"""

from __future__ import annotations

from typing import Any

import matplotlib.dates as mdates
import pandas as pd
from matplotlib.axes import Axes

from experiments.present.style import COLOURS, RC, caption, figure, plt


def _dates(daily: pd.DataFrame) -> pd.Series:
    return pd.to_datetime(daily["date"])


def plot_cumulative_outcomes(daily: pd.DataFrame, *, ax: Axes | None = None) -> Axes:
    """Cumulative people who arrived, died or went missing, and were returned, over time."""
    ax = ax or figure()[1]
    t = _dates(daily)
    ax.plot(t, daily["arrivals"].cumsum(), color=COLOURS["arrivals"], lw=3, label="Arrived in Europe")
    ax.plot(t, daily["intercepted"].cumsum(), color=COLOURS["intercepted"], lw=3, label="Returned to Libya/Tunisia")
    ax2 = ax.twinx()
    ax2.plot(
        t,
        (daily["dead"] + daily["missing"]).cumsum(),
        color=COLOURS["dead_and_missing"],
        lw=3,
        ls="--",
        label="Dead or missing (right axis)",
    )
    ax2.set_ylabel("Dead or missing (persons)", color=COLOURS["dead_and_missing"])
    ax2.spines["right"].set_visible(True)
    ax.set_ylabel("Persons, cumulative")
    ax.set_title("Who arrived, who was returned, who died")
    lines = ax.get_legend_handles_labels()[0] + ax2.get_legend_handles_labels()[0]
    ax.legend(lines, [str(h.get_label()) for h in lines], loc="upper left", frameon=False)
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%b"))
    return ax


def plot_daily_flows(daily: pd.DataFrame, *, ax: Axes | None = None) -> Axes:
    """Departures and arrivals per day (7-day mean)."""
    ax = ax or figure()[1]
    t = _dates(daily)
    ax.plot(
        t,
        daily["departures"].rolling(7, min_periods=1).mean(),
        color=COLOURS["departures"],
        lw=2.5,
        label="Left on a boat",
    )
    ax.plot(t, daily["arrivals"].rolling(7, min_periods=1).mean(), color=COLOURS["arrivals"], lw=2.5, label="Landed")
    ax.set_ylabel("Persons per day (7-day mean)")
    ax.set_title("Crossings through the year")
    ax.legend(frameon=False)
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%b"))
    return ax


def plot_waiting_at_sea(daily: pd.DataFrame, *, ax: Axes | None = None) -> Axes:
    """People held aboard ships waiting for a port, and refusals per week."""
    ax = ax or figure()[1]
    t = _dates(daily)
    ax.fill_between(
        t,
        daily["people_waiting_at_sea"],
        color=COLOURS["waiting"],
        alpha=0.6,
        label="People held at sea awaiting a port",
    )
    ax.set_ylabel("Persons aboard waiting ships")
    ax2 = ax.twinx()
    ax2.bar(
        t,
        daily["disembarkation_refusals"],
        color=COLOURS["dead_and_missing"],
        width=1.0,
        alpha=0.8,
        label="Refusals to let people land (right axis)",
    )
    ax2.set_ylabel("Refusals per day")
    ax2.spines["right"].set_visible(True)
    ax.set_title("Waiting for a place of safety")
    lines = ax.get_legend_handles_labels()[0] + ax2.get_legend_handles_labels()[0]
    ax.legend(lines, [str(h.get_label()) for h in lines], loc="upper left", frameon=False)
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%b"))
    return ax


def plot_rescued_by_actor(summary: dict[str, Any], *, ax: Axes | None = None) -> Axes:
    """People rescued by each kind of rescuer (bars with the share written on them)."""
    ax = ax or figure()[1]
    actors = summary["rescued_by_actor"]
    labels = {"coast_guard": "Coast guards", "navy": "Navies", "ngo": "NGO ships", "merchant": "Merchant ships"}
    total = max(1, sum(actors.values()))
    names = list(actors)
    vals = [actors[k] for k in names]
    bars = ax.barh([labels.get(k, k) for k in names], vals, color=[COLOURS.get(k, "#999999") for k in names])
    for b, v in zip(bars, vals, strict=True):
        ax.text(
            b.get_width(), b.get_y() + b.get_height() / 2, f"  {v:,} ({100 * v / total:.0f}%)", va="center", fontsize=12
        )
    ax.set_xlabel("Persons rescued")
    ax.set_title("Who rescued them")
    ax.set_xlim(0, max(vals + [1]) * 1.35)
    return ax


def overview_figure(daily: pd.DataFrame, summary: dict[str, Any], caption_text: str) -> plt.Figure:
    """The one-run overview: outcomes, flows, waiting at sea, rescuers."""
    with plt.rc_context(RC):
        fig, axes = figure(2, 2, size=(16, 10))
        plot_cumulative_outcomes(daily, ax=axes[0, 0])
        plot_daily_flows(daily, ax=axes[0, 1])
        plot_waiting_at_sea(daily, ax=axes[1, 0])
        plot_rescued_by_actor(summary, ax=axes[1, 1])
        d, dep = summary["dead_and_missing"], summary["departures"]
        fig.suptitle(
            f"{summary['arrivals']:,} landed, {d:,} dead or missing ({100 * d / max(1, dep):.1f}% "
            f"of departures), {summary['intercepted']:,} returned",
            fontsize=18,
            fontweight="bold",
        )
        caption(fig, caption_text)
    return fig
