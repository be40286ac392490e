"""Places of safety, compiled: ships ask states for a port (:func:`request`), and people land (:func:`land`).

A state's answer is the rule both engines call (``model/rules/disembarkation.state_accepts``).
"""

from __future__ import annotations

import numba
import numpy as np

from model.geography import nearest_safe_ports
from model.rules.disembarkation import STANDING, portless_flag_state, request_order_row, stance_row, state_accepts
from model.rules.landing import ROTATION, eligible_states, framework_landing_state, next_turn
from model.rules.reception import occupancy_ratio
from model.vector_engine.columns import (
    CM_REFUSALS,
    CM_REQUESTS,
    EV_ACCEPTANCE,
    EV_REFUSAL,
    EV_REQUEST,
    PM_ARRIVALS,
    ST_LANDED,
    event_row,
)
from model.vector_engine.kernels import add_people_row, uniform
from model.vector_engine.state import TO_PORT


@numba.njit(cache=True)
def request(
    # ships
    h,
    v,
    keys,
    u_accept,
    vessels,
    # each run's scenario: request steps (codes, per variant), framework
    variant,
    steps,
    n_steps,
    participants,
    framework,
    # a standing framework's landing rule (model/rules/landing.py): rule, hub, ranks, caps; landed this year, turn,
    # landed in all
    landing,
    port_x,
    port_y,
    port_state,
    port_safe,
    vulnerable_type,
    occ,
    capacity,
    recent_sum,
    stance,  # states, per run (stance: disembarkation.Stance, runs x states)
    # ships' headings and pledges, states' precedents, whether the coordinating state is asked, places of safety
    reasons,
    case,
    day_case,
    refusals_by_state,
    ev_i,
    ev_f,
    accepted,
):
    """:meth:`.step.Batch.request` for ship rows ``v``: ask states in the scenario's order until one accepts.

    Each state in the order is asked in turn; the first that accepts gives the port (the ship sails
    to that state's nearest safe port). Returns (ships that found a port, written to ``accepted`` in
    row order; event rows written).
    """
    vrun = vessels.vrun
    vidx = vessels.vidx
    vx = vessels.vx
    vy = vessels.vy
    vflag = vessels.vflag
    vkind = vessels.vkind
    vcase = vessels.vcase
    vn = vessels.vn
    aboard = vessels.aboard
    rescue_srr = vessels.rescue_srr
    rescue_coord = vessels.rescue_coord
    refused_days = vessels.refused_days
    asked = vessels.asked
    relocate = vessels.relocate
    vstatus = vessels.vstatus
    vport = vessels.vport
    S = occ.shape[1]
    k = n_acc = 0
    dist = np.empty(S)
    nearest = np.empty(S, dtype=np.int64)
    order = np.empty(S, dtype=np.int64)
    cand, seen = (
        np.empty(1 + steps.shape[1] * S, dtype=np.int64),
        np.empty(S, dtype=np.bool_),
    )  # scratch of request_order_row
    l_rule, l_hub, l_rank, l_caps, fw_year, fw_turn, fw_landed = landing
    bound, first, free = np.zeros(S, dtype=np.bool_), np.zeros(S, dtype=np.bool_), np.empty(S)
    rescue_heading, pledged, precedent, asks_coord, safe = reasons
    for i in range(v.size):
        vi = v[i]
        r = vrun[vi]
        nearest_safe_ports(
            vx[vi], vy[vi], port_x, port_y, port_state, port_safe, dist, nearest
        )  # each state's, and its distance
        j = variant[r]
        n = vn[vi]
        st = stance_row(stance, r)
        if (
            framework[r] == STANDING
        ):  # the participants bound to land the group, and the one the landing rule names first
            eligible_states(dist, participants[r], float(n), fw_year[r], l_caps[r], bound)
            for s in range(S):
                free[s] = capacity[r, s] - occ[r, s]
            named = framework_landing_state(
                l_rule[r], dist, bound, rescue_srr[vi], l_hub[r], l_rank[r], fw_turn[r], float(n), free
            )
            for s in range(S):
                first[s] = s == named
        else:
            bound[:] = False
            first[:] = participants[r]
        skip = -1 if asks_coord[r] else rescue_coord[vi]
        request_order_row(
            steps[j, : n_steps[j]],
            rescue_coord[vi],
            rescue_srr[vi],
            vflag[vi],
            dist,
            first,
            framework[r],
            skip,
            cand,
            seen,
            order,
        )
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
            p = state_accepts(
                st,
                s,
                occupancy_ratio(occ[r, s], capacity[r, s]),
                recent_sum[r, s] / 1000.0,
                precedent[r, s],
                vkind[vi],
                vflag[vi],
                rescue_srr[vi],
                vuln,
                heading,
                guaranteed,
                refused_days[vi],
            )
            yes = uniform(keys[r], u_accept, h, vidx[vi], (refused_days[vi] % 16) * 16 + c) < p
            n_asked += 1
            k = event_row(ev_i, ev_f, k, h, EV_REQUEST, r, vcase[vi], vi, s, n, vx[vi], vy[vi], np.nan)
            k = event_row(
                ev_i, ev_f, k, h, EV_ACCEPTANCE if yes else EV_REFUSAL, r, vcase[vi], vi, s, n, vx[vi], vy[vi], np.nan
            )
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
        fs = (
            portless_flag_state(steps[j, : n_steps[j]], vflag[vi], dist, safe[r])
            if n_refused == n_asked and not pledged[vi]
            else -1
        )
        if fs >= 0:  # all refused: a flag state without a port can only pledge to take the people (ODD 7.25)
            p = state_accepts(
                st,
                fs,
                occupancy_ratio(occ[r, fs], capacity[r, fs]),
                recent_sum[r, fs] / 1000.0,
                precedent[r, fs],
                vkind[vi],
                vflag[vi],
                rescue_srr[vi],
                vuln,
                heading,
                False,
                refused_days[vi],
            )
            yes = uniform(keys[r], u_accept, h, vidx[vi], (refused_days[vi] % 16) * 16 + S) < p
            n_asked += 1
            k = event_row(ev_i, ev_f, k, h, EV_REQUEST, r, vcase[vi], vi, fs, n, vx[vi], vy[vi], np.nan)
            k = event_row(
                ev_i, ev_f, k, h, EV_ACCEPTANCE if yes else EV_REFUSAL, r, vcase[vi], vi, fs, n, vx[vi], vy[vi], np.nan
            )
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
def land(
    h,
    run,
    port,
    people,
    src,
    code,
    case,
    vessel,
    port_state,
    port_x,
    port_y,
    landed,
    status,
    person,
    day_person,
    arrivals_by_state,
    occ,
    today,
    ev_i,
    ev_f,
):
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
