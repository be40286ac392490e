"""A migrant boat's hour at sea: the rule both engines call for each boat, each hour.

Three events can end a boat's crossing before it lands: its departure state's patrols stop it
near where it left, it falls into distress (while sailing), and it capsizes (once in distress).
Each has an hourly chance (:mod:`model.rules.crossing`) and happens in the first hour its summed
hazard ``-log(1 - p)`` passes an Exp(1) threshold drawn once for the boat: the same law as one
draw with chance ``p`` every hour, with one draw per event instead of one per hour. The
interception and distress thresholds are drawn at launch, the capsize threshold when distress
begins (:func:`threshold`).

When distress begins, :func:`detection_hour` draws when the case reaches an RCC: a call, made
with some chance and after an exponential delay, or a sighting, a chance each hour (a geometric
wait), whichever comes first.

A boat's hazard state is a row of :class:`Hazards` (the vectorised engine's columns, one row per
boat of every run; the Mesa engine's boat holds a table of one row, :func:`one_boat`). The rule
updates the row and returns which event happened; each engine carries the event out (who dies,
who returns, what is logged) with its own bookkeeping. It draws no random numbers: thresholds and
detection take uniforms, which each engine draws from its own stream.
"""

from __future__ import annotations

from typing import NamedTuple

import numba
import numpy as np

from model.rules.crossing import (
    aboard_death_probability,
    capsize_probability,
    distance,
    distress_probability,
    interception_probability,
)

#: A boat's status (the Mesa agents keep the names, the vectorised engine the codes).
SAILING, DISTRESS, CAPSIZED = range(3)
STATUS_NAMES = ("sailing", "distress", "capsized")

#: What happened to the boat this hour: nothing; stopped by its departure state's patrols; fell
#: into distress; capsized.
NOTHING, INTERCEPTED, DISTRESSED, CAPSIZES = range(4)


class Hazards(NamedTuple):
    """The boats' hazard columns, one row per boat (numba accepts the named tuple).

    Each hazard (interception, distress, capsize) is a cumulative hazard against a threshold drawn
    once (``bhaz_*``, ``bthr_*``), with the conditions its last hourly step was taken under
    (``bstep_*``: the step is kept while they are unchanged; nan: none yet).
    """

    bstate: np.ndarray  # the departure state whose patrols may stop the boat (-1: none)
    box: np.ndarray  # where it left
    boy: np.ndarray
    bzone: np.ndarray  # the patrols' zone (km from where it left; -inf once the boat has left it for good)
    bint_p: np.ndarray  # their hourly chance
    bhaz_int: np.ndarray
    bthr_int: np.ndarray
    bfuel: np.ndarray  # km of fuel left
    bdist_base: np.ndarray  # the boat type's hourly distress chance
    bover: np.ndarray  # overload (people / rated capacity)
    bover_exp: np.ndarray
    bno_fuel: np.ndarray  # distress out of fuel
    bhaz: np.ndarray  # distress
    bthr: np.ndarray
    bcap_mean: np.ndarray  # mean hours to capsize in distress
    bhaz_cap: np.ndarray
    bthr_cap: np.ndarray
    bstep_int: np.ndarray
    bstep_dis: np.ndarray
    bstep_dis_w: np.ndarray
    bstep_dis_fuel: np.ndarray
    bstep_cap: np.ndarray
    bstep_cap_w: np.ndarray
    bdis_hours: np.ndarray  # capsize checks passed in distress
    bdeter: np.ndarray  # the boat type's deterioration per hour in distress
    bafloat: np.ndarray  # hours afloat
    baboard: np.ndarray  # the boat type's deaths aboard per hour


@numba.njit(cache=True)
def threshold(u: float) -> float:
    """An Exp(1) threshold from the uniform ``u`` in (0, 1]."""
    return -np.log(u)


@numba.njit(cache=True)
def hazard(p: float) -> float:
    """The cumulative hazard of an hour with event probability ``p`` (inf when certain)."""
    return -np.log1p(-min(p, 1.0))


