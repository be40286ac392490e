"""RCC tasking of one open distress case: the rule both engines call, once per case and hour.

The coordinating RCC sends the candidate with the earliest arrival (as in ``model/rules/rescue.py``).
A merchant master may decline (:func:`model.rules.rescue.merchant_accept_probability`, lowered by
the diversion he fears); if masters answer at once the RCC tries the next earliest, if answers
take time it waits for this one before sending anyone else. With no candidate left, an RCC with no
free vessel of its own hands the case to the first RCC alerted (the seed paper's Elizabeth case).

Who is a candidate is :func:`may_send`; the rule takes the candidates' indices. The engines keep
their own bookkeeping (the Mesa agents' attributes, the vectorised engine's columns) and apply the
actions this rule returns.

The rule draws no random numbers: a master's answer needs one uniform, and the rule asks for it.
It returns the action :data:`DRAW` naming the vessel whose uniform it needs; the caller draws it
from its own stream, stores it in ``u`` and calls again, which repeats the same actions before it
and goes on. So the Mesa engine draws from its generator exactly when a master is asked, and the
vectorised engine from its counter-based stream, each as before.
"""

from __future__ import annotations

import numba
import numpy as np

from model.rules.scalar import (
    available,
    can_task,
    diversion_compliance,
    eta_hours,
    hands_over,
    merchant_accept,
    nearest_safe_port_km,
    stands_by,
)

#: What the rule did, one action per row, in the order taken: a vessel sent; a master asked who will
#: answer later (nobody else is sent meanwhile); a master who declined; the case handed over; a
#: uniform needed (see the module's docstring).
TASK, TASK_LATER, DECLINE, HAND_OVER, DRAW = range(5)


@numba.njit(cache=True, inline="always")
def may_send(
    on_patrol: bool,
    free: float,
    withdrawn: bool,
    declined: bool,
    merchant: bool,
    fleet_taskable: bool,
    standing: bool,
    coord_participates: bool,
    flag_participates: bool,
    coordinator_stand_by: bool,
) -> bool:
    """Whether the coordinating RCC may send this vessel to this case now.

    It is free (:func:`~model.rules.rescue.available`), has not declined the case, the RCC may task
    it (:func:`~model.rules.rescue.can_task`) and is not telling it to stand by.
    """
    return (
        available(on_patrol, free, withdrawn)
        and not declined
        and can_task(merchant, fleet_taskable, standing, coord_participates, flag_participates)
        and not stands_by(merchant, coordinator_stand_by)
    )


@numba.njit(cache=True, inline="always")
def task_case(
    bx: float,
    by: float,
    aboard: int,
    coordinating: int,
    first_alerted: int,
    own_free: bool,
    vx: np.ndarray,
    vy: np.ndarray,
    speed_kmh: np.ndarray,
    free: np.ndarray,
    merchant: np.ndarray,
    candidates: np.ndarray,
    n_candidates: int,
    u: np.ndarray,
    compliance: float,
    aversion_per_100km: float,
    port_x: np.ndarray,
    port_y: np.ndarray,
    port_safe: np.ndarray,
    answer_hours: float,
    kind: np.ndarray,
    vessel: np.ndarray,
    eta: np.ndarray,
    bound: np.ndarray,
    hours: np.ndarray,
) -> int:
    """What the coordinating RCC does for one case this hour; returns how many actions it wrote.

    The case: a boat at (``bx``, ``by``) with ``aboard`` people, coordinated by state
    ``coordinating``, first alerted ``first_alerted``; ``own_free``: a vessel of the coordinating
    RCC's own is free. The vessels (one entry each, in fleet order): position, speed, free places,
    whether a merchant ship, and ``u``, the uniform of its master's answer (NaN until drawn);
    ``candidates[:n_candidates]``: the indices of those the RCC may send (:func:`may_send`), in
    fleet order (only their entries of ``free`` and ``u`` are read; a count, not a slice, so that a
    compiled caller makes no array per case). The masters' ``compliance``, their
    ``aversion_per_100km`` of the diversion to the nearest safe port (``port_*``), and the hours
    their answers take.

    Writes each action (``kind``: :data:`TASK`, :data:`TASK_LATER`, :data:`DECLINE`,
    :data:`HAND_OVER` or :data:`DRAW`), the vessel's index (-1 for a hand-over) and its ETA in
    hours into the output arrays, which need room for one row per candidate plus one. ``bound`` and
    ``hours`` are scratch space, at least one entry per candidate (the caller allocates them once
    for many cases).
    """
    n = n_candidates
    # bound: a lower bound of each candidate's arrival (inf: ruled out); hours: the exact arrival,
    # computed only where the bound does not rule it out (NaN: not yet)
    for i in range(n):
        j = candidates[i]
        # hypot(dx, dy) >= max(|dx|, |dy|), also rounded: the exact time only where it may matter
        bound[i] = max(abs(vx[j] - bx), abs(vy[j] - by)) / speed_kmh[j]
        hours[i] = np.nan
    port_km = np.nan  # the diversion a master fears, computed once if needed
    k = 0
    while True:
        best, at = np.inf, -1
        for i in range(n):
            if bound[i] < np.inf and bound[i] <= best:
                if np.isnan(hours[i]):
                    j = candidates[i]
                    hours[i] = eta_hours(vx[j], vy[j], speed_kmh[j], bx, by)
                if hours[i] < best:
                    best, at = hours[i], i
        if at < 0:
            if hands_over(coordinating, first_alerted, own_free):
                kind[k], vessel[k], eta[k] = HAND_OVER, -1, np.inf
                k += 1
            return k
        pick = candidates[at]
        if merchant[pick]:
            if np.isnan(u[pick]):
                kind[k], vessel[k], eta[k] = DRAW, pick, best
                return k + 1
            if np.isnan(port_km):
                port_km = nearest_safe_port_km(bx, by, port_x, port_y, port_safe) if aversion_per_100km > 0.0 else 0.0
            p = merchant_accept(diversion_compliance(compliance, aversion_per_100km, port_km), free[pick], aboard)
            if u[pick] >= p:
                bound[at] = np.inf
                if answer_hours > 0:  # the master answers later; nobody else is sent meanwhile
                    kind[k], vessel[k], eta[k] = TASK_LATER, pick, best
                    return k + 1
                kind[k], vessel[k], eta[k] = DECLINE, pick, best
                k += 1
                continue
        kind[k], vessel[k], eta[k] = TASK, pick, best
        return k + 1


@numba.njit(cache=True)
def needs_draw(kind: np.ndarray, vessel: np.ndarray, n: int) -> int:
    """The vessel whose master's uniform :func:`task_case` asks for, or -1 if it finished."""
    return vessel[n - 1] if n > 0 and kind[n - 1] == DRAW else -1
