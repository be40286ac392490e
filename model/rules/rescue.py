"""Detection, coordination and rescue: which RCC coordinates, which asset goes, who is taken aboard.

The RCC of the SRR where distress happens coordinates if its state is willing; otherwise the first
RCC alerted takes over (the seed paper's Elizabeth case). It tasks the asset with the earliest
arrival; a merchant master may decline, more likely when the boat holds more people than he can
take.
"""

from __future__ import annotations

import numba
import numpy as np

from model.rules.crossing import distance


def sighting_probability(sighting_per_hour: float, aerial_per_hour: float, aerial_surveillance: float) -> float:
    """Chance each hour that an unreported boat in distress is seen (from the sea or, with surveillance, the air)."""
    return 1.0 - (1.0 - sighting_per_hour) * (1.0 - aerial_per_hour * aerial_surveillance)


def can_task(
    merchant: np.ndarray | bool,
    fleet_taskable: np.ndarray | bool,
    standing: bool,
    coord_participates: np.ndarray | bool,
    flag_participates: np.ndarray | bool,
) -> np.ndarray:
    """Whether an RCC may task a vessel.

    Any merchant ship (duty to render assistance), its own or allied fleets, and under a standing
    framework any vessel flagged by a participant if the RCC's state participates.
    """
    return merchant | fleet_taskable | (standing & coord_participates & flag_participates)


def stands_by(merchant: bool, coordinator_stand_by: bool) -> bool:
    """Whether a vessel is told to stand by rather than go.

    A merchant ship, when the coordinating RCC tells others to stand by (``policy.states.*.others_stand_by``).
    """
    return merchant and coordinator_stand_by


def available(on_patrol: np.ndarray | bool, free: np.ndarray | float, withdrawn: np.ndarray | bool) -> np.ndarray:
    """Whether an RCC may send a vessel now: on patrol, with room aboard, and in service.

    A vessel is out of service when policy keeps it in port (NGO ships blocked) or its fleet has
    shrunk below it (a dated change); it finishes the task it has, then goes home.
    """
    return on_patrol & (free >= 1) & np.logical_not(withdrawn)


def out_of_service(withdrawn: bool, ngo: bool, ngo_blocked: bool) -> bool:
    """Whether a vessel is out of service (both engines ask this one rule).

    Withdrawn (its fleet shrank on the timeline), or an NGO ship that policy keeps in port
    (``policy.sar.ngo_blocked``).
    """
    return bool(withdrawn or (ngo and ngo_blocked))


def batch_share(share: float, blocked: bool, ngo: bool, code_of_conduct: bool) -> float:
    """How full a vessel fills before asking for a port.

    Its fleet's share; 0 (after any rescue) when it is out of service or an NGO ship bound by a code of conduct.
    """
    return 0.0 if blocked or (ngo and code_of_conduct) else share


def seized(u: float, probability: float) -> bool:
    """Whether an NGO ship is seized after a landing (``u``: a uniform draw).

    A seized ship stays in port to the end of the run.
    """
    return u < probability


#: A first tasking that never comes (an RCC that does not respond): later than any run's last hour.
NEVER = 2**62


def first_tasking_hour(hour: int, response_hours: float, u: float, no_response_probability: float) -> int:
    """The hour from which the coordinating RCC tasks vessels to a new case.

    After its response delay, or never (``u``: a uniform draw).
    """
    return NEVER if u < no_response_probability else hour + int(response_hours)


def patrol_target(distance_km: np.ndarray, afloat_untasked: np.ndarray, ids: np.ndarray, range_km: float) -> int:
    """Index of the boat a patrolling vessel goes after.

    The nearest afloat, untasked boat within ``range_km`` (lowest id among equals), or -1.
    """
    best, best_d = -1, np.inf
    for i in range(distance_km.size):
        d = distance_km[i]
        if afloat_untasked[i] and d <= range_km and (d < best_d or (d == best_d and ids[i] < ids[best])):
            best, best_d = i, d
    return best


def detention_hours(u: float, probability: float, days: float) -> float:
    """Hours a ship is held in port after a landing.

    ``days`` with chance ``probability`` (``u``: a uniform draw), else 0.
    """
    return days * 24.0 if u < probability else 0.0


def heads_home(
    on_patrol_empty: np.ndarray | bool,
    endurance_days: np.ndarray | float,
    days_at_sea: np.ndarray | float,
    withdrawn: np.ndarray | bool,
) -> np.ndarray:
    """Whether a vessel on patrol with no one aboard sails for its home port.

    At the end of its endurance (0: unlimited), or when it is out of service (see :func:`available`).
    """
    return on_patrol_empty & (((endurance_days > 0) & (days_at_sea >= endurance_days)) | withdrawn)


def hands_over(
    coordinating: np.ndarray | int, first_alerted: np.ndarray | int, own_asset_free: np.ndarray | bool
) -> np.ndarray:
    """Whether an RCC with no asset to send passes the case to the first RCC alerted.

    Only if that is another RCC and none of the coordinating RCC's own vessels is free.
    """
    return (coordinating != first_alerted) & np.logical_not(own_asset_free)


