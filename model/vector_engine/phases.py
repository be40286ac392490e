"""The hour's phases as one compiled call each.

(boats, coordination, vessels), made of the handlers of :mod:`.boats`, :mod:`.coordination`, :mod:`.vessels`
and :mod:`.ports`.

Why: the Python between the compiled handlers (passing dozens of columns to each call, small
gathers, work arrays) took about a third of the hour at a batch of 256 runs, and most of it for a
single run.
Here the boats' hour (:func:`boats`: moving, landing, hazards, distress, cases opened), the RCCs'
(:func:`coordinate`: tasking) and the vessels' (:func:`vessels`: the vessels' hour, rescues,
requests for a port, landings) run in one call each, handler after handler in the order the array
code ran them, so the draws, the ledgers and the event log are the same. The unit tests drive
the same functions one handler at a time (tests/model/vector_engine/handlers.py).

The columns come in tuples, in the order of the handlers' own arguments (built once a day by
:meth:`.step.Batch._cols`): ``hour_cols`` those of :func:`.vessels.vessels_hour` between the hour
and its outputs; ``rescue_cols`` the vessel columns of :func:`.vessels.rescue`; ``request_cols``
those of :func:`.ports.request` between its purpose and its outputs; ``unload_cols`` those of
:func:`.vessels.unload` between the ship rows and its outputs; ``land_cols`` those of
:func:`.ports.land` between the vessel rows and the event buffers.
"""

from __future__ import annotations

import numba
import numpy as np

from model.geography import srr_states
from model.rules.tasking import DECLINE, HAND_OVER, TASK, TASK_LATER
from model.vector_engine.boats import boats_hazards, boats_move, seen_in_distress
from model.vector_engine.boats import distress as boats_distress
from model.vector_engine.columns import FAILED, Boats, Hazards, Ledger, RunConstants, Vessels, event_row
from model.vector_engine.coordination import cases_to_coordinate, open_cases
from model.vector_engine.coordination import coordinate as rcc_tasking
from model.vector_engine.ports import land, request
from model.vector_engine.state import DISTRESS, WAITING
from model.vector_engine.vessels import rescue as take_aboard
from model.vector_engine.vessels import unload, vessels_hour


@numba.njit(cache=True)
def to_port(h, v, first_request, vessels, keys, u_accept, request_cols, ev_i, ev_f, accepted):
    """Ships ``v`` stop searching and ask for a place of safety (:func:`.ports.request`).

    Returns (ships accepted, event rows).
    """
    vstatus, refused_days = vessels.vstatus, vessels.refused_days
    for vi in v:
        vstatus[vi] = WAITING
        first_request[vi] = h
        refused_days[vi] = 0
    return request(h, v, keys, u_accept, vessels, *request_cols, ev_i, ev_f, accepted)


@numba.njit(cache=True)
def rescue(
    h,
    v,
    b,
    u,
    streams,
    boats,
    ledger,
    vessels,
    rescue_cols,
    first_request,
    u_accept,
    request_cols,
    ev_i,
    ev_f,
    go,
    accepted,
):
    """Vessels ``v`` on scene of boats ``b``.

    (:func:`.vessels.rescue`; ``u`` its five purposes), then those that now want a port ask for one.

    Returns (0, FAILED or STILL_SAILING; event rows; ships accepted, written to ``accepted``).
    """
    n_go, k = take_aboard(
        h, v, b, u[0], u[1], u[2], u[3], u[4], streams, boats, ledger, vessels, *rescue_cols, ev_i, ev_f, go
    )
    if n_go < 0:
        return n_go, 0, 0
    n_acc = 0
    if n_go:
        n_acc, n_ev = to_port(
            h,
            go[:n_go],
            first_request,
            vessels,
            streams.keys,
            u_accept,
            request_cols,
            ev_i[k:],
            ev_f[k:],
            accepted,
        )
        k += n_ev
    return 0, k, n_acc


@numba.njit(cache=True)
def disembark(h, v, vessels, unload_cols, src, code, land_cols, people, run, port, case, reloc, ev_i, ev_f):
    """Ships ``v`` land everyone aboard at their port (:func:`.vessels.unload`, :func:`.ports.land`).

    Returns the event rows.

    The landed groups stay in the outputs (people, run, port, case, relocation owed) for the
    relocations that :class:`.step.Batch` schedules.
    """
    unload(h, v, vessels, *unload_cols, people, run, port, case, reloc)
    return land(h, run, port, people, src, code, case, v, *land_cols, ev_i, ev_f)


