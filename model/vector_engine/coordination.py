"""Distress cases and their coordination, compiled: cases opened, RCC tasking, patrols that hunt boats.

RCC tasking (:func:`coordinate`) runs one case after another, in the order the cases opened, each
through the rule both engines call (:func:`model.rules.tasking.task_case`).
"""

from __future__ import annotations

import numba
import numpy as np

from model.rules.crossing import distance
from model.rules.rescue import coordinating_state
from model.rules.scalar import available as _available
from model.rules.scalar import first_tasking_hour as _first_tasking
from model.rules.scalar import patrol_target as _patrol_target
from model.rules.tasking import DECLINE, HAND_OVER, TASK, TASK_LATER, may_send, needs_draw, task_case
from model.vector_engine.columns import EV_ALERT, EV_COORDINATION, event_row
from model.vector_engine.kernels import uniform
from model.vector_engine.state import CAPSIZED, PATROL, TASKED


@numba.njit(cache=True)
def cases_to_coordinate(h, bopen, btasked, banswer, bn, brun, bseq, out):
    """Open cases with people aboard, no asset tasked and no master's answer pending.

    Sorted by run and then by the order they opened; returns how many (rows in ``out``).
    """
    n = 0
    for b in range(bn.size):
        if bopen[b] and btasked[b] < 0 and h >= banswer[b] and bn[b] > 0:
            out[n] = b
            n += 1
    if n > 1:
        key = np.empty(n)
        for i in range(n):
            key[i] = (
                brun[out[i]] * 4294967296.0 + bseq[out[i]]
            )  # (exact: runs and case numbers are below 2**20 and 2**32)
        order = np.argsort(key, kind="mergesort")
        out[:n] = out[:n][order]
    return n


@numba.njit(cache=True)
def open_cases(
    h,
    rows,
    first_seq,
    streams,
    boats,
    u_alert,
    u_willing,
    alert_states,
    alert_p,
    willing,
    bdetected,
    bopen,
    bfirst,
    bseq,
    banswer,
    rcc_delay,
    u_silent,
    rcc_silent,
    ev_i,
    ev_f,
):
    """A distress case reaches an RCC (:func:`.phases.boats`).

    Who is alerted first (a categorical draw), and who coordinates; returns the event rows.
    """
    keys = streams.keys
    brun, bid, bx, by, bsrr, bcoord, bn = boats.brun, boats.bid, boats.bx, boats.by, boats.bsrr, boats.bcoord, boats.bn
    k = 0
    handed = np.empty(
        rows.size
    )  # the coordination event's detail: 0 the SRR's RCC coordinates, 1 the first alerted does
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
def patrol(hunters, n_runs, vessels, boats):
    """:meth:`.step.Batch.patrol` (``vessels``, ``boats``: :class:`.columns.Vessels`, :class:`.columns.Boats`).

    Each vessel of ``hunters`` (rows, in order) that is free goes after the nearest afloat, untasked boat of its run
    within its range.

    Boats are grouped by run first, so a vessel looks only at its own run's boats
    (:func:`model.rules.rescue.patrol_target` chooses). Returns how many vessels set off.
    """
    vstatus, vn, vcap, vblocked, vx, vy, vrun, vhunt, vtarget = (
        vessels.vstatus,
        vessels.vn,
        vessels.vcap,
        vessels.vblocked,
        vessels.vx,
        vessels.vy,
        vessels.vrun,
        vessels.vhunt,
        vessels.vtarget,
    )
    bn, bstatus, btasked, bx, by, brun, bid = (
        boats.bn,
        boats.bstatus,
        boats.btasked,
        boats.bx,
        boats.by,
        boats.brun,
        boats.bid,
    )
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