@numba.vectorize(cache=True)
def coordinating_state(srr_state: int, srr_willing: bool, first_alerted: int) -> int:
    """The state whose RCC coordinates.

    The SRR state if willing (and there is one), else the first alerted (a compiled ufunc).
    """
    return srr_state if srr_state >= 0 and srr_willing else first_alerted


def eta_hours(vx: np.ndarray, vy: np.ndarray, speed_kmh: np.ndarray, bx: float, by: float) -> np.ndarray:
    """Hours for each vessel to reach a boat at (bx, by)."""
    return distance(vx - bx, vy - by) / speed_kmh


def merchant_compliance(
    compliance: np.ndarray | float, expected_delay_days: np.ndarray | float, delay_aversion_per_day: np.ndarray | float
) -> np.ndarray:
    """A master's compliance today.

    His base compliance, lowered when ships now wait days for a port (the diversion he expects).
    """
    return compliance * np.exp(-delay_aversion_per_day * expected_delay_days)


def expected_delay_days(waited_hours: np.ndarray, run: np.ndarray, n_runs: int) -> np.ndarray:
    """Per run, the mean days that the ships waiting for a port have waited so far (0 where none waits).

    What masters hear.
    """
    n = np.bincount(run, minlength=n_runs)
    total = np.bincount(run, weights=np.asarray(waited_hours, dtype=float) / 24.0, minlength=n_runs)
    return total / np.maximum(n, 1)


@numba.vectorize(cache=True)
def approach_capsize_probability(probability: float, merchant: bool, merchant_factor: float) -> float:
    """Chance that a boat capsizes as a vessel comes alongside.

    Higher for a merchant ship's large hull (a compiled ufunc).
    """
    return min(1.0, probability * merchant_factor) if merchant else probability


@numba.njit(cache=True)
def nearest_safe_port_km(x: float, y: float, port_x: np.ndarray, port_y: np.ndarray, port_safe: np.ndarray) -> float:
    """Straight-line km from (x, y) to the nearest port of a place of safety (inf if there is none).

    The diversion a master expects.
    """
    best = np.inf
    for p in range(port_x.size):
        if port_safe[p]:
            best = min(best, distance(port_x[p] - x, port_y[p] - y))
    return best


def diversion_compliance(compliance: float, aversion_per_100km: float, port_km: float) -> float:
    """A master's compliance for one case.

    Lowered by the km he must divert to land the people (``aversion_per_100km`` 0: unchanged).

    Diversion costs a ship fuel, crew time and charter hire (the seed paper's Elizabeth case: a
    master's reluctance); the further the nearest safe port, the more he fears it. How much, no
    source gives: an assumption, off by default.
    """
    if aversion_per_100km <= 0.0:
        return compliance
    return compliance * np.exp(-aversion_per_100km * port_km / 100.0)


@numba.njit(cache=True)
def on_scene_hours(approach_hours: float, hours_per_100_people: float, people: float) -> float:
    """Hours a vessel works on scene before the ``people`` it takes are safe aboard.

    Approach and launching its boats, then the transfer.

    A fast rescue boat (RHIB) ferries people off a rubber boat in batches; a merchant ship without
    one lowers ladders or nets, and its high sides make the transfer slow (P§4). While the vessel
    works, the boat stays in distress: it may capsize, and people aboard may die.
    """
    return approach_hours + hours_per_100_people * people / 100.0


def scene_done_hour(hour: int, approach_hours: float, hours_per_100_people: float, free: float, aboard: float) -> int:
    """The hour a vessel that reached its boat at ``hour`` takes the people aboard.

    After :func:`on_scene_hours` for those it has room for, rounded up to whole hours (0: at once).
    """
    return hour + int(np.ceil(on_scene_hours(approach_hours, hours_per_100_people, min(free, aboard))))


def transfer_ends(hour: int, done_hour: int, capsized: bool) -> bool:
    """Whether a vessel on scene takes the people now.

    Its work is done, or the boat capsized (people in the water are pulled out at once).
    """
    return hour >= done_hour or capsized


def merchant_accept_probability(
    compliance: float, free_capacity: np.ndarray | float, aboard: np.ndarray | float
) -> np.ndarray:
    """Chance a merchant master accepts a tasking: compliance, scaled down when he lacks room."""
    room = np.minimum(1.0, free_capacity / np.maximum(1.0, aboard))  # (no dtype arguments: compiled for the loops too)
    return compliance * room


def earliest(eta: np.ndarray, candidate: np.ndarray) -> int:
    """Index of the candidate with the earliest arrival, or -1 if there is none."""
    eta = np.where(candidate, eta, np.inf)
    i = int(np.argmin(eta)) if eta.size else -1
    return i if i >= 0 and np.isfinite(eta[i]) else -1


def wants_port(
    free: np.ndarray | float,
    capacity: np.ndarray | float,
    batch_until_full_share: np.ndarray | float,
    hours_with_people: np.ndarray | float,
    max_hours: float,
) -> np.ndarray:
    """Whether a vessel with people aboard stops searching and asks for a place of safety.

    It goes once it is fuller than ``batch_until_full_share`` (0: after the first rescue) or after
    ``max_hours`` with people aboard (NGO ships batch several rescues, P§6).
    """
    filled = 1.0 - free / capacity  # (no dtype arguments: compiled for the loops too)
    return (filled >= batch_until_full_share) | (hours_with_people >= max_hours)
