"""A crisis that sends migrant workers to the coast, their evacuation, and those who turn to smugglers.

One rule for both engines, vectorised over runs and called once a day (before people on the coast
decide), with uniforms the engine draws from its own seeded streams. Per run and day:

1. While the crisis lasts (``outflow_days`` from its date) a Poisson number of migrant workers,
   ``migrant_workers / outflow_days`` on average, reach the coast; a share holds travel documents.
2. Consular staff issue documents to those without, each with chance ``consular_documents_per_day``.
3. From ``start_delay_days`` after the crisis, their states and IOM evacuate up to
   ``capacity_per_day`` people with documents.
4. Each worker still waiting turns to the smugglers with chance ``give_up_per_day``: they join the
   departure demand of the crisis state's networks (in proportion to the networks' shares) as
   economic migrants, and from then on decide like everyone on the coast.

People are conserved: reached the coast = evacuated + gave up + still waiting.

References:
    GFMD Roundtable 3.2 background paper (the project's seed), migrants caught in crises (Libya 2011).
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from model.numerics.quantiles import binomial, poisson
from model.rules.protection import split_rows

#: Scenario values the rule reads, in the order of :func:`constants`'s array.
FACTS: tuple[str, ...] = (
    "start_day",
    "migrant_workers",
    "outflow_days",
    "documented_share",
    "give_up_per_day",
    "capacity_per_day",
    "start_delay_days",
    "consular_documents_per_day",
)
F = {name: i for i, name in enumerate(FACTS)}
#: Daily flows per run (:func:`crisis_day`'s output).
FLOWS: tuple[str, ...] = ("reached_coast", "documents_issued", "evacuated", "gave_up")
FL = {name: i for i, name in enumerate(FLOWS)}
#: Uniforms per run and day.
N_UNIFORMS = 4
NO_CRISIS = -(10**9)


def constants(scenario) -> np.ndarray:
    """The crisis and evacuation values of a scenario in :data:`FACTS` order.

    ``start_day`` is the crisis's day in the run (far in the past, with no workers, if none).
    """
    w, ev = scenario.world.crisis, scenario.policy.evacuation
    if not w.date or w.migrant_workers <= 0:
        start, workers = NO_CRISIS, 0.0
    else:
        start, workers = (
            (dt.date.fromisoformat(w.date) - dt.date.fromisoformat(scenario.world.start_date)).days,
            w.migrant_workers,
        )
    return np.array(
        [
            start,
            workers,
            w.outflow_days,
            w.documented_share,
            w.give_up_per_day,
            ev.capacity_per_day,
            ev.start_delay_days,
            ev.consular_documents_per_day,
        ],
        dtype=float,
    )


def active(c: np.ndarray, waiting: np.ndarray, day: int) -> bool:
    """Whether any run has workers on the coast or arriving today (else :func:`crisis_day` may be skipped)."""
    arriving = (
        (c[:, F["migrant_workers"]] > 0)
        & (day >= c[:, F["start_day"]])
        & (day < c[:, F["start_day"]] + c[:, F["outflow_days"]])
    )
    return bool(arriving.any() or waiting.any())


def crisis_day(day: int, waiting: np.ndarray, c: np.ndarray, u: np.ndarray) -> np.ndarray:
    """One day of the crisis in every run; updates ``waiting`` in place.

    Args:
        day: the day of the run.
        waiting: (runs, 2) workers on the coast awaiting evacuation: [:, 0] without travel documents, [:, 1] with.
        c: (runs, len(FACTS)) each run's values (:func:`constants`).
        u: (runs, N_UNIFORMS) uniforms in (0, 1).

    Returns:
        (runs, len(FLOWS)) today's flows (:data:`FLOWS`).
    """
    out = np.zeros((waiting.shape[0], len(FLOWS)), dtype=np.int64)
    since = day - c[:, F["start_day"]]
    on = (since >= 0) & (since < c[:, F["outflow_days"]]) & (c[:, F["migrant_workers"]] > 0)
    mean = np.where(on, c[:, F["migrant_workers"]] / c[:, F["outflow_days"]], 0.0)
    new = np.where(mean > 0, poisson(np.maximum(mean, 1e-300), u[:, 0]), 0.0).astype(np.int64)
    documented = binomial(new, c[:, F["documented_share"]], u[:, 1])
    waiting[:, 0] += new - documented
    issued = binomial(waiting[:, 0], c[:, F["consular_documents_per_day"]], u[:, 2])
    waiting[:, 0] -= issued
    waiting[:, 1] += documented + issued
    evacuating = since >= c[:, F["start_delay_days"]]
    capacity = np.where(evacuating, np.floor(c[:, F["capacity_per_day"]] + 1e-9), 0.0).astype(np.int64)
    evacuated = np.minimum(capacity, waiting[:, 1])
    waiting[:, 1] -= evacuated
    gave_up = split_rows(binomial(waiting.sum(axis=1), c[:, F["give_up_per_day"]], u[:, 3]), waiting)
    waiting -= gave_up
    out[:, FL["reached_coast"]] = new
    out[:, FL["documents_issued"]] = issued
    out[:, FL["evacuated"]] = evacuated
    out[:, FL["gave_up"]] = gave_up.sum(axis=1)
    return out


def network_weights(shares: np.ndarray, network_state: np.ndarray, crisis_state: np.ndarray) -> np.ndarray:
    """(runs, networks) shares of the workers who give up, by network.

    The crisis state's networks by demand share (all networks if it has none).
    """
    mine = network_state == crisis_state[:, None]
    w = np.where(mine.any(axis=1, keepdims=True), np.where(mine, shares, 0.0), shares)
    return w / w.sum(axis=1, keepdims=True)


def to_networks(k: np.ndarray, weights: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Multinomial(k, weights) counts per network from conditional binomials, one uniform per network.

    (``u`` like ``weights``).
    """
    out = np.zeros(weights.shape, dtype=np.int64)
    left = np.asarray(k, dtype=np.int64).copy()
    rest = weights.sum(axis=1)
    for j in range(weights.shape[1]):
        q = np.divide(weights[:, j], rest, out=np.zeros(rest.shape), where=rest > 0)
        x = binomial(left, np.clip(q, 0.0, 1.0), u[:, j])
        out[:, j] = x
        left -= x
        rest = rest - weights[:, j]
    return out
