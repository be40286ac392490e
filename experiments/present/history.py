"""The history chart: the model's months against the observed months, with the regime changes marked.

The chart researchers show first: monthly people landed and monthly dead and missing, the model's
replicates as a band (median and the middle 90%, or the range of fewer than five runs) and the
observed months as points, with the dated changes of the scenario's ``[[timeline]]`` as thin
vertical lines. It reads result files only (a ``seamig run`` folder or a sweep folder), never an
engine; the monthly tables come from :func:`model.outcomes.monthly`.

Observed data (``experiments/data/central_med_monthly_2014_2017.csv``, see the README beside it):
UNHCR monthly sea arrivals in Italy and Malta, and IOM Missing Migrants Project dead and missing on
the Central Mediterranean route, compiled in the public repository stklem/med_migration. The
observed arrivals count landings in Italy and Malta only; the model's ``arrivals`` count landings
in any safe state, and the caption says which share of them landed elsewhere.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import textwrap
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter
from matplotlib.transforms import blended_transform_factory, offset_copy

from experiments.present.style import COLOURS, OKABE_ITO, RC, caption, figure, plt, save_figure
from model.errors import ConfigError
from model.outcomes import DAILY_COLUMNS, monthly

log = logging.getLogger(__name__)

#: The observed monthly series shipped with the package.
OBSERVED_CSV = Path(__file__).resolve().parents[1] / "data" / "central_med_monthly_2014_2017.csv"
#: Columns of the observed CSV and the model outcome each is compared with.
OBSERVED_COLUMNS: dict[str, str] = {"sea_arrivals_italy_malta": "arrivals", "dead_missing": "dead_and_missing"}
#: States whose landings the observed arrivals count.
OBSERVED_STATES: tuple[str, ...] = ("Italy", "Malta")
#: Most scenarios of a sweep drawn as bands; with more, only the baseline (or the first) is drawn.
MAX_SCENARIOS = 4
#: Fewest replicates for which the band is the 5th-95th percentile rather than the range.
MIN_FOR_QUANTILES = 5
#: Colours of the scenarios when a sweep's scenarios share a panel (Okabe-Ito, in this order).
SCENARIO_COLOURS: tuple[str, ...] = (OKABE_ITO["blue"], OKABE_ITO["orange"], OKABE_ITO["green"], OKABE_ITO["purple"])
REGIME_COLOUR = "#555555"


@dataclass(frozen=True, slots=True)
class OutcomeText:
    """The words of one panel.

    Attributes:
        title: the panel's title, in plain language.
        ylabel: the y axis label, with its unit.
        model: legend label of the model's series.
        observed: legend label of the observed points, naming the source and its definition.
    """

    title: str
    ylabel: str
    model: str
    observed: str


#: The outcomes the history chart can draw, and their words.
OUTCOMES: dict[str, OutcomeText] = {
    "arrivals": OutcomeText(
        title="People landed by sea, per month",
        ylabel="Persons per month",
        model="Model: landed in any safe state",
        observed="Recorded: sea arrivals in Italy\nand Malta (UNHCR)",
    ),
    "dead_and_missing": OutcomeText(
        title="People dead or missing at sea, per month",
        ylabel="Persons per month",
        model="Model: dead or missing",
        observed="Recorded: dead or missing\n(IOM Missing Migrants Project)",
    ),
}


@dataclass(frozen=True, slots=True)
class Regime:
    """A dated change of policy or conditions, drawn as a thin vertical line.

    Attributes:
        date: the day the change takes effect.
        label: a short name for the line (a few words).
    """

    date: pd.Timestamp
    label: str


# --- inputs -------------------------------------------------------------------------------------


def short_label(text: str, words: int = 4, chars: int = 26) -> str:
    """The first few words of ``text`` (at most ``words`` words and about ``chars`` characters), with "…" if cut."""
    parts = " ".join(str(text).split()).split(" ")
    out = ""
    for w in parts[:words]:
        if out and len(out) + 1 + len(w) > chars:
            break
        out = f"{out} {w}" if out else w
    out = out[:chars].rstrip(",;:.")  # one very long first word is cut
    return out + "…" if out != " ".join(parts).rstrip(",;:.") else out


def read_timeline(path: str | Path) -> list[Regime]:
    """The regime changes of a scenario file's ``[[timeline]]`` entries, in date order.

    Each entry needs a ``date`` (``"YYYY-MM-DD"`` or a TOML date); its label is its ``name`` if it has
    one, else the first few words of its ``note``, else the date. Other keys (the dotted changes)
    are ignored here: the model applies them, this chart only marks when.

    Args:
        path: a scenario TOML file.

    Returns:
        The regimes, sorted by date (empty if the file has no timeline).

    Raises:
        ConfigError: the file is missing or not TOML, or an entry has no valid date.
    """
    p = Path(path)
    try:
        with p.open("rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        raise ConfigError(
            "--scenario", str(p), "an existing scenario file or a built-in scenario name", problem="not found"
        ) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise ConfigError("--scenario", str(p), f"a UTF-8 TOML file ({err})", problem="malformed file") from None
    timeline = data.get("timeline", [])
    if not isinstance(timeline, list) or not all(isinstance(e, dict) for e in timeline):
        raise ConfigError("timeline", str(p), "an array of tables, [[timeline]] entries each with a date")
    out = []
    for i, entry in enumerate(timeline):
        when = entry.get("date")
        try:
            date = pd.Timestamp(when if isinstance(when, dt.date) else dt.date.fromisoformat(str(when)))
        except ValueError:
            raise ConfigError(f"timeline[{i}].date", when, "a date YYYY-MM-DD") from None
        name, note = entry.get("name"), entry.get("note")
        label = str(name).strip() if name else short_label(note) if note else date.date().isoformat()
        out.append(Regime(date, label))
    return sorted(out, key=lambda r: r.date)


def scenario_file(name_or_path: str | Path) -> Path:
    """A scenario file by path, or a built-in scenario's file by name."""
    from model.scenarios import BUILTIN, builtin_names

    text = str(name_or_path)
    if text in builtin_names():
        return BUILTIN / f"{text}.toml"
    path = Path(text)
    if not path.is_file():
        raise ConfigError(
            "--scenario",
            text,
            "an existing scenario file or a built-in scenario: " + ", ".join(builtin_names()),
            problem="not found",
        )
    return path


