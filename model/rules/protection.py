"""Screening and referral after landing: who is identified as a child or a trafficking victim, when, and who is missed.

One rule for both engines, over (runs x states) arrays, called once per simulated day with that
day's landings by state and profile. It keeps no state of its own: the queues live in a
:class:`Queues` the engine owns, and every random draw comes from uniforms the engine passes in
(the Mesa engine from a Generator spawned from the run's seed, the vectorised engine from its
counter-based streams), turned into binomial draws by their exact inverse CDF.

The process, per state and day (``model/params_protection.py`` has every parameter):

1. **Screening queue.** Everyone landed joins a queue of daily cohorts. Identification staff screen
   ``staff x staff_hours_per_day / min_interview_hours`` people a day, oldest cohort first (within a
   cohort, profiles in proportion). The interview time each gets is the staff's hours over the
   people queued, between ``min_interview_hours`` and ``full_interview_hours``: a surge of landings
   shortens interviews as well as lengthening the queue.
2. **Age assessment** (errors both ways): a screened unaccompanied child is taken for an adult with
   chance ``child_as_adult_share`` (adult procedures: missed); a screened adult is taken for a child
   with chance ``adult_as_child_share`` (and takes a child-protection officer's time).
3. **Trafficking victims** screened are identified with chance ``victim_detection_max x min(1,
   interview time / full_interview_hours)``; the others are missed (unidentified).
4. **Referral.** Children assessed as children wait for a child-protection officer, who refers
   ``referrals_per_officer_day`` a day (oldest first). While they wait, each goes missing from
   reception with chance ``missing_per_day`` a day, cut by ``guardian_missing_cut`` for the share of
   waiting children that the state's guardians can follow (``guardians x children_per_guardian``).
5. Anyone still queued ``max_wait_days`` after landing has moved on unscreened (or unreferred): missed.
6. **Trafficking and debt.** An identified victim gets protection and a legal status, and the debt to
   the traffickers goes unenforced; an unidentified one (missed, or never screened) is exploited after
   landing to pay it with chance ``reexploitation_share``.

People are conserved: for unaccompanied children, landed = referred + taken for adults + missing +
not reached + still queued; for trafficking victims, landed = identified + missed + not screened +
still queued (:func:`queued`; tests/test_protection.py).

References:
    GFMD Roundtable 3.2 background paper (the project's seed), section on unaccompanied and
    separated children (age assessment, guardians, identification and referral; Mexico's child
    protection officers) and on trafficking.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.stats import binom

try:  # the ufunc behind scipy.stats.binom.ppf (Boost's quantile), without binom.ppf's per-call argument checks
    from scipy.special._ufuncs import _binom_ppf
except ImportError:  # pragma: no cover (a scipy that moved it: the public function, slower per call)
    _binom_ppf = binom.ppf

#: Profile indices the rule singles out (the order of ``model.params.PROFILES``).
TRAFFICKING, CHILD = 2, 3

#: What the rule counts per run, state and day (the last axis of :func:`screen_day`'s output).
OUTCOMES: tuple[str, ...] = (
    "screened",  # people screened (every profile)
    "children_referred",  # unaccompanied children referred to child protection
    "adults_referred_as_children",  # adults taken for children and referred
    "children_as_adults",  # unaccompanied children taken for adults (adult procedures)
    "children_missing",  # unaccompanied children gone missing from reception before referral
    "children_not_reached",  # unaccompanied children not screened or not referred within max_wait_days
    "victims_identified",  # trafficking victims identified at screening
    "victims_missed",  # trafficking victims screened but not identified
    "victims_not_screened",  # trafficking victims not screened within max_wait_days
    "victims_reexploited",  # trafficking victims unidentified (missed or not screened) and exploited after landing
    "referral_days",  # days from landing to referral, summed over the children referred
    "identification_days",  # days from landing to identification, summed over the victims identified
)
OUT = {name: i for i, name in enumerate(OUTCOMES)}
#: Uniforms :func:`screen_day` takes per run, state and day (the last axis of ``u``).
N_UNIFORMS = 6

#: Scenario values the rule reads, in the order of :func:`facts`'s array.
FACTS: tuple[str, ...] = (
    "staff_hours_per_day",
    "min_interview_hours",
    "full_interview_hours",
    "victim_detection_max",
    "child_as_adult_share",
    "adult_as_child_share",
    "referrals_per_officer_day",
    "missing_per_day",
    "children_per_guardian",
    "guardian_missing_cut",
    "max_wait_days",
    "reexploitation_share",
)
F = {name: i for i, name in enumerate(FACTS)}
#: Per-state levers, in the order of :func:`capacities`'s last axis.
LEVERS: tuple[str, ...] = ("identification_staff", "child_protection_officers", "guardians")


def facts(scenario) -> np.ndarray:  # noqa: ANN001  (a model.params.Scenario; rules do not import params)
    """The scenario's screening facts as a float array in :data:`FACTS` order."""
    p = scenario.world.protection
    return np.array([float(getattr(p, name)) for name in FACTS])


