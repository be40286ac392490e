"""Places of safety: whom a ship asks, whether each state accepts, deals and relocation.

Acceptance is a logistic function of the state's stance (its base probability) shifted by where
the rescue happened, who rescued, vulnerable people aboard, reception occupancy and recent arrivals.
A base of exactly 0 or 1 is never shifted (a state that always refuses or always accepts), and a
standing framework guarantees acceptance by its participants.
"""

from __future__ import annotations

import numpy as np
from scipy.special import expit, logit

NONE, AD_HOC, STANDING = 0, 1, 2


def accept_probability(
    base: np.ndarray | float,
    own_srr: np.ndarray | bool,
    vulnerable_share: np.ndarray | float,
    own_flag: np.ndarray | bool,
    occupancy_ratio: np.ndarray | float,
    recent_per_1000: np.ndarray | float,
    w_srr: np.ndarray | float,
    w_vulnerable: np.ndarray | float,
    w_flag: np.ndarray | float,
    w_occupancy: np.ndarray | float,
    w_recent: np.ndarray | float,
    guaranteed: np.ndarray | bool = False,
) -> np.ndarray:
    """Chance that a state accepts a disembarkation request."""
    base = np.asarray(base, dtype=float)
    crowding = np.minimum(1e6, np.maximum(0.0, np.asarray(occupancy_ratio, dtype=float) - 0.8))  # a full state with no places is inf
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (
            logit(np.clip(base, 1e-12, 1 - 1e-12))
            + w_srr * np.asarray(own_srr, dtype=float)
            + w_vulnerable * np.asarray(vulnerable_share, dtype=float)
            + w_flag * np.asarray(own_flag, dtype=float)
            - w_occupancy * crowding
            - w_recent * np.asarray(recent_per_1000, dtype=float)
        )
    p = np.where(base <= 0.0, 0.0, np.where(base >= 1.0, 1.0, expit(z)))
    return np.where(np.asarray(guaranteed, dtype=bool), 1.0, p)


def request_order(
    steps: tuple[str, ...],
    coordinating_state: int,
    srr_state: int,
    port_distance: np.ndarray,
    flag_state: int,
    participants: np.ndarray,
    framework: int,
) -> list[int]:
    """States to ask, in order, each once; only states with a safe port are asked.

    Under a standing framework the nearest participating state is asked first.
    """
    n = len(port_distance)
    has_port = np.isfinite(port_distance)
    by_distance = [int(i) for i in np.argsort(port_distance, kind="stable") if has_port[i]]
    order: list[int] = []
    if framework == STANDING:
        order += [i for i in by_distance if participants[i]][:1]
    for step in steps:
        if step == "coordinating_state" and 0 <= coordinating_state < n:
            order.append(coordinating_state)
        elif step == "srr_state" and 0 <= srr_state < n:
            order.append(srr_state)
        elif step == "nearest_safe_port" and by_distance:
            order.append(by_distance[0])
        elif step == "flag_state" and 0 <= flag_state < n:
            order.append(flag_state)
        elif step == "others_by_distance":
            order += by_distance
    seen: set[int] = set()
    return [s for s in order if has_port[s] and not (s in seen or seen.add(s))]


def deal_probability(days_refused: np.ndarray | float, base: float, growth: float) -> np.ndarray:
    """Chance today of an ad hoc deal after ``days_refused`` days of refusals."""
    return np.clip(base + growth * np.asarray(days_refused, dtype=float), 0.0, 1.0)


def deal_weights(free_places: np.ndarray) -> np.ndarray:
    """Chance that each state asked becomes the landing state of an ad hoc deal.

    Proportional to its free reception places (equal if none has any): the state best able to
    absorb the group is the likeliest to agree, as Z does in the seed paper's Elizabeth case.
    """
    w = np.asarray(free_places, dtype=float)
    return w / w.sum() if w.sum() > 0 else np.full(w.shape, 1.0 / w.size)


def relocation_counts(n: int, weights: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Split ``n`` relocated people among states by ``weights`` (multinomial)."""
    w = np.asarray(weights, dtype=float)
    if n <= 0 or w.sum() <= 0:
        return np.zeros(w.shape, dtype=np.int64)
    return rng.multinomial(n, w / w.sum())