def load_observed(path: str | Path | None = None) -> pd.DataFrame:
    """The observed monthly series in the model's vocabulary.

    Args:
        path: a CSV with columns ``year``, ``month`` (1-12) and those of :data:`OBSERVED_COLUMNS`
            (default: :data:`OBSERVED_CSV`).

    Returns:
        Columns ``month`` ("YYYY-MM") and the model outcomes (``arrivals``, ``dead_and_missing``).

    Raises:
        ConfigError: the file is missing, unreadable, or lacks a column or a valid year and month.
    """
    p = Path(path) if path is not None else OBSERVED_CSV
    need = ["year", "month", *OBSERVED_COLUMNS]
    allowed = "a CSV file with columns " + ", ".join(need)
    if not p.is_file():
        raise ConfigError("--observed", str(p), allowed, problem="not found")
    try:
        table = pd.read_csv(p)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as err:
        raise ConfigError(
            "--observed", str(p), f"{allowed} ({str(err).splitlines()[0]})", problem="unreadable file"
        ) from None
    missing = [c for c in need if c not in table.columns]
    if missing:
        raise ConfigError("--observed", str(p), allowed, problem=f"no column {', '.join(missing)} in")
    year = pd.to_numeric(table["year"], errors="coerce")
    month = pd.to_numeric(table["month"], errors="coerce")
    if year.isna().any() or month.isna().any() or not month.between(1, 12).all():
        raise ConfigError(
            "--observed", str(p), "whole-number years and months 1-12 in every row", problem="bad year or month in"
        )
    out = pd.DataFrame({"month": [f"{int(y):04d}-{int(m):02d}" for y, m in zip(year, month, strict=True)]})
    for col, outcome in OBSERVED_COLUMNS.items():
        out[outcome] = pd.to_numeric(table[col], errors="coerce")
    return out


