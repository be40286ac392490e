"""Vessels on scene, compiled: capsizing on approach, deaths, people taken aboard or returned.

:meth:`.step.Batch.rescue` once ran as some sixty numpy calls over the rescuing vessels, each paying
its overhead and a gather per row; at large batches an hour holds thousands of rescues and the calls
cost microseconds a rescue. Here the same work is one loop per phase, with the same draws (the same
counters of the same streams, the same inverse CDFs, the same systematic sampling), so results do
not change. The phases keep the array code's order (every capsize on approach, then what each
vessel takes aboard, then the returns to a departure state, then the rescues), so the event log
lists the same events in the same order.

Ledger updates and events go straight into the batch's arrays: events into a buffer of rows
(:class:`EventRows`), which :class:`.step.Batch` appends to its log.
"""

from __future__ import annotations

import numba
import numpy as np

from model.outcomes import CASE_METRICS, EVENTS, PERSON_METRICS, STATUSES
from model.rules.disembarkation import STANDING, acceptance, fill_request_orders
from model.rules.reception import occupancy_ratio
from model.vector_engine.kernels import _wants_port, uniform
from model.vector_engine.quantiles import binomial_one
from model.vector_engine.state import CAPSIZED, PATROL, SAILING, TO_HOME, TO_PORT
from model.vector_engine.streams import take_row

ST_AT_SEA, ST_ABOARD, ST_INTERCEPTED, ST_DEAD, ST_MISSING = (STATUSES.index(s) for s in ("at_sea", "aboard_vessel", "intercepted", "dead", "missing"))
PM_DEAD, PM_MISSING, PM_RESCUED, PM_INTERCEPTED = (PERSON_METRICS.index(s) for s in ("dead", "missing", "rescued", "intercepted"))
CM_CAPSIZES, CM_REQUESTS, CM_REFUSALS = (CASE_METRICS.index(s) for s in ("capsizes", "disembarkation_requests", "disembarkation_refusals"))
EV_CAPSIZE, EV_INTERCEPTION, EV_RESCUE, EV_REQUEST, EV_ACCEPTANCE, EV_REFUSAL = (EVENTS.index(s) for s in ("capsize", "interception", "rescue", "request", "acceptance", "refusal"))
FAILED = -1  # returned when an inverse-CDF search does not converge (invalid parameters)
STILL_SAILING = -2  # returned if a tasked boat is not in distress (cases open only for boats in distress)


class EventRows:
    """A buffer of event rows that compiled loops fill: integer columns (hour, code, run, case, vessel, state, persons) and float ones (x, y, aux)."""

    def __init__(self, rows: int) -> None:
        self.ints = np.empty((rows, 7), dtype=np.int64)
        self.floats = np.empty((rows, 3))

    def columns(self, n: int) -> tuple[np.ndarray, ...]:
        """The first ``n`` rows as the ten columns of :meth:`.step.Batch.event` (copies)."""
        i, f = self.ints[:n], self.floats[:n]
        return (*(i[:, j].copy() for j in range(7)), *(f[:, j].copy() for j in range(3)))


@numba.njit(cache=True)
def _event(ev_i, ev_f, k, hour, code, run, case, vessel, state, persons, x, y, aux):  # noqa: ANN001
    ev_i[k, 0], ev_i[k, 1], ev_i[k, 2], ev_i[k, 3], ev_i[k, 4], ev_i[k, 5], ev_i[k, 6] = hour, code, run, case, vessel, state, persons
    ev_f[k, 0], ev_f[k, 1], ev_f[k, 2] = x, y, aux
    return k + 1


