"""Issue 19, second part: on-scene times, masters' fear of diversion, injuries in interceptions.

Stops that displace smugglers, adaptation that follows rescue presence.

Known answers in both engines where they are cheap; the sign of each lever with paired seeds in the
vectorised engine (many seeds, short runs, one batch).
"""

from __future__ import annotations

import numpy as np
import pytest

from model.mesa_engine import MesaEngine
from model.rules import rescue, smuggling
from model.scenarios import load
from model.vector_engine import VectorEngine

BASE = load("central_med_small").with_overrides({"world.days": 24})
KINDS = ("coast_guard", "navy", "ngo", "merchant")
SEEDS = list(range(16))


def _paired(a, b, seeds=SEEDS):
    """Summaries of scenarios ``a`` and ``b`` on the same seeds, in one vector batch."""
    out = VectorEngine().run_many([a] * len(seeds) + [b] * len(seeds), seeds + seeds, record_events=False)
    return [r.summary for r in out[: len(seeds)]], [r.summary for r in out[len(seeds) :]]


def _total(rows, key):
    return sum(r[key] for r in rows)


def test_on_scene_hours_and_the_hour_the_people_are_taken():
    assert rescue.on_scene_hours(1.0, 2.0, 150.0) == 4.0
    assert rescue.scene_done_hour(10, 0.0, 0.0, 300.0, 120.0) == 10  # no on-scene time: at once, as before
    assert (
        rescue.scene_done_hour(10, 0.5, 2.0, 50.0, 120.0) == 12
    )  # ceil(0.5 + 2 x 50 / 100): only those it has room for
    assert (
        not rescue.transfer_ends(11, 12, False)
        and rescue.transfer_ends(12, 12, False)
        and rescue.transfer_ends(11, 12, True)
    )


def test_diversion_lowers_a_masters_compliance_with_the_distance_to_a_safe_port():
    assert rescue.diversion_compliance(0.8, 0.0, 500.0) == 0.8
    assert np.isclose(rescue.diversion_compliance(0.8, 0.5, 200.0), 0.8 * np.exp(-1.0))
    xs, ys, safe = np.array([0.0, 30.0, 100.0]), np.array([0.0, 40.0, 0.0]), np.array([False, True, True])
    assert rescue.nearest_safe_port_km(0.0, 0.0, xs, ys, safe) == 50.0  # port 0 is nearer but not a place of safety
    assert rescue.nearest_safe_port_km(0.0, 0.0, xs, ys, np.zeros(3, dtype=bool)) == np.inf


def _on_scene(approach: float, per100: float = 0.0):
    return BASE.with_overrides(
        {
            f"policy.sar.on_scene.{k}.{f}": v
            for k in KINDS
            for f, v in (("approach_hours", approach), ("hours_per_100_people", per100))
        }
    )


@pytest.mark.parametrize("engine", [MesaEngine(), VectorEngine()], ids=["mesa", "vector"])
def test_no_rescue_comes_before_the_vessels_on_scene_hours(engine):
    """Approach 5 h for every kind.

    Each rescue of a boat that did not capsize comes at least 5 h after its vessel was tasked.
    """
    ev = engine.run(_on_scene(5.0), 4).events
    capsized = set(ev[ev.event == "capsize"].case_id)
    rescues = ev[(ev.event == "rescue") & ~ev.case_id.isin(capsized)]
    tasked = ev[ev.event == "tasking"].groupby(["case_id", "vessel"]).hour.max()
    gaps = [r.hour - tasked[(r.case_id, r.vessel)] for r in rescues.itertuples()]
    assert len(gaps) > 10 and min(gaps) >= 5, sorted(gaps)[:5]


def test_rescues_that_take_hours_on_scene_cost_lives():
    """Paired seeds: a slow approach and transfer.

    (4 h + 4 h per 100 people) mean more capsizes and more dead than rescues done on arrival.
    """
    base, slow = _paired(BASE, _on_scene(4.0, 4.0))
    assert _total(slow, "capsizes") > _total(base, "capsizes")
    assert _total(slow, "dead_and_missing") > _total(base, "dead_and_missing")