def complete_months(table: pd.DataFrame) -> pd.DataFrame:
    """The rows of a monthly table whose month lies wholly inside the run (``days`` = the month's length)."""
    if table.empty:
        return table
    length = pd.to_datetime(table["month"] + "-01").dt.days_in_month.to_numpy()
    return table[table["days"].to_numpy() == length]


@dataclass(frozen=True)
class ModelMonths:
    """The model's monthly tables read from a result folder, with what the caption needs.

    Attributes:
        table: one row per run and month: ``scenario_index``, ``scenario``, ``replicate`` and the
            columns of :data:`model.outcomes.MONTHLY_COLUMNS` (partial months included).
        name: the scenario (a run) or the experiment (a sweep).
        engine: the engine that made the runs.
        replicates: runs per scenario.
        seeds: the seeds, in words.
        shown: which scenarios are drawn, in words ("" if all of them).
        elsewhere_share: share of the model's landings outside :data:`OBSERVED_STATES` (NaN if unknown).
        elsewhere: the states those landings were in.
    """

    table: pd.DataFrame
    name: str
    engine: str
    replicates: int
    seeds: str
    shown: str = ""
    elsewhere_share: float = float("nan")
    elsewhere: tuple[str, ...] = ()


def _elsewhere(by_state: dict[str, float]) -> tuple[float, tuple[str, ...]]:
    total = sum(by_state.values())
    other = {k: v for k, v in by_state.items() if k not in OBSERVED_STATES and v > 0}
    return (sum(other.values()) / total if total else float("nan")), tuple(sorted(other))


def _read_run(root: Path) -> ModelMonths:
    try:
        summary = json.loads((root / "summary.json").read_text(encoding="utf-8"))
        daily = pd.read_csv(root / "daily.csv", dtype={"date": str})
    except (OSError, ValueError) as err:
        raise ConfigError(
            "DIR", str(root), f"a folder written by `seamig run` ({err})", problem="unreadable run folder"
        ) from None
    missing = [c for c in DAILY_COLUMNS if c not in daily.columns]
    if missing:
        raise ConfigError(
            "DIR",
            str(root),
            f"a daily.csv written by `seamig run` (no column {missing[0]})",
            problem="bad daily table in",
        )
    table = monthly(daily)
    table.insert(0, "replicate", 0)
    table.insert(0, "scenario", str(summary.get("scenario", root.name)))
    table.insert(0, "scenario_index", 0)
    share, states = _elsewhere(summary.get("arrivals_by_state", {}))
    return ModelMonths(
        table,
        str(summary.get("scenario", root.name)),
        str(summary.get("engine", "?")),
        1,
        f"seed {summary.get('seed', '?')}",
        "",
        share,
        states,
    )


def _chosen_scenarios(runs: pd.DataFrame, exp: dict[str, Any]) -> tuple[list[int], str]:
    """The scenario indices to draw, and a note saying which when not all of them."""
    labels = (
        runs.drop_duplicates("scenario_index").sort_values("scenario_index").set_index("scenario_index")["scenario"]
    )
    if len(labels) <= MAX_SCENARIOS:
        return [int(i) for i in labels.index], ""
    baseline = exp.get("baseline")
    pick = labels.index[labels == baseline]
    if not len(pick) and baseline and "package" in runs.columns:
        pick = runs.loc[runs["package"] == baseline, "scenario_index"].sort_values().unique()
    which = "baseline" if len(pick) else "first"
    index = int(pick[0]) if len(pick) else int(labels.index[0])
    return [index], f"showing the {which} scenario '{labels[index]}' of {len(labels)}"


