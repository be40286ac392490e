"""Mechanisms of survival and rescue: known answers and the sign of each lever's effect, in both engines."""

from __future__ import annotations

import numpy as np
import pytest

from model.mesa_engine import MesaEngine
from model.scenarios import load
from model.vector_engine import VectorEngine

BASE = load("central_med_small").with_overrides({"world.days": 24})


@pytest.mark.parametrize("engine", [MesaEngine(), VectorEngine()], ids=["mesa", "vector"])
def test_boats_that_deteriorate_in_distress_cost_more_lives(engine):
    """Paired seeds: the same runs with the capsize hazard rising 50% an hour in distress.

    They have more capsizes and deaths.
    """
    fast = BASE.with_overrides(
        {f"world.boats.{b}.deterioration_per_hour": 0.5 for b in ("rubber", "wooden", "fishing")}
    )
    base = [engine.run(BASE, s, record_events=False).summary for s in range(6)]
    worse = [engine.run(fast, s, record_events=False).summary for s in range(6)]
    assert sum(r["capsizes"] for r in worse) > sum(r["capsizes"] for r in base)
    assert sum(r["dead_and_missing"] for r in worse) > sum(r["dead_and_missing"] for r in base)


def _no_rescuers():
    over = {f"policy.sar.fleets.{f}.count": 0 for f in BASE.policy.sar.fleets}
    over.update({"policy.sar.merchant.ships_in_area": 0, "world.weather.hazard_per_unit": 0.0})
    over.update({f"policy.states.{s}.interception_per_hour": 0.0 for s in BASE.policy.states})
    over.update({f"world.boats.{b}.capsize_mean_hours": 10.0 for b in ("rubber", "wooden", "fishing")})
    over.update({f"world.boats.{b}.deterioration_per_hour": 0.0 for b in ("rubber", "wooden", "fishing")})  # constant
    return BASE.with_overrides(over)


@pytest.mark.parametrize("engine", [MesaEngine(), VectorEngine()], ids=["mesa", "vector"])
def test_with_no_rescuer_at_sea_a_boat_in_distress_capsizes_after_the_mean_time(engine):
    """No vessel at all (the vectorised engine once failed to write such a run's events); calm seas.

    Mean 10 h to capsize.

    The hour of capsizing after the distress hour is geometric with p = 1 - exp(-1/10): mean 10.5 h.
    """
    gaps = []
    for seed in range(8):
        ev = engine.run(_no_rescuers(), seed).events
        d = ev[ev.event == "distress"].groupby("case_id").hour.min()
        c = ev[ev.event == "capsize"].groupby("case_id").hour.min()
        gaps += (c - d.reindex(c.index)).dropna().tolist()
    assert len(gaps) > 80 and (ev.event == "rescue").sum() == 0
    mean, se = float(np.mean(gaps)), float(np.std(gaps) / np.sqrt(len(gaps)))
    assert abs(mean - 1 / (1 - np.exp(-0.1))) < 4 * se, (mean, se)


#: Boats that deteriorate from a near-zero capsize hazard (mean 2,000 h, rising by its value each
#: hour in distress); approaches never capsize a boat.
_DETERIORATING = {
    **{f"world.boats.{b}.deterioration_per_hour": 1.0 for b in ("rubber", "wooden", "fishing")},
    **{f"world.boats.{b}.capsize_mean_hours": 2000.0 for b in ("rubber", "wooden", "fishing")},
    "world.survival.approach_capsize_probability": 0.0,
}


