"""The vectorised engine: the rules of ``model/rules`` over arrays, many runs per batch.

``VectorEngine().run(scenario, seed)`` returns the same :class:`~model.outcomes.RunResult` as the
Mesa engine; :meth:`VectorEngine.run_batch` runs many seeds of a scenario at once, and
:meth:`VectorEngine.run_many` many (scenario, seed) pairs, variants sharing batches (the fast path
for sweeps). Run k with seed s gives the same result alone or in any batch: every draw comes from the run's own
counter-based stream (``streams.py``). ``state.py`` holds the arrays, ``step.py`` the hourly step,
``day.py`` the once-a-day phases.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from model.outcomes import (
    AWAITING_ANSWER,
    CASE_METRICS,
    COORDINATION,
    DAILY_COLUMNS,
    EVENT_COLUMNS,
    EVENTS,
    PERSON_METRICS,
    STATUSES,
    Ledger,
    RunResult,
    decline_detail,
    launch_detail,
    relocation_detail,
    tasking_detail,
)
from model.params import BOAT_TYPES, VESSEL_KINDS, Scenario
from model.vector_engine.state import WAITING, batch_key
from model.vector_engine.step import Batch
from model.vector_engine.warmup import ensure_compiled

__all__ = ["Batch", "VectorEngine"]


class VectorEngine:
    """Runs scenarios on arrays (satisfies :class:`model.outcomes.Engine`).

    Args:
        batch_size: most runs stepped together by :meth:`run_batch` (memory grows with it).
    """

    name = "vector"

    def __init__(self, batch_size: int = 256) -> None:
        self.batch_size = int(batch_size)

    def run(
        self,
        scenario: Scenario,
        seed: int,
        *,
        days: int | None = None,
        progress: bool = False,
        record_events: bool = True,
    ) -> RunResult:
        """Run ``scenario`` from ``seed`` for its days (or ``days``) and return the outcomes."""
        return self.run_batch(scenario, [seed], days=days, progress=progress, record_events=record_events)[0]

    def run_batch(
        self,
        scenario: Scenario,
        seeds: Iterable[int],
        *,
        days: int | None = None,
        progress: bool = False,
        record_events: bool = True,
    ) -> list[RunResult]:
        """Run ``scenario`` once per seed, ``batch_size`` runs at a time; results in seed order."""
        if days is not None:
            scenario = scenario.with_overrides({"world.days": days})
        seeds = [int(s) for s in seeds]
        return self.run_many([scenario] * len(seeds), seeds, progress=progress, record_events=record_events)

    def run_many(
        self,
        scenarios: Sequence[Scenario],
        seeds: Sequence[int],
        *,
        progress: bool = False,
        record_events: bool | Sequence[bool] = True,
    ) -> list[RunResult]:
        """Run ``scenarios[k]`` from ``seeds[k]`` for every k; results in the same order.

        ``record_events`` keeps the event log of every run, or of the runs whose flag is set.

        Runs of different scenarios share a batch when they can (same places, networks, channels
        and calendar: :func:`~model.vector_engine.state.batch_key`), ``batch_size`` runs at
        a time, so a sweep's scenario variants pay the per-hour Python cost once. A run's result is
        the same as when run alone.
        """
        scenarios, seeds = list(scenarios), [int(s) for s in seeds]
        ensure_compiled()  # (a fresh checkout compiles on every core once; then a no-op)
        if len(scenarios) != len(seeds):
            raise ValueError(f"{len(scenarios)} scenarios for {len(seeds)} seeds: give one scenario per seed")
        if not isinstance(record_events, bool):
            record_events = [bool(x) for x in record_events]
            if len(record_events) != len(seeds):
                raise ValueError(
                    f"{len(record_events)} record_events flags for {len(seeds)} seeds: give one flag, or one per seed"
                )
        groups: dict[tuple, list[int]] = {}
        for k, s in enumerate(scenarios):
            groups.setdefault(batch_key(s), []).append(k)
        bar = None
        if progress:
            from tqdm import tqdm

            names = sorted({s.name for s in scenarios})
            desc = f"{names[0]} (vector)" if len(names) == 1 else f"{len(names)} scenarios (vector)"
            bar = tqdm(total=sum(s.world.days for s in scenarios), unit="run-day", desc=desc, leave=False)
        out: list[RunResult | None] = [None] * len(seeds)
        for idx in groups.values():
            for i in range(0, len(idx), self.batch_size):
                part = idx[i : i + self.batch_size]
                batch = Batch(
                    [scenarios[k] for k in part],
                    [seeds[k] for k in part],
                    record_events=record_events
                    if isinstance(record_events, bool)
                    else [record_events[k] for k in part],
                )
                for h in range(batch.days * 24):
                    batch.step()
                    if bar is not None and h % 24 == 23:
                        bar.update(batch.R)
                for k, r in zip(part, results(batch), strict=True):
                    out[k] = r
        if bar is not None:
            bar.close()
        return out  # type: ignore[return-value]


def _details(batch: Batch, code: np.ndarray, aux: np.ndarray) -> np.ndarray:
    """The event log's ``detail`` text, as the Mesa engine writes it."""
    c = batch.c
    detail = np.full(code.size, "", dtype=object)
    a = np.nan_to_num(aux, nan=-1).astype(np.int64)

    def put(name: str, f, values: np.ndarray = a) -> None:
        m = code == EVENTS.index(name)
        if m.any():  # each distinct value is written once (there are few, or a tasking's ETA)
            distinct, inverse = np.unique(values[m], return_inverse=True)
            detail[m] = np.array([f(x) for x in distinct.tolist()], dtype=object)[inverse]

    put("launch", lambda i: launch_detail(c.net_names[i // 8], BOAT_TYPES[i % 8]))
    put("stopped", lambda i: c.net_names[i])
    put("distress", lambda i: BOAT_TYPES[i])
    put("coordination", lambda i: COORDINATION[i])
    put("tasking", lambda f: tasking_detail(f) if f >= 0 else AWAITING_ANSWER, aux)
    put("decline", lambda i: decline_detail(i) if i >= 0 else "")
    put("rescue", lambda i: VESSEL_KINDS[i])
    put("capsize", lambda i: ("capsize", "approach")[i])
    put("unassisted_arrival", lambda i: c.geo.port_names[i])
    put("landing", lambda i: c.geo.port_names[i])
    put("relocation", lambda i: relocation_detail(c.states[i]))
    put("policy_change", lambda i: batch.change_names[i])
    return detail


def _vessel_index(batch: Batch, vessel: np.ndarray) -> np.ndarray:
    """Each event's vessel as its index in its run's fleet (0 where there is none; a run may have no vessels at all)."""
    if not batch.vidx.size:
        return np.zeros(vessel.size, dtype=np.int64)
    return batch.vidx[np.maximum(vessel, 0).astype(np.int64)]


def _events(batch: Batch) -> list[pd.DataFrame]:
    """The event log of each run (chronological, the same columns as the Mesa engine's)."""
    empty = pd.DataFrame([], columns=list(EVENT_COLUMNS))
    if not batch.events:
        return [empty.copy() for _ in range(batch.R)]
    blocks = list(zip(*batch.events, strict=True))
    ints, floats = np.concatenate(blocks[0]), np.concatenate(blocks[1])
    order = np.argsort(ints[:, 2], kind="stable")  # by run, chronological within each
    ints, floats = ints[order], floats[order]
    hour, code, run, case, vessel, state, persons = ints.T
    x, y, aux = floats.T
    c = batch.c
    vnames = np.full((len(c.variants), c.V + 2), "", dtype=object)  # per scenario: none, a patrol, each vessel
    vnames[:, 1] = "patrol"
    for j, v in enumerate(c.variants):
        vnames[j, 2 : v.V + 2] = v.v_names
    snames = np.array(["", *c.states], dtype=object)
    df = pd.DataFrame(
        {
            "hour": hour,
            "day": hour // 24,
            "event": np.array(EVENTS, dtype=object)[code],
            "case_id": case,
            "vessel": vnames[
                c.variant[run], np.where(vessel >= 0, _vessel_index(batch, vessel) + 2, np.where(vessel == -2, 1, 0))
            ],
            "state": snames[state + 1],
            "persons": persons,
            "x_km": np.round(x, 2),
            "y_km": np.round(y, 2),
            "detail": _details(batch, code, aux),
        }
    )
    bounds = np.searchsorted(run, np.arange(batch.R + 1))
    return [
        df.iloc[bounds[r] : bounds[r + 1]].reset_index(drop=True) if bounds[r + 1] > bounds[r] else empty.copy()
        for r in range(batch.R)
    ]


def _daily(batch: Batch) -> list[pd.DataFrame]:
    """The daily series of each run: one table for the batch, cut into runs (much faster than one per run)."""
    L, R, d = batch.L, batch.R, batch.days
    cols: dict[str, np.ndarray] = {
        "day": np.tile(np.arange(d), R),
        "date": np.tile(np.array([x.date().isoformat() for x in batch.c.dates], dtype=object), R),
        "sea_state": np.round(L.daily_sea, 4).ravel(),
    }
    cols.update({m: L.daily_person[:, :, i].ravel() for i, m in enumerate(PERSON_METRICS)})
    cols.update({m: L.daily_case[:, :, i].ravel() for i, m in enumerate(CASE_METRICS)})
    cols.update({f"stock_{s}": L.daily_status[:, :, i].ravel() for i, s in enumerate(STATUSES)})
    cols.update(
        vessels_waiting=L.daily_vessels_waiting.ravel(),
        people_waiting_at_sea=L.daily_people_waiting.ravel(),
        reception_occupancy=np.round(L.daily_occupancy, 1).ravel(),
    )
    df = pd.DataFrame(cols, columns=list(DAILY_COLUMNS))
    return [df.iloc[r * d : (r + 1) * d].reset_index(drop=True) for r in range(R)]


def results(batch: Batch) -> list[RunResult]:
    """Turn a finished batch into one :class:`RunResult` per run (the shared Ledger makes the summary)."""
    L = batch.L
    events = _events(batch)
    daily = _daily(batch)
    waits_run = np.concatenate(L.waits_run) if L.waits_run else np.zeros(0, dtype=np.int64)
    waits_days = np.concatenate(L.waits_days) if L.waits_days else np.zeros(0)
    order = np.argsort(waits_run, kind="stable")
    bounds = np.searchsorted(waits_run[order], np.arange(batch.R + 1))
    waits = waits_days[order]
    still = batch.vstatus == WAITING
    out = []
    for r in range(batch.R):
        scenario = batch.scenarios[r]
        led = Ledger(scenario, bool(batch.keep_events[r]))
        led.status, led.created = L.status[r].copy(), int(L.created[r])
        led.person, led.case = L.person[r].copy(), L.case[r].copy()
        for name in (
            "arrivals_by_state",
            "relocated_in",
            "relocated_out",
            "refusals_by_state",
            "intercepted_by_state",
            "rescued_by_actor",
            "boats_by_type",
        ):
            setattr(led, name, getattr(L, name)[r].copy())
        led.waits = waits[bounds[r] : bounds[r + 1]].tolist()
        led.framework_landed, led.reception_days = (
            L.framework_landed[r].copy(),
            L.reception_days[r].copy(),
        )  # burden sharing
        led.standoff_days, led.member_days, led.joined_day, led.left_day = (
            getattr(L, k)[r].copy() for k in ("standoff_days", "member_days", "joined_day", "left_day")
        )
        led.members_end = batch.c.participants[r].copy()
        led.waits_open = (
            (batch.hour - batch.first_request[still & (batch.vrun == r)]) / 24.0
        ).tolist()  # waits at sea still running at the end
        led.protection, led.protection_queued = L.protection[r].copy(), batch.screening_queued[r].copy()
        led.screening_queue_max = int(batch.screening_queue_max[r])
        led.crisis = L.crisis[r].copy()
        # the tables are already in the result's form (Ledger.result would copy them into new frames)
        out.append(
            RunResult(
                summary=led.summary(),
                daily=daily[r],
                events=events[r],
                scenario=scenario,
                seed=batch.seeds[r],
                engine="vector",
            )
        )
    return out