def _read_sweep(root: Path) -> ModelMonths:
    from experiments.run.analysis import load_results
    from experiments.run.store import read_table

    manifest, runs, _, _ = load_results(root, daily=False)
    if not (root / "daily.parquet").exists() or runs.empty:
        raise ConfigError(
            "DIR",
            str(root),
            "a sweep folder with daily.parquet and at least one finished run",
            problem="no daily table in",
        )
    exp = manifest.get("experiment", {})
    chosen, shown = _chosen_scenarios(runs, exp)
    long = read_table(
        root,
        "daily.parquet",
        required=("scenario_index", "scenario", "replicate", "day", "date", "variable", "value"),
        filters=[("scenario_index", "in", chosen)],
    )
    if long.empty:
        raise ConfigError(
            "DIR",
            str(root),
            "a sweep folder whose daily.parquet holds the runs' daily series",
            problem="empty daily table in",
        )
    wide = long.pivot(
        index=["scenario_index", "scenario", "replicate", "day", "date"], columns="variable", values="value"
    ).reset_index()
    tables = []
    for (s, label, r), g in wide.groupby(["scenario_index", "scenario", "replicate"], sort=True):
        t = monthly(g)
        t.insert(0, "replicate", int(r))
        t.insert(0, "scenario", label)
        t.insert(0, "scenario_index", int(s))
        tables.append(t)
    mine = runs[runs["scenario_index"].isin(chosen)]
    by_state = {c.split(".", 1)[1]: float(mine[c].sum()) for c in mine.columns if c.startswith("arrivals_by_state.")}
    share, states = _elsewhere(by_state)
    reps = int(manifest.get("replicates", mine["replicate"].nunique()))
    seeds = f"seeds spawned from root seed {manifest.get('root_seed', exp.get('seed', '?'))}"
    return ModelMonths(
        pd.concat(tables, ignore_index=True),
        str(exp.get("name", root.name)),
        str(manifest.get("engine", exp.get("engine", "?"))),
        reps,
        seeds,
        shown,
        share,
        states,
    )


def read_model_months(folder: str | Path) -> ModelMonths:
    """The model's monthly tables from a ``seamig run`` folder or a sweep folder.

    Raises:
        ConfigError: the folder is missing or holds neither a run's nor a sweep's daily table.
    """
    root = Path(folder)
    if not root.is_dir():
        raise ConfigError("DIR", str(root), "a folder written by `seamig run` or `seamig sweep`", problem="not found")
    if (root / "manifest.json").exists():
        return _read_sweep(root)
    if (root / "daily.csv").exists() and (root / "summary.json").exists():
        return _read_run(root)
    raise ConfigError(
        "DIR",
        str(root),
        "a folder written by `seamig run` (daily.csv, summary.json) or `seamig sweep` (manifest.json, daily.parquet)",
        problem="no daily table in",
    )


# --- the chart ----------------------------------------------------------------------------------


def _mid_month(months: pd.Series | np.ndarray) -> pd.DatetimeIndex:
    """The 15th of each "YYYY-MM": where a month's total is drawn on a date axis."""
    return pd.DatetimeIndex(pd.to_datetime(pd.Series(months).astype(str) + "-15").to_numpy())


def _band(table: pd.DataFrame, outcome: str) -> tuple[pd.DataFrame, int]:
    """Median, low and high of ``outcome`` per month over replicates, and the number of replicates."""
    reps = table["replicate"] if "replicate" in table.columns else pd.Series(0, index=table.index)
    wide = (
        table.assign(_rep=reps.to_numpy())
        .pivot_table(index="month", columns="_rep", values=outcome, aggfunc="sum")
        .sort_index()
    )
    n = wide.shape[1]
    if n >= MIN_FOR_QUANTILES:
        low, high = wide.quantile(0.05, axis=1), wide.quantile(0.95, axis=1)
    else:
        low, high = wide.min(axis=1), wide.max(axis=1)
    return pd.DataFrame({"median": wide.median(axis=1), "low": low, "high": high}), n


