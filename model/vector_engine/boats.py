"""The boats' hour, compiled.

Moving, hazards (distress, capsizing, deaths aboard and in the water), interceptions, distress calls.

Each handler is a loop over the rows an event touches, with the same draws (the same counters of
the same streams, the same inverse CDFs) as the array code it replaced, so results do not change;
where that code acted in phases the loops keep them, so the event log keeps its order.
"""

from __future__ import annotations

import numba
import numpy as np

from model.numerics.quantiles import binomial_one
from model.outcomes import CASE_METRICS
from model.rules.boat_hour import (
    CAPSIZED,
    CAPSIZES,
    DISTRESSED,
    INTERCEPTED,
    SAILING,
    aboard_death_hour,
    detection_hour,
    hazards_hour,
    threshold,
)
from model.rules.crossing import body_recovery_share as _body_share
from model.rules.scalar import move_toward
from model.vector_engine.columns import (
    CM_CAPSIZES,
    CM_DISTRESS,
    EV_CAPSIZE,
    EV_DISTRESS,
    EV_INTERCEPTION,
    FAILED,
    PM_DEAD,
    PM_INTERCEPTED,
    PM_MISSING,
    ST_AT_SEA,
    ST_DEAD,
    ST_INTERCEPTED,
    ST_MISSING,
    add_counts,
    event_row,
)
from model.vector_engine.kernels import add_people_row, take_one, uniform


@numba.njit(cache=True)
def kill(h, b, k, purpose, streams, boats, ledger):
    """:meth:`.step.Batch.kill` of one boat.

    ``k`` of those aboard die, split into dead and missing (three purposes from ``purpose``).
    """
    if k <= 0:
        return 0
    keys, body_share, unseen = streams.keys, streams.body_share, streams.unseen_body
    brun, bid, bn, bpeople, bdetected = boats.brun, boats.bid, boats.bn, boats.bpeople, boats.bdetected
    status, person, day_person = ledger.status, ledger.person, ledger.day_person
    r = brun[b]
    key = keys[r]
    T = bpeople.shape[1]
    dying, dead = np.empty(T, dtype=np.int64), np.empty(T, dtype=np.int64)
    take_one(bpeople[b], k, key, purpose, h, bid[b], 0, dying)
    add_counts(bpeople[b], dying, -1)
    bn[b] -= k
    n_dead = binomial_one(
        float(k), _body_share(body_share[r], bdetected[b], unseen[r]), uniform(key, purpose + 1, h, bid[b], 0)
    )
    if n_dead < 0:
        return FAILED
    take_one(dying, n_dead, key, purpose + 2, h, bid[b], 0, dead)
    status[r, ST_AT_SEA] -= k
    status[r, ST_DEAD] += n_dead
    status[r, ST_MISSING] += k - n_dead
    add_people_row(person, day_person, PM_DEAD, r, dead, 2)
    add_counts(dying, dead, -1)  # the missing
    add_people_row(person, day_person, PM_MISSING, r, dying, 2)
    return 0


@numba.njit(cache=True)
def capsize(h, b, aux, u_capsize_k, u_kill, streams, boats, ledger, ev_i, ev_f, k):
    """:meth:`.step.Batch.capsize` of one boat already capsized (status set): a share of those aboard die at once.

    ``aux`` is the event's detail (0: in the sea, 1: on a vessel's approach). Returns the event
    rows written so far (``k`` + 1), or FAILED.
    """
    keys, capsize_share = streams.keys, streams.capsize_share
    brun, bid, btype, bx, by, bn = boats.brun, boats.bid, boats.btype, boats.bx, boats.by, boats.bn
    case, day_case = ledger.case, ledger.day_case
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
def intercept(h, r, state, people, key_id, net, u_retry, streams, ledger):
    """:meth:`.step.Batch.intercept` of one group.

    Returned to ``state``; some try again from network ``net`` after detention.
    """
    keys, retry_p, detention_h = streams.keys, streams.retry_p, streams.detention_h
    status, person, day_person, intercepted_by_state, detained_due = (
        ledger.status,
        ledger.person,
        ledger.day_person,
        ledger.intercepted_by_state,
        ledger.detained_due,
    )
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
    add_counts(detained_due[r, due % detained_due.shape[1], net], retry, 1)
    return 0


@numba.njit(cache=True)
def capsize_boats(h, rows, aux, u_capsize_k, u_kill, streams, boats, ledger, ev_i, ev_f):
    """Boats in distress capsize (:meth:`.step.Batch.capsize`); returns the event rows written, or FAILED."""
    bstatus = boats.bstatus
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
def harm(h, b, state, streams, boats, ledger):
    """Deaths as ``state``'s patrol stops boat ``b``.

    Each aboard dies with the state's ``interception_death_share``; then survivors are injured with its
    ``interception_injury_share`` (counted). Returns 0 or FAILED.
    """
    keys, share, injury = streams.keys, streams.harm, streams.harm_injury
    brun, bid, bn = boats.brun, boats.bid, boats.bn
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
        ledger.case[r, CM_INJURED] += hurt
        ledger.day_case[r, CM_INJURED] += hurt
    return 0