@pytest.mark.parametrize("engine", [MesaEngine(), VectorEngine()], ids=["mesa", "vector"])
def test_rescuers_at_every_distress_point_leave_almost_no_one_to_die(engine):
    """Forty fast vessels with room for everyone, stationed along the departure coast, against none at all.

    With the hazard rising from near zero, boats reached within the hour almost never capsize:
    deaths fall to under 2% of those with no rescuer (measured: 50 against 6,342 in the
    vectorised engine, 88 against 6,050 in the Mesa engine, 4 seeds).
    """
    fleet = "policy.sar.fleets.italy_coast_guard_patrol"
    known = {"world.detection.report_probability": 1.0}  # every case is called in: the rescuers can be sent
    near = BASE.with_overrides(
        {
            **_DETERIORATING,
            **known,
            f"{fleet}.count": 40,
            f"{fleet}.speed_kn": 40.0,
            f"{fleet}.capacity_people": 1000,
            f"{fleet}.station_lat": 33.1,
            f"{fleet}.station_lon": 12.3,
            f"{fleet}.station_radius_km": 120.0,
        }
    )
    none = BASE.with_overrides(
        {
            **_DETERIORATING,
            **known,
            **{f"policy.sar.fleets.{f}.count": 0 for f in BASE.policy.sar.fleets},
            "policy.sar.merchant.ships_in_area": 0,
        }
    )
    covered = [engine.run(near, s, record_events=False).summary for s in range(4)]
    alone = [engine.run(none, s, record_events=False).summary for s in range(4)]
    dead_covered = sum(r["dead_and_missing"] for r in covered)
    dead_alone = sum(r["dead_and_missing"] for r in alone)
    assert dead_alone > 0.5 * sum(r["departures"] for r in alone)
    assert dead_covered < 0.02 * dead_alone, (dead_covered, dead_alone)


@pytest.mark.parametrize("engine", [MesaEngine(), VectorEngine()], ids=["mesa", "vector"])
def test_a_state_closed_to_ngo_ships_lands_its_coast_guard_and_refuses_the_ngo_ship(engine):
    s = BASE.with_overrides(
        {
            "policy.states.Italy.closed_to_kinds": ["ngo"],
            "policy.states.Italy.accept_probability": 1.0,
            "policy.cooperation.framework": "none",
        }
    )
    ev = engine.run(s, 3).events
    italy = ev[ev.state == "Italy"]
    ngo, own = italy.vessel.str.startswith("ngo"), italy.vessel.str.startswith("italy_coast_guard")
    assert (italy[ngo].event == "refusal").sum() > 0 and (italy[ngo].event == "acceptance").sum() == 0
    assert (italy[own].event == "acceptance").sum() > 0 and (italy[own].event == "refusal").sum() == 0


def test_closed_to_state_flags_refuses_other_states_ships_only():
    from model.rules.disembarkation import port_closed

    assert port_closed(False, True, 1, 0) and not port_closed(False, True, 0, 0) and not port_closed(False, True, -1, 0)
    assert port_closed(True, False, -1, 0) and not port_closed(False, False, 1, 0)


def _ngo_statuses(scenario, hours: int) -> tuple[list[list[str]], list[list[str]]]:
    """Each NGO ship's status hour by hour, in the Mesa and the vectorised engine ("to_port", "in_port", "other")."""
    from model.mesa_engine import MigrationModel
    from model.vector_engine import Batch
    from model.vector_engine.state import IN_PORT, TO_PORT

    model, batch = MigrationModel(scenario, rng=7), Batch(scenario, [7])
    ships = [v for v in model.vessels if v.kind == "ngo"]
    rows = np.flatnonzero(np.array(batch.c.variants[0].v_fleet) == "ngo")
    name = {TO_PORT: "to_port", IN_PORT: "in_port"}
    mesa, vec = [[] for _ in ships], [[] for _ in rows]
    for _ in range(hours):
        model.step()
        batch.step()
        for log, v in zip(mesa, ships, strict=True):
            log.append(v.status if v.status in ("to_port", "in_port") else "other")
        for log, r in zip(vec, rows, strict=True):
            log.append(name.get(int(batch.vstatus[r]), "other"))
    return mesa, vec


def _stays_after_landing(logs: list[list[str]]) -> list[int]:
    """Hours in port after each landing (a to_port hour followed by in_port), for stays that end before the run does."""
    out = []
    for log in logs:
        for i in range(1, len(log)):
            if log[i - 1] == "to_port" and log[i] == "in_port":
                j = i
                while j < len(log) and log[j] == "in_port":
                    j += 1
                if j < len(log):
                    out.append(j - i)
    return out


