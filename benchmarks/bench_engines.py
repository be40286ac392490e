"""Benchmark: Mesa engine against the vectorised engine, and one ten-million-migrant run.

Run: ``python -m benchmarks`` (all of it, about 11 minutes on 2 cores) or
``python -m benchmarks.bench_engines [--batches 64,256,1024] [--mesa-runs 2] [--skip-10m]``.

Measured in one process on ``central_med_2016`` (one simulated year = one run-year):
  1. Mesa engine run-years per second (``--mesa-runs`` runs before the vector engine and as many
     after it; the machine's speed drifts, so the ratios use both timings);
  2. vector engine run-years per second for a single run and for each batch size, and the best,
     after a short warm-up run of each engine (after any change to ``model/`` numba compiles the
     loops and the compiled rules on first use, 26-34 s on this project's machine, and later
     processes load them from its cache in about a second),
     and for one batch of 256 runs that mixes 8 scenario variants (fleets of different sizes);
  3. the ratio best batched vector / Mesa (both on one core);
  4. run-years per minute with every core busy (``--workers`` processes, each stepping its own
     batch of the best size, seeds split between them);
  5. wall time and peak memory of one run of ``central_med_x50`` (about 10 million migrants) in a
     fresh child process, so its peak is its own.
Targets (issue 3): batched vector >= 300 x Mesa; >= 1,000 run-years per minute on 2 cores; the
10 M run under 60 s and 2 GB. The script prints what it measured; it asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor

from model.mesa_engine import MesaEngine
from model.scenarios import load
from model.vector_engine import VectorEngine

SCENARIO = "central_med_2016"


def _years(scenario_days: int, runs: int) -> float:
    return runs * scenario_days / 365.0


def mesa_rate(runs: int) -> float:
    """Run-years per second of the Mesa engine on the default scenario."""
    s = load(SCENARIO)
    t0 = time.perf_counter()
    for seed in range(runs):
        MesaEngine().run(s, seed, record_events=False)
    return _years(s.world.days, runs) / (time.perf_counter() - t0)


def warm_up() -> float:
    """Seconds for a first, short run of each engine.

    Numba compiles the loops and rules (or loads them from its cache), once per process.

    Neither engine's timing below then pays for it (the Mesa engine calls the compiled rules too).
    """
    s = load(SCENARIO)
    t0 = time.perf_counter()
    summer = s.with_overrides(
        {"world.start_date": "2016-06-01", "world.days": 20}
    )  # busy: every kind of event, so every loop compiles
    VectorEngine(batch_size=8).run_batch(summer, list(range(8)), record_events=True)
    VectorEngine(batch_size=1).run_batch(s, [0], days=10, record_events=False)  # (the timed runs' own signatures)
    MesaEngine().run(s.with_overrides({"world.days": 10}), 0, record_events=True)
    return time.perf_counter() - t0


def vector_rate(batch: int, first_seed: int = 0) -> float:
    """Run-years per second of the vector engine stepping ``batch`` runs together."""
    s = load(SCENARIO)
    t0 = time.perf_counter()
    VectorEngine(batch_size=batch).run_batch(s, list(range(first_seed, first_seed + batch)), record_events=False)
    return _years(s.world.days, batch) / (time.perf_counter() - t0)


def variant_rate(variants: int, replicates: int) -> float:
    """Run-years per second of one batch that mixes ``variants`` scenarios (different fleets) x ``replicates``.

    A sweep's scenario variants share batches; this shows they step as fast as replicates of one.
    """
    base = load(SCENARIO)
    scenarios = [
        base.with_overrides({"policy.sar.fleets.ngo.count": 2 * i, "policy.sar.state_assets_scale": 0.5 + 0.25 * i})
        for i in range(variants)
    ]
    runs = [(s, seed) for seed in range(replicates) for s in scenarios]
    t0 = time.perf_counter()
    VectorEngine(batch_size=len(runs)).run_many([s for s, _ in runs], [seed for _, seed in runs], record_events=False)
    return _years(base.world.days, len(runs)) / (time.perf_counter() - t0)


def _worker(args: tuple[int, int]) -> float:
    batch, first = args
    s = load(SCENARIO)
    VectorEngine(batch_size=batch).run_batch(s, list(range(first, first + batch)), record_events=False)
    return _years(s.world.days, batch)


def parallel_rate(batch: int, workers: int) -> float:
    """Run-years per minute with ``workers`` processes each running one batch."""
    with ProcessPoolExecutor(max_workers=workers) as pool:
        pool.submit(int, 0).result()  # start the workers before the clock
        t0 = time.perf_counter()
        years = sum(pool.map(_worker, [(batch, 10_000 + i * batch) for i in range(workers)]))
        return 60.0 * years / (time.perf_counter() - t0)


def peak_rss_mb() -> float:
    """This process's peak resident memory (MB): VmHWM, which, unlike ``ru_maxrss``, does not keep the
    parent's peak across fork and exec."""
    try:
        for line in open("/proc/self/status", encoding="ascii"):
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def big_run() -> dict:
    """One run of central_med_x50 in this (fresh) process: wall time, peak memory, people."""
    s = load("central_med_x50")
    t0 = time.perf_counter()
    r = VectorEngine().run(s, 0, record_events=False)
    wall = time.perf_counter() - t0
    return {
        "wall_s": wall,
        "peak_mb": peak_rss_mb(),
        "people": r.summary["people_created"],
        "departures": r.summary["departures"],
        "boats": r.summary["boats_launched"],
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument(
        "--mesa-runs", type=int, default=2, help="Mesa runs timed before the vector engine, and as many after it"
    )
    ap.add_argument("--batches", default="1,64,256,512,1024,2048,4096,8192", help="comma-separated batch sizes to time")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--skip-10m", action="store_true", help="skip the ten-million-migrant run")
    ap.add_argument("--big-run-child", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.big_run_child:
        print(json.dumps(big_run()))
        return 0
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, {platform.processor() or 'cpu'}; "
        f"Python {platform.python_version()}; scenario {SCENARIO}"
    )
    print(
        f"warm-up, both engines (numba compiles its loops and rules, or loads them from its cache): {warm_up():.1f} s"
    )
    # The machine's speed drifts within minutes, so the Mesa engine is timed before and after the
    # vector engine, and the ratios use both timings together.
    mesa_before = mesa_rate(args.mesa_runs)
    print(
        f"mesa engine, before: {mesa_before:.3f} run-years/s ({1 / mesa_before:.1f} s per "
        f"run-year, {args.mesa_runs} runs)"
    )
    rates = {}
    for b in (int(x) for x in args.batches.split(",")):
        rates[b] = vector_rate(b)
        print(f"vector engine, batch {b:4d}: {rates[b]:8.2f} run-years/s ({1000 / rates[b]:.1f} ms per run-year)")
    mesa_after = mesa_rate(args.mesa_runs)
    print(
        f"mesa engine, after: {mesa_after:.3f} run-years/s ({1 / mesa_after:.1f} s per run-year, {args.mesa_runs} runs)"
    )
    mesa = 2.0 / (1.0 / mesa_before + 1.0 / mesa_after)  # both timings' run-years over both timings' seconds
    print(f"mesa engine, both: {mesa:.3f} run-years/s ({1 / mesa:.1f} s per run-year, {2 * args.mesa_runs} runs)")
    for b, rate in rates.items():
        print(f"vector engine, batch {b:4d}: {rate / mesa:6.0f} x mesa")
    best = max(rates, key=rates.get)
    print(
        f"best batch: {best} -> {rates[best]:.2f} run-years/s = {rates[best] / mesa:.0f} x "
        "the Mesa engine on one core (target >= 300)"
    )
    mixed = variant_rate(8, 32)
    print(
        f"vector engine, one batch of 8 scenario variants x 32 replicates: {mixed:.2f} run-years/s "
        f"({1000 / mixed:.1f} ms per run-year), {mixed / mesa:.0f} x mesa"
    )
    par = parallel_rate(best, args.workers)
    print(f"{args.workers} processes x batch {best}: {par:.0f} run-years per minute (target >= 1,000 on 2 cores)")
    if not args.skip_10m:
        out = subprocess.run(
            [sys.executable, "-m", "benchmarks.bench_engines", "--big-run-child"],
            capture_output=True,
            text=True,
            check=True,
        )
        big = json.loads(out.stdout.strip().splitlines()[-1])
        print(
            f"central_med_x50, one year: {big['people']:,} migrants, {big['departures']:,} departures, "
            f"{big['boats']:,} boats: {big['wall_s']:.1f} s, peak memory {big['peak_mb']:.0f} "
            "MB (targets < 60 s, < 2,048 MB)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
