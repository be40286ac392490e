"""People are conserved at every step, for random valid scenarios, in both engines (property test)."""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from model.mesa_engine import MigrationModel
from model.outcomes import STATUSES
from model.scenarios import load
from model.vector_engine import Batch, results

SMALL = load("central_med_small")
STATES = list(SMALL.world.states)

levers = st.fixed_dictionaries(
    {
        "world.days": st.integers(3, 10),
        "world.demand.people_per_year": st.floats(5_000, 80_000),
        "world.demand.retry_probability": st.floats(0, 1),
        "world.demand.detention_days": st.floats(0, 3),
        "world.boats.rubber.distress_per_hour": st.floats(0, 0.5),
        "world.boats.rubber.capsize_mean_hours": st.floats(0.5, 200),
        "world.survival.approach_capsize_probability": st.floats(0, 0.5),
        "world.adaptation.strength": st.floats(0, 1),
        "policy.sar.fleets.ngo.count": st.integers(0, 4),
        "policy.sar.ngo_blocked": st.booleans(),
        "policy.sar.merchant.compliance": st.floats(0, 1),
        "policy.sar.medevac_daily_probability": st.floats(0, 1),
        "policy.cooperation.framework": st.sampled_from(["none", "ad_hoc", "standing"]),
        "policy.cooperation.participants": st.lists(st.sampled_from(STATES), unique=True, min_size=1),
        "policy.cooperation.relocation_days": st.floats(0, 3),
        "policy.legal.channels.humanitarian_visa.quota_per_year": st.floats(0, 5_000),
        "policy.legal.channels.humanitarian_visa.processing_days": st.floats(0, 3),
        "policy.states.Italy.accept_probability": st.floats(0, 1),
        "policy.states.Malta.accept_probability": st.floats(0, 1),
        "policy.states.Libya.interception_per_hour": st.floats(0, 0.5),
        "policy.states.Libya.rcc_willing_probability": st.floats(0, 1),
        "policy.protection.states.Italy.identification_staff": st.floats(0, 40),
        "policy.protection.states.Italy.child_protection_officers": st.floats(0, 20),
        "world.protection.missing_per_day": st.floats(0, 0.5),
        "world.protection.max_wait_days": st.integers(1, 5),
        "world.crisis.date": st.sampled_from(["", "2016-05-20", "2016-06-02"]),
        "world.crisis.migrant_workers": st.floats(0, 20_000),
        "policy.evacuation.capacity_per_day": st.floats(0, 2_000),
        "policy.evacuation.consular_documents_per_day": st.floats(0, 1),
    }
)


def _mesa_hours(scenario, seed):
    """Run ``scenario`` in the Mesa engine; every hour its ledger matches the people counted agent by agent.

    Returns the summary and the final statuses of the run.
    """
    m = MigrationModel(scenario, rng=seed)
    for _ in range(scenario.world.days * 24):
        m.step()  # the ledger itself raises ConservationError if its statuses stop adding up
        recount = m.count_statuses()
        assert sum(recount.values()) == m.ledger.created
        assert {s: n for s, n in zip(STATUSES, m.ledger.status.tolist(), strict=True) if n} == recount
    return [(m.result(seed).summary, m.ledger.status)]


def _vector_hours(scenario, seed):
    """Run ``scenario`` in a vector batch.

    Every hour the ledger of every run matches the people counted where they are (arrays).

    The batch mixes the drawn scenario with the default one (other fleets, framework, rates).
    Returns the summary and the final statuses of every run.
    """
    b = Batch(
        [scenario, SMALL.with_overrides({"world.days": scenario.world.days}), scenario], [seed, seed + 1, seed + 2]
    )
    counted = [STATUSES.index(s) for s in ("waiting_at_origin", "legal_process", "at_sea", "aboard_vessel")]
    for _ in range(scenario.world.days * 24):
        b.step()  # raises ConservationError if a run's statuses stop adding up
        recount = b.count_statuses()
        assert (recount.sum(axis=1) == b.L.created).all()
        assert np.array_equal(recount[:, counted], b.L.status[:, counted])
        assert (b.bpeople >= 0).all() and (b.aboard >= 0).all() and (b.waiting >= 0).all() and (b.queue >= 0).all()
        assert np.array_equal(b.bn, b.bpeople.sum(axis=1)) and np.array_equal(b.vn, b.aboard.sum(axis=1))
        assert np.array_equal(b.recent_sum, b.recent.sum(axis=2))
    return [(r.summary, b.L.status[k]) for k, r in enumerate(results(b))]


@pytest.mark.parametrize(("hours", "examples"), [(_mesa_hours, 12), (_vector_hours, 8)], ids=["mesa", "vector"])
def test_people_conserved_at_every_step(hours, examples):
    """Every hour in each engine, then the summary's identities; fewer vector examples, as each runs three scenarios."""

    @settings(max_examples=examples, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(overrides=levers, seed=st.integers(0, 2**31))
    def conserved(overrides, seed):
        scenario = SMALL.with_overrides(overrides)
        for s, status in hours(scenario, seed):
            assert (
                s["departures"]
                == s["arrivals"]
                + s["dead"]
                + s["missing"]
                + s["intercepted"]
                + s["at_sea_end"]
                + s["aboard_vessels_end"]
            )
            assert s["people_created"] == sum(status)
            # screening after landing: every child and trafficking victim landed is in exactly one of its outcomes or
            # still queued
            prof = s["by_profile"]
            assert (
                prof["unaccompanied_child"]["arrivals"]
                == s["children_referred"]
                + s["children_as_adults"]
                + s["children_missing"]
                + s["children_not_reached"]
                + s["children_queued_end"]
            )
            assert (
                s["crisis_reached_coast"] == s["crisis_evacuated"] + s["crisis_gave_up"] + s["awaiting_evacuation_end"]
            )
            assert (
                prof["trafficking_victim"]["arrivals"]
                == s["victims_identified"] + s["victims_unidentified"] + s["victims_queued_end"]
            )

    conserved()
