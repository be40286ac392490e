"""The calibration's simulator: many parameter sets at once, through the vectorised engine's batches.

ELFI hands :class:`BatchSimulator` a batch of parameter sets; it cuts the batch into one job per
worker (the engine steps a job's runs together, :meth:`model.vector_engine.VectorEngine.run_many`)
and returns the runs' summaries in the batch's order. A run depends only on its scenario and seed,
so the summaries are the same whatever the executor or the worker count.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Sequence
from typing import Any

import numpy as np

from experiments.calibrate.summaries import Layout, raw
from model.errors import ConfigError
from model.params import Scenario

EXECUTORS = ("serial", "processes", "dask")


@functools.cache
def _integer(key: str) -> bool:
    """Whether scenario parameter ``key`` is an integer (asked once per key, not once per run)."""
    from model.fields import declared_type

    return declared_type(Scenario, key) is int


def overrides(keys: Sequence[str], row: Sequence[float]) -> dict[str, Any]:
    """One parameter set as scenario overrides (integer parameters rounded)."""
    return {k: int(round(float(v))) if _integer(k) else float(v) for k, v in zip(keys, row, strict=True)}


def _runs(base: Scenario, keys: Sequence[str], rows: np.ndarray, seeds: Sequence[int]) -> list[Any]:
    """Each row of parameter values run once from its seed, the rows stepped together."""
    from model.vector_engine import VectorEngine

    scenarios = [base.with_overrides(overrides(keys, r)) for r in rows]
    return VectorEngine(batch_size=max(1, len(scenarios))).run_many(scenarios, seeds, record_events=False)


def run_job(base: Scenario, keys: Sequence[str], rows: np.ndarray, seeds: Sequence[int], lay: Layout) -> np.ndarray:
    """Run one job (in any process): each row of parameter values from its seed; the runs' raw summaries."""
    results = _runs(base, keys, rows, seeds)
    return np.array([raw(r, lay) for r in results], dtype=float).reshape(len(results), len(lay))


class BatchSimulator:
    """Runs parameter sets on an executor and counts the run-years spent.

    ``executor``: ``serial``, ``processes`` (a pool kept open for the whole calibration) or ``dask``
    (a local cluster, or the one at ``scheduler``). Use as a context manager.
    """

    def __init__(
        self,
        base: Scenario,
        keys: Sequence[str],
        lay: Layout,
        executor: str = "processes",
        workers: int | None = None,
        scheduler: str | None = None,
    ) -> None:
        if executor not in EXECUTORS:
            raise ConfigError("--executor", executor, "one of " + ", ".join(EXECUTORS))
        if workers is not None and workers < 1:
            raise ConfigError("--workers", workers, "an integer >= 1")
        self.base, self.keys, self.lay = base, tuple(keys), lay
        self.executor, self.scheduler = executor, scheduler
        self.workers = 1 if executor == "serial" else (workers or os.cpu_count() or 1)
        self.years_per_run = base.world.days / 365.25
        self.run_years = 0.0
        self._pool: Any = None
        self._cluster: Any = None

    def __enter__(self) -> BatchSimulator:
        if self.executor == "processes" and self.workers > 1:
            from concurrent.futures import ProcessPoolExecutor

            from model.vector_engine.warmup import ensure_compiled

            ensure_compiled()
            self._pool = ProcessPoolExecutor(max_workers=self.workers)
        elif self.executor == "dask":
            from dask.distributed import Client, LocalCluster

            from experiments.run.sweep import connect

            if self.scheduler:
                self._pool = connect(self.scheduler)
            else:
                self._cluster = LocalCluster(
                    n_workers=self.workers, threads_per_worker=1, processes=True, dashboard_address=None
                )
                self._pool = Client(self._cluster)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            if self.executor == "processes":
                self._pool.shutdown(cancel_futures=True)
            else:
                self._pool.close()
        if self._cluster is not None:
            self._cluster.close()
        self._pool = self._cluster = None

    def __call__(self, rows: np.ndarray, seeds: Sequence[int]) -> np.ndarray:
        """Raw summaries (runs x summaries) of parameter sets ``rows`` (runs x parameters), run from ``seeds``."""
        parts = self._map(run_job, rows, seeds, lambda a: (self.lay,))
        return np.vstack(parts) if parts else np.empty((0, len(self.lay)))

    def monthly(self, rows: np.ndarray, seeds: Sequence[int]) -> Any:
        """Months of runs of parameter sets ``rows`` (:func:`monthly_job`); one table, in draw order."""
        import pandas as pd

        return pd.concat(self._map(monthly_job, rows, seeds, lambda a: (a,)), ignore_index=True)

    def _map(self, job: Any, rows: np.ndarray, seeds: Sequence[int], extra: Any) -> list[Any]:
        """``job`` over one cut of the rows per worker, results in the rows' order; counts the run-years.

        ``extra(first_row)`` gives the job's arguments after the rows and seeds.
        """
        rows = np.atleast_2d(np.asarray(rows, dtype=float))
        n = len(rows)
        size = max(1, -(-n // self.workers))
        args = [
            (self.base, self.keys, rows[a : a + size], [int(s) for s in seeds[a : a + size]], *extra(a))
            for a in range(0, n, size)
        ]
        if self._pool is None:
            parts = [job(*a) for a in args]
        elif self.executor == "processes":
            parts = [f.result() for f in [self._pool.submit(job, *a) for a in args]]
        else:
            parts = self._pool.gather([self._pool.submit(job, *a, pure=False) for a in args])
        self.run_years += n * self.years_per_run
        return parts


def monthly_job(base: Scenario, keys: Sequence[str], rows: np.ndarray, seeds: Sequence[int], first: int) -> Any:
    """Run one job (in any process); the runs' months.

    Columns: draw, month, days in the run, departures, arrivals, dead and missing, intercepted.
    """
    import pandas as pd

    from model.outcomes import monthly

    parts = []
    for i, r in enumerate(_runs(base, keys, rows, seeds)):
        m = monthly(r.daily)[["month", "days", "departures", "arrivals", "dead_and_missing", "intercepted"]].copy()
        m.insert(0, "draw", first + i)
        parts.append(m)
    return pd.concat(parts, ignore_index=True)
