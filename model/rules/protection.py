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
still queued (:func:`queued`; tests/model/rules/test_protection.py).

References:
    GFMD Roundtable 3.2 background paper (the project's seed), section on unaccompanied and
    separated children (age assessment, guardians, identification and referral; Mexico's child
    protection officers) and on trafficking.
"""

from __future__ import annotations

from dataclasses import dataclass

import numba
import numpy as np

from model.numerics.quantiles import binomial_one

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


def facts(scenario) -> np.ndarray:
    """The scenario's screening facts as a float array in :data:`FACTS` order."""
    p = scenario.world.protection
    return np.array([float(getattr(p, name)) for name in FACTS])


def capacities(scenario, states: tuple[str, ...] | list[str]) -> np.ndarray:
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
        return cls(
            np.zeros((runs, states, max_wait_days, profiles), dtype=np.int64),
            np.zeros((runs, states, max_wait_days, 2), dtype=np.int64),
        )


# indices the compiled loop reads (numba freezes module globals at compile time)
_HOURS, _MIN_H, _FULL_H, _DETECT = (
    F["staff_hours_per_day"],
    F["min_interview_hours"],
    F["full_interview_hours"],
    F["victim_detection_max"],
)
_AS_ADULT, _AS_CHILD, _REFERRALS, _MISSING = (
    F["child_as_adult_share"],
    F["adult_as_child_share"],
    F["referrals_per_officer_day"],
    F["missing_per_day"],
)
_PER_GUARDIAN, _GUARDIAN_CUT, _MAX_WAIT, _REEXPLOIT = (
    F["children_per_guardian"],
    F["guardian_missing_cut"],
    F["max_wait_days"],
    F["reexploitation_share"],
)
_SCREENED, _REFERRED, _ADULTS_AS_CHILDREN, _CHILDREN_AS_ADULTS = (
    OUT["screened"],
    OUT["children_referred"],
    OUT["adults_referred_as_children"],
    OUT["children_as_adults"],
)
_CHILDREN_MISSING, _NOT_REACHED, _IDENTIFIED, _MISSED = (
    OUT["children_missing"],
    OUT["children_not_reached"],
    OUT["victims_identified"],
    OUT["victims_missed"],
)
_NOT_SCREENED, _REEXPLOITED, _REFERRAL_DAYS, _IDENT_DAYS = (
    OUT["victims_not_screened"],
    OUT["victims_reexploited"],
    OUT["referral_days"],
    OUT["identification_days"],
)


@numba.njit(cache=True)
def draw_binomial(n: int, p: float, u: float) -> int:
    """A Binomial(n, p) draw by the exact inverse CDF of the uniform ``u`` (scipy's ``binom.ppf``, to the draw)."""
    if n <= 0 or not p > 0.0:
        return 0
    if p >= 1.0:
        return n
    return binomial_one(float(n), p, u)


@numba.njit(cache=True)
def take_oldest(capacity: int, cohorts: np.ndarray, out: np.ndarray) -> None:
    """How many of each cohort (index: days since landing) a capacity serves, oldest first, into ``out``."""
    left = capacity
    for a in range(cohorts.size - 1, -1, -1):
        out[a] = min(max(left, 0), cohorts[a])
        left -= cohorts[a]


@numba.njit(cache=True)
def split(k: int, counts: np.ndarray, out: np.ndarray) -> None:
    """Share ``k`` (at most the total) among ``counts`` in proportion, in integers, into ``out``.

    Largest remainders get the leftover units (ties to the lower index), so the split is exact,
    never exceeds a cell, and needs no random draw.
    """
    m, tot = counts.size, 0
    for i in range(m):
        tot += counts[i]
    if k >= tot or k <= 0:
        for i in range(m):
            out[i] = counts[i] if k >= tot else 0
        return
    gap = np.empty(m)  # floor minus exact share: the most negative is the largest remainder
    left = k
    for i in range(m):
        share = (k * counts[i]) / tot
        out[i] = np.int64(np.floor(share))
        left -= out[i]
        gap[i] = np.floor(share) - share
    for i in range(m):
        rank = 0  # cells before this one in order of remainder (ties: lower index first)
        for j in range(m):
            if gap[j] < gap[i] or (gap[j] == gap[i] and j < i):
                rank += 1
        if rank < left:
            out[i] += 1


def split_rows(k: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """:func:`split` for each row of ``counts`` (2-d) and its ``k``: an int64 array like ``counts``."""
    counts = np.ascontiguousarray(counts, dtype=np.int64)
    out = np.zeros_like(counts)
    for i, ki in enumerate(np.asarray(k, dtype=np.int64).tolist()):
        split(ki, counts[i], out[i])
    return out


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
    c = np.ascontiguousarray  # (one compiled version for every caller)
    _screen(
        q.screen,
        q.child,
        c(landed, dtype=np.int64),
        c(staff, dtype=float),
        c(facts, dtype=float),
        c(u, dtype=float),
        out,
    )
    return out


@numba.njit(cache=True)
def _screen(
    screen: np.ndarray,
    child: np.ndarray,
    landed: np.ndarray,
    staff: np.ndarray,
    facts: np.ndarray,
    u: np.ndarray,
    out: np.ndarray,
) -> None:
    """:func:`screen_day` on the queues' arrays (compiled: a loop over runs, states and the cohorts in use)."""
    R, S, W, P = screen.shape
    served, cohort = np.empty(W, dtype=np.int64), np.empty(W, dtype=np.int64)
    kids, adults, victims = np.empty(W, dtype=np.int64), np.empty(W, dtype=np.int64), np.empty(W, dtype=np.int64)
    as_adult, as_child, found = np.empty(W, dtype=np.int64), np.empty(W, dtype=np.int64), np.empty(W, dtype=np.int64)
    part, two = np.empty(P, dtype=np.int64), np.empty(2, dtype=np.int64)
    for r in range(R):
        f = facts[r]
        for s in range(S):
            sq, cq, o = screen[r, s], child[r, s], out[r, s]
            o[:] = 0
            for k in range(P):
                sq[0, k] += landed[r, s, k]
            n = 0  # cohorts in use (the older ones are empty)
            for a in range(W):
                for k in range(P):
                    if sq[a, k] != 0:
                        n = a + 1
                if cq[a, 0] != 0 or cq[a, 1] != 0:
                    n = a + 1
            if n == 0:
                continue
            # 1. screening, oldest first; interview time from the staff's hours over the people queued
            hours = staff[r, s, 0] * f[_HOURS]
            capacity = np.int64(np.floor(hours / f[_MIN_H] + 1e-9))
            queued_n = 0
            for a in range(n):
                cohort[a] = 0
                for k in range(P):
                    cohort[a] += sq[a, k]
                queued_n += cohort[a]
            if capacity > 0 and queued_n > 0:
                take_oldest(capacity, cohort[:n], served)
                n_kids, n_adults, n_victims = 0, 0, 0
                for a in range(n):
                    split(served[a], sq[a], part)
                    kids[a], victims[a], adults[a] = part[CHILD], part[TRAFFICKING], 0
                    for k in range(P):
                        sq[a, k] -= part[k]
                        o[_SCREENED] += part[k]
                        if k != CHILD:
                            adults[a] += part[k]
                    n_kids += kids[a]
                    n_adults += adults[a]
                    n_victims += victims[a]
                interview = min(max(hours / queued_n, f[_MIN_H]), f[_FULL_H])
                # 2. age assessment, errors both ways; 3. trafficking victims spotted with the interview time
                p_id = f[_DETECT] * min(1.0, interview / f[_FULL_H])
                split(draw_binomial(n_kids, f[_AS_ADULT], u[r, s, 0]), kids[:n], as_adult)
                split(draw_binomial(n_adults, f[_AS_CHILD], u[r, s, 1]), adults[:n], as_child)
                split(draw_binomial(n_victims, p_id, u[r, s, 2]), victims[:n], found)
                for a in range(n):
                    o[_CHILDREN_AS_ADULTS] += as_adult[a]
                    o[_IDENTIFIED] += found[a]
                    o[_MISSED] += victims[a] - found[a]
                    o[_IDENT_DAYS] += found[a] * a
                    cq[a, 0] += kids[a] - as_adult[a]
                    cq[a, 1] += as_child[a]
            # 4. referral by child-protection officers, oldest first; the rest may go missing
            waiting = 0
            for a in range(n):
                cohort[a] = cq[a, 0] + cq[a, 1]
                waiting += cohort[a]
            if waiting > 0:
                take_oldest(np.int64(np.floor(staff[r, s, 1] * f[_REFERRALS] + 1e-9)), cohort[:n], served)
                w = np.zeros(2, dtype=np.int64)
                for a in range(n):
                    split(served[a], cq[a], two)
                    cq[a, 0] -= two[0]
                    cq[a, 1] -= two[1]
                    o[_REFERRED] += two[0]
                    o[_ADULTS_AS_CHILDREN] += two[1]
                    o[_REFERRAL_DAYS] += two[0] * a
                    w += cq[a]
                cover = min(1.0, staff[r, s, 2] * f[_PER_GUARDIAN] / (w[0] + w[1])) if w[0] + w[1] > 0 else 1.0
                p_missing = f[_MISSING] * (1.0 - f[_GUARDIAN_CUT] * cover)
                for kind in range(2):  # children, adults taken for children
                    for a in range(n):
                        cohort[a] = cq[a, kind]
                    split(draw_binomial(w[kind], p_missing, u[r, s, 3 + kind]), cohort[:n], served)
                    for a in range(n):
                        cq[a, kind] -= served[a]
                        if kind == 0:
                            o[_CHILDREN_MISSING] += served[a]
            # 5. a day older: cohorts at the run's max_wait_days have moved on (queues are as long as the batch's
            # longest)
            for a in range(n):
                if a >= f[_MAX_WAIT] - 1:
                    o[_NOT_REACHED] += sq[a, CHILD] + cq[a, 0]
                    o[_NOT_SCREENED] += sq[a, TRAFFICKING]
                    sq[a, :] = 0
                    cq[a, :] = 0
            o[_REEXPLOITED] = draw_binomial(o[_MISSED] + o[_NOT_SCREENED], f[_REEXPLOIT], u[r, s, 5])
            for a in range(min(n, W - 1), 0, -1):  # (cohort W - 1, if in use, has just moved on)
                sq[a, :] = sq[a - 1, :]
                cq[a, :] = cq[a - 1, :]
            sq[0, :] = 0
            cq[0, :] = 0


def queued(q: Queues) -> np.ndarray:
    """(runs, states, 2) unaccompanied children and trafficking victims still queued (screening or referral)."""
    return np.stack(
        [q.screen[..., CHILD].sum(axis=2) + q.child[..., 0].sum(axis=2), q.screen[..., TRAFFICKING].sum(axis=2)],
        axis=-1,
    )
