"""The day at origin, compiled: legal-channel choices, departures, the detained coming back, and boats launched.

:func:`legal_choices` and :func:`departures` are the daily choices of those waiting at origin,
:func:`release_detained` returns those detained after an interception to the waiting, and
:func:`launch` fills the smuggling networks' boats from their queues, one loop over networks and boats.

:meth:`.day.Day._launch` once planned every network's boats in arrays (types, planned loads,
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

from model.numerics.quantiles import binomial_one, c_ndtri
from model.rules import smuggling
from model.rules.boat_hour import SAILING, start
from model.rules.scalar import rule
from model.rules.smuggling import LAUNCH, STOPPED_FOR_THE_DAY
from model.vector_engine.kernels import take_one, uniform
from model.vector_engine.streams import take_row

_planned_load = rule(smuggling.planned_load)
_boat_load = rule(smuggling.boat_load)


@numba.njit(cache=True)
def launch(
    # the day, streams and purposes, boats allowed and people queued (runs x networks)
    day,
    keys,
    u_type,
    u_load,
    u_stop,
    u_queue,
    allowed,
    queue,
    net_mix,
    typical_load,
    load_factor,
    stop_share,
    displaces,
    noise_sd,  # per-run constants
    out_run,
    out_net,
    out_type,
    out_load,
    out_rank,
    out_stopped,
    out_people,
):
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
                u = uniform(
                    key, u_type, day, n, j
                )  # the boat's type: the first category whose cumulative share reaches u
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
                stop = smuggling.stop_on_beach(uniform(key, u_stop, day, n, j), stop_share[r], typ, displaces[r])
                out_stopped[k] = stop != LAUNCH
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
                if stop == STOPPED_FOR_THE_DAY:
                    break
                if load < planned:  # the first boat that does not fill is the last to leave
                    break
    return k


@numba.njit(cache=True)
def depart(
    run,
    net,
    typ,
    stopped,
    people,
    next_bid,
    status,
    st_from,
    st_to,
    case,
    day_case,
    m_stopped,
    m_launched,
    m_revenue,
    boats_by_type,
    net_price,
    out_bid,
    out_n,
    revenue,
):
    """The day's boats (:func:`launch`'s rows, by run) leave.

    The stopped ones are counted and dropped, the others get ids and enter the ledgers; returns how many left.

    The rows that leave move to the front of ``run``, ``net``, ``typ`` and ``people``, in order,
    with their ids (``out_bid``: the run's next ids in launch order, ``next_bid`` advanced) and
    people aboard (``out_n``). Ledgers: boats stopped and launched and the smugglers' revenue in
    the case metrics (``case`` and ``day_case``; the revenue summed per run in row order first, in
    the scratch ``revenue``, as a bincount does), people from ``st_from`` to ``st_to`` in
    ``status``, boats by type.
    """
    revenue[:] = 0.0
    k = 0
    for i in range(run.size):
        r = run[i]
        if stopped[i]:
            case[r, m_stopped] += 1.0
            day_case[r, m_stopped] += 1.0
            continue
        n = 0
        for t in range(people.shape[1]):
            n += people[i, t]
            people[k, t] = people[i, t]
        run[k], net[k], typ[k] = r, net[i], typ[i]
        out_bid[k], out_n[k] = next_bid[r], n
        next_bid[r] += 1
        status[r, st_from] -= n
        status[r, st_to] += n
        case[r, m_launched] += 1.0
        day_case[r, m_launched] += 1.0
        boats_by_type[r, typ[i]] += 1
        revenue[r] += net_price[r, net[i]] * n
        k += 1
    for r in range(revenue.size):
        case[r, m_revenue] += revenue[r]
        day_case[r, m_revenue] += revenue[r]
    return k


@numba.njit(cache=True)
def fill_boats(run, net, typ, people, bid, bthr, bthr_int, tables, new, hz):
    """The launched boats' rows: each column's value from the boat's run, network and type.

    ``tables`` are the run's constants (:class:`.columns.LaunchTables`), ``new`` the rows to fill
    (:class:`.columns.NewBoats`) and ``hz`` the hazard columns' rows (:class:`model.rules.boat_hour.Hazards`,
    filled by :func:`model.rules.boat_hour.start`). ``bthr`` and ``bthr_int`` are the boats'
    distress and interception thresholds (exponential draws, made by numpy so that their logarithm
    is numpy's). Called once a day, so the columns are read by name.
    """
    for i in range(run.size):
        r, k, t = run[i], net[i], typ[i]
        n = 0
        for j in range(people.shape[1]):
            new.bpeople[i, j] = people[i, j]
            n += people[i, j]
        new.bn[i] = n
        s = tables.net_state[r, k]
        new.brun[i], new.bnet[i], new.btype[i], new.bid[i] = r, k, t, bid[i]
        new.bx[i], new.by[i] = tables.net_x[r, k], tables.net_y[r, k]
        new.btx[i], new.bty[i], new.bspeed[i] = tables.net_tx[r, k], tables.net_ty[r, k], tables.boat_speed[r, t]
        new.bstatus[i], new.bsrr[i], new.btasked[i], new.bseq[i] = SAILING, -1, -1, 0
        new.bfirst[i], new.bcoord[i], new.banswer[i] = -1, -1, 0
        new.bpend_v[i], new.bpend_h[i], new.bpend_x[i], new.bpend_y[i] = -1, 0, 0.0, 0.0
        new.bdetected[i], new.bopen[i], new.bdetect_at[i] = False, False, np.inf
        start(
            hz,
            i,
            s,
            tables.net_x[r, k],
            tables.net_y[r, k],
            tables.int_zone[r, s],
            tables.int_per_hour[r, s],
            tables.net_fuel[r, k, t],
            tables.distress_base[r, t],
            n / tables.rated[r, t],
            tables.overload_exp[r, t],
            tables.no_fuel[r, t],
            tables.capsize_mean[r, t],
            tables.deterioration[r, t],
            tables.aboard_death[r, t],
            bthr[i],
            bthr_int[i],
        )
        for v in range(new.bdeclined.shape[1]):
            new.bdeclined[i, v] = False


@numba.njit(cache=True)
def _compact_block(rows, blk):
    """Each row of ``blk`` (a column) keeps its entries at ``rows`` (ascending), moved to the front."""
    for c in range(blk.shape[0]):
        for i in range(rows.size):
            blk[c, i] = blk[c, rows[i]]


@numba.njit(cache=True)
def compact(keep, floats, ints, bools, people, declined):
    """Move the boats' rows to keep to the front, in place.

    In the blocks of columns (``floats``, ``ints``, ``bools``, a column per row) and in people and declines (a boat per
    row); returns how many.

    The rows kept are listed once and each column gathers them: most boats of a day are gone by
    the next, so this reads a few rows per column rather than every row's flag in every column.
    """
    rows = np.flatnonzero(keep)
    _compact_block(rows, floats)
    _compact_block(rows, ints)
    _compact_block(rows, bools)
    for i in range(rows.size):
        people[i] = people[rows[i]]
        declined[i] = declined[rows[i]]
    return rows.size


@numba.njit(cache=True)
def legal_choices(
    day, keys, purpose, slots, wants, chosen, eligible, delay_h, legal_due, status, st_from, st_to, n_types
):
    """Each run's legal channels take people waiting at origin, channel after channel (:meth:`.day.Day._decide`).

    ``wants`` (runs, networks x types) are those who want a legal route; a channel takes up to its
    whole free places (``slots``) among the eligible who are not yet chosen (``chosen`` accumulates),
    by systematic sampling (:func:`~.streams.take_row`, the uniform drawn only when it is needed,
    as :func:`~.streams.take` does). Those taken arrive after the channel's delay (``legal_due``, by
    profile) and move from status ``st_from`` to ``st_to``.
    """
    ncell = wants.shape[1]
    avail = np.empty(ncell, dtype=np.int64)
    got = np.empty(ncell, dtype=np.int64)
    horizon = legal_due.shape[1]
    for r in range(wants.shape[0]):
        for ch in range(slots.shape[1]):
            k = np.int64(np.floor(max(slots[r, ch], 0.0)))
            if k == 0:
                continue
            total = 0
            for j in range(ncell):
                avail[j] = wants[r, j] - chosen[r, j] if eligible[r, j % n_types, ch] else 0
                total += avail[j]
            k = min(k, total)
            if k == 0:
                continue
            if k >= total:
                got[:] = avail
            else:
                take_row(avail, k, total, uniform(keys[r], purpose, day, ch, 0), got)
            slots[r, ch] -= k
            due = (day + max(1, -(-delay_h[r, ch] // 24))) % horizon  # today's arrivals are already done
            for j in range(ncell):
                chosen[r, j] += got[j]
                legal_due[r, due, (j % n_types) // 2] += got[j]  # (type = profile * 2 + family ties)
            status[r, st_from] -= k
            status[r, st_to] += k


@numba.njit(cache=True)
def departures(day, keys, u_go, u_type, waiting, chosen, p_go, queue):
    """Those still waiting at each network decide to leave (:meth:`.day.Day._decide`).

    A binomial number, then who by type.

    ``waiting`` (runs, networks, types) less ``chosen`` (runs, networks x types: those the legal
    channels took today) may leave, each with chance ``p_go`` (runs, networks); the number leaving
    is a binomial draw, the people by systematic sampling (:func:`take_one`). They move from
    ``waiting`` into ``queue``, in place. Returns 0, or -1 if an inverse-CDF search failed.
    """
    R, N, T = waiting.shape
    rest = np.empty(T, dtype=np.int64)
    go = np.empty(T, dtype=np.int64)
    for r in range(R):
        for j in range(N):
            total = 0
            for t in range(T):
                rest[t] = waiting[r, j, t] - chosen[r, j * T + t]
                total += rest[t]
            k = binomial_one(float(total), p_go[r, j], uniform(keys[r], u_go, day, j, 0))
            if k < 0:
                return -1
            take_one(rest, k, keys[r], u_type, day, j, 0, go)
            for t in range(T):
                waiting[r, j, t] = rest[t] - go[t]
                queue[r, j, t] += go[t]
    return 0


@numba.njit(cache=True)
def release_detained(slot, detained_due, waiting, status, st_from, st_to):
    """Those detained after an interception who are due back today.

    (``detained_due[:, slot]``) wait at their network again.

    One pass over the day's slot of the ring (runs, days, networks, types), which is emptied for reuse;
    each run's count moves from status ``st_from`` to ``st_to``.
    """
    R, N, T = waiting.shape
    for r in range(R):
        n = 0
        for j in range(N):
            for t in range(T):
                k = detained_due[r, slot, j, t]
                if k:
                    waiting[r, j, t] += k
                    detained_due[r, slot, j, t] = 0
                    n += k
        status[r, st_from] -= n
        status[r, st_to] += n
