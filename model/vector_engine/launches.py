"""Boats launched from the smuggling networks' queues, compiled: one loop over networks and boats.

:meth:`.step.Batch._launch` once planned every network's boats in arrays (types, planned loads,
the fill rule), then took each boat's passengers from the queue in a loop over the boat's rank;
each step paid numpy's overhead and a gather per boat. Here one loop does it network by network,
boat by boat, with the same draws (the same counters of the same streams), the same rules
(:func:`~model.rules.smuggling.planned_load`, :func:`~model.rules.smuggling.boat_load`: boats fill
in order; a boat leaves only if at least half its planned load is waiting, and then takes whoever
is left) and the same order, so a day's launches do not change.
"""

from __future__ import annotations

import numba
import numpy as np

from model.rules import smuggling
from model.vector_engine.kernels import rule, take_one, uniform
from model.vector_engine.quantiles import c_ndtri

_planned_load = rule(smuggling.planned_load)
_boat_load = rule(smuggling.boat_load)


@numba.njit(cache=True)
def launch(
    day, keys, u_type, u_load, u_stop, u_queue, allowed, queue,  # the day, streams and purposes, boats allowed and people queued (runs x networks)
    net_mix, typical_load, load_factor, stop_share, noise_sd,  # per-run constants
    out_run, out_net, out_type, out_load, out_rank, out_stopped, out_people,
):  # fmt: skip
    """Plan, fill and launch every network's boats for the day; returns how many boats (rows of the ``out_`` arrays).

    For each run and network in order, boat j (j < the allowance) gets a type (a categorical draw
    from the network's mix) and a planned load (the type's typical load x the network's load factor
    x lognormal noise, rounded, at least 10). Boats that fill are launched; the first that does not
    fill leaves with whoever is left if that is at least half its plan, and no later boat leaves.
    A launched boat may be stopped on the beach (``out_stopped``); the others take their people
    from the queue (systematic sampling by type, as :func:`.streams.take`), into ``out_people``.
    """
    R, N, T = queue.shape
    K = net_mix.shape[2]
    took = np.empty(T, dtype=np.int64)
    k = 0
    for r in range(R):
        key = keys[r]
        for n in range(N):
            queued = 0
            for t in range(T):
                queued += queue[r, n, t]
            if queued <= 0 or allowed[r, n] <= 0:
                continue
            launched = 0
            for j in range(allowed[r, n]):
                u = uniform(key, u_type, day, n, j)  # the boat's type: the first category whose cumulative share reaches u
                cum = 0.0
                typ = K - 1
                for i in range(K):
                    cum += net_mix[r, n, i]
                    if cum >= u:
                        typ = i
                        break
                noise = np.exp(noise_sd * c_ndtri(uniform(key, u_load, day, n, j), 0))
                planned = np.int64(_planned_load(typical_load[r, typ], load_factor[r, n], noise))
                load = _boat_load(queued - launched, planned)
                if load == 0:
                    break
                launched += load
                out_run[k], out_net[k], out_type[k], out_load[k], out_rank[k] = r, n, typ, load, j
                out_stopped[k] = uniform(key, u_stop, day, n, j) < stop_share[r]
                out_people[k] = 0
                if not out_stopped[k]:
                    row = queue[r, n]
                    waiting = 0
                    for t in range(T):
                        waiting += row[t]
                    take_one(row, min(load, waiting), key, u_queue, day, n * 1024 + j, 0, took)
                    for t in range(T):
                        row[t] -= took[t]
                        out_people[k, t] = took[t]
                k += 1
                if load < planned:  # the first boat that does not fill is the last to leave
                    break
    return k
