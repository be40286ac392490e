"""Smuggler networks: boats launched, boat type and load, and adaptation to where rescuers wait.

Adaptation is the contested 'pull factor': with strength s > 0, rescuers stationed nearer the coast
than in the reference year shift the mix to cheap rubber boats, raise loads, cut fuel and make
people leave sooner; rescuers further away do the opposite. Strength 0 switches all of it off.
"""

from __future__ import annotations

import math

import numba
import numpy as np
from scipy.special import ndtri

from model.numerics.categorical import categorical


def nearest_station_km(station_x: np.ndarray, station_y: np.ndarray, rescuing: np.ndarray, x: float, y: float) -> float:
    """Distance (km) from (x, y) to the nearest station centre of a vessel that rescues people at sea.

    ``rescuing`` excludes merchant ships (not stationed), vessels that return people to an unsafe
    port and vessels kept in port. Station centres, not drawn positions, so that the smugglers'
    adaptation depends on policy, not on the seed.
    """
    m = np.asarray(rescuing, dtype=bool)
    return float(np.min(np.hypot(np.asarray(station_x)[m] - x, np.asarray(station_y)[m] - y))) if m.any() else math.inf


def adaptation_shift(
    strength: float, distance_km: np.ndarray | float, reference_km: float, reach_km: float
) -> np.ndarray:
    """Signed change in rescue proximity against the reference year, times adaptation strength."""
    prox = np.exp(-np.asarray(distance_km) / reach_km)
    ref = np.exp(-reference_km / reach_km)
    return strength * (prox - ref)


def presence_share(
    capacity: np.ndarray, rescuing: np.ndarray, at_sea: np.ndarray, run: np.ndarray | None = None, n_runs: int = 1
) -> np.ndarray:
    """Per run, the share of the rescuing vessels' places that is at sea now (1 where no vessel rescues).

    Rescue presence as smugglers see it from the beach: ships in port (rotations, detentions,
    seizures) or out of service do not count. ``run`` gives each vessel's run (all run 0 if None).
    """
    cap = np.asarray(capacity, dtype=float) * np.asarray(rescuing, dtype=bool)
    run = np.zeros(cap.size, dtype=np.int64) if run is None else np.asarray(run)
    total = np.bincount(run, weights=cap, minlength=n_runs)
    present = np.bincount(run, weights=cap * np.asarray(at_sea, dtype=bool), minlength=n_runs)
    return np.where(total > 0, present / np.where(total > 0, total, 1.0), 1.0)


def present_shift(
    strength: np.ndarray | float,
    distance_km: np.ndarray | float,
    reference_km: np.ndarray | float,
    reach_km: np.ndarray | float,
    presence: np.ndarray | float,
) -> np.ndarray:
    """:func:`adaptation_shift` with the proximity of the stations weighted by today's rescue presence.

    ``presence``: the share of rescue capacity at sea today (1: the same as :func:`adaptation_shift`).
    """
    prox = np.exp(-np.asarray(distance_km) / reach_km)
    ref = np.exp(-np.asarray(reference_km) / reach_km)
    return strength * (np.asarray(presence) * prox - ref)


def displaced_mix(mix: np.ndarray, stop_share: float, displaces: bool) -> np.ndarray:
    """Boat-type shares when stopping unseaworthy boats displaces smugglers (``displaces``).

    ``stop_share`` of the rubber share moves to the other types in proportion.

    Networks buy boats that get past the beach patrols (Operation Sophia's boat destruction moved
    them the other way, to cheap inflatables: P§9); unchanged when ``displaces`` is false.
    """
    return adapted_mix(mix, -float(stop_share), 1.0) if displaces and stop_share > 0 else np.asarray(mix, dtype=float)


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


def arrests_cut_today(
    cut: np.ndarray | float, days_since: np.ndarray | float, half_life_days: np.ndarray | float
) -> np.ndarray:
    """The share of capacity arrests still remove ``days_since`` days after the cut took effect.

    Networks recruit new boat drivers and buy new boats: the cut halves every ``half_life_days``
    (0: it lasts). Operation Sophia's arrests took boat drivers rather than organisers and the
    networks switched to cheap inflatables (P§9, House of Lords 2016-17); how fast capacity comes
    back is an assumption.
    """
    cut, days, hl = (
        np.asarray(cut, dtype=float),
        np.asarray(days_since, dtype=float),
        np.asarray(half_life_days, dtype=float),
    )
    return np.where(hl > 0, cut * np.power(0.5, days / np.where(hl > 0, hl, 1.0)), cut)


def boats_allowed(
    max_boats_per_day: np.ndarray | float, arrests_cut: float, sea_state: np.ndarray | float, no_launch_above: float
) -> np.ndarray:
    """How many boats a network may launch today (none in seas rougher than the threshold)."""
    n = np.floor(np.asarray(max_boats_per_day) * (1.0 - arrests_cut) + 1e-9).astype(np.int64)
    return np.where(np.asarray(sea_state) > no_launch_above, 0, n)


