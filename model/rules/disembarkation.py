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
FRAMEWORK_CODES = {"none": NONE, "ad_hoc": AD_HOC, "standing": STANDING}


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
    row = request_orders(steps, np.array([coordinating_state]), np.array([srr_state]), np.asarray(port_distance, dtype=float)[None, :], np.array([flag_state]), participants, framework)[0]
    return [int(s) for s in row if s >= 0]


def request_orders(
    steps: tuple[str, ...],
    coordinating_state: np.ndarray,
    srr_state: np.ndarray,
    port_distance: np.ndarray,
    flag_state: np.ndarray,
    participants: np.ndarray,
    framework: int,
) -> np.ndarray:
    """:func:`request_order` for many ships at once: (ships x states) state indices, -1 padded.

    ``port_distance`` is (ships x states), inf for a state without a safe port.
    """
    dist = np.asarray(port_distance, dtype=float)
    m, n = dist.shape
    has_port = np.isfinite(dist)
    by_distance = np.argsort(dist, axis=1, kind="stable")  # states without a port sort last
    n_ports = has_port.sum(axis=1)
    rows = np.arange(m)
    cols: list[np.ndarray] = []
    if framework == STANDING:
        part = np.asarray(participants, dtype=bool)[by_distance] & np.take_along_axis(has_port, by_distance, axis=1)
        first = np.where(part.any(axis=1), by_distance[rows, np.argmax(part, axis=1)], -1)
        cols.append(first[:, None])

    def valid(s: np.ndarray) -> np.ndarray:
        s = np.asarray(s, dtype=np.int64)
        return np.where((s >= 0) & (s < n), s, -1)

    for step in steps:
        if step == "coordinating_state":
            cols.append(valid(coordinating_state)[:, None])
        elif step == "srr_state":
            cols.append(valid(srr_state)[:, None])
        elif step == "nearest_safe_port":
            cols.append(np.where(n_ports > 0, by_distance[:, 0], -1)[:, None])
        elif step == "flag_state":
            cols.append(valid(flag_state)[:, None])
        elif step == "others_by_distance":
            cols.append(np.where(np.arange(n)[None, :] < n_ports[:, None], by_distance, -1))
    cand = np.concatenate(cols, axis=1) if cols else np.full((m, 0), -1, dtype=np.int64)
    ok = cand >= 0
    ok[ok] = has_port[np.nonzero(ok)[0], cand[ok]]
    # keep the first occurrence of each state in each row, in order
    hit = (cand[:, :, None] == np.arange(n)[None, None, :]) & ok[:, :, None]
    keep = (hit & (np.cumsum(hit, axis=1) == 1)).any(axis=2)
    out = np.full((m, n), -1, dtype=np.int64)
    r, k = np.nonzero(keep)
    out[r, (np.cumsum(keep, axis=1) - 1)[r, k]] = cand[r, k]
    return out


def deal_probability(days_refused: np.ndarray | float, base: float, growth: float) -> np.ndarray:
    """Chance today of an ad hoc deal after ``days_refused`` days of refusals."""
    return np.clip(base + growth * np.asarray(days_refused, dtype=float), 0.0, 1.0)


def deal_weights(free_places: np.ndarray, candidates: np.ndarray | None = None) -> np.ndarray:
    """Chance that each candidate state becomes the landing state of an ad hoc deal (last axis).

    Proportional to its free reception places (equal among the candidates if none has any): the
    state best able to absorb the group is the likeliest to agree, as Z does in the seed paper's
    Elizabeth case. ``candidates`` masks the states that may be chosen (default: all given).
    """
    cand = np.ones(np.shape(free_places), dtype=bool) if candidates is None else np.asarray(candidates, dtype=bool)
    w = np.asarray(free_places, dtype=float) * cand
    tot = w.sum(axis=-1, keepdims=True)
    equal = cand / np.maximum(cand.sum(axis=-1, keepdims=True), 1)
    return np.where(tot > 0, w / np.where(tot > 0, tot, 1.0), equal)


def deal_landing_states(names: tuple[str, ...], states: tuple[str, ...], has_safe_port: np.ndarray) -> list[int]:
    """Indices of the configured deal landing states that have a safe port, in the configured order."""
    return [states.index(n) for n in names if has_safe_port[states.index(n)]]


def relocation_weights(key: dict[str, float], states: tuple[str, ...], participants: np.ndarray, framework: int, capacity: np.ndarray, safe: np.ndarray) -> np.ndarray:
    """Shares of relocated people per state (before the landing state is removed).

    A relocation key if one is set; else equal shares among the framework's participants; else,
    for an ad hoc deal without participants, shares by reception capacity among safe states.
    """
    if key:
        return np.array([key.get(n, 0.0) for n in states], dtype=float)
    if framework == STANDING or np.asarray(participants).any():
        return np.asarray(participants, dtype=float)
    return np.where(safe, np.asarray(capacity, dtype=float), 0.0)


def relocation_counts(n: int, weights: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Split ``n`` relocated people among states by ``weights`` (multinomial)."""
    w = np.asarray(weights, dtype=float)
    if n <= 0 or w.sum() <= 0:
        return np.zeros(w.shape, dtype=np.int64)
    return rng.multinomial(n, w / w.sum())