@numba.njit(cache=True)
def vessels(
    h,
    vessels_t,
    hour_cols,
    out,
    u,
    streams_t,
    boats_t,
    ledger_t,
    rescue_cols,
    first_request,
    u_accept,
    request_cols,
    unload_cols,
    src,
    code,
    land_cols,
    n_states,
    n_types,
):
    """The vessels' phase of the hour.

    Every vessel's hour, then rescues, requests for a port (rescuers first) and landings.

    ``out`` holds :func:`.vessels.vessels_hour`'s four row arrays and its bool scratch. Returns (0, FAILED or
    STILL_SAILING; the event buffers and their rows written; the ships whose wait ended, in order;
    the landings: people, run, port, case, relocation owed, ship).
    """
    # named here: plain tuples cross the dispatcher faster (.columns.plain)
    vessels, streams, boats, ledger = Vessels(*vessels_t), RunConstants(*streams_t), Boats(*boats_t), Ledger(*ledger_t)
    n_rescue, n_patrol, n_landing = vessels_hour(h, vessels, *hour_cols, out[0], out[1], out[2], out[3], out[4])
    rows = (
        2 * n_rescue + 2 * n_states * (n_rescue + n_patrol) + n_landing
    )  # at most: a capsize and a rescue, a request and an answer per state, a landing
    ev_i, ev_f = np.empty((rows, 7), dtype=np.int64), np.empty((rows, 3))
    accepted = np.empty(n_rescue + n_patrol, dtype=np.int64)
    people, run, port, case = (
        np.empty((n_landing, n_types), dtype=np.int64),
        np.empty(n_landing, dtype=np.int64),
        np.empty(n_landing, dtype=np.int64),
        np.empty(n_landing, dtype=np.int64),
    )
    reloc, landed = np.empty(n_landing, dtype=np.bool_), out[2][:n_landing].copy()
    k = n_acc = 0
    if n_rescue:
        v = out[0][:n_rescue]
        b = np.empty(n_rescue, dtype=np.int64)
        for i in range(n_rescue):
            b[i] = vessels.vtarget[v[i]]
        code_r, k, n_acc = rescue(
            h,
            v,
            b,
            u,
            streams,
            boats,
            ledger,
            vessels,
            rescue_cols,
            first_request,
            u_accept,
            request_cols,
            ev_i,
            ev_f,
            out[3],
            accepted,
        )
        if code_r < 0:
            return code_r, 0, ev_i, ev_f, accepted[:0], people, run, port, case, reloc, landed
    if n_patrol:
        n, n_ev = to_port(
            h,
            out[1][:n_patrol],
            first_request,
            vessels,
            streams.keys,
            u_accept,
            request_cols,
            ev_i[k:],
            ev_f[k:],
            accepted[n_acc:],
        )
        k += n_ev
        n_acc += n
    if n_landing:
        k += disembark(
            h, landed, vessels, unload_cols, src, code, land_cols, people, run, port, case, reloc, ev_i[k:], ev_f[k:]
        )
    return 0, k, ev_i, ev_f, accepted[:n_acc], people, run, port, case, reloc, landed


@numba.njit(cache=True)
def distress(
    h, rows, u, report_p, call_delay_h, sighting_p, streams, boats, ledger, bdetect_at, bthr_cap, srr, ev_i, ev_f
):
    """Boats ``rows`` fall into distress.

    Their SRR (:func:`~model.geography.srr_states`; ``srr`` the packed polygons), then :func:`.boats.distress` (``u``
    its four purposes); returns the event rows.
    """
    bstatus, bx, by, bsrr = boats.bstatus, boats.bx, boats.by, boats.bsrr
    x, y, state = np.empty(rows.size), np.empty(rows.size), np.empty(rows.size, dtype=np.int64)
    for i in range(rows.size):
        bstatus[rows[i]] = DISTRESS
        x[i], y[i] = bx[rows[i]], by[rows[i]]
    srr_states(x, y, srr[0], srr[1], srr[2], srr[3], state)
    for i in range(rows.size):
        bsrr[rows[i]] = state[i]
    return boats_distress(
        h,
        rows,
        u[0],
        u[1],
        u[2],
        u[3],
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
    )


