"""Events at sea, compiled: the boats' hour, distress calls and cases, capsizes, deaths, interceptions, rescues, requests for a port, landings.

These handlers of :class:`.step.Batch` once ran as dozens of numpy calls each over the rows an
event touches (boats capsizing, vessels on scene, ships asking for a port), paying each call's
overhead and a gather per row. Here each is a loop over those rows, with the same draws (the same
counters of the same streams, the same inverse CDFs, the same systematic sampling), so results do
not change. Where the array code acted in phases (every capsize on approach, then what each vessel
takes aboard, then the returns to a departure state, then the rescues), the loops keep the phases,
so the event log lists the same events in the same order.

Ledger updates and events go straight into the batch's arrays: events into a buffer of rows
(:class:`EventRows`), which :class:`.step.Batch` appends to its log.
"""

from __future__ import annotations

import numba
import numpy as np

from model.geography import nearest_safe_ports
from model.numerics.quantiles import binomial_one
from model.outcomes import CASE_METRICS, EVENTS, PERSON_METRICS, STATUSES
from model.params import VESSEL_KINDS
from model.rules.crossing import aboard_death_probability, capsize_probability, distance, distress_probability, interception_probability
from model.rules.crossing import body_recovery_share as _body_share
from model.rules.disembarkation import STANDING, portless_flag_state, request_order_row, stance_row, state_accepts
from model.rules.landing import ROTATION, eligible_states, framework_landing_state, next_turn
from model.rules.reception import occupancy_ratio
from model.rules.rescue import approach_capsize_probability as _approach_p
from model.rules.rescue import coordinating_state
from model.vector_engine.kernels import add_people_row, move_toward, take_one, uniform, wants_port
from model.vector_engine.kernels import available as _available
from model.vector_engine.kernels import detention_hours as _detention_hours
from model.vector_engine.kernels import first_tasking_hour as _first_tasking
from model.vector_engine.kernels import heads_home as _heads_home
from model.vector_engine.kernels import patrol_target as _patrol_target
from model.vector_engine.kernels import seized as _seized
from model.vector_engine.state import CAPSIZED, DISTRESS, IN_PORT, PATROL, SAILING, TASKED, TO_HOME, TO_PORT

KIND_NGO = VESSEL_KINDS.index("ngo")
KIND_MERCHANT = VESSEL_KINDS.index("merchant")

ST_AT_SEA, ST_ABOARD, ST_INTERCEPTED, ST_DEAD, ST_MISSING, ST_LANDED = (STATUSES.index(s) for s in ("at_sea", "aboard_vessel", "intercepted", "dead", "missing", "landed"))
PM_DEAD, PM_MISSING, PM_RESCUED, PM_INTERCEPTED, PM_ARRIVALS = (PERSON_METRICS.index(s) for s in ("dead", "missing", "rescued", "intercepted", "arrivals"))
CM_CAPSIZES, CM_REQUESTS, CM_REFUSALS, CM_DISTRESS = (CASE_METRICS.index(s) for s in ("capsizes", "disembarkation_requests", "disembarkation_refusals", "distress_cases"))
EV_CAPSIZE, EV_INTERCEPTION, EV_RESCUE, EV_REQUEST, EV_ACCEPTANCE, EV_REFUSAL = (EVENTS.index(s) for s in ("capsize", "interception", "rescue", "request", "acceptance", "refusal"))
EV_DISTRESS, EV_ALERT, EV_COORDINATION = (EVENTS.index(s) for s in ("distress", "alert", "coordination"))
FAILED = -1  # returned when an inverse-CDF search does not converge (invalid parameters)
STILL_SAILING = -2  # returned if a tasked boat is not in distress (cases open only for boats in distress)


class EventRows:
    """A buffer of event rows that compiled loops fill: integer columns (hour, code, run, case, vessel, state, persons) and float ones (x, y, aux)."""

    def __init__(self, rows: int) -> None:
        self.ints = np.empty((rows, 7), dtype=np.int64)
        self.floats = np.empty((rows, 3))

    @classmethod
    def of(cls, ints: np.ndarray, floats: np.ndarray) -> EventRows:
        """A buffer over arrays a compiled function allocated."""
        ev = cls.__new__(cls)
        ev.ints, ev.floats = ints, floats
        return ev

    def columns(self, n: int) -> tuple[np.ndarray, ...]:
        """The first ``n`` rows as the ten columns of :meth:`.step.Batch.event` (copies)."""
        i, f = self.ints[:n], self.floats[:n]
        return (*(i[:, j].copy() for j in range(7)), *(f[:, j].copy() for j in range(3)))


# One explicit signature: called with literal event codes, it would otherwise be compiled once per
# combination of literals (21 versions, 4 s of a fresh checkout's first run).
@numba.njit("int64(int64[:, ::1], float64[:, ::1], int64, int64, int64, int64, int64, int64, int64, int64, float64, float64, float64)", cache=True)
def event_row(ev_i, ev_f, k, hour, code, run, case, vessel, state, persons, x, y, aux):  # noqa: ANN001
    """Write event row ``k`` (the columns of :meth:`.step.Batch.event`); returns ``k`` + 1."""
    ev_i[k, 0], ev_i[k, 1], ev_i[k, 2], ev_i[k, 3], ev_i[k, 4], ev_i[k, 5], ev_i[k, 6] = hour, code, run, case, vessel, state, persons
    ev_f[k, 0], ev_f[k, 1], ev_f[k, 2] = x, y, aux
    return k + 1


