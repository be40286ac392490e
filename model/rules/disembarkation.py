"""Places of safety: whom a ship asks, whether each state accepts, deals and relocation.

Acceptance is a logistic function of the state's stance (its base probability) shifted by where
the rescue happened, who rescued, vulnerable people aboard, reception occupancy and recent arrivals.
A base of exactly 0 or 1 is never shifted (a state that always refuses or always accepts), and a
standing framework guarantees acceptance by its participants.

The reasons the seed paper's states give for refusing the Elizabeth are terms of that function:

- "already overwhelmed": ``w_occupancy`` (reception occupancy above 80%) and ``w_recent`` (the
  high number of arrivals a state is coping with: arrivals of any kind in the last 7 days);
- "they were on their way to X": ``w_heading``, a push toward refusing when the boat was heading
  for another state (:func:`heading_state`: the state of the destination port of the boat's
  smuggling network);
- "the rescue did not take place in our waters": ``w_srr``, the pull toward accepting rescues in
  one's own search-and-rescue region; with ``w_srr`` > 0 a state is less willing outside it;
- "we do not want to set a precedent": ``w_precedent``, a push toward refusing per group the state
  let land on request recently (``precedent``: +1 per acceptance of a request, halved every
  ``precedent_half_life_days``; :func:`precedent_decay`).

A flag state without a port in the sea can still be asked (:func:`portless_flag_state`): it
cannot let a ship land, but if it agrees (by the same rule) it pledges to take the people, and
under an ad hoc framework the pledge makes the deal (see ODD 7.25).
"""

from __future__ import annotations

from typing import NamedTuple

import numba
import numpy as np

from model.numerics.categorical import categorical
from model.numerics.quantiles import binomial, multinomial
from model.numerics.special import c_expit, c_logit

NONE, AD_HOC, STANDING = 0, 1, 2
FRAMEWORK_CODES = {"none": NONE, "ad_hoc": AD_HOC, "standing": STANDING}


class Stance(NamedTuple):
    """What a state's answer to a request turns on, as arrays over states (numba passes it to compiled rules).

    One run's stance: 1-D arrays over states (``closed_kind``: states x vessel kinds). The
    vectorised engine holds every run's stance stacked (runs x states) and takes a run's row with
    :func:`stance_row`.
    """

    accept: np.ndarray  # base probability of accepting
    w_srr: np.ndarray  # pull toward accepting rescues in one's own SRR ("not our region")
    w_vulnerable: np.ndarray  # pull per share of vulnerable people aboard
    w_flag: np.ndarray  # pull toward accepting one's own flag's ships
    w_occupancy: np.ndarray  # push per unit of reception occupancy above 80% ("overwhelmed")
    w_recent: np.ndarray  # push per 1,000 arrivals in the last 7 days ("overwhelmed")
    w_heading: np.ndarray  # push when the boat was heading for another state
    w_precedent: np.ndarray  # push per recent acceptance ("a precedent")
    w_waiting: np.ndarray  # pull per day the ship has waited at sea (a standoff's pressure)
    closed_kind: np.ndarray  # refuses ships of these kinds outright (states x vessel kinds)
    closed_flags: np.ndarray  # refuses ships flagged by another modelled state


def stance(policies: list, kinds: tuple[str, ...]) -> Stance:
    """The :class:`Stance` of states with these ``policies`` (``StatePolicy``, in state order); ``kinds``.

    The vessel kinds.
    """
    arr = lambda field: np.array([getattr(p, field) for p in policies], dtype=float)  # noqa: E731
    return Stance(
        arr("accept_probability"),
        arr("own_srr_logit"),
        arr("vulnerable_logit"),
        arr("own_flag_logit"),
        arr("occupancy_logit"),
        arr("recent_arrivals_logit_per_1000"),
        arr("heading_elsewhere_logit"),
        arr("precedent_logit"),
        arr("waiting_logit_per_day"),
        np.array([[k in p.closed_to_kinds for k in kinds] for p in policies], dtype=bool).reshape(
            len(policies), len(kinds)
        ),
        np.array([p.closed_to_state_flags for p in policies], dtype=bool),
    )