def _band_words(n: int) -> str:
    if n >= MIN_FOR_QUANTILES:
        return f"median and middle 90% of {n} runs"
    return f"range of {n} runs" if n > 1 else "one run"


def _label_regimes(ax: Axes, regimes: Sequence[Regime], data_top: float, fontsize: float = 11.0) -> list[int]:
    """Write each regime's label beside its line at the top of ``ax``, stacked in rows so none overlap.

    Labels go left to right into the first row where they fit; the y limit is raised so the rows sit
    above the data. Returns each label's row.
    """
    fig = ax.figure
    fig.canvas.draw()  # lay the figure out first, so the label widths are measured on the final axes
    renderer = fig.canvas.get_renderer()
    base = blended_transform_factory(ax.transData, ax.transAxes)
    line_pt = fontsize * 1.45
    ends: list[float] = []  # right edge (pixels) of the last label in each row
    rows = []
    gap = 14.0  # pixels between labels of a row (also absorbs small changes of layout when saved)
    right = ax.get_window_extent(renderer).x1
    for r in regimes:
        x = mdates.date2num(r.date)
        t = ax.text(
            x, 1.0, r.label, transform=base, ha="left", va="top", fontsize=fontsize, color=REGIME_COLOUR, zorder=4
        )
        t.set_bbox({"facecolor": "white", "edgecolor": "none", "alpha": 0.85, "pad": 1.0})
        bb = t.get_window_extent(renderer)
        x_line = bb.x0
        if bb.x1 + 4 > right:  # no room right of the line: write the label to its left
            t.set_ha("right")
            x0, x1 = x_line - bb.width - 4, x_line - 4
        else:
            x0, x1 = x_line + 4, bb.x1 + 4
        row = next((i for i, end in enumerate(ends) if x0 > end + gap), len(ends))
        if row == len(ends):
            ends.append(x1)
        ends[row] = x1
        dx = -4 if t.get_ha() == "right" else 4
        t.set_transform(offset_copy(base, fig=fig, x=dx, y=-(3 + row * line_pt), units="points"))
        rows.append(row)
    if rows:
        height_px = ax.get_window_extent(renderer).height
        label_px = ((max(rows) + 1) * line_pt + 6) * fig.dpi / 72
        free = max(0.35, 1 - label_px / height_px)
        ax.set_ylim(0, data_top / free)
    return rows


