"""Compiled loops for the parts of the hour where array code pays per row for many small steps.

Profiles of :mod:`.step` are flat: at large batches each event (a distress case, a tasking, a
port request) costs microseconds of gathers, masks and temporaries spread over dozens of numpy
calls. Here such work runs as one compiled loop (numba) over the same columns and with the same
draws, so a run's result does not change. Here: RCC tasking (:func:`coordinate`, one case after
another, as the rule reads), the vessels' hour (:func:`vessels_hour`), the daily choices of those
waiting at origin (:func:`legal_choices`, :func:`departures`) and the return of the detained
(:func:`release_detained`), the tallies of people (:func:`add_people`), the conservation check
(:func:`first_unbalanced`) and the compiled rules and stream draws that the other loops
(:mod:`.at_sea`, :mod:`.launches`) share (:func:`uniform`, :func:`take_one`).

The rules are not rewritten: the loops call the functions of ``model/rules`` compiled by numba
(:func:`rule`), the same functions the Mesa agents call on scalars and the array code on columns.
A rule that the loops call must therefore compile for scalars without allocating (no ``np.where``
or ``np.asarray(..., dtype=...)``; ``crossing.move_toward`` shows how).
"""

from __future__ import annotations

from collections.abc import Callable

import numba
import numpy as np

from model.numerics.quantiles import binomial_one
from model.rules import crossing, rescue
from model.vector_engine.state import CAPSIZED, IN_PORT, PATROL, TASKED, TO_HOME, TO_PORT
from model.vector_engine.streams import mix64, take_row, unit


def rule(f: Callable) -> Callable:
    """A rule of ``model/rules`` compiled for the loops (it must use only what numba compiles)."""
    return numba.njit(cache=True)(f)


_can_task = rule(rescue.can_task)
_stands_by = rule(rescue.stands_by)
_available = rule(rescue.available)
_eta_hours = rule(rescue.eta_hours)
_merchant_accept = rule(rescue.merchant_accept_probability)
_diversion_compliance = rule(rescue.diversion_compliance)
_nearest_safe_port_km = rescue.nearest_safe_port_km  # (compiled in model/rules)
_scene_done_hour = rule(rescue.scene_done_hour)
_transfer_ends = rule(rescue.transfer_ends)
_hands_over = rule(rescue.hands_over)
move_toward = rule(crossing.move_toward)  # (also called by the loops of .at_sea)
wants_port = rule(rescue.wants_port)
heads_home = rule(rescue.heads_home)  # (called by the loops of .at_sea)
detention_hours = rule(rescue.detention_hours)
seized = rule(rescue.seized)
first_tasking_hour = rule(rescue.first_tasking_hour)
patrol_target = rule(rescue.patrol_target)
available = _available


@numba.njit(cache=True)
def uniform(key: np.uint64, purpose: int, a: int, b: int, c: int) -> float:
    """One draw of :meth:`.streams.Streams.uniform`: the same value for the same key and counters."""
    cnt = (np.uint64(purpose) << np.uint64(56)) | (np.uint64(a) << np.uint64(32)) | (np.uint64(b) << np.uint64(8)) | np.uint64(c)
    return unit(mix64(key + mix64(cnt)))


@numba.njit(cache=True)
def take_one(counts, k, key, purpose, a, b, c, out):  # noqa: ANN001
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