def test_masters_far_from_a_safe_port_decline_more():
    """Paired seeds: an aversion of 1 per 100 km to the diversion makes masters decline more taskings."""
    base, averse = _paired(BASE, BASE.with_overrides({"policy.sar.merchant.diversion_aversion_per_100km": 1.0}))
    assert _total(averse, "merchant_declines") > _total(base, "merchant_declines")


def _libya(injury: float):
    s = BASE.with_overrides({"world.start_date": "2016-06-01", "policy.states.Libya.interception_per_hour": 0.3})
    return s.with_overrides({"policy.states.Libya.interception_injury_share": injury})


def test_injuries_in_interceptions_change_nothing_else_in_the_vectorised_engine():
    """Injuries draw from a stream of their own.

    With a share of 0.5 every other outcome is the same, and about half of those returned are counted injured.
    """
    base, hurt = _paired(_libya(0.0), _libya(0.5), seeds=SEEDS[:6])
    assert _total(base, "injured_in_interception") == 0
    assert 0.4 < _total(hurt, "injured_in_interception") / _total(hurt, "intercepted") < 0.6
    for a, b in zip(base, hurt, strict=True):
        assert {k: v for k, v in a.items() if k != "injured_in_interception"} == {
            k: v for k, v in b.items() if k != "injured_in_interception"
        }


@pytest.mark.parametrize("engine", [MesaEngine(), VectorEngine()], ids=["mesa", "vector"])
def test_injuries_in_interceptions_are_counted(engine):
    r = engine.run(_libya(1.0), 2, record_events=False).summary
    assert r["intercepted_by_state"]["Libya"] > 0 and r["injured_in_interception"] >= r["intercepted_by_state"]["Libya"]


def _stops(share: float, displaces: bool):
    return BASE.with_overrides(
        {
            "policy.enforcement.stop_unseaworthy_share": share,
            "policy.enforcement.stop_displaces": displaces,
            "world.weather.no_launch_above": 1.0,
        }
    )


def test_displaced_mix_moves_the_stopped_share_of_rubber_to_other_boats():
    mix = np.array([0.8, 0.2, 0.0])
    assert np.allclose(smuggling.displaced_mix(mix, 0.5, True), [0.4, 0.6, 0.0])
    assert np.array_equal(smuggling.displaced_mix(mix, 0.5, False), mix)
    assert smuggling.stoppable(0, True) and not smuggling.stoppable(1, True) and smuggling.stoppable(2, False)


@pytest.mark.parametrize("engine", [MesaEngine(), VectorEngine()], ids=["mesa", "vector"])
def test_when_every_rubber_boat_would_be_stopped_smugglers_launch_none(engine):
    """Share 1 with displacement: the whole rubber share goes to wooden and fishing boats, which are not stopped."""
    r = engine.run(_stops(1.0, True), 1, record_events=False).summary
    assert r["boats_by_type"]["rubber"] == 0 and r["boats_stopped"] == 0 and r["boats_launched"] > 0


def test_stops_that_displace_smugglers_shift_boats_and_delay_people():
    """Paired seeds, 30% of unseaworthy launches stopped.

    With displacement fewer rubber boats leave and people leave later (fewer departures in a short run).
    """
    plain, displaced = _paired(_stops(0.3, False), _stops(0.3, True))
    assert _total(displaced, "rubber_boat_share") < _total(plain, "rubber_boat_share")
    assert _total(displaced, "departures") < _total(plain, "departures")


def test_rescue_presence_is_the_share_of_rescuing_capacity_at_sea():
    cap, rescuing, at_sea = (
        np.array([100.0, 300.0, 50.0, 10.0]),
        np.array([True, True, True, False]),
        np.array([True, False, True, True]),
    )
    assert np.allclose(smuggling.presence_share(cap, rescuing, at_sea, np.array([0, 0, 1, 1]), 3), [0.25, 1.0, 1.0])
    assert smuggling.present_shift(0.5, 40.0, 55.0, 100.0, 1.0) == smuggling.adaptation_shift(0.5, 40.0, 55.0, 100.0)