def plot_history(
    model_monthly: pd.DataFrame,
    observed: pd.DataFrame,
    *,
    outcome: str,
    regimes: Sequence[Regime] = (),
    ax: Axes | None = None,
    legend: bool = True,
) -> Axes:
    """The model's monthly ``outcome`` as a band over replicates, the observed months as points, regimes as lines.

    Args:
        model_monthly: one row per run and month: ``month`` ("YYYY-MM"), ``outcome``, and
            optionally ``replicate`` and ``scenario`` (one band per scenario, in order of appearance).
            Pass complete months only (:func:`complete_months`) to compare like with like.
        observed: ``month`` and ``outcome`` (as from :func:`load_observed`); only months inside the
            model's span are drawn.
        outcome: a key of :data:`OUTCOMES` (``arrivals`` or ``dead_and_missing``), or any column.
        regimes: dated changes; those inside the model's span are drawn as labelled vertical lines.
        ax: the axes to draw on (default: a new figure).
        legend: draw the legend (right of the axes).

    Returns:
        The axes.
    """
    ax = ax or figure()[1]
    words = OUTCOMES.get(outcome, OutcomeText(outcome.replace("_", " ").capitalize(), "Per month", "Model", "Recorded"))
    scenarios = list(dict.fromkeys(model_monthly["scenario"])) if "scenario" in model_monthly.columns else [None]
    colours = [COLOURS.get(outcome, SCENARIO_COLOURS[0])] if len(scenarios) == 1 else list(SCENARIO_COLOURS)
    handles: list[Any] = []
    top = 0.0
    for i, name in enumerate(scenarios):
        table = model_monthly if name is None else model_monthly[model_monthly["scenario"] == name]
        band, n = _band(table, outcome)
        t = _mid_month(band.index)
        colour = colours[i % len(colours)]
        if n > 1:
            ax.fill_between(t, band["low"], band["high"], color=colour, alpha=0.25, lw=0, step=None, zorder=1)
        ax.plot(t, band["median"], color=colour, lw=2.5, zorder=2, marker="o" if len(band) < 3 else None, markersize=6)
        who = words.model if name is None or len(scenarios) == 1 else f"{name}"
        handles.append(
            (
                Patch(facecolor=colour, alpha=0.25, edgecolor=colour)
                if n > 1
                else Line2D([], [], color=colour, lw=2.5),
                f"{who}\n({_band_words(n)})",
            )
        )
        top = max(top, float(np.nanmax(band["high"].to_numpy(dtype=float), initial=0.0)))
    months = model_monthly["month"].astype(str)
    first, last = months.min(), months.max()
    obs = observed[(observed["month"] >= first) & (observed["month"] <= last)].dropna(subset=[outcome])
    ax.scatter(
        _mid_month(obs["month"]),
        obs[outcome],
        s=48,
        color=OKABE_ITO["black"],
        edgecolors="white",
        linewidths=0.8,
        zorder=3,
        label=words.observed,
    )
    handles.append((Line2D([], [], marker="o", ls="", color=OKABE_ITO["black"], markersize=7), words.observed))
    top = max(top, float(obs[outcome].max()) if len(obs) else 0.0) * 1.05 or 1.0
    start = pd.Timestamp(f"{first}-01")
    end = pd.Timestamp(f"{last}-01") + pd.offsets.MonthEnd(0) + pd.Timedelta(days=1)
    ax.set_xlim(start, end)
    ax.set_ylim(0, top)
    shown = [r for r in regimes if start <= r.date < end]
    for r in shown:
        ax.axvline(r.date, color=REGIME_COLOUR, lw=1, ls=(0, (4, 3)), zorder=0)
    locator = mdates.AutoDateLocator(minticks=4, maxticks=10)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator, show_offset=False))
    if end - start > pd.Timedelta(days=730):
        ax.xaxis.set_minor_locator(mdates.MonthLocator(bymonth=(4, 7, 10)))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:,.0f}"))
    ax.set_ylabel(words.ylabel)
    ax.set_title(words.title, loc="left")
    ax.grid(axis="y", color="#dddddd", lw=0.8)
    ax.set_axisbelow(True)
    if legend:
        ax.legend(
            [h for h, _ in handles],
            [lab for _, lab in handles],
            loc="upper left",
            bbox_to_anchor=(1.01, 1.0),
            frameon=False,
            fontsize=12,
            labelspacing=1.0,
        )
    if shown:
        _label_regimes(ax, shown, top)
    return ax


def history_figure(
    model: ModelMonths, observed: pd.DataFrame, regimes: Sequence[Regime], caption_text: str
) -> plt.Figure:
    """Two panels, people landed and dead or missing per month, model against observed."""
    months = complete_months(model.table)
    with plt.rc_context(RC):
        fig, axes = figure(2, 1, size=(15, 10))
        for ax, outcome in zip(axes, ("arrivals", "dead_and_missing"), strict=True):
            plot_history(months, observed, outcome=outcome, regimes=regimes, ax=ax)
        fig.suptitle(
            f"{model.name}: the model's months (line and band) against the recorded months (dots)",
            fontsize=17,
            fontweight="bold",
            x=0.01,
            ha="left",
        )
        caption(fig, caption_text)
    return fig


