"""The rescue vessels' hour, compiled: moving, taking people aboard, unloading in port.

:func:`vessels_hour` moves every vessel and sorts out who is on scene, who wants a port and who
lands; :func:`rescue` takes people aboard; :func:`unload` empties a ship in port.
"""

from __future__ import annotations

import numba
import numpy as np

from model.rules.rescue import approach_capsize_probability as _approach_p
from model.rules.scalar import detention_hours as _detention_hours
from model.rules.scalar import heads_home as _heads_home
from model.rules.scalar import move_toward, wants_port
from model.rules.scalar import seized as _seized
from model.rules.vessel_hour import ASK_PORT, LAND, LEFT_PORT, RESCUE, TARGET_GONE, vessel_hour
from model.vector_engine.boats import capsize, harm, intercept
from model.vector_engine.columns import (
    EV_INTERCEPTION,
    EV_RESCUE,
    FAILED,
    KIND_MERCHANT,
    KIND_NGO,
    PM_RESCUED,
    ST_ABOARD,
    ST_AT_SEA,
    STILL_SAILING,
    add_counts,
    event_row,
)
from model.vector_engine.kernels import add_people_row, take_one, uniform
from model.vector_engine.state import CAPSIZED, DISTRESS, IN_PORT, PATROL, SAILING, TASKED, TO_HOME, TO_PORT


@numba.njit(cache=True)
def rescue(
    # the hour, vessel rows and their boats, purposes, columns
    h,
    v,
    b,
    u_approach,
    u_kill,
    u_capsize_k,
    u_take,
    u_retry,
    streams,
    boats,
    ledger,
    # vessels
    vessels,
    # the state the first boat rescued was heading for; each network's (disembarkation.heading_state)
    net_heading,
    ev_i,
    ev_f,
    go,
):
    """:func:`.phases.rescue` for vessel rows ``v`` on scene of boat rows ``b``.

    Returns (number of vessels that now ask for a port, written to ``go`` in row order; number of
    event rows written), or (FAILED or STILL_SAILING, 0).
    """
    vcap = vessels.vcap
    vn = vessels.vn
    vreturns = vessels.vreturns
    vflag = vessels.vflag
    vkind = vessels.vkind
    vhome = vessels.vhome
    vbatch = vessels.vbatch
    vmax_hours = vessels.vmax_hours
    hours_with_people = vessels.hours_with_people
    aboard = vessels.aboard
    vtarget = vessels.vtarget
    vstatus = vessels.vstatus
    vport = vessels.vport
    vcase = vessels.vcase
    rescue_srr = vessels.rescue_srr
    rescue_coord = vessels.rescue_coord
    rescue_heading = vessels.rescue_heading
    keys, approach_p = streams.keys, streams.approach_p
    brun, bid, bnet, bstatus, bx, by, bsrr, bcoord, bn, bpeople, btasked = (
        boats.brun,
        boats.bid,
        boats.bnet,
        boats.bstatus,
        boats.bx,
        boats.by,
        boats.bsrr,
        boats.bcoord,
        boats.bn,
        boats.bpeople,
        boats.btasked,
    )
    status, person, day_person, rescued_by_actor = (
        ledger.status,
        ledger.person,
        ledger.day_person,
        ledger.rescued_by_actor,
    )
    m, T = v.size, bpeople.shape[1]
    k = 0
    n = np.zeros(m, dtype=np.int64)
    taken = np.zeros((m, T), dtype=np.int64)
    capsized = np.zeros(m, dtype=np.bool_)
    for i in range(m):  # who capsizes as the vessel approaches (decided before any does)
        vtarget[v[i]] = -1
        r = brun[b[i]]
        p = _approach_p(approach_p[r], vkind[v[i]] == KIND_MERCHANT, streams.merchant_approach[r])
        capsized[i] = (
            bstatus[b[i]] == DISTRESS and uniform(keys[r], u_approach, h, bid[b[i]], 0) < p
        )  # (a patrol may reach a boat still sailing)
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
        add_counts(bpeople[bi], taken[i], -1)
        bn[bi] -= n[i]
        btasked[bi] = -1
    for i in range(m):  # departure states' vessels return the people they take
        vi, bi, r = v[i], b[i], brun[b[i]]
        if vreturns[vi] and n[i] > 0:
            k = event_row(ev_i, ev_f, k, h, EV_INTERCEPTION, r, bid[bi], vi, vflag[vi], n[i], bx[bi], by[bi], np.nan)
    for i in range(m):
        vi, bi = v[i], b[i]
        if (
            vreturns[vi]
            and n[i] > 0
            and intercept(h, brun[bi], vflag[vi], taken[i], bid[bi], bnet[bi], u_retry, streams, ledger) < 0
        ):
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
        add_counts(aboard[vi], taken[i], 1)
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
def unload(
    # ships
    h,
    v,
    vessels,
    keys,
    u_detain,
    detain_p,
    detain_days,
    u_seize,
    seize_p,
    end_hour,  # detention and seizure
    people,
    run,
    port,
    case,
    reloc,  # outputs
):
    """The ships' side of :func:`.phases.disembark` for ship rows ``v``.

    Copies each ship's people, run, port, case and relocation flag into the outputs, then empties
    the ship and sends it back on patrol, or to rest in port at the end of its endurance or when
    it is out of service (:func:`model.rules.rescue.heads_home`); an NGO ship may then be held in
    port (``detain_p``, ``detain_days`` per run: :func:`model.rules.rescue.detention_hours`), or
    seized and held to ``end_hour`` (``seize_p``: :func:`model.rules.rescue.seized`).
    """
    aboard = vessels.aboard
    vn = vessels.vn
    vrun = vessels.vrun
    vport = vessels.vport
    vcase = vessels.vcase
    relocate = vessels.relocate
    hours_with_people = vessels.hours_with_people
    rescue_srr = vessels.rescue_srr
    rescue_coord = vessels.rescue_coord
    vstatus = vessels.vstatus
    vendurance = vessels.vendurance
    days_at_sea = vessels.days_at_sea
    rest_until = vessels.rest_until
    vport_days = vessels.vport_days
    vblocked = vessels.vblocked
    vkind = vessels.vkind
    vidx = vessels.vidx
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
        if (
            vkind[vi] == KIND_NGO
            and seize_p[r] > 0.0
            and _seized(uniform(keys[r], u_seize, h, vidx[vi], 0), seize_p[r])
        ):
            vstatus[vi] = IN_PORT
            rest_until[vi] = end_hour  # held to the end of the run