@numba.njit(cache=True)
def stance_row(st: Stance, r: int) -> Stance:
    """Run ``r``'s :class:`Stance` from every run's, stacked (runs x states)."""
    return Stance(
        st.accept[r],
        st.w_srr[r],
        st.w_vulnerable[r],
        st.w_flag[r],
        st.w_occupancy[r],
        st.w_recent[r],
        st.w_heading[r],
        st.w_precedent[r],
        st.w_waiting[r],
        st.closed_kind[r],
        st.closed_flags[r],
    )


@numba.njit(cache=True)
def state_accepts(
    st: Stance,
    s: int,
    occupancy_ratio: float,
    recent_per_1000: float,
    precedent: float,
    kind: int,
    flag: int,
    rescue_srr: int,
    vulnerable_share: float,
    heading: int,
    guaranteed: bool,
    days_waited: int,
) -> float:
    """Chance that state ``s`` accepts a ship's request for a place of safety: the one rule both engines call.

    ``st``: the states' :class:`Stance`; the state's condition: ``occupancy_ratio`` (reception
    occupancy over capacity), ``recent_per_1000`` (arrivals in the last 7 days / 1,000),
    ``precedent`` (:func:`precedent_decay`); the ship: its ``kind`` (index into the vessel kinds),
    ``flag`` (state index, -1 for none), where it rescued (``rescue_srr``), the share of
    vulnerable people aboard, where the boat was heading (``heading``: a state index or -1), the
    days it has waited at sea refused (``days_waited``); ``guaranteed``: a standing framework binds ``s`` to accept. A
    closed port refuses whatever the rest.
    """
    if port_closed(st.closed_kind[s, kind], st.closed_flags[s], flag, s):
        return 0.0
    base = st.accept[s]
    if guaranteed or base >= 1.0:  # a base of exactly 0 or 1 is never shifted
        return 1.0
    if base <= 0.0:
        return 0.0
    crowding = min(1e6, max(0.0, occupancy_ratio - 0.8))  # a full state with no places is inf
    z = (
        c_logit(min(max(base, 1e-12), 1 - 1e-12), 0)
        + st.w_srr[s] * (1.0 if rescue_srr == s else 0.0)
        + st.w_vulnerable[s] * vulnerable_share
        + st.w_flag[s] * (1.0 if flag == s else 0.0)
    )
    z = z - st.w_occupancy[s] * crowding - st.w_recent[s] * recent_per_1000
    z = (
        z - st.w_heading[s] * (1.0 if heading >= 0 and heading != s else 0.0) - st.w_precedent[s] * precedent
    )  # (weights 0: z unchanged, to the bit)
    z = z + st.w_waiting[s] * days_waited
    return c_expit(z, 0)


def heading_state(destination_port: np.ndarray | int, port_state: np.ndarray) -> np.ndarray:
    """The state a boat was heading for.

    The state of its network's destination port (``port_state``: each port's state).

    A rescue ship keeps the heading of the first boat it took people from, as it keeps the SRR
    and the coordinating state of that rescue.
    """
    return np.asarray(port_state)[np.asarray(destination_port)]


def precedent_decay(precedent: np.ndarray | float, half_life_days: np.ndarray | float) -> np.ndarray:
    """A state's precedent after one more day.

    Halved every ``half_life_days`` (both engines call it at each day's start).
    """
    return np.asarray(precedent, dtype=float) * np.exp2(-1.0 / np.asarray(half_life_days, dtype=float))


@numba.njit(cache=True)
def portless_flag_state(steps, flag, d, safe):
    """The ship's flag state if it is to be asked though it has no safe port within reach, else -1.

    It is asked (after the states of the ordinary order) when the request order has the
    ``flag_state`` step, the flag is a modelled state, a place of safety (``safe``) and has no
    safe port in the sea (``d``: distances to each state's nearest safe port, inf for none). Such
    a state cannot let a ship land; if it agrees, it pledges to take the people.
    """
    n = d.size
    if flag < 0 or flag >= n or np.isfinite(d[flag]) or not safe[flag]:
        return -1
    for step in steps:
        if step == 3:
            return flag
    return -1