@numba.njit(cache=True)
def _persons(person, day_person, metric, run, by_type):  # noqa: ANN001
    """Count people by type (consecutive pairs of types make a profile) for a person metric."""
    total = 0
    for t in range(by_type.size):
        person[run, metric, t // 2] += by_type[t]
        total += by_type[t]
    day_person[run, metric] += total


@numba.njit(cache=True)
def _add(row, counts, sign):  # noqa: ANN001
    """``row += sign * counts``, element by element (an array expression here would allocate)."""
    for t in range(counts.size):
        row[t] += sign * counts[t]


@numba.njit(cache=True)
def _take(counts, k, key, purpose, a, b, c, out):  # noqa: ANN001
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
def kill(h, b, k, purpose, keys, body_share, brun, bid, bpeople, bn, status, person, day_person, dying, dead):  # noqa: ANN001
    """:meth:`.step.Batch.kill` of one boat: ``k`` of those aboard die, split into dead and missing (three purposes from ``purpose``)."""
    if k <= 0:
        return 0
    r, key = brun[b], keys[brun[b]]
    _take(bpeople[b], k, key, purpose, h, bid[b], 0, dying)
    _add(bpeople[b], dying, -1)
    bn[b] -= k
    n_dead = binomial_one(float(k), body_share[r], uniform(key, purpose + 1, h, bid[b], 0))
    if n_dead < 0:
        return FAILED
    _take(dying, n_dead, key, purpose + 2, h, bid[b], 0, dead)
    status[r, ST_AT_SEA] -= k
    status[r, ST_DEAD] += n_dead
    status[r, ST_MISSING] += k - n_dead
    _persons(person, day_person, PM_DEAD, r, dead)
    _add(dying, dead, -1)  # the missing
    _persons(person, day_person, PM_MISSING, r, dying)
    return 0


@numba.njit(cache=True)
def rescue(
    h, v, b, keys, u_approach, u_kill, u_capsize_k, u_take, u_retry,  # the hour, vessel rows and their boats, streams and purposes
    approach_p, capsize_share, body_share, retry_p, detention_h,  # per-run constants
    brun, bid, bnet, btype, bstatus, bx, by, bsrr, bcoord, bn, bpeople, btasked,  # boats
    vcap, vn, vreturns, vflag, vkind, vhome, vbatch, vmax_hours, hours_with_people, aboard, vtarget, vstatus, vport, vcase, rescue_srr, rescue_coord,  # vessels
    status, person, day_person, case, day_case, intercepted_by_state, rescued_by_actor, detained_due,  # ledgers
    ev_i, ev_f, go,
):  # fmt: skip
    """:meth:`.step.Batch.rescue` for vessel rows ``v`` on scene of boat rows ``b``.

    Returns (number of vessels that now ask for a port, written to ``go`` in row order; number of
    event rows written), or (FAILED or STILL_SAILING, 0).
    """
    m, T = v.size, bpeople.shape[1]
    k = 0
    n = np.zeros(m, dtype=np.int64)
    taken = np.zeros((m, T), dtype=np.int64)
    dying, dead, retry = np.empty(T, dtype=np.int64), np.empty(T, dtype=np.int64), np.empty(T, dtype=np.int64)
    capsized = np.zeros(m, dtype=np.bool_)
    for i in range(m):  # who capsizes as the vessel approaches (decided before any does)
        vtarget[v[i]] = -1
        r = brun[b[i]]
        capsized[i] = bstatus[b[i]] != CAPSIZED and uniform(keys[r], u_approach, h, bid[b[i]], 0) < approach_p[r]
    for i in range(m):
        if capsized[i]:
            if bstatus[b[i]] == SAILING:
                return STILL_SAILING, 0
            bstatus[b[i]] = CAPSIZED
    for i in range(m):  # Batch.capsize(..., "approach"): a share of those aboard die at once
        if not capsized[i]:
            continue
        bi, r = b[i], brun[b[i]]
        case[r, CM_CAPSIZES] += 1.0
        day_case[r, CM_CAPSIZES] += 1.0
        kk = binomial_one(float(bn[bi]), capsize_share[r, btype[bi]], uniform(keys[r], u_capsize_k, h, bid[bi], 0))
        if kk < 0:
            return FAILED, 0
        k = _event(ev_i, ev_f, k, h, EV_CAPSIZE, r, bid[bi], -1, -1, kk, bx[bi], by[bi], 1.0)
        if kill(h, bi, kk, u_kill, keys, body_share, brun, bid, bpeople, bn, status, person, day_person, dying, dead) < 0:
            return FAILED, 0
    for i in range(m):  # people taken aboard, up to the room left
        vi, bi, r = v[i], b[i], brun[b[i]]
        n[i] = np.int64(min(vcap[vi] - vn[vi], float(bn[bi])))
        _take(bpeople[bi], n[i], keys[r], u_take, h, bid[bi], 0, taken[i])
        _add(bpeople[bi], taken[i], -1)
        bn[bi] -= n[i]
        btasked[bi] = -1
    for i in range(m):  # departure states' vessels return the people they take
        vi, bi, r = v[i], b[i], brun[b[i]]
        if vreturns[vi] and n[i] > 0:
            k = _event(ev_i, ev_f, k, h, EV_INTERCEPTION, r, bid[bi], vi, vflag[vi], n[i], bx[bi], by[bi], np.nan)
    for i in range(m):  # Batch.intercept: some will try again, from their network, after detention
        vi, bi, r = v[i], b[i], brun[b[i]]
        if not (vreturns[vi] and n[i] > 0):
            continue
        s = vflag[vi]
        status[r, ST_AT_SEA] -= n[i]
        status[r, ST_INTERCEPTED] += n[i]
        _persons(person, day_person, PM_INTERCEPTED, r, taken[i])
        intercepted_by_state[r, s] += n[i]
        n_retry = binomial_one(float(n[i]), retry_p[r], uniform(keys[r], u_retry, h, bid[bi], 0))
        if n_retry < 0:
            return FAILED, 0
        _take(taken[i], n_retry, keys[r], u_retry, h, bid[bi], 1, retry)
        due = max(h // 24 + 1, -(-(h + detention_h[r]) // 24))  # the first daily step at or after the due hour
        _add(detained_due[r, due % detained_due.shape[1], bnet[bi]], retry, 1)
    for i in range(m):  # the others are aboard
        vi, bi, r = v[i], b[i], brun[b[i]]
        if vreturns[vi] or n[i] == 0:
            continue
        status[r, ST_AT_SEA] -= n[i]
        status[r, ST_ABOARD] += n[i]
        _persons(person, day_person, PM_RESCUED, r, taken[i])
        rescued_by_actor[r, vkind[vi]] += n[i]
        k = _event(ev_i, ev_f, k, h, EV_RESCUE, r, bid[bi], vi, bsrr[bi], n[i], bx[bi], by[bi], float(vkind[vi]))
        if vn[vi] == 0:
            vcase[vi], rescue_srr[vi], rescue_coord[vi] = bid[bi], bsrr[bi], bcoord[bi]
        _add(aboard[vi], taken[i], 1)
        vn[vi] += n[i]
    n_go = 0
    for i in range(m):  # home with those returned; the others search on, or ask for a port
        vi = v[i]
        if vreturns[vi]:
            vstatus[vi], vport[vi] = TO_HOME, vhome[vi]
            continue
        vstatus[vi] = PATROL
        if vn[vi] > 0 and _wants_port(vcap[vi] - vn[vi], vcap[vi], vbatch[vi], hours_with_people[vi], vmax_hours[vi]):
            go[n_go] = vi
            n_go += 1
    return n_go, k


@numba.njit(cache=True)
def request(
    h, v, keys, u_accept, vrun, vidx, vx, vy, vflag, vcase, vn, aboard, rescue_srr, rescue_coord, refused_days, asked, relocate, vstatus, vport,  # ships
    variant, steps, n_steps, participants, framework,  # each run's scenario: request steps (codes, per variant), framework
    port_x, port_y, port_state, port_safe, vulnerable_type,
    occ, capacity, recent_sum, accept_base, w_srr, w_vulnerable, w_flag, w_occupancy, w_recent,  # states, per run
    case, day_case, refusals_by_state, ev_i, ev_f, accepted,
):  # fmt: skip
    """:meth:`.step.Batch.request` for ship rows ``v``: ask states in the scenario's order until one accepts.

    Each state in the order is asked in turn; the first that accepts gives the port (the ship sails
    to that state's nearest safe port). Returns (ships that found a port, written to ``accepted`` in
    row order; event rows written).
    """
    S = occ.shape[1]
    k = n_acc = 0
    dist = np.empty((1, S))
    nearest = np.empty(S, dtype=np.int64)
    order = np.empty((1, S), dtype=np.int64)
    one = np.empty(1, dtype=np.int64)
    coord, srr, flag = one.copy(), one.copy(), one.copy()
    for i in range(v.size):
        vi = v[i]
        r = vrun[vi]
        dist[0, :] = np.inf  # each state's nearest safe port (the first of equals, as Geography.nearest_ports)
        nearest[:] = -1
        for p in range(port_x.size):
            if port_safe[p]:
                d = np.hypot(port_x[p] - vx[vi], port_y[p] - vy[vi])
                if d < dist[0, port_state[p]]:
                    dist[0, port_state[p]], nearest[port_state[p]] = d, p
        coord[0], srr[0], flag[0] = rescue_coord[vi], rescue_srr[vi], vflag[vi]
        j = variant[r]
        fill_request_orders(steps[j, : n_steps[j]], coord, srr, flag, dist, participants[r], framework[r], order)
        asked[vi, :] = False
        for c in range(S):
            if order[0, c] >= 0:
                asked[vi, order[0, c]] = True
        n = vn[vi]
        vulnerable = 0
        for t in range(vulnerable_type.size):
            if vulnerable_type[t]:
                vulnerable += aboard[vi, t]
        vuln = vulnerable / max(n, 1)
        n_asked = n_refused = 0
        for c in range(S):
            s = order[0, c]
            if s < 0:
                break
            guaranteed = framework[r] == STANDING and participants[r, s]
            p = acceptance(accept_base[r, s], rescue_srr[vi] == s, vuln, vflag[vi] == s, occupancy_ratio(occ[r, s], capacity[r, s]), recent_sum[r, s] / 1000.0, w_srr[r, s], w_vulnerable[r, s], w_flag[r, s], w_occupancy[r, s], w_recent[r, s], guaranteed)
            yes = uniform(keys[r], u_accept, h, vidx[vi], (refused_days[vi] % 16) * 16 + c) < p
            n_asked += 1
            k = _event(ev_i, ev_f, k, h, EV_REQUEST, r, vcase[vi], vi, s, n, vx[vi], vy[vi], np.nan)
            k = _event(ev_i, ev_f, k, h, EV_ACCEPTANCE if yes else EV_REFUSAL, r, vcase[vi], vi, s, n, vx[vi], vy[vi], np.nan)
            if not yes:
                n_refused += 1
                refusals_by_state[r, s] += 1
                continue
            relocate[vi] = guaranteed  # Batch.accept: sail to the accepting state's nearest port
            vport[vi] = nearest[s]
            vstatus[vi] = TO_PORT
            accepted[n_acc] = vi
            n_acc += 1
            break
        case[r, CM_REQUESTS] += n_asked
        day_case[r, CM_REQUESTS] += n_asked
        case[r, CM_REFUSALS] += n_refused
        day_case[r, CM_REFUSALS] += n_refused
    return n_acc, k
