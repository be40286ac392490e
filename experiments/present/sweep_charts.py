"""Charts of experiment sweeps for policy roundtables: effects with their uncertainty, and a map.

Every function draws one panel, ``plot_<what>(data, *, ax=None) -> Axes``, from the tables that
the analysis writes (never from an engine) and never hides the uncertainty: means carry their
bootstrap confidence intervals as shaded bands, error bars or written intervals.

The tables:

``summary`` (long format, one row per scenario and outcome)
    ``scenario_index`` (int), ``scenario`` (label), ``outcome`` (e.g. ``dead_and_missing``),
    ``mean``, ``ci_low``, ``ci_high`` (float), ``n`` (replicates), and one column per experiment
    factor named by its dotted key (``policy.sar.fleets.ngo.count``) holding the scenario's value.
``diffs``
    ``scenario``, ``outcome``, ``diff_mean``, ``ci_low``, ``ci_high`` (each scenario minus a
    baseline, paired by replicate) and optionally ``baseline`` (the baseline's label).
``indices``
    ``outcome``, ``parameter`` (dotted key), ``index`` (``S1``/``ST`` for Sobol, ``mu_star``/
    ``sigma`` for Morris), ``value``, ``conf`` (half-width of the interval; may be NaN).
``events``
    the case log (``results/README.md``): ``event``, ``persons``, ``x_km``, ``y_km``.

Colours come from :mod:`experiments.present.style` (Okabe & Ito 2008, https://jfly.uni-koeln.de/color/);
each policy keeps one colour across charts (:func:`policy_colour`), a status quo or baseline is
grey. Heatmaps use cividis (Nuñez, Anderton & Renslow 2018, doi:10.1371/journal.pone.0199239),
readable with colour-vision deficiency. The Sobol and Morris indices are those of SALib (Herman &
Usher 2017, doi:10.21105/joss.00097). Captions naming experiment, replicates and seed are added to
the figure by the caller with :func:`experiments.present.style.caption`.
"""

from __future__ import annotations

import functools
import logging
import math
import textwrap
from collections.abc import Callable, Sequence
from typing import Any, ParamSpec

import numpy as np
import pandas as pd
from matplotlib import colormaps, patheffects
from matplotlib.axes import Axes
from matplotlib.colors import to_rgb
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter
from matplotlib.transforms import blended_transform_factory

from experiments.present import vocabulary
from experiments.present.basemap import BORDER, BORDER_DASHES, draw_land, draw_places, draw_srr_borders, view_km
from experiments.present.style import COLOURS, OKABE_ITO, RC, figure, plt
from experiments.present.vocabulary import ACRONYMS
from model.errors import ConfigError
from model.geography import places, project, srr_polygons_km

log = logging.getLogger(__name__)

# : Plain labels for dotted factor keys (units in brackets where they have one); outcomes' words are in
# :mod:`experiments.present.vocabulary`.
LABELS: dict[str, str] = {
    # factors
    "scenario": "Scenario",
    "policy.sar.fleets.ngo.count": "NGO ships",
    "policy.sar.ngo_blocked": "NGO ships blocked",
    "policy.sar.merchant.compliance": "Merchant ships that help (share)",
    "policy.sar.merchant.ships_in_area": "Merchant ships in the area",
    "policy.sar.aerial_surveillance": "Aerial surveillance (0-1)",
    "policy.sar.max_hours_with_people": "Hours a ship keeps people before asking (h)",
    "policy.cooperation.framework": "Cooperation between states",
    "policy.cooperation.relocation_share": "Share relocated after landing",
    "policy.legal.channels.resettlement.quota_per_year": "Resettlement places per year",
    "policy.legal.channels.humanitarian_visa.quota_per_year": "Humanitarian visas per year",
    "policy.legal.channels.labour.quota_per_year": "Work visas per year",
    "policy.legal.channels.family_reunification.quota_per_year": "Family reunification places per year",
    "policy.enforcement.information_campaign": "Information campaign (0-1)",
    "policy.enforcement.stop_unseaworthy_share": "Unseaworthy boats stopped (share)",
    "policy.enforcement.arrests_capacity_cut": "Smuggling capacity cut by arrests (share)",
    "world.adaptation.strength": "Smuggler adaptation strength",
    "world.demand.people_per_year": "People wanting to cross (per year)",
    "world.demand.retry_probability": "Chance of trying again after return",
    "world.weather.hazard_per_unit": "Weather hazard",
    "world.survival.drowning_per_hour": "Drowning rate in the water (per hour)",
    "world.detection.report_probability": "Chance a boat in distress is reported",
}
#: Plain names of the built-in fleets, for ``policy.sar.fleets.<fleet>.<field>`` keys.
FLEETS: dict[str, str] = {
    "ngo": "NGO ships",
    "italy_coast_guard_large": "Italian coast guard cutters",
    "italy_coast_guard_patrol": "Italian coast guard patrol boats",
    "italy_navy": "Italian navy ships",
    "eu_frontex": "Frontex ships",
    "eu_navfor_med": "EU naval mission ships",
    "malta_afm": "Maltese patrol boats",
    "libya_coast_guard": "Libyan coast guard boats",
    "tunisia_coast_guard": "Tunisian coast guard boats",
}
_UNITS = {
    "kn": "knots",
    "km": "km",
    "days": "days",
    "h": "h",
    "hours": "h",
    "usd": "USD",
    "people": "persons",
    "pct": "%",
    "c": "°C",
}

