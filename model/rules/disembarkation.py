"""Places of safety: whom a ship asks, whether each state accepts, deals and relocation.

Acceptance is a logistic function of the state's stance (its base probability) shifted by where
the rescue happened, who rescued, vulnerable people aboard, reception occupancy and recent arrivals.
A base of exactly 0 or 1 is never shifted (a state that always refuses or always accepts), and a
standing framework guarantees acceptance by its participants.
"""

from __future__ import annotations

import numba
import numpy as np

from model.numerics.special import c_expit, c_logit

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
    """Chance that a state accepts a disembarkation request (scalars or arrays, broadcast like numpy's)."""
    with np.errstate(over="ignore"):  # expit of a very negative logit (a full state) is 0 by way of exp's overflow
        return acceptance(base, own_srr, vulnerable_share, own_flag, occupancy_ratio, recent_per_1000, w_srr, w_vulnerable, w_flag, w_occupancy, w_recent, guaranteed)


@numba.vectorize(cache=True)
def acceptance(base, own_srr, vulnerable_share, own_flag, occupancy_ratio, recent_per_1000, w_srr, w_vulnerable, w_flag, w_occupancy, w_recent, guaranteed):  # noqa: ANN001, ANN201
    """:func:`accept_probability` as a compiled ufunc (positional arguments only), which compiled loops call per ship and state."""
    if guaranteed:
        return 1.0
    if base <= 0.0:
        return 0.0
    if base >= 1.0:
        return 1.0
    crowding = min(1e6, max(0.0, occupancy_ratio - 0.8))  # a full state with no places is inf
    z = c_logit(min(max(base, 1e-12), 1 - 1e-12), 0) + w_srr * (1.0 if own_srr else 0.0) + w_vulnerable * vulnerable_share + w_flag * (1.0 if own_flag else 0.0) - w_occupancy * crowding - w_recent * recent_per_1000
    return c_expit(z, 0)


@numba.vectorize(cache=True)
def port_closed(kind_closed: bool, state_flags_closed: bool, flag_state: int, state: int) -> bool:
    """Whether ``state`` refuses a ship outright: its kind is closed out, or it is flagged by another modelled state that is.

    ``flag_state`` is the ship's flag as a state index (-1: not a modelled coastal state, e.g. EU,
    NGO or merchant flags). A compiled ufunc, called by both engines before :func:`acceptance`;
    a closed port refuses even under a standing framework.
    """
    return kind_closed or (state_flags_closed and flag_state >= 0 and flag_state != state)


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


STEP_CODES = {"coordinating_state": 0, "srr_state": 1, "nearest_safe_port": 2, "flag_state": 3, "others_by_distance": 4}  # of the request steps, for the compiled loop


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
    out = np.empty((m, n), dtype=np.int64)
    codes = np.array([STEP_CODES[step] for step in steps], dtype=np.int64)
    states = (np.broadcast_to(np.asarray(x, dtype=np.int64), (m,)) for x in (coordinating_state, srr_state, flag_state))
    fill_request_orders(codes, *states, dist, np.asarray(participants, dtype=bool), int(framework), out)
    return out


@numba.njit(cache=True)
def fill_request_orders(steps, coord, srr, flag, dist, participants, framework, out):  # noqa: ANN001
    """Each row of :func:`request_orders` (compiled)."""
    n = dist.shape[1]
    cand = np.empty(1 + steps.size * n, dtype=np.int64)
    seen = np.empty(n, dtype=np.bool_)
    for i in range(dist.shape[0]):
        request_order_row(steps, coord[i], srr[i], flag[i], dist[i], participants, framework, cand, seen, out[i])


@numba.njit(cache=True)
def request_order_row(steps, coord, srr, flag, d, participants, framework, cand, seen, out):  # noqa: ANN001
    """One ship's request order into ``out``: the steps' candidates in order, each state kept once if it has a safe port.

    ``d`` holds the distances to each state's nearest safe port (inf: none); ``cand`` and ``seen``
    are scratch arrays (``1 + steps.size * n`` and ``n`` long).
    """
    n = d.size
    by_distance = np.argsort(d, kind="mergesort")  # stable; states without a port (inf) sort last
    n_ports = 0
    for s in range(n):
        n_ports += np.isfinite(d[s])
    c = 0
    if framework == STANDING:  # the nearest participating state with a safe port first
        cand[c] = -1
        for j in range(n):
            if participants[by_distance[j]] and np.isfinite(d[by_distance[j]]):
                cand[c] = by_distance[j]
                break
        c += 1
    for step in steps:
        if step == 4:  # others by distance
            for j in range(n):
                cand[c] = by_distance[j] if j < n_ports else -1
                c += 1
            continue
        if step == 2:  # nearest safe port
            s = by_distance[0] if n_ports > 0 else -1
        else:
            s = coord if step == 0 else srr if step == 1 else flag
            s = s if 0 <= s < n else -1
        cand[c] = s
        c += 1
    out[:] = -1
    seen[:] = False
    k = 0
    for j in range(c):
        s = cand[j]
        if s >= 0 and np.isfinite(d[s]) and not seen[s]:
            seen[s] = True
            out[k] = s
            k += 1


def medevac_states(port_distance: np.ndarray, evacuates: np.ndarray) -> np.ndarray:
    """The state that evacuates a waiting ship's medical cases, per ship: the nearest that does so and has a safe port (-1: none).

    ``port_distance`` is (ships x states), each state's nearest safe port (inf: none);
    ``evacuates`` the states' ``evacuates_medical_cases`` (states, or ships x states). A state
    may evacuate people from a ship it refuses to let land: the medical rule is separate from
    the request for a place of safety.
    """
    d = np.where(evacuates, np.asarray(port_distance, dtype=float), np.inf)
    s = np.argmin(d, axis=-1)
    return np.where(np.isfinite(np.take_along_axis(d, s[..., None], axis=-1)[..., 0]), s, -1)


def deal_probability(
    days_refused: np.ndarray | float,
    base: np.ndarray | float,
    growth: np.ndarray | float,
    aboard: np.ndarray | float = 0.0,
    vulnerable_share: np.ndarray | float = 0.0,
    positions: np.ndarray | float = 0.0,
    per_100_aboard: np.ndarray | float = 0.0,
    w_vulnerable: np.ndarray | float = 0.0,
    w_position: np.ndarray | float = 0.0,
) -> np.ndarray:
    """Chance today of an ad hoc deal for a ship refused for ``days_refused`` days (a standoff as a negotiation).

    ``base + growth·days`` (pressure grows with the wait), plus ``per_100_aboard`` per 100 people
    aboard, ``w_vulnerable`` times the share of vulnerable people aboard and ``w_position`` times
    ``positions`` (the mean ``accept_probability`` of the states asked), clipped to [0, 1]. All
    weights are assumptions; at 0 only the wait counts.
    """
    p = base + growth * np.asarray(days_refused, dtype=float)
    p = p + per_100_aboard * np.asarray(aboard, dtype=float) / 100.0 + w_vulnerable * np.asarray(vulnerable_share, dtype=float) + w_position * np.asarray(positions, dtype=float)
    return np.clip(p, 0.0, 1.0)


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
