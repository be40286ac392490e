"""Crossing: movement, distress, capsizing, deaths in the water and interception.

Hazards are per hour. A boat falls into distress with a hazard that grows with overload, rough seas
and running out of fuel; a distressed boat capsizes with a constant hazard (mean time
``capsize_mean_hours``, shortened by rough seas) unless rescued first. Capsizing kills a share of
those aboard at once; survivors in the water die at a rate set by drowning and water temperature.
"""

from __future__ import annotations

import numpy as np


def move_toward(x: np.ndarray, y: np.ndarray, tx: np.ndarray, ty: np.ndarray, step_km: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Move points up to ``step_km`` toward targets; returns new x, y and whether each arrived."""
    dx, dy = np.asarray(tx) - x, np.asarray(ty) - y
    dist = np.hypot(dx, dy)
    arrived = dist <= step_km
    frac = np.where(arrived, 1.0, step_km / np.where(dist > 0, dist, 1.0))
    return x + dx * frac, y + dy * frac, arrived


def distress_probability(base: np.ndarray, overload: np.ndarray, exponent: np.ndarray, weather: np.ndarray | float, out_of_fuel: np.ndarray, no_fuel: np.ndarray) -> np.ndarray:
    """Chance that a boat falls into distress this hour."""
    p = np.minimum(1.0, np.asarray(base) * np.asarray(overload) ** np.asarray(exponent) * weather)
    p_fuel = np.minimum(1.0, np.asarray(no_fuel) * weather)
    return np.where(out_of_fuel, 1.0 - (1.0 - p) * (1.0 - p_fuel), p)


def capsize_probability(mean_hours: np.ndarray, weather: np.ndarray | float) -> np.ndarray:
    """Chance that a distressed boat capsizes this hour."""
    return 1.0 - np.exp(-np.asarray(weather) / np.asarray(mean_hours))


def in_water_death_probability(drowning_per_hour: float, survival_h: np.ndarray | float) -> np.ndarray:
    """Chance that a person in the water dies this hour (drowning, then exposure)."""
    return 1.0 - (1.0 - drowning_per_hour) * np.exp(-1.0 / np.asarray(survival_h))


def interception_probability(distance_from_departure_km: np.ndarray, zone_km: np.ndarray, per_hour: np.ndarray) -> np.ndarray:
    """Chance that the departure state's patrols intercept a boat this hour (inside its zone)."""
    return np.where(np.asarray(distance_from_departure_km) <= zone_km, per_hour, 0.0)


def deaths_split(n_dead: np.ndarray | int, body_recovery_share: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Split deaths into dead (body recovered) and missing."""
    dead = rng.binomial(n_dead, body_recovery_share)
    return dead, np.asarray(n_dead) - dead