@numba.njit("void(int64[:, :, :], int64[:, :], int64, int64, int64[:], int64)", cache=True)  # (one version, not one per literal metric)
def add_people_row(person, day_person, metric, run, counts, per_profile):
    """:func:`add_people` for one group (``counts``, 1-D) of run ``run``."""
    total = 0
    for j in range(counts.size):
        person[run, metric, j // per_profile] += counts[j]
        total += counts[j]
    day_person[run, metric] += total


@numba.njit(cache=True)
def first_unbalanced(status, created):  # noqa: ANN001, ANN201
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


@numba.njit(cache=True)
def legal_choices(day, keys, purpose, slots, wants, chosen, eligible, delay_h, legal_due, status, st_from, st_to, n_types):  # noqa: ANN001
    """Each run's legal channels take people waiting at origin, channel after channel (:meth:`.step.Batch._decide`).

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
def departures(day, keys, u_go, u_type, waiting, chosen, p_go, queue):  # noqa: ANN001
    """Those still waiting at each network decide to leave (:meth:`.step.Batch._decide`): a binomial number, then who by type.

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
def release_detained(slot, detained_due, waiting, status, st_from, st_to):  # noqa: ANN001
    """Those detained after an interception who are due back today (``detained_due[:, slot]``) wait at their network again.

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


# What coordination did, one row per action, in the order taken (see :func:`coordinate`).
TASK, TASK_LATER, DECLINE, HAND_OVER = range(4)


@numba.njit(cache=True)
def coordinate(
    h, cases, purpose, keys, standing, participants, compliance, response_h,  # the hour, open cases in order, per-run constants
    brun, bx, by, bn, bid, bfirst, bcoord, btasked, bdeclined, banswer, bpend_v, bpend_x, bpend_y, bpend_h,  # boats
    V, vstatus, vtarget, vcap, vn, vx, vy, vspeed, vmerchant, vtaskable, vpart_flag, vblocked,  # vessels
    div_aversion, port_x, port_y, port_safe,  # masters' fear of diversion (per run) and the ports
    stand_by,  # (runs, states): the RCC tells merchant ships to stand by
    out_kind, out_case, out_vessel, out_state, out_eta,
):  # fmt: skip
    """Each RCC tasks the asset with the earliest arrival to each open case, cases in order.

    ``cases`` are boat rows sorted by run, then by the order the cases opened. For each: the
    free vessels (on patrol, with room) that the coordinating RCC may task and that have not
    declined this case; the earliest to arrive is tasked. A merchant master may decline: the RCC
    then waits for his answer if answers take time (``response_h`` > 0), else tasks the next
    earliest at once. With no candidate, the RCC hands the case to the first RCC alerted.

    Updates the boat and vessel columns in place and writes one row per action into the ``out_``
    arrays (kind, boat row, vessel row, state, ETA); returns how many rows it wrote.
    """
    k = 0
    eta = np.empty(V)
    bound = np.empty(V)
    for b in cases:
        r = brun[b]
        coord = bcoord[b]
        base = r * V
        ubase = np.uint64(base)  # unsigned rows for indexing: no code for negative indices
        own = False  # a free vessel of the RCC's own (for the hand-over)
        for j in range(V):  # the candidates; vessels stay where they are meanwhile
            v = ubase + np.uint64(j)
            bound[j] = np.inf
            if _available(vstatus[v] == PATROL, vcap[v] - vn[v], vblocked[v]):
                own |= not vmerchant[v] and vtaskable[v, coord]
                if not bdeclined[b, j] and _can_task(vmerchant[v], vtaskable[v, coord], standing[r], participants[r, coord], vpart_flag[v]) and not _stands_by(vmerchant[v], stand_by[r, coord]):
                    # a lower bound of the arrival time without hypot (hypot(dx, dy) >= max(|dx|, |dy|), also rounded);
                    # the exact time is computed only for vessels whose bound does not rule them out
                    bound[j] = max(abs(vx[v] - bx[b]), abs(vy[v] - by[b])) / vspeed[v]
                    eta[j] = np.nan
        while True:
            best, pick = np.inf, -1
            for j in range(V):
                v = ubase + np.uint64(j)
                if bound[j] < np.inf and bound[j] <= best and vstatus[v] == PATROL:  # (tasked to an earlier case meanwhile)
                    if np.isnan(eta[j]):
                        eta[j] = _eta_hours(vx[v], vy[v], vspeed[v], bx[b], by[b])
                    if eta[j] < best:
                        best, pick = eta[j], base + j
            if pick < 0:  # (no vessel was tasked to this case meanwhile: own is still as found)
                if _hands_over(coord, bfirst[b], own):
                    bcoord[b] = bfirst[b]
                    out_kind[k], out_case[k], out_vessel[k], out_state[k], out_eta[k] = HAND_OVER, b, -1, bfirst[b], np.inf
                    k += 1
                break
            if vmerchant[pick]:
                km = _nearest_safe_port_km(bx[b], by[b], port_x, port_y, port_safe) if div_aversion[r] > 0.0 else 0.0
                p = _merchant_accept(_diversion_compliance(compliance[r], div_aversion[r], km), vcap[pick] - vn[pick], bn[b])
                if uniform(keys[r], purpose, h, bid[b], (pick - base) % 256) >= p:
                    bdeclined[b, pick - base] = True
                    bound[pick - base] = np.inf
                    if response_h[r] > 0:  # the master answers later; nobody else is sent meanwhile
                        banswer[b] = h + np.int64(response_h[r])
                        bpend_v[b], bpend_x[b], bpend_y[b], bpend_h[b] = pick, vx[pick], vy[pick], h
                        out_kind[k], out_case[k], out_vessel[k], out_state[k], out_eta[k] = TASK_LATER, b, pick, coord, best
                        k += 1
                        break
                    out_kind[k], out_case[k], out_vessel[k], out_state[k], out_eta[k] = DECLINE, b, pick, coord, best
                    k += 1
                    continue
            vstatus[pick] = TASKED
            vtarget[pick] = b
            btasked[b] = pick
            out_kind[k], out_case[k], out_vessel[k], out_state[k], out_eta[k] = TASK, b, pick, coord, best
            k += 1
            break
    return k


@numba.njit(cache=True)
def vessels_hour(
    h, vstatus, vn, vx, vy, vspeed, vmerchant, vblocked, vport_days, hours_with_people, vtarget, at_station, sx, sy, vport, rest_until, days_at_sea,  # vessels
    vcap, vbatch, vmax_hours,
    lane_k, lane_row, lane_to, lane_back, lane_y, bn, bx, by, port_x, port_y,  # merchants' lanes (compact), boats, ports
    vscene, vapproach, vper100, bstatus,  # on-scene times (rescue.scene_done_hour)
    out_rescue, out_patrol, out_landing, active, busy,
):  # fmt: skip
    """The hour of every vessel, each acting on its status at the start of the hour.

    Counts hours with people aboard; tasked vessels head for their boat (back on patrol if it is
    gone); merchants on patrol sail their lane, other vessels off station return to it; vessels
    bound for a port sail there, and those going home rest on arrival; rested ones leave port.
    What needs the array code next is written into the ``out_`` arrays, in row order: tasked
    vessels on scene (rescue), patrolling vessels with people aboard that now ask for a port
    (:func:`~model.rules.rescue.wants_port`), vessels at the port where they land people. Returns how many rows each holds.

    Most vessels have nothing to do in an hour (on patrol idle on station, resting in port, waiting
    for a port); a first pass without branches marks the others in the scratch array ``busy`` (bool),
    a second lists them into the scratch array ``active`` (both as long as the vessel columns), and
    only those take the branches below. (Marking and listing in two passes lets the compiler
    vectorise the marking: 0.8 against 2.1 ns per row in one pass, measured with the columns in cache.)
    Merchants on patrol with no one aboard, the most common busy vessels, only sail their lanes:
    they go first, in a loop of their own over the lanes (``lane_row``: each lane's vessel row),
    which touches nothing any other vessel reads, so the order changes no result.
    """
    n_rescue = n_patrol = n_landing = 0
    for r in range(vstatus.size):  # (a merchant on patrol with no one aboard sails its lane in the loop below)
        st = vstatus[r]
        busy[r] = ((st == PATROL) & (((lane_k[r] < 0) & (not at_station[r])) | (vn[r] > 0))) | (st == TASKED) | (st == TO_PORT) | (st == TO_HOME) | ((st == IN_PORT) & (h >= rest_until[r]))
    for k in range(lane_row.size):
        v = np.uint64(lane_row[k])
        if vstatus[v] == PATROL and vn[v] == 0:
            vx[v], vy[v], arrived = move_toward(vx[v], vy[v], lane_to[k], lane_y[k], vspeed[v])
            if arrived:
                lane_to[k], lane_back[k] = lane_back[k], lane_to[k]
    n_active = 0
    for r in range(vstatus.size):
        active[n_active] = r
        n_active += busy[r]
    for i in range(n_active):
        v = np.uint64(active[i])  # unsigned rows: no code for negative indices (12% less time per row in cache)
        st = vstatus[v]
        if st == TASKED:
            if vn[v] > 0:
                hours_with_people[v] += 1
            t = vtarget[v]
            if t < 0 or bn[np.uint64(t)] == 0:
                vstatus[v], vtarget[v], vscene[v] = PATROL, -1, -1
                continue
            at_station[v] = False
            tb = np.uint64(t)
            vx[v], vy[v], arrived = move_toward(vx[v], vy[v], bx[tb], by[tb], vspeed[v])
            if arrived:
                if vscene[v] < 0:  # on scene: the approach and the transfer take hours, the boat stays at risk meanwhile
                    vscene[v] = _scene_done_hour(h, vapproach[v], vper100[v], vcap[v] - vn[v], float(bn[tb]))
                if _transfer_ends(h, vscene[v], bstatus[tb] == CAPSIZED):
                    vscene[v] = -1
                    out_rescue[n_rescue] = v
                    n_rescue += 1
        elif st == PATROL:
            k = lane_k[v]
            if k >= 0:
                j = np.uint64(k)
                vx[v], vy[v], arrived = move_toward(vx[v], vy[v], lane_to[j], lane_y[j], vspeed[v])
                if arrived:
                    lane_to[j], lane_back[j] = lane_back[j], lane_to[j]
            elif not at_station[v]:
                vx[v], vy[v], at_station[v] = move_toward(vx[v], vy[v], sx[v], sy[v], vspeed[v])
            if vn[v] > 0:
                hours_with_people[v] += 1
                if wants_port(vcap[v] - vn[v], vcap[v], vbatch[v], hours_with_people[v], vmax_hours[v]):
                    out_patrol[n_patrol] = v
                    n_patrol += 1
        elif st == TO_PORT or st == TO_HOME:
            at_station[v] = False
            p = np.uint64(vport[v])
            vx[v], vy[v], arrived = move_toward(vx[v], vy[v], port_x[p], port_y[p], vspeed[v])
            if arrived:
                if st == TO_PORT:
                    out_landing[n_landing] = v
                    n_landing += 1
                else:
                    vstatus[v] = IN_PORT
                    rest_until[v] = h + np.int64(24 * (1.0 if vmerchant[v] else vport_days[v]))
        elif st == IN_PORT and h >= rest_until[v] and not vblocked[v]:
            vstatus[v] = PATROL
            days_at_sea[v] = 0.0
    return n_rescue, n_patrol, n_landing
