"""Compiling the vectorised engine once per source version, on every core at once.

numba compiles each loop on its first call and caches it on disk (one directory per source
version, :mod:`model._numba_cache`). On a fresh checkout, or after any edit to ``model/``, the
first run therefore spends over a minute compiling, nearly all of it in the four compiled phases of
an hour (the day's departures and launches, the boats' hour, coordination, the vessels' hour).
Those phases do not depend on each other, so :func:`ensure_compiled` starts one process per core
(two at most: that is where the gain is), each compiling the phases in a different order, and the
processes load from the shared cache whatever the other one has already written. Later runs in
any process then only load the cache. If anything goes wrong here the runs simply compile what
they need themselves, as before.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from model.vector_engine.step import Batch

# What each warm-up process compiles, in order, balanced by measured times (fresh clone, both
# cores busy, 4 December 2026, cumulative): daily 12.7 s, coordinate 27.6 s, boats 56.1 s, the
# draws of a batch of many runs 57.4 s; vessels 64.6 s, then the first launches and the day's
# close 76.8 s. The launches moved to the first process and the many-run draws to the second.
ORDERS: tuple[tuple[str, ...], ...] = (("daily", "coordinate", "boats", "launches"), ("vessels", "many_runs"))
MARKER = ".seamig-compiled"
#: Longest wait for a warm-up process (a run then compiles what is left itself).
TIMEOUT_S = 900
_tried = False


def cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # (not on Linux)
        return os.cpu_count() or 1


def compile_phases(order: tuple[str, ...]) -> None:
    """Compile (or load) the hour's phases named in ``order``, calling each once on a fresh batch.

    A two-run batch of the default scenario: the phases' argument types do not depend on the state
    (a run compiles the few functions left, such as the first launches', itself).
    """
    from model.scenarios import load
    from model.vector_engine.step import Batch

    batch = Batch(load("central_med_2016").with_overrides({"world.days": 4}), [0, 1], record_events=True)
    phases: dict[str, Callable[[], None]] = {
        "daily": lambda: batch._daily(0),
        "boats": lambda: batch._boats(0),
        "coordinate": lambda: batch._coordinate(0),
        "vessels": lambda: batch._vessels(0),
        "launches": lambda: _days(batch),
        "many_runs": _many_runs,
    }
    t0 = time.perf_counter()
    for name in order:
        phases[name]()
        print(f"{name}: {time.perf_counter() - t0:.1f} s", file=sys.stderr, flush=True)


def _days(batch: Batch) -> None:
    """A few days' departures without the hours between.

    (boats are launched once people wait), the day's close, and relocations.
    """
    import numpy as np

    for day in range(3):
        batch._daily(24 * day)
        batch.check()
        batch._close_day(day)
    one = np.ones(2, dtype=np.int64)  # (the relocation draws, as a standing framework's landings make them)
    batch._schedule_relocation(one, one, one, np.ones((2, batch.waiting.shape[-1]), dtype=np.int64), one, one)


def _many_runs() -> None:
    """The Poisson draws of a batch of many runs.

    (rows that share a column's mean), which a two-run batch does not reach.
    """
    import numpy as np

    from model.numerics.quantiles import _SHARED_MIN, poisson

    poisson(np.ones((_SHARED_MIN, 2)), np.full((_SHARED_MIN, 2), 0.5))


def _finished(proc: subprocess.Popen) -> bool:
    """Wait for a warm-up process (at most :data:`TIMEOUT_S`, then stop it); True if it succeeded."""
    try:
        return proc.wait(timeout=TIMEOUT_S) == 0
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        return False


def ensure_compiled(announce: Callable[[str], None] | None = None) -> bool:
    """Fill numba's cache for this source version in parallel, once; True if it is (now) full.

    Returns at once when the cache is already complete, when this process tried before, with
    one core, where file locks are unavailable, or with ``SEAMIG_PRECOMPILE=0``. Processes that
    call it together wait for the first one's work instead of repeating it. ``announce`` is told
    when compiling starts (the CLI prints it).
    """
    global _tried
    here = Path(os.environ.get("NUMBA_CACHE_DIR", ""))
    if not here.name or (here / MARKER).exists():
        return bool(here.name)
    if _tried or os.environ.get("SEAMIG_PRECOMPILE") == "0" or cores() < 2:
        return False
    _tried = True
    try:
        import fcntl
    except ImportError:  # (Windows: runs compile lazily)
        return False
    try:
        here.mkdir(parents=True, exist_ok=True)
        with open(here / ".seamig-compile.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # (another process may be compiling: wait for it)
            if (here / MARKER).exists():
                return True
            if announce is not None:
                announce("compiling the vectorised engine for this version of the model (once; about a minute)")
            env = {**os.environ, "SEAMIG_PRECOMPILE": "0"}
            procs = []
            for i in range(min(len(ORDERS), cores())):
                with open(here / f"warmup-{i}.log", "w") as log:  # (what went wrong, if anything)
                    procs.append(
                        subprocess.Popen(
                            [
                                sys.executable,
                                "-c",
                                f"from model.vector_engine.warmup import *; compile_phases(ORDERS[{i}])",
                            ],
                            env=env,
                            stdout=subprocess.DEVNULL,
                            stderr=log,
                        )
                    )
            ok = all([_finished(p) for p in procs])
            if ok:
                (here / MARKER).touch()
            return ok
    except OSError:
        return False
