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


@numba.njit(cache=True, inline="always")
def hazards_hour(
    b: int, status: int, aboard: int, tasked: bool, x: float, y: float, weather: float, hz: Hazards
) -> int:
    """One boat's hour of hazards (row ``b`` of ``hz``, at (``x``, ``y``)); returns the event, or NOTHING.

    A boat with people aboard, not capsized and not yet tasked to a rescuer may be stopped by its
    departure state's patrols while inside their zone; if not, a sailing boat may fall into distress
    and a boat in distress may capsize (its checks in distress counted). The engine carries out the
    event: :func:`start_distress` for DISTRESSED.
    """
    if aboard <= 0:
        return NOTHING
    if hz.bstate[b] >= 0 and status != CAPSIZED and not tasked and hz.bzone[b] >= 0.0:
        d = distance(x - hz.box[b], y - hz.boy[b])
        if d > hz.bzone[b] + 1.0:  # out of the zone for good: a boat only moves away from its departure point
            hz.bzone[b] = -np.inf
        p = interception_probability(d, hz.bzone[b], hz.bint_p[b])
        if p > 0:
            if np.isnan(hz.bstep_int[b]):  # (the chance in the zone is the boat's constant)
                hz.bstep_int[b] = hazard(p)
            hz.bhaz_int[b] += hz.bstep_int[b]
            if hz.bhaz_int[b] >= hz.bthr_int[b]:
                return INTERCEPTED
    if status == SAILING:
        dry = 1.0 if hz.bfuel[b] <= 0 else 0.0
        if weather != hz.bstep_dis_w[b] or dry != hz.bstep_dis_fuel[b]:  # the weather or the fuel changed: a new step
            p = distress_probability(hz.bdist_base[b], hz.bover[b], hz.bover_exp[b], weather, dry > 0.0, hz.bno_fuel[b])
            hz.bstep_dis[b], hz.bstep_dis_w[b], hz.bstep_dis_fuel[b] = hazard(p), weather, dry
        hz.bhaz[b] += hz.bstep_dis[b]
        if hz.bhaz[b] >= hz.bthr[b]:
            return DISTRESSED
    elif status == DISTRESS:
        if weather != hz.bstep_cap_w[b] or hz.bdeter[b] > 0.0:  # a deteriorating boat's step changes every hour
            p = capsize_probability(hz.bcap_mean[b], weather, hz.bdis_hours[b], hz.bdeter[b])
            hz.bstep_cap[b], hz.bstep_cap_w[b] = hazard(p), weather
        hz.bdis_hours[b] += 1.0
        hz.bhaz_cap[b] += hz.bstep_cap[b]
        if hz.bhaz_cap[b] >= hz.bthr_cap[b]:
            return CAPSIZES
    return NOTHING


@numba.njit(cache=True, inline="always")
def aboard_death_hour(b: int, status: int, aboard: int, hz: Hazards) -> float:
    """The chance that each person aboard dies this hour (a boat still afloat; its hours afloat counted), or -1."""
    if hz.baboard[b] > 0.0 and status != CAPSIZED and aboard > 0:
        hz.bafloat[b] += 1.0
        return aboard_death_probability(hz.baboard[b], hz.bover[b], hz.bafloat[b])
    return -1.0


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
