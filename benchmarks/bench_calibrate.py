"""The calibration's simulator throughput: run-years a second, and the minutes 100,000 run-years take.

``python -m benchmarks.bench_calibrate [--sets 1024] [--workers 2]`` draws parameter sets from the
priors of ``experiments/calibrations/central_med_2014_2017.toml``, runs each once over the four
years through :class:`experiments.calibrate.simulator.BatchSimulator` (the path ``seamig
calibrate`` takes, summaries included) after a short warm-up, and prints what it measured. Target
(issue 20): at least 100,000 run-years in 30 minutes on this 2-core machine, about 56 a second.
It measures; it asserts nothing.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from experiments.calibrate.config import load_config
from experiments.calibrate.simulator import BatchSimulator
from experiments.calibrate.smc import prior_rvs, run_seeds
from experiments.calibrate.summaries import layout


def main(argv: list[str] | None = None) -> int:
    """Time one batch of parameter sets and print run-years a second."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--config", default="central_med_2014_2017", help="a calibration file or name")
    ap.add_argument("--sets", type=int, default=1024, help="parameter sets in the timed batch (default 1024)")
    ap.add_argument("--workers", type=int, default=None, help="worker processes (default: all cores)")
    args = ap.parse_args(argv)
    cfg = load_config(args.config)
    base = cfg.base_scenario()
    lay = layout(cfg, base.world.start_date, base.world.days)
    rows = prior_rvs(cfg, args.sets, np.random.default_rng(cfg.seed))
    with BatchSimulator(base, cfg.keys, lay, "processes", args.workers) as sim:
        sim(rows[:2], run_seeds(cfg.seed, rows[:2]))  # warm-up: workers started, code compiled
        sim.run_years = 0.0
        t0 = time.perf_counter()
        sim(rows, run_seeds(cfg.seed, rows))
        seconds = time.perf_counter() - t0
        rate = sim.run_years / seconds
        print(
            f"{args.sets} parameter sets x {base.world.days} days ({sim.run_years:,.0f} run-years) on "
            f"{sim.workers} workers: {seconds:.1f} s, {rate:.1f} run-years/s; 100,000 run-years would take "
            f"{100_000 / rate / 60:.1f} min (target: 30)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