def _presence(follows: bool, endurance: float):
    over = {"world.adaptation.follows_presence": follows, "world.adaptation.strength": 1.0}
    over.update({f"policy.sar.fleets.{f}.endurance_days": endurance for f in BASE.policy.sar.fleets})
    over.update({f"policy.sar.fleets.{f}.port_days": 6.0 for f in BASE.policy.sar.fleets})
    return BASE.with_overrides(over)


@pytest.mark.parametrize("engine", [MesaEngine(), VectorEngine()], ids=["mesa", "vector"])
def test_adaptation_that_follows_presence_changes_nothing_while_every_rescuer_stays_at_sea(engine):
    """No rotations (endurance 0): every rescuing vessel is at sea every day, so the daily shift is the fixed one."""
    fixed, follows = (
        engine.run(_presence(False, 0.0), 3, record_events=False),
        engine.run(_presence(True, 0.0), 3, record_events=False),
    )
    assert fixed.summary == follows.summary


def test_adaptation_that_follows_presence_responds_to_ships_in_port():
    """Paired seeds, rescuers resting 6 days in port after 4 at sea.

    Smugglers see less rescue nearby, so fewer people leave and fewer take rubber boats.
    """
    fixed, follows = _paired(_presence(False, 4.0), _presence(True, 4.0))
    assert _total(follows, "departures") < _total(fixed, "departures")
    assert _total(follows, "rubber_boat_share") < _total(fixed, "rubber_boat_share")


@pytest.mark.parametrize("engine", [MesaEngine(), VectorEngine()], ids=["mesa", "vector"])
def test_an_rcc_that_tells_others_to_stand_by_tasks_no_merchant_ship(engine):
    """Italy's RCC with no state ship of its own at sea: merchants do its rescues, unless it tells them to stand by."""
    s = BASE.with_overrides(
        {f"policy.sar.fleets.{f}.count": 0 for f in BASE.policy.sar.fleets} | {"policy.sar.merchant.ships_in_area": 12}
    )
    for stand_by in (False, True):
        ev = engine.run(s.with_overrides({"policy.states.Italy.others_stand_by": stand_by}), 2).events
        by_italy = ev[(ev.event == "tasking") & (ev.state == "Italy") & ev.vessel.str.startswith("merchant")]
        assert by_italy.empty if stand_by else len(by_italy) > 3, (stand_by, len(by_italy))


@pytest.mark.parametrize("engine", [MesaEngine(), VectorEngine()], ids=["mesa", "vector"])
def test_displacing_stops_raise_every_seat_price_by_the_surcharge_times_the_share(engine):
    """The price adds to smugglers' revenue only: the same seed gives the same crossings, and the
    revenue rises by exactly 0.3 x 1,000 USD per departure; without displacement it does not rise."""
    stops = {"policy.enforcement.stop_unseaworthy_share": 0.3, "policy.enforcement.stop_displaces": True}
    costly = {**stops, "policy.enforcement.stop_price_surcharge_usd": 1000.0}
    plain = engine.run(BASE.with_overrides(stops), 3, record_events=False).summary
    dear = engine.run(BASE.with_overrides(costly), 3, record_events=False).summary
    assert dear["departures"] == plain["departures"] and dear["dead_and_missing"] == plain["dead_and_missing"]
    assert dear["smuggler_revenue_usd"] - plain["smuggler_revenue_usd"] == pytest.approx(300.0 * dear["departures"])
    undisplaced = {**costly, "policy.enforcement.stop_displaces": False}
    kept = {**undisplaced, "policy.enforcement.stop_price_surcharge_usd": 0.0}
    a = engine.run(BASE.with_overrides(undisplaced), 3, record_events=False).summary
    b = engine.run(BASE.with_overrides(kept), 3, record_events=False).summary
    assert a["smuggler_revenue_usd"] == b["smuggler_revenue_usd"]
