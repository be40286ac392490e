"""Benchmark: one default year (central_med_2016) with the Mesa engine; prints wall time and peak memory.

Run: ``python -m benchmarks.bench_mesa [--scenario NAME] [--seed N] [--repeat R]``.
Target (issue 2): under 60 s on a 2-core machine. Peak memory is the process's maximum resident
set size (``resource.getrusage``), so it includes Python, numpy and Mesa themselves.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import time

from model.mesa_engine import MesaEngine
from model.scenarios import load


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--scenario", default="central_med_2016")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--repeat", type=int, default=1)
    args = ap.parse_args()
    scenario = load(args.scenario)
    times = []
    for r in range(args.repeat):
        t0 = time.perf_counter()
        result = MesaEngine().run(scenario, args.seed + r)
        times.append(time.perf_counter() - t0)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    s = result.summary
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(
        f"scenario {scenario.name}, {scenario.world.days} days, {s['people_created']:,} people, "
        f"{s['boats_launched']:,} boats"
    )
    print(f"wall time per run: {', '.join(f'{t:.1f} s' for t in times)} (target < 60 s)")
    print(f"peak resident memory: {peak_mb:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
