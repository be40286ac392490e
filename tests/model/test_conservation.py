"""People are conserved at every step, for random valid scenarios (property test)."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from model.mesa_engine import MigrationModel
from model.outcomes import STATUSES
from model.scenarios import load

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


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(overrides=levers, seed=st.integers(0, 2**31))
def test_people_conserved_at_every_step(overrides, seed):
    scenario = SMALL.with_overrides(overrides)
    m = MigrationModel(scenario, rng=seed)
    for _ in range(scenario.world.days * 24):
        m.step()  # the ledger itself raises ConservationError if its statuses stop adding up
        recount = m.count_statuses()
        assert sum(recount.values()) == m.ledger.created
        assert {s: n for s, n in zip(STATUSES, m.ledger.status.tolist(), strict=True) if n} == recount
    s = m.result(seed).summary
    assert s["departures"] == s["arrivals"] + s["dead"] + s["missing"] + s["intercepted"] + s["at_sea_end"] + s["aboard_vessels_end"]
    assert s["people_created"] == sum(m.ledger.status)
    # screening after landing: every child and trafficking victim landed is in exactly one of its outcomes or still queued
    prof = s["by_profile"]
    assert prof["unaccompanied_child"]["arrivals"] == s["children_referred"] + s["children_as_adults"] + s["children_missing"] + s["children_not_reached"] + s["children_queued_end"]
    assert s["crisis_reached_coast"] == s["crisis_evacuated"] + s["crisis_gave_up"] + s["awaiting_evacuation_end"]
    assert prof["trafficking_victim"]["arrivals"] == s["victims_identified"] + s["victims_unidentified"] + s["victims_queued_end"]
