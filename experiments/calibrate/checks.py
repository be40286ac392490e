"""Posterior predictive checks by year: the fitted model's runs against the record, year by year.

Used for the fit of every year a calibration fitted (``fit_by_year.md``) and for the year a
leave-one-year-out fit did not see (:mod:`experiments.calibrate.holdout`); and for the built-in
defaults against every year (:func:`defaults_by_year`, ``python -m experiments.calibrate.checks``).
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

import numpy as np
import pandas as pd

from experiments.calibrate.simulator import monthly_job
from experiments.calibrate.summaries import MONTHLY_CSV
from model.scenarios import load

#: What the table predicts for the year left out: (label, predicted column, months).
MEASURES = (
    ("arrivals", "arrivals", range(1, 13)),
    ("dead and missing", "dead_and_missing", range(1, 13)),
    ("deaths per 100 arrivals", "rate", range(1, 13)),
    ("deaths per 100 arrivals, Jan-Apr", "rate", range(1, 5)),
)


def _year_values(months: pd.DataFrame, year: int, month_range: range) -> dict[str, np.ndarray | float]:
    """Totals of one year's months: per draw (a predictive table with ``draw``) or the record."""
    m = months[months["month"].str.slice(0, 4).astype(int) == year]
    m = m[m["month"].str.slice(5, 7).astype(int).isin(list(month_range))]
    if "draw" in m:
        g = m.groupby("draw")[["arrivals", "dead_and_missing"]].sum()
        return {"arrivals": g["arrivals"].to_numpy(), "dead_and_missing": g["dead_and_missing"].to_numpy()}
    return {"arrivals": float(m["arrivals"].sum()), "dead_and_missing": float(m["dead_and_missing"].sum())}


def record_months() -> pd.DataFrame:
    """The record per month: ``month`` (YYYY-MM), arrivals in Italy and Malta, dead and missing."""
    r = pd.read_csv(MONTHLY_CSV)
    return pd.DataFrame(
        {
            "month": [f"{y:04d}-{m:02d}" for y, m in zip(r["year"], r["month"], strict=True)],
            "arrivals": r["sea_arrivals_italy_malta"].astype(float),
            "dead_and_missing": r["dead_missing"].astype(float),
        }
    )


def prediction_rows(predictive: pd.DataFrame, year: int) -> list[dict[str, object]]:
    """The year's predictions (median and 90% interval over draws) against the record, one row per measure.

    Only measures whose months the runs cover whole (``days``, where the table has it, equal to the month's length).
    """
    rec = record_months()
    have = set(predictive["month"])
    if "days" in predictive:  # whole months only: as many days in the run as the month has
        length = pd.PeriodIndex(predictive["month"], freq="M").days_in_month
        have = set(predictive["month"][predictive["days"].to_numpy() == length.to_numpy()])
    rows = []
    for label, col, months in MEASURES:
        if not {f"{year:04d}-{m:02d}" for m in months} <= have:
            continue  # (a measure the runs do not cover in whole months)
        sim, obs = _year_values(predictive, year, months), _year_values(rec, year, months)
        if col == "rate":
            s = 100 * sim["dead_and_missing"] / np.maximum(sim["arrivals"], 1)
            o = 100 * obs["dead_and_missing"] / max(obs["arrivals"], 1)
        else:
            s, o = sim[col], obs[col]
        lo, med, hi = np.quantile(s, [0.05, 0.5, 0.95])
        rows.append(
            {
                "year": year,
                "measure": label,
                "recorded": float(o),
                "median": float(med),
                "q05": float(lo),
                "q95": float(hi),
                "inside": bool(lo <= o <= hi),
            }
        )
    return rows


def markdown(table: pd.DataFrame, year_words: str = "year") -> str:
    """A table of :func:`prediction_rows` in Markdown (``year_words``: the first column's heading)."""
    out = [
        f"| {year_words} | measure | recorded | predicted median | 90% interval | inside |",
        "|---|---|---|---|---|---|",
    ]
    for r in table.itertuples():
        fmt = "{:,.2f}" if "per 100" in r.measure else "{:,.0f}"
        out.append(
            f"| {r.year} | {r.measure} | {fmt.format(r.recorded)} | {fmt.format(r.median)} | "
            f"{fmt.format(r.q05)} - {fmt.format(r.q95)} | {'yes' if r.inside else 'no'} |"
        )
    return "\n".join(out) + "\n"


def defaults_by_year(
    scenario: str = "central_med_2014_2017", seeds: int = 20, years: Sequence[int] = (2014, 2015, 2016, 2017)
) -> pd.DataFrame:
    """The scenario's defaults against the record, year by year: ``seeds`` runs (seeds 1, 2, ...), vectorised engine.

    The intervals hold only the simulation's own noise (one parameter set); the posterior
    predictive intervals of ``fit_by_year.md`` hold the parameters' doubt as well.
    """
    runs = monthly_job(load(scenario), [], np.empty((seeds, 0)), list(range(1, seeds + 1)), 0)
    return pd.DataFrame([row for year in years for row in prediction_rows(runs, year)])


def main(argv: Sequence[str] | None = None) -> None:
    """``python -m experiments.calibrate.checks [--seeds N]``: the defaults' table by year, in Markdown."""
    ap = argparse.ArgumentParser(description=main.__doc__)
    ap.add_argument("--seeds", type=int, default=20, help="runs of the four years (default 20)")
    args = ap.parse_args(argv)
    if args.seeds < 1:
        ap.error(f"--seeds {args.seeds}: the number of runs must be at least 1")  # (exit 2)
    print(markdown(defaults_by_year(seeds=args.seeds)), end="")


if __name__ == "__main__":
    main()