def test_a_detained_ngo_ship_stays_in_port_until_its_detention_ends():
    """Every landing detains (probability 1, 4 days).

    Each stay in port after a landing lasts 96 hours, in both engines.
    """
    s = load("central_med_small").with_overrides(
        {
            "world.days": 30,
            "policy.sar.ngo_detention_probability": 1.0,
            "policy.sar.ngo_detention_days": 4.0,
            "policy.sar.fleets.ngo.endurance_days": 0.0,
        }
    )
    for logs in _ngo_statuses(s, 30 * 24):
        stays = _stays_after_landing(logs)
        assert stays and all(n == 96 for n in stays), stays
    free = s.with_overrides({"policy.sar.ngo_detention_probability": 0.0})
    for logs in _ngo_statuses(free, 20 * 24):
        assert not _stays_after_landing(
            logs
        )  # without detention (and no endurance) an NGO ship goes straight back on patrol


def test_deaths_aboard_rise_with_load_and_hours_afloat():
    from model.rules.crossing import aboard_death_probability

    assert aboard_death_probability(0.0, 2.0, 30.0) == 0.0
    assert np.isclose(aboard_death_probability(0.01, 1.0, 24.0), 1 - np.exp(-0.01))
    p = aboard_death_probability(0.01, np.array([1.0, 2.0, 2.0]), np.array([12.0, 12.0, 36.0]))
    assert p[0] < p[1] < p[2]


def _afloat(rate: float, unseen: float = 1.0):
    """No rescuer, no distress, no patrol: boats sail on until they land, people may die aboard."""
    over = {f"policy.sar.fleets.{f}.count": 0 for f in BASE.policy.sar.fleets}
    over.update({"policy.sar.merchant.ships_in_area": 0, "world.survival.unseen_body_recovery_factor": unseen})
    over.update({f"policy.states.{s}.interception_per_hour": 0.0 for s in BASE.policy.states})
    over.update(
        {
            f"world.boats.{b}.{k}": v
            for b in ("rubber", "wooden", "fishing")
            for k, v in (
                ("distress_per_hour", 0.0),
                ("no_fuel_distress_per_hour", 0.0),
                ("fuel_range_km", 2000.0),
                ("aboard_death_per_hour", rate),
            )
        }
    )
    return BASE.with_overrides(over)


@pytest.mark.parametrize("engine", [MesaEngine(), VectorEngine()], ids=["mesa", "vector"])
def test_people_die_aboard_boats_that_stay_afloat_and_more_the_higher_the_rate(engine):
    """No distress, no capsize, no rescuer: deaths come only from the aboard hazard, and grow with it (paired seeds)."""
    none = [engine.run(_afloat(0.0), s, record_events=False).summary for s in range(3)]
    low = [engine.run(_afloat(0.002), s, record_events=False).summary for s in range(3)]
    high = [engine.run(_afloat(0.02), s, record_events=False).summary for s in range(3)]
    assert sum(r["dead_and_missing"] for r in none) == 0 and sum(r["capsizes"] for r in high) == 0
    assert 0 < sum(r["dead_and_missing"] for r in low) < sum(r["dead_and_missing"] for r in high)
    assert sum(r["arrivals"] for r in high) < sum(r["arrivals"] for r in none)


@pytest.mark.parametrize("engine", [MesaEngine(), VectorEngine()], ids=["mesa", "vector"])
def test_the_dead_of_boats_nobody_saw_are_missing(engine):
    """No call, no sighting: no case is ever known; with the unseen factor 0 no body is recovered, with 1 some are."""
    over = {
        "world.detection.report_probability": 0.0,
        "world.detection.sighting_per_hour": 0.0,
        "world.detection.aerial_sighting_per_hour": 0.0,
        "world.survival.body_recovery_share": 0.5,
    }
    seen = [engine.run(_afloat(0.01, 1.0).with_overrides(over), s, record_events=False).summary for s in range(2)]
    unseen = [engine.run(_afloat(0.01, 0.0).with_overrides(over), s, record_events=False).summary for s in range(2)]
    assert sum(r["missing"] for r in unseen) > 0 and sum(r["dead"] for r in unseen) == 0
    assert sum(r["dead"] for r in seen) > 0


