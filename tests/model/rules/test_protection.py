"""Screening and referral after landing (model/rules/protection.py): known answers, conservation, both engines."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model.errors import ConfigError
from model.params import PROFILES
from model.rules import protection as pr
from model.scenarios import load

SMALL = load("central_med_small")
CHILD, VICTIM = PROFILES.index("unaccompanied_child"), PROFILES.index("trafficking_victim")


def _facts(**changes: float) -> np.ndarray:
    """Screening facts of central_med_small with ``changes`` (names of pr.FACTS), for one run."""
    f = pr.facts(SMALL)
    for k, v in changes.items():
        f[pr.F[k]] = v
    return f[None]


def _run(
    days: int, landed: np.ndarray, staff: tuple[float, float, float], facts: np.ndarray, seed: int = 0, wait: int = 30
) -> tuple[np.ndarray, pr.Queues]:
    """``days`` days of one state, ``landed`` (profiles) landing on day 0 only; the summed outcomes and the queues."""
    q = pr.Queues.empty(1, 1, wait, len(PROFILES))
    rng = np.random.default_rng(seed)
    total = np.zeros(len(pr.OUTCOMES), dtype=np.int64)
    for d in range(days):
        today = landed[None, None] if d == 0 else np.zeros((1, 1, len(PROFILES)), dtype=np.int64)
        total += pr.screen_day(q, today, np.array([[staff]], dtype=float), facts, rng.random((1, 1, pr.N_UNIFORMS)))[
            0, 0
        ]
    return total, q


LANDED = np.array([300, 300, 100, 150, 50])


def test_no_identification_staff_identifies_no_victim_and_screens_no_one():
    out, q = _run(40, LANDED, (0, 100, 100), _facts())
    assert (
        out[pr.OUT["screened"]] == 0
        and out[pr.OUT["victims_identified"]] == 0
        and out[pr.OUT["children_referred"]] == 0
    )
    assert out[pr.OUT["victims_not_screened"]] == LANDED[VICTIM]  # all moved on after max_wait_days
    assert out[pr.OUT["children_not_reached"]] == LANDED[CHILD] and q.screen.sum() == 0


def test_ample_staff_identifies_every_victim_and_refers_every_child_on_the_day_of_landing():
    f = _facts(victim_detection_max=1.0, child_as_adult_share=0.0, adult_as_child_share=0.0)
    out, q = _run(3, LANDED, (1000, 1000, 1000), f)
    assert out[pr.OUT["victims_identified"]] == LANDED[VICTIM] and out[pr.OUT["identification_days"]] == 0
    assert out[pr.OUT["children_referred"]] == LANDED[CHILD] and out[pr.OUT["referral_days"]] == 0
    assert out[pr.OUT["screened"]] == LANDED.sum() and q.screen.sum() == 0 and q.child.sum() == 0


def test_a_surge_queues_people_and_shortens_interviews():
    """One officer screens 28 a day (7 h / 0.25 h).

    Queued beyond that, each gets 7 h / queue, so fewer victims are spotted.
    """
    f = _facts(victim_detection_max=1.0, child_as_adult_share=0.0, adult_as_child_share=0.0)
    few = np.array([0, 0, 7, 0, 0])
    out, _ = _run(1, few, (1, 0, 0), f)
    assert out[pr.OUT["victims_identified"]] == 7  # 1 h each: the full chance, 1
    surge = np.array([0, 0, 280, 0, 0])
    out, q = _run(1, surge, (1, 0, 0), f, seed=3)
    assert out[pr.OUT["screened"]] == 28 and q.screen.sum() == 280 - 28  # the rest wait, a day older
    assert 0 < out[pr.OUT["victims_identified"]] < 28  # 7 h over 280 people: the shortest interview, a chance of 1/4
    tomorrow, _ = _run(2, surge, (1, 0, 0), f, seed=3)
    assert (
        tomorrow[pr.OUT["screened"]] == 56
        and tomorrow[pr.OUT["identification_days"]]
        == tomorrow[pr.OUT["victims_identified"]] - out[pr.OUT["victims_identified"]]
    )


def test_no_child_protection_officer_refers_no_child_and_guardians_keep_children_from_going_missing():
    f = _facts(child_as_adult_share=0.0, missing_per_day=0.05, guardian_missing_cut=1.0)
    out, _ = _run(40, LANDED, (1000, 0, 0), f)
    assert out[pr.OUT["children_referred"]] == 0 and out[pr.OUT["children_missing"]] > 0
    assert out[pr.OUT["children_missing"]] + out[pr.OUT["children_not_reached"]] == LANDED[CHILD]
    guarded, _ = _run(40, LANDED, (1000, 0, 1000), f)
    assert guarded[pr.OUT["children_missing"]] == 0 and guarded[pr.OUT["children_not_reached"]] == LANDED[CHILD]


def test_age_assessment_errs_both_ways():
    f = _facts(child_as_adult_share=1.0, adult_as_child_share=1.0)
    out, _ = _run(2, LANDED, (1000, 1000, 0), f)
    assert out[pr.OUT["children_as_adults"]] == LANDED[CHILD] and out[pr.OUT["children_referred"]] == 0
    assert out[pr.OUT["adults_referred_as_children"]] == LANDED.sum() - LANDED[CHILD]


@settings(max_examples=40, deadline=None)
@given(
    staff=st.tuples(st.floats(0, 30), st.floats(0, 30), st.floats(0, 30)),
    waits=st.integers(1, 12),
    errors=st.tuples(st.floats(0, 1), st.floats(0, 1), st.floats(0, 1), st.floats(0, 0.5)),
    seed=st.integers(0, 2**31),
)
def test_children_and_victims_are_conserved_through_screening(staff, waits, errors, seed):
    """landed = referred + taken for adults + missing + not reached + queued (children).

    Identified + missed + not screened + queued (victims).
    """
    f = _facts(
        max_wait_days=waits,
        victim_detection_max=errors[0],
        child_as_adult_share=errors[1],
        adult_as_child_share=errors[2],
        missing_per_day=errors[3],
    )
    rng = np.random.default_rng(seed)
    q = pr.Queues.empty(2, 2, 12, len(PROFILES))
    total, landed_total = (
        np.zeros((2, 2, len(pr.OUTCOMES)), dtype=np.int64),
        np.zeros((2, 2, len(PROFILES)), dtype=np.int64),
    )
    for _ in range(20):
        landed = rng.poisson(rng.choice([5.0, 200.0]), size=(2, 2, len(PROFILES)))
        landed_total += landed
        total += pr.screen_day(
            q,
            landed,
            np.broadcast_to(np.array(staff), (2, 2, 3)),
            np.repeat(f, 2, axis=0),
            rng.random((2, 2, pr.N_UNIFORMS)),
        )
        assert (q.screen >= 0).all() and (q.child >= 0).all()
    o, queued = pr.OUT, pr.queued(q)
    kids = (
        total[..., o["children_referred"]]
        + total[..., o["children_as_adults"]]
        + total[..., o["children_missing"]]
        + total[..., o["children_not_reached"]]
    )
    assert (landed_total[..., CHILD] == kids + queued[..., 0]).all()
    victims = (
        total[..., o["victims_identified"]] + total[..., o["victims_missed"]] + total[..., o["victims_not_screened"]]
    )
    assert (landed_total[..., VICTIM] == victims + queued[..., 1]).all()
    assert (total[..., o["screened"]] <= landed_total.sum(axis=-1) - q.screen.sum(axis=(2, 3))).all()


def test_split_is_exact_and_proportional():
    counts = np.array([[3, 0, 5, 2], [0, 0, 0, 0]])
    k = np.array([7, 0])
    s = np.zeros_like(counts)
    for i in range(2):
        pr.split(k[i], counts[i], s[i])
    assert s.sum(axis=1).tolist() == [7, 0] and (s <= counts).all() and s[0].tolist() == [2, 0, 4, 1]
    served = np.zeros(3, dtype=np.int64)
    pr.take_oldest(4, np.array([5, 1, 2]), served)
    assert served.tolist() == [1, 1, 2]  # the last cohort is the oldest


def test_protection_levers_are_validated():
    with pytest.raises(ConfigError, match="policy.protection.states.Atlantis"):
        SMALL.with_overrides({"policy.protection.states.Atlantis.guardians": 3})
    with pytest.raises(ConfigError, match="identification_staff"):
        SMALL.with_overrides({"policy.protection.states.Italy.identification_staff": -1})


@pytest.mark.parametrize("engine", ["mesa", "vector"])
def test_both_engines_screen_landings_with_the_same_rule(engine):
    """No identification staff: no victim identified and no child referred; every child landed is accounted for."""
    from model.engines import get_engine

    none = SMALL.with_overrides(
        {
            "world.days": 5,
            "world.start_date": "2016-07-01",
            "policy.protection.states.Italy.identification_staff": 0,
            "policy.protection.states.Malta.identification_staff": 0,
        }
    )
    s = get_engine(engine).run(none, 1).summary
    assert s["arrivals"] > 0 and s["victims_identified"] == 0 and s["children_referred"] == 0 and s["screened"] == 0
    ample = SMALL.with_overrides(
        {
            "world.days": 5,
            "world.start_date": "2016-07-01",
            "world.protection.victim_detection_max": 1.0,
            "world.protection.child_as_adult_share": 0.0,
            "world.protection.adult_as_child_share": 0.0,
        }
    )
    ample = ample.with_overrides(
        {f"policy.protection.states.{st}.{k}": 10_000 for st in ("Italy", "Malta") for k in pr.LEVERS}
    )
    s = get_engine(engine).run(ample, 1).summary
    prof = s["by_profile"]
    assert (
        s["victims_identified"] == prof["trafficking_victim"]["arrivals"] > 0
        and s["victims_identification_days_mean"] == 0.0
    )
    assert s["children_referred"] == prof["unaccompanied_child"]["arrivals"] > 0 and s["children_queued_end"] == 0
    assert (
        s["victims_reexploited"] == 0
        and s["trafficking_debt_voided_usd"] == s["victims_identified"] * ample.world.protection.trafficking_debt_usd
    )


def test_identification_spares_victims_exploitation_after_landing():
    """Unidentified victims are exploited to repay their debt (reexploitation_share); identified ones are not."""
    f = _facts(victim_detection_max=1.0, reexploitation_share=1.0)
    ample, _ = _run(3, LANDED, (1000, 0, 0), f)
    assert ample[pr.OUT["victims_identified"]] == LANDED[VICTIM] and ample[pr.OUT["victims_reexploited"]] == 0
    none, _ = _run(40, LANDED, (0, 0, 0), f)
    assert none[pr.OUT["victims_identified"]] == 0 and none[pr.OUT["victims_reexploited"]] == LANDED[VICTIM]


@pytest.mark.parametrize("engine", ["mesa", "vector"])
def test_staff_are_timeline_levers(engine):
    """Italy's and Malta's officers withdrawn from day 2.

    No child is referred from then on, and children queue instead.
    """
    from model.engines import get_engine

    cut = {"date": "2016-07-03", "name": "no_officers", "note": "test"}
    cut.update({f"policy.protection.states.{s}.child_protection_officers": 0 for s in ("Italy", "Malta")})
    scenario = SMALL.with_overrides({"world.days": 5, "world.start_date": "2016-07-01", "timeline": [cut]})
    r = get_engine(engine).run(scenario, 1)
    later = r.daily["children_referred"].to_numpy()[2:]
    assert later.sum() == 0 and r.summary["children_queued_end"] > 0