@numba.njit(cache=True)
def boats(
    h,
    move_cols,
    hazard_args,
    streams_t,
    boats_t,
    hazards_t,
    ledger_t,
    net_dest,
    src,
    code,
    land_cols,
    distress_args,
    srr,
    bdetected,
    bdetect_at,
    bthr_cap,
    open_args,
    first_case,
):
    """The boats' phase of the hour.

    They move and some land on their own; patrols, distress, capsizes and drowning; distress becomes known.

    Handler by handler, in the order of the old array code: :func:`.boats.boats_move` (``move_cols``:
    its columns after ``bstatus``), the landings (:func:`.ports.land`, at the networks'
    destinations ``net_dest``), :func:`.boats.boats_hazards` (``hazard_args``: its arguments
    between the rows and ``streams``), :func:`distress` (``distress_args``: its arguments between
    the rows and ``streams``), :func:`.boats.seen_in_distress` and :func:`.coordination.open_cases`
    (``open_args``: its arguments after the boats; cases numbered from ``first_case``).
    Returns (0 or FAILED; the event rows, in the order the handlers write them, and how many; the
    cases opened).
    """
    # named here: plain tuples cross the dispatcher faster (.columns.plain)
    streams, boats, hazards = RunConstants(*streams_t), Boats(*boats_t), Hazards(*hazards_t)
    ledger = Ledger(*ledger_t)
    brun, bid, bnet, bstatus, bn, bpeople = boats.brun, boats.bid, boats.bnet, boats.bstatus, boats.bn, boats.bpeople
    n_rows, T = bn.size, bpeople.shape[1]
    alive, out = np.empty(n_rows, dtype=np.int64), np.empty(n_rows, dtype=np.int64)
    n_alive, n_land = boats_move(bn, bstatus, *move_cols, alive, out)
    empty = np.empty((0, 7), dtype=np.int64), np.empty((0, 3))
    if not n_alive:
        return 0, empty[0], empty[1], 0, 0
    alive = alive[:n_alive]
    parts_i, parts_f, parts_n = [], [], []  # the handlers' event rows, in order
    if n_land:
        run, port, case, vessel = (
            np.empty(n_land, dtype=np.int64),
            np.empty(n_land, dtype=np.int64),
            np.empty(n_land, dtype=np.int64),
            np.full(n_land, -1, dtype=np.int64),
        )
        people = np.empty((n_land, T), dtype=np.int64)
        for i in range(n_land):
            b = out[i]
            run[i], port[i], case[i] = brun[b], net_dest[brun[b], bnet[b]], bid[b]
            people[i] = bpeople[b]
        ev_i, ev_f = np.empty((n_land, 7), dtype=np.int64), np.empty((n_land, 3))
        parts_n.append(land(h, run, port, people, src, code, case, vessel, *land_cols, ev_i, ev_f))
        parts_i.append(ev_i)
        parts_f.append(ev_f)
        for i in range(n_land):
            bpeople[out[i]] = 0
            bn[out[i]] = 0
    ev_int = np.empty((n_alive, 7), dtype=np.int64), np.empty((n_alive, 3))
    ev_cap = np.empty((n_alive, 7), dtype=np.int64), np.empty((n_alive, 3))
    k_int, k_cap, n_dis = boats_hazards(h, alive, *hazard_args, streams, boats, hazards, ledger, ev_int, ev_cap, out)
    if k_int < 0 or k_cap < 0:
        return FAILED, empty[0], empty[1], 0, 0
    parts_i.append(ev_int[0])
    parts_f.append(ev_int[1])
    parts_n.append(k_int)
    if n_dis:
        rows = out[:n_dis].copy()
        ev_i, ev_f = np.empty((n_dis, 7), dtype=np.int64), np.empty((n_dis, 3))
        parts_n.append(distress(h, rows, *distress_args, streams, boats, ledger, bdetect_at, bthr_cap, srr, ev_i, ev_f))
        parts_i.append(ev_i)
        parts_f.append(ev_f)
    parts_i.append(ev_cap[0])
    parts_f.append(ev_cap[1])
    parts_n.append(k_cap)
    n_open = seen_in_distress(h, alive, bn, bstatus, bdetected, bdetect_at, out)
    if n_open:
        rows = out[:n_open].copy()
        ev_i, ev_f = np.empty((2 * n_open, 7), dtype=np.int64), np.empty((2 * n_open, 3))
        parts_n.append(open_cases(h, rows, first_case, streams, boats, *open_args, ev_i, ev_f))
        parts_i.append(ev_i)
        parts_f.append(ev_f)
    total = 0
    for n in parts_n:
        total += n
    ev_i, ev_f = np.empty((total, 7), dtype=np.int64), np.empty((total, 3))
    k = 0
    for j in range(len(parts_n)):
        ev_i[k : k + parts_n[j]] = parts_i[j][: parts_n[j]]
        ev_f[k : k + parts_n[j]] = parts_f[j][: parts_n[j]]
        k += parts_n[j]
    return 0, ev_i, ev_f, total, n_open


