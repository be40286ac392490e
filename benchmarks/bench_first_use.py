"""What a fresh checkout's first vector run costs: numba's compile time, with and without the parallel warm-up.

``python -m benchmarks.bench_first_use`` runs, each in a fresh process with an empty numba cache
(a temporary directory, removed afterwards): (1) the warm-up alone (:func:`model.vector_engine.
warmup.ensure_compiled`, one process per core), then the flagship's six packages for 40 days,
counting what numba still compiles; (2) the same run with the warm-up switched off
(``SEAMIG_PRECOMPILE=0``), which compiles everything in one process. It prints the wall times and
the seconds spent compiling after the warm-up (0 when the warm-up covers every function the run
uses). Takes about three minutes on two cores.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time

PROBE = """
import time, collections
t0 = time.perf_counter()
import model
from model.vector_engine.warmup import ensure_compiled
from numba.core import event
spans, stack = collections.Counter(), []
class Timer(event.Listener):
    def on_start(self, e):
        stack.append(time.perf_counter())
    def on_end(self, e):
        start = stack.pop()
        if not stack:
            spans[e.data["dispatcher"].py_func.__qualname__] += time.perf_counter() - start
t1 = time.perf_counter()
warmed = ensure_compiled()
t2 = time.perf_counter()
event.register("numba:compile", Timer())
from experiments.run.spec import load_experiment
from model.vector_engine import VectorEngine
scenarios = [p.scenario.with_overrides({"world.days": 40}) for p in load_experiment("flagship").points()]
VectorEngine().run_many(scenarios * 2, list(range(2 * len(scenarios))))
t3 = time.perf_counter()
print(f"{warmed} {t2 - t1:.1f} {t3 - t2:.1f} {sum(spans.values()):.1f} {t3 - t0:.1f} {','.join(sorted(spans))}")
"""


def measure(precompile: bool) -> list[str]:
    """One probe in a fresh process with an empty cache.

    Warmed, warm-up s, run s, compile s after warm-up, total s, names.
    """
    base = tempfile.mkdtemp(prefix="seamig-numba-")
    try:
        env = {**os.environ, "SEAMIG_NUMBA_BASE": base, "SEAMIG_PRECOMPILE": "1" if precompile else "0"}
        env.pop("NUMBA_CACHE_DIR", None)
        out = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, env=env, check=True)
        return (out.stdout.strip().splitlines()[-1].split(" ") + [""])[:6]
    finally:
        shutil.rmtree(base, ignore_errors=True)


def main() -> int:
    print(
        f"cores: {len(os.sched_getaffinity(0)) if hasattr(os, 'sched_getaffinity') else os.cpu_count()}; "
        f"load average: {os.getloadavg()[0]:.2f}"
    )
    for precompile in (True, False):
        t = time.perf_counter()
        warmed, w, run, comp, total, names = measure(precompile)
        label = "with the warm-up   " if precompile else "without the warm-up"
        print(
            f"{label}: total {total} s (warm-up {w} s, then the run {run} s, of which compiling "
            f"{comp} s{': ' + names if names else ''}); wall {time.perf_counter() - t:.1f} s"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