def history_caption(model: ModelMonths, observed_path: Path, regimes_from: str) -> str:
    """The figure's caption: scenario, runs, seeds, engine, definitions and sources."""
    kind = (
        f"{model.replicates} replicate{'s' if model.replicates != 1 else ''} per scenario"
        if model.replicates != 1
        else "one run"
    )
    parts = [
        f"{model.name}; engine {model.engine}; {kind}, {model.seeds}"
        + (f"; {model.shown}" if model.shown else "")
        + "."
    ]
    if model.replicates > 1:
        band = "5th-95th percentile" if model.replicates >= MIN_FOR_QUANTILES else "range of the runs"
        parts.append(f"Model: totals of complete calendar months; line = median over runs, band = {band}.")
    else:
        parts.append("Model: the run's totals of complete calendar months.")
    where = "Model landings count any safe state"
    if np.isfinite(model.elsewhere_share) and model.elsewhere:
        where += f" ({100 * model.elsewhere_share:.1f}% of them in {', '.join(model.elsewhere)})"
    parts.append(where + "; recorded arrivals are landings in Italy and Malta only.")
    source = (
        "UNHCR sea arrivals; IOM Missing Migrants Project dead and missing (compiled in stklem/med_migration)"
        if observed_path == OBSERVED_CSV
        else f"{observed_path}"
    )
    parts.append(f"Recorded: {source}.")
    if regimes_from:
        parts.append(f"Dashed lines: dated changes of the timeline in {regimes_from}.")
    parts.append("seamig history")
    return "\n".join(textwrap.wrap(" ".join(parts), 170))


def draw_history(
    folder: str | Path,
    observed: str | Path | None = None,
    out: str | Path | None = None,
    scenario: str | Path | None = None,
) -> list[Path]:
    """Draw ``history.png``/``.svg`` for a run or sweep folder; return the files written.

    Every input is checked before anything is written.

    Args:
        folder: a ``seamig run`` folder or a sweep folder.
        observed: the observed monthly CSV (default :data:`OBSERVED_CSV`).
        out: the output folder (default ``folder/figures``).
        scenario: a scenario file or built-in name whose ``[[timeline]]`` gives the regime changes
            (default ``folder/scenario.toml`` if it exists, else none).

    Raises:
        ConfigError: a missing folder or file, a table without the needed columns, a bad timeline
            date, or no complete model month that has a recorded month.
    """
    root = Path(folder)
    model = read_model_months(root)
    obs_path = Path(observed) if observed is not None else OBSERVED_CSV
    obs = load_observed(obs_path)
    regimes: list[Regime] = []
    regimes_from = ""
    source = (
        scenario_file(scenario)
        if scenario is not None
        else root / "scenario.toml"
        if (root / "scenario.toml").is_file()
        else None
    )
    if source is not None:
        regimes = read_timeline(source)
        regimes_from = source.name
    months = complete_months(model.table)
    if months.empty:
        raise ConfigError(
            "DIR", str(root), "runs covering at least one whole calendar month", problem="no complete month in"
        )
    common = set(months["month"]) & set(obs.dropna(subset=list(OBSERVED_COLUMNS.values()), how="all")["month"])
    if not common:
        span = f"{months['month'].min()} to {months['month'].max()}"
        raise ConfigError(
            "--observed",
            str(obs_path),
            f"recorded months overlapping the model's complete months ({span})",
            problem="no overlapping months in",
        )
    target = Path(out) if out is not None else root / "figures"
    if target.exists() and not target.is_dir():
        raise ConfigError("--out", str(target), "a folder (or a path that does not exist yet)")
    fig = history_figure(model, obs, regimes, history_caption(model, obs_path, regimes_from))
    return save_figure(fig, target / "history")