#: Policy colours in the order they are handed out (grey is kept for the status quo).
POLICY_PALETTE: tuple[str, ...] = tuple(
    OKABE_ITO[c] for c in ("blue", "orange", "green", "purple", "sky", "vermillion", "yellow", "black")
)
BASELINE_COLOUR = OKABE_ITO["grey"]
_BASELINE_WORDS = ("status_quo", "status quo", "baseline")
_MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")

#: Map labels: places to name, and where to write each SRR name (lon, lat, horizontal alignment).
MAP_PLACE_LABELS = ("Lampedusa", "Valletta", "Tripoli", "Zuwara", "Pozzallo")
SRR_LABEL_AT: dict[str, tuple[float, float, str]] = {
    "Italy": (13.3, 36.72, "center"),
    "Malta": (15.9, 35.1, "right"),
    "Libya": (15.9, 34.05, "right"),
    "Tunisia": (10.9, 37.7, "right"),
}
#: The event kinds the map draws: event -> (legend label, colour, marker, z-order).
MAP_KINDS: dict[str, tuple[str, str, str, float]] = {
    "unassisted_arrival": ("Reached land without help", OKABE_ITO["green"], "D", 3.0),
    "interception": ("Intercepted and returned", COLOURS["intercepted"], "o", 3.1),
    "rescue": ("Rescued", COLOURS["arrivals"], "o", 3.2),
    "capsize": ("People died or went missing", COLOURS["dead_and_missing"], "o", 3.5),
}
#: Marker area (points squared) per person on the map, and the smallest marker drawn.
AREA_PER_PERSON, MIN_AREA = 1.5, 12.0

P = ParamSpec("P")


# --------------------------------------------------------------------------- labels and colours


def readable(key: str) -> str:
    """A plain-language label for a dotted factor key or an outcome name.

    Args:
        key: a dotted key (``policy.sar.fleets.ngo.count``) or an outcome (``dead_and_missing``).

    Returns:
        The label from :data:`LABELS` or the outcome's (:func:`experiments.present.vocabulary.axis_label`) if known; for
        a fleet
        field the fleet's plain name
        (``policy.sar.fleets.navy.speed_kn`` -> "Navy: speed (knots)"); otherwise the last
        segment with underscores as spaces, capitalised, and a unit suffix in brackets.

    Examples:
        >>> readable("policy.sar.fleets.ngo.count")
        'NGO ships'
        >>> readable("world.weather.noise_sd")
        'Noise sd'
    """
    if key in LABELS:
        return LABELS[key]
    outcome = vocabulary.axis_label(key)
    if outcome is not None:
        return outcome
    parts = str(key).split(".")
    if len(parts) == 5 and parts[:3] == ["policy", "sar", "fleets"]:
        fleet = FLEETS.get(parts[3], _words(parts[3]).capitalize())
        if parts[4] == "count":
            return fleet if fleet.endswith(("ships", "boats")) else f"{fleet} (vessels)"
        return f"{fleet}: {_lower_first(_words_with_unit(parts[4]))}"
    if len(parts) == 4 and parts[:2] == ["policy", "states"]:
        return f"{parts[2]}: {_lower_first(_words_with_unit(parts[3]))}"
    return _words_with_unit(parts[-1])


def _words(s: str) -> str:
    return s.replace("_", " ").strip()


def _words_with_unit(segment: str) -> str:
    head, _, tail = segment.rpartition("_")
    if head and tail.lower() in _UNITS:
        return f"{_words(head).capitalize()} ({_UNITS[tail.lower()]})"
    text = _words(segment)
    return text[:1].upper() + text[1:]


def _lower_first(label: str) -> str:
    """Lower-case the first letter unless the first word is an acronym ("NGO ships")."""
    first = label.split(" ", 1)[0]
    if len(first) > 1 and first.isupper():
        return label
    return label[:1].lower() + label[1:]


def _subject(outcome: str) -> str:
    """The outcome's label without its unit, for titles ("Dead and missing")."""
    label = readable(outcome)
    return label.split(" (", 1)[0] if label.endswith(")") else label


def _plural(phrase: str) -> bool:
    first = phrase.split(" ", 1)[0]
    return " and " in phrase or (first.endswith("s") and not first.endswith("ss"))


def _natural_key(label: Any) -> tuple[int, float, str]:
    """Sort numbers by value, then everything else by text."""
    try:
        return (0, float(label), "")
    except (TypeError, ValueError):
        return (1, 0.0, str(label))