def _standoff(**evacuates: bool):
    """Every state refuses every ship, no deals: ships wait at sea with their medical cases."""
    over = {"policy.cooperation.framework": "none", "world.days": 20}
    over.update({f"policy.states.{s}.accept_probability": 0.0 for s in BASE.policy.states})
    over.update({f"policy.states.{s}.evacuates_medical_cases": v for s, v in evacuates.items()})
    return BASE.with_overrides(over)


@pytest.mark.parametrize("engine", [MesaEngine(), VectorEngine()], ids=["mesa", "vector"])
def test_medical_evacuations_land_in_the_nearest_state_that_evacuates(engine):
    """Every state refuses the ships.

    Medical cases go to the nearest state that evacuates them, from where the ship waits.
    """
    from model.geography import Geography

    geo = Geography.from_scenario(BASE)
    for evacuates in ({"Italy": False}, {"Malta": False, "Tunisia": False}):
        ev = engine.run(_standoff(**evacuates), 1).events
        med = ev[ev.event == "medevac"]
        assert len(med) > 0 and not set(med.state) & set(evacuates), (evacuates, set(med.state))
        dist, _ = geo.state_ports(med.x_km.to_numpy(), med.y_km.to_numpy())
        allowed = np.array([s not in evacuates for s in geo.states])
        nearest = np.array(geo.states)[np.argmin(np.where(allowed, dist, np.inf), axis=1)]
        assert (med.state.to_numpy() == nearest).all()
    none = engine.run(_standoff(**{s: False for s in BASE.policy.states}), 1)
    assert none.summary["medevacs"] == 0 and none.summary["disembarkation_refusals"] > 0


@pytest.mark.parametrize("engine", [MesaEngine(), VectorEngine()], ids=["mesa", "vector"])
def test_medical_cases_kept_waiting_die_aboard_only_when_switched_on_and_fewer_when_evacuated(engine):
    """Ships refused everywhere, no state evacuates: with the daily risk on, medical cases die aboard.

    They are counted as dead (not missing), never more than the people who waited, and fewer when
    medevacs take them off first; with the risk at 0 no one dies aboard, and people are conserved.
    """
    keep = {s: False for s in BASE.policy.states}
    risk = {"world.survival.waiting_medical_death_per_day": 0.2}
    off = [engine.run(_standoff(**keep), s, record_events=False).summary for s in range(3)]
    on = [engine.run(_standoff(**keep).with_overrides(risk), s, record_events=False).summary for s in range(3)]
    evac = [
        engine.run(_standoff().with_overrides({**risk, "policy.sar.medevac_daily_probability": 0.9}), s).summary
        for s in range(3)
    ]
    assert all(r["died_waiting"] == 0 for r in off)
    died = sum(r["died_waiting"] for r in on)
    assert died > 0 and sum(r["dead"] for r in on) >= died
    assert sum(r["died_waiting"] for r in evac) < died
    assert all(r["died_waiting"] <= r["people_days_waiting"] for r in on)


def test_a_deal_is_likelier_the_longer_the_wait_and_as_the_weights_say():
    from model.rules.disembarkation import deal_probability

    assert deal_probability(3, 0.1, 0.1) == pytest.approx(0.4)
    assert deal_probability(0, 0.1, 0.0, 200, 0.5, 0.2, 0.1, 0.2, 0.5) == pytest.approx(0.1 + 0.2 + 0.1 + 0.1)
    assert deal_probability(0, 0.1, 0.0, 100, 0.0, 0.0, -1.0) == 0.0 and deal_probability(50, 0.5, 0.1) == 1.0


