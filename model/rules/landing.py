"""Where people land under a standing framework: a landing rule, reception places and caps per state.

Under a standing framework a rescue ship does not bargain: the framework names the state where the
people land, and that state accepts (:func:`model.rules.disembarkation.state_accepts` with
``guaranteed``). Which state it names is the landing rule, chosen in the scenario
(``policy.cooperation.landing_rule``):

- ``nearest``: the nearest participant with a safe port, whatever its reception holds (the rule of
  earlier versions; with a small coastal participant it lands nearly everyone in that state);
- ``nearest_with_places``: the nearest participant whose free reception places (capacity less
  occupancy) hold the group; if none has room, the participant with the most free places;
- ``srr_state``: the state whose search-and-rescue region the rescue happened in, if it
  participates and has room; otherwise as ``nearest_with_places``;
- ``rotation``: participants take turns, in the order they are listed, skipping those without
  room (a landing moves the turn to the state after the one that took it);
- ``hub``: one participant (``landing_hub``: a disembarkation platform or regional hub) takes every
  group while it has room; otherwise as ``nearest_with_places``.

Every rule honours the caps per state (``landing_caps``, people landed under the framework per
calendar year): a participant whose landings this year plus the group would pass its cap is not
named, and is not bound to accept. If every participant is at its cap, the ship asks states in the
ordinary order, and each answers from its own stance. The proposals this follows are discussed in
the seed paper (a model framework for cooperation on rescue at sea) and in UNHCR and IOM's 2018
proposal for regional disembarkation arrangements (predictable landing, places shared out).

The rules are compiled scalar functions (numba) that both engines call: the Mesa engine per ship
with the model's arrays, the vectorised engine inside its compiled request loop.
"""

from __future__ import annotations

import numba
import numpy as np

NEAREST, NEAREST_WITH_PLACES, SRR_STATE, ROTATION, HUB = 0, 1, 2, 3, 4
#: The landing rules by name (``policy.cooperation.landing_rule``) and their codes for compiled loops.
LANDING_RULES = {
    "nearest": NEAREST,
    "nearest_with_places": NEAREST_WITH_PLACES,
    "srr_state": SRR_STATE,
    "rotation": ROTATION,
    "hub": HUB,
}


@numba.njit(cache=True)
def eligible_states(d, participants, n, landed, cap, out):
    """Participants the framework may name for a group of ``n`` people, into ``out``; returns how many.

    A participant is eligible if it has a safe port (``d`` finite: distance to its nearest safe
    port) and its landings under the framework this year (``landed``) plus ``n`` stay within its
    cap (``cap``, inf: none).
    """
    k = 0
    for s in range(d.size):
        out[s] = participants[s] and np.isfinite(d[s]) and landed[s] + n <= cap[s]
        k += out[s]
    return k


@numba.njit(cache=True)
def framework_landing_state(rule, d, eligible, srr, hub, rank, turn, n, free):
    """The state the framework names for a group of ``n`` people (-1: no participant is eligible).

    Args:
        rule: a code of :data:`LANDING_RULES`.
        d: distance to each state's nearest safe port (inf: none).
        eligible: :func:`eligible_states`.
        srr: the state whose SRR the rescue happened in (-1: none).
        hub: the hub state of the ``hub`` rule (-1: none).
        rank: each participant's place in the participants' list (-1: not a participant).
        turn: the rank whose turn it is under ``rotation``.
        n: people aboard.
        free: free reception places per state (capacity less occupancy; may be negative).
    """
    S = d.size
    best, best_d = -1, np.inf
    for s in range(S):  # the nearest eligible state (ties: the lower index, as a stable sort gives)
        if eligible[s] and d[s] < best_d:
            best, best_d = s, d[s]
    if rule == NEAREST or best < 0:
        return best
    if rule == SRR_STATE and 0 <= srr < S and eligible[srr] and free[srr] >= n:
        return srr
    if rule == HUB and 0 <= hub < S and eligible[hub] and free[hub] >= n:
        return hub
    if rule == ROTATION:
        k = 0
        for s in range(S):
            k = max(k, rank[s] + 1)
        for j in range(k):
            want = (turn + j) % k
            for s in range(S):
                if rank[s] == want and eligible[s] and free[s] >= n:
                    return s
    room, room_d = -1, np.inf
    most, most_free = -1, -np.inf
    for s in range(S):
        if not eligible[s]:
            continue
        if free[s] >= n and d[s] < room_d:
            room, room_d = s, d[s]
        if free[s] > most_free:
            most, most_free = s, free[s]
    return room if room >= 0 else most


@numba.njit(cache=True)
def next_turn(rank, s):
    """The rank whose turn comes after a landing in state ``s`` under ``rotation``."""
    k = 0
    for j in range(rank.size):
        k = max(k, rank[j] + 1)
    return (rank[s] + 1) % max(k, 1)


def ranks(participants: tuple[str, ...], states: tuple[str, ...]) -> np.ndarray:
    """Each state's place in the participants' list (-1 for states that do not participate)."""
    return np.array([participants.index(s) if s in participants else -1 for s in states], dtype=np.int64)


def caps(landing_caps: dict[str, float], states: tuple[str, ...]) -> np.ndarray:
    """Each state's cap on people landed under the framework per year (inf where none is set)."""
    return np.array([float(landing_caps.get(s, np.inf)) for s in states], dtype=float)