@numba.njit(cache=True)
def start(
    hz: Hazards,
    b: int,
    state: int,
    x: float,
    y: float,
    zone_km: float,
    interception_per_hour: float,
    fuel_km: float,
    distress_base: float,
    overload: float,
    overload_exponent: float,
    no_fuel: float,
    capsize_mean_hours: float,
    deterioration: float,
    aboard_death: float,
    thr_distress: float,
    thr_interception: float,
) -> None:
    """Row ``b`` of ``hz`` for a boat launched at (``x``, ``y``) with its type's and departure state's values."""
    hz.bstate[b], hz.box[b], hz.boy[b], hz.bzone[b], hz.bint_p[b] = state, x, y, zone_km, interception_per_hour
    hz.bfuel[b], hz.bover[b] = fuel_km, overload
    hz.bdist_base[b], hz.bover_exp[b], hz.bno_fuel[b], hz.bcap_mean[b] = (
        distress_base,
        overload_exponent,
        no_fuel,
        capsize_mean_hours,
    )
    hz.bhaz[b], hz.bthr[b], hz.bhaz_int[b], hz.bthr_int[b], hz.bhaz_cap[b], hz.bthr_cap[b] = (
        0.0,
        thr_distress,
        0.0,
        thr_interception,
        0.0,
        np.inf,
    )
    hz.bstep_int[b] = hz.bstep_dis[b] = hz.bstep_dis_w[b] = hz.bstep_dis_fuel[b] = np.nan
    hz.bstep_cap[b] = hz.bstep_cap_w[b] = np.nan
    hz.bdis_hours[b], hz.bdeter[b] = 0.0, deterioration
    hz.bafloat[b], hz.baboard[b] = 0.0, aboard_death


def one_boat(**values: float) -> Hazards:
    """A table of one row (the Mesa engine's boat), started with :func:`start`'s keyword arguments."""
    hz = Hazards(*(np.zeros(1, dtype=np.int64 if f == "bstate" else np.float64) for f in Hazards._fields))
    start(hz, 0, **values)
    return hz


@numba.njit(cache=True)
def hazards_hour(
    rows: np.ndarray,
    status: np.ndarray,
    aboard: np.ndarray,
    tasked: np.ndarray,
    x: np.ndarray,
    y: np.ndarray,
    run: np.ndarray,
    weather: np.ndarray,
    hz: Hazards,
    events: np.ndarray,
) -> None:
    """The hour's hazards of the boats ``rows``: ``events[i]`` is what happened to boat ``rows[i]``.

    Boat ``b``'s status, people aboard, the vessel tasked to it (-1: none) and position are
    ``status[b]``, ``aboard[b]``, ``tasked[b]``, ``x[b]``, ``y[b]``; its sea's hazard multiplier
    ``weather[run[b]]``; its hazards row ``b`` of ``hz``. A boat with people aboard, not capsized
    and not yet tasked to a rescuer may be stopped by its departure state's patrols while inside
    their zone; if not, a sailing boat may fall into distress and a boat in distress may capsize
    (its checks in distress counted). The engine carries out each event (:func:`start_distress`
    for DISTRESSED). A loop over rows, not a call per boat: the columns are taken from ``hz`` once.
    """
    bstate, box, boy, bzone, bint_p = hz.bstate, hz.box, hz.boy, hz.bzone, hz.bint_p
    bhaz_int, bthr_int, bhaz, bthr, bhaz_cap, bthr_cap = (
        hz.bhaz_int,
        hz.bthr_int,
        hz.bhaz,
        hz.bthr,
        hz.bhaz_cap,
        hz.bthr_cap,
    )
    bfuel, bdist_base, bover, bover_exp, bno_fuel = hz.bfuel, hz.bdist_base, hz.bover, hz.bover_exp, hz.bno_fuel
    bcap_mean, bdis_hours, bdeter = hz.bcap_mean, hz.bdis_hours, hz.bdeter
    step_int, step_dis, step_dis_w, step_dis_fuel = hz.bstep_int, hz.bstep_dis, hz.bstep_dis_w, hz.bstep_dis_fuel
    step_cap, step_cap_w = hz.bstep_cap, hz.bstep_cap_w
    for i in range(rows.size):
        b = rows[i]
        events[i] = NOTHING
        if aboard[b] <= 0:
            continue
        st = status[b]
        if bstate[b] >= 0 and st != CAPSIZED and tasked[b] < 0 and bzone[b] >= 0.0:
            d = distance(x[b] - box[b], y[b] - boy[b])
            if d > bzone[b] + 1.0:  # out of the zone for good: a boat only moves away from its departure point
                bzone[b] = -np.inf
            p = interception_probability(d, bzone[b], bint_p[b])
            if p > 0:
                if np.isnan(step_int[b]):  # (the chance in the zone is the boat's constant)
                    step_int[b] = hazard(p)
                bhaz_int[b] += step_int[b]
                if bhaz_int[b] >= bthr_int[b]:
                    events[i] = INTERCEPTED
                    continue
        if st == SAILING:
            w, dry = weather[run[b]], 1.0 if bfuel[b] <= 0 else 0.0
            if w != step_dis_w[b] or dry != step_dis_fuel[b]:  # the weather or the fuel changed: a new step
                p = distress_probability(bdist_base[b], bover[b], bover_exp[b], w, dry > 0.0, bno_fuel[b])
                step_dis[b], step_dis_w[b], step_dis_fuel[b] = hazard(p), w, dry
            bhaz[b] += step_dis[b]
            if bhaz[b] >= bthr[b]:
                events[i] = DISTRESSED
        elif st == DISTRESS:
            w = weather[run[b]]
            if w != step_cap_w[b] or bdeter[b] > 0.0:  # a deteriorating boat's step changes every hour
                step_cap[b], step_cap_w[b] = hazard(capsize_probability(bcap_mean[b], w, bdis_hours[b], bdeter[b])), w
            bdis_hours[b] += 1.0
            bhaz_cap[b] += step_cap[b]
            if bhaz_cap[b] >= bthr_cap[b]:
                events[i] = CAPSIZES