def is_baseline(label: str) -> bool:
    """Whether ``label`` names a status quo or baseline (drawn grey)."""
    head = str(label).lower().split(",")[0].strip()  # a package crossed with factors: "status_quo, x=1"
    return head.startswith(_BASELINE_WORDS)


def policy_colour(label: str, labels: Sequence[str]) -> str:
    """A fixed colour for one policy (scenario) label among ``labels``.

    A label containing "status_quo" or "baseline" is grey. The other labels are sorted (numbers
    by value, then text) and take the Okabe-Ito colours in :data:`POLICY_PALETTE` in that order,
    so a label gets the same colour in every chart drawn from the same set of labels, whatever
    their order in the table; beyond eight labels the colours repeat.

    Args:
        label: the label to colour (added to ``labels`` if missing).
        labels: every label shown in the chart or report.

    Returns:
        A hex colour.
    """
    if is_baseline(label):
        return BASELINE_COLOUR
    others = sorted({str(x) for x in labels if not is_baseline(str(x))} | {str(label)}, key=_natural_key)
    return POLICY_PALETTE[others.index(str(label)) % len(POLICY_PALETTE)]


def _fmt(v: float, signed: bool = False) -> str:
    """A number with few digits (12,345 / 123 / 12.3 / 1.23 / 0.012), with a true minus sign."""
    if v is None or not math.isfinite(v):
        return "–"
    a = abs(v)
    if a >= 100 or float(v).is_integer():
        s = f"{v:,.0f}"
    elif a >= 10:
        s = f"{v:.1f}"
    elif a >= 1:
        s = f"{v:.2f}"
    else:
        s = f"{v:.2g}"
    s = s.replace("-", "\N{MINUS SIGN}")
    return f"+{s}" if signed and v > 0 else s


def label_text(label: Any) -> str:
    """A scenario label or text value for display: "more_ngo_ships" -> "More NGO ships"."""
    words = [ACRONYMS.get(w.lower(), w) for w in _words(str(label)).split()]
    text = " ".join(words)
    return text[:1].upper() + text[1:]


def _fmt_value(v: Any) -> str:
    """A factor value as a tick label (0.5, 4, "ad hoc")."""
    if isinstance(v, bool | np.bool_):
        return "Yes" if v else "No"
    if isinstance(v, int | np.integer):
        return f"{int(v):,}"
    if isinstance(v, float | np.floating):
        return f"{int(v):,}" if float(v).is_integer() else f"{v:g}"
    return label_text(v)


def _ticks() -> FuncFormatter:
    """Axis ticks with thousands separators and a true minus sign (4,000 / 0.015 / −500)."""
    return FuncFormatter(lambda v, _pos: (f"{v:,.0f}" if abs(v) >= 1000 else f"{v:g}").replace("-", "\N{MINUS SIGN}"))


def _wrap(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(text, width)) or text


def _replicates(rows: pd.DataFrame) -> str:
    """How many runs each mean is over, from the ``n`` column: "20 runs each", "18–20 runs each"."""
    if "n" not in rows or rows["n"].isna().all():
        return "several runs each"
    lo, hi = int(rows["n"].min()), int(rows["n"].max())
    return f"{lo} runs each" if lo == hi else f"{lo}–{hi} runs each"


# --------------------------------------------------------------------------- checks


def _need_columns(df: pd.DataFrame, columns: Sequence[str], what: str) -> None:
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ConfigError(
            what, ", ".join(missing), "columns: " + ", ".join(map(str, df.columns)), problem="missing column(s)"
        )


def _rows_for(df: pd.DataFrame, outcome: str, what: str) -> pd.DataFrame:
    _need_columns(df, ["outcome"], what)
    rows = df[df["outcome"] == outcome]
    if rows.empty:
        raise ConfigError(
            "outcome",
            outcome,
            "one of " + ", ".join(sorted(map(str, df["outcome"].unique()))),
            problem="no rows for outcome",
        )
    return rows


def _unique(rows: pd.DataFrame, keys: list[str]) -> None:
    if rows.duplicated(keys).any():
        first = tuple(rows.loc[rows.duplicated(keys), keys].iloc[0])
        raise ConfigError(
            " and ".join(keys),
            first,
            "one scenario per value; filter the summary to fixed values of the other factors first",
            problem="several scenarios share the value",
        )


# --------------------------------------------------------------------------- house style


def _styled(draw: Callable[P, Axes]) -> Callable[P, Axes]:
    """Run a chart function inside the house rc settings (fonts set when artists are made)."""

    @functools.wraps(draw)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> Axes:
        with plt.rc_context(RC):
            return draw(*args, **kwargs)

    return wrapper


def _axes(ax: Axes | None, size: tuple[float, float] = (12, 7)) -> Axes:
    if ax is None:
        ax = figure(size=size)[1]
    ax.tick_params(axis="x", labelsize=RC["xtick.labelsize"])
    ax.tick_params(axis="y", labelsize=RC["ytick.labelsize"])
    return ax


