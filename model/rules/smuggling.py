"""Smuggler networks: boats launched, boat type and load, and adaptation to where rescuers wait.

Adaptation is the contested 'pull factor': with strength s > 0, rescuers stationed nearer the coast
than in the reference year shift the mix to cheap rubber boats, raise loads, cut fuel and make
people leave sooner; rescuers further away do the opposite. Strength 0 switches all of it off.
"""

from __future__ import annotations

import numpy as np


def adaptation_shift(strength: float, distance_km: np.ndarray | float, reference_km: float, reach_km: float) -> np.ndarray:
    """Signed change in rescue proximity against the reference year, times adaptation strength."""
    prox = np.exp(-np.asarray(distance_km) / reach_km)
    ref = np.exp(-reference_km / reach_km)
    return strength * (prox - ref)


def adapted_mix(mix: np.ndarray, shift: float, rubber_shift: float) -> np.ndarray:
    """Boat-type shares (rubber, wooden, fishing) after adaptation; sums to 1."""
    mix = np.asarray(mix, dtype=float)
    k = float(np.clip(shift * rubber_shift, -1.0, 1.0))
    out = mix.copy()
    if k >= 0:
        out[1:] *= 1.0 - k
        out[0] = 1.0 - out[1:].sum()
    else:
        moved = mix[0] * -k
        out[0] -= moved
        rest = mix[1:].sum()
        out[1:] += moved * (mix[1:] / rest if rest > 0 else np.array([1.0, 0.0]))
    return out


def adapted_load_factor(load_factor: float, shift: float, load_response: float) -> float:
    """Load factor after adaptation (never below 0.1)."""
    return max(0.1, load_factor * (1.0 + load_response * shift))


def adapted_fuel(fuel_km: np.ndarray | float, shift: float, fuel_response: float) -> np.ndarray:
    """Fuel range after adaptation: less fuel when rescue is expected close by."""
    return np.asarray(fuel_km) * float(np.clip(1.0 - fuel_response * shift, 0.05, 2.0))


def boats_allowed(max_boats_per_day: float, arrests_cut: float, sea_state: float, no_launch_above: float) -> int:
    """How many boats a network may launch today (none in seas rougher than the threshold)."""
    if sea_state > no_launch_above:
        return 0
    return int(np.floor(max_boats_per_day * (1.0 - arrests_cut) + 1e-9))


def plan_boats(queue: int, max_boats: int, mix: np.ndarray, typical_load: np.ndarray, load_factor: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Boat types and loads for today's launches from a queue of ``queue`` paying passengers.

    Boats fill in order; a boat is launched only if at least half its planned load is waiting,
    and then takes whoever is left. Returns (type index per boat, people per boat).
    """
    if queue <= 0 or max_boats <= 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    types = rng.choice(len(mix), size=max_boats, p=mix)
    planned = np.maximum(10, np.rint(typical_load[types] * load_factor * rng.lognormal(0.0, 0.15, max_boats))).astype(np.int64)
    cum = np.cumsum(planned)
    full = int(np.searchsorted(cum, queue, side="right"))
    loads = planned[:full].copy()
    left = queue - int(loads.sum())
    if full < max_boats and left >= 0.5 * planned[full]:
        loads = np.append(loads, left)
        full += 1
    return types[:full], loads


def stopped(n_boats: int, stop_share: float, rng: np.random.Generator) -> np.ndarray:
    """Which launches are stopped on the beach (prevention of unseaworthy departures)."""
    return rng.random(n_boats) < stop_share