@numba.njit(cache=True)
def aboard_death_hour(rows: np.ndarray, status: np.ndarray, aboard: np.ndarray, hz: Hazards, p: np.ndarray) -> None:
    """``p[i]``: the chance that each person aboard boat ``rows[i]`` dies this hour, or -1 (none).

    Only boats still afloat with people aboard, when deaths aboard are switched on for their type;
    their hours afloat are counted.
    """
    baboard, bafloat, bover = hz.baboard, hz.bafloat, hz.bover
    for i in range(rows.size):
        b = rows[i]
        p[i] = -1.0
        if baboard[b] > 0.0 and status[b] != CAPSIZED and aboard[b] > 0:
            bafloat[b] += 1.0
            p[i] = aboard_death_probability(baboard[b], bover[b], bafloat[b])


@numba.njit(cache=True)
def detection_hour(
    h: int,
    u_report: float,
    u_delay: float,
    u_sight: float,
    report_p: float,
    call_delay_mean_hours: float,
    sighting_p: float,
) -> float:
    """The hour a boat falling into distress at hour ``h`` becomes known to an RCC (inf: never, unless rescued).

    A call is made with chance ``report_p`` and arrives after an exponential delay (checked hourly:
    found at the first hour on or after it); the boat is also seen with chance ``sighting_p`` each
    hour from now on (a geometric wait). Uniforms ``u_*`` in (0, 1].
    """
    call = np.inf
    if u_report < report_p:
        delay = call_delay_mean_hours * -np.log(u_delay) if call_delay_mean_hours > 0 else 0.0
        call = np.ceil(h + delay)
    if sighting_p >= 1.0:
        sight = float(h)
    elif sighting_p > 0.0:
        sight = h + np.floor(np.log(u_sight) / np.log1p(-sighting_p))
    else:
        sight = np.inf
    return min(call, sight)


@numba.njit(cache=True)
def start_distress(b: int, hz: Hazards, u_capsize: float) -> None:
    """Distress begins: the boat's capsize threshold, from the uniform ``u_capsize`` in (0, 1]."""
    hz.bthr_cap[b] = threshold(u_capsize)
