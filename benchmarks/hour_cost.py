"""Benchmark: what one simulated hour costs each engine, split into a per-batch and a per-run part.

Run: ``python -m benchmarks.hour_cost [--batches 64,256,1024,2048,4096] [--start 2016-06-01]``
(about 15 seconds with the defaults on this project's machine).

Both engines step the same window of ``central_med_2016`` (by default early June, the busiest season),
after ``--warm-days`` days of warm-up; the CPU time (``time.process_time``) of ``--blocks`` blocks of
``--block-days`` days is taken, and the fastest block counts. For the vector engine the cost of an hour is fitted
as ``a + b * R`` over the batch sizes R: ``a`` is what the whole batch pays once per hour (Python and
numpy's per-call overhead), ``b`` what each run adds (array work). A batch of R runs is then
``mesa / (a / R + b)`` times the Mesa engine on the same hour, which can never exceed the ceiling
``mesa / b``: batching hides ``a``, not ``b``. The script prints what it measured; it asserts nothing.

A window's ratios are not a whole year's (``python -m benchmarks``): both engines' cost of an hour
changes with the season and with how many people and boats the runs hold by then.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from collections.abc import Callable, Sequence

import numpy as np

from model.errors import ConfigError
from model.mesa_engine import MigrationModel
from model.params import Scenario
from model.scenarios import load
from model.vector_engine.step import Batch


def window(name: str, start: str, warm_days: int, days: int) -> Scenario:
    """The scenario ``name`` cut to ``warm_days + days`` days from ``start``."""
    return load(name).with_overrides({"world.start_date": start, "world.days": warm_days + days})


def fastest_hour(step: Callable[[], None], warm_days: int, blocks: int, block_days: int) -> float:
    """CPU seconds per hour of the fastest of ``blocks`` blocks of ``block_days`` days, after ``warm_days`` days.

    The fastest block, because what else runs on the machine can only add time.
    """
    for _ in range(warm_days * 24):
        step()
    per_hour = []
    for _ in range(blocks):
        t0 = time.process_time()
        for _ in range(block_days * 24):
            step()
        per_hour.append((time.process_time() - t0) / (block_days * 24))
    return min(per_hour)


def mesa_hour(s: Scenario, seeds: Sequence[int], warm_days: int, blocks: int, block_days: int) -> float:
    """CPU seconds per run-hour of the Mesa engine on the window (mean over seeds of each run's fastest block)."""
    out = []
    for seed in seeds:
        m = MigrationModel(s, rng=seed, record_events=False)
        out.append(fastest_hour(m.step, warm_days, blocks, block_days))
        m.release()
    return float(np.mean(out))


def vector_hour(s: Scenario, batch: int, warm_days: int, blocks: int, block_days: int) -> float:
    """CPU seconds per hour of the vector engine stepping ``batch`` runs together on the window."""
    b = Batch(s, list(range(batch)), record_events=False)
    return fastest_hour(b.step, warm_days, blocks, block_days)


def fit_line(batches: Sequence[int], seconds: Sequence[float]) -> tuple[float, float]:
    """Least-squares ``seconds = a + b * batch``; returns (a, b)."""
    b, a = np.polyfit(np.asarray(batches, dtype=float), np.asarray(seconds, dtype=float), 1)
    return float(a), float(b)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scenario", default="central_med_2016")
    ap.add_argument(
        "--start", default="2016-06-01", help="first day of the window (default: early June, the busiest season)"
    )
    ap.add_argument(
        "--warm-days", type=int, default=6, help="days stepped before the clock starts, so that boats are at sea"
    )
    ap.add_argument("--blocks", type=int, default=3, help="measured blocks (the fastest counts)")
    ap.add_argument("--block-days", type=int, default=2)
    ap.add_argument(
        "--batches",
        default="64,256,1024,2048,4096",
        help="comma-separated batch sizes of the vector engine (at least two)",
    )
    ap.add_argument("--mesa-seeds", type=int, default=2)
    args = ap.parse_args(argv)
    batches = [int(x) for x in args.batches.split(",")]
    if (
        len(set(batches)) < 2
        or min(batches) < 1
        or min(args.blocks, args.block_days, args.mesa_seeds) < 1
        or args.warm_days < 0
    ):
        ap.error(
            "--batches needs two or more different sizes >= 1; --blocks, --block-days and --mesa-seeds "
            ">= 1; --warm-days >= 0"
        )
    timing = (args.warm_days, args.blocks, args.block_days)
    try:
        s = window(args.scenario, args.start, args.warm_days, args.blocks * args.block_days)
    except ConfigError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores; Python {platform.python_version()}; "
        f"{args.scenario} from {args.start}: {args.warm_days} days of warm-up, then the fastest "
        f"of {args.blocks} blocks of {args.block_days} days"
    )
    mesa = mesa_hour(s, range(args.mesa_seeds), *timing)
    print(f"mesa engine: {mesa * 1e6:.0f} us per run-hour ({args.mesa_seeds} seeds)")
    cost = {}
    for r in batches:
        cost[r] = vector_hour(s, r, *timing)
        print(
            f"vector engine, batch {r:5d}: {cost[r] * 1e3:8.2f} ms per hour = {cost[r] / r * 1e6:6.2f} "
            f"us per run-hour, {mesa * r / cost[r]:5.0f} x mesa"
        )
    a, b = fit_line(list(cost), list(cost.values()))
    print(f"fit: {a * 1e3:.2f} ms per hour for the batch + {b * 1e6:.2f} us per run-hour")
    if b > 0:
        print(
            f"ceiling with batching alone: mesa / b = {mesa / b:.0f} x; 300 x needs b <= {mesa / 300 * 1e6:.2f} "
            "us per run-hour (with a = 0)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