def plan_boats(
    queue: int,
    max_boats: int,
    mix: np.ndarray,
    typical_load: np.ndarray,
    load_factor: float,
    u_type: np.ndarray,
    u_load: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Boat types and loads for today's launches from a queue of ``queue`` paying passengers.

    Each boat's type is drawn from the network's ``mix`` with its uniform of ``u_type``, its planned
    load's lognormal noise with its uniform of ``u_load`` (one each per boat allowed). Boats fill in
    order; a boat is launched only if at least half its planned load is waiting, and then takes
    whoever is left. Returns (type index per boat, people per boat).
    """
    max_boats = int(max_boats)
    if queue <= 0 or max_boats <= 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    types = categorical(np.asarray(mix, dtype=float), np.asarray(u_type)[:max_boats])
    noise = np.exp(LOAD_NOISE_SD * ndtri(np.asarray(u_load)[:max_boats]))
    planned = planned_loads(types, typical_load, load_factor, noise)
    loads = fill_boats(np.array([queue]), planned[None, :])[0]
    full = int((loads > 0).sum())
    return types[:full], loads[:full]


#: Spread (log-scale sd) of a boat's planned load around the typical load (assumption).
LOAD_NOISE_SD = 0.15


def planned_loads(
    types: np.ndarray, typical_load: np.ndarray, load_factor: np.ndarray | float, noise: np.ndarray
) -> np.ndarray:
    """People each boat is planned to carry (:func:`planned_load`), as integers.

    ``typical_load`` is per boat type, or (rows, boat types) for (rows, boats) ``types``.
    """
    typical = np.asarray(typical_load)
    load = typical[types] if typical.ndim == 1 else np.take_along_axis(typical, np.asarray(types), axis=1)
    return np.asarray(planned_load(load, np.asarray(load_factor), noise)).astype(np.int64)


def planned_load(
    typical_load: np.ndarray | float, load_factor: np.ndarray | float, noise: np.ndarray | float
) -> np.ndarray | float:
    """People a boat is planned to carry.

    Typical load x load factor x lognormal ``noise``, rounded, at least 10 (scalars or arrays; compiled for the loops
    too).
    """
    return np.maximum(10.0, np.rint(typical_load * load_factor * noise))


def boat_load(left: int, planned: int) -> int:
    """People a boat takes when ``left`` are still waiting.

    Its plan if they are there, else whoever is left if at least half its plan (else it does not leave: 0).
    """
    if planned <= left:
        return planned
    return left if left > 0 and left >= 0.5 * planned else 0


def fill_boats(queue: np.ndarray, planned: np.ndarray) -> np.ndarray:
    """Loads of the boats launched from each queue (rows), 0 for boats not launched.

    Boats fill in order (:func:`boat_load`); the first that does not fill is the last to leave, if
    it leaves at all. ``queue`` is (n,), ``planned`` (n, max_boats); a row may be padded with huge
    loads for boats it may not launch.
    """
    queue = np.asarray(queue, dtype=np.int64)
    loads = np.zeros(np.shape(planned), dtype=np.int64)
    for i in range(loads.shape[0]):
        left = int(queue[i])
        for j in range(loads.shape[1]):
            loads[i, j] = boat_load(left, int(planned[i, j]))
            left -= loads[i, j]
            if loads[i, j] < planned[i, j]:
                break
    return loads


@numba.njit(cache=True)
def stoppable(boat_type: int, displaces: bool) -> bool:
    """Whether a launch of ``boat_type`` can be stopped on the beach.

    Any boat, or only rubber boats (type 0, the unseaworthy ones) when stops displace smugglers.
    """
    return boat_type == 0 or not displaces


def seat_price(price_usd: float, stop_share: float, displaces: bool, surcharge_usd: float) -> float:
    """A seat's price: the network's, plus the cost of stops when they displace smugglers.

    ``surcharge_usd`` at a stop share of 1, in proportion below; nothing when stops do not displace
    (``policy.enforcement.stop_price_surcharge_usd``). Works on arrays of prices too.
    """
    return price_usd + (surcharge_usd * stop_share if displaces else 0.0)


#: What a stop on the beach does to one launch: it goes; it is stopped; it is stopped and its
#: network launches nothing more that day (stops that displace: the people wait for a later day).
LAUNCH, STOPPED, STOPPED_FOR_THE_DAY = 0, 1, 2


@numba.njit(cache=True)
def stop_on_beach(u: float, stop_share: float, boat_type: int, displaces: bool) -> int:
    """What prevention of unseaworthy departures does to one launch (``u``: its uniform draw).

    A share ``stop_share`` of the launches that can be stopped (:func:`stoppable`) are; when stops
    displace smugglers the network then launches nothing more that day. Both engines call this
    for each launch, in the order the network's boats leave.
    """
    if u >= stop_share or not stoppable(boat_type, displaces):
        return LAUNCH
    return STOPPED_FOR_THE_DAY if displaces else STOPPED