@pytest.mark.parametrize("engine", [MesaEngine(), VectorEngine()], ids=["mesa", "vector"])
def test_standoffs_end_sooner_when_crowded_decks_press_for_a_deal(engine):
    """Reluctant states, ad hoc deals: a deal chance rising with the people aboard shortens the waits (paired seeds)."""
    base = BASE.with_overrides(
        {f"policy.states.{s}.accept_probability": 0.05 for s in BASE.policy.states}
        | {"policy.cooperation.deal_daily_probability": 0.0, "policy.cooperation.deal_growth_per_day": 0.02}
    )
    press = base.with_overrides({"policy.cooperation.deal_per_100_aboard": 0.5})
    slow = [engine.run(base, s, record_events=False).summary for s in range(3)]
    fast = [engine.run(press, s, record_events=False).summary for s in range(3)]
    assert sum(r["people_days_waiting"] for r in fast) < 0.7 * sum(r["people_days_waiting"] for r in slow)
    assert sum(r["deals"] for r in fast) > 0


def test_masters_comply_less_when_ships_wait_long_for_a_port():
    from model.rules.rescue import expected_delay_days, merchant_compliance

    d = expected_delay_days(np.array([24.0, 72.0, 48.0]), np.array([0, 0, 2]), 3)
    assert np.allclose(d, [2.0, 0.0, 2.0])
    assert merchant_compliance(0.8, 0.0, 1.0) == 0.8 and merchant_compliance(0.8, 3.0, 0.0) == 0.8
    assert np.isclose(merchant_compliance(0.8, 2.0, 0.5), 0.8 * np.exp(-1.0))


def _merchants_only(factor: float):
    """No state or NGO ship at sea: merchant ships rescue; every approach capsizes a boat with chance 0.1 x factor."""
    over = {f"policy.sar.fleets.{f}.count": 0 for f in BASE.policy.sar.fleets}
    over.update(
        {
            "policy.sar.merchant.ships_in_area": 12,
            "world.survival.approach_capsize_probability": 0.1,
            "policy.sar.merchant.approach_capsize_factor": factor,
        }
    )
    over.update(
        {"policy.sar.on_scene.merchant.approach_hours": 0.0, "policy.sar.on_scene.merchant.hours_per_100_people": 0.0}
    )  # (no boat capsizes while a ship is on scene)
    return BASE.with_overrides(over)


@pytest.mark.parametrize("engine", [MesaEngine(), VectorEngine()], ids=["mesa", "vector"])
def test_a_merchant_hull_capsizes_boats_on_approach_as_its_factor_says(engine):
    """Factor 10 (chance 1): every boat a merchant ship reaches afloat capsizes as it comes alongside.

    Factor 0: none does.
    """
    for factor, expected in ((10.0, True), (0.0, False)):
        ev = engine.run(_merchants_only(factor), 2).events
        rescues = ev[(ev.event == "rescue") & (ev.detail == "merchant")]
        first_capsize = ev[ev.event == "capsize"].groupby("case_id").hour.min()
        rescues = rescues[~(rescues.hour > rescues.case_id.map(first_capsize))]  # boats still afloat when the ship came
        approach = ev[(ev.event == "capsize") & (ev.detail == "approach")]
        assert len(rescues) > 3
        hit = rescues.set_index(["case_id", "hour"]).index.isin(approach.set_index(["case_id", "hour"]).index)
        assert hit.all() if expected else not hit.any() and approach.empty, (factor, hit.mean())


@pytest.mark.parametrize("engine", [MesaEngine(), VectorEngine()], ids=["mesa", "vector"])
def test_merchant_masters_decline_more_when_standoffs_last(engine):
    """Reluctant states, so ships wait days: masters who fear the delay decline more taskings (paired seeds)."""
    base = BASE.with_overrides(
        {f"policy.states.{s}.accept_probability": 0.05 for s in BASE.policy.states} | {"policy.sar.fleets.ngo.count": 0}
    )
    averse = base.with_overrides({"policy.sar.merchant.delay_aversion_per_day": 2.0})
    calm = [engine.run(base, s, record_events=False).summary for s in range(3)]
    wary = [engine.run(averse, s, record_events=False).summary for s in range(3)]
    assert sum(r["merchant_declines"] for r in wary) > sum(r["merchant_declines"] for r in calm)