def _ink_on(colour: Any) -> str:
    """Black or white text, whichever reads better on ``colour``."""
    r, g, b = to_rgb(colour)
    return "black" if 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.45 else "white"


def _halo(width: float = 3.0) -> list:
    return [patheffects.withStroke(linewidth=width, foreground="white")]


# --------------------------------------------------------------------------- charts


@_styled
def plot_dose_response(
    summary: pd.DataFrame, *, outcome: str, x: str, hue: str | None = None, ax: Axes | None = None
) -> Axes:
    """Mean outcome against one factor, one line per value of another, with confidence bands.

    Args:
        summary: per-scenario means with confidence intervals (module docstring).
        outcome: the outcome to draw, e.g. ``dead_and_missing``.
        x: factor column on the horizontal axis, sorted by value. Text values (e.g. a
            cooperation framework) are kept in scenario order and drawn as points with
            confidence whiskers, not joined by lines.
        hue: factor column with one line per value, or None for one line.
        ax: the Axes to draw on; a new house-style figure if None.

    Returns:
        The Axes. The title states the direction of the effect when the confidence intervals at
        the two ends of every line do not overlap ("Dead and missing fall with more NGO ships");
        call ``ax.set_title`` to replace it.

    Raises:
        ConfigError: no rows for ``outcome``, a missing column, or ``x`` and ``hue`` do not
            identify one scenario (another factor varies too).
    """
    rows = _rows_for(summary, outcome, "summary")
    _need_columns(rows, [x, "mean", "ci_low", "ci_high"] + ([hue] if hue else []), "summary")
    _unique(rows, [x] + ([hue] if hue else []))
    ax = _axes(ax)

    xnum = pd.to_numeric(rows[x], errors="coerce")
    numeric = bool(xnum.notna().all()) and rows[x].dtype != bool
    if numeric:
        rows = rows.assign(_x=xnum.astype(float))
    else:
        first = rows.sort_values("scenario_index") if "scenario_index" in rows else rows
        levels = list(dict.fromkeys(first[x]))
        rows = rows.assign(_x=rows[x].map({v: i for i, v in enumerate(levels)}).astype(float))
        ax.set_xticks(range(len(levels)), [_fmt_value(v) for v in levels])

    groups = (
        [(None, rows)] if hue is None else sorted(rows.groupby(hue, sort=False), key=lambda kv: _natural_key(kv[0]))
    )
    hue_labels = [_fmt_value(k) for k, _ in groups]
    trends = []
    whiskers = not numeric or rows[x].nunique() < 2  # a band needs two x values and an order
    for i, (_, g) in enumerate(groups):
        g = g.sort_values("_x")
        colour = OKABE_ITO["blue"] if hue is None else policy_colour(hue_labels[i], hue_labels)
        marker = _MARKERS[i % len(_MARKERS)]
        label = None if hue is None else hue_labels[i]
        if whiskers:
            dodge = 0.0 if numeric else 0.12 * (i - (len(groups) - 1) / 2)
            ax.errorbar(
                g["_x"] + dodge,
                g["mean"],
                yerr=[g["mean"] - g["ci_low"], g["ci_high"] - g["mean"]],
                fmt=marker,
                ms=10,
                color=colour,
                ecolor=colour,
                elinewidth=2.5,
                capsize=6,
                label=label,
            )
        else:
            ax.fill_between(g["_x"], g["ci_low"], g["ci_high"], color=colour, alpha=0.2, lw=0)
            ax.plot(g["_x"], g["mean"], color=colour, lw=3, marker=marker, ms=9, label=label)
        lo, hi = g.iloc[0], g.iloc[-1]
        trends.append(
            None if len(g) < 2 else -1 if hi["ci_high"] < lo["ci_low"] else 1 if hi["ci_low"] > lo["ci_high"] else 0
        )

    text = f"confidence\ninterval ({_replicates(rows)})"
    if whiskers:
        note = Line2D([], [], ls="none", marker="|", ms=18, mew=2.5, color="#777777", label=f"Whiskers: {text}")
    else:
        note = Patch(color="#999999", alpha=0.35, label=f"Shaded: {text}")
    handles, labels = ax.get_legend_handles_labels()
    ax.yaxis.set_major_formatter(_ticks())
    ax.legend(
        [*handles, note],
        [*labels, note.get_label()],
        title=readable(hue) if hue else None,
        loc="upper left",
        bbox_to_anchor=(1.01, 1.0),
        frameon=False,
        alignment="left",
    )

    x_label, subject = readable(x), _subject(outcome)
    ax.set_xlabel(x_label)
    ax.set_ylabel(readable(outcome))
    more = "more" if numeric and np.allclose(rows["_x"], np.round(rows["_x"])) else "higher"
    with_x = f"with {more} {_lower_first(x_label.split(' (', 1)[0])}" if numeric else f"by {_lower_first(x_label)}"
    verb = {-1: "fall", 1: "rise"}.get(trends[0]) if numeric and len(set(trends)) == 1 else None
    if verb is None:
        title = (
            f"{subject}: no clear trend {with_x}"
            if numeric and None not in trends
            else f"{subject} by {_lower_first(x_label)}"
        )
    else:
        title = f"{subject} {verb if _plural(subject) else verb + 's'} {with_x}"
    ax.set_title(_wrap(title, 60))
    ax.grid(axis="y", alpha=0.3)
    return ax