@numba.njit(cache=True)
def vessels_hour(
    h,
    vessels,
    # merchants' lanes (compact), boats, ports
    lane_row,
    lane_to,
    lane_back,
    lane_y,
    bn,
    bx,
    by,
    bstatus,
    port_x,
    port_y,
    out_rescue,
    out_patrol,
    out_landing,
    active,
    busy,
):
    """The hour of every vessel, each acting on its status at the start of the hour.

    Counts hours with people aboard; tasked vessels head for their boat (back on patrol if it is
    gone); merchants on patrol sail their lane, other vessels off station return to it; vessels
    bound for a port sail there, and those going home rest on arrival; rested ones leave port.
    What needs the array code next is written into the ``out_`` arrays, in row order: tasked
    vessels on scene (rescue), patrolling vessels with people aboard that now ask for a port
    (:func:`~model.rules.rescue.wants_port`), vessels at the port where they land people. Returns how many rows each
    holds.

    Most vessels have nothing to do in an hour (on patrol idle on station, resting in port, waiting
    for a port); a first pass without branches marks the others in the scratch array ``busy`` (bool),
    a second lists them into the scratch array ``active`` (both as long as the vessel columns), and
    only those take the branches below. (Marking and listing in two passes lets the compiler
    vectorise the marking: 0.8 against 2.1 ns per row in one pass, measured with the columns in cache.)
    Merchants on patrol with no one aboard, the most common busy vessels, only sail their lanes:
    they go first, in a loop of their own over the lanes (``lane_row``: each lane's vessel row),
    which touches nothing any other vessel reads, so the order changes no result.
    """
    vstatus, vn, vx, vy, vspeed, vmerchant, vblocked, vport_days = (
        vessels.vstatus,
        vessels.vn,
        vessels.vx,
        vessels.vy,
        vessels.vspeed,
        vessels.vmerchant,
        vessels.vblocked,
        vessels.vport_days,
    )
    hours_with_people, vtarget, at_station, sx, sy, vport, rest_until, days_at_sea = (
        vessels.hours_with_people,
        vessels.vtarget,
        vessels.at_station,
        vessels.sx,
        vessels.sy,
        vessels.vport,
        vessels.rest_until,
        vessels.days_at_sea,
    )
    vcap, vbatch, vmax_hours, lane_k, vscene, vapproach, vper100 = (
        vessels.vcap,
        vessels.vbatch,
        vessels.vmax_hours,
        vessels.lane_k,
        vessels.vscene,
        vessels.vapproach,
        vessels.vper100,
    )
    n_rescue = n_patrol = n_landing = 0
    for r in range(vstatus.size):  # (a merchant on patrol with no one aboard sails its lane in the loop below)
        st = vstatus[r]
        busy[r] = (
            ((st == PATROL) & (((lane_k[r] < 0) & (not at_station[r])) | (vn[r] > 0)))
            | (st == TASKED)
            | (st == TO_PORT)
            | (st == TO_HOME)
            | ((st == IN_PORT) & (h >= rest_until[r]))
        )
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
        # Read only what this status needs and write back only what changed: the active rows are
        # scattered, so each column read is a cache miss (the rule ignores the rest).
        x0, y0 = vx[v], vy[v]
        tx, ty, t_n, t_capsized = x0, y0, 0, False  # where it heads (by default: it stays put)
        aboard, cap, hours0, scene0, rest0 = 0, 1.0, 0, -1, -1
        approach = per100 = batch = max_hours = rest_days = 0.0
        kept = False
        k = -1
        if st == TASKED:
            aboard, cap, hours0, scene0 = vn[v], vcap[v], hours_with_people[v], vscene[v]
            approach, per100 = vapproach[v], vper100[v]
            t = vtarget[v]
            if t >= 0:
                tb = np.uint64(t)
                tx, ty, t_n, t_capsized = bx[tb], by[tb], bn[tb], bstatus[tb] == CAPSIZED
        elif st == PATROL:
            aboard, cap, hours0, batch, max_hours = vn[v], vcap[v], hours_with_people[v], vbatch[v], vmax_hours[v]
            k = lane_k[v]
            if k >= 0:
                tx, ty = lane_to[np.uint64(k)], lane_y[np.uint64(k)]
            elif not at_station[v]:
                tx, ty = sx[v], sy[v]
        elif st == TO_PORT or st == TO_HOME:
            tx, ty = port_x[np.uint64(vport[v])], port_y[np.uint64(vport[v])]
            rest0, rest_days = rest_until[v], 1.0 if vmerchant[v] else vport_days[v]
        elif st == IN_PORT:
            rest0, kept = rest_until[v], vblocked[v]
        status, vx[v], vy[v], arrived, action, hours, scene, rest = vessel_hour(
            h,
            st,
            x0,
            y0,
            vspeed[v],
            aboard,
            cap,
            hours0,
            scene0,
            tx,
            ty,
            t_n,
            t_capsized,
            approach,
            per100,
            batch,
            max_hours,
            rest0,
            rest_days,
            kept,
        )
        if status != st:
            vstatus[v] = status
        if hours != hours0:
            hours_with_people[v] = hours
        if scene != scene0:
            vscene[v] = scene
        if rest != rest0:
            rest_until[v] = rest
        if action == TARGET_GONE:
            vtarget[v] = -1
        elif action == RESCUE:
            out_rescue[n_rescue] = v
            n_rescue += 1
        elif action == ASK_PORT:
            out_patrol[n_patrol] = v
            n_patrol += 1
        elif action == LAND:
            out_landing[n_landing] = v
            n_landing += 1
        elif action == LEFT_PORT:
            days_at_sea[v] = 0.0
        if st == PATROL:
            if k >= 0:
                if arrived:
                    j = np.uint64(k)
                    lane_to[j], lane_back[j] = lane_back[j], lane_to[j]
            else:
                at_station[v] = arrived
        elif (st == TASKED and action != TARGET_GONE) or st == TO_PORT or st == TO_HOME:
            at_station[v] = False
    return n_rescue, n_patrol, n_landing
