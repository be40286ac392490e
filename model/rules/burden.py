"""Burden sharing: relocation keys, contributions instead of people, and each state's costs.

Relocation keys (``policy.cooperation.relocation_key_rule``), as in real proposals:

- ``negotiated``: the shares written in ``relocation_key``, or equal shares among the participants
  (what the model did before; for an ad hoc deal without participants, shares by reception
  capacity among the safe states);
- ``population_gdp``: the key of the European Commission's proposal for a crisis relocation
  mechanism, COM(2015) 450 (first set out in the annex of the European Agenda on Migration,
  COM(2015) 240): 40% population, 40% total GDP, 10% unemployment rate and 10% past asylum
  applications (with resettled refugees) per million inhabitants, 2010-2014. More people and
  more GDP raise a state's share; more unemployment and more past applications lower it. Here
  the last two enter as shares of their inverses, a documented simplification: the Commission
  capped their effect at 30% of the population and GDP effect, which this form does not do::

      key_i = 0.4 pop_i / sum(pop) + 0.4 gdp_i / sum(gdp)
            + 0.1 (1 / unemp_i) / sum(1 / unemp) + 0.1 (1 / asylum_i) / sum(1 / asylum)

- ``reception_capacity``: shares proportional to reception places.

The key is computed over the members (the participants; without participants, the states that
are a place of safety). Members that contribute instead of taking people
(``contributes_instead``) get no relocated people.

Contributions: a member's fair share of the burden is its key share of all people the members
took in (landed, plus relocated in, less relocated out). A member below its fair share pays
``contribution_eur_per_person`` for each person it is short; a member above it receives the same
price per person beyond it. Since the key sums to 1 over the members, payments and receipts
balance exactly (:func:`contributions`), the logic of the Djibouti-style framework the seed paper
describes (states that take no one contribute otherwise) and of the "solidarity contributions" of
Regulation (EU) 2024/1351.

Joining and leaving (``policy.cooperation.membership_rule`` = ``cost``; :func:`membership`): at the
start of each month a state outside the framework joins when what standoffs have cost it so far
(people-days its RCC's rescued spent waiting at sea, at ``standoff_eur_per_person_day``) exceeds
what membership would cost it (the people it would have to take in or pay for: its key share
among the members and itself of all they and it took in, less what it took, at
``contribution_eur_per_person``); a member leaves when it has taken in more than its fair share of
what all places of safety took in (its key share among them all, so that a member left alone does
not hold itself to 100%) by over ``leave_excess_people``. A state that has left does not rejoin in
the same run. Both prices
are assumptions; the rule is the issue's, not a finding.

References:
    European Commission, COM(2015) 450 final, Proposal for a Regulation establishing a crisis
    relocation mechanism, 9 September 2015. COM(2015) 240 final, A European Agenda on Migration,
    Annex. Regulation (EU) 2024/1351 on asylum and migration management.
"""

from __future__ import annotations

import numpy as np

NEGOTIATED, POPULATION_GDP, RECEPTION_CAPACITY = "negotiated", "population_gdp", "reception_capacity"
FIXED, COST = "fixed", "cost"  # membership rules: participants as given; joining and leaving by costs
#: The weights of COM(2015) 450's key: population, GDP, unemployment (inverse), past asylum applications (inverse).
EU_2015_WEIGHTS = (0.4, 0.4, 0.1, 0.1)


def _share(x: np.ndarray, members: np.ndarray) -> np.ndarray:
    """``x`` over the members as shares that sum to 1 (0 outside the members and where the members' sum is 0)."""
    x = np.where(members, np.asarray(x, dtype=float), 0.0)
    tot = x.sum()
    return x / tot if tot > 0 else x * 0.0


def population_gdp_key(
    population: np.ndarray,
    gdp: np.ndarray,
    unemployment_pct: np.ndarray,
    asylum_per_million: np.ndarray,
    members: np.ndarray,
) -> np.ndarray:
    """COM(2015) 450's key over ``members`` (see the module docstring): shares that sum to 1 over them.

    Examples:
        >>> ones = np.array([1.0, 1.0])
        >>> population_gdp_key(np.array([1.0, 3.0]), ones, np.array([10.0, 10.0]), ones, np.array([True, True]))
        array([0.4, 0.6])
    """
    m = np.asarray(members, dtype=bool)
    inv = lambda x: np.divide(1.0, x, out=np.zeros(np.shape(x)), where=np.asarray(x, dtype=float) > 0)  # noqa: E731
    wp, wg, wu, wa = EU_2015_WEIGHTS
    return (
        wp * _share(population, m)
        + wg * _share(gdp, m)
        + wu * _share(inv(np.asarray(unemployment_pct, dtype=float)), m)
        + wa * _share(inv(np.asarray(asylum_per_million, dtype=float)), m)
    )