def _ngo_sequences(events) -> list[list[str]]:
    """Each NGO ship's rescues and landings in order ("r", "l")."""
    ev = events[events.vessel.str.startswith("ngo") & events.event.isin(["rescue", "landing"])].sort_values(
        "hour", kind="stable"
    )
    return [["r" if e == "rescue" else "l" for e in g.event] for _, g in ev.groupby("vessel")]


@pytest.mark.parametrize("engine", [MesaEngine(), VectorEngine()], ids=["mesa", "vector"])
def test_under_a_code_of_conduct_ngo_ships_land_after_each_rescue(engine):
    s = BASE.with_overrides({"world.days": 30})
    free = [q for seed in range(4, 10) for q in _ngo_sequences(engine.run(s, seed).events)]
    bound = _ngo_sequences(engine.run(s.with_overrides({"policy.sar.ngo_code_of_conduct": True}), 4).events)
    assert any("rr" in "".join(q) for q in free)  # batching: several rescues before a landing
    assert bound and all("rr" not in "".join(q) for q in bound) and sum(q.count("l") for q in bound) > 2


@pytest.mark.parametrize("engine", [MesaEngine(), VectorEngine()], ids=["mesa", "vector"])
def test_a_seized_ngo_ship_never_sails_again(engine):
    s = BASE.with_overrides({"world.days": 30, "policy.sar.ngo_seizure_probability": 1.0})
    seqs = _ngo_sequences(engine.run(s, 4).events)
    assert seqs and all(q.count("l") == 1 and q[-1] == "l" for q in seqs), seqs


def test_perceived_risk_fades_and_moves_the_chance_of_waiting():
    from model.rules.departure import perceived_update, responsive_wait

    m = perceived_update(np.zeros(3), 10, 20, 1000, 30.0)
    assert np.allclose(m, [10, 20, 1000]) and np.allclose(perceived_update(m, 0, 0, 0, 30.0), m * np.exp(-1 / 30))
    p = np.array([0.2, 0.5])
    assert (
        responsive_wait(p, m, 0.0, 0.0, 0.0, 0.0, 0.3) == p
    ).all()  # no response: exactly today's chance, campaign or not
    up = responsive_wait(p, m, 1.0, 0.0, 0.0, 0.0, 0.0)  # 1% perceived risk, 1 logit per point
    assert np.allclose(np.log(up / (1 - up)) - np.log(p / (1 - p)), 1.0)
    assert (responsive_wait(p, m, 1.0, 0.0, 0.0, 0.0, 0.01) > up).all()  # a campaign acts through perceived risk
    assert (responsive_wait(p, m, 0.0, 0.0, -1.0, 0.0, 0.0) < p).all()  # a signed response: returns may push people out


@pytest.mark.parametrize("engine", [MesaEngine(), VectorEngine()], ids=["mesa", "vector"])
def test_departures_respond_to_perceived_risk_only_when_switched_on(engine):
    """Response 0: the same departures as today, whatever the campaign's risk message.

    Deterrence by deaths and returns on: fewer departures (paired seeds).
    """
    s = BASE.with_overrides({"world.days": 40, "world.demand.risk_reference": 0.0})
    quiet = s.with_overrides(
        {"policy.enforcement.information_campaign": 1.0, "policy.enforcement.campaign_wait_effect": 0.0}
    )
    told = quiet.with_overrides({"policy.enforcement.campaign_risk_pp": 5.0})
    deterred = s.with_overrides(
        {
            "world.demand.risk_response_per_pp": 1.0,
            "world.demand.interception_response_per_pp": 1.0,
            "world.demand.interception_reference": 0.0,
        }
    )
    for seed in (0, 2):  # (seed 1 of the vectorised engine has no death and no return in 40 days: nothing to fear)
        base = engine.run(s, seed, record_events=False).summary
        assert base["dead_and_missing"] + base["intercepted"] > 0
        assert (
            engine.run(told, seed, record_events=False).summary["departures"]
            == engine.run(quiet, seed, record_events=False).summary["departures"]
        )
        assert engine.run(deterred, seed, record_events=False).summary["departures"] < base["departures"]
    assert (
        engine.run(told.with_overrides({"world.demand.risk_response_per_pp": 0.5}), 0, record_events=False).summary[
            "departures"
        ]
        < engine.run(quiet, 0, record_events=False).summary["departures"]
    )


