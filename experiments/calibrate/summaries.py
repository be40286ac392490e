"""Summaries of runs and of the record, on the scale the distance compares them.

Deaths come in lumps: one shipwreck can take hundreds, so a month's dead and missing is mostly
noise about which month the wreck fell in. Every count is therefore summed over a period (a
quarter or a year, as the calibration file says) and compared on a log scale (``log(1 + x)``), so
that a quarter with 900 deaths against 600 counts as much as one with 90 against 60. A share (the
NGOs' share of rescues) is compared as it is.

Each summary is divided by its total error, ``sqrt(error**2 + discrepancy**2)``: ``error`` is the
observation error assumed for that series (the calibration file states it), ``discrepancy`` the
model's own shortfall, the same for every count series (on the log scale; a share has its error
only). The distance is then the Euclidean norm of the
difference: each summary counts by how many of its errors the run misses.

Model against record (what each series compares):

- ``arrivals``: landings in any safe state, against UNHCR's sea arrivals in Italy and Malta.
- ``dead_and_missing``: the model's dead and missing, against IOM Missing Migrants Project's.
- ``incidents``: capsizes, against IOM's incidents with a death or a missing person.
- ``returns``: people intercepted (by Libya, and by Tunisia near its coast), against UNHCR's returns
  to Libya; the record gives 2016 and 2017 only.
- ``ngo_share``: people rescued by NGO ships as a share of all rescued over the whole run, against
  the Italian Coast Guard's 2014-2017 figure (it is used only when every year of the run is fitted).
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from experiments.calibrate.config import CalibrationConfig
from model.errors import ConfigError
from model.outcomes import RunResult

DATA = Path(__file__).resolve().parents[1] / "data"
MONTHLY_CSV = DATA / "central_med_monthly_2014_2017.csv"
TARGETS_CSV = DATA / "calibration_targets_2014_2017.csv"
#: The daily columns each count series sums.
DAILY: dict[str, tuple[str, ...]] = {
    "arrivals": ("arrivals",),
    "dead_and_missing": ("dead", "missing"),
    "incidents": ("capsizes",),
    "returns": ("intercepted",),
}
#: The observed monthly column of each series the monthly file holds.
OBSERVED_MONTHLY: dict[str, str] = {
    "arrivals": "sea_arrivals_italy_malta",
    "dead_and_missing": "dead_missing",
    "incidents": "incidents",
}


@dataclass(frozen=True)
class Layout:
    """Which summaries a calibration compares, in order: one (series, period) each, with its total error."""

    series: tuple[str, ...]
    periods: tuple[str, ...]
    scale: tuple[float, ...]
    log: tuple[bool, ...]
    first_day: str
    days: int

    @property
    def labels(self) -> list[str]:
        """``series period`` of each summary, e.g. ``dead_and_missing 2015Q1``."""
        return [f"{s} {p}" for s, p in zip(self.series, self.periods, strict=True)]

    def __len__(self) -> int:
        return len(self.series)


def period_of(dates: pd.Series | np.ndarray, period: str) -> np.ndarray:
    """The period label of each ISO date: ``2015-03``, ``2015Q1``, ``2015`` or ``all``."""
    text = pd.Series(np.asarray(dates, dtype=str))
    if period == "month":
        return text.str.slice(0, 7).to_numpy()
    if period == "year":
        return text.str.slice(0, 4).to_numpy()
    if period == "quarter":
        month = text.str.slice(5, 7).astype(int)
        return (text.str.slice(0, 4) + "Q" + ((month - 1) // 3 + 1).astype(str)).to_numpy()
    return np.full(len(text), "all", dtype=object)


def _full_periods(first_day: str, days: int, period: str, years: tuple[int, ...]) -> list[str]:
    """Periods that lie wholly inside the run and inside the fitted years, in order (``all``: every year fitted)."""
    start = dt.date.fromisoformat(first_day)
    dates = pd.Series([(start + dt.timedelta(days=d)).isoformat() for d in range(days)])
    run_years = set(dates.str.slice(0, 4).astype(int))
    if period == "all":
        return ["all"] if run_years <= set(years) else []
    around = pd.Series([(start + dt.timedelta(days=d)).isoformat() for d in range(-400, days + 400)])
    calendar = pd.Series(period_of(around, period)).value_counts()
    inside = pd.Series(period_of(dates, period)).value_counts()
    return [
        str(p) for p in dict.fromkeys(period_of(dates, period)) if inside[p] == calendar[p] and int(str(p)[:4]) in years
    ]


def layout(cfg: CalibrationConfig, first_day: str, days: int, observed: bool = True) -> Layout:
    """The summaries of ``cfg`` for a run from ``first_day`` lasting ``days``.

    With ``observed``, only periods the record covers (returns: 2016 and 2017).
    """
    record = observed_table() if observed else None
    series, periods, scale, log = [], [], [], []
    for s in cfg.summaries:
        for p in _full_periods(first_day, days, s.period, cfg.years):
            if record is not None and (s.series, p) not in record:
                continue
            series.append(s.series)
            periods.append(p)
            logged = s.series != "ngo_share"
            scale.append(float(np.hypot(s.error, cfg.discrepancy)) if logged else s.error)
            log.append(logged)
    if not series:
        raise ConfigError(
            "summaries",
            [s.series for s in cfg.summaries],
            f"series with at least one whole period of the record inside the run ({first_day}, {days} days) "
            f"and the years {list(cfg.years)}",
            problem="no summary to compare for",
        )
    return Layout(tuple(series), tuple(periods), tuple(scale), tuple(log), first_day, days)


def observed_table() -> dict[tuple[str, str], float]:
    """The record as {(series, period): value}: monthly counts summed to every period, and the yearly targets."""
    monthly = pd.read_csv(MONTHLY_CSV)
    dates = pd.Series([f"{y:04d}-{m:02d}-01" for y, m in zip(monthly["year"], monthly["month"], strict=True)])
    out: dict[tuple[str, str], float] = {}
    for series, column in OBSERVED_MONTHLY.items():
        for period in ("month", "quarter", "year"):
            labels = period_of(dates, period)
            for p, v in monthly.groupby(labels)[column].sum().items():
                out[(series, str(p))] = float(v)
    targets = pd.read_csv(TARGETS_CSV)
    for row in targets.itertuples():
        period = "all" if "-" in str(row.period) else str(row.period)
        out[(row.series, period)] = float(row.value)
    return out


@functools.lru_cache(maxsize=32)
def _day_periods(first_day: str, days: int, kind: str) -> np.ndarray:
    """The period of each day of a run (the same for every run of a calibration: labelled once)."""
    start = dt.date.fromisoformat(first_day)
    return period_of(pd.Series([(start + dt.timedelta(days=d)).isoformat() for d in range(days)]), kind)


def raw(result: RunResult, lay: Layout) -> np.ndarray:
    """One run's summaries on their natural scale (counts per period, or the share)."""
    daily = result.daily
    out = np.empty(len(lay))
    cache: dict[str, pd.Series] = {}
    for i, (s, p) in enumerate(zip(lay.series, lay.periods, strict=True)):
        if s == "ngo_share":
            rescued = result.summary.get("rescued", 0)
            out[i] = result.summary.get("rescued_by_actor", {}).get("ngo", 0) / max(1, rescued)
            continue
        kind = "year" if len(p) == 4 else "quarter" if "Q" in p else "month"
        key = f"{s}/{kind}"
        if key not in cache:
            values = daily[list(DAILY[s])].sum(axis=1).to_numpy(dtype=float)
            labels = _day_periods(lay.first_day, lay.days, kind) if len(daily) == lay.days else None
            cache[key] = pd.Series(values).groupby(period_of(daily["date"], kind) if labels is None else labels).sum()
        out[i] = float(cache[key].get(p, 0.0))
    return out


def observed_raw(lay: Layout) -> np.ndarray:
    """The record's summaries on their natural scale, in ``lay``'s order."""
    table = observed_table()
    return np.array([table[(s, p)] for s, p in zip(lay.series, lay.periods, strict=True)], dtype=float)


def scaled(values: np.ndarray, lay: Layout) -> np.ndarray:
    """Summaries (runs x summaries, or one run) on the distance's scale: log(1 + count) or the share, over the error."""
    v = np.asarray(values, dtype=float)
    logged = np.where(np.asarray(lay.log), np.log1p(np.maximum(v, 0.0)), v)
    return logged / np.asarray(lay.scale)
