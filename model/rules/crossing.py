"""Crossing: movement, distress, capsizing, deaths in the water and interception.

Hazards are per hour. A boat falls into distress with a hazard that grows with overload, rough seas
and running out of fuel; a distressed boat capsizes with a constant hazard (mean time
``capsize_mean_hours``, shortened by rough seas) unless rescued first. Capsizing kills a share of
those aboard at once; survivors in the water die at a rate set by drowning and water temperature.
"""

from __future__ import annotations

import numba
import numpy as np

from model.numerics.hypot import hypot
from model.numerics.quantiles import binomial


@numba.vectorize(cache=True)
def distance(dx: float, dy: float) -> float:
    """:func:`hypot` of ``(dx, dy)`` (a compiled ufunc).

    Along an axis (a merchant on its lane) its exact value at once.
    """
    if dy == 0.0:
        return abs(dx)
    if dx == 0.0:
        return abs(dy)
    return hypot(dx, dy)


@numba.vectorize(cache=True)
def _step_fraction(dist: float, step_km: float) -> float:
    """Share of the way to the target covered by a step (1 on arrival)."""
    if dist <= step_km:
        return 1.0
    return step_km / (dist if dist > 0.0 else 1.0)  # (never 0 here, but compiled code may divide before it branches)


def move_toward(
    x: np.ndarray, y: np.ndarray, tx: np.ndarray, ty: np.ndarray, step_km: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Move points up to ``step_km`` toward targets; returns new x, y and whether each arrived.

    Works on scalars and arrays alike, here and compiled in the vectorised engine's loops
    (``_step_fraction`` is a compiled ufunc, so no ``np.where``).
    """
    dx, dy = tx - x, ty - y
    dist = distance(dx, dy)
    frac = _step_fraction(dist, step_km)
    return x + dx * frac, y + dy * frac, dist <= step_km


@numba.vectorize(cache=True)
def distress_probability(
    base: float, overload: float, exponent: float, weather: float, out_of_fuel: bool, no_fuel: float
) -> float:
    """Chance that a boat falls into distress this hour (a compiled ufunc: scalars or arrays)."""
    p = min(1.0, base * overload**exponent * weather)
    if out_of_fuel:
        return 1.0 - (1.0 - p) * (1.0 - min(1.0, no_fuel * weather))
    return p


@numba.vectorize(cache=True)
def capsize_probability(
    mean_hours: float, weather: float, hours_in_distress: float, deterioration_per_hour: float
) -> float:
    """Chance that a distressed boat capsizes this hour (a compiled ufunc).

    The hazard is ``weather / mean_hours`` at the first hour and grows by ``deterioration_per_hour``
    of that for each hour already spent in distress (a boat taking water, a tube deflating), so
    the time it takes rescuers to arrive matters more than a constant hazard lets it.
    """
    return 1.0 - np.exp(-weather * (1.0 + deterioration_per_hour * hours_in_distress) / mean_hours)


@numba.vectorize(cache=True)
def aboard_death_probability(per_hour: float, overload: float, hours_at_sea: float) -> float:
    """Chance that a person aboard a boat still afloat dies this hour (a compiled ufunc).

    Crushing, fuel burns, dehydration and exposure in an overloaded boat: the hazard is
    ``per_hour`` after a day at sea at rated load, in proportion to load over rated capacity and
    to hours at sea, so a rescue that comes later costs lives even when the boat stays afloat.
    """
    if per_hour <= 0.0:
        return 0.0
    return 1.0 - np.exp(-per_hour * overload * hours_at_sea / 24.0)


@numba.vectorize(cache=True)
def body_recovery_share(share: float, seen: bool, unseen_factor: float) -> float:
    """Share of the dead whose bodies are recovered: lower for a boat no RCC knew of (a shipwreck nobody saw)."""
    return share if seen else share * unseen_factor


def in_water_death_probability(drowning_per_hour: float, survival_h: np.ndarray | float) -> np.ndarray:
    """Chance that a person in the water dies this hour (drowning, then exposure)."""
    return 1.0 - (1.0 - drowning_per_hour) * np.exp(-1.0 / np.asarray(survival_h))


@numba.vectorize(cache=True)
def interception_probability(distance_from_departure_km: float, zone_km: float, per_hour: float) -> float:
    """Chance that the departure state's patrols intercept a boat this hour (inside its zone; a compiled ufunc)."""
    return per_hour if distance_from_departure_km <= zone_km else 0.0


def deaths_split(
    n_dead: np.ndarray | int, body_recovery_share: float, u: np.ndarray | float
) -> tuple[np.ndarray, np.ndarray]:
    """Split deaths into dead (body recovered) and missing: a binomial draw by inverse CDF from the uniform ``u``."""
    dead = binomial(n_dead, body_recovery_share, u)
    return dead, np.asarray(n_dead) - dead