def _first_taskings(events, state: str) -> list[float]:
    """Hours from each case's coordination by ``state`` to its first tasking."""
    coord = events[(events.event == "coordination") & (events.state == state)].groupby("case_id").hour.min()
    task = events[events.event == "tasking"].groupby("case_id").hour.min()
    return (task.reindex(coord.index) - coord).dropna().tolist()


@pytest.mark.parametrize("engine", [MesaEngine(), VectorEngine()], ids=["mesa", "vector"])
def test_an_rcc_tasks_only_after_its_response_delay_or_never(engine):
    slow = engine.run(BASE.with_overrides({"policy.states.Italy.rcc_response_hours": 6.0}), 1).events
    gaps = _first_taskings(slow, "Italy")
    assert len(gaps) > 5 and min(gaps) >= 6
    assert min(_first_taskings(engine.run(BASE, 1).events, "Italy")) < 6
    silent = engine.run(BASE.with_overrides({"policy.states.Italy.rcc_no_response_probability": 1.0}), 1).events
    italy = silent[(silent.event == "coordination") & (silent.state == "Italy")].case_id
    assert len(italy) > 5 and not silent[(silent.event == "tasking") & silent.case_id.isin(italy)].size


def _libyan_patrols(range_km: float):
    """Libya's zone hazard off; its coast guard (which returns people) patrols for boats within ``range_km``."""
    return BASE.with_overrides(
        {
            "policy.states.Libya.interception_per_hour": 0.0,
            "policy.sar.fleets.libya_coast_guard.intercepts_within_km": range_km,
        }
    )


@pytest.mark.parametrize("engine", [MesaEngine(), VectorEngine()], ids=["mesa", "vector"])
def test_patrol_boats_intercept_only_boats_they_reach_and_more_with_more_range(engine):
    """Interceptions come only from vessels that reached the boat.

    (no zone hazard), more of them the farther patrols look (paired seeds).
    """
    near, far = [], []
    for seed in range(2):
        for range_km, out in ((0.0, None), (20.0, near), (80.0, far)):
            ev = engine.run(_libyan_patrols(range_km), seed).events
            got = ev[ev.event == "interception"]
            assert got.vessel.str.startswith("libya_coast_guard").all() or got.empty
            if out is not None:
                out.append(int(got.persons.sum()))
    assert 0 < sum(near) < sum(far)


@pytest.mark.parametrize("engine", [MesaEngine(), VectorEngine()], ids=["mesa", "vector"])
def test_patrols_start_hunting_on_the_day_a_dated_change_gives_them_a_range(engine):
    """No range at first, 80 km from day 10 (the vectorised engine caches who hunts until a change)."""
    change = {
        "date": "2016-06-11",
        "name": "hunt",
        "note": "Libyan patrols go after boats",
        "policy.sar.fleets.libya_coast_guard.intercepts_within_km": 80.0,
    }
    never_tasked = {"policy.states.Libya.rcc_willing_probability": 0.0}  # (a tasked patrol intercepts too)
    ev = engine.run(_libyan_patrols(0.0).with_overrides({**never_tasked, "timeline": [change]}), 0).events
    got = ev[ev.event == "interception"]
    assert len(got) > 0 and (got.day >= 10).all()