@numba.njit(cache=True)
def intercept_boats(h, rows, states, u_retry, streams, boats, ledger, ev_i, ev_f):
    """The departure states' patrols stop boats (``states[i]`` returns ``rows[i]``).

    Returns the event rows written, or FAILED.
    """
    brun, bid, bnet, bx, by, bn, bpeople = (
        boats.brun,
        boats.bid,
        boats.bnet,
        boats.bx,
        boats.by,
        boats.bn,
        boats.bpeople,
    )
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
def boats_move(bn, bstatus, bspeed, bfuel, bx, by, btx, bty, alive, arrived):
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
def seen_in_distress(h, alive, bn, bstatus, bdetected, bdetect_at, out):
    """Rows of ``alive`` whose distress becomes known this hour.

    (in distress or capsized, people aboard, not yet detected, call or sighting due); returns how many.
    """
    n = 0
    for b in alive:
        if bn[b] > 0 and bstatus[b] != SAILING and not bdetected[b] and h >= bdetect_at[b]:
            out[n] = b
            n += 1
    return n


@numba.njit(cache=True)
def boats_hazards(
    h,
    alive,
    u_water_k,
    u_kill_water,
    u_kill_capsize,
    u_capsize_k,
    u_retry,
    wmult,
    water_p,
    u_aboard_k,
    u_kill_aboard,
    streams,
    boats,
    hazards,
    ledger,
    ev_int,
    ev_cap,
    distressed,
):
    """The hazards of an hour at sea for the boats still afloat (rows ``alive``), in the array code's order.

    Each boat's hour is :func:`model.rules.boat_hour.hazards_hour`; then, in this order, departure
    states' patrols stop the boats it found intercepted (events into ``ev_int``), boats in distress
    since an earlier hour capsize (events into ``ev_cap``), people die aboard boats still afloat
    (:func:`model.rules.boat_hour.aboard_death_hour`) and in the water. The rows of the boats now
    in distress are written to ``distressed`` (:func:`.phases.distress` draws their calls).
    Returns (interception events, capsize events, boats now in distress), or (FAILED, 0, 0).
    """
    keys = streams.keys
    brun, bid, bstatus, bx, by, bn, btasked = (
        boats.brun,
        boats.bid,
        boats.bstatus,
        boats.bx,
        boats.by,
        boats.bn,
        boats.btasked,
    )
    rows = np.empty(alive.size, dtype=np.int64)
    states = np.empty(alive.size, dtype=np.int64)
    cap = np.empty(alive.size, dtype=np.int64)
    events = np.empty(alive.size, dtype=np.int64)
    hazards_hour(alive, bstatus, bn, btasked, bx, by, brun, wmult, hazards, events)
    n_int = n_dis = n_cap = 0
    for i in range(alive.size):
        b, event = alive[i], events[i]
        if event == INTERCEPTED:
            rows[n_int], states[n_int] = b, hazards.bstate[b]
            n_int += 1
        elif event == DISTRESSED:
            distressed[n_dis] = b
            n_dis += 1
        elif event == CAPSIZES:
            cap[n_cap] = b
            n_cap += 1
    k_int = (
        intercept_boats(h, rows[:n_int], states[:n_int], u_retry, streams, boats, ledger, ev_int[0], ev_int[1])
        if n_int
        else 0
    )
    if k_int < 0:
        return FAILED, 0, 0
    k_cap = (
        capsize_boats(h, cap[:n_cap], 0.0, u_capsize_k, u_kill_capsize, streams, boats, ledger, ev_cap[0], ev_cap[1])
        if n_cap
        else 0
    )
    if k_cap < 0:
        return FAILED, 0, 0
    p_aboard = np.empty(alive.size)
    aboard_death_hour(alive, bstatus, bn, hazards, p_aboard)
    for i in range(alive.size):  # deaths aboard boats still afloat
        if p_aboard[i] >= 0.0:
            b = alive[i]
            r = brun[b]
            dying = binomial_one(float(bn[b]), p_aboard[i], uniform(keys[r], u_aboard_k, h, bid[b], 0))
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
def distress(
    h,
    rows,
    u_report,
    u_delay,
    u_sight,
    u_capsize,
    report_p,
    call_delay_h,
    sighting_p,
    streams,
    boats,
    ledger,
    bdetect_at,
    bthr_cap,
    ev_i,
    ev_f,
):
    """:func:`.phases.distress` once the boats' SRRs are known: count, log, and draw when the case reaches an RCC.

    When the case reaches an RCC is :func:`model.rules.boat_hour.detection_hour`; also draws the
    boat's capsize threshold. Returns the event rows.
    """
    keys = streams.keys
    brun, bid, btype, bx, by, bsrr, bn = boats.brun, boats.bid, boats.btype, boats.bx, boats.by, boats.bsrr, boats.bn
    case, day_case = ledger.case, ledger.day_case
    for i in range(rows.size):
        b = rows[i]
        r, key = brun[b], keys[brun[b]]
        case[r, CM_DISTRESS] += 1.0
        day_case[r, CM_DISTRESS] += 1.0
        event_row(ev_i, ev_f, i, h, EV_DISTRESS, r, bid[b], -1, bsrr[b], bn[b], bx[b], by[b], float(btype[b]))
        bdetect_at[b] = detection_hour(
            h,
            uniform(key, u_report, h, bid[b], 0),
            uniform(key, u_delay, h, bid[b], 0),
            uniform(key, u_sight, h, bid[b], 0),
            report_p[r],
            call_delay_h[r],
            sighting_p[r],
        )
        bthr_cap[b] = threshold(uniform(key, u_capsize, h, bid[b], 0))
    return rows.size