def key_shares(scenario, states: tuple[str, ...], members: np.ndarray | None = None) -> np.ndarray:
    """Each state's key share under the scenario's ``relocation_key_rule`` (sums to 1 over the members; 0 elsewhere).

    ``members``: the members now (default: :func:`members_mask`), when states join or leave.
    """
    coop, w = scenario.policy.cooperation, scenario.world
    members = members_mask(scenario, states) if members is None else np.asarray(members, dtype=bool)
    rule = coop.relocation_key_rule
    if rule == POPULATION_GDP:
        fig = [w.burden.figures(s) for s in states]
        return population_gdp_key(
            np.array([f.population_millions for f in fig]),
            np.array([f.gdp_eur_bn for f in fig]),
            np.array([f.unemployment_pct for f in fig]),
            np.array([f.asylum_per_million for f in fig]),
            members,
        )
    if rule == RECEPTION_CAPACITY:
        return _share(np.array([w.states[s].reception_capacity_people for s in states]), members)
    if coop.relocation_key:
        return _share(np.array([coop.relocation_key.get(s, 0.0) for s in states]), members)
    return _share(np.ones(len(states)), members)


def members_mask(scenario, states: tuple[str, ...]) -> np.ndarray:
    """The states a key is shared among: the participants, or without participants the places of safety."""
    coop, w = scenario.policy.cooperation, scenario.world
    if coop.participants:
        return np.array([s in coop.participants for s in states], dtype=bool)
    return np.array([w.states[s].place_of_safety for s in states], dtype=bool)


def relocation_weights(
    scenario, states: tuple[str, ...], negotiated: np.ndarray, members: np.ndarray | None = None
) -> np.ndarray:
    """Shares of relocated people per state (before the landing state is removed), for both engines.

    ``negotiated`` is :func:`model.rules.disembarkation.relocation_weights` (the negotiated rule,
    unchanged); the other rules use :func:`key_shares` (over ``members``, default the
    participants). States that contribute instead of taking people get none.
    """
    coop = scenario.policy.cooperation
    w = (
        np.asarray(negotiated, dtype=float)
        if coop.relocation_key_rule == NEGOTIATED
        else key_shares(scenario, states, members)
    )
    if coop.contributes_instead:
        w = np.where([s in coop.contributes_instead for s in states], 0.0, w)
    return w


def relocated_share(
    share: np.ndarray | float, weights: np.ndarray, landing_state: np.ndarray | int, keeps_own: np.ndarray | bool
) -> np.ndarray:
    """The chance that a person landed in ``landing_state`` is relocated.

    (``weights``: shares per state, last axis, landing state included).

    Under a key rule (``keeps_own``) the landing state keeps its own key share of each group, and
    ``share`` (``relocation_share``) of the rest is relocated, so that relocations move the people
    towards the key instead of emptying the landing state into the others whatever their share.
    Under the negotiated rule every landed person is relocated with ``share`` (as before).
    """
    w = np.asarray(weights, dtype=float)
    tot = w.sum(axis=-1)
    own = (
        np.take_along_axis(w, np.asarray(landing_state)[..., None], axis=-1)[..., 0]
        if w.ndim > 1
        else w[int(landing_state)]
    )
    keep = np.divide(own, tot, out=np.zeros(np.shape(tot)), where=tot > 0)
    return np.asarray(share, dtype=float) * np.where(keeps_own, 1.0 - keep, 1.0)