@numba.vectorize(cache=True)
def port_closed(kind_closed: bool, state_flags_closed: bool, flag_state: int, state: int) -> bool:
    """Whether ``state`` refuses a ship outright.

    Its kind is closed out, or it is flagged by another modelled state that is.

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
    skip: int = -1,
) -> list[int]:
    """States to ask, in order, each once; only states with a safe port are asked.

    Under a standing framework the nearest participating state is asked first. ``skip`` (-1: none)
    is a state the order's steps leave out (the coordinating state, when
    ``policy.cooperation.asks_coordinating_state`` is false); a state the framework names is asked.
    """
    row = request_orders(
        steps,
        np.array([coordinating_state]),
        np.array([srr_state]),
        np.asarray(port_distance, dtype=float)[None, :],
        np.array([flag_state]),
        participants,
        framework,
        skip,
    )[0]
    return [int(s) for s in row if s >= 0]


STEP_CODES = {
    "coordinating_state": 0,
    "srr_state": 1,
    "nearest_safe_port": 2,
    "flag_state": 3,
    "others_by_distance": 4,
}  # of the request steps, for the compiled loop


def request_orders(
    steps: tuple[str, ...],
    coordinating_state: np.ndarray,
    srr_state: np.ndarray,
    port_distance: np.ndarray,
    flag_state: np.ndarray,
    participants: np.ndarray,
    framework: int,
    skip: int = -1,
) -> np.ndarray:
    """:func:`request_order` for many ships at once: (ships x states) state indices, -1 padded.

    ``port_distance`` is (ships x states), inf for a state without a safe port.
    """
    dist = np.asarray(port_distance, dtype=float)
    m, n = dist.shape
    out = np.empty((m, n), dtype=np.int64)
    codes = np.array([STEP_CODES[step] for step in steps], dtype=np.int64)
    states = (np.broadcast_to(np.asarray(x, dtype=np.int64), (m,)) for x in (coordinating_state, srr_state, flag_state))
    fill_request_orders(codes, *states, dist, np.asarray(participants, dtype=bool), int(framework), int(skip), out)
    return out


@numba.njit(cache=True)
def fill_request_orders(steps, coord, srr, flag, dist, participants, framework, skip, out):
    """Each row of :func:`request_orders` (compiled)."""
    n = dist.shape[1]
    cand = np.empty(1 + steps.size * n, dtype=np.int64)
    seen = np.empty(n, dtype=np.bool_)
    for i in range(dist.shape[0]):
        request_order_row(steps, coord[i], srr[i], flag[i], dist[i], participants, framework, skip, cand, seen, out[i])


@numba.njit(cache=True)
def request_order_row(steps, coord, srr, flag, d, participants, framework, skip, cand, seen, out):
    """One ship's request order into ``out``.

    The steps' candidates in order, each state kept once if it has a safe port.

    ``d`` holds the distances to each state's nearest safe port (inf: none); ``skip`` is a state
    the steps leave out (-1: none; a state a standing framework names is still asked first);
    ``cand`` and ``seen`` are scratch arrays (``1 + steps.size * n`` and ``n`` long).
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
    first_step = 1 if framework == STANDING else 0  # candidates from the steps start here
    for j in range(c):
        s = cand[j]
        if s >= 0 and s == skip and j >= first_step:
            continue
        if s >= 0 and np.isfinite(d[s]) and not seen[s]:
            seen[s] = True
            out[k] = s
            k += 1


def medevac_states(port_distance: np.ndarray, evacuates: np.ndarray) -> np.ndarray:
    """The state that evacuates a waiting ship's medical cases, per ship.

    The nearest that does so and has a safe port (-1: none).

    ``port_distance`` is (ships x states), each state's nearest safe port (inf: none);
    ``evacuates`` the states' ``evacuates_medical_cases`` (states, or ships x states). A state
    may evacuate people from a ship it refuses to let land: the medical rule is separate from
    the request for a place of safety.
    """
    d = np.where(evacuates, np.asarray(port_distance, dtype=float), np.inf)
    s = np.argmin(d, axis=-1)
    return np.where(np.isfinite(np.take_along_axis(d, s[..., None], axis=-1)[..., 0]), s, -1)


def medevacs(medical_aboard: np.ndarray | int, probability: np.ndarray | float, u: np.ndarray | float) -> np.ndarray:
    """How many of a waiting ship's medical cases are evacuated today (both engines call it).

    Each with ``probability`` (``policy.sar.medevac_daily_probability``): a binomial draw by inverse
    CDF from the one uniform ``u`` (:func:`model.numerics.quantiles.binomial`).
    """
    return binomial(medical_aboard, probability, u)


