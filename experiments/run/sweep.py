"""Running an experiment: every scenario x replicate, on one of three executors, resumable.

Executors: ``serial`` (one process), ``processes`` (a local process pool, the default, all cores)
and ``dask`` (a ``dask.distributed`` cluster: a local one started here, or an existing one given
by ``--scheduler tcp://HOST:PORT``). Each task is a pure function of its scenario and seed, and
results are written by this process in completion order but consolidated in (scenario,
replicate) order, so the tables are identical whatever the executor and worker count.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from experiments.run.spec import DesignPoint, Experiment, replicate_seed
from experiments.run.store import ResultStore
from model.engines import get_engine
from model.errors import ConfigError
from model.fields import flatten
from model.outcomes import RunResult, monthly
from model.params import Scenario

log = logging.getLogger(__name__)
EXECUTORS = ("serial", "processes", "dask")
MAP_EVENTS = ("capsize", "rescue", "interception", "unassisted_arrival")


@dataclass(frozen=True)
class Task:
    """One run to do: a scenario, a replicate and its seed."""

    scenario_index: int
    label: str
    package: str
    replicate: int
    seed: int
    engine: str
    scenario: Scenario
    keep_events: bool


#: The columns that name a run in every sweep table, first.
IDENT = ("scenario_index", "scenario", "replicate")


def _named(table: pd.DataFrame, ident: dict[str, Any]) -> pd.DataFrame:
    """``table`` with the run's identity columns put first."""
    for k, v in reversed(ident.items()):
        table.insert(0, k, v)
    return table


@dataclass(frozen=True)
class TaskResult:
    """What a worker sends back: the run's table row, its daily series (wide), monthly table and map events.

    The daily series travels wide (a row per day) and is made long only when stored
    (:meth:`daily_long`): long, with its text columns, a year's series is 16 times larger in
    memory, and a sweep of 1,200 vector runs peaked at 4.6 GB across its processes (1.65 GB wide).
    The monthly table is small and is computed in the worker, so the process that stores the runs
    does not do it for every run in turn.
    """

    scenario_index: int
    replicate: int
    row: dict[str, Any]
    daily: pd.DataFrame
    events: pd.DataFrame | None
    months: pd.DataFrame | None = None
    tables: tuple[pa.Table, pa.Table, pa.Table | None] | None = (
        None  # (daily, monthly, events) as stored, built by the worker
    )

    def stored(self) -> tuple[pa.Table, pa.Table, pa.Table | None]:
        """The daily, monthly and events tables as the run files store them (built here unless the worker did)."""
        if self.tables is not None:
            return self.tables
        return self.daily_table(), _arrow(self.monthly()), None if self.events is None else _arrow(self.events)

    def monthly(self) -> pd.DataFrame:
        """The monthly table (:func:`model.outcomes.monthly`) as ``monthly.parquet`` stores it.

        Wide, with the run's identity.
        """
        if self.months is not None:
            return self.months
        return _named(monthly(self.daily), {k: self.row[k] for k in IDENT})

    def daily_table(self) -> pa.Table:
        """:meth:`daily_long` as the arrow table ``daily.parquet`` stores, built from arrays.

        (no Python strings per row).

        The same table as ``pa.Table.from_pandas(self.daily_long(), preserve_index=False)``, pandas
        metadata included, in a sixth of the time; the workers build it, so the process that
        stores the runs only writes it.
        """
        wide = self.daily
        names = [c for c in wide.columns if c not in ("day", "date")]
        d, k = len(wide), len(names)
        ident = {key: self.row[key] for key in IDENT}
        head = _named(
            pd.DataFrame(
                {
                    "day": wide["day"].iloc[:1].to_numpy(),
                    "date": wide["date"].iloc[:1].to_numpy(dtype=object),
                    "variable": names[:1],
                    "value": [0.0],
                }
            ),
            ident,
        )
        schema = pa.Schema.from_pandas(head, preserve_index=False)
        n = d * k
        text = schema.field("variable").type
        arrays = [pa.repeat(pa.scalar(ident[key], schema.field(key).type), n) for key in IDENT]
        arrays += [
            pa.array(np.tile(wide["day"].to_numpy(dtype=np.int64), k)),
            pa.array(wide["date"].to_numpy(dtype=object), type=text).take(np.tile(np.arange(d), k)),
            pa.array(names, type=text).take(np.repeat(np.arange(k), d)),
            pa.array(wide[names].to_numpy(dtype=float).T.ravel()),
        ]
        return pa.Table.from_arrays(arrays, schema=schema)

    def daily_long(self) -> pd.DataFrame:
        """The daily series as ``daily.parquet`` stores it: one row per day and variable, with the run's identity.

        Built from the wide table's array rather than with ``DataFrame.melt`` (a tenth of the time;
        a sweep stores every run in turn): the rows are variable-major, as ``melt`` orders them.
        """
        wide = self.daily
        names = [c for c in wide.columns if c not in ("day", "date")]
        d, k = len(wide), len(names)
        long = pd.DataFrame(
            {
                "day": np.tile(wide["day"].to_numpy(), k),
                "date": np.tile(wide["date"].to_numpy(dtype=object), k),
                "variable": np.repeat(np.array(names, dtype=object), d),
                "value": wide[names].to_numpy(dtype=float).T.ravel(),
            }
        )
        return _named(long, {key: self.row[key] for key in IDENT})