@_styled
def plot_grouped_bars(
    summary: pd.DataFrame,
    *,
    outcome: str,
    group: str = "scenario",
    ax: Axes | None = None,
    order: Sequence[Any] | None = None,
) -> Axes:
    """One bar per scenario (or value of ``group``): mean with its confidence interval.

    Args:
        summary: per-scenario means with confidence intervals (module docstring).
        outcome: the outcome to draw.
        group: column naming the bars; each value must identify one row of ``outcome``.
        ax: the Axes to draw on; a new house-style figure if None.
        order: the bars to draw, in this order; default every value, by ``scenario_index``.

    Returns:
        The Axes, with a value label above each bar and colours from :func:`policy_colour`.

    Raises:
        ConfigError: no rows for ``outcome``, a missing column, a value of ``order`` that is
            not in ``group``, or ``group`` repeats within ``outcome``.
    """
    rows = _rows_for(summary, outcome, "summary")
    _need_columns(rows, [group, "mean", "ci_low", "ci_high"], "summary")
    _unique(rows, [group])
    ax = _axes(ax)
    if order is None:
        rows = rows.sort_values("scenario_index") if "scenario_index" in rows else rows
    else:
        unknown = [o for o in order if o not in set(rows[group])]
        if unknown:
            raise ConfigError(
                "order",
                unknown,
                "values of " + group + ": " + ", ".join(map(str, rows[group])),
                problem="unknown bar(s)",
            )
        rows = pd.concat([rows[rows[group] == o] for o in order], ignore_index=True)
    labels = [str(v) for v in rows[group]]
    colours = [policy_colour(lab, labels) for lab in labels]
    pos = np.arange(len(rows))
    mean, lo, hi = (rows[c].to_numpy(float) for c in ("mean", "ci_low", "ci_high"))
    ax.bar(pos, mean, width=0.7, color=colours, edgecolor="#333333", lw=1)
    ax.errorbar(pos, mean, yerr=[mean - lo, hi - mean], fmt="none", ecolor="#222222", capsize=8, lw=2)
    top = float(np.nanmax(np.r_[hi, mean, 0.0]))
    pad = 0.02 * (top - min(0.0, float(np.nanmin(np.r_[lo, 0.0])))) or 1.0
    for p, m, h in zip(pos, mean, hi, strict=True):
        ax.text(
            p, max(h, m) + pad, _fmt(m), ha="center", va="bottom", fontsize=14, fontweight="bold", path_effects=_halo()
        )
    ax.set_ylim(top=top + 6 * pad)
    crowded = len(rows) > 12
    width = max(8, min(18, 120 // max(1, len(rows))))
    ticks = [label_text(lab) if crowded else _wrap(label_text(lab), width) for lab in labels]
    ax.set_xticks(
        pos,
        ticks,
        rotation=40 if crowded else 0,
        ha="right" if crowded else "center",
        fontsize=RC["xtick.labelsize"] if len(rows) <= 6 else 11,
    )
    ax.yaxis.set_major_formatter(_ticks())
    ax.set_ylabel(readable(outcome))
    n_text = _replicates(rows)
    ax.set_xlabel(f"Bars: mean of {n_text}; black lines: confidence interval", fontsize=12, color="#444444")
    by = "in each scenario" if group == "scenario" else f"by {_lower_first(readable(group))}"
    ax.set_title(_wrap(f"{_subject(outcome)} {by}", 60))
    ax.grid(axis="y", alpha=0.3)
    ax.set_axisbelow(True)
    return ax


@_styled
def plot_heatmap(summary: pd.DataFrame, *, outcome: str, x: str, y: str, ax: Axes | None = None) -> Axes:
    """Grid of means over two factors, each cell written as mean and [confidence interval].

    Args:
        summary: per-scenario means with confidence intervals (module docstring).
        outcome: the outcome to draw.
        x: factor column across (columns of the grid, sorted by value).
        y: factor column up (rows of the grid, smallest at the bottom).
        ax: the Axes to draw on; a new house-style figure if None.

    Returns:
        The Axes; the colour bar is a second Axes of the same figure. Missing cells are light
        grey and marked "no runs".

    Raises:
        ConfigError: no rows for ``outcome``, a missing column, or ``x`` and ``y`` do not
            identify one scenario.
    """
    rows = _rows_for(summary, outcome, "summary")
    _need_columns(rows, [x, y, "mean", "ci_low", "ci_high"], "summary")
    _unique(rows, [x, y])
    ax = _axes(ax)
    xs = sorted(rows[x].unique(), key=_natural_key)
    ys = sorted(rows[y].unique(), key=_natural_key)
    cell = {(r[x], r[y]): r for _, r in rows.iterrows()}
    grid = np.full((len(ys), len(xs)), np.nan)
    for (xv, yv), r in cell.items():
        grid[ys.index(yv), xs.index(xv)] = r["mean"]
    cmap = colormaps["cividis"].with_extremes(bad="#eeeeee")
    im = ax.imshow(np.ma.masked_invalid(grid), cmap=cmap, origin="lower", aspect="auto")
    size = max(8.0, min(14.0, 56.0 / max(len(xs), len(ys), 1)))
    for j, yv in enumerate(ys):
        for i, xv in enumerate(xs):
            r = cell.get((xv, yv))
            if r is None:
                ax.text(i, j, "no runs", ha="center", va="center", fontsize=size, color="#444444")
                continue
            ink = _ink_on(cmap(im.norm(r["mean"])))
            ax.text(
                i,
                j,
                f"{_fmt(r['mean'])}\n[{_fmt(r['ci_low'])}–{_fmt(r['ci_high'])}]",
                ha="center",
                va="center",
                fontsize=size,
                color=ink,
                linespacing=1.3,
            )
    ax.set_xticks(range(len(xs)), [_fmt_value(v) for v in xs])
    ax.set_yticks(range(len(ys)), [_fmt_value(v) for v in ys])
    ax.set_xlabel(readable(x))
    ax.set_ylabel(readable(y))
    for side in ("top", "right", "left", "bottom"):
        ax.spines[side].set_visible(False)
    ax.tick_params(length=0)
    n_text = _replicates(rows)
    bar = ax.figure.colorbar(im, ax=ax, shrink=0.9, pad=0.02)
    bar.set_label(f"{readable(outcome)}\nmean of {n_text}; [confidence interval]", fontsize=13)
    bar.ax.tick_params(labelsize=RC["ytick.labelsize"])
    bar.ax.yaxis.set_major_formatter(_ticks())
    ax.set_title(_wrap(f"{_subject(outcome)} by {_lower_first(readable(x))} and {_lower_first(readable(y))}", 70))
    return ax


@_styled
def plot_differences(diffs: pd.DataFrame, *, outcome: str, ax: Axes | None = None) -> Axes:
    """Each scenario's change from a baseline (paired by replicate): dot and confidence interval.

    Args:
        diffs: differences from a baseline (module docstring), in the order to draw them (top
            first); a row whose scenario is the baseline itself is left out.
        outcome: the outcome to draw.
        ax: the Axes to draw on; a new house-style figure if None.

    Returns:
        The Axes. Filled dots: the interval excludes zero; hollow dots: no clear change.

    Raises:
        ConfigError: no rows for ``outcome`` or a missing column.
    """
    rows = _rows_for(diffs, outcome, "diffs")
    _need_columns(rows, ["scenario", "diff_mean", "ci_low", "ci_high"], "diffs")
    baselines = list(dict.fromkeys(rows["baseline"].astype(str))) if "baseline" in rows else []
    rows = rows[~rows["scenario"].astype(str).isin(baselines)]
    ax = _axes(ax)
    labels = [str(s) for s in rows["scenario"]]
    every = labels + baselines
    pos = np.arange(len(rows))[::-1]  # first row at the top
    mean, lo, hi = (rows[c].to_numpy(float) for c in ("diff_mean", "ci_low", "ci_high"))
    ax.axvline(0, color="#222222", lw=1.5, zorder=1)
    left = min(0.0, float(np.nanmin(np.r_[lo, mean, 0.0])))
    right = max(0.0, float(np.nanmax(np.r_[hi, mean, 0.0])))
    span = (right - left) or 1.0
    column = blended_transform_factory(ax.transAxes, ax.transData)  # numbers in a column right of the axes
    for p, lab, m, a, b in zip(pos, labels, mean, lo, hi, strict=True):
        colour = policy_colour(lab, every)
        clear = a > 0 or b < 0
        ax.errorbar(
            [m],
            [p],
            xerr=[[m - a], [b - m]],
            fmt="o",
            color=colour,
            ecolor=colour,
            elinewidth=4,
            capsize=7,
            capthick=2,
            ms=14,
            mfc=colour if clear else "white",
            mew=2.5,
            zorder=3,
        )
        ax.text(
            1.02,
            p,
            f"{_fmt(m, signed=True)}  [{_fmt(a, signed=True)} to {_fmt(b, signed=True)}]",
            transform=column,
            va="center",
            ha="left",
            fontsize=13,
        )
    ax.text(
        1.02, 1.0, "Change [interval]", transform=ax.transAxes, va="bottom", ha="left", fontsize=13, fontweight="bold"
    )
    ax.set_yticks(pos, [_wrap(label_text(lab), 22) for lab in labels])
    ax.set_ylim(-0.6, len(rows) - 0.4)
    ax.set_xlim(left - 0.06 * span, right + 0.06 * span)
    ax.xaxis.set_major_formatter(_ticks())
    ax.spines["left"].set_visible(False)
    ax.tick_params(axis="y", length=0)
    ax.grid(axis="x", alpha=0.3)
    against = " and ".join(_lower_first(label_text(b)) for b in baselines)
    ax.set_xlabel(
        f"Change in {_lower_first(readable(outcome))}\ndot: mean over paired runs; line: confidence "
        "interval; hollow: no clear change"
    )
    title = (
        f"{_subject(outcome)}: change against {against}"
        if baselines
        else f"Change in {_lower_first(_subject(outcome))}"
    )
    ax.set_title(_wrap(title, 60))
    return ax


@_styled
def plot_sensitivity(indices: pd.DataFrame, *, outcome: str, method: str, ax: Axes | None = None) -> Axes:
    """Sobol or Morris sensitivity indices per parameter, most influential at the top.

    Args:
        indices: sensitivity indices (module docstring).
        outcome: the outcome whose indices to draw.
        method: ``"sobol"`` (bars S1 and ST, sorted by ST) or ``"morris"`` (bars mu_star and
            sigma, sorted by mu_star).
        ax: the Axes to draw on; a new house-style figure if None (taller with many parameters).

    Returns:
        The Axes; error bars show ``conf`` wherever it is finite.

    Raises:
        ConfigError: an unknown method, no rows for ``outcome``, a missing column, or neither
            index of the method present.
    """
    names = {
        "sobol": (("ST", "Total effect, with interactions (ST)"), ("S1", "Effect alone (S1)")),
        "morris": (("mu_star", "Mean size of effect (μ*)"), ("sigma", "Spread: non-linear or interacting (σ)")),
    }
    if method not in names:
        raise ConfigError("method", method, "sobol or morris")
    rows = _rows_for(indices, outcome, "indices")
    _need_columns(rows, ["parameter", "index", "value", "conf"], "indices")
    kinds = names[method]
    rows = rows[rows["index"].isin([k for k, _ in kinds])]
    if rows.empty:
        raise ConfigError("index", method, " and ".join(k for k, _ in kinds), problem="no indices for method")
    _unique(rows, ["parameter", "index"])
    value = rows.pivot(index="parameter", columns="index", values="value")
    conf_table = rows.pivot(index="parameter", columns="index", values="conf")
    main = kinds[0][0]
    order = value[main].fillna(-np.inf).sort_values(kind="stable").index if main in value else value.index
    size = None if ax is not None else (12, max(5.0, 1.6 + 0.75 * len(order)))
    ax = _axes(ax, size or (12, 7))
    pos = np.arange(len(order))
    h = 0.38
    colours = (OKABE_ITO["blue"], OKABE_ITO["orange"])
    for k, ((idx, label), colour) in enumerate(zip(kinds, colours, strict=True)):
        if idx not in value:
            continue
        vals = value[idx].reindex(order).to_numpy(float)
        conf = conf_table[idx].reindex(order).to_numpy(float)
        y = pos + (h / 2 if k == 0 else -h / 2)
        ax.barh(y, np.nan_to_num(vals), height=h, color=colour, edgecolor="#333333", lw=0.8, label=label)
        ok = np.isfinite(conf) & np.isfinite(vals)
        if ok.any():
            ax.errorbar(vals[ok], y[ok], xerr=conf[ok], fmt="none", ecolor="#222222", capsize=5, lw=1.8)
    ax.set_yticks(pos, [_wrap(readable(p), 28) for p in order])
    ax.axvline(0, color="#222222", lw=1)
    ax.tick_params(axis="y", length=0)
    ax.grid(axis="x", alpha=0.3)
    ax.set_axisbelow(True)
    ax.legend(loc="lower right", frameon=True, framealpha=0.95, edgecolor="none")
    ax.xaxis.set_major_formatter(_ticks())
    if method == "sobol":
        ax.set_xlabel("Share of the outcome's variance (Sobol index); black lines: confidence interval")
    else:
        ax.set_xlabel(
            f"Elementary effect on {_lower_first(readable(outcome))} (Morris); black lines: confidence interval"
        )
    ax.set_title(_wrap(f"Which inputs matter most for {_lower_first(_subject(outcome))}", 60))
    ax.set_ylim(-0.6, len(order) - 0.4)
    return ax


@_styled
def plot_map(events: pd.DataFrame, *, ax: Axes | None = None) -> Axes:
    """Where people died, were rescued, were intercepted or landed unaided, on a map.

    Draws land (GSHHG coastline), the search-and-rescue regions (dashed), ports and departure
    points, then one scatter per event kind with marker area proportional to persons (deaths at
    a capsize; people taken aboard; people returned; people landed), smallest markers enlarged to
    stay visible. Events of other kinds and events without a position are ignored.

    Args:
        events: the case event log (module docstring); needs ``event``, ``persons``, ``x_km``,
            ``y_km``.
        ax: the Axes to draw on; a new house-style figure if None.

    Returns:
        The Axes, limited to 10-16 E, 32-38 N, in km east and north of 13 E 35 N, equal aspect.
        Each event scatter has ``gid`` set to its event kind.

    Raises:
        ConfigError: a missing column.
    """
    _need_columns(events, ["event", "persons", "x_km", "y_km"], "events")
    ax = _axes(ax, size=(13, 10))
    (x0, x1), (y0, y1) = view_km()
    draw_land(ax).set_gid("land")

    srr = srr_polygons_km()
    draw_srr_borders(ax).set_gid("srr")
    for name, poly in srr.items():
        if name in SRR_LABEL_AT:
            lon, lat, ha = SRR_LABEL_AT[name]
            lx, ly = (float(v) for v in project(lon, lat))
        else:  # the middle of the part of its bounding box inside the view
            lx = (max(x0, poly[:, 0].min()) + min(x1, poly[:, 0].max())) / 2
            ly = (max(y0, poly[:, 1].min()) + min(y1, poly[:, 1].max())) / 2
            ha = "center"
        if x0 <= lx <= x1 and y0 <= ly <= y1:
            ax.text(
                lx,
                ly,
                f"{name}\nSRR",
                ha=ha,
                multialignment=ha,
                va="center",
                fontsize=13,
                style="italic",
                color="#333333",
                zorder=2.5,
                path_effects=_halo(),
            )

    totals = {}
    for kind, (label, colour, marker, z) in MAP_KINDS.items():
        ev = events[events["event"] == kind]
        placed = ev["x_km"].notna() & ev["y_km"].notna()
        if not placed.all():
            log.debug("plot_map: %d %s events without a position left out", int((~placed).sum()), kind)
        ev = ev[placed]
        persons = ev["persons"].fillna(0).to_numpy(float)
        totals[kind] = int(persons.sum())
        area = np.maximum(AREA_PER_PERSON * persons, MIN_AREA)
        edge = "#5a1e00" if kind == "capsize" else "none"
        alpha = 0.75 if kind == "capsize" else 0.45
        ax.scatter(
            ev["x_km"],
            ev["y_km"],
            s=area,
            c=colour,
            marker=marker,
            alpha=alpha,
            edgecolors=edge,
            linewidths=0.8,
            zorder=z,
            label=label,
            gid=kind,
        )

    known = places()
    draw_places(ax, size=45)
    offsets = {
        "Lampedusa": (-10, 8, "right"),
        "Valletta": (10, 6, "left"),
        "Tripoli": (0, -18, "center"),
        "Zuwara": (-8, -16, "right"),
        "Pozzallo": (10, -4, "left"),
    }
    for n in MAP_PLACE_LABELS:
        if n not in known:
            continue
        px, py = project(known[n]["lon"], known[n]["lat"])
        dx, dy, ha = offsets.get(n, (8, 6, "left"))
        ax.annotate(
            n,
            (float(px), float(py)),
            xytext=(dx, dy),
            textcoords="offset points",
            ha=ha,
            va="center",
            fontsize=13,
            fontweight="bold",
            zorder=5,
            path_effects=_halo(),
        )

    kinds = [
        Line2D(
            [],
            [],
            ls="none",
            marker=MAP_KINDS[k][2],
            ms=11,
            color=MAP_KINDS[k][1],
            mec=MAP_KINDS[k][1],
            label=MAP_KINDS[k][0],
        )
        for k in ("capsize", "rescue", "interception", "unassisted_arrival")
    ]
    sites = [
        Line2D([], [], ls="none", marker=m, ms=8, color="#222222", label=lab)
        for m, lab in (("s", "Port"), ("^", "Departure point"))
    ]
    border_key = [Line2D([], [], ls=BORDER_DASHES, color=BORDER, lw=1.3, label="Search-and-rescue region (SRR)")]
    first = ax.legend(
        handles=kinds + sites + border_key,
        loc="upper left",
        bbox_to_anchor=(1.02, 1.0),
        frameon=False,
        title="What happened where",
        alignment="left",
    )
    ax.add_artist(first)
    first.set_clip_on(False)  # add_artist clips to the axes, which would drop it from tight bounding boxes
    sizes = [
        Line2D(
            [],
            [],
            ls="none",
            marker="o",
            ms=math.sqrt(max(AREA_PER_PERSON * n, MIN_AREA)),
            mfc="none",
            mec="#333333",
            label=f"{n} persons",
        )
        for n in (10, 100, 300)
    ]
    ax.legend(
        handles=sizes,
        loc="upper left",
        bbox_to_anchor=(1.02, 0.42),
        frameon=False,
        title="Circle area",
        alignment="left",
        labelspacing=1.4,
    )

    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect("equal")
    ax.set_anchor("W")  # keep the legends beside the map when equal aspect narrows it
    ax.set_xlabel("km east of 13°E")
    ax.set_ylabel("km north of 35°N")
    for side in ("top", "right"):
        ax.spines[side].set_visible(True)
    ax.set_title(
        f"Where people died, were rescued and were returned\n{totals['capsize']:,} died at "
        f"capsizes, {totals['rescue']:,} rescued, {totals['interception']:,} returned",
        fontsize=RC["axes.titlesize"],
    )
    return ax