def deaths_waiting(
    medical_aboard: np.ndarray | int, probability: np.ndarray | float, u: np.ndarray | float
) -> np.ndarray:
    """How many medical cases still aboard a waiting ship die today (both engines call it).

    Each with ``probability`` (``world.survival.waiting_medical_death_per_day``), after the day's
    medical evacuations: a binomial draw by inverse CDF from the one uniform ``u``.
    """
    return binomial(medical_aboard, probability, u)


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
    pledged: np.ndarray | bool = False,
) -> np.ndarray:
    """Chance today of an ad hoc deal for a ship refused for ``days_refused`` days (a standoff as a negotiation).

    ``base + growth·days`` (pressure grows with the wait), plus ``per_100_aboard`` per 100 people
    aboard, ``w_vulnerable`` times the share of vulnerable people aboard and ``w_position`` times
    ``positions`` (the mean ``accept_probability`` of the states asked), clipped to [0, 1]. All
    weights are assumptions; at 0 only the wait counts. A flag state's pledge to take the people
    (``pledged``, :func:`portless_flag_state`) makes the deal: 1.
    """
    p = base + growth * np.asarray(days_refused, dtype=float)
    p = (
        p
        + per_100_aboard * np.asarray(aboard, dtype=float) / 100.0
        + w_vulnerable * np.asarray(vulnerable_share, dtype=float)
        + w_position * np.asarray(positions, dtype=float)
    )
    return np.where(pledged, 1.0, np.clip(p, 0.0, 1.0))


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


def deal_state(free_places: np.ndarray, u: np.ndarray | float, candidates: np.ndarray | None = None) -> np.ndarray:
    """Which candidate lands the people of an ad hoc deal (index on the last axis), drawn with the uniform ``u``.

    In proportion to :func:`deal_weights` (free reception places); both engines call it, the Mesa
    engine over its list of candidates, the vectorised engine over every state with ``candidates``
    as a mask (one row per ship).
    """
    return categorical(deal_weights(free_places, candidates), u)


def deal_candidates(configured: np.ndarray, asked: np.ndarray) -> np.ndarray:
    """States that may land the people of an ad hoc deal (a mask on the last axis, one row per ship).

    The configured deal landing states (``policy.cooperation.deal_landing_states``, those with a
    safe port) if there are any, else the states the ship asked.
    """
    configured, asked = np.asarray(configured, dtype=bool), np.asarray(asked, dtype=bool)
    return np.where(configured.any(axis=-1, keepdims=True), configured, asked)


def deal_landing_states(names: tuple[str, ...], states: tuple[str, ...], has_safe_port: np.ndarray) -> list[int]:
    """Indices of the configured deal landing states that have a safe port, in the configured order."""
    return [states.index(n) for n in names if has_safe_port[states.index(n)]]


def relocation_weights(
    key: dict[str, float],
    states: tuple[str, ...],
    participants: np.ndarray,
    framework: int,
    capacity: np.ndarray,
    safe: np.ndarray,
) -> np.ndarray:
    """Shares of relocated people per state (before the landing state is removed).

    A relocation key if one is set; else equal shares among the framework's participants; else,
    for an ad hoc deal without participants, shares by reception capacity among safe states.
    """
    if key:
        return np.array([key.get(n, 0.0) for n in states], dtype=float)
    if framework == STANDING or np.asarray(participants).any():
        return np.asarray(participants, dtype=float)
    return np.where(safe, np.asarray(capacity, dtype=float), 0.0)


def relocation_counts(n: np.ndarray, weights: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Split ``n`` relocated people of each group among states by ``weights`` (a multinomial draw).

    ``n`` (groups,), ``weights`` and ``u`` (groups, states): one uniform per group and state (conditional
    binomials by inverse CDF, :func:`model.numerics.quantiles.multinomial`). A group whose weights are
    all 0 goes nowhere.
    """
    w = np.asarray(weights, dtype=float)
    total = w.sum(axis=1, keepdims=True)
    return multinomial(np.where(total[:, 0] > 0, n, 0), w / np.where(total > 0, total, 1.0), u)