def _arrow(table: pd.DataFrame) -> pa.Table:
    """A table as its parquet file stores it."""
    return pa.Table.from_pandas(table, preserve_index=False)


def _cell(v: Any) -> Any:
    """A parquet-friendly table cell: lists and tables as JSON text."""
    if isinstance(v, (list, tuple)):
        return json.dumps(list(v))
    return json.dumps(v) if isinstance(v, dict) else v


def run_task(task: Task) -> TaskResult:
    """Run one task (in any process): the engine, then the flattened row and long tables."""
    return task_result(task, get_engine(task.engine).run(task.scenario, task.seed, record_events=task.keep_events))


def run_job(job: list[Task]) -> list[TaskResult]:
    """Run a job (in any process): one task, or a batch of vector-engine tasks stepped together."""
    if len(job) == 1:
        return [run_task(job[0])]
    from model.vector_engine import VectorEngine

    results = VectorEngine(batch_size=len(job)).run_many(
        [t.scenario for t in job], [t.seed for t in job], record_events=[t.keep_events for t in job]
    )
    return [task_result(t, r) for t, r in zip(job, results, strict=True)]


#: Most runs the vector engine steps together in one sweep job.
VECTOR_BATCH = 256


def jobs_for(tasks: list[Task], batch: int = VECTOR_BATCH, workers: int = 1) -> list[list[Task]]:
    """Group tasks into jobs: the vector engine batches runs that can share a batch; others run alone.

    Vector runs of any scenarios with the same places, networks, channels and calendar share a
    batch (replicates and scenario variants alike), cut into at least ``workers`` jobs so every
    worker has one, and at most ``batch`` runs each. A vector run's result does not depend on its
    batch, so grouping never changes the tables.
    """
    from model.vector_engine.state import batch_key

    groups: dict[tuple, list[Task]] = {}
    jobs: list[list[Task]] = []
    for t in tasks:
        if t.engine == "vector":
            groups.setdefault(batch_key(t.scenario), []).append(
                t
            )  # (runs that keep their events share a batch with the others)
        else:
            jobs.append([t])
    for g in groups.values():
        size = max(1, min(batch, -(-len(g) // max(1, workers))))
        jobs += [g[i : i + size] for i in range(0, len(g), size)]
    return jobs


def task_result(task: Task, result: RunResult) -> TaskResult:
    """A run's outcomes as a sweep row, its daily series and its map events."""
    ident = dict(zip(IDENT, (task.scenario_index, task.label, task.replicate), strict=True))
    params = {k: _cell(v) for k, v in task.scenario.flat().items() if k not in ("name", "description")}
    outcomes = flatten(result.summary)
    row = {**ident, "package": task.package, "seed": task.seed, "engine": task.engine, **params, **outcomes}
    events = None
    if task.keep_events:
        ev = result.events[result.events["event"].isin(MAP_EVENTS)][["hour", "event", "persons", "x_km", "y_km"]].copy()
        events = _named(ev, ident).reset_index(drop=True)
    months = _named(monthly(result.daily), {k: row[k] for k in IDENT})
    res = TaskResult(task.scenario_index, task.replicate, row, result.daily, events, months)
    return replace(
        res, tables=res.stored()
    )  # (converted here, in the worker, rather than in turn by the process that stores)


def tasks_for(experiment: Experiment, points: list[DesignPoint], skip: set[tuple[int, int]]) -> list[Task]:
    """Every (scenario, replicate) not yet done, replicate-major so early results cover all scenarios."""
    out = []
    draws = experiment.posterior_draws()
    for r in range(experiment.replicates):
        seed = replicate_seed(experiment.seed, r)
        for p in points:
            if (p.index, r) not in skip:
                scenario = p.scenario
                if draws:  # replicate r's calibrated values, except those the experiment sets itself
                    own = {k: v for k, v in draws[r].items() if k not in p.overrides and k not in experiment.fixed}
                    scenario = scenario.with_overrides(own)
                out.append(
                    Task(
                        p.index,
                        p.label,
                        str(p.factors.get("package", "")),
                        r,
                        seed,
                        experiment.engine,
                        scenario,
                        keep_events=(r == 0),
                    )
                )
    return out


def execute(
    tasks: list[Task], executor: str = "processes", workers: int | None = None, scheduler: str | None = None
) -> Iterator[TaskResult]:
    """Run tasks on an executor, yielding results as they finish."""
    if executor not in EXECUTORS:
        raise ConfigError("--executor", executor, "one of " + ", ".join(EXECUTORS))
    workers = workers or os.cpu_count() or 1
    jobs = jobs_for(tasks, workers=1 if executor == "serial" else workers)
    if executor == "serial" or not tasks:
        for j in jobs:
            yield from run_job(j)
    elif executor == "processes":
        from concurrent.futures import ProcessPoolExecutor, as_completed

        with ProcessPoolExecutor(max_workers=workers) as pool:
            futures = [pool.submit(run_job, j) for j in jobs]
            for f in as_completed(futures):
                yield from f.result()
    else:
        yield from _dask(jobs, workers, scheduler)


#: Seconds to wait for a ``--scheduler`` to answer as a dask scheduler.
SCHEDULER_TIMEOUT = 10.0


def connect(address: str, timeout: float | None = None) -> Any:
    """A dask ``Client`` of the scheduler at ``address``, or ConfigError within about ``timeout`` seconds.

    (default :data:`SCHEDULER_TIMEOUT`).

    The address is first asked who it is (dask's ``identity`` message) under a hard ``timeout``:
    whatever answers there (nothing, garbage whose "frame length" asks for exabytes, another
    kind of dask server, a refusal), the caller gets one line naming the address and the timeout,
    never a hang or a traceback. Only a scheduler that answered gets a client.
    """
    import asyncio

    from dask.distributed import Client

    timeout = SCHEDULER_TIMEOUT if timeout is None else timeout

    def refuse(why: str) -> ConfigError:
        return ConfigError(
            "--scheduler",
            address,
            f"the address of a running dask scheduler that answers within {timeout:g} s ({why})",
            problem="no dask scheduler at",
        )

    try:
        kind = asyncio.run(asyncio.wait_for(_identity(address, timeout), timeout))
    except TimeoutError:
        raise refuse("no answer") from None
    except Exception as err:  # any failure (refused, garbage, a protocol error) becomes the one line above
        raise refuse(_why(err)) from None
    if kind != "Scheduler":
        raise refuse(f"it answered as {kind!r}")
    try:
        return Client(address, timeout=f"{timeout}s", set_as_default=False)
    except Exception as err:
        raise refuse(_why(err)) from None


async def _identity(address: str, timeout: float) -> str:
    """What the dask server at ``address`` says it is (``"Scheduler"`` for a scheduler)."""
    from distributed.comm import connect as comm_connect

    comm = await comm_connect(address, timeout=timeout)
    try:
        await comm.write({"op": "identity", "reply": True})
        reply = await comm.read()
    finally:
        comm.abort()
    return str(reply.get("type")) if isinstance(reply, dict) else type(reply).__name__


def _why(err: BaseException) -> str:
    """An exception as a short one-line reason."""
    text = str(err).splitlines()[0][:160] if str(err) else ""
    return f"{type(err).__name__}: {text}" if text else type(err).__name__


def _dask(jobs: list[list[Task]], workers: int, scheduler: str | None) -> Iterable[TaskResult]:
    from dask.distributed import Client, LocalCluster, as_completed

    if scheduler:
        client = connect(scheduler)
        cluster = None
    else:
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None)
        client = Client(cluster)
    try:
        futures = client.map(run_job, jobs, pure=False)
        for f in as_completed(futures):
            yield from f.result()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def sweep(
    experiment: Experiment,
    out: str | Path,
    *,
    executor: str = "processes",
    workers: int | None = None,
    scheduler: str | None = None,
    resume: bool = False,
    progress: bool = True,
    then: Callable[[Path], object] | None = None,
    method: str | None = None,
    yes: bool = False,
) -> Path:
    """Run ``experiment`` into ``out``; return the folder. Every input is checked before any run.

    ``method`` overrides the design (``sobol`` or ``morris`` for sensitivity analysis). A sweep
    estimated to be too large is refused, or needs ``yes`` (:mod:`experiments.run.budget`).
    ``then`` is called with the finished folder while it is still locked: the command line draws
    the charts there (:func:`experiments.present.figures.draw_all`; the run side does not import
    the presentation side).
    """
    if executor not in EXECUTORS:
        raise ConfigError("--executor", executor, "one of " + ", ".join(EXECUTORS))
    if workers is not None and workers < 1:
        raise ConfigError("--workers", workers, "an integer >= 1")
    if method:
        experiment = experiment.with_changes(design=method)
    from experiments.run.budget import check, sweep_estimate

    check(sweep_estimate(experiment), yes, "experiment", scenarios=experiment.scenario_count())
    points = experiment.points()
    if executor == "dask" and scheduler:
        connect(scheduler).close()  # a wrong address fails here, before the folder is touched
    store = ResultStore(out)
    with store.locked():
        store.open(experiment, resume)
        store.write_scenario(experiment.base_scenario())
        done = store.verified((p.index, r) for r in range(experiment.replicates) for p in points)
        todo = tasks_for(experiment, points, done)
        total = len(points) * experiment.replicates
        bar = None
        if progress:
            from tqdm import tqdm

            bar = tqdm(total=total, initial=total - len(todo), unit="run", desc=experiment.name, smoothing=0.1)
        if todo and experiment.engine == "vector" and executor != "dask":
            from model.vector_engine.warmup import ensure_compiled

            ensure_compiled(
                announce=(lambda msg: bar.write(msg)) if bar is not None else None
            )  # (once, on both cores, before the workers start)
        for res in execute(todo, executor, workers, scheduler):
            store.save(res.scenario_index, res.replicate, res.row, *res.stored())
            done.add((res.scenario_index, res.replicate))
            if bar is not None:
                bar.update(1)
        if bar is not None:
            bar.close()
        store.consolidate(done)
        if then is not None:
            then(store.root)
    return store.root
