"""Four years of ``central_med_2014_2017`` on the vector engine, and the model against the record.

``python -m benchmarks.bench_history [--replicates 50]`` first runs a short warm-up (so numba's
compilation is not timed), then times one batch of all replicates over the four years, and prints
the yearly arrivals and dead and missing against the published figures, and deaths per arrival in
January-April of 2014 and 2015 (the record: about 1 in 157 against 1 in 22, AP/IOM-UNHCR May
2015). Target: under a minute on 2 cores. It measures; it asserts nothing.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import pandas as pd

from model.outcomes import yearly
from model.scenarios import load
from model.vector_engine import VectorEngine

OBSERVED = Path(__file__).resolve().parent.parent / "experiments" / "data" / "central_med_monthly_2014_2017.csv"


def jan_apr_rate(daily: pd.DataFrame, year: int) -> float:
    """Dead and missing per arrival in January-April of ``year``."""
    d = daily[(daily.date >= f"{year}-01-01") & (daily.date <= f"{year}-04-30")]
    return float((d.dead + d.missing).sum() / max(1, d.arrivals.sum()))


def main(argv: list[str] | None = None) -> int:
    """Time the four-year batch and print the comparison with the record."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--replicates", type=int, default=50, help="runs in the batch (default 50)")
    ap.add_argument("--seed", type=int, default=0, help="first seed (default 0)")
    args = ap.parse_args(argv)
    scenario = load("central_med_2014_2017")
    t0 = time.perf_counter()
    VectorEngine().run_batch(scenario.with_overrides({"world.days": 40}), [args.seed], record_events=False)  # compile
    warm = time.perf_counter() - t0
    t0 = time.perf_counter()
    results = VectorEngine().run_batch(scenario, range(args.seed, args.seed + args.replicates), record_events=False)
    wall = time.perf_counter() - t0
    print(
        f"central_med_2014_2017, {args.replicates} replicates x 4 years, vector engine: {wall:.1f} "
        f"s after a {warm:.1f} s warm-up"
    )
    years = pd.concat([yearly(r.daily).assign(replicate=i) for i, r in enumerate(results)])
    obs = pd.read_csv(OBSERVED)
    obs_y = obs.groupby("year")[["sea_arrivals_italy_malta", "dead_missing"]].sum()
    print(
        f"\n{'year':>4} {'arrivals (model mean, 90% range)':>34} {'recorded':>9} {'dead+missing (model)':>30} "
        f"{'recorded':>9}"
    )
    for y, g in years.groupby("year"):
        a, d = g.arrivals.to_numpy(), g.dead_and_missing.to_numpy()
        arr = f"{a.mean():>12,.0f} [{np.quantile(a, 0.05):>8,.0f}, {np.quantile(a, 0.95):>8,.0f}]"
        dm = f"{d.mean():>10,.0f} [{np.quantile(d, 0.05):>6,.0f}, {np.quantile(d, 0.95):>6,.0f}]"
        print(f"{y:>4} {arr} {obs_y.loc[y, 'sea_arrivals_italy_malta']:>9,} {dm} {obs_y.loc[y, 'dead_missing']:>9,}")
    r14 = np.array([jan_apr_rate(r.daily, 2014) for r in results])
    r15 = np.array([jan_apr_rate(r.daily, 2015) for r in results])
    o = obs[obs.month <= 4].groupby("year")[["sea_arrivals_italy_malta", "dead_missing"]].sum()
    o14, o15 = (o.loc[y, "dead_missing"] / o.loc[y, "sea_arrivals_italy_malta"] for y in (2014, 2015))
    print(
        f"\nDead and missing per arrival, January-April: 2014 model 1 in {1 / r14.mean():.0f}, "
        f"2015 model 1 in {1 / r15.mean():.0f} (ratio x{r15.mean() / r14.mean():.2f})"
    )
    print(
        f"  the monthly record: 2014 1 in {1 / o14:.0f}, 2015 1 in {1 / o15:.0f} (x{o15 / o14:.1f}); "
        "published: 1 in 157 and 1 in 22 (x7.1)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