@numba.njit(cache=True)
def _add(row, counts, sign):  # noqa: ANN001
    """``row += sign * counts``, element by element (an array expression here would allocate)."""
    for t in range(counts.size):
        row[t] += sign * counts[t]


# The compiled functions take the batch's columns in three tuples, in this order (see Batch._at_sea):
#   streams: (keys, approach_p, capsize_share, body_share, retry_p, detention_h), the run's keys and constants;
#   boats: (brun, bid, bnet, btype, bstatus, bx, by, bsrr, bcoord, bn, bpeople, btasked);
#   ledger: (status, person, day_person, case, day_case, intercepted_by_state, rescued_by_actor, detained_due).


@numba.njit(cache=True)
def kill(h, b, k, purpose, streams, boats, ledger):  # noqa: ANN001
    """:meth:`.step.Batch.kill` of one boat: ``k`` of those aboard die, split into dead and missing (three purposes from ``purpose``)."""
    if k <= 0:
        return 0
    keys, body_share, unseen = streams[0], streams[3], streams[6]
    brun, bid, bn, bpeople, bdetected = boats[0], boats[1], boats[9], boats[10], boats[12]
    status, person, day_person = ledger[0], ledger[1], ledger[2]
    r = brun[b]
    key = keys[r]
    T = bpeople.shape[1]
    dying, dead = np.empty(T, dtype=np.int64), np.empty(T, dtype=np.int64)
    take_one(bpeople[b], k, key, purpose, h, bid[b], 0, dying)
    _add(bpeople[b], dying, -1)
    bn[b] -= k
    n_dead = binomial_one(float(k), _body_share(body_share[r], bdetected[b], unseen[r]), uniform(key, purpose + 1, h, bid[b], 0))
    if n_dead < 0:
        return FAILED
    take_one(dying, n_dead, key, purpose + 2, h, bid[b], 0, dead)
    status[r, ST_AT_SEA] -= k
    status[r, ST_DEAD] += n_dead
    status[r, ST_MISSING] += k - n_dead
    add_people_row(person, day_person, PM_DEAD, r, dead, 2)
    _add(dying, dead, -1)  # the missing
    add_people_row(person, day_person, PM_MISSING, r, dying, 2)
    return 0


@numba.njit(cache=True)
def capsize(h, b, aux, u_capsize_k, u_kill, streams, boats, ledger, ev_i, ev_f, k):  # noqa: ANN001
    """:meth:`.step.Batch.capsize` of one boat already capsized (status set): a share of those aboard die at once.

    ``aux`` is the event's detail (0: in the sea, 1: on a vessel's approach). Returns the event
    rows written so far (``k`` + 1), or FAILED.
    """
    keys, capsize_share = streams[0], streams[2]
    brun, bid, btype, bx, by, bn = boats[0], boats[1], boats[3], boats[5], boats[6], boats[9]
    case, day_case = ledger[3], ledger[4]
    r = brun[b]
    case[r, CM_CAPSIZES] += 1.0
    day_case[r, CM_CAPSIZES] += 1.0
    dying = binomial_one(float(bn[b]), capsize_share[r, btype[b]], uniform(keys[r], u_capsize_k, h, bid[b], 0))
    if dying < 0:
        return FAILED
    k = event_row(ev_i, ev_f, k, h, EV_CAPSIZE, r, bid[b], -1, -1, dying, bx[b], by[b], aux)
    if kill(h, b, dying, u_kill, streams, boats, ledger) < 0:
        return FAILED
    return k


