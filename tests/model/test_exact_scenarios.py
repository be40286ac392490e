"""Scenarios whose answer is known exactly (probability 0 or 1 where it matters)."""

import pytest

from tests.conftest import run


@pytest.fixture(params=["mesa", "vector"])
def engine(request):
    """Every known answer holds for both engines."""
    return request.param


NO_HAZARD = {
    f"world.boats.{b}.{k}": 0.0
    for b in ("rubber", "wooden", "fishing")
    for k in ("distress_per_hour", "no_fuel_distress_per_hour")
} | {"world.survival.approach_capsize_probability": 0.0}


def test_zero_distress_hazard_gives_no_deaths(small, engine):
    s = run(small.with_overrides(NO_HAZARD), 3, engine=engine).summary
    assert s["departures"] > 0
    assert s["dead"] == s["missing"] == 0
    assert s["distress_cases"] == 0


def test_a_calm_sea_without_interceptions_lands_every_boat_unassisted(small, engine):
    """With no hazards, no interception, everyone accepted and no legal channel, every boat lands unassisted."""
    calm = {
        f"world.boats.{b}.{k}": 0.0
        for b in ("rubber", "wooden", "fishing")
        for k in ("distress_per_hour", "no_fuel_distress_per_hour")
    }
    calm |= {f"policy.states.{s}.interception_per_hour": 0.0 for s in small.world.states}
    r = run(small.with_overrides(calm), 3, days=20, engine=engine).summary
    assert r["dead_and_missing"] == 0 and r["rescued"] == 0 and r["intercepted"] == 0
    assert r["arrivals"] + r["at_sea_end"] == r["departures"] > 0


def test_every_state_refusing_without_framework_gives_refusals_and_waiting(small, engine):
    refuse = {f"policy.states.{n}.accept_probability": 0.0 for n in small.world.states}
    r = run(small.with_overrides(refuse | {"policy.cooperation.framework": "none"}), 4, engine=engine)
    s = r.summary
    assert s["disembarkation_refusals"] > 0
    assert s["disembarkation_refusals"] == s["disembarkation_requests"]
    assert s["deals"] == 0
    assert r.daily["people_waiting_at_sea"].max() > 0
    assert s["people_days_waiting"] > 0
    assert s["aboard_vessels_end"] > 0
    landed_from_ships = r.events.query("event == 'landing' and vessel != ''")
    medevacs = r.events.query("event == 'medevac'")["persons"].sum()
    assert landed_from_ships["persons"].sum() == medevacs  # only medical evacuations land


def test_standing_framework_among_all_states_has_no_refusals(small, engine):
    everyone = {"policy.cooperation.framework": "standing", "policy.cooperation.participants": list(small.world.states)}
    r = run(small.with_overrides(everyone), 5, engine=engine)
    s = r.summary
    assert s["disembarkation_requests"] > 0
    assert s["disembarkation_refusals"] == 0
    assert s["max_wait_days"] < 1.0  # accepted on the day of the request
    assert s["relocations"] > 0


def test_standing_framework_refusals_only_by_non_participants(small, engine):
    refuse = {f"policy.states.{n}.accept_probability": 0.0 for n in small.world.states}
    coop = {"policy.cooperation.framework": "standing", "policy.cooperation.participants": ["Italy", "Malta"]}
    s = run(small.with_overrides(refuse | coop), 6, engine=engine).summary
    assert s["refusals_by_state"]["Italy"] == 0 and s["refusals_by_state"]["Malta"] == 0
    assert s["aboard_vessels_end"] < 2000


def test_legal_quota_above_eligible_demand_leaves_no_eligible_person_on_a_boat(small, engine):
    legal = {
        "policy.legal.channels.humanitarian_visa.quota_per_year": 10_000_000,
        "policy.legal.channels.humanitarian_visa.processing_days": 10,
        "policy.legal.uptake_probability": 1.0,
    }
    s = run(small.with_overrides(legal), 7, engine=engine).summary
    eligible = small.policy.legal.channels["humanitarian_visa"].eligible_profiles
    for prof, counts in s["by_profile"].items():
        if prof in eligible:
            assert counts["departures"] == 0, prof
        else:
            assert counts["departures"] > 0, prof
    assert s["legal_arrivals"] > 0


def test_no_ngo_ships_means_no_ngo_rescues(small, engine):
    s = run(small.with_overrides({"policy.sar.ngo_blocked": True}), 8, engine=engine).summary
    assert s["rescued_by_actor"]["ngo"] == 0
    assert s["rescued"] > 0


def test_relocation_key_sends_everyone_relocated_to_its_states(small, engine):
    coop = {
        "policy.cooperation.framework": "standing",
        "policy.cooperation.participants": ["Italy", "Malta", "Tunisia"],
        "policy.cooperation.relocation_key": {"Malta": 1.0},
        "policy.cooperation.relocation_days": 1,
    }
    r = run(small.with_overrides(coop), 9, engine=engine)
    moves = r.events.query("event == 'relocation'")
    assert len(moves) > 0 and set(moves["state"]) == {"Malta"}
    s = r.summary
    assert s["burden_by_state"]["Malta"] == s["arrivals_by_state"]["Malta"] + moves["persons"].sum()
    assert sum(s["burden_by_state"].values()) == s["arrivals"]