@pytest.mark.parametrize("engine", [MesaEngine(), VectorEngine()], ids=["mesa", "vector"])
def test_deaths_in_interceptions_follow_the_states_share(engine):
    """Share 1: every interception by Libya.

    (zone hazard or its coast guard) kills all aboard, so no one is returned; share 0.2: some die, paired against 0.
    """
    s = BASE.with_overrides(
        {
            "world.start_date": "2016-06-01",
            "policy.states.Libya.interception_per_hour": 0.3,
            "policy.sar.fleets.libya_coast_guard.intercepts_within_km": 30.0,
        }
    )
    lethal = engine.run(s.with_overrides({"policy.states.Libya.interception_death_share": 1.0}), 2)
    ev = lethal.events[(lethal.events.event == "interception") & (lethal.events.state == "Libya")]
    assert len(ev) > 3 and ev.persons.sum() == 0 and lethal.summary["intercepted_by_state"]["Libya"] == 0
    base = [engine.run(s, seed, record_events=False).summary for seed in range(2)]
    harsh = [
        engine.run(
            s.with_overrides({"policy.states.Libya.interception_death_share": 0.2}), seed, record_events=False
        ).summary
        for seed in range(2)
    ]
    assert sum(r["dead_and_missing"] for r in harsh) > sum(r["dead_and_missing"] for r in base)
    assert sum(r["intercepted"] for r in harsh) < sum(r["intercepted"] for r in base)


def test_the_arrests_cut_halves_every_half_life_or_lasts():
    from model.rules.smuggling import arrests_cut_today, boats_allowed

    assert np.allclose(arrests_cut_today(0.6, [0, 10, 20], 10.0), [0.6, 0.3, 0.15])
    assert np.allclose(arrests_cut_today(0.6, [0, 10, 1000], 0.0), 0.6)  # half-life 0: the cut lasts
    assert (boats_allowed(10, arrests_cut_today(0.6, [0, 10], 10.0), 0.0, 3.0) == [4, 7]).all()


@pytest.mark.parametrize("engine", [MesaEngine(), VectorEngine()], ids=["mesa", "vector"])
def test_arrests_bite_from_the_day_they_take_effect_and_wear_off(engine):
    """A cut of 90% from 6 June, halving every 2 days: launches fall on that day and come back (paired seeds)."""
    cut = {"date": "2016-06-06", "name": "arrests", "note": "arrests", "policy.enforcement.arrests_capacity_cut": 0.9}
    s = BASE.with_overrides({"world.days": 20, "world.weather.no_launch_above": 1.0, "timeline": [cut]})
    lasting = [engine.run(s, seed, record_events=False).daily for seed in range(3)]
    waning = [
        engine.run(
            s.with_overrides({"policy.enforcement.arrests_half_life_days": 2.0}), seed, record_events=False
        ).daily
        for seed in range(3)
    ]
    launched = lambda runs, a, b: sum(int(d.boats_launched.iloc[a:b].sum()) for d in runs)  # noqa: E731
    assert launched(waning, 0, 5) == launched(lasting, 0, 5) > 0  # before the cut: the same runs
    assert launched(waning, 5, 7) <= launched(lasting, 5, 7) + 2  # on its first days the cut is nearly whole
    assert launched(waning, 12, 20) > 2 * launched(lasting, 12, 20)  # a week later most capacity is back


def test_the_recovery_counts_from_the_day_a_dated_cut_takes_effect():
    from model.mesa_engine.model import MigrationModel
    from model.vector_engine import Batch

    cut = {"date": "2016-06-06", "name": "arrests", "note": "arrests", "policy.enforcement.arrests_capacity_cut": 0.9}
    same = {"date": "2016-06-08", "name": "other", "note": "something else", "policy.sar.aerial_surveillance": 0.5}
    s = BASE.with_overrides({"world.days": 10, "timeline": [cut, same]})
    model, batch = MigrationModel(s, rng=1), Batch(s, [1, 2])
    for day in range(10):
        for _ in range(24):
            model.step()
            batch.step()
        expected = 0 if day < 5 else 5  # (another change on day 7 does not restart it)
        assert model.arrests_since_day == expected and (batch.arrests_since_day == expected).all(), day