def contributions(
    key: np.ndarray, taken: np.ndarray, members: np.ndarray, eur_per_person: float
) -> tuple[np.ndarray, np.ndarray]:
    """Each member's fair share of the people taken, and its contribution in EUR (paid > 0, received < 0).

    ``taken`` are the people each state took in (landed + relocated in - relocated out); the fair
    share of member i is ``key_i`` times the members' total. Contributions sum to 0 over the
    members whenever the key sums to 1 over them (states outside pay and receive nothing).

    Examples:
        >>> contributions(np.array([0.5, 0.5]), np.array([30, 10]), np.array([True, True]), 100.0)
        (array([20., 20.]), array([-1000.,  1000.]))
    """
    m = np.asarray(members, dtype=bool)
    k = np.where(m, np.asarray(key, dtype=float), 0.0)
    t = np.where(m, np.asarray(taken, dtype=float), 0.0)
    fair = k * t.sum()
    return fair, np.where(m, (fair - t) * float(eur_per_person), 0.0)


def reception_costs(reception_days: np.ndarray, eur_per_day: np.ndarray) -> np.ndarray:
    """Each state's cost of reception: person-days in reception times the cost of a person-day."""
    return np.asarray(reception_days, dtype=float) * np.asarray(eur_per_day, dtype=float)


def membership(
    scenario,
    states: tuple[str, ...],
    members: np.ndarray,
    left: np.ndarray,
    taken: np.ndarray,
    standoff_people_days: np.ndarray,
) -> np.ndarray:
    """The members after a monthly check under ``membership_rule`` = ``cost`` (see the module docstring).

    Unchanged under ``fixed``.

    Args:
        scenario: the run's scenario (prices, key rule, states' facts).
        states: state names, in the engines' order.
        members: who is a member now (bool per state).
        left: who has left during the run (never rejoins).
        taken: people each state took in so far (landed + relocated in - relocated out).
        standoff_people_days: people-days that ships with rescues its RCC coordinated spent waiting for a port, so far.

    Joins and leaves are decided from the same inputs, at once. Only places of safety join.

    Examples:
        A state whose standoffs cost more than its share would joins; a member far above its fair share leaves:
        see tests/model/rules/test_burden.py.
    """
    coop, w = scenario.policy.cooperation, scenario.world
    m = np.asarray(members, dtype=bool)
    if coop.membership_rule != COST:
        return m.copy()
    t = np.asarray(taken, dtype=float)
    eligible = np.array([w.states[s].place_of_safety for s in states], dtype=bool) & ~np.asarray(left, dtype=bool) & ~m
    join = np.zeros(m.size, dtype=bool)
    for s in np.flatnonzero(eligible):
        with_s = m.copy()
        with_s[s] = True
        share = key_shares(scenario, states, with_s)[s]
        owed = max(0.0, share * t[with_s].sum() - t[s]) * coop.contribution_eur_per_person
        join[s] = float(standoff_people_days[s]) * coop.standoff_eur_per_person_day > owed
    safe = np.array([w.states[s].place_of_safety for s in states], dtype=bool)
    key = key_shares(scenario, states, safe)  # its share among all places of safety, members or not
    leave = m & (t - key * t[safe].sum() > coop.leave_excess_people)
    return (m | join) & ~leave


def relocation_within_places(counts: np.ndarray, occupancy: np.ndarray, capacity: np.ndarray) -> np.ndarray:
    """People relocated to each state when a relocation falls due, at most its free reception places then.

    (``relocation_within_places``).

    Free places are whole persons, ``floor(max(0, capacity - occupancy))``; those a state has no
    room for stay in the landing state. Both engines call it per relocation, in landing order.

    Examples:
        >>> relocation_within_places(np.array([5, 3, 0]), np.array([8.0, 0.0, 0.0]), np.array([10.0, 10.0, 0.0]))
        array([2, 3, 0])
    """
    free = np.floor(np.maximum(0.0, np.asarray(capacity, dtype=float) - np.asarray(occupancy, dtype=float))).astype(
        np.int64
    )
    return np.minimum(np.asarray(counts, dtype=np.int64), free)


def trim_profiles(by_profile: np.ndarray, n: int) -> np.ndarray:
    """A group's counts by profile cut down to ``n`` people, taking from the last profile first.

    (the same in both engines, no draw).
    """
    out = np.asarray(by_profile, dtype=np.int64).copy()
    extra = int(out.sum()) - int(n)
    for j in range(out.size - 1, -1, -1):
        cut = min(int(out[j]), max(extra, 0))
        out[j] -= cut
        extra -= cut
    return out