def capacities(scenario, states: tuple[str, ...] | list[str]) -> np.ndarray:  # noqa: ANN001
    """Each state's staff (states x :data:`LEVERS`); a state the scenario does not list has none."""
    table = scenario.policy.protection.states
    out = np.zeros((len(states), len(LEVERS)))
    for i, s in enumerate(states):
        if s in table:
            out[i] = [float(getattr(table[s], name)) for name in LEVERS]
    return out


@dataclass(slots=True)
class Queues:
    """People waiting after landing, per run, state and days since landing (index 0: landed today).

    Attributes:
        screen: (runs, states, max_wait_days, profiles) people not yet screened.
        child: (runs, states, max_wait_days, 2) people assessed as children awaiting referral:
            [..., 0] unaccompanied children, [..., 1] adults taken for children.
    """

    screen: np.ndarray
    child: np.ndarray

    @classmethod
    def empty(cls, runs: int, states: int, max_wait_days: int, profiles: int) -> Queues:
        """Empty queues."""
        return cls(np.zeros((runs, states, max_wait_days, profiles), dtype=np.int64), np.zeros((runs, states, max_wait_days, 2), dtype=np.int64))


def draw_binomial(n: np.ndarray, p: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Binomial(n, p) draws by the exact inverse CDF of uniforms ``u`` (all broadcast); int64."""
    n, p, u = np.broadcast_arrays(np.asarray(n, dtype=np.int64), np.asarray(p, dtype=float), np.asarray(u, dtype=float))
    out = np.zeros(n.shape, dtype=np.int64)
    full = (p >= 1.0) & (n > 0)
    out[full] = n[full]
    mid = (p > 0.0) & (p < 1.0) & (n > 0)
    if mid.any():
        out[mid] = _binom_ppf(u[mid], n[mid], p[mid]).astype(np.int64)
    return out


def split(k: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Share ``k`` (each <= the row's total) among the cells of ``counts``' last axis in proportion, in integers.

    Largest remainders get the leftover units (ties to the lower index), so the split is exact,
    never exceeds a cell, and needs no random draw.
    """
    counts = np.asarray(counts, dtype=np.int64)
    k = np.asarray(k, dtype=np.int64)
    tot = counts.sum(axis=-1)
    out = np.where((k >= tot)[..., None], counts, 0)  # nothing, or everything: no sharing to do
    part = (k > 0) & (k < tot)
    if part.any():
        c, kk = counts[part], k[part]
        share = kk[:, None] * c / tot[part][:, None]
        base = np.floor(share).astype(np.int64)
        left = kk - base.sum(axis=-1)
        rank = np.argsort(np.argsort(base - share, axis=-1, kind="stable"), axis=-1, kind="stable")  # 0: largest remainder
        out[part] = base + (rank < left[:, None])
    return out


def take_oldest(capacity: np.ndarray, cohorts: np.ndarray) -> np.ndarray:
    """How many of each cohort (last axis: days since landing) a capacity serves, oldest first."""
    older = np.cumsum(cohorts[..., ::-1], axis=-1)[..., ::-1] - cohorts  # people in older cohorts
    return np.clip(np.asarray(capacity)[..., None] - older, 0, cohorts).astype(np.int64)


def _in_use(queue: np.ndarray) -> int:
    """How many of the youngest cohorts (axis 2) hold anyone in some run and state."""
    used = np.flatnonzero(queue.any(axis=(0, 1, 3)))
    return int(used[-1]) + 1 if used.size else 0


def screen_day(q: Queues, landed: np.ndarray, staff: np.ndarray, facts: np.ndarray, u: np.ndarray) -> np.ndarray:
    """One day of screening and referral in every run and state; updates ``q`` in place.

    Args:
        q: the queues (:class:`Queues`), ``max_wait_days`` long.
        landed: (runs, states, profiles) people landed today.
        staff: (runs, states, 3) identification staff, child-protection officers and guardians (:data:`LEVERS`).
        facts: (runs, len(FACTS)) the screening facts of each run's scenario (:func:`facts`).
        u: (runs, states, N_UNIFORMS) uniforms in (0, 1) for today's draws.

    Returns:
        (runs, states, len(OUTCOMES)) today's counts (:data:`OUTCOMES`).
    """
    out = np.zeros((*q.screen.shape[:2], len(OUTCOMES)), dtype=np.int64)
    q.screen[:, :, 0] += landed
    for s in range(q.screen.shape[1]):  # a state at a time, on views of its cohorts in use (most states have few or none)
        one = Queues(q.screen[:, s : s + 1], q.child[:, s : s + 1])
        n = max(_in_use(one.screen), _in_use(one.child), 1)
        out[:, s : s + 1] = _state_day(one, n, staff[:, s : s + 1], facts, u[:, s : s + 1])
    return out


def _state_day(q: Queues, n: int, staff: np.ndarray, facts: np.ndarray, u: np.ndarray) -> np.ndarray:
    """:func:`screen_day` for the queues ``q`` of one state (a states axis of length 1), whose cohorts beyond ``n`` are empty."""
    W = q.screen.shape[2]
    out = np.zeros((*q.screen.shape[:2], len(OUTCOMES)), dtype=np.int64)
    f = facts[:, None, :]
    sq, cq, ages = q.screen[:, :, :n], q.child[:, :, :n], np.arange(n)  # views: writes reach the queues
    # 1. screening, oldest first; interview time from the staff's hours over the people queued
    hours = staff[..., 0] * f[..., F["staff_hours_per_day"]]
    capacity = np.floor(hours / f[..., F["min_interview_hours"]] + 1e-9).astype(np.int64)
    if capacity.any() and sq.any():
        queued_n = sq.sum(axis=(2, 3))
        per_cohort = take_oldest(capacity, sq.sum(axis=3))  # (R, 1, n)
        screened = split(per_cohort, sq)  # (R, 1, n, P)
        sq -= screened
        out[..., OUT["screened"]] = screened.sum(axis=(2, 3))
        interview = np.clip(np.divide(hours, queued_n, out=np.zeros(hours.shape), where=queued_n > 0), f[..., F["min_interview_hours"]], f[..., F["full_interview_hours"]])
        # 2. age assessment, errors both ways; 3. trafficking victims spotted with the interview time
        kids, adults = screened[..., CHILD], screened.sum(axis=3) - screened[..., CHILD]
        p_id = f[..., F["victim_detection_max"]] * np.minimum(1.0, interview / f[..., F["full_interview_hours"]])
        victims = screened[..., TRAFFICKING]
        n3 = np.stack([kids.sum(axis=2), adults.sum(axis=2), victims.sum(axis=2)], axis=-1)
        p3 = np.stack(np.broadcast_arrays(f[..., F["child_as_adult_share"]], f[..., F["adult_as_child_share"]], p_id), axis=-1)
        k3 = draw_binomial(n3, p3, u[..., :3])  # (one call: scipy's per-call cost dominates at these sizes)
        as_adult, as_child, found = split(k3[..., 0], kids), split(k3[..., 1], adults), split(k3[..., 2], victims)
        out[..., OUT["children_as_adults"]] = as_adult.sum(axis=2)
        out[..., OUT["victims_identified"]] = found.sum(axis=2)
        out[..., OUT["victims_missed"]] = victims.sum(axis=2) - found.sum(axis=2)
        out[..., OUT["identification_days"]] = (found * ages).sum(axis=2)
        cq[..., 0] += kids - as_adult
        cq[..., 1] += as_child
    # 4. referral by child-protection officers, oldest first; the rest may go missing
    if cq.any():
        officers = np.floor(staff[..., 1] * f[..., F["referrals_per_officer_day"]] + 1e-9).astype(np.int64)
        referred = split(take_oldest(officers, cq.sum(axis=3)), cq)  # (R, 1, n, 2)
        cq -= referred
        out[..., OUT["children_referred"]] = referred[..., 0].sum(axis=2)
        out[..., OUT["adults_referred_as_children"]] = referred[..., 1].sum(axis=2)
        out[..., OUT["referral_days"]] = (referred[..., 0] * ages).sum(axis=2)
        waiting = cq.sum(axis=(2, 3))
        cover = np.minimum(1.0, np.divide(staff[..., 2] * f[..., F["children_per_guardian"]], waiting, out=np.ones(waiting.shape), where=waiting > 0))
        p_missing = f[..., F["missing_per_day"]] * (1.0 - f[..., F["guardian_missing_cut"]] * cover)
        k2 = draw_binomial(cq.sum(axis=2), p_missing[..., None], u[..., 3:5])  # children, adults taken for children
        for kind in (0, 1):
            gone = split(k2[..., kind], cq[..., kind])
            cq[..., kind] -= gone
            if kind == 0:
                out[..., OUT["children_missing"]] = gone.sum(axis=2)
    # 5. a day older: cohorts at the run's max_wait_days have moved on (queues are as long as the batch's longest)
    last = (ages[None, :] >= facts[:, F["max_wait_days"], None] - 1)[:, None, :]  # (R, 1, n)
    out[..., OUT["children_not_reached"]] = ((sq[..., CHILD] + cq[..., 0]) * last).sum(axis=2)
    out[..., OUT["victims_not_screened"]] = (sq[..., TRAFFICKING] * last).sum(axis=2)
    unidentified = out[..., OUT["victims_missed"]] + out[..., OUT["victims_not_screened"]]
    out[..., OUT["victims_reexploited"]] = draw_binomial(unidentified, f[..., F["reexploitation_share"]], u[..., 5])
    sq *= ~last[..., None]
    cq *= ~last[..., None]
    m = min(n, W - 1)  # (cohort W - 1, if in use, has just moved on)
    for queue in (q.screen, q.child):
        queue[:, :, 1 : m + 1] = queue[:, :, :m].copy()
        queue[:, :, 0] = 0
    return out


def queued(q: Queues) -> np.ndarray:
    """(runs, states, 2) unaccompanied children and trafficking victims still queued (screening or referral)."""
    return np.stack([q.screen[..., CHILD].sum(axis=2) + q.child[..., 0].sum(axis=2), q.screen[..., TRAFFICKING].sum(axis=2)], axis=-1)
