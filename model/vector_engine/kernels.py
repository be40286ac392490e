"""What the compiled loops of the vectorised engine share: stream draws and tallies.

The loops by concept live in :mod:`.boats`, :mod:`.coordination`, :mod:`.vessels`, :mod:`.ports`
and :mod:`.launches` (the rules they call, compiled, are in :mod:`model.rules.scalar`); here are
the pieces they all use: one draw of a stream (:func:`uniform`, :func:`take_one`), the tallies of
people (:func:`add_people`) and the conservation check (:func:`first_unbalanced`).
"""

from __future__ import annotations

import numba
import numpy as np

from model.vector_engine.streams import mix64, take_row, unit


@numba.njit(cache=True)
def uniform(key: np.uint64, purpose: int, a: int, b: int, c: int) -> float:
    """One draw of :meth:`.streams.Streams.uniform`: the same value for the same key and counters."""
    cnt = (
        (np.uint64(purpose) << np.uint64(56))
        | (np.uint64(a) << np.uint64(32))
        | (np.uint64(b) << np.uint64(8))
        | np.uint64(c)
    )
    return unit(mix64(key + mix64(cnt)))


@numba.njit(cache=True)
def take_one(counts, k, key, purpose, a, b, c, out):
    """:func:`.streams.take` of one row, the uniform drawn only when it is needed (as there)."""
    total = 0
    for t in range(counts.size):
        total += counts[t]
    if k >= total:
        for t in range(counts.size):
            out[t] = counts[t]
    elif k <= 0:
        for t in range(counts.size):
            out[t] = 0
    else:
        take_row(counts, k, total, uniform(key, purpose, a, b, c), out)


@numba.njit(cache=True)
def add_people(person, day_person, metric, run, counts, per_profile):
    """Add counts of people to a person metric: ``person[run, metric, profile]`` and the day's total.

    ``counts`` has one row per element of ``run``, with ``per_profile`` columns per profile (2 for
    counts by type, whose consecutive pairs are a profile's; 1 for counts by profile).
    """
    for r in range(run.size):
        add_people_row(person, day_person, metric, run[r], counts[r], per_profile)


@numba.njit(
    "void(int64[:, :, :], int64[:, :], int64, int64, int64[:], int64)", cache=True
)  # (one version, not one per literal metric)
def add_people_row(person, day_person, metric, run, counts, per_profile):
    """:func:`add_people` for one group (``counts``, 1-D) of run ``run``."""
    total = 0
    for j in range(counts.size):
        person[run, metric, j // per_profile] += counts[j]
        total += counts[j]
    day_person[run, metric] += total


@numba.njit(cache=True)
def first_unbalanced(status, created):
    """The first run whose statuses do not add up to the people it created, or hold a negative count; -1 if none."""
    for r in range(status.shape[0]):
        total = 0
        for j in range(status.shape[1]):
            if status[r, j] < 0:
                return r
            total += status[r, j]
        if total != created[r]:
            return r
    return -1