@numba.njit(cache=True)
def intercept(h, r, state, people, key_id, net, u_retry, streams, ledger):  # noqa: ANN001
    """:meth:`.step.Batch.intercept` of one group: returned to ``state``; some try again from network ``net`` after detention."""
    keys, retry_p, detention_h = streams[0], streams[4], streams[5]
    status, person, day_person, intercepted_by_state, detained_due = ledger[0], ledger[1], ledger[2], ledger[5], ledger[7]
    n = 0
    for t in range(people.size):
        n += people[t]
    status[r, ST_AT_SEA] -= n
    status[r, ST_INTERCEPTED] += n
    add_people_row(person, day_person, PM_INTERCEPTED, r, people, 2)
    intercepted_by_state[r, state] += n
    n_retry = binomial_one(float(n), retry_p[r], uniform(keys[r], u_retry, h, key_id, 0))
    if n_retry < 0:
        return FAILED
    retry = np.empty(people.size, dtype=np.int64)
    take_one(people, n_retry, keys[r], u_retry, h, key_id, 1, retry)
    due = max(h // 24 + 1, -(-(h + detention_h[r]) // 24))  # the first daily step at or after the due hour
    _add(detained_due[r, due % detained_due.shape[1], net], retry, 1)
    return 0


@numba.njit(cache=True)
def capsize_boats(h, rows, aux, u_capsize_k, u_kill, streams, boats, ledger, ev_i, ev_f):  # noqa: ANN001
    """Boats in distress capsize (:meth:`.step.Batch.capsize`); returns the event rows written, or FAILED."""
    bstatus = boats[4]
    for b in rows:
        bstatus[b] = CAPSIZED
    k = 0
    for b in rows:
        k = capsize(h, b, aux, u_capsize_k, u_kill, streams, boats, ledger, ev_i, ev_f, k)
        if k < 0:
            return FAILED
    return k


U_HARM_K = 56  # purposes of the draws of deaths in an interception (the registry of purposes is in .step)
U_HARM_KILL = 57
U_HARM_INJURED = 63  # injuries among the survivors
CM_INJURED = CASE_METRICS.index("injured_in_interception")


@numba.njit(cache=True)
def harm(h, b, state, streams, boats, ledger):  # noqa: ANN001
    """Deaths as ``state``'s patrol stops boat ``b``: each aboard dies with the state's ``interception_death_share``; then survivors are injured with its ``interception_injury_share`` (counted). Returns 0 or FAILED."""
    keys, share, injury = streams[0], streams[8], streams[9]
    brun, bid, bn = boats[0], boats[1], boats[9]
    r = brun[b]
    p = share[r, state]
    if p > 0.0 and bn[b] > 0:
        dying = binomial_one(float(bn[b]), p, uniform(keys[r], U_HARM_K, h, bid[b], 0))
        if dying < 0 or kill(h, b, dying, U_HARM_KILL, streams, boats, ledger) < 0:
            return FAILED
    q = injury[r, state]
    if q > 0.0 and bn[b] > 0:
        hurt = binomial_one(float(bn[b]), q, uniform(keys[r], U_HARM_INJURED, h, bid[b], 0))
        if hurt < 0:
            return FAILED
        ledger[3][r, CM_INJURED] += hurt
        ledger[4][r, CM_INJURED] += hurt
    return 0


@numba.njit(cache=True)
def intercept_boats(h, rows, states, u_retry, streams, boats, ledger, ev_i, ev_f):  # noqa: ANN001
    """The departure states' patrols stop boats (``states[i]`` returns ``rows[i]``); returns the event rows written, or FAILED."""
    brun, bid, bnet, bx, by, bn, bpeople = boats[0], boats[1], boats[2], boats[5], boats[6], boats[9], boats[10]
    k = 0
    for i in range(rows.size):
        if harm(h, rows[i], states[i], streams, boats, ledger) < 0:
            return FAILED
    for i in range(rows.size):
        b = rows[i]
        k = event_row(ev_i, ev_f, k, h, EV_INTERCEPTION, brun[b], bid[b], -2, states[i], bn[b], bx[b], by[b], np.nan)
    for i in range(rows.size):
        b = rows[i]
        if intercept(h, brun[b], states[i], bpeople[b], bid[b], bnet[b], u_retry, streams, ledger) < 0:
            return FAILED
        bpeople[b] = 0
        bn[b] = 0
    return k


@numba.njit(cache=True)
def rescue(
    h, v, b, u_approach, u_kill, u_capsize_k, u_take, u_retry, streams, boats, ledger,  # the hour, vessel rows and their boats, purposes, columns
    vcap, vn, vreturns, vflag, vkind, vhome, vbatch, vmax_hours, hours_with_people, aboard, vtarget, vstatus, vport, vcase, rescue_srr, rescue_coord,  # vessels
    rescue_heading, net_heading,  # the state the first boat rescued was heading for; each network's (disembarkation.heading_state)
    ev_i, ev_f, go,
):  # fmt: skip
    """:meth:`.step.Batch.rescue` for vessel rows ``v`` on scene of boat rows ``b``.

    Returns (number of vessels that now ask for a port, written to ``go`` in row order; number of
    event rows written), or (FAILED or STILL_SAILING, 0).
    """
    keys, approach_p = streams[0], streams[1]
    brun, bid, bnet, bstatus, bx, by, bsrr, bcoord, bn, bpeople, btasked = boats[0], boats[1], boats[2], boats[4], boats[5], boats[6], boats[7], boats[8], boats[9], boats[10], boats[11]
    status, person, day_person, rescued_by_actor = ledger[0], ledger[1], ledger[2], ledger[6]
    m, T = v.size, bpeople.shape[1]
    k = 0
    n = np.zeros(m, dtype=np.int64)
    taken = np.zeros((m, T), dtype=np.int64)
    capsized = np.zeros(m, dtype=np.bool_)
    for i in range(m):  # who capsizes as the vessel approaches (decided before any does)
        vtarget[v[i]] = -1
        r = brun[b[i]]
        p = _approach_p(approach_p[r], vkind[v[i]] == KIND_MERCHANT, streams[7][r])
        capsized[i] = bstatus[b[i]] == DISTRESS and uniform(keys[r], u_approach, h, bid[b[i]], 0) < p  # (a patrol may reach a boat still sailing)
    for i in range(m):
        if capsized[i]:
            if bstatus[b[i]] == SAILING:
                return STILL_SAILING, 0
            bstatus[b[i]] = CAPSIZED
    for i in range(m):
        if capsized[i]:
            k = capsize(h, b[i], 1.0, u_capsize_k, u_kill, streams, boats, ledger, ev_i, ev_f, k)
            if k < 0:
                return FAILED, 0
    for i in range(m):  # deaths as a departure state's vessel stops the boat
        if vreturns[v[i]] and harm(h, b[i], vflag[v[i]], streams, boats, ledger) < 0:
            return FAILED, 0
    for i in range(m):  # people taken aboard, up to the room left
        vi, bi, r = v[i], b[i], brun[b[i]]
        n[i] = np.int64(min(vcap[vi] - vn[vi], float(bn[bi])))
        take_one(bpeople[bi], n[i], keys[r], u_take, h, bid[bi], 0, taken[i])
        _add(bpeople[bi], taken[i], -1)
        bn[bi] -= n[i]
        btasked[bi] = -1
    for i in range(m):  # departure states' vessels return the people they take
        vi, bi, r = v[i], b[i], brun[b[i]]
        if vreturns[vi] and n[i] > 0:
            k = event_row(ev_i, ev_f, k, h, EV_INTERCEPTION, r, bid[bi], vi, vflag[vi], n[i], bx[bi], by[bi], np.nan)
    for i in range(m):
        vi, bi = v[i], b[i]
        if vreturns[vi] and n[i] > 0 and intercept(h, brun[bi], vflag[vi], taken[i], bid[bi], bnet[bi], u_retry, streams, ledger) < 0:
            return FAILED, 0
    for i in range(m):  # the others are aboard
        vi, bi, r = v[i], b[i], brun[b[i]]
        if vreturns[vi] or n[i] == 0:
            continue
        status[r, ST_AT_SEA] -= n[i]
        status[r, ST_ABOARD] += n[i]
        add_people_row(person, day_person, PM_RESCUED, r, taken[i], 2)
        rescued_by_actor[r, vkind[vi]] += n[i]
        k = event_row(ev_i, ev_f, k, h, EV_RESCUE, r, bid[bi], vi, bsrr[bi], n[i], bx[bi], by[bi], float(vkind[vi]))
        if vn[vi] == 0:
            vcase[vi], rescue_srr[vi], rescue_coord[vi] = bid[bi], bsrr[bi], bcoord[bi]
            rescue_heading[vi] = net_heading[r, bnet[bi]]
        _add(aboard[vi], taken[i], 1)
        vn[vi] += n[i]
    n_go = 0
    for i in range(m):  # home with those returned; the others search on, or ask for a port
        vi = v[i]
        if vreturns[vi]:
            vstatus[vi], vport[vi] = TO_HOME, vhome[vi]
            continue
        vstatus[vi] = PATROL
        if vn[vi] > 0 and wants_port(vcap[vi] - vn[vi], vcap[vi], vbatch[vi], hours_with_people[vi], vmax_hours[vi]):
            go[n_go] = vi
            n_go += 1
    return n_go, k


@numba.njit(cache=True)
def request(
    h, v, keys, u_accept, vrun, vidx, vx, vy, vflag, vkind, vcase, vn, aboard, rescue_srr, rescue_coord, refused_days, asked, relocate, vstatus, vport,  # ships
    variant, steps, n_steps, participants, framework,  # each run's scenario: request steps (codes, per variant), framework
    landing,  # a standing framework's landing rule (model/rules/landing.py): rule, hub, ranks, caps; landed this year, turn, landed in all
    port_x, port_y, port_state, port_safe, vulnerable_type,
    occ, capacity, recent_sum, stance,  # states, per run (stance: disembarkation.Stance, runs x states)
    reasons,  # ships' headings and pledges, states' precedents, whether the coordinating state is asked, places of safety
    case, day_case, refusals_by_state, ev_i, ev_f, accepted,
):  # fmt: skip
    """:meth:`.step.Batch.request` for ship rows ``v``: ask states in the scenario's order until one accepts.

    Each state in the order is asked in turn; the first that accepts gives the port (the ship sails
    to that state's nearest safe port). Returns (ships that found a port, written to ``accepted`` in
    row order; event rows written).
    """
    S = occ.shape[1]
    k = n_acc = 0
    dist = np.empty(S)
    nearest = np.empty(S, dtype=np.int64)
    order = np.empty(S, dtype=np.int64)
    cand, seen = np.empty(1 + steps.shape[1] * S, dtype=np.int64), np.empty(S, dtype=np.bool_)  # scratch of request_order_row
    l_rule, l_hub, l_rank, l_caps, fw_year, fw_turn, fw_landed = landing
    bound, first, free = np.zeros(S, dtype=np.bool_), np.zeros(S, dtype=np.bool_), np.empty(S)
    rescue_heading, pledged, precedent, asks_coord, safe = reasons
    for i in range(v.size):
        vi = v[i]
        r = vrun[vi]
        nearest_safe_ports(vx[vi], vy[vi], port_x, port_y, port_state, port_safe, dist, nearest)  # each state's, and its distance
        j = variant[r]
        n = vn[vi]
        st = stance_row(stance, r)
        if framework[r] == STANDING:  # the participants bound to land the group, and the one the landing rule names first
            eligible_states(dist, participants[r], float(n), fw_year[r], l_caps[r], bound)
            for s in range(S):
                free[s] = capacity[r, s] - occ[r, s]
            named = framework_landing_state(l_rule[r], dist, bound, rescue_srr[vi], l_hub[r], l_rank[r], fw_turn[r], float(n), free)
            for s in range(S):
                first[s] = s == named
        else:
            bound[:] = False
            first[:] = participants[r]
        skip = -1 if asks_coord[r] else rescue_coord[vi]
        request_order_row(steps[j, : n_steps[j]], rescue_coord[vi], rescue_srr[vi], vflag[vi], dist, first, framework[r], skip, cand, seen, order)
        if refused_days[vi] == 0:
            pledged[vi] = False
        heading = rescue_heading[vi]
        asked[vi, :] = False
        for c in range(S):
            if order[c] >= 0:
                asked[vi, order[c]] = True
        vulnerable = 0
        for t in range(vulnerable_type.size):
            if vulnerable_type[t]:
                vulnerable += aboard[vi, t]
        vuln = vulnerable / max(n, 1)
        n_asked = n_refused = 0
        for c in range(S):
            s = order[c]
            if s < 0:
                break
            guaranteed = framework[r] == STANDING and bound[s]
            p = state_accepts(st, s, occupancy_ratio(occ[r, s], capacity[r, s]), recent_sum[r, s] / 1000.0, precedent[r, s], vkind[vi], vflag[vi], rescue_srr[vi], vuln, heading, guaranteed, refused_days[vi])
            yes = uniform(keys[r], u_accept, h, vidx[vi], (refused_days[vi] % 16) * 16 + c) < p
            n_asked += 1
            k = event_row(ev_i, ev_f, k, h, EV_REQUEST, r, vcase[vi], vi, s, n, vx[vi], vy[vi], np.nan)
            k = event_row(ev_i, ev_f, k, h, EV_ACCEPTANCE if yes else EV_REFUSAL, r, vcase[vi], vi, s, n, vx[vi], vy[vi], np.nan)
            if not yes:
                n_refused += 1
                refusals_by_state[r, s] += 1
                continue
            if guaranteed:  # under the framework: the state's count this year, and the turn of a rotation
                fw_year[r, s] += n
                fw_landed[r, s] += n
                if l_rule[r] == ROTATION:
                    fw_turn[r] = next_turn(l_rank[r], s)
            relocate[vi] = guaranteed  # Batch.accept: sail to the accepting state's nearest port
            precedent[r, s] += 1.0
            vport[vi] = nearest[s]
            vstatus[vi] = TO_PORT
            accepted[n_acc] = vi
            n_acc += 1
            break
        fs = portless_flag_state(steps[j, : n_steps[j]], vflag[vi], dist, safe[r]) if n_refused == n_asked and not pledged[vi] else -1
        if fs >= 0:  # all refused: a flag state without a port can only pledge to take the people (ODD 7.25)
            p = state_accepts(st, fs, occupancy_ratio(occ[r, fs], capacity[r, fs]), recent_sum[r, fs] / 1000.0, precedent[r, fs], vkind[vi], vflag[vi], rescue_srr[vi], vuln, heading, False, refused_days[vi])
            yes = uniform(keys[r], u_accept, h, vidx[vi], (refused_days[vi] % 16) * 16 + S) < p
            n_asked += 1
            k = event_row(ev_i, ev_f, k, h, EV_REQUEST, r, vcase[vi], vi, fs, n, vx[vi], vy[vi], np.nan)
            k = event_row(ev_i, ev_f, k, h, EV_ACCEPTANCE if yes else EV_REFUSAL, r, vcase[vi], vi, fs, n, vx[vi], vy[vi], np.nan)
            if yes:
                pledged[vi] = True
            else:
                n_refused += 1
                refusals_by_state[r, fs] += 1
        case[r, CM_REQUESTS] += n_asked
        day_case[r, CM_REQUESTS] += n_asked
        case[r, CM_REFUSALS] += n_refused
        day_case[r, CM_REFUSALS] += n_refused
    return n_acc, k


@numba.njit(cache=True)
def _hazard(p):  # noqa: ANN001, ANN202
    """The cumulative hazard of an hour with event probability ``p`` (inf when certain).

    A boat's event (distress, capsize, interception) happens in the first hour its summed hazard
    passes an Exp(1) threshold drawn once: the same law as a draw with chance ``p`` every hour, at a
    fraction of the cost.
    """
    return -np.log1p(-min(p, 1.0))


@numba.njit(cache=True)
def boats_move(bn, bstatus, bspeed, bfuel, bx, by, btx, bty, alive, arrived):  # noqa: ANN001
    """Sailing boats move toward their destination, as far as speed and fuel allow.

    Writes the rows of the boats with people aboard into ``alive`` and those that arrived into
    ``arrived``; returns how many of each.
    """
    n_alive = n = 0
    for b in range(bn.size):
        if bn[b] == 0:
            continue
        alive[n_alive] = b
        n_alive += 1
        if bstatus[b] == SAILING:
            step = min(bspeed[b], max(bfuel[b], 0.0))
            bx[b], by[b], there = move_toward(bx[b], by[b], btx[b], bty[b], step)
            bfuel[b] -= step
            if there:
                arrived[n] = b
                n += 1
    return n_alive, n


@numba.njit(cache=True)
def seen_in_distress(h, alive, bn, bstatus, bdetected, bdetect_at, out):  # noqa: ANN001
    """Rows of ``alive`` whose distress becomes known this hour (in distress or capsized, people aboard, not yet detected, call or sighting due); returns how many."""
    n = 0
    for b in alive:
        if bn[b] > 0 and bstatus[b] != SAILING and not bdetected[b] and h >= bdetect_at[b]:
            out[n] = b
            n += 1
    return n


@numba.njit(cache=True)
def cases_to_coordinate(h, bopen, btasked, banswer, bn, brun, bseq, out):  # noqa: ANN001
    """Open cases with people aboard, no asset tasked and no master's answer pending, sorted by run and then by the order they opened; returns how many (rows in ``out``)."""
    n = 0
    for b in range(bn.size):
        if bopen[b] and btasked[b] < 0 and h >= banswer[b] and bn[b] > 0:
            out[n] = b
            n += 1
    if n > 1:
        key = np.empty(n)
        for i in range(n):
            key[i] = brun[out[i]] * 4294967296.0 + bseq[out[i]]  # (exact: runs and case numbers are below 2**20 and 2**32)
        order = np.argsort(key, kind="mergesort")
        out[:n] = out[:n][order]
    return n


@numba.njit(cache=True)
def boats_hazards(h, alive, u_water_k, u_kill_water, u_kill_capsize, u_capsize_k, u_retry, wmult, water_p, u_aboard_k, u_kill_aboard, streams, boats, hazards, ledger, ev_int, ev_cap, distressed):  # noqa: ANN001
    """The hazards of an hour at sea for the boats still afloat (rows ``alive``), in the array code's order.

    Departure states' patrols stop boats in their waters (events into ``ev_int``); sailing boats
    may fall into distress (rows written to ``distressed``: :meth:`.step.Batch.distress` draws
    their calls); boats in distress since an earlier hour may capsize (events into ``ev_cap``);
    people in the water drown. Each event happens in the hour its summed hazard passes the boat's
    threshold; people die aboard boats still afloat. Returns (interception events, capsize events, boats now in distress), or
    (FAILED, 0, 0).
    """
    keys = streams[0]
    brun, bid, bstatus, bx, by, bn, btasked = boats[0], boats[1], boats[4], boats[5], boats[6], boats[9], boats[11]
    bstate, box, boy, bzone, bint_p, bhaz_int, bthr_int, bfuel, bdist_base, bover, bover_exp, bno_fuel, bhaz, bthr, bcap_mean, bhaz_cap, bthr_cap = hazards[:17]
    step_int, step_dis, step_dis_w, step_dis_fuel, step_cap, step_cap_w = hazards[17:23]  # each hazard's last hourly step, and what it depended on
    bdis_hours, bdeter = hazards[23], hazards[24]  # capsize checks passed in distress; the boat type's deterioration per hour
    bafloat, baboard = hazards[25], hazards[26]  # hours afloat; the boat type's deaths aboard per hour
    rows = np.empty(alive.size, dtype=np.int64)
    states = np.empty(alive.size, dtype=np.int64)
    n = 0
    for b in alive:  # interception
        if bn[b] > 0 and bstate[b] >= 0 and bstatus[b] != CAPSIZED and btasked[b] < 0 and bzone[b] >= 0.0:
            d = distance(bx[b] - box[b], by[b] - boy[b])
            if d > bzone[b] + 1.0:  # out of the zone for good: a boat only moves away from its departure point
                bzone[b] = -np.inf
            p = interception_probability(d, bzone[b], bint_p[b])
            if p > 0:
                if np.isnan(step_int[b]):  # (the chance in the zone is the boat's constant)
                    step_int[b] = _hazard(p)
                bhaz_int[b] += step_int[b]
                if bhaz_int[b] >= bthr_int[b]:
                    rows[n], states[n] = b, bstate[b]
                    n += 1
    k_int = intercept_boats(h, rows[:n], states[:n], u_retry, streams, boats, ledger, ev_int[0], ev_int[1]) if n else 0
    if k_int < 0:
        return FAILED, 0, 0
    n_dis = n = 0
    for b in alive:  # distress and capsizing, by the status after the interceptions
        if bn[b] == 0:
            continue
        if bstatus[b] == SAILING:
            w, dry = wmult[brun[b]], 1.0 if bfuel[b] <= 0 else 0.0
            if w != step_dis_w[b] or dry != step_dis_fuel[b]:  # the day's weather or the fuel changed: a new step
                step_dis[b], step_dis_w[b], step_dis_fuel[b] = _hazard(distress_probability(bdist_base[b], bover[b], bover_exp[b], w, dry > 0.0, bno_fuel[b])), w, dry
            bhaz[b] += step_dis[b]
            if bhaz[b] >= bthr[b]:
                distressed[n_dis] = b
                n_dis += 1
        elif bstatus[b] == DISTRESS:
            w = wmult[brun[b]]
            if w != step_cap_w[b] or bdeter[b] > 0.0:  # a deteriorating boat's step changes every hour
                step_cap[b], step_cap_w[b] = _hazard(capsize_probability(bcap_mean[b], w, bdis_hours[b], bdeter[b])), w
            bdis_hours[b] += 1.0
            bhaz_cap[b] += step_cap[b]
            if bhaz_cap[b] >= bthr_cap[b]:
                rows[n] = b
                n += 1
    k_cap = capsize_boats(h, rows[:n], 0.0, u_capsize_k, u_kill_capsize, streams, boats, ledger, ev_cap[0], ev_cap[1]) if n else 0
    if k_cap < 0:
        return FAILED, 0, 0
    for b in alive:  # deaths aboard boats still afloat
        if baboard[b] > 0.0 and bstatus[b] != CAPSIZED and bn[b] > 0:
            bafloat[b] += 1.0
            r = brun[b]
            dying = binomial_one(float(bn[b]), aboard_death_probability(baboard[b], bover[b], bafloat[b]), uniform(keys[r], u_aboard_k, h, bid[b], 0))
            if dying < 0 or kill(h, b, dying, u_kill_aboard, streams, boats, ledger) < 0:
                return FAILED, 0, 0
    for b in alive:  # people in the water (statuses after this hour's capsizes)
        if bstatus[b] == CAPSIZED and bn[b] > 0:
            r = brun[b]
            dying = binomial_one(float(bn[b]), water_p[r], uniform(keys[r], u_water_k, h, bid[b], 0))
            if dying < 0 or kill(h, b, dying, u_kill_water, streams, boats, ledger) < 0:
                return FAILED, 0, 0
    return k_int, k_cap, n_dis


@numba.njit(cache=True)
def unload(
    h, v, aboard, vn, vrun, vport, vcase, relocate, hours_with_people, rescue_srr, rescue_coord, vstatus, vendurance, days_at_sea, rest_until, vport_days, vblocked,  # ships
    vkind, vidx, keys, u_detain, detain_p, detain_days, u_seize, seize_p, end_hour,  # detention and seizure
    people, run, port, case, reloc,  # outputs
):  # fmt: skip
    """The ships' side of :meth:`.step.Batch.disembark` for ship rows ``v``.

    Copies each ship's people, run, port, case and relocation flag into the outputs, then empties
    the ship and sends it back on patrol, or to rest in port at the end of its endurance or when
    it is out of service (:func:`model.rules.rescue.heads_home`); an NGO ship may then be held in
    port (``detain_p``, ``detain_days`` per run: :func:`model.rules.rescue.detention_hours`), or
    seized and held to ``end_hour`` (``seize_p``: :func:`model.rules.rescue.seized`).
    """
    for i in range(v.size):
        vi = v[i]
        for t in range(aboard.shape[1]):
            people[i, t] = aboard[vi, t]
            aboard[vi, t] = 0
        vn[vi] = 0
        run[i], port[i], case[i], reloc[i] = vrun[vi], vport[vi], vcase[vi], relocate[vi]
        relocate[vi] = False
        hours_with_people[vi] = 0
        vcase[vi], rescue_srr[vi], rescue_coord[vi] = -1, -1, -1
        if _heads_home(True, vendurance[vi], days_at_sea[vi], vblocked[vi]):
            vstatus[vi] = IN_PORT
            rest_until[vi] = h + np.int64(24 * vport_days[vi])
        else:
            vstatus[vi] = PATROL
        r = vrun[vi]
        if vkind[vi] == KIND_NGO and detain_p[r] > 0.0:
            held = _detention_hours(uniform(keys[r], u_detain, h, vidx[vi], 0), detain_p[r], detain_days[r])
            if held > 0.0:
                vstatus[vi] = IN_PORT
                rest_until[vi] = max(rest_until[vi], h + np.int64(held))
        if vkind[vi] == KIND_NGO and seize_p[r] > 0.0 and _seized(uniform(keys[r], u_seize, h, vidx[vi], 0), seize_p[r]):
            vstatus[vi] = IN_PORT
            rest_until[vi] = end_hour  # held to the end of the run


@numba.njit(cache=True)
def land(h, run, port, people, src, code, case, vessel, port_state, port_x, port_y, landed, status, person, day_person, arrivals_by_state, occ, today, ev_i, ev_f):  # noqa: ANN001
    """:meth:`.step.Batch.land` of groups of people (rows of ``people``) at ports: arrivals, reception, one event each.

    ``src`` is the status they leave, ``code`` the event's. ``landed`` (runs, states, types) gathers
    the day's landings for screening at the day's end (:mod:`model.rules.protection`). Returns the
    event rows written.
    """
    for i in range(run.size):
        r, s = run[i], port_state[port[i]]
        n = 0
        for t in range(people.shape[1]):
            n += people[i, t]
            landed[r, s, t] += people[i, t]
        status[r, src] -= n
        status[r, ST_LANDED] += n
        add_people_row(person, day_person, PM_ARRIVALS, r, people[i], 2)
        arrivals_by_state[r, s] += n
        occ[r, s] += float(n)
        today[r, s] += n
        event_row(ev_i, ev_f, i, h, code, r, case[i], vessel[i], s, n, port_x[port[i]], port_y[port[i]], float(port[i]))
    return run.size


@numba.njit(cache=True)
def distress(h, rows, u_report, u_delay, u_sight, u_capsize, report_p, call_delay_h, sighting_p, streams, boats, ledger, bdetect_at, bthr_cap, ev_i, ev_f):  # noqa: ANN001
    """:meth:`.step.Batch.distress` once the boats' SRRs are known: count, log, and draw when the case reaches an RCC.

    A call is made with chance ``report_p`` and arrives after an exponential delay; the boat is
    also seen with chance ``sighting_p`` each hour from now on (a geometric wait). The case reaches
    an RCC at the first of the two. Also draws the boat's capsize threshold. Returns the event rows.
    """
    keys = streams[0]
    brun, bid, btype, bx, by, bsrr, bn = boats[0], boats[1], boats[3], boats[5], boats[6], boats[7], boats[9]
    case, day_case = ledger[3], ledger[4]
    for i in range(rows.size):
        b = rows[i]
        r, key = brun[b], keys[brun[b]]
        case[r, CM_DISTRESS] += 1.0
        day_case[r, CM_DISTRESS] += 1.0
        event_row(ev_i, ev_f, i, h, EV_DISTRESS, r, bid[b], -1, bsrr[b], bn[b], bx[b], by[b], float(btype[b]))
        call = np.inf
        if uniform(key, u_report, h, bid[b], 0) < report_p[r]:
            mean = call_delay_h[r]
            delay = mean * -np.log(uniform(key, u_delay, h, bid[b], 0)) if mean > 0 else 0.0
            call = np.ceil(h + delay)  # checked hourly: found at the first hour on or after the call
        s = sighting_p[r]
        if s >= 1.0:
            sight = float(h)
        elif s > 0.0:
            sight = h + np.floor(np.log(uniform(key, u_sight, h, bid[b], 0)) / np.log1p(-s))
        else:
            sight = np.inf
        bdetect_at[b] = min(call, sight)
        bthr_cap[b] = -np.log(uniform(key, u_capsize, h, bid[b], 0))
    return rows.size


@numba.njit(cache=True)
def open_cases(h, rows, first_seq, u_alert, u_willing, alert_states, alert_p, willing, streams, boats, bdetected, bopen, bfirst, bseq, banswer, rcc_delay, u_silent, rcc_silent, ev_i, ev_f):  # noqa: ANN001
    """:meth:`.step.Batch.open_case`: who is alerted first (a categorical draw), and who coordinates; returns the event rows."""
    keys = streams[0]
    brun, bid, bx, by, bsrr, bcoord, bn = boats[0], boats[1], boats[5], boats[6], boats[7], boats[8], boats[9]
    k = 0
    handed = np.empty(rows.size)  # the coordination event's detail: 0 the SRR's RCC coordinates, 1 the first alerted does
    for i in range(rows.size):
        b = rows[i]
        r, key = brun[b], keys[brun[b]]
        u = uniform(key, u_alert, h, bid[b], 0)
        cum, pick = 0.0, alert_p.shape[1] - 1
        for j in range(alert_p.shape[1]):
            cum += alert_p[r, j]
            if cum >= u:
                pick = j
                break
        first = alert_states[r, pick]
        srr = bsrr[b]
        will = srr >= 0 and uniform(key, u_willing, h, bid[b], 0) < willing[r, max(srr, 0)]
        bdetected[b], bopen[b] = True, True
        bfirst[b], bcoord[b] = first, coordinating_state(srr, will, first)
        bseq[b] = first_seq + i
        c = bcoord[b]
        banswer[b] = _first_tasking(h, rcc_delay[r, c], uniform(key, u_silent, h, bid[b], 0), rcc_silent[r, c])
        handed[i] = 0.0 if will else 1.0
        k = event_row(ev_i, ev_f, k, h, EV_ALERT, r, bid[b], -1, first, bn[b], bx[b], by[b], np.nan)
    for i in range(rows.size):
        b = rows[i]
        k = event_row(ev_i, ev_f, k, h, EV_COORDINATION, brun[b], bid[b], -1, bcoord[b], 0, bx[b], by[b], handed[i])
    return k


@numba.njit(cache=True)
def patrol(hunters, n_runs, vstatus, vn, vcap, vblocked, vx, vy, vrun, vhunt, vtarget, bn, bstatus, btasked, bx, by, brun, bid):  # noqa: ANN001
    """:meth:`.step.Batch.patrol`: each vessel of ``hunters`` (rows, in order) that is free goes after the nearest afloat, untasked boat of its run within its range.

    Boats are grouped by run first, so a vessel looks only at its own run's boats
    (:func:`model.rules.rescue.patrol_target` chooses). Returns how many vessels set off.
    """
    start = np.zeros(n_runs + 1, dtype=np.int64)
    for b in range(bn.size):
        if bn[b] > 0 and bstatus[b] != CAPSIZED:
            start[brun[b] + 1] += 1
    for r in range(n_runs):
        start[r + 1] += start[r]
    order, fill = np.empty(start[n_runs], dtype=np.int64), start[:-1].copy()
    for b in range(bn.size):
        if bn[b] > 0 and bstatus[b] != CAPSIZED:
            order[fill[brun[b]]] = b
            fill[brun[b]] += 1
    n = 0
    for v in hunters:
        if vn[v] > 0 or not _available(vstatus[v] == PATROL, vcap[v] - vn[v], vblocked[v]):
            continue
        rows = order[start[vrun[v]] : start[vrun[v] + 1]]
        d, free, ids = np.empty(rows.size), np.empty(rows.size, dtype=np.bool_), np.empty(rows.size, dtype=np.int64)
        for j in range(rows.size):
            b = rows[j]
            d[j], free[j], ids[j] = distance(bx[b] - vx[v], by[b] - vy[v]), btasked[b] < 0, bid[b]
        j = _patrol_target(d, free, ids, vhunt[v])
        if j >= 0:
            vtarget[v], vstatus[v], btasked[rows[j]] = rows[j], TASKED, v
            n += 1
    return n