@numba.njit(cache=True)
def coordinate(
    # the hour, open cases in order, per-run constants
    h,
    cases,
    purpose,
    keys,
    standing,
    participants,
    compliance,
    response_h,
    brun,
    bx,
    by,
    bn,
    bid,
    bfirst,
    bcoord,
    btasked,
    bdeclined,
    banswer,
    bpend_v,
    bpend_x,
    bpend_y,
    bpend_h,  # boats
    V,
    vessels,
    div_aversion,
    port_x,
    port_y,
    port_safe,  # masters' fear of diversion (per run) and the ports
    stand_by,  # (runs, states): the RCC tells merchant ships to stand by
    out_kind,
    out_case,
    out_vessel,
    out_state,
    out_eta,
):
    """Each RCC tasks vessels to its open cases, one case after another (:func:`model.rules.tasking.task_case`).

    ``cases`` are boat rows sorted by run, then by the order the cases opened. A master's answer
    is drawn from the stream ``purpose`` (hour, boat, vessel). Updates the boat and vessel columns
    in place and writes one row per action into the ``out_`` arrays (kind, boat row, vessel row,
    state, ETA); returns how many rows it wrote.
    """
    vstatus, vtarget, vcap, vn, vx, vy, vspeed = (
        vessels.vstatus,
        vessels.vtarget,
        vessels.vcap,
        vessels.vn,
        vessels.vx,
        vessels.vy,
        vessels.vspeed,
    )
    vmerchant, vtaskable, vpart_flag, vblocked = (
        vessels.vmerchant,
        vessels.vtaskable,
        vessels.vpart_flag,
        vessels.vblocked,
    )
    k = 0
    candidates = np.empty(V, dtype=np.int64)  # absolute vessel rows, so the rule reads whole columns unsliced
    free = np.empty(vx.size)
    u = np.empty(vx.size)
    kind, pick, eta = np.empty(V + 1, dtype=np.int64), np.empty(V + 1, dtype=np.int64), np.empty(V + 1)
    bound, hours = np.empty(V), np.empty(V)
    for b in cases:
        r = brun[b]
        coord = bcoord[b]
        base = r * V
        ubase = np.uint64(base)  # unsigned rows for indexing: no code for negative indices
        own = False  # a free vessel of the RCC's own (for the hand-over)
        n_cand = 0
        for j in range(V):
            v = ubase + np.uint64(j)
            on_patrol = vstatus[v] == PATROL
            room = vcap[v] - vn[v]
            if not _available(on_patrol, room, vblocked[v]):
                continue  # (what may_send asks first; most vessels are busy or in port)
            own |= not vmerchant[v] and vtaskable[v, coord]
            if may_send(
                on_patrol,
                room,
                vblocked[v],
                bdeclined[b, j],
                vmerchant[v],
                vtaskable[v, coord],
                standing[r],
                participants[r, coord],
                vpart_flag[v],
                stand_by[r, coord],
            ):
                candidates[n_cand] = v
                free[v], u[v] = room, np.nan  # (the rule reads these of candidates only)
                n_cand += 1
        while True:
            n = task_case(
                bx[b],
                by[b],
                bn[b],
                coord,
                bfirst[b],
                own,
                vx,
                vy,
                vspeed,
                free,
                vmerchant,
                candidates,
                n_cand,
                u,
                compliance[r],
                div_aversion[r],
                port_x,
                port_y,
                port_safe,
                response_h[r],
                kind,
                pick,
                eta,
                bound,
                hours,
            )
            v = needs_draw(kind, pick, n)
            if v < 0:
                break
            u[v] = uniform(keys[r], purpose, h, bid[b], (v - base) % 256)
        for i in range(n):
            v = pick[i]
            j = v - base
            if kind[i] == HAND_OVER:
                bcoord[b] = bfirst[b]
                out_kind[k], out_case[k], out_vessel[k], out_state[k], out_eta[k] = HAND_OVER, b, -1, bfirst[b], np.inf
            else:
                out_kind[k], out_case[k], out_vessel[k], out_state[k], out_eta[k] = kind[i], b, v, coord, eta[i]
            k += 1
            if kind[i] == DECLINE or kind[i] == TASK_LATER:
                bdeclined[b, j] = True
            if kind[i] == TASK_LATER:
                banswer[b] = h + np.int64(response_h[r])
                bpend_v[b], bpend_x[b], bpend_y[b], bpend_h[b] = v, vx[v], vy[v], h
            elif kind[i] == TASK:
                vstatus[v] = TASKED
                vtarget[v] = b
                btasked[b] = v
    return k