@numba.njit(cache=True)
def coordinate(h, open_cols, coord_cols, V, vessels_t, case_ledger, day_case, cm_declines, ev_codes):
    """The coordination phase of the hour.

    Each RCC tasks the asset with the earliest arrival to each open case (:func:`.coordination.coordinate`).

    ``open_cols`` are :func:`.coordination.cases_to_coordinate`'s columns, ``coord_cols`` those of
    :func:`.coordination.coordinate` between the cases and ``V`` and those after the vessels
    (``vessels_t``: :class:`.columns.Vessels` as a plain tuple, see :func:`.columns.plain`). Masters'
    answers that came in are logged first (declines, in row order), then each action; declines
    are counted in the case ledgers (``cm_declines``). ``ev_codes``: the events decline, tasking
    and coordination. Returns the event buffers and their rows.
    """
    vessels = Vessels(*vessels_t)
    bn = open_cols[3]
    cases = np.empty(bn.size, dtype=np.int64)
    n = cases_to_coordinate(h, *open_cols, cases)
    if not n:
        return np.empty((0, 7), dtype=np.int64), np.empty((0, 3)), 0
    cases = cases[:n]
    (
        _purpose,
        _keys,
        _standing,
        _participants,
        _compliance,
        _response_h,
        brun,
        bx,
        by,
        _bn,
        bid,
        _bfirst,
        _bcoord,
        _btasked,
        _bdeclined,
        _banswer,
        bpend_v,
        bpend_x,
        bpend_y,
        bpend_h,
        _div_aversion,
        _port_x,
        _port_y,
        _port_safe,
        _stand_by,
    ) = coord_cols  # (the columns this phase reads by name; the rest it hands on)
    vx, vy = vessels.vx, vessels.vy
    m = n * (V + 1)  # at most every vessel declines, then one more action
    ev_i, ev_f = np.empty((n + m, 7), dtype=np.int64), np.empty((n + m, 3))
    k = 0
    n_pend = 0
    for b in cases:
        n_pend += bpend_v[b] >= 0
    if n_pend:
        pend = np.empty(n_pend, dtype=np.int64)
        j = 0
        for b in cases:
            if bpend_v[b] >= 0:
                pend[j] = b
                j += 1
        for b in np.sort(pend):  # (the log lists them in row order)
            k = event_row(
                ev_i,
                ev_f,
                k,
                h,
                ev_codes[0],
                brun[b],
                bid[b],
                bpend_v[b],
                -1,
                bn[b],
                bpend_x[b],
                bpend_y[b],
                float(bpend_h[b]),
            )
            bpend_v[b] = -1
    kind, case, vessel, state, eta = (
        np.empty(m, dtype=np.int64),
        np.empty(m, dtype=np.int64),
        np.empty(m, dtype=np.int64),
        np.empty(m, dtype=np.int64),
        np.empty(m),
    )
    n_act = rcc_tasking(h, cases, *coord_cols[:20], V, vessels, *coord_cols[20:], kind, case, vessel, state, eta)
    for i in range(n_act):
        b, v, r = case[i], vessel[i], brun[case[i]]
        if kind[i] == TASK_LATER or kind[i] == DECLINE:
            case_ledger[r, cm_declines] += 1.0
            day_case[r, cm_declines] += 1.0
        if kind[i] == HAND_OVER:
            k = event_row(ev_i, ev_f, k, h, ev_codes[2], r, bid[b], v, state[i], 0, bx[b], by[b], 2.0)
        elif kind[i] == DECLINE:
            k = event_row(ev_i, ev_f, k, h, ev_codes[0], r, bid[b], v, -1, bn[b], vx[v], vy[v], -1.0)
        else:
            k = event_row(
                ev_i,
                ev_f,
                k,
                h,
                ev_codes[1],
                r,
                bid[b],
                v,
                state[i],
                bn[b],
                vx[v],
                vy[v],
                eta[i] if kind[i] == TASK else -1.0,
            )
    return ev_i, ev_f, k
